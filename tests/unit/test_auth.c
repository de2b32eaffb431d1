/* test_auth.c - roles, account names, Argon2id accounts, verification, the audit log, tokens. */
#include "harness.h"

#include <solidata/auth.h>
#include <solidata/store.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *tmp_db(void)
{
    static char p[512];
    const char *dir = getenv("SOL_TEST_TMP");
    snprintf(p, sizeof p, "%s/auth.db", dir ? dir : "/tmp");
    unlink(p);
    return p;
}

TEST(roles_parse_and_order)
{
    sol_role r;
    ASSERT_STATUS(sol_role_parse("analyst", &r, NULL), SOL_OK);
    ASSERT_EQ(r, SOL_ROLE_ANALYST);
    ASSERT_STATUS(sol_role_parse("anonymous", &r, NULL), SOL_EINVAL);
    ASSERT_STATUS(sol_role_parse("boss", &r, NULL), SOL_EINVAL);
    ASSERT(SOL_ROLE_ANON < SOL_ROLE_PUBLIC && SOL_ROLE_PUBLIC < SOL_ROLE_ANALYST &&
           SOL_ROLE_ANALYST < SOL_ROLE_ADMIN);
    ASSERT_STR_EQ(sol_role_name(SOL_ROLE_ADMIN), "admin");
}

TEST(account_names_are_checked)
{
    ASSERT_STATUS(sol_auth_check_name("ana.rossi@comune-x_1", NULL), SOL_OK);
    ASSERT_STATUS(sol_auth_check_name("", NULL), SOL_EINVAL);
    ASSERT_STATUS(sol_auth_check_name("a b", NULL), SOL_EINVAL);
    ASSERT_STATUS(sol_auth_check_name("a\"b", NULL), SOL_EINVAL);
    char longname[80];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    ASSERT_STATUS(sol_auth_check_name(longname, NULL), SOL_EINVAL);
}

TEST(accounts_verify_only_with_their_password)
{
    sol_store *st = NULL;
    ASSERT_STATUS(sol_store_open(tmp_db(), &st, NULL), SOL_OK);
    ASSERT_STATUS(sol_auth_account_add(st, "ana", SOL_ROLE_ANALYST, "s3cret-pw", 9, "t", NULL),
                  SOL_OK);
    ASSERT_STATUS(sol_auth_account_add(st, "ana", SOL_ROLE_ADMIN, "s3cret-pw", 9, "t", NULL),
                  SOL_EDUPLICATE);
    ASSERT_STATUS(sol_auth_account_add(st, "bob", SOL_ROLE_ADMIN, "short", 5, NULL, NULL),
                  SOL_EINVAL);
    sol_role r = SOL_ROLE_ANON;
    ASSERT_STATUS(sol_auth_verify(st, "ana", "s3cret-pw", 9, &r, NULL), SOL_OK);
    ASSERT_EQ(r, SOL_ROLE_ANALYST);
    ASSERT_STATUS(sol_auth_verify(st, "ana", "s3cret-px", 9, &r, NULL), SOL_EDENIED);
    ASSERT_STATUS(sol_auth_verify(st, "nobody", "s3cret-pw", 9, &r, NULL), SOL_EDENIED);
    ASSERT_STATUS(sol_auth_verify(st, "bad name", "s3cret-pw", 9, &r, NULL), SOL_EDENIED);
    sol_store_close(st);
}

static int count_rows(void *ud, const sol_audit_row *a)
{
    (void)a;
    (*(int *)ud)++;
    return 0;
}

TEST(audit_log_appends)
{
    sol_store *st = NULL;
    ASSERT_STATUS(sol_store_open(tmp_db(), &st, NULL), SOL_OK);
    ASSERT_STATUS(sol_store_audit_append(st, "ana", "login", "{\"ip\":\"127.0.0.1\"}", NULL),
                  SOL_OK);
    ASSERT_STATUS(sol_store_audit_append(st, NULL, "login.failed", NULL, NULL), SOL_OK);
    int n = 0;
    ASSERT_STATUS(sol_store_audit(st, 0, count_rows, &n, NULL), SOL_OK);
    ASSERT_EQ(n, 2);
    n = 0;
    ASSERT_STATUS(sol_store_audit(st, 1, count_rows, &n, NULL), SOL_OK);
    ASSERT_EQ(n, 1);
    sol_store_close(st);
}

TEST(random_tokens_are_hex_and_differ)
{
    char a[65], b[65];
    sol_auth_random_hex(a, 32);
    sol_auth_random_hex(b, 32);
    ASSERT_EQ(strlen(a), 64);
    ASSERT_EQ(strspn(a, "0123456789abcdef"), 64);
    ASSERT(strcmp(a, b) != 0);
}
