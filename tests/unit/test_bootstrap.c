/* test_bootstrap.c - replicate-weight SEs of the poverty estimators: with R survey's own Rao-Wu
 * replicate weights, convey's and survey's SEs on them (tests/data/poverty_bootstrap, 1e-8);
 * drawn replicates identical on any thread count and near the linearised SEs. */
#include "harness.h"

#include "csv_fields.h"

#include <solidata/stats.h>

#include <math.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <stdlib.h>
#include <string.h>

#define DIR  "tests/data/poverty_bootstrap/"
#define NREP 20

/* The households of Burgenland and Vorarlberg in eusilc: income, weight, region, household. */
typedef struct sample {
    size_t n;
    double x[2000], w[2000];
    uint32_t region[2000], hh[2000]; /* hh: 0-based household number in order of appearance */
    long hh_id[1000];
    size_t n_hh;
} sample;

static void load_sample(sample *s)
{
    sol_csv *c = NULL;
    memset(s, 0, sizeof *s);
    ASSERT_STATUS(sol_csv_open("tests/data/poverty_eusilc/eusilc.csv", NULL, &c, NULL), SOL_OK);
    while (sol_csv_next(c, NULL) == SOL_OK) {
        const char *r = str(c, "db040");
        int k = strcmp(r, "Burgenland") == 0 ? 0 : strcmp(r, "Vorarlberg") == 0 ? 1 : -1;
        if (k < 0)
            continue;
        ASSERT(s->n < 2000);
        long id = (long)num(c, "db030");
        size_t h = 0;
        while (h < s->n_hh && s->hh_id[h] != id)
            h++;
        if (h == s->n_hh) {
            ASSERT(s->n_hh < 1000);
            s->hh_id[s->n_hh++] = id;
        }
        s->x[s->n] = num(c, "eqIncome");
        s->w[s->n] = num(c, "rb050");
        s->region[s->n] = (uint32_t)k;
        s->hh[s->n++] = (uint32_t)h;
    }
    sol_csv_close(c);
    ASSERT_EQ(s->n, 1282);
}

static const char *const REGIONS[2] = {"Burgenland", "Vorarlberg"};

static sol_design design_of(const sample *s)
{
    return (sol_design){.n = s->n,
                        .weight = s->w,
                        .strata = s->region,
                        .n_strata = 2,
                        .psu = s->hh,
                        .n_psu = s->n_hh,
                        .strata_names = REGIONS,
                        .lonely = SOL_LONELY_ADJUST};
}

/* survey's replicate weights rebuilt from the draw counts: rb050 x (count x n_h) / (n_h - 1) */
TEST(bootstrap_with_surveys_replicate_weights_gives_convey_and_survey_ses)
{
    static sample s;
    load_sample(&s);
    static long count[1000][NREP];
    static int seen[1000];
    double nh[2] = {0, 0};
    sol_csv *c = NULL;
    ASSERT_STATUS(sol_csv_open(DIR "counts.csv", NULL, &c, NULL), SOL_OK);
    while (sol_csv_next(c, NULL) == SOL_OK) {
        long id = (long)num(c, "db030");
        size_t h = 0;
        while (h < s.n_hh && s.hh_id[h] != id)
            h++;
        ASSERT(h < s.n_hh);
        seen[h] = 1;
        nh[strcmp(str(c, "db040"), "Burgenland") == 0 ? 0 : 1] += 1;
        for (int r = 0; r < NREP; r++) {
            char col[16];
            snprintf(col, sizeof col, "r%d", r + 1);
            count[h][r] = (long)num(c, col);
        }
    }
    sol_csv_close(c);
    for (size_t h = 0; h < s.n_hh; h++)
        ASSERT(seen[h]);
    double *repw = malloc(s.n * NREP * sizeof *repw);
    ASSERT(repw != NULL);
    for (size_t i = 0; i < s.n; i++)
        for (int r = 0; r < NREP; r++) {
            double n_h = nh[s.region[i]];
            repw[i * NREP + r] = s.w[i] * ((double)count[s.hh[i]][r] * n_h / (n_h - 1));
        }
    sol_design d = design_of(&s);
    sol_poverty_boot b = {.replicates = NREP, .repw = repw};
    sol_poverty_boot_result *res = NULL;
    sol_error err;
    ASSERT_STATUS(sol_poverty_bootstrap(s.x, &d, s.region, 2, REGIONS, NULL, &b, &res, &err),
                  SOL_OK);
    ASSERT_EQ(res->n_rows, 3);
    ASSERT_REL(res->scale, 1.0 / (NREP - 1), 1e-15);
    ASSERT_STATUS(sol_csv_open(DIR "expected.csv", NULL, &c, NULL), SOL_OK);
    size_t rows = 0;
    while (sol_csv_next(c, NULL) == SOL_OK) {
        const char *dom = str(c, "domain");
        size_t k = strcmp(dom, "Burgenland") == 0 ? 0 : strcmp(dom, "Vorarlberg") == 0 ? 1 : 2;
        const sol_poverty_se *se = &res->se[k];
        ASSERT_EQ(se->dropped, 0);
        ASSERT_REL(se->arop, num(c, "arop_se"), 1e-8);
        ASSERT_REL(se->gini, num(c, "gini_se"), 1e-8);
        ASSERT_REL(se->qsr, num(c, "qsr_se"), 1e-8);
        ASSERT_REL(se->mean_income, num(c, "mean_income_se"), 1e-8);
        ASSERT_REL(se->median_income, num(c, "median_income_se"), 1e-8);
        rows++;
    }
    sol_csv_close(c);
    ASSERT_EQ(rows, 3);
    sol_poverty_boot_free(res);
    free(repw);
}

