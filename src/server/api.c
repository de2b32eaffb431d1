/* api.c - the JSON API over the store: areas (GeoJSON), indicators, observations, catalog,
 * runs with their method cards, an area's profile, analyst exports; and the route table with the
 * minimum role of every route, checked in one place (sol__route_check). */
#include "run/run_int.h"
#include "server_int.h"
#include "workspace_int.h"

#include <solidata/card.h>

#include <solidata/alerts.h>
#include <solidata/flags.h>
#include <solidata/render.h>
#include <solidata/run.h>
#include <solidata/run_layers.h>
#include <solidata/version.h>
#include <solidata/withhold.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *jnum(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

static const char *polarity_word(int p)
{
    return p > 0 ? "higher_better" : p < 0 ? "lower_better" : NULL;
}

void sol__reply_json(sol_reply *r, unsigned status, json_t *j, int cacheable)
{
    r->status = status;
    r->ctype = "application/json; charset=utf-8";
    r->body =
        j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15)) : NULL;
    r->len = r->body ? strlen(r->body) : 0;
    r->cacheable = cacheable;
    json_decref(j);
    if (r->body == NULL)
        sol__reply_error(r, 500, "out of memory");
}

static void reply_status(sol_reply *r, sol_status rc, const sol_error *e)
{
    char msg[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
    sol_error_format(e, msg, sizeof msg);
    sol__reply_error(r, sol__http_status(rc), "%s", msg);
}

/* ---- /api/areas ------------------------------------------------------------------------------ */

typedef struct area_walk {
    sol_buf *b;
    const char *level;
    size_t n;
    int failed;
} area_walk;

static int on_area(void *ud, const sol_area *a)
{
    area_walk *w = ud;
    if (w->level && strcmp(a->level, w->level) != 0)
        return 0;
    json_t *p = json_pack("{s:s,s:o,s:s,s:o,s:o}", "code", a->code, "name", jstr(a->name), "level",
                          a->level, "parent", jstr(a->parent_code), "level_labels",
                          sol__run_level_names(a->level));
    char *ps = p ? json_dumps(p, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(p);
    if (ps == NULL ||
        sol__buf_addf(w->b, "%s{\"type\":\"Feature\",\"properties\":%s,\"geometry\":%s}",
                      w->n ? "," : "", ps, a->geometry ? a->geometry : "null") != SOL_OK) {
        free(ps);
        w->failed = 1;
        return 1;
    }
    free(ps);
    w->n++;
    return 0;
}

static void api_areas(const sol_req *q, sol_reply *r)
{
    sol_buf b;
    sol__buf_init(&b, 256u << 20);
    area_walk w = {.b = &b, .level = q->arg(q->conn, "level")};
    sol_error e;
    sol_error_clear(&e);
    sol__buf_addf(&b, "{\"type\":\"FeatureCollection\",\"features\":[");
    sol_status rc = sol_store_areas(q->st, 1, on_area, &w, &e);
    if (rc != SOL_OK || w.failed || sol__buf_addf(&b, "]}") != SOL_OK) {
        sol__buf_free(&b);
        if (rc != SOL_OK)
            reply_status(r, rc, &e);
        else
            sol__reply_error(r, 500, "the areas do not fit in a response");
        return;
    }
    r->status = 200;
    r->ctype = "application/geo+json; charset=utf-8";
    r->body = b.data; /* malloc'ed through sol__realloc, freed with free() by the server */
    r->len = b.len;
    r->cacheable = 1;
}

/* ---- /api/indicators, /api/catalog, /api/runs ------------------------------------------------ */

static int on_indicator(void *ud, const sol_indicator *i)
{
    json_t *o =
        json_pack("{s:s,s:o,s:o,s:o,s:o,s:I,s:o,s:o}", "code", i->code, "label", jstr(i->label),
                  "unit", jstr(i->unit), "polarity", jstr(polarity_word(i->polarity)), "dimension",
                  jstr(i->dimension), "observations", (json_int_t)i->n_obs, "first_period",
                  jstr(i->first_period), "last_period", jstr(i->last_period));
    sol__run_indicator_names(o, i);
    json_array_append_new(ud, o);
    return 0;
}

/* code -> the names of the indicator in each language (add_names), for the area profile */
static int on_indicator_names(void *ud, const sol_indicator *i)
{
    json_t *o = json_object();
    sol__run_indicator_names(o, i);
    json_object_set_new(ud, i->code, o);
    return 0;
}

/* code -> the area's name, for lists that give areas by code */
static int on_area_name(void *ud, const sol_area *a)
{
    if (a->name)
        json_object_set_new(ud, a->code, json_string(a->name));
    return 0;
}

static int on_source(void *ud, const sol_source *s)
{
    json_t *o = json_pack("{s:I,s:s,s:i,s:s,s:s,s:o,s:o,s:s,s:I,s:I,s:s,s:s}", "id",
                          (json_int_t)s->id, "name", s->name, "version", s->version, "status",
                          s->status, "connector", s->connector, "licence", jstr(s->licence),
                          "attribution", jstr(s->attribution), "sha256", s->sha256, "rows_read",
                          (json_int_t)s->rows_read, "rows_written", (json_int_t)s->rows_written,
                          "imported_at", s->imported_at, "tool_version", s->tool_version);
    if (o && !s->published) /* only analysts read drafts (docs/publish.md) */
        json_object_set_new(o, "draft", json_true());
    json_array_append_new(ud, o);
    return 0;
}

static json_t *parsed(const char *s)
{
    json_t *j = s ? json_loads(s, 0, NULL) : NULL;
    return j ? j : json_null();
}

typedef struct run_walk {
    json_t *out;
    int role;
    int failed;
} run_walk;

/* A run with its method card as the asker may see it (sol_withhold_card: no digest, location
 * or statistic of withheld values for anyone but analysts). */
static int on_run(void *ud, const sol_run *run)
{
    run_walk *w = ud;
    char *card = NULL;
    if (sol_withhold_card(run->method_card, w->role, &card, NULL) != SOL_OK) {
        w->failed = 1;
        return 1;
    }
    json_t *j = json_pack("{s:I,s:s,s:s,s:o,s:o}", "id", (json_int_t)run->id, "kind", run->kind,
                          "created_at", run->created_at, "created_by", jstr(run->created_by),
                          "method_card", parsed(card));
    /* the same card for a person, in the asker's language (keys and texts translated) */
    char *text = NULL;
    if (j && card && sol_card_localise(card, sol_lang_current(), &text, NULL) == SOL_OK)
        json_object_set_new(j, "method_card_text", parsed(text));
    sol_free(text);
    free(card);
    if (j && !run->published) /* only analysts read drafts (docs/publish.md) */
        json_object_set_new(j, "draft", json_true());
    if (j && run->result && sol_withhold_sees(w->role)) {
        json_object_set_new(j, "spec", parsed(run->spec));
        json_object_set_new(j, "result", parsed(run->result));
    }
    json_array_append_new(w->out, j);
    return 0;
}

/* ---- disclosure control on every public read ------------------------------------------------ */

/* A withheld observation (solidata/withhold.h) reaches those who may see it with its flag, and
 * anyone else as null + flag. */
static json_t *jshown(const sol_req *q, int flags, double x)
{
    return sol_withhold_obs(flags, q->who->role) ? json_null() : jnum(x);
}

typedef struct obs_walk {
    const sol_req *q;
    json_t *out;
    json_t *names; /* observations: area code -> name (may be NULL) */
} obs_walk;

/* ---- /api/observations ----------------------------------------------------------------------- */

static int on_obs(void *ud, const sol_obs *o)
{
    obs_walk *w = ud;
    char flags[128];
    sol_flags_format(o->flags, flags, sizeof flags);
    json_t *name = w->names ? json_object_get(w->names, o->area) : NULL;
    json_array_append_new(w->out, json_pack("{s:s,s:s,s:s,s:o,s:o,s:s,s:O}", "area", o->area,
                                            "period", o->period, "indicator", o->indicator, "value",
                                            jshown(w->q, o->flags, o->value), "se",
                                            jshown(w->q, o->flags, o->se), "flags", flags,
                                            "area_name", name ? name : json_null()));
    return 0;
}

static void api_observations(const sol_req *q, sol_reply *r)
{
    const char *ind = q->arg(q->conn, "indicator"), *period = q->arg(q->conn, "period");
    if (ind == NULL || *ind == '\0') {
        sol__reply_error(r, 400,
                         "give ?indicator=CODE (and optionally &period=P); "
                         "/api/indicators lists the codes");
        return;
    }
    sol_error e;
    sol_error_clear(&e);
    if (!sol_store_has_indicator(q->st, ind)) {
        sol__reply_error(r, 404, "no indicator '%s'", ind);
        return;
    }
    char latest[16];
    if (period == NULL || *period == '\0') {
        sol_status rc = sol_store_latest_period(q->st, ind, latest, &e);
        if (rc != SOL_OK) {
            reply_status(r, rc, &e);
            return;
        }
        period = latest;
    } else if (!sol_store_has_period(q->st, period)) {
        sol__reply_error(r, 404, "no period '%s'", period);
        return;
    }
    json_t *vals = json_array();
    obs_walk ow = {q, vals, json_object()};
    sol_status rc = sol_store_areas(q->st, 0, on_area_name, ow.names, &e);
    if (rc == SOL_OK)
        rc = sol_store_observations(q->st, ind, period, on_obs, &ow, &e);
    json_decref(ow.names);
    if (rc != SOL_OK) {
        json_decref(vals);
        reply_status(r, rc, &e);
        return;
    }
    sol__reply_json(
        r, 200, json_pack("{s:s,s:s,s:o}", "indicator", ind, "period", period, "values", vals), 1);
}

/* ---- /api/areas/CODE/profile ----------------------------------------------------------------- */

static int on_profile(void *ud, const sol_profile_row *p)
{
    obs_walk *w = ud;
    char flags[128];
    sol_flags_format(p->flags, flags, sizeof flags);
    int hide = sol_withhold_obs(p->flags, w->q->who->role);
    json_array_append_new(
        w->out,
        json_pack("{s:s,s:o,s:o,s:o,s:o,s:s,s:o,s:o,s:s,s:o,s:I}", "indicator", p->indicator,
                  "label", jstr(p->label), "unit", jstr(p->unit), "dimension", jstr(p->dimension),
                  "polarity", jstr(polarity_word(p->polarity)), "period", p->period, "value",
                  jshown(w->q, p->flags, p->value), "se", jshown(w->q, p->flags, p->se), "flags",
                  flags, "rank_desc", hide ? json_null() : json_integer(p->rank_desc), "n_areas",
                  (json_int_t)p->n_areas));
    return 0;
}

typedef struct series_walk {
    const sol_req *q;
    json_t *by_ind; /* indicator -> [[period, value], ...] */
} series_walk;

static int on_series(void *ud, const sol_obs *o)
{
    series_walk *w = ud;
    json_t *a = json_object_get(w->by_ind, o->indicator);
    if (a == NULL) {
        a = json_array();
        json_object_set_new(w->by_ind, o->indicator, a);
    }
    json_t *pt = json_pack("[s,o]", o->period, jshown(w->q, o->flags, o->value));
    if (sol_withhold_obs(o->flags, SOL_ROLE_PUBLIC)) /* [period, value or null, "suppressed"] */
        json_array_append_new(pt, json_string("suppressed"));
    json_array_append_new(a, pt);
    return 0;
}

typedef struct one_area {
    const char *code;
    json_t *j;
} one_area;

static int on_one_area(void *ud, const sol_area *a)
{
    one_area *o = ud;
    if (strcmp(a->code, o->code) != 0)
        return 0;
    o->j =
        json_pack("{s:s,s:o,s:s,s:o,s:[o,o],s:o}", "code", a->code, "name", jstr(a->name), "level",
                  a->level, "parent", jstr(a->parent_code), "centroid", jnum(a->centroid[0]),
                  jnum(a->centroid[1]), "level_labels", sol__run_level_names(a->level));
    return 1;
}

static void profile_of(const sol_req *q, const char *code, sol_reply *r)
{
    sol_error e;
    sol_error_clear(&e);
    one_area oa = {.code = code};
    sol_status rc = sol_store_areas(q->st, 0, on_one_area, &oa, &e);
    if (rc == SOL_OK && oa.j == NULL) {
        sol__reply_error(r, 404, "no area with code '%s'", code);
        return;
    }
    json_t *rows = json_array(), *names = json_object();
    series_walk w = {.q = q, .by_ind = json_object()};
    obs_walk pw = {q, rows, NULL};
    if (rc == SOL_OK)
        rc = sol_store_area_profile(q->st, code, on_profile, &pw, &e);
    if (rc == SOL_OK)
        rc = sol_store_area_series(q->st, code, NULL, on_series, &w, &e);
    if (rc == SOL_OK)
        rc = sol_store_indicators(q->st, on_indicator_names, names, &e);
    if (rc != SOL_OK) {
        json_decref(oa.j);
        json_decref(rows);
        json_decref(names);
        json_decref(w.by_ind);
        reply_status(r, rc, &e);
        return;
    }
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *ind = json_string_value(json_object_get(row, "indicator"));
        json_t *s = ind ? json_object_get(w.by_ind, ind) : NULL;
        if (s)
            json_object_set(row, "series", s);
        json_t *nm = ind ? json_object_get(names, ind) : NULL;
        if (nm)
            json_object_update(row, nm); /* labels, label_origin, units, dimension_labels */
    }
    json_decref(names);
    json_decref(w.by_ind);
    sol__reply_json(r, 200, json_pack("{s:o,s:o}", "area", oa.j, "indicators", rows), 1);
}

/* ---- the routes ------------------------------------------------------------------------------ */

static void api_health(const sol_req *q, sol_reply *r)
{
    (void)q;
    sol__reply_json(r, 200, json_pack("{s:s,s:s}", "status", "ok", "version", SOL_VERSION_STRING),
                    0);
}

/* indicator -> {level -> {period -> n_areas}} */
static int on_coverage(void *ud, const char *ind, const char *level, const char *period, int64_t n)
{
    json_t *by_ind = ud, *lv, *per;
    if ((lv = json_object_get(by_ind, ind)) == NULL) {
        lv = json_object();
        json_object_set_new(by_ind, ind, lv);
    }
    if ((per = json_object_get(lv, level)) == NULL) {
        per = json_object();
        json_object_set_new(lv, level, per);
    }
    json_object_set_new(per, period, json_integer((json_int_t)n));
    return 0;
}

static void api_indicators(const sol_req *q, sol_reply *r)
{
    sol_error e;
    sol_error_clear(&e);
    json_t *a = json_array(), *cov = json_object();
    sol_status rc = sol_store_indicators(q->st, on_indicator, a, &e);
    if (rc == SOL_OK)
        rc = sol_store_coverage(q->st, on_coverage, cov, &e);
    if (rc != SOL_OK) {
        json_decref(a);
        json_decref(cov);
        reply_status(r, rc, &e);
        return;
    }
    size_t i;
    json_t *ind;
    json_array_foreach(a, i, ind)
    {
        json_t *c = json_object_get(cov, json_string_value(json_object_get(ind, "code")));
        json_object_set_new(ind, "coverage", c ? json_incref(c) : json_object());
    }
    json_decref(cov);
    sol__reply_json(r, 200, a, 1);
}

/* The sources holding a withheld observation: {id: true} */
static int on_withheld_source(void *ud, const sol_obs *o)
{
    if (sol_withhold_obs(o->flags, SOL_ROLE_PUBLIC)) {
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)o->source_id);
        json_object_set_new(ud, id, json_true());
    }
    return 0;
}

