/* solidata/render.h - maps for people: class breaks (quantile, equal intervals, Jenks natural
 * breaks, standard deviations, as R classInt computes them), colour-blind-safe palettes, and a
 * choropleth writer that draws SVG and, from the same SVG, PNG and PDF. See docs/render.md.
 * Thread safety: reentrant; palettes are constant tables; librsvg and Cairo objects are made per
 * call. */
#ifndef SOL_RENDER_H
#define SOL_RENDER_H

#include <solidata/geo.h>
#include <solidata/status.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- class breaks ------------------------------------------------------------------------- */

typedef enum sol_class_method {
    SOL_CLASS_QUANTILE = 0, /* classInt style="quantile": quantile type 7 at 0, 1/k, ..., 1 */
    SOL_CLASS_EQUAL,        /* classInt "equal": k equal steps from min to max */
    SOL_CLASS_JENKS,        /* classInt "jenks": natural breaks, breaks are data values */
    SOL_CLASS_SD            /* classInt "sd": pretty() breaks of the standardised values, mapped
                               back with the mean and the sample standard deviation */
} sol_class_method;

/** Default number of classes. */
#define SOL_CLASSES_DEFAULT 5u
/** Most classes accepted. */
#define SOL_CLASSES_MAX 64u

/** Class breaks of one numeric vector. Owned by the caller; free with sol_breaks_free. */
typedef struct sol_breaks {
    sol_class_method method;
    size_t nclasses;  /* number of classes = number of breaks - 1 */
    double *brk;      /* nclasses + 1 breaks, ascending (quantiles of tied data may repeat) */
    int right_closed; /* 1 (Jenks): classes (b[i], b[i+1]], the first [b0, b1];
                         0 (others): classes [b[i], b[i+1]), the last [b[k-1], b[k]] */
    int unique;       /* 1 when k >= the distinct values: one class per value (classInt "unique") */
    size_t n;         /* finite values used */
    size_t nmissing;  /* NaN (and infinite) values left out */
    double center;    /* SOL_CLASS_SD: the mean; NaN otherwise */
    double scale;     /* SOL_CLASS_SD: the sample standard deviation; NaN otherwise */
} sol_breaks;

/** Class breaks of x[0..n) with `k` classes (2 <= k <= SOL_CLASSES_MAX). NaN and infinite values
 *  are missing and left out. Reproduces R classInt 0.4 classIntervals(x, k, style) to rounding:
 *  when k >= the number of distinct values every value gets its own class, as classInt does; the
 *  SD method gives as many classes as pretty() makes (not necessarily k). Jenks costs O(n^2 k)
 *  time and O(n k) memory and is refused above SOL_MAX_JENKS_VALUES values (SOL_ELIMIT).
 *  Errors: SOL_EINVAL (k out of range, fewer than 2 distinct finite values), SOL_ELIMIT,
 *  SOL_ENOMEM. *out set only on success. Thread-safe. */
SOL_API sol_status sol_render_breaks(const double *x, size_t n, sol_class_method method, unsigned k,
                                     sol_breaks **out, sol_error *err);

/** Class index 0..nclasses-1 of x under `b` (classInt findCols), or -1 for NaN. Values outside
 *  the breaks go to the first or last class. */
SOL_API int sol_render_class_of(const sol_breaks *b, double x);

/** Free breaks. NULL is a no-op. */
SOL_API void sol_breaks_free(sol_breaks *b);

/** "quantile", "equal", "jenks", "sd" -> method. SOL_EINVAL for any other name. */
SOL_API sol_status sol_render_class_method_parse(const char *name, sol_class_method *m);
/** Name of a method ("quantile", ...). Static string. */
SOL_API const char *sol_render_class_method_name(sol_class_method m);
/** Human title of a method ("Quantiles", "Equal intervals", ...), in English; its translation
 *  is sol_lgettext(lang, title) (the titles are in the catalogues). Static string. */
SOL_API const char *sol_render_class_method_title(sol_class_method m);

/* ---- palettes ----------------------------------------------------------------------------- */

/** One palette of the built-in table. */
typedef struct sol_palette_info {
    const char *name; /* "YlOrRd", "Blues", "RdBu", "viridis", ... */
    int diverging;    /* 1 for diverging schemes (RdBu, PuOr, ...) */
    unsigned kmax;    /* most classes it has */
} sol_palette_info;

