/* solidata/evaluate.h - did a measure change anything? Difference-in-differences (2x2 OLS and
 * two-way fixed effects with an event study) and the synthetic control method, on a table of
 * rows read from a CSV file. Methods are pure: they read a sol_dtable and return a result.
 * Thread safety: reentrant on distinct tables and results; nothing is global. */
#ifndef SOL_EVALUATE_H
#define SOL_EVALUATE_H

#include <solidata/limits.h>
#include <solidata/status.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- a data table: every cell kept as text, with its line for messages ---------------------- */

/** A CSV file held in memory. Cells are text (NULL when missing: empty, NA, "..", ...); numbers
 *  are parsed where a method needs them, so an error can name file:line:column. */
typedef struct sol_dtable sol_dtable;

/** Read `path` (comma, semicolon or tab separated; header row) into a table. At most
 *  SOL_MAX_EVAL_ROWS rows. Errors: SOL_EIO, SOL_EPARSE, SOL_EENCODING, SOL_ELIMIT (err has
 *  file:line:column), SOL_ENOMEM. *out set only on success. */
SOL_API sol_status sol_dtable_read(const char *path, sol_dtable **out, sol_error *err);
/** Same over a caller-owned buffer; `name` is used in messages. */
SOL_API sol_status sol_dtable_read_mem(const char *data, size_t len, const char *name,
                                       sol_dtable **out, sol_error *err);
SOL_API void sol_dtable_free(sol_dtable *t);
SOL_API size_t sol_dtable_nrows(const sol_dtable *t);
SOL_API size_t sol_dtable_ncols(const sol_dtable *t);
/** Column index of `name`, or -1. */
SOL_API long sol_dtable_col(const sol_dtable *t, const char *name);
/** Header name of column `col`. Borrowed: valid until the table is freed. */
SOL_API const char *sol_dtable_colname(const sol_dtable *t, size_t col);
/** Physical line (1-based) of a row, and the starting column of one of its cells. */
SOL_API unsigned long sol_dtable_line(const sol_dtable *t, size_t row);
SOL_API unsigned long sol_dtable_colpos(const sol_dtable *t, size_t row, size_t col);
/** Cell text, NULL when missing. Borrowed: valid until the table is freed. */
SOL_API const char *sol_dtable_cell(const sol_dtable *t, size_t row, size_t col);
/** The cell as a number: SOL_OK; SOL_EOF when missing; SOL_ETYPE (err: file:line:col) when the
 *  text is not a number. Decimal comma accepted when the file is ';'-separated. */
SOL_API sol_status sol_dtable_number(const sol_dtable *t, size_t row, size_t col, double *out,
                                     sol_error *err);
/** The file name given at read (for messages and method cards). Borrowed until freed. */
SOL_API const char *sol_dtable_name(const sol_dtable *t);
/** SHA-256 of the bytes read, 64 hex characters. Borrowed until freed. */
SOL_API const char *sol_dtable_sha256(const sol_dtable *t);

/* ---- difference-in-differences --------------------------------------------------------------- */

typedef enum sol_se_kind {
    SOL_SE_CLASSICAL = 0, /* s^2 (X'X)^-1, s^2 = RSS / (N - K) */
    SOL_SE_HC1 = 1,       /* White's sandwich times N / (N - K) (MacKinnon & White's HC1) */
    SOL_SE_CLUSTER = 2    /* clustered by unit: sandwich of the per-unit score sums times
                             G/(G-1) (N-1)/(N-K), K not counting absorbed unit effects but
                             counting the constant (Stata's regress and xtreg, fe); df = G - 1 */
} sol_se_kind;

/** What to estimate. 2x2 design when `time_field` is NULL: y = a + b1 treated + b2 post
 *  + d treated:post + controls (clusters = unit_field when SOL_SE_CLUSTER). Two-way fixed
 *  effects when both unit_field and time_field are given: y = unit + period effects
 *  + d treated:post + controls, and an event study (treated x relative period, the period before
 *  each treated unit's first post period as reference) with the parallel-trends pre-test (Wald F
 *  that every lead is zero). Rows with a missing value in a used column are dropped. */
typedef struct sol_did_spec {
    const char *outcome;
    const char *treated; /* 0/1 column */
    const char *post;    /* 0/1 column */
    const char *const *controls;
    size_t n_controls;
    const char *unit_field; /* may be NULL */
    const char *time_field; /* may be NULL; needs unit_field */
    sol_se_kind se;
} sol_did_spec;

typedef struct sol_did_term {
    char *term; /* "(Intercept)", column names, "treated:post", "<time>=<value>", "event:-2" */
    double estimate, se, t, p;
} sol_did_term;

typedef struct sol_did_event {
    long rel;   /* periods relative to the first post period; the reference has estimate 0 */
    char *time; /* the period, when every treated unit starts together; else NULL */
    int reference;
    double estimate, se, t, p; /* se, t, p NaN for the reference */
} sol_did_event;

typedef struct sol_did_result {
    int twfe;                  /* 0: 2x2 OLS; 1: two-way fixed effects */
    char *term;                /* name of the DiD term ("nearinc:y81") */
    double estimate, se, t, p; /* the DiD term */
    size_t n, n_dropped;       /* rows used; rows dropped for a missing value */
    size_t n_units, n_periods; /* distinct units / periods (0 when not given) */
    size_t n_clusters;         /* SOL_SE_CLUSTER only */
    double df;                 /* degrees of freedom of the t tests */
    sol_se_kind se_kind;
    size_t n_terms;
    sol_did_term *terms; /* every estimated coefficient (not the absorbed unit effects) */
    size_t n_events;
    sol_did_event *events; /* two-way design only, ascending rel */
    int pretest;           /* 1 when the pre-test could be computed (>= 1 lead) */
    double pretest_f, pretest_df1, pretest_df2, pretest_p;
    char *pretest_note; /* why not, or what it says, in the current language; never NULL */
    double mean_treated_pre, mean_treated_post, mean_control_pre, mean_control_post;
} sol_did_result;

