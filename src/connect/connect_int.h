/* connect_int.h - shared by the files of src/connect: one HTTP GET through the cache. */
#ifndef SOL_CONNECT_INT_H
#define SOL_CONNECT_INT_H

#include <solidata/connect.h>

#include <stddef.h>

typedef struct sol__http_res {
    char *body; /* NUL-terminated, owned */
    size_t len;
    long status;    /* 200, 304 (body from the cache), 0 offline (from the cache) */
    int from_cache; /* 1: body read from the cache */
    char sha256[65];
    char etag[256];
    char last_modified[128];
} sol__http_res;

/* Conditional requests: none, on the cache's own validators (structures, lists), or on the
 * validators a connector kept from its last fetch (so that a body cached by a failed refresh or
 * by another connector is never taken as this connector's). */
typedef struct sol__http_cond {
    int mode; /* 0 none, 1 the cache's, 2 these */
    const char *etag, *last_modified;
    const char *accept; /* an Accept header (SDMX-CSV, SDMX-JSON) or NULL; part of the cache key */
} sol__http_cond;

/* GET `url` for provider `p`: conditional as `cond` says, the
 * network rules of connect.h, the body cached with its validators and SHA-256. Failures are
 * SOL_EIO (network, HTTP status), SOL_ELIMIT (over the cap), SOL_EDENIED (redirect to another
 * host, plain http to a remote host), SOL_ENOTFOUND (offline and not cached; HTTP 404). */
sol_status sol__http_get(const sol_provider *p, const char *url, const sol_net_opts *net,
                         const sol__http_cond *cond, sol__http_res *res, sol_error *err);
void sol__http_res_free(sol__http_res *r);

struct json_t;
sol_status sol__connect_record_version(sol_store *st, const char *pname, const char *pid,
                                       const char *kind, const char *name, const char *url,
                                       int was_published, int prev_ver, int version,
                                       int64_t source_id, struct json_t *revs,
                                       sol_connector_fetch *fe, sol_refresh_report *rep,
                                       sol_error *err);
/* Keep `r` among the 5 largest revisions of `rep` (largest first). */
void sol__connect_keep_top(sol_refresh_report *rep, const sol_revision *r);
/* A catalog (CKAN or data.gouv.fr) connector (ckan.c): add checks the dataset and resource and
 * fills `q` (the query); refresh fetches the resource again and imports it. */
sol_status sol__ckan_add(const sol_connector_def *d, const sol_net_opts *net, struct json_t *q,
                         const char **provider, sol_error *err);
sol_status sol__ckan_refresh(sol_store *st, int64_t id, const char *name, const char *kind,
                             struct json_t *q, const char *etag, const char *last_modified,
                             const char *sha256, const sol_net_opts *net, sol_refresh_report *rep,
                             sol_error *err);

/* A boundaries connector (features.c): add opens the service and checks the collection and its
 * fields, filling `q`; refresh reads the collection through GDAL and imports it as areas. */
sol_status sol__features_add(const sol_connector_def *d, const sol_net_opts *net, struct json_t *q,
                             sol_error *err);
sol_status sol__features_refresh(sol_store *st, int64_t id, const char *name, struct json_t *q,
                                 const sol_net_opts *net, sol_refresh_report *rep, sol_error *err);

/* `v` as the shortest decimal of at most 15 significant digits that sol__parse_double reads
 * back as the same double, else printf's %.17g; buf of at least 40 bytes. */
const char *sol__connect_fmt_value(double v, char *buf, size_t n);

/* Lower-case ASCII copy with accents of Latin letters removed (UTF-8), for matching words. */
char *sol__fold(const char *s);

#endif
