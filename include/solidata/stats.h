/* solidata/stats.h - survey microdata and the estimators computed from it: direct poverty and
 * inequality estimators by domain with design-based standard errors (laeken conventions), and
 * Alkire-Foster multidimensional poverty.
 *
 * Numerics use GSL only where stated; no function here changes GSL's global error handler (the
 * program calls gsl_set_error_handler_off() once in main()). Functions are reentrant: results and
 * workspaces belong to the caller, nothing is global. */
#ifndef SOL_STATS_H
#define SOL_STATS_H

#include <solidata/status.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- microdata: a streamed CSV kept as the few columns asked for ---------------------------- */

typedef enum sol_md_kind {
    SOL_MD_NUMBER = 0, /* a decimal number; stored as double */
    SOL_MD_CODE = 1    /* a code (area, stratum, PSU, group); stored as a level index */
} sol_md_kind;

/** One column to keep. A value that is missing (sol_is_missing) is an error unless
 *  `allow_missing` (numbers become NaN; codes become the level ""). A number below zero is an
 *  error when `nonnegative`; a number not above zero is an error when `positive`. `what` names the
 *  role in messages ("weight", "income"): an English noun standing alone, looked up in the
 *  message catalogue when a message is written (mark it with N_ for extraction); NULL uses the
 *  column name. */
typedef struct sol_md_column {
    const char *name;
    sol_md_kind kind;
    int allow_missing;
    int nonnegative;
    int positive;
    const char *what;
} sol_md_column;

typedef struct sol_microdata sol_microdata;

/** Stream the CSV at `path` ("-" is stdin) and keep the `ncols` columns described (at most
 *  SOL_MAX_MICRODATA_COLS, at most SOL_MAX_MICRODATA_ROWS rows). Only these columns are parsed,
 *  so files far wider than kept are read at the speed of the CSV reader.
 *  Errors: SOL_EIO, SOL_EPARSE, SOL_EENCODING, SOL_ELIMIT from the reader; SOL_ENOTFOUND when a
 *  column is absent (err lists the header); SOL_ETYPE for a value that is not a number, SOL_EINVAL
 *  for a missing or negative value where none is allowed, both with file:line:column in err.
 *  *out is set only on success; free with sol_microdata_free. */
SOL_API sol_status sol_microdata_read(const char *path, const sol_md_column *cols, size_t ncols,
                                      sol_microdata **out, sol_error *err);
/** Same over a caller-owned buffer (tests, fuzzing); `name` appears in messages. */
SOL_API sol_status sol_microdata_read_mem(const char *data, size_t len, const char *name,
                                          const sol_md_column *cols, size_t ncols,
                                          sol_microdata **out, sol_error *err);
SOL_API void sol_microdata_free(sol_microdata *md);
SOL_API size_t sol_microdata_rows(const sol_microdata *md);
/** Values of number column `col` (index into the columns given at read). Borrowed: valid until
 *  the microdata is freed. NULL when `col` is not a number column. */
SOL_API const double *sol_microdata_numbers(const sol_microdata *md, size_t col);
/** Level index (0-based, in order of first appearance) of each row of code column `col`.
 *  Borrowed until free. NULL when `col` is not a code column. */
SOL_API const uint32_t *sol_microdata_codes(const sol_microdata *md, size_t col);
/** Number of distinct levels of code column `col`, and the text of one. Borrowed until free. */
SOL_API size_t sol_microdata_nlevels(const sol_microdata *md, size_t col);
SOL_API const char *sol_microdata_level(const sol_microdata *md, size_t col, size_t level);
/** Person rows with their household's columns: `persons` (one row per person, household id in
 *  code column `p_key`) and `households` (one row per household, id in code column `h_key`;
 *  EU-SILC's H or D file) give a microdata of persons' rows holding the persons' columns in
 *  order, then the households' columns but the key. `p_name` and `h_name` name the files in
 *  messages. Errors (naming the household and its data row): SOL_EDUPLICATE for a household
 *  twice in `households`; SOL_EINVAL for a person whose household is not there, or a household
 *  with no person rows (it cannot get an equivalised income); SOL_ENOMEM. The digest is the
 *  SHA-256 of the two files' digests. *out set only on success. */
SOL_API sol_status sol_microdata_join(const sol_microdata *persons, size_t p_key,
                                      const char *p_name, const sol_microdata *households,
                                      size_t h_key, const char *h_name, sol_microdata **out,
                                      sol_error *err);
