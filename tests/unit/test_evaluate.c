/* test_evaluate.c - difference-in-differences and synthetic control against the reference values
 * under tests/data/did_* and tests/data/synth_basque (made by R; see each make-reference.R). */
#include <solidata/evaluate.h>

#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Expected row of a did_* expected.csv: model, se, term -> estimate, std_error, t, p. */
typedef struct expect {
    double estimate, se, t, p;
    int found;
} expect;

static expect lookup(const char *dir, const char *model, const char *se, const char *term)
{
    char path[512];
    snprintf(path, sizeof path, "tests/data/%s/expected.csv", dir);
    sol_dtable *t = NULL;
    expect e = {0};
    if (sol_dtable_read(path, &t, NULL) != SOL_OK)
        return e;
    long cm = sol_dtable_col(t, "model"), cs = sol_dtable_col(t, "se");
    long ct = sol_dtable_col(t, "term");
    for (size_t i = 0; i < sol_dtable_nrows(t); i++) {
        if (strcmp(sol_dtable_cell(t, i, (size_t)cm), model) ||
            strcmp(sol_dtable_cell(t, i, (size_t)cs), se) ||
            strcmp(sol_dtable_cell(t, i, (size_t)ct), term))
            continue;
        sol_dtable_number(t, i, (size_t)sol_dtable_col(t, "estimate"), &e.estimate, NULL);
        e.se = e.t = NAN;
        sol_dtable_number(t, i, (size_t)sol_dtable_col(t, "std_error"), &e.se, NULL);
        sol_dtable_number(t, i, (size_t)sol_dtable_col(t, "t"), &e.t, NULL);
        sol_dtable_number(t, i, (size_t)sol_dtable_col(t, "p"), &e.p, NULL);
        e.found = 1;
    }
    sol_dtable_free(t);
    return e;
}

static const sol_did_term *term(const sol_did_result *r, const char *name)
{
    for (size_t i = 0; i < r->n_terms; i++)
        if (strcmp(r->terms[i].term, name) == 0)
            return &r->terms[i];
    return NULL;
}

/* Every coefficient of a 2x2 model against R, for one SE kind. */
static int check_2x2(const char *dir, const char *file, const char *model, const char *y,
                     const char *tr, const char *po, const char *const *ctl, size_t nc,
                     sol_se_kind se, const char *const *rterms, const char *const *ours, size_t nt)
{
    char path[512];
    snprintf(path, sizeof path, "tests/data/%s/%s", dir, file);
    sol_dtable *t = NULL;
    sol_did_result *r = NULL;
    sol_error err;
    int bad = 0;
    if (sol_dtable_read(path, &t, &err) != SOL_OK)
        return 1;
    sol_did_spec s = {y, tr, po, ctl, nc, NULL, NULL, se};
    if (sol_did_run(t, &s, &r, &err) != SOL_OK) {
        fprintf(stderr, "  %s: %s\n", dir, err.msg);
        sol_dtable_free(t);
        return 1;
    }
    for (size_t k = 0; k < nt; k++) {
        expect e = lookup(dir, model, sol_se_name(se), rterms[k]);
        const sol_did_term *g = term(r, ours[k]);
        if (!e.found || g == NULL) {
            fprintf(stderr, "  %s %s: term %s missing\n", dir, model, rterms[k]);
            bad = 1;
            continue;
        }
        double got[4] = {g->estimate, g->se, g->t, g->p}, want[4] = {e.estimate, e.se, e.t, e.p};
        /* 1e-8 relative; p-values below 1e-14 (R's and GSL's t tails part there) absolutely */
        for (int q = 0; q < 4; q++)
            if (!(fabs(got[q] - want[q]) <= 1e-8 * fabs(want[q])) &&
                !(q == 3 && fabs(got[q] - want[q]) <= 1e-14)) {
                fprintf(stderr, "  %s %s %s %s [%d]: %.15g vs R %.15g\n", dir, model,
                        sol_se_name(se), rterms[k], q, got[q], want[q]);
                bad = 1;
            }
    }
    sol_did_result_free(r);
    sol_dtable_free(t);
    return bad;
}

