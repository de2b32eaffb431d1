/* cmd_evaluate.c - 'solidata evaluate did' and 'solidata evaluate synth': did a measure change
 * anything? Reads a CSV file, calls src/evaluate, prints CSV or JSON, and records a run on ask. */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/evaluate.h>
#include <solidata/limits.h>
#include <solidata/run.h>
#include <solidata/store.h>

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *usage_did =
    "usage: solidata evaluate did --data F.csv --outcome Y --treated COL --post COL\n"
    "         [--controls A,B] [--unit-field U [--time-field T]] [--se classical|hc1|cluster]\n"
    "         [--json] [--record]\n\n"
    "Difference-in-differences. Without --time-field: the 2x2 regression\n"
    "  Y = a + b TREATED + c POST + d TREATED:POST [+ controls]\n"
    "With --unit-field and --time-field: two-way fixed effects (unit and period effects) and an\n"
    "event study (TREATED x period relative to the first post period, the period before as\n"
    "reference) with the parallel-trends pre-test. TREATED and POST are 0/1 columns; rows with a\n"
    "missing value in a used column are dropped. --se cluster clusters by --unit-field with the\n"
    "small-sample factor of Stata's regress / xtreg, fe; t tests then use G - 1 df.\n"
    "Output: CSV term,estimate,se,t,p (event-study rows as event:K), or --json with estimate, se,\n"
    "t, p, n, coefficients, event_study and pretest. --record stores the run (see 'solidata runs').\n"
    "This estimates an association under the parallel-trends assumption; it is causal only if\n"
    "that assumption holds.\n";

static const char *usage_group =
    "usage: solidata evaluate did|synth ...\n\n"
    "  did    difference-in-differences (2x2 or two-way fixed effects with an event study)\n"
    "  synth  synthetic control with placebo-in-space inference\n\n"
    "'solidata evaluate did --help' and 'solidata evaluate synth --help' for the flags.\n";

