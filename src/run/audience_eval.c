/* audience_eval.c - an audience rule evaluated on the store: the indicators checked (unknown
 * ones named with the close names), special categories found, the areas in scope (level and
 * `within`, through the areas' parents), each indicator's public values with their standard
 * errors and sources, then the pure evaluation (src/outreach). */
#include "run/audience_int.h"

#include <solidata/geo.h>
#include <solidata/run.h>
#include <solidata/store_audience.h>
#include <solidata/withhold.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *sol__aud_who(const char *who)
{
    return who && *who ? who : sol_run_actor();
}

sol_status sol__aud_parse(const char *rule, sol_aud_rule **out, sol_error *err)
{
    const char *p = rule ? rule : "";
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return *p == '{' ? sol_aud_rule_from_json(p, out, err) : sol_aud_rule_parse(rule, out, err);
}

static void series_clear(aud_series *s)
{
    sol__free_n(3, s->val, s->se, s->wh);
    json_decref(s->sources);
    memset(s, 0, sizeof *s);
}

void sol__aud_eval_clear(aud_eval *E)
{
    for (size_t i = 0; i < E->na; i++)
        sol__free_n(5, E->a[i].code, E->a[i].name, E->a[i].level, E->a[i].parent, E->a[i].geometry);
    sol__free(E->a);
    sol__strmap_free(E->aidx);
    for (size_t i = 0; i < E->nm; i++) {
        aud_meta *m = &E->m[i];
        sol__free_n(5, m->code, m->label, m->unit, m->dimension, m->kind);
        for (int l = 0; l < SOL_LANG_COUNT; l++)
            sol__free_n(2, m->labels[l], m->units[l]);
    }
    sol__free(E->m);
    if (E->rule)
        for (size_t c = 0; c < E->rule->n_cond && E->cond; c++)
            series_clear(&E->cond[c]);
    sol__free(E->cond);
    series_clear(&E->people);
    series_clear(&E->share);
    sol__free(E->scope);
    if (E->wgeo && E->rule)
        for (size_t w = 0; w < E->rule->n_within; w++)
            sol_feature_clear(&E->wgeo[w]);
    sol__free(E->wgeo);
    sol_aud_eval_free(E->ev);
    json_decref(E->special);
    sol_aud_rule_free(E->rule);
    memset(E, 0, sizeof *E);
}

typedef struct collect {
    aud_eval *E;
    size_t cap;
    int failed;
} collect;

static char *dup0(const char *s)
{
    return s ? sol__strdup(s) : NULL;
}

static int on_area(void *ud, const sol_area *a)
{
    collect *c = ud;
    aud_eval *E = c->E;
    if (E->na == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 512;
        aud_area *g = sol__realloc(E->a, cap * sizeof *g);
        if (g == NULL) {
            c->failed = 1;
            return 1;
        }
        E->a = g;
        c->cap = cap;
    }
    aud_area *x = &E->a[E->na];
    memset(x, 0, sizeof *x);
    x->code = dup0(a->code);
    x->name = dup0(a->name);
    x->level = dup0(a->level);
    x->parent = dup0(a->parent_code);
    x->geometry = dup0(a->geometry);
    x->centroid[0] = a->centroid[0];
    x->centroid[1] = a->centroid[1];
    E->na++;
    if (x->code == NULL || (a->name && !x->name) || (a->level && !x->level) ||
        (a->parent_code && !x->parent) || (a->geometry && !x->geometry))
        c->failed = 1;
    return c->failed;
}

static int on_indicator(void *ud, const sol_indicator *i)
{
    collect *c = ud;
    aud_eval *E = c->E;
    if (E->nm == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 128;
        aud_meta *g = sol__realloc(E->m, cap * sizeof *g);
        if (g == NULL) {
            c->failed = 1;
            return 1;
        }
        E->m = g;
        c->cap = cap;
    }
    aud_meta *m = &E->m[E->nm++];
    memset(m, 0, sizeof *m);
    m->code = dup0(i->code);
    m->label = dup0(i->label);
    m->unit = dup0(i->unit);
    m->dimension = dup0(i->dimension);
    m->kind = dup0(i->kind);
    for (int l = 0; l < SOL_LANG_COUNT; l++) {
        m->labels[l] = dup0(i->labels[l]);
        m->units[l] = dup0(i->units[l]);
    }
    if (m->code == NULL)
        c->failed = 1;
    return c->failed;
}

