/* store.c - opening, checking and migrating the SQLite store; transactions; catalog, areas,
 * indicators, periods and observations. The only place (with schema.c) that speaks SQL. */
#include <solidata/store.h>
#include <solidata/version.h>
#include <solidata/withhold.h>

#include "store_int.h"

#include <jansson.h>

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const stmt_sql[STMT_COUNT] = {
    [STMT_OBS_INSERT] = "INSERT INTO observation (indicator_id, area_id, period_id, value, se, "
                        "flags, source_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [STMT_OBS_SOURCE] = "SELECT source_id FROM observation WHERE indicator_id = ?1 AND "
                        "area_id = ?2 AND period_id = ?3",
    [STMT_AREA_UPSERT] =
        "INSERT INTO area (code, name, level, parent_code, geometry, crs_original, min_lon, "
        "min_lat, max_lon, max_lat, centroid_lon, centroid_lat, source_id) VALUES (?1, ?2, ?3, "
        "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT (code) DO UPDATE SET "
        "name = excluded.name, level = excluded.level, parent_code = excluded.parent_code, "
        "geometry = excluded.geometry, crs_original = excluded.crs_original, "
        "min_lon = excluded.min_lon, min_lat = excluded.min_lat, max_lon = excluded.max_lon, "
        "max_lat = excluded.max_lat, centroid_lon = excluded.centroid_lon, "
        "centroid_lat = excluded.centroid_lat, source_id = excluded.source_id",
    [STMT_AREA_ID] = "SELECT id FROM area WHERE code = ?1",
    [STMT_IND_INSERT] = "INSERT INTO indicator (code, label, unit, polarity, dimension, "
                        "source_id) VALUES (?1, ?2, ?3, ?4, ?5, NULL)",
    [STMT_IND_UPDATE] = "UPDATE indicator SET label = coalesce(?2, label), unit = coalesce(?3, "
                        "unit), polarity = CASE WHEN ?4 = 0 THEN polarity ELSE ?4 END, "
                        "dimension = coalesce(?5, dimension) WHERE id = ?1",
    [STMT_IND_ID] = "SELECT id FROM indicator WHERE code = ?1",
    [STMT_PERIOD_INSERT] = "INSERT INTO period (label, freq, idx) VALUES (?1, ?2, ?3)",
    [STMT_PERIOD_ID] = "SELECT id FROM period WHERE label = ?1",
};

sol_status sol__store_fail(sol_store *st, sol_error *err, const char *what)
{
    const char *m = st->db ? sol_db_errmsg(st->db) : "no database";
    snprintf(st->errmsg, sizeof st->errmsg, "%s: %s", what, m);
    if (st->db && sol_db_out_of_memory(st->db))
        return sol__err(err, SOL_ENOMEM, "out of memory %s", what);
    return sol__err_at(err, SOL_ESTORE, st->path, 0, 0, "%s: %s", what, m);
}

sol_status sol__store_status(const sol_store *st)
{
    return st->db && sol_db_out_of_memory(st->db) ? SOL_ENOMEM : SOL_ESTORE;
}

sol_dbstmt *sol__store_prepare(sol_store *st, const char *sql, const char *what, sol_error *err)
{
    sol_dbstmt *s = NULL;
    if (sol_db_prepare(st->db, sql, 0, &s) != SOL_DB_OK) {
        sol__store_fail(st, err, what);
        return NULL;
    }
    return s;
}

int sol__store_bind_text(sol_dbstmt *s, int i, const char *v)
{
    return v ? sol_db_bind_text(s, i, v, -1) : sol_db_bind_null(s, i);
}

sol_status sol__store_step_done(sol_store *st, sol_dbstmt *s, const char *what, sol_error *err)
{
    int r = sol_db_step(s);
    sol_db_finalize(s);
    return r == SOL_DB_DONE ? SOL_OK : sol__store_fail(st, err, what);
}

sol_status sol__store_walk_end(sol_store *st, sol_dbstmt *s, int r, const char *what,
                               sol_error *err)
{
    sol_db_finalize(s);
    return r == SOL_DB_ROW || r == SOL_DB_DONE ? SOL_OK : sol__store_fail(st, err, what);
}

/* The database's message for the statement that just failed. */
static sol_status db_fail(sol_store *st, sol_error *err)
{
    const char *msg = sol_db_errmsg(st->db);
    snprintf(st->errmsg, sizeof st->errmsg, "%s", msg);
    return sol__err_at(err, SOL_ESTORE, st->path, 0, 0, "%s", msg);
}

static sol_status exec(sol_store *st, const char *sql, sol_error *err)
{
    return sol_db_exec(st->db, sql) == SOL_DB_OK ? SOL_OK : db_fail(st, err);
}

static int64_t pragma_int(sol_db *db, const char *sql, int *ok)
{
    sol_dbstmt *s = NULL;
    int64_t v = 0;
    *ok = 0;
    if (sol_db_prepare(db, sql, 0, &s) == SOL_DB_OK && sol_db_step(s) == SOL_DB_ROW) {
        v = sol_db_column_int64(s, 0);
        *ok = 1;
    }
    sol_db_finalize(s);
    return v;
}

static int is_pg(const sol_store *st)
{
    return sol_db_backend(st->db) == SOL_DB_POSTGRESQL;
}

/* The PostgreSQL store's version, read under the writers' lock: another process may have made
 * or upgraded it since this one looked. */
static sol_status pg_version_locked(sol_store *st, int *from, sol_error *err)
{
    int ok;
    if (pragma_int(st->db, "SELECT to_regclass('solidata_meta') IS NOT NULL", &ok) == 0)
        return SOL_OK;
    int64_t v = pragma_int(st->db, "SELECT max(user_version) FROM solidata_meta", &ok);
    if (!ok)
        return sol__store_fail(st, err, "reading the store schema version");
    *from = (int)v;
    return SOL_OK;
}

static sol_status migrate(sol_store *st, int from, int to, sol_error *err)
{
    sol_status rc;
    if ((rc = sol_store_begin(st, err)) != SOL_OK)
        return rc;
    if (is_pg(st) && ((rc = pg_version_locked(st, &from, err)) != SOL_OK ||
                      (from == 0 && (rc = exec(st, sol__store_pg_base(), err)) != SOL_OK)))
        goto fail;
    for (int v = from + 1; v <= to; v++) {
        const char *m = is_pg(st) ? sol__store_migration_pg(v) : sol__store_migration(v);
        if ((rc = exec(st, m, err)) != SOL_OK)
            goto fail;
    }
    char sql[96];
    snprintf(sql, sizeof sql,
             is_pg(st) ? "UPDATE solidata_meta SET application_id = %d, user_version = %d"
                       : "PRAGMA application_id = %d; PRAGMA user_version = %d",
             SOL_STORE_APP_ID, to > from ? to : from);
    if ((rc = exec(st, sql, err)) != SOL_OK || (rc = sol_store_commit(st, err)) != SOL_OK)
        goto fail;
    st->version = to > from ? to : from;
    return SOL_OK;
fail:
    sol_store_rollback(st);
    if (err)
        snprintf(err->msg + strlen(err->msg), sizeof err->msg - strlen(err->msg),
                 " (while upgrading the store schema from version %d to %d; store unchanged)", from,
                 to);
    return rc;
}

/* Why a PostgreSQL server refused the connection, in the user's words; never the password. */
static sol_status pg_connect_failed(sol_store *st, sol_error *err)
{
    const char *m = st->db ? sol_db_errmsg(st->db) : "out of memory";
    if (sol_db_login_refused(st->db) || strstr(m, "password authentication failed") ||
        strstr(m, "no password supplied") || strstr(m, "authentication failed"))
        return sol__err_at(err, SOL_EIO, st->path, 0, 0,
                           "the PostgreSQL server refused the user name or password (%s); check "
                           "them in the address, in ~/.pgpass or in $PGPASSWORD",
                           m);
    if (strstr(m, "does not exist"))
        return sol__err_at(err, SOL_EIO, st->path, 0, 0,
                           "no such PostgreSQL database or role (%s); create it (createdb) or ask "
                           "the server's administrator",
                           m);
    return sol__err_at(err, SOL_EIO, st->path, 0, 0,
                       "cannot reach the PostgreSQL server (%s); check the host and port, and "
                       "that the server runs and accepts connections from this machine",
                       m);
}

/* Open, identify and upgrade a store on PostgreSQL: the same checks as on a file, with the
 * version in solidata_meta instead of the SQLite header. */
static sol_status open_pg(sol_store *st, const char *target, int want, sol_error *err)
{
    int orc = sol_db_open(target, 0, &st->db);
    if (orc == SOL_DB_NOMEM)
        return sol__err(err, SOL_ENOMEM, "out of memory opening the store");
    if (orc != SOL_DB_OK)
        return pg_connect_failed(st, err);
    int ok;
    if (pragma_int(st->db, "SELECT count(*) FROM pg_extension WHERE extname = 'postgis'", &ok) == 0)
        return ok ? sol__err_at(err, SOL_ENOTSTORE, st->path, 0, 0,
                                "the PostgreSQL database has no PostGIS; its owner enables it "
                                "with CREATE EXTENSION postgis; (or ask the administrator to "
                                "install PostGIS), then try again")
                  : sol__store_fail(st, err, "checking for PostGIS");
    int have = 0;
    if (pragma_int(st->db, "SELECT to_regclass('solidata_meta') IS NOT NULL", &ok) == 0) {
        int64_t n = pragma_int(st->db,
                               "SELECT count(*) FROM information_schema.tables WHERE "
                               "table_schema = current_schema() AND table_type = 'BASE TABLE' "
                               "AND table_name <> 'spatial_ref_sys'",
                               &ok);
        if (n > 0)
            return sol__err_at(err, SOL_ENOTSTORE, st->path, 0, 0,
                               "not a solidata store (a PostgreSQL database with other tables); "
                               "give another database with --db, or an empty one");
    } else {
        int64_t app = pragma_int(st->db, "SELECT max(application_id) FROM solidata_meta", &ok);
        have = (int)pragma_int(st->db, "SELECT max(user_version) FROM solidata_meta", &ok);
        if (app != SOL_STORE_APP_ID && have > 0)
            return sol__err_at(err, SOL_ENOTSTORE, st->path, 0, 0,
                               "not a solidata store (a PostgreSQL database of another "
                               "application); give another database with --db");
    }
    if (have > sol__store_latest_version())
        return sol__err_at(err, SOL_EVERSION, st->path, 0, 0,
                           "store schema version %d is newer than this solidata %s supports "
                           "(version %d); upgrade solidata to open it",
                           have, SOL_VERSION_STRING, sol__store_latest_version());
    st->version = have;
    return have < want ? migrate(st, have, want, err) : SOL_OK;
}

