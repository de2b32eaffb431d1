/* store_int.h - private to src/store: the handle and the schema's migrations. */
#ifndef SOL_STORE_INT_H
#define SOL_STORE_INT_H

#include <solidata/store.h>

#include "core/core.h"

#include <sqlite3.h>

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
    sqlite3 *db;
    char *path;
    int version;
    int in_tx;
    int bulk; /* in a bulk transaction: foreign-key checks off until commit/rollback */
    sqlite3_stmt *stmt[STMT_COUNT];
    sqlite3_stmt *obs_batch; /* INSERT of SOL_STORE_OBS_BATCH rows, prepared on first use */
    char errmsg[512];
};

int sol__store_latest_version(void);
const char *sol__store_migration(int to_version);

#endif
