/* test_index.c - composite indices against values computed independently in R from the published
 * formulas (tests/data/index_*), bad specs, and Monte Carlo reproducibility across thread counts.
 */
#include "harness.h"
#include "test_util.h"

#include <solidata/csv.h>
#include <solidata/i18n.h>
#include <solidata/index.h>

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* A frame over all columns of t except the id and period columns. */
typedef struct frame {
    sol_index_frame f;
    const char **area, **period, **codes;
    double *x;
} frame;

static void frame_make(frame *fr, const test_table *t, const char *id, const char *per)
{
    memset(fr, 0, sizeof *fr);
    size_t n = t->nr, m = t->nc;
    fr->area = calloc(n, sizeof(char *));
    fr->period = per ? calloc(n, sizeof(char *)) : NULL;
    fr->codes = calloc(m, sizeof(char *));
    fr->x = calloc(n * m, sizeof(double));
    for (size_t j = 0; j < m; j++)
        fr->codes[j] = t->head[j];
    for (size_t i = 0; i < n; i++) {
        fr->area[i] = test_table_str(t, i, id);
        if (per)
            fr->period[i] = test_table_str(t, i, per);
        for (size_t j = 0; j < m; j++)
            fr->x[i * m + j] = test_table_num(t, i, t->head[j]);
    }
    fr->f = (sol_index_frame){n, m, fr->area, fr->period, fr->codes, fr->x, NULL};
}

static void frame_free(frame *fr)
{
    free(fr->area);
    free(fr->period);
    free(fr->codes);
    free(fr->x);
}

static const char *const BLI[] = {"housing",      "income",      "jobs",    "community",
                                  "education",    "environment", "civic",   "health",
                                  "satisfaction", "safety",      "worklife"};

static sol_index_spec *bli_spec(sol_index_norm nm, sol_index_agg agg)
{
    sol_index_spec *s = NULL;
    sol_index_spec_new(&s);
    s->norm = nm;
    s->agg = agg;
    for (size_t j = 0; j < 11; j++)
        sol_index_spec_add_ind(s, BLI[j], "wellbeing", 1, NAN);
    return s;
}

/* Run spec s on the BLI data and compare score (and rank when rank_col) with expected.csv. */
static int bli_check(sol_index_spec *s, const char *score_col, const char *rank_col, double rtol)
{
    test_table *t = test_table_load("tests/data/index_bli2017/bli2017.csv");
    test_table *e = test_table_load("tests/data/index_bli2017/expected.csv");
    frame fr;
    frame_make(&fr, t, "country", NULL);
    sol_index_result *r = NULL;
    sol_error err;
    int bad = 0;
    if (sol_index_run(&fr.f, s, &r, &err) != SOL_OK) {
        fprintf(stderr, "  run failed: %s\n", err.msg);
        bad = 1;
    }
    for (size_t i = 0; !bad && i < r->n_rows; i++) {
        double want = test_table_num(e, i, score_col), got = r->score[i];
        if (strcmp(test_table_str(e, i, "country"), r->area[i]) != 0 ||
            !(fabs(got - want) <= rtol * fabs(want))) {
            fprintf(stderr, "  %s %s: got %.17g want %.17g\n", score_col, r->area[i], got, want);
            bad = 1;
        }
        if (rank_col && r->rank[i] != test_table_num(e, i, rank_col)) {
            fprintf(stderr, "  rank %s: got %g want %g\n", r->area[i], r->rank[i],
                    test_table_num(e, i, rank_col));
            bad = 1;
        }
    }
    sol_index_result_free(r);
    frame_free(&fr);
    test_table_free(t);
    test_table_free(e);
    sol_index_spec_free(s);
    return bad;
}

/* ---- closed forms on the Better Life Index --------------------------------------------------- */

TEST(bli_mpi_negative_penalty)
{
    ASSERT(!bli_check(bli_spec(SOL_NORM_MP, SOL_AGG_MPI), "mpi_neg", "rank_mpi_neg", 1e-12));
}

TEST(bli_mpi_positive_penalty)
{
    sol_index_spec *s = bli_spec(SOL_NORM_MP, SOL_AGG_MPI);
    s->penalty = 1;
    ASSERT(!bli_check(s, "mpi_pos", NULL, 1e-12));
}

