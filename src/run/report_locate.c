/* report_locate.c - the atlas' page "Where to place a service": the latest recorded placement
 * (sol_run_locate_latest, so only public values), its map (the areas hosting a chosen site, the
 * areas served, the areas out of reach), a sentence per site, the demand covered and not with
 * the areas not served named, and the curve of what each additional site adds, in words. */
#include "run/report_int.h"

#include <solidata/render.h>
#include <solidata/run_locate.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *model_words(const doc *d, const char *model);

static json_t *area_of(json_t *areas, const char *code)
{
    size_t i;
    json_t *a;
    json_array_foreach(areas, i, a)
    {
        if (strcmp(sol__report_jstr(a, "code"), code) == 0)
            return a;
    }
    return NULL;
}

static int hosts_site(json_t *sites, const char *code)
{
    size_t i;
    json_t *s;
    json_array_foreach(sites, i, s)
    {
        if (strcmp(sol__report_jstr(s, "id"), code) == 0)
            return 1;
    }
    return 0;
}

/* The map: class 0 an area whose centroid is a chosen site, 1 an area served, 2 an area out of
 * reach; areas not in the analysis have no data. */
static sol_status locate_map(sol_store *st, doc *d, json_t *root, sol_error *err)
{
    const char *level = sol__report_jstr(root, "level");
    if (*level == '\0')
        return SOL_OK;
    level_areas la = {.level = level};
    sol_status rc = sol_store_areas(st, 1, sol__report_on_level_area, &la, err);
    int *cls = NULL;
    double *val = NULL;
    char *svg = NULL;
    size_t len = 0;
    if (rc != SOL_OK || la.n == 0)
        goto done;
    cls = sol__calloc(la.n, sizeof *cls);
    val = sol__calloc(la.n, sizeof *val);
    if (la.failed || !cls || !val) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    json_t *areas = json_object_get(root, "areas"), *sites = json_object_get(root, "sites");
    for (size_t i = 0; i < la.n; i++) {
        json_t *a = area_of(areas, la.f[i].code);
        val[i] = a ? sol__report_jdbl(a, "demand") : NAN;
        if (a == NULL)
            cls[i] = -1;
        else if (hosts_site(sites, la.f[i].code))
            cls[i] = 0;
        else
            cls[i] = json_is_string(json_object_get(a, "site")) ? 1 : 2;
    }
    static const uint32_t colour[3] = {0x08519c, 0x9ecae1, 0xfdae6b};
    static const char *const keys[3] = {"site", "served", "uncovered"};
    const char *labels[3] = {sol_lgettext(d->lang, "a chosen site"),
                             sol_lgettext(d->lang, "served by a chosen site"),
                             sol_lgettext(d->lang, "not served")};
    char title[512], src[256];
    snprintf(title, sizeof title, sol_lgettext(d->lang, "Where to place a service: %s"),
             sol__report_jstr(root, "need"));
    snprintf(src, sizeof src, sol_lgettext(d->lang, "solidata run %lld (%s)"),
             (long long)json_integer_value(json_object_get(root, "run")),
             model_words(d, sol__report_jstr(root, "model")));
    sol_map m;
    sol_map_init(&m);
    sol_layer layer = {.n = la.n, .f = la.f};
    m.layer = &layer;
    m.cls = cls;
    m.value = val;
    m.nclasses = 3;
    m.colour = colour;
    m.label = labels;
    m.class_key = keys;
    m.title = title;
    m.legend_title = sol_lgettext(d->lang, "Areas");
    m.source = src;
    m.lang = sol_lang_code(d->lang);
    m.lang_numbers = 1;
    if ((rc = sol_map_svg(&m, &svg, &len, err)) == SOL_OK)
        sol__report_figure(d, svg, len);
    sol_free(svg);
done:
    sol__report_level_areas_free(&la);
    sol__free(cls);
    sol__free(val);
    return rc;
}

static int by_demand_desc(const void *a, const void *b)
{
    double x = sol__report_jdbl(*(json_t *const *)a, "demand"),
           y = sol__report_jdbl(*(json_t *const *)b, "demand");
    return (x < y) - (x > y);
}

