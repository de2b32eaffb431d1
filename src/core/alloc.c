/* alloc.c - the library's allocator, with deterministic fault injection (SOL_FAIL_ALLOC=N) in
 * the builds compiled with SOL_FAULT_INJECTION (tests and sanitizer builds, never a release). */
#include "core.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

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

void *sol__malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *sol__calloc(size_t count_, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(count_ ? count_ : 1, size ? size : 1);
}

void *sol__realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
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
