/* poverty.c - direct estimators of monetary poverty and inequality by domain (laeken conventions:
 * weighted quantiles, ARPT/ARPR, FGT, RMPG, Gini, S80/S20) with linearised design-based SEs. */
#include <solidata/stats.h>

#include "core/core.h"
#include "stats/stats_int.h"

#include <math.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <stdlib.h>
#include <string.h>

void sol_poverty_result_free(sol_poverty_result *r)
{
    if (r == NULL)
        return;
    sol__free(r->rows);
    sol__free(r);
}

sol_status sol_stats_wquantile_sorted(const double *x, const double *w, size_t n, double p,
                                      double *out)
{
    if (n == 0 || !(p >= 0 && p <= 1))
        return SOL_EINVAL;
    long double W = 0;
    for (size_t i = 0; i < n; i++)
        W += w[i];
    if (!(W > 0))
        return SOL_EINVAL;
    if (p == 0) {
        *out = x[0];
        return SOL_OK;
    }
    if (p == 1) {
        *out = x[n - 1];
        return SOL_OK;
    }
    long double cum = 0;
    double sw = (double)W;
    for (size_t i = 0; i < n; i++) {
        cum += w[i];
        if ((double)cum / sw > p) {
            *out = x[i];
            return SOL_OK;
        }
    }
    *out = x[n - 1];
    return SOL_OK;
}

sol_status sol_stats_oecd_scale(double hh_size, double children, double *scale)
{
    if (!(hh_size >= 1) || !(children >= 0) || !(children <= hh_size - 1) || !isfinite(hh_size))
        return SOL_EINVAL;
    *scale = 1 + 0.5 * (hh_size - 1 - children) + 0.3 * children;
    return SOL_OK;
}

sol_status sol_stats_oecd_scale_hh(const uint32_t *hh, size_t n_hh, const double *age, size_t n,
                                   double *scale, size_t *members, sol_error *err)
{
    size_t *adults = sol__calloc(n_hh + 1, sizeof *adults),
           *kids = sol__calloc(n_hh + 1, sizeof *kids);
    if (adults == NULL || kids == NULL) {
        sol__free(adults);
        sol__free(kids);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    sol_status rc = SOL_OK;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(age[i]) || hh[i] >= n_hh) {
            rc = sol__err(err, SOL_EINVAL, "row %zu: the age must be a number of years (got %g)",
                          i + 1, age[i]);
            goto out;
        }
        if (age[i] >= 14)
            adults[hh[i]]++;
        else
            kids[hh[i]]++;
    }
    for (size_t i = 0; i < n; i++)
        scale[i] = 1 + 0.5 * ((double)adults[hh[i]] - 1) + 0.3 * (double)kids[hh[i]];
    if (members)
        for (size_t h = 0; h < n_hh; h++)
            members[h] = adults[h] + kids[h];
out:
    sol__free(adults);
    sol__free(kids);
    return rc;
}

/* Quantiles of a sorted segment at the probabilities p[0..np) (ascending), laeken's way. */
static void seg_quantiles(const sol__item *s, size_t m, double W, const double *p, size_t np,
                          double *q)
{
    size_t k = 0;
    while (k < np && p[k] == 0)
        q[k++] = s[0].x;
    long double cum = 0;
    for (size_t i = 0; i < m && k < np; i++) {
        cum += s[i].w;
        double rw = (double)cum / W;
        while (k < np && p[k] < 1 && rw > p[k])
            q[k++] = s[i].x;
    }
    while (k < np)
        q[k++] = s[m - 1].x;
}

#define SCORE_BLOCK 4096
#define NSTAT       5 /* arop, fgt1, fgt2, mean, and arop with a line of its own domain */

/* The estimated line's share in the variance of a rate (Deville 1999; Osier 2009), as R convey's
 * svyarpr: the line t = share x median of the whole population has the linearised variable
 * b_i = -share ((x_i <= q) - 1/2) / (N f(q)), f a Gaussian kernel density with convey's bandwidth;
 * a domain's rate then has a_i + F'(t) b_i, F' the domain's density at t. bc and vb hold what
 * every domain needs of b (sol__design_centred_units_take). */
typedef struct linevar {
    const sol__design_ws *dw;
    double *bc;
    double vb;
    double *var0, *fprime; /* per result row: V(a), and F'(t), for the pass that adds C(a, b) */
} linevar;

