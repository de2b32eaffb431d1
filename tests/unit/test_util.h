/* test_util.h - what several unit-test files share besides the harness: paths in the test
 * directory ($SOL_TEST_TMP, else /tmp), fresh stores on either backend, output collected as text,
 * and a small in-memory table read with the library's CSV reader (the reference values of
 * tests/data). Functions are static inline: a file uses some. */
#ifndef SOL_TEST_UTIL_H
#define SOL_TEST_UTIL_H

#include <solidata/csv.h>
#include <solidata/store.h>

#include "store/db.h"

#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* $SOL_TEST_TMP/name (else /tmp/name), in one of four rotating static buffers: valid until the
 * fourth call after. */
static inline char *test_tmp_path(const char *name)
{
    static char buf[4][512];
    static int k;
    const char *dir = getenv("SOL_TEST_TMP");
    char *p = buf[k++ % 4];
    snprintf(p, 512, "%s/%s", dir ? dir : "/tmp", name);
    return p;
}

/* The same, with any file left there by an earlier run removed. */
static inline char *test_tmp_fresh(const char *name)
{
    char *p = test_tmp_path(name);
    unlink(p);
    return p;
}

/* ---- stores on either backend ----------------------------------------------------------------
 * `make check-unit` runs the tests' stores as SQLite files; `make check-unit-pg` runs the same
 * tests with SOLIDATA_TEST_BACKEND=postgresql, and tests/unit/run.sh puts its throwaway cluster's
 * maintenance database in $SOL_TEST_PG_ADMIN. A test asks test_store_target for a fresh store and
 * never cares which backend it got, except a test about the SQLite file itself (SQLITE_ONLY). */

static inline int test_backend_pg(void)
{
    const char *b = getenv("SOLIDATA_TEST_BACKEND");
    return b != NULL && strcmp(b, "postgresql") == 0;
}

/* The test does not apply to a PostgreSQL store: skipped there with the reason. */
#define SQLITE_ONLY(why)                                                                           \
    do {                                                                                           \
        if (test_backend_pg())                                                                     \
            SKIP("about the SQLite file: " why);                                                   \
    } while (0)

/* The one connection to the cluster's maintenance database, kept for the binary's life so that
 * making a database per store costs one statement. */
static inline PGconn **test_pg_admin(void)
{
    static PGconn *c;
    return &c;
}

/* DROP DATABASE db: 0 when it is gone. Plainly first: that stops an autovacuum worker in it,
 * which WITH (FORCE) may not (the worker runs as the superuser, the tests as the role solidata);
 * then with FORCE, for a connection a failed test left open. */
static inline int test_pg_drop(PGconn *c, const char *db)
{
    char sql[128];
    int ok = 0;
    for (int force = 0; force < 2 && !ok; force++) {
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s%s", db, force ? " WITH (FORCE)" : "");
        PGresult *r = PQexec(c, sql);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
    }
    return ok ? 0 : -1;
}

/* Every database this process made (named after its pid) dropped. */
static inline void test_pg_drop_all(void)
{
    PGconn *c = *test_pg_admin();
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT datname FROM pg_database WHERE datname LIKE 'ut%ld\\_%%'",
             (long)getpid());
    PGresult *r = PQexec(c, sql);
    for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); i++)
        test_pg_drop(c, PQgetvalue(r, i, 0));
    PQclear(r);
    PQfinish(c);
}

