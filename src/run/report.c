/* report.c - the printable atlas for a council: the same content as HTML (inline SVG maps) or as
 * PDF pages drawn from SVG through the render module. Every sentence is an English template
 * looked up in the catalogue of the job's language, every number, percentage and date is written
 * as that language writes it, every figure comes from the store, every source is credited with
 * its licence on every page. */
#include <solidata/alerts.h>
#include <solidata/i18n.h>
#include <solidata/import.h>
#include <solidata/render.h>
#include <solidata/run.h>
#include <solidata/run_layers.h>
#include <solidata/version.h>
#include <solidata/withhold.h>

#include "run/report_int.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the atlas: the indicators it covers and the areas in greatest need ---------------------- */

#define MAX_IND  64
#define TOP_NEED 5

typedef struct atlas_ind {
    char code[SOL_MAX_CODE + 1];
    char label[512];
    char quoted[600]; /* the label quoted as the document's language quotes */
    char period[16];
    int polarity;
} atlas_ind;

/* An area of the atlas: its mean position of need over the indicators with a polarity (0 = the
 * most in need, 1 = the least) and the two indicators on which it stands worst. */
typedef struct needy {
    char code[SOL_MAX_CODE + 1];
    char name[160];
    double sum;
    size_t cnt;
    double wp[2]; /* positions of the two worst indicators, lowest first */
    size_t wk[2]; /* their indexes in atlas.ind */
    double wr[2]; /* their ranks */
    size_t wn[2]; /* out of */
} needy;

typedef struct atlas {
    atlas_ind ind[MAX_IND];
    size_t nind, npol;
    int chosen; /* the indicators were named by the user */
    needy *a;
    size_t na, cap;
    sol_strmap *ix;
    size_t top[TOP_NEED], ntop;
    char area_name[160]; /* of the job's area, when there is one */
} atlas;

typedef struct order {
    const sol_values *v;
    int sign;
} order;
static order g_order; /* qsort has no context argument in C11; the report is single-threaded */
static const atlas *g_atlas;

static int by_need(const void *a, const void *b)
{
    double x = g_order.v->values[*(const size_t *)a], y = g_order.v->values[*(const size_t *)b];
    if (x == y)
        return strcmp(g_order.v->codes[*(const size_t *)a], g_order.v->codes[*(const size_t *)b]);
    return (g_order.sign > 0 ? x < y : x > y) ? -1 : 1;
}

