/* spec.c - the composite index spec: defaults, building it in code, method names, and parsing the
 * JSON form (jansson) with a clear message naming the offending key. */
#include <solidata/index.h>

#include "core/core.h"
#include "index/index_int.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

/* ---- names ------------------------------------------------------------------------------- */

static const char *const norm_names[] = {"none",    "minmax", "zscore", "rank",
                                         "distref", "mp",     "amp"};
static const char *const agg_names[] = {"arith", "geometric", "mpi"};
static const char *const weight_names[] = {"equal", "human", "pca", "fa"};
static const char *const miss_names[] = {"fail", "reweight", "mean", "median", "regression"};

#define NNAMES(a) (sizeof(a) / sizeof((a)[0]))

static int find_name(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return (int)i;
    return -1;
}

sol_status sol_index_norm_parse(const char *name, sol_index_norm *out)
{
    int i = find_name(norm_names, NNAMES(norm_names), name);
    if (i < 0 && strcmp(name, "ampi") == 0)
        i = SOL_NORM_AMP;
    if (i < 0)
        return SOL_EINVAL;
    *out = (sol_index_norm)i;
    return SOL_OK;
}

sol_status sol_index_agg_parse(const char *name, sol_index_agg *out)
{
    int i = find_name(agg_names, NNAMES(agg_names), name);
    if (i < 0 && (strcmp(name, "arithmetic") == 0 || strcmp(name, "mean") == 0))
        i = SOL_AGG_ARITH;
    if (i < 0 && strcmp(name, "ampi") == 0)
        i = SOL_AGG_MPI;
    if (i < 0)
        return SOL_EINVAL;
    *out = (sol_index_agg)i;
    return SOL_OK;
}

sol_status sol_index_weighting_parse(const char *name, sol_index_weighting *out)
{
    int i = find_name(weight_names, NNAMES(weight_names), name);
    if (i < 0)
        return SOL_EINVAL;
    *out = (sol_index_weighting)i;
    return SOL_OK;
}

sol_status sol_index_missing_parse(const char *name, sol_index_missing *out)
{
    int i = find_name(miss_names, NNAMES(miss_names), name);
    if (i < 0)
        return SOL_EINVAL;
    *out = (sol_index_missing)i;
    return SOL_OK;
}

const char *sol_index_norm_name(sol_index_norm n)
{
    return (size_t)n < NNAMES(norm_names) ? norm_names[n] : "?";
}
const char *sol_index_agg_name(sol_index_agg a)
{
    return (size_t)a < NNAMES(agg_names) ? agg_names[a] : "?";
}
const char *sol_index_weighting_name(sol_index_weighting w)
{
    return (size_t)w < NNAMES(weight_names) ? weight_names[w] : "?";
}
const char *sol_index_missing_name(sol_index_missing m)
{
    return (size_t)m < NNAMES(miss_names) ? miss_names[m] : "?";
}

/* ---- building ---------------------------------------------------------------------------- */

sol_status sol_index_spec_new(sol_index_spec **out)
{
    sol_index_spec *s = sol__calloc(1, sizeof *s);
    if (s == NULL)
        return SOL_ENOMEM;
    s->norm = SOL_NORM_MP;
    s->agg = SOL_AGG_MPI;
    s->penalty = -1;
    s->minmax_lo = 0.0;
    s->minmax_hi = 1.0;
    s->ind_weights = SOL_WEIGHT_EQUAL;
    s->dim_weights = SOL_WEIGHT_EQUAL;
    s->missing = SOL_MISS_FAIL;
    s->ref_kind = SOL_REF_MEAN;
    *out = s;
    return SOL_OK;
}

void sol_index_spec_free(sol_index_spec *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n_ind; i++) {
        sol__free(s->ind[i].code);
        sol__free(s->ind[i].dim);
    }
    for (size_t d = 0; d < s->n_dim; d++)
        sol__free(s->dim[d].name);
    sol__free_n(6, s->ind, s->dim, s->weights_by, s->weights_on, s->ref_area, s->ref_period);
    for (size_t k = 0; k < s->n_periods; k++)
        sol__free(s->periods[k]);
    sol__free(s->periods);
    sol__free(s);
}

