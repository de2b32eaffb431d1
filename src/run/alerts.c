/* alerts.c - emerging needs over the store: every indicator x area series tested, p-values
 * pooled and Benjamini-Hochberg adjusted, directions by polarity, sentences in en/it/fr (the
 * templates of the catalogues, numbers as each language writes them), run. */
#include <solidata/alerts.h>
#include <solidata/connect.h>
#include <solidata/i18n.h>
#include <solidata/run.h>
#include <solidata/run_time.h>
#include <solidata/timeseries.h>
#include <solidata/withhold.h>

#include "core/core.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ind_info {
    char *code, *label;
    int polarity;
    char *last; /* latest period label */
} ind_info;

typedef struct lists {
    ind_info *ind;
    size_t n, cap;
    char **area_code, **area_name;
    size_t na, capa;
    int oom;
} lists;

static int on_ind(void *ud, const sol_indicator *i)
{
    lists *l = ud;
    if (l->n == l->cap) {
        size_t c = l->cap ? 2 * l->cap : 64;
        ind_info *p = realloc(l->ind, c * sizeof *p);
        if (!p)
            return l->oom = 1;
        l->ind = p, l->cap = c;
    }
    ind_info *x = &l->ind[l->n++];
    x->code = sol__strdup(i->code);
    x->label = sol__strdup(i->label ? i->label : i->code);
    x->last = sol__strdup(i->last_period ? i->last_period : "");
    x->polarity = i->polarity;
    if (!x->code || !x->label || !x->last)
        l->oom = 1;
    return l->oom;
}

static int on_area(void *ud, const sol_area *a)
{
    lists *l = ud;
    if (l->na == l->capa) {
        size_t c = l->capa ? 2 * l->capa : 64;
        char **p = realloc(l->area_code, c * sizeof *p), **q;
        if (p)
            l->area_code = p;
        q = realloc(l->area_name, c * sizeof *q);
        if (!p || !q)
            return l->oom = 1;
        l->area_name = q, l->capa = c;
    }
    l->area_code[l->na] = sol__strdup(a->code);
    l->area_name[l->na] = sol__strdup(a->name ? a->name : a->code);
    if (!l->area_code[l->na] || !l->area_name[l->na])
        l->oom = 1;
    l->na++;
    return l->oom;
}

static void lists_free(lists *l)
{
    for (size_t i = 0; i < l->n; i++)
        sol__free(l->ind[i].code), sol__free(l->ind[i].label), sol__free(l->ind[i].last);
    for (size_t i = 0; i < l->na; i++)
        sol__free(l->area_code[i]), sol__free(l->area_name[i]);
    free(l->ind), free(l->area_code), free(l->area_name);
}

static const char *area_name(const lists *l, const char *code)
{
    for (size_t i = 0; i < l->na; i++) /* areas are few (hundreds): a scan is enough */
        if (strcmp(l->area_code[i], code) == 0)
            return l->area_name[i];
    return code;
}

/* One candidate alert. */
typedef struct cand {
    size_t ind, series;
    sol_ts_set *set;
    sol_alert_kind kind;
    sol_alert_test t;
    double q;
    int worsening;
} cand;

/* Convert a window start given as (freq_s, idx_s) into an index of frequency `freq`. */
static int64_t convert_since(char freq_s, int64_t idx_s, char freq)
{
    int fs = sol_ts_frequency(freq_s), f = sol_ts_frequency(freq);
    int64_t year = idx_s / fs, sub = idx_s % fs;
    return year * f + (sub * f) / fs;
}

static const char *kind_name[] = {"trend", "change", "anomaly"};

/* How sure, from q, in plain words. */
static const char *sure(double q, sol_lang l)
{
    if (q <= 0.001)
        return sol_lpgettext(l, "alert certainty", "almost certain");
    if (q <= 0.01)
        return sol_lpgettext(l, "alert certainty", "very likely");
    return sol_lpgettext(l, "alert certainty", "likely");
}

/* A figure as people read it in the language: no exponent, a few decimals by size, the
 * language's decimal mark and thousands separator ("21,680", "21.680", "21 680"). */
static const char *fmt_num(double v, sol_lang l, char out[48])
{
    double a = fabs(v);
    int dec = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 2 : 3;
    sol_lang_number(l, v, dec, 1, out, 48);
    return out;
}

