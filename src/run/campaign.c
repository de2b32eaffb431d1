/* campaign.c - campaigns, their signed ledgers and their transparency label, for the CLI and the
 * server alike: checks of what is declared, the chain and signature at each entry, the ledger
 * file, the label's evaluation recorded as a run, and the IATI/360Giving exports. */
#include <solidata/run_campaign.h>

#include "core/core.h"
#include "run_int.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Today as YYYY-MM-DD: $SOLIDATA_TODAY when set (tests and demos replay a date), else UTC. */
static void today(char out[11])
{
    const char *t = getenv("SOLIDATA_TODAY");
    if (t && strlen(t) == 10) {
        memcpy(out, t, 11);
        return;
    }
    char now[32];
    sol__utc_now(now, sizeof now);
    snprintf(out, 11, "%.10s", now);
}

static int is_date(const char *s)
{
    int y, m, d;
    char tail;
    return s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 &&
           s[4] == '-' && s[7] == '-' && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static int name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 128)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return 0;
    }
    return 1;
}

sol_status sol_run_campaign_add(sol_store *st, const sol_campaign_job *j, sol_error *err)
{
    sol_campaign *c = sol__calloc(1, sizeof *c);
    if (c == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol_status rc = SOL_OK;
    int64_t aud = 0;
    if (j->name == NULL || !name_ok(j->name)) {
        rc = sol__run_job_error(err, "NAME",
                                "'%s': a campaign's name is 1 to 128 letters, digits, '-', '_' "
                                "or '.'",
                                j->name ? j->name : "");
        goto done;
    }
    if (j->kind == NULL || (strcmp(j->kind, "event") && strcmp(j->kind, "information") &&
                            strcmp(j->kind, "fundraising"))) {
        rc = sol__run_job_error(err, "--kind", "expected event, information or fundraising");
        goto done;
    }
    if (j->objective == NULL || strlen(j->objective) < 3 ||
        strlen(j->objective) > SOL_LEDGER_TEXT_MAX) {
        rc = sol__run_job_error(err, "--objective",
                                "the objective in words (3 to %u bytes) is required",
                                SOL_LEDGER_TEXT_MAX);
        goto done;
    }
    snprintf(c->name, sizeof c->name, "%s", j->name);
    snprintf(c->kind, sizeof c->kind, "%s", j->kind);
    snprintf(c->objective, sizeof c->objective, "%s", j->objective);
    c->budget_cents = -1;
    if (j->budget && (c->budget_cents = sol_ledger_parse_cents(j->budget)) < 0) {
        rc = sol__run_job_error(err, "--budget", "'%s': expected an amount such as 5000 or 5000.50",
                                j->budget);
        goto done;
    }
    const char *cur = j->currency ? j->currency : "EUR";
    if (strlen(cur) != 3 || cur[0] < 'A' || cur[0] > 'Z' || cur[1] < 'A' || cur[1] > 'Z' ||
        cur[2] < 'A' || cur[2] > 'Z') {
        rc = sol__run_job_error(err, "--currency", "'%s': expected a code such as EUR", cur);
        goto done;
    }
    snprintf(c->currency, sizeof c->currency, "%s", cur);
    if (j->starts && !is_date(j->starts)) {
        rc = sol__run_job_error(err, "--starts", "'%s': expected a date YYYY-MM-DD", j->starts);
        goto done;
    }
    if (j->ends && !is_date(j->ends)) {
        rc = sol__run_job_error(err, "--ends", "'%s': expected a date YYYY-MM-DD", j->ends);
        goto done;
    }
    if (j->starts && j->ends && strcmp(j->starts, j->ends) > 0) {
        rc = sol__run_job_error(err, "--ends", "the campaign ends (%s) before it starts (%s)",
                                j->ends, j->starts);
        goto done;
    }
    snprintf(c->starts, sizeof c->starts, "%s", j->starts ? j->starts : "");
    snprintf(c->ends, sizeof c->ends, "%s", j->ends ? j->ends : "");
    sol_lang l = sol_lang_current();
    if (j->lang && sol_lang_parse(j->lang, &l, NULL) != SOL_OK) {
        rc = sol__run_job_error(err, "--lang", "'%s': expected en, fr or it", j->lang);
        goto done;
    }
    static const char *const LN[] = {"en", "fr", "it"};
    snprintf(c->lang, sizeof c->lang, "%s", LN[l]);
    /* evidence: each item must be in the store */
    json_t *ev = json_array();
    for (size_t i = 0; i < j->n_evidence; i++)
        json_array_append_new(ev, json_string(j->evidence[i]));
    char *evs = json_dumps(ev, JSON_COMPACT);
    json_decref(ev);
    char *facts = NULL;
    if (evs == NULL || strlen(evs) >= sizeof c->evidence) {
        free(evs);
        rc = sol__run_job_error(err, "--evidence", "too many evidence items");
        goto done;
    }
    snprintf(c->evidence, sizeof c->evidence, "%s", evs);
    free(evs);
    if ((rc = sol_store_campaign_evidence(st, c->evidence, SOL_LANG_EN, &facts, err)) != SOL_OK)
        goto done;
    json_t *fa = json_loads(facts, 0, NULL);
    sol__free(facts);
    for (size_t i = 0; i < json_array_size(fa); i++) {
        json_t *o = json_array_get(fa, i);
        const char *type = json_string_value(json_object_get(o, "type"));
        const char *item = json_string_value(json_object_get(o, "item"));
        if (strcmp(type, "indicator") && strcmp(type, "area") && strcmp(type, "run")) {
            rc = sol__run_job_error(err, "--evidence",
                                    "'%s': expected indicator:CODE, area:CODE or run:ID", item);
            json_decref(fa);
            goto done;
        }
        if (!json_is_true(json_object_get(o, "exists"))) {
            rc = sol__err(err, SOL_ENOTFOUND,
                          "evidence '%s' is not in the store (or, for a run, not published); "
                          "'solidata list indicators', 'solidata list areas' and 'solidata runs "
                          "list' show what is",
                          item);
            json_decref(fa);
            goto done;
        }
    }
    json_decref(fa);
    if (j->audience) {
        int pub = 0;
        if ((rc = sol_store_campaign_audience(st, j->audience, &aud, &pub, err)) != SOL_OK)
            goto done;
    }
    char now[32];
    sol__utc_now(now, sizeof now);
    snprintf(c->created_at, sizeof c->created_at, "%.20s", now);
    rc = sol_store_campaign_add(st, c, aud, j->who, NULL, err);
done:
    sol__free(c);
    return rc;
}

static void decl_of(const sol_campaign *c, sol_ledger_decl *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->name, sizeof d->name, "%s", c->name);
    snprintf(d->kind, sizeof d->kind, "%s", c->kind);
    snprintf(d->objective, sizeof d->objective, "%s", c->objective);
    snprintf(d->currency, sizeof d->currency, "%s", c->currency);
    d->budget_cents = c->budget_cents;
    snprintf(d->starts, sizeof d->starts, "%s", c->starts);
    snprintf(d->ends, sizeof d->ends, "%s", c->ends);
    snprintf(d->created_at, sizeof d->created_at, "%s", c->created_at);
}

