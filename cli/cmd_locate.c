/* cmd_locate.c - `solidata locate lscp|mclp|pmedian|cpmedian|budget`: where to place a service.
 * The option table fills a sol_locate_job, sol_run_locate runs it, this file prints the chosen
 * sites (CSV or JSON) and, on stderr, the explanation in the user's language. */
#include "cli.h"
#include "opt.h"

#include <solidata/i18n.h>
#include <solidata/run_locate.h>
#include <solidata/store.h>

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct lo_args {
    sol_locate_job job;
    const char *out;
    int json;
} lo_args;

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

static int check_lang(const char *s, void *field)
{
    sol_lang l;
    if (sol_lang_parse(s, &l, NULL) != SOL_OK)
        return -1;
    *(const char **)field = s;
    return 0;
}

#define J(f) offsetof(lo_args, job.f)
static const cli_opt OPTS[] = {
    {"indicator", CLI_STR, J(indicator), "CODE",
     N_("people in need per area, from the store (placed at each area's centroid)"),
     .excludes = "demand"},
    {"times", CLI_STR, J(times), "CODE",
     N_("multiply the demand by this share or rate (e.g. the share without broadband)"),
     .needs = "indicator"},
    {"times-unit", CLI_STR, J(times_unit), "percent|share|per1000", N_("how to read --times"),
     .needs = "times", .def = N_("from the indicator's unit")},
    {"period", CLI_STR, J(period), "P", N_("the period of --indicator"), .needs = "indicator",
     .def = N_("the latest")},
    {"level", CLI_STR, J(level), "L", N_("only the areas of this level (e.g. municipality)"),
     .needs = "indicator"},
    {"demand", CLI_STR, J(demand), "F.csv",
     N_("demand from a file: area (or id), weight, lon, lat")},
    {"sites", CLI_STR, J(sites), "F", N_("candidate sites: GeoJSON or GeoPackage points, or CSV"),
     .flags = CLI_REQUIRED},
    {"site-id", CLI_STR, J(site_id), "FIELD", N_("the field of the site id"), .def = "id"},
    {"site-name", CLI_STR, J(site_name), "FIELD", N_("the field of the site name"), .def = "name"},
    {"keep", CLI_STR, J(keep), "ID,...", N_("existing sites that must stay open")},
    {"distance-matrix", CLI_STR, J(matrix), "F.csv",
     N_("travel times or distances: from (area), to (site), value"),
     .def = N_("great-circle distance in km")},
    {"distance-unit", CLI_STR, J(distance_unit), "U", N_("the unit of distances in sentences"),
     .def = N_("km, or none with a matrix")},
    {"max-distance", CLI_DOUBLE, J(max_distance), "D",
     N_("the distance (or time) within which a site serves an area"), .min = 0, .max = 1e12,
     .flags = CLI_NO_DEFAULT},
    {"p", CLI_SIZE, J(p), "N", N_("the number of sites to open, existing ones included"), .min = 1,
     .max = 1000000, .flags = CLI_NO_DEFAULT},
    {"budget", CLI_CUSTOM, J(budget), "B", N_("the budget for the site costs (budget model)"),
     .parse = check_budget, .expect = N_("a number >= 0")},
    {"time-limit", CLI_DOUBLE, J(time_limit), "S",
     N_("stop after S seconds with the best solution and its gap"), .min = 0, .max = 1e7,
     .flags = CLI_OPEN_MIN},
    {"gap", CLI_DOUBLE, J(mip_gap), "G", N_("stop at this relative gap to the bound"), .min = 0,
     .max = 1, .flags = CLI_OPEN_MAX},
    {"need-label", CLI_STR, J(need_label), "TEXT",
     N_("words for the people counted, in the sentences"), .def = N_("the indicator's label")},
    {"lang", CLI_CUSTOM, J(lang), "en|fr|it", N_("the language of the sentences"),
     .parse = check_lang, .expect = "en, fr or it", .def = N_("from the environment")},
    {"out", CLI_STR, offsetof(lo_args, out), "F.csv", N_("write the CSV (or JSON) here"),
     .def = "stdout"},
    {"json", CLI_FLAG, offsetof(lo_args, json), NULL,
     N_("one JSON object: sites, areas served, uncovered areas, curve, status and gap")},
    {"record", CLI_FLAG, J(record), NULL, N_("record the run with its method card")},
    {0}};
