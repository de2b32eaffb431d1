/* did.c - difference-in-differences: the 2x2 regression, two-way fixed effects (unit effects
 * absorbed by demeaning, period dummies explicit) with an event study and the parallel-trends
 * pre-test; classical, HC1 and unit-clustered standard errors. */
#include <solidata/evaluate.h>

#include "core/core.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A regression ready for OLS: n rows, p columns, row-major. */
typedef struct design {
    size_t n, p;
    double *X, *y;
    double *ref_norm; /* column norms before demeaning, for the collinearity test */
    char **names;     /* p, owned */
    size_t *cluster;  /* n cluster indices, or NULL */
    size_t G;         /* clusters */
    size_t absorbed;  /* unit effects absorbed by demeaning (0 in the 2x2 design) */
    int has_const;
} design;

typedef struct fit {
    double *b, *V; /* p and p*p */
    double df;
} fit;

static void design_free(design *d)
{
    if (d->names)
        for (size_t j = 0; j < d->p; j++)
            sol__free(d->names[j]);
    sol__free_n(4, d->names, d->X, d->y, d->ref_norm);
    memset(d, 0, sizeof *d);
}

static void fit_free(fit *f)
{
    sol__free(f->b);
    sol__free(f->V);
    f->b = f->V = NULL;
}

const char *sol_se_name(sol_se_kind k)
{
    switch (k) {
    case SOL_SE_HC1: return "hc1";
    case SOL_SE_CLUSTER: return "cluster";
    default: return "classical";
    }
}

sol_status sol_se_parse(const char *name, sol_se_kind *out)
{
    static const sol_se_kind kinds[] = {SOL_SE_CLASSICAL, SOL_SE_HC1, SOL_SE_CLUSTER};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(name, sol_se_name(kinds[i])) == 0) {
            *out = kinds[i];
            return SOL_OK;
        }
    return SOL_EINVAL;
}

static sol_status gsl_fail(sol_error *err, const char *what, int gs)
{
    return sol__err(err, SOL_ENUMERIC, "%s failed: %s", _(what), gsl_strerror(gs));
}

/* Name the columns that add nothing to the ones before them. */
static sol_status collinear_error(const design *d, const gsl_matrix *QR, sol_error *err)
{
    sol_buf m;
    sol__buf_init(&m, SOL_ERROR_MSG_MAX - 1);
    int first = 1;
    for (size_t j = 0; j < d->p; j++) {
        double r = fabs(gsl_matrix_get(QR, j, j));
        if (!(d->ref_norm[j] > 0) || r <= 1e-9 * d->ref_norm[j]) {
            if (first && !(d->ref_norm[j] > 0)) {
                (void)sol__buf_addf(&m, _("collinear regressors: '%s' is zero in every used row"),
                                    d->names[j]);
            } else if (first && j == 0 && d->absorbed) {
                (void)sol__buf_addf(
                    &m, _("collinear regressors: '%s' is constant within every unit"), d->names[j]);
            } else if (first) {
                sol_buf before;
                sol__buf_init(&before, SOL_ERROR_MSG_MAX - 1);
                for (size_t i = 0; i < j; i++)
                    (void)sol__buf_addf(&before, "%s'%s'", i ? ", " : "", d->names[i]);
                const char *b = before.data ? before.data : "";
                if (d->absorbed)
                    (void)sol__buf_addf(&m,
                                        _("collinear regressors: '%s' is a linear combination of "
                                          "%s and the unit effects"),
                                        d->names[j], b);
                else
                    (void)sol__buf_addf(
                        &m, _("collinear regressors: '%s' is a linear combination of %s"),
                        d->names[j], b);
                sol__buf_free(&before);
            } else
                (void)sol__buf_addf(&m, _("; also '%s'"), d->names[j]);
            first = 0;
        }
    }
    sol_status rc = m.data ? sol__err(err, SOL_EINVAL, "%s; drop it from --controls", m.data)
                           : sol__err(err, SOL_EINVAL, "collinear regressors");
    sol__buf_free(&m);
    return rc;
}