sol_status sol_run_ledger_load(sol_store *st, const char *name, sol_ledger **out, sol_campaign *cp,
                               sol_error *err)
{
    sol_campaign *c = sol__malloc(sizeof *c);
    sol_ledger *l = sol_ledger_new();
    sol_status rc = SOL_ENOMEM;
    if (c == NULL || l == NULL) {
        sol__err(err, rc, "out of memory");
        goto fail;
    }
    if ((rc = sol_store_campaign_get(st, name, c, err)) != SOL_OK)
        goto fail;
    decl_of(c, &l->decl);
    if ((rc = sol_store_setting_text(st, "ledger.public_key", l->public_key, sizeof l->public_key,
                                     err)) != SOL_OK ||
        (rc = sol_store_ledger_load(st, c->id, l, err)) != SOL_OK)
        goto fail;
    if (cp)
        *cp = *c;
    sol__free(c);
    *out = l;
    return SOL_OK;
fail:
    sol__free(c);
    sol_ledger_free(l);
    return rc;
}

sol_status sol_run_ledger_keygen(sol_store *st, const char *path, int replace, char pk_hex[65],
                                 sol_error *err)
{
    char have[65], sk[129];
    sol_status rc = sol_store_setting_text(st, "ledger.public_key", have, sizeof have, err);
    if (rc != SOL_OK)
        return rc;
    if (have[0] && !replace)
        return sol__err(err, SOL_EDUPLICATE,
                        "the store already has a ledger key (%.16s...); signatures made with it "
                        "would no longer match a new one. Keep the old key, or give --replace",
                        have);
    if ((rc = sol_ledger_keypair(pk_hex, sk, err)) != SOL_OK)
        return rc;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        sodium_memzero(sk, sizeof sk);
        return sol__err_at(err, SOL_EIO, path, 0, 0,
                           errno == EEXIST ? "the file exists: a key is never overwritten"
                                           : "cannot create the key file");
    }
    char line[131];
    snprintf(line, sizeof line, "%s\n", sk);
    sodium_memzero(sk, sizeof sk);
    size_t want = strlen(line);
    ssize_t w = write(fd, line, want);
    sodium_memzero(line, sizeof line);
    if (w != (ssize_t)want || close(fd) != 0) {
        unlink(path);
        return sol__err_at(err, SOL_EIO, path, 0, 0, "cannot write the key file");
    }
    if ((rc = sol_store_setting_text_set(st, "ledger.public_key", pk_hex, NULL, err)) != SOL_OK)
        unlink(path);
    return rc;
}

