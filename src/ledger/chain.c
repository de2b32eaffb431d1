/* chain.c - a campaign ledger's canonical encoding, hash chain, Ed25519 signatures, verification
 * and totals (docs/ledger.md is the byte-for-byte description this file implements). */
#include <solidata/ledger.h>

#include "core/core.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

sol_ledger *sol_ledger_new(void)
{
    sol_ledger *l = sol__calloc(1, sizeof *l);
    if (l)
        l->decl.budget_cents = -1;
    return l;
}

void sol_ledger_free(sol_ledger *l)
{
    if (l == NULL)
        return;
    sol__free(l->e);
    sol__free(l->sig);
    sol__free(l);
}

sol_status sol_ledger_push(sol_ledger *l, const sol_ledger_entry *e)
{
    if (l->n >= SOL_LEDGER_MAX_ENTRY)
        return SOL_ELIMIT;
    if ((l->n & (l->n - 1)) == 0) { /* grow at powers of two */
        size_t cap = l->n ? 2 * l->n : 8;
        sol_ledger_entry *p = sol__realloc(l->e, cap * sizeof *p);
        if (p == NULL)
            return SOL_ENOMEM;
        l->e = p;
    }
    l->e[l->n++] = *e;
    return SOL_OK;
}

sol_status sol_ledger_push_sig(sol_ledger *l, const sol_ledger_sig *s)
{
    if (l->n_sig >= SOL_LEDGER_MAX_ENTRY)
        return SOL_ELIMIT;
    if ((l->n_sig & (l->n_sig - 1)) == 0) {
        size_t cap = l->n_sig ? 2 * l->n_sig : 8;
        sol_ledger_sig *p = sol__realloc(l->sig, cap * sizeof *p);
        if (p == NULL)
            return SOL_ENOMEM;
        l->sig = p;
    }
    l->sig[l->n_sig++] = *s;
    return SOL_OK;
}

/* ---- canonical encoding ------------------------------------------------------------------ */

/* A JSON string as ECMAScript's JSON.stringify writes it: '"' and '\' escaped, \b \f \n \r \t,
 * other bytes below 0x20 as \u00xx (lowercase hex), everything else (UTF-8) as is. */
static sol_status add_str(sol_buf *b, const char *key, const char *s, int first)
{
    sol_status rc;
    if ((rc = sol__buf_addf(b, "%s\"%s\":\"", first ? "" : ",", key)) != SOL_OK)
        return rc;
    for (const unsigned char *p = (const unsigned char *)s; *p && rc == SOL_OK; p++) {
        switch (*p) {
        case '"': rc = sol__buf_add(b, "\\\"", 2); break;
        case '\\': rc = sol__buf_add(b, "\\\\", 2); break;
        case '\b': rc = sol__buf_add(b, "\\b", 2); break;
        case '\f': rc = sol__buf_add(b, "\\f", 2); break;
        case '\n': rc = sol__buf_add(b, "\\n", 2); break;
        case '\r': rc = sol__buf_add(b, "\\r", 2); break;
        case '\t': rc = sol__buf_add(b, "\\t", 2); break;
        default:
            if (*p < 0x20)
                rc = sol__buf_addf(b, "\\u%04x", *p);
            else
                rc = sol__buf_addc(b, (char)*p);
        }
    }
    return rc == SOL_OK ? sol__buf_addc(b, '"') : rc;
}

static sol_status add_int(sol_buf *b, const char *key, int64_t v, int first)
{
    return sol__buf_addf(b, "%s\"%s\":%lld", first ? "" : ",", key, (long long)v);
}

static int is_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static int is_currency(const char *s)
{
    return strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
           s[2] >= 'A' && s[2] <= 'Z';
}

static int utf8_ok(const char *s)
{
    size_t n = strlen(s);
    return sol__utf8_invalid_at(s, n) == n;
}

int sol_ledger_donor_ok(const char *s)
{
    if (strcmp(s, "anonymous") == 0)
        return 1;
    size_t n = strlen(s);
    int digit = 0;
    if (n < 4 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9')
            digit = 1;
        else if (!((c >= 'a' && c <= 'z') || c == '-' || c == '_'))
            return 0;
    }
    return digit;
}

