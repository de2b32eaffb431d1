/* server.c - libmicrohttpd daemon: thread pool, bounded memory, timeouts, body cap, security
 * headers, the route's role check before anything else, ETags and a small response cache keyed
 * on the store's generation, with a gzip variant of each cached reply for clients that accept
 * it. The only file that includes microhttpd.h. */
#include "server_int.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <zlib.h>

#define CACHE_SLOTS 512
#define CACHE_MAX_BODY (8u << 20)
#define GZIP_MIN_BODY 1024 /* smaller bodies are sent as they are */

/* A cached reply is a ready MHD response: MHD reference-counts responses, so every request
 * for the same URL at the same store generation queues the same one without copying. Large
 * replies also keep a gzip-compressed twin (its own ETag), made once when cached. Only cached
 * replies are compressed: they are public content that never depends on who asks and never
 * carries a secret, so compression cannot leak one (BREACH). */
typedef struct cache_slot {
    char *key; /* path + every query argument, as received */
    char gen[64];
    char etag[96], etag_gz[104];
    struct MHD_Response *resp;
    struct MHD_Response *gz; /* NULL when not worth it */
} cache_slot;

struct sol_server {
    struct MHD_Daemon *d;
    char *db_path;
    size_t max_body;
    unsigned port;
    pthread_mutex_t mu; /* guards handles and the cache */
    sol_store **handles;
    size_t nhandles, caphandles;
    cache_slot cache[CACHE_SLOTS];
    sol__auth *auth; /* sessions and the login rate limiter */
};

typedef struct req_ctx {
    sol_buf body;
    int too_large;
} req_ctx;

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
    return MHD_lookup_connection_value((struct MHD_Connection *)conn, MHD_GET_ARGUMENT_KIND, name);
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
                                               const char *etag_gz)
{
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
    return r;
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *msg)
{
    sol_reply r = {0};
    sol__reply_error(&r, status, "%s", msg);
    if (r.body == NULL)
        return MHD_NO;
    return send_reply(c, status, r.ctype, r.body, r.len, NULL, 0, NULL);
}

static void client_ip(struct MHD_Connection *c, char *ip, size_t cap)
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
}

