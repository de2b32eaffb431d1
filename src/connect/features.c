/* features.c - boundaries connectors: a collection of an OGC API Features service (GDAL's OAPIF
 * driver, "OAPIF:URL") or a feature type of a WFS ("WFS:URL"), read through GDAL into a GeoJSON
 * file and imported as areas with sol_import_areas; a new version of the source only when what
 * was read changed (the import compares the file's SHA-256 with the current version's). */
#include <solidata/connect.h>
#include <solidata/import.h>

#include "connect_int.h"
#include "core/core.h"
#include "ingest/gdal_api.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <gdal_utils.h>
#include <jansson.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* the GDAL connection string of a service: "WFS:URL" as given, else "OAPIF:URL" */
static void connection(const char *url, char *out, size_t n)
{
    if (strncmp(url, "WFS:", 4) == 0 || strncmp(url, "OAPIF:", 6) == 0)
        snprintf(out, n, "%s", url);
    else
        snprintf(out, n, "OAPIF:%s", url);
}

/* https, or plain http to this machine (tests), as for the other connectors */
static sol_status check_url(const char *url, sol_error *err)
{
    const char *u = strncmp(url, "WFS:", 4) == 0 ? url + 4 : url;
    if (strncmp(u, "https://", 8) == 0)
        return SOL_OK;
    if (strncmp(u, "http://127.0.0.1", 16) == 0 || strncmp(u, "http://localhost", 16) == 0 ||
        strncmp(u, "http://[::1]", 12) == 0)
        return SOL_OK;
    return sol__err(err, SOL_EINVAL,
                    "--features '%s': expected the service's https:// address (plain http only "
                    "on this machine, for tests)",
                    url);
}

/* GDAL's network settings for one read: the timeout and retries of the connectors */
static void net_config(const sol_net_opts *net)
{
    char b[32];
    snprintf(b, sizeof b, "%u", net->timeout_s ? net->timeout_s : 120);
    CPLSetThreadLocalConfigOption("GDAL_HTTP_TIMEOUT", b);
    snprintf(b, sizeof b, "%u", net->connect_timeout_s ? net->connect_timeout_s : 15);
    CPLSetThreadLocalConfigOption("GDAL_HTTP_CONNECTTIMEOUT", b);
    snprintf(b, sizeof b, "%d", net->max_retries);
    CPLSetThreadLocalConfigOption("GDAL_HTTP_MAX_RETRY", b);
    CPLSetThreadLocalConfigOption("GDAL_HTTP_RETRY_DELAY", "1");
    CPLSetThreadLocalConfigOption("GDAL_HTTP_USERAGENT",
                                  "solidata (+https://solidata.example/connectors)");
}

static void net_unconfig(void)
{
    const char *k[] = {"GDAL_HTTP_TIMEOUT", "GDAL_HTTP_CONNECTTIMEOUT", "GDAL_HTTP_MAX_RETRY",
                       "GDAL_HTTP_RETRY_DELAY", "GDAL_HTTP_USERAGENT"};
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        CPLSetThreadLocalConfigOption(k[i], NULL);
}

static const char *gdal_msg(void)
{
    const char *m = CPLGetLastErrorMsg();
    return m && *m ? m : _("no reason given");
}

/* open the service and find the collection; its fields must hold code (and name, parent) */
static sol_status open_layer(const char *url, const char *collection, const char *const *fields,
                             const sol_net_opts *net, GDALDatasetH *ds, OGRLayerH *ly,
                             sol_error *err)
{
    if (net->offline)
        return sol__err(err, SOL_EIO,
                        "boundaries are read from the service itself, not from the cache: "
                        "refresh without --offline");
    sol_status lrc = sol__gdal_load(err);
    if (lrc != SOL_OK)
        return lrc;
    char conn[4200];
    connection(url, conn, sizeof conn);
    const char *oo[] = {"PAGE_SIZE=1000", NULL};
    CPLErrorReset();
    *ds = GDALOpenEx(conn, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                     strncmp(conn, "OAPIF:", 6) == 0 ? oo : NULL, NULL);
    if (!*ds)
        return sol__err(err, SOL_EIO, "%s: cannot read the service: %s", url, gdal_msg());
    *ly = GDALDatasetGetLayerByName(*ds, collection);
    if (!*ly) {
        char list[1024] = "";
        for (int i = 0; i < GDALDatasetGetLayerCount(*ds); i++) {
            size_t k = strlen(list);
            snprintf(list + k, sizeof list - k, "%s%s", k ? ", " : "",
                     OGR_L_GetName(GDALDatasetGetLayer(*ds, i)));
        }
        GDALClose(*ds);
        *ds = NULL;
        return sol__err(err, SOL_ENOTFOUND, "%s has no collection '%s'; its collections: %s", url,
                        collection, list[0] ? list : "-");
    }
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(*ly);
    for (size_t f = 0; fields[f]; f++) {
        if (OGR_FD_GetFieldIndex(fd, fields[f]) >= 0)
            continue;
        char list[1024] = "";
        for (int i = 0; i < OGR_FD_GetFieldCount(fd); i++) {
            size_t k = strlen(list);
            snprintf(list + k, sizeof list - k, "%s%s", k ? ", " : "",
                     OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(fd, i)));
        }
        GDALClose(*ds);
        *ds = NULL;
        return sol__err(err, SOL_EINVAL, "collection '%s' has no field '%s'; its fields: %s",
                        collection, fields[f], list[0] ? list : "-");
    }
    return SOL_OK;
}

