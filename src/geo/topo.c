/* topo.c - a polygon layer as shared arcs (the TopoJSON idea): borders two areas share are one
 * arc, simplified once, so neighbours stay exactly adjacent at every zoom; per-vertex
 * Douglas-Peucker importance computed once, per-zoom selection with crossings repaired. */
#include <solidata/topo.h>

#include "core/core.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE      (-1)
#define KEEP_ALL  INFINITY
#define MAX_FIXES 40 /* repair passes; each puts back at least one vertex or stops */

static const double tolerance_deg[SOL_TOPO_ZOOMS] = {0.03, 0.008, 0.002, 0.0005, 0.000125, 0};

typedef struct pt {
    int32_t x, y;
} pt;

struct sol_topo {
    size_t nareas, npolys, nrings, nrefs, narcs, nverts;
    char **codes;
    char **names;     /* entries NULL when the area has none */
    size_t *area_off; /* nareas+1: polygons of area a are area_off[a]..area_off[a+1] */
    size_t *poly_off; /* npolys+1: rings of polygon p */
    size_t *ring_off; /* nrings+1: arc references of ring r */
    int32_t *refs;    /* k: arc k forwards; ~k: arc k backwards */
    size_t *arc_off;  /* narcs+1: vertices of arc k */
    pt *v;            /* arc vertices */
    double *imp;      /* per vertex: the tolerance below which it is kept (grid units) */
    pt lo, hi;        /* bounding box (grid units) */
};

/* ---- building: points, junctions, arcs ----------------------------------------------------- */

typedef struct builder {
    /* distinct snapped points: an open-addressing table of ids */
    pt *p;
    int32_t *nb; /* two neighbours per point, NONE when unset */
    unsigned char *junction;
    size_t np, capp;
    int32_t *slot;
    size_t nslot; /* power of two */
    /* rings as point ids (no closing point) */
    int32_t *rp;
    size_t nrp, caprp;
    /* arcs as point ids, and a table from canonical sequences to arcs */
    int32_t *ap;
    size_t nap, capap;
    int32_t *aslot;
    size_t naslot;
} builder;

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 1;
    size_t c = *cap ? *cap : 1024;
    while (c < need)
        c *= 2;
    void *q = sol__realloc(*p, c * size);
    if (q == NULL)
        return 0;
    *p = q;
    *cap = c;
    return 1;
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

static uint64_t pt_hash(pt a)
{
    return mix(((uint64_t)(uint32_t)a.x << 32) ^ (uint32_t)a.y);
}

/* The id of point `a`, added when new; NONE when out of memory. */
static int32_t point_id(builder *b, pt a)
{
    size_t m = b->nslot - 1, i = (size_t)pt_hash(a) & m;
    while (b->slot[i] != NONE) {
        pt q = b->p[b->slot[i]];
        if (q.x == a.x && q.y == a.y)
            return b->slot[i];
        i = (i + 1) & m;
    }
    if (b->np >= INT32_MAX || !grow((void **)&b->p, &b->capp, b->np + 1, sizeof *b->p))
        return NONE;
    b->p[b->np] = a;
    b->slot[i] = (int32_t)b->np;
    return (int32_t)b->np++;
}

static pt snap(const double *xy)
{
    pt a = {(int32_t)lround(xy[0] / SOL_TOPO_QUANTUM), (int32_t)lround(xy[1] / SOL_TOPO_QUANTUM)};
    return a;
}

/* Append one ring's distinct snapped points; 0 when it has fewer than 3 (it is dropped). */
static sol_status add_ring(builder *b, const sol_ring *r, size_t *kept)
{
    size_t start = b->nrp;
    if (!grow((void **)&b->rp, &b->caprp, b->nrp + r->n, sizeof *b->rp))
        return SOL_ENOMEM;
    for (size_t i = 0; i + 1 < r->n; i++) {
        int32_t id = point_id(b, snap(r->xy + 2 * i));
        if (id == NONE)
            return SOL_ENOMEM;
        if (b->nrp > start && b->rp[b->nrp - 1] == id)
            continue;
        b->rp[b->nrp++] = id;
    }
    while (b->nrp - start > 1 && b->rp[b->nrp - 1] == b->rp[start])
        b->nrp--;
    *kept = b->nrp - start >= 3 ? b->nrp - start : 0;
    if (*kept == 0)
        b->nrp = start;
    return SOL_OK;
}

