/* test_stats.c - direct poverty estimators against R laeken + survey on eusilc
 * (tests/data/poverty_eusilc), the weighted quantile convention, design edge cases and MPI. */
#include "harness.h"
#include "test_util.h"

#include <solidata/csv.h>
#include <solidata/stats.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DIR "tests/data/poverty_eusilc/"

static void check_design_opts(const char *design, const char *strata, const char *psu,
                              sol_lonely_psu lonely, int line_by_domain);

static void check_design(const char *design, const char *strata, const char *psu,
                         sol_lonely_psu lonely)
{
    check_design_opts(design, strata, psu, lonely, 0);
}

/* The whole design against survey (fixed-line SEs, DIR/expected.csv) and, with the line's own
 * variance, against convey's svyarpr (tests/data/poverty_convey/expected.csv). */
static void check_design_opts(const char *design, const char *strata, const char *psu,
                              sol_lonely_psu lonely, int line_by_domain)
{
    sol_md_column cols[5] = {{"eqIncome", SOL_MD_NUMBER, 0, 0, 0, "income"},
                             {"rb050", SOL_MD_NUMBER, 0, 1, 0, "weight"},
                             {"db040", SOL_MD_CODE, 0, 0, 0, "region"},
                             {strata ? strata : "db040", SOL_MD_CODE, 0, 0, 0, "stratum"},
                             {psu ? psu : "db030", SOL_MD_CODE, 0, 0, 0, "PSU"}};
    sol_microdata *md = NULL;
    sol_error err;
    ASSERT_STATUS(sol_microdata_read(DIR "eusilc.csv", cols, 5, &md, &err), SOL_OK);
    size_t nd = sol_microdata_nlevels(md, 2);
    const char *names[16];
    for (size_t k = 0; k < nd && k < 16; k++)
        names[k] = sol_microdata_level(md, 2, k);
    sol_design d = {.n = sol_microdata_rows(md),
                    .weight = sol_microdata_numbers(md, 1),
                    .strata = strata ? sol_microdata_codes(md, 3) : NULL,
                    .n_strata = sol_microdata_nlevels(md, 3),
                    .psu = psu ? sol_microdata_codes(md, 4) : NULL,
                    .n_psu = sol_microdata_nlevels(md, 4),
                    .lonely = lonely};
    sol_poverty_result *r = NULL;
    sol_poverty_opts po = {.line_by_domain = line_by_domain};
    ASSERT_STATUS(sol_poverty_estimate(sol_microdata_numbers(md, 0), &d, sol_microdata_codes(md, 2),
                                       nd, names, &po, &r, &err),
                  SOL_OK);
    /* convey: the ARPR's SE with the estimated line's variance in */
    test_table *cv = test_table_load("tests/data/poverty_convey/expected.csv");
    ASSERT(cv != NULL);
    size_t nconvey = 0;
    for (size_t i = 0; i < cv->nr; i++) {
        if (strcmp(test_table_str(cv, i, "design"), design) != 0 ||
            strcmp(test_table_str(cv, i, "line"), line_by_domain ? "domain" : "national") != 0)
            continue;
        for (size_t k = 0; k < r->n_rows; k++)
            if (strcmp(r->rows[k].domain, test_table_str(cv, i, "domain")) == 0) {
                ASSERT_REL(r->rows[k].arop, test_table_num(cv, i, "arop"), 1e-10);
                ASSERT_REL(r->rows[k].arop_se, test_table_num(cv, i, "arop_se"), 1e-8);
                nconvey++;
            }
    }
    ASSERT_EQ(nconvey, line_by_domain ? nd : nd + 1);
    test_table_free(cv);
    if (line_by_domain) {
        sol_poverty_result_free(r);
        sol_microdata_free(md);
        return;
    }
    test_table *t = test_table_load(DIR "expected.csv");
    ASSERT(t != NULL);
    size_t checked = 0;
    for (size_t i = 0; i < t->nr; i++) {
        if (strcmp(test_table_str(t, i, "design"), design) != 0)
            continue;
        const sol_poverty_row *w = NULL;
        for (size_t k = 0; k < r->n_rows; k++)
            if (strcmp(r->rows[k].domain, test_table_str(t, i, "domain")) == 0)
                w = &r->rows[k];
        ASSERT(w != NULL);
        ASSERT_EQ(w->n, test_table_num(t, i, "n"));
        ASSERT_REL(w->weighted_n, test_table_num(t, i, "weighted_n"), 1e-12);
        ASSERT_REL(w->median_income, test_table_num(t, i, "median_income"), 1e-12);
        ASSERT_REL(w->poverty_line, test_table_num(t, i, "poverty_line"), 1e-12);
        ASSERT_REL(w->arop, test_table_num(t, i, "arop"), 1e-10);
        ASSERT_REL(w->fgt1, test_table_num(t, i, "fgt1"), 1e-10);
        ASSERT_REL(w->fgt2, test_table_num(t, i, "fgt2"), 1e-10);
        ASSERT_REL(w->rmpg, test_table_num(t, i, "rmpg"), 1e-10);
        ASSERT_REL(w->gini, test_table_num(t, i, "gini"), 1e-10);
        ASSERT_REL(w->qsr, test_table_num(t, i, "qsr"), 1e-10);
        ASSERT_REL(w->mean_income, test_table_num(t, i, "mean_income"), 1e-10);
        ASSERT_REL(w->arop_se_fixed_line, test_table_num(t, i, "arop_se"), 1e-8);
        ASSERT_REL(w->fgt1_se, test_table_num(t, i, "fgt1_se"), 1e-8);
        ASSERT_REL(w->fgt2_se, test_table_num(t, i, "fgt2_se"), 1e-8);
        ASSERT_REL(w->mean_income_se, test_table_num(t, i, "mean_income_se"), 1e-8);
        checked++;
    }
    ASSERT_EQ(checked, nd + 1);
    test_table_free(t);
    sol_poverty_result_free(r);
    sol_microdata_free(md);
}

