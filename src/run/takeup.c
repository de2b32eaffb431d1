/* takeup.c - non-take-up on the store: per area the people eligible (a count, or a count times
 * a share such as population x poverty rate, with the interval from the share's standard error)
 * against the people receiving (exact counts), the gap, the take-up rate, the ranking of the
 * areas where going towards people matters most, the run recorded; optionally an audience made
 * of the areas whose gap is surely above zero. docs/outreach.md. */
#include <solidata/run_outreach.h>

#include <solidata/run.h>
#include <solidata/withhold.h>

#include "run/audience_int.h"
#include "run/run_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sol_run_takeup_job_init(sol_takeup_job *j)
{
    memset(j, 0, sizeof *j);
}

void sol_takeup_output_free(sol_takeup_output *o)
{
    if (o == NULL)
        return;
    for (size_t i = 0; i < o->n; i++)
        sol__free_n(2, o->code ? o->code[i] : NULL, o->name ? o->name[i] : NULL);
    sol__free_n(10, o->code, o->name, o->eligible, o->eligible_low, o->eligible_high, o->receiving,
                o->gap, o->gap_low, o->gap_high, o->rate);
    sol__free(o->rank);
    free(o->json);
    sol__run_notes_free(o->notes, o->n_notes);
    sol__free(o);
}

static int plain_code(const char *s)
{
    if (s == NULL || *s == '\0' || strlen(s) > SOL_MAX_CODE)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.'))
            return 0;
    return 1;
}

typedef struct recv {
    sol_strmap *pos;
    double *val;
    unsigned char *wh;
} recv;

static int on_recv(void *ud, const sol_obs *o)
{
    recv *r = ud;
    int64_t p;
    if (sol__strmap_get(r->pos, o->area, strlen(o->area), &p)) {
        r->val[p] = o->value;
        r->wh[p] = (unsigned char)sol_withhold_obs(o->flags, SOL_ROLE_PUBLIC);
    }
    return 0;
}