/* OLS by Householder QR; variance as asked. */
static sol_status ols(const design *d, sol_se_kind se, fit *f, sol_error *err)
{
    size_t n = d->n, p = d->p;
    sol_status rc = SOL_ENOMEM;
    gsl_matrix *QR = NULL, *R = NULL, *B = NULL, *M = NULL, *T = NULL;
    gsl_vector *tau = NULL, *b = NULL, *res = NULL;
    double *u = NULL;
    int gs;
    memset(f, 0, sizeof *f);
    double K_all = (double)(p + d->absorbed);
    if ((double)n <= K_all)
        return sol__err(err, SOL_EINVAL, "too few rows: %zu rows for %zu coefficients", n,
                        p + d->absorbed);
    if ((QR = gsl_matrix_alloc(n, p)) == NULL || (tau = gsl_vector_alloc(p)) == NULL ||
        (b = gsl_vector_alloc(p)) == NULL || (res = gsl_vector_alloc(n)) == NULL ||
        (R = gsl_matrix_calloc(p, p)) == NULL || (B = gsl_matrix_alloc(p, p)) == NULL ||
        (M = gsl_matrix_calloc(p, p)) == NULL || (T = gsl_matrix_alloc(p, p)) == NULL)
        goto fail;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p; j++)
            gsl_matrix_set(QR, i, j, d->X[i * p + j]);
    if ((gs = gsl_linalg_QR_decomp(QR, tau)) != GSL_SUCCESS) {
        rc = gsl_fail(err, N_("QR decomposition"), gs);
        goto fail;
    }
    for (size_t j = 0; j < p; j++) {
        double r = fabs(gsl_matrix_get(QR, j, j));
        if (!(d->ref_norm[j] > 0) || r <= 1e-9 * d->ref_norm[j]) {
            rc = collinear_error(d, QR, err);
            goto fail;
        }
    }
    gsl_vector_const_view yv = gsl_vector_const_view_array(d->y, n);
    if ((gs = gsl_linalg_QR_lssolve(QR, tau, &yv.vector, b, res)) != GSL_SUCCESS) {
        rc = gsl_fail(err, N_("least squares"), gs);
        goto fail;
    }
    for (size_t i = 0; i < p; i++)
        for (size_t j = i; j < p; j++)
            gsl_matrix_set(R, i, j, gsl_matrix_get(QR, i, j));
    if ((gs = gsl_linalg_tri_invert(CblasUpper, CblasNonUnit, R)) != GSL_SUCCESS) {
        rc = gsl_fail(err, N_("triangular inverse"), gs);
        goto fail;
    }
    /* (X'X)^-1 = R^-1 R^-T */
    if ((gs = gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, R, R, 0.0, B)) != GSL_SUCCESS) {
        rc = gsl_fail(err, N_("matrix product"), gs);
        goto fail;
    }
    double dfres = (double)n - K_all;
    double scale = 1.0;
    f->df = dfres;
    if (se == SOL_SE_CLASSICAL) {
        double rss = 0;
        for (size_t i = 0; i < n; i++)
            rss += gsl_vector_get(res, i) * gsl_vector_get(res, i);
        gsl_matrix_memcpy(T, B);
        gsl_matrix_scale(T, rss / dfres);
    } else {
        if (se == SOL_SE_HC1) {
            for (size_t i = 0; i < n; i++) {
                double e2 = gsl_vector_get(res, i) * gsl_vector_get(res, i);
                const double *x = d->X + i * p;
                for (size_t a = 0; a < p; a++)
                    for (size_t c = 0; c <= a; c++)
                        M->data[a * M->tda + c] += e2 * x[a] * x[c];
            }
            scale = (double)n / dfres;
        } else {
            if ((u = sol__calloc(d->G * p, sizeof *u)) == NULL)
                goto fail;
            for (size_t i = 0; i < n; i++) {
                double e = gsl_vector_get(res, i);
                for (size_t a = 0; a < p; a++)
                    u[d->cluster[i] * p + a] += e * d->X[i * p + a];
            }
            for (size_t g = 0; g < d->G; g++)
                for (size_t a = 0; a < p; a++)
                    for (size_t c = 0; c <= a; c++)
                        M->data[a * M->tda + c] += u[g * p + a] * u[g * p + c];
            double G = (double)d->G;
            double K = (double)p + (d->has_const ? 0.0 : 1.0);
            scale = G / (G - 1.0) * ((double)n - 1.0) / ((double)n - K);
            f->df = G - 1.0;
        }
        for (size_t a = 0; a < p; a++)
            for (size_t c = a + 1; c < p; c++)
                M->data[a * M->tda + c] = M->data[c * M->tda + a];
        /* V = scale * B M B */
        if ((gs = gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, B, M, 0.0, R)) != GSL_SUCCESS ||
            (gs = gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, scale, R, B, 0.0, T)) != GSL_SUCCESS) {
            rc = gsl_fail(err, N_("matrix product"), gs);
            goto fail;
        }
    }
    if ((f->b = sol__malloc(p * sizeof *f->b)) == NULL ||
        (f->V = sol__malloc(p * p * sizeof *f->V)) == NULL)
        goto fail;
    for (size_t j = 0; j < p; j++)
        f->b[j] = gsl_vector_get(b, j);
    for (size_t a = 0; a < p; a++)
        for (size_t c = 0; c < p; c++)
            f->V[a * p + c] = gsl_matrix_get(T, a, c);
    rc = SOL_OK;