static json_t *jnum(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* Split "a,b,c" into a NULL-free array (pointers into `buf`, which is modified). */
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

static int record_run(const cli_ctx *ctx, const char *kind, json_t *spec, json_t *method,
                      json_t *choices, json_t *result, json_t *root)
{
    sol_store *st = NULL;
    if (cli_open_store(ctx, &st) != CLI_OK)
        return CLI_FAIL;
    char *s = json_dumps(spec, JSON_COMPACT), *m = json_dumps(method, JSON_COMPACT);
    char *c = json_dumps(choices, JSON_COMPACT);
    char *r = json_dumps(result, JSON_COMPACT | JSON_REAL_PRECISION(17));
    sol_error err;
    sol_error_clear(&err);
    int64_t id = 0;
    int rc = CLI_OK;
    if (!s || !m || !c || !r)
        rc = cli_failf("out of memory");
    else if (sol_run_record(st, kind, s, m, NULL, c, r, &id, &err) != SOL_OK)
        rc = cli_fail(&err);
    else {
        json_object_set_new(root, "run_id", json_integer((json_int_t)id));
        if (!ctx->quiet)
            fprintf(stderr, "solidata: recorded run %lld ('solidata runs show %lld')\n",
                    (long long)id, (long long)id);
    }
    free(s);
    free(m);
    free(c);
    free(r);
    sol_store_close(st);
    return rc;
}

static json_t *did_json(const sol_did_result *r)
{
    json_t *o = json_object(), *co = json_array(), *ev = json_array();
    json_object_set_new(o, "design", json_string(r->twfe ? "two-way fixed effects" : "2x2"));
    json_object_set_new(o, "term", json_string(r->term));
    json_object_set_new(o, "estimate", jnum(r->estimate));
    json_object_set_new(o, "se", jnum(r->se));
    json_object_set_new(o, "t", jnum(r->t));
    json_object_set_new(o, "p", jnum(r->p));
    json_object_set_new(o, "n", json_integer((json_int_t)r->n));
    json_object_set_new(o, "n_dropped", json_integer((json_int_t)r->n_dropped));
    json_object_set_new(o, "se_type", json_string(sol_se_name(r->se_kind)));
    json_object_set_new(o, "df", jnum(r->df));
    if (r->n_units)
        json_object_set_new(o, "n_units", json_integer((json_int_t)r->n_units));
    if (r->n_periods)
        json_object_set_new(o, "n_periods", json_integer((json_int_t)r->n_periods));
    if (r->n_clusters)
        json_object_set_new(o, "n_clusters", json_integer((json_int_t)r->n_clusters));
    json_object_set_new(o, "means",
                        json_pack("{s:o,s:o,s:o,s:o}", "treated_pre", jnum(r->mean_treated_pre),
                                  "treated_post", jnum(r->mean_treated_post), "control_pre",
                                  jnum(r->mean_control_pre), "control_post",
                                  jnum(r->mean_control_post)));
    for (size_t i = 0; i < r->n_terms; i++)
        json_array_append_new(co, json_pack("{s:s,s:o,s:o,s:o,s:o}", "term", r->terms[i].term,
                                            "estimate", jnum(r->terms[i].estimate), "se",
                                            jnum(r->terms[i].se), "t", jnum(r->terms[i].t), "p",
                                            jnum(r->terms[i].p)));
    json_object_set_new(o, "coefficients", co);
    for (size_t i = 0; i < r->n_events; i++) {
        const sol_did_event *e = &r->events[i];
        json_array_append_new(
            ev, json_pack("{s:I,s:o,s:b,s:o,s:o,s:o,s:o}", "rel", (json_int_t)e->rel, "time",
                          e->time ? json_string(e->time) : json_null(), "reference", e->reference,
                          "estimate", jnum(e->estimate), "se", jnum(e->se), "t", jnum(e->t), "p",
                          jnum(e->p)));
    }
    json_object_set_new(o, "event_study", ev);
    json_object_set_new(o, "pretest",
                        json_pack("{s:b,s:o,s:o,s:o,s:o,s:s}", "available", r->pretest, "F",
                                  r->pretest ? jnum(r->pretest_f) : json_null(), "df1",
                                  r->pretest ? jnum(r->pretest_df1) : json_null(), "df2",
                                  r->pretest ? jnum(r->pretest_df2) : json_null(), "p",
                                  r->pretest ? jnum(r->pretest_p) : json_null(), "note",
                                  r->pretest_note));
    return o;
}

static int cmd_did(const cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},       {"outcome", required_argument, NULL, 'y'},
        {"treated", required_argument, NULL, 't'},    {"post", required_argument, NULL, 'p'},
        {"controls", required_argument, NULL, 'c'},   {"unit-field", required_argument, NULL, 'u'},
        {"time-field", required_argument, NULL, 'T'}, {"se", required_argument, NULL, 's'},
        {"json", no_argument, NULL, 'j'},             {"record", no_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},             {NULL, 0, NULL, 0}};
    const char *data = NULL, *y = NULL, *tr = NULL, *po = NULL, *unit = NULL, *time = NULL;
    char *controls = NULL;
    const char *se = "classical";
    int json = 0, rec = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': data = optarg; break;
        case 'y': y = optarg; break;
        case 't': tr = optarg; break;
        case 'p': po = optarg; break;
        case 'c': controls = optarg; break;
        case 'u': unit = optarg; break;
        case 'T': time = optarg; break;
        case 's': se = optarg; break;
        case 'j': json = 1; break;
        case 'r': rec = 1; break;
        case 'h': fputs(usage_did, stdout); return CLI_OK;
        default:
            return cli_usage_error("evaluate did", "unknown option or missing argument: %s",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("evaluate did", "unexpected argument \"%s\"", argv[optind]);
    if (!data || !y || !tr || !po)
        return cli_usage_error("evaluate did", "--data, --outcome, --treated and --post are required");
    if (time && !unit)
        return cli_usage_error("evaluate did", "--time-field needs --unit-field");
    int sek = sol_se_parse(se);
    if (sek < 0)
        return cli_usage_error("evaluate did", "--se must be classical, hc1 or cluster");
    if (sek == SOL_SE_CLUSTER && !unit)
        return cli_usage_error("evaluate did", "--se cluster needs --unit-field to cluster by");
    const char *ctl[256];
    size_t nc = 0;
    char *cbuf = NULL;
    if (controls) {
        if ((cbuf = strdup(controls)) == NULL)
            return cli_failf("out of memory");
        nc = split_list(cbuf, ctl, 256);
    }
    sol_error err;
    sol_error_clear(&err);
    sol_dtable *t = NULL;
    sol_did_result *r = NULL;
    int rc = CLI_FAIL;
    json_t *root = NULL;
    if (sol_dtable_read(data, &t, &err) != SOL_OK) {
        rc = cli_fail(&err);
        goto done;
    }
    sol_did_spec s = {y, tr, po, ctl, nc, unit, time, (sol_se_kind)sek};
    if (sol_did_run(t, &s, &r, &err) != SOL_OK) {
        rc = cli_fail(&err);
        goto done;
    }
    root = did_json(r);
    if (rec) {
        json_t *cl = json_array();
        for (size_t k = 0; k < nc; k++)
            json_array_append_new(cl, json_string(ctl[k]));
        json_t *spec = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:s?,s:s?,s:s}", "command",
                                 "evaluate did", "data", data, "data_sha256", sol_dtable_sha256(t),
                                 "outcome", y, "treated", tr, "controls", json_deep_copy(cl),
                                 "unit_field", unit, "time_field", time, "se", se);
        json_t *method = json_pack(
            "{s:s,s:s,s:s}", "name",
            time ? "difference-in-differences, two-way fixed effects with event study"
                 : "difference-in-differences, 2x2 regression",
            "reference",
            "Wooldridge (2010) Econometric Analysis of Cross Section and Panel Data, 6.5 and 10; "
            "HC1: MacKinnon & White (1985); clustered: Arellano (1987), Stata xtreg fe factor",
            "assumption", "parallel trends: without the measure, treated and control outcomes "
                          "would have moved alike");
        json_t *choices = json_pack("{s:s,s:s,s:s,s:o}", "outcome", y, "treated", tr, "post", po,
                                    "controls", cl);
        json_object_set_new(choices, "se", json_string(se));
        rc = record_run(ctx, "evaluate.did", spec, method, choices, root, root);
        json_decref(spec);
        json_decref(method);
        json_decref(choices);
        if (rc != CLI_OK)
            goto done;
    }
    if (json) {
        if (json_dumpf(root, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(17)) != 0)
            goto done;
        fputc('\n', stdout);
    } else {
        printf("term,estimate,se,t,p\n");
        for (size_t i = 0; i < r->n_terms; i++) {
            cli_csv_field(stdout, r->terms[i].term, 0);
            cli_csv_number(stdout, r->terms[i].estimate, 0);
            cli_csv_number(stdout, r->terms[i].se, 0);
            cli_csv_number(stdout, r->terms[i].t, 0);
            cli_csv_number(stdout, r->terms[i].p, 1);
        }
        for (size_t i = 0; i < r->n_events; i++) {
            if (r->events[i].reference)
                continue;
            printf("event:%ld,", r->events[i].rel);
            cli_csv_number(stdout, r->events[i].estimate, 0);
            cli_csv_number(stdout, r->events[i].se, 0);
            cli_csv_number(stdout, r->events[i].t, 0);
            cli_csv_number(stdout, r->events[i].p, 1);
        }
    }
    if (!ctx->quiet)
        fprintf(stderr, "solidata evaluate did: %s = %.6g (se %.4g, p %.4g, n %zu%s); %s\n",
                r->term, r->estimate, r->se, r->p, r->n,
                r->n_dropped ? ", rows with missing values dropped" : "", r->pretest_note);
    rc = CLI_OK;
