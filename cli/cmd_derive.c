/* cmd_derive.c - `solidata derive rate|coverage`: the option tables fill a sol_derive_job,
 * sol_run_derive computes, writes and records the derived indicator, and this file says what
 * was written (the code on stdout, or the run's result with --json). */
#include "cli.h"
#include "opt.h"

#include <solidata/run_derive.h>
#include <solidata/store.h>

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef struct dv_args {
    sol_derive_job job;
    int json;
} dv_args;

#define J(f) offsetof(dv_args, job.f)
#define A(f) offsetof(dv_args, f)

static const cli_opt COMMON_OPTS[] = {
    {"as", CLI_STR, J(as), "CODE",
     N_("the new indicator's code; running again with the same code replaces its values (the "
        "previous version is kept)"),
     .def = "NUM_per_1000, HELPED_coverage"},
    {"label", CLI_STR, J(label), "TEXT",
     N_("its label in every language (default: built from the inputs' labels in English, French "
        "and Italian)")},
    {"json", CLI_FLAG, A(json), NULL, N_("print the run's result as JSON instead of the code")},
    {"data", CLI_STR, J(data), "F.csv",
     N_("file mode: a CSV with one row per area (and period) holding both columns; the values "
        "are printed as CSV, nothing is written into the store"),
     .needs = "id-field", .excludes = "as,label,unit,denominator-period"},
    {"id-field", CLI_STR, J(id_field), "ID", N_("file mode: the column of area codes")},
    {"period-field", CLI_STR, J(period_field), "P",
     N_("file mode: the column of periods (default: one period)")},
    {0}};
static const cli_opt *const SHARED[] = {COMMON_OPTS, NULL};

static const cli_opt RATE_OPTS[] = {
    {"numerator", CLI_STR, J(numerator), "CODE", N_("the count (people helped, families, ...)"),
     .flags = CLI_REQUIRED},
    {"denominator", CLI_STR, J(denominator), "POPCODE",
     N_("the population of the same areas (inhabitants, households, people aged 75+ ...)"),
     .flags = CLI_REQUIRED},
    {"per", CLI_DOUBLE, J(per), "N", N_("per how many of the population"), .min = 0, .max = 1e12,
     .flags = CLI_OPEN_MIN, .expect = N_("a number above 0, such as 1000")},
    {"denominator-period", CLI_STR, J(denominator_period), "P",
     N_("take the population of this period for every period (default: the same period)")},
    {"unit", CLI_STR, J(unit), "TEXT",
     N_("its unit in every language (default: \"per 1,000 inhabitants\" in each language)")},
    {0}};

static const cli_opt COVERAGE_OPTS[] = {
    {"helped", CLI_STR, J(helped), "CODE", N_("people helped (a count of your records)"),
     .flags = CLI_REQUIRED},
    {"need", CLI_STR, J(need), "CODE",
     N_("estimated people in need; its standard errors give the interval"), .flags = CLI_REQUIRED},
    {"se-field", CLI_STR, J(se_field), "SE",
     N_("file mode: the column of the need's standard errors")},
    {0}};

static const cli_spec SPECS[] = {
    {"derive rate",
     "--numerator CODE --denominator POPCODE [--per N] [options]\n"
     "--data F.csv --id-field ID --numerator COL --denominator COL [--per N] [options]",
     N_("A rate per area and period: the count over the population, times --per (1000: per\n"
        "1,000 inhabitants), written into the store as a derived indicator with its labels in\n"
        "English, French and Italian, and recorded as a run with its method card. A value whose\n"
        "population is missing or 0 is left missing, and counted. Where the count is withheld\n"
        "from the public (a small count), the rate is withheld too: a rate and a published\n"
        "population would give the count back."),
     RATE_OPTS, NULL, 0, 0, SHARED},
    {"derive coverage",
     "--helped CODE --need CODE [options]\n"
     "--data F.csv --id-field ID --helped COL --need COL [--se-field SE] [options]",
     /* xgettext:no-c-format */
     N_("Coverage of need per area and period: people helped as a percentage of the estimated\n"
        "people in need, with a 95% interval when the estimate has standard errors (the need's\n"
        "interval carried through the ratio). Coverages above 100% are counted and said: more\n"
        "people were helped than the estimate. Written and recorded as 'derive rate' does;\n"
        "withheld wherever the count of people helped is withheld."),
     COVERAGE_OPTS, NULL, 0, 0, SHARED},
};

static const cli_sub SUBS[] = {
    {"rate", N_("a count per 1,000 inhabitants (or per any number of a population)")},
    {"coverage", N_("people helped as a share of the estimated people in need")},
    {0}};

int cmd_derive(const cli_ctx *ctx, int argc, char **argv)
{
    int sub = cli_sub_find("derive", SUBS, argc, argv);
    if (sub < 0)
        return -sub;
    dv_args a;
    memset(&a, 0, sizeof a);
    sol_run_derive_job_init(&a.job, sub == 0 ? SOL_DERIVE_RATE : SOL_DERIVE_COVERAGE);
    cli_args args;
    sol_store *st = NULL;
    sol_error err;
    int rc = cli_parse(&SPECS[sub], argc - 1, argv + 1, &a, &args);
    if (rc != CLI_OK)
        return rc;
    if (a.job.se_field != NULL && a.job.data == NULL)
        return cli_usage_error(SPECS[sub].cmd, "--se-field goes with --data");
    if ((rc = cli_open_store(ctx, a.job.data == NULL, &st, &err)) != CLI_OK)
        return rc;
    sol_derive_output *o = NULL;
    sol_status s = sol_run_derive(st, &a.job, &o, &err);
    sol_store_close(st);
    if (s != SOL_OK)
        return cli_job_fail(SPECS[sub].cmd, &err);
    cli_notes(ctx, N_("note"), o->notes, o->n_notes);
    if (a.job.data != NULL) {
        rc = (a.json ? cli_print_json(stdout, o->json, 0) == 0 : fputs(o->csv, stdout) >= 0)
                 ? CLI_OK
                 : CLI_FAIL;
        sol_derive_output_free(o);
        return rc;
    }
    if (!ctx->quiet) {
        fprintf(stderr,
                sol_ngettext("solidata: %s (version %d): %zu value written\n",
                             "solidata: %s (version %d): %zu values written\n", o->written),
                o->code, o->version, o->written);
        if (o->withheld > 0)
            fprintf(stderr,
                    sol_ngettext("solidata: %lld value of %s is withheld from the public (computed "
                                 "from a small count)\n",
                                 "solidata: %lld values of %s are withheld from the public "
                                 "(computed from small counts)\n",
                                 (unsigned long)o->withheld),
                    (long long)o->withheld, o->code);
        if (o->kind == SOL_DERIVE_COVERAGE && o->with_interval > 0)
            fprintf(stderr,
                    sol_ngettext("solidata: %zu coverage has a 95%% interval (the need's standard "
                                 "error)\n",
                                 "solidata: %zu coverages have a 95%% interval (the need's "
                                 "standard error)\n",
                                 o->with_interval),
                    o->with_interval);
    }
    if (a.json)
        rc = cli_print_json(stdout, o->json, 0) == 0 ? CLI_OK : CLI_FAIL;
    else
        rc = printf("%s\n", o->code) < 0 ? CLI_FAIL : CLI_OK;
    if (rc == CLI_OK)
        cli_say_recorded((long long)o->run_id);
    sol_derive_output_free(o);
    return rc;
}
