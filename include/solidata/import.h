/* solidata/import.h - imports into the store: area layers (GDAL/OGR) and indicator tables (wide
 * CSV, long CSV, SDMX-CSV). Each import is one transaction recorded in the catalog; an unchanged
 * file is a no-op; a changed file becomes a new version that replaces its observations.
 * Thread safety: one store handle per thread; an import is one transaction on that handle. */
#ifndef SOL_IMPORT_H
#define SOL_IMPORT_H

#include <solidata/csv.h>
#include <solidata/flags.h>
#include <solidata/limits.h>
#include <solidata/status.h>
#include <solidata/store.h>

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sol_data_format {
    SOL_FORMAT_AUTO = 0, /* SDMX-CSV when OBS_VALUE and TIME_PERIOD are columns; long when the
                            indicator and value columns exist; wide otherwise */
    SOL_FORMAT_WIDE,
    SOL_FORMAT_LONG,
    SOL_FORMAT_SDMX
} sol_data_format;

/* How the area column of a data file is read (sol_import_opts.match). */
typedef enum sol_match_mode {
    SOL_MATCH_AUTO = 0, /* each value as a code of the store, else as a code that lost its
                           leading zeros, else as an area's name */
    SOL_MATCH_CODES,    /* codes only (leading zeros restored) */
    SOL_MATCH_NAMES     /* names only */
} sol_match_mode;

typedef void (*sol_progress_fn)(void *ud, uint64_t done_bytes, uint64_t total_bytes, int64_t rows);

typedef struct sol_import_opts {
    /* catalog */
    const char *source_name; /* default: the file's base name */
    const char *licence;
    const char *attribution;
    /* areas */
    const char *code_field, *name_field, *parent_field;
    const char *level;      /* default "area" */
    const char *layer;      /* layer of a multi-layer file */
    const char *assume_crs; /* CRS of a file that declares none */
    int make_valid;         /* 1: repair invalid polygons (see sol_geo_opts) */
    /* data */
    sol_data_format format;
    const char *area_field;       /* required for wide and long; SDMX default REF_AREA/geo */
    const char *period_field;     /* column holding periods ... */
    const char *period;           /* ... or one period for the whole file */
    const char *indicator_field;  /* long: default "indicator" */
    const char *value_field;      /* long: default "value" */
    const char *se_field;         /* long: default "se" when present */
    const char *flags_field;      /* long: default "flags" when present */
    const char *indicators;       /* wide: comma-separated columns; default every numeric one */
    const char *indicator_meta;   /* CSV of code,label,unit,polarity,dimension */
    int skip_unknown_areas;       /* 1: rows for areas not in the store are counted, not errors */
    const char *count_indicators; /* comma-separated codes whose values are counts of persons */
    uint64_t min_cell;            /* minimum cell size k of the dataset (source name); 0: keep */
    int allow_shrink;             /* 1: a new version may drop most of the current one's values */
    char delimiter;               /* 0: detect */
    sol_progress_fn progress;
    void *progress_ud;
    int replace; /* 1 (solidata source replace): a file identical to the current version's but
                    imported with other options (columns, metadata, licence...) becomes a new
                    version instead of "unchanged" */
    /* matching and preview */
    sol_match_mode match;     /* data: the area column holds codes, names, or either (auto) */
    const char *matches_file; /* data: the person's choices, a CSV of name,code or
                                 name,parent,code, applied before any other matching */
    const char *matches_csv;  /* data: the same choices as CSV text in memory (NUL-terminated;
                                 the dashboard's), used when matches_file is NULL */
    int preview;              /* data: a dry run that writes nothing (not even the catalog) and
                                 fills the report's preview_json */
    /* data: parent_field (above) names a column with each row's parent area (name or code),
       which settles names shared by areas of several parents */
    /* reading (spreadsheets) */
    const char *sheet;     /* XLSX/ODS/XLS: the sheet's name or 1-based number */
    int encoding;          /* a sol_encoding; 0 = detect */
    uint64_t header_row;   /* the header's line; 0 = found below title lines */
    char decimal_mark;     /* ',' or '.'; 0 = decided from the cells */
    const char *indicator; /* years as columns: the indicator's code (default: the sheet's or
                              the file's name) */
    int own_records;       /* 1: the organisation's own records: a draft until published with
                              confirmation, counts under SOL_WITHHOLD_OWN_RECORDS_MIN_CELL withheld */
    int publish;           /* 1: publish the new source at once (refused for own records) */
} sol_import_opts;

