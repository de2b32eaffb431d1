/* cmd_project.c - `solidata project-population`: cohort-component population projection from
 * CSV files (base population, fertility, survival, migration), per area and scenario. */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/demography.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: solidata project-population --base F.csv --fertility F.csv --survival F.csv\n"
    "                                   [--migration F.csv] --horizon YEARS [--base-year Y]\n"
    "                                   [--srb R] [--out F.csv] [--summary F.csv]\n"
    "\n"
    "Cohort-component projection by sex and age (groups of 1 or 5 years, the last open,\n"
    "e.g. 85+), per area and scenario, one step per age-group width up to YEARS ahead.\n"
    "  --base       area,sex,age,population[,year]    (sex F or M; ages 0, 5, ..., 85+)\n"
    "  --fertility  [scenario,][area,]age,rate         (annual births per woman)\n"
    "  --survival   [scenario,][area,]sex,age,Lx[,lx]  (life table nLx; the open group's T;\n"
    "               lx at age 0 is the radix, 1 when absent)\n"
    "  --migration  [scenario,][area,]sex,age,net      (annual net migrants, by age at start)\n"
    "A file without an area column applies to every area, one without a scenario column to\n"
    "every scenario (e.g. low, central, high in the fertility file only).\n"
    "  --srb R      sex ratio at birth, boys per girl (default 1.05)\n"
    "  --out F      long CSV: area,scenario,year,sex,age,population\n"
    "Summary on stdout (or --summary F): area,scenario,year,total,children_0_5,\n"
    "people_65_plus,people_75_plus,old_age_dependency (65+ per 100 aged 15-64; with five-year\n"
    "groups children 0-5 are 0-4 plus a fifth of 5-9). Method: docs/demography.md.\n";

int cmd_project(const cli_ctx *ctx, int argc, char **argv)
{
    enum { O_BASE = 256, O_FERT, O_SURV, O_MIG, O_HOR, O_BY, O_SRB, O_OUT, O_SUM };
    static const struct option opts[] = {
        {"base", 1, 0, O_BASE},      {"fertility", 1, 0, O_FERT}, {"survival", 1, 0, O_SURV},
        {"migration", 1, 0, O_MIG},  {"horizon", 1, 0, O_HOR},    {"base-year", 1, 0, O_BY},
        {"srb", 1, 0, O_SRB},        {"out", 1, 0, O_OUT},        {"summary", 1, 0, O_SUM},
        {"help", 0, 0, 'h'},         {0, 0, 0, 0}};
    sol_project_opts o = {0};
    int c, horizon_given = 0;
    char *end;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(usage, stdout); return CLI_OK;
        case O_BASE: o.base = optarg; break;
        case O_FERT: o.fertility = optarg; break;
        case O_SURV: o.survival = optarg; break;
        case O_MIG: o.migration = optarg; break;
        case O_OUT: o.out = optarg; break;
        case O_SUM: o.summary = optarg; break;
        case O_HOR:
            horizon_given = 1;
            o.horizon = (int)strtol(optarg, &end, 10);
            if (*end || end == optarg || o.horizon < 1 || o.horizon > 500)
                return cli_usage_error("project-population",
                                       "--horizon %s: expected whole years from 1 to 500",
                                       optarg);
            break;
        case O_BY:
            o.base_year = (int)strtol(optarg, &end, 10);
            if (*end || end == optarg || o.base_year < 1 || o.base_year > 9999)
                return cli_usage_error("project-population", "--base-year %s: expected a year",
                                       optarg);
            break;
        case O_SRB:
            o.srb = strtod(optarg, &end);
            if (*end || end == optarg || !(o.srb > 0.5 && o.srb < 2))
                return cli_usage_error("project-population",
                                       "--srb %s: expected boys per girl, about 1.05", optarg);
            break;
        default:
            return cli_usage_error("project-population", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("project-population", "unexpected argument '%s'", argv[optind]);
    if (!o.base || !o.fertility || !o.survival || !horizon_given)
        return cli_usage_error("project-population",
                               "--base, --fertility, --survival and --horizon are required");
    sol_error err;
    sol_error_clear(&err);
    if (sol_run_project_population(&o, &err) != SOL_OK)
        return cli_fail(&err);
    cli_progress(ctx, "project-population: %d years ahead%s%s", o.horizon,
                 o.out ? "; by age and sex in " : "", o.out ? o.out : "");
    return CLI_OK;
}
