/* test_decide.c - the budget allocation against brute-force enumeration on small random instances,
 * TOPSIS and weighted sum on a hand-checkable case, and the bad inputs of prioritisation. */
#include <solidata/decide.h>

#include "harness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static unsigned rng = 2463534242u;
static double urand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return (double)(rng % 1000000u) / 1000000.0;
}

static sol_options *instance(const char *csv)
{
    sol_dtable *t = NULL;
    sol_options *o = NULL;
    if (sol_dtable_read_mem(csv, strlen(csv), "o.csv", &t, NULL) == SOL_OK)
        sol_options_from_table(t, &o, NULL);
    sol_dtable_free(t);
    return o;
}

/* Best objective over every subset that meets the constraints; -1 when none does. */
static double brute(const sol_options *o, const double *b, double budget)
{
    size_t n = o->n;
    double best = -1;
    for (unsigned long m = 0; m < (1ul << n); m++) {
        double cost = 0, val = 0;
        int ok = 1;
        for (size_t i = 0; i < n; i++)
            if (m >> i & 1) {
                cost += o->opt[i].cost;
                val += b[i];
                for (size_t q = 0; q < i; q++)
                    if ((m >> q & 1) && o->opt[i].exclusive && o->opt[q].exclusive &&
                        strcmp(o->opt[i].exclusive, o->opt[q].exclusive) == 0)
                        ok = 0;
            }
        if (cost > budget + 1e-9)
            ok = 0;
        for (size_t a = 0; ok && a < o->n_min; a++) {
            int got = 0;
            for (size_t i = 0; i < n; i++)
                for (size_t k = 0; (m >> i & 1) && k < o->opt[i].n_areas; k++)
                    got += strcmp(o->opt[i].areas[k], o->min_area[a]) == 0;
            ok = got >= o->min_count[a];
        }
        if (ok && val > best)
            best = val;
    }
    return best;
}

TEST(allocation_matches_brute_force)
{
    const char *areas[] = {"A", "B", "C", "D"};
    const char *labels[] = {"", "x", "y"};
    for (int inst = 0; inst < 60; inst++) {
        size_t n = 4 + (size_t)(urand() * 9); /* 4..12 options */
        char csv[4096];
        size_t len = (size_t)snprintf(csv, sizeof csv, "option,cost,areas,exclusive,effect:e\n");
        for (size_t i = 0; i < n; i++)
            len += (size_t)snprintf(csv + len, sizeof csv - len, "o%zu,%d,%s|%s,%s,%.3f\n", i,
                                    1 + (int)(urand() * 100), areas[(int)(urand() * 4)],
                                    areas[(int)(urand() * 4)], labels[(int)(urand() * 3)], urand());
        sol_options *o = instance(csv);
        ASSERT(o != NULL);
        if (inst % 3 == 0)
            ASSERT_STATUS(sol_options_set_min(o, "A", 1, NULL), SOL_OK);
        double b[16];
        for (size_t i = 0; i < n; i++)
            b[i] = o->opt[i].effect[0] * (double)o->opt[i].n_areas;
        double budget = 50 + urand() * 200;
        int x[16];
        double obj = 0;
        sol_error err;
        sol_status st = sol_decide_allocate(o, b, budget, x, &obj, &err);
        double want = brute(o, b, budget);
        if (want < 0) {
            ASSERT_STATUS(st, SOL_EINVAL);
            ASSERT_CONTAINS(err.msg, "infeasible");
        } else {
            ASSERT_STATUS(st, SOL_OK);
            double got = 0, cost = 0;
            for (size_t i = 0; i < n; i++) {
                got += x[i] * b[i];
                cost += x[i] * o->opt[i].cost;
            }
            ASSERT(cost <= budget + 1e-9);
            ASSERT_REL(got, want, 1e-9);
            ASSERT_REL(obj, want, 1e-9);
        }
        sol_options_free(o);
    }
}