static int by_mean_need(const void *a, const void *b)
{
    const needy *x = &g_atlas->a[*(const size_t *)a], *y = &g_atlas->a[*(const size_t *)b];
    double mx = x->sum / (double)x->cnt, my = y->sum / (double)y->cnt;
    if (mx != my)
        return mx < my ? -1 : 1;
    return strcmp(x->code, y->code);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static needy *atlas_area(atlas *at, const char *code, const char *name)
{
    int64_t i;
    if (sol__strmap_get(at->ix, code, strlen(code), &i))
        return &at->a[i];
    if (at->na == at->cap) {
        size_t cap = at->cap ? 2 * at->cap : 64;
        needy *a = sol__realloc(at->a, cap * sizeof *a);
        if (a == NULL)
            return NULL;
        at->a = a;
        at->cap = cap;
    }
    needy *x = &at->a[at->na];
    memset(x, 0, sizeof *x);
    snprintf(x->code, sizeof x->code, "%s", code);
    snprintf(x->name, sizeof x->name, "%s", name && *name ? name : code);
    x->wp[0] = x->wp[1] = INFINITY;
    if (sol__strmap_put(at->ix, x->code, strlen(x->code), (int64_t)at->na) != SOL_OK)
        return NULL;
    return &at->a[at->na++];
}

/* Rank needs: the positions of every area on each indicator with a polarity (withheld values
 * left out), then the TOP_NEED areas with the lowest mean position among those with a value for
 * at least half of these indicators. */
static sol_status atlas_load(sol_store *st, atlas *at, sol_error *err)
{
    sol_status rc = SOL_OK;
    size_t *ix = NULL, *all = NULL;
    at->ix = sol__strmap_new(256);
    if (at->ix == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    for (size_t k = 0; k < at->nind; k++) {
        atlas_ind *in = &at->ind[k];
        sol_values *v = NULL;
        if ((rc = sol_run_values(st, in->code, NULL, 0, &v, err)) != SOL_OK)
            return rc;
        snprintf(in->label, sizeof in->label, "%s", v->label ? v->label : v->indicator);
        memcpy(in->period, v->period, sizeof in->period);
        in->polarity = v->polarity;
        sol_values_withhold(v);
        ix = sol__calloc(v->n ? v->n : 1, sizeof *ix);
        if (ix == NULL) {
            sol_values_free(v);
            return sol__err(err, SOL_ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < v->n; i++)
            ix[i] = i;
        g_order = (order){v, v->polarity > 0 ? 1 : -1};
        qsort(ix, v->n, sizeof *ix, by_need);
        for (size_t r = 0; r < v->n; r++) {
            size_t i = ix[r], s = r;
            while (s > 0 && v->values[ix[s - 1]] == v->values[i])
                s--; /* ties share the better rank */
            needy *x = atlas_area(at, v->codes[i], v->names[i]);
            if (x == NULL) {
                rc = sol__err(err, SOL_ENOMEM, "out of memory");
                break;
            }
            if (v->polarity == 0)
                continue;
            double p = v->n > 1 ? (double)s / (double)(v->n - 1) : 0;
            x->sum += p;
            x->cnt++;
            int slot = p < x->wp[0] ? 0 : p < x->wp[1] ? 1 : -1;
            if (slot == 0) {
                x->wp[1] = x->wp[0], x->wk[1] = x->wk[0], x->wr[1] = x->wr[0], x->wn[1] = x->wn[0];
            }
            if (slot >= 0) {
                x->wp[slot] = p;
                x->wk[slot] = k;
                x->wr[slot] = (double)s + 1;
                x->wn[slot] = v->n;
            }
        }
        if (v->polarity)
            at->npol++;
        sol__free(ix);
        ix = NULL;
        sol_values_free(v);
        if (rc != SOL_OK)
            return rc;
    }
    if (at->npol == 0 || at->na == 0)
        return SOL_OK;
    all = sol__calloc(at->na, sizeof *all);
    if (all == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    size_t m = 0;
    for (size_t i = 0; i < at->na; i++)
        if (at->a[i].cnt > 0 && 2 * at->a[i].cnt >= at->npol)
            all[m++] = i;
    g_atlas = at;
    qsort(all, m, sizeof *all, by_mean_need);
    for (at->ntop = 0; at->ntop < m && at->ntop < TOP_NEED; at->ntop++)
        at->top[at->ntop] = all[at->ntop];
    sol__free(all);
    return SOL_OK;
}

/* "A", "A and B", "A, B and C" from the labels of the atlas' indicators, each quoted. */
static void indicator_list(const doc *d, const atlas *at, char *out, size_t n)
{
    const char *items[MAX_IND];
    for (size_t k = 0; k < at->nind; k++)
        items[k] = at->ind[k].quoted;
    sol__report_join_list(d, items, at->nind, out, n);
}

/* The first page: what the atlas shows, in plain words, and the areas in greatest need. */
static void cover(doc *d, const atlas *at, const char *sources, const char *today)
{
    char line[4096], list[4096], count[32];
    sol__report_para(d, sol_lgettext(d->lang, "Atlas of social needs"), 24, 1, "h1");
    sol__report_sayf(d, 11, 0, "p", sol_lgettext(d->lang, "Made with solidata %s on %s"),
                     SOL_VERSION_STRING, today);
    sol__report_para(d, sol_lgettext(d->lang, "What this atlas shows"), 14, 1, "h3");
    sol__report_sayf(d, 11, 0, "p",
                     sol_lngettext(d->lang, "This atlas describes %s area.",
                                   "This atlas describes %s areas.", at->na),
                     sol__report_inum(d, (double)at->na, count, sizeof count));
    indicator_list(d, at, list, sizeof list);
    if (at->nind)
        sol__report_sayf(d, 11, 0, "p",
                         sol_lngettext(d->lang, "It maps %zu indicator: %s.",
                                       "It maps %zu indicators: %s.", at->nind),
                         at->nind, list);
    else
        sol__report_para(d, sol_lgettext(d->lang, "The store holds no indicator to map yet."), 11,
                         0, "p");
    const char *lo = NULL, *hi = NULL;
    for (size_t k = 0; k < at->nind; k++) {
        if (lo == NULL || strcmp(at->ind[k].period, lo) < 0)
            lo = at->ind[k].period;
        if (hi == NULL || strcmp(at->ind[k].period, hi) > 0)
            hi = at->ind[k].period;
    }
    if (lo && strcmp(lo, hi) == 0)
        sol__report_sayf(d, 11, 0, "p",
                         sol_lgettext(d->lang, "Each map shows the latest period with data: %s."),
                         lo);
    else if (lo)
        sol__report_sayf(
            d, 11, 0, "p",
            sol_lgettext(d->lang,
                         "Each map shows the latest period with data of its indicator, from %s "
                         "to %s."),
            lo, hi);
    if (*sources)
        sol__report_sayf(d, 11, 0, "p", sol_lgettext(d->lang, "The figures come from: %s."),
                         sources);
    if (*at->area_name)
        sol__report_sayf(d, 11, 0, "p", sol_lgettext(d->lang, "It ends with the profile of %s."),
                         at->area_name);

    if (at->npol == 0) {
        if (at->nind)
            sol__report_para(d,
                             sol_lgettext(d->lang,
                                          "None of the indicators of this atlas says whether a "
                                          "higher value means more or less need, so it names no "
                                          "area in greatest need."),
                             11, 0, "p");
        return;
    }
    if (at->ntop == 0)
        return;
    sol__report_para(d, sol_lgettext(d->lang, "Where the need is greatest"), 14, 1, "h3");
    sol__report_sayf(
        d, 11, 0, "p",
        sol_lngettext(d->lang,
                      "Areas are ordered by their average position among all areas on the %zu "
                      "indicator that says whether a higher value means more or less need. "
                      "After each area, the indicators on which it stands worst compared with "
                      "the others.",
                      "Areas are ordered by their average position among all areas on the %zu "
                      "indicators that say whether a higher value means more or less need. "
                      "After each area, the indicators on which it stands worst compared with "
                      "the others.",
                      at->npol),
        at->npol);
    for (size_t t = 0; t < at->ntop; t++) {
        const needy *x = &at->a[at->top[t]];
        char r0[32], n0[32], r1[32], n1[32], why[2048];
        sol__report_inum(d, x->wr[0], r0, sizeof r0);
        sol__report_inum(d, (double)x->wn[0], n0, sizeof n0);
        if (x->cnt >= 2 && isfinite(x->wp[1])) {
            sol__report_inum(d, x->wr[1], r1, sizeof r1);
            sol__report_inum(d, (double)x->wn[1], n1, sizeof n1);
            /* TRANSLATORS: an area, then its two worst indicators with its rank on each. */
            snprintf(why, sizeof why,
                     sol_lgettext(d->lang, "%s: rank %s of %s on \"%s\" and rank %s of %s on "
                                           "\"%s\"."),
                     x->name, r0, n0, at->ind[x->wk[0]].label, r1, n1, at->ind[x->wk[1]].label);
        } else {
            snprintf(why, sizeof why, sol_lgettext(d->lang, "%s: rank %s of %s on \"%s\"."),
                     x->name, r0, n0, at->ind[x->wk[0]].label);
        }
        snprintf(line, sizeof line, "%zu. %s", t + 1, why);
        sol__report_para(d, line, 11, 0, "p");
    }
}

/* ---- one indicator: a map and its reading; every area's rank in the appendix ----------------- */

/* standard errors and flags of the values shown, aligned with v->codes */
typedef struct se_walk {
    sol_strmap *ix;
    double *se;
    int *flags;
} se_walk;

static int on_se(void *ud, const sol_obs *o)
{
    se_walk *w = ud;
    int64_t i;
    if (sol__strmap_get(w->ix, o->area, strlen(o->area), &i)) {
        w->se[i] = o->se;
        w->flags[i] = o->flags;
    }
    return 0;
}

static void interval_text(const doc *d, double v, double se, char *buf, size_t n)
{
    char lo[64], hi[64];
    if (isnan(se) || isnan(v)) {
        snprintf(buf, n, "-");
        return;
    }
    sol__report_num(d, v - 1.959963984540054 * se, lo, sizeof lo);
    sol__report_num(d, v + 1.959963984540054 * se, hi, sizeof hi);
    snprintf(buf, n, sol_lgettext(d->lang, "between %s and %s"), lo, hi);
}

/* The page of one indicator (appendix 0): its map, what it means, the areas most in need, the
 * median and the withheld areas; or (appendix 1) every area by rank, for the appendix. */
static sol_status indicator_section(sol_store *st, doc *d, const char *code, int appendix,
                                    sol_error *err)
{
    sol_values *v = NULL;
    sol_status rc = sol_run_values(st, code, NULL, 0, &v, err);
    if (rc != SOL_OK)
        return rc;
    char head[1024], names[2048] = "", buf[64], count[32];
    const char *label = v->label ? v->label : v->indicator;
    snprintf(head, sizeof head, "%s (%s)", label, v->period);
    if (appendix) {
        sol__report_para(d, head, 14, 1, "h3");
    } else {
        sol__report_section(d, head);
        if (v->unit)
            sol__report_sayf(d, 11, 0, "p", sol_lgettext(d->lang, "Unit: %s."), v->unit);
        sol__report_para(d,
                         v->polarity < 0 ? sol_lgettext(d->lang, "A higher value means more need.")
                         : v->polarity > 0
                             ? sol_lgettext(d->lang, "A lower value means more need.")
                             : sol_lgettext(d->lang,
                                            "The source does not say whether a higher value is "
                                            "better or worse: areas are ranked from the highest "
                                            "value."),
                         11, 0, "p");
        char *svg = NULL;
        size_t len = 0;
        sol_map_job mo = {.indicator = code, .period = v->period, .lang = sol_lang_code(d->lang)};
        if ((rc = sol_run_map_svg(st, &mo, &svg, &len, err)) != SOL_OK)
            goto out;
        sol__report_figure(d, svg, len);
        sol_free(svg);
    }
    /* the tables, the sentences and the median use publishable values only */
    size_t withheld = sol_values_withhold(v);
    if (withheld && !appendix)
        sol__report_sayf(
            d, 11, 0, "p",
            sol_lngettext(d->lang,
                          "%zu area is withheld (statistical disclosure control): its count is "
                          "below the minimum cell size, or would let one be recovered.",
                          "%zu areas are withheld (statistical disclosure control): their counts "
                          "are below the minimum cell size, or would let one be recovered.",
                          withheld),
            withheld);
    if (v->n == 0 || (appendix && v->n < 2)) /* a lone area has no rank to list */
        goto out;
    size_t *ix = sol__calloc(v->n, sizeof *ix);
    double *sorted = sol__calloc(v->n, sizeof *sorted);
    const char **cells = sol__calloc(5 * (v->n + 1 + withheld), sizeof *cells);
    char(*vals)[64] = sol__calloc(v->n, sizeof *vals);
    char(*ranks)[32] = sol__calloc(v->n, sizeof *ranks);
    char(*ivs)[160] = sol__calloc(v->n, sizeof *ivs);
    char(*fl)[128] = sol__calloc(v->n, sizeof *fl);
    se_walk sw = {.ix = sol__strmap_new(v->n ? v->n : 1),
                  .se = sol__malloc((v->n ? v->n : 1) * sizeof(double)),
                  .flags = sol__calloc(v->n ? v->n : 1, sizeof(int))};
    if (!ix || !sorted || !cells || !vals || !ranks || !ivs || !fl || !sw.ix || !sw.se ||
        !sw.flags) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto tidy;
    }
    for (size_t i = 0; i < v->n; i++) {
        ix[i] = i;
        sorted[i] = v->values[i];
        sw.se[i] = NAN;
        if (sol__strmap_put(sw.ix, v->codes[i], strlen(v->codes[i]), (int64_t)i) != SOL_OK) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto tidy;
        }
    }
    if ((rc = sol_store_observations(st, code, v->period, on_se, &sw, err)) != SOL_OK)
        goto tidy;
    int any_se = 0, any_flag = 0, any_low = 0;
    for (size_t i = 0; i < v->n; i++) {
        any_se |= !isnan(sw.se[i]);
        any_flag |= sw.flags[i] != 0;
        any_low |= (sw.flags[i] & SOL_FLAG_LOW_RELIABILITY) != 0;
    }
    g_order = (order){v, v->polarity > 0 ? 1 : -1}; /* unstated polarity: highest first */
    qsort(ix, v->n, sizeof *ix, by_need);
    qsort(sorted, v->n, sizeof *sorted, cmp_double);
    size_t nrows = appendix ? v->n : (v->n < TOP_NEED ? v->n : TOP_NEED);
    if (!appendix) {
        double median = v->n % 2 ? sorted[v->n / 2] : (sorted[v->n / 2 - 1] + sorted[v->n / 2]) / 2;
        size_t top = v->n < 3 ? v->n : 3;
        const char *items[3];
        char item[3][256];
        for (size_t k = 0; k < top; k++) {
            size_t i = ix[k];
            snprintf(item[k], sizeof item[k], "%s (%s)", v->names[i] ? v->names[i] : v->codes[i],
                     sol__report_num(d, v->values[i], buf, sizeof buf));
            items[k] = item[k];
        }
        sol__report_join_list(d, items, top, names, sizeof names);
        if (v->polarity)
            sol__report_sayf(
                d, 11, 0, "p",
                sol_lngettext(d->lang, "In %s, the area with the greatest need on \"%s\" is %s.",
                              "In %s, the areas with the greatest need on \"%s\" are %s.", top),
                v->period, label, names);
        else
            sol__report_sayf(d, 11, 0, "p",
                             sol_lngettext(d->lang, "In %s, the highest value of \"%s\" is in %s.",
                                           "In %s, the highest values of \"%s\" are in %s.", top),
                             v->period, label, names);
        sol__report_sayf(d, 11, 0, "p",
                         sol_lngettext(d->lang, "The median over the %s area with a value is %s.",
                                       "The median over the %s areas with a value is %s.", v->n),
                         sol__report_inum(d, (double)v->n, count, sizeof count),
                         sol__report_num(d, median, buf, sizeof buf));
        if (any_se) {
            sol__report_para(
                d,
                sol_lgettext(d->lang,
                             "Some figures are estimates with a margin of error. \"Between X "
                             "and Y, 95%\" means that intervals built this way contain the true "
                             "value 95 times out of 100. A wide interval means the figure is "
                             "uncertain."),
                11, 0, "p");
            if (any_low)
                sol__report_para(
                    d,
                    sol_lgettext(d->lang, "Figures marked \"low reliability\" have a large error "
                                          "compared with their value: do not use them alone."),
                    11, 0, "p");
        }
        if (nrows >= 2 && v->polarity)
            sol__report_sayf(d, 12, 1, "h3", sol_lgettext(d->lang, "The %zu areas most in need"),
                             nrows);
        else if (nrows >= 2)
            sol__report_sayf(d, 12, 1, "h3", sol_lgettext(d->lang, "The %zu highest values"),
                             nrows);
    } else {
        sol__report_sayf(d, 12, 1, "h3",
                         v->polarity
                             ? sol_lgettext(d->lang, "All %s areas, from the greatest need")
                             : sol_lgettext(d->lang, "All %s areas, from the highest value"),
                         sol__report_inum(d, (double)v->n, count, sizeof count));
    }
    /* rank, area, value, then the interval and flags when there are any */
    size_t nc = 3 + (size_t)any_se + (size_t)any_flag, c = 0;
    cells[c++] = v->polarity ? sol_lgettext(d->lang, "Rank by need")
                             : sol_lgettext(d->lang, "Rank by value");
    cells[c++] = sol_lgettext(d->lang, "Area");
    cells[c++] = sol_lgettext(d->lang, "Value");
    if (any_se)
        /* xgettext:no-c-format */
        cells[c++] = sol_lgettext(d->lang, "95% interval");
    if (any_flag)
        cells[c++] = sol_lgettext(d->lang, "Flags");
    for (size_t k = 0; k < nrows; k++) {
        size_t i = ix[k];
        size_t r = k; /* ties share the better rank */
        while (r > 0 && v->values[ix[r - 1]] == v->values[i])
            r--;
        sol__report_inum(d, (double)(r + 1), ranks[k], sizeof ranks[k]);
        sol__report_num(d, v->values[i], vals[k], sizeof vals[k]);
        cells[c++] = ranks[k];
        cells[c++] = v->names[i] ? v->names[i] : v->codes[i];
        cells[c++] = vals[k];
        if (any_se) {
            interval_text(d, v->values[i], sw.se[i], ivs[k], sizeof ivs[k]);
            cells[c++] = ivs[k];
        }
        if (any_flag) {
            if (sw.flags[i] & SOL_FLAG_LOW_RELIABILITY)
                snprintf(fl[k], sizeof fl[k], "%s", sol_lgettext(d->lang, "low reliability"));
            else
                sol_flags_format(sw.flags[i], fl[k], sizeof fl[k]);
            cells[c++] = fl[k];
        }
    }
    static const double w3[] = {0.1, 0.5, 0.4}, w4[] = {0.08, 0.4, 0.16, 0.36},
                        w4f[] = {0.08, 0.42, 0.2, 0.3}, w5[] = {0.07, 0.33, 0.14, 0.28, 0.18};
    static const double w3top[] = {0.2, 0.5, 0.3};
    if (nrows >= 2)
        sol__report_table_fs(d, cells, nrows + 1, nc,
                             nc == 3   ? (appendix ? w3 : w3top)
                             : nc == 5 ? w5
                             : any_se  ? w4
                                       : w4f,
                             appendix ? 8 : 10);
    if (appendix && withheld)
        sol__report_sayf(
            d, 10, 0, "p",
            sol_lngettext(d->lang,
                          "%zu more area has a value withheld (statistical disclosure control): "
                          "its rank is withheld too.",
                          "%zu more areas have a value withheld (statistical disclosure "
                          "control): their ranks are withheld too.",
                          withheld),
            withheld);
tidy:
    sol__free_n(7, ix, sorted, cells, vals, ranks, ivs, fl);
    sol__strmap_free(sw.ix);
    sol__free(sw.se);
    sol__free(sw.flags);
out:
    sol_values_free(v);
    return rc;
}

typedef struct rows {
    doc *d;
    char **cell; /* owned strings, row-major */
    size_t n, cap, ncol;
    int failed;
} rows;

static void row_add(rows *r, const char *const *vals)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        char **c = sol__realloc(r->cell, cap * r->ncol * sizeof *c);
        if (c == NULL) {
            r->failed = 1;
            return;
        }
        r->cell = c;
        r->cap = cap;
    }
    for (size_t k = 0; k < r->ncol; k++)
        r->cell[r->n * r->ncol + k] = sol__strdup(vals[k] ? vals[k] : "");
    r->n++;
}

