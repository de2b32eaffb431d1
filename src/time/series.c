/* series.c - time series per id from a long CSV or from observations held in memory: periods
 * parsed as written, one frequency per set, duplicates refused, gaps kept as NaN and counted. */
#include <solidata/timeseries.h>

#include <solidata/csv.h>
#include <solidata/limits.h>
#include <solidata/period.h>

#include "core/core.h"
#include "time/time_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One observation on its way into a series, with where it came from for messages. */
typedef struct row {
    int64_t sid; /* series number (order of first appearance) */
    int64_t idx; /* period index */
    double v;
    unsigned long line, col;
} row;

typedef struct builder {
    row *rows;
    size_t n, alloc;
    char **ids;
    size_t nids, ids_alloc;
    sol_strmap *map;
    char freq;
    unsigned long freq_line; /* where the first period was read (0 for observations in memory) */
    char freq_label[16];
} builder;

static void builder_free(builder *b)
{
    for (size_t i = 0; i < b->nids; i++)
        sol__free(b->ids[i]);
    sol__free(b->ids);
    sol__free(b->rows);
    sol__strmap_free(b->map);
}

static sol_status builder_id(builder *b, const char *id, size_t len, int64_t *sid)
{
    if (sol__strmap_get(b->map, id, len, sid))
        return SOL_OK;
    if (b->nids >= SOL_MAX_TS_SERIES)
        return SOL_ELIMIT;
    if (b->nids == b->ids_alloc) {
        size_t na = b->ids_alloc ? b->ids_alloc * 2 : 64;
        char **p = sol__realloc(b->ids, na * sizeof *p);
        if (p == NULL)
            return SOL_ENOMEM;
        b->ids = p;
        b->ids_alloc = na;
    }
    char *copy = sol__strndup(id, len);
    if (copy == NULL)
        return SOL_ENOMEM;
    sol_status rc = sol__strmap_put(b->map, id, len, (int64_t)b->nids);
    if (rc != SOL_OK) {
        sol__free(copy);
        return rc;
    }
    *sid = (int64_t)b->nids;
    b->ids[b->nids++] = copy;
    return SOL_OK;
}

static sol_status builder_add(builder *b, int64_t sid, int64_t idx, double v, unsigned long line,
                              unsigned long col)
{
    if (b->n == b->alloc) {
        size_t na = b->alloc ? b->alloc * 2 : 1024;
        row *p = sol__realloc(b->rows, na * sizeof *p);
        if (p == NULL)
            return SOL_ENOMEM;
        b->rows = p;
        b->alloc = na;
    }
    b->rows[b->n++] = (row){sid, idx, v, line, col};
    return SOL_OK;
}

static int row_cmp(const void *pa, const void *pb)
{
    const row *a = pa, *b = pb;
    if (a->sid != b->sid)
        return a->sid < b->sid ? -1 : 1;
    if (a->idx != b->idx)
        return a->idx < b->idx ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return 0;
}

typedef struct idref {
    const char *id;
    int64_t sid;
} idref;

static int id_cmp(const void *pa, const void *pb)
{
    return strcmp(((const idref *)pa)->id, ((const idref *)pb)->id);
}