fail:
    if (rc == SOL_ENOMEM)
        sol__err(err, rc, "out of memory in the regression");
    if (rc != SOL_OK)
        fit_free(f);
    sol__free(u);
    gsl_matrix_free(QR);
    gsl_matrix_free(R);
    gsl_matrix_free(B);
    gsl_matrix_free(M);
    gsl_matrix_free(T);
    gsl_vector_free(tau);
    gsl_vector_free(b);
    gsl_vector_free(res);
    return rc;
}

/* ---- reading the rows ------------------------------------------------------------------------ */

typedef struct rows {
    size_t n, dropped;
    double *y, *tr, *po, *ctl; /* ctl: n * n_controls */
    size_t *unit, *time;       /* indices, when asked */
    size_t n_units, n_times;
    char **unit_names, **time_names; /* owned */
} rows;

static void rows_free(rows *r)
{
    sol__free_n(6, r->y, r->tr, r->po, r->ctl, r->unit, r->time);
    for (size_t i = 0; r->unit_names && i < r->n_units; i++)
        sol__free(r->unit_names[i]);
    for (size_t i = 0; r->time_names && i < r->n_times; i++)
        sol__free(r->time_names[i]);
    sol__free(r->unit_names);
    sol__free(r->time_names);
    memset(r, 0, sizeof *r);
}

static sol_status find_col(const sol_dtable *t, const char *name, const char *flag, long *out,
                           sol_error *err)
{
    *out = sol_dtable_col(t, name);
    if (*out < 0)
        return sol__err_at(err, SOL_ENOTFOUND, sol_dtable_name(t), 1, 0,
                           "no column named '%s' in the header (%s)", name, flag);
    return SOL_OK;
}

typedef struct tkey {
    const char *s;
    double v;
    int num;
} tkey;

static int cmp_tkey(const void *a, const void *b)
{
    const tkey *x = a, *y = b;
    if (x->num && y->num)
        return (x->v > y->v) - (x->v < y->v);
    return strcmp(x->s, y->s);
}

/* Distinct labels of a column over the kept rows, sorted (numerically when all are numbers),
 * and each row's index among them. */
static sol_status index_labels(const sol_dtable *t, long col, const size_t *keep, size_t n,
                               size_t *idx, char ***names, size_t *count, sol_error *err)
{
    sol_status rc = SOL_ENOMEM;
    sol_strmap *m = sol__strmap_new(64);
    tkey *k = NULL;
    size_t nk = 0;
    if (m == NULL)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        const char *s = sol_dtable_cell(t, keep[i], (size_t)col);
        int64_t v;
        if (!sol__strmap_get(m, s, strlen(s), &v)) {
            if ((rc = sol__strmap_put(m, s, strlen(s), (int64_t)nk)) != SOL_OK)
                goto fail;
            nk++;
        }
    }
    rc = SOL_ENOMEM; /* what a failed allocation below returns (the puts above left SOL_OK) */
    if ((k = sol__calloc(nk ? nk : 1, sizeof *k)) == NULL)
        goto fail;
    int allnum = 1;
    for (size_t i = 0; i < n; i++) {
        const char *s = sol_dtable_cell(t, keep[i], (size_t)col);
        int64_t v;
        sol__strmap_get(m, s, strlen(s), &v);
        k[v].s = s;
    }
    for (size_t i = 0; i < nk; i++) {
        k[i].num = sol__parse_double(k[i].s, strlen(k[i].s), 0, &k[i].v) == SOL_OK;
        allnum &= k[i].num;
    }
    for (size_t i = 0; i < nk; i++)
        k[i].num = allnum;
    qsort(k, nk, sizeof *k, cmp_tkey);
    sol__strmap_free(m);
    if ((m = sol__strmap_new(nk)) == NULL ||
        (*names = sol__calloc(nk ? nk : 1, sizeof **names)) == NULL)
        goto fail;
    *count = nk;
    for (size_t i = 0; i < nk; i++) {
        if (((*names)[i] = sol__strdup(k[i].s)) == NULL) {
            rc = SOL_ENOMEM;
            goto fail;
        }
        if ((rc = sol__strmap_put(m, k[i].s, strlen(k[i].s), (int64_t)i)) != SOL_OK)
            goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        const char *s = sol_dtable_cell(t, keep[i], (size_t)col);
        int64_t v = 0;
        sol__strmap_get(m, s, strlen(s), &v);
        idx[i] = (size_t)v;
    }
    rc = SOL_OK;
fail:
    if (rc == SOL_ENOMEM)
        sol__err(err, rc, "out of memory");
    sol__strmap_free(m);
    sol__free(k);
    return rc;
}