static void field_list(const sol_connector_def *d, const char **f)
{
    size_t n = 0;
    f[n++] = d->code_field;
    if (d->name_field)
        f[n++] = d->name_field;
    if (d->parent_field)
        f[n++] = d->parent_field;
    f[n] = NULL;
}

sol_status sol__features_add(const sol_connector_def *d, const sol_net_opts *net, json_t *q,
                             sol_error *err)
{
    if (!d->collection || !*d->collection || !d->code_field || !*d->code_field)
        return sol__err(err, SOL_EINVAL,
                        "a boundaries connector needs --collection ID and --code-field F");
    sol_status rc = check_url(d->features_url, err);
    if (rc != SOL_OK)
        return rc;
    /* GDAL before its network settings (net_config) */
    if ((rc = sol__gdal_load(err)) != SOL_OK)
        return rc;
    const char *fields[4];
    field_list(d, fields);
    GDALDatasetH ds;
    OGRLayerH ly;
    net_config(net);
    rc = open_layer(d->features_url, d->collection, fields, net, &ds, &ly, err);
    net_unconfig();
    if (rc != SOL_OK)
        return rc;
    const char *title = GDALGetMetadataItem(ly, "TITLE", NULL);
    json_object_set_new(q, "url", json_string(d->features_url));
    json_object_set_new(q, "collection", json_string(d->collection));
    json_object_set_new(q, "title", json_string(title ? title : d->collection));
    json_object_set_new(q, "code_field", json_string(d->code_field));
    if (d->name_field)
        json_object_set_new(q, "name_field", json_string(d->name_field));
    if (d->parent_field)
        json_object_set_new(q, "parent_field", json_string(d->parent_field));
    json_object_set_new(q, "level", json_string(d->level ? d->level : "area"));
    if (d->licence)
        json_object_set_new(q, "licence", json_string(d->licence));
    if (d->attribution)
        json_object_set_new(q, "attribution", json_string(d->attribution));
    GDALClose(ds);
    return SOL_OK;
}

sol_status sol__features_refresh(sol_store *st, int64_t id, const char *name, json_t *q,
                                 const sol_net_opts *net, sol_refresh_report *rep, sol_error *err)
{
    const char *url = jstr(q, "url"), *coll = jstr(q, "collection");
    sol_connector_def d = {.features_url = url,
                           .collection = coll,
                           .code_field = jstr(q, "code_field"),
                           .name_field = jstr(q, "name_field"),
                           .parent_field = jstr(q, "parent_field")};
    if (!url || !coll || !d.code_field)
        return sol__err(err, SOL_EINVAL, "connector '%s': its query has no service address", name);
    /* GDAL before its network settings (net_config) */
    sol_status lrc = sol__gdal_load(err);
    if (lrc != SOL_OK)
        return lrc;
    const char *fields[4];
    field_list(&d, fields);
    char dir[4096], path[4200];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/solidata-features-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return sol__err(err, SOL_EIO, "cannot create a temporary directory in %s",
                        tmp && *tmp ? tmp : "/tmp");
    snprintf(path, sizeof path, "%s/%s.geojson", dir, coll);
    GDALDatasetH ds = NULL, out = NULL;
    OGRLayerH ly;
    net_config(net);
    sol_status rc = open_layer(url, coll, fields, net, &ds, &ly, err);
    if (rc == SOL_OK) {
        /* the collection as GeoJSON: the bytes whose SHA-256 tells whether anything changed */
        char *argv[] = {"-f", "GeoJSON", (char *)coll, NULL};
        GDALVectorTranslateOptions *vo = GDALVectorTranslateOptionsNew(argv, NULL);
        int usage = 0;
        CPLErrorReset();
        out = vo ? GDALVectorTranslate(path, NULL, 1, &ds, vo, &usage) : NULL;
        GDALVectorTranslateOptionsFree(vo);
        if (!out || usage)
            rc = sol__err(err, SOL_EIO, "%s: cannot read collection '%s': %s", url, coll,
                          gdal_msg());
        if (out)
            GDALClose(out);
    }
    if (ds)
        GDALClose(ds);
    net_unconfig();
    sol_connector_fetch fe = {.connector_id = id, .http_status = 200};
    if (rc == SOL_OK) {
        sol_import_opts io = {.source_name = name,
                              .licence = jstr(q, "licence"),
                              .attribution = jstr(q, "attribution"),
                              .code_field = d.code_field,
                              .name_field = d.name_field,
                              .parent_field = d.parent_field,
                              .level = jstr(q, "level")};
        sol_import_report ir;
        rc = sol_import_areas(st, path, &io, &ir, err);
        if (rc == SOL_OK) {
            snprintf(rep->sha256, sizeof rep->sha256, "%s", ir.sha256);
            rep->observations = ir.rows_read;
            rep->version = ir.version;
            fe.sha256 = rep->sha256;
            if (ir.unchanged) {
                rep->outcome = fe.outcome = "unchanged";
                fe.detail = "the same boundaries as last time; nothing written";
                int own;
                if ((rc = sol_store_join(st, &own, err)) == SOL_OK) {
                    rc = sol_store_connector_fetched(st, &fe, err);
                    rc = sol_store_leave(st, own, rc, err);
                }
            } else {
                rep->added = ir.rows_written;
                json_t *revs = json_array();
                rc = revs ? sol__connect_record_version(st, "OGC API Features", "FEATURES",
                                                        "features", name, url, 0, 0, ir.version,
                                                        ir.source_id, revs, &fe, rep, err)
                          : sol__err(err, SOL_ENOMEM, "out of memory");
                json_decref(revs);
            }
        }
        sol_import_report_free(&ir);
    }
    unlink(path);
    rmdir(dir);
    return rc;
}
