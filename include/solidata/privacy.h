/* solidata/privacy.h - privacy by construction: keyed pseudonyms (HMAC-SHA-256), linkage of
 * pseudonymised files, statistical disclosure control of published tables (primary and
 * secondary cell suppression), differential privacy with exact integer samplers, a privacy-budget
 * ledger per dataset and a hash-chained audit log in the store. See docs/privacy.md.
 * Thread safety: pure functions are reentrant; store functions need one handle per thread; an RNG
 * stream belongs to one thread. */
#ifndef SOL_PRIVACY_H
#define SOL_PRIVACY_H

#include <solidata/csv.h>
#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Output sink: write n bytes; return SOL_OK or an error (SOL_EIO). Used by every function that
 *  produces a file, so the library never owns stdout. */
typedef sol_status (*sol_write_fn)(void *ud, const void *buf, size_t n);

/* ---- keys and pseudonyms ----------------------------------------------------------------- */

/** Bytes of a pseudonymisation key; its file holds 2x as many hex characters (+ a newline). */
#define SOL_PRIVACY_KEY_BYTES 32

/** How an identifier is normalised before it is keyed, so that the same person gets the same
 *  pseudonym however the id was typed. */
typedef enum sol_normalise {
    SOL_NORM_NONE = 0,       /* the bytes as given (surrounding blanks removed) */
    SOL_NORM_CODICE_FISCALE, /* Italian tax code: upper case, blanks removed, 16 characters with a
                               valid check character (or 11 digits for a provisional code) */
    SOL_NORM_NIR,            /* French social security number: upper case, blanks/dots/dashes
                                removed; 13 characters, or 15 whose 2-digit key is checked and
                                then dropped (2A/2B Corsica handled) */
    SOL_NORM_EMAIL           /* trimmed, lower case, exactly one '@' with text on both sides */
} sol_normalise;

/** Parse "codice_fiscale", "nir", "email" or "none". SOL_EINVAL otherwise. */
SOL_API sol_status sol_privacy_normalise_parse(const char *name, sol_normalise *out);
/** Name of a normalisation ("codice_fiscale", ...). Static string. */
SOL_API const char *sol_privacy_normalise_name(sol_normalise n);

/** Normalise id[0..len) into out (cap bytes, NUL-terminated); *out_len gets its length.
 *  SOL_EPARSE (message says why) when the id is empty or not valid for the normalisation;
 *  SOL_ELIMIT when it does not fit. Thread-safe. */
SOL_API sol_status sol_privacy_normalise_id(sol_normalise n, const char *id, size_t len, char *out,
                                            size_t cap, size_t *out_len, sol_error *err);

/** HMAC-SHA-256 of msg under a key of any length (RFC 2104, as tested by RFC 4231).
 *  Thread-safe. */
SOL_API void sol_privacy_hmac_sha256(const uint8_t *key, size_t key_len, const void *msg, size_t n,
                                     uint8_t mac[32]);

/** Write a new key file: 32 random bytes as 64 lower-case hex characters and a newline, mode
 *  0600. Refuses an existing path (SOL_EDUPLICATE) and never follows a symlink there. */
SOL_API sol_status sol_privacy_keygen(const char *path, sol_error *err);
/** Parse a key file's text: 64 hex characters, optionally followed by one newline (LF or CRLF).
 *  SOL_EPARSE otherwise. */
SOL_API sol_status sol_privacy_key_parse(const char *text, size_t len,
                                         uint8_t key[SOL_PRIVACY_KEY_BYTES], sol_error *err);
/** Load a key file. SOL_EDENIED when the file is readable or writable by group or others (or is
 *  not a regular file), SOL_EPARSE when its length or content is wrong, SOL_EIO when unreadable.
 *  The caller should wipe the key when done (sol_privacy_wipe). */
SOL_API sol_status sol_privacy_key_load(const char *path, uint8_t key[SOL_PRIVACY_KEY_BYTES],
                                        sol_error *err);
/** Overwrite n bytes with zeros in a way the compiler keeps. */
SOL_API void sol_privacy_wipe(void *p, size_t n);

/** Pseudonym of one identifier: HMAC-SHA-256(key, normalised id) as 64 lower-case hex + NUL.
 *  Errors as sol_privacy_normalise_id. */
SOL_API sol_status sol_privacy_pseudonym(const uint8_t key[SOL_PRIVACY_KEY_BYTES], sol_normalise n,
                                         const char *id, size_t len, char hex[65], sol_error *err);

typedef struct sol_pseudonymise_opts {
    const char *id_column; /* required */
    sol_normalise normalise;
    const char *const *drop; /* columns to remove (direct identifiers); each must exist */
    size_t n_drop;
    int skip_invalid; /* 1: rows whose id fails normalisation are left out and counted;
                         0: they are an error with file:line:column */
} sol_pseudonymise_opts;

