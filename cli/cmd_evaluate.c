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
    "         [--json] [--record]\n"
    "       solidata evaluate did --indicator CODE --treated-areas A,B,... --treatment-start P\n"
    "         [--controls IND1,IND2] [--se classical|hc1|cluster] [--json]\n\n"
    "Difference-in-differences. Without --time-field: the 2x2 regression\n"
    "  Y = a + b TREATED + c POST + d TREATED:POST [+ controls]\n"
    "With --unit-field and --time-field: two-way fixed effects (unit and period effects) and an\n"
    "event study (TREATED x period relative to the first post period, the period before as\n"
    "reference) with the parallel-trends pre-test. TREATED and POST are 0/1 columns; rows with a\n"
    "missing value in a used column are dropped. --se cluster clusters by --unit-field with the\n"
    "small-sample factor of Stata's regress / xtreg, fe; t tests then use G - 1 df.\n"
    "Output: CSV term,estimate,se,t,p (event-study rows as event:K), or --json with estimate, se,\n"
    "t, p, n, coefficients, event_study and pretest. --record stores the run (see 'solidata runs').\n"
    "Store mode (--indicator): the panel is every area x period of the indicator in the store;\n"
    "the areas listed in --treated-areas are treated, the periods from --treatment-start on are\n"
    "post; two-way fixed effects with the event study, standard errors clustered by area unless\n"
    "--se says otherwise; --controls names other indicators of the same area and period. The run\n"
    "is always recorded.\n"
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
    else if (sol_run_record(st,
                            &(sol_run_card){.kind = kind, .spec_json = s, .method_json = m,
                                            .choices_json = c, .result_json = r},
                            &id, &err) != SOL_OK)
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

/* ---- store mode: the panel of an indicator as a table ------------------------------------- */

#define DID_MAX_TREATED 4096 /* areas in --treated-areas */

typedef struct panel_row {
    char *area;
    int64_t t;      /* period index (the year for annual data) */
    double *x;      /* outcome, then one value per control (NaN when missing) */
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
            panel_row *r = realloc(p->row, na * sizeof *r);
            if (r == NULL)
                goto nomem;
            p->row = r;
            p->alloc = na;
        }
        panel_row *r = &p->row[p->n];
        r->area = strdup(o->area);
        r->x = malloc(p->nx * sizeof *r->x);
        if (r->area == NULL || r->x == NULL) {
            free(r->area);
            free(r->x);
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
        free(p->row[i].area);
        free(p->row[i].x);
    }
    free(p->row);
}

/* The panel of `indicator` (and its controls) as the table sol_did_run reads: columns area,
 * period, value, treated, post and one per control. Unknown treated areas, a start outside the
 * data and a panel without control areas are errors that say how to fix them. */
