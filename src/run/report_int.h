/* report_int.h - what the files of the atlas share (src/run/report*.c): the document written
 * as HTML or as SVG pages for the PDF, with every sentence in the document's language, and the
 * pages of the analyses (composite index, hot spots). Not thread-safe: the atlas is written by
 * one thread at a time (it sorts through a file-level comparison context). */
#ifndef SOL_RUN_REPORT_INT_H
#define SOL_RUN_REPORT_INT_H

#include <solidata/i18n.h>
#include <solidata/store.h>

#include "core/core.h"
#include "run/run_int.h"

#include <jansson.h>
#include <math.h>

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

/* ---- the document (report_doc.c) ---- */
/* s escaped for HTML and SVG text into b. */
void sol__report_esc(sol_buf *b, const char *s);
/* A paragraph of `size` points (PDF), as the HTML element html_tag. */
void sol__report_para(doc *d, const char *text, double size, int bold, const char *html_tag);
/* A paragraph from a template already in the document's language, and its arguments. */
void sol__report_sayf(doc *d, double size, int bold, const char *tag, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A heading that opens a new page: one idea per page. */
void sol__report_section(doc *d, const char *title);
/* The PDF's last page, finished (its pages are then d->pages). */
void sol__report_finish(doc *d);
/* A table of ncol columns, cells row-major, the first row the header; widths are fractions of
 * the text width; fs the PDF font size (below 10: a compact table). */
void sol__report_table_fs(doc *d, const char *const *cells, size_t nrows, size_t ncol,
                          const double *w, double fs);
void sol__report_table(doc *d, const char *const *cells, size_t nrows, size_t ncol,
                       const double *w);
/* A map (an SVG document of len bytes), inline in HTML, scaled to the text width in the PDF. */
void sol__report_figure(doc *d, const char *svg, size_t len);
/* Numbers as the document's language writes them: about four significant digits; a whole
 * number (a rank); NaN as "no data". Return buf. */
const char *sol__report_num(const doc *d, double x, char *buf, size_t n);
const char *sol__report_inum(const doc *d, double x, char *buf, size_t n);
/* "withheld (statistical disclosure control)" in the document's language. */
const char *sol__report_withheld_word(const doc *d);
/* "A, B and C" in the document's language. */
void sol__report_join_list(const doc *d, const char *const *items, size_t n, char *out, size_t cap);
/* An ISO date ("2026-12-06...") as the language writes it ("6 décembre 2026"). */
void sol__report_date_words(const doc *d, const char *iso, char *buf, size_t n);
/* The name of area `code` into name (its code when it has none); 0 when there is no such area. */
int sol__report_area_name(sol_store *st, const char *code, char *name, size_t n);

/* ---- the analyses (report_analyses.c) ---- */
/* The composite index of layer L (sol_run_layers' "index"): its page, with why `area` ranks
 * there; or with appendix 1 every area by score, for the appendix. */
sol_status sol__report_index(sol_store *st, doc *d, json_t *L, const char *area, int appendix,
                             sol_error *err);
/* The hot spots of layer L (sol_run_layers' "hotspots"): map, counts, inference, `area`'s
 * cluster and the areas in a significant cluster. */
sol_status sol__report_hotspots(sol_store *st, doc *d, json_t *L, const char *area, sol_error *err);

/* ---- where to place a service (report_locate.c) ---- */
/* The latest recorded placement's page, when there is one (else nothing). */
sol_status sol__report_locate(sol_store *st, doc *d, sol_error *err);

/* JSON members, "" or NaN when absent. */
static inline const char *sol__report_jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static inline double sol__report_jdbl(json_t *o, const char *key)
{
    json_t *j = json_object_get(o, key);
    return json_is_number(j) ? json_number_value(j) : NAN;
}

/* The areas of one level with their geometry, for the maps of the analyses and placements:
 * sol_store_areas(st, 1, sol__report_on_level_area, &la, err) with la = {.level = L} fills
 * la.f[0..n) (la.failed after an allocation failure); free with sol__report_level_areas_free. */
typedef struct level_areas {
    const char *level;
    sol_feature *f;
    size_t n, cap;
    int failed;
} level_areas;
int sol__report_on_level_area(void *ud, const sol_area *a);
void sol__report_level_areas_free(level_areas *l);

#endif
