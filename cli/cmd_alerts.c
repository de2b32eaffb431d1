/* cmd_alerts.c - `solidata alerts` (emerging needs over the store, recorded as a run) and
 * `solidata anomalies` (decomposition and robust z per series, file or store mode). */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/alerts.h>
#include <solidata/store.h>
#include <solidata/timeseries.h>

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_alerts[] =
    "usage: solidata alerts [--since P] [--indicator CODE,...] [--fdr Q] [--lang en|it|fr]\n"
    "                       [--json] [--out F.csv]\n"
    "\n"
    "One ranked list of emerging needs over every indicator x area series of the store.\n"
    "Each series is tested three ways: a Mann-Kendall trend over the window (periods from\n"
    "--since on; default the latest year minus 5), a Pettitt change whose first period after\n"
    "falls in the window, and the robust z of the latest period's remainder (running median\n"
    "for annual series, classical decomposition otherwise). All p-values are adjusted together\n"
    "(Benjamini-Hochberg) and alerts with q <= --fdr (default 0.1) are kept. Direction follows\n"
    "the indicator's polarity: 'worsening' means the need grows. Indicators without a polarity\n"
    "are left out. Ranked by strength (trend and change: effect over the series' noise;\n"
    "anomaly: |z|). The run is recorded (kind 'alerts'; GET /api/alerts serves the latest).\n"
    "Output: CSV rank,area,area_name,indicator,indicator_label,kind,direction,strength,since,\n"
    "p,q,sentence (sentence in --lang, default en); --json prints the run's result instead.\n";

static const char usage_anom[] =
    "usage: solidata anomalies --data F.csv [--id-field ID] --period-field P --value-field V\n"
    "                          [--method classical|stl] [--multiplicative]\n"
    "                          [--s-window N|periodic] [--robust] [--threshold Z] [--out F.csv]\n"
    "       solidata anomalies --indicator CODE [...]\n"
    "\n"
    "Seasonal-trend decomposition per series and robust z-scores of the remainder,\n"
    "z = (r - median r) / (1.4826 MAD). Quarterly and monthly series: classical decomposition\n"
    "as R's decompose (additive, or --multiplicative), or --method stl as R's stl (additive;\n"
    "--s-window periodic (default) or an odd span, --robust); annual series: trend = the\n"
    "Theil-Sen line (median of pairwise slopes). A period with\n"
    "|z| >= --threshold (default 3.5) is an anomaly. Series with gaps are refused (file mode)\n"
    "or skipped (store mode).\n"
    "Output columns: id,period,value,trend,seasonal,remainder,z,anomaly.\n";

static int parse_num(const char *cmd, const char *opt, const char *s, double *v)
{
    char *end;
    *v = strtod(s, &end);
    if (*end || end == s || !isfinite(*v))
        return cli_usage_error(cmd, "%s %s: expected a number", opt, s);
    return 0;
}

