/* fuzz_privacy.c - libFuzzer target: any bytes through the key parser, the id normalisers, and
 * (as CSV) the pseudonymiser and the tabulation with suppression. */
#include <solidata/csv.h>
#include <solidata/limits.h>
#include <solidata/privacy.h>

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sol_status discard(void *ud, const void *buf, size_t n)
{
    (void)ud;
    (void)buf;
    (void)n;
    return SOL_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    uint8_t key[SOL_PRIVACY_KEY_BYTES] = {0};
    sol_error err;
    (void)sol_privacy_key_parse(s, size, key, &err);
    char out[SOL_MAX_ID + 1];
    size_t n;
    for (int k = SOL_NORM_NONE; k <= SOL_NORM_EMAIL; k++)
        (void)sol_privacy_normalise_id((sol_normalise)k, s, size, out, sizeof out, &n, &err);

    sol_csv_opts o = {.max_field = 256};
    sol_csv *c = NULL;
    if (sol_csv_open_mem(s, size, "fuzz.csv", &o, &c, &err) == SOL_OK) {
        sol_pseudonymise_opts po = {.id_column = sol_csv_colname(c, 0),
                                    .normalise = (sol_normalise)(size % 4),
                                    .skip_invalid = (int)(size & 1)};
        (void)sol_privacy_pseudonymise(c, key, &po, discard, NULL, NULL, &err);
        sol_csv_close(c);
    }
    if (sol_csv_open_mem(s, size, "fuzz.csv", &o, &c, &err) == SOL_OK) {
        sol_tab_opts to = {.row_field = sol_csv_colname(c, 0),
                           .col_field = sol_csv_ncols(c) > 1 ? sol_csv_colname(c, 1) : NULL,
                           .min_cell = 3,
                           .dp = size % 3 == 0 ? SOL_DP_LAPLACE : SOL_DP_NONE,
                           .eps_nano = 500000000,
                           .seed = "fuzz"};
        sol_tab *t = NULL;
        if (sol_tab_new(c, &to, &t, &err) == SOL_OK && sol_tab_protect(t, &err) == SOL_OK)
            (void)sol_tab_write_csv(t, discard, NULL, &err);
        sol_tab_free(t);
        sol_csv_close(c);
    }
    return 0;
}