done:
    json_decref(root);
    sol_did_result_free(r);
    sol_dtable_free(t);
    free(cbuf);
    return rc;
}

static const char *usage_synth =
    "usage: solidata evaluate synth --data F.csv --unit-field U --time-field T --outcome Y\n"
    "         --treated NAME --treatment-start T0 --spec S.json [--v-weights FILE] [--placebos]\n"
    "         [--out path.csv] [--json] [--record]\n\n"
    "Synthetic control: donor weights (>= 0, summing to 1) that best match the treated unit's\n"
    "predictors, each predictor divided by its sd across units and weighted by V; V is given\n"
    "(--v-weights: one weight per line, in the spec's order) or chosen to minimise the outcome's\n"
    "mean squared error over the spec's \"optimise\" window. Spec:\n"
    "  {\"predictors\": [{\"variable\": \"lnincome\", \"from\": 1980, \"to\": 1988, \"op\": \"mean\"},\n"
    "                  {\"variable\": \"cigsale\", \"from\": 1975, \"to\": 1975}],\n"
    "   \"optimise\": {\"from\": 1970, \"to\": 1988}, \"exclude\": [\"a unit in neither pool\"]}\n"
    "Means skip missing values. --placebos re-runs with each donor as treated: post/pre RMSPE\n"
    "ratios and the rank p-value. Output: CSV unit,weight, or --json with weights, v, rmspe_pre,\n"
    "rmspe_post, ratio (and placebos, p_value); --out writes time,treated,synthetic,gap.\n";

