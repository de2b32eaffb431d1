/* classify.c - class breaks as R classInt 0.4 computes them: quantile (type 7), equal intervals,
 * Jenks natural breaks (classInt's own algorithm, breaks are data values) and standard deviations
 * (base R pretty() of the standardised values); and the class of a value (classInt findCols). */
#include <solidata/render.h>

#include "core/core.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const method_names[] = {"quantile", "equal", "jenks", "sd"};
/* English, marked for the catalogues: callers translate them where they print them */
static const char *const method_titles[] = {N_("Quantiles"), N_("Equal intervals"),
                                            N_("Natural breaks (Jenks)"),
                                            N_("Standard deviations")};

sol_status sol_render_class_method_parse(const char *name, sol_class_method *m)
{
    for (int i = 0; i < 4; i++) {
        if (name != NULL && strcmp(name, method_names[i]) == 0) {
            *m = (sol_class_method)i;
            return SOL_OK;
        }
    }
    return SOL_EINVAL;
}

const char *sol_render_class_method_name(sol_class_method m)
{
    return (unsigned)m < 4 ? method_names[m] : "unknown";
}

const char *sol_render_class_method_title(sol_class_method m)
{
    return (unsigned)m < 4 ? method_titles[m] : "Unknown";
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* R's mean(): a long double sum, divided, then corrected by the mean residual. */
static double r_mean(const double *x, size_t n)
{
    long double s = 0.0L;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    s /= (long double)n;
    if (isfinite((double)s)) {
        long double t = 0.0L;
        for (size_t i = 0; i < n; i++)
            t += x[i] - s;
        s += t / (long double)n;
    }
    return (double)s;
}

/* quantile(x, probs = seq(0, 1, 1/k), type = 7) of sorted x[0..n). */
static void breaks_quantile(const double *x, size_t n, size_t k, double *brk)
{
    double by = 1.0 / (double)k; /* seq(0, 1, by): 0 + i * by, capped at 1 */
    for (size_t i = 0; i <= k; i++) {
        double p = fmin((double)i * by, 1.0);
        double index = 1.0 + (double)(n - 1) * p; /* 1-based position */
        double lo = floor(index), hi = ceil(index);
        double q = x[(size_t)lo - 1];
        double xhi = x[(size_t)hi - 1];
        if (index > lo && xhi != q) {
            double h = index - lo;
            q = (1.0 - h) * q + h * xhi;
        }
        brk[i] = q;
    }
}

/* seq(min, max, length.out = k + 1) as seq.default computes it. */
static void breaks_equal(const double *x, size_t n, size_t k, double *brk)
{
    double from = x[0], to = x[n - 1];
    double step = (to - from) / (double)k;
    brk[0] = from;
    for (size_t i = 1; i < k; i++)
        brk[i] = from + (double)i * step;
    brk[k] = to;
}

/* classInt's "jenks": the Jenks-Caspall dynamic programme as written in classInt (minimising the
 * within-class sum of squared deviations, ties to the later split), breaks = d[c(1, kclass)]. */
static sol_status breaks_jenks(const double *d, size_t n, size_t k, double *brk)
{
    /* mat1[l][j]: first index (1-based) of the last class of an optimal split of d[1..l] into j
     * classes; mat2[l][j]: its cost. Row-major, rows 1..n, columns 1..k. */
    double *mat1 = sol__malloc((n + 1) * (k + 1) * sizeof *mat1);
    double *mat2 = sol__malloc((n + 1) * (k + 1) * sizeof *mat2);
    size_t *kclass = sol__malloc((k + 1) * sizeof *kclass);
    if (mat1 == NULL || mat2 == NULL || kclass == NULL) {
        sol__free(mat1);
        sol__free(mat2);
        sol__free(kclass);
        return SOL_ENOMEM;
    }
#define M1(l, j) mat1[(l) * (k + 1) + (j)]
#define M2(l, j) mat2[(l) * (k + 1) + (j)]
    for (size_t l = 1; l <= n; l++) {
        for (size_t j = 1; j <= k; j++) {
            M1(l, j) = 1.0;
            M2(l, j) = l >= 2 ? DBL_MAX : 0.0;
        }
    }
    for (size_t l = 2; l <= n; l++) {
        double s1 = 0, s2 = 0, w = 0, v = 0;
        for (size_t m = 1; m <= l; m++) {
            size_t i3 = l - m + 1;
            double val = d[i3 - 1];
            s2 += val * val;
            s1 += val;
            w += 1;
            v = s2 - (s1 * s1) / w;
            size_t i4 = i3 - 1;
            if (i4 != 0) {
                for (size_t j = 2; j <= k; j++) {
                    if (M2(l, j) >= v + M2(i4, j - 1)) {
                        M1(l, j) = (double)i3;
                        M2(l, j) = v + M2(i4, j - 1);
                    }
                }
            }
        }
        M1(l, 1) = 1;
        M2(l, 1) = v;
    }
    for (size_t j = 1; j <= k; j++)
        kclass[j] = j;
    kclass[k] = n;
    size_t row = n;
    for (size_t j = k; j >= 1 && row >= 1; j--) {
        size_t id = (size_t)trunc(M1(row, j)) - 1;
        if (j >= 2)
            kclass[j - 1] = id;
        row = id;
    }
#undef M1
#undef M2
    brk[0] = d[0];
    for (size_t j = 1; j <= k; j++)
        brk[j] = d[kclass[j] >= 1 ? kclass[j] - 1 : 0];
    sol__free(mat1);
    sol__free(mat2);
    sol__free(kclass);
    return SOL_OK;
}

/* Base R's pretty.default(c(lo, up), n) with its defaults (min.n = n %/% 3, shrink.sml = 0.75,
 * high.u.bias = 1.5, u5.bias = 2.75, f.min = 2^-20, eps.correct = 0, bounds = TRUE), written from
 * the description of R_pretty() in R's src/appl/pretty.c. Returns the number of intervals and
 * fills out[0..ndiv] (out holds at least `cap` entries); 0 when it would not fit. */
static size_t r_pretty(double lo, double up, int ndiv, double *out, size_t cap)
{
    const double h = 1.5, h5 = 0.5 + 1.5 * h, f_min = 0x1p-20, rounding_eps = 1e-10;
    int min_n = ndiv / 3;
    double dx = up - lo, cell;
    int i_small;
    if (dx == 0 && up == 0) {
        cell = 1;
        i_small = 1;
    } else {
        cell = fmax(fabs(lo), fabs(up));
        double U = 1 + ((h5 >= 1.5 * h + .5) ? 1 / (1 + h) : 1.5 / (1 + h5));
        U *= (ndiv > 1 ? ndiv : 1) * DBL_EPSILON;
        i_small = dx < cell * U * 3;
    }
    if (i_small) {
        if (cell > 10)
            cell = 9 + cell / 10;
        cell *= 0.75;
        if (min_n > 1)
            cell /= min_n;
    } else {
        cell = dx;
        if (ndiv > 1)
            cell /= ndiv;
    }
    if (cell < f_min * DBL_MIN)
        cell = f_min * DBL_MIN;
    else if (cell > DBL_MAX / 1.25)
        cell = DBL_MAX / 1.25;
    double base = pow(10.0, floor(log10(cell)));
    double unit = base, u;
    if ((u = 2 * base) - cell < h * (cell - unit)) {
        unit = u;
        if ((u = 5 * base) - cell < h5 * (cell - unit)) {
            unit = u;
            if ((u = 10 * base) - cell < h * (cell - unit))
                unit = u;
        }
    }
    double ns = floor(lo / unit + rounding_eps), nu = ceil(up / unit - rounding_eps);
    while (ns * unit > lo + rounding_eps * unit)
        ns--;
    while (nu * unit < up - rounding_eps * unit)
        nu++;
    int kk = (int)(0.5 + nu - ns);
    if (kk < min_n) {
        kk = min_n - kk;
        if (lo == 0. && ns == 0. && up != 0.) {
            nu += kk;
        } else if (up == 0. && nu == 0. && lo != 0.) {
            ns -= kk;
        } else if (ns >= 0.) {
            nu += kk / 2;
            ns -= kk / 2 + kk % 2;
        } else {
            ns -= kk / 2;
            nu += kk / 2 + kk % 2;
        }
        ndiv = min_n;
    } else {
        ndiv = kk;
    }
    double l = lo, r = up;
    if (ns * unit < l)
        l = ns * unit;
    if (nu * unit > r)
        r = nu * unit;
    if (ndiv < 1 || (size_t)ndiv + 1 > cap)
        return 0;
    /* seq.int(l, r, length.out = ndiv + 1), then tiny values from rounding set to 0 */
    size_t nd = (size_t)ndiv;
    double by = (r - l) / (double)nd;
    out[0] = l;
    for (size_t i = 1; i < nd; i++)
        out[i] = l + (double)i * by;
    out[nd] = r;
    double delta = r / (double)nd - l / (double)nd;
    for (size_t i = 0; i <= nd; i++)
        if (fabs(out[i]) < 1e-14 * delta)
            out[i] = 0;
    return nd;
}

/* classInt "sd": scale(x) (colMeans centre, sqrt(sum(v^2) / (n - 1)) scale, both with long double
 * sums as R), pretty() of the scaled range with n = k, mapped back. */
static sol_status breaks_sd(const double *x, size_t n, size_t k, sol_breaks *b)
{
    long double s = 0.0L;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    s /= (long double)n;
    double center = (double)s;
    long double ss = 0.0L;
    for (size_t i = 0; i < n; i++) {
        double v = x[i] - center;
        ss += v * v;
    }
    double scale = sqrt((double)ss / (double)(n > 1 ? n - 1 : 1));
    double lo = (x[0] - center) / scale, up = (x[n - 1] - center) / scale;
    for (size_t i = 0; i < n; i++) { /* x is sorted, but be exact about the scaled range */
        double z = (x[i] - center) / scale;
        lo = fmin(lo, z);
        up = fmax(up, z);
    }
    double sb[SOL_CLASSES_MAX * 4 + 1];
    size_t nd = r_pretty(lo, up, (int)k, sb, sizeof sb / sizeof *sb);
    if (nd == 0 || nd > SOL_CLASSES_MAX * 4)
        return SOL_ELIMIT;
    b->brk = sol__malloc((nd + 1) * sizeof *b->brk);
    if (b->brk == NULL)
        return SOL_ENOMEM;
    for (size_t i = 0; i <= nd; i++)
        b->brk[i] = sb[i] * scale + center;
    b->nclasses = nd;
    b->center = center;
    b->scale = scale;
    return SOL_OK;
}

sol_status sol_render_breaks(const double *x, size_t n, sol_class_method method, unsigned k,
                             sol_breaks **out, sol_error *err)
{
    sol_status rc;
    double *v = NULL;
    sol_breaks *b = NULL;
    if ((unsigned)method > SOL_CLASS_SD)
        return sol__err(err, SOL_EINVAL, "unknown classification method %d", (int)method);
    if (k < 2 || k > SOL_CLASSES_MAX)
        return sol__err(err, SOL_EINVAL, "%u classes: expected 2 to %u", k, SOL_CLASSES_MAX);
    if (n > 0 && x == NULL)
        return sol__err(err, SOL_EINVAL, "no values");
    v = sol__malloc((n ? n : 1) * sizeof *v);
    b = sol__calloc(1, sizeof *b);
    if (v == NULL || b == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory for %zu values", n);
        goto fail;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            v[m++] = x[i];
    b->method = method;
    b->n = m;
    b->nmissing = n - m;
    b->center = b->scale = NAN;
    qsort(v, m, sizeof *v, cmp_double);
    size_t distinct = m > 0;
    for (size_t i = 1; i < m; i++)
        distinct += v[i] != v[i - 1];
    if (distinct < 2) {
        rc = sol__err(err, SOL_EINVAL,
                      "%zu distinct value%s among %zu (and %zu missing): at least 2 are needed "
                      "to make classes",
                      distinct, distinct == 1 ? "" : "s", m, n - m);
        goto fail;
    }
    size_t kk = k;
    if (kk >= distinct) {
        /* classInt: n reset to the distinct values; each gets its own class, with breaks half
         * way between them and half the mean gap beyond the ends */
        size_t nu = 0;
        for (size_t i = 0; i < m; i++)
            if (i == 0 || v[i] != v[i - 1])
                v[nu++] = v[i];
        double *gap = sol__malloc((nu - 1) * sizeof *gap);
        b->brk = sol__malloc((nu + 1) * sizeof *b->brk);
        if (gap == NULL || b->brk == NULL) {
            sol__free(gap);
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto fail;
        }
        for (size_t i = 0; i + 1 < nu; i++)
            gap[i] = v[i + 1] - v[i];
        double mg = r_mean(gap, nu - 1);
        b->brk[0] = v[0] - mg / 2;
        for (size_t i = 0; i + 1 < nu; i++)
            b->brk[i + 1] = v[i] + gap[i] / 2;
        b->brk[nu] = v[nu - 1] + mg / 2;
        sol__free(gap);
        b->nclasses = nu;
        b->unique = 1;
    } else if (method == SOL_CLASS_SD) {
        if ((rc = breaks_sd(v, m, kk, b)) != SOL_OK) {
            sol__err(err, rc, rc == SOL_ENOMEM ? "out of memory" : "too many sd classes");
            goto fail;
        }
    } else {
        if (method == SOL_CLASS_JENKS && m > SOL_MAX_JENKS_VALUES) {
            rc = sol__err(err, SOL_ELIMIT,
                          "Jenks natural breaks over %zu values (at most %u): use quantile or "
                          "equal classes",
                          m, SOL_MAX_JENKS_VALUES);
            goto fail;
        }
        b->brk = sol__malloc((kk + 1) * sizeof *b->brk);
        if (b->brk == NULL) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto fail;
        }
        b->nclasses = kk;
        if (method == SOL_CLASS_QUANTILE) {
            breaks_quantile(v, m, kk, b->brk);
        } else if (method == SOL_CLASS_EQUAL) {
            breaks_equal(v, m, kk, b->brk);
        } else {
            b->right_closed = 1;
            if ((rc = breaks_jenks(v, m, kk, b->brk)) != SOL_OK) {
                sol__err(err, rc, "out of memory for Jenks over %zu values", m);
                goto fail;
            }
        }
    }
    sol__free(v);
    *out = b;
    return SOL_OK;
fail:
    sol__free(v);
    sol_breaks_free(b);
    return rc;
}

int sol_render_class_of(const sol_breaks *b, double x)
{
    if (isnan(x) || b == NULL || b->nclasses == 0)
        return -1;
    size_t nb = b->nclasses + 1, c;
    if (b->right_closed) {
        /* classInt for "right" closure: max(1, number of breaks strictly below x) */
        size_t below = 0;
        while (below < nb && b->brk[below] < x)
            below++;
        c = below < 1 ? 1 : below;
    } else {
        /* findInterval(x, brk, all.inside = TRUE): the last break <= x, kept inside 1..nb-1 */
        size_t lo = 0, hi = nb; /* count of breaks <= x, by bisection */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (b->brk[mid] <= x)
                lo = mid + 1;
            else
                hi = mid;
        }
        c = lo < 1 ? 1 : lo;
    }
    if (c > b->nclasses)
        c = b->nclasses;
    return (int)c - 1;
}

void sol_breaks_free(sol_breaks *b)
{
    if (b == NULL)
        return;
    sol__free(b->brk);
    sol__free(b);
}