static void add_neighbour(builder *b, int32_t v, int32_t w)
{
    int32_t *nb = b->nb + 2 * v;
    if (nb[0] == w || nb[1] == w)
        return;
    if (nb[0] == NONE)
        nb[0] = w;
    else if (nb[1] == NONE)
        nb[1] = w;
    else
        b->junction[v] = 1; /* a third neighbour: borders meet here */
}

static int pt_less(pt a, pt c)
{
    return a.x < c.x || (a.x == c.x && a.y < c.y);
}

/* Junctions: points with more than two neighbours; a ring with none (an island, an enclave and
 * the hole around it) is cut at its smallest point, which both sides of it agree on. */
static void mark_junctions(builder *b, const size_t *ring_off, size_t nrings)
{
    for (size_t r = 0; r < nrings; r++) {
        const int32_t *q = b->rp + ring_off[r];
        size_t n = ring_off[r + 1] - ring_off[r];
        for (size_t i = 0; i < n; i++) {
            add_neighbour(b, q[i], q[(i + n - 1) % n]);
            add_neighbour(b, q[i], q[(i + 1) % n]);
        }
    }
    for (size_t r = 0; r < nrings; r++) {
        const int32_t *q = b->rp + ring_off[r];
        size_t n = ring_off[r + 1] - ring_off[r], lo = 0, i;
        for (i = 0; i < n && !b->junction[q[i]]; i++)
            if (pt_less(b->p[q[i]], b->p[q[lo]]))
                lo = i;
        if (i == n)
            b->junction[q[lo]] = 1;
    }
}

static uint64_t seq_hash(const int32_t *s, size_t m)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < m; i++)
        h = (h ^ (uint32_t)s[i]) * 1099511628211ull;
    return mix(h ^ m);
}

/* The arc for the point sequence s[0..m-1] (written into b->ap when new) as a reference:
 * k when s runs the way arc k is stored, ~k when backwards. -> SOL_ENOMEM via *rc. */
static int32_t arc_ref(builder *b, size_t **arc_off, size_t *narcs, size_t *caparcs, int32_t *s,
                       size_t m, sol_status *rc)
{
    int fwd = s[0] < s[m - 1] || (s[0] == s[m - 1] && s[1] <= s[m - 2]);
    if (!fwd)
        for (size_t i = 0; i < m / 2; i++) {
            int32_t t = s[i];
            s[i] = s[m - 1 - i];
            s[m - 1 - i] = t;
        }
    size_t mask = b->naslot - 1, i = (size_t)seq_hash(s, m) & mask;
    while (b->aslot[i] != NONE) {
        size_t k = (size_t)b->aslot[i], o = (*arc_off)[k];
        if ((*arc_off)[k + 1] - o == m && memcmp(b->ap + o, s, m * sizeof *s) == 0)
            return fwd ? (int32_t)k : ~(int32_t)k;
        i = (i + 1) & mask;
    }
    if (*narcs + 1 >= b->naslot / 2 ||
        !grow((void **)arc_off, caparcs, *narcs + 2, sizeof **arc_off) ||
        !grow((void **)&b->ap, &b->capap, b->nap + m, sizeof *b->ap)) {
        *rc = SOL_ENOMEM;
        return 0;
    }
    memcpy(b->ap + b->nap, s, m * sizeof *s);
    b->nap += m;
    size_t k = (*narcs)++;
    (*arc_off)[k + 1] = b->nap;
    b->aslot[i] = (int32_t)k;
    return fwd ? (int32_t)k : ~(int32_t)k;
}

/* Cut every ring at its junctions into arcs shared between rings. */
static sol_status cut_rings(builder *b, sol_topo *t, const size_t *ring_off)
{
    size_t caprefs = 0, caparcs = 0, capseq = 0;
    int32_t *seq = NULL;
    sol_status rc = SOL_OK;
    t->ring_off = sol__calloc(t->nrings + 1, sizeof *t->ring_off);
    if (t->ring_off == NULL || !grow((void **)&t->arc_off, &caparcs, 2, sizeof *t->arc_off))
        return SOL_ENOMEM;
    t->arc_off[0] = 0;
    for (size_t r = 0; r < t->nrings && rc == SOL_OK; r++) {
        const int32_t *q = b->rp + ring_off[r];
        size_t n = ring_off[r + 1] - ring_off[r], j0 = 0;
        while (!b->junction[q[j0]])
            j0++;
        if (!grow((void **)&seq, &capseq, n + 1, sizeof *seq)) {
            rc = SOL_ENOMEM;
            break;
        }
        size_t m = 0;
        seq[m++] = q[j0];
        for (size_t k = 1; k <= n && rc == SOL_OK; k++) {
            int32_t id = q[(j0 + k) % n];
            seq[m++] = id;
            if (!b->junction[id])
                continue;
            if (!grow((void **)&t->refs, &caprefs, t->nrefs + 1, sizeof *t->refs)) {
                rc = SOL_ENOMEM;
                break;
            }
            t->refs[t->nrefs++] = arc_ref(b, &t->arc_off, &t->narcs, &caparcs, seq, m, &rc);
            seq[0] = id;
            m = 1;
        }
        t->ring_off[r + 1] = t->nrefs;
    }
    sol__free(seq);
    return rc;
}

