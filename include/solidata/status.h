/* solidata/status.h - status codes and error detail shared by every module.
 * Thread safety: every function here is thread-safe. */
#ifndef SOL_STATUS_H
#define SOL_STATUS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define SOL_API __attribute__((visibility("default")))
#else
#define SOL_API
#endif

/* One table gives the codes, their names and their messages (libuv's UV_ERRNO_MAP). */
#define SOL_STATUS_MAP(X)                                                                          \
    X(OK, 0, "success")                                                                            \
    X(EOF, 1, "end of input")                                                                      \
    X(EINVAL, -1, "invalid argument")                                                              \
    X(ENOMEM, -2, "out of memory")                                                                 \
    X(EIO, -3, "input/output error")                                                               \
    X(EPARSE, -4, "malformed input")                                                               \
    X(ELIMIT, -5, "input exceeds a size limit")                                                    \
    X(ENOTFOUND, -6, "not found")                                                                  \
    X(EDUPLICATE, -7, "duplicate entry")                                                           \
    X(ESTORE, -8, "store error")                                                                   \
    X(ENOTSTORE, -9, "not a solidata store")                                                       \
    X(EVERSION, -10, "unsupported store version")                                                  \
    X(EGEO, -11, "geodata error")                                                                  \
    X(ENUMERIC, -12, "numerical failure")                                                          \
    X(EUNKNOWNAREA, -13, "unknown area code")                                                      \
    X(EENCODING, -14, "invalid text encoding")                                                     \
    X(ETYPE, -15, "wrong value type")                                                              \
    X(EDENIED, -16, "permission denied")                                                           \
    X(EBUSY, -17, "the store is busy")

typedef enum sol_status {
#define SOL__STATUS_ENUM(name, code, msg) SOL_##name = code,
    SOL_STATUS_MAP(SOL__STATUS_ENUM)
#undef SOL__STATUS_ENUM
} sol_status;

/** Human message for a status. Static string, never NULL. Thread-safe. */
SOL_API const char *sol_strerror(sol_status s);
/** Symbolic name of a status ("SOL_EPARSE"). Static string, never NULL. Thread-safe. */
SOL_API const char *sol_errname(sol_status s);

#define SOL_ERROR_WHERE_MAX 512
#define SOL_ERROR_MSG_MAX   1024

/** Optional, caller-owned detail of a failure. Every function taking `sol_error *err` accepts NULL.
 *  `where` is "file", "file:line" or "file:line:column"; `msg` says what was expected and, where
 *  we can, how to fix it. */
typedef struct sol_error {
    sol_status code;
    char where[SOL_ERROR_WHERE_MAX];
    char msg[SOL_ERROR_MSG_MAX];
} sol_error;

/** Reset `err` to SOL_OK with empty strings. NULL is a no-op. */
SOL_API void sol_error_clear(sol_error *err);

/** Format "where: msg" (or "msg" when `where` is empty) into `buf`; always NUL-terminated. */
SOL_API void sol_error_format(const sol_error *err, char *buf, size_t n);

/** Free a buffer that the library returned through an out-parameter (a JSON or CSV text, an SVG,
 *  a PNG or PDF in memory): the one rule for every buffer whose header says "free with
 *  sol_free". Structs the library allocates have their own `_free`. NULL is a no-op.
 *  Thread-safe. */
SOL_API void sol_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