sol_status sol_index_spec_add_ind(sol_index_spec *s, const char *code, const char *dim,
                                  int polarity, double weight)
{
    if (s->n_ind >= SOL_MAX_INDEX_INDICATORS)
        return SOL_ELIMIT;
    sol_index_ind *a = sol__realloc(s->ind, (s->n_ind + 1) * sizeof *a);
    if (a == NULL)
        return SOL_ENOMEM;
    s->ind = a;
    sol_index_ind *p = &a[s->n_ind];
    p->code = sol__strdup(code);
    p->dim = sol__strdup(dim != NULL ? dim : code);
    if (p->code == NULL || p->dim == NULL) {
        sol__free(p->code);
        sol__free(p->dim);
        return SOL_ENOMEM;
    }
    p->polarity = polarity;
    p->weight = weight;
    p->w_lo = p->w_hi = NAN;
    p->ref = NAN;
    s->n_ind++;
    return SOL_OK;
}

sol_status sol_index_spec_add_dim(sol_index_spec *s, const char *name, double weight)
{
    if (s->n_dim >= SOL_MAX_INDEX_INDICATORS)
        return SOL_ELIMIT;
    sol_index_dim *a = sol__realloc(s->dim, (s->n_dim + 1) * sizeof *a);
    if (a == NULL)
        return SOL_ENOMEM;
    s->dim = a;
    sol_index_dim *p = &a[s->n_dim];
    if ((p->name = sol__strdup(name)) == NULL)
        return SOL_ENOMEM;
    p->weight = weight;
    p->w_lo = p->w_hi = NAN;
    s->n_dim++;
    return SOL_OK;
}

sol_status sol_index_spec_add_period(sol_index_spec *s, const char *period)
{
    if (s->n_periods >= SOL_MAX_INDEX_PERIODS)
        return SOL_ELIMIT;
    char **a = sol__realloc(s->periods, (s->n_periods + 1) * sizeof *a);
    if (a == NULL)
        return SOL_ENOMEM;
    s->periods = a;
    if ((a[s->n_periods] = sol__strdup(period)) == NULL)
        return SOL_ENOMEM;
    s->n_periods++;
    return SOL_OK;
}

/* Replace the periods by a comma-separated list (NULL or "" clears them). */
static sol_status set_periods(sol_index_spec *s, const char *list)
{
    for (size_t k = 0; k < s->n_periods; k++)
        sol__free(s->periods[k]);
    s->n_periods = 0;
    for (const char *p = list; p != NULL && *p != '\0';) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n > 0) {
            char *one = sol__strndup(p, n);
            sol_status rc = one ? sol_index_spec_add_period(s, one) : SOL_ENOMEM;
            sol__free(one);
            if (rc != SOL_OK)
                return rc;
        }
        p = e ? e + 1 : NULL;
    }
    return SOL_OK;
}

sol_status sol_index_spec_set(sol_index_spec *s, const char *field, const char *value)
{
    char **slot = NULL;
    if (strcmp(field, "periods") == 0)
        return set_periods(s, value);
    if (strcmp(field, "ref_area") == 0)
        slot = &s->ref_area;
    else if (strcmp(field, "ref_period") == 0)
        slot = &s->ref_period;
    else if (strcmp(field, "weights_by") == 0)
        slot = &s->weights_by;
    else if (strcmp(field, "weights_on") == 0)
        slot = &s->weights_on;
    else
        return SOL_EINVAL;
    char *v = NULL;
    if (value != NULL && (v = sol__strdup(value)) == NULL)
        return SOL_ENOMEM;
    sol__free(*slot);
    *slot = v;
    return SOL_OK;
}

/* ---- JSON -------------------------------------------------------------------------------- */

/* `what` is a whole clause marked with N_, translated here */
static sol_status bad(sol_error *err, const char *key, const char *what)
{
    return sol__err(err, SOL_EPARSE, "index spec: \"%s\": %s", key, _(what));
}

static sol_status check_keys(json_t *o, const char *const *allowed, const char *where,
                             sol_error *err)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        int ok = 0;
        for (size_t i = 0; allowed[i] != NULL; i++)
            ok |= strcmp(allowed[i], k) == 0;
        if (!ok)
            return sol__err(err, SOL_EPARSE, "index spec: unknown key \"%s\" in %s", k, where);
    }
    return SOL_OK;
}

