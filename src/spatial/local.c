/* local.c - local spatial statistics: local Moran's I (LISA, spdep::localmoran, conditional and
 * total randomisation) and Getis-Ord Gi / Gi* (spdep::localG), with conditional permutations on
 * per-area RNG streams, p-value adjustment (BH, Bonferroni) and cluster classes. */
#include <solidata/spatial.h>

#include "core/core.h"
#include "spatial/spatial_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void sol_spatial_local_opts_default(sol_local_opts *o)
{
    memset(o, 0, sizeof *o);
    o->conditional = 1;
    o->mlvar = 1;
    o->alternative = SOL_ALT_TWO_SIDED;
    o->nsim = SOL_SPATIAL_NSIM_DEFAULT;
    o->seed = 1;
    o->alpha = 0.05;
    o->adjust = SOL_PADJUST_NONE;
}

const char *sol_spatial_quadrant_name(sol_quadrant q)
{
    static const char *names[] = {"LL", "HL", "LH", "HH"};
    return (unsigned)q < 4 ? names[q] : "?";
}

const char *sol_spatial_cluster_name(sol_cluster c)
{
    static const char *names[] = {"NS", "HH", "LL", "HL", "LH"};
    return (unsigned)c < 5 ? names[c] : "?";
}

void sol_local_result_free(sol_local_result *r)
{
    if (r == NULL)
        return;
    double *arr[] = {r->stat, r->expect, r->var,     r->z,     r->p,     r->g,
                     r->lag,  r->e_sim,  r->var_sim, r->z_sim, r->p_sim, r->p_adj};
    for (size_t i = 0; i < sizeof arr / sizeof *arr; i++)
        sol__free(arr[i]);
    sol__free_n(4, r->n_ge, r->quadrant, r->cluster, r);
}

static sol_local_result *result_alloc(size_t n, int gi, int perm)
{
    sol_local_result *r = sol__calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->n = n;
    size_t b = (n ? n : 1) * sizeof(double);
    r->stat = sol__malloc(b);
    r->expect = sol__malloc(b);
    r->var = sol__malloc(b);
    r->z = sol__malloc(b);
    r->p = sol__malloc(b);
    r->lag = sol__malloc(b);
    r->p_adj = sol__malloc(b);
    r->quadrant = sol__malloc((n ? n : 1) * sizeof *r->quadrant);
    r->cluster = sol__malloc((n ? n : 1) * sizeof *r->cluster);
    int ok = r->stat && r->expect && r->var && r->z && r->p && r->lag && r->p_adj && r->quadrant &&
             r->cluster;
    if (gi)
        ok = ok && (r->g = sol__malloc(b)) != NULL;
    if (perm) {
        r->e_sim = sol__malloc(b);
        r->var_sim = sol__malloc(b);
        r->z_sim = sol__malloc(b);
        r->p_sim = sol__malloc(b);
        r->n_ge = sol__malloc((n ? n : 1) * sizeof *r->n_ge);
        ok = ok && r->e_sim && r->var_sim && r->z_sim && r->p_sim && r->n_ge;
    }
    if (!ok) {
        sol_local_result_free(r);
        return NULL;
    }
    return r;
}

/* ---- p-value adjustment -------------------------------------------------------------------- */

typedef struct pidx {
    double p;
    size_t i;
} pidx;

static int cmp_pidx_desc(const void *a, const void *b)
{
    const pidx *x = a, *y = b;
    if (x->p != y->p)
        return (x->p < y->p) - (x->p > y->p);
    return (x->i > y->i) - (x->i < y->i);
}

sol_status sol_spatial_p_adjust(const double *p, size_t n, sol_padjust method, double *out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += !isnan(p[i]);
    if (method == SOL_PADJUST_NONE) {
        if (out != p)
            memmove(out, p, n * sizeof *out);
        return SOL_OK;
    }
    if (method == SOL_PADJUST_BONFERRONI) {
        for (size_t i = 0; i < n; i++)
            out[i] = isnan(p[i]) ? NAN : fmin(1.0, (double)m * p[i]);
        return SOL_OK;
    }
    pidx *v = sol__malloc((m ? m : 1) * sizeof *v);
    if (v == NULL)
        return SOL_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(p[i]))
            v[k++] = (pidx){p[i], i};
    qsort(v, m, sizeof *v, cmp_pidx_desc);
    /* R: pmin(1, cummin(n / i * p[o])) with o decreasing and i = n..1 */
    double cm = INFINITY;
    for (size_t r = 0; r < m; r++) {
        double q = (double)m / (double)(m - r) * v[r].p;
        cm = fmin(cm, q);
        v[r].p = fmin(1.0, cm);
    }
    for (size_t i = 0; i < n; i++)
        if (isnan(p[i]))
            out[i] = NAN;
    for (size_t r = 0; r < m; r++)
        out[v[r].i] = v[r].p;
    sol__free(v);
    return SOL_OK;
}

