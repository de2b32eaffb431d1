/* evaluate.c - one difference-in-differences (from a file, or from the panel of a store indicator)
 * or synthetic control (from a file): the job checked, the inputs read, the method called, the
 * result as JSON and the run recorded with its method card. */
#include <solidata/run_evaluate.h>

#include <solidata/run.h>

#include "core/core.h"
#include "run/run_int.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "a, b,,c" into at most `max` names (blanks before a name skipped, empty ones left out), as
 * pointers into `buf`, which is modified. */
static size_t split_list(char *buf, const char **out, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok && n < max; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        if (*tok)
            out[n++] = tok;
    }
    return n;
}

static json_t *str_array(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t k = 0; a != NULL && k < n; k++)
        json_array_append_new(a, json_string(v[k]));
    return a;
}

/* ---- the job --------------------------------------------------------------------------------- */

void sol_run_evaluate_job_init(sol_evaluate_job *j, sol_evaluate_analysis a)
{
    memset(j, 0, sizeof *j);
    j->analysis = a;
    j->se = -1;
}

static sol_status check_synth(const sol_evaluate_job *j, sol_error *err)
{
    const char *name[] = {"--data",    "--unit-field", "--time-field",
                          "--outcome", "--treated",    "--spec"};
    const char *given[] = {j->data, j->unit_field, j->time_field, j->outcome, j->treated, j->spec};
    for (size_t k = 0; k < sizeof name / sizeof *name; k++)
        if (given[k] == NULL)
            return sol__run_job_error(err, name[k], "is required");
    if (!isfinite(j->synth_start))
        return sol__run_job_error(err, "--treatment-start", "must be a period number");
    return SOL_OK;
}

sol_status sol_run_evaluate_check(const sol_evaluate_job *j, sol_error *err)
{
    if (j->analysis == SOL_EVALUATE_SYNTH)
        return check_synth(j, err);
    if (j->indicator) {
        if (j->data || j->outcome || j->treated || j->post || j->unit_field || j->time_field)
            return sol__run_job_error(
                err, "--indicator",
                "reads the panel from the store: leave out --data, --outcome, "
                "--treated, --post, --unit-field and --time-field");
        if (!j->treated_areas || !j->treatment_start)
            return sol__run_job_error(err, "--indicator",
                                      "needs --treated-areas and --treatment-start");
    } else if (j->treated_areas || j->treatment_start) {
        return sol__run_job_error(err, j->treated_areas ? "--treated-areas" : "--treatment-start",
                                  "goes with --indicator (store mode)");
    } else if (!j->data) {
        return sol__run_job_error(err, "--data",
                                  "(or --indicator), --outcome, --treated and --post are "
                                  "required");
    } else if (!j->outcome || !j->treated || !j->post) {
        return sol__run_job_error(err, "--data", "--outcome, --treated and --post are required");
    }
    if (j->time_field && !j->unit_field)
        return sol__run_job_error(err, "--time-field", "needs --unit-field");
    if (j->se < -1 || j->se > SOL_SE_CLUSTER)
        return sol__run_job_error(err, "--se", "must be classical, hc1 or cluster");
    if (j->se == SOL_SE_CLUSTER && !j->unit_field && !j->indicator)
        return sol__run_job_error(err, "--se", "cluster needs --unit-field to cluster by");
    if (j->indicator && j->controls && strpbrk(j->controls, "\"\r\n") != NULL)
        return sol__run_job_error(err, "--controls",
                                  "names an indicator code with a quote or a line break");
    if (j->indicator) {
        size_t n = 0;
        for (const char *p = j->treated_areas; *p; p += strcspn(p, ","), p += *p == ',') {
            const char *q = p + strspn(p, " ");
            n += *q != ',' && *q != '\0';
        }
        if (n == 0 || n > SOL_EVALUATE_MAX_TREATED)
            return sol__run_job_error(err, "--treated-areas", "must list 1 to %d area codes",
                                      SOL_EVALUATE_MAX_TREATED);
    }
    return SOL_OK;
}

/* ---- store mode: the panel of an indicator as a table ---------------------------------------- */

