/* cmd_import.c - `solidata init` and `solidata import areas|data`: flags in, one transaction
 * through the library, a report on stderr. */
#include "cli.h"
#include "opt.h"

#include <solidata/import.h>
#include <solidata/store.h>

#include <inttypes.h>
#include <jansson.h>
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
           sol_store_path(st), sol_store_schema_version(st), (long long)c.areas,
           (long long)c.indicators, (long long)c.periods, (long long)c.observations,
           (long long)c.sources);
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

/* import data's options: the library's, then the command's own */
typedef struct import_args {
    sol_import_opts o; /* first: the O() offsets are the same in both */
    int json;
} import_args;
static int parse_decimal_mark(const char *s, void *field)
{
    if (strcmp(s, ",") != 0 && strcmp(s, ".") != 0)
        return -1;
    *(char *)field = s[0];
    return 0;
}

#define O(f) offsetof(sol_import_opts, f)
static const cli_choice ENCODINGS[] = {{"auto", SOL_ENC_AUTO},
                                       {"utf-8", SOL_ENC_UTF8},
                                       {"windows-1252", SOL_ENC_WINDOWS_1252},
                                       {"iso-8859-1", SOL_ENC_ISO_8859_1},
                                       {"iso-8859-15", SOL_ENC_ISO_8859_15},
                                       {0}};
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

static const cli_choice MATCHES[] = {
    {"auto", SOL_MATCH_AUTO}, {"codes", SOL_MATCH_CODES}, {"names", SOL_MATCH_NAMES}, {0}};

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
    {"match", CLI_CHOICE, O(match), "HOW",
     N_("the area column holds codes, names, or either (auto: codes of the store, codes that\n"
        "lost their leading zeros, then names)"),
     .choices = MATCHES, .def = "auto"},
    {"parent-field", CLI_STR, O(parent_field), "F",
     N_("the column with each row's parent area (name or code), which settles names shared\n"
        "by areas of several parents")},
    {"matches", CLI_STR, O(matches_file), "FILE",
     N_("your choices for names: a CSV with columns name,code (or name,parent,code)")},
    {"preview", CLI_FLAG, O(preview), NULL,
     N_("a dry run: write nothing, say what would be written (areas matched and not, columns\n"
        "read and left out, values per indicator, periods)")},
    {"json", CLI_FLAG, offsetof(import_args, json), NULL,
     N_("with --preview: the preview as one JSON object on stdout")},
    {"sheet", CLI_STR, O(sheet), "NAME|N",
     N_("XLSX, ODS or XLS: the sheet to read, by name or number (1 for the first)")},
    {"encoding", CLI_CHOICE, O(encoding), "ENC",
     N_("CSV: utf-8, windows-1252, iso-8859-1 or iso-8859-15"), .choices = ENCODINGS,
     .def = N_("detected")},
    {"header-row", CLI_U64, O(header_row), "N",
     N_("the line of the column names (default: the first that looks like a header, below "
        "title lines)")},
    {"decimal-mark", CLI_CUSTOM, O(decimal_mark), ",|.",
     N_("the decimal mark, when cells such as 1.234 could be read either way"),
     .parse = parse_decimal_mark, .expect = N_("',' or '.'"), .def = N_("decided from the cells")},
    {"indicator", CLI_STR, O(indicator), "CODE", N_("years as columns: the indicator's code"),
     .def = N_("the sheet's or the file's name")},
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
        "CSV (comma or semicolon, detected; UTF-8, Windows-1252 or ISO-8859-1/15, detected) or a\n"
        "sheet of an XLSX, ODS or XLS workbook; the header may stand below title lines; blank\n"
        "and total rows are skipped and said; 2 521, 22,9 %, 1.234,5 are numbers; columns\n"
        "that are years (2015, 2016, ...) are read as periods of one indicator. Empty, NA, '..'\n"
        "and ':' cells are missing values, never zero."),
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

