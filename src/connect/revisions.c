/* revisions.c - published figures a provider revised (runs of kind "revision") as entries of the
 * emerging-needs list, with a sentence in each language: "revised by Istat on 7 December 2026:
 * 20 -> 25 (Agliè, places in socio-educational services, 2023)". */
#include <solidata/connect.h>

#include "core/core.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rev_ctx {
    json_t *runs; /* results, newest first */
    size_t limit;
} rev_ctx;

static int on_run(void *ud, const sol_run *r)
{
    rev_ctx *x = ud;
    if (json_array_size(x->runs) >= x->limit)
        return 1;
    json_t *j = r->result ? json_loads(r->result, 0, NULL) : NULL;
    if (json_is_object(j)) {
        json_object_set_new(j, "run", json_integer((json_int_t)r->id));
        json_array_append_new(x->runs, j);
    } else {
        json_decref(j);
    }
    return 0;
}

typedef struct labels_ctx {
    json_t *map; /* code -> [label, en, fr, it] */
} labels_ctx;

static int on_ind(void *ud, const sol_indicator *i)
{
    labels_ctx *x = ud;
    json_t *a = json_array();
    json_array_append_new(a, i->label ? json_string(i->label) : json_null());
    for (int l = 0; l < SOL_LANG_COUNT; l++)
        json_array_append_new(a, i->labels[l] ? json_string(i->labels[l]) : json_null());
    json_object_set_new(x->map, i->code, a);
    return 0;
}

static const char *fmt_value(double v, sol_lang l, char *out, size_t n)
{
    double a = fabs(v);
    int dec = v == floor(v) ? 0 : a >= 100 ? 1 : a >= 1 ? 2 : 3;
    sol_lang_number(l, v, dec, 1, out, n);
    return out;
}

static void fmt_date(const char *iso, sol_lang l, char *out, size_t n)
{
    int y, m, d;
    if (!iso || sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3 ||
        sol_lang_date(l, y, m, d, out, n) != SOL_OK)
        snprintf(out, n, "%.10s", iso ? iso : "");
}

sol_status sol_connect_revision_alerts(sol_store *st, size_t limit, char **json, sol_error *err)
{
    rev_ctx x = {json_array(), limit ? limit : 20};
    labels_ctx lc = {json_object()};
    json_t *out = json_array();
    sol_status rc = SOL_OK;
    if (!x.runs || !lc.map || !out) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = sol_store_runs(st, "revision", 1, on_run, &x, err)) != SOL_OK)
        goto done;
    if (json_array_size(x.runs) && (rc = sol_store_indicators(st, on_ind, &lc, err)) != SOL_OK)
        goto done;
    size_t i;
    json_t *run;
    json_array_foreach(x.runs, i, run)
    {
        const char *prov = json_string_value(json_object_get(run, "provider"));
        const char *date = json_string_value(json_object_get(run, "date"));
        json_t *revs = json_object_get(run, "revisions"), *rv;
        size_t k;
        json_array_foreach(revs, k, rv)
        {
            const char *ind = json_string_value(json_object_get(rv, "indicator"));
            const char *area = json_string_value(json_object_get(rv, "area_name"));
            const char *period = json_string_value(json_object_get(rv, "since"));
            double ov = json_number_value(json_object_get(rv, "old"));
            double nv = json_number_value(json_object_get(rv, "new"));
            json_t *labs = json_object_get(lc.map, ind ? ind : "");
            json_t *a = json_deep_copy(rv);
            json_t *sent = json_object();
            for (int l = 0; l < SOL_LANG_COUNT; l++) {
                const char *lab = json_string_value(json_array_get(labs, (size_t)l + 1));
                if (!lab)
                    lab = json_string_value(json_array_get(labs, 0));
                if (!lab)
                    lab = json_string_value(json_object_get(rv, "indicator_label"));
                char o[48], n[48], d[64], s[1024];
                fmt_value(ov, (sol_lang)l, o, sizeof o);
                fmt_value(nv, (sol_lang)l, n, sizeof n);
                fmt_date(date, (sol_lang)l, d, sizeof d);
                snprintf(s, sizeof s,
                         sol_lgettext((sol_lang)l, "revised by %s on %s: %s → %s (%s, %s, %s)"),
                         prov ? prov : "?", d, o, n, area ? area : "", lab ? lab : "",
                         period ? period : "");
                json_object_set_new(sent, sol_lang_code((sol_lang)l), json_string(s));
            }
            json_object_set_new(a, "kind", json_string("revision"));
            json_object_set_new(a, "direction", json_string("revised"));
            json_object_set_new(a, "rank", json_integer(0));
            json_object_set_new(a, "provider", json_string(prov ? prov : ""));
            json_object_set_new(a, "date", json_string(date ? date : ""));
            json_object_set(a, "run", json_object_get(run, "run"));
            json_object_set_new(a, "sentence", sent);
            json_array_append_new(out, a);
        }
    }
    char *s = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    if (!s)
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
    else
        *json = s;
done:
    json_decref(x.runs);
    json_decref(lc.map);
    json_decref(out);
    return rc;
}