/* "q = 0.0012" with two significant digits in the language; "q < 0.000001" below that. */
static const char *fmt_q(double q, sol_lang l, char out[48])
{
    char num[40];
    if (q < 1e-6) {
        sol_lang_number(l, 1e-6, 6, 0, num, sizeof num);
        snprintf(out, 48, "q < %s", num);
        return out;
    }
    int dec = q > 0 ? 1 - (int)floor(log10(q)) : 0;
    sol_lang_number(l, q, dec < 0 ? 0 : dec > 7 ? 7 : dec, 0, num, sizeof num);
    snprintf(out, 48, "q = %s", num);
    return out;
}

/* The sentence of alert c in language l, from the templates of the catalogue (one whole
 * sentence for each kind, direction and judgement, so that each language keeps its own word
 * order and agreement). */
static void sentence(const cand *c, const char *area, const char *label, const char *since,
                     sol_lang l, char *buf, size_t cap)
{
    const sol_alert_test *t = &c->t;
    int w = c->worsening, up = t->rising > 0;
    const char *s = sure(c->q, l);
    char na[48], nb[48], nslope[48], nq[48];
    const char *A = fmt_num(t->a, l, na), *B = fmt_num(t->b, l, nb);
    const char *slope = fmt_num(fabs(t->a), l, nslope), *Q = fmt_q(c->q, l, nq);
    const char *fmt;
    switch (c->kind) {
    case SOL_ALERT_TREND:
        /* TRANSLATORS: area, indicator, first period, yearly change, how sure, "q = 0.01" */
        fmt = w && up ? sol_lgettext(l, "%s: %s has been getting worse since %s, a steady rise "
                                        "of %s a year (trend; %s, %s).")
              : w     ? sol_lgettext(l, "%s: %s has been getting worse since %s, a steady fall "
                                            "of %s a year (trend; %s, %s).")
              : up    ? sol_lgettext(l, "%s: %s has been getting better since %s, a steady rise "
                                           "of %s a year (trend; %s, %s).")
                      : sol_lgettext(l, "%s: %s has been getting better since %s, a steady fall "
                                           "of %s a year (trend; %s, %s).");
        snprintf(buf, cap, fmt, area, label, since, slope, s, Q);
        break;
    case SOL_ALERT_CHANGE:
        /* TRANSLATORS: area, indicator, average before, average after, first period after, how
           sure, "q = 0.01" */
        fmt = w && up ? sol_lgettext(l, "%s: %s rose from an average of %s to %s from %s on, a "
                                        "worse level (change point; %s, %s).")
              : w     ? sol_lgettext(l, "%s: %s fell from an average of %s to %s from %s on, a "
                                            "worse level (change point; %s, %s).")
              : up    ? sol_lgettext(l, "%s: %s rose from an average of %s to %s from %s on, a "
                                           "better level (change point; %s, %s).")
                      : sol_lgettext(l, "%s: %s fell from an average of %s to %s from %s on, a "
                                           "better level (change point; %s, %s).");
        snprintf(buf, cap, fmt, area, label, A, B, since, s, Q);
        break;
    default:
        /* TRANSLATORS: area, indicator, period, the value, the value expected, how sure,
           "q = 0.01" */
        fmt = w && up ? sol_lgettext(l, "%s: %s in %s was unusually high (%s against an expected "
                                        "%s), a worse figure (anomaly; %s, %s).")
              : w     ? sol_lgettext(l, "%s: %s in %s was unusually low (%s against an expected "
                                            "%s), a worse figure (anomaly; %s, %s).")
              : up    ? sol_lgettext(l, "%s: %s in %s was unusually high (%s against an expected "
                                           "%s), a better figure (anomaly; %s, %s).")
                      : sol_lgettext(l, "%s: %s in %s was unusually low (%s against an expected "
                                           "%s), a better figure (anomaly; %s, %s).");
        snprintf(buf, cap, fmt, area, label, since, A, B, s, Q);
    }
}

static int cand_rank(const void *pa, const void *pb)
{
    const cand *a = pa, *b = pb;
    if (a->t.strength != b->t.strength)
        return a->t.strength > b->t.strength ? -1 : 1;
    if (a->q != b->q)
        return a->q < b->q ? -1 : 1;
    if (a->ind != b->ind)
        return a->ind < b->ind ? -1 : 1;
    if (a->series != b->series)
        return a->series < b->series ? -1 : 1;
    return (int)a->kind - (int)b->kind;
}

static int wanted(const char *list, const char *code)
{
    if (list == NULL)
        return 1;
    size_t n = strlen(code);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, code, n) == 0)
            return 1;
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

