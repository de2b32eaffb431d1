/* mc.c - Monte Carlo over the choices a spec marks uncertain (normalisation, aggregation,
 * imputation, weights within ranges): each area's median rank and 90% rank interval, and the
 * first-order sensitivity index of each choice. One RNG stream per replication (splitmix64 ->
 * xoshiro256**) so results are identical for a seed on any number of OpenMP threads. */
#include "index/index_int.h"

#include "core/core.h"

#include <math.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <stdio.h>
#include <string.h>

/* ---- RNG ------------------------------------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void sol__index_rng_seed(idx_rng *g, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed;
    uint64_t mix = splitmix64(&x) ^ (stream * 0xD1B54A32D192ED03ull);
    for (int k = 0; k < 4; k++)
        g->s[k] = splitmix64(&mix);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t sol__index_rng_next(idx_rng *g)
{
    uint64_t *s = g->s;
    uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
}

double sol__index_rng_unif(idx_rng *g)
{
    return (double)(sol__index_rng_next(g) >> 11) * 0x1.0p-53;
}

static size_t draw(idx_rng *g, size_t k)
{
    return (size_t)(sol__index_rng_unif(g) * (double)k);
}

/* ---- quantiles of half-integer ranks by counting (R's quantile type 7) ----------------------- */

/* Order statistics k[0..nk) (ascending k) of the values counted in hist, in one pass. */
static void order_stats(const uint32_t *hist, size_t nb, const size_t *k, size_t nk, double *out)
{
    size_t c = 0, t = 0;
    for (size_t b = 0; b < nb && t < nk; b++) {
        c += hist[b];
        while (t < nk && c > k[t])
            out[t++] = 0.5 * (double)b;
    }
    while (t < nk)
        out[t++] = NAN;
}

/* Quantiles 0.05, 0.5, 0.95 as R's quantile type 7 into q[3]. */
static void quantiles7(const uint32_t *hist, size_t nb, size_t cnt, double *q)
{
    static const double prob[3] = {0.05, 0.5, 0.95};
    size_t k[6];
    double h[3], v[6];
    for (int a = 0; a < 3; a++) {
        h[a] = (double)(cnt - 1) * prob[a];
        k[2 * a] = (size_t)floor(h[a]);
        k[2 * a + 1] = k[2 * a] + 1 < cnt ? k[2 * a] + 1 : k[2 * a];
    }
    order_stats(hist, nb, k, 6, v);
    for (int a = 0; a < 3; a++)
        q[a] = v[2 * a] + (h[a] - (double)k[2 * a]) * (v[2 * a + 1] - v[2 * a]);
}

/* First-order index Var(E[Y|X]) / Var(Y) from given data: by level for discrete X, by equal-count
 * bins of the sorted X for continuous X. */
static double first_order(const double *y, const double *xf, size_t R, int discrete, size_t levels,
                          size_t *order, size_t *scratch)
{
    double my = 0, vy = 0;
    for (size_t r = 0; r < R; r++)
        my += y[r];
    my /= (double)R;
    for (size_t r = 0; r < R; r++)
        vy += (y[r] - my) * (y[r] - my);
    vy /= (double)R;
    if (!(vy > 0))
        return 0.0;
    double vc = 0;
    if (discrete) {
        for (size_t l = 0; l < levels; l++) {
            double s = 0;
            size_t c = 0;
            for (size_t r = 0; r < R; r++)
                if ((size_t)xf[r] == l) {
                    s += y[r];
                    c++;
                }
            if (c > 0)
                vc += (double)c * (s / (double)c - my) * (s / (double)c - my);
        }
        return vc / (double)R / vy;
    }
    /* sort indices by x (insertion into a merge sort would be faster; R is moderate) */
    for (size_t r = 0; r < R; r++)
        order[r] = r;
    /* bottom-up merge sort on order by xf */
    size_t *a = order, *b = scratch;
    for (size_t wdt = 1; wdt < R; wdt *= 2) {
        for (size_t lo = 0; lo < R; lo += 2 * wdt) {
            size_t mid = lo + wdt < R ? lo + wdt : R, hi = lo + 2 * wdt < R ? lo + 2 * wdt : R;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                b[k++] = xf[a[i]] <= xf[a[j]] ? a[i++] : a[j++];
            while (i < mid)
                b[k++] = a[i++];
            while (j < hi)
                b[k++] = a[j++];
        }
        size_t *t = a;
        a = b;
        b = t;
    }
    size_t B = (size_t)ceil(sqrt((double)R));
    if (B > 100)
        B = 100;
    for (size_t k = 0; k < B; k++) {
        size_t lo = k * R / B, hi = (k + 1) * R / B;
        double s = 0;
        for (size_t t = lo; t < hi; t++)
            s += y[a[t]];
        if (hi > lo)
            vc += (double)(hi - lo) * (s / (double)(hi - lo) - my) * (s / (double)(hi - lo) - my);
    }
    return vc / (double)R / vy;
}