/* The areas not served, largest need first, named (at most 20, then a count). */
static void uncovered_words(doc *d, json_t *unc)
{
    size_t n = json_array_size(unc);
    if (n == 0) {
        sol__report_para(d, sol_lgettext(d->lang, "Every area is served."), 11, 0, "p");
        return;
    }
    json_t **v = sol__calloc(n, sizeof *v);
    const char **names = sol__calloc(n, sizeof *names);
    char(*buf)[192] = sol__calloc(n, sizeof *buf);
    if (!v || !names || !buf) {
        d->failed = 1;
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = json_array_get(unc, i);
    qsort(v, n, sizeof *v, by_demand_desc);
    size_t shown = n < 20 ? n : 20;
    for (size_t i = 0; i < shown; i++) {
        const char *nm = sol__report_jstr(v[i], "name");
        char num[64];
        snprintf(buf[i], sizeof buf[i], "%s (%s)", *nm ? nm : sol__report_jstr(v[i], "code"),
                 sol__report_inum(d, sol__report_jdbl(v[i], "demand"), num, sizeof num));
        names[i] = buf[i];
    }
    char list[8192];
    if (shown < n) { /* "A, B, C, and 12 other areas": the last item is the count */
        size_t k = 0;
        list[0] = '\0';
        for (size_t i = 0; i < shown && k < sizeof list; i++)
            k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", i ? ", " : "", names[i]);
    } else
        sol__report_join_list(d, names, shown, list, sizeof list);
    if (shown < n)
        sol__report_sayf(d, 11, 0, "p",
                         sol_lngettext(d->lang,
                                       "Not served, largest need first: %s, and %lu other area.",
                                       "Not served, largest need first: %s, and %lu other areas.",
                                       (unsigned long)(n - shown)),
                         list, (unsigned long)(n - shown));
    else
        sol__report_sayf(d, 11, 0, "p",
                         sol_lgettext(d->lang, "Not served, largest need first: %s."), list);
done:
    sol__free(v);
    sol__free(names);
    sol__free(buf);
}

/* The curve: a sentence on the last site, then a table of what each site adds. */
static void curve_words(doc *d, json_t *root)
{
    json_t *curve = json_object_get(root, "curve"), *pts = json_object_get(curve, "points");
    size_t n = json_array_size(pts);
    if (n == 0)
        return;
    int dist = strcmp(sol__report_jstr(curve, "value"), "demand covered") != 0;
    const char *need = sol__report_jstr(root, "need");
    json_t *last = json_array_get(pts, n - 1);
    char v[64], add[64];
    sol__report_inum(d, sol__report_jdbl(last, "value"), v, sizeof v);
    sol__report_inum(d, fabs(sol__report_jdbl(last, "added")), add, sizeof add);
    unsigned long k = (unsigned long)json_integer_value(json_object_get(last, "sites"));
    if (dist && k < 2)
        sol__report_sayf(d, 11, 0, "p",
                         sol_lgettext(d->lang, "With one site, the total distance travelled, "
                                               "weighted by need, is %s."),
                         v);
    else if (dist)
        sol__report_sayf(
            d, 11, 0, "p",
            sol_lngettext(d->lang,
                          "With %lu site, the total distance travelled, weighted by need, is %s; "
                          "the last site shortens it by %s.",
                          "With %lu sites, the total distance travelled, weighted by need, is %s; "
                          "the last site shortens it by %s.",
                          k),
            k, v, add);
    else if (k < 2)
        sol__report_sayf(d, 11, 0, "p",
                         sol_lgettext(d->lang, "With one site, %s %s are within reach."), v, need);
    else
        sol__report_sayf(d, 11, 0, "p",
                         sol_lngettext(d->lang,
                                       "With %lu site, %s %s are within reach; the last site "
                                       "adds %s.",
                                       "With %lu sites, %s %s are within reach; the last site "
                                       "adds %s.",
                                       k),
                         k, v, need, add);
    if (strcmp(sol__report_jstr(curve, "kind"), "greedy") == 0)
        sol__report_para(d,
                         sol_lgettext(d->lang, "The curve adds one site at a time to the best "
                                               "ones so far: an approximation."),
                         11, 0, "p");
    const char **cells = sol__calloc(3 * (n + 1), sizeof *cells);
    char(*num)[64] = sol__calloc(3 * (n + 1), sizeof *num);
    if (!cells || !num) {
        d->failed = 1;
        goto done;
    }
    cells[0] = sol_lgettext(d->lang, "Sites");
    cells[1] =
        dist ? sol_lgettext(d->lang, "Weighted distance") : sol_lgettext(d->lang, "Within reach");
    cells[2] = dist ? sol_lgettext(d->lang, "Saved by this site")
                    : sol_lgettext(d->lang, "Added by this site");
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(pts, i);
        size_t r = 3 * (i + 1);
        cells[r] = sol__report_inum(d, sol__report_jdbl(p, "sites"), num[r], sizeof num[r]);
        cells[r + 1] =
            sol__report_inum(d, sol__report_jdbl(p, "value"), num[r + 1], sizeof num[r + 1]);
        cells[r + 2] =
            sol__report_inum(d, fabs(sol__report_jdbl(p, "added")), num[r + 2], sizeof num[r + 2]);
    }
    static const double w[3] = {0.2, 0.4, 0.4};
    sol__report_table_fs(d, cells, n + 1, 3, w, 9);
done:
    sol__free(cells);
    sol__free(num);
}