static void rows_free(rows *r)
{
    for (size_t i = 0; i < r->n * r->ncol; i++)
        sol__free(r->cell[i]);
    sol__free(r->cell);
}

static int on_profile(void *ud, const sol_profile_row *p)
{
    rows *r = ud;
    const doc *d = r->d;
    if (p->polarity == 0)
        return 0;
    if (sol_withhold_obs(p->flags, SOL_ROLE_PUBLIC)) { /* neither the value nor its position */
        const char *v[] = {p->label ? p->label : p->indicator, p->period,
                           sol__report_withheld_word(d), sol__report_withheld_word(d)};
        row_add(r, v);
        return 0;
    }
    long long need = p->polarity < 0 ? p->rank_desc : p->n_areas - p->rank_desc + 1;
    char val[256], pos[256], rk[32], of[32], v0[64];
    sol__report_num(d, p->value, v0, sizeof v0);
    if (!isnan(p->se)) {
        char lo[64], hi[64];
        sol__report_num(d, p->value - 1.959963984540054 * p->se, lo, sizeof lo);
        sol__report_num(d, p->value + 1.959963984540054 * p->se, hi, sizeof hi);
        snprintf(val, sizeof val, sol_lgettext(d->lang, "%s (95%% interval: %s to %s)"), v0, lo,
                 hi);
    } else {
        snprintf(val, sizeof val, "%s", v0);
    }
    sol__report_inum(d, (double)need, rk, sizeof rk);
    sol__report_inum(d, (double)p->n_areas, of, sizeof of);
    if (need * 5 <= p->n_areas)
        snprintf(pos, sizeof pos, sol_lgettext(d->lang, "%s of %s, among the areas most in need"),
                 rk, of);
    else if (need * 5 > 4 * p->n_areas)
        snprintf(pos, sizeof pos, sol_lgettext(d->lang, "%s of %s, among the areas least in need"),
                 rk, of);
    else
        snprintf(pos, sizeof pos, sol_lgettext(d->lang, "%s of %s, in the middle"), rk, of);
    const char *v[] = {p->label ? p->label : p->indicator, p->period, val, pos};
    row_add(r, v);
    return 0;
}

