/* report_analyses.c - the atlas' pages of the analyses recorded in the store: the composite
 * index (map, what it means, why an area ranks where it does, every rank in the appendix) and
 * the hot spots (cluster map, counts, inference), every sentence in the document's language. */
#include "run/report_int.h"

#include <solidata/render.h>
#include <solidata/run.h>
#include <solidata/run_layers.h>

#include <stdio.h>
#include <string.h>

/* ---- the analyses: composite index and hot spots (src/run/layers.c) -------------------------- */

int sol__report_on_level_area(void *ud, const sol_area *a)
{
    level_areas *l = ud;
    if (a->level == NULL || strcmp(a->level, l->level) != 0 || a->geometry == NULL)
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        sol_feature *f = sol__realloc(l->f, cap * sizeof *f);
        if (f == NULL) {
            l->failed = 1;
            return 1;
        }
        l->f = f;
        l->cap = cap;
    }
    sol_feature *f = &l->f[l->n];
    memset(f, 0, sizeof *f);
    if (sol_geo_parse_geojson(a->geometry, f, NULL) != SOL_OK)
        return 0; /* an area the map cannot draw is left off the map, not off the tables */
    f->code = sol__strdup(a->code);
    f->name = a->name ? sol__strdup(a->name) : NULL;
    l->n++;
    if (f->code == NULL || (a->name && f->name == NULL))
        l->failed = 1;
    return l->failed;
}

void sol__report_level_areas_free(level_areas *l)
{
    for (size_t i = 0; i < l->n; i++)
        sol_feature_clear(&l->f[i]);
    sol__free(l->f);
}

static void fmt_rank(const doc *d, double r, char *buf, size_t n)
{
    sol__report_inum(d, r, buf, n);
}

/* Draw a map of the areas of `level`: value[i] and cls[i] come from fill(code), which returns the
 * class, -1 for no data, or -2 for an area withheld by disclosure control (drawn as suppressed). */
typedef int (*class_fn)(void *ud, const char *code, double *value);
static sol_status analysis_map(sol_store *st, doc *d, const char *level, sol_map *m, class_fn fill,
                               void *ud, double *vals_for_breaks, size_t nvals, sol_error *err)
{
    level_areas la = {.level = level};
    uint32_t pal[SOL_CLASSES_MAX]; /* the score palette, when the caller gives no colours */
    sol_status rc = sol_store_areas(st, 1, sol__report_on_level_area, &la, err);
    int *cls = NULL;
    double *val = NULL;
    unsigned char *supp = NULL; /* fill() said -2: withheld by disclosure control */
    sol_breaks *b = NULL;
    char *svg = NULL;
    size_t len = 0;
    if (rc != SOL_OK)
        goto done;
    if (la.failed) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    if (la.n == 0)
        goto done; /* nothing to draw */
    cls = sol__calloc(la.n, sizeof *cls);
    val = sol__calloc(la.n, sizeof *val);
    supp = sol__calloc(la.n, 1);
    if (!cls || !val || !supp) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    if (vals_for_breaks) {
        if ((rc = sol_render_breaks(vals_for_breaks, nvals, SOL_CLASS_QUANTILE, 5, &b, err)) !=
            SOL_OK)
            goto done;
        m->breaks = b;
        m->nclasses = b->nclasses;
    }
    for (size_t i = 0; i < la.n; i++) {
        cls[i] = fill(ud, la.f[i].code, &val[i]);
        if (cls[i] == -2) {
            supp[i] = 1;
            cls[i] = -1;
            val[i] = NAN;
        } else if (b) {
            cls[i] = isnan(val[i]) ? -1 : sol_render_class_of(b, val[i]);
        }
    }
    if (b && m->colour == NULL) {
        if ((rc = sol_render_palette("YlOrRd-r", b->nclasses, pal, err)) != SOL_OK)
            goto done;
        m->colour = pal;
    }
    sol_layer layer = {.n = la.n, .f = la.f};
    m->layer = &layer;
    m->cls = cls;
    m->value = val;
    m->suppressed = supp;
    if ((rc = sol_map_svg(m, &svg, &len, err)) == SOL_OK)
        sol__report_figure(d, svg, len);
    sol_free(svg);
done:
    m->layer = NULL; /* the layer, classes and values were this function's own */
    m->cls = NULL;
    m->value = NULL;
    m->suppressed = NULL;
    sol_breaks_free(b);
    sol__free(cls);
    sol__free(val);
    sol__free(supp);
    sol__report_level_areas_free(&la);
    return rc;
}

