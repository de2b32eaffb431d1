/* cmd_publish.c - `solidata publish|unpublish source NAME | run ID`, `publish drafts` and
 * `publish auto on|off`: what the public sees of the store's sources and runs (drafts are for
 * analysts), each change with its audit row (sol_store_publish). */
#include "cli.h"
#include "opt.h"

#include <solidata/store.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef struct publish_args {
    int confirm_own_records;
} publish_args;

static const cli_opt SOURCE_OPTS[] = {
    {"confirm-own-records", CLI_FLAG, offsetof(publish_args, confirm_own_records), NULL,
     N_("publish a source of the organisation's own records (or whose licence is not open): "
        "its small counts stay withheld")},
    {0}};
static const cli_opt NO_OPTS[] = {{0}};

static const cli_sub SUBS[] = {{"source", N_("publish the current version of a source")},
                               {"run", N_("publish a run (the latest published run of a kind is "
                                          "the public layer)")},
                               {"drafts", N_("list the drafts: what analysts see and the public "
                                             "does not")},
                               {"auto", N_("publish new sources and runs at once (on) or keep "
                                           "them as drafts (off, the default)")},
                               {0}};
static const cli_sub UNSUBS[] = {
    {"source", N_("make a source a draft again")}, {"run", N_("make a run a draft again")}, {0}};

static const cli_spec SPECS[] = {
    {"publish source", "NAME [--confirm-own-records]",
     N_("Make a source public: the dashboard and the API show its values to everyone. A source\n"
        "of the organisation's own records (import --own-records, or a licence that is not open)\n"
        "needs --confirm-own-records; a source whose licence forbids publication (internal use,\n"
        "confidential, not for publication) is refused."),
     SOURCE_OPTS, NULL, 1, 1},
    {"publish run", "ID",
     N_("Make a run public: the latest published run of a kind is the layer the public sees."),
     NO_OPTS, NULL, 1, 1},
    {"publish drafts", "",
     N_("List the drafts as CSV (kind,id,name,version,own_records,licence,at): the sources and\n"
        "runs that analysts see and the public does not."),
     NO_OPTS, NULL, 0, 0},
    {"publish auto", "on|off",
     N_("Whether new sources and runs are published at once (on: for scripts and demonstrations)\n"
        "or start as drafts (off, the default). Sources of own records always start as drafts."),
     NO_OPTS, NULL, 1, 1},
    {"unpublish source", "NAME", N_("Make a source a draft again: the public no longer sees it."),
     NO_OPTS, NULL, 1, 1},
    {"unpublish run", "ID",
     N_("Make a run a draft again: the public sees the latest run of its kind still published."),
     NO_OPTS, NULL, 1, 1},
};

static int on_draft(void *ud, const sol_draft *d)
{
    (void)ud;
    char id[24], version[16];
    snprintf(id, sizeof id, "%lld", (long long)d->id);
    snprintf(version, sizeof version, "%d", d->version);
    cli_csv_fields(stdout,
                   (const char *const[]){d->kind, id, d->name, d->version ? version : "",
                                         d->own_records ? "1" : "0", d->licence, d->at},
                   7);
    return 0;
}

int cmd_publish(const cli_ctx *ctx, int argc, char **argv)
{
    int publish = strcmp(argv[0], "publish") == 0;
    int sub = cli_sub_find(argv[0], publish ? SUBS : UNSUBS, argc, argv);
    if (sub < 0)
        return -sub;
    const cli_spec *spec = &SPECS[publish ? sub : 4 + sub];
    publish_args a = {0};
    cli_args args;
    sol_store *st;
    sol_error err;
    long long id = 0;
    int rc = cli_parse(spec, argc - 1, argv + 1, &a, &args);
    if (rc != CLI_OK)
        return rc;
    const char *what = publish ? SUBS[sub].name : UNSUBS[sub].name;
    if (strcmp(what, "run") == 0 && (rc = cli_run_id(spec->cmd, args.v[0], &id)) != CLI_OK)
        return rc;
    int on = 0;
    if (strcmp(what, "auto") == 0) {
        if (strcmp(args.v[0], "on") != 0 && strcmp(args.v[0], "off") != 0)
            return cli_usage_error(spec->cmd, "expected on or off, not '%s'", args.v[0]);
        on = strcmp(args.v[0], "on") == 0;
    }
    if ((rc = cli_open_store(ctx, 1, &st, &err)) != CLI_OK)
        return rc;
    sol_status s;
    if (strcmp(what, "drafts") == 0) {
        printf("kind,id,name,version,own_records,licence,at\n");
        s = sol_store_drafts(st, on_draft, NULL, &err);
    } else if (strcmp(what, "auto") == 0) {
        s = sol_store_publish_auto_set(st, on, NULL, &err);
        if (s == SOL_OK && !ctx->quiet)
            fprintf(stderr, "solidata: %s\n",
                    on ? _("new sources and runs are published at once")
                       : _("new sources and runs start as drafts"));
    } else {
        int changed = 0;
        sol_publish_req q = {.kind = what,
                             .name = strcmp(what, "source") == 0 ? args.v[0] : NULL,
                             .id = (int64_t)id,
                             .publish = publish,
                             .confirm_own_records = a.confirm_own_records};
        s = sol_store_publish(st, &q, &changed, &err);
        if (s == SOL_OK && !ctx->quiet) {
            int src = strcmp(what, "source") == 0;
            const char *fmt =
                publish ? (changed ? (src ? _("source '%s' published: the public sees it")
                                          : _("run %s published: the public sees it"))
                                   : (src ? _("source '%s' was already published")
                                          : _("run %s was already published")))
                        : (changed ? (src ? _("source '%s' is a draft again: the public no "
                                              "longer sees it")
                                          : _("run %s is a draft again: the public no longer "
                                              "sees it"))
                                   : (src ? _("source '%s' was already a draft")
                                          : _("run %s was already a draft")));
            fputs("solidata: ", stderr);
            fprintf(stderr, fmt, args.v[0]);
            fputc('\n', stderr);
        }
    }
    return cli_close_store(st, s, &err);
}