void sol_run_alerts_job_init(sol_alerts_job *j)
{
    memset(j, 0, sizeof *j);
    j->fdr = 0.1;
}

/* The output's alerts point into its result document. */
static sol_status fill_output(json_t *res, sol_alerts_output *out)
{
    json_t *arr = json_object_get(res, "alerts"), *a;
    size_t i;
    static const char *const langs[] = {"en", "it", "fr"};
    out->n = json_array_size(arr);
    if ((out->alerts = sol__calloc(out->n ? out->n : 1, sizeof *out->alerts)) == NULL)
        return SOL_ENOMEM;
    json_array_foreach(arr, i, a)
    {
        sol_alert *x = &out->alerts[i];
        x->rank = (size_t)json_integer_value(json_object_get(a, "rank"));
        x->area = json_string_value(json_object_get(a, "area"));
        x->area_name = json_string_value(json_object_get(a, "area_name"));
        x->indicator = json_string_value(json_object_get(a, "indicator"));
        x->indicator_label = json_string_value(json_object_get(a, "indicator_label"));
        x->kind = json_string_value(json_object_get(a, "kind"));
        x->direction = json_string_value(json_object_get(a, "direction"));
        x->strength = json_real_value(json_object_get(a, "strength"));
        x->since = json_string_value(json_object_get(a, "since"));
        x->p = json_real_value(json_object_get(a, "p"));
        x->q = json_real_value(json_object_get(a, "q"));
        for (int k = 0; k < 3; k++)
            x->sentence[k] =
                json_string_value(json_object_get(json_object_get(a, "sentence"), langs[k]));
    }
    out->tests = (size_t)json_integer_value(json_object_get(res, "tests"));
    out->fdr = json_real_value(json_object_get(res, "fdr"));
    snprintf(out->since, sizeof out->since, "%s", json_string_value(json_object_get(res, "since")));
    out->doc_ = res;
    return SOL_OK;
}

void sol_alerts_output_free(sol_alerts_output *o)
{
    if (o == NULL)
        return;
    json_decref(o->doc_);
    sol__free(o->alerts);
    free(o->result_json);
    sol__free(o);
}

