/* cmd_source.c - `solidata source restore NAME --version N`: make a superseded version of a
 * source current again (the version a truncated or wrong file replaced). */
#include "cli.h"
#include "opt.h"

#include <solidata/import.h>
#include <solidata/store.h>

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>

typedef struct source_args {
    int version;
} source_args;

static const cli_opt RESTORE_OPTS[] = {
    {"version", CLI_INT, offsetof(source_args, version), "N",
     N_("the version to make current again ('solidata catalog' lists them)"), .min = 1,
     .max = 1000000, .flags = CLI_REQUIRED},
    {0}};

static const cli_sub SUBS[] = {
    {"restore", N_("make a superseded version of a source current again")}, {0}};

static const cli_spec RESTORE = {
    "source restore",
    "NAME --version N",
    N_("Make a superseded version of a source current again, for instance the version that a\n"
       "truncated or wrong file replaced: the current version is superseded (and kept, so it can\n"
       "be restored in turn), the restored version's values are published again, disclosure "
       "control\n"
       "is recomputed, and the change is in the audit log. One transaction: on any error the "
       "store\n"
       "is unchanged."),
    RESTORE_OPTS,
    NULL,
    1,
    1};

int cmd_source(const cli_ctx *ctx, int argc, char **argv)
{
    int sub = cli_sub_find("source", SUBS, argc, argv);
    if (sub < 0)
        return -sub;
    source_args a = {0};
    cli_args args;
    sol_store *st;
    sol_error err;
    int rc = cli_parse_store(ctx, &RESTORE, argc - 1, argv + 1, &a, &args, &st, &err);
    if (rc != CLI_OK)
        return rc;
    sol_import_report rep;
    sol_status s = sol_import_restore(st, args.v[0], a.version, &rep, &err);
    if (s == SOL_OK)
        /* TRANSLATORS: a summary; the counts stand as "label N" would, whatever their number */
        fprintf(stderr,
                _("solidata: version %d of source '%s' is current again: values restored: %lld"
                  ", values of the store withheld from the public: %lld\n"),
                a.version, args.v[0], (long long)rep.rows_written,
                (long long)(rep.suppressed_primary + rep.suppressed_secondary));
    return cli_close_store(st, s, &err);
}
