/* test_oom.c - allocation failures (SOL_FAIL_ALLOC=N, see src/core/alloc.c) at every point of a
 * scenario: the Nth allocation fails, for N = 1, 2, ... until the scenario completes without
 * reaching its Nth allocation. At each N the scenario must either succeed or report SOL_ENOMEM
 * with a message, never crash, and (an import) leave the store as it was. Under the sanitizer
 * build (`make check-oom`, and the san step of `make check`) LeakSanitizer also proves that no
 * failure path leaks. Run from the source tree (tests/unit/run.sh does). */
#include "harness.h"
#include "test_util.h"

#include <solidata/csv.h>
#include <solidata/evaluate.h>
#include <solidata/geo.h>
#include <solidata/import.h>
#include <solidata/run_evaluate.h>
#include <solidata/run_time.h>
#include <solidata/stats.h>
#include <solidata/store.h>
#include <solidata/timeseries.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void sol__alloc_reset(void); /* library-internal, reachable from the static library */

/* Upper bound on N: a scenario that still allocates after this many is too big for this test. */
#define OOM_MAX_N 20000

static void fail_at(long n)
{
    if (n > 0) {
        char v[24];
        snprintf(v, sizeof v, "%ld", n);
        setenv("SOL_FAIL_ALLOC", v, 1);
    } else {
        unsetenv("SOL_FAIL_ALLOC");
    }
    sol__alloc_reset();
}

/* One scenario run with the Nth allocation failing: its status and error. */
typedef sol_status (*scenario_fn)(void *ud, sol_error *err);

/* Run `fn` with N = 1, 2, ...: every result is SOL_OK or SOL_ENOMEM with a message; returns the
 * number of failing runs seen before the first N that let it complete, or -1 on a violation
 * (reported). A scenario completes when it returns SOL_OK with N beyond its allocation count,
 * which we detect as two consecutive successes (an OK at N whose Nth allocation failed and was
 * handled by a fallback is allowed too). */
static long sweep(const char *what, scenario_fn fn, void *ud)
{
    long failures = 0;
    int ok_in_a_row = 0;
    for (long n = 1; n <= OOM_MAX_N; n++) {
        sol_error e = {0};
        fail_at(n);
        sol_status rc = fn(ud, &e);
        fail_at(0);
        if (rc == SOL_OK) {
            if (++ok_in_a_row == 2)
                return failures;
            continue;
        }
        ok_in_a_row = 0;
        if (rc != SOL_ENOMEM) {
            fprintf(stderr, "  %s: allocation %ld failed and gave %s (%s), not SOL_ENOMEM\n", what,
                    n, sol_errname(rc), e.msg);
            return -1;
        }
        if (e.msg[0] == '\0') {
            fprintf(stderr, "  %s: allocation %ld failed without a message\n", what, n);
            return -1;
        }
        failures++;
    }
    fprintf(stderr, "  %s: still allocating after %d allocations\n", what, OOM_MAX_N);
    return -1;
}

/* ---- scenarios ------------------------------------------------------------------------------- */

static const char csv_text[] = "\xEF\xBB\xBF"
                               "code;name;value;note\r\n"
                               "001;\"Roma, capitale\";1,5;\"a \"\"quoted\"\" note\"\r\n"
                               "002;Latina;2,25;\r\n"
                               "003;\"multi\nline\";NA;x\r\n"
                               "004;Rieti;-3e2;\"\"\r\n";

static sol_status read_csv(void *ud, sol_error *err)
{
    (void)ud;
    sol_csv *c = NULL;
    sol_status rc = sol_csv_open_mem(csv_text, sizeof csv_text - 1, "oom.csv", NULL, &c, err);
    if (rc != SOL_OK)
        return rc;
    size_t rows = 0;
    while ((rc = sol_csv_next(c, err)) == SOL_OK)
        rows++;
    sol_csv_close(c);
    if (rc == SOL_EOF && rows != 4) {
        snprintf(err->msg, sizeof err->msg, "read %zu rows, want 4", rows);
        return SOL_EINVAL;
    }
    return rc == SOL_EOF ? SOL_OK : rc;
}

