/* tabulate.c - one- and two-way tables of counts (or weighted sums) streamed from microdata,
 * with margins, optional differential-privacy noise and cell suppression before publication. */
#include <solidata/privacy.h>

#include "privacy_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct cellmap {
    uint64_t *keys; /* (row + 1) << 32 | col; 0 = empty */
    size_t *idx;
    size_t cap, n;
} cellmap;

struct sol_tab {
    sol_tab_opts o;
    char *row_field, *col_field, *weight_field, *seed;
    sol_strmap *rmap, *cmap;
    char **rlab, **clab; /* in order of first appearance, then sorted at protect */
    size_t nr, nc, cap_r, cap_c;
    cellmap cells;
    uint64_t *ccount; /* per sparse cell */
    double *csum;
    size_t cap_cells;
    uint64_t records;
    char sha[65];
    /* dense, after protect: (R+1) x (C'+1) with C' = nc (or 0: one-way) */
    size_t R, C;
    uint64_t *n;
    double *v;
    unsigned char *flags;
    size_t primary, secondary;
    int protected_;
};

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

static sol_status cell_grow(cellmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    uint64_t *k = sol__calloc(cap, sizeof *k);
    size_t *ix = sol__malloc(cap * sizeof *ix);
    if (k == NULL || ix == NULL) {
        sol__free(k);
        sol__free(ix);
        return SOL_ENOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i] == 0)
            continue;
        size_t j = (size_t)mix(m->keys[i]) & (cap - 1);
        while (k[j])
            j = (j + 1) & (cap - 1);
        k[j] = m->keys[i];
        ix[j] = m->idx[i];
    }
    sol__free(m->keys);
    sol__free(m->idx);
    m->keys = k;
    m->idx = ix;
    m->cap = cap;
    return SOL_OK;
}

/* Index of the sparse cell (r, c), creating it when new (*fresh 1). */
static sol_status cell_find(sol_tab *t, size_t r, size_t c, size_t *out)
{
    cellmap *m = &t->cells;
    if ((m->n + 1) * 2 > m->cap && cell_grow(m) != SOL_OK)
        return SOL_ENOMEM;
    uint64_t key = ((uint64_t)(r + 1) << 32) | (uint64_t)c;
    size_t j = (size_t)mix(key) & (m->cap - 1);
    while (m->keys[j]) {
        if (m->keys[j] == key) {
            *out = m->idx[j];
            return SOL_OK;
        }
        j = (j + 1) & (m->cap - 1);
    }
    if (m->n == t->cap_cells) {
        size_t cap = t->cap_cells ? t->cap_cells * 2 : 1024;
        uint64_t *cc = sol__realloc(t->ccount, cap * sizeof *cc);
        if (cc == NULL)
            return SOL_ENOMEM;
        t->ccount = cc;
        double *cs = sol__realloc(t->csum, cap * sizeof *cs);
        if (cs == NULL)
            return SOL_ENOMEM;
        t->csum = cs;
        t->cap_cells = cap;
    }
    m->keys[j] = key;
    m->idx[j] = m->n;
    t->ccount[m->n] = 0;
    t->csum[m->n] = 0;
    *out = m->n++;
    return SOL_OK;
}

/* Category index of label s in map/labels, adding it when new. */
static sol_status category(sol_strmap *map, char ***lab, size_t *n, size_t *cap, size_t max,
                           const char *s, size_t len, size_t *out)
{
    int64_t v;
    if (sol__strmap_get(map, s, len, &v)) {
        *out = (size_t)v;
        return SOL_OK;
    }
    if (*n >= max)
        return SOL_ELIMIT;
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        char **l = sol__realloc(*lab, nc * sizeof *l);
        if (l == NULL)
            return SOL_ENOMEM;
        *lab = l;
        *cap = nc;
    }
    if (((*lab)[*n] = sol__strndup(s, len)) == NULL ||
        sol__strmap_put(map, s, len, (int64_t)*n) != SOL_OK)
        return SOL_ENOMEM;
    *out = (*n)++;
    return SOL_OK;
}

