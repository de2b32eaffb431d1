/* cmd_time.c - `solidata trend|changepoints|forecast`: series from a long CSV (file mode) or one
 * indicator over all areas of the store (store mode), results as CSV (or JSON for forecasts). */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/limits.h>
#include <solidata/run.h>
#include <solidata/store.h>
#include <solidata/timeseries.h>

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_trend[] =
    "usage: solidata trend --data F.csv [--id-field ID] --period-field P --value-field V\n"
    "                      [--seasonal] [--hamed-rao] [--conf L] [--out F.csv]\n"
    "       solidata trend --indicator CODE [--seasonal] [--hamed-rao] [--out F.csv]\n"
    "\n"
    "Mann-Kendall trend test (ties corrected), Kendall's tau-b and Sen's slope with\n"
    "its confidence interval, per series. Periods as written: 2023, 2023-Q2, 2023-05.\n"
    "Without --id-field the file is one series; --indicator reads the store, one series\n"
    "per area. Gaps are reported on stderr and left out.\n"
    "  --seasonal    seasonal Kendall test (quarterly or monthly data); Sen's slope per year\n"
    "  --hamed-rao   variance of S corrected for autocorrelation (Hamed and Rao 1998)\n"
    "  --conf L      confidence level of Sen's interval (default 0.95)\n"
    "Output columns: id,n,s,var_s,z,p,tau,sen_slope,sen_lo,sen_hi (p two-sided).\n";

static const char usage_cpt[] =
    "usage: solidata changepoints --data F.csv [--id-field ID] --period-field P --value-field V\n"
    "                             --method pettitt|amoc|pelt [--type mean|var|meanvar]\n"
    "                             [--penalty bic|mbic] [--out F.csv]\n"
    "       solidata changepoints --indicator CODE --method M [...]\n"
    "\n"
    "Change points per series: Pettitt's rank test (one most probable change, with p),\n"
    "at most one change (amoc) or PELT (many) for a change in mean (default), variance or\n"
    "both under a normal likelihood, penalty MBIC (default) or BIC. As R's changepoint,\n"
    "the mean cost is the residual sum of squares: scale data with a variance far from 1.\n"
    "Output columns: id,method,last_before,first_after,statistic,p; a series with no change\n"
    "found has one row with empty periods.\n";

static const char usage_forecast[] =
    "usage: solidata forecast --data F.csv [--id-field ID] --period-field P --value-field V\n"
    "                         --horizon H [--frequency F] [--model auto|CODE] [--out F] [--json]\n"
    "       solidata forecast --indicator CODE --horizon H [--model auto|CODE] [--out F] [--json]\n"
    "\n"
    "Exponential smoothing forecasts (ETS, state-space form) as R's forecast::ets: maximum\n"
    "likelihood, and with --model auto (the default) the lowest AICc among ANN, AAN, AAdN,\n"
    "ANA, AAA, AAdA, MNN, MAN, MAdN, MNA, MAA, MAdA, MNM, MAM, MAdM (no multiplicative\n"
    "trend; multiplicative errors only for positive series; seasonal models only for\n"
    "half-yearly, quarterly or monthly series longer than a year). Codes: error A/M, trend\n"
    "N/A/Ad (damped), season N/A/M. Prediction intervals 80% and 95% as forecast.ets.\n"
    "Periods as written (2023, 2023-Q2, 2023-05); without --id-field the file is one series;\n"
    "--indicator forecasts every area of the store and records the run. Gaps (said on\n"
    "stderr): filled by linear interpolation in annual series (as ets(na.action =\n"
    "\"na.interp\")); a seasonal series is fitted after its last gap. A series too short for\n"
    "the model (ets() needs more than parameters + 4 values: 7 for --model auto) is an\n"
    "error in file mode and skipped with a warning in store mode.\n"
    "  --horizon H     periods to forecast after each series' last value\n"
    "  --frequency F   periods per year (1, 2, 4, 12); checked against the periods read\n"
    "  --json          one JSON object: per series the model (\"ETS(M,Ad,M)\"), alpha, beta,\n"
    "                  gamma, phi, initial states, sigma2, loglik, aic, aicc, bic, forecast\n"
    "Output columns: id,period,mean,lo80,hi80,lo95,hi95.\n";

