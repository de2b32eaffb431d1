/* geo.c - area layers through GDAL/OGR: any vector format, any CRS, reprojected to EPSG:4326
 * lon/lat; only Polygon and MultiPolygon geometries are areas. The only file that sees GDAL. */
#include <solidata/geo.h>

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

static sol_status copy_polygon(OGRGeometryH poly, sol_polygon *out);

/* The polygons of `g` (of flat type t) into f->parts, replacing what was there. */
static sol_status copy_parts(sol_feature *f, OGRGeometryH g, OGRwkbGeometryType t)
{
    for (size_t i = 0; i < f->nparts; i++) {
        for (size_t k = 0; k < f->parts[i].nrings; k++)
            sol__free(f->parts[i].rings[k].xy);
        sol__free(f->parts[i].rings);
    }
    sol__free(f->parts);
    f->nparts = 0;
    int np = t == wkbPolygon ? 1 : OGR_G_GetGeometryCount(g);
    f->parts = sol__calloc((size_t)(np > 0 ? np : 1), sizeof *f->parts);
    if (f->parts == NULL)
        return SOL_ENOMEM;
    f->nparts = (size_t)np;
    for (int p = 0; p < np; p++)
        if (copy_polygon(t == wkbPolygon ? g : OGR_G_GetGeometryRef(g, p), &f->parts[p]) != SOL_OK)
            return SOL_ENOMEM;
    return SOL_OK;
}

static sol_status copy_polygon(OGRGeometryH poly, sol_polygon *out)
{
    int nr = OGR_G_GetGeometryCount(poly);
    out->nrings = 0;
    out->rings = sol__calloc((size_t)(nr > 0 ? nr : 1), sizeof *out->rings);
    if (out->rings == NULL)
        return SOL_ENOMEM;
    for (int r = 0; r < nr; r++) {
        OGRGeometryH ring = OGR_G_GetGeometryRef(poly, r);
        int np = OGR_G_GetPointCount(ring);
        sol_ring *g = &out->rings[out->nrings];
        g->xy = sol__malloc(2 * (size_t)(np > 0 ? np : 1) * sizeof(double));
        if (g->xy == NULL)
            return SOL_ENOMEM;
        g->n = (size_t)np;
        out->nrings++;
        OGR_G_GetPoints(ring, g->xy, 2 * sizeof(double), g->xy + 1, 2 * sizeof(double), NULL, 0);
    }
    return SOL_OK;
}

/* A text attribute must be valid UTF-8 (the store, the API and every export are UTF-8). */
static sol_status check_text(OGRFeatureH feat, int field, const char *name, unsigned long nfeat,
                             const char *code, const char *path, sol_error *err)
{
    if (!OGR_F_IsFieldSetAndNotNull(feat, field))
        return SOL_OK;
    const char *s = OGR_F_GetFieldAsString(feat, field);
    size_t n = strlen(s), bad = sol__utf8_invalid_at(s, n);
    if (bad == n)
        return SOL_OK;
    if (code)
        return sol__err_at(err, SOL_EPARSE, path, 0, 0,
                           "feature %lu (code %s): '%s' is not valid UTF-8 (byte 0x%02x at "
                           "position %zu); save the file as UTF-8, or give a Shapefile its "
                           "encoding in a .cpg file",
                           nfeat, code, name, (unsigned char)s[bad], bad + 1);
    return sol__err_at(err, SOL_EPARSE, path, 0, 0,
                       "feature %lu: '%s' is not valid UTF-8 (byte 0x%02x at position %zu); "
                       "save the file as UTF-8, or give a Shapefile its encoding in a .cpg file",
                       nfeat, name, (unsigned char)s[bad], bad + 1);
}

static char *crs_label(OGRSpatialReferenceH srs)
{
    const char *auth = OSRGetAuthorityName(srs, NULL);
    const char *code = OSRGetAuthorityCode(srs, NULL);
    if (auth == NULL || code == NULL) {
        if (OSRAutoIdentifyEPSG(srs) == OGRERR_NONE) {
            auth = OSRGetAuthorityName(srs, NULL);
            code = OSRGetAuthorityCode(srs, NULL);
        }
    }
    if (auth && code) {
        size_t n = strlen(auth) + strlen(code) + 2;
        char *s = sol__malloc(n);
        if (s)
            snprintf(s, n, "%s:%s", auth, code);
        return s;
    }
    char *wkt = NULL;
    if (OSRExportToWkt(srs, &wkt) != OGRERR_NONE || wkt == NULL)
        return sol__strdup("unknown");
    char *s = sol__strdup(wkt);
    CPLFree(wkt);
    return s;
}

