/* buf.c - bounded growable byte buffers: input can never make one pass its stated cap. */
#include "core.h"

#include <stdio.h>
#include <string.h>

void sol__buf_init(sol_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->alloc = 0;
    b->max = max;
}

static sol_status grow(sol_buf *b, size_t need)
{
    if (need > b->max)
        return SOL_ELIMIT;
    if (need + 1 <= b->alloc)
        return SOL_OK;
    size_t a = b->alloc ? b->alloc : 64;
    while (a < need + 1)
        a *= 2;
    if (a > b->max + 1)
        a = b->max + 1;
    char *d = sol__realloc(b->data, a);
    if (d == NULL)
        return SOL_ENOMEM;
    b->data = d;
    b->alloc = a;
    return SOL_OK;
}

sol_status sol__buf_add(sol_buf *b, const void *p, size_t n)
{
    sol_status rc = grow(b, b->len + n);
    if (rc != SOL_OK)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return SOL_OK;
}

sol_status sol__buf_addc(sol_buf *b, char c)
{
    return sol__buf_add(b, &c, 1);
}

sol_status sol__buf_addf(sol_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return SOL_EINVAL;
    sol_status rc = grow(b, b->len + (size_t)n);
    if (rc != SOL_OK)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return SOL_OK;
}

void sol__buf_reset(sol_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void sol__buf_free(sol_buf *b)
{
    sol__free(b->data);
    b->data = NULL;
    b->len = b->alloc = 0;
}
