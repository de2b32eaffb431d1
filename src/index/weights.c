/* weights.c - weights derived from data: first principal component of the correlation matrix, and
 * the OECD/JRC factor-analysis weights (principal factors with eigenvalue > 1, varimax rotation,
 * squared loadings); Kaiser's varimax ported from R's stats::varimax. */
#include "index/index_int.h"

#include "core/core.h"

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <string.h>

/* Correlation matrix (k x k, gsl) of the listed columns over the rows complete in all of them. */
static sol_status corr_matrix(const double *z, size_t n, size_t stride, const size_t *cols,
                              size_t k, gsl_matrix *R, sol_error *err)
{
    double *mean = sol__calloc(k, sizeof *mean);
    if (mean == NULL)
        return SOL_ENOMEM;
    size_t c = 0;
    for (size_t i = 0; i < n; i++) {
        int ok = 1;
        for (size_t a = 0; a < k; a++)
            ok &= !isnan(z[i * stride + (cols ? cols[a] : a)]);
        if (!ok)
            continue;
        c++;
        for (size_t a = 0; a < k; a++)
            mean[a] += z[i * stride + (cols ? cols[a] : a)];
    }
    if (c < 3) {
        sol__free(mean);
        return sol__err(err, SOL_EINVAL, "too few complete rows (%zu) for a correlation matrix", c);
    }
    for (size_t a = 0; a < k; a++)
        mean[a] /= (double)c;
    gsl_matrix_set_zero(R);
    for (size_t i = 0; i < n; i++) {
        int ok = 1;
        for (size_t a = 0; a < k; a++)
            ok &= !isnan(z[i * stride + (cols ? cols[a] : a)]);
        if (!ok)
            continue;
        for (size_t a = 0; a < k; a++) {
            double da = z[i * stride + (cols ? cols[a] : a)] - mean[a];
            for (size_t b = 0; b <= a; b++) {
                double db = z[i * stride + (cols ? cols[b] : b)] - mean[b];
                R->data[a * R->tda + b] += da * db;
            }
        }
    }
    for (size_t a = 0; a < k; a++)
        for (size_t b = 0; b < a; b++) {
            double r =
                gsl_matrix_get(R, a, b) / sqrt(gsl_matrix_get(R, a, a) * gsl_matrix_get(R, b, b));
            gsl_matrix_set(R, a, b, r);
            gsl_matrix_set(R, b, a, r);
        }
    for (size_t a = 0; a < k; a++)
        gsl_matrix_set(R, a, a, 1.0);
    sol__free(mean);
    return SOL_OK;
}

/* Eigen-decomposition of R, eigenvalues descending. */
static sol_status eigen(gsl_matrix *R, gsl_vector *eval, gsl_matrix *evec, sol_error *err)
{
    size_t k = R->size1;
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(k);
    if (w == NULL)
        return SOL_ENOMEM;
    int gs = gsl_eigen_symmv(R, eval, evec, w);
    gsl_eigen_symmv_free(w);
    if (gs == GSL_SUCCESS)
        gs = gsl_eigen_symmv_sort(eval, evec, GSL_EIGEN_SORT_VAL_DESC);
    if (gs != GSL_SUCCESS)
        return sol__err(err, SOL_ENUMERIC, "eigen-decomposition failed: %s", gsl_strerror(gs));
    return SOL_OK;
}

sol_status sol__index_varimax(double *L, size_t p, size_t q, double eps, sol_error *err)
{
    if (q < 2)
        return SOL_OK;
    sol_status rc = SOL_ENOMEM;
    double *sc = sol__malloc(p * sizeof *sc);
    gsl_matrix *x = gsl_matrix_alloc(p, q), *zz = gsl_matrix_alloc(p, q);
    gsl_matrix *TT = gsl_matrix_alloc(q, q), *B = gsl_matrix_alloc(q, q);
    gsl_matrix *V = gsl_matrix_alloc(q, q);
    gsl_vector *S = gsl_vector_alloc(q), *work = gsl_vector_alloc(q), *cs = gsl_vector_alloc(q);
    if (sc == NULL || !x || !zz || !TT || !B || !V || !S || !work || !cs)
        goto done;
    for (size_t i = 0; i < p; i++) {
        double s = 0;
        for (size_t j = 0; j < q; j++)
            s += L[i * q + j] * L[i * q + j];
        sc[i] = sqrt(s);
        for (size_t j = 0; j < q; j++)
            gsl_matrix_set(x, i, j, L[i * q + j] / sc[i]);
    }
    gsl_matrix_set_identity(TT);
    double d = 0;
    for (int it = 0; it < 1000; it++) {
        /* z = x TT */
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < q; j++) {
                double s = 0;
                for (size_t t = 0; t < q; t++)
                    s += gsl_matrix_get(x, i, t) * gsl_matrix_get(TT, t, j);
                gsl_matrix_set(zz, i, j, s);
            }
        for (size_t j = 0; j < q; j++) {
            double s = 0;
            for (size_t i = 0; i < p; i++)
                s += gsl_matrix_get(zz, i, j) * gsl_matrix_get(zz, i, j);
            gsl_vector_set(cs, j, s);
        }
        /* B = t(x) (z^3 - z diag(cs) / p) */
        for (size_t a = 0; a < q; a++)
            for (size_t b = 0; b < q; b++) {
                double s = 0;
                for (size_t i = 0; i < p; i++) {
                    double zv = gsl_matrix_get(zz, i, b);
                    s += gsl_matrix_get(x, i, a) *
                         (zv * zv * zv - zv * gsl_vector_get(cs, b) / (double)p);
                }
                gsl_matrix_set(B, a, b, s);
            }
        int gs = gsl_linalg_SV_decomp(B, V, S, work); /* B <- U */
        if (gs != GSL_SUCCESS) {
            rc = sol__err(err, SOL_ENUMERIC, "varimax: SVD failed: %s", gsl_strerror(gs));
            goto done;
        }
        for (size_t a = 0; a < q; a++)
            for (size_t b = 0; b < q; b++) {
                double s = 0;
                for (size_t t = 0; t < q; t++)
                    s += gsl_matrix_get(B, a, t) * gsl_matrix_get(V, b, t);
                gsl_matrix_set(TT, a, b, s);
            }
        double dpast = d;
        d = 0;
        for (size_t t = 0; t < q; t++)
            d += gsl_vector_get(S, t);
        if (d < dpast * (1 + eps))
            break;
    }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < q; j++) {
            double s = 0;
            for (size_t t = 0; t < q; t++)
                s += gsl_matrix_get(x, i, t) * gsl_matrix_get(TT, t, j);
            L[i * q + j] = s * sc[i];
        }
    rc = SOL_OK;
