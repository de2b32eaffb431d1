/* test_sae_transform.c - Fay-Herriot on the log and arcsin scales with emdi's back-transformations
 * and benchmarking, against R emdi 2.2.2 + sae 1.3 on emdi's Austrian EU-SILC district
 * aggregates (tests/data/sae_transform), results identical on 1 and 2 threads, and bad input. */
#include "harness.h"

#include "csv_fields.h"

#include <solidata/sae.h>

#include <gsl/gsl_errno.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#define DIR "tests/data/sae_transform/"
#define NA  94

__attribute__((constructor)) static void gsl_quiet(void)
{
    gsl_set_error_handler_off();
}

/* the exported columns of eusilc_agg*.csv */
typedef struct agg {
    size_t m;
    char idbuf[NA][64];
    const char *ids[NA];
    double mean[NA], var_mean[NA], mtmed[NA], n[NA], cash[NA], self_empl[NA], age_ben[NA], rent[NA],
        house_allow[NA], ratio_n[NA];
} agg;

static int load(agg *a, const char *path)
{
    sol_csv *c = NULL;
    if (sol_csv_open(path, NULL, &c, NULL) != SOL_OK)
        return -1;
    a->m = 0;
    while (a->m < NA && sol_csv_next(c, NULL) == SOL_OK) {
        size_t i = a->m++;
        snprintf(a->idbuf[i], sizeof a->idbuf[i], "%s", str(c, "Domain"));
        a->ids[i] = a->idbuf[i];
        a->mean[i] = num(c, "Mean");
        a->var_mean[i] = num(c, "Var_Mean");
        a->mtmed[i] = num(c, "MTMED");
        a->n[i] = num(c, "n");
        a->cash[i] = num(c, "cash");
        a->self_empl[i] = num(c, "self_empl");
        a->age_ben[i] = num(c, "age_ben");
        a->rent[i] = num(c, "rent");
        a->house_allow[i] = num(c, "house_allow");
        a->ratio_n[i] = num(c, "ratio_n");
    }
    sol_csv_close(c);
    return a->m == NA ? 0 : -1;
}

/* Fit case `name` of expected_areas.csv ("log_bc_reml", "arcsin_naive_reml_oos", ...). */
static sol_fh_result *fit_case(const agg *a, const char *name, sol_error *err, sol_status *st)
{
    sol_fh_covariate cl[2] = {{"cash", a->cash, NULL}, {"self_empl", a->self_empl, NULL}};
    sol_fh_covariate ca[4] = {{"cash", a->cash, NULL},
                              {"age_ben", a->age_ben, NULL},
                              {"rent", a->rent, NULL},
                              {"house_allow", a->house_allow, NULL}};
    int is_log = strncmp(name, "log", 3) == 0, is_arc = strncmp(name, "arcsin", 6) == 0;
    sol_fh_data d = {.m = a->m,
                     .ids = a->ids,
                     .y = is_arc ? a->mtmed : a->mean,
                     .vardir = a->var_mean,
                     .n_cov = is_arc ? 4 : 2,
                     .cov = is_arc ? ca : cl,
                     .eff_n = is_arc ? a->n : NULL};
    sol_fh_opts o = {.method = strstr(name, "_ml") ? SOL_FH_ML : SOL_FH_REML,
                     .transform = is_log   ? SOL_FH_TR_LOG
                                  : is_arc ? SOL_FH_TR_ARCSIN
                                           : 0,
                     .backtransform = strstr(name, "naive")   ? SOL_FH_BT_NAIVE
                                      : strstr(name, "crude") ? SOL_FH_BT_CRUDE
                                                              : SOL_FH_BT_BC};
    if (strncmp(name, "bench", 5) == 0)
        o.method = SOL_FH_ML;
    sol_fh_result *r = NULL;
    *st = sol_sae_fh_fit(&d, &o, &r, err);
    return r;
}

