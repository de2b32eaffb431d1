/* auth.c - sign-in for the server: sessions (random ids in an HttpOnly, SameSite=Strict cookie,
 * kept in memory under a keyed hash), CSRF tokens, login rate limiting per IP address, the
 * account and audit routes, and the audit log of every login and write. */
#include "server_int.h"

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define COOKIE "sol_session"
#define KEYLEN 16

enum { SLOT_EMPTY = 0, SLOT_LIVE = 1, SLOT_GONE = 2 };

typedef struct session {
    int state;
    unsigned char key[KEYLEN];  /* keyed BLAKE2b of the session id: the id itself is not kept */
    long long created, expires; /* monotonic seconds */
    sol_role role;
    char name[SOL_MAX_ACCOUNT_NAME + 1];
    char csrf[65];
} session;

typedef struct ip_slot {
    char ip[64];
    long long start; /* start of the current window */
    unsigned failures;
} ip_slot;

struct sol__auth {
    pthread_mutex_t mu;
    int secure;
    unsigned char hashkey[crypto_generichash_KEYBYTES];
    session sessions[SOL_MAX_SESSIONS];
    ip_slot ips[SOL_LOGIN_TRACKED_IPS];
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

/* A slot for a new session: the first free one along the probe, else the oldest session. */
static session *new_slot(sol__auth *a, const unsigned char key[KEYLEN], long long now)
{
    size_t i = slot_of(key);
    for (size_t k = 0; k < SOL_MAX_SESSIONS; k++) {
        session *s = &a->sessions[(i + k) % SOL_MAX_SESSIONS];
        if (s->state != SLOT_LIVE || s->expires <= now)
            return s;
    }
    session *oldest = &a->sessions[0];
    for (size_t k = 1; k < SOL_MAX_SESSIONS; k++)
        if (a->sessions[k].created < oldest->created)
            oldest = &a->sessions[k];
    return oldest;
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

static ip_slot *ip_find(sol__auth *a, const char *ip, long long now)
{
    size_t h = 5381;
    for (const char *p = ip; *p; p++)
        h = h * 33 + (unsigned char)*p;
    size_t i = h % SOL_LOGIN_TRACKED_IPS;
    ip_slot *spare = NULL;
    for (size_t k = 0; k < 8; k++) {
        ip_slot *s = &a->ips[(i + k) % SOL_LOGIN_TRACKED_IPS];
        if (strcmp(s->ip, ip) == 0)
            return s;
        if (spare == NULL && (s->ip[0] == '\0' || now - s->start >= SOL_LOGIN_WINDOW_SECONDS))
            spare = s;
    }
    if (spare == NULL)
        spare = &a->ips[i]; /* eight busy addresses on one chain: the oldest claim is dropped */
    snprintf(spare->ip, sizeof spare->ip, "%s", ip);
    spare->start = now;
    spare->failures = 0;
    return spare;
}

/* Seconds the address must wait before trying again, 0 when it may try now. */
static unsigned login_wait(sol__auth *a, const char *ip)
{
    long long now = now_s();
    pthread_mutex_lock(&a->mu);
    ip_slot *s = ip_find(a, ip, now);
    if (now - s->start >= SOL_LOGIN_WINDOW_SECONDS) {
        s->start = now;
        s->failures = 0;
    }
    unsigned wait = 0;
    if (s->failures >= SOL_LOGIN_MAX_FAILURES) {
        long long left = s->start + SOL_LOGIN_WINDOW_SECONDS - now;
        wait = left > 0 ? (unsigned)left : 1;
    }
    pthread_mutex_unlock(&a->mu);
    return wait;
}

static void login_result(sol__auth *a, const char *ip, int ok)
{
    long long now = now_s();
    pthread_mutex_lock(&a->mu);
    ip_slot *s = ip_find(a, ip, now);
    if (ok)
        s->failures = 0;
    else
        s->failures++;
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

void sol__api_login(const sol_req *q, sol_reply *r)
{
    const char *ip = q->ip ? q->ip : "";
    unsigned wait = login_wait(q->auth, ip);
    if (wait) {
        sol__audit(q, NULL, "login.limited", NULL);
        sol__reply_error(r, 429, "too many failed sign-ins from this address; try again in %u s",
                         wait);
        r->retry_after = wait;
        return;
    }
    json_t *body = sol__body_json(q, r);
    if (body == NULL)
        return;
    const char *name = member(body, "name", r), *pw = name ? member(body, "password", r) : NULL;
    if (pw == NULL) {
        json_decref(body);
        return;
    }
    sol_role role = SOL_ROLE_ANON;
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = sol_auth_verify(q->st, name, pw, strlen(pw), &role, &e);
    if (rc == SOL_EDENIED) {
        login_result(q->auth, ip, 0);
        json_t *d = json_pack("{s:s}", "name", name);
        sol_status arc = sol__audit(q, NULL, "login.failed", d);
        json_decref(body);
        if (arc != SOL_OK)
            sol__reply_error(r, 500, "the audit log cannot be written");
        else
            sol__reply_error(r, 401, "wrong name or password");
        return;
    }
    if (rc != SOL_OK) {
        json_decref(body);
        sol__reply_error(r, sol__http_status(rc), "%s", e.msg);
        return;
    }
    login_result(q->auth, ip, 1);
    sol_who w = {.role = role};
    snprintf(w.name, sizeof w.name, "%s", name);
    json_decref(body);
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
    session *s = new_slot(q->auth, key, now);
    s->state = SLOT_LIVE;
    memcpy(s->key, key, KEYLEN);
    s->created = now;
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
    sol_role role;
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = SOL_OK;
    if (pw && (rc = sol_role_parse(role_s, &role, &e)) == SOL_OK)
        rc = sol_auth_account_add(q->st, name, role, pw, strlen(pw), q->who->name, &e);
    if (pw == NULL) {
        json_decref(body);
        return;
    }
    if (rc != SOL_OK) {
        json_decref(body);
        sol__reply_error(r, rc == SOL_EDUPLICATE ? 409 : sol__http_status(rc), "%s", e.msg);
        return;
    }
    json_t *out = json_pack("{s:s,s:s}", "name", name, "role", sol_role_name(role));
    json_decref(body);
    if (sol__audit(q, q->who->name, "account.add", json_deep_copy(out)) != SOL_OK) {
        json_decref(out);
        sol__reply_error(r, 500, "the account was created but the audit log cannot be written");
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
