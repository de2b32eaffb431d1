/* cmd_serve.c - `solidata serve`: the API and the dashboard over the store, on 127.0.0.1 unless
 * told otherwise, until interrupted. */
#define _GNU_SOURCE
#include "cli.h"
#include "opt.h"

#include <solidata/server.h>

#include <signal.h>
#include <stddef.h>
#include <string.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

typedef struct serve_args {
    const char *port_file;
    int refresh;
    sol_server_opts o;
} serve_args;

#define S(f) offsetof(serve_args, f)
static const cli_opt OPTS[] = {
    {"port", CLI_UINT, S(o.port), "N", N_("the port; 0 picks a free one"), .min = 0, .max = 65535},
    {"bind", CLI_STR, S(o.bind), "ADDR", N_("the address to listen on"), .def = "127.0.0.1"},
    {"threads", CLI_UINT, S(o.threads), "N", N_("worker threads"), .min = 1, .max = 256,
     .def = "2"},
    {"port-file", CLI_STR, S(port_file), "F", N_("write the port bound here")},
    {"trusted-proxy", CLI_STR, S(o.trusted_proxy), "ADDR",
     N_("the reverse proxy's IP address: only its X-Forwarded-For names the client (sign-in limits "
        "count per client)")},
    {"secure-cookies", CLI_FLAG, S(o.secure_cookies), NULL,
     N_("mark the session cookie Secure, for a server reached over https (a TLS proxy)")},
    {"refresh", CLI_FLAG, S(refresh), NULL,
     N_("refresh the due connectors in the background (see 'solidata connect add --every')")},
    {0}};

static const cli_spec SPEC = {
    "serve",
    "[--port 8080] [--bind 127.0.0.1] [--threads 2] [--port-file F] [--secure-cookies]\n"
    " [--trusted-proxy ADDR] [--refresh]",
    N_("Serve the dashboard (/) and the JSON API (/api/...) over the store until\n"
       "interrupted (Ctrl-C). Binds to 127.0.0.1 unless --bind says otherwise;\n"
       "--port 0 picks a free port, written to --port-file when given.\n"
       "Accounts ('solidata user add') sign in at /api/login."),
    OPTS,
    NULL,
    0,
    0};

int cmd_serve(const cli_ctx *ctx, int argc, char **argv)
{
    serve_args a = {.o = {.db_path = ctx->db_path, .port = 8080}};
    cli_args args;
    int rc = cli_parse(&SPEC, argc, argv, &a, &args);
    if (rc != CLI_OK)
        return rc;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    sol_server *s = NULL;
    sol_error err;
    sol_error_clear(&err);
    if (sol_server_start(&a.o, &s, &err) != SOL_OK)
        return cli_fail(&err);
    unsigned port = sol_server_port(s);
    if (a.port_file) {
        FILE *f = fopen(a.port_file, "w");
        if (f == NULL || fprintf(f, "%u\n", port) < 0 || fclose(f) != 0) {
            sol_server_stop(s);
            return cli_failf("%s: cannot write the port file", a.port_file);
        }
    }
    if (a.refresh && cli_connect_background(ctx, 60) != CLI_OK) {
        sol_server_stop(s);
        return CLI_FAIL;
    }
    char shown[512];
    fprintf(stderr, _("solidata: serving %s on http://%s:%u/ (Ctrl-C stops)\n"),
            cli_db_display(ctx->db_path, shown, sizeof shown), a.o.bind ? a.o.bind : "127.0.0.1",
            port);
    sigset_t none;
    sigemptyset(&none);
    while (!stop)
        sigsuspend(&none);
    sol_server_stop(s);
    fputs(_("solidata: stopped\n"), stderr);
    return CLI_OK;
}
