/* http.c - one HTTP GET as a network citizen (libcurl): timeouts, retries with exponential
 * backoff and jitter on 429/5xx honouring Retry-After, a minimum interval per provider, a size
 * cap, redirects only within the provider, TLS always verified, and a download cache keyed by
 * URL (body, ETag, Last-Modified, SHA-256) that answers 304s and --offline. */
#include "connect_int.h"

#include "core/core.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void sol_net_opts_init(sol_net_opts *o)
{
    memset(o, 0, sizeof *o);
    o->max_retries = 4;
    const char *e;
    if ((e = getenv("SOLIDATA_HTTP_MAX_RETRIES")) && *e)
        o->max_retries = (int)strtol(e, NULL, 10);
    if ((e = getenv("SOLIDATA_HTTP_TIMEOUT")) && *e)
        o->timeout_s = (unsigned)strtoul(e, NULL, 10);
    if ((e = getenv("SOLIDATA_HTTP_MAX_BYTES")) && *e)
        o->max_bytes = strtoull(e, NULL, 10);
}

/* ---- the cache ---------------------------------------------------------------------------- */

static void hex(const unsigned char *h, size_t n, char *out)
{
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++)
        out[2 * i] = d[h[i] >> 4], out[2 * i + 1] = d[h[i] & 15];
    out[2 * n] = '\0';
}

static void sha256_hex(const void *p, size_t n, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, p, n);
    hex(h, sizeof h, out);
}

static void cache_path(const char *dir, const char *url, const char *ext, char *out, size_t n)
{
    char k[65];
    sha256_hex(url, strlen(url), k);
    snprintf(out, n, "%s/%.32s.%s", dir, k, ext);
}

static sol_status read_file(const char *path, uint64_t max, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return SOL_ENOTFOUND;
    sol_buf b;
    sol__buf_init(&b, (size_t)max);
    char chunk[65536];
    size_t k;
    sol_status rc = SOL_OK;
    while (rc == SOL_OK && (k = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = sol__buf_add(&b, chunk, k);
    fclose(f);
    if (rc == SOL_OK && sol__buf_addc(&b, '\0') == SOL_OK) {
        *len = b.len - 1;
        *out = b.data;
        return SOL_OK;
    }
    sol__buf_free(&b);
    return rc == SOL_OK ? SOL_ENOMEM : rc;
}

/* the cached entry of `url`: body and validators, SOL_ENOTFOUND when absent or damaged */
static sol_status cache_get(const char *dir, const char *url, uint64_t max, sol__http_res *r)
{
    char path[4096];
    cache_path(dir, url, "json", path, sizeof path);
    json_t *m = json_load_file(path, 0, NULL);
    if (!m)
        return SOL_ENOTFOUND;
    const char *sha = json_string_value(json_object_get(m, "sha256"));
    const char *et = json_string_value(json_object_get(m, "etag"));
    const char *lm = json_string_value(json_object_get(m, "last_modified"));
    cache_path(dir, url, "body", path, sizeof path);
    sol_status rc = sha ? read_file(path, max, &r->body, &r->len) : SOL_ENOTFOUND;
    if (rc == SOL_OK) {
        sha256_hex(r->body, r->len, r->sha256);
        if (strcmp(r->sha256, sha) != 0) { /* damaged: not used */
            sol__free(r->body), r->body = NULL;
            rc = SOL_ENOTFOUND;
        }
        snprintf(r->etag, sizeof r->etag, "%s", et ? et : "");
        snprintf(r->last_modified, sizeof r->last_modified, "%s", lm ? lm : "");
    }
    json_decref(m);
    return rc;
}

static int mkdirs(const char *dir)
{
    char p[4096];
    snprintf(p, sizeof p, "%s", dir);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            if (mkdir(p, 0700) != 0 && errno != EEXIST)
                return -1;
            *s = '/';
        }
    return mkdir(p, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

/* body first (temp + rename), then the metadata that names its SHA-256: a crash in between
 * leaves an entry whose checksum does not match, which is not used */
static sol_status cache_put(const char *dir, const char *url, const sol__http_res *r,
                            sol_error *err)
{
    char path[4096], tmp[4200];
    if (mkdirs(dir) != 0)
        return sol__err(err, SOL_EIO, "cannot create the download cache %s: %s", dir,
                        strerror(errno));
    cache_path(dir, url, "body", path, sizeof path);
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f || fwrite(r->body, 1, r->len, f) != r->len || fclose(f) != 0 || rename(tmp, path) != 0) {
        int e = errno;
        if (f)
            remove(tmp);
        return sol__err(err, SOL_EIO, "cannot write the download cache %s: %s", dir, strerror(e));
    }
    char now[32];
    sol__utc_now(now, sizeof now);
    json_t *m = json_pack("{s:s,s:s,s:s,s:s,s:s}", "url", url, "sha256", r->sha256, "etag", r->etag,
                          "last_modified", r->last_modified, "fetched_at", now);
    cache_path(dir, url, "json", path, sizeof path);
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    int bad = !m || json_dump_file(m, tmp, JSON_COMPACT) != 0 || rename(tmp, path) != 0;
    json_decref(m);
    if (bad)
        return sol__err(err, SOL_EIO, "cannot write the download cache %s", dir);
    return SOL_OK;
}

/* ---- rate limit per provider ----------------------------------------------------------------- */

static pthread_mutex_t rate_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char id[16]; /* the provider's id ("" = free slot) */
    double last;
} rate[16];

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
    if (s <= 0)
        return;
    struct timespec t = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

static void rate_wait(const sol_provider *p)
{
    double wait = 0;
    pthread_mutex_lock(&rate_mu);
    size_t i = 0;
    while (i < 16 && rate[i].id[0] && strcmp(rate[i].id, p->id) != 0)
        i++;
    if (i < 16) {
        double gap = p->min_interval_ms / 1000.0;
        const char *e = getenv("SOLIDATA_HTTP_BACKOFF_MS"); /* tests: shorter, in proportion */
        if (e && *e)
            gap *= strtod(e, NULL) / 1000.0;
        double t = now_s(), next = rate[i].id[0] ? rate[i].last + gap : t;
        wait = next > t ? next - t : 0;
        snprintf(rate[i].id, sizeof rate[i].id, "%s", p->id);
        rate[i].last = t + wait;
    }
    pthread_mutex_unlock(&rate_mu);
    sleep_s(wait);
}

/* ---- one transfer ------------------------------------------------------------------------ */

typedef struct xfer {
    sol_buf body;
    uint64_t max;
    int over;
    char etag[256], last_modified[128], retry_after[128], ctype[128];
    const sol_net_opts *net;
} xfer;

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    xfer *x = ud;
    size_t k = size * n;
    if (x->body.len + k > x->max) {
        x->over = 1;
        return 0;
    }
    return sol__buf_add(&x->body, p, k) == SOL_OK ? k : 0;
}

