/* auth.c - roles, account names, Argon2id password hashes (libsodium crypto_pwhash_str) and
 * random tokens. The store keeps only the hash; verification spends the same time whether or not
 * the account exists. */
#include <solidata/auth.h>
#include <solidata/limits.h>

#include "core/core.h"

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const role_names[] = {"anonymous", "public", "analyst", "admin"};

const char *sol_role_name(sol_role r)
{
    return (unsigned)r < 4 ? role_names[r] : "anonymous";
}

sol_status sol_role_parse(const char *s, sol_role *out, sol_error *err)
{
    for (int r = SOL_ROLE_PUBLIC; r <= SOL_ROLE_ADMIN; r++) {
        if (s && strcmp(s, role_names[r]) == 0) {
            *out = (sol_role)r;
            return SOL_OK;
        }
    }
    return sol__err(err, SOL_EINVAL, "role '%s': expected public, analyst or admin", s ? s : "");
}

sol_status sol_auth_check_name(const char *name, sol_error *err)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > SOL_MAX_ACCOUNT_NAME)
        return sol__err(err, SOL_EINVAL, "an account name has 1 to %u characters",
                        SOL_MAX_ACCOUNT_NAME);
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-' || c == '@'))
            return sol__err(err, SOL_EINVAL,
                            "account name '%s': only letters, digits and . _ - @ are allowed",
                            name);
    }
    return SOL_OK;
}

static sol_status check_password(size_t len, sol_error *err)
{
    if (len < SOL_MIN_PASSWORD || len > SOL_MAX_PASSWORD)
        return sol__err(err, SOL_EINVAL, "a password has %u to %u bytes (this one has %zu)",
                        SOL_MIN_PASSWORD, SOL_MAX_PASSWORD, len);
    return SOL_OK;
}

sol_status sol_auth_account_add(sol_store *st, const char *name, sol_role role,
                                const char *password, size_t password_len, const char *created_by,
                                sol_error *err)
{
    return sol_auth_account_add_audited(st, name, role, password, password_len, created_by, NULL,
                                        err);
}

sol_status sol_auth_account_add_audited(sol_store *st, const char *name, sol_role role,
                                        const char *password, size_t password_len,
                                        const char *created_by, const char *audit_detail,
                                        sol_error *err)
{
    sol_status rc;
    if ((rc = sol_auth_check_name(name, err)) != SOL_OK ||
        (rc = check_password(password_len, err)) != SOL_OK)
        return rc;
    if (role < SOL_ROLE_PUBLIC || role > SOL_ROLE_ADMIN)
        return sol__err(err, SOL_EINVAL, "an account is public, analyst or admin");
    if (sodium_init() < 0)
        return sol__err(err, SOL_EIO, "libsodium cannot start");
    char *detail = NULL;
    if (audit_detail == NULL) {
        json_t *j = json_pack("{s:s,s:s}", "name", name, "role", sol_role_name(role));
        detail = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        json_decref(j);
        if (detail == NULL)
            return sol__err(err, SOL_ENOMEM, "out of memory");
        audit_detail = detail;
    }
    /* hashed before the transaction: Argon2id takes tens of milliseconds, the write lock none */
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, password, password_len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        free(detail);
        return sol__err(err, SOL_ENOMEM, "hashing the password needs %zu MiB of memory",
                        (size_t)crypto_pwhash_MEMLIMIT_INTERACTIVE >> 20);
    }
    /* the account and its audit entry: both or neither */
    if ((rc = sol_store_begin(st, err)) == SOL_OK) {
        if ((rc = sol_store_account_add(st, name, sol_role_name(role), hash, created_by, err)) ==
                SOL_OK &&
            (rc = sol_store_audit_append(st, created_by, "account.add", audit_detail, err)) ==
                SOL_OK)
            rc = sol_store_commit(st, err);
        if (rc != SOL_OK)
            sol_store_rollback(st);
    }
    sodium_memzero(hash, sizeof hash);
    free(detail);
    return rc;
}

typedef struct found {
    char hash[crypto_pwhash_STRBYTES];
    char role[16];
    char name[SOL_MAX_ACCOUNT_NAME + 1];
} found;

static int on_account(void *ud, const sol_account *a)
{
    found *f = ud;
    snprintf(f->hash, sizeof f->hash, "%s", a->pwhash ? a->pwhash : "");
    snprintf(f->role, sizeof f->role, "%s", a->role ? a->role : "");
    snprintf(f->name, sizeof f->name, "%s", a->name ? a->name : "");
    return 1;
}

/* A hash of a password nobody knows, so an unknown name costs what a wrong password costs. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    char pw[32];
    randombytes_buf(pw, sizeof pw);
    if (crypto_pwhash_str(dummy_hash, pw, sizeof pw, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = '\0';
    sodium_memzero(pw, sizeof pw);
}

sol_status sol_auth_verify(sol_store *st, const char *name, const char *password,
                           size_t password_len, sol_role *role, sol_error *err)
{
    return sol_auth_verify_name(st, name, password, password_len, role, NULL, 0, err);
}

sol_status sol_auth_verify_name(sol_store *st, const char *name, const char *password,
                                size_t password_len, sol_role *role, char *canonical, size_t cap,
                                sol_error *err)
{
    if (sodium_init() < 0)
        return sol__err(err, SOL_EIO, "libsodium cannot start");
    /* made on the first call of any kind, so that no later answer pays for it */
    pthread_once(&dummy_once, make_dummy);
    found f;
    memset(&f, 0, sizeof f);
    sol_error e;
    sol_error_clear(&e);
    int known = 0;
    if (sol_auth_check_name(name, NULL) == SOL_OK) {
        sol_status rc = sol_store_account_get(st, name, on_account, &f, &e);
        if (rc == SOL_OK)
            known = 1;
        else if (rc != SOL_ENOTFOUND) {
            if (err)
                *err = e;
            return rc;
        }
    }
    /* The same work whatever the name and the length: one Argon2id verification of at most
     * SOL_MAX_PASSWORD bytes, against the account's hash or the dummy one. */
    int len_ok = password_len >= SOL_MIN_PASSWORD && password_len <= SOL_MAX_PASSWORD;
    size_t n = password_len > SOL_MAX_PASSWORD ? SOL_MAX_PASSWORD : password_len;
    const char *hash = known ? f.hash : dummy_hash;
    int match = hash[0] && crypto_pwhash_str_verify(hash, password, n) == 0;
    sodium_memzero(f.hash, sizeof f.hash);
    if (!known || !len_ok || !match)
        return sol__err(err, SOL_EDENIED, "wrong name or password");
    if (sol_role_parse(f.role, role, err) != SOL_OK)
        return SOL_ESTORE;
    if (canonical && cap)
        snprintf(canonical, cap, "%s", f.name);
    return SOL_OK;
}

void sol_auth_random_hex(char *out, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char b[64];
    if (sodium_init() < 0)
        abort(); /* randombytes would have no source: a broken invariant, not bad input */
    while (n > 0) {
        size_t k = n < sizeof b ? n : sizeof b;
        randombytes_buf(b, k);
        for (size_t i = 0; i < k; i++) {
            *out++ = hex[b[i] >> 4];
            *out++ = hex[b[i] & 15];
        }
        n -= k;
    }
    *out = '\0';
    sodium_memzero(b, sizeof b);
}
