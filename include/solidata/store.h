/* solidata/store.h - the store: one SQLite file holding areas, indicators, periods, observations
 * and the catalog of sources, with a versioned schema upgraded in place.
 * Thread safety: a store handle belongs to one thread at a time; open one handle per thread (the
 * server opens one per worker). */
#ifndef SOL_STORE_H
#define SOL_STORE_H

#include <solidata/flags.h>  /* SOL_FLAG_*, sol_flags_parse/format: kept visible to store users */
#include <solidata/i18n.h>   /* sol_lang: labels in each language */
#include <solidata/period.h> /* sol_period_parse: kept visible to store users */
#include <solidata/status.h>

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Schema version this library writes. Older stores are migrated on open; newer are refused. */
#define SOL_STORE_SCHEMA_VERSION 14

typedef struct sol_store sol_store;

/** Open (creating when absent or empty) the store at `path`: WAL, foreign keys on, schema
 *  migrated to SOL_STORE_SCHEMA_VERSION in one transaction. A file that is not a solidata store
 *  is refused untouched (SOL_ENOTSTORE); a newer schema is refused (SOL_EVERSION).
 *  *out set only on success; close with sol_store_close. One handle per thread. */
SOL_API sol_status sol_store_open(const char *path, sol_store **out, sol_error *err);
/** 1 when `target` names a PostgreSQL database (postgresql://..., postgres://..., or a libpq
 *  keyword string such as "service=NAME" or "host=H dbname=D") rather than a file. */
SOL_API int sol_store_is_postgresql(const char *target);
/** Open with the schema migrated only up to `version` (tests of migrations). */
SOL_API sol_status sol_store_open_at(const char *path, int version, sol_store **out,
                                     sol_error *err);
SOL_API void sol_store_close(sol_store *st);
/** Schema version of the open store. */
SOL_API int sol_store_schema_version(const sol_store *st);
/** Path given at open. Borrowed until close. */
SOL_API const char *sol_store_path(const sol_store *st);

/* ---- transactions --------------------------------------------------------------------- */
/** Called about once every few seconds while a writer waits for another (an import, the
 *  server's edits) to finish: `waited_s` seconds so far, `limit_s` the most it will wait. */
typedef void (*sol_store_wait_fn)(void *ud, double waited_s, double limit_s);
/** How long this handle waits for another writer of the store before sol_store_begin gives up
 *  with SOL_EBUSY (and a SQLite reader for a writer's commit), and what it calls while it
 *  waits (fn NULL: nothing). Default: 30 s, no call. Not thread-safe for one handle. */
SOL_API void sol_store_set_wait(sol_store *st, double seconds, sol_store_wait_fn fn, void *ud);
/** Begin a write transaction: one writer at a time on a store, the others wait (see
 *  sol_store_set_wait); readers never wait on PostgreSQL, nor in SQLite's WAL mode.
 *  Errors: SOL_EBUSY (another writer held the store for longer than the wait), SOL_ESTORE. */
SOL_API sol_status sol_store_begin(sol_store *st, sol_error *err);
SOL_API sol_status sol_store_commit(sol_store *st, sol_error *err);
/** Roll back the open transaction, if any. Never fails visibly. */
SOL_API void sol_store_rollback(sol_store *st);
/** Begin a bulk transaction (imports): a large page cache, and foreign-key enforcement off
 *  until commit or rollback, so the caller must write only ids read or inserted in it. */
SOL_API sol_status sol_store_begin_bulk(sol_store *st, sol_error *err);
/** Size the page cache for bulk work (on) or back to the default (off). */
SOL_API void sol_store_bulk_mode(sol_store *st, int on);
/** Inside a bulk transaction, the observation rows that follow (on) skip the schema's CHECK
 *  constraints until off, commit or rollback. The only CHECK on an observation is on its sdc
 *  column, which sol_store_obs_put_many leaves at its valid default; SQLite evaluates that
 *  IN-list through a temporary table opened for every row, a third of an import's CPU time.
 *  The caller must write, while it is on, only values checked by the library. No-op outside a
 *  bulk transaction. */
SOL_API void sol_store_bulk_rows(sol_store *st, int on);

