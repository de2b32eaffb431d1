/* test_topo.c - the map topology on the 1,268 communes of Ile-de-France: at every zoom, read back
 * from the JSON the dashboard reads, neighbours still share their borders segment for segment (no
 * sliver, no gap), every unshared segment lies on the region's outer edge as stored, no ring
 * crosses itself or collapses, and coarser zooms keep fewer vertices. */
#include <solidata/geo.h>
#include <solidata/topo.h>

#include "harness.h"

#include <jansson.h>
#include <stdint.h>

#define IDF "examples/data/france/communes_idf_cog2019.geojson"

typedef struct key {
    int64_t a, b; /* the two ends of a segment, each x * 2^32 + y, a < b */
} key;

/* A segment table: undirected segment -> owner areas (up to 3 counted). */
typedef struct segtab {
    key *k;
    int32_t *own; /* 3 per slot: areas, -1 unused */
    size_t cap;
} segtab;

static int64_t pk(int64_t x, int64_t y)
{
    return x * 4294967296LL + y;
}

static size_t slot_of(segtab *t, key k)
{
    uint64_t h = (uint64_t)k.a * 0x9E3779B97F4A7C15ull ^ (uint64_t)k.b * 0xC2B2AE3D27D4EB4Full;
    size_t i = (size_t)(h ^ (h >> 29)) & (t->cap - 1);
    while (t->own[3 * i] != -1 && (t->k[i].a != k.a || t->k[i].b != k.b))
        i = (i + 1) & (t->cap - 1);
    return i;
}

static void seg_add(segtab *t, int64_t p, int64_t q, int32_t area)
{
    if (p == q)
        return;
    key k = {p < q ? p : q, p < q ? q : p};
    size_t i = slot_of(t, k);
    t->k[i] = k;
    for (int j = 0; j < 3; j++) {
        if (t->own[3 * i + j] == -1) {
            t->own[3 * i + j] = area;
            return;
        }
    }
}

static int seg_count(segtab *t, size_t i)
{
    return (t->own[3 * i] != -1) + (t->own[3 * i + 1] != -1) + (t->own[3 * i + 2] != -1);
}

static void tab_init(segtab *t, size_t n)
{
    t->cap = 1;
    while (t->cap < 4 * n)
        t->cap *= 2;
    t->k = calloc(t->cap, sizeof *t->k);
    t->own = malloc(3 * t->cap * sizeof *t->own);
    memset(t->own, 0xff, 3 * t->cap * sizeof *t->own);
}

static int64_t snapq(double v)
{
    return (int64_t)llround(v / SOL_TOPO_QUANTUM);
}

