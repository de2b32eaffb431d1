/* test_ledger.c - the campaign ledger: canonical bodies and hashes against a vector made with
 * sha256sum (tests/data/ledger), signatures, tampering always detected (a seeded property test),
 * file round trip, totals, label rules and the open-standard writers. */
#include <solidata/ledger.h>

#include "harness.h"

#include <stdint.h>

static void decl_vector(sol_ledger_decl *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->name, sizeof d->name, "vector");
    snprintf(d->kind, sizeof d->kind, "fundraising");
    snprintf(d->objective, sizeof d->objective, "Coats \"for\" winter\nand blankets");
    snprintf(d->currency, sizeof d->currency, "EUR");
    d->budget_cents = 100000;
    snprintf(d->starts, sizeof d->starts, "2026-12-01");
    snprintf(d->ends, sizeof d->ends, "2027-02-28");
    snprintf(d->created_at, sizeof d->created_at, "2026-11-30T09:00:00Z");
}

static sol_ledger_entry donation(int64_t seq, const char *date, int64_t cents, const char *cur,
                                 int64_t rate, const char *channel, const char *donor)
{
    sol_ledger_entry e;
    memset(&e, 0, sizeof e);
    e.seq = seq;
    e.kind = SOL_LEDGER_DONATION;
    snprintf(e.date, sizeof e.date, "%s", date);
    e.amount_cents = cents;
    snprintf(e.currency, sizeof e.currency, "%s", cur);
    e.rate_ppm = rate;
    snprintf(e.channel, sizeof e.channel, "%s", channel);
    snprintf(e.donor, sizeof e.donor, "%s", donor);
    return e;
}

static sol_ledger_entry expense(int64_t seq, const char *date, int64_t cents, const char *cat,
                                const char *what)
{
    sol_ledger_entry e;
    memset(&e, 0, sizeof e);
    e.seq = seq;
    e.kind = SOL_LEDGER_EXPENDITURE;
    snprintf(e.date, sizeof e.date, "%s", date);
    e.amount_cents = cents;
    snprintf(e.currency, sizeof e.currency, "EUR");
    snprintf(e.category, sizeof e.category, "%s", cat);
    snprintf(e.what, sizeof e.what, "%s", what);
    return e;
}

/* the vector's expected hashes, read from tests/data/ledger/vector.txt */
static int read_vector(char h[5][65])
{
    FILE *f = fopen("tests/data/ledger/vector.txt", "r");
    if (f == NULL)
        return -1;
    char name[16];
    for (int i = 0; i < 5; i++)
        if (fscanf(f, "%15s %64s", name, h[i]) != 2) {
            fclose(f);
            return -1;
        }
    fclose(f);
    return 0;
}

/* chain the entries of l (prev_hash, hash) from its declaration */
static void chain(sol_ledger *l)
{
    char *b = NULL, prev[65];
    sol_ledger_decl_body(&l->decl, &b, NULL);
    sol_ledger_hash(NULL, b, strlen(b), prev);
    sol_free(b);
    for (size_t i = 0; i < l->n; i++) {
        memcpy(l->e[i].prev_hash, prev, 65);
        b = NULL;
        if (sol_ledger_entry_body(&l->e[i], &b, NULL) != SOL_OK) {
            fprintf(stderr, "bad entry %zu\n", i);
            abort();
        }
        sol_ledger_hash(prev, b, strlen(b), l->e[i].hash);
        memcpy(prev, l->e[i].hash, 65);
        sol_free(b);
    }
}

static void sign_head(sol_ledger *l, const char *sk, const char *pk)
{
    sol_ledger_sig g;
    memset(&g, 0, sizeof g);
    g.seq = (int64_t)l->n;
    memcpy(g.head_hash, l->e[l->n - 1].hash, 65);
    memcpy(g.public_key, pk, 65);
    snprintf(g.at, sizeof g.at, "2026-12-08T00:00:00Z");
    if (sol_ledger_sign(sk, g.seq, g.head_hash, g.signature, NULL) != SOL_OK)
        abort();
    sol_ledger_push_sig(l, &g);
}

