/* report.c - the printable atlas for a council: the same content as HTML (inline SVG maps) or as
 * PDF pages drawn from SVG through the render module. Every sentence is an English template
 * looked up in the catalogue of the job's language, every number, percentage and date is written
 * as that language writes it, every figure comes from the store, every source is credited with
 * its licence on every page. */
#include <solidata/alerts.h>
#include <solidata/i18n.h>
#include <solidata/import.h>
#include <solidata/render.h>
#include <solidata/run.h>
#include <solidata/run_layers.h>
#include <solidata/version.h>
#include <solidata/withhold.h>

#include "core/core.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- document model: blocks written either as HTML or as SVG pages --------------------------- */

typedef struct doc {
    sol_lang lang;
    int pdf;
    sol_buf html;
    /* PDF: finished pages and the one being written */
    char **pages;
    size_t *page_len;
    size_t npages, cap;
    sol_buf page;
    double y;
    int failed;
    /* the footer of every page: the title and date, then the sources with their licences */
    char foot1[512], foot2[1024];
} doc;

#define PAGE_W  794.0
#define PAGE_H  1123.0
#define MARGIN  56.0
#define TEXT_W  (PAGE_W - 2 * MARGIN)
#define FOOT_H  40.0
#define MAX_DOC (512u << 20)

static void esc(sol_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': sol__buf_add(b, "&lt;", 4); break;
        case '>': sol__buf_add(b, "&gt;", 4); break;
        case '&': sol__buf_add(b, "&amp;", 5); break;
        case '"': sol__buf_add(b, "&quot;", 6); break;
        default: sol__buf_addc(b, *s);
        }
    }
}

/* At most `max` bytes of s, cut at a character boundary (UTF-8), with "..." when cut. */
static void clip(char *out, size_t n, const char *s, size_t max)
{
    size_t len = strlen(s);
    if (len <= max) {
        snprintf(out, n, "%s", s);
        return;
    }
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    snprintf(out, n, "%.*s\xE2\x80\xA6", (int)max, s);
}

static void page_finish(doc *d)
{
    if (d->page.data == NULL)
        return;
    sol__buf_addf(&d->page, "</svg>\n");
    if (d->npages == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        char **p = sol__realloc(d->pages, cap * sizeof *p);
        size_t *l = p ? sol__realloc(d->page_len, cap * sizeof *l) : NULL;
        if (p)
            d->pages = p;
        if (l == NULL) {
            d->failed = 1;
            return;
        }
        d->page_len = l;
        d->cap = cap;
    }
    d->pages[d->npages] = d->page.data;
    d->page_len[d->npages++] = d->page.len;
    sol__buf_init(&d->page, MAX_DOC);
}

/* A new page when the current one lacks h of height; each page carries the footer: the title,
 * the date of production and the page number, then the sources with their licences. */
static void page_need(doc *d, double h)
{
    if (d->page.data && d->y + h <= PAGE_H - MARGIN - FOOT_H / 2)
        return;
    page_finish(d);
    char num[64], line[1200];
    snprintf(num, sizeof num, sol_lgettext(d->lang, "Page %zu"), d->npages + 1);
    sol__buf_addf(&d->page,
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                  "viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, Helvetica, Arial, "
                  "sans-serif\"><rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n"
                  "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.0f\" y2=\"%.0f\" stroke=\"#bbb\"/>\n"
                  "<text x=\"%.0f\" y=\"%.0f\" font-size=\"8\" fill=\"#555\">",
                  PAGE_W, PAGE_H, PAGE_W, PAGE_H, MARGIN, PAGE_W - MARGIN, PAGE_H - 50, PAGE_H - 50,
                  MARGIN, PAGE_H - 38);
    clip(line, sizeof line, d->foot1, 130);
    esc(&d->page, line);
    sol__buf_addf(&d->page,
                  "</text>\n<text x=\"%.0f\" y=\"%.0f\" font-size=\"8\" fill=\"#555\" "
                  "text-anchor=\"end\">",
                  PAGE_W - MARGIN, PAGE_H - 38);
    esc(&d->page, num);
    sol__buf_addf(&d->page, "</text>\n<text x=\"%.0f\" y=\"%.0f\" font-size=\"8\" fill=\"#555\">",
                  MARGIN, PAGE_H - 27);
    clip(line, sizeof line, d->foot2, 150);
    esc(&d->page, line);
    sol__buf_addf(&d->page, "</text>\n");
    d->y = MARGIN;
}

/* One idea per page: the next block starts a new page (PDF; HTML prints each h2 on a new page). */
static void page_break(doc *d)
{
    if (d->pdf && d->page.data && d->y > MARGIN)
        page_finish(d);
}

/* A paragraph: wrapped at about 0.55 em per character. */
static void para(doc *d, const char *text, double size, int bold, const char *html_tag)
{
    if (!d->pdf) {
        sol__buf_addf(&d->html, "<%s>", html_tag);
        esc(&d->html, text);
        sol__buf_addf(&d->html, "</%s>\n", html_tag);
        return;
    }
    size_t per_line = (size_t)(TEXT_W / (size * 0.55));
    const char *s = text;
    while (*s) {
        size_t n = strlen(s), take = n;
        if (n > per_line) {
            take = per_line;
            while (take > 0 && s[take] != ' ')
                take--;
            if (take == 0)
                take = per_line;
        }
        page_need(d, size * 1.4);
        d->y += size * 1.3;
        sol__buf_addf(&d->page, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"%.0f\"%s>", MARGIN, d->y,
                      size, bold ? " font-weight=\"bold\"" : "");
        char line[1024];
        snprintf(line, sizeof line, "%.*s", (int)take, s);
        esc(&d->page, line);
        sol__buf_addf(&d->page, "</text>\n");
        s += take;
        while (*s == ' ')
            s++;
    }
    d->y += size * 0.6;
}

