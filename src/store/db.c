/* db.c - the store's database interface (db.h): SQLite here, PostgreSQL in db_pg.c. */
#include "db.h"
#include "db_pg.h"

#include "core/core.h"

#include <sqlite3.h>

#include <stdio.h>
#include <string.h>

struct sol_db {
    sol_db_backend_kind kind;
    sqlite3 *lite;
    struct sol_pg *pg;
    int nomem; /* the last prepare failed for want of memory on this side of the interface */
};

struct sol_dbstmt {
    sol_db *db;
    sqlite3_stmt *lite;
    struct sol_pgstmt *pg;
};

int sol_db_is_postgresql(const char *t)
{
    if (t == NULL)
        return 0;
    if (strncmp(t, "postgresql://", 13) == 0 || strncmp(t, "postgres://", 11) == 0)
        return 1;
    /* a libpq keyword/value string: "host=... dbname=..." or "service=NAME" */
    const char *eq = strchr(t, '=');
    return eq != NULL && strchr(t, '/') == NULL && eq > t && eq[-1] != ' ' &&
           strspn(t, "abcdefghijklmnopqrstuvwxyz_") == (size_t)(eq - t);
}

char *sol_db_display_name(const char *target)
{
    return sol_db_is_postgresql(target) ? sol__pg_redact(target) : sol__strdup(target);
}

int sol_db_open(const char *target, int flags, sol_db **out)
{
    sol_db *db = sol__calloc(1, sizeof *db);
    *out = db;
    if (db == NULL)
        return SOL_DB_NOMEM;
    if (sol_db_is_postgresql(target)) {
        db->kind = SOL_DB_POSTGRESQL;
        return sol__pg_open(target, &db->pg);
    }
    db->kind = SOL_DB_SQLITE;
    int f = SQLITE_OPEN_NOMUTEX;
    f |= flags & SOL_DB_OPEN_READONLY ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (flags & SOL_DB_OPEN_CREATE)
        f |= SQLITE_OPEN_CREATE;
    int r = sqlite3_open_v2(target, &db->lite, f, NULL);
    if (db->lite) {
        sqlite3_extended_result_codes(db->lite, 1);
        sqlite3_busy_timeout(db->lite, 5000);
    }
    return r;
}

int sol_db_login_refused(const sol_db *db)
{
    return db && db->kind == SOL_DB_POSTGRESQL && sol__pg_login_refused(db->pg);
}

void sol_db_close(sol_db *db)
{
    if (db == NULL)
        return;
    if (db->kind == SOL_DB_POSTGRESQL)
        sol__pg_close(db->pg);
    else
        sqlite3_close(db->lite);
    sol__free(db);
}

sol_db_backend_kind sol_db_backend(const sol_db *db)
{
    return db->kind;
}

const char *sol_db_errmsg(const sol_db *db)
{
    if (db == NULL || db->nomem)
        return "out of memory";
    if (db->kind == SOL_DB_POSTGRESQL)
        return sol__pg_errmsg(db->pg);
    return db->lite ? sqlite3_errmsg(db->lite) : "out of memory";
}

int sol_db_out_of_memory(const sol_db *db)
{
    if (db == NULL || db->nomem)
        return 1;
    if (db->kind == SOL_DB_POSTGRESQL)
        return 0;
    return db->lite == NULL || sqlite3_errcode(db->lite) == SQLITE_NOMEM;
}

struct sqlite3 *sol_db_sqlite(sol_db *db)
{
    return db->kind == SOL_DB_SQLITE ? db->lite : NULL;
}

void sol_db_set_busy(sol_db *db, int (*fn)(void *, int), void *ud)
{
    if (db->kind == SOL_DB_SQLITE && db->lite)
        sqlite3_busy_handler(db->lite, fn, ud);
}

int sol_db_exec(sol_db *db, const char *sql)
{
    if (db->kind == SOL_DB_POSTGRESQL)
        return sol__pg_exec(db->pg, sql);
    return sqlite3_exec(db->lite, sql, NULL, NULL, NULL);
}

int sol_db_autocommit(sol_db *db)
{
    if (db->kind == SOL_DB_POSTGRESQL)
        return sol__pg_autocommit(db->pg);
    return sqlite3_get_autocommit(db->lite);
}

int64_t sol_db_changes(sol_db *db)
{
    if (db->kind == SOL_DB_POSTGRESQL)
        return sol__pg_changes(db->pg);
    return sqlite3_changes64(db->lite);
}

int64_t sol_db_last_insert_id(sol_db *db)
{
    if (db->kind == SOL_DB_POSTGRESQL)
        return sol__pg_last_insert_id(db->pg);
    return sqlite3_last_insert_rowid(db->lite);
}

