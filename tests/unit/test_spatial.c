/* test_spatial.c - spatial weights, Moran's I, LISA and Getis-Ord against R spdep reference values
 * (tests/data/spatial_*), plus properties of the permutation tests (bounds, thread invariance). */
#include <solidata/spatial.h>

#include <solidata/csv.h>

#include "harness.h"
#include "test_util.h"

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
        const char *code =
            json_string_value(json_object_get(json_object_get(ft, "properties"), code_field));
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

static double *data_for(const sol_weights *w, const char *path, const char *idcol, const char *col)
{
    test_table *t = test_table_load(path);
    if (t == NULL)
        return NULL;
    double *x = malloc(w->n * sizeof *x);
    for (size_t i = 0; i < w->n; i++) {
        x[i] = NAN;
        for (size_t r = 0; r < t->nr; r++)
            if (strcmp(test_table_str(t, r, idcol), w->ids[i]) == 0)
                x[i] = test_table_num(t, r, col);
    }
    test_table_free(t);
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
    test_table *t = test_table_load(path);
    if (t == NULL)
        return -1;
    long diff = 0;
    size_t nnz = w->rowptr[w->n];
    char *seen = calloc(nnz ? nnz : 1, 1);
    for (size_t r = 0; r < t->nr; r++) {
        long i = find_id(w, test_table_str(t, r, "from_id")),
             j = find_id(w, test_table_str(t, r, "to_id"));
        int found = 0;
        if (i >= 0 && j >= 0)
            for (size_t e = w->rowptr[i]; e < w->rowptr[i + 1]; e++)
                if (w->col[e] == (size_t)j) {
                    found = 1;
                    seen[e] = 1;
                }
        if (!found && diff++ < 5)
            fprintf(stderr, "    missing %s -> %s\n", test_table_str(t, r, "from_id"),
                    test_table_str(t, r, "to_id"));
    }
    for (size_t i = 0; i < w->n; i++)
        for (size_t e = w->rowptr[i]; e < w->rowptr[i + 1]; e++)
            if (!seen[e] && diff++ < 5)
                fprintf(stderr, "    extra %s -> %s\n", w->ids[i], w->ids[w->col[e]]);
    free(seen);
    test_table_free(t);
    return diff;
}

/* Moran's I, E[I] and, under normality or randomisation as the row says, Var, z and p against
 * spdep's moran.test (row r of an expected_moran.csv). */
static void check_moran_row(const test_table *t, size_t r, const sol_moran_result *m)
{
    int rz = (int)test_table_num(t, r, "randomisation");
    ASSERT_REL(m->I, test_table_num(t, r, "I"), 1e-12);
    ASSERT_REL(m->EI, test_table_num(t, r, "EI"), 1e-14);
    ASSERT_REL(rz ? m->var_rand : m->var_norm, test_table_num(t, r, "VarI"), 1e-10);
    ASSERT_REL(rz ? m->z_rand : m->z_norm, test_table_num(t, r, "z"), 1e-10);
    ASSERT_REL(rz ? m->p_rand : m->p_norm, test_table_num(t, r, "p"), 1e-8);
}

static sol_weights *lazio_weights(sol_weights_kind kind, char style, unsigned k, double dist)
{
    sol_layer *l = load_layer(LAZIO "lazio_municipalities.geojson", "istat_code");
    if (l == NULL)
        return NULL;
    sol_weights_spec s = {.kind = kind,
                          .snap = -1,
                          .k = k,
                          .dist = dist,
                          .longlat = 1,
                          .style = style,
                          .islands = SOL_ISLANDS_KEEP};
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
    test_table *t = test_table_load(LAZIO "expected_centroids.csv");
    ASSERT(l != NULL && t != NULL);
    ASSERT_EQ(t->nr, l->n);
    for (size_t i = 0; i < l->n; i++) {
        ASSERT_STR_EQ(test_table_str(t, i, "id"), l->f[i].code);
        ASSERT_REL(l->f[i].centroid[0], test_table_num(t, i, "lon"), 1e-12);
        ASSERT_REL(l->f[i].centroid[1], test_table_num(t, i, "lat"), 1e-12);
    }
    test_table_free(t);
    sol_layer_free(l);
}