TEST(bli_minmax_zscore_rank_geometric)
{
    ASSERT(!bli_check(bli_spec(SOL_NORM_MINMAX, SOL_AGG_ARITH), "minmax", NULL, 1e-12));
    ASSERT(!bli_check(bli_spec(SOL_NORM_ZSCORE, SOL_AGG_ARITH), "zmean", NULL, 1e-10));
    ASSERT(!bli_check(bli_spec(SOL_NORM_RANK, SOL_AGG_ARITH), "rankmean", NULL, 1e-14));
    sol_index_spec *s = bli_spec(SOL_NORM_MINMAX, SOL_AGG_GEOM);
    s->minmax_lo = 1;
    s->minmax_hi = 100;
    ASSERT(!bli_check(s, "geom", NULL, 1e-12));
}

TEST(bli_pca_and_fa_weights)
{
    sol_index_spec *s = bli_spec(SOL_NORM_ZSCORE, SOL_AGG_ARITH);
    s->ind_weights = SOL_WEIGHT_PCA;
    ASSERT(!bli_check(s, "pca", NULL, 1e-10));
    s = bli_spec(SOL_NORM_ZSCORE, SOL_AGG_ARITH);
    s->ind_weights = SOL_WEIGHT_FA;
    ASSERT(!bli_check(s, "fa", "rank_fa", 1e-8));
    /* the weights themselves, and the checks */
    test_table *t = test_table_load("tests/data/index_bli2017/bli2017.csv");
    test_table *w = test_table_load("tests/data/index_bli2017/weights.csv");
    test_table *c = test_table_load("tests/data/index_bli2017/checks.csv");
    frame fr;
    frame_make(&fr, t, "country", NULL);
    sol_index_result *r = NULL, *r2 = NULL;
    s = bli_spec(SOL_NORM_ZSCORE, SOL_AGG_ARITH);
    s->ind_weights = SOL_WEIGHT_FA;
    ASSERT_STATUS(sol_index_run(&fr.f, s, &r, NULL), SOL_OK);
    s->ind_weights = SOL_WEIGHT_PCA;
    s->norm = SOL_NORM_MP;
    ASSERT_STATUS(sol_index_run(&fr.f, s, &r2, NULL), SOL_OK);
    for (size_t j = 0; j < 11; j++) {
        ASSERT_REL(r->ind_weight[j], test_table_num(w, j, "w_fa"), 1e-8);
        ASSERT_REL(r2->ind_weight[j], test_table_num(w, j, "w_pca"), 1e-10);
        ASSERT_REL(r->pca_explained[j], test_table_num(w, j, "explained"), 1e-10);
    }
    ASSERT_REL(r2->alpha[0], test_table_num(c, 0, "alpha"), 1e-10);
    sol_index_result_free(r);
    sol_index_result_free(r2);
    sol_index_spec_free(s);
    frame_free(&fr);
    test_table_free(t);
    test_table_free(w);
    test_table_free(c);
}

/* ---- AMPI over two years, reference mean or an area at a period ------------------------------ */

static sol_index_spec *eu_spec(void)
{
    sol_index_spec *s = NULL;
    sol_index_spec_new(&s);
    s->norm = SOL_NORM_AMP;
    s->agg = SOL_AGG_MPI;
    sol_index_spec_add_ind(s, "employ", NULL, 1, NAN);
    sol_index_spec_add_ind(s, "tertiary", NULL, 1, NAN);
    sol_index_spec_add_ind(s, "earlyl", NULL, -1, NAN);
    sol_index_spec_add_ind(s, "shareren", NULL, 1, NAN);
    sol_index_spec_add_ind(s, "gasemiss", NULL, -1, NAN);
    return s;
}

