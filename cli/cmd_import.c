/* cmd_import.c - `solidata init` and `solidata import areas|data`: flags in, one transaction
 * through the library, a report on stderr. */
#include "cli.h"
#include "opt.h"

#include <solidata/import.h>
#include <solidata/store.h>

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const cli_spec INIT = {
    "init",
    NULL,
    N_("Create the store when it does not exist, upgrade an older one in place, and\n"
       "print what it holds."),
    NULL,
    NULL,
    0,
    0};

int cmd_init(const cli_ctx *ctx, int argc, char **argv)
{
    cli_args args;
    sol_store *st;
    sol_error err;
    int rc = cli_parse_store(ctx, &INIT, argc, argv, NULL, &args, &st, &err);
    if (rc != CLI_OK)
        return rc;
    sol_store_counts c;
    if (sol_store_count(st, &c, &err) != SOL_OK) {
        sol_store_close(st);
        return cli_fail(&err);
    }
    printf(_("store %s (schema version %d): %lld areas, %lld indicators, %lld"
             " periods, %lld observations, %lld sources\n"),
           ctx->db_path, sol_store_schema_version(st), (long long)c.areas, (long long)c.indicators,
           (long long)c.periods, (long long)c.observations, (long long)c.sources);
    sol_store_close(st);
    return CLI_OK;
}

static void on_progress(void *ud, uint64_t done, uint64_t total, int64_t rows)
{
    const cli_ctx *ctx = ud;
    if (rows < (1 << 20))
        return; /* small files finish before progress would help */
    cli_progress(ctx, "import: %lld rows, %.0f%%", (long long)rows,
                 total ? 100.0 * (double)done / (double)total : 0.0);
}

static int parse_delimiter(const char *s, void *field)
{
    if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0)
        *(char *)field = '\t';
    else if (strlen(s) == 1 && strchr(",;|", s[0]))
        *(char *)field = s[0];
    else
        return -1;
    return 0;
}

#define O(f) offsetof(sol_import_opts, f)
static const cli_choice FORMATS[] = {{"auto", SOL_FORMAT_AUTO},
                                     {"wide", SOL_FORMAT_WIDE},
                                     {"long", SOL_FORMAT_LONG},
                                     {"sdmx", SOL_FORMAT_SDMX},
                                     {0}};

/* What the catalog records of every import. */
#define CATALOG_OPTS                                                                               \
    {"source",                                                                                     \
     CLI_STR,                                                                                      \
     O(source_name),                                                                               \
     "NAME",                                                                                       \
     N_("the source's name in the catalog; a changed file under the same name becomes a new\n"     \
        "version"),                                                                                \
     .def = "the file name"},                                                                      \
        {"licence", CLI_STR, O(licence), "TEXT", N_("the licence of the data")},                   \
        {"license", CLI_STR, O(licence), "TEXT", N_("the same as --licence")},                     \
    {                                                                                              \
        "attribution", CLI_STR, O(attribution), "TEXT", N_("how to credit the source")             \
    }

static const cli_opt AREAS_OPTS[] = {
    {"code-field", CLI_STR, O(code_field), "F", N_("the attribute with the area codes"),
     .flags = CLI_REQUIRED},
    {"name-field", CLI_STR, O(name_field), "F", N_("the attribute with the area names")},
    {"parent-field", CLI_STR, O(parent_field), "F",
     N_("the attribute with the parent area's code")},
    {"level", CLI_STR, O(level), "NAME", N_("the level of these areas"), .def = "area"},
    {"layer", CLI_STR, O(layer), "NAME", N_("the layer of a multi-layer file")},
    {"crs", CLI_STR, O(assume_crs), "EPSG:N", N_("the CRS of a file that declares none")},
    {"make-valid", CLI_FLAG, O(make_valid), NULL,
     N_("repair polygons that cross themselves or whose rings overlap (GEOS MakeValid) instead of "
        "refusing them")},
    {"publish", CLI_FLAG, O(publish), NULL,
     N_("publish the source at once; by default a new source is a draft for analysts")},
    CATALOG_OPTS,
    {0}};

