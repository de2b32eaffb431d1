/* test_auth.c - roles, account names, Argon2id accounts, verification, the audit log, tokens. */
#include "harness.h"
#include "test_util.h"

#include <solidata/auth.h>
#include <solidata/store.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *tmp_db(void)
{
    return test_store_new("auth.db");
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

/* ---- attacks on sign-in (red-team findings) -------------------------------------------------- */

#include <solidata/limits.h>
#include <solidata/server.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

static double now_secs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double verify_secs(sol_store *st, const char *name, const char *pw, size_t n)
{
    double best = 1e9;
    for (int i = 0; i < 3; i++) {
        sol_role r;
        double t = now_secs();
        sol_status rc = sol_auth_verify(st, name, pw, n, &r, NULL);
        t = now_secs() - t;
        if (rc != SOL_EDENIED)
            return -1;
        best = t < best ? t : best;
    }
    return best;
}

/* User enumeration by timing: a password over SOL_MAX_PASSWORD bytes was refused at once for a
 * known name and hashed for an unknown one (1 ms against 77-166 ms). */
TEST(verify_time_does_not_tell_known_names)
{
    sol_store *st = NULL;
    ASSERT_STATUS(sol_store_open(tmp_db(), &st, NULL), SOL_OK);
    ASSERT_STATUS(sol_auth_account_add(st, "ana", SOL_ROLE_ANALYST, "s3cret-pw", 9, "t", NULL),
                  SOL_OK);
    size_t n = 4 * SOL_MAX_PASSWORD;
    char *pw = malloc(n);
    ASSERT(pw != NULL);
    memset(pw, 'x', n);
    double known = verify_secs(st, "ana", pw, n), unknown = verify_secs(st, "nobody", pw, n);
    double known_short = verify_secs(st, "ana", "wrong-pw-1", 10);
    free(pw);
    sol_store_close(st);
    ASSERT(known > 0 && unknown > 0 && known_short > 0);
    fprintf(stderr, "  verify: known %.1f ms, unknown %.1f ms, known short %.1f ms\n", known * 1e3,
            unknown * 1e3, known_short * 1e3);
    ASSERT(known > 0.3 * unknown && unknown > 0.3 * known);
    ASSERT(known_short > 0.3 * unknown && unknown > 0.3 * known_short);
}

/* One HTTP/1.1 request over loopback with Connection: close: the status, the reply in out. */
static int http(unsigned port, const char *req, char *out, size_t cap)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {.tv_sec = 10};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    size_t len = strlen(req), got = 0;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        send(fd, req, len, 0) != (ssize_t)len) {
        close(fd);
        return -1;
    }
    ssize_t k;
    while (got + 1 < cap && (k = recv(fd, out + got, cap - 1 - got, 0)) > 0)
        got += (size_t)k;
    out[got] = '\0';
    close(fd);
    int status = -1;
    return sscanf(out, "HTTP/1.1 %d", &status) == 1 ? status : -1;
}

/* A login from `xff` (NULL: no X-Forwarded-For header). */
static int login(unsigned port, const char *xff, const char *name, const char *pw)
{
    char body[256], req[1024], out[4096], hdr[128] = "";
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"password\":\"%s\"}", name, pw);
    if (xff)
        snprintf(hdr, sizeof hdr, "X-Forwarded-For: %s\r\n", xff);
    snprintf(req, sizeof req,
             "POST /api/login HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: "
             "application/json\r\n%sContent-Length: %zu\r\n\r\n%s",
             hdr, strlen(body), body);
    return http(port, req, out, sizeof out);
}

static sol_server *serve_accounts(const char *proxy, unsigned request_s)
{
    const char *db = tmp_db();
    sol_store *st = NULL;
    if (sol_store_open(db, &st, NULL) != SOL_OK)
        return NULL;
    sol_status rc =
        sol_auth_account_add(st, "ana", SOL_ROLE_ANALYST, "analyst-pw-1", 12, "t", NULL);
    sol_store_close(st);
    if (rc != SOL_OK)
        return NULL;
    sol_server_opts o = {
        .db_path = db, .trusted_proxy = proxy, .request_timeout_s = request_s, .timeout_s = 5};
    sol_server *s = NULL;
    return sol_server_start(&o, &s, NULL) == SOL_OK ? s : NULL;
}

