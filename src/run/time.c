/* time.c - one per-series analysis (trend, change points, ETS forecast, anomalies) of a long CSV
 * or of one indicator over the areas of the store: series read (the store's through the time
 * module's builder), the method run on each in parallel, notes for the user, the run recorded. */
#include <solidata/run_time.h>

#include <solidata/forecast.h>
#include <solidata/limits.h>
#include <solidata/run.h>

#include "core/core.h"
#include "run/run_int.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the store's series --------------------------------------------------------------------- */

typedef struct ind_ud {
    const char *code;
    int found, polarity;
    char *label;
} ind_ud;

static int find_indicator(void *ud, const sol_indicator *ind)
{
    ind_ud *u = ud;
    if (strcmp(ind->code, u->code) != 0)
        return 0;
    u->found = 1;
    u->polarity = ind->polarity;
    u->label = ind->label ? sol__strdup(ind->label) : NULL;
    return 1;
}

typedef struct obs_ud {
    sol_ts_builder *b;
    size_t n;
    sol_status rc;
    sol_error *err;
} obs_ud;

static int on_obs(void *ud, const sol_obs *o)
{
    obs_ud *u = ud;
    u->n++;
    u->rc = sol_ts_builder_add(u->b, o->area, o->period, o->value, o->indicator, u->err);
    return u->rc != SOL_OK;
}

sol_status sol_run_series_from_store(sol_store *st, const char *indicator, sol_ts_set **out,
                                     sol_error *err)
{
    sol_status rc;
    ind_ud iu = {indicator, 0, 0, NULL};
    obs_ud u = {.err = err};
    if ((rc = sol_store_indicators(st, find_indicator, &iu, err)) != SOL_OK)
        return rc;
    if (!iu.found)
        return sol__err(err, SOL_ENOTFOUND,
                        "no indicator '%s' in the store (see 'solidata indicators')", indicator);
    if ((rc = sol_ts_builder_new(&u.b, err)) != SOL_OK ||
        (rc = sol_store_observations(st, indicator, NULL, on_obs, &u, err)) != SOL_OK ||
        (rc = u.rc) != SOL_OK)
        goto done;
    if (u.n == 0) {
        rc = sol__err(err, SOL_ENOTFOUND, "indicator '%s' has no observations", indicator);
        goto done;
    }
    if ((rc = sol_ts_builder_finish(u.b, indicator, out, err)) != SOL_OK)
        goto done;
    (*out)->polarity = iu.polarity;
    (*out)->label = iu.label;
    iu.label = NULL;
done:
    sol__free(iu.label);
    sol_ts_builder_free(u.b);
    return rc;
}

/* ---- small helpers -------------------------------------------------------------------------- */

static const char *const KIND[] = {"time.trend", "time.changepoints", "time.forecast",
                                   "time.anomalies"};
static const char *const CPT_NAME[] = {"pettitt", "amoc", "pelt"};
static const char *const CPT_TYPE[] = {"mean", "var", "meanvar"};

static const char *show_id(const sol_ts *ts)
{
    return ts->id[0] ? ts->id : _("(the series)");
}

static const char *freq_words(char freq)
{
    return freq == 'A'   ? P_("periods are", "annual")
           : freq == 'S' ? P_("periods are", "half-yearly")
           : freq == 'Q' ? P_("periods are", "quarterly")
                         : P_("periods are", "monthly");
}

static sol_status note_gaps(sol_series_output *o, const sol_ts *ts, sol_error *err)
{
    if (ts->n_missing == 0)
        return SOL_OK;
    size_t first = 0;
    while (first < ts->n && !isnan(ts->y[first]))
        first++;
    char lab[16];
    sol_ts_period_label(ts->freq, ts->start + (int64_t)first, lab);
    if (ts->n_missing == 1)
        return sol__run_note_add(&o->notes, &o->n_notes, SOL__RUN_NOTE_MAX, err,
                                 "series '%s' has 1 gap (first %s)", show_id(ts), lab);
    return sol__run_note_add(&o->notes, &o->n_notes, SOL__RUN_NOTE_MAX, err,
                             "series '%s' has %zu gaps (first %s)", show_id(ts), ts->n_missing,
                             lab);
}