static const char geojson_text[] = "{\"type\":\"MultiPolygon\",\"coordinates\":["
                                   "[[[12.0,41.0],[12.5,41.0],[12.5,41.5],[12.0,41.5],[12.0,41.0]],"
                                   "[[12.1,41.1],[12.2,41.1],[12.2,41.2],[12.1,41.2],[12.1,41.1]]],"
                                   "[[[13.0,42.0],[13.4,42.0],[13.2,42.3],[13.0,42.0]]]]}";

static sol_status parse_geojson(void *ud, sol_error *err)
{
    (void)ud;
    sol_feature f;
    memset(&f, 0, sizeof f);
    sol_status rc = sol_geo_parse_geojson(geojson_text, &f, err);
    if (rc == SOL_OK) {
        sol_feature_summarise(&f);
        rc = sol_feature_validate(&f, err);
    }
    sol_feature_clear(&f);
    return rc;
}

static const char ts_text[] = "area,period,value\n"
                              "A,2019-01,1.5\nA,2019-02,2\nA,2019-04,2.5\n"
                              "B,2019-01,3\nB,2019-02,\nB,2019-03,4\n";

static sol_status read_series(void *ud, sol_error *err)
{
    (void)ud;
    sol_ts_set *s = NULL;
    sol_status rc = sol_ts_read_csv_mem(ts_text, sizeof ts_text - 1, "oom.csv", "area", "period",
                                        "value", &s, err);
    if (rc == SOL_OK && (s->n != 2 || s->series[0].n_missing != 1)) {
        snprintf(err->msg, sizeof err->msg, "wrong series read");
        rc = SOL_EINVAL;
    }
    sol_ts_set_free(s);
    return rc;
}

/* The series built from observations in memory, as the run layer feeds the store's. */
static sol_status build_series(void *ud, sol_error *err)
{
    (void)ud;
    static const char *const obs[][2] = {
        {"B", "2019-Q1"}, {"A", "2019-Q3"}, {"A", "2019-Q1"}, {"B", "2020-Q1"}, {"C", "2019-Q2"}};
    sol_ts_builder *b = NULL;
    sol_ts_set *s = NULL;
    sol_status rc = sol_ts_builder_new(&b, err);
    for (size_t i = 0; rc == SOL_OK && i < sizeof obs / sizeof *obs; i++)
        rc = sol_ts_builder_add(b, obs[i][0], obs[i][1], (double)i, "memory", err);
    if (rc == SOL_OK)
        rc = sol_ts_builder_finish(b, "memory", &s, err);
    if (rc == SOL_OK && (s->n != 3 || s->series[0].n != 3 || s->series[0].n_missing != 1)) {
        snprintf(err->msg, sizeof err->msg, "wrong series built");
        rc = SOL_EINVAL;
    }
    sol_ts_set_free(s);
    sol_ts_builder_free(b);
    return rc;
}

/* One per-series analysis through the run layer (file mode: read, compute, notes). */
static sol_status run_series(void *ud, sol_error *err)
{
    sol_series_job j;
    sol_series_analysis an = *(const sol_series_analysis *)ud;
    sol_run_series_job_init(&j, an);
    j.data = test_tmp_path("oom-series.csv");
    j.id_field = "area";
    j.period_field = "year";
    j.value_field = "value";
    sol_series_output *o = NULL;
    sol_status rc = sol_run_series(NULL, &j, &o, err);
    if (rc == SOL_OK && (o->set->n != 2 || o->n_notes != (an == SOL_SERIES_ANOMALIES ? 0u : 1u))) {
        snprintf(err->msg, sizeof err->msg, "wrong output");
        rc = SOL_EINVAL;
    }
    sol_series_output_free(o);
    return rc;
}

