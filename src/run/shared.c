/* shared.c - the run layer's helpers that several of its files use (declared in run_int.h):
 * reading a small text file, the errors of a job, notes, numbers in JSON, recording a result. */
#include "run/run_int.h"

#include "core/core.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sol_status sol__run_read_text(const char *path, size_t max, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return SOL_EIO;
    char *b = sol__malloc(max + 1);
    size_t n = b ? fread(b, 1, max + 1, f) : 0;
    int bad = b == NULL || ferror(f) || n > max;
    fclose(f);
    if (bad) {
        sol__free(b);
        return b == NULL ? SOL_ENOMEM : SOL_EIO;
    }
    b[n] = '\0';
    *out = b;
    *len = n;
    return SOL_OK;
}

/* A result that analysed nothing (an empty "series" list: every series skipped) is not a run:
 * an error, and nothing is recorded. */
static sol_status empty_result(const char *kind, json_t *result, sol_error *err)
{
    json_t *series = json_object_get(result, "series");
    if (json_is_array(series) && json_array_size(series) == 0)
        return sol__run_job_error(err, "",
                                  "no series could be analysed (%s): every series was skipped, "
                                  "too short or without enough values; nothing was recorded",
                                  sol__run_kind_words(sol_lang_current(), kind));
    return SOL_OK;
}

sol_status sol__run_finish_take(sol_store *st, const char *kind, json_t *spec, json_t *method,
                                json_t *choices, json_t *result, int64_t *run_id, char **json,
                                sol_error *err)
{
    sol_status rc = SOL_OK;
    if (st != NULL && empty_result(kind, result, err) != SOL_OK)
        rc = SOL_EINVAL;
    else if (st != NULL && (!spec || !method || !choices))
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
    else if (st != NULL) {
        char *s = json_dumps(spec, JSON_COMPACT), *m = json_dumps(method, JSON_COMPACT);
        char *c = json_dumps(choices, JSON_COMPACT);
        char *r = json_dumps(result, JSON_COMPACT | JSON_REAL_PRECISION(17));
        if (!s || !m || !c || !r)
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
        else
            rc = sol_run_record(st,
                                &(sol_run_card){.kind = kind,
                                                .spec_json = s,
                                                .method_json = m,
                                                .choices_json = c,
                                                .result_json = r},
                                run_id, err);
        free(s);
        free(m);
        free(c);
        free(r);
        if (rc == SOL_OK &&
            json_object_set_new(result, "run_id", json_integer((json_int_t)*run_id)) != 0)
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
    }
    json_decref(spec);
    json_decref(method);
    json_decref(choices);
    if (rc != SOL_OK)
        return rc;
    if ((*json = json_dumps(result, JSON_INDENT(1) | JSON_REAL_PRECISION(17))) == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    return SOL_OK;
}

sol_status sol__run_job_error(sol_error *err, const char *option, const char *fmt, ...)
{
    if (err == NULL)
        return SOL_EINVAL;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, sol_gettext(fmt), ap);
    va_end(ap);
    err->code = SOL_EINVAL;
    snprintf(err->where, sizeof err->where, "%s", option);
    return SOL_EINVAL;
}

sol_status sol__run_record_json(sol_store *st, sol_run_card *card, size_t flags, json_t *spec,
                                json_t *method, json_t *choices, json_t *result, int64_t *run_id,
                                sol_error *err)
{
    if (empty_result(card->kind, result, err) != SOL_OK)
        return SOL_EINVAL;
    char *s = spec ? json_dumps(spec, flags) : NULL;
    char *m = method ? json_dumps(method, flags) : NULL;
    char *c = choices ? json_dumps(choices, flags) : NULL;
    char *r = result ? json_dumps(result, flags) : NULL;
    sol_status rc;
    if (!s || !m || !c || !r) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory recording the run");
    } else {
        card->spec_json = s;
        card->method_json = m;
        card->choices_json = c;
        card->result_json = r;
        rc = sol_run_record(st, card, run_id, err);
        card->spec_json = card->method_json = card->choices_json = card->result_json = NULL;
    }
    free(s);
    free(m);
    free(c);
    free(r);
    return rc;
}

json_t *sol__run_num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