static sol_ledger *vector_ledger(void)
{
    sol_ledger *l = sol_ledger_new();
    decl_vector(&l->decl);
    sol_ledger_entry e = donation(1, "2026-12-03", 5000, "EUR", 0, "bank", "d-0001");
    sol_ledger_push(l, &e);
    e = expense(2, "2026-12-05", 12000, "objective", "coperte\t\xc3\xa8");
    sol_ledger_push(l, &e);
    e = donation(3, "2026-12-06", 1000, "USD", 920000, "online", "anonymous");
    sol_ledger_push(l, &e);
    memset(&e, 0, sizeof e);
    e.seq = 4;
    e.kind = SOL_LEDGER_REVERSAL;
    snprintf(e.date, sizeof e.date, "2026-12-07");
    e.reverses = 1;
    snprintf(e.why, sizeof e.why, "bank returned it");
    sol_ledger_push(l, &e);
    chain(l);
    return l;
}

TEST(canonical_bodies_and_hashes_match_the_sha256sum_vector)
{
    char want[5][65];
    ASSERT(read_vector(want) == 0);
    sol_ledger *l = vector_ledger();
    char *b = NULL, g[65];
    ASSERT_STATUS(sol_ledger_decl_body(&l->decl, &b, NULL), SOL_OK);
    ASSERT_STR_EQ(b, "{\"format\":\"solidata-ledger/1\",\"name\":\"vector\",\"kind\":"
                     "\"fundraising\",\"objective\":\"Coats \\\"for\\\" winter\\nand blankets\","
                     "\"currency\":\"EUR\",\"budget_cents\":100000,\"starts\":\"2026-12-01\","
                     "\"ends\":\"2027-02-28\",\"created_at\":\"2026-11-30T09:00:00Z\"}");
    sol_ledger_hash(NULL, b, strlen(b), g);
    sol_free(b);
    ASSERT_STR_EQ(g, want[0]);
    ASSERT_STATUS(sol_ledger_entry_body(&l->e[1], &b, NULL), SOL_OK);
    ASSERT_STR_EQ(b, "{\"seq\":2,\"kind\":\"expenditure\",\"date\":\"2026-12-05\",\"amount_"
                     "cents\":12000,\"currency\":\"EUR\",\"category\":\"objective\",\"what\":"
                     "\"coperte\\t\xc3\xa8\"}");
    sol_free(b);
    for (int i = 0; i < 4; i++)
        ASSERT_STR_EQ(l->e[i].hash, want[i + 1]);
    sol_ledger_free(l);
}

TEST(control_characters_are_escaped_as_json_stringify_does)
{
    sol_ledger_entry e = expense(1, "2026-01-01", 1, "running",
                                 "a\x01"
                                 "b\\c\r");
    char *b = NULL;
    ASSERT_STATUS(sol_ledger_entry_body(&e, &b, NULL), SOL_OK);
    ASSERT(strstr(b, "\"what\":\"a\\u0001b\\\\c\\r\"}") != NULL);
    sol_free(b);
}

TEST(signed_vector_verifies_and_totals_add_up)
{
    char pk[65], sk[129];
    ASSERT_STATUS(sol_ledger_keypair(pk, sk, NULL), SOL_OK);
    sol_ledger *l = vector_ledger();
    memcpy(l->public_key, pk, 65);
    sign_head(l, sk, pk);
    sol_ledger_check c;
    ASSERT_STATUS(sol_ledger_verify(l, NULL, SOL_LANG_EN, &c), SOL_OK);
    ASSERT(c.ok);
    ASSERT_STATUS(sol_ledger_verify(l, pk, SOL_LANG_EN, &c), SOL_OK);
    ASSERT(c.ok);
    sol_ledger_totals t;
    sol_ledger_totals_compute(l, &t);
    /* 50.00 reversed; 10 USD at 0.92 = 9.20 EUR; 120.00 on the objective */
    ASSERT_EQ(t.donations_cents, 920);
    ASSERT_EQ(t.objective_cents, 12000);
    ASSERT_EQ(t.running_cents, 0);
    ASSERT_EQ(t.balance_cents, 920 - 12000);
    ASSERT_EQ(t.n_reversals, 1);
    /* not signed up to the end: refused */
    sol_ledger_entry e = donation(5, "2026-12-09", 100, "EUR", 0, "cash", "anonymous");
    sol_ledger_push(l, &e);
    chain(l);
    ASSERT_STATUS(sol_ledger_verify(l, NULL, SOL_LANG_EN, &c), SOL_OK);
    ASSERT(!c.ok);
    ASSERT_EQ(c.bad_seq, 5);
    sol_ledger_free(l);
}

