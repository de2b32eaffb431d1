/* microsql.c - survey microdata in a PostgreSQL table, estimated where it lives: the direct
 * poverty estimates of sol_poverty_estimate computed from aggregates the server sends back
 * (sums by domain, stratum and PSU; exact weighted quantiles by histogram refinement), so that no
 * person's row leaves the database. docs/microdata-sql.md gives the SQL and the numerics. */
#include "run/microsql.h"

#include "core/core.h"
#include "run/run_int.h"

#include <libpq-fe.h>
#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

enum {
    BINS = 512,     /* buckets per quantile window and round */
    FEW_ROWS = 256, /* a window this small is read as its distinct values and their weights */
    MAX_ROUNDS = 64 /* refinement stops well before: each round narrows a window to one bucket */
};

/* ---- the connection ------------------------------------------------------------------------ */

typedef struct conn {
    PGconn *pg;
    char table[600]; /* "schema"."name", quoted */
    char shown[400]; /* host:port/database, for messages (never the password) */
    uint64_t bytes;  /* bytes of the values the server sent back */
    int fed;         /* an agency (?agency=SCHEMA): its functions, never its table */
    int k;           /* the agency's threshold */
    char **withheld; /* the domains the agency withheld (fewer than k rows) */
    size_t nwithheld;
} conn;

/* The libpq address without our own parameter "table", which goes to *table. */
static sol_status split_address(const char *url, sol_buf *conninfo, char *table, size_t tn,
                                int *fed, sol_error *err)
{
    const char *q = strchr(url, '?');
    size_t base = q ? (size_t)(q - url) : strlen(url);
    table[0] = '\0';
    if (sol__buf_add(conninfo, url, base) != SOL_OK)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    char sep = '?';
    for (const char *p = q ? q + 1 : NULL; p && *p;) {
        size_t len = strcspn(p, "&");
        int ag = len > 7 && strncmp(p, "agency=", 7) == 0;
        if (ag) { /* the schema of an agency's functions: read like a table name */
            if (len - 7 >= tn)
                return sol__err(err, SOL_EINVAL, "--microdata-sql: the agency name is too long");
            memcpy(table, p + 7, len - 7);
            table[len - 7] = '\0';
            *fed = 1;
        } else if (len > 6 && strncmp(p, "table=", 6) == 0) {
            if (len - 6 >= tn)
                return sol__err(err, SOL_EINVAL, "--microdata-sql: the table name is too long");
            memcpy(table, p + 6, len - 6);
            table[len - 6] = '\0';
        } else if (len > 0) {
            if (sol__buf_addc(conninfo, sep) != SOL_OK || sol__buf_add(conninfo, p, len) != SOL_OK)
                return sol__err(err, SOL_ENOMEM, "out of memory");
            sep = '&';
        }
        p += len + (p[len] == '&');
    }
    if (table[0] == '\0')
        return sol__err(err, SOL_EINVAL,
                        "--microdata-sql: the address names no table; add ?table=NAME, e.g. "
                        "postgresql://user@host/database?table=survey.persons (or "
                        "?agency=SCHEMA for an agency's functions)");
    return SOL_OK;
}

/* "schema"."name" (or "name") quoted by the server's rules. */
static sol_status quote_table(conn *c, const char *name, sol_error *err)
{
    const char *dot = strchr(name, '.');
    char part[2][256] = {"", ""};
    size_t n0 = dot ? (size_t)(dot - name) : strlen(name);
    if (n0 == 0 || n0 >= sizeof part[0] || (dot && (dot[1] == '\0' || strlen(dot + 1) >= 256)))
        return sol__err(err, SOL_EINVAL, "--microdata-sql: table '%s' is not NAME or SCHEMA.NAME",
                        name);
    memcpy(part[0], name, n0);
    if (dot)
        strncpy(part[1], dot + 1, sizeof part[1] - 1);
    c->table[0] = '\0';
    for (int k = 0; k < (dot ? 2 : 1); k++) {
        char *qid = PQescapeIdentifier(c->pg, part[k], strlen(part[k]));
        if (qid == NULL)
            return sol__err(err, SOL_EINVAL, "--microdata-sql: table '%s': %s", name,
                            PQerrorMessage(c->pg));
        size_t used = strlen(c->table);
        snprintf(c->table + used, sizeof c->table - used, "%s%s", k ? "." : "", qid);
        PQfreemem(qid);
    }
    return SOL_OK;
}

/* libpq's message on one line, without its trailing newline. */
static const char *one_line(const char *msg, char *buf, size_t n)
{
    snprintf(buf, n, "%s", msg ? msg : "");
    buf[strcspn(buf, "\n")] = '\0';
    return buf;
}

static sol_status open_conn(conn *c, const char *url, sol_error *err)
{
    sol_buf ci;
    char table[520], line[300];
    sol__buf_init(&ci, 8192);
    sol_status rc = split_address(url, &ci, table, sizeof table, &c->fed, err);
    if (rc != SOL_OK) {
        sol__buf_free(&ci);
        return rc;
    }
    c->pg = PQconnectdb(ci.data);
    sol__buf_free(&ci);
    if (c->pg == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    snprintf(c->shown, sizeof c->shown, "%s:%s/%s", PQhost(c->pg) ? PQhost(c->pg) : "",
             PQport(c->pg) ? PQport(c->pg) : "", PQdb(c->pg) ? PQdb(c->pg) : "");
    if (PQstatus(c->pg) != CONNECTION_OK) {
        const char *m = PQerrorMessage(c->pg);
        if (strstr(m, "password authentication failed") || PQconnectionUsedPassword(c->pg))
            return sol__err(err, SOL_EIO,
                            "PostgreSQL server %s refused the user name or the password (the "
                            "password is not shown); check them with the database's owner",
                            c->shown);
        if (PQconnectionNeedsPassword(c->pg))
            return sol__err(err, SOL_EIO,
                            "PostgreSQL server %s asks for a password: give it in the address, in "
                            "~/.pgpass or in PGPASSWORD",
                            c->shown);
        return sol__err(err, SOL_EIO,
                        "cannot reach the PostgreSQL server %s (%s); check the host, the port and "
                        "that the server is running",
                        c->shown, one_line(m, line, sizeof line));
    }
    /* a table partitioned by area over postgres_fdw servers: each server aggregates its own
     * partitions when the grouping holds the area (PostgreSQL leaves this off by default) */
    PGresult *r = PQexec(c->pg, "SET enable_partitionwise_aggregate = on");
    PQclear(r);
    if (c->fed && strchr(table, '.'))
        return sol__err(err, SOL_EINVAL, "--microdata-sql: ?agency= takes a schema name, not '%s'",
                        table);
    return quote_table(c, table, err);
}

static void close_conn(conn *c)
{
    if (c->pg)
        PQfinish(c->pg);
    c->pg = NULL;
    for (size_t i = 0; i < c->nwithheld; i++)
        sol__free(c->withheld[i]);
    sol__free(c->withheld);
    c->withheld = NULL;
    c->nwithheld = 0;
}

/* Run a query that returns rows; NULL with err set when it fails. */
static PGresult *query(conn *c, const char *sql, int np, const char *const *params, sol_error *err)
{
    PGresult *r = PQexecParams(c->pg, sql, np, NULL, params, NULL, NULL, 0);
    if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK) {
        char line[300];
        sol__err(err, SOL_EIO, "PostgreSQL server %s: %s", c->shown,
                 one_line(r ? PQresultErrorMessage(r) : PQerrorMessage(c->pg), line, sizeof line));
        PQclear(r);
        return NULL;
    }
    for (int i = 0; i < PQntuples(r); i++)
        for (int k = 0; k < PQnfields(r); k++)
            c->bytes += (uint64_t)PQgetlength(r, i, k);
    return r;
}

/* A cell as a number; an empty sum (SQL NULL) is 0. */
static double num(const PGresult *r, int i, int k)
{
    return PQgetisnull(r, i, k) ? 0 : strtod(PQgetvalue(r, i, k), NULL);
}

/* A cell an agency may withhold: NULL is NaN, so that a withheld sum never counts as 0. */
static double numn(const PGresult *r, int i, int k)
{
    return PQgetisnull(r, i, k) ? NAN : strtod(PQgetvalue(r, i, k), NULL);
}

/* ---- the job's columns ---------------------------------------------------------------------- */

/* Quoted column expressions: x the income, w the weight, d the domain, s the stratum, u the PSU
 * (constants when the role is not given). */
typedef struct cols {
    char x[300], w[300], d[300], s[300], u[300];
} cols;

static sol_status quote_col(conn *c, const char *name, const char *cast, char *out, size_t n,
                            sol_error *err)
{
    char *q = PQescapeIdentifier(c->pg, name, strlen(name));
    if (q == NULL)
        return sol__err(err, SOL_EINVAL, "column '%s': %s", name, PQerrorMessage(c->pg));
    snprintf(out, n, "%s::%s", q, cast);
    PQfreemem(q);
    return SOL_OK;
}

/* The table exists and has every column name[i] (NULL: not asked), in the role what[i]. */
static sol_status need_columns(conn *c, const char *const *name, const char *const *what, size_t n,
                               sol_error *err)
{
    const char *p[1] = {c->table};
    PGresult *r = query(c,
                        "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = "
                        "to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY "
                        "a.attnum",
                        1, p, err);
    if (r == NULL)
        return SOL_EIO;
    sol_status rc = SOL_OK;
    if (PQntuples(r) == 0) {
        rc = sol__err(err, SOL_ENOTFOUND,
                      "PostgreSQL server %s: no table or view %s (or this role may not see it); "
                      "check ?table= in the address",
                      c->shown, c->table);
        goto done;
    }
    for (size_t q = 0; q < n; q++) {
        int found = name[q] == NULL;
        for (int i = 0; !found && i < PQntuples(r); i++)
            found = strcmp(PQgetvalue(r, i, 0), name[q]) == 0;
        if (!found) {
            char list[1024] = "";
            for (int i = 0; i < PQntuples(r); i++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                         PQgetvalue(r, i, 0));
            rc = sol__err(err, SOL_ENOTFOUND,
                          "table %s on %s has no column '%s' (the %s); its columns are: %s",
                          c->table, c->shown, name[q], sol_gettext(what[q]), list);
            goto done;
        }
    }
done:
    PQclear(r);
    return rc;
}

/* The table exists and has every mapped column; the expressions of each role. */
static sol_status check_columns(conn *c, const sol_poverty_job *j, const char *const *more,
                                size_t n_more, cols *k, sol_error *err)
{
    const char *name[5 + 64] = {j->income, j->weight, j->by, j->strata, j->psu};
    const char *what[5 + 64] = {N_("income"), N_("weight"), N_("domain code"), N_("stratum"),
                                N_("PSU")};
    if (n_more > 64)
        return sol__err(err, SOL_ELIMIT, "--microdata-sql takes at most 64 indicators");
    for (size_t i = 0; i < n_more; i++) {
        name[5 + i] = more[i];
        what[5 + i] = N_("indicator");
    }
    sol_status rc = need_columns(c, name, what, 5 + n_more, err);
    if (rc != SOL_OK)
        return rc;
    snprintf(k->x, sizeof k->x, "NULL::float8");
    snprintf(k->w, sizeof k->w, "1::float8"); /* mpi without weights */
    if ((j->income && (rc = quote_col(c, j->income, "float8", k->x, sizeof k->x, err)) != SOL_OK) ||
        (j->weight && (rc = quote_col(c, j->weight, "float8", k->w, sizeof k->w, err)) != SOL_OK))
        return rc;
    snprintf(k->d, sizeof k->d, "''::text");
    snprintf(k->s, sizeof k->s, "''::text");
    snprintf(k->u, sizeof k->u, "''::text");
    if ((j->by && (rc = quote_col(c, j->by, "text", k->d, sizeof k->d, err)) != SOL_OK) ||
        (j->strata && (rc = quote_col(c, j->strata, "text", k->s, sizeof k->s, err)) != SOL_OK) ||
        (j->psu && (rc = quote_col(c, j->psu, "text", k->u, sizeof k->u, err)) != SOL_OK))
        return rc;
    return SOL_OK;
}

/* ---- an agency: its setup, its roles, what it withholds ------------------------------------ */

/* The agency has solidata's functions in its schema, computes from the job's columns (a role the
 * job leaves out is fine: it is a constant then), and says which domains it withholds. */
static sol_status agency_indicators(conn *c, const sol_mpi_spec *spec, int *pos, sol_error *err);

static sol_status check_agency(conn *c, const sol_poverty_job *j, const sol_mpi_spec *spec,
                               int *pos, sol_error *err)
{
    char fn[700];
    snprintf(fn, sizeof fn, "%s.setup()", c->table);
    const char *p[1] = {fn};
    PGresult *r = query(c, "SELECT to_regprocedure($1) IS NOT NULL", 1, p, err);
    if (r == NULL)
        return SOL_EIO;
    int has = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    if (!has)
        return sol__err(err, SOL_ENOTFOUND,
                        "PostgreSQL server %s has no solidata agency functions in schema %s (or "
                        "this role may not see them): the agency runs the script of 'solidata "
                        "microdata agency-sql --table T --role ROLE --weight W --income INC --by "
                        "D' as the table's owner (docs/microdata-sql.md, Federation)",
                        c->shown, c->table);
    char sql[800];
    snprintf(sql, sizeof sql, "SELECT income, weight, domain, strata, psu, k FROM %s.setup()",
             c->table);
    if ((r = query(c, sql, 0, NULL, err)) == NULL)
        return SOL_EIO;
    const struct {
        const char *mine, *opt;
        int optional;
    } role[5] = {{j->income, "income", 0},
                 {j->weight, "weight", 0},
                 {j->by, "by", 1},
                 {j->strata, "strata", 1},
                 {j->psu, "psu", 1}};
    sol_status rc = SOL_OK;
    for (int q = spec ? 1 : 0; q < 5 && rc == SOL_OK; q++) { /* mpi reads no income */
        const char *theirs = PQgetisnull(r, 0, q) ? NULL : PQgetvalue(r, 0, q);
        if (role[q].mine == NULL && role[q].optional)
            continue;
        if (theirs == NULL || role[q].mine == NULL || strcmp(theirs, role[q].mine) != 0)
            rc =
                sol__err(err, SOL_EINVAL,
                         "the agency on %s computes --%s from column '%s', not '%s'; give "
                         "--%s %s, or ask the agency to set up its functions again",
                         c->shown, role[q].opt, theirs ? theirs : "(none)",
                         role[q].mine ? role[q].mine : "(none)", role[q].opt, theirs ? theirs : "");
    }
    c->k = (int)strtol(PQgetvalue(r, 0, 5), NULL, 10);
    PQclear(r);
    if (rc == SOL_OK && spec)
        rc = agency_indicators(c, spec, pos, err);
    if (rc != SOL_OK)
        return rc;
    snprintf(sql, sizeof sql, "SELECT d FROM %s.withheld()", c->table);
    if ((r = query(c, sql, 0, NULL, err)) == NULL)
        return SOL_EIO;
    size_t n = (size_t)PQntuples(r);
    if (n && (c->withheld = sol__calloc(n, sizeof *c->withheld)) == NULL)
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
    for (size_t i = 0; rc == SOL_OK && i < n; i++) {
        const char *d = PQgetisnull(r, (int)i, 0) ? "(no code)" : PQgetvalue(r, (int)i, 0);
        if ((c->withheld[i] = sol__strdup(d)) == NULL)
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
        else
            c->nwithheld++;
    }
    PQclear(r);
    return rc;
}

