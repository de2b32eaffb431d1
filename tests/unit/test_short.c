/* test_short.c - forecasts of short annual series by a random walk with drift (sol_ts_rwdrift)
 * against tests/data/forecast_short/forecasts.csv, made by reference.R in base R from the closed
 * forms of forecast::rwf(y, drift = TRUE) with Student's t quantiles: means, 80% and 95%
 * intervals, drift and sigma, for series of 4, 5 (with a gap) and 6 values; too-short series and
 * bad horizons refused. */
#include "harness.h"

#include <solidata/timeseries.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REF "tests/data/forecast_short/"
#define REL 1e-12

static sol_ts_set *set;

static const sol_ts *find(const char *id)
{
    if (set == NULL &&
        sol_ts_read_csv(REF "series.csv", "id", "period", "value", &set, NULL) != SOL_OK)
        return NULL;
    for (size_t i = 0; set && i < set->n; i++)
        if (strcmp(set->series[i].id, id) == 0)
            return &set->series[i];
    return NULL;
}

/* Every row of forecasts.csv: id,period,mean,lo80,hi80,lo95,hi95,se,drift,sigma,... */
TEST(rwdrift_matches_reference)
{
    FILE *f = fopen(REF "forecasts.csv", "r");
    ASSERT(f != NULL);
    char line[1024];
    int rows = 0;
    ASSERT(fgets(line, sizeof line, f) != NULL); /* header */
    while (fgets(line, sizeof line, f)) {
        char id[32];
        int period;
        double w[8];
        if (sscanf(line, "%31[^,],%d,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf", id, &period, &w[0], &w[1],
                   &w[2], &w[3], &w[4], &w[5], &w[6], &w[7]) != 10)
            continue;
        const sol_ts *ts = find(id);
        if (ts == NULL) {
            fclose(f);
            HARNESS_FAIL("no series %s", id);
        }
        sol_ets_result r;
        sol_error err;
        sol_status rc = sol_ts_rwdrift(ts, 3, &r, &err);
        if (rc != SOL_OK) {
            fclose(f);
            HARNESS_FAIL("%s: %s", id, err.msg);
        }
        int64_t k = period - (ts->start + (int64_t)ts->n);
        double got[] = {r.mean[k], r.lo80[k], r.hi80[k], r.lo95[k], r.hi95[k]};
        for (int i = 0; i < 5; i++)
            if (fabs(got[i] - w[i]) > REL * fabs(w[i]) + 1e-12) {
                sol_ets_result_clear(&r);
                fclose(f);
                HARNESS_FAIL("%s %d column %d: %.17g, R %.17g", id, period, i, got[i], w[i]);
            }
        if (fabs(r.init[1] - w[6]) > REL * fabs(w[6]) ||
            fabs(sqrt(r.sigma2) - w[7]) > 1e-12 * w[7]) {
            sol_ets_result_clear(&r);
            fclose(f);
            HARNESS_FAIL("%s: drift or sigma differ", id);
        }
        ASSERT_STR_EQ(r.name, SOL_TS_RWDRIFT_NAME);
        ASSERT(isnan(r.alpha) && isnan(r.aicc));
        ASSERT_EQ(r.interpolated, strcmp(id, "five_gap") == 0 ? 1u : 0u);
        sol_ets_result_clear(&r);
        rows++;
    }
    fclose(f);
    ASSERT_EQ(rows, 12);
}

TEST(rwdrift_too_short_and_horizon)
{
    double y[] = {10, 12, 11, 13};
    sol_ts ts = {.id = "a", .freq = 'A', .start = 2021, .n = 3, .y = y};
    sol_ets_result r;
    sol_error err;
    ASSERT_STATUS(sol_ts_rwdrift(&ts, 2, &r, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "too short to forecast: 3 values");
    ts.n = 4;
    ASSERT_STATUS(sol_ts_rwdrift(&ts, 0, &r, &err), SOL_EINVAL);
    ASSERT_STATUS(sol_ts_rwdrift(&ts, 1, &r, &err), SOL_OK);
    ASSERT(r.lo95[0] < r.lo80[0] && r.lo80[0] < r.mean[0] && r.mean[0] < r.hi80[0] &&
           r.hi80[0] < r.hi95[0]);
    sol_ets_result_clear(&r);
    /* 4 periods but one a gap: 3 values, too short */
    double g[] = {10, NAN, 11, 13};
    ts.y = g;
    ts.n_missing = 1;
    ASSERT_STATUS(sol_ts_rwdrift(&ts, 1, &r, &err), SOL_EINVAL);
}

/* Intervals widen with the horizon and are wider than rwf's normal ones (t quantiles). */
TEST(rwdrift_intervals_wider_than_normal)
{
    double y[] = {100, 104, 103, 109, 111};
    sol_ts ts = {.id = "b", .freq = 'A', .start = 2019, .n = 5, .y = y};
    sol_ets_result r;
    ASSERT_STATUS(sol_ts_rwdrift(&ts, 4, &r, NULL), SOL_OK);
    for (size_t k = 1; k < 4; k++)
        ASSERT(r.hi95[k] - r.lo95[k] > r.hi95[k - 1] - r.lo95[k - 1]);
    double se1 = sqrt(r.sigma2 * 1 * (1 + 1.0 / 4));
    ASSERT(r.hi95[0] - r.mean[0] > 1.959963984540054 * se1 * 1.5); /* t(3) 97.5% = 3.18 */
    sol_ets_result_clear(&r);
}