/* One thread's workspace: its own variance scratch and a block of scores. */
typedef struct work {
    const sol_poverty_opts *o;
    const linevar *lv; /* NULL: the line is fixed, or of each domain */
    sol__design_ws *dw;
    uint32_t rows[SCORE_BLOCK];
    double z[NSTAT * SCORE_BLOCK];
} work;

/* convey's h_fun: the weighted standard deviation over N^(1/5). */
static double bandwidth(const sol__item *s, size_t m, double W)
{
    long double sx = 0, sxx = 0;
    for (size_t i = 0; i < m; i++) {
        sx += (long double)s[i].w * s[i].x;
        sxx += (long double)s[i].w * s[i].x * s[i].x;
    }
    double var = (double)((sxx - sx * sx / W) / W);
    return sqrt(var > 0 ? var : 0) / exp(0.2 * log(W));
}

/* convey's densfun: sum w_i phi((x - x_i) / h) / (W h) over a segment sorted by income, from
 * the rows within 10 h of x (each other row would add less than 1e-22 of its weight). */
static double kernel_density(const sol__item *s, size_t m, double W, double x, double h)
{
    if (!(h > 0))
        return NAN;
    size_t lo = 0, hi = m;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s[mid].x < x - 10 * h)
            lo = mid + 1;
        else
            hi = mid;
    }
    long double acc = 0;
    for (size_t i = lo; i < m && s[i].x <= x + 10 * h; i++) {
        double u = (x - s[i].x) / h;
        acc += s[i].w * exp(-u * u / 2);
    }
    return (double)acc / 2.5066282746310002 / (W * h); /* sqrt(2 pi) */
}

/* CV of the ARPR and the publication flag from arop_se */
static void set_flag(const sol_poverty_opts *o, sol_poverty_row *r)
{
    r->cv_arop = r->arop > 0 ? r->arop_se / r->arop : NAN;
    if (r->n < o->min_n || !(r->cv_arop <= o->cv_unreliable))
        r->flag = "unreliable";
    else if (r->cv_arop > o->cv_caution)
        r->flag = "caution";
    else
        r->flag = "ok";
}

