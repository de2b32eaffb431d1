/* cmd_evaluate.c - `solidata evaluate did|synth`: did a measure change anything? The option
 * tables fill a sol_evaluate_job (a file, or for did the panel of a store indicator),
 * sol_run_evaluate runs it, and this file prints the outcome as CSV or JSON. */
#include "cli.h"
#include "opt.h"

#include <solidata/run_evaluate.h>
#include <solidata/store.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef struct ev_args {
    sol_evaluate_job job;
    const char *out;
    int json;
} ev_args;

#define J(f) offsetof(ev_args, job.f)
#define A(f) offsetof(ev_args, f)
static const cli_choice SE[] = {
    {"classical", SOL_SE_CLASSICAL}, {"hc1", SOL_SE_HC1}, {"cluster", SOL_SE_CLUSTER}, {0}};

#define EVALUATE_OUTPUT_OPTS                                                                       \
    {"json", CLI_FLAG, A(json), NULL, N_("one JSON object with every detail instead of CSV")},     \
    {                                                                                              \
        "record", CLI_FLAG, J(record), NULL,                                                       \
            N_("record the run with its method card ('solidata runs')")                            \
    }

static const cli_opt DID_OPTS[] = {
    {"data", CLI_STR, J(data), "F.csv", N_("file mode: the rows (units, or units x periods)")},
    {"outcome", CLI_STR, J(outcome), "Y", N_("file mode: the outcome's column")},
    {"treated", CLI_STR, J(treated), "COL", N_("file mode: the 0/1 column of the treated units")},
    {"post", CLI_STR, J(post), "COL",
     N_("file mode: the 0/1 column of the periods after the measure")},
    {"controls", CLI_STR, J(controls), "A,B",
     N_("control columns (store mode: other indicators of the same area and period)")},
    {"unit-field", CLI_STR, J(unit_field), "U",
     N_("the units' column: the clusters, and with --time-field the unit effects")},
    {"time-field", CLI_STR, J(time_field), "T",
     N_("the periods' column: two-way fixed effects and an event study"), .needs = "unit-field"},
    {"se", CLI_CHOICE, J(se), "TYPE",
     N_("standard errors: classical, hc1 or cluster (by --unit-field)"), .choices = SE,
     .def = N_("classical; cluster by area with --indicator")},
    {"indicator", CLI_STR, J(indicator), "CODE",
     N_("store mode: the panel of this indicator, every area x period; the run is always recorded"),
     .needs = "treated-areas,treatment-start"},
    {"treated-areas", CLI_STR, J(treated_areas), "A,B,...",
     N_("store mode: the treated areas' codes"), .needs = "indicator"},
    {"treatment-start", CLI_STR, J(treatment_start), "P",
     N_("store mode: the first treated period (2020, 2020-Q1, 2020-01)"), .needs = "indicator"},
    EVALUATE_OUTPUT_OPTS,
    {0}};

static const cli_opt SYNTH_OPTS[] = {
    {"data", CLI_STR, J(data), "F.csv", N_("one row per unit and period"), .flags = CLI_REQUIRED},
    {"unit-field", CLI_STR, J(unit_field), "U", N_("the units' column"), .flags = CLI_REQUIRED},
    {"time-field", CLI_STR, J(time_field), "T", N_("the periods' column (numbers)"),
     .flags = CLI_REQUIRED},
    {"outcome", CLI_STR, J(outcome), "Y", N_("the outcome's column"), .flags = CLI_REQUIRED},
    {"treated", CLI_STR, J(treated), "NAME", N_("the treated unit"), .flags = CLI_REQUIRED},
    {"treatment-start", CLI_DOUBLE, J(synth_start), "T0", N_("the first treated period"),
     .flags = CLI_REQUIRED, .expect = N_("a period number")},
    {"spec", CLI_STR, J(spec), "S.json",
     N_("the predictors, the optimisation window, the units left out"), .flags = CLI_REQUIRED},
    {"v-weights", CLI_STR, J(v_weights), "FILE",
     N_("the predictors' weights V, one per line in the spec's order"),
     .def = N_("chosen to minimise the outcome's pre-period MSPE")},
    {"placebos", CLI_FLAG, J(placebos), NULL,
     N_("re-run with each donor as treated: RMSPE ratios and the rank p-value")},
    {"out", CLI_STR, A(out), "F.csv", N_("also write the paths here: time,treated,synthetic,gap")},
    EVALUATE_OUTPUT_OPTS,
    {0}};