/* The catalog; for anyone but analysts, the digest of a file holding values withheld from the
 * public is withheld too (guessing the withheld values until the file's digest matches would
 * give them back). */
static void api_catalog(const sol_req *q, sol_reply *r)
{
    sol_error e;
    sol_error_clear(&e);
    json_t *a = json_array(), *hidden = json_object();
    sol_status rc = sol_store_sources(q->st, on_source, a, &e);
    if (rc == SOL_OK && !sol_withhold_sees(q->who->role))
        rc = sol_store_observations(q->st, NULL, NULL, on_withheld_source, hidden, &e);
    size_t i;
    json_t *src;
    json_array_foreach(a, i, src)
    {
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(src, "id")));
        if (json_object_get(hidden, id))
            json_object_set_new(src, "sha256", json_string("withheld"));
    }
    json_decref(hidden);
    if (rc != SOL_OK) {
        json_decref(a);
        reply_status(r, rc, &e);
        return;
    }
    sol__reply_json(r, 200, a, 1);
}

/* The list shows every run's method card (public: what was computed, from what, how); the
 * result itself is the analyst route /api/runs/ID. */
static void api_runs(const sol_req *q, sol_reply *r)
{
    sol_error e;
    sol_error_clear(&e);
    json_t *a = json_array();
    run_walk w = {.out = a, .role = q->who->role};
    sol_status rc = sol_store_runs(q->st, q->arg(q->conn, "kind"), 0, on_run, &w, &e);
    if (rc == SOL_OK && w.failed)
        rc = sol__err(&e, SOL_ENOMEM, "out of memory");
    if (rc != SOL_OK) {
        json_decref(a);
        reply_status(r, rc, &e);
        return;
    }
    sol__reply_json(r, 200, a, 1);
}

