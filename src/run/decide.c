/* decide.c - one prioritisation from files: the options (CSV or JSON), the areas' need and the
 * per-area minimums read, the options ranked and the budget allocated, the result as JSON with
 * the reasons, and the run recorded with its method card on ask. */
#include <solidata/run_decide.h>

#include <solidata/run.h>

#include "core/core.h"
#include "run/run_int.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sol_run_prioritise_job_init(sol_prioritise_job *j)
{
    memset(j, 0, sizeof *j);
}

static sol_status load_options(const char *path, sol_options **o, sol_error *err)
{
    size_t n = strlen(path);
    sol_status rc;
    if (n > 5 && strcmp(path + n - 5, ".json") == 0) {
        size_t len = 0;
        char *txt = NULL;
        if ((rc = sol__run_read_text(path, SOL_MAX_DECIDE_SPEC, &txt, &len)) != SOL_OK)
            return sol__err_at(err, rc, path, 0, 0,
                               "cannot read (missing, unreadable or over %u bytes)",
                               SOL_MAX_DECIDE_SPEC);
        rc = sol_options_parse_json(txt, len, o, err);
        sol__free(txt);
        if (rc != SOL_OK && err != NULL) {
            char w[SOL_ERROR_WHERE_MAX];
            snprintf(w, sizeof w, "%s%s", path, err->where);
            snprintf(err->where, sizeof err->where, "%s", w);
        }
        return rc;
    }
    sol_dtable *t = NULL;
    if ((rc = sol_dtable_read(path, &t, err)) != SOL_OK)
        return rc;
    rc = sol_options_from_table(t, o, err);
    sol_dtable_free(t);
    return rc;
}

static sol_status load_need(const char *path, sol_options *o, sol_error *err)
{
    sol_dtable *t = NULL;
    sol_status rc = sol_dtable_read(path, &t, err);
    if (rc != SOL_OK)
        return rc;
    if (sol_dtable_ncols(t) < 2) {
        rc = sol__err_at(err, SOL_EINVAL, path, 1, 0, "the need file has two columns: area,need");
        goto done;
    }
    for (size_t i = 0; i < sol_dtable_nrows(t); i++) {
        double v;
        const char *a = sol_dtable_cell(t, i, 0);
        rc = sol_dtable_number(t, i, 1, &v, err);
        if (a == NULL || rc == SOL_EOF) {
            rc = sol__err_at(err, SOL_EINVAL, path, sol_dtable_line(t, i), 0,
                             "an area and its need are both required");
            goto done;
        }
        if (rc != SOL_OK || (rc = sol_options_set_need(o, a, v, err)) != SOL_OK)
            goto done;
    }
done:
    sol_dtable_free(t);
    return rc;
}

/* "AREA=N,..." into the options' minimums. */
static sol_status load_area_min(const char *text, sol_options *o, sol_error *err)
{
    char *buf = sol__strdup(text), *save = NULL;
    sol_status rc = SOL_OK;
    if (buf == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    for (char *tok = strtok_r(buf, ",", &save); tok && rc == SOL_OK;
         tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '='), *end = NULL;
        long n = eq ? strtol(eq + 1, &end, 10) : -1;
        if (eq == NULL || end == eq + 1 || *end != '\0' || n < 0 || n > 1000000) {
            rc = sol__run_job_error(err, "--area-min", "takes AREA=N pairs, found '%s'", tok);
            break;
        }
        *eq = '\0';
        rc = sol_options_set_min(o, tok, (int)n, err);
    }
    sol__free(buf);
    return rc;
}