int sol_db_copy(sol_db *db, const char *sql, const char *data, size_t n)
{
    return db->kind == SOL_DB_POSTGRESQL ? sol__pg_copy(db->pg, sql, data, n) : SOL_DB_ERROR;
}

int64_t sol_db_copy_row(sol_db *db)
{
    return db->kind == SOL_DB_POSTGRESQL ? sol__pg_copy_row(db->pg) : -1;
}

int sol_db_prepare(sol_db *db, const char *sql, int persistent, sol_dbstmt **out)
{
    *out = NULL;
    sol_dbstmt *s = sol__calloc(1, sizeof *s);
    db->nomem = s == NULL;
    if (s == NULL)
        return SOL_DB_NOMEM;
    s->db = db;
    int r;
    if (db->kind == SOL_DB_POSTGRESQL)
        r = sol__pg_prepare(db->pg, sql, persistent, &s->pg);
    else
        r = sqlite3_prepare_v3(db->lite, sql, -1, persistent == 1 ? SQLITE_PREPARE_PERSISTENT : 0,
                               &s->lite, NULL);
    if (r != SOL_DB_OK) {
        sol_db_finalize(s);
        return r;
    }
    *out = s;
    return SOL_DB_OK;
}

#define PG(s) ((s)->db->kind == SOL_DB_POSTGRESQL)

int sol_db_bind_int64(sol_dbstmt *s, int i, int64_t v)
{
    return PG(s) ? sol__pg_bind_int64(s->pg, i, v) : sqlite3_bind_int64(s->lite, i, v);
}

int sol_db_bind_int(sol_dbstmt *s, int i, int v)
{
    return PG(s) ? sol__pg_bind_int64(s->pg, i, v) : sqlite3_bind_int(s->lite, i, v);
}

int sol_db_bind_double(sol_dbstmt *s, int i, double v)
{
    return PG(s) ? sol__pg_bind_double(s->pg, i, v) : sqlite3_bind_double(s->lite, i, v);
}

int sol_db_bind_text(sol_dbstmt *s, int i, const char *v, int n)
{
    if (v == NULL)
        return sol_db_bind_null(s, i);
    return PG(s) ? sol__pg_bind_text(s->pg, i, v, n)
                 : sqlite3_bind_text(s->lite, i, v, n, SQLITE_TRANSIENT);
}

int sol_db_bind_null(sol_dbstmt *s, int i)
{
    return PG(s) ? sol__pg_bind_null(s->pg, i) : sqlite3_bind_null(s->lite, i);
}

int sol_db_step(sol_dbstmt *s)
{
    return PG(s) ? sol__pg_step(s->pg) : sqlite3_step(s->lite);
}

int sol_db_reset(sol_dbstmt *s)
{
    return PG(s) ? sol__pg_reset(s->pg) : sqlite3_reset(s->lite);
}

int sol_db_clear_bindings(sol_dbstmt *s)
{
    return PG(s) ? sol__pg_clear_bindings(s->pg) : sqlite3_clear_bindings(s->lite);
}

int sol_db_finalize(sol_dbstmt *s)
{
    if (s == NULL)
        return SOL_DB_OK;
    if (s->db->kind == SOL_DB_POSTGRESQL)
        sol__pg_finalize(s->pg);
    else
        sqlite3_finalize(s->lite);
    sol__free(s);
    return SOL_DB_OK;
}

int sol_db_column_type(sol_dbstmt *s, int i)
{
    return PG(s) ? sol__pg_column_type(s->pg, i) : sqlite3_column_type(s->lite, i);
}

int64_t sol_db_column_int64(sol_dbstmt *s, int i)
{
    return PG(s) ? sol__pg_column_int64(s->pg, i) : sqlite3_column_int64(s->lite, i);
}

int sol_db_column_int(sol_dbstmt *s, int i)
{
    return PG(s) ? (int)sol__pg_column_int64(s->pg, i) : sqlite3_column_int(s->lite, i);
}

double sol_db_column_double(sol_dbstmt *s, int i)
{
    return PG(s) ? sol__pg_column_double(s->pg, i) : sqlite3_column_double(s->lite, i);
}

const char *sol_db_column_text(sol_dbstmt *s, int i)
{
    return PG(s) ? sol__pg_column_text(s->pg, i) : (const char *)sqlite3_column_text(s->lite, i);
}

int sol_db_column_bytes(sol_dbstmt *s, int i)
{
    return PG(s) ? sol__pg_column_bytes(s->pg, i) : sqlite3_column_bytes(s->lite, i);
}
