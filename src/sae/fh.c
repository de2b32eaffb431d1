/* fh.c - Fay-Herriot EBLUP: REML/ML Fisher scoring over the diagonal covariance in O(m p^2) per
 * iteration, coefficient tests, Prasad-Rao/Datta-Lahiri MSE and synthetic out-of-sample estimates.
 */
#include <solidata/sae.h>

#include <solidata/limits.h>

#include "core/core.h"
#include "sae/sae_int.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sol_fh_result_free(sol_fh_result *r)
{
    if (r == NULL)
        return;
    if (r->terms)
        for (size_t j = 0; j < r->p; j++)
            sol__free(r->terms[j]);
    sol__free_n(14, r->terms, r->beta, r->beta_se, r->z, r->pvalue, r->eblup, r->mse, r->gamma,
                r->synthetic, r->y_t, r->vardir_t, r->est, r->est_mse, r);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The k-th smallest of a[0..n) (0-based), reordering a so that a[0..k) <= a[k] <= a[k+1..n):
 * Wirth's selection, O(n) on average. */
static double select_kth(double *a, size_t n, size_t k)
{
    ptrdiff_t l = 0, m = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;
    while (l < m) {
        double x = a[kk];
        ptrdiff_t i = l, j = m;
        do {
            while (a[i] < x)
                i++;
            while (x < a[j])
                j--;
            if (i <= j) {
                double t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        } while (i <= j);
        if (j < kk)
            l = i;
        if (kk < i)
            m = j;
    }
    return a[kk];
}

/* Median of a[0..n), n >= 1 (a is reordered): as sorting and averaging the middle two. */
static double median(double *a, size_t n)
{
    double hi = select_kth(a, n, n / 2);
    if (n % 2)
        return hi;
    double lo = a[0]; /* after selection a[0..n/2) holds the n/2 smallest */
    for (size_t i = 1; i < n / 2; i++)
        lo = a[i] > lo ? a[i] : lo;
    return (lo + hi) / 2;
}

/* Sorted distinct levels of a text covariate (borrowed pointers). */
static sol_status levels_of(const char *const *text, size_t m, const char ***out, size_t *nl)
{
    const char **s = sol__malloc((m ? m : 1) * sizeof *s);
    if (s == NULL)
        return SOL_ENOMEM;
    memcpy(s, text, m * sizeof *s);
    qsort(s, m, sizeof *s, cmp_str);
    size_t k = 0;
    for (size_t i = 0; i < m; i++)
        if (k == 0 || strcmp(s[k - 1], s[i]) != 0)
            s[k++] = s[i];
    *out = s;
    *nl = k;
    return SOL_OK;
}

typedef struct fh_ws {
    size_t m, p, nf; /* areas, terms, areas fitted */
    double *X;       /* m x p */
    size_t *fit;     /* nf area indices */
    double *v;       /* nf: 1/(A + D) */
    gsl_matrix *M1, *M2, *M3, *Q, *C;
    double *b, *beta;
    size_t nblk;  /* blocks of areas summed separately (a function of nf only) */
    double *part; /* nblk x (3 p^2 + p) partial sums */
} fh_ws;

static const char *area_name(const sol_fh_data *d, size_t i, char *buf, size_t n)
{
    if (d->ids && d->ids[i])
        return d->ids[i];
    snprintf(buf, n, "row %zu", i + 1);
    return buf;
}

/* Q = (X'VX)^-1 and beta = Q X'Vy at A; M2, M3 (for REML) when `all`. */
static sol_status gls(fh_ws *w, const sol_fh_data *d, double A, int all)
{
    size_t p = w->p;
    gsl_matrix_set_zero(w->M1);
    if (all) {
        gsl_matrix_set_zero(w->M2);
        gsl_matrix_set_zero(w->M3);
    }
    memset(w->b, 0, p * sizeof *w->b);
    /* O(nf p^2) per iteration: lower triangles of X'VX, X'V^2X, X'V^3X and X'Vy summed over a
     * fixed number of blocks of areas (in parallel), then the blocks in order, so the sums do not
     * depend on the number of threads */
    size_t nb = w->nblk, pp = p * p, stride = 3 * pp + p;
#pragma omp parallel for schedule(static)
    for (size_t blk = 0; blk < nb; blk++) {
        double *acc = w->part + blk * stride;
        double *m1 = acc, *m2 = acc + pp, *m3 = acc + 2 * pp, *bb = acc + 3 * pp;
        memset(acc, 0, stride * sizeof *acc);
        size_t lo = w->nf * blk / nb, hi = w->nf * (blk + 1) / nb;
        for (size_t t = lo; t < hi; t++) {
            size_t i = w->fit[t];
            double v = 1.0 / (A + d->vardir[i]);
            w->v[t] = v;
            const double *x = &w->X[i * p];
            double v2 = v * v, v3 = v2 * v, yi = d->y[i];
            if (all) /* one pass over the row for the three sums (same products as apart) */
                for (size_t j = 0; j < p; j++) {
                    double vx = v * x[j], v2x = v2 * x[j], v3x = v3 * x[j];
                    bb[j] += vx * yi;
                    double *r1 = m1 + j * p, *r2 = m2 + j * p, *r3 = m3 + j * p;
                    for (size_t k = 0; k <= j; k++) {
                        r1[k] += vx * x[k];
                        r2[k] += v2x * x[k];
                        r3[k] += v3x * x[k];
                    }
                }
            else
                for (size_t j = 0; j < p; j++) {
                    double vx = v * x[j];
                    bb[j] += vx * yi;
                    double *r1 = m1 + j * p;
                    for (size_t k = 0; k <= j; k++)
                        r1[k] += vx * x[k];
                }
        }
    }
    for (size_t blk = 0; blk < nb; blk++) {
        const double *acc = w->part + blk * stride;
        for (size_t j = 0; j < p; j++) {
            w->b[j] += acc[3 * pp + j];
            for (size_t k = 0; k <= j; k++) {
                *gsl_matrix_ptr(w->M1, j, k) += acc[j * p + k];
                if (all) {
                    *gsl_matrix_ptr(w->M2, j, k) += acc[pp + j * p + k];
                    *gsl_matrix_ptr(w->M3, j, k) += acc[2 * pp + j * p + k];
                }
            }
        }
    }
    for (size_t j = 0; j < p; j++)
        for (size_t k = 0; k < j; k++) {
            gsl_matrix_set(w->M1, k, j, gsl_matrix_get(w->M1, j, k));
            if (all) {
                gsl_matrix_set(w->M2, k, j, gsl_matrix_get(w->M2, j, k));
                gsl_matrix_set(w->M3, k, j, gsl_matrix_get(w->M3, j, k));
            }
        }
    gsl_matrix_memcpy(w->Q, w->M1);
    int gs = gsl_linalg_cholesky_decomp1(w->Q);
    if (gs == GSL_SUCCESS)
        gs = gsl_linalg_cholesky_invert(w->Q);
    if (gs != GSL_SUCCESS)
        return SOL_ENUMERIC;
    for (size_t j = 0; j < p; j++) {
        double s = 0;
        for (size_t k = 0; k < p; k++)
            s += gsl_matrix_get(w->Q, j, k) * w->b[k];
        w->beta[j] = s;
    }
    return SOL_OK;
}

static double trace_prod(const gsl_matrix *A, const gsl_matrix *B)
{
    double s = 0;
    for (size_t j = 0; j < A->size1; j++)
        for (size_t k = 0; k < A->size2; k++)
            s += gsl_matrix_get(A, j, k) * gsl_matrix_get(B, k, j);
    return s;
}

/* Fisher-scoring score s and information F of sigma2_u at the A of the last gls() call. */
static void score_at(fh_ws *w, const sol_fh_data *d, int reml, double *s, double *F)
{
    size_t p = w->p;
    double sv = 0, sv2 = 0, sv2r2 = 0;
    for (size_t t = 0; t < w->nf; t++) {
        size_t i = w->fit[t];
        double fitted = 0;
        for (size_t j = 0; j < p; j++)
            fitted += w->X[i * p + j] * w->beta[j];
        double res = d->y[i] - fitted, v = w->v[t];
        sv += v;
        sv2 += v * v;
        sv2r2 += v * v * res * res;
    }
    if (reml) {
        /* P = V^-1 - V^-1 X Q X' V^-1: tr P = sum v - tr(Q M2),
         * tr PP = sum v^2 - 2 tr(Q M3) + tr((Q M2)^2) */
        gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, w->Q, w->M2, 0.0, w->C);
        double trP = sv - trace_prod(w->Q, w->M2);
        double trPP = sv2 - 2 * trace_prod(w->Q, w->M3) + trace_prod(w->C, w->C);
        *s = -0.5 * trP + 0.5 * sv2r2;
        *F = 0.5 * trPP;
    } else {
        *s = -0.5 * sv + 0.5 * sv2r2;
        *F = 0.5 * sv2;
    }
}

static sol_status build_x(const sol_fh_data *d, fh_ws *w, sol_fh_result *r, sol_error *err)
{
    size_t m = d->m, p = 1;
    const char **lv[SOL_MAX_FH_TERMS] = {0};
    size_t nl[SOL_MAX_FH_TERMS] = {0};
    sol_status rc = SOL_OK;
    if (d->n_cov >= SOL_MAX_FH_TERMS)
        return sol__err(err, SOL_ELIMIT, "more than %u covariates", SOL_MAX_FH_TERMS - 1);
    for (size_t c = 0; c < d->n_cov; c++) {
        if (d->cov[c].text) {
            if ((rc = levels_of(d->cov[c].text, m, &lv[c], &nl[c])) != SOL_OK) {
                rc = sol__err(err, rc, "out of memory");
                goto out;
            }
            p += nl[c] ? nl[c] - 1 : 0;
        } else {
            p++;
        }
    }
    if (p >= SOL_MAX_FH_TERMS) {
        rc = sol__err(err, SOL_ELIMIT, "more than %u regression terms", SOL_MAX_FH_TERMS);
        goto out;
    }
    w->p = r->p = p;
    if ((w->X = sol__calloc(m * p + 1, sizeof *w->X)) == NULL ||
        (r->terms = sol__calloc(p, sizeof *r->terms)) == NULL ||
        (r->terms[0] = sol__strdup("(Intercept)")) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto out;
    }
    size_t col = 1;
    for (size_t c = 0; c < d->n_cov; c++) {
        const sol_fh_covariate *cv = &d->cov[c];
        if (cv->text) {
            for (size_t l = 1; l < nl[c]; l++) {
                size_t len = strlen(cv->name) + strlen(lv[c][l]) + 1;
                if ((r->terms[col + l - 1] = sol__malloc(len)) == NULL) {
                    rc = sol__err(err, SOL_ENOMEM, "out of memory");
                    goto out;
                }
                snprintf(r->terms[col + l - 1], len, "%s%s", cv->name, lv[c][l]);
            }
            for (size_t i = 0; i < m; i++) {
                const char **hit = bsearch(&cv->text[i], lv[c], nl[c], sizeof *lv[c], cmp_str);
                size_t l = (size_t)(hit - lv[c]);
                if (l > 0)
                    w->X[i * p + col + l - 1] = 1;
            }
            col += nl[c] ? nl[c] - 1 : 0;
        } else {
            if ((r->terms[col] = sol__strdup(cv->name)) == NULL) {
                rc = sol__err(err, SOL_ENOMEM, "out of memory");
                goto out;
            }
            for (size_t i = 0; i < m; i++) {
                if (!isfinite(cv->x[i])) {
                    char b[32];
                    rc = sol__err(err, SOL_EINVAL, "covariate '%s' is missing for area '%s'",
                                  cv->name, area_name(d, i, b, sizeof b));
                    goto out;
                }
                w->X[i * p + col] = cv->x[i];
            }
            col++;
        }
    }
    for (size_t i = 0; i < m; i++)
        w->X[i * p] = 1;
out:
    for (size_t c = 0; c < d->n_cov && c < SOL_MAX_FH_TERMS; c++)
        sol__free(lv[c]);
    return rc;
}

/* Why X'V^-1X cannot be inverted at sigma2_u = A (`at`: K > 0 at iteration K, AT_ESTIMATE at the
 * estimate, 0 unsaid; each a whole message for the translations), said as found:
 * a term that is 0, or a linear combination of the terms before it, over the areas with a
 * direct estimate (rank of X by Householder QR); else a sigma2_u below minus the smallest direct
 * variance, where the variances A + D_i are not all positive; else rounding. */
#define AT_ESTIMATE (-1L)
static sol_status singular_error(const fh_ws *w, const sol_fh_data *d, const sol_fh_result *r,
                                 double A, long at, sol_error *err)
{
    size_t p = w->p, nf = w->nf, imin = w->fit[0];
    gsl_matrix *QR = gsl_matrix_alloc(nf, p);
    gsl_vector *tau = gsl_vector_alloc(p);
    double *norm = sol__calloc(p, sizeof *norm);
    sol_status rc = SOL_OK;
    sol_buf m;
    sol__buf_init(&m, SOL_ERROR_MSG_MAX - 1);
    if (QR == NULL || tau == NULL || norm == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t t = 0; t < nf; t++)
        for (size_t j = 0; j < p; j++) {
            double x = w->X[w->fit[t] * p + j];
            gsl_matrix_set(QR, t, j, x);
            norm[j] += x * x;
        }
    if (gsl_linalg_QR_decomp(QR, tau) == GSL_SUCCESS)
        for (size_t j = 0; j < p; j++) {
            if (norm[j] > 0 && fabs(gsl_matrix_get(QR, j, j)) > 1e-9 * sqrt(norm[j]))
                continue;
            if (m.len > 0) {
                (void)sol__buf_addf(&m, _("; also '%s'"), r->terms[j]);
            } else if (!(norm[j] > 0)) {
                (void)sol__buf_addf(&m,
                                    _("the term '%s' is 0 in every area with a direct estimate "
                                      "(a level without such an area, or a covariate that is 0 "
                                      "there)"),
                                    r->terms[j]);
            } else {
                sol_buf before;
                sol__buf_init(&before, SOL_ERROR_MSG_MAX - 1);
                for (size_t i = 0; i < j; i++)
                    (void)sol__buf_addf(&before, "%s'%s'", i ? ", " : "", r->terms[i]);
                (void)sol__buf_addf(&m,
                                    _("collinear covariates: over the areas with a direct "
                                      "estimate, '%s' is a linear combination of the terms "
                                      "before it (%s)"),
                                    r->terms[j], before.data ? before.data : "");
                sol__buf_free(&before);
            }
        }
    if (m.len > 0) {
        if (at > 0)
            rc = sol__err(err, SOL_ENUMERIC,
                          "X'V^-1X is singular at iteration %ld: %s; drop or recode that "
                          "covariate",
                          at, m.data);
        else if (at == AT_ESTIMATE)
            rc = sol__err(err, SOL_ENUMERIC,
                          "X'V^-1X is singular at the estimate: %s; drop or recode that covariate",
                          m.data);
        else
            rc = sol__err(err, SOL_ENUMERIC,
                          "X'V^-1X is singular: %s; drop or recode that covariate", m.data);
        goto out;
    }
    for (size_t t = 1; t < nf; t++)
        if (d->vardir[w->fit[t]] < d->vardir[imin])
            imin = w->fit[t];
    char b[32];
    const char *area = area_name(d, imin, b, sizeof b);
    if (!(A + d->vardir[imin] > 0) && at > 0)
        rc = sol__err(err, SOL_ENUMERIC,
                      "X'V^-1X is not positive definite at iteration %ld: Fisher scoring took "
                      "sigma2_u to %g, below minus the smallest direct variance (%g, area '%s'), "
                      "so some variances sigma2_u + D_i are not positive. The covariates are not "
                      "collinear: sigma2_u is near 0 and the direct variances are very unequal",
                      at, A, d->vardir[imin], area);
    else if (!(A + d->vardir[imin] > 0) && at == AT_ESTIMATE)
        rc = sol__err(err, SOL_ENUMERIC,
                      "X'V^-1X is not positive definite at the estimate: Fisher scoring took "
                      "sigma2_u to %g, below minus the smallest direct variance (%g, area '%s'), "
                      "so some variances sigma2_u + D_i are not positive. The covariates are not "
                      "collinear: sigma2_u is near 0 and the direct variances are very unequal",
                      A, d->vardir[imin], area);
    else if (!(A + d->vardir[imin] > 0))
        rc = sol__err(err, SOL_ENUMERIC,
                      "X'V^-1X is not positive definite: Fisher scoring took sigma2_u to %g, "
                      "below minus the smallest direct variance (%g, area '%s'), so some "
                      "variances sigma2_u + D_i are not positive. The covariates are not "
                      "collinear: sigma2_u is near 0 and the direct variances are very unequal",
                      A, d->vardir[imin], area);
    else if (at > 0)
        rc = sol__err(err, SOL_ENUMERIC,
                      "X'V^-1X is numerically singular at iteration %ld (sigma2_u %g) although "
                      "the covariates are not collinear: covariates on very different scales can "
                      "cause this; rescale them",
                      at, A);
    else if (at == AT_ESTIMATE)
        rc = sol__err(err, SOL_ENUMERIC,
                      "X'V^-1X is numerically singular at the estimate (sigma2_u %g) although "
                      "the covariates are not collinear: covariates on very different scales can "
                      "cause this; rescale them",
                      A);
    else
        rc = sol__err(err, SOL_ENUMERIC,
                      "X'V^-1X is numerically singular (sigma2_u %g) although the covariates "
                      "are not collinear: covariates on very different scales can cause this; "
                      "rescale them",
                      A);
out:
    sol__buf_free(&m);
    sol__free(norm);
    gsl_vector_free(tau);
    gsl_matrix_free(QR);
    return rc;
}

sol_status sol__sae_fh_fit_core(const sol_fh_data *d, const sol_fh_opts *opts, sol_fh_result **out,
                                double *h, int bounded, sol_error *err)
{
    sol_fh_opts o = opts ? *opts : (sol_fh_opts){0};
    if (o.tol == 0)
        o.tol = 1e-10;
    if (o.max_iter == 0)
        o.max_iter = 100;
    if (d->m > SOL_MAX_FH_AREAS)
        return sol__err(err, SOL_ELIMIT, "more than %u areas", SOL_MAX_FH_AREAS);
    sol_status rc = SOL_ENOMEM;
    fh_ws w = {.m = d->m};
    double *dv = NULL;
    sol_fh_result *r = sol__calloc(1, sizeof *r);
    if (r == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    r->method = o.method;
    r->m = d->m;
    if ((rc = build_x(d, &w, r, err)) != SOL_OK)
        goto fail;
    size_t m = d->m, p = w.p;
    rc = SOL_ENOMEM;
    if ((w.fit = sol__malloc((m ? m : 1) * sizeof *w.fit)) == NULL ||
        (w.v = sol__malloc((m ? m : 1) * sizeof *w.v)) == NULL ||
        (dv = sol__malloc((m ? m : 1) * sizeof *dv)) == NULL ||
        (w.b = sol__malloc(p * sizeof *w.b)) == NULL ||
        (w.beta = sol__malloc(p * sizeof *w.beta)) == NULL ||
        (w.M1 = gsl_matrix_alloc(p, p)) == NULL || (w.M2 = gsl_matrix_alloc(p, p)) == NULL ||
        (w.M3 = gsl_matrix_alloc(p, p)) == NULL || (w.Q = gsl_matrix_alloc(p, p)) == NULL ||
        (w.C = gsl_matrix_alloc(p, p)) == NULL)
        goto fail;
    for (size_t i = 0; i < m; i++) {
        if (!isfinite(d->y[i]))
            continue;
        if (!(d->vardir[i] > 0) || !isfinite(d->vardir[i])) {
            char b[32];
            rc = sol__err(err, SOL_EINVAL,
                          "the direct variance of area '%s' is %g: it must be positive (an area "
                          "without a usable direct estimate should have no direct value)",
                          area_name(d, i, b, sizeof b), d->vardir[i]);
            goto fail;
        }
        dv[w.nf] = d->vardir[i];
        w.fit[w.nf++] = i;
    }
    r->m_fit = w.nf;
    if (w.nf < p + 1) {
        rc = sol__err(err, SOL_EINVAL,
                      "%zu areas have a direct estimate; the model with %zu terms needs at least "
                      "%zu",
                      w.nf, p, p + 1);
        goto fail;
    }
    w.nblk = w.nf / 2048 + 1;
    if (w.nblk > 64)
        w.nblk = 64;
    if ((w.part = sol__malloc(w.nblk * (3 * p * p + p) * sizeof *w.part)) == NULL) {
        rc = SOL_ENOMEM;
        goto fail;
    }
    double A = median(dv, w.nf);
    double Anew = A, diff = o.tol + 1, A0 = A > 0 ? A : 1;
    unsigned k = 0;
    int reml = o.method == SOL_FH_REML;
    while (diff > o.tol && k < o.max_iter) {
        k++;
        if (gls(&w, d, A, reml) != SOL_OK) {
            if (bounded && A < 0) { /* stepped below 0: leave it to the bounded search */
                diff = INFINITY;
                break;
            }
            rc = singular_error(&w, d, r, A, (long)k, err);
            goto fail;
        }
        double s, F;
        score_at(&w, d, reml, &s, &F);
        Anew = A + s / F;
        diff = fabs((Anew - A) / A);
        if (isnan(diff)) { /* a 0/0 step is no convergence: report it, never stop as done */
            diff = INFINITY;
            break;
        }
        A = Anew;
        if (bounded && A < 0) {
            diff = INFINITY;
            break;
        }
    }
    if (bounded && (diff > o.tol || !isfinite(A) || A < 0)) {
        /* the maximum over sigma2_u >= 0 (as emdi's optimize() on an interval from 0): 0 when
         * the score at 0 is not positive, else the score's root by bisection */
        double s, F, lo = 0, hi = A0;
        if (gls(&w, d, 0, reml) != SOL_OK) {
            rc = singular_error(&w, d, r, 0, 0, err);
            goto fail;
        }
        score_at(&w, d, reml, &s, &F);
        if (s <= 0) {
            A = 0;
        } else {
            for (int it = 0; it < 200; it++, hi *= 2) {
                if (gls(&w, d, hi, reml) != SOL_OK) {
                    rc = singular_error(&w, d, r, hi, 0, err);
                    goto fail;
                }
                score_at(&w, d, reml, &s, &F);
                if (s <= 0)
                    break;
                lo = hi;
            }
            for (int it = 0; it < 200 && hi - lo > 1e-14 * hi; it++) {
                double mid = 0.5 * (lo + hi);
                if (gls(&w, d, mid, reml) != SOL_OK) {
                    rc = singular_error(&w, d, r, mid, 0, err);
                    goto fail;
                }
                score_at(&w, d, reml, &s, &F);
                if (s > 0)
                    lo = mid;
                else
                    hi = mid;
            }
            A = 0.5 * (lo + hi);
        }
        diff = 0;
    }
    r->iterations = k;
    r->last_change = diff;
    r->converged = !(diff > o.tol);
    if (!r->converged) {
        *out = r;
        rc = SOL_OK;
        goto done;
    }
    A = A > 0 ? A : 0;
    r->sigma2_u = A;
    if (gls(&w, d, A, 1) != SOL_OK) {
        rc = singular_error(&w, d, r, A, AT_ESTIMATE, err);
        goto fail;
    }
    rc = SOL_ENOMEM;
    if ((r->beta = sol__malloc(p * sizeof *r->beta)) == NULL ||
        (r->beta_se = sol__malloc(p * sizeof *r->beta_se)) == NULL ||
        (r->z = sol__malloc(p * sizeof *r->z)) == NULL ||
        (r->pvalue = sol__malloc(p * sizeof *r->pvalue)) == NULL ||
        (r->eblup = sol__malloc((m ? m : 1) * sizeof *r->eblup)) == NULL ||
        (r->mse = sol__malloc((m ? m : 1) * sizeof *r->mse)) == NULL ||
        (r->gamma = sol__malloc((m ? m : 1) * sizeof *r->gamma)) == NULL ||
        (r->synthetic = sol__malloc((m ? m : 1) * sizeof *r->synthetic)) == NULL)
        goto fail;
    for (size_t j = 0; j < p; j++) {
        r->beta[j] = w.beta[j];
        r->beta_se[j] = sqrt(gsl_matrix_get(w.Q, j, j));
        r->z[j] = r->beta[j] / r->beta_se[j];
        r->pvalue[j] = 2 * gsl_cdf_ugaussian_Q(fabs(r->z[j]));
    }
    double sv2 = 0;
    for (size_t t = 0; t < w.nf; t++)
        sv2 += w.v[t] * w.v[t];
    double varA = 2 / sv2;
    double bML = reml ? 0 : -trace_prod(w.Q, w.M2) / sv2;
    double ll = 0;
    for (size_t i = 0; i < m; i++) {
        const double *x = &w.X[i * p];
        double syn = 0, xqx = 0;
        for (size_t j = 0; j < p; j++) {
            syn += x[j] * w.beta[j];
            double qx = 0;
            const double *qr = w.Q->data + j * w.Q->tda;
            for (size_t l = 0; l < p; l++)
                qx += qr[l] * x[l];
            xqx += x[j] * qx;
        }
        r->synthetic[i] = syn;
        if (h)
            h[i] = xqx;
        if (!isfinite(d->y[i])) {
            r->eblup[i] = syn;
            r->gamma[i] = 0;
            r->mse[i] = A + xqx;
            continue;
        }
        double D = d->vardir[i], V = A + D, B = D / V, res = d->y[i] - syn;
        r->gamma[i] = A / V;
        r->eblup[i] = syn + A / V * res;
        double g1 = D * (1 - B), g2 = B * B * xqx, g3 = B * B * varA / V;
        r->mse[i] = g1 + g2 + 2 * g3 - bML * B * B;
        ll += log(2 * 3.14159265358979323846 * V) + res * res / V;
    }
    r->loglik = -0.5 * ll;
    r->aic = -2 * r->loglik + 2 * (double)(p + 1);
    r->bic = -2 * r->loglik + (double)(p + 1) * log((double)w.nf);
    *out = r;
    rc = SOL_OK;
    goto done;
fail:
    if (rc == SOL_ENOMEM)
        sol__err(err, rc, "out of memory");
    sol_fh_result_free(r);
done:
    sol__free_n(7, w.X, w.fit, w.v, dv, w.b, w.beta, w.part);
    gsl_matrix_free(w.M1);
    gsl_matrix_free(w.M2);
    gsl_matrix_free(w.M3);
    gsl_matrix_free(w.Q);
    gsl_matrix_free(w.C);
    return rc;
}

sol_status sol_sae_fh_fit(const sol_fh_data *d, const sol_fh_opts *opts, sol_fh_result **out,
                          sol_error *err)
{
    sol_fh_opts o = opts ? *opts : (sol_fh_opts){0};
    double *h = NULL;
    if (o.transform == SOL_FH_TR_NONE && o.boot_b > 0)
        return sol__err(err, SOL_EINVAL, "the bootstrap MSE is for the arcsin transformation");
    if (o.transform == SOL_FH_TR_NONE)
        return sol__sae_fh_fit_core(d, &o, out, NULL, 0, err);
    if (o.transform != SOL_FH_TR_LOG && o.transform != SOL_FH_TR_ARCSIN)
        return sol__err(err, SOL_EINVAL, "unknown transformation %d", (int)o.transform);
    if (o.boot_b > 0 && o.transform != SOL_FH_TR_ARCSIN)
        return sol__err(err, SOL_EINVAL,
                        "the bootstrap MSE is for the arcsin transformation (log has an "
                        "analytical MSE)");
    if (o.boot_b > SOL_MAX_FH_BOOT)
        return sol__err(err, SOL_ELIMIT, "more than %u bootstrap replicates", SOL_MAX_FH_BOOT);
    if (o.backtransform == SOL_FH_BT_CRUDE && o.transform != SOL_FH_TR_LOG)
        return sol__err(err, SOL_EINVAL, "the crude bias correction is for the log transformation");
    if (o.backtransform != SOL_FH_BT_BC && o.backtransform != SOL_FH_BT_NAIVE &&
        o.backtransform != SOL_FH_BT_CRUDE)
        return sol__err(err, SOL_EINVAL, "unknown back-transformation %d", (int)o.backtransform);
    if (d->m > SOL_MAX_FH_AREAS)
        return sol__err(err, SOL_ELIMIT, "more than %u areas", SOL_MAX_FH_AREAS);
    size_t m = d->m;
    sol_fh_result *r = NULL;
    double *yt = sol__malloc((m + 1) * sizeof *yt), *vt = sol__malloc((m + 1) * sizeof *vt);
    h = sol__malloc((m + 1) * sizeof *h);
    sol_status rc;
    if (yt == NULL || vt == NULL || h == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < m; i++) {
        double y = d->y[i];
        char b[32];
        yt[i] = vt[i] = NAN;
        if (!isfinite(y))
            continue;
        if (o.transform == SOL_FH_TR_LOG) {
            if (!(y > 0)) {
                rc = sol__err(err, SOL_EINVAL,
                              "the direct estimate of area '%s' is %g: the log transformation "
                              "needs a value above 0 (leave it empty to get the synthetic "
                              "estimate, or use no transformation)",
                              area_name(d, i, b, sizeof b), y);
                goto fail;
            }
            yt[i] = log(y);
            vt[i] = d->vardir[i] / (y * y);
        } else {
            if (!(y >= 0 && y <= 1)) {
                rc = sol__err(err, SOL_EINVAL,
                              "the direct estimate of area '%s' is %g: the arcsin transformation "
                              "is for proportions in [0, 1]",
                              area_name(d, i, b, sizeof b), y);
                goto fail;
            }
            double n = d->eff_n ? d->eff_n[i] : NAN;
            if (!(n > 0) || !isfinite(n)) {
                if (isnan(n))
                    rc = sol__err(err, SOL_EINVAL,
                                  "the effective sample size of area '%s' is missing: the "
                                  "arcsin transformation needs a positive number where there "
                                  "is a direct estimate (its sampling variance is 1 / (4 n))",
                                  area_name(d, i, b, sizeof b));
                else
                    rc = sol__err(err, SOL_EINVAL,
                                  "the effective sample size of area '%s' is %g: the arcsin "
                                  "transformation needs a positive number where there is a "
                                  "direct estimate (its sampling variance is 1 / (4 n))",
                                  area_name(d, i, b, sizeof b), n);
                goto fail;
            }
            yt[i] = asin(sqrt(y));
            vt[i] = 1 / (4 * n);
        }
    }
    sol_fh_data dt = *d;
    dt.y = yt;
    dt.vardir = vt;
    if ((rc = sol__sae_fh_fit_core(&dt, &o, &r, h, 0, err)) != SOL_OK)
        goto fail;
    r->transform = o.transform;
    r->backtransform = o.backtransform;
    r->y_t = yt;
    r->vardir_t = vt;
    yt = vt = NULL;
    if (r->converged && (rc = sol__sae_fh_backtransform(r, h, err)) != SOL_OK)
        goto fail;
    if (r->converged && o.transform == SOL_FH_TR_ARCSIN && o.boot_b > 0 &&
        (rc = sol__sae_fh_boot_arcsin(&dt, &o, r, err)) != SOL_OK)
        goto fail;
    sol__free(h);
    *out = r;
    return SOL_OK;
fail:
    sol_fh_result_free(r);
    sol__free(yt);
    sol__free(vt);
    sol__free(h);
    return rc;
}