TEST(eu2020_ampi_reference_mean)
{
    test_table *t = test_table_load("tests/data/index_eu2020/eu2020_headline.csv");
    test_table *e = test_table_load("tests/data/index_eu2020/expected_mean.csv");
    frame fr;
    frame_make(&fr, t, "geo", "year");
    sol_index_spec *s = eu_spec();
    sol_index_result *r = NULL, *r2 = NULL;
    ASSERT_STATUS(sol_index_run(&fr.f, s, &r, NULL), SOL_OK);
    s->penalty = 1;
    ASSERT_STATUS(sol_index_run(&fr.f, s, &r2, NULL), SOL_OK);
    ASSERT_EQ(r->n_rows, e->nr);
    ASSERT_EQ(r->n_dim, 5);
    for (size_t i = 0; i < r->n_rows; i++) {
        ASSERT_STR_EQ(r->area[i], test_table_str(e, i, "geo"));
        ASSERT_STR_EQ(r->period[i], test_table_str(e, i, "year"));
        ASSERT_REL(r->score[i], test_table_num(e, i, "ampi_neg"), 1e-12);
        ASSERT_REL(r->rank[i], test_table_num(e, i, "rank_neg"), 0);
        ASSERT_REL(r2->score[i], test_table_num(e, i, "ampi_pos"), 1e-12);
    }
    sol_index_result_free(r);
    sol_index_result_free(r2);
    sol_index_spec_free(s);
    frame_free(&fr);
    test_table_free(t);
    test_table_free(e);
}

TEST(eu2020_ampi_reference_area_at_period)
{
    test_table *t = test_table_load("tests/data/index_eu2020/eu2020_headline.csv");
    test_table *e = test_table_load("tests/data/index_eu2020/expected_ref.csv");
    frame fr;
    frame_make(&fr, t, "geo", "year");
    sol_index_spec *s = eu_spec();
    s->ref_kind = SOL_REF_AREA;
    sol_index_spec_set(s, "ref_area", "EU (28 countries)");
    sol_index_spec_set(s, "ref_period", "2010");
    sol_index_result *r = NULL;
    ASSERT_STATUS(sol_index_run(&fr.f, s, &r, NULL), SOL_OK);
    ASSERT_EQ(r->n_rows, e->nr);
    for (size_t i = 0; i < r->n_rows; i++) {
        ASSERT_STR_EQ(r->area[i], test_table_str(e, i, "geo"));
        ASSERT_REL(r->score[i], test_table_num(e, i, "ampi_ref"), 1e-12);
        ASSERT_REL(r->rank[i], test_table_num(e, i, "rank_ref"), 0);
    }
    ASSERT(r->sentence[0] != NULL);
    sol_index_result_free(r);
    sol_index_spec_free(s);
    frame_free(&fr);
    test_table_free(t);
    test_table_free(e);
}

/* The profile sentences are written in the language of the thread that runs the index: one
 * whole template per case, the rank as the language writes a place, numbers with its mark. */
TEST(eu2020_profile_sentences_in_the_thread_language)
{
    test_table *t = test_table_load("tests/data/index_eu2020/eu2020_headline.csv");
    frame fr;
    frame_make(&fr, t, "geo", "year");
    sol_index_spec *s = eu_spec();
    sol_index_result *en = NULL, *frr = NULL, *it = NULL;
    ASSERT_STATUS(sol_index_run(&fr.f, s, &en, NULL), SOL_OK);
    sol_lang_set_thread(SOL_LANG_FR);
    ASSERT_STATUS(sol_index_run(&fr.f, s, &frr, NULL), SOL_OK);
    sol_lang_set_thread(SOL_LANG_IT);
    ASSERT_STATUS(sol_index_run(&fr.f, s, &it, NULL), SOL_OK);
    sol_lang_set_thread(-1);
    for (size_t i = 0; i < en->n_rows; i++) {
        if (isnan(en->score[i]))
            continue;
        ASSERT_CONTAINS(en->sentence[i], " ranks ");
        ASSERT_CONTAINS(frr->sentence[i], " se classe ");
        ASSERT_CONTAINS(it->sentence[i], " posto su ");
        if (en->rank[i] == 1) {
            ASSERT_CONTAINS(en->sentence[i], " ranks 1st of ");
            ASSERT_CONTAINS(frr->sentence[i], " se classe 1er sur ");
        }
        /* the score with one decimal: a decimal comma in French and Italian */
        ASSERT(strstr(frr->sentence[i], "score de ") != NULL);
        const char *sc = strstr(frr->sentence[i], "score de ") + strlen("score de ");
        while (*sc && *sc != ',' && *sc != ' ' && *sc != '.')
            sc++;
        ASSERT(*sc == ',');
    }
    sol_index_result_free(en);
    sol_index_result_free(frr);
    sol_index_result_free(it);
    sol_index_spec_free(s);
    frame_free(&fr);
    test_table_free(t);
}

