/* solidata/run_locate.h - where to place a service, from the store or from files: the demand per
 * area (an indicator, or the product of a count and a share, or a CSV file) at each area's
 * centroid, the candidate sites (GeoJSON, GeoPackage or CSV points, with capacity and cost where
 * known, existing sites that must stay), great-circle distances or a travel matrix; the model
 * solved (locate.h), the result as JSON with one sentence per site in the user's language, and
 * the run recorded with its method card. The CLI and the server both call this.
 * Thread safety: reentrant; one store handle per thread. */
#ifndef SOL_RUN_LOCATE_H
#define SOL_RUN_LOCATE_H

#include <solidata/i18n.h>
#include <solidata/locate.h>
#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Candidate sites read from a file. Owned; free with sol_locate_sites_free. */
typedef struct sol_locate_sites {
    size_t n;
    char **id, **name; /* name[i] may be NULL */
    double *lon, *lat;
    double *cap, *cost; /* NAN when the file has no such value */
    int has_cap, has_cost;
} sol_locate_sites;

/** Points from a vector file GDAL reads (GeoJSON, GeoPackage, Shapefile), reprojected to
 *  EPSG:4326: `id_field` (NULL: "id", else the feature id), `name_field` (NULL: "name" when
 *  present), optional numeric fields "capacity" and "cost". A feature without a point geometry
 *  is an error naming it (SOL_EGEO); SOL_EIO, SOL_ELIMIT, SOL_ENOMEM. */
SOL_API sol_status sol_locate_sites_read_vector(const char *path, const char *id_field,
                                                const char *name_field, sol_locate_sites **out,
                                                sol_error *err);
SOL_API void sol_locate_sites_free(sol_locate_sites *s);

/** What to solve. Strings are borrowed for the duration of the call. */
typedef struct sol_locate_job {
    sol_locate_model model;
    /* demand: from the store ... */
    const char *indicator;  /* people in need per area (a count) */
    const char *times;      /* NULL, or an indicator the demand is multiplied by (a share) */
    const char *times_unit; /* NULL: from the indicator's unit ("%": /100); "percent", "share",
                               "per1000" */
    const char *period;     /* NULL: the latest period of `indicator` */
    const char *level;      /* NULL: every area with a value; else only this level */
    /* ... or from a file */
    const char *demand; /* CSV: area (or id), weight, lon, lat[, name] */
    /* sites */
    const char *sites;     /* required: .csv (id, lon, lat[, name, capacity, cost]) or a vector
                              file */
    const char *site_id;   /* field of the site id; NULL: "id" */
    const char *site_name; /* field of the site name; NULL: "name" when present */
    const char *keep;      /* "ID,ID": existing sites that must stay, or NULL */
    /* distance */
    const char *matrix;        /* CSV from,to,value (area code, site id), or NULL: great circle */
    const char *distance_unit; /* words after a distance: NULL = "km" (great circle), else as
                                  given ("min"); for the matrix, NULL = none */
    double max_distance;       /* NAN: not given (required by lscp, mclp, budget) */
    size_t p;                  /* sites to open (mclp, pmedian, cpmedian) */
    const char *budget;        /* budget (a number as written), or NULL */
    double time_limit;         /* seconds; default 60 */
    double mip_gap;            /* relative gap to stop at; default 0 */
    const char *need_label;    /* words for the people counted in the sentences ("persons aged
                                  75 and over"); NULL: the indicator's label, else "people" */
    const char *lang;          /* "en", "fr", "it", or NULL: the current language */
    int record;                /* record the run */
} sol_locate_job;

/** Defaults: NULLs, max_distance NAN, time_limit 60, p 0. Thread-safe. */
SOL_API void sol_run_locate_job_init(sol_locate_job *j);

/** The outcome. Everything is owned; free with sol_locate_output_free. */
typedef struct sol_locate_output {
    sol_locate_result *result;
    size_t n;            /* demand areas */
    char **code, **name; /* name[i] may be NULL */
    double *lon, *lat, *weight;
    sol_locate_sites *sites;
    unsigned char *keep; /* sites->n flags */
    char **sentence;     /* sites->n: a sentence for each chosen site, else NULL */
    char *status_text;   /* "optimal", "time limit, gap 1.2%", "heuristic (greedy), gap
                            ..." */
    char *json;          /* the whole result, indented by one space; "run_id" last when recorded */
    int64_t run_id;      /* > 0 when a run was recorded */
} sol_locate_output;

/** Run `job`, recording the run (kind "locate") in `st` when job->record. `st` is needed for
 *  --indicator and recording; may be NULL otherwise. Errors: SOL_EINVAL with err->where naming
 *  the option ("--p", "--max-distance", "--keep", ...) for a value the caller should change;
 *  SOL_EINVAL from the model (p larger than the sites, infeasible covering with the areas
 *  named, capacity below the demand); SOL_EPARSE/SOL_ETYPE/SOL_ENOTFOUND naming file:line for
 *  the files (a site without coordinates, a matrix that misses a pair or has a negative value);
 *  SOL_EGEO, SOL_EIO, SOL_ESTORE, SOL_ENUMERIC, SOL_ELIMIT, SOL_ENOMEM. *out set only on
 *  success. */
SOL_API sol_status sol_run_locate(sol_store *st, const sol_locate_job *job, sol_locate_output **out,
                                  sol_error *err);

/** Free an output. NULL is a no-op. */
SOL_API void sol_locate_output_free(sol_locate_output *o);

/** The latest recorded locate run whose demand came from the store's indicators, as the public
 *  may see it, as compact JSON: run, created, lang, model, method, status, optimal, gap, need
 *  (the words for the people counted, in `lang`), indicator, times, period, level, keep,
 *  distance, candidates, chosen, p, demand, sites (id, name, lon, lat, kept, demand_served,
 *  areas_served, areas, sentence rebuilt in `lang`), uncovered, areas, curve,
 *  distance_sensitivity, mean_distance; {"run": null, "note": ...} when there is none. Runs whose
 *  demand came from a file are never shown. Withheld values never enter a run's demand (the run
 *  layer drops them), so none is in the reply. SOL_ESTORE, SOL_ENOMEM. */
SOL_API sol_status sol_run_locate_latest(sol_store *st, sol_lang lang, char **json, sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
