/* stl.c - seasonal-trend decomposition by loess (Cleveland, Cleveland, McRae and Terpenning
 * 1990), with the spans, jumps and iterations of R's stats::stl. Arrays are 1-based inside
 * (x[1..n]) to follow the paper's notation; callers pass 0-based arrays. */
#include <solidata/timeseries.h>

#include "core/core.h"
#include "time/time_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Loess fit at xs from y[nleft..nright] (1-based), tricube weights times the robustness
 * weights when userw; degree 0 or 1. w is scratch (1-based). Returns 0 when all weights are 0. */
static int est(const double *y, int n, int len, int ideg, double xs, double *ys, int nleft,
               int nright, double *w, int userw, const double *rw)
{
    double range = (double)n - 1.0;
    double h = fmax(xs - (double)nleft, (double)nright - xs);
    if (len > n)
        h += (double)((len - n) / 2);
    double h9 = 0.999 * h, h1 = 0.001 * h, a = 0;
    for (int j = nleft; j <= nright; j++) {
        double r = fabs((double)j - xs);
        if (r <= h9) {
            double u = r / h, t = 1.0 - u * u * u;
            w[j] = r <= h1 ? 1.0 : t * t * t;
            if (userw)
                w[j] *= rw[j];
            a += w[j];
        } else {
            w[j] = 0;
        }
    }
    if (a <= 0)
        return 0;
    for (int j = nleft; j <= nright; j++)
        w[j] /= a;
    if (h > 0 && ideg > 0) {
        a = 0;
        for (int j = nleft; j <= nright; j++)
            a += w[j] * (double)j;
        double b = xs - a, c = 0;
        for (int j = nleft; j <= nright; j++)
            c += w[j] * ((double)j - a) * ((double)j - a);
        if (sqrt(c) > 0.001 * range) {
            b /= c;
            for (int j = nleft; j <= nright; j++)
                w[j] *= b * ((double)j - a) + 1.0;
        }
    }
    double s = 0;
    for (int j = nleft; j <= nright; j++)
        s += w[j] * y[j];
    *ys = s;
    return 1;
}

/* Loess smooth of y[1..n] into ys[1..n], fitted every njump points and interpolated. */
static void ess(const double *y, int n, int len, int ideg, int njump, int userw, const double *rw,
                double *ys, double *res)
{
    if (n < 2) {
        ys[1] = y[1];
        return;
    }
    int nj = njump < n - 1 ? njump : n - 1, nleft = 1, nright = n;
    if (len >= n) {
        nleft = 1, nright = n;
        for (int i = 1; i <= n; i += nj)
            if (!est(y, n, len, ideg, (double)i, &ys[i], nleft, nright, res, userw, rw))
                ys[i] = y[i];
    } else if (nj == 1) {
        int nsh = (len + 1) / 2;
        nleft = 1, nright = len;
        for (int i = 1; i <= n; i++) {
            if (i > nsh && nright != n)
                nleft++, nright++;
            if (!est(y, n, len, ideg, (double)i, &ys[i], nleft, nright, res, userw, rw))
                ys[i] = y[i];
        }
    } else {
        int nsh = (len + 1) / 2;
        for (int i = 1; i <= n; i += nj) {
            if (i < nsh)
                nleft = 1, nright = len;
            else if (i >= n - nsh + 1)
                nleft = n - len + 1, nright = n;
            else
                nleft = i - nsh + 1, nright = len + i - nsh;
            if (!est(y, n, len, ideg, (double)i, &ys[i], nleft, nright, res, userw, rw))
                ys[i] = y[i];
        }
    }
    if (nj != 1) {
        for (int i = 1; i <= n - nj; i += nj) {
            double d = (ys[i + nj] - ys[i]) / (double)nj;
            for (int j = i + 1; j <= i + nj - 1; j++)
                ys[j] = ys[i] + d * (double)(j - i);
        }
        int k = ((n - 1) / nj) * nj + 1;
        if (k != n) {
            if (!est(y, n, len, ideg, (double)n, &ys[n], nleft, nright, res, userw, rw))
                ys[n] = y[n];
            if (k != n - 1) {
                double d = (ys[n] - ys[k]) / (double)(n - k);
                for (int j = k + 1; j <= n - 1; j++)
                    ys[j] = ys[k] + d * (double)(j - k);
            }
        }
    }
}

