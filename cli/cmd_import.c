/* cmd_import.c - `solidata init` and `solidata import areas|data`: flags in, one transaction
 * through the library, a report on stderr. */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/import.h>
#include <solidata/store.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmd_init(const cli_ctx *ctx, int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: solidata [--db FILE] init\n\n"
               "Create the store when it does not exist, upgrade an older one in place, and\n"
               "print what it holds.\n");
        return CLI_OK;
    }
    if (argc > 1)
        return cli_usage_error("init", "unexpected argument '%s'", argv[1]);
    sol_store *st;
    int rc = cli_open_store(ctx, &st);
    if (rc != CLI_OK)
        return rc;
    sol_store_counts c;
    sol_error err;
    if (sol_store_count(st, &c, &err) != SOL_OK) {
        sol_store_close(st);
        return cli_fail(&err);
    }
    printf("store %s (schema version %d): %" PRId64 " areas, %" PRId64 " indicators, %" PRId64
           " periods, %" PRId64 " observations, %" PRId64 " sources\n",
           ctx->db_path, sol_store_schema_version(st), c.areas, c.indicators, c.periods,
           c.observations, c.sources);
    sol_store_close(st);
    return CLI_OK;
}

static void on_progress(void *ud, uint64_t done, uint64_t total, int64_t rows)
{
    const cli_ctx *ctx = ud;
    if (rows < (1 << 20))
        return; /* small files finish before progress would help */
    cli_progress(ctx, "import: %" PRId64 " rows, %.0f%%", rows,
                 total ? 100.0 * (double)done / (double)total : 0.0);
}

static void import_help(void)
{
    printf(
        "usage: solidata [--db FILE] import areas FILE --code-field F [--name-field F]\n"
        "                [--parent-field F] [--level NAME] [--layer NAME] [--crs EPSG:N]\n"
        "                [--source NAME] [--licence TEXT] [--attribution TEXT]\n"
        "       solidata [--db FILE] import data FILE --area-field F\n"
        "                [--period-field F | --period P] [--format auto|wide|long|sdmx]\n"
        "                [--indicators A,B,...] [--indicator-field F] [--value-field F]\n"
        "                [--se-field F] [--flags-field F] [--indicator-meta FILE]\n"
        "                [--skip-unknown-areas] [--delimiter ,|;|tab]\n"
        "                [--count-indicators A,B,...] [--min-cell K]\n"
        "                [--source NAME] [--licence TEXT] [--attribution TEXT]\n\n"
        "areas: any vector file GDAL reads (GeoJSON, Shapefile, GeoPackage), any CRS; stored\n"
        "  in EPSG:4326 lon/lat with the original CRS recorded. Polygons and multipolygons.\n"
        "data: wide CSV (a row per area [and period], a column per indicator; by default\n"
        "  every numeric column but the keys), long CSV (area, period, indicator, value\n"
        "  [, se] [, flags]) or SDMX-CSV as Eurostat, Istat and INSEE publish it. Comma or\n"
        "  semicolon (detected), decimal comma in semicolon files, UTF-8 with or without BOM.\n"
        "  Empty, NA, '..' and ':' cells are missing values, never zero.\n"
        "--indicator-meta: CSV with code, label, unit, polarity (higher_better|lower_better),\n"
        "  dimension columns (indicator_id/name/domain are accepted too), and kind: 'count'\n"
        "  (or unit 'count') declares the values numbers of persons or households;\n"
        "  numerator (codes joined by '+') and denominator say what a rate, share or mean\n"
        "  is computed from, so that it is withheld wherever those counts are.\n"
        "--count-indicators: the listed indicators are counts of persons or households:\n"
        "  public outputs withhold values 0 < n < k (primary suppression) and, where an area\n"
        "  and its sub-areas (parent field) both hold values, the fewest others needed so\n"
        "  that none can be recovered by subtraction (secondary suppression); rates whose\n"
        "  numerator or denominator is withheld are withheld too (linked suppression).\n"
        "--min-cell K: the minimum cell size of this dataset (named like the source); default\n"
        "  10, or as set by 'solidata budget set NAME --min-cell K'.\n\n"
        "Each import is one transaction recorded in the catalog with its SHA-256: importing\n"
        "the same file again does nothing; a changed file (same --source name, by default the\n"
        "file name) becomes a new version that replaces the observations of the old one.\n");
}