/* ---- conditional permutation engine ------------------------------------------------------- */

/* The statistic of area i from a lag of its neighbours' values: local Moran (z_i / s2 * lag) or
 * Getis-Ord's z ((lag - E[G_i]) / sd_i). One inline formula, not a call per permutation. */
typedef struct stat_ctx {
    int gi;
    const double *z; /* local Moran */
    double s2;
    const double *eg, *sd; /* Getis-Ord */
} stat_ctx;

static inline double stat_at(const stat_ctx *c, size_t i, double lag)
{
    return c->gi ? (lag - c->eg[i]) / c->sd[i] : (c->z[i] / c->s2) * lag;
}

/* Above this many neighbours, Floyd's membership test uses a stamped array instead of a scan. */
#define SCAN_K_MAX 32

/* Per-thread buffers of the permutations: the areas drawn, the row's weights without the area
 * itself (gathered contiguously), and, for long rows, stamps of the areas drawn. */
typedef struct perm_ws {
    uint32_t *sel, *mark, stamp;
    double *wk;
} perm_ws;

/* One permutation of area i: k distinct areas other than i into sel, every k-subset equally
 * likely (Floyd's algorithm: k draws, no pool array to shuffle and restore; pool index t is area
 * t + (t >= i)); put in random order (k - 1 more draws) only when the row's weights differ, else
 * the lag is summed as the areas come, each load overlapping the next draws. Returns the lag. */
static inline double draw_lag(sol__wy *g, uint32_t P, uint32_t i, uint32_t k, int ordered,
                              double self, const double *restrict wk, const double *restrict v,
                              uint32_t *restrict sel)
{
    double lag = self, w0 = wk[0];
    uint64_t seen = 0; /* a 64-bit filter of the areas drawn: most draws skip the scan */
    for (uint32_t c = 0, j = P - k; j < P; j++, c++) {
        uint32_t t = sol__wy_below32(g, j + 1), a = t + (t >= i);
        if (seen & (UINT64_C(1) << (a & 63)))
            for (uint32_t q = 0; q < c; q++)
                if (sel[q] == a) {
                    a = j + (j >= i); /* never drawn yet: every earlier draw is below j */
                    break;
                }
        seen |= UINT64_C(1) << (a & 63);
        sel[c] = a;
        if (!ordered)
            lag += w0 * v[a];
    }
    if (ordered) {
        for (uint32_t c = k - 1; c > 0; c--) {
            uint32_t u = sol__wy_below32(g, c + 1), tmp = sel[c];
            sel[c] = sel[u];
            sel[u] = tmp;
        }
        for (uint32_t c = 0; c < k; c++)
            lag += wk[c] * v[sel[c]];
    }
    return lag;
}

/* The same for rows longer than SCAN_K_MAX: membership by stamps, in random order always. */
static double draw_lag_long(sol__wy *g, uint32_t P, uint32_t i, uint32_t k, double self,
                            const double *wk, const double *v, perm_ws *ws)
{
    if (++ws->stamp == 0) { /* the stamps wrapped: start afresh */
        memset(ws->mark, 0, ((size_t)P + 1) * sizeof *ws->mark);
        ws->stamp = 1;
    }
    for (uint32_t c = 0, j = P - k; j < P; j++, c++) {
        uint32_t t = sol__wy_below32(g, j + 1), a = t + (t >= i);
        if (ws->mark[a] == ws->stamp)
            a = j + (j >= i);
        ws->mark[a] = ws->stamp;
        ws->sel[c] = a;
    }
    for (uint32_t c = k - 1; c > 0; c--) {
        uint32_t u = sol__wy_below32(g, c + 1), tmp = ws->sel[c];
        ws->sel[c] = ws->sel[u];
        ws->sel[u] = tmp;
    }
    double lag = self;
    for (uint32_t c = 0; c < k; c++)
        lag += wk[c] * v[ws->sel[c]];
    return lag;
}