static void header_value(const char *line, size_t n, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    if (n <= nl + 1 || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
        return;
    const char *v = line + nl + 1;
    size_t k = n - nl - 1;
    while (k && (*v == ' ' || *v == '\t'))
        v++, k--;
    while (k && (v[k - 1] == '\r' || v[k - 1] == '\n' || v[k - 1] == ' '))
        k--;
    snprintf(out, cap, "%.*s", (int)k, v);
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    xfer *x = ud;
    size_t k = size * n;
    header_value(p, k, "ETag", x->etag, sizeof x->etag);
    header_value(p, k, "Last-Modified", x->last_modified, sizeof x->last_modified);
    header_value(p, k, "Retry-After", x->retry_after, sizeof x->retry_after);
    header_value(p, k, "Content-Type", x->ctype, sizeof x->ctype);
    return k;
}

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)ultotal, (void)ulnow;
    xfer *x = ud;
    if (x->net->progress && dlnow > 0)
        x->net->progress(x->net->progress_ud, (uint64_t)dlnow, (uint64_t)dltotal);
    return 0;
}

/* scheme and host of a URL, lower-case; -1 when it cannot be read */
static int url_parts(const char *url, char *scheme, size_t ns, char *host, size_t nh)
{
    CURLU *u = curl_url();
    char *s = NULL, *h = NULL;
    int rc = -1;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &s, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK) {
        snprintf(scheme, ns, "%s", s);
        snprintf(host, nh, "%s", h);
        for (char *c = host; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c + 32);
        rc = 0;
    }
    curl_free(s), curl_free(h);
    curl_url_cleanup(u);
    return rc;
}

