/* audience.c - audiences in the store (schema 11): add, read, publish, remove, each change with
 * its audit row in one transaction; the outreach settings (the minimum cell size k, the list of
 * special-category indicators). */
#include <solidata/store_audience.h>

#include <solidata/outreach.h>

#include "store/store_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static sol_status need_v11(sol_store *st, sol_error *err)
{
    if (st->version < 11)
        return sol__err_at(err, SOL_EVERSION, st->path, 0, 0,
                           "the store schema is version %d; audiences need version 11 (open it "
                           "with 'solidata init' to upgrade)",
                           st->version);
    return SOL_OK;
}

static const char *text(sol_dbstmt *s, int i)
{
    return (const char *)sol_db_column_text(s, i);
}

sol_status sol_store_audience_add(sol_store *st, const sol_audience_rec *a, int64_t *id,
                                  sol_error *err)
{
    sol_status rc = need_v11(st, err);
    int own = 0, r;
    char now[32];
    sol_dbstmt *s = NULL;
    if (rc != SOL_OK || (rc = sol_store_join(st, &own, err)) != SOL_OK)
        return rc;
    sol__utc_now(now, sizeof now);
    if ((s = sol__store_prepare(st,
                                "INSERT INTO audience (name, rule, k, purpose, result, run_id, "
                                "published, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, "
                                "?6, 0, ?7, ?8)",
                                "adding an audience", err)) == NULL)
        return sol_store_leave(st, own, SOL_ESTORE, err);
    if ((r = sol__store_bind_text(s, 1, a->name)) == SOL_DB_OK &&
        (r = sol__store_bind_text(s, 2, a->rule)) == SOL_DB_OK &&
        (r = sol_db_bind_int64(s, 3, a->k)) == SOL_DB_OK &&
        (r = sol__store_bind_text(s, 4, a->purpose)) == SOL_DB_OK &&
        (r = sol__store_bind_text(s, 5, a->result)) == SOL_DB_OK &&
        (r = a->run_id > 0 ? sol_db_bind_int64(s, 6, a->run_id) : sol_db_bind_null(s, 6)) ==
            SOL_DB_OK &&
        (r = sol__store_bind_text(s, 7, a->created_at ? a->created_at : now)) == SOL_DB_OK &&
        (r = sol__store_bind_text(s, 8, a->created_by)) == SOL_DB_OK)
        r = sol_db_step(s);
    sol_db_finalize(s);
    if (r == SOL_DB_CONSTRAINT_UNIQUE)
        rc = sol__err(err, SOL_EDUPLICATE,
                      "an audience called '%s' already exists; choose another name, or remove "
                      "it first ('solidata audience remove %s')",
                      a->name, a->name);
    else if (r != SOL_DB_DONE)
        rc = sol__store_fail(st, err, "adding an audience");
    if (rc == SOL_OK && id)
        *id = sol_db_last_insert_id(st->db);
    if (rc == SOL_OK)
        rc = sol__store_audit_json(
            st, a->created_by, "audience.define",
            json_pack("{s:s, s:s, s:I}", "name", a->name, "rule", a->rule, "k", (json_int_t)a->k),
            err);
    return sol_store_leave(st, own, rc, err);
}

static sol_status walk(sol_store *st, sol_dbstmt *s, sol_audience_cb cb, void *ud, int *n,
                       sol_error *err)
{
    int r;
    *n = 0;
    while ((r = sol_db_step(s)) == SOL_DB_ROW) {
        sol_audience_rec a = {.id = sol_db_column_int64(s, 0),
                              .name = text(s, 1),
                              .rule = text(s, 2),
                              .k = sol_db_column_int64(s, 3),
                              .purpose = text(s, 4),
                              .result = text(s, 5),
                              .run_id = sol_db_column_int64(s, 6),
                              .published = sol_db_column_int(s, 7),
                              .created_at = text(s, 8),
                              .created_by = text(s, 9)};
        (*n)++;
        if (cb(ud, &a))
            break;
    }
    return sol__store_walk_end(st, s, r, "reading audiences", err);
}

#define COLS "id, name, rule, k, purpose, result, run_id, published, created_at, created_by"