/** Estimate. Errors (err says which column, row or term): SOL_ENOTFOUND (no such column),
 *  SOL_ETYPE (a non-number, or treated/post not 0/1; file:line:col), SOL_EINVAL (no
 *  pre-treatment rows, no treated or no control rows, collinear regressors named, too few rows
 *  or clusters), SOL_ELIMIT, SOL_ENUMERIC, SOL_ENOMEM. *out set only on success; free it with
 *  sol_did_result_free. Thread-safe on distinct results. */
SOL_API sol_status sol_did_run(const sol_dtable *t, const sol_did_spec *s, sol_did_result **out,
                               sol_error *err);
SOL_API void sol_did_result_free(sol_did_result *r);
/** "classical", "hc1", "cluster". */
SOL_API const char *sol_se_name(sol_se_kind k);
/** The kind named "classical", "hc1" or "cluster" into *out; SOL_EINVAL (and *out unchanged) for
 *  another name. Thread-safe. */
SOL_API sol_status sol_se_parse(const char *name, sol_se_kind *out);

/* ---- synthetic control ----------------------------------------------------------------------- */

typedef struct sol_synth_predictor {
    char *variable;
    double from, to; /* periods (inclusive); a single period when from == to */
    int mean;        /* 1: mean over the periods, skipping missing values (the only op) */
} sol_synth_predictor;

/** A synthetic-control spec: predictors, the optimisation window and the units left out. */
typedef struct sol_synth_spec {
    size_t n_predictors;
    sol_synth_predictor *predictors;
    double opt_from, opt_to; /* periods whose outcome MSPE chooses V */
    size_t n_exclude;
    char **exclude; /* units that are neither treated nor donors (e.g. a national total) */
} sol_synth_spec;

/** Parse {"predictors": [{"variable": V, "from": P, "to": P, "op": "mean"}, ...],
 *  "optimise": {"from": P, "to": P}, "exclude": [unit, ...]} ("to" defaults to "from", "op" to
 *  "mean"; "exclude" optional). SOL_EPARSE with line:column for bad JSON, SOL_EINVAL for a
 *  missing or wrong member (named). *out set only on success. */
SOL_API sol_status sol_synth_spec_parse_json(const char *txt, size_t len, sol_synth_spec **out,
                                             sol_error *err);
SOL_API void sol_synth_spec_free(sol_synth_spec *s);

typedef struct sol_synth_opts {
    const char *unit_field, *time_field, *outcome;
    const char *treated;     /* the treated unit's name in unit_field */
    double treatment_start;  /* first treated period: periods before it are pre-treatment */
    const double *v_weights; /* n_predictors importances (>= 0, positive sum), or NULL: chosen */
    int placebos;            /* 1: re-run with each donor as the treated unit */
} sol_synth_opts;

typedef struct sol_synth_fit {
    char *unit; /* the (real or placebo) treated unit */
    size_t n_donors;
    char **donors; /* borrowed from the result's donor list */
    double *w;     /* n_donors weights, >= 0, sum 1 */
    double *v;     /* n_predictors importances, sum 1 */
    double loss_v; /* pre-treatment outcome MSPE over the optimisation window */
    double loss_w; /* (X1 - X0 w)' V (X1 - X0 w) on the scaled predictors */
    double rmspe_pre, rmspe_post, ratio;
} sol_synth_fit;

typedef struct sol_synth_result {
    sol_synth_fit fit; /* the treated unit */
    size_t n_predictors;
    char **predictor_names;                 /* "lnincome(1980-1988 mean)" */
    double *x_treated, *x_synthetic, *x_sd; /* predictor values (unscaled), sd across units */
    size_t n_times;
    double *times, *y_treated, *y_synthetic; /* the paths; gap = treated - synthetic */
    size_t n_placebos;
    sol_synth_fit *placebos; /* one per donor when asked */
    double p_value;          /* rank of the treated ratio among all ratios / (1 + placebos) */
    int v_given;
} sol_synth_result;

/** Fit. V given: the inner QP (exact active-set, Wolfe's minimum-norm-point algorithm) only.
 *  V chosen: minimise the pre-treatment outcome MSPE over V (NLopt, derivative-free, several
 *  starts), each V solved exactly for W. Predictors are divided by their standard deviation across
 *  the treated unit and donors. Errors: SOL_ENOTFOUND (treated unit or a column missing),
 * SOL_EINVAL (no pre-treatment periods, a donor or the treated unit without a predictor or outcome
 * value: named, bad V), SOL_ENUMERIC, SOL_ELIMIT, SOL_ENOMEM. Deterministic. */
SOL_API sol_status sol_synth_run(const sol_dtable *t, const sol_synth_spec *s,
                                 const sol_synth_opts *o, sol_synth_result **out, sol_error *err);
SOL_API void sol_synth_result_free(sol_synth_result *r);

/** The inner problem alone: minimise || A w - b ||^2 over the simplex (w >= 0, sum w = 1), A
 *  k x J column-major (A[i + k*j]), exactly (Wolfe 1976). w gets J weights. SOL_EINVAL for J = 0,
 *  SOL_ENUMERIC when it does not converge, SOL_ENOMEM. */
SOL_API sol_status sol_synth_simplex_ls(const double *A, const double *b, size_t k, size_t J,
                                        double *w, sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