/* ---- catalog ------------------------------------------------------------------------ */
/** One imported file. Strings are borrowed for the duration of a call or callback. */
typedef struct sol_source {
    int64_t id;
    const char *name;        /* user-facing name; versions of one name replace each other */
    int version;             /* 1, 2, ... */
    const char *connector;   /* "csv-wide", "csv-long", "sdmx-csv", "ogr:GeoJSON", ... */
    const char *location;    /* path as given */
    const char *licence;     /* may be NULL */
    const char *attribution; /* may be NULL */
    const char *sha256;      /* 64 hex chars of the file's bytes */
    int64_t bytes;
    int64_t rows_read;
    int64_t rows_written;
    const char *imported_at; /* ISO 8601 UTC */
    const char *tool_version;
    const char *status;  /* "current" or "superseded" */
    const char *options; /* JSON of the import options, may be NULL */
    int published;       /* 1: the public sees it; 0: a draft for analysts (see "drafts and
                            publication"); ignored by sol_store_source_add, which decides */
    int own_records;     /* 1: the organisation's own records, private by default (given to
                            sol_store_source_add, which also sets it for a licence not open) */
} sol_source;

/** Find the current version of the source called `name`: SOL_OK with id, version and sha256 set,
 *  or SOL_ENOTFOUND. `sha256` receives 65 bytes. */
SOL_API sol_status sol_store_source_current(sol_store *st, const char *name, int64_t *id,
                                            int *version, char sha256[65], sol_error *err);
/** Record a new source row (status "current"); its id goes to *id. The caller fills every field
 *  but id and status; counts, connector and checksum may be set later by _finish. */
SOL_API sol_status sol_store_source_add(sol_store *st, const sol_source *s, int64_t *id,
                                        sol_error *err);
/** Set the final connector, checksum and row counts of a source being imported. */
SOL_API sol_status sol_store_source_finish(sol_store *st, int64_t id, const char *connector,
                                           const char *sha256, int64_t rows_read,
                                           int64_t rows_written, sol_error *err);
/** Mark a source superseded and move the observations it provided out of the published table
 *  into the archive of superseded versions (schema 7), from which sol_store_source_restore can
 *  bring them back. */
SOL_API sol_status sol_store_source_supersede(sol_store *st, int64_t id, sol_error *err);
/** Make superseded version `version` of source `name` current again: the current version is
 *  superseded (archived) and the restored version's observations put back; *restored (may be
 *  NULL) gets how many. Call inside a transaction (the caller refreshes disclosure control and
 *  audits). Errors: SOL_ENOTFOUND (no such version, or one superseded before versions were
 *  kept), SOL_EINVAL (it is the current version), SOL_EDUPLICATE (another source now provides
 *  one of its values), SOL_EVERSION (an older store schema), SOL_ESTORE. */
SOL_API sol_status sol_store_source_restore(sol_store *st, const char *name, int version,
                                            int64_t *restored, sol_error *err);
typedef int (*sol_source_cb)(void *ud, const sol_source *s);
/** Call cb for each source, newest first; a non-zero return stops the walk. */
SOL_API sol_status sol_store_sources(sol_store *st, sol_source_cb cb, void *ud, sol_error *err);

/* ---- areas ------------------------------------------------------------------------ */
typedef struct sol_area {
    int64_t id;
    const char *code;
    const char *name; /* may be NULL */
    const char *level;
    const char *parent_code;  /* may be NULL */
    const char *geometry;     /* GeoJSON geometry in EPSG:4326; may be NULL */
    const char *crs_original; /* may be NULL */
    double bbox[4];
    double centroid[2];
    int64_t source_id;
} sol_area;

/** Insert or update (by code) an area. *id (may be NULL) gets its id. */
SOL_API sol_status sol_store_area_put(sol_store *st, const sol_area *a, int64_t *id,
                                      sol_error *err);
typedef int (*sol_area_cb)(void *ud, const sol_area *a);
/** Call cb for each area ordered by code; `with_geometry` 0 leaves geometry NULL (faster). */
SOL_API sol_status sol_store_areas(sol_store *st, int with_geometry, sol_area_cb cb, void *ud,
                                   sol_error *err);

/* ---- indicators and periods ------------------------------------------------------------ */
typedef struct sol_indicator {
    int64_t id;
    const char *code;
    const char *label;     /* may be NULL */
    const char *unit;      /* may be NULL */
    int polarity;          /* +1 higher is better, -1 higher is worse, 0 not stated */
    const char *dimension; /* may be NULL */
    int64_t n_obs;         /* filled by sol_store_indicators */
    const char *first_period, *last_period; /* filled by sol_store_indicators; may be NULL */
    const char *kind;                       /* "count" or NULL; filled by sol_store_indicators */
    const char *numerator;   /* codes joined by '+' (sol_disclosure_link), or NULL; filled by */
    const char *denominator; /* sol_store_indicators */
    /* the label and unit in each language, indexed by sol_lang (labels[SOL_LANG_FR] is the
     * French label); each may be NULL (schema 8; NULL on older stores). label and unit above
     * stay the publisher's text, the default when a language has none. */
    const char *labels[SOL_LANG_COUNT];
    const char *units[SOL_LANG_COUNT];
} sol_indicator;

