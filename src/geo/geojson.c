/* geojson.c - parse a GeoJSON Polygon/MultiPolygon geometry (jansson) into a sol_feature: rings,
 * bounding box and the area-weighted planar centroid. */
#include <solidata/geo.h>

#include "core/core.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

static sol_status parse_ring(json_t *jr, sol_ring *r, sol_error *err)
{
    if (!json_is_array(jr))
        return sol__err(err, SOL_EGEO, "ring is not an array of positions");
    size_t n = json_array_size(jr);
    if (n < 4)
        return sol__err(err, SOL_EGEO, "ring has %zu positions; a closed ring needs at least 4", n);
    r->xy = sol__malloc(2 * n * sizeof *r->xy);
    if (r->xy == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory reading a ring of %zu positions", n);
    r->n = n;
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(jr, i);
        json_t *x = json_array_get(p, 0), *y = json_array_get(p, 1);
        if (!json_is_array(p) || !json_is_number(x) || !json_is_number(y))
            return sol__err(err, SOL_EGEO, "position %zu is not [lon, lat]", i);
        r->xy[2 * i] = json_number_value(x);
        r->xy[2 * i + 1] = json_number_value(y);
        if (!isfinite(r->xy[2 * i]) || !isfinite(r->xy[2 * i + 1]))
            return sol__err(err, SOL_EGEO, "position %zu is not finite", i);
    }
    if (r->xy[0] != r->xy[2 * n - 2] || r->xy[1] != r->xy[2 * n - 1])
        return sol__err(err, SOL_EGEO, "ring is not closed (first position != last)");
    return SOL_OK;
}

static sol_status parse_polygon(json_t *jp, sol_polygon *p, sol_error *err)
{
    if (!json_is_array(jp) || json_array_size(jp) == 0)
        return sol__err(err, SOL_EGEO, "polygon is not a non-empty array of rings");
    size_t nr = json_array_size(jp);
    p->rings = sol__calloc(nr, sizeof *p->rings);
    if (p->rings == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory reading a polygon");
    p->nrings = nr;
    for (size_t i = 0; i < nr; i++) {
        sol_status rc = parse_ring(json_array_get(jp, i), &p->rings[i], err);
        if (rc != SOL_OK)
            return rc;
    }
    return SOL_OK;
}

sol_status sol_geo_parse_geojson(const char *json, sol_feature *f, sol_error *err)
{
    sol_status rc = SOL_EGEO;
    json_t *root = NULL;
    sol_polygon *parts = NULL;
    size_t nparts = 0;
    if (json == NULL || f == NULL)
        return sol__err(err, SOL_EINVAL, "NULL geometry or feature");
    size_t len = strlen(json);
    if (len > SOL_MAX_GEOMETRY)
        return sol__err(err, SOL_ELIMIT, "geometry of %zu bytes exceeds %u", len,
                        (unsigned)SOL_MAX_GEOMETRY);
    json_error_t je;
    root = json_loadb(json, len, 0, &je);
    if (root == NULL) {
        rc = sol__err_at(err, SOL_EPARSE, "geometry", (unsigned long)je.line,
                         (unsigned long)je.column, "invalid GeoJSON: %s", je.text);
        goto fail;
    }
    json_t *g = root;
    const char *type = json_string_value(json_object_get(g, "type"));
    if (type != NULL && strcmp(type, "Feature") == 0) {
        g = json_object_get(g, "geometry");
        type = json_string_value(json_object_get(g, "type"));
    }
    json_t *coords = json_object_get(g, "coordinates");
    if (type == NULL || coords == NULL || !json_is_array(coords)) {
        rc = sol__err(err, SOL_EGEO, "not a GeoJSON geometry with coordinates");
        goto fail;
    }
    int multi;
    if (strcmp(type, "Polygon") == 0)
        multi = 0;
    else if (strcmp(type, "MultiPolygon") == 0)
        multi = 1;
    else {
        rc = sol__err(err, SOL_EGEO, "geometry type %s is not Polygon or MultiPolygon", type);
        goto fail;
    }
    nparts = multi ? json_array_size(coords) : 1;
    if (nparts == 0) {
        rc = sol__err(err, SOL_EGEO, "empty MultiPolygon");
        goto fail;
    }
    parts = sol__calloc(nparts, sizeof *parts);
    if (parts == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory reading a geometry");
        goto fail;
    }
    for (size_t i = 0; i < nparts; i++) {
        rc = parse_polygon(multi ? json_array_get(coords, i) : coords, &parts[i], err);
        if (rc != SOL_OK)
            goto fail;
    }
    json_decref(root);
    f->parts = parts;
    f->nparts = nparts;
    sol_feature_summarise(f);
    return SOL_OK;
fail:
    json_decref(root);
    if (parts != NULL) {
        sol_feature tmp = {0};
        tmp.parts = parts;
        tmp.nparts = nparts;
        sol_feature_clear(&tmp);
    }
    return rc;
}