sol_status sol_run_takeup(sol_store *st, const sol_takeup_job *job, sol_takeup_output **out,
                          sol_error *err)
{
    if (job->eligible == NULL || *job->eligible == '\0')
        return sol__run_job_error(err, "--eligible",
                                  "give the eligible people: an indicator or "
                                  "a rule");
    if (!plain_code(job->receiving))
        return sol__run_job_error(err, "--receiving",
                                  "give the indicator counting the people "
                                  "receiving");
    sol_status rc;
    sol_aud_rule *rule = NULL;
    char *text = NULL;
    if (plain_code(job->eligible)) {
        char buf[SOL_MAX_CODE + 64];
        snprintf(buf, sizeof buf, "people %s", job->eligible);
        rc = sol_aud_rule_parse(buf, &rule, err);
    } else
        rc = sol__aud_parse(job->eligible, &rule, err);
    if (rc != SOL_OK)
        return rc;
    if (job->level && rule->level == NULL && (rule->level = sol__strdup(job->level)) == NULL) {
        sol_aud_rule_free(rule);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    aud_eval E;
    sol_takeup_output *o = NULL;
    sol_takeup_result *res = NULL;
    recv rv = {0};
    int own = 0;
    double *el = NULL, *ese = NULL;
    json_t *root = NULL, *arr = NULL;
    char period[16] = "";
    if ((rc = sol__aud_evaluate(st, rule, 0, &E, err)) != SOL_OK)
        goto done;
    if (!sol_store_has_indicator(st, job->receiving)) {
        rc = sol__run_job_error(err, "--receiving",
                                "no indicator '%s' in the store; 'solidata indicators' lists "
                                "them",
                                job->receiving);
        goto done;
    }
    if (job->period)
        snprintf(period, sizeof period, "%s", job->period);
    else if ((rc = sol_store_latest_period(st, job->receiving, period, err)) != SOL_OK)
        goto done;
    size_t n = E.ns;
    if ((rv.pos = sol__strmap_new(n ? n : 1)) == NULL ||
        (rv.val = sol__calloc(n + 1, sizeof(double))) == NULL ||
        (rv.wh = sol__calloc(n + 1, 1)) == NULL || (el = sol__calloc(n + 1, sizeof *el)) == NULL ||
        (ese = sol__calloc(n + 1, sizeof *ese)) == NULL)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        const char *c = E.a[E.scope[i]].code;
        rv.val[i] = job->missing_zero ? 0 : NAN;
        if (sol__strmap_put(rv.pos, c, strlen(c), (int64_t)i) != SOL_OK)
            goto nomem;
    }
    if ((rc = sol_store_observations(st, job->receiving, period, on_recv, &rv, err)) != SOL_OK)
        goto done;
    size_t n_wh = 0, n_miss = 0;
    for (size_t i = 0; i < n; i++) {
        int sel = E.ev->state[i] == SOL_AUD_SELECTED;
        el[i] = sel ? E.ev->est[i] : NAN;
        ese[i] = sel ? E.ev->se[i] : NAN;
        if (E.ev->state[i] == SOL_AUD_WITHHELD || rv.wh[i]) {
            n_wh++;
            el[i] = NAN;
        } else if (!sel || isnan(rv.val[i]))
            n_miss += E.ev->state[i] != SOL_AUD_NOT_MET;
    }
    sol_takeup_data d = {.n = n, .eligible = el, .eligible_se = ese, .receiving = rv.val};
    if ((rc = sol_takeup_compute(&d, &res, err)) != SOL_OK)
        goto done;
    if ((o = sol__calloc(1, sizeof *o)) == NULL)
        goto nomem;
    /* the areas with both numbers, by rank */
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        m += res->rank[res->order[k]] > 0;
    o->n = 0;
    if ((o->code = sol__calloc(m + 1, sizeof(char *))) == NULL ||
        (o->name = sol__calloc(m + 1, sizeof(char *))) == NULL ||
        (o->eligible = sol__calloc(m + 1, sizeof(double))) == NULL ||
        (o->eligible_low = sol__calloc(m + 1, sizeof(double))) == NULL ||
        (o->eligible_high = sol__calloc(m + 1, sizeof(double))) == NULL ||
        (o->receiving = sol__calloc(m + 1, sizeof(double))) == NULL ||
        (o->gap = sol__calloc(m + 1, sizeof(double))) == NULL ||
        (o->gap_low = sol__calloc(m + 1, sizeof(double))) == NULL ||
        (o->gap_high = sol__calloc(m + 1, sizeof(double))) == NULL ||
        (o->rate = sol__calloc(m + 1, sizeof(double))) == NULL ||
        (o->rank = sol__calloc(m + 1, sizeof(size_t))) == NULL || (arr = json_array()) == NULL)
        goto nomem;
    for (size_t k = 0; k < n; k++) {
        size_t i = res->order[k];
        if (res->rank[i] == 0)
            continue;
        const aud_area *a = &E.a[E.scope[i]];
        size_t j = o->n;
        o->code[j] = sol__strdup(a->code);
        o->name[j] = sol__strdup(a->name ? a->name : a->code);
        o->n++;
        if (o->code[j] == NULL || o->name[j] == NULL)
            goto nomem;
        o->eligible[j] = el[i];
        o->eligible_low[j] = E.ev->low[i];
        o->eligible_high[j] = E.ev->high[i];
        o->receiving[j] = rv.val[i];
        o->gap[j] = res->gap[i];
        o->gap_low[j] = res->gap_low[i];
        o->gap_high[j] = res->gap_high[i];
        o->rate[j] = res->rate[i];
        o->rank[j] = res->rank[i];
        json_array_append_new(
            arr, json_pack("{s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}",
                           "code", a->code, "name", o->name[j], "rank", (json_int_t)res->rank[i],
                           "eligible", sol__run_num(el[i]), "eligible_low",
                           sol__run_num(E.ev->low[i]), "eligible_high", sol__run_num(E.ev->high[i]),
                           "receiving", sol__run_num(rv.val[i]), "gap", sol__run_num(res->gap[i]),
                           "gap_low", sol__run_num(res->gap_low[i]), "gap_high",
                           sol__run_num(res->gap_high[i]), "rate", sol__run_num(res->rate[i]),
                           "rate_low", sol__run_num(res->rate_low[i]), "rate_high",
                           sol__run_num(res->rate_high[i]), "sure", res->sure[i]));
    }
    if (n_wh && sol__run_note_add(&o->notes, &o->n_notes, SOL__RUN_NOTE_MAX, err,
                                  sol_gettext("%zu area(s) left out because a value is withheld "
                                              "from the public there (a small count)"),
                                  n_wh) != SOL_OK)
        goto nomem;
    if (n_miss && sol__run_note_add(&o->notes, &o->n_notes, SOL__RUN_NOTE_MAX, err,
                                    sol_gettext("%zu area(s) left out because the eligible or "
                                                "the receiving count has no value there (with "
                                                "--missing-as-zero, no count of people "
                                                "receiving means none)"),
                                    n_miss) != SOL_OK)
        goto nomem;
    if ((rc = sol_aud_rule_text(rule, &text, err)) != SOL_OK)
        goto done;
    root = json_pack("{s:s, s:s, s:s, s:s, s:o, s:{s:o, s:o, s:o}, s:{s:s, s:s, s:s, s:s}}",
                     "eligible", text, "receiving", job->receiving, "period", period, "level",
                     E.level, "areas", arr, "total_gap", "estimate", sol__run_num(res->total_gap),
                     "low", sol__run_num(res->total_gap_low), "high",
                     sol__run_num(res->total_gap_high), "method", "name",
                     N_("non-take-up: eligible people against people receiving"), "interval",
                     "95% from the eligible estimate's standard error (receiving counts taken as "
                     "exact); total from independent area errors",
                     "ranking",
                     "largest gap first; ties by the gap's lower bound, then by area "
                     "code; 'sure' when the whole interval is above zero",
                     "reference", "docs/outreach.md");
    arr = NULL;
    if (root == NULL)
        goto nomem;
    if ((job->record || job->as_audience) && (rc = sol_store_join(st, &own, err)) != SOL_OK)
        goto done;
    if (job->record) {
        json_t *spec = json_pack("{s:s, s:s, s:s?, s:s}", "eligible", text, "receiving",
                                 job->receiving, "level", job->level, "period", period);
        json_t *method = json_deep_copy(json_object_get(root, "method"));
        json_t *choices = json_pack("{s:b}", "missing_as_zero", job->missing_zero);
        sol_run_card card = {.kind = "takeup",
                             .inputs_json = "{\"indicators\": \"see spec\"}",
                             .inputs_sha256 = NULL};
        rc = sol__run_record_json(st, &card, JSON_COMPACT, spec, method, choices, root, &o->run_id,
                                  err);
        json_decref(spec);
        json_decref(method);
        json_decref(choices);
        if (rc != SOL_OK)
            goto done;
        json_object_set_new(root, "run_id", json_integer((json_int_t)o->run_id));
    }
    if (job->as_audience) {
        /* the eligible rule within the areas whose gap is surely above zero, largest first */
        size_t top = job->top ? job->top : 20, nk = 0;
        if (top > SOL_AUD_MAX_WITHIN)
            top = SOL_AUD_MAX_WITHIN;
        sol_aud_rule *r2 = NULL;
        if ((rc = sol_aud_rule_parse(text, &r2, err)) != SOL_OK)
            goto done;
        for (size_t w = 0; w < r2->n_within; w++)
            sol__free(r2->within[w]);
        r2->n_within = 0;
        for (size_t k = 0; k < n && nk < top; k++) {
            size_t i = res->order[k];
            if (res->rank[i] == 0 || !res->sure[i])
                continue;
            if ((r2->within[nk] = sol__strdup(E.a[E.scope[i]].code)) == NULL) {
                sol_aud_rule_free(r2);
                goto nomem;
            }
            r2->n_within = ++nk;
        }
        if (nk == 0) {
            sol_aud_rule_free(r2);
            rc = sol__run_job_error(err, "--as-audience",
                                    "no area has a gap surely above zero (the whole interval "
                                    "above 0): there is no audience to define");
            goto done;
        }
        if (r2->level == NULL && (r2->level = sol__strdup(E.level)) == NULL) {
            sol_aud_rule_free(r2);
            goto nomem;
        }
        char purpose[512];
        snprintf(purpose, sizeof purpose,
                 sol_gettext("going towards people who may be entitled and do not receive "
                             "'%s' (non-take-up)"),
                 job->receiving);
        sol_audience_job aj = {.name = job->as_audience,
                               .purpose = job->purpose ? job->purpose : purpose,
                               .who = job->who};
        aud_eval E2;
        sol_audience_output *ao = NULL;
        rc = sol__aud_evaluate(st, r2, 0, &E2, err);
        if (rc == SOL_OK)
            rc = sol__aud_define(st, &aj, &E2, &ao, err);
        sol__aud_eval_clear(&E2);
        if (rc != SOL_OK)
            goto done;
        o->audience_id = ao->id;
        json_object_set_new(root, "audience",
                            json_pack("{s:s, s:I, s:I}", "name", aj.name, "id", (json_int_t)ao->id,
                                      "areas", (json_int_t)ao->n_areas));
        sol_audience_output_free(ao);
    }
    if ((o->json = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
                                        JSON_REAL_PRECISION(17))) == NULL)
        goto nomem;
    goto done;
nomem:
    rc = sol__err(err, SOL_ENOMEM, "out of memory");
done:
    if (own)
        rc = sol_store_leave(st, own, rc, err);
    if (rc == SOL_OK && o != NULL) {
        *out = o;
        o = NULL;
    }
    sol_takeup_output_free(o);
    sol_takeup_result_free(res);
    sol__strmap_free(rv.pos);
    sol__free_n(4, rv.val, rv.wh, el, ese);
    sol__free(text);
    json_decref(root);
    json_decref(arr);
    sol__aud_eval_clear(&E);
    return rc;
}