/** Insert the indicator when its code is new; when `update_meta`, overwrite label, unit,
 *  polarity and dimension, and the labels and units in each language, with the given non-NULL
 *  ones. *id gets its id. The labels in each language need schema 8: on an older store (opened
 *  with sol_store_open_at) they are not written. */
SOL_API sol_status sol_store_indicator_put(sol_store *st, const sol_indicator *ind, int update_meta,
                                           int64_t *id, sol_error *err);
typedef int (*sol_indicator_cb)(void *ud, const sol_indicator *ind);

/* ---- names in the reader's language (src/store/labels.c) ----------------------------------- */

/** Where a label given in a language came from, for an interface that says so ("label in
 *  Italian: no French translation"). */
typedef enum sol_label_origin {
    SOL_LABEL_LANG = 0, /* the language asked for */
    SOL_LABEL_ENGLISH,  /* no label in that language: the English one */
    SOL_LABEL_DEFAULT,  /* neither: the publisher's label (the metadata's plain `label`) */
    SOL_LABEL_CODE      /* no label at all: the code */
} sol_label_origin;

/** "lang", "en", "default" or "code" (JSON, CSV). Static. */
SOL_API const char *sol_label_origin_name(sol_label_origin o);

/** The indicator's label in `lang`: the label in that language, else the English label, else
 *  the default label, else the code. *origin (may be NULL) says which. Borrowed from `ind`
 *  (valid as long as its strings); never NULL when ind->code is not. Thread-safe. */
SOL_API const char *sol_indicator_label(const sol_indicator *ind, sol_lang lang,
                                        sol_label_origin *origin);
/** The indicator's unit in `lang`, with the same fallback order as sol_indicator_label but
 *  ending with NULL (SOL_LABEL_CODE) when the indicator has no unit. Borrowed; thread-safe. */
SOL_API const char *sol_indicator_unit(const sol_indicator *ind, sol_lang lang,
                                       sol_label_origin *origin);

/** The name of a dimension (the group of an indicator) in `lang`: the dimensions solidata knows
 *  (income, work, education, health, housing, family, social ties, digital access, safety,
 *  other, and the twelve domains of Istat's BES under their Italian names, e.g. "Salute") are
 *  translated through the message catalogues; any other name is returned as given with
 *  *origin SOL_LABEL_CODE. *origin (may be NULL): SOL_LABEL_LANG when translated into `lang`,
 *  SOL_LABEL_ENGLISH when the catalogue of `lang` has no translation. Static or `dimension`
 *  itself (borrowed); NULL only when `dimension` is NULL. Thread-safe. */
SOL_API const char *sol_dimension_name(sol_lang lang, const char *dimension,
                                       sol_label_origin *origin);
/** The name of an area level in `lang` ("municipality" is "commune" in French, "comune" in
 *  Italian; "département" is "department" in English): region, province, municipality,
 *  commune, comune, regione, provincia, département (or departement), arrondissement, IRIS,
 *  district, census section, country, area; any other level is returned as given
 *  (SOL_LABEL_CODE). Same contract as sol_dimension_name. */
SOL_API const char *sol_level_name(sol_lang lang, const char *level, sol_label_origin *origin);
SOL_API sol_status sol_store_indicators(sol_store *st, sol_indicator_cb cb, void *ud,
                                        sol_error *err);

/** Insert a period when new (label as normalised by sol_period_parse); *id gets its id. */
SOL_API sol_status sol_store_period_put(sol_store *st, const char *label, char freq, int64_t index,
                                        int64_t *id, sol_error *err);

/* ---- observations ----------------------------------------------------------------------- */
/** Insert one observation. SOL_EDUPLICATE when (indicator, area, period) already has a value;
 *  then *other_source (may be NULL) gets the id of the source that provided it. */
SOL_API sol_status sol_store_obs_put(sol_store *st, int64_t indicator_id, int64_t area_id,
                                     int64_t period_id, double value, double se, int flags,
                                     int64_t source_id, int64_t *other_source, sol_error *err);

/** One observation to write by id (see sol_store_obs_put_many). */
typedef struct sol_obs_row {
    int64_t indicator_id, area_id, period_id;
    double value, se; /* se NaN when none */
    int flags;
} sol_obs_row;

/** Batch size at which sol_store_obs_put_many writes with one statement. */
#define SOL_STORE_OBS_BATCH 256