/* ---- importance: Douglas-Peucker once, as the tolerance each vertex survives -------------- */

static double seg_dist(pt a, pt c, pt p)
{
    double dx = (double)c.x - a.x, dy = (double)c.y - a.y;
    double px = (double)p.x - a.x, py = (double)p.y - a.y;
    double l2 = dx * dx + dy * dy;
    if (l2 == 0)
        return sqrt(px * px + py * py);
    double u = (px * dx + py * dy) / l2;
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    double ex = px - u * dx, ey = py - u * dy;
    return sqrt(ex * ex + ey * ey);
}

/* imp[i] for i in (lo, hi): a vertex never outlives the one that split its span (monotone),
 * so keeping `imp >= tol` gives exactly Douglas-Peucker at tol. `stack` holds 4*(hi-lo)+4. */
static void dp_span(const pt *v, double *imp, size_t lo, size_t hi, size_t *stack)
{
    size_t top = 0;
    stack[top++] = lo;
    stack[top++] = hi;
    while (top) {
        size_t j = stack[--top], i = stack[--top];
        if (j <= i + 1)
            continue;
        double cap_ij = imp[i] < imp[j] ? imp[i] : imp[j], best = -1;
        size_t bk = i + 1;
        for (size_t k = i + 1; k < j; k++) {
            double d = seg_dist(v[i], v[j], v[k]);
            if (d > best) {
                best = d;
                bk = k;
            }
        }
        imp[bk] = best < cap_ij ? best : cap_ij;
        stack[top++] = i;
        stack[top++] = bk;
        stack[top++] = bk;
        stack[top++] = j;
    }
}

static sol_status importance(sol_topo *t)
{
    size_t longest = 0;
    for (size_t k = 0; k < t->narcs; k++)
        if (t->arc_off[k + 1] - t->arc_off[k] > longest)
            longest = t->arc_off[k + 1] - t->arc_off[k];
    size_t *stack = sol__malloc((4 * longest + 4) * sizeof *stack);
    if (stack == NULL)
        return SOL_ENOMEM;
    for (size_t k = 0; k < t->narcs; k++) {
        size_t o = t->arc_off[k], m = t->arc_off[k + 1] - o;
        const pt *v = t->v + o;
        double *imp = t->imp + o;
        imp[0] = imp[m - 1] = KEEP_ALL;
        if (v[0].x == v[m - 1].x && v[0].y == v[m - 1].y) {
            /* a closed arc: its farthest vertex from the start is kept too */
            size_t f = 1;
            double best = -1;
            for (size_t i = 1; i + 1 < m; i++) {
                double d = seg_dist(v[0], v[0], v[i]);
                if (d > best) {
                    best = d;
                    f = i;
                }
            }
            imp[f] = KEEP_ALL;
            dp_span(v, imp, 0, f, stack);
            dp_span(v, imp, f, m - 1, stack);
        } else {
            dp_span(v, imp, 0, m - 1, stack);
        }
    }
    sol__free(stack);
    return SOL_OK;
}

/* A ring of one or two arcs would collapse to a line or a point when its arcs lose every
 * interior vertex: each of its arcs keeps its most important one for good. */
static void guard_small_rings(sol_topo *t)
{
    for (size_t r = 0; r < t->nrings; r++) {
        size_t nref = t->ring_off[r + 1] - t->ring_off[r];
        if (nref > 2)
            continue;
        for (size_t e = t->ring_off[r]; e < t->ring_off[r + 1]; e++) {
            int32_t ref = t->refs[e];
            size_t k = (size_t)(ref < 0 ? ~ref : ref), o = t->arc_off[k];
            size_t m = t->arc_off[k + 1] - o, best = 0;
            for (size_t i = 1; i + 1 < m; i++)
                if (!isinf(t->imp[o + i]) && (best == 0 || t->imp[o + i] > t->imp[o + best]))
                    best = i;
            if (best)
                t->imp[o + best] = KEEP_ALL;
        }
    }
}