/* A paragraph from a template (already in the document's language) and its arguments. */
static void sayf(doc *d, double size, int bold, const char *tag, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void sayf(doc *d, double size, int bold, const char *tag, const char *fmt, ...)
{
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    para(d, line, size, bold, tag);
}

/* A heading that opens a new page: one idea per page. */
static void section(doc *d, const char *title)
{
    page_break(d);
    para(d, title, 18, 1, "h2");
}

/* One row of a PDF table at font size fs: each cell wraps within its column (at most 6 lines);
 * the row is as tall as its tallest cell. */
static void table_row(doc *d, const char *const *cells, size_t ncol, const double *w, double fs,
                      int head)
{
    double lh = fs * 1.3;
    size_t lines = 1;
    for (size_t c = 0; c < ncol; c++) {
        size_t maxc = (size_t)(w[c] * TEXT_W / (fs * 0.55)) - 1;
        size_t n = strlen(cells[c]);
        size_t l = maxc ? (n + maxc - 1) / maxc : 1;
        if (l > lines)
            lines = l > 6 ? 6 : l;
    }
    d->y += lh + 2;
    double x = MARGIN;
    for (size_t c = 0; c < ncol; c++) {
        size_t maxc = (size_t)(w[c] * TEXT_W / (fs * 0.55)) - 1;
        const char *cell = cells[c];
        for (size_t l = 0; l < lines && *cell; l++) {
            size_t n = strlen(cell), take = n > maxc ? maxc : n;
            if (take < n) { /* break at the last blank that fits */
                size_t b2 = take;
                while (b2 > 0 && cell[b2] != ' ')
                    b2--;
                if (b2 > 0)
                    take = b2;
            }
            char part[512];
            snprintf(part, sizeof part, "%.*s", (int)(take < 511 ? take : 511), cell);
            sol__buf_addf(&d->page, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"%g\"%s>", x,
                          d->y + lh * (double)l, fs, head ? " font-weight=\"bold\"" : "");
            esc(&d->page, part);
            sol__buf_addf(&d->page, "</text>\n");
            cell += take;
            while (*cell == ' ')
                cell++;
        }
        x += w[c] * TEXT_W;
    }
    if (head)
        sol__buf_addf(&d->page,
                      "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>\n",
                      MARGIN, PAGE_W - MARGIN, d->y + 4, d->y + 4);
    d->y += lh * (double)(lines - 1);
}

/* A table of ncol columns; cells row-major, the first row the header. Widths are fractions.
 * fs is the PDF font size (compact tables of many areas use a small one); in the PDF the header
 * is repeated at the top of every page the table runs onto, and in HTML it is a <thead>, which
 * browsers repeat on every printed page. */
static void table_fs(doc *d, const char *const *cells, size_t nrows, size_t ncol, const double *w,
                     double fs)
{
    if (!d->pdf) {
        sol__buf_addf(&d->html, "<table%s>\n", fs < 10 ? " class=\"compact\"" : "");
        for (size_t r = 0; r < nrows; r++) {
            sol__buf_addf(&d->html, r ? "<tr>" : "<thead><tr>");
            for (size_t c = 0; c < ncol; c++) {
                sol__buf_addf(&d->html, r ? "<td>" : "<th scope=\"col\">");
                esc(&d->html, cells[r * ncol + c]);
                sol__buf_addf(&d->html, r ? "</td>" : "</th>");
            }
            sol__buf_addf(&d->html, r ? "</tr>\n" : "</tr></thead>\n");
        }
        sol__buf_addf(&d->html, "</table>\n");
        return;
    }
    double lh = fs * 1.3;
    for (size_t r = 0; r < nrows; r++) {
        size_t before = d->npages;
        int fresh = d->page.data == NULL;
        page_need(d, lh * 2 + 6);
        if (r > 0 && (d->npages != before || fresh))
            table_row(d, cells, ncol, w, fs, 1); /* the header again on a new page */
        table_row(d, cells + r * ncol, ncol, w, fs, r == 0);
    }
    d->y += 10;
}

static void table(doc *d, const char *const *cells, size_t nrows, size_t ncol, const double *w)
{
    table_fs(d, cells, nrows, ncol, w, 10);
}

/* A map: inline in HTML; on its own part of a page in PDF (scaled to the text width). */
static void figure(doc *d, const char *svg, size_t len)
{
    const char *start = strstr(svg, "<svg");
    if (start == NULL)
        return;
    if (!d->pdf) {
        sol__buf_addf(&d->html, "<figure>");
        sol__buf_add(&d->html, start, len - (size_t)(start - svg));
        sol__buf_addf(&d->html, "</figure>\n");
        return;
    }
    double h = TEXT_W * 0.8; /* the maps are 1000 x 800 */
    page_need(d, h + 10);
    sol__buf_addf(&d->page, "<g transform=\"translate(%.0f %.1f) scale(%.4f)\">", MARGIN, d->y,
                  TEXT_W / 1000.0);
    sol__buf_add(&d->page, start, len - (size_t)(start - svg));
    sol__buf_addf(&d->page, "</g>\n");
    d->y += h + 10;
}

/* ---- words and numbers in the document's language ------------------------------------------- */

/* x with about four significant digits, as %.4g writes it but never with an exponent, in the
 * document's language ("27,9" in French); thousands grouped from 10 000; NaN: "no data". */
static const char *num(const doc *d, double x, char *buf, size_t n)
{
    int dec = 0;
    double a = fabs(x);
    if (isfinite(x) && a > 0 && a < 1000) {
        dec = 3 - (int)floor(log10(a));
        dec = dec > 10 ? 10 : dec < 0 ? 0 : dec;
        char g[64]; /* drop the trailing zeros, as %.4g does */
        snprintf(g, sizeof g, "%.*f", dec, x);
        for (size_t l = strlen(g); dec > 0 && l > 0 && g[l - 1] == '0'; l--)
            dec--;
    }
    if (sol_lang_number(d->lang, x, dec, a >= 10000, buf, n) != SOL_OK)
        snprintf(buf, n, "%g", x);
    return buf;
}

/* A whole number (a rank, a count) as the language writes it. */
static const char *inum(const doc *d, double x, char *buf, size_t n)
{
    int dec = isfinite(x) && x != floor(x) ? 1 : 0; /* a shared rank may end in .5 */
    if (sol_lang_number(d->lang, x, dec, fabs(x) >= 10000, buf, n) != SOL_OK)
        snprintf(buf, n, "%g", x);
    return buf;
}

static const char *withheld_word(const doc *d)
{
    return sol_lgettext(d->lang, "withheld (statistical disclosure control)");
}

/* "A, B and C" in the document's language. */
static void join_list(const doc *d, const char *const *items, size_t n, char *out, size_t cap)
{
    char head[4096] = "";
    size_t used = 0;
    out[0] = '\0';
    if (n == 0)
        return;
    if (n == 1) {
        snprintf(out, cap, "%s", items[0]);
        return;
    }
    for (size_t k = 0; k + 1 < n; k++) {
        int w = snprintf(head + used, sizeof head - used, "%s%s", k ? ", " : "", items[k]);
        if (w < 0 || (size_t)w >= sizeof head - used)
            break;
        used += (size_t)w;
    }
    /* TRANSLATORS: the last two items of a list, as in "A, B and C". */
    snprintf(out, cap, sol_lgettext(d->lang, "%s and %s"), head, items[n - 1]);
}

/* "2026-12-06..." as the language writes a date ("6 décembre 2026"); other text as it is. */
static void date_words(const doc *d, const char *iso, char *buf, size_t n)
{
    int y, m, day;
    if (iso && sscanf(iso, "%4d-%2d-%2d", &y, &m, &day) == 3 &&
        sol_lang_date(d->lang, y, m, day, buf, n) == SOL_OK)
        return;
    snprintf(buf, n, "%s", iso ? iso : "");
}

/* ---- the atlas: the indicators it covers and the areas in greatest need ---------------------- */

#define MAX_IND  64
#define TOP_NEED 5

typedef struct atlas_ind {
    char code[SOL_MAX_CODE + 1];
    char label[512];
    char quoted[600]; /* the label quoted as the document's language quotes */
    char period[16];
    int polarity;
} atlas_ind;

/* An area of the atlas: its mean position of need over the indicators with a polarity (0 = the
 * most in need, 1 = the least) and the two indicators on which it stands worst. */
typedef struct needy {
    char code[SOL_MAX_CODE + 1];
    char name[160];
    double sum;
    size_t cnt;
    double wp[2]; /* positions of the two worst indicators, lowest first */
    size_t wk[2]; /* their indexes in atlas.ind */
    double wr[2]; /* their ranks */
    size_t wn[2]; /* out of */
} needy;

typedef struct atlas {
    atlas_ind ind[MAX_IND];
    size_t nind, npol;
    int chosen; /* the indicators were named by the user */
    needy *a;
    size_t na, cap;
    sol_strmap *ix;
    size_t top[TOP_NEED], ntop;
    char area_name[160]; /* of the job's area, when there is one */
} atlas;

typedef struct order {
    const sol_values *v;
    int sign;
} order;
static order g_order; /* qsort has no context argument in C11; the report is single-threaded */
static const atlas *g_atlas;

static int by_need(const void *a, const void *b)
{
    double x = g_order.v->values[*(const size_t *)a], y = g_order.v->values[*(const size_t *)b];
    if (x == y)
        return strcmp(g_order.v->codes[*(const size_t *)a], g_order.v->codes[*(const size_t *)b]);
    return (g_order.sign > 0 ? x < y : x > y) ? -1 : 1;
}

static int by_mean_need(const void *a, const void *b)
{
    const needy *x = &g_atlas->a[*(const size_t *)a], *y = &g_atlas->a[*(const size_t *)b];
    double mx = x->sum / (double)x->cnt, my = y->sum / (double)y->cnt;
    if (mx != my)
        return mx < my ? -1 : 1;
    return strcmp(x->code, y->code);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static needy *atlas_area(atlas *at, const char *code, const char *name)
{
    int64_t i;
    if (sol__strmap_get(at->ix, code, strlen(code), &i))
        return &at->a[i];
    if (at->na == at->cap) {
        size_t cap = at->cap ? 2 * at->cap : 64;
        needy *a = sol__realloc(at->a, cap * sizeof *a);
        if (a == NULL)
            return NULL;
        at->a = a;
        at->cap = cap;
    }
    needy *x = &at->a[at->na];
    memset(x, 0, sizeof *x);
    snprintf(x->code, sizeof x->code, "%s", code);
    snprintf(x->name, sizeof x->name, "%s", name && *name ? name : code);
    x->wp[0] = x->wp[1] = INFINITY;
    if (sol__strmap_put(at->ix, x->code, strlen(x->code), (int64_t)at->na) != SOL_OK)
        return NULL;
    return &at->a[at->na++];
}

/* Rank needs: the positions of every area on each indicator with a polarity (withheld values
 * left out), then the TOP_NEED areas with the lowest mean position among those with a value for
 * at least half of these indicators. */
static sol_status atlas_load(sol_store *st, atlas *at, sol_error *err)
{
    sol_status rc = SOL_OK;
    size_t *ix = NULL, *all = NULL;
    at->ix = sol__strmap_new(256);
    if (at->ix == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    for (size_t k = 0; k < at->nind; k++) {
        atlas_ind *in = &at->ind[k];
        sol_values *v = NULL;
        if ((rc = sol_run_values(st, in->code, NULL, 0, &v, err)) != SOL_OK)
            return rc;
        snprintf(in->label, sizeof in->label, "%s", v->label ? v->label : v->indicator);
        memcpy(in->period, v->period, sizeof in->period);
        in->polarity = v->polarity;
        sol_values_withhold(v);
        ix = sol__calloc(v->n ? v->n : 1, sizeof *ix);
        if (ix == NULL) {
            sol_values_free(v);
            return sol__err(err, SOL_ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < v->n; i++)
            ix[i] = i;
        g_order = (order){v, v->polarity > 0 ? 1 : -1};
        qsort(ix, v->n, sizeof *ix, by_need);
        for (size_t r = 0; r < v->n; r++) {
            size_t i = ix[r], s = r;
            while (s > 0 && v->values[ix[s - 1]] == v->values[i])
                s--; /* ties share the better rank */
            needy *x = atlas_area(at, v->codes[i], v->names[i]);
            if (x == NULL) {
                rc = sol__err(err, SOL_ENOMEM, "out of memory");
                break;
            }
            if (v->polarity == 0)
                continue;
            double p = v->n > 1 ? (double)s / (double)(v->n - 1) : 0;
            x->sum += p;
            x->cnt++;
            int slot = p < x->wp[0] ? 0 : p < x->wp[1] ? 1 : -1;
            if (slot == 0) {
                x->wp[1] = x->wp[0], x->wk[1] = x->wk[0], x->wr[1] = x->wr[0], x->wn[1] = x->wn[0];
            }
            if (slot >= 0) {
                x->wp[slot] = p;
                x->wk[slot] = k;
                x->wr[slot] = (double)s + 1;
                x->wn[slot] = v->n;
            }
        }
        if (v->polarity)
            at->npol++;
        sol__free(ix);
        ix = NULL;
        sol_values_free(v);
        if (rc != SOL_OK)
            return rc;
    }
    if (at->npol == 0 || at->na == 0)
        return SOL_OK;
    all = sol__calloc(at->na, sizeof *all);
    if (all == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    size_t m = 0;
    for (size_t i = 0; i < at->na; i++)
        if (at->a[i].cnt > 0 && 2 * at->a[i].cnt >= at->npol)
            all[m++] = i;
    g_atlas = at;
    qsort(all, m, sizeof *all, by_mean_need);
    for (at->ntop = 0; at->ntop < m && at->ntop < TOP_NEED; at->ntop++)
        at->top[at->ntop] = all[at->ntop];
    sol__free(all);
    return SOL_OK;
}

/* "A", "A and B", "A, B and C" from the labels of the atlas' indicators, each quoted. */
static void indicator_list(const doc *d, const atlas *at, char *out, size_t n)
{
    const char *items[MAX_IND];
    for (size_t k = 0; k < at->nind; k++)
        items[k] = at->ind[k].quoted;
    join_list(d, items, at->nind, out, n);
}

/* The first page: what the atlas shows, in plain words, and the areas in greatest need. */
static void cover(doc *d, const atlas *at, const char *sources, const char *today)
{
    char line[4096], list[4096];
    para(d, sol_lgettext(d->lang, "Atlas of social needs"), 24, 1, "h1");
    sayf(d, 11, 0, "p", sol_lgettext(d->lang, "Made with solidata %s on %s"), SOL_VERSION_STRING,
         today);
    para(d, sol_lgettext(d->lang, "What this atlas shows"), 14, 1, "h3");
    sayf(d, 11, 0, "p",
         sol_lngettext(d->lang, "This atlas describes %zu area.", "This atlas describes %zu areas.",
                       at->na),
         at->na);
    indicator_list(d, at, list, sizeof list);
    if (at->nind)
        sayf(d, 11, 0, "p",
             sol_lngettext(d->lang, "It maps %zu indicator: %s.", "It maps %zu indicators: %s.",
                           at->nind),
             at->nind, list);
    else
        para(d, sol_lgettext(d->lang, "The store holds no indicator to map yet."), 11, 0, "p");
    const char *lo = NULL, *hi = NULL;
    for (size_t k = 0; k < at->nind; k++) {
        if (lo == NULL || strcmp(at->ind[k].period, lo) < 0)
            lo = at->ind[k].period;
        if (hi == NULL || strcmp(at->ind[k].period, hi) > 0)
            hi = at->ind[k].period;
    }
    if (lo && strcmp(lo, hi) == 0)
        sayf(d, 11, 0, "p",
             sol_lgettext(d->lang, "Each map shows the latest period with data: %s."), lo);
    else if (lo)
        sayf(d, 11, 0, "p",
             sol_lgettext(d->lang,
                          "Each map shows the latest period with data of its indicator, from %s "
                          "to %s."),
             lo, hi);
    if (*sources)
        sayf(d, 11, 0, "p", sol_lgettext(d->lang, "The figures come from: %s."), sources);
    if (*at->area_name)
        sayf(d, 11, 0, "p", sol_lgettext(d->lang, "It ends with the profile of %s."),
             at->area_name);

    if (at->npol == 0) {
        if (at->nind)
            para(d,
                 sol_lgettext(d->lang, "None of the indicators of this atlas says whether a "
                                       "higher value means more or less need, so it names no "
                                       "area in greatest need."),
                 11, 0, "p");
        return;
    }
    if (at->ntop == 0)
        return;
    para(d, sol_lgettext(d->lang, "Where the need is greatest"), 14, 1, "h3");
    sayf(d, 11, 0, "p",
         sol_lngettext(d->lang,
                       "Areas are ordered by their average position among all areas on the %zu "
                       "indicator that says whether a higher value means more or less need. "
                       "After each area, the indicators on which it stands worst compared with "
                       "the others.",
                       "Areas are ordered by their average position among all areas on the %zu "
                       "indicators that say whether a higher value means more or less need. "
                       "After each area, the indicators on which it stands worst compared with "
                       "the others.",
                       at->npol),
         at->npol);
    for (size_t t = 0; t < at->ntop; t++) {
        const needy *x = &at->a[at->top[t]];
        char r0[32], n0[32], r1[32], n1[32], why[2048];
        inum(d, x->wr[0], r0, sizeof r0);
        inum(d, (double)x->wn[0], n0, sizeof n0);
        if (x->cnt >= 2 && isfinite(x->wp[1])) {
            inum(d, x->wr[1], r1, sizeof r1);
            inum(d, (double)x->wn[1], n1, sizeof n1);
            /* TRANSLATORS: an area, then its two worst indicators with its rank on each. */
            snprintf(why, sizeof why,
                     sol_lgettext(d->lang, "%s: rank %s of %s on \"%s\" and rank %s of %s on "
                                           "\"%s\"."),
                     x->name, r0, n0, at->ind[x->wk[0]].label, r1, n1, at->ind[x->wk[1]].label);
        } else {
            snprintf(why, sizeof why, sol_lgettext(d->lang, "%s: rank %s of %s on \"%s\"."),
                     x->name, r0, n0, at->ind[x->wk[0]].label);
        }
        snprintf(line, sizeof line, "%zu. %s", t + 1, why);
        para(d, line, 11, 0, "p");
    }
}

/* ---- one indicator: a map and its reading; every area's rank in the appendix ----------------- */

/* standard errors and flags of the values shown, aligned with v->codes */
typedef struct se_walk {
    sol_strmap *ix;
    double *se;
    int *flags;
} se_walk;

static int on_se(void *ud, const sol_obs *o)
{
    se_walk *w = ud;
    int64_t i;
    if (sol__strmap_get(w->ix, o->area, strlen(o->area), &i)) {
        w->se[i] = o->se;
        w->flags[i] = o->flags;
    }
    return 0;
}

static void interval_text(const doc *d, double v, double se, char *buf, size_t n)
{
    char lo[64], hi[64];
    if (isnan(se) || isnan(v)) {
        snprintf(buf, n, "-");
        return;
    }
    num(d, v - 1.959963984540054 * se, lo, sizeof lo);
    num(d, v + 1.959963984540054 * se, hi, sizeof hi);
    snprintf(buf, n, sol_lgettext(d->lang, "between %s and %s"), lo, hi);
}

/* The page of one indicator (appendix 0): its map, what it means, the areas most in need, the
 * median and the withheld areas; or (appendix 1) every area by rank, for the appendix. */
static sol_status indicator_section(sol_store *st, doc *d, const char *code, int appendix,
                                    sol_error *err)
{
    sol_values *v = NULL;
    sol_status rc = sol_run_values(st, code, NULL, 0, &v, err);
    if (rc != SOL_OK)
        return rc;
    char head[1024], names[2048] = "", buf[64];
    const char *label = v->label ? v->label : v->indicator;
    snprintf(head, sizeof head, "%s (%s)", label, v->period);
    if (appendix) {
        para(d, head, 14, 1, "h3");
    } else {
        section(d, head);
        if (v->unit)
            sayf(d, 11, 0, "p", sol_lgettext(d->lang, "Unit: %s."), v->unit);
        para(d,
             v->polarity < 0 ? sol_lgettext(d->lang, "A higher value means more need.")
             : v->polarity > 0
                 ? sol_lgettext(d->lang, "A lower value means more need.")
                 : sol_lgettext(d->lang, "The source does not say whether a higher value is "
                                         "better or worse: areas are ranked from the highest "
                                         "value."),
             11, 0, "p");
        char *svg = NULL;
        size_t len = 0;
        sol_map_job mo = {.indicator = code, .period = v->period, .lang = sol_lang_code(d->lang)};
        if ((rc = sol_run_map_svg(st, &mo, &svg, &len, err)) != SOL_OK)
            goto out;
        figure(d, svg, len);
        sol_free(svg);
    }
    /* the tables, the sentences and the median use publishable values only */
    size_t withheld = sol_values_withhold(v);
    if (withheld && !appendix)
        sayf(d, 11, 0, "p",
             sol_lngettext(d->lang,
                           "%zu area is withheld (statistical disclosure control): its count is "
                           "below the minimum cell size, or would let one be recovered.",
                           "%zu areas are withheld (statistical disclosure control): their counts "
                           "are below the minimum cell size, or would let one be recovered.",
                           withheld),
             withheld);
    if (v->n == 0)
        goto out;
    size_t *ix = sol__calloc(v->n, sizeof *ix);
    double *sorted = sol__calloc(v->n, sizeof *sorted);
    const char **cells = sol__calloc(5 * (v->n + 1 + withheld), sizeof *cells);
    char(*vals)[64] = sol__calloc(v->n, sizeof *vals);
    char(*ranks)[32] = sol__calloc(v->n, sizeof *ranks);
    char(*ivs)[160] = sol__calloc(v->n, sizeof *ivs);
    char(*fl)[128] = sol__calloc(v->n, sizeof *fl);
    se_walk sw = {.ix = sol__strmap_new(v->n ? v->n : 1),
                  .se = sol__malloc((v->n ? v->n : 1) * sizeof(double)),
                  .flags = sol__calloc(v->n ? v->n : 1, sizeof(int))};
    if (!ix || !sorted || !cells || !vals || !ranks || !ivs || !fl || !sw.ix || !sw.se ||
        !sw.flags) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto tidy;
    }
    for (size_t i = 0; i < v->n; i++) {
        ix[i] = i;
        sorted[i] = v->values[i];
        sw.se[i] = NAN;
        if (sol__strmap_put(sw.ix, v->codes[i], strlen(v->codes[i]), (int64_t)i) != SOL_OK) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto tidy;
        }
    }
    if ((rc = sol_store_observations(st, code, v->period, on_se, &sw, err)) != SOL_OK)
        goto tidy;
    int any_se = 0, any_flag = 0, any_low = 0;
    for (size_t i = 0; i < v->n; i++) {
        any_se |= !isnan(sw.se[i]);
        any_flag |= sw.flags[i] != 0;
        any_low |= (sw.flags[i] & SOL_FLAG_LOW_RELIABILITY) != 0;
    }
    g_order = (order){v, v->polarity > 0 ? 1 : -1}; /* unstated polarity: highest first */
    qsort(ix, v->n, sizeof *ix, by_need);
    qsort(sorted, v->n, sizeof *sorted, cmp_double);
    size_t nrows = appendix ? v->n : (v->n < TOP_NEED ? v->n : TOP_NEED);
    if (!appendix) {
        double median = v->n % 2 ? sorted[v->n / 2] : (sorted[v->n / 2 - 1] + sorted[v->n / 2]) / 2;
        size_t top = v->n < 3 ? v->n : 3;
        const char *items[3];
        char item[3][256];
        for (size_t k = 0; k < top; k++) {
            size_t i = ix[k];
            snprintf(item[k], sizeof item[k], "%s (%s)", v->names[i] ? v->names[i] : v->codes[i],
                     num(d, v->values[i], buf, sizeof buf));
            items[k] = item[k];
        }
        join_list(d, items, top, names, sizeof names);
        if (v->polarity)
            sayf(d, 11, 0, "p",
                 sol_lngettext(d->lang, "In %s, the area with the greatest need on \"%s\" is %s.",
                               "In %s, the areas with the greatest need on \"%s\" are %s.", top),
                 v->period, label, names);
        else
            sayf(d, 11, 0, "p",
                 sol_lngettext(d->lang, "In %s, the highest value of \"%s\" is in %s.",
                               "In %s, the highest values of \"%s\" are in %s.", top),
                 v->period, label, names);
        sayf(d, 11, 0, "p",
             sol_lngettext(d->lang, "The median over the %zu area with a value is %s.",
                           "The median over the %zu areas with a value is %s.", v->n),
             v->n, num(d, median, buf, sizeof buf));
        if (any_se) {
            para(d,
                 sol_lgettext(d->lang,
                              "Some figures are estimates with a margin of error. \"Between X "
                              "and Y, 95%\" means that intervals built this way contain the true "
                              "value 95 times out of 100. A wide interval means the figure is "
                              "uncertain."),
                 11, 0, "p");
            if (any_low)
                para(d,
                     sol_lgettext(d->lang, "Figures marked \"low reliability\" have a large error "
                                           "compared with their value: do not use them alone."),
                     11, 0, "p");
        }
        if (nrows >= 2 && v->polarity)
            sayf(d, 12, 1, "h3", sol_lgettext(d->lang, "The %zu areas most in need"), nrows);
        else if (nrows >= 2)
            sayf(d, 12, 1, "h3", sol_lgettext(d->lang, "The %zu highest values"), nrows);
    } else {
        sayf(d, 12, 1, "h3",
             v->polarity ? sol_lgettext(d->lang, "All %zu areas, from the greatest need")
                         : sol_lgettext(d->lang, "All %zu areas, from the highest value"),
             v->n);
    }
    /* rank, area, value, then the interval and flags when there are any */
    size_t nc = 3 + (size_t)any_se + (size_t)any_flag, c = 0;
    cells[c++] = v->polarity ? sol_lgettext(d->lang, "Rank by need")
                             : sol_lgettext(d->lang, "Rank by value");
    cells[c++] = sol_lgettext(d->lang, "Area");
    cells[c++] = sol_lgettext(d->lang, "Value");
    if (any_se)
        /* xgettext:no-c-format */
        cells[c++] = sol_lgettext(d->lang, "95% interval");
    if (any_flag)
        cells[c++] = sol_lgettext(d->lang, "Flags");
    for (size_t k = 0; k < nrows; k++) {
        size_t i = ix[k];
        size_t r = k; /* ties share the better rank */
        while (r > 0 && v->values[ix[r - 1]] == v->values[i])
            r--;
        inum(d, (double)(r + 1), ranks[k], sizeof ranks[k]);
        num(d, v->values[i], vals[k], sizeof vals[k]);
        cells[c++] = ranks[k];
        cells[c++] = v->names[i] ? v->names[i] : v->codes[i];
        cells[c++] = vals[k];
        if (any_se) {
            interval_text(d, v->values[i], sw.se[i], ivs[k], sizeof ivs[k]);
            cells[c++] = ivs[k];
        }
        if (any_flag) {
            if (sw.flags[i] & SOL_FLAG_LOW_RELIABILITY)
                snprintf(fl[k], sizeof fl[k], "%s", sol_lgettext(d->lang, "low reliability"));
            else
                sol_flags_format(sw.flags[i], fl[k], sizeof fl[k]);
            cells[c++] = fl[k];
        }
    }
    static const double w3[] = {0.1, 0.5, 0.4}, w4[] = {0.08, 0.4, 0.16, 0.36},
                        w4f[] = {0.08, 0.42, 0.2, 0.3}, w5[] = {0.07, 0.33, 0.14, 0.28, 0.18};
    static const double w3top[] = {0.2, 0.5, 0.3};
    if (nrows >= 2)
        table_fs(d, cells, nrows + 1, nc,
                 nc == 3   ? (appendix ? w3 : w3top)
                 : nc == 5 ? w5
                 : any_se  ? w4
                           : w4f,
                 appendix ? 8 : 10);
    if (appendix && withheld)
        sayf(d, 10, 0, "p",
             sol_lngettext(d->lang,
                           "%zu more area has a value withheld (statistical disclosure control): "
                           "its rank is withheld too.",
                           "%zu more areas have a value withheld (statistical disclosure "
                           "control): their ranks are withheld too.",
                           withheld),
             withheld);
tidy:
    sol__free_n(7, ix, sorted, cells, vals, ranks, ivs, fl);
    sol__strmap_free(sw.ix);
    sol__free(sw.se);
    sol__free(sw.flags);
out:
    sol_values_free(v);
    return rc;
}

typedef struct area_find {
    const char *code;
    char *name;
    size_t n;
    int found;
} area_find;

static int on_area_find(void *ud, const sol_area *a)
{
    area_find *f = ud;
    if (strcmp(a->code, f->code) != 0)
        return 0;
    snprintf(f->name, f->n, "%s", a->name && *a->name ? a->name : a->code);
    f->found = 1;
    return 1;
}

/* The name of area `code` (its code when it has none); 0 when there is no such area. */
static int area_label(sol_store *st, const char *code, char *name, size_t n)
{
    area_find f = {code, name, n, 0};
    snprintf(name, n, "%s", code);
    if (sol_store_areas(st, 0, on_area_find, &f, NULL) != SOL_OK)
        return 0;
    return f.found;
}

/* ---- the analyses: composite index and hot spots (src/run/layers.c) -------------------------- */

/* The areas of one level with their geometry, for the maps of the analyses. */
typedef struct level_areas {
    const char *level;
    sol_feature *f;
    size_t n, cap;
    int failed;
} level_areas;

static int on_level_area(void *ud, const sol_area *a)
{
    level_areas *l = ud;
    if (strcmp(a->level, l->level) != 0 || a->geometry == NULL)
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        sol_feature *f = sol__realloc(l->f, cap * sizeof *f);
        if (f == NULL) {
            l->failed = 1;
            return 1;
        }
        l->f = f;
        l->cap = cap;
    }
    sol_feature *f = &l->f[l->n];
    memset(f, 0, sizeof *f);
    if (sol_geo_parse_geojson(a->geometry, f, NULL) != SOL_OK)
        return 0; /* an area the map cannot draw is left off the map, not off the tables */
    f->code = sol__strdup(a->code);
    f->name = a->name ? sol__strdup(a->name) : NULL;
    l->n++;
    if (f->code == NULL || (a->name && f->name == NULL))
        l->failed = 1;
    return l->failed;
}

static void level_areas_free(level_areas *l)
{
    for (size_t i = 0; i < l->n; i++)
        sol_feature_clear(&l->f[i]);
    sol__free(l->f);
}

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static double jdbl(json_t *o, const char *key)
{
    json_t *j = json_object_get(o, key);
    return json_is_number(j) ? json_number_value(j) : NAN;
}

static void fmt_rank(const doc *d, double r, char *buf, size_t n)
{
    inum(d, r, buf, n);
}

/* Draw a map of the areas of `level`: value[i] and cls[i] come from fill(code), which returns the
 * class, -1 for no data, or -2 for an area withheld by disclosure control (drawn as suppressed). */
typedef int (*class_fn)(void *ud, const char *code, double *value);
static sol_status analysis_map(sol_store *st, doc *d, const char *level, sol_map *m, class_fn fill,
                               void *ud, double *vals_for_breaks, size_t nvals, sol_error *err)
{
    level_areas la = {.level = level};
    uint32_t pal[SOL_CLASSES_MAX]; /* the score palette, when the caller gives no colours */
    sol_status rc = sol_store_areas(st, 1, on_level_area, &la, err);
    int *cls = NULL;
    double *val = NULL;
    unsigned char *supp = NULL; /* fill() said -2: withheld by disclosure control */
    sol_breaks *b = NULL;
    char *svg = NULL;
    size_t len = 0;
    if (rc != SOL_OK)
        goto done;
    if (la.failed) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    if (la.n == 0)
        goto done; /* nothing to draw */
    cls = sol__calloc(la.n, sizeof *cls);
    val = sol__calloc(la.n, sizeof *val);
    supp = sol__calloc(la.n, 1);
    if (!cls || !val || !supp) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    if (vals_for_breaks) {
        if ((rc = sol_render_breaks(vals_for_breaks, nvals, SOL_CLASS_QUANTILE, 5, &b, err)) !=
            SOL_OK)
            goto done;
        m->breaks = b;
        m->nclasses = b->nclasses;
    }
    for (size_t i = 0; i < la.n; i++) {
        cls[i] = fill(ud, la.f[i].code, &val[i]);
        if (cls[i] == -2) {
            supp[i] = 1;
            cls[i] = -1;
            val[i] = NAN;
        } else if (b) {
            cls[i] = isnan(val[i]) ? -1 : sol_render_class_of(b, val[i]);
        }
    }
    if (b && m->colour == NULL) {
        if ((rc = sol_render_palette("YlOrRd-r", b->nclasses, pal, err)) != SOL_OK)
            goto done;
        m->colour = pal;
    }
    sol_layer layer = {.n = la.n, .f = la.f};
    m->layer = &layer;
    m->cls = cls;
    m->value = val;
    m->suppressed = supp;
    if ((rc = sol_map_svg(m, &svg, &len, err)) == SOL_OK)
        figure(d, svg, len);
    sol_free(svg);
done:
    m->layer = NULL; /* the layer, classes and values were this function's own */
    m->cls = NULL;
    m->value = NULL;
    m->suppressed = NULL;
    sol_breaks_free(b);
    sol__free(cls);
    sol__free(val);
    sol__free(supp);
    level_areas_free(&la);
    return rc;
}

/* Is `code` among the areas a layer withholds (sol_run_layers_withhold's "withheld_areas")? */
static int withheld_in(json_t *layer, const char *code)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(layer, "withheld_areas"), i, c)
    {
        if (strcmp(json_string_value(c), code) == 0)
            return 1;
    }
    return 0;
}