static void estimate_segment(work *wk, const sol__item *s, size_t m, double global_line,
                             double share, sol_poverty_row *r, size_t slot)
{
    long double W = 0, swx = 0;
    for (size_t i = 0; i < m; i++) {
        W += s[i].w;
        swx += (long double)s[i].w * s[i].x;
    }
    r->n = m;
    r->weighted_n = (double)W;
    if (m == 0 || !(W > 0)) {
        r->median_income = r->mean_income = r->mean_income_se = r->poverty_line = NAN;
        r->arop = r->arop_se = r->arop_se_fixed_line = r->fgt1 = r->fgt1_se = r->fgt2 = NAN;
        r->fgt2_se = NAN;
        r->rmpg = r->gini = r->qsr = r->cv_arop = NAN;
        r->flag = "unreliable";
        return;
    }
    double sw = (double)W;
    static const double probs[3] = {0.2, 0.5, 0.8};
    double q[3];
    seg_quantiles(s, m, sw, probs, 3, q);
    r->median_income = q[1];
    double t = wk->o->line > 0 ? wk->o->line : wk->o->line_by_domain ? share * q[1] : global_line;
    r->poverty_line = t;
    /* the poor are a prefix of the sorted segment */
    size_t np = 0;
    long double wpoor = 0, f1 = 0, f2 = 0;
    while (np < m && s[np].x < t) {
        double g = (t - s[np].x) / t;
        wpoor += s[np].w;
        f1 += s[np].w * g;
        f2 += s[np].w * g * g;
        np++;
    }
    r->arop = (double)wpoor / sw;
    r->fgt1 = (double)f1 / sw;
    r->fgt2 = (double)f2 / sw;
    r->mean_income = (double)swx / sw;
    if (np > 0 && wpoor > 0) {
        double half = 0.5, mp;
        seg_quantiles(s, np, (double)wpoor, &half, 1, &mp);
        r->rmpg = (t - mp) / t;
    } else {
        r->rmpg = NAN;
    }
    /* Gini as laeken's giniCoeff: wx = w*x, cw = cumsum(w) */
    long double a = 0, b = 0, cw = 0;
    for (size_t i = 0; i < m; i++) {
        cw += s[i].w;
        double wx = s[i].w * s[i].x;
        a += (long double)wx * (double)cw;
        b += (long double)(s[i].w * s[i].w) * s[i].x;
    }
    r->gini = (double)((2 * a - b) / ((long double)sw * (double)swx)) - 1;
    long double top = 0, bottom = 0;
    for (size_t i = 0; i < m; i++) {
        if (s[i].x <= q[0])
            bottom += s[i].w * s[i].x;
        if (s[i].x > q[2])
            top += s[i].w * s[i].x;
    }
    r->qsr = (double)(top / bottom);
    /* the line's own variance: F'(t) of this segment, and for a line of the domain's own (its
     * median's share) the median's linearised variable, local to the segment */
    int own_line = wk->o->line == 0 && wk->o->line_by_domain;
    double h = (wk->lv || own_line) ? bandwidth(s, m, sw) : NAN;
    double fprime = (wk->lv || own_line) ? kernel_density(s, m, sw, t, h) : 0;
    double bq = 0; /* own line: b_i = bq ((x_i <= median) - 1/2) */
    if (own_line) {
        double fq = kernel_density(s, m, sw, q[1], h);
        bq = fq > 0 ? -share / (sw * fq) : 0;
    }
    /* linearised scores: w_i (g_i - theta) / W for arop, fgt1, fgt2 and the mean, a block at a
     * time (the sums run in row order whatever the block size) */
    sol__design_var_begin(wk->dw);
    for (size_t i0 = 0; i0 < m; i0 += SCORE_BLOCK) {
        size_t nb = m - i0 < SCORE_BLOCK ? m - i0 : SCORE_BLOCK;
        for (size_t j = 0; j < nb; j++) {
            const sol__item *it = &s[i0 + j];
            double g = it->x < t ? (t - it->x) / t : 0;
            double wi = it->w / sw;
            double *z = &wk->z[NSTAT * j];
            wk->rows[j] = it->row;
            z[0] = wi * ((it->x < t ? 1.0 : 0.0) - r->arop);
            z[1] = wi * (g - r->fgt1);
            z[2] = wi * (g * g - r->fgt2);
            z[3] = wi * (it->x - r->mean_income);
            z[4] = z[0] + fprime * it->w * bq * ((it->x <= q[1] ? 1.0 : 0.0) - 0.5);
        }
        sol__design_var_add(wk->dw, wk->rows, nb, wk->z);
    }
    double var[NSTAT];
    sol__design_var_end(wk->dw, var);
    r->arop_se_fixed_line = sqrt(var[0]);
    if (wk->lv) { /* finished by line_covariance, in row order, once every segment is done */
        wk->lv->var0[slot] = var[0];
        wk->lv->fprime[slot] = fprime;
        r->arop_se = NAN;
    } else {
        r->arop_se = sqrt(own_line ? var[4] : var[0]);
    }
    r->fgt1_se = sqrt(var[1]);
    r->fgt2_se = sqrt(var[2]);
    r->mean_income_se = sqrt(var[3]);
    set_flag(wk->o, r);
}

static void free_work(work *wk, int nth)
{
    for (int t = 0; wk && t < nth; t++)
        sol__design_free(wk[t].dw);
    sol__free(wk);
}

static void linevar_free(linevar *lv)
{
    sol__free(lv->bc);
    sol__free(lv->var0);
    sol__free(lv->fprime);
}

typedef struct named {
    const char *name;
    uint32_t k;
} named;
static int cmp_named(const void *a, const void *b)
{
    return strcmp(((const named *)a)->name, ((const named *)b)->name);
}

/* The covariance of each rate's own score a_i = w_i ((x_i < t) - arop_d) / W_d with the line's
 * b, C = sum_{i in d} a_i bc[unit(i)] = (S1_d - arop_d S2_d) / W_d with S1 the sum of w_i bc over
 * the poor and S2 over all of d: one pass in row order (memory order, and the same sums on any
 * thread count), then arop_se = sqrt(V(a) + 2 F' C + F'^2 V(b)). Result rows: the domains in
 * name order (order[k].k is row k's domain), then the total. */
