/* fh_transform.c - back-transformation of Fay-Herriot EBLUPs fitted on the log or arcsin scale
 * (Slud & Maiti 2006 bias correction and MSE, emdi's crude and naive variants, the arcsin bias
 * correction by quadrature) and benchmarking to a known total, as R emdi 2.2. */
#include "sae/sae_int.h"

#include "core/core.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#define HALF_PI    1.57079632679489661923
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
    int st =
        gsl_integration_qag(&f, lo, hi, 0, 1e-11, QUAD_LIMIT, GSL_INTEG_GAUSS61, ws, &res, &abserr);
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
            } else if (ws == NULL ||
                       arcsin_bc(r->eblup[i], A * (1 - r->gamma[i]), ws, &r->est[i]) != 0) {
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
                             const double *share, double total, sol_fh_bench_type type, double *out,
                             sol_error *err)
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

/* ---- parametric bootstrap MSE for arcsin (emdi boot_arcsin_2) ------------------------------ */

/* xoshiro256** seeded through splitmix64 from (seed, replicate): one stream per replicate. */
typedef struct brng {
    uint64_t s[4];
    int have;
    double spare;
} brng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static void brng_init(brng *g, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed;
    uint64_t h = splitmix64(&x) ^ (stream * 0xd1342543de82ef95u + 0x2545f4914f6cdd1du);
    for (int i = 0; i < 4; i++)
        g->s[i] = splitmix64(&h);
    g->have = 0;
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static double brng_unif(brng *g) /* (0, 1) */
{
    uint64_t *s = g->s, r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return ((double)(r >> 11) + 0.5) * 0x1.0p-53;
}

static double brng_norm(brng *g) /* Marsaglia's polar method */
{
    if (g->have) {
        g->have = 0;
        return g->spare;
    }
    double u, v, q;
    do {
        u = 2 * brng_unif(g) - 1;
        v = 2 * brng_unif(g) - 1;
        q = u * u + v * v;
    } while (q >= 1 || q == 0);
    double f = sqrt(-2 * log(q) / q);
    g->spare = v * f;
    g->have = 1;
    return u * f;
}

/* One replicate: squared errors of the back-transformed estimate into sqe (m values).
 * 0, or -1 when the refit fails or does not converge, -2 when out of memory. */
static int boot_one(const sol_fh_data *d, const sol_fh_opts *ob, const sol_fh_result *r,
                    uint64_t seed, unsigned b, double *sqe)
{
    size_t m = r->m;
    double *ys = sol__malloc((m + 1) * sizeof *ys), *tru = sol__malloc((m + 1) * sizeof *tru);
    gsl_integration_workspace *ws = gsl_integration_workspace_alloc(QUAD_LIMIT);
    sol_fh_result *rb = NULL;
    int rc = -2;
    if (ys == NULL || tru == NULL || ws == NULL)
        goto out;
    brng g;
    brng_init(&g, seed, b);
    double su = sqrt(r->sigma2_u);
    for (size_t i = 0; i < m; i++) {
        double t = r->synthetic[i] + su * brng_norm(&g), s = sin(fmin(fmax(t, 0), HALF_PI));
        tru[i] = s * s;
        ys[i] = t;
    }
    for (size_t i = 0; i < m; i++)
        ys[i] = isfinite(d->y[i]) ? ys[i] + sqrt(d->vardir[i]) * brng_norm(&g) : NAN;
    sol_fh_data db = *d;
    db.y = ys;
    rc = -1;
    if (sol__sae_fh_fit_core(&db, ob, &rb, NULL, 1, NULL) != SOL_OK || !rb->converged)
        goto out;
    for (size_t i = 0; i < m; i++) {
        double e;
        if (isfinite(ys[i]) && r->backtransform == SOL_FH_BT_BC) {
            if (arcsin_bc(rb->eblup[i], rb->sigma2_u * (1 - rb->gamma[i]), ws, &e) != 0)
                goto out;
        } else {
            double s = sin(rb->eblup[i]); /* emdi's bootstrap: no truncation here */
            e = s * s;
        }
        sqe[i] = (e - tru[i]) * (e - tru[i]);
    }
    rc = 0;
out:
    sol_fh_result_free(rb);
    gsl_integration_workspace_free(ws);
    sol__free(ys);
    sol__free(tru);
    return rc;
}

#define BOOT_CHUNK 32u

sol_status sol__sae_fh_boot_arcsin(const sol_fh_data *d, const sol_fh_opts *opts, sol_fh_result *r,
                                   sol_error *err)
{
    size_t m = r->m;
    unsigned B = opts->boot_b;
    sol_fh_opts ob = *opts;
    ob.transform = SOL_FH_TR_NONE;
    ob.boot_b = 0;
    double *acc = sol__calloc(m + 1, sizeof *acc),
           *sqe = sol__malloc((m + 1) * BOOT_CHUNK * sizeof *sqe);
    sol_status rc = SOL_OK;
    if (acc == NULL || sqe == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto out;
    }
    for (unsigned b0 = 0; b0 < B && rc == SOL_OK; b0 += BOOT_CHUNK) {
        unsigned nb = B - b0 < BOOT_CHUNK ? B - b0 : BOOT_CHUNK;
        int st[BOOT_CHUNK];
#pragma omp parallel for schedule(dynamic)
        for (unsigned k = 0; k < nb; k++)
            st[k] = boot_one(d, &ob, r, opts->seed, b0 + k, sqe + (size_t)k * m);
        /* replicates added in order: the same sums on any thread count */
        for (unsigned k = 0; k < nb; k++) {
            if (st[k] == -2) {
                rc = sol__err(err, SOL_ENOMEM, "out of memory");
                break;
            }
            if (st[k] != 0) {
                rc = sol__err(err, SOL_ENUMERIC,
                              "bootstrap replicate %u (seed %llu): the refit did not converge "
                              "(raise --max-iter) or its bias-correction integral failed",
                              b0 + k + 1, (unsigned long long)opts->seed);
                break;
            }
            for (size_t i = 0; i < m; i++)
                acc[i] += sqe[(size_t)k * m + i];
        }
    }
    if (rc == SOL_OK)
        for (size_t i = 0; i < m; i++)
            r->est_mse[i] = acc[i] / B;
out:
    sol__free(acc);
    sol__free(sqe);
    return rc;
}
