/* db_pg.c - the PostgreSQL side of the store's database interface (db_pg.h), over libpq.
 * Statements keep SQLite's shape: `?N` and `?` become `$N`, parameters travel as text and the
 * server infers their types, results are read as text and converted on demand. */
#include "db_pg.h"
#include "db.h"

#include "core/core.h"

#include <libpq-fe.h>

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Type oids of pg_type.h (stable across releases; libpq does not export them). */
enum {
    OID_BOOL = 16,
    OID_BYTEA = 17,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_TEXT = 25,
    OID_OID = 26,
    OID_FLOAT4 = 700,
    OID_FLOAT8 = 701,
    OID_NUMERIC = 1700,
};

struct sol_pg {
    PGconn *conn;
    char schema[64]; /* where the store's tables are: SQLite's "main." names it */
    int64_t changes;
    int64_t last_id;
    unsigned next_name; /* persistent statements are prepared as s1, s2, ...; cursors c1, ... */
    int64_t copy_row;   /* the row (from 0) a failed COPY stopped at, or -1 */
    char err[1024];
};

struct sol_pgstmt {
    struct sol_pg *pg;
    char *sql;     /* with $N placeholders */
    char name[24]; /* prepared on the server when persistent, else "" */
    int nparams;
    int write;           /* INSERT, UPDATE or DELETE */
    int returning;       /* " RETURNING id" added: its rows are the new ids, not results */
    char cursor[24];     /* SOL_DB_STREAM: the open cursor read a block at a time, else "" */
    int stream, more;    /* more: the last block was full, another may follow */
    char **vals;         /* NULL: SQL NULL */
    unsigned int *types; /* Oid: 0 for the server to infer, else OID_TEXT */
    PGresult *res;
    int row, nrows;
    int done;
};

static char *convert(const char *sql, const char *schema, int *nparams, unsigned *is_null);

/* libpq's message on one line (it breaks lines and indents hints with a tab). */
static void set_err(struct sol_pg *pg, const char *m)
{
    size_t j = 0;
    for (; *m && j + 1 < sizeof pg->err; m++) {
        int space = *m == '\n' || *m == '\t' || *m == ' ';
        if (space && (j == 0 || pg->err[j - 1] == ' '))
            continue;
        pg->err[j++] = space ? ' ' : *m;
    }
    while (j > 0 && pg->err[j - 1] == ' ')
        j--;
    pg->err[j] = 0;
}

/* The SQLite-shaped code for a failed result, its message on the handle. */
static int result_code(struct sol_pg *pg, const PGresult *res)
{
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    set_err(pg, primary ? primary : PQerrorMessage(pg->conn));
    const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (st == NULL)
        return SOL_DB_ERROR;
    static const struct {
        const char *state;
        int code;
    } map[] = {
        {"23505", SOL_DB_CONSTRAINT_UNIQUE},
        {"23514", SOL_DB_CONSTRAINT_CHECK},
        {"23503", SOL_DB_CONSTRAINT_FOREIGNKEY},
        {"23502", SOL_DB_CONSTRAINT},
        {"40001", SOL_DB_BUSY},
        {"40P01", SOL_DB_BUSY},
        {"55P03", SOL_DB_BUSY}, /* our triggers RAISE as SQLite's RAISE(ABORT) */
        {"P0001", SOL_DB_CONSTRAINT_TRIGGER},
    };
    const char *cons = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
    size_t cl = cons ? strlen(cons) : 0;
    if (strcmp(st, "23505") == 0 && cl > 5 && strcmp(cons + cl - 5, "_pkey") == 0)
        return SOL_DB_CONSTRAINT_PRIMARYKEY; /* as SQLite says for a WITHOUT ROWID table */
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strcmp(st, map[i].state) == 0)
            return map[i].code;
    if (strncmp(st, "53", 2) == 0)
        return SOL_DB_NOMEM;
    return SOL_DB_ERROR;
}

