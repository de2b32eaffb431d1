/* solidata/index.h - composite indices of well-being or deprivation: normalise, weight, aggregate,
 * rank; missing values, outliers, data-driven weights, Monte Carlo rank intervals, sensitivity,
 * statistical checks and a plain-language profile of each area. Methods are in docs/index.md.
 * Thread safety: reentrant on distinct specs and results; a spec is read-only during a run; Monte
 * Carlo draws use one stream per replication, so results do not depend on the thread count. */
#ifndef SOL_INDEX_H
#define SOL_INDEX_H

#include <solidata/status.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the input frame ----------------------------------------------------------------------- */

/** Areas x periods x indicators, borrowed from the caller for the duration of one call.
 *  Row r is one area at one period; `x[r * n_ind + j]` is indicator j there (NaN = missing). */
typedef struct sol_index_frame {
    size_t n_rows;
    size_t n_ind;
    const char *const *area;     /* n_rows area codes */
    const char *const *period;   /* n_rows period labels, or NULL when there is one period */
    const char *const *ind_code; /* n_ind indicator codes (column names) */
    const double *x;             /* n_rows * n_ind, row-major */
    const char *const *name;     /* n_rows display names for the profile sentences, or NULL
                                    (entries may be NULL) */
} sol_index_frame;

/* ---- the spec -------------------------------------------------------------------------------- */

typedef enum sol_index_norm {
    SOL_NORM_NONE = 0, /* raw values (polarity must be +1) */
    SOL_NORM_MINMAX,   /* lo + (hi-lo)(x-min)/(max-min); reversed for polarity -1 */
    SOL_NORM_ZSCORE,   /* p (x-mean)/sd, sample sd (R scale()) */
    SOL_NORM_RANK,     /* rank of p x among all scored rows, ties averaged (R rank()) */
    SOL_NORM_DISTREF,  /* 100 (1 + p (x-ref)/|ref|): distance to a reference area or value */
    SOL_NORM_MP,       /* Mazziotta-Pareto: 100 + 10 p (x-mean)/sigma, population sigma */
    SOL_NORM_AMP       /* adjusted MP with goalposts: 100 + 60 p (x-ref)/(max-min) */
} sol_index_norm;

typedef enum sol_index_agg {
    SOL_AGG_ARITH = 0, /* weighted arithmetic mean */
    SOL_AGG_GEOM,      /* weighted geometric mean (values must be > 0) */
    SOL_AGG_MPI        /* Mazziotta-Pareto: M + penalty * S * cv (AMPI when norm is AMP) */
} sol_index_agg;

typedef enum sol_index_weighting {
    SOL_WEIGHT_EQUAL = 0, /* equal weights */
    SOL_WEIGHT_HUMAN,     /* weights set by people (spec weights; who/when in the card) */
    SOL_WEIGHT_PCA,       /* squared loadings of the first principal component (correlations) */
    SOL_WEIGHT_FA         /* OECD/JRC: PC factors with eigenvalue > 1, varimax, squared loadings */
} sol_index_weighting;

typedef enum sol_index_missing {
    SOL_MISS_FAIL = 0, /* any missing value is an error */
    SOL_MISS_REWEIGHT, /* leave out and re-weight the others within the dimension */
    SOL_MISS_MEAN,     /* mean of the indicator over all rows */
    SOL_MISS_MEDIAN,   /* median of the indicator over all rows */
    SOL_MISS_REGRESS   /* OLS on the indicators that are complete */
} sol_index_missing;

typedef enum sol_index_refkind {
    SOL_REF_MEAN = 0, /* the mean over all scored rows */
    SOL_REF_AREA,     /* an area (at a period, when given); its rows are not scored */
    SOL_REF_VALUE     /* a value per indicator (sol_index_ind.ref) */
} sol_index_refkind;

/** Uncertain choices a Monte Carlo run draws from (bit set in sol_index_spec.mc_factors). */
enum {
    SOL_MC_NORM = 1u << 0,    /* normalisation drawn from mc_norm[] */
    SOL_MC_AGG = 1u << 1,     /* aggregation drawn from mc_agg[] */
    SOL_MC_WEIGHTS = 1u << 2, /* each weight with a range drawn uniformly in [lo, hi] */
    SOL_MC_MISSING = 1u << 3  /* imputation drawn from mc_missing[] */
};

#define SOL_INDEX_MAX_ALT 8

typedef struct sol_index_ind {
    char *code;    /* owned by the spec */
    char *dim;     /* dimension name, owned; its own code when the spec gave none (in store
                      mode the store's dimension then replaces it) */
    int polarity;  /* +1 higher is better, -1 higher is worse; 0 = not given (an error at run
                      time; in store mode the store's polarity fills it first) */
    double weight; /* human weight within its dimension (NaN = not set) */
    double w_lo;   /* Monte Carlo range of the weight (NaN = fixed) */
    double w_hi;
    double ref; /* reference value for SOL_REF_VALUE (NaN = not set) */
} sol_index_ind;

