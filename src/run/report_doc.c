/* report_doc.c - the atlas' document: blocks written either as one HTML page or as A4 SVG
 * pages for the PDF, each page with its footer (title, date, sources and licences); numbers,
 * lists and dates in the document's language. */
#include "run/report_int.h"

#include <solidata/run.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- document model: blocks written either as HTML or as SVG pages --------------------------- */

void sol__report_esc(sol_buf *b, const char *s)
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

/* The PDF's last page, finished (its pages are then d->pages). */
void sol__report_finish(doc *d)
{
    page_finish(d);
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
    sol__report_esc(&d->page, line);
    sol__buf_addf(&d->page,
                  "</text>\n<text x=\"%.0f\" y=\"%.0f\" font-size=\"8\" fill=\"#555\" "
                  "text-anchor=\"end\">",
                  PAGE_W - MARGIN, PAGE_H - 38);
    sol__report_esc(&d->page, num);
    sol__buf_addf(&d->page, "</text>\n<text x=\"%.0f\" y=\"%.0f\" font-size=\"8\" fill=\"#555\">",
                  MARGIN, PAGE_H - 27);
    clip(line, sizeof line, d->foot2, 150);
    sol__report_esc(&d->page, line);
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
void sol__report_para(doc *d, const char *text, double size, int bold, const char *html_tag)
{
    if (!d->pdf) {
        sol__buf_addf(&d->html, "<%s>", html_tag);
        sol__report_esc(&d->html, text);
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
        sol__report_esc(&d->page, line);
        sol__buf_addf(&d->page, "</text>\n");
        s += take;
        while (*s == ' ')
            s++;
    }
    d->y += size * 0.6;
}

/* A paragraph from a template (already in the document's language) and its arguments. */
void sol__report_sayf(doc *d, double size, int bold, const char *tag, const char *fmt, ...)
{
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    sol__report_para(d, line, size, bold, tag);
}

/* A heading that opens a new page: one idea per page. */
void sol__report_section(doc *d, const char *title)
{
    page_break(d);
    sol__report_para(d, title, 18, 1, "h2");
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
            sol__report_esc(&d->page, part);
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
void sol__report_table_fs(doc *d, const char *const *cells, size_t nrows, size_t ncol,
                          const double *w, double fs)
{
    if (!d->pdf) {
        sol__buf_addf(&d->html, "<table%s>\n", fs < 10 ? " class=\"compact\"" : "");
        for (size_t r = 0; r < nrows; r++) {
            sol__buf_addf(&d->html, r ? "<tr>" : "<thead><tr>");
            for (size_t c = 0; c < ncol; c++) {
                sol__buf_addf(&d->html, r ? "<td>" : "<th scope=\"col\">");
                sol__report_esc(&d->html, cells[r * ncol + c]);
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

void sol__report_table(doc *d, const char *const *cells, size_t nrows, size_t ncol, const double *w)
{
    sol__report_table_fs(d, cells, nrows, ncol, w, 10);
}

/* A map: inline in HTML; on its own part of a page in PDF (scaled to the text width). */
void sol__report_figure(doc *d, const char *svg, size_t len)
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
const char *sol__report_num(const doc *d, double x, char *buf, size_t n)
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
const char *sol__report_inum(const doc *d, double x, char *buf, size_t n)
{
    int dec = isfinite(x) && x != floor(x) ? 1 : 0; /* a shared rank may end in .5 */
    if (sol_lang_number(d->lang, x, dec, fabs(x) >= 10000, buf, n) != SOL_OK)
        snprintf(buf, n, "%g", x);
    return buf;
}

const char *sol__report_withheld_word(const doc *d)
{
    return sol_lgettext(d->lang, "withheld (statistical disclosure control)");
}

/* "A, B and C" in the document's language. */
void sol__report_join_list(const doc *d, const char *const *items, size_t n, char *out, size_t cap)
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
void sol__report_date_words(const doc *d, const char *iso, char *buf, size_t n)
{
    int y, m, day;
    if (iso && sscanf(iso, "%4d-%2d-%2d", &y, &m, &day) == 3 &&
        sol_lang_date(d->lang, y, m, day, buf, n) == SOL_OK)
        return;
    snprintf(buf, n, "%s", iso ? iso : "");
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
int sol__report_area_name(sol_store *st, const char *code, char *name, size_t n)
{
    area_find f = {code, name, n, 0};
    snprintf(name, n, "%s", code);
    if (sol_store_areas(st, 0, on_area_find, &f, NULL) != SOL_OK)
        return 0;
    return f.found;
}