TEST(poverty_eusilc_strata_psu)
{
    check_design("strata_psu", "db040", "db030", SOL_LONELY_ADJUST);
}

TEST(poverty_eusilc_no_design)
{
    check_design("none", NULL, NULL, SOL_LONELY_ADJUST);
}

TEST(poverty_eusilc_lonely_adjust)
{
    check_design("age_lonely_adjust", "age", "db030", SOL_LONELY_ADJUST);
}

TEST(poverty_eusilc_lonely_remove)
{
    check_design("age_lonely_remove", "age", "db030", SOL_LONELY_REMOVE);
}

/* Lonely PSUs under "adjust" are centred at the mean PSU total of the whole design, as survey
 * >= 4.2 does: a design with few PSUs (strata age, PSUs sex within age, 5 lonely strata) where
 * the centring moves the ARPR's SE by 5e-7 relative, against convey's svyarpr
 * (tests/data/poverty_lonely, survey 4.5). */
TEST(poverty_lonely_psu_centred_as_survey)
{
    sol_md_column cols[5] = {{"eqIncome", SOL_MD_NUMBER, 0, 0, 0, "income"},
                             {"rb050", SOL_MD_NUMBER, 0, 1, 0, "weight"},
                             {"db040", SOL_MD_CODE, 0, 0, 0, "region"},
                             {"age", SOL_MD_CODE, 0, 0, 0, "stratum"},
                             {"rb090", SOL_MD_CODE, 0, 0, 0, "PSU"}};
    sol_microdata *md = NULL;
    sol_error err;
    ASSERT_STATUS(sol_microdata_read(DIR "eusilc.csv", cols, 5, &md, &err), SOL_OK);
    size_t nd = sol_microdata_nlevels(md, 2);
    const char *names[16];
    for (size_t k = 0; k < nd && k < 16; k++)
        names[k] = sol_microdata_level(md, 2, k);
    /* PSUs nested in strata: a PSU is a (stratum, sex) pair */
    size_t n = sol_microdata_rows(md);
    const uint32_t *st = sol_microdata_codes(md, 3), *sx = sol_microdata_codes(md, 4);
    uint32_t *psu = malloc(n * sizeof *psu);
    size_t nsx = sol_microdata_nlevels(md, 4);
    for (size_t i = 0; i < n; i++)
        psu[i] = (uint32_t)(st[i] * nsx + sx[i]);
    sol_design d = {.n = n,
                    .weight = sol_microdata_numbers(md, 1),
                    .strata = st,
                    .n_strata = sol_microdata_nlevels(md, 3),
                    .psu = psu,
                    .n_psu = sol_microdata_nlevels(md, 3) * nsx,
                    .lonely = SOL_LONELY_ADJUST};
    sol_poverty_result *r = NULL;
    sol_poverty_opts po = {0};
    ASSERT_STATUS(sol_poverty_estimate(sol_microdata_numbers(md, 0), &d, sol_microdata_codes(md, 2),
                                       nd, names, &po, &r, &err),
                  SOL_OK);
    ASSERT_EQ(r->lonely_strata, 5);
    test_table *t = test_table_load("tests/data/poverty_lonely/expected.csv");
    ASSERT(t != NULL);
    size_t checked = 0;
    for (size_t i = 0; i < t->nr; i++)
        for (size_t k = 0; k < r->n_rows; k++)
            if (strcmp(r->rows[k].domain, test_table_str(t, i, "domain")) == 0) {
                ASSERT_REL(r->rows[k].arop, test_table_num(t, i, "arop"), 1e-12);
                ASSERT_REL(r->rows[k].arop_se, test_table_num(t, i, "arop_se"), 1e-10);
                checked++;
            }
    ASSERT_EQ(checked, nd + 1);
    test_table_free(t);
    sol_poverty_result_free(r);
    free(psu);
    sol_microdata_free(md);
}

