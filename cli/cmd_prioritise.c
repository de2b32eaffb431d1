/* cmd_prioritise.c - `solidata prioritise`: rank options with weights people set, allocate a
 * budget (GLPK) and print the reasons; the system ranks and explains, people decide. The option
 * table fills a sol_prioritise_job, sol_run_prioritise runs it, this file prints the outcome. */
#include "cli.h"
#include "opt.h"

#include <solidata/run_decide.h>
#include <solidata/store.h>

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pr_args {
    sol_prioritise_job job;
    int json;
} pr_args;

/* --budget: checked here, kept as written (the method card says it so). */
static int check_budget(const char *s, void *field)
{
    char *end = NULL;
    errno = 0;
    double b = strtod(s, &end);
    if (end == s || *end != '\0' || errno || !(b >= 0) || !isfinite(b))
        return -1;
    *(const char **)field = s;
    return 0;
}

#define J(f) offsetof(pr_args, job.f)
static const cli_opt OPTS[] = {
    {"options", CLI_STR, J(options), "F.csv|F.json", N_("the options (see below)"),
     .flags = CLI_REQUIRED},
    {"budget", CLI_CUSTOM, J(budget), "B",
     N_("choose the set of options that maximises the need-weighted expected benefit within B"),
     .parse = check_budget,
     .expect = N_("a number >= 0 (the budget must be a number, never below 0)"),
     .def = N_("none: rank only")},
    {"weights", CLI_STR, J(weights), "NAME=W,...", N_("the criteria's weights (unnamed ones 0)"),
     .def = N_("all equal")},
    {"need", CLI_STR, J(need), "F.csv", N_("the areas' need, CSV area,need (e.g. an index score)"),
     .def = "1"},
    {"area-min", CLI_STR, J(area_min), "AREA=N,...",
     N_("at least N chosen options must reach AREA")},
    {"json", CLI_FLAG, offsetof(pr_args, json), NULL,
     N_("one JSON object with the criteria, the options and the allocation instead of CSV")},
    {"record", CLI_FLAG, J(record), NULL,
     N_("record the run with its method card ('solidata runs')")},
    {0}};

static const cli_spec SPEC = {
    "prioritise",
    "--options F.csv|F.json [--budget B] [--weights NAME=W,...] [options]",
    N_("Rank options by a weighted sum (min-max scaled criteria) and by TOPSIS, and with --budget\n"
       "choose the set that maximises need-weighted expected benefit (an integer programme: "
       "budget,\n"
       "per-area minimums, mutually exclusive options), with the reasons: why each choice, which\n"
       "constraint binds, how far each dimension weight can move before the choice changes."),
    OPTS,
    N_("Options CSV: option,cost,areas[,groups][,exclusive][,effect:<dimension>...]; areas and\n"
       "groups are '|'-separated; options with the same 'exclusive' label exclude each other.\n"
       "Options JSON: {\"options\": [{\"name\", \"cost\", \"areas\": [], \"groups\": [], "
       "\"exclusive\",\n"
       "\"effects\": {dim: x}}], \"need\": {area: x}, \"area_min\": {area: n}, \"budget\": B}.\n"
       "Criteria: each dimension, reach (need of the areas reached), groups, cost (lower is "
       "better).\n"
       "Output: CSV option,cost,wsum,rank_wsum,topsis,rank_topsis,benefit,chosen,why, or --json;\n"
       "explanations also on stderr.\n"),
    0,
    0};

static void print_csv(const sol_options *o, const sol_prioritise_result *r)
{
    printf("option,cost,wsum,rank_wsum,topsis,rank_topsis,benefit,chosen,why\n");
    for (size_t i = 0; i < o->n; i++) {
        cli_csv_field(stdout, o->opt[i].name, 0);
        cli_csv_number(stdout, o->opt[i].cost, 0);
        cli_csv_number(stdout, r->wsum[i], 0);
        printf("%zu,", r->rank_wsum[i]);
        cli_csv_number(stdout, r->topsis[i], 0);
        printf("%zu,", r->rank_topsis[i]);
        cli_csv_number(stdout, r->benefit[i], 0);
        printf("%s,", r->allocated ? (r->chosen[i] ? "1" : "0") : "");
        cli_csv_field(stdout, r->allocated ? r->choice_why[i] : r->why[i], 1);
    }
}

/* The reasons, on stderr: each option's rank, and with a budget the choice, what binds and how
 * far each dimension weight can move. */
static void print_reasons(const sol_options *o, const sol_prioritise_result *r)
{
    for (size_t i = 0; i < o->n; i++)
        fprintf(stderr, "  %s: %s\n", o->opt[i].name, r->why[i]);
    if (!r->allocated)
        return;
    fprintf(stderr, _("Budget %.10g: %.10g used, need-weighted benefit %.6g\n"), r->budget, r->used,
            r->objective);
    for (size_t i = 0; i < o->n; i++)
        fprintf(stderr, "  %s: %s\n", o->opt[i].name, r->choice_why[i]);
    for (size_t k = 0; k < r->n_binding; k++)
        fprintf(stderr, "  %s\n", r->binding[k]);
    for (size_t k = 0; k < r->n_sens; k++) {
        const sol_sensitivity *s = &r->sens[k];
        fprintf(stderr, _("  weight of %s (%.3f): the choice holds from %.3f%s to %.3f%s\n"),
                s->criterion, s->weight, s->lo, s->lo_changes ? "" : _(" (down to 0)"), s->hi,
                s->hi_changes ? "" : _(" (all of the dimension weight)"));
    }
}

int cmd_prioritise(const cli_ctx *ctx, int argc, char **argv)
{
    pr_args a;
    memset(&a, 0, sizeof a);
    sol_run_prioritise_job_init(&a.job);
    cli_args args;
    int rc = cli_parse(&SPEC, argc, argv, &a, &args);
    if (rc != CLI_OK)
        return rc;
    sol_store *st = NULL;
    sol_error err;
    if ((rc = cli_open_store(ctx, a.job.record, &st, &err)) != CLI_OK)
        return rc;
    sol_prioritise_output *o = NULL;
    sol_status s = sol_run_prioritise(st, &a.job, &o, &err);
    sol_store_close(st);
    if (s != SOL_OK) /* an error in the job (err.where names the option) is a usage error */
        return cli_job_fail(SPEC.cmd, &err);
    if (o->run_id > 0 && !ctx->quiet)
        fprintf(stderr, _("solidata: recorded run %lld\n"), (long long)o->run_id);
    if (a.json)
        printf("%s\n", o->json);
    else
        print_csv(o->options, o->result);
    if (!ctx->quiet)
        print_reasons(o->options, o->result);
    sol_prioritise_output_free(o);
    return CLI_OK;
}
