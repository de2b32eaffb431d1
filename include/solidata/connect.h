/* solidata/connect.h - connectors to public data portals ("once only"): the known SDMX providers,
 * discovery (dataflows, structures), connectors stored in the store (a catalog source with its
 * query and schedule), and refreshes that fetch over HTTP with conditional requests and a cache,
 * write a new source version only when something changed, and report what changed.
 * Network behaviour: timeouts, retries with exponential backoff and jitter on 429/5xx honouring
 * Retry-After, a per-provider minimum interval between requests, proxies from the environment
 * (libcurl's http_proxy/https_proxy/no_proxy), TLS verification always on, a size cap per
 * response, redirects only to the provider's hosts, plain http only to loopback hosts.
 * Thread safety: one store handle per thread; the functions without a store are thread-safe
 * except for the per-provider rate limit, which is kept per process. */
#ifndef SOL_CONNECT_H
#define SOL_CONNECT_H

#include <solidata/i18n.h>
#include <solidata/sdmx.h>
#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- providers ------------------------------------------------------------------------------- */

/** A known SDMX REST provider. Static strings. */
typedef struct sol_provider {
    const char *id;           /* "ISTAT" */
    const char *name;         /* "Istat", as said in sentences */
    const char *agency;       /* SDMX agency id ("IT1") */
    const char *url;          /* the REST endpoint (no trailing slash) */
    const char *sdmx_version; /* "2.1", "2.1 and 3.0" */
    const char *formats;      /* formats it serves */
    const char *langs;        /* languages of its names ("it,en") */
    const char *quirks;       /* English text, translated where printed */
    const char *hosts;        /* other hosts redirects may go to (comma-separated) or NULL */
    const char *flow_agency;  /* the agency of dataflow queries ("all" at Istat) */
    const char *licence;      /* the licence of its data (default for connectors) */
    unsigned min_interval_ms; /* at least this long between two requests */
    unsigned timeout_s;       /* total time allowed for one response */
} sol_provider;

/** The providers table; *n gets its length. */
SOL_API const sol_provider *sol_connect_providers(size_t *n);
/** The provider `id` (case-insensitive): SOL_OK, or SOL_ENOTFOUND naming the closest ids. */
SOL_API sol_status sol_connect_provider(const char *id, const sol_provider **out, sol_error *err);
/** The endpoint in use: $SOLIDATA_PROVIDER_URL_<ID> when set (tests, mirrors), else base_url when
 *  not NULL, else the provider's. Borrowed (static or from the environment). */
SOL_API const char *sol_connect_endpoint(const sol_provider *p, const char *base_url);

/* ---- network options ------------------------------------------------------------------------- */

typedef void (*sol_net_progress_fn)(void *ud, uint64_t done_bytes, uint64_t total_bytes);

typedef struct sol_net_opts {
    const char *cache_dir;      /* downloads kept here (created when absent); required */
    int offline;                /* 1: only the cache, no request */
    uint64_t max_bytes;         /* cap per response; 0: SOL_CONNECT_MAX_BYTES */
    unsigned timeout_s;         /* total per response; 0: the provider's */
    unsigned connect_timeout_s; /* 0: 15 */
    int max_retries;            /* retries after a 429/5xx or a transient failure */
    sol_net_progress_fn progress;
    void *progress_ud;
} sol_net_opts;

#define SOL_CONNECT_MAX_BYTES ((uint64_t)512 * 1024 * 1024)

/** Defaults: no cache dir, online, the default cap and timeouts, 4 retries; the environment may
 *  set SOLIDATA_HTTP_MAX_RETRIES, SOLIDATA_HTTP_TIMEOUT (seconds), SOLIDATA_HTTP_MAX_BYTES. The
 *  base delay between retries is 1 s (SOLIDATA_HTTP_BACKOFF_MS for tests). */
SOL_API void sol_net_opts_init(sol_net_opts *o);

/* ---- discovery ------------------------------------------------------------------------------- */

typedef int (*sol_dataflow_cb)(void *ud, const char *id, const char *name);
/** The provider's dataflows (fetched once, then from the cache) whose name in `lang` (else
 *  English, else any) holds every word of `words` (case and accents aside); cb for each. */
SOL_API sol_status sol_connect_search(const char *provider, const char *base_url, const char *words,
                                      sol_lang lang, const sol_net_opts *net, sol_dataflow_cb cb,
                                      void *ud, sol_error *err);
/** A dataset found in a catalogue. Borrowed for the callback. */
typedef struct sol_catalog_hit {
    const char *dataset;      /* what --dataset takes: CKAN's name, data.gouv.fr's slug (else id) */
    const char *title;        /* or "" */
    const char *organisation; /* or its author, or "" */
    const char *licence;      /* as people read it, with its identifier, or "" */
    size_t nres;
    const char *const *res_name, *const *res_format; /* nres each ("" when not given) */
} sol_catalog_hit;
typedef int (*sol_catalog_cb)(void *ud, const sol_catalog_hit *h);
/** Search a catalogue's datasets by words: kind "ckan" (package_search at `portal`) or
 *  "datagouv" (data.gouv.fr's datasets/?q=; `portal` NULL); at most `rows` datasets (1-1000);
 *  *total gets how many the catalogue found. Through the HTTP layer of the connectors (cache,
 *  rate limit, cap). A catalogue's refusal (HTTP error, CKAN's success false) is SOL_EIO with
 *  the catalogue's own message. */
