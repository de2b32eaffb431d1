/* derive.c - from counts to need: a rate (count / population x per) or a coverage of need
 * (helped / estimated need, %, with an interval from the estimate's standard error) written as a
 * derived indicator from a source "derived:CODE", linked to its components for disclosure
 * control, recorded as a run with its method card, in one transaction. */
#include <solidata/run_derive.h>

#include <solidata/csv.h>
#include <solidata/i18n.h>
#include <solidata/privacy.h>
#include <solidata/run.h>
#include <solidata/version.h>

#include "core/core.h"
#include "run/run_int.h"

#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- what the store holds ------------------------------------------------------------------- */

/* One indicator the job names. */
typedef struct ind_info {
    const char *code;
    int found, polarity, is_count;
    char *label, *labels[SOL_LANG_COUNT], *dimension;
} ind_info;

typedef struct ind_walk {
    ind_info *v;
    size_t n;
    int oom;
} ind_walk;

static char *dup_or_null(const char *s, int *oom)
{
    char *d = s ? sol__strdup(s) : NULL;
    if (s && d == NULL)
        *oom = 1;
    return d;
}

static int on_indicator(void *ud, const sol_indicator *ind)
{
    ind_walk *w = ud;
    for (size_t i = 0; i < w->n; i++) {
        ind_info *x = &w->v[i];
        if (x->code == NULL || x->found || strcmp(ind->code, x->code) != 0)
            continue;
        x->found = 1;
        x->polarity = ind->polarity;
        x->is_count = ind->kind != NULL && strcmp(ind->kind, "count") == 0;
        x->label = dup_or_null(ind->label, &w->oom);
        x->dimension = dup_or_null(ind->dimension, &w->oom);
        for (int l = 0; l < SOL_LANG_COUNT; l++)
            x->labels[l] = dup_or_null(sol_indicator_label(ind, (sol_lang)l, NULL), &w->oom);
    }
    return 0;
}

static void ind_clear(ind_info *x)
{
    sol__free(x->label);
    sol__free(x->dimension);
    for (int l = 0; l < SOL_LANG_COUNT; l++)
        sol__free(x->labels[l]);
}

/* One observation. */
typedef struct ob {
    char *area, *period;
    double v, se;
    int flags;
    int64_t source;
} ob;

typedef struct obs_list {
    ob *v;
    size_t n, cap;
    sol_strmap *key; /* "area\tperiod" -> index (the denominator's) */
    int oom;
} obs_list;

static int on_ob(void *ud, const sol_obs *o)
{
    obs_list *l = ud;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 256;
        ob *v = sol__realloc(l->v, cap * sizeof *v);
        if (v == NULL) {
            l->oom = 1;
            return 1;
        }
        l->v = v, l->cap = cap;
    }
    ob *b = &l->v[l->n];
    b->area = sol__strdup(o->area);
    b->period = sol__strdup(o->period);
    b->v = o->value, b->se = o->se, b->flags = o->flags, b->source = o->source_id;
    if (b->area == NULL || b->period == NULL) {
        sol__free(b->area);
        sol__free(b->period);
        l->oom = 1;
        return 1;
    }
    l->n++;
    if (l->key != NULL) {
        char k[2 * SOL_MAX_CODE + 18];
        int n = snprintf(k, sizeof k, "%s\t%s", o->area, o->period);
        if (sol__strmap_put(l->key, k, (size_t)n, (int64_t)(l->n - 1)) != SOL_OK) {
            l->oom = 1;
            return 1;
        }
    }
    return 0;
}

static void obs_clear(obs_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        sol__free(l->v[i].area);
        sol__free(l->v[i].period);
    }
    sol__free(l->v);
    sol__strmap_free(l->key);
    memset(l, 0, sizeof *l);
}

/* The store's areas: code -> index of id and level. */
typedef struct area_map {
    sol_strmap *idx;
    int64_t *id;
    char **level;
    size_t n, cap;
    int oom;
} area_map;

static int on_area(void *ud, const sol_area *a)
{
    area_map *m = ud;
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 256;
        int64_t *id = sol__realloc(m->id, cap * sizeof *id);
        if (id != NULL)
            m->id = id;
        char **lv = id ? sol__realloc(m->level, cap * sizeof *lv) : NULL;
        if (lv == NULL) {
            m->oom = 1;
            return 1;
        }
        m->level = lv, m->cap = cap;
    }
    m->id[m->n] = a->id;
    if ((m->level[m->n] = sol__strdup(a->level ? a->level : "")) == NULL ||
        sol__strmap_put(m->idx, a->code, strlen(a->code), (int64_t)m->n) != SOL_OK) {
        sol__free(m->level[m->n]);
        m->oom = 1;
        return 1;
    }
    m->n++;
    return 0;
}

static void area_clear(area_map *m)
{
    for (size_t i = 0; i < m->n; i++)
        sol__free(m->level[i]);
    sol__free(m->level);
    sol__free(m->id);
    sol__strmap_free(m->idx);
}

static const char *level_of(const area_map *m, const char *code)
{
    int64_t i;
    return sol__strmap_get(m->idx, code, strlen(code), &i) ? m->level[i] : NULL;
}

/* Sources of the inputs, for the card and the derived source's licence. */
typedef struct src_walk {
    const int64_t *ids;
    size_t n;
    json_t *arr;
    char *licence; /* the inputs' licence when they share one; "" when they differ */
    int oom;
} src_walk;