typedef struct panel_row {
    char *area;
    int64_t t; /* period index (the year for annual data) */
    double *x; /* outcome, then one value per control (NaN when missing) */
} panel_row;

typedef struct panel {
    panel_row *row;
    size_t n, alloc, nx; /* nx: 1 + controls */
    size_t k;            /* which value the walk fills */
    char freq;
    int failed;
    char msg[256]; /* why the walk stopped */
} panel;

static int panel_cmp(const panel_row *a, const char *area, int64_t t)
{
    int c = strcmp(a->area, area);
    return c ? c : (a->t < t ? -1 : a->t > t);
}

/* Store walk: the outcome appends rows (the store orders them by area and period); each
 * control fills its column of the matching row, found by binary search. */
static int panel_obs(void *ud, const sol_obs *o)
{
    panel *p = ud;
    char label[16], freq;
    int64_t t;
    if (sol_period_parse(o->period, strlen(o->period), label, &freq, &t) != SOL_OK)
        return 0;
    if (p->freq == 0)
        p->freq = freq;
    if (freq != p->freq) {
        snprintf(p->msg, sizeof p->msg,
                 "indicator %s mixes period frequencies (%s); the panel needs one", o->indicator,
                 o->period);
        p->failed = 1;
        return 1;
    }
    if (p->k == 0) {
        if (p->n == p->alloc) {
            size_t na = p->alloc ? 2 * p->alloc : 256;
            panel_row *r = sol__realloc(p->row, na * sizeof *r);
            if (r == NULL)
                goto nomem;
            p->row = r;
            p->alloc = na;
        }
        panel_row *r = &p->row[p->n];
        r->area = sol__strdup(o->area);
        r->x = sol__malloc(p->nx * sizeof *r->x);
        if (r->area == NULL || r->x == NULL) {
            sol__free(r->area);
            sol__free(r->x);
            goto nomem;
        }
        r->t = t;
        r->x[0] = o->value;
        for (size_t j = 1; j < p->nx; j++)
            r->x[j] = NAN;
        p->n++;
        return 0;
    }
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = panel_cmp(&p->row[mid], o->area, t);
        if (c == 0) {
            p->row[mid].x[p->k] = o->value;
            return 0;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
nomem:
    snprintf(p->msg, sizeof p->msg, "out of memory reading the panel");
    p->failed = 1;
    return 1;
}

static void panel_free(panel *p)
{
    for (size_t i = 0; i < p->n; i++) {
        sol__free(p->row[i].area);
        sol__free(p->row[i].x);
    }
    sol__free(p->row);
}

/* One CSV field: quoted when it holds a comma, a quote or a line break. */
static sol_status csv_field(sol_buf *b, const char *s)
{
    if (strpbrk(s, ",\"\n\r") == NULL)
        return sol__buf_add(b, s, strlen(s));
    sol_status rc = sol__buf_addc(b, '"');
    for (; rc == SOL_OK && *s; s++)
        if ((*s != '"' || (rc = sol__buf_addc(b, '"')) == SOL_OK))
            rc = sol__buf_addc(b, *s);
    return rc == SOL_OK ? sol__buf_addc(b, '"') : rc;
}

static int is_treated(const char *area, const char **treated, size_t n)
{
    for (size_t j = 0; j < n; j++)
        if (strcmp(area, treated[j]) == 0)
            return 1;
    return 0;
}

/* The panel as CSV: area,period,value,treated,post and one column per control. */
static sol_status panel_csv(const panel *p, const char **treated, size_t ntreated, int64_t t0,
                            const char **ctl, size_t nc, sol_buf *b, size_t *n_treated_rows)
{
    sol_status rc = sol__buf_addf(b, "area,period,value,treated,post");
    for (size_t k = 0; rc == SOL_OK && k < nc; k++)
        rc = sol__buf_addf(b, ",%s", ctl[k]);
    if (rc == SOL_OK)
        rc = sol__buf_addc(b, '\n');
    for (size_t i = 0; rc == SOL_OK && i < p->n; i++) {
        const panel_row *r = &p->row[i];
        int tr = is_treated(r->area, treated, ntreated);
        *n_treated_rows += (size_t)tr;
        if ((rc = csv_field(b, r->area)) == SOL_OK)
            rc = sol__buf_addf(b, ",%lld,", (long long)r->t);
        for (size_t k = 0; rc == SOL_OK && k < p->nx; k++) {
            if (k == 1)
                rc = sol__buf_addf(b, ",%d,%d", tr, r->t >= t0);
            if (rc == SOL_OK && k > 0)
                rc = sol__buf_addc(b, ',');
            if (rc == SOL_OK)
                rc = isfinite(r->x[k]) ? sol__buf_addf(b, "%.17g", r->x[k])
                                       : sol__buf_add(b, "NA", 2);
        }
        if (rc == SOL_OK && p->nx == 1)
            rc = sol__buf_addf(b, ",%d,%d", tr, r->t >= t0);
        if (rc == SOL_OK)
            rc = sol__buf_addc(b, '\n');
    }
    return rc;
}

/* The panel of job->indicator (and its controls) as the table sol_did_run reads: columns area,
 * period, value, treated, post and one per control. Unknown treated areas, a start outside the
 * data and a panel without control areas are errors that say how to fix them. */
static sol_status panel_table(sol_store *st, const sol_evaluate_job *j, const char **treated,
                              size_t ntreated, const char **ctl, size_t nc, sol_dtable **out,
                              sol_error *err)
{
    panel p = {.nx = 1 + nc};
    sol_status rc = SOL_OK;
    sol_buf b;
    sol__buf_init(&b, SOL_MAX_EVAL_BYTES);
    for (size_t k = 0; k <= nc && !p.failed; k++) {
        p.k = k;
        const char *code = k ? ctl[k - 1] : j->indicator;
        size_t before = p.n;
        if ((rc = sol_store_observations(st, code, NULL, panel_obs, &p, err)) != SOL_OK)
            goto done;
        if (k == 0 && p.n == before && !p.failed) {
            rc = sol__err(err, SOL_ENOTFOUND,
                          "indicator '%s' has no observations in the store; 'solidata "
                          "indicators' lists the codes",
                          code);
            goto done;
        }
    }
    if (p.failed) {
        rc = sol__err(err, strstr(p.msg, "out of memory") ? SOL_ENOMEM : SOL_EINVAL, "%s", p.msg);
        goto done;
    }
    char label[16], freq;
    int64_t t0;
    const char *start = j->treatment_start;
    if (sol_period_parse(start, strlen(start), label, &freq, &t0) != SOL_OK || freq != p.freq) {
        rc = sol__run_job_error(err, "--treatment-start",
                                "'%s' is not a period of the indicator's frequency (e.g. 2020, "
                                "2020-Q1, 2020-01)",
                                start);
        goto done;
    }
    int64_t tmin = INT64_MAX, tmax = INT64_MIN;
    for (size_t i = 0; i < p.n; i++) {
        tmin = p.row[i].t < tmin ? p.row[i].t : tmin;
        tmax = p.row[i].t > tmax ? p.row[i].t : tmax;
    }
    if (!(t0 > tmin && t0 <= tmax)) {
        rc = sol__err(err, SOL_EINVAL,
                      "--treatment-start %s leaves no period before or none from it in the data "
                      "of %s; choose a period after its first and up to its last",
                      start, j->indicator);
        goto done;
    }
    for (size_t k = 0; k < ntreated; k++) {
        int found = 0;
        for (size_t i = 0; i < p.n && !found; i++)
            found = strcmp(p.row[i].area, treated[k]) == 0;
        if (!found) {
            rc = sol__err(err, SOL_EINVAL,
                          "treated area '%s' has no value of %s; 'solidata areas' lists the codes",
                          treated[k], j->indicator);
            goto done;
        }
    }
    size_t n_treated_rows = 0;
    if ((rc = panel_csv(&p, treated, ntreated, t0, ctl, nc, &b, &n_treated_rows)) != SOL_OK) {
        rc = rc == SOL_ENOMEM ? sol__err(err, rc, "out of memory")
                              : sol__err(err, rc, "the panel of %s is too large", j->indicator);
        goto done;
    }
    if (n_treated_rows == p.n) {
        rc = sol__err(err, SOL_EINVAL,
                      "every area with %s is treated: a difference-in-differences needs areas "
                      "that were not",
                      j->indicator);
        goto done;
    }
    char name[128];
    snprintf(name, sizeof name, "store:%s", j->indicator);
    rc = sol_dtable_read_mem(b.data, b.len, name, out, err);
done:
    sol__buf_free(&b);
    panel_free(&p);
    return rc;
}

/* ---- difference-in-differences --------------------------------------------------------------- */

static json_t *did_json(const sol_did_result *r)
{
    json_t *o = json_object(), *co = json_array(), *ev = json_array();
    json_object_set_new(o, "design", json_string(r->twfe ? "two-way fixed effects" : "2x2"));
    json_object_set_new(o, "term", json_string(r->term));
    json_object_set_new(o, "estimate", sol__run_num(r->estimate));
    json_object_set_new(o, "se", sol__run_num(r->se));
    json_object_set_new(o, "t", sol__run_num(r->t));
    json_object_set_new(o, "p", sol__run_num(r->p));
    json_object_set_new(o, "n", json_integer((json_int_t)r->n));
    json_object_set_new(o, "n_dropped", json_integer((json_int_t)r->n_dropped));
    json_object_set_new(o, "se_type", json_string(sol_se_name(r->se_kind)));
    json_object_set_new(o, "df", sol__run_num(r->df));
    if (r->n_units)
        json_object_set_new(o, "n_units", json_integer((json_int_t)r->n_units));
    if (r->n_periods)
        json_object_set_new(o, "n_periods", json_integer((json_int_t)r->n_periods));
    if (r->n_clusters)
        json_object_set_new(o, "n_clusters", json_integer((json_int_t)r->n_clusters));
    json_object_set_new(o, "means",
                        json_pack("{s:o,s:o,s:o,s:o}", "treated_pre",
                                  sol__run_num(r->mean_treated_pre), "treated_post",
                                  sol__run_num(r->mean_treated_post), "control_pre",
                                  sol__run_num(r->mean_control_pre), "control_post",
                                  sol__run_num(r->mean_control_post)));
    for (size_t i = 0; i < r->n_terms; i++)
        json_array_append_new(
            co, json_pack("{s:s,s:o,s:o,s:o,s:o}", "term", r->terms[i].term, "estimate",
                          sol__run_num(r->terms[i].estimate), "se", sol__run_num(r->terms[i].se),
                          "t", sol__run_num(r->terms[i].t), "p", sol__run_num(r->terms[i].p)));
    json_object_set_new(o, "coefficients", co);
    for (size_t i = 0; i < r->n_events; i++) {
        const sol_did_event *e = &r->events[i];
        json_array_append_new(
            ev, json_pack("{s:I,s:o,s:b,s:o,s:o,s:o,s:o}", "rel", (json_int_t)e->rel, "time",
                          e->time ? json_string(e->time) : json_null(), "reference", e->reference,
                          "estimate", sol__run_num(e->estimate), "se", sol__run_num(e->se), "t",
                          sol__run_num(e->t), "p", sol__run_num(e->p)));
    }
    json_object_set_new(o, "event_study", ev);
    json_object_set_new(o, "pretest",
                        json_pack("{s:b,s:o,s:o,s:o,s:o,s:s}", "available", r->pretest, "F",
                                  r->pretest ? sol__run_num(r->pretest_f) : json_null(), "df1",
                                  r->pretest ? sol__run_num(r->pretest_df1) : json_null(), "df2",
                                  r->pretest ? sol__run_num(r->pretest_df2) : json_null(), "p",
                                  r->pretest ? sol__run_num(r->pretest_p) : json_null(), "note",
                                  r->pretest_note));
    return o;
}

static const char DID_REFERENCE[] =
    "Wooldridge (2010) Econometric Analysis of Cross Section and Panel Data, 6.5 and 10; "
    "HC1: MacKinnon & White (1985); clustered: Arellano (1987), Stata xtreg fe factor";

/* The result JSON and, with `st`, the run recorded with its spec, method and choices. */
static sol_status did_finish(sol_store *st, const sol_evaluate_job *j, const sol_did_spec *s,
                             const char **tl, size_t ntl, const sol_dtable *t, json_t *root,
                             int64_t *run_id, char **json, sol_error *err)
{
    const char *se = sol_se_name(s->se);
    json_t *cl = str_array(s->controls, s->n_controls);
    json_t *spec =
        json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:s?,s:s?,s:s}", "command", "evaluate did", "data",
                  j->data ? j->data : sol_dtable_name(t), "data_sha256", sol_dtable_sha256(t),
                  "outcome", s->outcome, "treated", s->treated, "controls", json_deep_copy(cl),
                  "unit_field", s->unit_field, "time_field", s->time_field, "se", se);
    json_t *method = json_pack(
        "{s:s,s:s,s:s}", "name",
        s->time_field ? N_("difference-in-differences, two-way fixed effects with event study")
                      : N_("difference-in-differences, 2x2 regression"),
        "reference", DID_REFERENCE, "assumption",
        "parallel trends: without the measure, treated and control outcomes would have moved "
        "alike");
    json_t *choices = json_pack("{s:s,s:s,s:s,s:o}", "outcome", s->outcome, "treated", s->treated,
                                "post", s->post, "controls", cl);
    json_object_set_new(choices, "se", json_string(se));
    if (j->indicator) {
        json_object_set_new(spec, "indicator", json_string(j->indicator));
        json_object_set_new(spec, "treated_areas", str_array(tl, ntl));
        json_object_set_new(spec, "treatment_start", json_string(j->treatment_start));
        json_object_set_new(choices, "treated_areas", str_array(tl, ntl));
        json_object_set_new(choices, "treatment_start", json_string(j->treatment_start));
    }
    return sol__run_finish_take(st, "evaluate.did", spec, method, choices, root, run_id, json, err);
}

