/* weights.c - spatial weights in CSR form: contiguity from polygons (vertices hashed into
 * snap-sized grid cells, never all pairs of polygons), k nearest neighbours and distance bands on
 * centroids (latitude-sorted scan), styles, islands, self-inclusion. */
#include <solidata/spatial.h>

#include "core/core.h"
#include "spatial/spatial_int.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void sol_weights_free(sol_weights *w)
{
    if (w == NULL)
        return;
    if (w->ids != NULL)
        for (size_t i = 0; i < w->n; i++)
            sol__free(w->ids[i]);
    sol__free_n(5, w->ids, w->rowptr, w->col, w->w, w);
}

/* Allocate a weights structure for n areas and nnz entries; ids copied when given. */
sol_weights *sol__weights_alloc(size_t n, size_t nnz, const char *const *ids)
{
    sol_weights *w = sol__calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    w->n = n;
    w->style = 'B';
    w->rowptr = sol__calloc(n + 1, sizeof *w->rowptr);
    w->col = sol__malloc((nnz ? nnz : 1) * sizeof *w->col);
    w->w = sol__malloc((nnz ? nnz : 1) * sizeof *w->w);
    w->ids = sol__calloc(n ? n : 1, sizeof *w->ids);
    if (w->rowptr == NULL || w->col == NULL || w->w == NULL || w->ids == NULL)
        goto fail;
    if (ids != NULL)
        for (size_t i = 0; i < n; i++)
            if ((w->ids[i] = sol__strdup(ids[i])) == NULL)
                goto fail;
    return w;
fail:
    sol_weights_free(w);
    return NULL;
}

size_t sol_spatial_weights_islands(const sol_weights *w, size_t *idx)
{
    size_t c = 0;
    for (size_t i = 0; i < w->n; i++)
        if (w->rowptr[i + 1] == w->rowptr[i] ||
            (w->self_included && w->rowptr[i + 1] - w->rowptr[i] == 1)) {
            if (idx != NULL)
                idx[c] = i;
            c++;
        }
    return c;
}

sol_status sol_spatial_weights_restyle(sol_weights *w, char style, sol_error *err)
{
    if (style != 'W' && style != 'B')
        return sol__err(err, SOL_EINVAL, "weights style '%c': expected W or B", style);
    for (size_t i = 0; i < w->n; i++) {
        size_t a = w->rowptr[i], b = w->rowptr[i + 1];
        for (size_t e = a; e < b; e++)
            w->w[e] = 1.0;
        if (style == 'W')
            for (size_t e = a; e < b; e++)
                w->w[e] = 1.0 / (double)(b - a);
    }
    w->style = style;
    return SOL_OK;
}

int sol_spatial_weights_symmetric(const sol_weights *w)
{
    for (size_t i = 0; i < w->n; i++)
        for (size_t e = w->rowptr[i]; e < w->rowptr[i + 1]; e++) {
            size_t j = w->col[e], lo = w->rowptr[j], hi = w->rowptr[j + 1];
            while (lo < hi) { /* binary search i in row j (sorted) */
                size_t m = lo + (hi - lo) / 2;
                if (w->col[m] < i)
                    lo = m + 1;
                else
                    hi = m;
            }
            if (lo == w->rowptr[j + 1] || w->col[lo] != i)
                return 0;
        }
    return 1;
}