static void api_run(const sol_req *q, sol_reply *r)
{
    char *end;
    long long id = strtoll(q->tail, &end, 10);
    if (id <= 0 || *end || !(*q->tail >= '0' && *q->tail <= '9')) {
        sol__reply_error(r, 400, "a run id is a positive integer: /api/runs/ID");
        return;
    }
    sol_error e;
    sol_error_clear(&e);
    json_t *a = json_array();
    run_walk w = {.out = a, .role = q->who->role};
    sol_status rc = sol_store_run_get(q->st, id, on_run, &w, &e);
    if (rc == SOL_OK && w.failed)
        rc = sol__err(&e, SOL_ENOMEM, "out of memory");
    if (rc != SOL_OK)
        reply_status(r, rc, &e);
    else
        sol__reply_json(r, 200, json_incref(json_array_get(a, 0)), 1);
    json_decref(a);
}

static void api_area(const sol_req *q, sol_reply *r)
{
    const char *code = q->tail;
    const char *slash = strchr(code, '/');
    if (slash && strcmp(slash, "/profile") == 0 && slash > code &&
        (size_t)(slash - code) <= SOL_MAX_CODE) {
        char c[SOL_MAX_CODE + 1];
        memcpy(c, code, (size_t)(slash - code));
        c[slash - code] = '\0';
        profile_of(q, c, r);
        return;
    }
    sol__reply_error(r, 404, "no such API route: %s (try /api/areas/CODE/profile)", q->path);
}

