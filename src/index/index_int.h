/* index_int.h - internals shared by the files of src/index/ (not installed). */
#ifndef SOL_INDEX_INT_H
#define SOL_INDEX_INT_H

#include <solidata/index.h>

#include <stddef.h>
#include <stdint.h>

/* The spec resolved against a frame: scored rows, columns, dimensions, reference values. */
typedef struct idx_prep {
    size_t n;           /* scored rows */
    size_t m;           /* indicators of the spec */
    size_t nd;          /* dimensions */
    size_t *row;        /* n: frame row of each scored row */
    size_t *col;        /* m: frame column of each indicator */
    int *pol;           /* m: +1 / -1 */
    size_t *dim;        /* m: dimension of each indicator */
    size_t *dstart;     /* nd + 1: members of dimension d are dmem[dstart[d] .. dstart[d+1]) */
    size_t *dmem;       /* m */
    char **dname;       /* nd, borrowed from the spec */
    const char **icode; /* m indicator codes, borrowed from the spec */
    double *raw;    /* n * m raw values of the scored rows (winsorised when asked), NaN missing */
    double *refval; /* m: value of the reference area (SOL_REF_AREA) or spec ref (VALUE) */
    size_t *group;  /* n: period group of each scored row */
    size_t n_groups;
    double minmax_lo, minmax_hi;
    sol_index_refkind ref_kind;
} idx_prep;

void sol__index_prep_free(idx_prep *p);

/* Impute missing values of p->raw into x (n * m) by method `mm`; NaN stay for REWEIGHT. When
 * n_imp is not NULL, n_imp[i] counts the values of row i imputed or left out. */
sol_status sol__index_impute(const idx_prep *p, sol_index_missing mm, double *x, size_t *n_imp,
                             sol_error *err);
/* Normalise x (n * m, NaN kept) into z by method `nm` with the polarities of p. */
sol_status sol__index_normalise(const idx_prep *p, sol_index_norm nm, const double *x, double *z,
                                sol_error *err);
/* Aggregate z (or its logs lz, needed for SOL_AGG_GEOM, may be NULL otherwise) with indicator
 * weights w (sum 1 per dimension) and dimension weights v (sum 1). dscore (n * nd) may be NULL
 * only when ws (nd doubles) is given as scratch. penalty: -1 or +1. */
void sol__index_aggregate(const idx_prep *p, sol_index_agg agg, int penalty, const double *z,
                          const double *lz, const double *w, const double *v, double *dscore,
                          double *score, double *ws);
/* Rank scores within period groups: 1 = highest, ties averaged, NaN scores get NaN.
 * ws: 2n scratch pairs. */
typedef struct idx_pair {
    double s;
    uint32_t i;
} idx_pair;
void sol__index_rank(const idx_prep *p, const double *score, double *rank, idx_pair *ws);

/* Skewness and excess kurtosis as Excel SKEW/KURT over the non-NaN values of column j. */
void sol__index_moments(const double *x, size_t n, size_t stride, double *skew, double *kurt);
/* JRC rule on column j of p->raw in place; returns the number of values winsorised. */
size_t sol__index_winsorise(idx_prep *p, size_t j);

/* Data-driven weights of the columns of z (n * k, row stride `stride`, columns listed in cols).
 * PCA: squared loadings of the first PC of the correlation matrix. FA: OECD/JRC factor method.
 * w gets k weights summing to 1. Rows with a NaN in any column are left out. */
sol_status sol__index_data_weights(const double *z, size_t n, size_t stride, const size_t *cols,
                                   size_t k, sol_index_weighting how, double *w, sol_error *err);
/* Eigenvalues (descending) of the correlation matrix of the columns, as shares of k. */
sol_status sol__index_pca_explained(const double *z, size_t n, size_t stride, size_t k,
                                    double *share, sol_error *err);
/* Pearson correlations (k x k into out) over the rows complete in the k columns. */
sol_status sol__index_corr(const double *z, size_t n, size_t stride, size_t k, double *out,
                           sol_error *err);
/* Kaiser's varimax as R's stats::varimax(normalize = TRUE, eps): L is p x q row-major, in place. */
sol_status sol__index_varimax(double *L, size_t p, size_t q, double eps, sol_error *err);

/* Monte Carlo over the uncertain choices of s; fills rank_median/lo/hi and sensitivity of r. */
sol_status sol__index_mc(const idx_prep *p, const sol_index_spec *s, const double *w_base,
                         const double *v_base, const double *rank_base, sol_index_result *r,
                         sol_error *err);

/* RNG: splitmix64 seeding xoshiro256**, one stream per (seed, replication). */
typedef struct idx_rng {
    uint64_t s[4];
} idx_rng;
void sol__index_rng_seed(idx_rng *g, uint64_t seed, uint64_t stream);
uint64_t sol__index_rng_next(idx_rng *g);
double sol__index_rng_unif(idx_rng *g); /* [0, 1) with 53 bits */

#endif