int sol__pg_open(const char *conninfo, struct sol_pg **out)
{
    struct sol_pg *pg = sol__calloc(1, sizeof *pg);
    *out = pg;
    if (pg == NULL)
        return SOL_DB_NOMEM;
    pg->conn = PQconnectdb(conninfo);
    if (pg->conn == NULL) {
        set_err(pg, "out of memory");
        return SOL_DB_NOMEM;
    }
    if (PQstatus(pg->conn) != CONNECTION_OK) {
        set_err(pg, PQerrorMessage(pg->conn));
        return SOL_DB_ERROR;
    }
    /* the server's notices (CREATE ... IF NOT EXISTS, cursors) are not for the user; JIT
     * compiling costs more than it saves on the store's queries; floats
     * sent in full precision */
    PGresult *r = PQexec(pg->conn, "SET client_min_messages = warning; SET jit = off; SET "
                                   "client_encoding = 'UTF8'; SET DateStyle = 'ISO'; "
                                   "SET extra_float_digits = 3");
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? SOL_DB_OK : result_code(pg, r);
    PQclear(r);
    if (rc != SOL_DB_OK)
        return rc;
    r = PQexec(pg->conn, "SELECT current_schema()");
    if (PQresultStatus(r) == PGRES_TUPLES_OK && !PQgetisnull(r, 0, 0))
        snprintf(pg->schema, sizeof pg->schema, "%s", PQgetvalue(r, 0, 0));
    else
        rc = result_code(pg, r);
    PQclear(r);
    if (rc == SOL_DB_OK && pg->schema[0] == 0) {
        set_err(pg, "no schema to create the store in (the search_path names none that exists)");
        rc = SOL_DB_ERROR;
    }
    return rc;
}

int sol__pg_login_refused(const struct sol_pg *pg)
{
    if (pg == NULL || pg->conn == NULL || PQstatus(pg->conn) == CONNECTION_OK)
        return 0;
    /* a database that does not exist is said after a password that was right */
    if (strstr(PQerrorMessage(pg->conn), "does not exist") != NULL)
        return 0;
    return PQconnectionNeedsPassword(pg->conn) || PQconnectionUsedPassword(pg->conn);
}

void sol__pg_close(struct sol_pg *pg)
{
    if (pg == NULL)
        return;
    PQfinish(pg->conn);
    sol__free(pg);
}

const char *sol__pg_errmsg(const struct sol_pg *pg)
{
    return pg ? pg->err : "out of memory";
}

static int64_t cmd_tuples(PGresult *r)
{
    const char *t = PQcmdTuples(r);
    return t && *t ? strtoll(t, NULL, 10) : 0;
}

int sol__pg_exec(struct sol_pg *pg, const char *sql)
{
    int np;
    unsigned nul = 0;
    char *q = convert(sql, pg->schema, &np, &nul);
    if (q == NULL)
        return SOL_DB_NOMEM;
    PGresult *r = PQexec(pg->conn, q);
    sol__free(q);
    ExecStatusType s = PQresultStatus(r);
    int rc = SOL_DB_OK;
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY)
        pg->changes = cmd_tuples(r);
    else
        rc = result_code(pg, r);
    PQclear(r);
    return rc;
}

int sol__pg_autocommit(struct sol_pg *pg)
{
    return PQtransactionStatus(pg->conn) == PQTRANS_IDLE;
}

int64_t sol__pg_changes(struct sol_pg *pg)
{
    return pg->changes;
}

int64_t sol__pg_last_insert_id(struct sol_pg *pg)
{
    return pg->last_id;
}

/* The tables whose key is an identity column: an INSERT into one returns the id it gave, which
 * sol__pg_last_insert_id then reports (SQLite's last_insert_rowid), without a second query. */
static const char *const id_tables[] = {
    "source",          "area",      "indicator",       "period",   "run",      "audit", "account",
    "privacy_release", "connector", "connector_fetch", "audience", "campaign",
};

/* What the statement does: *write for INSERT, UPDATE and DELETE; *returning when " RETURNING id"
 * is to be added (an INSERT into an id table that asks for nothing back). */
static void classify(const char *sql, int *write, int *returning)
{
    while (isspace((unsigned char)*sql))
        sql++;
    *write = strncasecmp(sql, "INSERT", 6) == 0 || strncasecmp(sql, "UPDATE", 6) == 0 ||
             strncasecmp(sql, "DELETE", 6) == 0;
    *returning = 0;
    if (strncasecmp(sql, "INSERT INTO ", 12) != 0 || strstr(sql, "RETURNING") != NULL)
        return;
    const char *t = sql + 12;
    size_t n = strcspn(t, " (");
    for (size_t i = 0; i < sizeof id_tables / sizeof *id_tables; i++)
        if (strlen(id_tables[i]) == n && strncmp(t, id_tables[i], n) == 0)
            *returning = 1;
}

