/* cmd_time.c - `solidata trend|changepoints|forecast|anomalies`: the option tables fill a
 * sol_series_job (store mode with --indicator, else file mode), sol_run_series runs it, and this
 * file prints the outcome as CSV (or the forecasts' JSON). */
#include "cli.h"
#include "opt.h"

#include <solidata/limits.h>
#include <solidata/run_time.h>
#include <solidata/store.h>

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ts_args {
    sol_series_job job;
    const char *out;
} ts_args;

#define J(f) offsetof(ts_args, job.f)
#define A(f) offsetof(ts_args, f)

/* Where the series come from, and where the output goes: every command. */
#define SERIES_INPUT_OPTS                                                                          \
    {"data",                                                                                       \
     CLI_STR,                                                                                      \
     J(data),                                                                                      \
     "F.csv",                                                                                      \
     N_("file mode: a long CSV, one row per series and period"),                                   \
     .needs = "period-field,value-field",                                                          \
     .excludes = "indicator"},                                                                     \
        {"id-field", CLI_STR, J(id_field), "ID",                                                   \
         N_("the column naming the series; without it the file is one series")},                   \
        {"period-field", CLI_STR, J(period_field), "P",                                            \
         N_("the column of periods as written: 2023, 2023-Q2, 2023-05")},                          \
        {"value-field", CLI_STR, J(value_field), "V",                                              \
         N_("the column of values (gaps: empty, NA)")},                                            \
        {"indicator", CLI_STR, J(indicator), "CODE",                                               \
         N_("store mode: the indicator, one series per area of the store")},                       \
    {                                                                                              \
        "out", CLI_STR, A(out), "F", N_("write here instead of stdout")                            \
    }

static const cli_opt TREND_OPTS[] = {
    SERIES_INPUT_OPTS,
    {"seasonal", CLI_FLAG, J(trend.seasonal), NULL,
     N_("seasonal Kendall test (quarterly or monthly data); Sen's slope per year")},
    {"hamed-rao", CLI_FLAG, J(trend.hamed_rao), NULL,
     N_("variance of S corrected for autocorrelation (Hamed and Rao 1998)")},
    {"conf", CLI_DOUBLE, J(trend.conf), "L", N_("confidence level of Sen's interval"), .min = 0,
     .max = 1, .flags = CLI_OPEN_MIN | CLI_OPEN_MAX, .expect = N_("a level between 0 and 1")},
    {0}};

static const cli_choice CPT_METHODS[] = {
    {"pettitt", SOL_CPT_PETTITT}, {"amoc", SOL_CPT_AMOC}, {"pelt", SOL_CPT_PELT}, {0}};
static const cli_choice CPT_TYPES[] = {
    {"mean", SOL_CPT_MEAN}, {"var", SOL_CPT_VAR}, {"meanvar", SOL_CPT_MEANVAR}, {0}};
static const cli_choice CPT_PENALTIES[] = {{"bic", SOL_CPT_BIC}, {"mbic", SOL_CPT_MBIC}, {0}};
static const cli_opt CPT_OPTS[] = {
    SERIES_INPUT_OPTS,
    {"method", CLI_CHOICE, J(cpt.method), "pettitt|amoc|pelt",
     N_("Pettitt's rank test, at most one change (amoc) or PELT (many)"), .flags = CLI_REQUIRED,
     .choices = CPT_METHODS},
    {"type", CLI_CHOICE, J(cpt.type), "mean|var|meanvar", N_("amoc and pelt: what changes"),
     .choices = CPT_TYPES},
    {"penalty", CLI_CHOICE, J(cpt.penalty), "bic|mbic", N_("amoc and pelt: the penalty"),
     .choices = CPT_PENALTIES},
    {0}};

/* --model: auto or one of the admissible codes, kept as written. */
static int check_model(const char *s, void *field)
{
    sol_ets_model m;
    if (strcmp(s, "auto") != 0 && sol_ets_model_parse(s, &m) != 0)
        return -1;
    *(const char **)field = s;
    return 0;
}

