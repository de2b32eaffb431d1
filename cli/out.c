/* out.c - small output helpers shared by the command files: CSV fields and numbers. */
#include "cli.h"

#include <solidata/store.h>

#include <math.h>
#include <string.h>

void cli_csv_field(FILE *out, const char *s, int last)
{
    if (s == NULL)
        s = "";
    if (strpbrk(s, ",\"\n\r") == NULL) {
        fputs(s, out);
    } else {
        fputc('"', out);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', out);
            fputc(*s, out);
        }
        fputc('"', out);
    }
    fputc(last ? '\n' : ',', out);
}

void cli_csv_number(FILE *out, double x, int last)
{
    if (!isnan(x))
        fprintf(out, "%.17g", x);
    fputc(last ? '\n' : ',', out);
}

int cli_open_store(const cli_ctx *ctx, sol_store **st)
{
    sol_error err;
    sol_error_clear(&err);
    if (sol_store_open(ctx->db_path, st, &err) != SOL_OK)
        return cli_fail(&err);
    return CLI_OK;
}
