/* layers.c - the latest composite index and LISA runs as per-area layers for the dashboard and
 * the report: read from the stored results, checked for shape, reduced to what people read. */
#include <solidata/run_layers.h>
#include <solidata/withhold.h>

#include "core/core.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct latest {
    json_t *result, *card, *spec;
    int64_t id;
    char created_at[40];
    const char *need; /* a key the result must hold as an array */
} latest;

static int on_run(void *ud, const sol_run *r)
{
    latest *l = ud;
    json_t *res = r->result ? json_loads(r->result, 0, NULL) : NULL;
    if (!json_is_array(json_object_get(res, l->need))) {
        json_decref(res);
        return 0; /* not the shape we read: look at the previous run */
    }
    l->result = res;
    l->card = r->method_card ? json_loads(r->method_card, 0, NULL) : NULL;
    l->spec = r->spec ? json_loads(r->spec, 0, NULL) : NULL;
    l->id = r->id;
    snprintf(l->created_at, sizeof l->created_at, "%s", r->created_at ? r->created_at : "");
    return 1;
}

static void latest_free(latest *l)
{
    json_decref(l->result);
    json_decref(l->card);
    json_decref(l->spec);
}

static int on_area(void *ud, const sol_area *a)
{
    json_object_set_new(ud, a->code, json_pack("[s?,s]", a->name, a->level));
    return 0;
}

static json_t *num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static double dbl(json_t *j)
{
    return json_is_number(j) ? json_number_value(j) : NAN;
}

static json_t *copy_or_null(json_t *j)
{
    return j ? json_deep_copy(j) : json_null();
}