/* Report islands according to the policy: SOL_EGEO listing (up to 20 of) them, or SOL_OK. */
sol_status sol__weights_check_islands(const sol_weights *w, sol_islands pol, sol_error *err)
{
    size_t c = sol_spatial_weights_islands(w, NULL);
    if (c == 0 || pol == SOL_ISLANDS_KEEP)
        return SOL_OK;
    sol_buf b;
    sol__buf_init(&b, 4096);
    size_t shown = 0;
    for (size_t i = 0; i < w->n && shown < 20; i++)
        if (w->rowptr[i + 1] - w->rowptr[i] == (size_t)(w->self_included ? 1 : 0)) {
            if (sol__buf_addf(&b, "%s%s", shown ? ", " : "", w->ids[i] ? w->ids[i] : "?") != SOL_OK)
                break;
            shown++;
        }
    /* the English plural keeps "area(s)" as the tests read it */
    sol_status rc = sol__err(err, SOL_EGEO,
                             sol_ngettext("%zu area without neighbours: %s%s; choose how to treat "
                                          "it (islands keep: spatial lag 0, as spdep "
                                          "zero.policy=TRUE), or use knn or a larger snap/band",
                                          "%zu area(s) without neighbours: %s%s; choose how to "
                                          "treat them (islands keep: spatial lag 0, as spdep "
                                          "zero.policy=TRUE), or use knn or a larger snap/band",
                                          c),
                             c, b.data ? b.data : "", c > shown ? ", ..." : "");
    sol__buf_free(&b);
    return rc;
}

