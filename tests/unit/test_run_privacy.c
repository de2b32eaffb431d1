/* test_run_privacy.c - the privacy run layer: a tabulate job checked, run without and with a
 * store (budget spent, run recorded with its privacy treatment), budgets set, accounts added with
 * their audit entry, the method card written in plain text and runs as JSON. */
#include "harness.h"
#include "test_util.h"

#include <solidata/run_privacy.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A microdata file: area A0..A3, 25 records each, and one record in A4 (a small cell). */
static const char *microdata(void)
{
    static char path[512];
    snprintf(path, sizeof path, "%s", test_tmp_path("run_privacy_m.csv"));
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return NULL;
    fputs("area\n", f);
    for (int i = 0; i < 100; i++)
        fprintf(f, "A%d\n", i % 4);
    fputs("A4\n", f);
    fclose(f);
    return path;
}

static sol_store *fresh_store(const char *name)
{
    const char *p = test_store_new(name);
    sol_store *st = NULL;
    return sol_store_open(p, &st, NULL) == SOL_OK ? st : NULL;
}

TEST(tabulate_check_refuses_a_dp_table_without_public_categories)
{
    sol_tabulate_job j;
    sol_run_tabulate_job_init(&j);
    sol_error e;
    ASSERT_STATUS(sol_run_tabulate_check(&j, &e), SOL_EINVAL); /* no microdata, no rows */
    j.microdata = "m.csv";
    j.row_field = "area";
    ASSERT_STATUS(sol_run_tabulate_check(&j, &e), SOL_OK);
    j.dp_epsilon = "1";
    ASSERT_STATUS(sol_run_tabulate_check(&j, &e), SOL_EINVAL);
    ASSERT_CONTAINS(e.msg, "public list");
    j.categories_from_data = 1;
    ASSERT_STATUS(sol_run_tabulate_check(&j, &e), SOL_OK);
    j.weight_field = "w"; /* DP applies to counts only */
    ASSERT_STATUS(sol_run_tabulate_check(&j, &e), SOL_EINVAL);
    j.weight_field = NULL;
    j.categories_rows = "rows.txt"; /* a list and "from the data" exclude each other */
    ASSERT_STATUS(sol_run_tabulate_check(&j, &e), SOL_EINVAL);
    j.categories_from_data = 0;
    j.col_field = "sex"; /* a two-way DP table needs both lists */
    ASSERT_STATUS(sol_run_tabulate_check(&j, &e), SOL_EINVAL);
}

TEST(tabulate_without_store_suppresses_and_writes)
{
    const char *m = microdata();
    ASSERT(m != NULL);
    sol_tabulate_job j;
    sol_run_tabulate_job_init(&j);
    j.microdata = m;
    j.row_field = "area";
    test_text t = {.len = 0};
    j.write = test_text_write;
    j.write_ud = &t;
    sol_tabulate_output *o = NULL;
    sol_error e;
    ASSERT_STATUS(sol_run_tabulate(NULL, &j, &o, &e), SOL_OK);
    ASSERT_EQ(o->stats.records, 101);
    ASSERT_EQ(o->min_cell, SOL_PRIVACY_DEFAULT_MIN_CELL);
    ASSERT(o->stats.primary == 1); /* A4, one record */
    ASSERT_EQ(o->run_id, 0);
    ASSERT_STR_EQ(o->dataset, "run_privacy_m.csv");
    ASSERT_CONTAINS(t.buf, "row,col,count,flag\n");
    ASSERT_CONTAINS(t.buf, "A4,_total,,suppressed\n");
    sol_tabulate_output_free(o);
    /* recording needs a store */
    j.record = 1;
    ASSERT_STATUS(sol_run_tabulate(NULL, &j, &o, &e), SOL_EINVAL);
}

