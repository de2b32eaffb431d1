/* svg.c - the choropleth writer: areas projected (equirectangular, cos of the mid latitude) and
 * fitted to the page, with title, legend (ranges and counts, no data), footer, hover titles and
 * accessible root metadata, into one bounded buffer. */
#include <solidata/render.h>

#include "core/core.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define FONT       "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"
#define MARGIN     24.0
#define SWATCH_W   26.0
#define SWATCH_H   17.0
#define ROW_H      25.0
#define LEGEND_PAD 34.0 /* swatch + gap before the label */
#define DEG2RAD    0.017453292519943295

typedef struct svgw {
    sol_buf b;
    sol_status rc;
} svgw;

/* Append formatted text unless an earlier append failed (the first failure sticks). */
#define P(w, ...)                                                                                  \
    do {                                                                                           \
        if ((w)->rc == SOL_OK)                                                                     \
            (w)->rc = sol__buf_addf(&(w)->b, __VA_ARGS__);                                         \
    } while (0)

/* XML-escape `s[0..n)` (n = (size_t)-1: to the NUL): & < > " ' become entities; control bytes,
 * which XML 1.0 forbids, become spaces. */
static void esc_n(svgw *w, const char *s, size_t n)
{
    if (s == NULL)
        return;
    size_t i = 0, start = 0;
    for (; i < n && s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            if (c < 0x20)
                rep = " ";
        }
        if (rep != NULL) {
            if (w->rc == SOL_OK && i > start)
                w->rc = sol__buf_add(&w->b, s + start, i - start);
            if (w->rc == SOL_OK)
                w->rc = sol__buf_add(&w->b, rep, strlen(rep));
            start = i + 1;
        }
    }
    if (w->rc == SOL_OK && i > start)
        w->rc = sol__buf_add(&w->b, s + start, i - start);
}

static void esc(svgw *w, const char *s)
{
    esc_n(w, s, (size_t)-1);
}

/* Characters (UTF-8 code points) in s[0..n). */
static size_t nchars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n && s[i]; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* Rough advance of DejaVu Sans text: 0.6 em a character. */
static double text_w(const char *s, size_t n, double size)
{
    return (double)nchars(s, n) * 0.6 * size;
}

/* Break `s` into lines no wider than `width` at spaces (a longer word stays whole). Calls
 * emit(line, len) per line, or only counts them when emit is NULL. Returns the number of lines. */
typedef struct textline {
    const char *p;
    size_t n;
} textline;

static size_t wrap(const char *s, double width, double size, textline *lines, size_t cap)
{
    size_t nl = 0, len = strlen(s), i = 0;
    while (i < len) {
        while (i < len && s[i] == ' ')
            i++;
        if (i >= len)
            break;
        size_t start = i, last_fit = 0;
        size_t j = i;
        while (j <= len) {
            if (j == len || s[j] == ' ') {
                if (text_w(s + start, j - start, size) <= width || last_fit == 0)
                    last_fit = j;
                else
                    break;
                if (j == len)
                    break;
            }
            j++;
        }
        if (nl < cap) {
            lines[nl].p = s + start;
            lines[nl].n = last_fit - start;
        }
        nl++;
        i = last_fit;
    }
    return nl < cap ? nl : cap;
}

static void text_lines(svgw *w, const textline *l, size_t n, double x, double *y, double size,
                       double lh, const char *attrs)
{
    for (size_t i = 0; i < n; i++) {
        P(w, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%g\"%s>", x, *y, size, attrs);
        esc_n(w, l[i].p, l[i].n);
        P(w, "</text>\n");
        *y += lh;
    }
}

/* The map's language: `lang` as given, else the thread's (or the process's). */
static sol_lang map_lang(const sol_map *m)
{
    sol_lang l;
    if (m->lang == NULL || sol_lang_parse(m->lang, &l, NULL) != SOL_OK)
        return sol_lang_current();
    return l;
}

static void fmt_num(const sol_map *m, double x, int dec, char *buf, size_t n)
{
    if (m->lang_numbers)
        sol_lang_number(map_lang(m), x, dec, 1, buf, n);
    else if (isnan(x))
        snprintf(buf, n, "%s", sol_lgettext(map_lang(m), "no data"));
    else
        sol_render_format_number(x, dec, m->thousands, m->decimal_mark, buf, n);
}

