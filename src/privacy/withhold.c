/* withhold.c - the one owner of "withheld stays withheld": which readers see values flagged by
 * disclosure control, which areas hold such values, and the public results computed from them. */
#include <solidata/withhold.h>

#include "core/core.h"

#include <jansson.h>
#include <math.h>
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

/* Only cluster labels and p values leave the hot-spot layer (no local statistics), so a
 * neighbour's published cluster gives no value back. */
sol_status sol_withhold_layers(sol_store *st, char **json, sol_error *err)
{
    json_t *root = json_loads(*json, 0, NULL);
    if (root == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol_status rc = SOL_OK;
    sol_withheld *w = NULL;
    json_t *gone = NULL;
    json_t *hot = json_object_get(root, "hotspots"), *ix = json_object_get(root, "index");
    const char *ind = json_string_value(json_object_get(hot, "indicator"));
    if (ind) {
        if ((rc = sol_withheld_new(&w, err)) != SOL_OK ||
            (rc = sol_withheld_add(w, st, ind, json_string_value(json_object_get(hot, "period")),
                                   err)) != SOL_OK)
            goto done;
        gone = json_object();
        size_t n = drop_areas(json_object_get(hot, "areas"), w, ind, gone);
        if ((rc = say_withheld(hot, n, gone, err)) != SOL_OK)
            goto done;
        json_decref(gone);
        gone = NULL;
        sol_withheld_free(w);
        w = NULL;
    }
    if (json_is_object(ix)) {
        size_t i, n = 0;
        json_t *it;
        if ((rc = sol_withheld_new(&w, err)) != SOL_OK)
            goto done;
        json_array_foreach(json_object_get(ix, "indicators"), i, it)
        {
            const char *code = json_string_value(json_object_get(it, "code"));
            if (code && (rc = sol_withheld_add(w, st, code, NULL, err)) != SOL_OK)
                goto done;
        }
        const char *per;
        json_t *areas;
        gone = json_object();
        json_object_foreach(json_object_get(ix, "areas"), per, areas)
        {
            n += drop_areas(areas, w, NULL, gone);
        }
        if ((rc = say_withheld(ix, n, gone, err)) != SOL_OK)
            goto done;
    }
    rc = replace_text(json, root, JSON_REAL_PRECISION(15), err);
done:
    json_decref(gone);
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

sol_status sol_withhold_alerts(sol_store *st, char **json, sol_error *err)
{
    json_t *root = json_loads(*json, 0, NULL);
    json_t *alerts = json_object_get(root, "alerts"), *a;
    sol_withheld *w = NULL;
    size_t i, n = 0;
    sol_status rc = SOL_OK;
    if (!json_is_array(alerts))
        goto done; /* not an alerts result: nothing to withhold from */
    if ((rc = sol_withheld_new(&w, err)) != SOL_OK)
        goto done;
    json_array_foreach(alerts, i, a)
    {
        const char *ind = json_string_value(json_object_get(a, "indicator"));
        if (ind && (rc = sol_withheld_add(w, st, ind, NULL, err)) != SOL_OK)
            goto done;
    }
    for (i = json_array_size(alerts); i-- > 0;) {
        a = json_array_get(alerts, i);
        const char *ind = json_string_value(json_object_get(a, "indicator"));
        if (ind && sol_withheld_has(w, ind, json_string_value(json_object_get(a, "area")))) {
            json_array_remove(alerts, i);
            n++;
        }
    }
    if (n > 0) { /* full precision: the caller may parse the text again */
        json_object_set_new(root, "withheld", json_integer((json_int_t)n));
        rc = replace_text(json, root, 0, err);
    }
done:
    sol_withheld_free(w);
    json_decref(root);
    return rc;
}