static int panel_table(const cli_ctx *ctx, const char *indicator, const char **treated,
                       size_t ntreated, const char *start, const char **ctl, size_t nc,
                       sol_dtable **out, char **sha)
{
    sol_store *st = NULL;
    if (cli_open_store(ctx, &st) != CLI_OK)
        return CLI_FAIL;
    sol_error err;
    sol_error_clear(&err);
    panel p = {.nx = 1 + nc};
    int rc = CLI_FAIL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = NULL;
    for (size_t k = 0; k <= nc && !p.failed; k++) {
        p.k = k;
        const char *code = k ? ctl[k - 1] : indicator;
        size_t before = p.n;
        if (sol_store_observations(st, code, NULL, panel_obs, &p, &err) != SOL_OK) {
            rc = cli_fail(&err);
            goto done;
        }
        if (k == 0 && p.n == before && !p.failed) {
            rc = cli_failf("indicator '%s' has no observations in the store; 'solidata "
                           "indicators' lists the codes",
                           code);
            goto done;
        }
    }
    if (p.failed) {
        rc = cli_failf("%s", p.msg);
        goto done;
    }
    char label[16], freq;
    int64_t t0;
    if (sol_period_parse(start, strlen(start), label, &freq, &t0) != SOL_OK || freq != p.freq) {
        rc = cli_usage_error("evaluate did", "--treatment-start '%s' is not a period of the "
                                             "indicator's frequency (e.g. 2020, 2020-Q1, 2020-01)",
                             start);
        goto done;
    }
    int64_t tmin = INT64_MAX, tmax = INT64_MIN;
    size_t n_treated_rows = 0;
    for (size_t i = 0; i < p.n; i++) {
        tmin = p.row[i].t < tmin ? p.row[i].t : tmin;
        tmax = p.row[i].t > tmax ? p.row[i].t : tmax;
    }
    if (!(t0 > tmin && t0 <= tmax)) {
        rc = cli_failf("--treatment-start %s leaves no period before or none from it in the data "
                       "of %s; choose a period after its first and up to its last",
                       start, indicator);
        goto done;
    }
    for (size_t j = 0; j < ntreated; j++) {
        int found = 0;
        for (size_t i = 0; i < p.n && !found; i++)
            found = strcmp(p.row[i].area, treated[j]) == 0;
        if (!found) {
            rc = cli_failf("treated area '%s' has no value of %s; 'solidata areas' lists the codes",
                           treated[j], indicator);
            goto done;
        }
    }
    if ((f = open_memstream(&buf, &len)) == NULL) {
        rc = cli_failf("out of memory");
        goto done;
    }
    fputs("area,period,value,treated,post", f);
    for (size_t k = 0; k < nc; k++)
        fprintf(f, ",%s", ctl[k]);
    fputc('\n', f);
    for (size_t i = 0; i < p.n; i++) {
        int tr = 0;
        for (size_t j = 0; j < ntreated && !tr; j++)
            tr = strcmp(p.row[i].area, treated[j]) == 0;
        n_treated_rows += (size_t)tr;
        cli_csv_field(f, p.row[i].area, 0);
        fprintf(f, "%lld,", (long long)p.row[i].t);
        for (size_t k = 0; k < p.nx; k++) {
            if (k == 1)
                fprintf(f, ",%d,%d", tr, p.row[i].t >= t0);
            if (k > 0)
                fputc(',', f);
            if (isfinite(p.row[i].x[k]))
                fprintf(f, "%.17g", p.row[i].x[k]);
            else
                fputs("NA", f);
        }
        if (p.nx == 1)
            fprintf(f, ",%d,%d", tr, p.row[i].t >= t0);
        fputc('\n', f);
    }
    if (fclose(f) != 0) {
        f = NULL;
        rc = cli_failf("out of memory");
        goto done;
    }
    f = NULL;
    if (n_treated_rows == p.n) {
        rc = cli_failf("every area with %s is treated: a difference-in-differences needs areas "
                       "that were not",
                       indicator);
        goto done;
    }
    char name[128];
    snprintf(name, sizeof name, "store:%s", indicator);
    if (sol_dtable_read_mem(buf, len, name, out, &err) != SOL_OK) {
        rc = cli_fail(&err);
        goto done;
    }
    *sha = strdup(sol_dtable_sha256(*out));
    rc = CLI_OK;
done:
    if (f)
        fclose(f);
    free(buf);
    panel_free(&p);
    sol_store_close(st);
    return rc;
}