/* A series the method refused: the error in file mode, a note in store mode (where some areas
 * may hold only a few values). */
static sol_status series_failed(sol_series_output *o, int store_mode, sol_status code,
                                const sol_error *e, sol_error *err)
{
    if (!store_mode) {
        if (err != NULL)
            *err = *e;
        return code;
    }
    char buf[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
    sol_error_format(e, buf, sizeof buf);
    o->n_skipped++;
    return sol__run_note_add(&o->notes, &o->n_notes, SOL__RUN_NOTE_MAX, err, "skipped: %s", buf);
}

/* ---- run records ---------------------------------------------------------------------------- */

/* Record the run: the spec (indicator, series, periods), the method card, the result. Steals the
 * references to method, choices and result. */
static sol_status record(sol_store *st, const sol_series_job *j, sol_series_output *o,
                         json_t *method, json_t *choices, json_t *result, sol_error *err)
{
    const sol_ts_set *set = o->set;
    char first[16] = "", last[16] = "";
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (size_t i = 0; i < set->n; i++) {
        if (set->series[i].n == 0)
            continue;
        lo = set->series[i].start < lo ? set->series[i].start : lo;
        int64_t e = set->series[i].start + (int64_t)set->series[i].n - 1;
        hi = e > hi ? e : hi;
    }
    if (lo <= hi) {
        sol_ts_period_label(set->freq, lo, first);
        sol_ts_period_label(set->freq, hi, last);
    }
    json_t *spec = json_pack(
        "{s:s,s:s?,s:s,s:I,s:s,s:s}", "indicator", j->indicator, "label", set->label, "polarity",
        set->polarity > 0   ? "higher_better"
        : set->polarity < 0 ? "lower_better"
                            : "not stated",
        "series", (json_int_t)set->n, "first_period", first, "last_period", last);
    sol_status rc = sol__run_record_json(st, &(sol_run_card){.kind = o->kind},
                                         JSON_COMPACT | JSON_PRESERVE_ORDER, spec, method, choices,
                                         result, &o->run_id, err);
    json_decref(spec), json_decref(method), json_decref(choices), json_decref(result);
    return rc;
}

static sol_status record_trend(sol_store *st, const sol_series_job *j, sol_series_output *o,
                               sol_error *err)
{
    json_t *rows = json_array();
    for (size_t i = 0; rows && i < o->set->n; i++) {
        const sol_trend *r = &o->trend[i];
        if (o->status[i] == SOL_OK)
            json_array_append_new(
                rows,
                json_pack("{s:s,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", o->set->series[i].id,
                          "n", (json_int_t)r->n, "s", sol__run_num(r->s), "var_s",
                          sol__run_num(r->var_s), "z", sol__run_num(r->z), "p", sol__run_num(r->p),
                          "tau", sol__run_num(r->tau), "sen_slope", sol__run_num(r->sen), "sen_lo",
                          sol__run_num(r->sen_lo), "sen_hi", sol__run_num(r->sen_hi)));
    }
    json_t *method = json_pack(
        "{s:s,s:s}", "name",
        j->trend.seasonal ? N_("seasonal Kendall test (Hirsch-Slack) and seasonal Sen slope")
                          : N_("Mann-Kendall trend test, Kendall tau-b, Sen slope"),
        "reference",
        "Mann 1945; Kendall 1975; Sen 1968; Gilbert 1987 (interval); Hirsch and Slack 1984; "
        "Hamed and Rao 1998; as R trend::mk.test, sens.slope, smk.test, modifiedmk::mmkh");
    json_t *choices =
        json_pack("{s:b,s:b,s:f,s:s}", "seasonal", j->trend.seasonal, "hamed_rao",
                  j->trend.hamed_rao, "conf", j->trend.conf > 0 ? j->trend.conf : 0.95, "gaps",
                  N_("left out; series under 3 values skipped"));
    return record(st, j, o, method, choices, rows, err);
}

static sol_status record_changepoints(sol_store *st, const sol_series_job *j, sol_series_output *o,
                                      sol_error *err)
{
    json_t *rows = json_array();
    for (size_t i = 0; rows && i < o->set->n; i++) {
        for (size_t k = 0; o->status[i] == SOL_OK && k < o->cpt[i].ncpt; k++) {
            char before[16], after[16];
            const sol_cpt *c = &o->cpt[i].cpt[k];
            sol_ts_change_periods(&o->set->series[i], c->tau, before, after);
            json_array_append_new(
                rows, json_pack("{s:s,s:s,s:s,s:o,s:o}", "id", o->set->series[i].id, "last_before",
                                before, "first_after", after, "statistic",
                                sol__run_num(c->statistic), "p", sol__run_num(c->p)));
        }
    }
    json_t *method = json_pack(
        "{s:s,s:s}", "name", CPT_NAME[j->cpt.method], "reference",
        j->cpt.method == SOL_CPT_PETTITT
            ? "Pettitt 1979; as R trend::pettitt.test"
            : "Killick, Fearnhead and Eckley 2012 (PELT); Zhang and Siegmund 2007 (MBIC); as "
              "R changepoint::cpt.mean/cpt.var/cpt.meanvar, test.stat Normal");
    json_t *choices = json_pack("{s:s,s:s}", "type", CPT_TYPE[j->cpt.type], "penalty",
                                j->cpt.penalty == SOL_CPT_BIC ? "BIC" : "MBIC");
    return record(st, j, o, method, choices, rows, err);
}

/* One series' forecasts: [{"period","mean","lo80","hi80","lo95","hi95"}, ...]. */
static json_t *forecast_rows(const sol_ts *ts, const sol_ets_result *r)
{
    json_t *arr = json_array();
    for (size_t k = 0; arr && k < r->h; k++) {
        char lab[16];
        sol_ts_period_label(ts->freq, ts->start + (int64_t)ts->n + (int64_t)k, lab);
        json_array_append_new(
            arr,
            json_pack("{s:s,s:o,s:o,s:o,s:o,s:o}", "period", lab, "mean", sol__run_num(r->mean[k]),
                      "lo80", sol__run_num(r->lo80[k]), "hi80", sol__run_num(r->hi80[k]), "lo95",
                      sol__run_num(r->lo95[k]), "hi95", sol__run_num(r->hi95[k])));
    }
    return arr;
}

/* Where the forecast of `ts` goes from its last observed value: "flat", "rising", "falling". */
static const char *direction(const sol_ts *ts, const sol_ets_result *r)
{
    double last = NAN;
    for (size_t i = ts->n; i-- > 0 && isnan(last);)
        last = ts->y[i];
    return sol_forecast_direction_name(
        sol_forecast_direction(last, r->mean, r->lo80, r->hi80, r->h, r->name));
}

/* The full description of one fitted series (output->json). */
static json_t *forecast_json(const sol_ts *ts, const sol_ets_result *r)
{
    json_t *init = json_object(), *seas = json_array();
    json_object_set_new(init, "l", sol__run_num(r->init[0]));
    size_t k = 1;
    if (r->model.trend != 'N')
        json_object_set_new(init, "b", sol__run_num(r->init[k++]));
    for (; k < r->nstate; k++)
        json_array_append_new(seas, sol__run_num(r->init[k]));
    if (r->model.season != 'N')
        json_object_set_new(init, "s", seas);
    else
        json_decref(seas);
    char first[16], last[16];
    sol_ts_period_label(ts->freq, ts->start + (int64_t)r->first, first);
    sol_ts_period_label(ts->freq, ts->start + (int64_t)ts->n - 1, last);
    return json_pack("{s:s,s:s,s:s,s:I,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
                     ts->id, "model", r->name, "direction", direction(ts, r), "n", (json_int_t)r->n,
                     "first_period", first, "last_period", last, "alpha", sol__run_num(r->alpha),
                     "beta", sol__run_num(r->beta), "gamma", sol__run_num(r->gamma), "phi",
                     sol__run_num(r->phi), "initial_states", init, "sigma2",
                     sol__run_num(r->sigma2), "loglik", sol__run_num(r->loglik), "aic",
                     sol__run_num(r->aic), "aicc", sol__run_num(r->aicc), "bic",
                     sol__run_num(r->bic), "forecast", forecast_rows(ts, r));
}

static sol_status forecast_describe(const sol_series_job *j, sol_series_output *o, sol_error *err)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < o->set->n; i++)
        if (o->status[i] == SOL_OK)
            json_array_append_new(arr, forecast_json(&o->set->series[i], &o->ets[i]));
    json_t *d = json_pack("{s:i,s:I,s:s,s:o}", "frequency", o->frequency, "horizon",
                          (json_int_t)j->horizon, "model", j->model, "series", arr);
    if (d != NULL)
        o->json = json_dumps(d, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(d);
    return o->json ? SOL_OK : sol__err(err, SOL_ENOMEM, "out of memory writing the forecasts");
}