TEST(did_kielmc_wooldridge_13_3)
{
    const char *R4[] = {"(Intercept)", "nearinc", "y81", "nearinc:y81"};
    const char *age[] = {"age", "agesq"};
    const char *full[] = {"age", "agesq", "intst", "land", "area", "rooms", "baths"};
    const char *R6[] = {"(Intercept)", "nearinc", "y81", "nearinc:y81", "age", "agesq"};
    const char *R11[] = {"(Intercept)", "nearinc", "y81",  "nearinc:y81", "age",  "agesq",
                         "intst",       "land",    "area", "rooms",       "baths"};
    for (int se = 0; se < 2; se++) {
        ASSERT(!check_2x2("did_kielmc", "kielmc.csv", "plain", "rprice", "nearinc", "y81", NULL, 0,
                          (sol_se_kind)se, R4, R4, 4));
        ASSERT(!check_2x2("did_kielmc", "kielmc.csv", "age", "rprice", "nearinc", "y81", age, 2,
                          (sol_se_kind)se, R6, R6, 6));
        ASSERT(!check_2x2("did_kielmc", "kielmc.csv", "full", "rprice", "nearinc", "y81", full, 7,
                          (sol_se_kind)se, R11, R11, 11));
    }
}

TEST(did_injury_wooldridge_13_4)
{
    /* R names the interaction highearn:afchnge: the same column as ours */
    const char *R[] = {"(Intercept)", "highearn", "afchnge", "highearn:afchnge"};
    for (int se = 0; se < 2; se++)
        ASSERT(!check_2x2("did_injury", "injury_ky.csv", "plain", "ldurat", "highearn", "afchnge",
                          NULL, 0, (sol_se_kind)se, R, R, 4));
}

TEST(did_jtrain_twfe_event_study)
{
    sol_dtable *t = NULL;
    sol_error err;
    ASSERT_STATUS(sol_dtable_read("tests/data/did_jtrain/jtrain_g89.csv", &t, &err), SOL_OK);
    for (int se = 0; se < 3; se++) {
        sol_did_spec s = {"lscrap", "tr", "post", NULL, 0, "fcode", "year", (sol_se_kind)se};
        sol_did_result *r = NULL;
        ASSERT_STATUS(sol_did_run(t, &s, &r, &err), SOL_OK);
        expect e = lookup("did_jtrain", "static", sol_se_name((sol_se_kind)se), "D");
        ASSERT(e.found);
        ASSERT_EQ(r->n, 105);
        ASSERT_REL(r->estimate, e.estimate, 1e-8);
        ASSERT_REL(r->se, e.se, 1e-8);
        ASSERT_REL(r->p, e.p, 1e-8);
        ASSERT_EQ(r->n_events, 3);
        ASSERT_EQ(r->events[0].rel, -2);
        ASSERT_STR_EQ(r->events[0].time, "1987");
        ASSERT(r->events[1].reference);
        e = lookup("did_jtrain", "event", sol_se_name((sol_se_kind)se), "lead2");
        ASSERT_REL(r->events[0].estimate, e.estimate, 1e-8);
        ASSERT_REL(r->events[0].se, e.se, 1e-8);
        e = lookup("did_jtrain", "event", sol_se_name((sol_se_kind)se), "lag0");
        ASSERT_REL(r->events[2].estimate, e.estimate, 1e-8);
        ASSERT_REL(r->events[2].se, e.se, 1e-8);
        ASSERT_REL(r->events[2].p, e.p, 1e-8);
        if (se == SOL_SE_CLUSTER) {
            e = lookup("did_jtrain", "pretest", "cluster", "F");
            ASSERT(r->pretest);
            ASSERT_REL(r->pretest_f, e.estimate, 1e-8);
            ASSERT_REL(r->pretest_p, e.p, 1e-8);
            ASSERT_EQ(r->pretest_df2, 34);
        }
        sol_did_result_free(r);
    }
    sol_dtable_free(t);
}