/** What pseudonymisation did, for the report. Strings borrowed until the next call on the same
 *  report or sol_pseudonymise_report_free. */
typedef struct sol_pseudonymise_report {
    uint64_t rows_in, rows_out, rows_skipped;
    size_t n_dropped;
    char **dropped; /* names of the dropped columns */
    size_t n_suspect;
    char **suspect; /* kept columns whose names look like direct identifiers */
    char input_sha256[65];
} sol_pseudonymise_report;

/** Stream the CSV `in` (opened by the caller, header read) to `out` as CSV with ',' as the
 *  delimiter: the id column replaced (same name, same place) by the pseudonym, dropped columns
 *  left out. `rep` (may be NULL) is filled on success; free it with
 *  sol_pseudonymise_report_free. Errors: SOL_ENOTFOUND (no such id or drop column; where =
 *  "file:1"), SOL_EPARSE (empty or invalid id, with file:line:column), the reader's errors. */
SOL_API sol_status sol_privacy_pseudonymise(sol_csv *in, const uint8_t key[SOL_PRIVACY_KEY_BYTES],
                                            const sol_pseudonymise_opts *o, sol_write_fn out,
                                            void *ud, sol_pseudonymise_report *rep, sol_error *err);
SOL_API void sol_pseudonymise_report_free(sol_pseudonymise_report *rep);

/* ---- linkage ------------------------------------------------------------------------------- */

typedef struct sol_link_report {
    uint64_t left_rows, right_rows;
    uint64_t matched_left, matched_right; /* rows with at least one partner */
    uint64_t unmatched_left, unmatched_right;
    uint64_t pairs;                         /* rows written (one per matching pair) */
    uint64_t dup_rows_left, dup_rows_right; /* rows whose key an earlier row of the same side
                                               already had (left: by the key's first 64 bits,
                                               uniform for HMAC outputs) */
} sol_link_report;

/** Inner hash join of two files pseudonymised with the same key: `right` is held in memory
 *  (bounded by SOL_MAX_LINK_BYTES), `left` is streamed. Keys must be 64-hex pseudonyms (raw
 *  identifiers are refused, SOL_EPARSE with file:line:column). Output: the key column, the other
 *  columns of left, then those of right (a name already used gets the prefix "right_"), one row
 *  per matching pair. */
SOL_API sol_status sol_privacy_link(sol_csv *left, const char *left_key, sol_csv *right,
                                    const char *right_key, sol_write_fn out, void *ud,
                                    sol_link_report *rep, sol_error *err);

/* ---- exact random sampling ------------------------------------------------------------------ */

/** A deterministic random stream (ChaCha20 keyed by BLAKE2b of a seed), or one seeded from the
 *  operating system. Not thread-safe; one per thread. */
typedef struct sol_rng sol_rng;
/** seed NULL: from the OS (randombytes). */
SOL_API sol_status sol_rng_new(const char *seed, sol_rng **out, sol_error *err);
SOL_API void sol_rng_free(sol_rng *r);
/** Uniform integer in [0, n), n >= 1, by rejection (no modulo bias). */
SOL_API uint64_t sol_rng_below(sol_rng *r, uint64_t n);
/** Bernoulli(exp(-num/den)), exactly (Canonne, Kamath & Steinke 2020, Algorithm 1), den >= 1. */
SOL_API int sol_dp_bernoulli_exp(sol_rng *r, uint64_t num, uint64_t den);
/** Discrete Laplace: P(Z = z) proportional to exp(-|z| s / t), s, t >= 1 (CKS 2020, Alg. 2). */
SOL_API int64_t sol_dp_discrete_laplace(sol_rng *r, uint64_t s, uint64_t t);
/** Discrete Gaussian: P(Z = z) proportional to exp(-z^2 / (2 sigma2)), sigma2 = num/den > 0,
 *  with sigma2 <= SOL_MAX_DP_SIGMA2 (CKS 2020, Alg. 3). */
SOL_API int64_t sol_dp_discrete_gaussian(sol_rng *r, uint64_t num, uint64_t den);

/** Parse a positive decimal ("0.5", "1", "2.25") exactly: *nano = value x 1e9 (at most 9
 *  decimals). SOL_EINVAL otherwise. */
SOL_API sol_status sol_dp_parse_epsilon(const char *s, int64_t *nano, sol_error *err);
/** sigma^2 of the discrete Gaussian giving (epsilon, delta)-DP for sensitivity 1, through
 *  rho-zCDP with rho = 1/(2 sigma^2) and epsilon = rho + 2 sqrt(rho ln(1/delta)) (Bun & Steinke
 *  2016), as the rational *num / *den rounded up (more noise, never less). */
