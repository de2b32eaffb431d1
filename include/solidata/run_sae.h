/* solidata/run_sae.h - one Fay-Herriot small area estimation from a CSV of direct estimates and
 * covariates: read and check the areas, fit, back-transform, benchmark, build the result JSON
 * and, when asked, store the estimates as observations with their run and method card. The CLI
 * (`solidata sae fh`) and the server both call this.
 * Thread safety: reentrant; one store handle per thread. */
#ifndef SOL_RUN_SAE_H
#define SOL_RUN_SAE_H

#include <solidata/sae.h>
#include <solidata/stats.h>
#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What to estimate and from what. Strings are borrowed for the duration of the call.
 *  The area file `data` has one row per area: its id (`id_field`, unique), the direct estimate
 *  (`direct`, empty for an area without one: it gets the synthetic estimate), its sampling
 *  variance (`var`) or standard error (`se`), one of them (neither under the arcsin
 *  transformation, which uses the effective sample sizes in `eff_n` instead), and the
 *  covariates (`covariates`, comma-separated; those also in `factors` are categorical). */
typedef struct sol_sae_job {
    const char *data, *id_field, *direct;
    const char *var, *se, *eff_n;
    const char *covariates, *factors;
    sol_fh_method method;       /* REML (default) or ML */
    double tol;                 /* relative change of sigma2_u to stop (default 1e-10) */
    unsigned max_iter;          /* default 100 */
    sol_fh_transform transform; /* default none */
    int backtransform;          /* a sol_fh_backtransform, or -1 (default): bc */
    unsigned mse_boot;          /* arcsin: bootstrap replicates of the MSE, 0 (default): none */
    uint64_t seed;              /* of the bootstrap (default 1) */
    /* benchmarking (emdi's benchmark()): one `benchmark` total (NaN, the default: none), or one
     * total per value of data column `benchmark_by` read from `benchmark_file` (columns
     * `benchmark_by` and total); `benchmark_weights` is the data column of population shares */
    double benchmark;
    const char *benchmark_file, *benchmark_by, *benchmark_weights;
    sol_fh_bench_type benchmark_type; /* default raking */
    /* store the estimates as indicator `store_as` at `period` (both or neither); `label`, `unit`
     * and `polarity` (+1 higher is better, -1 lower is better, 0 not stated) describe it */
    const char *store_as, *period, *label, *unit;
    int polarity;
} sol_sae_job;

/** Defaults for `j`: everything empty, REML, tol 1e-10, 100 iterations, no transformation, bc,
 *  no bootstrap, seed 1, no benchmark (NaN), raking, polarity 0. Thread-safe. */
SOL_API void sol_run_sae_job_init(sol_sae_job *j);

/** Check `j` without reading anything (sol_run_sae calls it first): the inputs that must be
 *  given together or not at all. Returns SOL_OK or SOL_EINVAL with the rule broken in err,
 *  worded with the command's option names ("--seed goes with --mse-boot"). Thread-safe. */
SOL_API sol_status sol_run_sae_check(const sol_sae_job *j, sol_error *err);

/** The outcome. Everything is owned by the struct; free with sol_sae_output_free. */
typedef struct sol_sae_output {
    sol_fh_result *fit;     /* the model; under a transformation on the transformed scale */
    size_t m;               /* areas, in the order of the file */
    const char **ids;       /* m area ids */
    const double *direct;   /* m direct estimates (NaN: none) */
    double *var_direct;     /* m sampling variances as read (the square of --se); NaN where
                               not given */
    const double *estimate; /* m: the EBLUPs (back-transformed under a transformation) */
    const double *mse;      /* m: their MSE (NaN where none is computed) */
    double *benchmarked;    /* m benchmarked estimates, or NULL without benchmarking */
    char *result_json;      /* compact JSON of the fit with one object per area in "areas" */
    char **notes;           /* n_notes remarks for the user (an MSE not computed, ...) */
    size_t n_notes;
    double fit_wall_ms, fit_cpu_ms; /* time of the fit with its MSE */
    int64_t run_id;                 /* > 0 when the estimates were stored (one run) */
    sol_microdata *md;              /* the rows read; ids and direct point into it */
} sol_sae_output;

/** Run `job`: read the area file, check it, fit the Fay-Herriot model, back-transform and
 *  benchmark as asked; with job->store_as, store the estimates (SE = sqrt(MSE), flagged
 *  estimated) into `st` from a derived source, recording the run with its method card, in one
 *  transaction (sol_run_store_estimates). `st` may be NULL without store_as.
 *  Errors (err names the file, line, column and area where it can): SOL_EINVAL (a bad job, see
 *  sol_run_sae_check; a bad value in the file), SOL_EDUPLICATE (an area id twice), SOL_ENOTFOUND
 *  (a column or a benchmark total missing), SOL_ENUMERIC (the fit failed or did not converge),
 *  those of sol_microdata_read, sol_sae_fh_fit and sol_run_store_estimates, SOL_ENOMEM.
 *  *out set only on success. Thread-safe for distinct stores. */
SOL_API sol_status sol_run_sae(sol_store *st, const sol_sae_job *job, sol_sae_output **out,
                               sol_error *err);

/** Free an output. NULL is a no-op. */
SOL_API void sol_sae_output_free(sol_sae_output *o);

#ifdef __cplusplus
}
#endif
#endif