done:
    sol__free(sc);
    gsl_matrix_free(x);
    gsl_matrix_free(zz);
    gsl_matrix_free(TT);
    gsl_matrix_free(B);
    gsl_matrix_free(V);
    gsl_vector_free(S);
    gsl_vector_free(work);
    gsl_vector_free(cs);
    return rc;
}

sol_status sol__index_data_weights(const double *z, size_t n, size_t stride, const size_t *cols,
                                   size_t k, sol_index_weighting how, double *w, sol_error *err)
{
    if (k == 1) {
        w[0] = 1.0;
        return SOL_OK;
    }
    sol_status rc = SOL_ENOMEM;
    gsl_matrix *R = gsl_matrix_alloc(k, k), *V = gsl_matrix_alloc(k, k);
    gsl_vector *ev = gsl_vector_alloc(k);
    double *L = NULL, *ss = NULL;
    if (R == NULL || V == NULL || ev == NULL)
        goto done;
    if ((rc = corr_matrix(z, n, stride, cols, k, R, err)) != SOL_OK ||
        (rc = eigen(R, ev, V, err)) != SOL_OK)
        goto done;
    if (how == SOL_WEIGHT_PCA) {
        for (size_t a = 0; a < k; a++)
            w[a] = gsl_matrix_get(V, a, 0) * gsl_matrix_get(V, a, 0);
        rc = SOL_OK;
        goto done;
    }
    size_t q = 0;
    while (q < k && gsl_vector_get(ev, q) > 1.0)
        q++;
    if (q == 0)
        q = 1;
    rc = SOL_ENOMEM;
    if ((L = sol__malloc(k * q * sizeof *L)) == NULL || (ss = sol__calloc(q, sizeof *ss)) == NULL)
        goto done;
    for (size_t a = 0; a < k; a++)
        for (size_t f = 0; f < q; f++)
            L[a * q + f] = gsl_matrix_get(V, a, f) * sqrt(gsl_vector_get(ev, f));
    if ((rc = sol__index_varimax(L, k, q, 1e-10, err)) != SOL_OK)
        goto done;
    double tot = 0;
    for (size_t a = 0; a < k; a++)
        for (size_t f = 0; f < q; f++)
            ss[f] += L[a * q + f] * L[a * q + f];
    for (size_t f = 0; f < q; f++)
        tot += ss[f];
    double wsum = 0;
    for (size_t a = 0; a < k; a++) {
        size_t best = 0;
        for (size_t f = 1; f < q; f++)
            if (L[a * q + f] * L[a * q + f] > L[a * q + best] * L[a * q + best])
                best = f;
        w[a] = L[a * q + best] * L[a * q + best] / ss[best] * ss[best] / tot;
        wsum += w[a];
    }
    for (size_t a = 0; a < k; a++)
        w[a] /= wsum;
    rc = SOL_OK;
done:
    gsl_matrix_free(R);
    gsl_matrix_free(V);
    gsl_vector_free(ev);
    sol__free(L);
    sol__free(ss);
    return rc;
}

sol_status sol__index_pca_explained(const double *z, size_t n, size_t stride, size_t k,
                                    double *share, sol_error *err)
{
    sol_status rc = SOL_ENOMEM;
    gsl_matrix *R = gsl_matrix_alloc(k, k), *V = gsl_matrix_alloc(k, k);
    gsl_vector *ev = gsl_vector_alloc(k);
    if (R == NULL || V == NULL || ev == NULL)
        goto done;
    if ((rc = corr_matrix(z, n, stride, NULL, k, R, err)) != SOL_OK ||
        (rc = eigen(R, ev, V, err)) != SOL_OK)
        goto done;
    for (size_t a = 0; a < k; a++)
        share[a] = gsl_vector_get(ev, a) / (double)k;
    rc = SOL_OK;
done:
    gsl_matrix_free(R);
    gsl_matrix_free(V);
    gsl_vector_free(ev);
    return rc;
}

sol_status sol__index_corr(const double *z, size_t n, size_t stride, size_t k, double *out,
                           sol_error *err)
{
    gsl_matrix *R = gsl_matrix_alloc(k, k);
    if (R == NULL)
        return SOL_ENOMEM;
    sol_status rc = corr_matrix(z, n, stride, NULL, k, R, err);
    if (rc == SOL_OK)
        for (size_t a = 0; a < k; a++)
            for (size_t b = 0; b < k; b++)
                out[a * k + b] = gsl_matrix_get(R, a, b);
    gsl_matrix_free(R);
    return rc;
}
