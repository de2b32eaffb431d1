/* bench_lisa.c - times the in-memory steps of a LISA on a real polygon file: reading it (GDAL),
 * queen contiguity, and local Moran with 999 conditional permutations on OMP_NUM_THREADS threads. */
#include <solidata/geo.h>
#include <solidata/spatial.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_lisa FILE.geojson ID_FIELD [NSIM]\n");
        return 2;
    }
    unsigned nsim = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 999u;
    sol_error err;
    sol_geo_opts go = {.code_field = argv[2], .no_geojson = 1};
    sol_layer *l = NULL;
    double t0 = now();
    if (sol_geo_read(argv[1], &go, &l, &err) != SOL_OK) {
        fprintf(stderr, "read: %s\n", err.msg);
        return 1;
    }
    double t1 = now();
    sol_weights_spec spec = {.kind = SOL_WEIGHTS_QUEEN, .snap = -1, .style = 'W', .longlat = 1,
                             .islands = SOL_ISLANDS_KEEP};
    sol_weights *w = NULL;
    if (sol_spatial_weights_build(l, &spec, &w, &err) != SOL_OK) {
        fprintf(stderr, "queen: %s\n", err.msg);
        return 1;
    }
    double t2 = now();
    /* a spatially smooth value with noise, from the centroids (LISA's cost does not depend on it) */
    double *x = malloc(l->n * sizeof *x);
    for (size_t i = 0; i < l->n; i++)
        x[i] = l->f[i].centroid[0] + sin(7 * l->f[i].centroid[1]) + 0.01 * (double)(i % 97);
    sol_local_opts o;
    sol_spatial_local_opts_default(&o);
    o.nsim = nsim;
    sol_local_result *r = NULL;
    double t3 = now();
    if (sol_spatial_lisa(w, x, &o, &r, &err) != SOL_OK) {
        fprintf(stderr, "lisa: %s\n", err.msg);
        return 1;
    }
    double t4 = now();
    printf("areas %zu\nlinks %zu\nread %.3f\nqueen %.3f\nlisa %.3f\n", l->n, w->rowptr[w->n],
           t1 - t0, t2 - t1, t4 - t3);
    sol_local_result_free(r);
    sol_weights_free(w);
    sol_layer_free(l);
    free(x);
    return 0;
}
