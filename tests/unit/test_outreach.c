/* test_outreach.c - audiences (src/outreach): the rule parser and its errors with positions, the
 * JSON form, the type-7 quantile, the evaluation against a brute-force evaluation written here
 * over the real Lazio IRPEF data, the k-anonymity property over many random rules (no audience,
 * intersection or difference reveals a cell below k), special categories, non-take-up. */
#include "harness.h"

#include <solidata/outreach.h>
#include <solidata/status.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the parser ---------------------------------------------------------------------------- */

TEST(parse_full_rule)
{
    sol_aud_rule *r = NULL;
    sol_error e;
    ASSERT_EQ(sol_aud_rule_parse("level municipality; within 12, 056; pct_pension_recipients in "
                                 "top 25%; pct_income_0_10k > 30 and x <= 2.5\n"
                                 "period 2021; people pension_income_n * share pct_a; purpose "
                                 "public-service \"winter \\\"desk\\\"\"",
                                 &r, &e),
              SOL_OK);
    ASSERT_STR_EQ(r->level, "municipality");
    ASSERT_EQ(r->n_within, 2);
    ASSERT_STR_EQ(r->within[1], "056");
    ASSERT_EQ(r->n_cond, 3);
    ASSERT_EQ(r->cond[0].op, SOL_AUD_TOP);
    ASSERT(r->cond[0].value == 25);
    ASSERT_EQ(r->cond[1].op, SOL_AUD_GT);
    ASSERT_EQ(r->cond[2].op, SOL_AUD_LE);
    ASSERT(r->cond[2].value == 2.5);
    ASSERT_STR_EQ(r->period, "2021");
    ASSERT_STR_EQ(r->people, "pension_income_n");
    ASSERT_STR_EQ(r->share, "pct_a");
    ASSERT_EQ(r->public_service, 1);
    ASSERT_STR_EQ(r->purpose, "winter \"desk\"");
    /* the canonical text reads back to the same rule */
    char *t = NULL, *j = NULL, *t2 = NULL;
    ASSERT_EQ(sol_aud_rule_text(r, &t, &e), SOL_OK);
    sol_aud_rule *r2 = NULL;
    ASSERT_EQ(sol_aud_rule_parse(t, &r2, &e), SOL_OK);
    ASSERT_EQ(sol_aud_rule_text(r2, &t2, &e), SOL_OK);
    ASSERT_STR_EQ(t, t2);
    /* and so does the JSON */
    ASSERT_EQ(sol_aud_rule_json(r, &j, &e), SOL_OK);
    sol_aud_rule *r3 = NULL;
    ASSERT_EQ(sol_aud_rule_from_json(j, &r3, &e), SOL_OK);
    char *t3 = NULL;
    ASSERT_EQ(sol_aud_rule_text(r3, &t3, &e), SOL_OK);
    ASSERT_STR_EQ(t, t3);
    sol_free(t);
    sol_free(t2);
    sol_free(t3);
    sol_free(j);
    sol_aud_rule_free(r);
    sol_aud_rule_free(r2);
    sol_aud_rule_free(r3);
}

/* the error's position and words for a bad rule */
static void bad(const char *rule, const char *where, const char *words)
{
    sol_aud_rule *r = NULL;
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = sol_aud_rule_parse(rule, &r, &e);
    if (rc == SOL_OK) {
        sol_aud_rule_free(r);
        HARNESS_FAIL("accepted: %s", rule);
    }
    if (r != NULL)
        HARNESS_FAIL("*out set on failure: %s", rule);
    if (strcmp(e.where, where) != 0)
        HARNESS_FAIL("%s: where '%s', expected '%s' (%s)", rule, e.where, where, e.msg);
    if (strstr(e.msg, words) == NULL)
        HARNESS_FAIL("%s: message '%s' lacks '%s'", rule, e.msg, words);
}