/* Two-way fixed effects with an event study and clustered SEs, through the run layer: a failed
 * allocation while the time labels were indexed once left no periods and no error, and GSL then
 * aborted in the least-squares solve. */
static sol_status run_did(void *ud, sol_error *err)
{
    (void)ud;
    sol_evaluate_job j;
    sol_run_evaluate_job_init(&j, SOL_EVALUATE_DID);
    j.data = "tests/data/did_jtrain/jtrain_g89.csv";
    j.outcome = "lscrap";
    j.treated = "tr";
    j.post = "post";
    j.unit_field = "fcode";
    j.time_field = "year";
    j.se = SOL_SE_CLUSTER;
    sol_evaluate_output *o = NULL;
    sol_status rc = sol_run_evaluate(NULL, &j, &o, err);
    sol_evaluate_output_free(o);
    return rc;
}

/* Everything a store holds, as one text: the store is "unchanged" when this is. */
static char *store_dump(const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    static const char *const q[] = {
        "SELECT indicator_id, area_id, period_id, value, se, flags, source_id FROM observation "
        "ORDER BY 1, 2, 3",
        "SELECT id, code FROM indicator ORDER BY id",
        "SELECT id, label FROM period ORDER BY id",
        "SELECT * FROM source ORDER BY 1",
    };
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    for (size_t k = 0; k < sizeof q / sizeof *q; k++) {
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(db, q[k], -1, &s, NULL) != SQLITE_OK)
            continue;
        while (sqlite3_step(s) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(s); i++) {
                const unsigned char *t = sqlite3_column_text(s, i);
                size_t n = strlen(t ? (const char *)t : "") + 2;
                if (len + n + 1 > cap) {
                    cap = 2 * (len + n + 1);
                    out = realloc(out, cap);
                }
                len += (size_t)snprintf(out + len, cap - len, "%s|", t ? (const char *)t : "");
            }
            out[len++] = '\n';
            out[len] = '\0';
        }
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return out;
}

/* Copy a closed store file (its WAL was checkpointed on close); 0 on success. */
static int copy_file(const char *from, const char *to)
{
    char side[600];
    snprintf(side, sizeof side, "%s-wal", to);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", to);
    unlink(side);
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    int rc = in && out ? 0 : -1;
    char buf[1 << 14];
    size_t n;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        rc = fwrite(buf, 1, n, out) == n ? 0 : -1;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        rc = -1;
    return rc;
}

typedef struct import_case {
    const char *pristine; /* the store with the areas imported */
    const char *db;       /* the copy each run imports into */
    const char *before;   /* the store's content before any import */
    const char *layer;    /* the areas file */
    int violations;
} import_case;

static sol_status import_data(void *ud, sol_error *err)
{
    import_case *ic = ud;
    if (copy_file(ic->pristine, ic->db) != 0) {
        snprintf(err->msg, sizeof err->msg, "cannot copy %s", ic->pristine);
        return SOL_EIO;
    }
    sol_store *st = NULL;
    sol_status rc = sol_store_open(ic->db, &st, err);
    if (rc != SOL_OK)
        return rc;
    sol_import_opts o = {.area_field = "reg_code",
                         .period = "2021",
                         .licence = "CC BY 3.0",
                         .indicators = "low_pension_pct,labour_nonpart_pct"};
    sol_import_report rep;
    rc = sol_import_data(st, "tests/data/spatial_regions/bes_2021.csv", &o, &rep, err);
    sol_store_close(st);
    if (rc != SOL_OK) {
        char *now = store_dump(ic->db);
        if (now == NULL || strcmp(now, ic->before) != 0) {
            fprintf(stderr, "  import: the store changed after a failed import (%s)\n", err->msg);
            ic->violations++;
        }
        free(now);
    }
    return rc;
}

