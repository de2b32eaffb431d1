/* fuzz_http.c - libFuzzer target: any bytes as a raw HTTP request (request line, headers, query
 * string, body) to a real server on 127.0.0.1, started once on a scratch store with one account;
 * the reply is read to the end under a short timeout. */
#include <solidata/auth.h>
#include <solidata/server.h>
#include <solidata/store.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT (64u << 10)

static sol_server *server;
static unsigned port;
static char db_path[256];

static void stop(void)
{
    sol_server_stop(server);
    unlink(db_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = getenv("TMPDIR");
    snprintf(db_path, sizeof db_path, "%s/fuzz_http.%ld.db", dir ? dir : "/tmp", (long)getpid());
    unlink(db_path);
    sol_store *st = NULL;
    if (sol_store_open(db_path, &st, NULL) != SOL_OK)
        abort();
    sol_auth_account_add(st, "ana", SOL_ROLE_ADMIN, "analyst-pw-1", 12, "fuzz", NULL);
    sol_store_close(st);
    /* short timeouts: a request the server cannot complete (an unknown transfer coding, a
     * truncated body) ends at the deadline, and the fuzzer waits for it */
    sol_server_opts o = {.db_path = db_path,
                         .threads = 2,
                         .timeout_s = 1,
                         .request_timeout_s = 1,
                         .trusted_proxy = "127.0.0.1"};
    if (sol_server_start(&o, &server, NULL) != SOL_OK)
        abort();
    port = sol_server_port(server);
    atexit(stop);
    return 0;
}

/* Read one reply: its headers, then Content-Length bytes of body (none for HEAD, 1xx, 204 and
 * 304), or to the end when it has no length. A keep-alive server would otherwise hold the
 * connection open until the timeout. */
static void read_reply(int fd, int head)
{
    static char buf[1 << 20];
    size_t got = 0, need = 0;
    int have_head = 0;
    ssize_t k;
    while (got < sizeof buf - 1 && (k = recv(fd, buf + got, sizeof buf - 1 - got, 0)) > 0) {
        got += (size_t)k;
        buf[got] = '\0';
        if (!have_head) {
            char *end = strstr(buf, "\r\n\r\n");
            if (end == NULL)
                continue;
            have_head = 1;
            int status = 0;
            sscanf(buf, "HTTP/1.%*d %d", &status);
            const char *cl = strstr(buf, "Content-Length: ");
            size_t len = cl && cl < end ? strtoul(cl + 16, NULL, 10) : (size_t)-1;
            if (head || status < 200 || status == 204 || status == 304)
                len = 0;
            if (len == (size_t)-1)
                need = sizeof buf; /* no length: read to the end */
            else
                need = (size_t)(end + 4 - buf) + len;
        }
        if (have_head && got >= need)
            return;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        size = MAX_INPUT;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    struct timeval tv = {.tv_sec = 3};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
        size_t sent = 0;
        while (sent < size) {
            ssize_t k = send(fd, data + sent, size - sent, MSG_NOSIGNAL);
            if (k <= 0)
                break;
            sent += (size_t)k;
        }
        shutdown(fd, SHUT_WR); /* the request ends here: the server must answer or close */
        read_reply(fd, size >= 4 && memcmp(data, "HEAD", 4) == 0);
    }
    close(fd);
    return 0;
}
