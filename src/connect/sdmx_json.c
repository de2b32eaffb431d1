/* sdmx_json.c - SDMX-JSON data messages 1.0 and 2.0: dimensions and their values from the
 * structure, observations from dataSets[].series (key "0:1:0") or dataSets[].observations. */
#include "sdmx_int.h"

#include <jansson.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct jdim {
    int d;          /* builder dimension */
    json_t *values; /* array of {id} */
    uint32_t *code; /* value index -> builder code, SOL_SDMX_NONE before first use */
    size_t nvalues;
} jdim;

typedef struct jx {
    sdmx_builder *b;
    sol_error *err;
    jdim dims[3][SOL_SDMX_MAX_DIMS]; /* 0 dataSet, 1 series, 2 observation */
    size_t ndims[3];
    json_t *status_values; /* values of the OBS_STATUS observation attribute */
    size_t status_pos;     /* its position among the observation attributes (+ measures) */
    int has_status;
    size_t nmeasures; /* SDMX-JSON 2.0: leading measure values in an observation array */
} jx;

static sol_status bad(jx *x, const char *what)
{
    return sol__err_at(x->err, SOL_EPARSE, x->b->name, 0, 0, "not an SDMX-JSON data message: %s",
                       what);
}

static sol_status load_dims(jx *x, json_t *structure)
{
    static const char *const level[3] = {"dataSet", "series", "observation"};
    json_t *dims = json_object_get(structure, "dimensions");
    if (!json_is_object(dims))
        return bad(x, _("structure.dimensions is missing"));
    for (int l = 0; l < 3; l++) {
        json_t *arr = json_object_get(dims, level[l]);
        if (arr == NULL)
            continue;
        if (!json_is_array(arr))
            return bad(x, _("structure.dimensions holds something else than lists"));
        size_t i;
        json_t *dim;
        json_array_foreach(arr, i, dim)
        {
            if (x->ndims[l] >= SOL_SDMX_MAX_DIMS)
                return sol__err_at(x->err, SOL_ELIMIT, x->b->name, 0, 0,
                                   "the message has more than %u dimensions", SOL_SDMX_MAX_DIMS);
            const char *id = json_string_value(json_object_get(dim, "id"));
            json_t *values = json_object_get(dim, "values");
            if (id == NULL || !json_is_array(values))
                return bad(x, _("a dimension has no id or no values"));
            jdim *j = &x->dims[l][x->ndims[l]];
            sol_status rc = sol__sdmx_dim(x->b, id, strlen(id), &j->d, x->err, 0, 0);
            if (rc != SOL_OK)
                return rc;
            j->values = values;
            j->nvalues = json_array_size(values);
            j->code = sol__malloc((j->nvalues ? j->nvalues : 1) * sizeof *j->code);
            if (j->code == NULL)
                return SOL_ENOMEM;
            for (size_t k = 0; k < j->nvalues; k++)
                j->code[k] = SOL_SDMX_NONE;
            x->ndims[l]++;
        }
    }
    json_t *meas = json_object_get(json_object_get(structure, "measures"), "observation");
    x->nmeasures = json_is_array(meas) && json_array_size(meas) > 0 ? json_array_size(meas) : 1;
    json_t *oattrs = json_object_get(json_object_get(structure, "attributes"), "observation");
    size_t i;
    json_t *a;
    json_array_foreach(oattrs, i, a)
    {
        const char *id = json_string_value(json_object_get(a, "id"));
        if (id != NULL && strcmp(id, "OBS_STATUS") == 0) {
            x->has_status = 1;
            x->status_pos = x->nmeasures + i;
            x->status_values = json_object_get(a, "values");
        }
    }
    return SOL_OK;
}

/* Key code of value index k of dimension j. */
static sol_status dim_code(jx *x, jdim *j, size_t k, uint32_t *out)
{
    if (k >= j->nvalues)
        return sol__err_at(x->err, SOL_EPARSE, x->b->name, 0, 0,
                           "a key refers to value %zu of dimension %s, which has %zu values", k,
                           x->b->d->dim_id[j->d], j->nvalues);
    if (j->code[k] == SOL_SDMX_NONE) {
        json_t *v = json_array_get(j->values, k);
        const char *id = json_string_value(json_object_get(v, "id"));
        if (id == NULL)
            id = json_string_value(json_object_get(v, "value"));
        if (id == NULL)
            return sol__err_at(x->err, SOL_EPARSE, x->b->name, 0, 0,
                               "value %zu of dimension %s has no id", k, x->b->d->dim_id[j->d]);
        sol_status rc = sol__sdmx_code(x->b, j->d, id, strlen(id), &j->code[k], x->err, 0, 0);
        if (rc != SOL_OK)
            return rc;
    }
    *out = j->code[k];
    return SOL_OK;
}

