/* format.c - numbers for people: fixed decimals, optional thousands grouping, a chosen decimal
 * mark, a true minus sign; and the decimals that tell a set of class breaks apart. */
#include <solidata/render.h>

#include "core/core.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

sol_status sol_render_format_number(double x, int decimals, const char *thousands,
                                    char decimal_mark, char *buf, size_t n)
{
    if (buf == NULL || n == 0)
        return SOL_ELIMIT;
    buf[0] = '\0';
    if (isnan(x)) { /* in the thread's language, as sol_lang_number says it */
        const char *nd = _("no data");
        snprintf(buf, n, "%s", nd);
        return strlen(nd) < n ? SOL_OK : SOL_ELIMIT;
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > 17)
        decimals = 17;
    char raw[400];
    int w = snprintf(raw, sizeof raw, "%.*f", decimals, fabs(x));
    if (w < 0 || (size_t)w >= sizeof raw)
        return SOL_ELIMIT;
    /* "-0.0" is not a number people write: only a value that shows non-zero digits gets a sign */
    int negative = x < 0 && strspn(raw, "0.") != strlen(raw);
    const char *dot = strchr(raw, '.');
    size_t intlen = dot ? (size_t)(dot - raw) : strlen(raw);
    size_t tl = thousands ? strlen(thousands) : 0;
    char tmp[800];
    size_t o = 0;
    if (negative) {
        memcpy(tmp + o, "\xE2\x88\x92", 3); /* U+2212 MINUS SIGN */
        o += 3;
    }
    for (size_t i = 0; i < intlen; i++) {
        if (tl > 0 && i > 0 && (intlen - i) % 3 == 0) {
            if (o + tl >= sizeof tmp)
                return SOL_ELIMIT;
            memcpy(tmp + o, thousands, tl);
            o += tl;
        }
        if (o + 1 >= sizeof tmp)
            return SOL_ELIMIT;
        tmp[o++] = raw[i];
    }
    if (dot) {
        if (o + strlen(dot) + 1 >= sizeof tmp)
            return SOL_ELIMIT;
        tmp[o++] = decimal_mark ? decimal_mark : '.';
        for (const char *p = dot + 1; *p; p++)
            tmp[o++] = *p;
    }
    tmp[o] = '\0';
    size_t cp = o < n - 1 ? o : n - 1;
    memcpy(buf, tmp, cp);
    buf[cp] = '\0';
    return o < n ? SOL_OK : SOL_ELIMIT;
}

int sol_render_auto_decimals(const sol_breaks *b)
{
    if (b == NULL || b->nclasses == 0)
        return 0;
    double gap = INFINITY;
    for (size_t i = 0; i < b->nclasses; i++) {
        double g = b->brk[i + 1] - b->brk[i];
        if (g > 0 && g < gap)
            gap = g;
    }
    int d = 0;
    if (isfinite(gap)) {
        d = 1 - (int)floor(log10(gap));
        if (d < 0)
            d = 0;
        if (d > 6)
            d = 6;
    }
    for (; d < 6; d++) { /* raise until distinct breaks print differently */
        int clash = 0;
        for (size_t i = 0; i < b->nclasses && !clash; i++) {
            if (b->brk[i + 1] == b->brk[i])
                continue;
            char a[64], c[64];
            snprintf(a, sizeof a, "%.*f", d, b->brk[i]);
            snprintf(c, sizeof c, "%.*f", d, b->brk[i + 1]);
            clash = strcmp(a, c) == 0;
        }
        if (!clash)
            break;
    }
    return d;
}
