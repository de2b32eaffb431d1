/* file.c - the ledger file anyone can verify: written from a ledger in memory, read back with
 * every key and type checked (docs/ledger.md describes the format). */
#include <solidata/ledger.h>

#include "core/core.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

static const char *const KIND[] = {"", "donation", "expenditure", "reversal"};

static json_t *decl_json(const sol_ledger_decl *d)
{
    json_t *o = json_object();
    json_object_set_new(o, "format", json_string(SOL_LEDGER_FORMAT));
    json_object_set_new(o, "name", json_string(d->name));
    json_object_set_new(o, "kind", json_string(d->kind));
    json_object_set_new(o, "objective", json_string(d->objective));
    json_object_set_new(o, "currency", json_string(d->currency));
    if (d->budget_cents >= 0)
        json_object_set_new(o, "budget_cents", json_integer(d->budget_cents));
    if (d->starts[0])
        json_object_set_new(o, "starts", json_string(d->starts));
    if (d->ends[0])
        json_object_set_new(o, "ends", json_string(d->ends));
    json_object_set_new(o, "created_at", json_string(d->created_at));
    return o;
}

static json_t *entry_body_json(const sol_ledger_entry *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "seq", json_integer(e->seq));
    json_object_set_new(o, "kind", json_string(KIND[e->kind]));
    json_object_set_new(o, "date", json_string(e->date));
    if (e->kind == SOL_LEDGER_REVERSAL) {
        json_object_set_new(o, "reverses", json_integer(e->reverses));
        json_object_set_new(o, "why", json_string(e->why));
        return o;
    }
    json_object_set_new(o, "amount_cents", json_integer(e->amount_cents));
    json_object_set_new(o, "currency", json_string(e->currency));
    if (e->rate_ppm > 0)
        json_object_set_new(o, "rate_ppm", json_integer(e->rate_ppm));
    if (e->kind == SOL_LEDGER_DONATION) {
        json_object_set_new(o, "channel", json_string(e->channel));
        json_object_set_new(o, "donor", json_string(e->donor));
    } else {
        json_object_set_new(o, "category", json_string(e->category));
        json_object_set_new(o, "what", json_string(e->what));
    }
    return o;
}

sol_status sol_ledger_write_json(const sol_ledger *l, char **out, sol_error *err)
{
    char *body = NULL;
    sol_status rc = sol_ledger_decl_body(&l->decl, &body, err);
    if (rc != SOL_OK)
        return rc;
    char genesis[65];
    sol_ledger_hash(NULL, body, strlen(body), genesis);
    sol__free(body);
    json_t *root = json_object(), *entries = json_array(), *sigs = json_array();
    if (root == NULL || entries == NULL || sigs == NULL) {
        json_decref(root);
        json_decref(entries);
        json_decref(sigs);
        return sol__err(err, SOL_ENOMEM, "out of memory writing the ledger");
    }
    json_object_set_new(root, "format", json_string(SOL_LEDGER_FORMAT));
    json_object_set_new(root, "campaign", decl_json(&l->decl));
    json_object_set_new(root, "genesis", json_string(genesis));
    json_object_set_new(root, "public_key", json_string(l->public_key));
    for (size_t i = 0; i < l->n; i++) {
        json_t *x = json_object();
        json_object_set_new(x, "body", entry_body_json(&l->e[i]));
        json_object_set_new(x, "prev_hash", json_string(l->e[i].prev_hash));
        json_object_set_new(x, "hash", json_string(l->e[i].hash));
        json_array_append_new(entries, x);
    }
    json_object_set_new(root, "entries", entries);
    for (size_t k = 0; k < l->n_sig; k++) {
        const sol_ledger_sig *s = &l->sig[k];
        json_t *x = json_object();
        json_object_set_new(x, "seq", json_integer(s->seq));
        json_object_set_new(x, "head_hash", json_string(s->head_hash));
        json_object_set_new(x, "public_key", json_string(s->public_key));
        json_object_set_new(x, "signature", json_string(s->signature));
        json_object_set_new(x, "at", json_string(s->at));
        json_array_append_new(sigs, x);
    }
    json_object_set_new(root, "signatures", sigs);
    sol_ledger_totals t;
    sol_ledger_totals_compute(l, &t);
    json_t *tot = json_object();
    json_object_set_new(tot, "donations_cents", json_integer(t.donations_cents));
    json_object_set_new(tot, "objective_cents", json_integer(t.objective_cents));
    json_object_set_new(tot, "running_cents", json_integer(t.running_cents));
    json_object_set_new(tot, "balance_cents", json_integer(t.balance_cents));
    json_object_set_new(tot, "note", json_string("informative: recomputed by every verifier"));
    json_object_set_new(root, "totals", tot);
    char *s = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
    json_decref(root);
    if (s == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory writing the ledger");
    *out = sol__strdup(s);
    free(s);
    return *out ? SOL_OK : sol__err(err, SOL_ENOMEM, "out of memory writing the ledger");
}

/* ---- reading ------------------------------------------------------------------------------ */

typedef struct rd {
    const char *path;
    char where[64];
    sol_error *err;
} rd;

static sol_status perr(rd *r, const char *what)
{
    return sol__err_at(r->err, SOL_EPARSE, r->path, 0, 0, "%s%s%s", r->where,
                       r->where[0] ? ": " : "", what);
}

/* A string member copied into buf (n bytes): required unless opt. */
static sol_status get_str(rd *r, json_t *o, const char *key, char *buf, size_t n, int opt)
{
    json_t *v = json_object_get(o, key);
    buf[0] = '\0';
    if (v == NULL && opt)
        return SOL_OK;
    if (!json_is_string(v)) {
        char m[160];
        snprintf(m, sizeof m, "'%s' must be a string", key);
        return perr(r, m);
    }
    if (json_string_length(v) >= n) {
        char m[160];
        snprintf(m, sizeof m, "'%s' is too long", key);
        return perr(r, m);
    }
    memcpy(buf, json_string_value(v), json_string_length(v) + 1);
    return SOL_OK;
}

static sol_status get_int(rd *r, json_t *o, const char *key, int64_t *v, int opt)
{
    json_t *x = json_object_get(o, key);
    if (x == NULL && opt)
        return SOL_OK;
    if (!json_is_integer(x)) {
        char m[160];
        snprintf(m, sizeof m, "'%s' must be an integer", key);
        return perr(r, m);
    }
    *v = (int64_t)json_integer_value(x);
    return SOL_OK;
}

/* Every key of `o` must be one of `known` (so nothing unverified rides along). */
static sol_status only_keys(rd *r, json_t *o, const char *const *known)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        const char *const *p = known;
        while (*p && strcmp(*p, k) != 0)
            p++;
        if (*p == NULL) {
            char m[200];
            snprintf(m, sizeof m, "unknown key '%.100s'", k);
            return perr(r, m);
        }
    }
    return SOL_OK;
}

