/* changepoint.c - change points of one series: Pettitt's rank test, and at-most-one-change (AMOC)
 * and PELT for a change in mean, variance or both under a normal likelihood, with BIC or MBIC
 * penalties, following R's trend::pettitt.test and changepoint::cpt.mean/cpt.var/cpt.meanvar. */
#include <solidata/timeseries.h>

#include "core/core.h"
#include "time/time_int.h"

#include <math.h>
#include <stdlib.h>

#define LOG_2PI 1.8378770664093454836 /* log(2 pi) */

static sol_status pettitt(const double *x, size_t n, sol_cpt_result *r)
{
    double *rk = sol__malloc(2 * n * sizeof *rk);
    sol_cpt *c = sol__calloc(1, sizeof *c);
    if (rk == NULL || c == NULL) {
        sol__free(rk), sol__free(c);
        return SOL_ENOMEM;
    }
    sol__ts_ranks(x, n, rk, rk + n);
    double cum = 0, best = -1, dn = (double)n;
    size_t k_best = 1;
    for (size_t k = 1; k <= n; k++) {
        cum += rk[k - 1];
        double u = fabs(2 * cum - (double)k * (dn + 1));
        if (u > best) {
            best = u;
            k_best = k;
        }
    }
    double p = 2.0 * exp(-6.0 * best * best / (dn * dn * dn + dn * dn));
    *c = (sol_cpt){k_best, best, p < 1 ? p : 1};
    r->ncpt = 1;
    r->cpt = c;
    sol__free(rk);
    return SOL_OK;
}

/* Cumulative sums with a leading 0: s1 of x, s2 of x^2, s3 of (x - mean)^2. */
typedef struct sums {
    double *s1, *s2, *s3;
} sums;

/* Segment cost (x[a..b), 0-based, b > a) as changepoint's C cost functions, without MBIC term. */
static double seg_cost(const sums *s, sol_cpt_type type, size_t a, size_t b)
{
    double m = (double)(b - a), x = s->s1[b] - s->s1[a], x2 = s->s2[b] - s->s2[a];
    double x3 = s->s3[b] - s->s3[a];
    if (type == SOL_CPT_MEAN)
        return x2 - x * x / m;
    if (type == SOL_CPT_VAR) {
        if (x3 <= 0)
            x3 = 1e-11;
        return m * (LOG_2PI + log(x3 / m) + 1);
    }
    double sig = (x2 - x * x / m) / m;
    if (sig <= 0)
        sig = 1e-11;
    return m * (LOG_2PI + log(sig) + 1);
}

/* changepoint's single.*.norm.calc and decision(): the best split and its test statistic. */
static void amoc(const sums *s, sol_cpt_type type, int mbic, size_t n, size_t minseg,
                 size_t *tau_out, double *stat)
{
    double dn = (double)n, y = s->s1[n], y2 = s->s2[n], y3 = s->s3[n], null;
    if (type == SOL_CPT_MEAN)
        null = y2 - y * y / dn;
    else if (type == SOL_CPT_VAR)
        null = dn * log(y3 / dn);
    else
        null = dn * log((y2 - y * y / dn) / dn);
    double best = INFINITY;
    size_t tau_best = 0;
    for (size_t tau = minseg; tau <= n - minseg + 1; tau++) {
        double t = (double)tau, rest = dn - t, v;
        if (type == SOL_CPT_MEAN) {
            v = s->s2[tau] - s->s1[tau] * s->s1[tau] / t + (y2 - s->s2[tau]) -
                (y - s->s1[tau]) * (y - s->s1[tau]) / rest;
        } else {
            double s1, sn;
            if (type == SOL_CPT_VAR) {
                s1 = s->s3[tau] / t;
                sn = (y3 - s->s3[tau]) / rest;
            } else {
                s1 = (s->s2[tau] - s->s1[tau] * s->s1[tau] / t) / t;
                sn = ((y2 - s->s2[tau]) - (y - s->s1[tau]) * (y - s->s1[tau]) / rest) / rest;
            }
            if (s1 <= 0)
                s1 = 1e-10;
            if (sn <= 0)
                sn = 1e-10;
            v = t * log(s1) + rest * log(sn);
        }
        if (!isnan(v) && v < best) {
            best = v;
            tau_best = tau;
        }
    }
    if (mbic)
        best += log((double)tau_best) + log(dn - (double)tau_best + 1);
    *tau_out = tau_best;
    *stat = isfinite(best) ? null - best : null;
}