static int loopback(const char *host)
{
    return strcmp(host, "127.0.0.1") == 0 || strcmp(host, "localhost") == 0 ||
           strcmp(host, "[::1]") == 0 || strcmp(host, "::1") == 0 || strncmp(host, "127.", 4) == 0;
}

static int host_listed(const char *hosts, const char *host)
{
    size_t n = strlen(host);
    for (const char *s = hosts; s && *s;) {
        const char *e = strchr(s, ',');
        size_t k = e ? (size_t)(e - s) : strlen(s);
        if (k == n && strncasecmp(s, host, n) == 0)
            return 1;
        s = e ? e + 1 : NULL;
    }
    return 0;
}

/* the provider's own words from an error body: an SDMX error message's text, else the first
 * lines of the body (markup removed), at most ~300 characters */
static void error_text(const char *body, size_t len, char *out, size_t cap)
{
    out[0] = '\0';
    if (!body || !len)
        return;
    /* JSON: CKAN's {"success": false, "error": {"message" or "__type"}}, data.gouv.fr's
     * {"message": ...} */
    size_t sp = strspn(body, " \t\r\n");
    json_t *j = sp < len && body[sp] == '{' ? json_loadb(body, len, 0, NULL) : NULL;
    if (j) {
        json_t *e = json_object_get(j, "error");
        const char *m = json_string_value(json_object_get(e, "message"));
        if (!m)
            m = json_string_value(json_object_get(e, "__type"));
        if (!m)
            m = json_string_value(json_object_get(j, "message"));
        if (m)
            snprintf(out, cap, "%.300s", m);
        json_decref(j);
        if (m)
            return;
    }
    const char *t = strstr(body, "Text");
    const char *em = strstr(body, "ErrorMessage");
    if (em && t) {
        const char *s = strchr(t, '>');
        const char *e = s ? strchr(s, '<') : NULL;
        if (s && e && e > s + 1) {
            snprintf(out, cap, "%.*s", (int)(e - s - 1 < 300 ? e - s - 1 : 300), s + 1);
            return;
        }
    }
    size_t k = 0, lines = 0;
    int tag = 0;
    for (size_t i = 0; i < len && k + 1 < cap && k < 300 && lines < 3; i++) {
        char c = body[i];
        if (c == '<')
            tag = 1;
        else if (c == '>')
            tag = 0;
        else if (!tag) {
            if (c == '\n' || c == '\r') {
                if (k && out[k - 1] != ' ')
                    out[k++] = ' ', lines++;
            } else if ((unsigned char)c >= 32 && !(c == ' ' && k && out[k - 1] == ' ')) {
                out[k++] = c;
            }
        }
    }
    while (k && out[k - 1] == ' ')
        k--;
    out[k] = '\0';
}

static double retry_delay(const xfer *x, int attempt)
{
    double base = 1.0;
    const char *e = getenv("SOLIDATA_HTTP_BACKOFF_MS");
    if (e && *e)
        base = strtod(e, NULL) / 1000.0;
    if (x->retry_after[0]) {
        char *end = NULL;
        double s = strtod(x->retry_after, &end);
        if (end != x->retry_after && *end == '\0' && s >= 0)
            return s > 300 ? 300 : s;
        time_t t = curl_getdate(x->retry_after, NULL);
        if (t > 0) {
            double d = difftime(t, time(NULL));
            return d < 0 ? 0 : d > 300 ? 300 : d;
        }
    }
    double d = base * (double)(1u << (attempt < 10 ? attempt : 10));
    return d + base * (double)randombytes_uniform(1000) / 1000.0; /* jitter */
}

static int transient(CURLcode c, long status)
{
    if (c == CURLE_OK)
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    return c == CURLE_OPERATION_TIMEDOUT || c == CURLE_PARTIAL_FILE || c == CURLE_GOT_NOTHING ||
           c == CURLE_RECV_ERROR || c == CURLE_SEND_ERROR;
}

