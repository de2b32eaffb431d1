/* table.c - a CSV file held in memory as text cells with their line and column, so the methods of
 * evaluate/ and decide/ can parse numbers where they need them and name file:line:col on error. */
#include <solidata/evaluate.h>

#include <solidata/csv.h>

#include "core/core.h"

#include <stdint.h>
#include <string.h>

#define NO_CELL SIZE_MAX

struct sol_dtable {
    char *name;
    char sha[65];
    size_t nrow, ncol, cap_rows;
    char **names;
    sol_buf text;        /* every cell's bytes, each NUL-terminated */
    size_t *off;         /* nrow * ncol offsets into text, NO_CELL when missing */
    uint32_t *col;       /* nrow * ncol starting columns */
    unsigned long *line; /* nrow physical lines */
    int comma_decimal;
};

void sol_dtable_free(sol_dtable *t)
{
    if (t == NULL)
        return;
    for (size_t j = 0; j < t->ncol; j++)
        sol__free(t->names ? t->names[j] : NULL);
    sol__free(t->names);
    sol__free(t->name);
    sol__buf_free(&t->text);
    sol__free_n(4, t->off, t->col, t->line, t);
}

static sol_status grow_rows(sol_dtable *t)
{
    if (t->nrow < t->cap_rows)
        return SOL_OK;
    size_t cap = t->cap_rows ? t->cap_rows * 2 : 256;
    size_t *off = sol__realloc(t->off, cap * t->ncol * sizeof *off);
    if (off == NULL)
        return SOL_ENOMEM;
    t->off = off;
    uint32_t *col = sol__realloc(t->col, cap * t->ncol * sizeof *col);
    if (col == NULL)
        return SOL_ENOMEM;
    t->col = col;
    unsigned long *line = sol__realloc(t->line, cap * sizeof *line);
    if (line == NULL)
        return SOL_ENOMEM;
    t->line = line;
    t->cap_rows = cap;
    return SOL_OK;
}

static sol_status fill(sol_csv *c, sol_dtable **out, sol_error *err)
{
    sol_status rc = SOL_ENOMEM;
    sol_dtable *t = sol__calloc(1, sizeof *t);
    if (t == NULL)
        goto fail;
    sol__buf_init(&t->text, (size_t)SOL_MAX_EVAL_BYTES);
    t->name = sol__strdup(sol_csv_name(c));
    t->ncol = sol_csv_ncols(c);
    t->names = sol__calloc(t->ncol ? t->ncol : 1, sizeof *t->names);
    if (t->name == NULL || t->names == NULL)
        goto fail;
    for (size_t j = 0; j < t->ncol; j++)
        if ((t->names[j] = sol__strdup(sol_csv_colname(c, j))) == NULL)
            goto fail;
    t->comma_decimal = sol_csv_delimiter(c) == ';';
    while ((rc = sol_csv_next(c, err)) == SOL_OK) {
        if (t->nrow >= SOL_MAX_EVAL_ROWS) {
            rc = sol__err_at(err, SOL_ELIMIT, t->name, sol_csv_line(c), 0, "more than %u rows",
                             SOL_MAX_EVAL_ROWS);
            goto fail;
        }
        if ((rc = grow_rows(t)) != SOL_OK)
            goto fail;
        size_t r = t->nrow;
        t->line[r] = sol_csv_line(c);
        for (size_t j = 0; j < t->ncol; j++) {
            size_t len = 0;
            const char *f = sol_csv_field(c, j, &len);
            unsigned long cj = sol_csv_col(c, j);
            t->col[r * t->ncol + j] = cj > UINT32_MAX ? UINT32_MAX : (uint32_t)cj;
            if (sol__is_missing(f, len)) {
                t->off[r * t->ncol + j] = NO_CELL;
                continue;
            }
            t->off[r * t->ncol + j] = t->text.len;
            if ((rc = sol__buf_add(&t->text, f, len)) != SOL_OK ||
                (rc = sol__buf_addc(&t->text, '\0')) != SOL_OK) {
                if (rc == SOL_ELIMIT)
                    sol__err_at(err, rc, t->name, t->line[r], cj,
                                "the file's text passes the %llu-byte limit",
                                (unsigned long long)SOL_MAX_EVAL_BYTES);
                goto fail;
            }
        }
        t->nrow++;
    }
    if (rc != SOL_EOF)
        goto fail;
    sol_csv_sha256_hex(c, t->sha);
    *out = t;
    return SOL_OK;
fail:
    if (rc == SOL_ENOMEM)
        sol__err(err, rc, "out of memory reading %s", sol_csv_name(c));
    sol_dtable_free(t);
    return rc;
}

sol_status sol_dtable_read(const char *path, sol_dtable **out, sol_error *err)
{
    sol_csv *c = NULL;
    sol_status rc = sol_csv_open(path, NULL, &c, err);
    if (rc != SOL_OK)
        return rc;
    rc = fill(c, out, err);
    sol_csv_close(c);
    return rc;
}

sol_status sol_dtable_read_mem(const char *data, size_t len, const char *name, sol_dtable **out,
                               sol_error *err)
{
    sol_csv *c = NULL;
    sol_status rc = sol_csv_open_mem(data, len, name, NULL, &c, err);
    if (rc != SOL_OK)
        return rc;
    rc = fill(c, out, err);
    sol_csv_close(c);
    return rc;
}

size_t sol_dtable_nrows(const sol_dtable *t)
{
    return t->nrow;
}

size_t sol_dtable_ncols(const sol_dtable *t)
{
    return t->ncol;
}

long sol_dtable_col(const sol_dtable *t, const char *name)
{
    for (size_t j = 0; j < t->ncol; j++)
        if (strcmp(t->names[j], name) == 0)
            return (long)j;
    return -1;
}

const char *sol_dtable_cell(const sol_dtable *t, size_t row, size_t col)
{
    size_t o = t->off[row * t->ncol + col];
    return o == NO_CELL ? NULL : t->text.data + o;
}

sol_status sol_dtable_number(const sol_dtable *t, size_t row, size_t col, double *out,
                             sol_error *err)
{
    const char *s = sol_dtable_cell(t, row, col);
    if (s == NULL)
        return SOL_EOF;
    if (sol__parse_double(s, strlen(s), t->comma_decimal, out) != SOL_OK)
        return sol__err_at(err, SOL_ETYPE, t->name, t->line[row], t->col[row * t->ncol + col],
                           "'%s' in column '%s' is not a number", s, t->names[col]);
    return SOL_OK;
}

const char *sol_dtable_name(const sol_dtable *t)
{
    return t->name;
}

const char *sol_dtable_sha256(const sol_dtable *t)
{
    return t->sha;
}

unsigned long sol_dtable_line(const sol_dtable *t, size_t row)
{
    return t->line[row];
}
unsigned long sol_dtable_colpos(const sol_dtable *t, size_t row, size_t col)
{
    return t->col[row * t->ncol + col];
}

const char *sol_dtable_colname(const sol_dtable *t, size_t col)
{
    return t->names[col];
}
