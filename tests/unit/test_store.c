/* test_store.c - opening, refusing and migrating stores; periods; flags; the catalog. */
#include "harness.h"
#include "test_util.h"

#include <solidata/import.h>
#include <solidata/store.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

TEST(periods_are_normalised)
{
    char label[16], f;
    int64_t i;
    ASSERT_STATUS(sol_period_parse("2023", 4, label, &f, &i), SOL_OK);
    ASSERT_STR_EQ(label, "2023");
    ASSERT_EQ(f, 'A');
    ASSERT_EQ(i, 2023);
    ASSERT_STATUS(sol_period_parse("2023Q2", 6, label, &f, &i), SOL_OK);
    ASSERT_STR_EQ(label, "2023-Q2");
    ASSERT_EQ(i, 2023 * 4 + 1);
    ASSERT_STATUS(sol_period_parse("2023-05", 7, label, &f, &i), SOL_OK);
    ASSERT_STR_EQ(label, "2023-05");
    ASSERT_EQ(f, 'M');
    ASSERT_EQ(i, 2023 * 12 + 4);
    ASSERT_STATUS(sol_period_parse("2023M5", 6, label, &f, &i), SOL_OK);
    ASSERT_STR_EQ(label, "2023-05");
    ASSERT_STATUS(sol_period_parse("2023-S2", 7, label, &f, &i), SOL_OK);
    ASSERT_EQ(i, 2023 * 2 + 1);
    ASSERT_STATUS(sol_period_parse("2023-13", 7, label, &f, &i), SOL_EPARSE);
    ASSERT_STATUS(sol_period_parse("2023-Q5", 7, label, &f, &i), SOL_EPARSE);
    ASSERT_STATUS(sol_period_parse("23", 2, label, &f, &i), SOL_EPARSE);
    ASSERT_STATUS(sol_period_parse("2023-5", 6, label, &f, &i), SOL_EPARSE);
}

TEST(flags_round_trip)
{
    int f;
    ASSERT_STATUS(sol_flags_parse("ep", &f), SOL_OK);
    ASSERT_EQ(f, SOL_FLAG_ESTIMATED | SOL_FLAG_PROVISIONAL);
    char buf[64];
    sol_flags_format(f, buf, sizeof buf);
    ASSERT_STR_EQ(buf, "estimated|provisional");
    ASSERT_STATUS(sol_flags_parse(buf, &f), SOL_OK);
    ASSERT_EQ(f, SOL_FLAG_ESTIMATED | SOL_FLAG_PROVISIONAL);
    ASSERT_STATUS(sol_flags_parse("zz", &f), SOL_EPARSE);
}

TEST(new_store_has_latest_schema)
{
    const char *p = test_store_target("new.db");
    sol_store *st = NULL;
    sol_error e;
    ASSERT_STATUS(sol_store_open(p, &st, &e), SOL_OK);
    ASSERT_EQ(sol_store_schema_version(st), SOL_STORE_SCHEMA_VERSION);
    sol_store_close(st);
    /* opened again, a store of the latest version is left as it is */
    ASSERT_STATUS(sol_store_open(p, &st, &e), SOL_OK);
    ASSERT_EQ(sol_store_schema_version(st), SOL_STORE_SCHEMA_VERSION);
    sol_store_close(st);
}

TEST(new_store_file_is_wal)
{
    SQLITE_ONLY("its journal mode");
    const char *p = test_tmp_fresh("new.db");
    sol_store *st = NULL;
    sol_error e;
    ASSERT_STATUS(sol_store_open(p, &st, &e), SOL_OK);
    sol_store_close(st);
    sqlite3 *db;
    ASSERT(sqlite3_open(p, &db) == SQLITE_OK);
    sqlite3_stmt *s;
    ASSERT(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL) == SQLITE_OK);
    ASSERT(sqlite3_step(s) == SQLITE_ROW);
    ASSERT_STR_EQ((const char *)sqlite3_column_text(s, 0), "wal");
    sqlite3_finalize(s);
    sqlite3_close(db);
}