static void check_case(const char *name, size_t *checked)
{
    agg *a = calloc(1, sizeof *a);
    ASSERT(a != NULL);
    ASSERT(load(a, strstr(name, "_oos") ? DIR "eusilc_agg_missing.csv" : DIR "eusilc_agg.csv") ==
           0);
    sol_error err;
    sol_status st;
    sol_fh_result *r = fit_case(a, name, &err, &st);
    ASSERT_STATUS(st, SOL_OK);
    ASSERT(r->converged);
    int bench = strncmp(name, "bench", 5) == 0;
    double *b = NULL;
    const double *est = r->est ? r->est : r->eblup, *mse = r->est ? r->est_mse : NULL;
    if (bench) {
        b = malloc(NA * sizeof *b);
        ASSERT_STATUS(
            sol_sae_benchmark(a->m, a->ids, r->eblup, a->ratio_n, 20140.09,
                              strstr(name, "ratio") ? SOL_FH_BENCH_RATIO : SOL_FH_BENCH_RAKING, b,
                              &err),
            SOL_OK);
        est = b;
    }
    sol_csv *c = NULL;
    ASSERT_STATUS(sol_csv_open(DIR "expected_areas.csv", NULL, &c, NULL), SOL_OK);
    size_t i = 0;
    while (sol_csv_next(c, NULL) == SOL_OK) {
        if (strcmp(str(c, "case"), name) != 0)
            continue;
        ASSERT(i < NA);
        ASSERT_STR_EQ(str(c, "id"), a->ids[i]);
        ASSERT_REL(r->eblup[i], num(c, "est_t"), 1e-8);
        if (isfinite(num(c, "mse_t")))
            ASSERT_REL(r->mse[i], num(c, "mse_t"), 1e-8);
        ASSERT_REL(est[i], num(c, "est"), 1e-8);
        /* an MSE where emdi gives one, none where it does not */
        if (isfinite(num(c, "mse")))
            ASSERT_REL(mse[i], num(c, "mse"), 1e-8);
        else if (!bench)
            ASSERT(mse == NULL || isnan(mse[i]));
        i++;
    }
    sol_csv_close(c);
    ASSERT_EQ(i, NA);
    *checked += i;
    free(b);
    sol_fh_result_free(r);
    free(a);
}

/* The cases named (a NULL-terminated list), NA areas checked in each. */
static void check_cases(const char *const *names)
{
    size_t n = 0, k = 0;
    for (; names[k] != NULL; k++)
        check_case(names[k], &n);
    ASSERT_EQ(n, k * NA);
}

TEST(log_slud_maiti_reml_ml)
{
    check_cases((const char *const[]){"log_bc_reml", "log_bc_ml", NULL});
}

TEST(log_crude_and_naive)
{
    check_cases((const char *const[]){"log_crude_reml", "log_crude_ml", "log_naive_reml",
                                      "log_naive_ml", NULL});
}

TEST(arcsin_naive_and_bc)
{
    check_cases((const char *const[]){"arcsin_naive_reml", "arcsin_bc_reml",
                                      "arcsin_naive_reml_oos", "arcsin_bc_reml_oos", NULL});
}

TEST(benchmark_ratio_raking)
{
    check_cases((const char *const[]){"bench_ratio", "bench_raking", NULL});
}

TEST(fit_on_transformed_scale_matches_sae)
{
    /* sigma2_u and beta on the transformed scale against sae's eblupFH */
    agg *a = calloc(1, sizeof *a);
    ASSERT(load(a, DIR "eusilc_agg.csv") == 0);
    sol_csv *c = NULL;
    ASSERT_STATUS(sol_csv_open(DIR "expected_fit.csv", NULL, &c, NULL), SOL_OK);
    size_t k = 0, seen = 0;
    char last[64] = "";
    sol_fh_result *r = NULL;
    while (sol_csv_next(c, NULL) == SOL_OK) {
        const char *cs = str(c, "case");
        if (strstr(cs, "_oos"))
            continue;
        if (strcmp(cs, last) != 0) {
            snprintf(last, sizeof last, "%s", cs); /* case names carry the method */
            sol_fh_result_free(r);
            sol_error err;
            sol_status st;
            r = fit_case(a, cs, &err, &st);
            ASSERT_STATUS(st, SOL_OK);
            ASSERT_REL(r->sigma2_u, num(c, "sigma2_u"), 1e-8);
            k = 0;
        }
        ASSERT(k < r->p);
        ASSERT_STR_EQ(r->terms[k], str(c, "term"));
        ASSERT_REL(r->beta[k], num(c, "beta"), 1e-8);
        k++;
        seen++;
    }
    sol_csv_close(c);
    sol_fh_result_free(r);
    ASSERT_EQ(seen, 3 + 3 + 5 + 3);
    free(a);
}

