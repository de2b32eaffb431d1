/* solidata/server.h - the embedded web server: a JSON API over the store and the dashboard.
 * Thread safety: a server runs its own worker threads, each with its own store handle; start and
 * stop it from one thread. */
#ifndef SOL_SERVER_H
#define SOL_SERVER_H

#include <solidata/status.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sol_server_opts {
    const char *db_path; /* the store; opened once per worker thread */
    const char *bind;    /* address to listen on; NULL = 127.0.0.1 (never all interfaces unless
                            told: "0.0.0.0") */
    unsigned port;       /* 0 = any free port (see sol_server_port) */
    unsigned threads;    /* worker threads; 0 = 2 */
    size_t max_body;     /* request body cap in bytes (413 beyond); 0 = 1 MiB */
    unsigned timeout_s;  /* idle connection timeout; 0 = 15 s */
    int secure_cookies;  /* 1: session cookies marked Secure (served over TLS, e.g. behind a
                            reverse proxy); 0 for plain http://127.0.0.1 */
    const char *trusted_proxy;  /* the reverse proxy's IP address: only requests from it have
                                   their client taken from X-Forwarded-For (its last entry), for
                                   rate limiting and the audit log; NULL = trust no header */
    unsigned request_timeout_s; /* most seconds a client may take to send one whole request,
                                   however slowly; 0 = SOL_MAX_REQUEST_SECONDS */
} sol_server_opts;

typedef struct sol_server sol_server;

/** Start serving in background threads. Errors: SOL_EINVAL (bad address or trusted proxy),
 *  SOL_EIO (cannot
 *  listen: err says why, e.g. the port is in use), SOL_ENOTSTORE/SOL_EVERSION (the store).
 *  *out set only on success. */
SOL_API sol_status sol_server_start(const sol_server_opts *o, sol_server **out, sol_error *err);
/** The port actually bound. */
SOL_API unsigned sol_server_port(const sol_server *s);
/** Stop accepting, finish the requests in flight, free everything. NULL is a no-op. */
SOL_API void sol_server_stop(sol_server *s);

#ifdef __cplusplus
}
#endif
#endif
