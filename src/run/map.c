/* map.c - a choropleth of one indicator from the store: values and boundaries resolved through
 * sol_run_values, classes and colours from the render module, sources credited in the footer. */
#include <solidata/render.h>
#include <solidata/run.h>
#include <solidata/withhold.h>

#include "core/core.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

typedef struct built {
    sol_values *v;
    sol_breaks *b;
    int *cls;
    uint32_t colour[SOL_CLASSES_MAX];
    sol_layer layer;
    char title[512], subtitle[256], source[2048], licence[1024];
    sol_map m;
} built;

static void built_free(built *x)
{
    sol__free(x->cls);
    sol_breaks_free(x->b);
    sol_values_free(x->v);
}

/* "name (attribution)" for every source, and the distinct licences, from the values' JSON. */
static void credits(const char *sources_json, char *source, size_t ns, char *licence, size_t nl)
{
    source[0] = licence[0] = '\0';
    json_t *a = json_loads(sources_json, 0, NULL);
    size_t i;
    json_t *s;
    size_t us = 0, ul = 0;
    json_array_foreach(a, i, s)
    {
        const char *att = json_string_value(json_object_get(s, "attribution"));
        const char *name = json_string_value(json_object_get(s, "name"));
        const char *lic = json_string_value(json_object_get(s, "licence"));
        int w = snprintf(source + us, ns - us, "%s%s", us ? "; " : "", att ? att : name);
        if (w > 0 && (size_t)w < ns - us)
            us += (size_t)w;
        if (lic && !strstr(licence, lic)) {
            w = snprintf(licence + ul, nl - ul, "%s%s", ul ? "; " : "", lic);
            if (w > 0 && (size_t)w < nl - ul)
                ul += (size_t)w;
        }
    }
    json_decref(a);
}

/* The map's own words in the three languages of the report and the dashboard. */
enum { W_BETTER, W_WORSE, W_UNSTATED, W_QUANTILE, W_EQUAL, W_JENKS, W_SD, W_COUNT };
static const char *const words[W_COUNT][3] = {
    [W_BETTER] = {"higher is better: darker areas fare worse",
                  "più alto è meglio: le aree più scure stanno peggio",
                  "plus élevé est mieux : les territoires plus sombres vont moins bien"},
    [W_WORSE] = {"higher is worse: darker areas fare worse",
                 "più alto è peggio: le aree più scure stanno peggio",
                 "plus élevé est pire : les territoires plus sombres vont moins bien"},
    [W_UNSTATED] = {"polarity not stated", "polarità non indicata", "polarité non indiquée"},
    [W_QUANTILE] = {"Quantiles", "Quantili", "Quantiles"},
    [W_EQUAL] = {"Equal intervals", "Intervalli uguali", "Intervalles égaux"},
    [W_JENKS] = {"Natural breaks (Jenks)", "Interruzioni naturali (Jenks)",
                 "Seuils naturels (Jenks)"},
    [W_SD] = {"Standard deviations", "Deviazioni standard", "Écarts-types"},
};