TEST(parse_errors_say_where)
{
    bad("level municipality; pct > ; people x", "rule:1:27", "a number");
    bad("pct = 3; people x", "rule:1:5", "use >, >=, < or <=");
    bad("pct in top 25; people x", "rule:1:14", "'%'");
    bad("pct in top 0%; people x", "rule:1:12", "above 0");
    bad("pct in middle 25%; people x", "rule:1:8", "'top' or 'bottom'");
    bad("level municipality\npct > 3", "rule:2:8", "people CODE");
    bad("levle municipality; people x", "rule:1:1", "'levle'");
    bad("people x; people y", "rule:1:11", "twice");
    bad("people x * ; level m", "rule:1:12", "share");
    bad("purpose public-service \"open; people x", "rule:1:24", "not closed");
    bad("within ; people x", "rule:1:8", "area code");
    bad("people x; level", "rule:1:16", "a level");
    bad("people x y", "rule:1:10", "';'");
}

TEST(parse_json_errors_name_the_member)
{
    sol_aud_rule *r = NULL;
    sol_error e;
    ASSERT_EQ(sol_aud_rule_from_json("{\"people\": \"x\", \"conditions\": [{\"indicator\": \"a\", "
                                     "\"op\": \"=\", \"value\": 3}]}",
                                     &r, &e),
              SOL_EPARSE);
    ASSERT_STR_EQ(e.where, "rule.conditions[0].op");
    ASSERT_EQ(sol_aud_rule_from_json("{\"conditions\": []}", &r, &e), SOL_EPARSE);
    ASSERT_STR_EQ(e.where, "rule.people");
    ASSERT_EQ(sol_aud_rule_from_json("{\"people\": \"x\", \"colour\": 1}", &r, &e), SOL_EPARSE);
    ASSERT(strstr(e.msg, "colour") != NULL);
    ASSERT_EQ(sol_aud_rule_from_json("[1]", &r, &e), SOL_EPARSE);
    ASSERT(r == NULL);
    /* a period the text form cannot say, and a level on two lines, are refused */
    ASSERT_EQ(sol_aud_rule_from_json("{\"people\": \"x\", \"period\": \"2021 Q1\"}", &r, &e),
              SOL_EPARSE);
    ASSERT_STR_EQ(e.where, "rule.period");
    ASSERT_EQ(sol_aud_rule_from_json("{\"people\": \"x\", \"level\": \"a\\nb\"}", &r, &e),
              SOL_EPARSE);
    ASSERT_STR_EQ(e.where, "rule.level");
    ASSERT(r == NULL);
}

/* A level that is not one word (a store's levels are any text: "census tract") is written in
 * quotes and reads back as itself; found by fuzz_audience, where "municipality;" came back as
 * another rule. */
TEST(rule_level_not_a_word)
{
    static const char *const levels[] = {"census tract", "municipality;", "a\"b\\c", "in", "+x"};
    for (size_t i = 0; i < sizeof levels / sizeof *levels; i++) {
        char js[256];
        snprintf(js, sizeof js, "{\"people\": \"p\", \"level\": %s}",
                 i == 2 ? "\"a\\\"b\\\\c\"" : "\"LEVEL\"");
        if (i != 2) {
            char *at = strstr(js, "LEVEL");
            snprintf(at, sizeof js - (size_t)(at - js), "%s\"}", levels[i]);
        }
        sol_aud_rule *r = NULL, *r2 = NULL;
        sol_error e;
        char *t = NULL, *t2 = NULL;
        ASSERT_EQ(sol_aud_rule_from_json(js, &r, &e), SOL_OK);
        ASSERT_STR_EQ(r->level, levels[i]);
        ASSERT_EQ(sol_aud_rule_text(r, &t, &e), SOL_OK);
        ASSERT_EQ(sol_aud_rule_parse(t, &r2, &e), SOL_OK);
        ASSERT_STR_EQ(r2->level, levels[i]);
        ASSERT_EQ(sol_aud_rule_text(r2, &t2, &e), SOL_OK);
        ASSERT_STR_EQ(t, t2);
        sol_free(t);
        sol_free(t2);
        sol_aud_rule_free(r);
        sol_aud_rule_free(r2);
    }
}

/* '+' belongs to a code anywhere ("pop_65+"), and a number written back as 1e+300 is one word:
 * the text of a rule read from JSON reads back (fuzz_audience checks it on any input). */