static int run_alerts(const cli_ctx *ctx, int argc, char **argv)
{
    enum { O_SINCE = 256, O_IND, O_FDR, O_LANG, O_JSON, O_OUT };
    static const struct option opts[] = {
        {"since", 1, 0, O_SINCE}, {"indicator", 1, 0, O_IND}, {"fdr", 1, 0, O_FDR},
        {"lang", 1, 0, O_LANG},   {"json", 0, 0, O_JSON},     {"out", 1, 0, O_OUT},
        {"help", 0, 0, 'h'},      {0, 0, 0, 0}};
    sol_alerts_opts o = {0};
    const char *lang = "en", *out = NULL;
    int json = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(usage_alerts, stdout); return CLI_OK;
        case O_SINCE: o.since = optarg; break;
        case O_IND: o.indicators = optarg; break;
        case O_FDR:
            if (parse_num("alerts", "--fdr", optarg, &o.fdr))
                return CLI_USAGE;
            if (!(o.fdr > 0 && o.fdr <= 1))
                return cli_usage_error("alerts", "--fdr %s: expected a rate in (0, 1], e.g. 0.1",
                                       optarg);
            break;
        case O_LANG:
            if (strcmp(optarg, "en") && strcmp(optarg, "it") && strcmp(optarg, "fr"))
                return cli_usage_error("alerts", "--lang %s: expected en, it or fr", optarg);
            lang = optarg;
            break;
        case O_JSON: json = 1; break;
        case O_OUT: out = optarg; break;
        default:
            return cli_usage_error("alerts", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("alerts", "unexpected argument '%s'", argv[optind]);
    sol_store *st = NULL;
    if (cli_open_store(ctx, &st) != CLI_OK)
        return CLI_FAIL;
    sol_error err;
    sol_error_clear(&err);
    char *res = NULL;
    int64_t id = 0;
    if (sol_run_alerts(st, &o, &res, &id, &err) != SOL_OK) {
        sol_store_close(st);
        return cli_fail(&err);
    }
    sol_store_close(st);
    json_t *j = json_loads(res, 0, NULL);
    int rc = CLI_OK;
    FILE *f = out ? fopen(out, "w") : stdout;
    if (!j || !f) {
        rc = j ? cli_failf("cannot write %s", out) : cli_failf("out of memory");
        goto done;
    }
    json_t *arr = json_object_get(j, "alerts");
    if (json) {
        fputs(res, f);
        fputc('\n', f);
    } else {
        fputs("rank,area,area_name,indicator,indicator_label,kind,direction,strength,since,p,q,"
              "sentence\n",
              f);
        size_t i;
        json_t *a;
        json_array_foreach(arr, i, a)
        {
            fprintf(f, "%lld,", (long long)json_integer_value(json_object_get(a, "rank")));
            const char *keys[] = {"area", "area_name", "indicator", "indicator_label", "kind",
                                  "direction"};
            for (size_t k = 0; k < 6; k++)
                cli_csv_field(f, json_string_value(json_object_get(a, keys[k])), 0);
            cli_csv_number(f, json_real_value(json_object_get(a, "strength")), 0);
            cli_csv_field(f, json_string_value(json_object_get(a, "since")), 0);
            cli_csv_number(f, json_real_value(json_object_get(a, "p")), 0);
            cli_csv_number(f, json_real_value(json_object_get(a, "q")), 0);
            cli_csv_field(
                f, json_string_value(json_object_get(json_object_get(a, "sentence"), lang)), 1);
        }
    }
    if (out) {
        if (ferror(f) | fclose(f))
            rc = cli_failf("cannot write %s", out);
    } else if (fflush(f) != 0) {
        rc = cli_failf("cannot write to stdout");
    }
    if (rc == CLI_OK)
        cli_progress(ctx, "alerts: %zu alert%s from %lld tests (q <= %g); run %lld recorded",
                     json_array_size(arr), json_array_size(arr) == 1 ? "" : "s",
                     (long long)json_integer_value(json_object_get(j, "tests")),
                     json_real_value(json_object_get(j, "fdr")), (long long)id);
done:
    json_decref(j);
    free(res);
    return rc;
}

static int run_anomalies(const cli_ctx *ctx, int argc, char **argv)
{
    enum { O_DATA = 256, O_ID, O_PER, O_VAL, O_IND, O_OUT, O_METHOD, O_MULT, O_THR, O_SW, O_ROB };
    static const struct option opts[] = {
        {"data", 1, 0, O_DATA},       {"id-field", 1, 0, O_ID},    {"period-field", 1, 0, O_PER},
        {"value-field", 1, 0, O_VAL}, {"indicator", 1, 0, O_IND},  {"out", 1, 0, O_OUT},
        {"method", 1, 0, O_METHOD},   {"multiplicative", 0, 0, O_MULT},
        {"threshold", 1, 0, O_THR},   {"s-window", 1, 0, O_SW},    {"robust", 0, 0, O_ROB},
        {"help", 0, 0, 'h'},          {0, 0, 0, 0}};
    const char *data = NULL, *idf = NULL, *per = NULL, *val = NULL, *ind = NULL, *out = NULL;
    sol_anomaly_opts o = {0, 3.5, 0, 0, 0};
    int sw_given = 0;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(usage_anom, stdout); return CLI_OK;
        case O_DATA: data = optarg; break;
        case O_ID: idf = optarg; break;
        case O_PER: per = optarg; break;
        case O_VAL: val = optarg; break;
        case O_IND: ind = optarg; break;
        case O_OUT: out = optarg; break;
        case O_MULT: o.multiplicative = 1; break;
        case O_METHOD:
            if (strcmp(optarg, "classical") == 0)
                o.stl = 0;
            else if (strcmp(optarg, "stl") == 0)
                o.stl = 1;
            else
                return cli_usage_error("anomalies", "--method %s: expected classical or stl",
                                       optarg);
            break;
        case O_ROB: o.robust = 1; break;
        case O_SW:
            sw_given = 1;
            if (strcmp(optarg, "periodic") == 0) {
                o.s_window = 0;
            } else {
                char *e;
                long v = strtol(optarg, &e, 10);
                if (*e || e == optarg || v < 3 || v > 100001 || v % 2 == 0)
                    return cli_usage_error("anomalies",
                                           "--s-window %s: expected 'periodic' or an odd span "
                                           ">= 3 (7 or more advised)",
                                           optarg);
                o.s_window = (int)v;
            }
            break;
        case O_THR:
            if (parse_num("anomalies", "--threshold", optarg, &o.threshold))
                return CLI_USAGE;
            if (!(o.threshold > 0))
                return cli_usage_error("anomalies", "--threshold %s: expected a positive z",
                                       optarg);
            break;
        default:
            return cli_usage_error("anomalies", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("anomalies", "unexpected argument '%s'", argv[optind]);
    if (!data == !ind)
        return cli_usage_error("anomalies", "give --data F.csv (file mode) or --indicator CODE "
                                            "(store mode)");
    if (data && (!per || !val))
        return cli_usage_error("anomalies", "--period-field and --value-field are required with "
                                            "--data");
    if ((sw_given || o.robust) && !o.stl)
        return cli_usage_error("anomalies", "--s-window and --robust go with --method stl");
    if (o.stl && o.multiplicative)
        return cli_usage_error("anomalies", "STL is additive: take logs for a multiplicative "
                                            "model, or use --method classical");
    sol_error err;
    sol_error_clear(&err);
    sol_ts_set *set = NULL;
    sol_store *st = NULL;
    if (data) {
        if (sol_ts_read_csv(data, idf, per, val, &set, &err) != SOL_OK)
            return cli_fail(&err);
    } else {
        if (cli_open_store(ctx, &st) != CLI_OK)
            return CLI_FAIL;
        sol_status r = sol_ts_from_store(st, ind, &set, &err);
        sol_store_close(st);
        if (r != SOL_OK)
            return cli_fail(&err);
    }
    sol_anomaly *res = calloc(set->n ? set->n : 1, sizeof *res);
    sol_status *sts = calloc(set->n ? set->n : 1, sizeof *sts);
    sol_error *errs = calloc(set->n ? set->n : 1, sizeof *errs);
    int rc = CLI_OK;
    FILE *f = NULL;
    size_t n_anom = 0, skipped = 0;
    if (!res || !sts || !errs) {
        rc = cli_failf("out of memory");
        goto done;
    }
#pragma omp parallel for schedule(dynamic, 16)
    for (size_t i = 0; i < set->n; i++)
        sts[i] = sol_ts_anomalies(&set->series[i], &o, &res[i], &errs[i]);
    for (size_t i = 0; i < set->n; i++) {
        if (sts[i] == SOL_OK)
            continue;
        if (data) {
            rc = cli_fail(&errs[i]);
            goto done;
        }
        char buf[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
        sol_error_format(&errs[i], buf, sizeof buf);
        fprintf(stderr, "solidata: warning: skipped: %s\n", buf);
        skipped++;
    }
    f = out ? fopen(out, "w") : stdout;
    if (f == NULL) {
        rc = cli_failf("cannot write %s", out);
        goto done;
    }
    fputs("id,period,value,trend,seasonal,remainder,z,anomaly\n", f);
    for (size_t i = 0; i < set->n; i++) {
        if (sts[i] != SOL_OK)
            continue;
        const sol_ts *ts = &set->series[i];
        for (size_t k = 0; k < ts->n; k++) {
            char lab[16];
            sol_ts_period_label(ts->freq, ts->start + (int64_t)k, lab);
            cli_csv_field(f, ts->id, 0);
            fprintf(f, "%s,", lab);
            double v[] = {ts->y[k], res[i].trend[k], res[i].seasonal[k], res[i].remainder[k],
                          res[i].z[k]};
            for (int m = 0; m < 5; m++)
                cli_csv_number(f, v[m], 0);
            fprintf(f, "%d\n", res[i].anomaly[k]);
            n_anom += res[i].anomaly[k];
        }
    }
    int write_failed;
    if (out) {
        write_failed = ferror(f);
        write_failed |= fclose(f) != 0;
    } else {
        write_failed = fflush(f) != 0;
    }
    if (write_failed)
        rc = cli_failf("cannot write %s", out ? out : "to stdout");
    if (rc == CLI_OK)
        cli_progress(ctx, "anomalies: %zu series, %zu anomalous period%s (|z| >= %g)%s",
                     set->n - skipped, n_anom, n_anom == 1 ? "" : "s", o.threshold,
                     skipped ? "; some skipped, see above" : "");
done:
    for (size_t i = 0; res && i < set->n; i++)
        sol_anomaly_clear(&res[i]);
    free(res), free(sts), free(errs);
    sol_ts_set_free(set);
    return rc;
}

int cmd_alerts(const cli_ctx *ctx, int argc, char **argv)
{
    if (strcmp(argv[0], "anomalies") == 0)
        return run_anomalies(ctx, argc, argv);
    return run_alerts(ctx, argc, argv);
}