static void sort_small(size_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        size_t x = v[i], j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* CSR from undirected pairs packed as (a << 32 | b), a != b, duplicates allowed: a counting sort
 * by row (both directions), then each short row sorted (insertion) and deduplicated in place.
 * Binary weights. */
static sol_status csr_from_pairs(size_t n, const uint64_t *pairs, size_t np, const char *const *ids,
                                 sol_weights **out)
{
    size_t *start = sol__calloc(n + 1, sizeof *start), *col = NULL;
    if (start == NULL)
        return SOL_ENOMEM;
    for (size_t i = 0; i < np; i++) {
        start[(pairs[i] >> 32) + 1]++;
        start[(pairs[i] & 0xffffffffu) + 1]++;
    }
    for (size_t i = 0; i < n; i++)
        start[i + 1] += start[i];
    col = sol__malloc((np ? 2 * np : 1) * sizeof *col);
    size_t *fill = sol__malloc((n ? n : 1) * sizeof *fill);
    if (col == NULL || fill == NULL) {
        sol__free_n(3, start, col, fill);
        return SOL_ENOMEM;
    }
    memcpy(fill, start, n * sizeof *fill);
    for (size_t i = 0; i < np; i++) {
        size_t a = (size_t)(pairs[i] >> 32), b = (size_t)(pairs[i] & 0xffffffffu);
        col[fill[a]++] = b;
        col[fill[b]++] = a;
    }
    size_t u = 0; /* rows sorted, duplicates dropped, compacted in place; fill[i]: new start */
    for (size_t i = 0; i < n; i++) {
        size_t a = start[i], e = start[i + 1];
        sort_small(col + a, e - a);
        fill[i] = u;
        for (size_t k = a; k < e; k++)
            if (k == a || col[k] != col[k - 1])
                col[u++] = col[k];
    }
    sol_weights *w = sol__weights_alloc(n, u, ids);
    if (w == NULL) {
        sol__free_n(3, start, col, fill);
        return SOL_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        w->rowptr[i] = fill[i];
    w->rowptr[n] = u;
    memcpy(w->col, col, u * sizeof *col);
    for (size_t i = 0; i < u; i++)
        w->w[i] = 1.0;
    sol__free_n(3, start, col, fill);
    *out = w;
    return SOL_OK;
}

/* ---- contiguity ----------------------------------------------------------------------------- */

/* Vertices grouped by grid cell (side `snap`; with snap 0 the cell is the exact coordinates): a
 * hash table from cell to cell number, then a counting sort of the vertices by cell number. A
 * vertex meets the vertices of its own cell and of the 8 cells around it, each pair of cells
 * visited once: no sort of the vertices, no search, no pairwise test of polygons. */
typedef struct cellgrid {
    size_t nv, nc;
    int64_t *cx, *cy;   /* cell number -> cell coordinates */
    size_t *cstart;     /* cell number -> its first vertex in the grouped arrays (nc + 1) */
    uint32_t *tab, cap; /* open addressing: cell number + 1, 0 empty; cap a power of 2 */
    double *x, *y;      /* grouped vertices: coordinates, polygon, ring and position */
    uint32_t *feat, *ring, *pos;
} cellgrid;

typedef struct ringref {
    const double *xy;
    size_t n;
} ringref;

static void grid_free(cellgrid *g)
{
    sol__free_n(5, g->cx, g->cy, g->cstart, g->tab, g->x);
    sol__free_n(4, g->y, g->feat, g->ring, g->pos);
}

static uint32_t cell_hash(int64_t cx, int64_t cy)
{
    uint64_t h = (uint64_t)cx * 0x9e3779b97f4a7c15u ^ (uint64_t)cy * 0xc2b2ae3d27d4eb4fu;
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9u;
    return (uint32_t)(h >> 32);
}

/* The slot of cell (cx, cy): its number + 1 there, or 0 where it would go. */
static uint32_t *cell_slot(const cellgrid *g, int64_t cx, int64_t cy)
{
    uint32_t m = g->cap - 1, h = cell_hash(cx, cy) & m;
    for (;; h = (h + 1) & m) {
        uint32_t c = g->tab[h];
        if (c == 0 || (g->cx[c - 1] == cx && g->cy[c - 1] == cy))
            return &g->tab[h];
    }
}

/* The cell of a point; SOL_EINVAL when snap is so small that the cell overflows. */
static sol_status cell_of(double x, double y, double snap, int64_t *cx, int64_t *cy)
{
    if (snap > 0) {
        double fx = floor(x / snap), fy = floor(y / snap);
        if (!(fabs(fx) < 4e18 && fabs(fy) < 4e18))
            return SOL_EINVAL;
        *cx = (int64_t)fx;
        *cy = (int64_t)fy;
    } else { /* exact matching: the bit patterns are the cell (+0.0 folds -0.0) */
        x += 0.0;
        y += 0.0;
        memcpy(cx, &x, sizeof x);
        memcpy(cy, &y, sizeof y);
    }
    return SOL_OK;
}

/* Number every ring (rr) and group every vertex by cell. */
static sol_status grid_build(const sol_layer *l, double snap, const char **ids, ringref *rr,
                             uint32_t *vcell, cellgrid *g, sol_error *err)
{
    size_t k = 0, kr = 0;
    for (size_t i = 0; i < l->n; i++)
        for (size_t p = 0; p < l->f[i].nparts; p++)
            for (size_t r = 0; r < l->f[i].parts[p].nrings; r++, kr++) {
                const sol_ring *ring = &l->f[i].parts[p].rings[r];
                rr[kr] = (ringref){ring->xy, ring->n};
                for (size_t q = 0; q + 1 < ring->n; q++, k++) {
                    int64_t cx, cy;
                    if (cell_of(ring->xy[2 * q], ring->xy[2 * q + 1], snap, &cx, &cy) != SOL_OK)
                        return sol__err(err, SOL_EINVAL,
                                        "snap %g too small for coordinates of area %s", snap,
                                        ids[i]);
                    uint32_t *slot = cell_slot(g, cx, cy);
                    if (*slot == 0) {
                        g->cx[g->nc] = cx;
                        g->cy[g->nc] = cy;
                        *slot = (uint32_t)++g->nc;
                    }
                    vcell[k] = *slot - 1;
                    g->cstart[*slot]++;
                }
            }
    for (size_t c = 0; c < g->nc; c++)
        g->cstart[c + 1] += g->cstart[c];
    k = 0;
    kr = 0;
    for (size_t i = 0; i < l->n; i++)
        for (size_t p = 0; p < l->f[i].nparts; p++)
            for (size_t r = 0; r < l->f[i].parts[p].nrings; r++, kr++)
                for (size_t q = 0; q + 1 < rr[kr].n; q++, k++) {
                    size_t d = g->cstart[vcell[k]]++;
                    g->x[d] = rr[kr].xy[2 * q];
                    g->y[d] = rr[kr].xy[2 * q + 1];
                    g->feat[d] = (uint32_t)i;
                    g->ring[d] = (uint32_t)kr;
                    g->pos[d] = (uint32_t)q;
                }
    for (size_t c = g->nc; c > 0; c--) /* the fill moved each start to the next cell's */
        g->cstart[c] = g->cstart[c - 1];
    g->cstart[0] = 0;
    return SOL_OK;
}

typedef struct pairvec {
    uint64_t *p;
    size_t n, cap;
} pairvec;

static sol_status pair_push(pairvec *pv, uint32_t a, uint32_t b)
{
    if (a > b) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    uint64_t key = ((uint64_t)a << 32) | b;
    if (pv->n > 0 && pv->p[pv->n - 1] == key)
        return SOL_OK;
    if (pv->n == pv->cap) {
        size_t nc = pv->cap ? 2 * pv->cap : 1024;
        uint64_t *np = sol__realloc(pv->p, nc * sizeof *np);
        if (np == NULL)
            return SOL_ENOMEM;
        pv->p = np;
        pv->cap = nc;
    }
    pv->p[pv->n++] = key;
    return SOL_OK;
}

static int near_pt(const double *a, const double *b, double snap2)
{
    double dx = a[0] - b[0], dy = a[1] - b[1];
    return dx * dx + dy * dy <= snap2;
}

/* Do the rings of grouped vertices p and q share an edge starting at p? (next of p near next
 * or previous of q). */
static int shared_edge(const ringref *rr, const cellgrid *g, size_t p, size_t q, double snap2)
{
    const ringref *rb = &rr[g->ring[q]];
    const double *an = rr[g->ring[p]].xy + 2 * (g->pos[p] + 1);
    size_t bn = g->pos[q] + 1, bp = g->pos[q] == 0 ? rb->n - 2 : g->pos[q] - 1;
    return near_pt(an, rb->xy + 2 * bn, snap2) || near_pt(an, rb->xy + 2 * bp, snap2);
}

/* The links between the vertices [a0, a1) and [b0, b1) (b0 > a0 when the same cell). */
static sol_status link_range(const cellgrid *g, const ringref *rr, int queen, double snap2,
                             size_t a0, size_t a1, size_t b0, size_t b1, int same, pairvec *pv)
{
    for (size_t i = a0; i < a1; i++)
        for (size_t j = same ? i + 1 : b0; j < b1; j++) {
            if (g->feat[j] == g->feat[i])
                continue;
            double dx = g->x[i] - g->x[j], dy = g->y[i] - g->y[j];
            if (!(dx * dx + dy * dy <= snap2))
                continue;
            if (!queen && !shared_edge(rr, g, i, j, snap2) && !shared_edge(rr, g, j, i, snap2))
                continue;
            if (pair_push(pv, g->feat[i], g->feat[j]) != SOL_OK)
                return SOL_ENOMEM;
        }
    return SOL_OK;
}

static sol_status contiguity(const sol_layer *l, int queen, double snap, const char **ids,
                             sol_weights **out, sol_error *err)
{
    sol_status rc = SOL_ENOMEM;
    size_t nv = 0, nr = 0;
    cellgrid g = {0};
    ringref *rr = NULL;
    uint32_t *vcell = NULL;
    pairvec pv = {0};
    for (size_t i = 0; i < l->n; i++)
        for (size_t p = 0; p < l->f[i].nparts; p++)
            for (size_t r = 0; r < l->f[i].parts[p].nrings; r++) {
                size_t m = l->f[i].parts[p].rings[r].n;
                if (m < 4)
                    return sol__err(err, SOL_EGEO, "area %s: ring with %zu points", ids[i], m);
                nv += m - 1; /* the closing point repeats the first */
                nr++;
            }
    if (nv >= UINT32_MAX / 4 || nr > UINT32_MAX) /* the hash table holds 2 nv slots */
        return sol__err(err, SOL_ELIMIT, "%zu vertices: more than 2^30", nv);
    g.cap = 1024;
    while (g.cap < 2 * nv)
        g.cap *= 2;
    size_t vb = (nv ? nv : 1);
    rr = sol__malloc((nr ? nr : 1) * sizeof *rr);
    vcell = sol__malloc(vb * sizeof *vcell);
    g.tab = sol__calloc(g.cap, sizeof *g.tab);
    g.cx = sol__malloc(vb * sizeof *g.cx);
    g.cy = sol__malloc(vb * sizeof *g.cy);
    g.cstart = sol__calloc(nv + 1, sizeof *g.cstart);
    g.x = sol__malloc(vb * sizeof *g.x);
    g.y = sol__malloc(vb * sizeof *g.y);
    g.feat = sol__malloc(vb * sizeof *g.feat);
    g.ring = sol__malloc(vb * sizeof *g.ring);
    g.pos = sol__malloc(vb * sizeof *g.pos);
    if (!rr || !vcell || !g.tab || !g.cx || !g.cy || !g.cstart || !g.x || !g.y || !g.feat ||
        !g.ring || !g.pos)
        goto fail;
    if ((rc = grid_build(l, snap, ids, rr, vcell, &g, err)) != SOL_OK)
        goto fail;
    sol__free(vcell);
    vcell = NULL;
    double snap2 = snap * snap;
    /* each cell meets itself and the 4 cells "after" it; the other 4 see it from their side */
    static const int dcell[4][2] = {{0, 1}, {1, -1}, {1, 0}, {1, 1}};
    for (size_t c = 0; c < g.nc; c++) {
        size_t a0 = g.cstart[c], a1 = g.cstart[c + 1];
        rc = link_range(&g, rr, queen, snap2, a0, a1, a0, a1, 1, &pv);
        for (int d = 0; d < (snap > 0 ? 4 : 0) && rc == SOL_OK; d++) {
            uint32_t o = *cell_slot(&g, g.cx[c] + dcell[d][0], g.cy[c] + dcell[d][1]);
            if (o != 0)
                rc = link_range(&g, rr, queen, snap2, a0, a1, g.cstart[o - 1], g.cstart[o], 0, &pv);
        }
        if (rc != SOL_OK)
            goto fail;
    }
    grid_free(&g);
    sol__free(rr);
    rc = csr_from_pairs(l->n, pv.p, pv.n, ids, out);
    sol__free(pv.p);
    return rc;
fail:
    grid_free(&g);
    sol__free(rr);
    sol__free(vcell);
    sol__free(pv.p);
    return rc;
}

/* ---- distances ------------------------------------------------------------------------------ */

double sol_spatial_gcdist_km(double lon1, double lat1, double lon2, double lat2)
{
    /* sp's gcdist.c: Forsythe-Andoyer-Lambert on the WGS84 ellipsoid */
    const double a = 6378.137, f = 1.0 / 298.257223563, d2r = M_PI / 180.0;
    if (fabs(lat1 - lat2) < DBL_EPSILON) {
        if (fabs(lon1 - lon2) < DBL_EPSILON)
            return 0.0;
        if (fabs((fabs(lon1) + fabs(lon2)) - 360.0) < DBL_EPSILON)
            return 0.0;
    }
    double F = (lat1 * d2r + lat2 * d2r) / 2.0, G = (lat1 * d2r - lat2 * d2r) / 2.0;
    double L = (lon1 * d2r - lon2 * d2r) / 2.0;
    double sG = sin(G), cG = cos(G), sF = sin(F), cF = cos(F), sL = sin(L), cL = cos(L);
    double sinG2 = sG * sG, cosG2 = cG * cG, sinF2 = sF * sF, cosF2 = cF * cF;
    double sinL2 = sL * sL, cosL2 = cL * cL;
    double S = sinG2 * cosL2 + cosF2 * sinL2, C = cosG2 * cosL2 + sinF2 * sinL2;
    double w = atan(sqrt(S / C)), R = sqrt(S * C) / w, D = 2 * w * a;
    double H1 = (3 * R - 1) / (2 * C), H2 = (3 * R + 1) / (2 * S);
    return D * (1 + f * H1 * sinF2 * cosG2 - f * H2 * cosF2 * sinG2);
}

static double pt_dist(const double *p, const double *q, int longlat)
{
    if (longlat)
        return sol_spatial_gcdist_km(p[0], p[1], q[0], q[1]);
    return hypot(p[0] - q[0], p[1] - q[1]);
}

/* A lower bound of the distance between points whose latitudes (y) differ by dy: the meridian
 * radius of curvature of WGS84 is at least a(1 - e^2) = 6335.4 km; 6300 leaves a margin for the
 * approximation. */
static double dy_bound(double dy, int longlat)
{
    return longlat ? fabs(dy) * (M_PI / 180.0) * 6300.0 : fabs(dy);
}

typedef struct ykey {
    double y;
    size_t i;
} ykey;

static int cmp_ykey(const void *a, const void *b)
{
    const ykey *p = a, *q = b;
    if (p->y != q->y)
        return (p->y > q->y) - (p->y < q->y);
    return (p->i > q->i) - (p->i < q->i);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* k nearest: rows of exactly k neighbours, found by scanning outwards in latitude order. */
static sol_status knn_rows(size_t n, const double *xy, const ykey *ord, const size_t *rank,
                           unsigned k, int longlat, sol_weights *w)
{
    int bad = 0;
#pragma omp parallel
    {
        double *bd = malloc(k * sizeof *bd);
        size_t *bi = malloc(k * sizeof *bi);
        if (bd == NULL || bi == NULL) {
#pragma omp atomic write
            bad = 1;
        }
#pragma omp for schedule(dynamic, 64)
        for (size_t i = 0; i < n; i++) {
            if (bd == NULL || bi == NULL)
                continue;
            size_t m = 0, r = rank[i];
            for (int dir = 0; dir < 2; dir++) {
                for (size_t s = 1;; s++) {
                    if (dir == 0 ? r + s >= n : s > r)
                        break;
                    size_t j = ord[dir == 0 ? r + s : r - s].i;
                    if (m == k && dy_bound(xy[2 * j + 1] - xy[2 * i + 1], longlat) > bd[k - 1])
                        break;
                    double d = pt_dist(xy + 2 * i, xy + 2 * j, longlat);
                    if (m == k && !(d < bd[k - 1] || (d == bd[k - 1] && j < bi[k - 1])))
                        continue;
                    size_t t = m < k ? m++ : k - 1; /* insertion into the sorted best list */
                    while (t > 0 && (bd[t - 1] > d || (bd[t - 1] == d && bi[t - 1] > j))) {
                        bd[t] = bd[t - 1];
                        bi[t] = bi[t - 1];
                        t--;
                    }
                    bd[t] = d;
                    bi[t] = j;
                }
            }
            size_t *row = w->col + (size_t)k * i;
            memcpy(row, bi, k * sizeof *bi);
            qsort(row, k, sizeof *row, cmp_size);
        }
        free(bd);
        free(bi);
    }
    return bad ? SOL_ENOMEM : SOL_OK;
}

/* Distance band: count (fill == 0) or fill (fill == 1) the rows of points within dist. */
static void band_rows(size_t n, const double *xy, const ykey *ord, const size_t *rank, double dist,
                      int longlat, sol_weights *w, int fill)
{
#pragma omp parallel for schedule(dynamic, 64)
    for (size_t i = 0; i < n; i++) {
        size_t r = rank[i], c = 0, base = fill ? w->rowptr[i] : 0;
        for (int dir = 0; dir < 2; dir++)
            for (size_t s = 1;; s++) {
                if (dir == 0 ? r + s >= n : s > r)
                    break;
                size_t j = ord[dir == 0 ? r + s : r - s].i;
                if (dy_bound(xy[2 * j + 1] - xy[2 * i + 1], longlat) > dist)
                    break;
                if (pt_dist(xy + 2 * i, xy + 2 * j, longlat) <= dist) {
                    if (fill)
                        w->col[base + c] = j;
                    c++;
                }
            }
        if (fill)
            qsort(w->col + base, c, sizeof *w->col, cmp_size);
        else
            w->rowptr[i + 1] = c;
    }
}

sol_status sol_spatial_weights_points(size_t n, const double *xy, const char *const *ids,
                                      const sol_weights_spec *spec, sol_weights **out,
                                      sol_error *err)
{
    sol_status rc = SOL_ENOMEM;
    sol_weights *w = NULL;
    ykey *ord = NULL;
    size_t *rank = NULL;
    char style = spec->style ? spec->style : 'W';
    if (spec->kind != SOL_WEIGHTS_KNN && spec->kind != SOL_WEIGHTS_BAND)
        return sol__err(err, SOL_EINVAL, "point weights are knn or band");
    if (style != 'W' && style != 'B')
        return sol__err(err, SOL_EINVAL, "weights style '%c': expected W or B", style);
    if (n > SOL_MAX_AREAS)
        return sol__err(err, SOL_ELIMIT, "%zu areas exceed %u", n, (unsigned)SOL_MAX_AREAS);
    if (spec->kind == SOL_WEIGHTS_KNN && (spec->k < 1 || spec->k >= n))
        return sol__err(err, SOL_EINVAL, "knn: k = %u must be between 1 and n - 1 = %zu", spec->k,
                        n ? n - 1 : 0);
    if (spec->kind == SOL_WEIGHTS_BAND && !(spec->dist > 0 && isfinite(spec->dist)))
        return sol__err(err, SOL_EINVAL, "band: the distance must be positive");
    for (size_t i = 0; i < 2 * n; i++)
        if (!isfinite(xy[i]))
            return sol__err(err, SOL_EINVAL, "area %s: centroid is not finite", ids[i / 2]);
    ord = sol__malloc((n ? n : 1) * sizeof *ord);
    rank = sol__malloc((n ? n : 1) * sizeof *rank);
    if (ord == NULL || rank == NULL)
        goto fail;
    for (size_t i = 0; i < n; i++)
        ord[i] = (ykey){xy[2 * i + 1], i};
    qsort(ord, n, sizeof *ord, cmp_ykey);
    for (size_t r = 0; r < n; r++)
        rank[ord[r].i] = r;
    if (spec->kind == SOL_WEIGHTS_KNN) {
        if ((w = sol__weights_alloc(n, (size_t)spec->k * n, ids)) == NULL)
            goto fail;
        for (size_t i = 0; i <= n; i++)
            w->rowptr[i] = (size_t)spec->k * i;
        if ((rc = knn_rows(n, xy, ord, rank, spec->k, spec->longlat, w)) != SOL_OK)
            goto fail;
    } else {
        if ((w = sol__weights_alloc(n, 0, ids)) == NULL)
            goto fail;
        band_rows(n, xy, ord, rank, spec->dist, spec->longlat, w, 0);
        for (size_t i = 0; i < n; i++)
            w->rowptr[i + 1] += w->rowptr[i];
        size_t nnz = w->rowptr[n];
        size_t *c = sol__realloc(w->col, (nnz ? nnz : 1) * sizeof *c);
        if (c == NULL)
            goto fail;
        w->col = c;
        double *ww = sol__realloc(w->w, (nnz ? nnz : 1) * sizeof *ww);
        if (ww == NULL)
            goto fail;
        w->w = ww;
        band_rows(n, xy, ord, rank, spec->dist, spec->longlat, w, 1);
    }
    sol__free(ord);
    sol__free(rank);
    ord = NULL;
    rank = NULL;
    sol_spatial_weights_restyle(w, style, NULL);
    if ((rc = sol__weights_check_islands(w, spec->islands, err)) != SOL_OK)
        goto fail;
    *out = w;
    return SOL_OK;
fail:
    sol__free(ord);
    sol__free(rank);
    sol_weights_free(w);
    return rc;
}

sol_status sol_spatial_weights_build(const sol_layer *l, const sol_weights_spec *spec,
                                     sol_weights **out, sol_error *err)
{
    sol_status rc = SOL_ENOMEM;
    const char **ids = NULL;
    double *xy = NULL;
    sol_weights *w = NULL;
    if (l == NULL || spec == NULL || out == NULL)
        return sol__err(err, SOL_EINVAL, "NULL layer, spec or out");
    char style = spec->style ? spec->style : 'W';
    if (style != 'W' && style != 'B')
        return sol__err(err, SOL_EINVAL, "weights style '%c': expected W or B", style);
    if (l->n > SOL_MAX_AREAS || l->n > UINT32_MAX)
        return sol__err(err, SOL_ELIMIT, "%zu areas exceed %u", l->n, (unsigned)SOL_MAX_AREAS);
    ids = sol__malloc((l->n ? l->n : 1) * sizeof *ids);
    if (ids == NULL)
        goto fail;
    for (size_t i = 0; i < l->n; i++)
        ids[i] = l->f[i].code ? l->f[i].code : "";
    if (spec->kind == SOL_WEIGHTS_QUEEN || spec->kind == SOL_WEIGHTS_ROOK) {
        double snap = spec->snap < 0 ? SOL_SPATIAL_SNAP_DEFAULT : spec->snap;
        if (!isfinite(snap))
            return sol__err(err, SOL_EINVAL, "snap must be finite");
        rc = contiguity(l, spec->kind == SOL_WEIGHTS_QUEEN, snap, ids, &w, err);
        if (rc != SOL_OK)
            goto fail;
        sol_spatial_weights_restyle(w, style, NULL);
        if ((rc = sol__weights_check_islands(w, spec->islands, err)) != SOL_OK)
            goto fail;
    } else {
        xy = sol__malloc((l->n ? 2 * l->n : 1) * sizeof *xy);
        if (xy == NULL)
            goto fail;
        for (size_t i = 0; i < l->n; i++) {
            xy[2 * i] = l->f[i].centroid[0];
            xy[2 * i + 1] = l->f[i].centroid[1];
        }
        if ((rc = sol_spatial_weights_points(l->n, xy, ids, spec, &w, err)) != SOL_OK)
            goto fail;
    }
    sol__free(ids);
    sol__free(xy);
    *out = w;
    return SOL_OK;
fail:
    sol__free(ids);
    sol__free(xy);
    sol_weights_free(w);
    return rc;
}

sol_status sol_spatial_weights_with_self(const sol_weights *w, sol_weights **out, sol_error *err)
{
    if (w->self_included)
        return sol__err(err, SOL_EINVAL, "weights already include each area itself");
    sol_weights *s = sol__weights_alloc(w->n, w->rowptr[w->n] + w->n, (const char *const *)w->ids);
    if (s == NULL)
        return SOL_ENOMEM;
    size_t e2 = 0;
    for (size_t i = 0; i < w->n; i++) {
        int done = 0;
        for (size_t e = w->rowptr[i]; e <= w->rowptr[i + 1]; e++) {
            if (!done && (e == w->rowptr[i + 1] || w->col[e] > i)) {
                s->col[e2] = i;
                s->w[e2++] = 1.0;
                done = 1;
            }
            if (e < w->rowptr[i + 1]) {
                s->col[e2] = w->col[e];
                s->w[e2++] = w->w[e];
            }
        }
        s->rowptr[i + 1] = e2;
    }
    s->self_included = 1;
    s->style = w->style;
    if (w->style == 'W')
        sol_spatial_weights_restyle(s, 'W', NULL);
    *out = s;
    return SOL_OK;
}
