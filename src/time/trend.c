/* trend.c - Mann-Kendall trend test with tie correction, Kendall's tau-b, Sen's slope with
 * Gilbert's interval, the seasonal Kendall test and the Hamed-Rao autocorrelation correction. */
#include <solidata/timeseries.h>

#include "core/core.h"
#include "time/time_int.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

static int dbl_cmp(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b ? 1 : 0;
}

double sol__ts_median(double *x, size_t n)
{
    if (n == 0)
        return NAN;
    qsort(x, n, sizeof *x, dbl_cmp);
    return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

static double sgn(double d)
{
    return d > 0 ? 1.0 : d < 0 ? -1.0 : 0.0;
}

/* Mann-Kendall S of x[0..n) in order. */
static double mk_score(const double *x, size_t n)
{
    double s = 0;
    for (size_t j = 1; j < n; j++)
        for (size_t i = 0; i < j; i++)
            s += sgn(x[j] - x[i]);
    return s;
}

/* Tie sums over groups of equal values: a = sum t(t-1)(2t+5), b = sum t(t-1). `tmp` holds n. */
static void tie_sums(const double *x, size_t n, double *tmp, double *a, double *b)
{
    for (size_t i = 0; i < n; i++)
        tmp[i] = x[i];
    qsort(tmp, n, sizeof *tmp, dbl_cmp);
    *a = *b = 0;
    size_t i = 0;
    while (i < n) {
        size_t j = i + 1;
        while (j < n && tmp[j] == tmp[i])
            j++;
        double t = (double)(j - i);
        *a += t * (t - 1) * (2 * t + 5);
        *b += t * (t - 1);
        i = j;
    }
}

static double var_s(double n, double tie_a)
{
    return (n * (n - 1) * (2 * n + 5) - tie_a) / 18.0;
}

/* Denominator of tau-b when only x has ties (trend's .Dfn). */
static double tau_denominator(double n, double tie_b)
{
    double n0 = 0.5 * n * (n - 1);
    return sqrt(n0 - 0.5 * tie_b) * sqrt(n0);
}

static void z_and_p(double s, double v, double *z, double *p)
{
    *z = sgn(s) * (fabs(s) - 1) / sqrt(v);
    double q = gsl_cdf_ugaussian_Q(fabs(*z));
    *p = 2 * (q < 0.5 ? q : 0.5);
}

/* Gilbert's interval from sorted slopes d[0..k): ranks rounded half to even as R's round(). */
static void gilbert(const double *d, size_t k, double v, double conf, double *lo, double *hi)
{
    double c = gsl_cdf_ugaussian_Pinv(1 - (1 - conf) / 2) * sqrt(v);
    double rup = nearbyint(((double)k + c) / 2 + 1), rlo = nearbyint(((double)k - c) / 2);
    *lo = (rlo >= 1 && rlo <= (double)k) ? d[(size_t)rlo - 1] : NAN;
    *hi = (rup >= 1 && rup <= (double)k) ? d[(size_t)rup - 1] : NAN;
}

void sol__ts_ranks(const double *x, size_t n, double *r, double *tmp)
{
    for (size_t i = 0; i < n; i++)
        tmp[i] = x[i];
    qsort(tmp, n, sizeof *tmp, dbl_cmp);
    for (size_t i = 0; i < n; i++) {
        /* lower and upper bounds of x[i] among the sorted values */
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t m = (lo + hi) / 2;
            if (tmp[m] < x[i])
                lo = m + 1;
            else
                hi = m;
        }
        size_t first = lo;
        hi = n;
        while (lo < hi) {
            size_t m = (lo + hi) / 2;
            if (tmp[m] <= x[i])
                lo = m + 1;
            else
                hi = m;
        }
        r[i] = 0.5 * ((double)first + 1 + (double)lo);
    }
}

/* Hamed-Rao n/n* as modifiedmk::mmkh: significant autocorrelations of the ranks of the
 * Sen-detrended series. `w` holds 3n doubles. */
static double hamed_rao_ratio(const double *x, size_t n, double slope, double conf, double *w)
{
    double *xn = w, *r = w + n, *tmp = w + 2 * n;
    for (size_t i = 0; i < n; i++)
        xn[i] = x[i] - slope * (double)(i + 1);
    sol__ts_ranks(xn, n, r, tmp);
    double m = 0;
    for (size_t i = 0; i < n; i++)
        m += r[i];
    m /= (double)n;
    double c0 = 0;
    for (size_t i = 0; i < n; i++)
        c0 += (r[i] - m) * (r[i] - m);
    double sig = gsl_cdf_ugaussian_Pinv((1 + conf) / 2) / sqrt((double)n), ess = 0;
    double dn = (double)n;
    for (size_t lag = 1; lag < n; lag++) {
        double ck = 0;
        for (size_t t = 0; t + lag < n; t++)
            ck += (r[t] - m) * (r[t + lag] - m);
        double ro = ck / c0;
        if (!(ro > sig || ro < -sig))
            ro = 0;
        double di = (double)lag;
        ess += (dn - di) * (dn - di - 1) * (dn - di - 2) * ro;
    }
    return 1 + ess * 2 / (dn * (dn - 1) * (dn - 2));
}