static sol_status build(sol_store *st, const sol_run_map_opts *o, built *x, sol_error *err)
{
    sol_status rc;
    memset(x, 0, sizeof *x);
    if (o->indicator == NULL)
        return sol__err(err, SOL_EINVAL, "a map needs an indicator");
    sol_class_method method = SOL_CLASS_QUANTILE;
    if (o->classes && sol_render_class_method_parse(o->classes, &method) != SOL_OK)
        return sol__err(err, SOL_EINVAL,
                        "classes '%s': expected quantile, equal, jenks or sd", o->classes);
    int lang = 0;
    if (o->lang && strcmp(o->lang, "it") == 0)
        lang = 1;
    else if (o->lang && strcmp(o->lang, "fr") == 0)
        lang = 2;
    else if (o->lang && strcmp(o->lang, "en") != 0)
        return sol__err(err, SOL_EINVAL, "language '%s': expected en, it or fr", o->lang);
    if ((rc = sol_run_values(st, o->indicator, o->period, 1, &x->v, err)) != SOL_OK)
        return rc;
    sol_values *v = x->v;
    /* public maps: withheld values are blanked before the class breaks are computed */
    sol_withhold_blank(v->values, o->unsuppressed ? NULL : v->suppressed, v->n);
    if ((rc = sol_render_breaks(v->values, v->n, method, o->k ? o->k : 5, &x->b, err)) != SOL_OK)
        return rc;
    if ((x->cls = sol__calloc(v->n, sizeof *x->cls)) == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    for (size_t i = 0; i < v->n; i++)
        x->cls[i] = sol_render_class_of(x->b, v->values[i]);
    char pal[64];
    snprintf(pal, sizeof pal, "%s%s", o->palette ? o->palette : "YlOrRd",
             !o->palette && v->polarity > 0 ? "-r" : "");
    if ((rc = sol_render_palette(pal, x->b->nclasses, x->colour, err)) != SOL_OK)
        return rc;
    for (size_t i = 0; i < v->n; i++)
        v->features[i].name = v->names[i] ? sol__strdup(v->names[i]) : NULL;
    x->layer.n = v->n;
    x->layer.f = v->features;
    snprintf(x->title, sizeof x->title, "%s, %s", o->title ? o->title
                                                  : v->label ? v->label
                                                             : v->indicator,
             v->period);
    snprintf(x->subtitle, sizeof x->subtitle, "%s%s%s%s", v->unit ? v->unit : "",
             v->unit ? " · " : "",
             v->polarity > 0   ? words[W_BETTER][lang]
             : v->polarity < 0 ? words[W_WORSE][lang]
                               : words[W_UNSTATED][lang],
             "");
    credits(v->sources_json, x->source, sizeof x->source, x->licence, sizeof x->licence);
    sol_map_init(&x->m);
    x->m.layer = &x->layer;
    x->m.cls = x->cls;
    x->m.nclasses = x->b->nclasses;
    x->m.colour = x->colour;
    x->m.value = v->values;
    x->m.suppressed = o->unsuppressed ? NULL : v->suppressed;
    x->m.breaks = x->b;
    x->m.title = x->title;
    x->m.subtitle = x->subtitle;
    x->m.legend_title = words[method == SOL_CLASS_EQUAL   ? W_EQUAL
                              : method == SOL_CLASS_JENKS ? W_JENKS
                              : method == SOL_CLASS_SD    ? W_SD
                                                          : W_QUANTILE][lang];
    x->m.source = x->source[0] ? x->source : NULL;
    x->m.licence = x->licence[0] ? x->licence : NULL;
    x->m.lang = lang == 1 ? "it" : lang == 2 ? "fr" : "en";
    if (lang != 0) { /* numbers as Italian and French readers write them */
        x->m.decimal_mark = ',';
        x->m.thousands = lang == 1 ? "." : "\xE2\x80\xAF"; /* narrow no-break space */
    }
    x->m.width = o->width;
    x->m.height = o->height;
    return SOL_OK;
}

sol_status sol_run_map_svg(sol_store *st, const sol_run_map_opts *o, char **svg, size_t *len,
                           sol_error *err)
{
    built x;
    sol_status rc = build(st, o, &x, err);
    if (rc == SOL_OK)
        rc = sol_map_svg(&x.m, svg, len, err);
    built_free(&x);
    return rc;
}

sol_status sol_run_map_write(sol_store *st, const sol_run_map_opts *o, const char *path,
                             sol_error *err)
{
    sol_map_format fmt;
    if (sol_map_format_from_path(path, &fmt) != SOL_OK)
        return sol__err(err, SOL_EINVAL, "%s: the map is written as .svg, .png or .pdf", path);
    built x;
    sol_status rc = build(st, o, &x, err);
    if (rc == SOL_OK)
        rc = sol_map_write(&x.m, path, fmt, 1.0, err);
    built_free(&x);
    return rc;
}