/* Each spec column's position (1-based) among the agency's deprivation indicators. */
static sol_status agency_indicators(conn *c, const sol_mpi_spec *spec, int *pos, sol_error *err)
{
    char sql[800];
    snprintf(sql, sizeof sql,
             "SELECT i, c FROM unnest((SELECT indicators FROM %s.setup())) WITH ORDINALITY AS "
             "t(c, i) ORDER BY i",
             c->table);
    PGresult *r = query(c, sql, 0, NULL, err);
    if (r == NULL)
        return SOL_EIO;
    sol_status rc = SOL_OK;
    for (size_t j = 0; j < spec->n && rc == SOL_OK; j++) {
        pos[j] = 0;
        for (int i = 0; i < PQntuples(r) && pos[j] == 0; i++)
            if (strcmp(PQgetvalue(r, i, 1), spec->ind[j].column) == 0)
                pos[j] = (int)strtol(PQgetvalue(r, i, 0), NULL, 10);
        if (pos[j] == 0) {
            char list[SOL_ERROR_MSG_MAX / 2] = "";
            for (int i = 0; i < PQntuples(r); i++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                         PQgetvalue(r, i, 1));
            rc = sol__err(err, SOL_EINVAL,
                          "the agency on %s has no deprivation indicator '%s' (it has: %s); ask "
                          "the agency to set up its functions again with --indicator %s",
                          c->shown, spec->ind[j].column, list[0] ? list : "none",
                          spec->ind[j].column);
        }
    }
    PQclear(r);
    return rc;
}

/* ---- what the server sends back, merged over the connections -------------------------------- */

/* The rows every query reads from: the roles under fixed names. */
static sol_status from_clause(const conn *c, const cols *k, sol_buf *b)
{
    return sol__buf_addf(b, "(SELECT %s AS x, %s AS w, %s AS d, %s AS s, %s AS u FROM %s) t", k->x,
                         k->w, k->d, k->s, k->u, c->table);
}

/* A domain (area) or the total: sums over its rows, then its estimates. */
typedef struct agg {
    double n, W, swx, swxx, xmin, xmax, bad_x, bad_w, bad_code;
    double q[3];                      /* weighted quantiles at 0.2, 0.5, 0.8 */
    double np, wpoor, pmin, pmax, mp; /* the poor: count, weight, range, median */
    double top, bottom;               /* sum w x above q(0.8), at or below q(0.2) */
    double kd_t;                      /* sum w phi((t - x) / h) with the domain's own bandwidth h */
    double ga, gb;                    /* Gini: sum w x C(x), sum w^2 x */
    double h;                         /* bandwidth */
    double nag;                       /* agencies that hold rows of the domain */
} agg;

/* Per (domain, stratum, PSU): the sums from which the linearised scores' PSU totals follow. */
enum {
    F_N,
    F_W,
    F_WI,
    F_WG,
    F_WG2,
    F_WX,
    F_WJ, /* count, w, w I, w g, w g^2, w x, w (J - 1/2) */
    F_W2,
    F_W2I,
    F_W2G,
    F_W2G2,
    F_W2G4,
    F_W2X,
    F_W2X2,
    F_W2JI,
    F_W2J, /* w^2 times ...: */
    NF     /* rows as their own PSU */
};

typedef struct cell {
    size_t row;  /* result row (a domain; the total has no cells of its own) */
    size_t unit; /* PSU (or stratum when rows are their own PSU) */
    double f[NF];
} cell;

typedef struct est {
    conn *c;
    size_t nc;
    const sol_poverty_job *j;
    cols k[8];
    size_t nd;       /* domains; result row nd is the total */
    char **names;    /* nd domain names, sorted by strcmp */
    agg *a;          /* nd + 1 */
    double t, share; /* the line; its share of the median (0 with a fixed line) */
    /* design */
    sol_strmap *cellmap, *unitmap, *stratmap;
    cell *cells;
    size_t ncells, cap;
    size_t nunits, nstrata;
    size_t *unit_str; /* per unit: stratum */
    char **strata_names;
    double *n_h; /* per stratum: PSUs (rows without PSUs) */
    /* federation: result rows a withheld cell touches; quantiles the agencies' k withheld */
    unsigned char *cell_withheld;
    size_t q_withheld, cells_withheld;
} est;

