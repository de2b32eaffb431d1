/* cmd_export.c - `solidata export areas|data`: the store's areas as a GeoJSON FeatureCollection,
 * its observations as long CSV (area, period, indicator, value, se, flags). */
#include "cli.h"
#include "opt.h"

#include <solidata/run_catalog.h>

#include <errno.h>
#include <stddef.h>
#include <string.h>

typedef struct export_args {
    const char *out;
    sol_export_job job;
} export_args;

#define E(f) offsetof(export_args, f)
static const cli_opt AREAS_OPTS[] = {
    {"level", CLI_STR, E(job.level), "L", N_("only the areas of this level")},
    {"out", CLI_STR, E(out), "F.geojson", N_("write here instead of standard output")},
    {"unsuppressed", CLI_FLAG, E(job.unsuppressed), NULL, N_("refused: areas have no values")},
    {0}};
static const cli_choice DIALECTS[] = {
    {"plain", SOL_CSV_PLAIN}, {"excel-fr", SOL_CSV_EXCEL_FR}, {"excel-it", SOL_CSV_EXCEL_IT}, {0}};
static const cli_opt DATA_OPTS[] = {
    {"indicator", CLI_STR, E(job.indicator), "CODE", N_("only this indicator")},
    {"period", CLI_STR, E(job.period), "P", N_("only this period")},
    {"out", CLI_STR, E(out), "F.csv", N_("write here instead of standard output")},
    {"csv-dialect", CLI_CHOICE, E(job.dialect), "D",
     N_("plain (',' and '.', the same in every locale), or excel-fr / excel-it: ';' between "
        "fields, ',' as the decimal mark, a UTF-8 BOM and CRLF line ends, so that French and "
        "Italian spreadsheets open the file in columns with numbers as numbers"),
     .choices = DIALECTS, .def = "plain"},
    {"unsuppressed", CLI_FLAG, E(job.unsuppressed), NULL,
     N_("write the withheld values too, for an analyst's own work: the export is recorded in the "
        "audit log first")},
    {0}};

static const cli_sub SUBS[] = {
    {"areas", N_("a GeoJSON FeatureCollection in EPSG:4326 (code, name, level, parent)")},
    {"data", N_("long CSV with columns area,period,indicator,value,se,flags")},
    {0}};

static const cli_spec SPECS[] = {
    {"export areas", "[--level L] [--out F.geojson]",
     N_("The areas as a GeoJSON FeatureCollection in EPSG:4326 (code, name, level, parent)."),
     AREAS_OPTS, N_("Without --out the export goes to standard output."), 0, 0},
    {"export data",
     "[--indicator CODE] [--period P] [--out F.csv] [--csv-dialect D] [--unsuppressed]",
     N_("The observations as long CSV with columns area,period,indicator,value,se,flags. Values\n"
        "withheld by disclosure control (small counts and their complements) are empty with the\n"
        "flag 'suppressed'."),
     DATA_OPTS, N_("Without --out the export goes to standard output."), 0, 0},
};

int cmd_export(const cli_ctx *ctx, int argc, char **argv)
{
    int sub = cli_sub_find("export", SUBS, argc, argv);
    if (sub < 0)
        return -sub;
    export_args a = {.job = {.areas = sub == 0}};
    cli_args args;
    int rc = cli_parse(&SPECS[sub], argc - 1, argv + 1, &a, &args);
    if (rc != CLI_OK)
        return rc;
    if (a.job.areas && a.job.unsuppressed)
        return cli_usage_error("export", "--unsuppressed applies to 'export data' only");
    a.job.out = a.out;
    sol_store *st;
    sol_error err;
    if ((rc = cli_open_store(ctx, 1, &st, &err)) != CLI_OK)
        return rc;
    FILE *f = stdout;
    if (a.out && (f = fopen(a.out, "w")) == NULL) {
        sol_store_close(st);
        return cli_failf("%s: cannot write: %s", a.out, strerror(errno));
    }
    sol_run_export_report rep;
    sol_status s = sol_run_export(st, &a.job, cli_write_chars, f, &rep, &err);
    sol_store_close(st);
    int werr = ferror(f) != 0;
    if (a.out != NULL)
        werr |= fclose(f) != 0;
    else
        werr |= fflush(f) != 0;
    if (s != SOL_OK)
        return cli_fail(&err);
    if (werr)
        return a.out ? cli_failf("%s: write error", a.out)
                     : cli_failf("standard output: write error");
    if (a.out && !ctx->quiet) {
        unsigned long n = (unsigned long)rep.rows;
        fprintf(stderr,
                a.job.areas ? sol_ngettext("%s: wrote %lld area\n", "%s: wrote %lld areas\n", n)
                            : sol_ngettext("%s: wrote %lld observation\n",
                                           "%s: wrote %lld observations\n", n),
                a.out, (long long)rep.rows);
    }
    if (rep.withheld && !ctx->quiet)
        fprintf(
            stderr,
            sol_ngettext("export: %lld value withheld by disclosure control (flag "
                         "'suppressed'); an analyst may pass --unsuppressed, which is audited\n",
                         "export: %lld values withheld by disclosure control (flag "
                         "'suppressed'); an analyst may pass --unsuppressed, which is audited\n",
                         (unsigned long)rep.withheld),
            (long long)rep.withheld);
    if (a.job.unsuppressed && !ctx->quiet)
        fputs(_("export: unsuppressed export recorded in the audit log\n"), stderr);
    return CLI_OK;
}
