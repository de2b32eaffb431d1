/* solidata/run_map.h - a choropleth of one column of a CSV file, or of the clusters written by
 * `solidata spatial lisa`, over any area layer GDAL reads, as SVG, PNG or PDF: the file mode of
 * `solidata map` (the store mode is sol_run_map_write in solidata/run.h).
 * Thread safety: reentrant; no global state. */
#ifndef SOL_RUN_MAP_H
#define SOL_RUN_MAP_H

#include <solidata/status.h>

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What to draw and from what. Strings are borrowed for the duration of the call; set the
 *  defaults with sol_run_map_file_job_init. Either `data` with `var` (a value per area; with
 *  `period_field`, only the rows whose column equals `period`) or `lisa` (the 'cluster' column:
 *  HH, LL, LH, HL or NS). Each area appears at most once; areas without a row have no data. */
typedef struct sol_map_file_job {
    const char *geo, *id_field, *name_field; /* the areas (GeoJSON, Shapefile, GeoPackage...) */
    const char *data, *var, *data_id_field;  /* data_id_field NULL: id_field */
    const char *period_field, *period;
    const char *lisa, *lisa_id_field;            /* default "id" */
    const char *classes;                         /* quantile (default), equal, jenks or sd */
    unsigned k;                                  /* classes (default SOL_CLASSES_DEFAULT) */
    const char *palette;                         /* NULL: YlOrRd (sd: RdBu-r) */
    const char *title, *subtitle, *legend_title; /* NULL: the variable, the method */
    const char *source, *licence;                /* the footer ("not stated" when NULL), above
                                                    the credit line: title and date made */
    int decimals;                                /* -1 (default): from the breaks */
    const char *thousands;                       /* thousands separator, NULL: none */
    bool decimal_comma;
    unsigned width, height; /* 0: 1000 x 800 */
    double scale;           /* PNG pixels per px (default 1) */
    const char *out;        /* .svg, .png or .pdf */
    const char *lang;       /* the map's words and numbers: "en", "fr", "it" (any code
                               sol_lang_parse reads); NULL: the thread's (sol_lang_current).
                               Numbers as the language writes them unless `thousands` or
                               `decimal_comma` say otherwise */
} sol_map_file_job;

/** What was drawn. `method` is a static string ("quantile", ...; NULL for LISA maps). */
typedef struct sol_run_map_file_report {
    size_t areas, classes, no_data, no_row;
    const char *method;
} sol_run_map_file_report;

/** Defaults as documented above. Thread-safe. */
SOL_API void sol_run_map_file_job_init(sol_map_file_job *j);

/** Read the areas and the rows, compute the classes and write the map to `j->out`.
 *  @param rep  filled on success (may be NULL)
 *  @return SOL_OK; SOL_EINVAL (classification, palette, output name, a value that is not a
 *          number or a cluster), SOL_ENOTFOUND (a column, an area, no row), SOL_EDUPLICATE (an
 *          area twice), SOL_EIO, SOL_EGEO, SOL_ENOMEM; `err` says which file, line and column.
 *          Thread-safe (no global state). */
SOL_API sol_status sol_run_map_file(const sol_map_file_job *j, sol_run_map_file_report *rep,
                                    sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
