/* moran.c - global Moran's I: analytic inference under normality and randomisation (as
 * spdep::moran.test) and a permutation test (as spdep::moran.mc) with per-permutation RNG streams.
 */
#include <solidata/spatial.h>

#include "core/core.h"
#include "spatial/spatial_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Tail probability of a standard normal z for the alternative (R pnorm). */
double sol__spatial_pnorm_alt(double z, sol_alternative alt)
{
    if (isnan(z))
        return NAN;
    if (alt == SOL_ALT_LESS)
        return 0.5 * erfc(-z / M_SQRT2);
    if (alt == SOL_ALT_TWO_SIDED)
        return erfc(fabs(z) / M_SQRT2);
    return 0.5 * erfc(z / M_SQRT2);
}

/* w_ji, or 0 when j does not list i. */
static double weight_of(const sol_weights *w, size_t j, size_t i)
{
    size_t lo = w->rowptr[j], hi = w->rowptr[j + 1];
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (w->col[m] < i)
            lo = m + 1;
        else
            hi = m;
    }
    return lo < w->rowptr[j + 1] && w->col[lo] == i ? w->w[lo] : 0.0;
}

/* sum_i z_i * sum_j w_ij z_j */
static double cross(const sol_weights *w, const double *z)
{
    double s = 0;
    for (size_t i = 0; i < w->n; i++) {
        double lz = 0;
        for (size_t e = w->rowptr[i]; e < w->rowptr[i + 1]; e++)
            lz += w->w[e] * z[w->col[e]];
        s += z[i] * lz;
    }
    return s;
}

