/* card.c - what the store records, written out or added: a run's method card in plain text in
 * the user's language (labels and the methods' English texts through the catalogues), a card
 * localised as JSON for the dashboard, recorded runs as JSON, and an account added together
 * with its audit entry. */
#include <solidata/run_privacy.h>

#include <solidata/card.h>

#include "core/core.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CARD_TEXT (16u << 20) /* a card's plain text longer than this is refused */

/* ---- labels and texts in the reader's language ----------------------------------------------- */

/* What a person reads for the keys every card has and those methods use most. English labels
 * of the parts every card has say what they hold; the other keys read well as they are in
 * English and get their translation with the context "method card". */
static const char *part_label(sol_lang l, const char *key)
{
    if (strcmp(key, "kind") == 0)
        return sol_lgettext(l, "analysis");
    if (strcmp(key, "method") == 0)
        return sol_lgettext(l, "what was computed");
    if (strcmp(key, "inputs") == 0)
        return sol_lgettext(l, "from what");
    if (strcmp(key, "choices") == 0)
        return sol_lgettext(l, "human choices");
    if (strcmp(key, "who") == 0)
        return sol_lgettext(l, "who");
    if (strcmp(key, "when") == 0)
        return sol_lgettext(l, "when");
    if (strcmp(key, "software") == 0)
        return sol_lgettext(l, "software");
    if (strcmp(key, "privacy") == 0)
        return sol_lpgettext(l, "method card", "privacy");
    return NULL;
}

static const char *key_label(sol_lang l, const char *key)
{
    static const char *const keys[] = {
        /* TRANSLATORS: keys of method cards, shown as labels (snake_case words of English) */
        N_("name"),
        N_("reference"),
        N_("selection"),
        N_("admissible"),
        N_("intervals"),
        N_("short_series"),
        N_("model"),
        N_("horizon"),
        N_("frequency"),
        N_("left_out"),
        N_("seasonal"),
        N_("gaps"),
        N_("fdr"),
        N_("since"),
        N_("direction"),
        N_("indicators"),
        N_("indicator"),
        N_("label"),
        N_("unit"),
        N_("polarity"),
        N_("period"),
        N_("areas"),
        N_("sources"),
        N_("licence"),
        N_("attribution"),
        N_("disclosure_control"),
        N_("inputs_suppressed"),
        N_("result"),
        N_("normalisation"),
        N_("aggregation"),
        N_("missing"),
        N_("outliers"),
        N_("weights"),
        N_("dimensions"),
        N_("warnings"),
        N_("uncertainty"),
        N_("type"),
        N_("penalty"),
        N_("formula"),
        N_("numerator"),
        N_("denominator"),
        N_("per"),
        N_("over_100"),
        N_("helped"),
        N_("need"),
        N_("interval"),
        N_("count"),
        N_("code")};
    const char *p = part_label(l, key);
    if (p != NULL)
        return p;
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (strcmp(key, keys[i]) == 0)
            return sol_lgettext(l, keys[i]);
    return key;
}

const char *sol_card_label(sol_lang l, const char *key)
{
    return key ? key_label(l, key) : "";
}

/* A text the methods wrote in English, translated when the catalogues hold it. */
static const char *text_of(sol_lang l, const char *s)
{
    return s[0] ? sol_lgettext(l, s) : s;
}

/* ---- the method card in plain text ----------------------------------------------------------- */

typedef struct card_text {
    sol_buf b;
    sol_status rc; /* the first failure of an append */
    sol_lang lang;
} card_text;

