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

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* CSR from undirected pairs packed as (a << 32 | b), a < b; pairs are sorted and deduplicated
 * here. Binary weights. */
static sol_status csr_from_pairs(size_t n, uint64_t *pairs, size_t np, const char *const *ids,
                                 sol_weights **out)
{
    if (np > 0)
        qsort(pairs, np, sizeof *pairs, cmp_u64);
    size_t u = 0;
    for (size_t i = 0; i < np; i++)
        if (u == 0 || pairs[i] != pairs[u - 1])
            pairs[u++] = pairs[i];
    sol_weights *w = sol__weights_alloc(n, 2 * u, ids);
    if (w == NULL)
        return SOL_ENOMEM;
    for (size_t i = 0; i < u; i++) {
        w->rowptr[(pairs[i] >> 32) + 1]++;
        w->rowptr[(pairs[i] & 0xffffffffu) + 1]++;
    }
    for (size_t i = 0; i < n; i++)
        w->rowptr[i + 1] += w->rowptr[i];
    size_t *fill = sol__malloc((n ? n : 1) * sizeof *fill);
    if (fill == NULL) {
        sol_weights_free(w);
        return SOL_ENOMEM;
    }
    memcpy(fill, w->rowptr, n * sizeof *fill);
    /* pairs sorted by (a, b): rows of a get b ascending; rows of b get a ascending too, since for
     * a fixed b the a's arrive in increasing order. */
    for (size_t i = 0; i < u; i++) {
        size_t a = (size_t)(pairs[i] >> 32), b = (size_t)(pairs[i] & 0xffffffffu);
        w->col[fill[a]++] = b;
        w->col[fill[b]++] = a;
    }
    sol__free(fill);
    for (size_t i = 0; i < 2 * u; i++)
        w->w[i] = 1.0;
    *out = w;
    return SOL_OK;
}

/* ---- contiguity ----------------------------------------------------------------------------- */

typedef struct vtx {
    int64_t cx, cy;
    uint32_t feat, ring, pos;
} vtx;

typedef struct ringref {
    const double *xy;
    size_t n;
} ringref;

static int cmp_vtx(const void *a, const void *b)
{
    const vtx *p = a, *q = b;
    if (p->cx != q->cx)
        return (p->cx > q->cx) - (p->cx < q->cx);
    return (p->cy > q->cy) - (p->cy < q->cy);
}

static size_t lower_cell(const vtx *v, size_t nv, int64_t cx, int64_t cy)
{
    size_t lo = 0, hi = nv;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (v[m].cx < cx || (v[m].cx == cx && v[m].cy < cy))
            lo = m + 1;
        else
            hi = m;
    }
    return lo;
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

/* Do the rings of vertices p and q share an edge starting at p? (next of p near next or
 * previous of q). */
static int shared_edge(const ringref *rr, const vtx *p, const vtx *q, double snap2)
{
    const ringref *ra = &rr[p->ring], *rb = &rr[q->ring];
    const double *an = ra->xy + 2 * (p->pos + 1);
    size_t bn = q->pos + 1, bp = q->pos == 0 ? rb->n - 2 : q->pos - 1;
    return near_pt(an, rb->xy + 2 * bn, snap2) || near_pt(an, rb->xy + 2 * bp, snap2);
}

static sol_status contiguity(const sol_layer *l, int queen, double snap, const char **ids,
                             sol_weights **out, sol_error *err)
{
    sol_status rc = SOL_ENOMEM;
    size_t nv = 0, nr = 0;
    vtx *v = NULL;
    ringref *rr = NULL;
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
    if (nv > UINT32_MAX || nr > UINT32_MAX)
        return sol__err(err, SOL_ELIMIT, "%zu vertices: more than 2^32", nv);
    v = sol__malloc((nv ? nv : 1) * sizeof *v);
    rr = sol__malloc((nr ? nr : 1) * sizeof *rr);
    if (v == NULL || rr == NULL)
        goto fail;
    size_t k = 0, kr = 0;
    for (size_t i = 0; i < l->n; i++)
        for (size_t p = 0; p < l->f[i].nparts; p++)
            for (size_t r = 0; r < l->f[i].parts[p].nrings; r++, kr++) {
                const sol_ring *ring = &l->f[i].parts[p].rings[r];
                rr[kr].xy = ring->xy;
                rr[kr].n = ring->n;
                for (size_t q = 0; q + 1 < ring->n; q++, k++) {
                    double x = ring->xy[2 * q] + 0.0, y = ring->xy[2 * q + 1] + 0.0;
                    if (snap > 0) {
                        double fx = floor(x / snap), fy = floor(y / snap);
                        if (!(fabs(fx) < 4e18 && fabs(fy) < 4e18)) {
                            rc = sol__err(err, SOL_EINVAL,
                                          "snap %g too small for coordinates of area %s", snap,
                                          ids[i]);
                            goto fail;
                        }
                        v[k].cx = (int64_t)fx;
                        v[k].cy = (int64_t)fy;
                    } else { /* exact matching: the bit patterns are the cell */
                        memcpy(&v[k].cx, &x, sizeof x);
                        memcpy(&v[k].cy, &y, sizeof y);
                    }
                    v[k].feat = (uint32_t)i;
                    v[k].ring = (uint32_t)kr;
                    v[k].pos = (uint32_t)q;
                }
            }
    qsort(v, nv, sizeof *v, cmp_vtx);
    double snap2 = snap * snap;
    /* each vertex meets the rest of its own cell and the 4 cells "after" it; the other 4
     * neighbouring cells see it from their side. */
    static const int dcell[4][2] = {{0, 1}, {1, -1}, {1, 0}, {1, 1}};
    size_t cell_end = 0;
    for (size_t i = 0; i < nv; i++) {
        if (i >= cell_end) {
            cell_end = i + 1;
            while (cell_end < nv && v[cell_end].cx == v[i].cx && v[cell_end].cy == v[i].cy)
                cell_end++;
        }
        const double *pi = rr[v[i].ring].xy + 2 * v[i].pos;
        for (int c = -1; c < (snap > 0 ? 4 : 0); c++) {
            size_t j0, j1;
            if (c < 0) {
                j0 = i + 1;
                j1 = cell_end;
            } else {
                int64_t cx = v[i].cx + dcell[c][0], cy = v[i].cy + dcell[c][1];
                j0 = lower_cell(v, nv, cx, cy);
                j1 = j0;
                while (j1 < nv && v[j1].cx == cx && v[j1].cy == cy)
                    j1++;
            }
            for (size_t j = j0; j < j1; j++) {
                if (v[j].feat == v[i].feat)
                    continue;
                const double *pj = rr[v[j].ring].xy + 2 * v[j].pos;
                if (!near_pt(pi, pj, snap2))
                    continue;
                if (!queen && !shared_edge(rr, &v[i], &v[j], snap2) &&
                    !shared_edge(rr, &v[j], &v[i], snap2))
                    continue;
                if (pair_push(&pv, v[i].feat, v[j].feat) != SOL_OK)
                    goto fail;
            }
        }
    }
    sol__free(v);
    sol__free(rr);
    v = NULL;
    rr = NULL;
    rc = csr_from_pairs(l->n, pv.p, pv.n, ids, out);
    sol__free(pv.p);
    return rc;
fail:
    sol__free(v);
    sol__free(rr);
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