sol_status sol_store_audience_get(sol_store *st, const char *name, sol_audience_cb cb, void *ud,
                                  sol_error *err)
{
    sol_status rc = need_v11(st, err);
    sol_dbstmt *s;
    int n = 0;
    if (rc != SOL_OK)
        return rc;
    if ((s = sol__store_prepare(st, "SELECT " COLS " FROM audience WHERE name = ?1",
                                "reading audiences", err)) == NULL)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, name);
    if ((rc = walk(st, s, cb, ud, &n, err)) != SOL_OK)
        return rc;
    if (n == 0)
        return sol__err(err, SOL_ENOTFOUND,
                        "no audience called '%s'; 'solidata audience list' lists them", name);
    return SOL_OK;
}

sol_status sol_store_audiences(sol_store *st, int published_only, sol_audience_cb cb, void *ud,
                               sol_error *err)
{
    sol_status rc = need_v11(st, err);
    sol_dbstmt *s;
    int n = 0;
    if (rc != SOL_OK)
        return rc;
    if ((s = sol__store_prepare(st,
                                "SELECT " COLS " FROM audience WHERE (?1 = 0 OR published = 1) "
                                "ORDER BY created_at DESC, id DESC",
                                "reading audiences", err)) == NULL)
        return sol__store_status(st);
    sol_db_bind_int(s, 1, published_only ? 1 : 0);
    return walk(st, s, cb, ud, &n, err);
}

/* id and published state of audience `name`: SOL_ENOTFOUND when there is none */
static sol_status state(sol_store *st, const char *name, int64_t *id, int *published,
                        sol_error *err)
{
    sol_dbstmt *s;
    if ((s = sol__store_prepare(st, "SELECT id, published FROM audience WHERE name = ?1",
                                "reading audiences", err)) == NULL)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, name);
    int r = sol_db_step(s);
    int found = r == SOL_DB_ROW;
    if (found) {
        *id = sol_db_column_int64(s, 0);
        *published = sol_db_column_int(s, 1);
    }
    sol_status rc = sol__store_walk_end(st, s, r, "reading audiences", err);
    if (rc == SOL_OK && !found)
        rc = sol__err(err, SOL_ENOTFOUND,
                      "no audience called '%s'; 'solidata audience list' lists them", name);
    return rc;
}

sol_status sol_store_audience_publish(sol_store *st, const char *name, int publish, const char *who,
                                      int *changed, sol_error *err)
{
    sol_status rc = need_v11(st, err);
    int own = 0, pub = 0;
    int64_t id = 0;
    sol_dbstmt *s;
    if (changed)
        *changed = 0;
    if (rc != SOL_OK || (rc = sol_store_join(st, &own, err)) != SOL_OK)
        return rc;
    if ((rc = state(st, name, &id, &pub, err)) != SOL_OK || pub == (publish != 0))
        return sol_store_leave(st, own, rc, err);
    if ((s = sol__store_prepare(st, "UPDATE audience SET published = ?2 WHERE id = ?1",
                                "publishing an audience", err)) == NULL)
        return sol_store_leave(st, own, SOL_ESTORE, err);
    sol_db_bind_int64(s, 1, id);
    sol_db_bind_int(s, 2, publish != 0);
    rc = sol__store_step_done(st, s, "publishing an audience", err);
    if (rc == SOL_OK)
        rc = sol__store_audit_json(st, who, publish ? "audience.publish" : "audience.unpublish",
                                   json_pack("{s:s}", "name", name), err);
    if (rc == SOL_OK && changed)
        *changed = 1;
    return sol_store_leave(st, own, rc, err);
}

sol_status sol_store_audience_remove(sol_store *st, const char *name, const char *who,
                                     sol_error *err)
{
    sol_status rc = need_v11(st, err);
    int own = 0, pub = 0;
    int64_t id = 0;
    sol_dbstmt *s;
    if (rc != SOL_OK || (rc = sol_store_join(st, &own, err)) != SOL_OK)
        return rc;
    if ((rc = state(st, name, &id, &pub, err)) != SOL_OK)
        return sol_store_leave(st, own, rc, err);
    if (pub)
        return sol_store_leave(st, own,
                               sol__err(err, SOL_EDENIED,
                                        "audience '%s' is published: its card stays public as "
                                        "long as it is; withdraw it first ('solidata audience "
                                        "unpublish %s')",
                                        name, name),
                               err);
    if ((s = sol__store_prepare(st, "SELECT count(*) FROM campaign WHERE audience_id = ?1",
                                "reading campaigns", err)) == NULL)
        return sol_store_leave(st, own, SOL_ESTORE, err);
    sol_db_bind_int64(s, 1, id);
    int r = sol_db_step(s);
    int64_t uses = r == SOL_DB_ROW ? sol_db_column_int64(s, 0) : 0;
    if ((rc = sol__store_walk_end(st, s, r, "reading campaigns", err)) != SOL_OK)
        return sol_store_leave(st, own, rc, err);
    if (uses > 0)
        return sol_store_leave(st, own,
                               sol__err(err, SOL_EDENIED,
                                        "audience '%s' is the audience of %lld campaign(s); it "
                                        "cannot be removed",
                                        name, (long long)uses),
                               err);
    if ((s = sol__store_prepare(st, "DELETE FROM audience WHERE id = ?1", "removing an audience",
                                err)) == NULL)
        return sol_store_leave(st, own, SOL_ESTORE, err);
    sol_db_bind_int64(s, 1, id);
    rc = sol__store_step_done(st, s, "removing an audience", err);
    if (rc == SOL_OK)
        rc = sol__store_audit_json(st, who, "audience.remove", json_pack("{s:s}", "name", name),
                                   err);
    return sol_store_leave(st, own, rc, err);
}

