/* core.h - internal helpers every module may use: allocation with fault injection, error detail,
 * bounded buffers, a string-to-integer map. Not installed; the public API never exposes these. */
#ifndef SOL_CORE_H
#define SOL_CORE_H

#include <solidata/i18n.h>
#include <solidata/limits.h>
#include <solidata/status.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* ---- allocation -------------------------------------------------------------------------- */
/* All library allocations go through these. In a build with SOL_FAULT_INJECTION (the sanitizer
 * build that `make check` and `make check-oom` run), SOL_FAIL_ALLOC=N in the environment makes
 * the Nth allocation (counting from 1) fail, so tests can prove every path handles SOL_ENOMEM;
 * other builds never read it. */
void *sol__malloc(size_t n);
void *sol__calloc(size_t count, size_t size);
void *sol__realloc(void *p, size_t n);
char *sol__strdup(const char *s);
char *sol__strndup(const char *s, size_t n);
void sol__free(void *p);
/* Free n buffers (any may be NULL): the fields of a struct in one call. */
void sol__free_n(size_t n, ...);
/** Re-read SOL_FAIL_ALLOC and reset the counter (tests call this between runs). */
void sol__alloc_reset(void);
/* 1 when this build can inject allocation failures (compiled with SOL_FAULT_INJECTION). */
int sol__alloc_injection(void);

/* ---- messages a person reads (i18n.h; extracted by tools/i18n-extract.sh) ----------------- */
/* _("...") translates now; N_("...") marks a string translated later (a table entry); P_(ctx, s)
 * a short word with a context. The error helpers below translate their format themselves. */
#define _(s)     sol_gettext(s)
#define N_(s)    s
#define P_(c, s) sol_pgettext(c, s)

/* ---- error detail ------------------------------------------------------------------------ */
/* Fill `err` (may be NULL) and return `code`, so a failure reads `return sol__err(err, ...)`. */
sol_status sol__err(sol_error *err, sol_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Open the shared library `soname` (from Debian's `package`, named in the message when it is
 * missing) and resolve `n` functions `names` into `slots`: SOL_OK, or SOL_EIO saying which is
 * missing. src/core/dl.c says why some libraries are loaded only when needed. */
sol_status sol__dl_bind(const char *soname, const char *package, const char *const *names,
                        void (**slots)(void), size_t n, sol_error *err);
/* Same, with a location: line/col 0 are left out of "file:line:col". */
sol_status sol__err_at(sol_error *err, sol_status code, const char *file, unsigned long line,
                       unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Prefix an existing error's `where` with a file name when it has none. */
void sol__err_where(sol_error *err, const char *file);

/* ---- bounded growable byte buffer (curl's dynbuf) ------------------------------------------ */
typedef struct sol_buf {
    char *data; /* NUL-terminated while len < cap; owned */
    size_t len;
    size_t alloc;
    size_t max; /* hard cap in bytes, excluding the terminating NUL */
} sol_buf;

void sol__buf_init(sol_buf *b, size_t max);
/* SOL_ELIMIT when the cap would be passed (buffer unchanged), SOL_ENOMEM on allocation failure. */
sol_status sol__buf_add(sol_buf *b, const void *p, size_t n);
sol_status sol__buf_addc(sol_buf *b, char c);
sol_status sol__buf_addf(sol_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sol__buf_reset(sol_buf *b);
void sol__buf_free(sol_buf *b);

/* ---- string -> int64 map (open addressing, keys copied) ------------------------------------ */
typedef struct sol_strmap sol_strmap;
sol_strmap *sol__strmap_new(size_t hint);
void sol__strmap_free(sol_strmap *m);
/* Returns 1 and sets *val when found, 0 when not. */
int sol__strmap_get(const sol_strmap *m, const char *key, size_t len, int64_t *val);
/* Insert or overwrite. SOL_ENOMEM on failure. */
sol_status sol__strmap_put(sol_strmap *m, const char *key, size_t len, int64_t val);
size_t sol__strmap_count(const sol_strmap *m);

/* ---- text ------------------------------------------------------------------------------- */
/* Index of the first byte of an invalid UTF-8 sequence in s[0..n), or n when valid. */
size_t sol__utf8_invalid_at(const char *s, size_t n);
/* Parse a decimal number, surrounding blanks allowed. `comma_ok` accepts ',' as the decimal
 * separator. Returns SOL_OK, or SOL_ETYPE when s is not a finite number. */
sol_status sol__parse_double(const char *s, size_t n, int comma_ok, double *out);
/* 1 when s[0..n) (blanks trimmed) is a missing-value marker: "", "NA", "..", ":", "NaN". */
int sol__is_missing(const char *s, size_t n);
/* Append s as one CSV text field: quoted when it holds a comma, quote, CR or LF (quotes doubled),
 * and, when it starts with '=', '+', '-', '@', a tab or a CR (a spreadsheet formula), quoted with
 * a single quote put before it (OWASP CSV injection). NULL appends nothing. Numbers are not text:
 * write them without this guard. SOL_ELIMIT/SOL_ENOMEM from the buffer (the field may be cut). */
sol_status sol__csv_text(sol_buf *b, const char *s);
/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ" into buf (>= 21 bytes). */
void sol__utc_now(char *buf, size_t n);

#endif