/* "Name (code, parent's name)" of a preview's area object. */
static void print_area(const json_t *a)
{
    const char *name = json_string_value(json_object_get(a, "name"));
    const char *code = json_string_value(json_object_get(a, "code"));
    const char *par = json_string_value(json_object_get(a, "parent_name"));
    if (par == NULL)
        par = json_string_value(json_object_get(a, "parent"));
    fprintf(stderr, "%s (%s%s%s)", name ? name : code, code, par ? ", " : "", par ? par : "");
}

/* One line per value of a preview list (at most `max`), with its area(s). */
static void print_values(const json_t *arr, const char *field, size_t max)
{
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        if (i == max) {
            fprintf(stderr, _("  ... and %zu more (--json lists them all)\n"),
                    json_array_size(arr) - max);
            break;
        }
        const char *par = json_string_value(json_object_get(e, "parent"));
        fprintf(stderr, "  '%s'%s%s%s -> ", json_string_value(json_object_get(e, "value")),
                par ? " [" : "", par ? par : "", par ? "]" : "");
        json_t *one = json_object_get(e, "area");
        if (one) {
            print_area(one);
        } else {
            json_t *list = json_object_get(e, field);
            size_t k;
            json_t *a;
            if (json_array_size(list) == 0)
                fputs(_("no area of the store has a name close to it"), stderr);
            json_array_foreach(list, k, a)
            {
                if (k)
                    fputs(", ", stderr);
                print_area(a);
            }
        }
        fputc('\n', stderr);
    }
}

/* The preview in sentences on stderr. */
static void print_preview(const char *path, const sol_import_report *rep, const json_t *j)
{
    const json_t *areas = json_object_get(j, "areas");
    if (rep->unchanged) {
        fprintf(stderr,
                _("%s: preview: unchanged since it was imported as source '%s' version %d; an "
                  "import would write nothing\n"),
                path, json_string_value(json_object_get(j, "source")), rep->version);
        return;
    }
    /* TRANSLATORS: the counts in brackets stand as "label N" would, whatever their number */
    fprintf(stderr,
            sol_ngettext("%s: preview, nothing was written: the import would write %lld value "
                         "(rows read: %lld, missing values left out: %lld) as source '%s' "
                         "version %d (%s)\n",
                         "%s: preview, nothing was written: the import would write %lld values "
                         "(rows read: %lld, missing values left out: %lld) as source '%s' "
                         "version %d (%s)\n",
                         (unsigned long)rep->rows_written),
            path, (long long)rep->rows_written, (long long)rep->rows_read,
            (long long)rep->missing_values, json_string_value(json_object_get(j, "source")),
            rep->version, rep->connector);
    fprintf(stderr,
            _("areas: distinct values in the column: %lld; matched by code: %lld, by a code "
              "that had lost its leading zeros: %lld, by name: %lld, by your choices: %lld; "
              "ambiguous: %lld; not found: %lld\n"),
            (long long)json_integer_value(json_object_get(areas, "values")),
            (long long)rep->areas_by_code, (long long)rep->areas_restored,
            (long long)rep->areas_by_name, (long long)rep->areas_by_choice,
            (long long)rep->areas_ambiguous, (long long)rep->areas_unmatched);
    if (json_array_size(json_object_get(areas, "matches"))) {
        fputs(_("matched otherwise than by their code as written (check them):\n"), stderr);
        print_values(json_object_get(areas, "matches"), NULL, 20);
    }
    if (rep->areas_ambiguous) {
        fputs(_("ambiguous (several areas of the store; say which with --parent-field or "
                "--matches):\n"),
              stderr);
        print_values(json_object_get(areas, "ambiguous_values"), "candidates", 50);
    }
    if (rep->areas_unmatched) {
        fputs(_("not found in the store (closest names after the arrow):\n"), stderr);
        print_values(json_object_get(areas, "unmatched_values"), "suggestions", 50);
    }
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(j, "indicators"), i, e)
    {
        long long n = (long long)json_integer_value(json_object_get(e, "values"));
        const char *code = json_string_value(json_object_get(e, "code"));
        if (json_is_true(json_object_get(e, "new")))
            fprintf(stderr,
                    sol_ngettext("indicator %s (new): %lld value\n",
                                 "indicator %s (new): %lld values\n", (unsigned long)n),
                    code, n);
        else
            fprintf(stderr,
                    sol_ngettext("indicator %s: %lld value\n", "indicator %s: %lld values\n",
                                 (unsigned long)n),
                    code, n);
    }
    json_array_foreach(json_object_get(json_object_get(j, "columns"), "ignored"), i, e)
    {
        const char *detail = json_string_value(json_object_get(e, "detail"));
        fprintf(stderr, _("column '%s' left out: %s\n"),
                json_string_value(json_object_get(e, "column")),
                detail ? _(detail) : _("not numeric"));
    }
    fputs(_("periods:"), stderr);
    json_array_foreach(json_object_get(j, "periods"), i, e)
    {
        fprintf(stderr, "%s%s", i ? ", " : " ", json_string_value(e));
    }
    fputc('\n', stderr);
    json_array_foreach(json_object_get(j, "problems"), i, e)
    {
        fprintf(stderr, _("the import would stop here: %s\n"), json_string_value(e));
    }
    if (json_array_size(json_object_get(j, "problems")) == 0)
        fputs(_("nothing stops this import: run the same command without --preview\n"), stderr);
}

