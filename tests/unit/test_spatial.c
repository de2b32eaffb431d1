/* test_spatial.c - spatial weights, Moran's I, LISA and Getis-Ord against R spdep reference values
 * (tests/data/spatial_*), plus properties of the permutation tests (bounds, thread invariance). */
#include <solidata/spatial.h>

#include <solidata/csv.h>

#include "harness.h"

#include <jansson.h>
#include <omp.h>
#include <stdint.h>

#define LAZIO   "tests/data/spatial_lazio/"
#define REGIONS "tests/data/spatial_regions/"

/* ---- helpers --------------------------------------------------------------------------------- */

/* A layer from a GeoJSON FeatureCollection, through sol_geo_parse_geojson (the GDAL reader
 * lives elsewhere). NULL on failure. */
static sol_layer *load_layer(const char *path, const char *code_field)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (root == NULL)
        return NULL;
    json_t *feats = json_object_get(root, "features");
    sol_layer *l = calloc(1, sizeof *l);
    l->n = json_array_size(feats);
    l->f = calloc(l->n, sizeof *l->f);
    for (size_t i = 0; i < l->n; i++) {
        json_t *ft = json_array_get(feats, i);
        char *g = json_dumps(json_object_get(ft, "geometry"), 0);
        sol_status rc = sol_geo_parse_geojson(g, &l->f[i], NULL);
        free(g);
        const char *code = json_string_value(json_object_get(json_object_get(ft, "properties"),
                                                             code_field));
        if (rc != SOL_OK || code == NULL) {
            l->n = i;
            sol_layer_free(l);
            json_decref(root);
            return NULL;
        }
        l->f[i].code = strdup(code);
    }
    json_decref(root);
    return l;
}

/* A CSV table held as strings: rows x cols. */
typedef struct table {
    size_t nrow, ncol;
    char **names;
    char **cell; /* row-major */
} table;

static table *load_table(const char *path)
{
    sol_csv *c;
    if (sol_csv_open(path, NULL, &c, NULL) != SOL_OK)
        return NULL;
    table *t = calloc(1, sizeof *t);
    t->ncol = sol_csv_ncols(c);
    t->names = calloc(t->ncol, sizeof *t->names);
    for (size_t j = 0; j < t->ncol; j++)
        t->names[j] = strdup(sol_csv_colname(c, j));
    size_t cap = 0;
    while (sol_csv_next(c, NULL) == SOL_OK) {
        if (t->nrow == cap) {
            cap = cap ? 2 * cap : 64;
            t->cell = realloc(t->cell, cap * t->ncol * sizeof *t->cell);
        }
        for (size_t j = 0; j < t->ncol; j++)
            t->cell[t->nrow * t->ncol + j] = strdup(sol_csv_field(c, j, NULL));
        t->nrow++;
    }
    sol_csv_close(c);
    return t;
}

static void table_free(table *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->nrow * t->ncol; i++)
        free(t->cell[i]);
    for (size_t j = 0; j < t->ncol; j++)
        free(t->names[j]);
    free(t->names);
    free(t->cell);
    free(t);
}

static const char *cell(const table *t, size_t r, const char *col)
{
    for (size_t j = 0; j < t->ncol; j++)
        if (strcmp(t->names[j], col) == 0)
            return t->cell[r * t->ncol + j];
    return NULL;
}

static double num(const table *t, size_t r, const char *col)
{
    const char *s = cell(t, r, col);
    if (s == NULL)
        return NAN;
    if (strcmp(s, "NaN") == 0 || strcmp(s, "NA") == 0)
        return NAN;
    return strtod(s, NULL);
}

/* x[i] = column `col` of the data CSV, matched to the weights' area order by `idcol`. */
static double *data_for(const sol_weights *w, const char *path, const char *idcol, const char *col)
{
    table *t = load_table(path);
    if (t == NULL)
        return NULL;
    double *x = malloc(w->n * sizeof *x);
    for (size_t i = 0; i < w->n; i++) {
        x[i] = NAN;
        for (size_t r = 0; r < t->nrow; r++)
            if (strcmp(cell(t, r, idcol), w->ids[i]) == 0)
                x[i] = num(t, r, col);
    }
    table_free(t);
    return x;
}