static const cli_opt *const SHARED[] = {OPTS, NULL};

static const char *const MORE =
    N_("Output: CSV id,name,lon,lat,kept,capacity,cost,demand_served,areas_served (chosen sites),\n"
       "or --json; the explanation (a sentence per site, uncovered areas, what each additional\n"
       "site adds) on stderr. Distances are great-circle km unless --distance-matrix is given.\n");

static const cli_sub SUBS[] = {
    {"lscp", N_("fewest sites so that all demand is within --max-distance")},
    {"mclp", N_("--p sites covering the most demand within --max-distance")},
    {"pmedian", N_("--p sites with the least total demand-weighted distance")},
    {"cpmedian", N_("p-median with site capacities (a capacity column)")},
    {"budget", N_("sites whose costs fit --budget, covering the most demand")},
    {0}};

static const cli_spec SPECS[] = {
    {"locate lscp",
     "--indicator CODE|--demand F.csv --sites F --max-distance D [--keep IDS] [options]",
     N_("Location set covering: the fewest sites so that every area with demand has one within\n"
        "the distance; when no site can reach some area, they are named."),
     NULL, MORE, 0, 0, SHARED},
    {"locate mclp", "--indicator CODE|--demand F.csv --sites F --max-distance D --p N [options]",
     N_("Maximal covering: the p sites that bring the most people in need within the distance."),
     NULL, MORE, 0, 0, SHARED},
    {"locate pmedian", "--indicator CODE|--demand F.csv --sites F --p N [options]",
     N_("p-median: the p sites with the least total distance travelled by the people in need\n"
        "(with --max-distance, only assignments within it)."),
     NULL, MORE, 0, 0, SHARED},
    {"locate cpmedian", "--indicator CODE|--demand F.csv --sites F --p N [options]",
     N_("Capacitated p-median: as pmedian, each site serving at most its capacity (a\n"
        "'capacity' column); an area's demand may be split between sites."),
     NULL, MORE, 0, 0, SHARED},
    {"locate budget",
     "--indicator CODE|--demand F.csv --sites F --max-distance D --budget B [options]",
     N_("Maximal covering under a budget: sites with a 'cost' column whose total fits the\n"
        "budget, covering the most demand within the distance."),
     NULL, MORE, 0, 0, SHARED},
};

static const sol_locate_model MODELS[] = {SOL_LOCATE_LSCP, SOL_LOCATE_MCLP, SOL_LOCATE_PMEDIAN,
                                          SOL_LOCATE_CPMEDIAN, SOL_LOCATE_BUDGET};

static void print_csv(FILE *f, const sol_locate_output *o)
{
    const sol_locate_sites *s = o->sites;
    fprintf(f, "id,name,lon,lat,kept,capacity,cost,demand_served,areas_served\n");
    for (size_t k = 0; k < s->n; k++) {
        if (!o->result->open[k])
            continue;
        cli_csv_field(f, s->id[k], 0);
        cli_csv_field(f, s->name[k], 0);
        cli_csv_number(f, s->lon[k], 0);
        cli_csv_number(f, s->lat[k], 0);
        fprintf(f, "%d,", o->keep[k] ? 1 : 0);
        cli_csv_number(f, s->cap[k], 0);
        cli_csv_number(f, s->cost[k], 0);
        cli_csv_number(f, o->result->served[k], 0);
        fprintf(f, "%zu\n", o->result->n_served[k]);
    }
}

