/* cmd_store.c - `solidata store copy FROM TO`: a whole store moved between backends (a SQLite
 * file and a PostgreSQL database, either way), checked table by table (sol_store_copy). */
#include "cli.h"
#include "opt.h"

#include <solidata/store.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct store_args {
    int unused;
} store_args;

static const cli_opt COPY_OPTS[] = {{0}};
static const cli_sub SUBS[] = {
    {"copy", N_("copy a whole store into a new, empty one (file or PostgreSQL)")}, {0}};
static const cli_spec SPECS[] = {
    {"store copy", "FROM TO",
     N_("Copy every source, area, indicator, observation, run, account and the audit log of\n"
        "the store FROM into TO, a new file or an empty PostgreSQL database\n"
        "(postgresql://USER@HOST/DB). Each table is checked equal on both sides before the\n"
        "copy is committed; on any error TO is left as it was."),
     COPY_OPTS, NULL, 2, 2},
};

/* An address as it may be shown: the password of postgresql://user:password@host hidden. */
static void shown(const char *target, char *out, size_t n)
{
    const char *scheme = strstr(target, "://");
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
    if (at && colon && colon < at)
        snprintf(out, n, "%.*s:***%s", (int)(colon - target), target, at);
    else
        snprintf(out, n, "%s", target);
}

static void remove_store_file(const char *path)
{
    char side[4096];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static void on_progress(void *ud, const char *table, int64_t rows)
{
    cli_progress(ud, _("copying %s: %lld rows"), table, (long long)rows);
}

int cmd_store(const cli_ctx *ctx, int argc, char **argv)
{
    int sub = cli_sub_find("store", SUBS, argc, argv);
    if (sub < 0)
        return -sub;
    argc--, argv++;
    store_args a = {0};
    cli_args args;
    int rc = cli_parse(&SPECS[sub], argc, argv, &a, &args);
    if (rc != CLI_OK)
        return rc;
    const char *from_path = args.v[0], *to_path = args.v[1];
    char from_shown[512], to_shown[512];
    shown(from_path, from_shown, sizeof from_shown);
    shown(to_path, to_shown, sizeof to_shown);
    if (strcmp(from_path, to_path) == 0)
        return cli_usage_error("store copy", _("FROM and TO are the same store"));
    /* a new file that the copy made is removed again when the copy fails */
    struct stat sb;
    int new_file = !sol_store_is_postgresql(to_path) && stat(to_path, &sb) != 0;
    sol_error err;
    sol_store *from = NULL, *to = NULL;
    if (sol_store_open(from_path, &from, &err) != SOL_OK)
        return cli_fail(&err);
    if (sol_store_open(to_path, &to, &err) != SOL_OK) {
        sol_store_close(from);
        return cli_fail(&err);
    }
    sol_store_copy_report rep;
    sol_status s = sol_store_copy(from, to, &rep, on_progress, (void *)ctx, &err);
    sol_store_close(from);
    sol_store_close(to);
    if (s != SOL_OK) {
        if (new_file)
            remove_store_file(to_path);
        return cli_fail(&err);
    }
    printf(_("copied %d tables, %lld rows, from %s to %s; every table checked equal\n"), rep.tables,
           (long long)rep.rows, from_shown, to_shown);
    return CLI_OK;
}
