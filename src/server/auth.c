/* auth.c - sign-in for the server: sessions (random ids in an HttpOnly, SameSite=Strict cookie,
 * kept in memory under a keyed hash, a few per account), CSRF tokens, login rate limiting per
 * address and per account, the account and audit routes, and the audit log of every login and
 * write (failed logins at a bounded rate per address, their names truncated). */
#include "server_int.h"

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define COOKIE "sol_session"
#define KEYLEN 16

enum { SLOT_EMPTY = 0, SLOT_LIVE = 1, SLOT_GONE = 2 };

typedef struct session {
    int state;
    unsigned char key[KEYLEN];  /* keyed BLAKE2b of the session id: the id itself is not kept */
    long long created, expires; /* monotonic seconds */
    unsigned long long seq;     /* order of creation, for "oldest" within one second */
    sol_role role;
    char name[SOL_MAX_ACCOUNT_NAME + 1];
    char csrf[65];
} session;

/* One address or one (case-folded) account name the login limiter follows. */
typedef struct ip_slot {
    char ip[SOL_MAX_ACCOUNT_NAME + 1]; /* an address (at most 45 bytes) or an account name */
    long long start;                   /* start of the current window */
    unsigned failures;   /* failed logins in the window, and those being verified now */
    unsigned audit_rows; /* audit entries about failed logins written in the window */
    unsigned suppressed; /* and those counted instead of written */
} ip_slot;

/* A summary of the audit entries an address did not get, to write once the lock is released. */
typedef struct pending_summary {
    char ip[SOL_MAX_ACCOUNT_NAME + 1];
    unsigned count;
} pending_summary;

struct sol__auth {
    pthread_mutex_t mu;
    int secure;
    unsigned char hashkey[crypto_generichash_KEYBYTES];
    session sessions[SOL_MAX_SESSIONS];
    ip_slot ips[SOL_LOGIN_TRACKED_IPS];
    ip_slot accounts[SOL_LOGIN_TRACKED_ACCOUNTS];
    unsigned long long seq; /* sessions created so far */
};

static long long now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec;
}

int sol__equal_secret(const char *a, const char *b, size_t n)
{
    return sodium_memcmp(a, b, n) == 0;
}

sol__auth *sol__auth_new(int secure_cookies)
{
    if (sodium_init() < 0)
        return NULL;
    sol__auth *a = calloc(1, sizeof *a);
    if (a == NULL)
        return NULL;
    pthread_mutex_init(&a->mu, NULL);
    a->secure = secure_cookies;
    randombytes_buf(a->hashkey, sizeof a->hashkey);
    return a;
}

void sol__auth_free(sol__auth *a)
{
    if (a == NULL)
        return;
    pthread_mutex_destroy(&a->mu);
    sodium_memzero(a, sizeof *a);
    free(a);
}

static void sid_key(const sol__auth *a, const char *sid, unsigned char key[KEYLEN])
{
    crypto_generichash(key, KEYLEN, (const unsigned char *)sid, strlen(sid), a->hashkey,
                       sizeof a->hashkey);
}

static size_t slot_of(const unsigned char key[KEYLEN])
{
    size_t h = 0;
    memcpy(&h, key, sizeof h < KEYLEN ? sizeof h : KEYLEN);
    return h % SOL_MAX_SESSIONS;
}

/* The live session with this key, or NULL; expired ones found on the way are removed.
 * Called with the mutex held. */
static session *find_session(sol__auth *a, const unsigned char key[KEYLEN], long long now)
{
    size_t i = slot_of(key);
    for (size_t k = 0; k < SOL_MAX_SESSIONS; k++) {
        session *s = &a->sessions[(i + k) % SOL_MAX_SESSIONS];
        if (s->state == SLOT_EMPTY)
            return NULL;
        if (s->state == SLOT_LIVE && s->expires <= now)
            s->state = SLOT_GONE;
        if (s->state == SLOT_LIVE && sodium_memcmp(s->key, key, KEYLEN) == 0)
            return s;
    }
    return NULL;
}