typedef struct index_vals {
    json_t *areas, *layer;
} index_vals;

static int index_fill(void *ud, const char *code, double *value)
{
    index_vals *iv = ud;
    json_t *a = json_object_get(iv->areas, code);
    *value = a ? jdbl(a, "score") : NAN;
    if (a == NULL && withheld_in(iv->layer, code))
        return -2;
    return isnan(*value) ? -1 : 0;
}

/* The map's numbers as the document's language writes them. */
static void map_lang(const doc *d, sol_map *m)
{
    m->lang = sol_lang_code(d->lang);
    m->decimal_mark = sol_lang_decimal_mark(d->lang);
    m->thousands = d->lang == SOL_LANG_IT ? "." : d->lang == SOL_LANG_FR ? "\xE2\x80\xAF" : ",";
}

/* The composite index: its page (map, what it means, why the job's area ranks there), or with
 * appendix 1 every area by score for the appendix. */
static sol_status index_section(sol_store *st, doc *d, json_t *L, const char *area, int appendix,
                                sol_error *err)
{
    json_t *periods = json_object_get(L, "periods");
    const char *per = json_string_value(json_array_get(periods, json_array_size(periods) - 1));
    json_t *areas = per ? json_object_get(json_object_get(L, "areas"), per) : NULL;
    if (areas == NULL || json_object_size(areas) == 0)
        return SOL_OK;
    char line[4096], who[512];
    long long run = (long long)json_integer_value(json_object_get(L, "run"));
    snprintf(line, sizeof line, sol_lgettext(d->lang, "Composite well-being index, %s"), per);
    if (appendix)
        para(d, line, 14, 1, "h3");
    else
        section(d, line);
    if (!appendix) {
        snprintf(line, sizeof line,
                 sol_lgettext(
                     d->lang,
                     "The index sums up %zu indicators, grouped in %zu dimensions of well-being, "
                     "in one score per area. Each indicator is first put on a common scale, turned "
                     "so that higher always means better; the scores compare the areas with each "
                     "other, not with a target. The rank interval comes from recomputing the index "
                     "%lld times with other reasonable choices of method and weights: nine times "
                     "out of ten the rank stays within it."),
                 json_array_size(json_object_get(L, "indicators")),
                 json_array_size(json_object_get(L, "dimensions")),
                 (long long)json_integer_value(json_object_get(L, "replications")));
        para(d, line, 11, 0, "p");
        if (strcmp(jstr(L, "aggregation"), "mpi") == 0)
            para(d,
                 sol_lgettext(d->lang, "The dimensions are combined with a penalty for unbalanced "
                                       "profiles (Mazziotta-Pareto): a very low dimension is not "
                                       "fully made up for by a high one."),
                 11, 0, "p");
        snprintf(who, sizeof who, "%s",
                 *jstr(L, "weights_set_by") ? jstr(L, "weights_set_by") : "-");
        snprintf(line, sizeof line,
                 sol_lgettext(d->lang,
                              "The weights are a human choice, set by: %s. Method: %s (run %lld)."),
                 who, jstr(json_object_get(L, "method"), "name"), run);
        para(d, line, 11, 0, "p");
    }

    /* sorted by rank */
    size_t n = json_object_size(areas), k = 0;
    const char **codes = sol__calloc(n, sizeof *codes);
    double *scores = sol__calloc(n, sizeof *scores);
    const char **cells = sol__calloc(6 * (n + 1), sizeof *cells);
    char(*txt)[3][80] = sol__calloc(n, sizeof *txt);
    sol_status rc = SOL_OK;
    if (!codes || !scores || !cells || !txt) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    const char *code;
    json_t *a;
    size_t ns = 0;
    json_object_foreach(areas, code, a)
    {
        codes[k++] = code;
        if (!isnan(jdbl(a, "score")))
            scores[ns++] = jdbl(a, "score");
    }
    for (size_t i = 1; i < n; i++) /* insertion sort by rank (20 to a few thousand areas) */
        for (size_t j = i; j > 0; j--) {
            double r0 = jdbl(json_object_get(areas, codes[j - 1]), "rank");
            double r1 = jdbl(json_object_get(areas, codes[j]), "rank");
            if (!(isnan(r0) || (!isnan(r1) && r1 < r0)))
                break;
            const char *t = codes[j];
            codes[j] = codes[j - 1];
            codes[j - 1] = t;
        }
    if (ns >= 2 && !appendix) {
        sol_map m;
        sol_map_init(&m);
        char title[256], src[512];
        snprintf(title, sizeof title, "%s, %s", sol_lgettext(d->lang, "Composite well-being index"),
                 per);
        snprintf(src, sizeof src, sol_lgettext(d->lang, "solidata run %lld (%s)"), run,
                 jstr(json_object_get(L, "method"), "name"));
        m.title = title;
        m.subtitle = sol_lgettext(d->lang, "score; higher is better: darker areas fare worse");
        m.legend_title = sol_lgettext(d->lang, "Quantiles");
        m.source = src;
        map_lang(d, &m);
        index_vals iv = {areas, L};
        if ((rc = analysis_map(st, d, jstr(L, "level"), &m, index_fill, &iv, scores, ns, err)) !=
            SOL_OK)
            goto done;
    }
    if (area && !appendix && json_object_get(areas, area) == NULL && withheld_in(L, area)) {
        char nm[160];
        area_label(st, area, nm, sizeof nm);
        snprintf(line, sizeof line,
                 sol_lgettext(d->lang, "%s: its place in the index is withheld (statistical "
                                       "disclosure control)."),
                 nm);
        para(d, line, 11, 0, "p");
    }
    if (area && !appendix && json_object_get(areas, area)) {
        a = json_object_get(areas, area);
        json_t *dims = json_object_get(a, "dims"), *ds = NULL, *dw = NULL, *x;
        size_t i;
        json_array_foreach(dims, i, x)
        {
            if (strcmp(jstr(x, "name"), jstr(a, "strength")) == 0)
                ds = x;
            if (strcmp(jstr(x, "name"), jstr(a, "weakness")) == 0)
                dw = x;
        }
        if (ds && dw && !isnan(jdbl(a, "score"))) {
            char sc[64], lo[32], hi[32], zs[32], zw[32], rk[32], of[32];
            num(d, jdbl(a, "score"), sc, sizeof sc);
            fmt_rank(d, jdbl(a, "rank_lo"), lo, sizeof lo);
            fmt_rank(d, jdbl(a, "rank_hi"), hi, sizeof hi);
            fmt_rank(d, jdbl(a, "rank"), rk, sizeof rk);
            fmt_rank(d, jdbl(a, "n"), of, sizeof of);
            sol_lang_number(d->lang, fabs(jdbl(ds, "z")), 1, 0, zs, sizeof zs);
            sol_lang_number(d->lang, fabs(jdbl(dw, "z")), 1, 0, zw, sizeof zw);
            snprintf(
                line, sizeof line,
                sol_lgettext(d->lang,
                             "%s ranks %s of %s (90%% rank interval %s to %s) with a score of %s. "
                             "Its strongest dimension is %s (%s standard deviations above the "
                             "average) and its weakest is %s (%s standard deviations below)."),
                *jstr(a, "name") ? jstr(a, "name") : area, rk, of, lo, hi, sc, jstr(ds, "name"), zs,
                jstr(dw, "name"), zw);
            para(d, line, 11, 0, "p");
        }
    }
    if (!appendix)
        goto done;
    snprintf(line, sizeof line, sol_lgettext(d->lang, "All %zu areas by score"), n);
    para(d, line, 12, 1, "h3");
    para(d, sol_lgettext(d->lang, "Rank 1 is the highest score (best well-being)."), 10, 0, "p");
    size_t c = 0;
    cells[c++] = sol_lgettext(d->lang, "Rank");
    cells[c++] = sol_lgettext(d->lang, "Area");
    cells[c++] = sol_lgettext(d->lang, "Score");
    cells[c++] = sol_lgettext(d->lang, "90% rank interval");
    cells[c++] = sol_lgettext(d->lang, "Strongest dimension");
    cells[c++] = sol_lgettext(d->lang, "Weakest dimension");
    for (size_t i = 0; i < n; i++) {
        a = json_object_get(areas, codes[i]);
        char lo[32], hi[32];
        fmt_rank(d, jdbl(a, "rank"), txt[i][0], sizeof txt[i][0]);
        num(d, jdbl(a, "score"), txt[i][1], sizeof txt[i][1]);
        fmt_rank(d, jdbl(a, "rank_lo"), lo, sizeof lo);
        fmt_rank(d, jdbl(a, "rank_hi"), hi, sizeof hi);
        snprintf(txt[i][2], sizeof txt[i][2], "%s\xE2\x80\x93%s", lo, hi);
        cells[c++] = txt[i][0];
        cells[c++] = *jstr(a, "name") ? jstr(a, "name") : codes[i];
        cells[c++] = txt[i][1];
        cells[c++] = txt[i][2];
        cells[c++] = jstr(a, "strength");
        cells[c++] = jstr(a, "weakness");
    }
    static const double w6[] = {0.07, 0.25, 0.1, 0.12, 0.23, 0.23};
    table_fs(d, cells, n + 1, 6, w6, 8);
done:
    sol__free_n(4, codes, scores, cells, txt);
    return rc;
}