/* A version-1 store with data is upgraded in place to the latest schema, its data intact. */
TEST(older_store_is_migrated_in_place)
{
    const char *p = test_store_target("v1.db");
    sol_store *st = NULL;
    sol_error e;
    ASSERT_STATUS(sol_store_open_at(p, 1, &st, &e), SOL_OK);
    ASSERT_EQ(sol_store_schema_version(st), 1);
    ASSERT_STATUS(sol_store_begin(st, &e), SOL_OK);
    sol_area a = {.code = "058091",
                  .name = "Roma",
                  .level = "municipality",
                  .bbox = {12, 41, 13, 42},
                  .centroid = {12.5, 41.9}};
    int64_t aid, iid, pid, sid;
    ASSERT_STATUS(sol_store_area_put(st, &a, &aid, &e), SOL_OK);
    sol_indicator ind = {.code = "pov", .label = "Poverty", .polarity = -1};
    ASSERT_STATUS(sol_store_indicator_put(st, &ind, 1, &iid, &e), SOL_OK);
    ASSERT_STATUS(sol_store_period_put(st, "2021", 'A', 2021, &pid, &e), SOL_OK);
    sol_source src = {.name = "t",
                      .version = 1,
                      .connector = "csv",
                      .location = "t.csv",
                      .sha256 = "00000000000000000000000000000000000000000000000000000000000000ab",
                      .imported_at = "2026-01-01T00:00:00Z",
                      .tool_version = "0"};
    ASSERT_STATUS(sol_store_source_add(st, &src, &sid, &e), SOL_OK);
    ASSERT_STATUS(sol_store_obs_put(st, iid, aid, pid, 12.5, 0.5, 0, sid, NULL, &e), SOL_OK);
    int64_t other = 0;
    ASSERT_STATUS(sol_store_obs_put(st, iid, aid, pid, 1, 0, 0, sid, &other, &e), SOL_EDUPLICATE);
    ASSERT_EQ(other, sid);
    ASSERT_STATUS(sol_store_commit(st, &e), SOL_OK);
    sol_store_close(st);

    ASSERT_STATUS(sol_store_open(p, &st, &e), SOL_OK);
    ASSERT_EQ(sol_store_schema_version(st), SOL_STORE_SCHEMA_VERSION);
    sol_store_counts c;
    ASSERT_STATUS(sol_store_count(st, &c, &e), SOL_OK);
    ASSERT_EQ(c.areas, 1);
    ASSERT_EQ(c.observations, 1);
    ASSERT_STR_EQ(c.first_period, "2021");
    sol_store_close(st);
}

TEST(rollback_leaves_nothing)
{
    const char *p = test_store_new("rb.db");
    sol_store *st = NULL;
    sol_error e;
    ASSERT_STATUS(sol_store_open(p, &st, &e), SOL_OK);
    ASSERT_STATUS(sol_store_begin(st, &e), SOL_OK);
    sol_area a = {.code = "X", .level = "area", .bbox = {0, 0, 1, 1}};
    ASSERT_STATUS(sol_store_area_put(st, &a, NULL, &e), SOL_OK);
    sol_store_rollback(st);
    sol_store_counts c;
    ASSERT_STATUS(sol_store_count(st, &c, &e), SOL_OK);
    ASSERT_EQ(c.areas, 0);
    sol_store_close(st);
}

TEST(foreign_database_is_refused_untouched)
{
    const char *p = test_store_target("other.db");
    ASSERT_EQ(test_store_exec(p, "CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (7)"), 0);
    sol_store *st = NULL;
    sol_error e;
    ASSERT_STATUS(sol_store_open(p, &st, &e), SOL_ENOTSTORE);
    ASSERT(st == NULL);
    ASSERT_CONTAINS(e.msg, "not a solidata store");
    ASSERT_CONTAINS(e.msg, test_backend_pg() ? "other tables" : "another application");
    ASSERT_STR_EQ(test_store_text(p, "SELECT x FROM t"), "7");
    ASSERT_CONTAINS(test_store_text(p, "SELECT count(*) FROM source"), "(error: ");
}

TEST(non_sqlite_file_is_refused)
{
    SQLITE_ONLY("a file that is not an SQLite database");
    const char *p = test_tmp_fresh("other.db");
    sol_store *st = NULL;
    sol_error e;
    FILE *f = fopen(p, "w");
    fputs("hello, not sqlite\n", f);
    fclose(f);
    ASSERT_STATUS(sol_store_open(p, &st, &e), SOL_ENOTSTORE);
    ASSERT_CONTAINS(e.msg, "not an SQLite database");
}