typedef struct sol_index_dim {
    char *name;    /* owned */
    double weight; /* human weight of the dimension (NaN = not set) */
    double w_lo;   /* Monte Carlo range (NaN = fixed) */
    double w_hi;
} sol_index_dim;

/** A full index spec. Create with sol_index_spec_new() (defaults below) or parse JSON; fill the
 *  plain fields directly; add indicators and dimensions with the functions below, which copy
 *  strings. Not thread-safe while being filled; read-only during a run. */
typedef struct sol_index_spec {
    size_t n_ind;
    sol_index_ind *ind;
    size_t n_dim;
    sol_index_dim *dim;
    sol_index_norm norm;             /* default SOL_NORM_MP */
    sol_index_agg agg;               /* default SOL_AGG_MPI */
    int penalty;                     /* -1 (default): M - S cv (higher is better); +1: M + S cv */
    double minmax_lo, minmax_hi;     /* default 0, 1 */
    sol_index_weighting ind_weights; /* within dimensions; default equal */
    sol_index_weighting dim_weights; /* across dimensions; default equal */
    char *weights_by;                /* who set human weights (owned, may be NULL) */
    char *weights_on;                /* when (owned, may be NULL) */
    sol_index_missing missing;       /* default SOL_MISS_FAIL */
    int winsorise;                   /* 1: JRC rule |skew| > 2 and kurtosis > 3.5, up to 5 values */
    sol_index_refkind ref_kind;      /* default SOL_REF_MEAN */
    char *ref_area;                  /* owned, for SOL_REF_AREA */
    char *ref_period;                /* owned, may be NULL: every period of ref_area is reference */
    /* Monte Carlo (mc_reps = 0: none) */
    size_t mc_reps;
    uint64_t seed;
    unsigned mc_factors; /* SOL_MC_* bits */
    size_t n_mc_norm, n_mc_agg, n_mc_missing;
    sol_index_norm mc_norm[SOL_INDEX_MAX_ALT];
    sol_index_agg mc_agg[SOL_INDEX_MAX_ALT];
    sol_index_missing mc_missing[SOL_INDEX_MAX_ALT];
    /* store mode: the periods to read (none: the latest period every indicator has) */
    size_t n_periods;
    char **periods; /* owned */
} sol_index_spec;

/** New empty spec with the defaults above. *out set only on success. SOL_ENOMEM. */
SOL_API sol_status sol_index_spec_new(sol_index_spec **out);
/** Free a spec and everything it owns. NULL is a no-op. */
SOL_API void sol_index_spec_free(sol_index_spec *s);
/** Append an indicator (strings copied; `dim` NULL = its own dimension named after `code`).
 *  weight NaN = not set. SOL_ENOMEM, SOL_ELIMIT (over SOL_MAX_INDEX_INDICATORS). */
SOL_API sol_status sol_index_spec_add_ind(sol_index_spec *s, const char *code, const char *dim,
                                          int polarity, double weight);
/** Declare a dimension with a human weight (NaN = not set). Indicators name dimensions that
 *  need not be declared; a declared dimension without indicators is an error at run time. */
SOL_API sol_status sol_index_spec_add_dim(sol_index_spec *s, const char *name, double weight);
/** Append a period to read in store mode (copied). SOL_ENOMEM, SOL_ELIMIT. */
SOL_API sol_status sol_index_spec_add_period(sol_index_spec *s, const char *period);
/** Set a string field of the spec (copied): `field` is one of "ref_area", "ref_period",
 *  "weights_by", "weights_on", or "periods" (a comma-separated list replacing the periods; NULL
 *  clears them). SOL_EINVAL for another name, SOL_ENOMEM, SOL_ELIMIT. */
SOL_API sol_status sol_index_spec_set(sol_index_spec *s, const char *field, const char *value);

/** Parse a JSON spec (format in docs/index.md). Unknown keys, wrong types and unknown method
 *  names are SOL_EPARSE with the key path in err. An indicator without "polarity" is parsed
 *  with polarity 0 (the store may state it; otherwise sol_index_run refuses it). Weights given
 *  on indicators (dimensions) switch that level to human weighting unless "weights" names
 *  another method. *out set only on success. */
SOL_API sol_status sol_index_spec_parse_json(const char *json, size_t len, sol_index_spec **out,
                                             sol_error *err);
/** The spec as JSON text in the format sol_index_spec_parse_json reads (parsing it gives the
 *  same spec back). *out is freed with sol_free(). SOL_ENOMEM. */
SOL_API sol_status sol_index_spec_json(const sol_index_spec *s, char **out, sol_error *err);