/* One sentence of what reading the file found, on stderr. */
static void say_read(void *ud, const char *sentence)
{
    /* TRANSLATORS: the file, then one sentence of what reading it found */
    fprintf(stderr, _("%s: %s\n"), (const char *)ud, sentence);
}

int cmd_import(const cli_ctx *ctx, int argc, char **argv)
{
    int sub = cli_sub_find("import", SUBS, argc, argv);
    if (sub < 0)
        return -sub;
    int areas = sub == 0;
    import_args ia = {.o = {.progress = on_progress, .progress_ud = (void *)ctx}};
    sol_import_opts o;
    cli_args args;
    sol_store *st;
    sol_error err;
    int rc = cli_parse_store(ctx, &SPECS[sub], argc - 1, argv + 1, &ia, &args, &st, &err);
    if (rc != CLI_OK)
        return rc;
    o = ia.o;
    if (ia.json && !o.preview) {
        sol_store_close(st);
        return cli_usage_error("import data", "--json goes with --preview");
    }
    const char *path = args.v[0];
    sol_import_report rep;
    sol_status s = areas ? sol_import_areas(st, path, &o, &rep, &err)
                         : sol_import_data(st, path, &o, &rep, &err);
    sol_store_close(st);
    if (!ctx->quiet && isatty(2))
        fputs("\r\033[K", stderr);
    if (s != SOL_OK) {
        sol_import_report_free(&rep);
        return cli_fail(&err);
    }
    if (o.preview) {
        json_t *j = json_loads(rep.preview_json ? rep.preview_json : "{}", 0, NULL);
        int bad = 0;
        if (!ctx->quiet || !ia.json)
            print_preview(path, &rep, j);
        if (ia.json)
            bad = cli_print_json(stdout, rep.preview_json ? rep.preview_json : "{}", 0) != 0;
        json_decref(j);
        sol_import_report_free(&rep);
        return bad ? CLI_FAIL : CLI_OK;
    }
    sol_import_report_free(&rep);
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
    if (rep.areas_restored)
        fprintf(stderr,
                sol_ngettext("%s: %lld code had lost its leading zeros and was restored\n",
                             "%s: %lld codes had lost their leading zeros and were restored\n",
                             (unsigned long)rep.areas_restored),
                path, (long long)rep.areas_restored);
    if (rep.areas_by_name)
        fprintf(stderr,
                sol_ngettext("%s: %lld area was matched by its name\n",
                             "%s: %lld areas were matched by their names\n",
                             (unsigned long)rep.areas_by_name),
                path, (long long)rep.areas_by_name);
    if (rep.areas_by_choice)
        fprintf(stderr,
                sol_ngettext("%s: %lld area was matched by your choices\n",
                             "%s: %lld areas were matched by your choices\n",
                             (unsigned long)rep.areas_by_choice),
                path, (long long)rep.areas_by_choice);
    sol_read_info_describe(&rep.read, say_read, (void *)path);
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

/* `source replace` imports as `import data` does, with the same options (cmd_source.c) */
const cli_opt *const cli_import_data_opts = DATA_OPTS;
