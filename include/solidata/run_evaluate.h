/* solidata/run_evaluate.h - did a measure change anything? One difference-in-differences or
 * synthetic-control analysis from files (or, for the difference-in-differences, from the panel of
 * an indicator in the store): check the job, read the inputs, estimate, build the result JSON and
 * record the run with its method card. The CLI and the server both call this.
 * Thread safety: reentrant; one store handle per thread. */
#ifndef SOL_RUN_EVALUATE_H
#define SOL_RUN_EVALUATE_H

#include <solidata/evaluate.h>
#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sol_evaluate_analysis {
    SOL_EVALUATE_DID = 0, /* run kind "evaluate.did" */
    SOL_EVALUATE_SYNTH    /* run kind "evaluate.synth" */
} sol_evaluate_analysis;

/** Most treated areas a store-mode difference-in-differences takes (`treated_areas`). */
#define SOL_EVALUATE_MAX_TREATED 4095
/** Most controls of a difference-in-differences; those after it are ignored. */
#define SOL_EVALUATE_MAX_CONTROLS 256

/** What to estimate and from what. Strings are borrowed for the duration of the call.
 *  DID from a file: `data` with the 0/1 columns `treated` and `post` and the `outcome`;
 *  `unit_field` (clusters; with `time_field`, two-way fixed effects and an event study).
 *  DID from the store: the panel of `indicator` (every area x period), the `treated_areas`
 *  treated and the periods from `treatment_start` on post; two-way fixed effects; `controls`
 *  are then other indicators of the same area and period.
 *  SYNTH: `data`, `unit_field`, `time_field`, `outcome`, the `treated` unit's name, the first
 *  treated period `synth_start`, the predictors in the JSON file `spec`, and optionally the
 *  predictor weights in `v_weights` (one number per line) and the placebos. */
typedef struct sol_evaluate_job {
    sol_evaluate_analysis analysis;
    const char *data;            /* CSV file (file mode) */
    const char *outcome;         /* column of the outcome */
    const char *treated;         /* DID: the 0/1 column; SYNTH: the treated unit */
    const char *post;            /* DID: the 0/1 column */
    const char *unit_field;      /* DID: optional; SYNTH: required */
    const char *time_field;      /* DID: optional, needs unit_field; SYNTH: required */
    const char *controls;        /* DID: "A,B" (blanks after a comma skipped), or NULL */
    int se;                      /* DID: a sol_se_kind, or -1: classical from a file, clustered by
                                    area from the store */
    const char *indicator;       /* DID store mode */
    const char *treated_areas;   /* DID store mode: "A,B,..." area codes */
    const char *treatment_start; /* DID store mode: the first treated period ("2020") */
    double synth_start;          /* SYNTH: the first treated period (periods before it are
                                    pre-treatment) */
    const char *spec;            /* SYNTH: the spec file (see sol_synth_spec_parse_json) */
    const char *v_weights;       /* SYNTH: the predictor weights' file, or NULL: chosen */
    int placebos;                /* SYNTH: re-run with each donor as the treated unit */
    int record;                  /* record the run (always from the store) */
} sol_evaluate_job;

/** Defaults for `a`: everything NULL or 0, se -1. Thread-safe. */
SOL_API void sol_run_evaluate_job_init(sol_evaluate_job *j, sol_evaluate_analysis a);

/** The outcome. Everything is owned by the struct; free with sol_evaluate_output_free. */
typedef struct sol_evaluate_output {
    sol_evaluate_analysis analysis;
    sol_did_result *did;     /* DID */
    sol_synth_result *synth; /* SYNTH */
    char *json;              /* the result as one JSON object, indented by one space, reals
                                with 17 digits; "run_id" last when a run was recorded */
    int64_t run_id;          /* > 0 when a run was recorded */
} sol_evaluate_output;

/** Check `job` without reading anything: the inputs that go together, the lists' lengths.
 *  SOL_EINVAL with err->where naming the option as the command spells it ("--indicator") and
 *  err->msg the rest of the sentence, so that a caller can report a usage error. Thread-safe. */
SOL_API sol_status sol_run_evaluate_check(const sol_evaluate_job *job, sol_error *err);

/** Run `job`: check it (as sol_run_evaluate_check), read, estimate and, from the store or with
 *  job->record, record the run (kind "evaluate.did" or "evaluate.synth") in `st`, which may be
 *  NULL otherwise. Errors: those of the check; SOL_EINVAL with err->where "--treatment-start"
 *  when it is not a period of the indicator's frequency; SOL_EINVAL (a recording without a
 *  store, a start outside the data, a treated area without values, no control area, bad
 *  predictor weights, and the methods' own: collinear regressors, no pre-treatment period, ...);
 *  SOL_ENOTFOUND (no such indicator, column or unit), SOL_EIO, SOL_EPARSE and SOL_ETYPE naming
 *  file:line:column, SOL_ELIMIT, SOL_ENUMERIC, SOL_ESTORE, SOL_ENOMEM. *out set only on success.
 *  Thread-safe for distinct stores. */
SOL_API sol_status sol_run_evaluate(sol_store *st, const sol_evaluate_job *job,
                                    sol_evaluate_output **out, sol_error *err);

/** Free an output. NULL is a no-op. */
SOL_API void sol_evaluate_output_free(sol_evaluate_output *o);

#ifdef __cplusplus
}
#endif
#endif