/* PELT as changepoint's PELTC; cpts (1-based ends of segments, n last) into cp, count in *ncp.
 * `w` holds 3(n+1) doubles/ints worth of space (like, last, check). */
static sol_status pelt(const sums *s, sol_cpt_type type, int mbic, size_t n, size_t minseg,
                       double pen, size_t *cp, size_t *ncp)
{
    double *like = sol__calloc(n + 1, sizeof *like), *tmp = sol__calloc(n + 1, sizeof *tmp);
    size_t *last = sol__calloc(n + 1, sizeof *last), *check = sol__calloc(n + 1, sizeof *check);
    if (like == NULL || tmp == NULL || last == NULL || check == NULL) {
        sol__free(like), sol__free(tmp), sol__free(last), sol__free(check);
        return SOL_ENOMEM;
    }
#define COST(a, b) (seg_cost(s, type, (a), (b)) + (mbic ? log((double)((b) - (a))) : 0.0))
    like[0] = -pen;
    for (size_t j = minseg; j < 2 * minseg && j <= n; j++)
        like[j] = COST(0, j);
    size_t nc = 2;
    check[0] = 0;
    check[1] = minseg;
    for (size_t t = 2 * minseg; t <= n; t++) {
        size_t which = 0;
        double minv = INFINITY;
        for (size_t i = 0; i < nc; i++) {
            tmp[i] = like[check[i]] + COST(check[i], t) + pen;
            if (i == 0 || tmp[i] < minv) {
                minv = tmp[i];
                which = i;
            }
        }
        like[t] = minv;
        last[t] = check[which];
        size_t k = 0;
        for (size_t i = 0; i < nc; i++)
            if (tmp[i] <= like[t] + pen)
                check[k++] = check[i];
        nc = k;
        check[nc++] = t - (minseg - 1);
    }
#undef COST
    size_t m = 0, at = n;
    while (at != 0) {
        cp[m++] = at;
        at = last[at];
    }
    /* reverse into time order */
    for (size_t i = 0; i < m / 2; i++) {
        size_t t = cp[i];
        cp[i] = cp[m - 1 - i];
        cp[m - 1 - i] = t;
    }
    *ncp = m;
    sol__free(like), sol__free(tmp), sol__free(last), sol__free(check);
    return SOL_OK;
}

