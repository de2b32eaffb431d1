/* copy.c - `store copy`: every row of one store into another, empty one, across backends (a
 * SQLite file and a PostgreSQL database, either way), checked table by table before commit.
 *
 * The tables and columns are read from each side's catalog, so the copy follows the schema as
 * it grows; only tables and columns both sides have are copied (a column only the target has,
 * such as PostGIS's geometry, is filled by the target's own trigger). The check is an
 * order-free digest of each table's rows in a canonical text form (integers in decimal, reals in
 * %.17g, NULL marked), equal on both sides or the copy is rolled back. */
#include "store_int.h"

#include <sodium.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COPY_MAX_TABLES 128
#define COPY_MAX_COLS   96
#define COPY_NAME       64

typedef struct copy_table {
    char name[COPY_NAME];
    int ncols;
    char cols[COPY_MAX_COLS][COPY_NAME];
} copy_table;

/* Tables that are the backend's own or the schema's bookkeeping, never rows of the store. */
static int skipped(const char *name)
{
    return strcmp(name, "solidata_meta") == 0 || strcmp(name, "spatial_ref_sys") == 0 ||
           strncmp(name, "sqlite_", 7) == 0;
}

static int is_pg(const sol_store *st)
{
    return sol_db_backend(st->db) == SOL_DB_POSTGRESQL;
}

/* Names safe to put in SQL: they come from the store's own catalog, and are checked anyway. */
static int plain_name(const char *s)
{
    if (*s == '\0' || strlen(s) >= COPY_NAME)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

/* The tables of `st` in creation order (which is foreign-key order: migrations create a table
 * before any table that refers to it). */
static sol_status list_tables(sol_store *st, copy_table **out, int *n, sol_error *err)
{
    const char *sql = is_pg(st) ? "SELECT c.relname FROM pg_class c WHERE c.relkind IN ('r', 'p') "
                                  "AND c.relnamespace = current_schema()::regnamespace "
                                  "ORDER BY c.oid"
                                : "SELECT name FROM sqlite_master WHERE type = 'table' "
                                  "ORDER BY rowid";
    sol_dbstmt *s = sol__store_prepare(st, sql, "reading the tables", err);
    if (s == NULL)
        return sol__store_status(st);
    copy_table *t = sol__calloc(COPY_MAX_TABLES, sizeof *t);
    if (t == NULL) {
        sol_db_finalize(s);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    int r, k = 0;
    while ((r = sol_db_step(s)) == SOL_DB_ROW) {
        const char *name = sol_db_column_text(s, 0);
        if (name == NULL || skipped(name) || !plain_name(name))
            continue;
        if (k == COPY_MAX_TABLES) {
            sol_db_finalize(s);
            sol__free(t);
            return sol__err(err, SOL_ESTORE, "more than %d tables in the store", COPY_MAX_TABLES);
        }
        snprintf(t[k++].name, COPY_NAME, "%s", name);
    }
    sol_status rc = sol__store_walk_end(st, s, r, "reading the tables", err);
    if (rc != SOL_OK) {
        sol__free(t);
        return rc;
    }
    *out = t;
    *n = k;
    return SOL_OK;
}

/* The columns of table `t` on `st` that can be written (not generated), in declared order. */
static sol_status list_columns(sol_store *st, copy_table *t, sol_error *err)
{
    const char *sql = is_pg(st) ? "SELECT column_name FROM information_schema.columns "
                                  "WHERE table_schema = current_schema() AND table_name = ?1 "
                                  "AND is_generated = 'NEVER' ORDER BY ordinal_position"
                                : "SELECT name FROM pragma_table_info(?1) ORDER BY cid";
    sol_dbstmt *s = sol__store_prepare(st, sql, "reading the columns", err);
    if (s == NULL)
        return sol__store_status(st);
    sol_db_bind_text(s, 1, t->name, -1);
    int r;
    t->ncols = 0;
    while ((r = sol_db_step(s)) == SOL_DB_ROW) {
        const char *c = sol_db_column_text(s, 0);
        if (c == NULL || !plain_name(c) || t->ncols == COPY_MAX_COLS)
            continue;
        snprintf(t->cols[t->ncols++], COPY_NAME, "%s", c);
    }
    return sol__store_walk_end(st, s, r, "reading the columns", err);
}

static int has_col(const copy_table *t, const char *c)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i], c) == 0)
            return 1;
    return 0;
}

