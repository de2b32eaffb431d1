/* agg.c - aggregation of normalised indicators into dimension scores and one score (arithmetic,
 * geometric, Mazziotta-Pareto with its penalty), and ranking within periods. The hot loop of the
 * Monte Carlo: no allocation here. */
#include "index/index_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One weighted aggregate of the values vals[k] (their logs in lv for GEOM) with weights w[k];
 * NaN values are left out and the others re-weighted. NaN when nothing is left. */
static double agg1(sol_index_agg agg, int penalty, const double *vals, const double *lv,
                   const double *w, size_t k, const size_t *idx)
{
    double ws = 0, m = 0, q = 0;
    for (size_t t = 0; t < k; t++) {
        size_t j = idx ? idx[t] : t;
        double v = vals[j];
        if (isnan(v))
            continue;
        ws += w[t];
        if (agg == SOL_AGG_GEOM)
            v = lv ? lv[j] : log(v);
        m += w[t] * v;
        q += w[t] * v * v;
    }
    if (!(ws > 0))
        return NAN;
    m /= ws;
    if (agg == SOL_AGG_ARITH)
        return m;
    if (agg == SOL_AGG_GEOM)
        return exp(m);
    /* M + penalty * S * cv with cv = S / M; S^2 = E[v^2] - M^2 (one pass) */
    double s2 = q / ws - m * m;
    if (s2 < 0)
        s2 = 0;
    return m + (double)penalty * s2 / m;
}

void sol__index_aggregate(const idx_prep *p, sol_index_agg agg, int penalty, const double *z,
                          const double *lz, const double *w, const double *v, double *dscore,
                          double *score, double *ws)
{
    size_t m = p->m, nd = p->nd;
    /* Weights of the members of each dimension, in dmem order. */
    for (size_t i = 0; i < p->n; i++) {
        const double *zi = z + i * m;
        const double *lzi = lz ? lz + i * m : NULL;
        double *di = dscore ? dscore + i * nd : ws;
        for (size_t d = 0; d < nd; d++) {
            size_t a = p->dstart[d], k = p->dstart[d + 1] - a;
            if (k == 1) {
                di[d] = zi[p->dmem[a]];
                continue;
            }
            di[d] = agg1(agg, penalty, zi, lzi, w + a, k, p->dmem + a);
        }
        score[i] = nd == 1 ? di[0] : agg1(agg, penalty, di, NULL, v, nd, NULL);
    }
}

/* Sort key of a score: ascending unsigned order of the key is descending order of the score. */
static uint64_t desc_key(double s)
{
    uint64_t u;
    memcpy(&u, &s, sizeof u);
    u = (u >> 63) ? ~u : (u | 0x8000000000000000ull); /* ascending order of s */
    return ~u;
}

void sol__index_rank(const idx_prep *p, const double *score, double *rank, idx_pair *ws)
{
    /* ws holds 2n pairs: LSD radix sort, 8 bits a pass, stable (ties keep input order). */
    idx_pair *a = ws, *b = ws + p->n;
    for (size_t g = 0; g < p->n_groups; g++) {
        size_t k = 0;
        for (size_t i = 0; i < p->n; i++) {
            if (p->group[i] != g)
                continue;
            if (isnan(score[i]))
                rank[i] = NAN;
            else
                a[k++] = (idx_pair){score[i], (uint32_t)i};
        }
        for (int shift = 0; shift < 64; shift += 8) {
            size_t cnt[257] = {0};
            for (size_t t = 0; t < k; t++)
                cnt[((desc_key(a[t].s) >> shift) & 0xFF) + 1]++;
            if (cnt[((desc_key(a[0].s) >> shift) & 0xFF) + 1] == k)
                continue; /* every key has the same byte here */
            for (size_t c = 0; c < 256; c++)
                cnt[c + 1] += cnt[c];
            for (size_t t = 0; t < k; t++)
                b[cnt[(desc_key(a[t].s) >> shift) & 0xFF]++] = a[t];
            idx_pair *tmp = a;
            a = b;
            b = tmp;
        }
        for (size_t x = 0; x < k;) {
            size_t y = x;
            while (y + 1 < k && a[y + 1].s == a[x].s)
                y++;
            double r = 0.5 * (double)(x + y) + 1.0;
            for (size_t t = x; t <= y; t++)
                rank[a[t].i] = r;
            x = y + 1;
        }
    }
}