static sol_status read_rows(const sol_dtable *t, const sol_did_spec *s, rows *r, sol_error *err)
{
    sol_status rc;
    size_t nc = s->n_controls, N = sol_dtable_nrows(t);
    long cy, ct, cp, cu = -1, cti = -1;
    long *cc = NULL;
    size_t *keep = NULL;
    memset(r, 0, sizeof *r);
    if ((rc = find_col(t, s->outcome, "--outcome", &cy, err)) != SOL_OK ||
        (rc = find_col(t, s->treated, "--treated", &ct, err)) != SOL_OK ||
        (rc = find_col(t, s->post, "--post", &cp, err)) != SOL_OK)
        return rc;
    if (s->unit_field && (rc = find_col(t, s->unit_field, "--unit-field", &cu, err)) != SOL_OK)
        return rc;
    if (s->time_field && (rc = find_col(t, s->time_field, "--time-field", &cti, err)) != SOL_OK)
        return rc;
    rc = SOL_ENOMEM;
    if ((cc = sol__calloc(nc ? nc : 1, sizeof *cc)) == NULL)
        goto fail;
    for (size_t k = 0; k < nc; k++)
        if ((rc = find_col(t, s->controls[k], "--controls", &cc[k], err)) != SOL_OK)
            goto fail;
    rc = SOL_ENOMEM;
    size_t cap = N ? N : 1;
    if ((r->y = sol__malloc(cap * sizeof *r->y)) == NULL ||
        (r->tr = sol__malloc(cap * sizeof *r->tr)) == NULL ||
        (r->po = sol__malloc(cap * sizeof *r->po)) == NULL ||
        (r->ctl = sol__malloc(cap * (nc ? nc : 1) * sizeof *r->ctl)) == NULL ||
        (keep = sol__malloc(cap * sizeof *keep)) == NULL)
        goto fail;
    for (size_t i = 0; i < N; i++) {
        double y, tr, po;
        sol_status a, b2, c;
        if ((a = sol_dtable_number(t, i, (size_t)cy, &y, err)) == SOL_ETYPE ||
            (b2 = sol_dtable_number(t, i, (size_t)ct, &tr, err)) == SOL_ETYPE ||
            (c = sol_dtable_number(t, i, (size_t)cp, &po, err)) == SOL_ETYPE) {
            rc = SOL_ETYPE;
            goto fail;
        }
        int miss = a == SOL_EOF || b2 == SOL_EOF || c == SOL_EOF;
        for (size_t k = 0; k < nc; k++) {
            sol_status q = sol_dtable_number(t, i, (size_t)cc[k], &r->ctl[r->n * nc + k], err);
            if (q == SOL_ETYPE) {
                rc = q;
                goto fail;
            }
            miss |= q == SOL_EOF;
        }
        if (cu >= 0 && sol_dtable_cell(t, i, (size_t)cu) == NULL)
            miss = 1;
        if (cti >= 0 && sol_dtable_cell(t, i, (size_t)cti) == NULL)
            miss = 1;
        if (miss) {
            r->dropped++;
            continue;
        }
        if ((tr != 0 && tr != 1) || (po != 0 && po != 1)) {
            long bad = (tr != 0 && tr != 1) ? ct : cp;
            rc =
                sol__err_at(err, SOL_ETYPE, sol_dtable_name(t), sol_dtable_line(t, i),
                            sol_dtable_colpos(t, i, (size_t)bad), "'%s' must be 0 or 1, found '%s'",
                            bad == ct ? s->treated : s->post, sol_dtable_cell(t, i, (size_t)bad));
            goto fail;
        }
        r->y[r->n] = y;
        r->tr[r->n] = tr;
        r->po[r->n] = po;
        keep[r->n++] = i;
    }
    rc = SOL_ENOMEM;
    if (cu >= 0) {
        if ((r->unit = sol__malloc(cap * sizeof *r->unit)) == NULL)
            goto fail;
        if ((rc = index_labels(t, cu, keep, r->n, r->unit, &r->unit_names, &r->n_units, err)) !=
            SOL_OK)
            goto fail;
    }
    rc = SOL_ENOMEM;
    if (cti >= 0) {
        if ((r->time = sol__malloc(cap * sizeof *r->time)) == NULL)
            goto fail;
        if ((rc = index_labels(t, cti, keep, r->n, r->time, &r->time_names, &r->n_times, err)) !=
            SOL_OK)
            goto fail;
    }
    rc = SOL_OK;
fail:
    if (rc == SOL_ENOMEM)
        sol__err(err, rc, "out of memory reading %s", sol_dtable_name(t));
    if (rc != SOL_OK)
        rows_free(r);
    sol__free(cc);
    sol__free(keep);
    return rc;
}

/* ---- designs --------------------------------------------------------------------------------- */