static long find_id(const sol_weights *w, const char *id)
{
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->ids[i], id) == 0)
            return (long)i;
    return -1;
}

/* Do the neighbour sets of w equal the edge list of an R reference file exactly? Returns the
 * number of differences (0 = identical); prints the first few. */
static long compare_nb(const sol_weights *w, const char *path)
{
    table *t = load_table(path);
    if (t == NULL)
        return -1;
    long diff = 0;
    size_t nnz = w->rowptr[w->n];
    char *seen = calloc(nnz ? nnz : 1, 1);
    for (size_t r = 0; r < t->nrow; r++) {
        long i = find_id(w, cell(t, r, "from_id")), j = find_id(w, cell(t, r, "to_id"));
        int found = 0;
        if (i >= 0 && j >= 0)
            for (size_t e = w->rowptr[i]; e < w->rowptr[i + 1]; e++)
                if (w->col[e] == (size_t)j) {
                    found = 1;
                    seen[e] = 1;
                }
        if (!found && diff++ < 5)
            fprintf(stderr, "    missing %s -> %s\n", cell(t, r, "from_id"), cell(t, r, "to_id"));
    }
    for (size_t i = 0; i < w->n; i++)
        for (size_t e = w->rowptr[i]; e < w->rowptr[i + 1]; e++)
            if (!seen[e] && diff++ < 5)
                fprintf(stderr, "    extra %s -> %s\n", w->ids[i], w->ids[w->col[e]]);
    free(seen);
    table_free(t);
    return diff;
}

static sol_weights *lazio_weights(sol_weights_kind kind, char style, unsigned k, double dist)
{
    sol_layer *l = load_layer(LAZIO "lazio_municipalities.geojson", "istat_code");
    if (l == NULL)
        return NULL;
    sol_weights_spec s = {.kind = kind, .snap = -1, .k = k, .dist = dist, .longlat = 1,
                          .style = style, .islands = SOL_ISLANDS_KEEP};
    sol_weights *w = NULL;
    sol_spatial_weights_build(l, &s, &w, NULL);
    sol_layer_free(l);
    return w;
}

/* ---- geometry and weights -------------------------------------------------------------------- */

TEST(geojson_polygon_with_hole)
{
    sol_feature f = {0};
    /* 4x4 square minus a 2x2 hole at [2,4]x[2,4]: area 12, centroid (5/3, 5/3) */
    const char *g = "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[4,0],[4,4],[0,4],[0,0]],"
                    "[[2,2],[2,4],[4,4],[4,2],[2,2]]]}";
    ASSERT_STATUS(sol_geo_parse_geojson(g, &f, NULL), SOL_OK);
    ASSERT_EQ(f.nparts, 1);
    ASSERT_EQ(f.parts[0].nrings, 2);
    ASSERT_REL(f.centroid[0], 5.0 / 3.0, 1e-14);
    ASSERT_REL(f.centroid[1], 5.0 / 3.0, 1e-14);
    ASSERT_REL(f.bbox[2], 4.0, 0);
    sol_feature_clear(&f);
    sol_error e;
    ASSERT_STATUS(sol_geo_parse_geojson("{\"type\":\"Point\",\"coordinates\":[1,2]}", &f, &e),
                  SOL_EGEO);
    ASSERT_STATUS(sol_geo_parse_geojson("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],"
                                        "[1,1],[0,1]]]}",
                                        &f, &e),
                  SOL_EGEO); /* not closed */
    ASSERT_STATUS(sol_geo_parse_geojson("{\"type\":", &f, &e), SOL_EPARSE);
}

TEST(lazio_centroids_match_geos)
{
    sol_layer *l = load_layer(LAZIO "lazio_municipalities.geojson", "istat_code");
    table *t = load_table(LAZIO "expected_centroids.csv");
    ASSERT(l != NULL && t != NULL);
    ASSERT_EQ(t->nrow, l->n);
    for (size_t i = 0; i < l->n; i++) {
        ASSERT_STR_EQ(cell(t, i, "id"), l->f[i].code);
        ASSERT_REL(l->f[i].centroid[0], num(t, i, "lon"), 1e-12);
        ASSERT_REL(l->f[i].centroid[1], num(t, i, "lat"), 1e-12);
    }
    table_free(t);
    sol_layer_free(l);
}

