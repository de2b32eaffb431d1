/* server.c - libmicrohttpd daemon: thread pool, bounded memory, timeouts (idle, and a deadline
 * for each whole request), caps on the request line and body, security headers, the route's role
 * check before anything else, ETags and a response cache bounded in bytes, keyed on the store's
 * generation and the query arguments the route reads, with a gzip variant of each cached reply
 * for clients that accept it. The only file that includes microhttpd.h. */
#include "server_int.h"
#include "workspace_int.h"

#include <solidata/run.h>
#include <solidata/withhold.h>

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <zlib.h>

#define CACHE_SLOTS     512
#define CACHE_ENTRY_MAX (SOL_MAX_SERVER_CACHE_BYTES / 4) /* larger replies are not cached */
#define CACHE_OVERHEAD  1024 /* per entry: the slot, MHD's response structs and headers */
#define GZIP_MIN_BODY   1024 /* smaller bodies are sent as they are */

/* A cached reply is a ready MHD response: MHD reference-counts responses, so every request
 * for the same URL at the same store generation queues the same one without copying. Large
 * replies also keep a gzip-compressed twin (its own ETag), made once when cached. Only cached
 * replies are compressed: they are public content that never depends on who asks and never
 * carries a secret, so compression cannot leak one (BREACH). */
typedef struct cache_slot {
    char *key; /* the normalised request (see request_key) */
    char gen[64];
    char etag[96], etag_gz[104];
    struct MHD_Response *resp;
    struct MHD_Response *gz; /* NULL when not worth it */
    size_t bytes;            /* what the entry holds, counted against the cache's cap */
} cache_slot;

/* One TCP connection, for the request deadline: a client that trickles a byte at a time resets
 * MHD's idle timeout forever, so a reaper thread shuts down any connection whose request has
 * not fully arrived within the deadline. */
typedef struct conn_track {
    int fd;
    long long phase_start; /* when the current request began (accept, or the previous reply) */
    int responding;        /* the request has arrived: MHD's idle timeout alone applies */
    int reaped;
    struct conn_track *prev, *next;
} conn_track;

struct sol_server {
    struct MHD_Daemon *d;
    char *db_path;
    size_t max_body;
    unsigned port;
    pthread_mutex_t mu; /* guards handles, the cache and the argument names */
    sol_store **handles;
    size_t nhandles, caphandles;
    cache_slot cache[CACHE_SLOTS];
    size_t cache_bytes; /* at most SOL_MAX_SERVER_CACHE_BYTES */
    size_t clock;       /* the next slot to evict when over the cap */
    /* Every query argument name a route has read, sorted: only these enter cache keys, so
     * arguments no route reads cannot multiply the entries. Route code names them, so few. */
    char *argnames[SOL_MAX_QUERY_ARGS];
    size_t nargnames;
    sol__auth *auth;        /* sessions and the login rate limiter */
    char trusted_proxy[64]; /* "" = none: X-Forwarded-For is ignored */
    unsigned request_s;
    pthread_mutex_t conn_mu; /* guards conns and stopping */
    pthread_cond_t conn_cv;
    conn_track *conns;
    int stopping;
    pthread_t reaper;
    int has_reaper;
};

typedef struct req_ctx {
    sol_buf body;
    int started; /* the access handler has seen this request */
    int too_large;
    size_t max_body; /* this request's body cap: the server's, or the upload route's */
    unsigned reject; /* 414: too many query arguments or too long a target; 0 */
} req_ctx;

/* What a route sees as `conn`: the connection, and the argument names it reads. */
typedef struct arg_ctx {
    struct MHD_Connection *c;
    const char *read[SOL_MAX_QUERY_ARGS];
    size_t nread;
    int overflow; /* read more distinct names than fit: the reply is not cached */
} arg_ctx;

static long long mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec;
}

static __thread sol_store *tls_store;
static __thread const sol_server *tls_owner;