/* ---- BES 2019: dimensions, missing values, JRC outliers, human weights ----------------------- */

static const char *const BES[] = {"01SAL001",     "01SAL004",  "01SAL006",  "03LAV001-N22",
                                  "03LAV002-N22", "03LAV004P", "07SIC001P", "07SIC006P",
                                  "07SIC008P",    "10AMB008",  "10AMB016",  "10AMB017"};
static const int BES_POL[] = {1, -1, -1, 1, -1, 1, -1, -1, -1, 1, 1, 1};
static const char *const BES_DIM[] = {"health", "work", "safety", "environment"};

static sol_index_spec *bes_spec(sol_index_norm nm, sol_index_agg agg, sol_index_missing mm,
                                int wins, const double *wi)
{
    sol_index_spec *s = NULL;
    sol_index_spec_new(&s);
    s->norm = nm;
    s->agg = agg;
    s->missing = mm;
    s->winsorise = wins;
    for (size_t j = 0; j < 12; j++)
        sol_index_spec_add_ind(s, BES[j], BES_DIM[j / 3], BES_POL[j], wi ? wi[j] : NAN);
    return s;
}

static void bes_compare(sol_index_spec *s, const char *case_col, int with_dims, double rtol,
                        int *bad, sol_index_result **keep)
{
    test_table *t = test_table_load("tests/data/index_bes2019/bes2019.csv");
    test_table *e = test_table_load("tests/data/index_bes2019/expected.csv");
    frame fr;
    frame_make(&fr, t, "reg_code", NULL);
    sol_index_result *r = NULL;
    sol_error err;
    *bad = 0;
    if (sol_index_run(&fr.f, s, &r, &err) != SOL_OK) {
        fprintf(stderr, "  %s: %s\n", case_col, err.msg);
        *bad = 1;
    }
    char name[64], rk[64];
    snprintf(rk, sizeof rk, "%s_rank", case_col);
    for (size_t i = 0; !*bad && i < r->n_rows; i++) {
        double want = test_table_num(e, i, case_col);
        if (!(fabs(r->score[i] - want) <= rtol * fabs(want))) {
            fprintf(stderr, "  %s row %zu: %.17g vs %.17g\n", case_col, i, r->score[i], want);
            *bad = 1;
        }
        if (test_table_col(e, rk) >= 0 && r->rank[i] != test_table_num(e, i, rk))
            *bad = 1;
        for (size_t d = 0; with_dims && d < 4; d++) {
            snprintf(name, sizeof name, "%s_%s", case_col, BES_DIM[d]);
            double wd = test_table_num(e, i, name);
            if (!(fabs(r->dim_score[i * 4 + d] - wd) <= rtol * fabs(wd))) {
                fprintf(stderr, "  %s row %zu: %.17g vs %.17g\n", name, i, r->dim_score[i * 4 + d],
                        wd);
                *bad = 1;
            }
        }
    }
    if (keep)
        *keep = r;
    else
        sol_index_result_free(r);
    frame_free(&fr);
    test_table_free(t);
    test_table_free(e);
    sol_index_spec_free(s);
}

TEST(bes_winsorised_mean_imputed_zscore_by_dimension)
{
    int bad;
    sol_index_result *r = NULL;
    bes_compare(bes_spec(SOL_NORM_ZSCORE, SOL_AGG_ARITH, SOL_MISS_MEAN, 1, NULL), "A", 1, 1e-10,
                &bad, &r);
    ASSERT(!bad);
    test_table *ind = test_table_load("tests/data/index_bes2019/indicators.csv");
    for (size_t j = 0; j < 12; j++) {
        ASSERT_EQ(r->n_winsorised[j], test_table_num(ind, j, "n_winsorised"));
        ASSERT_REL(r->skewness[j], test_table_num(ind, j, "skewness"), 1e-10);
        ASSERT_REL(r->kurtosis[j], test_table_num(ind, j, "kurtosis"), 1e-10);
        ASSERT_REL(r->alpha[r->ind_dim[j]], test_table_num(ind, j, "alpha_of_dim"), 1e-10);
    }
    ASSERT_EQ(r->n_imputed[0], 1); /* Piemonte: 07SIC006P missing */
    test_table_free(ind);
    sol_index_result_free(r);
}