static void builder_free(builder *b)
{
    sol__free_n(7, b->p, b->nb, b->junction, b->slot, b->rp, b->ap, b->aslot);
}

static size_t pow2_above(size_t n)
{
    size_t s = 1024;
    while (s < 2 * n)
        s *= 2;
    return s;
}

/* Rings of every feature into b->rp; the shape tables (areas -> polygons -> rings) into t. */
static sol_status gather(builder *b, sol_topo *t, const sol_feature *f, size_t n, size_t **ring_off)
{
    size_t capr = 0, capp = 0;
    if (!grow((void **)ring_off, &capr, 2, sizeof **ring_off) ||
        !grow((void **)&t->poly_off, &capp, 2, sizeof *t->poly_off))
        return SOL_ENOMEM;
    (*ring_off)[0] = t->poly_off[0] = 0;
    for (size_t a = 0; a < n; a++) {
        t->codes[a] = sol__strdup(f[a].code);
        t->names[a] = f[a].name ? sol__strdup(f[a].name) : NULL;
        if (t->codes[a] == NULL || (f[a].name && t->names[a] == NULL))
            return SOL_ENOMEM;
        for (size_t p = 0; p < f[a].nparts; p++) {
            const sol_polygon *pg = &f[a].parts[p];
            size_t rings_before = t->nrings;
            for (size_t r = 0; r < pg->nrings; r++) {
                size_t kept = 0;
                if (add_ring(b, &pg->rings[r], &kept) != SOL_OK ||
                    !grow((void **)ring_off, &capr, t->nrings + 2, sizeof **ring_off))
                    return SOL_ENOMEM;
                if (kept == 0 && r == 0)
                    break; /* an outer ring that snaps to nothing takes its holes with it */
                if (kept)
                    (*ring_off)[++t->nrings] = b->nrp;
            }
            if (t->nrings == rings_before)
                continue;
            if (!grow((void **)&t->poly_off, &capp, t->npolys + 2, sizeof *t->poly_off))
                return SOL_ENOMEM;
            t->poly_off[++t->npolys] = t->nrings;
        }
        t->area_off[a + 1] = t->npolys;
    }
    return SOL_OK;
}

sol_status sol_topo_build(const sol_feature *f, size_t n, sol_topo **out, sol_error *err)
{
    sol_topo *t = sol__calloc(1, sizeof *t);
    builder b = {0};
    size_t *ring_off = NULL, npts = 0;
    sol_status rc = SOL_ENOMEM;
    if (t == NULL)
        goto fail;
    t->nareas = n;
    t->codes = sol__calloc(n ? n : 1, sizeof *t->codes);
    t->names = sol__calloc(n ? n : 1, sizeof *t->names);
    t->area_off = sol__calloc(n + 1, sizeof *t->area_off);
    for (size_t a = 0; a < n; a++)
        for (size_t p = 0; p < f[a].nparts; p++)
            for (size_t r = 0; r < f[a].parts[p].nrings; r++)
                npts += f[a].parts[p].rings[r].n;
    b.nslot = pow2_above(npts);
    b.slot = sol__malloc(b.nslot * sizeof *b.slot);
    if (t->codes == NULL || t->names == NULL || t->area_off == NULL || b.slot == NULL)
        goto fail;
    memset(b.slot, 0xff, b.nslot * sizeof *b.slot);
    if ((rc = gather(&b, t, f, n, &ring_off)) != SOL_OK)
        goto fail;
    rc = SOL_ENOMEM;
    b.nb = sol__malloc((2 * b.np + 1) * sizeof *b.nb);
    b.junction = sol__calloc(b.np + 1, 1);
    b.naslot = pow2_above(b.nrp);
    b.aslot = sol__malloc(b.naslot * sizeof *b.aslot);
    if (b.nb == NULL || b.junction == NULL || b.aslot == NULL)
        goto fail;
    memset(b.nb, 0xff, 2 * b.np * sizeof *b.nb);
    memset(b.aslot, 0xff, b.naslot * sizeof *b.aslot);
    mark_junctions(&b, ring_off, t->nrings);
    if ((rc = cut_rings(&b, t, ring_off)) != SOL_OK)
        goto fail;
    rc = SOL_ENOMEM;
    t->nverts = b.nap;
    t->v = sol__malloc((b.nap + 1) * sizeof *t->v);
    t->imp = sol__malloc((b.nap + 1) * sizeof *t->imp);
    if (t->v == NULL || t->imp == NULL)
        goto fail;
    t->lo = (pt){INT32_MAX, INT32_MAX};
    t->hi = (pt){INT32_MIN, INT32_MIN};
    for (size_t i = 0; i < b.nap; i++) {
        pt q = t->v[i] = b.p[b.ap[i]];
        t->lo.x = q.x < t->lo.x ? q.x : t->lo.x;
        t->lo.y = q.y < t->lo.y ? q.y : t->lo.y;
        t->hi.x = q.x > t->hi.x ? q.x : t->hi.x;
        t->hi.y = q.y > t->hi.y ? q.y : t->hi.y;
    }
    if ((rc = importance(t)) != SOL_OK)
        goto fail;
    guard_small_rings(t);
    builder_free(&b);
    sol__free(ring_off);
    *out = t;
    return SOL_OK;
fail:
    builder_free(&b);
    sol__free(ring_off);
    sol_topo_free(t);
    return sol__err(err, rc, "out of memory building the map topology of %zu areas", n);
}

