/* locate_view.c - the latest recorded placement as the public sees it (the dashboard and the
 * atlas): only runs whose demand came from the store's indicators (their withheld values were
 * dropped by the run layer before solving), a whitelist of the result's fields, and the
 * sentence of each site rebuilt in the reader's language from the stored numbers. */
#include <solidata/run_locate.h>

#include <solidata/i18n.h>
#include <solidata/run.h>

#include "core/core.h"
#include "run/run_int.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct latest {
    json_t *result, *spec;
    int64_t id;
    char created[64];
} latest;

/* The newest locate run whose demand came from the store (a demand file is an analyst's own
 * data, not published). */
static int on_run(void *ud, const sol_run *r)
{
    latest *x = ud;
    json_t *spec = r->spec ? json_loads(r->spec, 0, NULL) : NULL;
    json_t *res = r->result ? json_loads(r->result, 0, NULL) : NULL;
    if (!json_is_object(res) || !json_is_string(json_object_get(spec, "indicator"))) {
        json_decref(spec);
        json_decref(res);
        return 0;
    }
    x->result = res;
    x->spec = spec;
    x->id = r->id;
    snprintf(x->created, sizeof x->created, "%s", r->created_at ? r->created_at : "");
    return 1;
}

typedef struct find_ind {
    const char *code, *need;
    sol_lang lang;
    char *label; /* the indicator's label in lang, when `need` is one of its labels */
} find_ind;

static int on_indicator(void *ud, const sol_indicator *ind)
{
    find_ind *f = ud;
    if (strcmp(ind->code, f->code) != 0)
        return 0;
    int same = ind->label && strcmp(ind->label, f->need) == 0;
    for (int l = 0; !same && l < SOL_LANG_COUNT; l++) {
        const char *s = sol_indicator_label(ind, (sol_lang)l, NULL);
        same = s && strcmp(s, f->need) == 0;
    }
    if (same)
        f->label = sol__strdup(sol_indicator_label(ind, f->lang, NULL));
    return 1;
}

/* The words for the people counted in `lang`: the indicator's label in that language when the
 * run used it, "people" translated, else the analyst's own words as given (--need-label). */
static char *need_words(sol_store *st, const char *indicator, const char *need, sol_lang lang)
{
    find_ind f = {.code = indicator, .need = need, .lang = lang};
    if (indicator && sol_store_indicators(st, on_indicator, &f, NULL) == SOL_OK && f.label)
        return f.label;
    sol__free(f.label);
    for (int l = 0; l < SOL_LANG_COUNT; l++)
        if (strcmp(need, sol_lgettext((sol_lang)l, "people")) == 0)
            return sol__strdup(sol_lgettext(lang, "people"));
    return sol__strdup(need);
}