sol_status sol_ts_changepoints(const sol_ts *ts, const sol_cpt_opts *o, sol_cpt_result *out,
                               sol_error *err)
{
    size_t n = ts->y ? ts->n - ts->n_missing : 0;
    sol_cpt_type type = o->type;
    size_t need = o->method == SOL_CPT_PETTITT ? 3 : type == SOL_CPT_MEAN ? 2 : 4;
    if (n < need)
        return sol__err(err, SOL_EINVAL, "series '%s' has %zu values; this method needs %zu",
                        SOL__TS_NAME(ts), n, need);
    sol_status rc = SOL_ENOMEM;
    sol_cpt_result r = {0};
    r.n = n;
    double *x = sol__malloc(n * sizeof *x);
    sums s = {0};
    size_t *cp = NULL;
    if (x == NULL)
        goto fail;
    size_t m = 0;
    for (size_t i = 0; i < ts->n; i++)
        if (!isnan(ts->y[i]))
            x[m++] = ts->y[i];
    if (o->method == SOL_CPT_PETTITT) {
        if ((rc = pettitt(x, n, &r)) != SOL_OK)
            goto fail;
        sol__free(x);
        *out = r;
        return SOL_OK;
    }
    s.s1 = sol__malloc((n + 1) * sizeof(double));
    s.s2 = sol__malloc((n + 1) * sizeof(double));
    s.s3 = sol__malloc((n + 1) * sizeof(double));
    cp = sol__malloc((n + 1) * sizeof *cp);
    if (s.s1 == NULL || s.s2 == NULL || s.s3 == NULL || cp == NULL)
        goto fail;
    double mean = 0;
    for (size_t i = 0; i < n; i++)
        mean += x[i];
    mean /= (double)n;
    s.s1[0] = s.s2[0] = s.s3[0] = 0;
    for (size_t i = 0; i < n; i++) {
        s.s1[i + 1] = s.s1[i] + x[i];
        s.s2[i + 1] = s.s2[i] + x[i] * x[i];
        s.s3[i + 1] = s.s3[i] + (x[i] - mean) * (x[i] - mean);
    }
    int mbic = o->penalty == SOL_CPT_MBIC;
    size_t minseg = type == SOL_CPT_MEAN ? 1 : 2;
    double logn = log((double)n);
    if (o->method == SOL_CPT_AMOC) {
        /* penalty_decision with diffparam 1 for every AMOC cost */
        r.penalty = (mbic ? 3 : 2) * logn;
        size_t tau;
        double stat;
        amoc(&s, type, mbic, n, minseg, &tau, &stat);
        if (stat >= r.penalty && tau > 0 && tau < n) {
            if ((r.cpt = sol__calloc(1, sizeof *r.cpt)) == NULL)
                goto fail;
            r.cpt[0] = (sol_cpt){tau, stat, NAN};
            r.ncpt = 1;
        }
    } else {
        double diff = type == SOL_CPT_MEANVAR ? 2 : 1;
        r.penalty = (diff + (mbic ? 2 : 1)) * logn;
        size_t ncp;
        if ((rc = pelt(&s, type, mbic, n, minseg, r.penalty, cp, &ncp)) != SOL_OK)
            goto fail;
        rc = SOL_ENOMEM;
        if (ncp > 1 && (r.cpt = sol__calloc(ncp - 1, sizeof *r.cpt)) == NULL)
            goto fail;
        for (size_t i = 0; i + 1 < ncp; i++) {
            size_t a = i ? cp[i - 1] : 0, t = cp[i], b = cp[i + 1];
            double saved =
                seg_cost(&s, type, a, b) - seg_cost(&s, type, a, t) - seg_cost(&s, type, t, b);
            r.cpt[i] = (sol_cpt){t, saved, NAN};
        }
        r.ncpt = ncp - 1;
    }
    sol__free(x), sol__free(s.s1), sol__free(s.s2), sol__free(s.s3), sol__free(cp);
    *out = r;
    return SOL_OK;
fail:
    sol__free(x), sol__free(s.s1), sol__free(s.s2), sol__free(s.s3), sol__free(cp);
    sol_cpt_result_clear(&r);
    return sol__err(err, rc, "out of memory");
}

void sol_cpt_result_clear(sol_cpt_result *r)
{
    if (r == NULL)
        return;
    sol__free(r->cpt);
    r->cpt = NULL;
    r->ncpt = 0;
}

void sol_ts_change_periods(const sol_ts *ts, size_t tau, char before[16], char after[16])
{
    size_t seen = 0, i = 0;
    for (; i < ts->n; i++)
        if (!isnan(ts->y[i]) && ++seen == tau)
            break;
    sol_ts_period_label(ts->freq, ts->start + (int64_t)i, before);
    size_t j = i + 1;
    while (j < ts->n && isnan(ts->y[j]))
        j++;
    sol_ts_period_label(ts->freq, ts->start + (int64_t)j, after);
}