double sol_topo_tolerance(int zoom)
{
    return zoom >= 0 && zoom < SOL_TOPO_ZOOMS ? tolerance_deg[zoom] : 0;
}

void sol_topo_counts(const sol_topo *t, size_t *areas, size_t *arcs, size_t *vertices)
{
    *areas = t->nareas;
    *arcs = t->narcs;
    *vertices = t->nverts;
}

void sol_topo_free(sol_topo *t)
{
    if (t == NULL)
        return;
    for (size_t a = 0; a < t->nareas && t->codes; a++)
        sol__free(t->codes[a]);
    for (size_t a = 0; a < t->nareas && t->names; a++)
        sol__free(t->names[a]);
    sol__free_n(10, t->names, t->codes, t->area_off, t->poly_off, t->ring_off, t->refs, t->arc_off,
                t->v, t->imp, t);
}

/* ---- one zoom: selection, crossings repaired ---------------------------------------------- */

typedef struct seg {
    uint32_t k;    /* arc */
    uint32_t i, j; /* vertex indices within the arc, both kept, none kept between */
} seg;

static int64_t orient(pt a, pt b, pt c)
{
    return ((int64_t)b.x - a.x) * ((int64_t)c.y - a.y) -
           ((int64_t)b.y - a.y) * ((int64_t)c.x - a.x);
}

static int same(pt a, pt b)
{
    return a.x == b.x && a.y == b.y;
}

static int on_box(pt a, pt b, pt p)
{
    return (p.x >= (a.x < b.x ? a.x : b.x)) && (p.x <= (a.x > b.x ? a.x : b.x)) &&
           (p.y >= (a.y < b.y ? a.y : b.y)) && (p.y <= (a.y > b.y ? a.y : b.y));
}

/* Do segments ab and cd meet anywhere but at an end they share (then: unless they overlap)? */
static int segments_clash(pt a, pt b, pt c, pt d)
{
    pt s = a, u = b, w = c;
    int shared = 1;
    if (same(a, c))
        u = b, w = d;
    else if (same(a, d))
        u = b, w = c;
    else if (same(b, c))
        s = b, u = a, w = d;
    else if (same(b, d))
        s = b, u = a, w = c;
    else
        shared = 0;
    if (shared) { /* touching at the end is what neighbouring segments do; folding back is not */
        if (same(u, w))
            return 0; /* the same segment from both sides: not a crossing */
        return orient(s, u, w) == 0 && ((int64_t)u.x - s.x) * ((int64_t)w.x - s.x) +
                                               ((int64_t)u.y - s.y) * ((int64_t)w.y - s.y) >
                                           0;
    }
    int64_t o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
    if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)))
        return 1;
    return (o1 == 0 && on_box(a, b, c)) || (o2 == 0 && on_box(a, b, d)) ||
           (o3 == 0 && on_box(c, d, a)) || (o4 == 0 && on_box(c, d, b));
}

/* The kept segments of every arc. */
static sol_status collect_segments(const sol_topo *t, const unsigned char *keep, seg **out,
                                   size_t *nout)
{
    size_t n = 0, cap = 0;
    seg *s = NULL;
    for (size_t k = 0; k < t->narcs; k++) {
        size_t o = t->arc_off[k], m = t->arc_off[k + 1] - o, prev = 0;
        for (size_t i = 1; i < m; i++) {
            if (!keep[o + i])
                continue;
            if (!grow((void **)&s, &cap, n + 1, sizeof *s)) {
                sol__free(s);
                return SOL_ENOMEM;
            }
            s[n++] = (seg){(uint32_t)k, (uint32_t)prev, (uint32_t)i};
            prev = i;
        }
    }
    *out = s;
    *nout = n;
    return SOL_OK;
}