/* nsim conditional permutations of area i (k neighbours other than itself): mean and variance
 * of the statistic (sums shifted by the observed value, so no division per draw and no
 * cancellation), #(>= observed) and the folded pseudo p. */
static void permute_area(const sol_weights *w, const double *v, const stat_ctx *c, double obs,
                         unsigned nsim, uint64_t seed, size_t i, perm_ws *ws, sol_local_result *r)
{
    size_t a = w->rowptr[i], b = w->rowptr[i + 1];
    uint32_t k = 0;
    double self = 0;
    int ordered = 0;
    for (size_t e = a; e < b; e++) {
        if (w->col[e] == i) {
            self = w->w[e] * v[i];
            continue;
        }
        ws->wk[k] = w->w[e];
        ordered |= k > 0 && ws->wk[k] != ws->wk[0];
        k++;
    }
    if (k == 0) {
        r->e_sim[i] = r->var_sim[i] = r->z_sim[i] = r->p_sim[i] = NAN;
        r->n_ge[i] = 0;
        return;
    }
    sol__wy g;
    sol__wy_init(&g, seed, i);
    uint32_t P = (uint32_t)(w->n - 1), ii = (uint32_t)i; /* the pool: every area but i */
    double s1 = 0, s2 = 0;
    size_t ge = 0;
    for (unsigned s = 0; s < nsim; s++) {
        double lag = k <= SCAN_K_MAX ? draw_lag(&g, P, ii, k, ordered, self, ws->wk, v, ws->sel)
                                     : draw_lag_long(&g, P, ii, k, self, ws->wk, v, ws);
        double st = stat_at(c, i, lag), d = st - obs;
        ge += st >= obs;
        s1 += d;
        s2 += d * d;
    }
    double dn = (double)nsim, mean = obs + s1 / dn;
    double var = nsim > 1 ? fmax(0.0, (s2 - s1 * s1 / dn) / (dn - 1)) : NAN;
    size_t lo = nsim - ge < ge ? nsim - ge : ge;
    r->e_sim[i] = mean;
    r->var_sim[i] = var;
    r->z_sim[i] = (obs - mean) / sqrt(var);
    r->n_ge[i] = ge;
    r->p_sim[i] = ((double)lo + 1.0) / ((double)nsim + 1.0);
}

/* For every area with neighbours (other than itself), nsim times: draw its k neighbour values
 * without replacement from the n - 1 other areas' values v and form the statistic. Areas are
 * shared among the threads; area i always uses RNG stream (seed, i) and nothing else carries
 * over from one area to the next, so the results do not depend on the number of threads. */
static sol_status permute(const sol_weights *w, const double *v, const stat_ctx *c,
                          const double *obs, unsigned nsim, uint64_t seed, sol_local_result *r)
{
    size_t n = w->n, kmax = 1;
    if (n - 1 > UINT32_MAX)
        return SOL_ELIMIT;
    for (size_t i = 0; i < n; i++)
        if (w->rowptr[i + 1] - w->rowptr[i] > kmax)
            kmax = w->rowptr[i + 1] - w->rowptr[i];
    int bad = 0;
#pragma omp parallel
    {
        perm_ws ws = {.stamp = 0};
        ws.sel = malloc(kmax * sizeof *ws.sel);
        ws.wk = malloc(kmax * sizeof *ws.wk);
        if (kmax > SCAN_K_MAX)
            ws.mark = calloc(n, sizeof *ws.mark);
        if (ws.sel == NULL || ws.wk == NULL || (kmax > SCAN_K_MAX && ws.mark == NULL)) {
#pragma omp atomic write
            bad = 1;
        }
#pragma omp for schedule(dynamic, 64)
        for (size_t i = 0; i < n; i++)
            if (!bad)
                permute_area(w, v, c, obs[i], nsim, seed, i, &ws, r);
        free(ws.sel);
        free(ws.wk);
        free(ws.mark);
    }
    return bad ? SOL_ENOMEM : SOL_OK;
}

