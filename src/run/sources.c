/* sources.c - correcting and undoing imports: the sources and their versions listed, a source
 * removed, restored or replaced, an indicator changed after import; each change audited in the
 * transaction that makes it. Shared by the CLI and the server. */
#include <solidata/run_sources.h>

#include <solidata/limits.h>
#include <solidata/privacy.h>

#include "core/core.h"
#include "run_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define N_(s) s

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static const char *who_or_env(const char *who)
{
    return who && *who ? who : sol_run_actor();
}

static char *dump(json_t *j)
{
    char *s = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    return s;
}

/* ---- the sources and their versions -----------------------------------------------------------
 */

typedef struct walk {
    json_t *arr; /* one object per source name, in the order met (newest first) */
    int failed;
} walk;

static json_t *find_name(json_t *arr, const char *name)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (strcmp(json_string_value(json_object_get(v, "name")), name) == 0)
            return v;
    }
    return NULL;
}

static int on_source(void *ud, const sol_source *s)
{
    walk *w = ud;
    json_t *src = find_name(w->arr, s->name);
    if (src == NULL) {
        src = json_pack("{s:s,s:s,s:n,s:s,s:o,s:o,s:I,s:n,s:[]}", "name", s->name, "status",
                        "removed", "current_version", "kind",
                        s->connector && strncmp(s->connector, "ogr:", 4) == 0 ? "areas" : "data",
                        "licence", jstr(s->licence), "attribution", jstr(s->attribution), "rows",
                        (json_int_t)s->rows_written, "imported_by", "versions");
        if (src == NULL || json_array_append_new(w->arr, src) != 0) {
            w->failed = 1;
            return 1;
        }
    }
    int current = s->status && strcmp(s->status, "current") == 0;
    json_t *opts = s->options ? json_loads(s->options, 0, NULL) : NULL;
    json_t *v = json_pack("{s:i,s:s,s:s,s:n,s:I,s:I,s:o,s:o,s:o,s:o,s:o,s:o}", "version",
                          s->version, "status", current ? "current" : "superseded", "imported_at",
                          s->imported_at ? s->imported_at : "", "imported_by", "rows_read",
                          (json_int_t)s->rows_read, "rows_written", (json_int_t)s->rows_written,
                          "connector", jstr(s->connector), "location", jstr(s->location), "licence",
                          jstr(s->licence), "attribution", jstr(s->attribution), "sha256",
                          jstr(s->sha256), "options", opts ? opts : json_null());
    if (v == NULL || json_array_append_new(json_object_get(src, "versions"), v) != 0) {
        w->failed = 1;
        return 1;
    }
    if (current) {
        json_object_set_new(src, "status", json_string("current"));
        json_object_set_new(src, "current_version", json_integer(s->version));
        json_object_set_new(src, "licence", jstr(s->licence));
        json_object_set_new(src, "attribution", jstr(s->attribution));
        json_object_set_new(src, "rows", json_integer((json_int_t)s->rows_written));
    }
    return 0;
}

/* who imported each version: the author of its import's audit row */
static int on_import_audit(void *ud, const sol_audit_row *a)
{
    walk *w = ud;
    if (a->detail == NULL || a->who == NULL ||
        (strcmp(a->action, "import.data") != 0 && strcmp(a->action, "import.areas") != 0 &&
         strcmp(a->action, "source.replace") != 0))
        return 0;
    json_t *d = json_loads(a->detail, 0, NULL);
    const char *name = json_string_value(json_object_get(d, "source"));
    json_int_t version = json_integer_value(json_object_get(d, "version"));
    json_t *src = name ? find_name(w->arr, name) : NULL;
    size_t i;
    json_t *v;
    json_array_foreach(src ? json_object_get(src, "versions") : NULL, i, v)
    {
        if (json_integer_value(json_object_get(v, "version")) == version &&
            json_is_null(json_object_get(v, "imported_by")))
            json_object_set_new(v, "imported_by", json_string(a->who));
    }
    json_decref(d);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "name")),
                  json_string_value(json_object_get(*(json_t *const *)b, "name")));
}

