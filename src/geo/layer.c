/* layer.c - what every area feature needs whoever read it (the GDAL reader, the GeoJSON geometry
 * parser): its bounding box and centroid, and freeing features and layers. */
#include <solidata/geo.h>

#include "core/core.h"

#include <math.h>
#include <string.h>

void sol_feature_clear(sol_feature *f)
{
    if (f == NULL)
        return;
    for (size_t i = 0; i < f->nparts; i++) {
        sol_polygon *p = &f->parts[i];
        if (p->rings != NULL)
            for (size_t k = 0; k < p->nrings; k++)
                sol__free(p->rings[k].xy);
        sol__free(p->rings);
    }
    sol__free_n(5, f->parts, f->code, f->name, f->parent, f->geojson);
    memset(f, 0, sizeof *f);
}

sol_status sol_feature_validate(const sol_feature *f, sol_error *err)
{
    if (f->nparts == 0)
        return sol__err(err, SOL_EGEO, "the geometry has no polygon");
    for (size_t i = 0; i < f->nparts; i++) {
        const sol_polygon *p = &f->parts[i];
        if (p->nrings == 0)
            return sol__err(err, SOL_EGEO, "polygon %zu has no ring", i + 1);
        for (size_t k = 0; k < p->nrings; k++) {
            const sol_ring *r = &p->rings[k];
            if (r->n < 4)
                /* the English plural keeps "point(s)" as the command's tests read it */
                return sol__err(err, SOL_EGEO,
                                sol_ngettext("polygon %zu, ring %zu has %zu point; a closed ring "
                                             "needs at least 4 (the first repeated last)",
                                             "polygon %zu, ring %zu has %zu point(s); a closed "
                                             "ring needs at least 4 (the first repeated last)",
                                             r->n),
                                i + 1, k + 1, r->n);
            for (size_t v = 0; v < r->n; v++) {
                double x = r->xy[2 * v], y = r->xy[2 * v + 1];
                if (!isfinite(x) || !isfinite(y))
                    return sol__err(err, SOL_EGEO, "polygon %zu, ring %zu, point %zu is not finite",
                                    i + 1, k + 1, v + 1);
                if (fabs(x) > 180 || fabs(y) > 90)
                    return sol__err(err, SOL_EGEO,
                                    "polygon %zu, ring %zu, point %zu (%.17g, %.17g) is outside "
                                    "lon/lat range: projected coordinates in a file that declares "
                                    "no CRS? Declare it (a .prj, a GeoJSON \"crs\" member) or "
                                    "give --crs EPSG:NNNN",
                                    i + 1, k + 1, v + 1, x, y);
            }
            if (r->xy[0] != r->xy[2 * r->n - 2] || r->xy[1] != r->xy[2 * r->n - 1])
                return sol__err(err, SOL_EGEO,
                                "polygon %zu, ring %zu is not closed (its last point differs from "
                                "its first)",
                                i + 1, k + 1);
        }
    }
    return SOL_OK;
}

void sol_layer_free(sol_layer *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        sol_feature_clear(&l->f[i]);
    sol__free_n(4, l->f, l->crs_original, l->driver, l);
}

/* Signed area and area-weighted centroid sums of a ring, shifted by its first vertex for
 * accuracy: adds A to *a and A * centroid to cx, cy. */
static void ring_moments(const sol_ring *r, double sign, double *a, double *cx, double *cy)
{
    double x0 = r->xy[0], y0 = r->xy[1], s = 0, sx = 0, sy = 0;
    for (size_t i = 0; i + 1 < r->n; i++) {
        double xa = r->xy[2 * i] - x0, ya = r->xy[2 * i + 1] - y0;
        double xb = r->xy[2 * i + 2] - x0, yb = r->xy[2 * i + 3] - y0;
        double c = xa * yb - xb * ya;
        s += c;
        sx += (xa + xb) * c;
        sy += (ya + yb) * c;
    }
    double area = 0.5 * s;
    if (area == 0)
        return;
    double gx = sx / (6 * area) + x0, gy = sy / (6 * area) + y0;
    double wa = sign * fabs(area);
    *a += wa;
    *cx += wa * gx;
    *cy += wa * gy;
}

void sol_feature_summarise(sol_feature *f)
{
    double bb[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    double a = 0, cx = 0, cy = 0, mx = 0, my = 0;
    size_t nv = 0;
    for (size_t i = 0; i < f->nparts; i++)
        for (size_t k = 0; k < f->parts[i].nrings; k++) {
            const sol_ring *r = &f->parts[i].rings[k];
            for (size_t v = 0; v < r->n; v++) {
                double x = r->xy[2 * v], y = r->xy[2 * v + 1];
                bb[0] = fmin(bb[0], x);
                bb[1] = fmin(bb[1], y);
                bb[2] = fmax(bb[2], x);
                bb[3] = fmax(bb[3], y);
                mx += x;
                my += y;
                nv++;
            }
            if (r->n)
                ring_moments(r, k == 0 ? 1.0 : -1.0, &a, &cx, &cy);
        }
    memcpy(f->bbox, bb, sizeof bb);
    if (a != 0) {
        f->centroid[0] = cx / a;
        f->centroid[1] = cy / a;
    } else if (nv) { /* degenerate (zero area): mean of the vertices */
        f->centroid[0] = mx / (double)nv;
        f->centroid[1] = my / (double)nv;
    } else {
        f->centroid[0] = f->centroid[1] = NAN;
    }
}