static const char *const cluster_keys[5] = {"HH", "LL", "HL", "LH", "NS"};

static int cluster_of(const char *c)
{
    for (int k = 0; k < 5; k++)
        if (strcmp(c, cluster_keys[k]) == 0)
            return k;
    return -1;
}

typedef struct lisa_vals {
    json_t *areas, *layer;
    const sol_values *v; /* the indicator's values as the observations give them; may be NULL */
} lisa_vals;

static double lisa_value(const lisa_vals *lv, const char *code)
{
    if (lv->v == NULL)
        return NAN;
    size_t lo = 0, hi = lv->v->n; /* codes are ascending */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(lv->v->codes[mid], code);
        if (c == 0)
            return lv->v->values[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NAN;
}

static int lisa_fill(void *ud, const char *code, double *value)
{
    lisa_vals *lv = ud;
    json_t *a = json_object_get(lv->areas, code);
    *value = lisa_value(lv, code);
    if (a == NULL && withheld_in(lv->layer, code))
        return -2;
    return a ? cluster_of(jstr(a, "cluster")) : -1;
}

static void fmt_p(const doc *d, double p, char *buf, size_t n)
{
    char x[32];
    if (isnan(p)) {
        inum(d, p, buf, n);
    } else if (p < 0.001) {
        sol_lang_number(d->lang, 0.001, 3, 0, x, sizeof x);
        snprintf(buf, n, "< %s", x);
    } else { /* two significant digits */
        int dec = 1 - (int)floor(log10(p));
        sol_lang_number(d->lang, p, dec < 0 ? 0 : dec > 6 ? 6 : dec, 0, buf, n);
    }
}

static sol_status hotspot_section(sol_store *st, doc *d, json_t *L, const char *area,
                                  sol_error *err)
{
    json_t *areas = json_object_get(L, "areas");
    size_t n = json_object_size(areas);
    if (n == 0)
        return SOL_OK;
    char line[4096], alpha[32];
    const char *label = *jstr(L, "label") ? jstr(L, "label") : jstr(L, "indicator");
    long long run = (long long)json_integer_value(json_object_get(L, "run"));
    snprintf(line, sizeof line, sol_lgettext(d->lang, "Hot spots of \"%s\" (%s)"), label,
             jstr(L, "period"));
    section(d, line);
    para(d,
         sol_lgettext(d->lang,
                      "The map shows where areas with similar values sit next to each other more "
                      "than chance would make them (local Moran's I, LISA): high values among high "
                      "(hot spots, red), low among low (cold spots, blue), and areas that differ "
                      "from their neighbours (light colours)."),
         11, 0, "p");
    num(d, jdbl(L, "alpha"), alpha, sizeof alpha);
    if (strcmp(jstr(L, "inference"), "permutation") == 0)
        snprintf(
            line, sizeof line,
            sol_lgettext(d->lang,
                         "An area is coloured when its p-value, from %lld random rearrangements of "
                         "the values among the areas, is below %s; the others are grey."),
            (long long)json_integer_value(json_object_get(L, "permutations")), alpha);
    else
        snprintf(line, sizeof line,
                 sol_lgettext(d->lang, "An area is coloured when its p-value (normal approximation "
                                       "of local Moran's I) is below %s; the others are grey."),
                 alpha);
    para(d, line, 11, 0, "p");
    long long cnt[5] = {0};
    const char *code;
    json_t *a;
    json_object_foreach(areas, code, a)
    {
        int k = cluster_of(jstr(a, "cluster"));
        if (k >= 0)
            cnt[k]++;
    }
    snprintf(line, sizeof line,
             sol_lgettext(d->lang, "Of %zu areas: %lld High-High, %lld Low-Low, %lld High-Low, "
                                   "%lld Low-High, %lld not significant."),
             n, cnt[0], cnt[1], cnt[2], cnt[3], cnt[4]);
    para(d, line, 11, 0, "p");
    if (strcmp(jstr(L, "adjust"), "none") == 0) {
        snprintf(line, sizeof line,
                 sol_lgettext(d->lang, "With %zu areas tested at once, a few clusters are expected "
                                       "by chance alone: read an isolated one with care."),
                 n);
        para(d, line, 11, 0, "p");
    }
    /* the map: GeoDa colours, a legend in words */
    uint32_t colour[5];
    const char *labels[5] = {sol_lgettext(d->lang, "High-High"), sol_lgettext(d->lang, "Low-Low"),
                             sol_lgettext(d->lang, "High-Low"), sol_lgettext(d->lang, "Low-High"),
                             sol_lgettext(d->lang, "not significant")};
    for (int k = 0; k < 5; k++)
        sol_render_lisa_colour(cluster_keys[k], &colour[k]);
    sol_map m;
    sol_map_init(&m);
    char title[1024], src[512], sub[128];
    snprintf(title, sizeof title, sol_lgettext(d->lang, "Hot spots of \"%s\" (%s)"), label,
             jstr(L, "period"));
    snprintf(src, sizeof src, sol_lgettext(d->lang, "solidata run %lld (%s)"), run,
             jstr(L, "method"));
    snprintf(sub, sizeof sub, "LISA, p < %s", alpha);
    m.title = title;
    m.subtitle = sub;
    m.legend_title = sol_lgettext(d->lang, "Cluster");
    m.nclasses = 5;
    m.colour = colour;
    m.label = labels;
    m.class_key = cluster_keys;
    m.source = src;
    map_lang(d, &m);
    /* the values from the observations (an indicator or period since removed: no values) */
    sol_values *vals = NULL;
    if (sol_run_values(st, jstr(L, "indicator"), jstr(L, "period"), 0, &vals, NULL) != SOL_OK)
        vals = NULL;
    else
        sol_values_withhold(vals); /* the report is public: no withheld value in the tooltips */
    lisa_vals lv = {areas, L, vals};
    sol_status rc = analysis_map(st, d, jstr(L, "level"), &m, lisa_fill, &lv, NULL, 0, err);
    if (rc != SOL_OK) {
        sol_values_free(vals);
        return rc;
    }
    if (area && (a = json_object_get(areas, area)) != NULL) {
        int k = cluster_of(jstr(a, "cluster"));
        char p[32];
        fmt_p(d, jdbl(a, "p"), p, sizeof p);
        const char *says[5] = {
            sol_lgettext(d->lang, "%s is in a High-High cluster: its value is high and so are its "
                                  "neighbours'. It is part of a hot spot (p = %s)."),
            sol_lgettext(d->lang, "%s is in a Low-Low cluster: its value is low and so are its "
                                  "neighbours'. It is part of a cold spot (p = %s)."),
            sol_lgettext(d->lang, "%s is a High-Low outlier: its value is high while its "
                                  "neighbours' are low (p = %s)."),
            sol_lgettext(d->lang, "%s is a Low-High outlier: its value is low while its "
                                  "neighbours' are high (p = %s)."),
            sol_lgettext(d->lang, "%s is not part of a significant cluster (p = %s): the pattern "
                                  "of its value and its neighbours' could well arise by chance.")};
        if (k >= 0) {
            snprintf(line, sizeof line, says[k], *jstr(a, "name") ? jstr(a, "name") : area, p);
            para(d, line, 11, 0, "p");
        }
    }
    /* the significant areas, by cluster then p */
    para(d, sol_lgettext(d->lang, "The areas in a significant cluster"), 12, 1, "h3");
    const char **codes = sol__calloc(n, sizeof *codes);
    const char **cells = sol__calloc(4 * (n + 1), sizeof *cells);
    char(*txt)[2][64] = sol__calloc(n, sizeof *txt);
    if (!codes || !cells || !txt) {
        sol__free(codes);
        sol__free(cells);
        sol__free(txt);
        sol_values_free(vals);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    size_t k = 0;
    json_object_foreach(areas, code, a)
    {
        int c = cluster_of(jstr(a, "cluster"));
        if (c >= 0 && c < 4)
            codes[k++] = code;
    }
    for (size_t i = 1; i < k; i++)
        for (size_t j = i; j > 0; j--) {
            json_t *x = json_object_get(areas, codes[j - 1]), *y = json_object_get(areas, codes[j]);
            int cx = cluster_of(jstr(x, "cluster")), cy = cluster_of(jstr(y, "cluster"));
            if (cx < cy || (cx == cy && !(jdbl(y, "p") < jdbl(x, "p"))))
                break;
            const char *t = codes[j];
            codes[j] = codes[j - 1];
            codes[j - 1] = t;
        }
    if (k == 0) {
        para(d, sol_lgettext(d->lang, "No area is in a significant cluster."), 11, 0, "p");
    } else {
        size_t c = 0;
        cells[c++] = sol_lgettext(d->lang, "Area");
        cells[c++] = sol_lgettext(d->lang, "Cluster");
        cells[c++] = sol_lgettext(d->lang, "p");
        cells[c++] = sol_lgettext(d->lang, "Value");
        for (size_t i = 0; i < k; i++) {
            a = json_object_get(areas, codes[i]);
            fmt_p(d, jdbl(a, "p"), txt[i][0], sizeof txt[i][0]);
            num(d, lisa_value(&lv, codes[i]), txt[i][1], sizeof txt[i][1]);
            cells[c++] = *jstr(a, "name") ? jstr(a, "name") : codes[i];
            cells[c++] = labels[cluster_of(jstr(a, "cluster"))];
            cells[c++] = txt[i][0];
            cells[c++] = txt[i][1];
        }
        static const double w4[] = {0.4, 0.25, 0.15, 0.2};
        table_fs(d, cells, k + 1, 4, w4, 8);
    }
    sol__free(codes);
    sol__free(cells);
    sol__free(txt);
    sol_values_free(vals);
    return SOL_OK;
}

typedef struct rows {
    doc *d;
    char **cell; /* owned strings, row-major */
    size_t n, cap, ncol;
    int failed;
} rows;

static void row_add(rows *r, const char *const *vals)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        char **c = sol__realloc(r->cell, cap * r->ncol * sizeof *c);
        if (c == NULL) {
            r->failed = 1;
            return;
        }
        r->cell = c;
        r->cap = cap;
    }
    for (size_t k = 0; k < r->ncol; k++)
        r->cell[r->n * r->ncol + k] = sol__strdup(vals[k] ? vals[k] : "");
    r->n++;
}