/** SHA-256 (64 hex + NUL) of the file's bytes, and the number of bytes read. */
SOL_API const char *sol_microdata_sha256(const sol_microdata *md);
SOL_API uint64_t sol_microdata_bytes(const sol_microdata *md);

/* ---- design-based variance ------------------------------------------------------------------ */

/** What a stratum holding a single PSU contributes to a linearised variance (R survey's
 *  options(survey.lonely.psu)). ADJUST (the default): its PSU total is centred at the grand mean
 *  (zero for a linearised estimator) instead of the stratum mean, a conservative contribution.
 *  REMOVE: it contributes nothing. FAIL: SOL_EINVAL naming the stratum. */
typedef enum sol_lonely_psu {
    SOL_LONELY_ADJUST = 0,
    SOL_LONELY_REMOVE = 1,
    SOL_LONELY_FAIL = 2
} sol_lonely_psu;

/** A sample and its design. Arrays have n entries and are borrowed for the call.
 *  `strata` NULL: one stratum. `psu` NULL: every row is its own PSU. PSU codes are nested in
 *  strata (the same PSU code in two strata is two PSUs). `domain` NULL: no domains. */
typedef struct sol_design {
    size_t n;
    const double *weight;   /* > 0 is not required; >= 0 and finite is */
    const uint32_t *strata; /* level index < n_strata, or NULL */
    size_t n_strata;
    const uint32_t *psu; /* level index < n_psu, or NULL */
    size_t n_psu;
    const char *const *strata_names; /* for messages; may be NULL */
    sol_lonely_psu lonely;
} sol_design;

/* ---- direct estimators of monetary poverty and inequality ---------------------------------- */

typedef struct sol_poverty_opts {
    double line_share;  /* share of the median giving the poverty line; 0 means 0.6 */
    double line;        /* > 0: a fixed poverty line in income units instead (line_share unused) */
    int line_by_domain; /* 0: one line from the whole population (EU-SILC); 1: per domain */
    double cv_caution;  /* CV above which the flag is "caution"; 0 means 0.166 */
    double cv_unreliable; /* CV above which the flag is "unreliable"; 0 means 0.333 */
    size_t min_n;         /* fewer sample persons than this: "unreliable"; 0 means 20 */
} sol_poverty_opts;

/** One row of results: a domain or the total ("total"). Rates, gaps and the Gini are proportions
 *  (0-1), not percentages. Standard errors are design-based (Taylor linearisation). arop_se also
 *  carries the variance of the estimated poverty line (the linearised median, Deville 1999 and
 *  Osier 2009, as R convey's svyarpr: Gaussian kernel density, bandwidth sd / N^(1/5)), for the
 *  whole population's line and for a line of each domain; arop_se_fixed_line holds the line
 *  fixed (as with a fixed line, where the two agree); the other SEs hold the line fixed. `flag`
 *  is "ok", "caution" or "unreliable", from arop_se. */
typedef struct sol_poverty_row {
    const char *domain; /* borrowed from the input names, or "total" */
    size_t n;
    double weighted_n;
    double median_income;
    double mean_income, mean_income_se;
    double poverty_line;
    double arop, arop_se;
    double fgt1, fgt1_se;
    double fgt2, fgt2_se;
    double rmpg;
    double gini;
    double qsr;
    double cv_arop;
    const char *flag;
    double arop_se_fixed_line; /* the SE with the line held fixed (survey's svymean of the poor) */
} sol_poverty_row;

typedef struct sol_poverty_result {
    double line_share;     /* as used */
    size_t n_rows;         /* domains sorted by name (strcmp), then "total" last */
    sol_poverty_row *rows; /* owned */
    size_t n_strata, n_psu;
    size_t lonely_strata; /* strata with a single PSU, handled as the design says */
} sol_poverty_result;