/* Is `code` among the areas a layer withholds (sol_run_layers_withhold's "withheld_areas")? */
static int withheld_in(json_t *layer, const char *code)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(layer, "withheld_areas"), i, c)
    {
        if (strcmp(json_string_value(c), code) == 0)
            return 1;
    }
    return 0;
}

typedef struct index_vals {
    json_t *areas, *layer;
} index_vals;

static int index_fill(void *ud, const char *code, double *value)
{
    index_vals *iv = ud;
    json_t *a = json_object_get(iv->areas, code);
    *value = a ? sol__report_jdbl(a, "score") : NAN;
    if (a == NULL && withheld_in(iv->layer, code))
        return -2;
    return isnan(*value) ? -1 : 0;
}

/* The map's numbers as the document's language writes them. */
static void map_lang(const doc *d, sol_map *m)
{
    m->lang = sol_lang_code(d->lang);
    m->decimal_mark = sol_lang_decimal_mark(d->lang);
    m->thousands = d->lang == SOL_LANG_IT ? "." : d->lang == SOL_LANG_FR ? "\xE2\x80\xAF" : ",";
}

/* The composite index: its page (map, what it means, why the job's area ranks there), or with
 * appendix 1 every area by score for the appendix. */
sol_status sol__report_index(sol_store *st, doc *d, json_t *L, const char *area, int appendix,
                             sol_error *err)
{
    json_t *periods = json_object_get(L, "periods");
    const char *per = json_string_value(json_array_get(periods, json_array_size(periods) - 1));
    json_t *areas = per ? json_object_get(json_object_get(L, "areas"), per) : NULL;
    if (areas == NULL || json_object_size(areas) == 0)
        return SOL_OK;
    char line[4096], who[512], mw[256];
    long long run = (long long)json_integer_value(json_object_get(L, "run"));
    snprintf(line, sizeof line, sol_lgettext(d->lang, "Composite well-being index, %s"), per);
    if (appendix)
        sol__report_para(d, line, 14, 1, "h3");
    else
        sol__report_section(d, line);
    if (!appendix) {
        snprintf(line, sizeof line,
                 sol_lgettext(
                     d->lang,
                     "The index sums up %zu indicators, grouped in %zu dimensions of well-being, "
                     "in one score per area. Each indicator is first put on a common scale, turned "
                     "so that higher always means better; the scores compare the areas with each "
                     "other, not with a target. The rank interval comes from recomputing the index "
                     "%lld times with other reasonable choices of method and weights: nine times "
                     "out of ten the rank stays within it."),
                 json_array_size(json_object_get(L, "indicators")),
                 json_array_size(json_object_get(L, "dimensions")),
                 (long long)json_integer_value(json_object_get(L, "replications")));
        sol__report_para(d, line, 11, 0, "p");
        if (strcmp(sol__report_jstr(L, "aggregation"), "mpi") == 0)
            sol__report_para(
                d,
                sol_lgettext(d->lang, "The dimensions are combined with a penalty for unbalanced "
                                      "profiles (Mazziotta-Pareto): a very low dimension is not "
                                      "fully made up for by a high one."),
                11, 0, "p");
        snprintf(who, sizeof who, "%s",
                 *sol__report_jstr(L, "weights_set_by") ? sol__report_jstr(L, "weights_set_by")
                                                        : "-");
        snprintf(line, sizeof line,
                 sol_lgettext(d->lang,
                              "The weights are a human choice, set by: %s. Method: %s (run %lld)."),
                 who, sol__run_method_words(d->lang, json_object_get(L, "method"), mw, sizeof mw),
                 run);
        sol__report_para(d, line, 11, 0, "p");
    }

    /* sorted by rank */
    size_t n = json_object_size(areas), k = 0;
    const char **codes = sol__calloc(n, sizeof *codes);
    double *scores = sol__calloc(n, sizeof *scores);
    const char **cells = sol__calloc(6 * (n + 1), sizeof *cells);
    char(*txt)[3][80] = sol__calloc(n, sizeof *txt);
    sol_status rc = SOL_OK;
    if (!codes || !scores || !cells || !txt) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    const char *code;
    json_t *a;
    size_t ns = 0;
    json_object_foreach(areas, code, a)
    {
        codes[k++] = code;
        if (!isnan(sol__report_jdbl(a, "score")))
            scores[ns++] = sol__report_jdbl(a, "score");
    }
    for (size_t i = 1; i < n; i++) /* insertion sort by rank (20 to a few thousand areas) */
        for (size_t j = i; j > 0; j--) {
            double r0 = sol__report_jdbl(json_object_get(areas, codes[j - 1]), "rank");
            double r1 = sol__report_jdbl(json_object_get(areas, codes[j]), "rank");
            if (!(isnan(r0) || (!isnan(r1) && r1 < r0)))
                break;
            const char *t = codes[j];
            codes[j] = codes[j - 1];
            codes[j - 1] = t;
        }
    if (ns >= 2 && !appendix) {
        sol_map m;
        sol_map_init(&m);
        char title[256], src[512];
        snprintf(title, sizeof title, "%s, %s", sol_lgettext(d->lang, "Composite well-being index"),
                 per);
        snprintf(src, sizeof src, sol_lgettext(d->lang, "solidata run %lld (%s)"), run,
                 sol__run_method_words(d->lang, json_object_get(L, "method"), mw, sizeof mw));
        m.title = title;
        m.subtitle = sol_lgettext(d->lang, "score; higher is better: darker areas fare worse");
        m.legend_title = sol_lgettext(d->lang, "Quantiles");
        m.source = src;
        map_lang(d, &m);
        index_vals iv = {areas, L};
        if ((rc = analysis_map(st, d, sol__report_jstr(L, "level"), &m, index_fill, &iv, scores, ns,
                               err)) != SOL_OK)
            goto done;
    }
    if (area && !appendix && json_object_get(areas, area) == NULL && withheld_in(L, area)) {
        char nm[160];
        sol__report_area_name(st, area, nm, sizeof nm);
        snprintf(line, sizeof line,
                 sol_lgettext(d->lang, "%s: its place in the index is withheld (statistical "
                                       "disclosure control)."),
                 nm);
        sol__report_para(d, line, 11, 0, "p");
    }
    if (area && !appendix && json_object_get(areas, area)) {
        a = json_object_get(areas, area);
        json_t *dims = json_object_get(a, "dims"), *ds = NULL, *dw = NULL, *x;
        size_t i;
        json_array_foreach(dims, i, x)
        {
            if (strcmp(sol__report_jstr(x, "name"), sol__report_jstr(a, "strength")) == 0)
                ds = x;
            if (strcmp(sol__report_jstr(x, "name"), sol__report_jstr(a, "weakness")) == 0)
                dw = x;
        }
        if (ds && dw && !isnan(sol__report_jdbl(a, "score"))) {
            char sc[64], lo[32], hi[32], zs[32], zw[32], rk[32], of[32];
            sol__report_num(d, sol__report_jdbl(a, "score"), sc, sizeof sc);
            fmt_rank(d, sol__report_jdbl(a, "rank_lo"), lo, sizeof lo);
            fmt_rank(d, sol__report_jdbl(a, "rank_hi"), hi, sizeof hi);
            fmt_rank(d, sol__report_jdbl(a, "rank"), rk, sizeof rk);
            fmt_rank(d, sol__report_jdbl(a, "n"), of, sizeof of);
            sol_lang_number(d->lang, fabs(sol__report_jdbl(ds, "z")), 1, 0, zs, sizeof zs);
            sol_lang_number(d->lang, fabs(sol__report_jdbl(dw, "z")), 1, 0, zw, sizeof zw);
            snprintf(
                line, sizeof line,
                sol_lgettext(d->lang,
                             "%s ranks %s of %s (90%% rank interval %s to %s) with a score of %s. "
                             "Its strongest dimension is %s (%s standard deviations above the "
                             "average) and its weakest is %s (%s standard deviations below)."),
                *sol__report_jstr(a, "name") ? sol__report_jstr(a, "name") : area, rk, of, lo, hi,
                sc, sol__report_jstr(ds, "name"), zs, sol__report_jstr(dw, "name"), zw);
            sol__report_para(d, line, 11, 0, "p");
        }
    }
    if (!appendix)
        goto done;
    char count[32];
    snprintf(line, sizeof line, sol_lgettext(d->lang, "All %s areas by score"),
             sol__report_inum(d, (double)n, count, sizeof count));
    sol__report_para(d, line, 12, 1, "h3");
    sol__report_para(d, sol_lgettext(d->lang, "Rank 1 is the highest score (best well-being)."), 10,
                     0, "p");
    size_t c = 0;
    cells[c++] = sol_lgettext(d->lang, "Rank");
    cells[c++] = sol_lgettext(d->lang, "Area");
    cells[c++] = sol_lgettext(d->lang, "Score");
    cells[c++] = sol_lgettext(d->lang, "90% rank interval");
    cells[c++] = sol_lgettext(d->lang, "Strongest dimension");
    cells[c++] = sol_lgettext(d->lang, "Weakest dimension");
    for (size_t i = 0; i < n; i++) {
        a = json_object_get(areas, codes[i]);
        char lo[32], hi[32];
        fmt_rank(d, sol__report_jdbl(a, "rank"), txt[i][0], sizeof txt[i][0]);
        sol__report_num(d, sol__report_jdbl(a, "score"), txt[i][1], sizeof txt[i][1]);
        fmt_rank(d, sol__report_jdbl(a, "rank_lo"), lo, sizeof lo);
        fmt_rank(d, sol__report_jdbl(a, "rank_hi"), hi, sizeof hi);
        snprintf(txt[i][2], sizeof txt[i][2], "%s\xE2\x80\x93%s", lo, hi);
        cells[c++] = txt[i][0];
        cells[c++] = *sol__report_jstr(a, "name") ? sol__report_jstr(a, "name") : codes[i];
        cells[c++] = txt[i][1];
        cells[c++] = txt[i][2];
        cells[c++] = sol__report_jstr(a, "strength");
        cells[c++] = sol__report_jstr(a, "weakness");
    }
    static const double w6[] = {0.07, 0.25, 0.1, 0.12, 0.23, 0.23};
    sol__report_table_fs(d, cells, n + 1, 6, w6, 8);
done:
    sol__free_n(4, codes, scores, cells, txt);
    return rc;
}