/* Turn the collected rows into series ordered by id. `where` names the input for messages. */
static sol_status builder_finish(builder *b, const char *where, sol_ts_set **out, sol_error *err)
{
    sol_status rc = SOL_ENOMEM;
    sol_ts_set *set = sol__calloc(1, sizeof *set);
    idref *order = NULL;
    int64_t *rank = NULL;
    if (set == NULL)
        goto fail;
    set->freq = b->freq;
    qsort(b->rows, b->n, sizeof *b->rows, row_cmp);
    for (size_t i = 1; i < b->n; i++) {
        const row *p = &b->rows[i - 1], *r = &b->rows[i];
        if (p->sid == r->sid && p->idx == r->idx) {
            char lab[16];
            sol_ts_period_label(b->freq, r->idx, lab);
            const char *id = b->ids[r->sid];
            if (id[0] == '\0')
                rc = sol__err_at(err, SOL_EDUPLICATE, where, r->line, r->col,
                                 "period %s appears twice (first at line %lu); several series "
                                 "in one file need --id-field",
                                 lab, p->line);
            else
                rc = sol__err_at(err, SOL_EDUPLICATE, where, r->line, r->col,
                                 "period %s of series '%s' appears twice (first at line %lu)", lab,
                                 id, p->line);
            goto fail;
        }
    }
    /* series ordered by id: order[k] = series number of the k-th id; rank[sid] = k */
    order = sol__malloc((b->nids ? b->nids : 1) * sizeof *order);
    rank = sol__malloc((b->nids ? b->nids : 1) * sizeof *rank);
    set->series = sol__calloc(b->nids ? b->nids : 1, sizeof *set->series);
    if (order == NULL || rank == NULL || set->series == NULL)
        goto fail;
    for (size_t i = 0; i < b->nids; i++)
        order[i] = (idref){b->ids[i], (int64_t)i};
    qsort(order, b->nids, sizeof *order, id_cmp);
    for (size_t k = 0; k < b->nids; k++)
        rank[order[k].sid] = (int64_t)k;
    set->n = b->nids;
    size_t i = 0;
    while (i < b->n) {
        size_t j = i;
        while (j < b->n && b->rows[j].sid == b->rows[i].sid)
            j++;
        /* first and last observed (non-missing) period */
        size_t f = i, l = j;
        while (f < j && isnan(b->rows[f].v))
            f++;
        while (l > f && isnan(b->rows[l - 1].v))
            l--;
        sol_ts *ts = &set->series[rank[b->rows[i].sid]];
        ts->freq = b->freq;
        if (f < l) {
            int64_t span = b->rows[l - 1].idx - b->rows[f].idx + 1;
            if (span > (int64_t)SOL_MAX_TS_LENGTH) {
                rc = sol__err_at(err, SOL_ELIMIT, where, b->rows[l - 1].line, b->rows[l - 1].col,
                                 "series '%s' spans %lld periods; at most %u are accepted",
                                 b->ids[b->rows[i].sid], (long long)span, SOL_MAX_TS_LENGTH);
                goto fail;
            }
            ts->start = b->rows[f].idx;
            ts->n = (size_t)span;
            ts->y = sol__malloc(ts->n * sizeof *ts->y);
            if (ts->y == NULL)
                goto fail;
            for (size_t k = 0; k < ts->n; k++)
                ts->y[k] = NAN;
            for (size_t k = f; k < l; k++)
                ts->y[b->rows[k].idx - ts->start] = b->rows[k].v;
            for (size_t k = 0; k < ts->n; k++)
                ts->n_missing += isnan(ts->y[k]) ? 1u : 0u;
        }
        i = j;
    }
    /* ids move from the builder to the set */
    for (size_t k = 0; k < b->nids; k++) {
        set->series[rank[k]].id = b->ids[k];
        b->ids[k] = NULL;
    }
    sol__free(order);
    sol__free(rank);
    *out = set;
    return SOL_OK;
fail:
    if (rc == SOL_ENOMEM)
        sol__err(err, rc, "out of memory building the series of %s", where);
    sol__free(order);
    sol__free(rank);
    sol_ts_set_free(set);
    return rc;
}

/* Check the frequency of a new period against the set's; SOL_EINVAL when they differ. */
static sol_status check_freq(builder *b, char f, const char *label, const char *where,
                             unsigned long line, unsigned long col, sol_error *err)
{
    if (b->freq == 0) {
        b->freq = f;
        b->freq_line = line;
        snprintf(b->freq_label, sizeof b->freq_label, "%s", label);
        return SOL_OK;
    }
    if (f == b->freq)
        return SOL_OK;
    if (b->freq_line)
        return sol__err_at(err, SOL_EINVAL, where, line, col,
                           "period %s is %s but line %lu has %s (%s): one frequency per run", label,
                           sol__ts_freq_name(f), b->freq_line, b->freq_label,
                           sol__ts_freq_name(b->freq));
    return sol__err_at(err, SOL_EINVAL, where, 0, 0,
                       "period %s is %s but %s is %s: one frequency per run", label,
                       sol__ts_freq_name(f), b->freq_label, sol__ts_freq_name(b->freq));
}

