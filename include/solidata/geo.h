/* solidata/geo.h - area layers read from any vector format GDAL/OGR reads (GeoJSON, Shapefile,
 * GeoPackage), reprojected to EPSG:4326 lon/lat, as plain polygon arrays.
 * Thread safety: reentrant on distinct layers; GDAL drivers are registered once (pthread_once). */
#ifndef SOL_GEO_H
#define SOL_GEO_H

#include <solidata/status.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A closed ring: n points as interleaved lon,lat (xy[2*i], xy[2*i+1]); first point == last. */
typedef struct sol_ring {
    size_t n;
    double *xy;
} sol_ring;

/** A polygon: rings[0] is the outer ring, the others holes. */
typedef struct sol_polygon {
    size_t nrings;
    sol_ring *rings;
} sol_polygon;

/** One area of a layer. All strings and arrays are owned by the layer. */
typedef struct sol_feature {
    char *code;    /* never NULL, unique within the layer */
    char *name;    /* NULL when no name field was given */
    char *parent;  /* NULL when no parent field was given */
    size_t nparts; /* polygons (1 for a Polygon, k for a MultiPolygon) */
    sol_polygon *parts;
    double bbox[4];     /* min lon, min lat, max lon, max lat */
    double centroid[2]; /* lon, lat of the area-weighted centroid (planar in lon/lat) */
    char *geojson;      /* the geometry as GeoJSON text in EPSG:4326 */
} sol_feature;

typedef struct sol_layer {
    size_t n;
    sol_feature *f;
    char *crs_original; /* "EPSG:32632", or WKT when no authority code; owned */
    char *driver;       /* GDAL driver that read the file ("GeoJSON", "ESRI Shapefile", "GPKG") */
} sol_layer;

typedef struct sol_geo_opts {
    const char *code_field;   /* required: the attribute holding the area code */
    const char *name_field;   /* optional */
    const char *parent_field; /* optional */
    const char *layer;        /* optional layer name for multi-layer sources (GeoPackage) */
    const char *assume_crs;   /* CRS for a file that declares none ("EPSG:3003"); else an error.
                                 For GeoJSON it overrides the implicit CRS84 of RFC 7946. */
    int make_valid;           /* 1: repair invalid polygons (self-intersections, overlapping
                                 rings) with GEOS's MakeValid; 0: an invalid polygon is an error */
    int no_geojson;           /* 1: leave each feature's geojson NULL, for callers that read the
                                 rings only (its export was a third of reading 100,000 areas) */
} sol_geo_opts;

/** Read every feature of `path`. Errors: SOL_EIO (missing/unreadable), SOL_EGEO (not a vector
 *  format, no such field, a geometry that is not a polygon, a polygon that is not valid (unless
 *  make_valid), a coordinate that is not finite, a CRS that cannot be transformed), SOL_EPARSE
 *  (a code, name or parent that is not valid UTF-8),
 *  SOL_EDUPLICATE (a code twice), SOL_ELIMIT; err names the file and the feature.
 *  *out set only on success; free with sol_layer_free. Thread-safe for distinct paths. */
SOL_API sol_status sol_geo_read(const char *path, const sol_geo_opts *o, sol_layer **out,
                                sol_error *err);

/** Parse a GeoJSON Polygon or MultiPolygon geometry (as stored by the store) into `f->parts`,
 *  `f->bbox` and `f->centroid`; other members untouched. Caller frees with sol_feature_clear. */
SOL_API sol_status sol_geo_parse_geojson(const char *json, sol_feature *f, sol_error *err);

/** Recompute `f->bbox` and `f->centroid` (planar, area-weighted, holes subtracted) from
 *  `f->parts`. */
SOL_API void sol_feature_summarise(sol_feature *f);

/** Check that `f` is a usable area: at least one polygon, every ring closed (first point ==
 *  last) with at least 4 points, every coordinate finite and within lon/lat range
 *  ([-180, 180] x [-90, 90]; projected coordinates in a file that declares no CRS land here).
 *  Returns SOL_OK or SOL_EGEO with a message naming the part, ring and reason (no `where`: the
 *  caller knows the file and feature). Thread-safe. */
SOL_API sol_status sol_feature_validate(const sol_feature *f, sol_error *err);

/** Free everything a feature owns and zero it. NULL is a no-op. */
SOL_API void sol_feature_clear(sol_feature *f);
/** Free a layer and its features. NULL is a no-op. */
SOL_API void sol_layer_free(sol_layer *l);

#ifdef __cplusplus
}
#endif
#endif