static sol_status design_alloc(design *d, size_t n, size_t p)
{
    memset(d, 0, sizeof *d);
    d->n = n;
    d->p = p;
    if ((d->X = sol__calloc(n * p > 0 ? n * p : 1, sizeof *d->X)) == NULL ||
        (d->y = sol__malloc((n ? n : 1) * sizeof *d->y)) == NULL ||
        (d->ref_norm = sol__calloc(p ? p : 1, sizeof *d->ref_norm)) == NULL ||
        (d->names = sol__calloc(p ? p : 1, sizeof *d->names)) == NULL) {
        design_free(d);
        return SOL_ENOMEM;
    }
    return SOL_OK;
}

static sol_status set_name(design *d, size_t j, const char *a, const char *sep, const char *b)
{
    size_t n = strlen(a) + (sep ? strlen(sep) : 0) + (b ? strlen(b) : 0) + 1;
    if ((d->names[j] = sol__malloc(n)) == NULL)
        return SOL_ENOMEM;
    snprintf(d->names[j], n, "%s%s%s", a, sep ? sep : "", b ? b : "");
    return SOL_OK;
}

static void norms_then_demean(design *d, const rows *r)
{
    size_t n = d->n, p = d->p;
    for (size_t j = 0; j < p; j++) {
        double s = 0;
        for (size_t i = 0; i < n; i++)
            s += d->X[i * p + j] * d->X[i * p + j];
        d->ref_norm[j] = sqrt(s);
    }
    if (!d->absorbed)
        return;
    /* subtract unit means from every column and y (absorbing the unit effects, FWL) */
    size_t G = r->n_units;
    double *sum = sol__calloc((p + 1) * G, sizeof *sum); /* checked by caller via NULL X */
    double *cnt = sol__calloc(G, sizeof *cnt);
    if (sum == NULL || cnt == NULL) {
        sol__free(sum);
        sol__free(cnt);
        d->n = 0; /* signals ENOMEM */
        return;
    }
    for (size_t i = 0; i < n; i++) {
        size_t g = r->unit[i];
        cnt[g] += 1;
        for (size_t j = 0; j < p; j++)
            sum[g * (p + 1) + j] += d->X[i * p + j];
        sum[g * (p + 1) + p] += d->y[i];
    }
    for (size_t i = 0; i < n; i++) {
        size_t g = r->unit[i];
        for (size_t j = 0; j < p; j++)
            d->X[i * p + j] -= sum[g * (p + 1) + j] / cnt[g];
        d->y[i] -= sum[g * (p + 1) + p] / cnt[g];
    }
    sol__free(sum);
    sol__free(cnt);
}

/* Columns: [lead terms (event study) | D | controls | period dummies (2..T)], or the 2x2 set. */
static sol_status build(const sol_did_spec *s, const rows *r, int twfe, const long *rel,
                        const long *ev, size_t n_ev, const char *dname, design *d, sol_error *err)
{
    size_t nc = s->n_controls, n = r->n;
    size_t p = twfe ? (n_ev ? n_ev : 1) + nc + (r->n_times - 1) : 4 + nc;
    if (p > SOL_MAX_DID_TERMS)
        return sol__err(err, SOL_ELIMIT, "%zu regressors: more than %u", p, SOL_MAX_DID_TERMS);
    if (design_alloc(d, n, p) != SOL_OK)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol_status rc = SOL_ENOMEM;
    size_t j = 0;
    if (!twfe) {
        d->has_const = 1;
        if (set_name(d, 0, "(Intercept)", NULL, NULL) || set_name(d, 1, s->treated, NULL, NULL) ||
            set_name(d, 2, s->post, NULL, NULL) || set_name(d, 3, dname, NULL, NULL))
            goto fail;
        for (size_t i = 0; i < n; i++) {
            d->X[i * p + 0] = 1;
            d->X[i * p + 1] = r->tr[i];
            d->X[i * p + 2] = r->po[i];
            d->X[i * p + 3] = r->tr[i] * r->po[i];
        }
        j = 4;
    } else {
        d->absorbed = r->n_units;
        if (n_ev) {
            for (size_t e = 0; e < n_ev; e++) {
                char b[32];
                snprintf(b, sizeof b, "%ld", ev[e]);
                if (set_name(d, e, "event:", NULL, b))
                    goto fail;
                for (size_t i = 0; i < n; i++)
                    d->X[i * p + e] = (rel[i] != LONG_MIN && rel[i] == ev[e]) ? 1.0 : 0.0;
            }
            j = n_ev;
        } else {
            if (set_name(d, 0, dname, NULL, NULL))
                goto fail;
            for (size_t i = 0; i < n; i++)
                d->X[i * p] = r->tr[i] * r->po[i];
            j = 1;
        }
    }
    for (size_t k = 0; k < nc; k++, j++) {
        if (set_name(d, j, s->controls[k], NULL, NULL))
            goto fail;
        for (size_t i = 0; i < n; i++)
            d->X[i * p + j] = r->ctl[i * nc + k];
    }
    if (twfe)
        for (size_t q = 1; q < r->n_times; q++, j++) {
            if (set_name(d, j, s->time_field, "=", r->time_names[q]))
                goto fail;
            for (size_t i = 0; i < n; i++)
                d->X[i * p + j] = r->time[i] == q ? 1.0 : 0.0;
        }
    memcpy(d->y, r->y, n * sizeof *d->y);
    if (r->unit) {
        d->cluster = r->unit;
        d->G = r->n_units;
    }
    norms_then_demean(d, r);
    if (d->n != n)
        goto fail;
    return SOL_OK;
fail:
    design_free(d);
    return sol__err(err, rc, "out of memory");
}