/* ---- one writer at a time: waiting for another ------------------------------------------- */

static double mono_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The n-th wait's pause: 1, 2, 4 ... up to 100 ms, never past the limit. */
static void pause_before_retry(const sol_store *st, int n, double waited)
{
    double ms = n < 7 ? (double)(1 << n) : 100;
    double left = (st->wait_s - waited) * 1e3;
    if (ms > left)
        ms = left > 0 ? left : 0;
    struct timespec d = {(time_t)(ms / 1e3), (long)(fmod(ms, 1e3) * 1e6)};
    nanosleep(&d, NULL);
}

/* Whether to wait again (n-th time since the wait began); the caller's note after 1 s, then
 * every 5 s. */
static int keep_waiting(sol_store *st, int n)
{
    double now = mono_s();
    if (n == 0) {
        st->wait_t0 = now;
        st->wait_next = 1;
    }
    double waited = now - st->wait_t0;
    if (waited >= st->wait_s)
        return 0;
    if (st->wait_fn && waited >= st->wait_next) {
        st->wait_fn(st->wait_ud, waited, st->wait_s);
        st->wait_next += st->wait_next < 5 ? 4 : 5;
    }
    pause_before_retry(st, n, waited);
    return 1;
}

/* SQLite's busy handler: the store's wait instead of a fixed timeout. */
static int busy_wait(void *ud, int count)
{
    return keep_waiting(ud, count);
}

void sol_store_set_wait(sol_store *st, double seconds, sol_store_wait_fn fn, void *ud)
{
    st->wait_s = seconds >= 0 ? seconds : 0;
    st->wait_fn = fn;
    st->wait_ud = ud;
}

static sol_status busy_fail(sol_store *st, sol_error *err)
{
    snprintf(st->errmsg, sizeof st->errmsg, "the store is busy");
    return sol__err_at(err, SOL_EBUSY, st->path, 0, 0,
                       "another program is writing to the store (an import, a publication, the "
                       "server's edits) and was still at it after %.0f s; try again when it has "
                       "finished",
                       st->wait_s);
}

/* PostgreSQL: the writers' advisory lock of this transaction, waited for as SQLite's busy
 * handler waits (pg_try_advisory_xact_lock in a loop, so that the wait has a limit and a note). */
static sol_status pg_writer_lock(sol_store *st, sol_error *err)
{
    for (int n = 0;; n++) {
        sol_dbstmt *s = NULL;
        int got = 0, ok = 0;
        if (sol_db_prepare(st->db, "SELECT pg_try_advisory_xact_lock(1397705796)", 0, &s) ==
                SOL_DB_OK &&
            sol_db_step(s) == SOL_DB_ROW) {
            got = sol_db_column_int(s, 0) != 0;
            ok = 1;
        }
        sol_db_finalize(s);
        if (!ok)
            return sol__store_fail(st, err, "waiting for the other writers");
        if (got)
            return SOL_OK;
        if (!keep_waiting(st, n))
            return busy_fail(st, err);
    }
}

sol_status sol_store_open_at(const char *path, int target, sol_store **out, sol_error *err)
{
    sol_status rc;
    _Static_assert(SOL_STORE_SCHEMA_VERSION == 14, "keep SOL_STORE_SCHEMA_VERSION = migrations");
    if (target < 1 || target > sol__store_latest_version())
        return sol__err(err, SOL_EINVAL, "no schema version %d", target);
    sol_store *st = sol__calloc(1, sizeof *st);
    if (st == NULL || (st->path = sol_db_display_name(path)) == NULL) {
        sol__free(st);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    st->publish_auto = -1;
    st->wait_s = 30; /* for another writer (sol_store_set_wait), on both backends */
    if (sol_db_is_postgresql(path)) {
        if ((rc = open_pg(st, path, target, err)) != SOL_OK)
            goto fail;
        goto prepare;
    }
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    if (exists && S_ISDIR(sb.st_mode)) {
        rc = sol__err_at(err, SOL_ENOTSTORE, path, 0, 0,
                         "is a directory; give a store file with --db FILE");
        goto fail;
    }
    /* A new store is the owner's alone (0600, which SQLite gives its -wal and -shm files too):
     * it holds the audit log, the accounts' password hashes and unpublished values. An empty file
     * is an empty SQLite database. If it cannot be made here (no folder, or another process just
     * made it), SQLite opens or reports as before; an existing store keeps the mode it has. */
    if (!exists) {
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0)
            close(fd);
    }
    int orc = sol_db_open(path, exists ? 0 : SOL_DB_OPEN_CREATE, &st->db);
    if (st->db)
        sol_db_set_busy(st->db, busy_wait, st);
    if (orc != SOL_DB_OK) {
        rc = orc == SOL_DB_NOMEM ? sol__err(err, SOL_ENOMEM, "out of memory opening the store")
                                 : sol__err_at(err, SOL_EIO, path, 0, 0,
                                               "cannot open the store: %s", sol_db_errmsg(st->db));
        goto fail;
    }

    /* Identify the file before changing anything in it. */
    int ok;
    int64_t app = pragma_int(st->db, "PRAGMA application_id", &ok);
    if (!ok && sol_db_out_of_memory(st->db)) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory opening the store");
        goto fail;
    }
    if (!ok) {
        rc = sol__err_at(err, SOL_ENOTSTORE, path, 0, 0,
                         "not a solidata store (not an SQLite database: %s); give another file "
                         "with --db, or remove it",
                         sol_db_errmsg(st->db));
        goto fail;
    }
    int64_t ntables =
        pragma_int(st->db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'", &ok);
    if (app != SOL_STORE_APP_ID && ntables > 0) {
        rc = sol__err_at(err, SOL_ENOTSTORE, path, 0, 0,
                         "not a solidata store (an SQLite database of another application); "
                         "give another file with --db");
        goto fail;
    }
    int have =
        ok && app == SOL_STORE_APP_ID ? (int)pragma_int(st->db, "PRAGMA user_version", &ok) : 0;
    if (!ok) {
        rc = sol_db_out_of_memory(st->db)
                 ? sol__err(err, SOL_ENOMEM, "out of memory opening the store")
                 : sol__store_fail(st, err, "reading the store's version");
        goto fail;
    }
    if (have > sol__store_latest_version()) {
        rc = sol__err_at(err, SOL_EVERSION, path, 0, 0,
                         "store schema version %d is newer than this solidata %s supports "
                         "(version %d); upgrade solidata to open it",
                         have, SOL_VERSION_STRING, sol__store_latest_version());
        goto fail;
    }
    /* reads through a memory map of up to 256 MB instead of a read() per 4 KB page: the
     * server's walks over the areas (whose rows hold the geometry) take half the time, e.g.
     * the dashboard's values of 35,000 areas 0.37-0.51 s down to 0.19-0.25 s */
    if ((rc = exec(st, "PRAGMA journal_mode = WAL", err)) != SOL_OK ||
        (rc = exec(
             st,
             "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA mmap_size = 268435456",
             err)) != SOL_OK)
        goto fail;
    st->version = have;
    if (have < target && (rc = migrate(st, have, target, err)) != SOL_OK)
        goto fail;
prepare:
    for (int i = 0; i < STMT_COUNT; i++) {
        if (st->version < 1)
            break;
        if (sol_db_prepare(st->db, stmt_sql[i], 1, &st->stmt[i]) != SOL_DB_OK) {
            rc = sol__store_fail(st, err, "preparing a statement");
            goto fail;
        }
    }
    *out = st;
    return SOL_OK;
fail:
    sol_store_close(st);
    return rc;
}

sol_status sol_store_open(const char *path, sol_store **out, sol_error *err)
{
    return sol_store_open_at(path, sol__store_latest_version(), out, err);
}

void sol_store_close(sol_store *st)
{
    if (st == NULL)
        return;
    if (st->in_tx)
        sol_store_rollback(st);
    for (int i = 0; i < STMT_COUNT; i++)
        sol_db_finalize(st->stmt[i]);
    sol_db_finalize(st->obs_batch);
    sol_db_close(st->db);
    sol__free(st->path);
    sol__free(st);
}

int sol_store_schema_version(const sol_store *st)
{
    return st->version;
}

const char *sol_store_path(const sol_store *st)
{
    return st->path;
}

const char *sol_store_errmsg(const sol_store *st)
{
    return st->errmsg;
}

