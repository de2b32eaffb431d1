/* test_sae.c - Fay-Herriot against R sae 1.3 eblupFH/mseFH on milk (tests/data/sae_milk): REML
 * and ML fits, MSEs, synthetic estimates for areas without a direct estimate, and bad input. */
#include "harness.h"

#include <solidata/sae.h>
#include <solidata/stats.h>

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DIR "tests/data/sae_milk/"

/* as main() does in the program: GSL reports, never aborts */
__attribute__((constructor)) static void gsl_quiet(void)
{
    gsl_set_error_handler_off();
}

typedef struct milk {
    sol_microdata *md;
    const char *ids[64];
    const char *major[64];
    size_t m;
} milk;

static int load_milk(milk *k, const char *file)
{
    sol_md_column cols[4] = {{"SmallArea", SOL_MD_CODE, 0, 0, 0, NULL},
                             {"yi", SOL_MD_NUMBER, 1, 0, 0, NULL},
                             {"vardir", SOL_MD_NUMBER, 0, 0, 0, NULL},
                             {"MajorArea", SOL_MD_CODE, 0, 0, 0, NULL}};
    if (sol_microdata_read(file, cols, 4, &k->md, NULL) != SOL_OK)
        return -1;
    k->m = sol_microdata_rows(k->md);
    for (size_t i = 0; i < k->m && i < 64; i++) {
        k->ids[i] = sol_microdata_level(k->md, 0, sol_microdata_codes(k->md, 0)[i]);
        k->major[i] = sol_microdata_level(k->md, 3, sol_microdata_codes(k->md, 3)[i]);
    }
    return 0;
}

/* Read an expected CSV into rows of doubles (first `skip` columns kept as text). */
typedef struct exp_t {
    size_t nr, nc;
    char text[512][2][32];
    double v[512][8];
} exp_t;

static exp_t *read_expected(const char *path, size_t skip)
{
    sol_md_column cols[10];
    static const char *const heads[4][8] = {{"method", "id", "eblup", "mse", "gamma", "synthetic"},
                                            {"method", "term", "estimate", "se", "z", "p"},
                                            {"method", "sigma2_u", "loglik", "aic", "bic"},
                                            {"id", "eblup", "mse", "synthetic"}};
    int which = strstr(path, "areas") ? 0 : strstr(path, "coef") ? 1 : strstr(path, "fit") ? 2 : 3;
    size_t nc = which == 0 || which == 1 ? 6 : which == 2 ? 5 : 4;
    for (size_t j = 0; j < nc; j++)
        cols[j] =
            (sol_md_column){heads[which][j], j < skip ? SOL_MD_CODE : SOL_MD_NUMBER, 0, 0, 0, NULL};
    sol_microdata *md = NULL;
    if (sol_microdata_read(path, cols, nc, &md, NULL) != SOL_OK)
        return NULL;
    exp_t *e = calloc(1, sizeof *e);
    e->nr = sol_microdata_rows(md);
    e->nc = nc;
    for (size_t i = 0; i < e->nr && i < 512; i++)
        for (size_t j = 0; j < nc; j++) {
            if (j < skip)
                snprintf(e->text[i][j], 32, "%s",
                         sol_microdata_level(md, j, sol_microdata_codes(md, j)[i]));
            else
                e->v[i][j - skip] = sol_microdata_numbers(md, j)[i];
        }
    sol_microdata_free(md);
    return e;
}