/** How many rows to give sol_store_obs_put_many at once: SOL_STORE_OBS_BATCH on a file; more on
 *  PostgreSQL, where each call is a COPY and a round trip to the server. */
SOL_API size_t sol_store_obs_batch_size(const sol_store *st);

/** Insert n observations of one source (faster than one by one). On SOL_EDUPLICATE, *bad gets
 *  the index of the first row whose (indicator, area, period) already has a value, and
 *  *other_source the source that provided it; rows before it may have been written. */
SOL_API sol_status sol_store_obs_put_many(sol_store *st, const sol_obs_row *rows, size_t n,
                                          int64_t source_id, size_t *bad, int64_t *other_source,
                                          sol_error *err);

typedef struct sol_obs {
    const char *area;
    const char *period;
    const char *indicator;
    double value;
    double se; /* NaN when none */
    int flags;
    int64_t source_id;
} sol_obs;
typedef int (*sol_obs_cb)(void *ud, const sol_obs *o);
/** Observations ordered by indicator, area, period; `indicator`/`period` NULL = all. */
SOL_API sol_status sol_store_observations(sol_store *st, const char *indicator, const char *period,
                                          sol_obs_cb cb, void *ud, sol_error *err);

/* ---- runs: one computation with its spec, method card and result ----------------------------- */
typedef struct sol_run {
    int64_t id;
    const char *kind; /* "spatial.lisa", "index", ... */
    const char *spec; /* JSON: what was asked (inputs and human choices) */
    const char
        *method_card; /* JSON: method, references, sources and licences, choices, who, when */
    const char
        *inputs_sha256;     /* digest of the input values, so a run can be checked; may be NULL */
    const char *result;     /* JSON result; may be NULL */
    const char *created_at; /* ISO 8601 UTC; filled by the store when NULL */
    const char *created_by; /* may be NULL */
    int published;          /* 1: public; 0: a draft (ignored by sol_store_run_add) */
} sol_run;

/** Record a run; *id gets its id. */
SOL_API sol_status sol_store_run_add(sol_store *st, const sol_run *r, int64_t *id, sol_error *err);
typedef int (*sol_run_cb)(void *ud, const sol_run *r);
/** Runs newest first; `kind` NULL = all; `with_result` 0 leaves result NULL. */
SOL_API sol_status sol_store_runs(sol_store *st, const char *kind, int with_result, sol_run_cb cb,
                                  void *ud, sol_error *err);
/** One run by id (result included): SOL_ENOTFOUND when there is none. */
SOL_API sol_status sol_store_run_get(sol_store *st, int64_t id, sol_run_cb cb, void *ud,
                                     sol_error *err);

/** The latest period (by frequency, then index) with a value of `indicator` into label[16];
 *  SOL_ENOTFOUND when the indicator has no observation or does not exist. */
SOL_API sol_status sol_store_latest_period(sol_store *st, const char *indicator, char label[16],
                                           sol_error *err);
/** Does the indicator exist? Does the period exist? (1/0) */
SOL_API int sol_store_has_indicator(sol_store *st, const char *code);
SOL_API int sol_store_has_period(sol_store *st, const char *label);

/** One indicator in an area's profile: its latest value and where that value stands among the
 *  areas of the same level at the same period. */
typedef struct sol_profile_row {
    const char *indicator, *label, *unit, *dimension; /* label/unit/dimension may be NULL */
    int polarity;
    const char *period; /* latest period with a value for this area */
    double value, se;   /* se NaN when none */
    int flags;
    int64_t rank_desc; /* 1 + areas of the same level with a higher value */
    int64_t n_areas;   /* areas of the same level with a value */
} sol_profile_row;
typedef int (*sol_profile_cb)(void *ud, const sol_profile_row *r);
/** The profile of area `code`, ordered by indicator. SOL_ENOTFOUND when there is no such area. */
SOL_API sol_status sol_store_area_profile(sol_store *st, const char *code, sol_profile_cb cb,
                                          void *ud, sol_error *err);
/** Every observation of one area (all indicators or one), ordered by indicator then period. */
SOL_API sol_status sol_store_area_series(sol_store *st, const char *code, const char *indicator,
                                         sol_obs_cb cb, void *ud, sol_error *err);

/** A short text that changes whenever the store's content changes (imports, runs): ETags and
 *  caches key on it. gen receives at most 64 bytes. */
SOL_API sol_status sol_store_generation(sol_store *st, char gen[64], sol_error *err);

/** Counts for a summary: areas, indicators, periods, observations, current sources. */
typedef struct sol_store_counts {
    int64_t areas, indicators, periods, observations, sources;
    char first_period[32], last_period[32];
} sol_store_counts;
SOL_API sol_status sol_store_count(sol_store *st, sol_store_counts *c, sol_error *err);