static const cli_choice FREQUENCIES[] = {{"1", 1}, {"2", 2}, {"4", 4}, {"12", 12}, {0}};
static const cli_opt FORECAST_OPTS[] = {
    SERIES_INPUT_OPTS,
    {"horizon", CLI_SIZE, J(horizon), "H", N_("periods to forecast after each series' last value"),
     .min = 1, .max = SOL_MAX_TS_HORIZON, .flags = CLI_REQUIRED},
    {"frequency", CLI_CHOICE, J(frequency), "F",
     N_("periods per year (1, 2, 4, 12); checked against the periods read"), .choices = FREQUENCIES,
     .expect = N_("1, 2, 4 or 12 periods a year")},
    {"model", CLI_CUSTOM, J(model), "auto|CODE", N_("the lowest AICc (auto), or one model"),
     .parse = check_model,
     .expect = N_("auto or one of ANN AAN AAdN ANA AAA AAdA MNN MAN MAdN MNA MAA MAdA MNM MAM MAdM "
                  "(no multiplicative trend; additive error with multiplicative season is not "
                  "admissible)")},
    {"json", CLI_FLAG, J(json), NULL,
     N_("one JSON object: per series the model (\"ETS(M,Ad,M)\"), alpha, beta, gamma, phi, initial "
        "states, sigma2, loglik, aic, aicc, bic, forecast")},
    {0}};

/* --s-window periodic|N (odd, >= 3). */
static int parse_s_window(const char *s, void *field)
{
    char *end;
    if (strcmp(s, "periodic") == 0) {
        *(int *)field = 0;
        return 0;
    }
    long v = strtol(s, &end, 10);
    if (*end || end == s || v < 3 || v > 100001 || v % 2 == 0)
        return -1;
    *(int *)field = (int)v;
    return 0;
}

static const cli_choice ANOMALY_METHODS[] = {{"classical", 0}, {"stl", 1}, {0}};
static const cli_opt ANOMALY_OPTS[] = {
    SERIES_INPUT_OPTS,
    {"method", CLI_CHOICE, J(anomaly.stl), "classical|stl",
     N_("seasonal series: the decomposition"), .choices = ANOMALY_METHODS},
    {"multiplicative", CLI_FLAG, J(anomaly.multiplicative), NULL,
     N_("classical: multiplicative decomposition")},
    {"s-window", CLI_CUSTOM, J(anomaly.s_window), "N|periodic", N_("stl: the seasonal span"),
     .parse = parse_s_window, .expect = N_("'periodic' or an odd span >= 3 (7 or more advised)"),
     .def = "periodic"},
    {"robust", CLI_FLAG, J(anomaly.robust), NULL, N_("stl: robustness iterations")},
    {"threshold", CLI_DOUBLE, J(anomaly.threshold), "Z",
     N_("|z| at or above which a period is an "
        "anomaly"),
     .min = 0, .max = INFINITY, .flags = CLI_OPEN_MIN, .expect = N_("a positive z")},
    {0}};