/* Legend label of class c: the given label, or the range of the breaks. */
static void class_label(const sol_map *m, size_t c, int dec, char *buf, size_t n)
{
    if (m->label != NULL && m->label[c] != NULL) {
        snprintf(buf, n, "%s", m->label[c]);
    } else if (m->breaks != NULL && c < m->breaks->nclasses) {
        char a[96], b[96];
        if (m->breaks->unique) { /* one value per class: show the value */
            double v = (m->breaks->brk[c] + m->breaks->brk[c + 1]) / 2;
            fmt_num(m, v, dec, a, sizeof a);
            snprintf(buf, n, "%s", a);
            return;
        }
        fmt_num(m, m->breaks->brk[c], dec, a, sizeof a);
        fmt_num(m, m->breaks->brk[c + 1], dec, b, sizeof b);
        snprintf(buf, n, "%s \xE2\x80\x93 %s", a, b); /* en dash */
    } else {
        snprintf(buf, n, sol_lgettext(map_lang(m), "class %zu"), c + 1);
    }
}

/* Decimals a value has of its own (30.04 -> 2, 17728 -> 0), at most 6; for values that need an
 * exponent, one more than the legend's. */
static int own_decimals(double v, int legend_dec)
{
    char t[64];
    snprintf(t, sizeof t, "%.15g", v);
    if (strchr(t, 'e') != NULL)
        return legend_dec + 1 < 6 ? legend_dec + 1 : 6;
    const char *dot = strchr(t, '.');
    int d = dot ? (int)strlen(dot + 1) : 0;
    return d < 6 ? d : 6;
}

static void put_colour(svgw *w, uint32_t c)
{
    P(w, "#%06X", (unsigned)(c & 0xFFFFFFu));
}

/* One area as a path: every ring of every part, "M x y L ... Z", points closer than 0.1 px to
 * the previous one dropped. */
static void put_geometry(svgw *w, const sol_feature *f, double minx, double maxy, double kx,
                         double s, double ox, double oy)
{
    P(w, " d=\"");
    for (size_t p = 0; p < f->nparts; p++) {
        const sol_polygon *pg = &f->parts[p];
        for (size_t r = 0; r < pg->nrings; r++) {
            const sol_ring *ring = &pg->rings[r];
            long px = 0, py = 0;
            size_t written = 0;
            for (size_t i = 0; i < ring->n; i++) {
                double X = ox + (ring->xy[2 * i] - minx) * kx * s;
                double Y = oy + (maxy - ring->xy[2 * i + 1]) * s;
                long ix = lround(X * 10), iy = lround(Y * 10);
                if (written > 0 && ix == px && iy == py)
                    continue;
                P(w, "%s%.1f %.1f", written == 0 ? "M" : (written == 1 ? "L" : " "),
                  (double)ix / 10, (double)iy / 10);
                px = ix;
                py = iy;
                written++;
            }
            if (written > 0)
                P(w, "Z");
        }
    }
    P(w, "\"");
}

static sol_status check_map(const sol_map *m, sol_error *err)
{
    if (m == NULL || m->layer == NULL)
        return sol__err(err, SOL_EINVAL, "map: no layer");
    if (m->nclasses < 1 || m->nclasses > SOL_CLASSES_MAX)
        return sol__err(err, SOL_EINVAL, "map: %zu classes, expected 1 to %u", m->nclasses,
                        SOL_CLASSES_MAX);
    if (m->colour == NULL || (m->cls == NULL && m->layer->n > 0))
        return sol__err(err, SOL_EINVAL, "map: no classes or colours");
    if (m->label == NULL && m->breaks == NULL)
        return sol__err(err, SOL_EINVAL, "map: give legend labels or breaks");
    if (m->breaks != NULL && m->label == NULL && m->breaks->nclasses != m->nclasses)
        return sol__err(err, SOL_EINVAL, "map: %zu classes but the breaks make %zu", m->nclasses,
                        m->breaks->nclasses);
    for (size_t i = 0; i < m->layer->n; i++)
        if (m->cls[i] < -1 || m->cls[i] >= (int)m->nclasses)
            return sol__err(err, SOL_EINVAL, "map: area %s has class %d, expected -1 to %zu",
                            m->layer->f[i].code, m->cls[i], m->nclasses - 1);
    if ((m->width != 0 && m->width < 200) || (m->height != 0 && m->height < 200) ||
        m->width > 20000 || m->height > 20000)
        return sol__err(err, SOL_EINVAL, "map: size %ux%u, expected 200 to 20000 px", m->width,
                        m->height);
    return SOL_OK;
}