static sol_status read_entry(rd *r, json_t *x, sol_ledger_entry *e)
{
    static const char *const OUTER[] = {"body", "prev_hash", "hash", NULL};
    static const char *const BODY[] = {"seq",      "kind",    "date",  "amount_cents", "currency",
                                       "rate_ppm", "channel", "donor", "category",     "what",
                                       "reverses", "why",     NULL};
    sol_status rc;
    memset(e, 0, sizeof *e);
    if (!json_is_object(x))
        return perr(r, "an entry must be an object");
    json_t *b = json_object_get(x, "body");
    if (!json_is_object(b))
        return perr(r, "'body' must be an object");
    if ((rc = only_keys(r, x, OUTER)) != SOL_OK || (rc = only_keys(r, b, BODY)) != SOL_OK ||
        (rc = get_str(r, x, "prev_hash", e->prev_hash, sizeof e->prev_hash, 0)) != SOL_OK ||
        (rc = get_str(r, x, "hash", e->hash, sizeof e->hash, 0)) != SOL_OK ||
        (rc = get_int(r, b, "seq", &e->seq, 0)) != SOL_OK ||
        (rc = get_str(r, b, "date", e->date, sizeof e->date, 0)) != SOL_OK)
        return rc;
    char kind[16];
    if ((rc = get_str(r, b, "kind", kind, sizeof kind, 0)) != SOL_OK)
        return rc;
    if (strcmp(kind, "donation") == 0)
        e->kind = SOL_LEDGER_DONATION;
    else if (strcmp(kind, "expenditure") == 0)
        e->kind = SOL_LEDGER_EXPENDITURE;
    else if (strcmp(kind, "reversal") == 0)
        e->kind = SOL_LEDGER_REVERSAL;
    else
        return perr(r, "'kind' must be donation, expenditure or reversal");
    if (e->kind == SOL_LEDGER_REVERSAL) {
        if ((rc = get_int(r, b, "reverses", &e->reverses, 0)) != SOL_OK ||
            (rc = get_str(r, b, "why", e->why, sizeof e->why, 0)) != SOL_OK)
            return rc;
        return SOL_OK;
    }
    if ((rc = get_int(r, b, "amount_cents", &e->amount_cents, 0)) != SOL_OK ||
        (rc = get_str(r, b, "currency", e->currency, sizeof e->currency, 0)) != SOL_OK ||
        (rc = get_int(r, b, "rate_ppm", &e->rate_ppm, 1)) != SOL_OK)
        return rc;
    if (e->kind == SOL_LEDGER_DONATION)
        return (rc = get_str(r, b, "channel", e->channel, sizeof e->channel, 0)) != SOL_OK
                   ? rc
                   : get_str(r, b, "donor", e->donor, sizeof e->donor, 0);
    return (rc = get_str(r, b, "category", e->category, sizeof e->category, 0)) != SOL_OK
               ? rc
               : get_str(r, b, "what", e->what, sizeof e->what, 0);
}