static sol_status run_did(sol_store *st, const sol_evaluate_job *j, sol_evaluate_output *o,
                          sol_error *err)
{
    const char *ctl[SOL_EVALUATE_MAX_CONTROLS], *tl[SOL_EVALUATE_MAX_TREATED + 1];
    size_t nc = 0, ntl = 0;
    char *cbuf = NULL, *tbuf = NULL;
    sol_dtable *t = NULL;
    json_t *root = NULL;
    sol_status rc = SOL_OK;
    int store_mode = j->indicator != NULL;
    if ((j->controls && (cbuf = sol__strdup(j->controls)) == NULL) ||
        (store_mode && (tbuf = sol__strdup(j->treated_areas)) == NULL)) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    if (cbuf)
        nc = split_list(cbuf, ctl, SOL_EVALUATE_MAX_CONTROLS);
    sol_did_spec s = {.outcome = j->outcome,
                      .treated = j->treated,
                      .post = j->post,
                      .controls = ctl,
                      .n_controls = nc,
                      .unit_field = j->unit_field,
                      .time_field = j->time_field,
                      .se = SOL_SE_CLASSICAL};
    if (store_mode) { /* the panel's columns; clustered by area unless said otherwise */
        s.outcome = "value", s.treated = "treated", s.post = "post";
        s.unit_field = "area", s.time_field = "period", s.se = SOL_SE_CLUSTER;
        ntl = split_list(tbuf, tl, SOL_EVALUATE_MAX_TREATED + 1);
        rc = panel_table(st, j, tl, ntl, ctl, nc, &t, err);
    } else {
        rc = sol_dtable_read(j->data, &t, err);
    }
    if (j->se >= 0)
        s.se = (sol_se_kind)j->se;
    if (rc != SOL_OK || (rc = sol_did_run(t, &s, &o->did, err)) != SOL_OK)
        goto done;
    if ((root = did_json(o->did)) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    rc = did_finish(store_mode || j->record ? st : NULL, j, &s, tl, ntl, t, root, &o->run_id,
                    &o->json, err);
done:
    json_decref(root);
    sol_dtable_free(t);
    sol__free(cbuf);
    sol__free(tbuf);
    return rc;
}

/* ---- synthetic control ----------------------------------------------------------------------- */

/* One weight per line; blank lines and '#' comments skipped. */
static sol_status read_v(const char *path, size_t k, double *v, sol_error *err)
{
    size_t len = 0, n = 0;
    char *txt = NULL;
    sol_status rc = sol__run_read_text(path, 1u << 20, &txt, &len);
    if (rc != SOL_OK)
        return sol__err_at(err, rc, path, 0, 0, "cannot read the predictor weights");
    unsigned long line = 0;
    char *save = NULL;
    for (char *l = strtok_r(txt, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        line++;
        while (*l == ' ' || *l == '\t')
            l++;
        if (*l == '\0' || *l == '#' || *l == '\r')
            continue;
        char *end = NULL;
        errno = 0;
        double x = strtod(l, &end);
        while (end && (*end == ' ' || *end == '\r' || *end == '\t'))
            end++;
        if (end == l || (end && *end != '\0') || errno) {
            rc = sol__err_at(err, SOL_EPARSE, path, line, 0,
                             "expected one number per line, found '%s'", l);
            break;
        }
        if (n >= k) {
            rc = sol__err_at(err, SOL_EINVAL, path, line, 0,
                             "more weights than the spec's %zu predictors", k);
            break;
        }
        v[n++] = x;
    }
    if (rc == SOL_OK && n != k)
        rc = sol__err_at(err, SOL_EINVAL, path, 0, 0, "%zu weights for the spec's %zu predictors",
                         n, k);
    sol__free(txt);
    return rc;
}

static json_t *fit_json(const sol_synth_fit *f, const sol_synth_result *r, int with_v)
{
    json_t *o = json_object(), *w = json_array();
    json_object_set_new(o, "unit", json_string(f->unit));
    for (size_t j = 0; j < f->n_donors; j++)
        json_array_append_new(
            w, json_pack("{s:s,s:o}", "unit", f->donors[j], "weight", sol__run_num(f->w[j])));
    json_object_set_new(o, "weights", w);
    if (with_v) {
        json_t *v = json_array();
        for (size_t i = 0; i < r->n_predictors; i++)
            json_array_append_new(
                v, json_pack("{s:s,s:o,s:o,s:o,s:o}", "predictor", r->predictor_names[i], "weight",
                             sol__run_num(f->v[i]), "treated", sol__run_num(r->x_treated[i]),
                             "synthetic", sol__run_num(r->x_synthetic[i]), "sd",
                             sol__run_num(r->x_sd[i])));
        json_object_set_new(o, "v", v);
    }
    json_object_set_new(o, "loss_v", sol__run_num(f->loss_v));
    json_object_set_new(o, "loss_w", sol__run_num(f->loss_w));
    json_object_set_new(o, "rmspe_pre", sol__run_num(f->rmspe_pre));
    json_object_set_new(o, "rmspe_post", sol__run_num(f->rmspe_post));
    json_object_set_new(o, "ratio", sol__run_num(f->ratio));
    return o;
}

static json_t *synth_json(const sol_synth_result *r, int placebos)
{
    json_t *root = fit_json(&r->fit, r, 1);
    json_object_set_new(root, "v_given", json_boolean(r->v_given));
    if (placebos) {
        json_t *pl = json_array();
        for (size_t q = 0; q < r->n_placebos; q++)
            json_array_append_new(pl, fit_json(&r->placebos[q], r, 0));
        json_object_set_new(root, "placebos", pl);
        json_object_set_new(root, "p_value", sol__run_num(r->p_value));
    }
    return root;
}

/* The result JSON and, with `st`, the run recorded with its spec, method and choices. */
static sol_status synth_finish(sol_store *st, const sol_evaluate_job *j, const sol_dtable *t,
                               json_t *root, int64_t *run_id, char **json, sol_error *err)
{
    json_t *spec =
        json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:f,s:s,s:b}", "command", "evaluate synth", "data",
                  j->data, "data_sha256", sol_dtable_sha256(t), "unit_field", j->unit_field,
                  "outcome", j->outcome, "treated", j->treated, "treatment_start", j->synth_start,
                  "spec", j->spec, "placebos", j->placebos);
    json_t *method = json_pack(
        "{s:s,s:s,s:s}", "name", N_("synthetic control"), "reference",
        "Abadie & Gardeazabal (2003) AER 93(1); Abadie, Diamond & Hainmueller (2010) JASA 105; "
        "inner QP by Wolfe's minimum-norm-point algorithm, V by NLopt (Rowan's Subplex)",
        "inference", "placebo-in-space: post/pre RMSPE ratio rank among the donors");
    json_t *choices =
        json_pack("{s:s,s:o}", "v", j->v_weights ? "given" : "chosen by pre-period MSPE",
                  "v_weights", json_deep_copy(json_object_get(root, "v")));
    return sol__run_finish_take(st, "evaluate.synth", spec, method, choices, root, run_id, json,
                                err);
}

