/* cmd_audit.c - `solidata audit list|verify` (the hash-chained audit log) and `solidata card RUN`
 * (one run's method card in plain text: who, what, when, how, and the privacy treatment). */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/privacy.h>
#include <solidata/store.h>

#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char audit_usage[] =
    "usage: solidata audit list\n"
    "       solidata audit verify [--head HASH]\n\n"
    "The store's append-only audit log: each entry's hash commits to the entry before it.\n"
    "'verify' recomputes the chain and names the first altered, deleted or reordered\n"
    "entry; it prints the head hash, which you can record elsewhere and later pass as\n"
    "--head to also detect entries removed from the end.\n";

static int print_entry(void *ud, const sol_audit_entry *e)
{
    (void)ud;
    printf("%lld,", (long long)e->id);
    cli_csv_field(stdout, e->at, 0);
    cli_csv_field(stdout, e->who, 0);
    cli_csv_field(stdout, e->action, 0);
    cli_csv_field(stdout, e->detail, 0);
    cli_csv_field(stdout, e->hash, 1);
    return 0;
}

int cmd_audit(const cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"head", required_argument, NULL, 'H'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *head_in = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'H') {
            head_in = optarg;
        } else if (c == 'h') {
            fputs(audit_usage, stdout);
            return CLI_OK;
        } else {
            return cli_usage_error("audit", "unknown option or missing argument '%s'",
                                   argv[optind - 1]);
        }
    }
    int list = optind + 1 == argc && strcmp(argv[optind], "list") == 0;
    int verify = optind + 1 == argc && strcmp(argv[optind], "verify") == 0;
    if (!list && !verify)
        return cli_usage_error("audit", "use 'audit list' or 'audit verify'");
    sol_store *st;
    int rc = cli_open_store(ctx, &st);
    if (rc != CLI_OK)
        return rc;
    sol_error err;
    sol_error_clear(&err);
    sol_status s;
    if (list) {
        printf("id,at,who,action,detail,hash\n");
        s = sol_audit_list(st, print_entry, NULL, &err);
    } else {
        int64_t n = 0;
        char head[65];
        s = sol_audit_verify(st, head_in, &n, head, &err);
        if (s == SOL_OK)
            printf("audit: %lld entries, chain intact; head %s\n", (long long)n,
                   *head ? head : "(empty log)");
    }
    sol_store_close(st);
    return s == SOL_OK ? CLI_OK : cli_fail(&err);
}

/* ---- card ---------------------------------------------------------------------------------- */

static void print_value(const json_t *v, int depth);

static void indent(int depth)
{
    for (int i = 0; i < depth; i++)
        fputs("  ", stdout);
}

static int is_scalar(const json_t *v)
{
    return !json_is_object(v) && !json_is_array(v);
}

static void print_scalar(const json_t *v)
{
    if (json_is_string(v))
        fputs(json_string_value(v), stdout);
    else if (json_is_integer(v))
        printf("%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        printf("%.10g", json_real_value(v));
    else if (json_is_true(v))
        fputs("yes", stdout);
    else if (json_is_false(v))
        fputs("no", stdout);
    else
        fputs("-", stdout);
}

static void print_value(const json_t *v, int depth)
{
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)v, k, x)
        {
            indent(depth);
            printf("%s:", k);
            if (is_scalar(x)) {
                fputc(' ', stdout);
                print_scalar(x);
                fputc('\n', stdout);
            } else if ((json_is_array(x) && json_array_size(x) == 0) ||
                       (json_is_object(x) && json_object_size(x) == 0)) {
                fputs(" none\n", stdout);
            } else {
                fputc('\n', stdout);
                print_value(x, depth + 1);
            }
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            indent(depth);
            fputs("- ", stdout);
            if (is_scalar(x)) {
                print_scalar(x);
                fputc('\n', stdout);
            } else {
                fputc('\n', stdout);
                print_value(x, depth + 1);
            }
        }
    } else {
        indent(depth);
        print_scalar(v);
        fputc('\n', stdout);
    }
}

static int print_card(void *ud, const sol_run *r)
{
    int *found = ud;
    *found = 1;
    printf("run %lld: %s\n", (long long)r->id, r->kind);
    printf("when: %s\n", r->created_at ? r->created_at : "-");
    printf("who: %s\n", r->created_by ? r->created_by : "-");
    if (r->inputs_sha256)
        printf("inputs sha256: %s\n", r->inputs_sha256);
    json_t *card = r->method_card ? json_loads(r->method_card, 0, NULL) : NULL;
    if (card == NULL) {
        printf("method card: (not valid JSON)\n%s\n", r->method_card ? r->method_card : "");
        return 0;
    }
    json_t *priv = json_object_get(card, "privacy");
    printf("\nmethod card\n");
    print_value(card, 1);
    if (priv == NULL)
        printf("  privacy: no disclosure control recorded for this run\n");
    json_decref(card);
    return 0;
}

int cmd_card(const cli_ctx *ctx, int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: solidata card RUN\n\n"
               "Print the method card of a recorded run in plain text: what was computed, from\n"
               "which inputs, with which human choices, who and when, and the privacy treatment\n"
               "of what it published. 'solidata runs' lists the runs.\n");
        return CLI_OK;
    }
    char *end = NULL;
    long long id = argc == 2 ? strtoll(argv[1], &end, 10) : 0;
    if (argc != 2 || id <= 0 || *end)
        return cli_usage_error("card", "give one run id (a positive integer)");
    sol_store *st;
    int rc = cli_open_store(ctx, &st);
    if (rc != CLI_OK)
        return rc;
    sol_error err;
    sol_error_clear(&err);
    int found = 0;
    sol_status s = sol_store_run_get(st, id, print_card, &found, &err);
    sol_store_close(st);
    return s == SOL_OK ? CLI_OK : cli_fail(&err);
}
