/* solidata/run_decide.h - what to fund first, from files: read the options (CSV or JSON), the
 * areas' need and the per-area minimums, rank the options with the weights people set, allocate
 * the budget, build the result JSON with the reasons and record the run with its method card on
 * ask. The system ranks and explains; people decide. The CLI and the server both call this.
 * Thread safety: reentrant; one store handle per thread. */
#ifndef SOL_RUN_DECIDE_H
#define SOL_RUN_DECIDE_H

#include <solidata/decide.h>
#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What to rank and allocate. Strings are borrowed for the duration of the call. */
typedef struct sol_prioritise_job {
    const char *options;  /* required: a .json file (see sol_options_parse_json), else a CSV
                             table (see sol_options_from_table) */
    const char *budget;   /* a number >= 0 as written, or NULL: the JSON's own budget, if any,
                             else rank only */
    const char *weights;  /* "family=0.5,cost=0.2" (see sol_prioritise_weights_parse), or NULL:
                             equal weights */
    const char *need;     /* CSV area,need (e.g. an index score; areas not listed: 1), or NULL */
    const char *area_min; /* "AREA=N,...": at least N chosen options reach AREA, or NULL */
    int record;           /* record the run */
} sol_prioritise_job;

/** Defaults for `j`: everything NULL or 0. Thread-safe. */
SOL_API void sol_run_prioritise_job_init(sol_prioritise_job *j);

/** The outcome. Everything is owned by the struct; free with sol_prioritise_output_free. */
typedef struct sol_prioritise_output {
    sol_options *options;          /* the options read, with their need and minimums */
    sol_prioritise_result *result; /* rankings, allocation, reasons */
    char *json;     /* criteria, options and allocation as one JSON object, indented by one
                       space, reals with 17 digits; "run_id" last when a run was recorded */
    int64_t run_id; /* > 0 when a run was recorded */
} sol_prioritise_output;

/** Run `job`, recording the run (kind "prioritise") in `st` when job->record (`st` may be NULL
 *  otherwise). Errors: SOL_EINVAL with err->where naming the option as the command spells it
 *  ("--budget", "--area-min") and err->msg the rest of the sentence, for a value the caller
 *  should change; SOL_EINVAL (bad weights, an infeasible budget: the message gives the smallest
 *  feasible one; a need file without two columns; a recording without a store), SOL_EIO,
 *  SOL_EPARSE, SOL_ETYPE and SOL_ENOTFOUND naming file:line:column, SOL_ENUMERIC, SOL_ELIMIT,
 *  SOL_ESTORE, SOL_ENOMEM. *out set only on success. Thread-safe for distinct stores. */
SOL_API sol_status sol_run_prioritise(sol_store *st, const sol_prioritise_job *job,
                                      sol_prioritise_output **out, sol_error *err);

/** Free an output. NULL is a no-op. */
SOL_API void sol_prioritise_output_free(sol_prioritise_output *o);

#ifdef __cplusplus
}
#endif
#endif
