/* bench_spatial.c - queen contiguity on a synthetic grid of square cells (side x side): the
 * hashed-vertex builder against the naive all-pairs vertex comparison on a smaller grid. */
#include <solidata/spatial.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* side x side unit squares (in 0.01 degree units) as a layer. */
static sol_layer *grid(size_t side)
{
    sol_layer *l = calloc(1, sizeof *l);
    l->n = side * side;
    l->f = calloc(l->n, sizeof *l->f);
    for (size_t r = 0; r < side; r++)
        for (size_t c = 0; c < side; c++) {
            sol_feature *f = &l->f[r * side + c];
            char code[32];
            snprintf(code, sizeof code, "%zu", r * side + c);
            f->code = strdup(code);
            f->nparts = 1;
            f->parts = calloc(1, sizeof *f->parts);
            f->parts->nrings = 1;
            f->parts->rings = calloc(1, sizeof *f->parts->rings);
            sol_ring *g = f->parts->rings;
            g->n = 5;
            g->xy = malloc(10 * sizeof *g->xy);
            double x0 = 10 + 0.01 * (double)c, y0 = 40 + 0.01 * (double)r;
            double pts[10] = {x0, y0, x0 + 0.01, y0, x0 + 0.01, y0 + 0.01, x0, y0 + 0.01, x0, y0};
            memcpy(g->xy, pts, sizeof pts);
            f->centroid[0] = x0 + 0.005;
            f->centroid[1] = y0 + 0.005;
        }
    return l;
}

/* The naive method: every pair of polygons, every pair of vertices. Returns the link count. */
static size_t naive_queen(const sol_layer *l, double snap)
{
    size_t links = 0;
    for (size_t i = 0; i < l->n; i++)
        for (size_t j = i + 1; j < l->n; j++) {
            const sol_ring *a = l->f[i].parts->rings, *b = l->f[j].parts->rings;
            int hit = 0;
            for (size_t p = 0; p + 1 < a->n && !hit; p++)
                for (size_t q = 0; q + 1 < b->n && !hit; q++) {
                    double dx = a->xy[2 * p] - b->xy[2 * q], dy = a->xy[2 * p + 1] - b->xy[2 * q + 1];
                    hit = dx * dx + dy * dy <= snap * snap;
                }
            links += 2 * (size_t)hit;
        }
    return links;
}

int main(int argc, char **argv)
{
    size_t big = argc > 1 ? strtoul(argv[1], NULL, 10) : 448;  /* 448^2 = 200,704 cells */
    size_t small = argc > 2 ? strtoul(argv[2], NULL, 10) : 60; /* 3,600 cells for all pairs */
    sol_weights_spec s = {.kind = SOL_WEIGHTS_QUEEN, .snap = -1, .style = 'W'};
    size_t sides[3] = {small, big / 2, big};
    double t_small = 0;
    for (int k = 0; k < 3; k++) {
        sol_layer *l = grid(sides[k]);
        sol_weights *w = NULL;
        double t0 = now();
        if (sol_spatial_weights_build(l, &s, &w, NULL) != SOL_OK)
            return 1;
        double t = now() - t0;
        size_t side = sides[k], expect = 2 * (2 * side * (side - 1) + 2 * (side - 1) * (side - 1));
        printf("hashed queen: %8zu cells  %9zu links (expected %9zu)  %8.3f s\n", l->n,
               w->rowptr[w->n], expect, t);
        if (w->rowptr[w->n] != expect)
            return 1;
        if (k == 0) {
            t_small = t;
            t0 = now();
            size_t links = naive_queen(l, SOL_SPATIAL_SNAP_DEFAULT);
            double tn = now() - t0;
            printf("naive  queen: %8zu cells  %9zu links                       %8.3f s"
                   "  (%.0fx slower)\n",
                   l->n, links, tn, tn / t_small);
            double big_n = (double)big * (double)big, ratio = big_n / (double)l->n;
            printf("naive all-pairs extrapolated to %zu cells: ~%.0f s (quadratic)\n",
                   big * big, tn * ratio * ratio);
        }
        sol_weights_free(w);
        sol_layer_free(l);
    }
    return 0;
}
