/* store_int.h - private to src/store: the handle and the schema's migrations. */
#ifndef SOL_STORE_INT_H
#define SOL_STORE_INT_H

#include <solidata/store.h>

#include "core/core.h"

#include "db.h"

#define SOL_STORE_APP_ID 0x534F4C44 /* "SOLD" in the SQLite header's application_id */

enum {
    STMT_OBS_INSERT,
    STMT_OBS_SOURCE,
    STMT_AREA_UPSERT,
    STMT_AREA_ID,
    STMT_IND_INSERT,
    STMT_IND_UPDATE,
    STMT_IND_ID,
    STMT_PERIOD_INSERT,
    STMT_PERIOD_ID,
    STMT_COUNT
};

struct sol_store {
    sol_db *db;
    char *path;
    int version;
    int in_tx;
    int bulk;      /* in a bulk transaction: foreign-key checks off until commit/rollback */
    int bulk_rows; /* CHECK constraints off (sol_store_bulk_rows) until off, commit, rollback */
    sol_dbstmt *stmt[STMT_COUNT];
    sol_dbstmt *obs_batch; /* INSERT of SOL_STORE_OBS_BATCH rows, prepared on first use */
    char errmsg[512];
    int publish_auto; /* -1: the store's setting "publish.auto"; 0/1: this handle's override */
    int public_view;  /* 1 while this handle reads the public view (sol_store_public_view) */
    /* waiting for another writer (sol_store_set_wait) */
    double wait_s, wait_t0, wait_next;
    sol_store_wait_fn wait_fn;
    void *wait_ud;
};

int sol__store_latest_version(void);

/* The statement helpers of src/store (store.c); `what` says what failed ("reading runs"). */

/* An audit row whose detail is the JSON `dj` (taken, may be NULL: then out of memory), in the
 * transaction under way. */
struct json_t;
sol_status sol__store_audit_json(sol_store *st, const char *who, const char *action,
                                 struct json_t *dj, sol_error *err);
/* `who` when given, else $SOLIDATA_USER, else $USER (the store's own default; the run layer
 * passes the acting person). */
const char *sol__store_who(const char *who);

/* The store's error: "what: <SQLite's message>" on the handle (sol_store_errmsg) and in err;
 * returns SOL_ESTORE. */
sol_status sol__store_fail(sol_store *st, sol_error *err, const char *what);
/* What a failed statement means for the caller: SOL_ENOMEM when memory ran out, else SOL_ESTORE
 * (the status sol__store_fail gave). */
sol_status sol__store_status(const sol_store *st);
/* `sql` prepared, or NULL after sol__store_fail (the caller returns sol__store_status). */
sol_dbstmt *sol__store_prepare(sol_store *st, const char *sql, const char *what, sol_error *err);
/* Text bound at i, NULL as SQL NULL; an SQLite result code. */
int sol__store_bind_text(sol_dbstmt *s, int i, const char *v);
/* Step a bound statement that returns no row, then finalize it: SOL_OK, or sol__store_fail. */
sol_status sol__store_step_done(sol_store *st, sol_dbstmt *s, const char *what, sol_error *err);
/* Finalize `s` after stepping through its rows, `r` the last step's result: SOL_OK when it was
 * SOL_DB_ROW (the callback stopped) or SOL_DB_DONE, else sol__store_fail. */
sol_status sol__store_walk_end(sol_store *st, sol_dbstmt *s, int r, const char *what,
                               sol_error *err);
const char *sol__store_migration(int to_version);
/* The same migrations for PostgreSQL (schema_pg.c), and what its first migration needs first
 * (solidata_meta, the shared SQL helpers). */
const char *sol__store_migration_pg(int to_version);
const char *sol__store_pg_base(void);

#endif