/* ---- analyst export: long CSV with standard errors and flags ------------------------------- */

typedef struct csv_walk {
    sol_buf *b;
    int failed;
} csv_walk;

static int on_csv_obs(void *ud, const sol_obs *o)
{
    csv_walk *w = ud;
    char flags[128];
    sol_flags_format(o->flags, flags, sizeof flags);
    /* text through sol__csv_text (quoting and the spreadsheet-formula guard); numbers as numbers */
    sol__csv_text(w->b, o->area);
    sol__buf_addc(w->b, ',');
    sol__csv_text(w->b, o->period);
    sol__buf_addc(w->b, ',');
    sol__csv_text(w->b, o->indicator);
    if (isnan(o->value))
        sol__buf_addf(w->b, ",");
    else
        sol__buf_addf(w->b, ",%.17g", o->value);
    if (isnan(o->se))
        sol__buf_addf(w->b, ",");
    else
        sol__buf_addf(w->b, ",%.17g", o->se);
    sol__buf_addc(w->b, ',');
    sol__csv_text(w->b, flags);
    if (sol__buf_addc(w->b, '\n') != SOL_OK) {
        w->failed = 1;
        return 1;
    }
    return 0;
}

/* GET /api/map.svg?indicator=&period=&classes=&k=&palette=: the server-rendered choropleth */
static void api_map(const sol_req *q, sol_reply *r)
{
    const char *ind = q->arg(q->conn, "indicator");
    if (ind == NULL || *ind == '\0') {
        sol__reply_error(r, 400,
                         "give ?indicator=CODE (and optionally &period=P, &classes=, &k=, "
                         "&palette=)");
        return;
    }
    const char *ks = q->arg(q->conn, "k");
    unsigned k = 5;
    if (ks) {
        char *end;
        unsigned long v = strtoul(ks, &end, 10);
        if (*ks == '\0' || *end || v < 2 || v > 9) {
            sol__reply_error(r, 400, "k=%s: expected 2 to 9 classes", ks);
            return;
        }
        k = (unsigned)v;
    }
    const char *period = q->arg(q->conn, "period");
    sol_map_job o = {.indicator = ind,
                     .period = period && *period ? period : NULL,
                     .classes = q->arg(q->conn, "classes"),
                     .k = k,
                     .palette = q->arg(q->conn, "palette"),
                     .lang = q->arg(q->conn, "lang"),
                     .unsuppressed = sol_withhold_sees(q->who->role)};
    char *svg = NULL;
    size_t len = 0;
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = sol_run_map_svg(q->st, &o, &svg, &len, &e);
    if (rc != SOL_OK) {
        reply_status(r, rc, &e);
        return;
    }
    r->status = 200;
    r->ctype = "image/svg+xml; charset=utf-8";
    r->body = svg; /* sol_free is free() */
    r->len = len;
    r->cacheable = 1;
}