static sol_status record_forecast(sol_store *st, const sol_series_job *j, sol_series_output *o,
                                  json_t *mult_left, json_t *skipped_ids, size_t n_short,
                                  sol_error *err)
{
    int automatic = strcmp(j->model, "auto") == 0;
    json_t *series = json_array();
    for (size_t i = 0; series && i < o->set->n; i++) {
        if (o->status[i] != SOL_OK)
            continue;
        const sol_ets_result *r = &o->ets[i];
        json_array_append_new(
            series,
            json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", o->set->series[i].id, "model",
                      r->name, "alpha", sol__run_num(r->alpha), "beta", sol__run_num(r->beta),
                      "gamma", sol__run_num(r->gamma), "phi", sol__run_num(r->phi), "sigma2",
                      sol__run_num(r->sigma2), "aicc", sol__run_num(r->aicc), "forecast",
                      forecast_rows(&o->set->series[i], r)));
    }
    /* where each forecast goes from the last observed value (sol_forecast_direction), by id */
    json_t *directions = json_object();
    for (size_t i = 0; directions && i < o->set->n; i++)
        if (o->status[i] == SOL_OK)
            json_object_set_new(directions, o->set->series[i].id,
                                json_string(direction(&o->set->series[i], &o->ets[i])));
    json_t *result =
        json_pack("{s:s,s:i,s:I,s:o,s:o}", "indicator", j->indicator, "frequency", o->frequency,
                  "horizon", (json_int_t)j->horizon, "series", series, "directions", directions);
    json_t *method = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s}", "name",
        N_("exponential smoothing in state-space form (ETS), maximum likelihood"), "reference",
        "Hyndman, Koehler, Ord and Snyder 2008, Forecasting with exponential smoothing; as "
        "R forecast::ets and forecast.ets (bounds both, Nelder-Mead as optim, initial "
        "states by ets()'s heuristic)",
        "selection",
        automatic ? N_("lowest AICc among the admissible models fitted to each series")
                  : N_("model fixed by the analyst"),
        "admissible",
        N_("ANN AAN AAdN ANA AAA AAdA MNN MAN MAdN MNA MAA MAdA MNM MAM MAdM: no multiplicative "
           "trend (as ets() by default); additive error with multiplicative season excluded; "
           "multiplicative errors only for series with all values > 0; seasonal models only "
           "for sub-annual series longer than one year"),
        "intervals",
        /* xgettext:no-c-format */
        N_("80% and 95% prediction intervals, analytic as forecast.ets (classes 1-3 of "
           "Hyndman et al. 2008)"),
        "short_series",
        N_("a series needs more than (parameters + 4) consecutive values: 7 for the automatic "
           "choice, whose models with too many parameters for the series are not fitted "
           "(np >= n - 1), as ets()"));
    json_t *choices = json_pack(
        "{s:s,s:I,s:i,s:{s:O,s:s},s:O,s:s}", "model", j->model, "horizon", (json_int_t)j->horizon,
        "frequency", o->frequency, "left_out", "multiplicative_error_non_positive_values",
        mult_left, "seasonal",
        o->frequency <= 1 ? N_("annual data: no season") : N_("series not longer than one year"),
        "skipped_too_short_or_unfit", skipped_ids, "gaps",
        N_("annual series: filled by linear interpolation (forecast::na.interp); "
           "seasonal series: fitted on the values after the last gap"));
    if (n_short > 0) {
        size_t n_ok = 0;
        for (size_t i = 0; i < o->set->n; i++)
            n_ok += o->status[i] == SOL_OK;
        if (n_short == n_ok)
            json_object_set_new(method, "name",
                                json_string(N_("random walk with drift (short annual series)")));
        json_object_set_new(
            method, "short_series_model",
            json_pack("{s:s,s:s,s:s,s:s,s:I}", "name", SOL_TS_RWDRIFT_NAME, "why",
                      N_("annual series of 4 to 6 values are too short for exponential "
                         "smoothing (7 needed); a random walk with drift asks only for the "
                         "mean and spread of the year-to-year changes"),
                      "intervals",
                      N_("standard error sigma sqrt(h (1 + h / (T - 1))) as forecast::rwf, which "
                         "allows for the drift's uncertainty; quantiles of Student's t with T - 2 "
                         "degrees of freedom instead of the normal, because sigma is estimated "
                         "from 3 to 5 changes: honest, wide intervals"),
                      "reference",
                      "Hyndman and Athanasopoulos, Forecasting: principles and practice, 3rd "
                      "ed., 5.2 and 5.5; as R forecast::rwf(y, drift = TRUE) with t quantiles",
                      "series", (json_int_t)n_short));
    }
    return record(st, j, o, method, choices, result, err);
}