static sol_status trend_plain(const double *x, const double *t, size_t n, const sol_trend_opts *o,
                              double conf, sol_trend *r, sol_error *err)
{
    size_t k = n * (n - 1) / 2;
    double *d = sol__malloc(k * sizeof *d), *w = sol__malloc(3 * n * sizeof *w);
    if (d == NULL || w == NULL) {
        sol__free(d);
        sol__free(w);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    double ta, tb;
    tie_sums(x, n, w, &ta, &tb);
    r->n = n;
    r->s = mk_score(x, n);
    r->var_s = var_s((double)n, ta);
    r->tau = r->s / tau_denominator((double)n, tb);
    size_t q = 0;
    for (size_t i = 0; i + 1 < n; i++)
        for (size_t j = i + 1; j < n; j++)
            d[q++] = (x[j] - x[i]) / (t[j] - t[i]);
    r->sen = sol__ts_median(d, k); /* sorts d */
    gilbert(d, k, r->var_s, conf, &r->sen_lo, &r->sen_hi);
    r->ess_ratio = 1;
    if (o->hamed_rao) {
        r->ess_ratio = hamed_rao_ratio(x, n, r->sen, conf, w);
        r->var_s *= r->ess_ratio;
    }
    z_and_p(r->s, r->var_s, &r->z, &r->p);
    sol__free(d);
    sol__free(w);
    return SOL_OK;
}

static sol_status trend_seasonal(const sol_ts *ts, double conf, sol_trend *r, sol_error *err)
{
    int per = sol_ts_frequency(ts->freq);
    if (per < 2)
        return sol__err(err, SOL_EINVAL,
                        "series '%s': the seasonal test needs quarterly or monthly periods",
                        SOL__TS_NAME(ts));
    size_t ny = ts->n / (size_t)per + 2, kmax = (size_t)per * ny * (ny - 1) / 2;
    double *x = sol__malloc(ny * sizeof *x), *t = sol__malloc(ny * sizeof *t);
    double *w = sol__malloc(ny * sizeof *w), *d = sol__malloc((kmax ? kmax : 1) * sizeof *d);
    if (x == NULL || t == NULL || w == NULL || d == NULL) {
        sol__free(x), sol__free(t), sol__free(w), sol__free(d);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    double s = 0, v = 0, den = 0;
    size_t k = 0, nobs = 0, used = 0;
    for (int season = 0; season < per; season++) {
        size_t m = 0;
        for (size_t i = 0; i < ts->n; i++) {
            int64_t idx = ts->start + (int64_t)i;
            if ((int)(idx % per) != season || isnan(ts->y[i]))
                continue;
            x[m] = ts->y[i];
            t[m] = (double)(idx / per);
            m++;
        }
        nobs += m;
        if (m < 2)
            continue;
        used++;
        double ta, tb;
        tie_sums(x, m, w, &ta, &tb);
        s += mk_score(x, m);
        v += var_s((double)m, ta);
        den += tau_denominator((double)m, tb);
        for (size_t i = 0; i + 1 < m; i++)
            for (size_t j = i + 1; j < m; j++)
                d[k++] = (x[j] - x[i]) / (t[j] - t[i]);
    }
    sol_status rc = SOL_OK;
    if (used == 0) {
        rc = sol__err(err, SOL_EINVAL, "series '%s': no season has two values", SOL__TS_NAME(ts));
    } else {
        r->n = nobs;
        r->s = s;
        r->var_s = v;
        r->tau = s / den;
        z_and_p(s, v, &r->z, &r->p);
        r->sen = sol__ts_median(d, k);
        gilbert(d, k, v, conf, &r->sen_lo, &r->sen_hi);
        r->ess_ratio = 1;
    }
    sol__free(x), sol__free(t), sol__free(w), sol__free(d);
    return rc;
}

sol_status sol_ts_trend(const sol_ts *ts, const sol_trend_opts *o, sol_trend *out, sol_error *err)
{
    sol_trend_opts def = {0, 0, 0.95};
    if (o == NULL)
        o = &def;
    double conf = o->conf > 0 ? o->conf : 0.95;
    if (!(conf < 1))
        return sol__err(err, SOL_EINVAL, "confidence level %g: expected 0 < level < 1", conf);
    sol_trend r = {0};
    if (o->seasonal) {
        sol_status rc = trend_seasonal(ts, conf, &r, err);
        if (rc == SOL_OK)
            *out = r;
        return rc;
    }
    if (o->hamed_rao && ts->n_missing > 0)
        return sol__err(err, SOL_EINVAL,
                        "series '%s' has %zu gaps: the Hamed-Rao correction needs consecutive "
                        "periods",
                        SOL__TS_NAME(ts), ts->n_missing);
    size_t n = ts->n - ts->n_missing;
    if (ts->y == NULL || n < 3)
        return sol__err(err, SOL_EINVAL, "series '%s' has %zu values; the trend test needs 3",
                        SOL__TS_NAME(ts), ts->y == NULL ? (size_t)0 : n);
    double *x = sol__malloc(n * sizeof *x), *t = sol__malloc(n * sizeof *t);
    if (x == NULL || t == NULL) {
        sol__free(x), sol__free(t);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    size_t m = 0;
    for (size_t i = 0; i < ts->n; i++)
        if (!isnan(ts->y[i])) {
            x[m] = ts->y[i];
            t[m++] = (double)i;
        }
    sol_status rc = trend_plain(x, t, n, o, conf, &r, err);
    sol__free(x), sol__free(t);
    if (rc == SOL_OK)
        *out = r;
    return rc;
}