static const cli_spec SPECS[] = {
    {"trend",
     "--data F.csv [--id-field ID] --period-field P --value-field V [options]\n"
     "--indicator CODE [options]",
     N_("Mann-Kendall trend test (ties corrected), Kendall's tau-b and Sen's slope with its\n"
        "confidence interval, per series. Periods as written: 2023, 2023-Q2, 2023-05. Without\n"
        "--id-field the file is one series; --indicator reads the store, one series per area,\n"
        "and records the run. Gaps are reported on stderr and left out."),
     TREND_OPTS,
     N_("Output columns: id,n,s,var_s,z,p,tau,sen_slope,sen_lo,sen_hi (p two-sided).\n"), 0, 0},
    {"changepoints",
     "--data F.csv [--id-field ID] --period-field P --value-field V --method M [options]\n"
     "--indicator CODE --method M [options]",
     N_("Change points per series: Pettitt's rank test (one most probable change, with p), at\n"
        "most one change (amoc) or PELT (many) for a change in mean (default), variance or both\n"
        "under a normal likelihood, penalty MBIC (default) or BIC. As R's changepoint, the mean\n"
        "cost is the residual sum of squares: scale data with a variance far from 1."),
     CPT_OPTS,
     N_("Output columns: id,method,last_before,first_after,statistic,p; a series with no change\n"
        "found has one row with empty periods.\n")},
    {"forecast",
     "--data F.csv [--id-field ID] --period-field P --value-field V --horizon H [options]\n"
     "--indicator CODE --horizon H [options]",
     /* xgettext:no-c-format */
     N_("Exponential smoothing forecasts (ETS, state-space form) as R's forecast::ets: maximum\n"
        "likelihood, and with --model auto the lowest AICc among ANN, AAN, AAdN, ANA, AAA, AAdA,\n"
        "MNN, MAN, MAdN, MNA, MAA, MAdA, MNM, MAM, MAdM (no multiplicative trend; multiplicative\n"
        "errors only for positive series; seasonal models only for half-yearly, quarterly or\n"
        "monthly series longer than a year). Codes: error A/M, trend N/A/Ad (damped), season\n"
        "N/A/M. Prediction intervals 80% and 95% as forecast.ets. --indicator forecasts every\n"
        "area of the store and records the run. Gaps (said on stderr): filled by linear\n"
        "interpolation in annual series (as ets(na.action = \"na.interp\")); a seasonal series is\n"
        "fitted after its last gap. With --model auto, an annual series of 4 to 6 values gets a\n"
        "random walk with drift (as forecast::rwf(drift = TRUE)) with wide intervals (Student t),\n"
        "said on stderr and in the card. A series too short (fewer than 4 values, or fewer than\n"
        "parameters + 5 for a model chosen by --model) is an error in file mode and skipped with\n"
        "a warning in store mode; a store run with nothing forecast is an error."),
     FORECAST_OPTS, N_("Output columns: id,period,mean,lo80,hi80,lo95,hi95.\n")},
    {"anomalies",
     "--data F.csv [--id-field ID] --period-field P --value-field V [options]\n"
     "--indicator CODE [options]",
     N_("Seasonal-trend decomposition per series and robust z-scores of the remainder,\n"
        "z = (r - median r) / (1.4826 MAD). Quarterly and monthly series: classical decomposition\n"
        "as R's decompose (additive, or --multiplicative), or --method stl as R's stl (additive;\n"
        "--s-window periodic or an odd span, --robust); annual series: trend = the Theil-Sen line\n"
        "(median of pairwise slopes). A period with |z| >= --threshold is an anomaly. Series with\n"
        "gaps are refused (file mode) or skipped (store mode)."),
     ANOMALY_OPTS, N_("Output columns: id,period,value,trend,seasonal,remainder,z,anomaly.\n")},
};

/* What the tables cannot say. */
static int check_args(const cli_spec *s, const cli_args *args, const sol_series_job *j)
{
    if (j->data == NULL && j->indicator == NULL)
        return cli_usage_error(s->cmd, "--data F.csv or --indicator CODE is required");
    if (j->analysis != SOL_SERIES_ANOMALIES)
        return CLI_OK;
    if ((cli_given(s, args, "s-window") || j->anomaly.robust) && !j->anomaly.stl)
        return cli_usage_error(s->cmd, "--s-window and --robust go with --method stl");
    if (j->anomaly.stl && j->anomaly.multiplicative)
        return cli_usage_error(s->cmd, "STL is additive: take logs for a multiplicative model, "
                                       "or use --method classical");
    return CLI_OK;
}