static double jnum(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *jstr(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* "12 km", "12,5 min" in the language. */
static void fmt_dist(sol_lang l, double d, const char *unit, char *buf, size_t n)
{
    char num[64];
    sol_lang_number(l, d, fabs(d - round(d)) < 1e-9 ? 0 : 1, 1, num, sizeof num);
    if (unit && *unit)
        snprintf(buf, n, "%s %s", num, unit);
    else
        snprintf(buf, n, "%s", num);
}

/* The sentence of one site, with the same templates as the run layer (src/run/locate.c). */
static json_t *site_sentence(sol_lang l, const json_t *res, const json_t *site, const char *label)
{
    const char *model = jstr(res, "model"), *id = jstr(site, "id");
    const char *nm = json_is_string(json_object_get(site, "name")) ? jstr(site, "name") : id;
    const json_t *dist = json_object_get(res, "distance");
    const char *unit = jstr(dist, "unit");
    char people[64], d[96], buf[1024];
    sol_lang_number(l, round(jnum(site, "demand_served")), 0, 1, people, sizeof people);
    double ns = jnum(site, "areas_served");
    unsigned long k = isfinite(ns) && ns > 0 ? (unsigned long)ns : 0;
    if (strcmp(model, "pmedian") == 0 || strcmp(model, "cpmedian") == 0) {
        double sw = 0, sd = 0;
        size_t i;
        json_t *a;
        json_array_foreach(json_object_get(res, "areas"), i, a)
        {
            double w = jnum(a, "demand"), di = jnum(a, "distance");
            if (strcmp(jstr(a, "site"), id) == 0 && isfinite(w) && isfinite(di)) {
                sw += w;
                sd += w * di;
            }
        }
        fmt_dist(l, sw > 0 ? sd / sw : 0, unit, d, sizeof d);
        snprintf(buf, sizeof buf,
                 sol_lngettext(l, "%s serves %s %s in %lu area, at %s on average",
                               "%s serves %s %s in %lu areas, at %s on average", k),
                 nm, people, label, k, d);
    } else {
        fmt_dist(l, jnum(dist, "max"), unit, d, sizeof d);
        snprintf(buf, sizeof buf,
                 sol_lngettext(l, "%s serves %s %s in %lu area within %s",
                               "%s serves %s %s in %lu areas within %s", k),
                 nm, people, label, k, d);
    }
    return json_string(buf);
}

static void copy_keys(json_t *to, const json_t *from, const char *const *keys)
{
    for (; *keys; keys++) {
        json_t *v = json_object_get(from, *keys);
        if (v)
            json_object_set(to, *keys, v);
    }
}

sol_status sol_run_locate_latest(sol_store *st, sol_lang lang, char **json, sol_error *err)
{
    latest x = {0};
    sol_status rc = sol_store_runs(st, "locate", 1, on_run, &x, err);
    if (rc != SOL_OK)
        return rc;
    json_t *out = json_object();
    char *need = NULL;
    if (out == NULL)
        goto oom;
    if (x.result == NULL) {
        json_object_set_new(out, "run", json_null());
        json_object_set_new(
            out, "note",
            json_string(sol_lgettext(lang, "no placement recorded yet: run 'solidata locate ... "
                                           "--indicator CODE --record' on the store")));
    } else {
        const json_t *res = x.result;
        need = need_words(st, jstr(x.spec, "indicator"), jstr(res, "need"), lang);
        if (need == NULL)
            goto oom;
        json_object_set_new(out, "run", json_integer((json_int_t)x.id));
        json_object_set_new(out, "created", json_string(x.created));
        json_object_set_new(out, "lang", json_string(sol_lang_code(lang)));
        static const char *const top[] = {"model",
                                          "method",
                                          "status",
                                          "optimal",
                                          "gap",
                                          "distance",
                                          "candidates",
                                          "chosen",
                                          "p",
                                          "demand",
                                          "uncovered",
                                          "curve",
                                          "mean_distance",
                                          "distance_sensitivity",
                                          NULL};
        copy_keys(out, res, top);
        json_object_set_new(out, "need", json_string(need));
        static const char *const sk[] = {"indicator", "times", "period", "level", "keep", NULL};
        copy_keys(out, x.spec, sk);
        json_t *sites = json_array();
        size_t i;
        json_t *s;
        json_array_foreach(json_object_get(res, "sites"), i, s)
        {
            static const char *const keys[] = {
                "id", "name", "lon", "lat", "kept", "demand_served", "areas_served", "areas", NULL};
            json_t *o = json_object();
            copy_keys(o, s, keys);
            json_object_set_new(o, "sentence", site_sentence(lang, res, s, need));
            json_array_append_new(sites, o);
        }
        json_object_set_new(out, "sites", sites);
        json_t *areas = json_array(), *a;
        json_array_foreach(json_object_get(res, "areas"), i, a)
        {
            static const char *const keys[] = {"code",   "name", "lon",      "lat",
                                               "demand", "site", "distance", NULL};
            json_t *o = json_object();
            copy_keys(o, a, keys);
            json_array_append_new(areas, o);
        }
        json_object_set_new(out, "areas", areas);
    }
    *json = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(out);
    json_decref(x.result);
    json_decref(x.spec);
    sol__free(need);
    if (*json == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    return SOL_OK;
oom:
    json_decref(out);
    json_decref(x.result);
    json_decref(x.spec);
    sol__free(need);
    return sol__err(err, SOL_ENOMEM, "out of memory");
}