static sol_status line_covariance(const linevar *lv, const double *income, const sol_design *d,
                                  const uint32_t *domain, size_t nd, double t,
                                  const sol_poverty_opts *o, sol_poverty_result *res,
                                  const named *order)
{
    long double *s1 = sol__calloc(nd + 1, sizeof *s1), *s2 = sol__calloc(nd + 1, sizeof *s2);
    if (s1 == NULL || s2 == NULL) {
        sol__free(s1);
        sol__free(s2);
        return SOL_ENOMEM;
    }
    for (size_t i = 0; i < d->n; i++) {
        double v = d->weight[i] * lv->bc[sol__design_unit(lv->dw, i)];
        int poor = income[i] < t;
        s2[nd] += v;
        s1[nd] += poor ? v : 0;
        if (domain) {
            s2[domain[i]] += v;
            s1[domain[i]] += poor ? v : 0;
        }
    }
    for (size_t k = 0; k <= nd; k++) {
        size_t g = k < nd ? order[k].k : nd; /* row k's sums */
        sol_poverty_row *r = &res->rows[k];
        if (!(r->weighted_n > 0))
            continue;
        double c = (double)((s1[g] - (long double)r->arop * s2[g]) / r->weighted_n);
        double f = lv->fprime[k], v = lv->var0[k] + 2 * f * c + f * f * lv->vb;
        r->arop_se = sqrt(v > 0 ? v : 0);
        set_flag(o, r);
    }
    sol__free(s1);
    sol__free(s2);
    return SOL_OK;
}

sol_status sol_poverty_estimate(const double *income, const sol_design *d, const uint32_t *domain,
                                size_t n_domains, const char *const *domain_names,
                                const sol_poverty_opts *opts, sol_poverty_result **out,
                                sol_error *err)
{
    sol_poverty_opts o = opts ? *opts : (sol_poverty_opts){0};
    if (o.line_share == 0)
        o.line_share = 0.6;
    if (o.cv_caution == 0)
        o.cv_caution = 0.166;
    if (o.cv_unreliable == 0)
        o.cv_unreliable = 0.333;
    if (o.min_n == 0)
        o.min_n = 20;
    size_t n = d->n;
    if (n == 0)
        return sol__err(err, SOL_EINVAL, "no persons in the sample");
    if (!(o.line_share > 0 && o.line_share <= 1) || o.line < 0 || !isfinite(o.line))
        return sol__err(err, SOL_EINVAL,
                        "the line share must be in (0, 1] and a fixed line positive");
    if (domain && (n_domains == 0 || domain_names == NULL))
        return sol__err(err, SOL_EINVAL, "domains given without their names");
    long double W = 0;
    double xmax = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(income[i]))
            return sol__err(err, SOL_EINVAL, "income of row %zu is missing or not finite", i + 1);
        if (!(d->weight[i] >= 0) || !isfinite(d->weight[i]))
            return sol__err(err, SOL_EINVAL, "weight of row %zu is negative or not finite", i + 1);
        if (domain && domain[i] >= n_domains)
            return sol__err(err, SOL_EINVAL, "domain of row %zu is out of range", i + 1);
        W += d->weight[i];
        if (income[i] > xmax)
            xmax = income[i];
    }
    if (!(W > 0))
        return sol__err(err, SOL_EINVAL, "the weights sum to zero");

    sol_status rc = SOL_ENOMEM;
    sol_poverty_result *res = NULL;
    sol__item *a = NULL, *b = NULL;
    size_t *off = NULL;
    named *order = NULL;
    sol__design_ws *dw = NULL;
    work *wk = NULL;
    linevar lv = {0};
    double *zb = NULL;
    int nth = 1;
#ifdef _OPENMP
    nth = omp_get_max_threads();
#endif
    if ((rc = sol__design_new(d, NSTAT, &dw, err)) != SOL_OK)
        return rc;
    rc = SOL_ENOMEM;
    if ((wk = sol__calloc((size_t)nth, sizeof *wk)) == NULL)
        goto fail;
    for (int t = 0; t < nth; t++) {
        wk[t].o = &o;
        if (sol__design_clone(dw, &wk[t].dw) != SOL_OK)
            goto fail;
    }
    size_t nd = domain ? n_domains : 0;
    if ((res = sol__calloc(1, sizeof *res)) == NULL ||
        (res->rows = sol__calloc(nd + 1, sizeof *res->rows)) == NULL ||
        (a = sol__malloc(n * sizeof *a)) == NULL || (b = sol__malloc(n * sizeof *b)) == NULL)
        goto fail;
        /* element by element, so on both cores: the first touch of fresh memory (the kernel zeroing
         * it) is most of the cost of filling it */