SOL_API sol_status sol_dp_gaussian_sigma2(int64_t eps_nano, double delta, uint64_t *num,
                                          uint64_t *den, sol_error *err);

/* ---- disclosure control --------------------------------------------------------------------- */

enum { SOL_CELL_PUBLISHED = 0, SOL_CELL_PRIMARY = 1, SOL_CELL_SECONDARY = 2 };

/** Suppress the cells of a one- or two-way table with margins so that no suppressed cell can be
 *  computed from the published ones by adding and subtracting rows, columns and margins.
 *  Layout: (nrows+1) x (ncols+1) row-major, the last column holding the row totals, the last
 *  row the column totals, the last cell the grand total; ncols == 0 is a one-way table of
 *  nrows cells followed by its total (nrows+1 entries). `n` is each entry's count of
 *  contributors. Primary: 1 <= n < k (zeros are published). Secondary: cells chosen, smallest
 *  count first, until no suppressed entry is determined by the others (see docs/privacy.md).
 *  flags (same layout) receive SOL_CELL_*; *n_primary and *n_secondary (may be NULL) the
 *  counts. SOL_ENOMEM, SOL_ELIMIT (table larger than SOL_MAX_TAB_CELLS). */
SOL_API sol_status sol_privacy_suppress(size_t nrows, size_t ncols, const uint64_t *n, uint64_t k,
                                        unsigned char *flags, size_t *n_primary,
                                        size_t *n_secondary, sol_error *err);

/** Tables that share cells: each group is a one-way table whose first member is the total of
 *  the others (an area and the areas it contains), and a cell may be a part in one group and
 *  the total of another (nested areas). `value` holds each cell's count (<= 0 or NaN: a zero);
 *  `sdc` each cell's flag, SOL_CELL_* (in: the primaries, and any secondary already decided;
 *  out: more secondaries). Group g is members[start[g] .. start[g+1]); groups of fewer than two
 *  members are skipped. Borrowed arrays, owned by the caller. */
typedef struct sol_sdc_nested {
    size_t ncells;
    const double *value;
    unsigned char *sdc;
    size_t ngroups;
    const size_t *start;   /* ngroups + 1 entries */
    const size_t *members; /* start[ngroups] entries, each < ncells */
} sol_sdc_nested;

/** Secondary suppression of nested tables: each group in turn is protected with
 *  sol_privacy_suppress as a one-way table with its margin (a suppressed cell entering as a
 *  primary, a published one costing its count, so the smallest counts are chosen first),
 *  and the groups are visited again until none changes (at most 1000 rounds), since a cell
 *  newly suppressed in one group may leave another with a lone suppression. Only cells with
 *  flag SOL_CELL_PUBLISHED are changed, to SOL_CELL_SECONDARY; *added (may be NULL) gets how
 *  many. Pure: no store, no I/O. SOL_EINVAL (a member out of range), SOL_ENOMEM, SOL_ELIMIT.
 *  Thread-safe on distinct tables. */
SOL_API sol_status sol_privacy_suppress_nested(sol_sdc_nested *t, size_t *added, sol_error *err);

typedef enum sol_dp_mechanism {
    SOL_DP_NONE = 0,
    SOL_DP_LAPLACE, /* discrete Laplace, epsilon-DP */
    SOL_DP_GAUSSIAN /* discrete Gaussian, (epsilon, delta)-DP through zCDP */
} sol_dp_mechanism;

typedef struct sol_tab_opts {
    const char *row_field;    /* required */
    const char *col_field;    /* NULL: a one-way table */
    const char *weight_field; /* NULL: counts of records */
    uint64_t min_cell;        /* k >= 1 */
    sol_dp_mechanism dp;
    int64_t eps_nano; /* epsilon x 1e9, when dp != NONE */
    double delta;     /* for SOL_DP_GAUSSIAN */
    const char *seed; /* NULL: noise seeded from the OS */
    /* public lists of the possible categories (known without looking at the data): every one
     * is a row / column of the table, present in the data or not (then a zero, noised under
     * DP), and a record with a category outside the list is refused. NULL: the categories
     * met in the data (whose existence then leaks through a DP release). */
    const char *const *row_categories;
    size_t n_row_categories;
    const char *const *col_categories;
    size_t n_col_categories;
} sol_tab_opts;

typedef struct sol_tab sol_tab;

/** Read every record of `in` and count (or sum weights) by row [x col] category, with margins.
 *  Errors: SOL_ENOTFOUND (missing field; where "file:1"), SOL_ETYPE (bad weight, file:line:col),
 *  SOL_EPARSE (a category called "_total", a category not in the public list, a list naming
 *  one twice), SOL_ELIMIT (more than SOL_MAX_TAB_ROWS/COLS/CELLS
 *  categories), the reader's errors. No noise and no suppression yet: see sol_tab_protect. */
