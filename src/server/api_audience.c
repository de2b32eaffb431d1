/* api_audience.c - audiences over the API: the published cards like an ad library (GET
 * /api/audiences, analysts also see drafts), one card in the request's language (GET
 * /api/audiences/NAME), its places for advertising platforms (NAME/places.csv) and its map
 * (NAME/map.svg); an analyst defines (POST /api/audiences, with a preview) and publishes (POST
 * /api/audiences/publish); the gap between eligible and receiving people (GET /api/takeup). */
#include "server_int.h"

#include <solidata/i18n.h>
#include <solidata/run_outreach.h>
#include <solidata/store_audience.h>
#include <solidata/withhold.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reply_rc(sol_reply *r, sol_status rc, const sol_error *e, int bad_request)
{
    char msg[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
    sol_error_format(e, msg, sizeof msg);
    unsigned code = sol__http_status(rc);
    /* a rule naming what the store lacks is a bad request of the person defining it */
    if (bad_request && (code == 404 || code == 409))
        code = rc == SOL_EDUPLICATE ? 409 : 400;
    sol__reply_error(r, code, "%s", msg);
}

static void reply_text(sol_reply *r, const char *ctype, char *body, size_t len)
{
    r->status = 200;
    r->ctype = ctype;
    r->body = body;
    r->len = len;
    r->cacheable = 0;
}

/* a copy made with malloc (the reply's body is freed with free) */
static char *dup_malloc(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

void sol__api_audiences(const sol_req *q, sol_reply *r)
{
    sol_error e;
    sol_error_clear(&e);
    char *s = NULL;
    sol_status rc =
        sol_run_audience_list(q->st, sol_lang_current(), sol_withhold_sees(q->who->role), &s, &e);
    if (rc != SOL_OK) {
        reply_rc(r, rc, &e, 0);
        return;
    }
    json_t *j = json_loads(s, 0, NULL);
    sol_free(s);
    sol__reply_json(r, j ? 200 : 500, j, 0);
}

void sol__api_audience(const sol_req *q, sol_reply *r)
{
    sol_error e;
    sol_error_clear(&e);
    char name[80];
    const char *tail = q->tail ? q->tail : "";
    const char *slash = strchr(tail, '/');
    size_t n = slash ? (size_t)(slash - tail) : strlen(tail);
    if (n == 0 || n >= sizeof name) {
        sol__reply_error(r, 404, "no such audience");
        return;
    }
    memcpy(name, tail, n);
    name[n] = '\0';
    const char *what = slash ? slash + 1 : "";
    int drafts = sol_withhold_sees(q->who->role);
    sol_status rc;
    if (*what == '\0') {
        char *s = NULL;
        if ((rc = sol_run_audience_card(q->st, name, sol_lang_current(), drafts, &s, &e)) !=
            SOL_OK) {
            reply_rc(r, rc, &e, 0);
            return;
        }
        json_t *j = json_loads(s, 0, NULL);
        sol_free(s);
        sol__reply_json(r, j ? 200 : 500, j, 0);
    } else if (strcmp(what, "places.csv") == 0 || strcmp(what, "radius.csv") == 0 ||
               strcmp(what, "areas.csv") == 0) {
        sol_audience_format f = what[0] == 'p'   ? SOL_AUDIENCE_PLACES
                                : what[0] == 'r' ? SOL_AUDIENCE_RADIUS
                                                 : SOL_AUDIENCE_CSV;
        const char *region = q->arg(q->conn, "region"), *country = q->arg(q->conn, "country");
        char *csv = NULL;
        size_t len = 0;
        if ((region && strlen(region) > 200) || (country && strlen(country) > 200)) {
            sol__reply_error(r, 400, "region and country are names of at most 200 bytes");
            return;
        }
        if ((rc = sol_run_audience_export(q->st, name, f, region, country, drafts, &csv, &len,
                                          &e)) != SOL_OK) {
            reply_rc(r, rc, &e, 0);
            return;
        }
        char *body = dup_malloc(csv, len);
        sol_free(csv);
        if (body == NULL) {
            sol__reply_error(r, 500, "out of memory");
            return;
        }
        reply_text(r, "text/csv; charset=utf-8", body, len);
    } else if (strcmp(what, "map.svg") == 0) {
        char *svg = NULL;
        size_t len = 0;
        if ((rc = sol_run_audience_map_svg(q->st, name, sol_lang_current(), drafts, &svg, &len,
                                           &e)) != SOL_OK) {
            reply_rc(r, rc, &e, 0);
            return;
        }
        char *body = dup_malloc(svg, len);
        sol_free(svg);
        if (body == NULL) {
            sol__reply_error(r, 500, "out of memory");
            return;
        }
        reply_text(r, "image/svg+xml; charset=utf-8", body, len);
    } else
        sol__reply_error(r, 404,
                         "no such page of an audience: %s (card, places.csv, radius.csv, "
                         "areas.csv, map.svg)",
                         what);
}

void sol__api_audience_define(const sol_req *q, sol_reply *r)
{
    json_t *body = sol__body_json(q, r);
    if (body == NULL)
        return;
    sol_error e;
    sol_error_clear(&e);
    json_t *rule = json_object_get(body, "rule");
    const char *name = json_string_value(json_object_get(body, "name"));
    json_t *purpose = json_object_get(body, "purpose");
    if (name == NULL || !(json_is_string(rule) || json_is_object(rule)) ||
        (purpose && !json_is_null(purpose) && !json_is_string(purpose))) {
        json_decref(body);
        sol__reply_error(r, 400,
                         "expected {\"name\": NAME, \"rule\": TEXT or {...}, \"purpose\": TEXT, "
                         "\"drop_small\": false, \"preview\": false}");
        return;
    }
    char *rule_text =
        json_is_string(rule) ? strdup(json_string_value(rule)) : json_dumps(rule, JSON_COMPACT);
    sol_audience_job j;
    sol_run_audience_job_init(&j);
    j.name = name;
    j.rule = rule_text;
    j.purpose = json_string_value(purpose);
    j.who = q->who->name;
    j.drop_small = json_is_true(json_object_get(body, "drop_small"));
    j.preview = json_is_true(json_object_get(body, "preview"));
    sol_audience_output *o = NULL;
    sol_status rc = rule_text ? sol_run_audience_define(q->st, &j, &o, &e) : (sol_status)SOL_ENOMEM;
    free(rule_text);
    if (rc != SOL_OK) {
        json_decref(body);
        reply_rc(r, rc, &e, 1);
        return;
    }
    json_t *out = NULL;
    if (j.preview) {
        out = json_loads(o->card, 0, NULL);
        if (out)
            json_object_set_new(out, "preview", json_true());
    } else {
        char *s = NULL;
        if (sol_run_audience_card(q->st, name, sol_lang_current(), 1, &s, &e) == SOL_OK)
            out = json_loads(s, 0, NULL);
        sol_free(s);
    }
    json_t *notes = json_array();
    for (size_t i = 0; i < o->n_notes; i++)
        json_array_append_new(notes, json_string(o->notes[i]));
    if (out)
        json_object_set_new(out, "notes", notes);
    else
        json_decref(notes);
    sol_audience_output_free(o);
    json_decref(body);
    sol__reply_json(r, out ? (j.preview ? 200 : 201) : 500, out, 0);
}

void sol__api_audience_publish(const sol_req *q, sol_reply *r)
{
    json_t *body = sol__body_json(q, r);
    if (body == NULL)
        return;
    const char *name = json_string_value(json_object_get(body, "name"));
    json_t *pub = json_object_get(body, "publish");
    if (name == NULL || (pub && !json_is_boolean(pub))) {
        json_decref(body);
        sol__reply_error(r, 400, "expected {\"name\": NAME, \"publish\": true or false}");
        return;
    }
    int on = pub == NULL || json_is_true(pub), changed = 0;
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = sol_run_audience_publish(q->st, name, on, q->who->name, &changed, &e);
    if (rc != SOL_OK) {
        json_decref(body);
        reply_rc(r, rc, &e, 0);
        return;
    }
    sol__reply_json(
        r, 200, json_pack("{s:s, s:b, s:b}", "name", name, "published", on, "changed", changed), 0);
    json_decref(body);
}

void sol__api_takeup(const sol_req *q, sol_reply *r)
{
    sol_takeup_job j;
    sol_run_takeup_job_init(&j);
    j.eligible = q->arg(q->conn, "eligible");
    j.receiving = q->arg(q->conn, "receiving");
    j.level = q->arg(q->conn, "level");
    j.period = q->arg(q->conn, "period");
    const char *mz = q->arg(q->conn, "missing_as_zero");
    j.missing_zero = mz && strcmp(mz, "1") == 0;
    if (j.eligible == NULL || j.receiving == NULL) {
        sol__reply_error(r, 400, "expected ?eligible=RULE-OR-CODE&receiving=CODE[&level=L]");
        return;
    }
    sol_error e;
    sol_error_clear(&e);
    sol_takeup_output *o = NULL;
    sol_status rc = sol_run_takeup(q->st, &j, &o, &e);
    if (rc != SOL_OK) {
        reply_rc(r, rc, &e, 1);
        return;
    }
    json_t *out = json_loads(o->json, 0, NULL);
    if (out) {
        json_t *notes = json_array();
        for (size_t i = 0; i < o->n_notes; i++)
            json_array_append_new(notes, json_string(o->notes[i]));
        json_object_set_new(out, "notes", notes);
    }
    sol_takeup_output_free(o);
    sol__reply_json(r, out ? 200 : 500, out, 0);
}

/* POST /api/audiences/k (administrators): {"k": N} the minimum audience cell size, {"special":
 * "code,code"} the organisation's list of special-category indicators; each with its audit row */
void sol__api_audience_k(const sol_req *q, sol_reply *r)
{
    json_t *body = sol__body_json(q, r);
    if (body == NULL)
        return;
    json_t *k = json_object_get(body, "k"), *sp = json_object_get(body, "special");
    if ((k && (!json_is_integer(k) || json_integer_value(k) < 1 ||
               json_integer_value(k) > 1000000000)) ||
        (sp && !json_is_string(sp)) || (!k && !sp)) {
        json_decref(body);
        sol__reply_error(r, 400,
                         "expected {\"k\": a whole number of persons from 1 to 1000000000} "
                         "and/or {\"special\": \"code,code\"}");
        return;
    }
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = SOL_OK;
    if (k)
        rc = sol_store_audience_k_set(q->st, (int64_t)json_integer_value(k), q->who->name, &e);
    if (rc == SOL_OK && sp)
        rc = sol_store_audience_special_set(q->st, json_string_value(sp), q->who->name, &e);
    json_decref(body);
    int64_t now = 0;
    if (rc == SOL_OK)
        rc = sol_store_audience_k(q->st, &now, &e);
    if (rc != SOL_OK) {
        reply_rc(r, rc, &e, 1);
        return;
    }
    sol__reply_json(r, 200, json_pack("{s:I}", "k", (json_int_t)now), 0);
}