TEST(infeasible_budget_reports_smallest_feasible)
{
    sol_options *o = instance("option,cost,areas,effect:e\na,30,A,1\nb,20,A,1\nc,50,B,1\n");
    ASSERT(o != NULL);
    ASSERT_STATUS(sol_options_set_min(o, "A", 1, NULL), SOL_OK);
    ASSERT_STATUS(sol_options_set_min(o, "B", 1, NULL), SOL_OK);
    o->has_budget = 1;
    o->budget = 40;
    sol_prioritise_result *r = NULL;
    sol_error err;
    double mb = 0;
    ASSERT_STATUS(sol_prioritise(o, NULL, &r, &mb, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "smallest feasible budget is 70");
    ASSERT_REL(mb, 70, 1e-12); /* b (20) for A + c (50) for B, by hand */
    sol_options_free(o);
}

/* Two options, two criteria: effect (benefit) and cost. Weighted sum and TOPSIS by hand. */
TEST(ranking_by_hand)
{
    sol_options *o = instance("option,cost,areas,effect:e\na,10,A,1\nb,20,A,3\n");
    ASSERT(o != NULL);
    double w[5];
    ASSERT_STATUS(sol_prioritise_weights_parse(o, "e=0.75,cost=0.25", w, NULL), SOL_OK);
    sol_prioritise_result *r = NULL;
    ASSERT_STATUS(sol_prioritise(o, w, &r, NULL, NULL), SOL_OK);
    /* min-max: a = 0.25 (cost best), b = 0.75 (effect best) */
    ASSERT_REL(r->wsum[0], 0.25, 1e-15);
    ASSERT_REL(r->wsum[1], 0.75, 1e-15);
    ASSERT_EQ(r->rank_wsum[1], 1);
    /* TOPSIS: e column /sqrt(10), cost /sqrt(500); d+ and d- in closed form */
    double ea = 0.75 / sqrt(10), eb = 2.25 / sqrt(10), ca = 2.5 / sqrt(500), cb = 5 / sqrt(500);
    double dpa = fabs(eb - ea), dma = fabs(cb - ca); /* a: worst effect, best cost */
    ASSERT_REL(r->topsis[0], dma / (dpa + dma), 1e-12);
    ASSERT_REL(r->topsis[1], dpa / (dpa + dma), 1e-12);
    sol_prioritise_result_free(r);
    sol_options_free(o);
}

TEST(weights_bad)
{
    sol_options *o = instance("option,cost,areas,effect:e\na,10,A,1\n");
    ASSERT(o != NULL);
    double w[5];
    sol_error err;
    ASSERT_STATUS(sol_prioritise_weights_parse(o, "e=0,cost=0", w, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "sum to a positive number");
    ASSERT_STATUS(sol_prioritise_weights_parse(o, "e=-1", w, &err), SOL_EINVAL);
    ASSERT_STATUS(sol_prioritise_weights_parse(o, "joy=1", w, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "unknown criterion 'joy'");
    sol_options_free(o);
}

TEST(options_json_and_cost_error)
{
    const char *js = "{\"options\":[{\"name\":\"a\",\"cost\":5,\"areas\":[\"A\"],"
                     "\"effects\":{\"family\":0.5}}],\"need\":{\"A\":2},\"budget\":10}";
    sol_options *o = NULL;
    ASSERT_STATUS(sol_options_parse_json(js, strlen(js), &o, NULL), SOL_OK);
    ASSERT_EQ(o->n_dims, 1);
    ASSERT(o->has_budget);
    sol_prioritise_result *r = NULL;
    ASSERT_STATUS(sol_prioritise(o, NULL, &r, NULL, NULL), SOL_OK);
    ASSERT_REL(r->benefit[0], 1.0, 1e-15); /* effect 0.5 x need 2 */
    ASSERT(r->chosen[0]);
    sol_prioritise_result_free(r);
    sol_options_free(o);
    const char *csv = "option,cost,areas\na,-3,A\n";
    sol_dtable *t = NULL;
    sol_error err;
    ASSERT_STATUS(sol_dtable_read_mem(csv, strlen(csv), "o.csv", &t, NULL), SOL_OK);
    ASSERT_STATUS(sol_options_from_table(t, &o, &err), SOL_EINVAL);
    ASSERT_STR_EQ(err.where, "o.csv:2:3");
    sol_dtable_free(t);
}
