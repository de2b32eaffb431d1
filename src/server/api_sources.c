/* api_sources.c - the dashboard's corrections after import, for analysts: the sources with their
 * versions, a source removed or a version restored, an indicator's labels, unit, polarity,
 * dimension and kind changed. Each change is the run layer's (src/run/sources.c), audited under
 * the signed-in account. */
#include "server_int.h"

#include <solidata/run_sources.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void reply_failure(sol_reply *r, sol_status rc, const sol_error *e)
{
    char msg[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
    sol_error_format(e, msg, sizeof msg);
    sol__reply_error(r, sol__http_status(rc), "%s", msg);
}

/* A JSON text from the run layer as the reply (taking it). */
static void reply_text(sol_reply *r, char *text)
{
    json_t *j = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    if (j == NULL) {
        sol__reply_error(r, 500, "out of memory");
        return;
    }
    sol__reply_json(r, 200, j, 0);
}

/* A string member of the body: its text, NULL when absent; *bad set (and a 400 in r) when it is
 * there but not a string. */
static const char *opt_string(json_t *body, const char *key, int *bad, sol_reply *r)
{
    json_t *v = json_object_get(body, key);
    if (v == NULL || *bad)
        return NULL;
    if (!json_is_string(v)) {
        sol__reply_error(r, 400, "\"%s\" must be a string", key);
        *bad = 1;
        return NULL;
    }
    return json_string_value(v);
}

static const char *need_string(json_t *body, const char *key, int *bad, sol_reply *r)
{
    const char *s = opt_string(body, key, bad, r);
    if (s == NULL && !*bad) {
        sol__reply_error(r, 400, "the request body needs \"%s\" as a string", key);
        *bad = 1;
    }
    return s;
}

/* GET /api/sources[?name=NAME] */
void sol__api_sources(const sol_req *q, sol_reply *r)
{
    sol_error e;
    sol_error_clear(&e);
    const char *name = q->arg(q->conn, "name");
    char *text = NULL;
    sol_status rc = sol_run_sources_json(q->st, name && *name ? name : NULL, &text, &e);
    if (rc != SOL_OK) {
        free(text);
        reply_failure(r, rc, &e);
        return;
    }
    reply_text(r, text);
}

/* the change as the reply: {"name", "status", "version", "values", "depends",
 * "suppressed_primary", "suppressed_secondary"} */
static void reply_change(sol_reply *r, const char *name, const char *status,
                         const sol_source_change *c)
{
    json_t *dep = c->depends ? json_loads(c->depends, 0, NULL) : NULL;
    json_t *j =
        json_pack("{s:s,s:s,s:i,s:I,s:o,s:I,s:I}", "name", name, "status", status, "version",
                  c->version, "values", (json_int_t)c->values, "depends", dep ? dep : json_null(),
                  "suppressed_primary", (json_int_t)c->suppressed_primary, "suppressed_secondary",
                  (json_int_t)c->suppressed_secondary);
    if (j == NULL) {
        sol__reply_error(r, 500, "out of memory");
        return;
    }
    sol__reply_json(r, 200, j, 0);
}

/* POST /api/sources/remove {"name"} */
void sol__api_sources_remove(const sol_req *q, sol_reply *r)
{
    json_t *body = sol__body_json(q, r);
    if (body == NULL)
        return;
    int bad = 0;
    const char *name = need_string(body, "name", &bad, r);
    if (bad) {
        json_decref(body);
        return;
    }
    sol_error e;
    sol_error_clear(&e);
    sol_source_change c;
    sol_status rc = sol_run_source_remove(q->st, name, q->who->name, &c, &e);
    if (rc == SOL_OK)
        reply_change(r, name, "removed", &c);
    else
        reply_failure(r, rc, &e);
    sol_source_change_clear(&c);
    json_decref(body);
}

/* POST /api/sources/restore {"name", "version"} */
void sol__api_sources_restore(const sol_req *q, sol_reply *r)
{
    json_t *body = sol__body_json(q, r);
    if (body == NULL)
        return;
    int bad = 0;
    const char *name = need_string(body, "name", &bad, r);
    json_t *v = json_object_get(body, "version");
    if (!bad &&
        (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 1000000)) {
        sol__reply_error(r, 400, "the request body needs \"version\" as a whole number >= 1");
        bad = 1;
    }
    if (bad) {
        json_decref(body);
        return;
    }
    sol_error e;
    sol_error_clear(&e);
    sol_source_change c;
    sol_status rc =
        sol_run_source_restore(q->st, name, (int)json_integer_value(v), q->who->name, &c, &e);
    if (rc == SOL_OK)
        reply_change(r, name, "current", &c);
    else
        reply_failure(r, rc, &e);
    sol_source_change_clear(&c);
    json_decref(body);
}

/* POST /api/indicators/edit {"code", "label", "label_en", "label_fr", "label_it", "unit",
 * "polarity", "dimension", "kind"} */
void sol__api_indicators_edit(const sol_req *q, sol_reply *r)
{
    json_t *body = sol__body_json(q, r);
    if (body == NULL)
        return;
    int bad = 0;
    const char *code = need_string(body, "code", &bad, r);
    sol_indicator_change c = {
        .label = opt_string(body, "label", &bad, r),
        .label_en = opt_string(body, "label_en", &bad, r),
        .label_fr = opt_string(body, "label_fr", &bad, r),
        .label_it = opt_string(body, "label_it", &bad, r),
        .unit = opt_string(body, "unit", &bad, r),
        .polarity = opt_string(body, "polarity", &bad, r),
        .dimension = opt_string(body, "dimension", &bad, r),
        .kind = opt_string(body, "kind", &bad, r),
    };
    if (bad) {
        json_decref(body);
        return;
    }
    sol_error e;
    sol_error_clear(&e);
    char *text = NULL;
    sol_status rc = sol_run_indicator_edit(q->st, code, &c, q->who->name, &text, &e);
    json_decref(body);
    if (rc != SOL_OK) {
        free(text);
        /* a refused value names its field as the command line does ("--label-fr"): here as
         * the body's member ("label_fr") */
        if (e.where[0] == '-' && e.where[1] == '-') {
            size_t n = strlen(e.where);
            memmove(e.where, e.where + 2, n - 1);
            for (char *p = e.where; *p; p++)
                if (*p == '-')
                    *p = '_';
        }
        reply_failure(r, rc, &e);
        return;
    }
    reply_text(r, text);
}
