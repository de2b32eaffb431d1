/* sae_int.h - internals shared by the small area estimation files. */
#ifndef SOL_SAE_INT_H
#define SOL_SAE_INT_H

#include <solidata/sae.h>

/* Fill r->est and r->est_mse (allocated here) from the transformed-scale fit in r (converged,
 * r->y_t / r->vardir_t set) as r->backtransform says; h[i] = x_i'(X'V^-1X)^-1 x_i. */
sol_status sol__sae_fh_backtransform(sol_fh_result *r, const double *h, sol_error *err);

#endif
