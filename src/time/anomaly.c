/* anomaly.c - seasonal-trend decomposition (classical, as R's decompose; a Theil-Sen line for
 * annual series) and robust z-scores of the remainder; Benjamini-Hochberg adjusted p-values. */
#include <solidata/timeseries.h>

#include "core/core.h"
#include "time/time_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Annual series longer than this are refused (the Theil-Sen line is quadratic in n). */
#define SOL_MAX_TS_SEN 20000u

void sol_anomaly_clear(sol_anomaly *a)
{
    if (a == NULL)
        return;
    sol__free_n(5, a->trend, a->seasonal, a->remainder, a->z, a->anomaly);
    memset(a, 0, sizeof *a);
}

/* Theil-Sen line through the observed values (slope: median of the pairwise slopes; intercept:
 * median of y - slope t), evaluated at every period; `tmp` holds n(n-1)/2 doubles. */
static void sen_line(const double *y, size_t n, double *t, double *tmp)
{
    size_t k = 0;
    for (size_t j = 1; j < n; j++)
        for (size_t i = 0; i < j; i++)
            if (!isnan(y[i]) && !isnan(y[j]))
                tmp[k++] = (y[j] - y[i]) / (double)(j - i);
    double b = sol__ts_median(tmp, k);
    k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(y[i]))
            tmp[k++] = y[i] - b * (double)i;
    double a = sol__ts_median(tmp, k);
    for (size_t i = 0; i < n; i++)
        t[i] = a + b * (double)i;
}

/* R's decompose(): centred moving average of one year, seasonal figure by position. */
static sol_status classical(const double *y, size_t n, int f, int mult, double *trend, double *seas)
{
    size_t m = (size_t)(f % 2 ? f : f + 1), o = m / 2;
    for (size_t i = 0; i < n; i++) {
        trend[i] = NAN;
        if (i < o || i + o >= n)
            continue;
        double s = 0;
        for (size_t j = 0; j < m; j++) {
            double w = (f % 2 == 0 && (j == 0 || j == m - 1)) ? 0.5 : 1.0;
            s += w * y[i - o + j];
        }
        trend[i] = s / f;
    }
    double *fig = sol__calloc((size_t)f, sizeof *fig);
    if (fig == NULL)
        return SOL_ENOMEM;
    double mean = 0;
    for (int k = 0; k < f; k++) {
        double s = 0;
        size_t c = 0;
        for (size_t i = (size_t)k; i < n; i += (size_t)f) {
            if (isnan(trend[i]))
                continue;
            s += mult ? y[i] / trend[i] : y[i] - trend[i];
            c++;
        }
        fig[k] = c ? s / (double)c : NAN;
        mean += fig[k];
    }
    mean /= f;
    for (size_t i = 0; i < n; i++)
        seas[i] = mult ? fig[i % (size_t)f] / mean : fig[i % (size_t)f] - mean;
    sol__free(fig);
    return SOL_OK;
}