/* Apply a key "0:1:0" to the dimensions of level l. */
static sol_status apply_key(jx *x, int l, const char *key, uint32_t *cur)
{
    const char *p = key;
    for (size_t i = 0; i < x->ndims[l]; i++) {
        char *end;
        if (*p < '0' || *p > '9')
            return sol__err_at(x->err, SOL_EPARSE, x->b->name, 0, 0,
                               "the key '%.40s' is not indices separated by ':'", key);
        unsigned long k = strtoul(p, &end, 10);
        sol_status rc = dim_code(x, &x->dims[l][i], (size_t)k, &cur[x->dims[l][i].d]);
        if (rc != SOL_OK)
            return rc;
        p = end;
        if (i + 1 < x->ndims[l]) {
            if (*p != ':')
                return sol__err_at(x->err, SOL_EPARSE, x->b->name, 0, 0,
                                   "the key '%.40s' has fewer than %zu parts", key, x->ndims[l]);
            p++;
        }
    }
    if (*p != '\0')
        return sol__err_at(x->err, SOL_EPARSE, x->b->name, 0, 0,
                           "the key '%.40s' has more than %zu parts", key, x->ndims[l]);
    return SOL_OK;
}

static sol_status observation(jx *x, json_t *arr, uint32_t *key)
{
    double v = NAN;
    uint32_t st = SOL_SDMX_NONE;
    json_t *jv = json_is_array(arr) ? json_array_get(arr, 0) : arr;
    if (json_is_number(jv))
        v = json_number_value(jv);
    else if (json_is_string(jv)) {
        const char *s = json_string_value(jv);
        sol_status rc = sol__sdmx_value(x->b, s, strlen(s), 0, &v, x->err, 0, 0);
        if (rc != SOL_OK)
            return rc;
    } else if (jv != NULL && !json_is_null(jv))
        return sol__err_at(x->err, SOL_EPARSE, x->b->name, 0, 0,
                           "expected an OBS_VALUE number, found a JSON %s",
                           json_is_object(jv)  ? "object"
                           : json_is_array(jv) ? "list"
                                               : "value");
    if (x->has_status && json_is_array(arr)) {
        json_t *a = json_array_get(arr, x->status_pos);
        if (json_is_integer(a)) {
            json_int_t k = json_integer_value(a);
            json_t *sv = k >= 0 ? json_array_get(x->status_values, (size_t)k) : NULL;
            const char *s = json_string_value(json_object_get(sv, "id"));
            if (s == NULL)
                s = json_string_value(json_object_get(sv, "value"));
            if (s != NULL) {
                sol_status rc = sol__sdmx_status(x->b, s, strlen(s), &st, x->err, 0, 0);
                if (rc != SOL_OK)
                    return rc;
            }
        }
    }
    return sol__sdmx_obs(x->b, key, v, st, x->err, 0, 0);
}

static sol_status read_dataset(jx *x, json_t *ds)
{
    uint32_t base[SOL_SDMX_MAX_DIMS], skey[SOL_SDMX_MAX_DIMS], okey[SOL_SDMX_MAX_DIMS];
    for (size_t i = 0; i < SOL_SDMX_MAX_DIMS; i++)
        base[i] = SOL_SDMX_NONE;
    sol_status rc;
    for (size_t i = 0; i < x->ndims[0]; i++)
        if ((rc = dim_code(x, &x->dims[0][i], 0, &base[x->dims[0][i].d])) != SOL_OK)
            return rc;
    const char *k;
    json_t *v;
    json_t *series = json_object_get(ds, "series");
    if (json_is_object(series)) {
        json_object_foreach(series, k, v)
        {
            memcpy(skey, base, sizeof skey);
            if ((rc = apply_key(x, 1, k, skey)) != SOL_OK)
                return rc;
            json_t *obs = json_object_get(v, "observations");
            const char *ok;
            json_t *ov;
            json_object_foreach(obs, ok, ov)
            {
                memcpy(okey, skey, sizeof okey);
                if ((rc = apply_key(x, 2, ok, okey)) != SOL_OK ||
                    (rc = observation(x, ov, okey)) != SOL_OK)
                    return rc;
            }
        }
    }
    json_t *obs = json_object_get(ds, "observations");
    if (json_is_object(obs)) {
        json_object_foreach(obs, k, v)
        {
            memcpy(okey, base, sizeof okey);
            /* flat: the key covers the series dimensions (if any) then the observation ones */
            if (x->ndims[1] > 0) {
                const char *p = k;
                for (size_t i = 0; i < x->ndims[1] && p; i++) {
                    p = strchr(p, ':');
                    if (p)
                        p++;
                }
                if (p == NULL)
                    return sol__err_at(x->err, SOL_EPARSE, x->b->name, 0, 0,
                                       "the key '%.40s' has too few parts", k);
                size_t n = (size_t)(p - k - 1);
                char part[1024];
                if (n >= sizeof part)
                    return sol__err_at(x->err, SOL_ELIMIT, x->b->name, 0, 0,
                                       "the key '%.40s...' is too long", k);
                memcpy(part, k, n);
                part[n] = '\0';
                if ((rc = apply_key(x, 1, part, okey)) != SOL_OK ||
                    (rc = apply_key(x, 2, p, okey)) != SOL_OK)
                    return rc;
            } else if ((rc = apply_key(x, 2, k, okey)) != SOL_OK) {
                return rc;
            }
            if ((rc = observation(x, v, okey)) != SOL_OK)
                return rc;
        }
    }
    return SOL_OK;
}