static void rows_free(rows *r)
{
    for (size_t i = 0; i < r->n * r->ncol; i++)
        sol__free(r->cell[i]);
    sol__free(r->cell);
}

static int on_profile(void *ud, const sol_profile_row *p)
{
    rows *r = ud;
    const doc *d = r->d;
    if (p->polarity == 0)
        return 0;
    if (sol_withhold_obs(p->flags, SOL_ROLE_PUBLIC)) { /* neither the value nor its position */
        const char *v[] = {p->label ? p->label : p->indicator, p->period, withheld_word(d),
                           withheld_word(d)};
        row_add(r, v);
        return 0;
    }
    long long need = p->polarity < 0 ? p->rank_desc : p->n_areas - p->rank_desc + 1;
    char val[256], pos[256], rk[32], of[32], v0[64];
    num(d, p->value, v0, sizeof v0);
    if (!isnan(p->se)) {
        char lo[64], hi[64];
        num(d, p->value - 1.959963984540054 * p->se, lo, sizeof lo);
        num(d, p->value + 1.959963984540054 * p->se, hi, sizeof hi);
        snprintf(val, sizeof val, sol_lgettext(d->lang, "%s (95%% interval: %s to %s)"), v0, lo,
                 hi);
    } else {
        snprintf(val, sizeof val, "%s", v0);
    }
    inum(d, (double)need, rk, sizeof rk);
    inum(d, (double)p->n_areas, of, sizeof of);
    if (need * 5 <= p->n_areas)
        snprintf(pos, sizeof pos, sol_lgettext(d->lang, "%s of %s, among the areas most in need"),
                 rk, of);
    else if (need * 5 > 4 * p->n_areas)
        snprintf(pos, sizeof pos, sol_lgettext(d->lang, "%s of %s, among the areas least in need"),
                 rk, of);
    else
        snprintf(pos, sizeof pos, sol_lgettext(d->lang, "%s of %s, in the middle"), rk, of);
    const char *v[] = {p->label ? p->label : p->indicator, p->period, val, pos};
    row_add(r, v);
    return 0;
}

