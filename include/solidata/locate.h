/* solidata/locate.h - where to place a service: location-set covering (LSCP), maximal covering
 * (MCLP), p-median, capacitated p-median and maximal covering under a budget, solved exactly as
 * integer programmes (GLPK branch-and-cut from the LP relaxation, a greedy incumbent, a time
 * limit with the gap to the best bound said), and the curve of what each additional site adds.
 * Pure: distances and weights in, chosen sites out; nothing is read, written or printed.
 * Thread safety: reentrant (GLPK is called with its own problem object per call; its terminal
 * output is switched off, which is process-wide). */
#ifndef SOL_LOCATE_H
#define SOL_LOCATE_H

#include <solidata/status.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The models. */
typedef enum sol_locate_model {
    SOL_LOCATE_LSCP = 0, /* fewest sites so that every demand point has one within max_dist */
    SOL_LOCATE_MCLP,     /* p sites covering the most demand within max_dist */
    SOL_LOCATE_PMEDIAN,  /* p sites, least total demand-weighted distance */
    SOL_LOCATE_CPMEDIAN, /* p-median with site capacities (demand may be split between sites) */
    SOL_LOCATE_BUDGET    /* sites whose costs fit the budget, covering the most demand */
} sol_locate_model;

/** The largest number of demand-site pairs a problem may hold (dense matrix and model). */
#define SOL_LOCATE_MAX_PAIRS 40000000u

/** A problem. Arrays are borrowed for the duration of the call. */
typedef struct sol_locate_problem {
    size_t n, m;               /* demand points, candidate sites (both >= 1) */
    const double *w;           /* n demand weights >= 0 (people in need) */
    const double *d;           /* n x m distances >= 0, row-major: d[i * m + j] */
    const double *cap;         /* m capacities (SOL_LOCATE_CPMEDIAN), else NULL */
    const double *cost;        /* m costs (SOL_LOCATE_BUDGET), else NULL */
    const unsigned char *keep; /* m flags: 1 = an existing site that must stay; NULL: none */
    const char *const *dname;  /* n names of demand points for messages, or NULL */
    double max_dist;           /* coverage radius; p-median: assignments only within it
                                  (INFINITY or 0 for p-median: any distance) */
    size_t p;                  /* sites to open (MCLP, p-median), kept sites included */
    double budget;             /* SOL_LOCATE_BUDGET: total cost allowed, kept sites included */
    double time_limit_s;       /* 0: none */
    double mip_gap;            /* relative gap at which to stop (0: prove optimality) */
    int exact_curve;           /* 1: the marginal curve from exact solves for 1..K sites when the
                                  instance is small; 0: always greedy */
} sol_locate_problem;

/** How the solution was found. */
typedef enum sol_locate_status {
    SOL_LOCATE_OPTIMAL = 0, /* proven optimal (within mip_gap) */
    SOL_LOCATE_TIME_LIMIT,  /* best integer solution at the time limit; gap to the bound */
    SOL_LOCATE_HEURISTIC    /* the greedy solution (no integer solution within the limit) */
} sol_locate_status;

/** The outcome. Owned; free with sol_locate_result_free. */
typedef struct sol_locate_result {
    sol_locate_model model;
    sol_locate_status status;
    size_t n, m;
    unsigned char *open; /* m: 1 = chosen */
    size_t n_open;
    long *assign;            /* n: the site serving demand point i (the nearest chosen one within
                                max_dist; p-median: its assignment, capacitated: its largest share),
                                -1 when none */
    double *served;          /* m: demand weight served by each site (assigned to it) */
    size_t *n_served;        /* m: demand points served by each site */
    double objective;        /* LSCP: sites; MCLP/budget: demand covered; p-median: sum w d */
    double bound;            /* best bound on the objective (LP relaxation or branch-and-cut) */
    double lp_bound;         /* the LP relaxation's objective (NAN when not solved) */
    double lagrangian_bound; /* p-median: the Lagrangian lower bound (NAN otherwise) */
    double gap;              /* |objective - bound| / |objective| (0 when optimal, NAN unknown) */
    double total, covered;   /* demand weight: all, within max_dist of a chosen site */
    double wdist;            /* sum of w_i x distance to the serving site over served points */
    size_t n_curve;          /* the marginal curve: value after k = 1..n_curve sites */
    double *curve;           /* covered demand (LSCP, MCLP, budget) or total weighted distance */
    int curve_exact;         /* 1: each point an exact solve for k sites; 0: greedy additions */
    double seconds;          /* wall time of the solve */
} sol_locate_result;

/** Great-circle distance in km (haversine, mean Earth radius 6371.0088 km). */
SOL_API double sol_locate_haversine_km(double lon1, double lat1, double lon2, double lat2);

/** Solve `pr` with `model`. Errors: SOL_EINVAL with the reason in words (p larger than the
 *  sites or smaller than the kept ones, a negative weight or distance, kept sites over the
 *  budget, capacities that cannot hold the demand, demand points no site can reach for LSCP and
 *  p-median (named, at most 10, then a count), an infeasible model), SOL_ELIMIT (more than
 *  SOL_LOCATE_MAX_PAIRS pairs), SOL_ENUMERIC (GLPK failed), SOL_ENOMEM. *out set only on
 *  success. */
SOL_API sol_status sol_locate_solve(sol_locate_model model, const sol_locate_problem *pr,
                                    sol_locate_result **out, sol_error *err);
/** Free a result. NULL is a no-op. */
SOL_API void sol_locate_result_free(sol_locate_result *r);

/** The model's name as the command spells it ("lscp", "mclp", "pmedian", "cpmedian",
 *  "budget"). Borrowed, static. */
SOL_API const char *sol_locate_model_name(sol_locate_model m);

#ifdef __cplusplus
}
#endif
#endif