static sol_status curl_failure(CURLcode c, const char *host, const char *url, unsigned timeout,
                               const char *detail, sol_error *err)
{
    switch (c) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return sol__err(err, SOL_EIO,
                        "cannot find the host %s (DNS): check the address and the network "
                        "connection (or the proxy settings)",
                        host);
    case CURLE_COULDNT_CONNECT:
        return sol__err(err, SOL_EIO,
                        "%s refused the connection or cannot be reached: the service may be "
                        "down; try again later",
                        host);
    case CURLE_OPERATION_TIMEDOUT:
        return sol__err(err, SOL_EIO,
                        "no complete answer from %s within %u s: the service is slow or "
                        "unreachable; try again later or raise --timeout",
                        host, timeout);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
        return sol__err(err, SOL_EIO,
                        "the secure connection to %s failed (TLS: %s): its certificate cannot "
                        "be trusted, so nothing was downloaded",
                        host, detail);
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
        return sol__err(err, SOL_EIO,
                        "the answer of %s was cut short (%s): the connection broke; try again "
                        "later",
                        host, detail);
    default: return sol__err(err, SOL_EIO, "downloading %s failed: %s", url, detail);
    }
}

void sol__http_res_free(sol__http_res *r)
{
    if (r) {
        sol__free(r->body);
        memset(r, 0, sizeof *r);
    }
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (sodium_init() < 0)
        abort(); /* libsodium cannot fail to initialise on a supported system */
}