/* The secret key of `path` (or $SOLIDATA_LEDGER_KEY) into sk (129 bytes); *have 0 when none. */
static sol_status read_key(const char *path, char sk[129], int *have, sol_error *err)
{
    *have = 0;
    if (path == NULL)
        path = getenv("SOLIDATA_LEDGER_KEY");
    if (path == NULL || !*path)
        return SOL_OK;
    char *text = NULL;
    size_t len = 0;
    if (sol__run_read_text(path, 1024, &text, &len) != SOL_OK)
        return sol__err_at(err, SOL_EIO, path, 0, 0, "cannot read the ledger key file");
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
        text[--len] = '\0';
    if (len != 128) {
        sodium_memzero(text, len);
        sol__free(text);
        return sol__err_at(err, SOL_EINVAL, path, 0, 0,
                           "not a ledger secret key (128 hex characters from 'solidata ledger "
                           "keygen')");
    }
    memcpy(sk, text, 129);
    sodium_memzero(text, len);
    sol__free(text);
    *have = 1;
    return SOL_OK;
}

/* Sign with `sk` the chain up to (seq, head), after checking the key is the published one. */
static sol_status make_sig(const char *sk, const char *published, int64_t seq, const char *head,
                           sol_ledger_sig *g, sol_error *err)
{
    memset(g, 0, sizeof *g);
    sol_status rc = sol_ledger_key_public(sk, g->public_key, err);
    if (rc != SOL_OK)
        return rc;
    if (!published[0])
        return sol__err(err, SOL_EINVAL,
                        "the store has no published ledger key: run 'solidata ledger keygen' "
                        "first");
    if (strcmp(published, g->public_key) != 0)
        return sol__err(err, SOL_EINVAL,
                        "this key (public %.16s...) is not the organisation's published ledger "
                        "key (%.16s...): a signature by another key is refused",
                        g->public_key, published);
    g->seq = seq;
    snprintf(g->head_hash, sizeof g->head_hash, "%s", head);
    char now[32];
    sol__utc_now(now, sizeof now);
    snprintf(g->at, sizeof g->at, "%.20s", now);
    return sol_ledger_sign(sk, seq, head, g->signature, err);
}

sol_status sol_run_ledger_add(sol_store *st, const sol_ledger_job *j, int64_t *seq, char *head,
                              sol_error *err)
{
    sol_ledger *l = NULL;
    sol_campaign c;
    char sk[129] = "";
    int have_key = 0;
    char *body = NULL;
    sol_status rc = sol_run_ledger_load(st, j->campaign, &l, &c, err);
    if (rc != SOL_OK)
        return rc;
    if ((rc = read_key(j->key_path, sk, &have_key, err)) != SOL_OK)
        goto done;
    sol_ledger_entry e = j->e;
    e.seq = (int64_t)l->n + 1;
    if (e.kind != SOL_LEDGER_REVERSAL) {
        if (!e.currency[0])
            snprintf(e.currency, sizeof e.currency, "%s", c.currency);
        if (strcmp(e.currency, c.currency) != 0 && e.rate_ppm <= 0) {
            rc = sol__run_job_error(err, "--currency",
                                    "%s differs from the campaign's currency %s: give --rate "
                                    "(how many %s one %s is worth), so that totals add up",
                                    e.currency, c.currency, c.currency, e.currency);
            goto done;
        }
        if (strcmp(e.currency, c.currency) == 0)
            e.rate_ppm = 0;
    } else {
        if (e.reverses < 1 || (size_t)e.reverses > l->n) {
            rc = sol__err(err, SOL_ENOTFOUND, "campaign '%s' has no entry %lld (it has %zu)",
                          j->campaign, (long long)e.reverses, l->n);
            goto done;
        }
        const sol_ledger_entry *t = &l->e[e.reverses - 1];
        int already = 0;
        for (size_t i = 0; i < l->n; i++)
            already |= l->e[i].kind == SOL_LEDGER_REVERSAL && l->e[i].reverses == e.reverses;
        if (t->kind == SOL_LEDGER_REVERSAL || already) {
            rc = sol__err(err, SOL_EINVAL,
                          "entry %lld %s; a reversal cancels a donation or an expenditure once",
                          (long long)e.reverses,
                          already ? "is already reversed" : "is itself a reversal");
            goto done;
        }
    }
    if (c.published && !have_key) {
        rc = sol__err(err, SOL_EINVAL,
                      "campaign '%s' is published: its ledger must stay signed up to its last "
                      "entry; give --key FILE (or set SOLIDATA_LEDGER_KEY)",
                      j->campaign);
        goto done;
    }
    snprintf(e.prev_hash, sizeof e.prev_hash, "%s", l->n ? l->e[l->n - 1].hash : "");
    if (l->n == 0) {
        char *d = NULL;
        if ((rc = sol_ledger_decl_body(&l->decl, &d, err)) != SOL_OK)
            goto done;
        sol_ledger_hash(NULL, d, strlen(d), e.prev_hash);
        sol__free(d);
    }
    if ((rc = sol_ledger_entry_body(&e, &body, err)) != SOL_OK)
        goto done;
    sol_ledger_hash(e.prev_hash, body, strlen(body), e.hash);
    sol_ledger_sig g, *gp = NULL;
    if (have_key) {
        if ((rc = make_sig(sk, l->public_key, e.seq, e.hash, &g, err)) != SOL_OK)
            goto done;
        gp = &g;
    }
    if ((rc = sol_store_ledger_append(st, c.id, &e, body, gp, j->who, err)) != SOL_OK)
        goto done;
    if (seq)
        *seq = e.seq;
    if (head)
        memcpy(head, e.hash, 65);
done:
    sodium_memzero(sk, sizeof sk);
    sol__free(body);
    sol_ledger_free(l);
    return rc;
}