static sol_store *thread_store(sol_server *s)
{
    if (tls_store && tls_owner == s)
        return tls_store;
    sol_store *st = NULL;
    if (sol_store_open(s->db_path, &st, NULL) != SOL_OK)
        return NULL;
    pthread_mutex_lock(&s->mu);
    if (s->nhandles == s->caphandles) {
        size_t cap = s->caphandles ? s->caphandles * 2 : 8;
        sol_store **h = realloc(s->handles, cap * sizeof *h);
        if (h == NULL) {
            pthread_mutex_unlock(&s->mu);
            sol_store_close(st);
            return NULL;
        }
        s->handles = h;
        s->caphandles = cap;
    }
    s->handles[s->nhandles++] = st;
    pthread_mutex_unlock(&s->mu);
    tls_store = st;
    tls_owner = s;
    return st;
}

static const char *query_arg(void *conn, const char *name)
{
    arg_ctx *a = conn;
    size_t i = 0;
    while (i < a->nread && strcmp(a->read[i], name) != 0)
        i++;
    if (i == a->nread) {
        if (a->nread < SOL_MAX_QUERY_ARGS)
            a->read[a->nread++] = name;
        else
            a->overflow = 1;
    }
    return MHD_lookup_connection_value(a->c, MHD_GET_ARGUMENT_KIND, name);
}

/* The normalised request, the cache key: the path, then for each argument name some route reads
 * (sorted) its value as the route sees it or its absence, then the view. Arguments no route
 * reads, their order and their duplicates do not change it. Called with s->mu held. */
static sol_status request_key(const sol_server *s, struct MHD_Connection *c, const char *url,
                              const char *view, sol_buf *key)
{
    sol_status rc = sol__buf_add(key, url, strlen(url));
    for (size_t i = 0; rc == SOL_OK && i < s->nargnames; i++) {
        const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, s->argnames[i]);
        rc = v ? sol__buf_addf(key, "\x02%s=%s", s->argnames[i], v)
               : sol__buf_addf(key, "\x02%s\x03", s->argnames[i]);
    }
    if (rc == SOL_OK)
        rc = sol__buf_add(key, view, strlen(view));
    if (rc == SOL_OK && key->data == NULL)
        rc = SOL_ENOMEM;
    return rc;
}

/* Add the names a route read to the sorted set; 0 when one does not fit. Called with s->mu. */
static int learn_args(sol_server *s, const arg_ctx *a)
{
    if (a->overflow)
        return 0;
    for (size_t k = 0; k < a->nread; k++) {
        size_t i = 0;
        while (i < s->nargnames && strcmp(s->argnames[i], a->read[k]) < 0)
            i++;
        if (i < s->nargnames && strcmp(s->argnames[i], a->read[k]) == 0)
            continue;
        if (s->nargnames == SOL_MAX_QUERY_ARGS)
            return 0;
        char *n = strdup(a->read[k]);
        if (n == NULL)
            return 0;
        memmove(&s->argnames[i + 1], &s->argnames[i], (s->nargnames - i) * sizeof *s->argnames);
        s->argnames[i] = n;
        s->nargnames++;
    }
    return 1;
}

static void slot_clear(sol_server *s, cache_slot *cs)
{
    if (cs->resp)
        MHD_destroy_response(cs->resp); /* drops the cache's reference only */
    if (cs->gz)
        MHD_destroy_response(cs->gz);
    free(cs->key);
    s->cache_bytes -= cs->bytes;
    memset(cs, 0, sizeof *cs);
}

static void security_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self'; "
                            "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
                            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
}

static struct MHD_Response *make_response(const char *ctype, const char *body, size_t len,
                                          const char *etag, int copy, const sol_reply *extra)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        len, (void *)body, copy ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_MUST_FREE);
    if (r == NULL)
        return NULL;
    security_headers(r);
    if (ctype)
        MHD_add_response_header(r, "Content-Type", ctype);
    if (etag) {
        MHD_add_response_header(r, "ETag", etag);
        MHD_add_response_header(r, "Cache-Control", "no-cache");
    } else {
        MHD_add_response_header(r, "Cache-Control", "no-store");
    }
    if (extra && extra->set_cookie[0])
        MHD_add_response_header(r, "Set-Cookie", extra->set_cookie);
    if (extra && extra->retry_after) {
        char ra[16];
        snprintf(ra, sizeof ra, "%u", extra->retry_after);
        MHD_add_response_header(r, "Retry-After", ra);
    }
    return r;
}