/* ---- the analyses --------------------------------------------------------------------------- */

/* The notes of one analysed series (gaps; skipped in store mode), or the error in file mode. */
static sol_status after_series(sol_series_output *o, size_t i, int store_mode,
                               const sol_error *errs, sol_error *err)
{
    sol_status rc;
    if (o->analysis != SOL_SERIES_ANOMALIES &&
        (rc = note_gaps(o, &o->set->series[i], err)) != SOL_OK)
        return rc;
    if (o->status[i] != SOL_OK)
        return series_failed(o, store_mode, o->status[i], &errs[i], err);
    return SOL_OK;
}

/* Blocks of series go to the threads (each block fitted several series at a time); a series'
 * result does not depend on its block, so the output does not depend on the number of threads.
 * Rounds of blocks keep the progress moving. */
static void forecast_all(const sol_series_job *j, const sol_ets_opts *eo, sol_series_output *o,
                         sol_error *errs)
{
    const size_t block = 32, round = 32 * block, n = o->set->n;
    for (size_t lo = 0; lo < n; lo += round) {
        size_t hi = lo + round < n ? lo + round : n;
        size_t nb = (hi - lo + block - 1) / block;
#pragma omp parallel for schedule(dynamic, 1)
        for (size_t b = 0; b < nb; b++) {
            size_t first = lo + b * block, cnt = first + block <= hi ? block : hi - first;
            sol_ts_ets_batch(&o->set->series[first], cnt, eo, &o->ets[first], &o->status[first],
                             &errs[first]);
        }
        if (n > round && j->progress != NULL)
            j->progress(j->progress_ud, hi, n);
    }
}

