/* cmd_project.c - `solidata project-population`: the option table fills a sol_project_job and
 * sol_run_project projects every area x scenario from the CSV files. */
#include "cli.h"
#include "opt.h"

#include <solidata/demography.h>

#include <stddef.h>
#include <stdio.h>

#define O(f) offsetof(sol_project_job, f)
static const cli_opt OPTS[] = {
    {"base", CLI_STR, O(base), "F.csv",
     N_("area,sex,age,population[,year] (sex F or M; ages 0, 5, ..., 85+)")},
    {"fertility", CLI_STR, O(fertility), "F.csv",
     N_("[scenario,][area,]age,rate (annual births per woman)")},
    {"survival", CLI_STR, O(survival), "F.csv",
     N_("[scenario,][area,]sex,age,Lx[,lx] (life table nLx; the open group's T; lx at age 0 is "
        "the radix, 1 when absent)")},
    {"migration", CLI_STR, O(migration), "F.csv",
     N_("[scenario,][area,]sex,age,net (annual net migrants, by age at start)")},
    {"horizon", CLI_INT, O(horizon), "YEARS", N_("years ahead"), .min = 1, .max = 500,
     .expect = N_("whole years from 1 to 500")},
    {"base-year", CLI_INT, O(base_year), "Y", N_("the year of the base population"), .min = 1,
     .max = 9999, .expect = N_("a year"), .def = N_("the base file's year column")},
    {"srb", CLI_DOUBLE, O(srb), "R", N_("sex ratio at birth, boys per girl"), .min = 0.5, .max = 2,
     .flags = CLI_OPEN_MIN | CLI_OPEN_MAX, .expect = N_("boys per girl, about 1.05")},
    {"out", CLI_STR, O(out), "F.csv", N_("long CSV: area,scenario,year,sex,age,population")},
    {"summary", CLI_STR, O(summary), "F.csv", N_("the summary here instead of stdout")},
    {0}};

static const cli_spec SPEC = {
    "project-population",
    "--base F.csv --fertility F.csv --survival F.csv [--migration F.csv] --horizon YEARS "
    "[options]",
    N_("Cohort-component projection by sex and age (groups of 1 or 5 years, the last open,\n"
       "e.g. 85+), per area and scenario, one step per age-group width up to YEARS ahead.\n"
       "A file without an area column applies to every area, one without a scenario column to\n"
       "every scenario (e.g. low, central, high in the fertility file only)."),
    OPTS,
    N_("Summary on stdout (or --summary F): area,scenario,year,total,children_0_5,\n"
       "people_65_plus,people_75_plus,old_age_dependency (65+ per 100 aged 15-64; with five-year\n"
       "groups children 0-5 are 0-4 plus a fifth of 5-9). Method: docs/demography.md.\n")};

int cmd_project(const cli_ctx *ctx, int argc, char **argv)
{
    sol_project_job o;
    sol_run_project_job_init(&o);
    cli_args args;
    int rc = cli_parse(&SPEC, argc, argv, &o, &args);
    if (rc != CLI_OK)
        return rc;
    if (!o.base || !o.fertility || !o.survival || !cli_given(&SPEC, &args, "horizon"))
        return cli_usage_error(SPEC.cmd,
                               "--base, --fertility, --survival and --horizon are required");
    sol_error err;
    sol_error_clear(&err);
    if (sol_run_project(&o, &err) != SOL_OK)
        return cli_fail(&err);
    if (o.out != NULL)
        cli_progress(ctx,
                     sol_ngettext("project-population: %d year ahead; by age and sex in %s",
                                  "project-population: %d years ahead; by age and sex in %s",
                                  (unsigned long)o.horizon),
                     o.horizon, o.out);
    else
        cli_progress(ctx,
                     sol_ngettext("project-population: %d year ahead",
                                  "project-population: %d years ahead", (unsigned long)o.horizon),
                     o.horizon);
    return CLI_OK;
}
