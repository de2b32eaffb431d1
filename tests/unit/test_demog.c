/* test_demog.c - cohort-component projection against demogR's Leslie matrix projection
 * (Venezuela 1965, tests/data/demog_goodman) and a hand-checked case with migration. */
#include "csv_fields.h"
#include "harness.h"

#include <solidata/csv.h>
#include <solidata/demography.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REF "tests/data/demog_goodman/"

TEST(closed_female_projection_matches_demogr)
{
    double pop[32], L[32], fert[32], l0 = NAN;
    size_t A = 0;
    sol_csv *c = NULL;
    ASSERT_STATUS(sol_csv_open(REF "input.csv", NULL, &c, NULL), SOL_OK);
    while (A < 32 && sol_csv_next(c, NULL) == SOL_OK) {
        pop[A] = num(c, "population");
        L[A] = num(c, "Lx");
        fert[A] = num(c, "fertility");
        if (A == 0)
            l0 = num(c, "lx");
        A++;
    }
    sol_csv_close(c);
    ASSERT_EQ(A, 18);
    sol_cc_input in = {.width = 5,
                       .nages = A,
                       .pop = {pop, pop},
                       .fert = fert,
                       .L = {L, L},
                       .l0 = {l0, l0},
                       .srb = 1.05};
    double f[7 * 18], m[7 * 18], b[6];
    ASSERT_STATUS(sol_cc_project(&in, 6, f, m, b, NULL), SOL_OK);
    ASSERT_STATUS(sol_csv_open(REF "expected.csv", NULL, &c, NULL), SOL_OK);
    size_t n = 0;
    while (sol_csv_next(c, NULL) == SOL_OK) {
        size_t step = (size_t)num(c, "step"), x = (size_t)num(c, "age") / 5;
        ASSERT_REL(f[step * A + x], num(c, "population"), 1e-10);
        n++;
    }
    sol_csv_close(c);
    ASSERT_EQ(n, 7 * 11);
    /* males: the same life table here, so 1.05 times the female births survive */
    ASSERT_REL(m[A], 1.05 * f[A], 1e-12);
}

/* Hand-checked: 3 one-year groups 0, 1, 2+; l0 = 1, L = 0.9, 0.8, 1.6 (T of 2+).
 * Females: P = 100, 100, 100; fertility 0.5 at age 1; 10 net female migrants a year at age 0.
 * Step 1: Q1 = (100 + 5) * 0.8/0.9 + 5 = 98.3333..; Q2 = (100 + 100) * 1.6/(0.8 + 1.6) = 133.33..
 * births = 1 * 0.5 * (100 + 98.333..)/2 = 49.5833..; girls = births/2.05, Q0 = girls * 0.9. */
TEST(hand_checked_step_with_migration)
{
    double pf[3] = {100, 100, 100}, pm[3] = {0, 0, 0}, fert[3] = {0, 0.5, 0};
    double L[3] = {0.9, 0.8, 1.6}, mf[3] = {10, 0, 0};
    sol_cc_input in = {.width = 1,
                       .nages = 3,
                       .pop = {pf, pm},
                       .fert = fert,
                       .L = {L, L},
                       .l0 = {1, 1},
                       .mig = {mf, NULL},
                       .srb = 1.05};
    double f[6], m[6], b[1];
    ASSERT_STATUS(sol_cc_project(&in, 1, f, m, b, NULL), SOL_OK);
    double q1 = 105 * 0.8 / 0.9 + 5, births = 0.5 * (100 + q1) / 2;
    ASSERT_REL(f[4], q1, 1e-14);
    ASSERT_REL(f[5], 200 * 1.6 / 2.4, 1e-14);
    ASSERT_REL(b[0], births, 1e-14);
    ASSERT_REL(f[3], births / 2.05 * 0.9, 1e-14);
    ASSERT_REL(m[3], births * 1.05 / 2.05 * 0.9, 1e-14);
    ASSERT_REL(m[4], 0, 0);
}

TEST(bad_life_tables_and_rates_refused)
{
    double p[3] = {1, 1, 1}, fert[3] = {0, 0.5, 0}, L[3] = {0.9, 0.95, 1.6}, mig[3] = {0};
    sol_cc_input in = {.width = 1,
                       .nages = 3,
                       .pop = {p, p},
                       .fert = fert,
                       .L = {L, L},
                       .l0 = {1, 1},
                       .mig = {mig, mig}};
    double f[6], m[6];
    sol_error err;
    ASSERT_STATUS(sol_cc_project(&in, 1, f, m, NULL, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "survival above 1");
    L[1] = 0.8;
    L[0] = 1.2;
    ASSERT_STATUS(sol_cc_project(&in, 1, f, m, NULL, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "survival from birth above 1");
    L[0] = 0.9;
    fert[1] = -1;
    ASSERT_STATUS(sol_cc_project(&in, 1, f, m, NULL, &err), SOL_EINVAL);
    fert[1] = 0.5;
    in.width = 3;
    ASSERT_STATUS(sol_cc_project(&in, 1, f, m, NULL, &err), SOL_EINVAL);
}