/** Parse a method name ("minmax", "zscore", "rank", "distref", "mp", "amp", "none"; "arith",
 *  "geometric", "mpi"; "equal", "human", "pca", "fa"; "fail", "reweight", "mean", "median",
 *  "regression"). SOL_OK, or SOL_EINVAL (and *out unchanged) for an unknown name. */
SOL_API sol_status sol_index_norm_parse(const char *name, sol_index_norm *out);
SOL_API sol_status sol_index_agg_parse(const char *name, sol_index_agg *out);
SOL_API sol_status sol_index_weighting_parse(const char *name, sol_index_weighting *out);
SOL_API sol_status sol_index_missing_parse(const char *name, sol_index_missing *out);
SOL_API const char *sol_index_norm_name(sol_index_norm n);
SOL_API const char *sol_index_agg_name(sol_index_agg a);
SOL_API const char *sol_index_weighting_name(sol_index_weighting w);
SOL_API const char *sol_index_missing_name(sol_index_missing m);

/* ---- the result ---------------------------------------------------------------------------- */

/** Result of one run. Read-only for the caller; every array is owned by the result and valid
 *  until sol_index_result_free(). Rows are the scored rows (reference rows left out), in input
 *  order; `row[i]` is the input row index. */
typedef struct sol_index_result {
    size_t n_rows, n_dim, n_ind;
    size_t *row;         /* n_rows input row indices */
    const char **area;   /* n_rows, borrowed from the frame: valid while the frame is */
    const char **period; /* n_rows, borrowed, or NULL */
    double *score;       /* n_rows */
    double *rank;        /* n_rows, 1 = highest score within the period, ties averaged */
    double *dim_score;   /* n_rows * n_dim */
    char **dim_name;     /* n_dim */
    double *dim_weight;  /* n_dim, used (sums to 1) */
    double *ind_weight;  /* n_ind, within the dimension (sums to 1 per dimension) */
    size_t *ind_dim;     /* n_ind: dimension of each spec indicator */
    double *norm;        /* n_rows * n_ind normalised values (after imputation/winsorising) */
    /* missing values and outliers */
    size_t *n_imputed;    /* n_rows: values imputed (or left out when re-weighting) */
    size_t *n_winsorised; /* n_ind: values winsorised by the JRC rule */
    double *skewness;     /* n_ind, before treatment (sample-adjusted, as Excel SKEW) */
    double *kurtosis;     /* n_ind, excess, before treatment (as Excel KURT) */
    /* statistical checks */
    double *corr;          /* n_ind * n_ind Pearson correlations of polarity-signed values */
    double *alpha;         /* n_dim Cronbach's alpha (NaN for one indicator) */
    double *pca_explained; /* n_ind shares of variance of the correlation matrix's PCs */
    size_t n_warnings;
    char **warnings; /* plain English, one per problem found */
    /* Monte Carlo (NULL when mc_reps = 0) */
    size_t mc_reps;
    double *rank_median; /* n_rows */
    double *rank_lo;     /* n_rows, 5th percentile */
    double *rank_hi;     /* n_rows, 95th percentile */
    size_t n_factors;
    char **factor_name;  /* n_factors */
    double *sensitivity; /* n_factors first-order indices of the mean absolute rank shift */
    /* profile */
    long *strength;  /* n_rows: dimension pushing the area up most (-1: none) */
    long *weakness;  /* n_rows: dimension pulling it down most (-1: none) */
    char **sentence; /* n_rows plain sentences, in the language of the thread that ran it */
} sol_index_result;

/** Compute the index of `f` under `s`. Every check of the spec against the data happens before
 *  any work (unknown indicator, empty dimension, bad weights, missing polarity, unknown reference,
 *  zero variance, geometric mean of non-positive values): SOL_EINVAL / SOL_ENOTFOUND with a
 *  message naming the culprit. Monte Carlo uses OpenMP; results are identical for a seed whatever
 *  the number of threads. *out set only on success. Thread-safe for distinct outputs. */
SOL_API sol_status sol_index_run(const sol_index_frame *f, const sol_index_spec *s,
                                 sol_index_result **out, sol_error *err);
/** Free a result. NULL is a no-op. */
SOL_API void sol_index_result_free(sol_index_result *r);

/** The result as JSON text: {"rows": [{id, name?, period?, score, rank, dimensions, rank_median,
 *  rank_interval_90, n_imputed, strength, weakness, profile}], "method_card": {...}}.
 *  `names` (may be NULL) gives a display name per frame row (entries may be NULL). *out is
 *  freed with sol_free(). */
SOL_API sol_status sol_index_result_json(const sol_index_spec *s, const sol_index_result *r,
                                         const char *const *names, char **out, sol_error *err);

/** The method card of a run as JSON text (methods, weights with who/when, treatments, checks).
 *  *out is freed with sol_free(). */
SOL_API sol_status sol_index_card_json(const sol_index_spec *s, const sol_index_result *r,
                                       char **out, sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
