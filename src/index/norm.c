/* norm.c - the column-wise steps of a composite index: imputation of missing values, the JRC
 * outlier rule (winsorisation), and the normalisations (min-max, z, rank, distance, MP, AMP). */
#include "index/index_int.h"

#include "core/core.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* ---- moments and the JRC outlier rule -------------------------------------------------------- */

void sol__index_moments(const double *x, size_t n, size_t stride, double *skew, double *kurt)
{
    double s = 0, k = 0, mean = 0, m2 = 0;
    size_t c = 0;
    for (size_t i = 0; i < n; i++) {
        double v = x[i * stride];
        if (!isnan(v)) {
            mean += v;
            c++;
        }
    }
    *skew = *kurt = NAN;
    if (c < 4)
        return;
    mean /= (double)c;
    for (size_t i = 0; i < n; i++) {
        double v = x[i * stride];
        if (!isnan(v))
            m2 += (v - mean) * (v - mean);
    }
    double sd = sqrt(m2 / (double)(c - 1));
    if (!(sd > 0))
        return;
    for (size_t i = 0; i < n; i++) {
        double v = x[i * stride];
        if (!isnan(v)) {
            double d = (v - mean) / sd;
            s += d * d * d;
            k += d * d * d * d;
        }
    }
    double nn = (double)c;
    *skew = nn / ((nn - 1) * (nn - 2)) * s;
    *kurt = nn * (nn + 1) / ((nn - 1) * (nn - 2) * (nn - 3)) * k -
            3 * (nn - 1) * (nn - 1) / ((nn - 2) * (nn - 3));
}

size_t sol__index_winsorise(idx_prep *p, size_t j)
{
    size_t done = 0;
    double *x = p->raw + j;
    while (done < 5) {
        double sk, ku;
        sol__index_moments(x, p->n, p->m, &sk, &ku);
        if (!(fabs(sk) > 2 && ku > 3.5))
            break;
        /* Replace the most extreme value on the side of the skew by the next one. */
        long ext = -1;
        double next = NAN;
        for (size_t i = 0; i < p->n; i++) {
            double v = x[i * p->m];
            if (isnan(v))
                continue;
            if (ext < 0 || (sk > 0 ? v > x[(size_t)ext * p->m] : v < x[(size_t)ext * p->m]))
                ext = (long)i;
        }
        for (size_t i = 0; i < p->n; i++) {
            double v = x[i * p->m];
            if (isnan(v) || (long)i == ext)
                continue;
            if (isnan(next) || (sk > 0 ? v > next : v < next))
                next = v;
        }
        if (ext < 0 || isnan(next))
            break;
        x[(size_t)ext * p->m] = next;
        done++;
    }
    return done;
}

/* ---- imputation ------------------------------------------------------------------------------ */

static sol_status impute_regression(const idx_prep *p, double *x, sol_error *err)
{
    size_t n = p->n, m = p->m;
    size_t *pred = sol__malloc(m * sizeof *pred);
    int *complete = sol__malloc(m * sizeof *complete);
    sol_status rc = SOL_ENOMEM;
    if (pred == NULL || complete == NULL)
        goto done;
    for (size_t j = 0; j < m; j++) {
        complete[j] = 1;
        for (size_t i = 0; i < n; i++)
            if (isnan(p->raw[i * m + j]))
                complete[j] = 0;
    }
    rc = SOL_OK;
    for (size_t j = 0; j < m && rc == SOL_OK; j++) {
        if (complete[j])
            continue;
        size_t k = 0, nobs = 0;
        for (size_t c = 0; c < m; c++)
            if (complete[c])
                pred[k++] = c;
        for (size_t i = 0; i < n; i++)
            nobs += !isnan(p->raw[i * m + j]);
        if (k == 0 || nobs < k + 2) {
            rc = sol__err(err, SOL_EINVAL,
                          "regression imputation of \"%s\" needs at least one complete indicator "
                          "and more observed values than predictors",
                          p->icode[j]);
            break;
        }
        gsl_matrix *X = gsl_matrix_alloc(nobs, k + 1);
        gsl_vector *y = gsl_vector_alloc(nobs), *b = gsl_vector_alloc(k + 1);
        gsl_matrix *cov = gsl_matrix_alloc(k + 1, k + 1);
        gsl_multifit_linear_workspace *ws = gsl_multifit_linear_alloc(nobs, k + 1);
        if (X == NULL || y == NULL || b == NULL || cov == NULL || ws == NULL) {
            rc = SOL_ENOMEM;
        } else {
            size_t r = 0;
            for (size_t i = 0; i < n; i++) {
                double v = p->raw[i * m + j];
                if (isnan(v))
                    continue;
                gsl_matrix_set(X, r, 0, 1.0);
                for (size_t c = 0; c < k; c++)
                    gsl_matrix_set(X, r, c + 1, p->raw[i * m + pred[c]]);
                gsl_vector_set(y, r, v);
                r++;
            }
            double chisq;
            int gs = gsl_multifit_linear(X, y, b, cov, &chisq, ws);
            if (gs != GSL_SUCCESS) {
                rc = sol__err(err, SOL_ENUMERIC, "regression imputation failed: %s",
                              gsl_strerror(gs));
            } else {
                for (size_t i = 0; i < n; i++) {
                    if (!isnan(p->raw[i * m + j]))
                        continue;
                    double yhat = gsl_vector_get(b, 0);
                    for (size_t c = 0; c < k; c++)
                        yhat += gsl_vector_get(b, c + 1) * p->raw[i * m + pred[c]];
                    x[i * m + j] = yhat;
                }
            }
        }
        gsl_matrix_free(X);
        gsl_vector_free(y);
        gsl_vector_free(b);
        gsl_matrix_free(cov);
        gsl_multifit_linear_free(ws);
    }
done:
    sol__free(pred);
    sol__free(complete);
    return rc;
}

