/* api_connect.c - the connectors over the API, for analysts: the list with the last check and
 * change of each (GET /api/connectors) and "Refresh now" (POST /api/connectors/refresh), which
 * fetches one connector or all of them as `solidata refresh` does (the store is unchanged by a
 * failure). */
#include "server_int.h"

#include <solidata/connect.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GET /api/connectors */
void sol__api_connectors(const sol_req *q, sol_reply *r)
{
    sol_error e;
    sol_error_clear(&e);
    char *s = NULL;
    sol_status rc = sol_connect_list_json(q->st, NULL, &s, &e);
    if (rc != SOL_OK) {
        char msg[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
        sol_error_format(&e, msg, sizeof msg);
        sol__reply_error(r, sol__http_status(rc), "%s", msg);
        return;
    }
    /* the publishers a connector may be added from (the providers table) */
    size_t np;
    const sol_provider *p = sol_connect_providers(&np);
    json_t *pj = json_array();
    for (size_t i = 0; i < np; i++)
        json_array_append_new(pj, json_pack("{s:s,s:s}", "id", p[i].id, "name", p[i].name));
    json_t *j = json_pack("{s:o,s:o}", "connectors", json_loads(s, 0, NULL), "providers", pj);
    free(s);
    if (j == NULL) {
        sol__reply_error(r, 500, "the connectors could not be listed");
        return;
    }
    sol__reply_json(r, 200, j, 0);
}

typedef struct todo {
    json_t *names;
} todo;

static int on_conn(void *ud, const sol_connector *c)
{
    todo *t = ud;
    json_array_append_new(t->names, json_string(c->name));
    return 0;
}

/* POST /api/connectors/refresh {"name"} (no name: every connector) */
void sol__api_connectors_refresh(const sol_req *q, sol_reply *r)
{
    json_t *body = sol__body_json(q, r);
    if (body == NULL)
        return;
    json_t *jn = json_object_get(body, "name");
    if (jn && !json_is_string(jn)) {
        json_decref(body);
        sol__reply_error(r, 400, "\"name\" must be a connector's name");
        return;
    }
    sol_error e;
    sol_error_clear(&e);
    todo t = {json_array()};
    sol_status rc = sol_connect_list(q->st, jn ? json_string_value(jn) : NULL, on_conn, &t, &e);
    json_decref(body);
    if (rc != SOL_OK) {
        json_decref(t.names);
        char msg[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
        sol_error_format(&e, msg, sizeof msg);
        sol__reply_error(r, sol__http_status(rc), "%s", msg);
        return;
    }
    sol_net_opts net;
    sol_net_opts_init(&net);
    char cache[4096];
    const char *env = getenv("SOLIDATA_CACHE");
    snprintf(cache, sizeof cache, "%s", env && *env ? env : "");
    if (!cache[0])
        snprintf(cache, sizeof cache, "%s.cache", sol_store_path(q->st));
    net.cache_dir = cache;
    json_t *out = json_array();
    size_t i;
    json_t *n;
    json_array_foreach(t.names, i, n)
    {
        sol_refresh_report rep;
        sol_error_clear(&e);
        const char *name = json_string_value(n);
        rc = sol_connect_refresh(q->st, name, &net, &rep, &e);
        json_t *o;
        if (rc == SOL_OK) {
            o = json_pack("{s:s,s:s,s:i,s:I,s:I,s:I,s:I}", "name", name, "outcome", rep.outcome,
                          "version", rep.version, "added", (json_int_t)rep.added, "revised",
                          (json_int_t)rep.revised, "removed", (json_int_t)rep.removed,
                          "revision_run", (json_int_t)rep.revision_run);
        } else {
            char msg[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
            sol_error_format(&e, msg, sizeof msg);
            o = json_pack("{s:s,s:s,s:s}", "name", name, "outcome", "failed", "error", msg);
        }
        json_array_append_new(out, o);
        sol__audit(q, q->who->name, "connector.refresh",
                   json_pack("{s:s,s:s}", "connector", name, "outcome",
                             rc == SOL_OK ? rep.outcome : "failed"));
    }
    json_decref(t.names);
    sol__reply_json(r, 200, json_pack("{s:o}", "results", out), 0);
}

/* ---- adding a connector from the dashboard ------------------------------------------------- */

/* the download cache of the connectors: $SOLIDATA_CACHE, else the store's path + ".cache" */
static void net_of(const sol_req *q, sol_net_opts *net, char *cache, size_t n)
{
    sol_net_opts_init(net);
    const char *env = getenv("SOLIDATA_CACHE");
    if (env && *env)
        snprintf(cache, n, "%s", env);
    else
        snprintf(cache, n, "%s.cache", sol_store_path(q->st));
    net->cache_dir = cache;
}

static void reply_err(sol_reply *r, unsigned status, const sol_error *e)
{
    char msg[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
    sol_error_format(e, msg, sizeof msg);
    sol__reply_error(r, status, "%s", msg);
}

/* the provider named by ?provider= (400 naming the close ids when unknown); NULL when replied */
static const sol_provider *provider_arg(const sol_req *q, sol_reply *r)
{
    const char *id = q->arg(q->conn, "provider");
    if (id == NULL || !*id) {
        sol__reply_error(r, 400, "say which publisher: ?provider=ISTAT");
        return NULL;
    }
    const sol_provider *p;
    sol_error e;
    sol_error_clear(&e);
    if (sol_connect_provider(id, &p, &e) != SOL_OK) {
        reply_err(r, 400, &e);
        return NULL;
    }
    return p;
}

static int on_hit(void *ud, const char *id, const char *name)
{
    json_t *a = ud;
    if (json_array_size(a) >= 500)
        return 1;
    json_array_append_new(a, json_pack("{s:s,s:s}", "id", id, "name", name ? name : ""));
    return 0;
}

/* GET /api/connectors/search?provider=ID&q=WORDS: the dataflows whose name (in the request's
 * language, else English) holds every word, at most 500 */
void sol__api_connectors_search(const sol_req *q, sol_reply *r)
{
    const sol_provider *p = provider_arg(q, r);
    if (p == NULL)
        return;
    const char *words = q->arg(q->conn, "q");
    if (words == NULL || !*words) {
        sol__reply_error(r, 400, "type a few words to search for, e.g. ?q=nidi");
        return;
    }
    sol_net_opts net;
    char cache[4096];
    net_of(q, &net, cache, sizeof cache);
    json_t *a = json_array();
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = sol_connect_search(p->id, NULL, words, sol_lang_current(), &net, on_hit, a, &e);
    if (rc != SOL_OK) {
        json_decref(a);
        reply_err(r, rc == SOL_ENOTFOUND ? 404 : rc == SOL_EIO ? 502 : sol__http_status(rc), &e);
        return;
    }
    sol__reply_json(r, 200, json_pack("{s:s,s:o}", "provider", p->id, "dataflows", a), 0);
}

/* GET /api/connectors/structure?provider=ID&dataflow=ID: the dataflow's name and dimensions in
 * key order, each with its codes and names when the provider gives them, which one is the
 * areas (geo) and which the time */
void sol__api_connectors_structure(const sol_req *q, sol_reply *r)
{
    const sol_provider *p = provider_arg(q, r);
    if (p == NULL)
        return;
    const char *df = q->arg(q->conn, "dataflow");
    if (df == NULL || !*df) {
        sol__reply_error(r, 400, "say which dataflow: ?dataflow=ID");
        return;
    }
    sol_net_opts net;
    char cache[4096];
    net_of(q, &net, cache, sizeof cache);
    sol_error e;
    sol_error_clear(&e);
    sol_sdmx_structure *s = NULL;
    sol_status rc = sol_connect_structure(p->id, NULL, df, 1, &net, &s, &e);
    if (rc != SOL_OK) {
        reply_err(r, rc == SOL_EIO ? 502 : sol__http_status(rc), &e);
        return;
    }
    sol_lang l = sol_lang_current();
    const sol_sdmx_dataflow *f = sol_sdmx_dataflow_find(s, df);
    const sol_sdmx_dsd *d = f ? sol_sdmx_dsd_find(s, f->dsd) : NULL;
    if (d == NULL) {
        sol_sdmx_structure_free(s);
        sol__reply_error(r, 404, "dataflow %s: its structure was not found", df);
        return;
    }
    static const char *const geo[] = {"REF_AREA", "GEO", "geo", "ITTER107", "COUNTRY", NULL};
    const char *area = NULL;
    for (size_t g = 0; geo[g] && !area; g++)
        for (size_t i = 0; i < d->ndim && !area; i++)
            if (strcmp(d->dim[i].id, geo[g]) == 0)
                area = geo[g];
    json_t *dims = json_array();
    for (size_t i = 0; i < d->ndim; i++) {
        const sol_sdmx_dimension *x = &d->dim[i];
        const sol_sdmx_codelist *cl = sol_sdmx_codelist_find(s, x->codelist);
        const char *cn = cl ? sol_sdmx_name(&cl->name, l) : NULL;
        json_t *codes = json_array();
        for (size_t k = 0; cl && k < cl->ncode; k++) {
            const char *n = sol_sdmx_name(&cl->code[k].name, l);
            json_array_append_new(codes,
                                  json_pack("{s:s,s:s}", "id", cl->code[k].id, "name", n ? n : ""));
        }
        json_array_append_new(dims,
                              json_pack("{s:s,s:s,s:i,s:b,s:b,s:o}", "id", x->id, "name",
                                        cn ? cn : "", "position", x->position, "time", x->is_time,
                                        "geo", area && strcmp(area, x->id) == 0, "codes", codes));
    }
    const char *fn = sol_sdmx_name(&f->name, l);
    json_t *j = json_pack("{s:s,s:s,s:s,s:o}", "provider", p->id, "dataflow", f->id, "name",
                          fn ? fn : "", "dimensions", dims);
    sol_sdmx_structure_free(s);
    sol__reply_json(r, 200, j, 0);
}

static const char *opt_str(json_t *body, const char *k, int *bad)
{
    json_t *v = json_object_get(body, k);
    if (v == NULL || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        *bad = 1;
        return NULL;
    }
    return json_string_value(v);
}

/* "choices": [[codes of dimension 1], [codes of dimension 2], ...] in key order (time left
 * out; an empty list: every code) as a key "A.001001+001002.AUTP"; NULL when malformed */
static char *key_of(json_t *ch)
{
    if (!json_is_array(ch))
        return NULL;
    size_t cap = 64, len = 0;
    char *k = malloc(cap);
    if (k == NULL)
        return NULL;
    k[0] = '\0';
    size_t i, j;
    json_t *dim, *c;
    json_array_foreach(ch, i, dim)
    {
        if (!json_is_array(dim)) {
            free(k);
            return NULL;
        }
        json_array_foreach(dim, j, c)
        {
            const char *s = json_string_value(c);
            if (s == NULL || !*s || strpbrk(s, ".+/ ") != NULL) {
                free(k);
                return NULL;
            }
            size_t need = len + strlen(s) + 3;
            if (need > cap) {
                while (cap < need)
                    cap *= 2;
                char *nk = realloc(k, cap);
                if (nk == NULL) {
                    free(k);
                    return NULL;
                }
                k = nk;
            }
            len += (size_t)snprintf(k + len, cap - len, "%s%s", j ? "+" : "", s);
        }
        if (i + 1 < json_array_size(ch)) {
            if (len + 2 > cap) {
                char *nk = realloc(k, cap *= 2);
                if (nk == NULL) {
                    free(k);
                    return NULL;
                }
                k = nk;
            }
            k[len++] = '.';
            k[len] = '\0';
        }
    }
    return k;
}

/* POST /api/connectors {name, provider, dataflow, key | choices, start, every ("never",
 * "weekly", "monthly" or seconds), level, indicator (the code prefix of its indicators),
 * add_areas, skip_unknown_areas}: checked against the
 * provider's structure as `solidata connect add` does, stored with its audit row in one
 * transaction; 201, else 400/404/409 with the store unchanged */
void sol__api_connectors_add(const sol_req *q, sol_reply *r)
{
    json_t *body = sol__body_json(q, r);
    if (body == NULL)
        return;
    int bad = 0;
    sol_connector_def d;
    memset(&d, 0, sizeof d);
    d.name = opt_str(body, "name", &bad);
    d.provider = opt_str(body, "provider", &bad);
    d.dataflow = opt_str(body, "dataflow", &bad);
    d.key = opt_str(body, "key", &bad);
    d.start = opt_str(body, "start", &bad);
    d.level = opt_str(body, "level", &bad);
    d.indicator = opt_str(body, "indicator", &bad);
    if (d.indicator && !*d.indicator)
        d.indicator = NULL;
    const char *every = opt_str(body, "every", &bad);
    char *key = NULL;
    json_t *ch = json_object_get(body, "choices");
    if (bad) {
        sol__reply_error(
            r, 400,
            "name, provider, dataflow, key, start, every, level and indicator must be text");
        goto out;
    }
    if (!d.name || !*d.name || !d.provider || !*d.provider || !d.dataflow || !*d.dataflow) {
        sol__reply_error(r, 400,
                         "give the connector a name, and choose a publisher and what to "
                         "fetch");
        goto out;
    }
    if (ch && !json_is_null(ch) && (!d.key || !*d.key)) {
        if ((key = key_of(ch)) == NULL) {
            sol__reply_error(r, 400,
                             "\"choices\" must be a list of lists of codes, one per "
                             "dimension");
            goto out;
        }
        d.key = key;
    }
    json_t *ev = json_object_get(body, "every");
    if (json_is_integer(ev) && json_integer_value(ev) >= 0)
        d.every_seconds = json_integer_value(ev);
    else if (every == NULL || !*every || strcmp(every, "never") == 0)
        d.every_seconds = 0;
    else if (strcmp(every, "weekly") == 0)
        d.every_seconds = 7 * 86400;
    else if (strcmp(every, "monthly") == 0)
        d.every_seconds = 30 * 86400;
    else {
        sol__reply_error(r, 400,
                         "\"every\": '%s' is not understood; expected never, weekly or "
                         "monthly",
                         every);
        goto out;
    }
    d.add_areas = json_is_true(json_object_get(body, "add_areas"));
    d.skip_unknown_areas = json_is_true(json_object_get(body, "skip_unknown_areas"));
    d.who = q->who->name;
    sol_error e;
    sol_error_clear(&e);
    const sol_provider *p;
    if (sol_connect_provider(d.provider, &p, &e) != SOL_OK) {
        reply_err(r, 400, &e);
        goto out;
    }
    sol_net_opts net;
    char cache[4096];
    net_of(q, &net, cache, sizeof cache);
    sol_status rc = sol_connect_add(q->st, &d, &net, &e);
    if (rc != SOL_OK) {
        reply_err(r, rc == SOL_EDUPLICATE ? 409 : rc == SOL_EIO ? 502 : sol__http_status(rc), &e);
        goto out;
    }
    char *s = NULL;
    if (sol_connect_list_json(q->st, d.name, &s, &e) != SOL_OK) {
        reply_err(r, 500, &e);
        goto out;
    }
    sol__reply_json(r, 201, json_pack("{s:o}", "connector", json_loads(s, 0, NULL)), 0);
    sol_free(s);
out:
    free(key);
    json_decref(body);
}

/* POST /api/connectors/remove {"name"}: the connector and its fetch history (audited); its
 * source and values stay */
void sol__api_connectors_remove(const sol_req *q, sol_reply *r)
{
    json_t *body = sol__body_json(q, r);
    if (body == NULL)
        return;
    const char *name = json_string_value(json_object_get(body, "name"));
    if (name == NULL || !*name) {
        json_decref(body);
        sol__reply_error(r, 400, "\"name\" must be a connector's name");
        return;
    }
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = sol_connect_remove(q->st, name, q->who->name, &e);
    json_decref(body);
    if (rc != SOL_OK) {
        reply_err(r, sol__http_status(rc), &e);
        return;
    }
    sol__reply_json(r, 200, json_pack("{s:b}", "removed", 1), 0);
}