/* Every source, sorted by name, each with its versions newest first into *out (a new array). */
static sol_status collect(sol_store *st, json_t **out, sol_error *err)
{
    walk w = {.arr = json_array()};
    if (w.arr == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol_status rc = sol_store_sources(st, on_source, &w, err);
    if (rc == SOL_OK)
        rc = sol_store_audit(st, 0, on_import_audit, &w, err);
    if (rc == SOL_OK && w.failed)
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
    size_t n = json_array_size(w.arr);
    json_t **v = rc == SOL_OK && n ? malloc(n * sizeof *v) : NULL;
    if (rc == SOL_OK && n && v == NULL)
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
    if (rc != SOL_OK) {
        json_decref(w.arr);
        return rc;
    }
    json_t *sorted = json_array();
    for (size_t i = 0; i < n; i++)
        v[i] = json_array_get(w.arr, i);
    if (n)
        qsort(v, n, sizeof *v, by_name);
    for (size_t i = 0; i < n; i++) {
        json_t *src = v[i];
        json_t *vers = json_object_get(src, "versions");
        /* no version current: the last one was removed */
        if (json_is_null(json_object_get(src, "current_version")))
            json_object_set_new(json_array_get(vers, 0), "status", json_string("removed"));
        json_object_set(src, "imported_by",
                        json_object_get(json_array_get(vers, 0), "imported_by"));
        json_array_append(sorted, src);
    }
    free(v);
    json_decref(w.arr);
    *out = sorted;
    return SOL_OK;
}

/* ---- an unknown name, and the close ones ------------------------------------------------------
 */

static size_t distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na > 64 || nb > 64)
        return (size_t)-1;
    size_t row[65];
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t ca = (unsigned char)a[i - 1], cb = (unsigned char)b[j - 1];
            if (ca >= 'A' && ca <= 'Z')
                ca += 32;
            if (cb >= 'A' && cb <= 'Z')
                cb += 32;
            size_t best = diag + (ca != cb);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

/* SOL_ENOTFOUND naming the close names among `names` (an array of objects with "name") */
static sol_status unknown_source(json_t *names, const char *name, sol_error *err)
{
    char close[512] = "";
    size_t used = 0, i, n = strlen(name);
    json_t *v;
    json_array_foreach(names, i, v)
    {
        const char *s = json_string_value(json_object_get(v, "name"));
        size_t d = distance(name, s);
        int near = d <= (n < 6 ? 2 : n / 3) || (n >= 3 && strstr(s, name) != NULL);
        if (!near || used + strlen(s) + 5 >= sizeof close)
            continue;
        used += (size_t)snprintf(close + used, sizeof close - used, "%s'%s'", used ? ", " : "", s);
    }
    if (used)
        return sol__err(err, SOL_ENOTFOUND, "no source '%s' in the store; did you mean %s?", name,
                        close);
    return sol__err(err, SOL_ENOTFOUND,
                    "no source '%s' in the store; 'solidata source list' lists the sources", name);
}

/* The source called `name` among all (a borrowed reference into `all`), or SOL_ENOTFOUND. */
static sol_status find_source(json_t *all, const char *name, json_t **src, sol_error *err)
{
    *src = name ? find_name(all, name) : NULL;
    return *src ? SOL_OK : unknown_source(all, name ? name : "", err);
}

/* ---- what depends on a source ---------------------------------------------------------------- */

typedef struct deps {
    const char *name;
    json_t *runs, *indicators;
} deps;

/* Does `j` hold, anywhere, a "sources" array naming `name`? */
static int names_source(json_t *j, const char *name)
{
    if (json_is_object(j)) {
        const char *k;
        json_t *v;
        json_object_foreach(j, k, v)
        {
            if (strcmp(k, "sources") == 0 && json_is_array(v)) {
                size_t i;
                json_t *e;
                json_array_foreach(v, i, e)
                {
                    const char *s = json_is_string(e)
                                        ? json_string_value(e)
                                        : json_string_value(json_object_get(e, "name"));
                    if (s && strcmp(s, name) == 0)
                        return 1;
                }
            } else if (names_source(v, name))
                return 1;
        }
    } else if (json_is_array(j)) {
        size_t i;
        json_t *e;
        json_array_foreach(j, i, e)
        {
            if (names_source(e, name))
                return 1;
        }
    }
    return 0;
}

