/* fh_transform.c - back-transformation of Fay-Herriot EBLUPs fitted on the log or arcsin scale
 * (Slud & Maiti 2006 bias correction and MSE, emdi's crude and naive variants, the arcsin bias
 * correction by quadrature) and benchmarking to a known total, as R emdi 2.2. */
#include "sae/sae_int.h"

#include "core/core.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdio.h>

#define HALF_PI 1.57079632679489661923
#define QUAD_LIMIT 200

typedef struct nd {
    double mu, sd;
} nd;

static double sin2_dnorm(double x, void *p)
{
    const nd *q = p;
    double s = sin(x), z = (x - q->mu) / q->sd;
    return s * s * exp(-0.5 * z * z) / (q->sd * 2.50662827463100050242);
}

/* E[sin^2(T) 1{0 <= T <= pi/2}], T ~ N(mu, var): emdi's arcsin "bc" integral, taken over
 * mu +- 12 sd within [0, pi/2] (the rest is below 1e-30 of the mass) to 1e-11 relative. */
static int arcsin_bc(double mu, double var, gsl_integration_workspace *ws, double *out)
{
    if (!(var > 0)) {
        double s = sin(mu);
        *out = mu >= 0 && mu <= HALF_PI ? s * s : 0;
        return 0;
    }
    nd q = {mu, sqrt(var)};
    double lo = fmax(0, mu - 12 * q.sd), hi = fmin(HALF_PI, mu + 12 * q.sd), res, abserr;
    if (!(hi > lo)) {
        *out = 0;
        return 0;
    }
    gsl_function f = {sin2_dnorm, &q};
    int st = gsl_integration_qag(&f, lo, hi, 0, 1e-11, QUAD_LIMIT, GSL_INTEG_GAUSS61, ws, &res,
                                 &abserr);
    if (st != GSL_SUCCESS && st != GSL_EROUND)
        return -1;
    *out = res;
    return 0;
}

static double sq(double x)
{
    return x * x;
}