/* SQLite's schema names "main." and "temp." at sql + i: the store's schema and pg_temp, written
 * at o; the length read, 0 when there is none. */
static size_t word(const char *sql, size_t i, const char *schema, char *o, size_t cap)
{
    if (i > 0 && (isalnum((unsigned char)sql[i - 1]) || sql[i - 1] == '_' || sql[i - 1] == '.'))
        return 0;
    if (strncmp(sql + i, "main.", 5) == 0) {
        snprintf(o, cap, "\"%s\".", schema);
        return 5;
    }
    if (strncmp(sql + i, "temp.", 5) == 0) {
        snprintf(o, cap, "pg_temp.");
        return 5;
    }
    return 0;
}

/* `?N IS NULL` alone does not tell PostgreSQL the parameter's type; the store writes it only for
 * optional text filters ("?1 IS NULL OR code = ?1"), so such a parameter is declared text.
 * *is_null: bit N-1 set for each (parameters 1 to 32). */
static char *convert(const char *sql, const char *schema, int *nparams, unsigned *is_null)
{
    size_t n = strlen(sql);
    size_t cap =
        n * 16 + 64; /* "main." (5) at most 5 + 66, "?" at most "$NNNNN", and " RETURNING id" */
    char *o = sol__malloc(cap);
    if (o == NULL)
        return NULL;
    size_t j = 0;
    int maxp = 0;
    char q = 0;
    for (size_t i = 0; i < n; i++) {
        char c = sql[i];
        if (q) {
            o[j++] = c;
            if (c == q)
                q = 0;
            continue;
        }
        if (c == '\'' || c == '"') {
            q = c;
            o[j++] = c;
            continue;
        }
        if (c == '-' && sql[i + 1] == '-') {
            while (i < n && sql[i] != '\n')
                o[j++] = sql[i++];
            if (i < n)
                o[j++] = '\n';
            continue;
        }
        if (c != '?') {
            size_t w = word(sql, i, schema, o + j, cap - j);
            if (w > 0) {
                i += w - 1;
                j += strlen(o + j);
                continue;
            }
            o[j++] = c;
            continue;
        }
        int num = 0;
        while (sql[i + 1] >= '0' && sql[i + 1] <= '9')
            num = num * 10 + (sql[++i] - '0');
        if (num == 0)
            num = maxp + 1;
        if (num > maxp)
            maxp = num;
        if (num <= 32 && (strncmp(sql + i + 1, " IS NULL", 8) == 0 ||
                          strncmp(sql + i + 1, " IS NOT NULL", 12) == 0))
            *is_null |= 1u << (num - 1);
        j += (size_t)snprintf(o + j, cap - j, "$%d", num);
    }
    o[j] = 0;
    *nparams = maxp;
    return o;
}

int sol__pg_prepare(struct sol_pg *pg, const char *sql, int persistent, struct sol_pgstmt **out)
{
    *out = NULL;
    struct sol_pgstmt *s = sol__calloc(1, sizeof *s);
    if (s == NULL)
        return SOL_DB_NOMEM;
    s->pg = pg;
    unsigned nul = 0;
    classify(sql, &s->write, &s->returning);
    s->sql = convert(sql, pg->schema, &s->nparams, &nul);
    if (s->sql && s->returning)
        memcpy(s->sql + strlen(s->sql), " RETURNING id", 14); /* convert left room */
    if (s->sql == NULL ||
        (s->nparams > 0 &&
         ((s->vals = sol__calloc((size_t)s->nparams, sizeof *s->vals)) == NULL ||
          (s->types = sol__calloc((size_t)s->nparams, sizeof *s->types)) == NULL))) {
        sol__pg_finalize(s);
        return SOL_DB_NOMEM;
    }
    for (int i = 0; i < s->nparams && i < 32; i++)
        s->types[i] = nul & (1u << i) ? OID_TEXT : 0;
    s->stream = persistent == SOL_DB_STREAM;
    if (persistent == 1) {
        snprintf(s->name, sizeof s->name, "s%u", ++pg->next_name);
        PGresult *r = PQprepare(pg->conn, s->name, s->sql, s->nparams, s->types);
        int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? SOL_DB_OK : result_code(pg, r);
        PQclear(r);
        if (rc != SOL_DB_OK) {
            s->name[0] = 0;
            sol__pg_finalize(s);
            return rc;
        }
    }
    *out = s;
    return SOL_DB_OK;
}