TEST(rule_codes_with_plus_read_back)
{
    sol_aud_rule *r = NULL, *r2 = NULL;
    sol_error e;
    char *t = NULL, *t2 = NULL;
    ASSERT_EQ(sol_aud_rule_from_json("{\"people\": \"p+1\", \"conditions\": [{\"indicator\": "
                                     "\"pop_65+\", \"op\": \">\", \"value\": 1e300}]}",
                                     &r, &e),
              SOL_OK);
    ASSERT_EQ(sol_aud_rule_text(r, &t, &e), SOL_OK);
    ASSERT_STR_EQ(t, "pop_65+ > 1e+300; people p+1");
    ASSERT_EQ(sol_aud_rule_parse(t, &r2, &e), SOL_OK);
    ASSERT_STR_EQ(r2->cond[0].indicator, "pop_65+");
    ASSERT(r2->cond[0].value == 1e300);
    ASSERT_EQ(sol_aud_rule_text(r2, &t2, &e), SOL_OK);
    ASSERT_STR_EQ(t, t2);
    sol_free(t);
    sol_free(t2);
    sol_aud_rule_free(r);
    sol_aud_rule_free(r2);
}

/* R: quantile(1:10, 0.75) = 7.75; quantile(c(1, 1, 3, 4, 5), c(0.25, 0.9)) = 1, 4.6 (type 7:
 * h = (n - 1) p, x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h])) */
