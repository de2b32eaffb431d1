/* locate.c - facility location as integer programmes (GLPK): location-set covering, maximal
 * covering, p-median (capacitated or not) and maximal covering under a budget; the LP relaxation
 * first (its bound), a greedy incumbent handed to branch-and-cut, a time limit with the gap. */
#include <solidata/locate.h>

#include "core/core.h"

#include <float.h>
#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double sol_locate_haversine_km(double lon1, double lat1, double lon2, double lat2)
{
    const double r = 6371.0088, rad = 3.14159265358979323846 / 180.0;
    double p1 = lat1 * rad, p2 = lat2 * rad;
    double dp = p2 - p1, dl = (lon2 - lon1) * rad;
    double a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    if (a > 1)
        a = 1;
    return 2 * r * asin(sqrt(a));
}

const char *sol_locate_model_name(sol_locate_model m)
{
    switch (m) {
    case SOL_LOCATE_LSCP: return "lscp";
    case SOL_LOCATE_MCLP: return "mclp";
    case SOL_LOCATE_PMEDIAN: return "pmedian";
    case SOL_LOCATE_CPMEDIAN: return "cpmedian";
    case SOL_LOCATE_BUDGET: return "budget";
    }
    return "?";
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int is_cover(sol_locate_model m)
{
    return m == SOL_LOCATE_LSCP || m == SOL_LOCATE_MCLP || m == SOL_LOCATE_BUDGET;
}

/* The pairs within reach, per demand point (compressed rows). */
typedef struct reach {
    size_t *start; /* n + 1 */
    int *site;
    double *dist;
    double radius; /* INFINITY: every pair */
} reach;

static void reach_clear(reach *r)
{
    sol__free(r->start);
    sol__free(r->site);
    sol__free(r->dist);
    memset(r, 0, sizeof *r);
}

static sol_status reach_build(const sol_locate_problem *pr, double radius, reach *r, sol_error *err)
{
    size_t n = pr->n, m = pr->m, np = 0;
    memset(r, 0, sizeof *r);
    r->radius = radius;
    for (size_t k = 0; k < n * m; k++)
        if (pr->d[k] <= radius)
            np++;
    r->start = sol__malloc((n + 1) * sizeof *r->start);
    r->site = sol__malloc((np + 1) * sizeof *r->site);
    r->dist = sol__malloc((np + 1) * sizeof *r->dist);
    if (!r->start || !r->site || !r->dist) {
        reach_clear(r);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    np = 0;
    for (size_t i = 0; i < n; i++) {
        r->start[i] = np;
        for (size_t j = 0; j < m; j++)
            if (pr->d[i * m + j] <= radius) {
                r->site[np] = (int)j;
                r->dist[np++] = pr->d[i * m + j];
            }
    }
    r->start[n] = np;
    return SOL_OK;
}

/* ---- evaluation of a set of open sites ----------------------------------------------------- */

/* Assign each demand point to its nearest open site within reach; fill the result's coverage
 * figures. Returns the total weighted distance (INFINITY when a weighted point is unserved). */
static double evaluate(const sol_locate_problem *pr, const reach *rc, const unsigned char *open,
                       long *assign, double *covered)
{
    double wd = 0, cov = 0;
    int all = 1;
    for (size_t i = 0; i < pr->n; i++) {
        long best = -1;
        double bd = INFINITY;
        for (size_t k = rc->start[i]; k < rc->start[i + 1]; k++)
            if (open[rc->site[k]] && rc->dist[k] < bd) {
                bd = rc->dist[k];
                best = rc->site[k];
            }
        if (assign)
            assign[i] = best;
        if (best >= 0) {
            cov += pr->w[i];
            wd += pr->w[i] * bd;
        } else if (pr->w[i] > 0)
            all = 0;
    }
    if (covered)
        *covered = cov;
    return all ? wd : INFINITY;
}

/* ---- greedy ---------------------------------------------------------------------------------- */

/* Add sites one at a time: kept sites first, then the one that adds most (covered demand, or
 * weighted distance saved; per unit of cost under a budget), until `kmax` sites (coverage: also
 * stop when nothing more can be covered, LSCP: when all is covered; budget: when nothing fits).
 * curve[k-1] gets the value after k sites. Returns the number of sites opened, or -1 (memory). */
static long greedy(sol_locate_model model, const sol_locate_problem *pr, const reach *rc,
                   size_t kmax, unsigned char *open, double *curve)
{
    size_t n = pr->n, m = pr->m, k = 0;
    double *best = sol__malloc(n * sizeof *best), *gain = sol__malloc(m * sizeof *gain);
    if (!best || !gain) {
        sol__free(best);
        sol__free(gain);
        return -1;
    }
    double maxd = 0;
    for (size_t q = 0; q < rc->start[n]; q++)
        if (rc->dist[q] > maxd)
            maxd = rc->dist[q];
    double penalty = 2 * maxd + 1; /* distance of an unserved point while choosing */
    for (size_t i = 0; i < n; i++)
        best[i] = is_cover(model) ? 0 : penalty;
    memset(open, 0, m);
    double spent = 0;
    for (;;) {
        long pick = -1;
        if (k >= kmax)
            break;
        for (size_t j = 0; j < m && pr->keep; j++)
            if (pr->keep[j] && !open[j]) {
                pick = (long)j;
                break;
            }
        if (pick < 0) {
            memset(gain, 0, m * sizeof *gain);
            for (size_t i = 0; i < n; i++)
                for (size_t q = rc->start[i]; q < rc->start[i + 1]; q++) {
                    int j = rc->site[q];
                    if (open[j])
                        continue;
                    if (is_cover(model))
                        gain[j] += best[i] == 0 ? pr->w[i] : 0;
                    else if (rc->dist[q] < best[i])
                        gain[j] += pr->w[i] * (best[i] - rc->dist[q]);
                }
            double bg = -1;
            for (size_t j = 0; j < m; j++) {
                if (open[j])
                    continue;
                double g = gain[j];
                if (model == SOL_LOCATE_BUDGET) {
                    double c = pr->cost ? pr->cost[j] : 0;
                    if (spent + c > pr->budget * (1 + 1e-12) || g <= 0)
                        continue;
                    g = c > 0 ? g / c : g * 1e300;
                }
                if (g > bg) {
                    bg = g;
                    pick = (long)j;
                }
            }
            if (pick < 0 || ((model == SOL_LOCATE_LSCP || model == SOL_LOCATE_BUDGET) && bg <= 0))
                break;
        }
        open[pick] = 1;
        spent += pr->cost ? pr->cost[pick] : 0;
        for (size_t i = 0; i < n; i++)
            for (size_t q = rc->start[i]; q < rc->start[i + 1]; q++)
                if (rc->site[q] == (int)pick) {
                    if (is_cover(model))
                        best[i] = 1;
                    else if (rc->dist[q] < best[i])
                        best[i] = rc->dist[q];
                }
        double v = 0;
        int unserved = 0;
        for (size_t i = 0; i < n; i++) {
            if (is_cover(model))
                v += best[i] > 0 ? pr->w[i] : 0;
            else if (best[i] >= penalty && pr->w[i] > 0)
                unserved = 1;
            else if (best[i] < penalty)
                v += pr->w[i] * best[i];
        }
        if (curve)
            curve[k] = unserved ? NAN : v;
        k++;
        if (model == SOL_LOCATE_LSCP) {
            int all = 1;
            for (size_t i = 0; i < n && all; i++)
                if (pr->w[i] > 0 && best[i] == 0 && rc->start[i + 1] > rc->start[i])
                    all = 0;
            if (all)
                break;
        }
    }
    sol__free(best);
    sol__free(gain);
    return (long)k;
}

/* ---- Lagrangian relaxation (p-median) ------------------------------------------------------- */

typedef struct rho_idx {
    double rho;
    size_t j;
} rho_idx;

static int cmp_rho_idx(const void *a, const void *b)
{
    double x = ((const rho_idx *)a)->rho, y = ((const rho_idx *)b)->rho;
    return x < y ? -1 : x > y ? 1 : 0;
}

/* Relax the assignment constraints of the p-median with multipliers lambda_i (subgradient
 * optimisation): each multiplier vector gives a lower bound (the p sites of least reduced cost
 * open), and its sites a feasible solution. best_open / *best_ub hold the best solution seen
 * (on entry: the greedy one). Returns the best lower bound (-INFINITY when memory fails). */
static double lagrange(const sol_locate_problem *pr, const reach *rc, size_t p,
                       unsigned char *best_open, double *best_ub, double seconds)
{
    size_t n = pr->n, m = pr->m;
    double *lam = sol__malloc((n + 1) * sizeof *lam), *g = sol__malloc((n + 1) * sizeof *g);
    rho_idx *rho = sol__malloc((m + 1) * sizeof *rho);
    unsigned char *open = sol__malloc(m + 1);
    double lb = -INFINITY, t0 = now_s(), theta = 2.0;
    if (!lam || !g || !rho || !open)
        goto done;
    for (size_t i = 0; i < n; i++) {
        double b = INFINITY;
        for (size_t q = rc->start[i]; q < rc->start[i + 1]; q++)
            b = fmin(b, pr->w[i] * rc->dist[q]);
        lam[i] = pr->w[i] > 0 && isfinite(b) ? b : 0;
    }
    int stall = 0;
    for (int it = 0; it < 3000 && theta > 1e-4; it++) {
        if ((it & 15) == 0 && now_s() - t0 > seconds)
            break;
        for (size_t j = 0; j < m; j++) {
            rho[j].rho = 0;
            rho[j].j = j;
        }
        for (size_t i = 0; i < n; i++)
            if (pr->w[i] > 0)
                for (size_t q = rc->start[i]; q < rc->start[i + 1]; q++) {
                    double c = pr->w[i] * rc->dist[q] - lam[i];
                    if (c < 0)
                        rho[rc->site[q]].rho += c;
                }
        double L = 0;
        for (size_t i = 0; i < n; i++)
            L += pr->w[i] > 0 ? lam[i] : 0;
        memset(open, 0, m);
        size_t k = 0;
        for (size_t j = 0; pr->keep && j < m; j++)
            if (pr->keep[j]) {
                open[j] = 1;
                L += rho[j].rho;
                k++;
            }
        qsort(rho, m, sizeof *rho, cmp_rho_idx);
        for (size_t q = 0; q < m && k < p; q++)
            if (!open[rho[q].j]) {
                open[rho[q].j] = 1;
                L += rho[q].rho;
                k++;
            }
        if (isinf(lb) || L > lb + 1e-9 * fabs(lb)) {
            lb = L;
            stall = 0;
        } else if (++stall >= 20) {
            theta /= 2;
            stall = 0;
        }
        double v = evaluate(pr, rc, open, NULL, NULL);
        if (v < *best_ub) {
            *best_ub = v;
            memcpy(best_open, open, m);
        }
        double norm = 0;
        for (size_t i = 0; i < n; i++) {
            g[i] = 0;
            if (!(pr->w[i] > 0))
                continue;
            double cnt = 0;
            for (size_t q = rc->start[i]; q < rc->start[i + 1]; q++)
                if (open[rc->site[q]] && pr->w[i] * rc->dist[q] - lam[i] < 0)
                    cnt++;
            g[i] = 1 - cnt;
            norm += g[i] * g[i];
        }
        if (norm == 0 || (isfinite(*best_ub) && *best_ub - lb <= 1e-9 * fabs(*best_ub)))
            break;
        double ub = isfinite(*best_ub) ? *best_ub : lb + fabs(lb) * 0.1 + 1;
        double step = theta * (ub - L) / norm;
        for (size_t i = 0; i < n; i++)
            lam[i] += step * g[i];
    }
done:
    sol__free(lam);
    sol__free(g);
    sol__free(rho);
    sol__free(open);
    return lb;
}

/* ---- the integer programme ------------------------------------------------------------------ */

typedef struct cbdata {
    const double *heur; /* 1-based column values of the greedy incumbent, or NULL */
    int heur_done;
    double bound; /* best node bound seen (NAN: none) */
} cbdata;

static void callback(glp_tree *T, void *info)
{
    cbdata *cb = info;
    int reason = glp_ios_reason(T);
    if (reason == GLP_IHEUR && cb->heur && !cb->heur_done) {
        cb->heur_done = 1;
        glp_ios_heur_sol(T, cb->heur);
    }
    if (reason == GLP_ISELECT || reason == GLP_IBINGO || reason == GLP_IHEUR) {
        int b = glp_ios_best_node(T);
        if (b != 0)
            cb->bound = glp_ios_node_bound(T, b);
    }
}

typedef struct ipout {
    int status; /* 1 optimal, 2 time limit with a solution, 3 no integer solution in time,
                   0 infeasible, -1 GLPK failure, -2 memory */
    double obj, bound, lp;
} ipout;

/* Build and solve the model with `p` sites (MCLP, p-median) from the reachable pairs; `heur` is a
 * set of open sites to offer as the first incumbent (or NULL); x gets the open sites. */
static void solve_ip(sol_locate_model model, const sol_locate_problem *pr, const reach *rc,
                     size_t p, const unsigned char *heur, double tlim_s, unsigned char *x,
                     double *z, ipout *out)
{
    size_t n = pr->n, m = pr->m, np = rc->start[n];
    int median = !is_cover(model);
    out->status = -2;
    out->obj = out->bound = out->lp = NAN;
    glp_term_out(GLP_OFF);
    glp_prob *lp = glp_create_prob();
    int *ycol = NULL, *ia = NULL, *ja = NULL;
    double *ar = NULL, *hv = NULL;
    size_t nz = 0, cap = 0;
    if (model == SOL_LOCATE_LSCP)
        cap = np + m;
    else if (!median)
        cap = np + n + 2 * m;
    else
        cap = 4 * np + 3 * m;
    ia = sol__malloc((cap + 1) * sizeof *ia);
    ja = sol__malloc((cap + 1) * sizeof *ja);
    ar = sol__malloc((cap + 1) * sizeof *ar);
    ycol = sol__malloc((n + 1) * sizeof *ycol);
    if (!ia || !ja || !ar || !ycol)
        goto done;
#define NZ(r, c, v)                                                                                \
    do {                                                                                           \
        nz++;                                                                                      \
        ia[nz] = (r);                                                                              \
        ja[nz] = (c);                                                                              \
        ar[nz] = (v);                                                                              \
    } while (0)
    glp_set_obj_dir(lp, model == SOL_LOCATE_LSCP || median ? GLP_MIN : GLP_MAX);
    glp_add_cols(lp, (int)m);
    for (size_t j = 0; j < m; j++) {
        glp_set_col_kind(lp, (int)j + 1, GLP_BV);
        if (pr->keep && pr->keep[j])
            glp_set_col_bnds(lp, (int)j + 1, GLP_FX, 1.0, 1.0);
        if (model == SOL_LOCATE_LSCP)
            glp_set_obj_coef(lp, (int)j + 1, 1.0);
    }
    int ncol = (int)m;
    if (model == SOL_LOCATE_LSCP) {
        for (size_t i = 0; i < n; i++) {
            if (!(pr->w[i] > 0) || rc->start[i + 1] == rc->start[i])
                continue;
            int row = glp_add_rows(lp, 1);
            glp_set_row_bnds(lp, row, GLP_LO, 1.0, 0.0);
            for (size_t q = rc->start[i]; q < rc->start[i + 1]; q++)
                NZ(row, rc->site[q] + 1, 1.0);
        }
    } else if (!median) { /* MCLP and budget: y_i <= sum of the sites that reach i */
        for (size_t i = 0; i < n; i++) {
            ycol[i] = 0;
            if (!(pr->w[i] > 0) || rc->start[i + 1] == rc->start[i])
                continue;
            int c = glp_add_cols(lp, 1);
            glp_set_col_bnds(lp, c, GLP_DB, 0.0, 1.0);
            glp_set_obj_coef(lp, c, pr->w[i]);
            ycol[i] = c;
            int row = glp_add_rows(lp, 1);
            glp_set_row_bnds(lp, row, GLP_UP, 0.0, 0.0);
            NZ(row, c, 1.0);
            for (size_t q = rc->start[i]; q < rc->start[i + 1]; q++)
                NZ(row, rc->site[q] + 1, -1.0);
        }
        ncol = glp_get_num_cols(lp);
    } else { /* p-median: z_iq for each reachable pair, sum_q z_iq = 1, z_iq <= x_j */
        int first = glp_get_num_cols(lp) + 1;
        if (np > 0)
            glp_add_cols(lp, (int)np);
        for (size_t i = 0; i < n; i++) {
            int row = 0;
            if (pr->w[i] > 0) {
                row = glp_add_rows(lp, 1);
                glp_set_row_bnds(lp, row, GLP_FX, 1.0, 1.0);
            }
            for (size_t q = rc->start[i]; q < rc->start[i + 1]; q++) {
                int c = first + (int)q;
                glp_set_col_bnds(lp, c, GLP_DB, 0.0, pr->w[i] > 0 ? 1.0 : 0.0);
                glp_set_obj_coef(lp, c, pr->w[i] * rc->dist[q]);
                if (row == 0)
                    continue;
                NZ(row, c, 1.0);
                int link = glp_add_rows(lp, 1);
                glp_set_row_bnds(lp, link, GLP_UP, 0.0, 0.0);
                NZ(link, c, 1.0);
                NZ(link, rc->site[q] + 1, -1.0);
            }
        }
        if (model == SOL_LOCATE_CPMEDIAN) {
            int base = glp_add_rows(lp, (int)m);
            for (size_t j = 0; j < m; j++) {
                glp_set_row_bnds(lp, base + (int)j, GLP_UP, 0.0, 0.0);
                NZ(base + (int)j, (int)j + 1, -pr->cap[j]);
            }
            for (size_t i = 0; i < n; i++)
                for (size_t q = rc->start[i]; q < rc->start[i + 1]; q++)
                    if (pr->w[i] > 0)
                        NZ(base + rc->site[q], first + (int)q, pr->w[i]);
        }
        ncol = glp_get_num_cols(lp);
    }
    if (model == SOL_LOCATE_MCLP || median) {
        int row = glp_add_rows(lp, 1);
        glp_set_row_bnds(lp, row, GLP_FX, (double)p, (double)p);
        for (size_t j = 0; j < m; j++)
            NZ(row, (int)j + 1, 1.0);
    } else if (model == SOL_LOCATE_BUDGET) {
        int row = glp_add_rows(lp, 1);
        glp_set_row_bnds(lp, row, GLP_UP, 0.0, pr->budget);
        for (size_t j = 0; j < m; j++)
            NZ(row, (int)j + 1, pr->cost ? pr->cost[j] : 0.0);
    }
    if (glp_get_num_rows(lp) == 0) {
        int row = glp_add_rows(lp, 1);
        glp_set_row_bnds(lp, row, GLP_FR, 0.0, 0.0);
    }
#undef NZ
    glp_load_matrix(lp, (int)nz, ia, ja, ar);

    /* the greedy incumbent as column values */
    if (heur != NULL) {
        hv = sol__calloc((size_t)ncol + 1, sizeof *hv);
        if (hv == NULL)
            goto done;
        for (size_t j = 0; j < m; j++)
            hv[j + 1] = heur[j] ? 1.0 : 0.0;
        if (model == SOL_LOCATE_MCLP || model == SOL_LOCATE_BUDGET) {
            for (size_t i = 0; i < n; i++)
                if (ycol[i])
                    for (size_t q = rc->start[i]; q < rc->start[i + 1]; q++)
                        if (heur[rc->site[q]])
                            hv[ycol[i]] = 1.0;
        } else if (model == SOL_LOCATE_PMEDIAN) {
            int first = (int)m + 1;
            for (size_t i = 0; i < n && hv; i++) {
                if (!(pr->w[i] > 0))
                    continue;
                size_t bq = (size_t)-1;
                for (size_t q = rc->start[i]; q < rc->start[i + 1]; q++)
                    if (heur[rc->site[q]] && (bq == (size_t)-1 || rc->dist[q] < rc->dist[bq]))
                        bq = q;
                if (bq == (size_t)-1) { /* the greedy set leaves a point unserved: no offer */
                    sol__free(hv);
                    hv = NULL;
                } else
                    hv[first + (int)bq] = 1.0;
            }
        }
    }

    double t0 = now_s();
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    sp.meth = GLP_DUALP; /* faster than the primal on these models (bench_locate.sh) */
    if (tlim_s > 0)
        sp.tm_lim = (int)fmin(tlim_s * 1000.0, 2e9);
    int r = glp_simplex(lp, &sp);
    if (r == GLP_ETMLIM) {
        out->status = 3;
        goto done;
    }
    if (r != 0) {
        out->status = -1;
        goto done;
    }
    int ls = glp_get_status(lp);
    if (ls == GLP_NOFEAS) {
        out->status = 0;
        goto done;
    }
    if (ls != GLP_OPT) {
        out->status = -1;
        goto done;
    }
    out->lp = glp_get_obj_val(lp);
    cbdata cb = {hv, 0, NAN};
    glp_iocp ip;
    glp_init_iocp(&ip);
    ip.msg_lev = GLP_MSG_OFF;
    ip.presolve = GLP_OFF; /* the LP relaxation above is the starting basis */
    ip.mip_gap = pr->mip_gap;
    ip.cb_func = callback;
    ip.cb_info = &cb;
    if (tlim_s > 0) {
        double left = tlim_s - (now_s() - t0);
        ip.tm_lim = (int)fmax(1.0, fmin(left * 1000.0, 2e9));
    }
    r = glp_intopt(lp, &ip);
    int ms = glp_mip_status(lp);
    if (ms == GLP_NOFEAS) {
        out->status = 0;
        goto done;
    }
    if (ms == GLP_OPT || (ms == GLP_FEAS && (r == GLP_ETMLIM || r == GLP_EMIPGAP))) {
        for (size_t j = 0; j < m; j++)
            x[j] = glp_mip_col_val(lp, (int)j + 1) > 0.5;
        for (size_t q = 0; z && median && q < np; q++)
            z[q] = glp_mip_col_val(lp, (int)(m + 1 + q));
        out->obj = glp_mip_obj_val(lp);
        if (ms == GLP_OPT && r == 0) {
            out->status = 1;
            out->bound = out->obj;
        } else {
            out->status = r == GLP_EMIPGAP ? 1 : 2;
            out->bound = isnan(cb.bound) ? out->lp : cb.bound;
        }
    } else if (r == GLP_ETMLIM) {
        out->status = 3;
        out->bound = isnan(cb.bound) ? out->lp : cb.bound;
    } else
        out->status = -1;
done:
    sol__free(ia);
    sol__free(ja);
    sol__free(ar);
    sol__free(ycol);
    sol__free(hv);
    glp_delete_prob(lp);
    /* GLPK keeps an environment per thread: freed here, so that a server's worker thread does
     * not leave it behind when the thread ends (the next call makes a new one) */
    glp_free_env();
}

/* ---- checks -----------------------------------------------------------------------------------
 */

/* The demand points with weight that no site reaches: SOL_EINVAL naming up to 10 of them. */
static sol_status unreachable(const sol_locate_problem *pr, const reach *rc, sol_error *err)
{
    size_t bad = 0;
    char list[512] = "";
    size_t len = 0;
    for (size_t i = 0; i < pr->n; i++) {
        if (!(pr->w[i] > 0) || rc->start[i + 1] > rc->start[i])
            continue;
        if (bad < 10 && len < sizeof list - 1) {
            char one[128];
            if (pr->dname && pr->dname[i])
                snprintf(one, sizeof one, "%s%s", bad ? ", " : "", pr->dname[i]);
            else
                snprintf(one, sizeof one, "%s#%zu", bad ? ", " : "", i + 1);
            len += (size_t)snprintf(list + len, sizeof list - len, "%s", one);
            if (len >= sizeof list)
                len = sizeof list - 1;
        }
        bad++;
    }
    if (bad == 0)
        return SOL_OK;
    if (bad > 10)
        return sol__err(err, SOL_EINVAL,
                        sol_ngettext("no site can reach %zu demand area within the distance: %s, "
                                     "...",
                                     "no site can reach %zu demand areas within the distance: %s, "
                                     "...",
                                     bad),
                        bad, list);
    return sol__err(err, SOL_EINVAL,
                    sol_ngettext("no site can reach %zu demand area within the distance: %s",
                                 "no site can reach %zu demand areas within the distance: %s", bad),
                    bad, list);
}

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

static sol_status check(sol_locate_model model, const sol_locate_problem *pr, size_t nkeep,
                        sol_error *err)
{
    if (pr->n == 0 || pr->m == 0)
        return sol__err(err, SOL_EINVAL, "there must be at least one demand area and one site");
    if (pr->n > SOL_LOCATE_MAX_PAIRS / pr->m)
        return sol__err(err, SOL_ELIMIT,
                        "%zu demand areas x %zu sites is over the limit of %u pairs", pr->n, pr->m,
                        SOL_LOCATE_MAX_PAIRS);
    for (size_t i = 0; i < pr->n; i++)
        if (!(pr->w[i] >= 0) || !isfinite(pr->w[i]))
            return sol__err(err, SOL_EINVAL, "demand weights must be numbers >= 0");
    for (size_t k = 0; k < pr->n * pr->m; k++)
        if (!(pr->d[k] >= 0))
            return sol__err(err, SOL_EINVAL, "distances must be numbers >= 0");
    if (is_cover(model) && !(pr->max_dist >= 0))
        return sol__err(err, SOL_EINVAL, "the maximum distance must be a number >= 0");
    if (model == SOL_LOCATE_MCLP || model == SOL_LOCATE_PMEDIAN || model == SOL_LOCATE_CPMEDIAN) {
        if (pr->p == 0)
            return sol__err(err, SOL_EINVAL, "the number of sites to open must be at least 1");
        if (pr->p > pr->m)
            return sol__err(err, SOL_EINVAL, "cannot open %zu sites: there are only %zu candidates",
                            pr->p, pr->m);
        if (pr->p < nkeep)
            return sol__err(err, SOL_EINVAL,
                            "cannot open %zu sites: %zu existing sites must stay open", pr->p,
                            nkeep);
    }
    if (model == SOL_LOCATE_BUDGET) {
        if (!(pr->budget >= 0) || !isfinite(pr->budget))
            return sol__err(err, SOL_EINVAL, "the budget must be a number >= 0");
        double kept = 0;
        for (size_t j = 0; j < pr->m; j++) {
            double c = pr->cost ? pr->cost[j] : 0;
            if (!(c >= 0) || !isfinite(c))
                return sol__err(err, SOL_EINVAL, "site costs must be numbers >= 0");
            if (pr->keep && pr->keep[j])
                kept += c;
        }
        if (kept > pr->budget)
            return sol__err(err, SOL_EINVAL,
                            "the sites that must stay cost %.10g, over the budget of %.10g", kept,
                            pr->budget);
    }
    if (model == SOL_LOCATE_CPMEDIAN) {
        if (pr->cap == NULL)
            return sol__err(err, SOL_EINVAL, "the capacitated p-median needs site capacities");
        double *c = sol__malloc(pr->m * sizeof *c), total = 0, most = 0;
        if (c == NULL)
            return sol__err(err, SOL_ENOMEM, "out of memory");
        size_t k = 0;
        for (size_t j = 0; j < pr->m; j++) {
            if (!(pr->cap[j] >= 0) || !isfinite(pr->cap[j])) {
                sol__free(c);
                return sol__err(err, SOL_EINVAL, "site capacities must be numbers >= 0");
            }
            if (pr->keep && pr->keep[j])
                most += pr->cap[j];
            else
                c[k++] = pr->cap[j];
        }
        qsort(c, k, sizeof *c, cmp_desc);
        for (size_t q = 0; q + nkeep < pr->p && q < k; q++)
            most += c[q];
        sol__free(c);
        for (size_t i = 0; i < pr->n; i++)
            total += pr->w[i];
        if (most < total)
            return sol__err(err, SOL_EINVAL,
                            "capacity below the demand: the largest capacities of %zu sites sum "
                            "to %.10g, the demand to serve is %.10g",
                            pr->p, most, total);
    }
    return SOL_OK;
}

/* ---- the solve --------------------------------------------------------------------------------
 */

void sol_locate_result_free(sol_locate_result *r)
{
    if (r == NULL)
        return;
    sol__free(r->open);
    sol__free(r->assign);
    sol__free(r->served);
    sol__free(r->n_served);
    sol__free(r->curve);
    sol__free(r);
}

static sol_status ip_error(const ipout *o, sol_error *err)
{
    if (o->status == -2)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    if (o->status == 0)
        return sol__err(err, SOL_EINVAL, "the model has no feasible solution");
    return sol__err(err, SOL_ENUMERIC, "GLPK failed to solve the model");
}

sol_status sol_locate_solve(sol_locate_model model, const sol_locate_problem *pr,
                            sol_locate_result **out, sol_error *err)
{
    size_t nkeep = 0;
    for (size_t j = 0; pr->keep && j < pr->m; j++)
        nkeep += pr->keep[j] != 0;
    sol_status rc = check(model, pr, nkeep, err);
    if (rc != SOL_OK)
        return rc;
    double t0 = now_s();
    int median = !is_cover(model);
    double radius = median ? (pr->max_dist > 0 ? pr->max_dist : INFINITY) : pr->max_dist;
    reach rcv;
    if ((rc = reach_build(pr, radius, &rcv, err)) != SOL_OK)
        return rc;
    sol_locate_result *r = sol__calloc(1, sizeof *r);
    double *zv = NULL;
    unsigned char *heur = sol__calloc(pr->m, 1);
    if (r == NULL || heur == NULL)
        goto oom;
    r->model = model;
    r->n = pr->n;
    r->m = pr->m;
    r->open = sol__calloc(pr->m, 1);
    r->assign = sol__malloc(pr->n * sizeof *r->assign);
    r->served = sol__calloc(pr->m, sizeof *r->served);
    r->n_served = sol__calloc(pr->m, sizeof *r->n_served);
    if (!r->open || !r->assign || !r->served || !r->n_served)
        goto oom;
    if ((model == SOL_LOCATE_LSCP || median) && (rc = unreachable(pr, &rcv, err)) != SOL_OK)
        goto fail;

    size_t kmax = model == SOL_LOCATE_MCLP || median ? pr->p : pr->m;
    long kg = greedy(model, pr, &rcv, kmax, heur, NULL);
    if (kg < 0)
        goto oom;
    double lag_lb = NAN;
    if (model == SOL_LOCATE_PMEDIAN) { /* a better incumbent and a bound that needs no LP */
        double ub = evaluate(pr, &rcv, heur, NULL, NULL);
        double budget_s = pr->time_limit_s > 0 ? 0.2 * pr->time_limit_s : 30;
        lag_lb = lagrange(pr, &rcv, pr->p, heur, &ub, budget_s);
        if (!isfinite(lag_lb))
            lag_lb = NAN;
    }
    ipout io;
    if (model == SOL_LOCATE_CPMEDIAN &&
        (zv = sol__calloc(rcv.start[pr->n] + 1, sizeof *zv)) == NULL)
        goto oom;
    double left = pr->time_limit_s > 0 ? fmax(1.0, pr->time_limit_s - (now_s() - t0)) : 0;
    solve_ip(model, pr, &rcv, pr->p, model == SOL_LOCATE_CPMEDIAN ? NULL : heur, left, r->open, zv,
             &io);
    if (io.status == 3) { /* no integer solution in time: the greedy one, with the gap said */
        if (model == SOL_LOCATE_CPMEDIAN) {
            rc = sol__err(err, SOL_EINVAL,
                          "no solution found within the time limit of %g s; allow more time",
                          pr->time_limit_s);
            goto fail;
        }
        memcpy(r->open, heur, pr->m);
        r->status = SOL_LOCATE_HEURISTIC;
        if (median && isinf(evaluate(pr, &rcv, r->open, NULL, NULL))) {
            rc = sol__err(err, SOL_EINVAL,
                          "no solution found within the time limit of %g s; allow more time",
                          pr->time_limit_s);
            goto fail;
        }
    } else if (io.status == 1 || io.status == 2)
        r->status = io.status == 1 ? SOL_LOCATE_OPTIMAL : SOL_LOCATE_TIME_LIMIT;
    else {
        rc = ip_error(&io, err);
        goto fail;
    }
    r->lp_bound = io.lp;
    r->bound = io.bound;
    r->lagrangian_bound = lag_lb;
    if (isnan(r->bound) && !isnan(lag_lb)) /* the LP did not finish: the Lagrangian bound */
        r->bound = lag_lb;

    /* coverage and assignments from the chosen sites */
    for (size_t j = 0; j < pr->m; j++)
        r->n_open += r->open[j];
    r->wdist = evaluate(pr, &rcv, r->open, r->assign, &r->covered);
    for (size_t i = 0; i < pr->n; i++)
        r->total += pr->w[i];
    if (model == SOL_LOCATE_LSCP)
        r->objective = (double)r->n_open;
    else if (is_cover(model))
        r->objective = r->covered;
    else
        r->objective = r->status == SOL_LOCATE_HEURISTIC ? r->wdist : io.obj;
    if (r->status == SOL_LOCATE_HEURISTIC && isnan(r->bound))
        r->bound = io.lp;
    if (r->status == SOL_LOCATE_OPTIMAL && pr->mip_gap == 0)
        r->gap = 0;
    else if (isfinite(r->bound))
        r->gap = fabs(r->objective - r->bound) / fmax(fabs(r->objective), DBL_EPSILON);
    else
        r->gap = NAN;
    if (model == SOL_LOCATE_CPMEDIAN) { /* the programme's split: each point to its largest
                                           share; each site serves its shares */
        r->wdist = 0;
        for (size_t i = 0; i < pr->n; i++) {
            double bz = 0;
            r->assign[i] = -1;
            for (size_t q = rcv.start[i]; q < rcv.start[i + 1]; q++) {
                if (!(pr->w[i] > 0) || zv[q] <= 1e-9)
                    continue;
                r->served[rcv.site[q]] += pr->w[i] * zv[q];
                r->wdist += pr->w[i] * zv[q] * rcv.dist[q];
                if (zv[q] > bz) {
                    bz = zv[q];
                    r->assign[i] = rcv.site[q];
                }
            }
            if (r->assign[i] >= 0)
                r->n_served[r->assign[i]]++;
        }
    } else
        for (size_t i = 0; i < pr->n; i++)
            if (r->assign[i] >= 0) {
                r->served[r->assign[i]] += pr->w[i];
                r->n_served[r->assign[i]]++;
            }

    /* the marginal curve */
    size_t K = r->n_open > 0 ? r->n_open : 1;
    r->curve = sol__malloc(K * sizeof *r->curve);
    unsigned char *tmp = sol__malloc(pr->m);
    if (r->curve == NULL || tmp == NULL) {
        sol__free(tmp);
        goto oom;
    }
    for (size_t k = 0; k < K; k++)
        r->curve[k] = NAN;
    int exact = pr->exact_curve && model != SOL_LOCATE_BUDGET && K <= 12 &&
                rcv.start[pr->n] <= 50000 && pr->n * pr->m <= 200000;
    if (exact) {
        sol_locate_model cm =
            model == SOL_LOCATE_LSCP ? SOL_LOCATE_MCLP : model; /* coverage with k sites */
        for (size_t k = 1; k <= K; k++) {
            if (k < nkeep || (model == SOL_LOCATE_CPMEDIAN && k < r->n_open))
                continue;
            ipout ko;
            solve_ip(cm, pr, &rcv, k, NULL, pr->time_limit_s, tmp, NULL, &ko);
            if (ko.status == 1)
                r->curve[k - 1] = ko.obj;
            else if (ko.status != 0 && ko.status != 3)
                exact = 0;
        }
        if (model == SOL_LOCATE_CPMEDIAN)
            exact = 0;
    }
    if (!exact) {
        for (size_t k = 0; k < K; k++)
            r->curve[k] = NAN;
        sol_locate_model gm = model == SOL_LOCATE_CPMEDIAN ? SOL_LOCATE_PMEDIAN : model;
        long got = greedy(gm, pr, &rcv, K, tmp, r->curve);
        if (got < 0) {
            sol__free(tmp);
            goto oom;
        }
    }
    r->curve_exact = exact;
    r->n_curve = K;
    sol__free(tmp);
    r->seconds = now_s() - t0;
    reach_clear(&rcv);
    sol__free(heur);
    sol__free(zv);
    *out = r;
    return SOL_OK;
oom:
    rc = sol__err(err, SOL_ENOMEM, "out of memory");
fail:
    reach_clear(&rcv);
    sol__free(heur);
    sol__free(zv);
    sol_locate_result_free(r);
    return rc;
}