static void put(card_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(card_text *t, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (t->rc != SOL_OK || n < 0)
        return;
    if ((size_t)n < sizeof small) {
        t->rc = sol__buf_add(&t->b, small, (size_t)n);
        return;
    }
    char *big = sol__malloc((size_t)n + 1);
    if (big == NULL) {
        t->rc = SOL_ENOMEM;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->rc = sol__buf_add(&t->b, big, (size_t)n);
    sol__free(big);
}

static void put_indent(card_text *t, int depth)
{
    for (int i = 0; i < depth; i++)
        put(t, "  ");
}

static int is_scalar(const json_t *v)
{
    return !json_is_object(v) && !json_is_array(v);
}

/* A real as "%.10g" writes it, in English; the same digits with the language's decimal mark
 * (and minus sign) in the others. */
static void put_real(card_text *t, double x)
{
    char raw[40], out[64];
    snprintf(raw, sizeof raw, "%.10g", x);
    const char *dot = strchr(raw, '.');
    if (t->lang == SOL_LANG_EN || strpbrk(raw, "eEn") != NULL) {
        put(t, "%s", raw);
        return;
    }
    int dec = dot ? (int)strlen(dot + 1) : 0;
    sol_lang_number(t->lang, x, dec, 0, out, sizeof out);
    put(t, "%s", out);
}

static void put_scalar(card_text *t, const json_t *v)
{
    if (json_is_string(v))
        put(t, "%s", text_of(t->lang, json_string_value(v)));
    else if (json_is_integer(v))
        put(t, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        put_real(t, json_real_value(v));
    else
        put(t, "%s",
            json_is_true(v)    ? sol_lgettext(t->lang, "yes")
            : json_is_false(v) ? sol_lgettext(t->lang, "no")
                               : "-");
}

/* Objects as "key: value" lines, arrays as "- value" lines, nested parts indented. */
static void put_value(card_text *t, const json_t *v, int depth)
{
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)v, k, x)
        {
            put_indent(t, depth);
            put(t, "%s:", key_label(t->lang, k));
            if (is_scalar(x)) {
                put(t, " ");
                put_scalar(t, x);
                put(t, "\n");
            } else if ((json_is_array(x) && json_array_size(x) == 0) ||
                       (json_is_object(x) && json_object_size(x) == 0)) {
                put(t, " %s\n", sol_lpgettext(t->lang, "method card", "none"));
            } else {
                put(t, "\n");
                put_value(t, x, depth + 1);
            }
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            put_indent(t, depth);
            put(t, "- ");
            if (is_scalar(x)) {
                put_scalar(t, x);
                put(t, "\n");
            } else {
                put(t, "\n");
                put_value(t, x, depth + 1);
            }
        }
    } else {
        put_indent(t, depth);
        put_scalar(t, v);
        put(t, "\n");
    }
}

static int on_card(void *ud, const sol_run *r)
{
    card_text *t = ud;
    sol_lang l = t->lang;
    put(t, sol_lgettext(l, "run %lld: %s"), (long long)r->id, r->kind);
    put(t, "\n");
    put(t, sol_lgettext(l, "when: %s"), r->created_at ? r->created_at : "-");
    put(t, "\n");
    put(t, sol_lgettext(l, "who: %s"), r->created_by ? r->created_by : "-");
    put(t, "\n");
    if (r->inputs_sha256) {
        put(t, sol_lgettext(l, "inputs sha256: %s"), r->inputs_sha256);
        put(t, "\n");
    }
    json_t *card = r->method_card ? json_loads(r->method_card, 0, NULL) : NULL;
    if (card == NULL) {
        put(t, "%s\n%s\n", sol_lgettext(l, "method card: (not valid JSON)"),
            r->method_card ? r->method_card : "");
        return 0;
    }
    put(t, "\n%s\n", sol_lgettext(l, "method card"));
    put_value(t, card, 1);
    if (json_object_get(card, "privacy") == NULL)
        put(t, "  %s\n", sol_lgettext(l, "privacy: no disclosure control recorded for this run"));
    json_decref(card);
    return 0;
}

sol_status sol_run_card_write(sol_store *st, int64_t id, sol_write_fn out, void *ud, sol_error *err)
{
    card_text t = {.rc = SOL_OK, .lang = sol_lang_current()};
    sol__buf_init(&t.b, MAX_CARD_TEXT);
    sol_status rc = sol_store_run_get(st, id, on_card, &t, err);
    if (rc == SOL_OK && (rc = t.rc) != SOL_OK)
        sol__err(err, rc, "run %lld: the method card is too large to write", (long long)id);
    if (rc == SOL_OK && t.b.len > 0 && (rc = out(ud, t.b.data, t.b.len)) != SOL_OK)
        sol__err(err, rc, "cannot write the method card");
    sol__buf_free(&t.b);
    return rc;
}

