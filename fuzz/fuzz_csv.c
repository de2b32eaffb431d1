/* fuzz_csv.c - libFuzzer target: any bytes through the CSV reader and the number parser. */
#include <solidata/csv.h>

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sol_csv *c = NULL;
    sol_error err;
    /* a small field cap so the limit paths are reached too */
    sol_csv_opts o = {.max_field = 64};
    if (sol_csv_open_mem((const char *)data, size, "fuzz.csv", &o, &c, &err) != SOL_OK)
        return 0;
    while (sol_csv_next(c, &err) == SOL_OK) {
        for (size_t i = 0; i < sol_csv_ncols(c); i++) {
            size_t n;
            const char *f = sol_csv_field(c, i, &n);
            double x;
            (void)sol_parse_number(f, n, 1, &x);
            (void)sol_is_missing(f, n);
        }
    }
    char hex[65];
    sol_csv_sha256_hex(c, hex);
    sol_csv_close(c);
    return 0;
}