const aud_meta *sol__aud_meta(const aud_eval *E, const char *code)
{
    for (size_t i = 0; i < E->nm; i++)
        if (strcmp(E->m[i].code, code) == 0)
            return &E->m[i];
    return NULL;
}

const char *sol__aud_label(const aud_meta *m, sol_lang l)
{
    sol_indicator ind = {.code = m->code, .label = m->label, .unit = m->unit};
    for (int k = 0; k < SOL_LANG_COUNT; k++) {
        ind.labels[k] = m->labels[k];
        ind.units[k] = m->units[k];
    }
    return sol_indicator_label(&ind, l, NULL);
}

/* Levenshtein distance, capped (codes are short) */
static size_t edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 63 || m > 63)
        return 99;
    size_t d[64][64];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t x = d[i - 1][j] + 1, y = d[i][j - 1] + 1,
                   z = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            d[i][j] = x < y ? (x < z ? x : z) : (y < z ? y : z);
        }
    return d[n][m];
}

/* the unknown indicator `code` at column `col` of the rule: SOL_ENOTFOUND naming close codes */
static sol_status unknown_indicator(const aud_eval *E, const char *code, unsigned long col,
                                    sol_error *err)
{
    const char *best[5] = {0};
    size_t bd[5] = {99, 99, 99, 99, 99};
    size_t lim = strlen(code) / 3 + 2;
    for (size_t i = 0; i < E->nm; i++) {
        const char *c = E->m[i].code;
        size_t d = edit_distance(code, c);
        if (strstr(c, code) || strstr(code, c))
            d = d < 2 ? d : 2;
        if (d > lim)
            continue;
        for (size_t k = 0; k < 5; k++)
            if (d < bd[k]) {
                for (size_t q = 4; q > k; q--) {
                    bd[q] = bd[q - 1];
                    best[q] = best[q - 1];
                }
                bd[k] = d;
                best[k] = c;
                break;
            }
    }
    char list[512] = "";
    size_t u = 0;
    for (size_t k = 0; k < 5 && best[k]; k++) {
        int w = snprintf(list + u, sizeof list - u, "%s%s", k ? ", " : "", best[k]);
        if (w > 0 && (size_t)w < sizeof list - u)
            u += (size_t)w;
    }
    if (u)
        return sol__err_at(err, SOL_ENOTFOUND, "rule", col ? 1 : 0, col,
                           "no indicator '%s' in the store; close names: %s", code, list);
    return sol__err_at(err, SOL_ENOTFOUND, "rule", col ? 1 : 0, col,
                       "no indicator '%s' in the store; 'solidata indicators' lists them", code);
}

/* is the point (x, y) inside feature f (even-odd over every ring)? */
static int inside(const sol_feature *f, double x, double y)
{
    int in = 0;
    for (size_t p = 0; p < f->nparts; p++)
        for (size_t r = 0; r < f->parts[p].nrings; r++) {
            const sol_ring *g = &f->parts[p].rings[r];
            for (size_t i = 0, j = g->n ? g->n - 1 : 0; i < g->n; j = i++) {
                double xi = g->xy[2 * i], yi = g->xy[2 * i + 1];
                double xj = g->xy[2 * j], yj = g->xy[2 * j + 1];
                if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
                    in = !in;
            }
        }
    return in;
}

/* is area i within the w-th area of `within`: itself, or an ancestor through the parents (at
 * most 16 levels); when the parents do not lead to an area of the same level as it (Lazio's
 * municipalities name provinces the store does not hold), its centroid inside its boundary */
static int within(const aud_eval *E, size_t i, size_t w)
{
    const char *code = E->rule->within[w];
    const aud_area *x = &E->a[i];
    int64_t wi = -1;
    sol__strmap_get(E->aidx, code, strlen(code), &wi);
    const char *wlevel = wi >= 0 ? E->a[wi].level : NULL;
    for (int depth = 0; depth < 16; depth++) {
        if (strcmp(x->code, code) == 0 || (x->parent && strcmp(x->parent, code) == 0))
            return 1;
        int64_t j;
        if (x->parent == NULL || !sol__strmap_get(E->aidx, x->parent, strlen(x->parent), &j))
            break;
        x = &E->a[j];
        if (wlevel && x->level && strcmp(x->level, wlevel) == 0)
            return 0; /* another area of that level holds it */
    }
    const sol_feature *f = E->wgeo ? &E->wgeo[w] : NULL;
    const double *c = E->a[i].centroid;
    return f && f->nparts > 0 && isfinite(c[0]) && isfinite(c[1]) && !(c[0] == 0 && c[1] == 0) &&
           inside(f, c[0], c[1]);
}