static sol_status classify(sol_local_result *r, const sol_local_opts *o)
{
    r->alpha = o->alpha > 0 ? o->alpha : 0.05;
    int perm = r->nsim && o->cluster_from_perm;
    if (perm)
        for (size_t i = 0; i < r->n; i++)
            r->p_adj[i] = isnan(r->p_sim[i]) ? NAN : fmin(1.0, 2.0 * r->p_sim[i]);
    sol_status rc = sol_spatial_p_adjust(perm ? r->p_adj : r->p, r->n, o->adjust, r->p_adj);
    if (rc != SOL_OK)
        return rc;
    static const sol_cluster map[4] = {SOL_CLUSTER_LL, SOL_CLUSTER_HL, SOL_CLUSTER_LH,
                                       SOL_CLUSTER_HH};
    for (size_t i = 0; i < r->n; i++)
        r->cluster[i] = r->p_adj[i] < r->alpha ? map[r->quadrant[i]] : SOL_CLUSTER_NS;
    return SOL_OK;
}

/* The options (*o, or the defaults filled into *def when NULL) and the values checked. */
static sol_status check_input(const sol_weights *w, const double *x, const sol_local_opts **opts,
                              sol_local_opts *def, sol_error *err)
{
    if (*opts == NULL) {
        sol_spatial_local_opts_default(def);
        *opts = def;
    }
    const sol_local_opts *o = *opts;
    if (w->n < 3)
        return sol__err(err, SOL_EINVAL, "local statistics need at least 3 areas, got %zu", w->n);
    if (o->nsim > SOL_SPATIAL_NSIM_MAX)
        return sol__err(err, SOL_ELIMIT, "%u permutations exceed %u", o->nsim,
                        (unsigned)SOL_SPATIAL_NSIM_MAX);
    if (!(o->alpha >= 0 && o->alpha < 1))
        return sol__err(err, SOL_EINVAL, "alpha must be in (0, 1)");
    for (size_t i = 0; i < w->n; i++)
        if (!isfinite(x[i]))
            return sol__err(err, SOL_EINVAL, "area %s: value is missing or not finite", w->ids[i]);
    return SOL_OK;
}

/* ---- local Moran ----------------------------------------------------------------------------- */

/* The end of every local statistic: the permutation p when asked for, then the clusters. */
static sol_status finish(const sol_weights *w, const double *v, const stat_ctx *c,
                         sol_local_result *r, const sol_local_opts *o)
{
    sol_status rc;
    r->nsim = o->nsim;
    if (o->nsim > 0 && (rc = permute(w, v, c, r->stat, o->nsim, o->seed, r)) != SOL_OK)
        return rc;
    return classify(r, o);
}

sol_status sol_spatial_lisa(const sol_weights *w, const double *x, const sol_local_opts *o,
                            sol_local_result **out, sol_error *err)
{
    sol_local_opts def;
    sol_status rc = check_input(w, x, &o, &def, err);
    if (rc != SOL_OK)
        return rc;
    if (w->self_included)
        return sol__err(err, SOL_EINVAL, "local Moran needs weights without self-neighbours");
    size_t n = w->n;
    double dn = (double)n;
    sol_local_result *r = result_alloc(n, 0, o->nsim > 0);
    double *z = sol__malloc(n * sizeof *z);
    if (r == NULL || z == NULL) {
        rc = SOL_ENOMEM;
        goto fail;
    }
    double mean = 0, zz = 0, z4 = 0;
    for (size_t i = 0; i < n; i++)
        mean += x[i];
    mean /= dn;
    for (size_t i = 0; i < n; i++) {
        z[i] = x[i] - mean;
        zz += z[i] * z[i];
        z4 += z[i] * z[i] * z[i] * z[i];
    }
    if (!(zz > 0)) {
        rc = sol__err(err, SOL_EINVAL, "the variable is constant: local Moran is undefined");
        goto fail;
    }
    double s2 = o->mlvar ? zz / dn : zz / (dn - 1), m2 = zz / dn;
    double b2 = (o->mlvar ? z4 / dn : z4 / (dn - 1)) / (s2 * s2);
    double A = (dn - b2) / (dn - 1), B = (2 * b2 - dn) / ((dn - 1) * (dn - 2));
    stat_ctx ctx = {.z = z, .s2 = s2};
    for (size_t i = 0; i < n; i++) {
        double lz = 0, Wi = 0, Wi2 = 0;
        for (size_t e = w->rowptr[i]; e < w->rowptr[i + 1]; e++) {
            lz += w->w[e] * z[w->col[e]];
            Wi += w->w[e];
            Wi2 += w->w[e] * w->w[e];
        }
        r->lag[i] = lz;
        r->stat[i] = stat_at(&ctx, i, lz);
        if (o->conditional) {
            r->expect[i] = -(z[i] * z[i] * Wi) / ((dn - 1) * m2);
            r->var[i] = (z[i] / m2) * (z[i] / m2) * (dn / (dn - 2)) * (Wi2 - (Wi * Wi / (dn - 1))) *
                        (m2 - (z[i] * z[i] / (dn - 1)));
        } else {
            r->expect[i] = -Wi / (dn - 1);
            r->var[i] = A * Wi2 + B * (Wi * Wi - Wi2) - r->expect[i] * r->expect[i];
        }
        r->z[i] = (r->stat[i] - r->expect[i]) / sqrt(r->var[i]);
        r->p[i] = sol__spatial_pnorm_alt(r->z[i], o->alternative);
        r->quadrant[i] = (sol_quadrant)((z[i] > 0 ? 1 : 0) + (lz > 0 ? 2 : 0));
    }
    if ((rc = finish(w, z, &ctx, r, o)) != SOL_OK)
        goto fail;
    sol__free(z);
    *out = r;
    return SOL_OK;
fail:
    sol__free(z);
    sol_local_result_free(r);
    return rc;
}