/* Behind the recommended proxy every client has the proxy's address: five bad tries locked
 * everyone out. From the configured proxy, the client is the last X-Forwarded-For entry. */
TEST(login_limit_per_client_behind_trusted_proxy)
{
    sol_server *s = serve_accounts("127.0.0.1", 0);
    ASSERT(s != NULL);
    unsigned port = sol_server_port(s);
    for (int i = 0; i < 5; i++)
        ASSERT_EQ(login(port, "10.0.0.1", "ana", "wrong-pw-1"), 401);
    ASSERT_EQ(login(port, "10.0.0.1", "ana", "analyst-pw-1"), 429);
    /* another client of the proxy (a forged first entry does not matter) */
    ASSERT_EQ(login(port, "10.0.0.1, 10.0.0.2", "ana", "analyst-pw-1"), 200);
    sol_server_stop(s);
    /* with no trusted proxy the header is the client's word, and ignored */
    s = serve_accounts(NULL, 0);
    ASSERT(s != NULL);
    port = sol_server_port(s);
    for (int i = 0; i < 5; i++)
        ASSERT_EQ(login(port, "10.0.0.1", "ana", "wrong-pw-1"), 401);
    ASSERT_EQ(login(port, "10.0.0.2", "ana", "analyst-pw-1"), 429);
    sol_server_stop(s);
}

/* Guessing one account's password from many addresses is limited too (per account). */
TEST(login_limit_per_account_across_addresses)
{
    sol_server *s = serve_accounts("127.0.0.1", 0);
    ASSERT(s != NULL);
    unsigned port = sol_server_port(s);
    char ip[32];
    for (unsigned i = 0; i < SOL_LOGIN_MAX_ACCOUNT_FAILURES; i++) {
        snprintf(ip, sizeof ip, "10.0.1.%u", 1 + i / 4);
        ASSERT_EQ(login(port, ip, i % 2 ? "ana" : "ANA", "wrong-pw-1"), 401);
    }
    ASSERT_EQ(login(port, "10.0.2.1", "ana", "wrong-pw-1"), 429);
    ASSERT_EQ(login(port, "10.0.2.2", "Ana", "analyst-pw-1"), 429);
    /* other accounts are not locked */
    ASSERT_EQ(login(port, "10.0.2.3", "bob", "wrong-pw-1"), 401);
    sol_server_stop(s);
}

/* Slow trickle: a byte every 300 ms resets the idle timeout forever; the request deadline
 * (2 s here) closes the connection anyway. */
TEST(slow_trickle_request_is_cut_at_the_deadline)
{
    sol_server *s = serve_accounts(NULL, 2);
    ASSERT(s != NULL);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)sol_server_port(s));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    const char *head = "GET /api/health HTTP/1.1\r\nHost: t\r\nX-Slow: ";
    ok = ok && send(fd, head, strlen(head), MSG_NOSIGNAL) == (ssize_t)strlen(head);
    double t0 = now_secs(), closed_at = -1;
    while (ok && now_secs() - t0 < 8) {
        struct timespec pause = {.tv_nsec = 300000000};
        nanosleep(&pause, NULL);
        struct pollfd p = {.fd = fd, .events = POLLIN};
        char c;
        if (send(fd, "a", 1, MSG_NOSIGNAL) != 1 ||
            (poll(&p, 1, 0) == 1 && recv(fd, &c, 1, MSG_DONTWAIT) <= 0)) {
            closed_at = now_secs() - t0;
            break;
        }
    }
    if (fd >= 0)
        close(fd);
    sol_server_stop(s);
    ASSERT(ok);
    ASSERT(closed_at > 0 && closed_at < 5);
}