static sol_poverty_boot_result *drawn(const sample *s, size_t R, uint64_t seed, int threads)
{
    (void)threads;
#ifdef _OPENMP
    int saved = omp_get_max_threads();
    omp_set_num_threads(threads);
#endif
    sol_design d = design_of(s);
    sol_poverty_boot b = {.replicates = R, .seed = seed};
    sol_poverty_boot_result *res = NULL;
    sol_error err;
    sol_status rc = sol_poverty_bootstrap(s->x, &d, s->region, 2, REGIONS, NULL, &b, &res, &err);
#ifdef _OPENMP
    omp_set_num_threads(saved);
#endif
    return rc == SOL_OK ? res : NULL;
}

/* The drawn bootstrap: the same on one and two threads, another seed gives other draws, and with
 * many replicates the ARPR's SE is near the linearised one with the line's variance (the two
 * estimate the same quantity: within 15%, a band the Monte Carlo error of 400 replicates, about
 * 3.5%, and the methods' difference stay well inside). */
TEST(bootstrap_drawn_is_thread_invariant_and_near_linearisation)
{
    static sample s;
    load_sample(&s);
    sol_poverty_boot_result *a = drawn(&s, 400, 7, 1), *b = drawn(&s, 400, 7, 2),
                            *c = drawn(&s, 400, 8, 2);
    ASSERT(a && b && c);
    for (size_t k = 0; k < 3; k++) {
        ASSERT(memcmp(&a->se[k], &b->se[k], sizeof a->se[k]) == 0);
        ASSERT(a->se[k].arop != c->se[k].arop);
    }
    sol_design d = design_of(&s);
    sol_poverty_result *lin = NULL;
    sol_error err;
    ASSERT_STATUS(sol_poverty_estimate(s.x, &d, s.region, 2, REGIONS, NULL, &lin, &err), SOL_OK);
    for (size_t k = 0; k < 3; k++) {
        double ratio = a->se[k].arop / lin->rows[k].arop_se;
        if (!(ratio > 0.85 && ratio < 1.15))
            HARNESS_FAIL("%s: bootstrap SE %g, linearised %g", lin->rows[k].domain, a->se[k].arop,
                         lin->rows[k].arop_se);
        ratio = a->se[k].mean_income / lin->rows[k].mean_income_se;
        if (!(ratio > 0.85 && ratio < 1.15))
            HARNESS_FAIL("%s: mean income SE %g vs %g", lin->rows[k].domain, a->se[k].mean_income,
                         lin->rows[k].mean_income_se);
    }
    sol_poverty_result_free(lin);
    sol_poverty_boot_free(a);
    sol_poverty_boot_free(b);
    sol_poverty_boot_free(c);
}

TEST(bootstrap_refuses_too_few_replicates)
{
    double x[4] = {1, 2, 3, 4}, w[4] = {1, 1, 1, 1};
    sol_design d = {.n = 4, .weight = w};
    sol_poverty_boot b = {.replicates = 1};
    sol_poverty_boot_result *r = NULL;
    sol_error err;
    ASSERT_STATUS(sol_poverty_bootstrap(x, &d, NULL, 0, NULL, NULL, &b, &r, &err), SOL_EINVAL);
    ASSERT(strstr(err.msg, "replicates") != NULL);
    ASSERT(r == NULL);
}