/* The explanation, on stderr, in the language of the sentences. */
static void explain(const lo_args *a, const sol_locate_output *o)
{
    const sol_locate_result *r = o->result;
    sol_lang l = sol_lang_current();
    if (a->job.lang)
        sol_lang_parse(a->job.lang, &l, NULL);
    char x[64], y[64], z[64];
    if (r->status == SOL_LOCATE_OPTIMAL)
        fprintf(stderr, "%s\n", sol_lgettext(l, "Solved to optimality (GLPK)."));
    else {
        if (isnan(r->gap))
            snprintf(x, sizeof x, "?");
        else
            sol_lang_percent(l, 100 * r->gap, 2, x, sizeof x);
        fprintf(stderr,
                r->status == SOL_LOCATE_TIME_LIMIT
                    ? sol_lgettext(l, "Stopped at the time limit: the best solution found, %s "
                                      "from the best bound.\n")
                    : sol_lgettext(l, "No solution from branch-and-cut within the time limit: "
                                      "the best heuristic solution, %s from the best bound.\n"),
                x);
    }
    sol_lang_number(l, round(r->covered), 0, 1, x, sizeof x);
    sol_lang_number(l, round(r->total), 0, 1, y, sizeof y);
    sol_lang_percent(l, r->total > 0 ? 100 * r->covered / r->total : 0, 1, z, sizeof z);
    fprintf(stderr, sol_lgettext(l, "Demand served: %s of %s (%s).\n"), x, y, z);
    for (size_t k = 0; k < o->sites->n; k++)
        if (o->sentence[k])
            fprintf(stderr, "  %s\n", o->sentence[k]);
    size_t nu = 0;
    for (size_t i = 0; i < o->n; i++)
        nu += o->result->assign[i] < 0 && o->weight[i] > 0;
    if (nu > 0) {
        fprintf(stderr,
                sol_lngettext(l, "%zu area is not served:", "%zu areas are not served:", nu), nu);
        size_t shown = 0;
        for (size_t i = 0; i < o->n && shown < 30; i++)
            if (o->result->assign[i] < 0 && o->weight[i] > 0) {
                sol_lang_number(l, round(o->weight[i]), 0, 1, x, sizeof x);
                fprintf(stderr, "%s %s (%s)", shown ? "," : "",
                        o->name[i] ? o->name[i] : o->code[i], x);
                shown++;
            }
        fprintf(stderr, "%s\n", nu > shown ? ", ..." : "");
    }
    if (r->n_curve > 1) {
        fprintf(stderr, "%s\n",
                r->curve_exact
                    ? sol_lgettext(l, "What each additional site adds (an exact solve for each "
                                      "number of sites):")
                    : sol_lgettext(l, "What each additional site adds (greedy additions, an "
                                      "approximation):"));
        for (size_t k = 0; k < r->n_curve; k++) {
            if (isnan(r->curve[k]))
                continue;
            sol_lang_number(l, r->curve[k], 0, 1, x, sizeof x);
            double add = k == 0 || isnan(r->curve[k - 1]) ? NAN : r->curve[k] - r->curve[k - 1];
            if (isnan(add)) {
                fprintf(stderr, sol_lngettext(l, "  %zu site: %s\n", "  %zu sites: %s\n", k + 1),
                        k + 1, x);
                continue;
            }
            sol_lang_number(l, add, 0, 1, y, sizeof y);
            fprintf(stderr,
                    sol_lngettext(l, "  %zu site: %s (change %s)\n",
                                  "  %zu sites: %s (change %s)\n", k + 1),
                    k + 1, x, y);
        }
    }
}

int cmd_locate(const cli_ctx *ctx, int argc, char **argv)
{
    int sub = cli_sub_find("locate", SUBS, argc, argv);
    if (sub < 0)
        return -sub;
    lo_args a;
    memset(&a, 0, sizeof a);
    sol_run_locate_job_init(&a.job);
    a.job.model = MODELS[sub];
    cli_args args;
    int rc = cli_parse(&SPECS[sub], argc - 1, argv + 1, &a, &args);
    if (rc != CLI_OK)
        return rc;
    sol_store *st = NULL;
    sol_error err;
    if ((rc = cli_open_store(ctx, a.job.indicator != NULL || a.job.record, &st, &err)) != CLI_OK)
        return rc;
    sol_locate_output *o = NULL;
    sol_status s = sol_run_locate(st, &a.job, &o, &err);
    sol_store_close(st);
    if (s != SOL_OK)
        return cli_job_fail(SPECS[sub].cmd, &err);
    if (o->run_id > 0 && !ctx->quiet)
        cli_say_recorded((long long)o->run_id);
    FILE *f = cli_out_open(a.out);
    if (f == NULL) {
        sol_locate_output_free(o);
        return CLI_FAIL;
    }
    if (a.json)
        fprintf(f, "%s\n", o->json);
    else
        print_csv(f, o);
    rc = cli_out_close(f, a.out);
    if (!ctx->quiet)
        explain(&a, o);
    sol_locate_output_free(o);
    return rc;
}