static int on_run(void *ud, const sol_run *r)
{
    deps *d = ud;
    json_t *card = r->method_card ? json_loads(r->method_card, 0, NULL) : NULL;
    json_t *spec = r->spec ? json_loads(r->spec, 0, NULL) : NULL;
    if (names_source(card, d->name) || names_source(spec, d->name))
        json_array_append_new(d->runs, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)r->id, "kind",
                                                 r->kind ? r->kind : "", "created_at",
                                                 r->created_at ? r->created_at : ""));
    json_decref(card);
    json_decref(spec);
    return 0;
}

static int on_derived(void *ud, const char *code)
{
    deps *d = ud;
    json_array_append_new(d->indicators, json_string(code));
    return 0;
}

/* {"runs": [...], "indicators": [...]} of source `name` into *out (a new reference) */
static sol_status dependants(sol_store *st, const char *name, json_t **out, sol_error *err)
{
    deps d = {.name = name, .runs = json_array(), .indicators = json_array()};
    sol_status rc = d.runs && d.indicators ? SOL_OK : sol__err(err, SOL_ENOMEM, "out of memory");
    if (rc == SOL_OK)
        rc = sol_store_runs(st, NULL, 0, on_run, &d, err);
    if (rc == SOL_OK)
        rc = sol_store_source_derived(st, name, on_derived, &d, err);
    json_t *j =
        rc == SOL_OK ? json_pack("{s:o,s:o}", "runs", d.runs, "indicators", d.indicators) : NULL;
    if (j == NULL) {
        if (rc == SOL_OK) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            return rc; /* json_pack's "o" released both */
        }
        json_decref(d.runs);
        json_decref(d.indicators);
        return rc;
    }
    *out = j;
    return SOL_OK;
}

/* ---- the audit rows of one source or indicator ------------------------------------------------
 */

typedef struct audit_pick {
    const char *key, *value; /* detail[key] == value */
    const char *const *actions;
    json_t *arr;
} audit_pick;

static int on_audit_pick(void *ud, const sol_audit_row *a)
{
    audit_pick *p = ud;
    int wanted = 0;
    for (const char *const *x = p->actions; *x; x++)
        wanted |= strcmp(a->action, *x) == 0;
    if (!wanted || a->detail == NULL)
        return 0;
    json_t *d = json_loads(a->detail, 0, NULL);
    const char *v = json_string_value(json_object_get(d, p->key));
    if (v == NULL || strcmp(v, p->value) != 0) {
        json_decref(d);
        return 0;
    }
    /* newest first from the store: insert at the front for oldest first */
    json_array_insert_new(p->arr, 0,
                          json_pack("{s:I,s:s,s:o,s:s,s:o}", "id", (json_int_t)a->id, "at", a->at,
                                    "who", jstr(a->who), "action", a->action, "detail", d));
    return 0;
}