static int on_run(void *ud, const sol_run *run)
{
    rows *r = ud;
    json_t *card = run->method_card ? json_loads(run->method_card, 0, NULL) : NULL;
    char method[512];
    sol__run_method_words(r->d->lang, json_object_get(card, "method"), method, sizeof method);
    char when[64];
    sol__report_date_words(r->d, run->created_at, when, sizeof when);
    const char *v[] = {sol__run_kind_words(r->d->lang, run->kind), when, run->created_by, method};
    row_add(r, v);
    json_decref(card);
    return 0;
}

static int on_source(void *ud, const sol_source *s)
{
    rows *r = ud;
    if (strcmp(s->status, "current") != 0)
        return 0;
    const char *v[] = {s->name,
                       s->licence ? s->licence : sol_lgettext(r->d->lang, "licence not stated"),
                       s->attribution};
    row_add(r, v);
    return 0;
}

static void rows_table(doc *d, rows *r, const char *const *head, const double *w)
{
    const char **cells = sol__calloc((r->n + 1) * r->ncol, sizeof *cells);
    if (cells == NULL) {
        d->failed = 1;
        return;
    }
    for (size_t k = 0; k < r->ncol; k++)
        cells[k] = head[k];
    for (size_t i = 0; i < r->n * r->ncol; i++)
        cells[r->ncol + i] = r->cell[i] ? r->cell[i] : "";
    sol__report_table(d, cells, r->n + 1, r->ncol, w);
    sol__free(cells);
}

