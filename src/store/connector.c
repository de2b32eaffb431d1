/* connector.c - the connectors' rows (migration 10): a connector with its query, schedule and
 * the validators of its last response, one row per fetch, and the values of a source version
 * (to tell what a new version revised). */
#include <solidata/connect.h>

#include "store_int.h"

#include <string.h>

sol_status sol_store_connector_add(sol_store *st, const sol_connector *c, int64_t *id,
                                   sol_error *err)
{
    const char *what = "recording a connector";
    sol_dbstmt *s = sol__store_prepare(
        st,
        "INSERT INTO connector (name, kind, provider, query, every_seconds, created_at, "
        "created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        what, err);
    if (!s)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, c->name);
    sol__store_bind_text(s, 2, c->kind);
    sol__store_bind_text(s, 3, c->provider);
    sol__store_bind_text(s, 4, c->query);
    if (c->every_seconds > 0)
        sol_db_bind_int64(s, 5, c->every_seconds);
    sol__store_bind_text(s, 6, c->created_at);
    sol__store_bind_text(s, 7, c->created_by);
    int r = sol_db_step(s);
    sol_db_finalize(s);
    if ((r & 0xff) == SOL_DB_CONSTRAINT)
        return sol__err(err, SOL_EDUPLICATE,
                        "a connector called '%s' exists: choose another name or remove it first",
                        c->name);
    if (r != SOL_DB_DONE)
        return sol__store_fail(st, err, what);
    if (id)
        *id = sol_db_last_insert_id(st->db);
    return SOL_OK;
}

static const char *text(sol_dbstmt *s, int i)
{
    return (const char *)sol_db_column_text(s, i);
}

sol_status sol_store_connectors(sol_store *st, const char *name, sol_connector_cb cb, void *ud,
                                sol_error *err)
{
    const char *what = "reading the connectors";
    sol_dbstmt *s = sol__store_prepare(
        st,
        "SELECT c.id, c.name, c.kind, c.provider, c.query, c.every_seconds, c.etag, "
        "c.last_modified, c.sha256, c.last_checked_at, c.last_changed_at, c.created_at, "
        "c.created_by, f.outcome, f.detail, f.added, f.revised, f.removed, "
        "json_extract(c.query, '$.dataflow'), json_extract(c.query, '$.key') "
        "FROM connector c LEFT JOIN connector_fetch f ON f.id = "
        "(SELECT max(id) FROM connector_fetch WHERE connector_id = c.id) "
        "WHERE ?1 IS NULL OR c.name = ?1 ORDER BY c.name",
        what, err);
    if (!s)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, name);
    int r, n = 0;
    while ((r = sol_db_step(s)) == SOL_DB_ROW) {
        sol_connector c = {
            .id = sol_db_column_int64(s, 0),
            .name = text(s, 1),
            .kind = text(s, 2),
            .provider = text(s, 3),
            .query = text(s, 4),
            .every_seconds = sol_db_column_int64(s, 5),
            .etag = text(s, 6),
            .last_modified = text(s, 7),
            .sha256 = text(s, 8),
            .last_checked_at = text(s, 9),
            .last_changed_at = text(s, 10),
            .created_at = text(s, 11),
            .created_by = text(s, 12),
            .last_outcome = text(s, 13),
            .last_detail = text(s, 14),
            .last_added = sol_db_column_int64(s, 15),
            .last_revised = sol_db_column_int64(s, 16),
            .last_removed = sol_db_column_int64(s, 17),
            .dataflow = text(s, 18),
            .key = text(s, 19),
        };
        n++;
        if (cb(ud, &c))
            break;
    }
    sol_status rc = sol__store_walk_end(st, s, r, what, err);
    if (rc == SOL_OK && name && n == 0)
        return sol__err(err, SOL_ENOTFOUND,
                        "no connector called '%s': 'solidata connect list' lists them", name);
    return rc;
}

sol_status sol_store_connector_delete(sol_store *st, const char *name, sol_error *err)
{
    const char *what = "removing a connector";
    sol_dbstmt *s = sol__store_prepare(
        st,
        "DELETE FROM connector_fetch WHERE connector_id = (SELECT id FROM connector WHERE name "
        "= ?1)",
        what, err);
    if (!s)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, name);
    sol_status rc = sol__store_step_done(st, s, what, err);
    if (rc != SOL_OK)
        return rc;
    if (!(s = sol__store_prepare(st, "DELETE FROM connector WHERE name = ?1", what, err)))
        return sol__store_status(st);
    sol__store_bind_text(s, 1, name);
    if ((rc = sol__store_step_done(st, s, what, err)) != SOL_OK)
        return rc;
    if (sol_db_changes(st->db) == 0)
        return sol__err(err, SOL_ENOTFOUND,
                        "no connector called '%s': 'solidata connect list' lists them", name);
    return SOL_OK;
}