/* The dataflow's id from links [{rel: "dataflow", id | urn "...Dataflow=ECB:EXR(1.0)"}]. */
static sol_status structure_id(sdmx_builder *b, json_t *links)
{
    size_t i;
    json_t *l;
    json_array_foreach(links, i, l)
    {
        const char *rel = json_string_value(json_object_get(l, "rel"));
        const char *id = json_string_value(json_object_get(l, "id"));
        const char *urn = json_string_value(json_object_get(l, "urn"));
        if (b->d->structure != NULL || rel == NULL ||
            (strcmp(rel, "dataflow") != 0 && strcmp(rel, "datastructure") != 0))
            continue;
        size_t n = id ? strlen(id) : 0;
        if (id == NULL && urn != NULL) {
            const char *eq = strchr(urn, '=');
            const char *colon = eq ? strchr(eq, ':') : NULL;
            if (colon != NULL) {
                id = colon + 1;
                n = strcspn(id, "(");
            }
        }
        const char *href = json_string_value(json_object_get(l, "href"));
        const char *seg = href ? strstr(href, "/dataflow/") : NULL;
        if (id == NULL && seg != NULL) { /* REST: .../dataflow/ECB/EXR/1.0 */
            const char *slash = strchr(seg + 10, '/');
            if (slash != NULL) {
                id = slash + 1;
                n = strcspn(id, "/?");
            }
        }
        if (id != NULL && n > 0 && n <= SOL_SDMX_MAX_CODE &&
            (b->d->structure = sol__strndup(id, n)) == NULL)
            return SOL_ENOMEM;
    }
    return SOL_OK;
}

sol_status sol__sdmx_parse_json(sdmx_builder *b, const char *buf, size_t len, sol_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(buf, len, 0, &je);
    if (root == NULL)
        return sol__err_at(err, SOL_EPARSE, b->name, je.line > 0 ? (unsigned long)je.line : 0,
                           je.column > 0 ? (unsigned long)je.column : 0,
                           "the JSON is not well formed: %s", je.text);
    jx *x = sol__calloc(1, sizeof *x);
    sol_status rc = SOL_ENOMEM;
    if (x == NULL)
        goto done;
    x->b = b;
    x->err = err;
    b->d->format = SOL_SDMX_JSON;
    json_t *data = json_object_get(root, "data"); /* 2.0: {meta, data: {structures, dataSets}} */
    json_t *container = json_is_object(data) ? data : root;
    json_t *structure = json_object_get(container, "structure");
    json_t *structures = json_object_get(container, "structures");
    if (structure == NULL && json_is_array(structures))
        structure = json_array_get(structures, 0);
    json_t *datasets = json_object_get(container, "dataSets");
    if (!json_is_object(structure) || !json_is_array(datasets)) {
        rc = bad(x, json_object_get(container, "errors") != NULL
                        ? _("the provider answered with an error")
                        : _("no structure or no dataSets"));
        goto done;
    }
    if ((rc = load_dims(x, structure)) != SOL_OK)
        goto done;
    size_t i;
    json_t *ds;
    if ((rc = structure_id(b, json_object_get(structure, "links"))) != SOL_OK)
        goto done;
    json_array_foreach(datasets, i, ds)
    {
        if ((rc = structure_id(b, json_object_get(ds, "links"))) != SOL_OK)
            goto done;
    }
    json_array_foreach(datasets, i, ds)
    {
        if ((rc = read_dataset(x, ds)) != SOL_OK)
            goto done;
    }
    rc = SOL_OK;
done:
    if (x != NULL)
        for (int lv = 0; lv < 3; lv++)
            for (size_t k = 0; k < x->ndims[lv]; k++)
                sol__free(x->dims[lv][k].code);
    sol__free(x);
    json_decref(root);
    return rc;
}
