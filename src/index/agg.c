/* agg.c - aggregation of normalised indicators into dimension scores and one score (arithmetic,
 * geometric, Mazziotta-Pareto with its penalty), and ranking within periods. The hot loop of the
 * Monte Carlo: no allocation here. */
#include "index/index_int.h"

#include <math.h>
#include <stdlib.h>

/* One weighted aggregate of the values vals[k] (their logs in lv for GEOM) with weights w[k];
 * NaN values are left out and the others re-weighted. NaN when nothing is left. */
static double agg1(sol_index_agg agg, int penalty, const double *vals, const double *lv,
                   const double *w, size_t k, const size_t *idx)
{
    double ws = 0, m = 0;
    for (size_t t = 0; t < k; t++) {
        size_t j = idx ? idx[t] : t;
        double v = vals[j];
        if (isnan(v))
            continue;
        ws += w[t];
        m += w[t] * (agg == SOL_AGG_GEOM ? (lv ? lv[j] : log(v)) : v);
    }
    if (!(ws > 0))
        return NAN;
    m /= ws;
    if (agg == SOL_AGG_ARITH)
        return m;
    if (agg == SOL_AGG_GEOM)
        return exp(m);
    double s2 = 0;
    for (size_t t = 0; t < k; t++) {
        size_t j = idx ? idx[t] : t;
        double v = vals[j];
        if (!isnan(v))
            s2 += w[t] * (v - m) * (v - m);
    }
    s2 /= ws;
    /* M + penalty * S * cv with cv = S / M */
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

static int cmp_desc(const void *a, const void *b)
{
    const idx_pair *x = a, *y = b;
    if (x->s != y->s)
        return (x->s < y->s) - (x->s > y->s);
    return (x->i > y->i) - (x->i < y->i);
}

void sol__index_rank(const idx_prep *p, const double *score, double *rank, idx_pair *ws)
{
    for (size_t g = 0; g < p->n_groups; g++) {
        size_t k = 0;
        for (size_t i = 0; i < p->n; i++) {
            if (p->group[i] != g)
                continue;
            if (isnan(score[i]))
                rank[i] = NAN;
            else
                ws[k++] = (idx_pair){score[i], (uint32_t)i};
        }
        qsort(ws, k, sizeof *ws, cmp_desc);
        for (size_t a = 0; a < k;) {
            size_t b = a;
            while (b + 1 < k && ws[b + 1].s == ws[a].s)
                b++;
            double r = 0.5 * (double)(a + b) + 1.0;
            for (size_t t = a; t <= b; t++)
                rank[ws[t].i] = r;
            a = b + 1;
        }
    }
}