typedef struct wgeo_collect {
    aud_eval *E;
    int failed;
} wgeo_collect;

static int on_within_area(void *ud, const sol_area *a)
{
    wgeo_collect *g = ud;
    for (size_t w = 0; w < g->E->rule->n_within; w++)
        if (a->geometry && strcmp(a->code, g->E->rule->within[w]) == 0 &&
            g->E->wgeo[w].nparts == 0 &&
            sol_geo_parse_geojson(a->geometry, &g->E->wgeo[w], NULL) != SOL_OK)
            sol_feature_clear(&g->E->wgeo[w]); /* no boundary: the parents only */
    return 0;
}

typedef struct se_collect {
    aud_eval *E;
    aud_series *s;
    sol_strmap *pos; /* scope area code -> position */
} se_collect;

static int on_obs(void *ud, const sol_obs *o)
{
    se_collect *c = ud;
    int64_t p;
    if (!sol__strmap_get(c->pos, o->area, strlen(o->area), &p))
        return 0;
    c->s->val[p] = o->value;
    c->s->se[p] = o->se;
    c->s->wh[p] = (unsigned char)sol_withhold_obs(o->flags, SOL_ROLE_PUBLIC);
    if (!isnan(o->se) && o->se > 0)
        c->s->has_se = 1;
    return 0;
}

