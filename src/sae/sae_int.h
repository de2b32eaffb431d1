/* sae_int.h - internals shared by the small area estimation files. */
#ifndef SOL_SAE_INT_H
#define SOL_SAE_INT_H

#include <solidata/sae.h>

/* Fill r->est and r->est_mse (allocated here) from the transformed-scale fit in r (converged,
 * r->y_t / r->vardir_t set) as r->backtransform says; h[i] = x_i'(X'V^-1X)^-1 x_i. */
sol_status sol__sae_fh_backtransform(sol_fh_result *r, const double *h, sol_error *err);

/* The untransformed fit (fh.c); h (m values, or NULL) receives x'(X'V^-1X)^-1 x per area.
 * bounded: when Fisher scoring does not converge or ends below 0, sigma2_u is the maximum of the
 * (restricted) likelihood over [0, inf) found from the score (for bootstrap refits, as emdi's
 * optimize() over an interval from 0). */
sol_status sol__sae_fh_fit_core(const sol_fh_data *d, const sol_fh_opts *opts, sol_fh_result **out,
                                double *h, int bounded, sol_error *err);

/* r->est_mse from the arcsin parametric bootstrap (opts->boot_b replicates); d holds the
 * covariates, r the converged fit on the arcsin scale with est set. */
sol_status sol__sae_fh_boot_arcsin(const sol_fh_data *d, const sol_fh_opts *opts, sol_fh_result *r,
                                   sol_error *err);

#endif
