/* api_campaign.c - campaigns over the API: the list (GET /api/campaigns; analysts see drafts too)
 * and one campaign (GET /api/campaigns/NAME), its ledger file anyone can verify
 * (/ledger.json), its label badge (/label.svg) and its open-data exports (/iati.xml,
 * /360giving.json); for analysts, declaring, publishing, what was achieved and the label
 * (POST /api/campaigns, /publish, /achieved, /label). The public sees published campaigns only. */
#include "server_int.h"

#include <solidata/i18n.h>
#include <solidata/run_campaign.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reply_rc(sol_reply *r, sol_status rc, const sol_error *e)
{
    char msg[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
    sol_error_format(e, msg, sizeof msg);
    sol__reply_error(r, sol__http_status(rc), "%s", msg);
}

static void reply_text(sol_reply *r, char *body, const char *ctype)
{
    r->status = 200;
    r->ctype = ctype;
    r->body = body; /* sol_free is free() */
    r->len = strlen(body);
    /* not cached: the store's generation (sol_store_generation) does not follow campaigns and
     * ledgers, and these replies are small */
    r->cacheable = 0;
}

void sol__api_campaigns(const sol_req *q, sol_reply *r)
{
    sol_error e;
    sol_error_clear(&e);
    char *s = NULL;
    int drafts = q->who->role >= SOL_ROLE_ANALYST;
    sol_status rc = sol_run_campaign_list_json(q->st, drafts, &s, &e);
    if (rc != SOL_OK) {
        reply_rc(r, rc, &e);
        return;
    }
    reply_text(r, s, "application/json; charset=utf-8");
}

void sol__api_campaign(const sol_req *q, sol_reply *r)
{
    char name[129];
    const char *tail = q->tail ? q->tail : "";
    const char *slash = strchr(tail, '/');
    size_t n = slash ? (size_t)(slash - tail) : strlen(tail);
    if (n == 0 || n >= sizeof name) {
        sol__reply_error(r, 404, "no such campaign");
        return;
    }
    memcpy(name, tail, n);
    name[n] = '\0';
    const char *what = slash ? slash + 1 : "";
    int drafts = q->who->role >= SOL_ROLE_ANALYST;
    sol_error e;
    sol_error_clear(&e);
    char *s = NULL;
    sol_status rc;
    if (*what == '\0') {
        rc = sol_run_campaign_json(q->st, name, drafts, sol_lang_current(), &s, &e);
        if (rc == SOL_OK)
            reply_text(r, s, "application/json; charset=utf-8");
    } else if (strcmp(what, "ledger.json") == 0) {
        /* the ledger file is public for published campaigns only, whoever asks */
        rc = sol_run_ledger_export(q->st, name, 0, &s, &e);
        if (rc == SOL_OK)
            reply_text(r, s, "application/json; charset=utf-8");
    } else if (strcmp(what, "label.svg") == 0) {
        rc = sol_run_campaign_badge(q->st, name, drafts, sol_lang_current(), &s, &e);
        if (rc == SOL_OK)
            reply_text(r, s, "image/svg+xml; charset=utf-8");
    } else if (strcmp(what, "iati.xml") == 0 || strcmp(what, "360giving.json") == 0) {
        int iati = what[0] == 'i';
        rc = sol_run_campaign_export(q->st, name, iati ? "iati" : "360giving", NULL, NULL, NULL,
                                     drafts, &s, &e);
        if (rc == SOL_OK)
            reply_text(r, s,
                       iati ? "application/xml; charset=utf-8" : "application/json; charset=utf-8");
    } else {
        sol__reply_error(r, 404,
                         "no such campaign route: %s (try /api/campaigns/NAME, "
                         "/api/campaigns/NAME/ledger.json, label.svg, iati.xml, 360giving.json)",
                         q->path);
        return;
    }
    if (rc != SOL_OK)
        reply_rc(r, rc, &e);
}

/* POST /api/campaigns/ledger (analysts) {"campaign", "kind": "donation"|"expenditure"|"reversal",
 * "amount": "49.90", "date": "YYYY-MM-DD", "channel", "donor", "category", "what", "reverses",
 * "why", "currency", "rate"}: the entry appended, checked, chained and signed with the key the
 * server was started with ($SOLIDATA_LEDGER_KEY; a published campaign refuses an entry without
 * it). 200 {"seq", "hash"}; 400 bad entry; 404 unknown campaign. */
void sol__api_campaign_ledger_add(const sol_req *q, sol_reply *r)
{
    json_t *b = sol__body_json(q, r);
    if (b == NULL)
        return;
    const char *kind = json_string_value(json_object_get(b, "kind"));
    const char *camp = json_string_value(json_object_get(b, "campaign"));
    json_t *amt = json_object_get(b, "amount");
    sol_ledger_job j;
    memset(&j, 0, sizeof j);
    j.campaign = camp;
    j.who = q->who->name;
    sol_ledger_entry *e = &j.e;
    char buf[64];
    const char *as = json_string_value(amt);
    if (json_is_number(amt)) {
        snprintf(buf, sizeof buf, "%.2f", json_number_value(amt));
        as = buf;
    }
#define COPY(k, f)                                                                                 \
    snprintf(e->f, sizeof e->f, "%s",                                                              \
             json_string_value(json_object_get(b, k)) ? json_string_value(json_object_get(b, k))   \
                                                      : "")
    COPY("date", date);
    COPY("channel", channel);
    COPY("donor", donor);
    COPY("category", category);
    COPY("what", what);
    COPY("why", why);
    COPY("currency", currency);
#undef COPY
    if (camp == NULL || kind == NULL) {
        sol__reply_error(r, 400,
                         "give \"campaign\" and \"kind\" (donation, expenditure, reversal)");
        goto out;
    }
    if (strcmp(kind, "reversal") == 0) {
        json_t *rv = json_object_get(b, "reverses");
        e->kind = SOL_LEDGER_REVERSAL;
        e->reverses = json_is_integer(rv) ? (int64_t)json_integer_value(rv) : 0;
    } else if (strcmp(kind, "donation") == 0 || strcmp(kind, "expenditure") == 0) {
        e->kind = kind[0] == 'd' ? SOL_LEDGER_DONATION : SOL_LEDGER_EXPENDITURE;
        e->amount_cents = as ? sol_ledger_parse_cents(as) : -1;
        if (e->amount_cents <= 0) {
            sol__reply_error(r, 400,
                             "\"amount\": a positive amount such as 50 or 49.90 (a correction is "
                             "a reversal)");
            goto out;
        }
        if (e->kind == SOL_LEDGER_DONATION && !e->donor[0])
            snprintf(e->donor, sizeof e->donor, "anonymous");
        json_t *rate = json_object_get(b, "rate");
        if (json_is_number(rate))
            e->rate_ppm = (int64_t)(json_number_value(rate) * 1e6 + 0.5);
    } else {
        sol__reply_error(r, 400, "\"kind\": donation, expenditure or reversal");
        goto out;
    }
    sol_error err;
    sol_error_clear(&err);
    int64_t seq = 0;
    char head[65];
    sol_status rc = sol_run_ledger_add(q->st, &j, &seq, head, &err);
    if (rc != SOL_OK) {
        reply_rc(r, rc, &err);
        goto out;
    }
    json_t *o = json_pack("{s:I,s:s}", "seq", (json_int_t)seq, "hash", head);
    sol__reply_json(r, 200, o, 0);
out:
    json_decref(b);
}

static const char *jget(json_t *b, const char *k)
{
    return json_string_value(json_object_get(b, k));
}

/* POST /api/campaigns (analysts) {"name", "kind", "objective", "evidence": ["indicator:CODE",
 * "area:CODE", ...], "audience", "budget", "currency", "starts", "ends", "lang"}: the campaign
 * declared as a draft (sol_run_campaign_add). 201 {"name"}; 400 naming the field; 404 an
 * unknown evidence item or audience; 400 a name already taken. */
void sol__api_campaign_add(const sol_req *q, sol_reply *r)
{
    json_t *b = sol__body_json(q, r);
    if (b == NULL)
        return;
    sol_campaign_job j;
    memset(&j, 0, sizeof j);
    char budget[64];
    j.name = jget(b, "name");
    j.kind = jget(b, "kind");
    j.objective = jget(b, "objective");
    j.audience = jget(b, "audience");
    j.currency = jget(b, "currency");
    j.starts = jget(b, "starts");
    j.ends = jget(b, "ends");
    j.lang = jget(b, "lang");
    j.who = q->who->name;
    if (j.audience && !*j.audience)
        j.audience = NULL;
    if (j.currency && !*j.currency)
        j.currency = NULL;
    if (j.starts && !*j.starts)
        j.starts = NULL;
    if (j.ends && !*j.ends)
        j.ends = NULL;
    if (j.lang && !*j.lang)
        j.lang = NULL;
    json_t *bud = json_object_get(b, "budget");
    j.budget = json_string_value(bud);
    if (json_is_number(bud)) {
        snprintf(budget, sizeof budget, "%.2f", json_number_value(bud));
        j.budget = budget;
    } else if (bud && !json_is_string(bud) && !json_is_null(bud)) {
        sol__reply_error(r, 400, "\"budget\": an amount such as 5000 or 5000.50");
        goto out;
    }
    if (j.budget && !*j.budget)
        j.budget = NULL;
    json_t *ev = json_object_get(b, "evidence");
    if (ev && !json_is_array(ev)) {
        sol__reply_error(r, 400,
                         "\"evidence\": a list such as [\"indicator:CODE\", \"area:CODE\"]");
        goto out;
    }
    for (size_t i = 0; i < json_array_size(ev); i++) {
        const char *it = json_string_value(json_array_get(ev, i));
        if (it == NULL || j.n_evidence >= sizeof j.evidence / sizeof j.evidence[0]) {
            sol__reply_error(r, 400,
                             "\"evidence\": at most 64 items such as \"indicator:CODE\" or "
                             "\"area:CODE\"");
            goto out;
        }
        j.evidence[j.n_evidence++] = it;
    }
    if (j.name == NULL || !*j.name) {
        sol__reply_error(r, 400, "\"name\": give the campaign a short name (letters, digits, -)");
        goto out;
    }
    if (j.kind == NULL || !*j.kind) {
        sol__reply_error(r, 400, "\"kind\": say what kind of campaign it is");
        goto out;
    }
    if (j.objective == NULL || !*j.objective) {
        sol__reply_error(r, 400, "\"objective\": say what the campaign is for");
        goto out;
    }
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = sol_run_campaign_add(q->st, &j, &e);
    if (rc != SOL_OK) {
        reply_rc(r, rc, &e);
        goto out;
    }
    sol__reply_json(r, 201, json_pack("{s:s,s:b}", "name", j.name, "published", 0), 0);
out:
    json_decref(b);
}

/* POST /api/campaigns/publish (analysts) {"name", "publish": true|false}: publishing refuses a
 * ledger not signed up to its last entry (400, in words). */
void sol__api_campaign_publish(const sol_req *q, sol_reply *r)
{
    json_t *b = sol__body_json(q, r);
    if (b == NULL)
        return;
    const char *name = jget(b, "name");
    json_t *pub = json_object_get(b, "publish");
    if (name == NULL || (pub && !json_is_boolean(pub))) {
        json_decref(b);
        sol__reply_error(r, 400, "expected {\"name\": NAME, \"publish\": true or false}");
        return;
    }
    int on = pub == NULL || json_is_true(pub);
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = sol_run_campaign_publish(q->st, name, on, q->who->name, &e);
    if (rc != SOL_OK)
        reply_rc(r, rc, &e);
    else
        sol__reply_json(r, 200, json_pack("{s:s,s:b}", "name", name, "published", on), 0);
    json_decref(b);
}

/* POST /api/campaigns/achieved (analysts) {"name", "text"}: what was achieved. */
void sol__api_campaign_achieved(const sol_req *q, sol_reply *r)
{
    json_t *b = sol__body_json(q, r);
    if (b == NULL)
        return;
    const char *name = jget(b, "name"), *text = jget(b, "text");
    if (name == NULL || text == NULL || !*text) {
        json_decref(b);
        sol__reply_error(r, 400, "\"text\": say in a few words what was achieved");
        return;
    }
    sol_error e;
    sol_error_clear(&e);
    sol_status rc =
        sol_run_campaign_set(q->st, name, SOL_CAMPAIGN_ACHIEVED, text, NULL, q->who->name, &e);
    if (rc != SOL_OK)
        reply_rc(r, rc, &e);
    else
        sol__reply_json(r, 200, json_pack("{s:s,s:s}", "name", name, "achieved", text), 0);
    json_decref(b);
}

/* POST /api/campaigns/label (analysts) {"name", "rules"}: "rules" is the rules file's content
 * (a JSON object, or its text) or absent / "default": the shared rules bundled with the
 * software (examples/label-rules.json). Never a path: the server reads no file named by the
 * request. The evaluation recorded as a run, as 'solidata campaign label' does. */
void sol__api_campaign_label(const sol_req *q, sol_reply *r)
{
    json_t *b = sol__body_json(q, r);
    if (b == NULL)
        return;
    const char *name = jget(b, "name");
    json_t *rules = json_object_get(b, "rules");
    char *text = NULL;
    const char *t = NULL;
    if (name == NULL) {
        sol__reply_error(r, 400, "\"name\": the campaign to evaluate");
        goto out;
    }
    if (json_is_object(rules)) {
        text = json_dumps(rules, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        t = text;
    } else if (json_is_string(rules) && strcmp(json_string_value(rules), "default") != 0 &&
               strcmp(json_string_value(rules), "examples/label-rules.json") != 0) {
        t = json_string_value(rules);
        const char *c = t + strspn(t, " \t\r\n");
        if (*c != '{') {
            sol__reply_error(r, 400,
                             "\"rules\": the rules file's content (JSON), or \"default\" for "
                             "the shared rules; the server reads no file named in a request");
            goto out;
        }
    } else if (rules && !json_is_null(rules) && !json_is_string(rules)) {
        sol__reply_error(r, 400,
                         "\"rules\": the rules file's content (JSON), or \"default\" for the "
                         "shared rules");
        goto out;
    }
    sol_error e;
    sol_error_clear(&e);
    char *s = NULL;
    int64_t run_id = 0;
    sol_status rc =
        sol_run_campaign_label_text(q->st, name, t, t ? strlen(t) : 0, t ? "(rules given)" : NULL,
                                    sol_lang_current(), 1, &s, &run_id, &e);
    if (rc != SOL_OK) {
        reply_rc(r, rc, &e);
        goto out;
    }
    json_t *o = json_loads(s, 0, NULL);
    free(s);
    if (o == NULL) {
        sol__reply_error(r, 500, "out of memory");
        goto out;
    }
    json_object_set_new(o, "run", json_integer((json_int_t)run_id));
    sol__reply_json(r, 200, o, 0);
out:
    free(text);
    json_decref(b);
}
