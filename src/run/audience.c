/* audience.c - audiences on the store: define (evaluate, check k on every area and on the
 * combinations with every audience already defined, build the card with the rule in words in
 * each language, record the run and the audience in one transaction), the card in the reader's
 * language as JSON or text, publication, places and radii for advertising platforms, the
 * printable map. docs/outreach.md. */
#include <solidata/run_outreach.h>

#include <solidata/geo.h>
#include <solidata/render.h>
#include <solidata/run.h>
#include <solidata/store_audience.h>

#include "run/audience_int.h"
#include "run/run_int.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOL_PI       3.14159265358979323846
#define AUD_MAX_TEXT (16u << 20) /* a card's text or an export longer than this is refused */

void sol_run_audience_job_init(sol_audience_job *j)
{
    memset(j, 0, sizeof *j);
}

void sol_audience_output_free(sol_audience_output *o)
{
    if (o == NULL)
        return;
    free(o->card);
    sol__run_notes_free(o->notes, o->n_notes);
    sol__free(o);
}

/* ---- the rule in words ------------------------------------------------------------------------
 */

static void number_words(sol_lang l, double x, const aud_meta *m, char *buf, size_t n)
{
    const char *u = m ? m->units[l] ? m->units[l] : m->unit : NULL;
    int dec = fabs(x - round(x)) < 1e-9 ? 0 : fabs(x * 10 - round(x * 10)) < 1e-9 ? 1 : 2;
    if (u && strchr(u, '%')) {
        sol_lang_percent(l, x, dec, buf, n);
        return;
    }
    char num[64];
    sol_lang_number(l, x, dec, 1, num, sizeof num);
    if (u && *u && strlen(u) < 24 && strcmp(u, "persons") != 0)
        snprintf(buf, n, "%s %s", num, u);
    else
        snprintf(buf, n, "%s", num);
}

static const char *area_name(const aud_eval *E, const char *code)
{
    int64_t j;
    if (E->aidx && sol__strmap_get(E->aidx, code, strlen(code), &j) && E->a[j].name)
        return E->a[j].name;
    return code;
}

/* "every municipality in Lazio where “A” is above 30 and “B” is in the top 25% of these areas
 * (41.5 or more)" in language l */