/* The result row of a domain name the server sent (nd for the total when there is no --by). */
static long row_of(const est *e, const char *name)
{
    if (e->j->by == NULL)
        return (long)e->nd;
    size_t lo = 0, hi = e->nd;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(e->names[mid], name);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static sol_status nomem(sol_error *err)
{
    return sol__err(err, SOL_ENOMEM, "out of memory");
}

static void add_min_max(agg *a, double lo, double hi, int first)
{
    if (first || lo < a->xmin)
        a->xmin = lo;
    if (first || hi > a->xmax)
        a->xmax = hi;
}

/* Pass 1: the domains, their counts, weights, sums and ranges; bad values counted. */
static sol_status pass_domains(est *e, sol_error *err)
{
    sol_strmap *seen = sol__strmap_new(64);
    char **names = NULL;
    size_t nn = 0;
    PGresult **res = sol__calloc(e->nc, sizeof *res);
    sol_status rc = SOL_ENOMEM;
    if (seen == NULL || res == NULL)
        goto done;
    for (size_t ci = 0; ci < e->nc; ci++) {
        sol_buf b;
        sol__buf_init(&b, 1 << 16);
        if (e->c[ci].fed) { /* the same columns, the range widened to powers of two */
            rc = sol__buf_addf(&b, "SELECT * FROM %s.domains()", e->c[ci].table);
        } else {
            sol__buf_addf(&b,
                          "SELECT d, count(*), sum(w::numeric), sum(w::numeric * x::numeric), "
                          "sum(w::numeric * x::numeric * x::numeric), min(x), max(x), "
                          "sum(CASE WHEN x > '-Infinity'::float8 AND x < 'Infinity'::float8 THEN "
                          "0 ELSE 1 END), sum(CASE WHEN w >= 0 AND w < 'Infinity'::float8 THEN 0 "
                          "ELSE 1 END), sum(CASE WHEN d IS NULL OR s IS NULL OR u IS NULL THEN 1 "
                          "ELSE 0 END) FROM ");
            from_clause(&e->c[ci], &e->k[ci], &b);
            rc = sol__buf_addf(&b, " GROUP BY d");
        }
        if (rc == SOL_OK)
            res[ci] = query(&e->c[ci], b.data, 0, NULL, err);
        sol__buf_free(&b);
        if (rc != SOL_OK || res[ci] == NULL) {
            rc = rc != SOL_OK ? nomem(err) : SOL_EIO;
            goto done;
        }
        for (int i = 0; i < PQntuples(res[ci]); i++) {
            const char *nm = PQgetisnull(res[ci], i, 0) ? "" : PQgetvalue(res[ci], i, 0);
            if (sol__strmap_get(seen, nm, strlen(nm), NULL))
                continue;
            char **nn2 = sol__realloc(names, (nn + 1) * sizeof *names);
            if (nn2 == NULL)
                goto done;
            names = nn2;
            if ((names[nn] = sol__strdup(nm)) == NULL ||
                sol__strmap_put(seen, nm, strlen(nm), (int64_t)nn) != SOL_OK)
                goto done;
            nn++;
        }
    }
    if (e->j->by) {
        qsort(names, nn, sizeof *names, cmp_str);
        e->nd = nn;
        e->names = names;
        names = NULL;
    }
    if ((e->a = sol__calloc(e->nd + 1, sizeof *e->a)) == NULL)
        goto done;
    int first_total = 1;
    for (size_t ci = 0; ci < e->nc; ci++) {
        for (int i = 0; i < PQntuples(res[ci]); i++) {
            const PGresult *r = res[ci];
            const char *nm = PQgetisnull(r, i, 0) ? "" : PQgetvalue(r, i, 0);
            long row = row_of(e, nm);
            for (int pass = 0; pass < 2; pass++) {
                agg *a = &e->a[pass == 0 ? (size_t)row : e->nd];
                if (pass == 0 && row == (long)e->nd)
                    continue; /* no --by: the total only */
                int first = pass ? first_total : a->n == 0;
                a->n += num(r, i, 1);
                a->W += num(r, i, 2);
                a->swx += num(r, i, 3);
                a->swxx += num(r, i, 4);
                add_min_max(a, num(r, i, 5), num(r, i, 6), first);
                a->bad_x += num(r, i, 7);
                a->bad_w += num(r, i, 8);
                a->bad_code += num(r, i, 9);
                a->nag += 1;
                if (pass)
                    first_total = 0;
            }
        }
    }
    agg *t = &e->a[e->nd];
    if (t->n == 0)
        rc = sol__err(err, SOL_EINVAL, "no persons in the sample");
    else if (t->bad_x > 0)
        rc = sol__err(err, SOL_EINVAL,
                      "%.0f rows of the table have an income that is missing or not a finite "
                      "number (column %s)",
                      t->bad_x, e->j->income);
    else if (t->bad_w > 0)
        rc = sol__err(err, SOL_EINVAL,
                      "%.0f rows of the table have a weight that is missing, negative or not "
                      "finite (column %s)",
                      t->bad_w, e->j->weight);
    else if (t->bad_code > 0)
        rc = sol__err(err, SOL_EINVAL,
                      "%.0f rows of the table have no domain, stratum or PSU code (NULL)",
                      t->bad_code);
    else if (!(t->W > 0))
        rc = sol__err(err, SOL_EINVAL, "the weights sum to zero");
    else
        rc = SOL_OK;
done:
    if (rc == SOL_ENOMEM)
        nomem(err);
    for (size_t ci = 0; res && ci < e->nc; ci++)
        PQclear(res[ci]);
    sol__free(res);
    for (size_t i = 0; names && i < nn; i++)
        sol__free(names[i]);
    sol__free(names);
    sol__strmap_free(seen);
    return rc;
}

/* ---- exact weighted quantiles from histograms ------------------------------------------------ */

/* A quantile being found: laeken's q(p), the smallest x whose cumulative weight share is above p,
 * is in [lo, hi]; `below` is the weight under lo. Each round splits every window into BINS
 * buckets (counts and weights per bucket: aggregates), keeps the bucket where the share passes p
 * (narrowed to its smallest and largest value), until a window holds one value or few rows, whose
 * distinct values and weights are then read to place p exactly. */
typedef struct target {
    size_t row; /* result row; nd: every domain (the total) */
    double p, Wt;
    double lo, hi, nwin;
    long double below;
    double *out;
} target;

enum { BATCH = 48, MAXPAR = 2 + 3 * BATCH };

typedef struct params {
    const char *v[MAXPAR];
    char num[MAXPAR][32];
    int n;
} params;

static int par_num(params *p, double x)
{
    snprintf(p->num[p->n], sizeof p->num[0], "%.17g", x);
    p->v[p->n] = p->num[p->n];
    return ++p->n;
}

static int par_text(params *p, const char *s)
{
    p->v[p->n] = s;
    return ++p->n;
}

/* WHERE: the poor only (x < t) when asked, and a row in one of the windows. */
static sol_status where_windows(const est *e, target *const *tg, size_t nt, int poor, params *p,
                                sol_buf *b)
{
    sol__buf_addf(b, " WHERE ");
    if (poor)
        sol__buf_addf(b, "x < $%d::float8 AND ", par_num(p, e->t));
    sol__buf_addf(b, "(");
    for (size_t i = 0; i < nt; i++) {
        int a = par_num(p, tg[i]->lo), c = par_num(p, tg[i]->hi);
        sol__buf_addf(b, "%s(x >= $%d::float8 AND x <= $%d::float8", i ? " OR " : "", a, c);
        if (tg[i]->row < e->nd)
            sol__buf_addf(b, " AND d = $%d", par_text(p, e->names[tg[i]->row]));
        sol__buf_addf(b, ")");
    }
    return sol__buf_addf(b, ")");
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Does a result row's domain belong to target `t`? */
static int belongs(const est *e, const target *t, const char *name)
{
    return t->row == e->nd || (e->j->by && strcmp(e->names[t->row], name) == 0);
}

/* One round of histograms for the targets tg (windows of more than FEW_ROWS rows). */
static sol_status bucket_round(est *e, target **tg, size_t nt, int poor, sol_error *err)
{
    size_t nthr = 0;
    double *thr = sol__malloc((nt * (BINS + 1) + 1) * sizeof *thr);
    double *bc = NULL;
    sol_buf arr, b;
    sol__buf_init(&arr, (size_t)1 << 26);
    sol__buf_init(&b, (size_t)1 << 20);
    sol_status rc = SOL_ENOMEM;
    if (thr == NULL)
        goto done;
    for (size_t i = 0; i < nt; i++) {
        for (int k = 0; k < BINS; k++)
            thr[nthr++] = tg[i]->lo + (tg[i]->hi - tg[i]->lo) * ((double)k / BINS);
        thr[nthr++] = nextafter(tg[i]->hi, INFINITY);
    }
    qsort(thr, nthr, sizeof *thr, cmp_dbl);
    size_t u = 0;
    for (size_t i = 0; i < nthr; i++)
        if (u == 0 || thr[i] != thr[u - 1])
            thr[u++] = thr[i];
    nthr = u;
    sol__buf_addc(&arr, '{');
    for (size_t i = 0; i < nthr; i++)
        sol__buf_addf(&arr, "%s%.17g", i ? "," : "", thr[i]);
    if (sol__buf_addc(&arr, '}') != SOL_OK)
        goto done;
    /* per target and bucket: count, weight, min, max */
    if ((bc = sol__calloc(nt * (nthr + 1) * 4, sizeof *bc)) == NULL)
        goto done;
    for (size_t ci = 0; ci < e->nc; ci++) {
        params p = {.n = 0};
        sol__buf_reset(&b);
        int a = par_text(&p, arr.data);
        sol__buf_addf(&b,
                      "SELECT d, width_bucket(x, $%d::float8[]), count(*), sum(w::numeric), "
                      "min(x), max(x) FROM ",
                      a);
        from_clause(&e->c[ci], &e->k[ci], &b);
        where_windows(e, tg, nt, poor, &p, &b);
        if (sol__buf_addf(&b, " GROUP BY 1, 2") != SOL_OK)
            goto done;
        PGresult *r = query(&e->c[ci], b.data, p.n, p.v, err);
        if (r == NULL) {
            rc = SOL_EIO;
            goto done;
        }
        for (int i = 0; i < PQntuples(r); i++) {
            long bk = strtol(PQgetvalue(r, i, 1), NULL, 10);
            if (bk < 1 || (size_t)bk > nthr)
                continue;
            for (size_t q = 0; q < nt; q++) {
                double lb = thr[bk - 1];
                if (lb < tg[q]->lo || lb > tg[q]->hi || !belongs(e, tg[q], PQgetvalue(r, i, 0)))
                    continue;
                double *s = &bc[(q * (nthr + 1) + (size_t)bk) * 4];
                double mn = num(r, i, 4), mx = num(r, i, 5);
                if (s[0] == 0 || mn < s[2])
                    s[2] = mn;
                if (s[0] == 0 || mx > s[3])
                    s[3] = mx;
                s[0] += num(r, i, 2);
                s[1] += num(r, i, 3);
            }
        }
        PQclear(r);
    }
    for (size_t q = 0; q < nt; q++) {
        target *t = tg[q];
        long double cum = 0, cum_last = 0;
        long found = -1, last = -1;
        for (size_t bk = 1; bk <= nthr; bk++) {
            const double *s = &bc[(q * (nthr + 1) + bk) * 4];
            if (s[0] == 0)
                continue;
            if ((double)(t->below + cum + s[1]) / t->Wt > t->p) {
                found = (long)bk;
                break;
            }
            last = (long)bk;
            cum_last = cum;
            cum += s[1];
        }
        if (found < 0 && last < 0) { /* an empty window: the rows changed under us */
            rc = sol__err(err, SOL_EIO, "the table changed while it was being read; run again");
            goto done;
        }
        if (found < 0) { /* p not passed (rounding): the largest value, as laeken */
            found = last;
            cum = cum_last;
        }
        const double *s = &bc[(q * (nthr + 1) + (size_t)found) * 4];
        t->below += cum;
        t->lo = s[2];
        t->hi = s[3];
        t->nwin = s[0];
    }
    rc = SOL_OK;
done:
    if (rc == SOL_ENOMEM)
        nomem(err);
    sol__free(thr);
    sol__free(bc);
    sol__buf_free(&arr);
    sol__buf_free(&b);
    return rc;
}

typedef struct xv {
    double x, w;
} xv;

static int cmp_xv(const void *a, const void *b)
{
    return cmp_dbl(&((const xv *)a)->x, &((const xv *)b)->x);
}

/* The last round: the distinct values of each small window with their weights. */
static sol_status fetch_round(est *e, target **tg, size_t nt, int poor, sol_error *err)
{
    xv **v = sol__calloc(nt, sizeof *v);
    size_t *nv = sol__calloc(nt, sizeof *nv), *cap = sol__calloc(nt, sizeof *cap);
    sol_buf b;
    sol__buf_init(&b, (size_t)1 << 20);
    sol_status rc = SOL_ENOMEM;
    if (v == NULL || nv == NULL || cap == NULL)
        goto done;
    for (size_t ci = 0; ci < e->nc; ci++) {
        params p = {.n = 0};
        sol__buf_reset(&b);
        sol__buf_addf(&b, "SELECT d, x, sum(w::numeric) FROM ");
        from_clause(&e->c[ci], &e->k[ci], &b);
        where_windows(e, tg, nt, poor, &p, &b);
        if (sol__buf_addf(&b, " GROUP BY 1, 2") != SOL_OK)
            goto done;
        PGresult *r = query(&e->c[ci], b.data, p.n, p.v, err);
        if (r == NULL) {
            rc = SOL_EIO;
            goto done;
        }
        for (int i = 0; i < PQntuples(r); i++) {
            double x = num(r, i, 1);
            for (size_t q = 0; q < nt; q++) {
                if (x < tg[q]->lo || x > tg[q]->hi || !belongs(e, tg[q], PQgetvalue(r, i, 0)))
                    continue;
                if (nv[q] == cap[q]) {
                    size_t nc = cap[q] ? 2 * cap[q] : 64;
                    xv *g = sol__realloc(v[q], nc * sizeof *g);
                    if (g == NULL) {
                        PQclear(r);
                        goto done;
                    }
                    v[q] = g;
                    cap[q] = nc;
                }
                v[q][nv[q]++] = (xv){x, num(r, i, 2)};
            }
        }
        PQclear(r);
    }
    for (size_t q = 0; q < nt; q++) {
        target *t = tg[q];
        if (nv[q] == 0) {
            rc = sol__err(err, SOL_EIO, "the table changed while it was being read; run again");
            goto done;
        }
        qsort(v[q], nv[q], sizeof *v[q], cmp_xv);
        long double cum = t->below;
        *t->out = v[q][nv[q] - 1].x;
        for (size_t i = 0; i < nv[q]; i++) {
            cum += v[q][i].w;
            if (i + 1 < nv[q] && v[q][i + 1].x == v[q][i].x)
                continue; /* one value from several domains or servers: its whole weight */
            if ((double)cum / t->Wt > t->p) {
                *t->out = v[q][i].x;
                break;
            }
        }
        t->lo = t->hi = *t->out;
        t->nwin = 0;
    }
    rc = SOL_OK;
done:
    if (rc == SOL_ENOMEM)
        nomem(err);
    for (size_t q = 0; v && q < nt; q++)
        sol__free(v[q]);
    sol__free_n(3, v, nv, cap);
    sol__buf_free(&b);
    return rc;
}

/* ---- the same quantiles from agencies: bisection on the cumulative weight ------------------ */

/* Doubles as unsigned keys in the same order, so that a window splits evenly over the doubles
 * it holds (about 8 rounds from any range down to one double). */
static uint64_t dkey(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return (u >> 63) ? ~u : u | ((uint64_t)1 << 63);
}

static double dval(uint64_t k)
{
    uint64_t u = (k >> 63) ? k & ~((uint64_t)1 << 63) : ~k;
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

enum { FED_THR = 255 }; /* thresholds per window and round */

/* Up to FED_THR thresholds strictly inside (lo, hi), increasing: evenly spaced values while the
 * window is wide (so that about 7 rounds reach one double from any range), evenly spaced doubles
 * once the values would collide. Returns how many. */
static size_t split(double lo, double hi, double *thr)
{
    size_t n = 0;
    for (size_t j = 1; j <= FED_THR; j++) {
        double t = lo + (hi - lo) * ((double)j / (FED_THR + 1));
        if (t > lo && t < hi && (n == 0 || t > thr[n - 1]))
            thr[n++] = t;
    }
    if (n >= FED_THR / 2)
        return n;
    uint64_t klo = dkey(lo), range = dkey(hi) - klo;
    size_t m = range - 1 < FED_THR ? (size_t)(range - 1) : FED_THR;
    uint64_t step = range / (m + 1);
    for (size_t j = 1; j <= m; j++)
        thr[j - 1] = dval(klo + step * j);
    return m;
}

/* The text[] literal of the targets' domains, NULL for the total. */
static sol_status names_lit(const est *e, target *const *tg, size_t nt, sol_buf *b)
{
    sol__buf_addc(b, '{');
    for (size_t i = 0; i < nt; i++) {
        if (i)
            sol__buf_addc(b, ',');
        if (tg[i]->row == e->nd) {
            sol__buf_addf(b, "NULL");
            continue;
        }
        sol__buf_addc(b, '"');
        for (const char *c = e->names[tg[i]->row]; *c; c++) {
            if (*c == '"' || *c == '\\')
                sol__buf_addc(b, '\\');
            sol__buf_addc(b, *c);
        }
        sol__buf_addc(b, '"');
    }
    return sol__buf_addc(b, '}');
}

/* One round for the windows tg: each agency's weight below thresholds inside every window (the
 * agency answers only where at least k of its rows lie on each side); the window narrows to the
 * known thresholds around p. Invariant: the weight below lo is at most p Wt, below hi above it,
 * so q(p) is in [lo, hi) and is lo once hi is the next double. A window that cannot narrow (the
 * agencies withheld every threshold in it) gives a withheld quantile (NaN). */
static sol_status fed_round(est *e, target **tg, size_t nt, int poor, sol_error *err)
{
    size_t *off = sol__calloc(nt + 1, sizeof *off);
    sol_buf an, ao, at, b;
    sol__buf_init(&an, (size_t)1 << 24);
    sol__buf_init(&ao, (size_t)1 << 20);
    sol__buf_init(&at, (size_t)1 << 26);
    sol__buf_init(&b, 1 << 12);
    long double *G = NULL;
    unsigned char *unknown = NULL;
    double *thr = NULL;
    sol_status rc = SOL_ENOMEM;
    if (off == NULL)
        goto done;
    if ((G = sol__calloc(nt * FED_THR + 1, sizeof *G)) == NULL ||
        (unknown = sol__calloc(nt * FED_THR + 1, 1)) == NULL ||
        (thr = sol__calloc(nt * FED_THR + 1, sizeof *thr)) == NULL)
        goto done;
    sol__buf_addc(&ao, '{');
    sol__buf_addc(&at, '{');
    for (size_t i = 0; i < nt; i++) {
        off[i + 1] = off[i] + split(tg[i]->lo, tg[i]->hi, thr + off[i]);
        for (size_t j = off[i]; j < off[i + 1]; j++)
            sol__buf_addf(&at, "%s%.17g", j ? "," : "", thr[j]);
    }
    for (size_t i = 0; i <= nt; i++)
        sol__buf_addf(&ao, "%s%zu", i ? "," : "", off[i]);
    if (sol__buf_addc(&ao, '}') != SOL_OK || sol__buf_addc(&at, '}') != SOL_OK ||
        names_lit(e, tg, nt, &an) != SOL_OK)
        goto done;
    for (size_t ci = 0; ci < e->nc; ci++) {
        params p = {.n = 0};
        par_text(&p, an.data);
        par_text(&p, ao.data);
        par_text(&p, at.data);
        if (poor)
            par_num(&p, e->t);
        else
            p.v[p.n++] = NULL;
        sol__buf_reset(&b);
        if (sol__buf_addf(&b,
                          "SELECT i, j, n, sw FROM %s.cdf($1::text[], $2::int[], $3::float8[], "
                          "$4::float8)",
                          e->c[ci].table) != SOL_OK)
            goto done;
        PGresult *r = query(&e->c[ci], b.data, p.n, p.v, err);
        if (r == NULL) {
            rc = SOL_EIO;
            goto done;
        }
        for (int i = 0; i < PQntuples(r); i++) {
            long ti = strtol(PQgetvalue(r, i, 0), NULL, 10),
                 j = strtol(PQgetvalue(r, i, 1), NULL, 10);
            if (ti < 1 || (size_t)ti > nt || j < 1 || (size_t)j > off[ti] - off[ti - 1])
                continue;
            size_t at_ = off[ti - 1] + (size_t)j - 1;
            if (PQgetisnull(r, i, 3))
                unknown[at_] = 1;
            else
                G[at_] += strtold(PQgetvalue(r, i, 3), NULL);
        }
        PQclear(r);
    }
    for (size_t i = 0; i < nt; i++) {
        target *t = tg[i];
        double lo = t->lo, hi = t->hi;
        for (size_t j = off[i]; j < off[i + 1]; j++) {
            if (unknown[j])
                continue;
            if ((double)G[j] / t->Wt > t->p) {
                hi = thr[j];
                break;
            }
            lo = thr[j];
        }
        if (lo == t->lo && hi == t->hi) {
            *t->out = NAN;
            t->nwin = 0;
            e->q_withheld++;
        }
        t->lo = lo;
        t->hi = hi;
    }
    rc = SOL_OK;
done:
    if (rc == SOL_ENOMEM)
        nomem(err);
    sol__free_n(4, off, G, unknown, thr);
    sol__buf_free(&an);
    sol__buf_free(&ao);
    sol__buf_free(&at);
    sol__buf_free(&b);
    return rc;
}

static sol_status fed_quantiles(est *e, target *t, size_t n, int poor, sol_error *err)
{
    target **todo = sol__malloc((n ? n : 1) * sizeof *todo);
    if (todo == NULL)
        return nomem(err);
    for (size_t i = 0; i < n; i++) {
        t[i].nwin = 1;
        if (!(t[i].Wt > 0) || !(t[i].lo < t[i].hi)) {
            *t[i].out = NAN;
            t[i].nwin = 0;
        }
    }
    sol_status rc = SOL_OK;
    for (int round = 0; rc == SOL_OK && round < 4 * MAX_ROUNDS; round++) {
        size_t nb = 0;
        for (size_t i = 0; i < n; i++) {
            if (t[i].nwin == 0)
                continue;
            if (dkey(t[i].hi) - dkey(t[i].lo) <= 1) {
                *t[i].out = t[i].lo;
                t[i].nwin = 0;
            } else {
                todo[nb++] = &t[i];
            }
        }
        if (nb == 0)
            break;
        for (size_t i = 0; rc == SOL_OK && i < nb; i += BATCH)
            rc = fed_round(e, todo + i, nb - i < BATCH ? nb - i : BATCH, poor, err);
    }
    sol__free(todo);
    return rc;
}

/* Find every target's quantile: rounds of histograms, a batch of targets per query. */
static sol_status quantiles(est *e, target *t, size_t n, int poor, sol_error *err)
{
    if (e->c[0].fed)
        return fed_quantiles(e, t, n, poor, err);
    target **todo = sol__malloc((n ? n : 1) * sizeof *todo);
    if (todo == NULL)
        return nomem(err);
    sol_status rc = SOL_OK;
    for (size_t i = 0; i < n; i++) {
        if (t[i].p <= 0 || !(t[i].Wt > 0))
            *t[i].out = t[i].lo;
        else if (t[i].p >= 1)
            *t[i].out = t[i].hi;
    }
    for (int round = 0; rc == SOL_OK && round < MAX_ROUNDS; round++) {
        size_t nb = 0, nf = 0;
        for (size_t i = 0; i < n; i++) {
            if (t[i].p <= 0 || t[i].p >= 1 || !(t[i].Wt > 0) || t[i].nwin == 0)
                continue;
            if (t[i].lo == t[i].hi) {
                *t[i].out = t[i].lo;
                t[i].nwin = 0;
            } else if (t[i].nwin > FEW_ROWS) {
                todo[nb++] = &t[i];
            }
        }
        for (size_t i = 0; i < n; i++)
            if (t[i].nwin > 0 && t[i].nwin <= FEW_ROWS)
                todo[nb + nf++] = &t[i];
        if (nb + nf == 0)
            break;
        for (size_t i = 0; rc == SOL_OK && i < nb; i += BATCH)
            rc = bucket_round(e, todo + i, nb - i < BATCH ? nb - i : BATCH, poor, err);
        for (size_t i = 0; rc == SOL_OK && i < nf; i += BATCH)
            rc = fetch_round(e, todo + nb + i, nf - i < BATCH ? nf - i : BATCH, poor, err);
    }
    sol__free(todo);
    return rc;
}

/* ---- the passes that need the line and the quantiles ----------------------------------------- */

/* The quantiles at 0.2, 0.5, 0.8 of every domain and of the total. */
static sol_status pass_quantiles(est *e, sol_error *err)
{
    static const double probs[3] = {0.2, 0.5, 0.8};
    size_t n = 3 * (e->nd + 1);
    target *t = sol__calloc(n, sizeof *t);
    if (t == NULL)
        return nomem(err);
    for (size_t r = 0; r <= e->nd; r++)
        for (size_t k = 0; k < 3; k++) {
            agg *a = &e->a[r];
            a->q[k] = NAN;
            t[3 * r + k] = (target){r, probs[k], a->W, a->xmin, a->xmax, a->n, 0, &a->q[k]};
        }
    sol_status rc = quantiles(e, t, n, 0, err);
    sol__free(t);
    return rc;
}

/* An agency's poor (x < t) of each domain and of all: count and weight from the cumulative
 * weight at t (NaN when an agency withholds it: fewer than k poor, or fewer than k others). */
static sol_status fed_poor(est *e, sol_error *err)
{
    target *t = sol__calloc(e->nd + 1, sizeof *t);
    target **tg = sol__calloc(e->nd + 1, sizeof *tg);
    sol_buf an, ao, at, b;
    sol__buf_init(&an, (size_t)1 << 24);
    sol__buf_init(&ao, (size_t)1 << 20);
    sol__buf_init(&at, (size_t)1 << 24);
    sol__buf_init(&b, 1 << 12);
    sol_status rc = SOL_ENOMEM;
    if (t == NULL || tg == NULL)
        goto done;
    sol__buf_addc(&ao, '{');
    sol__buf_addc(&at, '{');
    for (size_t r = 0; r <= e->nd; r++) {
        t[r].row = r;
        tg[r] = &t[r];
        sol__buf_addf(&ao, "%zu,", r);
        sol__buf_addf(&at, "%s%.17g", r ? "," : "", e->t);
    }
    if (sol__buf_addf(&ao, "%zu}", e->nd + 1) != SOL_OK || sol__buf_addc(&at, '}') != SOL_OK ||
        names_lit(e, tg, e->nd + 1, &an) != SOL_OK)
        goto done;
    for (size_t ci = 0; ci < e->nc; ci++) {
        const char *pv[4] = {an.data, ao.data, at.data, NULL};
        sol__buf_reset(&b);
        if (sol__buf_addf(&b,
                          "SELECT i, n, sw FROM %s.cdf($1::text[], $2::int[], $3::float8[], "
                          "$4::float8)",
                          e->c[ci].table) != SOL_OK)
            goto done;
        PGresult *r = query(&e->c[ci], b.data, 4, pv, err);
        if (r == NULL) {
            rc = SOL_EIO;
            goto done;
        }
        for (int i = 0; i < PQntuples(r); i++) {
            long row = strtol(PQgetvalue(r, i, 0), NULL, 10) - 1;
            if (row < 0 || (size_t)row > e->nd)
                continue;
            e->a[row].np += numn(r, i, 1);
            e->a[row].wpoor += numn(r, i, 2);
        }
        PQclear(r);
    }
    rc = SOL_OK;
done:
    if (rc == SOL_ENOMEM)
        nomem(err);
    sol__free(t);
    sol__free(tg);
    sol__buf_free(&an);
    sol__buf_free(&ao);
    sol__buf_free(&at);
    sol__buf_free(&b);
    return rc;
}

/* The poor (x < t) of each domain: count, weight, range; then their median. */
static sol_status pass_poor(est *e, sol_error *err)
{
    if (e->c[0].fed) {
        sol_status rc = fed_poor(e, err);
        if (rc != SOL_OK)
            return rc;
        for (size_t r = 0; r <= e->nd; r++) {
            e->a[r].pmin = e->a[r].xmin;
            e->a[r].pmax = e->t;
        }
    }
    for (size_t ci = 0; !e->c[0].fed && ci < e->nc; ci++) {
        params p = {.n = 0};
        sol_buf b;
        sol__buf_init(&b, 1 << 16);
        sol__buf_addf(&b, "SELECT d, count(*), sum(w::numeric), min(x), max(x) FROM ");
        from_clause(&e->c[ci], &e->k[ci], &b);
        sol_status rc = sol__buf_addf(&b, " WHERE x < $%d::float8 GROUP BY d", par_num(&p, e->t));
        PGresult *r = rc == SOL_OK ? query(&e->c[ci], b.data, p.n, p.v, err) : NULL;
        sol__buf_free(&b);
        if (r == NULL)
            return rc == SOL_OK ? SOL_EIO : nomem(err);
        for (int i = 0; i < PQntuples(r); i++) {
            long row = row_of(e, PQgetvalue(r, i, 0));
            for (int pass = row == (long)e->nd; pass < 2; pass++) {
                agg *a = &e->a[pass ? e->nd : (size_t)row];
                int first = a->np == 0;
                a->np += num(r, i, 1);
                a->wpoor += num(r, i, 2);
                if (first || num(r, i, 3) < a->pmin)
                    a->pmin = num(r, i, 3);
                if (first || num(r, i, 4) > a->pmax)
                    a->pmax = num(r, i, 4);
            }
        }
        PQclear(r);
    }
    target *t = sol__calloc(e->nd + 1, sizeof *t);
    if (t == NULL)
        return nomem(err);
    size_t n = 0;
    for (size_t r = 0; r <= e->nd; r++) {
        agg *a = &e->a[r];
        a->mp = NAN;
        if (a->np > 0 && a->wpoor > 0)
            t[n++] = (target){r, 0.5, a->wpoor, a->pmin, a->pmax, a->np, 0, &a->mp};
    }
    sol_status rc = quantiles(e, t, n, 1, err);
    sol__free(t);
    return rc;
}

/* An array literal of doubles ('NaN' and NULL as given) or of texts, for a parameter. */
static sol_status array_lit(sol_buf *b, const double *v, char *const *s, size_t n)
{
    sol__buf_addc(b, '{');
    for (size_t i = 0; i < n; i++) {
        if (i)
            sol__buf_addc(b, ',');
        if (s) {
            sol__buf_addc(b, '"');
            for (const char *c = s[i]; *c; c++) {
                if (*c == '"' || *c == '\\')
                    sol__buf_addc(b, '\\');
                sol__buf_addc(b, *c);
            }
            sol__buf_addc(b, '"');
        } else if (isnan(v[i])) {
            sol__buf_addf(b, "NULL");
        } else {
            sol__buf_addf(b, "%.17g", v[i]);
        }
    }
    return sol__buf_addc(b, '}');
}

/* convey's bandwidth: the weighted standard deviation over N^(1/5). */
static double bandwidth(const agg *a)
{
    long double W = a->W, sx = a->swx, sxx = a->swxx;
    double var = (double)((sxx - sx * sx / W) / W);
    return sqrt(var > 0 ? var : 0) / exp(0.2 * log(a->W));
}

static void free_bufs(sol_buf *a, sol_buf *b, sol_buf *c, sol_buf *d, sol_buf *f)
{
    sol__buf_free(a);
    sol__buf_free(b);
    sol__buf_free(c);
    sol__buf_free(d);
    sol__buf_free(f);
}

/* An agency's quintile and kernel sums: per domain, and (d NULL) over all its domains; a sum it
 * withholds is NULL, so NaN here. */
static sol_status fed_domain_sums(est *e, size_t ci, params *p, int a20, int a80, int ah, int an,
                                  int pt, int pq20, int pq80, int pH, int pq50, double *kdq,
                                  sol_error *err)
{
    sol_buf b;
    sol__buf_init(&b, 1 << 12);
    sol_status rc = sol__buf_addf(&b,
                                  "SELECT * FROM %s.dsums($%d::text[], $%d::float8[], "
                                  "$%d::float8[], $%d::float8[], $%d::float8, $%d::float8, "
                                  "$%d::float8, $%d::float8, $%d::float8)",
                                  e->c[ci].table, an, a20, a80, ah, pt, pq20, pq80, pH, pq50);
    PGresult *r = rc == SOL_OK ? query(&e->c[ci], b.data, p->n, p->v, err) : NULL;
    sol__buf_free(&b);
    if (r == NULL)
        return rc == SOL_OK ? SOL_EIO : nomem(err);
    agg *t = &e->a[e->nd];
    for (int i = 0; i < PQntuples(r); i++) {
        if (PQgetisnull(r, i, 0)) {
            t->bottom += numn(r, i, 1);
            t->top += numn(r, i, 2);
            t->kd_t += numn(r, i, 3);
            *kdq += numn(r, i, 4);
            continue;
        }
        long row = row_of(e, PQgetvalue(r, i, 0));
        if (row < 0 || row == (long)e->nd)
            continue; /* no --by: the total's own row above */
        e->a[row].bottom += numn(r, i, 1);
        e->a[row].top += numn(r, i, 2);
        e->a[row].kd_t += numn(r, i, 3);
    }
    PQclear(r);
    return SOL_OK;
}

/* Per domain: the top and bottom quintile shares' sums and the kernel sums at the line (its own
 * bandwidth, and the total's), and at the total's median (the total's bandwidth). */
static sol_status pass_domain_sums(est *e, double *kd_total_q, sol_error *err)
{
    size_t nq = e->j->by ? e->nd : 1;
    double *q20 = sol__malloc(3 * nq * sizeof *q20);
    char *empty[1] = {""};
    if (q20 == NULL)
        return nomem(err);
    double *q80 = q20 + nq, *h = q80 + nq;
    for (size_t r = 0; r <= e->nd; r++)
        e->a[r].h = e->a[r].W > 0 ? bandwidth(&e->a[r]) : NAN;
    for (size_t i = 0; i < nq; i++) {
        const agg *a = &e->a[e->j->by ? i : e->nd];
        q20[i] = a->q[0];
        q80[i] = a->q[2];
        h[i] = a->h > 0 ? a->h : NAN;
    }
    const agg *T = &e->a[e->nd];
    double H = T->h > 0 ? T->h : NAN;
    sol_status rc = SOL_OK;
    *kd_total_q = 0;
    for (size_t ci = 0; rc == SOL_OK && ci < e->nc; ci++) {
        params p = {.n = 0};
        sol_buf b, aq20, aq80, ah, an;
        sol__buf_init(&b, 1 << 16);
        sol__buf_init(&aq20, (size_t)1 << 24);
        sol__buf_init(&aq80, (size_t)1 << 24);
        sol__buf_init(&ah, (size_t)1 << 24);
        sol__buf_init(&an, (size_t)1 << 26);
        array_lit(&aq20, q20, NULL, nq);
        array_lit(&aq80, q80, NULL, nq);
        array_lit(&ah, h, NULL, nq);
        array_lit(&an, NULL, e->j->by ? e->names : empty, nq);
        int pt = par_num(&p, e->t), pq20 = par_num(&p, T->q[0]), pq80 = par_num(&p, T->q[2]);
        int pH = isnan(H) ? (p.v[p.n] = NULL, ++p.n) : par_num(&p, H);
        int pq50 = par_num(&p, T->q[1]);
        int a20 = par_text(&p, aq20.data), a80 = par_text(&p, aq80.data);
        int ahh = par_text(&p, ah.data), ann = par_text(&p, an.data);
        if (e->c[ci].fed) {
            rc = fed_domain_sums(e, ci, &p, a20, a80, ahh, ann, pt, pq20, pq80, pH, pq50,
                                 kd_total_q, err);
            free_bufs(&b, &aq20, &aq80, &ah, &an);
            continue;
        }
#define KERNEL(at, bw)                                                                             \
    "sum(CASE WHEN x >= $%d::float8 - 10 * " bw " AND x <= $%d::float8 + 10 * " bw " THEN (w * "   \
    "exp(-((($%d::float8 - x) / " bw ") * (($%d::float8 - x) / " bw                                \
    ")) / 2))::numeric ELSE 0 END)"
        sol__buf_addf(
            &b,
            "SELECT d, sum(CASE WHEN x <= q20 THEN (w * x)::numeric ELSE 0 END), "
            "sum(CASE WHEN x > q80 THEN (w * x)::numeric ELSE 0 END), "
            "sum(CASE WHEN x <= $%d::float8 THEN (w * x)::numeric ELSE 0 END), "
            "sum(CASE WHEN x > $%d::float8 THEN (w * x)::numeric ELSE 0 END), " KERNEL(
                "at", "h") ", " KERNEL("at", "$%d::float8") ", " KERNEL("at", "$%d::float8"),
            pq20, pq80, pt, pt, pt, pt, pt, pH, pt, pH, pt, pH, pt, pH, pq50, pH, pq50, pH, pq50,
            pH, pq50, pH);
#undef KERNEL
        sol__buf_addf(&b,
                      " FROM (SELECT v.*, ($%d::float8[])[k] AS q20, ($%d::float8[])[k] AS q80, "
                      "($%d::float8[])[k] AS h FROM (SELECT t.*, array_position($%d::text[], d) "
                      "AS k FROM ",
                      a20, a80, ahh, ann);
        from_clause(&e->c[ci], &e->k[ci], &b);
        rc = sol__buf_addf(&b, ") v) z GROUP BY d");
        PGresult *r = rc == SOL_OK ? query(&e->c[ci], b.data, p.n, p.v, err) : NULL;
        if (rc != SOL_OK)
            rc = nomem(err);
        else if (r == NULL)
            rc = SOL_EIO;
        for (int i = 0; r && i < PQntuples(r); i++) {
            long row = row_of(e, PQgetvalue(r, i, 0));
            agg *a = &e->a[row], *t = &e->a[e->nd];
            if (row != (long)e->nd) {
                a->bottom += num(r, i, 1);
                a->top += num(r, i, 2);
                a->kd_t += num(r, i, 5);
            }
            t->bottom += num(r, i, 3);
            t->top += num(r, i, 4);
            t->kd_t += num(r, i, 6);
            *kd_total_q += num(r, i, 7);
        }
        PQclear(r);
        sol__buf_free(&b);
        sol__buf_free(&aq20);
        sol__buf_free(&aq80);
        sol__buf_free(&ah);
        sol__buf_free(&an);
    }
    sol__free(q20);
    return rc;
}

/* Pass 2: per (domain, stratum, PSU) the sums of the linearised scores' parts; without PSUs,
 * every row is its own PSU and the sums of squares per (domain, stratum) stand in for the PSU
 * totals. */
static sol_status pass_cells(est *e, sol_error *err)
{
    int squares = e->j->psu == NULL;
    sol_status rc = SOL_OK;
    for (size_t ci = 0; rc == SOL_OK && ci < e->nc; ci++) {
        params p = {.n = 0};
        sol_buf b;
        sol__buf_init(&b, 1 << 16);
        int pt = par_num(&p, e->t), pm = par_num(&p, e->a[e->nd].q[1]);
        if (e->c[ci].fed) {
            par_text(&p, e->j->strata ? "true" : "false");
            par_text(&p, e->j->psu ? "true" : "false");
            rc = sol__buf_addf(&b,
                               "SELECT * FROM %s.cells($1::float8, $2::float8, $3::bool, $4::bool)",
                               e->c[ci].table);
        } else {
            sol__buf_addf(&b,
                          "SELECT d, s, u, count(*), sum(nw), sum(i * nw), sum(nwg), sum(nwg2), "
                          "sum(nw * nx), sum(nw * j)%s FROM (SELECT d, s, u, w::numeric AS nw, "
                          "x::numeric AS nx, CASE WHEN x < $%d::float8 THEN 1 ELSE 0 END AS i, "
                          "(w * g)::numeric AS nwg, (w * g * g)::numeric AS nwg2, CASE WHEN x <= "
                          "$%d::float8 THEN 0.5 ELSE -0.5 END AS j FROM (SELECT t.*, CASE WHEN x < "
                          "$%d::float8 THEN ($%d::float8 - x) / $%d::float8 ELSE 0 END AS g FROM ",
                          squares
                              ? ", sum(nw * nw), sum(i * nw * nw), sum(nwg * nw), sum(nwg * nwg), "
                                "sum(nwg2 * nwg2), sum(nw * nw * nx), sum(nw * nx * nw * nx), "
                                "sum(i * nw * nw * j), sum(nw * nw * j)"
                              : "",
                          pt, pm, pt, pt, pt);
            from_clause(&e->c[ci], &e->k[ci], &b);
            rc = sol__buf_addf(&b, ") v) z GROUP BY d, s, u");
        }
        PGresult *r = rc == SOL_OK ? query(&e->c[ci], b.data, p.n, p.v, err) : NULL;
        sol__buf_free(&b);
        if (r == NULL)
            return rc == SOL_OK ? SOL_EIO : nomem(err);
        for (int i = 0; rc == SOL_OK && i < PQntuples(r); i++) {
            const char *d = PQgetvalue(r, i, 0), *s = PQgetvalue(r, i, 1), *u = PQgetvalue(r, i, 2);
            if (PQgetisnull(r, i, 3)) { /* withheld by the agency: never used */
                long wr = row_of(e, d);
                if (wr >= 0)
                    e->cell_withheld[wr] = 1;
                e->cell_withheld[e->nd] = 1;
                e->cells_withheld++;
                continue;
            }
            char key[1600];
            int64_t h, unit, at;
            snprintf(key, sizeof key, "%s\x1f%s", s, u);
            if (!sol__strmap_get(e->stratmap, s, strlen(s), &h)) {
                char **sn = sol__realloc(e->strata_names, (e->nstrata + 1) * sizeof *sn);
                if (sn == NULL || (e->strata_names = sn, sn[e->nstrata] = sol__strdup(s)) == NULL ||
                    sol__strmap_put(e->stratmap, s, strlen(s), (int64_t)e->nstrata) != SOL_OK) {
                    rc = nomem(err);
                    break;
                }
                h = (int64_t)e->nstrata++;
            }
            const char *ukey = squares ? s : key;
            if (!sol__strmap_get(e->unitmap, ukey, strlen(ukey), &unit)) {
                size_t *us = sol__realloc(e->unit_str, (e->nunits + 1) * sizeof *us);
                if (us == NULL ||
                    sol__strmap_put(e->unitmap, ukey, strlen(ukey), (int64_t)e->nunits) != SOL_OK) {
                    rc = nomem(err);
                    break;
                }
                e->unit_str = us;
                us[e->nunits] = (size_t)h;
                unit = (int64_t)e->nunits++;
            }
            snprintf(key, sizeof key, "%s\x1f%s\x1f%s", d, s, u);
            if (!sol__strmap_get(e->cellmap, key, strlen(key), &at)) {
                if (e->ncells == e->cap) {
                    size_t nc = e->cap ? 2 * e->cap : 256;
                    cell *g = sol__realloc(e->cells, nc * sizeof *g);
                    if (g == NULL) {
                        rc = nomem(err);
                        break;
                    }
                    e->cells = g;
                    e->cap = nc;
                }
                at = (int64_t)e->ncells++;
                memset(&e->cells[at], 0, sizeof e->cells[at]);
                e->cells[at].row = (size_t)row_of(e, d);
                e->cells[at].unit = (size_t)unit;
                if (sol__strmap_put(e->cellmap, key, strlen(key), at) != SOL_OK) {
                    rc = nomem(err);
                    break;
                }
            }
            cell *c = &e->cells[at];
            for (int f = 0; f < (squares ? NF : F_W2); f++)
                c->f[f] += num(r, i, 3 + f);
        }
        PQclear(r);
    }
    return rc;
}

/* Gini: sum w x C(x) with C the cumulative weight in income order (of the domain, and of all),
 * by window functions that run in the database. Ties add the same sum in any order. */
/* An agency's Gini sums: of each domain it holds, and (d NULL) of all its rows, which are the
 * total's only when it is the one agency. */
static sol_status fed_gini(est *e, sol_error *err)
{
    for (size_t ci = 0; ci < e->nc; ci++) {
        char sql[800];
        snprintf(sql, sizeof sql, "SELECT d, ga, gb FROM %s.gini()", e->c[ci].table);
        PGresult *r = query(&e->c[ci], sql, 0, NULL, err);
        if (r == NULL)
            return SOL_EIO;
        for (int i = 0; i < PQntuples(r); i++) {
            int total = PQgetisnull(r, i, 0);
            long row = total ? (long)e->nd : row_of(e, PQgetvalue(r, i, 0));
            if (row < 0 || (!total && row == (long)e->nd))
                continue;
            e->a[row].ga += numn(r, i, 1);
            e->a[row].gb += numn(r, i, 2);
        }
        PQclear(r);
    }
    return SOL_OK;
}

static sol_status pass_gini(est *e, sol_error *err)
{
    if (e->c[0].fed)
        return fed_gini(e, err);
    sol_buf b;
    sol__buf_init(&b, 1 << 16);
    sol__buf_addf(&b,
                  "SELECT d, sum((w * x)::numeric * cwd), sum((w * w * x)::numeric), sum((w * "
                  "x)::numeric * cwt) FROM (SELECT d, w, x, sum(w::numeric) OVER (PARTITION BY d "
                  "ORDER BY x ROWS UNBOUNDED PRECEDING) AS cwd, sum(w::numeric) OVER (ORDER BY x "
                  "ROWS UNBOUNDED PRECEDING) AS cwt FROM ");
    from_clause(&e->c[0], &e->k[0], &b);
    sol_status rc = sol__buf_addf(&b, ") g GROUP BY d");
    PGresult *r = rc == SOL_OK ? query(&e->c[0], b.data, 0, NULL, err) : NULL;
    sol__buf_free(&b);
    if (r == NULL)
        return rc == SOL_OK ? SOL_EIO : nomem(err);
    for (int i = 0; i < PQntuples(r); i++) {
        long row = row_of(e, PQgetvalue(r, i, 0));
        agg *t = &e->a[e->nd];
        if (row != (long)e->nd) {
            e->a[row].ga += num(r, i, 1);
            e->a[row].gb += num(r, i, 2);
        }
        t->ga += num(r, i, 3);
        t->gb += num(r, i, 2);
    }
    PQclear(r);
    return SOL_OK;
}

/* ---- from the sums to the estimates ------------------------------------------------------- */

/* sol__design_var_end's formula: with-replacement PSU totals centred in each stratum; a lonely
 * PSU centred at the grand mean (adjust) or left out (remove). */
static double stratified_var(const est *e, const double *s1, const double *s2)
{
    double g = 0;
    size_t lonely = 0;
    for (size_t h = 0; h < e->nstrata; h++)
        lonely += e->n_h[h] == 1;
    if (e->j->lonely == SOL_LONELY_ADJUST && lonely > 0) {
        double sum = 0, units = 0;
        for (size_t h = 0; h < e->nstrata; h++) {
            sum += s1[h];
            units += e->n_h[h];
        }
        g = units > 0 ? sum / units : 0;
    }
    double v = 0;
    for (size_t h = 0; h < e->nstrata; h++) {
        double nh = e->n_h[h];
        if (nh > 1)
            v += nh / (nh - 1) * (s2[h] - s1[h] * s1[h] / nh);
        else if (nh == 1 && e->j->lonely == SOL_LONELY_ADJUST)
            v += s2[h] - 2 * g * s1[h] + g * g;
    }
    return v > 0 ? v : 0;
}

/* The sums of result row r per unit (every domain's for the total). */
static void unit_sums(const est *e, size_t r, double (*us)[NF])
{
    memset(us, 0, e->nunits * sizeof *us);
    for (size_t i = 0; i < e->ncells; i++) {
        const cell *c = &e->cells[i];
        if (r != e->nd && c->row != r)
            continue;
        for (int f = 0; f < NF; f++)
            us[c->unit][f] += c->f[f];
    }
}

/* The line's linearised variable b_i = c w_i (J_i - 1/2), J_i = (x_i <= median): per unit its
 * centred total f_h (B_u - centre_h) into bc, and V(b) (sol__design_centred_units). */
static double line_units(const est *e, double c, double (*tot)[NF], double *bc)
{
    int rows_are_psus = e->j->psu == NULL;
    double *B = sol__calloc(e->nstrata, sizeof *B);
    if (B == NULL)
        return NAN;
    double grand = 0, nu = 0;
    for (size_t u = 0; u < e->nunits; u++) {
        B[e->unit_str[u]] += c * tot[u][F_WJ];
        grand += c * tot[u][F_WJ];
    }
    for (size_t h = 0; h < e->nstrata; h++)
        nu += e->n_h[h];
    grand = nu > 0 ? grand / nu : 0;
    double vb = 0;
    for (size_t u = 0; u < e->nunits; u++) {
        size_t h = e->unit_str[u];
        double nh = e->n_h[h], f = 0, cen = 0;
        if (nh > 1) {
            f = nh / (nh - 1);
            cen = B[h] / nh;
        } else if (e->j->lonely == SOL_LONELY_ADJUST) {
            f = 1;
            cen = grand;
        }
        if (rows_are_psus) { /* unit u is stratum h: its rows' b summed in squares */
            double sb2 = c * c * 0.25 * tot[u][F_W2];
            vb += f * (sb2 - 2 * cen * B[h] + nh * cen * cen);
            bc[2 * u] = f;
            bc[2 * u + 1] = cen;
        } else {
            double t = c * tot[u][F_WJ];
            vb += f * (t - cen) * (t - cen);
            bc[u] = f * (t - cen);
        }
    }
    sol__free(B);
    return vb;
}

static void set_flag(const sol_poverty_opts *o, sol_poverty_row *r)
{
    r->cv_arop = r->arop > 0 ? r->arop_se / r->arop : NAN;
    if (r->n < o->min_n || !(r->cv_arop <= o->cv_unreliable))
        r->flag = "unreliable";
    else if (r->cv_arop > o->cv_caution)
        r->flag = "caution";
    else
        r->flag = "ok";
}

/* Point estimates, then the variances from the unit sums, row by row. */
static sol_status finish(est *e, const sol_poverty_opts *o, double fq, sol_poverty_result *res,
                         sol_error *err)
{
    int rows_are_psus = e->j->psu == NULL;
    double(*us)[NF] = sol__calloc(e->nunits + 1, sizeof *us);
    double(*tot)[NF] = sol__calloc(e->nunits + 1, sizeof *tot);
    double *s1 = sol__calloc(4 * e->nstrata + 1, sizeof *s1);
    double *s2 = sol__calloc(4 * e->nstrata + 1, sizeof *s2);
    double *bc = sol__calloc(2 * e->nunits + 1, sizeof *bc);
    double *col = sol__calloc(2 * e->nstrata + 1, sizeof *col); /* one statistic's s1, s2 */
    sol_status rc = SOL_ENOMEM;
    if (us == NULL || tot == NULL || s1 == NULL || s2 == NULL || bc == NULL || col == NULL)
        goto done;
    unit_sums(e, e->nd, tot);
    const agg *T = &e->a[e->nd];
    int lv = o->line == 0 && fq > 0 && isfinite(fq);
    double c = lv ? -e->share / (T->W * fq) : 0, vb = 0;
    if (lv && isnan(vb = line_units(e, c, tot, bc)))
        goto done;
    for (size_t r = 0; r <= e->nd; r++) {
        const agg *a = &e->a[r];
        sol_poverty_row *w = &res->rows[r];
        w->domain = r < e->nd ? e->names[r] : "total";
        w->n = (size_t)a->n;
        w->weighted_n = a->W;
        w->poverty_line = e->t;
        if (!(a->W > 0)) {
            w->median_income = w->mean_income = w->mean_income_se = NAN;
            w->arop = w->arop_se = w->arop_se_fixed_line = w->fgt1 = w->fgt1_se = NAN;
            w->fgt2 = w->fgt2_se = w->rmpg = w->gini = w->qsr = w->cv_arop = NAN;
            w->flag = "unreliable";
            continue;
        }
        if (r < e->nd)
            unit_sums(e, r, us);
        double(*u)[NF] = r < e->nd ? us : tot;
        long double A = 0, G1 = 0, G2 = 0;
        for (size_t k = 0; k < e->nunits; k++) {
            A += u[k][F_WI];
            G1 += u[k][F_WG];
            G2 += u[k][F_WG2];
        }
        double W = a->W, t = e->t;
        w->median_income = a->q[1];
        w->arop = (double)A / W;
        w->fgt1 = (double)G1 / W;
        w->fgt2 = (double)G2 / W;
        w->mean_income = a->swx / W;
        w->rmpg = a->np > 0 && a->wpoor > 0 ? (t - a->mp) / t : NAN;
        /* a Gini needs the rows of one server in order: a domain that one agency holds */
        int one = e->c[0].fed && r < e->nd ? a->nag == 1 : e->nc == 1;
        w->gini =
            one ? (double)((2 * (long double)a->ga - a->gb) / ((long double)W * a->swx)) - 1 : NAN;
        w->qsr = a->top / a->bottom;
        double th[4] = {w->arop, w->fgt1, w->fgt2, w->mean_income};
        memset(s1, 0, 4 * e->nstrata * sizeof *s1);
        memset(s2, 0, 4 * e->nstrata * sizeof *s2);
        double s1b = 0, s2b = 0; /* the rate's covariance with the line: sums of w bc */
        for (size_t k = 0; k < e->nunits; k++) {
            const double *f = u[k];
            size_t h = e->unit_str[k];
            if (f[F_N] == 0)
                continue;
            const size_t part[4] = {F_WI, F_WG, F_WG2, F_WX};
            for (int s = 0; s < 4; s++)
                s1[4 * h + (size_t)s] += (f[part[s]] - th[s] * f[F_W]) / W;
            if (rows_are_psus) {
                double p = th[0], f1 = th[1], f2 = th[2], m = th[3], W2 = W * W;
                s2[4 * h + 0] += (f[F_W2I] * (1 - 2 * p) + p * p * f[F_W2]) / W2;
                s2[4 * h + 1] += (f[F_W2G2] - 2 * f1 * f[F_W2G] + f1 * f1 * f[F_W2]) / W2;
                s2[4 * h + 2] += (f[F_W2G4] - 2 * f2 * f[F_W2G2] + f2 * f2 * f[F_W2]) / W2;
                s2[4 * h + 3] += (f[F_W2X2] - 2 * m * f[F_W2X] + m * m * f[F_W2]) / W2;
                if (lv) {
                    s1b += bc[2 * k] * (c * f[F_W2JI] - bc[2 * k + 1] * f[F_WI]);
                    s2b += bc[2 * k] * (c * f[F_W2J] - bc[2 * k + 1] * f[F_W]);
                }
            } else {
                for (int s = 0; s < 4; s++) {
                    double z = (f[part[s]] - th[s] * f[F_W]) / W;
                    s2[4 * h + (size_t)s] += z * z;
                }
                s1b += bc[k] * f[F_WI];
                s2b += bc[k] * f[F_W];
            }
        }
        double var[4];
        for (int k = 0; k < 4; k++) {
            for (size_t h = 0; h < e->nstrata; h++) {
                col[h] = s1[4 * h + (size_t)k];
                col[e->nstrata + h] = s2[4 * h + (size_t)k];
            }
            var[k] = stratified_var(e, col, col + e->nstrata);
        }
        w->arop_se_fixed_line = sqrt(var[0]);
        w->fgt1_se = sqrt(var[1]);
        w->fgt2_se = sqrt(var[2]);
        w->mean_income_se = sqrt(var[3]);
        w->arop_se = w->arop_se_fixed_line;
        if (lv) {
            double fp = a->h > 0 ? a->kd_t / 2.5066282746310002 / (W * a->h) : NAN;
            double cv = (s1b - w->arop * s2b) / W, v = var[0] + 2 * fp * cv + fp * fp * vb;
            w->arop_se = sqrt(v > 0 ? v : 0);
        }
        set_flag(o, w);
        if (e->cell_withheld && e->cell_withheld[r]) { /* never a sum without the cell */
            w->arop = w->arop_se = w->arop_se_fixed_line = w->fgt1 = w->fgt1_se = NAN;
            w->fgt2 = w->fgt2_se = w->mean_income_se = w->cv_arop = NAN;
            w->flag = "withheld";
        }
    }
    rc = SOL_OK;
done:
    if (rc == SOL_ENOMEM)
        nomem(err);
    sol__free_n(6, us, tot, s1, s2, bc, col);
    return rc;
}

static void est_free(est *e)
{
    for (size_t i = 0; i < e->nc; i++)
        close_conn(&e->c[i]);
    sol__free(e->c);
    for (size_t i = 0; e->names && i < e->nd; i++)
        sol__free(e->names[i]);
    sol__free(e->names);
    for (size_t i = 0; e->strata_names && i < e->nstrata; i++)
        sol__free(e->strata_names[i]);
    sol__free_n(6, e->strata_names, e->a, e->cells, e->unit_str, e->n_h, e->cell_withheld);
    sol__strmap_free(e->cellmap);
    sol__strmap_free(e->unitmap);
    sol__strmap_free(e->stratmap);
}

/* PSUs per stratum (without PSUs, rows: unit_rows[u] for the unit that is stratum u); a lonely
 * PSU refused when the design says so. */
static sol_status design_counts(est *e, const double *unit_rows, size_t *lonely, sol_error *err)
{
    if ((e->n_h = sol__calloc(e->nstrata + 1, sizeof *e->n_h)) == NULL)
        return nomem(err);
    for (size_t u = 0; u < e->nunits; u++)
        e->n_h[e->unit_str[u]] += e->j->psu ? 1 : unit_rows[u];
    *lonely = 0;
    for (size_t h = 0; h < e->nstrata; h++) {
        if (e->n_h[h] != 1)
            continue;
        ++*lonely;
        if (e->j->lonely == SOL_LONELY_FAIL)
            return sol__err(err, SOL_EINVAL,
                            "stratum '%s' has a single PSU, so its variance cannot be estimated; "
                            "collapse it with a neighbour or choose --lonely-psu adjust|remove",
                            e->j->strata ? e->strata_names[h] : "(all)");
    }
    return SOL_OK;
}

static sol_status cell_design_counts(est *e, size_t *lonely, sol_error *err)
{
    double *rows = sol__calloc(e->nunits + 1, sizeof *rows);
    if (rows == NULL)
        return nomem(err);
    for (size_t i = 0; i < e->ncells; i++)
        rows[e->cells[i].unit] += e->cells[i].f[F_N];
    sol_status rc = design_counts(e, rows, lonely, err);
    sol__free(rows);
    return rc;
}

/* The notes of a federated estimate: what each agency withheld, and what that left out. */
static sol_status fed_notes(const est *e, char ***notes, size_t *n_notes, sol_error *err)
{
    sol_status rc = SOL_OK;
    for (size_t ci = 0; rc == SOL_OK && ci < e->nc; ci++) {
        const conn *c = &e->c[ci];
        char list[SOL_ERROR_MSG_MAX / 2] = "";
        for (size_t i = 0; i < c->nwithheld; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                     c->withheld[i]);
        if (c->nwithheld)
            rc = sol__run_note_add(notes, n_notes, SOL_ERROR_MSG_MAX, err,
                                   _("the agency on %s withheld %zu domain(s) of fewer than %d "
                                     "rows: %s; their rows are in no estimate, the total's "
                                     "included"),
                                   c->shown, c->nwithheld, c->k, list);
    }
    if (rc == SOL_OK && e->cells_withheld)
        rc = sol__run_note_add(notes, n_notes, SOL_ERROR_MSG_MAX, err,
                               _("the agencies withheld %zu cells (domain, stratum, PSU) of fewer "
                                 "than k rows, poor or not: the rates and SEs of their domains "
                                 "and of the total are withheld (flag 'withheld'); a coarser "
                                 "design (fewer strata, no PSUs) avoids it"),
                               e->cells_withheld);
    if (rc == SOL_OK && e->q_withheld)
        rc = sol__run_note_add(notes, n_notes, SOL_ERROR_MSG_MAX, err,
                               _("%zu quantiles fell among the k lowest or highest incomes of an "
                                 "agency and are withheld (empty)"),
                               e->q_withheld);
    return rc;
}

sol_status sol__microsql_poverty(const sol_poverty_job *j, sol_poverty_result **out, char ***names,
                                 size_t *n_names, uint64_t *bytes, char ***notes, size_t *n_notes,
                                 sol_error *err)
{
    sol_poverty_opts o = j->opts;
    if (o.line_share == 0)
        o.line_share = 0.6;
    if (o.cv_caution == 0)
        o.cv_caution = 0.166;
    if (o.cv_unreliable == 0)
        o.cv_unreliable = 0.333;
    if (o.min_n == 0)
        o.min_n = 20;
    est e = {.j = j, .nc = j->n_agencies ? j->n_agencies : 1};
    const char *const *urls = j->n_agencies ? j->agencies : &j->microdata_sql;
    sol_poverty_result *res = NULL;
    sol_status rc = SOL_ENOMEM;
    if (e.nc > sizeof e.k / sizeof e.k[0])
        return sol__err(err, SOL_ELIMIT, "--microdata-sql: at most %zu agencies",
                        sizeof e.k / sizeof e.k[0]);
    if ((e.c = sol__calloc(e.nc, sizeof *e.c)) == NULL ||
        (e.cellmap = sol__strmap_new(1024)) == NULL ||
        (e.unitmap = sol__strmap_new(1024)) == NULL || (e.stratmap = sol__strmap_new(64)) == NULL) {
        nomem(err);
        goto fail;
    }
    for (size_t i = 0; i < e.nc; i++) {
        if ((rc = open_conn(&e.c[i], urls[i], err)) != SOL_OK)
            goto fail;
        if (e.c[i].fed != e.c[0].fed) {
            rc =
                sol__err(err, SOL_EINVAL,
                         "--microdata-sql: give agencies (?agency=) or tables (?table=), not both");
            goto fail;
        }
        rc = e.c[i].fed ? check_agency(&e.c[i], j, NULL, NULL, err)
                        : check_columns(&e.c[i], j, NULL, 0, &e.k[i], err);
        if (rc != SOL_OK)
            goto fail;
    }
    if ((rc = pass_domains(&e, err)) != SOL_OK)
        goto fail;
    if (e.c[0].fed && (e.cell_withheld = sol__calloc(e.nd + 1, 1)) == NULL) {
        rc = nomem(err);
        goto fail;
    }
    if ((rc = pass_quantiles(&e, err)) != SOL_OK)
        goto fail;
    const agg *T = &e.a[e.nd];
    e.share = o.line > 0 ? 0 : o.line_share;
    e.t = o.line > 0 ? o.line : o.line_share * T->q[1];
    if (e.t > T->xmax) {
        rc = sol__err(err, SOL_EINVAL,
                      "the poverty line %.17g is above every income (the highest is %.17g): "
                      "everyone would be poor; check the line and the income unit",
                      e.t, T->xmax);
        goto fail;
    }
    double kdq = 0;
    size_t lonely = 0;
    if ((rc = pass_poor(&e, err)) != SOL_OK || (rc = pass_cells(&e, err)) != SOL_OK ||
        (rc = pass_domain_sums(&e, &kdq, err)) != SOL_OK ||
        ((e.nc == 1 || e.c[0].fed) && (rc = pass_gini(&e, err)) != SOL_OK) ||
        (rc = cell_design_counts(&e, &lonely, err)) != SOL_OK)
        goto fail;
    rc = SOL_ENOMEM;
    if ((res = sol__calloc(1, sizeof *res)) == NULL ||
        (res->rows = sol__calloc(e.nd + 1, sizeof *res->rows)) == NULL) {
        nomem(err);
        goto fail;
    }
    double fq = T->h > 0 ? kdq / 2.5066282746310002 / (T->W * T->h) : NAN;
    if ((rc = finish(&e, &o, fq, res, err)) != SOL_OK ||
        (e.c[0].fed && (rc = fed_notes(&e, notes, n_notes, err)) != SOL_OK))
        goto fail;
    res->line_share = o.line > 0 ? NAN : o.line_share;
    res->n_rows = e.nd + 1;
    res->n_strata = e.nstrata;
    res->n_psu = j->psu ? e.nunits : (size_t)T->n;
    res->lonely_strata = lonely;
    *bytes = 0;
    for (size_t i = 0; i < e.nc; i++)
        *bytes += e.c[i].bytes;
    *names = e.names;
    *n_names = e.nd;
    e.names = NULL;
    *out = res;
    res = NULL;
    rc = SOL_OK;
fail:
    sol_poverty_result_free(res);
    est_free(&e);
    return rc;
}

/* ---- Alkire-Foster ------------------------------------------------------------------------- */

/* The per-person deprivation score, made in SQL as sol_mpi_estimate makes it: the indicator
 * weights added in spec order (the same double), poor when the score is at least k - 1e-9. */
enum { M_N, M_W, M_Q, M_S, M_W2, M_W2P, M_W2C, M_W2C2, M_BADV, M_BADW, M_IND };

static const char *op_sql(sol_mpi_op op)
{
    switch (op) {
    case SOL_MPI_EQ: return "=";
    case SOL_MPI_NE: return "<>";
    case SOL_MPI_LT: return "<";
    case SOL_MPI_LE: return "<=";
    case SOL_MPI_GT: return ">";
    case SOL_MPI_GE: return ">=";
    }
    return "=";
}

static sol_status mpi_sql(est *e, const sol_mpi_spec *spec, params *p, sol_buf *b)
{
    const conn *c = &e->c[0];
    const cols *k = &e->k[0];
    int squares = e->j->psu == NULL;
    int pk = par_num(p, spec->k - 1e-9);
    sol__buf_addf(b, "SELECT d, s, u, count(*), sum(nw), sum(poor * nw), sum((w * "
                     "cc)::numeric), ");
    sol__buf_addf(b, squares ? "sum(nw * nw), sum(poor * nw * nw), sum(nw * nw * ncc), sum(nw * nw "
                               "* ncc * ncc), "
                             : "0, 0, 0, 0, ");
    sol__buf_addf(b, "sum(badv), sum(CASE WHEN w >= 0 AND w < 'Infinity'::float8 THEN 0 ELSE 1 "
                     "END)");
    for (size_t j = 0; j < spec->n; j++)
        sol__buf_addf(b, ", sum(dep%zu * nw), sum(dep%zu * poor * nw)", j, j);
    sol__buf_addf(b,
                  " FROM (SELECT y.*, w::numeric AS nw, cc::numeric AS ncc FROM "
                  "(SELECT z.*, CASE WHEN poor = 1 THEN ci ELSE 0 END AS cc FROM (SELECT x.*, "
                  "CASE WHEN ci >= $%d::float8 THEN 1 ELSE 0 END AS poor FROM (SELECT d, s, u, "
                  "w, 0::float8",
                  pk);
    int pc[64], pw[64];
    for (size_t j = 0; j < spec->n; j++) {
        pc[j] = par_num(p, spec->ind[j].cutoff);
        pw[j] = par_num(p, spec->ind[j].weight);
        sol__buf_addf(b, " + CASE WHEN v%zu %s $%d::float8 THEN $%d::float8 ELSE 0 END", j,
                      op_sql(spec->ind[j].op), pc[j], pw[j]);
    }
    sol__buf_addf(b, " AS ci, CASE WHEN true");
    for (size_t j = 0; j < spec->n; j++)
        sol__buf_addf(b, " AND v%zu > '-Infinity'::float8 AND v%zu < 'Infinity'::float8", j, j);
    sol__buf_addf(b, " THEN 0 ELSE 1 END AS badv");
    for (size_t j = 0; j < spec->n; j++)
        sol__buf_addf(b, ", CASE WHEN v%zu %s $%d::float8 THEN 1 ELSE 0 END AS dep%zu", j,
                      op_sql(spec->ind[j].op), pc[j], j);
    sol__buf_addf(b, " FROM (SELECT %s AS w, %s AS d, %s AS s, %s AS u", k->w, k->d, k->s, k->u);
    for (size_t j = 0; j < spec->n; j++) {
        char *q = PQescapeIdentifier(c->pg, spec->ind[j].column, strlen(spec->ind[j].column));
        if (q == NULL)
            return SOL_EINVAL;
        sol__buf_addf(b, ", %s::float8 AS v%zu", q, j);
        PQfreemem(q);
    }
    return sol__buf_addf(b, " FROM %s) t) x) z) y) v GROUP BY d, s, u", c->table);
}

/* Cells of (group, unit), f[] sums of M_IND + 2 J columns each, as the servers send them. */
typedef struct mcells {
    double *f;
    size_t *row, *unit;
    size_t n, cap, nf;
} mcells;

static void mcells_free(mcells *m)
{
    sol__free_n(3, m->f, m->row, m->unit);
}

/* Append the cell (d, s, u) with the nf sums v, its stratum and unit registered. */
static sol_status mcells_add(est *e, mcells *m, const char *d, const char *s, const char *u,
                             const double *v, sol_error *err)
{
    int squares = e->j->psu == NULL;
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 256;
        double *f = sol__realloc(m->f, cap * m->nf * sizeof *f);
        if (f == NULL)
            return nomem(err);
        m->f = f;
        size_t *row = sol__realloc(m->row, cap * sizeof *row);
        if (row == NULL)
            return nomem(err);
        m->row = row;
        size_t *unit = sol__realloc(m->unit, cap * sizeof *unit);
        if (unit == NULL)
            return nomem(err);
        m->unit = unit;
        m->cap = cap;
    }
    char key[1600];
    int64_t h, un;
    snprintf(key, sizeof key, "%s\x1f%s", s, u);
    if (!sol__strmap_get(e->stratmap, s, strlen(s), &h)) {
        char **sn = sol__realloc(e->strata_names, (e->nstrata + 1) * sizeof *sn);
        if (sn == NULL || (e->strata_names = sn, sn[e->nstrata] = sol__strdup(s)) == NULL ||
            sol__strmap_put(e->stratmap, s, strlen(s), (int64_t)e->nstrata) != SOL_OK)
            return nomem(err);
        h = (int64_t)e->nstrata++;
    }
    const char *ukey = squares ? s : key;
    if (!sol__strmap_get(e->unitmap, ukey, strlen(ukey), &un)) {
        size_t *us = sol__realloc(e->unit_str, (e->nunits + 1) * sizeof *us);
        if (us == NULL ||
            sol__strmap_put(e->unitmap, ukey, strlen(ukey), (int64_t)e->nunits) != SOL_OK)
            return nomem(err);
        e->unit_str = us;
        us[e->nunits] = (size_t)h;
        un = (int64_t)e->nunits++;
    }
    m->row[m->n] = (size_t)row_of(e, d);
    m->unit[m->n] = (size_t)un;
    memcpy(&m->f[m->n * m->nf], v, m->nf * sizeof *v);
    m->n++;
    return SOL_OK;
}

/* Fold a table's rows (d, s, u, then the sums) into cells. */
static sol_status mpi_cells(est *e, const PGresult *r, mcells *m, sol_error *err)
{
    double v[M_IND + 2 * 64];
    sol_status rc = SOL_OK;
    for (int i = 0; rc == SOL_OK && i < PQntuples(r); i++) {
        for (size_t f = 0; f < m->nf; f++)
            v[f] = num(r, i, 3 + (int)f);
        rc =
            mcells_add(e, m, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), v, err);
    }
    return rc;
}

/* An agency's answer: '{1,2.5,...}' (numeric[] as text) into v[0], v[step], ...; at most n. */
static void num_array(const char *t, double *v, size_t step, size_t n)
{
    if (*t == '{')
        t++;
    for (size_t i = 0; i < n && *t && *t != '}'; i++) {
        char *end;
        v[i * step] = strtod(t, &end);
        t = *end == ',' ? end + 1 : end;
    }
}

/* An agency's cells (mpi_cells()): a withheld one (n NULL) adds its bad values only and marks
 * its domain and the total withheld. */
static sol_status mpi_fed_cells(est *e, const PGresult *r, size_t J, mcells *m, unsigned char *wh,
                                sol_error *err)
{
    double v[M_IND + 2 * 64];
    sol_status rc = SOL_OK;
    for (int i = 0; rc == SOL_OK && i < PQntuples(r); i++) {
        memset(v, 0, m->nf * sizeof *v);
        v[M_BADV] = num(r, i, 4);
        v[M_BADW] = num(r, i, 5);
        const char *d = PQgetvalue(r, i, 0);
        if (PQgetisnull(r, i, 3)) {
            long row = row_of(e, d);
            wh[row < 0 ? e->nd : (size_t)row] = 1;
            wh[e->nd] = 1;
            e->cells_withheld++;
        } else {
            num_array(PQgetvalue(r, i, 6), v, 1, M_BADV);
            num_array(PQgetvalue(r, i, 7), v + M_IND, 2, J);
            num_array(PQgetvalue(r, i, 8), v + M_IND + 1, 2, J);
        }
        rc = mcells_add(e, m, d, PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), v, err);
    }
    return rc;
}