static sol_status get_range(json_t *v, const char *key, double *lo, double *hi, sol_error *err)
{
    if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_number(json_array_get(v, 0)) ||
        !json_is_number(json_array_get(v, 1)))
        return bad(err, key, N_("expected [low, high]"));
    *lo = json_number_value(json_array_get(v, 0));
    *hi = json_number_value(json_array_get(v, 1));
    if (!(*lo <= *hi))
        return bad(err, key, N_("low must not exceed high"));
    return SOL_OK;
}

static sol_status parse_polarity(json_t *v, int *pol, const char *code, sol_error *err)
{
    if (v == NULL) {
        *pol = 0; /* the store may state it; sol_index_run refuses it otherwise */
        return SOL_OK;
    }
    if (json_is_integer(v) && (json_integer_value(v) == 1 || json_integer_value(v) == -1)) {
        *pol = (int)json_integer_value(v);
        return SOL_OK;
    }
    const char *s = json_string_value(v);
    if (s != NULL && (strcmp(s, "+") == 0 || strcmp(s, "higher_better") == 0)) {
        *pol = 1;
        return SOL_OK;
    }
    if (s != NULL && (strcmp(s, "-") == 0 || strcmp(s, "lower_better") == 0)) {
        *pol = -1;
        return SOL_OK;
    }
    return sol__err(err, SOL_EPARSE,
                    "index spec: indicator \"%s\": polarity must be \"+\", "
                    "\"-\", 1, -1, \"higher_better\" or \"lower_better\"",
                    code);
}

/* An optional number member: *out untouched when absent. */
static sol_status get_num(json_t *o, const char *key, double *out, sol_error *err)
{
    json_t *v = json_object_get(o, key);
    if (v == NULL)
        return SOL_OK;
    if (!json_is_number(v))
        return bad(err, key, N_("expected a number"));
    *out = json_number_value(v);
    return SOL_OK;
}

static sol_status parse_indicators(json_t *arr, sol_index_spec *s, sol_error *err)
{
    static const char *const keys[] = {"code",         "dimension", "polarity", "weight",
                                       "weight_range", "ref",       NULL};
    sol_status rc;
    size_t i;
    json_t *o;
    if (!json_is_array(arr))
        return bad(err, "indicators", N_("expected an array of objects"));
    json_array_foreach(arr, i, o)
    {
        if (!json_is_object(o))
            return bad(err, "indicators", N_("expected an array of objects"));
        if ((rc = check_keys(o, keys, "an indicator", err)) != SOL_OK)
            return rc;
        const char *code = json_string_value(json_object_get(o, "code"));
        if (code == NULL || code[0] == '\0')
            return bad(err, "indicators", N_("every indicator needs a \"code\" string"));
        json_t *d = json_object_get(o, "dimension");
        if (d != NULL && !json_is_string(d))
            return bad(err, "dimension", N_("expected a string"));
        int pol = 0;
        if ((rc = parse_polarity(json_object_get(o, "polarity"), &pol, code, err)) != SOL_OK)
            return rc;
        double w = NAN;
        if ((rc = get_num(o, "weight", &w, err)) != SOL_OK)
            return rc;
        if ((rc = sol_index_spec_add_ind(s, code, json_string_value(d), pol, w)) != SOL_OK)
            return sol__err(err, rc, "index spec: cannot add indicator \"%s\"", code);
        sol_index_ind *p = &s->ind[s->n_ind - 1];
        json_t *r = json_object_get(o, "weight_range");
        if (r != NULL && (rc = get_range(r, "weight_range", &p->w_lo, &p->w_hi, err)) != SOL_OK)
            return rc;
        if ((rc = get_num(o, "ref", &p->ref, err)) != SOL_OK)
            return rc;
    }
    return SOL_OK;
}

static sol_status parse_dimensions(json_t *arr, sol_index_spec *s, sol_error *err)
{
    static const char *const keys[] = {"name", "weight", "weight_range", NULL};
    sol_status rc;
    size_t i;
    json_t *o;
    if (!json_is_array(arr))
        return bad(err, "dimensions", N_("expected an array of objects"));
    json_array_foreach(arr, i, o)
    {
        if (!json_is_object(o))
            return bad(err, "dimensions", N_("expected an array of objects"));
        if ((rc = check_keys(o, keys, "a dimension", err)) != SOL_OK)
            return rc;
        const char *name = json_string_value(json_object_get(o, "name"));
        if (name == NULL || name[0] == '\0')
            return bad(err, "dimensions", N_("every dimension needs a \"name\" string"));
        double w = NAN;
        if ((rc = get_num(o, "weight", &w, err)) != SOL_OK)
            return rc;
        if ((rc = sol_index_spec_add_dim(s, name, w)) != SOL_OK)
            return sol__err(err, rc, "index spec: cannot add dimension \"%s\"", name);
        json_t *r = json_object_get(o, "weight_range");
        sol_index_dim *p = &s->dim[s->n_dim - 1];
        if (r != NULL && (rc = get_range(r, "weight_range", &p->w_lo, &p->w_hi, err)) != SOL_OK)
            return rc;
    }
    return SOL_OK;
}

