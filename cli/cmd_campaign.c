/* cmd_campaign.c - `solidata campaign add|show|list|publish|unpublish|achieved|review|note|label|
 * export` and `solidata ledger keygen|add|reverse|sign|list|export|verify`: campaigns with a
 * public ledger, hash-chained and signed, and their transparency label. The option tables fill
 * the run layer's jobs (run_campaign.h); this file prints. */
#include "cli.h"
#include "opt.h"

#include <solidata/i18n.h>
#include <solidata/run_campaign.h>
#include <solidata/store.h>

#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct cp_args {
    sol_campaign_job job;
    cli_list evidence;
    const char *text, *by, *date, *rules, *svg, *iati, *giving, *org_ref, *org_name, *country,
        *lang, *out, *key, *public_key, *why;
    const char *donation, *expenditure, *channel, *donor, *category, *what, *currency;
    int64_t rate_ppm;
    int json, replace, no_record;
} cp_args;

#define A(f) offsetof(cp_args, f)

static int check_rate(const char *s, void *field)
{
    char *end = NULL;
    double r = strtod(s, &end);
    if (end == s || *end != '\0' || !(r > 0) || r > 1e6)
        return -1;
    *(int64_t *)field = (int64_t)llround(r * 1e6);
    return *(int64_t *)field > 0 ? 0 : -1;
}

static const cli_opt ADD_OPTS[] = {
    {"kind", CLI_STR, A(job.kind), "event|information|fundraising", N_("what kind of campaign"),
     .flags = CLI_REQUIRED},
    {"objective", CLI_STR, A(job.objective), "TEXT", N_("the objective, in words"),
     .flags = CLI_REQUIRED},
    {"evidence", CLI_LIST, A(evidence), "indicator:CODE|area:CODE|run:ID",
     N_("the need evidence the campaign rests on (repeatable, or comma-separated)")},
    {"audience", CLI_STR, A(job.audience), "NAME", N_("the audience card it addresses")},
    {"budget", CLI_STR, A(job.budget), "AMOUNT", N_("the budget, e.g. 5000 or 5000.50")},
    {"currency", CLI_STR, A(job.currency), "CODE", N_("the campaign's currency"), .def = "EUR"},
    {"starts", CLI_STR, A(job.starts), "YYYY-MM-DD", N_("the first day")},
    {"ends", CLI_STR, A(job.ends), "YYYY-MM-DD", N_("the last day")},
    {"lang", CLI_STR, A(job.lang), "en|fr|it", N_("the campaign's language (open-data exports)"),
     .def = N_("the current language")},
    {0}};
static const cli_opt JSON_OPTS[] = {
    {"json", CLI_FLAG, A(json), NULL, N_("the whole record as JSON")},
    {"lang", CLI_STR, A(lang), "en|fr|it", N_("the language of labels and verdicts")},
    {0}};
static const cli_opt NO_OPTS[] = {{0}};
static const cli_opt LIST_OPTS[] = {
    {"json", CLI_FLAG, A(json), NULL, N_("the campaigns as JSON, with their totals")}, {0}};
static const cli_opt TEXT_OPTS[] = {
    {"text", CLI_STR, A(text), "TEXT", N_("in words"), .flags = CLI_REQUIRED}, {0}};
static const cli_opt REVIEW_OPTS[] = {
    {"by", CLI_STR, A(by), "WHO", N_("who reviewed the accounts independently"),
     .flags = CLI_REQUIRED},
    {"date", CLI_STR, A(date), "YYYY-MM-DD", N_("when"), .flags = CLI_REQUIRED},
    {0}};
static const cli_opt LABEL_OPTS[] = {
    {"rules", CLI_STR, A(rules), "FILE", N_("the label's rules file (JSON)"),
     .flags = CLI_REQUIRED},
    {"svg", CLI_STR, A(svg), "FILE", N_("write the badge here")},
    {"lang", CLI_STR, A(lang), "en|fr|it", N_("the language of the verdicts and the badge")},
    {"json", CLI_FLAG, A(json), NULL, N_("the evaluation as JSON")},
    {"no-record", CLI_FLAG, A(no_record), NULL,
     N_("do not record the evaluation (the public page shows the latest recorded one)")},
    {0}};
