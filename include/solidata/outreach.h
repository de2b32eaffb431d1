/* solidata/outreach.h - audiences by variables, never by names (src/outreach/): a rule over area
 * indicators and a population group, parsed from a small language or from JSON; its evaluation
 * over areas (conditions, type-7 quantiles, the people reached with a 95% interval); the minimum
 * cell size k and the check of one audience against another (intersections and differences);
 * special categories of data (GDPR art. 9); non-take-up (eligible people against people
 * receiving). Pure functions: no store, no file, no printing (docs/outreach.md).
 * Thread safety: every function is reentrant. */
#ifndef SOL_OUTREACH_H
#define SOL_OUTREACH_H

#include <solidata/status.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The z of a two-sided 95% normal interval. */
#define SOL_AUD_Z95 1.959963984540054

/** The default minimum audience cell size (persons). */
#define SOL_AUD_K_DEFAULT 100

/** A condition's comparison. TOP/BOTTOM select the areas whose value is in the top (bottom)
 *  N% of the areas in scope: value >= Q(1 - N/100), value <= Q(N/100), Q the type-7 quantile. */
typedef enum sol_aud_op {
    SOL_AUD_GT = 0,
    SOL_AUD_GE,
    SOL_AUD_LT,
    SOL_AUD_LE,
    SOL_AUD_TOP,
    SOL_AUD_BOTTOM
} sol_aud_op;

/** ">", ">=", "<", "<=", "top", "bottom". Static. */
SOL_API const char *sol_aud_op_name(sol_aud_op op);

typedef struct sol_aud_cond {
    char *indicator;
    sol_aud_op op;
    double value;      /* the threshold, or N of top/bottom N% (0 < N <= 100) */
    unsigned long col; /* column of the indicator in the rule text (1-based); 0 from JSON */
} sol_aud_cond;

/** An audience rule. Everything owned; free with sol_aud_rule_free. */
typedef struct sol_aud_rule {
    char *level; /* NULL: areas of every level */
    size_t n_within;
    char **within; /* area codes: the areas that are one of them or lie within one of them */
    char *period;  /* NULL: the latest period of each indicator */
    size_t n_cond;
    sol_aud_cond *cond;
    char *people; /* required: an indicator counting the target group */
    char *share;  /* NULL, or an indicator the count is multiplied by (a share or percentage) */
    unsigned long people_col, share_col; /* columns in the text (0 from JSON) */
    char *purpose;                       /* NULL, or the purpose in words */
    int public_service; /* 1: `purpose public-service "..."`: a public service for the group */
} sol_aud_rule;

/** Parse the rule language (docs/outreach.md): statements separated by ';' or new lines,
 *    level WORD | within CODE[, CODE...] | period P | people CODE [* share CODE] |
 *    CODE (>|>=|<|<=) NUMBER | CODE in (top|bottom) N% | purpose [public-service] "TEXT"
 *  where conditions may also be joined by `and` within one statement. Errors: SOL_EPARSE with
 *  err->where "rule:LINE:COL" and what was expected; SOL_ELIMIT over SOL_MAX_RULE bytes or
 *  SOL_AUD_MAX_COND conditions; SOL_ENOMEM. *out set only on success. */
#define SOL_MAX_RULE       8192
#define SOL_AUD_MAX_COND   16
#define SOL_AUD_MAX_WITHIN 64
SOL_API sol_status sol_aud_rule_parse(const char *text, sol_aud_rule **out, sol_error *err);

/** The same rule as a JSON object: {"level", "within": [..], "period", "conditions":
 *  [{"indicator", "op": ">"|">="|"<"|"<="|"top"|"bottom", "value"}], "people", "share",
 *  "purpose", "public_service"}. Errors: SOL_EPARSE naming the member ("rule.conditions[1].op"
 *  in err->where), SOL_ELIMIT, SOL_ENOMEM. */