static const cli_sub SUBS[] = {
    {"did", N_("difference-in-differences (2x2 or two-way fixed effects with an event study)")},
    {"synth", N_("synthetic control with placebo-in-space inference")},
    {0}};

static const cli_spec SPECS[] = {
    {"evaluate did",
     "--data F.csv --outcome Y --treated COL --post COL [options]\n"
     "--indicator CODE --treated-areas A,B,... --treatment-start P [options]",
     N_("Difference-in-differences. Without --time-field: the 2x2 regression\n"
        "  Y = a + b TREATED + c POST + d TREATED:POST [+ controls]\n"
        "With --unit-field and --time-field: two-way fixed effects (unit and period effects) and "
        "an\n"
        "event study (TREATED x period relative to the first post period, the period before as\n"
        "reference) with the parallel-trends pre-test. TREATED and POST are 0/1 columns; rows with "
        "a\n"
        "missing value in a used column are dropped. --se cluster clusters by --unit-field with "
        "the\n"
        "small-sample factor of Stata's regress / xtreg, fe; t tests then use G - 1 df.\n"
        "Store mode (--indicator): the panel is every area x period of the indicator in the "
        "store;\n"
        "the areas listed in --treated-areas are treated, the periods from --treatment-start on "
        "are\n"
        "post; two-way fixed effects with the event study, standard errors clustered by area "
        "unless\n"
        "--se says otherwise."),
     DID_OPTS,
     N_("Output: CSV term,estimate,se,t,p (event-study rows as event:K), or --json with estimate,\n"
        "se, t, p, n, coefficients, event_study and pretest.\n"
        "This estimates an association under the parallel-trends assumption; it is causal only if\n"
        "that assumption holds.\n"),
     0, 0},
    {"evaluate synth",
     "--data F.csv --unit-field U --time-field T --outcome Y --treated NAME "
     "--treatment-start T0 --spec S.json [options]",
     N_("Synthetic control: donor weights (>= 0, summing to 1) that best match the treated unit's\n"
        "predictors, each predictor divided by its sd across units and weighted by V; V is given\n"
        "(--v-weights) or chosen to minimise the outcome's mean squared error over the spec's\n"
        "\"optimise\" window. Spec:\n"
        "  {\"predictors\": [{\"variable\": \"lnincome\", \"from\": 1980, \"to\": 1988, \"op\": "
        "\"mean\"},\n"
        "                  {\"variable\": \"cigsale\", \"from\": 1975, \"to\": 1975}],\n"
        "   \"optimise\": {\"from\": 1970, \"to\": 1988}, \"exclude\": [\"a unit in neither "
        "pool\"]}\n"
        "Means skip missing values."),
     SYNTH_OPTS,
     N_("Output: CSV unit,weight, or --json with weights, v, rmspe_pre, rmspe_post, ratio (and\n"
        "placebos, p_value).\n"),
     0, 0},
};

/* An error in the job (err->where names the option) is a usage error; any other a failure. */
static void print_json(const char *json)
{
    fputs(json, stdout);
    fputc('\n', stdout);
}