void sol_map_init(sol_map *m)
{
    memset(m, 0, sizeof *m);
    m->decimals = -1;
    m->width = 1000;
    m->height = 800;
}

sol_status sol_map_svg(const sol_map *m, char **svg, size_t *len, sol_error *err)
{
    sol_status rc = check_map(m, err);
    if (rc != SOL_OK)
        return rc;
    const sol_layer *l = m->layer;
    double W = m->width ? m->width : 1000, H = m->height ? m->height : 800;
    size_t counts[SOL_CLASSES_MAX + 1] = {0}; /* [nclasses] = no data */
    for (size_t i = 0; i < l->n; i++)
        counts[m->cls[i] < 0 ? m->nclasses : (size_t)m->cls[i]]++;
    size_t nodata = counts[m->nclasses], nsupp = 0;
    for (size_t i = 0; m->suppressed && i < l->n; i++)
        nsupp += m->cls[i] < 0 && m->suppressed[i];
    int dec = m->decimals >= 0 ? m->decimals : sol_render_auto_decimals(m->breaks);

    /* legend labels and the legend width they need */
    static const size_t LABEL_MAX = 256;
    char(*labels)[256] = sol__malloc((m->nclasses + 1) * LABEL_MAX);
    if (labels == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    double legend_w = 150;
    for (size_t c = 0; c <= m->nclasses; c++) {
        char lab[200];
        if (c < m->nclasses)
            class_label(m, c, dec, lab, sizeof lab);
        else
            snprintf(lab, sizeof lab, "%s",
                     nsupp == 0 ? sol_lgettext(map_lang(m), "No data")
                     : nsupp == nodata
                         ? sol_lgettext(map_lang(m), "Suppressed (small count)")
                         : sol_lgettext(map_lang(m), "No data or suppressed (small count)"));
        snprintf(labels[c], LABEL_MAX, "%s", lab);
        char num[32];
        snprintf(num, sizeof num, "%zu", counts[c]);
        double tw = LEGEND_PAD + text_w(lab, strlen(lab), 13) + 14 + text_w(num, strlen(num), 13);
        if (tw > legend_w)
            legend_w = tw;
    }
    if (m->legend_title != NULL) { /* room for the legend title in about two lines */
        double tw = text_w(m->legend_title, strlen(m->legend_title), 14) / 2 + 24;
        if (tw > legend_w)
            legend_w = fmin(tw, W * 0.3);
    }
    if (legend_w < 190)
        legend_w = 190;
    if (legend_w > W * 0.4)
        legend_w = W * 0.4;

    svgw w = {.rc = SOL_OK};
    sol__buf_init(&w.b, SOL_MAX_SVG);
    textline tl[64];
    const char *title = m->title ? m->title : sol_lpgettext(map_lang(m), "noun", "Map");

    /* root, with what a screen reader announces */
    P(&w,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%g\" height=\"%g\" "
      "viewBox=\"0 0 %g %g\" role=\"img\" aria-labelledby=\"map-title map-desc\" "
      "aria-label=\"",
      W, H, W, H);
    esc(&w, title);
    P(&w, "\">\n<title id=\"map-title\">");
    esc(&w, title);
    P(&w, "</title>\n<desc id=\"map-desc\">");
    if (m->description != NULL) {
        esc(&w, m->description);
    } else {
        if (m->subtitle) {
            esc(&w, m->subtitle);
            P(&w, ". ");
        }
        sol_lang ml = map_lang(m);
        char line[SOL_MAX_LABEL + 256];
        if (m->legend_title)
            snprintf(line, sizeof line,
                     sol_lngettext(ml, "Map of %zu area in %zu classes of %s",
                                   "Map of %zu areas in %zu classes of %s", l->n),
                     l->n, m->nclasses, m->legend_title);
        else
            snprintf(line, sizeof line,
                     sol_lngettext(ml, "Map of %zu area in %zu classes",
                                   "Map of %zu areas in %zu classes", l->n),
                     l->n, m->nclasses);
        esc(&w, line);
        P(&w, ": ");
        for (size_t c = 0; c < m->nclasses; c++) {
            esc(&w, labels[c]);
            P(&w, " (");
            P(&w, sol_lngettext(ml, "%zu area", "%zu areas", counts[c]), counts[c]);
            P(&w, ")%s", c + 1 < m->nclasses ? "; " : "");
        }
        if (nodata) {
            P(&w, "; ");
            P(&w, sol_lngettext(ml, "%zu area without data", "%zu areas without data", nodata),
              nodata);
        }
        P(&w, ".");
        if (m->source) {
            char src[SOL_MAX_LABEL + 32];
            snprintf(src, sizeof src, sol_lgettext(map_lang(m), "Source: %s"), m->source);
            P(&w, " ");
            esc(&w, src);
            P(&w, ".");
        }
    }
    P(&w, "</desc>\n<defs>\n<pattern id=\"nodata\" width=\"6\" height=\"6\" "
          "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
          "<rect width=\"6\" height=\"6\" fill=\"");
    put_colour(&w, SOL_RENDER_NODATA_BG);
    P(&w, "\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"");
    put_colour(&w, SOL_RENDER_NODATA_HATCH);
    P(&w, "\" stroke-width=\"1.6\"/></pattern>\n</defs>\n"
          "<rect width=\"100%%\" height=\"100%%\" fill=\"#FFFFFF\"/>\n");

    /* header: title and subtitle, wrapped */
    double y = MARGIN + 22;
    P(&w, "<g id=\"header\" font-family=\"%s\" fill=\"#1A1A1A\">\n", FONT);
    size_t n = wrap(title, W - 2 * MARGIN, 24, tl, 64);
    text_lines(&w, tl, n, MARGIN, &y, 24, 30, " font-weight=\"bold\"");
    if (m->subtitle) {
        y -= 4;
        n = wrap(m->subtitle, W - 2 * MARGIN, 15, tl, 64);
        text_lines(&w, tl, n, MARGIN, &y, 15, 20, " fill=\"#404040\"");
    }
    P(&w, "</g>\n");
    double top = y - 4;

    /* footer: source and licence (and the credit line), wrapped, from the bottom up */
    sol_lang fl_lang = map_lang(m);
    char foot[3][SOL_MAX_LABEL + 160];
    size_t nf = 0;
    if (m->source || m->credit)
        snprintf(foot[nf++], sizeof foot[0], sol_lgettext(fl_lang, "Source: %s"),
                 m->source ? m->source : sol_lgettext(fl_lang, "not stated"));
    if (m->licence || m->credit)
        snprintf(foot[nf++], sizeof foot[0], sol_lgettext(fl_lang, "Licence: %s"),
                 m->licence ? m->licence : sol_lgettext(fl_lang, "not stated"));
    if (m->credit) {
        char day[64];
        time_t now = m->produced ? (time_t)m->produced : time(NULL);
        struct tm tm;
        if (gmtime_r(&now, &tm) == NULL || sol_lang_date(fl_lang, tm.tm_year + 1900, tm.tm_mon + 1,
                                                         tm.tm_mday, day, sizeof day) != SOL_OK)
            day[0] = '\0';
        /* TRANSLATORS: the map's title, then the date ("6 December 2026") */
        snprintf(foot[nf++], sizeof foot[0],
                 sol_lgettext(fl_lang, "%s. Map made with solidata on %s."), title, day);
    }
    textline fl[64];
    size_t nfl = 0;
    for (size_t i = 0; i < nf; i++)
        nfl += wrap(foot[i], W - 2 * MARGIN, 12, fl + nfl, 64 - nfl);
    double bottom = H - MARGIN - (double)nfl * 16;
    if (nfl) {
        double fy = bottom + 16;
        P(&w, "<g id=\"footer\" font-family=\"%s\" fill=\"#4D4D4D\">\n", FONT);
        P(&w,
          "<line x1=\"%g\" y1=\"%.1f\" x2=\"%g\" y2=\"%.1f\" stroke=\"#BFBFBF\" "
          "stroke-width=\"0.8\"/>\n",
          MARGIN, bottom - 2, W - MARGIN, bottom - 2);
        text_lines(&w, fl, nfl, MARGIN, &fy, 12, 16, "");
        P(&w, "</g>\n");
    }
    bottom -= 12;

    /* the map fills what the legend column leaves, keeping its aspect */
    double x0 = MARGIN, x1 = W - MARGIN - legend_w - 16, y0 = top + 8, y1 = bottom;
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
    for (size_t i = 0; i < l->n; i++) {
        const sol_feature *f = &l->f[i];
        if (f->nparts == 0)
            continue;
        minx = fmin(minx, f->bbox[0]);
        miny = fmin(miny, f->bbox[1]);
        maxx = fmax(maxx, f->bbox[2]);
        maxy = fmax(maxy, f->bbox[3]);
    }
    if (!(maxx > minx && maxy > miny)) { /* nothing (or a point) to draw */
        minx = miny = 0;
        maxx = maxy = 1;
    }
    double kx = cos((miny + maxy) / 2 * DEG2RAD);
    double pw = (maxx - minx) * kx, ph = maxy - miny;
    double s = fmin((x1 - x0) / pw, (y1 - y0) / ph);
    if (!(s > 0))
        s = 1;
    double ox = x0 + ((x1 - x0) - pw * s) / 2, oy = y0 + ((y1 - y0) - ph * s) / 2;

    /* white borders read best between mid and dark fills; near-white fills need grey ones */
    int light = 0;
    for (size_t c = 0; c < m->nclasses; c++) {
        uint32_t k = m->colour[c];
        double lum = (0.2126 * (double)(k >> 16 & 0xFF) + 0.7152 * (double)(k >> 8 & 0xFF) +
                      0.0722 * (double)(k & 0xFF)) /
                     255;
        light |= lum > 0.85;
    }
    P(&w,
      "<g id=\"areas\" stroke=\"%s\" stroke-width=\"%s\" stroke-linejoin=\"round\" "
      "fill-rule=\"evenodd\">\n",
      light ? "#A6A6A6" : "#FFFFFF", light ? "0.35" : "0.5");
    for (size_t i = 0; i < l->n && w.rc == SOL_OK; i++) {
        const sol_feature *f = &l->f[i];
        int c = m->cls[i];
        double v = m->value ? m->value[i] : NAN;
        P(&w, "<path id=\"area-");
        for (const char *p = f->code; *p; p++) {
            char ch = *p;
            int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                     (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.';
            P(&w, "%c", ok ? ch : '_');
        }
        P(&w, "\" data-code=\"");
        esc(&w, f->code);
        P(&w, "\"");
        if (m->value) {
            if (isnan(v))
                P(&w, " data-value=\"\"");
            else
                P(&w, " data-value=\"%.17g\"", v);
        }
        P(&w, " data-class=\"");
        if (c < 0)
            P(&w, "nodata");
        else if (m->class_key)
            esc(&w, m->class_key[c]);
        else
            P(&w, "%d", c + 1);
        P(&w, "\" fill=\"");
        if (c < 0)
            P(&w, "url(#nodata)");
        else
            put_colour(&w, m->colour[c]);
        P(&w, "\"");
        put_geometry(&w, f, minx, maxy, kx, s, ox, oy);
        P(&w, "><title>");
        esc(&w, f->name ? f->name : f->code);
        P(&w, ": ");
        if (m->value && !isnan(v)) {
            char num[96];
            int vd = own_decimals(v, dec);
            fmt_num(m, v, vd, num, sizeof num);
            esc(&w, num);
            if (c >= 0 && m->label != NULL) {
                P(&w, " (");
                esc(&w, labels[c]);
                P(&w, ")");
            }
        } else if (c >= 0 && !m->value) {
            esc(&w, labels[c]);
        } else if (m->suppressed && m->suppressed[i]) {
            P(&w, "%s", sol_lgettext(map_lang(m), "suppressed (small count)"));
        } else {
            P(&w, "%s", sol_lgettext(map_lang(m), "no data"));
        }
        P(&w, "</title></path>\n");
    }
    P(&w, "</g>\n");

    /* legend: optional title, then one swatch per class with its range and count */
    double lx = W - MARGIN - legend_w, ly = y0 + 4;
    P(&w, "<g id=\"legend\" font-family=\"%s\" fill=\"#1A1A1A\">\n", FONT);
    if (m->legend_title) {
        n = wrap(m->legend_title, legend_w, 14, tl, 64);
        ly += 14;
        text_lines(&w, tl, n, lx, &ly, 14, 18, " font-weight=\"bold\"");
        ly -= 6;
    }
    size_t rows = m->nclasses + (nodata ? 1 : 0);
    for (size_t r = 0; r < rows; r++) {
        /* sequential scales read high at the top, as a thermometer */
        size_t c = r < m->nclasses ? (m->breaks ? m->nclasses - 1 - r : r) : m->nclasses;
        P(&w, "<g class=\"legend-item\" data-class=\"");
        if (c == m->nclasses)
            P(&w, "nodata");
        else if (m->class_key)
            esc(&w, m->class_key[c]);
        else
            P(&w, "%zu", c + 1);
        P(&w, "\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%g\" height=\"%g\" fill=\"", lx, ly, SWATCH_W,
          SWATCH_H);
        if (c == m->nclasses)
            P(&w, "url(#nodata)");
        else
            put_colour(&w, m->colour[c]);
        P(&w,
          "\" stroke=\"#7F7F7F\" stroke-width=\"0.6\"/><text x=\"%.1f\" y=\"%.1f\" "
          "font-size=\"13\">",
          lx + LEGEND_PAD, ly + 13);
        esc(&w, labels[c]);
        P(&w,
          "</text><text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" fill=\"#595959\" "
          "text-anchor=\"end\">%zu</text></g>\n",
          lx + legend_w, ly + 13, counts[c]);
        ly += ROW_H;
    }
    P(&w,
      "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#666666\" "
      "text-anchor=\"end\">%s</text>\n",
      lx + legend_w, ly + 8, sol_lgettext(map_lang(m), "number of areas"));
    P(&w, "</g>\n</svg>\n");
    sol__free(labels);
    if (w.rc != SOL_OK) {
        sol__buf_free(&w.b);
        return sol__err(err, w.rc,
                        w.rc == SOL_ELIMIT ? "map SVG over %u bytes" : "out of memory (%u)",
                        SOL_MAX_SVG);
    }
    *svg = w.b.data;
    *len = w.b.len;
    return SOL_OK;
}

sol_status sol_map_format_from_path(const char *path, sol_map_format *fmt)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (dot == NULL)
        return SOL_EINVAL;
    char ext[5] = {0};
    for (size_t i = 0; i < 4 && dot[1 + i]; i++)
        ext[i] = (char)(dot[1 + i] >= 'A' && dot[1 + i] <= 'Z' ? dot[1 + i] + 32 : dot[1 + i]);
    if (strlen(dot + 1) != 3)
        return SOL_EINVAL;
    if (strcmp(ext, "svg") == 0)
        *fmt = SOL_MAP_SVG;
    else if (strcmp(ext, "png") == 0)
        *fmt = SOL_MAP_PNG;
    else if (strcmp(ext, "pdf") == 0)
        *fmt = SOL_MAP_PDF;
    else
        return SOL_EINVAL;
    return SOL_OK;
}

sol_status sol_map_write(const sol_map *m, const char *path, sol_map_format fmt, double scale,
                         sol_error *err)
{
    char *svg = NULL;
    size_t len = 0;
    sol_status rc = sol_map_svg(m, &svg, &len, err);
    if (rc != SOL_OK)
        return rc;
    if (fmt == SOL_MAP_SVG) {
        FILE *f = fopen(path, "wb");
        if (f == NULL) {
            rc = sol__err_at(err, SOL_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
        } else {
            size_t wr = fwrite(svg, 1, len, f);
            int ce = fclose(f);
            if (wr != len || ce != 0)
                rc = sol__err_at(err, SOL_EIO, path, 0, 0, "write failed: %s", strerror(errno));
        }
    } else {
        rc = sol_render_svg_to_file(svg, len, path, fmt, scale, err);
    }
    sol_free(svg);
    return rc;
}
