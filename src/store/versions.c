/* versions.c - superseded source versions kept and restored: the observations of a version that
 * a newer one replaced stay in observation_archive, and a restore puts them back. */
#include <solidata/store.h>

#include "store_int.h"

#include <stdio.h>
#include <string.h>

static sol_status db_fail(sol_store *st, sol_error *err, const char *what)
{
    snprintf(st->errmsg, sizeof st->errmsg, "%s", sol_db_errmsg(st->db));
    return sol__err(err, SOL_ESTORE, "%s: %s", what, st->errmsg);
}

/* One statement with an integer parameter ?1 run to completion; *changes (may be NULL) gets the
 * rows it changed. */
static sol_status exec_id(sol_store *st, const char *sql, int64_t id, int64_t *changes,
                          const char *what, sol_error *err)
{
    sol_dbstmt *s = NULL;
    if (sol_db_prepare(st->db, sql, 0, &s) != SOL_DB_OK)
        return db_fail(st, err, what);
    sol_db_bind_int64(s, 1, id);
    int r = sol_db_step(s);
    sol_db_finalize(s);
    if (r != SOL_DB_DONE && r != SOL_DB_ROW)
        return r == SOL_DB_CONSTRAINT
                   ? sol__err(err, SOL_EDUPLICATE,
                              "%s: a value of this version is now provided by another source "
                              "(the same indicator, area and period); replace or remove that "
                              "source first",
                              what)
                   : db_fail(st, err, what);
    if (changes)
        *changes = sol_db_changes(st->db);
    return SOL_OK;
}

sol_status sol_store_source_restore(sol_store *st, const char *name, int version, int64_t *restored,
                                    sol_error *err)
{
    if (st->version < 7)
        return sol__err(err, SOL_EVERSION, "this store keeps no superseded version (schema %d)",
                        st->version);
    sol_dbstmt *s = NULL;
    if (sol_db_prepare(st->db,
                       "SELECT id, status, (SELECT count(*) FROM observation_archive a"
                       " WHERE a.source_id = source.id) FROM source"
                       " WHERE name = ?1 AND version = ?2",
                       0, &s) != SOL_DB_OK)
        return db_fail(st, err, "reading the catalog");
    sol_db_bind_text(s, 1, name, -1);
    sol_db_bind_int(s, 2, version);
    int r = sol_db_step(s);
    int64_t id = r == SOL_DB_ROW ? sol_db_column_int64(s, 0) : 0;
    int current = r == SOL_DB_ROW && sol_db_column_text(s, 1) &&
                  strcmp((const char *)sol_db_column_text(s, 1), "current") == 0;
    int64_t kept = r == SOL_DB_ROW ? sol_db_column_int64(s, 2) : 0;
    sol_db_finalize(s);
    if (r != SOL_DB_ROW && r != SOL_DB_DONE)
        return db_fail(st, err, "reading the catalog");
    if (id == 0)
        return sol__err(err, SOL_ENOTFOUND,
                        "no version %d of source '%s'; 'solidata catalog' lists the versions",
                        version, name);
    if (current)
        return sol__err(err, SOL_EINVAL, "version %d of source '%s' is the current one", version,
                        name);
    if (kept == 0)
        return sol__err(err, SOL_ENOTFOUND,
                        "version %d of source '%s' was superseded before the store kept "
                        "superseded versions (or held no value): it cannot be restored",
                        version, name);
    int64_t cur = 0;
    int cur_version = 0;
    char sha[65];
    sol_status rc = sol_store_source_current(st, name, &cur, &cur_version, sha, err);
    if (rc == SOL_ENOTFOUND)
        cur = 0;
    else if (rc != SOL_OK)
        return rc;
    int64_t n = 0;
    if ((cur && (rc = sol_store_source_supersede(st, cur, err)) != SOL_OK) ||
        (rc = exec_id(st,
                      "INSERT INTO observation (indicator_id, area_id, period_id, value, se, flags,"
                      " source_id) SELECT indicator_id, area_id, period_id, value, se, flags,"
                      " source_id FROM observation_archive WHERE source_id = ?1",
                      id, &n, "restoring the version's values", err)) != SOL_OK ||
        (rc = exec_id(st, "DELETE FROM observation_archive WHERE source_id = ?1", id, NULL,
                      "restoring the version's values", err)) != SOL_OK ||
        (rc = exec_id(st, "UPDATE source SET status = 'current' WHERE id = ?1", id, NULL,
                      "restoring the version", err)) != SOL_OK)
        return rc;
    if (restored)
        *restored = n;
    return SOL_OK;
}

sol_status sol_store_source_last_version(sol_store *st, const char *name, int *version,
                                         sol_error *err)
{
    sol_dbstmt *s =
        sol__store_prepare(st, "SELECT coalesce(max(version), 0) FROM source WHERE name = ?1",
                           "reading the catalog", err);
    if (s == NULL)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, name);
    int r = sol_db_step(s);
    if (r == SOL_DB_ROW)
        *version = sol_db_column_int(s, 0);
    return sol__store_walk_end(st, s, r, "reading the catalog", err);
}

sol_status sol_store_source_remove(sol_store *st, const char *name, int *version, int64_t *removed,
                                   sol_error *err)
{
    if (st->version < 7)
        return sol__err(err, SOL_EVERSION, "this store keeps no superseded version (schema %d)",
                        st->version);
    int last = 0;
    sol_status rc = sol_store_source_last_version(st, name, &last, err);
    if (rc != SOL_OK)
        return rc;
    if (last == 0)
        return sol__err(err, SOL_ENOTFOUND, "no source '%s' in the store", name);
    int64_t cur = 0;
    int cur_version = 0;
    char sha[65];
    rc = sol_store_source_current(st, name, &cur, &cur_version, sha, err);
    if (rc == SOL_ENOTFOUND)
        return sol__err(err, SOL_EINVAL,
                        "source '%s' is already removed (no version of it is current); 'solidata "
                        "source restore %s --version N' brings a version back",
                        name, name);
    if (rc != SOL_OK)
        return rc;
    int64_t n = 0;
    int areas = 0;
    sol_dbstmt *s = sol__store_prepare(st,
                                       "SELECT (SELECT count(*) FROM observation WHERE"
                                       " source_id = ?1), connector LIKE 'ogr:%' FROM source"
                                       " WHERE id = ?1",
                                       "reading the values", err);
    if (s == NULL)
        return sol__store_status(st);
    sol_db_bind_int64(s, 1, cur);
    int r = sol_db_step(s);
    if (r == SOL_DB_ROW) {
        n = sol_db_column_int64(s, 0);
        areas = sol_db_column_int(s, 1);
    }
    if ((rc = sol__store_walk_end(st, s, r, "reading the values", err)) != SOL_OK)
        return rc;
    if (areas)
        return sol__err(err, SOL_EINVAL,
                        "source '%s' is an area layer: the values of other sources refer to its "
                        "areas, so it cannot be removed; import a corrected layer instead",
                        name);
    if ((rc = sol_store_source_supersede(st, cur, err)) != SOL_OK)
        return rc;
    if (version)
        *version = cur_version;
    if (removed)
        *removed = n;
    return SOL_OK;
}
