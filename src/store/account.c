/* account.c - the server's accounts, the append-only audit log, and the coverage of each
 * indicator (which levels and periods have values), all through bound SQL statements. */
#include <solidata/store.h>

#include "store_int.h"

#include <stdio.h>
#include <string.h>

static const char *text(sol_dbstmt *s, int i)
{
    return (const char *)sol_db_column_text(s, i);
}

/* The name of the account whose name equals `name` ignoring case, into out; 0 when none. Names
 * are ASCII (sol_auth_check_name), so SQLite's NOCASE is the whole case folding. */
static int folded_taken(sol_store *st, const char *name, char *out, size_t cap, int *sqlrc)
{
    sol_dbstmt *s = NULL;
    *sqlrc = sol_db_prepare(
        st->db, "SELECT name FROM account WHERE name = ?1 COLLATE NOCASE LIMIT 1", 0, &s);
    if (*sqlrc != SOL_DB_OK)
        return 0;
    int found = 0;
    if ((*sqlrc = sol__store_bind_text(s, 1, name)) == SOL_DB_OK) {
        *sqlrc = sol_db_step(s);
        if (*sqlrc == SOL_DB_ROW) {
            snprintf(out, cap, "%s", text(s, 0) ? text(s, 0) : "");
            found = 1;
            *sqlrc = SOL_DB_OK;
        } else if (*sqlrc == SOL_DB_DONE) {
            *sqlrc = SOL_DB_OK;
        }
    }
    sol_db_finalize(s);
    return found;
}

sol_status sol_store_account_add(sol_store *st, const char *name, const char *role,
                                 const char *pwhash, const char *created_by, sol_error *err)
{
    sol_dbstmt *s = NULL;
    char now[32], taken[256];
    sol__utc_now(now, sizeof now);
    int own, rc;
    sol_status st_rc = sol_store_join(st, &own, err);
    if (st_rc != SOL_OK)
        return st_rc;
    /* one account per case-folded name: "adm" and "ADM" would be two people to the audit log
     * and one to a reader */
    if (folded_taken(st, name ? name : "", taken, sizeof taken, &rc)) {
        st_rc = sol__err(err, SOL_EDUPLICATE,
                         "an account called '%s' already exists (names are compared ignoring "
                         "case)",
                         taken);
        return sol_store_leave(st, own, st_rc, err);
    }
    if (rc != SOL_DB_OK)
        return sol_store_leave(st, own, sol__store_fail(st, err, "adding an account"), err);
    if ((s = sol__store_prepare(st,
                                "INSERT INTO account (name, role, pwhash, created_at, created_by) "
                                "VALUES (?1, ?2, ?3, ?4, ?5)",
                                "adding an account", err)) == NULL)
        return sol_store_leave(st, own, SOL_ESTORE, err);
    if ((rc = sol__store_bind_text(s, 1, name)) == SOL_DB_OK &&
        (rc = sol__store_bind_text(s, 2, role)) == SOL_DB_OK &&
        (rc = sol__store_bind_text(s, 3, pwhash)) == SOL_DB_OK &&
        (rc = sol__store_bind_text(s, 4, now)) == SOL_DB_OK &&
        (rc = sol__store_bind_text(s, 5, created_by)) == SOL_DB_OK)
        rc = sol_db_step(s);
    sol_db_finalize(s);
    if (rc == SOL_DB_CONSTRAINT_UNIQUE)
        st_rc = sol__err(err, SOL_EDUPLICATE, "an account called '%s' already exists", name);
    else if (rc == SOL_DB_CONSTRAINT_CHECK)
        st_rc = sol__err(err, SOL_EINVAL, "role '%s': expected public, analyst or admin", role);
    else if (rc != SOL_DB_DONE)
        st_rc = sol__store_fail(st, err, "adding an account");
    return sol_store_leave(st, own, st_rc, err);
}

