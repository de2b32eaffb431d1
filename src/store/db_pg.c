/* db_pg.c - the PostgreSQL side of the store's database interface (db_pg.h), over libpq.
 * (Being written: a store named by a postgresql:// address is refused with a message until it is.)
 */
#include "db_pg.h"
#include "db.h"

#include <libpq-fe.h>

struct sol_pg {
    PGconn *conn;
};

int sol__pg_open(const char *conninfo, struct sol_pg **out)
{
    (void)conninfo;
    *out = NULL;
    return SOL_DB_ERROR;
}
void sol__pg_close(struct sol_pg *pg)
{
    (void)pg;
}
const char *sol__pg_errmsg(const struct sol_pg *pg)
{
    (void)pg;
    return "PostgreSQL stores are not supported by this build yet";
}
int sol__pg_exec(struct sol_pg *pg, const char *sql)
{
    (void)pg;
    (void)sql;
    return SOL_DB_ERROR;
}
int sol__pg_autocommit(struct sol_pg *pg)
{
    (void)pg;
    return 1;
}
int64_t sol__pg_changes(struct sol_pg *pg)
{
    (void)pg;
    return 0;
}
int64_t sol__pg_last_insert_id(struct sol_pg *pg)
{
    (void)pg;
    return 0;
}
int sol__pg_prepare(struct sol_pg *pg, const char *sql, int persistent, struct sol_pgstmt **out)
{
    (void)pg;
    (void)sql;
    (void)persistent;
    *out = NULL;
    return SOL_DB_ERROR;
}
int sol__pg_bind_int64(struct sol_pgstmt *s, int i, int64_t v)
{
    (void)s;
    (void)i;
    (void)v;
    return SOL_DB_ERROR;
}
int sol__pg_bind_double(struct sol_pgstmt *s, int i, double v)
{
    (void)s;
    (void)i;
    (void)v;
    return SOL_DB_ERROR;
}
int sol__pg_bind_text(struct sol_pgstmt *s, int i, const char *v, int n)
{
    (void)s;
    (void)i;
    (void)v;
    (void)n;
    return SOL_DB_ERROR;
}
int sol__pg_bind_null(struct sol_pgstmt *s, int i)
{
    (void)s;
    (void)i;
    return SOL_DB_ERROR;
}
int sol__pg_step(struct sol_pgstmt *s)
{
    (void)s;
    return SOL_DB_ERROR;
}
int sol__pg_reset(struct sol_pgstmt *s)
{
    (void)s;
    return SOL_DB_ERROR;
}
int sol__pg_clear_bindings(struct sol_pgstmt *s)
{
    (void)s;
    return SOL_DB_ERROR;
}
void sol__pg_finalize(struct sol_pgstmt *s)
{
    (void)s;
}
int sol__pg_column_type(struct sol_pgstmt *s, int i)
{
    (void)s;
    (void)i;
    return SOL_DB_NULL;
}
int64_t sol__pg_column_int64(struct sol_pgstmt *s, int i)
{
    (void)s;
    (void)i;
    return 0;
}
double sol__pg_column_double(struct sol_pgstmt *s, int i)
{
    (void)s;
    (void)i;
    return 0;
}
const char *sol__pg_column_text(struct sol_pgstmt *s, int i)
{
    (void)s;
    (void)i;
    return NULL;
}
int sol__pg_column_bytes(struct sol_pgstmt *s, int i)
{
    (void)s;
    (void)i;
    return 0;
}
