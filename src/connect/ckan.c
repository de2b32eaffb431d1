/* ckan.c - connectors to open-data catalogues: the CKAN action API (dati.gov.it, HDX, regional
 * portals: package_show) and data.gouv.fr's API (api/1/datasets/ID/). The dataset's metadata give
 * the resource's current address, its licence and attribution; the resource (CSV, XLSX, ODS) is
 * downloaded and imported through the same path as files (sol_import_data), and the new version
 * is compared with the previous one value by value. */
#include <solidata/connect.h>
#include <solidata/import.h>

#include "connect_int.h"
#include "core/core.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* the network rules of a catalogue: one rate limit for all of them ("CKAN"), redirects of the
 * resources allowed to data.gouv.fr's file hosts */
static const sol_provider CATALOG = {"CKAN", "CKAN", "",   "https://", "", "CSV, XLSX, ODS", "", "",
                                     NULL,   "",     NULL, 500,        300};
static const sol_provider DATAGOUV = {"DATAGOUV",
                                      "data.gouv.fr",
                                      "",
                                      "https://www.data.gouv.fr/api/1",
                                      "",
                                      "CSV, XLSX, ODS",
                                      "fr",
                                      "",
                                      "static.data.gouv.fr,object.files.data.gouv.fr",
                                      "",
                                      NULL,
                                      500,
                                      300};

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void licence_text(int gouv, json_t *d, char *lic, size_t n);

/* the dataset's metadata: {title, licence, attribution, resources:[{id, name, url, format}]} */
static sol_status dataset_meta(const char *kind, const char *portal, const char *dataset,
                               const sol_net_opts *net, json_t **out, char *url, size_t nurl,
                               sol_error *err)
{
    int gouv = strcmp(kind, "datagouv") == 0;
    sol_provider p = gouv ? DATAGOUV : CATALOG;
    if (gouv)
        snprintf(url, nurl, "%s/datasets/%s/", sol_connect_endpoint(&DATAGOUV, portal), dataset);
    else {
        size_t n = strlen(portal);
        while (n && portal[n - 1] == '/')
            n--;
        snprintf(url, nurl, "%.*s/api/3/action/package_show?id=%s", (int)n, portal, dataset);
        p.url = portal;
    }
    for (const char *c = dataset; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '-' || *c == '_' || *c == '.'))
            return sol__err(err, SOL_EINVAL, "dataset '%s': the character '%c' is not allowed",
                            dataset, *c);
    static const sol__http_cond cache = {1, NULL, NULL};
    sol__http_res r;
    sol_status rc = sol__http_get(&p, url, net, &cache, &r, err);
    if (rc != SOL_OK)
        return rc == SOL_ENOTFOUND && !net->offline
                   ? sol__err(err, SOL_ENOTFOUND, "%s has no dataset '%s'",
                              portal ? portal : "data.gouv.fr", dataset)
                   : rc;
    json_error_t je;
    json_t *j = json_loadb(r.body, r.len, 0, &je);
    sol__http_res_free(&r);
    if (!j)
        return sol__err_at(err, SOL_EPARSE, url, (unsigned long)je.line, (unsigned long)je.column,
                           "malformed JSON: %s", je.text);
    json_t *d = gouv ? j : json_object_get(j, "result");
    if (!json_is_object(d) || (!gouv && !json_is_true(json_object_get(j, "success")))) {
        json_decref(j);
        return sol__err(err, SOL_EPARSE, "%s: not a dataset of the catalogue's API", url);
    }
    json_t *m = json_object(), *res = json_array();
    json_object_set_new(m, "title", json_string(jstr(d, "title") ? jstr(d, "title") : dataset));
    char lic[512];
    licence_text(gouv, d, lic, sizeof lic);
    if (lic[0])
        json_object_set_new(m, "licence", json_string(lic));
    json_t *org = json_object_get(d, "organization");
    const char *att = jstr(org, gouv ? "name" : "title");
    if (!att)
        att = jstr(d, "author");
    if (att)
        json_object_set_new(m, "attribution", json_string(att));
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(d, "resources"), i, x)
    {
        const char *id = jstr(x, "id"), *u = jstr(x, "url");
        const char *nm = jstr(x, gouv ? "title" : "name");
        if (!id || !u)
            continue;
        json_array_append_new(res,
                              json_pack("{s:s,s:s,s:s,s:s}", "id", id, "name", nm ? nm : id, "url",
                                        u, "format", jstr(x, "format") ? jstr(x, "format") : ""));
    }
    json_object_set_new(m, "resources", res);
    json_decref(j);
    *out = m;
    return SOL_OK;
}