sol_status sol_run_ledger_sign(sol_store *st, const char *campaign, const char *key_path,
                               const char *who, sol_error *err)
{
    sol_ledger *l = NULL;
    sol_campaign c;
    char sk[129] = "";
    int have = 0;
    sol_status rc = sol_run_ledger_load(st, campaign, &l, &c, err);
    if (rc != SOL_OK)
        return rc;
    if ((rc = read_key(key_path, sk, &have, err)) != SOL_OK)
        goto done;
    if (!have) {
        rc = sol__run_job_error(err, "--key", "the secret key file is required to sign");
        goto done;
    }
    if (l->n == 0) {
        rc = sol__err(err, SOL_EINVAL, "campaign '%s' has no ledger entry to sign", campaign);
        goto done;
    }
    sol_ledger_sig g;
    if ((rc = make_sig(sk, l->public_key, (int64_t)l->n, l->e[l->n - 1].hash, &g, err)) != SOL_OK)
        goto done;
    rc = sol_store_ledger_sign(st, c.id, &g, who, err);
done:
    sodium_memzero(sk, sizeof sk);
    sol_ledger_free(l);
    return rc;
}

static int signed_to_end(const sol_ledger *l)
{
    if (l->n == 0)
        return 1;
    for (size_t k = 0; k < l->n_sig; k++)
        if ((size_t)l->sig[k].seq == l->n)
            return 1;
    return 0;
}

/* The label of a public campaign is public: its latest evaluation (a run) published with it. */
static sol_status publish_label(sol_store *st, const char *name, const char *who, sol_error *err)
{
    char *eval = NULL;
    int64_t id = 0;
    sol_status rc = sol_store_campaign_label_latest(st, name, &eval, &id, err);
    sol__free(eval);
    if (rc != SOL_OK || id <= 0)
        return rc;
    sol_publish_req req = {.kind = "run", .id = id, .publish = 1, .who = who};
    return sol_store_publish(st, &req, NULL, err);
}

sol_status sol_run_campaign_publish(sol_store *st, const char *name, int on, const char *who,
                                    sol_error *err)
{
    sol_ledger *l = NULL;
    sol_campaign c;
    sol_status rc = sol_run_ledger_load(st, name, &l, &c, err);
    if (rc != SOL_OK)
        return rc;
    if (on && !signed_to_end(l)) {
        rc = sol__err(err, SOL_EINVAL,
                      "the ledger of '%s' is not signed up to its last entry (%zu): sign it "
                      "first with 'solidata ledger sign %s --key FILE'",
                      name, l->n, name);
    } else if (on && l->n > 0) {
        sol_ledger_check k;
        if ((rc = sol_ledger_verify(l, NULL, sol_lang_current(), &k)) == SOL_OK && !k.ok)
            rc = sol__err(err, SOL_EINVAL, "the ledger does not verify: %s", k.what);
    }
    int own = 0;
    if (rc == SOL_OK && (rc = sol_store_join(st, &own, err)) == SOL_OK) {
        rc = sol_store_campaign_set(st, name, SOL_CAMPAIGN_PUBLISHED, on ? "1" : "0", NULL, who,
                                    err);
        if (rc == SOL_OK && on)
            rc = publish_label(st, name, who, err);
        rc = sol_store_leave(st, own, rc, err);
    }
    sol_ledger_free(l);
    return rc;
}

sol_status sol_run_campaign_set(sol_store *st, const char *name, sol_campaign_field f,
                                const char *value, const char *value2, const char *who,
                                sol_error *err)
{
    if (value == NULL || strlen(value) > SOL_LEDGER_TEXT_MAX ||
        sol__utf8_invalid_at(value, strlen(value)) != strlen(value))
        return sol__run_job_error(err, f == SOL_CAMPAIGN_REVIEW ? "--by" : "--text",
                                  "words (at most %u bytes of UTF-8) are required",
                                  SOL_LEDGER_TEXT_MAX);
    if (f == SOL_CAMPAIGN_REVIEW && !is_date(value2))
        return sol__run_job_error(err, "--date", "'%s': expected a date YYYY-MM-DD",
                                  value2 ? value2 : "");
    return sol_store_campaign_set(st, name, f, value, value2, who, err);
}

sol_status sol_run_ledger_export(sol_store *st, const char *campaign, int drafts, char **json,
                                 sol_error *err)
{
    sol_ledger *l = NULL;
    sol_campaign c;
    sol_status rc = sol_run_ledger_load(st, campaign, &l, &c, err);
    if (rc != SOL_OK)
        return rc;
    if (!drafts && !c.published)
        rc = sol__err(err, SOL_ENOTFOUND, "no published campaign '%s'", campaign);
    else
        rc = sol_ledger_write_json(l, json, err);
    sol_ledger_free(l);
    return rc;
}