TEST(did_collinear_control_named)
{
    sol_dtable *t = NULL;
    sol_error err;
    ASSERT_STATUS(sol_dtable_read("tests/data/did_kielmc/kielmc.csv", &t, &err), SOL_OK);
    const char *ctl[] = {"age", "y81nrinc"};
    sol_did_spec s = {"rprice", "nearinc", "y81", ctl, 2, NULL, NULL, SOL_SE_CLASSICAL};
    sol_did_result *r = NULL;
    ASSERT_STATUS(sol_did_run(t, &s, &r, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "'y81nrinc' is a linear combination");
    ASSERT(r == NULL);
    sol_dtable_free(t);
}

TEST(did_no_pre_period)
{
    const char *csv = "y,tr,post\n1,1,1\n2,0,1\n3,1,1\n";
    sol_dtable *t = NULL;
    sol_error err;
    ASSERT_STATUS(sol_dtable_read_mem(csv, strlen(csv), "m.csv", &t, &err), SOL_OK);
    sol_did_spec s = {"y", "tr", "post", NULL, 0, NULL, NULL, SOL_SE_CLASSICAL};
    sol_did_result *r = NULL;
    ASSERT_STATUS(sol_did_run(t, &s, &r, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "no pre-treatment periods");
    sol_dtable_free(t);
}

TEST(did_not_binary_has_position)
{
    const char *csv = "y,tr,post\n1,1,0\n2,0,1\n3,2,1\n";
    sol_dtable *t = NULL;
    sol_error err;
    ASSERT_STATUS(sol_dtable_read_mem(csv, strlen(csv), "m.csv", &t, &err), SOL_OK);
    sol_did_spec s = {"y", "tr", "post", NULL, 0, NULL, NULL, SOL_SE_CLASSICAL};
    sol_did_result *r = NULL;
    ASSERT_STATUS(sol_did_run(t, &s, &r, &err), SOL_ETYPE);
    ASSERT_STR_EQ(err.where, "m.csv:4:3");
    sol_dtable_free(t);
}

/* ---- synthetic control -------------------------------------------------------------------- */

/* Rows of a synth_basque expected file whose first column is `kind`: names and values in order. */
static size_t synth_expected(const char *file, const char *kind, char names[][64], double *val,
                             size_t max)
{
    char path[256];
    snprintf(path, sizeof path, "tests/data/synth_basque/%s", file);
    sol_dtable *t = NULL;
    if (sol_dtable_read(path, &t, NULL) != SOL_OK)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < sol_dtable_nrows(t) && n < max; i++) {
        if (strcmp(sol_dtable_cell(t, i, 0), kind) != 0)
            continue;
        const char *nm = sol_dtable_cell(t, i, 1);
        snprintf(names[n], 64, "%s", nm ? nm : "");
        sol_dtable_number(t, i, 2, &val[n], NULL);
        n++;
    }
    sol_dtable_free(t);
    return n;
}

static sol_synth_result *basque(const double *v, int placebos, sol_error *err)
{
    sol_dtable *t = NULL;
    sol_synth_spec *s = NULL;
    sol_synth_result *r = NULL;
    FILE *f = fopen("tests/data/synth_basque/spec.json", "rb");
    char buf[8192];
    size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f)
        fclose(f);
    if (sol_synth_spec_parse_json(buf, n, &s, err) != SOL_OK ||
        sol_dtable_read("tests/data/synth_basque/basque.csv", &t, err) != SOL_OK)
        goto done;
    sol_synth_opts o = {"regionname", "year", "gdpcap", "Basque Country (Pais Vasco)",
                        1970,         v,      placebos};
    sol_synth_run(t, s, &o, &r, err);
done:
    sol_synth_spec_free(s);
    sol_dtable_free(t);
    return r;
}

static double weight_of(const sol_synth_fit *f, const char *unit)
{
    for (size_t j = 0; j < f->n_donors; j++)
        if (strcmp(f->donors[j], unit) == 0)
            return f->w[j];
    return NAN;
}

TEST(synth_given_equal_v_matches_quadprog)
{
    double v[14], val[64];
    char names[64][64];
    for (int i = 0; i < 14; i++)
        v[i] = 1.0 / 14;
    sol_error err;
    sol_synth_result *r = basque(v, 0, &err);
    ASSERT(r != NULL);
    size_t n = synth_expected("expected_given_v.csv", "quadprog", names, val, 64);
    ASSERT_EQ(n, 17); /* 16 donors and the loss */
    for (size_t j = 0; j < 16; j++) {
        /* quadprog with a 1e-12 ridge: agreement to 1e-8 absolute */
        double got = weight_of(&r->fit, names[j]);
        if (!(fabs(got - val[j]) <= 1e-8))
            HARNESS_FAIL("%s: %.12g vs quadprog %.12g", names[j], got, val[j]);
    }
    ASSERT_REL(r->fit.loss_w, val[16], 1e-8);
    sol_synth_result_free(r);
}

TEST(synth_given_synth_v_reproduces_published_weights)
{
    double v[64], w[64];
    char vn[64][64], wn[64][64];
    ASSERT_EQ(synth_expected("expected_fit.csv", "v", vn, v, 64), 14);
    ASSERT_EQ(synth_expected("expected_fit.csv", "w", wn, w, 64), 16);
    sol_error err;
    sol_synth_result *r = basque(v, 0, &err);
    ASSERT(r != NULL);
    /* Synth's ipop solves the inner QP to about 5 significant digits; ours is exact */
    for (size_t j = 0; j < 16; j++) {
        double got = weight_of(&r->fit, wn[j]);
        if (!(fabs(got - w[j]) <= 2e-5))
            HARNESS_FAIL("%s: %.8g vs Synth %.8g", wn[j], got, w[j]);
    }
    /* the published weights (Abadie & Gardeazabal 2003): Catalonia 0.8508, Madrid 0.1492 */
    ASSERT(fabs(weight_of(&r->fit, "Cataluna") - 0.8508) < 5e-5);
    ASSERT(fabs(weight_of(&r->fit, "Madrid (Comunidad De)") - 0.1492) < 5e-5);
    double lw[4];
    char ln[4][64];
    ASSERT_EQ(synth_expected("expected_fit.csv", "loss_w", ln, lw, 4), 1);
    ASSERT(r->fit.loss_w <= lw[0] * (1 + 1e-9)); /* exact QP: never above ipop's */
    ASSERT_REL(r->fit.loss_w, lw[0], 1e-5);
    sol_synth_result_free(r);
}

