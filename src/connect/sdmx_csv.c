/* sdmx_csv.c - SDMX-CSV data messages: 1.0 (DATAFLOW first) and 2.0 (STRUCTURE, STRUCTURE_ID,
 * ACTION), read with the library's CSV reader; "ID: label" headers and values keep the ID. */
#include "sdmx_int.h"

#include <solidata/csv.h>

#include <math.h>
#include <string.h>

enum { COL_SKIP = -1, COL_VALUE = -2, COL_STATUS = -3, COL_STRUCTURE = -4 };

/* The id of a header or value written "ID: label" (SDMX-CSV 2.0 labels=both), or with a
 * "[...]" suffix (multi-valued components): its length. */
static size_t id_len(const char *s, size_t n, int labelled)
{
    size_t k = 0;
    while (k < n && s[k] != '[' && !(labelled && s[k] == ':' && k + 1 < n && s[k + 1] == ' '))
        k++;
    while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'))
        k--;
    return k;
}

sol_status sol__sdmx_parse_csv(sdmx_builder *b, const char *buf, size_t len, sol_error *err)
{
    sol_csv *c = NULL;
    sol_csv_opts o = {.delimiter = 0, .max_field = SOL_SDMX_MAX_NAME * 4};
    sol_status rc = sol_csv_open_mem(buf, len, b->name, &o, &c, err);
    if (rc != SOL_OK)
        return rc;
    b->d->format = SOL_SDMX_CSV;
    size_t nc = sol_csv_ncols(c);
    int *role = sol__calloc(nc ? nc : 1, sizeof *role);
    if (role == NULL) {
        sol_csv_close(c);
        return SOL_ENOMEM;
    }
    int have_value = 0, labelled = 0, first_ok = 0;
    const char *c0 = sol_csv_colname(c, 0);
    size_t c0n = id_len(c0, strlen(c0), 1);
    if ((c0n == 8 && memcmp(c0, "DATAFLOW", 8) == 0) ||
        (c0n == 9 && memcmp(c0, "STRUCTURE", 9) == 0))
        first_ok = 1;
    for (size_t i = 0; i < nc; i++)
        if (strstr(sol_csv_colname(c, i), ": ") != NULL)
            labelled = 1;
    /* labels=name (SDMX-CSV 2.0): with a STRUCTURE_NAME column, each component's column is
     * followed by one holding its names, which is skipped */
    int name_cols = sol_csv_colindex(c, "STRUCTURE_NAME") >= 0, after_component = 0;
    for (size_t i = 0; i < nc && rc == SOL_OK; i++) {
        const char *h = sol_csv_colname(c, i);
        size_t n = id_len(h, strlen(h), 1);
        if (after_component) {
            role[i] = COL_SKIP;
            after_component = 0;
            continue;
        }
        int fixed = (n == 9 && memcmp(h, "STRUCTURE", 9) == 0) ||
                    (n == 8 && memcmp(h, "DATAFLOW", 8) == 0) ||
                    (n == 12 && memcmp(h, "STRUCTURE_ID", 12) == 0) ||
                    (n == 14 && memcmp(h, "STRUCTURE_NAME", 14) == 0) ||
                    (n == 6 && memcmp(h, "ACTION", 6) == 0);
        after_component = name_cols && !fixed;
        if (n == 9 && memcmp(h, "OBS_VALUE", 9) == 0) {
            role[i] = COL_VALUE;
            have_value = 1;
        } else if (n == 10 && memcmp(h, "OBS_STATUS", 10) == 0)
            role[i] = COL_STATUS;
        else if (n == 8 && memcmp(h, "OBS_FLAG", 8) == 0 && sol_csv_colindex(c, "OBS_STATUS") < 0)
            role[i] = COL_STATUS; /* Eurostat's flags are its observation status */
        else if ((n == 8 && memcmp(h, "DATAFLOW", 8) == 0) ||
                 (n == 12 && memcmp(h, "STRUCTURE_ID", 12) == 0))
            role[i] = COL_STRUCTURE;
        else if (n == 0 || sol__sdmx_is_attribute(b, h, n))
            role[i] = COL_SKIP;
        else {
            int d;
            rc = sol__sdmx_dim(b, h, n, &d, err, 1, sol_csv_col(c, i));
            role[i] = d;
        }
    }
    if (rc == SOL_OK && (!first_ok || !have_value))
        rc = sol__err_at(err, SOL_EPARSE, b->name, 1, 0,
                         "not an SDMX-CSV message: the header must begin with DATAFLOW (SDMX-CSV "
                         "1.0) or STRUCTURE (2.0) and have an OBS_VALUE column");
    while (rc == SOL_OK && (rc = sol_csv_next(c, err)) == SOL_OK) {
        uint32_t key[SOL_SDMX_MAX_DIMS];
        double v = NAN;
        uint32_t st = SOL_SDMX_NONE;
        for (size_t i = 0; i < SOL_SDMX_MAX_DIMS; i++)
            key[i] = SOL_SDMX_NONE;
        for (size_t i = 0; i < nc && rc == SOL_OK; i++) {
            size_t n;
            const char *f = sol_csv_field(c, i, &n);
            unsigned long line = sol_csv_line(c), col = sol_csv_col(c, i);
            if (role[i] >= 0)
                rc = sol__sdmx_code(b, role[i], f, id_len(f, n, labelled), &key[role[i]], err, line,
                                    col);
            else if (role[i] == COL_VALUE)
                rc = sol__sdmx_value(b, f, n, sol_csv_delimiter(c) == ';', &v, err, line, col);
            else if (role[i] == COL_STATUS)
                rc = sol__sdmx_status(b, f, id_len(f, n, labelled), &st, err, line, col);
            else if (role[i] == COL_STRUCTURE && b->d->structure == NULL) {
                /* "ESTAT:NA_MAIN(1.6.0)" names the dataflow NA_MAIN */
                size_t k = id_len(f, n, labelled);
                const char *colon = memchr(f, ':', k);
                if (colon != NULL) {
                    k -= (size_t)(colon + 1 - f);
                    f = colon + 1;
                }
                const char *paren = memchr(f, '(', k);
                if (paren != NULL)
                    k = (size_t)(paren - f);
                b->d->structure = sol__strndup(f, k);
                if (b->d->structure == NULL)
                    rc = SOL_ENOMEM;
            }
        }
        if (rc == SOL_OK)
            rc = sol__sdmx_obs(b, key, v, st, err, sol_csv_line(c), 0);
    }
    if (rc == SOL_EOF)
        rc = SOL_OK;
    sol__free(role);
    sol_csv_close(c);
    return rc;
}