/* Segments bucketed by the cells of a grid sized to their mean length, as (cell, segment)
 * entries sorted by cell: the areas may be spread over oceans (overseas departments), so the
 * cells that hold anything are few and a dense grid over the bounding box would be wasted. */
typedef struct cellent {
    uint64_t cell;
    uint32_t seg;
} cellent;

typedef struct grid {
    cellent *e;
    size_t n;
} grid;

static int cmp_cell(const void *a, const void *b)
{
    const cellent *x = a, *y = b;
    return x->cell < y->cell ? -1 : x->cell > y->cell ? 1 : (x->seg > y->seg) - (x->seg < y->seg);
}

static void seg_cells(const sol_topo *t, const seg *sg, double cell, uint64_t r[4])
{
    const pt *v = t->v + t->arc_off[sg->k];
    pt a = v[sg->i], b = v[sg->j];
    r[0] = (uint64_t)(((a.x < b.x ? a.x : b.x) - (double)t->lo.x) / cell);
    r[1] = (uint64_t)(((a.x > b.x ? a.x : b.x) - (double)t->lo.x) / cell);
    r[2] = (uint64_t)(((a.y < b.y ? a.y : b.y) - (double)t->lo.y) / cell);
    r[3] = (uint64_t)(((a.y > b.y ? a.y : b.y) - (double)t->lo.y) / cell);
}

static int is_dirty(const sol_topo *t, const seg *sg, const unsigned char *keep)
{
    size_t o = t->arc_off[sg->k];
    return keep[o + sg->i] == 2 || keep[o + sg->j] == 2;
}

static int cell_in(const cellent *set, size_t n, uint64_t c)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set[mid].cell < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && set[lo].cell == c;
}

/* Entries for every segment in every cell it spans; when `only` is set, only in the cells of
 * `only` (sorted): after the first pass, only where vertices were put back can new crossings
 * be. */
static sol_status grid_fill(const sol_topo *t, const seg *s, size_t n, double cell,
                            const unsigned char *keep, const grid *only, grid *g)
{
    size_t cap = 0;
    for (size_t e = 0; e < n; e++) {
        if (only == NULL && keep && !is_dirty(t, &s[e], keep))
            continue;
        uint64_t r[4];
        seg_cells(t, &s[e], cell, r);
        for (uint64_t y = r[2]; y <= r[3]; y++)
            for (uint64_t x = r[0]; x <= r[1]; x++) {
                uint64_t c = x << 32 | y;
                if (only && !cell_in(only->e, only->n, c))
                    continue;
                if (!grow((void **)&g->e, &cap, g->n + 1, sizeof *g->e))
                    return SOL_ENOMEM;
                g->e[g->n++] = (cellent){c, (uint32_t)e};
            }
    }
    if (g->n)
        qsort(g->e, g->n, sizeof *g->e, cmp_cell);
    return SOL_OK;
}

/* The grid of a pass: every segment on the first pass (keep NULL), else the segments in the
 * cells that a segment ending at a put-back vertex (keep 2) touches. */
static sol_status grid_build(const sol_topo *t, const seg *s, size_t n, const unsigned char *keep,
                             grid *g)
{
    double sum = 0;
    for (size_t e = 0; e < n; e++) {
        const pt *v = t->v + t->arc_off[s[e].k];
        double dx = fabs((double)v[s[e].j].x - v[s[e].i].x);
        double dy = fabs((double)v[s[e].j].y - v[s[e].i].y);
        sum += dx > dy ? dx : dy;
    }
    double cell = n ? 2 * sum / (double)n : 1;
    cell = cell < 1 ? 1 : cell;
    if (keep == NULL)
        return grid_fill(t, s, n, cell, NULL, NULL, g);
    grid dirty = {0};
    sol_status rc = grid_fill(t, s, n, cell, keep, NULL, &dirty);
    if (rc == SOL_OK)
        rc = grid_fill(t, s, n, cell, keep, &dirty, g);
    sol__free(dirty.e);
    return rc;
}