static void api_export(const sol_req *q, sol_reply *r)
{
    const char *ind = q->arg(q->conn, "indicator"), *period = q->arg(q->conn, "period");
    if (ind == NULL || *ind == '\0') {
        sol__reply_error(r, 400, "give ?indicator=CODE (and optionally &period=P)");
        return;
    }
    if (!sol_store_has_indicator(q->st, ind)) {
        sol__reply_error(r, 404, "no indicator '%s'", ind);
        return;
    }
    if (period && *period == '\0')
        period = NULL;
    if (period && !sol_store_has_period(q->st, period)) {
        sol__reply_error(r, 404, "no period '%s'", period);
        return;
    }
    sol_buf b;
    sol__buf_init(&b, 256u << 20);
    csv_walk w = {.b = &b};
    sol_error e;
    sol_error_clear(&e);
    sol__buf_addf(&b, "area,period,indicator,value,se,flags\n");
    sol_status rc = sol_store_observations(q->st, ind, period, on_csv_obs, &w, &e);
    if (rc != SOL_OK || w.failed || b.data == NULL) {
        sol__buf_free(&b);
        if (rc != SOL_OK)
            reply_status(r, rc, &e);
        else
            sol__reply_error(r, 500, "the export does not fit in a response");
        return;
    }
    if (sol__audit(q, q->who->name, "export",
                   json_pack("{s:s,s:o}", "indicator", ind, "period", jstr(period))) != SOL_OK) {
        sol__buf_free(&b);
        sol__reply_error(r, 500, "the audit log cannot be written; nothing exported");
        return;
    }
    r->status = 200;
    r->ctype = "text/csv; charset=utf-8";
    r->body = b.data;
    r->len = b.len;
    r->cacheable = 0; /* every export is audited, so none is answered from the cache */
}