static sol_status audit_rows(sol_store *st, const char *key, const char *value,
                             const char *const *actions, json_t **out, sol_error *err)
{
    audit_pick p = {.key = key, .value = value, .actions = actions, .arr = json_array()};
    if (p.arr == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol_status rc = sol_store_audit(st, 0, on_audit_pick, &p, err);
    if (rc != SOL_OK) {
        json_decref(p.arr);
        return rc;
    }
    *out = p.arr;
    return SOL_OK;
}

/* ---- listing and showing ----------------------------------------------------------------------
 */

sol_status sol_run_sources_json(sol_store *st, const char *name, char **out, sol_error *err)
{
    static const char *const ACTIONS[] = {"import.data",
                                          "import.areas",
                                          "import.settings",
                                          "source.replace",
                                          "source.remove",
                                          "source.restore",
                                          NULL};
    json_t *all = NULL, *src = NULL, *audit = NULL, *dep = NULL;
    sol_status rc = collect(st, &all, err);
    if (rc != SOL_OK)
        return rc;
    json_t *j;
    if (name == NULL) {
        j = json_pack("{s:o}", "sources", all);
    } else {
        if ((rc = find_source(all, name, &src, err)) != SOL_OK ||
            (rc = audit_rows(st, "source", name, ACTIONS, &audit, err)) != SOL_OK ||
            (rc = dependants(st, name, &dep, err)) != SOL_OK) {
            json_decref(all);
            json_decref(audit);
            return rc;
        }
        j = json_deep_copy(src);
        json_decref(all);
        if (j) {
            json_object_set_new(j, "audit", audit);
            json_object_set_new(j, "depends", dep);
        } else {
            json_decref(audit);
            json_decref(dep);
        }
    }
    char *s = dump(j);
    if (s == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    *out = s;
    return SOL_OK;
}

static int put(sol_run_write_fn w, void *ud, const char *s, int last)
{
    int r = 0;
    int quote = s && strpbrk(s, ",\"\n\r") != NULL;
    if (quote) {
        r |= w(ud, "\"", 1);
        for (const char *p = s; *p && r == 0; p++)
            r |= *p == '"' ? w(ud, "\"\"", 2) : w(ud, p, 1);
        r |= w(ud, "\"", 1);
    } else if (s) {
        r |= w(ud, s, strlen(s));
    }
    return r | w(ud, last ? "\n" : ",", 1);
}

sol_status sol_run_sources_csv(sol_store *st, sol_run_write_fn w, void *ud, sol_error *err)
{
    json_t *all = NULL;
    sol_status rc = collect(st, &all, err);
    if (rc != SOL_OK)
        return rc;
    static const char HEAD[] =
        "name,version,status,imported_at,imported_by,rows,licence,attribution,kind\n";
    int bad = w(ud, HEAD, sizeof HEAD - 1);
    size_t i, k;
    json_t *src, *v;
    json_array_foreach(all, i, src)
    {
        json_array_foreach(json_object_get(src, "versions"), k, v)
        {
            char num[32], rows[32];
            snprintf(num, sizeof num, "%lld",
                     (long long)json_integer_value(json_object_get(v, "version")));
            snprintf(rows, sizeof rows, "%lld",
                     (long long)json_integer_value(json_object_get(v, "rows_written")));
            bad |= put(w, ud, json_string_value(json_object_get(src, "name")), 0) |
                   put(w, ud, num, 0) |
                   put(w, ud, json_string_value(json_object_get(v, "status")), 0) |
                   put(w, ud, json_string_value(json_object_get(v, "imported_at")), 0) |
                   put(w, ud, json_string_value(json_object_get(v, "imported_by")), 0) |
                   put(w, ud, rows, 0) |
                   put(w, ud, json_string_value(json_object_get(v, "licence")), 0) |
                   put(w, ud, json_string_value(json_object_get(v, "attribution")), 0) |
                   put(w, ud, json_string_value(json_object_get(src, "kind")), 1);
        }
    }
    json_decref(all);
    return bad ? sol__err(err, SOL_EIO, "cannot write the list of sources") : SOL_OK;
}

/* ---- remove, restore, replace -----------------------------------------------------------------
 */

void sol_source_change_clear(sol_source_change *c)
{
    if (c == NULL)
        return;
    free(c->depends);
    memset(c, 0, sizeof *c);
}

/* The source must exist (any status): SOL_ENOTFOUND with close names otherwise. */
static sol_status need_source(sol_store *st, const char *name, sol_error *err)
{
    json_t *all = NULL, *src;
    sol_status rc = collect(st, &all, err);
    if (rc == SOL_OK)
        rc = find_source(all, name, &src, err);
    json_decref(all);
    return rc;
}

static sol_status audit_json(sol_store *st, const char *who, const char *action, json_t *detail,
                             sol_error *err)
{
    char *d = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    if (d == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol_status rc = sol_store_audit_append(st, who_or_env(who), action, d, err);
    free(d);
    return rc;
}

sol_status sol_run_source_remove(sol_store *st, const char *name, const char *who,
                                 sol_source_change *out, sol_error *err)
{
    memset(out, 0, sizeof *out);
    sol_error_clear(err);
    sol_status rc = need_source(st, name, err);
    if (rc != SOL_OK)
        return rc;
    json_t *dep = NULL, *detail = NULL;
    if ((rc = dependants(st, name, &dep, err)) != SOL_OK)
        return rc;
    if ((rc = sol_store_begin(st, err)) != SOL_OK) {
        json_decref(dep);
        return rc;
    }
    if ((rc = sol_store_source_remove(st, name, &out->version, &out->values, err)) != SOL_OK ||
        (rc = sol_disclosure_refresh(st, &out->suppressed_primary, &out->suppressed_secondary,
                                     err)) != SOL_OK)
        goto fail;
    detail = json_pack("{s:s,s:i,s:I,s:O,s:I,s:I}", "source", name, "version", out->version,
                       "values_removed", (json_int_t)out->values, "depends", dep,
                       "suppressed_primary", (json_int_t)out->suppressed_primary,
                       "suppressed_secondary", (json_int_t)out->suppressed_secondary);
    if ((rc = audit_json(st, who, "source.remove", detail, err)) != SOL_OK ||
        (rc = sol_store_commit(st, err)) != SOL_OK)
        goto fail;
    out->n_runs = json_array_size(json_object_get(dep, "runs"));
    out->n_indicators = json_array_size(json_object_get(dep, "indicators"));
    out->depends = json_dumps(dep, JSON_COMPACT);
    json_decref(dep);
    json_decref(detail);
    return SOL_OK;
fail:
    sol_store_rollback(st);
    json_decref(dep);
    json_decref(detail);
    memset(out, 0, sizeof *out);
    return rc;
}

sol_status sol_run_source_restore(sol_store *st, const char *name, int version, const char *who,
                                  sol_source_change *out, sol_error *err)
{
    memset(out, 0, sizeof *out);
    sol_error_clear(err);
    sol_status rc = need_source(st, name, err);
    if (rc != SOL_OK)
        return rc;
    json_t *detail = NULL;
    if ((rc = sol_store_begin(st, err)) != SOL_OK)
        return rc;
    if ((rc = sol_store_source_restore(st, name, version, &out->values, err)) != SOL_OK ||
        (rc = sol_disclosure_refresh(st, &out->suppressed_primary, &out->suppressed_secondary,
                                     err)) != SOL_OK)
        goto fail;
    out->version = version;
    detail = json_pack("{s:s,s:i,s:I,s:I,s:I}", "source", name, "version", version,
                       "values_restored", (json_int_t)out->values, "suppressed_primary",
                       (json_int_t)out->suppressed_primary, "suppressed_secondary",
                       (json_int_t)out->suppressed_secondary);
    if ((rc = audit_json(st, who, "source.restore", detail, err)) != SOL_OK ||
        (rc = sol_store_commit(st, err)) != SOL_OK)
        goto fail;
    json_decref(detail);
    return SOL_OK;
fail:
    sol_store_rollback(st);
    json_decref(detail);
    memset(out, 0, sizeof *out);
    return rc;
}

sol_status sol_run_source_replace(sol_store *st, const char *name, const char *path,
                                  sol_import_opts *o, sol_import_report *rep, sol_error *err)
{
    memset(rep, 0, sizeof *rep);
    sol_error_clear(err);
    json_t *all = NULL, *src = NULL;
    sol_status rc = collect(st, &all, err);
    if (rc == SOL_OK)
        rc = find_source(all, name, &src, err);
    if (rc == SOL_OK && strcmp(json_string_value(json_object_get(src, "kind")), "areas") == 0)
        rc = sol__err(err, SOL_EINVAL,
                      "source '%s' is an area layer: import the corrected layer with 'solidata "
                      "import areas FILE --source %s'",
                      name, name);
    if (rc != SOL_OK) {
        json_decref(all);
        return rc;
    }
    /* the licence and attribution of the version replaced, unless given anew */
    char *licence = NULL, *attribution = NULL;
    const char *l = json_string_value(json_object_get(src, "licence"));
    const char *a = json_string_value(json_object_get(src, "attribution"));
    if (o->licence == NULL && l && (licence = strdup(l)) != NULL)
        o->licence = licence;
    if (o->attribution == NULL && a && (attribution = strdup(a)) != NULL)
        o->attribution = attribution;
    json_decref(all);
    o->source_name = name;
    o->replace = 1;
    rc = sol_import_data(st, path, o, rep, err);
    if (licence)
        o->licence = NULL;
    if (attribution)
        o->attribution = NULL;
    free(licence);
    free(attribution);
    return rc;
}

/* ---- indicators -------------------------------------------------------------------------------
 */

typedef struct ind_copy {
    const char *code;
    json_t *j;
} ind_copy;

static const char *polarity_word(int p)
{
    return p > 0 ? "higher_better" : p < 0 ? "lower_better" : "none";
}

static int on_indicator(void *ud, const sol_indicator *i)
{
    ind_copy *c = ud;
    if (strcmp(i->code, c->code) != 0)
        return 0;
    const char *kind = i->kind && strcmp(i->kind, "count") == 0 ? "count"
                       : i->denominator                         ? "rate"
                                                                : "other";
    c->j = json_pack(
        "{s:s,s:o,s:{s:o,s:o,s:o},s:o,s:{s:o,s:o,s:o},s:s,s:o,s:s,s:o,s:o,s:I,s:o,s:o}", "code",
        i->code, "label", jstr(i->label), "labels", "en", jstr(i->labels[SOL_LANG_EN]), "fr",
        jstr(i->labels[SOL_LANG_FR]), "it", jstr(i->labels[SOL_LANG_IT]), "unit", jstr(i->unit),
        "units", "en", jstr(i->units[SOL_LANG_EN]), "fr", jstr(i->units[SOL_LANG_FR]), "it",
        jstr(i->units[SOL_LANG_IT]), "polarity", polarity_word(i->polarity), "dimension",
        jstr(i->dimension), "kind", kind, "numerator", jstr(i->numerator), "denominator",
        jstr(i->denominator), "observations", (json_int_t)i->n_obs, "first_period",
        jstr(i->first_period), "last_period", jstr(i->last_period));
    return 1;
}

/* The indicator as JSON into *out (a new reference): SOL_ENOTFOUND when there is none. */
static sol_status indicator_json(sol_store *st, const char *code, json_t **out, sol_error *err)
{
    ind_copy c = {.code = code};
    sol_status rc = sol_store_indicators(st, on_indicator, &c, err);
    if (rc != SOL_OK)
        return rc;
    if (c.j == NULL)
        return sol_store_has_indicator(st, code)
                   ? sol__err(err, SOL_ENOMEM, "out of memory")
                   : sol__err(err, SOL_ENOTFOUND,
                              "no indicator '%s' in the store; 'solidata indicators' lists them",
                              code);
    *out = c.j;
    return SOL_OK;
}

sol_status sol_run_indicator_show(sol_store *st, const char *code, char **out, sol_error *err)
{
    static const char *const ACTIONS[] = {"indicator.edit", NULL};
    sol_error_clear(err);
    json_t *j = NULL, *hist = NULL;
    sol_status rc = indicator_json(st, code, &j, err);
    if (rc == SOL_OK && (rc = audit_rows(st, "code", code, ACTIONS, &hist, err)) == SOL_OK)
        json_object_set_new(j, "history", hist);
    if (rc != SOL_OK) {
        json_decref(j);
        return rc;
    }
    char *s = dump(j);
    if (s == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    *out = s;
    return SOL_OK;
}

/* A text given for a field: at most SOL_MAX_LABEL bytes, no control character. */
static sol_status check_text(const char *option, const char *v, sol_error *err)
{
    if (v == NULL)
        return SOL_OK;
    if (strlen(v) > SOL_MAX_LABEL)
        return sol__run_job_error(err, option, "is longer than %u bytes", SOL_MAX_LABEL);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return sol__run_job_error(err, option,
                                      "holds a control character (a line break or a tab?): "
                                      "give it on one line");
    return SOL_OK;
}

/* Record a change of `field` from old (a JSON value in `cur`) to `v` (NULL: not asked) */
static void changed(json_t *changes, json_t *cur, const char *field, const char *v)
{
    if (v == NULL)
        return;
    json_t *old = json_object_get(cur, field);
    json_t *now = *v ? json_string(v) : json_null();
    if (json_equal(old, now)) {
        json_decref(now);
        return;
    }
    json_object_set_new(changes, field,
                        json_pack("{s:O,s:o}", "old", old ? old : json_null(), "new", now));
}

sol_status sol_run_indicator_edit(sol_store *st, const char *code, const sol_indicator_change *c,
                                  const char *who, char **out, sol_error *err)
{
    sol_error_clear(err);
    sol_status rc;
    if (c->label == NULL && c->label_en == NULL && c->label_fr == NULL && c->label_it == NULL &&
        c->unit == NULL && c->dimension == NULL && c->polarity == NULL && c->kind == NULL)
        return sol__err(err, SOL_EINVAL,
                        "nothing to change: give a label, a unit, a polarity, a dimension or a "
                        "kind");
    if ((rc = check_text("--label", c->label, err)) != SOL_OK ||
        (rc = check_text("--label-en", c->label_en, err)) != SOL_OK ||
        (rc = check_text("--label-fr", c->label_fr, err)) != SOL_OK ||
        (rc = check_text("--label-it", c->label_it, err)) != SOL_OK ||
        (rc = check_text("--unit", c->unit, err)) != SOL_OK ||
        (rc = check_text("--dimension", c->dimension, err)) != SOL_OK)
        return rc;
    sol_indicator_edit e = {
        .label = c->label,
        .labels =
            {[SOL_LANG_EN] = c->label_en, [SOL_LANG_FR] = c->label_fr, [SOL_LANG_IT] = c->label_it},
        .unit = c->unit,
        .dimension = c->dimension};
    if (c->polarity) {
        e.set_polarity = 1;
        if (strcmp(c->polarity, "higher_better") == 0)
            e.polarity = 1;
        else if (strcmp(c->polarity, "lower_better") == 0)
            e.polarity = -1;
        else if (strcmp(c->polarity, "none") == 0)
            e.polarity = 0;
        else
            return sol__run_job_error(err, "--polarity",
                                      "'%s': expected higher_better, lower_better or none",
                                      c->polarity);
    }
    int want_count = -1;
    if (c->kind) {
        if (strcmp(c->kind, "count") == 0)
            want_count = 1;
        else if (strcmp(c->kind, "rate") == 0 || strcmp(c->kind, "other") == 0)
            want_count = 0;
        else
            return sol__run_job_error(err, "--kind", "'%s': expected count, rate or other",
                                      c->kind);
    }
    json_t *cur = NULL, *changes = json_object(), *res = NULL;
    if (changes == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    int own = 0;
    if ((rc = indicator_json(st, code, &cur, err)) != SOL_OK)
        goto fail;
    /* what changes, old and new */
    json_t *labels = json_object_get(cur, "labels");
    json_object_set(cur, "label_en", json_object_get(labels, "en"));
    json_object_set(cur, "label_fr", json_object_get(labels, "fr"));
    json_object_set(cur, "label_it", json_object_get(labels, "it"));
    changed(changes, cur, "label", c->label);
    changed(changes, cur, "label_en", c->label_en);
    changed(changes, cur, "label_fr", c->label_fr);
    changed(changes, cur, "label_it", c->label_it);
    changed(changes, cur, "unit", c->unit);
    changed(changes, cur, "dimension", c->dimension);
    changed(changes, cur, "polarity", c->polarity);
    const char *old_kind = json_string_value(json_object_get(cur, "kind"));
    int was_count = old_kind && strcmp(old_kind, "count") == 0;
    if (want_count >= 0 && want_count != was_count)
        json_object_set_new(changes, "kind",
                            json_pack("{s:s,s:s}", "old", old_kind, "new", c->kind));
    int64_t prim = 0, sec = 0;
    if (json_object_size(changes) > 0) {
        if ((rc = sol_store_join(st, &own, err)) != SOL_OK)
            goto fail;
        json_t *detail = NULL;
        if ((rc = sol_store_indicator_edit(st, code, &e, err)) == SOL_OK && want_count >= 0 &&
            want_count != was_count &&
            (rc = sol_disclosure_count_indicator(st, code, want_count, err)) == SOL_OK)
            rc = sol_disclosure_refresh(st, &prim, &sec, err);
        if (rc == SOL_OK) {
            detail = json_pack("{s:s,s:O}", "code", code, "changed", changes);
            if (detail && json_object_get(changes, "kind")) {
                json_object_set_new(detail, "suppressed_primary", json_integer(prim));
                json_object_set_new(detail, "suppressed_secondary", json_integer(sec));
            }
            rc = audit_json(st, who, "indicator.edit", detail, err);
        }
        json_decref(detail);
        rc = sol_store_leave(st, own, rc, err);
        own = 0;
        if (rc != SOL_OK)
            goto fail;
    }
    res = json_pack("{s:s,s:O,s:I,s:I}", "code", code, "changed", changes, "suppressed_primary",
                    (json_int_t)prim, "suppressed_secondary", (json_int_t)sec);
    if (out) {
        char *s = dump(res);
        res = NULL;
        if (s == NULL) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto fail; /* the change is committed; only the report is lost */
        }
        *out = s;
    }
    json_decref(res);
    json_decref(cur);
    json_decref(changes);
    return SOL_OK;
fail:
    json_decref(res);
    json_decref(cur);
    json_decref(changes);
    return rc;
}