/* Make room for one more session of account `name`: when it holds SOL_MAX_SESSIONS_PER_ACCOUNT
 * live ones, its own oldest ends. Called with the mutex held. */
static void cap_account(sol__auth *a, const char *name, long long now)
{
    unsigned live = 0;
    session *oldest = NULL;
    for (size_t k = 0; k < SOL_MAX_SESSIONS; k++) {
        session *s = &a->sessions[k];
        if (s->state != SLOT_LIVE || s->expires <= now || strcmp(s->name, name) != 0)
            continue;
        live++;
        if (oldest == NULL || s->seq < oldest->seq)
            oldest = s;
    }
    if (live >= SOL_MAX_SESSIONS_PER_ACCOUNT && oldest)
        oldest->state = SLOT_GONE;
}

/* A slot for a new session of `name`: the first free one along the probe; when every slot
 * holds a live session, that account's oldest if it has one, else the oldest of all. No slot
 * ever becomes empty again (only gone), so with none empty every lookup probes the whole table
 * and any slot will be found. */
static session *new_slot(sol__auth *a, const unsigned char key[KEYLEN], const char *name,
                         long long now)
{
    size_t i = slot_of(key);
    for (size_t k = 0; k < SOL_MAX_SESSIONS; k++) {
        session *s = &a->sessions[(i + k) % SOL_MAX_SESSIONS];
        if (s->state != SLOT_LIVE || s->expires <= now)
            return s;
    }
    session *own = NULL, *oldest = &a->sessions[0];
    for (size_t k = 0; k < SOL_MAX_SESSIONS; k++) {
        session *s = &a->sessions[k];
        if (s->seq < oldest->seq)
            oldest = s;
        if (strcmp(s->name, name) == 0 && (own == NULL || s->seq < own->seq))
            own = s;
    }
    return own ? own : oldest;
}

/* The value of cookie `name` in a Cookie header, copied into out (cap bytes); 0 when absent. */
static int cookie_value(const char *hdr, const char *name, char *out, size_t cap)
{
    size_t n = strlen(name);
    for (const char *p = hdr; p && *p;) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > n && strncmp(p, name, n) == 0 && p[n] == '=') {
            size_t vlen = len - n - 1;
            if (vlen + 1 > cap)
                return 0;
            memcpy(out, p + n + 1, vlen);
            out[vlen] = '\0';
            return 1;
        }
        p = end;
    }
    return 0;
}

void sol__auth_who(sol__auth *a, const char *cookie_header, sol_who *who)
{
    memset(who, 0, sizeof *who);
    who->role = SOL_ROLE_ANON;
    char sid[65];
    if (cookie_header == NULL || !cookie_value(cookie_header, COOKIE, sid, sizeof sid) ||
        strlen(sid) != 64)
        return;
    unsigned char key[KEYLEN];
    sid_key(a, sid, key);
    pthread_mutex_lock(&a->mu);
    session *s = find_session(a, key, now_s());
    if (s) {
        who->role = s->role;
        snprintf(who->name, sizeof who->name, "%s", s->name);
        snprintf(who->csrf, sizeof who->csrf, "%s", s->csrf);
        snprintf(who->sid, sizeof who->sid, "%s", sid);
    }
    pthread_mutex_unlock(&a->mu);
}

/* ---- the login rate limiter ---------------------------------------------------------------- */

/* Close the window of a slot: its suppressed count (if any) goes to *sum for a summary entry. */
static void window_reset(ip_slot *s, long long now, pending_summary *sum)
{
    if (sum && s->suppressed && s->ip[0]) {
        snprintf(sum->ip, sizeof sum->ip, "%s", s->ip);
        sum->count = s->suppressed;
    }
    s->start = now;
    s->failures = 0;
    s->audit_rows = 0;
    s->suppressed = 0;
}