/* GET /api/layers: the latest composite index and LISA hot spots per area (src/run/layers.c);
 * public like the map, since they are area-level results that the method cards describe, with
 * the areas whose input values are withheld left out for anyone but analysts. */
static void api_layers(const sol_req *q, sol_reply *r)
{
    char *json = NULL;
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = sol_run_layers(q->st, &json, &e);
    if (rc == SOL_OK && !sol_withhold_sees(q->who->role))
        rc = sol_withhold_layers(q->st, &json, &e);
    if (rc != SOL_OK) {
        sol_free(json);
        reply_status(r, rc, &e);
        return;
    }
    r->status = 200;
    r->ctype = "application/json; charset=utf-8";
    r->body = json; /* malloc'ed by jansson, freed with free() by the server */
    r->len = strlen(json);
    r->cacheable = 1;
}

/* GET /api/forecasts?indicator=CODE: the latest forecast run of the indicator, per area (areas
 * whose values are withheld from the asker get none). */
static void api_forecasts(const sol_req *q, sol_reply *r)
{
    const char *ind = q->arg(q->conn, "indicator");
    if (ind == NULL || *ind == '\0') {
        sol__reply_error(r, 400, "give ?indicator=CODE; /api/indicators lists the codes");
        return;
    }
    if (!sol_store_has_indicator(q->st, ind)) {
        sol__reply_error(r, 404, "no indicator '%s'", ind);
        return;
    }
    char *json = NULL;
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = sol_run_forecast_layer(q->st, ind, &json, &e);
    if (rc == SOL_OK && !sol_withhold_sees(q->who->role)) /* a forecast extends the values */
        rc = sol_withhold_forecast(q->st, ind, &json, &e);
    if (rc != SOL_OK) {
        sol_free(json);
        reply_status(r, rc, &e);
        return;
    }
    r->status = 200;
    r->ctype = "application/json; charset=utf-8";
    r->body = json;
    r->len = strlen(json);
    r->cacheable = 1;
}

/* GET /api/alerts: the latest alerts run's result (emerging needs), with its run id and date;
 * for anyone but analysts, alerts about an area whose values of that indicator are withheld
 * (suppressed small counts) are left out, and the reply says how many. */
static void api_alerts(const sol_req *q, sol_reply *r)
{
    sol_error e;
    sol_error_clear(&e);
    char *s = NULL;
    sol_status rc = sol_run_alerts_latest(q->st, &s, &e);
    if (rc == SOL_OK && !sol_withhold_sees(q->who->role))
        rc = sol_withhold_alerts(q->st, &s, &e);
    if (rc != SOL_OK) {
        free(s);
        reply_status(r, rc, &e);
        return;
    }
    json_t *j = json_loads(s, 0, NULL);
    free(s);
    if (j == NULL) {
        sol__reply_error(r, 500, "the alerts run holds no valid JSON");
        return;
    }
    sol__reply_json(r, 200, j, 1);
}

/* ---- the route table: the minimum role of every route ---------------------------------------- */

/* POST /api/derive: a rate or a coverage of need (api_derive.c) */
void sol__api_derive(const sol_req *q, sol_reply *r);
/* the connectors to public data portals (api_connect.c) */
void sol__api_connectors(const sol_req *q, sol_reply *r);
void sol__api_connectors_refresh(const sol_req *q, sol_reply *r);
void sol__api_connectors_search(const sol_req *q, sol_reply *r);
void sol__api_connectors_structure(const sol_req *q, sol_reply *r);
void sol__api_connectors_add(const sol_req *q, sol_reply *r);
void sol__api_connectors_remove(const sol_req *q, sol_reply *r);
/* audiences by variables and non-take-up (api_audience.c) */
void sol__api_audiences(const sol_req *q, sol_reply *r);
void sol__api_audience(const sol_req *q, sol_reply *r);
void sol__api_audience_define(const sol_req *q, sol_reply *r);
void sol__api_audience_publish(const sol_req *q, sol_reply *r);
void sol__api_takeup(const sol_req *q, sol_reply *r);
void sol__api_audience_k(const sol_req *q, sol_reply *r);
/* GET /api/campaigns, /api/campaigns/NAME[/ledger.json|label.svg|iati.xml|360giving.json]
 * (api_campaign.c) */
