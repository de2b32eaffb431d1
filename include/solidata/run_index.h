/* solidata/run_index.h - a composite index from the store: the indicators of a spec read for the
 * periods asked, polarity and dimension completed from the store, the index computed and recorded
 * as a run with its method card. The CLI and the server share these functions. */
#ifndef SOL_RUN_INDEX_H
#define SOL_RUN_INDEX_H

#include <solidata/index.h>
#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The frame of an index read from the store. Everything is owned by the struct and valid until
 *  sol_run_index_input_free(); `frame` points into it. */
typedef struct sol_run_index_input {
    sol_index_frame frame; /* rows: periods (oldest first) x areas (by code) that have a value
                              of at least one indicator at that period; NaN = missing. Columns
                              are the spec's indicators, in spec order. */
    size_t n_periods;
    char **periods;            /* the periods read, oldest first */
    size_t n_areas;            /* distinct areas over all rows */
    char **names;              /* per frame row: the area's name (entries may be NULL) */
    char **label;              /* per indicator: its label in the store (may be NULL) */
    char **unit;               /* per indicator: its unit (may be NULL) */
    int *polarity_from_store;  /* per indicator: 1 when the spec gave none and the store did */
    int *dimension_from_store; /* per indicator: 1 when the dimension is the store's */
    char *sources_json;        /* JSON array of the sources of the values (licence, attribution) */
    char inputs_sha256[65];    /* SHA-256 over "indicator\tarea\tperiod\tvalue(%.17g)\n" lines,
                                  rows in frame order, indicators in spec order */
    /* storage behind `frame` */
    char **area;
    const char **row_period;
    const char **codes;
    double *x;
} sol_run_index_input;

/** Read the spec's indicators from the store, for the spec's periods (none: the latest period
 *  every indicator has, then added to the spec). The spec is completed in place: an indicator
 *  without polarity takes the store's, one without dimension (its dimension is its own code)
 *  takes the store's dimension when there is one. Errors, all before any computation:
 *  SOL_ENOTFOUND (an unknown indicator or period, an indicator without a value at a period asked,
 *  with a message naming it), SOL_EINVAL (no polarity in the spec nor in the store, an indicator
 *  listed twice), SOL_EPARSE (a period not written as one), SOL_ESTORE, SOL_ENOMEM.
 *  *out set only on success. */
SOL_API sol_status sol_run_index_load(sol_store *st, sol_index_spec *s, sol_run_index_input **out,
                                      sol_error *err);
/** Free an input. NULL is a no-op. */
SOL_API void sol_run_index_input_free(sol_run_index_input *in);

/** What one index run from the store gives back; owned, free with sol_run_index_output_free. */
typedef struct sol_run_index_output {
    sol_run_index_input *input;
    sol_index_result *result; /* its area/period strings point into `input` */
    char *result_json;        /* as sol_index_result_json, with area names; also stored */
    int64_t run_id;           /* the run recorded */
} sol_run_index_output;

/** Load (as sol_run_index_load), compute (sol_index_run: every bad spec is refused before any
 *  work) and record the run, kind "index": the spec as JSON, the method (name and references:
 *  Mazziotta & Pareto 2016; OECD/JRC Handbook 2008), the human choices (weights with who set them
 *  and when, normalisation, aggregation, missing values, outliers, reference, polarities and
 *  their origin, seed and replications), the inputs with their sources, and the result. Nothing
 *  is recorded when any step fails. *out set only on success. One store handle per thread. */
SOL_API sol_status sol_run_index(sol_store *st, sol_index_spec *s, sol_run_index_output **out,
                                 sol_error *err);
/** Free an output. NULL is a no-op. */
SOL_API void sol_run_index_output_free(sol_run_index_output *o);

#ifdef __cplusplus
}
#endif
#endif