static int bind(struct sol_pgstmt *s, int i, char *v)
{
    if (i < 1 || i > s->nparams) {
        sol__free(v);
        set_err(s->pg, "parameter index out of range");
        return 25; /* SQLITE_RANGE */
    }
    sol__free(s->vals[i - 1]);
    s->vals[i - 1] = v;
    return SOL_DB_OK;
}

int sol__pg_bind_int64(struct sol_pgstmt *s, int i, int64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "%" PRId64, v);
    char *d = sol__strdup(b);
    return d ? bind(s, i, d) : SOL_DB_NOMEM;
}

int sol__pg_bind_double(struct sol_pgstmt *s, int i, double v)
{
    char b[32];
    if (isnan(v))
        snprintf(b, sizeof b, "NaN");
    else if (isinf(v))
        snprintf(b, sizeof b, "%sInfinity", v < 0 ? "-" : "");
    else
        snprintf(b, sizeof b, "%.17g", v);
    char *d = sol__strdup(b);
    return d ? bind(s, i, d) : SOL_DB_NOMEM;
}

int sol__pg_bind_text(struct sol_pgstmt *s, int i, const char *v, int n)
{
    size_t len = n < 0 ? strlen(v) : (size_t)n;
    char *d = sol__malloc(len + 1);
    if (d == NULL)
        return SOL_DB_NOMEM;
    memcpy(d, v, len);
    d[len] = 0;
    return bind(s, i, d);
}

int sol__pg_bind_null(struct sol_pgstmt *s, int i)
{
    return bind(s, i, NULL);
}

/* One statement on the server. Inside a transaction a write runs under a savepoint: SQLite undoes
 * only the statement that failed (a duplicate row, a refused trigger) and the store's code goes
 * on (reports the row, writes the rest of a preview), where PostgreSQL would abort the whole
 * transaction. */
static int run(struct sol_pgstmt *s)
{
    PGconn *c = s->pg->conn;
    int guard = s->write && PQtransactionStatus(c) == PQTRANS_INTRANS;
    if (guard)
        PQclear(PQexec(c, "SAVEPOINT sol_stmt"));
    const char *const *vals = (const char *const *)s->vals;
    s->res = s->name[0] ? PQexecPrepared(c, s->name, s->nparams, vals, NULL, NULL, 0)
                        : PQexecParams(c, s->sql, s->nparams, s->types, vals, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(s->res);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        int rc = result_code(s->pg, s->res);
        if (guard)
            PQclear(PQexec(c, "ROLLBACK TO SAVEPOINT sol_stmt; RELEASE SAVEPOINT sol_stmt"));
        return rc;
    }
    if (guard)
        PQclear(PQexec(c, "RELEASE SAVEPOINT sol_stmt"));
    s->pg->changes = cmd_tuples(s->res);
    s->nrows = st == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
    s->row = -1;
    if (s->returning) { /* the id of the last row written, as sqlite3_last_insert_rowid */
        if (s->nrows > 0)
            s->pg->last_id = strtoll(PQgetvalue(s->res, s->nrows - 1, 0), NULL, 10);
        s->nrows = 0;
    }
    return SOL_DB_OK;
}

enum { STREAM_BLOCK = 10000 }; /* rows fetched at a time from a streamed statement's cursor */

static void close_cursor(struct sol_pgstmt *s)
{
    if (s->cursor[0] == 0)
        return;
    PGconn *c = s->pg->conn;
    if (PQstatus(c) == CONNECTION_OK && PQtransactionStatus(c) != PQTRANS_INERROR) {
        char sql[48];
        snprintf(sql, sizeof sql, "CLOSE %s", s->cursor);
        PQclear(PQexec(c, sql));
    }
    s->cursor[0] = 0;
}

/* The next block of a streamed statement's rows into s->res (the cursor declared first). Outside
 * a transaction the cursor is WITH HOLD: the server keeps the result, the client a block. */