#pragma omp parallel for schedule(static) if (n >= ((size_t)1 << 17))
    for (size_t i = 0; i < n; i++)
        a[i] = (sol__item){income[i], d->weight[i], domain ? domain[i] : 0, (uint32_t)i};
    if ((rc = sol__items_sort(a, b, n)) != SOL_OK)
        goto fail;
    rc = SOL_ENOMEM; /* what a failed allocation below returns */

    /* the line from the whole population (or fixed) */
    double q50, half = 0.5;
    seg_quantiles(a, n, (double)W, &half, 1, &q50);
    double line = o.line > 0 ? o.line : o.line_share * q50;
    if (!o.line_by_domain && line > xmax) {
        rc = sol__err(err, SOL_EINVAL,
                      "the poverty line %.17g is above every income (the highest is %.17g): "
                      "everyone would be poor; check the line and the income unit",
                      line, xmax);
        goto fail;
    }
    /* the whole population's line is estimated: its linearised variable, once */
    if (o.line == 0 && !o.line_by_domain) {
        double h = bandwidth(a, n, (double)W), fq = kernel_density(a, n, (double)W, q50, h);
        if (fq > 0 && isfinite(fq)) {
            if ((zb = sol__malloc(n * sizeof *zb)) == NULL)
                goto fail;
            double c = -o.line_share / ((double)W * fq);
#pragma omp parallel for schedule(static) if (n >= ((size_t)1 << 17))
            for (size_t i = 0; i < n; i++)
                zb[i] = d->weight[i] * c * ((income[i] <= q50 ? 1.0 : 0.0) - 0.5);
            double *z = zb;
            zb = NULL; /* taken */
            if (sol__design_centred_units_take(dw, z, &lv.bc, &lv.vb) != SOL_OK ||
                (lv.var0 = sol__calloc(nd + 1, sizeof *lv.var0)) == NULL ||
                (lv.fprime = sol__calloc(nd + 1, sizeof *lv.fprime)) == NULL)
                goto fail;
            lv.dw = dw;
            for (int t = 0; t < nth; t++)
                wk[t].lv = &lv;
        }
    }
    res->line_share = o.line > 0 ? NAN : o.line_share;
    res->n_rows = nd + 1;
    res->n_strata = dw->n_strata;
    res->n_psu = dw->n_units;
    res->lonely_strata = dw->lonely;

    if (nd > 0) {
        /* stable distribution by domain keeps each domain sorted by income */
        if ((off = sol__calloc(nd + 1, sizeof *off)) == NULL ||
            (order = sol__malloc(nd * sizeof *order)) == NULL)
            goto fail;
        for (size_t i = 0; i < n; i++)
            off[a[i].d + 1]++;
        for (size_t k = 0; k < nd; k++)
            off[k + 1] += off[k];
        for (size_t i = 0; i < n; i++)
            b[off[a[i].d]++] = a[i];
        for (size_t k = nd; k > 0; k--)
            off[k] = off[k - 1];
        off[0] = 0;
        for (uint32_t k = 0; k < nd; k++)
            order[k] = (named){domain_names[k], k};
        qsort(order, nd, sizeof *order, cmp_named);
    }
    /* the whole sample first (the longest task), then the domains, over the threads: each
     * segment is computed by one thread in one order, so results do not depend on the count */
#pragma omp parallel for schedule(dynamic, 1)
    for (size_t t = 0; t <= nd; t++) {
        int th = 0;
#ifdef _OPENMP
        th = omp_get_thread_num();
#endif
        if (t == 0) {
            estimate_segment(&wk[th], a, n, line, o.line_share, &res->rows[nd], nd);
            res->rows[nd].domain = "total";
        } else {
            uint32_t k = order[t - 1].k;
            estimate_segment(&wk[th], b + off[k], off[k + 1] - off[k], line, o.line_share,
                             &res->rows[t - 1], t - 1);
            res->rows[t - 1].domain = domain_names[k];
        }
    }
    if (lv.bc && line_covariance(&lv, income, d, domain, nd, line, &o, res, order) != SOL_OK)
        goto fail;
    *out = res;
    res = NULL;
    rc = SOL_OK;
fail: /* and the cleanup after success */
    if (rc == SOL_ENOMEM)
        sol__err(err, rc, "out of memory");
    sol__free_n(5, a, b, off, order, zb);
    linevar_free(&lv);
    free_work(wk, nth);
    sol__design_free(dw);
    sol_poverty_result_free(res);
    return rc;
}