/* the licence as people read it, with its identifier ("Creative Commons Attribution (cc-by)"),
 * so that an open licence is known as one (withhold.h) */
static void licence_text(int gouv, json_t *d, char *lic, size_t n)
{
    const char *lid = jstr(d, gouv ? "license" : "license_id");
    const char *ltitle = gouv ? NULL : jstr(d, "license_title");
    static const char *const GOUV[][2] = {{"lov2", "Licence Ouverte / Open Licence 2.0"},
                                          {"fr-lo", "Licence Ouverte / Open Licence"},
                                          {"odc-odbl", "ODbL"},
                                          {"cc-by", "CC BY"},
                                          {"cc-by-sa", "CC BY-SA"},
                                          {"cc-zero", "CC0"}};
    for (size_t g = 0; gouv && lid && g < sizeof GOUV / sizeof GOUV[0]; g++)
        if (strcmp(lid, GOUV[g][0]) == 0)
            ltitle = GOUV[g][1];
    lic[0] = '\0';
    if (ltitle && lid && strcmp(ltitle, lid) != 0)
        snprintf(lic, n, "%s (%s)", ltitle, lid);
    else if (ltitle || lid)
        snprintf(lic, n, "%s", ltitle ? ltitle : lid);
}

/* words as a URL query value: unreserved characters kept, the rest %XX (UTF-8 bytes) */
static void query_escape(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (; *s && k + 4 < n; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~')
            out[k++] = (char)c;
        else
            k += (size_t)snprintf(out + k, n - k, "%%%02X", c);
    }
    out[k] = '\0';
}