TEST(bes_reweighted_mpi_by_dimension)
{
    int bad;
    bes_compare(bes_spec(SOL_NORM_MP, SOL_AGG_MPI, SOL_MISS_REWEIGHT, 1, NULL), "B", 1, 1e-12, &bad,
                NULL);
    ASSERT(!bad);
}

TEST(bes_median_imputed_minmax_human_weights)
{
    static const double wi[] = {2, 1, 1, 1, 1, 2, 1, 1, 1, 1, 2, 1};
    static const double wd[] = {3, 2, 1, 1};
    sol_index_spec *s = bes_spec(SOL_NORM_MINMAX, SOL_AGG_ARITH, SOL_MISS_MEDIAN, 0, wi);
    for (size_t d = 0; d < 4; d++)
        sol_index_spec_add_dim(s, BES_DIM[d], wd[d]);
    s->ind_weights = SOL_WEIGHT_HUMAN;
    s->dim_weights = SOL_WEIGHT_HUMAN;
    int bad;
    bes_compare(s, "C", 0, 1e-12, &bad, NULL);
    ASSERT(!bad);
}

TEST(bes_regression_imputed)
{
    int bad;
    bes_compare(bes_spec(SOL_NORM_ZSCORE, SOL_AGG_ARITH, SOL_MISS_REGRESS, 0, NULL), "D", 0, 1e-9,
                &bad, NULL);
    ASSERT(!bad);
}

/* ---- bad specs: a clear message before any work --------------------------------------------- */

static sol_status run_small(sol_index_spec *s, sol_error *err, const double *xv)
{
    static const char *const area[] = {"a", "b", "c", "d"};
    static const char *const period[] = {"2020", "2020", "2020", "2020"};
    static const char *const codes[] = {"x", "y", "z"};
    static const double x0[] = {1, 2, 3, 2, 4, 1, 3, 3, 2, 4, 1, 5};
    sol_index_frame f = {4, 3, area, period, codes, xv ? xv : x0, NULL};
    sol_index_result *r = NULL;
    sol_status rc = sol_index_run(&f, s, &r, err);
    sol_index_result_free(r);
    sol_index_spec_free(s);
    return rc;
}

static sol_index_spec *small_spec(void)
{
    sol_index_spec *s = NULL;
    sol_index_spec_new(&s);
    sol_index_spec_add_ind(s, "x", "one", 1, 1);
    sol_index_spec_add_ind(s, "y", "one", -1, 1);
    sol_index_spec_add_ind(s, "z", "two", 1, 1);
    return s;
}

TEST(bad_spec_unknown_indicator)
{
    sol_index_spec *s = small_spec();
    sol_index_spec_add_ind(s, "nope", NULL, 1, NAN);
    sol_error e;
    ASSERT_STATUS(run_small(s, &e, NULL), SOL_ENOTFOUND);
    ASSERT_CONTAINS(e.msg, "unknown indicator \"nope\"");
}

TEST(bad_spec_empty_dimension)
{
    sol_index_spec *s = small_spec();
    sol_index_spec_add_dim(s, "housing", 1);
    sol_error e;
    ASSERT_STATUS(run_small(s, &e, NULL), SOL_EINVAL);
    ASSERT_CONTAINS(e.msg, "dimension \"housing\" has no indicators");
}

TEST(bad_spec_negative_or_zero_weights)
{
    sol_index_spec *s = small_spec();
    s->ind_weights = SOL_WEIGHT_HUMAN;
    s->ind[0].weight = -1;
    sol_error e;
    ASSERT_STATUS(run_small(s, &e, NULL), SOL_EINVAL);
    ASSERT_CONTAINS(e.msg, "weight -1 is negative");
    s = small_spec();
    s->ind_weights = SOL_WEIGHT_HUMAN;
    s->ind[0].weight = 0;
    s->ind[1].weight = 0;
    ASSERT_STATUS(run_small(s, &e, NULL), SOL_EINVAL);
    ASSERT_CONTAINS(e.msg, "dimension \"one\" are all zero");
}