static const char *const CHANNELS[] = {"bank", "cash", "online", "cheque", "card", "other", NULL};

static int in_list(const char *s, const char *const *v)
{
    for (; *v; v++)
        if (strcmp(s, *v) == 0)
            return 1;
    return 0;
}

sol_status sol_ledger_entry_check(const sol_ledger_entry *e, sol_error *err)
{
    if (e->seq < 1)
        return sol__err(err, SOL_EINVAL, "entry seq %lld: expected 1 or more", (long long)e->seq);
    if (!is_date(e->date)) {
        sol__err(err, SOL_EINVAL, "'%s': expected a date YYYY-MM-DD", e->date);
        if (err)
            snprintf(err->where, sizeof err->where, "--date");
        return SOL_EINVAL;
    }
    if (e->kind == SOL_LEDGER_REVERSAL) {
        if (e->reverses < 1 || e->reverses >= e->seq)
            return sol__err(err, SOL_EINVAL, "a reversal must name an earlier entry (got %lld)",
                            (long long)e->reverses);
        if (!e->why[0] || !utf8_ok(e->why))
            return sol__err(err, SOL_EINVAL, "a reversal needs --why in words (valid UTF-8)");
        return SOL_OK;
    }
    if (e->kind != SOL_LEDGER_DONATION && e->kind != SOL_LEDGER_EXPENDITURE)
        return sol__err(err, SOL_EINVAL, "unknown entry kind %d", (int)e->kind);
    const char *opt = e->kind == SOL_LEDGER_DONATION ? "--donation" : "--expenditure";
    if (e->amount_cents <= 0 || e->amount_cents > SOL_LEDGER_MAX_CENTS) {
        sol__err(err, SOL_EINVAL,
                 e->amount_cents <= 0
                     ? "the amount must be positive (a correction is a reversal: 'solidata "
                       "ledger reverse CAMPAIGN SEQ --why ...')"
                     : "the amount is too large");
        if (err)
            snprintf(err->where, sizeof err->where, "%s", opt);
        return SOL_EINVAL;
    }
    if (!is_currency(e->currency))
        return sol__err(err, SOL_EINVAL, "'%s': expected a currency code such as EUR", e->currency);
    if (e->rate_ppm < 0 || e->rate_ppm > 1000000000000LL)
        return sol__err(err, SOL_EINVAL, "the rate must be positive (and at most 10^6)");
    if (e->kind == SOL_LEDGER_DONATION) {
        if (!in_list(e->channel, CHANNELS))
            return sol__err(err, SOL_EINVAL,
                            "channel '%s': expected bank, cash, online, cheque, card or other",
                            e->channel);
        if (!sol_ledger_donor_ok(e->donor))
            return sol__err(err, SOL_EINVAL,
                            "donor '%s' looks like a name: a donor is never named in public; give "
                            "a pseudonym (4 to 64 lowercase letters, digits, '-' or '_', with a "
                            "digit, e.g. from 'solidata pseudonymise') or 'anonymous'",
                            e->donor);
    } else {
        if (strcmp(e->category, "objective") != 0 && strcmp(e->category, "running") != 0)
            return sol__err(err, SOL_EINVAL, "category '%s': expected objective or running",
                            e->category);
        if (!e->what[0] || !utf8_ok(e->what))
            return sol__err(err, SOL_EINVAL,
                            "an expenditure needs --what: what it paid for (valid UTF-8)");
    }
    return SOL_OK;
}