static int64_t orient(const int64_t *a, const int64_t *b, const int64_t *c)
{
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

static int cross(const int64_t *a, const int64_t *b, const int64_t *c, const int64_t *d)
{
    int64_t o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
    return ((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0));
}

/* The arcs as absolute coordinates: a[k] holds arc k's points (x, y pairs), n[k] their count. */
typedef struct arcs {
    int64_t **a;
    size_t *n, narcs;
} arcs;

static arcs decode_arcs(json_t *j)
{
    json_t *flat = json_object_get(j, "arcs"), *sizes = json_object_get(j, "arc_sizes");
    json_t *trj = json_object_get(j, "translate");
    arcs r = {.narcs = json_array_size(sizes)};
    r.a = calloc(r.narcs + 1, sizeof *r.a);
    r.n = calloc(r.narcs + 1, sizeof *r.n);
    size_t at = 0;
    for (size_t k = 0; k < r.narcs; k++) {
        size_t m = (size_t)json_integer_value(json_array_get(sizes, k));
        int64_t x = json_integer_value(json_array_get(trj, 0)),
                y = json_integer_value(json_array_get(trj, 1));
        r.a[k] = malloc((2 * m + 1) * sizeof **r.a);
        r.n[k] = m;
        for (size_t i = 0; i < m; i++, at++) {
            x += json_integer_value(json_array_get(flat, 2 * at));
            y += json_integer_value(json_array_get(flat, 2 * at + 1));
            r.a[k][2 * i] = x, r.a[k][2 * i + 1] = y;
        }
    }
    if (2 * at != json_array_size(flat))
        harness_failed_now = 1;
    return r;
}

static void arcs_free(arcs *r)
{
    for (size_t k = 0; k < r->narcs; k++)
        free(r->a[k]);
    free(r->a);
    free(r->n);
}

/* A ring decoded from arc references: xy pairs, closed. */
static size_t ring_points(const arcs *arc, json_t *ring, int64_t **xy)
{
    size_t n = 0, cap = 64;
    *xy = malloc(2 * cap * sizeof **xy);
    for (size_t e = 0; e < json_array_size(ring); e++) {
        json_int_t ref = json_integer_value(json_array_get(ring, e));
        size_t k = (size_t)(ref < 0 ? ~ref : ref), m = arc->n[k];
        const int64_t *pts = arc->a[k];
        for (size_t i = 0; i < m; i++) {
            size_t s = ref < 0 ? m - 1 - i : i;
            if (i == 0 && n > 0) { /* arcs meet end to start */
                if (pts[2 * s] != (*xy)[2 * n - 2] || pts[2 * s + 1] != (*xy)[2 * n - 1])
                    harness_failed_now = 1;
                continue;
            }
            if (n == cap)
                *xy = realloc(*xy, 2 * (cap *= 2) * sizeof **xy);
            (*xy)[2 * n] = pts[2 * s], (*xy)[2 * n + 1] = pts[2 * s + 1];
            n++;
        }
    }
    return n;
}

static void check_ring(const int64_t *xy, size_t n)
{
    ASSERT(n >= 4);
    ASSERT(xy[0] == xy[2 * n - 2] && xy[1] == xy[2 * n - 1]);
    double area2 = 0;
    for (size_t i = 0; i + 1 < n; i++)
        area2 += (double)xy[2 * i] * (double)xy[2 * i + 3] -
                 (double)xy[2 * i + 2] * (double)xy[2 * i + 1];
    ASSERT(area2 != 0); /* collapsed rings have no area */
    for (size_t i = 0; i + 1 < n; i++)
        for (size_t j = i + 2; j + 1 < n; j++) {
            if (i == 0 && j + 2 == n)
                continue; /* the closing segment touches the first */
            if (cross(xy + 2 * i, xy + 2 * i + 2, xy + 2 * j, xy + 2 * j + 2)) {
                HARNESS_FAIL("ring crosses itself at segments %zu and %zu", i, j);
                return;
            }
        }
}

static sol_layer *idf(void)
{
    sol_geo_opts o = {.code_field = "code", .make_valid = 1};
    sol_layer *l = NULL;
    sol_error e = {0};
    if (sol_geo_read(IDF, &o, &l, &e) != SOL_OK)
        fprintf(stderr, "%s\n", e.msg);
    return l;
}

/* The original segments by area, and the set of vertices on the outer edge (count 1). */
static void original_segments(const sol_layer *l, segtab *t, size_t *nseg)
{
    *nseg = 0;
    for (size_t a = 0; a < l->n; a++)
        for (size_t p = 0; p < l->f[a].nparts; p++)
            for (size_t r = 0; r < l->f[a].parts[p].nrings; r++)
                *nseg += l->f[a].parts[p].rings[r].n;
    tab_init(t, *nseg);
    for (size_t a = 0; a < l->n; a++)
        for (size_t p = 0; p < l->f[a].nparts; p++)
            for (size_t r = 0; r < l->f[a].parts[p].nrings; r++) {
                const sol_ring *g = &l->f[a].parts[p].rings[r];
                for (size_t i = 0; i + 1 < g->n; i++)
                    seg_add(t, pk(snapq(g->xy[2 * i]), snapq(g->xy[2 * i + 1])),
                            pk(snapq(g->xy[2 * i + 2]), snapq(g->xy[2 * i + 3])), (int32_t)a);
            }
}

static int on_outer_edge(segtab *orig, int64_t p)
{
    for (size_t i = 0; i < orig->cap; i++) /* slow but only for the few unshared segments */
        if (seg_count(orig, i) == 1 && (orig->k[i].a == p || orig->k[i].b == p))
            return 1;
    return 0;
}

TEST(topology_keeps_neighbours_adjacent_at_every_zoom)
{
    sol_layer *l = idf();
    ASSERT(l != NULL);
    ASSERT(l->n == 1268);
    sol_topo *t = NULL;
    ASSERT_STATUS(sol_topo_build(l->f, l->n, &t, NULL), SOL_OK);
    segtab orig;
    size_t nseg;
    original_segments(l, &orig, &nseg);
    size_t pairs0 = 0;
    for (size_t i = 0; i < orig.cap; i++)
        pairs0 += seg_count(&orig, i) == 2;
    ASSERT(pairs0 > 1000);
    size_t prev_vertices = 0;
    for (int z = SOL_TOPO_ZOOMS - 1; z >= 0; z--) {
        char *js = NULL;
        size_t len = 0, nv = 0;
        ASSERT_STATUS(sol_topo_encode(t, z, &js, &len, &nv, NULL), SOL_OK);
        json_t *j = json_loadb(js, len, 0, NULL);
        ASSERT(j != NULL);
        json_t *shapes = json_object_get(j, "shapes");
        arcs arc = decode_arcs(j);
        ASSERT(json_array_size(shapes) == l->n);
        ASSERT(prev_vertices == 0 || nv < prev_vertices);
        prev_vertices = nv;
        segtab now;
        tab_init(&now, nseg);
        for (size_t a = 0; a < json_array_size(shapes); a++) {
            json_t *polys = json_array_get(shapes, a);
            ASSERT(json_array_size(polys) > 0);
            for (size_t p = 0; p < json_array_size(polys); p++)
                for (size_t r = 0; r < json_array_size(json_array_get(polys, p)); r++) {
                    int64_t *xy = NULL;
                    size_t n = ring_points(&arc, json_array_get(json_array_get(polys, p), r), &xy);
                    check_ring(xy, n);
                    for (size_t i = 0; i + 1 < n; i++)
                        seg_add(&now, pk(xy[2 * i], xy[2 * i + 1]),
                                pk(xy[2 * i + 2], xy[2 * i + 3]), (int32_t)a);
                    free(xy);
                }
        }
        /* every segment is shared by exactly two areas, or lies on the region's outer edge */
        size_t shared = 0, edge = 0;
        for (size_t i = 0; i < now.cap; i++) {
            int c = seg_count(&now, i);
            if (c == 0)
                continue;
            ASSERT(c <= 2);
            if (c == 2) {
                ASSERT(now.own[3 * i] != now.own[3 * i + 1]);
                shared++;
            } else if (z == SOL_TOPO_ZOOMS - 1 || edge < 400) {
                ASSERT(on_outer_edge(&orig, now.k[i].a) && on_outer_edge(&orig, now.k[i].b));
                edge++;
            }
        }
        ASSERT(shared > 0);
        fprintf(stderr, "zoom %d: %zu vertices, %zu shared segments, %zu bytes\n", z, nv, shared,
                len);
        free(now.k);
        free(now.own);
        arcs_free(&arc);
        json_decref(j);
        free(js);
    }
    free(orig.k);
    free(orig.own);
    sol_topo_free(t);
    sol_layer_free(l);
}

TEST(topology_neighbour_pairs_survive_simplification)
{
    /* the pairs of areas that share a border are the same before and after, at the coarsest zoom */
    sol_layer *l = idf();
    ASSERT(l != NULL);
    sol_topo *t = NULL;
    ASSERT_STATUS(sol_topo_build(l->f, l->n, &t, NULL), SOL_OK);
    segtab orig;
    size_t nseg;
    original_segments(l, &orig, &nseg);
    char *js = NULL;
    size_t len = 0;
    ASSERT_STATUS(sol_topo_encode(t, 0, &js, &len, NULL, NULL), SOL_OK);
    json_t *j = json_loadb(js, len, 0, NULL);
    json_t *shapes = json_object_get(j, "shapes");
    arcs arc = decode_arcs(j);
    segtab now;
    tab_init(&now, nseg);
    for (size_t a = 0; a < json_array_size(shapes); a++) {
        json_t *polys = json_array_get(shapes, a);
        for (size_t p = 0; p < json_array_size(polys); p++)
            for (size_t r = 0; r < json_array_size(json_array_get(polys, p)); r++) {
                int64_t *xy = NULL;
                size_t n = ring_points(&arc, json_array_get(json_array_get(polys, p), r), &xy);
                for (size_t i = 0; i + 1 < n; i++)
                    seg_add(&now, pk(xy[2 * i], xy[2 * i + 1]), pk(xy[2 * i + 2], xy[2 * i + 3]),
                            (int32_t)a);
                free(xy);
            }
    }
    size_t n = l->n;
    unsigned char *before = calloc(n * n, 1), *after = calloc(n * n, 1);
    for (size_t i = 0; i < orig.cap; i++)
        if (seg_count(&orig, i) == 2)
            before[(size_t)orig.own[3 * i] * n + (size_t)orig.own[3 * i + 1]] =
                before[(size_t)orig.own[3 * i + 1] * n + (size_t)orig.own[3 * i]] = 1;
    for (size_t i = 0; i < now.cap; i++)
        if (seg_count(&now, i) == 2)
            after[(size_t)now.own[3 * i] * n + (size_t)now.own[3 * i + 1]] =
                after[(size_t)now.own[3 * i + 1] * n + (size_t)now.own[3 * i]] = 1;
    size_t differ = 0, pairs = 0;
    for (size_t i = 0; i < n * n; i++) {
        differ += before[i] != after[i];
        pairs += before[i];
    }
    ASSERT(pairs > 6000);
    ASSERT_EQ(differ, 0);
    free(before);
    free(after);
    free(now.k);
    free(now.own);
    free(orig.k);
    free(orig.own);
    arcs_free(&arc);
    json_decref(j);
    free(js);
    sol_topo_free(t);
    sol_layer_free(l);
}

TEST(topology_rejects_a_zoom_out_of_range)
{
    sol_topo *t = NULL;
    ASSERT_STATUS(sol_topo_build(NULL, 0, &t, NULL), SOL_OK);
    char *js = NULL;
    size_t len = 0;
    sol_error e = {0};
    ASSERT_STATUS(sol_topo_encode(t, SOL_TOPO_ZOOMS, &js, &len, NULL, &e), SOL_EINVAL);
    ASSERT_STATUS(sol_topo_encode(t, 0, &js, &len, NULL, NULL), SOL_OK);
    ASSERT_CONTAINS(js, "\"areas\":[]");
    free(js);
    sol_topo_free(t);
}