/* ---- accounts and the audit log (src/store/account.c) ------------------------------------ */
/** One account. Strings borrowed for the duration of the callback or call. */
typedef struct sol_account {
    int64_t id;
    const char *name;
    const char *role;                    /* "public", "analyst" or "admin" */
    const char *pwhash;                  /* an Argon2id string as crypto_pwhash_str writes it */
    const char *created_at, *created_by; /* created_by may be NULL */
} sol_account;
/** Add an account (the caller hashes the password). SOL_EDUPLICATE when the name is taken. */
SOL_API sol_status sol_store_account_add(sol_store *st, const char *name, const char *role,
                                         const char *pwhash, const char *created_by,
                                         sol_error *err);
typedef int (*sol_account_cb)(void *ud, const sol_account *a);
/** Call cb with the account called `name`: SOL_ENOTFOUND when there is none. */
SOL_API sol_status sol_store_account_get(sol_store *st, const char *name, sol_account_cb cb,
                                         void *ud, sol_error *err);
/** Every account ordered by name (pwhash NULL). */
SOL_API sol_status sol_store_accounts(sol_store *st, sol_account_cb cb, void *ud, sol_error *err);

/** Append one line to the audit log: who (may be NULL: anonymous), what, and a detail (JSON or
 *  text, may be NULL); `at` is set by the store. Append only: nothing updates or deletes it. */
SOL_API sol_status sol_store_audit_append(sol_store *st, const char *who, const char *action,
                                          const char *detail, sol_error *err);
typedef struct sol_audit_row {
    int64_t id;
    const char *at, *who, *action, *detail; /* who and detail may be NULL */
} sol_audit_row;
typedef int (*sol_audit_cb)(void *ud, const sol_audit_row *r);
/** The audit log, newest first, at most `limit` rows (0 = all). */
SOL_API sol_status sol_store_audit(sol_store *st, size_t limit, sol_audit_cb cb, void *ud,
                                   sol_error *err);

/** Coverage of each indicator: one callback per (indicator, area level, period) with the number
 *  of areas of that level holding a value, ordered by indicator, level, period. */
typedef int (*sol_coverage_cb)(void *ud, const char *indicator, const char *level,
                               const char *period, int64_t n_areas);
SOL_API sol_status sol_store_coverage(sol_store *st, sol_coverage_cb cb, void *ud, sol_error *err);

/* ---- disclosure flags of the observations (schema 5): storage only -------------------------- */
/* Each observation holds a disclosure flag: 0 published, 1 primary, 2 secondary suppression;
 * reads report a flag other than 0 as SOL_FLAG_SUPPRESSED. The rules that decide the flags (the
 * order of the steps, secondary suppression, the walk until stable) are src/privacy's
 * (sol_disclosure_refresh in solidata/privacy.h); these functions only read the tables and write
 * what they are given. All return SOL_EVERSION on a store older than schema 5, SOL_ESTORE. */

/** Clear every flag, then flag 1 (primary) each value 0 < v < k of a count indicator, k the
 *  minimum cell size of the privacy dataset named like the value's source, `default_k` when
 *  there is none. *n (may be NULL) gets how many were flagged. */
SOL_API sol_status sol_store_sdc_primary(sol_store *st, uint64_t default_k, int64_t *n,
                                         sol_error *err);

/** One cell of a count table: an observation of a count indicator whose area has a parent area
 *  (area.parent_code) holding a value of the same indicator and period. Ids are the store's. */
typedef struct sol_sdc_row {
    int64_t indicator_id, period_id;
    int64_t parent_id; /* the parent area: the table's total */
    double parent_value;
    int parent_sdc;
    int64_t area_id; /* the child area: one of the table's cells */
    double value;
    int sdc;
} sol_sdc_row;
typedef int (*sol_sdc_row_cb)(void *ud, const sol_sdc_row *r);
/** Call cb for every such cell, ordered by indicator, period, parent, area (so each table's
 *  rows are consecutive); a non-zero return stops the walk. */
SOL_API sol_status sol_store_sdc_tables(sol_store *st, sol_sdc_row_cb cb, void *ud, sol_error *err);

/** An observation by the store's ids. */
typedef struct sol_obs_key {
    int64_t indicator_id, period_id, area_id;
} sol_obs_key;
/** Set the flag of the n observations `keys` to `sdc` (0, 1 or 2; SOL_EINVAL otherwise). */
SOL_API sol_status sol_store_sdc_mark(sol_store *st, const sol_obs_key *keys, size_t n, int sdc,
                                      sol_error *err);