SOL_API sol_status sol_aud_rule_from_json(const char *json, sol_aud_rule **out, sol_error *err);

/** The rule in its canonical text form (what sol_aud_rule_parse reads back to the same rule),
 *  into *out (free with sol_free). SOL_ENOMEM. */
SOL_API sol_status sol_aud_rule_text(const sol_aud_rule *r, char **out, sol_error *err);

/** The rule as compact JSON (the form sol_aud_rule_from_json reads), into *out (sol_free). */
SOL_API sol_status sol_aud_rule_json(const sol_aud_rule *r, char **out, sol_error *err);

/** NULL is a no-op. */
SOL_API void sol_aud_rule_free(sol_aud_rule *r);

/** The type-7 quantile (R's default, Hyndman and Fan 1996) of `sorted` (n >= 1 values in
 *  ascending order) at probability p in [0, 1]: h = (n - 1) p, x[floor h] + (h - floor h)
 *  (x[floor h + 1] - x[floor h]). NaN when n is 0. */
SOL_API double sol_aud_quantile7(const double *sorted, size_t n, double p);

/* ---- evaluation -------------------------------------------------------------------------- */

/** The values the rule is evaluated on, over n areas in scope (of the rule's level and within its
 *  areas). Borrowed. NaN is a missing value; a withheld flag (1) marks a value withheld from the
 *  public (a small count or a figure computed from one): such an area is never selected, and it
 *  takes no part in the quantiles. */
typedef struct sol_aud_data {
    size_t n;
    const double *const *cond_value;           /* [rule->n_cond][n] */
    const unsigned char *const *cond_withheld; /* [rule->n_cond][n], or NULL (none withheld) */
    const double *people, *people_se;          /* people_se may be NULL (no SE) */
    const unsigned char *people_withheld;      /* may be NULL */
    const double *share, *share_se;            /* NULL when the rule has no share */
    const unsigned char *share_withheld;       /* may be NULL */
    double share_scale; /* what a share value is multiplied by: 0.01 for a percentage, 1 */
} sol_aud_data;

/** An area's state after evaluation. */
typedef enum sol_aud_state {
    SOL_AUD_SELECTED = 0, /* meets every condition; people estimated */
    SOL_AUD_NOT_MET,      /* fails a condition */
    SOL_AUD_MISSING,      /* an indicator of the rule has no value there */
    SOL_AUD_WITHHELD      /* a value the rule needs is withheld from the public there */
} sol_aud_state;

/** Which interval the people estimate carries. */
typedef enum sol_aud_interval {
    SOL_AUD_EXACT = 0,  /* no standard error: the count is taken as exact */
    SOL_AUD_FROM_SHARE, /* from the share's standard error */
    SOL_AUD_FROM_COUNT  /* from the count's standard error */
} sol_aud_interval;

/** The outcome over the n areas. Owned; free with sol_aud_eval_free. */
typedef struct sol_aud_eval {
    size_t n;
    unsigned char *state;     /* sol_aud_state per area */
    unsigned char *interval;  /* sol_aud_interval per area */
    double *est, *low, *high; /* people reached and its 95% interval; NaN unless selected */
    double *se;               /* the estimate's standard error (0 when exact); NaN unless
                                 selected */
    double *cut;              /* n_cond: the quantile a top/bottom condition compares with (NaN
                                 for a plain threshold, or when no area has a public value) */
    size_t n_cond;
    size_t n_selected, n_not_met, n_missing, n_withheld;
    double total, total_low, total_high; /* the sum, its interval from independent errors */
} sol_aud_eval;

/** Evaluate `r` on `d`: an area is selected when every condition holds on public values; its
 *  people = count x share x share_scale (or the count), se = count x share_se x scale when the
 *  share has one, else share x scale x count_se when the count has one, else 0; the interval
 *  est -+ z se cut to [0, count] (to [0, +inf) without a share). The total's se is the square
 *  root of the sum of squares (areas' errors taken as independent). Errors: SOL_EINVAL (data
 *  that do not match the rule), SOL_ENOMEM. */