/** Palette i of the table (i = 0, 1, ...), NULL past the end. Static data. */
SOL_API const sol_palette_info *sol_render_palette_info(size_t i);

/** Fill colour[0..k) (0xRRGGBB) with palette `name`: ColorBrewer schemes that ColorBrewer marks
 *  colour-blind safe (YlOrRd, OrRd, Reds, Blues, Greens, Purples, Greys, YlGnBu, PuBu, BuPu; RdBu,
 *  PuOr, BrBG, RdYlBu, PRGn, PiYG) with their own k-class colours (3 <= k <= 9, 11 for diverging;
 *  k = 1, 2 take the ends of the 3-class scheme), or "viridis" (1 <= k <= 256, evenly sampled from
 *  the 256-colour table). A "-r" suffix reverses the order ("RdBu-r"). Sequential palettes run
 *  light (low) to dark (high). Errors: SOL_EINVAL (unknown name or k beyond the palette; err says
 *  which names and sizes exist). Thread-safe. */
SOL_API sol_status sol_render_palette(const char *name, size_t k, uint32_t *colour, sol_error *err);

/* GeoDa's LISA cluster colours. */
#define SOL_RENDER_LISA_HH 0xFF0000u /* High-High: red */
#define SOL_RENDER_LISA_LL 0x0000FFu /* Low-Low: blue */
#define SOL_RENDER_LISA_LH 0xA7ADF9u /* Low-High: light blue */
#define SOL_RENDER_LISA_HL 0xF4ADA8u /* High-Low: light red */
#define SOL_RENDER_LISA_NS 0xEEEEEEu /* not significant: light grey */
/* Areas without data: white with grey diagonal hatching, unlike any palette colour. */
#define SOL_RENDER_NODATA_BG    0xFFFFFFu
#define SOL_RENDER_NODATA_HATCH 0x8C8C8Cu

/** Colour of a LISA cluster named as `solidata spatial lisa` writes it: "HH", "LL", "LH", "HL",
 *  "NS". SOL_EINVAL for another name. */
SOL_API sol_status sol_render_lisa_colour(const char *cluster, uint32_t *colour);

/* ---- numbers for people ------------------------------------------------------------------- */

/** Format x with `decimals` digits after the mark, grouping thousands with `thousands` (NULL or ""
 *  = no grouping; e.g. "," or "." or a thin space) and `decimal_mark` (0 = '.'); negative numbers
 *  get a minus sign (U+2212). NaN gives "no data" in the thread's language. Always NUL-terminates
 * `buf`. SOL_ELIMIT when `n` is too small (buf then holds a truncated string). */
SOL_API sol_status sol_render_format_number(double x, int decimals, const char *thousands,
                                            char decimal_mark, char *buf, size_t n);

/** Decimals that tell the breaks of `b` apart: enough for the smallest gap between distinct
 *  breaks (one significant digit of it, plus one), raised until every distinct break formats
 *  differently; 0..6. */
SOL_API int sol_render_auto_decimals(const sol_breaks *b);

/* ---- maps --------------------------------------------------------------------------------- */

typedef enum sol_map_format { SOL_MAP_SVG = 0, SOL_MAP_PNG, SOL_MAP_PDF } sol_map_format;

/** A choropleth: areas coloured by class. Nothing is owned: every pointer is borrowed for the
 *  call. Initialise with sol_map_init, then set what applies. */
