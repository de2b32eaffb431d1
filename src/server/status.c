/* status.c - library status to HTTP status, in one function (the GEOS execute() idea), and the
 * JSON error body every failing route returns. */
#include "server_int.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned sol__http_status(sol_status rc)
{
    switch (rc) {
    case SOL_OK: return 200;
    case SOL_EINVAL:
    case SOL_EPARSE:
    case SOL_ETYPE:
    case SOL_EENCODING:
    case SOL_EUNKNOWNAREA:
    case SOL_EDUPLICATE:
    case SOL_EGEO: return 400;
    case SOL_ENOTFOUND: return 404;
    case SOL_ELIMIT: return 413;
    case SOL_EDENIED: return 403;
    case SOL_EBUSY: return 503; /* another writer held the store too long: try again */
    default: return 500;
    }
}

void sol__reply_error(sol_reply *r, unsigned status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, sol_gettext(fmt), ap);
    va_end(ap);
    json_t *j = json_pack("{s:s,s:i}", "error", msg, "status", (int)status);
    r->status = status;
    r->ctype = "application/json; charset=utf-8";
    r->body = j ? json_dumps(j, JSON_COMPACT) : NULL;
    r->len = r->body ? strlen(r->body) : 0;
    r->cacheable = 0;
    json_decref(j);
}