static void end_bulk(sol_store *st)
{
    if (!st->bulk)
        return;
    st->bulk = 0;
    if (is_pg(st))
        return;
    sol_db_exec(st->db, "PRAGMA foreign_keys = ON");
    sol_store_bulk_rows(st, 0);
    sol_store_bulk_mode(st, 0);
    st->bulk = 0;
}

sol_status sol_store_begin(sol_store *st, sol_error *err)
{
    /* SQLite's BEGIN IMMEDIATE: one writer at a time, the others wait (busy timeout); on
     * PostgreSQL the same with a transaction-scoped advisory lock on the store's key, so that the
     * read-then-write sequences of the store (the audit chain's head, a source's next version)
     * stay serial, while readers never wait */
    sol_status rc;
    if (is_pg(st)) {
        if ((rc = exec(st, "BEGIN", err)) == SOL_OK && (rc = pg_writer_lock(st, err)) != SOL_OK)
            sol_db_exec(st->db, "ROLLBACK");
    } else {
        int r = sol_db_exec(st->db, "BEGIN IMMEDIATE");
        rc = (r & 0xff) == SOL_DB_BUSY ? busy_fail(st, err)
             : r != SOL_DB_OK          ? db_fail(st, err)
                                       : SOL_OK;
    }
    if (rc == SOL_OK)
        st->in_tx = 1;
    return rc;
}

int sol_store_in_transaction(const sol_store *st)
{
    return st->in_tx || sol_db_autocommit(st->db) == 0;
}

sol_status sol_store_join(sol_store *st, int *own, sol_error *err)
{
    *own = !sol_store_in_transaction(st);
    return *own ? sol_store_begin(st, err) : SOL_OK;
}

sol_status sol_store_leave(sol_store *st, int own, sol_status rc, sol_error *err)
{
    if (!own)
        return rc;
    if (rc == SOL_OK)
        rc = sol_store_commit(st, err);
    if (rc != SOL_OK)
        sol_store_rollback(st);
    return rc;
}

sol_status sol_store_commit(sol_store *st, sol_error *err)
{
    sol_status rc = exec(st, "COMMIT", err);
    if (rc == SOL_OK) {
        st->in_tx = 0;
        end_bulk(st);
    }
    return rc;
}

void sol_store_rollback(sol_store *st)
{
    if (st->in_tx)
        sol_db_exec(st->db, "ROLLBACK");
    st->in_tx = 0;
    end_bulk(st);
}

void sol_store_bulk_mode(sol_store *st, int on)
{
    if (is_pg(st))
        return;
    sol_db_exec(st->db, on ? "PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY"
                           : "PRAGMA cache_size = -2000");
}

void sol_store_bulk_rows(sol_store *st, int on)
{
    /* a flag pragma expires every prepared statement: each is compiled again, once, on its next
     * use, with or without the checks */
    if (is_pg(st) || (!st->bulk && on) || st->bulk_rows == !!on)
        return;
    sol_db_exec(st->db, on ? "PRAGMA ignore_check_constraints = ON"
                           : "PRAGMA ignore_check_constraints = OFF");
    st->bulk_rows = !!on;
}

sol_status sol_store_begin_bulk(sol_store *st, sol_error *err)
{
    /* Foreign-key enforcement is per connection and cannot change inside a transaction. A bulk
     * import writes only ids it has just read or inserted in this same transaction, so the
     * checks (four B-tree look-ups per observation) are redundant there; every other write keeps
     * them, and the schema still declares the keys. */
    sol_status rc = is_pg(st) ? SOL_OK : exec(st, "PRAGMA foreign_keys = OFF", err);
    if (rc == SOL_OK)
        rc = sol_store_begin(st, err);
    /* PostgreSQL (schema 13): the same, for this transaction only; the triggers that check an
     * observation's references read it */
    if (rc == SOL_OK && is_pg(st) && (rc = exec(st, "SET LOCAL solidata.bulk = on", err)) != SOL_OK)
        sol_store_rollback(st);
    if (rc != SOL_OK) {
        if (!is_pg(st))
            sol_db_exec(st->db, "PRAGMA foreign_keys = ON");
        return rc;
    }
    st->bulk = 1;
    sol_store_bulk_mode(st, 1);
    return SOL_OK;
}

/* ---- binding helpers ----------------------------------------------------------------------- */

static sol_dbstmt *use(sol_store *st, int which)
{
    sol_dbstmt *s = st->stmt[which];
    sol_db_reset(s);
    sol_db_clear_bindings(s);
    return s;
}

static int bind_real(sol_dbstmt *s, int i, double v)
{
    return isnan(v) ? sol_db_bind_null(s, i) : sol_db_bind_double(s, i, v);
}

static const char *col_text(sol_dbstmt *s, int i)
{
    return (const char *)sol_db_column_text(s, i);
}

static double col_real(sol_dbstmt *s, int i)
{
    return sol_db_column_type(s, i) == SOL_DB_NULL ? NAN : sol_db_column_double(s, i);
}

/* Look up an id by text key with a prepared SELECT id ... WHERE key = ?1. */
static sol_status lookup_id(sol_store *st, int which, const char *key, int64_t *id, sol_error *err)
{
    sol_dbstmt *s = use(st, which);
    int rc = sol__store_bind_text(s, 1, key);
    if (rc == SOL_DB_OK)
        rc = sol_db_step(s);
    if (rc == SOL_DB_ROW) {
        *id = sol_db_column_int64(s, 0);
        sol_db_reset(s);
        return SOL_OK;
    }
    sol_db_reset(s);
    if (rc == SOL_DB_DONE)
        return SOL_ENOTFOUND;
    return sol__store_fail(st, err, "look-up");
}

/* ---- catalog ------------------------------------------------------------------------------- */

sol_status sol_store_source_current(sol_store *st, const char *name, int64_t *id, int *version,
                                    char sha256[65], sol_error *err)
{
    sol_dbstmt *s = NULL;
    sol_status rc = SOL_ENOTFOUND;
    if ((s = sol__store_prepare(st,
                                "SELECT id, version, sha256 FROM source WHERE name = ?1 AND "
                                "status = 'current' ORDER BY version DESC LIMIT 1",
                                "catalog look-up", err)) == NULL)
        return sol__store_status(st);
    sol_db_bind_text(s, 1, name, -1);
    int r = sol_db_step(s);
    if (r == SOL_DB_ROW) {
        *id = sol_db_column_int64(s, 0);
        *version = sol_db_column_int(s, 1);
        snprintf(sha256, 65, "%s", col_text(s, 2));
        rc = SOL_OK;
    } else if (r != SOL_DB_DONE) {
        rc = sol__store_fail(st, err, "catalog look-up");
    }
    sol_db_finalize(s);
    return rc;
}

/* Is a new version of `name` public? The version it replaces says; a new name is public when
 * the store publishes automatically, and never when it holds own records. */
static sol_status new_source_state(sol_store *st, const char *name, int own, int *published,
                                   sol_error *err)
{
    sol_dbstmt *s = NULL;
    int aut = 0;
    sol_status rc = sol_store_publish_auto(st, &aut, err);
    if (rc != SOL_OK)
        return rc;
    *published = aut && !own;
    if ((s = sol__store_prepare(st,
                                "SELECT published FROM source WHERE name = ?1 AND status = "
                                "'current' ORDER BY version DESC LIMIT 1",
                                "catalog look-up", err)) == NULL)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, name);
    int r = sol_db_step(s);
    if (r == SOL_DB_ROW)
        *published = sol_db_column_int(s, 0);
    return sol__store_walk_end(st, s, r, "catalog look-up", err);
}

sol_status sol_store_source_add(sol_store *st, const sol_source *src, int64_t *id, sol_error *err)
{
    sol_dbstmt *s = NULL;
    int own = src->own_records || sol_withhold_licence(src->licence) >= SOL_LICENCE_CLOSED;
    int published = 1;
    sol_status nrc =
        st->version >= 9 ? new_source_state(st, src->name, own, &published, err) : SOL_OK;
    if (nrc != SOL_OK)
        return nrc;
    if ((s = sol__store_prepare(
             st,
             st->version >= 9
                 ? "INSERT INTO source (name, version, connector, location, licence, "
                   "attribution, sha256, bytes, rows_read, rows_written, imported_at, "
                   "tool_version, status, options, published, own_records) VALUES (?1, ?2, ?3, "
                   "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'current', ?13, ?14, ?15)"
                 : "INSERT INTO source (name, version, connector, location, licence, "
                   "attribution, sha256, bytes, rows_read, rows_written, imported_at, "
                   "tool_version, status, options) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                   "?8, ?9, ?10, ?11, ?12, 'current', ?13)",
             "catalog insert", err)) == NULL)
        return sol__store_status(st);
    if (st->version >= 9) {
        sol_db_bind_int(s, 14, published);
        sol_db_bind_int(s, 15, own);
    }
    sol__store_bind_text(s, 1, src->name);
    sol_db_bind_int(s, 2, src->version);
    sol__store_bind_text(s, 3, src->connector);
    sol__store_bind_text(s, 4, src->location);
    sol__store_bind_text(s, 5, src->licence);
    sol__store_bind_text(s, 6, src->attribution);
    sol__store_bind_text(s, 7, src->sha256);
    sol_db_bind_int64(s, 8, src->bytes);
    sol_db_bind_int64(s, 9, src->rows_read);
    sol_db_bind_int64(s, 10, src->rows_written);
    sol__store_bind_text(s, 11, src->imported_at);
    sol__store_bind_text(s, 12, src->tool_version);
    sol__store_bind_text(s, 13, src->options);
    sol_status irc = sol__store_step_done(st, s, "catalog insert", err);
    if (irc != SOL_OK)
        return irc;
    *id = sol_db_last_insert_id(st->db);
    return SOL_OK;
}

