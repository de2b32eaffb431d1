/* api_publish.c - drafts and publication over HTTP: POST /api/publish (a source or a run made
 * public, or a draft again) and GET /api/drafts (what analysts see and the public does not). */
#include "server_int.h"

#include <solidata/store.h>

#include <jansson.h>
#include <string.h>

/* POST /api/publish {"kind": "source"|"run", "name": NAME (source) | "id": ID (run),
 * "publish": true|false (default true), "confirm_own_records": true|false (default false)}:
 * 200 {"kind", "name"|"id", "published", "changed"}; 400 bad body, 403 refused (a licence that
 * forbids publication, own records not confirmed), 404 unknown source or run. */
void sol__api_publish(const sol_req *q, sol_reply *r)
{
    json_t *body = sol__body_json(q, r);
    if (body == NULL)
        return;
    const char *kind = json_string_value(json_object_get(body, "kind"));
    const char *name = json_string_value(json_object_get(body, "name"));
    json_t *id = json_object_get(body, "id");
    json_t *pub = json_object_get(body, "publish");
    json_t *confirm = json_object_get(body, "confirm_own_records");
    int is_source = kind && strcmp(kind, "source") == 0, is_run = kind && strcmp(kind, "run") == 0;
    if (!is_source && !is_run) {
        sol__reply_error(r, 400, "give \"kind\": \"source\" or \"run\"");
        goto out;
    }
    if ((is_source && (name == NULL || *name == '\0')) ||
        (is_run && (!json_is_integer(id) || json_integer_value(id) <= 0))) {
        sol__reply_error(r, 400, "give the source's \"name\" or the run's \"id\" (a number)");
        goto out;
    }
    if ((pub && !json_is_boolean(pub)) || (confirm && !json_is_boolean(confirm))) {
        sol__reply_error(r, 400, "\"publish\" and \"confirm_own_records\" are true or false");
        goto out;
    }
    sol_publish_req req = {.kind = kind,
                           .name = is_source ? name : NULL,
                           .id = is_run ? (int64_t)json_integer_value(id) : 0,
                           .publish = pub ? json_is_true(pub) : 1,
                           .confirm_own_records = confirm && json_is_true(confirm),
                           .who = q->who->name};
    sol_error e;
    sol_error_clear(&e);
    int changed = 0;
    sol_status rc = sol_store_publish(q->st, &req, &changed, &e);
    if (rc != SOL_OK) {
        sol__reply_error(r, sol__http_status(rc), "%s", e.msg);
        goto out;
    }
    json_t *o =
        json_pack("{s:s,s:b,s:b}", "kind", kind, "published", req.publish, "changed", changed);
    if (o && is_source)
        json_object_set_new(o, "name", json_string(name));
    else if (o)
        json_object_set_new(o, "id", json_integer((json_int_t)req.id));
    sol__reply_json(r, 200, o, 0);
out:
    json_decref(body);
}

static int on_draft(void *ud, const sol_draft *d)
{
    json_t *o = json_pack("{s:s,s:I,s:s,s:b,s:s}", "kind", d->kind, "id", (json_int_t)d->id, "name",
                          d->name, "own_records", d->own_records, "at", d->at);
    if (o && d->version)
        json_object_set_new(o, "version", json_integer(d->version));
    if (o && d->licence)
        json_object_set_new(o, "licence", json_string(d->licence));
    return o == NULL || json_array_append_new(ud, o) != 0;
}

/* GET /api/drafts: {"drafts": [{"kind": "source"|"run", "id", "name" (source name or run kind),
 * "version" (sources), "licence" (when stated), "own_records", "at"}, ...], "auto_publish"}. */
void sol__api_drafts(const sol_req *q, sol_reply *r)
{
    json_t *a = json_array();
    sol_error e;
    sol_error_clear(&e);
    int aut = 0;
    sol_status rc = a ? sol_store_drafts(q->st, on_draft, a, &e) : SOL_ENOMEM;
    if (rc == SOL_OK)
        rc = sol_store_publish_auto(q->st, &aut, &e);
    if (rc != SOL_OK) {
        json_decref(a);
        sol__reply_error(r, sol__http_status(rc), "%s", e.msg);
        return;
    }
    sol__reply_json(r, 200, json_pack("{s:o,s:b}", "drafts", a, "auto_publish", aut), 0);
}