static int fetch_block(struct sol_pgstmt *s)
{
    PGconn *c = s->pg->conn;
    PQclear(s->res);
    s->res = NULL;
    if (s->cursor[0] == 0) {
        snprintf(s->cursor, sizeof s->cursor, "c%u", ++s->pg->next_name);
        size_t n = strlen(s->sql) + 64;
        char *d = sol__malloc(n);
        if (d == NULL)
            return SOL_DB_NOMEM;
        snprintf(d, n, "DECLARE %s NO SCROLL CURSOR %s FOR %s", s->cursor,
                 PQtransactionStatus(c) == PQTRANS_IDLE ? "WITH HOLD" : "", s->sql);
        PGresult *r =
            PQexecParams(c, d, s->nparams, s->types, (const char *const *)s->vals, NULL, NULL, 0);
        sol__free(d);
        int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? SOL_DB_OK : result_code(s->pg, r);
        PQclear(r);
        if (rc != SOL_DB_OK) {
            s->cursor[0] = 0;
            return rc;
        }
    }
    char sql[64];
    snprintf(sql, sizeof sql, "FETCH FORWARD %d FROM %s", STREAM_BLOCK, s->cursor);
    s->res = PQexec(c, sql);
    if (PQresultStatus(s->res) != PGRES_TUPLES_OK)
        return result_code(s->pg, s->res);
    s->nrows = PQntuples(s->res);
    s->more = s->nrows == STREAM_BLOCK;
    s->row = -1;
    return SOL_DB_OK;
}

int sol__pg_step(struct sol_pgstmt *s)
{
    if (s->done)
        return SOL_DB_DONE;
    if (s->res == NULL || (s->stream && s->row + 1 >= s->nrows && s->more)) {
        int rc = s->stream ? fetch_block(s) : run(s);
        if (rc != SOL_DB_OK) {
            PQclear(s->res);
            s->res = NULL;
            s->done = 1;
            close_cursor(s);
            return rc;
        }
    }
    if (++s->row < s->nrows)
        return SOL_DB_ROW;
    s->done = 1;
    close_cursor(s);
    return SOL_DB_DONE;
}

int sol__pg_reset(struct sol_pgstmt *s)
{
    PQclear(s->res);
    s->res = NULL;
    s->done = 0;
    s->more = 0;
    s->row = s->nrows = 0;
    close_cursor(s);
    return SOL_DB_OK;
}

int sol__pg_clear_bindings(struct sol_pgstmt *s)
{
    for (int i = 0; i < s->nparams; i++) {
        sol__free(s->vals[i]);
        s->vals[i] = NULL;
    }
    return SOL_DB_OK;
}

void sol__pg_finalize(struct sol_pgstmt *s)
{
    if (s == NULL)
        return;
    PQclear(s->res);
    close_cursor(s);
    if (s->name[0] && PQstatus(s->pg->conn) == CONNECTION_OK) {
        char sql[48];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
        /* not inside a failed transaction, where it would fail too; the session ends soon */
        if (PQtransactionStatus(s->pg->conn) != PQTRANS_INERROR)
            PQclear(PQexec(s->pg->conn, sql));
    }
    if (s->vals)
        sol__pg_clear_bindings(s);
    sol__free(s->vals);
    sol__free(s->types);
    sol__free(s->sql);
    sol__free(s);
}

static int has_value(struct sol_pgstmt *s, int i)
{
    return s->res && s->row >= 0 && s->row < s->nrows && i >= 0 && i < PQnfields(s->res) &&
           !PQgetisnull(s->res, s->row, i);
}

int sol__pg_column_type(struct sol_pgstmt *s, int i)
{
    if (!has_value(s, i))
        return SOL_DB_NULL;
    switch (PQftype(s->res, i)) {
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
    case OID_OID:
    case OID_BOOL: return SOL_DB_INTEGER;
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC: return SOL_DB_FLOAT;
    case OID_BYTEA: return SOL_DB_BLOB;
    default: return SOL_DB_TEXT;
    }
}

int64_t sol__pg_column_int64(struct sol_pgstmt *s, int i)
{
    if (!has_value(s, i))
        return 0;
    const char *v = PQgetvalue(s->res, s->row, i);
    if (PQftype(s->res, i) == OID_BOOL)
        return v[0] == 't';
    /* numeric and float text ("2.0") truncate as SQLite's integer conversion does */
    if (strpbrk(v, ".eEN") != NULL)
        return (int64_t)strtod(v, NULL);
    return strtoll(v, NULL, 10);
}

double sol__pg_column_double(struct sol_pgstmt *s, int i)
{
    if (!has_value(s, i))
        return 0;
    const char *v = PQgetvalue(s->res, s->row, i);
    if (PQftype(s->res, i) == OID_BOOL)
        return v[0] == 't';
    return strtod(v, NULL);
}