static const cli_opt EXPORT_OPTS[] = {
    {"iati", CLI_STR, A(iati), "FILE.xml", N_("write an IATI 2.03 activity file")},
    {"360giving", CLI_STR, A(giving), "FILE.json", N_("write a 360Giving grants file")},
    {"org-ref", CLI_STR, A(org_ref), "ID",
     N_("the organisation's IATI identifier (kept as setting iati.org_ref)")},
    {"org-name", CLI_STR, A(org_name), "NAME",
     N_("the organisation's name (kept as setting iati.org_name)")},
    {"country", CLI_STR, A(country), "IT|FR", N_("the recipient country")},
    {0}};

static const cli_sub CSUBS[] = {
    {"add", N_("declare a campaign: objective, evidence, audience, budget, dates")},
    {"show", N_("a campaign, its totals, ledger verdict and label")},
    {"list", N_("the campaigns (drafts included)")},
    {"publish", N_("make a campaign public (its ledger must be signed up to its last entry)")},
    {"unpublish", N_("make a campaign a draft again")},
    {"achieved", N_("say what was achieved against the objective")},
    {"review", N_("record an independent review of the accounts")},
    {"note", N_("explain the running costs")},
    {"label", N_("evaluate the transparency label's rules, draw its badge")},
    {"export", N_("write IATI 2.03 XML or 360Giving JSON")},
    {0}};

static const cli_spec CSPECS[] = {
    {"campaign add", "NAME --kind K --objective TEXT [--evidence ITEM...] [options]",
     N_("Declare a campaign. Each evidence item must be in the store (indicator:CODE, area:CODE,\n"
        "or run:ID of a published run); the audience must exist. The declaration is the root of\n"
        "the campaign's hash chain: it cannot change afterwards."),
     ADD_OPTS, NULL, 1, 1},
    {"campaign show", "NAME [--json]", N_("A campaign with its evidence, totals and label."),
     JSON_OPTS, NULL, 1, 1},
    {"campaign list", "[--json]",
     N_("The campaigns as CSV: name,kind,published,starts,ends,currency,budget,donations,spent."),
     LIST_OPTS, NULL, 0, 0},
    {"campaign publish", "NAME",
     N_("Make a campaign public. Its ledger must verify and be signed up to its last entry;\n"
        "afterwards each new entry needs the key."),
     NO_OPTS, NULL, 1, 1},
    {"campaign unpublish", "NAME", N_("Make a campaign a draft again."), NO_OPTS, NULL, 1, 1},
    {"campaign achieved", "NAME --text TEXT", N_("What was achieved against the objective."),
     TEXT_OPTS, NULL, 1, 1},
    {"campaign review", "NAME --by WHO --date YYYY-MM-DD",
     N_("Record an independent review of the accounts (the label's independent_review rule)."),
     REVIEW_OPTS, NULL, 1, 1},
    {"campaign note", "NAME --text TEXT",
     N_("Explain the running costs (the label's running_costs_max_pct rule accepts an\n"
        "explained excess)."),
     TEXT_OPTS, NULL, 1, 1},
    {"campaign label", "NAME --rules FILE [--svg FILE]",
     N_("Evaluate each rule of the label's rules file: pass, fail or not applicable, with why.\n"
        "The evaluation is recorded as a run (the public page shows it); the badge names the\n"
        "rules file's SHA-256, so a label means the same for every organisation sharing it."),
     LABEL_OPTS, NULL, 1, 1},
    {"campaign export", "NAME --iati FILE.xml | --360giving FILE.json [--org-ref ID]",
     N_("Write the campaign and its ledger as open data: an IATI 2.03 activity (donations as\n"
        "incoming funds, expenditures as expenditure) or a 360Giving grant."),
     EXPORT_OPTS, NULL, 1, 1},
};

static const cli_opt KEYGEN_OPTS[] = {
    {"out", CLI_STR, A(out), "FILE", N_("the secret key file to create (mode 0600)"),
     .flags = CLI_REQUIRED},
    {"replace", CLI_FLAG, A(replace), NULL,
     N_("replace the store's published key (old signatures stay with the old key)")},
    {0}};
