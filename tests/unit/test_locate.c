/* test_locate.c - every location model against brute-force enumeration of the site subsets on
 * small random instances (deterministic seed), the time-limited result against the LP bound, the
 * haversine distance, and the bad inputs of the method. */
#include <solidata/locate.h>

#include "harness.h"

#include <glpk.h>
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

#define NMAX 12
#define MMAX 8
typedef struct inst {
    size_t n, m;
    double w[NMAX], d[NMAX * MMAX], cap[MMAX], cost[MMAX];
    unsigned char keep[MMAX];
} inst;

static void make(inst *I, size_t n, size_t m, int with_keep)
{
    double dx[NMAX], dy[NMAX], sx[MMAX], sy[MMAX];
    memset(I, 0, sizeof *I);
    I->n = n;
    I->m = m;
    for (size_t i = 0; i < n; i++) {
        dx[i] = 10 * urand();
        dy[i] = 10 * urand();
        I->w[i] = 1 + floor(10 * urand());
    }
    for (size_t j = 0; j < m; j++) {
        sx[j] = 10 * urand();
        sy[j] = 10 * urand();
        I->cap[j] = 10 + floor(40 * urand());
        I->cost[j] = 1 + floor(9 * urand());
    }
    if (with_keep)
        I->keep[(size_t)(urand() * (double)m) % m] = 1;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++)
            I->d[i * m + j] = hypot(dx[i] - sx[j], dy[i] - sy[j]);
}

static sol_locate_problem problem(const inst *I, double D, size_t p)
{
    sol_locate_problem pr;
    memset(&pr, 0, sizeof pr);
    pr.n = I->n;
    pr.m = I->m;
    pr.w = I->w;
    pr.d = I->d;
    pr.cap = I->cap;
    pr.cost = I->cost;
    pr.keep = I->keep;
    pr.max_dist = D;
    pr.p = p;
    return pr;
}

static int has_keep(const inst *I, unsigned s)
{
    for (size_t j = 0; j < I->m; j++)
        if (I->keep[j] && !(s & (1u << j)))
            return 0;
    return 1;
}

static int popcount(unsigned s)
{
    int k = 0;
    for (; s; s &= s - 1)
        k++;
    return k;
}

static double covered(const inst *I, unsigned s, double D)
{
    double c = 0;
    for (size_t i = 0; i < I->n; i++)
        for (size_t j = 0; j < I->m; j++)
            if ((s & (1u << j)) && I->d[i * I->m + j] <= D) {
                c += I->w[i];
                break;
            }
    return c;
}

static double total_w(const inst *I)
{
    double t = 0;
    for (size_t i = 0; i < I->n; i++)
        t += I->w[i];
    return t;
}

static double wdist(const inst *I, unsigned s)
{
    double t = 0;
    for (size_t i = 0; i < I->n; i++) {
        double b = INFINITY;
        for (size_t j = 0; j < I->m; j++)
            if ((s & (1u << j)) && I->d[i * I->m + j] < b)
                b = I->d[i * I->m + j];
        t += I->w[i] * b;
    }
    return t;
}

/* The transportation LP of a fixed set of sites with capacities (demand may be split): its
 * least weighted distance, INFINITY when the capacities cannot hold the demand. */
static double transport(const inst *I, unsigned s)
{
    size_t n = I->n, m = I->m;
    glp_term_out(GLP_OFF);
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    glp_add_cols(lp, (int)(n * m));
    glp_add_rows(lp, (int)(n + m));
    int ia[1 + 2 * NMAX * MMAX], ja[1 + 2 * NMAX * MMAX];
    double ar[1 + 2 * NMAX * MMAX];
    int nz = 0;
    for (size_t i = 0; i < n; i++)
        glp_set_row_bnds(lp, (int)i + 1, GLP_FX, I->w[i], I->w[i]);
    for (size_t j = 0; j < m; j++)
        glp_set_row_bnds(lp, (int)(n + j) + 1, GLP_UP, 0, (s & (1u << j)) ? I->cap[j] : 0);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++) {
            int c = (int)(i * m + j) + 1;
            glp_set_col_bnds(lp, c, GLP_LO, 0, 0);
            glp_set_obj_coef(lp, c, I->d[i * m + j]);
            nz++, ia[nz] = (int)i + 1, ja[nz] = c, ar[nz] = 1;
            nz++, ia[nz] = (int)(n + j) + 1, ja[nz] = c, ar[nz] = 1;
        }
    glp_load_matrix(lp, nz, ia, ja, ar);
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    double v = INFINITY;
    if (glp_simplex(lp, &sp) == 0 && glp_get_status(lp) == GLP_OPT)
        v = glp_get_obj_val(lp);
    glp_delete_prob(lp);
    return v;
}