typedef struct sol_import_report {
    int unchanged;        /* 1: same bytes as the current version; no value written */
    int settings_applied; /* with unchanged: the disclosure settings given (count indicators,
                             minimum cell, indicator metadata) were applied to the stored
                             values, and audited */
    int version;          /* version of the source now current */
    int64_t source_id;
    char connector[32]; /* "csv-wide", "csv-long", "sdmx-csv", "ogr:<driver>" */
    char sha256[65];
    int64_t rows_read;      /* data records (or features) read */
    int64_t rows_written;   /* observations (or areas) written */
    int64_t missing_values; /* empty / NA cells, not stored */
    int64_t unknown_rows;   /* rows skipped for an unknown area (--skip-unknown-areas) */
    char unknown_example[SOL_MAX_CODE + 1];
    int64_t indicators;           /* distinct indicators in the file */
    int64_t new_indicators;       /* of which new to the store */
    int64_t periods;              /* distinct periods in the file */
    char skipped_columns[1024];   /* wide: non-numeric columns left out (comma-separated) */
    char crs_original[256];       /* areas */
    int64_t suppressed_primary;   /* after the import, values of the whole store withheld from */
    int64_t suppressed_secondary; /* public outputs: below k; complements and derived rates */
    /* matching and preview: the area column's distinct values, by how they were matched */
    int64_t areas_by_code;   /* the code as written */
    int64_t areas_restored;  /* a code that had lost its leading zeros, restored */
    int64_t areas_by_name;   /* an area's name (normalised) */
    int64_t areas_by_choice; /* the person's choice (matches_file) */
    int64_t areas_unmatched; /* no area of the store (their rows: unknown_rows, which in a
                                preview also counts the rows of ambiguous values) */
    int64_t areas_ambiguous; /* several areas: the import stops unless previewing */
    char *preview_json;      /* preview: what would be written (see sol_import_data); allocated,
                                free with sol_import_report_free before the report is reused
                                (the import functions clear the report first) */
    /* reading (spreadsheets) */
    sol_read_info read; /* encoding, sheet, header line, blank and total rows, formulas, dates,
                           numbers rewritten, layout (sol_read_info_describe says them) */
} sol_import_report;

/** Import an area layer. Errors leave the store unchanged; err names file and feature. */
SOL_API sol_status sol_import_areas(sol_store *st, const char *path, const sol_import_opts *o,
                                    sol_import_report *rep, sol_error *err);
/** Import an indicator table. Errors leave the store unchanged; err names file, line, column
 *  and what was expected. A file whose bytes are those of the current version writes no value,
 *  but its disclosure settings (count indicators, minimum cell, metadata kinds and relations)
 *  are applied to the stored values at once. SOL_EINVAL: a file that yields no value, or a new
 *  version that would remove more than half of the current version's values (a truncated or
 *  empty file?) unless `allow_shrink`. */
SOL_API sol_status sol_import_data(sol_store *st, const char *path, const sol_import_opts *o,
                                   sol_import_report *rep, sol_error *err);
/* Matching areas. The area column's values are matched, per distinct value, by code, by a code
 * that lost its leading zeros (58091 -> 058091: the only store code that is the value with
 * zeros in front), or by name (case, accents, apostrophes, hyphens, Saint/St, Sainte/Ste and a
 * leading article le/la/les/l'/il/lo/i/gli aside), as `match` allows; where several areas fit,
 * the parent column (parent_field) and then the level most values matched settle it. A value
 * still matching several areas is SOL_EINVAL listing each with its candidates (name, code,
 * parent's name); values matching nothing are SOL_EUNKNOWNAREA listing them with the closest
 * names, unless skip_unknown_areas (then counted in unknown_rows); an import that would write
 * no value is SOL_EINVAL, with the unknown values listed.
 *
 * Preview (o->preview): the same reading and matching in a transaction that is rolled back, so
 * the store is byte-identical afterwards; the problems the import would stop at (ambiguous or
 * unknown areas, no value, a shrinking version) do not fail the call but are listed in
 * rep->preview_json, a JSON object:
 *   {"preview":true, "file", "source", "version" (the version it would become), "unchanged",
 *    "connector", "rows_read", "values" (would be written), "missing_values", "unknown_rows",
 *    "ok" (false when the import would stop), "problems":[sentence...],
 *    "areas":{"column","match","values","matched","by_code","by_restored_code","by_name",
 *             "by_choice","unmatched","unmatched_rows","ambiguous","ambiguous_rows",
 *             "matches":[{"value","parent"?,"rows","line","how":"restored|name|choice",
 *                         "area":{"code","name","level","parent"?,"parent_name"?}}],
 *             "ambiguous_values":[{"value","parent"?,"rows","line","candidates":[area...]}],
 *             "unmatched_values":[{"value","parent"?,"rows","line","suggestions":[area...]}]},
 *    "indicators":[{"code","values","new"}], "periods":["2019",...],
 *    "columns":{"read":[name...], "ignored":[{"column","why"}]}}
 * A cell the import would stop at (not a number, a bad period or flag, a negative count, a
 * second value for the same area, period and indicator) is listed among the problems with its
 * line and column and left out, so that one preview shows every bad cell: the first 20, then a
 * count of the rest. Errors that stop the reading itself (a missing column, a malformed file)
 * fail the preview as they fail the import. */

/** Free what a report owns (preview_json) and clear it; NULL is a no-op. */
SOL_API void sol_import_report_free(sol_import_report *rep);

/** Make superseded version `version` of source `name` current again (the version replaced by
 *  mistake, e.g. by a truncated file imported with --allow-shrink): one transaction that
 *  supersedes the current version, puts the restored version's values back, recomputes
 *  disclosure control and appends "source.restore" to the audit log. rep gets the version, the
 *  values restored (rows_written) and the values withheld afterwards. Errors as
 *  sol_store_source_restore; the store is unchanged on any error. */
SOL_API sol_status sol_import_restore(sol_store *st, const char *name, int version,
                                      sol_import_report *rep, sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