sol_status sol_store_source_finish(sol_store *st, int64_t id, const char *connector,
                                   const char *sha256, int64_t rows_read, int64_t rows_written,
                                   sol_error *err)
{
    sol_dbstmt *s = NULL;
    if ((s = sol__store_prepare(
             st,
             "UPDATE source SET rows_read = ?2, rows_written = ?3, connector = ?4, "
             "sha256 = ?5 WHERE id = ?1",
             "catalog update", err)) == NULL)
        return sol__store_status(st);
    sol_db_bind_int64(s, 1, id);
    sol_db_bind_int64(s, 2, rows_read);
    sol_db_bind_int64(s, 3, rows_written);
    sol__store_bind_text(s, 4, connector);
    sol__store_bind_text(s, 5, sha256);
    return sol__store_step_done(st, s, "catalog update", err);
}

sol_status sol_store_source_supersede(sol_store *st, int64_t id, sol_error *err)
{
    static const char *const sql[] = {
        /* kept, so that the version can be restored (sol_store_source_restore) */
        "INSERT INTO observation_archive (source_id, indicator_id, area_id, period_id, value, se,"
        " flags) SELECT source_id, indicator_id, area_id, period_id, value, se, flags"
        " FROM observation WHERE source_id = ?1",
        "DELETE FROM observation WHERE source_id = ?1",
        "UPDATE source SET status = 'superseded' WHERE id = ?1",
    };
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
        sol_dbstmt *s = NULL;
        if ((s = sol__store_prepare(st, sql[i], "replacing a source version", err)) == NULL)
            return sol__store_status(st);
        sol_db_bind_int64(s, 1, id);
        sol_status rrc = sol__store_step_done(st, s, "replacing a source version", err);
        if (rrc != SOL_OK)
            return rrc;
    }
    return SOL_OK;
}

sol_status sol_store_sources(sol_store *st, sol_source_cb cb, void *ud, sol_error *err)
{
    sol_dbstmt *s = NULL;
    if ((s = sol__store_prepare(
             st,
             "SELECT id, name, version, connector, location, licence, attribution, "
             "sha256, bytes, rows_read, rows_written, imported_at, tool_version, "
             "status, options, published, own_records FROM source ORDER BY id DESC",
             "reading the catalog", err)) == NULL)
        return sol__store_status(st);
    int r;
    while ((r = sol_db_step(s)) == SOL_DB_ROW) {
        sol_source src = {
            .id = sol_db_column_int64(s, 0),
            .name = col_text(s, 1),
            .version = sol_db_column_int(s, 2),
            .connector = col_text(s, 3),
            .location = col_text(s, 4),
            .licence = col_text(s, 5),
            .attribution = col_text(s, 6),
            .sha256 = col_text(s, 7),
            .bytes = sol_db_column_int64(s, 8),
            .rows_read = sol_db_column_int64(s, 9),
            .rows_written = sol_db_column_int64(s, 10),
            .imported_at = col_text(s, 11),
            .tool_version = col_text(s, 12),
            .status = col_text(s, 13),
            .options = col_text(s, 14),
            .published = sol_db_column_int(s, 15),
            .own_records = sol_db_column_int(s, 16),
        };
        if (cb(ud, &src))
            break;
    }
    return sol__store_walk_end(st, s, r, "reading the catalog", err);
}

/* ---- areas --------------------------------------------------------------------------------- */

sol_status sol_store_area_put(sol_store *st, const sol_area *a, int64_t *id, sol_error *err)
{
    sol_dbstmt *s = use(st, STMT_AREA_UPSERT);
    sol__store_bind_text(s, 1, a->code);
    sol__store_bind_text(s, 2, a->name);
    sol__store_bind_text(s, 3, a->level);
    sol__store_bind_text(s, 4, a->parent_code);
    sol__store_bind_text(s, 5, a->geometry);
    sol__store_bind_text(s, 6, a->crs_original);
    for (int k = 0; k < 4; k++)
        bind_real(s, 7 + k, a->bbox[k]);
    bind_real(s, 11, a->centroid[0]);
    bind_real(s, 12, a->centroid[1]);
    if (a->source_id)
        sol_db_bind_int64(s, 13, a->source_id);
    int r = sol_db_step(s);
    sol_db_reset(s);
    if (r != SOL_DB_DONE)
        return sol__store_fail(st, err, "writing an area");
    if (id)
        return lookup_id(st, STMT_AREA_ID, a->code, id, err);
    return SOL_OK;
}

sol_status sol_store_areas(sol_store *st, int with_geometry, sol_area_cb cb, void *ud,
                           sol_error *err)
{
    sol_dbstmt *s = NULL;
    const char *sql = with_geometry
                          ? "SELECT id, code, name, level, parent_code, crs_original, min_lon, "
                            "min_lat, max_lon, max_lat, centroid_lon, centroid_lat, source_id, "
                            "geometry FROM area ORDER BY code"
                          : "SELECT id, code, name, level, parent_code, crs_original, min_lon, "
                            "min_lat, max_lon, max_lat, centroid_lon, centroid_lat, source_id "
                            "FROM area ORDER BY code";
    if ((s = sol__store_prepare(st, sql, "reading areas", err)) == NULL)
        return sol__store_status(st);
    int r;
    while ((r = sol_db_step(s)) == SOL_DB_ROW) {
        sol_area a = {
            .id = sol_db_column_int64(s, 0),
            .code = col_text(s, 1),
            .name = col_text(s, 2),
            .level = col_text(s, 3),
            .parent_code = col_text(s, 4),
            .crs_original = col_text(s, 5),
            .bbox = {col_real(s, 6), col_real(s, 7), col_real(s, 8), col_real(s, 9)},
            .centroid = {col_real(s, 10), col_real(s, 11)},
            .source_id = sol_db_column_int64(s, 12),
            .geometry = with_geometry ? col_text(s, 13) : NULL,
        };
        if (cb(ud, &a))
            break;
    }
    return sol__store_walk_end(st, s, r, "reading areas", err);
}

/* ---- indicators and periods ------------------------------------------------------------------ */

/* The label and unit in each language (schema 8), the given non-NULL ones; nothing to do when
 * none is given or on an older store. */
static sol_status indicator_langs(sol_store *st, int64_t id, const sol_indicator *ind,
                                  sol_error *err)
{
    int any = 0;
    for (int l = 0; l < SOL_LANG_COUNT; l++)
        any |= ind->labels[l] != NULL || ind->units[l] != NULL;
    if (!any || st->version < 8)
        return SOL_OK;
    sol_dbstmt *s = sol__store_prepare(
        st,
        "UPDATE indicator SET label_en = coalesce(?2, label_en), label_fr = coalesce(?3, "
        "label_fr), label_it = coalesce(?4, label_it), unit_en = coalesce(?5, unit_en), "
        "unit_fr = coalesce(?6, unit_fr), unit_it = coalesce(?7, unit_it) WHERE id = ?1",
        "writing an indicator's labels", err);
    if (s == NULL)
        return sol__store_status(st);
    static const sol_lang order[] = {SOL_LANG_EN, SOL_LANG_FR, SOL_LANG_IT};
    sol_db_bind_int64(s, 1, id);
    for (int k = 0; k < 3; k++) {
        sol__store_bind_text(s, 2 + k, ind->labels[order[k]]);
        sol__store_bind_text(s, 5 + k, ind->units[order[k]]);
    }
    return sol__store_step_done(st, s, "writing an indicator's labels", err);
}

sol_status sol_store_indicator_put(sol_store *st, const sol_indicator *ind, int update_meta,
                                   int64_t *id, sol_error *err)
{
    sol_status rc = lookup_id(st, STMT_IND_ID, ind->code, id, err);
    if (rc == SOL_ENOTFOUND) {
        sol_dbstmt *s = use(st, STMT_IND_INSERT);
        sol__store_bind_text(s, 1, ind->code);
        sol__store_bind_text(s, 2, ind->label);
        sol__store_bind_text(s, 3, ind->unit);
        sol_db_bind_int(s, 4, ind->polarity);
        sol__store_bind_text(s, 5, ind->dimension);
        int r = sol_db_step(s);
        sol_db_reset(s);
        if (r != SOL_DB_DONE)
            return sol__store_fail(st, err, "writing an indicator");
        *id = sol_db_last_insert_id(st->db);
        return indicator_langs(st, *id, ind, err);
    }
    if (rc != SOL_OK || !update_meta)
        return rc;
    sol_dbstmt *s = use(st, STMT_IND_UPDATE);
    sol_db_bind_int64(s, 1, *id);
    sol__store_bind_text(s, 2, ind->label);
    sol__store_bind_text(s, 3, ind->unit);
    sol_db_bind_int(s, 4, ind->polarity);
    sol__store_bind_text(s, 5, ind->dimension);
    int r = sol_db_step(s);
    sol_db_reset(s);
    if (r != SOL_DB_DONE)
        return sol__store_fail(st, err, "updating an indicator");
    return indicator_langs(st, *id, ind, err);
}