/* The alerts array of the `kept` candidates (ranked); NULL when out of memory. */
static json_t *alerts_array(const cand *cs, size_t kept, const lists *l)
{
    json_t *arr = json_array();
    for (size_t k = 0; arr && k < kept; k++) {
        const cand *c = &cs[k];
        const ind_info *ii = &l->ind[c->ind];
        const sol_ts *ts = &c->set->series[c->series];
        const char *an = area_name(l, ts->id);
        char sl[16], s3[3][1024];
        sol_ts_period_label(c->set->freq, c->t.since, sl);
        static const sol_lang order[3] = {SOL_LANG_EN, SOL_LANG_IT, SOL_LANG_FR}; /* en, it, fr */
        for (int k3 = 0; k3 < 3; k3++)
            sentence(c, an, ii->label, sl, order[k3], s3[k3], sizeof s3[k3]);
        json_t *a = json_pack(
            "{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:f,s:s,s:f,s:f,s:{s:s,s:s,s:s}}", "rank",
            (json_int_t)(k + 1), "area", ts->id, "area_name", an, "indicator", ii->code,
            "indicator_label", ii->label, "kind", kind_name[c->kind], "direction",
            c->worsening ? "worsening" : "improving", "strength", c->t.strength, "since", sl, "p",
            c->t.p, "q", c->q, "sentence", "en", s3[0], "it", s3[1], "fr", s3[2]);
        if (!a || json_array_append_new(arr, a) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

/* What the public sees of the alerts: the same tests over the series that hold no withheld
 * value (of their indicator, in any period), the false discovery rate controlled over those
 * tests alone, so that neither the list nor a q value depends on a withheld value. NULL when
 * no tested series holds a withheld value (*err_rc SOL_OK), or on failure (*err_rc set). */
static json_t *public_alerts(sol_store *st, const cand *all, size_t nc, const lists *l, double fdr,
                             sol_status *err_rc, sol_error *err)
{
    sol_withheld *w = NULL;
    cand *pc = NULL;
    double *p = NULL, *q = NULL;
    json_t *pub = NULL, *arr = NULL;
    size_t np = 0, kept = 0;
    *err_rc = sol_withheld_new(&w, err);
    for (size_t i = 0; *err_rc == SOL_OK && i < l->n; i++)
        *err_rc = sol_withheld_add(w, st, l->ind[i].code, NULL, err);
    if (*err_rc != SOL_OK)
        goto done;
    if ((pc = malloc((nc ? nc : 1) * sizeof *pc)) == NULL)
        goto oom;
    for (size_t k = 0; k < nc; k++)
        if (!sol_withheld_has(w, l->ind[all[k].ind].code, all[k].set->series[all[k].series].id))
            pc[np++] = all[k];
    if (np == nc)
        goto done; /* nothing withheld among the tested series */
    p = sol__malloc((np ? np : 1) * sizeof *p);
    q = sol__malloc((np ? np : 1) * sizeof *q);
    if (!p || !q)
        goto oom;
    for (size_t k = 0; k < np; k++)
        p[k] = pc[k].t.p;
    if (np && sol_p_adjust_bh(p, np, q) != SOL_OK)
        goto oom;
    for (size_t k = 0; k < np; k++) {
        pc[k].q = q[k];
        if (q[k] <= fdr)
            pc[kept++] = pc[k];
    }
    qsort(pc, kept, sizeof *pc, cand_rank);
    if ((arr = alerts_array(pc, kept, l)) == NULL ||
        (pub = json_pack("{s:I,s:I,s:o,s:s}", "tests", (json_int_t)np, "series_withheld_tests",
                         (json_int_t)(nc - np), "alerts", arr, "note",
                         "computed from the values the public may see: the series holding a "
                         "withheld value were left out, and the false discovery rate is "
                         "controlled over the other series' tests alone")) == NULL)
        goto oom;
    arr = NULL;
    goto done;
oom:
    *err_rc = sol__err(err, SOL_ENOMEM, "out of memory computing alerts");
done:
    json_decref(arr);
    sol_withheld_free(w);
    free(pc);
    sol__free(p);
    sol__free(q);
    return pub;
}

sol_status sol_run_alerts(sol_store *st, const sol_alerts_job *o, sol_alerts_output **out,
                          sol_error *err)
{
    double fdr = o && o->fdr != 0 ? o->fdr : 0.1;
    if (!(fdr > 0 && fdr <= 1))
        return sol__err(err, SOL_EINVAL, "fdr %g: expected a rate in (0, 1], e.g. 0.1", fdr);
    lists l = {0};
    sol_status rc = sol_store_indicators(st, on_ind, &l, err);
    if (rc == SOL_OK)
        rc = sol_store_areas(st, 0, on_area, &l, err);
    if (rc == SOL_OK && l.oom)
        rc = sol__err(err, SOL_ENOMEM, "out of memory listing indicators and areas");
    if (rc != SOL_OK) {
        lists_free(&l);
        return rc;
    }
    /* every listed code must exist */
    if (o && o->indicators) {
        const char *p = o->indicators;
        while (*p) {
            const char *e = strchr(p, ',');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            int found = 0;
            for (size_t i = 0; i < l.n && !found; i++)
                found = strlen(l.ind[i].code) == len && strncmp(l.ind[i].code, p, len) == 0;
            if (!found) {
                rc = sol__err(err, SOL_ENOTFOUND,
                              "no indicator '%.*s' in the store ('solidata indicators' lists "
                              "them)",
                              (int)len, p);
                lists_free(&l);
                return rc;
            }
            if (!e)
                break;
            p = e + 1;
        }
    }
    char since_label[16] = "", since_freq = 'A';
    int64_t since_idx = 0;
    if (o && o->since) {
        if (sol_period_parse(o->since, strlen(o->since), since_label, &since_freq, &since_idx) !=
            SOL_OK) {
            lists_free(&l);
            return sol__err(err, SOL_EPARSE,
                            "--since %s: not a period (write 2019, 2019-Q1 or 2019-05)", o->since);
        }
    } else {
        int64_t y = INT64_MIN;
        for (size_t i = 0; i < l.n; i++) {
            char lab[16], fr;
            int64_t idx;
            if (l.ind[i].last[0] &&
                sol_period_parse(l.ind[i].last, strlen(l.ind[i].last), lab, &fr, &idx) == SOL_OK) {
                int64_t yy = idx / sol_ts_frequency(fr);
                y = yy > y ? yy : y;
            }
        }
        since_idx = y == INT64_MIN ? 0 : y - 5;
        snprintf(since_label, sizeof since_label, "%d", (int)(since_idx % 100000));
    }

    sol_ts_set **sets = sol__calloc(l.n ? l.n : 1, sizeof *sets);
    cand *cs = NULL;
    size_t nc = 0, capc = 0, ntests = 0, skipped_polarity = 0;
    json_t *res = NULL, *arr = NULL, *spec = NULL, *method = NULL, *choices = NULL, *inputs = NULL,
           *pub = NULL;
    char *res_s = NULL, *spec_s = NULL, *method_s = NULL, *choices_s = NULL, *inputs_s = NULL;
    double *p = NULL, *q = NULL;
    sol_alerts_output *ao = sol__calloc(1, sizeof *ao);
    if (!sets || !ao)
        goto oom;
    for (size_t i = 0; i < l.n; i++) {
        if (!wanted(o ? o->indicators : NULL, l.ind[i].code) || l.ind[i].last[0] == 0)
            continue;
        if (l.ind[i].polarity == 0) {
            skipped_polarity++;
            continue;
        }
        sol_error e2;
        rc = sol_run_series_from_store(st, l.ind[i].code, &sets[i], &e2);
        if (rc == SOL_EINVAL || rc == SOL_ENOTFOUND) { /* mixed frequencies or no values */
            sets[i] = NULL;
            continue;
        }
        if (rc != SOL_OK) {
            if (err)
                *err = e2;
            goto fail;
        }
        sol_ts_set *set = sets[i];
        int64_t since = convert_since(since_freq, since_idx, set->freq);
        sol_alert_test *tests = sol__calloc(set->n ? 3 * set->n : 1, sizeof *tests);
        if (!tests)
            goto oom;
#pragma omp parallel for schedule(dynamic, 4)
        for (size_t s = 0; s < set->n; s++)
            sol_ts_alert_tests(&set->series[s], since, &tests[3 * s]);
        for (size_t s = 0; s < set->n; s++)
            for (int k = 0; k < 3; k++) {
                if (!tests[3 * s + k].ran)
                    continue;
                if (nc == capc) {
                    size_t c = capc ? 2 * capc : 1024;
                    cand *np = realloc(cs, c * sizeof *np);
                    if (!np) {
                        sol__free(tests);
                        goto oom;
                    }
                    cs = np, capc = c;
                }
                cand *c = &cs[nc++];
                c->ind = i, c->series = s, c->set = set, c->kind = (sol_alert_kind)k;
                c->t = tests[3 * s + k];
                /* worsening: the need grows, i.e. the value moves against the polarity */
                c->worsening = (c->t.rising > 0) == (l.ind[i].polarity < 0);
            }
        sol__free(tests);
    }
    ntests = nc;
    if ((pub = public_alerts(st, cs, nc, &l, fdr, &rc, err)) == NULL && rc != SOL_OK)
        goto fail;
    p = sol__malloc((nc ? nc : 1) * sizeof *p);
    q = sol__malloc((nc ? nc : 1) * sizeof *q);
    if (!p || !q)
        goto oom;
    for (size_t k = 0; k < nc; k++)
        p[k] = cs[k].t.p;
    if (sol_p_adjust_bh(p, nc, q) != SOL_OK)
        goto oom;
    size_t kept = 0;
    for (size_t k = 0; k < nc; k++) {
        cs[k].q = q[k];
        if (q[k] <= fdr)
            cs[kept++] = cs[k];
    }
    qsort(cs, kept, sizeof *cs, cand_rank);

    res = json_object();
    arr = json_array();
    if (!res || !arr)
        goto oom;
    json_object_set_new(res, "since", json_string(since_label));
    json_object_set_new(res, "fdr", json_real(fdr));
    json_object_set_new(res, "tests", json_integer((json_int_t)ntests));
    json_decref(arr);
    if ((arr = alerts_array(cs, kept, &l)) == NULL)
        goto oom;
    json_object_set_new(res, "alerts", arr);
    arr = NULL;
    if (pub) {
        json_object_set_new(res, "public", pub);
        pub = NULL;
    }
    spec = json_pack("{s:s,s:s?,s:f}", "since", since_label, "indicators", o ? o->indicators : NULL,
                     "fdr", fdr);
    method = json_pack(
        "{s:s,s:s}", "name",
        N_("emerging needs: Mann-Kendall trend over the window, Pettitt change, robust z of the "
           "latest remainder (running median or classical decomposition); Benjamini-Hochberg "
           "false discovery rate over all tests"),
        "reference",
        "Mann 1945; Sen 1968; Pettitt 1979; Kendall and Stuart (classical decomposition), "
        "Tukey 1977 (running medians); Iglewicz and Hoaglin 1993 (robust z); Benjamini and "
        "Hochberg 1995; as R trend::mk.test, pettitt.test, stats::decompose, runmed, p.adjust");
    choices = json_pack("{s:f,s:s,s:s,s:I}", "fdr", fdr, "since", since_label, "direction",
                        N_("by the indicator's polarity (worsening = need growing)"),
                        "indicators_without_polarity_left_out", (json_int_t)skipped_polarity);
    inputs = json_object();
    if (!spec || !method || !choices || !inputs)
        goto oom;
    res_s = json_dumps(res, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    spec_s = json_dumps(spec, JSON_COMPACT | JSON_PRESERVE_ORDER);
    method_s = json_dumps(method, JSON_COMPACT | JSON_PRESERVE_ORDER);
    choices_s = json_dumps(choices, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!res_s || !spec_s || !method_s || !choices_s)
        goto oom;
    rc = sol_run_record(st,
                        &(sol_run_card){.kind = "alerts",
                                        .spec_json = spec_s,
                                        .method_json = method_s,
                                        .choices_json = choices_s,
                                        .result_json = res_s},
                        &ao->run_id, err);
    if (rc != SOL_OK)
        goto fail;
    if (fill_output(res, ao) != SOL_OK)
        goto oom;
    res = NULL; /* owned by the output now */
    ao->result_json = res_s;
    res_s = NULL;
    *out = ao;
    ao = NULL;
    goto done;
oom:
    rc = sol__err(err, SOL_ENOMEM, "out of memory computing alerts");
fail:
done:
    for (size_t i = 0; sets && i < l.n; i++)
        sol_ts_set_free(sets[i]);
    sol__free(sets);
    free(cs);
    sol__free(p), sol__free(q);
    json_decref(res), json_decref(arr), json_decref(spec), json_decref(method);
    json_decref(choices), json_decref(inputs), json_decref(pub);
    free(res_s), free(spec_s), free(method_s), free(choices_s), free(inputs_s);
    sol_alerts_output_free(ao);
    lists_free(&l);
    return rc;
}

typedef struct latest {
    json_t *j;
} latest;

static int on_latest(void *ud, const sol_run *r)
{
    latest *x = ud;
    if (x->j)
        return 1;
    json_t *j = r->result ? json_loads(r->result, 0, NULL) : NULL;
    if (!json_is_object(j)) {
        json_decref(j);
        return 0;
    }
    json_object_set_new(j, "run", json_integer((json_int_t)r->id));
    json_object_set_new(j, "created", json_string(r->created_at ? r->created_at : ""));
    x->j = j;
    return 1;
}

/* published figures revised by their provider (connect.h) come first in the list: each is an
 * alert of kind "revision" */
static sol_status add_revisions(sol_store *st, json_t *j, sol_error *err)
{
    char *s = NULL;
    sol_status rc = sol_connect_revision_alerts(st, 20, &s, err);
    if (rc != SOL_OK)
        return rc;
    json_t *revs = json_loads(s, 0, NULL);
    free(s);
    json_t *where[2] = {json_object_get(j, "alerts"),
                        json_object_get(json_object_get(j, "public"), "alerts")};
    for (size_t l = 0; l < 2; l++) {
        size_t i;
        if (!json_is_array(where[l]))
            continue;
        for (i = 0; i < json_array_size(revs); i++)
            json_array_insert(where[l], i, json_array_get(revs, i));
    }
    if (json_array_size(revs))
        json_object_set_new(j, "revisions", json_integer((json_int_t)json_array_size(revs)));
    json_decref(revs);
    return SOL_OK;
}

sol_status sol_run_alerts_latest(sol_store *st, char **json, sol_error *err)
{
    latest x = {0};
    sol_status rc = sol_store_runs(st, "alerts", 1, on_latest, &x, err);
    if (rc != SOL_OK) {
        json_decref(x.j);
        return rc;
    }
    if (!x.j)
        x.j = json_pack("{s:[],s:s}", "alerts", "note",
                        _("no alerts computed yet: run 'solidata alerts' on the store"));
    if (x.j && (rc = add_revisions(st, x.j, err)) != SOL_OK) {
        json_decref(x.j);
        return rc;
    }
    char *s =
        x.j ? json_dumps(x.j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)) : NULL;
    json_decref(x.j);
    if (!s)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    *json = s;
    return SOL_OK;
}