/* Running mean of length len over x[1..n] into ave[1..n-len+1]. */
static void ma(const double *x, int n, int len, double *ave)
{
    int newn = n - len + 1;
    double v = 0, fl = (double)len;
    for (int i = 1; i <= len; i++)
        v += x[i];
    ave[1] = v / fl;
    for (int j = 2, k = len, m = 0; j <= newn; j++) {
        k++, m++;
        v = v - x[m] + x[k];
        ave[j] = v / fl;
    }
}

/* Cycle-subseries smoothing: y[1..n] -> season[1..n+2np], each subseries extended one period
 * at both ends. w1..w4 are scratch of n+2np. */
static void subseries(const double *y, int n, int np, int ns, int isdeg, int nsjump, int userw,
                      const double *rw, double *season, double *w1, double *w2, double *w3,
                      double *w4)
{
    for (int j = 1; j <= np; j++) {
        int k = (n - j) / np + 1;
        for (int i = 1; i <= k; i++)
            w1[i] = y[(i - 1) * np + j];
        if (userw)
            for (int i = 1; i <= k; i++)
                w3[i] = rw[(i - 1) * np + j];
        ess(w1, k, ns, isdeg, nsjump, userw, w3, w2 + 1, w4);
        int nright = ns < k ? ns : k;
        if (!est(w1, k, ns, isdeg, 0.0, &w2[1], 1, nright, w4, userw, w3))
            w2[1] = w2[2];
        int nleft = 1 > k - ns + 1 ? 1 : k - ns + 1;
        if (!est(w1, k, ns, isdeg, (double)(k + 1), &w2[k + 2], nleft, k, w4, userw, w3))
            w2[k + 2] = w2[k + 1];
        for (int m = 1; m <= k + 2; m++)
            season[(m - 1) * np + j] = w2[m];
    }
}

typedef struct stlp {
    int n, np, ns, nt, nl, isdeg, itdeg, ildeg, nsjump, ntjump, nljump, ni, no;
} stlp;

/* One pass of inner iterations. w[0..4] are 1-based scratch columns of n+2np. */
static void step(const double *y, const stlp *p, int userw, const double *rw, double *season,
                 double *trend, double **w)
{
    int n = p->n, np = p->np;
    for (int it = 0; it < p->ni; it++) {
        for (int i = 1; i <= n; i++)
            w[0][i] = y[i] - trend[i];
        subseries(w[0], n, np, p->ns, p->isdeg, p->nsjump, userw, rw, w[1], w[2], w[3], w[4],
                  season);
        /* low-pass: moving averages of np, np and 3, then loess */
        ma(w[1], n + 2 * np, np, w[2]);
        ma(w[2], n + np + 1, np, w[0]);
        ma(w[0], n + 2, 3, w[2]);
        ess(w[2], n, p->nl, p->ildeg, p->nljump, 0, w[3], w[0], w[4]);
        for (int i = 1; i <= n; i++)
            season[i] = w[1][np + i] - w[0][i];
        for (int i = 1; i <= n; i++)
            w[0][i] = y[i] - season[i];
        ess(w[0], n, p->nt, p->itdeg, p->ntjump, userw, rw, trend, w[2]);
    }
}

