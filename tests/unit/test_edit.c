/* test_edit.c - corrections after import in the store: a source removed and restored, the next
 * version after a removal, an indicator's fields changed, what a removal leaves behind. */
#include "harness.h"
#include "test_util.h"

#include <solidata/privacy.h>
#include <solidata/store.h>

#include <stdio.h>
#include <string.h>

#define SHA "00000000000000000000000000000000000000000000000000000000000000ab"

/* A store with area A, indicators n (from source "src") and r (a rate of n, from "other"). */
static sol_store *fixture(const char *file)
{
    sol_store *st = NULL;
    sol_error e;
    if (sol_store_open(test_store_new(file), &st, &e) != SOL_OK)
        return NULL;
    int64_t aid, nid, rid, pid, sid, oid;
    sol_area a = {.code = "A", .level = "area", .bbox = {0, 0, 1, 1}};
    sol_indicator n = {.code = "n", .label = "Families helped"};
    sol_indicator r = {.code = "r", .label = "Rate", .polarity = -1};
    sol_source s = {.name = "src",
                    .version = 1,
                    .connector = "csv",
                    .location = "s.csv",
                    .sha256 = SHA,
                    .imported_at = "2026-01-01T00:00:00Z",
                    .tool_version = "0"};
    sol_source o = s;
    o.name = "other";
    const char *num[] = {"n"};
    if (sol_store_begin(st, &e) != SOL_OK || sol_store_area_put(st, &a, &aid, &e) != SOL_OK ||
        sol_store_indicator_put(st, &n, 1, &nid, &e) != SOL_OK ||
        sol_store_indicator_put(st, &r, 1, &rid, &e) != SOL_OK ||
        sol_store_period_put(st, "2021", 'A', 2021, &pid, &e) != SOL_OK ||
        sol_store_source_add(st, &s, &sid, &e) != SOL_OK ||
        sol_store_source_add(st, &o, &oid, &e) != SOL_OK ||
        sol_store_obs_put(st, nid, aid, pid, 12, 0, 0, sid, NULL, &e) != SOL_OK ||
        sol_store_obs_put(st, rid, aid, pid, 0.4, 0, 0, oid, NULL, &e) != SOL_OK ||
        sol_disclosure_link(st, "r", num, 1, NULL, &e) != SOL_OK ||
        sol_store_commit(st, &e) != SOL_OK) {
        sol_store_close(st);
        return NULL;
    }
    return st;
}

static int on_code(void *ud, const char *code)
{
    snprintf(ud, 32, "%s", code);
    return 0;
}

TEST(remove_archives_and_restore_brings_back)
{
    sol_store *st = fixture("edit-rm.db");
    ASSERT(st != NULL);
    sol_error e;
    char derived[32] = "";
    ASSERT_STATUS(sol_store_source_derived(st, "src", on_code, derived, &e), SOL_OK);
    ASSERT_STR_EQ(derived, "r");
    int version = 0;
    int64_t removed = 0;
    ASSERT_STATUS(sol_store_begin(st, &e), SOL_OK);
    ASSERT_STATUS(sol_store_source_remove(st, "src", &version, &removed, &e), SOL_OK);
    ASSERT_STATUS(sol_store_commit(st, &e), SOL_OK);
    ASSERT_EQ(version, 1);
    ASSERT_EQ(removed, 1);
    sol_store_counts c;
    ASSERT_STATUS(sol_store_count(st, &c, &e), SOL_OK);
    ASSERT_EQ(c.observations, 1);
    int64_t id;
    char sha[65];
    ASSERT_STATUS(sol_store_source_current(st, "src", &id, &version, sha, &e), SOL_ENOTFOUND);
    /* twice: already removed; unknown: not found */
    ASSERT_STATUS(sol_store_source_remove(st, "src", NULL, NULL, &e), SOL_EINVAL);
    ASSERT(strstr(e.msg, "already removed") != NULL);
    ASSERT_STATUS(sol_store_source_remove(st, "nope", NULL, NULL, &e), SOL_ENOTFOUND);
    /* numbering goes on after a removal */
    int last = 0;
    ASSERT_STATUS(sol_store_source_last_version(st, "src", &last, &e), SOL_OK);
    ASSERT_EQ(last, 1);
    ASSERT_STATUS(sol_store_source_last_version(st, "nope", &last, &e), SOL_OK);
    ASSERT_EQ(last, 0);
    int64_t restored = 0;
    ASSERT_STATUS(sol_store_begin(st, &e), SOL_OK);
    ASSERT_STATUS(sol_store_source_restore(st, "src", 1, &restored, &e), SOL_OK);
    ASSERT_STATUS(sol_store_commit(st, &e), SOL_OK);
    ASSERT_EQ(restored, 1);
    ASSERT_STATUS(sol_store_count(st, &c, &e), SOL_OK);
    ASSERT_EQ(c.observations, 2);
    sol_store_close(st);
}

static int on_ind(void *ud, const sol_indicator *i)
{
    if (strcmp(i->code, "n") != 0)
        return 0;
    char *out = ud;
    snprintf(out, 256, "%s|%s|%s|%d|%s", i->label ? i->label : "-",
             i->labels[SOL_LANG_FR] ? i->labels[SOL_LANG_FR] : "-", i->unit ? i->unit : "-",
             i->polarity, i->dimension ? i->dimension : "-");
    return 1;
}

TEST(indicator_edit_changes_only_what_is_given)
{
    sol_store *st = fixture("edit-ind.db");
    ASSERT(st != NULL);
    sol_error e;
    sol_indicator_edit ed = {.labels = {[SOL_LANG_FR] = "Familles aidées"},
                             .unit = "persons",
                             .set_polarity = 1,
                             .polarity = 1};
    ASSERT_STATUS(sol_store_indicator_edit(st, "n", &ed, &e), SOL_OK);
    char got[256] = "";
    ASSERT_STATUS(sol_store_indicators(st, on_ind, got, &e), SOL_OK);
    ASSERT_STR_EQ(got, "Families helped|Familles aidées|persons|1|-");
    /* "" clears */
    sol_indicator_edit clear = {.unit = "", .dimension = "Housing"};
    ASSERT_STATUS(sol_store_indicator_edit(st, "n", &clear, &e), SOL_OK);
    ASSERT_STATUS(sol_store_indicators(st, on_ind, got, &e), SOL_OK);
    ASSERT_STR_EQ(got, "Families helped|Familles aidées|-|1|Housing");
    /* refused */
    sol_indicator_edit bad = {.set_polarity = 1, .polarity = 2};
    ASSERT_STATUS(sol_store_indicator_edit(st, "n", &bad, &e), SOL_EINVAL);
    ASSERT_STATUS(sol_store_indicator_edit(st, "nope", &ed, &e), SOL_ENOTFOUND);
    ASSERT(strstr(e.msg, "nope") != NULL);
    sol_store_close(st);
}
