/* status.c - names and messages of status codes, and the caller-owned error detail. */
#include <solidata/status.h>

#include "core.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

const char *sol_strerror(sol_status s)
{
    switch (s) {
#define SOL__STATUS_MSG(name, code, msg)                                                           \
    case SOL_##name: return sol_gettext(msg);
        SOL_STATUS_MAP(SOL__STATUS_MSG)
#undef SOL__STATUS_MSG
    }
    return sol_gettext("unknown status");
}

const char *sol_errname(sol_status s)
{
    switch (s) {
#define SOL__STATUS_NAME(name, code, msg)                                                          \
    case SOL_##name: return "SOL_" #name;
        SOL_STATUS_MAP(SOL__STATUS_NAME)
#undef SOL__STATUS_NAME
    }
    return "SOL_UNKNOWN";
}

void sol_error_clear(sol_error *err)
{
    if (err == NULL)
        return;
    err->code = SOL_OK;
    err->where[0] = '\0';
    err->msg[0] = '\0';
}

void sol_error_format(const sol_error *err, char *buf, size_t n)
{
    if (n == 0)
        return;
    if (err == NULL) {
        buf[0] = '\0';
        return;
    }
    const char *msg = err->msg[0] ? err->msg : sol_strerror(err->code);
    if (err->where[0])
        snprintf(buf, n, "%s: %s", err->where, msg);
    else
        snprintf(buf, n, "%s", msg);
}

sol_status sol__err(sol_error *err, sol_status code, const char *fmt, ...)
{
    if (err == NULL)
        return code;
    err->code = code;
    err->where[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, sol_gettext(fmt), ap);
    va_end(ap);
    return code;
}

sol_status sol__err_at(sol_error *err, sol_status code, const char *file, unsigned long line,
                       unsigned long col, const char *fmt, ...)
{
    if (err == NULL)
        return code;
    err->code = code;
    if (file == NULL)
        file = "";
    if (line && col)
        snprintf(err->where, sizeof err->where, "%s:%lu:%lu", file, line, col);
    else if (line)
        snprintf(err->where, sizeof err->where, "%s:%lu", file, line);
    else
        snprintf(err->where, sizeof err->where, "%s", file);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, sol_gettext(fmt), ap);
    va_end(ap);
    return code;
}

void sol__err_where(sol_error *err, const char *file)
{
    if (err == NULL || err->where[0] || file == NULL)
        return;
    snprintf(err->where, sizeof err->where, "%s", file);
}

void sol__utc_now(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