TEST(tabulate_dp_spends_budget_records_and_card_says_so)
{
    const char *m = microdata();
    sol_store *st = fresh_store("run_privacy.db");
    ASSERT(m != NULL && st != NULL);
    sol_error e;
    sol_budget b;
    ASSERT_STATUS(sol_run_budget_set(st, "survey", "1", 1e-5, 5, &b, &e), SOL_OK);
    ASSERT_EQ(b.eps_total_nano, 1000000000LL);
    ASSERT_EQ(b.min_cell, 5);
    ASSERT_STATUS(sol_run_budget_set(st, "survey", NULL, 1e-5, 0, &b, &e), SOL_EINVAL);
    sol_tabulate_job j;
    sol_run_tabulate_job_init(&j);
    j.microdata = m;
    j.row_field = "area";
    j.dataset = "survey";
    j.dp_epsilon = "0.75";
    j.seed = "s";
    j.categories_from_data = 1;
    j.min_cell = 3; /* below the dataset's 5: refused */
    sol_tabulate_output *o = NULL;
    ASSERT_STATUS(sol_run_tabulate(st, &j, &o, &e), SOL_EDENIED);
    ASSERT_CONTAINS(e.msg, "at least 5");
    j.min_cell = 0;
    ASSERT_STATUS(sol_run_tabulate(st, &j, &o, &e), SOL_OK);
    ASSERT_EQ(o->min_cell, 5);
    ASSERT(o->release_id > 0 && o->run_id > 0);
    int64_t run = o->run_id;
    sol_tabulate_output_free(o);
    /* the budget left is 0.25: a second release of 0.75 is refused */
    ASSERT_STATUS(sol_run_tabulate(st, &j, &o, &e), SOL_EDENIED);
    test_text t = {.len = 0};
    ASSERT_STATUS(sol_run_card_write(st, run, test_text_write, &t, &e), SOL_OK);
    ASSERT_CONTAINS(t.buf, ": privacy.tabulate\n");
    ASSERT_CONTAINS(t.buf, "    min_cell: 5\n");
    ASSERT_CONTAINS(t.buf, "mechanism: discrete Laplace\n");
    ASSERT_CONTAINS(t.buf, "categories: from the data");
    ASSERT_STATUS(sol_run_card_write(st, run + 1, test_text_write, &t, &e), SOL_ENOTFOUND);
    t.len = 0;
    ASSERT_STATUS(sol_run_runs_write_json(st, NULL, run, test_text_write, &t, &e), SOL_OK);
    json_t *r = json_loads(t.buf, 0, NULL);
    ASSERT(json_is_object(r));
    ASSERT_STR_EQ(json_string_value(json_object_get(r, "kind")), "privacy.tabulate");
    ASSERT(json_object_get(r, "result") != NULL);
    json_decref(r);
    t.len = 0;
    ASSERT_STATUS(sol_run_runs_write_json(st, "privacy.tabulate", 0, test_text_write, &t, &e),
                  SOL_OK);
    r = json_loads(t.buf, 0, NULL);
    ASSERT(json_is_array(r) && json_array_size(r) == 1);
    json_decref(r);
    sol_store_close(st);
}

static int find_account_add(void *ud, const sol_audit_entry *a)
{
    if (strcmp(a->action, "account.add") == 0)
        snprintf(ud, 256, "%s", a->detail ? a->detail : "");
    return 0;
}

TEST(account_add_is_audited_with_a_json_detail)
{
    sol_store *st = fresh_store("run_privacy_acct.db");
    ASSERT(st != NULL);
    sol_error e;
    ASSERT_STATUS(
        sol_run_account_add(st, "ana", SOL_ROLE_ANALYST, "analyst-pw-1", 12, "clerk", "cli", &e),
        SOL_OK);
    ASSERT_STATUS(
        sol_run_account_add(st, "ana", SOL_ROLE_ANALYST, "analyst-pw-1", 12, "clerk", "cli", &e),
        SOL_EDUPLICATE);
    char detail[256] = "";
    ASSERT_STATUS(sol_audit_list(st, find_account_add, detail, &e), SOL_OK);
    ASSERT_STR_EQ(detail, "{\"name\":\"ana\",\"role\":\"analyst\",\"via\":\"cli\"}");
    sol_store_close(st);
}