SOL_API sol_status sol_connect_search_catalog(const char *kind, const char *portal,
                                              const char *words, int rows, const sol_net_opts *net,
                                              sol_catalog_cb cb, void *ud, int64_t *total,
                                              sol_error *err);
/** The dataflow `dataflow` of `provider` with its data structure (and its codelists when
 *  `codelists`: each fetched, a failure only leaves it out). SOL_ENOTFOUND for an unknown
 *  dataflow. Free *out with sol_sdmx_structure_free. */
SOL_API sol_status sol_connect_structure(const char *provider, const char *base_url,
                                         const char *dataflow, int codelists,
                                         const sol_net_opts *net, sol_sdmx_structure **out,
                                         sol_error *err);

/* ---- connectors ------------------------------------------------------------------------------ */

/** What a connector fetches and how its values are read. Strings borrowed for the call. */
typedef struct sol_connector_def {
    const char *name; /* the connector's and its catalog source's name */
    const char *kind; /* "sdmx" (NULL), "ckan", "datagouv" or "features" (boundaries) */
    /* ckan, datagouv: the catalogue (CKAN's address; data.gouv.fr's is known), the dataset and
     * the resource (id or name; NULL: the dataset's only table), and how to read it (as
     * sol_import_opts: NULL for the defaults) */
    const char *portal, *dataset, *resource;
    const char *area_field, *period_field, *period, *indicator_field, *value_field, *indicators;
    const char *layout;                /* "wide", "long" or NULL (auto) */
    const char *provider;              /* "ISTAT" */
    const char *dataflow;              /* "47_850" */
    const char *key;                   /* "A.001001+001002.AUTP.ALL.ALL.1" ("" or NULL: all) */
    const char *start, *end;           /* periods, or NULL */
    const char *area_dim;              /* default REF_AREA (or GEO, geo) */
    const char *indicator_dims;        /* comma-separated; default every other non-time dimension */
    const char *indicator;             /* the indicators' code prefix; default the dataflow id */
    const char *level;                 /* the level of areas added by add_areas */
    int add_areas;                     /* 1: area codes not in the store are added (names from the
                                          codelist when the provider gives it, else the code) */
    int skip_unknown_areas;            /* 1: values of unknown areas are counted, not an error */
    const char *area_names;            /* a CSV of code,name naming the areas added (read at add) */
    const char *licence, *attribution; /* default the provider's */
    const char *base_url;              /* another endpoint for this connector */
    int64_t every_seconds;             /* schedule; 0: none */
    const char *who;                   /* account (audit), or NULL */
    /* features: an OGC API Features service's address (read with GDAL's OAPIF driver; "WFS:URL"
     * for a WFS), the collection (feature type), the fields of the area code, name and parent
     * area; the areas' level is `level` */
    const char *features_url, *collection, *code_field, *name_field, *parent_field;
    const char *format; /* sdmx: the format asked of the provider: "xml" (NULL), "csv" (SDMX-CSV)
                           or "json" (SDMX-JSON), among those it serves */
} sol_connector_def;

/** A stored connector; strings borrowed for the callback. */
typedef struct sol_connector {
    int64_t id;
    const char *name, *kind, *provider;
    const char *dataflow, *key; /* from the query */
    const char *query;          /* JSON of the definition */
    int64_t every_seconds;
    const char *etag, *last_modified, *sha256;
    const char *last_checked_at, *last_changed_at, *created_at, *created_by; /* may be NULL */
    /* the latest fetch (NULL/0 when none) */
    const char *last_outcome, *last_detail;
    int64_t last_added, last_revised, last_removed;
} sol_connector;

/** Check the definition against the provider's structure (the dataflow exists; the key has one
 *  part per dimension, each code in its codelist when known) and store the connector (audited).
 *  SOL_ENOTFOUND (provider, dataflow), SOL_EINVAL (key, schedule), SOL_EDUPLICATE (name). */
SOL_API sol_status sol_connect_add(sol_store *st, const sol_connector_def *d,
                                   const sol_net_opts *net, sol_error *err);
typedef int (*sol_connector_cb)(void *ud, const sol_connector *c);
/** Connectors by name; `name` NULL for all. SOL_ENOTFOUND when `name` matches none. */
SOL_API sol_status sol_connect_list(sol_store *st, const char *name, sol_connector_cb cb, void *ud,
                                    sol_error *err);
/** Remove a connector and its fetch history (audited); its catalog source stays. */
SOL_API sol_status sol_connect_remove(sol_store *st, const char *name, const char *who,
                                      sol_error *err);