SOL_API sol_status sol_tab_new(sol_csv *in, const sol_tab_opts *o, sol_tab **out, sol_error *err);

/** One cell of a table counted elsewhere (in a database): its row and column categories (`col`
 *  unused in a one-way table), its records and the sum of their weights (n without a weight). */
typedef struct sol_tab_cell {
    const char *row, *col;
    uint64_t n;
    double sum;
} sol_tab_cell;

/** The table of sol_tab_new from cells already counted (each (row, col) may come several times:
 *  they add up), with the same public lists and checks of the categories; `digest` (NULL: none)
 *  stands for the input's SHA-256 in the card. Errors: SOL_EINVAL, SOL_EPARSE (a category
 *  "_total" or outside a public list), SOL_ELIMIT, SOL_ENOMEM. Then sol_tab_protect. */
SOL_API sol_status sol_tab_new_cells(const sol_tab_opts *o, const sol_tab_cell *cells, size_t n,
                                     const char *digest, sol_tab **out, sol_error *err);
SOL_API void sol_tab_free(sol_tab *t);
/** Apply the privacy rules of the options: DP noise on the inner cells when asked (then
 *  post-processing: negative counts set to 0, margins recomputed as sums, so the table adds
 *  up), then primary and secondary suppression with k = min_cell. Call once. SOL_EINVAL for
 *  DP with weights (unbounded sensitivity). */
SOL_API sol_status sol_tab_protect(sol_tab *t, sol_error *err);
/** Write the table as CSV "row,col,count,flag", rows and columns sorted by label, margins as
 *  "_total"; suppressed cells have an empty count and flag "suppressed". */
SOL_API sol_status sol_tab_write_csv(const sol_tab *t, sol_write_fn out, void *ud, sol_error *err);

typedef struct sol_tab_stats {
    uint64_t records;
    size_t nrows, ncols;       /* categories (ncols 0: one-way) */
    size_t cells;              /* entries written, margins included */
    size_t primary, secondary; /* suppressed entries */
    char input_sha256[65];
} sol_tab_stats;
SOL_API void sol_tab_get_stats(const sol_tab *t, sol_tab_stats *s);
/** Entry (r, c) with margins at r == nrows / c == ncols (c 0 for one-way): published value
 *  (NaN when suppressed), contributor count (true, or noisy under DP) and SOL_CELL_* flag. */
SOL_API void sol_tab_entry(const sol_tab *t, size_t r, size_t c, double *value, uint64_t *n,
                           int *flag);
/** Category label (borrowed until sol_tab_free); r == nrows or c == ncols gives "_total". */
SOL_API const char *sol_tab_row_label(const sol_tab *t, size_t r);
SOL_API const char *sol_tab_col_label(const sol_tab *t, size_t c);

/* ---- disclosure decisions over the store (src/privacy/disclosure.c) -------------------------- */
/* The store records budgets, relations, count declarations and the audit log, and writes the
 * flags (store.h); what is withheld and what a budget change implies is decided here. */

/** Create or change a dataset's budget and minimum cell size (audited; on a schema-5 store the
 *  disclosure flags are recomputed with the new k, see sol_disclosure_refresh), in one
 *  transaction unless one is open. Lowering the total below what is already spent is allowed
 *  and leaves nothing to spend. Writing alone is sol_store_budget_put (store.h). */
SOL_API sol_status sol_budget_set(sol_store *st, const char *dataset, int64_t eps_total_nano,
                                  double delta_total, uint64_t min_cell, sol_error *err);

/** Recompute which observations may leave the store (docs/privacy.md): an observation of a count
 *  indicator (sol_disclosure_count_indicator) with 0 < value < k, k the minimum cell size of the
 *  dataset named like its source (privacy_dataset.min_cell; SOL_PRIVACY_DEFAULT_MIN_CELL when
 *  none), is suppressed (primary); then, for every count indicator and period, each area with a
 *  value and its children with values (area.parent_code) form a one-way table whose total is the
 *  parent, protected by sol_privacy_suppress_nested (secondary), until none changes;
 *  then values of derived indicators (sol_disclosure_link) computed from a withheld value are
 *  withheld too (counted as secondary), the count tables protected again, until stable.
 *  Reads then carry SOL_FLAG_SUPPRESSED on those observations; public outputs withhold their
 *  values. Runs in its own transaction unless one is open. Counts may be NULL. */
SOL_API sol_status sol_disclosure_refresh(sol_store *st, int64_t *primary, int64_t *secondary,
                                          sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