TEST(entry_checks_refuse_bad_input)
{
    sol_error err;
    sol_ledger_entry e = donation(1, "2026-12-03", -100, "EUR", 0, "bank", "anonymous");
    ASSERT_STATUS(sol_ledger_entry_check(&e, &err), SOL_EINVAL);
    ASSERT_STR_EQ(err.where, "--donation");
    e = donation(1, "2026-12-03", 100, "EUR", 0, "bank", "Mario Rossi");
    ASSERT_STATUS(sol_ledger_entry_check(&e, &err), SOL_EINVAL);
    e = donation(1, "2026-13-03", 100, "EUR", 0, "bank", "anonymous");
    ASSERT_STATUS(sol_ledger_entry_check(&e, &err), SOL_EINVAL);
    e = donation(1, "2026-12-03", 100, "eur", 0, "bank", "anonymous");
    ASSERT_STATUS(sol_ledger_entry_check(&e, &err), SOL_EINVAL);
    e = expense(1, "2026-12-03", 100, "salaries", "x");
    ASSERT_STATUS(sol_ledger_entry_check(&e, &err), SOL_EINVAL);
    ASSERT(sol_ledger_donor_ok("d-0001"));
    ASSERT(sol_ledger_donor_ok("anonymous"));
    ASSERT(!sol_ledger_donor_ok("mario"));
    ASSERT(!sol_ledger_donor_ok("Mario1"));
}

/* splitmix64: a seeded stream for the property test */
static uint64_t rng_state;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static sol_ledger *random_ledger(size_t n, const char *pk, const char *sk)
{
    sol_ledger *l = sol_ledger_new();
    decl_vector(&l->decl);
    memcpy(l->public_key, pk, 65);
    for (size_t i = 0; i < n; i++) {
        char date[11];
        snprintf(date, sizeof date, "2026-12-%02d", (int)(1 + rnd() % 28));
        int64_t cents = (int64_t)(1 + rnd() % 100000);
        sol_ledger_entry e =
            rnd() % 3 ? donation((int64_t)i + 1, date, cents, "EUR", 0, "online", "d-7f3a")
                      : expense((int64_t)i + 1, date, cents, rnd() % 2 ? "objective" : "running",
                                "food parcels");
        sol_ledger_push(l, &e);
        chain(l);
        if (rnd() % 4 == 0 || i + 1 == n)
            sign_head(l, sk, pk);
    }
    return l;
}

static sol_ledger *copy_ledger(const sol_ledger *l)
{
    sol_ledger *c = sol_ledger_new();
    c->decl = l->decl;
    memcpy(c->public_key, l->public_key, 65);
    for (size_t i = 0; i < l->n; i++)
        sol_ledger_push(c, &l->e[i]);
    for (size_t k = 0; k < l->n_sig; k++)
        sol_ledger_push_sig(c, &l->sig[k]);
    return c;
}

