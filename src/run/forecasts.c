/* forecasts.c - the latest ETS forecast run of an indicator as a per-area layer for the
 * dashboard and the report: read from the stored result (kind "time.forecast"), checked for
 * shape, reduced to the model, the direction (flat, rising, falling) and the forecast paths
 * with their intervals. */
#include <solidata/run_layers.h>

#include <solidata/forecast.h>

#include "core/core.h"

#include <jansson.h>
#include <string.h>

typedef struct pick {
    const char *indicator;
    json_t *result, *card;
    int64_t id;
    char created_at[40];
} pick;

static int on_forecast_run(void *ud, const sol_run *r)
{
    pick *p = ud;
    json_t *res = r->result ? json_loads(r->result, 0, NULL) : NULL;
    const char *ind = json_string_value(json_object_get(res, "indicator"));
    if (ind == NULL || strcmp(ind, p->indicator) != 0 ||
        !json_is_array(json_object_get(res, "series"))) {
        json_decref(res);
        return 0; /* another indicator, or not the shape we read: the previous run */
    }
    p->result = res;
    p->card = r->method_card ? json_loads(r->method_card, 0, NULL) : NULL;
    p->id = r->id;
    snprintf(p->created_at, sizeof p->created_at, "%s", r->created_at ? r->created_at : "");
    return 1;
}

/* The direction a run recorded for a series; for runs recorded before it was, the path judged
 * from its own first forecast (the last observed value is not in those results). */
static const char *direction_of(json_t *result, const char *id, json_t *pts, const char *model)
{
    sol_forecast_dir d;
    json_t *dir = json_object_get(json_object_get(result, "directions"), id);
    if (sol_forecast_direction_parse(json_string_value(dir), &d) == SOL_OK)
        return sol_forecast_direction_name(d);
    size_t h = json_array_size(pts);
    if (h == 0)
        return sol_forecast_direction_name(SOL_FORECAST_FLAT);
    json_t *end = json_array_get(pts, h - 1);
    double mean = json_number_value(json_object_get(end, "mean"));
    double lo = json_number_value(json_object_get(end, "lo80"));
    double hi = json_number_value(json_object_get(end, "hi80"));
    double first = json_number_value(json_object_get(json_array_get(pts, 0), "mean"));
    return sol_forecast_direction_name(sol_forecast_direction(first, &mean, &lo, &hi, 1, model));
}

/* One forecast point, kept only when every number is there. */
static json_t *point(json_t *f)
{
    static const char *const keys[] = {"mean", "lo80", "hi80", "lo95", "hi95"};
    const char *period = json_string_value(json_object_get(f, "period"));
    if (period == NULL)
        return NULL;
    json_t *o = json_pack("{s:s}", "period", period);
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
        json_t *v = json_object_get(f, keys[k]);
        if (!json_is_number(v)) {
            json_decref(o);
            return NULL;
        }
        json_object_set_new(o, keys[k], json_real(json_number_value(v)));
    }
    return o;
}

sol_status sol_run_forecast_layer(sol_store *st, const char *indicator, char **json, sol_error *err)
{
    *json = NULL;
    pick p = {.indicator = indicator};
    sol_status rc = sol_store_runs(st, "time.forecast", 1, on_forecast_run, &p, err);
    if (rc != SOL_OK)
        return rc;
    json_t *out = json_object();
    if (out == NULL)
        goto nomem;
    json_object_set_new(out, "indicator", json_string(indicator));
    if (p.result == NULL) {
        json_object_set_new(out, "run", json_null());
    } else {
        json_t *areas = json_object();
        json_object_set_new(out, "run", json_integer((json_int_t)p.id));
        json_object_set_new(out, "created_at", json_string(p.created_at));
        json_t *method = json_object_get(p.card, "method");
        json_object_set_new(out, "method", method ? json_deep_copy(method) : json_null());
        json_object_set_new(out, "horizon", json_deep_copy(json_object_get(p.result, "horizon")));
        size_t i;
        json_t *s;
        json_array_foreach(json_object_get(p.result, "series"), i, s)
        {
            const char *id = json_string_value(json_object_get(s, "id"));
            const char *model = json_string_value(json_object_get(s, "model"));
            json_t *fc = json_object_get(s, "forecast");
            if (id == NULL || model == NULL || !json_is_array(fc))
                continue;
            json_t *pts = json_array();
            size_t k;
            json_t *f;
            json_array_foreach(fc, k, f)
            {
                json_t *pt = point(f);
                if (pt)
                    json_array_append_new(pts, pt);
            }
            json_object_set_new(areas, id,
                                json_pack("{s:s,s:s,s:o}", "model", model, "direction",
                                          direction_of(p.result, id, pts, model), "forecast", pts));
        }
        json_object_set_new(out, "areas", areas);
    }
    *json = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    json_decref(out);
    json_decref(p.result);
    json_decref(p.card);
    if (*json == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory writing the forecasts");
    return SOL_OK;
nomem:
    json_decref(p.result);
    json_decref(p.card);
    return sol__err(err, SOL_ENOMEM, "out of memory writing the forecasts");
}