static int on_src(void *ud, const sol_source *s)
{
    src_walk *w = ud;
    for (size_t k = 0; k < w->n; k++) {
        if (w->ids[k] != s->id)
            continue;
        json_array_append_new(w->arr,
                              json_pack("{s:s,s:i,s:s?,s:s?,s:s}", "name", s->name, "version",
                                        s->version, "licence", s->licence, "attribution",
                                        s->attribution, "sha256", s->sha256));
        const char *lic = s->licence ? s->licence : "";
        if (w->licence == NULL) {
            if ((w->licence = sol__strdup(lic)) == NULL)
                w->oom = 1;
        } else if (strcmp(w->licence, lic) != 0) {
            w->licence[0] = '\0';
        }
    }
    return 0;
}

/* ---- the job -------------------------------------------------------------------------------- */

void sol_run_derive_job_init(sol_derive_job *j, sol_derive_kind k)
{
    memset(j, 0, sizeof *j);
    j->kind = k;
    j->per = 1000;
}

static int bad_code(const char *s)
{
    if (s == NULL || *s == '\0' || strlen(s) > SOL_MAX_CODE)
        return 1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x21 || *p == ',' || *p == '+' || *p == '"' || *p == 0x7f)
            return 1;
    return 0;
}

static sol_status check_job(const sol_derive_job *j, char code[SOL_MAX_CODE + 1], sol_error *err)
{
    int rate = j->kind == SOL_DERIVE_RATE;
    if ((unsigned)j->kind > SOL_DERIVE_COVERAGE)
        return sol__err(err, SOL_EINVAL, "unknown derived indicator kind %d", (int)j->kind);
    const char *a = rate ? j->numerator : j->helped, *b = rate ? j->denominator : j->need;
    const char *oa = rate ? "--numerator" : "--helped", *ob_ = rate ? "--denominator" : "--need";
    if (a == NULL || *a == '\0')
        return sol__run_job_error(err, oa, "an indicator code is required");
    if (b == NULL || *b == '\0')
        return sol__run_job_error(err, ob_, "an indicator code is required");
    if (strcmp(a, b) == 0)
        return sol__run_job_error(err, ob_, "'%s' is also %s: name two different indicators", b,
                                  oa);
    if (rate && !(isfinite(j->per) && j->per > 0))
        return sol__run_job_error(err, "--per", "%g: expected a number of inhabitants above 0",
                                  j->per);
    if (j->as != NULL) {
        if (bad_code(j->as))
            return sol__run_job_error(err, "--as",
                                      "'%s': expected an indicator code (no spaces, commas, "
                                      "quotes or '+')",
                                      j->as);
        snprintf(code, SOL_MAX_CODE + 1, "%s", j->as);
    } else if (rate) {
        if (snprintf(code, SOL_MAX_CODE + 1, "%s_per_%g", a, j->per) > (int)SOL_MAX_CODE)
            return sol__run_job_error(err, "--as", "the code would be too long: give one");
    } else if (snprintf(code, SOL_MAX_CODE + 1, "%s_coverage", a) > (int)SOL_MAX_CODE) {
        return sol__run_job_error(err, "--as", "the code would be too long: give one");
    }
    if (strcmp(code, a) == 0 || strcmp(code, b) == 0)
        return sol__run_job_error(err, "--as",
                                  "'%s' is an input of the computation: choose a new code", code);
    if (j->denominator_period != NULL && !rate)
        return sol__run_job_error(err, "--denominator-period", "goes with a rate only");
    return SOL_OK;
}

/* ---- labels in each language ---------------------------------------------------------------- */

/* The rate's label and unit, or the coverage's, in language l (per formatted as l writes it). */
static void words(const sol_derive_job *j, sol_lang l, const ind_info *a, const ind_info *b,
                  char *label, char *unit, size_t n)
{
    char per[64];
    double p = j->per;
    sol_lang_number(l, p, p == floor(p) ? 0 : 2, 1, per, sizeof per);
    if (j->kind == SOL_DERIVE_RATE) {
        snprintf(label, n, sol_lgettext(l, "%s per %s inhabitants"), a->labels[l], per);
        snprintf(unit, n, sol_lgettext(l, "per %s inhabitants"), per);
    } else {
        snprintf(label, n, sol_lgettext(l, "Coverage of need: %s over %s"), a->labels[l],
                 b->labels[l]);
        /* xgettext:no-c-format */
        snprintf(unit, n, "%s", sol_lgettext(l, "% of the estimated need"));
    }
}

/* ---- file mode ------------------------------------------------------------------------------ */

/* One derived value. */
typedef struct row {
    size_t num; /* index of the numerator's observation */
    double value, se, lo, hi;
    int flags;
} row;

static sol_status file_col(sol_csv *c, const char *name, const char *option, long *col,
                           sol_error *err)
{
    if ((*col = sol_csv_colindex(c, name)) < 0)
        return sol__err_at(err, SOL_EPARSE, sol_csv_name(c), 1, 0, "%s %s: no such column", option,
                           name);
    return SOL_OK;
}

/* A number of the current row into *v (NaN when missing). */
static sol_status file_num(sol_csv *c, long col, int comma_ok, double *v, sol_error *err)
{
    size_t n;
    const char *s = sol_csv_field(c, (size_t)col, &n);
    *v = NAN;
    if (sol_is_missing(s, n))
        return SOL_OK;
    if (sol_parse_number(s, n, comma_ok, v) != SOL_OK)
        return sol__err_at(err, SOL_ETYPE, sol_csv_name(c), sol_csv_line(c),
                           sol_csv_col(c, (size_t)col), "'%s' is not a number (column %s)", s,
                           sol_csv_colname(c, (size_t)col));
    return SOL_OK;
}