/* H, A and M0 with their SEs, the indicators and the groups, from the cells. */
static sol_status mpi_finish(est *e, const sol_mpi_spec *spec, const mcells *m,
                             const unsigned char *wh, sol_mpi_result *r, sol_error *err)
{
    const double *cf = m->f;
    const size_t *crow = m->row, *cunit = m->unit;
    size_t ncell = m->n, nf = m->nf;
    size_t J = spec->n, G = e->nd;
    int squares = e->j->psu == NULL;
    double *g = sol__calloc((G + 1) * nf, sizeof *g),
           *us = sol__calloc((e->nunits + 1) * nf, sizeof *us);
    double *s1 = sol__calloc(3 * e->nstrata + 1, sizeof *s1),
           *s2 = sol__calloc(3 * e->nstrata + 1, sizeof *s2);
    double *rows = sol__calloc(e->nunits + 1, sizeof *rows), *a1 = NULL;
    sol_status rc = SOL_ENOMEM;
    size_t lonely;
    if (g == NULL || us == NULL || s1 == NULL || s2 == NULL || rows == NULL)
        goto done;
    for (size_t i = 0; i < ncell; i++)
        for (size_t f = 0; f < nf; f++) {
            g[crow[i] * nf + f] += cf[i * nf + f];
            us[cunit[i] * nf + f] += cf[i * nf + f];
            if (crow[i] != G)
                g[G * nf + f] += cf[i * nf + f];
        }
    const double *t = &g[G * nf];
    if (t[M_BADV] > 0) {
        rc = sol__err(err, SOL_EINVAL,
                      "%.0f rows of the table have an indicator that is missing or not a finite "
                      "number",
                      t[M_BADV]);
        goto done;
    }
    if (t[M_BADW] > 0) {
        rc = sol__err(err, SOL_EINVAL,
                      "%.0f rows of the table have a weight that is missing, negative or not "
                      "finite (column %s)",
                      t[M_BADW], e->j->weight ? e->j->weight : "");
        goto done;
    }
    if (t[M_N] == 0 && wh && wh[G]) {
        rc = sol__err(err, SOL_EINVAL,
                      "the agencies withheld every cell (domain, stratum, PSU) of this design: "
                      "each covers fewer than k rows, or fewer than k poor or deprived persons; a "
                      "coarser design (no PSUs, fewer strata, no --by) avoids it");
        goto done;
    }
    if (t[M_N] == 0) {
        rc = sol__err(err, SOL_EINVAL, "no persons");
        goto done;
    }
    if (!(t[M_W] > 0)) {
        rc = sol__err(err, SOL_EINVAL, "the weights sum to zero");
        goto done;
    }
    for (size_t u = 0; u < e->nunits; u++)
        rows[u] = us[u * nf + M_N];
    if ((rc = design_counts(e, rows, &lonely, err)) != SOL_OK)
        goto done;
    rc = SOL_ENOMEM;
    double W = t[M_W], Q = t[M_Q], S = t[M_S];
    r->n = (size_t)t[M_N];
    r->weighted_n = W;
    r->q = Q;
    r->H = Q / W;
    r->M0 = S / W;
    r->A = Q > 0 ? S / Q : 0;
    r->n_ind = J;
    for (size_t j = 0; j < J; j++) {
        r->ind[j].uncensored_headcount = t[M_IND + 2 * j] / W;
        r->ind[j].censored_headcount = t[M_IND + 2 * j + 1] / W;
        r->ind[j].contribution =
            r->M0 > 0 ? spec->ind[j].weight * r->ind[j].censored_headcount / r->M0 : 0;
    }
    r->n_groups = G;
    for (size_t k = 0; k < G; k++) {
        const double *x = &g[k * nf];
        sol_mpi_group *o = &r->groups[k];
        o->group = e->names[k];
        o->n = (size_t)x[M_N];
        o->weighted_n = x[M_W];
        o->H = x[M_W] > 0 ? x[M_Q] / x[M_W] : NAN;
        o->M0 = x[M_W] > 0 ? x[M_S] / x[M_W] : NAN;
        o->A = x[M_Q] > 0 ? x[M_S] / x[M_Q] : 0;
        o->contribution = r->M0 > 0 ? x[M_W] / W * o->M0 / r->M0 : 0;
    }
    for (size_t u = 0; u < e->nunits; u++) {
        const double *x = &us[u * nf];
        size_t h = e->unit_str[u];
        double T[3] = {(x[M_Q] - r->H * x[M_W]) / W, Q > 0 ? (x[M_S] - r->A * x[M_Q]) / Q : 0,
                       (x[M_S] - r->M0 * x[M_W]) / W};
        for (int k = 0; k < 3; k++) {
            s1[3 * h + (size_t)k] += T[k];
            if (!squares)
                s2[3 * h + (size_t)k] += T[k] * T[k];
        }
        if (squares) {
            double H = r->H, A = r->A, M = r->M0;
            s2[3 * h] += (x[M_W2P] * (1 - 2 * H) + H * H * x[M_W2]) / (W * W);
            s2[3 * h + 1] +=
                Q > 0 ? (x[M_W2C2] - 2 * A * x[M_W2C] + A * A * x[M_W2P]) / (Q * Q) : 0;
            s2[3 * h + 2] += (x[M_W2C2] - 2 * M * x[M_W2C] + M * M * x[M_W2]) / (W * W);
        }
    }
    if ((a1 = sol__malloc(2 * (e->nstrata + 1) * sizeof *a1)) == NULL)
        goto done;
    double var[3];
    for (size_t k = 0; k < 3; k++) {
        for (size_t h = 0; h < e->nstrata; h++) {
            a1[h] = s1[3 * h + k];
            a1[e->nstrata + h] = s2[3 * h + k];
        }
        var[k] = stratified_var(e, a1, a1 + e->nstrata);
    }
    r->H_se = sqrt(var[0]);
    r->A_se = sqrt(var[1]);
    r->M0_se = sqrt(var[2]);
    /* what a withheld cell touches is not estimated from the rest */
    for (size_t k = 0; wh && k < G; k++)
        if (wh[k] || wh[G]) {
            sol_mpi_group *o = &r->groups[k];
            o->contribution = NAN;
            if (wh[k]) {
                o->n = 0;
                o->weighted_n = o->H = o->M0 = o->A = NAN;
            }
        }
    if (wh && wh[G]) {
        r->n = 0;
        r->weighted_n = r->q = r->H = r->A = r->M0 = r->H_se = r->A_se = r->M0_se = NAN;
        for (size_t j = 0; j < J; j++)
            r->ind[j].uncensored_headcount = r->ind[j].censored_headcount = r->ind[j].contribution =
                NAN;
    }
    rc = SOL_OK;
done:
    if (rc == SOL_ENOMEM)
        nomem(err);
    sol__free_n(6, g, us, s1, s2, rows, a1);
    return rc;
}