sol_status sol_store_indicators(sol_store *st, sol_indicator_cb cb, void *ud, sol_error *err)
{
    sol_dbstmt *s = NULL;
    /* kind (schema 5) and the relation of a derived indicator (schema 6) */
    const char *extra =
        st->version >= 6
            ? (is_pg(st) ? "i.kind, (SELECT string_agg(component, '+' ORDER BY ord) FROM "
                           "indicator_link WHERE indicator_id = i.id AND role = 'numerator'), "
                           "(SELECT component FROM indicator_link WHERE indicator_id = i.id AND "
                           "role = 'denominator')"
                         : "i.kind, (SELECT group_concat(component, '+') FROM (SELECT component "
                           "FROM indicator_link WHERE indicator_id = i.id AND role = 'numerator' "
                           "ORDER BY rowid)), (SELECT component FROM indicator_link WHERE "
                           "indicator_id = i.id AND role = 'denominator')")
        : st->version >= 5 ? "i.kind, NULL, NULL"
                           : "NULL, NULL, NULL";
    /* labels and units in each language (schema 8) */
    const char *langs = st->version >= 8 ? "i.label_en, i.label_fr, i.label_it, i.unit_en, "
                                           "i.unit_fr, i.unit_it"
                                         : "NULL, NULL, NULL, NULL, NULL, NULL";
    static const char fmt[] =
        "SELECT i.id, i.code, i.label, i.unit, i.polarity, i.dimension, "
        "(SELECT count(*) FROM observation o WHERE o.indicator_id = i.id), "
        "(SELECT p.label FROM observation o JOIN period p ON p.id = o.period_id "
        " WHERE o.indicator_id = i.id ORDER BY p.freq, p.idx LIMIT 1), "
        "(SELECT p.label FROM observation o JOIN period p ON p.id = o.period_id "
        " WHERE o.indicator_id = i.id ORDER BY p.freq, p.idx DESC LIMIT 1), "
        "%s, %s FROM indicator i ORDER BY i.code";
    size_t n = sizeof fmt + strlen(extra) + strlen(langs);
    char *sql = sol__malloc(n);
    if (sql != NULL)
        snprintf(sql, n, fmt, extra, langs);
    if (sql == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    int prc = sol_db_prepare(st->db, sql, 0, &s);
    sol__free(sql);
    if (prc != SOL_DB_OK)
        return sol__store_fail(st, err, "reading indicators");
    int r;
    while ((r = sol_db_step(s)) == SOL_DB_ROW) {
        sol_indicator ind = {
            .id = sol_db_column_int64(s, 0),
            .code = col_text(s, 1),
            .label = col_text(s, 2),
            .unit = col_text(s, 3),
            .polarity = sol_db_column_int(s, 4),
            .dimension = col_text(s, 5),
            .n_obs = sol_db_column_int64(s, 6),
            .first_period = col_text(s, 7),
            .last_period = col_text(s, 8),
            .kind = col_text(s, 9),
            .numerator = col_text(s, 10),
            .denominator = col_text(s, 11),
            .labels = {[SOL_LANG_EN] = col_text(s, 12),
                       [SOL_LANG_FR] = col_text(s, 13),
                       [SOL_LANG_IT] = col_text(s, 14)},
            .units = {[SOL_LANG_EN] = col_text(s, 15),
                      [SOL_LANG_FR] = col_text(s, 16),
                      [SOL_LANG_IT] = col_text(s, 17)},
        };
        if (cb(ud, &ind))
            break;
    }
    return sol__store_walk_end(st, s, r, "reading indicators", err);
}

sol_status sol_store_period_put(sol_store *st, const char *label, char freq, int64_t index,
                                int64_t *id, sol_error *err)
{
    sol_status rc = lookup_id(st, STMT_PERIOD_ID, label, id, err);
    if (rc != SOL_ENOTFOUND)
        return rc;
    sol_dbstmt *s = use(st, STMT_PERIOD_INSERT);
    char f[2] = {freq, '\0'};
    sol__store_bind_text(s, 1, label);
    sol__store_bind_text(s, 2, f);
    sol_db_bind_int64(s, 3, index);
    int r = sol_db_step(s);
    sol_db_reset(s);
    if (r != SOL_DB_DONE)
        return sol__store_fail(st, err, "writing a period");
    *id = sol_db_last_insert_id(st->db);
    return SOL_OK;
}

/* ---- observations ------------------------------------------------------------------------- */

sol_status sol_store_obs_put(sol_store *st, int64_t indicator_id, int64_t area_id,
                             int64_t period_id, double value, double se, int flags,
                             int64_t source_id, int64_t *other_source, sol_error *err)
{
    sol_dbstmt *s = st->stmt[STMT_OBS_INSERT];
    sol_db_bind_int64(s, 1, indicator_id);
    sol_db_bind_int64(s, 2, area_id);
    sol_db_bind_int64(s, 3, period_id);
    sol_db_bind_double(s, 4, value);
    bind_real(s, 5, se);
    sol_db_bind_int(s, 6, flags);
    sol_db_bind_int64(s, 7, source_id);
    int r = sol_db_step(s);
    sol_db_reset(s);
    if (r == SOL_DB_DONE)
        return SOL_OK;
    if (r == SOL_DB_CONSTRAINT_PRIMARYKEY) {
        sol_dbstmt *q = use(st, STMT_OBS_SOURCE);
        sol_db_bind_int64(q, 1, indicator_id);
        sol_db_bind_int64(q, 2, area_id);
        sol_db_bind_int64(q, 3, period_id);
        if (sol_db_step(q) == SOL_DB_ROW && other_source)
            *other_source = sol_db_column_int64(q, 0);
        sol_db_reset(q);
        return SOL_EDUPLICATE;
    }
    return sol__store_fail(st, err, "writing an observation");
}

/* COPY's binary format, big-endian: the client prints no numbers and the server parses none
 * (with the text format, formatting and parsing the doubles were most of the client's time and
 * a good part of the server's), and every double goes in exactly as it is. */
static unsigned char *be(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)(v & 0xff);
    return p + bytes;
}

static unsigned char *be_int8(unsigned char *p, int64_t v)
{
    return be(be(p, 8, 4), (uint64_t)v, 8);
}

static unsigned char *be_float8(unsigned char *p, double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return be(be(p, 8, 4), u, 8);
}

/* Bytes of one row: a field count, then each field's length and value (se may be NULL). */
#define PG_OBS_ROW_BYTES (2 + 7 * (4 + 8))

/* PostgreSQL: the rows in one binary COPY, the fastest way in; SOL_EDUPLICATE when a key is
 * taken (nothing written: the caller looks for the row one by one). */
