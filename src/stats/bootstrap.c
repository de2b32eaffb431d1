/* bootstrap.c - replicate-weight standard errors of the direct poverty estimators: the Rao-Wu
 * rescaling bootstrap (R survey's "subbootstrap") or the caller's replicate weights, every
 * estimate of sol_poverty_estimate recomputed on each replicate, the poverty line included. */
#include <solidata/stats.h>

#include "core/core.h"
#include "stats/stats_int.h"

#include <math.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <stdlib.h>
#include <string.h>

void sol_poverty_boot_free(sol_poverty_boot_result *b)
{
    if (b == NULL)
        return;
    sol__free(b->se);
    sol__free(b);
}

/* splitmix64: one replicate's stream from (seed, replicate), so that any thread draws it alike */
static uint64_t mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* uniform in [0, n) without modulo bias (rejection) */
static uint64_t below(uint64_t *s, uint64_t n)
{
    uint64_t lim = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
        x = mix(s);
    while (x >= lim);
    return x % n;
}

/* The PSUs of each stratum, for the draws: unit_of_row, stratum_of_unit, units listed by stratum.
 */
typedef struct strata_units {
    size_t n_units, n_strata;
    size_t *unit_of_row; /* n */
    size_t *off;         /* n_strata + 1 */
    size_t *list;        /* n_units, grouped by stratum */
    double *count;       /* n_units scratch per replicate: the factor of each unit */
} strata_units;

static sol_status strata_units_new(const sol__design_ws *dw, const sol_design *d, strata_units *su)
{
    memset(su, 0, sizeof *su);
    su->n_units = dw->n_units;
    su->n_strata = dw->n_strata;
    if ((su->unit_of_row = sol__malloc((d->n ? d->n : 1) * sizeof *su->unit_of_row)) == NULL ||
        (su->off = sol__calloc(su->n_strata + 1, sizeof *su->off)) == NULL ||
        (su->list = sol__malloc((su->n_units ? su->n_units : 1) * sizeof *su->list)) == NULL)
        return SOL_ENOMEM;
    size_t *str = sol__malloc((su->n_units ? su->n_units : 1) * sizeof *str);
    if (str == NULL)
        return SOL_ENOMEM;
    for (size_t i = 0; i < d->n; i++) {
        size_t u = sol__design_unit(dw, i);
        su->unit_of_row[i] = u;
        str[u] = dw->unit ? dw->unit_str[u] : d->strata ? d->strata[i] : 0;
    }
    for (size_t u = 0; u < su->n_units; u++)
        su->off[str[u] + 1]++;
    for (size_t h = 0; h < su->n_strata; h++)
        su->off[h + 1] += su->off[h];
    size_t *fill = sol__malloc((su->n_strata + 1) * sizeof *fill);
    if (fill == NULL) {
        sol__free(str);
        return SOL_ENOMEM;
    }
    memcpy(fill, su->off, (su->n_strata + 1) * sizeof *fill);
    for (size_t u = 0; u < su->n_units; u++) /* units in number order within each stratum */
        su->list[fill[str[u]]++] = u;
    sol__free(fill);
    sol__free(str);
    return SOL_OK;
}

static void strata_units_free(strata_units *su)
{
    sol__free(su->unit_of_row);
    sol__free(su->off);
    sol__free(su->list);
}

/* Replicate r's factor per unit: in each stratum of n_h >= 2 PSUs, n_h - 1 draws with
 * replacement, factor = count x n_h / (n_h - 1) (survey's subbootweights); a lonely PSU keeps 1. */
static void draw_factors(const strata_units *su, uint64_t seed, size_t r, double *f)
{
    uint64_t s = seed ^ (0xD1B54A32D192ED03ull * (uint64_t)(r + 1));
    mix(&s);
    for (size_t h = 0; h < su->n_strata; h++) {
        size_t a = su->off[h], nh = su->off[h + 1] - a;
        if (nh == 1) {
            f[su->list[a]] = 1;
            continue;
        }
        for (size_t k = 0; k < nh; k++)
            f[su->list[a + k]] = 0;
        for (size_t k = 0; k + 1 < nh; k++)
            f[su->list[a + below(&s, nh)]] += 1;
        for (size_t k = 0; k < nh; k++)
            f[su->list[a + k]] = f[su->list[a + k]] * (double)nh / (double)(nh - 1);
    }
}

/* The statistics of one row, in the order of sol_poverty_se. */
static void stats_of(const sol_poverty_row *w, double *v)
{
    v[0] = w->median_income;
    v[1] = w->mean_income;
    v[2] = w->arop;
    v[3] = w->fgt1;
    v[4] = w->fgt2;
    v[5] = w->rmpg;
    v[6] = w->gini;
    v[7] = w->qsr;
}
#define NS 8

