/* fuzz_sheet.c - libFuzzer target: tables as people have them (sol_table_open on a CSV file):
 * encoding detection and conversion, the header found below title lines, blank and total rows,
 * numbers with thousands separators or '%', dates in the period column, years as columns. Every
 * record of a table that opens is read whole; no crash, leak or undefined behaviour. */
#include <solidata/csv.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[96];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (path[0] == '\0') {
        char dir[64];
        snprintf(dir, sizeof dir, "/tmp/solidata-fuzz-sheet-XXXXXX");
        if (mkdtemp(dir) == NULL)
            abort();
        snprintf(path, sizeof path, "%s/t.csv", dir);
    }
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    /* the first byte chooses the options: years as columns, a decimal mark, an encoding */
    unsigned sel = size ? data[0] : 0;
    sol_read_opts o = {.area_field = "code",
                       .period_field = (sel & 1) ? "year" : NULL,
                       .years_as_columns = (sel & 2) != 0,
                       .decimal_mark = (sel & 4) ? ',' : 0,
                       .encoding = (sol_encoding)((sel >> 3) % 5),
                       .value_fields = (sel & 64) ? "v" : NULL};
    sol_csv *c = NULL;
    sol_read_info info;
    sol_error err;
    if (sol_table_open(path, &o, &c, &info, &err) != SOL_OK)
        return 0;
    sol_csv *again = NULL;
    if (sol_csv_reopen(c, &again, &err) == SOL_OK)
        sol_csv_close(again);
    size_t n = sol_csv_ncols(c);
    volatile size_t sink = 0;
    for (size_t i = 0; i < n; i++)
        sink += strlen(sol_csv_colname(c, i));
    while (sol_csv_next(c, &err) == SOL_OK)
        for (size_t i = 0; i < n; i++)
            sink += strlen(sol_csv_field(c, i, NULL)) + sol_csv_col(c, i) + sol_csv_line(c);
    char hex[65];
    sol_csv_sha256_hex(c, hex);
    sol_csv_close(c);
    (void)sink;
    return 0;
}