/* ---- Getis-Ord --------------------------------------------------------------------------- */

sol_status sol_spatial_getis_ord(const sol_weights *w, const double *x, const sol_local_opts *o,
                                 sol_local_result **out, sol_error *err)
{
    sol_local_opts def;
    sol_status rc = check_input(w, x, &o, &def, err);
    if (rc != SOL_OK)
        return rc;
    size_t n = w->n;
    double dn = (double)n;
    int star = w->self_included;
    sol_local_result *r = result_alloc(n, 1, o->nsim > 0);
    double *eg = sol__malloc(2 * n * sizeof *eg);
    if (r == NULL || eg == NULL) {
        rc = SOL_ENOMEM;
        goto fail;
    }
    double *sd = eg + n;
    double sx = 0, sxx = 0, mean, ss = 0;
    for (size_t i = 0; i < n; i++) {
        sx += x[i];
        sxx += x[i] * x[i];
    }
    mean = sx / dn;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    stat_ctx ctx = {.gi = 1, .eg = eg, .sd = sd};
    for (size_t i = 0; i < n; i++) {
        double lx = 0, Wi = 0, S1i = 0;
        for (size_t e = w->rowptr[i]; e < w->rowptr[i + 1]; e++) {
            lx += w->w[e] * x[w->col[e]];
            Wi += w->w[e];
            S1i += w->w[e] * w->w[e];
        }
        double xibar, si2, VG, xs = star ? sx : sx - x[i];
        if (star) {
            xibar = mean;
            si2 = ss / dn;
            VG = si2 * ((dn * S1i - Wi * Wi) / (dn - 1));
        } else {
            xibar = (sx - x[i]) / (dn - 1);
            si2 = ((sxx - x[i] * x[i]) / (dn - 1)) - xibar * xibar;
            VG = si2 * (((dn - 1) * S1i - Wi * Wi) / (dn - 2));
        }
        eg[i] = Wi * xibar;
        sd[i] = sqrt(VG);
        r->lag[i] = lx;
        r->stat[i] = r->z[i] = stat_at(&ctx, i, lx);
        r->g[i] = lx / xs;
        r->expect[i] = eg[i] / xs;
        r->var[i] = VG / (xs * xs);
        r->p[i] = sol__spatial_pnorm_alt(r->z[i], o->alternative);
        r->quadrant[i] = r->z[i] > 0 ? SOL_QUAD_HH : SOL_QUAD_LL; /* hot / cold spot */
    }
    r->is_gstar = star;
    if ((rc = finish(w, x, &ctx, r, o)) != SOL_OK)
        goto fail;
    sol__free(eg);
    *out = r;
    return SOL_OK;
fail:
    sol__free(eg);
    sol_local_result_free(r);
    return rc;
}