/* `src` narrowed to the columns `dst` has too. */
static void intersect(copy_table *src, const copy_table *dst)
{
    int k = 0;
    for (int i = 0; i < src->ncols; i++)
        if (has_col(dst, src->cols[i]))
            memmove(src->cols[k++], src->cols[i], COPY_NAME);
    src->ncols = k;
}

static const copy_table *find(const copy_table *t, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(t[i].name, name) == 0)
            return &t[i];
    return NULL;
}

/* "SELECT a, b FROM t" or "INSERT INTO t (a, b) VALUES (?1, ?2)" */
static char *sql_for(const copy_table *t, int insert)
{
    size_t n = 64 + strlen(t->name) + (size_t)t->ncols * (COPY_NAME + 12);
    char *sql = sol__malloc(n);
    if (sql == NULL)
        return NULL;
    size_t o = (size_t)snprintf(sql, n, insert ? "INSERT INTO %s (" : "SELECT ", t->name);
    for (int i = 0; i < t->ncols; i++)
        o += (size_t)snprintf(sql + o, n - o, "%s%s", i ? ", " : "", t->cols[i]);
    if (insert) {
        o += (size_t)snprintf(sql + o, n - o, ") VALUES (");
        for (int i = 0; i < t->ncols; i++)
            o += (size_t)snprintf(sql + o, n - o, "%s?%d", i ? ", " : "", i + 1);
        snprintf(sql + o, n - o, ")");
    } else {
        snprintf(sql + o, n - o, " FROM %s", t->name);
    }
    return sql;
}

/* One row's canonical text into the running order-free digest: the sum (mod 2^64, twice) of a
 * keyed hash of each row, so that row order, which differs between backends, does not count. */
typedef struct digest {
    uint64_t sum[2];
    int64_t rows;
} digest;

static void digest_row(digest *d, sol_dbstmt *s, int ncols)
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 16);
    char num[40];
    for (int i = 0; i < ncols; i++) {
        const char *v;
        size_t len;
        switch (sol_db_column_type(s, i)) {
        case SOL_DB_NULL:
            v = "\x01N";
            len = 2;
            break;
        case SOL_DB_INTEGER:
            len = (size_t)snprintf(num, sizeof num, "%lld", (long long)sol_db_column_int64(s, i));
            v = num;
            break;
        case SOL_DB_FLOAT: {
            double x = sol_db_column_double(s, i);
            /* an integral real reads back as an integer on a backend that stores 2.0 as 2 */
            if (x == floor(x) && fabs(x) < 9e15)
                len = (size_t)snprintf(num, sizeof num, "%lld", (long long)x);
            else
                len = (size_t)snprintf(num, sizeof num, "%.17g", x);
            v = num;
            break;
        }
        default:
            v = sol_db_column_text(s, i);
            len = v ? strlen(v) : 0;
            if (v == NULL)
                v = "";
        }
        unsigned char lenb[8];
        for (int b = 0; b < 8; b++)
            lenb[b] = (unsigned char)(len >> (8 * b));
        crypto_generichash_update(&h, lenb, sizeof lenb);
        crypto_generichash_update(&h, (const unsigned char *)v, len);
    }
    unsigned char out[16];
    crypto_generichash_final(&h, out, sizeof out);
    for (int k = 0; k < 2; k++) {
        uint64_t w = 0;
        for (int b = 0; b < 8; b++)
            w |= (uint64_t)out[8 * k + b] << (8 * b);
        d->sum[k] += w;
    }
    d->rows++;
}

static int bind_from(sol_dbstmt *ins, int i, sol_dbstmt *s, int col)
{
    switch (sol_db_column_type(s, col)) {
    case SOL_DB_NULL: return sol_db_bind_null(ins, i);
    case SOL_DB_INTEGER: return sol_db_bind_int64(ins, i, sol_db_column_int64(s, col));
    case SOL_DB_FLOAT: return sol_db_bind_double(ins, i, sol_db_column_double(s, col));
    default:
        return sol_db_bind_text(ins, i, sol_db_column_text(s, col), sol_db_column_bytes(s, col));
    }
}