static void print_trend(FILE *f, const sol_series_output *o)
{
    fputs("id,n,s,var_s,z,p,tau,sen_slope,sen_lo,sen_hi\n", f);
    for (size_t i = 0; i < o->set->n; i++) {
        if (o->status[i] != SOL_OK)
            continue;
        const sol_trend *r = &o->trend[i];
        cli_csv_field(f, o->set->series[i].id, 0);
        fprintf(f, "%zu,", r->n);
        double v[] = {r->s, r->var_s, r->z, r->p, r->tau, r->sen, r->sen_lo, r->sen_hi};
        for (size_t k = 0; k < 8; k++)
            cli_csv_number(f, v[k], k == 7);
    }
}

static void print_changepoints(FILE *f, const sol_series_output *o, const char *method)
{
    fputs("id,method,last_before,first_after,statistic,p\n", f);
    for (size_t i = 0; i < o->set->n; i++) {
        if (o->status[i] != SOL_OK)
            continue;
        const sol_ts *ts = &o->set->series[i];
        if (o->cpt[i].ncpt == 0) {
            cli_csv_field(f, ts->id, 0);
            fprintf(f, "%s,,,,\n", method);
        }
        for (size_t k = 0; k < o->cpt[i].ncpt; k++) {
            char before[16], after[16];
            sol_ts_change_periods(ts, o->cpt[i].cpt[k].tau, before, after);
            cli_csv_field(f, ts->id, 0);
            fprintf(f, "%s,%s,%s,", method, before, after);
            cli_csv_number(f, o->cpt[i].cpt[k].statistic, 0);
            cli_csv_number(f, o->cpt[i].cpt[k].p, 1);
        }
    }
}

/* The first two columns of a row: the series' id and the period at index t. */
static void put_id_period(FILE *f, const sol_ts *ts, int64_t t)
{
    char lab[16];
    sol_ts_period_label(ts->freq, t, lab);
    cli_csv_field(f, ts->id, 0);
    fprintf(f, "%s,", lab);
}

static void print_forecast(FILE *f, const sol_series_output *o)
{
    if (o->json != NULL) {
        fputs(o->json, f);
        fputc('\n', f);
        return;
    }
    fputs("id,period,mean,lo80,hi80,lo95,hi95\n", f);
    for (size_t i = 0; i < o->set->n; i++) {
        if (o->status[i] != SOL_OK)
            continue;
        const sol_ts *ts = &o->set->series[i];
        const sol_ets_result *r = &o->ets[i];
        for (size_t k = 0; k < r->h; k++) {
            put_id_period(f, ts, ts->start + (int64_t)ts->n + (int64_t)k);
            double v[] = {r->mean[k], r->lo80[k], r->hi80[k], r->lo95[k], r->hi95[k]};
            for (size_t m = 0; m < 5; m++)
                cli_csv_number(f, v[m], m == 4);
        }
    }
}

/* Returns the number of anomalous periods. */
static size_t print_anomalies(FILE *f, const sol_series_output *o)
{
    size_t n_anom = 0;
    fputs("id,period,value,trend,seasonal,remainder,z,anomaly\n", f);
    for (size_t i = 0; i < o->set->n; i++) {
        if (o->status[i] != SOL_OK)
            continue;
        const sol_ts *ts = &o->set->series[i];
        const sol_anomaly *a = &o->anomaly[i];
        for (size_t k = 0; k < ts->n; k++) {
            put_id_period(f, ts, ts->start + (int64_t)k);
            double v[] = {ts->y[k], a->trend[k], a->seasonal[k], a->remainder[k], a->z[k]};
            for (int m = 0; m < 5; m++)
                cli_csv_number(f, v[m], 0);
            fprintf(f, "%d\n", a->anomaly[k]);
            n_anom += (size_t)a->anomaly[k];
        }
    }
    return n_anom;
}