typedef struct pick {
    char codes[MAX_IND][SOL_MAX_CODE + 1];
    int64_t n_obs[MAX_IND];
    size_t n, max;
} pick;

static int on_pick(void *ud, const sol_indicator *i)
{
    pick *p = ud;
    if (i->polarity == 0 || i->n_obs == 0)
        return 0;
    /* keep the `max` with the most observations (ties by code, the walk order) */
    size_t at = p->n;
    while (at > 0 && p->n_obs[at - 1] < i->n_obs)
        at--;
    if (at >= p->max)
        return 0;
    size_t last = p->n < p->max ? p->n : p->max - 1;
    for (size_t k = last; k > at; k--) {
        memcpy(p->codes[k], p->codes[k - 1], sizeof p->codes[k]);
        p->n_obs[k] = p->n_obs[k - 1];
    }
    snprintf(p->codes[at], sizeof p->codes[at], "%s", i->code);
    p->n_obs[at] = i->n_obs;
    if (p->n < p->max)
        p->n++;
    return 0;
}

static int chosen(const atlas *at, const char *code)
{
    for (size_t k = 0; k < at->nind; k++)
        if (strcmp(at->ind[k].code, code) == 0)
            return 1;
    return 0;
}

/* ---- emerging needs: the latest alerts run, worsening signals, in the document's language ---- */

/* The latest alerts run's worsening alerts (of the job's area when given; of the atlas'
 * indicators when the user named them), strongest first, at most 20, each its own sentence;
 * alerts about an area whose values of that indicator are withheld are left out. When none
 * remains, the page says which indicators were looked at. */
static sol_status alerts_section(sol_store *st, doc *d, const atlas *at, const char *area,
                                 sol_error *err)
{
    char *js = NULL;
    sol_status rc = sol_run_alerts_latest(st, &js, err);
    if (rc == SOL_OK)
        rc = sol_withhold_alerts(st, &js, err);
    if (rc != SOL_OK) {
        free(js);
        return rc;
    }
    json_t *root = json_loads(js, 0, NULL), *alerts = json_object_get(root, "alerts");
    free(js);
    char line[4096], list[4096];
    sol__report_section(d, sol_lgettext(d->lang, "Emerging needs"));
    indicator_list(d, at, list, sizeof list);
    if (!json_is_array(alerts) || json_object_get(root, "run") == NULL ||
        json_is_null(json_object_get(root, "run"))) {
        sol__report_para(d,
                         sol_lgettext(d->lang,
                                      "No check for emerging needs has been run yet: the command "
                                      "'solidata alerts' runs one."),
                         11, 0, "p");
        json_decref(root);
        return SOL_OK;
    }
    json_t *keep = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(alerts, i, a)
    {
        const char *ind = sol__report_jstr(a, "indicator"), *ar = sol__report_jstr(a, "area"),
                   *dir = sol__report_jstr(a, "direction");
        if (strcmp(dir, "worsening") != 0 || (area && strcmp(ar, area) != 0) ||
            (at->chosen && !chosen(at, ind)))
            continue;
        json_array_append(keep, a);
    }
    size_t n = json_array_size(keep);
    const char *since = *sol__report_jstr(root, "since") ? sol__report_jstr(root, "since") : "?";
    if (n == 0 && at->chosen && *at->area_name && area)
        sol__report_sayf(
            d, 11, 0, "p",
            sol_lngettext(d->lang,
                          "The latest check (since %s) looked at %s for %s: it shows no signal "
                          "of growing need.",
                          "The latest check (since %s) looked at %s for %s: none of them shows a "
                          "signal of growing need.",
                          at->nind),
            since, list, at->area_name);
    else if (n == 0 && at->chosen)
        sol__report_sayf(
            d, 11, 0, "p",
            sol_lngettext(d->lang,
                          "The latest check (since %s) looked at %s: it shows no signal of "
                          "growing need.",
                          "The latest check (since %s) looked at %s: none of them shows a signal "
                          "of growing need.",
                          at->nind),
            since, list);
    else if (n == 0 && area)
        sol__report_sayf(d, 11, 0, "p",
                         sol_lgettext(d->lang,
                                      "The latest check (since %s) found no signal of growing need "
                                      "in %s."),
                         since, at->area_name);
    else if (n == 0)
        sol__report_para(
            d,
            sol_lgettext(d->lang, "No signal of growing need passed the false-discovery control."),
            11, 0, "p");
    else if (area)
        sol__report_sayf(d, 11, 0, "p", sol_lgettext(d->lang, "Signals about %s:"), at->area_name);
    else {
        char pct[32], tests[32];
        sol_lang_percent(d->lang, 100 * sol__report_jdbl(root, "fdr"), 0, pct, sizeof pct);
        sol__report_sayf(
            d, 11, 0, "p",
            sol_lngettext(d->lang,
                          "The latest check (since %s) found %zu signal of growing need among "
                          "%s tests, keeping the expected share of false alarms under %s. "
                          "The strongest:",
                          "The latest check (since %s) found %zu signals of growing need among "
                          "%s tests, keeping the expected share of false alarms under %s. "
                          "The strongest:",
                          n),
            since, n,
            sol__report_inum(d, (double)json_integer_value(json_object_get(root, "tests")), tests,
                             sizeof tests),
            pct);
    }
    for (i = 0; i < n && i < 20; i++) {
        json_t *sent = json_object_get(json_array_get(keep, i), "sentence");
        const char *txt = sol__report_jstr(sent, sol_lang_code(d->lang));
        if (*txt == '\0')
            continue;
        snprintf(line, sizeof line, "%zu. %s", i + 1, txt);
        sol__report_para(d, line, 10, 0, "p");
    }
    sol__report_para(
        d,
        sol_lgettext(d->lang,
                     "Every series of every area is tested for a steady trend, a sudden change "
                     "and an unusual latest value; with thousands of tests some would look "
                     "significant by chance, so only signals whose false discovery rate (q) is "
                     "below the chosen level are kept. An alert is a reason to look closer, not "
                     "a conclusion. Areas whose values are withheld by disclosure control are "
                     "left out."),
        10, 0, "p");
    json_decref(keep);
    json_decref(root);
    return SOL_OK;
}