static int print_did(const cli_ctx *ctx, const ev_args *a, const sol_evaluate_output *o)
{
    const sol_did_result *r = o->did;
    if (a->json) {
        print_json(o->json);
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
        fprintf(
            stderr,
            r->n_dropped
                ? _("solidata evaluate did: %s = %.6g (se %.4g, p %.4g, n %zu, rows with missing "
                    "values dropped); %s\n")
                : _("solidata evaluate did: %s = %.6g (se %.4g, p %.4g, n %zu); %s\n"),
            r->term, r->estimate, r->se, r->p, r->n, r->pretest_note);
    return CLI_OK;
}

static int print_synth(const cli_ctx *ctx, const ev_args *a, const sol_evaluate_output *o)
{
    const sol_synth_result *r = o->synth;
    if (a->out) {
        FILE *f = fopen(a->out, "w");
        if (f == NULL)
            return cli_failf("%s: cannot open for writing: %s", a->out, strerror(errno));
        fprintf(f, "time,treated,synthetic,gap\n");
        for (size_t i = 0; i < r->n_times; i++) {
            cli_csv_number(f, r->times[i], 0);
            cli_csv_number(f, r->y_treated[i], 0);
            cli_csv_number(f, r->y_synthetic[i], 0);
            cli_csv_number(f, r->y_treated[i] - r->y_synthetic[i], 1);
        }
        if (fclose(f) != 0)
            return cli_failf("%s: write failed", a->out);
    }
    if (a->json) {
        print_json(o->json);
    } else {
        printf("unit,weight\n");
        for (size_t j = 0; j < r->fit.n_donors; j++) {
            cli_csv_field(stdout, r->fit.donors[j], 0);
            cli_csv_number(stdout, r->fit.w[j], 1);
        }
    }
    if (!ctx->quiet) {
        fprintf(stderr, _("solidata evaluate synth: RMSPE before %.4g, after %.4g, ratio %.4g"),
                r->fit.rmspe_pre, r->fit.rmspe_post, r->fit.ratio);
        if (a->job.placebos)
            fprintf(stderr,
                    sol_ngettext("; placebo rank p-value %.4g (%zu placebo)",
                                 "; placebo rank p-value %.4g (%zu placebos)", r->n_placebos),
                    r->p_value, r->n_placebos);
        fputc('\n', stderr);
    }
    return CLI_OK;
}

int cmd_evaluate(const cli_ctx *ctx, int argc, char **argv)
{
    int sub = cli_sub_find("evaluate", SUBS, argc, argv);
    if (sub < 0)
        return -sub;
    int synth = sub == 1;
    ev_args a;
    memset(&a, 0, sizeof a);
    sol_run_evaluate_job_init(&a.job, synth ? SOL_EVALUATE_SYNTH : SOL_EVALUATE_DID);
    cli_args args;
    int rc = cli_parse(&SPECS[sub], argc - 1, argv + 1, &a, &args);
    if (rc != CLI_OK)
        return rc;
    sol_error err;
    sol_error_clear(&err);
    if (sol_run_evaluate_check(&a.job, &err) != SOL_OK)
        return cli_job_fail(SPECS[sub].cmd, &err);
    sol_store *st = NULL;
    if ((rc = cli_open_store(ctx, a.job.record || a.job.indicator, &st, &err)) != CLI_OK)
        return rc;
    if (synth)
        cli_progress(ctx, a.job.placebos ? N_("solidata evaluate synth: fitting (and placebos)")
                                         : N_("solidata evaluate synth: fitting"));
    sol_evaluate_output *o = NULL;
    sol_status s = sol_run_evaluate(st, &a.job, &o, &err);
    sol_store_close(st);
    if (s != SOL_OK)
        return cli_job_fail(SPECS[sub].cmd, &err);
    if (o->run_id > 0 && !ctx->quiet)
        fprintf(stderr, _("solidata: recorded run %lld ('solidata runs show %lld')\n"),
                (long long)o->run_id, (long long)o->run_id);
    rc = synth ? print_synth(ctx, &a, o) : print_did(ctx, &a, o);
    sol_evaluate_output_free(o);
    return rc;
}