/* The file's columns as the store's observations: the numerator's into na, the denominator's
 * (with the need's se) into nb, keyed by area and period. */
static sol_status read_file(const sol_derive_job *j, obs_list *na, obs_list *nb, sol_error *err)
{
    int rate = j->kind == SOL_DERIVE_RATE;
    sol_csv *c = NULL;
    sol_status rc;
    long ci, cp = -1, ca, cb, cs = -1;
    if ((nb->key = sol__strmap_new(1024)) == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    if ((rc = sol_csv_open(j->data, NULL, &c, err)) != SOL_OK)
        return rc;
    int comma_ok = sol_csv_delimiter(c) != ',';
    if ((rc = file_col(c, j->id_field, "--id-field", &ci, err)) != SOL_OK ||
        (j->period_field && (rc = file_col(c, j->period_field, "--period-field", &cp, err))) ||
        (rc = file_col(c, rate ? j->numerator : j->helped, rate ? "--numerator" : "--helped", &ca,
                       err)) != SOL_OK ||
        (rc = file_col(c, rate ? j->denominator : j->need, rate ? "--denominator" : "--need", &cb,
                       err)) != SOL_OK ||
        (j->se_field && (rc = file_col(c, j->se_field, "--se-field", &cs, err))))
        goto done;
    while ((rc = sol_csv_next(c, err)) == SOL_OK) {
        const char *id = sol_csv_field(c, (size_t)ci, NULL);
        const char *per = cp >= 0 ? sol_csv_field(c, (size_t)cp, NULL) : "";
        double a, b, se = NAN;
        if ((rc = file_num(c, ca, comma_ok, &a, err)) != SOL_OK ||
            (rc = file_num(c, cb, comma_ok, &b, err)) != SOL_OK ||
            (cs >= 0 && (rc = file_num(c, cs, comma_ok, &se, err)) != SOL_OK))
            goto done;
        char k[2 * SOL_MAX_CODE + 18];
        int kl = snprintf(k, sizeof k, "%s\t%s", id, per);
        int64_t dummy;
        if (sol__strmap_get(nb->key, k, (size_t)kl, &dummy)) {
            rc = sol__err_at(err, SOL_EDUPLICATE, sol_csv_name(c), sol_csv_line(c), 0,
                             "area '%s' period '%s' appears twice", id, per);
            goto done;
        }
        sol_obs oa = {.area = id, .period = per, .value = a, .se = NAN};
        sol_obs ob_ = {.area = id, .period = per, .value = b, .se = se};
        if (on_ob(nb, &ob_) || (!isnan(a) && on_ob(na, &oa))) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto done;
        }
    }
    if (rc == SOL_EOF)
        rc = SOL_OK;
done:
    sol_csv_close(c);
    return rc;
}

/* The values as CSV: id,period,value,se,lo95,hi95. */
static sol_status file_csv(const obs_list *na, const row *rows, size_t n, char **out,
                           sol_error *err)
{
    sol_buf b;
    sol__buf_init(&b, SIZE_MAX / 2);
    sol_status rc = sol__buf_addf(&b, "id,period,value,se,lo95,hi95\n");
    for (size_t i = 0; rc == SOL_OK && i < n; i++) {
        const ob *a = &na->v[rows[i].num];
        const double v[4] = {rows[i].value, rows[i].se, rows[i].lo, rows[i].hi};
        rc = sol__buf_addf(&b, "%s,%s", a->area, a->period);
        for (int k = 0; rc == SOL_OK && k < 4; k++)
            rc = isfinite(v[k]) ? sol__buf_addf(&b, ",%.17g", v[k]) : sol__buf_addf(&b, ",");
        if (rc == SOL_OK)
            rc = sol__buf_addf(&b, "\n");
    }
    if (rc != SOL_OK) {
        sol__buf_free(&b);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    *out = b.data;
    return SOL_OK;
}

/* ---- the computation ------------------------------------------------------------------------ */

static sol_status read_inputs(sol_store *st, const char *a, const char *b, obs_list *na,
                              obs_list *nb, area_map *am, sol_error *err)
{
    sol_status rc;
    if ((nb->key = sol__strmap_new(1024)) == NULL || (am->idx = sol__strmap_new(1024)) == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    if ((rc = sol_store_observations(st, a, NULL, on_ob, na, err)) != SOL_OK ||
        (rc = sol_store_observations(st, b, NULL, on_ob, nb, err)) != SOL_OK ||
        (rc = sol_store_areas(st, 0, on_area, am, err)) != SOL_OK)
        return rc;
    if (na->oom || nb->oom || am->oom)
        return sol__err(err, SOL_ENOMEM, "out of memory reading the inputs");
    return SOL_OK;
}

/* A denominator of areas of another level than the numerator's: say which. */
static sol_status check_levels(const sol_derive_job *j, const obs_list *na, const obs_list *nb,
                               const area_map *am, sol_error *err)
{
    const char *lv[16], *ln = NULL;
    size_t nl = 0;
    for (size_t i = 0; i < nb->n && nl < sizeof lv / sizeof *lv; i++) {
        const char *x = level_of(am, nb->v[i].area);
        size_t k = 0;
        while (x != NULL && k < nl && strcmp(lv[k], x) != 0)
            k++;
        if (x != NULL && k == nl)
            lv[nl++] = x;
    }
    for (size_t i = 0; i < na->n; i++) {
        const char *x = level_of(am, na->v[i].area);
        for (size_t k = 0; x != NULL && k < nl; k++)
            if (strcmp(lv[k], x) == 0)
                return SOL_OK;
        ln = ln ? ln : x;
    }
    if (ln == NULL || nl == 0)
        return SOL_OK;
    int rate = j->kind == SOL_DERIVE_RATE;
    return sol__run_job_error(
        err, rate ? "--denominator" : "--need",
        "'%s' has values for areas of level '%s', '%s' for areas of level '%s': a ratio needs "
        "both for the same areas",
        rate ? j->denominator : j->need, lv[0], rate ? j->numerator : j->helped, ln);
}

static int has_period(const obs_list *l, const char *period)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].period, period) == 0)
            return 1;
    return 0;
}