static int on_run(void *ud, const sol_run *run)
{
    rows *r = ud;
    json_t *card = run->method_card ? json_loads(run->method_card, 0, NULL) : NULL;
    const char *method =
        json_string_value(json_object_get(json_object_get(card, "method"), "name"));
    char when[64];
    date_words(r->d, run->created_at, when, sizeof when);
    const char *v[] = {run->kind, when, run->created_by, method};
    row_add(r, v);
    json_decref(card);
    return 0;
}

static int on_source(void *ud, const sol_source *s)
{
    rows *r = ud;
    if (strcmp(s->status, "current") != 0)
        return 0;
    const char *v[] = {s->name,
                       s->licence ? s->licence : sol_lgettext(r->d->lang, "licence not stated"),
                       s->attribution};
    row_add(r, v);
    return 0;
}

static void rows_table(doc *d, rows *r, const char *const *head, const double *w)
{
    const char **cells = sol__calloc((r->n + 1) * r->ncol, sizeof *cells);
    if (cells == NULL) {
        d->failed = 1;
        return;
    }
    for (size_t k = 0; k < r->ncol; k++)
        cells[k] = head[k];
    for (size_t i = 0; i < r->n * r->ncol; i++)
        cells[r->ncol + i] = r->cell[i] ? r->cell[i] : "";
    table(d, cells, r->n + 1, r->ncol, w);
    sol__free(cells);
}

typedef struct pick {
    char codes[MAX_IND][SOL_MAX_CODE + 1];
    int64_t n_obs[MAX_IND];
    size_t n, max;
} pick;

static int on_pick(void *ud, const sol_indicator *i)
{
    pick *p = ud;
    if (i->polarity == 0 || i->n_obs == 0)
        return 0;
    /* keep the `max` with the most observations (ties by code, the walk order) */
    size_t at = p->n;
    while (at > 0 && p->n_obs[at - 1] < i->n_obs)
        at--;
    if (at >= p->max)
        return 0;
    size_t last = p->n < p->max ? p->n : p->max - 1;
    for (size_t k = last; k > at; k--) {
        memcpy(p->codes[k], p->codes[k - 1], sizeof p->codes[k]);
        p->n_obs[k] = p->n_obs[k - 1];
    }
    snprintf(p->codes[at], sizeof p->codes[at], "%s", i->code);
    p->n_obs[at] = i->n_obs;
    if (p->n < p->max)
        p->n++;
    return 0;
}

static int chosen(const atlas *at, const char *code)
{
    for (size_t k = 0; k < at->nind; k++)
        if (strcmp(at->ind[k].code, code) == 0)
            return 1;
    return 0;
}

/* ---- emerging needs: the latest alerts run, worsening signals, in the document's language ---- */

/* The latest alerts run's worsening alerts (of the job's area when given; of the atlas'
 * indicators when the user named them), strongest first, at most 20, each its own sentence;
 * alerts about an area whose values of that indicator are withheld are left out. When none
 * remains, the page says which indicators were looked at. */
