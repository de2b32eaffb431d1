/* api_campaign.c - campaigns over the API: the list (GET /api/campaigns; analysts see drafts too)
 * and one campaign (GET /api/campaigns/NAME), its ledger file anyone can verify
 * (/ledger.json), its label badge (/label.svg) and its open-data exports (/iati.xml,
 * /360giving.json). The public sees published campaigns only. */
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
