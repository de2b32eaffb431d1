/* card.c - the method card of an index run as JSON: every choice (methods, weights and who set
 * them), every treatment (imputed, winsorised) and the statistical checks, for the run record.
 * Texts are English, marked for the catalogues: a card is translated where it is shown
 * (solidata/card.h), so that a stored run reads in every language. */
#include <solidata/index.h>

#include "core/core.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static json_t *num(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

sol_status sol_index_card_json(const sol_index_spec *s, const sol_index_result *r, char **out,
                               sol_error *err)
{
    json_t *c = json_object(), *inds = json_array(), *dims = json_array(), *warn = json_array();
    json_t *corr = json_array(), *pcs = json_array();
    if (!c || !inds || !dims || !warn || !corr || !pcs)
        goto nomem;
    json_object_set_new(c, "method", json_string(N_("composite index")));
    json_object_set_new(c, "normalisation", json_string(sol_index_norm_name(s->norm)));
    json_object_set_new(c, "aggregation", json_string(sol_index_agg_name(s->agg)));
    if (s->agg == SOL_AGG_MPI)
        json_object_set_new(c, "penalty",
                            json_string(s->penalty < 0 ? N_("negative") : N_("positive")));
    if (s->norm == SOL_NORM_MINMAX)
        json_object_set_new(c, "minmax_range", json_pack("[ff]", s->minmax_lo, s->minmax_hi));
    json_object_set_new(c, "missing", json_string(sol_index_missing_name(s->missing)));
    json_object_set_new(c, "outliers",
                        json_string(s->winsorise ? N_("winsorise (JRC rule)") : N_("none")));
    json_t *ref = s->ref_kind == SOL_REF_AREA
                      ? json_pack("{s:s?,s:s*}", "area", s->ref_area, "period", s->ref_period)
                      : json_string(s->ref_kind == SOL_REF_MEAN ? N_("mean") : N_("value"));
    json_object_set_new(c, "reference", ref);
    json_object_set_new(c, "weights",
                        json_pack("{ssssss*ss*}", "indicators",
                                  sol_index_weighting_name(s->ind_weights), "dimensions",
                                  sol_index_weighting_name(s->dim_weights), "set_by", s->weights_by,
                                  "set_on", s->weights_on));
    for (size_t j = 0; j < r->n_ind; j++) {
        json_t *o = json_pack("{sssssisosIsoso}", "code", s->ind[j].code, "dimension",
                              r->dim_name[r->ind_dim[j]], "polarity", s->ind[j].polarity, "weight",
                              num(r->ind_weight[j]), "winsorised", (json_int_t)r->n_winsorised[j],
                              "skewness", num(r->skewness[j]), "kurtosis", num(r->kurtosis[j]));
        json_t *row = json_array();
        for (size_t k = 0; k < r->n_ind; k++)
            json_array_append_new(row, num(r->corr[j * r->n_ind + k]));
        json_array_append_new(corr, row);
        json_array_append_new(pcs, num(r->pca_explained[j]));
        json_array_append_new(inds, o);
    }
    for (size_t d = 0; d < r->n_dim; d++)
        json_array_append_new(dims,
                              json_pack("{sssoso}", "name", r->dim_name[d], "weight",
                                        num(r->dim_weight[d]), "cronbach_alpha", num(r->alpha[d])));
    for (size_t k = 0; k < r->n_warnings; k++)
        json_array_append_new(warn, json_string(r->warnings[k]));
    json_object_set_new(c, "indicators", inds);
    json_object_set_new(c, "dimensions", dims);
    json_object_set_new(c, "correlation", corr);
    json_object_set_new(c, "pca_explained_variance", pcs);
    json_object_set_new(c, "warnings", warn);
    inds = dims = warn = corr = pcs = NULL;
    if (r->mc_reps > 0) {
        json_t *mc = json_pack("{sIsI}", "replications", (json_int_t)r->mc_reps, "seed",
                               (json_int_t)s->seed);
        json_t *sens = json_object();
        for (size_t k = 0; k < r->n_factors; k++)
            json_object_set_new(sens, r->factor_name[k], num(r->sensitivity[k]));
        json_object_set_new(mc, "first_order_sensitivity", sens);
        json_object_set_new(c, "uncertainty", mc);
    }
    char *txt = json_dumps(c, JSON_REAL_PRECISION(17) | JSON_COMPACT);
    json_decref(c);
    if (txt == NULL)
        return sol__err(err, SOL_ENOMEM, "method card: out of memory");
    *out = txt;
    return SOL_OK;
nomem:
    json_decref(c);
    json_decref(inds);
    json_decref(dims);
    json_decref(warn);
    json_decref(corr);
    json_decref(pcs);
    return sol__err(err, SOL_ENOMEM, "method card: out of memory");
}

sol_status sol_index_result_json(const sol_index_spec *s, const sol_index_result *r,
                                 const char *const *names, char **out, sol_error *err)
{
    char *card = NULL;
    sol_status rc = sol_index_card_json(s, r, &card, err);
    if (rc != SOL_OK)
        return rc;
    json_t *jc = json_loads(card, 0, NULL);
    free(card);
    json_t *root = json_object(), *rows = json_array();
    if (jc == NULL || root == NULL || rows == NULL)
        goto nomem;
    for (size_t i = 0; i < r->n_rows; i++) {
        json_t *row = json_object(), *dims = json_object();
        if (row == NULL || dims == NULL || json_array_append_new(rows, row) != 0) {
            json_decref(row);
            json_decref(dims);
            goto nomem;
        }
        json_object_set_new(row, "id", json_string(r->area[i]));
        if (names != NULL && names[r->row[i]] != NULL)
            json_object_set_new(row, "name", json_string(names[r->row[i]]));
        if (r->period)
            json_object_set_new(row, "period", json_string(r->period[i]));
        json_object_set_new(row, "score", num(r->score[i]));
        json_object_set_new(row, "rank", num(r->rank[i]));
        for (size_t d = 0; d < r->n_dim; d++)
            json_object_set_new(dims, r->dim_name[d], num(r->dim_score[i * r->n_dim + d]));
        json_object_set_new(row, "dimensions", dims);
        if (r->rank_median) {
            json_object_set_new(row, "rank_median", num(r->rank_median[i]));
            json_object_set_new(row, "rank_interval_90",
                                json_pack("[oo]", num(r->rank_lo[i]), num(r->rank_hi[i])));
        }
        json_object_set_new(row, "n_imputed", json_integer((json_int_t)r->n_imputed[i]));
        json_object_set_new(row, "strength",
                            r->strength[i] >= 0 ? json_string(r->dim_name[r->strength[i]])
                                                : json_null());
        json_object_set_new(row, "weakness",
                            r->weakness[i] >= 0 ? json_string(r->dim_name[r->weakness[i]])
                                                : json_null());
        json_object_set_new(row, "profile", json_string(r->sentence[i]));
    }
    json_object_set_new(root, "rows", rows);
    json_object_set_new(root, "method_card", jc);
    char *txt = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(root);
    if (txt == NULL)
        return sol__err(err, SOL_ENOMEM, "index result: out of memory");
    *out = txt;
    return SOL_OK;
nomem:
    json_decref(jc);
    json_decref(root);
    json_decref(rows);
    return sol__err(err, SOL_ENOMEM, "index result: out of memory");
}