/* ---- the run --------------------------------------------------------------------------------- */

typedef struct mc_factor {
    int kind; /* 0 norm, 1 agg, 2 missing, 3 indicator weight (a = dmem pos), 4 dimension weight */
    size_t a;
    size_t levels;
} mc_factor;

sol_status sol__index_mc(const idx_prep *p, const sol_index_spec *s, const double *w_base,
                         const double *v_base, const double *rank_base, sol_index_result *r,
                         sol_error *err)
{
    size_t n = p->n, m = p->m, nd = p->nd, R = s->mc_reps;
    sol_index_norm norms[SOL_INDEX_MAX_ALT];
    sol_index_agg aggs[SOL_INDEX_MAX_ALT];
    sol_index_missing miss[SOL_INDEX_MAX_ALT];
    size_t nn = 1, na = 1, nmiss = 1;
    norms[0] = s->norm;
    aggs[0] = s->agg;
    miss[0] = s->missing;
    if (s->mc_factors & SOL_MC_NORM && s->n_mc_norm > 0) {
        nn = s->n_mc_norm;
        memcpy(norms, s->mc_norm, nn * sizeof *norms);
    }
    if (s->mc_factors & SOL_MC_AGG && s->n_mc_agg > 0) {
        na = s->n_mc_agg;
        memcpy(aggs, s->mc_agg, na * sizeof *aggs);
    }
    if (s->mc_factors & SOL_MC_MISSING && s->n_mc_missing > 0) {
        nmiss = s->n_mc_missing;
        memcpy(miss, s->mc_missing, nmiss * sizeof *miss);
    }
    if ((unsigned long long)n * R > SOL_MAX_INDEX_MC_CELLS)
        return sol__err(err, SOL_ELIMIT,
                        "Monte Carlo: %zu rows x %zu replications exceeds the "
                        "limit of %llu stored ranks",
                        n, R, (unsigned long long)SOL_MAX_INDEX_MC_CELLS);
    int geo = 0;
    for (size_t k = 0; k < na; k++)
        geo |= aggs[k] == SOL_AGG_GEOM;
    /* Factors. */
    mc_factor *fac = sol__malloc((3 + m + nd) * sizeof *fac);
    size_t nf = 0;
    if (fac == NULL)
        return SOL_ENOMEM;
    if (nn > 1)
        fac[nf++] = (mc_factor){0, 0, nn};
    if (na > 1)
        fac[nf++] = (mc_factor){1, 0, na};
    if (nmiss > 1)
        fac[nf++] = (mc_factor){2, 0, nmiss};
    if (s->mc_factors & SOL_MC_WEIGHTS) {
        for (size_t a = 0; a < m; a++)
            if (!isnan(s->ind[p->dmem[a]].w_lo))
                fac[nf++] = (mc_factor){3, a, 0};
        for (size_t d = 0; d < s->n_dim && d < nd; d++)
            if (!isnan(s->dim[d].w_lo))
                fac[nf++] = (mc_factor){4, d, 0};
    }
    sol_status rc = SOL_ENOMEM;
    size_t nz = nn * nmiss;
    double *Z = sol__malloc(nz * n * m * sizeof *Z), *LZ = NULL, *x = NULL;
    float *ranks = sol__malloc(n * R * sizeof *ranks);
    double *Y = sol__malloc(R * sizeof *Y), *XF = sol__malloc((nf ? nf : 1) * R * sizeof *XF);
    double *wraw = sol__malloc(m * sizeof *wraw), *vraw = sol__malloc(nd * sizeof *vraw);
    size_t *order = NULL;
    size_t *scratch = NULL;
    if (Z == NULL || ranks == NULL || Y == NULL || XF == NULL || wraw == NULL || vraw == NULL ||
        (x = sol__malloc(n * m * sizeof *x)) == NULL ||
        (geo && (LZ = sol__malloc(nz * n * m * sizeof *LZ)) == NULL))
        goto done;
    for (size_t a = 0; a < nmiss; a++) {
        if ((rc = sol__index_impute(p, miss[a], x, NULL, err)) != SOL_OK)
            goto done;
        for (size_t b = 0; b < nn; b++) {
            double *z = Z + (a * nn + b) * n * m;
            if ((rc = sol__index_normalise(p, norms[b], x, z, err)) != SOL_OK)
                goto done;
            if (geo)
                for (size_t k = 0; k < n * m; k++) {
                    if (z[k] <= 0) {
                        rc = sol__err(err, SOL_EINVAL,
                                      "Monte Carlo: geometric mean over "
                                      "non-positive values (%s gives %g for \"%s\")",
                                      sol_index_norm_name(norms[b]), z[k], p->icode[k % m]);
                        goto done;
                    }
                    LZ[(a * nn + b) * n * m + k] = log(z[k]);
                }
        }
    }
    /* Raw weights the draws start from: human weights as given, otherwise the base weights. */
    for (size_t a = 0; a < m; a++)
        wraw[a] = s->ind_weights == SOL_WEIGHT_HUMAN   ? s->ind[p->dmem[a]].weight
                  : s->ind_weights == SOL_WEIGHT_EQUAL ? 1.0
                                                       : w_base[a];
    for (size_t d = 0; d < nd; d++)
        vraw[d] = s->dim_weights == SOL_WEIGHT_HUMAN   ? s->dim[d].weight
                  : s->dim_weights == SOL_WEIGHT_EQUAL ? 1.0
                                                       : v_base[d];
    int failed = 0;
#pragma omp parallel
    {
        double *w = sol__malloc(m * sizeof *w), *v = sol__malloc(nd * sizeof *v);
        double *sc = sol__malloc(n * sizeof *sc), *rk = sol__malloc(n * sizeof *rk);
        double *ds = sol__malloc(nd * sizeof *ds);
        idx_pair *pairs = sol__malloc(2 * n * sizeof *pairs);
        int ok = w && v && sc && rk && ds && pairs;
        if (!ok) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(dynamic, 16)
        for (size_t rep = 0; rep < R; rep++) {
            if (!ok)
                continue;
            idx_rng g;
            sol__index_rng_seed(&g, s->seed, rep);
            size_t bn = nn > 1 ? draw(&g, nn) : 0, ba = na > 1 ? draw(&g, na) : 0;
            size_t bm = nmiss > 1 ? draw(&g, nmiss) : 0;
            memcpy(w, wraw, m * sizeof *w);
            memcpy(v, vraw, nd * sizeof *v);
            for (size_t f = 0; f < nf; f++) {
                double val;
                if (fac[f].kind == 0)
                    val = (double)bn;
                else if (fac[f].kind == 1)
                    val = (double)ba;
                else if (fac[f].kind == 2)
                    val = (double)bm;
                else if (fac[f].kind == 3) {
                    const sol_index_ind *ii = &s->ind[p->dmem[fac[f].a]];
                    val = w[fac[f].a] = ii->w_lo + (ii->w_hi - ii->w_lo) * sol__index_rng_unif(&g);
                } else {
                    const sol_index_dim *dd = &s->dim[fac[f].a];
                    val = v[fac[f].a] = dd->w_lo + (dd->w_hi - dd->w_lo) * sol__index_rng_unif(&g);
                }
                XF[f * R + rep] = val;
            }
            for (size_t d = 0; d < nd; d++) {
                double t = 0;
                for (size_t a = p->dstart[d]; a < p->dstart[d + 1]; a++)
                    t += w[a];
                for (size_t a = p->dstart[d]; a < p->dstart[d + 1]; a++)
                    w[a] = t > 0 ? w[a] / t : 1.0 / (double)(p->dstart[d + 1] - p->dstart[d]);
            }
            double vt = 0;
            for (size_t d = 0; d < nd; d++)
                vt += v[d];
            for (size_t d = 0; d < nd; d++)
                v[d] = vt > 0 ? v[d] / vt : 1.0 / (double)nd;
            size_t zi = (bm * nn + bn) * n * m;
            sol__index_aggregate(p, aggs[ba], s->penalty, Z + zi, LZ ? LZ + zi : NULL, w, v, NULL,
                                 sc, ds);
            sol__index_rank(p, sc, rk, pairs);
            double shift = 0;
            size_t c = 0;
            for (size_t i = 0; i < n; i++) {
                ranks[rep * n + i] = (float)rk[i];
                if (!isnan(rk[i]) && !isnan(rank_base[i])) {
                    shift += fabs(rk[i] - rank_base[i]);
                    c++;
                }
            }
            Y[rep] = c ? shift / (double)c : 0.0;
        }
        sol__free_n(6, w, v, sc, rk, ds, pairs);
    }
    rc = SOL_ENOMEM;
    if (failed)
        goto done;
    if ((r->rank_median = sol__malloc(n * sizeof(double))) == NULL ||
        (r->rank_lo = sol__malloc(n * sizeof(double))) == NULL ||
        (r->rank_hi = sol__malloc(n * sizeof(double))) == NULL)
        goto done;
    r->mc_reps = R;
    size_t nb = 2 * n + 3;
#pragma omp parallel
    {
        uint32_t *hist = sol__malloc(nb * sizeof *hist);
        if (hist == NULL) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(static)
        for (size_t i = 0; i < n; i++) {
            if (hist == NULL)
                continue;
            memset(hist, 0, nb * sizeof *hist);
            size_t cnt = 0;
            for (size_t rep = 0; rep < R; rep++) {
                float q = ranks[rep * n + i];
                if (!isnan(q)) {
                    hist[(size_t)(2.0f * q)]++;
                    cnt++;
                }
            }
            double q[3] = {NAN, NAN, NAN};
            if (cnt > 0)
                quantiles7(hist, nb, cnt, q);
            r->rank_lo[i] = q[0];
            r->rank_median[i] = q[1];
            r->rank_hi[i] = q[2];
        }
        sol__free(hist);
    }
    if (failed)
        goto done;
    /* Sensitivity. */
    if (nf > 0) {
        if ((r->factor_name = sol__calloc(nf, sizeof(char *))) == NULL ||
            (r->sensitivity = sol__malloc(nf * sizeof(double))) == NULL ||
            (order = sol__malloc(R * sizeof *order)) == NULL ||
            (scratch = sol__malloc(R * sizeof *scratch)) == NULL)
            goto done;
        r->n_factors = nf;
        for (size_t f = 0; f < nf; f++) {
            sol_buf b;
            sol__buf_init(&b, SOL_MAX_LABEL);
            static const char *const kinds[] = {"normalisation", "aggregation", "missing values"};
            if (fac[f].kind < 3)
                rc = sol__buf_addf(&b, "%s", kinds[fac[f].kind]);
            else if (fac[f].kind == 3)
                rc = sol__buf_addf(&b, "weight of %s", p->icode[p->dmem[fac[f].a]]);
            else
                rc = sol__buf_addf(&b, "weight of dimension %s", p->dname[fac[f].a]);
            if (rc != SOL_OK) {
                sol__buf_free(&b);
                goto done;
            }
            r->factor_name[f] = b.data; /* ownership moves to the result */
            r->sensitivity[f] =
                first_order(Y, XF + f * R, R, fac[f].kind < 3, fac[f].levels, order, scratch);
        }
    }
    rc = SOL_OK;
done:
    sol__free_n(11, Z, LZ, x, ranks, Y, XF, wraw, vraw, order, scratch, fac);
    return rc;
}
