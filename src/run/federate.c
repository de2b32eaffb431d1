/* federate.c - the setup an agency runs in its own PostgreSQL database so that the observatory
 * can estimate over its microdata without reading a row: views the observatory may not read,
 * SECURITY DEFINER functions returning only aggregates over at least k rows, and a role that may
 * run those and nothing else. docs/microdata-sql.md ("Federation") gives the threat model. */
#include <solidata/run_poverty.h>

#include "core/core.h"

#include <string.h>

/* Role and schema names are plain words, so that they are safe in identifiers and literals. */
static int plain_word(const char *s)
{
    if (s == NULL || *s == '\0' || strlen(s) > 63 || !(*s == '_' || (*s >= 'a' && *s <= 'z')))
        return 0;
    for (; *s; s++)
        if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
            return 0;
    return 1;
}

/* "name" with its quotes doubled. */
static sol_status add_ident(sol_buf *b, const char *name, size_t n)
{
    sol__buf_addc(b, '"');
    for (size_t i = 0; i < n; i++)
        if ((name[i] == '"' && sol__buf_addc(b, '"') != SOL_OK) ||
            sol__buf_addc(b, name[i]) != SOL_OK)
            return SOL_ENOMEM;
    return sol__buf_addc(b, '"');
}

/* 'text' with its quotes doubled. */
static sol_status add_literal(sol_buf *b, const char *s)
{
    if (s == NULL)
        return sol__buf_addf(b, "NULL");
    sol__buf_addc(b, '\'');
    for (; *s; s++)
        if ((*s == '\'' && sol__buf_addc(b, '\'') != SOL_OK) || sol__buf_addc(b, *s) != SOL_OK)
            return SOL_ENOMEM;
    return sol__buf_addc(b, '\'');
}

/* A column as an expression of the base view, or a constant when the role is not given. */
static sol_status add_col(sol_buf *b, const char *col, const char *cast, const char *none)
{
    if (col == NULL)
        return sol__buf_addf(b, "%s", none);
    add_ident(b, col, strlen(col));
    return sol__buf_addf(b, "::%s", cast);
}

/* The function bodies; @S is the schema, @K is k, @R the role. Every function reads the rows
 * through the view _ok (domains of at least k rows), which the observatory's role may not read. */
static const char FUNCS[] =
    "CREATE FUNCTION @S.withheld() RETURNS TABLE(d text) LANGUAGE sql VOLATILE SECURITY DEFINER\n"
    "SET search_path = pg_catalog, pg_temp AS $f$\n"
    "  INSERT INTO @S.calls (who, fn) VALUES (session_user, 'withheld');\n"
    "  SELECT d FROM @S._rows GROUP BY d HAVING count(*) < @K OR d IS NULL ORDER BY 1\n"
    "$f$;\n"
    "CREATE FUNCTION @S.domains() RETURNS TABLE(d text, n bigint, sw numeric, swx numeric,\n"
    "    swxx numeric, lo float8, hi float8, bad_x bigint, bad_w bigint, bad_code bigint)\n"
    "LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$\n"
    "  INSERT INTO @S.calls (who, fn) VALUES (session_user, 'domains');\n"
    "  SELECT d, count(*), sum(w::numeric), sum(w::numeric * x::numeric),\n"
    "    sum(w::numeric * x::numeric * x::numeric),\n"
    "    CASE WHEN min(x) >= 0 THEN 0 ELSE -(2::float8 ^ (ceil(ln(-min(x)) / ln(2)) + 1)) END,\n"
    "    CASE WHEN max(x) <= 0 THEN 0 ELSE 2::float8 ^ (ceil(ln(max(x)) / ln(2)) + 1) END,\n"
    "    sum(CASE WHEN x > '-Infinity' AND x < 'Infinity' THEN 0 ELSE 1 END),\n"
    "    sum(CASE WHEN w >= 0 AND w < 'Infinity' THEN 0 ELSE 1 END),\n"
    "    sum(CASE WHEN s IS NULL OR u IS NULL THEN 1 ELSE 0 END)\n"
    "  FROM @S._ok GROUP BY d\n"
    "$f$;\n"
    /* the weight of the rows below each threshold, only when at least k rows are on each side */
    "CREATE FUNCTION @S.cdf(p_names text[], p_off int[], p_thr float8[], p_line float8)\n"
    "RETURNS TABLE(i int, j int, n bigint, sw numeric)\n"
    "LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$\n"
    "  INSERT INTO @S.calls (who, fn) VALUES (session_user, 'cdf');\n"
    "  WITH q AS (SELECT g AS i, p_names[g] AS d, p_thr[p_off[g] + 1 : p_off[g + 1]] AS t\n"
    "             FROM generate_subscripts(p_names, 1) g),\n"
    "  r AS (SELECT q.i, width_bucket(o.x, q.t) AS b, count(*) AS n, sum(o.w::numeric) AS sw\n"
    "        FROM q JOIN @S._ok o ON q.d IS NULL OR o.d = q.d\n"
    "        WHERE p_line IS NULL OR o.x < p_line GROUP BY 1, 2),\n"
    "  grid AS (SELECT q.i, b, cardinality(q.t) AS m FROM q, generate_series(0, cardinality(q.t))"
    " b),\n"
    "  c AS (SELECT grid.i, grid.b, grid.m, sum(r.n) OVER w AS le, sum(r.sw) OVER w AS sw,\n"
    "               sum(r.n) OVER (PARTITION BY grid.i) AS tot\n"
    "        FROM grid LEFT JOIN r ON r.i = grid.i AND r.b = grid.b\n"
    "        WINDOW w AS (PARTITION BY grid.i ORDER BY grid.b ROWS UNBOUNDED PRECEDING))\n"
    "  SELECT i, b + 1, CASE WHEN tot IS NULL THEN 0\n"
    "      WHEN le >= @K AND tot - le >= @K THEN le::bigint END, CASE WHEN tot IS NULL THEN 0\n"
    "      WHEN le >= @K AND tot - le >= @K THEN sw END\n"
    "  FROM c WHERE b < m\n"
    "$f$;\n";