static char *slurp(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *b = malloc(max + 1);
    size_t n = b ? fread(b, 1, max + 1, f) : 0;
    int bad = b == NULL || ferror(f) || n > max;
    fclose(f);
    if (bad) {
        free(b);
        return NULL;
    }
    b[n] = '\0';
    *len = n;
    return b;
}

/* One weight per line; blank lines and '#' comments skipped. */
static int read_v(const char *path, size_t k, double *v)
{
    size_t len = 0;
    char *txt = slurp(path, 1u << 20, &len);
    if (txt == NULL)
        return cli_failf("%s: cannot read the predictor weights", path);
    size_t n = 0;
    unsigned long line = 0;
    char *save = NULL;
    int rc = CLI_OK;
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
            rc = cli_failf("%s:%lu: expected one number per line, found '%s'", path, line, l);
            break;
        }
        if (n >= k) {
            rc = cli_failf("%s:%lu: more weights than the spec's %zu predictors", path, line, k);
            break;
        }
        v[n++] = x;
    }
    if (rc == CLI_OK && n != k)
        rc = cli_failf("%s: %zu weights for the spec's %zu predictors", path, n, k);
    free(txt);
    return rc;
}

static json_t *fit_json(const sol_synth_fit *f, const sol_synth_result *r, int with_v)
{
    json_t *o = json_object(), *w = json_array();
    json_object_set_new(o, "unit", json_string(f->unit));
    for (size_t j = 0; j < f->n_donors; j++)
        json_array_append_new(w, json_pack("{s:s,s:o}", "unit", f->donors[j], "weight",
                                           jnum(f->w[j])));
    json_object_set_new(o, "weights", w);
    if (with_v) {
        json_t *v = json_array();
        for (size_t i = 0; i < r->n_predictors; i++)
            json_array_append_new(v, json_pack("{s:s,s:o,s:o,s:o,s:o}", "predictor",
                                               r->predictor_names[i], "weight", jnum(f->v[i]),
                                               "treated", jnum(r->x_treated[i]), "synthetic",
                                               jnum(r->x_synthetic[i]), "sd", jnum(r->x_sd[i])));
        json_object_set_new(o, "v", v);
    }
    json_object_set_new(o, "loss_v", jnum(f->loss_v));
    json_object_set_new(o, "loss_w", jnum(f->loss_w));
    json_object_set_new(o, "rmspe_pre", jnum(f->rmspe_pre));
    json_object_set_new(o, "rmspe_post", jnum(f->rmspe_post));
    json_object_set_new(o, "ratio", jnum(f->ratio));
    return o;
}