TEST(bad_spec_missing_polarity)
{
    sol_index_spec *s = small_spec();
    s->ind[2].polarity = 0;
    sol_error e;
    ASSERT_STATUS(run_small(s, &e, NULL), SOL_EINVAL);
    ASSERT_CONTAINS(e.msg, "\"z\" has no polarity");
    /* a JSON spec may leave the polarity to the store; run without one, it is refused */
    const char *json = "{\"indicators\": [{\"code\": \"x\", \"dimension\": \"one\"}, "
                       "{\"code\": \"y\", \"polarity\": \"-\", \"dimension\": \"one\"}, "
                       "{\"code\": \"z\", \"polarity\": 1, \"dimension\": \"two\"}]}";
    sol_index_spec *p = NULL;
    ASSERT_STATUS(sol_index_spec_parse_json(json, strlen(json), &p, &e), SOL_OK);
    ASSERT_EQ(p->ind[0].polarity, 0);
    ASSERT_STATUS(run_small(p, &e, NULL), SOL_EINVAL);
    ASSERT_CONTAINS(e.msg, "\"x\" has no polarity");
}

TEST(bad_spec_reference_not_found)
{
    sol_index_spec *s = small_spec();
    s->ref_kind = SOL_REF_AREA;
    sol_index_spec_set(s, "ref_area", "a");
    sol_index_spec_set(s, "ref_period", "1999");
    sol_error e;
    ASSERT_STATUS(run_small(s, &e, NULL), SOL_ENOTFOUND);
    ASSERT_CONTAINS(e.msg, "reference area \"a\" at period \"1999\" does not exist");
    s = small_spec();
    s->ref_kind = SOL_REF_AREA;
    sol_index_spec_set(s, "ref_area", "zz");
    ASSERT_STATUS(run_small(s, &e, NULL), SOL_ENOTFOUND);
}

TEST(bad_spec_zero_variance)
{
    static const double xv[] = {1, 2, 7, 2, 4, 7, 3, 3, 7, 4, 1, 7};
    sol_error e;
    ASSERT_STATUS(run_small(small_spec(), &e, xv), SOL_EINVAL);
    ASSERT_CONTAINS(e.msg, "\"z\" has zero variance");
}

TEST(bad_spec_geometric_non_positive)
{
    sol_index_spec *s = small_spec();
    s->norm = SOL_NORM_ZSCORE;
    s->agg = SOL_AGG_GEOM;
    sol_error e;
    ASSERT_STATUS(run_small(s, &e, NULL), SOL_EINVAL);
    ASSERT_CONTAINS(e.msg, "geometric mean over non-positive values");
    static const double xv[] = {1, 2, 3, 2, 4, 1, 3, 3, 0, 4, 1, 5};
    s = small_spec();
    s->ind[1].polarity = 1;
    s->norm = SOL_NORM_NONE;
    s->agg = SOL_AGG_GEOM;
    ASSERT_STATUS(run_small(s, &e, xv), SOL_EINVAL);
    ASSERT_CONTAINS(e.msg, "\"z\" has 0");
}

TEST(bad_spec_json_messages)
{
    sol_error e;
    sol_index_spec *p = NULL;
    const char *j1 = "{\"indicators\": [], \"normalise\": \"mp\"}";
    ASSERT_STATUS(sol_index_spec_parse_json(j1, strlen(j1), &p, &e), SOL_EPARSE);
    ASSERT_CONTAINS(e.msg, "unknown key \"normalise\"");
    const char *j2 = "{\"indicators\": [{\"code\":\"x\",\"polarity\":\"+\"}], "
                     "\"aggregation\": \"median\"}";
    ASSERT_STATUS(sol_index_spec_parse_json(j2, strlen(j2), &p, &e), SOL_EPARSE);
    ASSERT_CONTAINS(e.msg, "aggregation");
    const char *j3 =
        "{\"indicators\": [{\"code\":\"x\",\"polarity\":\"-\",\"dimension\":\"d\","
        "\"weight\":2}], \"weights\": {\"indicators\":\"human\",\"set_by\":\"board\","
        "\"set_on\":\"2024-05-01\"}, \"reference\": {\"area\":\"IT\",\"period\":\"2010\"},"
        " \"uncertainty\": {\"replications\": 10, \"seed\": 7, \"normalisation\": "
        "[\"mp\", \"minmax\"], \"weights\": true}}";
    ASSERT_STATUS(sol_index_spec_parse_json(j3, strlen(j3), &p, &e), SOL_OK);
    ASSERT_EQ(p->n_ind, 1);
    ASSERT_EQ(p->ind[0].polarity, -1);
    ASSERT_STR_EQ(p->ref_area, "IT");
    ASSERT_STR_EQ(p->weights_by, "board");
    ASSERT_EQ(p->n_mc_norm, 2);
    ASSERT_EQ(p->mc_reps, 10);
    sol_index_spec_free(p);
}