/* Forecast notes for one fitted series: how gaps were handled, models left out. */
static sol_status forecast_notes(sol_series_output *o, size_t i, size_t *n_mult_left,
                                 json_t *mult_left, sol_error *err)
{
    const sol_ts *ts = &o->set->series[i];
    const sol_ets_result *r = &o->ets[i];
    sol_status rc = SOL_OK;
    if (ts->n_missing && r->interpolated) {
        if ((rc = note_gaps(o, ts, err)) == SOL_OK)
            rc = sol__run_note_add(
                &o->notes, &o->n_notes, SOL__RUN_NOTE_MAX, err,
                "series '%s': gaps filled by linear interpolation before fitting (as "
                "forecast::na.interp)",
                show_id(ts));
    } else if (ts->n_missing) {
        char lab[16];
        sol_ts_period_label(ts->freq, ts->start + (int64_t)r->first, lab);
        if ((rc = note_gaps(o, ts, err)) == SOL_OK)
            rc = sol__run_note_add(&o->notes, &o->n_notes, SOL__RUN_NOTE_MAX, err,
                                   "series '%s': fitted on the %zu values from %s on", show_id(ts),
                                   r->n, lab);
    }
    if (rc == SOL_OK && (r->left_out & SOL_ETS_LEFT_MULT)) {
        (*n_mult_left)++;
        json_array_append_new(mult_left, json_string(ts->id));
        if (o->set->n <= 50)
            rc = sol__run_note_add(
                &o->notes, &o->n_notes, SOL__RUN_NOTE_MAX, err,
                "series '%s' has values <= 0: models with multiplicative errors left "
                "out of the choice",
                show_id(ts));
    }
    return rc;
}