static sol_status table_digest(sol_store *st, const copy_table *t, digest *d, sol_error *err)
{
    char *sql = sql_for(t, 0);
    if (sql == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol_dbstmt *s = sol__store_prepare(st, sql, "checking the copy", err);
    sol__free(sql);
    if (s == NULL)
        return sol__store_status(st);
    memset(d, 0, sizeof *d);
    int r;
    while ((r = sol_db_step(s)) == SOL_DB_ROW)
        digest_row(d, s, t->ncols);
    return sol__store_walk_end(st, s, r, "checking the copy", err);
}

/* Every row of `t` from `from` into `to`; the source's digest on the way. */
static sol_status copy_rows(sol_store *from, sol_store *to, const copy_table *t, digest *d,
                            sol_store_copy_cb cb, void *ud, sol_error *err)
{
    char *sel = sql_for(t, 0), *ins_sql = sql_for(t, 1);
    sol_dbstmt *s = NULL, *ins = NULL;
    sol_status rc = SOL_OK;
    if (sel == NULL || ins_sql == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    if ((s = sol__store_prepare(from, sel, "reading the store to copy", err)) == NULL ||
        (ins = sol__store_prepare(to, ins_sql, "writing the copy", err)) == NULL) {
        rc = SOL_ESTORE;
        goto done;
    }
    memset(d, 0, sizeof *d);
    int r;
    while ((r = sol_db_step(s)) == SOL_DB_ROW) {
        digest_row(d, s, t->ncols);
        sol_db_reset(ins);
        for (int i = 0; i < t->ncols; i++)
            bind_from(ins, i + 1, s, i);
        if (sol_db_step(ins) != SOL_DB_DONE) {
            char what[160];
            snprintf(what, sizeof what, "copying table %s", t->name);
            rc = sol__store_fail(to, err, what);
            goto done;
        }
        if (cb && d->rows % 100000 == 0)
            cb(ud, t->name, d->rows);
    }
    if (r != SOL_DB_DONE)
        rc = sol__store_fail(from, err, "reading the store to copy");
done:
    sol_db_finalize(s);
    sol_db_finalize(ins);
    sol__free(sel);
    sol__free(ins_sql);
    return rc;
}

/* The target must hold nothing yet: every table empty but the schema's own bookkeeping. */
static sol_status check_empty(sol_store *to, const copy_table *t, int n, sol_error *err)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(t[i].name, "audit_chain") == 0)
            continue;
        char sql[COPY_NAME + 48];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", t[i].name);
        sol_dbstmt *s = sol__store_prepare(to, sql, "reading the target store", err);
        if (s == NULL)
            return sol__store_status(to);
        int64_t rows = sol_db_step(s) == SOL_DB_ROW ? sol_db_column_int64(s, 0) : -1;
        sol_db_finalize(s);
        if (rows != 0)
            return sol__err_at(err, SOL_EINVAL, sol_store_path(to), 0, 0,
                               _("the target store is not empty (table %s has rows); copy into "
                                 "a new file or an empty database"),
                               t[i].name);
    }
    return SOL_OK;
}

/* audit_chain holds one row made by the migration (where the hash chain starts); it is
 * append-only, so the target's row is replaced with the source's with its guards lifted for the
 * length of the copy's transaction. */
static sol_status copy_chain_start(sol_store *from, sol_store *to, sol_error *err)
{
    sol_dbstmt *s = sol__store_prepare(from, "SELECT legacy_until FROM audit_chain", "audit", err);
    if (s == NULL)
        return sol__store_status(from);
    int64_t v = sol_db_step(s) == SOL_DB_ROW ? sol_db_column_int64(s, 0) : 0;
    sol_db_finalize(s);
    if ((s = sol__store_prepare(to, "SELECT legacy_until FROM audit_chain", "audit", err)) == NULL)
        return sol__store_status(to);
    int64_t w = sol_db_step(s) == SOL_DB_ROW ? sol_db_column_int64(s, 0) : 0;
    sol_db_finalize(s);
    if (v == w)
        return SOL_OK;
    const char *lift = is_pg(to) ? "ALTER TABLE audit_chain DISABLE TRIGGER USER"
                                 : "DROP TRIGGER audit_chain_fixed_d";
    const char *guard = is_pg(to) ? "ALTER TABLE audit_chain ENABLE TRIGGER USER"
                                  : "CREATE TRIGGER audit_chain_fixed_d BEFORE DELETE ON "
                                    "audit_chain BEGIN SELECT RAISE(ABORT, 'the audit log is "
                                    "append-only'); END";
    if (sol_db_exec(to->db, lift) != SOL_DB_OK || sol_db_exec(to->db, "DELETE FROM audit_chain"))
        return sol__store_fail(to, err, "copying the audit chain");
    if ((s = sol__store_prepare(to, "INSERT INTO audit_chain (legacy_until) VALUES (?1)", "audit",
                                err)) == NULL)
        return sol__store_status(to);
    sol_db_bind_int64(s, 1, v);
    sol_status rc = sol__store_step_done(to, s, "copying the audit chain", err);
    if (rc == SOL_OK && sol_db_exec(to->db, guard) != SOL_DB_OK)
        rc = sol__store_fail(to, err, "copying the audit chain");
    return rc;
}

