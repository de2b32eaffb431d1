/* layer.c - freeing area features and layers (sol_feature_clear, sol_layer_free). Shared by the
 * GDAL reader and the GeoJSON geometry parser. */
#include <solidata/geo.h>

#include "core/core.h"

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
    sol__free(f->parts);
    sol__free(f->code);
    sol__free(f->name);
    sol__free(f->parent);
    sol__free(f->geojson);
    memset(f, 0, sizeof *f);
}

void sol_layer_free(sol_layer *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        sol_feature_clear(&l->f[i]);
    sol__free(l->f);
    sol__free(l->crs_original);
    sol__free(l->driver);
    sol__free(l);
}