/* Write the output; CLI_OK or CLI_FAIL. */
static int print_output(const cli_ctx *ctx, const ts_args *a, const sol_series_output *o)
{
    static const char *const CPT_NAME[] = {"pettitt", "amoc", "pelt"};
    FILE *f = cli_out_open(a->out);
    size_t n_anom = 0, done = o->set->n - o->n_skipped;
    int skipped = o->n_skipped > 0;
    if (f == NULL)
        return CLI_FAIL;
    switch (o->analysis) {
    case SOL_SERIES_TREND: print_trend(f, o); break;
    case SOL_SERIES_CHANGEPOINTS: print_changepoints(f, o, CPT_NAME[a->job.cpt.method]); break;
    case SOL_SERIES_FORECAST: print_forecast(f, o); break;
    case SOL_SERIES_ANOMALIES: n_anom = print_anomalies(f, o); break;
    }
    if (cli_out_close(f, a->out) != CLI_OK)
        return CLI_FAIL;
    if (o->analysis == SOL_SERIES_TREND)
        cli_progress(ctx,
                     skipped ? sol_ngettext("trend: %zu series (some skipped, see above)",
                                            "trend: %zu series (some skipped, see above)", done)
                             : sol_ngettext("trend: %zu series", "trend: %zu series", done),
                     done);
    else if (o->analysis == SOL_SERIES_FORECAST)
        /* TRANSLATORS: "forecast: 12 series, 4 periods ahead" */
        cli_progress(ctx,
                     skipped
                         ? sol_ngettext("forecast: %zu series, %zu period ahead (some skipped, "
                                        "see above)",
                                        "forecast: %zu series, %zu periods ahead (some "
                                        "skipped, see above)",
                                        a->job.horizon)
                         : sol_ngettext("forecast: %zu series, %zu period ahead",
                                        "forecast: %zu series, %zu periods ahead", a->job.horizon),
                     done, a->job.horizon);
    else if (o->analysis == SOL_SERIES_ANOMALIES)
        cli_progress(ctx,
                     skipped
                         ? sol_ngettext("anomalies: %zu series, %zu anomalous period (|z| >= "
                                        "%g); some skipped, see above",
                                        "anomalies: %zu series, %zu anomalous periods (|z| >= "
                                        "%g); some skipped, see above",
                                        n_anom)
                         : sol_ngettext("anomalies: %zu series, %zu anomalous period (|z| >= %g)",
                                        "anomalies: %zu series, %zu anomalous periods (|z| >= "
                                        "%g)",
                                        n_anom),
                     done, n_anom, a->job.anomaly.threshold);
    return CLI_OK;
}

static void on_progress(void *ud, size_t done, size_t total)
{
    cli_progress(ud, "forecast: %zu of %zu series", done, total);
}

int cmd_time(const cli_ctx *ctx, int argc, char **argv)
{
    static const sol_series_analysis AN[] = {SOL_SERIES_TREND, SOL_SERIES_CHANGEPOINTS,
                                             SOL_SERIES_FORECAST, SOL_SERIES_ANOMALIES};
    size_t k = 0;
    while (k < 4 && strcmp(argv[0], SPECS[k].cmd) != 0)
        k++;
    if (k == 4)
        return cli_failf("unknown time command '%s'", argv[0]);
    ts_args a = {0};
    sol_run_series_job_init(&a.job, AN[k]);
    a.job.progress = on_progress;
    a.job.progress_ud = (void *)ctx;
    cli_args args;
    int rc = cli_parse(&SPECS[k], argc, argv, &a, &args);
    if (rc != CLI_OK)
        return rc;
    if ((rc = check_args(&SPECS[k], &args, &a.job)) != CLI_OK)
        return rc;
    sol_store *st = NULL;
    sol_error err;
    if ((rc = cli_open_store(ctx, a.job.indicator != NULL, &st, &err)) != CLI_OK)
        return rc;
    sol_series_output *o = NULL;
    if ((rc = cli_close_store(st, sol_run_series(st, &a.job, &o, &err), &err)) != CLI_OK)
        return rc;
    cli_notes(NULL, N_("warning"), o->notes, o->n_notes);
    rc = print_output(ctx, &a, o);
    if (rc == CLI_OK && o->run_id > 0)
        cli_progress(ctx, "%s: run %lld recorded ('solidata runs show %lld')", o->kind,
                     (long long)o->run_id, (long long)o->run_id);
    sol_series_output_free(o);
    return rc;
}