sol_status sol_ledger_read_json(const char *text, size_t len, const char *path, sol_ledger **out,
                                sol_error *err)
{
    static const char *const TOP[] = {"format",  "campaign",   "genesis", "public_key",
                                      "entries", "signatures", "totals",  NULL};
    static const char *const DECL[] = {"format",       "name",   "kind", "objective",  "currency",
                                       "budget_cents", "starts", "ends", "created_at", NULL};
    static const char *const SIG[] = {"seq", "head_hash", "public_key", "signature", "at", NULL};
    if (len > SOL_LEDGER_MAX_FILE)
        return sol__err_at(err, SOL_ELIMIT, path, 0, 0, "a ledger file is at most %u bytes",
                           SOL_LEDGER_MAX_FILE);
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL)
        return sol__err_at(err, SOL_EPARSE, path, (unsigned long)je.line, (unsigned long)je.column,
                           "not JSON: %s", je.text);
    rd r = {path, "", err};
    sol_status rc = SOL_OK;
    sol_ledger *l = sol_ledger_new();
    if (l == NULL) {
        json_decref(root);
        return sol__err(err, SOL_ENOMEM, "out of memory reading the ledger");
    }
    char fmt[32];
    json_t *d = json_object_get(root, "campaign");
    json_t *entries = json_object_get(root, "entries"), *sigs = json_object_get(root, "signatures");
    if (!json_is_object(root)) {
        rc = perr(&r, "a ledger file is a JSON object");
        goto fail;
    }
    if ((rc = only_keys(&r, root, TOP)) != SOL_OK ||
        (rc = get_str(&r, root, "format", fmt, sizeof fmt, 0)) != SOL_OK)
        goto fail;
    if (strcmp(fmt, SOL_LEDGER_FORMAT) != 0) {
        rc = perr(&r, "'format' is not " SOL_LEDGER_FORMAT);
        goto fail;
    }
    if (!json_is_object(d) || !json_is_array(entries) || !json_is_array(sigs)) {
        rc = perr(&r, "'campaign' (an object), 'entries' and 'signatures' (arrays) are required");
        goto fail;
    }
    snprintf(r.where, sizeof r.where, "campaign");
    if ((rc = only_keys(&r, d, DECL)) != SOL_OK ||
        (rc = get_str(&r, d, "name", l->decl.name, sizeof l->decl.name, 0)) != SOL_OK ||
        (rc = get_str(&r, d, "kind", l->decl.kind, sizeof l->decl.kind, 0)) != SOL_OK ||
        (rc = get_str(&r, d, "objective", l->decl.objective, sizeof l->decl.objective, 0)) !=
            SOL_OK ||
        (rc = get_str(&r, d, "currency", l->decl.currency, sizeof l->decl.currency, 0)) != SOL_OK ||
        (rc = get_int(&r, d, "budget_cents", &l->decl.budget_cents, 1)) != SOL_OK ||
        (rc = get_str(&r, d, "starts", l->decl.starts, sizeof l->decl.starts, 1)) != SOL_OK ||
        (rc = get_str(&r, d, "ends", l->decl.ends, sizeof l->decl.ends, 1)) != SOL_OK ||
        (rc = get_str(&r, d, "created_at", l->decl.created_at, sizeof l->decl.created_at, 0)) !=
            SOL_OK)
        goto fail;
    r.where[0] = '\0';
    if ((rc = get_str(&r, root, "public_key", l->public_key, sizeof l->public_key, 0)) != SOL_OK)
        goto fail;
    for (size_t i = 0; i < json_array_size(entries); i++) {
        sol_ledger_entry e;
        snprintf(r.where, sizeof r.where, "entries[%zu]", i);
        if ((rc = read_entry(&r, json_array_get(entries, i), &e)) != SOL_OK)
            goto fail;
        if ((rc = sol_ledger_push(l, &e)) != SOL_OK) {
            rc = sol__err_at(err, rc, path, 0, 0, "too many entries");
            goto fail;
        }
    }
    for (size_t k = 0; k < json_array_size(sigs); k++) {
        sol_ledger_sig s;
        memset(&s, 0, sizeof s);
        json_t *x = json_array_get(sigs, k);
        snprintf(r.where, sizeof r.where, "signatures[%zu]", k);
        if (!json_is_object(x)) {
            rc = perr(&r, "a signature must be an object");
            goto fail;
        }
        if ((rc = only_keys(&r, x, SIG)) != SOL_OK ||
            (rc = get_int(&r, x, "seq", &s.seq, 0)) != SOL_OK ||
            (rc = get_str(&r, x, "head_hash", s.head_hash, sizeof s.head_hash, 0)) != SOL_OK ||
            (rc = get_str(&r, x, "public_key", s.public_key, sizeof s.public_key, 0)) != SOL_OK ||
            (rc = get_str(&r, x, "signature", s.signature, sizeof s.signature, 0)) != SOL_OK ||
            (rc = get_str(&r, x, "at", s.at, sizeof s.at, 1)) != SOL_OK)
            goto fail;
        if ((rc = sol_ledger_push_sig(l, &s)) != SOL_OK) {
            rc = sol__err_at(err, rc, path, 0, 0, "too many signatures");
            goto fail;
        }
    }
    json_decref(root);
    *out = l;
    return SOL_OK;
fail:
    json_decref(root);
    sol_ledger_free(l);
    return rc;
}