static double t_p(double t, double df)
{
    return 2.0 * gsl_cdf_tdist_Q(fabs(t), df);
}

/* ---- the run --------------------------------------------------------------------------------- */

void sol_did_result_free(sol_did_result *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n_terms; i++)
        sol__free(r->terms[i].term);
    for (size_t i = 0; i < r->n_events; i++)
        sol__free(r->events[i].time);
    sol__free_n(5, r->terms, r->events, r->term, r->pretest_note, r);
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* The event study: relative periods per treated unit, the regression, the pre-test. Failures that
 * leave the static estimate valid become a note. */
static sol_status event_study(const sol_did_spec *s, const rows *r, const char *dname,
                              sol_did_result *res, sol_error *err)
{
    sol_status rc = SOL_ENOMEM;
    size_t n = r->n, G = r->n_units;
    long *first = NULL, *rel = NULL, *ev = NULL, *all = NULL;
    size_t n_ev = 0;
    design d = {0};
    fit f = {0};
    char note[SOL_ERROR_MSG_MAX + 64] = "";
    int *treated = NULL;
    if ((first = sol__malloc(G * sizeof *first)) == NULL ||
        (treated = sol__calloc(G, sizeof *treated)) == NULL ||
        (rel = sol__malloc(n * sizeof *rel)) == NULL ||
        (all = sol__malloc(n * sizeof *all)) == NULL)
        goto fail;
    for (size_t g = 0; g < G; g++)
        first[g] = LONG_MAX;
    for (size_t i = 0; i < n; i++) {
        size_t g = r->unit[i];
        if (r->tr[i] == 1)
            treated[g] |= 1;
        else
            treated[g] |= 2;
        if (r->tr[i] == 1 && r->po[i] == 1 && (long)r->time[i] < first[g])
            first[g] = (long)r->time[i];
    }
    for (size_t g = 0; g < G; g++)
        if (treated[g] == 3) {
            snprintf(note, sizeof note,
                     "no event study: '%s' changes within unit '%s' (it must mark a group)",
                     s->treated, r->unit_names[g]);
            goto noted;
        }
    size_t na = 0;
    long common = LONG_MIN;
    int is_common = 1;
    for (size_t i = 0; i < n; i++) {
        size_t g = r->unit[i];
        if (treated[g] == 1 && first[g] != LONG_MAX) {
            rel[i] = (long)r->time[i] - first[g];
            all[na++] = rel[i];
            if (common == LONG_MIN)
                common = first[g];
            else if (common != first[g])
                is_common = 0;
        } else
            rel[i] = LONG_MIN;
    }
    qsort(all, na, sizeof *all, cmp_long);
    long ref = LONG_MIN;
    for (size_t i = 0; i < na; i++)
        if (all[i] < 0)
            ref = all[i]; /* the last negative: -1 when present */
    if (ref == LONG_MIN) {
        snprintf(note, sizeof note,
                 "no event study: the treated units have no pre-treatment period");
        goto noted;
    }
    if ((ev = sol__malloc((na ? na : 1) * sizeof *ev)) == NULL)
        goto fail;
    for (size_t i = 0; i < na; i++)
        if (all[i] != ref && (n_ev == 0 || ev[n_ev - 1] != all[i]))
            ev[n_ev++] = all[i];
    if (n_ev == 0) {
        snprintf(note, sizeof note, "no event study: only the reference period before treatment");
        goto noted;
    }
    sol_error e2;
    sol_error_clear(&e2);
    if ((rc = build(s, r, 1, rel, ev, n_ev, dname, &d, err)) != SOL_OK)
        goto fail;
    if ((rc = ols(&d, s->se, &f, &e2)) != SOL_OK) {
        if (rc == SOL_ENOMEM) {
            *err = e2;
            goto fail;
        }
        snprintf(note, sizeof note, "no event study: %s", e2.msg);
        goto noted;
    }
    rc = SOL_ENOMEM;
    if ((res->events = sol__calloc(n_ev + 1, sizeof *res->events)) == NULL)
        goto fail;
    size_t q = 0, k = 0;
    int ref_done = 0;
    while (q < n_ev || !ref_done) {
        sol_did_event *x = &res->events[k];
        int take_ref = !ref_done && (q >= n_ev || ref < ev[q]);
        if (take_ref) {
            x->rel = ref;
            x->reference = 1;
            x->estimate = 0;
            x->se = x->t = x->p = NAN;
            ref_done = 1;
        } else {
            x->rel = ev[q];
            x->estimate = f.b[q];
            x->se = sqrt(f.V[q * d.p + q]);
            x->t = x->estimate / x->se;
            x->p = t_p(x->t, f.df);
            q++;
        }
        res->n_events = ++k;
        if (is_common) {
            long ti = common + x->rel;
            if (ti >= 0 && (size_t)ti < r->n_times &&
                (x->time = sol__strdup(r->time_names[ti])) == NULL)
                goto fail;
        }
    }
    /* Pre-test: every lead (rel < 0, not the reference) zero; Wald F with the chosen variance. */
    size_t lead[64], nl = 0;
    for (size_t i = 0; i < n_ev && nl < 64; i++)
        if (ev[i] < 0)
            lead[nl++] = i;
    if (nl == 0) {
        snprintf(note, sizeof note,
                 "no pre-test: it needs at least two pre-treatment periods (one is the reference)");
    } else {
        gsl_matrix *Vl = gsl_matrix_alloc(nl, nl);
        gsl_vector *bl = gsl_vector_alloc(nl), *x = gsl_vector_alloc(nl);
        int gs = GSL_ENOMEM;
        if (Vl && bl && x) {
            for (size_t a = 0; a < nl; a++) {
                gsl_vector_set(bl, a, f.b[lead[a]]);
                for (size_t c = 0; c < nl; c++)
                    gsl_matrix_set(Vl, a, c, f.V[lead[a] * d.p + lead[c]]);
            }
            if ((gs = gsl_linalg_cholesky_decomp1(Vl)) == GSL_SUCCESS)
                gs = gsl_linalg_cholesky_solve(Vl, bl, x);
        }
        if (gs == GSL_SUCCESS) {
            double w = 0;
            gsl_blas_ddot(bl, x, &w);
            res->pretest = 1;
            res->pretest_df1 = (double)nl;
            res->pretest_df2 = f.df;
            res->pretest_f = w / (double)nl;
            res->pretest_p = gsl_cdf_fdist_Q(res->pretest_f, (double)nl, f.df);
            if (res->pretest_p < 0.05)
                snprintf(note, sizeof note,
                         sol_ngettext("parallel trends: F(%zu, %.0f) = %.4g, p = %.4g on %zu "
                                      "lead; the treated and control paths already differed "
                                      "before treatment",
                                      "parallel trends: F(%zu, %.0f) = %.4g, p = %.4g on %zu "
                                      "leads; the treated and control paths already differed "
                                      "before treatment",
                                      nl),
                         nl, f.df, res->pretest_f, res->pretest_p, nl);
            else
                snprintf(note, sizeof note,
                         sol_ngettext("parallel trends: F(%zu, %.0f) = %.4g, p = %.4g on %zu "
                                      "lead; no evidence that the paths differed before "
                                      "treatment (which does not prove they were parallel)",
                                      "parallel trends: F(%zu, %.0f) = %.4g, p = %.4g on %zu "
                                      "leads; no evidence that the paths differed before "
                                      "treatment (which does not prove they were parallel)",
                                      nl),
                         nl, f.df, res->pretest_f, res->pretest_p, nl);
        } else
            snprintf(note, sizeof note, "%s", _("no pre-test: the leads' variance is singular"));
        gsl_matrix_free(Vl);
        gsl_vector_free(bl);
        gsl_vector_free(x);
    }
noted:
    rc = SOL_ENOMEM;
    if ((res->pretest_note = sol__strdup(note)) == NULL)
        goto fail;
    rc = SOL_OK;
fail:
    if (rc == SOL_ENOMEM)
        sol__err(err, rc, "out of memory in the event study");
    design_free(&d);
    fit_free(&f);
    sol__free_n(5, first, treated, rel, ev, all);
    return rc;
}