static sol_status alerts_section(sol_store *st, doc *d, const atlas *at, const char *area,
                                 sol_error *err)
{
    char *js = NULL;
    sol_status rc = sol_run_alerts_latest(st, &js, err);
    if (rc == SOL_OK)
        rc = sol_withhold_alerts(st, &js, err);
    if (rc != SOL_OK) {
        free(js);
        return rc;
    }
    json_t *root = json_loads(js, 0, NULL), *alerts = json_object_get(root, "alerts");
    free(js);
    char line[4096], list[4096];
    section(d, sol_lgettext(d->lang, "Emerging needs"));
    indicator_list(d, at, list, sizeof list);
    if (!json_is_array(alerts) || json_object_get(root, "run") == NULL ||
        json_is_null(json_object_get(root, "run"))) {
        para(d,
             sol_lgettext(d->lang, "No check for emerging needs has been run yet: the command "
                                   "'solidata alerts' runs one."),
             11, 0, "p");
        json_decref(root);
        return SOL_OK;
    }
    json_t *keep = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(alerts, i, a)
    {
        const char *ind = jstr(a, "indicator"), *ar = jstr(a, "area"), *dir = jstr(a, "direction");
        if (strcmp(dir, "worsening") != 0 || (area && strcmp(ar, area) != 0) ||
            (at->chosen && !chosen(at, ind)))
            continue;
        json_array_append(keep, a);
    }
    size_t n = json_array_size(keep);
    const char *since = *jstr(root, "since") ? jstr(root, "since") : "?";
    if (n == 0 && at->chosen && *at->area_name && area)
        sayf(d, 11, 0, "p",
             sol_lngettext(d->lang,
                           "The latest check (since %s) looked at %s for %s: it shows no signal "
                           "of growing need.",
                           "The latest check (since %s) looked at %s for %s: none of them shows a "
                           "signal of growing need.",
                           at->nind),
             since, list, at->area_name);
    else if (n == 0 && at->chosen)
        sayf(d, 11, 0, "p",
             sol_lngettext(d->lang,
                           "The latest check (since %s) looked at %s: it shows no signal of "
                           "growing need.",
                           "The latest check (since %s) looked at %s: none of them shows a signal "
                           "of growing need.",
                           at->nind),
             since, list);
    else if (n == 0 && area)
        sayf(d, 11, 0, "p",
             sol_lgettext(d->lang, "The latest check (since %s) found no signal of growing need "
                                   "in %s."),
             since, at->area_name);
    else if (n == 0)
        para(d,
             sol_lgettext(d->lang, "No signal of growing need passed the false-discovery control."),
             11, 0, "p");
    else if (area)
        sayf(d, 11, 0, "p", sol_lgettext(d->lang, "Signals about %s:"), at->area_name);
    else {
        char pct[32];
        sol_lang_percent(d->lang, 100 * jdbl(root, "fdr"), 0, pct, sizeof pct);
        sayf(d, 11, 0, "p",
             sol_lngettext(d->lang,
                           "The latest check (since %s) found %zu signal of growing need among "
                           "%lld tests, keeping the expected share of false alarms under %s. "
                           "The strongest:",
                           "The latest check (since %s) found %zu signals of growing need among "
                           "%lld tests, keeping the expected share of false alarms under %s. "
                           "The strongest:",
                           n),
             since, n, (long long)json_integer_value(json_object_get(root, "tests")), pct);
    }
    for (i = 0; i < n && i < 20; i++) {
        json_t *sent = json_object_get(json_array_get(keep, i), "sentence");
        const char *txt = jstr(sent, sol_lang_code(d->lang));
        if (*txt == '\0')
            continue;
        snprintf(line, sizeof line, "%zu. %s", i + 1, txt);
        para(d, line, 10, 0, "p");
    }
    para(d,
         sol_lgettext(d->lang,
                      "Every series of every area is tested for a steady trend, a sudden change "
                      "and an unusual latest value; with thousands of tests some would look "
                      "significant by chance, so only signals whose false discovery rate (q) is "
                      "below the chosen level are kept. An alert is a reason to look closer, not "
                      "a conclusion. Areas whose values are withheld by disclosure control are "
                      "left out."),
         10, 0, "p");
    json_decref(keep);
    json_decref(root);
    return SOL_OK;
}

/* ---- forecasts: where the series of the areas in focus go if they behave as they did --------- */

/* The way a forecast goes, from its last point against the last observed value: within a
 * quarter of the 80% interval's width it stays; otherwise it falls or rises. */
static int forecast_way(double last, double mean, double lo80, double hi80)
{
    double tol = 0.25 * fabs(hi80 - lo80);
    if (!isfinite(last) || !isfinite(mean) || fabs(mean - last) <= tol)
        return 0;
    return mean < last ? -1 : 1;
}

/* One sentence for the forecast of `code` in layer areas `A`; 0 when there is none. */
static int forecast_sentence(doc *d, const char *name, const char *label, json_t *fa,
                             const sol_values *v, const char *code)
{
    json_t *path = json_object_get(fa, "forecast");
    json_t *end = json_array_get(path, json_array_size(path) - 1);
    if (end == NULL)
        return 0;
    double last = NAN;
    for (size_t i = 0; v && i < v->n; i++)
        if (strcmp(v->codes[i], code) == 0)
            last = v->values[i];
    double mean = jdbl(end, "mean"), lo = jdbl(end, "lo80"), hi = jdbl(end, "hi80");
    char m[64], l[64], h[64], x[64];
    num(d, mean, m, sizeof m);
    num(d, lo, l, sizeof l);
    num(d, hi, h, sizeof h);
    num(d, last, x, sizeof x);
    const char *per = jstr(end, "period"), *lastper = v ? v->period : "";
    switch (forecast_way(last, mean, lo, hi)) {
    case 0:
        sayf(d, 11, 0, "p",
             sol_lgettext(d->lang, "%s: \"%s\" stays about %s until %s (between %s and %s, 8 "
                                   "times out of 10); the last value, in %s, was %s."),
             name, label, m, per, l, h, lastper, x);
        break;
    case -1:
        sayf(d, 11, 0, "p",
             sol_lgettext(d->lang, "%s: \"%s\" continues to fall to about %s in %s (between %s "
                                   "and %s, 8 times out of 10); the last value, in %s, was %s."),
             name, label, m, per, l, h, lastper, x);
        break;
    default:
        sayf(d, 11, 0, "p",
             sol_lgettext(d->lang, "%s: \"%s\" continues to rise to about %s in %s (between %s "
                                   "and %s, 8 times out of 10); the last value, in %s, was %s."),
             name, label, m, per, l, h, lastper, x);
    }
    return 1;
}

/* The forecasts of the atlas' indicators for the job's area, else the areas in greatest need;
 * the indicators without a forecast run are named. */
static sol_status forecast_section(sol_store *st, doc *d, const atlas *at, const char *area,
                                   sol_error *err)
{
    char list[4096];
    const char *none[MAX_IND];
    size_t nnone = 0, said = 0;
    const char *focus[TOP_NEED];
    const char *names[TOP_NEED];
    size_t nfocus = 0;
    if (area) {
        focus[nfocus] = area;
        names[nfocus++] = at->area_name;
    } else {
        for (size_t t = 0; t < at->ntop; t++) {
            focus[nfocus] = at->a[at->top[t]].code;
            names[nfocus++] = at->a[at->top[t]].name;
        }
    }
    section(d, sol_lgettext(d->lang, "Forecasts"));
    para(d,
         sol_lgettext(d->lang,
                      "A forecast extends an area's series with an exponential smoothing model "
                      "(ETS) chosen from the data: it says where the series goes if it behaves as "
                      "it did, not what will happen. The range given holds the future value 8 "
                      "times out of 10."),
         11, 0, "p");
    for (size_t k = 0; k < at->nind; k++) {
        char *js = NULL;
        sol_status rc = sol_run_forecast_layer(st, at->ind[k].code, &js, err);
        if (rc == SOL_OK)
            rc = sol_withhold_forecast(st, at->ind[k].code, &js, err);
        if (rc != SOL_OK) {
            sol_free(js);
            return rc;
        }
        json_t *root = json_loads(js, 0, NULL);
        sol_free(js);
        json_t *areas = json_object_get(root, "areas");
        if (json_is_null(json_object_get(root, "run")) || json_object_get(root, "run") == NULL ||
            json_object_size(areas) == 0) {
            none[nnone++] = at->ind[k].quoted;
            json_decref(root);
            continue;
        }
        sol_values *v = NULL;
        if (sol_run_values(st, at->ind[k].code, NULL, 0, &v, NULL) == SOL_OK)
            sol_values_withhold(v);
        for (size_t f = 0; f < nfocus; f++) {
            json_t *fa = json_object_get(areas, focus[f]);
            if (fa && forecast_sentence(d, names[f], at->ind[k].label, fa, v, focus[f]))
                said++;
        }
        sol_values_free(v);
        json_decref(root);
    }
    if (nnone == at->nind && at->nind) {
        indicator_list(d, at, list, sizeof list);
        sayf(d, 11, 0, "p",
             sol_lngettext(d->lang,
                           "No forecast has been computed for the indicator of this atlas (%s): "
                           "the command 'solidata forecast --indicator CODE' computes one.",
                           "No forecast has been computed for any of the indicators of this atlas "
                           "(%s): the command 'solidata forecast --indicator CODE' computes them.",
                           at->nind),
             list);
        return SOL_OK;
    }
    if (nnone) {
        join_list(d, none, nnone, list, sizeof list);
        sayf(d, 11, 0, "p", sol_lgettext(d->lang, "No forecast has been computed for: %s."), list);
    }
    if (said == 0 && nfocus) {
        const char *const *nm = names;
        char who[2048];
        join_list(d, nm, nfocus, who, sizeof who);
        sayf(d, 11, 0, "p",
             sol_lgettext(d->lang, "The forecasts computed do not cover %s (their values may be "
                                   "withheld, or their series too short)."),
             who);
    }
    return SOL_OK;
}

/* ---- the atlas ------------------------------------------------------------------------------- */

