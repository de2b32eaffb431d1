/* cmd_user.c - `solidata user add NAME --role R` (password from stdin, or a prompt without echo
 * on a terminal) and `solidata user list`: the accounts of the server. */
#define _GNU_SOURCE
#include "cli.h"
#include "opt.h"

#include <solidata/auth.h>
#include <solidata/limits.h>
#include <solidata/run_privacy.h>
#include <solidata/store.h>

#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static const char ABOUT[] = N_()
    N_("Accounts of the server (solidata serve). 'add' reads the password from standard input\n"
       "(first line), or asks for it twice without echo on a terminal; it is stored only as an\n"
       "Argon2id hash. Roles: public (published aggregates), analyst (also run results and\n"
       "exports), admin (also accounts and the audit log).");
static const cli_opt ADD_OPTS[] = {
    {"role", CLI_STR, 0, "R", N_("public, analyst or admin"), .flags = CLI_REQUIRED}, {0}};
static const cli_sub SUBS[] = {
    {"add", N_("create an account")}, {"list", N_("every account, as CSV")}, {0}};
static const cli_spec SPECS[] = {
    {"user add", "NAME --role public|analyst|admin", ABOUT, ADD_OPTS, NULL, 1, 1},
    {"user list", "[--help]", ABOUT, NULL, N_("Output: name,role,created_at,created_by"), 0, 0},
};

/* Read one line (without its newline) into buf; 0 on success, -1 on EOF or a line too long. */
static int read_line(FILE *in, char *buf, size_t cap, size_t *len)
{
    if (fgets(buf, (int)cap, in) == NULL)
        return -1;
    size_t n = strlen(buf);
    if (n && buf[n - 1] == '\n')
        buf[--n] = '\0';
    else if (!feof(in))
        return -1;
    if (n && buf[n - 1] == '\r')
        buf[--n] = '\0';
    *len = n;
    return 0;
}

static int prompt(const char *what, char *buf, size_t cap, size_t *len)
{
    struct termios old, quiet;
    fprintf(stderr, "%s: ", what);
    fflush(stderr);
    int tty = tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    int r = read_line(stdin, buf, cap, len);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    return r;
}

/* The password: asked twice without echo on a terminal, else the first line of stdin. */
static int read_password(char *pw, char *again, size_t cap, size_t *n)
{
    size_t n2 = 0;
    if (!isatty(STDIN_FILENO)) {
        if (read_line(stdin, pw, cap, n) != 0)
            return cli_failf("no password on standard input (one line of %u to %u bytes)",
                             SOL_MIN_PASSWORD, SOL_MAX_PASSWORD);
        return CLI_OK;
    }
    if (prompt(_("Password"), pw, cap, n) != 0 || prompt(_("Password again"), again, cap, &n2) != 0)
        return cli_failf("no password read");
    if (*n != n2 || memcmp(pw, again, *n) != 0)
        return cli_failf("the two passwords differ; nothing was created");
    return CLI_OK;
}

static int user_add(const cli_ctx *ctx, const char *name, const char *role_s)
{
    sol_error err;
    sol_error_clear(&err);
    sol_role role;
    if (sol_role_parse(role_s, &role, &err) != SOL_OK || sol_auth_check_name(name, &err) != SOL_OK)
        return cli_fail(&err);
    char pw[SOL_MAX_PASSWORD + 2], again[SOL_MAX_PASSWORD + 2];
    size_t n = 0;
    sol_store *st = NULL;
    int rc = read_password(pw, again, sizeof pw, &n);
    if (rc == CLI_OK && (rc = cli_open_store(ctx, 1, &st, &err)) == CLI_OK) {
        const char *by = getenv("SOLIDATA_USER");
        if (by == NULL || *by == '\0')
            by = getenv("USER");
        if (sol_run_account_add(st, name, role, pw, n, by, "cli", &err) != SOL_OK)
            rc = cli_fail(&err);
        else
            fprintf(stderr, _("solidata: account '%s' (%s) created\n"), name, sol_role_name(role));
        sol_store_close(st);
    }
    memset(pw, 0, sizeof pw);
    memset(again, 0, sizeof again);
    return rc;
}

static int on_account(void *ud, const sol_account *a)
{
    (void)ud;
    cli_csv_fields(stdout, (const char *const[]){a->name, a->role, a->created_at, a->created_by},
                   4);
    return 0;
}

int cmd_user(const cli_ctx *ctx, int argc, char **argv)
{
    int sub = cli_sub_find("user", SUBS, argc, argv);
    if (sub < 0)
        return -sub;
    const char *role = NULL;
    cli_args args;
    int rc = cli_parse(&SPECS[sub], argc - 1, argv + 1, &role, &args);
    if (rc != CLI_OK)
        return rc;
    if (sub == 0)
        return user_add(ctx, args.v[0], role);
    sol_store *st;
    sol_error err;
    if ((rc = cli_open_store(ctx, 1, &st, &err)) != CLI_OK)
        return rc;
    printf("name,role,created_at,created_by\n");
    if (sol_store_accounts(st, on_account, NULL, &err) != SOL_OK)
        rc = cli_fail(&err);
    sol_store_close(st);
    return rc;
}
