/* solidata/spatial.h - spatial weights (contiguity, k nearest neighbours, distance band) and the
 * statistics built on them: global Moran's I, local Moran (LISA), local Getis-Ord Gi / Gi*.
 * Checked against R spdep (see docs/spatial.md and tests/data/spatial_*).
 * Thread safety: reentrant (no shared state); permutation loops give the same results on any
 * thread count. */
#ifndef SOL_SPATIAL_H
#define SOL_SPATIAL_H

#include <solidata/geo.h>
#include <solidata/status.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- weights ------------------------------------------------------------------------------ */

/** Sparse spatial weights in compressed-row form. Row i lists the neighbours of area i:
 *  col[rowptr[i] .. rowptr[i+1]) (sorted ascending, never i itself unless `self_included`) with
 *  weights w[...]. An area with an empty row is an island (no neighbour). Everything is owned by
 *  the structure; free with sol_weights_free. Read-only after construction: safe to share between
 *  threads. */
typedef struct sol_weights {
    size_t n;          /* areas */
    size_t *rowptr;    /* n + 1 offsets into col / w */
    size_t *col;       /* neighbour indices, rowptr[n] of them */
    double *w;         /* weights, rowptr[n] of them */
    char **ids;        /* n area codes (copies) */
    char style;        /* 'B' binary, 'W' row-standardised, 'U' user-given (read from a file) */
    int self_included; /* 1 when every area lists itself (Gi*); 0 otherwise */
} sol_weights;

typedef enum sol_weights_kind {
    SOL_WEIGHTS_QUEEN = 0, /* polygons sharing at least one vertex (within snap) */
    SOL_WEIGHTS_ROOK,      /* polygons sharing at least one edge (both ends within snap) */
    SOL_WEIGHTS_KNN,       /* k nearest centroids (not symmetric) */
    SOL_WEIGHTS_BAND       /* centroids within a distance (km for lon/lat) */
} sol_weights_kind;

/** What to do with areas that have no neighbour. */
typedef enum sol_islands {
    SOL_ISLANDS_ERROR = 0, /* fail with SOL_EGEO naming them (default) */
    SOL_ISLANDS_KEEP       /* keep them with an empty row: spatial lag 0 (spdep zero.policy=TRUE) */
} sol_islands;

/** Default snapping tolerance in coordinate units: sqrt(DBL_EPSILON), as spdep::poly2nb. */
#define SOL_SPATIAL_SNAP_DEFAULT 1.4901161193847656e-08

typedef struct sol_weights_spec {
    sol_weights_kind kind;
    double snap;         /* contiguity: vertices closer than this (Euclidean, in coordinate
                            units, degrees for lon/lat) are the same point; < 0 = default */
    unsigned k;          /* KNN: neighbours per area, 1 <= k < n */
    double dist;         /* BAND: upper distance, inclusive (km when longlat, else units) */
    int longlat;         /* KNN/BAND: 1 = great-circle km on WGS84 (as sp::spDists), 0 = planar */
    char style;          /* 'W' (row-standardised) or 'B' (binary); 0 = 'W' */
    sol_islands islands; /* see sol_islands */
} sol_weights_spec;

/** Build weights over the features of `l` (area i = l->f[i], ids copied from codes). Contiguity
 *  hashes every vertex into snap-sized grid cells and compares only vertices in neighbouring
 *  cells; KNN/BAND scan centroids sorted by latitude. Errors: SOL_EINVAL (bad spec, k >= n),
 *  SOL_EGEO (islands with SOL_ISLANDS_ERROR: err lists them), SOL_ELIMIT, SOL_ENOMEM.
 *  *out set only on success. Thread-safe (no shared state). */
SOL_API sol_status sol_spatial_weights_build(const sol_layer *l, const sol_weights_spec *spec,
                                             sol_weights **out, sol_error *err);

/** KNN or BAND weights from n points xy (interleaved x,y or lon,lat) with ids (copied). Same
 *  rules and errors as sol_spatial_weights_build; spec->kind must be KNN or BAND. */
SOL_API sol_status sol_spatial_weights_points(size_t n, const double *xy, const char *const *ids,
                                              const sol_weights_spec *spec, sol_weights **out,
                                              sol_error *err);

/** Great-circle distance in km between two lon/lat points in degrees, on the WGS84 ellipsoid with
 *  the Forsythe-Andoyer-Lambert approximation used by sp::spDists(longlat=TRUE). */
SOL_API double sol_spatial_gcdist_km(double lon1, double lat1, double lon2, double lat2);

/** Number of islands (areas with no neighbour) and, when `idx` is not NULL, their indices
 *  (idx must hold sol_spatial_weights_islands(w, NULL) entries). */
SOL_API size_t sol_spatial_weights_islands(const sol_weights *w, size_t *idx);

/** Re-weight in place: 'B' sets every weight to 1, 'W' divides each row by its sum. From 'W'
 *  back to 'B' is exact since the structure is kept. SOL_EINVAL for another style. */
SOL_API sol_status sol_spatial_weights_restyle(sol_weights *w, char style, sol_error *err);