static enum MHD_Result send_reply(struct MHD_Connection *c, unsigned status, const char *ctype,
                                  const char *body, size_t len, const char *etag, int copy,
                                  const sol_reply *extra)
{
    struct MHD_Response *r = make_response(ctype, body, len, etag, copy, extra);
    if (r == NULL)
        return MHD_NO;
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Does the request's Accept-Encoding take gzip (a "gzip" token whose q is not 0)? */
/* The language of a request: ?lang=, else the first supported language of Accept-Language (in
 * the order sent; entries with q=0 are refused ones), else the process's. */
static sol_lang request_lang(struct MHD_Connection *c)
{
    sol_lang l;
    const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");
    if (q && sol_lang_parse(q, &l, NULL) == SOL_OK)
        return l;
    const char *al = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language");
    while (al && *al) {
        while (*al == ' ' || *al == ',')
            al++;
        size_t n = strcspn(al, ",;");
        char tag[16];
        int ok = n > 0 && n < sizeof tag;
        if (ok) {
            memcpy(tag, al, n);
            tag[n] = '\0';
        }
        al += n;
        if (*al == ';') {
            const char *end = al + strcspn(al, ",");
            const char *qs = strstr(al, "q=");
            if (qs && qs < end && strtod(qs + 2, NULL) <= 0)
                ok = 0;
            al = end;
        }
        if (ok && sol_lang_parse(tag, &l, NULL) == SOL_OK)
            return l;
    }
    sol_lang_set_thread(-1);
    return sol_lang_current();
}

static int accepts_gzip(struct MHD_Connection *c)
{
    const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
    while (ae && *ae) {
        while (*ae == ' ' || *ae == ',')
            ae++;
        size_t n = strcspn(ae, ",;");
        int gz = n == 4 && strncasecmp(ae, "gzip", 4) == 0;
        ae += n;
        double q = 1;
        if (*ae == ';') {
            const char *qs = strstr(ae, "q=");
            const char *end = ae + strcspn(ae, ",");
            if (qs && qs < end)
                q = strtod(qs + 2, NULL);
            ae = end;
        }
        if (gz)
            return q > 0;
    }
    return 0;
}

/* The body gzip-compressed (level 6), malloc'd, or NULL when it does not shrink by a tenth. */
static char *gzip_body(const char *body, size_t len, size_t *out_len)
{
    z_stream z = {0};
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    size_t cap = deflateBound(&z, (uLong)len);
    char *out = malloc(cap);
    if (out == NULL) {
        deflateEnd(&z);
        return NULL;
    }
    z.next_in = (Bytef *)body;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *out_len = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END || *out_len > len - len / 10) {
        free(out);
        return NULL;
    }
    return out;
}

/* The compressed twin of a cacheable reply, or NULL. */
static struct MHD_Response *make_gzip_response(const char *ctype, const char *body, size_t len,
                                               const char *etag_gz, size_t *zlen_out)
{
    *zlen_out = 0;
    if (len < GZIP_MIN_BODY)
        return NULL;
    size_t zlen = 0;
    char *z = gzip_body(body, len, &zlen);
    if (z == NULL)
        return NULL;
    struct MHD_Response *r = make_response(ctype, z, zlen, etag_gz, 0, NULL);
    if (r == NULL) {
        free(z);
        return NULL;
    }
    MHD_add_response_header(r, "Content-Encoding", "gzip");
    MHD_add_response_header(r, "Vary", "Accept-Encoding");
    *zlen_out = zlen;
    return r;
}

/* An error reply; `msg` is translated into the request's language (extracted: send_error). */
static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *msg)
{
    sol_reply r = {0};
    sol__reply_error(&r, status, "%s", sol_gettext(msg));
    if (r.body == NULL)
        return MHD_NO;
    return send_reply(c, status, r.ctype, r.body, r.len, NULL, 0, NULL);
}

/* The last X-Forwarded-For value: the address the proxy itself saw (earlier entries are the
 * client's word). */
static enum MHD_Result last_xff(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    (void)kind;
    if (strcasecmp(key, "X-Forwarded-For") == 0 && value)
        *(const char **)cls = value;
    return MHD_YES;
}

