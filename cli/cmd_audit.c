/* cmd_audit.c - `solidata audit list|verify` (the hash-chained audit log) and `solidata card RUN`
 * (one run's method card in plain text, written by sol_run_card_write). */
#include "cli.h"
#include "opt.h"

#include <solidata/privacy.h>
#include <solidata/run_privacy.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char AUDIT_ABOUT[] =
    N_() N_("The store's append-only audit log: each entry's hash commits to the entry before it.\n"
            "'verify' recomputes the chain and names the first altered, deleted or reordered\n"
            "entry; it prints the head hash, which you can record elsewhere and later pass as\n"
            "--head to also detect entries removed from the end.");
static const cli_opt VERIFY_OPTS[] = {
    {"head", CLI_STR, 0, "HASH", N_("the head hash printed by an earlier 'audit verify'")}, {0}};
static const cli_sub AUDIT_SUBS[] = {{"list", N_("every entry of the log, as CSV")},
                                     {"verify", N_("recompute the hash chain")},
                                     {0}};
static const cli_spec AUDIT[] = {
    {"audit list", "[--help]", AUDIT_ABOUT, NULL, N_("Output: id,at,who,action,detail,hash"), 0, 0},
    {"audit verify", "[--head HASH]", AUDIT_ABOUT, VERIFY_OPTS, NULL, 0, 0},
};

static int print_entry(void *ud, const sol_audit_entry *e)
{
    (void)ud;
    printf("%lld,", (long long)e->id);
    cli_csv_fields(stdout, (const char *const[]){e->at, e->who, e->action, e->detail, e->hash}, 5);
    return 0;
}

int cmd_audit(const cli_ctx *ctx, int argc, char **argv)
{
    int sub = cli_sub_find("audit", AUDIT_SUBS, argc, argv);
    if (sub < 0)
        return -sub;
    const char *head_in = NULL;
    cli_args args;
    sol_store *st;
    sol_error err;
    int rc = cli_parse_store(ctx, &AUDIT[sub], argc - 1, argv + 1, &head_in, &args, &st, &err);
    if (rc != CLI_OK)
        return rc;
    sol_status s;
    if (sub == 0) {
        printf("id,at,who,action,detail,hash\n");
        s = sol_audit_list(st, print_entry, NULL, &err);
    } else {
        int64_t n = 0;
        char head[65];
        s = sol_audit_verify(st, head_in, &n, head, &err);
        if (s == SOL_OK)
            printf(sol_ngettext("audit: %lld entry, chain intact; head %s\n",
                                "audit: %lld entries, chain intact; head %s\n", (unsigned long)n),
                   (long long)n, *head ? head : _("(empty log)"));
    }
    return cli_close_store(st, s, &err);
}

/* ---- card ---------------------------------------------------------------------------------- */

static const char CARD_ABOUT[] =
    N_() N_("Print the method card of a recorded run in plain text: what was computed, from\n"
            "which inputs, with which human choices, who and when, and the privacy treatment\n"
            "of what it published. 'solidata runs' lists the runs.");
static const cli_spec CARD = {"card", "RUN", CARD_ABOUT, NULL, NULL, 1, 1};

int cmd_card(const cli_ctx *ctx, int argc, char **argv)
{
    cli_args args;
    int rc = cli_parse(&CARD, argc, argv, NULL, &args);
    if (rc != CLI_OK)
        return rc;
    long long id;
    sol_store *st;
    sol_error err;
    if ((rc = cli_run_id("card", args.v[0], &id)) != CLI_OK ||
        (rc = cli_open_store(ctx, 1, &st, &err)) != CLI_OK)
        return rc;
    return cli_close_store(st, sol_run_card_write(st, id, cli_write_file, stdout, &err), &err);
}