/* The derived values; counts of what could not be computed. */
static sol_status compute(const sol_derive_job *j, const obs_list *na, const obs_list *nb,
                          row *rows, size_t *nrows, sol_derive_output *o, sol_error *err)
{
    int rate = j->kind == SOL_DERIVE_RATE;
    size_t n = 0;
    for (size_t i = 0; i < na->n; i++) {
        const ob *a = &na->v[i];
        char k[2 * SOL_MAX_CODE + 18];
        int kl = snprintf(k, sizeof k, "%s\t%s", a->area,
                          j->denominator_period ? j->denominator_period : a->period);
        int64_t bi;
        if (!sol__strmap_get(nb->key, k, (size_t)kl, &bi) || !isfinite(nb->v[bi].v)) {
            o->no_denominator++;
            continue;
        }
        const ob *b = &nb->v[bi];
        if (!(b->v > 0)) {
            o->zero_denominator++;
            continue;
        }
        row *r = &rows[n++];
        r->num = i;
        r->flags = (a->flags | b->flags) & ~SOL_FLAG_SUPPRESSED;
        r->lo = r->hi = NAN;
        if (rate) {
            r->value = a->v / b->v * j->per;
            r->se = isfinite(a->se) ? a->se / b->v * j->per : NAN;
            continue;
        }
        r->value = 100 * a->v / b->v;
        r->se = NAN;
        if (isfinite(b->se) && b->se > 0) {
            /* the need's 95% interval carried through helped / need (helped is a count of
             * records, known exactly); the se column holds the delta method's */
            r->se = 100 * a->v * b->se / (b->v * b->v);
            r->lo = 100 * a->v / (b->v + 1.959963984540054 * b->se);
            double d = b->v - 1.959963984540054 * b->se;
            r->hi = d > 0 ? 100 * a->v / d : INFINITY;
            o->with_interval++;
            r->flags |= SOL_FLAG_ESTIMATED;
        }
        if (r->value > 100)
            o->over_100++;
    }
    *nrows = n;
    if (n == 0 && rate)
        return sol__err(err, SOL_EINVAL,
                        "no value of '%s' could be computed: values without a population for their "
                        "area and period: %zu; with a population of 0: %zu",
                        o->code, o->no_denominator, o->zero_denominator);
    if (n == 0)
        return sol__err(
            err, SOL_EINVAL,
            "no value of '%s' could be computed: values without an estimate of need for "
            "their area and period: %zu; with a need of 0: %zu",
            o->code, o->no_denominator, o->zero_denominator);
    return SOL_OK;
}

/* ---- writing -------------------------------------------------------------------------------- */

typedef struct writer {
    sol_store *st;
    sol_strmap *periods;
    int64_t *period_ids;
    size_t n_periods;
} writer;