/* The model in words, in the document's language. */
static const char *model_words(const doc *d, const char *model)
{
    if (strcmp(model, "lscp") == 0)
        return sol_lgettext(d->lang, "the fewest sites so that everyone is within reach "
                                     "(location set covering)");
    if (strcmp(model, "pmedian") == 0)
        return sol_lgettext(d->lang, "the shortest distance on average (p-median)");
    if (strcmp(model, "cpmedian") == 0)
        return sol_lgettext(d->lang, "the shortest distance on average within the sites' "
                                     "capacities (capacitated p-median)");
    if (strcmp(model, "budget") == 0)
        return sol_lgettext(d->lang, "the most people within reach for a budget (maximal "
                                     "covering under a budget)");
    return sol_lgettext(d->lang, "the most people within reach of a given number of sites "
                                 "(maximal covering)");
}

sol_status sol__report_locate(sol_store *st, doc *d, sol_error *err)
{
    char *js = NULL;
    sol_status rc = sol_run_locate_latest(st, d->lang, &js, err);
    if (rc != SOL_OK)
        return rc;
    json_t *root = json_loads(js, 0, NULL);
    free(js);
    if (root == NULL || !json_is_integer(json_object_get(root, "run"))) {
        json_decref(root);
        return SOL_OK; /* no placement recorded: no page */
    }
    sol__report_section(d, sol_lgettext(d->lang, "Where to place a service"));
    json_t *sites = json_object_get(root, "sites"), *dem = json_object_get(root, "demand");
    unsigned long ns = (unsigned long)json_array_size(sites);
    char date[128], total[64], cov[64], unc[64], share[64];
    sol__report_date_words(d, sol__report_jstr(root, "created"), date, sizeof date);
    sol__report_sayf(
        d, 11, 0, "p",
        sol_lngettext(d->lang, "The latest placement (run %lld, %s) chose %lu site for %s.",
                      "The latest placement (run %lld, %s) chose %lu sites for %s.", ns),
        (long long)json_integer_value(json_object_get(root, "run")), date, ns,
        sol__report_jstr(root, "need"));
    if (json_is_true(json_object_get(root, "optimal")))
        sol__report_sayf(d, 11, 0, "p",
                         sol_lgettext(d->lang, "Method: %s. No other choice of sites does "
                                               "better (proven optimal)."),
                         model_words(d, sol__report_jstr(root, "model")));
    else
        sol__report_sayf(d, 11, 0, "p",
                         sol_lgettext(d->lang, "Method: %s. The choice is not proven to be the "
                                               "best one (solver: %s)."),
                         model_words(d, sol__report_jstr(root, "model")),
                         sol__report_jstr(root, "status"));
    sol__report_inum(d, sol__report_jdbl(dem, "total"), total, sizeof total);
    sol__report_inum(d, sol__report_jdbl(dem, "covered"), cov, sizeof cov);
    sol__report_inum(d, sol__report_jdbl(dem, "uncovered"), unc, sizeof unc);
    sol_lang_percent(d->lang, 100 * sol__report_jdbl(dem, "covered_share"), 1, share, sizeof share);
    sol__report_sayf(d, 11, 0, "p",
                     sol_lgettext(d->lang, "%s of the %s %s are served (%s); %s are not."), cov,
                     total, sol__report_jstr(root, "need"), share, unc);
    if ((rc = locate_map(st, d, root, err)) != SOL_OK) {
        json_decref(root);
        return rc;
    }
    sol__report_para(d, sol_lgettext(d->lang, "The chosen sites"), 14, 1, "h3");
    size_t i;
    json_t *s;
    json_array_foreach(sites, i, s)
    {
        const char *sent = sol__report_jstr(s, "sentence");
        if (json_is_true(json_object_get(s, "kept")))
            sol__report_sayf(d, 11, 0, "p", sol_lgettext(d->lang, "%s (an existing site, kept)."),
                             sent);
        else
            sol__report_sayf(d, 11, 0, "p", "%s.", sent);
    }
    sol__report_para(d, sol_lgettext(d->lang, "The areas not served"), 14, 1, "h3");
    uncovered_words(d, json_object_get(root, "uncovered"));
    sol__report_para(d, sol_lgettext(d->lang, "What each additional site adds"), 14, 1, "h3");
    curve_words(d, root);
    json_decref(root);
    return SOL_OK;
}
