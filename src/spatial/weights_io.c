/* weights_io.c - spatial weights to and from files: edge-list CSV (from_id,to_id,weight) and GAL.
 * The edges of the spatial module; the statistics themselves never touch files. */
#include <solidata/spatial.h>

#include <solidata/csv.h>

#include "core/core.h"
#include "spatial/spatial_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static sol_status close_checked(FILE *f, const char *path, sol_error *err)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return sol__err_at(err, SOL_EIO, path, 0, 0, "write failed: %s", strerror(errno));
    return SOL_OK;
}

sol_status sol_spatial_weights_write_csv(const sol_weights *w, const char *path, sol_error *err)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return sol__err_at(err, SOL_EIO, path, 0, 0, "cannot create: %s", strerror(errno));
    fputs("from_id,to_id,weight\n", f);
    for (size_t i = 0; i < w->n; i++) {
        if (w->rowptr[i] == w->rowptr[i + 1]) {
            put_field(f, w->ids[i]);
            fputs(",,\n", f);
        }
        for (size_t e = w->rowptr[i]; e < w->rowptr[i + 1]; e++) {
            put_field(f, w->ids[i]);
            fputc(',', f);
            put_field(f, w->ids[w->col[e]]);
            fprintf(f, ",%.17g\n", w->w[e]);
        }
    }
    return close_checked(f, path, err);
}

sol_status sol_spatial_weights_write_gal(const sol_weights *w, const char *path, sol_error *err)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return sol__err_at(err, SOL_EIO, path, 0, 0, "cannot create: %s", strerror(errno));
    fprintf(f, "0 %zu\n", w->n);
    for (size_t i = 0; i < w->n; i++) {
        fprintf(f, "%s %zu\n", w->ids[i], w->rowptr[i + 1] - w->rowptr[i]);
        for (size_t e = w->rowptr[i]; e < w->rowptr[i + 1]; e++)
            fprintf(f, "%s%s", e > w->rowptr[i] ? " " : "", w->ids[w->col[e]]);
        fputc('\n', f);
    }
    return close_checked(f, path, err);
}

typedef struct edge {
    size_t i, j;
    double w;
    unsigned long line;
} edge;

static int cmp_edge(const void *a, const void *b)
{
    const edge *p = a, *q = b;
    if (p->i != q->i)
        return (p->i > q->i) - (p->i < q->i);
    return (p->j > q->j) - (p->j < q->j);
}

typedef struct idtab {
    sol_strmap *map;
    char **ids;
    size_t n, cap;
    int fixed;
} idtab;

static sol_status id_add(idtab *t, const char *s, size_t len, size_t *idx)
{
    int64_t v;
    if (sol__strmap_get(t->map, s, len, &v)) {
        *idx = (size_t)v;
        return SOL_OK;
    }
    if (t->fixed)
        return SOL_EUNKNOWNAREA;
    if (t->n >= SOL_MAX_AREAS)
        return SOL_ELIMIT;
    if (t->n == t->cap) {
        size_t nc = t->cap ? 2 * t->cap : 256;
        char **ni = sol__realloc(t->ids, nc * sizeof *ni);
        if (ni == NULL)
            return SOL_ENOMEM;
        t->ids = ni;
        t->cap = nc;
    }
    if ((t->ids[t->n] = sol__strndup(s, len)) == NULL)
        return SOL_ENOMEM;
    if (sol__strmap_put(t->map, s, len, (int64_t)t->n) != SOL_OK) {
        sol__free(t->ids[t->n]);
        return SOL_ENOMEM;
    }
    *idx = t->n++;
    return SOL_OK;
}

