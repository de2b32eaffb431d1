/* cmd_runs.c - `solidata runs [list|show]`: the computations recorded in the store, as CSV, or as
 * JSON with their method cards (what was computed, from which sources under which licences,
 * with which human choices), written by sol_run_runs_write_json. */
#include "cli.h"
#include "opt.h"

#include <solidata/run_privacy.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct runs_args {
    const char *kind;
    int json;
} runs_args;

static const cli_opt LIST_OPTS[] = {
    {"kind", CLI_STR, offsetof(runs_args, kind), "KIND", N_("only the runs of this kind")},
    {"json", CLI_FLAG, offsetof(runs_args, json), NULL,
     N_("JSON with each run's spec and method card instead of CSV")},
    {0}};
static const cli_opt SHOW_OPTS[] = {
    {"json", CLI_FLAG, offsetof(runs_args, json), NULL, N_("JSON (always)")}, {0}};
static const cli_sub SUBS[] = {{"list", N_("the recorded runs, newest first (the default)")},
                               {"show", N_("one run as JSON: spec, method card and result")},
                               {0}};
static const cli_spec SPECS[] = {
    {"runs", "[list] [--kind KIND] [--json]",
     N_("List the computations recorded in the store (newest first), as CSV\n"
        "(id,kind,created_at,created_by,inputs_sha256) or JSON."),
     LIST_OPTS, NULL, 0, 0},
    {"runs show", "ID",
     N_("Show one run as JSON: its spec, its method card (method and reference, input sources\n"
        "with licences, the human choices, who and when) and its result."),
     SHOW_OPTS, NULL, 1, 1},
};

static int on_run(void *ud, const sol_run *r)
{
    (void)ud;
    printf("%lld,", (long long)r->id);
    cli_csv_fields(
        stdout, (const char *const[]){r->kind, r->created_at, r->created_by, r->inputs_sha256}, 4);
    return 0;
}

int cmd_runs(const cli_ctx *ctx, int argc, char **argv)
{
    /* `runs` alone, or followed by an option other than --help, lists */
    int sub = 0;
    if (argc >= 2 &&
        (argv[1][0] != '-' || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        if ((sub = cli_sub_find("runs", SUBS, argc, argv)) < 0)
            return -sub;
        argc--, argv++;
    }
    runs_args a = {0};
    cli_args args;
    int rc = cli_parse(&SPECS[sub], argc, argv, &a, &args);
    if (rc != CLI_OK)
        return rc;
    long long id = 0;
    if (sub == 1 && (rc = cli_run_id("runs show", args.v[0], &id)) != CLI_OK)
        return rc;
    sol_store *st;
    sol_error err;
    if ((rc = cli_open_store(ctx, 1, &st, &err)) != CLI_OK)
        return rc;
    sol_status s;
    if (sub == 1 || a.json) {
        s = sol_run_runs_write_json(st, a.kind, id, cli_write_file, stdout, &err);
    } else {
        printf("id,kind,created_at,created_by,inputs_sha256\n");
        s = sol_store_runs(st, a.kind, 0, on_run, NULL, &err);
    }
    return cli_close_store(st, s, &err);
}
