/* db_pg.h - private to src/store: the PostgreSQL side of db.h, over libpq (db_pg.c). Each
 * function has the meaning of its sol_db_ namesake; result codes are db.h's. */
#ifndef SOL_STORE_DB_PG_H
#define SOL_STORE_DB_PG_H

#include <stddef.h>
#include <stdint.h>

struct sol_pg;
struct sol_pgstmt;

/* The conninfo without its password, for messages (allocated with sol__malloc). */
char *sol__pg_redact(const char *conninfo);
int sol__pg_open(const char *conninfo, struct sol_pg **out);
void sol__pg_close(struct sol_pg *pg);
int sol__pg_login_refused(const struct sol_pg *pg);
const char *sol__pg_errmsg(const struct sol_pg *pg);
int sol__pg_exec(struct sol_pg *pg, const char *sql);
int sol__pg_autocommit(struct sol_pg *pg);
int64_t sol__pg_changes(struct sol_pg *pg);
int64_t sol__pg_last_insert_id(struct sol_pg *pg);
int sol__pg_prepare(struct sol_pg *pg, const char *sql, int persistent, struct sol_pgstmt **out);
int sol__pg_bind_int64(struct sol_pgstmt *s, int i, int64_t v);
int sol__pg_bind_double(struct sol_pgstmt *s, int i, double v);
int sol__pg_bind_text(struct sol_pgstmt *s, int i, const char *v, int n);
int sol__pg_bind_null(struct sol_pgstmt *s, int i);
int sol__pg_step(struct sol_pgstmt *s);
int sol__pg_reset(struct sol_pgstmt *s);
int sol__pg_clear_bindings(struct sol_pgstmt *s);
void sol__pg_finalize(struct sol_pgstmt *s);
int sol__pg_column_type(struct sol_pgstmt *s, int i);
int64_t sol__pg_column_int64(struct sol_pgstmt *s, int i);
double sol__pg_column_double(struct sol_pgstmt *s, int i);
const char *sol__pg_column_text(struct sol_pgstmt *s, int i);
int sol__pg_column_bytes(struct sol_pgstmt *s, int i);
int sol__pg_copy(struct sol_pg *pg, const char *sql, const char *data, size_t n);
int64_t sol__pg_copy_row(struct sol_pg *pg);

#endif