/* The client's address; behind the trusted proxy (and only there), the one it forwards. */
static void client_ip(const sol_server *s, struct MHD_Connection *c, char *ip, size_t cap)
{
    snprintf(ip, cap, "unknown");
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci == NULL || ci->client_addr == NULL)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, ip,
                  (socklen_t)cap);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, ip,
                  (socklen_t)cap);
    if (s->trusted_proxy[0] == '\0' || strcmp(ip, s->trusted_proxy) != 0)
        return;
    const char *xff = NULL;
    MHD_get_connection_values(c, MHD_HEADER_KIND, last_xff, &xff);
    if (xff == NULL)
        return;
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ' || *last == '\t')
        last++;
    char a[64];
    size_t n = strcspn(last, " \t");
    if (n == 0 || n >= sizeof a)
        return;
    memcpy(a, last, n);
    a[n] = '\0';
    unsigned char bin[16];
    if (inet_pton(AF_INET, a, bin) == 1)
        inet_ntop(AF_INET, bin, ip, (socklen_t)cap);
    else if (inet_pton(AF_INET6, a, bin) == 1)
        inet_ntop(AF_INET6, bin, ip, (socklen_t)cap);
}

static uint64_t fnv(const char *s, uint64_t h)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

/* Content-Length headers: how many, and whether they disagree. */
typedef struct clen_seen {
    unsigned n;
    const char *first;
    int differ;
} clen_seen;

static enum MHD_Result count_clen(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    clen_seen *cl = cls;
    if (strcasecmp(key, "Content-Length") != 0)
        return MHD_YES;
    if (cl->n++ == 0)
        cl->first = value ? value : "";
    else if (strcmp(cl->first, value ? value : "") != 0)
        cl->differ = 1;
    return MHD_YES;
}

/* Called by MHD with the request target before it parses the query: too many arguments or too
 * long a target are refused here (the parse itself would exhaust the connection's memory and
 * leave it hanging), by emptying the query MHD is about to parse. The request context starts
 * here. */
static void *uri_logger(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    req_ctx *ctx = calloc(1, sizeof *ctx);
    const char *qm = strchr(uri, '?');
    size_t nargs = 0;
    if (qm && qm[1]) {
        nargs = 1;
        for (const char *p = qm + 1; *p; p++)
            nargs += *p == '&' || *p == ';';
    }
    if (nargs > SOL_MAX_QUERY_ARGS || strlen(uri) > SOL_MAX_REQUEST_TARGET) {
        if (ctx)
            ctx->reject = 414;
        if (qm)
            ((char *)(uintptr_t)qm)[1] = '\0'; /* MHD's own buffer: nothing left to parse */
    }
    return ctx;
}

static conn_track *track_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

