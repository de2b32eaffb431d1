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
    json_t *j = json_pack("{s:o}", "connectors", json_loads(s, 0, NULL));
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