sol_status sol_ledger_entry_body(const sol_ledger_entry *e, char **out, sol_error *err)
{
    sol_status rc = sol_ledger_entry_check(e, err);
    if (rc != SOL_OK)
        return rc;
    static const char *const KIND[] = {"", "donation", "expenditure", "reversal"};
    sol_buf b;
    sol__buf_init(&b, 4 * SOL_LEDGER_TEXT_MAX + 1024);
    rc = sol__buf_addc(&b, '{');
    if (rc == SOL_OK)
        rc = add_int(&b, "seq", e->seq, 1);
    if (rc == SOL_OK)
        rc = add_str(&b, "kind", KIND[e->kind], 0);
    if (rc == SOL_OK)
        rc = add_str(&b, "date", e->date, 0);
    if (e->kind == SOL_LEDGER_REVERSAL) {
        if (rc == SOL_OK)
            rc = add_int(&b, "reverses", e->reverses, 0);
        if (rc == SOL_OK)
            rc = add_str(&b, "why", e->why, 0);
    } else {
        if (rc == SOL_OK)
            rc = add_int(&b, "amount_cents", e->amount_cents, 0);
        if (rc == SOL_OK)
            rc = add_str(&b, "currency", e->currency, 0);
        if (rc == SOL_OK && e->rate_ppm > 0)
            rc = add_int(&b, "rate_ppm", e->rate_ppm, 0);
        if (e->kind == SOL_LEDGER_DONATION) {
            if (rc == SOL_OK)
                rc = add_str(&b, "channel", e->channel, 0);
            if (rc == SOL_OK)
                rc = add_str(&b, "donor", e->donor, 0);
        } else {
            if (rc == SOL_OK)
                rc = add_str(&b, "category", e->category, 0);
            if (rc == SOL_OK)
                rc = add_str(&b, "what", e->what, 0);
        }
    }
    if (rc == SOL_OK)
        rc = sol__buf_addc(&b, '}');
    if (rc != SOL_OK) {
        sol__buf_free(&b);
        return sol__err(err, rc, "out of memory encoding a ledger entry");
    }
    *out = b.data;
    return SOL_OK;
}

sol_status sol_ledger_decl_body(const sol_ledger_decl *d, char **out, sol_error *err)
{
    if (!d->name[0] || !d->kind[0] || !d->objective[0] || !utf8_ok(d->objective) ||
        !utf8_ok(d->name))
        return sol__err(err, SOL_EINVAL, "a campaign needs a name, a kind and an objective");
    if (!is_currency(d->currency))
        return sol__err(err, SOL_EINVAL, "campaign currency '%s': expected a code such as EUR",
                        d->currency);
    sol_buf b;
    sol__buf_init(&b, 2 * SOL_LEDGER_TEXT_MAX + 1024);
    sol_status rc = sol__buf_addc(&b, '{');
    if (rc == SOL_OK)
        rc = add_str(&b, "format", SOL_LEDGER_FORMAT, 1);
    if (rc == SOL_OK)
        rc = add_str(&b, "name", d->name, 0);
    if (rc == SOL_OK)
        rc = add_str(&b, "kind", d->kind, 0);
    if (rc == SOL_OK)
        rc = add_str(&b, "objective", d->objective, 0);
    if (rc == SOL_OK)
        rc = add_str(&b, "currency", d->currency, 0);
    if (rc == SOL_OK && d->budget_cents >= 0)
        rc = add_int(&b, "budget_cents", d->budget_cents, 0);
    if (rc == SOL_OK && d->starts[0])
        rc = add_str(&b, "starts", d->starts, 0);
    if (rc == SOL_OK && d->ends[0])
        rc = add_str(&b, "ends", d->ends, 0);
    if (rc == SOL_OK)
        rc = add_str(&b, "created_at", d->created_at, 0);
    if (rc == SOL_OK)
        rc = sol__buf_addc(&b, '}');
    if (rc != SOL_OK) {
        sol__buf_free(&b);
        return sol__err(err, rc, "out of memory encoding a campaign");
    }
    *out = b.data;
    return SOL_OK;
}

static void to_hex(const unsigned char *p, size_t n, char *out)
{
    static const char H[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = H[p[i] >> 4];
        out[2 * i + 1] = H[p[i] & 15];
    }
    out[2 * n] = '\0';
}

static int from_hex(const char *s, unsigned char *p, size_t n)
{
    if (strlen(s) != 2 * n)
        return -1;
    for (size_t i = 0; i < 2 * n; i++) {
        char c = s[i];
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0)
            return -1;
        if (i % 2 == 0)
            p[i / 2] = (unsigned char)(v << 4);
        else
            p[i / 2] |= (unsigned char)v;
    }
    return 0;
}

