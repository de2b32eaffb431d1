/* solidata/sae.h - small area estimation: the Fay-Herriot area-level model, EBLUP with REML or ML
 * by Fisher scoring, Prasad-Rao / Datta-Lahiri MSE, synthetic estimates for areas without a
 * direct estimate. Numerics through GSL (Cholesky); no global GSL state is changed here.
 * Thread safety: reentrant; a fit belongs to one thread; bootstrap replicates use one stream each.
 */
#ifndef SOL_SAE_H
#define SOL_SAE_H

#include <solidata/status.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sol_fh_method { SOL_FH_REML = 0, SOL_FH_ML = 1 } sol_fh_method;

/** Scale of the model, as R emdi 2.2 fh(transformation =): none; log (fit log(y) with sampling
 *  variance vardir / y^2, the delta method); arcsin (y a proportion in [0, 1]: fit asin(sqrt(y))
 *  with sampling variance 1 / (4 eff_n)). */
typedef enum sol_fh_transform {
    SOL_FH_TR_NONE = 0,
    SOL_FH_TR_LOG = 1,
    SOL_FH_TR_ARCSIN = 2
} sol_fh_transform;

/** Back-transformation of the EBLUP theta (transformed scale) with gamma and sigma2_u:
 *  BC (default): log: Slud & Maiti (2006), exp(theta + sigma2_u (1 - gamma) / 2) with their MSE
 *  (emdi "bc_sm"); areas without a direct estimate (gamma = 0) get exp(x'beta + sigma2_u / 2) and
 *  no MSE (emdi returns neither). arcsin: E[sin^2 T] over T ~ N(theta, sigma2_u (1 - gamma))
 *  restricted to [0, pi/2] by adaptive quadrature (emdi "bc"); areas without a direct estimate
 *  get sin^2(x'beta); MSE only by the parametric bootstrap (opts boot_b > 0), as emdi.
 *  NAIVE: exp(theta), or sin^2 of theta truncated to [0, pi/2]; no MSE.
 *  CRUDE (log only, emdi "bc_crude"): exp(theta + mse/2) with MSE exp(theta + mse/2)^2 mse, mse
 *  the transformed-scale Prasad-Rao / Datta-Lahiri MSE; all areas. */
typedef enum sol_fh_backtransform {
    SOL_FH_BT_BC = 0,
    SOL_FH_BT_NAIVE = 1,
    SOL_FH_BT_CRUDE = 2
} sol_fh_backtransform;

/** One covariate: numeric (`x` set) or categorical (`text` set: one level per area, expanded to
 *  dummies with the first level in sorted (strcmp) order as reference, terms named as R's
 *  model.matrix does: name followed by the level). Arrays borrowed for the call. */
typedef struct sol_fh_covariate {
    const char *name;
    const double *x;
    const char *const *text;
} sol_fh_covariate;

/** m areas; y[i] NaN marks an area without a direct estimate (it gets the synthetic estimate);
 *  vardir[i] is the sampling variance of y[i] (must be > 0 where y is given; not read under the
 *  arcsin transformation). eff_n: effective sample sizes, needed (> 0 where y is given) only
 *  under the arcsin transformation, else may be NULL. ids may be NULL (messages then use row
 *  numbers). An intercept is always included. */
typedef struct sol_fh_data {
    size_t m;
    const char *const *ids;
    const double *y;
    const double *vardir;
    size_t n_cov;
    const sol_fh_covariate *cov;
    const double *eff_n;
} sol_fh_data;

typedef struct sol_fh_opts {
    sol_fh_method method;               /* default REML */
    double tol;                         /* relative change of sigma2_u to stop; 0 means 1e-10 */
    unsigned max_iter;                  /* 0 means 100 */
    sol_fh_transform transform;         /* default none */
    sol_fh_backtransform backtransform; /* default BC; CRUDE only with log */
    /* arcsin only: MSE of the back-transformed estimates by emdi's parametric bootstrap
     * (boot_arcsin_2) with boot_b replicates (0: no MSE): u* ~ N(0, s2u) for every area,
     * e* ~ N(0, 1/(4 n)), the model refitted on x'beta + u* + e*, MSE = mean over replicates of
     * (estimate* - sin^2(trunc(x'beta + u*)))^2. Replicate b draws from its own stream derived
     * from (seed, b), and replicates are summed in order: the same result on any thread count. */
    unsigned boot_b;
    uint64_t seed;
} sol_fh_opts;