/** A copy of `w` with each area added to its own neighbours (spdep include.self), then styled
 *  like `w` ('W': binary with self, then row-standardised; 'B'/'U': self weight 1). Used by Gi*.
 *  *out set only on success. */
SOL_API sol_status sol_spatial_weights_with_self(const sol_weights *w, sol_weights **out,
                                                 sol_error *err);

/** Symmetric: every i->j has j->i (weights may differ). */
SOL_API int sol_spatial_weights_symmetric(const sol_weights *w);

/** Write an edge list CSV "from_id,to_id,weight" (%.17g), one row per (i, j), rows in area
 *  order; an island is written as one row "id,," so that reading back keeps it.
 *  Errors: SOL_EIO (err names the file). */
SOL_API sol_status sol_spatial_weights_write_csv(const sol_weights *w, const char *path,
                                                 sol_error *err);
/** Write a GAL file (GeoDa/spdep write.nb.gal: "0 n", then per area "id k" and the k ids). */
SOL_API sol_status sol_spatial_weights_write_gal(const sol_weights *w, const char *path,
                                                 sol_error *err);
/** Read an edge list CSV written by sol_spatial_weights_write_csv (or any CSV with columns
 *  from_id,to_id,weight; weight may be missing = 1). Areas are numbered in order of first
 *  appearance unless `ids`/`nids` is given, which fixes the order and the set (an id in the file
 *  not in `ids` is SOL_EUNKNOWNAREA; an id of `ids` without a row is an island). Islands are then
 *  handled by `islands`. Style is 'B' when all weights are 1, 'W' when every non-empty row sums to
 *  1 (1e-12), else 'U'. Errors: SOL_EIO, SOL_EPARSE (file:line:col), SOL_EDUPLICATE (an edge
 *  twice), SOL_EINVAL (a self edge), SOL_EUNKNOWNAREA, SOL_EGEO (islands). */
SOL_API sol_status sol_spatial_weights_read_csv(const char *path, const char *const *ids,
                                                size_t nids, sol_islands islands, sol_weights **out,
                                                sol_error *err);

/** Free weights. NULL is a no-op. */
SOL_API void sol_weights_free(sol_weights *w);

/* ---- common options ----------------------------------------------------------------------- */

typedef enum sol_alternative {
    SOL_ALT_GREATER = 0, /* spdep moran.test default */
    SOL_ALT_LESS,
    SOL_ALT_TWO_SIDED /* spdep localmoran / localG default */
} sol_alternative;

/** Default number of permutations of the local statistics. */
#define SOL_SPATIAL_NSIM_DEFAULT 999u
/** Most permutations accepted (each area draws nsim samples). */
#define SOL_SPATIAL_NSIM_MAX 10000000u

/* ---- global Moran's I ---------------------------------------------------------------------- */

typedef struct sol_moran_opts {
    sol_alternative alternative; /* for the analytic p-values and the permutation p */
    unsigned nsim;               /* permutations; 0 = none */
    uint64_t seed;               /* permutation seed; results do not depend on the thread count */
} sol_moran_opts;

typedef struct sol_moran_result {
    size_t n; /* areas used in the constants: areas with neighbours (spdep adjust.n) */
    double S0, S1, S2;
    double I, EI;
    double var_norm, z_norm, p_norm; /* normality (moran.test randomisation=FALSE) */
    double var_rand, z_rand, p_rand; /* randomisation (moran.test default) */
    double kurtosis;                 /* K, sample kurtosis of x */
    unsigned nsim;                   /* 0 when no permutation ran */
    double rank;                     /* observed rank among nsim + 1 (spdep moran.mc) */
    size_t n_ge;                     /* #{I_perm >= I} */
    double p_sim;                    /* as spdep moran.mc for opts.alternative */
    double mean_sim, var_sim;        /* of the permuted I */
} sol_moran_result;

/** Global Moran's I of x (w->n values, all finite) with spdep::moran.test analytic inference
 *  (both assumptions) and, when nsim > 0, a permutation test (spdep::moran.mc): the values are
 *  randomly permuted over areas, nsim times, OpenMP-parallel; permutation b draws from its own
 *  RNG stream seeded by (seed, b), so the result is identical on any thread count.
 *  Errors: SOL_EINVAL (NaN in x, constant x, w->n < 4, w with self), SOL_ENOMEM. */
SOL_API sol_status sol_spatial_moran(const sol_weights *w, const double *x, const sol_moran_opts *o,
                                     sol_moran_result *r, sol_error *err);

/* ---- local statistics ---------------------------------------------------------------------- */

typedef enum sol_padjust {
    SOL_PADJUST_NONE = 0,
    SOL_PADJUST_FDR,       /* Benjamini-Hochberg, as R p.adjust("BH") */
    SOL_PADJUST_BONFERRONI /* as R p.adjust("bonferroni") */
} sol_padjust;

/** Quadrant of an area in the Moran scatterplot: deviation z_i = x_i - mean(x) against its
 *  spatial lag sum_j w_ij z_j (spdep's "pysal" quadrant; 0 counts as Low). */