sol_status sol_connect_search_catalog(const char *kind, const char *portal, const char *words,
                                      int rows, const sol_net_opts *net, sol_catalog_cb cb,
                                      void *ud, int64_t *total, sol_error *err)
{
    int gouv = kind && strcmp(kind, "datagouv") == 0;
    *total = 0;
    if (!gouv && (!kind || strcmp(kind, "ckan") != 0 || !portal || !*portal))
        return sol__err(err, SOL_EINVAL,
                        "a catalogue search needs a CKAN portal's address (--ckan URL) or "
                        "--datagouv");
    if (rows < 1 || rows > 1000)
        return sol__err(err, SOL_EINVAL, "rows %d: expected 1 to 1000", rows);
    char q[1024], url[2048];
    query_escape(words ? words : "", q, sizeof q);
    sol_provider p = gouv ? DATAGOUV : CATALOG;
    if (gouv)
        snprintf(url, sizeof url, "%s/datasets/?q=%s&page_size=%d",
                 sol_connect_endpoint(&DATAGOUV, portal), q, rows);
    else {
        size_t n = strlen(portal);
        while (n && portal[n - 1] == '/')
            n--;
        snprintf(url, sizeof url, "%.*s/api/3/action/package_search?q=%s&rows=%d", (int)n, portal,
                 q, rows);
        p.url = portal;
    }
    static const sol__http_cond cache = {1, NULL, NULL};
    sol__http_res r;
    sol_status rc = sol__http_get(&p, url, net, &cache, &r, err);
    if (rc != SOL_OK)
        return rc;
    json_error_t je;
    json_t *j = json_loadb(r.body, r.len, 0, &je);
    sol__http_res_free(&r);
    if (!j)
        return sol__err_at(err, SOL_EPARSE, url, (unsigned long)je.line, (unsigned long)je.column,
                           "malformed JSON: %s", je.text);
    json_t *res = gouv ? j : json_object_get(j, "result");
    json_t *list = json_object_get(res, gouv ? "data" : "results");
    if (!gouv && !json_is_true(json_object_get(j, "success"))) {
        json_t *e = json_object_get(j, "error");
        const char *msg = jstr(e, "message") ? jstr(e, "message") : jstr(e, "__type");
        rc = sol__err(err, SOL_EIO, "%s refused the search: %s", portal,
                      msg ? msg : _("no reason given"));
        json_decref(j);
        return rc;
    }
    if (!json_is_array(list)) {
        json_decref(j);
        return sol__err(err, SOL_EPARSE, "%s: not a search answer of the catalogue's API", url);
    }
    json_t *cnt = json_object_get(res, gouv ? "total" : "count");
    *total =
        json_is_integer(cnt) ? (int64_t)json_integer_value(cnt) : (int64_t)json_array_size(list);
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x)
    {
        json_t *rs = json_object_get(x, "resources");
        size_t nr = json_array_size(rs);
        const char **nm = sol__calloc(nr + 1, sizeof *nm), **fm = sol__calloc(nr + 1, sizeof *fm);
        if (!nm || !fm) {
            sol__free_n(2, nm, fm);
            json_decref(j);
            return sol__err(err, SOL_ENOMEM, "out of memory");
        }
        for (size_t k = 0; k < nr; k++) {
            json_t *y = json_array_get(rs, k);
            const char *a = jstr(y, gouv ? "title" : "name");
            nm[k] = a ? a : jstr(y, "id") ? jstr(y, "id") : "";
            fm[k] = jstr(y, "format") ? jstr(y, "format") : "";
        }
        const char *ds = jstr(x, gouv ? "slug" : "name");
        char lic[512];
        licence_text(gouv, x, lic, sizeof lic);
        json_t *org = json_object_get(x, "organization");
        const char *o = jstr(org, gouv ? "name" : "title");
        if (!o)
            o = jstr(x, "author");
        sol_catalog_hit h = {.dataset = ds              ? ds
                                        : jstr(x, "id") ? jstr(x, "id")
                                                        : "",
                             .title = jstr(x, "title") ? jstr(x, "title") : "",
                             .organisation = o ? o : "",
                             .licence = lic,
                             .nres = nr,
                             .res_name = nm,
                             .res_format = fm};
        int stop = cb(ud, &h);
        sol__free_n(2, nm, fm);
        if (stop)
            break;
    }
    json_decref(j);
    return SOL_OK;
}

static int tabular(const char *format, const char *url)
{
    static const char *const ok[] = {"csv", "xlsx", "xls", "ods", "tsv", "txt", NULL};
    for (size_t i = 0; ok[i]; i++) {
        size_t n = strlen(ok[i]), k = strlen(url);
        if (strcasecmp(format, ok[i]) == 0 || (k > n && strcasecmp(url + k - n, ok[i]) == 0))
            return 1;
    }
    return 0;
}

/* the resource named by id or name (case aside); without one, the only table of the dataset */
static json_t *find_resource(json_t *m, const char *want, char *list, size_t n)
{
    size_t i, ntab = 0;
    json_t *x, *tab = NULL;
    list[0] = '\0';
    json_array_foreach(json_object_get(m, "resources"), i, x)
    {
        const char *id = jstr(x, "id"), *nm = jstr(x, "name");
        if (want && (strcmp(id, want) == 0 || strcasecmp(nm, want) == 0))
            return x;
        if (tabular(jstr(x, "format"), jstr(x, "url")))
            ntab++, tab = x;
        size_t k = strlen(list);
        snprintf(list + k, n - k, "%s'%s' (%s, %s)", k ? ", " : "", nm, jstr(x, "format"), id);
    }
    return !want && ntab == 1 ? tab : NULL;
}