sol_status sol_run_ledger_verify_file(const char *path, const char *pin_pk, sol_lang lang,
                                      sol_ledger_check *c, sol_ledger_totals *t, sol_error *err)
{
    char *text = NULL;
    size_t len = 0;
    sol_status rc = sol__run_read_text(path, SOL_LEDGER_MAX_FILE, &text, &len);
    if (rc != SOL_OK)
        return sol__err_at(err, rc, path, 0, 0,
                           rc == SOL_ENOMEM ? "out of memory" : "cannot read the ledger file");
    sol_ledger *l = NULL;
    rc = sol_ledger_read_json(text, len, path, &l, err);
    sol__free(text);
    if (rc != SOL_OK)
        return rc;
    if ((rc = sol_ledger_verify(l, pin_pk, lang, c)) == SOL_OK && t)
        sol_ledger_totals_compute(l, t);
    sol_ledger_free(l);
    return rc == SOL_OK ? SOL_OK : sol__err(err, rc, "out of memory verifying the ledger");
}

/* ---- the page's JSON --------------------------------------------------------------------- */

static json_t *totals_json(const sol_ledger_totals *t, const sol_campaign *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "currency", json_string(c->currency));
    json_object_set_new(o, "donations_cents", json_integer(t->donations_cents));
    json_object_set_new(o, "objective_cents", json_integer(t->objective_cents));
    json_object_set_new(o, "running_cents", json_integer(t->running_cents));
    json_object_set_new(o, "spent_cents", json_integer(t->objective_cents + t->running_cents));
    json_object_set_new(o, "balance_cents", json_integer(t->balance_cents));
    json_object_set_new(o, "n_donations", json_integer((json_int_t)t->n_donations));
    json_object_set_new(o, "n_expenditures", json_integer((json_int_t)t->n_expenditures));
    json_object_set_new(o, "n_reversals", json_integer((json_int_t)t->n_reversals));
    json_object_set_new(o, "objective_pct", sol__run_num(t->objective_pct));
    json_object_set_new(o, "running_pct", sol__run_num(t->running_pct));
    json_object_set_new(o, "budget_used_pct", sol__run_num(t->budget_used_pct));
    return o;
}

static json_t *opt_str(const char *s)
{
    return s && s[0] ? json_string(s) : json_null();
}

