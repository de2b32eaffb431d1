/* server_int.h - private to src/server: the request, the reply, the routes. */
#ifndef SOL_SERVER_INT_H
#define SOL_SERVER_INT_H

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
    int cacheable; /* 1: depends only on the URL and the store's generation */
} sol_reply;

/* One request as the routes see it. */
typedef struct sol_req {
    const char *method;
    const char *path;       /* decoded, without the query */
    const char *(*arg)(void *conn, const char *name); /* query argument or NULL */
    void *conn;
    const char *body;
    size_t body_len;
    sol_store *st;          /* this worker thread's store handle */
} sol_req;

/* Map a library status to an HTTP status, in one place (400/404/413/500...). */
unsigned sol__http_status(sol_status rc);
/* A JSON error body {"error": msg, "status": code}. */
void sol__reply_error(sol_reply *r, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Dispatch /api/... ; returns 0 when no route matched (404 then). */
int sol__api_route(const sol_req *q, sol_reply *r);
/* Embedded dashboard assets; returns 0 when `path` is not one. */
int sol__asset_route(const char *path, sol_reply *r);

#endif