/** Direct estimates by domain and for the whole sample.
 *  `income` (n values, finite; equivalised), the design `d` (weights >= 0), `domain` (level index
 *  per row < n_domains, or NULL) and `domain_names` (n_domains names, borrowed by the result).
 *  Conventions (R laeken 0.5): weighted quantile q(p) = the smallest x_(i) whose cumulative weight
 *  share exceeds p; line = line_share * weighted median; poor = income strictly below the line;
 *  Gini = (2 sum w_i x_i C_i - sum w_i^2 x_i) / (W sum w_i x_i) - 1 with C_i the cumulative
 *  weight in income order; S80/S20 = income above q(0.8) over income at or below q(0.2); RMPG =
 *  (line - weighted median income of the poor) / line.
 *  Errors: SOL_EINVAL (no rows, weights all zero, negative or non-finite values, a line above
 *  every income so that everyone would be poor, a lonely PSU with SOL_LONELY_FAIL), SOL_ENOMEM.
 * *out set only on success; free with sol_poverty_result_free. */
SOL_API sol_status sol_poverty_estimate(const double *income, const sol_design *d,
                                        const uint32_t *domain, size_t n_domains,
                                        const char *const *domain_names, const sol_poverty_opts *o,
                                        sol_poverty_result **out, sol_error *err);
SOL_API void sol_poverty_result_free(sol_poverty_result *r);

/* ---- replicate-weight standard errors ------------------------------------------------------ */

typedef struct sol_poverty_boot {
    size_t replicates;  /* R >= 2 */
    uint64_t seed;      /* the draws: replicate r uses its own stream from (seed, r) */
    const double *repw; /* NULL: the Rao-Wu bootstrap draws them; else the caller's replicate
                          weights, n x R row-major (row i, replicate r at repw[i * R + r]) */
    double scale;       /* with repw: the variance multiplier; 0 means 1/(R - 1) */
} sol_poverty_boot;

/** Standard errors of one row's estimates over the replicates (NaN when fewer than two
 *  replicates gave a value); `dropped` counts the replicates in which the domain had no weight
 *  (left out, as R survey does with NA replicates). */
typedef struct sol_poverty_se {
    double median_income, mean_income, arop, fgt1, fgt2, rmpg, gini, qsr;
    size_t dropped;
} sol_poverty_se;

typedef struct sol_poverty_boot_result {
    size_t replicates;
    double scale;
    size_t n_rows;      /* as sol_poverty_estimate's rows: domains by name, then "total" */
    sol_poverty_se *se; /* owned */
} sol_poverty_boot_result;

/** Replicate standard errors of every estimate of sol_poverty_estimate (same arguments), the
 *  poverty line re-estimated on each replicate so its variance is in. Without `b->repw`, the
 *  Rao-Wu (1988) rescaling bootstrap as R survey's as.svrepdesign(type = "subbootstrap"): in each
 *  stratum of n_h >= 2 PSUs, n_h - 1 PSUs drawn with replacement, weight x count x n_h/(n_h - 1);
 *  a stratum with a single PSU cannot be resampled and keeps its weights (it adds no variance,
 *  as "remove"); without PSUs each person is one. SE = sqrt(scale sum_r (theta_r - mean)^2),
 *  scale 1/(R - 1). Replicates run over OpenMP threads, each from its own stream, so results do
 *  not depend on the thread count. Errors: SOL_EINVAL (R < 2, a bad scale, what
 *  sol_poverty_estimate refuses), SOL_ENOMEM. *out set only on success. */
SOL_API sol_status sol_poverty_bootstrap(const double *income, const sol_design *d,
                                         const uint32_t *domain, size_t n_domains,
                                         const char *const *domain_names, const sol_poverty_opts *o,
                                         const sol_poverty_boot *b, sol_poverty_boot_result **out,
                                         sol_error *err);
SOL_API void sol_poverty_boot_free(sol_poverty_boot_result *b);

/** Weighted quantile of x (n values, weights w >= 0) as laeken's weightedQuantile: x sorted, the
 *  first whose cumulative weight share is above p (p = 0: minimum, p = 1: maximum). `x` and `w`
 *  must already be sorted by x ascending. SOL_EINVAL when n is 0 or the weights sum to zero. */
SOL_API sol_status sol_stats_wquantile_sorted(const double *x, const double *w, size_t n, double p,
                                              double *out);

/** Modified OECD equivalence scale: 1 for the first adult, 0.5 for each other person aged 14 or
 *  more, 0.3 for each child under 14. SOL_EINVAL unless size >= 1 and 0 <= children <= size - 1. */
SOL_API sol_status sol_stats_oecd_scale(double hh_size, double children, double *scale);