sol_status sol_store_connector_fetched(sol_store *st, const sol_connector_fetch *f, sol_error *err)
{
    const char *what = "recording a fetch";
    char now[32];
    sol__utc_now(now, sizeof now);
    sol_dbstmt *s = sol__store_prepare(
        st,
        "INSERT INTO connector_fetch (connector_id, at, outcome, http_status, sha256, source_id, "
        "added, revised, removed, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        what, err);
    if (!s)
        return sol__store_status(st);
    sol_db_bind_int64(s, 1, f->connector_id);
    sol__store_bind_text(s, 2, now);
    sol__store_bind_text(s, 3, f->outcome);
    if (f->http_status > 0)
        sol_db_bind_int64(s, 4, f->http_status);
    sol__store_bind_text(s, 5, f->sha256 && *f->sha256 ? f->sha256 : NULL);
    if (f->source_id > 0)
        sol_db_bind_int64(s, 6, f->source_id);
    sol_db_bind_int64(s, 7, f->added);
    sol_db_bind_int64(s, 8, f->revised);
    sol_db_bind_int64(s, 9, f->removed);
    sol__store_bind_text(s, 10, f->detail);
    sol_status rc = sol__store_step_done(st, s, what, err);
    if (rc != SOL_OK)
        return rc;
    /* validators are kept from the last response that had them (a 304 carries none) */
    if (!(s = sol__store_prepare(st,
                                 "UPDATE connector SET last_checked_at = ?2, "
                                 "etag = coalesce(?3, etag), "
                                 "last_modified = coalesce(?4, last_modified), "
                                 "sha256 = coalesce(?5, sha256), "
                                 "last_changed_at = CASE WHEN ?6 THEN ?2 ELSE last_changed_at END "
                                 "WHERE id = ?1",
                                 what, err)))
        return sol__store_status(st);
    sol_db_bind_int64(s, 1, f->connector_id);
    sol__store_bind_text(s, 2, now);
    sol__store_bind_text(s, 3, f->etag && *f->etag ? f->etag : NULL);
    sol__store_bind_text(s, 4, f->last_modified && *f->last_modified ? f->last_modified : NULL);
    sol__store_bind_text(s, 5, f->sha256 && *f->sha256 ? f->sha256 : NULL);
    sol_db_bind_int(s, 6, f->changed ? 1 : 0);
    return sol__store_step_done(st, s, what, err);
}

sol_status sol_store_source_values(sol_store *st, int64_t source_id, sol_value_cb cb, void *ud,
                                   sol_error *err)
{
    const char *what = "reading a source's values";
    sol_dbstmt *s = sol__store_prepare(
        st,
        "SELECT a.code, a.name, i.code, coalesce(i.label_it, i.label), p.label, v.value FROM "
        "(SELECT indicator_id, area_id, period_id, value FROM observation WHERE source_id = ?1 "
        " UNION ALL SELECT indicator_id, area_id, period_id, value FROM observation_archive "
        " WHERE source_id = ?1) v "
        "JOIN area a ON a.id = v.area_id JOIN indicator i ON i.id = v.indicator_id "
        "JOIN period p ON p.id = v.period_id",
        what, err);
    if (!s)
        return sol__store_status(st);
    sol_db_bind_int64(s, 1, source_id);
    int r;
    while ((r = sol_db_step(s)) == SOL_DB_ROW)
        if (cb(ud, text(s, 0), text(s, 1), text(s, 2), text(s, 3), text(s, 4),
               sol_db_column_double(s, 5)))
            break;
    return sol__store_walk_end(st, s, r, what, err);
}

sol_status sol_store_connector_source_origin(sol_store *st, int64_t source_id, const char *url,
                                             const char *kind, sol_error *err)
{
    const char *what = "recording where a source comes from";
    sol_dbstmt *s = sol__store_prepare(
        st, "UPDATE source SET location = ?2, connector = ?3 WHERE id = ?1", what, err);
    if (!s)
        return sol__store_status(st);
    sol_db_bind_int64(s, 1, source_id);
    sol__store_bind_text(s, 2, url);
    sol__store_bind_text(s, 3, kind);
    return sol__store_step_done(st, s, what, err);
}

sol_status sol_store_area_drop_unused(sol_store *st, const char *code, sol_error *err)
{
    const char *what = "removing an area added for a refresh";
    sol_dbstmt *s = sol__store_prepare(
        st,
        "DELETE FROM area WHERE code = ?1 AND NOT EXISTS (SELECT 1 FROM observation o WHERE "
        "o.area_id = area.id) AND NOT EXISTS (SELECT 1 FROM observation_archive o WHERE "
        "o.area_id = area.id)",
        what, err);
    if (!s)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, code);
    return sol__store_step_done(st, s, what, err);
}