static const char CELLS[] =
    /* the linearised scores' sums per (domain, stratum, PSU); a cell of fewer than k rows, or
     * whose poor or below-median rows (or the others) are between 1 and k - 1, is withheld */
    "CREATE FUNCTION @S.cells(p_t float8, p_m float8, p_strata bool, p_psu bool)\n"
    "RETURNS TABLE(d text, s text, u text, n bigint, f1 numeric, f2 numeric, f3 numeric,\n"
    "    f4 numeric, f5 numeric, f6 numeric, f7 numeric, f8 numeric, f9 numeric, f10 numeric,\n"
    "    f11 numeric, f12 numeric, f13 numeric, f14 numeric, f15 numeric)\n"
    "LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$\n"
    "  INSERT INTO @S.calls (who, fn) VALUES (session_user, 'cells');\n"
    "  WITH z AS (SELECT d, CASE WHEN p_strata THEN s ELSE '' END AS s,\n"
    "      CASE WHEN p_psu THEN u ELSE '' END AS u, w::numeric AS nw, x::numeric AS nx,\n"
    "      CASE WHEN x < p_t THEN 1 ELSE 0 END AS i, (w * g)::numeric AS nwg,\n"
    "      (w * g * g)::numeric AS nwg2, CASE WHEN x <= p_m THEN 0.5 ELSE -0.5 END AS j\n"
    "    FROM (SELECT o.*, CASE WHEN x < p_t THEN (p_t - x) / p_t ELSE 0 END AS g\n"
    "          FROM @S._ok o) v),\n"
    "  c AS (SELECT d, s, u, count(*) AS n, sum(i) AS np, sum(CASE WHEN j > 0 THEN 1 ELSE 0 END)\n"
    "      AS nm, sum(nw) AS f1, sum(i * nw) AS f2, sum(nwg) AS f3, sum(nwg2) AS f4,\n"
    "      sum(nw * nx) AS f5, sum(nw * j) AS f6, sum(nw * nw) AS f7, sum(i * nw * nw) AS f8,\n"
    "      sum(nwg * nw) AS f9, sum(nwg * nwg) AS f10, sum(nwg2 * nwg2) AS f11,\n"
    "      sum(nw * nw * nx) AS f12, sum(nw * nx * nw * nx) AS f13, sum(i * nw * nw * j) AS f14,\n"
    "      sum(nw * nw * j) AS f15 FROM z GROUP BY d, s, u),\n"
    "  k AS (SELECT c.*, n >= @K AND (np = 0 OR np >= @K) AND (n - np = 0 OR n - np >= @K)\n"
    "      AND (nm = 0 OR nm >= @K) AND (n - nm = 0 OR n - nm >= @K) AS ok FROM c)\n"
    "  SELECT d, s, u, CASE WHEN ok THEN n END, CASE WHEN ok THEN f1 END, CASE WHEN ok THEN f2 "
    "END,\n"
    "    CASE WHEN ok THEN f3 END, CASE WHEN ok THEN f4 END, CASE WHEN ok THEN f5 END,\n"
    "    CASE WHEN ok THEN f6 END, CASE WHEN ok THEN f7 END, CASE WHEN ok THEN f8 END,\n"
    "    CASE WHEN ok THEN f9 END, CASE WHEN ok THEN f10 END, CASE WHEN ok THEN f11 END,\n"
    "    CASE WHEN ok THEN f12 END, CASE WHEN ok THEN f13 END, CASE WHEN ok THEN f14 END,\n"
    "    CASE WHEN ok THEN f15 END FROM k\n"
    "$f$;\n";