/* The slot of `key` in a table of n, claimed when absent; a window that has ended is reset. */
static ip_slot *slot_find(ip_slot *tab, size_t n, const char *key, long long now,
                          pending_summary *sum)
{
    size_t h = 5381;
    for (const char *p = key; *p; p++)
        h = h * 33 + (unsigned char)*p;
    size_t i = h % n;
    ip_slot *spare = NULL;
    for (size_t k = 0; k < 8; k++) {
        ip_slot *s = &tab[(i + k) % n];
        if (strcmp(s->ip, key) == 0) {
            if (now - s->start >= SOL_LOGIN_WINDOW_SECONDS)
                window_reset(s, now, sum);
            return s;
        }
        if (spare == NULL && (s->ip[0] == '\0' || now - s->start >= SOL_LOGIN_WINDOW_SECONDS))
            spare = s;
    }
    if (spare == NULL)
        spare = &tab[i]; /* eight busy keys on one chain: the oldest claim is dropped */
    window_reset(spare, now, sum);
    snprintf(spare->ip, sizeof spare->ip, "%s", key);
    return spare;
}

/* May one more audit entry about a failed login from this address be written? Else counted. */
static int audit_budget(ip_slot *s)
{
    if (s->audit_rows < SOL_LOGIN_AUDIT_ROWS) {
        s->audit_rows++;
        return 1;
    }
    s->suppressed++;
    return 0;
}

/* A login attempt's claim on the limiter, taken under the lock before the password is checked,
 * so that concurrent attempts cannot all pass one check. */
typedef struct login_claim {
    long long ip_start, acct_start; /* the windows the claim was counted in */
    int has_acct;
    int audited; /* took one of the address's audit entries (else counted as suppressed) */
} login_claim;

/* Seconds to wait (0: go ahead, and the attempt is counted as a failure until login_done says
 * otherwise). *audit says whether this attempt may write its audit entry. */
static unsigned login_begin(sol__auth *a, const char *ip, const char *acct, login_claim *c,
                            int *audit, pending_summary *sum)
{
    long long now = now_s();
    memset(c, 0, sizeof *c);
    pthread_mutex_lock(&a->mu);
    ip_slot *s = slot_find(a->ips, SOL_LOGIN_TRACKED_IPS, ip, now, sum);
    ip_slot *t =
        acct && *acct ? slot_find(a->accounts, SOL_LOGIN_TRACKED_ACCOUNTS, acct, now, NULL) : NULL;
    long long left = 0;
    if (s->failures >= SOL_LOGIN_MAX_FAILURES)
        left = s->start + SOL_LOGIN_WINDOW_SECONDS - now;
    if (t && t->failures >= SOL_LOGIN_MAX_ACCOUNT_FAILURES) {
        long long l2 = t->start + SOL_LOGIN_WINDOW_SECONDS - now;
        left = l2 > left ? l2 : left;
    }
    unsigned wait = 0;
    if (s->failures >= SOL_LOGIN_MAX_FAILURES ||
        (t && t->failures >= SOL_LOGIN_MAX_ACCOUNT_FAILURES)) {
        wait = left > 0 ? (unsigned)left : 1;
    } else {
        s->failures++;
        c->ip_start = s->start;
        if (t) {
            t->failures++;
            c->acct_start = t->start;
            c->has_acct = 1;
        }
    }
    /* an attempt that is refused or fails writes an audit entry within the address's budget */
    *audit = c->audited = audit_budget(s);
    pthread_mutex_unlock(&a->mu);
    return wait;
}

/* The outcome of a claimed attempt: a success takes its claim back (and only its own). */
static void login_done(sol__auth *a, const char *ip, const char *acct, const login_claim *c, int ok)
{
    if (!ok)
        return;
    long long now = now_s();
    pthread_mutex_lock(&a->mu);
    ip_slot *s = slot_find(a->ips, SOL_LOGIN_TRACKED_IPS, ip, now, NULL);
    if (s->start == c->ip_start && s->failures > 0)
        s->failures--;
    /* the success is audited as a login, not counted against the failures' budget */
    if (s->start == c->ip_start) {
        if (c->audited && s->audit_rows > 0)
            s->audit_rows--;
        else if (!c->audited && s->suppressed > 0)
            s->suppressed--;
    }
    if (c->has_acct && acct && *acct) {
        ip_slot *t = slot_find(a->accounts, SOL_LOGIN_TRACKED_ACCOUNTS, acct, now, NULL);
        if (t->start == c->acct_start && t->failures > 0)
            t->failures--;
    }
    pthread_mutex_unlock(&a->mu);
}

