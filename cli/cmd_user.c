/* cmd_user.c - `solidata user add NAME --role R` (password from stdin, or a prompt without echo
 * on a terminal) and `solidata user list`: the accounts of the server. */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/auth.h>
#include <solidata/limits.h>
#include <solidata/store.h>

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: solidata user add NAME --role public|analyst|admin\n"
    "       solidata user list\n\n"
    "Accounts of the server (solidata serve). 'add' reads the password from standard input\n"
    "(first line), or asks for it twice without echo on a terminal; it is stored only as an\n"
    "Argon2id hash. Roles: public (published aggregates), analyst (also run results and\n"
    "exports), admin (also accounts and the audit log).\n";

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

static int user_add(const cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"role", required_argument, NULL, 'r'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *role_s = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            role_s = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return CLI_OK;
        default:
            return cli_usage_error("user", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("user", "give one account name: user add NAME --role R");
    const char *name = argv[optind];
    if (role_s == NULL)
        return cli_usage_error("user", "give --role public|analyst|admin");
    sol_error err;
    sol_error_clear(&err);
    sol_role role;
    if (sol_role_parse(role_s, &role, &err) != SOL_OK || sol_auth_check_name(name, &err) != SOL_OK)
        return cli_fail(&err);
    char pw[SOL_MAX_PASSWORD + 2], again[SOL_MAX_PASSWORD + 2];
    size_t n = 0, n2 = 0;
    int rc = CLI_FAIL;
    if (isatty(STDIN_FILENO)) {
        if (prompt("Password", pw, sizeof pw, &n) != 0 ||
            prompt("Password again", again, sizeof again, &n2) != 0) {
            rc = cli_failf("no password read");
            goto out;
        }
        if (n != n2 || memcmp(pw, again, n) != 0) {
            rc = cli_failf("the two passwords differ; nothing was created");
            goto out;
        }
    } else if (read_line(stdin, pw, sizeof pw, &n) != 0) {
        rc = cli_failf("no password on standard input (one line of %u to %u bytes)",
                       SOL_MIN_PASSWORD, SOL_MAX_PASSWORD);
        goto out;
    }
    sol_store *st = NULL;
    if ((rc = cli_open_store(ctx, &st)) != CLI_OK)
        goto out;
    const char *by = getenv("SOLIDATA_USER");
    if (by == NULL || *by == '\0')
        by = getenv("USER");
    char detail[256];
    snprintf(detail, sizeof detail, "{\"name\":\"%s\",\"role\":\"%s\",\"via\":\"cli\"}", name,
             sol_role_name(role)); /* the name was checked: no quote or backslash in it */
    if (sol_auth_account_add(st, name, role, pw, n, by, &err) != SOL_OK ||
        sol_store_audit_append(st, by, "account.add", detail, &err) != SOL_OK) {
        rc = cli_fail(&err);
    } else {
        fprintf(stderr, "solidata: account '%s' (%s) created\n", name, sol_role_name(role));
        rc = CLI_OK;
    }
    sol_store_close(st);
out:
    memset(pw, 0, sizeof pw);
    memset(again, 0, sizeof again);
    return rc;
}

static int on_account(void *ud, const sol_account *a)
{
    (void)ud;
    cli_csv_field(stdout, a->name, 0);
    cli_csv_field(stdout, a->role, 0);
    cli_csv_field(stdout, a->created_at, 0);
    cli_csv_field(stdout, a->created_by, 1);
    return 0;
}

static int user_list(const cli_ctx *ctx, int argc)
{
    if (argc != 1)
        return cli_usage_error("user", "'user list' takes no argument");
    sol_store *st = NULL;
    int rc = cli_open_store(ctx, &st);
    if (rc != CLI_OK)
        return rc;
    sol_error err;
    sol_error_clear(&err);
    printf("name,role,created_at,created_by\n");
    if (sol_store_accounts(st, on_account, NULL, &err) != SOL_OK)
        rc = cli_fail(&err);
    sol_store_close(st);
    return rc;
}

int cmd_user(const cli_ctx *ctx, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_USAGE : CLI_OK;
    }
    if (strcmp(argv[1], "add") == 0)
        return user_add(ctx, argc - 1, argv + 1);
    if (strcmp(argv[1], "list") == 0)
        return user_list(ctx, argc - 1);
    return cli_usage_error("user", "unknown subcommand '%s' (add, list)", argv[1]);
}
