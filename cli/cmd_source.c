/* cmd_source.c - `solidata source list|show|remove|restore|replace`: the sources of the store
 * with their versions, a source taken out, a kept version made current again, a new version
 * from a corrected file or with other options (src/run/sources.c does the work). */
#include "cli.h"
#include "opt.h"

#include <solidata/import.h>
#include <solidata/run_sources.h>
#include <solidata/store.h>

#include <inttypes.h>
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct source_args {
    int version;
    int json;
} source_args;

static const cli_opt LIST_OPTS[] = {
    {"json", CLI_FLAG, offsetof(source_args, json), NULL, N_("JSON instead of CSV")}, {0}};

static const cli_opt RESTORE_OPTS[] = {
    {"version", CLI_INT, offsetof(source_args, version), "N",
     N_("the version to make current again ('solidata source show NAME' lists them)"), .min = 1,
     .max = 1000000, .flags = CLI_REQUIRED},
    {0}};

static const cli_sub SUBS[] = {
    {"list", N_("the sources with their versions, status, rows, licence and who imported them")},
    {"show", N_("one source: its versions, their import options, its audit rows and what uses it")},
    {"remove", N_("take a source's values out of the store (kept, so it can be restored)")},
    {"restore", N_("make a kept version of a source current again")},
    {"replace", N_("a new version of a source from a corrected file or with other options")},
    {0}};

static const cli_spec LIST = {
    "source list",
    "[--json]",
    N_("List the sources of the store, one row per version: name, version, status (current,\n"
       "superseded or removed), when and by whom it was imported, rows written, licence,\n"
       "attribution and kind (data or areas)."),
    LIST_OPTS,
    NULL,
    0,
    0};

static const cli_spec SHOW = {
    "source show",
    "NAME",
    N_("Show one source as JSON: its versions with the import options recorded with each, its\n"
       "rows of the audit log, and what depends on it (runs whose method card names it,\n"
       "indicators of other sources computed from its values)."),
    NULL,
    NULL,
    1,
    1};

static const cli_spec REMOVE = {
    "source remove",
    "NAME",
    N_("Take a source out of the store: its current values leave the published tables and are\n"
       "kept like a superseded version's, so that 'solidata source restore NAME --version N'\n"
       "brings them back; its status becomes 'removed', disclosure control is recomputed and\n"
       "the change is in the audit log. Runs and indicators that depend on it are listed as a\n"
       "warning. One transaction: on any error the store is unchanged."),
    NULL,
    NULL,
    1,
    1};

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

static int list(const cli_ctx *ctx, int argc, char **argv)
{
    source_args a = {0};
    cli_args args;
    sol_store *st;
    sol_error err;
    int rc = cli_parse_store(ctx, &LIST, argc, argv, &a, &args, &st, &err);
    if (rc != CLI_OK)
        return rc;
    sol_status s;
    if (a.json) {
        char *j = NULL;
        s = sol_run_sources_json(st, NULL, &j, &err);
        if (s == SOL_OK)
            printf("%s\n", j);
        free(j);
    } else {
        s = sol_run_sources_csv(st, cli_write_chars, stdout, &err);
    }
    return cli_close_store(st, s, &err);
}

static int show(const cli_ctx *ctx, int argc, char **argv)
{
    cli_args args;
    sol_store *st;
    sol_error err;
    int rc = cli_parse_store(ctx, &SHOW, argc, argv, NULL, &args, &st, &err);
    if (rc != CLI_OK)
        return rc;
    char *j = NULL;
    sol_status s = sol_run_sources_json(st, args.v[0], &j, &err);
    if (s == SOL_OK)
        printf("%s\n", j);
    free(j);
    return cli_close_store(st, s, &err);
}

static void say_withheld(const sol_source_change *c)
{
    int64_t withheld = c->suppressed_primary + c->suppressed_secondary;
    if (withheld > 0)
        fprintf(stderr,
                sol_ngettext("disclosure control: %lld value of the store is withheld from the "
                             "public\n",
                             "disclosure control: %lld values of the store are withheld from the "
                             "public\n",
                             (unsigned long)withheld),
                (long long)withheld);
}

/* what still uses a removed source: runs by id, derived indicators by code */
static void warn_depends(const char *name, const sol_source_change *c)
{
    json_t *d = c->depends ? json_loads(c->depends, 0, NULL) : NULL;
    char runs[512] = "", inds[512] = "";
    size_t i, used = 0;
    json_t *v;
    json_array_foreach(json_object_get(d, "runs"), i, v)
    {
        if (used + 40 < sizeof runs)
            used +=
                (size_t)snprintf(runs + used, sizeof runs - used, "%s%lld (%s)", used ? ", " : "",
                                 (long long)json_integer_value(json_object_get(v, "id")),
                                 json_string_value(json_object_get(v, "kind")));
    }
    used = 0;
    json_array_foreach(json_object_get(d, "indicators"), i, v)
    {
        const char *code = json_string_value(v);
        if (code && used + strlen(code) + 3 < sizeof inds)
            used +=
                (size_t)snprintf(inds + used, sizeof inds - used, "%s%s", used ? ", " : "", code);
    }
    json_decref(d);
    if (c->n_runs)
        fprintf(stderr,
                sol_ngettext("solidata: warning: %zu run was computed from source '%s' and still "
                             "shows its values (run: %s)\n",
                             "solidata: warning: %zu runs were computed from source '%s' and still "
                             "show its values (runs: %s)\n",
                             (unsigned long)c->n_runs),
                c->n_runs, name, runs);
    if (c->n_indicators)
        fprintf(stderr,
                sol_ngettext("solidata: warning: %zu indicator of another source is computed from "
                             "source '%s' and lost its numerator or denominator: %s\n",
                             "solidata: warning: %zu indicators of other sources are computed from "
                             "source '%s' and lost their numerator or denominator: %s\n",
                             (unsigned long)c->n_indicators),
                c->n_indicators, name, inds);
}