/* An agency's answer for the spec: its mpi_cells() with the spec's positions among its
 * indicators, operators, cut-offs, weights and k. */
static PGresult *mpi_fed_query(est *e, conn *c, const sol_mpi_spec *spec, const int *pos,
                               sol_error *err)
{
    sol_buf a[4];
    for (int i = 0; i < 4; i++)
        sol__buf_init(&a[i], (size_t)1 << 16);
    sol_status rc = SOL_OK;
    for (size_t j = 0; j < spec->n && rc == SOL_OK; j++) {
        const char *sep = j ? "," : "{";
        sol__buf_addf(&a[0], "%s%d", sep, pos[j]);
        sol__buf_addf(&a[1], "%s\"%s\"", sep, op_sql(spec->ind[j].op));
        sol__buf_addf(&a[2], "%s%.17g", sep, spec->ind[j].cutoff);
        rc = sol__buf_addf(&a[3], "%s%.17g", sep, spec->ind[j].weight);
    }
    for (int i = 0; i < 4 && rc == SOL_OK; i++)
        rc = sol__buf_addc(&a[i], '}');
    PGresult *r = NULL;
    if (rc != SOL_OK) {
        nomem(err);
    } else {
        params p = {.n = 0};
        for (int i = 0; i < 4; i++)
            par_text(&p, a[i].data);
        par_num(&p, spec->k - 1e-9);
        par_text(&p, e->j->strata ? "true" : "false");
        par_text(&p, e->j->psu ? "true" : "false");
        char sql[900];
        snprintf(sql, sizeof sql,
                 "SELECT d, s, u, n, bad_v, bad_w, f, fd, fp FROM %s.mpi_cells($1::int[], "
                 "$2::text[], $3::float8[], $4::float8[], $5::float8, $6::bool, $7::bool)",
                 c->table);
        r = query(c, sql, p.n, p.v, err);
    }
    for (int i = 0; i < 4; i++)
        sol__buf_free(&a[i]);
    return r;
}