static const cli_opt KEY_OPT[] = {{"key", CLI_STR, A(key), "FILE",
                                   N_("the organisation's secret key: sign the chain"),
                                   .def = "$SOLIDATA_LEDGER_KEY"},
                                  {0}};
static const cli_opt LADD_OPTS[] = {
    {"donation", CLI_STR, A(donation), "AMOUNT", N_("a donation received, e.g. 50 or 49.90"),
     .excludes = "expenditure"},
    {"expenditure", CLI_STR, A(expenditure), "AMOUNT", N_("money spent")},
    {"date", CLI_STR, A(date), "YYYY-MM-DD", N_("when"), .flags = CLI_REQUIRED},
    {"channel", CLI_STR, A(channel), "bank|cash|online|cheque|card|other",
     N_("how the donation came"), .needs = "donation"},
    {"donor", CLI_STR, A(donor), "PSEUDONYM|anonymous",
     N_("the donor, never named: a pseudonym or anonymous"), .needs = "donation",
     .def = "anonymous"},
    {"category", CLI_STR, A(category), "objective|running",
     N_("spent on the objective or on running costs"), .needs = "expenditure"},
    {"what", CLI_STR, A(what), "TEXT", N_("what the expenditure paid for"), .needs = "expenditure"},
    {"currency", CLI_STR, A(currency), "CODE", N_("the entry's currency"),
     .def = N_("the campaign's")},
    {"rate", CLI_CUSTOM, A(rate_ppm), "R",
     N_("how many units of the campaign's currency one unit of --currency is worth"),
     .parse = check_rate, .expect = N_("a number > 0"), .needs = "currency"},
    {0}};
static const cli_opt REV_OPTS[] = {
    {"why", CLI_STR, A(why), "TEXT", N_("why the entry is reversed"), .flags = CLI_REQUIRED},
    {"date", CLI_STR, A(date), "YYYY-MM-DD", N_("when"), .def = N_("today")},
    {0}};
static const cli_opt OUT_OPTS[] = {
    {"out", CLI_STR, A(out), "FILE", N_("write here"), .def = "stdout"}, {0}};
static const cli_opt VERIFY_OPTS[] = {
    {"public-key", CLI_STR, A(public_key), "HEX",
     N_("the key the ledger must be signed with (the organisation's published key)")},
    {"lang", CLI_STR, A(lang), "en|fr|it", N_("the language of the verdict")},
    {0}};
static const cli_opt *const KEY_SHARED[] = {KEY_OPT, NULL};

static const cli_sub LSUBS[] = {
    {"keygen", N_("create the organisation's Ed25519 key pair")},
    {"add", N_("append a donation or an expenditure")},
    {"reverse", N_("append a reversal of an earlier entry (entries are never edited)")},
    {"sign", N_("sign the chain up to its last entry")},
    {"list", N_("the entries as CSV")},
    {"export", N_("the ledger file anyone can verify")},
    {"verify", N_("verify a ledger file: the chain and every signature")},
    {0}};

static const cli_spec LSPECS[] = {
    {"ledger keygen", "--out FILE [--replace]",
     N_("Create the organisation's Ed25519 key pair: the secret key into FILE (mode 0600; keep\n"
        "it safe), the public key printed and kept in the store (setting ledger.public_key),\n"
        "published with every ledger."),
     KEYGEN_OPTS, NULL, 0, 0},
    {"ledger add",
     "CAMPAIGN --donation AMOUNT --date D --channel C [--donor P] [--key FILE]\n"
     "CAMPAIGN --expenditure AMOUNT --date D --category objective|running --what TEXT",
     N_("Append an entry to a campaign's ledger: amounts in the campaign's currency (or another\n"
        "with --rate), a donor never named (a pseudonym or anonymous). The entry is hash-chained\n"
        "to the one before and, with the key, the chain is signed up to it."),
     LADD_OPTS, NULL, 1, 1, KEY_SHARED},
    {"ledger reverse", "CAMPAIGN SEQ --why TEXT [--key FILE]",
     N_("Cancel an entry by appending a reversal: the ledger is append-only."), REV_OPTS, NULL, 2,
     2, KEY_SHARED},
    {"ledger sign", "CAMPAIGN --key FILE", N_("Sign the chain up to its last entry."), NO_OPTS,
     NULL, 1, 1, KEY_SHARED},
    {"ledger list", "CAMPAIGN",
     N_("The entries as CSV: seq,date,kind,amount,currency,channel_or_category,donor,what,hash."),
     NO_OPTS, NULL, 1, 1},
    {"ledger export", "CAMPAIGN [--out FILE]",
     N_("The ledger file: the campaign's declaration, every entry with its hashes, the\n"
        "signatures and the public key (docs/ledger.md)."),
     OUT_OPTS, NULL, 1, 1},
    {"ledger verify", "FILE [--public-key HEX]",
     N_("Recompute the hash chain of a ledger file and check every signature. Exit 0 with a\n"
        "summary, or 1 naming the first bad entry and what is wrong."),
     VERIFY_OPTS, NULL, 1, 1},
};