/* ---- settings ----------------------------------------------------------------------------- */

static sol_status setting_get(sol_store *st, const char *name, char **value, sol_error *err)
{
    sol_dbstmt *s;
    *value = NULL;
    if ((s = sol__store_prepare(st, "SELECT value FROM setting WHERE name = ?1",
                                "reading the settings", err)) == NULL)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, name);
    int r = sol_db_step(s);
    if (r == SOL_DB_ROW && text(s, 0) && (*value = sol__strdup(text(s, 0))) == NULL) {
        sol_db_finalize(s);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    return sol__store_walk_end(st, s, r, "reading the settings", err);
}

static sol_status setting_put(sol_store *st, const char *name, const char *value, sol_error *err)
{
    sol_dbstmt *s;
    if ((s = sol__store_prepare(st,
                                "INSERT INTO setting (name, value) VALUES (?1, ?2) "
                                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                                "writing a setting", err)) == NULL)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, name);
    sol__store_bind_text(s, 2, value);
    return sol__store_step_done(st, s, "writing a setting", err);
}

sol_status sol_store_audience_k(sol_store *st, int64_t *k, sol_error *err)
{
    char *v = NULL;
    sol_status rc = need_v11(st, err);
    *k = SOL_AUD_K_DEFAULT;
    if (rc != SOL_OK || (rc = setting_get(st, "audience.k", &v, err)) != SOL_OK)
        return rc;
    if (v) {
        char *end = NULL;
        long long x = strtoll(v, &end, 10);
        if (end != v && *end == '\0' && x >= 1)
            *k = x;
    }
    sol__free(v);
    return SOL_OK;
}

sol_status sol_store_audience_k_set(sol_store *st, int64_t k, const char *who, sol_error *err)
{
    int64_t old = 0;
    int own = 0;
    char v[32];
    if (k < 1 || k > 1000000000)
        return sol__err(err, SOL_EINVAL, "k must be a whole number of persons from 1 to %d",
                        1000000000);
    sol_status rc = sol_store_audience_k(st, &old, err);
    if (rc != SOL_OK || (rc = sol_store_join(st, &own, err)) != SOL_OK)
        return rc;
    snprintf(v, sizeof v, "%lld", (long long)k);
    rc = setting_put(st, "audience.k", v, err);
    if (rc == SOL_OK)
        rc = sol__store_audit_json(
            st, who, "audience.k",
            json_pack("{s:I, s:I}", "from", (json_int_t)old, "to", (json_int_t)k), err);
    return sol_store_leave(st, own, rc, err);
}

sol_status sol_store_audience_special(sol_store *st, char **codes, sol_error *err)
{
    char *v = NULL;
    sol_status rc = need_v11(st, err);
    if (rc != SOL_OK || (rc = setting_get(st, "audience.special", &v, err)) != SOL_OK)
        return rc;
    if (v == NULL && (v = sol__strdup("")) == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    *codes = v;
    return SOL_OK;
}

sol_status sol_store_audience_special_set(sol_store *st, const char *codes, const char *who,
                                          sol_error *err)
{
    int own = 0;
    sol_status rc = need_v11(st, err);
    if (rc != SOL_OK || (rc = sol_store_join(st, &own, err)) != SOL_OK)
        return rc;
    rc = setting_put(st, "audience.special", codes ? codes : "", err);
    if (rc == SOL_OK)
        rc = sol__store_audit_json(st, who, "audience.special",
                                   json_pack("{s:s}", "codes", codes ? codes : ""), err);
    return sol_store_leave(st, own, rc, err);
}