/* Every allocation failure during a store open is reported as an error, never a crash. */
TEST(open_survives_allocation_failures)
{
    const char *p = test_store_target("oom.db");
    sol_store *st = NULL;
    sol_error e;
    ASSERT_STATUS(sol_store_open(p, &st, &e), SOL_OK);
    sol_store_close(st);
    extern int sol__alloc_injection(void);
    for (int n = 1; n <= 3 && sol__alloc_injection(); n++) {
        char v[16];
        snprintf(v, sizeof v, "%d", n);
        setenv("SOL_FAIL_ALLOC", v, 1);
        extern void sol__alloc_reset(void);
        sol__alloc_reset();
        st = NULL;
        sol_status rc = sol_store_open(p, &st, &e);
        unsetenv("SOL_FAIL_ALLOC");
        sol__alloc_reset();
        ASSERT(rc == SOL_OK || rc == SOL_ENOMEM);
        sol_store_close(st);
    }
}

/* An indicator's label in a language: that language, then English, then the publisher's label,
 * then the code, and which one was given (docs: sol_indicator_label in store.h). */
TEST(indicator_label_fallback_order)
{
    sol_indicator ind = {.code = "pov", .label = "Povertà"};
    sol_label_origin o;
    ASSERT_STR_EQ(sol_indicator_label(&ind, SOL_LANG_FR, &o), "Povertà");
    ASSERT_EQ(o, SOL_LABEL_DEFAULT);
    ind.labels[SOL_LANG_EN] = "Poverty";
    ASSERT_STR_EQ(sol_indicator_label(&ind, SOL_LANG_FR, &o), "Poverty");
    ASSERT_EQ(o, SOL_LABEL_ENGLISH);
    ASSERT_STR_EQ(sol_indicator_label(&ind, SOL_LANG_EN, &o), "Poverty");
    ASSERT_EQ(o, SOL_LABEL_LANG);
    ind.labels[SOL_LANG_FR] = "Pauvreté";
    ASSERT_STR_EQ(sol_indicator_label(&ind, SOL_LANG_FR, &o), "Pauvreté");
    ASSERT_EQ(o, SOL_LABEL_LANG);
    ind.labels[SOL_LANG_IT] = ""; /* an empty label is no label */
    ASSERT_STR_EQ(sol_indicator_label(&ind, SOL_LANG_IT, NULL), "Poverty");
    sol_indicator bare = {.code = "x"};
    ASSERT_STR_EQ(sol_indicator_label(&bare, SOL_LANG_IT, &o), "x");
    ASSERT_EQ(o, SOL_LABEL_CODE);
    ASSERT(sol_indicator_unit(&bare, SOL_LANG_IT, &o) == NULL);
    ASSERT_EQ(o, SOL_LABEL_CODE);
    ASSERT_STR_EQ(sol_label_origin_name(SOL_LABEL_ENGLISH), "en");
    ASSERT_STR_EQ(sol_label_origin_name(SOL_LABEL_DEFAULT), "default");
}

/* Dimension and level names: known spellings share one message; unknown names come back as
 * given, said so. (The French and Italian words come from the catalogues.) */
TEST(dimension_and_level_names)
{
    sol_label_origin o;
    ASSERT_STR_EQ(sol_dimension_name(SOL_LANG_EN, "social_ties", &o), "Social ties");
    ASSERT_EQ(o, SOL_LABEL_LANG);
    ASSERT_STR_EQ(sol_dimension_name(SOL_LANG_EN, "Salute", NULL), "Health");
    ASSERT_STR_EQ(sol_dimension_name(SOL_LANG_EN, "Benessere economico", NULL),
                  "Economic well-being");
    ASSERT_STR_EQ(sol_dimension_name(SOL_LANG_FR, "my own group", &o), "my own group");
    ASSERT_EQ(o, SOL_LABEL_CODE);
    ASSERT(sol_dimension_name(SOL_LANG_FR, NULL, NULL) == NULL);
    ASSERT_STR_EQ(sol_level_name(SOL_LANG_EN, "comune", NULL), "municipality");
    ASSERT_STR_EQ(sol_level_name(SOL_LANG_EN, "Commune", NULL), "municipality");
    ASSERT_STR_EQ(sol_level_name(SOL_LANG_EN, "département", NULL), "department");
    const char *fr = sol_level_name(SOL_LANG_FR, "municipality", &o);
    ASSERT(o == SOL_LABEL_LANG ? strcmp(fr, "commune") == 0
                               : o == SOL_LABEL_ENGLISH && strcmp(fr, "municipality") == 0);
}