static const cli_opt DATA_OPTS[] = {
    {"area-field", CLI_STR, O(area_field), "F", N_("the column with the area codes")},
    {"period-field", CLI_STR, O(period_field), "F", N_("the column with the periods"),
     .excludes = "period"},
    {"period", CLI_STR, O(period), "P",
     N_("one period for the whole file (2023, 2023-Q2, 2023-05)")},
    {"format", CLI_CHOICE, O(format), "FMT", N_("auto, wide, long or sdmx"), .choices = FORMATS},
    {"indicators", CLI_STR, O(indicators), "A,B,...",
     N_("wide: these columns (default: every numeric column but the keys)")},
    {"indicator-field", CLI_STR, O(indicator_field), "F", N_("long: the indicator column"),
     .def = "indicator"},
    {"value-field", CLI_STR, O(value_field), "F", N_("long: the value column"), .def = "value"},
    {"se-field", CLI_STR, O(se_field), "F", N_("long: the standard error column"), .def = "se"},
    {"flags-field", CLI_STR, O(flags_field), "F", N_("long: the flags column"), .def = "flags"},
    {"indicator-meta", CLI_STR, O(indicator_meta), "FILE", N_("the indicators' metadata (below)")},
    {"skip-unknown-areas", CLI_FLAG, O(skip_unknown_areas), NULL,
     N_("count the rows of areas not in the store instead of failing")},
    {"delimiter", CLI_CUSTOM, O(delimiter), ",|;|tab", N_("the field delimiter"),
     .parse = parse_delimiter, .expect = N_("',', ';', '|' or tab"), .def = N_("detected")},
    {"count-indicators", CLI_STR, O(count_indicators), "A,B,...",
     N_("these indicators are counts of persons or households (below)")},
    {"min-cell", CLI_U64, O(min_cell), "K", N_("the minimum cell size of this dataset (below)"),
     .min = 1, .max = 1000000, .def = N_("10, or as set by 'solidata budget'")},
    {"allow-shrink", CLI_FLAG, O(allow_shrink), NULL,
     N_("accept a new version that removes more than half of the current version's values (by "
        "default refused: a truncated or empty file must not wipe a source)")},
    {"own-records", CLI_FLAG, O(own_records), NULL,
     N_("the organisation's own records: a draft until published with 'solidata publish source "
        "NAME --confirm-own-records', small counts withheld")},
    {"publish", CLI_FLAG, O(publish), NULL,
     N_("publish the source at once (refused for own records); by default a new source is a "
        "draft for analysts")},
    CATALOG_OPTS,
    {0}};

static const cli_sub SUBS[] = {
    {"areas", N_("an area layer: GeoJSON, Shapefile, GeoPackage (any vector file GDAL reads)")},
    {"data", N_("an indicator table: wide CSV, long CSV or SDMX-CSV")},
    {0}};

/* import data's closing text repeats import areas' (each is one message to translate). */
static const cli_spec SPECS[] = {
    {"import areas", "FILE --code-field F [options]",
     N_("Import an area layer: any vector file GDAL reads (GeoJSON, Shapefile, GeoPackage), any\n"
        "CRS; stored in EPSG:4326 lon/lat with the original CRS recorded. Polygons and\n"
        "multipolygons."),
     AREAS_OPTS,
     N_("Each import is one transaction recorded in the catalog with its SHA-256: importing\n"
        "the same file again writes no value (new disclosure settings given with it apply at "
        "once);\n"
        "a changed file (same --source name, by default the file name) becomes a new version that\n"
        "replaces the observations of the old one.\n"),
     1, 1},
    {"import data", "FILE --area-field F [--period-field F | --period P] [options]",
     N_("Import an indicator table: wide CSV (a row per area [and period], a column per\n"
        "indicator; by default every numeric column but the keys), long CSV (area, period,\n"
        "indicator, value [, se] [, flags]) or SDMX-CSV as Eurostat, Istat and INSEE publish it.\n"
        "Comma or semicolon (detected), decimal comma in semicolon files, UTF-8 with or without\n"
        "BOM. Empty, NA, '..' and ':' cells are missing values, never zero."),
     DATA_OPTS,
     N_("--indicator-meta: CSV with code, label, unit, polarity (higher_better|lower_better),\n"
        "  dimension columns (indicator_id/name/domain are accepted too), and kind: 'count'\n"
        "  (or unit 'count') declares the values numbers of persons or households;\n"
        "  numerator (codes joined by '+') and denominator say what a rate, share or mean\n"
        "  is computed from, so that it is withheld wherever those counts are.\n"
        "--count-indicators: the listed indicators are counts of persons or households:\n"
        "  public outputs withhold values 0 < n < k (primary suppression) and, where an area\n"
        "  and its sub-areas (parent field) both hold values, the fewest others needed so\n"
        "  that none can be recovered by subtraction (secondary suppression); rates whose\n"
        "  numerator or denominator is withheld are withheld too (linked suppression).\n"
        "--min-cell K: the minimum cell size of this dataset (named like the source).\n\n"
        "Each import is one transaction recorded in the catalog with its SHA-256: importing\n"
        "the same file again writes no value (new disclosure settings given with it apply at "
        "once);\n"
        "a changed file (same --source name, by default the file name) becomes a new version that\n"
        "replaces the observations of the old one.\n"),
     1, 1},
};

