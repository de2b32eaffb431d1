/* simplex.c - least squares over the simplex (w >= 0, sum w = 1), solved exactly as the minimum-
 * norm point of the polytope spanned by the columns a_j - b (Wolfe 1976, Math. Programming 11). */
#include <solidata/evaluate.h>

#include "core/core.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <string.h>

static double dot(const double *x, const double *y, size_t k)
{
    double s = 0;
    for (size_t i = 0; i < k; i++)
        s += x[i] * y[i];
    return s;
}

/* Affine minimiser of the points P[S]: alpha = G^-1 1 / (1' G^-1 1), G = P_S'P_S + 11'. */
static int affine_min(const double *P, size_t k, const size_t *S, size_t m, double *alpha,
                      gsl_matrix *G, gsl_vector *one)
{
    gsl_matrix_view Gv = gsl_matrix_submatrix(G, 0, 0, m, m);
    gsl_vector_view ov = gsl_vector_subvector(one, 0, m);
    for (size_t a = 0; a < m; a++)
        for (size_t c = 0; c <= a; c++) {
            double g = dot(P + S[a] * k, P + S[c] * k, k) + 1.0;
            gsl_matrix_set(&Gv.matrix, a, c, g);
            gsl_matrix_set(&Gv.matrix, c, a, g);
        }
    gsl_vector_set_all(&ov.vector, 1.0);
    int gs = gsl_linalg_cholesky_decomp1(&Gv.matrix);
    if (gs == GSL_SUCCESS)
        gs = gsl_linalg_cholesky_svx(&Gv.matrix, &ov.vector);
    if (gs != GSL_SUCCESS)
        return gs;
    double s = 0;
    for (size_t a = 0; a < m; a++)
        s += gsl_vector_get(&ov.vector, a);
    if (!(s != 0) || !isfinite(s))
        return GSL_ESING;
    for (size_t a = 0; a < m; a++)
        alpha[a] = gsl_vector_get(&ov.vector, a) / s;
    return GSL_SUCCESS;
}

sol_status sol_synth_simplex_ls(const double *A, const double *b, size_t k, size_t J, double *w,
                                sol_error *err)
{
    if (J == 0 || k == 0)
        return sol__err(err, SOL_EINVAL, "no donors or no predictors");
    sol_status rc = SOL_ENOMEM;
    double *P = sol__malloc(k * J * sizeof *P), *x = sol__malloc(k * sizeof *x);
    double *lam = sol__calloc(J, sizeof *lam), *alpha = sol__malloc(J * sizeof *alpha);
    size_t *S = sol__malloc(J * sizeof *S);
    gsl_matrix *G = gsl_matrix_alloc(J, J);
    gsl_vector *one = gsl_vector_alloc(J);
    if (!P || !x || !lam || !alpha || !S || !G || !one)
        goto fail;
    double maxn = 0;
    size_t j0 = 0;
    for (size_t j = 0; j < J; j++) {
        for (size_t i = 0; i < k; i++)
            P[j * k + i] = A[j * k + i] - b[i];
        double nj = dot(P + j * k, P + j * k, k);
        if (nj > maxn)
            maxn = nj;
        if (nj < dot(P + j0 * k, P + j0 * k, k))
            j0 = j;
    }
    size_t m = 1;
    S[0] = j0;
    lam[0] = 1.0; /* lam[a] is the weight of S[a] */
    memcpy(x, P + j0 * k, k * sizeof *x);
    const double tol = 1e-12 * (maxn > 0 ? maxn : 1.0), ztol = 1e-14; /* Wolfe's Z1, Z2 */
    size_t iter = 0, max_iter = 50 * J + 1000;
    for (;;) {
        if (++iter > max_iter) {
            rc = sol__err(err, SOL_ENUMERIC, "the simplex least-squares did not converge");
            goto fail;
        }
        double xx = dot(x, x, k), best = INFINITY;
        size_t jb = 0;
        for (size_t j = 0; j < J; j++) {
            double v = dot(x, P + j * k, k);
            if (v < best) {
                best = v;
                jb = j;
            }
        }
        if (xx - best <= tol)
            break;
        int in = 0;
        for (size_t a = 0; a < m; a++)
            in |= S[a] == jb;
        if (in)
            break;
        S[m] = jb;
        lam[m++] = 0.0;
        for (;;) { /* minor cycle */
            if (++iter > max_iter) {
                rc = sol__err(err, SOL_ENUMERIC, "the simplex least-squares did not converge");
                goto fail;
            }
            int gs = affine_min(P, k, S, m, alpha, G, one);
            if (gs != GSL_SUCCESS) {
                /* the new point is affinely dependent on the corral: x is optimal to precision */
                m--;
                goto done;
            }
            int allpos = 1;
            for (size_t a = 0; a < m; a++)
                allpos &= alpha[a] > ztol;
            if (allpos) {
                memcpy(lam, alpha, m * sizeof *lam);
                break;
            }
            double theta = 1.0;
            for (size_t a = 0; a < m; a++)
                if (alpha[a] <= ztol && lam[a] - alpha[a] > 0) {
                    double th = lam[a] / (lam[a] - alpha[a]);
                    if (th < theta)
                        theta = th;
                }
            size_t keep = 0;
            for (size_t a = 0; a < m; a++) {
                double l = theta * alpha[a] + (1 - theta) * lam[a];
                if (l > ztol) {
                    S[keep] = S[a];
                    lam[keep++] = l;
                }
            }
            if (keep == 0) {
                rc = sol__err(err, SOL_ENUMERIC, "the simplex least-squares lost its support");
                goto fail;
            }
            m = keep;
            double s = 0;
            for (size_t a = 0; a < m; a++)
                s += lam[a];
            for (size_t a = 0; a < m; a++)
                lam[a] /= s;
        }
        for (size_t i = 0; i < k; i++) {
            x[i] = 0;
            for (size_t a = 0; a < m; a++)
                x[i] += lam[a] * P[S[a] * k + i];
        }
    }
done:
    memset(w, 0, J * sizeof *w);
    for (size_t a = 0; a < m; a++)
        w[S[a]] = lam[a];
    rc = SOL_OK;
fail:
    if (rc == SOL_ENOMEM)
        sol__err(err, rc, "out of memory");
    sol__free_n(5, P, x, lam, alpha, S);
    gsl_matrix_free(G);
    gsl_vector_free(one);
    return rc;
}