/* A schema-7 store (before labels in each language) is upgraded; labels are written after. */
TEST(schema7_store_takes_labels_after_upgrade)
{
    const char *p = test_store_target("v7.db");
    sol_store *st = NULL;
    sol_error e;
    ASSERT_STATUS(sol_store_open_at(p, 7, &st, &e), SOL_OK);
    int64_t id;
    sol_indicator ind = {.code = "pov", .label = "Poverty", .labels = {[SOL_LANG_FR] = "Pauvreté"}};
    ASSERT_STATUS(sol_store_begin(st, &e), SOL_OK);
    ASSERT_STATUS(sol_store_indicator_put(st, &ind, 1, &id, &e), SOL_OK); /* labels not kept */
    ASSERT_STATUS(sol_store_commit(st, &e), SOL_OK);
    sol_store_close(st);
    ASSERT_STATUS(sol_store_open(p, &st, &e), SOL_OK);
    ASSERT_EQ(sol_store_schema_version(st), SOL_STORE_SCHEMA_VERSION);
    ASSERT_STATUS(sol_store_begin(st, &e), SOL_OK);
    ASSERT_STATUS(sol_store_indicator_put(st, &ind, 1, &id, &e), SOL_OK);
    ASSERT_STATUS(sol_store_commit(st, &e), SOL_OK);
    sol_store_close(st);
    ASSERT_STR_EQ(test_store_text(p, "SELECT label FROM indicator"), "Poverty");
    ASSERT_STR_EQ(test_store_text(p, "SELECT label_fr FROM indicator"), "Pauvreté");
    ASSERT_STR_EQ(test_store_text(p, "SELECT label_en FROM indicator"), "NULL");
}

/* A schema-8 store (before drafts) is upgraded to 9: its sources and runs stay public; new ones
 * are drafts. */
TEST(schema8_store_keeps_published_after_upgrade)
{
    const char *p = test_store_target("v8.db");
    sol_store *st = NULL;
    sol_error e;
    ASSERT_STATUS(sol_store_open_at(p, 8, &st, &e), SOL_OK);
    sol_source src = {.name = "old",
                      .version = 1,
                      .connector = "csv-wide",
                      .location = "o.csv",
                      .sha256 = "0000000000000000000000000000000000000000000000000000000000000000",
                      .imported_at = "2026-01-01T00:00:00Z",
                      .tool_version = "t"};
    int64_t sid, rid;
    ASSERT_STATUS(sol_store_source_add(st, &src, &sid, &e), SOL_OK);
    ASSERT_STATUS(sol_store_run_add(
                      st, &(sol_run){.kind = "index", .spec = "{}", .method_card = "{}"}, &rid, &e),
                  SOL_OK);
    sol_store_close(st);
    ASSERT_STATUS(sol_store_open(p, &st, &e), SOL_OK);
    ASSERT_EQ(sol_store_schema_version(st), SOL_STORE_SCHEMA_VERSION);
    src.name = "new";
    ASSERT_STATUS(sol_store_source_add(st, &src, &sid, &e), SOL_OK);
    ASSERT_STATUS(sol_store_run_add(
                      st, &(sol_run){.kind = "index", .spec = "{}", .method_card = "{}"}, &rid, &e),
                  SOL_OK);
    sol_store_close(st);
    ASSERT_STR_EQ(test_store_text(p, "SELECT published FROM source WHERE name = 'old'"), "1");
    ASSERT_STR_EQ(test_store_text(p, "SELECT published FROM source WHERE name = 'new'"), "0");
    ASSERT_STR_EQ(test_store_text(p, "SELECT published FROM run WHERE id = 1"), "1");
    ASSERT_STR_EQ(test_store_text(p, "SELECT published FROM run WHERE id = 2"), "0");
}