/* Mark the segments that clash with another; returns how many. */
static size_t find_clashes(const sol_topo *t, const seg *s, const grid *g,
                           const unsigned char *keep, unsigned char *bad)
{
    size_t nbad = 0;
    for (size_t c = 0, end; c < g->n; c = end) {
        for (end = c + 1; end < g->n && g->e[end].cell == g->e[c].cell; end++)
            ;
        for (size_t p = c; p < end; p++)
            for (size_t q = p + 1; q < end; q++) {
                uint32_t ep = g->e[p].seg, eq = g->e[q].seg;
                if (bad[ep] && bad[eq])
                    continue;
                const seg *e = &s[ep], *f = &s[eq];
                if (keep && !is_dirty(t, e, keep) && !is_dirty(t, f, keep))
                    continue; /* checked on an earlier pass */
                const pt *ve = t->v + t->arc_off[e->k], *vf = t->v + t->arc_off[f->k];
                if (!segments_clash(ve[e->i], ve[e->j], vf[f->i], vf[f->j]))
                    continue;
                nbad += !bad[ep] + !bad[eq];
                bad[ep] = bad[eq] = 1;
            }
    }
    return nbad;
}

/* Keep the vertices of `zoom`; then, while segments cross, put back the most important dropped
 * vertex under each crossing segment. */
static sol_status select_zoom(const sol_topo *t, int zoom, unsigned char *keep)
{
    double tol = tolerance_deg[zoom] / SOL_TOPO_QUANTUM;
    for (size_t i = 0; i < t->nverts; i++)
        keep[i] = tol == 0 || t->imp[i] >= tol;
    if (tol == 0)
        return SOL_OK; /* the geometry as stored */
    for (int pass = 0; pass < MAX_FIXES; pass++) {
        seg *s = NULL;
        size_t n = 0, restored = 0;
        grid g = {0};
        unsigned char *bad = NULL;
        sol_status rc = collect_segments(t, keep, &s, &n);
        if (rc == SOL_OK)
            rc = grid_build(t, s, n, pass ? keep : NULL, &g);
        if (rc == SOL_OK && (bad = sol__calloc(n + 1, 1)) == NULL)
            rc = SOL_ENOMEM;
        size_t nbad = rc == SOL_OK ? find_clashes(t, s, &g, pass ? keep : NULL, bad) : 0;
        for (size_t i = 0; pass && i < t->nverts; i++)
            keep[i] = keep[i] != 0;
        if (nbad)
            for (size_t e = 0; e < n; e++) {
                if (!bad[e] || s[e].j <= s[e].i + 1)
                    continue;
                size_t o = t->arc_off[s[e].k], best = s[e].i + 1;
                for (size_t i = s[e].i + 1; i < s[e].j; i++)
                    if (t->imp[o + i] > t->imp[o + best])
                        best = i;
                keep[o + best] = 2; /* its two segments are checked on the next pass */
                restored++;
            }
        sol__free_n(3, s, g.e, bad);
        if (rc != SOL_OK)
            return rc;
        if (restored == 0)
            break; /* none left, or crossings already in the stored geometry */
    }
    for (size_t i = 0; i < t->nverts; i++)
        keep[i] = keep[i] != 0;
    return SOL_OK;
}

/* ---- writing -------------------------------------------------------------------------------- */

typedef struct out {
    char *p;
    size_t n, cap;
    int oom;
} out;

static void put(out *o, const char *s, size_t n)
{
    if (o->oom || !grow((void **)&o->p, &o->cap, o->n + n + 1, 1)) {
        o->oom = 1;
        return;
    }
    memcpy(o->p + o->n, s, n);
    o->n += n;
    o->p[o->n] = '\0';
}

static void puts_(out *o, const char *s)
{
    put(o, s, strlen(s));
}

static void put_int(out *o, long long v, char sep)
{
    char b[32];
    int n = snprintf(b, sizeof b, "%c%lld", sep, v);
    put(o, sep ? b : b + 1, (size_t)(sep ? n : n - 1));
}

static void put_json_string(out *o, const char *s)
{
    put(o, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char e[8];
        if (c == '"' || c == '\\')
            e[0] = '\\', e[1] = (char)c, put(o, e, 2);
        else if (c < 0x20)
            snprintf(e, sizeof e, "\\u%04x", c), put(o, e, 6);
        else
            put(o, s, 1);
    }
    put(o, "\"", 1);
}