TEST(gcdist_matches_sp)
{
    table *c = load_table(LAZIO "expected_centroids.csv");
    table *t = load_table(LAZIO "expected_gcdist.csv");
    ASSERT(c != NULL && t != NULL);
    for (size_t r = 0; r < t->nrow; r++) {
        double p[2][2] = {{0}};
        for (int k = 0; k < 2; k++)
            for (size_t i = 0; i < c->nrow; i++)
                if (strcmp(cell(c, i, "id"), cell(t, r, k ? "to_id" : "from_id")) == 0) {
                    p[k][0] = num(c, i, "lon");
                    p[k][1] = num(c, i, "lat");
                }
        ASSERT_REL(sol_spatial_gcdist_km(p[0][0], p[0][1], p[1][0], p[1][1]), num(t, r, "km"),
                   1e-12);
    }
    table_free(c);
    table_free(t);
}

TEST(lazio_queen_rook_knn_band_match_spdep)
{
    struct {
        sol_weights_kind kind;
        unsigned k;
        double d;
        const char *file;
    } cases[] = {{SOL_WEIGHTS_QUEEN, 0, 0, "expected_nb_queen.csv"},
                 {SOL_WEIGHTS_ROOK, 0, 0, "expected_nb_rook.csv"},
                 {SOL_WEIGHTS_KNN, 6, 0, "expected_nb_knn6.csv"},
                 {SOL_WEIGHTS_BAND, 0, 15, "expected_nb_band15.csv"}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        sol_weights *w = lazio_weights(cases[c].kind, 'B', cases[c].k, cases[c].d);
        ASSERT(w != NULL);
        ASSERT_EQ(w->n, 378);
        char path[256];
        snprintf(path, sizeof path, LAZIO "%s", cases[c].file);
        long d = compare_nb(w, path);
        if (d != 0)
            fprintf(stderr, "    %s: %ld differences\n", cases[c].file, d);
        ASSERT_EQ(d, 0);
        if (cases[c].kind != SOL_WEIGHTS_KNN)
            ASSERT(sol_spatial_weights_symmetric(w));
        sol_weights_free(w);
    }
}

TEST(islands_reported_error_by_default)
{
    sol_layer *l = load_layer(REGIONS "italy_regions.geojson", "reg_code");
    ASSERT(l != NULL);
    sol_weights_spec s = {.kind = SOL_WEIGHTS_QUEEN, .snap = -1};
    sol_weights *w = NULL;
    sol_error e;
    ASSERT_STATUS(sol_spatial_weights_build(l, &s, &w, &e), SOL_EGEO);
    ASSERT(w == NULL);
    ASSERT_CONTAINS(e.msg, "2 area(s) without neighbours: 19, 20");
    s.islands = SOL_ISLANDS_KEEP;
    ASSERT_STATUS(sol_spatial_weights_build(l, &s, &w, &e), SOL_OK);
    size_t idx[20];
    ASSERT_EQ(sol_spatial_weights_islands(w, idx), 2);
    ASSERT_STR_EQ(w->ids[idx[0]], "19");
    ASSERT_STR_EQ(w->ids[idx[1]], "20");
    ASSERT_EQ(compare_nb(w, REGIONS "expected_nb_queen.csv"), 0);
    sol_weights_free(w);
    sol_layer_free(l);
}

TEST(snap_joins_near_miss_boundaries)
{
    /* two unit squares separated by a 1e-6 gap: neighbours only with snap >= 1e-6 */
    sol_layer l = {0};
    sol_feature f[2] = {{0}};
    const char *g[2] = {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}",
                        "{\"type\":\"Polygon\",\"coordinates\":[[[1.000001,0],[2,0],[2,1],"
                        "[1.000001,1],[1.000001,0]]]}"};
    for (int i = 0; i < 2; i++) {
        ASSERT_STATUS(sol_geo_parse_geojson(g[i], &f[i], NULL), SOL_OK);
        f[i].code = strdup(i ? "b" : "a");
    }
    l.n = 2;
    l.f = f;
    sol_weights_spec s = {.kind = SOL_WEIGHTS_ROOK, .snap = -1, .islands = SOL_ISLANDS_KEEP};
    sol_weights *w = NULL;
    ASSERT_STATUS(sol_spatial_weights_build(&l, &s, &w, NULL), SOL_OK);
    ASSERT_EQ(w->rowptr[2], 0);
    sol_weights_free(w);
    s.snap = 2e-6;
    ASSERT_STATUS(sol_spatial_weights_build(&l, &s, &w, NULL), SOL_OK);
    ASSERT_EQ(w->rowptr[2], 2);
    ASSERT_REL(w->w[0], 1.0, 0); /* one neighbour, row-standardised */
    sol_weights_free(w);
    for (int i = 0; i < 2; i++)
        sol_feature_clear(&f[i]);
}