void sol_tab_free(sol_tab *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->nr; i++)
        sol__free(t->rlab[i]);
    for (size_t i = 0; i < t->nc; i++)
        sol__free(t->clab[i]);
    sol__free(t->rlab);
    sol__free(t->clab);
    sol__strmap_free(t->rmap);
    sol__strmap_free(t->cmap);
    sol__free_n(12, t->cells.keys, t->cells.idx, t->ccount, t->csum, t->n, t->v, t->flags,
                t->row_field, t->col_field, t->weight_field, t->seed, t);
}

static char *dup_or_null(const char *s, int *bad)
{
    if (s == NULL)
        return NULL;
    char *d = sol__strdup(s);
    if (d == NULL)
        *bad = 1;
    return d;
}

/* A table with its options and the public lists' categories, before any record. */
static sol_status tab_start(const sol_tab_opts *o, sol_tab **out, sol_error *err)
{
    long ci = o->col_field ? 0 : -2;
    sol_status rc = SOL_ENOMEM;
    sol_tab *t = sol__calloc(1, sizeof *t);
    if (t == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    int bad = 0;
    t->o = *o;
    t->o.row_field = t->row_field = dup_or_null(o->row_field, &bad);
    t->o.col_field = t->col_field = dup_or_null(o->col_field, &bad);
    t->o.weight_field = t->weight_field = dup_or_null(o->weight_field, &bad);
    t->o.seed = t->seed = dup_or_null(o->seed, &bad);
    if (bad || (t->rmap = sol__strmap_new(1024)) == NULL || (t->cmap = sol__strmap_new(64)) == NULL)
        goto nomem;
    /* the public lists first: their categories exist whatever the data hold */
    for (int side = 0; side < 2; side++) {
        const char *const *list = side ? o->col_categories : o->row_categories;
        size_t nl = side ? o->n_col_categories : o->n_row_categories;
        if (side && ci < 0)
            break;
        for (size_t i = 0; list && i < nl; i++) {
            size_t len = strlen(list[i]), idx;
            int64_t v;
            if ((len == 6 && memcmp(list[i], "_total", 6) == 0) ||
                sol__strmap_get(side ? t->cmap : t->rmap, list[i], len, &v)) {
                const char *field = side ? o->col_field : o->row_field;
                if (len == 6 && memcmp(list[i], "_total", 6) == 0)
                    rc = sol__err(err, SOL_EPARSE,
                                  "the public list of '%s' categories names '%s', which is "
                                  "reserved for the margins",
                                  field, list[i]);
                else
                    rc = sol__err(err, SOL_EPARSE,
                                  "the public list of '%s' categories names '%s' twice", field,
                                  list[i]);
                goto fail;
            }
            rc = side ? category(t->cmap, &t->clab, &t->nc, &t->cap_c, SOL_MAX_TAB_COLS, list[i],
                                 len, &idx)
                      : category(t->rmap, &t->rlab, &t->nr, &t->cap_r, SOL_MAX_TAB_ROWS, list[i],
                                 len, &idx);
            if (rc == SOL_ELIMIT) {
                rc = sol__err(
                    err, SOL_ELIMIT, "the public list of '%s' has more than %u categories",
                    side ? o->col_field : o->row_field, side ? SOL_MAX_TAB_COLS : SOL_MAX_TAB_ROWS);
                goto fail;
            }
            if (rc != SOL_OK)
                goto nomem;
        }
    }
    *out = t;
    return SOL_OK;
nomem:
    rc = sol__err(err, SOL_ENOMEM, "out of memory");
fail:
    sol_tab_free(t);
    return rc;
}

sol_status sol_tab_new(sol_csv *in, const sol_tab_opts *o, sol_tab **out, sol_error *err)
{
    const char *file = sol_csv_name(in);
    if (o == NULL || o->row_field == NULL)
        return sol__err(err, SOL_EINVAL, "no row field given (--rows)");
    if (o->min_cell < 1)
        return sol__err(err, SOL_EINVAL, "the minimum cell size must be at least 1 (--min-cell)");
    long ri = sol_csv_colindex(in, o->row_field);
    long ci = o->col_field ? sol_csv_colindex(in, o->col_field) : -2;
    long wi = o->weight_field ? sol_csv_colindex(in, o->weight_field) : -2;
    const char *missing = ri == -1 ? o->row_field : ci == -1 ? o->col_field : o->weight_field;
    const char *flag = ri == -1 ? "--rows" : ci == -1 ? "--cols" : "--weight";
    if (ri == -1 || ci == -1 || wi == -1)
        return sol__err_at(err, SOL_ENOTFOUND, file, 1, 0,
                           "no column named '%s' in the header (%s)", missing, flag);
    sol_tab *t = NULL;
    sol_status rc = tab_start(o, &t, err);
    if (rc != SOL_OK)
        return rc;
    while ((rc = sol_csv_next(in, err)) == SOL_OK) {
        size_t len;
        const char *f = sol_csv_field(in, (size_t)ri, &len);
        size_t r, c = 0; /* one-way tables keep every record in column 0 */
        long which = ri;
        if (len == 6 && memcmp(f, "_total", 6) == 0)
            goto total_label;
        if (o->row_categories && !sol__strmap_get(t->rmap, f, len, &(int64_t){0}))
            goto not_listed;
        rc = category(t->rmap, &t->rlab, &t->nr, &t->cap_r, SOL_MAX_TAB_ROWS, f, len, &r);
        if (rc == SOL_ELIMIT) {
            rc = sol__err_at(err, SOL_ELIMIT, file, sol_csv_line(in), sol_csv_col(in, (size_t)ri),
                             "more than %u categories in '%s'", SOL_MAX_TAB_ROWS, o->row_field);
            goto fail;
        }
        if (rc != SOL_OK)
            goto nomem;
        if (ci >= 0) {
            which = ci;
            f = sol_csv_field(in, (size_t)ci, &len);
            if (len == 6 && memcmp(f, "_total", 6) == 0)
                goto total_label;
            if (o->col_categories && !sol__strmap_get(t->cmap, f, len, &(int64_t){0}))
                goto not_listed;
            rc = category(t->cmap, &t->clab, &t->nc, &t->cap_c, SOL_MAX_TAB_COLS, f, len, &c);
            if (rc == SOL_ELIMIT) {
                rc = sol__err_at(err, SOL_ELIMIT, file, sol_csv_line(in),
                                 sol_csv_col(in, (size_t)ci), "more than %u categories in '%s'",
                                 SOL_MAX_TAB_COLS, o->col_field);
                goto fail;
            }
            if (rc != SOL_OK)
                goto nomem;
        }
        double w = 1;
        if (wi >= 0) {
            f = sol_csv_field(in, (size_t)wi, &len);
            if (sol_parse_number(f, len, 0, &w) != SOL_OK || w < 0) {
                rc =
                    sol__err_at(err, SOL_ETYPE, file, sol_csv_line(in), sol_csv_col(in, (size_t)wi),
                                "weight '%.*s' is not a number >= 0 (column '%s')",
                                (int)(len > 40 ? 40 : len), f, o->weight_field);
                goto fail;
            }
        }
        size_t k;
        if (cell_find(t, r, c, &k) != SOL_OK)
            goto nomem;
        if (t->cells.n > SOL_MAX_TAB_CELLS) {
            rc = sol__err_at(err, SOL_ELIMIT, file, sol_csv_line(in), 0,
                             "more than %u non-empty cells", SOL_MAX_TAB_CELLS);
            goto fail;
        }
        t->ccount[k]++;
        t->csum[k] += w;
        t->records++;
        continue;
    total_label:
        rc = sol__err_at(err, SOL_EPARSE, file, sol_csv_line(in), sol_csv_col(in, (size_t)which),
                         "the category '_total' is reserved for the margins; rename it");
        goto fail;
    not_listed:
        rc = sol__err_at(err, SOL_EPARSE, file, sol_csv_line(in), sol_csv_col(in, (size_t)which),
                         "category '%.*s' of '%s' is not in the public list of categories: a "
                         "release may only use categories known without the data; add it to "
                         "the list if it is public, or recode the record",
                         (int)(len > 60 ? 60 : len), f, which == ri ? o->row_field : o->col_field);
        goto fail;
    }
    if (rc != SOL_EOF)
        goto fail;
    sol_csv_sha256_hex(in, t->sha);
    *out = t;
    return SOL_OK;
nomem:
    rc = sol__err(err, SOL_ENOMEM, "out of memory");
fail:
    sol_tab_free(t);
    return rc;
}

/* One category of a cell counted elsewhere: its index, or an error naming it. */
static sol_status cell_category(sol_tab *t, int side, const char *s, size_t *idx, sol_error *err)
{
    const char *field = side ? t->o.col_field : t->o.row_field;
    size_t len = strlen(s);
    if (len == 6 && memcmp(s, "_total", 6) == 0)
        return sol__err(err, SOL_EPARSE,
                        "the category '_total' of '%s' is reserved for the margins; rename it",
                        field);
    if ((side ? t->o.col_categories : t->o.row_categories) &&
        !sol__strmap_get(side ? t->cmap : t->rmap, s, len, &(int64_t){0}))
        return sol__err(err, SOL_EPARSE,
                        "category '%.60s' of '%s' is not in the public list of categories: a "
                        "release may only use categories known without the data; add it to the "
                        "list if it is public, or recode the records",
                        s, field);
    sol_status rc =
        side ? category(t->cmap, &t->clab, &t->nc, &t->cap_c, SOL_MAX_TAB_COLS, s, len, idx)
             : category(t->rmap, &t->rlab, &t->nr, &t->cap_r, SOL_MAX_TAB_ROWS, s, len, idx);
    if (rc == SOL_ELIMIT)
        return sol__err(err, SOL_ELIMIT, "more than %u categories in '%s'",
                        side ? SOL_MAX_TAB_COLS : SOL_MAX_TAB_ROWS, field);
    return rc == SOL_OK ? SOL_OK : sol__err(err, SOL_ENOMEM, "out of memory");
}

sol_status sol_tab_new_cells(const sol_tab_opts *o, const sol_tab_cell *cells, size_t n,
                             const char *digest, sol_tab **out, sol_error *err)
{
    if (o == NULL || o->row_field == NULL)
        return sol__err(err, SOL_EINVAL, "no row field given (--rows)");
    if (o->min_cell < 1)
        return sol__err(err, SOL_EINVAL, "the minimum cell size must be at least 1 (--min-cell)");
    sol_tab *t = NULL;
    sol_status rc = tab_start(o, &t, err);
    for (size_t i = 0; rc == SOL_OK && i < n; i++) {
        size_t r, c = 0, k;
        if ((rc = cell_category(t, 0, cells[i].row, &r, err)) != SOL_OK ||
            (o->col_field && (rc = cell_category(t, 1, cells[i].col, &c, err)) != SOL_OK))
            break;
        if (cell_find(t, r, c, &k) != SOL_OK) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            break;
        }
        if (t->cells.n > SOL_MAX_TAB_CELLS) {
            rc = sol__err(err, SOL_ELIMIT, "more than %u non-empty cells", SOL_MAX_TAB_CELLS);
            break;
        }
        t->ccount[k] += cells[i].n;
        t->csum[k] += cells[i].sum;
        t->records += cells[i].n;
    }
    if (rc != SOL_OK) {
        sol_tab_free(t);
        return rc;
    }
    snprintf(t->sha, sizeof t->sha, "%s", digest ? digest : "");
    *out = t;
    return SOL_OK;
}

