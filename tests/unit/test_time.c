/* test_time.c - time series: reading (gaps, duplicates, mixed frequencies), trend tests and
 * change points against R (trend, modifiedmk, changepoint; tests/data/time_trend). */
#include "csv_fields.h"
#include "harness.h"

#include <solidata/csv.h>
#include <solidata/run_time.h>
#include <solidata/timeseries.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REF "tests/data/time_trend/"

static const sol_ts *find(const sol_ts_set *s, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->series[i].id, id) == 0)
            return &s->series[i];
    return NULL;
}

/* Write text to a file in the test's temporary folder; returns its path (static buffer). */
static const char *tmpfile_with(const char *name, const char *text)
{
    static char path[4096];
    const char *dir = getenv("SOL_TEST_TMP");
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "/tmp", name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

TEST(read_annual_series_sorted_by_id)
{
    sol_ts_set *s = NULL;
    sol_error err;
    ASSERT_STATUS(sol_ts_read_csv(REF "annual.csv", "id", "period", "value", &s, &err), SOL_OK);
    ASSERT_EQ(s->n, 6);
    ASSERT_EQ(s->freq, 'A');
    ASSERT_STR_EQ(s->series[0].id, "bes_01_04BEC006P");
    const sol_ts *nile = find(s, "nile");
    ASSERT(nile != NULL);
    ASSERT_EQ(nile->n, 100);
    ASSERT_EQ(nile->start, 1871);
    ASSERT_EQ(nile->n_missing, 0);
    ASSERT_REL(nile->y[0], 1120, 0);
    sol_ts_set_free(s);
}

TEST(read_gaps_kept_as_nan)
{
    const char *p = tmpfile_with("gaps.csv", "period,value\n2023-01,1\n2023-04,2\n2023-02,\n"
                                             "2023-06,5\n");
    sol_ts_set *s = NULL;
    ASSERT_STATUS(sol_ts_read_csv(p, NULL, "period", "value", &s, NULL), SOL_OK);
    ASSERT_EQ(s->n, 1);
    ASSERT_EQ(s->freq, 'M');
    ASSERT_EQ(s->series[0].n, 6);
    ASSERT_EQ(s->series[0].n_missing, 3);
    ASSERT(isnan(s->series[0].y[1]) && isnan(s->series[0].y[2]) && isnan(s->series[0].y[4]));
    ASSERT_REL(s->series[0].y[5], 5, 0);
    char lab[16];
    sol_ts_period_label('M', s->series[0].start + 5, lab);
    ASSERT_STR_EQ(lab, "2023-06");
    sol_ts_set_free(s);
}

TEST(read_duplicate_period_refused_with_line)
{
    const char *p = tmpfile_with("dup.csv", "id,period,value\na,2020,1\nb,2020,1\na,2021,2\n"
                                            "a,2020,3\n");
    sol_ts_set *s = NULL;
    sol_error err;
    ASSERT_STATUS(sol_ts_read_csv(p, "id", "period", "value", &s, &err), SOL_EDUPLICATE);
    ASSERT(s == NULL);
    ASSERT_CONTAINS(err.where, "dup.csv:5:");
    ASSERT_CONTAINS(err.msg, "period 2020 of series 'a' appears twice (first at line 2)");
}

TEST(read_mixed_frequencies_refused)
{
    const char *p = tmpfile_with("mix.csv", "period,value\n2020-Q1,1\n2020-Q2,1\n2020-07,2\n");
    sol_ts_set *s = NULL;
    sol_error err;
    ASSERT_STATUS(sol_ts_read_csv(p, NULL, "period", "value", &s, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.where, "mix.csv:4:1");
    ASSERT_CONTAINS(err.msg, "2020-07 is monthly but line 2 has 2020-Q1 (quarterly)");
}

TEST(read_bad_period_and_value)
{
    sol_ts_set *s = NULL;
    sol_error err;
    const char *p = tmpfile_with("bp.csv", "period,value\n2020,1\nlast year,2\n");
    ASSERT_STATUS(sol_ts_read_csv(p, NULL, "period", "value", &s, &err), SOL_EPARSE);
    ASSERT_CONTAINS(err.where, "bp.csv:3:1");
    p = tmpfile_with("bv.csv", "period,value\n2020,1\n2021,lots\n");
    ASSERT_STATUS(sol_ts_read_csv(p, NULL, "period", "value", &s, &err), SOL_ETYPE);
    ASSERT_CONTAINS(err.where, "bv.csv:3:6");
    ASSERT_STATUS(sol_ts_read_csv(p, NULL, "year", "value", &s, &err), SOL_EPARSE);
    ASSERT_CONTAINS(err.msg, "no column named 'year'");
}

TEST(trend_matches_r_trend_and_modifiedmk)
{
    sol_ts_set *s = NULL;
    sol_csv *c = NULL;
    ASSERT_STATUS(sol_ts_read_csv(REF "annual.csv", "id", "period", "value", &s, NULL), SOL_OK);
    ASSERT_STATUS(sol_csv_open(REF "expected_trend.csv", NULL, &c, NULL), SOL_OK);
    int rows = 0;
    while (sol_csv_next(c, NULL) == SOL_OK) {
        const sol_ts *ts = find(s, str(c, "id"));
        ASSERT(ts != NULL);
        sol_trend r;
        sol_trend_opts o = {0, 0, 0.95};
        ASSERT_STATUS(sol_ts_trend(ts, &o, &r, NULL), SOL_OK);
        ASSERT_EQ(r.n, (long long)num(c, "n"));
        ASSERT_REL(r.s, num(c, "s"), 0);
        ASSERT_REL(r.var_s, num(c, "var_s"), 1e-14);
        ASSERT_REL(r.z, num(c, "z"), 1e-13);
        ASSERT_REL(r.p, num(c, "p"), 1e-10);
        ASSERT_REL(r.tau, num(c, "tau"), 1e-13);
        ASSERT_REL(r.sen, num(c, "sen_slope"), 1e-13);
        ASSERT_REL(r.sen_lo, num(c, "sen_lo"), 1e-13);
        ASSERT_REL(r.sen_hi, num(c, "sen_hi"), 1e-13);
        o.hamed_rao = 1;
        ASSERT_STATUS(sol_ts_trend(ts, &o, &r, NULL), SOL_OK);
        ASSERT_REL(r.ess_ratio, num(c, "hr_ratio"), 1e-12);
        ASSERT_REL(r.var_s, num(c, "hr_var_s"), 1e-12);
        ASSERT_REL(r.z, num(c, "hr_z"), 1e-12);
        ASSERT_REL(r.p, num(c, "hr_p"), 1e-9);
        rows++;
    }
    ASSERT_EQ(rows, 6);
    sol_csv_close(c);
    sol_ts_set_free(s);
}

TEST(seasonal_kendall_matches_r_smk_test)
{
    const char *files[] = {REF "monthly.csv", REF "quarterly.csv"};
    const char *ids[] = {"ldeaths", "ukgas"};
    for (int k = 0; k < 2; k++) {
        sol_ts_set *s = NULL;
        sol_csv *c = NULL;
        ASSERT_STATUS(sol_ts_read_csv(files[k], "id", "period", "value", &s, NULL), SOL_OK);
        ASSERT_STATUS(sol_csv_open(REF "expected_seasonal.csv", NULL, &c, NULL), SOL_OK);
        while (sol_csv_next(c, NULL) == SOL_OK && strcmp(str(c, "id"), ids[k]) != 0)
            ;
        ASSERT_STR_EQ(str(c, "id"), ids[k]);
        sol_trend r;
        sol_trend_opts o = {1, 0, 0.95};
        ASSERT_STATUS(sol_ts_trend(&s->series[0], &o, &r, NULL), SOL_OK);
        ASSERT_REL(r.s, num(c, "s"), 0);
        ASSERT_REL(r.var_s, num(c, "var_s"), 1e-14);
        ASSERT_REL(r.z, num(c, "z"), 1e-13);
        ASSERT_REL(r.p, num(c, "p"), 1e-10);
        ASSERT_REL(r.sen, num(c, "sen_slope"), 1e-13);
        sol_csv_close(c);
        sol_ts_set_free(s);
    }
}

TEST(trend_refuses_short_series_and_annual_seasonal)
{
    double y[] = {1, 2};
    sol_ts ts = {(char *)"x", 'A', 2020, 2, y, 0};
    sol_trend r;
    sol_error err;
    ASSERT_STATUS(sol_ts_trend(&ts, NULL, &r, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "has 2 values; the trend test needs 3");
    sol_trend_opts o = {1, 0, 0};
    ASSERT_STATUS(sol_ts_trend(&ts, &o, &r, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "quarterly or monthly");
}

TEST(trend_with_gap_uses_true_distances)
{
    /* y = 2t on t = 0,1,3,4 (t = 2 missing): every pairwise slope is 2 */
    double y[] = {0, 2, NAN, 6, 8};
    sol_ts ts = {(char *)"g", 'A', 2000, 5, y, 1};
    sol_trend r;
    ASSERT_STATUS(sol_ts_trend(&ts, NULL, &r, NULL), SOL_OK);
    ASSERT_EQ(r.n, 4);
    ASSERT_REL(r.s, 6, 0);
    ASSERT_REL(r.sen, 2, 1e-15);
    sol_trend_opts o = {0, 1, 0};
    ASSERT_STATUS(sol_ts_trend(&ts, &o, &r, NULL), SOL_EINVAL);
}

static sol_cpt_type parse_type(const char *t)
{
    return strcmp(t, "var") == 0       ? SOL_CPT_VAR
           : strcmp(t, "meanvar") == 0 ? SOL_CPT_MEANVAR
                                       : SOL_CPT_MEAN;
}

TEST(changepoints_match_r_trend_and_changepoint)
{
    sol_ts_set *s = NULL;
    sol_csv *c = NULL;
    ASSERT_STATUS(sol_ts_read_csv(REF "annual.csv", "id", "period", "value", &s, NULL), SOL_OK);
    ASSERT_STATUS(sol_csv_open(REF "expected_changepoints.csv", NULL, &c, NULL), SOL_OK);
    int rows = 0;
    while (sol_csv_next(c, NULL) == SOL_OK) {
        const sol_ts *ts = find(s, str(c, "id"));
        ASSERT(ts != NULL);
        const char *m = str(c, "method");
        sol_cpt_opts o = {strcmp(m, "pettitt") == 0 ? SOL_CPT_PETTITT
                          : strcmp(m, "amoc") == 0  ? SOL_CPT_AMOC
                                                    : SOL_CPT_PELT,
                          parse_type(str(c, "type")),
                          strcmp(str(c, "penalty"), "bic") == 0 ? SOL_CPT_BIC : SOL_CPT_MBIC};
        sol_cpt_result r;
        ASSERT_STATUS(sol_ts_changepoints(ts, &o, &r, NULL), SOL_OK);
        char got[4096] = "";
        size_t at = 0;
        for (size_t k = 0; k < r.ncpt && at < sizeof got - 32; k++)
            at += (size_t)snprintf(got + at, sizeof got - at, "%s%zu", k ? " " : "", r.cpt[k].tau);
        if (strcmp(got, str(c, "cpts")) != 0) {
            fprintf(stderr, "  %s %s %s %s: got '%s'\n", str(c, "id"), m, str(c, "type"),
                    str(c, "penalty"), got);
        }
        ASSERT_STR_EQ(got, str(c, "cpts"));
        if (o.method == SOL_CPT_PETTITT) {
            ASSERT_REL(r.cpt[0].statistic, num(c, "statistic"), 1e-15);
            ASSERT_REL(r.cpt[0].p, num(c, "p"), 1e-12);
        }
        sol_cpt_result_clear(&r);
        rows++;
    }
    ASSERT(rows > 50);
    sol_csv_close(c);
    sol_ts_set_free(s);
}

/* Observations held in memory, in any order, make the same series as the file does. */
TEST(builder_from_memory_matches_csv)
{
    sol_ts_set *f = NULL, *m = NULL;
    const char *p = tmpfile_with("b.csv", "id,period,value\nb,2021,3\na,2020,1\na,2022,NA\n"
                                          "a,2023,4\nb,2020,2\n");
    ASSERT_STATUS(sol_ts_read_csv(p, "id", "period", "value", &f, NULL), SOL_OK);
    sol_ts_builder *b = NULL;
    ASSERT_STATUS(sol_ts_builder_new(&b, NULL), SOL_OK);
    ASSERT_STATUS(sol_ts_builder_add(b, "a", "2023", 4, "mem", NULL), SOL_OK);
    ASSERT_STATUS(sol_ts_builder_add(b, "b", "2020", 2, "mem", NULL), SOL_OK);
    ASSERT_STATUS(sol_ts_builder_add(b, "a", "2020", 1, "mem", NULL), SOL_OK);
    ASSERT_STATUS(sol_ts_builder_add(b, "b", "2021", 3, "mem", NULL), SOL_OK);
    ASSERT_STATUS(sol_ts_builder_finish(b, "mem", &m, NULL), SOL_OK);
    ASSERT_EQ(m->n, f->n);
    for (size_t i = 0; i < m->n; i++) {
        ASSERT_STR_EQ(m->series[i].id, f->series[i].id);
        ASSERT_EQ(m->series[i].start, f->series[i].start);
        ASSERT_EQ(m->series[i].n, f->series[i].n);
        ASSERT_EQ(m->series[i].n_missing, f->series[i].n_missing);
        for (size_t k = 0; k < m->series[i].n; k++)
            ASSERT(m->series[i].y[k] == f->series[i].y[k] ||
                   (isnan(m->series[i].y[k]) && isnan(f->series[i].y[k])));
    }
    sol_ts_builder_free(b);
    sol_ts_set_free(m);
    sol_ts_set_free(f);
    sol_error err;
    ASSERT_STATUS(sol_ts_builder_new(&b, NULL), SOL_OK);
    ASSERT_STATUS(sol_ts_builder_add(b, "a", "2020-Q1", 1, "mem", &err), SOL_OK);
    ASSERT_STATUS(sol_ts_builder_add(b, "a", "2020-05", 1, "mem", &err), SOL_EINVAL);
    ASSERT_STATUS(sol_ts_builder_add(b, "a", "soon", 1, "mem", &err), SOL_EPARSE);
    ASSERT_STATUS(sol_ts_builder_add(b, "a", "2020-Q1", 2, "mem", &err), SOL_OK);
    ASSERT_STATUS(sol_ts_builder_finish(b, "mem", &m, &err), SOL_EDUPLICATE);
    sol_ts_builder_free(b);
    ASSERT_STATUS(sol_ts_builder_new(&b, NULL), SOL_OK);
    ASSERT_STATUS(sol_ts_builder_finish(b, "mem", &m, &err), SOL_ENOTFOUND);
    sol_ts_builder_free(b);
    sol_ts_builder_free(NULL);
}

/* The run layer in file mode gives each series what the method gives it; a series the method
 * refuses is an error naming it. */
TEST(run_series_file_mode)
{
    sol_series_job j;
    sol_run_series_job_init(&j, SOL_SERIES_TREND);
    j.data = REF "annual.csv";
    j.id_field = "id";
    j.period_field = "period";
    j.value_field = "value";
    sol_series_output *o = NULL;
    ASSERT_STATUS(sol_run_series(NULL, &j, &o, NULL), SOL_OK);
    ASSERT_EQ(o->set->n, 6);
    ASSERT_EQ(o->run_id, 0);
    for (size_t i = 0; i < o->set->n; i++) {
        sol_trend r;
        ASSERT_STATUS(sol_ts_trend(&o->set->series[i], NULL, &r, NULL), SOL_OK);
        ASSERT_EQ(o->status[i], SOL_OK);
        ASSERT(r.s == o->trend[i].s && r.p == o->trend[i].p && r.sen == o->trend[i].sen);
    }
    sol_series_output_free(o);
    sol_series_output_free(NULL);
    const char *p = tmpfile_with("short.csv", "period,value\n2020,1\n2021,2\n");
    j.data = p;
    j.id_field = NULL;
    sol_error err;
    o = NULL;
    ASSERT_STATUS(sol_run_series(NULL, &j, &o, &err), SOL_EINVAL);
    ASSERT(o == NULL);
    ASSERT(strstr(err.msg, "needs 3") != NULL);
    sol_run_series_job_init(&j, SOL_SERIES_FORECAST);
    j.data = REF "annual.csv";
    j.period_field = "period";
    j.value_field = "value";
    j.id_field = "id";
    j.horizon = 0;
    ASSERT_STATUS(sol_run_series(NULL, &j, &o, &err), SOL_EINVAL);
}
