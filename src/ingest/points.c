/* points.c - candidate sites of a location analysis from a vector file through GDAL/OGR (GeoJSON,
 * GeoPackage, Shapefile): one point per feature, reprojected to EPSG:4326 lon/lat, with an id, a
 * name and optional capacity and cost. With geo.c, the only files that see GDAL. */
#include <solidata/run_locate.h>

#include "core/core.h"
#include "ingest/gdal_api.h"

#include <cpl_conv.h>
#include <errno.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

void sol_locate_sites_free(sol_locate_sites *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n; i++) {
        sol__free(s->id[i]);
        sol__free(s->name[i]);
    }
    sol__free(s->id);
    sol__free(s->name);
    sol__free(s->lon);
    sol__free(s->lat);
    sol__free(s->cap);
    sol__free(s->cost);
    sol__free(s);
}

/* Room for one more site. */
static sol_status grow(sol_locate_sites *s, size_t *cap)
{
    if (s->n < *cap)
        return SOL_OK;
    size_t nc = *cap ? 2 * *cap : 64;
    char **id = sol__realloc(s->id, nc * sizeof *id);
    if (id)
        s->id = id;
    char **nm = sol__realloc(s->name, nc * sizeof *nm);
    if (nm)
        s->name = nm;
    double *a = sol__realloc(s->lon, nc * sizeof *a);
    if (a)
        s->lon = a;
    double *b = sol__realloc(s->lat, nc * sizeof *b);
    if (b)
        s->lat = b;
    double *c = sol__realloc(s->cap, nc * sizeof *c);
    if (c)
        s->cap = c;
    double *d = sol__realloc(s->cost, nc * sizeof *d);
    if (d)
        s->cost = d;
    if (!id || !nm || !a || !b || !c || !d)
        return SOL_ENOMEM;
    *cap = nc;
    return SOL_OK;
}

