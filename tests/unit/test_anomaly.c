/* test_anomaly.c - decompositions and robust z-scores against R's decompose and runmed, and
 * Benjamini-Hochberg adjustment against R's p.adjust (tests/data/time_anomaly). */
#include "csv_fields.h"
#include "harness.h"

#include <solidata/csv.h>
#include <solidata/timeseries.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REF "tests/data/time_anomaly/"

/* Compare one decomposition with R's, row by row; returns rows compared. */
static size_t check_case(const char *name, int mult)
{
    char in[256], ex[256];
    snprintf(in, sizeof in, REF "%s.csv", name);
    snprintf(ex, sizeof ex, REF "expected_%s.csv", name);
    sol_ts_set *s = NULL;
    if (sol_ts_read_csv(in, NULL, "period", "value", &s, NULL) != SOL_OK)
        return 0;
    sol_anomaly a;
    sol_anomaly_opts o = {mult, 0, 0, 0, 0};
    if (sol_ts_anomalies(&s->series[0], &o, &a, NULL) != SOL_OK) {
        sol_ts_set_free(s);
        return 0;
    }
    sol_csv *c = NULL;
    size_t i = 0, bad = 0;
    if (sol_csv_open(ex, NULL, &c, NULL) != SOL_OK)
        goto done;
    while (sol_csv_next(c, NULL) == SOL_OK && i < a.n) {
        const char *cols[] = {"trend", "seasonal", "remainder", "z"};
        const double *got[] = {a.trend, a.seasonal, a.remainder, a.z};
        for (int k = 0; k < 4; k++) {
            double w = num(c, cols[k]), g = got[k][i];
            if (isnan(w) != isnan(g) ||
                (!isnan(w) && fabs(g - w) > 1e-10 * (fabs(w) > 1 ? fabs(w) : 1))) {
                if (bad++ < 3)
                    fprintf(stderr, "  %s row %zu %s: got %.17g want %.17g\n", name, i + 1, cols[k],
                            g, w);
            }
        }
        i++;
    }
    sol_csv_close(c);
done:
    if (i != a.n || bad)
        i = 0;
    sol_anomaly_clear(&a);
    sol_ts_set_free(s);
    return i;
}

TEST(decompose_additive_monthly_co2)
{
    ASSERT_EQ(check_case("co2_additive", 0), 468);
}

TEST(decompose_quarterly_ukgas_additive_and_multiplicative)
{
    ASSERT_EQ(check_case("ukgas_additive", 0), 108);
    ASSERT_EQ(check_case("ukgas_multiplicative", 1), 108);
}

TEST(annual_sen_line_nile_and_short)
{
    ASSERT_EQ(check_case("nile_sen", 0), 100);
    ASSERT_EQ(check_case("short_sen", 0), 10);
}

TEST(anomaly_flag_on_a_spike_and_threshold)
{
    sol_ts ts = {.id = "s", .freq = 'A', .start = 2010, .n = 10};
    double y[10] = {10, 11, 10.5, 11.2, 10.8, 11.1, 10.9, 30, 11.3, 11.0};
    ts.y = y;
    sol_anomaly a;
    ASSERT_STATUS(sol_ts_anomalies(&ts, NULL, &a, NULL), SOL_OK);
    for (size_t i = 0; i < 10; i++)
        ASSERT_EQ(a.anomaly[i], i == 7);
    ASSERT(a.z[7] > 3.5);
    sol_anomaly_clear(&a);
    sol_anomaly_opts o = {0, 1e6, 0, 0, 0};
    ASSERT_STATUS(sol_ts_anomalies(&ts, &o, &a, NULL), SOL_OK);
    ASSERT_EQ(a.anomaly[7], 0);
    sol_anomaly_clear(&a);
}