/* The groups of the servers' rows (column 0), sorted by name. */
static sol_status mpi_groups(est *e, PGresult *const *res, size_t nres, sol_error *err)
{
    sol_strmap *seen = sol__strmap_new(64);
    if (seen == NULL)
        return nomem(err);
    for (size_t k = 0; k < nres; k++)
        for (int i = 0; i < PQntuples(res[k]); i++) {
            const char *nm = PQgetvalue(res[k], i, 0);
            if (sol__strmap_get(seen, nm, strlen(nm), NULL))
                continue;
            char **nn = sol__realloc(e->names, (e->nd + 1) * sizeof *nn);
            if (nn == NULL || (e->names = nn, nn[e->nd] = sol__strdup(nm)) == NULL ||
                sol__strmap_put(seen, nm, strlen(nm), 1) != SOL_OK) {
                sol__strmap_free(seen);
                return nomem(err);
            }
            e->nd++;
        }
    sol__strmap_free(seen);
    qsort(e->names, e->nd, sizeof *e->names, cmp_str);
    return SOL_OK;
}

sol_status sol__microsql_mpi(const sol_mpi_job *j, const sol_mpi_spec *spec, sol_mpi_result **out,
                             char ***names, size_t *n_names, unsigned char **withheld,
                             char ***notes, size_t *n_notes, sol_error *err)
{
    if (spec->n > 64)
        return sol__err(err, SOL_ELIMIT, "--microdata-sql takes at most 64 indicators");
    if (j->n_agencies > 8) /* res[] below */
        return sol__err(err, SOL_ELIMIT, "--microdata-sql: at most %zu agencies", (size_t)8);
    sol_poverty_job pj;
    sol_run_poverty_job_init(&pj);
    pj.microdata_sql = j->microdata_sql;
    pj.weight = j->weight;
    pj.by = j->by;
    pj.strata = j->strata;
    pj.psu = j->psu;
    pj.lonely = j->lonely;
    est e = {.j = &pj, .nc = j->n_agencies ? j->n_agencies : 1};
    const char *const *urls = j->n_agencies ? j->agencies : &j->microdata_sql;
    sol_mpi_result *r = NULL;
    PGresult *res[8] = {NULL};
    mcells m = {.nf = M_IND + 2 * spec->n};
    unsigned char *wh = NULL;
    const char **colnames = sol__calloc(spec->n + 1, sizeof *colnames);
    int *pos = sol__calloc(e.nc * (spec->n + 1), sizeof *pos);
    sol_buf b;
    sol__buf_init(&b, (size_t)1 << 20);
    sol_status rc = SOL_ENOMEM;
    if (colnames == NULL || pos == NULL || (e.c = sol__calloc(e.nc, sizeof *e.c)) == NULL ||
        (e.unitmap = sol__strmap_new(1024)) == NULL || (e.stratmap = sol__strmap_new(64)) == NULL) {
        nomem(err);
        goto fail;
    }
    for (size_t k = 0; k < spec->n; k++)
        colnames[k] = spec->ind[k].column;
    for (size_t i = 0; i < e.nc; i++) {
        if ((rc = open_conn(&e.c[i], urls[i], err)) != SOL_OK)
            goto fail;
        if (!e.c[i].fed && e.nc > 1) {
            rc = sol__err(err, SOL_EINVAL,
                          "mpi --microdata-sql reads one table (?table=), or one or more "
                          "agencies (?agency=)");
            goto fail;
        }
        rc = e.c[i].fed ? check_agency(&e.c[i], &pj, spec, pos + i * spec->n, err)
                        : check_columns(&e.c[i], &pj, colnames, spec->n, &e.k[0], err);
        if (rc != SOL_OK)
            goto fail;
    }
    for (size_t i = 0; i < e.nc; i++) {
        if (e.c[0].fed) {
            res[i] = mpi_fed_query(&e, &e.c[i], spec, pos + i * spec->n, err);
        } else {
            params p = {.n = 0};
            b.len = 0;
            if ((rc = mpi_sql(&e, spec, &p, &b)) != SOL_OK) {
                rc = nomem(err);
                goto fail;
            }
            res[i] = query(&e.c[0], b.data, p.n, p.v, err);
        }
        if (res[i] == NULL) {
            rc = SOL_EIO;
            goto fail;
        }
    }
    if (j->by && (rc = mpi_groups(&e, res, e.nc, err)) != SOL_OK)
        goto fail;
    rc = SOL_ENOMEM;
    if ((r = sol__calloc(1, sizeof *r)) == NULL ||
        (r->ind = sol__calloc(spec->n + 1, sizeof *r->ind)) == NULL ||
        (r->groups = sol__calloc(e.nd + 1, sizeof *r->groups)) == NULL ||
        (e.c[0].fed && (wh = sol__calloc(e.nd + 1, 1)) == NULL))
        goto fail;
    for (size_t i = 0; i < e.nc; i++)
        if ((rc = e.c[0].fed ? mpi_fed_cells(&e, res[i], spec->n, &m, wh, err)
                             : mpi_cells(&e, res[i], &m, err)) != SOL_OK)
            goto fail;
    if ((rc = mpi_finish(&e, spec, &m, wh, r, err)) != SOL_OK)
        goto fail;
    if (e.c[0].fed) {
        size_t cw = e.cells_withheld;
        e.cells_withheld = 0; /* poverty's note speaks of rates */
        if ((rc = fed_notes(&e, notes, n_notes, err)) != SOL_OK ||
            (cw && (rc = sol__run_note_add(
                        notes, n_notes, SOL_ERROR_MSG_MAX, err,
                        _("the agencies withheld %zu cells (domain, stratum, PSU) of fewer than k "
                          "rows, or of fewer than k poor or deprived persons: H, A and M0 of "
                          "their groups and of the whole population are withheld (null); a "
                          "coarser design (fewer strata, no PSUs) avoids it"),
                        cw)) != SOL_OK))
            goto fail;
    }
    *names = e.names;
    *n_names = e.nd;
    e.names = NULL;
    *withheld = wh;
    wh = NULL;
    *out = r;
    r = NULL;
    rc = SOL_OK;
fail:
    if (rc == SOL_ENOMEM)
        nomem(err);
    for (size_t i = 0; i < sizeof res / sizeof res[0]; i++)
        PQclear(res[i]);
    sol__buf_free(&b);
    mcells_free(&m);
    sol__free_n(3, colnames, pos, wh);
    sol_mpi_result_free(r);
    est_free(&e);
    return rc;
}