/* PostgreSQL's identity sequences continue after the copied ids. */
static sol_status advance_ids(sol_store *to, const copy_table *t, sol_error *err)
{
    if (!is_pg(to) || !has_col(t, "id"))
        return SOL_OK;
    char sql[3 * COPY_NAME + 160];
    snprintf(sql, sizeof sql,
             "SELECT setval(pg_get_serial_sequence('%s', 'id'), "
             "(SELECT coalesce(max(id), 0) + 1 FROM %s), false)",
             t->name, t->name);
    sol_dbstmt *s = sol__store_prepare(to, sql, "continuing the ids", err);
    if (s == NULL)
        return sol__store_status(to);
    int r = sol_db_step(s);
    return sol__store_walk_end(to, s, r, "continuing the ids", err);
}

static sol_status copy_all(sol_store *from, sol_store *to, copy_table *src, int ns,
                           const copy_table *dst, int nd, sol_store_copy_report *rep,
                           sol_store_copy_cb cb, void *ud, sol_error *err)
{
    sol_status rc = check_empty(to, dst, nd, err);
    if (rc == SOL_OK)
        rc = copy_chain_start(from, to, err);
    for (int i = 0; i < ns && rc == SOL_OK; i++) {
        const copy_table *d = find(dst, nd, src[i].name);
        if (d == NULL) {
            rc = sol__err(err, SOL_ESTORE, _("the target store has no table %s"), src[i].name);
            break;
        }
        if (strcmp(src[i].name, "audit_chain") == 0)
            continue;
        intersect(&src[i], d);
        digest a, b;
        if ((rc = copy_rows(from, to, &src[i], &a, cb, ud, err)) != SOL_OK ||
            (rc = advance_ids(to, &src[i], err)) != SOL_OK ||
            (rc = table_digest(to, &src[i], &b, err)) != SOL_OK)
            break;
        if (a.rows != b.rows || a.sum[0] != b.sum[0] || a.sum[1] != b.sum[1]) {
            rc = sol__err(err, SOL_ESTORE,
                          _("the copy of table %s differs from its source (%lld rows read, %lld "
                            "in the copy); nothing was copied"),
                          src[i].name, (long long)a.rows, (long long)b.rows);
            break;
        }
        rep->tables++;
        rep->rows += a.rows;
        if (cb && a.rows > 0)
            cb(ud, src[i].name, a.rows);
    }
    return rc;
}

sol_status sol_store_copy(sol_store *from, sol_store *to, sol_store_copy_report *rep,
                          sol_store_copy_cb cb, void *ud, sol_error *err)
{
    memset(rep, 0, sizeof *rep);
    if (from->version != to->version)
        return sol__err(err, SOL_EVERSION,
                        _("the two stores have different schema versions (%d and %d)"),
                        from->version, to->version);
    copy_table *src = NULL, *dst = NULL;
    int ns = 0, nd = 0;
    sol_status rc = list_tables(from, &src, &ns, err);
    if (rc == SOL_OK)
        rc = list_tables(to, &dst, &nd, err);
    for (int i = 0; i < ns && rc == SOL_OK; i++)
        rc = list_columns(from, &src[i], err);
    for (int i = 0; i < nd && rc == SOL_OK; i++)
        rc = list_columns(to, &dst[i], err);
    if (rc == SOL_OK && (rc = sol_store_begin_bulk(to, err)) == SOL_OK) {
        /* the source read in one snapshot, so that a write during the copy is in it or not */
        int own = 0;
        rc = sol_store_join(from, &own, err);
        if (rc == SOL_OK) {
            rc = copy_all(from, to, src, ns, dst, nd, rep, cb, ud, err);
            sol_store_leave(from, own, SOL_OK, NULL);
        }
        if (rc == SOL_OK)
            rc = sol_store_commit(to, err);
        if (rc != SOL_OK) {
            sol_store_rollback(to);
            memset(rep, 0, sizeof *rep);
        }
    }
    sol__free(src);
    sol__free(dst);
    return rc;
}

int sol_store_is_postgresql(const char *target)
{
    return sol_db_is_postgresql(target);
}