static sol_status pg_obs_copy(sol_store *st, const sol_obs_row *rows, size_t n, int64_t source_id,
                              sol_error *err)
{
    static const unsigned char head[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0";
    unsigned char *buf = sol__malloc(sizeof head + n * PG_OBS_ROW_BYTES + 2), *p = buf;
    if (buf == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory writing observations");
    memcpy(p, head, sizeof head);
    p += sizeof head;
    for (size_t i = 0; i < n; i++) {
        const sol_obs_row *o = &rows[i];
        p = be(p, 7, 2);
        p = be_int8(p, o->indicator_id);
        p = be_int8(p, o->area_id);
        p = be_int8(p, o->period_id);
        p = be_float8(p, o->value);
        p = isnan(o->se) ? be(p, 0xffffffffu, 4) : be_float8(p, o->se);
        p = be_int8(p, o->flags);
        p = be_int8(p, source_id);
    }
    p = be(p, 0xffff, 2); /* the end of the data */
    int r = sol_db_copy(st->db,
                        "COPY observation (indicator_id, area_id, period_id, value, se, flags, "
                        "source_id) FROM STDIN (FORMAT binary)",
                        (const char *)buf, (size_t)(p - buf));
    sol__free(buf);
    if (r == SOL_DB_CONSTRAINT_PRIMARYKEY)
        return SOL_EDUPLICATE;
    return r == SOL_DB_OK ? SOL_OK : sol__store_fail(st, err, "writing observations");
}

/* On PostgreSQL a batch costs two round trips, a savepoint and a COPY statement whatever its
 * size: 256 rows a batch left the import waiting on the server more than working; 16,384 rows
 * (1.4 MB of COPY data) make those costs small against the rows. */
#define PG_OBS_BATCH 16384

size_t sol_store_obs_batch_size(const sol_store *st)
{
    return is_pg(st) ? PG_OBS_BATCH : SOL_STORE_OBS_BATCH;
}

sol_status sol_store_obs_put_many(sol_store *st, const sol_obs_row *rows, size_t n,
                                  int64_t source_id, size_t *bad, int64_t *other_source,
                                  sol_error *err)
{
    size_t from = 0;
    if (is_pg(st) && n > 1) {
        sol_status rc = pg_obs_copy(st, rows, n, source_id, err);
        if (rc != SOL_EDUPLICATE)
            return rc;
        /* the COPY was undone as a whole. The server named the row it stopped at: the rows
         * before it go in again by COPY, and the one-by-one search below starts there (up to
         * 16,384 single inserts otherwise) */
        int64_t k = sol_db_copy_row(st->db);
        if (k > 0 && (size_t)k < n) {
            if ((rc = pg_obs_copy(st, rows, (size_t)k, source_id, err)) == SOL_OK)
                from = (size_t)k;
            else if (rc != SOL_EDUPLICATE)
                return rc;
        }
        goto one_by_one;
    }
    if (n == SOL_STORE_OBS_BATCH) {
        if (st->obs_batch == NULL) {
            sol_buf sql;
            sol__buf_init(&sql, 256 + 16 * (size_t)SOL_STORE_OBS_BATCH);
            sol_status rc = sol__buf_addf(&sql, "INSERT INTO observation (indicator_id, area_id, "
                                                "period_id, value, se, flags, source_id) VALUES ");
            for (int i = 0; i < SOL_STORE_OBS_BATCH && rc == SOL_OK; i++)
                rc = sol__buf_addf(&sql, "%s(?,?,?,?,?,?,?)", i ? "," : "");
            int r =
                rc == SOL_OK ? sol_db_prepare(st->db, sql.data, 1, &st->obs_batch) : SOL_DB_NOMEM;
            sol__buf_free(&sql);
            if (r != SOL_DB_OK)
                return sol__store_fail(st, err, "preparing the batch insert");
        }
        sol_dbstmt *s = st->obs_batch;
        for (size_t i = 0; i < n; i++) {
            int k = (int)i * 7;
            sol_db_bind_int64(s, k + 1, rows[i].indicator_id);
            sol_db_bind_int64(s, k + 2, rows[i].area_id);
            sol_db_bind_int64(s, k + 3, rows[i].period_id);
            sol_db_bind_double(s, k + 4, rows[i].value);
            bind_real(s, k + 5, rows[i].se);
            sol_db_bind_int(s, k + 6, rows[i].flags);
            sol_db_bind_int64(s, k + 7, source_id);
        }
        int r = sol_db_step(s);
        sol_db_reset(s);
        if (r == SOL_DB_DONE)
            return SOL_OK;
        if (r != SOL_DB_CONSTRAINT_PRIMARYKEY)
            return sol__store_fail(st, err, "writing observations");
        /* the statement was undone as a whole: find the offending row one by one */
    }
one_by_one:
    for (size_t i = from; i < n; i++) {
        sol_status rc = sol_store_obs_put(st, rows[i].indicator_id, rows[i].area_id,
                                          rows[i].period_id, rows[i].value, rows[i].se,
                                          rows[i].flags, source_id, other_source, err);
        if (rc != SOL_OK) {
            if (bad)
                *bad = i;
            return rc;
        }
    }
    return SOL_OK;
}

/* Walk a statement selecting (area, period, indicator, value, se, flags, source_id), then
 * finalize it. Shared by every query that returns observations. */
static sol_status walk_obs(sol_store *st, sol_dbstmt *s, sol_obs_cb cb, void *ud, const char *what,
                           sol_error *err)
{
    int r;
    while ((r = sol_db_step(s)) == SOL_DB_ROW) {
        sol_obs o = {
            .area = col_text(s, 0),
            .period = col_text(s, 1),
            .indicator = col_text(s, 2),
            .value = sol_db_column_double(s, 3),
            .se = col_real(s, 4),
            .flags = sol_db_column_int(s, 5),
            .source_id = sol_db_column_int64(s, 6),
        };
        if (cb(ud, &o))
            break;
    }
    return sol__store_walk_end(st, s, r, what, err);
}

sol_status sol_store_observations(sol_store *st, const char *indicator, const char *period,
                                  sol_obs_cb cb, void *ud, sol_error *err)
{
    sol_dbstmt *s = NULL;
    /* every observation of the store, for an export: streamed (a cursor on PostgreSQL) */
    if (sol_db_prepare(st->db,
                       "SELECT a.code, p.label, i.code, o.value, o.se, o.flags | CASE WHEN o.sdc > "
                       "0 THEN 4 ELSE 0 END, "
                       "o.source_id "
                       "FROM observation o JOIN indicator i ON i.id = o.indicator_id "
                       "JOIN area a ON a.id = o.area_id JOIN period p ON p.id = o.period_id "
                       "WHERE (?1 IS NULL OR i.code = ?1) AND (?2 IS NULL OR p.label = ?2) "
                       "ORDER BY i.code, a.code, p.freq, p.idx",
                       SOL_DB_STREAM, &s) != SOL_DB_OK)
        return sol__store_fail(st, err, "reading observations");
    sol__store_bind_text(s, 1, indicator);
    sol__store_bind_text(s, 2, period);
    return walk_obs(st, s, cb, ud, "reading observations", err);
}

sol_status sol_store_count(sol_store *st, sol_store_counts *c, sol_error *err)
{
    static const char *const sql[] = {
        "SELECT count(*) FROM area",
        "SELECT count(*) FROM indicator",
        "SELECT count(*) FROM period",
        "SELECT count(*) FROM observation",
        "SELECT count(*) FROM source WHERE status = 'current'",
    };
    int64_t *dst[] = {&c->areas, &c->indicators, &c->periods, &c->observations, &c->sources};
    for (size_t i = 0; i < 5; i++) {
        int ok;
        *dst[i] = pragma_int(st->db, sql[i], &ok);
        if (!ok)
            return sol__store_fail(st, err, "counting");
    }
    c->first_period[0] = c->last_period[0] = '\0';
    const char *ends[2] = {"SELECT label FROM period ORDER BY freq, idx LIMIT 1",
                           "SELECT label FROM period ORDER BY freq, idx DESC LIMIT 1"};
    char *out[2] = {c->first_period, c->last_period};
    for (int k = 0; k < 2; k++) {
        sol_dbstmt *s = NULL;
        if ((s = sol__store_prepare(st, ends[k], "counting", err)) == NULL)
            return sol__store_status(st);
        if (sol_db_step(s) == SOL_DB_ROW)
            snprintf(out[k], sizeof c->first_period, "%s", col_text(s, 0));
        sol_db_finalize(s);
    }
    return SOL_OK;
}

/* ---- runs ------------------------------------------------------------------------------------ */

static sol_status run_add(sol_store *st, const sol_run *r, int64_t *id, sol_error *err);

sol_status sol_store_run_add(sol_store *st, const sol_run *r, int64_t *id, sol_error *err)
{
    /* PostgreSQL has no savepoint outside a transaction (SQLite starts one): join or begin one */
    int own = 0;
    sol_status rc = is_pg(st) ? sol_store_join(st, &own, err) : SOL_OK;
    if (rc != SOL_OK)
        return rc;
    rc = run_add(st, r, id, err);
    return is_pg(st) ? sol_store_leave(st, own, rc, err) : rc;
}

static sol_status run_add(sol_store *st, const sol_run *r, int64_t *id, sol_error *err)
{
    sol_dbstmt *s = NULL;
    char now[32];
    sol__utc_now(now, sizeof now);
    if ((s = sol__store_prepare(st,
                                st->version >= 9
                                    ? "INSERT INTO run (kind, spec, method_card, inputs_sha256, "
                                      "result, created_at, created_by, published) VALUES (?1, ?2, "
                                      "?3, ?4, ?5, ?6, ?7, ?8)"
                                    : "INSERT INTO run (kind, spec, method_card, inputs_sha256, "
                                      "result, created_at, created_by) VALUES (?1, ?2, ?3, ?4, "
                                      "?5, ?6, ?7)",
                                "recording a run", err)) == NULL)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, r->kind);
    sol__store_bind_text(s, 2, r->spec);
    sol__store_bind_text(s, 3, r->method_card);
    sol__store_bind_text(s, 4, r->inputs_sha256);
    sol__store_bind_text(s, 5, r->result);
    sol__store_bind_text(s, 6, r->created_at ? r->created_at : now);
    sol__store_bind_text(s, 7, r->created_by);
    int aut = 0;
    sol_status arc = sol_store_publish_auto(st, &aut, err);
    if (arc != SOL_OK) {
        sol_db_finalize(s);
        return arc;
    }
    if (st->version >= 9)
        sol_db_bind_int(s, 8, aut); /* a draft unless the store publishes automatically */
    /* the run and its audit entry together (a savepoint nests in a caller's transaction) */
    if (sol_db_exec(st->db, "SAVEPOINT run_add") != SOL_DB_OK) {
        sol_db_finalize(s);
        return sol__store_fail(st, err, "recording a run");
    }
    int rc = sol_db_step(s);
    sol_db_finalize(s);
    if (rc != SOL_DB_DONE) {
        sol_status f = sol__store_fail(st, err, "recording a run");
        sol_db_exec(st->db, "ROLLBACK TO run_add; RELEASE run_add");
        return f;
    }
    int64_t rid = sol_db_last_insert_id(st->db);
    /* the audit detail built with jansson: no kind or digest can break its JSON */
    json_t *dj = json_pack("{s:I,s:s,s:s?}", "run", (json_int_t)rid, "kind", r->kind ? r->kind : "",
                           "inputs_sha256", r->inputs_sha256);
    char *detail = dj ? json_dumps(dj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(dj);
    sol_status as = detail == NULL ? sol__err(err, SOL_ENOMEM, "out of memory recording a run")
                    : st->version >= 4
                        ? sol_store_audit_append(st, r->created_by, "run", detail, err)
                        : SOL_OK;
    free(detail);
    if (as != SOL_OK) {
        sol_db_exec(st->db, "ROLLBACK TO run_add; RELEASE run_add");
        return as;
    }
    if (sol_db_exec(st->db, "RELEASE run_add") != SOL_DB_OK)
        return sol__store_fail(st, err, "recording a run");
    if (id)
        *id = rid;
    return SOL_OK;
}

static sol_status walk_runs(sol_store *st, sol_dbstmt *s, sol_run_cb cb, void *ud, int *n,
                            sol_error *err)
{
    int r;
    *n = 0;
    while ((r = sol_db_step(s)) == SOL_DB_ROW) {
        sol_run run = {
            .id = sol_db_column_int64(s, 0),
            .kind = col_text(s, 1),
            .spec = col_text(s, 2),
            .method_card = col_text(s, 3),
            .inputs_sha256 = col_text(s, 4),
            .result = col_text(s, 5),
            .created_at = col_text(s, 6),
            .created_by = col_text(s, 7),
            .published = sol_db_column_int(s, 8),
        };
        (*n)++;
        if (cb(ud, &run))
            break;
    }
    return sol__store_walk_end(st, s, r, "reading runs", err);
}

sol_status sol_store_runs(sol_store *st, const char *kind, int with_result, sol_run_cb cb, void *ud,
                          sol_error *err)
{
    sol_dbstmt *s = NULL;
    const char *sql =
        with_result ? "SELECT id, kind, spec, method_card, inputs_sha256, result, "
                      "created_at, created_by, published FROM run WHERE (?1 IS NULL OR kind = "
                      "?1) ORDER BY id DESC"
                    : "SELECT id, kind, spec, method_card, inputs_sha256, NULL, "
                      "created_at, created_by, published FROM run WHERE (?1 IS NULL OR kind = "
                      "?1) ORDER BY id DESC";
    if ((s = sol__store_prepare(st, sql, "reading runs", err)) == NULL)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, kind);
    int n;
    return walk_runs(st, s, cb, ud, &n, err);
}

sol_status sol_store_run_get(sol_store *st, int64_t id, sol_run_cb cb, void *ud, sol_error *err)
{
    sol_dbstmt *s = NULL;
    if ((s = sol__store_prepare(
             st,
             "SELECT id, kind, spec, method_card, inputs_sha256, result, created_at, "
             "created_by, published FROM run WHERE id = ?1",
             "reading a run", err)) == NULL)
        return sol__store_status(st);
    sol_db_bind_int64(s, 1, id);
    int n;
    sol_status rc = walk_runs(st, s, cb, ud, &n, err);
    if (rc == SOL_OK && n == 0)
        return sol__err(err, SOL_ENOTFOUND, "no run with id %lld; see 'solidata runs'",
                        (long long)id);
    return rc;
}

sol_status sol_store_latest_period(sol_store *st, const char *indicator, char label[16],
                                   sol_error *err)
{
    sol_dbstmt *s = NULL;
    if ((s = sol__store_prepare(
             st,
             "SELECT p.label FROM observation o JOIN indicator i ON i.id = "
             "o.indicator_id JOIN period p ON p.id = o.period_id WHERE i.code = ?1 "
             "ORDER BY p.freq, p.idx DESC LIMIT 1",
             "finding the latest period", err)) == NULL)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, indicator);
    int r = sol_db_step(s);
    if (r == SOL_DB_ROW)
        snprintf(label, 16, "%s", col_text(s, 0));
    sol_db_finalize(s);
    if (r == SOL_DB_ROW)
        return SOL_OK;
    if (r == SOL_DB_DONE)
        return SOL_ENOTFOUND;
    return sol__store_fail(st, err, "finding the latest period");
}