sol_status sol__ckan_add(const sol_connector_def *d, const sol_net_opts *net, json_t *q,
                         const char **provider, sol_error *err)
{
    json_t *m = NULL;
    char url[2048], list[1024];
    sol_status rc = dataset_meta(d->kind, d->portal, d->dataset, net, &m, url, sizeof url, err);
    if (rc != SOL_OK)
        return rc;
    json_t *res = find_resource(m, d->resource, list, sizeof list);
    if (!res) {
        rc = d->resource ? sol__err(err, SOL_ENOTFOUND,
                                    "dataset %s has no resource '%s'; its resources: %s (give "
                                    "one with --resource ID or NAME)",
                                    d->dataset, d->resource, list[0] ? list : "-")
                         : sol__err(err, SOL_EINVAL,
                                    "dataset %s has several tables or none; its resources: %s "
                                    "(give one with --resource ID or NAME)",
                                    d->dataset, list[0] ? list : "-");
        json_decref(m);
        return rc;
    }
    if (!tabular(jstr(res, "format"), jstr(res, "url"))) {
        rc = sol__err(err, SOL_EINVAL, "resource '%s' is %s: a table (CSV, XLSX, ODS) is expected",
                      jstr(res, "name"),
                      jstr(res, "format")[0] ? jstr(res, "format") : "not a table");
        json_decref(m);
        return rc;
    }
    json_object_set_new(q, "dataset", json_string(d->dataset));
    if (d->portal)
        json_object_set_new(q, "portal", json_string(d->portal));
    json_object_set(q, "resource_id", json_object_get(res, "id"));
    json_object_set(q, "resource_name", json_object_get(res, "name"));
    json_object_set(q, "title", json_object_get(m, "title"));
    const char *lic = d->licence ? d->licence : jstr(m, "licence");
    const char *att = d->attribution ? d->attribution : jstr(m, "attribution");
    if (lic)
        json_object_set_new(q, "licence", json_string(lic));
    if (att)
        json_object_set_new(q, "attribution", json_string(att));
    json_decref(m);
    *provider = strcmp(d->kind, "datagouv") == 0 ? "data.gouv.fr" : "CKAN";
    return SOL_OK;
}

/* ---- refresh -------------------------------------------------------------------------------- */

typedef struct vals {
    sol_strmap *map;
    double *v;
    char **area_name, **label;
    unsigned char *seen;
    size_t n, cap;
    int oom;
    /* comparing: */
    struct vals *old;
    sol_refresh_report *rep;
    json_t *revs;
} vals;

static int on_val(void *ud, const char *area, const char *area_name, const char *ind,
                  const char *label, const char *period, double value)
{
    vals *o = ud;
    char k[512];
    int n = snprintf(k, sizeof k, "%s\t%s\t%s", area, ind, period);
    if (o->old) { /* the new version, against the old */
        int64_t at;
        if (!sol__strmap_get(o->old->map, k, (size_t)n, &at)) {
            o->rep->added++;
            return 0;
        }
        o->old->seen[at] = 1;
        if (o->old->v[at] == value)
            return 0;
        o->rep->revised++;
        sol_revision rv;
        memset(&rv, 0, sizeof rv);
        snprintf(rv.area, sizeof rv.area, "%s", area);
        snprintf(rv.area_name, sizeof rv.area_name, "%s", area_name ? area_name : area);
        snprintf(rv.indicator, sizeof rv.indicator, "%s", ind);
        snprintf(rv.label, sizeof rv.label, "%s", label ? label : ind);
        snprintf(rv.period, sizeof rv.period, "%s", period);
        rv.old_value = o->old->v[at];
        rv.new_value = value;
        sol__connect_keep_top(o->rep, &rv);
        json_array_append_new(
            o->revs, json_pack("{s:s,s:s,s:s,s:s,s:s,s:f,s:f}", "area", rv.area, "area_name",
                               rv.area_name, "indicator", rv.indicator, "indicator_label", rv.label,
                               "since", rv.period, "old", rv.old_value, "new", rv.new_value));
        return 0;
    }
    if (o->n == o->cap) {
        size_t c = o->cap ? 2 * o->cap : 256;
        double *v = sol__realloc(o->v, c * sizeof *v);
        if (!v)
            return o->oom = 1;
        o->v = v;
        unsigned char *sn = sol__realloc(o->seen, c);
        if (!sn)
            return o->oom = 1;
        o->seen = sn, o->cap = c;
    }
    o->v[o->n] = value;
    o->seen[o->n] = 0;
    if (sol__strmap_put(o->map, k, (size_t)n, (int64_t)o->n) != SOL_OK)
        return o->oom = 1;
    o->n++;
    return 0;
}