TEST(synth_chosen_v_at_least_as_good_as_synth)
{
    double lv[4];
    char ln[4][64];
    ASSERT_EQ(synth_expected("expected_fit.csv", "loss_v", ln, lv, 4), 1);
    sol_error err;
    sol_synth_result *r = basque(NULL, 0, &err);
    ASSERT(r != NULL);
    double s = 0;
    for (size_t j = 0; j < r->fit.n_donors; j++) {
        ASSERT(r->fit.w[j] >= 0);
        s += r->fit.w[j];
    }
    ASSERT_REL(s, 1.0, 1e-12);
    /* V search is non-convex: we ask for a pre-period MSPE no worse than Synth's */
    ASSERT(r->fit.loss_v <= lv[0] * (1 + 1e-9));
    sol_synth_result_free(r);
}

/* KKT conditions of min ||Aw - b||^2 on the simplex: gradient equal on the support, not lower
 * off it (an analytic check, independent of any other solver). */
TEST(synth_simplex_ls_kkt)
{
    enum { K = 3, J = 6 };
    double A[K * J], b[K] = {0.3, -0.2, 0.5}, w[J];
    unsigned s = 12345;
    for (int i = 0; i < K * J; i++) {
        s = s * 1103515245u + 12345u;
        A[i] = (double)((s >> 8) % 2000) / 1000.0 - 1.0;
    }
    ASSERT_STATUS(sol_synth_simplex_ls(A, b, K, J, w, NULL), SOL_OK);
    double g[J], mu = INFINITY, sum = 0;
    for (int j = 0; j < J; j++) {
        double d = 0;
        for (int i = 0; i < K; i++) {
            double r = -b[i];
            for (int q = 0; q < J; q++)
                r += A[q * K + i] * w[q];
            d += 2 * A[j * K + i] * r;
        }
        g[j] = d;
        if (w[j] > 0 && d < mu)
            mu = d;
        sum += w[j];
        ASSERT(w[j] >= 0);
    }
    ASSERT_REL(sum, 1.0, 1e-14);
    for (int j = 0; j < J; j++) {
        if (w[j] > 0)
            ASSERT(fabs(g[j] - mu) <= 1e-10);
        else
            ASSERT(g[j] >= mu - 1e-10);
    }
}

TEST(synth_bad_inputs)
{
    const char *csv = "u,t,y,x\nA,1,1,1\nA,2,2,\nB,1,1,2\nB,2,1,3\nC,1,2,\nC,2,2,\n";
    const char *spec = "{\"predictors\":[{\"variable\":\"x\",\"from\":1,\"to\":2}],"
                       "\"optimise\":{\"from\":1,\"to\":1}}";
    sol_dtable *t = NULL;
    sol_synth_spec *s = NULL;
    sol_synth_result *r = NULL;
    sol_error err;
    ASSERT_STATUS(sol_dtable_read_mem(csv, strlen(csv), "m.csv", &t, &err), SOL_OK);
    ASSERT_STATUS(sol_synth_spec_parse_json(spec, strlen(spec), &s, &err), SOL_OK);
    sol_synth_opts o = {"u", "t", "y", "Z", 2, NULL, 0};
    ASSERT_STATUS(sol_synth_run(t, s, &o, &r, &err), SOL_ENOTFOUND);
    ASSERT_CONTAINS(err.msg, "treated unit 'Z' is not in column 'u'");
    o.treated = "A";
    ASSERT_STATUS(sol_synth_run(t, s, &o, &r, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "donor 'C' has no value of predictor 'x'");
    o.treatment_start = 1;
    ASSERT_STATUS(sol_synth_run(t, s, &o, &r, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "no pre-treatment periods");
    double v0[1] = {0};
    o.treatment_start = 2;
    o.v_weights = v0;
    ASSERT_STATUS(sol_synth_run(t, s, &o, &r, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "sum to 0");
    ASSERT(r == NULL);
    sol_synth_spec_free(s);
    sol_dtable_free(t);
}