static char *rule_words(const aud_eval *E, sol_lang l)
{
    const sol_aud_rule *r = E->rule;
    sol_buf b;
    sol__buf_init(&b, 4 * SOL_MAX_RULE);
    sol__buf_addf(&b, sol_lgettext(l, "every %s"), sol_level_name(l, E->level, NULL));
    if (r->n_within) {
        sol__buf_addf(&b, "%s", sol_lgettext(l, " in "));
        for (size_t w = 0; w < r->n_within; w++)
            sol__buf_addf(&b, "%s%s", w ? ", " : "", area_name(E, r->within[w]));
    }
    for (size_t c = 0; c < r->n_cond; c++) {
        const sol_aud_cond *d = &r->cond[c];
        const aud_meta *m = sol__aud_meta(E, d->indicator);
        const char *lab = m ? sol__aud_label(m, l) : d->indicator;
        char x[96], y[96];
        sol__buf_addf(&b, "%s", c == 0 ? sol_lgettext(l, " where ") : sol_lgettext(l, " and "));
        switch (d->op) {
        case SOL_AUD_GT:
            number_words(l, d->value, m, x, sizeof x);
            sol__buf_addf(&b, sol_lgettext(l, "“%s” is above %s"), lab, x);
            break;
        case SOL_AUD_GE:
            number_words(l, d->value, m, x, sizeof x);
            sol__buf_addf(&b, sol_lgettext(l, "“%s” is at least %s"), lab, x);
            break;
        case SOL_AUD_LT:
            number_words(l, d->value, m, x, sizeof x);
            sol__buf_addf(&b, sol_lgettext(l, "“%s” is below %s"), lab, x);
            break;
        case SOL_AUD_LE:
            number_words(l, d->value, m, x, sizeof x);
            sol__buf_addf(&b, sol_lgettext(l, "“%s” is at most %s"), lab, x);
            break;
        case SOL_AUD_TOP:
        case SOL_AUD_BOTTOM:
            sol_lang_percent(l, d->value, fabs(d->value - round(d->value)) < 1e-9 ? 0 : 1, x,
                             sizeof x);
            number_words(l, E->ev ? E->ev->cut[c] : NAN, m, y, sizeof y);
            sol__buf_addf(&b,
                          d->op == SOL_AUD_TOP
                              ? sol_lgettext(l, "“%s” is among the highest %s of these areas "
                                                "(%s or more)")
                              : sol_lgettext(l, "“%s” is among the lowest %s of these areas "
                                                "(%s or less)"),
                          lab, x, y);
            break;
        }
    }
    if (b.data == NULL || sol__buf_addc(&b, '\0') != SOL_OK) {
        sol__buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* "Number of pension recipients" or "A × B" in language l */
static char *group_words(const aud_eval *E, sol_lang l)
{
    const aud_meta *p = sol__aud_meta(E, E->rule->people);
    const aud_meta *s = E->rule->share ? sol__aud_meta(E, E->rule->share) : NULL;
    char buf[1024];
    if (s)
        snprintf(buf, sizeof buf, sol_lgettext(l, "%s × %s"), sol__aud_label(p, l),
                 sol__aud_label(s, l));
    else
        snprintf(buf, sizeof buf, "%s", sol__aud_label(p, l));
    return sol__strdup(buf);
}

static json_t *langs(char *const v[SOL_LANG_COUNT])
{
    json_t *o = json_object();
    for (int l = 0; l < SOL_LANG_COUNT && o; l++)
        json_object_set_new(o, sol_lang_code((sol_lang)l), v[l] ? json_string(v[l]) : json_null());
    return o;
}

static json_t *evidence_item(const aud_eval *E, const aud_series *s, const char *role)
{
    const aud_meta *m = sol__aud_meta(E, s->code);
    json_t *lab = json_object(), *units = json_object();
    for (int l = 0; l < SOL_LANG_COUNT; l++) {
        json_object_set_new(lab, sol_lang_code((sol_lang)l),
                            json_string(sol__aud_label(m, (sol_lang)l)));
        const char *u = m->units[l] ? m->units[l] : m->unit;
        json_object_set_new(units, sol_lang_code((sol_lang)l), u ? json_string(u) : json_null());
    }
    return json_pack("{s:s, s:s, s:o, s:o, s:s?, s:s, s:b, s:O}", "indicator", s->code, "role",
                     role, "labels", lab, "units", units, "dimension", m->dimension, "period",
                     s->period, "has_se", s->has_se, "sources",
                     s->sources ? s->sources : json_array());
}

/* ---- define ------------------------------------------------------------------------------------
 */

typedef struct cells_of {
    size_t n;
    char **code;
    double *people;
} cells_of;

static void cells_free(cells_of *c)
{
    for (size_t i = 0; i < c->n; i++)
        sol__free(c->code[i]);
    sol__free_n(2, c->code, c->people);
    memset(c, 0, sizeof *c);
}

static int cells_from_card(json_t *card, cells_of *c)
{
    json_t *areas = json_object_get(card, "areas");
    size_t n = json_array_size(areas), i;
    json_t *a;
    memset(c, 0, sizeof *c);
    c->code = sol__calloc(n ? n : 1, sizeof *c->code);
    c->people = sol__calloc(n ? n : 1, sizeof *c->people);
    if (c->code == NULL || c->people == NULL)
        return -1;
    json_array_foreach(areas, i, a)
    {
        const char *code = json_string_value(json_object_get(a, "code"));
        if (code == NULL)
            continue;
        if ((c->code[c->n] = sol__strdup(code)) == NULL)
            return -1;
        c->people[c->n++] = json_number_value(json_object_get(a, "people"));
    }
    return 0;
}

typedef struct others {
    size_t n, cap;
    char **name;
    cells_of *cells;
    int failed;
} others;

static int on_other(void *ud, const sol_audience_rec *a)
{
    others *o = ud;
    if (o->n == o->cap) {
        size_t cap = o->cap ? 2 * o->cap : 16;
        char **nn = sol__realloc(o->name, cap * sizeof *nn);
        if (nn == NULL)
            goto nomem;
        o->name = nn;
        cells_of *nc = sol__realloc(o->cells, cap * sizeof *nc);
        if (nc == NULL)
            goto nomem;
        o->cells = nc;
        o->cap = cap;
    }
    json_t *card = json_loads(a->result ? a->result : "{}", 0, NULL);
    o->name[o->n] = sol__strdup(a->name);
    int bad = o->name[o->n] == NULL || cells_from_card(card, &o->cells[o->n]) != 0;
    json_decref(card);
    o->n++;
    if (bad)
        goto nomem;
    return 0;
nomem:
    o->failed = 1;
    return 1;
}

static void others_free(others *o)
{
    for (size_t i = 0; i < o->n; i++) {
        sol__free(o->name[i]);
        cells_free(&o->cells[i]);
    }
    sol__free_n(2, o->name, o->cells);
}

static int valid_name(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return 0;
    }
    return 1;
}

static const char *interval_name(int k)
{
    return k == SOL_AUD_FROM_SHARE ? "share" : k == SOL_AUD_FROM_COUNT ? "count" : "exact";
}

/* an interval's bounds in whole persons: outward from the bounds, never inside the rounded
 * estimate (an exact count's interval is the count itself) */
static int64_t lo_of(double est, double low)
{
    int64_t c = sol_aud_cell(est);
    if (!(low < est - 1e-9 * (1 + est)))
        return c;
    int64_t l = (int64_t)floor(low < 0 ? 0 : low);
    return l < c ? l : c;
}

static int64_t hi_of(double est, double high)
{
    int64_t c = sol_aud_cell(est);
    if (!(high > est + 1e-9 * (1 + est)))
        return c;
    int64_t h = (int64_t)ceil(high);
    return h > c ? h : c;
}

static void digest_hex(crypto_hash_sha256_state *hs, char out[65])
{
    unsigned char d[32];
    crypto_hash_sha256_final(hs, d);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

sol_status sol__aud_define(sol_store *st, const sol_audience_job *job, aud_eval *E,
                           sol_audience_output **out, sol_error *err)
{
    const sol_aud_rule *r = E->rule;
    const sol_aud_eval *ev = E->ev;
    sol_status rc = SOL_OK;
    int64_t k = SOL_AUD_K_DEFAULT;
    sol_audience_output *o = NULL;
    json_t *card = NULL, *areas = NULL, *dropped = NULL, *withheld = NULL;
    others oth = {0};
    unsigned char *drop = NULL;
    char *words[SOL_LANG_COUNT] = {0}, *group[SOL_LANG_COUNT] = {0}, *rule_text = NULL,
         *rule_json = NULL;
    char **names = NULL;
    if (!valid_name(job->name))
        return sol__run_job_error(err, "NAME",
                                  "'%s': an audience's name is 1 to 64 letters, digits, '-', "
                                  "'_' or '.'",
                                  job->name ? job->name : "");
    if ((rc = sol_store_audience_k(st, &k, err)) != SOL_OK)
        return rc;
    if ((o = sol__calloc(1, sizeof *o)) == NULL || (drop = sol__calloc(E->ns + 1, 1)) == NULL)
        goto nomem;
    /* k on every area selected */
    size_t nsmall = 0, nzero = 0;
    int64_t smallest = INT64_MAX;
    char list[1024] = "";
    size_t ul = 0;
    for (size_t i = 0; i < E->ns; i++) {
        if (ev->state[i] != SOL_AUD_SELECTED)
            continue;
        int64_t cell = sol_aud_cell(ev->est[i]);
        if (cell >= k)
            continue;
        if (cell == 0) { /* no one of the group there: nothing to reach, nothing revealed */
            drop[i] = 2;
            nzero++;
            continue;
        }
        drop[i] = 1;
        nsmall++;
        if (cell < smallest)
            smallest = cell;
        if (nsmall <= 12) {
            int w = snprintf(list + ul, sizeof list - ul, "%s%s (%lld)", ul ? ", " : "",
                             area_name(E, E->a[E->scope[i]].code), (long long)cell);
            if (w > 0 && (size_t)w < sizeof list - ul)
                ul += (size_t)w;
        }
    }
    if (nsmall && !job->drop_small) {
        rc = sol__err(err, SOL_EINVAL,
                      "audience '%s' is refused: %zu area(s) would hold fewer than k = %lld "
                      "people: %s%s; the smallest cell is %lld, so it would pass only with k at "
                      "most %lld ('solidata audience k %lld', an administrator's choice), or "
                      "leave those areas out with --drop-small",
                      job->name, nsmall, (long long)k, list, nsmall > 12 ? ", ..." : "",
                      (long long)smallest, (long long)smallest, (long long)smallest);
        goto fail;
    }
    /* the areas kept */
    size_t nkept = 0;
    double total = 0, var = 0;
    if ((areas = json_array()) == NULL || (dropped = json_array()) == NULL ||
        (withheld = json_array()) == NULL)
        goto nomem;
    for (size_t i = 0; i < E->ns; i++) {
        const aud_area *a = &E->a[E->scope[i]];
        if (ev->state[i] == SOL_AUD_WITHHELD)
            json_array_append_new(withheld,
                                  json_pack("{s:s, s:s?}", "code", a->code, "name", a->name));
        if (ev->state[i] != SOL_AUD_SELECTED)
            continue;
        if (drop[i] == 2)
            continue;
        if (drop[i]) {
            json_array_append_new(dropped,
                                  json_pack("{s:s, s:s?, s:I}", "code", a->code, "name", a->name,
                                            "people", (json_int_t)sol_aud_cell(ev->est[i])));
            continue;
        }
        nkept++;
        total += ev->est[i];
        var += ev->se[i] * ev->se[i];
        json_array_append_new(areas,
                              json_pack("{s:s, s:s?, s:I, s:I, s:I, s:s}", "code", a->code, "name",
                                        a->name, "people", (json_int_t)sol_aud_cell(ev->est[i]),
                                        "low", (json_int_t)lo_of(ev->est[i], ev->low[i]), "high",
                                        (json_int_t)hi_of(ev->est[i], ev->high[i]), "interval",
                                        interval_name(ev->interval[i])));
    }
    if (nkept == 0) {
        rc = sol__err(err, SOL_EINVAL,
                      "audience '%s' selects no area (%zu areas in scope: %zu do not meet the "
                      "conditions, %zu lack a value, %zu have a value withheld from the public, "
                      "%zu hold fewer than k people); loosen the conditions",
                      job->name, E->ns, ev->n_not_met, ev->n_missing, ev->n_withheld, nsmall);
        goto fail;
    }
    /* the combinations with every audience already defined */
    if ((rc = sol_store_audiences(st, 0, on_other, &oth, err)) != SOL_OK)
        goto fail;
    if (oth.failed)
        goto nomem;
    {
        cells_of me;
        json_t *mine = json_pack("{s:O}", "areas", areas);
        int bad = mine == NULL || cells_from_card(mine, &me) != 0;
        json_decref(mine);
        if (bad) {
            cells_free(&me);
            goto nomem;
        }
        for (size_t b = 0; b < oth.n; b++) {
            sol_aud_breach br;
            sol_aud_cells ca = {me.n, (const char *const *)me.code, me.people};
            sol_aud_cells cb = {oth.cells[b].n, (const char *const *)oth.cells[b].code,
                                oth.cells[b].people};
            size_t nb = sol_aud_pair_check(&ca, &cb, k, &br);
            if (nb == 0)
                continue;
            if (br.area)
                rc = sol__err(err, SOL_EINVAL,
                              "audience '%s' is refused: with audience '%s' it would reveal a "
                              "cell below k = %lld: in %s the two audiences count %lld people "
                              "apart (people in one and not in the other); %zu such cell(s). "
                              "Change the rule so that the two differ by at least k people in "
                              "every area they share, or by none",
                              job->name, oth.name[b], (long long)k, area_name(E, br.area),
                              (long long)br.cell, nb);
            else
                rc = sol__err(err, SOL_EINVAL,
                              "audience '%s' is refused: with audience '%s' it would reveal a "
                              "cell below k = %lld: their totals differ by %lld people",
                              job->name, oth.name[b], (long long)k, (long long)br.cell);
            cells_free(&me);
            goto fail;
        }
        cells_free(&me);
    }
    /* the card */
    for (int l = 0; l < SOL_LANG_COUNT; l++)
        if ((words[l] = rule_words(E, (sol_lang)l)) == NULL ||
            (group[l] = group_words(E, (sol_lang)l)) == NULL)
            goto nomem;
    if ((rc = sol_aud_rule_text(r, &rule_text, err)) != SOL_OK ||
        (rc = sol_aud_rule_json(r, &rule_json, err)) != SOL_OK)
        goto fail;
    const char *purpose = r->purpose ? r->purpose : job->purpose;
    const char *who = sol__aud_who(job->who);
    char now[32];
    sol__utc_now(now, sizeof now);
    json_t *evidence = json_array(), *quant = json_array(), *within = json_array();
    for (size_t c = 0; c < r->n_cond; c++) {
        json_array_append_new(evidence, evidence_item(E, &E->cond[c], "condition"));
        if (r->cond[c].op == SOL_AUD_TOP || r->cond[c].op == SOL_AUD_BOTTOM)
            json_array_append_new(
                quant, json_pack("{s:s, s:s, s:f, s:o}", "indicator", r->cond[c].indicator, "side",
                                 sol_aud_op_name(r->cond[c].op), "percent", r->cond[c].value, "cut",
                                 sol__run_num(ev->cut[c])));
    }
    json_array_append_new(evidence, evidence_item(E, &E->people, "people"));
    if (r->share)
        json_array_append_new(evidence, evidence_item(E, &E->share, "share"));
    for (size_t w = 0; w < r->n_within; w++)
        json_array_append_new(within, json_pack("{s:s, s:s}", "code", r->within[w], "name",
                                                area_name(E, r->within[w])));
    double tse = sqrt(var);
    double tlow = total - SOL_AUD_Z95 * tse;
    char *lv[SOL_LANG_COUNT];
    for (int l = 0; l < SOL_LANG_COUNT; l++)
        lv[l] = (char *)sol_level_name((sol_lang)l, E->level, NULL);
    card = json_pack(
        "{s:s, s:s, s:o, s:o, s:o, s:s, s:o, s:o, s:I, s:s?, s:b, s:O, s:o, s:o, s:o, s:{s:I, "
        "s:I, s:I}, s:{s:o, s:I, s:I, s:o}, s:I, s:{s:s, s:s, s:s, s:s, s:s}, s:s, s:s?}",
        "name", job->name, "rule", rule_text, "rule_json", json_loads(rule_json, 0, NULL),
        "rule_words", langs(words), "group", langs(group), "level", E->level, "level_names",
        langs(lv), "within", within, "k", (json_int_t)k, "purpose", purpose, "public_service",
        r->public_service, "special", E->special, "evidence", evidence, "quantiles", quant, "areas",
        json_incref(areas), "people", "estimate", (json_int_t)sol_aud_cell(total), "low",
        (json_int_t)lo_of(total, tlow), "high", (json_int_t)hi_of(total, total + SOL_AUD_Z95 * tse),
        "excluded", "withheld", json_incref(withheld), "missing", (json_int_t)ev->n_missing,
        "not_met", (json_int_t)ev->n_not_met, "dropped", json_incref(dropped), "scope_areas",
        (json_int_t)E->ns, "method", "name", N_("audience: a rule over area indicators"),
        "quantile", "type 7 (R's default): over the areas in scope with a public value", "interval",
        "95% normal interval from the share's standard error, else the count's, else exact; "
        "the total's from independent area errors",
        "k",
        "every area's people (rounded) at least k; with every audience defined, each area "
        "both select differs by 0 or at least k, and so do the totals",
        "withheld",
        "values withheld from the public (small counts) are never used: such areas "
        "are left out",
        "created_at", now, "created_by", who);
    if (card == NULL)
        goto nomem;
    {
        /* the areas in scope (level and within), for the map drawn later */
        json_t *scope = json_array();
        for (size_t i = 0; i < E->ns && scope; i++)
            json_array_append_new(scope, json_string(E->a[E->scope[i]].code));
        if (scope == NULL || json_object_set_new(card, "scope", scope) != 0)
            goto nomem;
    }
    if (job->drop_small && nsmall) {
        char note[SOL__RUN_NOTE_MAX];
        snprintf(note, sizeof note,
                 sol_gettext("%zu area(s) left out because they hold fewer than k = %lld "
                             "people: %s%s"),
                 nsmall, (long long)k, list, nsmall > 12 ? ", ..." : "");
        if (sol__run_note_add(&o->notes, &o->n_notes, sizeof note, err, "%s", note) != SOL_OK)
            goto nomem;
    }
    if (nzero && sol__run_note_add(&o->notes, &o->n_notes, SOL__RUN_NOTE_MAX, err,
                                   sol_gettext("%zu area(s) left out because no one of the group "
                                               "lives there (a count of 0)"),
                                   nzero) != SOL_OK)
        goto nomem;
    if (ev->n_withheld &&
        sol__run_note_add(&o->notes, &o->n_notes, SOL__RUN_NOTE_MAX, err,
                          sol_gettext("%zu area(s) left out because a value the rule needs is "
                                      "withheld from the public there (a small count)"),
                          ev->n_withheld) != SOL_OK)
        goto nomem;
    if (ev->n_missing &&
        sol__run_note_add(&o->notes, &o->n_notes, SOL__RUN_NOTE_MAX, err,
                          sol_gettext("%zu area(s) left out because an indicator of the rule has "
                                      "no value there"),
                          ev->n_missing) != SOL_OK)
        goto nomem;
    o->n_areas = nkept;
    o->people = (double)sol_aud_cell(total);
    o->low = (double)lo_of(total, tlow);
    o->high = (double)hi_of(total, total + SOL_AUD_Z95 * tse);
    if (!job->preview) {
        /* record the run and the audience in one transaction */
        int own = 0;
        crypto_hash_sha256_state hs;
        crypto_hash_sha256_init(&hs);
        const aud_series *all[SOL_AUD_MAX_COND + 2];
        size_t na = 0;
        for (size_t c = 0; c < r->n_cond; c++)
            all[na++] = &E->cond[c];
        all[na++] = &E->people;
        if (r->share)
            all[na++] = &E->share;
        for (size_t s = 0; s < na; s++)
            for (size_t i = 0; i < E->ns; i++) {
                char line[256];
                int n = snprintf(line, sizeof line, "%s\t%s\t%.17g\t%.17g\n", all[s]->code,
                                 E->a[E->scope[i]].code, all[s]->val[i], all[s]->se[i]);
                if (n > 0)
                    crypto_hash_sha256_update(&hs, (const unsigned char *)line,
                                              (unsigned long long)n);
            }
        char sha[65];
        digest_hex(&hs, sha);
        json_t *inputs = json_pack("{s:O}", "indicators", evidence);
        char *inputs_json = inputs ? json_dumps(inputs, JSON_COMPACT) : NULL;
        json_decref(inputs);
        json_t *spec = json_pack("{s:s, s:s, s:o}", "name", job->name, "rule", rule_text,
                                 "rule_json", json_loads(rule_json, 0, NULL));
        json_t *method = json_deep_copy(json_object_get(card, "method"));
        if (method)
            json_object_set_new(method, "reference",
                                json_string("docs/outreach.md; Hyndman and Fan (1996), "
                                            "Sample quantiles in statistical packages"));
        json_t *choices =
            json_pack("{s:I, s:s?, s:b, s:b}", "k", (json_int_t)k, "purpose", purpose,
                      "public_service", r->public_service, "drop_small", job->drop_small);
        sol_run_card rc_card = {
            .kind = "audience", .inputs_json = inputs_json, .inputs_sha256 = sha};
        if (inputs_json == NULL)
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
        else if ((rc = sol_store_join(st, &own, err)) == SOL_OK) {
            rc = sol__run_record_json(st, &rc_card, JSON_COMPACT, spec, method, choices, card,
                                      &o->run_id, err);
            char *result = NULL;
            if (rc == SOL_OK) {
                json_object_set_new(card, "run_id", json_integer((json_int_t)o->run_id));
                if ((result = json_dumps(card, JSON_COMPACT | JSON_REAL_PRECISION(17))) == NULL)
                    rc = sol__err(err, SOL_ENOMEM, "out of memory");
            }
            if (rc == SOL_OK) {
                sol_audience_rec rec = {.name = job->name,
                                        .rule = rule_text,
                                        .k = k,
                                        .purpose = purpose,
                                        .result = result,
                                        .run_id = o->run_id,
                                        .created_at = now,
                                        .created_by = who};
                rc = sol_store_audience_add(st, &rec, &o->id, err);
            }
            free(result);
            rc = sol_store_leave(st, own, rc, err);
        }
        free(inputs_json);
        json_decref(spec);
        json_decref(method);
        json_decref(choices);
        if (rc != SOL_OK)
            goto fail;
    }
    if ((o->card = json_dumps(card, JSON_INDENT(1) | JSON_REAL_PRECISION(17))) == NULL)
        goto nomem;
    goto done;
nomem:
    rc = sol__err(err, SOL_ENOMEM, "out of memory");
fail:
    sol_audience_output_free(o);
    o = NULL;
done:
    for (int l = 0; l < SOL_LANG_COUNT; l++)
        sol__free_n(2, words[l], group[l]);
    sol__free_n(4, rule_text, rule_json, drop, names);
    json_decref(card);
    json_decref(areas);
    json_decref(dropped);
    json_decref(withheld);
    others_free(&oth);
    if (o)
        *out = o;
    return rc;
}

sol_status sol_run_audience_define(sol_store *st, const sol_audience_job *job,
                                   sol_audience_output **out, sol_error *err)
{
    if (job->name == NULL || job->rule == NULL)
        return sol__run_job_error(err, "--rule", "an audience needs a name and a rule");
    if (!valid_name(job->name))
        return sol__run_job_error(err, "NAME",
                                  "'%s': an audience's name is 1 to 64 letters, digits, '-', "
                                  "'_' or '.'",
                                  job->name);
    sol_aud_rule *rule = NULL;
    sol_status rc = sol__aud_parse(job->rule, &rule, err);
    if (rc != SOL_OK)
        return rc;
    aud_eval E;
    rc = sol__aud_evaluate(st, rule, 0, &E, err);
    if (rc == SOL_OK)
        rc = sol__aud_define(st, job, &E, out, err);
    sol__aud_eval_clear(&E);
    return rc;
}

/* ---- reading -----------------------------------------------------------------------------------
 */

typedef struct got {
    json_t *card;
    int published, drafts, failed;
    char *name;
} got;

static json_t *pick(json_t *o, sol_lang l)
{
    json_t *v = json_object_get(o, sol_lang_code(l));
    if (!json_is_string(v))
        v = json_object_get(o, "en");
    return v ? json_incref(v) : json_null();
}

/* the stored card in language l, with the row's publication state */
static json_t *card_in(const sol_audience_rec *a, sol_lang l)
{
    json_t *s = json_loads(a->result ? a->result : "{}", 0, NULL);
    if (s == NULL)
        return NULL;
    json_t *ev = json_array(), *e;
    size_t i;
    json_array_foreach(json_object_get(s, "evidence"), i, e)
    {
        json_t *x = json_deep_copy(e);
        json_object_set_new(x, "label", pick(json_object_get(e, "labels"), l));
        json_object_set_new(x, "unit", pick(json_object_get(e, "units"), l));
        json_array_append_new(ev, x);
    }
    json_t *c = json_pack(
        "{s:s, s:o, s:o, s:s?, s:O?, s:O?, s:o, s:O?, s:I, s:s?, s:O?, s:O?, s:o, s:O?, s:O?, "
        "s:O?, s:O?, s:O?, s:O?, s:s?, s:s?, s:b, s:I, s:s}",
        "name", a->name, "group", pick(json_object_get(s, "group"), l), "rule_text",
        pick(json_object_get(s, "rule_words"), l), "rule", a->rule, "rule_json",
        json_object_get(s, "rule_json"), "level", json_object_get(s, "level"), "level_name",
        pick(json_object_get(s, "level_names"), l), "within", json_object_get(s, "within"), "k",
        (json_int_t)a->k, "purpose", a->purpose, "public_service",
        json_object_get(s, "public_service"), "special", json_object_get(s, "special"), "evidence",
        ev, "quantiles", json_object_get(s, "quantiles"), "areas", json_object_get(s, "areas"),
        "people", json_object_get(s, "people"), "excluded", json_object_get(s, "excluded"),
        "scope_areas", json_object_get(s, "scope_areas"), "method", json_object_get(s, "method"),
        "created_at", a->created_at, "created_by", a->created_by, "published", a->published,
        "run_id", (json_int_t)a->run_id, "lang", sol_lang_code(l));
    json_t *scope = json_object_get(s, "scope");
    if (c && scope)
        json_object_set(c, "scope", scope);
    json_decref(s);
    return c;
}

typedef struct card_ud {
    sol_lang l;
    int drafts;
    json_t *card;
    json_t *list;
    int failed;
} card_ud;

static int on_card(void *ud, const sol_audience_rec *a)
{
    card_ud *c = ud;
    if (!a->published && !c->drafts)
        return 0;
    json_t *x = card_in(a, c->l);
    if (x == NULL) {
        c->failed = 1;
        return 1;
    }
    if (c->list)
        json_array_append_new(c->list, x);
    else
        c->card = x;
    return 0;
}

static sol_status get_card(sol_store *st, const char *name, sol_lang l, int drafts, json_t **card,
                           sol_error *err)
{
    card_ud c = {.l = l, .drafts = drafts};
    sol_status rc = sol_store_audience_get(st, name, on_card, &c, err);
    if (rc != SOL_OK)
        return rc;
    if (c.failed)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    if (c.card == NULL)
        return sol__err(err, SOL_ENOTFOUND, "no published audience called '%s'", name);
    *card = c.card;
    return SOL_OK;
}

static sol_status dump(json_t *j, char **out, sol_error *err)
{
    char *s = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(j);
    if (s == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    *out = sol__strdup(s);
    free(s);
    return *out ? SOL_OK : sol__err(err, SOL_ENOMEM, "out of memory");
}

sol_status sol_run_audience_card(sol_store *st, const char *name, sol_lang lang, int drafts,
                                 char **json, sol_error *err)
{
    json_t *c = NULL;
    sol_status rc = get_card(st, name, lang, drafts, &c, err);
    return rc == SOL_OK ? dump(c, json, err) : rc;
}

sol_status sol_run_audience_list(sol_store *st, sol_lang lang, int drafts, char **json,
                                 sol_error *err)
{
    int64_t k = 0;
    card_ud c = {.l = lang, .drafts = drafts, .list = json_array()};
    if (c.list == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol_status rc = sol_store_audiences(st, !drafts, on_card, &c, err);
    if (rc == SOL_OK)
        rc = sol_store_audience_k(st, &k, err);
    if (rc == SOL_OK && c.failed)
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
    if (rc != SOL_OK) {
        json_decref(c.list);
        return rc;
    }
    return dump(json_pack("{s:o, s:I}", "audiences", c.list, "k", (json_int_t)k), json, err);
}

static const char *js(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static long long ji(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? (long long)json_integer_value(v) : (long long)json_number_value(v);
}

sol_status sol_run_audience_text(sol_store *st, const char *name, sol_lang l, int drafts,
                                 char **text, sol_error *err)
{
    json_t *c = NULL;
    sol_status rc = get_card(st, name, l, drafts, &c, err);
    if (rc != SOL_OK)
        return rc;
    sol_buf b;
    sol__buf_init(&b, AUD_MAX_TEXT);
    char x[64], y[64], z[64];
    sol__buf_addf(&b, sol_lgettext(l, "Audience card: %s (%s)\n"), name,
                  json_is_true(json_object_get(c, "published")) ? sol_lgettext(l, "published")
                                                                : sol_lgettext(l, "draft"));
    sol__buf_addf(&b, sol_lgettext(l, "Who is reached: %s\n"), js(c, "group"));
    sol__buf_addf(&b, sol_lgettext(l, "The rule in words: %s\n"), js(c, "rule_text"));
    if (*js(c, "purpose"))
        sol__buf_addf(&b, sol_lgettext(l, "Purpose: %s%s\n"), js(c, "purpose"),
                      json_is_true(json_object_get(c, "public_service"))
                          ? sol_lgettext(l, " (a public service for this group)")
                          : "");
    json_t *p = json_object_get(c, "people");
    sol_lang_number(l, (double)ji(p, "estimate"), 0, 1, x, sizeof x);
    sol_lang_number(l, (double)ji(p, "low"), 0, 1, y, sizeof y);
    sol_lang_number(l, (double)ji(p, "high"), 0, 1, z, sizeof z);
    size_t na = json_array_size(json_object_get(c, "areas"));
    sol__buf_addf(&b,
                  sol_lngettext(l, "%zu area; about %s people (95%% interval %s to %s)\n",
                                "%zu areas; about %s people (95%% interval %s to %s)\n", na),
                  na, x, y, z);
    sol__buf_addf(&b,
                  sol_lgettext(l, "Minimum cell size k = %lld: every area counts at least k "
                                  "people, and no combination with another audience reveals "
                                  "fewer\n"),
                  ji(c, "k"));
    sol__buf_addf(&b, "%s\n", sol_lgettext(l, "Evidence:"));
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(c, "evidence"), i, e)
    {
        sol__buf_addf(&b, sol_lgettext(l, "  - %s (%s), %s:"), js(e, "label"), js(e, "indicator"),
                      js(e, "period"));
        size_t q;
        json_t *s;
        json_array_foreach(json_object_get(e, "sources"), q, s)
        {
            const char *lic = js(s, "licence");
            sol__buf_addf(&b, " %s%s%s%s", js(s, "name"), *lic ? " (" : "", lic, *lic ? ")" : "");
        }
        sol__buf_addf(&b, "\n");
    }
    json_t *ex = json_object_get(c, "excluded");
    size_t nw = json_array_size(json_object_get(ex, "withheld"));
    if (nw)
        sol__buf_addf(&b,
                      sol_lgettext(l, "Left out: %zu area(s) whose values are withheld from the "
                                      "public (small counts are never used)\n"),
                      nw);
    size_t nd = json_array_size(json_object_get(ex, "dropped"));
    if (nd)
        sol__buf_addf(&b, sol_lgettext(l, "Left out: %zu area(s) holding fewer than k people\n"),
                      nd);
    sol__buf_addf(&b, sol_lgettext(l, "Defined on %s by %s (run %lld)\n"), js(c, "created_at"),
                  *js(c, "created_by") ? js(c, "created_by") : "-", ji(c, "run_id"));
    sol__buf_addf(&b, sol_lgettext(l, "Rule as written: %s\n"), js(c, "rule"));
    /* xgettext:no-c-format */
    const char *areas_title = sol_lgettext(l, "Areas (people, 95% interval):");
    sol__buf_addf(&b, "%s\n", areas_title);
    json_array_foreach(json_object_get(c, "areas"), i, e)
    {
        sol_lang_number(l, (double)ji(e, "people"), 0, 1, x, sizeof x);
        sol_lang_number(l, (double)ji(e, "low"), 0, 1, y, sizeof y);
        sol_lang_number(l, (double)ji(e, "high"), 0, 1, z, sizeof z);
        sol__buf_addf(&b, "  %s %s: %s [%s; %s]\n", js(e, "code"), js(e, "name"), x, y, z);
    }
    json_decref(c);
    if (b.data == NULL || sol__buf_addc(&b, '\0') != SOL_OK) {
        sol__buf_free(&b);
        return sol__err(err, SOL_ELIMIT, "the card's text is too long%s", "");
    }
    *text = b.data;
    return SOL_OK;
}

sol_status sol_run_audience_publish(sol_store *st, const char *name, int publish, const char *who,
                                    int *changed, sol_error *err)
{
    int own = 0;
    int64_t run_id = 0;
    sol_status rc = sol_store_join(st, &own, err);
    if (rc != SOL_OK)
        return rc;
    card_ud c = {.l = SOL_LANG_EN, .drafts = 1};
    if ((rc = sol_store_audience_get(st, name, on_card, &c, err)) == SOL_OK && c.card)
        run_id = (int64_t)json_integer_value(json_object_get(c.card, "run_id"));
    json_decref(c.card);
    if (rc == SOL_OK)
        rc = sol_store_audience_publish(st, name, publish, sol__aud_who(who), changed, err);
    if (rc == SOL_OK && run_id > 0) {
        sol_publish_req q = {
            .kind = "run", .id = run_id, .publish = publish, .who = sol__aud_who(who)};
        rc = sol_store_publish(st, &q, NULL, err);
    }
    return sol_store_leave(st, own, rc, err);
}

sol_status sol_run_audience_remove(sol_store *st, const char *name, const char *who, sol_error *err)
{
    return sol_store_audience_remove(st, name, sol__aud_who(who), err);
}

/* ---- places, radii, the map --------------------------------------------------------------------
 */

/* the area's surface (km2) and farthest vertex from its centroid (km) */
static void area_geometry(const sol_feature *f, double *area_km2, double *far_km)
{
    double lat0 = f->centroid[1] * SOL_PI / 180, kx = 111.320 * cos(lat0), ky = 110.574;
    double a = 0, far = 0;
    for (size_t p = 0; p < f->nparts; p++)
        for (size_t r = 0; r < f->parts[p].nrings; r++) {
            const sol_ring *g = &f->parts[p].rings[r];
            double s = 0;
            for (size_t i = 0; i + 1 < g->n; i++) {
                double x1 = g->xy[2 * i] * kx, y1 = g->xy[2 * i + 1] * ky;
                double x2 = g->xy[2 * i + 2] * kx, y2 = g->xy[2 * i + 3] * ky;
                s += x1 * y2 - x2 * y1;
                if (r == 0) {
                    /* haversine */
                    double la1 = f->centroid[1] * SOL_PI / 180,
                           la2 = g->xy[2 * i + 1] * SOL_PI / 180;
                    double dl = (g->xy[2 * i] - f->centroid[0]) * SOL_PI / 180;
                    double h = sin((la2 - la1) / 2) * sin((la2 - la1) / 2) +
                               cos(la1) * cos(la2) * sin(dl / 2) * sin(dl / 2);
                    double d = 2 * 6371.0088 * asin(sqrt(h < 1 ? h : 1));
                    if (d > far)
                        far = d;
                }
            }
            a += r == 0 ? fabs(s) / 2 : -fabs(s) / 2;
        }
    *area_km2 = a;
    *far_km = far;
}

static const char *country_of_level(const char *level)
{
    static const char *const fr[] = {"commune", "département",    "departement",
                                     "IRIS",    "arrondissement", "région"};
    static const char *const it[] = {"comune", "provincia", "regione"};
    for (size_t i = 0; level && i < sizeof fr / sizeof *fr; i++)
        if (strcmp(level, fr[i]) == 0)
            return "France";
    for (size_t i = 0; level && i < sizeof it / sizeof *it; i++)
        if (strcmp(level, it[i]) == 0)
            return "Italy";
    return NULL;
}

/* the region: the ancestor of level region (any language), else "" */
static const char *region_of(const aud_eval *E, size_t i)
{
    const aud_area *x = &E->a[i];
    for (int depth = 0; depth < 16 && x->parent; depth++) {
        int64_t j;
        if (!sol__strmap_get(E->aidx, x->parent, strlen(x->parent), &j))
            break;
        x = &E->a[j];
        if (x->level && (strcmp(x->level, "region") == 0 || strcmp(x->level, "regione") == 0 ||
                         strcmp(x->level, "région") == 0))
            return x->name ? x->name : x->code;
    }
    return NULL;
}

static void csv_field(sol_buf *b, const char *s, int last)
{
    s = s ? s : "";
    if (strpbrk(s, ",\"\n\r")) {
        sol__buf_addc(b, '"');
        for (; *s; s++) {
            if (*s == '"')
                sol__buf_addc(b, '"');
            sol__buf_addc(b, *s);
        }
        sol__buf_addc(b, '"');
    } else
        sol__buf_addf(b, "%s", s);
    sol__buf_addc(b, last ? '\n' : ',');
}

/* the stored audience re-read with its areas (geometry included) */
static sol_status load_for_output(sol_store *st, const char *name, int drafts, json_t **card,
                                  aud_eval *E, sol_error *err)
{
    memset(E, 0, sizeof *E);
    sol_status rc = get_card(st, name, SOL_LANG_EN, drafts, card, err);
    if (rc != SOL_OK)
        return rc;
    /* the areas only: the values stay those of the card */
    sol_aud_rule *rule = NULL;
    if ((rc = sol__aud_parse(js(*card, "rule"), &rule, err)) != SOL_OK)
        return rc;
    E->rule = rule;
    snprintf(E->level, sizeof E->level, "%s", js(*card, "level"));
    return SOL_OK;
}

typedef struct geo_areas {
    aud_eval *E;
    size_t cap;
    int failed;
} geo_areas;

static int on_geo_area(void *ud, const sol_area *a)
{
    geo_areas *g = ud;
    aud_eval *E = g->E;
    if (E->na == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 512;
        aud_area *x = sol__realloc(E->a, cap * sizeof *x);
        if (x == NULL) {
            g->failed = 1;
            return 1;
        }
        E->a = x;
        g->cap = cap;
    }
    aud_area *x = &E->a[E->na++];
    memset(x, 0, sizeof *x);
    x->code = sol__strdup(a->code);
    x->name = a->name ? sol__strdup(a->name) : NULL;
    x->level = a->level ? sol__strdup(a->level) : NULL;
    x->parent = a->parent_code ? sol__strdup(a->parent_code) : NULL;
    x->geometry = a->geometry ? sol__strdup(a->geometry) : NULL;
    x->centroid[0] = a->centroid[0];
    x->centroid[1] = a->centroid[1];
    if (x->code == NULL)
        g->failed = 1;
    return g->failed;
}

static sol_status load_areas(sol_store *st, aud_eval *E, int geometry, sol_error *err)
{
    geo_areas g = {.E = E};
    sol_status rc = sol_store_areas(st, geometry, on_geo_area, &g, err);
    if (rc != SOL_OK)
        return rc;
    if (g.failed || (E->aidx = sol__strmap_new(E->na ? E->na : 1)) == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    for (size_t i = 0; i < E->na; i++)
        if (sol__strmap_put(E->aidx, E->a[i].code, strlen(E->a[i].code), (int64_t)i) != SOL_OK)
            return sol__err(err, SOL_ENOMEM, "out of memory");
    return SOL_OK;
}

sol_status sol_run_audience_export(sol_store *st, const char *name, sol_audience_format format,
                                   const char *region, const char *country, int drafts, char **csv,
                                   size_t *len, sol_error *err)
{
    json_t *card = NULL;
    aud_eval E;
    sol_buf b;
    sol__buf_init(&b, AUD_MAX_TEXT);
    sol_status rc = load_for_output(st, name, drafts, &card, &E, err);
    if (rc == SOL_OK)
        rc = load_areas(st, &E, format != SOL_AUDIENCE_PLACES, err);
    if (rc != SOL_OK)
        goto done;
    if (format == SOL_AUDIENCE_PLACES)
        sol__buf_addf(&b, "place,name,region,country\n");
    else if (format == SOL_AUDIENCE_RADIUS)
        sol__buf_addf(&b, "name,latitude,longitude,radius_km\n");
    else
        sol__buf_addf(&b, "code,name,level,region,country,people,low,high,latitude,longitude,"
                          "area_km2,radius_km,farthest_km\n");
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(card, "areas"), i, a)
    {
        int64_t j;
        const char *code = js(a, "code");
        if (!sol__strmap_get(E.aidx, code, strlen(code), &j))
            continue;
        const aud_area *x = &E.a[j];
        const char *reg = region ? region : region_of(&E, (size_t)j);
        if (reg == NULL && E.rule->n_within == 1) {
            int64_t w;
            const char *wc = E.rule->within[0];
            if (sol__strmap_get(E.aidx, wc, strlen(wc), &w) && E.a[w].level &&
                (strcmp(E.a[w].level, "region") == 0 || strcmp(E.a[w].level, "regione") == 0 ||
                 strcmp(E.a[w].level, "région") == 0))
                reg = E.a[w].name ? E.a[w].name : E.a[w].code;
        }
        const char *cty = country ? country : country_of_level(x->level);
        const char *nm = x->name ? x->name : x->code;
        double akm = NAN, far = NAN, rad = NAN;
        double lat = x->centroid[1], lon = x->centroid[0];
        if (format != SOL_AUDIENCE_PLACES && x->geometry) {
            sol_feature f;
            memset(&f, 0, sizeof f);
            if (sol_geo_parse_geojson(x->geometry, &f, NULL) == SOL_OK) {
                sol_feature_summarise(&f);
                lat = f.centroid[1];
                lon = f.centroid[0];
                area_geometry(&f, &akm, &far);
                rad = ceil(sqrt(akm / SOL_PI) * 10) / 10;
                if (rad < 1)
                    rad = 1;
            }
            sol_feature_clear(&f);
        }
        if (format == SOL_AUDIENCE_PLACES) {
            char full[768];
            snprintf(full, sizeof full, "%s%s%s%s%s", nm, reg && *reg ? ", " : "", reg ? reg : "",
                     cty && *cty ? ", " : "", cty ? cty : "");
            csv_field(&b, full, 0);
            csv_field(&b, nm, 0);
            csv_field(&b, reg, 0);
            csv_field(&b, cty, 1);
        } else if (format == SOL_AUDIENCE_RADIUS) {
            csv_field(&b, nm, 0);
            sol__buf_addf(&b, "%.6f,%.6f,%.1f\n", lat, lon, rad);
        } else {
            csv_field(&b, code, 0);
            csv_field(&b, nm, 0);
            csv_field(&b, x->level, 0);
            csv_field(&b, reg, 0);
            csv_field(&b, cty, 0);
            sol__buf_addf(&b, "%lld,%lld,%lld,%.6f,%.6f,%.3f,%.1f,%.3f\n", ji(a, "people"),
                          ji(a, "low"), ji(a, "high"), lat, lon, akm, rad, far);
        }
    }
    if (b.data == NULL || sol__buf_addc(&b, '\0') != SOL_OK) {
        rc = sol__err(err, SOL_ELIMIT, "the export is too long%s", "");
        goto done;
    }
    *len = b.len - 1;
    *csv = b.data;
    b.data = NULL;
done:
    sol__buf_free(&b);
    json_decref(card);
    sol__aud_eval_clear(&E);
    return rc;
}

sol_status sol_run_audience_map_svg(sol_store *st, const char *name, sol_lang l, int drafts,
                                    char **svg, size_t *len, sol_error *err)
{
    json_t *card = NULL;
    aud_eval E;
    sol_feature *f = NULL;
    int *cls = NULL;
    double *val = NULL;
    unsigned char *sup = NULL;
    size_t n = 0;
    sol_status rc = load_for_output(st, name, drafts, &card, &E, err);
    if (rc == SOL_OK)
        rc = load_areas(st, &E, 1, err);
    if (rc != SOL_OK)
        goto done;
    /* the areas in scope: the card's level, within its `within` */
    json_t *lc = NULL;
    get_card(st, name, l, drafts, &lc, NULL);
    f = sol__calloc(E.na ? E.na : 1, sizeof *f);
    cls = sol__calloc(E.na ? E.na : 1, sizeof *cls);
    val = sol__calloc(E.na ? E.na : 1, sizeof *val);
    sup = sol__calloc(E.na ? E.na : 1, 1);
    if (!f || !cls || !val || !sup) {
        json_decref(lc);
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    json_t *areas = json_object_get(card, "areas");
    json_t *wh = json_object_get(json_object_get(card, "excluded"), "withheld");
    for (size_t i = 0; i < E.na; i++) {
        const aud_area *x = &E.a[i];
        if (x->level == NULL || strcmp(x->level, E.level) != 0 || x->geometry == NULL)
            continue;
        int in = 0;
        json_t *scope = json_object_get(card, "scope");
        size_t q0;
        json_t *sc;
        json_array_foreach(scope, q0, sc)
        {
            if (strcmp(json_string_value(sc) ? json_string_value(sc) : "", x->code) == 0) {
                in = 1;
                break;
            }
        }
        if (!in)
            continue;
        if (sol_geo_parse_geojson(x->geometry, &f[n], NULL) != SOL_OK)
            continue;
        if ((f[n].code = sol__strdup(x->code)) == NULL ||
            (x->name && (f[n].name = sol__strdup(x->name)) == NULL)) {
            n++;
            json_decref(lc);
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto done;
        }
        sol_feature_summarise(&f[n]);
        cls[n] = 1;
        val[n] = NAN;
        size_t q;
        json_t *a;
        json_array_foreach(areas, q, a)
        {
            if (strcmp(js(a, "code"), x->code) == 0) {
                cls[n] = 0;
                val[n] = (double)ji(a, "people");
            }
        }
        json_array_foreach(wh, q, a)
        {
            if (strcmp(js(a, "code"), x->code) == 0) {
                cls[n] = -1;
                sup[n] = 1;
            }
        }
        n++;
    }
    if (n == 0) {
        json_decref(lc);
        rc = sol__err(err, SOL_EGEO, "the areas of audience '%s' have no boundaries in the store",
                      name);
        goto done;
    }
    static const uint32_t colour[2] = {0xd95f0e, 0xf0f0f0};
    static const char *const keys[2] = {"audience", "other"};
    const char *labels[2] = {sol_lgettext(l, "in the audience"),
                             sol_lgettext(l, "not in the audience")};
    char title[512], sub[1024], src[1024];
    snprintf(title, sizeof title, sol_lgettext(l, "Audience: %s"), name);
    snprintf(sub, sizeof sub, "%s", js(lc, "rule_text"));
    snprintf(src, sizeof src, sol_lgettext(l, "solidata audience card, run %lld"),
             ji(card, "run_id"));
    /* the sources of the evidence and their licences, each once */
    char lic[512] = "";
    size_t us = strlen(src), ul = 0;
    size_t q1;
    json_t *ev1;
    json_array_foreach(json_object_get(card, "evidence"), q1, ev1)
    {
        size_t q2;
        json_t *so;
        json_array_foreach(json_object_get(ev1, "sources"), q2, so)
        {
            const char *att = js(so, "attribution"), *nm = js(so, "name"), *li = js(so, "licence");
            const char *who = *att ? att : nm;
            if (*who && !strstr(src, who)) {
                int w = snprintf(src + us, sizeof src - us, "; %s", who);
                if (w > 0 && (size_t)w < sizeof src - us)
                    us += (size_t)w;
            }
            if (*li && !strstr(lic, li)) {
                int w = snprintf(lic + ul, sizeof lic - ul, "%s%s", ul ? "; " : "", li);
                if (w > 0 && (size_t)w < sizeof lic - ul)
                    ul += (size_t)w;
            }
        }
    }
    sol_layer layer = {.n = n, .f = f};
    sol_map m;
    sol_map_init(&m);
    m.layer = &layer;
    m.cls = cls;
    m.value = val;
    m.suppressed = sup;
    m.nclasses = 2;
    m.colour = colour;
    m.label = labels;
    m.class_key = keys;
    m.title = title;
    m.subtitle = sub;
    m.legend_title = js(lc, "group");
    m.source = src;
    m.licence = ul ? lic : NULL;
    m.lang = sol_lang_code(l);
    m.lang_numbers = 1;
    m.decimals = 0;
    m.credit = 1;
    rc = sol_map_svg(&m, svg, len, err);
    json_decref(lc);
done:
    for (size_t i = 0; i < n; i++)
        sol_feature_clear(&f[i]);
    sol__free_n(4, f, cls, val, sup);
    json_decref(card);
    sol__aud_eval_clear(&E);
    return rc;
}

/* XML-escaped text into b */
static void xml_text(sol_buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '<')
            sol__buf_addf(b, "&lt;");
        else if (*s == '>')
            sol__buf_addf(b, "&gt;");
        else if (*s == '&')
            sol__buf_addf(b, "&amp;");
        else
            sol__buf_addc(b, *s);
    }
}

/* The printable PDF: the map, then the list of the areas (name, code, people and interval), 40
 * a page, for leafleting and door-to-door visits. */
static sol_status map_and_list_pdf(sol_store *st, const char *name, sol_lang l, const char *svg,
                                   size_t len, const char *path, sol_error *err)
{
    json_t *card = NULL;
    sol_status rc = get_card(st, name, l, 1, &card, err);
    if (rc != SOL_OK)
        return rc;
    json_t *areas = json_object_get(card, "areas");
    size_t na = json_array_size(areas), per = 40, npages = 1 + (na + per - 1) / per;
    const char **pages = sol__calloc(npages, sizeof *pages);
    size_t *lens = sol__calloc(npages, sizeof *lens);
    sol_buf *bufs = sol__calloc(npages, sizeof *bufs);
    if (!pages || !lens || !bufs) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    pages[0] = svg;
    lens[0] = len;
    for (size_t p = 1; p < npages; p++) {
        sol_buf *b = &bufs[p];
        char x[64], y[64], z[64], title[512];
        sol__buf_init(b, AUD_MAX_TEXT);
        sol__buf_addf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" "
                         "height=\"1100\" viewBox=\"0 0 800 1100\" font-family=\"sans-serif\">"
                         "<rect width=\"800\" height=\"1100\" fill=\"white\"/>");
        snprintf(title, sizeof title, sol_lgettext(l, "Audience: %s"), name);
        sol__buf_addf(b, "<text x=\"40\" y=\"50\" font-size=\"22\" font-weight=\"bold\">");
        xml_text(b, title);
        sol__buf_addf(b, "</text><text x=\"40\" y=\"80\" font-size=\"13\">");
        xml_text(b, js(card, "group"));
        sol__buf_addf(b, "</text><text x=\"40\" y=\"115\" font-size=\"13\" "
                         "font-weight=\"bold\">");
        /* xgettext:no-c-format */
        xml_text(b, sol_lgettext(l, "Areas (people, 95% interval):"));
        sol__buf_addf(b, "</text>");
        for (size_t i = (p - 1) * per; i < na && i < p * per; i++) {
            json_t *a = json_array_get(areas, i);
            double row = 140 + 23 * (double)(i - (p - 1) * per);
            sol_lang_number(l, (double)ji(a, "people"), 0, 1, x, sizeof x);
            sol_lang_number(l, (double)ji(a, "low"), 0, 1, y, sizeof y);
            sol_lang_number(l, (double)ji(a, "high"), 0, 1, z, sizeof z);
            sol__buf_addf(b, "<text x=\"40\" y=\"%.0f\" font-size=\"13\">", row);
            xml_text(b, *js(a, "name") ? js(a, "name") : js(a, "code"));
            sol__buf_addf(b, " (");
            xml_text(b, js(a, "code"));
            sol__buf_addf(b,
                          ")</text><text x=\"760\" y=\"%.0f\" font-size=\"13\" "
                          "text-anchor=\"end\">",
                          row);
            xml_text(b, x);
            sol__buf_addf(b, " [");
            xml_text(b, y);
            sol__buf_addf(b, "; ");
            xml_text(b, z);
            sol__buf_addf(b, "]</text>");
        }
        if (sol__buf_addf(b, "</svg>") != SOL_OK || b->data == NULL) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto done;
        }
        pages[p] = b->data;
        lens[p] = b->len;
    }
    rc = sol_render_pages_pdf(pages, lens, npages, path, err);
done:
    for (size_t p = 0; bufs && p < npages; p++)
        sol__buf_free(&bufs[p]);
    sol__free_n(3, (void *)pages, lens, bufs);
    json_decref(card);
    return rc;
}

sol_status sol_run_audience_map(sol_store *st, const char *name, sol_lang lang, const char *path,
                                sol_error *err)
{
    sol_map_format fmt;
    if (sol_map_format_from_path(path, &fmt) != SOL_OK)
        return sol__run_job_error(err, "--out",
                                  "'%s': expected a file ending in .svg, .png or .pdf", path);
    char *svg = NULL;
    size_t len = 0;
    sol_status rc = sol_run_audience_map_svg(st, name, lang, 1, &svg, &len, err);
    if (rc != SOL_OK)
        return rc;
    if (fmt == SOL_MAP_SVG) {
        FILE *f = fopen(path, "wb");
        if (f == NULL || fwrite(svg, 1, len, f) != len) {
            if (f)
                fclose(f);
            sol_free(svg);
            return sol__err_at(err, SOL_EIO, path, 0, 0, "cannot write the map%s", "");
        }
        if (fclose(f) != 0)
            rc = sol__err_at(err, SOL_EIO, path, 0, 0, "cannot write the map%s", "");
    } else if (fmt == SOL_MAP_PDF)
        rc = map_and_list_pdf(st, name, lang, svg, len, path, err);
    else
        rc = sol_render_svg_to_file(svg, len, path, fmt, 1, err);
    sol_free(svg);
    return rc;
}