/* ---- helpers shared by the routes ------------------------------------------------------------ */

json_t *sol__body_json(const sol_req *q, sol_reply *r)
{
    json_error_t je;
    json_t *j = json_loadb(q->body, q->body_len, JSON_REJECT_DUPLICATES, &je);
    if (j == NULL) {
        sol__reply_error(r, 400, "the request body is not valid JSON: %s (line %d, column %d)",
                         je.text, je.line, je.column);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        sol__reply_error(r, 400, "the request body must be a JSON object");
        return NULL;
    }
    return j;
}

/* A string member of a JSON object, or NULL with a 400 in r. */
static const char *member(json_t *o, const char *key, sol_reply *r)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v)) {
        sol__reply_error(r, 400, "the request body needs \"%s\" as a string", key);
        return NULL;
    }
    return json_string_value(v);
}

sol_status sol__audit(const sol_req *q, const char *who, const char *action, json_t *detail)
{
    if (detail == NULL)
        detail = json_object();
    json_object_set_new(detail, "ip", json_string(q->ip ? q->ip : ""));
    char *d = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(detail);
    if (d == NULL)
        return SOL_ENOMEM;
    sol_status rc = sol_store_audit_append(q->st, who && *who ? who : NULL, action, d, NULL);
    free(d);
    return rc;
}

static json_t *me_json(const sol_who *w)
{
    if (w->role == SOL_ROLE_ANON)
        return json_pack("{s:b,s:s}", "signed_in", 0, "role", "anonymous");
    return json_pack("{s:b,s:s,s:s,s:s}", "signed_in", 1, "name", w->name, "role",
                     sol_role_name(w->role), "csrf", w->csrf);
}

/* ---- the routes ---------------------------------------------------------------------------- */

void sol__api_me(const sol_req *q, sol_reply *r)
{
    sol__reply_json(r, 200, me_json(q->who), 0);
}

/* The name as the audit log may keep it: at most SOL_MAX_ACCOUNT_NAME bytes, every byte that
 * cannot be in an account name shown as '?'. Returns the length of the name as sent. */