static int dcmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Robustness weights: Tukey's biweight of |y - fit| / (6 median |y - fit|). */
static void robustness(const double *y, int n, const double *fit, double *rw, double *tmp)
{
    for (int i = 1; i <= n; i++)
        tmp[i - 1] = fabs(y[i] - fit[i]);
    qsort(tmp, (size_t)n, sizeof *tmp, dcmp);
    int m1 = n / 2 + 1, m2 = n - m1 + 1;
    double cmad = 3.0 * (tmp[m1 - 1] + tmp[m2 - 1]), c9 = 0.999 * cmad, c1 = 0.001 * cmad;
    for (int i = 1; i <= n; i++) {
        double r = fabs(y[i] - fit[i]);
        double u = 1.0 - (r / cmad) * (r / cmad);
        rw[i] = r <= c1 ? 1.0 : r <= c9 ? u * u : 0.0;
    }
}

static int nextodd(double x)
{
    int v = (int)lround(x);
    return v % 2 == 0 ? v + 1 : v;
}

sol_status sol_ts_stl(const sol_ts *ts, const sol_stl_opts *o, double *seasonal, double *trend,
                      double *remainder, sol_error *err)
{
    int f = sol_ts_frequency(ts->freq);
    if (ts->n_missing)
        return sol__err(err, SOL_EINVAL, "series '%s' has gaps: STL needs consecutive values",
                        SOL__TS_NAME(ts));
    if (f < 2 || ts->n <= 2 * (size_t)f)
        return sol__err(err, SOL_EINVAL,
                        "series '%s': STL needs a seasonal series (quarterly or monthly) longer "
                        "than two years",
                        SOL__TS_NAME(ts));
    if (ts->n > 1000000)
        return sol__err(err, SOL_ELIMIT, "series '%s' is too long for STL", SOL__TS_NAME(ts));
    int n = (int)ts->n, periodic = o->s_window <= 0;
    stlp p = {.n = n, .np = f, .isdeg = 0, .itdeg = 1, .ildeg = 1};
    double sw = periodic ? 10.0 * n + 1 : (double)o->s_window;
    p.ns = (int)sw;
    p.nt = nextodd(ceil(1.5 * f / (1 - 1.5 / sw)));
    p.nl = nextodd(f);
    p.nsjump = (int)ceil(sw / 10), p.ntjump = (int)ceil(p.nt / 10.0),
    p.nljump = (int)ceil(p.nl / 10.0);
    p.ni = o->robust ? 1 : 2;
    p.no = o->robust ? 15 : 0;
    /* spans at least 3 and odd, as the original */
    p.ns = p.ns < 3 ? 3 : p.ns, p.nt = p.nt < 3 ? 3 : p.nt, p.nl = p.nl < 3 ? 3 : p.nl;
    p.ns += p.ns % 2 == 0, p.nt += p.nt % 2 == 0, p.nl += p.nl % 2 == 0;
    size_t W = (size_t)n + 2 * (size_t)f + 1;
    double *buf = sol__calloc(W * 9, sizeof *buf);
    if (buf == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory in STL");
    double *y = buf, *rw = buf + W, *se = buf + 2 * W, *tr = buf + 3 * W, *w[5];
    for (int k = 0; k < 5; k++)
        w[k] = buf + (4 + (size_t)k) * W;
    for (int i = 1; i <= n; i++)
        y[i] = ts->y[i - 1];
    int userw = 0;
    for (int k = 0;;) {
        step(y, &p, userw, rw, se, tr, w);
        if (++k > p.no)
            break;
        for (int i = 1; i <= n; i++)
            w[0][i] = tr[i] + se[i];
        robustness(y, n, w[0], rw, w[1]);
        userw = 1;
    }
    if (periodic) { /* the seasonal figure is the mean of each position of the cycle */
        for (int c = 0; c < f; c++) {
            double s = 0;
            int m = 0;
            for (int i = c + 1; i <= n; i += f)
                s += se[i], m++;
            for (int i = c + 1; i <= n; i += f)
                se[i] = s / m;
        }
    }
    for (int i = 1; i <= n; i++) {
        seasonal[i - 1] = se[i];
        trend[i - 1] = tr[i];
        remainder[i - 1] = y[i] - se[i] - tr[i];
    }
    sol__free(buf);
    return SOL_OK;
}