TEST(json_weights_switch_to_human)
{
    sol_error e;
    sol_index_spec *p = NULL;
    const char *j = "{\"indicators\": [{\"code\":\"x\",\"polarity\":\"+\",\"weight\":2},"
                    "{\"code\":\"y\",\"polarity\":\"+\",\"weight\":1}]}";
    ASSERT_STATUS(sol_index_spec_parse_json(j, strlen(j), &p, &e), SOL_OK);
    ASSERT_EQ(p->ind_weights, SOL_WEIGHT_HUMAN);
    ASSERT_EQ(p->dim_weights, SOL_WEIGHT_EQUAL);
    sol_index_spec_free(p);
    /* an explicit method wins over the weights given */
    const char *k = "{\"indicators\": [{\"code\":\"x\",\"polarity\":\"+\",\"weight\":2}],"
                    "\"dimensions\": [{\"name\":\"x\",\"weight\":3}],"
                    "\"weights\": {\"indicators\": \"pca\"}}";
    ASSERT_STATUS(sol_index_spec_parse_json(k, strlen(k), &p, &e), SOL_OK);
    ASSERT_EQ(p->ind_weights, SOL_WEIGHT_PCA);
    ASSERT_EQ(p->dim_weights, SOL_WEIGHT_HUMAN);
    sol_index_spec_free(p);
}

TEST(spec_json_round_trip)
{
    sol_error e;
    sol_index_spec *p = NULL, *q = NULL;
    const char *j =
        "{\"indicators\": [{\"code\":\"x\",\"polarity\":\"-\",\"dimension\":\"d\","
        "\"weight\":2,\"weight_range\":[1,3]},{\"code\":\"y\"}],"
        "\"dimensions\": [{\"name\":\"d\",\"weight\":0.5}],"
        "\"normalisation\": \"amp\", \"aggregation\": \"mpi\", \"penalty\": \"positive\","
        "\"weights\": {\"set_by\": \"council\", \"set_on\": \"2025-01-31\"},"
        "\"missing\": \"median\", \"outliers\": \"winsorise\","
        "\"reference\": {\"area\": \"IT\", \"period\": \"2015\"},"
        "\"uncertainty\": {\"replications\": 50, \"seed\": 3, \"normalisation\": "
        "[\"amp\", \"minmax\"], \"aggregation\": [\"mpi\", \"arith\"], \"weights\": true},"
        "\"periods\": [\"2015\", \"2023\"]}";
    ASSERT_STATUS(sol_index_spec_parse_json(j, strlen(j), &p, &e), SOL_OK);
    char *t1 = NULL, *t2 = NULL;
    ASSERT_STATUS(sol_index_spec_json(p, &t1, &e), SOL_OK);
    ASSERT_STATUS(sol_index_spec_parse_json(t1, strlen(t1), &q, &e), SOL_OK);
    ASSERT_STATUS(sol_index_spec_json(q, &t2, &e), SOL_OK);
    ASSERT_STR_EQ(t1, t2);
    ASSERT_EQ(q->n_periods, 2);
    ASSERT_STR_EQ(q->periods[1], "2023");
    ASSERT_EQ(q->ind[1].polarity, 0);
    ASSERT_EQ(q->ind_weights, SOL_WEIGHT_HUMAN);
    ASSERT_EQ(q->penalty, 1);
    ASSERT_EQ(q->mc_factors, SOL_MC_NORM | SOL_MC_AGG | SOL_MC_WEIGHTS);
    ASSERT_STR_EQ(q->ref_period, "2015");
    ASSERT_STATUS(sol_index_spec_set(q, "periods", "2019,2020,,2021"), SOL_OK);
    ASSERT_EQ(q->n_periods, 3);
    ASSERT_STATUS(sol_index_spec_set(q, "periods", NULL), SOL_OK);
    ASSERT_EQ(q->n_periods, 0);
    free(t1);
    free(t2);
    sol_index_spec_free(p);
    sol_index_spec_free(q);
}