static uint64_t fnv(const char *s, uint64_t h)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    (void)kind;
    sol_buf *b = cls;
    sol__buf_addf(b, "&%s=%s", key, value ? value : "");
    return MHD_YES;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    (void)version;
    sol_server *s = cls;
    req_ctx *ctx = *con_cls;
    if (ctx == NULL) {
        if ((ctx = calloc(1, sizeof *ctx)) == NULL)
            return MHD_NO;
        sol__buf_init(&ctx->body, s->max_body);
        *con_cls = ctx;
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > s->max_body)
            ctx->too_large = 1;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!ctx->too_large && sol__buf_add(&ctx->body, upload, *upload_size) != SOL_OK)
            ctx->too_large = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    if (ctx->too_large) {
        char msg[128];
        snprintf(msg, sizeof msg, "request body larger than %zu bytes", s->max_body);
        return send_error(c, 413, msg);
    }
    int is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    if (!is_get && strcmp(method, "POST") != 0)
        return send_error(c, 405, "method not allowed");
    if (url[0] != '/' || strstr(url, "..") || strlen(url) > 1024)
        return send_error(c, 400, "malformed path");

    /* the cache key: path and every query argument as received */
    sol_buf key;
    sol__buf_init(&key, 4096);
    if (sol__buf_add(&key, url, strlen(url)) != SOL_OK ||
        MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_query, &key) < 0 ||
        key.data == NULL) {
        sol__buf_free(&key);
        return send_error(c, 414, "query string too long");
    }

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
    const char *view = who.role >= SOL_ROLE_ANALYST ? "\x01analyst" : "\x01public";
    if (sol__buf_add(&key, view, strlen(view)) != SOL_OK) {
        sol__buf_free(&key);
        return send_error(c, 414, "query string too long");
    }
    unsigned denied = sol__route_check(
        rt, &who, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token"), &r);
    if (!denied && !is_get) {
        const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
        if (ct == NULL || strncmp(ct, "application/json", 16) != 0) {
            sol__reply_error(&r, 415, "send the request body as JSON (Content-Type: "
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
    char gen[64];
    if (sol_store_generation(st, gen, NULL) != SOL_OK) {
        sol__buf_free(&key);
        return send_error(c, 500, "the store cannot be read");
    }
    /* A route's content depends only on its URL, the store and whether the asker may see
     * suppressed values (analyst or above), so the cache is keyed on those. */
    char etag[96];
    snprintf(etag, sizeof etag, "W/\"%s-%016llx\"", gen,
             (unsigned long long)fnv(key.data, 1469598103934665603ull));
    size_t slot = fnv(key.data, 1469598103934665603ull) % CACHE_SLOTS;
    if (is_get) {
        pthread_mutex_lock(&s->mu);
        cache_slot *cs = &s->cache[slot];
        if (cs->key && strcmp(cs->key, key.data) == 0 && strcmp(cs->gen, gen) == 0) {
            const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
            int gz = cs->gz && accepts_gzip(c);
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
    client_ip(c, ip, sizeof ip);
    size_t plen = strlen(rt->path);
    sol_req q = {.method = method,
                 .path = url,
                 .arg = query_arg,
                 .conn = c,
                 .body = ctx->body.data ? ctx->body.data : "",
                 .body_len = ctx->body.len,
                 .st = st,
                 .ip = ip,
                 .who = &who,
                 .auth = s->auth,
                 .tail = rt->path[plen - 1] == '/' ? url + plen : ""};
    rt->fn(&q, &r);
    if (r.body == NULL) {
        sol__buf_free(&key);
        return send_error(c, 500, "out of memory");
    }
    int cacheable = is_get && r.cacheable;
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
    if (cacheable && r.status == 200 && r.len <= CACHE_MAX_BODY && !r.set_cookie[0]) {
        /* the gzip twin: W/"gen-hash" becomes W/"gen-hash-gz" */
        char etag_gz[104];
        size_t el = strlen(etag);
        snprintf(etag_gz, sizeof etag_gz, "%.*s-gz\"", (int)(el - 1), etag);
        struct MHD_Response *gz = make_gzip_response(r.ctype, r.body, r.len, etag_gz);
        if (gz)
            MHD_add_response_header(resp, "Vary", "Accept-Encoding");
        pthread_mutex_lock(&s->mu);
        cache_slot *cs = &s->cache[slot];
        if (cs->resp)
            MHD_destroy_response(cs->resp); /* drops the cache's reference only */
        if (cs->gz)
            MHD_destroy_response(cs->gz);
        free(cs->key);
        cs->key = key.data; /* owned by the slot now */
        cs->resp = resp;    /* the creator's reference becomes the cache's */
        cs->gz = gz;
        snprintf(cs->gen, sizeof cs->gen, "%s", gen);
        snprintf(cs->etag, sizeof cs->etag, "%s", etag);
        snprintf(cs->etag_gz, sizeof cs->etag_gz, "%s", etag_gz);
        enum MHD_Result ret = MHD_queue_response(c, 200, gz && accepts_gzip(c) ? gz : resp);
        pthread_mutex_unlock(&s->mu);
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
    (void)cls;
    (void)c;
    (void)toe;
    req_ctx *ctx = *con_cls;
    if (ctx) {
        sol__buf_free(&ctx->body);
        free(ctx);
        *con_cls = NULL;
    }
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
    if ((s->auth = sol__auth_new(o->secure_cookies)) == NULL) {
        free(s->db_path);
        free(s);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&s->mu, NULL);
    unsigned threads = o->threads ? o->threads : 2;
    s->d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, handle, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)512, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)256,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(o->timeout_s ? o->timeout_s : 15),
        MHD_OPTION_NOTIFY_COMPLETED, completed, s, MHD_OPTION_END);
    if (s->d == NULL) {
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
    MHD_stop_daemon(s->d);
    for (size_t i = 0; i < s->nhandles; i++)
        sol_store_close(s->handles[i]);
    free(s->handles);
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        free(s->cache[i].key);
        if (s->cache[i].resp)
            MHD_destroy_response(s->cache[i].resp);
        if (s->cache[i].gz)
            MHD_destroy_response(s->cache[i].gz);
    }
    pthread_mutex_destroy(&s->mu);
    sol__auth_free(s->auth);
    free(s->db_path);
    free(s);
}