sol_status sol_spatial_weights_read_csv(const char *path, const char *const *ids, size_t nids,
                                        sol_islands islands, sol_weights **out, sol_error *err)
{
    sol_status rc = SOL_ENOMEM;
    sol_csv *c = NULL;
    idtab t = {0};
    edge *e = NULL;
    size_t ne = 0, cape = 0;
    sol_weights *w = NULL;
    if ((t.map = sol__strmap_new(nids ? nids : 256)) == NULL)
        goto fail;
    for (size_t i = 0; i < nids; i++) {
        size_t k;
        if (sol__strmap_get(t.map, ids[i], strlen(ids[i]), NULL)) {
            rc = sol__err(err, SOL_EDUPLICATE, "area %s given twice", ids[i]);
            goto fail;
        }
        if ((rc = id_add(&t, ids[i], strlen(ids[i]), &k)) != SOL_OK)
            goto fail;
    }
    t.fixed = ids != NULL;
    if ((rc = sol_csv_open(path, NULL, &c, err)) != SOL_OK)
        goto fail;
    long cf = sol_csv_colindex(c, "from_id"), ct = sol_csv_colindex(c, "to_id");
    long cw = sol_csv_colindex(c, "weight");
    if (cf < 0 || ct < 0) {
        rc = sol__err_at(err, SOL_EPARSE, path, 1, 0,
                         "expected columns from_id,to_id[,weight] in the header");
        goto fail;
    }
    while ((rc = sol_csv_next(c, err)) == SOL_OK) {
        size_t lf, lt, lw = 0, a, b;
        const char *sf = sol_csv_field(c, (size_t)cf, &lf), *st = sol_csv_field(c, (size_t)ct, &lt);
        const char *sw = cw >= 0 ? sol_csv_field(c, (size_t)cw, &lw) : "";
        unsigned long line = sol_csv_line(c);
        rc = id_add(&t, sf, lf, &a);
        if (rc == SOL_OK && lt > 0)
            rc = id_add(&t, st, lt, &b);
        if (rc == SOL_EUNKNOWNAREA) {
            rc = sol__err_at(err, rc, path, line, 0, "area %s is not among the %zu areas given",
                             sol__strmap_get(t.map, sf, lf, NULL) ? st : sf, nids);
            goto fail;
        }
        if (rc != SOL_OK)
            goto fail;
        if (lt == 0) { /* "id,," : an area listed without neighbours */
            if (cw >= 0 && !sol__is_missing(sw, lw)) {
                rc = sol__err_at(err, SOL_EPARSE, path, line, sol_csv_col(c, (size_t)cw),
                                 "a weight without a to_id");
                goto fail;
            }
            continue;
        }
        if (a == b) {
            rc = sol__err_at(err, SOL_EINVAL, path, line, 0, "self edge %s -> %s", sf, st);
            goto fail;
        }
        double wt = 1.0;
        if (cw >= 0 && !sol__is_missing(sw, lw) &&
            (sol__parse_double(sw, lw, 0, &wt) != SOL_OK || !(wt >= 0))) {
            rc = sol__err_at(err, SOL_EPARSE, path, line, sol_csv_col(c, (size_t)cw),
                             "weight \"%s\" is not a non-negative number", sw);
            goto fail;
        }
        if (ne == cape) {
            size_t nc = cape ? 2 * cape : 1024;
            edge *ee = sol__realloc(e, nc * sizeof *ee);
            if (ee == NULL) {
                rc = SOL_ENOMEM;
                goto fail;
            }
            e = ee;
            cape = nc;
        }
        e[ne++] = (edge){a, b, wt, line};
    }
    if (rc != SOL_EOF)
        goto fail;
    if (ne > 0)
        qsort(e, ne, sizeof *e, cmp_edge);
    for (size_t k = 1; k < ne; k++)
        if (e[k].i == e[k - 1].i && e[k].j == e[k - 1].j) {
            rc = sol__err_at(err, SOL_EDUPLICATE, path, e[k].line, 0, "edge %s -> %s given twice",
                             t.ids[e[k].i], t.ids[e[k].j]);
            goto fail;
        }
    if ((w = sol__weights_alloc(t.n, ne, NULL)) == NULL) {
        rc = SOL_ENOMEM;
        goto fail;
    }
    memcpy(w->ids, t.ids, t.n * sizeof *t.ids);
    sol__free(t.ids);
    t.ids = NULL;
    t.n = 0;
    int binary = 1, rowstd = 1;
    for (size_t k = 0; k < ne; k++) {
        w->rowptr[e[k].i + 1]++;
        w->col[k] = e[k].j;
        w->w[k] = e[k].w;
        binary &= e[k].w == 1.0;
    }
    for (size_t i = 0; i < w->n; i++) {
        w->rowptr[i + 1] += w->rowptr[i];
        double s = 0;
        for (size_t k = w->rowptr[i]; k < w->rowptr[i + 1]; k++)
            s += w->w[k];
        if (w->rowptr[i + 1] > w->rowptr[i] && fabs(s - 1.0) > 1e-12)
            rowstd = 0;
    }
    w->style = binary ? 'B' : rowstd ? 'W' : 'U';
    if ((rc = sol__weights_check_islands(w, islands, err)) != SOL_OK) {
        sol__err_where(err, path);
        goto fail;
    }
    sol_csv_close(c);
    sol__strmap_free(t.map);
    sol__free(e);
    *out = w;
    return SOL_OK;
fail:
    sol_csv_close(c);
    if (t.ids != NULL)
        for (size_t i = 0; i < t.n; i++)
            sol__free(t.ids[i]);
    sol__free(t.ids);
    sol__strmap_free(t.map);
    sol__free(e);
    sol_weights_free(w);
    return rc;
}