SOL_API sol_status sol_aud_evaluate(const sol_aud_rule *r, const sol_aud_data *d,
                                    sol_aud_eval **out, sol_error *err);
SOL_API void sol_aud_eval_free(sol_aud_eval *e);

/* ---- k: the minimum cell size ------------------------------------------------------------ */

/** A published cell: people rounded to whole persons (round half away from zero). */
SOL_API int64_t sol_aud_cell(double people);

/** One audience as cells by area: n area codes (any order, unique) and their people. Borrowed. */
typedef struct sol_aud_cells {
    size_t n;
    const char *const *code;
    const double *people;
} sol_aud_cells;

/** What a combination of two audiences would reveal below k. */
typedef struct sol_aud_breach {
    const char *area; /* the area (borrowed from the cells), or NULL for the totals */
    int64_t cell;     /* the cell revealed: 0 < cell < k */
    int kind;         /* 1: |a - b| in an area both select; 2: |total a - total b| */
} sol_aud_breach;

/** The check of a new audience `a` against an existing one `b` (docs/outreach.md): for each area
 *  selected by both, the difference of their cells |a_i - b_i| (the people in one and not in the
 *  other when one group holds the other), and the difference of their totals; each must be 0 or
 *  at least k. Cells of areas selected by only one of them are that audience's own cells (checked
 *  against k on their own), and an intersection min(a_i, b_i) is one of them. Returns how many
 *  breaches; the first (smallest cell) in *first (may be NULL). Cells compared as sol_aud_cell. */
SOL_API size_t sol_aud_pair_check(const sol_aud_cells *a, const sol_aud_cells *b, int64_t k,
                                  sol_aud_breach *first);

/* ---- special categories (GDPR art. 9) ---------------------------------------------------- */

/** Is an indicator of a special category (health, religion, ethnic origin, political opinion,
 *  trade-union membership, sexual orientation, genetic or biometric data)? 1 when its dimension
 *  names one (health, salute, santé, ...), when its code or label holds a keyword of the list
 *  in docs/outreach.md (case-insensitive), or when its code is in `extra` (codes separated by
 *  commas or blanks; may be NULL). *why (may be NULL) gets a static English phrase ("dimension
 *  health", "keyword 'religio'", "listed in audience.special"). */
SOL_API int sol_aud_special(const char *code, const char *label, const char *dimension,
                            const char *extra, const char **why);

/* ---- non-take-up -------------------------------------------------------------------------- */

/** Per area: eligible people (estimate and se; se 0 or NaN: exact) against people receiving
 *  (counts taken as exact). Borrowed. */
typedef struct sol_takeup_data {
    size_t n;
    const double *eligible, *eligible_se;
    const double *receiving;
} sol_takeup_data;

/** Outcome. Owned; free with sol_takeup_result_free. */
typedef struct sol_takeup_result {
    size_t n;
    double *gap, *gap_low, *gap_high; /* eligible - receiving, 95% interval from the eligible SE */
    double *rate, *rate_low, *rate_high; /* receiving / eligible, interval from the eligible's */
    size_t *rank;  /* 1 = largest gap; areas with a missing value ranked last (rank 0) */
    int *sure;     /* 1: the whole gap interval is above 0 (more eligible than receiving) */
    size_t *order; /* area indices by rank */
    double total_gap, total_gap_low, total_gap_high;
} sol_takeup_result;

/** Gaps, rates and ranking: by gap descending, ties broken by the lower bound of the gap
 *  (higher first), then by index (the caller passes areas ordered by code). Errors: SOL_ENOMEM. */
SOL_API sol_status sol_takeup_compute(const sol_takeup_data *d, sol_takeup_result **out,
                                      sol_error *err);
SOL_API void sol_takeup_result_free(sol_takeup_result *r);

#ifdef __cplusplus
}
#endif
#endif