static sol_status get_str(json_t *o, const char *key, const char **out, sol_error *err)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (v == NULL)
        return SOL_OK;
    if (!json_is_string(v))
        return bad(err, key, N_("expected a string"));
    *out = json_string_value(v);
    return SOL_OK;
}

static sol_status parse_alts(json_t *arr, const char *key, int kind, sol_index_spec *s,
                             sol_error *err)
{
    size_t i;
    json_t *v;
    if (!json_is_array(arr) || json_array_size(arr) < 1 || json_array_size(arr) > SOL_INDEX_MAX_ALT)
        return bad(err, key, N_("expected an array of 1 to 8 method names"));
    json_array_foreach(arr, i, v)
    {
        const char *n = json_string_value(v);
        int bad_name = n == NULL;
        if (!bad_name && kind == 0)
            bad_name = sol_index_norm_parse(n, &s->mc_norm[i]) != 0;
        else if (!bad_name && kind == 1)
            bad_name = sol_index_agg_parse(n, &s->mc_agg[i]) != 0;
        else if (!bad_name)
            bad_name = sol_index_missing_parse(n, &s->mc_missing[i]) != 0;
        if (bad_name)
            return bad(err, key, N_("unknown method name"));
    }
    if (kind == 0) {
        s->n_mc_norm = json_array_size(arr);
        s->mc_factors |= SOL_MC_NORM;
    } else if (kind == 1) {
        s->n_mc_agg = json_array_size(arr);
        s->mc_factors |= SOL_MC_AGG;
    } else {
        s->n_mc_missing = json_array_size(arr);
        s->mc_factors |= SOL_MC_MISSING;
    }
    return SOL_OK;
}

static sol_status parse_uncertainty(json_t *o, sol_index_spec *s, sol_error *err)
{
    static const char *const keys[] = {
        "replications", "seed", "normalisation", "aggregation", "missing", "weights", NULL};
    sol_status rc;
    if (!json_is_object(o))
        return bad(err, "uncertainty", N_("expected an object"));
    if ((rc = check_keys(o, keys, "\"uncertainty\"", err)) != SOL_OK)
        return rc;
    json_t *v = json_object_get(o, "replications");
    if (v == NULL || !json_is_integer(v) || json_integer_value(v) < 1 ||
        (unsigned long long)json_integer_value(v) > SOL_MAX_INDEX_REPS)
        return bad(err, "replications", N_("expected an integer from 1 to 1000000"));
    s->mc_reps = (size_t)json_integer_value(v);
    v = json_object_get(o, "seed");
    if (v != NULL) {
        if (!json_is_integer(v) || json_integer_value(v) < 0)
            return bad(err, "seed", N_("expected a non-negative integer"));
        s->seed = (uint64_t)json_integer_value(v);
    }
    if ((v = json_object_get(o, "normalisation")) != NULL &&
        (rc = parse_alts(v, "normalisation", 0, s, err)) != SOL_OK)
        return rc;
    if ((v = json_object_get(o, "aggregation")) != NULL &&
        (rc = parse_alts(v, "aggregation", 1, s, err)) != SOL_OK)
        return rc;
    if ((v = json_object_get(o, "missing")) != NULL &&
        (rc = parse_alts(v, "missing", 2, s, err)) != SOL_OK)
        return rc;
    if ((v = json_object_get(o, "weights")) != NULL) {
        if (!json_is_boolean(v))
            return bad(err, "weights", N_("expected true or false"));
        if (json_is_true(v))
            s->mc_factors |= SOL_MC_WEIGHTS;
    }
    return SOL_OK;
}