/* The areas import itself, into an empty store. */
static sol_status import_areas(void *ud, sol_error *err)
{
    import_case *ic = ud;
    if (copy_file(ic->pristine, ic->db) != 0) {
        snprintf(err->msg, sizeof err->msg, "cannot copy %s", ic->pristine);
        return SOL_EIO;
    }
    sol_store *st = NULL;
    sol_status rc = sol_store_open(ic->db, &st, err);
    if (rc != SOL_OK)
        return rc;
    sol_import_opts o = {.code_field = "reg_code", .name_field = "reg_name", .level = "region"};
    sol_import_report rep;
    rc = sol_import_areas(st, ic->layer, &o, &rep, err);
    sol_store_close(st);
    if (rc != SOL_OK) {
        char *now = store_dump(ic->db);
        if (now == NULL || strcmp(now, ic->before) != 0) {
            fprintf(stderr, "  areas: the store changed after a failed import (%s)\n", err->msg);
            ic->violations++;
        }
        free(now);
    }
    return rc;
}

/* Person rows joined to their households' rows (two in-memory files, then the join). */
static sol_status join_households(void *ud, sol_error *err)
{
    (void)ud;
    static const char persons[] = "hid,age,w\n1,34,2.5\n1,9,2.5\n2,70,1\n3,41,3\n3,40,3\n";
    static const char households[] = "hid,area,inc\n3,B,30000\n1,A,21000\n2,A,9000\n";
    const sol_md_column pc[] = {{"hid", SOL_MD_CODE, 0, 0, 0, NULL},
                                {"age", SOL_MD_NUMBER, 0, 0, 0, NULL},
                                {"w", SOL_MD_NUMBER, 0, 1, 0, NULL}};
    const sol_md_column hc[] = {{"hid", SOL_MD_CODE, 0, 0, 0, NULL},
                                {"area", SOL_MD_CODE, 0, 0, 0, NULL},
                                {"inc", SOL_MD_NUMBER, 0, 0, 0, NULL}};
    sol_microdata *p = NULL, *h = NULL, *j = NULL;
    sol_status rc = sol_microdata_read_mem(persons, sizeof persons - 1, "p.csv", pc, 3, &p, err);
    if (rc == SOL_OK)
        rc = sol_microdata_read_mem(households, sizeof households - 1, "h.csv", hc, 3, &h, err);
    if (rc == SOL_OK)
        rc = sol_microdata_join(p, 0, "p.csv", h, 0, "h.csv", &j, err);
    if (rc == SOL_OK && (sol_microdata_rows(j) != 5 || sol_microdata_numbers(j, 4)[4] != 30000 ||
                         strcmp(sol_microdata_level(j, 3, sol_microdata_codes(j, 3)[3]), "B") != 0))
        rc = SOL_EINVAL; /* a wrong join: the sweep reports the status */
    sol_microdata_free(p);
    sol_microdata_free(h);
    sol_microdata_free(j);
    return rc;
}

/* ---- tests ----------------------------------------------------------------------------------- */

TEST(csv_reader_survives_every_allocation_failure)
{
    ASSERT(sweep("csv", read_csv, NULL) > 0);
}

TEST(geojson_parser_survives_every_allocation_failure)
{
    ASSERT(sweep("geojson", parse_geojson, NULL) > 0);
}

TEST(household_join_survives_every_allocation_failure)
{
    /* the streaming reader: the parallel one falls back to it on a failed allocation, which
     * would end the sweep early (two successes in a row) */
    setenv("SOL_MICRODATA_STREAM", "1", 1);
    long k = sweep("join", join_households, NULL);
    unsetenv("SOL_MICRODATA_STREAM");
    ASSERT(k > 0);
}

TEST(series_reader_survives_every_allocation_failure)
{
    ASSERT(sweep("series", read_series, NULL) > 0);
}