sol_status sol_spatial_moran(const sol_weights *w, const double *x, const sol_moran_opts *o,
                             sol_moran_result *r, sol_error *err)
{
    sol_moran_opts def = {SOL_ALT_GREATER, 0, 1};
    double *z = NULL, *cs = NULL, *iperm = NULL;
    sol_status rc = SOL_ENOMEM;
    if (o == NULL)
        o = &def;
    size_t N = w->n;
    if (w->self_included)
        return sol__err(err, SOL_EINVAL, "Moran's I needs weights without self-neighbours");
    if (N < 4)
        return sol__err(err, SOL_EINVAL, "Moran's I needs at least 4 areas, got %zu", N);
    if (o->nsim > SOL_SPATIAL_NSIM_MAX)
        return sol__err(err, SOL_ELIMIT, "%u permutations exceed %u", o->nsim,
                        (unsigned)SOL_SPATIAL_NSIM_MAX);
    for (size_t i = 0; i < N; i++)
        if (!isfinite(x[i]))
            return sol__err(err, SOL_EINVAL, "area %s: value is missing or not finite", w->ids[i]);
    memset(r, 0, sizeof *r);
    z = sol__malloc(N * sizeof *z);
    cs = sol__calloc(N, sizeof *cs);
    if (z == NULL || cs == NULL)
        goto fail;
    double mean = 0;
    for (size_t i = 0; i < N; i++)
        mean += x[i];
    mean /= (double)N;
    double zz = 0, z4 = 0;
    for (size_t i = 0; i < N; i++) {
        z[i] = x[i] - mean;
        zz += z[i] * z[i];
        z4 += z[i] * z[i] * z[i] * z[i];
    }
    if (!(zz > 0)) {
        rc = sol__err(err, SOL_EINVAL, "the variable is constant: Moran's I is undefined");
        goto fail;
    }
    double S0 = 0, S1 = 0, S2 = 0;
    size_t n = 0;
    for (size_t i = 0; i < N; i++) {
        if (w->rowptr[i + 1] > w->rowptr[i])
            n++;
        for (size_t e = w->rowptr[i]; e < w->rowptr[i + 1]; e++) {
            double dij = w->w[e], dji = weight_of(w, w->col[e], i);
            S0 += dij;
            S1 += dij * dij + dij * dji;
            cs[w->col[e]] += dij;
        }
    }
    for (size_t i = 0; i < N; i++) {
        double rs = 0;
        for (size_t e = w->rowptr[i]; e < w->rowptr[i + 1]; e++)
            rs += w->w[e];
        S2 += (rs + cs[i]) * (rs + cs[i]);
    }
    if (n < 4 || !(S0 > 0)) {
        rc = sol__err(err, SOL_EINVAL, "only %zu areas have neighbours: too few for Moran's I", n);
        goto fail;
    }
    double dn = (double)n, nn = dn * dn, S02 = S0 * S0;
    double K = ((double)N * z4) / (zz * zz);
    r->n = n;
    r->S0 = S0;
    r->S1 = S1;
    r->S2 = S2;
    r->kurtosis = K;
    r->I = (dn / S0) * (cross(w, z) / zz);
    r->EI = -1.0 / (dn - 1);
    double EI2 = r->EI * r->EI;
    r->var_norm = (nn * S1 - dn * S2 + 3 * S02) / (S02 * (nn - 1)) - EI2;
    double VI = dn * (S1 * (nn - 3 * dn + 3) - dn * S2 + 3 * S02);
    double tmp = K * (S1 * (nn - dn) - 2 * dn * S2 + 6 * S02);
    r->var_rand = (VI - tmp) / ((dn - 1) * (dn - 2) * (dn - 3) * S02) - EI2;
    r->z_norm = (r->I - r->EI) / sqrt(r->var_norm);
    r->z_rand = (r->I - r->EI) / sqrt(r->var_rand);
    r->p_norm = sol__spatial_pnorm_alt(r->z_norm, o->alternative);
    r->p_rand = sol__spatial_pnorm_alt(r->z_rand, o->alternative);

    if (o->nsim > 0) {
        unsigned nsim = o->nsim;
        iperm = sol__malloc(nsim * sizeof *iperm);
        if (iperm == NULL)
            goto fail;
        int bad = 0;
#pragma omp parallel
        {
            double *zp = malloc(N * sizeof *zp);
            if (zp == NULL) {
#pragma omp atomic write
                bad = 1;
            }
#pragma omp for schedule(static)
            for (unsigned b = 0; b < nsim; b++) {
                if (zp == NULL)
                    continue;
                sol__rng g;
                sol__rng_init(&g, o->seed, b);
                memcpy(zp, z, N * sizeof *zp);
                for (size_t i = N - 1; i > 0; i--) { /* Fisher-Yates */
                    size_t j = (size_t)sol__rng_below(&g, (uint64_t)i + 1);
                    double t = zp[i];
                    zp[i] = zp[j];
                    zp[j] = t;
                }
                iperm[b] = (dn / S0) * (cross(w, zp) / zz);
            }
            free(zp);
        }
        if (bad)
            goto fail;
        size_t ge = 0, le = 0, lt = 0, eq = 0;
        double mean_p = 0, m2 = 0;
        for (unsigned b = 0; b < nsim; b++) {
            ge += iperm[b] >= r->I;
            le += iperm[b] <= r->I;
            lt += iperm[b] < r->I;
            eq += iperm[b] == r->I;
            double d = iperm[b] - mean_p;
            mean_p += d / (double)(b + 1);
            m2 += d * (iperm[b] - mean_p);
        }
        double dns = (double)nsim + 1;
        r->nsim = nsim;
        r->n_ge = ge;
        r->rank = 1.0 + (double)lt + 0.5 * (double)eq; /* R rank(), ties averaged */
        r->mean_sim = mean_p;
        r->var_sim = nsim > 1 ? m2 / (double)(nsim - 1) : NAN;
        if (o->alternative == SOL_ALT_GREATER)
            r->p_sim = (1.0 + (double)ge) / dns;
        else if (o->alternative == SOL_ALT_LESS)
            r->p_sim = (1.0 + (double)le) / dns;
        else
            r->p_sim = fmin(1.0, 2.0 * (1.0 + (double)(ge < le ? ge : le)) / dns);
    }
    rc = SOL_OK;
fail: /* and the cleanup after success */
    sol__free(z);
    sol__free(cs);
    sol__free(iperm);
    return rc;
}