sol_status sol_locate_sites_read_vector(const char *path, const char *id_field,
                                        const char *name_field, sol_locate_sites **out,
                                        sol_error *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return sol__err_at(err, SOL_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    sol_status lrc = sol__gdal_load(err);
    if (lrc != SOL_OK)
        return lrc;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    sol_status rc = SOL_ENOMEM;
    OGRSpatialReferenceH wgs84 = NULL, srcc = NULL;
    OGRCoordinateTransformationH ct = NULL;
    OGRFeatureH feat = NULL;
    size_t cap = 0;
    sol_locate_sites *s = sol__calloc(1, sizeof *s);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (s == NULL)
        goto nomem;
    if (ds == NULL || GDALDatasetGetLayerCount(ds) < 1) {
        rc = sol__err_at(err, SOL_EGEO, path, 0, 0,
                         "not a vector file GDAL can read (GeoJSON, GeoPackage, Shapefile)");
        goto fail;
    }
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int ic = OGR_FD_GetFieldIndex(defn, id_field ? id_field : "id");
    int in = OGR_FD_GetFieldIndex(defn, name_field ? name_field : "name");
    int icap = OGR_FD_GetFieldIndex(defn, "capacity");
    int icost = OGR_FD_GetFieldIndex(defn, "cost");
    if (id_field && ic < 0) {
        rc = sol__err_at(err, SOL_EGEO, path, 0, 0, "no field '%s' for the site id", id_field);
        goto fail;
    }
    if (name_field && in < 0) {
        rc = sol__err_at(err, SOL_EGEO, path, 0, 0, "no field '%s' for the site name", name_field);
        goto fail;
    }
    s->has_cap = icap >= 0;
    s->has_cost = icost >= 0;
    OGRSpatialReferenceH src = OGR_L_GetSpatialRef(layer);
    wgs84 = OSRNewSpatialReference(NULL);
    if (wgs84 == NULL)
        goto nomem;
    OSRImportFromEPSG(wgs84, 4326);
    OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER);
    if (src != NULL) {
        srcc = OSRClone(src);
        OSRSetAxisMappingStrategy(srcc, OAMS_TRADITIONAL_GIS_ORDER);
        if (!OSRIsSame(srcc, wgs84) && (ct = OCTNewCoordinateTransformation(srcc, wgs84)) == NULL) {
            rc = sol__err_at(err, SOL_EGEO, path, 0, 0,
                             "cannot transform its coordinates to lon/lat (EPSG:4326)");
            goto fail;
        }
    }
    OGR_L_ResetReading(layer);
    unsigned long nfeat = 0;
    while ((feat = OGR_L_GetNextFeature(layer)) != NULL) {
        nfeat++;
        if (s->n >= SOL_MAX_AREAS) {
            rc = sol__err_at(err, SOL_ELIMIT, path, 0, 0, "more than %u sites", SOL_MAX_AREAS);
            goto fail;
        }
        if (grow(s, &cap) != SOL_OK)
            goto nomem;
        char fid[32];
        snprintf(fid, sizeof fid, "%lld", (long long)OGR_F_GetFID(feat));
        const char *id = ic >= 0 && OGR_F_IsFieldSetAndNotNull(feat, ic)
                             ? OGR_F_GetFieldAsString(feat, ic)
                             : (ic >= 0 ? "" : fid);
        if (*id == '\0') {
            rc = sol__err_at(err, SOL_EGEO, path, 0, 0, "site %lu has no id", nfeat);
            goto fail;
        }
        const char *nm = in >= 0 && OGR_F_IsFieldSetAndNotNull(feat, in)
                             ? OGR_F_GetFieldAsString(feat, in)
                             : NULL;
        size_t k = s->n;
        s->id[k] = sol__strdup(id);
        s->name[k] = nm && *nm ? sol__strdup(nm) : NULL;
        s->n++;
        if (s->id[k] == NULL || (nm && *nm && s->name[k] == NULL))
            goto nomem;
        s->cap[k] = icap >= 0 && OGR_F_IsFieldSetAndNotNull(feat, icap)
                        ? OGR_F_GetFieldAsDouble(feat, icap)
                        : NAN;
        s->cost[k] = icost >= 0 && OGR_F_IsFieldSetAndNotNull(feat, icost)
                         ? OGR_F_GetFieldAsDouble(feat, icost)
                         : NAN;
        OGRGeometryH g = OGR_F_GetGeometryRef(feat);
        OGRwkbGeometryType t = g ? wkbFlatten(OGR_G_GetGeometryType(g)) : wkbNone;
        if (t != wkbPoint || OGR_G_IsEmpty(g)) {
            rc = sol__err_at(err, SOL_EGEO, path, 0, 0,
                             "site '%s' (feature %lu) has no coordinates: a point is needed", id,
                             nfeat);
            goto fail;
        }
        double x = OGR_G_GetX(g, 0), y = OGR_G_GetY(g, 0), z = 0;
        if (ct != NULL && !OCTTransform(ct, 1, &x, &y, &z)) {
            rc = sol__err_at(err, SOL_EGEO, path, 0, 0,
                             "site '%s': cannot transform its coordinates", id);
            goto fail;
        }
        if (!isfinite(x) || !isfinite(y) || fabs(x) > 180 || fabs(y) > 90) {
            rc = sol__err_at(err, SOL_EGEO, path, 0, 0,
                             "site '%s' has no valid coordinates (lon %g, lat %g)", id, x, y);
            goto fail;
        }
        s->lon[k] = x;
        s->lat[k] = y;
        OGR_F_Destroy(feat);
        feat = NULL;
    }
    if (s->n == 0) {
        rc = sol__err_at(err, SOL_EGEO, path, 0, 0, "no sites in the file");
        goto fail;
    }
    rc = SOL_OK;
    goto done;
nomem:
    rc = sol__err(err, SOL_ENOMEM, "out of memory");
fail:
    sol_locate_sites_free(s);
    s = NULL;
done:
    if (feat)
        OGR_F_Destroy(feat);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (srcc)
        OSRDestroySpatialReference(srcc);
    if (wgs84)
        OSRDestroySpatialReference(wgs84);
    if (ds)
        GDALClose(ds);
    CPLPopErrorHandler();
    if (rc == SOL_OK)
        *out = s;
    return rc;
}