sol_status sol__sae_fh_backtransform(sol_fh_result *r, const double *h, sol_error *err)
{
    size_t m = r->m;
    double A = r->sigma2_u;
    if ((r->est = sol__malloc((m + 1) * sizeof *r->est)) == NULL ||
        (r->est_mse = sol__malloc((m + 1) * sizeof *r->est_mse)) == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    const double *D = r->vardir_t;
    if (r->transform == SOL_FH_TR_LOG) {
        /* Slud-Maiti: Var(sigma2_u) = (sum 1/tau^2 / 2)^-1 and sum h/tau^2 over the fitted areas */
        double s2 = 0, sh = 0;
        for (size_t i = 0; i < m; i++)
            if (isfinite(r->y_t[i])) {
                double tau = A + D[i];
                s2 += 1 / (tau * tau);
                sh += h[i] / (tau * tau);
            }
        double vs = 1 / (0.5 * s2);
        for (size_t i = 0; i < m; i++) {
            double th = r->eblup[i];
            int in = isfinite(r->y_t[i]);
            r->est_mse[i] = NAN;
            if (r->backtransform == SOL_FH_BT_NAIVE) {
                r->est[i] = exp(th);
            } else if (r->backtransform == SOL_FH_BT_CRUDE) {
                double e = exp(th + 0.5 * r->mse[i]);
                r->est[i] = e;
                r->est_mse[i] = e * e * r->mse[i];
            } else if (!in) {
                r->est[i] = exp(r->synthetic[i] + 0.5 * A);
            } else {
                double g = r->gamma[i], d = D[i], tau = A + d, nu = r->synthetic[i];
                double r2 = sq(d) / sq(tau), eg = exp(-g * d);
                double e1 = exp(2 * (nu + A)), e2 = exp(2 * nu + A * (1 + g));
                r->est[i] = exp(th + 0.5 * A * (1 - g));
                r->est_mse[i] =
                    e1 * (1 - eg) + r2 * e2 * h[i] +
                    vs * r2 * e2 * (0.25 * sq(1 + 3 * g) + 1 / tau) -
                    e1 * (2 * (1 - eg) * h[i] - vs * (2 + (r2 - 2) * eg) * sh +
                          vs * (2 + (2 * r2 - 2) * eg -
                                sq(d) / (tau * tau * tau) * eg * (1 + sq(d) / (2 * tau))));
            }
        }
        return SOL_OK;
    }
    /* arcsin: no analytical MSE */
    int bad = 0;
    size_t bad_i = 0;
    if (r->backtransform == SOL_FH_BT_NAIVE) {
        for (size_t i = 0; i < m; i++) {
            double t = fmin(fmax(r->eblup[i], 0), HALF_PI), s = sin(t);
            r->est[i] = s * s;
            r->est_mse[i] = NAN;
        }
        return SOL_OK;
    }
#pragma omp parallel reduction(| : bad)
    {
        gsl_integration_workspace *ws = gsl_integration_workspace_alloc(QUAD_LIMIT);
        if (ws == NULL)
            bad |= 2;
#pragma omp for schedule(static)
        for (size_t i = 0; i < m; i++) {
            r->est_mse[i] = NAN;
            if (!isfinite(r->y_t[i])) {
                double s = sin(r->synthetic[i]);
                r->est[i] = s * s;
            } else if (ws == NULL || arcsin_bc(r->eblup[i], A * (1 - r->gamma[i]), ws,
                                               &r->est[i]) != 0) {
                r->est[i] = NAN;
                bad |= 1;
            }
        }
        gsl_integration_workspace_free(ws);
    }
    if (bad & 2)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    if (bad) {
        while (bad_i < m && isfinite(r->est[bad_i]))
            bad_i++;
        return sol__err(err, SOL_ENUMERIC,
                        "the arcsin bias correction integral did not converge for area %zu "
                        "(EBLUP %g on the arcsin scale); use --backtransform naive",
                        bad_i + 1, bad_i < m ? r->eblup[bad_i] : NAN);
    }
    return SOL_OK;
}

sol_status sol_sae_benchmark(size_t m, const char *const *ids, const double *est,
                             const double *share, double total, sol_fh_bench_type type,
                             double *out, sol_error *err)
{
    char b[32];
#define NAME(i) (ids && ids[i] ? ids[i] : (snprintf(b, sizeof b, "row %zu", (i) + 1), b))
    if (!isfinite(total))
        return sol__err(err, SOL_EINVAL, "the benchmark total is %g: it must be a finite number",
                        total);
    if (type != SOL_FH_BENCH_RATIO && type != SOL_FH_BENCH_RAKING)
        return sol__err(err, SOL_EINVAL, "unknown benchmark type %d", (int)type);
    double sw = 0, swe = 0;
    for (size_t i = 0; i < m; i++) {
        if (!isfinite(share[i]) || share[i] < 0)
            return sol__err(err, SOL_EINVAL,
                            "the benchmark weight (population share) of area '%s' is %g: it must "
                            "be a number >= 0",
                            NAME(i), share[i]);
        if (!isfinite(est[i]))
            return sol__err(err, SOL_EINVAL,
                            "area '%s' has no estimate to benchmark (its back-transformed "
                            "estimate is missing)",
                            NAME(i));
        sw += share[i];
        swe += share[i] * est[i];
    }
#undef NAME
    if (!(sw > 0))
        return sol__err(err, SOL_EINVAL,
                        "the benchmark weights sum to %g: they must sum to a positive number "
                        "(population shares N_d / N)",
                        sw);
    if (type == SOL_FH_BENCH_RATIO && !(swe != 0))
        return sol__err(err, SOL_EINVAL,
                        "the weighted sum of the estimates is 0: ratio benchmarking cannot scale "
                        "it; use raking");
    for (size_t i = 0; i < m; i++)
        out[i] = type == SOL_FH_BENCH_RATIO ? est[i] * (total / swe) : est[i] + (total - swe);
    return SOL_OK;
}