static int exists(sol_store *st, const char *sql, const char *key)
{
    sol_dbstmt *s = NULL;
    if (sol_db_prepare(st->db, sql, 0, &s) != SOL_DB_OK)
        return 0;
    sol__store_bind_text(s, 1, key);
    int found = sol_db_step(s) == SOL_DB_ROW;
    sol_db_finalize(s);
    return found;
}

int sol_store_has_indicator(sol_store *st, const char *code)
{
    return exists(st, "SELECT 1 FROM indicator WHERE code = ?1", code);
}

int sol_store_has_period(sol_store *st, const char *label)
{
    return exists(st, "SELECT 1 FROM period WHERE label = ?1", label);
}

sol_status sol_store_generation(sol_store *st, char gen[64], sol_error *err)
{
    /* every import adds a source row and every computation a run: their largest ids move on */
    int ok1, ok2;
    int64_t s = pragma_int(st->db, "SELECT max(id) FROM main.source", &ok1);
    int64_t r = pragma_int(st->db, "SELECT max(id) FROM main.run", &ok2);
    if (!ok1 || !ok2)
        return sol__store_fail(st, err, "reading the store generation");
    /* a changed minimum cell size, a source removed or restored, an indicator edited change what
     * is published without a new source */
    int ok3 = 1;
    int64_t k = st->version >= 5 ? pragma_int(st->db,
                                              "SELECT count(*) FROM audit WHERE action IN "
                                              "('privacy.budget.set', 'privacy.min_cell.set',"
                                              " 'source.remove', 'source.restore',"
                                              " 'indicator.edit', 'import.settings',"
                                              " 'publish.source', 'publish.run')",
                                              &ok3)
                                 : 0;
    if (!ok3)
        return sol__store_fail(st, err, "reading the store generation");
    snprintf(gen, 64, "s%lld.r%lld.k%lld", (long long)s, (long long)r, (long long)k);
    return SOL_OK;
}

sol_status sol_store_area_profile(sol_store *st, const char *code, sol_profile_cb cb, void *ud,
                                  sol_error *err)
{
    if (!exists(st, "SELECT 1 FROM area WHERE code = ?1", code))
        return sol__err(err, SOL_ENOTFOUND, "no area with code '%s'", code);
    sol_dbstmt *s = NULL;
    if ((s = sol__store_prepare(
             st,
             "WITH latest AS ("
             "  SELECT o.indicator_id, max(p.freq || (1000000000000 + p.idx)) AS k, a.id AS aid, "
             "         a.level AS level"
             "  FROM area a JOIN observation o ON o.area_id = a.id JOIN period p ON p.id = "
             "o.period_id"
             "  WHERE a.code = ?1 GROUP BY o.indicator_id, a.id, a.level) "
             "SELECT i.code, i.label, i.unit, i.dimension, i.polarity, p.label, o.value, o.se, "
             "  o.flags | CASE WHEN o.sdc > 0 THEN 4 ELSE 0 END, "
             "  (SELECT count(*) FROM observation o2 JOIN area a2 ON a2.id = o2.area_id "
             "   WHERE o2.indicator_id = o.indicator_id AND o2.period_id = o.period_id "
             "   AND a2.level = l.level AND o2.sdc = 0 AND o2.value > o.value) + 1, "
             "  (SELECT count(*) FROM observation o2 JOIN area a2 ON a2.id = o2.area_id "
             "   WHERE o2.indicator_id = o.indicator_id AND o2.period_id = o.period_id "
             "   AND a2.level = l.level AND o2.sdc = 0) "
             "FROM latest l JOIN observation o ON o.indicator_id = l.indicator_id AND o.area_id = "
             "l.aid "
             "JOIN period p ON p.id = o.period_id AND p.freq || (1000000000000 + p.idx) = l.k "
             "JOIN indicator i ON i.id = o.indicator_id ORDER BY i.code",
             "reading a profile", err)) == NULL)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, code);
    int r;
    while ((r = sol_db_step(s)) == SOL_DB_ROW) {
        sol_profile_row row = {
            .indicator = col_text(s, 0),
            .label = col_text(s, 1),
            .unit = col_text(s, 2),
            .dimension = col_text(s, 3),
            .polarity = sol_db_column_int(s, 4),
            .period = col_text(s, 5),
            .value = sol_db_column_double(s, 6),
            .se = col_real(s, 7),
            .flags = sol_db_column_int(s, 8),
            .rank_desc = sol_db_column_int64(s, 9),
            .n_areas = sol_db_column_int64(s, 10),
        };
        if (cb(ud, &row))
            break;
    }
    return sol__store_walk_end(st, s, r, "reading a profile", err);
}

sol_status sol_store_area_series(sol_store *st, const char *code, const char *indicator,
                                 sol_obs_cb cb, void *ud, sol_error *err)
{
    sol_dbstmt *s = NULL;
    if ((s = sol__store_prepare(st,
                                "SELECT a.code, p.label, i.code, o.value, o.se, o.flags | CASE "
                                "WHEN o.sdc > 0 THEN 4 ELSE 0 END, "
                                "o.source_id "
                                "FROM area a JOIN observation o ON o.area_id = a.id "
                                "JOIN indicator i ON i.id = o.indicator_id "
                                "JOIN period p ON p.id = o.period_id "
                                "WHERE a.code = ?1 AND (?2 IS NULL OR i.code = ?2) "
                                "ORDER BY i.code, p.freq, p.idx",
                                "reading a series", err)) == NULL)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, code);
    sol__store_bind_text(s, 2, indicator);
    return walk_obs(st, s, cb, ud, "reading a series", err);
}

/* ---- drafts and publication ------------------------------------------------------------------ */

static sol_status need_v9(sol_store *st, sol_error *err)
{
    if (st->version < 9)
        return sol__err_at(err, SOL_EVERSION, st->path, 0, 0,
                           "the store schema is version %d; drafts and publication need version 9 "
                           "(open it with 'solidata init' to upgrade)",
                           st->version);
    return SOL_OK;
}

sol_status sol_store_publish_auto(sol_store *st, int *on, sol_error *err)
{
    *on = st->publish_auto > 0;
    if (st->version < 9 || st->publish_auto >= 0)
        return SOL_OK;
    sol_dbstmt *s = NULL;
    if ((s = sol__store_prepare(st, "SELECT value FROM setting WHERE name = 'publish.auto'",
                                "reading the settings", err)) == NULL)
        return sol__store_status(st);
    int r = sol_db_step(s);
    if (r == SOL_DB_ROW)
        *on = strcmp(col_text(s, 0), "on") == 0;
    return sol__store_walk_end(st, s, r, "reading the settings", err);
}

