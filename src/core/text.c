/* text.c - UTF-8 validation, locale-independent number parsing, missing-value markers, CSV text
 * fields guarded against spreadsheet formulas. */
#include "core.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

size_t sol__utf8_invalid_at(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned min;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            min = 0x10000;
        } else {
            return i;
        }
        unsigned cp = c & (0x3Fu >> need);
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= n || (s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += need + 1;
    }
    return n;
}

static const double pow10_tab[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

sol_status sol__parse_double(const char *s, size_t n, int comma_ok, double *out)
{
    while (n && is_blank(*s)) {
        s++;
        n--;
    }
    while (n && is_blank(s[n - 1]))
        n--;
    if (n == 0 || n > 64)
        return SOL_ETYPE;

    /* Fast path (Clinger): [+-]digits[.digits] with at most 15 significant digits is exact. */
    size_t i = 0;
    int neg = 0;
    if (s[i] == '-' || s[i] == '+')
        neg = s[i++] == '-';
    uint64_t mant = 0;
    int digits = 0, frac = 0, seen_sep = 0, any = 0;
    for (; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            any = 1;
            if (mant == 0 && c == '0' && !seen_sep)
                continue;
            mant = mant * 10 + (uint64_t)(c - '0');
            if (mant)
                digits++;
            if (seen_sep)
                frac++;
        } else if ((c == '.' || (c == ',' && comma_ok)) && !seen_sep) {
            seen_sep = 1;
        } else {
            break;
        }
    }
    if (i == n && any && digits <= 15 && frac <= 22) {
        double v = (double)mant / pow10_tab[frac];
        *out = neg ? -v : v;
        return SOL_OK;
    }

    /* General path: strtod on a '.'-normalised copy (the C locale is assumed, never changed). */
    char tmp[80];
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    if (comma_ok) {
        char *c = strchr(tmp, ',');
        if (c != NULL) {
            if (strchr(tmp, '.') != NULL)
                return SOL_ETYPE; /* "1.234,5": thousands separators are ambiguous */
            *c = '.';
        }
    }
    /* strtod accepts hex, "inf" and "nan": we accept decimal notation only. */
    for (const char *p = tmp; *p; p++)
        if (!strchr("0123456789+-.eE", *p))
            return SOL_ETYPE;
    char *end;
    errno = 0;
    double v = strtod(tmp, &end);
    if (end == tmp || *end != '\0' || !isfinite(v))
        return SOL_ETYPE;
    *out = v;
    return SOL_OK;
}

int sol__is_missing(const char *s, size_t n)
{
    while (n && is_blank(*s)) {
        s++;
        n--;
    }
    while (n && is_blank(s[n - 1]))
        n--;
    if (n == 0)
        return 1;
    static const char *const marks[] = {"NA", "..", ":", "NaN", "nan", "N/A", "n/a"};
    for (size_t k = 0; k < sizeof marks / sizeof *marks; k++)
        if (strlen(marks[k]) == n && memcmp(marks[k], s, n) == 0)
            return 1;
    return 0;
}

sol_status sol__csv_text(sol_buf *b, const char *s)
{
    if (s == NULL)
        return SOL_OK;
    /* OWASP CSV injection: a cell starting with one of these is a formula (or becomes one after
     * the spreadsheet trims it), so it is quoted and prefixed with a single quote. */
    int formula = *s != '\0' && strchr("=+-@\t\r", *s) != NULL;
    if (!formula && strpbrk(s, ",\"\r\n") == NULL)
        return sol__buf_add(b, s, strlen(s));
    sol_status rc = sol__buf_addc(b, '"');
    if (rc == SOL_OK && formula)
        rc = sol__buf_addc(b, '\'');
    for (const char *q; rc == SOL_OK && (q = strchr(s, '"')) != NULL; s = q + 1)
        if ((rc = sol__buf_add(b, s, (size_t)(q - s) + 1)) == SOL_OK)
            rc = sol__buf_addc(b, '"');
    if (rc == SOL_OK)
        rc = sol__buf_add(b, s, strlen(s));
    if (rc == SOL_OK)
        rc = sol__buf_addc(b, '"');
    return rc;
}