typedef struct sol_map {
    const sol_layer *layer; /* the areas, polygons in lon/lat (EPSG:4326) */
    const int *cls;         /* layer->n class indices; -1 = no data */
    size_t nclasses;        /* classes, 1..SOL_CLASSES_MAX */
    const uint32_t *colour; /* nclasses fill colours 0xRRGGBB */
    const double *value;    /* layer->n values shown on hover (NaN = no data); may be NULL */
    const unsigned char *suppressed; /* layer->n: 1 = value withheld by disclosure control (drawn
                                        as no data, labelled "suppressed"); may be NULL */
    const sol_breaks *breaks;        /* numeric maps: legend ranges come from the breaks */
    const char *const *label;        /* nclasses legend labels; NULL = ranges of `breaks` */
    const char *const *class_key;    /* nclasses values of data-class; NULL = "1".."nclasses" */
    const char *title;               /* top line; NULL = none */
    const char *subtitle;            /* under the title; NULL = none */
    const char *legend_title;        /* above the legend; NULL = none */
    const char *source;              /* footer "Source: ..."; NULL = none */
    const char *licence;             /* footer "Licence: ..."; NULL = none */
    const char *description;         /* root <desc> for screen readers; NULL = made from the rest */
    unsigned width, height;          /* SVG size in CSS px; 0 = 1000 x 800 */
    int decimals;          /* decimals of ranges and values; -1 = sol_render_auto_decimals */
    const char *thousands; /* thousands separator; NULL = none */
    char decimal_mark;     /* 0 = '.' */
    const char *lang;      /* the map's own words ("No data", "Source", "Licence", "number
                              of areas", the description, the credit line) from the catalogue
                              of "en", "it" or "fr"; NULL: the thread's language
                              (sol_lang_current) */
    int lang_numbers;      /* 1: numbers as the map's language writes them (sol_lang_number:
                              "1 234,5" in French, "1.234,5" in Italian, "1,234.5" in English);
                              `thousands` and `decimal_mark` are then not used */
    int credit;            /* 1: the footer says where the figures come from even when it is not
                              known ("Source: not stated", "Licence: not stated") and ends with a
                              credit line: the title and the date the map was made */
    long long produced;    /* the credit line's date, seconds since 1970-01-01 UTC; 0: now */
} sol_map;

/** Defaults: everything NULL/0, decimals -1, width 1000, height 800. */
SOL_API void sol_map_init(sol_map *m);

/** Draw `m` as a standalone SVG 1.1 document into a new buffer: title, subtitle, the areas
 *  (equirectangular: x = lon * cos(mid latitude of the layer), fitted to the free space with
 *  margins), a legend with class ranges and counts (and "No data" when an area has none), and a
 *  footer with source and licence (and, with `credit`, the credit line), every word in the
 *  map's language. Each area is a <path> with id, data-code, data-value,
 *  data-class and a <title> "name: value" for hover; the root has role="img", aria-label, <title>
 *  and <desc>. All text is XML-escaped. *svg (NUL-terminated, *len bytes) is freed with
 *  sol_free. Errors: SOL_EINVAL (missing layer, classes or colours, class index out of
 *  range), SOL_ELIMIT (over SOL_MAX_SVG bytes), SOL_ENOMEM. Thread-safe. */
SOL_API sol_status sol_map_svg(const sol_map *m, char **svg, size_t *len, sol_error *err);

/** Write `m` to `path` as SVG, PNG (width x height px times `scale`; white background) or PDF
 *  (one page, 1 CSS px = 0.75 pt, text kept as vectors). scale <= 0 means 1. Errors as
 *  sol_map_svg, plus SOL_EIO (cannot write; err names the file) and SOL_EGEO (the SVG renderer
 *  failed). */
SOL_API sol_status sol_map_write(const sol_map *m, const char *path, sol_map_format fmt,
                                 double scale, sol_error *err);

/** Render an SVG document (any, not only ours) to a PNG or PDF file through librsvg and Cairo,
 *  at its intrinsic size in px times `scale` (PNG) or 0.75 pt per px (PDF). SOL_EINVAL for
 *  SOL_MAP_SVG, SOL_EPARSE when librsvg rejects the SVG, SOL_EIO when the file cannot be written.
 *  Never prints (GLib messages are not emitted: errors come back in err). */
SOL_API sol_status sol_render_svg_to_file(const char *svg, size_t len, const char *path,
                                          sol_map_format fmt, double scale, sol_error *err);

/** Write several SVG documents as the pages of one PDF: each page A4 portrait (595 x 842 pt), the
 *  SVG scaled to fit within 28 pt margins, centred at the top. Errors as sol_render_svg_to_file. */
SOL_API sol_status sol_render_pages_pdf(const char *const *svg, const size_t *len, size_t n,
                                        const char *path, sol_error *err);

/** Format from a file name: ".svg", ".png", ".pdf" (any case). SOL_EINVAL otherwise. */
SOL_API sol_status sol_map_format_from_path(const char *path, sol_map_format *fmt);

#ifdef __cplusplus
}
#endif
#endif
