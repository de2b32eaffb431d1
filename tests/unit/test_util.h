/* test_util.h - what several unit-test files share besides the harness: paths in the test
 * directory ($SOL_TEST_TMP, else /tmp), output collected as text, and a small in-memory table read
 * with the library's CSV reader (the reference values of tests/data). Functions are static inline:
 * a file uses some. */
#ifndef SOL_TEST_UTIL_H
#define SOL_TEST_UTIL_H

#include <solidata/csv.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* $SOL_TEST_TMP/name (else /tmp/name), in one of four rotating static buffers: valid until the
 * fourth call after. */
static inline char *test_tmp_path(const char *name)
{
    static char buf[4][512];
    static int k;
    const char *dir = getenv("SOL_TEST_TMP");
    char *p = buf[k++ % 4];
    snprintf(p, 512, "%s/%s", dir ? dir : "/tmp", name);
    return p;
}

/* The same, with any file left there by an earlier run removed. */
static inline char *test_tmp_fresh(const char *name)
{
    char *p = test_tmp_path(name);
    unlink(p);
    return p;
}

/* A writer callback's output collected as text (sol_write_fn): at most 16383 bytes, then SOL_EIO.
 */
typedef struct test_text {
    char buf[16384];
    size_t len;
} test_text;

static inline sol_status test_text_write(void *ud, const void *b, size_t n)
{
    test_text *t = ud;
    if (t->len + n >= sizeof t->buf)
        return SOL_EIO;
    memcpy(t->buf + t->len, b, n);
    t->len += n;
    t->buf[t->len] = '\0';
    return SOL_OK;
}

/* A CSV file as text cells: nr rows of nc cells, the header's names in head. */
typedef struct test_table {
    size_t nr, nc;
    char **cell; /* nr * nc */
    char **head;
} test_table;

/* The whole file, or NULL when it cannot be opened. Free with test_table_free. */
static inline test_table *test_table_load(const char *path)
{
    sol_csv *c = NULL;
    if (sol_csv_open(path, NULL, &c, NULL) != SOL_OK)
        return NULL;
    test_table *t = calloc(1, sizeof *t);
    t->nc = sol_csv_ncols(c);
    t->head = calloc(t->nc, sizeof *t->head);
    for (size_t j = 0; j < t->nc; j++)
        t->head[j] = strdup(sol_csv_colname(c, j));
    size_t cap = 0;
    while (sol_csv_next(c, NULL) == SOL_OK) {
        if (t->nr == cap) {
            cap = cap ? 2 * cap : 64;
            t->cell = realloc(t->cell, cap * t->nc * sizeof *t->cell);
        }
        for (size_t j = 0; j < t->nc; j++)
            t->cell[t->nr * t->nc + j] = strdup(sol_csv_field(c, j, NULL));
        t->nr++;
    }
    sol_csv_close(c);
    return t;
}

static inline void test_table_free(test_table *t)
{
    if (t == NULL)
        return;
    for (size_t k = 0; k < t->nr * t->nc; k++)
        free(t->cell[k]);
    for (size_t j = 0; j < t->nc; j++)
        free(t->head[j]);
    free(t->cell);
    free(t->head);
    free(t);
}

/* The index of the column `name`, or -1. */
static inline long test_table_col(const test_table *t, const char *name)
{
    for (size_t j = 0; j < t->nc; j++)
        if (strcmp(t->head[j], name) == 0)
            return (long)j;
    return -1;
}

/* Row r's cell of column `name`, or NULL when there is no such column. */
static inline const char *test_table_str(const test_table *t, size_t r, const char *name)
{
    long j = test_table_col(t, name);
    return j < 0 ? NULL : t->cell[r * t->nc + (size_t)j];
}

/* Row r's number in column `name`: NaN when there is no such column or the cell is missing
 * (empty, NA, NaN, ...: sol_is_missing). */
static inline double test_table_num(const test_table *t, size_t r, const char *name)
{
    const char *s = test_table_str(t, r, name);
    if (s == NULL || sol_is_missing(s, strlen(s)))
        return NAN;
    return strtod(s, NULL);
}

#endif