sol_status sol__http_get(const sol_provider *p, const char *url0, const sol_net_opts *net,
                         const sol__http_cond *cond, sol__http_res *res, sol_error *err)
{
    pthread_once(&curl_once, curl_init_once);
    memset(res, 0, sizeof *res);
    uint64_t max = net->max_bytes ? net->max_bytes : SOL_CONNECT_MAX_BYTES;
    sol__http_res cached = {0};
    /* the cache key: the URL, and the format asked for when it is not the default */
    char ckey[4400];
    snprintf(ckey, sizeof ckey, "%s%s%s", url0, cond->accept ? "\n" : "",
             cond->accept ? cond->accept : "");
    int have_cache = net->cache_dir && cache_get(net->cache_dir, ckey, max, &cached) == SOL_OK;
    if (net->offline) {
        if (!have_cache)
            return sol__err(err, SOL_ENOTFOUND,
                            "offline, and %s is not in the download cache (%s): run once "
                            "without --offline",
                            url0, net->cache_dir ? net->cache_dir : "none");
        *res = cached;
        res->from_cache = 1;
        return SOL_OK;
    }
    char scheme0[16], host0[256], ep_scheme[16] = "", ep_host[256] = "";
    if (url_parts(url0, scheme0, sizeof scheme0, host0, sizeof host0) != 0) {
        sol__http_res_free(&cached);
        return sol__err(err, SOL_EINVAL, "not a valid URL: %s", url0);
    }
    url_parts(p->url, ep_scheme, sizeof ep_scheme, ep_host, sizeof ep_host);
    if (strcmp(scheme0, "https") != 0 &&
        !(strcmp(scheme0, "http") == 0 && (loopback(host0) || strcmp(ep_scheme, "http") == 0))) {
        sol__http_res_free(&cached);
        return sol__err(err, SOL_EDENIED,
                        "refusing %s: only https is used with a remote host (plain http only "
                        "on this machine, for tests)",
                        url0);
    }
    unsigned timeout = net->timeout_s ? net->timeout_s : p->timeout_s ? p->timeout_s : 120;
    CURL *h = curl_easy_init();
    if (!h) {
        sol__http_res_free(&cached);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    char url[4096];
    snprintf(url, sizeof url, "%s", url0);
    sol_status rc = SOL_OK;
    xfer x;
    memset(&x, 0, sizeof x);
    x.net = net;
    x.max = max;
    sol__buf_init(&x.body, (size_t)max);
    char cerr[CURL_ERROR_SIZE];
    long status = 0;
    int redirects = 0;
    for (int attempt = 0;; attempt++) {
        sol__buf_reset(&x.body);
        x.over = 0;
        x.etag[0] = x.last_modified[0] = x.retry_after[0] = x.ctype[0] = '\0';
        cerr[0] = '\0';
        curl_easy_reset(h);
        struct curl_slist *hd = NULL;
        char line[512];
        const char *et = cond->mode == 1 ? cached.etag : cond->etag;
        const char *lm = cond->mode == 1 ? cached.last_modified : cond->last_modified;
        if (cond->mode && have_cache && et && et[0]) {
            snprintf(line, sizeof line, "If-None-Match: %s", et);
            hd = curl_slist_append(hd, line);
        }
        if (cond->mode && have_cache && lm && lm[0]) {
            snprintf(line, sizeof line, "If-Modified-Since: %s", lm);
            hd = curl_slist_append(hd, line);
        }
        if (cond->accept) {
            snprintf(line, sizeof line, "Accept: %s", cond->accept);
            hd = curl_slist_append(hd, line);
        }
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT,
                         (long)(net->connect_timeout_s ? net->connect_timeout_s : 15));
        curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)timeout);
        curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
        curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
        curl_easy_setopt(h, CURLOPT_USERAGENT, "solidata (+https://solidata.example/connectors)");
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(h, CURLOPT_XFERINFODATA, &x);
        rate_wait(p);
        CURLcode c = curl_easy_perform(h);
        curl_slist_free_all(hd);
        status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        if (x.over || c == CURLE_FILESIZE_EXCEEDED) {
            rc = sol__err(err, SOL_ELIMIT,
                          "the answer of %s exceeds the cap of %llu bytes, so the download "
                          "was stopped; raise --max-size if so large an answer is expected",
                          host0, (unsigned long long)max);
            goto done;
        }
        if (c == CURLE_OK && status >= 300 && status < 400 && status != 304) {
            char *loc = NULL, s2[16], h2[256];
            curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &loc);
            if (!loc || url_parts(loc, s2, sizeof s2, h2, sizeof h2) != 0) {
                rc = sol__err(err, SOL_EIO, "%s answered HTTP %ld without a valid Location", host0,
                              status);
                goto done;
            }
            if (strcmp(s2, scheme0) != 0 ||
                (strcmp(h2, host0) != 0 && !host_listed(p->hosts, h2))) {
                rc = sol__err(err, SOL_EDENIED,
                              "%s redirected the request to %s://%s, another host than the "
                              "provider's: not followed (a moved service? check the "
                              "provider's address)",
                              host0, s2, h2);
                goto done;
            }
            if (++redirects > 5) {
                rc = sol__err(err, SOL_EIO, "%s redirected more than 5 times: stopped", host0);
                goto done;
            }
            snprintf(url, sizeof url, "%s", loc);
            attempt--;
            continue;
        }
        if (transient(c, status) && attempt < net->max_retries) {
            sleep_s(retry_delay(&x, attempt));
            continue;
        }
        if (c != CURLE_OK) {
            rc = curl_failure(c, host0, url, timeout, cerr[0] ? cerr : curl_easy_strerror(c), err);
            if (transient(c, 0) && attempt > 0) {
                size_t n = strlen(err ? err->msg : "");
                if (err)
                    snprintf(err->msg + n, sizeof err->msg - n, _(" (after %d attempts)"),
                             attempt + 1);
            }
            goto done;
        }
        break;
    }
    if (status == 304) {
        if (!have_cache) {
            rc = sol__err(err, SOL_EIO, "%s answered 304 (not modified) but nothing is cached",
                          host0);
            goto done;
        }
        *res = cached;
        memset(&cached, 0, sizeof cached);
        res->status = 304;
        res->from_cache = 1;
        goto done;
    }
    if (status != 200) {
        char why[400];
        error_text(x.body.data, x.body.len, why, sizeof why);
        if (transient(CURLE_OK, status))
            rc = sol__err(err, SOL_EIO,
                          "%s answered HTTP %ld %d times in a row%s%s: giving up; try again "
                          "later",
                          host0, status, net->max_retries + 1, why[0] ? ": " : "", why);
        else
            rc = sol__err(err, status == 404 ? SOL_ENOTFOUND : SOL_EIO, "%s answered HTTP %ld%s%s",
                          host0, status, why[0] ? ": " : "", why);
        goto done;
    }
    if (sol__buf_addc(&x.body, '\0') != SOL_OK) {
        rc = sol__err(err, SOL_ELIMIT, "the answer of %s exceeds the cap of %llu bytes", host0,
                      (unsigned long long)max);
        goto done;
    }
    res->len = x.body.len - 1;
    res->body = x.body.data;
    x.body.data = NULL;
    res->status = status;
    sha256_hex(res->body, res->len, res->sha256);
    snprintf(res->etag, sizeof res->etag, "%s", x.etag);
    snprintf(res->last_modified, sizeof res->last_modified, "%s", x.last_modified);
    if (net->cache_dir && (rc = cache_put(net->cache_dir, ckey, res, err)) != SOL_OK)
        sol__http_res_free(res);
done:
    curl_easy_cleanup(h);
    sol__buf_free(&x.body);
    sol__http_res_free(&cached);
    return rc;
}
