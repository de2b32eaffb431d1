/* withhold.c - the one owner of "withheld stays withheld": which readers see values flagged by
 * disclosure control, which areas hold such values, and the public results computed from them. */
#include <solidata/withhold.h>

#include "core/core.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- one value ------------------------------------------------------------------------------ */

int sol_withhold_sees(int role)
{
    return role >= SOL_ROLE_ANALYST;
}

int sol_withhold_obs(int flags, int role)
{
    return (flags & SOL_FLAG_SUPPRESSED) != 0 && !sol_withhold_sees(role);
}

size_t sol_withhold_blank(double *values, const unsigned char *withheld, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; withheld && i < n; i++) {
        if (withheld[i]) {
            values[i] = NAN;
            k++;
        }
    }
    return k;
}

/* ---- the areas holding withheld values ------------------------------------------------------- */

/* Keys are "indicator\x1Farea" and "\x1Farea" (any indicator); `asked` holds the
 * "indicator\x1Fperiod" already read. */
struct sol_withheld {
    sol_strmap *pairs;
    sol_strmap *asked;
};

sol_status sol_withheld_new(sol_withheld **out, sol_error *err)
{
    sol_withheld *w = sol__calloc(1, sizeof *w);
    if (w == NULL || (w->pairs = sol__strmap_new(256)) == NULL ||
        (w->asked = sol__strmap_new(16)) == NULL) {
        sol_withheld_free(w);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    *out = w;
    return SOL_OK;
}

void sol_withheld_free(sol_withheld *w)
{
    if (w == NULL)
        return;
    sol__strmap_free(w->pairs);
    sol__strmap_free(w->asked);
    sol__free(w);
}

/* "a\x1Fb" into buf (cap bytes); 0 when it does not fit */
static size_t key2(char *buf, size_t cap, const char *a, const char *b)
{
    size_t na = a ? strlen(a) : 0, nb = strlen(b);
    if (na + nb + 2 > cap)
        return 0;
    if (na)
        memcpy(buf, a, na);
    buf[na] = '\x1F';
    memcpy(buf + na + 1, b, nb + 1);
    return na + 1 + nb;
}

typedef struct adder {
    sol_withheld *w;
    int failed;
} adder;

static int on_obs(void *ud, const sol_obs *o)
{
    adder *a = ud;
    char key[512];
    size_t n;
    if (!(o->flags & SOL_FLAG_SUPPRESSED))
        return 0;
    if ((n = key2(key, sizeof key, o->indicator, o->area)) == 0 ||
        sol__strmap_put(a->w->pairs, key, n, 1) != SOL_OK ||
        (n = key2(key, sizeof key, NULL, o->area)) == 0 ||
        sol__strmap_put(a->w->pairs, key, n, 1) != SOL_OK) {
        a->failed = 1;
        return 1;
    }
    return 0;
}

sol_status sol_withheld_add(sol_withheld *w, sol_store *st, const char *indicator,
                            const char *period, sol_error *err)
{
    char key[512];
    size_t n = key2(key, sizeof key, indicator, period ? period : "");
    int64_t seen;
    if (n == 0)
        return sol__err(err, SOL_ELIMIT, "indicator code too long");
    if (sol__strmap_get(w->asked, key, n, &seen))
        return SOL_OK;
    if (sol_store_has_indicator(st, indicator)) {
        adder a = {w, 0};
        sol_status rc = sol_store_observations(st, indicator, period, on_obs, &a, err);
        if (rc != SOL_OK)
            return rc;
        if (a.failed)
            return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    if (sol__strmap_put(w->asked, key, n, 1) != SOL_OK)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    return SOL_OK;
}

int sol_withheld_has(const sol_withheld *w, const char *indicator, const char *area)
{
    char key[512];
    size_t n = area ? key2(key, sizeof key, indicator, area) : 0;
    int64_t v;
    return n > 0 && sol__strmap_get(w->pairs, key, n, &v);
}

/* ---- results computed from withheld values --------------------------------------------------- */

/* Replace *json by root's text (precision as given); SOL_ENOMEM when it cannot be written. */
static sol_status replace_text(char **json, json_t *root, size_t flags, sol_error *err)
{
    char *out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | flags);
    if (out == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    free(*json);
    *json = out;
    return SOL_OK;
}

/* Remove from `byarea` ({code: ...}) the areas holding a withheld value of `indicator` (NULL:
 * any indicator of the set), noting each in `gone` ({code: true}) when given; returns how many
 * were removed. */
static size_t drop_areas(json_t *byarea, const sol_withheld *w, const char *indicator, json_t *gone)
{
    const char *code;
    json_t *v;
    void *tmp;
    size_t n = 0;
    json_object_foreach_safe(byarea, tmp, code, v)
    {
        if (sol_withheld_has(w, indicator, code)) {
            if (gone)
                json_object_set_new(gone, code, json_true());
            json_object_del(byarea, code);
            n++;
        }
    }
    return n;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "withheld" (how many) and "withheld_areas" (their codes, sorted) on a layer that lost areas */
static sol_status say_withheld(json_t *layer, size_t n, json_t *gone, sol_error *err)
{
    if (n == 0)
        return SOL_OK;
    size_t k = 0, m = json_object_size(gone);
    const char **codes = sol__calloc(m ? m : 1, sizeof *codes);
    if (codes == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    const char *code;
    json_t *v;
    json_object_foreach(gone, code, v)
    {
        codes[k++] = code;
    }
    qsort(codes, k, sizeof *codes, by_text);
    json_t *arr = json_array();
    for (size_t i = 0; i < k; i++)
        json_array_append_new(arr, json_string(codes[i]));
    sol__free(codes);
    json_object_set_new(layer, "withheld", json_integer((json_int_t)n));
    json_object_set_new(layer, "withheld_areas", arr);
    return SOL_OK;
}

/* Does `layer` hold an area of `w` (index layers: {period: {code: ...}}, nested 1)? */
static int holds_withheld(json_t *layer, int nested, const sol_withheld *w, const char *indicator)
{
    const char *per, *code;
    json_t *areas = json_object_get(layer, "areas"), *byarea, *v;
    if (!nested)
        areas = json_pack("{s:O}", "", areas);
    int found = 0;
    json_object_foreach(areas, per, byarea)
    {
        json_object_foreach(byarea, code, v)
        {
            found |= sol_withheld_has(w, indicator, code);
        }
    }
    if (!nested)
        json_decref(areas);
    return found;
}

/* The areas of `full` that `pub` lacks, into `gone` ({code: true}); how many (per period). */
static size_t missing_areas(json_t *full, json_t *pub, int nested, json_t *gone)
{
    const char *per, *code;
    json_t *fa = json_object_get(full, "areas"), *pa = json_object_get(pub, "areas"), *byarea, *v;
    size_t n = 0;
    if (!nested) {
        json_object_foreach(fa, code, v)
        {
            if (json_object_get(pa, code) == NULL &&
                json_object_set_new(gone, code, json_true()) == 0)
                n++;
        }
        return n;
    }
    json_object_foreach(fa, per, byarea)
    {
        json_t *pp = json_object_get(pa, per);
        json_object_foreach(byarea, code, v)
        {
            if (json_object_get(pp, code) == NULL &&
                json_object_set_new(gone, code, json_true()) == 0)
                n++;
        }
    }
    return n;
}

/* Leave out layer `key` of `root`, saying why in root's "withheld_layers". */
static void omit_layer(json_t *root, const char *key, const char *why)
{
    json_t *wl = json_object_get(root, "withheld_layers");
    if (wl == NULL) {
        wl = json_object();
        json_object_set_new(root, "withheld_layers", wl);
    }
    json_object_set_new(wl, key, json_string(why));
    json_object_set_new(root, key, json_null());
}

/* What the public gets of one layer: the public variant of its run when the run had withheld
 * inputs (the analysis computed over the public values only), the layer itself when nothing
 * it holds is withheld, and nothing otherwise. `w` holds the withheld areas of the layer's
 * inputs (`indicator`, NULL: any indicator of the set). */
static sol_status public_layer(json_t *root, const char *key, int nested, const sol_withheld *w,
                               const char *indicator, sol_error *err)
{
    json_t *full = json_object_get(root, key);
    if (!json_is_object(full))
        return SOL_OK;
    json_t *pub = json_incref(json_object_get(full, "public"));
    sol_status rc = SOL_OK;
    if (pub == NULL) {
        if (holds_withheld(full, nested, w, indicator))
            omit_layer(root, key,
                       "the run used values withheld from the public and holds no analysis of "
                       "the public values alone (run it again to compute one)");
        return SOL_OK;
    }
    if (!json_is_object(json_object_get(pub, "areas"))) {
        const char *why = json_string_value(json_object_get(pub, "why"));
        char msg[512];
        snprintf(msg, sizeof msg,
                 "the analysis cannot be computed from the public values alone%s%s",
                 why ? ": " : "", why ? why : "");
        omit_layer(root, key, msg);
    } else if (holds_withheld(pub, nested, w, indicator)) {
        omit_layer(root, key,
                   "values the analysis of the public values used have been withheld since the "
                   "run (run it again)");
    } else {
        json_t *gone = json_object();
        size_t n = missing_areas(full, pub, nested, gone);
        rc = say_withheld(pub, n, gone, err);
        json_decref(gone);
        if (rc == SOL_OK)
            json_object_set(root, key, pub);
    }
    json_decref(pub);
    return rc;
}

/* Only cluster labels and p values leave the hot-spot layer (no local statistics), so a
 * neighbour's published cluster gives no value back; and both layers are the analyses of the
 * public values alone when their runs used withheld ones (public_layer). */
sol_status sol_withhold_layers(sol_store *st, char **json, sol_error *err)
{
    json_t *root = json_loads(*json, 0, NULL);
    if (root == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol_status rc = SOL_OK;
    sol_withheld *w = NULL;
    json_t *hot = json_object_get(root, "hotspots"), *ix = json_object_get(root, "index");
    const char *ind = json_string_value(json_object_get(hot, "indicator"));
    if (ind) {
        if ((rc = sol_withheld_new(&w, err)) != SOL_OK ||
            (rc = sol_withheld_add(w, st, ind, json_string_value(json_object_get(hot, "period")),
                                   err)) != SOL_OK ||
            (rc = public_layer(root, "hotspots", 0, w, ind, err)) != SOL_OK)
            goto done;
        sol_withheld_free(w);
        w = NULL;
    } else if (json_is_object(hot)) {
        omit_layer(root, "hotspots", "the run does not say which indicator it mapped");
    }
    if (json_is_object(ix)) {
        size_t i;
        json_t *it;
        if ((rc = sol_withheld_new(&w, err)) != SOL_OK)
            goto done;
        json_array_foreach(json_object_get(ix, "indicators"), i, it)
        {
            const char *code = json_string_value(json_object_get(it, "code"));
            if (code && (rc = sol_withheld_add(w, st, code, NULL, err)) != SOL_OK)
                goto done;
        }
        if ((rc = public_layer(root, "index", 1, w, NULL, err)) != SOL_OK)
            goto done;
    }
    rc = replace_text(json, root, JSON_REAL_PRECISION(15), err);
done:
    sol_withheld_free(w);
    json_decref(root);
    return rc;
}

sol_status sol_withhold_forecast(sol_store *st, const char *indicator, char **json, sol_error *err)
{
    sol_withheld *w = NULL;
    json_t *root = NULL;
    sol_status rc = sol_withheld_new(&w, err);
    if (rc != SOL_OK || (rc = sol_withheld_add(w, st, indicator, NULL, err)) != SOL_OK)
        goto done;
    if (sol__strmap_count(w->pairs) == 0)
        goto done; /* nothing withheld: the text as it was */
    if ((root = json_loads(*json, 0, NULL)) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    size_t n = drop_areas(json_object_get(root, "areas"), w, indicator, NULL);
    json_object_set_new(root, "withheld", json_integer((json_int_t)n));
    rc = replace_text(json, root, JSON_REAL_PRECISION(15), err);
done:
    json_decref(root);
    sol_withheld_free(w);
    return rc;
}

/* Remove from `alerts` those about an area whose values of that indicator are withheld;
 * returns how many. */
static size_t drop_alerts(json_t *alerts, const sol_withheld *w)
{
    size_t n = 0;
    for (size_t i = json_array_size(alerts); i-- > 0;) {
        json_t *a = json_array_get(alerts, i);
        const char *ind = json_string_value(json_object_get(a, "indicator"));
        if (ind && sol_withheld_has(w, ind, json_string_value(json_object_get(a, "area")))) {
            json_array_remove(alerts, i);
            n++;
        }
    }
    return n;
}

/* Add the indicators of `alerts` to `w`. */
static sol_status add_alert_indicators(sol_withheld *w, sol_store *st, json_t *alerts,
                                       sol_error *err)
{
    size_t i;
    json_t *a;
    json_array_foreach(alerts, i, a)
    {
        const char *ind = json_string_value(json_object_get(a, "indicator"));
        sol_status rc = ind ? sol_withheld_add(w, st, ind, NULL, err) : SOL_OK;
        if (rc != SOL_OK)
            return rc;
    }
    return SOL_OK;
}

/* A run whose tests covered series holding withheld values also holds, under "public", the
 * alerts of the other series with the false discovery rate controlled over their tests alone
 * (src/run/alerts.c): the public gets those. A run without one gets the public nothing when any
 * of its alerts is about a withheld series (the other alerts' q values count those tests). */
sol_status sol_withhold_alerts(sol_store *st, char **json, sol_error *err)
{
    json_t *root = json_loads(*json, 0, NULL);
    json_t *alerts = json_object_get(root, "alerts");
    json_t *pub = json_object_get(root, "public");
    sol_withheld *w = NULL;
    size_t n = 0;
    int changed = 0;
    sol_status rc = SOL_OK;
    if (!json_is_array(alerts))
        goto done; /* not an alerts result: nothing to withhold from */
    if ((rc = sol_withheld_new(&w, err)) != SOL_OK ||
        (rc = add_alert_indicators(w, st, alerts, err)) != SOL_OK)
        goto done;
    n = drop_alerts(alerts, w);
    if (json_is_object(pub) && json_is_array(json_object_get(pub, "alerts"))) {
        json_t *pa = json_object_get(pub, "alerts");
        if ((rc = add_alert_indicators(w, st, pa, err)) != SOL_OK)
            goto done;
        drop_alerts(pa, w); /* withheld since the run */
        json_object_set(root, "alerts", pa);
        json_object_set(root, "tests", json_object_get(pub, "tests"));
        json_object_set(root, "public_note", json_object_get(pub, "note"));
        json_object_del(root, "public");
        changed = 1;
    } else if (n > 0) {
        json_object_set_new(root, "alerts", json_array());
        json_object_set_new(root, "public_note",
                            json_string("this alerts run tested series holding withheld values "
                                        "and holds no alerts computed without them: run the "
                                        "alerts again"));
    }
    if (n > 0) {
        json_object_set_new(root, "withheld", json_integer((json_int_t)n));
        changed = 1;
    }
    if (changed) /* full precision: the caller may parse the text again */
        rc = replace_text(json, root, 0, err);
done:
    sol_withheld_free(w);
    json_decref(root);
    return rc;
}

/* ---- method cards ---------------------------------------------------------------------------- */

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

/* Members that name where a private input lives. */
static int is_location(const char *key)
{
    static const char *const names[] = {"location", "path",         "file", "microdata", "data",
                                        "geo",      "weights_file", "out",  "spec_path"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(key, names[i]) == 0)
            return 1;
    return 0;
}

/* Weights estimated from the values (an index's PCA or factor-analysis weights). */
static int data_weights(json_t *weights)
{
    const char *a = json_string_value(json_object_get(weights, "indicators"));
    const char *b = json_string_value(json_object_get(weights, "dimensions"));
    return (a && (strcmp(a, "pca") == 0 || strcmp(a, "fa") == 0)) ||
           (b && (strcmp(b, "pca") == 0 || strcmp(b, "fa") == 0));
}

/* Remove from `j` (recursively) digests, locations and data-derived weights; returns how many
 * members went. */
static size_t strip_card(json_t *j)
{
    size_t n = 0, i;
    json_t *v;
    if (json_is_array(j)) {
        json_array_foreach(j, i, v)
        {
            n += strip_card(v);
        }
        return n;
    }
    if (!json_is_object(j))
        return 0;
    const char *key;
    void *tmp;
    json_object_foreach_safe(j, tmp, key, v)
    {
        if (ends_with(key, "sha256") || (is_location(key) && json_is_string(v))) {
            json_object_del(j, key);
            n++;
        } else {
            n += strip_card(v);
        }
    }
    if (data_weights(j)) {
        n += json_object_del(j, "indicator_weights") == 0;
        n += json_object_del(j, "dimension_weights") == 0;
    }
    return n;
}

sol_status sol_withhold_card(const char *card_json, int role, char **out, sol_error *err)
{
    char *s = NULL;
    if (sol_withhold_sees(role) && card_json != NULL) {
        s = malloc(strlen(card_json) + 1);
        if (s == NULL)
            return sol__err(err, SOL_ENOMEM, "out of memory");
        memcpy(s, card_json, strlen(card_json) + 1);
        *out = s;
        return SOL_OK;
    }
    json_t *card = card_json ? json_loads(card_json, 0, NULL) : NULL;
    if (!json_is_object(card)) {
        json_decref(card);
        card = json_null();
    } else if (strip_card(card) > 0 &&
               json_object_set_new(card, "withheld_from_public",
                                   json_string(N_("digests of the input values, file locations and "
                                                  "weights estimated from the values are for "
                                                  "analysts: computed over values withheld from "
                                                  "the public, they could give them back"))) != 0) {
        json_decref(card);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    s = json_dumps(card, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    json_decref(card);
    if (s == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    *out = s;
    return SOL_OK;
}

/* ---- licences ---------------------------------------------------------------------------------
 */

/* `text` lower-cased (ASCII letters only: accented letters are compared as written), every run of
 * characters that are neither letters, digits nor UTF-8 bytes made one space, with a space at
 * each end, so that " word " finds whole words and phrases. */
static void licence_words(const char *text, char *buf, size_t cap)
{
    size_t n = 0;
    buf[n++] = ' ';
    for (const unsigned char *p = (const unsigned char *)text; *p && n + 2 < cap; p++) {
        int word = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                   (*p >= '0' && *p <= '9') || *p >= 0x80;
        if (word)
            buf[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
        else if (buf[n - 1] != ' ')
            buf[n++] = ' ';
    }
    if (buf[n - 1] != ' ')
        buf[n++] = ' ';
    buf[n] = '\0';
}

static int has_any(const char *words, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strstr(words, list[i]))
            return 1;
    return 0;
}

sol_licence_kind sol_withhold_licence(const char *licence)
{
    static const char *const forbids[] = {" internal ",
                                          " interne ",
                                          " internes ",
                                          " interno ",
                                          " interna ",
                                          " interni ",
                                          " confidential ",
                                          " confidentiel ",
                                          " confidentielle ",
                                          " confidenziale ",
                                          " riservato ",
                                          " riservata ",
                                          " restricted ",
                                          " not for publication ",
                                          " ne pas publier ",
                                          " non pubblicare ",
                                          " non destiné à la publication ",
                                          NULL};
    static const char *const open[] = {" cc by ",
                                       " cc0 ",
                                       " cc zero ",
                                       " odbl ",
                                       " odc by ",
                                       " pddl ",
                                       " licence ouverte ",
                                       " etalab ",
                                       " iodl ",
                                       " open government licence ",
                                       " open government license ",
                                       " public domain ",
                                       " domaine public ",
                                       " pubblico dominio ",
                                       " réutilisation libre ",
                                       " open data ",
                                       NULL};
    static const char *const restrictions[] = {" nc ", " nd ", NULL};
    char words[1024];
    if (licence == NULL)
        return SOL_LICENCE_NONE;
    licence_words(licence, words, sizeof words);
    if (strcmp(words, " ") == 0)
        return SOL_LICENCE_NONE;
    if (has_any(words, forbids))
        return SOL_LICENCE_FORBIDS;
    if (has_any(words, open) && !has_any(words, restrictions))
        return SOL_LICENCE_OPEN;
    return SOL_LICENCE_CLOSED;
}