/** Flag 2 every unflagged value of a derived indicator (sol_disclosure_link) one of whose
 *  components holds a flagged value in the same area and period. *n (may be NULL): how many.
 *  On a store opened at schema 5 (no relations) nothing is flagged. */
SOL_API sol_status sol_store_sdc_linked(sol_store *st, int64_t *n, sol_error *err);

/** Create or change a privacy dataset's budget and minimum cell size, audited, in its own
 *  transaction unless one is open: sol_budget_set (solidata/privacy.h) without recomputing the
 *  disclosure flags. SOL_EINVAL (no name, epsilon < 0, delta outside [0, 1), k < 1),
 *  SOL_EVERSION before schema 4. */
SOL_API sol_status sol_store_budget_put(sol_store *st, const char *dataset, int64_t eps_total_nano,
                                        double delta_total, uint64_t min_cell, sol_error *err);

/** 1 when a transaction is open on this handle (sol_store_begin, or one the store opened). */
SOL_API int sol_store_in_transaction(const sol_store *st);
/** Join the caller's transaction, or open one (BEGIN IMMEDIATE): *own says whether this call
 *  opened it, for sol_store_leave. A change and its audit row written between the two are one
 *  transaction. */
SOL_API sol_status sol_store_join(sol_store *st, int *own, sol_error *err);
/** End what sol_store_join opened (own): commit when rc is SOL_OK, else roll back; a joined
 *  transaction is left to its owner. Returns rc, or the commit's failure. */
SOL_API sol_status sol_store_leave(sol_store *st, int own, sol_status rc, sol_error *err);

/** Text of the last store error on this handle. Borrowed until the next call. */
SOL_API const char *sol_store_errmsg(const sol_store *st);

/* ---- privacy-budget ledger (in the store) ---------------------------------------------------- */

/* The ledger records; sol_budget_set (privacy.h) changes a budget and what follows from it. */

/** Budget of a dataset not configured with sol_budget_set, created at its first release. */
#define SOL_PRIVACY_DEFAULT_EPSILON_NANO 1000000000LL /* epsilon 1 */
#define SOL_PRIVACY_DEFAULT_DELTA        1e-5
#define SOL_PRIVACY_DEFAULT_MIN_CELL     10

typedef struct sol_budget {
    int64_t eps_total_nano, eps_spent_nano;
    double delta_total, delta_spent;
    uint64_t min_cell;
    int64_t releases;
} sol_budget;

/** SOL_ENOTFOUND when the dataset has no budget yet. */
SOL_API sol_status sol_budget_get(sol_store *st, const char *dataset, sol_budget *out,
                                  sol_error *err);
/** Spend (eps, delta) on a release, atomically: SOL_EDENIED (and nothing written) when the
 *  spent total would exceed the budget. A dataset without budget gets the default epsilon and
 *  delta above and `min_cell` (0: the default) as its minimum cell size. *release_id (may be
 *  NULL) gets the ledger row. The release is appended to the audit log. */
SOL_API sol_status sol_budget_spend(sol_store *st, const char *dataset, int64_t eps_nano,
                                    double delta, uint64_t min_cell, const char *mechanism,
                                    const char *note, int64_t *release_id, sol_error *err);
/** Attach the run that used a release (after sol_run_record). */
SOL_API sol_status sol_budget_link_run(sol_store *st, int64_t release_id, int64_t run_id,
                                       sol_error *err);

/* ---- disclosure control of the store's observations (schema 5) ------------------------------- */
/* What the disclosure rules read, recorded by the store; sol_disclosure_refresh (privacy.h)
 * decides what is withheld and the store writes the flags (sol_store_sdc_* above). */

/** Record that indicator `derived` is computed from others (schema 6): the sum of the
 *  `n_numerator` indicators `numerator` over `denominator` (NULL: none, e.g. a sum), all by code;
 *  the components need not exist yet (a later file may bring them; see
 *  sol_disclosure_unknown_component). Replaces the relation `derived` had. From then on,
 *  sol_disclosure_refresh withholds (as secondary suppression) every value of `derived` whose
 *  numerator component or denominator is withheld in the same area and period, since the rate
 *  and its denominator would give the count back. SOL_ENOTFOUND for an unknown `derived`,
 *  SOL_EINVAL for an empty code or an indicator computed from itself, SOL_EVERSION. */
SOL_API sol_status sol_disclosure_link(sol_store *st, const char *derived,
                                       const char *const *numerator, size_t n_numerator,
                                       const char *denominator, sol_error *err);