TEST(poverty_eusilc_line_of_each_domain)
{
    check_design_opts("strata_psu", "db040", "db030", SOL_LONELY_ADJUST, 1);
}

TEST(lonely_fail_names_stratum)
{
    double x[3] = {1, 2, 3}, w[3] = {1, 1, 1};
    uint32_t s[3] = {0, 0, 1}, p[3] = {0, 1, 2};
    const char *sn[2] = {"north", "south"};
    sol_design d = {.n = 3,
                    .weight = w,
                    .strata = s,
                    .n_strata = 2,
                    .psu = p,
                    .n_psu = 3,
                    .strata_names = sn,
                    .lonely = SOL_LONELY_FAIL};
    sol_poverty_result *r = NULL;
    sol_error err;
    ASSERT_STATUS(sol_poverty_estimate(x, &d, NULL, 0, NULL, NULL, &r, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "'south' has a single PSU");
}

/* laeken weightedQuantile: the first x whose cumulative weight share is above p, so with equal
 * weights on 1..4 the median is 3 (share 0.5 at 2 is not above 0.5). */
TEST(wquantile_laeken_convention)
{
    double x[4] = {1, 2, 3, 4}, w[4] = {1, 1, 1, 1}, q;
    ASSERT_STATUS(sol_stats_wquantile_sorted(x, w, 4, 0.5, &q), SOL_OK);
    ASSERT_REL(q, 3, 0);
    ASSERT_STATUS(sol_stats_wquantile_sorted(x, w, 4, 0.2, &q), SOL_OK);
    ASSERT_REL(q, 1, 0);
    ASSERT_STATUS(sol_stats_wquantile_sorted(x, w, 4, 1, &q), SOL_OK);
    ASSERT_REL(q, 4, 0);
    double z[1] = {0};
    ASSERT_STATUS(sol_stats_wquantile_sorted(x, z, 1, 0.5, &q), SOL_EINVAL);
}

TEST(line_above_every_income)
{
    double x[3] = {10, 20, 30}, w[3] = {1, 1, 1};
    sol_design d = {.n = 3, .weight = w};
    sol_poverty_opts o = {.line = 100};
    sol_poverty_result *r = NULL;
    sol_error err;
    ASSERT_STATUS(sol_poverty_estimate(x, &d, NULL, 0, NULL, &o, &r, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "everyone would be poor");
}

TEST(oecd_scale)
{
    double s;
    ASSERT_STATUS(sol_stats_oecd_scale(4, 2, &s), SOL_OK);
    ASSERT_REL(s, 1 + 0.5 + 0.6, 1e-15);
    ASSERT_STATUS(sol_stats_oecd_scale(0, 0, &s), SOL_EINVAL);
    ASSERT_STATUS(sol_stats_oecd_scale(2, 2, &s), SOL_EINVAL);
}

TEST(microdata_errors_have_positions)
{
    const char *csv = "w,inc,area\n1,100,a\n2,abc,b\n";
    sol_md_column cols[2] = {{"w", SOL_MD_NUMBER, 0, 1, 0, "weight"},
                             {"inc", SOL_MD_NUMBER, 0, 0, 0, "income"}};
    sol_microdata *md = NULL;
    sol_error err;
    ASSERT_STATUS(sol_microdata_read_mem(csv, strlen(csv), "m.csv", cols, 2, &md, &err), SOL_ETYPE);
    ASSERT_STR_EQ(err.where, "m.csv:3:3");
    const char *neg = "w,inc\n-1,100\n";
    ASSERT_STATUS(sol_microdata_read_mem(neg, strlen(neg), "n.csv", cols, 2, &md, &err),
                  SOL_EINVAL);
    ASSERT_STR_EQ(err.where, "n.csv:2:1");
}

/* ---- Alkire-Foster against tests/data/mpi_af (an independent R script) ---------------------- */
#define MPI "tests/data/mpi_af/"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *b = calloc(1, 1 << 16);
    *len = fread(b, 1, (1 << 16) - 1, f);
    fclose(f);
    return b;
}

TEST(mpi_alkire_foster_reference)
{
    size_t len;
    char *text = slurp(MPI "spec.json", &len);
    ASSERT(text != NULL);
    sol_mpi_spec *spec = NULL;
    sol_error err;
    ASSERT_STATUS(sol_mpi_spec_parse(text, len, "spec.json", &spec, &err), SOL_OK);
    free(text);
    sol_md_column cols[16];
    for (size_t j = 0; j < spec->n; j++)
        cols[j] = (sol_md_column){spec->ind[j].column, SOL_MD_NUMBER, 0, 0, 0, NULL};
    cols[spec->n] = (sol_md_column){"Region", SOL_MD_CODE, 0, 0, 0, NULL};
    sol_microdata *md = NULL;
    ASSERT_STATUS(sol_microdata_read(MPI "households.csv", cols, spec->n + 1, &md, &err), SOL_OK);
    const double *vals[16];
    for (size_t j = 0; j < spec->n; j++)
        vals[j] = sol_microdata_numbers(md, j);
    size_t ng = sol_microdata_nlevels(md, spec->n);
    const char *gn[16];
    for (size_t g = 0; g < ng; g++)
        gn[g] = sol_microdata_level(md, spec->n, g);
    sol_design d = {.n = sol_microdata_rows(md)};
    sol_mpi_result *r = NULL;
    ASSERT_STATUS(
        sol_mpi_estimate(spec, vals, &d, sol_microdata_codes(md, spec->n), ng, gn, &r, &err),
        SOL_OK);
    test_table *o = test_table_load(MPI "expected_overall.csv");
    ASSERT(o != NULL);
    for (size_t i = 0; i < o->nr; i++) {
        const char *k = test_table_str(o, i, "key");
        double v = test_table_num(o, i, "value");
        if (strcmp(k, "q") == 0)
            ASSERT_REL(r->q, v, 1e-12);
        else if (strcmp(k, "H") == 0)
            ASSERT_REL(r->H, v, 1e-12);
        else if (strcmp(k, "A") == 0)
            ASSERT_REL(r->A, v, 1e-12);
        else if (strcmp(k, "M0") == 0)
            ASSERT_REL(r->M0, v, 1e-12);
        else if (strcmp(k, "H_se") == 0)
            ASSERT_REL(r->H_se, v, 1e-8);
        else if (strcmp(k, "A_se") == 0)
            ASSERT_REL(r->A_se, v, 1e-8);
        else if (strcmp(k, "M0_se") == 0)
            ASSERT_REL(r->M0_se, v, 1e-8);
    }
    test_table *ind = test_table_load(MPI "expected_indicators.csv");
    ASSERT(ind != NULL && ind->nr == spec->n);
    for (size_t i = 0; i < ind->nr; i++) {
        size_t j = 0;
        while (j < spec->n && strcmp(spec->ind[j].column, test_table_str(ind, i, "column")) != 0)
            j++;
        ASSERT(j < spec->n);
        ASSERT_REL(spec->ind[j].weight, test_table_num(ind, i, "weight"), 1e-12);
        ASSERT_REL(r->ind[j].uncensored_headcount, test_table_num(ind, i, "uncensored_headcount"),
                   1e-12);
        ASSERT_REL(r->ind[j].censored_headcount, test_table_num(ind, i, "censored_headcount"),
                   1e-12);
        ASSERT_REL(r->ind[j].contribution, test_table_num(ind, i, "contribution"), 1e-12);
    }
    test_table *g = test_table_load(MPI "expected_groups.csv");
    ASSERT(g != NULL && g->nr == ng);
    for (size_t i = 0; i < g->nr; i++) {
        size_t k = 0;
        while (k < ng && strcmp(r->groups[k].group, test_table_str(g, i, "group")) != 0)
            k++;
        ASSERT(k < ng);
        ASSERT_EQ(r->groups[k].n, test_table_num(g, i, "n"));
        ASSERT_REL(r->groups[k].H, test_table_num(g, i, "H"), 1e-12);
        ASSERT_REL(r->groups[k].A, test_table_num(g, i, "A"), 1e-12);
        ASSERT_REL(r->groups[k].M0, test_table_num(g, i, "M0"), 1e-12);
        ASSERT_REL(r->groups[k].contribution, test_table_num(g, i, "contribution"), 1e-12);
    }
    test_table_free(o);
    test_table_free(ind);
    test_table_free(g);
    sol_mpi_result_free(r);
    sol_microdata_free(md);
    sol_mpi_spec_free(spec);
}

TEST(mpi_spec_errors)
{
    sol_mpi_spec *s = NULL;
    sol_error err;
    const char *bad_sum = "{\"k\":0.5,\"indicators\":[{\"column\":\"a\",\"weight\":0.4,"
                          "\"deprived_if\":\"== 1\"},{\"column\":\"b\",\"weight\":0.4,"
                          "\"deprived_if\":\"== 1\"}]}";
    ASSERT_STATUS(sol_mpi_spec_parse(bad_sum, strlen(bad_sum), "s.json", &s, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "sum to");
    const char *bad_op = "{\"k\":0.5,\"indicators\":[{\"column\":\"a\",\"weight\":1,"
                         "\"deprived_if\":\"=~ 1\"}]}";
    ASSERT_STATUS(sol_mpi_spec_parse(bad_op, strlen(bad_op), "s.json", &s, &err), SOL_EINVAL);
    const char *not_json = "{\"k\": 0.5,";
    ASSERT_STATUS(sol_mpi_spec_parse(not_json, strlen(not_json), "s.json", &s, &err), SOL_EPARSE);
}