static sol_status period_id(writer *w, const char *label, int64_t *id, sol_error *err)
{
    int64_t k;
    if (sol__strmap_get(w->periods, label, strlen(label), &k)) {
        *id = w->period_ids[k];
        return SOL_OK;
    }
    char norm[16], freq;
    int64_t idx;
    sol_status rc = sol_period_parse(label, strlen(label), norm, &freq, &idx);
    if (rc != SOL_OK)
        return sol__err(err, rc, "period '%s' in the store is not a period", label);
    if ((rc = sol_store_period_put(w->st, norm, freq, idx, id, err)) != SOL_OK)
        return rc;
    int64_t *v = sol__realloc(w->period_ids, (w->n_periods + 1) * sizeof *v);
    if (v == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    w->period_ids = v;
    v[w->n_periods] = *id;
    return sol__strmap_put(w->periods, label, strlen(label), (int64_t)w->n_periods++);
}

static const char *who_of(const sol_derive_job *j)
{
    return j->who && *j->who ? j->who : sol_run_actor();
}

static int on_written(void *ud, const sol_obs *o)
{
    if (o->flags & SOL_FLAG_SUPPRESSED)
        (*(int64_t *)ud)++;
    return 0;
}

/* The card's parts and the result. */
static json_t *method_of(const sol_derive_job *j, const ind_info *a, const ind_info *b,
                         const sol_derive_output *o)
{
    int rate = j->kind == SOL_DERIVE_RATE;
    json_t *m;
    if (rate)
        m = json_pack(
            "{s:s,s:s,s:{s:s,s:s?,s:b},s:{s:s,s:s?},s:f,s:s,s:s?,s:{s:I,s:I,s:s}}", "name",
            N_("rate: a count per a number of inhabitants"), "formula",
            "numerator / denominator x per", "numerator", "code", a->code, "label", a->label,
            "count", a->is_count, "denominator", "code", b->code, "label", b->label, "per", j->per,
            "periods",
            j->denominator_period ? N_("the population of one period for every period")
                                  : N_("each period's count over the same period's population"),
            "denominator_period", j->denominator_period, "missing", "no_denominator",
            (json_int_t)o->no_denominator, "zero_denominator", (json_int_t)o->zero_denominator,
            "rule", N_("a value whose population is missing or 0 is left missing, and counted"));
    else
        m = json_pack(
            "{s:s,s:s,s:{s:s,s:s?,s:b},s:{s:s,s:s?},s:s,s:{s:I,s:I,s:s},s:I,s:s}", "name",
            N_("coverage of need: people helped as a share of the estimated people in need"),
            "formula", "100 x helped / need", "helped", "code", a->code, "label", a->label, "count",
            a->is_count, "need", "code", b->code, "label", b->label, "interval",
            /* xgettext:no-c-format */
            N_("95% interval: the need's interval (need +/- 1.96 se) carried through helped / "
               "need, helped being a count of records known exactly; no upper bound when need "
               "- 1.96 se <= 0. The standard error stored with each value is the delta "
               "method's, 100 helped se / need^2"),
            "missing", "no_need", (json_int_t)o->no_denominator, "zero_need",
            (json_int_t)o->zero_denominator, "rule",
            N_("a value whose need is missing or 0 is left missing, and counted"), "over_100",
            (json_int_t)o->over_100, "over_100_means",
            N_("more people were helped than the estimate of people in need: the estimate is "
               "too low, people from elsewhere were helped, or people were counted twice"));
    if (m)
        json_object_set_new(m, "reference",
                            json_string("solidata derived indicator; relation recorded for "
                                        "disclosure control (docs/privacy.md)"));
    return m;
}

static json_t *result_of(const sol_derive_job *j, const obs_list *na, const row *rows, size_t n,
                         const sol_derive_output *o, int version)
{
    int rate = j->kind == SOL_DERIVE_RATE;
    json_t *periods = json_array(), *over = json_array(), *ivals = rate ? NULL : json_array();
    for (size_t i = 0; i < n; i++) {
        const ob *a = &na->v[rows[i].num];
        int seen = 0;
        for (size_t k = 0; k < json_array_size(periods) && !seen; k++)
            seen = strcmp(json_string_value(json_array_get(periods, k)), a->period) == 0;
        if (!seen)
            json_array_append_new(periods, json_string(a->period));
        if (!rate && rows[i].value > 100)
            json_array_append_new(over,
                                  json_pack("{s:s,s:s}", "area", a->area, "period", a->period));
        if (ivals && isfinite(rows[i].lo))
            json_array_append_new(
                ivals, json_pack("{s:s,s:s,s:o,s:o,s:o}", "area", a->area, "period", a->period,
                                 "value", sol__run_num(rows[i].value), "lo95",
                                 sol__run_num(rows[i].lo), "hi95", sol__run_num(rows[i].hi)));
    }
    json_t *r = json_pack("{s:s,s:s,s:s,s:i,s:I,s:o,s:I,s:I}", "indicator", o->code, "kind",
                          rate ? "rate" : "coverage", "source", "", "version", version, "written",
                          (json_int_t)n, "periods", periods, rate ? "no_denominator" : "no_need",
                          (json_int_t)o->no_denominator, rate ? "zero_denominator" : "zero_need",
                          (json_int_t)o->zero_denominator);
    if (r == NULL) {
        json_decref(over);
        json_decref(ivals);
        return NULL;
    }
    char src[SOL_MAX_CODE + 16];
    snprintf(src, sizeof src, "derived:%s", o->code);
    json_object_set_new(r, "source", json_string(src));
    if (rate) {
        json_decref(over);
    } else {
        json_object_set_new(r, "over_100", over);
        json_object_set_new(r, "intervals", ivals);
    }
    return r;
}

static sol_status notes(sol_derive_output *o, const sol_derive_job *j, const ind_info *a,
                        sol_error *err)
{
    sol_status rc = SOL_OK;
    int rate = j->kind == SOL_DERIVE_RATE;
    if (o->no_denominator > 0)
        rc = sol__run_note_add(&o->notes, &o->n_notes, SOL__RUN_NOTE_MAX, err,
                               rate ? sol_ngettext("%zu value of '%s' has no population value for "
                                                   "its area and period: left missing",
                                                   "%zu values of '%s' have no population value "
                                                   "for their area and period: left missing",
                                                   o->no_denominator)
                                    : sol_ngettext("%zu value of '%s' has no estimate of need "
                                                   "for its area and period: left missing",
                                                   "%zu values of '%s' have no estimate of need "
                                                   "for their area and period: left missing",
                                                   o->no_denominator),
                               o->no_denominator, a->code);
    if (rc == SOL_OK && o->zero_denominator > 0)
        rc = sol__run_note_add(
            &o->notes, &o->n_notes, SOL__RUN_NOTE_MAX, err,
            rate ? sol_ngettext("%zu value of '%s' has a population of 0 for its area and period: "
                                "left missing",
                                "%zu values of '%s' have a population of 0 for their area and "
                                "period: left missing",
                                o->zero_denominator)
                 : sol_ngettext("%zu value of '%s' has an estimated need of 0 for its area and "
                                "period: left missing",
                                "%zu values of '%s' have an estimated need of 0 for their area "
                                "and period: left missing",
                                o->zero_denominator),
            o->zero_denominator, a->code);
    if (rc == SOL_OK && o->over_100 > 0)
        rc = sol__run_note_add(
            &o->notes, &o->n_notes, SOL__RUN_NOTE_MAX, err,
            sol_ngettext("%zu coverage is above 100%%: more people helped than the estimate of "
                         "people in need (see the run's result)",
                         "%zu coverages are above 100%%: more people helped than the estimate "
                         "of people in need (see the run's result)",
                         o->over_100),
            o->over_100);
    if (rc == SOL_OK && !a->is_count && j->data == NULL)
        rc = sol__run_note_add(&o->notes, &o->n_notes, SOL__RUN_NOTE_MAX, err,
                               "'%s' is not declared a count of persons or households: its small "
                               "values are not withheld, nor the values derived from them "
                               "(declare it with 'import data --count-indicators')",
                               a->code);
    return rc;
}

/* Write everything in the store's transaction. */
static sol_status write_all(sol_store *st, const sol_derive_job *j, const ind_info *a,
                            const ind_info *b, const obs_list *na, const obs_list *nb,
                            const area_map *am, const row *rows, size_t n, sol_derive_output *o,
                            sol_error *err)
{
    sol_status rc;
    int rate = j->kind == SOL_DERIVE_RATE;
    char src_name[SOL_MAX_CODE + 16], sha[65];
    snprintf(src_name, sizeof src_name, "derived:%s", o->code);
    int64_t prev_id = 0;
    int prev_ver = 0;
    rc = sol_store_source_current(st, src_name, &prev_id, &prev_ver, sha, err);
    if (rc == SOL_ENOTFOUND) {
        sol_error_clear(err);
        prev_id = 0, prev_ver = 0;
        if (sol_store_has_indicator(st, o->code))
            return sol__run_job_error(err, "--as",
                                      "'%s' is an indicator imported from a file: choose "
                                      "another code for the derived indicator",
                                      o->code);
    } else if (rc != SOL_OK) {
        return rc;
    }
    o->version = prev_ver + 1;

    /* the run: method card, inputs with their sources, choices, privacy, result */
    int64_t ids[2 * 64];
    size_t nids = 0;
    for (size_t s = 0; s < 2; s++) {
        const obs_list *l = s ? nb : na;
        for (size_t i = 0; i < l->n && nids < sizeof ids / sizeof *ids; i++) {
            size_t k = 0;
            while (k < nids && ids[k] != l->v[i].source)
                k++;
            if (k == nids)
                ids[nids++] = l->v[i].source;
        }
    }
    src_walk sw = {.ids = ids, .n = nids, .arr = json_array()};
    if (sw.arr == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    if ((rc = sol_store_sources(st, on_src, &sw, err)) != SOL_OK || sw.oom) {
        json_decref(sw.arr);
        sol__free(sw.licence);
        return rc != SOL_OK ? rc : sol__err(err, SOL_ENOMEM, "out of memory");
    }
    /* the digest of the values written: what the source holds */
    crypto_hash_sha256_state hs;
    crypto_hash_sha256_init(&hs);
    for (size_t i = 0; i < n; i++) {
        char line[2 * SOL_MAX_CODE + 64];
        int len = snprintf(line, sizeof line, "%s\t%s\t%.17g\n", na->v[rows[i].num].area,
                           na->v[rows[i].num].period, rows[i].value);
        crypto_hash_sha256_update(&hs, (const unsigned char *)line, (unsigned long long)len);
    }
    unsigned char d[32];
    crypto_hash_sha256_final(&hs, d);
    sodium_bin2hex(sha, sizeof sha, d, sizeof d);

    json_t *spec = json_pack("{s:s,s:s,s:s,s:s,s:s?}", "kind", rate ? "rate" : "coverage",
                             rate ? "numerator" : "helped", a->code, rate ? "denominator" : "need",
                             b->code, "as", o->code, "label", j->label);
    if (spec && rate) {
        json_object_set_new(spec, "per", json_real(j->per));
        if (j->denominator_period)
            json_object_set_new(spec, "denominator_period", json_string(j->denominator_period));
    }
    json_t *method = method_of(j, a, b, o);
    json_t *choices =
        json_pack("{s:s,s:s?,s:s?}", "as", o->code, "label", j->label, "unit", j->unit);
    if (choices && rate) {
        json_object_set_new(choices, "per", json_real(j->per));
        json_object_set_new(choices, "denominator_period",
                            j->denominator_period ? json_string(j->denominator_period)
                                                  : json_null());
    }
    json_t *inputs = json_pack("{s:[s,s],s:o}", "indicators", a->code, b->code, "sources", sw.arr);
    json_t *priv = json_pack(
        "{s:s,s:s}", "disclosure_control",
        rate ? N_("the rate is withheld wherever its count or its population is withheld: a rate "
                  "and a published population would give a small count back")
             : N_("the coverage is withheld wherever the count of people helped or the need is "
                  "withheld: a coverage and a published need would give a small count back"),
        "result", N_("the run's result (areas above 100%, intervals) needs the analyst role"));
    json_t *result = result_of(j, na, rows, n, o, o->version);
    char *inputs_s = inputs ? json_dumps(inputs, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    char *priv_s = priv ? json_dumps(priv, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(inputs);
    json_decref(priv);
    sol_run_card card = {.kind = rate ? "derive.rate" : "derive.coverage",
                         .inputs_json = inputs_s,
                         .inputs_sha256 = sha,
                         .privacy_json = priv_s};
    rc = inputs_s && priv_s ? sol__run_record_json(st, &card, JSON_COMPACT | JSON_PRESERVE_ORDER,
                                                   spec, method, choices, result, &o->run_id, err)
                            : sol__err(err, SOL_ENOMEM, "out of memory recording the run");
    free(inputs_s);
    free(priv_s);
    json_decref(spec), json_decref(method), json_decref(choices);
    if (rc == SOL_OK && result != NULL) {
        json_object_set_new(result, "run_id", json_integer((json_int_t)o->run_id));
        o->json =
            json_dumps(result, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    }
    json_decref(result);
    if (rc != SOL_OK) {
        sol__free(sw.licence);
        return rc;
    }

    /* the source, the previous version superseded */
    char now[32], location[64], *opts = NULL;
    sol__utc_now(now, sizeof now);
    snprintf(location, sizeof location, "run %lld", (long long)o->run_id);
    json_t *oj = json_pack("{s:s,s:I,s:s,s:s}", "kind", rate ? "rate" : "coverage", "run",
                           (json_int_t)o->run_id, rate ? "numerator" : "helped", a->code,
                           rate ? "denominator" : "need", b->code);
    opts = oj ? json_dumps(oj, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(oj);
    char attribution[512];
    snprintf(attribution, sizeof attribution, "computed by solidata from %s and %s", a->code,
             b->code);
    sol_source s = {.name = src_name,
                    .version = o->version,
                    .connector = "derived",
                    .location = location,
                    .licence = sw.licence && sw.licence[0] ? sw.licence : NULL,
                    .attribution = attribution,
                    .sha256 = sha,
                    .bytes = 0,
                    .rows_read = (int64_t)na->n,
                    .rows_written = (int64_t)n,
                    .imported_at = now,
                    .tool_version = SOL_VERSION_STRING,
                    .options = opts};
    rc = opts ? sol_store_source_add(st, &s, &o->source_id, err)
              : sol__err(err, SOL_ENOMEM, "out of memory");
    free(opts);
    sol__free(sw.licence);
    if (rc == SOL_OK && prev_id)
        rc = sol_store_source_supersede(st, prev_id, err);
    if (rc != SOL_OK)
        return rc;

    /* the indicator, its words in three languages */
    char lab[SOL_LANG_COUNT][512], unit[SOL_LANG_COUNT][512];
    for (int l = 0; l < SOL_LANG_COUNT; l++) {
        char lb[512];
        words(j, (sol_lang)l, a, b, lab[l], lb, sizeof lab[l]);
        snprintf(unit[l], sizeof unit[l], "%s", lb);
        if (j->label)
            snprintf(lab[l], sizeof lab[l], "%s", j->label);
        if (j->unit)
            snprintf(unit[l], sizeof unit[l], "%s", j->unit);
    }
    sol_indicator ind = {.code = o->code,
                         .label = lab[SOL_LANG_EN],
                         .unit = unit[SOL_LANG_EN],
                         .polarity = a->polarity,
                         .dimension = a->dimension};
    for (int l = 0; l < SOL_LANG_COUNT; l++) {
        ind.labels[l] = lab[l];
        ind.units[l] = unit[l];
    }
    int64_t ind_id;
    if ((rc = sol_store_indicator_put(st, &ind, 1, &ind_id, err)) != SOL_OK ||
        (rc = sol_disclosure_count_indicator(st, o->code, 0, err)) != SOL_OK)
        return rc;

    /* the values */
    writer w = {.st = st, .periods = sol__strmap_new(64)};
    sol_obs_row *batch = sol__malloc(SOL_STORE_OBS_BATCH * sizeof *batch);
    if (w.periods == NULL || batch == NULL)
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
    size_t nb_ = 0;
    for (size_t i = 0; rc == SOL_OK && i < n; i++) {
        const ob *x = &na->v[rows[i].num];
        int64_t ai, pid;
        if (!sol__strmap_get(am->idx, x->area, strlen(x->area), &ai)) {
            rc = sol__err(err, SOL_ESTORE, "area '%s' vanished while deriving", x->area);
            break;
        }
        if ((rc = period_id(&w, x->period, &pid, err)) != SOL_OK)
            break;
        batch[nb_++] =
            (sol_obs_row){ind_id, am->id[ai], pid, rows[i].value, rows[i].se, rows[i].flags};
        if (nb_ == SOL_STORE_OBS_BATCH || i + 1 == n) {
            size_t bad;
            int64_t other;
            rc = sol_store_obs_put_many(st, batch, nb_, o->source_id, &bad, &other, err);
            nb_ = 0;
        }
    }
    sol__free(batch);
    sol__strmap_free(w.periods);
    sol__free(w.period_ids);
    if (rc != SOL_OK)
        return rc;
    o->written = n;

    /* disclosure control: the relation, then the flags recomputed */
    const char *num[1] = {a->code};
    int64_t prim = 0, sec = 0;
    if ((rc = sol_disclosure_link(st, o->code, num, 1, b->code, err)) != SOL_OK ||
        (rc = sol_disclosure_refresh(st, &prim, &sec, err)) != SOL_OK ||
        (rc = sol_store_observations(st, o->code, NULL, on_written, &o->withheld, err)) != SOL_OK)
        return rc;

    json_t *dj = json_pack("{s:s,s:s,s:i,s:I,s:I,s:I}", "indicator", o->code, "source", src_name,
                           "version", o->version, "run", (json_int_t)o->run_id, "written",
                           (json_int_t)n, "withheld", (json_int_t)o->withheld);
    char *detail = dj ? json_dumps(dj, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(dj);
    if (detail == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    rc = sol_store_audit_append(st, who_of(j), rate ? "derive.rate" : "derive.coverage", detail,
                                err);
    free(detail);
    return rc;
}

sol_status sol_run_derive(sol_store *st, const sol_derive_job *j, sol_derive_output **out,
                          sol_error *err)
{
    sol_status rc;
    int rate = j->kind == SOL_DERIVE_RATE;
    sol_derive_output *o = sol__calloc(1, sizeof *o);
    if (o == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    o->kind = j->kind;
    ind_info inds[2] = {{.code = rate ? j->numerator : j->helped},
                        {.code = rate ? j->denominator : j->need}};
    obs_list na = {0}, nb = {0};
    area_map am = {0};
    row *rows = NULL;
    size_t n = 0;
    int in_tx = 0;
    if ((rc = check_job(j, o->code, err)) != SOL_OK)
        goto fail;
    if (j->data != NULL) {
        if (j->id_field == NULL) {
            rc = sol__run_job_error(err, "--id-field",
                                    "the column of area codes is required "
                                    "with --data");
            goto fail;
        }
        if ((rc = read_file(j, &na, &nb, err)) != SOL_OK)
            goto fail;
        if ((rows = sol__calloc(na.n ? na.n : 1, sizeof *rows)) == NULL) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto fail;
        }
        if ((rc = compute(j, &na, &nb, rows, &n, o, err)) != SOL_OK ||
            (rc = file_csv(&na, rows, n, &o->csv, err)) != SOL_OK ||
            (rc = notes(o, j, &inds[0], err)) != SOL_OK)
            goto fail;
        o->written = n;
        json_t *res = result_of(j, &na, rows, n, o, 0);
        o->json =
            res ? json_dumps(res, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17))
                : NULL;
        json_decref(res);
        if (o->json == NULL) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto fail;
        }
        goto ok;
    }
    if (st == NULL) {
        rc = sol__err(err, SOL_EINVAL, "no store and no --data file");
        goto fail;
    }
    if (sol_store_schema_version(st) < 6) {
        rc = sol__err(err, SOL_EVERSION,
                      "the store schema is version %d; derived indicators need version 6 (open "
                      "it with 'solidata init' to upgrade)",
                      sol_store_schema_version(st));
        goto fail;
    }
    ind_walk iw = {inds, 2, 0};
    if ((rc = sol_store_indicators(st, on_indicator, &iw, err)) != SOL_OK)
        goto fail;
    if (iw.oom) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    for (int k = 0; k < 2; k++)
        if (!inds[k].found) {
            static const char *const OPT[2][2] = {{"--numerator", "--denominator"},
                                                  {"--helped", "--need"}};
            rc = sol__err(err, SOL_ENOTFOUND,
                          "%s %s: no indicator '%s' in the store (see 'solidata indicators')",
                          OPT[j->kind][k], inds[k].code, inds[k].code);
            goto fail;
        }
    /* one transaction: what is read is what is written from */
    if ((rc = sol_store_begin(st, err)) != SOL_OK)
        goto fail;
    in_tx = 1;
    if ((rc = read_inputs(st, inds[0].code, inds[1].code, &na, &nb, &am, err)) != SOL_OK)
        goto fail;
    if (na.n == 0) {
        rc = sol__err(err, SOL_EINVAL, "indicator '%s' has no values", inds[0].code);
        goto fail;
    }
    if (j->denominator_period != NULL && !has_period(&nb, j->denominator_period)) {
        rc = sol__run_job_error(err, "--denominator-period", "'%s' has no value in period '%s'",
                                inds[1].code, j->denominator_period);
        goto fail;
    }
    if ((rc = check_levels(j, &na, &nb, &am, err)) != SOL_OK)
        goto fail;
    if ((rows = sol__calloc(na.n, sizeof *rows)) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    if ((rc = compute(j, &na, &nb, rows, &n, o, err)) != SOL_OK ||
        (rc = write_all(st, j, &inds[0], &inds[1], &na, &nb, &am, rows, n, o, err)) != SOL_OK ||
        (rc = notes(o, j, &inds[0], err)) != SOL_OK)
        goto fail;
    if ((rc = sol_store_commit(st, err)) != SOL_OK)
        goto fail;
    in_tx = 0;
    if (o->json == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
ok:
    for (int k = 0; k < 2; k++)
        ind_clear(&inds[k]);
    obs_clear(&na);
    obs_clear(&nb);
    area_clear(&am);
    sol__free(rows);
    *out = o;
    return SOL_OK;
fail:
    if (in_tx)
        sol_store_rollback(st);
    for (int k = 0; k < 2; k++)
        ind_clear(&inds[k]);
    obs_clear(&na);
    obs_clear(&nb);
    area_clear(&am);
    sol__free(rows);
    sol_derive_output_free(o);
    return rc;
}

void sol_derive_output_free(sol_derive_output *o)
{
    if (o == NULL)
        return;
    sol__run_notes_free(o->notes, o->n_notes);
    free(o->json);
    sol__free(o->csv);
    sol__free(o);
}
