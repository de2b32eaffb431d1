/* solidata/auth.h - accounts and roles: who may read what, passwords hashed with Argon2id.
 * Thread safety: reentrant; account functions need one store handle per thread; password hashing
 * is CPU- and memory-bound (64 MiB per call). */
#ifndef SOL_AUTH_H
#define SOL_AUTH_H

#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Roles, ordered: each may do what the ones below it may. SOL_ROLE_ANON is a visitor who has not
 *  signed in; the server treats it as public for reading. */
typedef enum sol_role {
    SOL_ROLE_ANON = 0,
    SOL_ROLE_PUBLIC = 1,
    SOL_ROLE_ANALYST = 2,
    SOL_ROLE_ADMIN = 3
} sol_role;

/** "public", "analyst", "admin" (and "anonymous" for SOL_ROLE_ANON). Static, never NULL. */
SOL_API const char *sol_role_name(sol_role r);
/** Parse a role name; SOL_EINVAL (err says what is accepted) otherwise. "anonymous" is refused:
 *  it is not a role an account can have. */
SOL_API sol_status sol_role_parse(const char *s, sol_role *out, sol_error *err);

/** Check an account name: 1 to SOL_MAX_ACCOUNT_NAME bytes of letters, digits, '.', '_', '-',
 *  '@'. SOL_EINVAL with the reason otherwise. */
SOL_API sol_status sol_auth_check_name(const char *name, sol_error *err);

/** Create an account: the password (SOL_MIN_PASSWORD to SOL_MAX_PASSWORD bytes) is hashed with
 *  Argon2id (libsodium crypto_pwhash_str, interactive limits) and only the hash is stored. The
 *  account and its "account.add" audit entry (who = `created_by`, detail {"name","role"}) are
 *  written in one transaction: both or neither. Names are unique ignoring case ("adm" refuses
 *  "ADM"). `created_by` may be NULL. Errors: SOL_EINVAL (name, role or password),
 *  SOL_EDUPLICATE, SOL_ENOMEM (hashing needs 64 MiB), SOL_ESTORE (also when a transaction is
 *  already open on `st`). Thread-safe on distinct stores. */
SOL_API sol_status sol_auth_account_add(sol_store *st, const char *name, sol_role role,
                                        const char *password, size_t password_len,
                                        const char *created_by, sol_error *err);
/** sol_auth_account_add with the audit entry's detail given: `audit_detail` is a JSON object
 *  as text (copied; NULL = {"name","role"}). */
SOL_API sol_status sol_auth_account_add_audited(sol_store *st, const char *name, sol_role role,
                                                const char *password, size_t password_len,
                                                const char *created_by, const char *audit_detail,
                                                sol_error *err);

/** Check a name and password. SOL_OK with *role set when they match; SOL_EDENIED when the name is
 *  unknown or the password wrong or outside SOL_MIN_PASSWORD..SOL_MAX_PASSWORD bytes (one
 *  Argon2id verification of at most SOL_MAX_PASSWORD bytes either way, against a dummy hash for
 *  an unknown name, so the time does not say which); SOL_ESTORE. The name is matched ignoring
 *  case. */
SOL_API sol_status sol_auth_verify(sol_store *st, const char *name, const char *password,
                                   size_t password_len, sol_role *role, sol_error *err);
/** sol_auth_verify that also copies the account's name as stored (its case) into `canonical`
 *  (`cap` bytes, SOL_MAX_ACCOUNT_NAME + 1 suffice) on success. `canonical` may be NULL. */
SOL_API sol_status sol_auth_verify_name(sol_store *st, const char *name, const char *password,
                                        size_t password_len, sol_role *role, char *canonical,
                                        size_t cap, sol_error *err);

/** Fill `out` with 2*n lowercase hex characters of n random bytes (libsodium randombytes) and a
 *  NUL; `out` holds at least 2*n+1 bytes. Session ids and CSRF tokens. */
SOL_API void sol_auth_random_hex(char *out, size_t n);

#ifdef __cplusplus
}
#endif
#endif
