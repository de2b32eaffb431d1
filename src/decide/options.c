/* options.c - the options of a prioritisation (cost, areas, groups, exclusive label, effects on
 * index dimensions), read from a table or JSON, with area needs and per-area minimums. */
#include <solidata/decide.h>

#include "core/core.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

void sol_options_free(sol_options *o)
{
    if (o == NULL)
        return;
    for (size_t i = 0; i < o->n; i++) {
        sol_option *p = &o->opt[i];
        sol__free(p->name);
        for (size_t a = 0; a < p->n_areas; a++)
            sol__free(p->areas[a]);
        for (size_t g = 0; g < p->n_groups; g++)
            sol__free(p->groups[g]);
        sol__free_n(4, p->areas, p->groups, p->exclusive, p->effect);
    }
    for (size_t d = 0; d < o->n_dims; d++)
        sol__free(o->dims[d]);
    for (size_t a = 0; a < o->n_need; a++)
        sol__free(o->need_area[a]);
    for (size_t a = 0; a < o->n_min; a++)
        sol__free(o->min_area[a]);
    sol__free_n(7, o->opt, o->dims, o->need_area, o->need, o->min_area, o->min_count, o);
}

/* Split "a|b|c" into owned strings (blanks around items dropped). */
static sol_status split(const char *s, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (s == NULL)
        return SOL_OK;
    size_t cap = 1;
    for (const char *p = s; *p; p++)
        cap += *p == '|';
    if (cap > SOL_MAX_OPTION_ITEMS)
        return SOL_ELIMIT;
    char **v = sol__calloc(cap, sizeof *v);
    if (v == NULL)
        return SOL_ENOMEM;
    const char *p = s;
    for (;;) {
        const char *e = strchr(p, '|');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len && (*p == ' ')) {
            p++;
            len--;
        }
        while (len && p[len - 1] == ' ')
            len--;
        if (len) {
            if ((v[*n] = sol__strndup(p, len)) == NULL) {
                for (size_t i = 0; i < *n; i++)
                    sol__free(v[i]);
                sol__free(v);
                *n = 0;
                return SOL_ENOMEM;
            }
            (*n)++;
        }
        if (!e)
            break;
        p = e + 1;
    }
    *out = v;
    return SOL_OK;
}

sol_status sol_options_from_table(const sol_dtable *t, sol_options **out, sol_error *err)
{
    const char *name = sol_dtable_name(t);
    long cn = sol_dtable_col(t, "option"), cc = sol_dtable_col(t, "cost");
    long ca = sol_dtable_col(t, "areas"), cg = sol_dtable_col(t, "groups");
    long cx = sol_dtable_col(t, "exclusive");
    if (cn < 0 || cc < 0 || ca < 0)
        return sol__err_at(err, SOL_ENOTFOUND, name, 1, 0,
                           "no column named '%s' in the header (options need option, cost, "
                           "areas; optional groups, exclusive, effect:<dimension>)",
                           cn < 0   ? "option"
                           : cc < 0 ? "cost"
                                    : "areas");
    size_t N = sol_dtable_nrows(t), C = sol_dtable_ncols(t);
    if (N == 0)
        return sol__err_at(err, SOL_EINVAL, name, 0, 0, "no options");
    if (N > SOL_MAX_OPTIONS)
        return sol__err_at(err, SOL_ELIMIT, name, 0, 0, "more than %u options", SOL_MAX_OPTIONS);
    sol_status rc = SOL_ENOMEM;
    sol_options *o = sol__calloc(1, sizeof *o);
    long *dc = sol__calloc(C, sizeof *dc);
    if (o == NULL || dc == NULL || (o->dims = sol__calloc(C, sizeof *o->dims)) == NULL ||
        (o->opt = sol__calloc(N, sizeof *o->opt)) == NULL)
        goto fail;
    /* effect:<dimension> columns, in header order */
    for (size_t j = 0; j < C; j++) {
        const char *h = sol_dtable_colname(t, j);
        if (strncmp(h, "effect:", 7) == 0 && h[7]) {
            if ((o->dims[o->n_dims] = sol__strdup(h + 7)) == NULL)
                goto fail;
            dc[o->n_dims++] = (long)j;
        }
    }
    for (size_t i = 0; i < N; i++) {
        sol_option *p = &o->opt[i];
        o->n = i + 1;
        const char *nm = sol_dtable_cell(t, i, (size_t)cn);
        if (nm == NULL) {
            rc = sol__err_at(err, SOL_EINVAL, name, sol_dtable_line(t, i),
                             sol_dtable_colpos(t, i, (size_t)cn), "an option needs a name");
            goto fail;
        }
        sol_status q = sol_dtable_number(t, i, (size_t)cc, &p->cost, err);
        if (q != SOL_OK || !(p->cost >= 0)) {
            rc = q == SOL_ETYPE ? q
                                : sol__err_at(err, SOL_EINVAL, name, sol_dtable_line(t, i),
                                              sol_dtable_colpos(t, i, (size_t)cc),
                                              "option '%s' needs a cost >= 0", nm);
            goto fail;
        }
        rc = SOL_ENOMEM;
        if ((p->name = sol__strdup(nm)) == NULL ||
            (p->effect = sol__calloc(o->n_dims ? o->n_dims : 1, sizeof *p->effect)) == NULL)
            goto fail;
        if ((rc = split(sol_dtable_cell(t, i, (size_t)ca), &p->areas, &p->n_areas)) != SOL_OK ||
            (cg >= 0 &&
             (rc = split(sol_dtable_cell(t, i, (size_t)cg), &p->groups, &p->n_groups)) != SOL_OK))
            goto fail;
        rc = SOL_ENOMEM;
        if (cx >= 0 && sol_dtable_cell(t, i, (size_t)cx) &&
            (p->exclusive = sol__strdup(sol_dtable_cell(t, i, (size_t)cx))) == NULL)
            goto fail;
        for (size_t d = 0; d < o->n_dims; d++) {
            q = sol_dtable_number(t, i, (size_t)dc[d], &p->effect[d], err);
            if (q == SOL_ETYPE) {
                rc = q;
                goto fail;
            }
            if (q == SOL_EOF)
                p->effect[d] = 0;
        }
    }
    sol__free(dc);
    *out = o;
    return SOL_OK;
fail:
    if (rc == SOL_ENOMEM)
        sol__err(err, rc, "out of memory");
    else if (rc == SOL_ELIMIT)
        sol__err(err, rc, "more than %u areas or groups in one option", SOL_MAX_OPTION_ITEMS);
    sol__free(dc);
    sol_options_free(o);
    return rc;
}