static size_t audit_name(const char *name, char out[SOL_MAX_ACCOUNT_NAME + 1])
{
    size_t n = strlen(name), k = n < SOL_MAX_ACCOUNT_NAME ? n : SOL_MAX_ACCOUNT_NAME;
    for (size_t i = 0; i < k; i++) {
        char c = name[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-' || c == '@';
        out[i] = ok ? c : '?';
    }
    out[k] = '\0';
    return n;
}

/* Write the summary of the failed-login entries an address did not get, if any. */
static void write_summary(sol_store *st, const pending_summary *sum)
{
    if (st == NULL || sum->count == 0)
        return;
    json_t *d = json_pack("{s:s,s:i,s:i}", "ip", sum->ip, "count", (int)sum->count, "window_s",
                          (int)SOL_LOGIN_WINDOW_SECONDS);
    char *t = d ? json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(d);
    if (t)
        sol_store_audit_append(st, NULL, "login.audit_suppressed", t, NULL);
    free(t);
}

void sol__auth_flush(sol__auth *a, sol_store *st)
{
    if (a == NULL)
        return;
    for (size_t i = 0; i < SOL_LOGIN_TRACKED_IPS; i++) {
        pending_summary sum = {.count = 0};
        pthread_mutex_lock(&a->mu);
        ip_slot *s = &a->ips[i];
        if (s->suppressed && s->ip[0]) {
            snprintf(sum.ip, sizeof sum.ip, "%s", s->ip);
            sum.count = s->suppressed;
            s->suppressed = 0;
        }
        pthread_mutex_unlock(&a->mu);
        write_summary(st, &sum);
    }
}

void sol__api_login(const sol_req *q, sol_reply *r)
{
    const char *ip = q->ip ? q->ip : "";
    json_t *body = sol__body_json(q, r);
    if (body == NULL)
        return;
    const char *name = member(body, "name", r), *pw = name ? member(body, "password", r) : NULL;
    if (pw == NULL) {
        json_decref(body);
        return;
    }
    /* the account the limiter counts: the name case-folded, when it could be one */
    char acct[SOL_MAX_ACCOUNT_NAME + 1] = "";
    if (sol_auth_check_name(name, NULL) == SOL_OK)
        for (size_t i = 0; name[i]; i++)
            acct[i] = (char)((name[i] >= 'A' && name[i] <= 'Z') ? name[i] - 'A' + 'a' : name[i]);
    char shown[SOL_MAX_ACCOUNT_NAME + 1];
    size_t sent = audit_name(name, shown);
    login_claim claim;
    int audit = 0;
    pending_summary sum = {.count = 0};
    unsigned wait = login_begin(q->auth, ip, acct, &claim, &audit, &sum);
    write_summary(q->st, &sum);
    if (wait) {
        json_decref(body);
        if (audit)
            sol__audit(q, NULL, "login.limited", json_pack("{s:s}", "name", shown));
        sol__reply_error(r, 429,
                         "too many failed sign-ins from this address or for this "
                         "account; try again in %u s",
                         wait);
        r->retry_after = wait;
        return;
    }
    sol_role role = SOL_ROLE_ANON;
    sol_error e;
    sol_error_clear(&e);
    sol_who w = {.role = SOL_ROLE_ANON};
    sol_status rc =
        sol_auth_verify_name(q->st, name, pw, strlen(pw), &role, w.name, sizeof w.name, &e);
    json_decref(body);
    if (rc == SOL_EDENIED) {
        login_done(q->auth, ip, acct, &claim, 0);
        sol_status arc = SOL_OK;
        if (audit) {
            json_t *d = json_pack("{s:s}", "name", shown);
            if (sent > SOL_MAX_ACCOUNT_NAME)
                json_object_set_new(d, "name_bytes", json_integer((json_int_t)sent));
            arc = sol__audit(q, NULL, "login.failed", d);
        }
        if (arc != SOL_OK)
            sol__reply_error(r, 500, "the audit log cannot be written");
        else
            sol__reply_error(r, 401, "wrong name or password");
        return;
    }
    login_done(q->auth, ip, acct, &claim, 1); /* not a failed guess, whatever else it is */
    if (rc != SOL_OK) {
        sol__reply_error(r, sol__http_status(rc), "%s", e.msg);
        return;
    }
    w.role = role;
    if (sol__audit(q, w.name, "login", NULL) != SOL_OK) {
        sol__reply_error(r, 500, "the audit log cannot be written; not signed in");
        return;
    }
    sol_auth_random_hex(w.sid, 32);
    sol_auth_random_hex(w.csrf, 32);
    unsigned char key[KEYLEN];
    sid_key(q->auth, w.sid, key);
    long long now = now_s();
    pthread_mutex_lock(&q->auth->mu);
    cap_account(q->auth, w.name, now);
    session *s = new_slot(q->auth, key, w.name, now);
    s->state = SLOT_LIVE;
    memcpy(s->key, key, KEYLEN);
    s->created = now;
    s->seq = ++q->auth->seq;
    s->expires = now + SOL_SESSION_SECONDS;
    s->role = role;
    snprintf(s->name, sizeof s->name, "%s", w.name);
    snprintf(s->csrf, sizeof s->csrf, "%s", w.csrf);
    pthread_mutex_unlock(&q->auth->mu);
    snprintf(r->set_cookie, sizeof r->set_cookie,
             COOKIE "=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%u%s", w.sid,
             SOL_SESSION_SECONDS, q->auth->secure ? "; Secure" : "");
    sol__reply_json(r, 200, me_json(&w), 0);
    sodium_memzero(&w, sizeof w);
}

void sol__api_logout(const sol_req *q, sol_reply *r)
{
    unsigned char key[KEYLEN];
    sid_key(q->auth, q->who->sid, key);
    pthread_mutex_lock(&q->auth->mu);
    session *s = find_session(q->auth, key, now_s());
    if (s)
        s->state = SLOT_GONE;
    pthread_mutex_unlock(&q->auth->mu);
    sol__audit(q, q->who->name, "logout", NULL);
    snprintf(r->set_cookie, sizeof r->set_cookie,
             COOKIE "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0%s",
             q->auth->secure ? "; Secure" : "");
    sol__reply_json(r, 200, json_pack("{s:b,s:s}", "signed_in", 0, "role", "anonymous"), 0);
}

static int on_account(void *ud, const sol_account *a)
{
    json_array_append_new(ud, json_pack("{s:s,s:s,s:s,s:s?}", "name", a->name, "role", a->role,
                                        "created_at", a->created_at, "created_by", a->created_by));
    return 0;
}

void sol__api_users(const sol_req *q, sol_reply *r)
{
    json_t *a = json_array();
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = sol_store_accounts(q->st, on_account, a, &e);
    if (rc != SOL_OK) {
        json_decref(a);
        sol__reply_error(r, sol__http_status(rc), "%s", e.msg);
        return;
    }
    sol__reply_json(r, 200, a, 0);
}

void sol__api_users_add(const sol_req *q, sol_reply *r)
{
    json_t *body = sol__body_json(q, r);
    if (body == NULL)
        return;
    const char *name = member(body, "name", r);
    const char *role_s = name ? member(body, "role", r) : NULL;
    const char *pw = role_s ? member(body, "password", r) : NULL;
    if (pw == NULL) {
        json_decref(body);
        return;
    }
    sol_role role;
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = sol_role_parse(role_s, &role, &e);
    json_t *out = NULL;
    char *detail = NULL;
    if (rc == SOL_OK) {
        out = json_pack("{s:s,s:s}", "name", name, "role", sol_role_name(role));
        json_t *d = json_pack("{s:s,s:s,s:s}", "name", name, "role", sol_role_name(role), "ip",
                              q->ip ? q->ip : "");
        detail = d ? json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        json_decref(d);
        if (out == NULL || detail == NULL)
            rc = sol__err(&e, SOL_ENOMEM, "out of memory");
    }
    /* the account and its audit entry in one transaction */
    if (rc == SOL_OK)
        rc = sol_auth_account_add_audited(q->st, name, role, pw, strlen(pw), q->who->name, detail,
                                          &e);
    free(detail);
    json_decref(body);
    if (rc != SOL_OK) {
        json_decref(out);
        sol__reply_error(r, rc == SOL_EDUPLICATE ? 409 : sol__http_status(rc), "%s", e.msg);
        return;
    }
    sol__reply_json(r, 201, out, 0);
}

static int on_audit(void *ud, const sol_audit_row *a)
{
    json_t *d = a->detail ? json_loads(a->detail, 0, NULL) : NULL;
    json_array_append_new(ud,
                          json_pack("{s:I,s:s,s:s?,s:s,s:o}", "id", (json_int_t)a->id, "at", a->at,
                                    "who", a->who, "action", a->action, "detail",
                                    d ? d : (a->detail ? json_string(a->detail) : json_null())));
    return 0;
}

void sol__api_audit(const sol_req *q, sol_reply *r)
{
    const char *l = q->arg(q->conn, "limit");
    char *end = NULL;
    long limit = l ? strtol(l, &end, 10) : 200;
    if (l && (*end || limit < 1 || limit > 100000)) {
        sol__reply_error(r, 400, "?limit=N: expected 1 to 100000");
        return;
    }
    json_t *a = json_array();
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = sol_store_audit(q->st, (size_t)limit, on_audit, a, &e);
    if (rc != SOL_OK) {
        json_decref(a);
        sol__reply_error(r, sol__http_status(rc), "%s", e.msg);
        return;
    }
    sol__reply_json(r, 200, a, 0);
}