void sol_ledger_hash(const char *prev_hex, const char *body, size_t len, char out[65])
{
    crypto_hash_sha256_state h;
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&h);
    if (prev_hex)
        crypto_hash_sha256_update(&h, (const unsigned char *)prev_hex, strlen(prev_hex));
    crypto_hash_sha256_update(&h, (const unsigned char *)body, len);
    crypto_hash_sha256_final(&h, d);
    to_hex(d, sizeof d, out);
}

/* "5000", "5000.5", "5000.50" -> cents; -1 when not an amount */
int64_t sol_ledger_parse_cents(const char *s)
{
    int64_t whole = 0, frac = 0;
    int nf = -1;
    if (s == NULL || !*s)
        return -1;
    for (const char *p = s; *p; p++) {
        if (*p == '.' || *p == ',') {
            if (nf >= 0 || p == s)
                return -1;
            nf = 0;
        } else if (*p >= '0' && *p <= '9') {
            if (nf >= 0) {
                if (++nf > 2)
                    return -1;
                frac = frac * 10 + (*p - '0');
            } else {
                whole = whole * 10 + (*p - '0');
                if (whole > SOL_LEDGER_MAX_CENTS / 100)
                    return -1;
            }
        } else
            return -1;
    }
    if (nf == 1)
        frac *= 10;
    return whole * 100 + frac;
}

/* ---- keys and signatures ------------------------------------------------------------------- */

sol_status sol_ledger_keypair(char pk_hex[65], char sk_hex[129], sol_error *err)
{
    if (sodium_init() < 0)
        return sol__err(err, SOL_EINVAL, "libsodium could not start");
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk);
    to_hex(pk, sizeof pk, pk_hex);
    to_hex(sk, sizeof sk, sk_hex);
    sodium_memzero(sk, sizeof sk);
    return SOL_OK;
}

sol_status sol_ledger_key_public(const char *sk_hex, char pk_hex[65], sol_error *err)
{
    unsigned char sk[crypto_sign_SECRETKEYBYTES], pk[crypto_sign_PUBLICKEYBYTES];
    if (sodium_init() < 0 || from_hex(sk_hex, sk, sizeof sk) != 0)
        return sol__err(err, SOL_EINVAL,
                        "not a ledger secret key (128 hex characters from 'solidata ledger "
                        "keygen')");
    crypto_sign_ed25519_sk_to_pk(pk, sk);
    sodium_memzero(sk, sizeof sk);
    to_hex(pk, sizeof pk, pk_hex);
    return SOL_OK;
}

void sol_ledger_sig_message(int64_t seq, const char *head_hex, char *buf, size_t n)
{
    snprintf(buf, n, "%s\n%lld\n%s", SOL_LEDGER_FORMAT, (long long)seq, head_hex);
}

sol_status sol_ledger_sign(const char *sk_hex, int64_t seq, const char *head_hex, char sig_hex[129],
                           sol_error *err)
{
    unsigned char sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
    if (sodium_init() < 0 || from_hex(sk_hex, sk, sizeof sk) != 0)
        return sol__err(err, SOL_EINVAL,
                        "not a ledger secret key (128 hex characters from 'solidata ledger "
                        "keygen')");
    char msg[128];
    sol_ledger_sig_message(seq, head_hex, msg, sizeof msg);
    crypto_sign_detached(sig, NULL, (const unsigned char *)msg, strlen(msg), sk);
    sodium_memzero(sk, sizeof sk);
    to_hex(sig, sizeof sig, sig_hex);
    return SOL_OK;
}

int sol_ledger_sig_ok(const char *pk_hex, int64_t seq, const char *head_hex, const char *sig_hex)
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
    if (sodium_init() < 0 || from_hex(pk_hex, pk, sizeof pk) != 0 ||
        from_hex(sig_hex, sig, sizeof sig) != 0)
        return 0;
    char msg[128];
    sol_ledger_sig_message(seq, head_hex, msg, sizeof msg);
    return crypto_sign_verify_detached(sig, (const unsigned char *)msg, strlen(msg), pk) == 0;
}

/* ---- verification ---------------------------------------------------------------------------- */