/* The database for `name` in this process: ut<pid>_<hash>_<name's letters and digits>. */
static inline void test_pg_dbname(const char *name, char db[64])
{
    /* the name's hash keeps apart names that differ only in their other characters */
    unsigned h = 2166136261u;
    for (const char *s = name; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    int k = snprintf(db, 64, "ut%ld_%08x_", (long)getpid(), h);
    for (const char *s = name; *s && k < 63; s++)
        if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'))
            db[k++] = *s;
    db[k] = '\0';
}

/* A new database for `name` made from the database `tpl`, one made before under that name
 * dropped first (as test_tmp_fresh removes the file); its address. A failure ends the test
 * binary: no test could run without its store. */
static inline char *test_pg_fresh(const char *name, const char *tpl, char *out, size_t size)
{
    PGconn **c = test_pg_admin();
    const char *admin = getenv("SOL_TEST_PG_ADMIN");
    if (*c == NULL) {
        if (admin == NULL) {
            fprintf(stderr, "SOLIDATA_TEST_BACKEND=postgresql without SOL_TEST_PG_ADMIN: run the "
                            "tests with make check-unit-pg\n");
            exit(2);
        }
        *c = PQconnectdb(admin);
        if (PQstatus(*c) != CONNECTION_OK) {
            fprintf(stderr, "cannot reach the test cluster: %s", PQerrorMessage(*c));
            exit(2);
        }
        PQclear(PQexec(*c, "SET client_min_messages = warning")); /* DROP ... IF EXISTS */
        atexit(test_pg_drop_all);
    }
    char db[64];
    test_pg_dbname(name, db);
    char sql[160];
    if (test_pg_drop(*c, db) != 0) {
        fprintf(stderr, "DROP DATABASE %s: %s", db, PQerrorMessage(*c));
        exit(2);
    }
    /* a copy of the template's files costs half of the default's WAL-logged copy, block by
     * block; the cluster is throwaway, so the checkpoint it takes costs little */
    snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE %s STRATEGY FILE_COPY", db, tpl);
    PGresult *r = PQexec(*c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        fprintf(stderr, "%s: %s", sql, PQerrorMessage(*c));
        exit(2);
    }
    PQclear(r);
    /* the admin address names the database last: postgresql://user:pw@host:port/postgres */
    const char *slash = strrchr(admin, '/');
    snprintf(out, size, "%.*s/%s", (int)(slash - admin), admin, db);
    return out;
}

/* A fresh, empty place for a store, for sol_store_open or sol_store_open_at: $SOL_TEST_TMP/name
 * on SQLite (any file of an earlier run removed), a new database from the cluster's
 * solidata_template (PostGIS installed) on PostgreSQL. In one of four rotating static buffers,
 * as test_tmp_path. */
static inline char *test_store_target(const char *name)
{
    static char buf[4][512];
    static int k;
    if (!test_backend_pg())
        return test_tmp_fresh(name);
    return test_pg_fresh(name, "solidata_template", buf[k++ % 4], sizeof buf[0]);
}

/* The same for a test that opens a store of the latest schema: on PostgreSQL a copy of an empty
 * store this binary made once with sol_store_open, which spares each store the migrations (two
 * thirds of the server's work to make one; a property test makes hundreds). */
static inline char *test_store_new(const char *name)
{
    static char buf[4][512];
    static int k;
    static char tpl[64];
    if (!test_backend_pg())
        return test_tmp_fresh(name);
    if (tpl[0] == '\0') {
        sol_store *st = NULL;
        sol_error e;
        test_pg_fresh("store-template", "solidata_template", buf[0], sizeof buf[0]);
        if (sol_store_open(buf[0], &st, &e) != SOL_OK) {
            fprintf(stderr, "making the template store: %s\n", e.msg);
            exit(2);
        }
        sol_store_close(st);
        test_pg_dbname("store-template", tpl);
    }
    return test_pg_fresh(name, tpl, buf[k++ % 4], sizeof buf[0]);
}

/* Run `sql` (one or more statements) on the store at `target` straight through the database
 * interface, past the store's own checks (a test that tampers with a store, or makes a file of
 * another application where there is none yet). 0 when it ran;
 * otherwise the database's message goes to stderr. */
static inline int test_store_exec(const char *target, const char *sql)
{
    sol_db *db = NULL;
    int rc = sol_db_open(target, SOL_DB_OPEN_CREATE, &db);
    if (rc == SOL_DB_OK)
        rc = sol_db_exec(db, sql);
    if (rc != SOL_DB_OK)
        fprintf(stderr, "test_store_exec: %s\n", db ? sol_db_errmsg(db) : "out of memory");
    sol_db_close(db);
    return rc;
}

/* The first column of the first row of the query `sql` on the store at `target`, in a static
 * buffer: "NULL" for a null, "(no row)" or "(error: ...)" when there is none. */
static inline const char *test_store_text(const char *target, const char *sql)
{
    static char out[1024];
    sol_db *db = NULL;
    sol_dbstmt *s = NULL;
    int rc = sol_db_open(target, SOL_DB_OPEN_READONLY, &db);
    if (rc == SOL_DB_OK)
        rc = sol_db_prepare(db, sql, 0, &s);
    if (rc == SOL_DB_OK)
        rc = sol_db_step(s);
    if (rc == SOL_DB_ROW)
        snprintf(out, sizeof out, "%s",
                 sol_db_column_type(s, 0) == SOL_DB_NULL ? "NULL" : sol_db_column_text(s, 0));
    else if (rc == SOL_DB_DONE)
        snprintf(out, sizeof out, "(no row)");
    else
        snprintf(out, sizeof out, "(error: %s)", db ? sol_db_errmsg(db) : "out of memory");
    sol_db_finalize(s);
    sol_db_close(db);
    return out;
}

/* A writer callback's output collected as text (sol_write_fn): at most 16383 bytes, then SOL_EIO.
 */
typedef struct test_text {
    char buf[16384];
    size_t len;
} test_text;

static inline sol_status test_text_write(void *ud, const void *b, size_t n)
{
    test_text *t = ud;
    if (t->len + n >= sizeof t->buf)
        return SOL_EIO;
    memcpy(t->buf + t->len, b, n);
    t->len += n;
    t->buf[t->len] = '\0';
    return SOL_OK;
}

/* A CSV file as text cells: nr rows of nc cells, the header's names in head. */
typedef struct test_table {
    size_t nr, nc;
    char **cell; /* nr * nc */
    char **head;
} test_table;

/* The whole file, or NULL when it cannot be opened. Free with test_table_free. */
static inline test_table *test_table_load(const char *path)
{
    sol_csv *c = NULL;
    if (sol_csv_open(path, NULL, &c, NULL) != SOL_OK)
        return NULL;
    test_table *t = calloc(1, sizeof *t);
    t->nc = sol_csv_ncols(c);
    t->head = calloc(t->nc, sizeof *t->head);
    for (size_t j = 0; j < t->nc; j++)
        t->head[j] = strdup(sol_csv_colname(c, j));
    size_t cap = 0;
    while (sol_csv_next(c, NULL) == SOL_OK) {
        if (t->nr == cap) {
            cap = cap ? 2 * cap : 64;
            t->cell = realloc(t->cell, cap * t->nc * sizeof *t->cell);
        }
        for (size_t j = 0; j < t->nc; j++)
            t->cell[t->nr * t->nc + j] = strdup(sol_csv_field(c, j, NULL));
        t->nr++;
    }
    sol_csv_close(c);
    return t;
}

static inline void test_table_free(test_table *t)
{
    if (t == NULL)
        return;
    for (size_t k = 0; k < t->nr * t->nc; k++)
        free(t->cell[k]);
    for (size_t j = 0; j < t->nc; j++)
        free(t->head[j]);
    free(t->cell);
    free(t->head);
    free(t);
}

/* The index of the column `name`, or -1. */
static inline long test_table_col(const test_table *t, const char *name)
{
    for (size_t j = 0; j < t->nc; j++)
        if (strcmp(t->head[j], name) == 0)
            return (long)j;
    return -1;
}

/* Row r's cell of column `name`, or NULL when there is no such column. */
static inline const char *test_table_str(const test_table *t, size_t r, const char *name)
{
    long j = test_table_col(t, name);
    return j < 0 ? NULL : t->cell[r * t->nc + (size_t)j];
}

/* Row r's number in column `name`: NaN when there is no such column or the cell is missing
 * (empty, NA, NaN, ...: sol_is_missing). */
static inline double test_table_num(const test_table *t, size_t r, const char *name)
{
    const char *s = test_table_str(t, r, name);
    if (s == NULL || sol_is_missing(s, strlen(s)))
        return NAN;
    return strtod(s, NULL);
}

#endif
