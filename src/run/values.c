/* values.c - resolve an analysis' inputs from the store (one indicator at one period over the
 * areas, with geometry and provenance) and record runs with their method cards. */
#include <solidata/run.h>
#include <solidata/version.h>
#include <solidata/withhold.h>

#include "core/core.h"

#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct loader {
    sol_values *v;
    size_t cap;
    int64_t *src_ids;
    size_t nsrc;
    int failed;
    sol_strmap *index; /* code -> position */
    const char *missing_geometry;
} loader;

static int on_obs(void *ud, const sol_obs *o)
{
    loader *l = ud;
    sol_values *v = l->v;
    if (v->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        char **c = sol__realloc(v->codes, cap * sizeof *c);
        if (c)
            v->codes = c;
        double *x = c ? sol__realloc(v->values, cap * sizeof *x) : NULL;
        if (x)
            v->values = x;
        unsigned char *sp = x ? sol__realloc(v->suppressed, cap) : NULL;
        if (sp)
            v->suppressed = sp;
        if (c == NULL || x == NULL || sp == NULL) {
            l->failed = 1;
            return 1;
        }
        l->cap = cap;
    }
    if ((v->codes[v->n] = sol__strdup(o->area)) == NULL) {
        l->failed = 1;
        return 1;
    }
    v->suppressed[v->n] = (unsigned char)sol_withhold_obs(o->flags, SOL_ROLE_PUBLIC);
    v->n_suppressed += v->suppressed[v->n];
    v->values[v->n++] = o->value;
    size_t k = 0;
    while (k < l->nsrc && l->src_ids[k] != o->source_id)
        k++;
    if (k == l->nsrc && l->nsrc < 64)
        l->src_ids[l->nsrc++] = o->source_id;
    return 0;
}

static int on_area(void *ud, const sol_area *a)
{
    loader *l = ud;
    int64_t pos;
    if (!sol__strmap_get(l->index, a->code, strlen(a->code), &pos))
        return 0;
    sol_values *v = l->v;
    if (a->name && (v->names[pos] = sol__strdup(a->name)) == NULL) {
        l->failed = 1;
        return 1;
    }
    if (v->features) {
        if (a->geometry == NULL) {
            l->missing_geometry = v->codes[pos];
            return 1;
        }
        if (sol_geo_parse_geojson(a->geometry, &v->features[pos], NULL) != SOL_OK ||
            (v->features[pos].code = sol__strdup(a->code)) == NULL) {
            l->failed = 1;
            return 1;
        }
        /* keep the area source for the method card */
        size_t k = 0;
        while (k < l->nsrc && l->src_ids[k] != a->source_id)
            k++;
        if (k == l->nsrc && l->nsrc < 64 && a->source_id)
            l->src_ids[l->nsrc++] = a->source_id;
    }
    return 0;
}

typedef struct meta_finder {
    const char *code;
    sol_values *v;
    int found;
} meta_finder;

static int on_indicator(void *ud, const sol_indicator *i)
{
    meta_finder *m = ud;
    if (strcmp(i->code, m->code) != 0)
        return 0;
    m->found = 1;
    m->v->polarity = i->polarity;
    m->v->label = i->label ? sol__strdup(i->label) : NULL;
    m->v->unit = i->unit ? sol__strdup(i->unit) : NULL;
    return 1;
}

typedef struct src_collect {
    const int64_t *ids;
    size_t n;
    json_t *arr;
} src_collect;

static int on_source(void *ud, const sol_source *s)
{
    src_collect *c = ud;
    for (size_t k = 0; k < c->n; k++)
        if (c->ids[k] == s->id)
            json_array_append_new(c->arr, json_pack("{s:s,s:i,s:s?,s:s?,s:s,s:s,s:s}", "name",
                                                    s->name, "version", s->version, "licence",
                                                    s->licence, "attribution", s->attribution,
                                                    "sha256", s->sha256, "connector", s->connector,
                                                    "imported_at", s->imported_at));
    return 0;
}

size_t sol_values_withhold(sol_values *v)
{
    size_t out = 0, gone = 0;
    for (size_t i = 0; i < v->n; i++) {
        if (v->suppressed[i]) {
            sol__free(v->codes[i]);
            if (v->names)
                sol__free(v->names[i]);
            if (v->features)
                sol_feature_clear(&v->features[i]);
            gone++;
            continue;
        }
        v->codes[out] = v->codes[i];
        v->values[out] = v->values[i];
        v->suppressed[out] = 0;
        if (v->names)
            v->names[out] = v->names[i];
        if (v->features)
            v->features[out] = v->features[i];
        out++;
    }
    v->n = out;
    v->n_suppressed = 0;
    return gone;
}