static int cmd_synth(const cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},        {"unit-field", required_argument, NULL, 'u'},
        {"time-field", required_argument, NULL, 'T'},  {"outcome", required_argument, NULL, 'y'},
        {"treated", required_argument, NULL, 't'},
        {"treatment-start", required_argument, NULL, 's'},
        {"spec", required_argument, NULL, 'S'},        {"v-weights", required_argument, NULL, 'v'},
        {"placebos", no_argument, NULL, 'P'},          {"out", required_argument, NULL, 'o'},
        {"json", no_argument, NULL, 'j'},              {"record", no_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},              {NULL, 0, NULL, 0}};
    const char *data = NULL, *unit = NULL, *time = NULL, *y = NULL, *tr = NULL, *t0s = NULL;
    const char *specf = NULL, *vf = NULL, *outp = NULL;
    int placebos = 0, json = 0, rec = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': data = optarg; break;
        case 'u': unit = optarg; break;
        case 'T': time = optarg; break;
        case 'y': y = optarg; break;
        case 't': tr = optarg; break;
        case 's': t0s = optarg; break;
        case 'S': specf = optarg; break;
        case 'v': vf = optarg; break;
        case 'P': placebos = 1; break;
        case 'o': outp = optarg; break;
        case 'j': json = 1; break;
        case 'r': rec = 1; break;
        case 'h': fputs(usage_synth, stdout); return CLI_OK;
        default:
            return cli_usage_error("evaluate synth", "unknown option or missing argument: %s",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("evaluate synth", "unexpected argument \"%s\"", argv[optind]);
    if (!data || !unit || !time || !y || !tr || !t0s || !specf)
        return cli_usage_error("evaluate synth", "--data, --unit-field, --time-field, --outcome, "
                                                 "--treated, --treatment-start and --spec are required");
    char *end = NULL;
    double t0 = strtod(t0s, &end);
    if (end == t0s || *end != '\0' || !isfinite(t0))
        return cli_usage_error("evaluate synth", "--treatment-start must be a period number");
    size_t len = 0;
    char *txt = slurp(specf, SOL_MAX_DECIDE_SPEC, &len);
    if (txt == NULL)
        return cli_failf("%s: cannot read the spec (missing, unreadable or over %u bytes)", specf,
                         SOL_MAX_DECIDE_SPEC);
    sol_error err;
    sol_error_clear(&err);
    sol_synth_spec *s = NULL;
    sol_dtable *t = NULL;
    sol_synth_result *r = NULL;
    double *v = NULL;
    json_t *root = NULL;
    int rc = CLI_FAIL;
    sol_status st = sol_synth_spec_parse_json(txt, len, &s, &err);
    free(txt);
    if (st != SOL_OK) {
        char w[SOL_ERROR_WHERE_MAX];
        snprintf(w, sizeof w, "%s%s", specf, err.where);
        snprintf(err.where, sizeof err.where, "%s", w);
        return cli_fail(&err);
    }
    if (vf) {
        if ((v = calloc(s->n_predictors, sizeof *v)) == NULL) {
            rc = cli_failf("out of memory");
            goto done;
        }
        if (read_v(vf, s->n_predictors, v) != CLI_OK)
            goto done;
    }
    if (sol_dtable_read(data, &t, &err) != SOL_OK) {
        rc = cli_fail(&err);
        goto done;
    }
    cli_progress(ctx, "solidata evaluate synth: fitting%s", placebos ? " (and placebos)" : "");
    sol_synth_opts o = {unit, time, y, tr, t0, v, placebos};
    if (sol_synth_run(t, s, &o, &r, &err) != SOL_OK) {
        rc = cli_fail(&err);
        goto done;
    }
    root = fit_json(&r->fit, r, 1);
    json_object_set_new(root, "v_given", json_boolean(r->v_given));
    if (placebos) {
        json_t *pl = json_array();
        for (size_t q = 0; q < r->n_placebos; q++)
            json_array_append_new(pl, fit_json(&r->placebos[q], r, 0));
        json_object_set_new(root, "placebos", pl);
        json_object_set_new(root, "p_value", jnum(r->p_value));
    }
    if (outp) {
        FILE *f = fopen(outp, "w");
        if (f == NULL) {
            rc = cli_failf("%s: cannot open for writing: %s", outp, strerror(errno));
            goto done;
        }
        fprintf(f, "time,treated,synthetic,gap\n");
        for (size_t i = 0; i < r->n_times; i++) {
            cli_csv_number(f, r->times[i], 0);
            cli_csv_number(f, r->y_treated[i], 0);
            cli_csv_number(f, r->y_synthetic[i], 0);
            cli_csv_number(f, r->y_treated[i] - r->y_synthetic[i], 1);
        }
        if (fclose(f) != 0) {
            rc = cli_failf("%s: write failed", outp);
            goto done;
        }
    }
    if (rec) {
        json_t *spec = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:f,s:s,s:b}", "command",
                                 "evaluate synth", "data", data, "data_sha256",
                                 sol_dtable_sha256(t), "unit_field", unit, "outcome", y,
                                 "treated", tr, "treatment_start", t0, "spec", specf, "placebos",
                                 placebos);
        json_t *method = json_pack(
            "{s:s,s:s,s:s}", "name", "synthetic control",
            "reference",
            "Abadie & Gardeazabal (2003) AER 93(1); Abadie, Diamond & Hainmueller (2010) JASA 105; "
            "inner QP by Wolfe's minimum-norm-point algorithm, V by NLopt (Rowan's Subplex)",
            "inference", "placebo-in-space: post/pre RMSPE ratio rank among the donors");
        json_t *choices = json_pack("{s:s,s:o}", "v", vf ? "given" : "chosen by pre-period MSPE",
                                    "v_weights", json_deep_copy(json_object_get(root, "v")));
        rc = record_run(ctx, "evaluate.synth", spec, method, choices, root, root);
        json_decref(spec);
        json_decref(method);
        json_decref(choices);
        if (rc != CLI_OK)
            goto done;
    }
    if (json) {
        if (json_dumpf(root, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(17)) != 0)
            goto done;
        fputc('\n', stdout);
    } else {
        printf("unit,weight\n");
        for (size_t j = 0; j < r->fit.n_donors; j++) {
            cli_csv_field(stdout, r->fit.donors[j], 0);
            cli_csv_number(stdout, r->fit.w[j], 1);
        }
    }
    if (!ctx->quiet) {
        fprintf(stderr, "solidata evaluate synth: RMSPE before %.4g, after %.4g, ratio %.4g",
                r->fit.rmspe_pre, r->fit.rmspe_post, r->fit.ratio);
        if (placebos)
            fprintf(stderr, "; placebo rank p-value %.4g (%zu placebos)", r->p_value,
                    r->n_placebos);
        fputc('\n', stderr);
    }
    rc = CLI_OK;
done:
    json_decref(root);
    sol_synth_result_free(r);
    sol_synth_spec_free(s);
    sol_dtable_free(t);
    free(v);
    return rc;
}

int cmd_evaluate(const cli_ctx *ctx, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage_group, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_USAGE : CLI_OK;
    }
    if (strcmp(argv[1], "did") == 0)
        return cmd_did(ctx, argc - 1, argv + 1);
    if (strcmp(argv[1], "synth") == 0)
        return cmd_synth(ctx, argc - 1, argv + 1);
    return cli_usage_error("evaluate", "unknown subcommand '%s' (did or synth)", argv[1]);
}