TEST(queen_vs_rook_corner)
{
    /* squares touching only at the corner (1,1): queen neighbours, not rook */
    sol_layer l = {0};
    sol_feature f[2] = {{0}};
    const char *g[2] = {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}",
                        "{\"type\":\"Polygon\",\"coordinates\":[[[1,1],[2,1],[2,2],[1,2],[1,1]]]}"};
    for (int i = 0; i < 2; i++) {
        ASSERT_STATUS(sol_geo_parse_geojson(g[i], &f[i], NULL), SOL_OK);
        f[i].code = strdup(i ? "b" : "a");
    }
    l.n = 2;
    l.f = f;
    sol_weights_spec s = {.kind = SOL_WEIGHTS_QUEEN, .snap = 0, .islands = SOL_ISLANDS_KEEP};
    sol_weights *w = NULL;
    ASSERT_STATUS(sol_spatial_weights_build(&l, &s, &w, NULL), SOL_OK);
    ASSERT_EQ(w->rowptr[2], 2);
    sol_weights_free(w);
    s.kind = SOL_WEIGHTS_ROOK;
    ASSERT_STATUS(sol_spatial_weights_build(&l, &s, &w, NULL), SOL_OK);
    ASSERT_EQ(w->rowptr[2], 0);
    sol_weights_free(w);
    for (int i = 0; i < 2; i++)
        sol_feature_clear(&f[i]);
}

TEST(weights_csv_round_trip)
{
    sol_weights *w = lazio_weights(SOL_WEIGHTS_QUEEN, 'W', 0, 0), *r = NULL;
    ASSERT(w != NULL);
    char path[512], gal[512];
    const char *tmp = getenv("SOL_TEST_TMP");
    snprintf(path, sizeof path, "%s/edges.csv", tmp ? tmp : "/tmp");
    snprintf(gal, sizeof gal, "%s/w.gal", tmp ? tmp : "/tmp");
    ASSERT_STATUS(sol_spatial_weights_write_csv(w, path, NULL), SOL_OK);
    ASSERT_STATUS(sol_spatial_weights_write_gal(w, gal, NULL), SOL_OK);
    sol_error e;
    ASSERT_STATUS(sol_spatial_weights_read_csv(path, NULL, 0, SOL_ISLANDS_ERROR, &r, &e), SOL_EGEO);
    ASSERT_CONTAINS(e.msg, "2 area(s) without neighbours: 059018, 059033"); /* Ponza, Ventotene */
    ASSERT_STATUS(sol_spatial_weights_read_csv(path, (const char *const *)w->ids, w->n,
                                               SOL_ISLANDS_KEEP, &r, &e),
                  SOL_OK);
    ASSERT_EQ(r->n, w->n);
    ASSERT_EQ(r->style, 'W');
    for (size_t i = 0; i <= w->n; i++)
        ASSERT_EQ(r->rowptr[i], w->rowptr[i]);
    for (size_t k = 0; k < w->rowptr[w->n]; k++) {
        ASSERT_EQ(r->col[k], w->col[k]);
        ASSERT(r->w[k] == w->w[k]); /* %.17g round-trips exactly */
    }
    sol_weights_free(r);
    /* unknown area */
    const char *few[2] = {"056001", "056002"};
    ASSERT_STATUS(sol_spatial_weights_read_csv(path, few, 2, SOL_ISLANDS_KEEP, &r, &e),
                  SOL_EUNKNOWNAREA);
    sol_weights_free(w);
}