static json_t *index_layer(latest *l, json_t *areas)
{
    json_t *rows = json_object_get(l->result, "rows");
    json_t *card = l->card, *method = json_object_get(card, "method");
    json_t *out = json_object(), *byp = json_object(), *periods = json_array();
    json_t *dims = json_array();
    const char *level = NULL;
    json_object_set_new(out, "run", json_integer((json_int_t)l->id));
    json_object_set_new(out, "created_at", json_string(l->created_at));
    /* the whole method object: its name and, for a reader in another language, its parts */
    json_object_set_new(out, "method",
                        json_is_object(method) ? json_deep_copy(method)
                                               : json_pack("{s:n,s:n}", "name", "reference"));
    json_t *choices = json_object_get(card, "choices");
    json_object_set_new(out, "normalisation",
                        copy_or_null(json_object_get(choices, "normalisation")));
    json_object_set_new(out, "aggregation", copy_or_null(json_object_get(choices, "aggregation")));
    json_object_set_new(
        out, "replications",
        copy_or_null(json_object_get(json_object_get(choices, "uncertainty"), "replications")));
    json_object_set_new(
        out, "weights_set_by",
        copy_or_null(json_object_get(json_object_get(choices, "weights"), "set_by")));
    /* indicators: label and unit from the inputs, dimension and polarity from the choices */
    json_t *inds = json_array(), *ci = json_object_get(choices, "indicators");
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(json_object_get(card, "inputs"), "indicators"), i, it)
    {
        const char *code = json_string_value(json_object_get(it, "code"));
        json_t *c = code ? json_object_get(ci, code) : NULL;
        json_array_append_new(inds,
                              json_pack("{s:o,s:o,s:o,s:o,s:o}", "code",
                                        copy_or_null(json_object_get(it, "code")), "label",
                                        copy_or_null(json_object_get(it, "label")), "unit",
                                        copy_or_null(json_object_get(it, "unit")), "dimension",
                                        copy_or_null(json_object_get(c, "dimension")), "polarity",
                                        copy_or_null(json_object_get(c, "polarity"))));
    }
    json_object_set_new(out, "indicators", inds);

    /* dimension names in the order of the first row; areas grouped by period */
    json_array_foreach(rows, i, it)
    {
        const char *code = json_string_value(json_object_get(it, "id"));
        const char *per = json_string_value(json_object_get(it, "period"));
        if (code == NULL)
            continue;
        if (per == NULL)
            per = "";
        json_t *p = json_object_get(byp, per);
        if (p == NULL) {
            p = json_object();
            json_object_set_new(byp, per, p);
            json_array_append_new(periods, json_string(per));
        }
        json_t *a = json_object_get(areas, code);
        if (level == NULL && a)
            level = json_string_value(json_array_get(a, 1));
        json_t *rint = json_object_get(it, "rank_interval_90");
        json_t *row = json_pack(
            "{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "name",
            copy_or_null(a ? json_array_get(a, 0) : json_object_get(it, "name")), "score",
            num(dbl(json_object_get(it, "score"))), "rank", num(dbl(json_object_get(it, "rank"))),
            "rank_lo", num(dbl(json_array_get(rint, 0))), "rank_hi",
            num(dbl(json_array_get(rint, 1))), "strength",
            copy_or_null(json_object_get(it, "strength")), "weakness",
            copy_or_null(json_object_get(it, "weakness")));
        json_t *dl = json_array();
        const char *dn;
        json_t *dv;
        json_object_foreach(json_object_get(it, "dimensions"), dn, dv)
        {
            json_array_append_new(dl, json_pack("{s:s,s:o}", "name", dn, "score", num(dbl(dv))));
            if (json_array_size(dims) < json_object_size(json_object_get(it, "dimensions"))) {
                int seen = 0;
                size_t k;
                json_t *x;
                json_array_foreach(dims, k, x) seen |= strcmp(json_string_value(x), dn) == 0;
                if (!seen)
                    json_array_append_new(dims, json_string(dn));
            }
        }
        json_object_set_new(row, "dims", dl);
        json_object_set_new(p, code, row);
    }
    /* n per period and z of each dimension: (score - mean) / sample sd over the period's areas */
    const char *per;
    json_t *p;
    json_object_foreach(byp, per, p)
    {
        size_t nd = json_array_size(dims), n = 0;
        double *mu = sol__calloc(nd ? nd : 1, sizeof *mu),
               *ss = sol__calloc(nd ? nd : 1, sizeof *ss);
        size_t *cnt = sol__calloc(nd ? nd : 1, sizeof *cnt);
        if (!mu || !ss || !cnt) {
            sol__free(mu);
            sol__free(ss);
            sol__free(cnt);
            continue; /* out of memory: this period's z stay absent */
        }
        const char *code;
        json_t *row;
        json_object_foreach(p, code, row)
        {
            if (isfinite(dbl(json_object_get(row, "score"))))
                n++;
            size_t k;
            json_t *d;
            json_array_foreach(json_object_get(row, "dims"), k, d)
            {
                double v = dbl(json_object_get(d, "score"));
                if (k < nd && isfinite(v)) {
                    mu[k] += v;
                    cnt[k]++;
                }
            }
        }
        for (size_t k = 0; k < nd; k++)
            mu[k] = cnt[k] ? mu[k] / (double)cnt[k] : NAN;
        json_object_foreach(p, code, row)
        {
            size_t k;
            json_t *d;
            json_array_foreach(json_object_get(row, "dims"), k, d)
            {
                double v = dbl(json_object_get(d, "score"));
                if (k < nd && isfinite(v))
                    ss[k] += (v - mu[k]) * (v - mu[k]);
            }
        }
        json_object_foreach(p, code, row)
        {
            json_object_set_new(row, "n", json_integer((json_int_t)n));
            size_t k;
            json_t *d;
            json_array_foreach(json_object_get(row, "dims"), k, d)
            {
                double sd = k < nd && cnt[k] > 1 ? sqrt(ss[k] / (double)(cnt[k] - 1)) : NAN;
                json_object_set_new(d, "z", num((dbl(json_object_get(d, "score")) - mu[k]) / sd));
            }
        }
        sol__free(mu);
        sol__free(ss);
        sol__free(cnt);
    }
    json_object_set_new(out, "dimensions", dims);
    json_object_set_new(out, "level", level ? json_string(level) : json_null());
    json_object_set_new(out, "periods", periods);
    json_object_set_new(out, "areas", byp);
    return out;
}