int cmd_import(const cli_ctx *ctx, int argc, char **argv)
{
    enum {
        O_CODE = 256, O_NAME, O_PARENT, O_LEVEL, O_LAYER, O_CRS, O_SOURCE, O_LICENCE, O_ATTR,
        O_AREA, O_PFIELD, O_PERIOD, O_FORMAT, O_INDS, O_IFIELD, O_VFIELD, O_SEFIELD, O_FFIELD,
        O_META, O_SKIP, O_DELIM, O_COUNTS, O_MINCELL
    };
    static const struct option opts[] = {
        {"code-field", required_argument, NULL, O_CODE},
        {"name-field", required_argument, NULL, O_NAME},
        {"parent-field", required_argument, NULL, O_PARENT},
        {"level", required_argument, NULL, O_LEVEL},
        {"layer", required_argument, NULL, O_LAYER},
        {"crs", required_argument, NULL, O_CRS},
        {"source", required_argument, NULL, O_SOURCE},
        {"licence", required_argument, NULL, O_LICENCE},
        {"license", required_argument, NULL, O_LICENCE},
        {"attribution", required_argument, NULL, O_ATTR},
        {"area-field", required_argument, NULL, O_AREA},
        {"period-field", required_argument, NULL, O_PFIELD},
        {"period", required_argument, NULL, O_PERIOD},
        {"format", required_argument, NULL, O_FORMAT},
        {"indicators", required_argument, NULL, O_INDS},
        {"indicator-field", required_argument, NULL, O_IFIELD},
        {"value-field", required_argument, NULL, O_VFIELD},
        {"se-field", required_argument, NULL, O_SEFIELD},
        {"flags-field", required_argument, NULL, O_FFIELD},
        {"indicator-meta", required_argument, NULL, O_META},
        {"skip-unknown-areas", no_argument, NULL, O_SKIP},
        {"delimiter", required_argument, NULL, O_DELIM},
        {"count-indicators", required_argument, NULL, O_COUNTS},
        {"min-cell", required_argument, NULL, O_MINCELL},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    sol_import_opts o = {.progress = on_progress, .progress_ud = (void *)ctx};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case O_CODE: o.code_field = optarg; break;
        case O_NAME: o.name_field = optarg; break;
        case O_PARENT: o.parent_field = optarg; break;
        case O_LEVEL: o.level = optarg; break;
        case O_LAYER: o.layer = optarg; break;
        case O_CRS: o.assume_crs = optarg; break;
        case O_SOURCE: o.source_name = optarg; break;
        case O_LICENCE: o.licence = optarg; break;
        case O_ATTR: o.attribution = optarg; break;
        case O_AREA: o.area_field = optarg; break;
        case O_PFIELD: o.period_field = optarg; break;
        case O_PERIOD: o.period = optarg; break;
        case O_INDS: o.indicators = optarg; break;
        case O_IFIELD: o.indicator_field = optarg; break;
        case O_VFIELD: o.value_field = optarg; break;
        case O_SEFIELD: o.se_field = optarg; break;
        case O_FFIELD: o.flags_field = optarg; break;
        case O_META: o.indicator_meta = optarg; break;
        case O_SKIP: o.skip_unknown_areas = 1; break;
        case O_COUNTS: o.count_indicators = optarg; break;
        case O_MINCELL: {
            char *end;
            errno = 0;
            unsigned long long k = strtoull(optarg, &end, 10);
            if (errno || *end || optarg[0] == '-' || k < 1 || k > 1000000)
                return cli_usage_error("import", "--min-cell %s: expected a whole number from 1 to 1000000", optarg);
            o.min_cell = k;
            break;
        }
        case O_FORMAT:
            if (strcmp(optarg, "auto") == 0) o.format = SOL_FORMAT_AUTO;
            else if (strcmp(optarg, "wide") == 0) o.format = SOL_FORMAT_WIDE;
            else if (strcmp(optarg, "long") == 0) o.format = SOL_FORMAT_LONG;
            else if (strcmp(optarg, "sdmx") == 0) o.format = SOL_FORMAT_SDMX;
            else return cli_usage_error("import", "--format %s: expected auto, wide, long or sdmx", optarg);
            break;
        case O_DELIM:
            if (strcmp(optarg, "tab") == 0 || strcmp(optarg, "\\t") == 0) o.delimiter = '\t';
            else if (strlen(optarg) == 1 && strchr(",;|", optarg[0])) o.delimiter = optarg[0];
            else return cli_usage_error("import", "--delimiter %s: expected ',', ';', '|' or tab", optarg);
            break;
        case 'h': import_help(); return CLI_OK;
        default:
            return cli_usage_error("import", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 2 != argc)
        return cli_usage_error("import", "expected 'areas FILE' or 'data FILE'");
    const char *what = argv[optind], *path = argv[optind + 1];
    int areas = strcmp(what, "areas") == 0;
    if (!areas && strcmp(what, "data") != 0)
        return cli_usage_error("import", "'%s': expected areas or data", what);
    if (areas && o.code_field == NULL)
        return cli_usage_error("import", "--code-field is required: the attribute with area codes");

    sol_store *st;
    int rc = cli_open_store(ctx, &st);
    if (rc != CLI_OK)
        return rc;
    sol_import_report rep;
    sol_error err;
    sol_error_clear(&err);
    sol_status s = areas ? sol_import_areas(st, path, &o, &rep, &err)
                         : sol_import_data(st, path, &o, &rep, &err);
    sol_store_close(st);
    if (!ctx->quiet && isatty(2))
        fputs("\r\033[K", stderr);
    if (s != SOL_OK)
        return cli_fail(&err);
    const char *name = o.source_name ? o.source_name : (strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
    if (rep.unchanged) {
        fprintf(stderr, "%s: unchanged since it was imported as source '%s' version %d; nothing to do\n",
                path, name, rep.version);
        return CLI_OK;
    }
    if (areas) {
        fprintf(stderr, "%s: imported %" PRId64 " areas as source '%s' version %d (%s, CRS %s)\n",
                path, rep.rows_written, name, rep.version, rep.connector, rep.crs_original);
        return CLI_OK;
    }
    fprintf(stderr,
            "%s: imported as source '%s' version %d (%s): %" PRId64 " rows read, %" PRId64
            " observations written, %" PRId64 " indicators (%" PRId64 " new), %" PRId64 " periods",
            path, name, rep.version, rep.connector, rep.rows_read, rep.rows_written,
            rep.indicators, rep.new_indicators, rep.periods);
    if (rep.missing_values)
        fprintf(stderr, ", %" PRId64 " missing values left out", rep.missing_values);
    fputc('\n', stderr);
    if (rep.unknown_rows)
        fprintf(stderr, "%s: skipped %" PRId64 " rows for areas not in the store (first: '%s')\n",
                path, rep.unknown_rows, rep.unknown_example);
    if (rep.skipped_columns[0])
        fprintf(stderr, "%s: non-numeric columns left out: %s\n", path, rep.skipped_columns);
    if (rep.suppressed_primary + rep.suppressed_secondary > 0)
        fprintf(stderr,
                "disclosure control: %" PRId64 " values in the store are withheld from public "
                "outputs (%" PRId64 " counts below the minimum cell size, %" PRId64
                " values that would give them back)\n",
                rep.suppressed_primary + rep.suppressed_secondary, rep.suppressed_primary,
                rep.suppressed_secondary);
    return CLI_OK;
}