sol_status sol_ts_anomalies(const sol_ts *ts, const sol_anomaly_opts *o, sol_anomaly *out,
                            sol_error *err)
{
    memset(out, 0, sizeof *out);
    int f = sol_ts_frequency(ts->freq);
    double thr = o && o->threshold > 0 ? o->threshold : 3.5;
    int mult = o ? o->multiplicative : 0;
    size_t n = ts->n;
    if (ts->n_missing && f >= 2)
        return sol__err(err, SOL_EINVAL,
                        "series '%s' has %zu gap%s: the decomposition needs consecutive values "
                        "(fill or drop the missing periods)",
                        SOL__TS_NAME(ts), ts->n_missing, ts->n_missing > 1 ? "s" : "");
    if (f >= 2 && n < 2 * (size_t)f)
        return sol__err(err, SOL_EINVAL,
                        "series '%s' has %zu %s values: a seasonal decomposition needs two full "
                        "years (%d)",
                        SOL__TS_NAME(ts), n, sol__ts_freq_name(ts->freq), 2 * f);
    if (n - ts->n_missing < 3)
        return sol__err(err, SOL_EINVAL,
                        "series '%s' has %zu values: a robust trend line needs at least 3",
                        SOL__TS_NAME(ts), n - ts->n_missing);
    if (f < 2 && n > SOL_MAX_TS_SEN)
        return sol__err(err, SOL_ELIMIT,
                        "series '%s' has %zu annual values: the robust trend line is limited to "
                        "%u",
                        SOL__TS_NAME(ts), n, (unsigned)SOL_MAX_TS_SEN);
    if (mult)
        for (size_t i = 0; i < n; i++)
            if (!(ts->y[i] > 0) && !isnan(ts->y[i]))
                return sol__err(err, SOL_EINVAL,
                                "series '%s': a multiplicative decomposition needs positive "
                                "values (use the additive one)",
                                SOL__TS_NAME(ts));
    out->n = n;
    out->trend = sol__malloc(n * sizeof(double));
    out->seasonal = sol__malloc(n * sizeof(double));
    out->remainder = sol__malloc(n * sizeof(double));
    out->z = sol__malloc(n * sizeof(double));
    out->anomaly = sol__calloc(n, sizeof(int));
    double *tmp = sol__malloc((f < 2 ? n * (n - 1) / 2 + n : n) * sizeof(double));
    sol_status rc = SOL_ENOMEM;
    if (!out->trend || !out->seasonal || !out->remainder || !out->z || !out->anomaly || !tmp)
        goto fail;
    if (f >= 2 && o && o->stl) {
        out->seasonal_model = 2;
        sol_stl_opts so = {o->s_window, o->robust};
        rc = sol_ts_stl(ts, &so, out->seasonal, out->trend, out->remainder, err);
        if (rc != SOL_OK) {
            sol__free(tmp);
            sol_anomaly_clear(out);
            return rc;
        }
        mult = 0;
    } else if (f >= 2) {
        out->seasonal_model = 1;
        if ((rc = classical(ts->y, n, f, mult, out->trend, out->seasonal)) != SOL_OK)
            goto fail;
    } else {
        mult = 0;
        sen_line(ts->y, n, out->trend, tmp);
        for (size_t i = 0; i < n; i++)
            out->seasonal[i] = 0;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        double r = mult ? ts->y[i] / (out->trend[i] * out->seasonal[i])
                        : ts->y[i] - out->trend[i] - out->seasonal[i];
        out->remainder[i] = r;
        if (!isnan(r))
            tmp[k++] = r;
    }
    double center = sol__ts_median(tmp, k);
    for (size_t i = 0; i < k; i++)
        tmp[i] = fabs(tmp[i] - center);
    double mad = sol__ts_median(tmp, k), scale = 1.4826 * mad;
    if (!(scale > 0)) {
        double s = 0;
        for (size_t i = 0; i < k; i++)
            s += tmp[i];
        scale = k ? 1.253314 * s / (double)k : 0;
    }
    out->center = center;
    out->scale = scale;
    for (size_t i = 0; i < n; i++) {
        double r = out->remainder[i];
        out->z[i] = isnan(r) ? NAN : scale > 0 ? (r - center) / scale : 0.0;
        out->anomaly[i] = !isnan(out->z[i]) && fabs(out->z[i]) >= thr;
    }
    sol__free(tmp);
    return SOL_OK;
fail:
    sol__free(tmp);
    sol_anomaly_clear(out);
    return sol__err(err, rc, "out of memory decomposing series '%s'", SOL__TS_NAME(ts));
}

typedef struct pix {
    double p;
    size_t i;
} pix;

static int pix_desc(const void *a, const void *b)
{
    const pix *x = a, *y = b;
    if (x->p != y->p)
        return x->p > y->p ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i ? 1 : 0;
}

sol_status sol_p_adjust_bh(const double *p, size_t n, double *q)
{
    pix *v = sol__malloc((n ? n : 1) * sizeof *v);
    if (v == NULL)
        return SOL_ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        q[i] = NAN;
        if (!isnan(p[i]))
            v[m++] = (pix){p[i], i};
    }
    qsort(v, m, sizeof *v, pix_desc);
    double run = INFINITY;
    for (size_t k = 0; k < m; k++) {
        double rank = (double)(m - k); /* rank of v[k] in increasing order */
        double adj = (double)m / rank * v[k].p;
        run = adj < run ? adj : run;
        q[v[k].i] = run < 1 ? run : 1;
    }
    sol__free(v);
    return SOL_OK;
}