sol_status sol_run_campaign_json(sol_store *st, const char *name, int drafts, sol_lang lang,
                                 char **json, sol_error *err)
{
    sol_ledger *l = NULL;
    sol_campaign *c = sol__malloc(sizeof *c);
    char *ev = NULL, *label = NULL;
    json_t *o = NULL;
    if (c == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol_status rc = sol_run_ledger_load(st, name, &l, c, err);
    if (rc != SOL_OK)
        goto done;
    if (!drafts && !c->published) {
        rc = sol__err(err, SOL_ENOTFOUND, "no published campaign '%s'", name);
        goto done;
    }
    int64_t label_run = 0;
    if ((rc = sol_store_campaign_evidence(st, c->evidence, lang, &ev, err)) != SOL_OK ||
        (rc = sol_store_campaign_label_latest(st, name, &label, &label_run, err)) != SOL_OK)
        goto done;
    sol_ledger_totals t;
    sol_ledger_totals_compute(l, &t);
    sol_ledger_check k;
    if ((rc = sol_ledger_verify(l, NULL, lang, &k)) != SOL_OK) {
        rc = sol__err(err, rc, "out of memory");
        goto done;
    }
    o = json_object();
    json_object_set_new(o, "name", json_string(c->name));
    json_object_set_new(o, "kind", json_string(c->kind));
    json_object_set_new(o, "objective", json_string(c->objective));
    json_object_set_new(o, "lang", opt_str(c->lang));
    json_object_set_new(o, "evidence", json_loads(ev, 0, NULL));
    json_object_set_new(o, "audience", opt_str(c->audience));
    json_object_set_new(o, "audience_published", json_boolean(c->audience_published));
    json_object_set_new(o, "budget_cents",
                        c->budget_cents >= 0 ? json_integer(c->budget_cents) : json_null());
    json_object_set_new(o, "currency", json_string(c->currency));
    json_object_set_new(o, "starts", opt_str(c->starts));
    json_object_set_new(o, "ends", opt_str(c->ends));
    json_object_set_new(o, "achieved", opt_str(c->achieved));
    json_object_set_new(o, "published", json_boolean(c->published));
    json_object_set_new(o, "published_at", opt_str(c->published_at));
    json_object_set_new(o, "running_note", opt_str(c->running_note));
    json_t *rv = json_null();
    if (c->review_by[0]) {
        rv = json_object();
        json_object_set_new(rv, "by", json_string(c->review_by));
        json_object_set_new(rv, "date", json_string(c->review_date));
    }
    json_object_set_new(o, "review", rv);
    json_object_set_new(o, "created_at", json_string(c->created_at));
    json_object_set_new(o, "totals", totals_json(&t, c));
    json_t *lj = json_object();
    json_object_set_new(lj, "entries", json_integer((json_int_t)l->n));
    json_object_set_new(lj, "signatures", json_integer((json_int_t)l->n_sig));
    json_object_set_new(lj, "verified", json_boolean(l->n == 0 || k.ok));
    json_object_set_new(lj, "what", json_string(l->n ? k.what : ""));
    json_object_set_new(lj, "public_key", opt_str(l->public_key));
    json_object_set_new(o, "ledger", lj);
    json_t *lab = label ? json_loads(label, 0, NULL) : NULL;
    if (lab)
        json_object_set_new(lab, "run_id", json_integer(label_run));
    json_object_set_new(o, "label", lab ? lab : json_null());
    char *s = json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    if (s == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    *json = sol__strdup(s);
    free(s);
    rc = *json ? SOL_OK : sol__err(err, SOL_ENOMEM, "out of memory");
done:
    json_decref(o);
    sol__free(ev);
    sol__free(label);
    sol_ledger_free(l);
    sol__free(c);
    return rc;
}

typedef struct list_ctx {
    sol_store *st;
    json_t *arr;
} list_ctx;

static int list_one(void *ud, const sol_campaign *c)
{
    list_ctx *x = ud;
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(c->name));
    json_object_set_new(o, "kind", json_string(c->kind));
    json_object_set_new(o, "objective", json_string(c->objective));
    json_object_set_new(o, "published", json_boolean(c->published));
    json_object_set_new(o, "starts", opt_str(c->starts));
    json_object_set_new(o, "ends", opt_str(c->ends));
    json_object_set_new(o, "currency", json_string(c->currency));
    json_object_set_new(o, "budget_cents",
                        c->budget_cents >= 0 ? json_integer(c->budget_cents) : json_null());
    json_array_append_new(x->arr, o);
    return 0;
}

sol_status sol_run_campaign_list_json(sol_store *st, int drafts, char **json, sol_error *err)
{
    list_ctx x = {st, json_array()};
    sol_status rc = sol_store_campaigns(st, drafts, list_one, &x, err);
    for (size_t i = 0; rc == SOL_OK && i < json_array_size(x.arr); i++) {
        json_t *o = json_array_get(x.arr, i);
        sol_ledger *l = NULL;
        if (sol_run_ledger_load(st, json_string_value(json_object_get(o, "name")), &l, NULL, err) ==
            SOL_OK) {
            sol_ledger_totals t;
            sol_ledger_totals_compute(l, &t);
            json_object_set_new(o, "donations_cents", json_integer(t.donations_cents));
            json_object_set_new(o, "spent_cents",
                                json_integer(t.objective_cents + t.running_cents));
            sol_ledger_free(l);
        }
    }
    char *s = rc == SOL_OK ? json_dumps(x.arr, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(x.arr);
    if (rc != SOL_OK)
        return rc;
    if (s == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    *json = sol__strdup(s);
    free(s);
    return *json ? SOL_OK : sol__err(err, SOL_ENOMEM, "out of memory");
}

/* ---- label ------------------------------------------------------------------------------- */

/* The shared rules bundled with the software: byte for byte examples/label-rules.json (the same
 * SHA-256, so the same meaning; tests/cli/1455 checks it). */
static const char DEFAULT_RULES[] =
    "{\n"
    " \"label\": \"OSL-1 Open Solidarity Ledger\",\n"
    " \"version\": 1,\n"
    " \"about\": \"A transparency label any organisation may share: the same file, the same "
    "SHA-256, the same meaning. Each rule is evaluated by 'solidata campaign label NAME --rules "
    "FILE' (docs/ledger.md).\",\n"
    " \"rules\": [\n"
    "  {\"rule\": \"objective_stated\"},\n"
    "  {\"rule\": \"evidence_linked\", \"min\": 1},\n"
    "  {\"rule\": \"audience_card_published\"},\n"
    "  {\"rule\": \"ledger_verifies\"},\n"
    "  {\"rule\": \"accounts_published_within_days\", \"days\": 90},\n"
    "  {\"rule\": \"running_costs_max_pct\", \"pct\": 20, \"note\": \"or explained with "
    "'solidata campaign note'\"},\n"
    "  {\"rule\": \"independent_review_over_eur\", \"eur\": 10000},\n"
    "  {\"rule\": \"achieved_reported\"}\n"
    " ]\n"
    "}\n";

const char *sol_run_campaign_default_rules(void)
{
    return DEFAULT_RULES;
}

static sol_status label_eval(sol_store *st, const char *campaign, const char *text, size_t len,
                             const char *rules_path, const char *svg_path, sol_lang lang,
                             int record, char **json, int64_t *run_id, sol_error *err)
{
    char *eval = NULL, *svg = NULL;
    sol_label_rules *r = NULL;
    sol_ledger *l = NULL;
    sol_status rc;
    sol_campaign *c = sol__malloc(sizeof *c);
    if (c == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    unsigned char d[32];
    char sha[65];
    crypto_hash_sha256(d, (const unsigned char *)text, len);
    sodium_bin2hex(sha, sizeof sha, d, sizeof d);
    if ((rc = sol_label_rules_parse(text, len, rules_path, &r, err)) != SOL_OK)
        goto done;
    if ((rc = sol_run_ledger_load(st, campaign, &l, c, err)) != SOL_OK)
        goto done;
    sol_ledger_totals t;
    sol_ledger_totals_compute(l, &t);
    sol_ledger_check k;
    if ((rc = sol_ledger_verify(l, NULL, SOL_LANG_EN, &k)) != SOL_OK)
        goto done;
    size_t n_ev = 0;
    json_t *ev = json_loads(c->evidence, 0, NULL);
    n_ev = json_array_size(ev);
    json_decref(ev);
    char day[11];
    today(day);
    /* the accounts count as published at the last signature of a published campaign signed to
     * its end (the accounts as they stood then), or when it was published if that is later */
    const char *pub = NULL;
    if (c->published && signed_to_end(l)) {
        pub = c->published_at;
        for (size_t i = 0; i < l->n_sig; i++)
            if ((size_t)l->sig[i].seq == l->n && strcmp(l->sig[i].at, pub) > 0)
                pub = l->sig[i].at;
    }
    sol_label_facts f = {.objective = c->objective,
                         .n_evidence = n_ev,
                         .audience = c->audience[0] ? c->audience : NULL,
                         .audience_published = c->audience_published,
                         .ledger_verifies = l->n == 0 ? -1 : k.ok,
                         .ledger_what = k.what,
                         .ends = c->ends[0] ? c->ends : NULL,
                         .published_at = pub && pub[0] ? pub : NULL,
                         .today = day,
                         .totals = &t,
                         .running_note = c->running_note,
                         .budget_cents = c->budget_cents,
                         .currency = c->currency,
                         .review_by = c->review_by,
                         .review_date = c->review_date,
                         .achieved = c->achieved};
    if ((rc = sol_label_evaluate(r, sha, &f, &eval, err)) != SOL_OK)
        goto done;
    if (svg_path) {
        if ((rc = sol_label_badge_svg(eval, lang, &svg, err)) != SOL_OK)
            goto done;
        FILE *fp = fopen(svg_path, "wb");
        if (fp == NULL || fwrite(svg, 1, strlen(svg), fp) != strlen(svg)) {
            if (fp)
                fclose(fp);
            rc = sol__err_at(err, SOL_EIO, svg_path, 0, 0, "cannot write the badge");
            goto done;
        }
        if (fclose(fp) != 0) {
            rc = sol__err_at(err, SOL_EIO, svg_path, 0, 0, "cannot write the badge");
            goto done;
        }
    }
    if (record) {
        json_t *spec = json_object(), *method = json_object(), *choices = json_object();
        json_object_set_new(spec, "campaign", json_string(campaign));
        json_object_set_new(spec, "rules_file", json_string(rules_path));
        json_object_set_new(spec, "rules_sha256", json_string(sha));
        json_object_set_new(method, "name",
                            json_string(N_("transparency label: rules evaluated "
                                           "on a campaign and its ledger")));
        json_object_set_new(method, "reference", json_string("docs/ledger.md"));
        json_object_set_new(choices, "rules", json_loadb(text, len, 0, NULL));
        json_object_set_new(choices, "today", json_string(day));
        json_t *res = json_loads(eval, 0, NULL);
        json_t *inputs = json_object();
        json_object_set_new(inputs, "campaign", json_string(campaign));
        json_object_set_new(inputs, "ledger_entries", json_integer((json_int_t)l->n));
        json_object_set_new(inputs, "ledger_head", json_string(k.head));
        char *inputs_s = json_dumps(inputs, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(inputs);
        sol_run_card card = {.kind = "campaign.label",
                             .inputs_json = inputs_s,
                             .inputs_sha256 = k.head[0] ? k.head : NULL,
                             .privacy_json = "{\"statement\":\"no personal data: donors are "
                                             "pseudonymous or anonymous\"}"};
        int own = 0;
        rc = inputs_s ? sol_store_join(st, &own, err)
                      : sol__err(err, SOL_ENOMEM, "out of memory recording the run");
        if (rc == SOL_OK) {
            rc = sol__run_record_json(st, &card, JSON_COMPACT | JSON_PRESERVE_ORDER, spec, method,
                                      choices, res, run_id, err);
            /* the label of a public campaign is public at once */
            if (rc == SOL_OK && c->published)
                rc = publish_label(st, campaign, NULL, err);
            rc = sol_store_leave(st, own, rc, err);
        }
        free(inputs_s);
        json_decref(spec);
        json_decref(method);
        json_decref(choices);
        json_decref(res);
        if (rc != SOL_OK)
            goto done;
    }
    *json = eval;
    eval = NULL;
done:
    sol__free(eval);
    sol__free(svg);
    sol_label_rules_free(r);
    sol_ledger_free(l);
    sol__free(c);
    return rc;
}

sol_status sol_run_campaign_label(sol_store *st, const char *campaign, const char *rules_path,
                                  const char *svg_path, sol_lang lang, int record, char **json,
                                  int64_t *run_id, sol_error *err)
{
    char *text = NULL;
    size_t len = 0;
    sol_status rc = sol__run_read_text(rules_path, 1u << 20, &text, &len);
    if (rc != SOL_OK)
        return sol__err_at(err, rc, rules_path, 0, 0, "cannot read the label rules file");
    rc = label_eval(st, campaign, text, len, rules_path, svg_path, lang, record, json, run_id, err);
    sol__free(text);
    return rc;
}

sol_status sol_run_campaign_label_text(sol_store *st, const char *campaign, const char *text,
                                       size_t len, const char *source, sol_lang lang, int record,
                                       char **json, int64_t *run_id, sol_error *err)
{
    if (text == NULL) {
        text = DEFAULT_RULES;
        len = sizeof DEFAULT_RULES - 1;
        source = "examples/label-rules.json";
    }
    if (len > (1u << 20))
        return sol__err(err, SOL_ELIMIT, "the label rules are too long (at most 1 MiB)");
    return label_eval(st, campaign, text, len, source ? source : "(rules given)", NULL, lang,
                      record, json, run_id, err);
}

sol_status sol_run_campaign_badge(sol_store *st, const char *campaign, int drafts, sol_lang lang,
                                  char **svg, sol_error *err)
{
    sol_campaign *c = sol__malloc(sizeof *c);
    char *eval = NULL;
    int64_t id = 0;
    if (c == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol_status rc = sol_store_campaign_get(st, campaign, c, err);
    if (rc == SOL_OK && !drafts && !c->published)
        rc = sol__err(err, SOL_ENOTFOUND, "no published campaign '%s'", campaign);
    if (rc == SOL_OK)
        rc = sol_store_campaign_label_latest(st, campaign, &eval, &id, err);
    if (rc == SOL_OK && eval == NULL)
        rc = sol__err(err, SOL_ENOTFOUND,
                      "campaign '%s' has no label evaluation yet ('solidata campaign label')",
                      campaign);
    if (rc == SOL_OK)
        rc = sol_label_badge_svg(eval, lang, svg, err);
    sol__free(eval);
    sol__free(c);
    return rc;
}

sol_status sol_run_campaign_export(sol_store *st, const char *campaign, const char *format,
                                   const char *org_ref, const char *org_name, const char *country,
                                   int drafts, char **out, sol_error *err)
{
    sol_ledger *l = NULL;
    sol_campaign *c = sol__malloc(sizeof *c);
    char ref[256] = "", oname[256] = "", ctry[8] = "";
    char **codes = NULL, **names = NULL;
    size_t n = 0;
    if (c == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol_status rc = sol_run_ledger_load(st, campaign, &l, c, err);
    if (rc != SOL_OK)
        goto done;
    if (!drafts && !c->published) {
        rc = sol__err(err, SOL_ENOTFOUND, "no published campaign '%s'", campaign);
        goto done;
    }
    if ((rc = sol_store_setting_text(st, "iati.org_ref", ref, sizeof ref, err)) != SOL_OK ||
        (rc = sol_store_setting_text(st, "iati.org_name", oname, sizeof oname, err)) != SOL_OK ||
        (rc = sol_store_setting_text(st, "iati.country", ctry, sizeof ctry, err)) != SOL_OK)
        goto done;
    if (c->audience[0] && (rc = sol_store_campaign_audience_areas(st, c->audience, &codes, &names,
                                                                  &n, err)) != SOL_OK)
        goto done;
    char day[11], now[32];
    today(day);
    sol__utc_now(now, sizeof now);
    sol_ledger_export_info x = {.org_ref = org_ref ? org_ref : ref,
                                .org_name = org_name ? org_name : oname,
                                .country = country   ? country
                                           : ctry[0] ? ctry
                                                     : NULL,
                                .lang = c->lang,
                                .achieved = c->achieved,
                                .area_codes = (const char *const *)codes,
                                .area_names = (const char *const *)names,
                                .n_areas = n,
                                .today = day,
                                .generated = now};
    if (x.country && (strlen(x.country) != 2 || x.country[0] < 'A' || x.country[0] > 'Z' ||
                      x.country[1] < 'A' || x.country[1] > 'Z')) {
        rc = sol__run_job_error(err, "--country", "'%s': expected a two-letter code (IT, FR)",
                                x.country);
        goto done;
    }
    if (strcmp(format, "iati") == 0)
        rc = sol_ledger_iati_xml(l, &x, out, err);
    else if (strcmp(format, "360giving") == 0)
        rc = sol_ledger_360giving_json(l, &x, out, err);
    else
        rc = sol__err(err, SOL_EINVAL, "unknown export format '%s'", format);
done:
    for (size_t i = 0; i < n; i++) {
        sol__free(codes[i]);
        sol__free(names[i]);
    }
    sol__free(codes);
    sol__free(names);
    sol_ledger_free(l);
    sol__free(c);
    return rc;
}