/** The same from person rows: `hh` (n level indices < n_hh) groups persons into households and
 *  `age` (n values, finite; EU-SILC's -1 for
 *  a child born after the income year counts as under 14) counts members aged 14 or more (a) and
 * under 14 (c); every person gets its household's 1 + 0.5 (a - 1) + 0.3 c (R laeken's eqSS, whose
 * formula also applies when a household has no member aged 14 or more). `members` (n_hh entries,
 * may be NULL) gets the member counts. SOL_EINVAL for an age that is not finite (naming the row),
 * SOL_ENOMEM. */
SOL_API sol_status sol_stats_oecd_scale_hh(const uint32_t *hh, size_t n_hh, const double *age,
                                           size_t n, double *scale, size_t *members,
                                           sol_error *err);

/* ---- Alkire-Foster multidimensional poverty -------------------------------------------------- */

typedef enum sol_mpi_op {
    SOL_MPI_EQ,
    SOL_MPI_NE,
    SOL_MPI_LT,
    SOL_MPI_LE,
    SOL_MPI_GT,
    SOL_MPI_GE
} sol_mpi_op;

typedef struct sol_mpi_indicator {
    char *column;    /* owned by the spec */
    char *dimension; /* owned by the spec */
    double weight;   /* absolute weight; the weights of a spec sum to 1 */
    sol_mpi_op op;
    double cutoff; /* deprived when value <op> cutoff */
} sol_mpi_indicator;

typedef struct sol_mpi_spec {
    double k; /* poverty cut-off, a share of the weighted deprivations (0 < k <= 1) */
    size_t n;
    sol_mpi_indicator *ind; /* owned */
} sol_mpi_spec;

/** Parse a JSON spec: {"k": 0.333, "indicators": [{"column", "dimension", "weight",
 *  "deprived_if": "== 1"}, ...]}. Nested weights: with "dimensions": [{"name", "weight"}], each
 *  indicator's weight is relative within its dimension (indicator weights of a dimension are
 *  rescaled to sum to the dimension's weight; absent ones are equal). The absolute weights must
 *  sum to 1 (within 1e-9). Errors: SOL_EPARSE (JSON, with line:column), SOL_EINVAL (what is wrong,
 *  naming the indicator), SOL_ELIMIT. `name` is used in messages. *out set only on success. */
SOL_API sol_status sol_mpi_spec_parse(const char *json, size_t len, const char *name,
                                      sol_mpi_spec **out, sol_error *err);
SOL_API void sol_mpi_spec_free(sol_mpi_spec *s);

typedef struct sol_mpi_ind_result {
    double uncensored_headcount; /* weighted share deprived in the indicator */
    double censored_headcount;   /* weighted share deprived and poor */
    double contribution;         /* w_j * censored_headcount / M0 (a proportion; 0 when M0 = 0) */
} sol_mpi_ind_result;

typedef struct sol_mpi_group {
    const char *group; /* borrowed from the input names */
    size_t n;
    double weighted_n;
    double H, A, M0;
    double contribution; /* population share * M0_g / M0 */
} sol_mpi_group;

typedef struct sol_mpi_result {
    size_t n; /* persons used */
    double weighted_n;
    double q; /* weighted number of the poor (= count without weights) */
    double H, A, M0;
    double H_se, A_se, M0_se; /* linearised, the design given (with-replacement PSUs) */
    size_t n_ind;
    sol_mpi_ind_result *ind; /* owned, in spec order */
    size_t n_groups;
    sol_mpi_group *groups; /* owned, in input level order */
} sol_mpi_result;

/** Alkire-Foster: `values` holds spec->n pointers to n values each (the indicator columns, in
 *  spec order; NaN is an error). A person is poor when the weighted deprivation score c_i >= k,
 *  compared with a tolerance of 1e-9 so that a score equal to k (6/18 against 1/3) counts as poor.
 *  `d` gives weights and design (d->weight NULL: all 1); `group` may be NULL.
 *  *out set only on success; free with sol_mpi_result_free. */
SOL_API sol_status sol_mpi_estimate(const sol_mpi_spec *spec, const double *const *values,
                                    const sol_design *d, const uint32_t *group, size_t n_groups,
                                    const char *const *group_names, sol_mpi_result **out,
                                    sol_error *err);
SOL_API void sol_mpi_result_free(sol_mpi_result *r);

#ifdef __cplusplus
}
#endif
#endif