/* The quintile shares' sums and the kernel sums, per domain and (d NULL) over every domain (a
 * sum over fewer than k rows, leaving fewer than k out, or a kernel with fewer than k rows
 * within one bandwidth is NULL); Gini's sums of each domain and of all, made inside. */
static const char SUMS[] =
    "CREATE FUNCTION @S.dsums(p_names text[], p_q20 float8[], p_q80 float8[], p_h float8[],\n"
    "    p_t float8, p_tq20 float8, p_tq80 float8, p_th float8, p_tq50 float8)\n"
    "RETURNS TABLE(d text, bottom numeric, top numeric, kd_t numeric, kd_q numeric)\n"
    "LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$\n"
    "  INSERT INTO @S.calls (who, fn) VALUES (session_user, 'dsums');\n"
    "  SELECT d,\n"
    "    CASE WHEN count(*) FILTER (WHERE x <= q20) >= @K AND count(*) FILTER (WHERE NOT (x <= "
    "q20)) >= @K\n"
    "      THEN sum(CASE WHEN x <= q20 THEN (w * x)::numeric ELSE 0 END) END,\n"
    "    CASE WHEN count(*) FILTER (WHERE x > q80) >= @K AND count(*) FILTER (WHERE NOT (x > "
    "q80)) >= @K\n"
    "      THEN sum(CASE WHEN x > q80 THEN (w * x)::numeric ELSE 0 END) END,\n"
    "    CASE WHEN count(*) FILTER (WHERE x >= p_t - h AND x <= p_t + h) >= @K\n"
    "      THEN sum(CASE WHEN x >= p_t - 10 * h AND x <= p_t + 10 * h THEN (w * exp(-(((p_t - "
    "x) / h) * ((p_t - x) / h)) / 2))::numeric ELSE 0 END) END,\n"
    "    NULL::numeric\n"
    "  FROM (SELECT o.*, p_q20[k] AS q20, p_q80[k] AS q80, p_h[k] AS h\n"
    "        FROM (SELECT v.*, array_position(p_names, d) AS k FROM @S._ok v) o) z GROUP BY d\n"
    "  UNION ALL\n"
    "  SELECT NULL,\n"
    "    CASE WHEN count(*) FILTER (WHERE x <= p_tq20) >= @K AND count(*) FILTER (WHERE NOT (x "
    "<= p_tq20)) >= @K\n"
    "      THEN sum(CASE WHEN x <= p_tq20 THEN (w * x)::numeric ELSE 0 END) END,\n"
    "    CASE WHEN count(*) FILTER (WHERE x > p_tq80) >= @K AND count(*) FILTER (WHERE NOT (x "
    "> p_tq80)) >= @K\n"
    "      THEN sum(CASE WHEN x > p_tq80 THEN (w * x)::numeric ELSE 0 END) END,\n"
    "    CASE WHEN count(*) FILTER (WHERE x >= p_t - p_th AND x <= p_t + p_th) >= @K\n"
    "      THEN sum(CASE WHEN x >= p_t - 10 * p_th AND x <= p_t + 10 * p_th THEN (w * "
    "exp(-(((p_t - x) / p_th) * ((p_t - x) / p_th)) / 2))::numeric ELSE 0 END) END,\n"
    "    CASE WHEN count(*) FILTER (WHERE x >= p_tq50 - p_th AND x <= p_tq50 + p_th) >= @K\n"
    "      THEN sum(CASE WHEN x >= p_tq50 - 10 * p_th AND x <= p_tq50 + 10 * p_th THEN (w * "
    "exp(-(((p_tq50 - x) / p_th) * ((p_tq50 - x) / p_th)) / 2))::numeric ELSE 0 END) END\n"
    "  FROM @S._ok\n"
    "$f$;\n"
    "CREATE FUNCTION @S.gini() RETURNS TABLE(d text, ga numeric, gb numeric)\n"
    "LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$\n"
    "  INSERT INTO @S.calls (who, fn) VALUES (session_user, 'gini');\n"
    "  SELECT d, sum((w * x)::numeric * cw), sum((w * w * x)::numeric) FROM (SELECT d, w, x,\n"
    "    sum(w::numeric) OVER (PARTITION BY d ORDER BY x ROWS UNBOUNDED PRECEDING) AS cw\n"
    "    FROM @S._ok) g GROUP BY d\n"
    "  UNION ALL\n"
    "  SELECT NULL, sum((w * x)::numeric * cw), sum((w * w * x)::numeric) FROM (SELECT w, x,\n"
    "    sum(w::numeric) OVER (ORDER BY x ROWS UNBOUNDED PRECEDING) AS cw FROM @S._ok) g\n"
    "$f$;\n";