static sol_lang lang_of(const char *s)
{
    sol_lang l = sol_lang_current();
    if (s)
        sol_lang_parse(s, &l, NULL);
    return l;
}

static void money(char *buf, size_t n, long long cents)
{
    long long a = cents < 0 ? -cents : cents;
    snprintf(buf, n, "%s%lld.%02lld", cents < 0 ? "-" : "", a / 100, a % 100);
}

/* "1,2" items split into the job's evidence */
static int split_evidence(cp_args *a, char *store, size_t cap)
{
    size_t used = 0;
    for (size_t i = 0; i < a->evidence.n; i++) {
        const char *s = a->evidence.v[i];
        while (*s) {
            const char *e = strchr(s, ',');
            size_t len = e ? (size_t)(e - s) : strlen(s);
            if (len > 0) {
                if (used + len + 1 > cap || a->job.n_evidence >= 64)
                    return -1;
                memcpy(store + used, s, len);
                store[used + len] = '\0';
                a->job.evidence[a->job.n_evidence++] = store + used;
                used += len + 1;
            }
            s += len + (e ? 1 : 0);
        }
    }
    return 0;
}

static const char *jstr(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

static void print_money(const char *label, json_t *o, const char *k, const char *cur)
{
    char m[40];
    money(m, sizeof m, (long long)json_integer_value(json_object_get(o, k)));
    printf("  %-28s %s %s\n", label, m, cur);
}

/* The campaign in words (the JSON is the full record). */
static int print_show(const char *json, int as_json, sol_lang l)
{
    if (as_json) {
        printf("%s\n", json);
        return CLI_OK;
    }
    json_t *c = json_loads(json, 0, NULL);
    if (c == NULL)
        return cli_failf(_("internal error: result is not JSON"));
    const char *cur = jstr(c, "currency");
    printf("%s (%s)%s\n", jstr(c, "name"), jstr(c, "kind"),
           json_is_true(json_object_get(c, "published")) ? "" : sol_lgettext(l, " - draft"));
    printf("%s %s\n", sol_lgettext(l, "Objective:"), jstr(c, "objective"));
    if (json_is_integer(json_object_get(c, "budget_cents")))
        print_money(sol_lgettext(l, "budget"), c, "budget_cents", cur);
    printf("  %-28s %s .. %s\n", sol_lgettext(l, "dates"), jstr(c, "starts"), jstr(c, "ends"));
    json_t *ev = json_object_get(c, "evidence");
    printf("%s\n", sol_lgettext(l, "Need evidence:"));
    for (size_t i = 0; i < json_array_size(ev); i++) {
        json_t *x = json_array_get(ev, i);
        const char *label = jstr(x, "label");
        printf("  %s: %s", jstr(x, "item"), *label ? label : jstr(x, "code"));
        json_t *src = json_object_get(x, "sources");
        for (size_t k = 0; k < json_array_size(src); k++) {
            json_t *y = json_array_get(src, k);
            printf(sol_lgettext(l, "; source %s, licence %s"), jstr(y, "name"),
                   *jstr(y, "licence") ? jstr(y, "licence") : "?");
        }
        printf("\n");
    }
    const char *aud = jstr(c, "audience");
    if (*aud)
        printf("%s %s\n", sol_lgettext(l, "Audience:"), aud);
    json_t *t = json_object_get(c, "totals");
    printf("%s\n", sol_lgettext(l, "Accounts:"));
    print_money(sol_lgettext(l, "donations"), t, "donations_cents", cur);
    print_money(sol_lgettext(l, "spent on the objective"), t, "objective_cents", cur);
    print_money(sol_lgettext(l, "running costs"), t, "running_cents", cur);
    print_money(sol_lgettext(l, "balance"), t, "balance_cents", cur);
    json_t *lj = json_object_get(c, "ledger");
    printf("%s %s\n", sol_lgettext(l, "Ledger:"),
           json_integer_value(json_object_get(lj, "entries")) == 0
               ? sol_lgettext(l, "no entries yet")
               : jstr(lj, "what"));
    if (*jstr(c, "achieved"))
        printf("%s %s\n", sol_lgettext(l, "Achieved:"), jstr(c, "achieved"));
    json_t *lab = json_object_get(c, "label");
    if (json_is_object(lab))
        printf(sol_lgettext(l, "Label %s: %lld of %lld rules passed (%s)\n"), jstr(lab, "label"),
               (long long)json_integer_value(json_object_get(lab, "passed")),
               (long long)json_integer_value(json_object_get(lab, "total")), jstr(lab, "date"));
    json_decref(c);
    return CLI_OK;
}

static int campaign(const cli_ctx *ctx, int argc, char **argv)
{
    int sub = cli_sub_find("campaign", CSUBS, argc, argv);
    if (sub < 0)
        return -sub;
    cp_args a;
    memset(&a, 0, sizeof a);
    cli_args args;
    sol_store *st = NULL;
    sol_error err;
    int rc = cli_parse_store(ctx, &CSPECS[sub], argc - 1, argv + 1, &a, &args, &st, &err);
    if (rc != CLI_OK)
        return rc;
    const char *name = args.n > 0 ? args.v[0] : NULL;
    sol_status s = SOL_OK;
    char *json = NULL;
    const char *cmd = CSPECS[sub].cmd;
    switch (sub) {
    case 0: { /* add */
        char store[8192];
        if (split_evidence(&a, store, sizeof store) != 0) {
            sol_store_close(st);
            return cli_usage_error(cmd, _("too many evidence items (at most 64)"));
        }
        a.job.name = name;
        s = sol_run_campaign_add(st, &a.job, &err);
        if (s == SOL_OK && !ctx->quiet)
            fprintf(stderr,
                    _("solidata: campaign '%s' declared (a draft: 'solidata campaign "
                      "publish %s' makes it public)\n"),
                    name, name);
        break;
    }
    case 1: /* show */
        s = sol_run_campaign_json(st, name, 1, lang_of(a.lang), &json, &err);
        if (s == SOL_OK)
            rc = print_show(json, a.json, lang_of(a.lang));
        break;
    case 2: /* list */
        s = sol_run_campaign_list_json(st, 1, &json, &err);
        if (s == SOL_OK && a.json)
            printf("%s\n", json);
        else if (s == SOL_OK) {
            json_t *arr = json_loads(json, 0, NULL);
            cli_csv_fields(stdout,
                           (const char *const[]){"name", "kind", "published", "starts", "ends",
                                                 "currency", "budget", "donations", "spent"},
                           9);
            for (size_t i = 0; i < json_array_size(arr); i++) {
                json_t *o = json_array_get(arr, i);
                char b[40] = "", d[40], sp[40];
                if (json_is_integer(json_object_get(o, "budget_cents")))
                    money(b, sizeof b,
                          (long long)json_integer_value(json_object_get(o, "budget_cents")));
                money(d, sizeof d,
                      (long long)json_integer_value(json_object_get(o, "donations_cents")));
                money(sp, sizeof sp,
                      (long long)json_integer_value(json_object_get(o, "spent_cents")));
                cli_csv_fields(
                    stdout,
                    (const char *const[]){jstr(o, "name"), jstr(o, "kind"),
                                          json_is_true(json_object_get(o, "published")) ? "1" : "0",
                                          jstr(o, "starts"), jstr(o, "ends"), jstr(o, "currency"),
                                          b, d, sp},
                    9);
            }
            json_decref(arr);
        }
        break;
    case 3:
    case 4:
        s = sol_run_campaign_publish(st, name, sub == 3, NULL, &err);
        if (s == SOL_OK && !ctx->quiet)
            fprintf(stderr,
                    sub == 3 ? _("solidata: campaign '%s' is public\n")
                             : _("solidata: campaign '%s' is a draft\n"),
                    name);
        break;
    case 5:
        s = sol_run_campaign_set(st, name, SOL_CAMPAIGN_ACHIEVED, a.text, NULL, NULL, &err);
        break;
    case 6:
        s = sol_run_campaign_set(st, name, SOL_CAMPAIGN_REVIEW, a.by, a.date, NULL, &err);
        break;
    case 7:
        s = sol_run_campaign_set(st, name, SOL_CAMPAIGN_RUNNING_NOTE, a.text, NULL, NULL, &err);
        break;
    case 8: { /* label */
        int64_t run_id = 0;
        sol_lang l = lang_of(a.lang);
        s = sol_run_campaign_label(st, name, a.rules, a.svg, l, !a.no_record, &json, &run_id, &err);
        if (s != SOL_OK)
            break;
        if (a.json) {
            printf("%s\n", json);
        } else {
            static const char *const LN[] = {"en", "fr", "it"};
            cli_csv_fields(stdout, (const char *const[]){"rule", "outcome", "why"}, 3);
            json_t *ev = json_loads(json, 0, NULL);
            json_t *rules = json_object_get(ev, "rules");
            for (size_t i = 0; i < json_array_size(rules); i++) {
                json_t *r = json_array_get(rules, i);
                const char *v[3] = {
                    json_string_value(json_object_get(r, "rule")),
                    json_string_value(json_object_get(r, "outcome")),
                    json_string_value(json_object_get(json_object_get(r, "why"), LN[l]))};
                cli_csv_fields(stdout, v, 3);
            }
            json_decref(ev);
        }
        if (run_id > 0 && !ctx->quiet)
            cli_say_recorded((long long)run_id);
        break;
    }
    case 9: { /* export */
        if (!a.iati && !a.giving) {
            sol_store_close(st);
            return cli_usage_error(cmd, _("give --iati FILE.xml or --360giving FILE.json"));
        }
        if (a.org_ref)
            s = sol_store_setting_text_set(st, "iati.org_ref", a.org_ref, NULL, &err);
        if (s == SOL_OK && a.org_name)
            s = sol_store_setting_text_set(st, "iati.org_name", a.org_name, NULL, &err);
        const char *fmts[2] = {"iati", "360giving"}, *paths[2] = {a.iati, a.giving};
        for (int k = 0; k < 2 && s == SOL_OK; k++) {
            if (!paths[k])
                continue;
            s = sol_run_campaign_export(st, name, fmts[k], NULL, NULL, a.country, 1, &json, &err);
            if (s != SOL_OK)
                break;
            FILE *f = cli_out_open(paths[k]);
            if (f == NULL) {
                sol_free(json);
                sol_store_close(st);
                return CLI_FAIL;
            }
            fputs(json, f);
            sol_free(json);
            json = NULL;
            if (cli_out_close(f, paths[k]) != CLI_OK) {
                sol_store_close(st);
                return CLI_FAIL;
            }
        }
        break;
    }
    default: break;
    }
    sol_free(json);
    sol_store_close(st);
    if (s != SOL_OK)
        return cli_job_fail(cmd, &err);
    return rc;
}

static int ledger_list(sol_store *st, const char *name, sol_error *err)
{
    sol_ledger *l = NULL;
    sol_status s = sol_run_ledger_load(st, name, &l, NULL, err);
    if (s != SOL_OK)
        return cli_fail(err);
    static const char *const KIND[] = {"", "donation", "expenditure", "reversal"};
    cli_csv_fields(stdout,
                   (const char *const[]){"seq", "date", "kind", "amount", "currency",
                                         "channel_or_category", "donor", "what", "hash"},
                   9);
    for (size_t i = 0; i < l->n; i++) {
        const sol_ledger_entry *e = &l->e[i];
        char seq[24], amt[40] = "";
        snprintf(seq, sizeof seq, "%lld", (long long)e->seq);
        if (e->kind != SOL_LEDGER_REVERSAL)
            money(amt, sizeof amt, (long long)e->amount_cents);
        char what[SOL_LEDGER_TEXT_MAX + 40];
        if (e->kind == SOL_LEDGER_REVERSAL)
            snprintf(what, sizeof what, "reverses %lld: %s", (long long)e->reverses, e->why);
        else
            snprintf(what, sizeof what, "%s", e->what);
        cli_csv_fields(
            stdout,
            (const char *const[]){seq, e->date, KIND[e->kind], amt, e->currency,
                                  e->kind == SOL_LEDGER_DONATION ? e->channel : e->category,
                                  e->donor, what, e->hash},
            9);
    }
    sol_ledger_free(l);
    return CLI_OK;
}

static int ledger(const cli_ctx *ctx, int argc, char **argv)
{
    int sub = cli_sub_find("ledger", LSUBS, argc, argv);
    if (sub < 0)
        return -sub;
    cp_args a;
    memset(&a, 0, sizeof a);
    cli_args args;
    sol_error err;
    sol_error_clear(&err);
    const char *cmd = LSPECS[sub].cmd;
    if (sub == 6) { /* verify: no store */
        int rc = cli_parse(&LSPECS[sub], argc - 1, argv + 1, &a, &args);
        if (rc != CLI_OK)
            return rc;
        sol_ledger_check c;
        sol_ledger_totals t;
        sol_lang l = lang_of(a.lang);
        if (sol_run_ledger_verify_file(args.v[0], a.public_key, l, &c, &t, &err) != SOL_OK)
            return cli_fail(&err);
        if (!c.ok) {
            fprintf(stderr, "solidata: %s: %s %s\n", args.v[0], sol_lgettext(l, "NOT VERIFIED:"),
                    c.what);
            return CLI_FAIL;
        }
        char d[40], o[40], r[40], b[40];
        money(d, sizeof d, (long long)t.donations_cents);
        money(o, sizeof o, (long long)t.objective_cents);
        money(r, sizeof r, (long long)t.running_cents);
        money(b, sizeof b, (long long)t.balance_cents);
        printf("%s %s\n", sol_lgettext(l, "verified:"), c.what);
        printf(sol_lgettext(l, "donations %s, spent on the objective %s, running costs %s, "
                               "balance %s\n"),
               d, o, r, b);
        return CLI_OK;
    }
    sol_store *st = NULL;
    int rc = cli_parse_store(ctx, &LSPECS[sub], argc - 1, argv + 1, &a, &args, &st, &err);
    if (rc != CLI_OK)
        return rc;
    sol_status s = SOL_OK;
    char *json = NULL;
    switch (sub) {
    case 0: { /* keygen */
        char pk[65];
        s = sol_run_ledger_keygen(st, a.out, a.replace, pk, &err);
        if (s == SOL_OK) {
            printf("%s\n", pk);
            if (!ctx->quiet)
                fprintf(stderr,
                        _("solidata: secret key written to %s (keep it safe; it signs the "
                          "ledgers); the public key above is kept in the store and published\n"),
                        a.out);
        }
        break;
    }
    case 1:
    case 2: { /* add, reverse */
        sol_ledger_job j;
        memset(&j, 0, sizeof j);
        j.campaign = args.v[0];
        j.key_path = a.key;
        sol_ledger_entry *e = &j.e;
        char today[11];
        {
            const char *t = getenv("SOLIDATA_TODAY");
            time_t now = time(NULL);
            struct tm tm;
            gmtime_r(&now, &tm);
            if (t && strlen(t) == 10)
                snprintf(today, sizeof today, "%s", t);
            else
                strftime(today, sizeof today, "%Y-%m-%d", &tm);
        }
        snprintf(e->date, sizeof e->date, "%s", a.date ? a.date : today);
        if (a.date && strlen(a.date) >= sizeof e->date) {
            sol_store_close(st);
            return cli_usage_error(cmd, _("--date '%s': expected YYYY-MM-DD"), a.date);
        }
        if (sub == 2) {
            long long seq = 0;
            if (cli_run_id(cmd, args.v[1], &seq) != CLI_OK) {
                sol_store_close(st);
                return CLI_USAGE;
            }
            e->kind = SOL_LEDGER_REVERSAL;
            e->reverses = seq;
            snprintf(e->why, sizeof e->why, "%s", a.why);
        } else {
            if (!a.donation && !a.expenditure) {
                sol_store_close(st);
                return cli_usage_error(cmd, _("give --donation AMOUNT or --expenditure AMOUNT"));
            }
            const char *amt = a.donation ? a.donation : a.expenditure;
            e->kind = a.donation ? SOL_LEDGER_DONATION : SOL_LEDGER_EXPENDITURE;
            char *end = NULL;
            double v = strtod(amt, &end);
            if (end == amt || *end != '\0' || !isfinite(v) || fabs(v) > 1e12) {
                sol_store_close(st);
                return cli_usage_error(cmd, _("--%s '%s': expected an amount such as 50 or 49.90"),
                                       a.donation ? "donation" : "expenditure", amt);
            }
            e->amount_cents = (int64_t)llround(v * 100);
            if (fabs(v * 100 - round(v * 100)) > 1e-6) {
                sol_store_close(st);
                return cli_usage_error(cmd, _("--%s '%s': at most two decimals (cents)"),
                                       a.donation ? "donation" : "expenditure", amt);
            }
            if (a.currency)
                snprintf(e->currency, sizeof e->currency, "%.3s", a.currency);
            if (a.currency && strlen(a.currency) != 3) {
                sol_store_close(st);
                return cli_usage_error(cmd, _("--currency '%s': expected a code such as EUR"),
                                       a.currency);
            }
            e->rate_ppm = a.rate_ppm;
            if (a.donation) {
                if (!a.channel) {
                    sol_store_close(st);
                    return cli_usage_error(cmd, _("a donation needs --channel"));
                }
                snprintf(e->channel, sizeof e->channel, "%s", a.channel);
                snprintf(e->donor, sizeof e->donor, "%s", a.donor ? a.donor : "anonymous");
                if (a.donor && strlen(a.donor) >= sizeof e->donor)
                    snprintf(e->donor, sizeof e->donor, "%s", "X"); /* refused as a name */
            } else {
                if (!a.category || !a.what) {
                    sol_store_close(st);
                    return cli_usage_error(cmd, _("an expenditure needs --category and --what"));
                }
                snprintf(e->category, sizeof e->category, "%s", a.category);
                snprintf(e->what, sizeof e->what, "%s", a.what);
            }
        }
        int64_t seq = 0;
        char head[65];
        s = sol_run_ledger_add(st, &j, &seq, head, &err);
        if (s == SOL_OK)
            printf("%lld,%s\n", (long long)seq, head);
        break;
    }
    case 3: s = sol_run_ledger_sign(st, args.v[0], a.key, NULL, &err); break;
    case 4: {
        int r = ledger_list(st, args.v[0], &err);
        sol_store_close(st);
        return r;
    }
    case 5:
        s = sol_run_ledger_export(st, args.v[0], 1, &json, &err);
        if (s == SOL_OK) {
            FILE *f = cli_out_open(a.out);
            if (f == NULL) {
                sol_free(json);
                sol_store_close(st);
                return CLI_FAIL;
            }
            fprintf(f, "%s\n", json);
            if (cli_out_close(f, a.out) != CLI_OK) {
                sol_free(json);
                sol_store_close(st);
                return CLI_FAIL;
            }
        }
        break;
    default: break;
    }
    sol_free(json);
    sol_store_close(st);
    if (s != SOL_OK)
        return cli_job_fail(cmd, &err);
    return CLI_OK;
}

int cmd_campaign(const cli_ctx *ctx, int argc, char **argv)
{
    if (strcmp(argv[0], "ledger") == 0)
        return ledger(ctx, argc, argv);
    return campaign(ctx, argc, argv);
}