static void set_responding(sol_server *s, struct MHD_Connection *c, int on)
{
    conn_track *t = track_of(c);
    if (t == NULL)
        return;
    pthread_mutex_lock(&s->conn_mu);
    t->responding = on;
    if (!on)
        t->phase_start = mono_s();
    pthread_mutex_unlock(&s->conn_mu);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    (void)version;
    sol_server *s = cls;
    req_ctx *ctx = *con_cls;
    /* messages of the reply (errors, words of maps) in the asker's language: the cache key
     * holds it too */
    sol_lang lang = request_lang(c);
    sol_lang_set_thread(lang);
    if (ctx == NULL) { /* the URI logger could not allocate it */
        if ((ctx = calloc(1, sizeof *ctx)) == NULL)
            return MHD_NO;
        *con_cls = ctx;
    }
    if (!ctx->started) {
        ctx->started = 1;
        /* the upload route alone takes a spreadsheet's size (SOL__UPLOAD_MAX_BODY) */
        ctx->max_body = sol__workspace_is_upload(method, url) && SOL__UPLOAD_MAX_BODY > s->max_body
                            ? SOL__UPLOAD_MAX_BODY
                            : s->max_body;
        sol__buf_init(&ctx->body, ctx->max_body);
        if (ctx->reject) {
            set_responding(s, c, 1);
            return send_error(c, 414, "too many query arguments or too long a request target");
        }
        /* two Content-Length headers that disagree: which body is this? (request smuggling) */
        clen_seen cls_ = {0};
        MHD_get_connection_values(c, MHD_HEADER_KIND, count_clen, &cls_);
        if (cls_.differ) {
            set_responding(s, c, 1);
            return send_error(c, 400, "conflicting Content-Length headers");
        }
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > ctx->max_body)
            ctx->too_large = 1;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!ctx->too_large && sol__buf_add(&ctx->body, upload, *upload_size) != SOL_OK)
            ctx->too_large = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    set_responding(s, c, 1); /* the whole request is here */
    if (ctx->too_large) {
        sol_reply r = {0};
        if (sol__workspace_is_upload(method, url))
            sol__reply_error(&r, 413,
                             "the file is larger than %zu MB, the largest an upload can be",
                             SOL__UPLOAD_MAX_BYTES / 1000000);
        else
            sol__reply_error(&r, 413, "request body larger than %zu bytes", ctx->max_body);
        return r.body ? send_reply(c, 413, r.ctype, r.body, r.len, NULL, 0, NULL) : MHD_NO;
    }
    int is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    if (!is_get && strcmp(method, "POST") != 0)
        return send_error(c, 405, "method not allowed");
    if (url[0] != '/' || strstr(url, "..") || strlen(url) > 1024)
        return send_error(c, 400, "malformed path");

    sol_buf key;
    sol__buf_init(&key, 2 * SOL_MAX_REQUEST_TARGET);
    sol_reply r = {0};
    if (is_get && sol__asset_route(url, &r)) {
        sol__buf_free(&key);
        return send_reply(c, r.status, r.ctype, r.body, r.len, NULL, 1, NULL);
    }
    if (strncmp(url, "/api/", 5) != 0) {
        sol__buf_free(&key);
        return send_error(c, 404, "no such page; the dashboard is at /");
    }
    /* the route, then who is asking, then the role check: before any cache or store access */
    int known = 0;
    const sol_route *rt = sol__route_find(method, url, &known);
    if (rt == NULL) {
        sol__buf_free(&key);
        if (known)
            sol__reply_error(&r, 405, "%s does not accept %s", url, method);
        else
            sol__reply_error(&r, 404, "no such API route: %s", url);
        return r.body ? send_reply(c, r.status, r.ctype, r.body, r.len, NULL, 0, NULL) : MHD_NO;
    }
    sol_who who;
    sol__auth_who(s->auth, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie"), &who);
    /* analysts see disclosure-controlled values (flagged), the public does not: the cache key
     * tells the two apart */
    char view[32];
    snprintf(view, sizeof view, "\x01%s\x01%s", who.role >= SOL_ROLE_ANALYST ? "analyst" : "public",
             sol_lang_code(lang));
    unsigned denied = sol__route_check(
        rt, &who, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token"), &r);
    if (!denied && !is_get) {
        const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
        if (ct == NULL || strncmp(ct, "application/json", 16) != 0) {
            sol__reply_error(&r, 415,
                             "send the request body as JSON (Content-Type: "
                             "application/json)");
            denied = 415;
        }
    }
    if (denied) {
        sol__buf_free(&key);
        return r.body ? send_reply(c, r.status, r.ctype, r.body, r.len, NULL, 0, NULL) : MHD_NO;
    }
    sol_store *st = thread_store(s);
    if (st == NULL) {
        sol__buf_free(&key);
        return send_error(c, 503, "the store cannot be opened");
    }
    /* the public reads only published sources and runs; drafts are for analysts (fail closed).
     * The thread's handle keeps the view between requests of the same kind: switched only when
     * the asker's kind changes. */
    if (sol_store_public_view(st, !sol_withhold_sees(who.role), NULL) != SOL_OK) {
        sol__buf_free(&key);
        return send_error(c, 500, "the store cannot be read");
    }
    char gen[64];
    if (sol_store_generation(st, gen, NULL) != SOL_OK) {
        sol__buf_free(&key);
        return send_error(c, 500, "the store cannot be read");
    }
    /* A route's content depends only on its path, the query arguments it reads, the store and
     * whether the asker may see suppressed values (analyst or above), so the cache is keyed on
     * those. */
    if (is_get) {
        pthread_mutex_lock(&s->mu);
        sol_status krc = request_key(s, c, url, view, &key);
        if (krc != SOL_OK) {
            pthread_mutex_unlock(&s->mu);
            sol__buf_free(&key);
            return send_error(c, 414, "query arguments too long");
        }
        cache_slot *cs = &s->cache[fnv(key.data, 1469598103934665603ull) % CACHE_SLOTS];
        int gz_ok = accepts_gzip(c);
        /* a very large reply is kept only compressed: a client that takes no gzip recomputes */
        if (cs->key && strcmp(cs->key, key.data) == 0 && strcmp(cs->gen, gen) == 0 &&
            (cs->resp || (cs->gz && gz_ok))) {
            const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
            int gz = cs->gz && gz_ok;
            const char *tag = gz ? cs->etag_gz : cs->etag;
            enum MHD_Result ret = inm && strcmp(inm, tag) == 0
                                      ? send_reply(c, 304, NULL, "", 0, tag, 1, NULL)
                                      : MHD_queue_response(c, 200, gz ? cs->gz : cs->resp);
            pthread_mutex_unlock(&s->mu);
            sol__buf_free(&key);
            return ret;
        }
        pthread_mutex_unlock(&s->mu);
    }
    char ip[64];
    client_ip(s, c, ip, sizeof ip);
    size_t plen = strlen(rt->path);
    arg_ctx args = {.c = c};
    sol_req q = {.method = method,
                 .path = url,
                 .arg = query_arg,
                 .conn = &args,
                 .body = ctx->body.data ? ctx->body.data : "",
                 .body_len = ctx->body.len,
                 .st = st,
                 .ip = ip,
                 .who = &who,
                 .auth = s->auth,
                 .tail = rt->path[plen - 1] == '/' ? url + plen : ""};
    /* runs and audit rows made while answering name the signed-in account, not the process */
    sol_run_set_actor(who.role >= SOL_ROLE_PUBLIC ? who.name : NULL);
    rt->fn(&q, &r);
    sol_run_set_actor(NULL);
    if (r.body == NULL) {
        sol__buf_free(&key);
        return send_error(c, 500, "out of memory");
    }
    int cacheable = is_get && r.cacheable;
    char etag[96] = "";
    if (cacheable) {
        /* the key again, with the names this route read now known */
        pthread_mutex_lock(&s->mu);
        sol__buf_reset(&key);
        cacheable = learn_args(s, &args) && request_key(s, c, url, view, &key) == SOL_OK;
        pthread_mutex_unlock(&s->mu);
    }
    if (cacheable)
        snprintf(etag, sizeof etag, "W/\"%s-%016llx\"", gen,
                 (unsigned long long)fnv(key.data, 1469598103934665603ull));
    if (cacheable) {
        const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
        if (r.status == 200 && inm && strcmp(inm, etag) == 0) {
            free(r.body);
            sol__buf_free(&key);
            return send_reply(c, 304, NULL, "", 0, etag, 1, NULL);
        }
    }
    struct MHD_Response *resp =
        make_response(r.ctype, r.body, r.len, cacheable ? etag : NULL, 0, &r);
    if (resp == NULL) {
        free(r.body);
        sol__buf_free(&key);
        return MHD_NO;
    }
    size_t entry = r.len + key.len + CACHE_OVERHEAD;
    int plain = entry <= CACHE_ENTRY_MAX; /* else only the gzip twin is kept, if it fits */
    if (cacheable && r.status == 200 && (plain || r.len <= SOL_MAX_MAP_REPLY) && !r.set_cookie[0]) {
        /* the gzip twin: W/"gen-hash" becomes W/"gen-hash-gz" */
        char etag_gz[104];
        size_t el = strlen(etag), zlen = 0;
        snprintf(etag_gz, sizeof etag_gz, "%.*s-gz\"", (int)(el - 1), etag);
        struct MHD_Response *gz = make_gzip_response(r.ctype, r.body, r.len, etag_gz, &zlen);
        if (gz)
            MHD_add_response_header(resp, "Vary", "Accept-Encoding");
        if (!plain && (gz == NULL || key.len + CACHE_OVERHEAD + zlen > CACHE_ENTRY_MAX)) {
            if (gz)
                MHD_destroy_response(gz);
            sol__buf_free(&key);
            enum MHD_Result ret = MHD_queue_response(c, r.status, resp);
            MHD_destroy_response(resp);
            return ret;
        }
        if (!plain)
            entry = key.len + CACHE_OVERHEAD;
        entry += zlen;
        pthread_mutex_lock(&s->mu);
        size_t slot = fnv(key.data, 1469598103934665603ull) % CACHE_SLOTS;
        cache_slot *cs = &s->cache[slot];
        slot_clear(s, cs);
        /* bounded in bytes: older entries go, clockwise, until this one fits */
        for (size_t k = 0; k < CACHE_SLOTS && s->cache_bytes + entry > SOL_MAX_SERVER_CACHE_BYTES;
             k++) {
            size_t v = s->clock++ % CACHE_SLOTS;
            if (v != slot && s->cache[v].key)
                slot_clear(s, &s->cache[v]);
        }
        cs->key = key.data;             /* owned by the slot now */
        cs->resp = plain ? resp : NULL; /* the creator's reference becomes the cache's */
        cs->gz = gz;
        cs->bytes = entry;
        s->cache_bytes += entry;
        snprintf(cs->gen, sizeof cs->gen, "%s", gen);
        snprintf(cs->etag, sizeof cs->etag, "%s", etag);
        snprintf(cs->etag_gz, sizeof cs->etag_gz, "%s", etag_gz);
        enum MHD_Result ret = MHD_queue_response(c, 200, gz && accepts_gzip(c) ? gz : resp);
        pthread_mutex_unlock(&s->mu);
        if (!plain)
            MHD_destroy_response(resp); /* queued: MHD holds its own reference */
        return ret;
    }
    sol__buf_free(&key);
    enum MHD_Result ret = MHD_queue_response(c, r.status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)toe;
    set_responding(cls, c, 0); /* the next request's deadline starts now */
    req_ctx *ctx = *con_cls;
    if (ctx) {
        sol__buf_free(&ctx->body);
        free(ctx);
        *con_cls = NULL;
    }
}

static void notify_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                              enum MHD_ConnectionNotificationCode toe)
{
    sol_server *s = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        conn_track *t = ci ? calloc(1, sizeof *t) : NULL;
        if (t == NULL)
            return; /* untracked: MHD's idle timeout still applies */
        t->fd = ci->connect_fd;
        t->phase_start = mono_s();
        pthread_mutex_lock(&s->conn_mu);
        t->next = s->conns;
        if (s->conns)
            s->conns->prev = t;
        s->conns = t;
        pthread_mutex_unlock(&s->conn_mu);
        *socket_context = t;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        conn_track *t = *socket_context;
        pthread_mutex_lock(&s->conn_mu); /* the reaper never touches a socket MHD has closed */
        if (t->prev)
            t->prev->next = t->next;
        else
            s->conns = t->next;
        if (t->next)
            t->next->prev = t->prev;
        pthread_mutex_unlock(&s->conn_mu);
        free(t);
        *socket_context = NULL;
    }
}