/* one indicator's values over the scope, at `period` (NULL: its latest) */
static sol_status load_series(sol_store *st, aud_eval *E, sol_strmap *pos, const char *code,
                              const char *period, aud_series *s, sol_error *err)
{
    sol_values *v = NULL;
    size_t m = E->ns ? E->ns : 1;
    s->code = code;
    if ((s->val = sol__calloc(m, sizeof(double))) == NULL ||
        (s->se = sol__calloc(m, sizeof(double))) == NULL || (s->wh = sol__calloc(m, 1)) == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    for (size_t i = 0; i < E->ns; i++)
        s->val[i] = s->se[i] = NAN;
    /* sol_run_values: the period resolved, the sources credited */
    sol_status rc = sol_run_values(st, code, period, 0, &v, err);
    if (rc != SOL_OK)
        return rc;
    snprintf(s->period, sizeof s->period, "%s", v->period);
    s->sources = json_loads(v->sources_json ? v->sources_json : "[]", 0, NULL);
    sol_values_free(v);
    if (s->sources == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    se_collect c = {.E = E, .s = s, .pos = pos};
    return sol_store_observations(st, code, s->period, on_obs, &c, err);
}

static const char *share_unit_hint(const aud_meta *m)
{
    return m->unit ? m->unit : m->units[SOL_LANG_EN];
}

sol_status sol__aud_evaluate(sol_store *st, sol_aud_rule *rule, int geometry, aud_eval *E,
                             sol_error *err)
{
    memset(E, 0, sizeof *E);
    E->rule = rule;
    sol_status rc;
    sol_strmap *pos = NULL;
    char *extra = NULL;
    collect c = {.E = E};
    if ((rc = sol_store_indicators(st, on_indicator, &c, err)) != SOL_OK)
        goto done;
    if (c.failed)
        goto nomem;
    /* every indicator named exists */
    for (size_t k = 0; k < rule->n_cond; k++)
        if (sol__aud_meta(E, rule->cond[k].indicator) == NULL) {
            rc = unknown_indicator(E, rule->cond[k].indicator, rule->cond[k].col, err);
            goto done;
        }
    if (sol__aud_meta(E, rule->people) == NULL) {
        rc = unknown_indicator(E, rule->people, rule->people_col, err);
        goto done;
    }
    if (rule->share && sol__aud_meta(E, rule->share) == NULL) {
        rc = unknown_indicator(E, rule->share, rule->share_col, err);
        goto done;
    }
    if (rule->period && !sol_store_has_period(st, rule->period)) {
        rc = sol__err_at(err, SOL_ENOTFOUND, "rule", 0, 0,
                         "no period '%s' in the store (periods are written 2021, 2021-Q2, "
                         "2021-05)",
                         rule->period);
        goto done;
    }
    /* special categories (GDPR art. 9): refused without a public-service purpose */
    if ((rc = sol_store_audience_special(st, &extra, err)) != SOL_OK)
        goto done;
    if ((E->special = json_array()) == NULL)
        goto nomem;
    for (size_t k = 0; k <= rule->n_cond + 1; k++) {
        const char *code = k < rule->n_cond    ? rule->cond[k].indicator
                           : k == rule->n_cond ? rule->people
                                               : rule->share;
        if (code == NULL)
            continue;
        const aud_meta *m = sol__aud_meta(E, code);
        const char *why = NULL;
        int sp = 0;
        for (int l = -1; l < SOL_LANG_COUNT && !sp; l++)
            sp = sol_aud_special(code, l < 0 ? m->label : m->labels[l], m->dimension, extra, &why);
        if (sp)
            json_array_append_new(
                E->special, json_pack("{s:s, s:s}", "indicator", code, "why", why ? why : ""));
    }
    if (json_array_size(E->special) > 0 && !rule->public_service) {
        const char *code =
            json_string_value(json_object_get(json_array_get(E->special, 0), "indicator"));
        rc = sol__err_at(err, SOL_EINVAL, "rule", 0, 0,
                         "indicator '%s' is of a special category of data (health, religion, "
                         "ethnic origin, political opinion, trade-union membership, sexual "
                         "orientation: GDPR art. 9); an audience defined by it is refused unless "
                         "it is about a public service for that group and says so: add "
                         "'purpose public-service \"...\"' to the rule",
                         code);
        goto done;
    }
    /* the areas */
    c = (collect){.E = E};
    if ((rc = sol_store_areas(st, geometry, on_area, &c, err)) != SOL_OK)
        goto done;
    if (c.failed || (E->aidx = sol__strmap_new(E->na ? E->na : 1)) == NULL)
        goto nomem;
    for (size_t i = 0; i < E->na; i++)
        if (sol__strmap_put(E->aidx, E->a[i].code, strlen(E->a[i].code), (int64_t)i) != SOL_OK)
            goto nomem;
    for (size_t w = 0; w < rule->n_within; w++) {
        int known = 0;
        for (size_t i = 0; i < E->na && !known; i++)
            known = strcmp(E->a[i].code, rule->within[w]) == 0 ||
                    (E->a[i].parent && strcmp(E->a[i].parent, rule->within[w]) == 0);
        if (!known) {
            rc = sol__err_at(err, SOL_ENOTFOUND, "rule", 0, 0,
                             "no area '%s' in the store, and no area lies within it ('within' "
                             "takes area codes: 'solidata areas' lists them)",
                             rule->within[w]);
            goto done;
        }
    }
    /* the level: the rule's, else the level of the areas holding the people count */
    if (rule->level) {
        int known = 0;
        for (size_t i = 0; i < E->na && !known; i++)
            known = E->a[i].level && strcmp(E->a[i].level, rule->level) == 0;
        if (!known) {
            rc = sol__err_at(err, SOL_ENOTFOUND, "rule", 0, 0,
                             "no area of level '%s' in the store ('solidata areas' lists the "
                             "levels)",
                             rule->level);
            goto done;
        }
        snprintf(E->level, sizeof E->level, "%s", rule->level);
    } else {
        sol_values *v = NULL;
        if ((rc = sol_run_values(st, rule->people, rule->period, 0, &v, err)) != SOL_OK)
            goto done;
        const char *lv = NULL;
        int mixed = 0;
        for (size_t i = 0; i < v->n && !mixed; i++) {
            int64_t j;
            if (!sol__strmap_get(E->aidx, v->codes[i], strlen(v->codes[i]), &j) ||
                E->a[j].level == NULL)
                continue;
            if (lv == NULL)
                lv = E->a[j].level;
            else if (strcmp(lv, E->a[j].level) != 0)
                mixed = 1;
        }
        sol_values_free(v);
        if (lv == NULL || mixed) {
            rc = sol__err_at(err, SOL_EINVAL, "rule", 0, 0,
                             "'%s' has values at several levels of areas: say which with 'level "
                             "...' (e.g. level municipality)",
                             rule->people);
            goto done;
        }
        snprintf(E->level, sizeof E->level, "%s", lv);
    }
    /* the boundaries of the `within` areas, for areas their parents do not link to them */
    if (rule->n_within) {
        if ((E->wgeo = sol__calloc(rule->n_within, sizeof *E->wgeo)) == NULL)
            goto nomem;
        wgeo_collect g = {.E = E};
        if ((rc = sol_store_areas(st, 1, on_within_area, &g, err)) != SOL_OK)
            goto done;
    }
    /* the scope: areas of the level within the rule's areas */
    if ((E->scope = sol__calloc(E->na ? E->na : 1, sizeof *E->scope)) == NULL)
        goto nomem;
    for (size_t i = 0; i < E->na; i++) {
        if (E->a[i].level == NULL || strcmp(E->a[i].level, E->level) != 0)
            continue;
        int in = rule->n_within == 0;
        for (size_t w = 0; w < rule->n_within && !in; w++)
            in = within(E, i, w);
        if (in)
            E->scope[E->ns++] = i;
    }
    if (E->ns == 0) {
        rc = sol__err_at(err, SOL_EINVAL, "rule", 0, 0,
                         "no area of level '%s' lies within the areas of 'within'", E->level);
        goto done;
    }
    if ((pos = sol__strmap_new(E->ns)) == NULL)
        goto nomem;
    for (size_t k = 0; k < E->ns; k++) {
        const char *code = E->a[E->scope[k]].code;
        if (sol__strmap_put(pos, code, strlen(code), (int64_t)k) != SOL_OK)
            goto nomem;
    }
    /* the values */
    if (rule->n_cond && (E->cond = sol__calloc(rule->n_cond, sizeof *E->cond)) == NULL)
        goto nomem;
    for (size_t k = 0; k < rule->n_cond; k++)
        if ((rc = load_series(st, E, pos, rule->cond[k].indicator, rule->period, &E->cond[k],
                              err)) != SOL_OK)
            goto done;
    if ((rc = load_series(st, E, pos, rule->people, rule->period, &E->people, err)) != SOL_OK)
        goto done;
    E->share_scale = 1;
    if (rule->share) {
        if ((rc = load_series(st, E, pos, rule->share, rule->period, &E->share, err)) != SOL_OK)
            goto done;
        const aud_meta *m = sol__aud_meta(E, rule->share);
        const char *u = share_unit_hint(m);
        int pct = (u && (strchr(u, '%') || strstr(u, "percent") || strstr(u, "pour cent") ||
                         strstr(u, "per cent"))) ||
                  strncmp(m->code, "pct_", 4) == 0 ||
                  (strlen(m->code) > 4 && strcmp(m->code + strlen(m->code) - 4, "_pct") == 0);
        if (pct)
            E->share_scale = 0.01;
        else {
            int fraction = 1;
            for (size_t i = 0; i < E->ns; i++)
                if (!isnan(E->share.val[i]) && (E->share.val[i] < 0 || E->share.val[i] > 1))
                    fraction = 0;
            if (!fraction) {
                rc = sol__err_at(err, SOL_EINVAL, "rule", 1, rule->share_col,
                                 "'%s' is neither a percentage (its unit holds no '%%') nor a "
                                 "share between 0 and 1: 'people X * share Y' needs a share",
                                 rule->share);
                goto done;
            }
        }
    }
    /* the pure evaluation */
    {
        const double **cv = NULL;
        const unsigned char **cw = NULL;
        if (rule->n_cond) {
            cv = sol__calloc(rule->n_cond, sizeof *cv);
            cw = sol__calloc(rule->n_cond, sizeof *cw);
            if (cv == NULL || cw == NULL) {
                sol__free_n(2, (void *)cv, (void *)cw);
                goto nomem;
            }
            for (size_t k = 0; k < rule->n_cond; k++) {
                cv[k] = E->cond[k].val;
                cw[k] = E->cond[k].wh;
            }
        }
        sol_aud_data d = {.n = E->ns,
                          .cond_value = cv,
                          .cond_withheld = cw,
                          .people = E->people.val,
                          .people_se = E->people.se,
                          .people_withheld = E->people.wh,
                          .share = rule->share ? E->share.val : NULL,
                          .share_se = rule->share ? E->share.se : NULL,
                          .share_withheld = rule->share ? E->share.wh : NULL,
                          .share_scale = E->share_scale};
        rc = sol_aud_evaluate(rule, &d, &E->ev, err);
        sol__free_n(2, (void *)cv, (void *)cw);
    }
    goto done;
nomem:
    rc = sol__err(err, SOL_ENOMEM, "out of memory");
done:
    sol__free(extra);
    sol__strmap_free(pos);
    return rc;
}