static void bad(sol_ledger_check *c, sol_lang lang, int64_t seq, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void bad(sol_ledger_check *c, sol_lang lang, int64_t seq, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    c->ok = 0;
    c->bad_seq = seq;
    vsnprintf(c->what, sizeof c->what, sol_lgettext(lang, fmt), ap);
    va_end(ap);
}

sol_status sol_ledger_verify(const sol_ledger *l, const char *pin_pk, sol_lang lang,
                             sol_ledger_check *c)
{
    memset(c, 0, sizeof *c);
    c->n_entries = l->n;
    c->n_sig = l->n_sig;
    char *body = NULL;
    sol_error e;
    if (sol_ledger_decl_body(&l->decl, &body, &e) != SOL_OK) {
        if (e.code == SOL_ENOMEM)
            return SOL_ENOMEM;
        bad(c, lang, 0, N_("the campaign's declaration is incomplete: %s"), e.msg);
        return SOL_OK;
    }
    char prev[65];
    sol_ledger_hash(NULL, body, strlen(body), prev);
    sol__free(body);
    unsigned char *reversed = sol__calloc(l->n + 1, 1);
    if (reversed == NULL)
        return SOL_ENOMEM;
    for (size_t i = 0; i < l->n; i++) {
        const sol_ledger_entry *x = &l->e[i];
        int64_t pos = (int64_t)i + 1;
        if (x->seq != pos) {
            if (x->seq > pos)
                bad(c, lang, pos,
                    N_("entry %lld is missing: the entry at position %lld has seq %lld (an entry "
                       "removed, or entries reordered)"),
                    (long long)pos, (long long)pos, (long long)x->seq);
            else
                bad(c, lang, pos,
                    N_("entries out of order: the entry at position %lld has seq %lld (reordered "
                       "or duplicated)"),
                    (long long)pos, (long long)x->seq);
            goto done;
        }
        if (strcmp(x->prev_hash, prev) != 0) {
            bad(c, lang, pos,
                N_("entry %lld: prev_hash does not match the hash of the entry before it (an entry "
                   "removed, inserted or reordered)"),
                (long long)pos);
            goto done;
        }
        if (sol_ledger_entry_body(x, &body, &e) != SOL_OK) {
            if (e.code == SOL_ENOMEM) {
                sol__free(reversed);
                return SOL_ENOMEM;
            }
            bad(c, lang, pos, N_("entry %lld is not a valid entry: %s"), (long long)pos, e.msg);
            goto done;
        }
        char h[65];
        sol_ledger_hash(prev, body, strlen(body), h);
        sol__free(body);
        if (strcmp(h, x->hash) != 0) {
            bad(c, lang, pos,
                N_("entry %lld: hash mismatch: its content was changed after it was written (the "
                   "hash of its body is %.12s..., the ledger says %.12s...)"),
                (long long)pos, h, x->hash);
            goto done;
        }
        if (x->kind == SOL_LEDGER_REVERSAL) {
            const sol_ledger_entry *t = &l->e[x->reverses - 1];
            if (t->kind == SOL_LEDGER_REVERSAL || reversed[x->reverses]) {
                bad(c, lang, pos,
                    N_("entry %lld reverses entry %lld, which is a reversal or was "
                       "already reversed"),
                    (long long)pos, (long long)x->reverses);
                goto done;
            }
            reversed[x->reverses] = 1;
        }
        memcpy(prev, h, sizeof prev);
    }
    memcpy(c->head, prev, sizeof prev);
    const char *key = l->public_key;
    if (pin_pk && strcmp(pin_pk, key) != 0) {
        bad(c, lang, 0,
            N_("the ledger's public key %.16s... is not the expected key %.16s... (signed by "
               "another organisation's key?)"),
            key, pin_pk);
        goto done;
    }
    int64_t signed_to = 0;
    for (size_t k = 0; k < l->n_sig; k++) {
        const sol_ledger_sig *s = &l->sig[k];
        if (strcmp(s->public_key, key) != 0) {
            bad(c, lang, s->seq,
                N_("the signature of the chain up to entry %lld was made by another key (%.16s...) "
                   "than the published one (%.16s...)"),
                (long long)s->seq, s->public_key, key);
            goto done;
        }
        if (s->seq < 1 || (size_t)s->seq > l->n) {
            bad(c, lang, s->seq, N_("a signature names entry %lld, which is not in the ledger"),
                (long long)s->seq);
            goto done;
        }
        if (strcmp(s->head_hash, l->e[s->seq - 1].hash) != 0) {
            bad(c, lang, s->seq,
                N_("the signature up to entry %lld covers another chain: entries up to %lld were "
                   "changed after they were signed"),
                (long long)s->seq, (long long)s->seq);
            goto done;
        }
        if (!sol_ledger_sig_ok(key, s->seq, s->head_hash, s->signature)) {
            bad(c, lang, s->seq,
                N_("the signature up to entry %lld is not valid for the published key (a wrong "
                   "or altered signature)"),
                (long long)s->seq);
            goto done;
        }
        if (s->seq > signed_to)
            signed_to = s->seq;
    }
    if (l->n > 0 && (size_t)signed_to != l->n) {
        bad(c, lang, signed_to + 1,
            N_("entries %lld to %lld are not signed: the ledger is signed only up to entry %lld"),
            (long long)signed_to + 1, (long long)l->n, (long long)signed_to);
        goto done;
    }
    c->ok = 1;
    snprintf(c->what, sizeof c->what,
             sol_lngettext(lang,
                           "%zu entry, chain intact, signed up to the last entry by key "
                           "%.16s...",
                           "%zu entries, chain intact, signed up to the last entry by key "
                           "%.16s...",
                           l->n),
             l->n, key);
done:
    sol__free(reversed);
    return SOL_OK;
}

/* ---- totals ------------------------------------------------------------------------------- */

/* An entry's amount in the campaign's currency; 0 for an amount or rate out of range (a file
 * that does not verify may hold anything: totals never overflow) */
static int64_t in_campaign_currency(const sol_ledger_entry *x)
{
    if (x->amount_cents <= 0 || x->amount_cents > SOL_LEDGER_MAX_CENTS ||
        x->rate_ppm > 1000000000000LL)
        return 0;
    if (x->rate_ppm <= 0)
        return x->amount_cents;
    double v = (double)x->amount_cents * (double)x->rate_ppm / 1e6;
    return v < 9e18 ? (int64_t)llround(v) : 0;
}

static void add_sat(int64_t *acc, int64_t v)
{
    if (__builtin_add_overflow(*acc, v, acc))
        *acc = v > 0 ? INT64_MAX : INT64_MIN;
}

void sol_ledger_totals_compute(const sol_ledger *l, sol_ledger_totals *t)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < l->n; i++) {
        const sol_ledger_entry *x = &l->e[i];
        int sign = 1;
        const sol_ledger_entry *y = x;
        if (x->kind == SOL_LEDGER_REVERSAL) {
            t->n_reversals++;
            if (x->reverses < 1 || (size_t)x->reverses > l->n)
                continue;
            y = &l->e[x->reverses - 1];
            sign = -1;
        } else if (x->kind == SOL_LEDGER_DONATION)
            t->n_donations++;
        else
            t->n_expenditures++;
        int64_t v = sign * in_campaign_currency(y);
        if (y->kind == SOL_LEDGER_DONATION)
            add_sat(&t->donations_cents, v);
        else if (y->kind == SOL_LEDGER_EXPENDITURE) {
            if (strcmp(y->category, "objective") == 0)
                add_sat(&t->objective_cents, v);
            else
                add_sat(&t->running_cents, v);
        }
        if (!t->first_date[0] || strcmp(x->date, t->first_date) < 0)
            memcpy(t->first_date, x->date, sizeof t->first_date);
        if (strcmp(x->date, t->last_date) > 0)
            memcpy(t->last_date, x->date, sizeof t->last_date);
    }
    int64_t spent = t->objective_cents;
    add_sat(&spent, t->running_cents);
    t->balance_cents = t->donations_cents;
    add_sat(&t->balance_cents, spent == INT64_MIN ? INT64_MAX : -spent);
    t->objective_pct = spent > 0 ? 100.0 * (double)t->objective_cents / (double)spent : NAN;
    t->running_pct = spent > 0 ? 100.0 * (double)t->running_cents / (double)spent : NAN;
    t->budget_used_pct =
        l->decl.budget_cents > 0 ? 100.0 * (double)spent / (double)l->decl.budget_cents : NAN;
}
