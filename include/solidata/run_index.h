/* solidata/run_index.h - a composite index from the store or from a file: the spec built (from
 * flags or a JSON file), the indicators read for the periods asked (from the store: polarity and
 * dimension completed from it), the index computed and, from the store, recorded as a run with
 * its method card. The CLI and the server share these functions.
 * Thread safety: reentrant; one store handle per thread; Monte Carlo replications give the same
 * results on any thread count. */
#ifndef SOL_RUN_INDEX_H
#define SOL_RUN_INDEX_H

#include <solidata/index.h>
#include <solidata/status.h>
#include <solidata/store.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The frame of an index read from the store. Everything is owned by the struct and valid until
 *  sol_index_input_free(); `frame` points into it. */
typedef struct sol_index_input {
    sol_index_frame frame; /* rows: periods (oldest first) x areas (by code) that have a value
                              of at least one indicator at that period; NaN = missing. Columns
                              are the spec's indicators, in spec order. */
    size_t n_periods;
    char **periods;            /* the periods read, oldest first (file mode: the period of each
                                  row as written, n_periods = rows; none without a period
                                  field) */
    size_t n_areas;            /* distinct areas over all rows */
    char **names;              /* per frame row: the area's name (entries may be NULL) */
    char **label;              /* per indicator: its label in the store (may be NULL) */
    char **unit;               /* per indicator: its unit (may be NULL) */
    int *polarity_from_store;  /* per indicator: 1 when the spec gave none and the store did */
    int *dimension_from_store; /* per indicator: 1 when the dimension is the store's */
    char *sources_json;        /* JSON array of the sources of the values (licence, attribution) */
    char inputs_sha256[65];    /* SHA-256 over "indicator\tarea\tperiod\tvalue(%.17g)\n" lines,
                                  rows in frame order, indicators in spec order */
    /* (file mode: names, label, unit, *_from_store and sources_json are NULL, no digest) */
    /* storage behind `frame` */
    char **area;
    const char **row_period;
    const char **codes;
    double *x;
} sol_index_input;

/** Read the spec's indicators from the store, for the spec's periods (none: the latest period
 *  every indicator has, then added to the spec). The spec is completed in place: an indicator
 *  without polarity takes the store's, one without dimension (its dimension is its own code)
 *  takes the store's dimension when there is one. Errors, all before any computation:
 *  SOL_ENOTFOUND (an unknown indicator or period, an indicator without a value at a period asked,
 *  with a message naming it), SOL_EINVAL (no polarity in the spec nor in the store, an indicator
 *  listed twice), SOL_EPARSE (a period not written as one), SOL_ESTORE, SOL_ENOMEM.
 *  *out set only on success. */
SOL_API sol_status sol_run_index_load(sol_store *st, sol_index_spec *s, sol_index_input **out,
                                      sol_error *err);
/** Free an input. NULL is a no-op. */
SOL_API void sol_index_input_free(sol_index_input *in);

/** The method of an index given by flags: a normalisation and an aggregation. */
typedef enum sol_run_index_method {
    SOL_RUN_INDEX_NONE = 0,    /* from the JSON spec */
    SOL_RUN_INDEX_MPI,         /* Mazziotta-Pareto */
    SOL_RUN_INDEX_AMPI,        /* adjusted Mazziotta-Pareto */
    SOL_RUN_INDEX_MINMAX_MEAN, /* min-max on [0, 1], arithmetic mean */
    SOL_RUN_INDEX_ZSCORE_MEAN, /* z-scores, arithmetic mean */
    SOL_RUN_INDEX_GEOMETRIC,   /* min-max on [1, 100], geometric mean */
    SOL_RUN_INDEX_PCA_WEIGHTED /* z-scores, PCA weights, arithmetic mean */
} sol_run_index_method;