/* Alkire-Foster: the sums of sol_mpi_estimate per (domain, stratum, PSU), from the caller's
 * indicators (positions p_col among the agency's deprivation columns), operators, cut-offs and
 * weights, and k. The score adds the weights in the caller's order, as the file's path does. A
 * cell of fewer than k rows, or whose poor, deprived or censored-deprived rows (or the others)
 * number 1 to k-1 for any indicator, is withheld; the counts of bad values are not. */
static const char MPI[] =
    "CREATE FUNCTION @S.mpi_cells(p_col int[], p_op text[], p_cut float8[], p_wt float8[],\n"
    "    p_k float8, p_strata bool, p_psu bool)\n"
    "RETURNS TABLE(d text, s text, u text, n bigint, bad_v bigint, bad_w bigint, f numeric[],\n"
    "    fd numeric[], fp numeric[])\n"
    "LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$\n"
    "  INSERT INTO @S.calls (who, fn) VALUES (session_user, 'mpi_cells');\n"
    "  WITH r AS (SELECT o.d, CASE WHEN p_strata THEN o.s ELSE '' END AS s,\n"
    "      CASE WHEN p_psu THEN o.u ELSE '' END AS u, o.w, t.ci, t.dep, t.bad\n"
    "    FROM @S._ok o, LATERAL (SELECT coalesce(sum(CASE WHEN y.dep THEN p_wt[y.i] ELSE\n"
    "        0::float8 END ORDER BY y.i), 0::float8) AS ci,\n"
    "        array_agg(CASE WHEN y.dep THEN 1 ELSE 0 END ORDER BY y.i) AS dep,\n"
    "        coalesce(bool_or(y.bad), false) AS bad\n"
    "      FROM (SELECT g AS i, coalesce(CASE p_op[g]\n"
    "          WHEN '=' THEN o.vi[p_col[g]] = p_cut[g] WHEN '<>' THEN o.vi[p_col[g]] <> p_cut[g]\n"
    "          WHEN '<' THEN o.vi[p_col[g]] < p_cut[g] WHEN '<=' THEN o.vi[p_col[g]] <= p_cut[g]\n"
    "          WHEN '>' THEN o.vi[p_col[g]] > p_cut[g] WHEN '>=' THEN o.vi[p_col[g]] >= p_cut[g]\n"
    "          END, false) AS dep,\n"
    "        NOT coalesce(o.vi[p_col[g]] > '-Infinity'::float8\n"
    "          AND o.vi[p_col[g]] < 'Infinity'::float8, false) AS bad\n"
    "        FROM generate_subscripts(p_col, 1) g) y) t),\n"
    "  z AS (SELECT r.*, w::numeric AS nw, CASE WHEN ci >= p_k THEN 1 ELSE 0 END AS poor,\n"
    "      (CASE WHEN ci >= p_k THEN ci ELSE 0 END)::numeric AS ncc,\n"
    "      (w * CASE WHEN ci >= p_k THEN ci ELSE 0 END)::numeric AS nwc FROM r),\n"
    "  c AS (SELECT d, s, u, count(*) AS n, sum(poor) AS np,\n"
    "      sum(CASE WHEN bad THEN 1 ELSE 0 END) AS bad_v,\n"
    "      sum(CASE WHEN w >= 0 AND w < 'Infinity'::float8 THEN 0 ELSE 1 END) AS bad_w,\n"
    "      ARRAY[count(*), sum(nw), sum(poor * nw), sum(nwc), sum(nw * nw), sum(poor * nw * nw),\n"
    "        sum(nw * nw * ncc), sum(nw * nw * ncc * ncc)]::numeric[] AS f FROM z GROUP BY d, s, "
    "u),\n"
    "  i AS (SELECT d, s, u, g, sum(dep[g]) AS nd, sum(dep[g] * poor) AS ndp,\n"
    "      sum(dep[g] * nw) AS sd, sum(dep[g] * poor * nw) AS sp\n"
    "    FROM z, generate_subscripts(p_col, 1) g GROUP BY d, s, u, g),\n"
    "  k AS (SELECT c.d, c.s, c.u, c.n, c.bad_v, c.bad_w, c.f,\n"
    "      array_agg(i.sd ORDER BY i.g) AS fd, array_agg(i.sp ORDER BY i.g) AS fp,\n"
    "      c.n >= @K AND (c.np = 0 OR c.np >= @K) AND (c.n - c.np = 0 OR c.n - c.np >= @K)\n"
    "      AND bool_and((i.nd = 0 OR i.nd >= @K) AND (c.n - i.nd = 0 OR c.n - i.nd >= @K)\n"
    "        AND (i.ndp = 0 OR i.ndp >= @K) AND (c.np - i.ndp = 0 OR c.np - i.ndp >= @K)) AS ok\n"
    "    FROM c JOIN i ON i.d = c.d AND i.s IS NOT DISTINCT FROM c.s\n"
    "      AND i.u IS NOT DISTINCT FROM c.u\n"
    "    GROUP BY c.d, c.s, c.u, c.n, c.np, c.bad_v, c.bad_w, c.f)\n"
    "  SELECT d, s, u, CASE WHEN ok THEN n END, bad_v, bad_w, CASE WHEN ok THEN f END,\n"
    "    CASE WHEN ok THEN fd END, CASE WHEN ok THEN fp END FROM k\n"
    "$f$;\n";