TEST(every_single_tampering_is_detected_over_seeded_random_ledgers)
{
    char pk[65], sk[129], pk2[65], sk2[129];
    ASSERT_STATUS(sol_ledger_keypair(pk, sk, NULL), SOL_OK);
    ASSERT_STATUS(sol_ledger_keypair(pk2, sk2, NULL), SOL_OK);
    rng_state = 20261207;
    int detected = 0, tried = 0;
    for (int round = 0; round < 60; round++) {
        size_t n = 2 + rnd() % 20;
        sol_ledger *l = random_ledger(n, pk, sk);
        sol_ledger_check c;
        sol_ledger_verify(l, pk, SOL_LANG_EN, &c);
        ASSERT(c.ok);
        for (int kind = 0; kind < 7; kind++) {
            sol_ledger *t = copy_ledger(l);
            size_t i = rnd() % n;
            switch (kind) {
            case 0: /* an amount changed */
                t->e[i].amount_cents += 1 + (int64_t)(rnd() % 1000);
                break;
            case 1: /* an amount changed and the chain recomputed from there */
                t->e[i].amount_cents += 1;
                chain(t);
                break;
            case 2: /* an entry removed */
                memmove(&t->e[i], &t->e[i + 1], (t->n - i - 1) * sizeof *t->e);
                t->n--;
                break;
            case 3: { /* two neighbours swapped */
                size_t j = i + 1 < n ? i + 1 : i - 1;
                sol_ledger_entry x = t->e[i];
                t->e[i] = t->e[j];
                t->e[j] = x;
                break;
            }
            case 4: { /* a signature byte flipped */
                size_t k = rnd() % t->n_sig, b = rnd() % 128;
                char *s = t->sig[k].signature;
                s[b] = s[b] == '0' ? '1' : '0';
                break;
            }
            case 5: /* re-signed by another key, which the file then claims as its own */
                t->n_sig = 0;
                memcpy(t->public_key, pk2, 65);
                sign_head(t, sk2, pk2);
                break;
            case 6: /* the last entry dropped with its signature (a truncation) */
                t->n--;
                while (t->n_sig && (size_t)t->sig[t->n_sig - 1].seq > t->n)
                    t->n_sig--;
                if (t->n == 0)
                    t->n_sig = 0;
                break;
            }
            /* a truncation keeps a valid prefix: detected only when the prefix is no longer
             * signed up to its end, or by comparing the head a reader saw before */
            sol_ledger_verify(t, pk, SOL_LANG_EN, &c);
            if (kind == 6) {
                if (c.ok)
                    ASSERT(strcmp(c.head, l->e[n - 1].hash) != 0);
            } else {
                tried++;
                detected += !c.ok;
                if (c.ok)
                    HARNESS_FAIL("round %d kind %d entry %zu not detected", round, kind, i);
            }
            sol_ledger_free(t);
        }
        sol_ledger_free(l);
    }
    ASSERT_EQ(detected, tried);
}

TEST(file_round_trip_and_unknown_keys)
{
    char pk[65], sk[129];
    sol_ledger_keypair(pk, sk, NULL);
    sol_ledger *l = vector_ledger();
    memcpy(l->public_key, pk, 65);
    sign_head(l, sk, pk);
    char *j = NULL;
    ASSERT_STATUS(sol_ledger_write_json(l, &j, NULL), SOL_OK);
    sol_ledger *r = NULL;
    ASSERT_STATUS(sol_ledger_read_json(j, strlen(j), "l.json", &r, NULL), SOL_OK);
    ASSERT_EQ(r->n, 4);
    ASSERT_STR_EQ(r->e[1].what, "coperte\t\xc3\xa8");
    sol_ledger_check c;
    sol_ledger_verify(r, pk, SOL_LANG_EN, &c);
    ASSERT(c.ok);
    sol_ledger_free(r);
    /* an extra key inside a body is refused, not ignored */
    char *p = strstr(j, "\"donor\"");
    ASSERT(p != NULL);
    size_t off = (size_t)(p - j);
    size_t kn = strlen(j) + 32;
    char *k = malloc(kn);
    snprintf(k, kn, "%.*s\"name\": \"Mario\", %s", (int)off, j, j + off);
    sol_error err;
    ASSERT_STATUS(sol_ledger_read_json(k, strlen(k), "l.json", &r, &err), SOL_EPARSE);
    ASSERT(strstr(err.msg, "unknown key 'name'") != NULL);
    free(k);
    sol_free(j);
    sol_ledger_free(l);
}