static sol_status jstrings(json_t *a, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (a == NULL)
        return SOL_OK;
    if (!json_is_array(a))
        return SOL_EINVAL;
    if (json_array_size(a) > SOL_MAX_OPTION_ITEMS)
        return SOL_ELIMIT;
    char **v = sol__calloc(json_array_size(a) + 1, sizeof *v);
    if (v == NULL)
        return SOL_ENOMEM;
    *out = v;
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *s = json_array_get(a, i);
        if (!json_is_string(s))
            return SOL_EINVAL;
        if ((v[i] = sol__strdup(json_string_value(s))) == NULL)
            return SOL_ENOMEM;
        *n = i + 1;
    }
    return SOL_OK;
}

static long dim_index(sol_options *o, const char *d, size_t cap)
{
    for (size_t i = 0; i < o->n_dims; i++)
        if (strcmp(o->dims[i], d) == 0)
            return (long)i;
    if (o->n_dims >= cap)
        return -2;
    if ((o->dims[o->n_dims] = sol__strdup(d)) == NULL)
        return -1;
    return (long)o->n_dims++;
}

sol_status sol_options_parse_json(const char *txt, size_t len, sol_options **out, sol_error *err)
{
    json_error_t je;
    if (len > SOL_MAX_DECIDE_SPEC)
        return sol__err(err, SOL_ELIMIT, "options file larger than %u bytes", SOL_MAX_DECIDE_SPEC);
    json_t *root = json_loadb(txt, len, 0, &je);
    if (root == NULL)
        return sol__err_at(err, SOL_EPARSE, "", (unsigned long)je.line, (unsigned long)je.column,
                           "not valid JSON: %s", je.text);
    sol_status rc = SOL_EINVAL;
    sol_options *o = NULL;
    json_t *ops = json_object_get(root, "options");
    if (!json_is_array(ops) || json_array_size(ops) == 0) {
        sol__err(err, rc, "the file needs \"options\": a non-empty array");
        goto fail;
    }
    size_t N = json_array_size(ops);
    if (N > SOL_MAX_OPTIONS) {
        rc = sol__err(err, SOL_ELIMIT, "more than %u options", SOL_MAX_OPTIONS);
        goto fail;
    }
    rc = SOL_ENOMEM;
    if ((o = sol__calloc(1, sizeof *o)) == NULL ||
        (o->dims = sol__calloc(SOL_MAX_OPTION_ITEMS, sizeof *o->dims)) == NULL ||
        (o->opt = sol__calloc(N, sizeof *o->opt)) == NULL)
        goto fail;
    /* dimensions first, so every option gets an effect vector of the same length */
    for (size_t i = 0; i < N; i++) {
        json_t *ef = json_object_get(json_array_get(ops, i), "effects");
        const char *k;
        json_t *v;
        json_object_foreach(ef, k, v)
        {
            long d = dim_index(o, k, SOL_MAX_OPTION_ITEMS);
            if (d == -1)
                goto fail;
            if (d == -2) {
                rc = sol__err(err, SOL_ELIMIT, "more than %u dimensions", SOL_MAX_OPTION_ITEMS);
                goto fail;
            }
        }
    }
    for (size_t i = 0; i < N; i++) {
        json_t *p = json_array_get(ops, i), *nm = json_object_get(p, "name");
        json_t *cost = json_object_get(p, "cost"), *ex = json_object_get(p, "exclusive");
        json_t *ef = json_object_get(p, "effects");
        sol_option *q = &o->opt[i];
        o->n = i + 1;
        rc = SOL_EINVAL;
        if (!json_is_string(nm) || !json_is_number(cost) || !(json_number_value(cost) >= 0)) {
            sol__err(err, rc, "option %zu needs \"name\" (text) and \"cost\" (a number >= 0)",
                     i + 1);
            goto fail;
        }
        q->cost = json_number_value(cost);
        rc = SOL_ENOMEM;
        if ((q->name = sol__strdup(json_string_value(nm))) == NULL ||
            (q->effect = sol__calloc(o->n_dims ? o->n_dims : 1, sizeof *q->effect)) == NULL)
            goto fail;
        if ((rc = jstrings(json_object_get(p, "areas"), &q->areas, &q->n_areas)) != SOL_OK ||
            (rc = jstrings(json_object_get(p, "groups"), &q->groups, &q->n_groups)) != SOL_OK) {
            if (rc == SOL_EINVAL)
                sol__err(err, rc, "option '%s': \"areas\" and \"groups\" are arrays of text",
                         q->name);
            goto fail;
        }
        if (json_is_string(ex) && (q->exclusive = sol__strdup(json_string_value(ex))) == NULL) {
            rc = SOL_ENOMEM;
            goto fail;
        }
        const char *k;
        json_t *v;
        json_object_foreach(ef, k, v)
        {
            if (!json_is_number(v)) {
                rc = sol__err(err, SOL_EINVAL, "option '%s': effect '%s' is not a number", q->name,
                              k);
                goto fail;
            }
            q->effect[dim_index(o, k, SOL_MAX_OPTION_ITEMS)] = json_number_value(v);
        }
    }
    json_t *need = json_object_get(root, "need"), *mins = json_object_get(root, "area_min");
    json_t *b = json_object_get(root, "budget");
    const char *k;
    json_t *v;
    json_object_foreach(need, k, v)
    {
        if (!json_is_number(v)) {
            rc = sol__err(err, SOL_EINVAL, "need of area '%s' is not a number", k);
            goto fail;
        }
        if ((rc = sol_options_set_need(o, k, json_number_value(v), err)) != SOL_OK)
            goto fail;
    }
    json_object_foreach(mins, k, v)
    {
        if (!json_is_integer(v)) {
            rc = sol__err(err, SOL_EINVAL, "area_min of '%s' is not a whole number", k);
            goto fail;
        }
        if ((rc = sol_options_set_min(o, k, (int)json_integer_value(v), err)) != SOL_OK)
            goto fail;
    }
    if (json_is_number(b)) {
        o->has_budget = 1;
        o->budget = json_number_value(b);
    }
    json_decref(root);
    *out = o;
    return SOL_OK;
fail:
    if (rc == SOL_ENOMEM)
        sol__err(err, rc, "out of memory");
    else if (rc == SOL_ELIMIT && err && err->msg[0] == '\0')
        sol__err(err, rc, "more than %u areas or groups in one option", SOL_MAX_OPTION_ITEMS);
    json_decref(root);
    sol_options_free(o);
    return rc;
}