void sol_values_free(sol_values *v)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < v->n; i++) {
        sol__free(v->codes[i]);
        if (v->names)
            sol__free(v->names[i]);
        if (v->features)
            sol_feature_clear(&v->features[i]);
    }
    sol__free_n(7, v->codes, v->names, v->values, v->suppressed, v->features, v->label, v->unit);
    free(v->sources_json); /* from jansson */
    sol__free(v);
}

sol_status sol_run_values(sol_store *st, const char *indicator, const char *period,
                          int with_geometry, sol_values **out, sol_error *err)
{
    sol_status rc;
    int64_t ids[64];
    loader l = {.src_ids = ids};
    sol_values *v = sol__calloc(1, sizeof *v);
    if (v == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    l.v = v;
    snprintf(v->indicator, sizeof v->indicator, "%s", indicator);
    meta_finder mf = {.code = indicator, .v = v};
    if ((rc = sol_store_indicators(st, on_indicator, &mf, err)) != SOL_OK)
        goto fail;
    if (!mf.found) {
        rc =
            sol__err(err, SOL_ENOTFOUND,
                     "no indicator '%s' in the store; 'solidata indicators' lists them", indicator);
        goto fail;
    }
    if (period) {
        if (!sol_store_has_period(st, period)) {
            rc = sol__err(err, SOL_ENOTFOUND,
                          "no period '%s' in the store (periods are written 2023, 2023-Q2, "
                          "2023-05)",
                          period);
            goto fail;
        }
        snprintf(v->period, sizeof v->period, "%s", period);
    } else if ((rc = sol_store_latest_period(st, indicator, v->period, err)) != SOL_OK) {
        if (rc == SOL_ENOTFOUND)
            sol__err(err, rc, "indicator '%s' has no observation yet", indicator);
        goto fail;
    }
    if ((rc = sol_store_observations(st, indicator, v->period, on_obs, &l, err)) != SOL_OK)
        goto fail;
    if (l.failed)
        goto nomem;
    if (v->n == 0) {
        rc = sol__err(err, SOL_ENOTFOUND, "indicator '%s' has no value at period %s", indicator,
                      v->period);
        goto fail;
    }
    if ((v->names = sol__calloc(v->n, sizeof *v->names)) == NULL ||
        (l.index = sol__strmap_new(v->n)) == NULL)
        goto nomem;
    if (with_geometry && (v->features = sol__calloc(v->n, sizeof *v->features)) == NULL)
        goto nomem;
    for (size_t i = 0; i < v->n; i++)
        if (sol__strmap_put(l.index, v->codes[i], strlen(v->codes[i]), (int64_t)i) != SOL_OK)
            goto nomem;
    if ((rc = sol_store_areas(st, with_geometry, on_area, &l, err)) != SOL_OK)
        goto fail;
    if (l.failed)
        goto nomem;
    if (l.missing_geometry) {
        rc = sol__err(err, SOL_EGEO, "area '%s' has a value but no geometry; import its boundary",
                      l.missing_geometry);
        goto fail;
    }
    /* provenance and a digest of exactly what was read */
    src_collect sc = {.ids = ids, .n = l.nsrc, .arr = json_array()};
    if (sc.arr == NULL)
        goto nomem;
    if ((rc = sol_store_sources(st, on_source, &sc, err)) != SOL_OK) {
        json_decref(sc.arr);
        goto fail;
    }
    v->sources_json = json_dumps(sc.arr, JSON_COMPACT);
    json_decref(sc.arr);
    if (v->sources_json == NULL)
        goto nomem;
    crypto_hash_sha256_state hs;
    crypto_hash_sha256_init(&hs);
    char line[SOL_MAX_CODE + 64];
    for (size_t i = 0; i < v->n; i++) {
        int n = snprintf(line, sizeof line, "%s\t%.17g\n", v->codes[i], v->values[i]);
        crypto_hash_sha256_update(&hs, (const unsigned char *)line, (unsigned long long)n);
    }
    unsigned char d[32];
    crypto_hash_sha256_final(&hs, d);
    sodium_bin2hex(v->inputs_sha256, sizeof v->inputs_sha256, d, sizeof d);
    sol__strmap_free(l.index);
    *out = v;
    return SOL_OK;
nomem:
    rc = sol__err(err, SOL_ENOMEM, "out of memory loading '%s'", indicator);
fail:
    sol__strmap_free(l.index);
    sol_values_free(v);
    return rc;
}

static json_t *load_or_null(const char *s)
{
    return s ? json_loads(s, 0, NULL) : json_null();
}

/* The card: method, inputs, human choices, who, when, software, and the privacy treatment when
 * given. Takes ownership of `inputs` and `priv`. */
static sol_status record(sol_store *st, const char *kind, const char *spec_json,
                         const char *method_json, json_t *inputs, const char *inputs_sha256,
                         const char *choices_json, json_t *priv, const char *result_json,
                         int64_t *id, sol_error *err)
{
    const char *who = sol_run_actor();
    char now[32];
    sol__utc_now(now, sizeof now);
    json_t *card = json_pack("{s:s,s:o,s:o,s:o,s:s?,s:s,s:s}", "kind", kind, "method",
                             load_or_null(method_json), "inputs", inputs ? inputs : json_null(),
                             "choices", load_or_null(choices_json), "who", who, "when", now,
                             "software", "solidata " SOL_VERSION_STRING);
    if (card == NULL) {
        json_decref(priv);
    } else if (json_object_set_new(card, "privacy", priv) != 0) {
        json_decref(card);
        card = NULL;
    }
    if (card == NULL)
        return sol__err(err, SOL_EINVAL, "method card: a JSON part is not valid JSON");
    char *card_s = json_dumps(card, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(card);
    if (card_s == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol_run r = {.kind = kind,
                 .spec = spec_json ? spec_json : "{}",
                 .method_card = card_s,
                 .inputs_sha256 = inputs_sha256,
                 .result = result_json,
                 .created_at = now,
                 .created_by = who};
    sol_status rc = sol_store_run_add(st, &r, id, err);
    free(card_s);
    return rc;
}

static json_t *inputs_of(const sol_values *in)
{
    if (in == NULL)
        return json_null();
    return json_pack("{s:s,s:s?,s:s?,s:s,s:s,s:I,s:o,s:s}", "indicator", in->indicator, "label",
                     in->label, "unit", in->unit, "polarity",
                     in->polarity > 0   ? "higher_better"
                     : in->polarity < 0 ? "lower_better"
                                        : "not stated",
                     "period", in->period, "areas", (json_int_t)in->n, "sources",
                     load_or_null(in->sources_json), "values_sha256", in->inputs_sha256);
}

/* The privacy treatment of a run whose inputs are not one indicator's values. */
static json_t *privacy_generic(void)
{
    return json_pack(
        "{s:s,s:s}", "disclosure_control",
        N_("counts below the dataset's minimum cell size, and the complements that "
           "protect them, are flagged suppressed and withheld from public outputs; the "
           "run may use them"),
        "result", N_("for analysts (the run's result needs the analyst role)"));
}

/* The privacy treatment of a run over one indicator's values. */
static json_t *privacy_of(const sol_values *in)
{
    return json_pack("{s:s,s:I,s:s}", "disclosure_control",
                     N_("counts below the dataset's minimum cell size, and the complements that "
                        "protect them, are flagged suppressed and withheld from public outputs"),
                     "inputs_suppressed", (json_int_t)in->n_suppressed, "result",
                     in->n_suppressed ? N_("computed with suppressed values: for analysts (the "
                                           "run's result needs the analyst role)")
                                      : N_("no suppressed input"));
}

sol_status sol_run_record(sol_store *st, const sol_run_card *c, int64_t *id, sol_error *err)
{
    if (c == NULL || c->kind == NULL)
        return sol__err(err, SOL_EINVAL, "method card: no kind");
    json_t *inputs;
    if (c->inputs != NULL)
        inputs = inputs_of(c->inputs);
    else if ((inputs = load_or_null(c->inputs_json)) == NULL)
        return sol__err(err, SOL_EINVAL, "method card: the inputs are not valid JSON");
    json_t *priv = c->privacy_json ? json_loads(c->privacy_json, 0, NULL)
                   : c->inputs     ? privacy_of(c->inputs)
                                   : privacy_generic();
    if (priv == NULL) {
        json_decref(inputs);
        return sol__err(err, SOL_EINVAL, "method card: the privacy part is not valid JSON");
    }
    return record(st, c->kind, c->spec_json, c->method_json, inputs,
                  c->inputs ? c->inputs->inputs_sha256 : c->inputs_sha256, c->choices_json, priv,
                  c->result_json, id, err);
}