/* the audit detail of a change, built with jansson */
sol_status sol__store_audit_json(sol_store *st, const char *who, const char *action, json_t *dj,
                                 sol_error *err)
{
    char *detail = dj ? json_dumps(dj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(dj);
    if (detail == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol_status rc = sol_store_audit_append(st, who, action, detail, err);
    free(detail);
    return rc;
}

void sol_store_publish_auto_override(sol_store *st, int on)
{
    st->publish_auto = on < 0 ? -1 : on > 0;
}

sol_status sol_store_publish_auto_set(sol_store *st, int on, const char *who, sol_error *err)
{
    sol_status rc = need_v9(st, err);
    int own = 0;
    sol_dbstmt *s = NULL;
    if (rc != SOL_OK || (rc = sol_store_join(st, &own, err)) != SOL_OK)
        return rc;
    if ((s = sol__store_prepare(st,
                                "INSERT INTO setting (name, value) VALUES ('publish.auto', ?1) "
                                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                                "writing a setting", err)) == NULL)
        rc = SOL_ESTORE;
    else {
        sol__store_bind_text(s, 1, on ? "on" : "off");
        rc = sol__store_step_done(st, s, "writing a setting", err);
    }
    if (rc == SOL_OK)
        rc = sol__store_audit_json(st, who, "publish.auto", json_pack("{s:b}", "on", on), err);
    return sol_store_leave(st, own, rc, err);
}

/* The current version of source `name`: id, published, own_records and licence (into lic). */
static sol_status source_state(sol_store *st, const char *name, int64_t *id, int *published,
                               int *own, char *lic, size_t cap, sol_error *err)
{
    sol_dbstmt *s = NULL;
    if ((s = sol__store_prepare(st,
                                "SELECT id, published, own_records, licence FROM source WHERE "
                                "name = ?1 AND status = 'current' ORDER BY version DESC LIMIT 1",
                                "catalog look-up", err)) == NULL)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, name);
    int r = sol_db_step(s);
    if (r == SOL_DB_ROW) {
        *id = sol_db_column_int64(s, 0);
        *published = sol_db_column_int(s, 1);
        *own = sol_db_column_int(s, 2);
        snprintf(lic, cap, "%s", col_text(s, 3));
    }
    sol_status rc = sol__store_walk_end(st, s, r, "catalog look-up", err);
    if (rc == SOL_OK && r == SOL_DB_DONE)
        return sol__err(err, SOL_ENOTFOUND, "no source named '%s'; see 'solidata catalog'", name);
    return rc;
}

static sol_status publish_source(sol_store *st, const sol_publish_req *q, int *changed,
                                 sol_error *err)
{
    int64_t id = 0;
    int published = 0, own = 0;
    char lic[512] = "";
    sol_status rc;
    if (q->name == NULL || *q->name == '\0')
        return sol__err(err, SOL_EINVAL, "give the name of the source to publish");
    if ((rc = source_state(st, q->name, &id, &published, &own, lic, sizeof lic, err)) != SOL_OK)
        return rc;
    if (q->publish && sol_withhold_licence(lic) == SOL_LICENCE_FORBIDS)
        return sol__err(err, SOL_EDENIED,
                        "source '%s' cannot be published: its licence (\"%s\") forbids "
                        "publication; it stays a draft for analysts",
                        q->name, lic);
    if (q->publish && !published && own && !q->confirm_own_records)
        return sol__err(err, SOL_EDENIED,
                        "source '%s' holds the organisation's own records (or its licence is not "
                        "open): its small counts are withheld, yet publishing shows it to "
                        "everyone; confirm with --confirm-own-records",
                        q->name);
    if (published == q->publish)
        return SOL_OK;
    sol_dbstmt *s = NULL;
    if ((s = sol__store_prepare(st, "UPDATE source SET published = ?2 WHERE id = ?1",
                                "publishing a source", err)) == NULL)
        return sol__store_status(st);
    sol_db_bind_int64(s, 1, id);
    sol_db_bind_int(s, 2, q->publish);
    if ((rc = sol__store_step_done(st, s, "publishing a source", err)) != SOL_OK)
        return rc;
    *changed = 1;
    return sol__store_audit_json(st, q->who, "publish.source",
                                 json_pack("{s:s,s:I,s:b,s:b}", "source", q->name, "id",
                                           (json_int_t)id, "published", q->publish, "own_records",
                                           own),
                                 err);
}

static sol_status publish_run(sol_store *st, const sol_publish_req *q, int *changed, sol_error *err)
{
    sol_dbstmt *s = NULL;
    int published = -1;
    char kind[64] = "";
    if ((s = sol__store_prepare(st, "SELECT published, kind FROM run WHERE id = ?1",
                                "reading a run", err)) == NULL)
        return sol__store_status(st);
    sol_db_bind_int64(s, 1, q->id);
    int r = sol_db_step(s);
    if (r == SOL_DB_ROW) {
        published = sol_db_column_int(s, 0);
        snprintf(kind, sizeof kind, "%s", col_text(s, 1));
    }
    sol_status rc = sol__store_walk_end(st, s, r, "reading a run", err);
    if (rc != SOL_OK)
        return rc;
    if (published < 0)
        return sol__err(err, SOL_ENOTFOUND, "no run with id %lld; see 'solidata runs'",
                        (long long)q->id);
    if (published == q->publish)
        return SOL_OK;
    if ((s = sol__store_prepare(st, "UPDATE run SET published = ?2 WHERE id = ?1",
                                "publishing a run", err)) == NULL)
        return sol__store_status(st);
    sol_db_bind_int64(s, 1, q->id);
    sol_db_bind_int(s, 2, q->publish);
    if ((rc = sol__store_step_done(st, s, "publishing a run", err)) != SOL_OK)
        return rc;
    *changed = 1;
    return sol__store_audit_json(
        st, q->who, "publish.run",
        json_pack("{s:I,s:s,s:b}", "run", (json_int_t)q->id, "kind", kind, "published", q->publish),
        err);
}

sol_status sol_store_publish(sol_store *st, const sol_publish_req *q, int *changed, sol_error *err)
{
    int own = 0, ch = 0;
    sol_status rc = need_v9(st, err);
    if (rc != SOL_OK)
        return rc;
    int is_source = q->kind && strcmp(q->kind, "source") == 0;
    if (!is_source && !(q->kind && strcmp(q->kind, "run") == 0))
        return sol__err(err, SOL_EINVAL, "publish a 'source' or a 'run', not '%s'",
                        q->kind ? q->kind : "");
    if ((rc = sol_store_join(st, &own, err)) != SOL_OK)
        return rc;
    rc = is_source ? publish_source(st, q, &ch, err) : publish_run(st, q, &ch, err);
    rc = sol_store_leave(st, own, rc, err);
    if (rc == SOL_OK && changed)
        *changed = ch;
    return rc;
}

sol_status sol_store_drafts(sol_store *st, sol_draft_cb cb, void *ud, sol_error *err)
{
    sol_status rc = need_v9(st, err);
    sol_dbstmt *s = NULL;
    if (rc != SOL_OK)
        return rc;
    if ((s = sol__store_prepare(
             st,
             "SELECT * FROM (SELECT 'source' AS k, id, name AS n, version, licence, own_records, "
             "imported_at FROM main.source WHERE status = 'current' AND published = 0 "
             "UNION ALL SELECT 'run', id, kind, 0, NULL, 0, created_at FROM main.run WHERE "
             "published = 0) AS d ORDER BY k DESC, CASE WHEN k = 'source' THEN n END, id DESC",
             "reading the drafts", err)) == NULL)
        return sol__store_status(st);
    int r;
    while ((r = sol_db_step(s)) == SOL_DB_ROW) {
        sol_draft d = {
            .kind = col_text(s, 0),
            .id = sol_db_column_int64(s, 1),
            .name = col_text(s, 2),
            .version = sol_db_column_int(s, 3),
            .licence = sol_db_column_type(s, 4) == SOL_DB_NULL ? NULL : col_text(s, 4),
            .own_records = sol_db_column_int(s, 5),
            .at = col_text(s, 6),
        };
        if (cb(ud, &d))
            break;
    }
    return sol__store_walk_end(st, s, r, "reading the drafts", err);
}

sol_status sol_store_public_view(sol_store *st, int on, sol_error *err)
{
    /* temporary views of the connection named like the tables they filter: SQLite resolves an
     * unqualified name in temp first, so every query of every module reads through them */
    static const char *const view_on =
        "CREATE TEMP VIEW IF NOT EXISTS source AS SELECT * FROM main.source WHERE published = 1;"
        "CREATE TEMP VIEW IF NOT EXISTS run AS SELECT * FROM main.run WHERE published = 1;"
        "CREATE TEMP VIEW IF NOT EXISTS observation AS SELECT o.* FROM main.observation o "
        "  WHERE o.source_id IN (SELECT id FROM main.source WHERE published = 1);"
        "CREATE TEMP VIEW IF NOT EXISTS indicator AS SELECT i.* FROM main.indicator i "
        "  WHERE EXISTS (SELECT 1 FROM main.observation o JOIN main.source s ON s.id = "
        "  o.source_id WHERE o.indicator_id = i.id AND s.published = 1);";
    static const char *const view_off =
        "DROP VIEW IF EXISTS temp.source; DROP VIEW IF EXISTS temp.run;"
        "DROP VIEW IF EXISTS temp.observation; DROP VIEW IF EXISTS temp.indicator;";
    if (st->version < 9)
        return on ? need_v9(st, err) : SOL_OK;
    on = on != 0;
    if (on == st->public_view) /* already so: no schema change, no statement re-prepared */
        return SOL_OK;
    /* PostgreSQL too looks in the session's temporary schema first; it has no IF NOT EXISTS for
     * views */
    char *sql = NULL;
    if (on && is_pg(st)) {
        sql = sol__strdup(view_on);
        if (sql == NULL)
            return sol__err(err, SOL_ENOMEM, "out of memory");
        for (char *p = sql; (p = strstr(p, "CREATE TEMP VIEW IF NOT EXISTS")) != NULL;)
            memcpy(p, "CREATE OR REPLACE TEMP VIEW   ", 30), p += 30;
    }
    sol_status rc = exec(st, sql ? sql : on ? view_on : view_off, err);
    sol__free(sql);
    if (rc == SOL_OK)
        st->public_view = on;
    return rc;
}