static sol_status parse_root(json_t *root, sol_index_spec *s, sol_error *err)
{
    static const char *const keys[] = {"indicators",  "dimensions", "normalisation", "minmax_range",
                                       "aggregation", "penalty",    "weights",       "missing",
                                       "outliers",    "reference",  "uncertainty",   "periods",
                                       "comment",     NULL};
    static const char *const wkeys[] = {"indicators", "dimensions", "set_by", "set_on", NULL};
    sol_status rc;
    const char *str;
    if (!json_is_object(root))
        return sol__err(err, SOL_EPARSE, "index spec: expected a JSON object");
    if ((rc = check_keys(root, keys, "the spec", err)) != SOL_OK)
        return rc;
    json_t *v = json_object_get(root, "indicators");
    if (v == NULL)
        return bad(err, "indicators", N_("required"));
    if ((rc = parse_indicators(v, s, err)) != SOL_OK)
        return rc;
    if ((v = json_object_get(root, "dimensions")) != NULL &&
        (rc = parse_dimensions(v, s, err)) != SOL_OK)
        return rc;
    if ((rc = get_str(root, "normalisation", &str, err)) != SOL_OK)
        return rc;
    if (str != NULL && sol_index_norm_parse(str, &s->norm) != 0)
        return bad(err, "normalisation",
                   N_("expected none, minmax, zscore, rank, distref, mp or amp"));
    if ((v = json_object_get(root, "minmax_range")) != NULL &&
        (rc = get_range(v, "minmax_range", &s->minmax_lo, &s->minmax_hi, err)) != SOL_OK)
        return rc;
    if ((rc = get_str(root, "aggregation", &str, err)) != SOL_OK)
        return rc;
    if (str != NULL && sol_index_agg_parse(str, &s->agg) != 0)
        return bad(err, "aggregation", N_("expected arith, geometric or mpi"));
    if ((rc = get_str(root, "penalty", &str, err)) != SOL_OK)
        return rc;
    if (str != NULL) {
        if (strcmp(str, "negative") == 0)
            s->penalty = -1;
        else if (strcmp(str, "positive") == 0)
            s->penalty = 1;
        else
            return bad(err, "penalty", N_("expected negative or positive"));
    }
    /* Weights given switch their level to human weighting unless "weights" says otherwise. */
    for (size_t j = 0; j < s->n_ind; j++)
        if (!isnan(s->ind[j].weight))
            s->ind_weights = SOL_WEIGHT_HUMAN;
    for (size_t d = 0; d < s->n_dim; d++)
        if (!isnan(s->dim[d].weight))
            s->dim_weights = SOL_WEIGHT_HUMAN;
    if ((v = json_object_get(root, "weights")) != NULL) {
        if (!json_is_object(v))
            return bad(err, "weights", N_("expected an object"));
        if ((rc = check_keys(v, wkeys, "\"weights\"", err)) != SOL_OK)
            return rc;
        if ((rc = get_str(v, "indicators", &str, err)) != SOL_OK)
            return rc;
        if (str != NULL && sol_index_weighting_parse(str, &s->ind_weights) != 0)
            return bad(err, "indicators", N_("expected equal, human, pca or fa"));
        if ((rc = get_str(v, "dimensions", &str, err)) != SOL_OK)
            return rc;
        if (str != NULL && sol_index_weighting_parse(str, &s->dim_weights) != 0)
            return bad(err, "dimensions", N_("expected equal, human, pca or fa"));
        if ((rc = get_str(v, "set_by", &str, err)) != SOL_OK ||
            (str != NULL && (rc = sol_index_spec_set(s, "weights_by", str)) != SOL_OK))
            return rc;
        if ((rc = get_str(v, "set_on", &str, err)) != SOL_OK ||
            (str != NULL && (rc = sol_index_spec_set(s, "weights_on", str)) != SOL_OK))
            return rc;
    }
    if ((rc = get_str(root, "missing", &str, err)) != SOL_OK)
        return rc;
    if (str != NULL && sol_index_missing_parse(str, &s->missing) != 0)
        return bad(err, "missing", N_("expected fail, reweight, mean, median or regression"));
    if ((rc = get_str(root, "outliers", &str, err)) != SOL_OK)
        return rc;
    if (str != NULL) {
        if (strcmp(str, "winsorise") == 0 || strcmp(str, "winsorize") == 0)
            s->winsorise = 1;
        else if (strcmp(str, "none") != 0)
            return bad(err, "outliers", N_("expected winsorise or none"));
    }
    if ((v = json_object_get(root, "reference")) != NULL) {
        if (json_is_string(v) && strcmp(json_string_value(v), "mean") == 0) {
            s->ref_kind = SOL_REF_MEAN;
        } else if (json_is_string(v) && strcmp(json_string_value(v), "value") == 0) {
            s->ref_kind = SOL_REF_VALUE;
        } else if (json_is_object(v)) {
            static const char *const rkeys[] = {"area", "period", NULL};
            if ((rc = check_keys(v, rkeys, "\"reference\"", err)) != SOL_OK)
                return rc;
            const char *area, *per;
            if ((rc = get_str(v, "area", &area, err)) != SOL_OK ||
                (rc = get_str(v, "period", &per, err)) != SOL_OK)
                return rc;
            if (area == NULL)
                return bad(err, "reference", N_("an object needs \"area\""));
            s->ref_kind = SOL_REF_AREA;
            if ((rc = sol_index_spec_set(s, "ref_area", area)) != SOL_OK ||
                (per != NULL && (rc = sol_index_spec_set(s, "ref_period", per)) != SOL_OK))
                return rc;
        } else {
            return bad(err, "reference",
                       N_("expected \"mean\", \"value\" or {\"area\", \"period\"}"));
        }
    }
    if ((v = json_object_get(root, "uncertainty")) != NULL &&
        (rc = parse_uncertainty(v, s, err)) != SOL_OK)
        return rc;
    if ((v = json_object_get(root, "periods")) != NULL) {
        size_t i;
        json_t *e;
        if (json_is_string(v))
            return sol_index_spec_add_period(s, json_string_value(v)) == SOL_OK
                       ? SOL_OK
                       : bad(err, "periods", N_("cannot add the period"));
        if (!json_is_array(v))
            return bad(err, "periods", N_("expected a period or an array of periods"));
        json_array_foreach(v, i, e)
        {
            if (!json_is_string(e))
                return bad(err, "periods", N_("expected an array of strings"));
            if ((rc = sol_index_spec_add_period(s, json_string_value(e))) != SOL_OK)
                return sol__err(err, rc, "index spec: \"periods\": more than %u periods",
                                SOL_MAX_INDEX_PERIODS);
        }
    }
    if ((v = json_object_get(root, "comment")) != NULL && !json_is_string(v) && !json_is_array(v))
        return bad(err, "comment", N_("expected a string or an array of strings"));
    return SOL_OK;
}