static sol_status add_area(char ***names, size_t *n, const char *area, size_t *at)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*names)[i], area) == 0) {
            *at = i;
            return SOL_OK;
        }
    if (*n >= SOL_MAX_AREAS)
        return SOL_ELIMIT;
    char **v = sol__realloc(*names, (*n + 1) * sizeof *v);
    if (v == NULL)
        return SOL_ENOMEM;
    *names = v;
    if ((v[*n] = sol__strdup(area)) == NULL)
        return SOL_ENOMEM;
    *at = (*n)++;
    return SOL_OK;
}

sol_status sol_options_set_need(sol_options *o, const char *area, double need, sol_error *err)
{
    if (!(need >= 0) || !isfinite(need))
        return sol__err(err, SOL_EINVAL, "need of area '%s' is %g: it must be >= 0", area, need);
    size_t at;
    sol_status rc = add_area(&o->need_area, &o->n_need, area, &at);
    if (rc == SOL_OK) {
        double *v = sol__realloc(o->need, o->n_need * sizeof *v);
        if (v == NULL)
            rc = SOL_ENOMEM;
        else {
            o->need = v;
            v[at] = need;
        }
    }
    return rc == SOL_OK ? rc : sol__err(err, rc, "cannot store the need of '%s'", area);
}

sol_status sol_options_set_min(sol_options *o, const char *area, int count, sol_error *err)
{
    if (count < 0)
        return sol__err(err, SOL_EINVAL, "minimum for area '%s' is negative", area);
    size_t at;
    sol_status rc = add_area(&o->min_area, &o->n_min, area, &at);
    if (rc == SOL_OK) {
        int *v = sol__realloc(o->min_count, o->n_min * sizeof *v);
        if (v == NULL)
            rc = SOL_ENOMEM;
        else {
            o->min_count = v;
            v[at] = count;
        }
    }
    return rc == SOL_OK ? rc : sol__err(err, rc, "cannot store the minimum of '%s'", area);
}