sol_status sol__index_impute(const idx_prep *p, sol_index_missing mm, double *x, size_t *n_imp,
                             sol_error *err)
{
    size_t n = p->n, m = p->m;
    memcpy(x, p->raw, n * m * sizeof *x);
    if (n_imp != NULL)
        for (size_t i = 0; i < n; i++) {
            n_imp[i] = 0;
            for (size_t j = 0; j < m; j++)
                n_imp[i] += isnan(p->raw[i * m + j]);
        }
    if (mm == SOL_MISS_REWEIGHT || mm == SOL_MISS_FAIL)
        return SOL_OK;
    if (mm == SOL_MISS_REGRESS)
        return impute_regression(p, x, err);
    double *tmp = sol__malloc(n * sizeof *tmp);
    if (tmp == NULL)
        return SOL_ENOMEM;
    for (size_t j = 0; j < m; j++) {
        size_t c = 0;
        for (size_t i = 0; i < n; i++)
            if (!isnan(p->raw[i * m + j]))
                tmp[c++] = p->raw[i * m + j];
        if (c == n)
            continue;
        double fill = 0;
        if (mm == SOL_MISS_MEAN) {
            for (size_t i = 0; i < c; i++)
                fill += tmp[i];
            fill /= (double)c;
        } else {
            qsort(tmp, c, sizeof *tmp, cmp_double);
            fill = c % 2 ? tmp[c / 2] : 0.5 * (tmp[c / 2 - 1] + tmp[c / 2]);
        }
        for (size_t i = 0; i < n; i++)
            if (isnan(x[i * m + j]))
                x[i * m + j] = fill;
    }
    sol__free(tmp);
    return SOL_OK;
}

/* ---- normalisation --------------------------------------------------------------------------- */

static int cmp_pair(const void *a, const void *b)
{
    const idx_pair *x = a, *y = b;
    if (x->s != y->s)
        return (x->s > y->s) - (x->s < y->s);
    return (x->i > y->i) - (x->i < y->i);
}

sol_status sol__index_normalise(const idx_prep *p, sol_index_norm nm, const double *x, double *z,
                                sol_error *err)
{
    size_t n = p->n, m = p->m;
    idx_pair *pairs = NULL;
    if (nm == SOL_NORM_RANK && (pairs = sol__malloc(n * sizeof *pairs)) == NULL)
        return SOL_ENOMEM;
    for (size_t j = 0; j < m; j++) {
        double sum = 0, ss = 0, lo = INFINITY, hi = -INFINITY, pol = p->pol[j];
        size_t c = 0;
        for (size_t i = 0; i < n; i++) {
            double v = x[i * m + j];
            if (isnan(v))
                continue;
            sum += v;
            c++;
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        double mean = sum / (double)c;
        for (size_t i = 0; i < n; i++) {
            double v = x[i * m + j];
            if (!isnan(v))
                ss += (v - mean) * (v - mean);
        }
        double sd_s = sqrt(ss / (double)(c - 1)), sd_p = sqrt(ss / (double)c);
        double ref = p->ref_kind == SOL_REF_MEAN ? mean : p->refval[j];
        if (nm == SOL_NORM_DISTREF && !(fabs(ref) > 0)) {
            sol__free(pairs);
            return sol__err(err, SOL_EINVAL,
                            "distance to a reference: the reference value of \"%s\" is 0",
                            p->icode[j]);
        }
        if (nm == SOL_NORM_RANK) {
            size_t k = 0;
            for (size_t i = 0; i < n; i++)
                if (!isnan(x[i * m + j]))
                    pairs[k++] = (idx_pair){pol * x[i * m + j], (uint32_t)i};
            qsort(pairs, k, sizeof *pairs, cmp_pair);
            for (size_t a = 0; a < k;) {
                size_t b = a;
                while (b + 1 < k && pairs[b + 1].s == pairs[a].s)
                    b++;
                double r = 0.5 * (double)(a + b) + 1.0;
                for (size_t t = a; t <= b; t++)
                    z[pairs[t].i * m + j] = r;
                a = b + 1;
            }
            for (size_t i = 0; i < n; i++)
                if (isnan(x[i * m + j]))
                    z[i * m + j] = NAN;
            continue;
        }
        for (size_t i = 0; i < n; i++) {
            double v = x[i * m + j], o;
            switch (nm) {
            case SOL_NORM_MINMAX: {
                double t = (v - lo) / (hi - lo);
                if (pol < 0)
                    t = 1.0 - t;
                o = p->minmax_lo + (p->minmax_hi - p->minmax_lo) * t;
                break;
            }
            case SOL_NORM_ZSCORE: o = pol * (v - mean) / sd_s; break;
            case SOL_NORM_DISTREF: o = 100.0 * (1.0 + pol * (v - ref) / fabs(ref)); break;
            case SOL_NORM_MP: o = 100.0 + 10.0 * pol * (v - mean) / sd_p; break;
            case SOL_NORM_AMP: o = 100.0 + 60.0 * pol * (v - ref) / (hi - lo); break;
            case SOL_NORM_NONE:
            case SOL_NORM_RANK:
            default: o = v; break;
            }
            z[i * m + j] = o;
        }
    }
    sol__free(pairs);
    return SOL_OK;
}