static const char *gdal_msg(void)
{
    const char *m = CPLGetLastErrorMsg();
    return m && *m ? m : "no detail from GDAL";
}

sol_status sol_geo_read(const char *path, const sol_geo_opts *o, sol_layer **out, sol_error *err)
{
    sol_status rc = SOL_ENOMEM;
    GDALDatasetH ds = NULL;
    OGRSpatialReferenceH wgs84 = NULL, assumed = NULL;
    OGRCoordinateTransformationH ct = NULL;
    OGRFeatureH feat = NULL;
    sol_strmap *seen = NULL;
    sol_layer *l = NULL;
    size_t cap = 0;

    if (o == NULL || o->code_field == NULL)
        return sol__err(err, SOL_EINVAL, "the code field is required (--code-field)");
    struct stat sb;
    if (stat(path, &sb) != 0)
        return sol__err_at(err, SOL_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    FILE *probe = fopen(path, "rb");
    if (probe == NULL && !S_ISDIR(sb.st_mode))
        return sol__err_at(err, SOL_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    if (probe)
        fclose(probe);

    sol_status lrc = sol__gdal_load(err);
    if (lrc != SOL_OK)
        return lrc;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
    ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (ds == NULL) {
        rc = sol__err_at(err, SOL_EGEO, path, 0, 0,
                         "not a vector file GDAL can read (GeoJSON, Shapefile, GeoPackage, ...): "
                         "%s",
                         gdal_msg());
        goto fail;
    }
    OGRLayerH layer = o->layer
                          ? GDALDatasetGetLayerByName(ds, o->layer)
                          : (GDALDatasetGetLayerCount(ds) > 0 ? GDALDatasetGetLayer(ds, 0) : NULL);
    if (layer == NULL) {
        if (o->layer)
            rc = sol__err_at(err, SOL_EGEO, path, 0, 0, "no layer named '%s'", o->layer);
        else
            rc = sol__err_at(err, SOL_EGEO, path, 0, 0, "the file holds no layer");
        goto fail;
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int ic = OGR_FD_GetFieldIndex(defn, o->code_field);
    int in = o->name_field ? OGR_FD_GetFieldIndex(defn, o->name_field) : -1;
    int ip = o->parent_field ? OGR_FD_GetFieldIndex(defn, o->parent_field) : -1;
    const char *missing = ic < 0                        ? o->code_field
                          : (o->name_field && in < 0)   ? o->name_field
                          : (o->parent_field && ip < 0) ? o->parent_field
                                                        : NULL;
    if (missing) {
        sol_buf names;
        sol__buf_init(&names, 4096);
        for (int i = 0; i < OGR_FD_GetFieldCount(defn); i++)
            sol__buf_addf(&names, "%s%s", i ? ", " : "",
                          OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
        if (names.data)
            rc = sol__err_at(err, SOL_EGEO, path, 0, 0, "no field named '%s'; the fields are: %s",
                             missing, names.data);
        else
            rc = sol__err_at(err, SOL_EGEO, path, 0, 0,
                             "no field named '%s'; the file has no fields", missing);
        sol__buf_free(&names);
        goto fail;
    }

    if ((l = sol__calloc(1, sizeof *l)) == NULL || (seen = sol__strmap_new(1024)) == NULL)
        goto nomem;
    l->driver = sol__strdup(GDALGetDriverShortName(GDALGetDatasetDriver(ds)));
    OGRSpatialReferenceH src = OGR_L_GetSpatialRef(layer);
    /* GDAL reports GeoJSON's implicit CRS84 as declared; an explicit --crs overrides it there */
    if (o->assume_crs && l->driver && strcmp(l->driver, "GeoJSON") == 0)
        src = NULL;
    if (src == NULL) {
        if (o->assume_crs) {
            assumed = OSRNewSpatialReference(NULL);
            if (OSRSetFromUserInput(assumed, o->assume_crs) != OGRERR_NONE) {
                rc = sol__err(err, SOL_EGEO, "unknown CRS '%s' (expected e.g. EPSG:32633)",
                              o->assume_crs);
                goto fail;
            }
            src = assumed;
        } else if (l->driver && strcmp(l->driver, "GeoJSON") == 0) {
            assumed = OSRNewSpatialReference(NULL);
            OSRSetFromUserInput(assumed, "OGC:CRS84"); /* RFC 7946 */
            src = assumed;
        } else {
            rc = sol__err_at(err, SOL_EGEO, path, 0, 0,
                             "the file declares no coordinate reference system (a Shapefile "
                             "without .prj?); say which with --crs EPSG:NNNN");
            goto fail;
        }
    }
    if ((l->crs_original = crs_label(src)) == NULL)
        goto nomem;
    wgs84 = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(wgs84, 4326);
    OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReferenceH srcc = OSRClone(src);
    OSRSetAxisMappingStrategy(srcc, OAMS_TRADITIONAL_GIS_ORDER);
    if (!OSRIsSame(srcc, wgs84)) {
        ct = OCTNewCoordinateTransformation(srcc, wgs84);
        if (ct == NULL) {
            OSRDestroySpatialReference(srcc);
            rc = sol__err_at(err, SOL_EGEO, path, 0, 0, "cannot transform from %s to EPSG:4326: %s",
                             l->crs_original, gdal_msg());
            goto fail;
        }
    }
    OSRDestroySpatialReference(srcc);

    OGR_L_ResetReading(layer);
    unsigned long nfeat = 0;
    char *json_opts[] = {"COORDINATE_PRECISION=7", NULL};
    while ((feat = OGR_L_GetNextFeature(layer)) != NULL) {
        nfeat++;
        if (l->n >= SOL_MAX_AREAS) {
            rc = sol__err_at(err, SOL_ELIMIT, path, 0, 0, "more than %u features", SOL_MAX_AREAS);
            goto fail;
        }
        if (!OGR_F_IsFieldSetAndNotNull(feat, ic) || !*OGR_F_GetFieldAsString(feat, ic)) {
            rc = sol__err_at(err, SOL_EGEO, path, 0, 0, "feature %lu has no value in '%s'", nfeat,
                             o->code_field);
            goto fail;
        }
        const char *code = OGR_F_GetFieldAsString(feat, ic);
        size_t clen = strlen(code);
        if ((rc = check_text(feat, ic, o->code_field, nfeat, NULL, path, err)) != SOL_OK ||
            (in >= 0 &&
             (rc = check_text(feat, in, o->name_field, nfeat, code, path, err)) != SOL_OK) ||
            (ip >= 0 &&
             (rc = check_text(feat, ip, o->parent_field, nfeat, code, path, err)) != SOL_OK))
            goto fail;
        if (clen > SOL_MAX_CODE) {
            rc = sol__err_at(err, SOL_ELIMIT, path, 0, 0, "feature %lu: code longer than %u bytes",
                             nfeat, SOL_MAX_CODE);
            goto fail;
        }
        if (sol__strmap_get(seen, code, clen, NULL)) {
            rc = sol__err_at(err, SOL_EDUPLICATE, path, 0, 0,
                             "feature %lu: area code '%s' appears twice; codes must be unique",
                             nfeat, code);
            goto fail;
        }
        if (sol__strmap_put(seen, code, clen, (int64_t)nfeat) != SOL_OK)
            goto nomem;
        OGRGeometryH g = OGR_F_GetGeometryRef(feat);
        OGRwkbGeometryType t = g ? wkbFlatten(OGR_G_GetGeometryType(g)) : wkbNone;
        if (t != wkbPolygon && t != wkbMultiPolygon) {
            if (g)
                rc = sol__err_at(err, SOL_EGEO, path, 0, 0,
                                 "feature %lu (code %s): the geometry is %s; expected Polygon or "
                                 "MultiPolygon",
                                 nfeat, code, OGRGeometryTypeToName(t));
            else
                rc = sol__err_at(err, SOL_EGEO, path, 0, 0,
                                 "feature %lu (code %s): the geometry is missing; expected Polygon "
                                 "or MultiPolygon",
                                 nfeat, code);
            goto fail;
        }
        if (OGR_G_IsEmpty(g)) {
            rc = sol__err_at(err, SOL_EGEO, path, 0, 0,
                             "feature %lu (code %s): the geometry is empty", nfeat, code);
            goto fail;
        }
        OGRGeometryH gc = OGR_G_Clone(g);
        if (ct && OGR_G_Transform(gc, ct) != OGRERR_NONE) {
            OGR_G_DestroyGeometry(gc);
            rc = sol__err_at(err, SOL_EGEO, path, 0, 0,
                             "feature %lu (code %s): cannot reproject to EPSG:4326: %s", nfeat,
                             code, gdal_msg());
            goto fail;
        }
        if (l->n == cap) {
            size_t ncap = cap ? cap * 2 : 256;
            sol_feature *nf = sol__realloc(l->f, ncap * sizeof *nf);
            if (nf == NULL) {
                OGR_G_DestroyGeometry(gc);
                goto nomem;
            }
            l->f = nf;
            cap = ncap;
        }
        sol_feature *f = &l->f[l->n++];
        memset(f, 0, sizeof *f);
        f->code = sol__strdup(code);
        if (in >= 0 && OGR_F_IsFieldSetAndNotNull(feat, in))
            f->name = sol__strdup(OGR_F_GetFieldAsString(feat, in));
        if (ip >= 0 && OGR_F_IsFieldSetAndNotNull(feat, ip))
            f->parent = sol__strdup(OGR_F_GetFieldAsString(feat, ip));
        if (f->code == NULL || copy_parts(f, gc, t) != SOL_OK) {
            OGR_G_DestroyGeometry(gc);
            goto nomem;
        }
        /* the structure first (rings, finite lon/lat), then validity (GEOS): a coordinate that
         * is not finite is bad input, not "out of memory" */
        sol_error verr;
        if (sol_feature_validate(f, &verr) != SOL_OK) {
            OGR_G_DestroyGeometry(gc);
            rc = sol__err_at(err, SOL_EGEO, path, 0, 0, "feature %lu (code %s): %s", nfeat, code,
                             verr.msg);
            goto fail;
        }
        if (!OGR_G_IsValid(gc)) {
            OGRGeometryH fixed = o->make_valid ? OGR_G_MakeValid(gc) : NULL;
            OGRwkbGeometryType ft = fixed ? wkbFlatten(OGR_G_GetGeometryType(fixed)) : wkbNone;
            OGR_G_DestroyGeometry(gc);
            gc = fixed;
            if (!o->make_valid || (ft != wkbPolygon && ft != wkbMultiPolygon)) {
                OGR_G_DestroyGeometry(gc);
                rc = sol__err_at(err, SOL_EGEO, path, 0, 0,
                                 o->make_valid
                                     ? "feature %lu (code %s): the polygon is not valid and cannot "
                                       "be repaired into a polygon; repair it by hand"
                                     : "feature %lu (code %s): the polygon is not valid (a ring "
                                       "crosses itself, or rings overlap or touch along a line); "
                                       "repair it (QGIS 'Fix geometries', ogr2ogr -makevalid) or "
                                       "import with --make-valid",
                                 nfeat, code);
                goto fail;
            }
            if (copy_parts(f, gc, ft) != SOL_OK) {
                OGR_G_DestroyGeometry(gc);
                goto nomem;
            }
        }
        char *js = o->no_geojson ? NULL : OGR_G_ExportToJsonEx(gc, json_opts);
        f->geojson = js ? sol__strdup(js) : NULL;
        CPLFree(js);
        OGR_G_DestroyGeometry(gc);
        if (f->geojson == NULL && !o->no_geojson)
            goto nomem;
        sol_feature_summarise(f);
        OGR_F_Destroy(feat);
        feat = NULL;
    }
    if (CPLGetLastErrorType() >= CE_Failure && l->n == 0) {
        rc = sol__err_at(err, SOL_EGEO, path, 0, 0, "reading features failed: %s", gdal_msg());
        goto fail;
    }
    if (l->n == 0) {
        rc = sol__err_at(err, SOL_EGEO, path, 0, 0, "the layer holds no feature");
        goto fail;
    }
    OCTDestroyCoordinateTransformation(ct);
    OSRDestroySpatialReference(wgs84);
    OSRDestroySpatialReference(assumed);
    GDALClose(ds);
    sol__strmap_free(seen);
    CPLPopErrorHandler();
    *out = l;
    return SOL_OK;
nomem:
    rc = sol__err(err, SOL_ENOMEM, "out of memory reading %s", path);
fail:
    if (feat)
        OGR_F_Destroy(feat);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (wgs84)
        OSRDestroySpatialReference(wgs84);
    if (assumed)
        OSRDestroySpatialReference(assumed);
    if (ds)
        GDALClose(ds);
    sol__strmap_free(seen);
    sol_layer_free(l);
    CPLPopErrorHandler();
    return rc;
}