static sol_status run_synth(sol_store *st, const sol_evaluate_job *j, sol_evaluate_output *o,
                            sol_error *err)
{
    size_t len = 0;
    char *txt = NULL;
    sol_synth_spec *s = NULL;
    sol_dtable *t = NULL;
    double *v = NULL;
    json_t *root = NULL;
    sol_status rc = sol__run_read_text(j->spec, SOL_MAX_DECIDE_SPEC, &txt, &len);
    if (rc != SOL_OK)
        return sol__err_at(err, rc, j->spec, 0, 0,
                           "cannot read the spec (missing, unreadable or over %u bytes)",
                           SOL_MAX_DECIDE_SPEC);
    rc = sol_synth_spec_parse_json(txt, len, &s, err);
    sol__free(txt);
    if (rc != SOL_OK) {
        if (err != NULL) {
            char w[SOL_ERROR_WHERE_MAX];
            snprintf(w, sizeof w, "%s%s", j->spec, err->where);
            snprintf(err->where, sizeof err->where, "%s", w);
        }
        return rc;
    }
    if (j->v_weights) {
        if ((v = sol__calloc(s->n_predictors + 1, sizeof *v)) == NULL)
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
        else
            rc = read_v(j->v_weights, s->n_predictors, v, err);
    }
    if (rc != SOL_OK || (rc = sol_dtable_read(j->data, &t, err)) != SOL_OK)
        goto done;
    sol_synth_opts so = {j->unit_field, j->time_field, j->outcome, j->treated, j->synth_start, v,
                         j->placebos};
    if ((rc = sol_synth_run(t, s, &so, &o->synth, err)) != SOL_OK)
        goto done;
    if ((root = synth_json(o->synth, j->placebos)) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    rc = synth_finish(j->record ? st : NULL, j, t, root, &o->run_id, &o->json, err);
done:
    json_decref(root);
    sol_synth_spec_free(s);
    sol_dtable_free(t);
    sol__free(v);
    return rc;
}

/* ---- the run --------------------------------------------------------------------------------- */

sol_status sol_run_evaluate(sol_store *st, const sol_evaluate_job *j, sol_evaluate_output **out,
                            sol_error *err)
{
    sol_status rc = sol_run_evaluate_check(j, err);
    if (rc != SOL_OK)
        return rc;
    if (st == NULL && (j->record || (j->analysis == SOL_EVALUATE_DID && j->indicator)))
        return j->record ? sol__err(err, SOL_EINVAL, "recording a run needs a store")
                         : sol__err(err, SOL_EINVAL, "--indicator needs a store");
    sol_evaluate_output *o = sol__calloc(1, sizeof *o);
    if (o == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    o->analysis = j->analysis;
    rc = j->analysis == SOL_EVALUATE_SYNTH ? run_synth(st, j, o, err) : run_did(st, j, o, err);
    if (rc != SOL_OK) {
        sol_evaluate_output_free(o);
        return rc;
    }
    *out = o;
    return SOL_OK;
}

void sol_evaluate_output_free(sol_evaluate_output *o)
{
    if (o == NULL)
        return;
    sol_did_result_free(o->did);
    sol_synth_result_free(o->synth);
    free(o->json);
    sol__free(o);
}
