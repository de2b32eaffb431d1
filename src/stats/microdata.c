/* microdata.c - survey microdata streamed from CSV: only the columns asked for are parsed and kept
 * (numbers as doubles, codes as level indices), with file:line:column on every bad value. */
#include <solidata/stats.h>

#include <solidata/csv.h>
#include <solidata/limits.h>

#include "core/core.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct md_col {
    sol_md_column spec;
    long src; /* column index in the file */
    double *num;
    uint32_t *code;
    sol_strmap *levels_map;
    char **levels;
    size_t nlevels, cap_levels;
} md_col;

struct sol_microdata {
    size_t n, cap, ncols;
    md_col *cols;
    char sha256[65];
    uint64_t bytes;
};

void sol_microdata_free(sol_microdata *md)
{
    if (md == NULL)
        return;
    for (size_t j = 0; j < md->ncols; j++) {
        md_col *c = &md->cols[j];
        sol__free(c->num);
        sol__free(c->code);
        sol__strmap_free(c->levels_map);
        for (size_t l = 0; l < c->nlevels; l++)
            sol__free(c->levels[l]);
        sol__free(c->levels);
    }
    sol__free(md->cols);
    sol__free(md);
}

size_t sol_microdata_rows(const sol_microdata *md)
{
    return md->n;
}

const double *sol_microdata_numbers(const sol_microdata *md, size_t col)
{
    return col < md->ncols ? md->cols[col].num : NULL;
}

const uint32_t *sol_microdata_codes(const sol_microdata *md, size_t col)
{
    return col < md->ncols ? md->cols[col].code : NULL;
}

size_t sol_microdata_nlevels(const sol_microdata *md, size_t col)
{
    return col < md->ncols ? md->cols[col].nlevels : 0;
}

const char *sol_microdata_level(const sol_microdata *md, size_t col, size_t level)
{
    if (col >= md->ncols || level >= md->cols[col].nlevels)
        return NULL;
    return md->cols[col].levels[level];
}

const char *sol_microdata_sha256(const sol_microdata *md)
{
    return md->sha256;
}

uint64_t sol_microdata_bytes(const sol_microdata *md)
{
    return md->bytes;
}

static sol_status grow_rows(sol_microdata *md)
{
    if (md->n < md->cap)
        return SOL_OK;
    if (md->cap >= SOL_MAX_MICRODATA_ROWS)
        return SOL_ELIMIT;
    size_t cap = md->cap ? md->cap * 2 : 4096;
    if (cap > SOL_MAX_MICRODATA_ROWS)
        cap = SOL_MAX_MICRODATA_ROWS;
    for (size_t j = 0; j < md->ncols; j++) {
        md_col *c = &md->cols[j];
        if (c->spec.kind == SOL_MD_NUMBER) {
            double *p = sol__realloc(c->num, cap * sizeof *p);
            if (p == NULL)
                return SOL_ENOMEM;
            c->num = p;
        } else {
            uint32_t *p = sol__realloc(c->code, cap * sizeof *p);
            if (p == NULL)
                return SOL_ENOMEM;
            c->code = p;
        }
    }
    md->cap = cap;
    return SOL_OK;
}

/* Level index of a code, adding it when new. */
static sol_status code_level(md_col *c, const char *s, size_t len, uint32_t *out)
{
    int64_t v;
    if (sol__strmap_get(c->levels_map, s, len, &v)) {
        *out = (uint32_t)v;
        return SOL_OK;
    }
    if (c->nlevels >= SOL_MAX_MICRODATA_LEVELS)
        return SOL_ELIMIT;
    if (c->nlevels == c->cap_levels) {
        size_t cap = c->cap_levels ? c->cap_levels * 2 : 64;
        char **p = sol__realloc(c->levels, cap * sizeof *p);
        if (p == NULL)
            return SOL_ENOMEM;
        c->levels = p;
        c->cap_levels = cap;
    }
    char *copy = sol__strndup(s, len);
    if (copy == NULL)
        return SOL_ENOMEM;
    if (sol__strmap_put(c->levels_map, s, len, (int64_t)c->nlevels) != SOL_OK) {
        sol__free(copy);
        return SOL_ENOMEM;
    }
    c->levels[c->nlevels] = copy;
    *out = (uint32_t)c->nlevels++;
    return SOL_OK;
}