static int cmd_did(const cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},       {"outcome", required_argument, NULL, 'y'},
        {"treated", required_argument, NULL, 't'},    {"post", required_argument, NULL, 'p'},
        {"controls", required_argument, NULL, 'c'},   {"unit-field", required_argument, NULL, 'u'},
        {"time-field", required_argument, NULL, 'T'}, {"se", required_argument, NULL, 's'},
        {"json", no_argument, NULL, 'j'},             {"record", no_argument, NULL, 'r'},
        {"indicator", required_argument, NULL, 'i'},  {"treated-areas", required_argument, NULL, 'A'},
        {"treatment-start", required_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},             {NULL, 0, NULL, 0}};
    const char *data = NULL, *y = NULL, *tr = NULL, *po = NULL, *unit = NULL, *time = NULL;
    const char *indicator = NULL, *tareas = NULL, *tstart = NULL;
    char *controls = NULL;
    const char *se = NULL;
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
        case 'i': indicator = optarg; break;
        case 'A': tareas = optarg; break;
        case 'S': tstart = optarg; break;
        case 'h': fputs(usage_did, stdout); return CLI_OK;
        default:
            return cli_usage_error("evaluate did", "unknown option or missing argument: %s",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("evaluate did", "unexpected argument \"%s\"", argv[optind]);
    if (indicator) {
        if (data || y || tr || po || unit || time)
            return cli_usage_error("evaluate did", "--indicator reads the panel from the store: "
                                                   "leave out --data, --outcome, --treated, "
                                                   "--post, --unit-field and --time-field");
        if (!tareas || !tstart)
            return cli_usage_error("evaluate did",
                                   "--indicator needs --treated-areas and --treatment-start");
        y = "value", tr = "treated", po = "post", unit = "area", time = "period";
        se = se ? se : "cluster";
        rec = 1;
    } else if (tareas || tstart) {
        return cli_usage_error("evaluate did", "--treated-areas and --treatment-start go with "
                                               "--indicator (store mode)");
    }
    se = se ? se : "classical";
    if (!data && !indicator)
        return cli_usage_error("evaluate did", "--data (or --indicator), --outcome, --treated and "
                                               "--post are required");
    if (!indicator && (!y || !tr || !po))
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
    const char *tl[DID_MAX_TREATED];
    size_t ntl = 0;
    char *tbuf = NULL, *sha = NULL;
    sol_error err;
    sol_error_clear(&err);
    sol_dtable *t = NULL;
    sol_did_result *r = NULL;
    int rc = CLI_FAIL;
    json_t *root = NULL;
    if (indicator) {
        for (size_t k = 0; k < nc; k++)
            if (strpbrk(ctl[k], ",\"\r\n") != NULL) {
                rc = cli_usage_error("evaluate did", "control indicator '%s' has a comma, a "
                                                     "quote or a line break in its code",
                                     ctl[k]);
                goto done;
            }
        if ((tbuf = strdup(tareas)) == NULL) {
            rc = cli_failf("out of memory");
            goto done;
        }
        ntl = split_list(tbuf, tl, DID_MAX_TREATED);
        if (ntl == 0 || ntl == DID_MAX_TREATED) {
            rc = cli_usage_error("evaluate did", "--treated-areas must list 1 to %d area codes",
                                 DID_MAX_TREATED - 1);
            goto done;
        }
        if ((rc = panel_table(ctx, indicator, tl, ntl, tstart, ctl, nc, &t, &sha)) != CLI_OK)
            goto done;
        rc = CLI_FAIL;
    } else if (sol_dtable_read(data, &t, &err) != SOL_OK) {
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
                                 "evaluate did", "data", data ? data : sol_dtable_name(t),
                                 "data_sha256", sol_dtable_sha256(t), "outcome", y, "treated",
                                 tr, "controls", json_deep_copy(cl), "unit_field", unit,
                                 "time_field", time, "se", se);
        if (indicator) {
            json_t *ta = json_array();
            for (size_t k = 0; k < ntl; k++)
                json_array_append_new(ta, json_string(tl[k]));
            json_object_set_new(spec, "indicator", json_string(indicator));
            json_object_set_new(spec, "treated_areas", ta);
            json_object_set_new(spec, "treatment_start", json_string(tstart));
        }
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
        if (indicator) {
            json_object_set_new(choices, "treated_areas", json_deep_copy(json_object_get(spec, "treated_areas")));
            json_object_set_new(choices, "treatment_start", json_string(tstart));
        }
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
    free(tbuf);
    free(sha);
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