/* Once a second: shut down the connections whose request has taken longer than the deadline to
 * arrive. MHD then sees the socket closed and cleans up in its own thread. */
static void *reaper(void *arg)
{
    sol_server *s = arg;
    pthread_mutex_lock(&s->conn_mu);
    while (!s->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        pthread_cond_timedwait(&s->conn_cv, &s->conn_mu, &until);
        long long now = mono_s();
        for (conn_track *t = s->conns; t; t = t->next)
            if (!t->responding && !t->reaped && now - t->phase_start >= (long long)s->request_s) {
                shutdown(t->fd, SHUT_RDWR);
                t->reaped = 1;
            }
    }
    pthread_mutex_unlock(&s->conn_mu);
    return NULL;
}

sol_status sol_server_start(const sol_server_opts *o, sol_server **out, sol_error *err)
{
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)o->port);
    const char *bind = o->bind ? o->bind : "127.0.0.1";
    if (inet_pton(AF_INET, bind, &addr.sin_addr) != 1)
        return sol__err(err, SOL_EINVAL, "--bind %s: expected an IPv4 address such as 127.0.0.1",
                        bind);
    /* open the store once here, so a bad store is an error at start-up, not at the first request */
    sol_store *probe = NULL;
    sol_status rc = sol_store_open(o->db_path, &probe, err);
    if (rc != SOL_OK)
        return rc;
    sol_store_close(probe);
    sol_server *s = calloc(1, sizeof *s);
    if (s == NULL || (s->db_path = strdup(o->db_path)) == NULL) {
        free(s);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    s->max_body = o->max_body ? o->max_body : (1u << 20);
    s->request_s = o->request_timeout_s ? o->request_timeout_s : SOL_MAX_REQUEST_SECONDS;
    if (o->trusted_proxy) {
        unsigned char bin[16];
        int ok = 0;
        if (inet_pton(AF_INET, o->trusted_proxy, bin) == 1)
            ok = inet_ntop(AF_INET, bin, s->trusted_proxy, sizeof s->trusted_proxy) != NULL;
        else if (inet_pton(AF_INET6, o->trusted_proxy, bin) == 1)
            ok = inet_ntop(AF_INET6, bin, s->trusted_proxy, sizeof s->trusted_proxy) != NULL;
        if (!ok) {
            free(s->db_path);
            free(s);
            return sol__err(err, SOL_EINVAL,
                            "--trusted-proxy %s: expected the proxy's IP address, such as "
                            "127.0.0.1",
                            o->trusted_proxy);
        }
    }
    if ((s->auth = sol__auth_new(o->secure_cookies)) == NULL) {
        free(s->db_path);
        free(s);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&s->mu, NULL);
    pthread_mutex_init(&s->conn_mu, NULL);
    pthread_cond_init(&s->conn_cv, NULL);
    unsigned threads = o->threads ? o->threads : 2;
    s->d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, handle, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)512, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)256,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(o->timeout_s ? o->timeout_s : 15),
        MHD_OPTION_NOTIFY_COMPLETED, completed, s, MHD_OPTION_NOTIFY_CONNECTION, notify_connection,
        s, MHD_OPTION_URI_LOG_CALLBACK, uri_logger, s, MHD_OPTION_END);
    if (s->d == NULL) {
        pthread_cond_destroy(&s->conn_cv);
        pthread_mutex_destroy(&s->conn_mu);
        pthread_mutex_destroy(&s->mu);
        sol__auth_free(s->auth);
        free(s->db_path);
        free(s);
        return sol__err(err, SOL_EIO,
                        "cannot listen on %s:%u (is the port in use? try another --port)", bind,
                        o->port);
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : o->port;
    s->has_reaper = pthread_create(&s->reaper, NULL, reaper, s) == 0;
    *out = s;
    return SOL_OK;
}