/* ---- tabulate ------------------------------------------------------------------------------ */

/* The cells of the table as the server counts them; a digest of what came back for the card. */
static sol_status tab_cells(conn *c, const sol_tab_opts *o, sol_tab **out, sol_error *err)
{
    char rq[300], cq[300] = "''::text", wq[300] = "1::float8";
    sol_status rc;
    if ((rc = quote_col(c, o->row_field, "text", rq, sizeof rq, err)) != SOL_OK ||
        (o->col_field && (rc = quote_col(c, o->col_field, "text", cq, sizeof cq, err)) != SOL_OK) ||
        (o->weight_field &&
         (rc = quote_col(c, o->weight_field, "float8", wq, sizeof wq, err)) != SOL_OK))
        return rc;
    sol_buf b;
    sol__buf_init(&b, 1 << 14);
    rc = sol__buf_addf(&b,
                       "SELECT coalesce(%s, ''), coalesce(%s, ''), count(*), sum((%s)::numeric), "
                       "sum(CASE WHEN %s >= 0 AND %s < 'Infinity'::float8 THEN 0 ELSE 1 END) "
                       "FROM %s GROUP BY 1, 2 ORDER BY 1, 2",
                       rq, cq, wq, wq, wq, c->table);
    PGresult *r = rc == SOL_OK ? query(c, b.data, 0, NULL, err) : NULL;
    sol__buf_free(&b);
    if (r == NULL)
        return rc == SOL_OK ? SOL_EIO : nomem(err);
    size_t n = (size_t)PQntuples(r);
    double bad = 0;
    sol_tab_cell *cells = sol__calloc(n + 1, sizeof *cells);
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    for (size_t i = 0; cells && i < n; i++) {
        int q = (int)i;
        cells[i] = (sol_tab_cell){PQgetvalue(r, q, 0), PQgetvalue(r, q, 1),
                                  (uint64_t)strtoull(PQgetvalue(r, q, 2), NULL, 10), num(r, q, 3)};
        bad += num(r, q, 4);
        for (int k = 0; k < 4; k++) {
            const char *v = PQgetvalue(r, q, k);
            crypto_hash_sha256_update(&h, (const unsigned char *)v, strlen(v) + 1);
        }
    }
    unsigned char d[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    crypto_hash_sha256_final(&h, d);
    sodium_bin2hex(hex, sizeof hex, d, sizeof d);
    if (cells == NULL)
        rc = nomem(err);
    else if (bad > 0)
        rc = sol__err(err, SOL_ETYPE,
                      "%.0f rows of table %s have a weight that is missing, negative or not finite "
                      "(column %s)",
                      bad, c->table, o->weight_field);
    else
        rc = sol_tab_new_cells(o, cells, n, hex, out, err);
    sol__free(cells);
    PQclear(r);
    return rc;
}

sol_status sol__microsql_tabulate(const char *url, const sol_tab_opts *o, sol_tab **out,
                                  sol_error *err)
{
    conn c = {0};
    sol_status rc = open_conn(&c, url, err);
    if (rc == SOL_OK && c.fed)
        rc = sol__err(err, SOL_EINVAL,
                      "tabulate --microdata-sql reads a table (?table=); an agency's functions "
                      "(?agency=) serve poverty only");
    const char *name[3] = {o->row_field, o->col_field, o->weight_field};
    const char *what[3] = {N_("rows, --rows"), N_("columns, --cols"), N_("weight, --weight")};
    if (rc == SOL_OK)
        rc = need_columns(&c, name, what, 3, err);
    if (rc == SOL_OK)
        rc = tab_cells(&c, o, out, err);
    close_conn(&c);
    return rc;
}