TEST(same_on_one_and_two_threads)
{
    agg *a = calloc(1, sizeof *a);
    ASSERT(load(a, DIR "eusilc_agg.csv") == 0);
    sol_error err;
    sol_status st;
    int nt = omp_get_max_threads();
    omp_set_num_threads(1);
    sol_fh_result *r1 = fit_case(a, "arcsin_bc_reml", &err, &st);
    omp_set_num_threads(2);
    sol_fh_result *r2 = fit_case(a, "arcsin_bc_reml", &err, &st);
    omp_set_num_threads(nt);
    ASSERT(r1 && r2);
    ASSERT(memcmp(r1->est, r2->est, NA * sizeof *r1->est) == 0);
    ASSERT(memcmp(r1->eblup, r2->eblup, NA * sizeof *r1->eblup) == 0);
    sol_fh_result_free(r1);
    sol_fh_result_free(r2);
    free(a);
}

TEST(bad_input_names_the_area)
{
    agg *a = calloc(1, sizeof *a);
    ASSERT(load(a, DIR "eusilc_agg.csv") == 0);
    sol_error err;
    sol_status st;
    sol_fh_result *r;
    a->mean[3] = 0;
    r = fit_case(a, "log_bc_reml", &err, &st);
    ASSERT_STATUS(st, SOL_EINVAL);
    ASSERT(r == NULL);
    ASSERT_CONTAINS(err.msg, a->ids[3]);
    ASSERT_CONTAINS(err.msg, "log");
    a->mtmed[5] = 1.2;
    r = fit_case(a, "arcsin_bc_reml", &err, &st);
    ASSERT_STATUS(st, SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, a->ids[5]);
    a->mtmed[5] = 0.3;
    a->n[7] = 0;
    r = fit_case(a, "arcsin_naive_reml", &err, &st);
    ASSERT_STATUS(st, SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, a->ids[7]);
    ASSERT_CONTAINS(err.msg, "effective sample size");
    a->n[7] = NAN;
    r = fit_case(a, "arcsin_naive_reml", &err, &st);
    ASSERT_STATUS(st, SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "missing");
    /* an area without a direct estimate needs no effective sample size */
    a->mtmed[7] = NAN;
    r = fit_case(a, "arcsin_naive_reml", &err, &st);
    ASSERT_STATUS(st, SOL_OK);
    sol_fh_result_free(r);
    double out[NA], w[NA], e[NA];
    for (size_t i = 0; i < NA; i++)
        w[i] = 0, e[i] = 1;
    ASSERT_STATUS(sol_sae_benchmark(NA, a->ids, e, w, 10, SOL_FH_BENCH_RATIO, out, &err),
                  SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "positive");
    w[2] = 1;
    ASSERT_STATUS(sol_sae_benchmark(NA, a->ids, e, w, INFINITY, SOL_FH_BENCH_RAKING, out, &err),
                  SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "finite");
    w[4] = -0.5;
    ASSERT_STATUS(sol_sae_benchmark(NA, a->ids, e, w, 10, SOL_FH_BENCH_RAKING, out, &err),
                  SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, a->ids[4]);
    w[4] = 0;
    ASSERT_STATUS(sol_sae_benchmark(NA, a->ids, e, w, 10, SOL_FH_BENCH_RAKING, out, &err), SOL_OK);
    ASSERT_REL(out[2], 10, 1e-15);
    /* crude is for log only */
    sol_fh_data d = {.m = NA, .ids = a->ids, .y = a->mtmed, .vardir = a->var_mean, .eff_n = a->n};
    sol_fh_opts o = {.transform = SOL_FH_TR_ARCSIN, .backtransform = SOL_FH_BT_CRUDE};
    r = NULL;
    ASSERT_STATUS(sol_sae_fh_fit(&d, &o, &r, &err), SOL_EINVAL);
    ASSERT(r == NULL);
    free(a);
}

/* The bootstrap MSE is random: emdi's (B = 1000, R's RNG) and ours (B = 1000, seed 1) are two
 * Monte Carlo estimates of the same quantity. With B replicates on each side the relative
 * difference of one area's MSE has a standard error of about sqrt(2 * 2 / B) = 0.063 for normal
 * errors, more near the bounds 0 and 1 (across areas and seeds it was 0.06 to 0.12), and emdi's
 * replicates differ slightly in sigma2_u (optimize() to 1e-4 where the maximum is at 0). So:
 * the summed MSE within 10%, the median area within 15%, 90% of the areas within 30%. */
