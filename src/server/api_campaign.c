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
    r->cacheable = 1;
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