typedef struct pub {
    const char *name;
    int published;
} pub;

static int on_source(void *ud, const sol_source *s)
{
    pub *x = ud;
    if (strcmp(s->name, x->name) == 0 && strcmp(s->status, "current") == 0) {
        x->published = s->published;
        return 1;
    }
    return 0;
}

static const char *ext_of(const char *format, const char *url)
{
    static const char *const exts[] = {"xlsx", "xls", "ods", "tsv", NULL};
    for (size_t i = 0; exts[i]; i++) {
        size_t n = strlen(exts[i]), k = strlen(url);
        if (strcasecmp(format, exts[i]) == 0 || (k > n && strcasecmp(url + k - n, exts[i]) == 0))
            return exts[i];
    }
    return "csv";
}

sol_status sol__ckan_refresh(sol_store *st, int64_t id, const char *name, const char *kind,
                             json_t *q, const char *etag, const char *last_modified,
                             const char *sha256, const sol_net_opts *net, sol_refresh_report *rep,
                             sol_error *err)
{
    json_t *m = NULL, *revs = NULL;
    char url[2048], list[1024], dir[1100] = "", path[1200] = "";
    vals old = {0}, nw = {0};
    sol__http_res r = {0};
    sol_status rc =
        dataset_meta(kind, jstr(q, "portal"), jstr(q, "dataset"), net, &m, url, sizeof url, err);
    if (rc != SOL_OK)
        return rc;
    json_t *res = find_resource(m, jstr(q, "resource_id"), list, sizeof list);
    if (!res)
        res = find_resource(m, jstr(q, "resource_name"), list, sizeof list);
    if (!res) {
        rc = sol__err(err, SOL_ENOTFOUND,
                      "the resource '%s' is no longer in dataset %s (its resources: %s)",
                      jstr(q, "resource_name"), jstr(q, "dataset"), list[0] ? list : "none");
        goto out;
    }
    const char *rurl = jstr(res, "url");
    snprintf(url, sizeof url, "%s", rurl);
    sol_provider p = strcmp(kind, "datagouv") == 0 ? DATAGOUV : CATALOG;
    if (jstr(q, "portal")) /* plain http only where the portal itself is http (or local) */
        p.url = jstr(q, "portal");
    sol__http_cond cond = {sha256 && *sha256 ? 2 : 0, etag, last_modified};
    if ((rc = sol__http_get(&p, url, net, &cond, &r, err)) != SOL_OK)
        goto out;
    rep->http_status = r.status;
    rep->from_cache = r.from_cache;
    snprintf(rep->sha256, sizeof rep->sha256, "%s", r.sha256);
    sol_connector_fetch fe = {.connector_id = id,
                              .http_status = r.status,
                              .etag = r.etag,
                              .last_modified = r.last_modified,
                              .sha256 = r.sha256};
    if (sha256 && strcmp(r.sha256, sha256) == 0) {
        rep->outcome = fe.outcome = r.status == 304 ? "not-modified" : "unchanged";
        fe.detail = "same content as last time; nothing written";
        int own;
        if ((rc = sol_store_join(st, &own, err)) == SOL_OK)
            rc = sol_store_leave(st, own, sol_store_connector_fetched(st, &fe, err), err);
        goto out;
    }
    /* the resource in a private folder, named so that the import knows its kind */
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/solidata-ckan-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        rc = sol__err(err, SOL_EIO, "cannot create a temporary folder: %s", strerror(errno));
        dir[0] = '\0';
        goto out;
    }
    snprintf(path, sizeof path, "%s/resource.%s", dir, ext_of(jstr(res, "format"), rurl));
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(r.body, 1, r.len, f) != r.len || fclose(f) != 0) {
        rc = sol__err(err, SOL_EIO, "cannot write the temporary file %s", path);
        goto out;
    }
    /* the previous version's values */
    int64_t prev_id = 0;
    int prev_ver = 0;
    char prev_sha[65];
    pub pu = {name, 0};
    if (!(old.map = sol__strmap_new(1024)) || !(revs = json_array())) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto out;
    }
    if (sol_store_source_current(st, name, &prev_id, &prev_ver, prev_sha, NULL) == SOL_OK) {
        if ((rc = sol_store_source_values(st, prev_id, on_val, &old, err)) != SOL_OK ||
            (rc = sol_store_sources(st, on_source, &pu, err)) != SOL_OK)
            goto out;
        if (old.oom) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto out;
        }
    } else {
        prev_id = 0;
    }
    const char *layout = jstr(q, "layout");
    sol_import_opts io = {
        .source_name = name,
        .licence = jstr(q, "licence"),
        .attribution = jstr(q, "attribution"),
        .format = !layout                       ? SOL_FORMAT_AUTO
                  : strcmp(layout, "wide") == 0 ? SOL_FORMAT_WIDE
                  : strcmp(layout, "long") == 0 ? SOL_FORMAT_LONG
                                                : SOL_FORMAT_AUTO,
        .area_field = jstr(q, "area_field"),
        .period_field = jstr(q, "period_field"),
        .period = jstr(q, "period"),
        .indicator_field = jstr(q, "indicator_field"),
        .value_field = jstr(q, "value_field"),
        .indicators = jstr(q, "indicators"),
        .skip_unknown_areas = json_is_true(json_object_get(q, "skip_unknown_areas")),
    };
    sol_import_report ir;
    rc = sol_import_data(st, path, &io, &ir, err);
    sol_import_report_free(&ir);
    if (rc != SOL_OK) {
        if (err) /* the resource's address, not the temporary file's */
            snprintf(err->where, sizeof err->where, "%s", rurl);
        goto out;
    }
    rep->observations = ir.rows_written;
    rep->unknown_areas = ir.unknown_rows;
    if (ir.unchanged) {
        rep->outcome = fe.outcome = "unchanged";
        fe.detail = "new bytes, same values; nothing written";
        int own;
        if ((rc = sol_store_join(st, &own, err)) == SOL_OK)
            rc = sol_store_leave(st, own, sol_store_connector_fetched(st, &fe, err), err);
        goto out;
    }
    /* what changed */
    nw.old = prev_id ? &old : NULL;
    nw.rep = rep;
    nw.revs = revs;
    if (prev_id) {
        if ((rc = sol_store_source_values(st, ir.source_id, on_val, &nw, err)) != SOL_OK)
            goto out;
        for (size_t i = 0; i < old.n; i++)
            rep->removed += !old.seen[i];
    } else {
        rep->added = ir.rows_written;
    }
    const sol_provider *pp = &p;
    rc = sol__connect_record_version(
        st, strcmp(kind, "datagouv") == 0 ? "data.gouv.fr" : jstr(q, "portal"), pp->id, kind, name,
        rurl, pu.published, prev_ver, ir.version, ir.source_id, revs, &fe, rep, err);
out:
    if (path[0])
        remove(path);
    if (dir[0])
        rmdir(dir);
    sol__http_res_free(&r);
    sol__strmap_free(old.map);
    sol__free_n(2, old.v, old.seen);
    json_decref(revs);
    json_decref(m);
    return rc;
}