sol_status sol_did_run(const sol_dtable *t, const sol_did_spec *s, sol_did_result **out,
                       sol_error *err)
{
    sol_status rc;
    rows r;
    design d = {0};
    fit f = {0};
    sol_did_result *res = NULL;
    char *dname = NULL;
    if (s->outcome == NULL || s->treated == NULL || s->post == NULL)
        return sol__err(err, SOL_EINVAL, "outcome, treated and post columns are required");
    if (s->time_field && !s->unit_field)
        return sol__err(err, SOL_EINVAL, "a time field needs a unit field (two-way fixed effects)");
    if (s->se == SOL_SE_CLUSTER && !s->unit_field)
        return sol__err(err, SOL_EINVAL,
                        "clustered standard errors need a unit field to cluster by");
    int twfe = s->time_field != NULL;
    if ((rc = read_rows(t, s, &r, err)) != SOL_OK)
        return rc;
    rc = SOL_EINVAL;
    double sum[4] = {0}, cnt[4] = {0};
    for (size_t i = 0; i < r.n; i++) {
        int c = (int)(r.tr[i] * 2 + r.po[i]);
        sum[c] += r.y[i];
        cnt[c] += 1;
    }
    if (r.n == 0) {
        sol__err(err, rc, "%s: no row has every value needed (%zu dropped for a missing value)",
                 sol_dtable_name(t), r.dropped);
        goto fail;
    }
    if (cnt[0] + cnt[2] == 0) {
        sol__err(err, rc,
                 "no pre-treatment periods: every used row has %s = 1; the change needs a before",
                 s->post);
        goto fail;
    }
    if (cnt[2] == 0) {
        sol__err(err, rc,
                 "no pre-treatment periods for the treated group: no row has %s = 1 and %s = 0",
                 s->treated, s->post);
        goto fail;
    }
    if (cnt[3] == 0 || cnt[1] + cnt[3] == 0) {
        sol__err(err, rc, "no post-treatment rows for the treated group (%s = 1 and %s = 1)",
                 s->treated, s->post);
        goto fail;
    }
    if (cnt[0] + cnt[1] == 0) {
        sol__err(err, rc, "no control rows: every used row has %s = 1", s->treated);
        goto fail;
    }
    if (cnt[0] == 0 || cnt[1] == 0) {
        sol__err(err, rc, "the control group needs rows before and after (%s = 0 and 1)", s->post);
        goto fail;
    }
    if (s->se == SOL_SE_CLUSTER && r.n_units < 2) {
        sol__err(err, rc, "clustered standard errors need at least 2 units, found %zu", r.n_units);
        goto fail;
    }
    size_t dl = strlen(s->treated) + strlen(s->post) + 2;
    rc = SOL_ENOMEM;
    if ((dname = sol__malloc(dl)) == NULL || (res = sol__calloc(1, sizeof *res)) == NULL) {
        sol__err(err, rc, "out of memory");
        goto fail;
    }
    snprintf(dname, dl, "%s:%s", s->treated, s->post);
    if ((rc = build(s, &r, twfe, NULL, NULL, 0, dname, &d, err)) != SOL_OK ||
        (rc = ols(&d, s->se, &f, err)) != SOL_OK)
        goto fail;
    res->twfe = twfe;
    res->se_kind = s->se;
    res->n = r.n;
    res->n_dropped = r.dropped;
    res->n_units = r.n_units;
    res->n_periods = r.n_times;
    res->n_clusters = s->se == SOL_SE_CLUSTER ? r.n_units : 0;
    res->df = f.df;
    res->mean_control_pre = sum[0] / cnt[0];
    res->mean_control_post = sum[1] / cnt[1];
    res->mean_treated_pre = sum[2] / cnt[2];
    res->mean_treated_post = sum[3] / cnt[3];
    rc = SOL_ENOMEM;
    if ((res->terms = sol__calloc(d.p, sizeof *res->terms)) == NULL)
        goto fail;
    for (size_t j = 0; j < d.p; j++) {
        sol_did_term *x = &res->terms[j];
        if ((x->term = sol__strdup(d.names[j])) == NULL)
            goto fail;
        res->n_terms = j + 1;
        x->estimate = f.b[j];
        x->se = sqrt(f.V[j * d.p + j]);
        x->t = x->estimate / x->se;
        x->p = t_p(x->t, f.df);
    }
    size_t jd = twfe ? 0 : 3;
    res->term = dname;
    dname = NULL;
    res->estimate = res->terms[jd].estimate;
    res->se = res->terms[jd].se;
    res->t = res->terms[jd].t;
    res->p = res->terms[jd].p;
    if (twfe) {
        if ((rc = event_study(s, &r, res->term, res, err)) != SOL_OK)
            goto fail;
    } else if ((res->pretest_note = sol__strdup(
                    _("no pre-test: the 2x2 design has one period before; give --unit-field and "
                      "--time-field with several periods for the event study"))) == NULL) {
        rc = SOL_ENOMEM; /* was left SOL_OK: a failed copy returned success without a result */
        goto fail;
    }
    design_free(&d);
    fit_free(&f);
    rows_free(&r);
    *out = res;
    return SOL_OK;
fail:
    if (rc == SOL_ENOMEM)
        sol__err(err, rc, "out of memory");
    sol__free(dname);
    sol_did_result_free(res);
    design_free(&d);
    fit_free(&f);
    rows_free(&r);
    return rc;
}
