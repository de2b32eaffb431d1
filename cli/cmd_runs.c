/* cmd_runs.c - `solidata runs`: the computations recorded in the store, and one run's method
 * card (what was computed, from which sources under which licences, with which human choices). */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/store.h>

#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct runs_out {
    int json;
    json_t *arr;
} runs_out;

static json_t *parsed(const char *s)
{
    json_t *j = s ? json_loads(s, 0, NULL) : NULL;
    return j ? j : json_null();
}

static int on_run(void *ud, const sol_run *r)
{
    runs_out *o = ud;
    if (o->json) {
        json_t *j = json_pack("{s:I,s:s,s:s,s:s?,s:s?,s:o,s:o}", "id", (json_int_t)r->id, "kind",
                              r->kind, "created_at", r->created_at, "created_by", r->created_by,
                              "inputs_sha256", r->inputs_sha256, "spec", parsed(r->spec),
                              "method_card", parsed(r->method_card));
        if (j && r->result)
            json_object_set_new(j, "result", parsed(r->result));
        json_array_append_new(o->arr, j);
        return 0;
    }
    printf("%lld,", (long long)r->id);
    cli_csv_field(stdout, r->kind, 0);
    cli_csv_field(stdout, r->created_at, 0);
    cli_csv_field(stdout, r->created_by, 0);
    cli_csv_field(stdout, r->inputs_sha256, 1);
    return 0;
}

int cmd_runs(const cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                         {"kind", required_argument, NULL, 'k'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    runs_out o = {0};
    const char *kind = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'j') {
            o.json = 1;
        } else if (c == 'k') {
            kind = optarg;
        } else if (c == 'h') {
            printf("usage: solidata [--db FILE] runs [--kind KIND] [--json]\n"
                   "       solidata [--db FILE] runs show ID\n\n"
                   "List the computations recorded in the store (newest first), or show one run\n"
                   "as JSON: its spec, its method card (method and reference, input sources with\n"
                   "licences, the human choices, who and when) and its result.\n");
            return CLI_OK;
        } else {
            return cli_usage_error("runs", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    int show = optind < argc && strcmp(argv[optind], "show") == 0;
    long long id = 0;
    if (show) {
        char *end = NULL;
        if (optind + 2 != argc || (id = strtoll(argv[optind + 1], &end, 10)) <= 0 || *end)
            return cli_usage_error("runs", "'runs show' takes one run id (a positive integer)");
        o.json = 1;
    } else if (optind < argc) {
        return cli_usage_error("runs", "unexpected argument '%s'", argv[optind]);
    }
    sol_store *st;
    int rc = cli_open_store(ctx, &st);
    if (rc != CLI_OK)
        return rc;
    sol_error err;
    sol_error_clear(&err);
    if (o.json)
        o.arr = json_array();
    else
        printf("id,kind,created_at,created_by,inputs_sha256\n");
    sol_status s = show ? sol_store_run_get(st, id, on_run, &o, &err)
                        : sol_store_runs(st, kind, 0, on_run, &o, &err);
    sol_store_close(st);
    if (s != SOL_OK) {
        json_decref(o.arr);
        return cli_fail(&err);
    }
    if (o.json) {
        json_t *outj = show ? json_array_get(o.arr, 0) : o.arr;
        json_dumpf(outj, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(o.arr);
    }
    return CLI_OK;
}
