/* solidata/run_catalog.h - what the store holds, written out: the lists of sources, areas and
 * indicators (CSV or JSON), and the export of the areas (GeoJSON) or the observations (long CSV)
 * with disclosure control applied. The CLI and the server share these functions.
 * Thread safety: as the store handle (one per thread). */
#ifndef SOL_RUN_CATALOG_H
#define SOL_RUN_CATALOG_H

#include <solidata/status.h>
#include <solidata/store.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Where the text goes: `len` bytes of `data` (not NUL-terminated), in order. Return 0, or
 *  non-zero to stop (the call then fails with SOL_EIO). */
typedef int (*sol_run_write_fn)(void *ud, const char *data, size_t len);

typedef enum sol_catalog_list {
    SOL_CATALOG_SOURCES = 0, /* id,name,version,status,connector,location,licence,... */
    SOL_CATALOG_AREAS,       /* code,name,level,parent,centroid_lon,centroid_lat,crs_original */
    SOL_CATALOG_INDICATORS   /* code,label,unit,polarity,dimension,observations,... */
} sol_catalog_list;

/** Write one list of the store through `w`: CSV (a header row, then one row each, numbers as
 *  %.17g) or, with `json`, one JSON array (indented by 2) and a newline.
 *  @param st  an open store (one handle per thread)
 *  @param what  the list
 *  @param json  true for JSON, false for CSV
 *  @param w, ud  the writer and its data
 *  @return SOL_OK; SOL_ESTORE (the store), SOL_ENOMEM, SOL_EIO (the writer refused), with detail
 *          in `err` (may be NULL). Thread-safety: as the store handle. */
SOL_API sol_status sol_run_catalog(sol_store *st, sol_catalog_list what, bool json,
                                   sol_run_write_fn w, void *ud, sol_error *err);

/** How a CSV of numbers is written. The plain form is the machine's, the same in every locale;
 *  the Excel forms are what French and Italian spreadsheet software opens in columns with the
 *  numbers as numbers. */
typedef enum sol_csv_dialect {
    SOL_CSV_PLAIN = 0, /* ',' between fields, '.' as the decimal mark, LF, no BOM */
    SOL_CSV_EXCEL_FR,  /* ';' between fields, ',' as the decimal mark, CRLF, a UTF-8 BOM first */
    SOL_CSV_EXCEL_IT   /* the same rules, for Italian spreadsheets */
} sol_csv_dialect;

/** What to export. Strings are borrowed for the duration of the call. */
typedef struct sol_export_job {
    bool areas;            /* true: the areas as a GeoJSON FeatureCollection in EPSG:4326 with
                              code, name, level and parent; false: the observations as long CSV
                              area,period,indicator,value,se,flags */
    const char *level;     /* areas: only this level (NULL: all) */
    const char *indicator; /* data: only this indicator (NULL: all) */
    const char *period;    /* data: only this period (NULL: all) */
    bool unsuppressed;     /* data: write the values withheld by disclosure control too; the
                              export is recorded in the audit log first */
    const char *out;       /* where the caller writes it, for the audit entry (NULL: "-") */
    /* data: how the CSV is written (SOL_CSV_PLAIN: the machine form); text fields are quoted
     * when they hold the separator, a quote or a line break, and a formula is neutralised, in
     * every dialect */
    sol_csv_dialect dialect;
} sol_export_job;

/** How many rows were written (areas or observations) and how many values withheld (written
 *  as empty cells with the flag 'suppressed'). */
typedef struct sol_run_export_report {
    int64_t rows;
    int64_t withheld;
} sol_run_export_report;

/** Export through `w`. A withheld value never leaves as a number unless `unsuppressed`, which
 *  is audited (action "export.unsuppressed", who: $SOLIDATA_USER, else $USER) before anything
 *  is written.
 *  @param rep  filled on success (may be NULL)
 *  @return SOL_OK; SOL_EINVAL (`unsuppressed` with `areas`), SOL_ESTORE, SOL_ENOMEM, SOL_EIO
 *          (the writer refused), with detail in `err` (may be NULL). Thread-safety: as the store
 *          handle. */
SOL_API sol_status sol_run_export(sol_store *st, const sol_export_job *j, sol_run_write_fn w,
                                  void *ud, sol_run_export_report *rep, sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