sol_status sol_index_spec_parse_json(const char *json, size_t len, sol_index_spec **out,
                                     sol_error *err)
{
    if (len > SOL_MAX_INDEX_SPEC)
        return sol__err(err, SOL_ELIMIT, "index spec larger than %u bytes", SOL_MAX_INDEX_SPEC);
    json_error_t je;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL)
        return sol__err_at(err, SOL_EPARSE, "spec", (unsigned long)je.line,
                           (unsigned long)je.column, "invalid JSON: %s", je.text);
    sol_index_spec *s = NULL;
    sol_status rc = sol_index_spec_new(&s);
    if (rc != SOL_OK)
        goto fail;
    if ((rc = parse_root(root, s, err)) != SOL_OK)
        goto fail;
    json_decref(root);
    *out = s;
    return SOL_OK;
fail:
    json_decref(root);
    sol_index_spec_free(s);
    return rc;
}

/* ---- the spec back to JSON --------------------------------------------------------------- */

static json_t *range(double lo, double hi)
{
    return isnan(lo) ? NULL : json_pack("[ff]", lo, hi);
}

sol_status sol_index_spec_json(const sol_index_spec *s, char **out, sol_error *err)
{
    json_t *root = json_object(), *inds = json_array(), *dims = json_array();
    if (root == NULL || inds == NULL || dims == NULL)
        goto nomem;
    for (size_t j = 0; j < s->n_ind; j++) {
        const sol_index_ind *a = &s->ind[j];
        json_t *o = json_pack("{ss}", "code", a->code);
        if (o == NULL || json_array_append_new(inds, o) != 0)
            goto nomem;
        if (a->dim != NULL && strcmp(a->dim, a->code) != 0)
            json_object_set_new(o, "dimension", json_string(a->dim));
        if (a->polarity != 0)
            json_object_set_new(o, "polarity", json_string(a->polarity > 0 ? "+" : "-"));
        if (!isnan(a->weight))
            json_object_set_new(o, "weight", json_real(a->weight));
        json_t *r = range(a->w_lo, a->w_hi);
        if (r != NULL)
            json_object_set_new(o, "weight_range", r);
        if (!isnan(a->ref))
            json_object_set_new(o, "ref", json_real(a->ref));
    }
    json_object_set_new(root, "indicators", inds);
    inds = NULL;
    for (size_t d = 0; d < s->n_dim; d++) {
        const sol_index_dim *a = &s->dim[d];
        json_t *o = json_pack("{ss}", "name", a->name);
        if (o == NULL || json_array_append_new(dims, o) != 0)
            goto nomem;
        if (!isnan(a->weight))
            json_object_set_new(o, "weight", json_real(a->weight));
        json_t *r = range(a->w_lo, a->w_hi);
        if (r != NULL)
            json_object_set_new(o, "weight_range", r);
    }
    if (s->n_dim > 0)
        json_object_set_new(root, "dimensions", dims);
    else
        json_decref(dims);
    dims = NULL;
    json_object_set_new(root, "normalisation", json_string(sol_index_norm_name(s->norm)));
    if (s->norm == SOL_NORM_MINMAX || (s->mc_factors & SOL_MC_NORM))
        json_object_set_new(root, "minmax_range", json_pack("[ff]", s->minmax_lo, s->minmax_hi));
    json_object_set_new(root, "aggregation", json_string(sol_index_agg_name(s->agg)));
    json_object_set_new(root, "penalty", json_string(s->penalty < 0 ? "negative" : "positive"));
    json_t *w = json_pack("{ssss}", "indicators", sol_index_weighting_name(s->ind_weights),
                          "dimensions", sol_index_weighting_name(s->dim_weights));
    if (w == NULL)
        goto nomem;
    if (s->weights_by != NULL)
        json_object_set_new(w, "set_by", json_string(s->weights_by));
    if (s->weights_on != NULL)
        json_object_set_new(w, "set_on", json_string(s->weights_on));
    json_object_set_new(root, "weights", w);
    json_object_set_new(root, "missing", json_string(sol_index_missing_name(s->missing)));
    json_object_set_new(root, "outliers", json_string(s->winsorise ? "winsorise" : "none"));
    json_t *ref = s->ref_kind == SOL_REF_AREA
                      ? json_pack("{s:s,s:s*}", "area", s->ref_area ? s->ref_area : "", "period",
                                  s->ref_period)
                      : json_string(s->ref_kind == SOL_REF_MEAN ? "mean" : "value");
    json_object_set_new(root, "reference", ref);
    if (s->mc_reps > 0) {
        json_t *u = json_pack("{sIsI}", "replications", (json_int_t)s->mc_reps, "seed",
                              (json_int_t)s->seed);
        if (u == NULL)
            goto nomem;
        json_t *a;
        if (s->mc_factors & SOL_MC_NORM) {
            a = json_array();
            for (size_t k = 0; k < s->n_mc_norm; k++)
                json_array_append_new(a, json_string(sol_index_norm_name(s->mc_norm[k])));
            json_object_set_new(u, "normalisation", a);
        }
        if (s->mc_factors & SOL_MC_AGG) {
            a = json_array();
            for (size_t k = 0; k < s->n_mc_agg; k++)
                json_array_append_new(a, json_string(sol_index_agg_name(s->mc_agg[k])));
            json_object_set_new(u, "aggregation", a);
        }
        if (s->mc_factors & SOL_MC_MISSING) {
            a = json_array();
            for (size_t k = 0; k < s->n_mc_missing; k++)
                json_array_append_new(a, json_string(sol_index_missing_name(s->mc_missing[k])));
            json_object_set_new(u, "missing", a);
        }
        json_object_set_new(u, "weights", json_boolean(s->mc_factors & SOL_MC_WEIGHTS));
        json_object_set_new(root, "uncertainty", u);
    }
    if (s->n_periods > 0) {
        json_t *a = json_array();
        for (size_t k = 0; k < s->n_periods; k++)
            json_array_append_new(a, json_string(s->periods[k]));
        json_object_set_new(root, "periods", a);
    }
    char *txt = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(root);
    if (txt == NULL)
        return sol__err(err, SOL_ENOMEM, "index spec: out of memory");
    *out = txt;
    return SOL_OK;
nomem:
    json_decref(root);
    json_decref(inds);
    json_decref(dims);
    return sol__err(err, SOL_ENOMEM, "index spec: out of memory");
}