void sol__api_campaigns(const sol_req *q, sol_reply *r);
void sol__api_campaign(const sol_req *q, sol_reply *r);
void sol__api_campaign_ledger_add(const sol_req *q, sol_reply *r);
/* POST /api/campaigns, /api/campaigns/publish, achieved, label (api_campaign.c) */
void sol__api_campaign_add(const sol_req *q, sol_reply *r);
void sol__api_campaign_publish(const sol_req *q, sol_reply *r);
void sol__api_campaign_achieved(const sol_req *q, sol_reply *r);
void sol__api_campaign_label(const sol_req *q, sol_reply *r);

static const sol_route routes[] = {
    /* method  path                          min role           write csrf_exempt handler */
    {"GET", "/api/health", SOL_ROLE_ANON, 0, 0, api_health},
    {"GET", "/api/areas", SOL_ROLE_ANON, 0, 0, api_areas},
    {"GET", "/api/areas/", SOL_ROLE_ANON, 0, 0, api_area},
    {"GET", "/api/indicators", SOL_ROLE_ANON, 0, 0, api_indicators},
    {"GET", "/api/observations", SOL_ROLE_ANON, 0, 0, api_observations},
    {"GET", "/api/map.svg", SOL_ROLE_ANON, 0, 0, api_map},
    {"GET", "/api/catalog", SOL_ROLE_ANON, 0, 0, api_catalog},
    {"GET", "/api/runs", SOL_ROLE_ANON, 0, 0, api_runs},
    {"GET", "/api/layers", SOL_ROLE_ANON, 0, 0, api_layers},
    {"GET", "/api/forecasts", SOL_ROLE_ANON, 0, 0, api_forecasts},
    {"GET", "/api/alerts", SOL_ROLE_ANON, 0, 0, api_alerts},
    {"GET", "/api/runs/", SOL_ROLE_ANALYST, 0, 0, api_run},
    {"GET", "/api/export/observations.csv", SOL_ROLE_ANALYST, 0, 0, api_export},
    {"GET", "/api/me", SOL_ROLE_ANON, 0, 0, sol__api_me},
    {"POST", "/api/login", SOL_ROLE_ANON, 1, 1, sol__api_login},
    {"POST", "/api/logout", SOL_ROLE_PUBLIC, 1, 0, sol__api_logout},
    {"GET", "/api/users", SOL_ROLE_ADMIN, 0, 0, sol__api_users},
    {"POST", "/api/users", SOL_ROLE_ADMIN, 1, 0, sol__api_users_add},
    {"GET", "/api/audit", SOL_ROLE_ADMIN, 0, 0, sol__api_audit},
    {"GET", "/api/sources", SOL_ROLE_ANALYST, 0, 0, sol__api_sources},
    {"POST", "/api/sources/remove", SOL_ROLE_ANALYST, 1, 0, sol__api_sources_remove},
    {"POST", "/api/sources/restore", SOL_ROLE_ANALYST, 1, 0, sol__api_sources_restore},
    {"POST", "/api/indicators/edit", SOL_ROLE_ANALYST, 1, 0, sol__api_indicators_edit},
    {"GET", "/api/locate", SOL_ROLE_ANON, 0, 0, sol__api_locate},
    {"GET", "/api/connectors", SOL_ROLE_ANALYST, 0, 0, sol__api_connectors},
    {"POST", "/api/connectors/refresh", SOL_ROLE_ANALYST, 1, 0, sol__api_connectors_refresh},
    {"GET", "/api/connectors/search", SOL_ROLE_ANALYST, 0, 0, sol__api_connectors_search},
    {"GET", "/api/connectors/structure", SOL_ROLE_ANALYST, 0, 0, sol__api_connectors_structure},
    {"POST", "/api/connectors", SOL_ROLE_ANALYST, 1, 0, sol__api_connectors_add},
    {"POST", "/api/connectors/remove", SOL_ROLE_ANALYST, 1, 0, sol__api_connectors_remove},
    {"POST", "/api/runs/locate", SOL_ROLE_ANALYST, 1, 0, sol__api_locate_run},
    /* the analyst's workspace (api_workspace.c) */
    {"GET", "/api/workspace", SOL_ROLE_ANALYST, 0, 0, sol__api_workspace},
    {"POST", "/api/imports", SOL_ROLE_ANALYST, 1, 0, sol__api_import},
    {"POST", "/api/runs/lisa", SOL_ROLE_ANALYST, 1, 0, sol__api_run_lisa},
    {"POST", "/api/runs/forecast", SOL_ROLE_ANALYST, 1, 0, sol__api_run_forecast},
    {"POST", "/api/runs/index", SOL_ROLE_ANALYST, 1, 0, sol__api_run_index},
    {"POST", "/api/derive", SOL_ROLE_ANALYST, 1, 0, sol__api_derive},
    {"POST", "/api/publish", SOL_ROLE_ANALYST, 1, 0, sol__api_publish},
    {"GET", "/api/drafts", SOL_ROLE_ANALYST, 0, 0, sol__api_drafts},
    /* audiences: published cards for everyone, drafts and changes for analysts */
    {"GET", "/api/audiences", SOL_ROLE_ANON, 0, 0, sol__api_audiences},
    {"POST", "/api/audiences", SOL_ROLE_ANALYST, 1, 0, sol__api_audience_define},
    {"POST", "/api/audiences/publish", SOL_ROLE_ANALYST, 1, 0, sol__api_audience_publish},
    {"POST", "/api/audiences/k", SOL_ROLE_ADMIN, 1, 0, sol__api_audience_k},
    {"GET", "/api/audiences/", SOL_ROLE_ANON, 0, 0, sol__api_audience},
    {"GET", "/api/takeup", SOL_ROLE_ANALYST, 0, 0, sol__api_takeup},
    {"GET", "/api/campaigns", SOL_ROLE_ANON, 0, 0, sol__api_campaigns},
    {"GET", "/api/campaigns/", SOL_ROLE_ANON, 0, 0, sol__api_campaign},
    {"POST", "/api/campaigns/ledger", SOL_ROLE_ANALYST, 1, 0, sol__api_campaign_ledger_add},
    {"POST", "/api/campaigns", SOL_ROLE_ANALYST, 1, 0, sol__api_campaign_add},
    {"POST", "/api/campaigns/publish", SOL_ROLE_ANALYST, 1, 0, sol__api_campaign_publish},
    {"POST", "/api/campaigns/achieved", SOL_ROLE_ANALYST, 1, 0, sol__api_campaign_achieved},
    {"POST", "/api/campaigns/label", SOL_ROLE_ANALYST, 1, 0, sol__api_campaign_label},
    /* large maps: simplified shared-arc geometry per zoom, and the values alone (api_map.c) */
    {"GET", "/api/map/topo", SOL_ROLE_ANON, 0, 0, sol__api_map_topo},
    {"GET", "/api/map/values", SOL_ROLE_ANON, 0, 0, sol__api_map_values},
};