typedef struct targs {
    const char *cmd, *data, *id_field, *period_field, *value_field, *indicator, *out;
    int seasonal, hamed_rao, json;
    double conf;
    sol_cpt_opts cpt;
    int cpt_method_given;
    long horizon, frequency;
    const char *model;
} targs;

static int parse(int argc, char **argv, targs *a, const char *usage)
{
    enum { O_DATA = 256, O_ID, O_PER, O_VAL, O_IND, O_OUT, O_SEAS, O_HR, O_CONF, O_METHOD,
           O_PEN, O_TYPE, O_JSON, O_HORIZON, O_FREQ, O_MODEL };
    static const struct option opts[] = {
        {"data", 1, 0, O_DATA},       {"id-field", 1, 0, O_ID},  {"period-field", 1, 0, O_PER},
        {"value-field", 1, 0, O_VAL}, {"indicator", 1, 0, O_IND}, {"out", 1, 0, O_OUT},
        {"seasonal", 0, 0, O_SEAS},   {"hamed-rao", 0, 0, O_HR}, {"conf", 1, 0, O_CONF},
        {"method", 1, 0, O_METHOD},   {"penalty", 1, 0, O_PEN},  {"type", 1, 0, O_TYPE},
        {"json", 0, 0, O_JSON},       {"help", 0, 0, 'h'},       {"horizon", 1, 0, O_HORIZON},
        {"frequency", 1, 0, O_FREQ},  {"model", 1, 0, O_MODEL},  {0, 0, 0, 0}};
    int c;
    char *end;
    optind = 1;
    opterr = 0;
    a->cpt.penalty = SOL_CPT_MBIC;
    a->cpt.type = SOL_CPT_MEAN;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(usage, stdout);
            return -1;
        case O_DATA: a->data = optarg; break;
        case O_ID: a->id_field = optarg; break;
        case O_PER: a->period_field = optarg; break;
        case O_VAL: a->value_field = optarg; break;
        case O_IND: a->indicator = optarg; break;
        case O_OUT: a->out = optarg; break;
        case O_SEAS: a->seasonal = 1; break;
        case O_HR: a->hamed_rao = 1; break;
        case O_JSON: a->json = 1; break;
        case O_MODEL: a->model = optarg; break;
        case O_HORIZON:
            a->horizon = strtol(optarg, &end, 10);
            if (*end || a->horizon < 1 || a->horizon > (long)SOL_MAX_TS_HORIZON)
                return cli_usage_error(a->cmd, "--horizon %s: expected a whole number of periods "
                                               "from 1 to %u", optarg, SOL_MAX_TS_HORIZON);
            break;
        case O_FREQ:
            a->frequency = strtol(optarg, &end, 10);
            if (*end || (a->frequency != 1 && a->frequency != 2 && a->frequency != 4 &&
                         a->frequency != 12))
                return cli_usage_error(a->cmd, "--frequency %s: expected 1, 2, 4 or 12 periods "
                                               "a year", optarg);
            break;
        case O_CONF:
            a->conf = strtod(optarg, &end);
            if (*end || !(a->conf > 0 && a->conf < 1))
                return cli_usage_error(a->cmd, "--conf %s: expected a level between 0 and 1",
                                       optarg);
            break;
        case O_METHOD:
            a->cpt_method_given = 1;
            if (strcmp(optarg, "pettitt") == 0)
                a->cpt.method = SOL_CPT_PETTITT;
            else if (strcmp(optarg, "amoc") == 0)
                a->cpt.method = SOL_CPT_AMOC;
            else if (strcmp(optarg, "pelt") == 0)
                a->cpt.method = SOL_CPT_PELT;
            else
                return cli_usage_error(a->cmd, "--method %s: expected pettitt, amoc or pelt",
                                       optarg);
            break;
        case O_PEN:
            if (strcmp(optarg, "mbic") == 0)
                a->cpt.penalty = SOL_CPT_MBIC;
            else if (strcmp(optarg, "bic") == 0)
                a->cpt.penalty = SOL_CPT_BIC;
            else
                return cli_usage_error(a->cmd, "--penalty %s: expected bic or mbic", optarg);
            break;
        case O_TYPE:
            if (strcmp(optarg, "mean") == 0)
                a->cpt.type = SOL_CPT_MEAN;
            else if (strcmp(optarg, "var") == 0)
                a->cpt.type = SOL_CPT_VAR;
            else if (strcmp(optarg, "meanvar") == 0)
                a->cpt.type = SOL_CPT_MEANVAR;
            else
                return cli_usage_error(a->cmd, "--type %s: expected mean, var or meanvar", optarg);
            break;
        default:
            return cli_usage_error(a->cmd, "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(a->cmd, "unexpected argument '%s'", argv[optind]);
    if (a->data && a->indicator)
        return cli_usage_error(a->cmd, "give --data (file mode) or --indicator (store mode), "
                                       "not both");
    if (!a->data && !a->indicator)
        return cli_usage_error(a->cmd, "--data F.csv or --indicator CODE is required");
    if (a->data && (!a->period_field || !a->value_field))
        return cli_usage_error(a->cmd, "--period-field and --value-field are required with "
                                       "--data");
    return 0;
}

/* Load the series of the run: the file, or the indicator over every area of the store. */
static int load(const cli_ctx *ctx, const targs *a, sol_ts_set **set, sol_store **stp)
{
    sol_error err;
    sol_error_clear(&err);
    if (a->data) {
        if (sol_ts_read_csv(a->data, a->id_field, a->period_field, a->value_field, set, &err) !=
            SOL_OK)
            return cli_fail(&err);
        return CLI_OK;
    }
    sol_store *st = NULL;
    if (cli_open_store(ctx, &st) != CLI_OK)
        return CLI_FAIL;
    sol_status rc = sol_ts_from_store(st, a->indicator, set, &err);
    if (rc != SOL_OK) {
        sol_store_close(st);
        return cli_fail(&err);
    }
    *stp = st;
    return CLI_OK;
}

/* Store mode: record the run (spec, method card, the result rows) and say its id on stderr. */
static int record(const cli_ctx *ctx, sol_store *st, const char *kind, const targs *a,
                  const sol_ts_set *set, json_t *method, json_t *choices, json_t *rows)
{
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
    json_t *spec = json_pack("{s:s,s:s?,s:s,s:I,s:s,s:s}", "indicator", a->indicator, "label",
                             set->label, "polarity",
                             set->polarity > 0   ? "higher_better"
                             : set->polarity < 0 ? "lower_better"
                                                 : "not stated",
                             "series", (json_int_t)set->n, "first_period", first, "last_period",
                             last);
    char *spec_s = spec ? json_dumps(spec, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    char *method_s = method ? json_dumps(method, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    char *choices_s = choices ? json_dumps(choices, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    char *rows_s = rows ? json_dumps(rows, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    int rc = CLI_OK;
    if (!spec_s || !method_s || !choices_s || !rows_s) {
        rc = cli_failf("out of memory");
    } else {
        sol_error err;
        sol_error_clear(&err);
        int64_t id;
        sol_run_card card = {.kind = kind, .spec_json = spec_s, .method_json = method_s,
                             .choices_json = choices_s, .result_json = rows_s};
        if (sol_run_record(st, &card, &id, &err) != SOL_OK)
            rc = cli_fail(&err);
        else
            cli_progress(ctx, "%s: run %lld recorded ('solidata runs show %lld')", kind,
                         (long long)id, (long long)id);
    }
    free(spec_s), free(method_s), free(choices_s), free(rows_s);
    json_decref(spec), json_decref(method), json_decref(choices), json_decref(rows);
    return rc;
}

/* A JSON number, null for NaN. */
static json_t *jnum(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static const char *show_id(const sol_ts *ts)
{
    return ts->id[0] ? ts->id : "(the series)";
}

static void report_gaps(const sol_ts *ts)
{
    if (ts->n_missing == 0)
        return;
    size_t first = 0;
    while (first < ts->n && !isnan(ts->y[first]))
        first++;
    char lab[16];
    sol_ts_period_label(ts->freq, ts->start + (int64_t)first, lab);
    fprintf(stderr, "solidata: warning: series '%s' has %zu gap%s (first %s)\n", show_id(ts),
            ts->n_missing, ts->n_missing > 1 ? "s" : "", lab);
}

static FILE *open_out(const char *path)
{
    if (path == NULL)
        return stdout;
    FILE *f = fopen(path, "w");
    if (f == NULL)
        cli_failf("cannot write %s", path);
    return f;
}

static int close_out(FILE *f, const char *path)
{
    if (f == stdout)
        return fflush(f) == 0 ? CLI_OK : cli_failf("cannot write to stdout");
    if (ferror(f) | fclose(f))
        return cli_failf("cannot write %s", path);
    return CLI_OK;
}

/* A series that cannot be analysed: an error in file mode, skipped with a warning in store mode
 * (where some areas may hold only a few values). */
static int series_failed(const targs *a, const sol_error *err, size_t *skipped)
{
    if (a->data)
        return cli_fail(err);
    char buf[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
    sol_error_format(err, buf, sizeof buf);
    fprintf(stderr, "solidata: warning: skipped: %s\n", buf);
    (*skipped)++;
    return CLI_OK;
}

static int run_trend(const cli_ctx *ctx, int argc, char **argv)
{
    targs a = {.cmd = "trend"};
    int rc = parse(argc, argv, &a, usage_trend);
    if (rc != 0)
        return rc < 0 ? CLI_OK : rc;
    sol_ts_set *set = NULL;
    sol_store *store = NULL;
    if ((rc = load(ctx, &a, &set, &store)) != CLI_OK)
        return rc;
    sol_trend_opts o = {a.seasonal, a.hamed_rao, a.conf};
    sol_trend *res = calloc(set->n ? set->n : 1, sizeof *res);
    sol_status *st = calloc(set->n ? set->n : 1, sizeof *st);
    sol_error *errs = calloc(set->n ? set->n : 1, sizeof *errs);
    if (res == NULL || st == NULL || errs == NULL) {
        rc = cli_failf("out of memory");
        goto done;
    }
#pragma omp parallel for schedule(dynamic, 16)
    for (size_t i = 0; i < set->n; i++)
        st[i] = sol_ts_trend(&set->series[i], &o, &res[i], &errs[i]);
    FILE *f = NULL;
    size_t skipped = 0;
    for (size_t i = 0; i < set->n; i++) {
        report_gaps(&set->series[i]);
        if (st[i] != SOL_OK && (rc = series_failed(&a, &errs[i], &skipped)) != CLI_OK)
            goto done;
    }
    if ((f = open_out(a.out)) == NULL) {
        rc = CLI_FAIL;
        goto done;
    }
    fputs("id,n,s,var_s,z,p,tau,sen_slope,sen_lo,sen_hi\n", f);
    for (size_t i = 0; i < set->n; i++) {
        if (st[i] != SOL_OK)
            continue;
        const sol_trend *r = &res[i];
        cli_csv_field(f, set->series[i].id, 0);
        fprintf(f, "%zu,", r->n);
        double v[] = {r->s, r->var_s, r->z, r->p, r->tau, r->sen, r->sen_lo, r->sen_hi};
        for (size_t k = 0; k < 8; k++)
            cli_csv_number(f, v[k], k == 7);
    }
    rc = close_out(f, a.out);
    if (rc == CLI_OK)
        cli_progress(ctx, "trend: %zu series%s", set->n - skipped,
                     skipped ? " (some skipped, see above)" : "");
    if (rc == CLI_OK && store != NULL) {
        json_t *rows = json_array();
        for (size_t i = 0; rows && i < set->n; i++) {
            const sol_trend *r = &res[i];
            if (st[i] == SOL_OK)
                json_array_append_new(
                    rows, json_pack("{s:s,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
                                    set->series[i].id, "n", (json_int_t)r->n, "s", jnum(r->s),
                                    "var_s", jnum(r->var_s), "z", jnum(r->z), "p", jnum(r->p),
                                    "tau", jnum(r->tau), "sen_slope", jnum(r->sen), "sen_lo",
                                    jnum(r->sen_lo), "sen_hi", jnum(r->sen_hi)));
        }
        json_t *method = json_pack(
            "{s:s,s:s}", "name",
            a.seasonal ? "seasonal Kendall test (Hirsch-Slack) and seasonal Sen slope"
                       : "Mann-Kendall trend test, Kendall tau-b, Sen slope",
            "reference",
            "Mann 1945; Kendall 1975; Sen 1968; Gilbert 1987 (interval); Hirsch and Slack 1984; "
            "Hamed and Rao 1998; as R trend::mk.test, sens.slope, smk.test, modifiedmk::mmkh");
        json_t *choices = json_pack("{s:b,s:b,s:f,s:s}", "seasonal", a.seasonal, "hamed_rao",
                                    a.hamed_rao, "conf", a.conf > 0 ? a.conf : 0.95, "gaps",
                                    "left out; series under 3 values skipped");
        rc = record(ctx, store, "time.trend", &a, set, method, choices, rows);
    }
done:
    sol_store_close(store);
    free(res);
    free(st);
    free(errs);
    sol_ts_set_free(set);
    return rc;
}

/* Label of the k-th (1-based) observed period of ts, and of the next observed one. */
static void observed_labels(const sol_ts *ts, size_t k, char before[16], char after[16])
{
    size_t seen = 0, i = 0;
    for (; i < ts->n; i++)
        if (!isnan(ts->y[i]) && ++seen == k)
            break;
    sol_ts_period_label(ts->freq, ts->start + (int64_t)i, before);
    size_t j = i + 1;
    while (j < ts->n && isnan(ts->y[j]))
        j++;
    sol_ts_period_label(ts->freq, ts->start + (int64_t)j, after);
}

static int run_changepoints(const cli_ctx *ctx, int argc, char **argv)
{
    static const char *names[] = {"pettitt", "amoc", "pelt"};
    targs a = {.cmd = "changepoints"};
    int rc = parse(argc, argv, &a, usage_cpt);
    if (rc != 0)
        return rc < 0 ? CLI_OK : rc;
    if (!a.cpt_method_given)
        return cli_usage_error(a.cmd, "--method pettitt|amoc|pelt is required");
    sol_ts_set *set = NULL;
    sol_store *store = NULL;
    if ((rc = load(ctx, &a, &set, &store)) != CLI_OK)
        return rc;
    sol_cpt_result *res = calloc(set->n ? set->n : 1, sizeof *res);
    sol_status *st = calloc(set->n ? set->n : 1, sizeof *st);
    sol_error *errs = calloc(set->n ? set->n : 1, sizeof *errs);
    if (res == NULL || st == NULL || errs == NULL) {
        rc = cli_failf("out of memory");
        goto done;
    }
#pragma omp parallel for schedule(dynamic, 16)
    for (size_t i = 0; i < set->n; i++)
        st[i] = sol_ts_changepoints(&set->series[i], &a.cpt, &res[i], &errs[i]);
    FILE *f = NULL;
    size_t skipped = 0;
    for (size_t i = 0; i < set->n; i++) {
        report_gaps(&set->series[i]);
        if (st[i] != SOL_OK && (rc = series_failed(&a, &errs[i], &skipped)) != CLI_OK)
            goto done;
    }
    if ((f = open_out(a.out)) == NULL) {
        rc = CLI_FAIL;
        goto done;
    }
    fputs("id,method,last_before,first_after,statistic,p\n", f);
    for (size_t i = 0; i < set->n; i++) {
        if (st[i] != SOL_OK)
            continue;
        const sol_ts *ts = &set->series[i];
        if (res[i].ncpt == 0) {
            cli_csv_field(f, ts->id, 0);
            fprintf(f, "%s,,,,\n", names[a.cpt.method]);
        }
        for (size_t k = 0; k < res[i].ncpt; k++) {
            char before[16], after[16];
            observed_labels(ts, res[i].cpt[k].tau, before, after);
            cli_csv_field(f, ts->id, 0);
            fprintf(f, "%s,%s,%s,", names[a.cpt.method], before, after);
            cli_csv_number(f, res[i].cpt[k].statistic, 0);
            cli_csv_number(f, res[i].cpt[k].p, 1);
        }
    }
    rc = close_out(f, a.out);
    if (rc == CLI_OK && store != NULL) {
        static const char *types[] = {"mean", "var", "meanvar"};
        json_t *rows = json_array();
        for (size_t i = 0; rows && i < set->n; i++) {
            for (size_t k = 0; st[i] == SOL_OK && k < res[i].ncpt; k++) {
                char before[16], after[16];
                observed_labels(&set->series[i], res[i].cpt[k].tau, before, after);
                json_array_append_new(rows, json_pack("{s:s,s:s,s:s,s:o,s:o}", "id",
                                                      set->series[i].id, "last_before", before,
                                                      "first_after", after, "statistic",
                                                      jnum(res[i].cpt[k].statistic), "p",
                                                      jnum(res[i].cpt[k].p)));
            }
        }
        json_t *method = json_pack(
            "{s:s,s:s}", "name", names[a.cpt.method], "reference",
            a.cpt.method == SOL_CPT_PETTITT
                ? "Pettitt 1979; as R trend::pettitt.test"
                : "Killick, Fearnhead and Eckley 2012 (PELT); Zhang and Siegmund 2007 (MBIC); as "
                  "R changepoint::cpt.mean/cpt.var/cpt.meanvar, test.stat Normal");
        json_t *choices = json_pack("{s:s,s:s}", "type", types[a.cpt.type], "penalty",
                                    a.cpt.penalty == SOL_CPT_BIC ? "BIC" : "MBIC");
        rc = record(ctx, store, "time.changepoints", &a, set, method, choices, rows);
    }
done:
    sol_store_close(store);
    for (size_t i = 0; res != NULL && i < set->n; i++)
        sol_cpt_result_clear(&res[i]);
    free(res);
    free(st);
    free(errs);
    sol_ts_set_free(set);
    return rc;
}

/* JSON of one series' forecasts: [{"period","mean","lo80","hi80","lo95","hi95"}, ...]. */
static json_t *forecast_rows(const sol_ts *ts, const sol_ets_result *r)
{
    json_t *arr = json_array();
    for (size_t k = 0; arr && k < r->h; k++) {
        char lab[16];
        sol_ts_period_label(ts->freq, ts->start + (int64_t)ts->n + (int64_t)k, lab);
        json_array_append_new(arr, json_pack("{s:s,s:o,s:o,s:o,s:o,s:o}", "period", lab, "mean",
                                             jnum(r->mean[k]), "lo80", jnum(r->lo80[k]), "hi80",
                                             jnum(r->hi80[k]), "lo95", jnum(r->lo95[k]), "hi95",
                                             jnum(r->hi95[k])));
    }
    return arr;
}

/* The --json description of one fitted series. */
static json_t *forecast_json(const sol_ts *ts, const sol_ets_result *r)
{
    json_t *init = json_object(), *seas = json_array();
    json_object_set_new(init, "l", jnum(r->init[0]));
    size_t k = 1;
    if (r->model.trend != 'N')
        json_object_set_new(init, "b", jnum(r->init[k++]));
    for (; k < r->nstate; k++)
        json_array_append_new(seas, jnum(r->init[k]));
    if (r->model.season != 'N')
        json_object_set_new(init, "s", seas);
    else
        json_decref(seas);
    char first[16], last[16];
    sol_ts_period_label(ts->freq, ts->start + (int64_t)r->first, first);
    sol_ts_period_label(ts->freq, ts->start + (int64_t)ts->n - 1, last);
    return json_pack("{s:s,s:s,s:I,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
                     ts->id, "model", r->name, "n", (json_int_t)r->n, "first_period", first,
                     "last_period", last, "alpha", jnum(r->alpha), "beta", jnum(r->beta),
                     "gamma", jnum(r->gamma), "phi", jnum(r->phi), "initial_states", init,
                     "sigma2", jnum(r->sigma2), "loglik", jnum(r->loglik), "aic", jnum(r->aic),
                     "aicc", jnum(r->aicc), "bic", jnum(r->bic), "forecast",
                     forecast_rows(ts, r));
}

static int run_forecast(const cli_ctx *ctx, int argc, char **argv)
{
    targs a = {.cmd = "forecast"};
    int rc = parse(argc, argv, &a, usage_forecast);
    if (rc != 0)
        return rc < 0 ? CLI_OK : rc;
    if (a.horizon == 0)
        return cli_usage_error(a.cmd, "--horizon H is required");
    sol_ets_model model;
    int automatic = a.model == NULL || strcmp(a.model, "auto") == 0;
    if (!automatic && sol_ets_model_parse(a.model, &model) != 0)
        return cli_usage_error(a.cmd,
                               "--model %s: expected auto or one of ANN AAN AAdN ANA AAA AAdA "
                               "MNN MAN MAdN MNA MAA MAdA MNM MAM MAdM (no multiplicative trend; "
                               "additive error with multiplicative season is not admissible)",
                               a.model);
    sol_ts_set *set = NULL;
    sol_store *store = NULL;
    if ((rc = load(ctx, &a, &set, &store)) != CLI_OK)
        return rc;
    int freq = sol_ts_frequency(set->freq);
    if (a.frequency && set->n > 0 && a.frequency != freq) {
        rc = cli_failf("%s: --frequency %ld, but its periods are %s (%d a year)",
                       a.data ? a.data : a.indicator, a.frequency,
                       set->freq == 'A'   ? "annual"
                       : set->freq == 'S' ? "half-yearly"
                       : set->freq == 'Q' ? "quarterly"
                                          : "monthly",
                       freq);
        sol_ts_set_free(set);
        sol_store_close(store);
        return rc;
    }
    sol_ets_opts o = {automatic ? NULL : &model, (size_t)a.horizon};
    size_t ns = set->n ? set->n : 1;
    sol_ets_result *res = calloc(ns, sizeof *res);
    sol_status *st = calloc(ns, sizeof *st);
    sol_error *errs = calloc(ns, sizeof *errs);
    json_t *out_json = NULL, *result = NULL, *mult_left = json_array(), *skipped_ids = json_array();
    FILE *f = NULL;
    if (res == NULL || st == NULL || errs == NULL || !mult_left || !skipped_ids) {
        rc = cli_failf("out of memory");
        goto done;
    }
    /* blocks of series go to the threads (each block fitted several series at a time); a
     * series' result does not depend on its block, so the output does not depend on the
     * number of threads. Rounds of blocks keep the progress line moving. */
    const size_t block = 32, round = 32 * block;
    for (size_t lo = 0; lo < set->n; lo += round) {
        size_t hi = lo + round < set->n ? lo + round : set->n;
        size_t nb = (hi - lo + block - 1) / block;
#pragma omp parallel for schedule(dynamic, 1)
        for (size_t b = 0; b < nb; b++) {
            size_t first = lo + b * block, cnt = first + block <= hi ? block : hi - first;
            sol_ts_ets_batch(&set->series[first], cnt, &o, &res[first], &st[first],
                             &errs[first]);
        }
        if (set->n > round)
            cli_progress(ctx, "forecast: %zu of %zu series", hi, set->n);
    }
    size_t skipped = 0, n_mult_left = 0;
    for (size_t i = 0; i < set->n; i++) {
        const sol_ts *ts = &set->series[i];
        if (st[i] != SOL_OK) {
            if ((rc = series_failed(&a, &errs[i], &skipped)) != CLI_OK)
                goto done;
            json_array_append_new(skipped_ids, json_string(ts->id));
            continue;
        }
        if (ts->n_missing && res[i].interpolated) {
            report_gaps(ts);
            fprintf(stderr,
                    "solidata: warning: series '%s': gaps filled by linear interpolation before "
                    "fitting (as forecast::na.interp)\n",
                    show_id(ts));
        } else if (ts->n_missing) {
            char lab[16];
            report_gaps(ts);
            sol_ts_period_label(ts->freq, ts->start + (int64_t)res[i].first, lab);
            fprintf(stderr, "solidata: warning: series '%s': fitted on the %zu values from %s on\n",
                    show_id(ts), res[i].n, lab);
        }
        if (res[i].left_out & SOL_ETS_LEFT_MULT) {
            n_mult_left++;
            json_array_append_new(mult_left, json_string(ts->id));
            if (set->n <= 50)
                fprintf(stderr,
                        "solidata: warning: series '%s' has values <= 0: models with "
                        "multiplicative errors left out of the choice\n",
                        show_id(ts));
        }
    }
    if (n_mult_left > 50)
        fprintf(stderr,
                "solidata: warning: %zu series have values <= 0: models with multiplicative "
                "errors left out of their choice\n",
                n_mult_left);
    if ((f = open_out(a.out)) == NULL) {
        rc = CLI_FAIL;
        goto done;
    }
    if (a.json) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < set->n; i++)
            if (st[i] == SOL_OK)
                json_array_append_new(arr, forecast_json(&set->series[i], &res[i]));
        out_json = json_pack("{s:i,s:I,s:s,s:o}", "frequency", freq, "horizon",
                             (json_int_t)a.horizon, "model", automatic ? "auto" : a.model,
                             "series", arr);
        if (out_json == NULL || json_dumpf(out_json, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
                                                          JSON_REAL_PRECISION(17)) != 0) {
            rc = cli_failf("cannot write JSON");
            close_out(f, a.out);
            goto done;
        }
        fputc('\n', f);
    } else {
        fputs("id,period,mean,lo80,hi80,lo95,hi95\n", f);
        for (size_t i = 0; i < set->n; i++) {
            if (st[i] != SOL_OK)
                continue;
            const sol_ts *ts = &set->series[i];
            const sol_ets_result *r = &res[i];
            for (size_t k = 0; k < r->h; k++) {
                char lab[16];
                sol_ts_period_label(ts->freq, ts->start + (int64_t)ts->n + (int64_t)k, lab);
                cli_csv_field(f, ts->id, 0);
                fprintf(f, "%s,", lab);
                double v[] = {r->mean[k], r->lo80[k], r->hi80[k], r->lo95[k], r->hi95[k]};
                for (size_t j = 0; j < 5; j++)
                    cli_csv_number(f, v[j], j == 4);
            }
        }
    }
    rc = close_out(f, a.out);
    if (rc == CLI_OK)
        cli_progress(ctx, "forecast: %zu series, %ld period%s ahead%s", set->n - skipped,
                     a.horizon, a.horizon > 1 ? "s" : "",
                     skipped ? " (some skipped, see above)" : "");
    if (rc == CLI_OK && store != NULL) {
        json_t *series = json_array();
        for (size_t i = 0; series && i < set->n; i++) {
            if (st[i] != SOL_OK)
                continue;
            const sol_ets_result *r = &res[i];
            json_array_append_new(
                series, json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
                                  set->series[i].id, "model", r->name, "alpha", jnum(r->alpha),
                                  "beta", jnum(r->beta), "gamma", jnum(r->gamma), "phi",
                                  jnum(r->phi), "sigma2", jnum(r->sigma2), "aicc",
                                  jnum(r->aicc), "forecast",
                                  forecast_rows(&set->series[i], r)));
        }
        result = json_pack("{s:s,s:i,s:I,s:o}", "indicator", a.indicator, "frequency", freq,
                           "horizon", (json_int_t)a.horizon, "series", series);
        json_t *method = json_pack(
            "{s:s,s:s,s:s,s:s,s:s,s:s}", "name",
            "exponential smoothing in state-space form (ETS), maximum likelihood", "reference",
            "Hyndman, Koehler, Ord and Snyder 2008, Forecasting with exponential smoothing; as "
            "R forecast::ets and forecast.ets (bounds both, Nelder-Mead as optim, initial "
            "states by ets()'s heuristic)",
            "selection",
            automatic ? "lowest AICc among the admissible models fitted to each series"
                      : "model fixed by the analyst",
            "admissible",
            "ANN AAN AAdN ANA AAA AAdA MNN MAN MAdN MNA MAA MAdA MNM MAM MAdM: no multiplicative "
            "trend (as ets() by default); additive error with multiplicative season excluded; "
            "multiplicative errors only for series with all values > 0; seasonal models only "
            "for sub-annual series longer than one year",
            "intervals",
            "80% and 95% prediction intervals, analytic as forecast.ets (classes 1-3 of "
            "Hyndman et al. 2008)",
            "short_series",
            "a series needs more than (parameters + 4) consecutive values: 7 for the automatic "
            "choice, whose models with too many parameters for the series are not fitted "
            "(np >= n - 1), as ets()");
        json_t *choices = json_pack(
            "{s:s,s:I,s:i,s:{s:o,s:s},s:o,s:s}", "model", automatic ? "auto" : a.model,
            "horizon", (json_int_t)a.horizon, "frequency", freq, "left_out",
            "multiplicative_error_non_positive_values", mult_left, "seasonal",
            freq <= 1 ? "annual data: no season" : "series not longer than one year",
            "skipped_too_short_or_unfit", skipped_ids, "gaps",
            "annual series: filled by linear interpolation (forecast::na.interp); seasonal "
            "series: fitted on the values after the last gap");
        mult_left = skipped_ids = NULL; /* owned by choices now */
        rc = record(ctx, store, "time.forecast", &a, set, method, choices, result);
        result = NULL;
    }
done:
    json_decref(out_json);
    json_decref(result);
    json_decref(mult_left);
    json_decref(skipped_ids);
    sol_store_close(store);
    for (size_t i = 0; res != NULL && i < set->n; i++)
        sol_ets_result_clear(&res[i]);
    free(res);
    free(st);
    free(errs);
    sol_ts_set_free(set);
    return rc;
}

int cmd_time(const cli_ctx *ctx, int argc, char **argv)
{
    if (strcmp(argv[0], "trend") == 0)
        return run_trend(ctx, argc, argv);
    if (strcmp(argv[0], "changepoints") == 0)
        return run_changepoints(ctx, argc, argv);
    if (strcmp(argv[0], "forecast") == 0)
        return run_forecast(ctx, argc, argv);
    return cli_failf("unknown time command '%s'", argv[0]);
}
