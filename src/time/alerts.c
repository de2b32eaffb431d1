/* alerts.c - the tests behind an alert of an emerging need in one series: recent trend
 * (Mann-Kendall, Sen), change (Pettitt) and latest-period anomaly (robust z). */
#include <solidata/timeseries.h>

#include "core/core.h"
#include "time/time_int.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Noise scale from the first differences of consecutive observed values. */
static double noise_scale(const sol_ts *ts)
{
    double *d = sol__malloc((ts->n ? ts->n : 1) * sizeof *d);
    if (d == NULL)
        return 1;
    size_t k = 0;
    for (size_t i = 1; i < ts->n; i++)
        if (!isnan(ts->y[i]) && !isnan(ts->y[i - 1]))
            d[k++] = ts->y[i] - ts->y[i - 1];
    double mean = 0, ss = 0;
    for (size_t i = 0; i < k; i++)
        mean += d[i];
    mean = k ? mean / (double)k : 0;
    for (size_t i = 0; i < k; i++)
        ss += (d[i] - mean) * (d[i] - mean);
    double sd = k > 1 ? sqrt(ss / (double)(k - 1)) : 0;
    double big = 0;
    for (size_t i = 0; i < ts->n; i++)
        if (!isnan(ts->y[i]) && fabs(ts->y[i]) > big)
            big = fabs(ts->y[i]);
    double med = sol__ts_median(d, k);
    for (size_t i = 0; i < k; i++)
        d[i] = fabs(d[i] - med);
    double s = 1.4826 * sol__ts_median(d, k) / sqrt(2.0);
    sol__free(d);
    if (!(s > 0))
        s = sd / sqrt(2.0);
    double floor = 1e-3 * big; /* a steady series: noise no smaller than 0.1% of its level */
    s = s > floor ? s : floor;
    return s > 0 ? s : 1;
}

void sol_ts_alert_tests(const sol_ts *ts, int64_t since, sol_alert_test out[3])
{
    memset(out, 0, 3 * sizeof *out);
    if (ts->n == 0)
        return;
    double noise = noise_scale(ts);
    int f = sol_ts_frequency(ts->freq);
    int64_t end = ts->start + (int64_t)ts->n - 1;

    /* trend over the window */
    if (since <= end) {
        int64_t s0 = since > ts->start ? since : ts->start;
        sol_ts w = *ts;
        w.start = s0;
        w.n = (size_t)(end - s0 + 1);
        w.y = ts->y + (s0 - ts->start);
        w.n_missing = 0;
        for (size_t i = 0; i < w.n; i++)
            w.n_missing += isnan(w.y[i]);
        sol_trend tr;
        sol_trend_opts o = {0, 0, 0};
        if (w.n - w.n_missing >= 4 && sol_ts_trend(&w, &o, &tr, NULL) == SOL_OK && !isnan(tr.p)) {
            sol_alert_test *t = &out[SOL_ALERT_TREND];
            t->ran = 1;
            t->p = tr.p;
            t->rising = tr.sen > 0 ? 1 : tr.sen < 0 ? -1 : tr.s >= 0 ? 1 : -1;
            t->strength = fabs(tr.sen) * (double)(w.n - 1) / noise;
            t->since = s0;
            t->a = tr.sen * (f > 0 ? f : 1);
        }
    }

    /* change over the whole series, kept when it falls in the window */
    size_t nobs = ts->n - ts->n_missing;
    sol_cpt_opts co = {SOL_CPT_PETTITT, SOL_CPT_MEAN, SOL_CPT_MBIC};
    sol_cpt_result cr = {0};
    if (nobs >= 6 && sol_ts_changepoints(ts, &co, &cr, NULL) == SOL_OK && cr.ncpt == 1) {
        size_t tau = cr.cpt[0].tau, seen = 0, first_after = ts->n;
        double sb = 0, sa = 0;
        size_t nb = 0, na = 0;
        for (size_t i = 0; i < ts->n; i++) {
            if (isnan(ts->y[i]))
                continue;
            if (++seen <= tau) {
                sb += ts->y[i], nb++;
            } else {
                if (first_after == ts->n)
                    first_after = i;
                sa += ts->y[i], na++;
            }
        }
        int64_t at = ts->start + (int64_t)first_after;
        if (nb && na && at >= since && !isnan(cr.cpt[0].p)) {
            sol_alert_test *t = &out[SOL_ALERT_CHANGE];
            t->ran = 1;
            t->p = cr.cpt[0].p;
            t->a = sb / (double)nb;
            t->b = sa / (double)na;
            t->rising = t->b >= t->a ? 1 : -1;
            t->strength = fabs(t->b - t->a) / noise;
            t->since = at;
        }
    }
    sol_cpt_result_clear(&cr);

    /* anomaly of the latest period with a remainder */
    sol_anomaly an;
    if (sol_ts_anomalies(ts, NULL, &an, NULL) == SOL_OK) {
        size_t i = an.n;
        while (i > 0 && isnan(an.z[i - 1]))
            i--;
        if (i > 0 && ts->start + (int64_t)(i - 1) >= since) {
            sol_alert_test *t = &out[SOL_ALERT_ANOMALY];
            double z = an.z[i - 1];
            t->ran = 1;
            size_t k = 0;
            for (size_t j = 0; j < an.n; j++)
                k += !isnan(an.z[j]);
            double q =
                k > 3 ? gsl_cdf_tdist_Q(fabs(z), (double)(k - 2)) : gsl_cdf_ugaussian_Q(fabs(z));
            t->p = 2 * (q < 0.5 ? q : 0.5);
            t->strength = fabs(z);
            t->rising = z >= 0 ? 1 : -1;
            t->since = ts->start + (int64_t)(i - 1);
            t->a = ts->y[i - 1];
            t->b = ts->y[i - 1] - an.remainder[i - 1];
        }
        sol_anomaly_clear(&an);
    }
}
