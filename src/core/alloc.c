/* alloc.c - the library's allocator, with deterministic fault injection (SOL_FAIL_ALLOC=N) in
 * the builds compiled with SOL_FAULT_INJECTION (tests and sanitizer builds, never a release). */
#define _DEFAULT_SOURCE /* madvise's MADV_HUGEPAGE */
#include "core.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifdef SOL_FAULT_INJECTION
static atomic_long fail_at = -1; /* -1: not read yet; 0: never fail */
static atomic_long count;

int sol__alloc_injection(void)
{
    return 1;
}

void sol__alloc_reset(void)
{
    const char *s = getenv("SOL_FAIL_ALLOC");
    long n = 0;
    if (s != NULL) {
        char *end;
        n = strtol(s, &end, 10);
        if (*end != '\0' || n < 0)
            n = 0;
    }
    atomic_store(&count, 0);
    atomic_store(&fail_at, n);
}

static int should_fail(void)
{
    long f = atomic_load(&fail_at);
    if (f < 0) {
        sol__alloc_reset();
        f = atomic_load(&fail_at);
    }
    if (f == 0)
        return 0;
    return atomic_fetch_add(&count, 1) + 1 == f;
}
#else
int sol__alloc_injection(void)
{
    return 0;
}

void sol__alloc_reset(void)
{
}

static int should_fail(void)
{
    return 0;
}
#endif

/* Blocks of 8 MB and more (the columns and sort buffers of 10-million-row microdata, an import's
 * batches) are backed by 2 MB pages where the kernel leaves that to madvise (Debian's default):
 * 512 times fewer page faults on fresh memory, and fewer TLB misses in the scattered writes of a
 * radix sort. A hint only: a kernel that refuses it changes nothing. */
#define HUGE_MIN ((size_t)8 << 20)
static void *advise_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    if (p != NULL && n >= HUGE_MIN) {
        uintptr_t b = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
        uintptr_t e = ((uintptr_t)p + n) & ~(uintptr_t)4095;
        (void)madvise((void *)b, e - b, MADV_HUGEPAGE);
    }
#else
    (void)n;
#endif
    return p;
}

void *sol__malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return advise_huge(malloc(n ? n : 1), n);
}

void *sol__calloc(size_t count_, size_t size)
{
    if (should_fail())
        return NULL;
    void *p = calloc(count_ ? count_ : 1, size ? size : 1);
    /* a product that overflows made calloc fail: p is NULL and the size is not looked at */
    return advise_huge(p, p != NULL && count_ <= SIZE_MAX / (size ? size : 1) ? count_ * size : 0);
}

void *sol__realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return advise_huge(realloc(p, n ? n : 1), n);
}

char *sol__strndup(const char *s, size_t n)
{
    char *d = sol__malloc(n + 1);
    if (d == NULL)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *sol__strdup(const char *s)
{
    return s ? sol__strndup(s, strlen(s)) : NULL;
}

void sol__free(void *p)
{
    free(p);
}

void sol__free_n(size_t n, ...)
{
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        free(va_arg(ap, void *));
    va_end(ap);
}

void sol_free(void *p)
{
    free(p);
}