static void check_method(sol_fh_method meth, const char *name)
{
    milk k = {0};
    ASSERT(load_milk(&k, DIR "milk.csv") == 0);
    sol_fh_covariate cov = {.name = "MajorArea", .text = k.major};
    sol_fh_data d = {.m = k.m,
                     .ids = k.ids,
                     .y = sol_microdata_numbers(k.md, 1),
                     .vardir = sol_microdata_numbers(k.md, 2),
                     .n_cov = 1,
                     .cov = &cov};
    sol_fh_opts o = {.method = meth};
    sol_fh_result *r = NULL;
    sol_error err;
    ASSERT_STATUS(sol_sae_fh_fit(&d, &o, &r, &err), SOL_OK);
    ASSERT(r->converged);
    exp_t *fit = read_expected(DIR "expected_fit.csv", 1);
    exp_t *coef = read_expected(DIR "expected_coef.csv", 2);
    exp_t *areas = read_expected(DIR "expected_areas.csv", 1);
    ASSERT(fit && coef && areas);
    for (size_t i = 0; i < fit->nr; i++) {
        if (strcmp(fit->text[i][0], name) != 0)
            continue;
        ASSERT_REL(r->sigma2_u, fit->v[i][0], 1e-8);
        ASSERT_REL(r->loglik, fit->v[i][1], 1e-8);
        ASSERT_REL(r->aic, fit->v[i][2], 1e-8);
        ASSERT_REL(r->bic, fit->v[i][3], 1e-8);
    }
    size_t nb = 0;
    for (size_t i = 0; i < coef->nr; i++) {
        if (strcmp(coef->text[i][0], name) != 0)
            continue;
        ASSERT_STR_EQ(r->terms[nb], coef->text[i][1]);
        ASSERT_REL(r->beta[nb], coef->v[i][0], 1e-8);
        ASSERT_REL(r->beta_se[nb], coef->v[i][1], 1e-8);
        ASSERT_REL(r->z[nb], coef->v[i][2], 1e-8);
        ASSERT_REL(r->pvalue[nb], coef->v[i][3], 1e-8);
        nb++;
    }
    ASSERT_EQ(nb, r->p);
    size_t na = 0;
    for (size_t i = 0; i < areas->nr; i++) {
        if (strcmp(areas->text[i][0], name) != 0)
            continue;
        ASSERT_REL(r->eblup[na], areas->v[i][1], 1e-8);
        ASSERT_REL(r->mse[na], areas->v[i][2], 1e-8);
        ASSERT_REL(r->gamma[na], areas->v[i][3], 1e-8);
        ASSERT_REL(r->synthetic[na], areas->v[i][4], 1e-8);
        na++;
    }
    ASSERT_EQ(na, 43);
    free(fit);
    free(coef);
    free(areas);
    sol_fh_result_free(r);
    sol_microdata_free(k.md);
}

TEST(fh_milk_reml)
{
    check_method(SOL_FH_REML, "reml");
}

TEST(fh_milk_ml)
{
    check_method(SOL_FH_ML, "ml");
}

TEST(fh_milk_out_of_sample)
{
    milk k = {0};
    ASSERT(load_milk(&k, DIR "milk_missing.csv") == 0);
    sol_fh_covariate cov = {.name = "MajorArea", .text = k.major};
    sol_fh_data d = {.m = k.m,
                     .ids = k.ids,
                     .y = sol_microdata_numbers(k.md, 1),
                     .vardir = sol_microdata_numbers(k.md, 2),
                     .n_cov = 1,
                     .cov = &cov};
    sol_fh_result *r = NULL;
    ASSERT_STATUS(sol_sae_fh_fit(&d, NULL, &r, NULL), SOL_OK);
    ASSERT_EQ(r->m_fit, 40);
    exp_t *e = read_expected(DIR "expected_oos.csv", 0);
    ASSERT(e != NULL);
    ASSERT_EQ(e->nr, 43);
    for (size_t i = 0; i < e->nr; i++) {
        ASSERT_REL(r->eblup[i], e->v[i][1], 1e-8);
        ASSERT_REL(r->mse[i], e->v[i][2], 1e-8);
        ASSERT_REL(r->synthetic[i], e->v[i][3], 1e-8);
    }
    free(e);
    sol_fh_result_free(r);
    sol_microdata_free(k.md);
}

TEST(fh_bad_variance_and_nonconvergence)
{
    double y[5] = {1, 2, 3, 4, 5}, v[5] = {0.1, 0.2, 0, 0.1, 0.3}, x[5] = {1, 3, 2, 5, 4};
    const char *ids[5] = {"a", "b", "c", "d", "e"};
    sol_fh_covariate cov = {.name = "x", .x = x};
    sol_fh_data d = {.m = 5, .ids = ids, .y = y, .vardir = v, .n_cov = 1, .cov = &cov};
    sol_fh_result *r = NULL;
    sol_error err;
    ASSERT_STATUS(sol_sae_fh_fit(&d, NULL, &r, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "area 'c'");
    v[2] = 0.15;
    sol_fh_opts o = {.max_iter = 1};
    ASSERT_STATUS(sol_sae_fh_fit(&d, &o, &r, &err), SOL_OK);
    ASSERT(!r->converged);
    ASSERT_EQ(r->iterations, 1);
    sol_fh_result_free(r);
    double xc[5] = {1, 1, 1, 1, 1}; /* collinear with the intercept */
    cov.x = xc;
    ASSERT_STATUS(sol_sae_fh_fit(&d, NULL, &r, &err), SOL_ENUMERIC);
}
