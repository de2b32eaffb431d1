/* stats_int.h - internals shared by the survey estimators: the design workspace that turns
 * linearised scores into stratified, clustered variances, and a stable radix sort by value. */
#ifndef SOL_STATS_INT_H
#define SOL_STATS_INT_H

#include <solidata/stats.h>

#include <stddef.h>
#include <stdint.h>

/* Design workspace: PSUs numbered within strata, PSU counts per stratum, scratch totals. */
typedef struct sol__design_ws {
    const sol_design *d;
    size_t n_units;     /* PSUs (rows when the design has none) */
    size_t n_strata;    /* >= 1 */
    uint32_t *unit;     /* per row: PSU number (NULL when every row is its own PSU) */
    uint32_t *unit_str; /* per PSU: stratum (NULL when every row is its own PSU) */
    double *n_h;        /* per stratum: number of PSUs */
    size_t lonely;      /* strata with a single PSU */
    size_t k;           /* statistics per call (scratch sized for it) */
    double *tot;        /* n_units * k unit totals (NULL without PSUs) */
    unsigned char *seen;
    uint32_t *touched;
    double *s1, *s2; /* n_strata * k */
    size_t nt;       /* PSUs touched since sol__design_var_begin */
    int owner;       /* 0 for a clone: unit, unit_str and n_h belong to the original */
} sol__design_ws;

/* Prepare the design for variances of up to k statistics at once. SOL_EINVAL for a lonely PSU
 * under SOL_LONELY_FAIL (naming the stratum), SOL_ENOMEM. */
sol_status sol__design_new(const sol_design *d, size_t k, sol__design_ws **out, sol_error *err);
void sol__design_free(sol__design_ws *w);
/* Variances of k linearised statistics: z holds, for each of the m rows listed in `rows` (row
 * numbers of the sample), its k weighted scores w_i * u_i (row-major, m x k); rows not listed
 * score 0. var[s] = sum_h n_h/(n_h-1) sum_i (z_hi - zbar_h)^2 over the PSU totals z_hi (with-
 * replacement, as R survey's svyrecvar without fpc); a lonely PSU as the design says. */
void sol__design_var(sol__design_ws *w, const uint32_t *rows, size_t m, const double *z,
                     double *var);
/* The same in pieces, so scores can be made and added a block at a time: begin, add (any number
 * of times; a row may appear in one block only), end. */
void sol__design_var_begin(sol__design_ws *w);
void sol__design_var_add(sol__design_ws *w, const uint32_t *rows, size_t m, const double *z);
void sol__design_var_end(sol__design_ws *w, double *var);
/* For a linearised statistic b known on every row (z: n weighted scores, row order), what a
 * domain needs to add b's share to its own variance without a pass over the whole sample:
 * bc[u] (one per PSU, or per row without PSUs) = f_h (B_u - centre_h), with B_u the unit total,
 * f_h = n_h/(n_h-1) and centre_h the stratum mean (f 1 and centre 0 for a lonely PSU under
 * ADJUST; 0 under REMOVE), so that cov(a, b) = sum over a's rows of a_i bc[unit(i)]; *var gets
 * V(b). z is taken, whatever the outcome: without PSUs it becomes *bc (one fewer array of n
 * doubles on fresh memory), else it is freed. *bc is the caller's (free with sol__free).
 * SOL_ENOMEM. */
sol_status sol__design_centred_units_take(const sol__design_ws *w, double *z, double **bc,
                                          double *var);
/* The unit (PSU number, or the row itself without PSUs) of a row. */
static inline size_t sol__design_unit(const sol__design_ws *w, size_t row)
{
    return w->unit ? w->unit[row] : row;
}
/* A workspace sharing w's design but with its own scratch, for another thread; free it (before
 * w) with sol__design_free. SOL_ENOMEM. */
sol_status sol__design_clone(const sol__design_ws *w, sol__design_ws **out);

/* A sample item: value, weight, domain, row. */
typedef struct sol__item {
    double x, w;
    uint32_t d, row;
} sol__item;

/* Stable sort of items by x ascending (LSD radix over the IEEE bits); tmp has n items.
 * SOL_ENOMEM when the digit counters cannot be allocated. */
sol_status sol__items_sort(sol__item *a, sol__item *tmp, size_t n);

/* 1 when the microdata was read by the parallel (mapped) path, 0 by the streaming reader.
 * SOL_MICRODATA_STREAM=1 in the environment forces the streaming reader (tests compare both). */
int sol__microdata_fast(const sol_microdata *md);

/* -?digits[.digits] with at most 15 significant digits, exactly as strtod rounds it: 0; -1 for
 * any other text (then use sol__parse_double). */
int sol__quick_number(const char *s, size_t len, double *out);

#endif