/* Read every record of an opened reader `c` into series; `path` names it in messages. */
static sol_status read_csv(sol_csv *c, const char *path, const char *id_field,
                           const char *period_field, const char *value_field, sol_ts_set **out,
                           sol_error *err)
{
    sol_status rc;
    builder b = {0};
    if (period_field == NULL || value_field == NULL)
        return sol__err(err, SOL_EINVAL, "the period and value columns must be named");
    if ((b.map = sol__strmap_new(64)) == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    long ci = -1, cp = sol_csv_colindex(c, period_field), cv = sol_csv_colindex(c, value_field);
    const char *missing = cp < 0 ? period_field : cv < 0 ? value_field : NULL;
    const char *flag = cp < 0 ? "--period-field" : "--value-field";
    if (missing == NULL && id_field != NULL && (ci = sol_csv_colindex(c, id_field)) < 0) {
        missing = id_field;
        flag = "--id-field";
    }
    if (missing != NULL) {
        rc = sol__err_at(err, SOL_EPARSE, path, 1, 0, "no column named '%s' in the header (%s)",
                         missing, flag);
        goto fail;
    }
    while ((rc = sol_csv_next(c, err)) == SOL_OK) {
        unsigned long line = sol_csv_line(c);
        size_t len;
        const char *ps = sol_csv_field(c, (size_t)cp, &len);
        char label[16], f;
        int64_t idx, sid = 0;
        if (sol_period_parse(ps, len, label, &f, &idx) != SOL_OK) {
            rc = sol__err_at(err, SOL_EPARSE, path, line, sol_csv_col(c, (size_t)cp),
                             "'%.40s' is not a period (expected 2023, 2023-Q2 or 2023-05)", ps);
            goto fail;
        }
        if ((rc = check_freq(&b, f, label, path, line, sol_csv_col(c, (size_t)cp), err)) != SOL_OK)
            goto fail;
        const char *vs = sol_csv_field(c, (size_t)cv, &len);
        double v = NAN;
        if (!sol_is_missing(vs, len) && sol_parse_number(vs, len, 0, &v) != SOL_OK) {
            rc = sol__err_at(err, SOL_ETYPE, path, line, sol_csv_col(c, (size_t)cv),
                             "'%.40s' is not a number (column %s)", vs, value_field);
            goto fail;
        }
        if (ci >= 0) {
            const char *is = sol_csv_field(c, (size_t)ci, &len);
            rc = builder_id(&b, is, len, &sid);
        } else {
            rc = builder_id(&b, "", 0, &sid);
        }
        if (rc == SOL_ELIMIT) {
            rc = sol__err_at(err, rc, path, line, 0, "more than %u series", SOL_MAX_TS_SERIES);
            goto fail;
        }
        if (rc != SOL_OK ||
            (rc = builder_add(&b, sid, idx, v, line, sol_csv_col(c, (size_t)cp))) != SOL_OK) {
            rc = sol__err(err, rc, "out of memory");
            goto fail;
        }
    }
    if (rc != SOL_EOF)
        goto fail;
    if (b.n == 0) {
        rc = sol__err_at(err, SOL_EPARSE, path, 0, 0, "no observations");
        goto fail;
    }
    rc = builder_finish(&b, path, out, err);
fail:
    builder_free(&b);
    return rc;
}

sol_status sol_ts_read_csv(const char *path, const char *id_field, const char *period_field,
                           const char *value_field, sol_ts_set **out, sol_error *err)
{
    sol_csv *c = NULL;
    sol_status rc = sol_csv_open(path, NULL, &c, err);
    if (rc == SOL_OK)
        rc = read_csv(c, path, id_field, period_field, value_field, out, err);
    sol_csv_close(c);
    return rc;
}

sol_status sol_ts_read_csv_mem(const char *data, size_t len, const char *name, const char *id_field,
                               const char *period_field, const char *value_field, sol_ts_set **out,
                               sol_error *err)
{
    sol_csv *c = NULL;
    sol_status rc = sol_csv_open_mem(data, len, name, NULL, &c, err);
    if (rc == SOL_OK)
        rc = read_csv(c, name, id_field, period_field, value_field, out, err);
    sol_csv_close(c);
    return rc;
}

/* ---- the builder, public: series from observations held in memory (the run layer feeds it
 * the store's observations) ---------------------------------------------------------------- */

struct sol_ts_builder {
    builder b;
};

sol_status sol_ts_builder_new(sol_ts_builder **out, sol_error *err)
{
    sol_ts_builder *tb = sol__calloc(1, sizeof *tb);
    if (tb == NULL || (tb->b.map = sol__strmap_new(64)) == NULL) {
        sol__free(tb);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    *out = tb;
    return SOL_OK;
}

sol_status sol_ts_builder_add(sol_ts_builder *tb, const char *id, const char *period, double value,
                              const char *where, sol_error *err)
{
    char label[16], f;
    int64_t idx, sid;
    sol_status rc;
    if (sol_period_parse(period, strlen(period), label, &f, &idx) != SOL_OK)
        return sol__err_at(err, SOL_EPARSE, where, 0, 0,
                           "'%.40s' is not a period (expected 2023, 2023-Q2 or 2023-05)", period);
    if ((rc = check_freq(&tb->b, f, label, where, 0, 0, err)) != SOL_OK)
        return rc;
    if ((rc = builder_id(&tb->b, id, strlen(id), &sid)) != SOL_OK ||
        (rc = builder_add(&tb->b, sid, idx, value, 0, 0)) != SOL_OK)
        return sol__err(err, rc, "cannot hold the series of %s", where);
    return SOL_OK;
}

sol_status sol_ts_builder_finish(sol_ts_builder *tb, const char *where, sol_ts_set **out,
                                 sol_error *err)
{
    if (tb->b.n == 0)
        return sol__err_at(err, SOL_ENOTFOUND, where, 0, 0, "no observations");
    return builder_finish(&tb->b, where, out, err);
}

void sol_ts_builder_free(sol_ts_builder *tb)
{
    if (tb == NULL)
        return;
    builder_free(&tb->b);
    sol__free(tb);
}

void sol_ts_set_free(sol_ts_set *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; s->series != NULL && i < s->n; i++) {
        sol__free(s->series[i].id);
        sol__free(s->series[i].y);
    }
    sol__free(s->series);
    sol__free(s->label);
    sol__free(s);
}

int sol_ts_frequency(char freq)
{
    switch (freq) {
    case 'A': return 1;
    case 'S': return 2;
    case 'Q': return 4;
    case 'M': return 12;
    default: return 0;
    }
}

const char *sol__ts_freq_name(char freq)
{
    switch (freq) {
    case 'A': return "annual";
    case 'S': return "half-yearly";
    case 'Q': return "quarterly";
    case 'M': return "monthly";
    default: return "unknown";
    }
}

void sol_ts_period_label(char freq, int64_t index, char label[16])
{
    int f = sol_ts_frequency(freq);
    if (f < 1)
        f = 1;
    /* periods come from sol_period_parse: years have four digits */
    int y = (int)((index / f) % 100000), s = (int)(index % f) + 1;
    if (f == 1)
        snprintf(label, 16, "%04d", (int)(index % 100000));
    else if (freq == 'Q')
        snprintf(label, 16, "%04d-Q%d", y, s % 10);
    else if (freq == 'S')
        snprintf(label, 16, "%04d-S%d", y, s % 10);
    else
        snprintf(label, 16, "%04d-%02d", y, s % 100);
}