int cmd_import(const cli_ctx *ctx, int argc, char **argv)
{
    int sub = cli_sub_find("import", SUBS, argc, argv);
    if (sub < 0)
        return -sub;
    int areas = sub == 0;
    sol_import_opts o = {.progress = on_progress, .progress_ud = (void *)ctx};
    cli_args args;
    sol_store *st;
    sol_error err;
    int rc = cli_parse_store(ctx, &SPECS[sub], argc - 1, argv + 1, &o, &args, &st, &err);
    if (rc != CLI_OK)
        return rc;
    const char *path = args.v[0];
    sol_import_report rep;
    sol_status s = areas ? sol_import_areas(st, path, &o, &rep, &err)
                         : sol_import_data(st, path, &o, &rep, &err);
    sol_store_close(st);
    if (!ctx->quiet && isatty(2))
        fputs("\r\033[K", stderr);
    if (s != SOL_OK)
        return cli_fail(&err);
    const char *name =
        o.source_name ? o.source_name : (strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
    if (rep.unchanged && rep.settings_applied) {
        int64_t withheld = rep.suppressed_primary + rep.suppressed_secondary;
        fprintf(stderr,
                sol_ngettext("%s: unchanged since it was imported as source '%s' version %d; its "
                             "disclosure settings were applied to the stored values (%lld"
                             " value now withheld from the public), and the change is in the audit "
                             "log\n",
                             "%s: unchanged since it was imported as source '%s' version %d; its "
                             "disclosure settings were applied to the stored values (%lld"
                             " values now withheld from the public), and the change is in the "
                             "audit log\n",
                             (unsigned long)withheld),
                path, name, rep.version, (long long)withheld);
        return CLI_OK;
    }
    if (rep.unchanged) {
        fprintf(stderr,
                _("%s: unchanged since it was imported as source '%s' version %d; nothing to do\n"),
                path, name, rep.version);
        return CLI_OK;
    }
    if (areas) {
        fprintf(stderr,
                sol_ngettext("%s: imported %lld area as source '%s' version %d (%s, CRS %s)\n",
                             "%s: imported %lld areas as source '%s' version %d (%s, CRS %s)\n",
                             (unsigned long)rep.rows_written),
                path, (long long)rep.rows_written, name, rep.version, rep.connector,
                rep.crs_original);
        return CLI_OK;
    }
    /* TRANSLATORS: a summary; the counts stand as "label N" would, whatever their number */
    fprintf(stderr,
            _("%s: imported as source '%s' version %d (%s): %lld rows read, %lld"
              " observations written, %lld indicators (%lld new), %lld"
              " periods"),
            path, name, rep.version, rep.connector, (long long)rep.rows_read,
            (long long)rep.rows_written, (long long)rep.indicators, (long long)rep.new_indicators,
            (long long)rep.periods);
    if (rep.missing_values)
        fprintf(stderr, _(", %lld missing values left out"), (long long)rep.missing_values);
    fputc('\n', stderr);
    if (rep.unknown_rows)
        fprintf(stderr,
                sol_ngettext("%s: skipped %lld row for areas not in the store (first: '%s')\n",
                             "%s: skipped %lld rows for areas not in the store (first: '%s')\n",
                             (unsigned long)rep.unknown_rows),
                path, (long long)rep.unknown_rows, rep.unknown_example);
    if (rep.skipped_columns[0])
        fprintf(stderr, _("%s: non-numeric columns left out: %s\n"), path, rep.skipped_columns);
    if (rep.suppressed_primary + rep.suppressed_secondary > 0)
        fprintf(stderr,
                _("disclosure control: %lld values in the store are withheld from public "
                  "outputs (%lld counts below the minimum cell size, %lld"
                  " values that would give them back)\n"),
                (long long)(rep.suppressed_primary + rep.suppressed_secondary),
                (long long)rep.suppressed_primary, (long long)rep.suppressed_secondary);
    return CLI_OK;
}
