/* short.c - forecasts of short annual series (4 to 6 values) by a random walk with drift, with
 * intervals that allow for the drift's uncertainty and for a standard deviation estimated from a
 * handful of differences (Student's t). */
#include <solidata/timeseries.h>

#include <solidata/limits.h>

#include "core/core.h"
#include "time/time_int.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

sol_status sol_ts_rwdrift(const sol_ts *ts, size_t horizon, sol_ets_result *out, sol_error *err)
{
    memset(out, 0, sizeof *out);
    if (horizon < 1 || horizon > SOL_MAX_TS_HORIZON)
        return sol__err(err, SOL_EINVAL, "horizon %zu: expected 1 to %u periods", horizon,
                        SOL_MAX_TS_HORIZON);
    size_t nobs = 0, first = ts->n, last = 0;
    for (size_t i = 0; i < ts->n; i++)
        if (!isnan(ts->y[i])) {
            nobs++;
            first = i < first ? i : first;
            last = i;
        }
    if (nobs < SOL_TS_SHORT_MIN)
        return sol__err(err, SOL_EINVAL,
                        "series '%s': too short to forecast: %zu values; a forecast needs at "
                        "least %d",
                        SOL__TS_NAME(ts), nobs, SOL_TS_SHORT_MIN);
    size_t T = last - first + 1;
    double *y = sol__malloc(T * sizeof *y);
    double *blk = sol__malloc(5 * horizon * sizeof *blk);
    if (y == NULL || blk == NULL) {
        sol__free(y);
        sol__free(blk);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    /* the values from the first observed to the last, interior gaps interpolated linearly */
    size_t prev = 0, interpolated = 0;
    for (size_t i = 0; i < T; i++) {
        double v = ts->y[first + i];
        if (!isnan(v)) {
            y[i] = v;
            prev = i;
            continue;
        }
        size_t next = i + 1;
        while (isnan(ts->y[first + next]))
            next++;
        double a = ts->y[first + prev], b = ts->y[first + next];
        y[i] = a + (b - a) * (double)(i - prev) / (double)(next - prev);
        interpolated++;
    }
    /* drift: the mean difference; sigma: the standard deviation of the differences */
    size_t nd = T - 1;
    double drift = (y[T - 1] - y[0]) / (double)nd, ss = 0;
    for (size_t i = 1; i < T; i++) {
        double e = y[i] - y[i - 1] - drift;
        ss += e * e;
    }
    double df = (double)(nd - 1), sigma2 = ss / df;
    double t80 = gsl_cdf_tdist_Pinv(0.9, df), t95 = gsl_cdf_tdist_Pinv(0.975, df);
    out->mean = blk, out->lo80 = blk + horizon, out->hi80 = blk + 2 * horizon,
    out->lo95 = blk + 3 * horizon, out->hi95 = blk + 4 * horizon;
    for (size_t k = 0; k < horizon; k++) {
        double h = (double)(k + 1);
        double se = sqrt(sigma2 * h * (1 + h / (double)nd));
        out->mean[k] = y[T - 1] + h * drift;
        out->lo80[k] = out->mean[k] - t80 * se;
        out->hi80[k] = out->mean[k] + t80 * se;
        out->lo95[k] = out->mean[k] - t95 * se;
        out->hi95[k] = out->mean[k] + t95 * se;
    }
    snprintf(out->name, sizeof out->name, "%s", SOL_TS_RWDRIFT_NAME);
    out->m = 1;
    out->n = T;
    out->first = first;
    out->interpolated = interpolated;
    out->alpha = out->beta = out->gamma = out->phi = NAN;
    out->nstate = 2;
    out->init[0] = y[T - 1];
    out->init[1] = drift;
    out->sigma2 = sigma2;
    out->loglik = out->aic = out->aicc = out->bic = NAN;
    out->npar = 2;
    out->h = horizon;
    sol__free(y);
    return SOL_OK;
}