/* The criteria with their weights, every option with its scores and reasons, the allocation. */
static json_t *result_json(const sol_options *o, const sol_prioritise_result *r)
{
    size_t C = sol_prioritise_ncriteria(o);
    json_t *root = json_object(), *crit = json_array(), *rows = json_array();
    for (size_t k = 0; k < C; k++)
        json_array_append_new(crit, json_pack("{s:s,s:s,s:o}", "criterion",
                                              sol_prioritise_criterion(o, k), "direction",
                                              k == C - 1 ? "lower is better" : "higher is better",
                                              "weight", sol__run_num(r->weights[k])));
    json_object_set_new(root, "criteria", crit);
    for (size_t i = 0; i < o->n; i++) {
        json_t *row =
            json_pack("{s:s,s:o,s:o,s:I,s:o,s:I,s:o,s:s}", "option", o->opt[i].name, "cost",
                      sol__run_num(o->opt[i].cost), "wsum", sol__run_num(r->wsum[i]), "rank_wsum",
                      (json_int_t)r->rank_wsum[i], "topsis", sol__run_num(r->topsis[i]),
                      "rank_topsis", (json_int_t)r->rank_topsis[i], "benefit",
                      sol__run_num(r->benefit[i]), "why_rank", r->why[i]);
        if (r->allocated) {
            json_object_set_new(row, "chosen", json_boolean(r->chosen[i]));
            json_object_set_new(row, "why", json_string(r->choice_why[i]));
        }
        json_array_append_new(rows, row);
    }
    json_object_set_new(root, "options", rows);
    if (r->allocated) {
        json_t *a = json_pack("{s:o,s:o,s:o}", "budget", sol__run_num(r->budget), "used",
                              sol__run_num(r->used), "objective", sol__run_num(r->objective));
        json_t *bind = json_array(), *sens = json_array();
        for (size_t k = 0; k < r->n_binding; k++)
            json_array_append_new(bind, json_string(r->binding[k]));
        for (size_t k = 0; k < r->n_sens; k++) {
            const sol_sensitivity *s = &r->sens[k];
            json_array_append_new(sens, json_pack("{s:s,s:o,s:o,s:o,s:b,s:b}", "criterion",
                                                  s->criterion, "weight", sol__run_num(s->weight),
                                                  "lo", sol__run_num(s->lo), "hi",
                                                  sol__run_num(s->hi), "changes_below",
                                                  s->lo_changes, "changes_above", s->hi_changes));
        }
        json_object_set_new(a, "binding", bind);
        json_object_set_new(a, "sensitivity", sens);
        json_object_set_new(root, "allocation", a);
    }
    return root;
}

/* The result JSON and, with `st`, the run recorded with its spec, method and choices. */
static sol_status finish(sol_store *st, const sol_prioritise_job *j, json_t *root,
                         sol_prioritise_output *out, sol_error *err)
{
    json_t *spec =
        json_pack("{s:s,s:s,s:s?,s:s?,s:s?}", "command", "prioritise", "options", j->options,
                  "budget", j->budget, "weights", j->weights, "need", j->need);
    json_t *method = json_pack(
        "{s:s,s:s}", "name", N_("weighted sum, TOPSIS and budget allocation (0/1 programme)"),
        "reference", "Hwang & Yoon (1981) TOPSIS; GLPK branch-and-cut (glp_intopt)");
    json_t *choices =
        json_pack("{s:o}", "weights", json_deep_copy(json_object_get(root, "criteria")));
    return sol__run_finish_take(st, "prioritise", spec, method, choices, root, &out->run_id,
                                &out->json, err);
}

sol_status sol_run_prioritise(sol_store *st, const sol_prioritise_job *j,
                              sol_prioritise_output **out, sol_error *err)
{
    double budget = 0, *w = NULL;
    if (j->options == NULL)
        return sol__run_job_error(err, "--options", "is required");
    if (j->budget) {
        char *end = NULL;
        errno = 0;
        budget = strtod(j->budget, &end);
        if (end == j->budget || *end != '\0' || errno || !(budget >= 0) || !isfinite(budget))
            return sol__run_job_error(err, "--budget", "must be a number >= 0");
    }
    if (j->record && st == NULL)
        return sol__err(err, SOL_EINVAL, "recording a run needs a store");
    sol_prioritise_output *o = sol__calloc(1, sizeof *o);
    json_t *root = NULL;
    sol_status rc;
    if (o == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    if ((rc = load_options(j->options, &o->options, err)) != SOL_OK)
        goto fail;
    if (j->budget) {
        o->options->has_budget = 1;
        o->options->budget = budget;
    }
    if ((j->need && (rc = load_need(j->need, o->options, err)) != SOL_OK) ||
        (j->area_min && (rc = load_area_min(j->area_min, o->options, err)) != SOL_OK))
        goto fail;
    if (j->weights) {
        size_t C = sol_prioritise_ncriteria(o->options);
        if ((w = sol__calloc(C + 1, sizeof *w)) == NULL) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto fail;
        }
        if ((rc = sol_prioritise_weights_parse(o->options, j->weights, w, err)) != SOL_OK)
            goto fail;
    }
    double minb = NAN;
    if ((rc = sol_prioritise(o->options, w, &o->result, &minb, err)) != SOL_OK)
        goto fail;
    if ((root = result_json(o->options, o->result)) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    if ((rc = finish(j->record ? st : NULL, j, root, o, err)) != SOL_OK)
        goto fail;
    json_decref(root);
    sol__free(w);
    *out = o;
    return SOL_OK;
fail:
    json_decref(root);
    sol__free(w);
    sol_prioritise_output_free(o);
    return rc;
}

void sol_prioritise_output_free(sol_prioritise_output *o)
{
    if (o == NULL)
        return;
    sol_prioritise_result_free(o->result);
    sol_options_free(o->options);
    free(o->json);
    sol__free(o);
}