TEST(series_builder_and_run_layer_survive_every_allocation_failure)
{
    FILE *f = fopen(test_tmp_path("oom-series.csv"), "w");
    ASSERT(f != NULL);
    fputs("area,year,value\nA,2015,1\nA,2016,3\nA,2017,2\nA,2019,5\nA,2020,4\n"
          "B,2015,2\nB,2016,2.5\nB,2017,1\nB,2018,4\nB,2019,3\n",
          f);
    fclose(f);
    ASSERT(sweep("builder", build_series, NULL) > 0);
    static const sol_series_analysis an[] = {SOL_SERIES_TREND, SOL_SERIES_CHANGEPOINTS,
                                             SOL_SERIES_ANOMALIES};
    for (size_t k = 0; k < sizeof an / sizeof *an; k++)
        ASSERT(sweep("run_series", run_series, (void *)&an[k]) > 0);
}

/* An import that runs out of memory at any point leaves the store exactly as it was. */
TEST(import_survives_every_allocation_failure_and_leaves_the_store_unchanged)
{
    import_case ic = {.pristine = test_tmp_path("oom-areas.db"),
                      .db = test_tmp_path("oom-import.db")};
    unlink(ic.pristine);
    sol_store *st = NULL;
    sol_error e;
    ASSERT_STATUS(sol_store_open(ic.pristine, &st, &e), SOL_OK);
    sol_import_opts ao = {.code_field = "reg_code", .name_field = "reg_name", .level = "region"};
    sol_import_report rep;
    ASSERT_STATUS(sol_import_areas(st, "examples/data/italy_regions.geojson", &ao, &rep, &e),
                  SOL_OK);
    sol_store_close(st);
    char *before = store_dump(ic.pristine);
    ASSERT(before != NULL);
    ic.before = before;
    long failures = sweep("import", import_data, &ic);
    free(before);
    ASSERT(failures > 0);
    ASSERT_EQ(ic.violations, 0);
}

TEST(areas_import_survives_every_allocation_failure_and_leaves_the_store_unchanged)
{
    import_case ic = {.pristine = test_tmp_path("oom-empty.db"),
                      .db = test_tmp_path("oom-areas2.db"),
                      .layer = test_tmp_path("oom-areas.geojson")};
    unlink(ic.pristine);
    /* three small areas, one of them a MultiPolygon with a hole: every code path, few allocations
     */
    FILE *f = fopen(ic.layer, "w");
    ASSERT(f != NULL);
    fputs("{\"type\":\"FeatureCollection\",\"features\":["
          "{\"type\":\"Feature\",\"properties\":{\"reg_code\":\"01\",\"reg_name\":\"Uno\"},"
          "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
          "[[[12,41],[12.5,41],[12.5,41.5],[12,41.5],[12,41]]]}},"
          "{\"type\":\"Feature\",\"properties\":{\"reg_code\":\"02\",\"reg_name\":\"Due\"},"
          "\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":"
          "[[[[12.5,41],[13,41],[13,41.5],[12.5,41.5],[12.5,41]],"
          "[[12.6,41.1],[12.7,41.1],[12.7,41.2],[12.6,41.1]]],"
          "[[[13.5,41],[14,41],[14,41.5],[13.5,41]]]]}},"
          "{\"type\":\"Feature\",\"properties\":{\"reg_code\":\"03\",\"reg_name\":\"Tre\"},"
          "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
          "[[[12,41.5],[12.5,41.5],[12.5,42],[12,42],[12,41.5]]]}}]}\n",
          f);
    fclose(f);
    sol_store *st = NULL;
    sol_error e;
    ASSERT_STATUS(sol_store_open(ic.pristine, &st, &e), SOL_OK);
    sol_store_close(st);
    char *before = store_dump(ic.pristine);
    ASSERT(before != NULL);
    ic.before = before;
    long failures = sweep("areas", import_areas, &ic);
    free(before);
    ASSERT(failures > 0);
    ASSERT_EQ(ic.violations, 0);
}

TEST(did_survives_every_allocation_failure)
{
    ASSERT(sweep("did", run_did, NULL) > 0);
}