static int cmp_label(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort labels; rank[i] = sorted position of the label first seen i-th. */
static sol_status sort_labels(char **lab, size_t n, size_t **rank)
{
    char **copy = sol__malloc((n + 1) * sizeof *copy);
    size_t *rk = sol__malloc((n + 1) * sizeof *rk);
    sol_strmap *m = sol__strmap_new(n);
    if (copy == NULL || rk == NULL || m == NULL) {
        sol__free(copy);
        sol__free(rk);
        sol__strmap_free(m);
        return SOL_ENOMEM;
    }
    memcpy(copy, lab, n * sizeof *copy);
    qsort(copy, n, sizeof *copy, cmp_label);
    sol_status rc = SOL_OK;
    for (size_t i = 0; i < n && rc == SOL_OK; i++)
        rc = sol__strmap_put(m, copy[i], strlen(copy[i]), (int64_t)i);
    for (size_t i = 0; i < n && rc == SOL_OK; i++) {
        int64_t v = 0;
        sol__strmap_get(m, lab[i], strlen(lab[i]), &v);
        rk[i] = (size_t)v;
    }
    if (rc == SOL_OK)
        memcpy(lab, copy, n * sizeof *copy);
    sol__free(copy);
    sol__strmap_free(m);
    if (rc != SOL_OK) {
        sol__free(rk);
        return rc;
    }
    *rank = rk;
    return SOL_OK;
}

sol_status sol_tab_protect(sol_tab *t, sol_error *err)
{
    if (t->protected_)
        return sol__err(err, SOL_EINVAL, "the table is already protected");
    if (t->o.dp != SOL_DP_NONE && t->o.weight_field)
        return sol__err(err, SOL_EINVAL,
                        "differential privacy is for counts: a weighted sum has no bounded "
                        "sensitivity; drop --weight or the DP options");
    if (t->nr == 0)
        return sol__err(err, SOL_EINVAL, "no records to tabulate");
    sol_status rc = SOL_ENOMEM;
    size_t *rr = NULL, *cr = NULL;
    sol_rng *rng = NULL;
    size_t R = t->nr, C = t->col_field ? t->nc : 0, W = C + 1;
    size_t E = (R + 1) * W;
    if (E > SOL_MAX_TAB_CELLS || E / W != R + 1)
        return sol__err(err, SOL_ELIMIT, "a table of %zu x %zu entries exceeds %u", R + 1, W,
                        SOL_MAX_TAB_CELLS);
    if (sort_labels(t->rlab, t->nr, &rr) != SOL_OK ||
        (t->col_field && sort_labels(t->clab, t->nc, &cr) != SOL_OK) ||
        (t->n = sol__calloc(E, sizeof *t->n)) == NULL ||
        (t->v = sol__calloc(E, sizeof *t->v)) == NULL || (t->flags = sol__calloc(E, 1)) == NULL)
        goto nomem;
    /* inner cells; a one-way table keeps them in column 0 and its total in column 0 of row R */
    for (size_t j = 0; j < t->cells.cap; j++) {
        uint64_t key = t->cells.keys[j];
        if (key == 0)
            continue;
        size_t r = rr[(key >> 32) - 1], c = C ? cr[key & 0xffffffffu] : 0;
        size_t i = t->cells.idx[j];
        t->n[r * W + c] = t->ccount[i];
        t->v[r * W + c] = t->o.weight_field ? t->csum[i] : (double)t->ccount[i];
    }
    if (t->o.dp != SOL_DP_NONE) {
        uint64_t gnum = 0, gden = 1;
        if (t->o.dp == SOL_DP_GAUSSIAN &&
            (rc = sol_dp_gaussian_sigma2(t->o.eps_nano, t->o.delta, &gnum, &gden, err)) != SOL_OK)
            goto fail;
        if ((rc = sol_rng_new(t->seed, &rng, err)) != SOL_OK)
            goto fail;
        /* epsilon = s/t exactly: s = eps_nano / g, t = 1e9 / g */
        uint64_t s = (uint64_t)t->o.eps_nano, q = 1000000000u;
        uint64_t a = s, b = q;
        while (b) {
            uint64_t tmp = a % b;
            a = b;
            b = tmp;
        }
        s /= a;
        q /= a;
        for (size_t r = 0; r < R; r++) {
            for (size_t c = 0; c < (C ? C : 1); c++) {
                size_t i = r * W + c;
                int64_t z = t->o.dp == SOL_DP_LAPLACE ? sol_dp_discrete_laplace(rng, s, q)
                                                      : sol_dp_discrete_gaussian(rng, gnum, gden);
                int64_t noisy = (int64_t)t->n[i] + z;
                t->n[i] = noisy > 0 ? (uint64_t)noisy : 0; /* post-processing: no negatives */
                t->v[i] = (double)t->n[i];
            }
        }
    }
    /* margins: sums of the (possibly noisy) inner cells, so the table adds up */
    size_t inner_c = C ? C : 1;
    for (size_t r = 0; r < R; r++) {
        for (size_t c = 0; c < inner_c; c++) {
            size_t i = r * W + c;
            if (C) {
                t->n[r * W + C] += t->n[i];
                t->v[r * W + C] += t->v[i];
                t->n[R * W + c] += t->n[i];
                t->v[R * W + c] += t->v[i];
            }
            t->n[R * W + (C ? C : 0)] += t->n[i];
            t->v[R * W + (C ? C : 0)] += t->v[i];
        }
    }
    t->R = R;
    t->C = C;
    if ((rc = sol_privacy_suppress(R, C, t->n, t->o.min_cell, t->flags, &t->primary, &t->secondary,
                                   err)) != SOL_OK)
        goto fail;
    t->protected_ = 1;
    sol__free(rr);
    sol__free(cr);
    sol_rng_free(rng);
    return SOL_OK;
nomem:
    rc = sol__err(err, SOL_ENOMEM, "out of memory");
fail:
    sol__free(rr);
    sol__free(cr);
    sol_rng_free(rng);
    return rc;
}

void sol_tab_entry(const sol_tab *t, size_t r, size_t c, double *value, uint64_t *n, int *flag)
{
    size_t i = r * (t->C + 1) + c;
    int f = t->flags[i];
    if (value)
        *value = f == SOL_CELL_PUBLISHED ? t->v[i] : NAN;
    if (n)
        *n = t->n[i];
    if (flag)
        *flag = f;
}

const char *sol_tab_row_label(const sol_tab *t, size_t r)
{
    return r < t->nr ? t->rlab[r] : "_total";
}

const char *sol_tab_col_label(const sol_tab *t, size_t c)
{
    return t->col_field && c < t->nc ? t->clab[c] : "_total";
}

void sol_tab_get_stats(const sol_tab *t, sol_tab_stats *s)
{
    memset(s, 0, sizeof *s);
    s->records = t->records;
    s->nrows = t->nr;
    s->ncols = t->col_field ? t->nc : 0;
    s->cells = t->protected_ ? (t->R + 1) * (t->C + 1) : 0;
    s->primary = t->primary;
    s->secondary = t->secondary;
    memcpy(s->input_sha256, t->sha, sizeof s->input_sha256);
}

sol_status sol_tab_write_csv(const sol_tab *t, sol_write_fn out, void *ud, sol_error *err)
{
    if (!t->protected_)
        return sol__err(err, SOL_EINVAL, "tables are written only after sol_tab_protect");
    sol__wbuf *w = sol__malloc(sizeof *w);
    if (w == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol__wbuf_init(w, out, ud);
    sol__wbuf_put(w, "row,col,count,flag\n", 19);
    for (size_t r = 0; r <= t->R; r++) {
        for (size_t c = 0; c <= t->C; c++) {
            const char *rl = sol_tab_row_label(t, r), *cl = sol_tab_col_label(t, c);
            sol__wbuf_field(w, rl, strlen(rl), 0);
            sol__wbuf_field(w, cl, strlen(cl), 0);
            size_t i = r * (t->C + 1) + c;
            if (t->flags[i] != SOL_CELL_PUBLISHED) {
                sol__wbuf_put(w, ",suppressed\n", 12);
                continue;
            }
            char num[40];
            int k = t->o.weight_field && t->o.dp == SOL_DP_NONE
                        ? snprintf(num, sizeof num, "%.17g", t->v[i])
                        : snprintf(num, sizeof num, "%llu", (unsigned long long)t->n[i]);
            sol__wbuf_put(w, num, (size_t)k);
            sol__wbuf_put(w, ",\n", 2);
        }
    }
    sol_status rc = sol__wbuf_flush(w, err);
    sol__free(w);
    return rc;
}