TEST(haversine_known_distance)
{
    /* Rome (12.4964, 41.9028) to Milan (9.1900, 45.4642): 477 km on the sphere of 6371.0088 */
    double d = sol_locate_haversine_km(12.4964, 41.9028, 9.19, 45.4642);
    ASSERT(d > 476 && d < 478);
    ASSERT_REL(sol_locate_haversine_km(0, 0, 1, 0), 6371.0088 * 3.14159265358979323846 / 180.0,
               1e-12);
}

TEST(mclp_matches_enumeration)
{
    for (int t = 0; t < 25; t++) {
        inst I;
        make(&I, 10, 7, t % 3 == 0);
        size_t p = 1 + (size_t)t % 4;
        double D = 2.5 + urand() * 2;
        sol_locate_problem pr = problem(&I, D, p);
        sol_locate_result *r = NULL;
        ASSERT_STATUS(sol_locate_solve(SOL_LOCATE_MCLP, &pr, &r, NULL), SOL_OK);
        double best = -1;
        for (unsigned s = 0; s < (1u << I.m); s++)
            if ((size_t)popcount(s) == p && has_keep(&I, s) && covered(&I, s, D) > best)
                best = covered(&I, s, D);
        ASSERT_REL(r->objective, best, 1e-9);
        ASSERT_REL(r->covered, best, 1e-9);
        ASSERT_EQ(r->n_open, p);
        ASSERT_EQ(r->status, SOL_LOCATE_OPTIMAL);
        for (size_t j = 0; j < I.m; j++)
            if (I.keep[j])
                ASSERT(r->open[j]);
        sol_locate_result_free(r);
    }
}

TEST(lscp_matches_enumeration)
{
    int solved = 0;
    for (int t = 0; t < 25; t++) {
        inst I;
        make(&I, 10, 8, t % 4 == 0);
        double D = 4 + urand() * 3;
        sol_locate_problem pr = problem(&I, D, 0);
        int best = -1;
        for (unsigned s = 0; s < (1u << I.m); s++)
            if (has_keep(&I, s) && covered(&I, s, D) == total_w(&I) &&
                (best < 0 || popcount(s) < best))
                best = popcount(s);
        sol_locate_result *r = NULL;
        sol_error e = {0};
        sol_status rc = sol_locate_solve(SOL_LOCATE_LSCP, &pr, &r, &e);
        if (best < 0) { /* some point out of every site's reach: said, and named */
            ASSERT_STATUS(rc, SOL_EINVAL);
            ASSERT_CONTAINS(e.msg, "no site can reach");
            continue;
        }
        ASSERT_STATUS(rc, SOL_OK);
        solved++;
        ASSERT_EQ((int)r->n_open, best);
        ASSERT_REL(r->covered, total_w(&I), 1e-12);
        sol_locate_result_free(r);
    }
    ASSERT(solved >= 10);
}

TEST(pmedian_matches_enumeration)
{
    for (int t = 0; t < 25; t++) {
        inst I;
        make(&I, 10, 7, t % 3 == 1);
        size_t p = 1 + (size_t)t % 4;
        sol_locate_problem pr = problem(&I, 0, p);
        sol_locate_result *r = NULL;
        ASSERT_STATUS(sol_locate_solve(SOL_LOCATE_PMEDIAN, &pr, &r, NULL), SOL_OK);
        double best = INFINITY;
        for (unsigned s = 0; s < (1u << I.m); s++)
            if ((size_t)popcount(s) == p && has_keep(&I, s) && wdist(&I, s) < best)
                best = wdist(&I, s);
        ASSERT_REL(r->objective, best, 1e-9);
        ASSERT_REL(r->wdist, best, 1e-9);
        ASSERT(r->lagrangian_bound <= best * (1 + 1e-9)); /* a lower bound */
        ASSERT(r->lagrangian_bound >= 0.5 * best);
        ASSERT_REL(r->covered, total_w(&I), 1e-12);
        sol_locate_result_free(r);
    }
}