static int remove_source(const cli_ctx *ctx, int argc, char **argv)
{
    cli_args args;
    sol_store *st;
    sol_error err;
    int rc = cli_parse_store(ctx, &REMOVE, argc, argv, NULL, &args, &st, &err);
    if (rc != CLI_OK)
        return rc;
    sol_source_change c;
    sol_status s = sol_run_source_remove(st, args.v[0], NULL, &c, &err);
    if (s == SOL_OK) {
        fprintf(stderr,
                sol_ngettext("solidata: source '%s' removed (version %d, %lld value out of the "
                             "store); 'solidata source restore %s --version %d' brings it back\n",
                             "solidata: source '%s' removed (version %d, %lld values out of the "
                             "store); 'solidata source restore %s --version %d' brings it back\n",
                             (unsigned long)c.values),
                args.v[0], c.version, (long long)c.values, args.v[0], c.version);
        warn_depends(args.v[0], &c);
        say_withheld(&c);
    }
    sol_source_change_clear(&c);
    return cli_close_store(st, s, &err);
}

static int restore(const cli_ctx *ctx, int argc, char **argv)
{
    source_args a = {0};
    cli_args args;
    sol_store *st;
    sol_error err;
    int rc = cli_parse_store(ctx, &RESTORE, argc, argv, &a, &args, &st, &err);
    if (rc != CLI_OK)
        return rc;
    sol_source_change c;
    sol_status s = sol_run_source_restore(st, args.v[0], a.version, NULL, &c, &err);
    if (s == SOL_OK)
        /* TRANSLATORS: a summary; the counts stand as "label N" would, whatever their number */
        fprintf(stderr,
                _("solidata: version %d of source '%s' is current again: values restored: %lld"
                  ", values of the store withheld from the public: %lld\n"),
                a.version, args.v[0], (long long)c.values,
                (long long)(c.suppressed_primary + c.suppressed_secondary));
    sol_source_change_clear(&c);
    return cli_close_store(st, s, &err);
}

static int replace(const cli_ctx *ctx, int argc, char **argv)
{
    const cli_opt *shared[] = {cli_import_data_opts, NULL};
    const cli_spec spec = {
        "source replace",
        "NAME FILE [import data options]",
        N_("Replace a source by a new version: a corrected file, or the same file imported with\n"
           "other options (columns, indicator metadata, count indicators, licence...). The\n"
           "import is that of 'solidata import data' under the source's name; the previous\n"
           "version is kept and 'solidata source restore NAME --version N' brings it back. The\n"
           "same file with the same options changes nothing."),
        NULL,
        NULL,
        2,
        2,
        shared};
    sol_import_opts o = {0};
    cli_args args;
    sol_store *st;
    sol_error err;
    int rc = cli_parse_store(ctx, &spec, argc, argv, &o, &args, &st, &err);
    if (rc != CLI_OK)
        return rc;
    if (o.source_name && strcmp(o.source_name, args.v[0]) != 0) {
        sol_store_close(st);
        return cli_usage_error("source replace",
                               "--source '%s' differs from the source named '%s': give the name "
                               "once, as the first argument",
                               o.source_name, args.v[0]);
    }
    sol_import_report rep;
    sol_status s = sol_run_source_replace(st, args.v[0], args.v[1], &o, &rep, &err);
    if (s == SOL_OK && rep.unchanged)
        fprintf(stderr,
                _("%s: the same file with the same options as version %d of source '%s'; "
                  "nothing to do\n"),
                args.v[1], rep.version, args.v[0]);
    else if (s == SOL_OK)
        fprintf(stderr,
                sol_ngettext("%s: source '%s' is now version %d (%lld observation written); "
                             "'solidata source restore %s --version %d' brings the previous one "
                             "back\n",
                             "%s: source '%s' is now version %d (%lld observations written); "
                             "'solidata source restore %s --version %d' brings the previous one "
                             "back\n",
                             (unsigned long)rep.rows_written),
                args.v[1], args.v[0], rep.version, (long long)rep.rows_written, args.v[0],
                rep.version - 1);
    return cli_close_store(st, s, &err);
}

int cmd_source(const cli_ctx *ctx, int argc, char **argv)
{
    int sub = cli_sub_find("source", SUBS, argc, argv);
    if (sub < 0)
        return -sub;
    switch (sub) {
    case 0: return list(ctx, argc - 1, argv + 1);
    case 1: return show(ctx, argc - 1, argv + 1);
    case 2: return remove_source(ctx, argc - 1, argv + 1);
    case 3: return restore(ctx, argc - 1, argv + 1);
    default: return replace(ctx, argc - 1, argv + 1);
    }
}