/* ---- Monte Carlo: identical on 1 and 2 threads; intervals contain the base rank -------------- */

TEST(monte_carlo_same_on_1_and_2_threads)
{
    test_table *t = test_table_load("tests/data/index_eu2020/eu2020_headline.csv");
    frame fr;
    frame_make(&fr, t, "geo", "year");
    sol_index_spec *s = eu_spec();
    s->mc_reps = 500;
    s->seed = 20240501;
    s->mc_factors = SOL_MC_NORM | SOL_MC_AGG | SOL_MC_WEIGHTS;
    s->n_mc_norm = 3;
    s->mc_norm[0] = SOL_NORM_AMP;
    s->mc_norm[1] = SOL_NORM_MP;
    s->mc_norm[2] = SOL_NORM_RANK;
    s->n_mc_agg = 3;
    s->mc_agg[0] = SOL_AGG_MPI;
    s->mc_agg[1] = SOL_AGG_ARITH;
    s->mc_agg[2] = SOL_AGG_GEOM;
    s->ind[0].w_lo = 0.5;
    s->ind[0].w_hi = 2;
    s->ind[2].w_lo = 0;
    s->ind[2].w_hi = 1;
    sol_index_result *r1 = NULL, *r2 = NULL;
    int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    ASSERT_STATUS(sol_index_run(&fr.f, s, &r1, NULL), SOL_OK);
    omp_set_num_threads(2);
    ASSERT_STATUS(sol_index_run(&fr.f, s, &r2, NULL), SOL_OK);
    omp_set_num_threads(saved);
    ASSERT_EQ(r1->n_factors, 4);
    ASSERT(memcmp(r1->rank_median, r2->rank_median, r1->n_rows * sizeof(double)) == 0);
    ASSERT(memcmp(r1->rank_lo, r2->rank_lo, r1->n_rows * sizeof(double)) == 0);
    ASSERT(memcmp(r1->rank_hi, r2->rank_hi, r1->n_rows * sizeof(double)) == 0);
    ASSERT(memcmp(r1->sensitivity, r2->sensitivity, r1->n_factors * sizeof(double)) == 0);
    for (size_t i = 0; i < r1->n_rows; i++) {
        ASSERT(r1->rank_lo[i] <= r1->rank_median[i] && r1->rank_median[i] <= r1->rank_hi[i]);
        ASSERT(r1->rank_lo[i] >= 1 && r1->rank_hi[i] <= 30);
    }
    for (size_t k = 0; k < r1->n_factors; k++)
        ASSERT(r1->sensitivity[k] >= 0 && r1->sensitivity[k] <= 1);
    ASSERT_CONTAINS(r1->sentence[0], "90% rank interval");
    sol_index_result_free(r1);
    sol_index_result_free(r2);
    sol_index_spec_free(s);
    frame_free(&fr);
    test_table_free(t);
}

TEST(wrong_polarity_warning)
{
    /* y given "+" though it moves against x: the check must say so */
    static const double xv[] = {1, 9, 3, 2, 7, 1, 3, 5, 2, 4, 2, 5, 5, 1, 4};
    static const char *const area[] = {"a", "b", "c", "d", "e"};
    static const char *const codes[] = {"x", "y", "z"};
    sol_index_frame f = {5, 3, area, NULL, codes, xv, NULL};
    sol_index_spec *s = NULL;
    sol_index_spec_new(&s);
    sol_index_spec_add_ind(s, "x", "d", 1, NAN);
    sol_index_spec_add_ind(s, "y", "d", 1, NAN);
    sol_index_spec_add_ind(s, "z", "d", 1, NAN);
    sol_index_result *r = NULL;
    ASSERT_STATUS(sol_index_run(&f, s, &r, NULL), SOL_OK);
    int found = 0;
    for (size_t k = 0; k < r->n_warnings; k++)
        found |= strstr(r->warnings[k], "\"y\" correlates negatively") != NULL;
    ASSERT(found);
    sol_index_result_free(r);
    sol_index_spec_free(s);
}