static void check_boot(const char *name, sol_fh_backtransform bt)
{
    agg *a = calloc(1, sizeof *a);
    ASSERT(load(a, DIR "eusilc_agg.csv") == 0);
    sol_fh_covariate ca[4] = {{"cash", a->cash, NULL},
                              {"age_ben", a->age_ben, NULL},
                              {"rent", a->rent, NULL},
                              {"house_allow", a->house_allow, NULL}};
    sol_fh_data d = {.m = a->m, .ids = a->ids, .y = a->mtmed, .n_cov = 4, .cov = ca, .eff_n = a->n};
    sol_fh_opts o = {.transform = SOL_FH_TR_ARCSIN, .backtransform = bt, .boot_b = 1000, .seed = 1};
    sol_fh_result *r = NULL;
    sol_error err;
    ASSERT_STATUS(sol_sae_fh_fit(&d, &o, &r, &err), SOL_OK);
    sol_csv *c = NULL;
    ASSERT_STATUS(sol_csv_open(DIR "expected_boot.csv", NULL, &c, NULL), SOL_OK);
    double rel[NA], sg = 0, sw = 0;
    size_t i = 0;
    while (sol_csv_next(c, NULL) == SOL_OK) {
        if (strcmp(str(c, "case"), name) != 0)
            continue;
        ASSERT(i < NA);
        ASSERT_STR_EQ(str(c, "id"), a->ids[i]);
        double w = num(c, "mse_boot");
        ASSERT(isfinite(r->est_mse[i]) && r->est_mse[i] > 0 && w > 0);
        rel[i] = fabs(r->est_mse[i] / w - 1);
        sg += r->est_mse[i];
        sw += w;
        i++;
    }
    sol_csv_close(c);
    ASSERT_EQ(i, NA);
    ASSERT_REL(sg, sw, 0.10);
    size_t within = 0, below_med = 0;
    for (size_t k = 0; k < NA; k++) {
        within += rel[k] < 0.30;
        below_med += rel[k] < 0.15;
    }
    ASSERT(within >= 0.9 * NA);
    ASSERT(below_med >= NA / 2);
    sol_fh_result_free(r);
    free(a);
}

TEST(arcsin_bootstrap_mse_bc_against_emdi)
{
    check_boot("arcsin_bc_reml", SOL_FH_BT_BC);
}

TEST(arcsin_bootstrap_mse_naive_against_emdi)
{
    check_boot("arcsin_naive_reml", SOL_FH_BT_NAIVE);
}

TEST(bootstrap_same_on_one_and_two_threads_and_seeded)
{
    agg *a = calloc(1, sizeof *a);
    ASSERT(load(a, DIR "eusilc_agg_missing.csv") == 0);
    sol_fh_covariate ca[1] = {{"cash", a->cash, NULL}};
    sol_fh_data d = {.m = a->m, .ids = a->ids, .y = a->mtmed, .n_cov = 1, .cov = ca, .eff_n = a->n};
    sol_fh_opts o = {.transform = SOL_FH_TR_ARCSIN, .boot_b = 100, .seed = 42};
    sol_fh_result *r1 = NULL, *r2 = NULL, *r3 = NULL;
    sol_error err;
    int nt = omp_get_max_threads();
    omp_set_num_threads(1);
    ASSERT_STATUS(sol_sae_fh_fit(&d, &o, &r1, &err), SOL_OK);
    omp_set_num_threads(2);
    ASSERT_STATUS(sol_sae_fh_fit(&d, &o, &r2, &err), SOL_OK);
    o.seed = 43;
    ASSERT_STATUS(sol_sae_fh_fit(&d, &o, &r3, &err), SOL_OK);
    omp_set_num_threads(nt);
    ASSERT(memcmp(r1->est_mse, r2->est_mse, NA * sizeof *r1->est_mse) == 0);
    ASSERT(memcmp(r1->est_mse, r3->est_mse, NA * sizeof *r1->est_mse) != 0);
    /* areas without a direct estimate get a bootstrap MSE too */
    ASSERT(isnan(a->mtmed[6]) && isfinite(r1->est_mse[6]) && r1->est_mse[6] > 0);
    sol_fh_result_free(r1);
    sol_fh_result_free(r2);
    sol_fh_result_free(r3);
    /* the bootstrap is for arcsin only */
    o.transform = SOL_FH_TR_LOG;
    d.y = a->mean;
    d.vardir = a->var_mean;
    r1 = NULL;
    ASSERT_STATUS(sol_sae_fh_fit(&d, &o, &r1, &err), SOL_EINVAL);
    ASSERT(r1 == NULL);
    free(a);
}
