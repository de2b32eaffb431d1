/* i18n.c - message catalogues: the GNU .mo files msgfmt made from po/LANG.po at build time, embedded
 * by tools/embed-catalogs.sh (sol__catalogs), looked up by binary search on their sorted
 * originals. The plural rules are the languages' own (Italian and English: one for n == 1;
 * French: one for n <= 1); tools/check-i18n.sh checks each .po's Plural-Forms says the same. */
#include "core.h"

#include <solidata/i18n.h>

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

struct sol__catalog {
    const char *lang;
    const unsigned char *data;
    size_t len;
};
extern const struct sol__catalog sol__catalogs[];

static const char *const CODES[SOL_LANG_COUNT] = {"en", "fr", "it"};

/* One catalogue as read from its .mo image: n sorted originals and their translations. */
typedef struct mo {
    const unsigned char *data;
    size_t len;
    uint32_t n, orig, trans;
    int swap;
    int ok;
} mo;

static mo g_mo[SOL_LANG_COUNT];
static once_flag g_once = ONCE_FLAG_INIT;
static atomic_int g_default = SOL_LANG_EN;
static _Thread_local int t_lang = -1;

static uint32_t rd32(const mo *m, size_t off)
{
    uint32_t v;
    memcpy(&v, m->data + off, 4);
    if (m->swap)
        v = (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
    return v;
}

/* The string of entry i of table `tab`, checked to lie inside the image and end with NUL. */
static const char *entry(const mo *m, uint32_t tab, uint32_t i, uint32_t *len)
{
    uint32_t l = rd32(m, (size_t)tab + 8u * i), off = rd32(m, (size_t)tab + 8u * i + 4);
    if ((size_t)off + l >= m->len || m->data[(size_t)off + l] != '\0')
        return NULL;
    if (len)
        *len = l;
    return (const char *)m->data + off;
}

static void load_one(mo *m, const unsigned char *data, size_t len)
{
    memset(m, 0, sizeof *m);
    if (len < 28)
        return;
    uint32_t magic;
    memcpy(&magic, data, 4);
    if (magic == 0x950412deu)
        m->swap = 0;
    else if (magic == 0xde120495u)
        m->swap = 1;
    else
        return;
    m->data = data;
    m->len = len;
    m->n = rd32(m, 8);
    m->orig = rd32(m, 12);
    m->trans = rd32(m, 16);
    if (m->n > len / 16 || (size_t)m->orig + 8u * (size_t)m->n > len ||
        (size_t)m->trans + 8u * (size_t)m->n > len)
        return;
    for (uint32_t i = 0; i < m->n; i++)
        if (entry(m, m->orig, i, NULL) == NULL || entry(m, m->trans, i, NULL) == NULL)
            return;
    m->ok = 1;
}

static void load_all(void)
{
    for (const struct sol__catalog *c = sol__catalogs; c->lang; c++)
        for (int l = 1; l < SOL_LANG_COUNT; l++)
            if (strcmp(c->lang, CODES[l]) == 0)
                load_one(&g_mo[l], c->data, c->len);
}

/* The translation of key (an original as the .mo stores it: "ctx\4msgid", "msgid") in l, and
 * its length (plural forms are NUL-separated inside it); NULL when absent or empty. */
static const char *find(sol_lang l, const char *key, uint32_t *tlen)
{
    if ((int)l <= 0 || (int)l >= SOL_LANG_COUNT || key == NULL)
        return NULL;
    call_once(&g_once, load_all);
    const mo *m = &g_mo[l];
    if (!m->ok)
        return NULL;
    uint32_t lo = 0, hi = m->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(key, entry(m, m->orig, mid, NULL));
        if (c == 0) {
            const char *t = entry(m, m->trans, mid, tlen);
            return t && t[0] ? t : NULL;
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const char *sol_lang_code(sol_lang l)
{
    return (int)l >= 0 && (int)l < SOL_LANG_COUNT ? CODES[l] : "en";
}

const char *sol_lang_list(void)
{
    return "en, fr, it";
}

/* The language part of a locale or tag: letters before '_', '-', '.', '@'. */
static int lang_of(const char *s, sol_lang *out)
{
    char code[4];
    size_t n = 0;
    while (s[n] && isalpha((unsigned char)s[n]) && n < 3) {
        code[n] = (char)tolower((unsigned char)s[n]);
        n++;
    }
    if (n != 2 || (s[n] && !strchr("_-.@", s[n])))
        return 0;
    code[n] = '\0';
    for (int l = 0; l < SOL_LANG_COUNT; l++)
        if (strcmp(code, CODES[l]) == 0) {
            *out = (sol_lang)l;
            return 1;
        }
    return 0;
}

sol_status sol_lang_parse(const char *code, sol_lang *out, sol_error *err)
{
    if (code && lang_of(code, out))
        return SOL_OK;
    return sol__err(err, SOL_EINVAL, "unknown language '%s': expected one of %s",
                    code ? code : "", sol_lang_list());
}

sol_lang sol_lang_from_env(void)
{
    sol_lang l;
    const char *v = getenv("LANGUAGE");
    while (v && *v) {
        if (lang_of(v, &l))
            return l;
        v = strchr(v, ':');
        v = v ? v + 1 : NULL;
    }
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        v = getenv(vars[i]);
        if (v && *v)
            return lang_of(v, &l) ? l : SOL_LANG_EN;
    }
    return SOL_LANG_EN;
}

void sol_lang_set_default(sol_lang l)
{
    atomic_store(&g_default, (int)l >= 0 && (int)l < SOL_LANG_COUNT ? (int)l : 0);
}

void sol_lang_set_thread(int l)
{
    t_lang = l >= 0 && l < SOL_LANG_COUNT ? l : -1;
}

sol_lang sol_lang_current(void)
{
    return (sol_lang)(t_lang >= 0 ? t_lang : atomic_load(&g_default));
}

const char *sol_lgettext(sol_lang l, const char *msgid)
{
    const char *t = find(l, msgid, NULL);
    return t ? t : msgid;
}

const char *sol_gettext(const char *msgid)
{
    return sol_lgettext(sol_lang_current(), msgid);
}

const char *sol_lngettext(sol_lang l, const char *one, const char *many, unsigned long n)
{
    int plural = l == SOL_LANG_FR ? n > 1 : n != 1;
    uint32_t len;
    const char *t = find(l, one, &len);
    if (t == NULL)
        return plural ? many : one;
    if (!plural)
        return t;
    size_t first = strlen(t);
    return first < len ? t + first + 1 : t;
}

const char *sol_ngettext(const char *one, const char *many, unsigned long n)
{
    return sol_lngettext(sol_lang_current(), one, many, n);
}

const char *sol_lpgettext(sol_lang l, const char *ctx, const char *msgid)
{
    char key[512];
    size_t c = strlen(ctx), m = strlen(msgid);
    if ((int)l <= 0 || c + m + 2 > sizeof key)
        return msgid;
    memcpy(key, ctx, c);
    key[c] = '\4';
    memcpy(key + c + 1, msgid, m + 1);
    const char *t = find(l, key, NULL);
    return t ? t : msgid;
}

const char *sol_pgettext(const char *ctx, const char *msgid)
{
    return sol_lpgettext(sol_lang_current(), ctx, msgid);
}

/* ---- numbers and dates ----------------------------------------------------------------------- */

#define NNBSP "\xE2\x80\xAF" /* U+202F NARROW NO-BREAK SPACE */
#define MINUS "\xE2\x88\x92" /* U+2212 MINUS SIGN */

static sol_status put(char *buf, size_t n, const char *s, size_t len)
{
    if (buf == NULL || n == 0)
        return SOL_ELIMIT;
    size_t cp = len < n ? len : n - 1;
    memcpy(buf, s, cp);
    buf[cp] = '\0';
    return len < n ? SOL_OK : SOL_ELIMIT;
}

char sol_lang_decimal_mark(sol_lang l)
{
    return l == SOL_LANG_EN ? '.' : ',';
}

sol_status sol_lang_number(sol_lang l, double x, int decimals, int group, char *buf, size_t n)
{
    if (isnan(x)) {
        const char *t = sol_lpgettext(l, "value", "no data");
        return put(buf, n, t, strlen(t));
    }
    if (isinf(x)) {
        const char *t = x > 0 ? "\xE2\x88\x9E" : MINUS "\xE2\x88\x9E";
        return put(buf, n, t, strlen(t));
    }
    decimals = decimals < 0 ? 0 : decimals > 17 ? 17 : decimals;
    char raw[400];
    int w = snprintf(raw, sizeof raw, "%.*f", decimals, fabs(x));
    if (w < 0 || (size_t)w >= sizeof raw)
        return put(buf, 0, "", 0);
    /* "-0.0" is not a number people write: only a value that shows non-zero digits gets a sign */
    int negative = x < 0 && strspn(raw, "0.") != strlen(raw);
    const char *dot = strchr(raw, '.');
    size_t intlen = dot ? (size_t)(dot - raw) : strlen(raw);
    const char *sep = !group ? "" : l == SOL_LANG_FR ? NNBSP : l == SOL_LANG_IT ? "." : ",";
    size_t sl = strlen(sep);
    char tmp[800];
    size_t o = 0;
    if (negative) {
        memcpy(tmp, MINUS, 3);
        o = 3;
    }
    for (size_t i = 0; i < intlen; i++) {
        if (sl && i > 0 && (intlen - i) % 3 == 0) {
            memcpy(tmp + o, sep, sl);
            o += sl;
        }
        tmp[o++] = raw[i];
    }
    if (dot) {
        tmp[o++] = sol_lang_decimal_mark(l);
        size_t dl = strlen(dot + 1);
        memcpy(tmp + o, dot + 1, dl);
        o += dl;
    }
    return put(buf, n, tmp, o);
}

sol_status sol_lang_percent(sol_lang l, double pct, int decimals, char *buf, size_t n)
{
    char num[420];
    sol_status s = sol_lang_number(l, pct, decimals, 1, num, sizeof num);
    if (s != SOL_OK || isnan(pct))
        return s == SOL_OK ? put(buf, n, num, strlen(num)) : s;
    char tmp[440];
    int w = snprintf(tmp, sizeof tmp, "%s%s%%", num, l == SOL_LANG_FR ? NNBSP : "");
    return put(buf, n, tmp, w < 0 ? 0 : (size_t)w);
}

sol_status sol_lang_date(sol_lang l, int year, int month, int day, char *buf, size_t n)
{
    static const char *const MONTHS[SOL_LANG_COUNT][12] = {
        {"January", "February", "March", "April", "May", "June", "July", "August", "September",
         "October", "November", "December"},
        {"janvier", "f\xC3\xA9vrier", "mars", "avril", "mai", "juin", "juillet", "ao\xC3\xBBt",
         "septembre", "octobre", "novembre", "d\xC3\xA9" "cembre"},
        {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
         "settembre", "ottobre", "novembre", "dicembre"}};
    if (month < 1 || month > 12 || day < 1 || day > 31) {
        put(buf, n, "", 0);
        return SOL_EINVAL;
    }
    int li = (int)l >= 0 && (int)l < SOL_LANG_COUNT ? (int)l : 0;
    char tmp[64];
    int w = snprintf(tmp, sizeof tmp, "%d%s %s %d", day, li == SOL_LANG_FR && day == 1 ? "er" : "",
                     MONTHS[li][month - 1], year);
    return put(buf, n, tmp, w < 0 ? 0 : (size_t)w);
}