static void write_header(out *o, const sol_topo *t, int zoom)
{
    char b[512];
    snprintf(b, sizeof b,
             "{\"format\":\"solidata-topo-1\",\"zoom\":%d,\"zooms\":%d,\"tolerance\":%.17g,"
             "\"tolerances\":[%g,%g,%g,%g,%g,%g],\"quantum\":%.17g,\"translate\":[%ld,%ld],"
             "\"bbox\":[%.7f,%.7f,%.7f,%.7f],\"areas\":[",
             zoom, SOL_TOPO_ZOOMS, tolerance_deg[zoom], tolerance_deg[0], tolerance_deg[1],
             tolerance_deg[2], tolerance_deg[3], tolerance_deg[4], tolerance_deg[5],
             SOL_TOPO_QUANTUM, (long)t->lo.x, (long)t->lo.y, t->lo.x * SOL_TOPO_QUANTUM,
             t->lo.y * SOL_TOPO_QUANTUM, t->hi.x * SOL_TOPO_QUANTUM, t->hi.y * SOL_TOPO_QUANTUM);
    puts_(o, b);
    for (size_t a = 0; a < t->nareas; a++) {
        if (a)
            put(o, ",", 1);
        put_json_string(o, t->codes[a]);
    }
    puts_(o, "],\"names\":[");
    for (size_t a = 0; a < t->nareas; a++) {
        if (a)
            put(o, ",", 1);
        if (t->names[a])
            put_json_string(o, t->names[a]);
        else
            puts_(o, "null");
    }
}

/* Every arc's vertices in one flat array (a browser parses one long array of numbers much
 * faster than 100,000 short ones), each arc as x0,y0 from the translate point then dx,dy from
 * the previous vertex, and the vertex count of each arc; returns the vertices written. */
static size_t write_arcs(out *o, const sol_topo *t, const unsigned char *keep)
{
    size_t nv = 0;
    puts_(o, "],\"arcs\":[");
    for (size_t k = 0; k < t->narcs; k++) {
        pt prev = t->lo;
        for (size_t i = t->arc_off[k]; i < t->arc_off[k + 1]; i++) {
            if (!keep[i])
                continue;
            put_int(o, (long long)t->v[i].x - prev.x, nv ? ',' : 0);
            put_int(o, (long long)t->v[i].y - prev.y, ',');
            prev = t->v[i];
            nv++;
        }
    }
    puts_(o, "],\"arc_sizes\":[");
    for (size_t k = 0; k < t->narcs; k++) {
        long long m = 0;
        for (size_t i = t->arc_off[k]; i < t->arc_off[k + 1]; i++)
            m += keep[i] != 0;
        put_int(o, m, k ? ',' : 0);
    }
    return nv;
}

static void write_shapes(out *o, const sol_topo *t)
{
    puts_(o, "],\"shapes\":[");
    for (size_t a = 0; a < t->nareas; a++) {
        put(o, a ? ",[" : "[", a ? 2 : 1);
        for (size_t p = t->area_off[a]; p < t->area_off[a + 1]; p++) {
            put(o, p > t->area_off[a] ? ",[" : "[", p > t->area_off[a] ? 2 : 1);
            for (size_t r = t->poly_off[p]; r < t->poly_off[p + 1]; r++) {
                put(o, r > t->poly_off[p] ? ",[" : "[", r > t->poly_off[p] ? 2 : 1);
                for (size_t e = t->ring_off[r]; e < t->ring_off[r + 1]; e++)
                    put_int(o, t->refs[e], e > t->ring_off[r] ? ',' : 0);
                put(o, "]", 1);
            }
            put(o, "]", 1);
        }
        put(o, "]", 1);
    }
    puts_(o, "]}");
}

sol_status sol_topo_encode(const sol_topo *t, int zoom, char **json, size_t *len, size_t *vertices,
                           sol_error *err)
{
    if (zoom < 0 || zoom >= SOL_TOPO_ZOOMS)
        return sol__err(err, SOL_EINVAL, "zoom %d is not between 0 and %d", zoom,
                        SOL_TOPO_ZOOMS - 1);
    unsigned char *keep = sol__malloc(t->nverts + 1);
    out o = {0};
    sol_status rc = keep ? select_zoom(t, zoom, keep) : SOL_ENOMEM;
    size_t nv = 0;
    if (rc == SOL_OK) {
        write_header(&o, t, zoom);
        nv = write_arcs(&o, t, keep);
        write_shapes(&o, t);
        rc = o.oom ? SOL_ENOMEM : SOL_OK;
    }
    sol__free(keep);
    if (rc != SOL_OK) {
        sol__free(o.p);
        return sol__err(err, rc, "out of memory writing the map topology at zoom %d", zoom);
    }
    *json = o.p;
    *len = o.n;
    if (vertices)
        *vertices = nv;
    return SOL_OK;
}