TEST(quantile_type7)
{
    double x[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, y[5] = {1, 1, 3, 4, 5};
    ASSERT_REL(sol_aud_quantile7(x, 10, 0.75), 7.75, 1e-15);
    ASSERT_REL(sol_aud_quantile7(y, 5, 0.25), 1.0, 1e-15);
    ASSERT_REL(sol_aud_quantile7(y, 5, 0.9), 4.6, 1e-15);
    ASSERT_REL(sol_aud_quantile7(y, 5, 1), 5.0, 1e-15);
    ASSERT(isnan(sol_aud_quantile7(y, 0, 0.5)));
}

/* ---- the Lazio data, read here with plain C ---------------------------------------------------
 */

typedef struct lazio {
    size_t n;
    char code[400][8];
    double col[8][400]; /* see COLS */
} lazio;

static const char *const COLS[] = {
    "pct_pension_recipients", "pct_income_0_10k", "pct_income_0_15k", "pct_employees",
    "pension_income_n",       "inc_0_10k_n",      "taxpayers",        "employee_income_n"};
enum { NCOND = 4, NCOLS = 8 };

static int load_lazio(lazio *L, const char *year)
{
    FILE *f = fopen("examples/data/lazio_irpef_income.csv", "r");
    if (f == NULL)
        return -1;
    char line[4096];
    int idx[NCOLS];
    char *hdr = fgets(line, sizeof line, f);
    if (hdr == NULL) {
        fclose(f);
        return -1;
    }
    line[strcspn(line, "\r\n")] = '\0';
    int k = 0;
    for (char *p = line, *q; p; p = q, k++) {
        q = strchr(p, ',');
        if (q)
            *q++ = '\0';
        for (int c = 0; c < NCOLS; c++)
            if (strcmp(p, COLS[c]) == 0)
                idx[c] = k;
    }
    L->n = 0;
    while (fgets(line, sizeof line, f) && L->n < 400) {
        line[strcspn(line, "\r\n")] = '\0';
        char *field[64];
        int nf = 0;
        for (char *p = line, *q; p && nf < 64; p = q) {
            q = strchr(p, ',');
            if (q)
                *q++ = '\0';
            field[nf++] = p;
        }
        if (strcmp(field[3], year) != 0)
            continue;
        snprintf(L->code[L->n], sizeof L->code[0], "%s", field[0]);
        for (int c = 0; c < NCOLS; c++)
            L->col[c][L->n] = *field[idx[c]] ? strtod(field[idx[c]], NULL) : NAN;
        L->n++;
    }
    fclose(f);
    return 0;
}

/* ---- a brute-force evaluation: the rule's meaning, written as plainly as possible ------------ */

static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* the count's value is withheld when it is a small count (below 10), as the store would do */
static int small(double x)
{
    return !isnan(x) && x < 10;
}

static void brute(const lazio *L, int ncond, const int *ci, const int *op, const double *v,
                  int people, unsigned char *sel, double *total)
{
    double cut[NCOND];
    for (int c = 0; c < ncond; c++) {
        double s[400];
        size_t m = 0;
        for (size_t i = 0; i < L->n; i++)
            if (!isnan(L->col[ci[c]][i]))
                s[m++] = L->col[ci[c]][i];
        qsort(s, m, sizeof *s, cmpd);
        double p = op[c] == SOL_AUD_TOP ? 1 - v[c] / 100 : v[c] / 100;
        double h = (double)(m - 1) * p;
        size_t lo = (size_t)h;
        cut[c] = lo + 1 < m ? s[lo] + (h - (double)lo) * (s[lo + 1] - s[lo]) : s[m - 1];
    }
    *total = 0;
    for (size_t i = 0; i < L->n; i++) {
        int ok = !isnan(L->col[people][i]) && !small(L->col[people][i]);
        for (int c = 0; c < ncond && ok; c++) {
            double x = L->col[ci[c]][i];
            if (isnan(x))
                ok = 0;
            else if (op[c] == SOL_AUD_GT)
                ok = x > v[c];
            else if (op[c] == SOL_AUD_GE)
                ok = x >= v[c];
            else if (op[c] == SOL_AUD_LT)
                ok = x < v[c];
            else if (op[c] == SOL_AUD_LE)
                ok = x <= v[c];
            else if (op[c] == SOL_AUD_TOP)
                ok = x >= cut[c];
            else
                ok = x <= cut[c];
        }
        sel[i] = (unsigned char)ok;
        if (ok)
            *total += L->col[people][i];
    }
}

/* a rule as text from its parts, evaluated through the parser and sol_aud_evaluate */
static sol_status ours(const lazio *L, int ncond, const int *ci, const int *op, const double *v,
                       int people, sol_aud_eval **ev)
{
    char text[1024];
    size_t u = 0;
    for (int c = 0; c < ncond; c++) {
        if (op[c] == SOL_AUD_TOP || op[c] == SOL_AUD_BOTTOM)
            u += (size_t)snprintf(text + u, sizeof text - u, "%s in %s %.17g%%; ", COLS[ci[c]],
                                  op[c] == SOL_AUD_TOP ? "top" : "bottom", v[c]);
        else
            u += (size_t)snprintf(text + u, sizeof text - u, "%s %s %.17g; ", COLS[ci[c]],
                                  sol_aud_op_name((sol_aud_op)op[c]), v[c]);
    }
    snprintf(text + u, sizeof text - u, "people %s", COLS[people]);
    sol_aud_rule *r = NULL;
    sol_error e;
    sol_status rc = sol_aud_rule_parse(text, &r, &e);
    if (rc != SOL_OK)
        return rc;
    static unsigned char wh[400];
    const double *cv[NCOND];
    for (int c = 0; c < ncond; c++)
        cv[c] = L->col[ci[c]];
    for (size_t i = 0; i < L->n; i++)
        wh[i] = (unsigned char)small(L->col[people][i]);
    sol_aud_data d = {.n = L->n,
                      .cond_value = cv,
                      .people = L->col[people],
                      .people_withheld = wh,
                      .share_scale = 1};
    rc = sol_aud_evaluate(r, &d, ev, &e);
    sol_aud_rule_free(r);
    return rc;
}

/* a small seeded generator, the same on every machine */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static double unif(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

TEST(evaluate_matches_brute_force_on_lazio)
{
    static lazio L;
    ASSERT_EQ(load_lazio(&L, "2021"), 0);
    ASSERT_EQ(L.n, 378);
    /* the rule of the demo, then 300 random ones */
    for (int t = 0; t <= 300; t++) {
        int ncond = t == 0 ? 2 : 1 + (int)(unif() * 3);
        int ci[NCOND], op[NCOND];
        double v[NCOND];
        for (int c = 0; c < ncond; c++) {
            ci[c] = t == 0 ? c : (int)(unif() * NCOND);
            op[c] = t == 0 ? (c == 0 ? SOL_AUD_TOP : SOL_AUD_GT) : (int)(unif() * 6);
            if (op[c] == SOL_AUD_TOP || op[c] == SOL_AUD_BOTTOM)
                v[c] = t == 0 ? 25 : 1 + floor(unif() * 60);
            else /* a threshold that is sometimes exactly a value of the data (ties) */
                v[c] = t == 0 ? 30
                              : (unif() < 0.3 ? L.col[ci[c]][(size_t)(unif() * 378)]
                                              : 10 + floor(unif() * 600) / 10);
        }
        int people = t == 0 ? 4 : 4 + (int)(unif() * 4);
        unsigned char sel[400];
        double total;
        brute(&L, ncond, ci, op, v, people, sel, &total);
        sol_aud_eval *ev = NULL;
        ASSERT_EQ(ours(&L, ncond, ci, op, v, people, &ev), SOL_OK);
        size_t nsel = 0;
        for (size_t i = 0; i < L.n; i++) {
            if ((ev->state[i] == SOL_AUD_SELECTED) != sel[i]) {
                sol_aud_eval_free(ev);
                HARNESS_FAIL("rule %d: area %s selected %d by brute force, state %d", t, L.code[i],
                             sel[i], ev->state[i]);
            }
            nsel += sel[i];
        }
        ASSERT_EQ(ev->n_selected, nsel);
        ASSERT(fabs(ev->total - total) <= 1e-9 * (1 + total));
        /* counts without SE: the interval is the estimate */
        ASSERT(ev->total_low == ev->total && ev->total_high == ev->total);
        sol_aud_eval_free(ev);
    }
}

/* people x share, with the interval from the share's SE (computed here by hand) */
TEST(people_times_share_interval)
{
    sol_aud_rule *r = NULL;
    sol_error e;
    ASSERT_EQ(sol_aud_rule_parse("people pop * share rate", &r, &e), SOL_OK);
    double pop[3] = {1000, 2000, 500}, rate[3] = {20, 10, NAN}, rse[3] = {2, NAN, 1},
           pse[3] = {NAN, 50, NAN};
    sol_aud_data d = {.n = 3,
                      .people = pop,
                      .people_se = pse,
                      .share = rate,
                      .share_se = rse,
                      .share_scale = 0.01};
    sol_aud_eval *ev = NULL;
    ASSERT_EQ(sol_aud_evaluate(r, &d, &ev, &e), SOL_OK);
    ASSERT_EQ(ev->state[2], SOL_AUD_MISSING);
    ASSERT_REL(ev->est[0], 200, 1e-15);
    ASSERT_REL(ev->low[0], 200 - 1.959963984540054 * 20, 1e-12);
    ASSERT_EQ(ev->interval[0], SOL_AUD_FROM_SHARE);
    /* no share SE: from the count's, 0.10 x 50 */
    ASSERT_REL(ev->high[1], 200 + 1.959963984540054 * 5, 1e-12);
    ASSERT_EQ(ev->interval[1], SOL_AUD_FROM_COUNT);
    ASSERT_REL(ev->total_high, 400 + 1.959963984540054 * sqrt(400 + 25), 1e-12);
    sol_aud_eval_free(ev);
    sol_aud_rule_free(r);
}

/* ---- k: the property over many random audiences ------------------------------------------------
 */

typedef struct aud {
    size_t n;
    const char *code[400];
    double people[400];
} aud;

TEST(k_anonymity_holds_for_every_pair)
{
    static lazio L;
    ASSERT_EQ(load_lazio(&L, "2021"), 0);
    const int64_t k = 100;
    static aud kept[400];
    size_t nk = 0, refused_pair = 0;
    rng_state = 12345;
    for (int t = 0; t < 400; t++) {
        int ncond = 1 + (int)(unif() * 2);
        int ci[NCOND], op[NCOND];
        double v[NCOND];
        for (int c = 0; c < ncond; c++) {
            ci[c] = (int)(unif() * NCOND);
            op[c] = (int)(unif() * 6);
            v[c] = op[c] >= SOL_AUD_TOP ? 5 + floor(unif() * 50) : 5 + floor(unif() * 60);
        }
        int people = 4 + (int)(unif() * 4);
        sol_aud_eval *ev = NULL;
        ASSERT_EQ(ours(&L, ncond, ci, op, v, people, &ev), SOL_OK);
        /* the audience's own cells: areas below k left out (--drop-small) */
        aud a = {0};
        for (size_t i = 0; i < L.n; i++)
            if (ev->state[i] == SOL_AUD_SELECTED && sol_aud_cell(ev->est[i]) >= k) {
                a.code[a.n] = L.code[i];
                a.people[a.n++] = ev->est[i];
            }
        sol_aud_eval_free(ev);
        if (a.n == 0)
            continue;
        int ok = 1;
        for (size_t b = 0; b < nk && ok; b++) {
            sol_aud_cells ca = {a.n, a.code, a.people},
                          cb = {kept[b].n, kept[b].code, kept[b].people};
            ok = sol_aud_pair_check(&ca, &cb, k, NULL) == 0;
        }
        if (!ok) {
            refused_pair++;
            continue;
        }
        kept[nk++] = a;
    }
    ASSERT(nk > 10);          /* the test means something: many audiences were kept */
    ASSERT(refused_pair > 0); /* ... and the combination check refused some */
    /* the property, checked independently: every audience, every pair, every area */
    for (size_t x = 0; x < nk; x++) {
        int64_t tx = 0;
        for (size_t i = 0; i < kept[x].n; i++) {
            int64_t c = (int64_t)llround(kept[x].people[i]);
            ASSERT(c >= k);
            tx += c;
        }
        for (size_t y = 0; y < x; y++) {
            int64_t ty = 0;
            for (size_t j = 0; j < kept[y].n; j++)
                ty += (int64_t)llround(kept[y].people[j]);
            int64_t dt = llabs(tx - ty);
            ASSERT(dt == 0 || dt >= k);
            for (size_t i = 0; i < kept[x].n; i++)
                for (size_t j = 0; j < kept[y].n; j++) {
                    if (strcmp(kept[x].code[i], kept[y].code[j]) != 0)
                        continue;
                    int64_t a = (int64_t)llround(kept[x].people[i]),
                            b = (int64_t)llround(kept[y].people[j]);
                    /* intersection min(a, b) >= k holds since both are; the differences: */
                    ASSERT(llabs(a - b) == 0 || llabs(a - b) >= k);
                    ASSERT((a < b ? a : b) >= k);
                }
        }
    }
    printf("  %zu audiences kept, %zu refused by the combination check\n", nk, refused_pair);
}

TEST(pair_check_reports_the_smallest_breach)
{
    const char *ca[3] = {"a", "b", "c"}, *cb[2] = {"b", "c"};
    double pa[3] = {500, 300, 200}, pb[2] = {250, 190};
    sol_aud_cells A = {3, ca, pa}, B = {2, cb, pb};
    sol_aud_breach br;
    /* b: |300 - 250| = 50; c: |200 - 190| = 10; totals: 1000 - 440 = 560 */
    ASSERT_EQ(sol_aud_pair_check(&A, &B, 100, &br), 2);
    ASSERT_STR_EQ(br.area, "c");
    ASSERT_EQ(br.cell, 10);
    ASSERT_EQ(sol_aud_pair_check(&A, &B, 10, &br), 0);
    /* the same audience twice reveals nothing new */
    ASSERT_EQ(sol_aud_pair_check(&A, &A, 100, NULL), 0);
    /* one area apart: the totals differ by that area's cell, at least k */
    sol_aud_cells A2 = {2, ca, pa};
    ASSERT_EQ(sol_aud_pair_check(&A, &A2, 100, NULL), 0);
}

TEST(special_categories)
{
    const char *why = NULL;
    ASSERT_EQ(sol_aud_special("x", "Beds", "health", NULL, &why), 1);
    ASSERT_EQ(sol_aud_special("disab_rate", NULL, "income", NULL, &why), 1);
    ASSERT_EQ(sol_aud_special("x", "Taux de personnes en situation de handicap", NULL, NULL, &why),
              1);
    ASSERT_EQ(sol_aud_special("x", "Iscritti a un sindacato", NULL, NULL, &why), 1);
    ASSERT_EQ(sol_aud_special("vote_share", NULL, NULL, NULL, &why), 1);
    ASSERT_EQ(sol_aud_special("my_code", "Anything", NULL, "a, my_code,b", &why), 1);
    ASSERT_STR_EQ(why, "audience.special");
    ASSERT_EQ(sol_aud_special("pct_pension_recipients", "Taxpayers receiving a pension", "income",
                              NULL, &why),
              0);
    ASSERT_EQ(sol_aud_special("taux_pauvrete_60_ref_75plus_pct",
                              "Taux de pauvreté selon l'âge du référent fiscal : 75 ans ou plus",
                              "income", "my_code", &why),
              0);
    ASSERT_EQ(sol_aud_special("environmental_score", "Archive", "environment", NULL, &why), 0);
}

/* ---- allocation failures: every one is reported, nothing leaks (the sanitizer build) ----------
 */

extern void sol__alloc_reset(void); /* library-internal, reachable from the static library */
extern int sol__alloc_injection(void);

static sol_status oom_scenario(void)
{
    sol_aud_rule *r = NULL;
    sol_error e;
    char *t = NULL, *j = NULL;
    sol_status rc = sol_aud_rule_parse("level m; within 1, 2; a in top 25%; b > 3 and c <= 4; "
                                       "people p * share s; purpose public-service \"x\"",
                                       &r, &e);
    if (rc == SOL_OK)
        rc = sol_aud_rule_text(r, &t, &e);
    if (rc == SOL_OK)
        rc = sol_aud_rule_json(r, &j, &e);
    sol_aud_rule *r2 = NULL;
    if (rc == SOL_OK)
        rc = sol_aud_rule_from_json(j, &r2, &e);
    sol_aud_eval *ev = NULL;
    if (rc == SOL_OK) {
        double a[3] = {1, 2, 3}, p[3] = {100, 200, 300}, sh[3] = {10, 20, 30};
        const double *cv[3] = {a, a, a};
        sol_aud_data d = {.n = 3, .cond_value = cv, .people = p, .share = sh, .share_scale = 0.01};
        rc = sol_aud_evaluate(r, &d, &ev, &e);
    }
    sol_takeup_result *tr = NULL;
    if (rc == SOL_OK) {
        double el[2] = {10, 20}, rv[2] = {1, 2};
        sol_takeup_data td = {2, el, NULL, rv};
        rc = sol_takeup_compute(&td, &tr, &e);
    }
    sol_takeup_result_free(tr);
    sol_aud_eval_free(ev);
    sol_aud_rule_free(r2);
    sol_aud_rule_free(r);
    sol_free(t);
    sol_free(j);
    return rc;
}

TEST(allocation_failures_are_reported)
{
    if (!sol__alloc_injection())
        return; /* only the sanitizer build can fail allocations on purpose */
    int done = 0;
    for (long n = 1; n < 5000 && !done; n++) {
        char v[24];
        snprintf(v, sizeof v, "%ld", n);
        setenv("SOL_FAIL_ALLOC", v, 1);
        sol__alloc_reset();
        sol_status rc = oom_scenario();
        if (rc == SOL_OK)
            done = 1;
        else if (rc != SOL_ENOMEM) {
            unsetenv("SOL_FAIL_ALLOC");
            sol__alloc_reset();
            HARNESS_FAIL("allocation %ld failing gave status %d, not SOL_ENOMEM", n, (int)rc);
        }
    }
    unsetenv("SOL_FAIL_ALLOC");
    sol__alloc_reset();
    ASSERT(done);
}

/* ---- non-take-up -------------------------------------------------------------------------------
 */

TEST(takeup_gap_rate_ranking)
{
    double el[5] = {100, 300, 200, NAN, 300}, se[5] = {10, 0, 50, 1, 100},
           rc[5] = {50, 150, 50, 10, 150};
    sol_takeup_data d = {5, el, se, rc};
    sol_takeup_result *r = NULL;
    sol_error e;
    ASSERT_EQ(sol_takeup_compute(&d, &r, &e), SOL_OK);
    /* gaps 50, 150, 150, NaN, 150: the ties by lower bound (150 exact, 150-98, 150-196) */
    ASSERT_EQ(r->rank[1], 1);
    ASSERT_EQ(r->rank[2], 2);
    ASSERT_EQ(r->rank[4], 3);
    ASSERT_EQ(r->rank[0], 4);
    ASSERT_EQ(r->rank[3], 0);
    ASSERT_REL(r->gap_low[2], 200 - 1.959963984540054 * 50 - 50, 1e-12);
    ASSERT_EQ(r->sure[4], 0); /* 300 - 196 - 150 < 0 */
    ASSERT_EQ(r->sure[1], 1);
    ASSERT_REL(r->rate[0], 0.5, 1e-15);
    ASSERT_REL(r->total_gap, 50 + 150 + 150 + 150, 1e-12);
    sol_takeup_result_free(r);
}