/** The first relation (in code order) naming a component that is not an indicator of the store:
 *  *found 1 and the two codes copied (truncated to the capacities), else *found 0. */
SOL_API sol_status sol_disclosure_unknown_component(sol_store *st, char *derived, size_t dcap,
                                                    char *component, size_t ccap, int *found,
                                                    sol_error *err);
/** Declare (is_count 1) or undeclare an indicator as a count of persons or households; call
 *  sol_disclosure_refresh after. SOL_ENOTFOUND for an unknown indicator. */
SOL_API sol_status sol_disclosure_count_indicator(sol_store *st, const char *code, int is_count,
                                                  sol_error *err);
/** Set the minimum cell size of a dataset (creating its budget with the defaults when it has
 *  none), audited when it changes; call sol_disclosure_refresh after. */
SOL_API sol_status sol_disclosure_min_cell(sol_store *st, const char *dataset, uint64_t min_cell,
                                           sol_error *err);

/* ---- hash-chained audit log (in the store) --------------------------------------------------- */

typedef struct sol_audit_entry {
    int64_t id;
    const char *at, *who, *action, *detail; /* who and detail may be NULL */
    const char *hash;                       /* 64 hex; NULL if the row was written without */
} sol_audit_entry;

/** Append an entry whose hash commits to the previous entry's hash, its own id, time, who
 *  (NULL: anonymous), action and detail. Runs in its own transaction unless one is open. *id
 *  may be NULL. sol_store_audit_append (store.h) writes through this function. */
SOL_API sol_status sol_audit_append(sol_store *st, const char *who, const char *action,
                                    const char *detail, int64_t *id, sol_error *err);
typedef int (*sol_audit_entry_cb)(void *ud, const sol_audit_entry *e);
/** Entries in id order; a non-zero return stops the walk. */
SOL_API sol_status sol_audit_list(sol_store *st, sol_audit_entry_cb cb, void *ud, sol_error *err);
/** Recompute the chain (entries written before schema version 4 are unchained and skipped).
 *  SOL_OK with *entries (chained ones) and head (64 hex + NUL; "" when empty), or
 *  SOL_ESTORE with the first broken entry and what is wrong (altered, deleted, reordered) in
 *  err. A removed tail is only visible against a head recorded earlier: pass it as
 *  expect_head (may be NULL). */
SOL_API sol_status sol_audit_verify(sol_store *st, const char *expect_head, int64_t *entries,
                                    char head[65], sol_error *err);

/* correcting sources and indicators */

/** The highest version of source `name` recorded, whatever its status (current, superseded or
 *  removed), into *version: 0 when there is none. The next import of that name is this + 1. */
SOL_API sol_status sol_store_source_last_version(sol_store *st, const char *name, int *version,
                                                 sol_error *err);
/** Take source `name` out of the store: its current version's observations move to the archive
 *  of superseded versions and no version of it is current any more (the catalog then shows it
 *  as removed); sol_store_source_restore brings any kept version back. *version (may be NULL)
 *  gets the version taken out, *removed (may be NULL) how many values left the store. Call
 *  inside a transaction (the caller recomputes disclosure control and audits). Errors:
 *  SOL_ENOTFOUND (no source of that name), SOL_EINVAL (already removed, or an area layer, whose
 *  areas other values refer to), SOL_EVERSION (before schema 7), SOL_ESTORE. */
SOL_API sol_status sol_store_source_remove(sol_store *st, const char *name, int *version,
                                           int64_t *removed, sol_error *err);

/** What to change in an indicator: each text NULL to keep it, "" to clear it, else the new
 *  text; polarity (+1, -1 or 0) only when set_polarity. */
typedef struct sol_indicator_edit {
    const char *label;                  /* the default label (the publisher's) */
    const char *labels[SOL_LANG_COUNT]; /* the label in each language (schema 8) */
    const char *unit;
    const char *dimension;
    int set_polarity;
    int polarity;
} sol_indicator_edit;
/** Change the indicator `code` as `e` says. Not audited and no transaction of its own: the
 *  caller joins one and appends the audit row (sol_run_indicator_edit does). Errors:
 *  SOL_ENOTFOUND (no such indicator), SOL_EINVAL (polarity not -1, 0 or 1), SOL_EVERSION
 *  (labels in each language before schema 8), SOL_ESTORE. */
SOL_API sol_status sol_store_indicator_edit(sol_store *st, const char *code,
                                            const sol_indicator_edit *e, sol_error *err);