/** Connectors as JSON for the dashboard (malloc'd, free with sol_free): [{name, kind, provider,
 *  dataflow, key, licence, query, every_seconds, etag, sha256, last_checked_at,
 *  last_changed_at, last_outcome, last_detail, added, revised, removed}]; `name` NULL for all,
 *  else that one connector as an object (SOL_ENOTFOUND when absent). */
SOL_API sol_status sol_connect_list_json(sol_store *st, const char *name, char **json,
                                         sol_error *err);

/** One changed value. */
typedef struct sol_revision {
    char area[64], area_name[128], indicator[128], label[256], period[16];
    double old_value, new_value;
} sol_revision;

/** What a refresh did. */
typedef struct sol_refresh_report {
    char name[128];
    const char *outcome; /* "not-modified", "unchanged", "new-version" (static) */
    long http_status;    /* 0 when served from the cache offline */
    int from_cache;      /* 1: the body came from the cache (304 or offline) */
    char sha256[65];
    int64_t observations; /* values in the response */
    int64_t added, revised, removed;
    int64_t unknown_areas;  /* values of unknown areas skipped */
    int64_t areas_added;    /* areas added (add_areas) */
    char unknown_list[512]; /* the unknown area codes, comma-separated (cut) */
    int version;            /* source version now current */
    size_t ntop;            /* the largest revisions, largest first */
    sol_revision top[5];
    int64_t revision_run; /* run of kind "revision" recorded (published figures revised) */
} sol_refresh_report;

/** Refresh the connector `name`: fetch (conditional request; the cache answers a 304), and when
 *  the body's SHA-256 differs from the last one, parse it, map areas and indicators, import it
 *  as a new version of its source, compare with the previous version, record the fetch, and
 *  when published values were revised record a run of kind "revision" (listed with the
 *  emerging needs) and an audit row. Any failure leaves the store unchanged. */
SOL_API sol_status sol_connect_refresh(sol_store *st, const char *name, const sol_net_opts *net,
                                       sol_refresh_report *rep, sol_error *err);
/** Names of the connectors due (every_seconds elapsed since last_checked_at, or never checked),
 *  given `now` as seconds since the epoch; cb for each. */
SOL_API sol_status sol_connect_due(sol_store *st, int64_t now,
                                   int (*cb)(void *ud, const char *name), void *ud, sol_error *err);

/** Revisions recorded (runs of kind "revision", newest first, at most `limit`) as alerts for the
 *  emerging-needs list: a JSON array (malloc'd; free with sol_free) of {kind:"revision",
 *  direction:"revised", area, area_name, indicator, indicator_label, since, old, new, provider,
 *  date, run, sentence:{en,it,fr}}. */
SOL_API sol_status sol_connect_revision_alerts(sol_store *st, size_t limit, char **json,
                                               sol_error *err);

/* ---- store (src/store/connector.c) ------------------------------------------------------------
 */

/** Insert a connector row; *id gets its id. SOL_EDUPLICATE when the name exists. */
SOL_API sol_status sol_store_connector_add(sol_store *st, const sol_connector *c, int64_t *id,
                                           sol_error *err);
SOL_API sol_status sol_store_connectors(sol_store *st, const char *name, sol_connector_cb cb,
                                        void *ud, sol_error *err);
/** Delete a connector and its fetches: SOL_ENOTFOUND when absent. */
SOL_API sol_status sol_store_connector_delete(sol_store *st, const char *name, sol_error *err);
/** One fetch: a connector_fetch row and the connector's validators and dates (changed: the
 *  last_changed_at too). */
typedef struct sol_connector_fetch {
    int64_t connector_id;
    const char *outcome;
    long http_status;
    const char *etag, *last_modified, *sha256;
    int64_t source_id; /* 0: none */
    int64_t added, revised, removed;
    const char *detail;
    int changed;
} sol_connector_fetch;
SOL_API sol_status sol_store_connector_fetched(sol_store *st, const sol_connector_fetch *f,
                                               sol_error *err);
/** The values a source version provides (published or archived): cb(area code, area name,
 *  indicator code, indicator label, period label, value). */
typedef int (*sol_value_cb)(void *ud, const char *area, const char *area_name,
                            const char *indicator, const char *label, const char *period,
                            double value);
SOL_API sol_status sol_store_source_values(sol_store *st, int64_t source_id, sol_value_cb cb,
                                           void *ud, sol_error *err);
/** A connector's source version: its location becomes the URL fetched and its connector `kind`
 *  ("sdmx", "ckan", "datagouv"; the import recorded a temporary file). */
SOL_API sol_status sol_store_connector_source_origin(sol_store *st, int64_t source_id,
                                                     const char *url, const char *kind,
                                                     sol_error *err);
/** Delete the area `code` when nothing refers to it (an area added for a refresh that failed). */
SOL_API sol_status sol_store_area_drop_unused(sol_store *st, const char *code, sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
