/* db.h - private to src/store: the one database interface the store speaks, over SQLite (a file)
 * or PostgreSQL (libpq). Its shape is SQLite's (prepare, bind, step, column, finalize) so that
 * the store's code reads the same on both; the result codes are SQLite's, and the PostgreSQL side
 * maps its SQLSTATEs onto them (23505 -> SOL_DB_CONSTRAINT_UNIQUE, ...).
 *
 * SQL is written once for both where it can be: `?N` placeholders (the PostgreSQL side numbers
 * them `$N`), `RETURNING`, `ON CONFLICT`, standard functions. Where the dialects differ, the code
 * asks sol_db_backend() and says both. */
#ifndef SOL_STORE_DB_H
#define SOL_STORE_DB_H

#include <stddef.h>
#include <stdint.h>

typedef struct sol_db sol_db;
typedef struct sol_dbstmt sol_dbstmt;

typedef enum { SOL_DB_SQLITE, SOL_DB_POSTGRESQL } sol_db_backend_kind;

/* Result codes: SQLite's values, so that the SQLite side passes them through. */
enum {
    SOL_DB_OK = 0,
    SOL_DB_ERROR = 1,
    SOL_DB_BUSY = 5,
    SOL_DB_NOMEM = 7,
    SOL_DB_CONSTRAINT = 19,
    SOL_DB_ROW = 100,
    SOL_DB_DONE = 101,
    SOL_DB_CONSTRAINT_CHECK = 19 | (1 << 8),
    SOL_DB_CONSTRAINT_FOREIGNKEY = 19 | (3 << 8),
    SOL_DB_CONSTRAINT_PRIMARYKEY = 19 | (6 << 8),
    SOL_DB_CONSTRAINT_TRIGGER = 19 | (7 << 8),
    SOL_DB_CONSTRAINT_UNIQUE = 19 | (8 << 8),
};

/* Column types (SQLite's values). */
enum { SOL_DB_INTEGER = 1, SOL_DB_FLOAT = 2, SOL_DB_TEXT = 3, SOL_DB_BLOB = 4, SOL_DB_NULL = 5 };

/* Open flags */
enum { SOL_DB_OPEN_CREATE = 1, SOL_DB_OPEN_READONLY = 2 };

/* 1 when `target` names a PostgreSQL database (postgresql://, postgres://, or a libpq
 * "key=value" connection string, or "service=NAME"), 0 for a file path. */
int sol_db_is_postgresql(const char *target);

/* `target` as it may be printed: a PostgreSQL address without its password (allocated; the
 * caller frees it with sol__free), a file path as it is. NULL when out of memory. */
char *sol_db_display_name(const char *target);

/* Open `target`. On failure *out may hold a handle whose sol_db_errmsg says why (close it). */
int sol_db_open(const char *target, int flags, sol_db **out);
void sol_db_close(sol_db *db);
/* After a failed open of a PostgreSQL store: 1 when the server was reached and refused the login
 * (it asked for a password, and none or a wrong one was given), whatever its language. */
int sol_db_login_refused(const sol_db *db);
sol_db_backend_kind sol_db_backend(const sol_db *db);
const char *sol_db_errmsg(const sol_db *db);
/* 1 when the last failure on the connection was for want of memory (so that the caller says
 * SOL_ENOMEM, not that the store is broken). Safe on NULL (1: the handle itself was not made). */
int sol_db_out_of_memory(const sol_db *db);
/* The SQLite handle of a file store (NULL on PostgreSQL), for what only SQLite has (PRAGMA). */
struct sqlite3 *sol_db_sqlite(sol_db *db);

/* Run one or more statements without results. */
int sol_db_exec(sol_db *db, const char *sql);
/* SQLite: fn(ud, count) decides whether to wait again when the file is locked (sqlite3's busy
 * handler; 0: give up with SOL_DB_BUSY). PostgreSQL: nothing (its waits are the store's). */
void sol_db_set_busy(sol_db *db, int (*fn)(void *, int), void *ud);
/* 1 when no transaction is open on the connection. */
int sol_db_autocommit(sol_db *db);
/* Rows changed by the last INSERT, UPDATE or DELETE. */
int64_t sol_db_changes(sol_db *db);
/* The id given by the last INSERT into a table with an INTEGER PRIMARY KEY / identity column. */
int64_t sol_db_last_insert_id(sol_db *db);

/* PostgreSQL only: COPY ... FROM STDIN (`sql`) fed the `n` bytes of `data` (COPY's text format),
 * all or nothing; SOL_DB_ERROR on SQLite. */
int sol_db_copy(sol_db *db, const char *sql, const char *data, size_t n);
/* PostgreSQL only: after a failed sol_db_copy, the row of its data (from 0) the server stopped
 * at, when it said; else -1 (and always on SQLite). */
int64_t sol_db_copy_row(sol_db *db);

/* A statement: `persistent` for one kept on the handle and reused, SOL_DB_STREAM for a SELECT
 * whose rows may be too many to hold (an export): on PostgreSQL read through a cursor, a block of
 * rows at a time, instead of the whole result at once (SQLite always steps row by row). */
enum { SOL_DB_STREAM = 2 };
int sol_db_prepare(sol_db *db, const char *sql, int persistent, sol_dbstmt **out);
int sol_db_bind_int64(sol_dbstmt *s, int i, int64_t v);
int sol_db_bind_int(sol_dbstmt *s, int i, int v);
int sol_db_bind_double(sol_dbstmt *s, int i, double v);
/* Copied; n < 0: up to the NUL. */
int sol_db_bind_text(sol_dbstmt *s, int i, const char *v, int n);
int sol_db_bind_null(sol_dbstmt *s, int i);
int sol_db_step(sol_dbstmt *s);
int sol_db_reset(sol_dbstmt *s);
int sol_db_clear_bindings(sol_dbstmt *s);
/* Safe on NULL. */
int sol_db_finalize(sol_dbstmt *s);
int sol_db_column_type(sol_dbstmt *s, int i);
int64_t sol_db_column_int64(sol_dbstmt *s, int i);
int sol_db_column_int(sol_dbstmt *s, int i);
double sol_db_column_double(sol_dbstmt *s, int i);
/* Valid until the next step, reset or finalize; NULL for SQL NULL. */
const char *sol_db_column_text(sol_dbstmt *s, int i);
int sol_db_column_bytes(sol_dbstmt *s, int i);

#endif
