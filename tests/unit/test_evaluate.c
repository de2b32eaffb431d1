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
    const char *R11[] = {"(Intercept)", "nearinc", "y81", "nearinc:y81", "age", "agesq",
                         "intst", "land", "area", "rooms", "baths"};
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
