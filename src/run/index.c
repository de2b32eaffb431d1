/* index.c - a composite index from the store or a file: the spec built from flags or JSON, the
 * indicators read for the periods asked (polarity and dimension completed from the store), the
 * index computed, and the run recorded with its method card (spec, method, human choices, inputs
 * and their sources, result). */
#include <solidata/run_index.h>

#include <solidata/run.h>

#include <solidata/csv.h>
#include <solidata/limits.h>
#include <solidata/withhold.h>

#include "core/core.h"
#include "run/run_int.h"

#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SOURCES 256

static const char METHOD_REFERENCE[] =
    "Mazziotta M., Pareto A. (2016) On a generalized non-compensatory composite index for "
    "measuring socio-economic phenomena, Social Indicators Research 127:983-1003; OECD/JRC (2008) "
    "Handbook on Constructing Composite Indicators: Methodology and User Guide, OECD Publishing";

/* ---- the indicators' metadata ------------------------------------------------------------- */

typedef struct meta {
    const sol_index_spec *s;
    sol_strmap *code; /* spec code -> position */
    int *found;
    int *pol;
    char **dim, **label, **unit, **first, **last;
    int failed;
} meta;

static char *dup_or_null(const char *s, int *failed)
{
    if (s == NULL)
        return NULL;
    char *d = sol__strdup(s);
    if (d == NULL)
        *failed = 1;
    return d;
}

static int on_indicator(void *ud, const sol_indicator *i)
{
    meta *m = ud;
    int64_t j;
    if (!sol__strmap_get(m->code, i->code, strlen(i->code), &j))
        return 0;
    m->found[j] = 1;
    m->pol[j] = i->polarity;
    m->dim[j] = dup_or_null(i->dimension, &m->failed);
    m->label[j] = dup_or_null(i->label, &m->failed);
    m->unit[j] = dup_or_null(i->unit, &m->failed);
    m->first[j] = dup_or_null(i->first_period, &m->failed);
    m->last[j] = dup_or_null(i->last_period, &m->failed);
    return m->failed;
}

static void meta_free(meta *m, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        if (m->dim)
            sol__free(m->dim[j]);
        if (m->first)
            sol__free(m->first[j]);
        if (m->last)
            sol__free(m->last[j]);
    }
    sol__free_n(5, m->found, m->pol, m->dim, m->first, m->last);
    sol__strmap_free(m->code);
    /* label and unit move into the input */
}

/* ---- the observations ------------------------------------------------------------------------ */

typedef struct cell {
    size_t area, period, ind;
    double v;
} cell;

typedef struct reader {
    sol_strmap *areas; /* code -> index into codes */
    char **codes;
    size_t n_areas, cap_areas;
    cell *cells;
    size_t n_cells, cap_cells;
    size_t period, ind, hits;
    int64_t src[MAX_SOURCES];
    size_t n_src;
    int failed, too_many;
} reader;

static int on_obs(void *ud, const sol_obs *o)
{
    reader *r = ud;
    if (isnan(o->value))
        return 0;
    int64_t a;
    size_t len = strlen(o->area);
    if (!sol__strmap_get(r->areas, o->area, len, &a)) {
        if (r->n_areas >= SOL_MAX_AREAS) {
            r->too_many = 1;
            return 1;
        }
        if (r->n_areas == r->cap_areas) {
            size_t cap = r->cap_areas ? 2 * r->cap_areas : 64;
            char **c = sol__realloc(r->codes, cap * sizeof *c);
            if (c == NULL)
                goto nomem;
            r->codes = c;
            r->cap_areas = cap;
        }
        if ((r->codes[r->n_areas] = sol__strdup(o->area)) == NULL)
            goto nomem;
        a = (int64_t)r->n_areas++;
        if (sol__strmap_put(r->areas, o->area, len, a) != SOL_OK)
            goto nomem;
    }
    if (r->n_cells == r->cap_cells) {
        size_t cap = r->cap_cells ? 2 * r->cap_cells : 1024;
        cell *c = sol__realloc(r->cells, cap * sizeof *c);
        if (c == NULL)
            goto nomem;
        r->cells = c;
        r->cap_cells = cap;
    }
    r->cells[r->n_cells++] = (cell){(size_t)a, r->period, r->ind, o->value};
    r->hits++;
    size_t k = 0;
    while (k < r->n_src && r->src[k] != o->source_id)
        k++;
    if (k == r->n_src && r->n_src < MAX_SOURCES)
        r->src[r->n_src++] = o->source_id;
    return 0;
nomem:
    r->failed = 1;
    return 1;
}

typedef struct namer {
    sol_strmap *areas;
    char **name; /* per area index */
    int failed;
} namer;

static int on_area(void *ud, const sol_area *a)
{
    namer *n = ud;
    int64_t k;
    if (a->name == NULL || !sol__strmap_get(n->areas, a->code, strlen(a->code), &k))
        return 0;
    if ((n->name[k] = sol__strdup(a->name)) == NULL) {
        n->failed = 1;
        return 1;
    }
    return 0;
}

typedef struct src_collect {
    const int64_t *ids;
    size_t n;
    json_t *arr;
} src_collect;

static int on_source(void *ud, const sol_source *s)
{
    src_collect *c = ud;
    for (size_t k = 0; k < c->n; k++)
        if (c->ids[k] == s->id)
            json_array_append_new(c->arr, json_pack("{s:s,s:i,s:s?,s:s?,s:s,s:s,s:s}", "name",
                                                    s->name, "version", s->version, "licence",
                                                    s->licence, "attribution", s->attribution,
                                                    "sha256", s->sha256, "connector", s->connector,
                                                    "imported_at", s->imported_at));
    return 0;
}

/* ---- periods --------------------------------------------------------------------------------- */

typedef struct per {
    char label[16];
    char freq;
    int64_t index;
} per;