static sol_status read_all(sol_csv *csv, const sol_md_column *cols, size_t ncols,
                           sol_microdata **out, sol_error *err)
{
    sol_status rc = SOL_ENOMEM;
    const char *name = sol_csv_name(csv);
    if (ncols == 0 || ncols > SOL_MAX_MICRODATA_COLS)
        return sol__err(err, SOL_EINVAL, "between 1 and %u microdata columns can be read",
                        SOL_MAX_MICRODATA_COLS);
    sol_microdata *md = sol__calloc(1, sizeof *md);
    if (md == NULL || (md->cols = sol__calloc(ncols, sizeof *md->cols)) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    md->ncols = ncols;
    for (size_t j = 0; j < ncols; j++) {
        md_col *c = &md->cols[j];
        c->spec = cols[j];
        if (cols[j].name == NULL) {
            rc = sol__err(err, SOL_EINVAL, "microdata column %zu has no name", j + 1);
            goto fail;
        }
        c->src = sol_csv_colindex(csv, cols[j].name);
        if (c->src < 0) {
            sol_buf hdr;
            sol__buf_init(&hdr, 2000);
            for (size_t i = 0; i < sol_csv_ncols(csv); i++)
                if (sol__buf_addf(&hdr, "%s%s", i ? "," : "", sol_csv_colname(csv, i)) != SOL_OK)
                    break;
            rc = sol__err_at(err, SOL_ENOTFOUND, name, 1, 0,
                             "no column '%s' (%s); the header has: %s", cols[j].name,
                             cols[j].what ? cols[j].what : "asked for", hdr.data ? hdr.data : "");
            sol__buf_free(&hdr);
            goto fail;
        }
        if (cols[j].kind == SOL_MD_CODE && (c->levels_map = sol__strmap_new(64)) == NULL) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto fail;
        }
    }
    for (;;) {
        rc = sol_csv_next(csv, err);
        if (rc == SOL_EOF)
            break;
        if (rc != SOL_OK)
            goto fail;
        if ((rc = grow_rows(md)) != SOL_OK) {
            rc = rc == SOL_ELIMIT ? sol__err_at(err, rc, name, sol_csv_line(csv), 0,
                                                "more than %u rows", SOL_MAX_MICRODATA_ROWS)
                                  : sol__err(err, rc, "out of memory");
            goto fail;
        }
        for (size_t j = 0; j < ncols; j++) {
            md_col *c = &md->cols[j];
            size_t len;
            const char *s = sol_csv_field(csv, (size_t)c->src, &len);
            const char *what = c->spec.what ? c->spec.what : c->spec.name;
            unsigned long line = sol_csv_line(csv), col = sol_csv_col(csv, (size_t)c->src);
            if (c->spec.kind == SOL_MD_CODE) {
                while (len && (*s == ' ' || *s == '\t')) {
                    s++;
                    len--;
                }
                while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
                    len--;
                if (len == 0 && !c->spec.allow_missing) {
                    rc = sol__err_at(err, SOL_EINVAL, name, line, col, "missing %s in column '%s'",
                                     what, c->spec.name);
                    goto fail;
                }
                if (len > SOL_MAX_CODE) {
                    rc = sol__err_at(err, SOL_ELIMIT, name, line, col, "%s longer than %u bytes",
                                     what, SOL_MAX_CODE);
                    goto fail;
                }
                if ((rc = code_level(c, s, len, &c->code[md->n])) != SOL_OK) {
                    rc = rc == SOL_ELIMIT
                             ? sol__err_at(err, rc, name, line, col, "more than %u distinct %s",
                                           SOL_MAX_MICRODATA_LEVELS, what)
                             : sol__err(err, rc, "out of memory");
                    goto fail;
                }
                continue;
            }
            double v;
            if (sol_is_missing(s, len)) {
                if (!c->spec.allow_missing) {
                    rc = sol__err_at(err, SOL_EINVAL, name, line, col, "missing %s in column '%s'",
                                     what, c->spec.name);
                    goto fail;
                }
                v = NAN;
            } else if (sol_parse_number(s, len, 0, &v) != SOL_OK) {
                rc = sol__err_at(err, SOL_ETYPE, name, line, col,
                                 "%s in column '%s' is not a number: '%.*s'", what, c->spec.name,
                                 (int)(len > 40 ? 40 : len), s);
                goto fail;
            } else if ((c->spec.nonnegative && v < 0) || (c->spec.positive && !(v > 0))) {
                rc = sol__err_at(err, SOL_EINVAL, name, line, col,
                                 "%s in column '%s' must be %s, got %.*s", what, c->spec.name,
                                 c->spec.positive ? "positive" : "zero or more",
                                 (int)(len > 40 ? 40 : len), s);
                goto fail;
            }
            c->num[md->n] = v;
        }
        md->n++;
    }
    sol_csv_sha256_hex(csv, md->sha256);
    md->bytes = sol_csv_bytes(csv);
    *out = md;
    return SOL_OK;
fail:
    sol_microdata_free(md);
    return rc;
}

sol_status sol_microdata_read(const char *path, const sol_md_column *cols, size_t ncols,
                              sol_microdata **out, sol_error *err)
{
    sol_csv *csv = NULL;
    sol_status rc = sol_csv_open(path, NULL, &csv, err);
    if (rc != SOL_OK)
        return rc;
    rc = read_all(csv, cols, ncols, out, err);
    sol_csv_close(csv);
    return rc;
}

sol_status sol_microdata_read_mem(const char *data, size_t len, const char *name,
                                  const sol_md_column *cols, size_t ncols, sol_microdata **out,
                                  sol_error *err)
{
    sol_csv *csv = NULL;
    sol_status rc = sol_csv_open_mem(data, len, name, NULL, &csv, err);
    if (rc != SOL_OK)
        return rc;
    rc = read_all(csv, cols, ncols, out, err);
    sol_csv_close(csv);
    return rc;
}
