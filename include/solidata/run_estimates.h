/* solidata/run_estimates.h - estimates computed by an analysis (survey direct estimates, small
 * area estimates) written back into the store as observations with standard errors and flags,
 * in one transaction, recorded in the catalog as a derived source and as a run.
 * Thread safety: one store handle per thread. */
#ifndef SOL_RUN_ESTIMATES_H
#define SOL_RUN_ESTIMATES_H

#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** One estimate for one area. Strings borrowed for the call. */
typedef struct sol_estimate {
    const char *area; /* area code; must exist in the store */
    double value;
    double se; /* NaN when none */
    int low_reliability;
} sol_estimate;

/** What is stored and how it is described. Strings borrowed for the call; JSON parts must be
 *  valid JSON objects (spec, method with "name" and "reference", choices; result may be NULL). */
typedef struct sol_estimates_store {
    const char *indicator, *label, *unit; /* label/unit may be NULL */
    int polarity;                         /* +1 higher is better, -1 worse, 0 not stated */
    const char *period;                   /* as people write it: "2021" */
    const char *source_name;              /* the input file, for the catalog */
    const char *source_location;
    const char *source_sha256; /* 64 hex chars of the input, or NULL */
    int64_t source_bytes, rows_read;
    const char *kind; /* run kind: "poverty.direct", "sae.fh", ... */
    const char *spec_json, *method_json, *choices_json, *result_json;
} sol_estimates_store;

/** Write n estimates as observations of `s->indicator` at `s->period`, flagged estimated (and
 *  low-reliability where said), from a new source "derived: KIND INDICATOR" (connector
 *  "derived:KIND"; a previous version of it is superseded, its observations replaced), and
 *  record the run. One transaction: on any error the store is left as it was.
 *  Errors: SOL_EUNKNOWNAREA (err names the code), SOL_EPARSE (period), SOL_EDUPLICATE (the
 *  indicator already has a value there from another source), SOL_ESTORE, SOL_ENOMEM.
 *  *run_id (may be NULL) gets the run id. */
SOL_API sol_status sol_run_store_estimates(sol_store *st, const sol_estimates_store *s,
                                           const sol_estimate *e, size_t n, int64_t *run_id,
                                           sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