/** What to compute and from what. Strings are borrowed for the duration of the call; set the
 *  defaults with sol_run_index_job_init. The spec is `spec_path` (a JSON file, docs/index.md) or
 *  `indicators` with `method`; the other fields override the spec when set.
 *  Store mode (a store, no `data`): the values of the areas that have them at `periods` (NULL:
 *  the latest period every indicator has); an indicator without :+/:- takes the store's
 *  polarity, one without @DIMENSION the store's dimension; the run is recorded.
 *  File mode (`data`): a wide CSV, one row per area (and period, `period_field`); without :+/:-
 *  an indicator counts as higher-is-better, without @DIMENSION it is its own dimension; nothing
 *  is recorded. */
typedef struct sol_index_job {
    const char *spec_path;
    const char *indicators; /* "A,B:-,C@DIM": CODE[:+|:-][@DIMENSION], comma-separated */
    sol_run_index_method method;
    const char *data, *id_field, *period_field; /* file mode */
    const char *periods;   /* store mode: "P1,P2" (ranks are within a period) */
    int penalty;           /* 0: the spec's; -1 negative (higher is better); +1 positive */
    const char *reference; /* NULL: the spec's; "mean" or AREA[@PERIOD] */
    const char *missing;   /* NULL: the spec's; fail, reweight, mean, median, regression */
    bool winsorise;        /* JRC rule: |skewness| > 2 and kurtosis > 3.5 */
    bool json;             /* file mode: build result_json too (store mode always does) */
} sol_index_job;

/** Defaults: everything from the spec, CSV output. Thread-safe. */
SOL_API void sol_run_index_job_init(sol_index_job *j);

/** What one index run gives back; owned, free with sol_index_output_free. */
typedef struct sol_index_output {
    sol_index_spec *spec; /* the spec as run (completed from the store); NULL from
                             sol_run_index_spec */
    sol_index_input *input;
    sol_index_result *result; /* its area/period strings point into `input`; warnings in it */
    char *result_json;        /* as sol_index_result_json (store mode: with area names; also
                                 stored); NULL in file mode unless `json` */
    int64_t run_id;           /* the run recorded; 0 in file mode */
} sol_index_output;

/** Build the spec, load (as sol_run_index_load, or from the file), compute (sol_index_run: every
 *  bad spec is refused before any work) and, from the store, record the run, kind "index": the
 *  spec as JSON, the method (name and references: Mazziotta & Pareto 2016; OECD/JRC Handbook
 *  2008), the human choices (weights with who set them and when, normalisation, aggregation,
 *  missing values, outliers, reference, polarities and their origin, seed and replications), the
 *  inputs with their sources, and the result. Nothing is recorded when any step fails.
 *  When an area holds a value withheld from the public (sol_withhold_obs) of any of the index's
 *  indicators, in any period, the stored result (and result_json) also holds "public": the
 *  index computed again over the other areas only (case deletion: normalisation, weights,
 *  ranks and intervals over the public areas), with a "note", or {"computed": "no", "why"}
 *  when it cannot be computed; the card's "privacy" says which the public sees. The public
 *  layers serve only that variant (sol_withhold_layers).
 *  @param st  the store (store mode), or NULL with `j->data` (file mode)
 *  @return SOL_OK; SOL_EINVAL (a bad spec, flags or file), SOL_EPARSE (the spec file, located as
 *          FILE:LINE:COL), SOL_ENOTFOUND (an unknown indicator, column or period), SOL_EIO,
 *          SOL_ESTORE, SOL_ENOMEM, with detail in `err`. *out set only on success.
 *  Thread-safety: one store handle per thread; no global state. */
SOL_API sol_status sol_run_index(sol_store *st, const sol_index_job *j, sol_index_output **out,
                                 sol_error *err);
/** The same from the store with a spec built by the caller (owned by the caller, completed in
 *  place as by sol_run_index_load; `spec` of the output is NULL). */
SOL_API sol_status sol_run_index_spec(sol_store *st, sol_index_spec *s, sol_index_output **out,
                                      sol_error *err);
/** Free an output. NULL is a no-op. */
SOL_API void sol_index_output_free(sol_index_output *o);

#ifdef __cplusplus
}
#endif
#endif
