/* solidata/decide.h - what to fund first: options with a cost, the areas and groups they reach
 * and their expected effect on index dimensions; multi-criteria rankings (weighted sum, TOPSIS)
 * with weights people set; a budget allocation as an integer programme (GLPK); and the reasons.
 * The system ranks and explains; people decide.
 * Thread safety: reentrant (results belong to the caller, nothing is global); GLPK is called with
 * its own problem object per call. */
#ifndef SOL_DECIDE_H
#define SOL_DECIDE_H

#include <solidata/evaluate.h>
#include <solidata/status.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sol_option {
    char *name;
    double cost;
    size_t n_areas;
    char **areas; /* area codes reached */
    size_t n_groups;
    char **groups;   /* population groups served */
    char *exclusive; /* options sharing this label exclude each other; NULL = none */
    double *effect;  /* n_dims expected effects on index dimensions (0 when not stated) */
} sol_option;

/** A prioritisation problem. Owned; free with sol_options_free. */
typedef struct sol_options {
    size_t n, n_dims;
    sol_option *opt;
    char **dims; /* dimension names */
    size_t n_need;
    char **need_area;
    double *need; /* need of each area (e.g. an index score); areas not listed have need 1 */
    size_t n_min;
    char **min_area;
    int *min_count; /* at least min_count chosen options must reach min_area */
    int has_budget;
    double budget;
} sol_options;

/** Options from a table with columns option, cost, areas ('|'-separated codes), and optionally
 *  groups ('|'-separated), exclusive, and effect:<dimension> columns (numbers).
 *  Errors name file:line:col (SOL_ETYPE, SOL_EINVAL for a negative cost, SOL_ENOTFOUND for a
 *  missing column). */
SOL_API sol_status sol_options_from_table(const sol_dtable *t, sol_options **out, sol_error *err);
/** Options from JSON: {"options": [{"name", "cost", "areas": [], "groups": [], "exclusive",
 *  "effects": {dim: x}}], "need": {area: x}, "area_min": {area: n}, "budget": B}. */
SOL_API sol_status sol_options_parse_json(const char *txt, size_t len, sol_options **out,
                                          sol_error *err);
SOL_API void sol_options_free(sol_options *o);
/** Set the need of an area (replacing an earlier value). SOL_EINVAL for a negative need. */
SOL_API sol_status sol_options_set_need(sol_options *o, const char *area, double need,
                                        sol_error *err);
/** Require at least `count` chosen options reaching `area`. */
SOL_API sol_status sol_options_set_min(sol_options *o, const char *area, int count, sol_error *err);

/** The criteria, in order: each dimension (benefit), "reach" (need-weighted areas reached,
 *  benefit), "groups" (groups served, benefit), "cost" (lower is better). */
SOL_API size_t sol_prioritise_ncriteria(const sol_options *o);
/** Criterion name i. Borrowed: valid while `o` lives. */
SOL_API const char *sol_prioritise_criterion(const sol_options *o, size_t i);
/** Parse "family=0.5,cost=0.2" into ncriteria weights (unnamed ones 0). SOL_EINVAL for an unknown
 *  criterion, a negative weight, or weights that do not sum to a positive number. */
SOL_API sol_status sol_prioritise_weights_parse(const sol_options *o, const char *spec, double *w,
                                                sol_error *err);

typedef struct sol_sensitivity {
    char *criterion; /* a dimension (the weights that move the allocation) */
    double weight;   /* its normalised weight now */
    double lo, hi;   /* the allocation is unchanged for weights in [lo, hi] (others rescaled) */
    int lo_changes, hi_changes; /* 1 when moving past lo / hi changes the choice */
} sol_sensitivity;

typedef struct sol_prioritise_result {
    size_t n_options, n_criteria;
    double *weights;                 /* normalised, n_criteria */
    double *matrix;                  /* n_options x n_criteria raw criteria values */
    double *wsum, *topsis;           /* scores */
    size_t *rank_wsum, *rank_topsis; /* 1 = best */
    char **why;                      /* per option: the criteria that carry its score */
    int allocated;                   /* 1 when a budget was given */
    double budget, used, objective;
    int *chosen;       /* per option 0/1 */
    double *benefit;   /* need-weighted expected benefit per option */
    char **choice_why; /* per option: why chosen or not */
    size_t n_binding;
    char **binding; /* which constraints bind, in words */
    size_t n_sens;
    sol_sensitivity *sens;
} sol_prioritise_result;

/** Rank the options (weights: ncriteria non-negative numbers with a positive sum, or NULL for
 *  equal weights) and, when o->has_budget, allocate the budget: maximise sum of benefit_i x_i,
 *  benefit_i = (need of the areas option i reaches) x (its effects weighted by the dimension
 *  weights), subject to cost <= budget, per-area minimums and mutually exclusive options, x
 *  binary (GLPK branch-and-cut). Each dimension weight's range of no change is found by
 *  re-solving. Errors: SOL_EINVAL (bad weights; an infeasible budget: the message gives the
 *  smallest feasible budget, also in *min_budget when not NULL), SOL_ENUMERIC (GLPK),
 *  SOL_ELIMIT, SOL_ENOMEM. */
SOL_API sol_status sol_prioritise(const sol_options *o, const double *weights,
                                  sol_prioritise_result **out, double *min_budget, sol_error *err);
SOL_API void sol_prioritise_result_free(sol_prioritise_result *r);

/** The allocation problem alone: maximise sum benefit_i x_i under the constraints of `o` with
 *  the given budget; chosen gets n 0/1 values. SOL_EINVAL when infeasible. */
SOL_API sol_status sol_decide_allocate(const sol_options *o, const double *benefit, double budget,
                                       int *chosen, double *objective, sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
