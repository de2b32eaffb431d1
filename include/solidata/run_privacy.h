/* solidata/run_privacy.h - the privacy tasks the CLI and the server share: a published table from
 * microdata (suppression, differential privacy against the dataset's budget, the run recorded
 * with its method card), a dataset's budget changed, an account added with its audit entry, and
 * the recorded runs written out (plain-text method card, JSON).
 * Thread safety: one store handle per thread. */
#ifndef SOL_RUN_PRIVACY_H
#define SOL_RUN_PRIVACY_H

#include <solidata/auth.h>
#include <solidata/privacy.h>
#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- tabulate ------------------------------------------------------------------------------- */

/** What to tabulate and how to protect it. Strings are borrowed for the duration of the call. */
typedef struct sol_tabulate_job {
    const char *microdata;      /* the CSV of records (required) */
    const char *row_field;      /* required */
    const char *col_field;      /* NULL: a one-way table */
    const char *weight_field;   /* NULL: counts of records */
    uint64_t min_cell;          /* k; 0: the dataset's setting, else SOL_PRIVACY_DEFAULT_MIN_CELL */
    const char *dp_epsilon;     /* a positive decimal ("0.5"): add DP noise and spend it from the
                                   dataset's budget; NULL: no noise */
    sol_dp_mechanism mechanism; /* with dp_epsilon: SOL_DP_LAPLACE (default) or SOL_DP_GAUSSIAN */
    double delta;               /* of the Gaussian mechanism (default 1e-6) */
    const char *seed;           /* NULL: noise seeded by the operating system */
    const char *dataset;        /* the ledger's dataset; NULL: the microdata file's base name */
    const char *categories_rows; /* files: the public lists of the categories, one per line */
    const char *categories_cols;
    int categories_from_data; /* 1: a DP release may list the categories met in the data */
    int record;               /* 1: record the run even without DP (DP always records) */
    const char *out_name;     /* where the caller writes the table, for the spec (may be NULL) */
    sol_write_fn write;       /* the table as CSV goes here before the run is recorded;
                                 NULL: not written (see sol_tabulate_output.table) */
    void *write_ud;
    /* instead of `microdata`: a PostgreSQL table, postgresql://...?table=NAME, whose cells the
     * server counts (docs/microdata-sql.md); the same table, suppressed after. */
    const char *microdata_sql;
} sol_tabulate_job;

/** Defaults: Laplace, delta 1e-6, min_cell 0 (the dataset's), nothing else set. Thread-safe. */
SOL_API void sol_run_tabulate_job_init(sol_tabulate_job *j);

/** Check what a job asks before anything is read: a row field and microdata, a column list only
 *  with a column field, either public lists or categories_from_data (not both), DP only on
 *  counts and, so that which categories exist does not leak, with a public list of every
 *  dimension unless categories_from_data. SOL_EINVAL with the reason. Thread-safe. */
SOL_API sol_status sol_run_tabulate_check(const sol_tabulate_job *j, sol_error *err);

/** The outcome. Owned by the struct; free with sol_tabulate_output_free. */
typedef struct sol_tabulate_output {
    sol_tab *table; /* protected (noised and suppressed): sol_tab_entry, labels */
    sol_tab_stats stats;
    uint64_t min_cell;  /* the k applied */
    char *dataset;      /* the dataset the release was charged to (or would be) */
    int64_t release_id; /* > 0 when DP spent budget */
    int64_t run_id;     /* > 0 when a run was recorded */
} sol_tabulate_output;

/** Run `job`: read the lists of categories and the microdata, check k against the dataset's
 *  minimum cell size (a floor), spend epsilon from its budget (DP; refused when it would
 *  overspend, and then nothing is spent), add the noise and suppress, write the table through
 *  job->write, then, with DP or job->record, record the run (kind "privacy.tabulate") with its
 *  privacy treatment and link the budget release to it. `st` is needed for DP and record
 *  (SOL_EINVAL without), else may be NULL. Errors: SOL_EINVAL (the job, see
 *  sol_run_tabulate_check), SOL_EDENIED (k below the dataset's, budget exhausted), SOL_EIO,
 *  SOL_EPARSE, SOL_ENOTFOUND, SOL_ETYPE, SOL_ELIMIT (inputs), SOL_ESTORE, SOL_ENOMEM.
 *  *out set only on success. Thread-safe for distinct stores. */
SOL_API sol_status sol_run_tabulate(sol_store *st, const sol_tabulate_job *job,
                                    sol_tabulate_output **out, sol_error *err);

/** Free an output and its table. NULL is a no-op. Thread-safe. */
SOL_API void sol_tabulate_output_free(sol_tabulate_output *o);

/* ---- budget --------------------------------------------------------------------------------- */

/** Change a dataset's privacy budget. With `epsilon` (a positive decimal): the total epsilon,
 *  `delta` and the minimum cell size `min_cell` (0: SOL_PRIVACY_DEFAULT_MIN_CELL) through
 *  sol_budget_set. Without: only the minimum cell size (`min_cell` >= 1 then required), and
 *  the disclosure flags of the store recomputed with it. Audited by the store. *out (may be
 *  NULL) gets the budget after the change. Errors: SOL_EINVAL (neither given, a bad epsilon),
 *  SOL_ESTORE. Thread-safe for distinct stores. */
SOL_API sol_status sol_run_budget_set(sol_store *st, const char *dataset, const char *epsilon,
                                      double delta, uint64_t min_cell, sol_budget *out,
                                      sol_error *err);

/* ---- accounts ------------------------------------------------------------------------------- */

/** Create an account (sol_auth_account_add) and append "account.add" to the audit log, with a
 *  JSON detail {name, role, via}; `by` (may be NULL) is who did it, `via` (may be NULL) how
 *  ("cli"). Errors as sol_auth_account_add, and SOL_ESTORE. Thread-safe for distinct stores. */
SOL_API sol_status sol_run_account_add(sol_store *st, const char *name, sol_role role,
                                       const char *password, size_t password_len, const char *by,
                                       const char *via, sol_error *err);

/* ---- recorded runs -------------------------------------------------------------------------- */

/** Write run `id`'s method card in plain text through `out`: kind, when, who, the inputs'
 *  digest, then every part of the card as indented "key: value" lines, and a line saying so when
 *  no privacy treatment was recorded. Errors: SOL_ENOTFOUND (no such run), SOL_ESTORE, SOL_EIO
 *  (from `out`), SOL_ENOMEM. Thread-safe for distinct stores. */
SOL_API sol_status sol_run_card_write(sol_store *st, int64_t id, sol_write_fn out, void *ud,
                                      sol_error *err);

/** Write recorded runs as indented JSON (and a newline) through `out`: with id > 0 the one run
 *  (an object with its spec, method card and result); else an array of the runs of `kind`
 *  (NULL: all), newest first, without results. Errors: SOL_ENOTFOUND (no such run), SOL_ESTORE,
 *  SOL_EIO, SOL_ENOMEM. Thread-safe for distinct stores. */
SOL_API sol_status sol_run_runs_write_json(sol_store *st, const char *kind, int64_t id,
                                           sol_write_fn out, void *ud, sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