/** A callback with a code (borrowed for the call); non-zero stops the walk. */
typedef int (*sol_code_cb)(void *ud, const char *code);
/** The indicators of other sources computed (sol_disclosure_link) from the indicators whose
 *  current values source `name` provides, ordered by code: what a removal of that source leaves
 *  without its numerator or denominator. None before schema 6. */
SOL_API sol_status sol_store_source_derived(sol_store *st, const char *name, sol_code_cb cb,
                                            void *ud, sol_error *err);
/* drafts and publication */
/* A new source (import) or run (analysis) is a draft that analysts see and the public does not,
 * unless the store's "publish.auto" setting is on; a new version of a source keeps the state of
 * the version it replaces. Sources of the organisation's own records (own_records, or a licence
 * that is not open: sol_withhold_licence) are never published automatically. Sources and runs
 * of a store upgraded from schema 8 stay public. See docs/publish.md. */

/** Publish (publish 1) or withdraw (0) a source by name (its current version) or a run by id,
 *  with an audit row ("publish.source", "publish.run") in the same transaction (joins the
 *  caller's). A source of own records needs confirm_own_records; a source whose licence
 *  forbids publication (sol_withhold_licence) is refused whatever is confirmed (SOL_EDENIED).
 *  SOL_ENOTFOUND for an unknown name or id, SOL_EINVAL for another kind. Publishing what is
 *  public already changes nothing and writes no audit row (*changed 0; changed may be NULL). */
typedef struct sol_publish_req {
    const char *kind;        /* "source" or "run" */
    const char *name;        /* kind "source" */
    int64_t id;              /* kind "run" */
    int publish;             /* 1 publish, 0 withdraw to a draft */
    int confirm_own_records; /* 1: publish a source of own records (or of a licence not open) */
    const char *who;         /* account name for the audit log; NULL: the command line */
} sol_publish_req;
SOL_API sol_status sol_store_publish(sol_store *st, const sol_publish_req *r, int *changed,
                                     sol_error *err);

/** The store's setting "publish.auto" (0 when never set): new sources and runs published at
 *  once. _set writes it with an audit row ("publish.auto"). */
SOL_API sol_status sol_store_publish_auto(sol_store *st, int *on, sol_error *err);
SOL_API sol_status sol_store_publish_auto_set(sol_store *st, int on, const char *who,
                                              sol_error *err);

/** For this handle only: new sources and runs published at once (on 1) or drafts (0) whatever
 *  the store's setting; -1 follows the setting again. Sources of own records stay drafts. */
SOL_API void sol_store_publish_auto_override(sol_store *st, int on);

/** One draft: a source (its current version) or a run that the public does not see. Strings
 *  borrowed for the callback. */
typedef struct sol_draft {
    const char *kind;    /* "source" or "run" */
    int64_t id;          /* source or run id */
    const char *name;    /* source name, or run kind */
    int version;         /* source version (0 for a run) */
    const char *licence; /* source licence, may be NULL */
    int own_records;     /* a source of own records: publishing needs confirmation */
    const char *at;      /* imported_at or created_at */
} sol_draft;
typedef int (*sol_draft_cb)(void *ud, const sol_draft *d);
/** Drafts, sources first (by name) then runs (newest first); a non-zero return stops. */
SOL_API sol_status sol_store_drafts(sol_store *st, sol_draft_cb cb, void *ud, sol_error *err);

/** The public view (on 1) of this handle: until turned off, every read sees only published
 *  sources, the observations of published sources, the indicators holding such observations
 *  and published runs (so the latest published run of a kind is the public one). Writes to
 *  those tables fail while it is on. The server turns it on for each request of a reader who
 *  may not see drafts (sol_withhold_sees), so no read path can forget it. */
SOL_API sol_status sol_store_public_view(sol_store *st, int on, sol_error *err);

/* ---- copying between backends ------------------------------------------------------- */
typedef struct sol_store_copy_report {
    int tables;   /* tables copied */
    int64_t rows; /* rows copied, in all */
} sol_store_copy_report;
/** Progress: `rows` of `table` copied so far (every 100,000 rows, and once at its end). */
typedef void (*sol_store_copy_cb)(void *ud, const char *table, int64_t rows);
/** Every row of `from` into `to`, which must be empty and at the same schema version (a new
 *  file, or a new database: both opened by sol_store_open). Either side may be SQLite or
 *  PostgreSQL. Each table's rows are checked equal on both sides (an order-free digest of their
 *  canonical text) before the one transaction on `to` commits; on any error `to` is unchanged. */
SOL_API sol_status sol_store_copy(sol_store *from, sol_store *to, sol_store_copy_report *rep,
                                  sol_store_copy_cb cb, void *ud, sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