static json_t *lisa_layer(latest *l, json_t *areas)
{
    json_t *res = l->result, *card = l->card, *spec = l->spec;
    json_t *inputs = json_object_get(card, "inputs"), *method = json_object_get(card, "method");
    const char *pf = json_string_value(json_object_get(res, "p_for_clusters"));
    if (pf == NULL)
        pf = "p";
    int perm = strncmp(pf, "p_sim", 5) == 0 || strncmp(pf, "p_perm", 6) == 0;
    json_t *out = json_pack("{s:I,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:s,s:o,s:o}",
                            "run", (json_int_t)l->id, "created_at", l->created_at, "method",
                            copy_or_null(json_object_get(method, "name")), "indicator",
                            copy_or_null(json_object_get(spec, "indicator")), "label",
                            copy_or_null(json_object_get(inputs, "label")), "unit",
                            copy_or_null(json_object_get(inputs, "unit")), "polarity",
                            copy_or_null(json_object_get(inputs, "polarity")), "period",
                            copy_or_null(json_object_get(spec, "period")), "weights",
                            copy_or_null(json_object_get(spec, "weights")), "alpha",
                            copy_or_null(json_object_get(res, "alpha")), "adjust",
                            copy_or_null(json_object_get(res, "adjust")), "alternative",
                            copy_or_null(json_object_get(res, "alternative")), "permutations",
                            copy_or_null(json_object_get(res, "nsim")), "inference",
                            perm ? "permutation" : "analytic", "p_field", pf, "counts",
                            copy_or_null(json_object_get(res, "clusters")), "areas", json_object());
    if (out == NULL)
        return NULL;
    json_t *byc = json_object_get(out, "areas");
    const char *level = NULL;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(res, "areas"), i, it)
    {
        const char *code = json_string_value(json_object_get(it, "id"));
        const char *cl = json_string_value(json_object_get(it, "cluster"));
        if (code == NULL || cl == NULL)
            continue;
        json_t *a = json_object_get(areas, code);
        if (level == NULL && a)
            level = json_string_value(json_array_get(a, 1));
        json_object_set_new(byc, code,
                            json_pack("{s:o,s:s,s:o}", "name",
                                      copy_or_null(a ? json_array_get(a, 0) : NULL), "cluster", cl,
                                      "p", num(dbl(json_object_get(it, pf)))));
    }
    json_object_set_new(out, "level", level ? json_string(level) : json_null());
    return out;
}

/* The layer of a run and, when the run computed a public variant (its result's "public": the
 * same analysis over the values the public may see), that variant's layer under "public", or
 * its {"computed": "no", "why"}. sol_withhold_layers serves the public variant alone. */
static json_t *with_public(latest *l, json_t *areas, json_t *(*layer)(latest *, json_t *))
{
    json_t *out = layer(l, areas);
    json_t *pub = json_object_get(l->result, "public");
    if (out == NULL || !json_is_object(pub))
        return out;
    json_t *pl;
    if (json_is_array(json_object_get(pub, l->need))) {
        latest p = *l;
        p.result = pub;
        if ((pl = layer(&p, areas)) != NULL)
            json_object_set_new(pl, "note", copy_or_null(json_object_get(pub, "note")));
    } else {
        pl = json_pack("{s:s,s:o}", "computed", "no", "why",
                       copy_or_null(json_object_get(pub, "why")));
    }
    json_object_set_new(out, "public", pl ? pl : json_null());
    return out;
}

sol_status sol_run_layers(sol_store *st, char **json, sol_error *err)
{
    sol_status rc;
    latest ix = {.need = "rows"}, li = {.need = "areas"};
    json_t *areas = json_object(), *out = NULL;
    if (areas == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    if ((rc = sol_store_runs(st, "index", 1, on_run, &ix, err)) != SOL_OK ||
        (rc = sol_store_runs(st, "spatial.lisa", 1, on_run, &li, err)) != SOL_OK)
        goto done;
    if ((ix.result || li.result) && (rc = sol_store_areas(st, 0, on_area, areas, err)) != SOL_OK)
        goto done;
    out = json_object();
    json_object_set_new(out, "index",
                        ix.result ? with_public(&ix, areas, index_layer) : json_null());
    json_object_set_new(out, "hotspots",
                        li.result ? with_public(&li, areas, lisa_layer) : json_null());
    char *s = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    if (s == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    *json = s;
    rc = SOL_OK;
done:
    json_decref(out);
    json_decref(areas);
    latest_free(&ix);
    latest_free(&li);
    return rc;
}

/* The rule and the layers' shapes it reads live with the privacy module, the one owner of what
 * the public may see; this name stays for callers of the run layer. */
sol_status sol_run_layers_withhold(sol_store *st, char **json, sol_error *e)
{
    return sol_withhold_layers(st, json, e);
}