unsigned sol_server_port(const sol_server *s)
{
    return s->port;
}

void sol_server_stop(sol_server *s)
{
    if (s == NULL)
        return;
    if (s->has_reaper) {
        pthread_mutex_lock(&s->conn_mu);
        s->stopping = 1;
        pthread_cond_signal(&s->conn_cv);
        pthread_mutex_unlock(&s->conn_mu);
        pthread_join(s->reaper, NULL);
    }
    MHD_stop_daemon(s->d);
    /* the failed-login audit entries still only counted are written as their summaries */
    if (s->nhandles)
        sol__auth_flush(s->auth, s->handles[0]);
    else {
        sol_store *st = NULL;
        if (sol_store_open(s->db_path, &st, NULL) == SOL_OK) {
            sol__auth_flush(s->auth, st);
            sol_store_close(st);
        }
    }
    for (size_t i = 0; i < s->nhandles; i++)
        sol_store_close(s->handles[i]);
    free(s->handles);
    for (size_t i = 0; i < CACHE_SLOTS; i++)
        slot_clear(s, &s->cache[i]);
    sol_run_map_topo_forget(); /* the arcs kept for /api/map/topo */
    for (size_t i = 0; i < s->nargnames; i++)
        free(s->argnames[i]);
    pthread_cond_destroy(&s->conn_cv);
    pthread_mutex_destroy(&s->conn_mu);
    pthread_mutex_destroy(&s->mu);
    sol__auth_free(s->auth);
    free(s->db_path);
    free(s);
}