sol_status sol_run_report(sol_store *st, const sol_report_job *o, const char *path, sol_error *err)
{
    sol_status rc = SOL_OK;
    doc d = {0};
    const char *lang = o && o->lang ? o->lang : NULL;
    if (lang == NULL)
        d.lang = sol_lang_current();
    else if (strcmp(lang, "en") == 0)
        d.lang = SOL_LANG_EN;
    else if (strcmp(lang, "it") == 0)
        d.lang = SOL_LANG_IT;
    else if (strcmp(lang, "fr") == 0)
        d.lang = SOL_LANG_FR;
    else
        return sol__err(err, SOL_EINVAL, "language '%s': expected en, it or fr", lang);
    int ranks = 0;
    if (o && o->appendix && *o->appendix) {
        if (strcmp(o->appendix, "ranks") != 0)
            return sol__err(err, SOL_EINVAL, "appendix '%s': expected ranks", o->appendix);
        ranks = 1;
    }
    size_t pl = strlen(path);
    if (pl > 5 && strcmp(path + pl - 5, ".html") == 0)
        d.pdf = 0;
    else if (pl > 4 && strcmp(path + pl - 4, ".pdf") == 0)
        d.pdf = 1;
    else
        return sol__err(err, SOL_EINVAL, "%s: the report is written as .html or .pdf", path);
    const char *area = o ? o->area : NULL;
    sol__buf_init(&d.html, MAX_DOC);
    sol__buf_init(&d.page, MAX_DOC);
    rows prof = {.d = &d, .ncol = 4}, runs = {.d = &d, .ncol = 4}, srcs = {.d = &d, .ncol = 3};
    pick *pk = sol__calloc(1, sizeof *pk);
    atlas *at = sol__calloc(1, sizeof *at);
    char *layers_json = NULL;
    json_t *layers = NULL;
    char line[4096], today[32], date[64], srclist[2048] = "";
    if (pk == NULL || at == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto out;
    }
    if (area && !area_label(st, area, at->area_name, sizeof at->area_name)) {
        rc = sol__err(err, SOL_ENOTFOUND, "no area with code '%s'", area);
        goto out;
    }

    /* the indicators */
    if (o && o->indicators) {
        const char *s = o->indicators;
        while (*s && pk->n < MAX_IND) {
            size_t n = strcspn(s, ",");
            if (n && n <= SOL_MAX_CODE)
                snprintf(pk->codes[pk->n++], SOL_MAX_CODE + 1, "%.*s", (int)n, s);
            s += n;
            if (*s == ',')
                s++;
        }
        at->chosen = 1;
    } else {
        pk->max = o && o->max_indicators
                      ? (o->max_indicators > MAX_IND ? MAX_IND : o->max_indicators)
                      : 6;
        if ((rc = sol_store_indicators(st, on_pick, pk, err)) != SOL_OK)
            goto out;
    }
    for (size_t k = 0; k < pk->n; k++)
        snprintf(at->ind[k].code, sizeof at->ind[k].code, "%s", pk->codes[k]);
    at->nind = pk->n;
    if ((rc = atlas_load(st, at, err)) != SOL_OK)
        goto out;
    for (size_t k = 0; k < at->nind; k++)
        /* TRANSLATORS: an indicator's name quoted in a sentence. */
        snprintf(at->ind[k].quoted, sizeof at->ind[k].quoted, sol_lgettext(d.lang, "\"%s\""),
                 at->ind[k].label);

    /* the sources, for the first page and the footer of every page */
    if ((rc = sol_store_sources(st, on_source, &srcs, err)) != SOL_OK)
        goto out;
    {
        const char *items[64];
        char item[64][256];
        size_t ns = srcs.n < 64 ? srcs.n : 64;
        for (size_t i = 0; i < ns; i++) {
            snprintf(item[i], sizeof item[i], "%s (%s)", srcs.cell[3 * i], srcs.cell[3 * i + 1]);
            items[i] = item[i];
        }
        join_list(&d, items, ns, srclist, sizeof srclist);
    }
    sol__utc_now(today, sizeof today);
    date_words(&d, today, date, sizeof date);
    snprintf(d.foot1, sizeof d.foot1, "%s \xC2\xB7 %s \xC2\xB7 solidata %s",
             sol_lgettext(d.lang, "Atlas of social needs"), date, SOL_VERSION_STRING);
    snprintf(d.foot2, sizeof d.foot2, sol_lgettext(d.lang, "Sources: %s."),
             *srclist ? srclist : sol_lgettext(d.lang, "none imported"));

    if (!d.pdf)
        sol__buf_addf(
            &d.html,
            "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width\"><title>%s</title>"
            "<style>body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;"
            "max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;"
            "line-height:1.45}figure{margin:1rem 0}figure svg{width:100%%;height:auto}"
            "table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{text-align:left;"
            "padding:.2rem .8rem .2rem 0;border-bottom:1px solid #ddd}"
            "table.compact{font-size:.8rem}table.compact td,table.compact th{padding:.05rem "
            ".6rem .05rem 0}thead{display:table-header-group}"
            "h2{margin-top:2.5rem;border-top:2px solid #333;padding-top:1rem}"
            "footer{margin-top:3rem;border-top:1px solid #bbb;font-size:.8rem;color:#555}"
            "@media print{h2{page-break-before:always}body{margin-bottom:4rem}"
            "footer{position:fixed;bottom:0;left:0;right:0;background:#fff}}</style></head>"
            "<body>\n",
            sol_lang_code(d.lang), sol_lgettext(d.lang, "Atlas of social needs"));
    cover(&d, at, srclist, date);

    /* one page per indicator: a map and its reading */
    for (size_t k = 0; k < pk->n; k++)
        if ((rc = indicator_section(st, &d, pk->codes[k], 0, err)) != SOL_OK)
            goto out;

    /* the analyses: the latest composite index and hot-spot runs */
    if ((rc = sol_run_layers(st, &layers_json, err)) != SOL_OK ||
        (rc = sol_withhold_layers(st, &layers_json, err)) != SOL_OK)
        goto out;
    layers = json_loads(layers_json, 0, NULL);
    json_t *index = json_object_get(layers, "index"), *hot = json_object_get(layers, "hotspots");
    if (json_is_object(index) && (rc = index_section(st, &d, index, area, 0, err)) != SOL_OK)
        goto out;
    if (json_is_object(hot) && (rc = hotspot_section(st, &d, hot, area, err)) != SOL_OK)
        goto out;
    if ((rc = alerts_section(st, &d, at, area, err)) != SOL_OK)
        goto out;
    if ((rc = forecast_section(st, &d, at, area, err)) != SOL_OK)
        goto out;

    if (area) {
        if ((rc = sol_store_area_profile(st, area, on_profile, &prof, err)) != SOL_OK)
            goto out;
        snprintf(line, sizeof line, sol_lgettext(d.lang, "Profile of %s"), at->area_name);
        section(&d, line);
        const char *head[] = {sol_lgettext(d.lang, "Indicator"), sol_lgettext(d.lang, "Period"),
                              sol_lgettext(d.lang, "Value"), sol_lgettext(d.lang, "Position")};
        static const double w4[] = {0.38, 0.1, 0.2, 0.32};
        rows_table(&d, &prof, head, w4);
    }

    /* sources and method */
    section(&d, sol_lgettext(d.lang, "Sources and method"));
    para(&d, sol_lgettext(d.lang, "How to read this atlas"), 14, 1, "h3");
    para(&d,
         sol_lgettext(d.lang, "Maps group the areas into five classes of equal size (quantiles); "
                              "a darker colour always means more need, whichever way the "
                              "indicator runs."),
         11, 0, "p");
    para(&d,
         sol_lgettext(d.lang, "Whether a higher value is better or worse (the polarity) is a "
                              "human choice, recorded with each indicator and shown here."),
         11, 0, "p");
    para(&d,
         sol_lgettext(d.lang, "Missing values are left out, never counted as zero; areas without "
                              "a value are hatched on the maps."),
         11, 0, "p");
    para(&d,
         sol_lgettext(d.lang, "Values withheld by statistical disclosure control are never shown, "
                              "nor their ranks: they are said to be withheld."),
         11, 0, "p");
    para(&d,
         sol_lgettext(d.lang, "Every figure comes from the sources listed below, as imported, "
                              "with their checksums kept in the catalog."),
         11, 0, "p");
    para(&d, sol_lgettext(d.lang, "Sources and licences"), 14, 1, "h3");
    {
        const char *head[] = {sol_lgettext(d.lang, "Source"), sol_lgettext(d.lang, "Licence"),
                              sol_lgettext(d.lang, "Attribution")};
        static const double w3[] = {0.3, 0.2, 0.5};
        rows_table(&d, &srcs, head, w3);
    }
    para(&d, sol_lgettext(d.lang, "Computations recorded"), 14, 1, "h3");
    if ((rc = sol_store_runs(st, NULL, 0, on_run, &runs, err)) != SOL_OK)
        goto out;
    if (runs.n == 0) {
        para(&d, sol_lgettext(d.lang, "No computation has been recorded yet."), 11, 0, "p");
    } else {
        const char *head[] = {sol_lgettext(d.lang, "Kind"), sol_lgettext(d.lang, "When"),
                              sol_lgettext(d.lang, "Who"), sol_lgettext(d.lang, "Method")};
        static const double w4[] = {0.2, 0.25, 0.15, 0.4};
        rows_table(&d, &runs, head, w4);
    }

    /* the appendix the user asked for: every area's rank */
    if (ranks) {
        section(&d, sol_lgettext(d.lang, "Appendix: every area by rank"));
        for (size_t k = 0; k < pk->n; k++)
            if ((rc = indicator_section(st, &d, pk->codes[k], 1, err)) != SOL_OK)
                goto out;
        if (json_is_object(index) && (rc = index_section(st, &d, index, area, 1, err)) != SOL_OK)
            goto out;
    }

    if (prof.failed || runs.failed || srcs.failed || d.failed) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory writing the report");
        goto out;
    }
    if (!d.pdf) {
        sol__buf_addf(&d.html, "<footer><p>");
        esc(&d.html, d.foot1);
        sol__buf_addf(&d.html, "</p><p>");
        esc(&d.html, d.foot2);
        sol__buf_addf(&d.html, "</p></footer>\n</body></html>\n");
        FILE *f = fopen(path, "w");
        if (f == NULL) {
            rc = sol__err_at(err, SOL_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
            goto out;
        }
        size_t w = d.html.data ? fwrite(d.html.data, 1, d.html.len, f) : 0;
        if (fclose(f) != 0 || w != d.html.len)
            rc = sol__err_at(err, SOL_EIO, path, 0, 0, "write error");
    } else {
        page_finish(&d);
        if (d.failed)
            rc = sol__err(err, SOL_ENOMEM, "out of memory writing the report");
        else
            rc =
                sol_render_pages_pdf((const char *const *)d.pages, d.page_len, d.npages, path, err);
    }
out:
    json_decref(layers);
    sol_free(layers_json);
    rows_free(&prof);
    rows_free(&runs);
    rows_free(&srcs);
    sol__free(pk);
    if (at) {
        sol__strmap_free(at->ix);
        sol__free(at->a);
        sol__free(at);
    }
    sol__buf_free(&d.html);
    sol__buf_free(&d.page);
    for (size_t i = 0; i < d.npages; i++)
        sol__free(d.pages[i]);
    sol__free(d.pages);
    sol__free(d.page_len);
    return rc;
}
