/* out.c - what the command files share besides option parsing: messages (errors, usage errors,
 * progress) on stderr, CSV fields and numbers, opening the store. */
#include "cli.h"

#include <solidata/store.h>

#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

int cli_fail(const sol_error *err)
{
    char buf[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
    sol_error_format(err, buf, sizeof buf);
    fprintf(stderr, "solidata: %s\n", buf);
    return CLI_FAIL;
}

int cli_failf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("solidata: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return CLI_FAIL;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "solidata %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "; see 'solidata %s --help'\n", cmd);
    va_end(ap);
    return CLI_USAGE;
}

void cli_progress(const cli_ctx *ctx, const char *fmt, ...)
{
    if (ctx->quiet)
        return;
    int tty = isatty(STDERR_FILENO);
    va_list ap;
    va_start(ap, fmt);
    if (tty)
        fputs("\r\033[K", stderr);
    vfprintf(stderr, fmt, ap);
    if (!tty)
        fputc('\n', stderr);
    va_end(ap);
    fflush(stderr);
}

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
