/* server_int.h - private to src/server: the request, the reply, the routes. */
#ifndef SOL_SERVER_INT_H
#define SOL_SERVER_INT_H

#include <solidata/auth.h>
#include <solidata/server.h>
#include <solidata/store.h>

#include "core/core.h"

#include <stddef.h>

/* What a route produces: a status, a content type and a body it owns (malloc'ed). */
typedef struct sol_reply {
    unsigned status;
    const char *ctype;
    char *body;
    size_t len;
    int cacheable;        /* 1: depends only on the URL and the store's generation */
    char set_cookie[192]; /* a Set-Cookie header to send, or "" */
    unsigned retry_after; /* seconds for a Retry-After header (429), or 0 */
} sol_reply;

/* Who is asking: an anonymous visitor (role SOL_ROLE_ANON) or a signed-in account. */
typedef struct sol_who {
    sol_role role;
    char name[SOL_MAX_ACCOUNT_NAME + 1]; /* "" when anonymous */
    char sid[65];                        /* session id (hex), "" when anonymous */
    char csrf[65];                       /* the session's CSRF token, "" when anonymous */
} sol_who;

/* Sessions and the login rate limiter, shared by the worker threads (src/server/auth.c). */
typedef struct sol__auth sol__auth;

/* One request as the routes see it. */
typedef struct sol_req {
    const char *method;
    const char *path;                                 /* decoded, without the query */
    const char *(*arg)(void *conn, const char *name); /* query argument or NULL */
    void *conn;
    const char *body;
    size_t body_len;
    sol_store *st;      /* this worker thread's store handle */
    const char *ip;     /* the client's address, for rate limiting and the audit log */
    const sol_who *who; /* who is asking (already checked against the route's role) */
    sol__auth *auth;
    const char *tail; /* for prefix routes: the part of the path after the prefix */
} sol_req;

/* One API route: the minimum role it needs, whether it writes (then a CSRF token is required
 * unless it is the login itself), and its handler. The table lives in api.c; the check of a
 * request against its route is sol__route_check, the only place roles are enforced. */
typedef void (*sol_route_fn)(const sol_req *q, sol_reply *r);
typedef struct sol_route {
    const char *method; /* "GET" (HEAD too) or "POST" */
    const char *path;   /* exact path, or a prefix when it ends with '/' */
    sol_role min_role;  /* SOL_ROLE_ANON: anyone */
    int write;          /* 1: changes something (audited, CSRF unless csrf_exempt) */
    int csrf_exempt;    /* 1: only the login, which has no session yet */
    sol_route_fn fn;
} sol_route;
/* Find the route for method + path. NULL when none; then *path_known says whether the path
 * exists under another method (405 rather than 404). */
const sol_route *sol__route_find(const char *method, const char *path, int *path_known);
/* 0 when `who` may call `rt` with that CSRF header (may be NULL); else the HTTP status (401,
 * 403) with the error body in r. */
unsigned sol__route_check(const sol_route *rt, const sol_who *who, const char *csrf_header,
                          sol_reply *r);

/* src/server/auth.c */
sol__auth *sol__auth_new(int secure_cookies);
void sol__auth_free(sol__auth *a);
/* Write the pending summaries of suppressed failed-login audit entries to `st` (at shutdown). */
void sol__auth_flush(sol__auth *a, sol_store *st);
/* Fill `who` from the Cookie header (may be NULL): anonymous unless it names a live session. */
void sol__auth_who(sol__auth *a, const char *cookie_header, sol_who *who);
void sol__api_login(const sol_req *q, sol_reply *r);
void sol__api_logout(const sol_req *q, sol_reply *r);
void sol__api_me(const sol_req *q, sol_reply *r);
void sol__api_users_add(const sol_req *q, sol_reply *r);
void sol__api_users(const sol_req *q, sol_reply *r);
void sol__api_audit(const sol_req *q, sol_reply *r);
/* src/server/api_sources.c: corrections after import (analysts) */
void sol__api_sources(const sol_req *q, sol_reply *r);
void sol__api_sources_remove(const sol_req *q, sol_reply *r);
void sol__api_sources_restore(const sol_req *q, sol_reply *r);
void sol__api_indicators_edit(const sol_req *q, sol_reply *r);
void sol__api_publish(const sol_req *q, sol_reply *r); /* api_publish.c */
void sol__api_drafts(const sol_req *q, sol_reply *r);
/* Constant-time comparison of n bytes (sodium_memcmp): 1 when equal. */
int sol__equal_secret(const char *a, const char *b, size_t n);
struct json_t;
/* Append to the audit log: `who` (NULL or "" = anonymous), the action, and a JSON object of
 * detail (taken; may be NULL) to which the client's address is added. */
sol_status sol__audit(const sol_req *q, const char *who, const char *action, struct json_t *detail);
/* The JSON body of a POST as an object, or NULL with a 400 error in r. Caller json_decref's. */
struct json_t *sol__body_json(const sol_req *q, sol_reply *r);
/* Reply with a JSON value (taking the reference); 500 when it cannot be written. */
void sol__reply_json(sol_reply *r, unsigned status, struct json_t *j, int cacheable);

/* src/server/api_locate.c: the latest placement as the public sees it; a new placement */
void sol__api_locate(const sol_req *q, sol_reply *r);
void sol__api_locate_run(const sol_req *q, sol_reply *r);

/* Map a library status to an HTTP status, in one place (400/404/413/500...). */
unsigned sol__http_status(sol_status rc);
/* A JSON error body {"error": msg, "status": code}. */
void sol__reply_error(sol_reply *r, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Embedded dashboard assets; returns 0 when `path` is not one. */
int sol__asset_route(const char *path, sol_reply *r);

/* src/server/api_map.c: a level's simplified topology per zoom; the map's values alone */
void sol__api_map_topo(const sol_req *q, sol_reply *r);
void sol__api_map_values(const sol_req *q, sol_reply *r);

#endif