typedef struct sol_fh_result {
    sol_fh_method method;
    double sigma2_u;                     /* random-effect variance (truncated at 0) */
    size_t p;                            /* terms, intercept included */
    char **terms;                        /* p names, owned */
    double *beta, *beta_se, *z, *pvalue; /* p each, owned; p-value two-sided normal */
    double loglik;   /* full Gaussian log-likelihood at the estimates, as R sae */
    double aic, bic; /* -2 loglik + 2 (p+1), -2 loglik + (p+1) log(m_fit) */
    unsigned iterations;
    int converged;      /* 0: the fit stopped at max_iter; estimates below are then NOT set */
    double last_change; /* relative change of the last iteration */
    size_t m, m_fit;    /* areas, areas with a direct estimate */
    double *eblup, *mse, *gamma, *synthetic; /* m each, owned; gamma = s2u / (s2u + vardir) */
    /* Under a transformation, everything above is on the transformed scale (y, vardir as
     * fitted are in y_t, vardir_t) and est / est_mse hold the back-transformed estimate and its
     * MSE (NaN where the method gives none, see sol_fh_backtransform). NULL when none. */
    sol_fh_transform transform;
    sol_fh_backtransform backtransform;
    double *y_t, *vardir_t, *est, *est_mse; /* m each, owned, or NULL */
} sol_fh_result;

/** Benchmarking as R emdi 2.2 benchmark(): est adjusted so that sum(share * est_bench) equals
 *  total. RATIO: est * total / sum(share * est); RAKING: est + total - sum(share * est).
 *  share: population shares N_d / N (m, finite, >= 0, summing to a positive number; not
 *  renormalised). est must be finite everywhere. Errors: SOL_EINVAL (total not finite, a share
 *  or estimate missing or negative share, shares summing to <= 0, ratio with sum(share*est) = 0;
 *  err names the area by ids[i] when ids is not NULL). out: caller-owned, m values. */
typedef enum sol_fh_bench_type {
    SOL_FH_BENCH_RATIO = 0,
    SOL_FH_BENCH_RAKING = 1
} sol_fh_bench_type;
SOL_API sol_status sol_sae_benchmark(size_t m, const char *const *ids, const double *est,
                                     const double *share, double total, sol_fh_bench_type type,
                                     double *out, sol_error *err);

/** Fit the model. Fisher scoring from sigma2_u = median(vardir) as R sae 1.3 (eblupFH); each
 *  iteration is O(m p^2) (the covariance is diagonal). MSE: Prasad-Rao (REML) or Datta-Lahiri
 *  (ML) as sae's mseFH; areas without a direct estimate get x'beta with MSE sigma2_u + x'Qx.
 *  Errors: SOL_EINVAL (fewer areas with data than terms + 1, a variance zero, negative or missing
 *  where y is given, a missing covariate: err names the area), SOL_ENUMERIC (X'V^-1 X singular,
 *  e.g. collinear covariates), SOL_ELIMIT, SOL_ENOMEM. Non-convergence is not an error: the result
 *  says converged = 0 with the iterations and the last change, and the caller must report it.
 *  Under a transformation the direct estimates are checked first (log: y > 0; arcsin: y in
 *  [0, 1] and eff_n > 0 and finite where y is given; SOL_EINVAL naming the area), the model is
 *  fitted on the transformed scale and back-transformed as opts say (CRUDE with arcsin:
 *  SOL_EINVAL; SOL_ENUMERIC if a quadrature fails).
 *  *out set only on success; free with sol_fh_result_free. */
SOL_API sol_status sol_sae_fh_fit(const sol_fh_data *data, const sol_fh_opts *opts,
                                  sol_fh_result **out, sol_error *err);
SOL_API void sol_fh_result_free(sol_fh_result *r);

#ifdef __cplusplus
}
#endif
#endif