static int per_cmp(const void *a, const void *b)
{
    const per *x = a, *y = b;
    if (x->freq != y->freq)
        return x->freq < y->freq ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

typedef struct keyed {
    const char *code;
    size_t index;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
    return strcmp(((const keyed *)a)->code, ((const keyed *)b)->code);
}

void sol_index_input_free(sol_index_input *in)
{
    if (in == NULL)
        return;
    for (size_t i = 0; i < in->frame.n_rows; i++) {
        if (in->area)
            sol__free(in->area[i]);
        if (in->names)
            sol__free(in->names[i]);
    }
    for (size_t k = 0; in->periods && k < in->n_periods; k++)
        sol__free(in->periods[k]);
    for (size_t j = 0; j < in->frame.n_ind; j++) {
        if (in->label)
            sol__free(in->label[j]);
        if (in->unit)
            sol__free(in->unit[j]);
    }
    sol__free_n(10, in->area, in->names, in->periods, in->label, in->unit, in->polarity_from_store,
                in->dimension_from_store, in->row_period, in->codes, in->x);
    free(in->sources_json); /* from jansson */
    sol__free(in);
}

/* The periods to read, normalised, checked and sorted, into *out (n of them). */
static sol_status resolve_periods(sol_store *st, sol_index_spec *s, const meta *m, per **out,
                                  size_t *n, sol_error *err)
{
    size_t np = s->n_periods ? s->n_periods : 1;
    per *p = sol__calloc(np, sizeof *p);
    if (p == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol_status rc;
    if (s->n_periods == 0) {
        /* the latest period every indicator has: the earliest of their latest periods */
        for (size_t j = 0; j < s->n_ind; j++) {
            per q;
            const char *last = m->last[j];
            if (last == NULL) {
                rc = sol__err(err, SOL_ENOTFOUND,
                              "indicator \"%s\" has no observation in the "
                              "store",
                              s->ind[j].code);
                goto fail;
            }
            if (sol_period_parse(last, strlen(last), q.label, &q.freq, &q.index) != SOL_OK) {
                rc = sol__err(err, SOL_ESTORE, "store: period \"%s\" is not a period", last);
                goto fail;
            }
            if (j == 0 || per_cmp(&q, &p[0]) < 0)
                p[0] = q;
        }
        if ((rc = sol_index_spec_add_period(s, p[0].label)) != SOL_OK) {
            rc = sol__err(err, rc, "out of memory");
            goto fail;
        }
        *out = p;
        *n = 1;
        return SOL_OK;
    }
    size_t k = 0;
    for (size_t i = 0; i < s->n_periods; i++) {
        const char *txt = s->periods[i];
        if (sol_period_parse(txt, strlen(txt), p[k].label, &p[k].freq, &p[k].index) != SOL_OK) {
            rc = sol__err(err, SOL_EPARSE, "\"%s\" is not a period (write 2023, 2023-Q2, 2023-05)",
                          txt);
            goto fail;
        }
        if (!sol_store_has_period(st, p[k].label)) {
            rc = sol__err(err, SOL_ENOTFOUND, "no period \"%s\" in the store", p[k].label);
            goto fail;
        }
        size_t d = 0;
        while (d < k && strcmp(p[d].label, p[k].label) != 0)
            d++;
        if (d == k)
            k++;
    }
    qsort(p, k, sizeof *p, per_cmp);
    *out = p;
    *n = k;
    return SOL_OK;
fail:
    sol__free(p);
    return rc;
}

sol_status sol_run_index_load(sol_store *st, sol_index_spec *s, sol_index_input **out,
                              sol_error *err)
{
    size_t m = s->n_ind;
    sol_status rc = SOL_ENOMEM;
    meta mt = {.s = s};
    reader rd = {0};
    per *pers = NULL;
    size_t npers = 0, *rowof = NULL;
    keyed *order = NULL;
    char **aname = NULL;
    sol_index_input *in = NULL;
    if (m == 0)
        return sol__err(err, SOL_EINVAL, "index spec: no indicators");
    /* 1. the indicators: known, not twice, with a polarity; dimensions from the store */
    if ((mt.code = sol__strmap_new(m)) == NULL ||
        (mt.found = sol__calloc(m, sizeof(int))) == NULL ||
        (mt.pol = sol__calloc(m, sizeof(int))) == NULL ||
        (mt.dim = sol__calloc(m, sizeof(char *))) == NULL ||
        (mt.label = sol__calloc(m, sizeof(char *))) == NULL ||
        (mt.unit = sol__calloc(m, sizeof(char *))) == NULL ||
        (mt.first = sol__calloc(m, sizeof(char *))) == NULL ||
        (mt.last = sol__calloc(m, sizeof(char *))) == NULL)
        goto nomem;
    for (size_t j = 0; j < m; j++) {
        const char *c = s->ind[j].code;
        int64_t prev;
        if (sol__strmap_get(mt.code, c, strlen(c), &prev)) {
            rc = sol__err(err, SOL_EINVAL, "index spec: indicator \"%s\" listed twice", c);
            goto fail;
        }
        if (sol__strmap_put(mt.code, c, strlen(c), (int64_t)j) != SOL_OK)
            goto nomem;
    }
    if ((rc = sol_store_indicators(st, on_indicator, &mt, err)) != SOL_OK)
        goto fail;
    if (mt.failed)
        goto nomem;
    if ((in = sol__calloc(1, sizeof *in)) == NULL ||
        (in->polarity_from_store = sol__calloc(m, sizeof(int))) == NULL ||
        (in->dimension_from_store = sol__calloc(m, sizeof(int))) == NULL)
        goto nomem;
    in->label = mt.label;
    in->unit = mt.unit;
    mt.label = mt.unit = NULL;
    in->frame.n_ind = m;
    for (size_t j = 0; j < m; j++) {
        sol_index_ind *a = &s->ind[j];
        if (!mt.found[j]) {
            rc = sol__err(err, SOL_ENOTFOUND,
                          "index spec: unknown indicator \"%s\" (not in the "
                          "store; 'solidata indicators' lists them)",
                          a->code);
            goto fail;
        }
        if (a->polarity == 0) {
            if (mt.pol[j] == 0) {
                rc = sol__err(err, SOL_EINVAL,
                              "index spec: indicator \"%s\" has no polarity: "
                              "neither the spec nor the store states it (write %s:+ or %s:-, "
                              "or import its metadata with a polarity)",
                              a->code, a->code, a->code);
                goto fail;
            }
            a->polarity = mt.pol[j] > 0 ? 1 : -1;
            in->polarity_from_store[j] = 1;
        }
        if (mt.dim[j] != NULL && strcmp(a->dim, a->code) == 0) {
            sol__free(a->dim);
            a->dim = mt.dim[j];
            mt.dim[j] = NULL;
            in->dimension_from_store[j] = 1;
        }
    }
    /* 2. the periods */
    if ((rc = resolve_periods(st, s, &mt, &pers, &npers, err)) != SOL_OK)
        goto fail;
    /* 3. the values, indicator by indicator and period by period */
    if ((rd.areas = sol__strmap_new(256)) == NULL)
        goto nomem;
    for (size_t k = 0; k < npers; k++)
        for (size_t j = 0; j < m; j++) {
            rd.period = k;
            rd.ind = j;
            rd.hits = 0;
            if ((rc = sol_store_observations(st, s->ind[j].code, pers[k].label, on_obs, &rd,
                                             err)) != SOL_OK)
                goto fail;
            if (rd.failed)
                goto nomem;
            if (rd.too_many) {
                rc = sol__err(err, SOL_ELIMIT, "more than %u areas", SOL_MAX_AREAS);
                goto fail;
            }
            if (rd.hits == 0) {
                rc = sol__err(err, SOL_ENOTFOUND,
                              "indicator \"%s\" has no value at period %s "
                              "(its values run from %s to %s)",
                              s->ind[j].code, pers[k].label, mt.first[j] ? mt.first[j] : "?",
                              mt.last[j] ? mt.last[j] : "?");
                goto fail;
            }
        }
    /* 4. the rows: periods oldest first, then areas by code, where any indicator has a value */
    size_t na = rd.n_areas;
    if ((order = sol__malloc((na + 1) * sizeof *order)) == NULL ||
        (rowof = sol__malloc((npers * na + 1) * sizeof *rowof)) == NULL)
        goto nomem;
    for (size_t a = 0; a < na; a++)
        order[a] = (keyed){rd.codes[a], a};
    qsort(order, na, sizeof *order, keyed_cmp);
    for (size_t q = 0; q < npers * na; q++)
        rowof[q] = SIZE_MAX;
    for (size_t c = 0; c < rd.n_cells; c++)
        rowof[rd.cells[c].period * na + rd.cells[c].area] = 0;
    size_t nr = 0;
    for (size_t k = 0; k < npers; k++)
        for (size_t q = 0; q < na; q++)
            if (rowof[k * na + order[q].index] != SIZE_MAX)
                rowof[k * na + order[q].index] = nr++;
    in->frame.n_rows = nr;
    if ((in->area = sol__calloc(nr, sizeof *in->area)) == NULL ||
        (in->names = sol__calloc(nr, sizeof *in->names)) == NULL ||
        (in->row_period = sol__calloc(nr, sizeof *in->row_period)) == NULL ||
        (in->codes = sol__calloc(m, sizeof *in->codes)) == NULL ||
        (in->x = sol__malloc(nr * m * sizeof *in->x)) == NULL ||
        (in->periods = sol__calloc(npers, sizeof *in->periods)) == NULL ||
        (aname = sol__calloc(na ? na : 1, sizeof *aname)) == NULL)
        goto nomem;
    for (size_t k = 0; k < npers; k++, in->n_periods++)
        if ((in->periods[k] = sol__strdup(pers[k].label)) == NULL)
            goto nomem;
    for (size_t q = 0; q < nr * m; q++)
        in->x[q] = NAN;
    namer nm = {.areas = rd.areas, .name = aname};
    if ((rc = sol_store_areas(st, 0, on_area, &nm, err)) != SOL_OK)
        goto fail;
    if (nm.failed)
        goto nomem;
    for (size_t k = 0; k < npers; k++)
        for (size_t a = 0; a < na; a++) {
            size_t r = rowof[k * na + a];
            if (r == SIZE_MAX)
                continue;
            in->row_period[r] = in->periods[k];
            if ((in->area[r] = sol__strdup(rd.codes[a])) == NULL ||
                (aname[a] && (in->names[r] = sol__strdup(aname[a])) == NULL))
                goto nomem;
        }
    for (size_t c = 0; c < rd.n_cells; c++) {
        const cell *e = &rd.cells[c];
        in->x[rowof[e->period * na + e->area] * m + e->ind] = e->v;
    }
    for (size_t j = 0; j < m; j++)
        in->codes[j] = s->ind[j].code;
    in->frame.area = (const char *const *)in->area;
    in->frame.period = in->row_period;
    in->frame.ind_code = in->codes;
    in->frame.x = in->x;
    in->frame.name = (const char *const *)in->names;
    in->n_areas = na;
    /* 5. provenance: the sources of the values, and a digest of exactly what was read */
    src_collect sc = {.ids = rd.src, .n = rd.n_src, .arr = json_array()};
    if (sc.arr == NULL)
        goto nomem;
    if ((rc = sol_store_sources(st, on_source, &sc, err)) != SOL_OK) {
        json_decref(sc.arr);
        goto fail;
    }
    in->sources_json = json_dumps(sc.arr, JSON_COMPACT);
    json_decref(sc.arr);
    if (in->sources_json == NULL)
        goto nomem;
    crypto_hash_sha256_state hs;
    crypto_hash_sha256_init(&hs);
    for (size_t r = 0; r < nr; r++)
        for (size_t j = 0; j < m; j++) {
            double v = in->x[r * m + j];
            if (isnan(v))
                continue;
            char line[3 * SOL_MAX_CODE + 64];
            int len = snprintf(line, sizeof line, "%s\t%s\t%s\t%.17g\n", s->ind[j].code,
                               in->area[r], in->row_period[r], v);
            if (len > 0)
                crypto_hash_sha256_update(&hs, (const unsigned char *)line,
                                          (unsigned long long)((size_t)len < sizeof line
                                                                   ? (size_t)len
                                                                   : sizeof line - 1));
        }
    unsigned char dg[32];
    crypto_hash_sha256_final(&hs, dg);
    sodium_bin2hex(in->inputs_sha256, sizeof in->inputs_sha256, dg, sizeof dg);
    rc = SOL_OK;
    *out = in;
    in = NULL;
    goto done;
nomem:
    rc = sol__err(err, SOL_ENOMEM, "out of memory reading the index's indicators");
fail:
done:
    if (mt.label)
        for (size_t j = 0; j < m; j++) {
            sol__free(mt.label[j]);
            sol__free(mt.unit ? mt.unit[j] : NULL);
        }
    sol__free(mt.label);
    sol__free(mt.unit);
    meta_free(&mt, m);
    for (size_t a = 0; a < rd.n_areas; a++) {
        sol__free(rd.codes[a]);
        if (aname)
            sol__free(aname[a]);
    }
    sol__free(rd.codes);
    sol__free(rd.cells);
    sol__strmap_free(rd.areas);
    sol__free_n(4, aname, order, rowof, pers);
    sol_index_input_free(in);
    return rc;
}

/* ---- the run --------------------------------------------------------------------------------- */

static json_t *num(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static const char *who_am_i(void)
{
    const char *who = sol_run_actor();
    return who ? who : "unknown";
}

/* The human choices of the run, for its method card. */
static json_t *choices(const sol_index_spec *s, const sol_index_input *in,
                       const sol_index_result *r)
{
    char now[32];
    sol__utc_now(now, sizeof now);
    int human = s->ind_weights == SOL_WEIGHT_HUMAN || s->dim_weights == SOL_WEIGHT_HUMAN;
    json_t *iw = json_object(), *dw = json_object(), *pol = json_object();
    for (size_t j = 0; j < r->n_ind; j++) {
        json_object_set_new(iw, s->ind[j].code, num(r->ind_weight[j]));
        json_object_set_new(pol, s->ind[j].code,
                            json_pack("{s:s,s:s,s:s,s:s}", "polarity",
                                      s->ind[j].polarity > 0 ? "higher_better" : "lower_better",
                                      "polarity_from",
                                      in->polarity_from_store[j] ? "store" : "spec", "dimension",
                                      r->dim_name[r->ind_dim[j]], "dimension_from",
                                      in->dimension_from_store[j] ? "store" : "spec"));
    }
    for (size_t d = 0; d < r->n_dim; d++)
        json_object_set_new(dw, r->dim_name[d], num(r->dim_weight[d]));
    /* Who chose the weights: as the spec says; for weights set by people with no name given,
     * the person who ran the index, now (said so). */
    const char *by = s->weights_by, *on = s->weights_on;
    const char *by_note = NULL;
    if (by == NULL) {
        by = who_am_i();
        by_note = human ? "not stated in the spec: the person who ran the index"
                        : "weights follow from the method; the person who ran the index chose it";
    }
    if (on == NULL)
        on = now;
    json_t *w = json_pack("{s:s,s:s,s:s,s:s,s:s*,s:o,s:o}", "indicators",
                          sol_index_weighting_name(s->ind_weights), "dimensions",
                          sol_index_weighting_name(s->dim_weights), "set_by", by, "set_on", on,
                          "set_by_note", by_note, "indicator_weights", iw, "dimension_weights", dw);
    json_t *ref = s->ref_kind == SOL_REF_AREA
                      ? json_pack("{s:s,s:s?}", "area", s->ref_area ? s->ref_area : "", "period",
                                  s->ref_period)
                      : json_string(s->ref_kind == SOL_REF_MEAN ? "mean" : "value");
    json_t *c = json_pack(
        "{s:o,s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "weights", w, "normalisation",
        sol_index_norm_name(s->norm), "aggregation", sol_index_agg_name(s->agg), "penalty",
        s->penalty < 0 ? "negative" : "positive", "missing", sol_index_missing_name(s->missing),
        "outliers", s->winsorise ? "winsorise (JRC: |skewness| > 2 and kurtosis > 3.5)" : "none",
        "reference", ref, "indicators", pol);
    if (c == NULL)
        return NULL;
    if (s->mc_reps > 0) {
        json_t *f = json_array();
        for (size_t k = 0; k < r->n_factors; k++)
            json_array_append_new(f, json_string(r->factor_name[k]));
        json_object_set_new(c, "uncertainty",
                            json_pack("{s:I,s:I,s:o}", "replications", (json_int_t)s->mc_reps,
                                      "seed", (json_int_t)s->seed, "uncertain_choices", f));
    }
    return c;
}

void sol_index_output_free(sol_index_output *o)
{
    if (o == NULL)
        return;
    sol_index_result_free(o->result);
    sol_index_input_free(o->input);
    sol_index_spec_free(o->spec);
    free(o->result_json); /* from jansson */
    sol__free(o);
}

/* ---- what the public sees of a store-mode index ------------------------------------------- */

/* The areas of the frame holding a withheld value of any of the spec's indicators (in any
 * period: the rule sol_withhold_layers applies) into *w; *n_rows_withheld counts their rows. */
static sol_status withheld_areas(sol_store *st, const sol_index_spec *s, const sol_index_input *in,
                                 sol_withheld **w, size_t *n_rows_withheld, sol_error *err)
{
    sol_status rc = sol_withheld_new(w, err);
    for (size_t j = 0; rc == SOL_OK && j < s->n_ind; j++)
        rc = sol_withheld_add(*w, st, s->ind[j].code, NULL, err);
    if (rc != SOL_OK) {
        sol_withheld_free(*w);
        *w = NULL;
        return rc;
    }
    *n_rows_withheld = 0;
    for (size_t r = 0; r < in->frame.n_rows; r++)
        *n_rows_withheld += (size_t)sol_withheld_has(*w, NULL, in->area[r]);
    return SOL_OK;
}

/* The index computed again over the areas none of whose values is withheld (case deletion:
 * normalisation, weights, aggregation, ranks and intervals over the public areas only), as a
 * JSON object with a note; {"computed": "no", "why": ...} when it cannot be computed. NULL only
 * when out of memory. */
static json_t *public_variant(const sol_index_spec *s, const sol_index_input *in,
                              const sol_withheld *w)
{
    size_t n = in->frame.n_rows, m = in->frame.n_ind, k = 0;
    const char **area = sol__calloc(n + 1, sizeof *area);
    const char **period = sol__calloc(n + 1, sizeof *period);
    const char **name = sol__calloc(n + 1, sizeof *name);
    double *x = sol__malloc((n * m + 1) * sizeof *x);
    sol_index_result *r = NULL;
    char *txt = NULL;
    json_t *pub = NULL;
    if (!area || !period || !name || !x)
        goto done;
    for (size_t i = 0; i < n; i++) {
        if (sol_withheld_has(w, NULL, in->area[i]))
            continue;
        area[k] = in->area[i];
        period[k] = in->frame.period ? in->frame.period[i] : NULL;
        name[k] = in->names ? in->names[i] : NULL;
        memcpy(x + k * m, in->x + i * m, m * sizeof *x);
        k++;
    }
    sol_index_frame f = {.n_rows = k,
                         .n_ind = m,
                         .area = area,
                         .period = in->frame.period ? period : NULL,
                         .ind_code = in->frame.ind_code,
                         .x = x,
                         .name = name};
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = k == 0 ? sol__err(&e, SOL_EINVAL, "every area holds a withheld value")
                           : sol_index_run(&f, s, &r, &e);
    if (rc == SOL_OK)
        rc = sol_index_result_json(s, r, name, &txt, &e);
    if (rc == SOL_ENOMEM)
        goto done;
    if (rc != SOL_OK) {
        pub = json_pack("{s:s,s:s}", "computed", "no", "why", e.msg);
        goto done;
    }
    if ((pub = json_loads(txt, 0, NULL)) != NULL &&
        json_object_set_new(pub, "note",
                            json_string("computed from the values the public may see: the areas "
                                        "holding a withheld value were left out (case deletion), "
                                        "not estimated; normalisation, weights, ranks and "
                                        "intervals are over the other areas only")) != 0) {
        json_decref(pub);
        pub = NULL;
    }
done:
    free(txt);
    sol_index_result_free(r);
    sol__free_n(4, area, period, name, x);
    return pub;
}

/* Add "public" to the result text when any input is withheld; *privacy (malloc'ed JSON text) is
 * the card's statement of what the public sees. */
static sol_status add_public(sol_store *st, const sol_index_spec *s, sol_index_output *o,
                             char **privacy, sol_error *err)
{
    sol_withheld *w = NULL;
    size_t nw = 0;
    json_t *res = NULL, *pub = NULL, *pj = NULL;
    sol_status rc = withheld_areas(st, s, o->input, &w, &nw, err);
    if (rc != SOL_OK)
        return rc;
    rc = SOL_ENOMEM;
    if (nw == 0) {
        pj = json_pack("{s:s,s:I,s:s}", "disclosure_control",
                       N_("counts below the dataset's minimum cell size, and the complements that "
                          "protect them, are flagged suppressed and withheld from public outputs"),
                       "inputs_suppressed", (json_int_t)0, "result", N_("no suppressed input"));
    } else {
        if ((pub = public_variant(s, o->input, w)) == NULL ||
            (res = json_loads(o->result_json, 0, NULL)) == NULL ||
            json_object_set(res, "public", pub) != 0)
            goto done;
        int computed = json_object_get(pub, "computed") == NULL;
        pj = json_pack(
            "{s:s,s:I,s:s,s:s}", "disclosure_control",
            N_("counts below the dataset's minimum cell size, and the complements that protect "
               "them, "
               "are flagged suppressed and withheld from public outputs"),
            "inputs_suppressed", (json_int_t)nw, "result",
            N_("computed with suppressed values: for analysts (the run's result needs the analyst "
               "role)"),
            "public",
            computed ? "the public sees the index computed again over the areas none of whose "
                       "values is withheld (case deletion): withheld values treated as missing"
                     : "the index could not be computed over the public values alone: it is not "
                       "public");
        char *txt = json_dumps(res, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
        if (txt == NULL)
            goto done;
        free(o->result_json);
        o->result_json = txt;
    }
    if (pj == NULL || (*privacy = json_dumps(pj, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL)
        goto done;
    rc = SOL_OK;
done:
    if (rc != SOL_OK)
        sol__err(err, rc, "out of memory");
    json_decref(res);
    json_decref(pub);
    json_decref(pj);
    sol_withheld_free(w);
    return rc;
}

/* Store mode into `o`: load, compute, record. */
static sol_status run_store(sol_store *st, sol_index_spec *s, sol_index_output *o, sol_error *err)
{
    sol_status rc;
    char *spec_s = NULL, *method_s = NULL, *choices_s = NULL, *inputs_s = NULL, *priv_s = NULL;
    json_t *j = NULL;
    if ((rc = sol_run_index_load(st, s, &o->input, err)) != SOL_OK)
        goto fail;
    sol_index_input *in = o->input;
    if ((rc = sol_index_run(&in->frame, s, &o->result, err)) != SOL_OK)
        goto fail;
    const sol_index_result *r = o->result;
    if ((rc = sol_index_result_json(s, r, (const char *const *)in->names, &o->result_json, err)) !=
            SOL_OK ||
        (rc = sol_index_spec_json(s, &spec_s, err)) != SOL_OK ||
        (rc = add_public(st, s, o, &priv_s, err)) != SOL_OK)
        goto fail;
    char name[128];
    const char *variant =
        s->agg == SOL_AGG_MPI ? (s->norm == SOL_NORM_AMP ? " (AMPI)" : " (MPI)") : "";
    /* stored in English; the fields let a reader say it in its language (sol__run_method_words) */
    snprintf(name, sizeof name, SOL__INDEX_METHOD_NAME, sol_index_norm_name(s->norm),
             sol_index_agg_name(s->agg), variant);
    j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "name", name, "normalisation",
                  sol_index_norm_name(s->norm), "aggregation", sol_index_agg_name(s->agg),
                  "variant", variant, "reference", METHOD_REFERENCE, "documentation",
                  "docs/index.md");
    if (j == NULL || (method_s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL)
        goto nomem;
    json_decref(j);
    if ((j = choices(s, in, r)) == NULL ||
        (choices_s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17))) ==
            NULL)
        goto nomem;
    json_decref(j);
    json_t *inds = json_array(), *pers = json_array();
    for (size_t k = 0; k < s->n_ind; k++)
        json_array_append_new(inds, json_pack("{s:s,s:s?,s:s?}", "code", s->ind[k].code, "label",
                                              in->label[k], "unit", in->unit[k]));
    for (size_t k = 0; k < in->n_periods; k++)
        json_array_append_new(pers, json_string(in->periods[k]));
    j = json_pack("{s:o,s:o,s:I,s:I,s:o,s:s}", "indicators", inds, "periods", pers, "areas",
                  (json_int_t)in->n_areas, "rows", (json_int_t)in->frame.n_rows, "sources",
                  json_loads(in->sources_json, 0, NULL), "values_sha256", in->inputs_sha256);
    if (j == NULL || (inputs_s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL)
        goto nomem;
    json_decref(j);
    j = NULL;
    sol_run_card card = {.kind = "index",
                         .spec_json = spec_s,
                         .method_json = method_s,
                         .inputs_json = inputs_s,
                         .inputs_sha256 = in->inputs_sha256,
                         .choices_json = choices_s,
                         .privacy_json = priv_s,
                         .result_json = o->result_json};
    if ((rc = sol_run_record(st, &card, &o->run_id, err)) != SOL_OK)
        goto fail;
    rc = SOL_OK;
    goto done;
nomem:
    rc = sol__err(err, SOL_ENOMEM, "out of memory recording the index run");
fail:
done:
    json_decref(j);
    free(spec_s);
    free(method_s);
    free(choices_s);
    free(inputs_s);
    free(priv_s);
    return rc;
}

/* ---- file mode: only the columns the spec needs --------------------------------------------- */

/* The largest magnitude a file-mode value may have: beyond it a normalisation's differences,
 * squares or sums overflow to infinity, the score becomes NaN and a NaN ranked first. */
#define MAX_ABS_VALUE 1e300

/* Refuse a second row of an area (at a period, with a period field): both lines named. `seen`
 * maps "area\0period" to the line of its first row. */
static sol_status check_duplicate(sol_strmap *seen, sol_buf *key, const sol_csv *c,
                                  const char *path, const char *area, const char *period,
                                  sol_error *err)
{
    sol__buf_reset(key);
    sol_status rc = sol__buf_add(key, area, strlen(area) + 1);
    if (rc == SOL_OK && period)
        rc = sol__buf_add(key, period, strlen(period));
    if (rc != SOL_OK)
        return sol__err(err, rc, "%s: an id too long", path);
    int64_t first;
    unsigned long line = sol_csv_line(c);
    if (sol__strmap_get(seen, key->data, key->len, &first)) {
        if (period)
            return sol__err_at(err, SOL_EINVAL, path, line, 0,
                               "area %s, period %s has a second row (the first is line %lld); "
                               "give each area one row per period",
                               area, period, (long long)first);
        return sol__err_at(err, SOL_EINVAL, path, line, 0,
                           "area %s has a second row (the first is line %lld); give each area "
                           "one row, or a --period-field",
                           area, (long long)first);
    }
    if (sol__strmap_put(seen, key->data, key->len, (int64_t)line) != SOL_OK)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    return SOL_OK;
}

static sol_status grow_rows(sol_index_input *in, size_t *cap, int pf, const char *path,
                            sol_error *err)
{
    size_t nc = *cap ? 2 * *cap : 256, m = in->frame.n_ind ? in->frame.n_ind : 1;
    if (nc > SOL_MAX_AREAS)
        return sol__err(err, SOL_ELIMIT, "%s: more than %u rows", path, SOL_MAX_AREAS);
    char **a = sol__realloc(in->area, nc * sizeof *a);
    if (a)
        in->area = a;
    char **p = pf ? sol__realloc(in->periods, nc * sizeof *p) : NULL;
    if (p)
        in->periods = p;
    double *x = sol__realloc(in->x, nc * m * sizeof *x);
    if (x)
        in->x = x;
    if (!a || (pf && !p) || !x)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    *cap = nc;
    return SOL_OK;
}

static sol_status load_file(const sol_index_job *j, const sol_index_spec *s, sol_index_input **out,
                            sol_error *err)
{
    const char *path = j->data, *pf = j->period_field;
    sol_csv *c = NULL;
    long *cols = NULL;
    size_t cap = 0, m = s->n_ind;
    sol_status rc;
    sol_buf key;
    sol__buf_init(&key, 2 * SOL_MAX_CSV_FIELD + 1);
    sol_strmap *seen = sol__strmap_new(256);
    sol_index_input *in = sol__calloc(1, sizeof *in);
    if (in == NULL || seen == NULL) {
        sol__strmap_free(seen);
        sol__free(in);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    if ((rc = sol_csv_open(path, NULL, &c, err)) != SOL_OK)
        goto fail;
    long ci = sol_csv_colindex(c, j->id_field), cp = pf ? sol_csv_colindex(c, pf) : -1;
    rc = SOL_ENOTFOUND;
    if (ci < 0) {
        sol__err(err, rc, "%s: no column \"%s\" (--id-field)", path, j->id_field);
        goto fail;
    }
    if (pf && cp < 0) {
        sol__err(err, rc, "%s: no column \"%s\" (--period-field)", path, pf);
        goto fail;
    }
    in->frame.n_ind = m;
    cols = sol__calloc(m ? m : 1, sizeof *cols);
    in->codes = sol__calloc(m ? m : 1, sizeof *in->codes);
    if (cols == NULL || in->codes == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t k = 0; k < m; k++) {
        in->codes[k] = s->ind[k].code;
        if ((cols[k] = sol_csv_colindex(c, s->ind[k].code)) < 0) {
            sol__err(err, rc, "unknown indicator \"%s\": %s has no such column", s->ind[k].code,
                     path);
            goto fail;
        }
    }
    while ((rc = sol_csv_next(c, err)) == SOL_OK) {
        size_t i = in->frame.n_rows;
        if (i == cap && (rc = grow_rows(in, &cap, pf != NULL, path, err)) != SOL_OK)
            goto fail;
        in->area[i] = sol__strdup(sol_csv_field(c, (size_t)ci, NULL));
        if (pf)
            in->periods[i] = sol__strdup(sol_csv_field(c, (size_t)cp, NULL));
        in->frame.n_rows++;
        in->n_periods += pf != NULL;
        if (in->area[i] == NULL || (pf && in->periods[i] == NULL)) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto fail;
        }
        if ((rc = check_duplicate(seen, &key, c, path, in->area[i], pf ? in->periods[i] : NULL,
                                  err)) != SOL_OK)
            goto fail;
        for (size_t k = 0; k < m; k++) {
            size_t len;
            const char *f = sol_csv_field(c, (size_t)cols[k], &len);
            double v = NAN;
            if (!sol_is_missing(f, len) && sol_parse_number(f, len, 0, &v) != SOL_OK) {
                rc = sol__err_at(err, SOL_EINVAL, path, sol_csv_line(c),
                                 sol_csv_col(c, (size_t)cols[k]),
                                 "\"%s\" is not a finite number (column %s)", f, s->ind[k].code);
                goto fail;
            }
            if (fabs(v) > MAX_ABS_VALUE) {
                rc = sol__err_at(err, SOL_EINVAL, path, sol_csv_line(c),
                                 sol_csv_col(c, (size_t)cols[k]),
                                 "%s is too large for an index (column %s): beyond %g in "
                                 "magnitude the normalisation overflows; rescale the column",
                                 f, s->ind[k].code, MAX_ABS_VALUE);
                goto fail;
            }
            in->x[i * m + k] = v;
        }
    }
    if (rc != SOL_EOF)
        goto fail;
    in->frame.area = (const char *const *)in->area;
    in->frame.period = pf ? (const char *const *)in->periods : NULL;
    in->frame.ind_code = in->codes;
    in->frame.x = in->x;
    sol__free(cols);
    sol__buf_free(&key);
    sol__strmap_free(seen);
    sol_csv_close(c);
    *out = in;
    return SOL_OK;
fail:
    sol__free(cols);
    sol__buf_free(&key);
    sol__strmap_free(seen);
    sol_csv_close(c);
    sol_index_input_free(in);
    return rc;
}

/* ---- the spec from the job ------------------------------------------------------------------- */

/* "A,B:-,C@DIM" into the spec's indicators; `polarity` for those without :+/:-. */
static sol_status add_indicators(sol_index_spec *s, const char *list, int polarity, sol_error *err)
{
    char *copy = sol__strdup(list);
    if (copy == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol_status rc = SOL_OK;
    for (char *tok = copy, *next; tok != NULL && rc == SOL_OK; tok = next) {
        if ((next = strchr(tok, ',')) != NULL)
            *next++ = '\0';
        if (*tok == '\0')
            continue;
        char *dim = strrchr(tok, '@');
        if (dim != NULL)
            *dim++ = '\0';
        int pol = polarity;
        size_t len = strlen(tok);
        if (len > 2 && tok[len - 2] == ':' && (tok[len - 1] == '-' || tok[len - 1] == '+')) {
            pol = tok[len - 1] == '-' ? -1 : 1;
            tok[len - 2] = '\0';
        }
        if (tok[0] == '\0' || (dim != NULL && dim[0] == '\0'))
            rc = sol__err(err, SOL_EINVAL, "--indicators: empty indicator or dimension name");
        else if (sol_index_spec_add_ind(s, tok, dim, pol, NAN) != SOL_OK)
            rc = sol__err(err, SOL_EINVAL, "--indicators: too many indicators");
    }
    sol__free(copy);
    return rc;
}

static void apply_method(sol_index_spec *s, sol_run_index_method m)
{
    static const struct {
        sol_index_norm norm;
        sol_index_agg agg;
    } M[] = {[SOL_RUN_INDEX_MPI] = {SOL_NORM_MP, SOL_AGG_MPI},
             [SOL_RUN_INDEX_AMPI] = {SOL_NORM_AMP, SOL_AGG_MPI},
             [SOL_RUN_INDEX_MINMAX_MEAN] = {SOL_NORM_MINMAX, SOL_AGG_ARITH},
             [SOL_RUN_INDEX_ZSCORE_MEAN] = {SOL_NORM_ZSCORE, SOL_AGG_ARITH},
             [SOL_RUN_INDEX_GEOMETRIC] = {SOL_NORM_MINMAX, SOL_AGG_GEOM},
             [SOL_RUN_INDEX_PCA_WEIGHTED] = {SOL_NORM_ZSCORE, SOL_AGG_ARITH}};
    s->norm = M[m].norm;
    s->agg = M[m].agg;
    /* geometric: on [1, 100] so that the geometric mean is defined */
    s->minmax_lo = m == SOL_RUN_INDEX_GEOMETRIC ? 1 : 0;
    s->minmax_hi = m == SOL_RUN_INDEX_GEOMETRIC ? 100 : 1;
    if (m == SOL_RUN_INDEX_PCA_WEIGHTED)
        s->ind_weights = SOL_WEIGHT_PCA;
}

static sol_status set_reference(sol_index_spec *s, const char *ref, sol_error *err)
{
    if (strcmp(ref, "mean") == 0) {
        s->ref_kind = SOL_REF_MEAN;
        return SOL_OK;
    }
    char *copy = sol__strdup(ref);
    char *at = copy ? strrchr(copy, '@') : NULL;
    if (at != NULL)
        *at++ = '\0';
    s->ref_kind = SOL_REF_AREA;
    int bad = copy == NULL || sol_index_spec_set(s, "ref_area", copy) != SOL_OK ||
              (at != NULL && sol_index_spec_set(s, "ref_period", at) != SOL_OK);
    sol__free(copy);
    return bad ? sol__err(err, SOL_ENOMEM, "out of memory") : SOL_OK;
}

/* Read and parse a JSON spec; errors located as FILE:LINE:COL. */
static sol_status load_spec(const char *path, sol_index_spec **s, sol_error *err)
{
    FILE *f = fopen(path, "rb");
    char *txt = f ? sol__malloc(SOL_MAX_INDEX_SPEC + 1) : NULL;
    size_t len = txt ? fread(txt, 1, SOL_MAX_INDEX_SPEC + 1, f) : 0;
    if (f)
        fclose(f);
    if (txt == NULL || len > SOL_MAX_INDEX_SPEC) {
        sol__free(txt);
        return sol__err(err, SOL_EIO,
                        "%s: cannot read the spec (missing, unreadable or over %u bytes)", path,
                        SOL_MAX_INDEX_SPEC);
    }
    txt[len] = '\0';
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = sol_index_spec_parse_json(txt, len, s, &e);
    sol__free(txt);
    if (rc == SOL_OK)
        return SOL_OK;
    char where[sizeof e.where];
    if (strncmp(e.where, "spec", 4) == 0)
        snprintf(where, sizeof where, "%.400s%.100s", path, e.where + 4);
    else
        snprintf(where, sizeof where, "%.500s", path);
    memcpy(e.where, where, sizeof where);
    if (err != NULL)
        *err = e;
    return rc;
}

static sol_status build_spec(const sol_index_job *j, sol_index_spec **out, sol_error *err)
{
    sol_index_spec *s = NULL;
    sol_status rc;
    if (j->spec_path != NULL) {
        if ((rc = load_spec(j->spec_path, &s, err)) != SOL_OK)
            return rc;
    } else if (j->indicators == NULL || j->method == SOL_RUN_INDEX_NONE) {
        return sol__err(err, SOL_EINVAL, "give --indicators and --method, or --spec");
    } else {
        if (sol_index_spec_new(&s) != SOL_OK)
            return sol__err(err, SOL_ENOMEM, "out of memory");
        /* without :+/:- a file's indicator counts as higher-is-better; the store states its own */
        if ((rc = add_indicators(s, j->indicators, j->data != NULL ? 1 : 0, err)) != SOL_OK)
            goto fail;
        apply_method(s, j->method);
    }
    if (j->penalty != 0)
        s->penalty = j->penalty;
    if (j->reference != NULL && (rc = set_reference(s, j->reference, err)) != SOL_OK)
        goto fail;
    if (j->periods != NULL && sol_index_spec_set(s, "periods", j->periods) != SOL_OK) {
        rc = sol__err(err, SOL_ELIMIT, "--periods: out of memory or more than %u periods",
                      SOL_MAX_INDEX_PERIODS);
        goto fail;
    }
    if (j->periods != NULL && s->n_periods == 0) {
        rc = sol__err(err, SOL_EINVAL, "--period(s): no period given");
        goto fail;
    }
    if (j->missing != NULL && sol_index_missing_parse(j->missing, &s->missing) != 0) {
        rc = sol__err(err, SOL_EINVAL, "unknown --missing \"%s\"", j->missing);
        goto fail;
    }
    if (j->winsorise)
        s->winsorise = 1;
    *out = s;
    return SOL_OK;
fail:
    sol_index_spec_free(s);
    return rc;
}

sol_status sol_run_index_spec(sol_store *st, sol_index_spec *s, sol_index_output **out,
                              sol_error *err)
{
    sol_index_output *o = sol__calloc(1, sizeof *o);
    if (o == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol_status rc = run_store(st, s, o, err);
    if (rc != SOL_OK) {
        sol_index_output_free(o);
        return rc;
    }
    *out = o;
    return SOL_OK;
}

void sol_run_index_job_init(sol_index_job *j)
{
    memset(j, 0, sizeof *j);
}

sol_status sol_run_index(sol_store *st, const sol_index_job *j, sol_index_output **out,
                         sol_error *err)
{
    sol_status rc;
    if ((st == NULL) == (j->data == NULL))
        return sol__err(err, SOL_EINVAL, "an index reads a store or a file (data), one of them");
    if (j->data != NULL && j->id_field == NULL)
        return sol__err(err, SOL_EINVAL, "--id-field is required with --data");
    sol_index_output *o = sol__calloc(1, sizeof *o);
    if (o == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    if ((rc = build_spec(j, &o->spec, err)) != SOL_OK)
        goto fail;
    if (st != NULL) {
        if ((rc = run_store(st, o->spec, o, err)) != SOL_OK)
            goto fail;
    } else {
        if ((rc = load_file(j, o->spec, &o->input, err)) != SOL_OK ||
            (rc = sol_index_run(&o->input->frame, o->spec, &o->result, err)) != SOL_OK)
            goto fail;
        if (j->json &&
            (rc = sol_index_result_json(o->spec, o->result, NULL, &o->result_json, err)) != SOL_OK)
            goto fail;
    }
    *out = o;
    return SOL_OK;
fail:
    sol_index_output_free(o);
    return rc;
}