static const char *const cluster_keys[5] = {"HH", "LL", "HL", "LH", "NS"};

static int cluster_of(const char *c)
{
    for (int k = 0; k < 5; k++)
        if (strcmp(c, cluster_keys[k]) == 0)
            return k;
    return -1;
}

typedef struct lisa_vals {
    json_t *areas, *layer;
    const sol_values *v; /* the indicator's values as the observations give them; may be NULL */
} lisa_vals;

static double lisa_value(const lisa_vals *lv, const char *code)
{
    if (lv->v == NULL)
        return NAN;
    size_t lo = 0, hi = lv->v->n; /* codes are ascending */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(lv->v->codes[mid], code);
        if (c == 0)
            return lv->v->values[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NAN;
}

static int lisa_fill(void *ud, const char *code, double *value)
{
    lisa_vals *lv = ud;
    json_t *a = json_object_get(lv->areas, code);
    *value = lisa_value(lv, code);
    if (a == NULL && withheld_in(lv->layer, code))
        return -2;
    return a ? cluster_of(sol__report_jstr(a, "cluster")) : -1;
}

static void fmt_p(const doc *d, double p, char *buf, size_t n)
{
    char x[32];
    if (isnan(p)) {
        sol__report_inum(d, p, buf, n);
    } else if (p < 0.001) {
        sol_lang_number(d->lang, 0.001, 3, 0, x, sizeof x);
        snprintf(buf, n, "< %s", x);
    } else { /* two significant digits */
        int dec = 1 - (int)floor(log10(p));
        sol_lang_number(d->lang, p, dec < 0 ? 0 : dec > 6 ? 6 : dec, 0, buf, n);
    }
}

sol_status sol__report_hotspots(sol_store *st, doc *d, json_t *L, const char *area, sol_error *err)
{
    json_t *areas = json_object_get(L, "areas");
    size_t n = json_object_size(areas);
    if (n == 0)
        return SOL_OK;
    char line[4096], alpha[32];
    const char *label = *sol__report_jstr(L, "label") ? sol__report_jstr(L, "label")
                                                      : sol__report_jstr(L, "indicator");
    long long run = (long long)json_integer_value(json_object_get(L, "run"));
    snprintf(line, sizeof line, sol_lgettext(d->lang, "Hot spots of \"%s\" (%s)"), label,
             sol__report_jstr(L, "period"));
    sol__report_section(d, line);
    sol__report_para(
        d,
        sol_lgettext(d->lang,
                     "The map shows where areas with similar values sit next to each other more "
                     "than chance would make them (local Moran's I, LISA): high values among high "
                     "(hot spots, red), low among low (cold spots, blue), and areas that differ "
                     "from their neighbours (light colours)."),
        11, 0, "p");
    sol__report_num(d, sol__report_jdbl(L, "alpha"), alpha, sizeof alpha);
    if (strcmp(sol__report_jstr(L, "inference"), "permutation") == 0)
        snprintf(
            line, sizeof line,
            sol_lgettext(d->lang,
                         "An area is coloured when its p-value, from %lld random rearrangements of "
                         "the values among the areas, is below %s; the others are grey."),
            (long long)json_integer_value(json_object_get(L, "permutations")), alpha);
    else
        snprintf(line, sizeof line,
                 sol_lgettext(d->lang, "An area is coloured when its p-value (normal approximation "
                                       "of local Moran's I) is below %s; the others are grey."),
                 alpha);
    sol__report_para(d, line, 11, 0, "p");
    long long cnt[5] = {0};
    char cn[6][32];
    const char *code;
    json_t *a;
    json_object_foreach(areas, code, a)
    {
        int k = cluster_of(sol__report_jstr(a, "cluster"));
        if (k >= 0)
            cnt[k]++;
    }
    snprintf(line, sizeof line,
             sol_lgettext(d->lang, "Of %s areas: %s High-High, %s Low-Low, %s High-Low, "
                                   "%s Low-High, %s not significant."),
             sol__report_inum(d, (double)n, cn[5], sizeof cn[5]),
             sol__report_inum(d, (double)cnt[0], cn[0], sizeof cn[0]),
             sol__report_inum(d, (double)cnt[1], cn[1], sizeof cn[1]),
             sol__report_inum(d, (double)cnt[2], cn[2], sizeof cn[2]),
             sol__report_inum(d, (double)cnt[3], cn[3], sizeof cn[3]),
             sol__report_inum(d, (double)cnt[4], cn[4], sizeof cn[4]));
    sol__report_para(d, line, 11, 0, "p");
    if (strcmp(sol__report_jstr(L, "adjust"), "none") == 0) {
        snprintf(line, sizeof line,
                 sol_lgettext(d->lang, "With %zu areas tested at once, a few clusters are expected "
                                       "by chance alone: read an isolated one with care."),
                 n);
        sol__report_para(d, line, 11, 0, "p");
    }
    /* the map: GeoDa colours, a legend in words */
    uint32_t colour[5];
    const char *labels[5] = {sol_lgettext(d->lang, "High-High"), sol_lgettext(d->lang, "Low-Low"),
                             sol_lgettext(d->lang, "High-Low"), sol_lgettext(d->lang, "Low-High"),
                             sol_lgettext(d->lang, "not significant")};
    for (int k = 0; k < 5; k++)
        sol_render_lisa_colour(cluster_keys[k], &colour[k]);
    sol_map m;
    sol_map_init(&m);
    char title[1024], src[512], sub[128];
    snprintf(title, sizeof title, sol_lgettext(d->lang, "Hot spots of \"%s\" (%s)"), label,
             sol__report_jstr(L, "period"));
    snprintf(src, sizeof src, sol_lgettext(d->lang, "solidata run %lld (%s)"), run,
             sol_lgettext(d->lang, sol__report_jstr(L, "method")));
    snprintf(sub, sizeof sub, "LISA, p < %s", alpha);
    m.title = title;
    m.subtitle = sub;
    m.legend_title = sol_lgettext(d->lang, "Cluster");
    m.nclasses = 5;
    m.colour = colour;
    m.label = labels;
    m.class_key = cluster_keys;
    m.source = src;
    map_lang(d, &m);
    /* the values from the observations (an indicator or period since removed: no values) */
    sol_values *vals = NULL;
    if (sol_run_values(st, sol__report_jstr(L, "indicator"), sol__report_jstr(L, "period"), 0,
                       &vals, NULL) != SOL_OK)
        vals = NULL;
    else
        sol_values_withhold(vals); /* the report is public: no withheld value in the tooltips */
    lisa_vals lv = {areas, L, vals};
    sol_status rc =
        analysis_map(st, d, sol__report_jstr(L, "level"), &m, lisa_fill, &lv, NULL, 0, err);
    if (rc != SOL_OK) {
        sol_values_free(vals);
        return rc;
    }
    if (area && json_object_get(areas, area) == NULL && withheld_in(L, area)) {
        char nm[160];
        sol__report_area_name(st, area, nm, sizeof nm);
        snprintf(line, sizeof line,
                 sol_lgettext(d->lang, "%s: its cluster is withheld (statistical disclosure "
                                       "control)."),
                 nm);
        sol__report_para(d, line, 11, 0, "p");
    }
    if (area && (a = json_object_get(areas, area)) != NULL) {
        int k = cluster_of(sol__report_jstr(a, "cluster"));
        char p[32];
        fmt_p(d, sol__report_jdbl(a, "p"), p, sizeof p);
        const char *says[5] = {
            sol_lgettext(d->lang, "%s is in a High-High cluster: its value is high and so are its "
                                  "neighbours'. It is part of a hot spot (p = %s)."),
            sol_lgettext(d->lang, "%s is in a Low-Low cluster: its value is low and so are its "
                                  "neighbours'. It is part of a cold spot (p = %s)."),
            sol_lgettext(d->lang, "%s is a High-Low outlier: its value is high while its "
                                  "neighbours' are low (p = %s)."),
            sol_lgettext(d->lang, "%s is a Low-High outlier: its value is low while its "
                                  "neighbours' are high (p = %s)."),
            sol_lgettext(d->lang, "%s is not part of a significant cluster (p = %s): the pattern "
                                  "of its value and its neighbours' could well arise by chance.")};
        if (k >= 0) {
            snprintf(line, sizeof line, says[k],
                     *sol__report_jstr(a, "name") ? sol__report_jstr(a, "name") : area, p);
            sol__report_para(d, line, 11, 0, "p");
        }
    }
    /* the significant areas, by cluster then p */
    sol__report_para(d, sol_lgettext(d->lang, "The areas in a significant cluster"), 12, 1, "h3");
    const char **codes = sol__calloc(n, sizeof *codes);
    const char **cells = sol__calloc(4 * (n + 1), sizeof *cells);
    char(*txt)[2][64] = sol__calloc(n, sizeof *txt);
    if (!codes || !cells || !txt) {
        sol__free(codes);
        sol__free(cells);
        sol__free(txt);
        sol_values_free(vals);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    size_t k = 0;
    json_object_foreach(areas, code, a)
    {
        int c = cluster_of(sol__report_jstr(a, "cluster"));
        if (c >= 0 && c < 4)
            codes[k++] = code;
    }
    for (size_t i = 1; i < k; i++)
        for (size_t j = i; j > 0; j--) {
            json_t *x = json_object_get(areas, codes[j - 1]), *y = json_object_get(areas, codes[j]);
            int cx = cluster_of(sol__report_jstr(x, "cluster")),
                cy = cluster_of(sol__report_jstr(y, "cluster"));
            if (cx < cy || (cx == cy && !(sol__report_jdbl(y, "p") < sol__report_jdbl(x, "p"))))
                break;
            const char *t = codes[j];
            codes[j] = codes[j - 1];
            codes[j - 1] = t;
        }
    if (k == 0) {
        sol__report_para(d, sol_lgettext(d->lang, "No area is in a significant cluster."), 11, 0,
                         "p");
    } else {
        size_t c = 0;
        cells[c++] = sol_lgettext(d->lang, "Area");
        cells[c++] = sol_lgettext(d->lang, "Cluster");
        cells[c++] = sol_lgettext(d->lang, "p");
        cells[c++] = sol_lgettext(d->lang, "Value");
        for (size_t i = 0; i < k; i++) {
            a = json_object_get(areas, codes[i]);
            fmt_p(d, sol__report_jdbl(a, "p"), txt[i][0], sizeof txt[i][0]);
            sol__report_num(d, lisa_value(&lv, codes[i]), txt[i][1], sizeof txt[i][1]);
            cells[c++] = *sol__report_jstr(a, "name") ? sol__report_jstr(a, "name") : codes[i];
            cells[c++] = labels[cluster_of(sol__report_jstr(a, "cluster"))];
            cells[c++] = txt[i][0];
            cells[c++] = txt[i][1];
        }
        static const double w4[] = {0.4, 0.25, 0.15, 0.2};
        sol__report_table_fs(d, cells, k + 1, 4, w4, 8);
    }
    sol__free(codes);
    sol__free(cells);
    sol__free(txt);
    sol_values_free(vals);
    return SOL_OK;
}