/* ---- the card localised, as JSON ------------------------------------------------------------- */

static json_t *localised(const json_t *v, sol_lang l)
{
    if (json_is_object(v)) {
        json_t *o = json_object();
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)v, k, x)
        {
            json_t *y = localised(x, l);
            if (o == NULL || y == NULL || json_object_set_new(o, key_label(l, k), y) != 0) {
                json_decref(o);
                return NULL;
            }
        }
        return o;
    }
    if (json_is_array(v)) {
        json_t *a = json_array();
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            json_t *y = localised(x, l);
            if (a == NULL || y == NULL || json_array_append_new(a, y) != 0) {
                json_decref(a);
                return NULL;
            }
        }
        return a;
    }
    if (json_is_string(v))
        return json_string(text_of(l, json_string_value(v)));
    return json_deep_copy(v);
}

sol_status sol_card_localise(const char *card_json, sol_lang l, char **out, sol_error *err)
{
    json_t *card = card_json ? json_loads(card_json, 0, NULL) : NULL;
    if (card == NULL)
        return sol__err(err, SOL_EPARSE, "the method card is not valid JSON");
    json_t *loc = localised(card, l);
    json_decref(card);
    char *s =
        loc ? json_dumps(loc, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)) : NULL;
    json_decref(loc);
    if (s == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    *out = s;
    return SOL_OK;
}

/* ---- recorded runs as JSON ------------------------------------------------------------------- */

static json_t *parsed(const char *s)
{
    json_t *j = s ? json_loads(s, 0, NULL) : NULL;
    return j ? j : json_null();
}

static int on_run(void *ud, const sol_run *r)
{
    json_t *j =
        json_pack("{s:I,s:s,s:s,s:s?,s:s?,s:o,s:o}", "id", (json_int_t)r->id, "kind", r->kind,
                  "created_at", r->created_at, "created_by", r->created_by, "inputs_sha256",
                  r->inputs_sha256, "spec", parsed(r->spec), "method_card", parsed(r->method_card));
    if (j && r->result)
        json_object_set_new(j, "result", parsed(r->result));
    json_array_append_new(ud, j);
    return 0;
}

typedef struct sink {
    sol_write_fn out;
    void *ud;
} sink;

static int dump_to_sink(const char *buf, size_t n, void *ud)
{
    const sink *s = ud;
    return s->out(s->ud, buf, n) == SOL_OK ? 0 : -1;
}

sol_status sol_run_runs_write_json(sol_store *st, const char *kind, int64_t id, sol_write_fn out,
                                   void *ud, sol_error *err)
{
    json_t *arr = json_array();
    if (arr == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol_status rc = id > 0 ? sol_store_run_get(st, id, on_run, arr, err)
                           : sol_store_runs(st, kind, 0, on_run, arr, err);
    if (rc == SOL_OK) {
        const json_t *j = id > 0 ? json_array_get(arr, 0) : arr;
        sink s = {out, ud};
        if (j == NULL ||
            json_dump_callback(j, dump_to_sink, &s, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
            out(ud, "\n", 1) != SOL_OK)
            rc = sol__err(err, j == NULL ? SOL_ENOMEM : SOL_EIO, "cannot write the runs");
    }
    json_decref(arr);
    return rc;
}

/* ---- accounts -------------------------------------------------------------------------------- */

sol_status sol_run_account_add(sol_store *st, const char *name, sol_role role, const char *password,
                               size_t password_len, const char *by, const char *via, sol_error *err)
{
    /* the account and its audit entry in one transaction */
    json_t *d = json_pack("{s:s,s:s,s:s?}", "name", name, "role", sol_role_name(role), "via", via);
    char *detail = d ? json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(d);
    if (detail == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol_status rc =
        sol_auth_account_add_audited(st, name, role, password, password_len, by, detail, err);
    free(detail);
    return rc;
}