static const char GRANTS[] =
    "REVOKE ALL ON ALL TABLES IN SCHEMA @S FROM PUBLIC;\n"
    "REVOKE ALL ON ALL FUNCTIONS IN SCHEMA @S FROM PUBLIC;\n"
    "GRANT USAGE ON SCHEMA @S TO @R;\n"
    "GRANT EXECUTE ON FUNCTION @S.setup(), @S.withheld(), @S.domains(),\n"
    "    @S.cdf(text[], int[], float8[], float8), @S.cells(float8, float8, bool, bool),\n"
    "    @S.dsums(text[], float8[], float8[], float8[], float8, float8, float8, float8, "
    "float8),\n"
    "    @S.gini(), @S.mpi_cells(int[], text[], float8[], float8[], float8, bool, bool) TO @R;\n"
    "COMMIT;\n";

/* The template with @S, @K and @R replaced by the schema, k and the role. */
static sol_status add_tmpl(sol_buf *b, const char *t, const char *schema, int k, const char *role)
{
    sol_status rc = SOL_OK;
    for (; *t && rc == SOL_OK; t++) {
        if (t[0] == '@' && (t[1] == 'S' || t[1] == 'K' || t[1] == 'R')) {
            rc = t[1] == 'K' ? sol__buf_addf(b, "%d", k)
                             : sol__buf_addf(b, "%s", t[1] == 'S' ? schema : role);
            t++;
        } else {
            rc = sol__buf_addc(b, *t);
        }
    }
    return rc;
}

