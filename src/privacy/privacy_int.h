/* privacy_int.h - private to src/privacy: a buffered CSV writer over a sol_write_fn, and the
 * 128-bit integers of the exact samplers. */
#ifndef SOL_PRIVACY_INT_H
#define SOL_PRIVACY_INT_H

#include <solidata/privacy.h>

#include "core/core.h"

__extension__ typedef unsigned __int128 sol__u128;

typedef struct sol__wbuf {
    sol_write_fn fn;
    void *ud;
    size_t n;
    sol_status rc; /* first write error; later writes are skipped */
    char buf[1u << 16];
} sol__wbuf;

void sol__wbuf_init(sol__wbuf *w, sol_write_fn fn, void *ud);
void sol__wbuf_put(sol__wbuf *w, const char *s, size_t n);
/* One CSV field, quoted when it holds a comma, quote, CR or LF; then ',' or '\n' when last. */
void sol__wbuf_field(sol__wbuf *w, const char *s, size_t n, int last);
/* Flush; returns the first error met (SOL_OK when none). */
sol_status sol__wbuf_flush(sol__wbuf *w, sol_error *err);

/* Uniform 128-bit integer in [0, n), n >= 1. */
sol__u128 sol__rng_below128(sol_rng *r, sol__u128 n);
/* Bernoulli(num/den) and Bernoulli(exp(-num/den)) on 128-bit rationals. */
int sol__bern128(sol_rng *r, sol__u128 num, sol__u128 den);
int sol__bern_exp128(sol_rng *r, sol__u128 num, sol__u128 den);

#endif
