/* test_breaks.c - AMOC change in mean against strucchange::breakpoints (one break, least squares)
 * and changepoint::cpt.mean on Nile and the BES regional series (tests/data/time_strucchange). */
#include "harness.h"

#include <solidata/csv.h>
#include <solidata/timeseries.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REF "tests/data/time_strucchange/"

TEST(amoc_break_equals_strucchange_single_break)
{
    sol_ts_set *s = NULL;
    ASSERT_STATUS(sol_ts_read_csv(REF "series.csv", "id", "period", "value", &s, NULL), SOL_OK);
    sol_csv *c = NULL;
    ASSERT_STATUS(sol_csv_open(REF "expected.csv", NULL, &c, NULL), SOL_OK);
    size_t rows = 0, breaks = 0, shorter = 0;
    sol_cpt_opts o = {SOL_CPT_AMOC, SOL_CPT_MEAN, SOL_CPT_MBIC};
    while (sol_csv_next(c, NULL) == SOL_OK) {
        const char *id = sol_csv_field(c, (size_t)sol_csv_colindex(c, "id"), NULL);
        const char *sc = sol_csv_field(c, (size_t)sol_csv_colindex(c, "strucchange_break"), NULL);
        const char *cp = sol_csv_field(c, (size_t)sol_csv_colindex(c, "changepoint_amoc"), NULL);
        const sol_ts *ts = NULL;
        for (size_t i = 0; i < s->n; i++)
            if (strcmp(s->series[i].id, id) == 0)
                ts = &s->series[i];
        ASSERT(ts != NULL);
        sol_cpt_result r;
        ASSERT_STATUS(sol_ts_changepoints(ts, &o, &r, NULL), SOL_OK);
        if (cp[0]) {
            /* a change found: at the least-squares single break of strucchange */
            ASSERT_EQ(r.ncpt, 1);
            ASSERT_EQ(r.cpt[0].tau, (size_t)atoi(cp));
            if (atoi(sc) == atoi(cp)) {
                ASSERT_EQ(r.cpt[0].tau, (size_t)atoi(sc));
                breaks++;
            } else {
                /* not equivalent: changepoint's segments may hold 1 value, strucchange's h = 2 */
                size_t n = (size_t)atoi(sol_csv_field(c, (size_t)sol_csv_colindex(c, "n"), NULL));
                ASSERT(r.cpt[0].tau < 2 || n - r.cpt[0].tau < 2);
                shorter++;
            }
        } else {
            ASSERT_EQ(r.ncpt, 0);
        }
        sol_cpt_result_clear(&r);
        rows++;
    }
    sol_csv_close(c);
    sol_ts_set_free(s);
    ASSERT_EQ(rows, 31);
    ASSERT_EQ(breaks, 25);
    ASSERT_EQ(shorter, 1);
}