typedef enum sol_quadrant {
    SOL_QUAD_LL = 0,
    SOL_QUAD_HL, /* high value, low neighbours */
    SOL_QUAD_LH,
    SOL_QUAD_HH
} sol_quadrant;

/** Cluster class at alpha: the quadrant when the (adjusted) p < alpha, else NS. */
typedef enum sol_cluster {
    SOL_CLUSTER_NS = 0,
    SOL_CLUSTER_HH,
    SOL_CLUSTER_LL,
    SOL_CLUSTER_HL,
    SOL_CLUSTER_LH
} sol_cluster;

/** "LL", "HL", "LH", "HH"; "NS", "HH", ... Static strings. */
SOL_API const char *sol_spatial_quadrant_name(sol_quadrant q);
SOL_API const char *sol_spatial_cluster_name(sol_cluster c);

typedef struct sol_local_opts {
    int conditional;             /* LISA: 1 = spdep >= 1.2 default (conditional on x_i), 0 =
                                    total randomisation (Anselin 1995) */
    int mlvar;                   /* LISA: 1 = variance of x with divisor n (spdep default) */
    sol_alternative alternative; /* default two-sided, as spdep */
    unsigned nsim;               /* conditional permutations; 0 = analytic only */
    uint64_t seed;
    double alpha;          /* significance for the cluster class; 0 = 0.05 */
    sol_padjust adjust;    /* applied to the p used for clusters */
    int cluster_from_perm; /* 1: clusters from the two-sided permutation p,
                              min(1, 2 * p_sim); 0 (default): from the analytic p */
} sol_local_opts;

/** Fill `o` with the defaults: conditional, mlvar, two-sided, 999 permutations, seed 1,
 *  alpha 0.05, no adjustment, clusters from the analytic p. */
SOL_API void sol_spatial_local_opts_default(sol_local_opts *o);

/** Per-area results; every array has n entries, owned by the result (free with
 *  sol_local_result_free). For an island: lag 0, Ii 0, E/Var 0 and Z/p NaN (as spdep with
 *  zero.policy=TRUE), cluster NS. */
typedef struct sol_local_result {
    size_t n;
    double *stat;   /* Ii (LISA) or the z-score G_i / G*_i as spdep::localG (Gi) */
    double *expect; /* E.Ii, or E(G_i) (the G statistic's expectation, internals scale) */
    double *var;    /* Var.Ii, or V(G_i) */
    double *z;      /* Z.Ii, or Z(G_i) (== stat for Gi) */
    double *p;      /* analytic p-value for opts.alternative */
    double *g;      /* Gi: the G statistic itself, lag / sum of x (NULL for LISA) */
    double *lag;    /* spatial lag of z (LISA) or of x (Gi) */
    /* permutations (NULL when nsim == 0) */
    double *e_sim, *var_sim, *z_sim; /* mean, variance of the permuted statistic; standardised */
    double *p_sim;                   /* folded pseudo p: (min(#ge, nsim - #ge) + 1)/(nsim + 1) */
    size_t *n_ge;                    /* #{stat_perm >= stat_observed} */
    /* classification */
    double *p_adj;          /* the p used for clusters (analytic p, or min(1, 2 p_sim) with
                               cluster_from_perm), adjusted */
    sol_quadrant *quadrant; /* LISA: z vs lag; Gi: HH (hot) when Z > 0, else LL (cold) */
    sol_cluster *cluster;
    unsigned nsim;
    double alpha;
    int is_gstar;
} sol_local_result;

/** Local Moran's I (spdep::localmoran; with nsim > 0 also conditional permutation inference in
 *  the manner of spdep::localmoran_perm, drawing each area's neighbour values without replacement
 *  from the other n - 1 values). Parallel over areas with OpenMP; area i draws from its own RNG
 *  stream seeded by (seed, i), so results are identical on any thread count.
 *  Errors: SOL_EINVAL (NaN, constant x, n < 3, weights with self), SOL_ENOMEM.
 *  *out set only on success. */
SOL_API sol_status sol_spatial_lisa(const sol_weights *w, const double *x, const sol_local_opts *o,
                                    sol_local_result **out, sol_error *err);

/** Local Getis-Ord statistic: Gi when w has no self (spdep::localG), Gi* when
 *  w->self_included (make it with sol_spatial_weights_with_self). stat = z-score. With nsim > 0,
 *  conditional permutations as for LISA (the own value stays in place for Gi*).
 *  Errors: SOL_EINVAL (NaN, n < 3), SOL_ENOMEM. *out set only on success. */
SOL_API sol_status sol_spatial_getis_ord(const sol_weights *w, const double *x,
                                         const sol_local_opts *o, sol_local_result **out,
                                         sol_error *err);

/** Adjust n p-values into out (may equal p) as R p.adjust; NaN entries are left NaN and not
 *  counted. SOL_ENOMEM. */
SOL_API sol_status sol_spatial_p_adjust(const double *p, size_t n, sol_padjust method, double *out);

/** Free a local result. NULL is a no-op. */
SOL_API void sol_local_result_free(sol_local_result *r);

#ifdef __cplusplus
}
#endif
#endif