TEST(label_rules_unknown_name_lists_close_ones)
{
    const char *bad = "{\"label\":\"L\",\"rules\":[{\"rule\":\"ledger_verfies\"}]}";
    sol_label_rules *r = NULL;
    sol_error err;
    ASSERT_STATUS(sol_label_rules_parse(bad, strlen(bad), "r.json", &r, &err), SOL_EINVAL);
    ASSERT(strstr(err.msg, "did you mean 'ledger_verifies'") != NULL);
    ASSERT(strstr(err.msg, "running_costs_max_pct") != NULL);
    const char *noparam = "{\"label\":\"L\",\"rules\":[{\"rule\":\"running_costs_max_pct\"}]}";
    ASSERT_STATUS(sol_label_rules_parse(noparam, strlen(noparam), "r.json", &r, &err), SOL_EINVAL);
}

TEST(label_evaluation_pass_fail_and_not_applicable)
{
    const char *txt = "{\"label\":\"L\",\"rules\":[{\"rule\":\"objective_stated\"},"
                      "{\"rule\":\"running_costs_max_pct\",\"pct\":10},"
                      "{\"rule\":\"accounts_published_within_days\",\"days\":30},"
                      "{\"rule\":\"independent_review_over_eur\",\"eur\":1000}]}";
    sol_label_rules *r = NULL;
    ASSERT_STATUS(sol_label_rules_parse(txt, strlen(txt), "r.json", &r, NULL), SOL_OK);
    sol_ledger_totals t;
    memset(&t, 0, sizeof t);
    t.donations_cents = 500000;
    t.objective_cents = 80000;
    t.running_cents = 20000;
    t.running_pct = 20;
    sol_label_facts f = {.objective = "A winter help desk",
                         .ends = "2027-02-28",
                         .published_at = "2027-04-15T10:00:00Z",
                         .today = "2027-05-01",
                         .totals = &t,
                         .budget_cents = -1,
                         .ledger_verifies = 1};
    char *j = NULL;
    ASSERT_STATUS(sol_label_evaluate(r, "ab", &f, &j, NULL), SOL_OK);
    /* objective pass; running 20% > 10% unexplained: fail; published 46 days after: fail;
     * 5000 EUR over 1000 without review: fail */
    ASSERT(strstr(j, "\"passed\":1,\"failed\":3,\"not_applicable\":0") != NULL);
    sol_free(j);
    f.running_note = "the help desk's phone line is the service itself";
    f.published_at = "2027-03-10";
    f.review_by = "Revisore dei conti";
    f.review_date = "2027-03-20";
    ASSERT_STATUS(sol_label_evaluate(r, "ab", &f, &j, NULL), SOL_OK);
    ASSERT(strstr(j, "\"passed\":4,\"failed\":0") != NULL);
    char *svg = NULL;
    ASSERT_STATUS(sol_label_badge_svg(j, SOL_LANG_EN, &svg, NULL), SOL_OK);
    ASSERT(strstr(svg, "4 of 4 rules passed") != NULL);
    sol_free(svg);
    sol_free(j);
    sol_label_rules_free(r);
}

TEST(giving360_has_the_required_fields)
{
    sol_ledger *l = vector_ledger();
    sol_ledger_export_info x = {.org_ref = "IT-CF-97000000000",
                                .org_name = "Associazione",
                                .lang = "it",
                                .today = "2026-12-10",
                                .generated = "2026-12-10T00:00:00Z"};
    char *j = NULL;
    ASSERT_STATUS(sol_ledger_360giving_json(l, &x, &j, NULL), SOL_OK);
    const char *req[] = {"\"id\"",
                         "\"title\"",
                         "\"description\"",
                         "\"currency\"",
                         "\"amountAwarded\"",
                         "\"awardDate\"",
                         "\"recipientOrganization\"",
                         "\"fundingOrganization\""};
    for (size_t i = 0; i < sizeof req / sizeof *req; i++)
        if (strstr(j, req[i]) == NULL)
            HARNESS_FAIL("360Giving grant without %s", req[i]);
    ASSERT(strstr(j, "\"d-0001\"") == NULL); /* no donor in a grant */
    sol_free(j);
    x.org_ref = NULL;
    ASSERT_STATUS(sol_ledger_360giving_json(l, &x, &j, NULL), SOL_EINVAL);
    sol_ledger_free(l);
}