/* ---- forecasts: where the series of the areas in focus go if they behave as they did --------- */

/* The way a forecast goes, from its last point against the last observed value: within a
 * quarter of the 80% interval's width it stays; otherwise it falls or rises. */
static int forecast_way(double last, double mean, double lo80, double hi80)
{
    double tol = 0.25 * fabs(hi80 - lo80);
    if (!isfinite(last) || !isfinite(mean) || fabs(mean - last) <= tol)
        return 0;
    return mean < last ? -1 : 1;
}

/* One sentence for the forecast of `code` in layer areas `A`; 0 when there is none. */
static int forecast_sentence(doc *d, const char *name, const char *label, json_t *fa,
                             const sol_values *v, const char *code)
{
    json_t *path = json_object_get(fa, "forecast");
    json_t *end = json_array_get(path, json_array_size(path) - 1);
    if (end == NULL)
        return 0;
    double last = NAN;
    for (size_t i = 0; v && i < v->n; i++)
        if (strcmp(v->codes[i], code) == 0)
            last = v->values[i];
    double mean = sol__report_jdbl(end, "mean"), lo = sol__report_jdbl(end, "lo80"),
           hi = sol__report_jdbl(end, "hi80");
    char m[64], l[64], h[64], x[64];
    sol__report_num(d, mean, m, sizeof m);
    sol__report_num(d, lo, l, sizeof l);
    sol__report_num(d, hi, h, sizeof h);
    sol__report_num(d, last, x, sizeof x);
    const char *per = sol__report_jstr(end, "period"), *lastper = v ? v->period : "";
    switch (forecast_way(last, mean, lo, hi)) {
    case 0:
        sol__report_sayf(d, 11, 0, "p",
                         sol_lgettext(d->lang,
                                      "%s: \"%s\" stays about %s until %s (between %s and %s, 8 "
                                      "times out of 10); the last value, in %s, was %s."),
                         name, label, m, per, l, h, lastper, x);
        break;
    case -1:
        sol__report_sayf(d, 11, 0, "p",
                         sol_lgettext(d->lang,
                                      "%s: \"%s\" continues to fall to about %s in %s (between %s "
                                      "and %s, 8 times out of 10); the last value, in %s, was %s."),
                         name, label, m, per, l, h, lastper, x);
        break;
    default:
        sol__report_sayf(d, 11, 0, "p",
                         sol_lgettext(d->lang,
                                      "%s: \"%s\" continues to rise to about %s in %s (between %s "
                                      "and %s, 8 times out of 10); the last value, in %s, was %s."),
                         name, label, m, per, l, h, lastper, x);
    }
    return 1;
}

/* The forecasts of the atlas' indicators for the job's area, else the areas in greatest need;
 * the indicators without a forecast run are named. */
static sol_status forecast_section(sol_store *st, doc *d, const atlas *at, const char *area,
                                   sol_error *err)
{
    char list[4096];
    const char *none[MAX_IND];
    size_t nnone = 0, said = 0;
    const char *focus[TOP_NEED];
    const char *names[TOP_NEED];
    size_t nfocus = 0;
    if (area) {
        focus[nfocus] = area;
        names[nfocus++] = at->area_name;
    } else {
        for (size_t t = 0; t < at->ntop; t++) {
            focus[nfocus] = at->a[at->top[t]].code;
            names[nfocus++] = at->a[at->top[t]].name;
        }
    }
    sol__report_section(d, sol_lgettext(d->lang, "Forecasts"));
    sol__report_para(
        d,
        sol_lgettext(d->lang,
                     "A forecast extends an area's series with an exponential smoothing model "
                     "(ETS) chosen from the data: it says where the series goes if it behaves as "
                     "it did, not what will happen. The range given holds the future value 8 "
                     "times out of 10."),
        11, 0, "p");
    for (size_t k = 0; k < at->nind; k++) {
        char *js = NULL;
        sol_status rc = sol_run_forecast_layer(st, at->ind[k].code, &js, err);
        if (rc == SOL_OK)
            rc = sol_withhold_forecast(st, at->ind[k].code, &js, err);
        if (rc != SOL_OK) {
            sol_free(js);
            return rc;
        }
        json_t *root = json_loads(js, 0, NULL);
        sol_free(js);
        json_t *areas = json_object_get(root, "areas");
        if (json_is_null(json_object_get(root, "run")) || json_object_get(root, "run") == NULL ||
            json_object_size(areas) == 0) {
            none[nnone++] = at->ind[k].quoted;
            json_decref(root);
            continue;
        }
        sol_values *v = NULL;
        if (sol_run_values(st, at->ind[k].code, NULL, 0, &v, NULL) == SOL_OK)
            sol_values_withhold(v);
        for (size_t f = 0; f < nfocus; f++) {
            json_t *fa = json_object_get(areas, focus[f]);
            if (fa && forecast_sentence(d, names[f], at->ind[k].label, fa, v, focus[f]))
                said++;
        }
        sol_values_free(v);
        json_decref(root);
    }
    if (nnone == at->nind && at->nind) {
        indicator_list(d, at, list, sizeof list);
        sol__report_sayf(
            d, 11, 0, "p",
            sol_lngettext(d->lang,
                          "No forecast has been computed for the indicator of this atlas (%s): "
                          "the command 'solidata forecast --indicator CODE' computes one.",
                          "No forecast has been computed for any of the indicators of this atlas "
                          "(%s): the command 'solidata forecast --indicator CODE' computes them.",
                          at->nind),
            list);
        return SOL_OK;
    }
    if (nnone) {
        sol__report_join_list(d, none, nnone, list, sizeof list);
        sol__report_sayf(d, 11, 0, "p",
                         sol_lgettext(d->lang, "No forecast has been computed for: %s."), list);
    }
    if (said == 0 && nfocus) {
        const char *const *nm = names;
        char who[2048];
        sol__report_join_list(d, nm, nfocus, who, sizeof who);
        sol__report_sayf(d, 11, 0, "p",
                         sol_lgettext(d->lang,
                                      "The forecasts computed do not cover %s (their values may be "
                                      "withheld, or their series too short)."),
                         who);
    }
    return SOL_OK;
}