TEST(gcdist_matches_sp)
{
    test_table *c = test_table_load(LAZIO "expected_centroids.csv");
    test_table *t = test_table_load(LAZIO "expected_gcdist.csv");
    ASSERT(c != NULL && t != NULL);
    for (size_t r = 0; r < t->nr; r++) {
        double p[2][2] = {{0}};
        for (int k = 0; k < 2; k++)
            for (size_t i = 0; i < c->nr; i++)
                if (strcmp(test_table_str(c, i, "id"),
                           test_table_str(t, r, k ? "to_id" : "from_id")) == 0) {
                    p[k][0] = test_table_num(c, i, "lon");
                    p[k][1] = test_table_num(c, i, "lat");
                }
        ASSERT_REL(sol_spatial_gcdist_km(p[0][0], p[0][1], p[1][0], p[1][1]),
                   test_table_num(t, r, "km"), 1e-12);
    }
    test_table_free(c);
    test_table_free(t);
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

/* ---- global Moran ---------------------------------------------------------------------------- */

TEST(moran_lazio_matches_moran_test)
{
    test_table *t = test_table_load(LAZIO "expected_moran.csv");
    ASSERT(t != NULL);
    ASSERT_EQ(t->nr, 20);
    for (size_t r = 0; r < t->nr; r++) {
        const char *wn = test_table_str(t, r, "weights");
        sol_weights *w =
            strncmp(wn, "queen", 5) == 0  ? lazio_weights(SOL_WEIGHTS_QUEEN, wn[6], 0, 0)
            : strncmp(wn, "rook", 4) == 0 ? lazio_weights(SOL_WEIGHTS_ROOK, 'W', 0, 0)
            : strncmp(wn, "knn6", 4) == 0 ? lazio_weights(SOL_WEIGHTS_KNN, 'W', 6, 0)
                                          : lazio_weights(SOL_WEIGHTS_BAND, 'B', 0, 15);
        ASSERT(w != NULL);
        double *x =
            data_for(w, LAZIO "lazio_irpef_2021.csv", "istat_code", test_table_str(t, r, "var"));
        sol_moran_result m;
        ASSERT_STATUS(sol_spatial_moran(w, x, NULL, &m, NULL), SOL_OK);
        check_moran_row(t, r, &m);
        free(x);
        sol_weights_free(w);
    }
    test_table_free(t);
}

static sol_weights *regions_queen(char style)
{
    sol_layer *l = load_layer(REGIONS "italy_regions.geojson", "reg_code");
    sol_weights_spec s = {
        .kind = SOL_WEIGHTS_QUEEN, .snap = -1, .style = style, .islands = SOL_ISLANDS_KEEP};
    sol_weights *w = NULL;
    if (l != NULL)
        sol_spatial_weights_build(l, &s, &w, NULL);
    sol_layer_free(l);
    return w;
}

TEST(moran_regions_with_islands_matches_zero_policy)
{
    test_table *t = test_table_load(REGIONS "expected_moran.csv");
    ASSERT(t != NULL);
    for (size_t r = 0; r < t->nr; r++) {
        sol_weights *w = regions_queen(test_table_str(t, r, "style")[0]);
        ASSERT(w != NULL);
        double *x = data_for(w, REGIONS "bes_2021.csv", "reg_code", test_table_str(t, r, "var"));
        sol_moran_result m;
        ASSERT_STATUS(sol_spatial_moran(w, x, NULL, &m, NULL), SOL_OK);
        ASSERT_EQ(m.n, 18); /* spdep adjust.n: the 2 islands leave the constants */
        check_moran_row(t, r, &m);
        free(x);
        sol_weights_free(w);
    }
    test_table_free(t);
}

TEST(moran_permutation_properties)
{
    sol_weights *w = lazio_weights(SOL_WEIGHTS_QUEEN, 'W', 0, 0);
    double *x = data_for(w, LAZIO "lazio_irpef_2021.csv", "istat_code", "pct_income_0_10k");
    sol_moran_opts o = {SOL_ALT_GREATER, 999, 42};
    sol_moran_result a, b;
    omp_set_num_threads(1);
    ASSERT_STATUS(sol_spatial_moran(w, x, &o, &a, NULL), SOL_OK);
    omp_set_num_threads(2);
    ASSERT_STATUS(sol_spatial_moran(w, x, &o, &b, NULL), SOL_OK);
    ASSERT(memcmp(&a, &b, sizeof a) == 0); /* bit-identical across thread counts */
    /* I = 0.40 with z = 12.6: no permutation reaches it */
    ASSERT_EQ(a.n_ge, 0);
    ASSERT_REL(a.p_sim, 1.0 / 1000.0, 1e-15);
    ASSERT_REL(a.rank, 1000.0, 0);
    /* permutation mean and variance near E[I] and Var[I] under randomisation: Monte Carlo error
     * of the mean is sd/sqrt(999) ~ 0.001, of the variance ~ 4.5 % */
    ASSERT(fabs(a.mean_sim - a.EI) < 4 * sqrt(a.var_rand / 999));
    ASSERT_REL(a.var_sim, a.var_rand, 0.2);
    /* a variable with no structure: permutation p close to the analytic p */
    double *y = malloc(w->n * sizeof *y);
    for (size_t i = 0; i < w->n; i++)
        y[i] = x[(i * 149) % w->n];
    o.nsim = 20000;
    o.alternative = SOL_ALT_TWO_SIDED;
    ASSERT_STATUS(sol_spatial_moran(w, y, &o, &a, NULL), SOL_OK);
    ASSERT(a.p_sim > 0 && a.p_sim <= 1);
    double se = sqrt(a.p_rand * (1 - a.p_rand) / 20000.0);
    ASSERT(fabs(a.p_sim - a.p_rand) < 5 * se + 0.02);
    free(y);
    free(x);
    sol_weights_free(w);
}

TEST(moran_rejects_bad_input)
{
    sol_weights *w = lazio_weights(SOL_WEIGHTS_QUEEN, 'W', 0, 0);
    double *x = calloc(w->n, sizeof *x);
    sol_moran_result m;
    sol_error e;
    ASSERT_STATUS(sol_spatial_moran(w, x, NULL, &m, &e), SOL_EINVAL); /* constant */
    x[3] = NAN;
    ASSERT_STATUS(sol_spatial_moran(w, x, NULL, &m, &e), SOL_EINVAL);
    ASSERT_CONTAINS(e.msg, w->ids[3]);
    free(x);
    sol_weights_free(w);
}

/* ---- local statistics ------------------------------------------------------------------------ */

static void check_lisa(const sol_local_result *r, const sol_weights *w, const char *path)
{
    test_table *t = test_table_load(path);
    ASSERT(t != NULL);
    ASSERT_EQ(t->nr, r->n);
    for (size_t i = 0; i < r->n; i++) {
        ASSERT_STR_EQ(test_table_str(t, i, "id"), w->ids[i]);
        ASSERT_REL(r->stat[i], test_table_num(t, i, "Ii"), 1e-11);
        ASSERT_REL(r->expect[i], test_table_num(t, i, "E.Ii"), 1e-11);
        ASSERT_REL(r->var[i], test_table_num(t, i, "Var.Ii"), 1e-10);
        double zw = test_table_num(t, i, "Z.Ii"), pw = test_table_num(t, i, "p");
        if (isnan(zw)) {
            ASSERT(isnan(r->z[i]) && isnan(r->p[i]));
            continue;
        }
        ASSERT_REL(r->z[i], zw, 1e-10);
        ASSERT_REL(r->p[i], pw, 1e-8);
        const char *q = test_table_str(t, i, "quadr");
        if (q != NULL) {
            char want[3] = {q[0], strchr(q, '-')[1], 0};
            ASSERT_STR_EQ(sol_spatial_quadrant_name(r->quadrant[i]), want);
        }
    }
    test_table_free(t);
}

TEST(lisa_lazio_conditional_and_total_match_localmoran)
{
    sol_weights *w = lazio_weights(SOL_WEIGHTS_QUEEN, 'W', 0, 0);
    double *x = data_for(w, LAZIO "lazio_irpef_2021.csv", "istat_code", "pct_income_0_10k");
    sol_local_opts o;
    sol_spatial_local_opts_default(&o);
    o.nsim = 0;
    sol_local_result *r = NULL;
    ASSERT_STATUS(sol_spatial_lisa(w, x, &o, &r, NULL), SOL_OK);
    check_lisa(r, w, LAZIO "expected_lisa_conditional.csv");
    /* p adjustment as R p.adjust */
    test_table *t = test_table_load(LAZIO "expected_lisa_conditional.csv");
    double *adj = malloc(w->n * sizeof *adj);
    ASSERT_STATUS(sol_spatial_p_adjust(r->p, w->n, SOL_PADJUST_FDR, adj), SOL_OK);
    for (size_t i = 0; i < w->n; i++)
        if (!isnan(r->p[i]))
            ASSERT_REL(adj[i], test_table_num(t, i, "p_fdr"), 1e-8);
    ASSERT_STATUS(sol_spatial_p_adjust(r->p, w->n, SOL_PADJUST_BONFERRONI, adj), SOL_OK);
    for (size_t i = 0; i < w->n; i++)
        if (!isnan(r->p[i]))
            ASSERT_REL(adj[i], test_table_num(t, i, "p_bonf"), 1e-8);
    /* clusters: the quadrant where p < alpha, else NS */
    for (size_t i = 0; i < w->n; i++) {
        if (r->p[i] < 0.05)
            ASSERT_STR_EQ(sol_spatial_cluster_name(r->cluster[i]),
                          sol_spatial_quadrant_name(r->quadrant[i]));
        else
            ASSERT_EQ(r->cluster[i], SOL_CLUSTER_NS);
    }
    free(adj);
    test_table_free(t);
    sol_local_result_free(r);
    o.conditional = 0;
    ASSERT_STATUS(sol_spatial_lisa(w, x, &o, &r, NULL), SOL_OK);
    check_lisa(r, w, LAZIO "expected_lisa_total.csv");
    sol_local_result_free(r);
    sol_weights_free(w);
    free(x);
    w = lazio_weights(SOL_WEIGHTS_KNN, 'W', 6, 0);
    x = data_for(w, LAZIO "lazio_irpef_2021.csv", "istat_code", "pct_income_0_10k");
    o.conditional = 1;
    ASSERT_STATUS(sol_spatial_lisa(w, x, &o, &r, NULL), SOL_OK);
    check_lisa(r, w, LAZIO "expected_lisa_knn6.csv");
    sol_local_result_free(r);
    sol_weights_free(w);
    free(x);
}

TEST(lisa_regions_islands_match_zero_policy)
{
    sol_weights *w = regions_queen('W');
    double *x = data_for(w, REGIONS "bes_2021.csv", "reg_code", "labour_nonpart_pct");
    sol_local_opts o;
    sol_spatial_local_opts_default(&o);
    sol_local_result *r = NULL;
    ASSERT_STATUS(sol_spatial_lisa(w, x, &o, &r, NULL), SOL_OK);
    check_lisa(r, w, REGIONS "expected_lisa_conditional.csv");
    for (size_t i = 18; i < 20; i++) { /* islands: no permutation p, never a cluster */
        ASSERT(isnan(r->p_sim[i]));
        ASSERT_EQ(r->cluster[i], SOL_CLUSTER_NS);
    }
    sol_local_result_free(r);
    sol_weights_free(w);
    free(x);
}

TEST(getis_ord_lazio_matches_localG)
{
    const char *files[4] = {"expected_localG_star_W.csv", "expected_localG_star_B.csv",
                            "expected_localG_gi_W.csv", "expected_localG_gi_B.csv"};
    for (int c = 0; c < 4; c++) {
        sol_weights *w = lazio_weights(SOL_WEIGHTS_QUEEN, (c % 2) ? 'B' : 'W', 0, 0), *ws = NULL;
        double *x = data_for(w, LAZIO "lazio_irpef_2021.csv", "istat_code", "pct_income_0_10k");
        if (c < 2) {
            ASSERT_STATUS(sol_spatial_weights_with_self(w, &ws, NULL), SOL_OK);
            sol_weights_free(w);
            w = ws;
        }
        sol_local_opts o;
        sol_spatial_local_opts_default(&o);
        o.nsim = 0;
        sol_local_result *r = NULL;
        ASSERT_STATUS(sol_spatial_getis_ord(w, x, &o, &r, NULL), SOL_OK);
        ASSERT_EQ(r->is_gstar, c < 2);
        char path[256];
        snprintf(path, sizeof path, LAZIO "%s", files[c]);
        test_table *t = test_table_load(path);
        ASSERT(t != NULL);
        for (size_t i = 0; i < w->n; i++) {
            double zw = test_table_num(t, i, "z");
            if (isnan(zw)) {
                ASSERT(isnan(r->z[i]));
                continue;
            }
            ASSERT_REL(r->z[i], zw, 1e-10);
            ASSERT_REL(r->g[i], test_table_num(t, i, "G"), 1e-12);
            ASSERT_REL(r->expect[i], test_table_num(t, i, "EG"), 1e-12);
            ASSERT_REL(r->var[i], test_table_num(t, i, "VG"), 1e-10);
            ASSERT_REL(r->p[i], test_table_num(t, i, "p"), 1e-8);
        }
        test_table_free(t);
        sol_local_result_free(r);
        sol_weights_free(w);
        free(x);
    }
}

static int same_doubles(const double *a, const double *b, size_t n)
{
    return memcmp(a, b, n * sizeof *a) == 0;
}

TEST(local_permutations_identical_on_1_and_2_threads)
{
    sol_weights *w = lazio_weights(SOL_WEIGHTS_QUEEN, 'W', 0, 0), *ws = NULL;
    double *x = data_for(w, LAZIO "lazio_irpef_2021.csv", "istat_code", "pct_income_0_10k");
    ASSERT_STATUS(sol_spatial_weights_with_self(w, &ws, NULL), SOL_OK);
    sol_local_opts o;
    sol_spatial_local_opts_default(&o);
    o.seed = 12345;
    for (int kind = 0; kind < 2; kind++) {
        sol_local_result *a = NULL, *b = NULL;
        omp_set_num_threads(1);
        ASSERT_STATUS(kind ? sol_spatial_getis_ord(ws, x, &o, &a, NULL)
                           : sol_spatial_lisa(w, x, &o, &a, NULL),
                      SOL_OK);
        omp_set_num_threads(2);
        ASSERT_STATUS(kind ? sol_spatial_getis_ord(ws, x, &o, &b, NULL)
                           : sol_spatial_lisa(w, x, &o, &b, NULL),
                      SOL_OK);
        size_t n = w->n;
        ASSERT(same_doubles(a->p_sim, b->p_sim, n) && same_doubles(a->e_sim, b->e_sim, n) &&
               same_doubles(a->var_sim, b->var_sim, n) && same_doubles(a->z_sim, b->z_sim, n));
        ASSERT(memcmp(a->n_ge, b->n_ge, n * sizeof *a->n_ge) == 0);
        for (size_t i = 0; i < n; i++) {
            if (isnan(a->p_sim[i]))
                continue;
            /* bounds of the folded pseudo p */
            ASSERT(a->p_sim[i] >= 1.0 / 1000.0 && a->p_sim[i] <= 0.5 + 1e-12);
            ASSERT(a->n_ge[i] <= 999);
        }
        sol_local_result_free(a);
        sol_local_result_free(b);
    }
    /* another seed gives other draws */
    sol_local_result *a = NULL, *b = NULL;
    ASSERT_STATUS(sol_spatial_lisa(w, x, &o, &a, NULL), SOL_OK);
    o.seed = 777;
    ASSERT_STATUS(sol_spatial_lisa(w, x, &o, &b, NULL), SOL_OK);
    ASSERT(!same_doubles(a->e_sim, b->e_sim, w->n));
    sol_local_result_free(a);
    sol_local_result_free(b);
    sol_weights_free(ws);
    sol_weights_free(w);
    free(x);
}

TEST(lisa_permutation_agrees_with_conditional_analytic)
{
    /* Conditional permutation draws without replacement from the other n - 1 values: its
     * mean and variance are exactly what the conditional analytic E.Ii / Var.Ii describe, up
     * to Monte Carlo error; the pseudo p is monotone in the observed statistic. */
    sol_weights *w = lazio_weights(SOL_WEIGHTS_QUEEN, 'W', 0, 0);
    double *x = data_for(w, LAZIO "lazio_irpef_2021.csv", "istat_code", "pct_income_0_10k");
    sol_local_opts o;
    sol_spatial_local_opts_default(&o);
    o.nsim = 20000;
    o.mlvar = 1;
    sol_local_result *r = NULL;
    ASSERT_STATUS(sol_spatial_lisa(w, x, &o, &r, NULL), SOL_OK);
    size_t checked = 0;
    for (size_t i = 0; i < w->n; i++) {
        if (isnan(r->e_sim[i]) || r->var[i] <= 0)
            continue;
        double se = sqrt(r->var[i] / 20000.0);
        /* mean within 6 Monte Carlo standard errors; variance within 10 % (its MC error with
         * 20000 draws is about 1-3 %) */
        ASSERT(fabs(r->e_sim[i] - r->expect[i]) < 6 * se + 1e-12);
        ASSERT(fabs(r->var_sim[i] / r->var[i] - 1) < 0.1);
        checked++;
    }
    ASSERT(checked > 300);
    sol_local_result_free(r);
    sol_weights_free(w);
    free(x);
}

TEST(lisa_permutation_unequal_weights_agree_with_conditional_analytic)
{
    /* Rows whose weights differ take the other sampling path (the drawn areas put in random
     * order before meeting the weights); the conditional analytic moments hold for any
     * weights, so the permutations must still match them within Monte Carlo error. */
    sol_weights *w = lazio_weights(SOL_WEIGHTS_QUEEN, 'B', 0, 0);
    double *x = data_for(w, LAZIO "lazio_irpef_2021.csv", "istat_code", "pct_income_0_10k");
    for (size_t e = 0; e < w->rowptr[w->n]; e++)
        w->w[e] = 0.2 + (double)((e * 7919) % 13);
    sol_local_opts o;
    sol_spatial_local_opts_default(&o);
    o.nsim = 20000;
    sol_local_result *r = NULL;
    ASSERT_STATUS(sol_spatial_lisa(w, x, &o, &r, NULL), SOL_OK);
    size_t checked = 0;
    for (size_t i = 0; i < w->n; i++) {
        if (isnan(r->e_sim[i]) || r->var[i] <= 0)
            continue;
        double se = sqrt(r->var[i] / 20000.0);
        ASSERT(fabs(r->e_sim[i] - r->expect[i]) < 6 * se + 1e-12);
        ASSERT(fabs(r->var_sim[i] / r->var[i] - 1) < 0.1);
        checked++;
    }
    ASSERT(checked > 300);
    sol_local_result_free(r);
    sol_weights_free(w);
    free(x);
}
