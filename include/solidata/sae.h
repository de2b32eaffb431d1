/* solidata/sae.h - small area estimation: the Fay-Herriot area-level model, EBLUP with REML or ML
 * by Fisher scoring, Prasad-Rao / Datta-Lahiri MSE, synthetic estimates for areas without a
 * direct estimate. Numerics through GSL (Cholesky); no global GSL state is changed here. */
#ifndef SOL_SAE_H
#define SOL_SAE_H

#include <solidata/status.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sol_fh_method { SOL_FH_REML = 0, SOL_FH_ML = 1 } sol_fh_method;

/** One covariate: numeric (`x` set) or categorical (`text` set: one level per area, expanded to
 *  dummies with the first level in sorted (strcmp) order as reference, terms named as R's
 *  model.matrix does: name followed by the level). Arrays borrowed for the call. */
typedef struct sol_fh_covariate {
    const char *name;
    const double *x;
    const char *const *text;
} sol_fh_covariate;

/** m areas; y[i] NaN marks an area without a direct estimate (it gets the synthetic estimate);
 *  vardir[i] is the sampling variance of y[i] (must be > 0 where y is given). ids may be NULL
 *  (messages then use row numbers). An intercept is always included. */
typedef struct sol_fh_data {
    size_t m;
    const char *const *ids;
    const double *y;
    const double *vardir;
    size_t n_cov;
    const sol_fh_covariate *cov;
} sol_fh_data;

typedef struct sol_fh_opts {
    sol_fh_method method; /* default REML */
    double tol;           /* relative change of sigma2_u to stop; 0 means 1e-10 */
    unsigned max_iter;    /* 0 means 100 */
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
} sol_fh_result;

/** Fit the model. Fisher scoring from sigma2_u = median(vardir) as R sae 1.3 (eblupFH); each
 *  iteration is O(m p^2) (the covariance is diagonal). MSE: Prasad-Rao (REML) or Datta-Lahiri
 *  (ML) as sae's mseFH; areas without a direct estimate get x'beta with MSE sigma2_u + x'Qx.
 *  Errors: SOL_EINVAL (fewer areas with data than terms + 1, a variance zero, negative or missing
 *  where y is given, a missing covariate: err names the area), SOL_ENUMERIC (X'V^-1 X singular,
 *  e.g. collinear covariates), SOL_ELIMIT, SOL_ENOMEM. Non-convergence is not an error: the result
 *  says converged = 0 with the iterations and the last change, and the caller must report it.
 *  *out set only on success; free with sol_fh_result_free. */
SOL_API sol_status sol_sae_fh_fit(const sol_fh_data *data, const sol_fh_opts *opts,
                                  sol_fh_result **out, sol_error *err);
SOL_API void sol_fh_result_free(sol_fh_result *r);

#ifdef __cplusplus
}
#endif
#endif