sol_status sol_poverty_bootstrap(const double *income, const sol_design *d, const uint32_t *domain,
                                 size_t n_domains, const char *const *domain_names,
                                 const sol_poverty_opts *o, const sol_poverty_boot *b,
                                 sol_poverty_boot_result **out, sol_error *err)
{
    size_t R = b->replicates, n = d->n, nrow = (domain ? n_domains : 0) + 1;
    if (R < 2 || R > 100000)
        return sol__err(err, SOL_EINVAL, "between 2 and 100000 replicates, not %zu", R);
    if (b->repw && !(b->scale >= 0))
        return sol__err(err, SOL_EINVAL, "the replicate scale must be positive (0: 1/(R-1))");
    sol__design_ws *dw = NULL;
    sol_status rc = sol__design_new(d, 1, &dw, err);
    if (rc != SOL_OK)
        return rc;
    strata_units su = {0};
    double *theta = NULL; /* R x nrow x NS */
    unsigned char *bad = NULL;
    sol_poverty_boot_result *res = NULL;
    sol_status *rcs = NULL;
    sol_error *errs = NULL;
    if ((rc = strata_units_new(dw, d, &su)) != SOL_OK ||
        (theta = sol__malloc(R * nrow * NS * sizeof *theta)) == NULL ||
        (bad = sol__calloc(R * nrow, 1)) == NULL || (rcs = sol__calloc(R, sizeof *rcs)) == NULL ||
        (errs = sol__calloc(R, sizeof *errs)) == NULL ||
        (res = sol__calloc(1, sizeof *res)) == NULL ||
        (res->se = sol__calloc(nrow, sizeof *res->se)) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    int nth = 1;
#ifdef _OPENMP
    nth = omp_get_max_threads();
#endif
    /* each thread its own weights and factors; each replicate its own stream and slot */
#pragma omp parallel num_threads(nth)
    {
        double *wr = sol__malloc((n ? n : 1) * sizeof *wr);
        double *f = sol__malloc((su.n_units ? su.n_units : 1) * sizeof *f);
#pragma omp for schedule(dynamic, 1)
        for (size_t r = 0; r < R; r++) {
            if (wr == NULL || f == NULL) {
                rcs[r] = SOL_ENOMEM;
                continue;
            }
            if (b->repw) {
                for (size_t i = 0; i < n; i++)
                    wr[i] = b->repw[i * R + r];
            } else {
                draw_factors(&su, b->seed, r, f);
                for (size_t i = 0; i < n; i++)
                    wr[i] = d->weight[i] * f[su.unit_of_row[i]];
            }
            sol_design dr = *d;
            dr.weight = wr;
            dr.lonely = SOL_LONELY_REMOVE; /* the replicate's own SEs are not used */
            sol_poverty_result *pr = NULL;
            rcs[r] = sol_poverty_estimate(income, &dr, domain, n_domains, domain_names, o, &pr,
                                          &errs[r]);
            if (rcs[r] != SOL_OK)
                continue;
            for (size_t k = 0; k < nrow; k++) {
                double *v = &theta[(r * nrow + k) * NS];
                stats_of(&pr->rows[k], v);
                for (size_t s = 0; s < NS; s++)
                    bad[r * nrow + k] |= !isfinite(v[s]) && s != 5; /* rmpg may be NaN */
                bad[r * nrow + k] |= pr->rows[k].weighted_n <= 0;
            }
            sol_poverty_result_free(pr);
        }
        sol__free(wr);
        sol__free(f);
    }
    for (size_t r = 0; r < R; r++)
        if (rcs[r] != SOL_OK) {
            rc = rcs[r] == SOL_ENOMEM
                     ? sol__err(err, SOL_ENOMEM, "out of memory")
                     : sol__err(err, rcs[r], "replicate %zu: %s", r + 1, errs[r].msg);
            goto done;
        }
    /* survey's svrVar: scale x sum_r (theta_r - mean)^2 over the replicates that gave a value
     * (a replicate in which a domain has no weight is left out for that domain, and counted) */
    double scale = b->repw && b->scale > 0 ? b->scale : 1.0 / (double)(R - 1);
    res->replicates = R;
    res->scale = scale;
    res->n_rows = nrow;
    for (size_t k = 0; k < nrow; k++) {
        double mean[NS] = {0}, ss[NS] = {0};
        size_t cnt[NS] = {0};
        for (size_t r = 0; r < R; r++) {
            if (bad[r * nrow + k]) {
                res->se[k].dropped++;
                continue;
            }
            const double *v = &theta[(r * nrow + k) * NS];
            for (size_t s = 0; s < NS; s++)
                if (isfinite(v[s])) {
                    mean[s] += v[s];
                    cnt[s]++;
                }
        }
        for (size_t s = 0; s < NS; s++)
            mean[s] = cnt[s] ? mean[s] / (double)cnt[s] : NAN;
        for (size_t r = 0; r < R; r++) {
            if (bad[r * nrow + k])
                continue;
            const double *v = &theta[(r * nrow + k) * NS];
            for (size_t s = 0; s < NS; s++)
                if (isfinite(v[s]))
                    ss[s] += (v[s] - mean[s]) * (v[s] - mean[s]);
        }
        double se[NS];
        for (size_t s = 0; s < NS; s++)
            se[s] = cnt[s] >= 2 ? sqrt(scale * ss[s]) : NAN;
        sol_poverty_se *p = &res->se[k];
        p->median_income = se[0];
        p->mean_income = se[1];
        p->arop = se[2];
        p->fgt1 = se[3];
        p->fgt2 = se[4];
        p->rmpg = se[5];
        p->gini = se[6];
        p->qsr = se[7];
    }
    *out = res;
    res = NULL;
    rc = SOL_OK;
done:
    sol_poverty_boot_free(res);
    strata_units_free(&su);
    sol__free_n(4, theta, bad, rcs, errs);
    sol__design_free(dw);
    return rc;
}