static int path_matches(const sol_route *rt, const char *path)
{
    size_t n = strlen(rt->path);
    if (rt->path[n - 1] == '/')
        return strncmp(path, rt->path, n) == 0 && path[n] != '\0';
    return strcmp(path, rt->path) == 0;
}

const sol_route *sol__route_find(const char *method, const char *path, int *path_known)
{
    int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    *path_known = 0;
    for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
        if (!path_matches(&routes[i], path))
            continue;
        *path_known = 1;
        if (get ? strcmp(routes[i].method, "GET") == 0 : strcmp(routes[i].method, method) == 0)
            return &routes[i];
    }
    return NULL;
}

unsigned sol__route_check(const sol_route *rt, const sol_who *who, const char *csrf_header,
                          sol_reply *r)
{
    if (who->role < rt->min_role) {
        if (who->role == SOL_ROLE_ANON) {
            sol__reply_error(r, 401, "sign in to use %s (%s role or above)", rt->path,
                             sol_role_name(rt->min_role));
            return 401;
        }
        sol__reply_error(r, 403, "%s needs the %s role or above; '%s' is %s", rt->path,
                         sol_role_name(rt->min_role), who->name, sol_role_name(who->role));
        return 403;
    }
    if (rt->write && !rt->csrf_exempt) {
        size_t n = csrf_header ? strlen(csrf_header) : 0;
        if (n == 0 || n != strlen(who->csrf) || !sol__equal_secret(csrf_header, who->csrf, n)) {
            sol__reply_error(r, 403,
                             "missing or wrong CSRF token: send the X-CSRF-Token header with the "
                             "token /api/login or /api/me returned");
            return 403;
        }
    }
    return 0;
}