static int is_short(const sol_ets_result *r)
{
    return strcmp(r->name, SOL_TS_RWDRIFT_NAME) == 0;
}

/* Annual series too short for the automatic ETS choice (at most SOL_TS_SHORT_MAX periods) are
 * forecast by a random walk with drift when they hold SOL_TS_SHORT_MIN values or more; with
 * fewer, their error says "too short to forecast". Longer series keep ETS's result. */
static void short_series(const sol_series_job *j, sol_series_output *o, sol_error *errs,
                         size_t *n_short)
{
    for (size_t i = 0; i < o->set->n; i++) {
        const sol_ts *ts = &o->set->series[i];
        if (o->status[i] == SOL_OK || ts->freq != 'A' || ts->n > SOL_TS_SHORT_MAX)
            continue;
        sol_error_clear(&errs[i]);
        o->status[i] = sol_ts_rwdrift(ts, j->horizon, &o->ets[i], &errs[i]);
        if (o->status[i] == SOL_OK)
            (*n_short)++;
    }
}

static sol_status run_forecast(sol_store *st, const sol_series_job *j, sol_series_output *o,
                               int store_mode, sol_error *errs, sol_error *err)
{
    sol_ets_model model;
    int automatic = strcmp(j->model, "auto") == 0;
    if (!automatic && sol_ets_model_parse(j->model, &model) != 0)
        return sol__err(err, SOL_EINVAL, "model %s: expected auto or an ETS code (ANN, AAdN, ...)",
                        j->model);
    sol_ets_opts eo = {automatic ? NULL : &model, j->horizon};
    sol_status rc = SOL_ENOMEM;
    size_t n_mult_left = 0;
    json_t *mult_left = json_array(), *skipped_ids = json_array();
    if (mult_left == NULL || skipped_ids == NULL)
        goto nomem;
    forecast_all(j, &eo, o, errs);
    size_t n_short = 0;
    if (automatic)
        short_series(j, o, errs, &n_short);
    for (size_t i = 0; i < o->set->n; i++) {
        if (o->status[i] != SOL_OK) {
            if ((rc = series_failed(o, store_mode, o->status[i], &errs[i], err)) != SOL_OK)
                goto done;
            json_array_append_new(skipped_ids, json_string(o->set->series[i].id));
            continue;
        }
        if ((rc = forecast_notes(o, i, &n_mult_left, mult_left, err)) != SOL_OK)
            goto done;
        if (is_short(&o->ets[i]) && o->set->n <= 50 &&
            (rc = sol__run_note_add(&o->notes, &o->n_notes, SOL__RUN_NOTE_MAX, err,
                                    "series '%s': %zu annual values, too few for exponential "
                                    "smoothing (7 needed): forecast by a random walk with drift, "
                                    "with wide intervals",
                                    show_id(&o->set->series[i]), o->ets[i].n)) != SOL_OK)
            goto done;
    }
    if (n_short > 50 &&
        (rc = sol__run_note_add(&o->notes, &o->n_notes, SOL__RUN_NOTE_MAX, err,
                                "%zu series have 4 to 6 annual values, too few for exponential "
                                "smoothing: forecast by a random walk with drift, with wide "
                                "intervals",
                                n_short)) != SOL_OK)
        goto done;
    if (store_mode && o->set->n > 0 && o->n_skipped == o->set->n) {
        /* nothing forecast: an error, not an empty run */
        size_t first = 0;
        while (first < o->set->n && o->status[first] == SOL_OK)
            first++;
        char why[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
        sol_error_format(&errs[first], why, sizeof why);
        rc = sol__err(err, SOL_EINVAL, "no series of '%s' could be forecast; the first: %s",
                      j->indicator, why);
        goto done;
    }
    if (n_mult_left > 50 &&
        (rc = sol__run_note_add(
             &o->notes, &o->n_notes, SOL__RUN_NOTE_MAX, err,
             "%zu series have values <= 0: models with multiplicative errors left out "
             "of their choice",
             n_mult_left)) != SOL_OK)
        goto done;
    if (j->json && (rc = forecast_describe(j, o, err)) != SOL_OK)
        goto done;
    rc = SOL_OK;
    if (store_mode && j->record)
        rc = record_forecast(st, j, o, mult_left, skipped_ids, n_short, err);
    goto done;
nomem:
    rc = sol__err(err, SOL_ENOMEM, "out of memory");
done:
    json_decref(mult_left);
    json_decref(skipped_ids);
    return rc;
}

static sol_status check_job(const sol_series_job *j, int store_mode, sol_error *err)
{
    if ((unsigned)j->analysis > SOL_SERIES_ANOMALIES)
        return sol__err(err, SOL_EINVAL, "unknown analysis %d", (int)j->analysis);
    if (!store_mode && j->data == NULL)
        return sol__err(err, SOL_EINVAL, "--data F.csv or --indicator CODE is required");
    if (!store_mode && (j->period_field == NULL || j->value_field == NULL))
        return sol__err(err, SOL_EINVAL,
                        "--period-field and --value-field are required with "
                        "--data");
    if (j->analysis == SOL_SERIES_FORECAST) {
        if (j->horizon < 1 || j->horizon > SOL_MAX_TS_HORIZON)
            return sol__err(err, SOL_EINVAL, "horizon %zu: expected 1 to %u periods", j->horizon,
                            SOL_MAX_TS_HORIZON);
        if (j->model == NULL)
            return sol__err(err, SOL_EINVAL, "no model: write \"auto\" or an ETS code");
    }
    return SOL_OK;
}

/* The per-series results of the analysis. */
static sol_status alloc_results(sol_series_output *o, sol_error *err)
{
    size_t n = o->set->n ? o->set->n : 1;
    void *r = NULL;
    o->status = sol__calloc(n, sizeof *o->status);
    switch (o->analysis) {
    case SOL_SERIES_TREND: r = o->trend = sol__calloc(n, sizeof *o->trend); break;
    case SOL_SERIES_CHANGEPOINTS: r = o->cpt = sol__calloc(n, sizeof *o->cpt); break;
    case SOL_SERIES_FORECAST: r = o->ets = sol__calloc(n, sizeof *o->ets); break;
    case SOL_SERIES_ANOMALIES: r = o->anomaly = sol__calloc(n, sizeof *o->anomaly); break;
    }
    return o->status && r ? SOL_OK : sol__err(err, SOL_ENOMEM, "out of memory");
}

void sol_run_series_job_init(sol_series_job *j, sol_series_analysis a)
{
    memset(j, 0, sizeof *j);
    j->analysis = a;
    j->record = 1;
    j->trend.conf = 0.95;
    j->cpt.method = SOL_CPT_PETTITT;
    j->cpt.type = SOL_CPT_MEAN;
    j->cpt.penalty = SOL_CPT_MBIC;
    j->model = "auto";
    j->anomaly.threshold = 3.5;
}

sol_status sol_run_series(sol_store *st, const sol_series_job *j, sol_series_output **out,
                          sol_error *err)
{
    int store_mode = st != NULL && j->indicator != NULL;
    sol_status rc;
    sol_error *errs = NULL;
    sol_series_output *o = NULL;
    if ((rc = check_job(j, store_mode, err)) != SOL_OK)
        return rc;
    if ((o = sol__calloc(1, sizeof *o)) == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    o->analysis = j->analysis;
    o->kind = KIND[j->analysis];
    rc = store_mode
             ? sol_run_series_from_store(st, j->indicator, &o->set, err)
             : sol_ts_read_csv(j->data, j->id_field, j->period_field, j->value_field, &o->set, err);
    if (rc != SOL_OK || (rc = alloc_results(o, err)) != SOL_OK)
        goto fail;
    const sol_ts_set *set = o->set;
    o->frequency = sol_ts_frequency(set->freq);
    if (j->analysis == SOL_SERIES_FORECAST && j->frequency && set->n > 0 &&
        j->frequency != o->frequency) {
        rc = sol__err_at(err, SOL_EINVAL, store_mode ? j->indicator : j->data, 0, 0,
                         "--frequency %d, but its periods are %s (%d a year)", j->frequency,
                         freq_words(set->freq), o->frequency);
        goto fail;
    }
    if ((errs = sol__calloc(set->n ? set->n : 1, sizeof *errs)) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    if (j->analysis == SOL_SERIES_FORECAST) {
        if ((rc = run_forecast(st, j, o, store_mode, errs, err)) != SOL_OK)
            goto fail;
        goto ok;
    }
#pragma omp parallel for schedule(dynamic, 16)
    for (size_t i = 0; i < set->n; i++) {
        const sol_ts *ts = &set->series[i];
        if (j->analysis == SOL_SERIES_TREND)
            o->status[i] = sol_ts_trend(ts, &j->trend, &o->trend[i], &errs[i]);
        else if (j->analysis == SOL_SERIES_CHANGEPOINTS)
            o->status[i] = sol_ts_changepoints(ts, &j->cpt, &o->cpt[i], &errs[i]);
        else
            o->status[i] = sol_ts_anomalies(ts, &j->anomaly, &o->anomaly[i], &errs[i]);
    }
    for (size_t i = 0; i < set->n; i++)
        if ((rc = after_series(o, i, store_mode, errs, err)) != SOL_OK)
            goto fail;
    if (store_mode && j->record && j->analysis == SOL_SERIES_TREND)
        rc = record_trend(st, j, o, err);
    else if (store_mode && j->record && j->analysis == SOL_SERIES_CHANGEPOINTS)
        rc = record_changepoints(st, j, o, err);
    if (rc != SOL_OK)
        goto fail;
ok:
    sol__free(errs);
    *out = o;
    return SOL_OK;
fail:
    sol__free(errs);
    sol_series_output_free(o);
    return rc;
}

void sol_series_output_free(sol_series_output *o)
{
    if (o == NULL)
        return;
    for (size_t i = 0; o->set != NULL && i < o->set->n; i++) {
        if (o->cpt != NULL)
            sol_cpt_result_clear(&o->cpt[i]);
        if (o->ets != NULL)
            sol_ets_result_clear(&o->ets[i]);
        if (o->anomaly != NULL)
            sol_anomaly_clear(&o->anomaly[i]);
    }
    sol__run_notes_free(o->notes, o->n_notes);
    sol__free_n(5, o->status, o->trend, o->cpt, o->ets, o->anomaly);
    free(o->json);
    sol_ts_set_free(o->set);
    sol__free(o);
}
