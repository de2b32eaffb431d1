/* cmd_serve.c - `solidata serve`: the API and the dashboard over the store, on 127.0.0.1 unless
 * told otherwise, until interrupted. */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/server.h>

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

int cmd_serve(const cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"port", required_argument, NULL, 'p'},
                                         {"bind", required_argument, NULL, 'b'},
                                         {"threads", required_argument, NULL, 't'},
                                         {"port-file", required_argument, NULL, 'f'},
                                         {"secure-cookies", no_argument, NULL, 's'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    sol_server_opts o = {.db_path = ctx->db_path, .port = 8080};
    const char *port_file = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        char *end = NULL;
        long v;
        switch (c) {
        case 'p':
            v = strtol(optarg, &end, 10);
            if (*end || v < 0 || v > 65535)
                return cli_usage_error("serve", "--port %s: expected 0-65535", optarg);
            o.port = (unsigned)v;
            break;
        case 'b':
            o.bind = optarg;
            break;
        case 't':
            v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 256)
                return cli_usage_error("serve", "--threads %s: expected 1-256", optarg);
            o.threads = (unsigned)v;
            break;
        case 'f':
            port_file = optarg;
            break;
        case 's':
            o.secure_cookies = 1;
            break;
        case 'h':
            printf("usage: solidata [--db FILE] serve [--port 8080] [--bind 127.0.0.1] "
                   "[--threads 2] [--port-file F] [--secure-cookies]\n\n"
                   "Serve the dashboard (/) and the JSON API (/api/...) over the store until\n"
                   "interrupted (Ctrl-C). Binds to 127.0.0.1 unless --bind says otherwise;\n"
                   "--port 0 picks a free port, written to --port-file when given.\n"
                   "Accounts ('solidata user add') sign in at /api/login; --secure-cookies marks\n"
                   "the session cookie Secure, for a server reached over https (a TLS proxy).\n");
            return CLI_OK;
        default:
            return cli_usage_error("serve", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    sol_server *s = NULL;
    sol_error err;
    sol_error_clear(&err);
    if (sol_server_start(&o, &s, &err) != SOL_OK)
        return cli_fail(&err);
    unsigned port = sol_server_port(s);
    if (port_file) {
        FILE *f = fopen(port_file, "w");
        if (f == NULL || fprintf(f, "%u\n", port) < 0 || fclose(f) != 0) {
            sol_server_stop(s);
            return cli_failf("%s: cannot write the port file", port_file);
        }
    }
    fprintf(stderr, "solidata: serving %s on http://%s:%u/ (Ctrl-C stops)\n", ctx->db_path,
            o.bind ? o.bind : "127.0.0.1", port);
    sigset_t none;
    sigemptyset(&none);
    while (!stop)
        sigsuspend(&none);
    sol_server_stop(s);
    fprintf(stderr, "solidata: stopped\n");
    return CLI_OK;
}