const char *sol__pg_column_text(struct sol_pgstmt *s, int i)
{
    if (!has_value(s, i))
        return NULL;
    const char *v = PQgetvalue(s->res, s->row, i);
    if (PQftype(s->res, i) == OID_BOOL)
        return v[0] == 't' ? "1" : "0";
    return v;
}

int sol__pg_column_bytes(struct sol_pgstmt *s, int i)
{
    const char *v = sol__pg_column_text(s, i);
    return v ? (int)strlen(v) : 0;
}

char *sol__pg_redact(const char *conninfo)
{
    PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
    const char *f[6] = {0}; /* user, host, port, dbname, service, hostaddr */
    static const char *const keys[6] = {"user", "host", "port", "dbname", "service", "hostaddr"};
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        for (int k = 0; k < 6; k++)
            if (o->val && *o->val && strcmp(o->keyword, keys[k]) == 0)
                f[k] = o->val;
    char b[1024];
    if (opts == NULL)
        snprintf(b, sizeof b, "postgresql://");
    else
        snprintf(b, sizeof b, "postgresql://%s%s%s%s%s/%s%s%s", f[0] ? f[0] : "", f[0] ? "@" : "",
                 f[1]   ? f[1]
                 : f[5] ? f[5]
                        : "",
                 f[2] ? ":" : "", f[2] ? f[2] : "", f[3] ? f[3] : "", f[4] ? "?service=" : "",
                 f[4] ? f[4] : "");
    PQconninfoFree(opts);
    return sol__strdup(b);
}

/* The COPY's own statement, with its savepoint around it inside a transaction (see run): sent as
 * one query, so that a batch costs two round trips (this, then the data and the results), not
 * four. A failed COPY skips the RELEASE after it; the caller rolls back to the savepoint. */
static char *copy_query(const char *sql, int guard)
{
    const char *pre = guard ? "SAVEPOINT sol_stmt; " : "";
    const char *post = guard ? "; RELEASE SAVEPOINT sol_stmt" : "";
    size_t n = strlen(pre) + strlen(sql) + strlen(post) + 1;
    char *q = sol__malloc(n);
    if (q != NULL)
        snprintf(q, n, "%s%s%s", pre, sql, post);
    return q;
}

/* The row of the COPY's data the server stopped at, from the context of its error ("COPY
 * observation, line 12": rows count from 1, in the binary format too), or -1. */
static int64_t copy_row(const PGresult *r)
{
    const char *c = PQresultErrorField(r, PG_DIAG_CONTEXT);
    const char *l = c && strncmp(c, "COPY ", 5) == 0 ? strstr(c, ", line ") : NULL;
    long long line = l ? strtoll(l + 7, NULL, 10) : 0;
    return line > 0 ? (int64_t)line - 1 : -1;
}

int64_t sol__pg_copy_row(struct sol_pg *pg)
{
    return pg->copy_row;
}

int sol__pg_copy(struct sol_pg *pg, const char *sql, const char *data, size_t n)
{
    pg->copy_row = -1;
    int guard = PQtransactionStatus(pg->conn) == PQTRANS_INTRANS;
    char *q = copy_query(sql, guard);
    if (q == NULL)
        return SOL_DB_NOMEM;
    /* PQexec stops at the COPY (the SAVEPOINT's result is dropped); the RELEASE's comes after
     * the COPY's, below */
    PGresult *r = PQexec(pg->conn, q);
    sol__free(q);
    int rc = SOL_DB_OK, ok = 0;
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        rc = result_code(pg, r);
        PQclear(r);
    } else {
        PQclear(r);
        ok = PQputCopyData(pg->conn, data, (int)n) == 1;
        if (PQputCopyEnd(pg->conn, ok ? NULL : "the client stopped") != 1)
            ok = 0;
        while ((r = PQgetResult(pg->conn)) != NULL) {
            if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == SOL_DB_OK) {
                rc = result_code(pg, r);
                pg->copy_row = copy_row(r);
            } else if (rc == SOL_DB_OK && strncmp(PQcmdStatus(r), "COPY", 4) == 0)
                pg->changes = cmd_tuples(r);
            PQclear(r);
        }
        if (!ok && rc == SOL_DB_OK) {
            set_err(pg, PQerrorMessage(pg->conn));
            rc = SOL_DB_ERROR;
        }
    }
    if (guard && rc != SOL_DB_OK)
        PQclear(PQexec(pg->conn, "ROLLBACK TO SAVEPOINT sol_stmt; RELEASE SAVEPOINT sol_stmt"));
    return rc;
}