static sol_status walk_accounts(sol_store *st, sol_dbstmt *s, sol_account_cb cb, void *ud, int *n,
                                sol_error *err)
{
    int r;
    *n = 0;
    while ((r = sol_db_step(s)) == SOL_DB_ROW) {
        sol_account a = {.id = sol_db_column_int64(s, 0),
                         .name = text(s, 1),
                         .role = text(s, 2),
                         .pwhash = text(s, 3),
                         .created_at = text(s, 4),
                         .created_by = text(s, 5)};
        (*n)++;
        if (cb(ud, &a))
            break;
    }
    return sol__store_walk_end(st, s, r, "reading accounts", err);
}

sol_status sol_store_account_get(sol_store *st, const char *name, sol_account_cb cb, void *ud,
                                 sol_error *err)
{
    sol_dbstmt *s = NULL;
    if ((s = sol__store_prepare(
             st,
             "SELECT id, name, role, pwhash, created_at, created_by FROM account "
             "WHERE name = ?1 COLLATE NOCASE ORDER BY name = ?1 DESC, id LIMIT 1",
             "reading an account", err)) == NULL)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, name);
    int n;
    sol_status rc = walk_accounts(st, s, cb, ud, &n, err);
    if (rc == SOL_OK && n == 0)
        return sol__err(err, SOL_ENOTFOUND, "no account called '%s'", name);
    return rc;
}

sol_status sol_store_accounts(sol_store *st, sol_account_cb cb, void *ud, sol_error *err)
{
    sol_dbstmt *s = NULL;
    if ((s = sol__store_prepare(st,
                                "SELECT id, name, role, NULL, created_at, created_by FROM account "
                                "ORDER BY name",
                                "reading accounts", err)) == NULL)
        return sol__store_status(st);
    int n;
    return walk_accounts(st, s, cb, ud, &n, err);
}

sol_status sol_store_audit_append(sol_store *st, const char *who, const char *action,
                                  const char *detail, sol_error *err)
{
    /* every entry joins the hash chain (src/store/privacy.c) */
    return sol_audit_append(st, who, action, detail, NULL, err);
}

sol_status sol_store_audit(sol_store *st, size_t limit, sol_audit_cb cb, void *ud, sol_error *err)
{
    sol_dbstmt *s = NULL;
    if ((s = sol__store_prepare(st,
                                "SELECT id, at, who, action, detail FROM audit ORDER BY id DESC "
                                "LIMIT ?1",
                                "reading the audit log", err)) == NULL)
        return sol__store_status(st);
    sol_db_bind_int64(s, 1, limit ? (int64_t)limit : INT64_MAX); /* no LIMIT -1 on PostgreSQL */
    int r;
    while ((r = sol_db_step(s)) == SOL_DB_ROW) {
        sol_audit_row a = {.id = sol_db_column_int64(s, 0),
                           .at = text(s, 1),
                           .who = text(s, 2),
                           .action = text(s, 3),
                           .detail = text(s, 4)};
        if (cb(ud, &a))
            break;
    }
    return sol__store_walk_end(st, s, r, "reading the audit log", err);
}

sol_status sol_store_coverage(sol_store *st, sol_coverage_cb cb, void *ud, sol_error *err)
{
    sol_dbstmt *s = NULL;
    if ((s = sol__store_prepare(
             st,
             "SELECT i.code, a.level, p.label, count(*) FROM observation o "
             "JOIN indicator i ON i.id = o.indicator_id "
             "JOIN area a ON a.id = o.area_id JOIN period p ON p.id = o.period_id "
             "GROUP BY i.code, a.level, p.label, p.freq, p.idx "
             "ORDER BY i.code, a.level, p.freq, p.idx",
             "reading the coverage", err)) == NULL)
        return sol__store_status(st);
    int r;
    while ((r = sol_db_step(s)) == SOL_DB_ROW) {
        if (cb(ud, text(s, 0), text(s, 1), text(s, 2), sol_db_column_int64(s, 3)))
            break;
    }
    return sol__store_walk_end(st, s, r, "reading the coverage", err);
}