/* ---- the atlas ------------------------------------------------------------------------------- */

static sol_status report_write(sol_store *st, const sol_report_job *o, const char *path,
                               sol_error *err);

/* The atlas is made for the public: it reads the store's public view (published sources and runs
 * only, docs/publish.md), whoever runs the command. */
sol_status sol_run_report(sol_store *st, const sol_report_job *o, const char *path, sol_error *err)
{
    sol_status rc = sol_store_public_view(st, 1, err);
    if (rc != SOL_OK)
        return rc;
    rc = report_write(st, o, path, err);
    sol_store_public_view(st, 0, NULL);
    return rc;
}

static sol_status report_write(sol_store *st, const sol_report_job *o, const char *path,
                               sol_error *err)
{
    sol_status rc = SOL_OK;
    doc d = {0};
    const char *lang = o && o->lang ? o->lang : NULL;
    if (lang == NULL)
        d.lang = sol_lang_current();
    else if (strcmp(lang, "en") == 0)
        d.lang = SOL_LANG_EN;
    else if (strcmp(lang, "it") == 0)
        d.lang = SOL_LANG_IT;
    else if (strcmp(lang, "fr") == 0)
        d.lang = SOL_LANG_FR;
    else
        return sol__err(err, SOL_EINVAL, "language '%s': expected en, it or fr", lang);
    int ranks = 0;
    if (o && o->appendix && *o->appendix) {
        if (strcmp(o->appendix, "ranks") != 0)
            return sol__err(err, SOL_EINVAL, "appendix '%s': expected ranks", o->appendix);
        ranks = 1;
    }
    size_t pl = strlen(path);
    if (pl > 5 && strcmp(path + pl - 5, ".html") == 0)
        d.pdf = 0;
    else if (pl > 4 && strcmp(path + pl - 4, ".pdf") == 0)
        d.pdf = 1;
    else
        return sol__err(err, SOL_EINVAL, "%s: the report is written as .html or .pdf", path);
    const char *area = o ? o->area : NULL;
    sol__buf_init(&d.html, MAX_DOC);
    sol__buf_init(&d.page, MAX_DOC);
    rows prof = {.d = &d, .ncol = 4}, runs = {.d = &d, .ncol = 4}, srcs = {.d = &d, .ncol = 3};
    pick *pk = sol__calloc(1, sizeof *pk);
    atlas *at = sol__calloc(1, sizeof *at);
    char *layers_json = NULL;
    json_t *layers = NULL;
    char line[4096], today[32], date[64], srclist[2048] = "";
    if (pk == NULL || at == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto out;
    }
    if (area && !sol__report_area_name(st, area, at->area_name, sizeof at->area_name)) {
        rc = sol__err(err, SOL_ENOTFOUND, "no area with code '%s'", area);
        goto out;
    }

    /* the indicators */
    if (o && o->indicators) {
        const char *s = o->indicators;
        while (*s && pk->n < MAX_IND) {
            size_t n = strcspn(s, ",");
            if (n && n <= SOL_MAX_CODE)
                snprintf(pk->codes[pk->n++], SOL_MAX_CODE + 1, "%.*s", (int)n, s);
            s += n;
            if (*s == ',')
                s++;
        }
        at->chosen = 1;
    } else {
        pk->max = o && o->max_indicators
                      ? (o->max_indicators > MAX_IND ? MAX_IND : o->max_indicators)
                      : 6;
        if ((rc = sol_store_indicators(st, on_pick, pk, err)) != SOL_OK)
            goto out;
    }
    for (size_t k = 0; k < pk->n; k++)
        snprintf(at->ind[k].code, sizeof at->ind[k].code, "%s", pk->codes[k]);
    at->nind = pk->n;
    if ((rc = atlas_load(st, at, err)) != SOL_OK)
        goto out;
    for (size_t k = 0; k < at->nind; k++)
        /* TRANSLATORS: an indicator's name quoted in a sentence. */
        snprintf(at->ind[k].quoted, sizeof at->ind[k].quoted, sol_lgettext(d.lang, "\"%s\""),
                 at->ind[k].label);

    /* the sources, for the first page and the footer of every page */
    if ((rc = sol_store_sources(st, on_source, &srcs, err)) != SOL_OK)
        goto out;
    {
        const char *items[64];
        char item[64][256];
        size_t ns = srcs.n < 64 ? srcs.n : 64;
        for (size_t i = 0; i < ns; i++) {
            snprintf(item[i], sizeof item[i], "%s (%s)", srcs.cell[3 * i], srcs.cell[3 * i + 1]);
            items[i] = item[i];
        }
        sol__report_join_list(&d, items, ns, srclist, sizeof srclist);
    }
    sol__utc_now(today, sizeof today);
    sol__report_date_words(&d, today, date, sizeof date);
    snprintf(d.foot1, sizeof d.foot1, "%s \xC2\xB7 %s \xC2\xB7 solidata %s",
             sol_lgettext(d.lang, "Atlas of social needs"), date, SOL_VERSION_STRING);
    snprintf(d.foot2, sizeof d.foot2, sol_lgettext(d.lang, "Sources: %s."),
             *srclist ? srclist : sol_lgettext(d.lang, "none imported"));

    if (!d.pdf)
        sol__buf_addf(
            &d.html,
            "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width\"><title>%s</title>"
            "<style>body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;"
            "max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;"
            "line-height:1.45}figure{margin:1rem 0}figure svg{width:100%%;height:auto}"
            "table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{text-align:left;"
            "padding:.2rem .8rem .2rem 0;border-bottom:1px solid #ddd}"
            "table.compact{font-size:.8rem}table.compact td,table.compact th{padding:.05rem "
            ".6rem .05rem 0}thead{display:table-header-group}"
            "h2{margin-top:2.5rem;border-top:2px solid #333;padding-top:1rem}"
            "footer{margin-top:3rem;border-top:1px solid #bbb;font-size:.8rem;color:#555}"
            "@media print{h2{page-break-before:always}body{margin-bottom:4rem}"
            "footer{position:fixed;bottom:0;left:0;right:0;background:#fff}}</style></head>"
            "<body>\n",
            sol_lang_code(d.lang), sol_lgettext(d.lang, "Atlas of social needs"));
    cover(&d, at, srclist, date);

    /* one page per indicator: a map and its reading */
    for (size_t k = 0; k < pk->n; k++)
        if ((rc = indicator_section(st, &d, pk->codes[k], 0, err)) != SOL_OK)
            goto out;

    /* the analyses: the latest composite index and hot-spot runs */
    if ((rc = sol_run_layers(st, &layers_json, err)) != SOL_OK ||
        (rc = sol_withhold_layers(st, &layers_json, err)) != SOL_OK)
        goto out;
    layers = json_loads(layers_json, 0, NULL);
    json_t *index = json_object_get(layers, "index"), *hot = json_object_get(layers, "hotspots");
    if (json_is_object(index) && (rc = sol__report_index(st, &d, index, area, 0, err)) != SOL_OK)
        goto out;
    if (json_is_object(hot) && (rc = sol__report_hotspots(st, &d, hot, area, err)) != SOL_OK)
        goto out;
    if ((rc = alerts_section(st, &d, at, area, err)) != SOL_OK)
        goto out;
    if ((rc = forecast_section(st, &d, at, area, err)) != SOL_OK)
        goto out;
    if ((rc = sol__report_locate(st, &d, err)) != SOL_OK)
        goto out;

    if (area) {
        if ((rc = sol_store_area_profile(st, area, on_profile, &prof, err)) != SOL_OK)
            goto out;
        snprintf(line, sizeof line, sol_lgettext(d.lang, "Profile of %s"), at->area_name);
        sol__report_section(&d, line);
        const char *head[] = {sol_lgettext(d.lang, "Indicator"), sol_lgettext(d.lang, "Period"),
                              sol_lgettext(d.lang, "Value"), sol_lgettext(d.lang, "Position")};
        static const double w4[] = {0.38, 0.1, 0.2, 0.32};
        rows_table(&d, &prof, head, w4);
    }

    /* sources and method */
    sol__report_section(&d, sol_lgettext(d.lang, "Sources and method"));
    sol__report_para(&d, sol_lgettext(d.lang, "How to read this atlas"), 14, 1, "h3");
    sol__report_para(
        &d,
        sol_lgettext(d.lang, "Maps group the areas into five classes of equal size (quantiles); "
                             "a darker colour always means more need, whichever way the "
                             "indicator runs."),
        11, 0, "p");
    sol__report_para(&d,
                     sol_lgettext(d.lang,
                                  "Whether a higher value is better or worse (the polarity) is a "
                                  "human choice, recorded with each indicator and shown here."),
                     11, 0, "p");
    sol__report_para(
        &d,
        sol_lgettext(d.lang, "Missing values are left out, never counted as zero; areas without "
                             "a value are hatched on the maps."),
        11, 0, "p");
    sol__report_para(
        &d,
        sol_lgettext(d.lang, "Values withheld by statistical disclosure control are never shown, "
                             "nor their ranks: they are said to be withheld."),
        11, 0, "p");
    sol__report_para(&d,
                     sol_lgettext(d.lang,
                                  "Every figure comes from the sources listed below, as imported, "
                                  "with their checksums kept in the catalog."),
                     11, 0, "p");
    sol__report_para(&d, sol_lgettext(d.lang, "Sources and licences"), 14, 1, "h3");
    {
        const char *head[] = {sol_lgettext(d.lang, "Source"), sol_lgettext(d.lang, "Licence"),
                              sol_lgettext(d.lang, "Attribution")};
        static const double w3[] = {0.3, 0.2, 0.5};
        rows_table(&d, &srcs, head, w3);
    }
    sol__report_para(&d, sol_lgettext(d.lang, "Computations recorded"), 14, 1, "h3");
    if ((rc = sol_store_runs(st, NULL, 0, on_run, &runs, err)) != SOL_OK)
        goto out;
    if (runs.n == 0) {
        sol__report_para(&d, sol_lgettext(d.lang, "No computation has been recorded yet."), 11, 0,
                         "p");
    } else {
        const char *head[] = {sol_lgettext(d.lang, "Kind"), sol_lgettext(d.lang, "When"),
                              sol_lgettext(d.lang, "Who"), sol_lgettext(d.lang, "Method")};
        static const double w4[] = {0.2, 0.25, 0.15, 0.4};
        rows_table(&d, &runs, head, w4);
    }

    /* the appendix the user asked for: every area's rank */
    if (ranks) {
        sol__report_section(&d, sol_lgettext(d.lang, "Appendix: every area by rank"));
        for (size_t k = 0; k < pk->n; k++)
            if ((rc = indicator_section(st, &d, pk->codes[k], 1, err)) != SOL_OK)
                goto out;
        if (json_is_object(index) &&
            (rc = sol__report_index(st, &d, index, area, 1, err)) != SOL_OK)
            goto out;
    }

    if (prof.failed || runs.failed || srcs.failed || d.failed) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory writing the report");
        goto out;
    }
    if (!d.pdf) {
        sol__buf_addf(&d.html, "<footer><p>");
        sol__report_esc(&d.html, d.foot1);
        sol__buf_addf(&d.html, "</p><p>");
        sol__report_esc(&d.html, d.foot2);
        sol__buf_addf(&d.html, "</p></footer>\n</body></html>\n");
        FILE *f = fopen(path, "w");
        if (f == NULL) {
            rc = sol__err_at(err, SOL_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
            goto out;
        }
        size_t w = d.html.data ? fwrite(d.html.data, 1, d.html.len, f) : 0;
        if (fclose(f) != 0 || w != d.html.len)
            rc = sol__err_at(err, SOL_EIO, path, 0, 0, "write error");
    } else {
        sol__report_finish(&d);
        if (d.failed)
            rc = sol__err(err, SOL_ENOMEM, "out of memory writing the report");
        else
            rc =
                sol_render_pages_pdf((const char *const *)d.pages, d.page_len, d.npages, path, err);
    }
out:
    json_decref(layers);
    sol_free(layers_json);
    rows_free(&prof);
    rows_free(&runs);
    rows_free(&srcs);
    sol__free(pk);
    if (at) {
        sol__strmap_free(at->ix);
        sol__free(at->a);
        sol__free(at);
    }
    sol__buf_free(&d.html);
    sol__buf_free(&d.page);
    for (size_t i = 0; i < d.npages; i++)
        sol__free(d.pages[i]);
    sol__free(d.pages);
    sol__free(d.page_len);
    return rc;
}
