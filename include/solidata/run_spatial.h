/* solidata/run_spatial.h - one spatial analysis (weights, global Moran, LISA, Getis-Ord Gi*) from
 * the store or from files: resolve and check the inputs, compute, build the result JSON and,
 * from the store, record the run with its method card. The CLI and the server both call this.
 * Thread safety: reentrant; one store handle per thread; permutations run in OpenMP loops with one
 * random stream per area. */
#ifndef SOL_RUN_SPATIAL_H
#define SOL_RUN_SPATIAL_H

#include <solidata/spatial.h>
#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sol_spatial_analysis {
    SOL_SPATIAL_WEIGHTS = 0, /* weights only */
    SOL_SPATIAL_MORAN,       /* run kind "spatial.moran" */
    SOL_SPATIAL_LISA,        /* run kind "spatial.lisa" */
    SOL_SPATIAL_GISTAR       /* run kind "spatial.gistar" (Gi* with self, Gi without) */
} sol_spatial_analysis;

/** What to compute and from what. Strings are borrowed for the duration of the call.
 *  Store mode (sol_run_spatial with a store): `indicator` at `period` (NULL: its latest period);
 *  the areas are those with a value, with their stored geometry. File mode (no store): `geo` +
 *  `id_field` (or `weights_file`), and for the statistics `data` + `var` (ids in
 *  `data_id_field`, default `id_field`), optionally only the rows whose `period_field` equals
 *  `period`. */
typedef struct sol_spatial_job {
    sol_spatial_analysis analysis;
    const char *indicator, *period;         /* store mode */
    const char *geo, *id_field, *crs;       /* file mode geometry; crs: see sol_geo_opts */
    const char *data, *data_id_field, *var; /* file mode values */
    const char *period_field;               /* file mode: filter rows on period */
    const char *weights_file;               /* edge list instead of geometry */
    const char *weights_text;               /* the weights as the user wrote them ("queen") */
    sol_weights_spec weights;
    int drop_missing; /* 1: areas without a usable value (missing, not a number, no row, no
                         geometry for a data row) are left out, each named in `notes`; 0: error */
    unsigned nsim;    /* permutations */
    uint64_t seed;
    sol_alternative alternative;
    int conditional;    /* LISA: conditional moments (default) or total randomisation */
    double alpha;       /* cluster significance */
    sol_padjust adjust; /* p adjustment for clusters */
    int self;           /* GISTAR: 1 Gi* (default), 0 Gi */
    int inference_perm; /* clusters from the permutation p (1) or the analytic one (0, default) */
    int record;         /* store mode: record a run (default 1) */
    int public_only;    /* store mode: compute from the values the public may see only (withheld
                           values left out, areas without neighbours kept); the run layer sets it
                           for the public variant of a recorded run */
    int no_json;        /* 1: the caller reads the arrays only, so result_json stays NULL (it is
                           still made for a run the store records); 0: made (default) */
} sol_spatial_job;

/** Defaults for `a`: queen, style W, default snap, islands error, seed 1, alpha 0.05, no
 *  adjustment, conditional, Gi*, record, two-sided; MORAN: 0 permutations; LISA and GISTAR:
 *  999 permutations, clusters from the analytic p. */
SOL_API void sol_run_spatial_job_init(sol_spatial_job *j, sol_spatial_analysis a);

/** The outcome. Everything is owned by the struct; free with sol_spatial_output_free. */
typedef struct sol_spatial_output {
    sol_spatial_analysis analysis;
    sol_weights *w;   /* over the analysed areas; w->ids gives their order */
    double *x;        /* w->n values in that order; NULL for WEIGHTS */
    size_t n_islands; /* areas without neighbours (kept only with SOL_ISLANDS_KEEP) */
    size_t n_dropped; /* areas left out by drop_missing */
    char **notes;     /* n_notes warnings for the user (what was dropped and why) */
    size_t n_notes;
    sol_moran_result moran;        /* MORAN */
    sol_local_result *local;       /* LISA (conditional moments), GISTAR */
    sol_local_result *local_total; /* LISA: the moments under total randomisation (analytic) */
    char *result_json;             /* compact JSON of the result (NULL for WEIGHTS): for MORAN an
                                      object of the statistics; for LISA/GISTAR an object with the
                                      options, cluster counts and "areas", one object per area */
    char period[16];               /* the period analysed ("" when not known) */
    int64_t run_id;                /* > 0 when a run was recorded */
} sol_spatial_output;

/** Run `job`. With `st` and job->indicator: store mode, and the run is recorded (kind
 *  "spatial.moran|lisa|gistar") unless job->record is 0 or the analysis is WEIGHTS. When some of
 *  the indicator's values are withheld from the public, a recorded LISA or Gi* run also holds,
 *  under "public" in its result, the same analysis over the public values only (or the reason it
 *  could not be computed): the public sees nothing computed from a withheld value. Without:
 *  file mode. Errors name the file/line or the areas: SOL_EINVAL (bad job, all values equal),
 *  SOL_EUNKNOWNAREA (ids in the data and not in the geometry, or the reverse), SOL_EDUPLICATE,
 *  SOL_ETYPE (a missing or non-numeric value), SOL_EGEO (invalid polygons, islands, CRS),
 *  SOL_ENOTFOUND, SOL_EIO, SOL_EPARSE, SOL_ESTORE, SOL_ENOMEM. *out set only on success.
 *  Thread-safe for distinct stores. */
SOL_API sol_status sol_run_spatial(sol_store *st, const sol_spatial_job *job,
                                   sol_spatial_output **out, sol_error *err);

/** Free an output. NULL is a no-op. */
SOL_API void sol_spatial_output_free(sol_spatial_output *o);

#ifdef __cplusplus
}
#endif
#endif