sol_status sol__run_note_add(char ***notes, size_t *n, size_t max, sol_error *err, const char *fmt,
                             ...)
{
    char buf[SOL__RUN_NOTE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, max < sizeof buf ? max : sizeof buf, sol_gettext(fmt), ap);
    va_end(ap);
    char **v = sol__realloc(*notes, (*n + 1) * sizeof *v);
    if (v == NULL || (*notes = v, v[*n] = sol__strdup(buf)) == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    (*n)++;
    return SOL_OK;
}

void sol__run_notes_free(char **notes, size_t n)
{
    for (size_t k = 0; notes != NULL && k < n; k++)
        sol__free(notes[k]);
    sol__free(notes);
}

const char *sol__run_method_words(sol_lang l, json_t *method, char *buf, size_t n)
{
    const char *name = json_string_value(json_object_get(method, "name"));
    const char *norm = json_string_value(json_object_get(method, "normalisation"));
    const char *agg = json_string_value(json_object_get(method, "aggregation"));
    const char *variant = json_string_value(json_object_get(method, "variant"));
    if (norm && agg)
        snprintf(buf, n, sol_lgettext(l, SOL__INDEX_METHOD_NAME), norm, agg,
                 variant ? variant : "");
    else
        snprintf(buf, n, "%s", name ? sol_lgettext(l, name) : "");
    return buf;
}

const char *sol__run_kind_words(sol_lang l, const char *kind)
{
    static const char *const KINDS[][2] = {
        {"index", N_("composite index")},
        {"spatial.weights", N_("spatial weights")},
        {"spatial.moran", N_("spatial autocorrelation (Moran's I)")},
        {"spatial.lisa", N_("hot spots (local Moran)")},
        {"spatial.gistar", N_("hot spots (Getis-Ord Gi*)")},
        {"poverty.direct", N_("poverty estimates from a survey")},
        {"mpi", N_("multidimensional poverty (Alkire-Foster)")},
        {"sae.fh", N_("small area estimates (Fay-Herriot)")},
        {"time.trend", N_("trends")},
        {"time.changepoints", N_("change points")},
        {"time.forecast", N_("forecasts")},
        {"time.anomalies", N_("anomalies")},
        {"alerts", N_("emerging needs")},
        {"evaluate.did", N_("difference-in-differences")},
        {"evaluate.synth", N_("synthetic control")},
        {"prioritise", N_("priorities and budget")},
        {"project", N_("population projection")},
        {"privacy.tabulate", N_("table with disclosure control")},
        {"derive.rate", N_("rate per inhabitants")},
        {"derive.coverage", N_("coverage of need")},
    };
    for (size_t i = 0; kind && i < sizeof KINDS / sizeof KINDS[0]; i++)
        if (strcmp(kind, KINDS[i][0]) == 0)
            return sol_lgettext(l, KINDS[i][1]);
    return kind ? kind : "";
}

/* ---- names in each language (labels of indicators, dimensions and levels) ------------------- */

/* {"en": ..., "fr": ..., "it": ...}: a name in each language of the interface; `origins` (may be
 * NULL) gets where each came from (sol_label_origin_name) */
typedef const char *(*name_in_fn)(const void *what, sol_lang l, sol_label_origin *origin);

static json_t *by_lang(name_in_fn f, const void *what, json_t *origins)
{
    json_t *o = json_object();
    for (int l = 0; o && l < SOL_LANG_COUNT; l++) {
        sol_label_origin from;
        const char *s = f(what, (sol_lang)l, &from);
        json_object_set_new(o, sol_lang_code((sol_lang)l), s ? json_string(s) : json_null());
        if (origins)
            json_object_set_new(origins, sol_lang_code((sol_lang)l),
                                json_string(sol_label_origin_name(from)));
    }
    return o;
}

static const char *label_in(const void *i, sol_lang l, sol_label_origin *o)
{
    return sol_indicator_label(i, l, o);
}

static const char *unit_in(const void *i, sol_lang l, sol_label_origin *o)
{
    return sol_indicator_unit(i, l, o);
}

static const char *dimension_in(const void *d, sol_lang l, sol_label_origin *o)
{
    return sol_dimension_name(l, d, o);
}

static const char *level_in(const void *d, sol_lang l, sol_label_origin *o)
{
    return sol_level_name(l, d, o);
}

void sol__run_indicator_names(json_t *o, const sol_indicator *i)
{
    if (o == NULL)
        return;
    json_t *origins = json_object();
    json_object_set_new(o, "labels", by_lang(label_in, i, origins));
    json_object_set_new(o, "label_origin", origins ? origins : json_null());
    json_object_set_new(o, "units", by_lang(unit_in, i, NULL));
    json_object_set_new(o, "dimension_labels",
                        i->dimension ? by_lang(dimension_in, i->dimension, NULL) : json_null());
}

json_t *sol__run_level_names(const char *level)
{
    return by_lang(level_in, level, NULL);
}

/* ---- who acts: the thread's actor (the server's signed-in account), else the environment ---- */

static _Thread_local char t_actor[65];

void sol_run_set_actor(const char *name)
{
    if (name == NULL)
        name = "";
    size_t n = strlen(name);
    if (n >= sizeof t_actor)
        n = sizeof t_actor - 1;
    memcpy(t_actor, name, n);
    t_actor[n] = '\0';
}

const char *sol_run_actor(void)
{
    if (t_actor[0] != '\0')
        return t_actor;
    const char *who = getenv("SOLIDATA_USER");
    if (who == NULL || *who == '\0')
        who = getenv("USER");
    return who && *who ? who : NULL;
}