TEST(capacitated_pmedian_matches_enumeration)
{
    int solved = 0;
    for (int t = 0; t < 20; t++) {
        inst I;
        make(&I, 8, 6, t % 4 == 2);
        size_t p = 2 + (size_t)t % 3;
        sol_locate_problem pr = problem(&I, 0, p);
        double best = INFINITY;
        for (unsigned s = 0; s < (1u << I.m); s++)
            if ((size_t)popcount(s) == p && has_keep(&I, s)) {
                double v = transport(&I, s);
                if (v < best)
                    best = v;
            }
        sol_locate_result *r = NULL;
        sol_error e = {0};
        sol_status rc = sol_locate_solve(SOL_LOCATE_CPMEDIAN, &pr, &r, &e);
        if (isinf(best)) {
            ASSERT_STATUS(rc, SOL_EINVAL);
            continue;
        }
        ASSERT_STATUS(rc, SOL_OK);
        solved++;
        ASSERT_REL(r->objective, best, 1e-7);
        for (size_t j = 0; j < I.m; j++)
            ASSERT(r->served[j] <= I.cap[j] * (1 + 1e-9) + 1e-9);
        sol_locate_result_free(r);
    }
    ASSERT(solved >= 8);
}

TEST(budget_matches_enumeration)
{
    for (int t = 0; t < 25; t++) {
        inst I;
        make(&I, 10, 7, t % 3 == 2);
        double D = 2.5 + urand() * 2, B = 5 + floor(urand() * 12);
        double kept = 0;
        for (size_t j = 0; j < I.m; j++)
            kept += I.keep[j] ? I.cost[j] : 0;
        if (kept > B)
            B = kept;
        sol_locate_problem pr = problem(&I, D, 0);
        pr.budget = B;
        sol_locate_result *r = NULL;
        ASSERT_STATUS(sol_locate_solve(SOL_LOCATE_BUDGET, &pr, &r, NULL), SOL_OK);
        double best = -1;
        for (unsigned s = 0; s < (1u << I.m); s++) {
            double c = 0;
            for (size_t j = 0; j < I.m; j++)
                c += (s & (1u << j)) ? I.cost[j] : 0;
            if (c <= B && has_keep(&I, s) && covered(&I, s, D) > best)
                best = covered(&I, s, D);
        }
        ASSERT_REL(r->objective, best, 1e-9);
        double c = 0;
        for (size_t j = 0; j < I.m; j++)
            c += r->open[j] ? I.cost[j] : 0;
        ASSERT(c <= B);
        sol_locate_result_free(r);
    }
}

TEST(curve_exact_ends_at_the_optimum)
{
    inst I;
    make(&I, 10, 7, 0);
    sol_locate_problem pr = problem(&I, 3.5, 3);
    pr.exact_curve = 1;
    sol_locate_result *r = NULL;
    ASSERT_STATUS(sol_locate_solve(SOL_LOCATE_MCLP, &pr, &r, NULL), SOL_OK);
    ASSERT_EQ(r->n_curve, 3);
    ASSERT(r->curve_exact);
    ASSERT_REL(r->curve[2], r->objective, 1e-12);
    ASSERT(r->curve[0] <= r->curve[1] && r->curve[1] <= r->curve[2]);
    sol_locate_result_free(r);
}

/* A larger instance stopped early: the solution is feasible and never beyond the LP bound; the
 * gap said is the distance to the best bound. */
TEST(time_limit_against_lp_bound)
{
    size_t n = 3000, m = 300;
    double *w = malloc(n * sizeof *w), *d = malloc(n * m * sizeof *d);
    double *x = malloc((n + m) * 2 * sizeof *x);
    ASSERT(w && d && x);
    for (size_t k = 0; k < 2 * (n + m); k++)
        x[k] = 100 * urand();
    for (size_t i = 0; i < n; i++) {
        w[i] = 1 + floor(100 * urand());
        for (size_t j = 0; j < m; j++)
            d[i * m + j] = hypot(x[2 * i] - x[2 * (n + j)], x[2 * i + 1] - x[2 * (n + j) + 1]);
    }
    sol_locate_problem pr;
    memset(&pr, 0, sizeof pr);
    pr.n = n;
    pr.m = m;
    pr.w = w;
    pr.d = d;
    pr.max_dist = 7;
    pr.p = 25;
    pr.time_limit_s = 0.3;
    sol_locate_result *r = NULL;
    ASSERT_STATUS(sol_locate_solve(SOL_LOCATE_MCLP, &pr, &r, NULL), SOL_OK);
    ASSERT_EQ(r->n_open, 25);
    ASSERT(r->objective <= r->lp_bound * (1 + 1e-9) || isnan(r->lp_bound));
    if (r->status != SOL_LOCATE_OPTIMAL) {
        ASSERT(r->gap >= 0 || isnan(r->gap));
        if (isfinite(r->bound))
            ASSERT_REL(r->gap, (r->bound - r->objective) / r->objective, 1e-9);
    }
    /* the greedy curve and the solution agree on the first site being worth something */
    ASSERT(r->curve[0] > 0);
    sol_locate_result_free(r);
    free(w);
    free(d);
    free(x);
}

