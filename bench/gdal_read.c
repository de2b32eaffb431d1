/* gdal_read.c - what reading a polygon file costs in GDAL alone, for bench_spatial.sh: the
 * dataset opened (GeoJSON: a first pass over the file to learn its fields), every feature read
 * with its geometry kept, then GEOS's validity check of each; seconds of each step. The floor
 * under solidata's read step (bench_lisa.c), which does these and its own copy and checks. */
#define _POSIX_C_SOURCE 200809L
#include <gdal.h>
#include <ogr_api.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gdal_read FILE\n");
        return 2;
    }
    GDALAllRegister();
    double t0 = now();
    GDALDatasetH ds = GDALOpenEx(argv[1], GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (ds == NULL) {
        fprintf(stderr, "gdal_read: cannot open %s\n", argv[1]);
        return 1;
    }
    double t1 = now();
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    size_t n = 0, cap = 1024, valid = 0;
    OGRGeometryH *g = malloc(cap * sizeof *g);
    OGRFeatureH f;
    while (g && (f = OGR_L_GetNextFeature(layer)) != NULL) {
        if (n == cap) {
            OGRGeometryH *h = realloc(g, 2 * cap * sizeof *g);
            if (h == NULL)
                break;
            g = h;
            cap *= 2;
        }
        g[n++] = OGR_F_StealGeometry(f);
        OGR_F_Destroy(f);
    }
    double t2 = now();
    for (size_t i = 0; g && i < n; i++)
        valid += g[i] && OGR_G_IsValid(g[i]);
    double t3 = now();
    printf("open %.3f features %.3f validity %.3f n %zu valid %zu\n", t1 - t0, t2 - t1, t3 - t2, n,
           valid);
    for (size_t i = 0; g && i < n; i++)
        OGR_G_DestroyGeometry(g[i]);
    free(g);
    GDALClose(ds);
    return 0;
}