sol_status sol_run_agency_sql(const sol_agency_sql_opts *o, char **out, sol_error *err)
{
    const char *schema = o->schema ? o->schema : "solidata_fed";
    int k = o->k > 0 ? o->k : 10;
    if (!o->table || !o->role || !o->weight || !o->by || (!o->income && o->n_indicators == 0))
        return sol__err(err, SOL_EINVAL,
                        "--table, --role, --weight, --by and --income (or an --indicator) are "
                        "required");
    if (o->n_indicators > 64)
        return sol__err(err, SOL_ELIMIT, "at most 64 --indicator columns");
    for (size_t i = 0; i < o->n_indicators; i++)
        if (o->indicators[i] == NULL || o->indicators[i][0] == '\0')
            return sol__err(err, SOL_EINVAL, "--indicator takes a column name");
    if (!plain_word(o->role) || !plain_word(schema))
        return sol__err(err, SOL_EINVAL,
                        "--role and --schema take a plain name (lower-case letters, digits and "
                        "'_', starting with a letter), not '%s'",
                        plain_word(o->role) ? schema : o->role);
    sol_buf b;
    sol__buf_init(&b, (size_t)1 << 20);
    sol__buf_addf(&b,
                  "-- solidata agency setup (solidata microdata agency-sql): run it once as the "
                  "owner of the table,\n-- psql -v ON_ERROR_STOP=1 -f THIS.sql. Role %s may then "
                  "run the aggregate functions of schema\n-- %s (each over at least k = %d "
                  "rows) and read nothing else: docs/microdata-sql.md.\nBEGIN;\n",
                  o->role, schema, k);
    sol__buf_addf(&b,
                  "DO $do$ BEGIN\n  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%s') "
                  "THEN CREATE ROLE %s LOGIN; END IF;\nEND $do$;\n",
                  o->role, o->role);
    sol__buf_addf(&b, "DROP SCHEMA IF EXISTS %s CASCADE;\nCREATE SCHEMA %s;\n", schema, schema);
    /* every call, by whom and when: the agency can see a pattern that is not an estimate's */
    add_tmpl(&b,
             "CREATE TABLE @S.calls (at timestamptz NOT NULL DEFAULT now(), who text NOT NULL, "
             "fn text NOT NULL);\n",
             schema, k, o->role);
    /* the table itself: nobody but its owner (a grant to PUBLIC would reach the role too) */
    sol__buf_addf(&b, "REVOKE ALL ON TABLE ");
    const char *dot = strchr(o->table, '.');
    if (dot) {
        add_ident(&b, o->table, (size_t)(dot - o->table));
        sol__buf_addc(&b, '.');
    }
    const char *tname = dot ? dot + 1 : o->table;
    add_ident(&b, tname, strlen(tname));
    sol__buf_addf(&b, " FROM PUBLIC, %s;\n", o->role);
    sol__buf_addf(&b, "CREATE VIEW %s._rows AS SELECT ", schema);
    add_col(&b, o->income, "float8", "NULL::float8");
    sol__buf_addf(&b, " AS x, ");
    add_col(&b, o->weight, "float8", "");
    sol__buf_addf(&b, " AS w, ");
    add_col(&b, o->by, "text", "");
    sol__buf_addf(&b, " AS d, ");
    add_col(&b, o->strata, "text", "''::text");
    sol__buf_addf(&b, " AS s, ");
    add_col(&b, o->psu, "text", "''::text");
    sol__buf_addf(&b, " AS u, ");
    /* the deprivation indicators of mpi, by position */
    if (o->n_indicators == 0)
        sol__buf_addf(&b, "NULL::float8[]");
    for (size_t i = 0; i < o->n_indicators; i++) {
        sol__buf_addf(&b, i ? ", " : "ARRAY[");
        add_col(&b, o->indicators[i], "float8", "");
    }
    sol__buf_addf(&b, "%s AS vi FROM ", o->n_indicators ? "]" : "");
    if (dot) {
        add_ident(&b, o->table, (size_t)(dot - o->table));
        sol__buf_addc(&b, '.');
    }
    add_ident(&b, tname, strlen(tname));
    sol__buf_addf(&b, ";\n");
    add_tmpl(&b,
             "CREATE VIEW @S._ok AS SELECT * FROM @S._rows WHERE d IN (SELECT d FROM @S._rows "
             "WHERE d IS NOT NULL GROUP BY d HAVING count(*) >= @K);\n",
             schema, k, o->role);
    sol__buf_addf(&b,
                  "CREATE FUNCTION %s.setup(OUT income text, OUT weight text, OUT domain text, "
                  "OUT strata text,\n    OUT psu text, OUT k int, OUT indicators text[]) "
                  "LANGUAGE sql IMMUTABLE AS $f$ SELECT ",
                  schema);
    const char *lit[5] = {o->income, o->weight, o->by, o->strata, o->psu};
    for (int i = 0; i < 5; i++) {
        add_literal(&b, lit[i]);
        sol__buf_addf(&b, "::text, ");
    }
    sol__buf_addf(&b, "%d, ARRAY[", k);
    for (size_t i = 0; i < o->n_indicators; i++) {
        sol__buf_addf(&b, i ? ", " : "");
        add_literal(&b, o->indicators[i]);
    }
    sol__buf_addf(&b, "]::text[] $f$;\n");
    add_tmpl(&b, FUNCS, schema, k, o->role);
    add_tmpl(&b, CELLS, schema, k, o->role);
    add_tmpl(&b, SUMS, schema, k, o->role);
    add_tmpl(&b, MPI, schema, k, o->role);
    if (add_tmpl(&b, GRANTS, schema, k, o->role) != SOL_OK) {
        sol__buf_free(&b);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    *out = b.data;
    return SOL_OK;
}
