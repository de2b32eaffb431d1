/* cmd_list.c - `solidata catalog|areas|indicators`: what the store holds, as CSV or JSON. */
#include "cli.h"
#include "opt.h"

#include <solidata/run_catalog.h>

#include <stddef.h>
#include <string.h>

typedef struct list_args {
    int json;
} list_args;

static const cli_opt OPTS[] = {
    {"json", CLI_FLAG, offsetof(list_args, json), NULL, N_("a JSON array instead of CSV")}, {0}};

static const cli_spec SPECS[] = {
    {"catalog", "[--json]",
     N_("List the sources (catalog) in the store as CSV (a header row, then one row each), or as\n"
        "a JSON array with --json: licence, attribution, checksum, rows, versions."),
     OPTS, NULL, 0, 0},
    {"areas", "[--json]",
     N_("List the areas in the store as CSV (a header row, then one row each), or as a JSON\n"
        "array with --json."),
     OPTS, NULL, 0, 0},
    {"indicators", "[--json]",
     N_("List the indicators in the store as CSV (a header row, then one row each), or as a\n"
        "JSON array with --json."),
     OPTS, NULL, 0, 0},
};

int cmd_list(const cli_ctx *ctx, int argc, char **argv)
{
    sol_catalog_list what = strcmp(argv[0], "catalog") == 0 ? SOL_CATALOG_SOURCES
                            : strcmp(argv[0], "areas") == 0 ? SOL_CATALOG_AREAS
                                                            : SOL_CATALOG_INDICATORS;
    list_args a = {0};
    cli_args args;
    sol_store *st;
    sol_error err;
    int rc = cli_parse_store(ctx, &SPECS[what], argc, argv, &a, &args, &st, &err);
    if (rc != CLI_OK)
        return rc;
    return cli_close_store(st, sol_run_catalog(st, what, a.json, cli_write_chars, stdout, &err),
                           &err);
}