TEST(bad_inputs_said)
{
    inst I;
    make(&I, 6, 4, 0);
    sol_locate_problem pr = problem(&I, 3, 5);
    sol_locate_result *r = NULL;
    sol_error e = {0};
    ASSERT_STATUS(sol_locate_solve(SOL_LOCATE_MCLP, &pr, &r, &e), SOL_EINVAL);
    ASSERT_CONTAINS(e.msg, "only 4 candidates");
    /* unreachable demand under LSCP, named */
    const char *names[6] = {"Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta"};
    pr = problem(&I, 0.001, 0);
    pr.dname = names;
    ASSERT_STATUS(sol_locate_solve(SOL_LOCATE_LSCP, &pr, &r, &e), SOL_EINVAL);
    ASSERT_CONTAINS(e.msg, "Alpha");
    /* capacities below the demand */
    for (size_t j = 0; j < I.m; j++)
        I.cap[j] = 1;
    pr = problem(&I, 0, 2);
    ASSERT_STATUS(sol_locate_solve(SOL_LOCATE_CPMEDIAN, &pr, &r, &e), SOL_EINVAL);
    ASSERT_CONTAINS(e.msg, "capacity below the demand");
    /* a negative distance */
    I.d[3] = -1;
    pr = problem(&I, 3, 2);
    ASSERT_STATUS(sol_locate_solve(SOL_LOCATE_MCLP, &pr, &r, &e), SOL_EINVAL);
    /* kept sites over the budget */
    I.d[3] = 1;
    I.keep[0] = 1;
    I.cost[0] = 10;
    pr = problem(&I, 3, 0);
    pr.budget = 5;
    ASSERT_STATUS(sol_locate_solve(SOL_LOCATE_BUDGET, &pr, &r, &e), SOL_EINVAL);
    ASSERT(r == NULL);
}

/* A p-median stopped long before the LP finishes: the best heuristic solution (greedy, then the
 * Lagrangian relaxation's), never below the Lagrangian bound, with the gap to it said. */
TEST(pmedian_time_limit_lagrangian_bound)
{
    size_t n = 2000, m = 200;
    double *w = malloc(n * sizeof *w), *d = malloc(n * m * sizeof *d);
    double *x = malloc((n + m) * 2 * sizeof *x);
    ASSERT(w && d && x);
    for (size_t k = 0; k < 2 * (n + m); k++)
        x[k] = 100 * urand();
    for (size_t i = 0; i < n; i++) {
        w[i] = 1 + floor(100 * urand());
        for (size_t j = 0; j < m; j++)
            d[i * m + j] = hypot(x[2 * i] - x[2 * (n + j)], x[2 * i + 1] - x[2 * (n + j) + 1]);
    }
    sol_locate_problem pr;
    memset(&pr, 0, sizeof pr);
    pr.n = n;
    pr.m = m;
    pr.w = w;
    pr.d = d;
    pr.p = 20;
    pr.time_limit_s = 0.05;
    sol_locate_result *r = NULL;
    ASSERT_STATUS(sol_locate_solve(SOL_LOCATE_PMEDIAN, &pr, &r, NULL), SOL_OK);
    ASSERT_EQ(r->n_open, 20);
    ASSERT(isfinite(r->lagrangian_bound));
    ASSERT(r->objective >= r->lagrangian_bound * (1 - 1e-12));
    ASSERT_REL(r->objective, r->wdist, 1e-9);
    if (r->status == SOL_LOCATE_HEURISTIC) {
        ASSERT(isfinite(r->gap));
        ASSERT_REL(r->gap, (r->objective - r->bound) / r->objective, 1e-9);
    }
    sol_locate_result_free(r);
    free(w);
    free(d);
    free(x);
}