TEST(anomaly_bad_series_refused)
{
    sol_error err;
    sol_anomaly a;
    double y[8] = {1, 2, NAN, 4, 5, 6, 7, 8};
    sol_ts ts = {.id = "g", .freq = 'Q', .start = 0, .n = 8, .y = y, .n_missing = 1};
    ASSERT_STATUS(sol_ts_anomalies(&ts, NULL, &a, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "1 gap");
    y[2] = 3;
    ts.n_missing = 0;
    ts.n = 7;
    ASSERT_STATUS(sol_ts_anomalies(&ts, NULL, &a, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "two full years");
    ts.freq = 'A';
    ts.n = 2;
    ASSERT_STATUS(sol_ts_anomalies(&ts, NULL, &a, &err), SOL_EINVAL);
    ts.n = 8;
    ts.freq = 'Q';
    y[0] = -1;
    sol_anomaly_opts o = {1, 0, 0, 0, 0};
    ASSERT_STATUS(sol_ts_anomalies(&ts, &o, &a, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "positive");
}

TEST(bh_matches_p_adjust)
{
    double p[64], q[64], want[64];
    size_t n = 0;
    sol_csv *c = NULL;
    ASSERT_STATUS(sol_csv_open(REF "expected_bh.csv", NULL, &c, NULL), SOL_OK);
    while (n < 64 && sol_csv_next(c, NULL) == SOL_OK) {
        p[n] = num(c, "p");
        want[n] = num(c, "q");
        n++;
    }
    sol_csv_close(c);
    ASSERT_EQ(n, 63);
    ASSERT_STATUS(sol_p_adjust_bh(p, n, q), SOL_OK);
    for (size_t i = 0; i < n; i++)
        ASSERT_REL(q[i], want[i], 1e-12);
    /* NaN p-values are left out of the count */
    double p2[3] = {0.01, NAN, 0.04}, q2[3];
    ASSERT_STATUS(sol_p_adjust_bh(p2, 3, q2), SOL_OK);
    ASSERT(isnan(q2[1]));
    ASSERT_REL(q2[0], 0.02, 1e-15);
    ASSERT_REL(q2[2], 0.04, 1e-15);
}

/* STL against stats::stl: returns rows within 1e-8 relative (of max(|want|, 1)). */
static size_t check_stl(const char *name, int s_window, int robust)
{
    char in[256], ex[256];
    snprintf(in, sizeof in, "tests/data/time_stl/%s.csv", name);
    snprintf(ex, sizeof ex, "tests/data/time_stl/expected_%s.csv", name);
    sol_ts_set *s = NULL;
    if (sol_ts_read_csv(in, NULL, "period", "value", &s, NULL) != SOL_OK)
        return 0;
    size_t n = s->series[0].n, i = 0, bad = 0;
    double *se = malloc(n * sizeof *se), *tr = malloc(n * sizeof *tr), *re = malloc(n * sizeof *re);
    sol_stl_opts o = {s_window, robust};
    sol_csv *c = NULL;
    if (!se || !tr || !re || sol_ts_stl(&s->series[0], &o, se, tr, re, NULL) != SOL_OK ||
        sol_csv_open(ex, NULL, &c, NULL) != SOL_OK)
        goto done;
    while (sol_csv_next(c, NULL) == SOL_OK && i < n) {
        const char *cols[] = {"seasonal", "trend", "remainder"};
        const double *got[] = {se, tr, re};
        for (int k = 0; k < 3; k++) {
            double w = num(c, cols[k]), g = got[k][i];
            if (!(fabs(g - w) <= 1e-8 * (fabs(w) > 1 ? fabs(w) : 1)) && bad++ < 3)
                fprintf(stderr, "  %s row %zu %s: got %.17g want %.17g\n", name, i + 1, cols[k], g,
                        w);
        }
        i++;
    }
    sol_csv_close(c);
done:
    if (bad || i != n)
        i = 0;
    free(se), free(tr), free(re);
    sol_ts_set_free(s);
    return i;
}

TEST(stl_matches_r_periodic_and_numeric_windows)
{
    ASSERT_EQ(check_stl("co2_periodic", 0, 0), 468);
    ASSERT_EQ(check_stl("co2_sw7_robust", 7, 1), 468);
    ASSERT_EQ(check_stl("co2_periodic_robust", 0, 1), 468);
    ASSERT_EQ(check_stl("nottem_sw13", 13, 0), 240);
    ASSERT_EQ(check_stl("nottem_odd_sw7_robust", 7, 1), 239);
    ASSERT_EQ(check_stl("ukgas_log_periodic", 0, 0), 108);
    ASSERT_EQ(check_stl("ukgas_log_sw7", 7, 0), 108);
    ASSERT_EQ(check_stl("air_from_april_sw9", 9, 0), 129);
}
