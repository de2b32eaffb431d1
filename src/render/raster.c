/* raster.c - PNG and PDF from an SVG document through librsvg and Cairo. The only file that
 * includes librsvg, GLib or Cairo headers; every failure comes back as a sol_status. */
#include <solidata/render.h>

#include "core/core.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <librsvg/rsvg.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

/* librsvg, Cairo and GLib are opened on first use (src/core/dl.c says why): librsvg's handle
 * finds Cairo's and GLib's functions among its own dependencies. */
#define RASTER_FUNCTIONS(X)                                                                        \
    X(cairo_create)                                                                                \
    X(cairo_destroy)                                                                               \
    X(cairo_image_surface_create)                                                                  \
    X(cairo_paint)                                                                                 \
    X(cairo_pdf_surface_create)                                                                    \
    X(cairo_set_source_rgb)                                                                        \
    X(cairo_show_page)                                                                             \
    X(cairo_status)                                                                                \
    X(cairo_status_to_string)                                                                      \
    X(cairo_surface_destroy)                                                                       \
    X(cairo_surface_finish)                                                                        \
    X(cairo_surface_status)                                                                        \
    X(cairo_surface_write_to_png)                                                                  \
    X(g_error_free)                                                                                \
    X(g_object_unref)                                                                              \
    X(rsvg_handle_get_intrinsic_size_in_pixels)                                                    \
    X(rsvg_handle_new_from_data)                                                                   \
    X(rsvg_handle_render_document)                                                                 \
    X(rsvg_handle_set_dpi)

static struct {
#define RASTER_SLOT(f) __typeof__(f) *f;
    RASTER_FUNCTIONS(RASTER_SLOT)
#undef RASTER_SLOT
} lib;
static pthread_once_t lib_once = PTHREAD_ONCE_INIT;
static sol_error lib_err;
static sol_status lib_rc;

static void lib_load(void)
{
    static const char *const names[] = {
#define RASTER_NAME(f) #f,
        RASTER_FUNCTIONS(RASTER_NAME)
#undef RASTER_NAME
    };
    void (*slots[sizeof names / sizeof *names])(void);
    lib_rc = sol__dl_bind(SOL_RSVG_SONAME, "librsvg2-2", names, slots, sizeof names / sizeof *names,
                          &lib_err);
    size_t i = 0;
#define RASTER_SET(f) memcpy(&lib.f, &slots[i++], sizeof slots[0]);
    if (lib_rc == SOL_OK) {
        RASTER_FUNCTIONS(RASTER_SET)
    }
#undef RASTER_SET
}

static sol_status lib_open(sol_error *err)
{
    pthread_once(&lib_once, lib_load);
    if (lib_rc != SOL_OK && err != NULL)
        *err = lib_err;
    return lib_rc;
}

#define cairo_create                             lib.cairo_create
#define cairo_destroy                            lib.cairo_destroy
#define cairo_image_surface_create               lib.cairo_image_surface_create
#define cairo_paint                              lib.cairo_paint
#define cairo_pdf_surface_create                 lib.cairo_pdf_surface_create
#define cairo_set_source_rgb                     lib.cairo_set_source_rgb
#define cairo_show_page                          lib.cairo_show_page
#define cairo_status                             lib.cairo_status
#define cairo_status_to_string                   lib.cairo_status_to_string
#define cairo_surface_destroy                    lib.cairo_surface_destroy
#define cairo_surface_finish                     lib.cairo_surface_finish
#define cairo_surface_status                     lib.cairo_surface_status
#define cairo_surface_write_to_png               lib.cairo_surface_write_to_png
#define g_error_free                             lib.g_error_free
#define g_object_unref                           lib.g_object_unref
#define rsvg_handle_get_intrinsic_size_in_pixels lib.rsvg_handle_get_intrinsic_size_in_pixels
#define rsvg_handle_new_from_data                lib.rsvg_handle_new_from_data
#define rsvg_handle_render_document              lib.rsvg_handle_render_document
#define rsvg_handle_set_dpi                      lib.rsvg_handle_set_dpi

static sol_status gerr_out(sol_error *err, sol_status code, const char *path, const char *what,
                           GError *ge)
{
    sol_status rc = sol__err_at(err, code, path, 0, 0, "%s: %s", what,
                                ge && ge->message ? ge->message : "unknown error");
    if (ge)
        g_error_free(ge);
    return rc;
}

sol_status sol_render_svg_to_file(const char *svg, size_t len, const char *path, sol_map_format fmt,
                                  double scale, sol_error *err)
{
    if (fmt != SOL_MAP_PNG && fmt != SOL_MAP_PDF)
        return sol__err(err, SOL_EINVAL, "render: PNG or PDF expected");
    if (svg == NULL || path == NULL)
        return sol__err(err, SOL_EINVAL, "render: no SVG or no path");
    if (!(scale > 0))
        scale = 1;
    sol_status rc = lib_open(err);
    if (rc != SOL_OK)
        return rc;
    GError *ge = NULL;
    cairo_surface_t *surf = NULL;
    cairo_t *cr = NULL;
    RsvgHandle *h = rsvg_handle_new_from_data((const guint8 *)svg, (gsize)len, &ge);
    if (h == NULL)
        return gerr_out(err, SOL_EPARSE, path, "SVG rejected by librsvg", ge);
    rsvg_handle_set_dpi(h, 96.0);
    double w = 0, hh = 0;
    if (!rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hh) || !(w >= 1 && hh >= 1)) {
        rc = sol__err_at(err, SOL_EPARSE, path, 0, 0, "the SVG has no width and height in px");
        goto done;
    }
    if (w * scale > 32767 || hh * scale > 32767) {
        rc = sol__err_at(err, SOL_ELIMIT, path, 0, 0, "image of %.0fx%.0f px is too large",
                         w * scale, hh * scale);
        goto done;
    }
    RsvgRectangle vp = {0, 0, 0, 0};
    if (fmt == SOL_MAP_PNG) {
        int pw = (int)ceil(w * scale), ph = (int)ceil(hh * scale);
        surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pw, ph);
        vp.width = pw;
        vp.height = ph;
    } else {
        surf = cairo_pdf_surface_create(path, w * 0.75, hh * 0.75);
        vp.width = w * 0.75;
        vp.height = hh * 0.75;
    }
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        rc = sol__err_at(err, fmt == SOL_MAP_PDF ? SOL_EIO : SOL_ENOMEM, path, 0, 0,
                         "cannot create the %s surface: %s", fmt == SOL_MAP_PDF ? "PDF" : "image",
                         cairo_status_to_string(cairo_surface_status(surf)));
        goto done;
    }
    cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1); /* paper white, not transparent */
    cairo_paint(cr);
    if (!rsvg_handle_render_document(h, cr, &vp, &ge)) {
        rc = gerr_out(err, SOL_EGEO, path, "librsvg could not draw the SVG", ge);
        goto done;
    }
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        rc = sol__err_at(err, SOL_EGEO, path, 0, 0, "cairo: %s",
                         cairo_status_to_string(cairo_status(cr)));
        goto done;
    }
    if (fmt == SOL_MAP_PNG) {
        cairo_status_t st = cairo_surface_write_to_png(surf, path);
        if (st != CAIRO_STATUS_SUCCESS)
            rc = sol__err_at(err, SOL_EIO, path, 0, 0, "cannot write the PNG: %s",
                             cairo_status_to_string(st));
    } else {
        cairo_show_page(cr);
        cairo_surface_finish(surf);
        if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
            rc = sol__err_at(err, SOL_EIO, path, 0, 0, "cannot write the PDF: %s",
                             cairo_status_to_string(cairo_surface_status(surf)));
    }
done:
    if (cr)
        cairo_destroy(cr);
    if (surf)
        cairo_surface_destroy(surf);
    g_object_unref(h);
    return rc;
}

sol_status sol_render_pages_pdf(const char *const *svg, const size_t *len, size_t n,
                                const char *path, sol_error *err)
{
    const double pw = 595.0, ph = 842.0, margin = 28.0;
    if (n == 0 || path == NULL)
        return sol__err(err, SOL_EINVAL, "render: no pages or no path");
    sol_status rc = lib_open(err);
    if (rc != SOL_OK)
        return rc;
    cairo_surface_t *surf = cairo_pdf_surface_create(path, pw, ph);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        rc = sol__err_at(err, SOL_EIO, path, 0, 0, "cannot create the PDF: %s",
                         cairo_status_to_string(cairo_surface_status(surf)));
        cairo_surface_destroy(surf);
        return rc;
    }
    cairo_t *cr = cairo_create(surf);
    for (size_t i = 0; i < n && rc == SOL_OK; i++) {
        GError *ge = NULL;
        RsvgHandle *h = rsvg_handle_new_from_data((const guint8 *)svg[i], (gsize)len[i], &ge);
        if (h == NULL) {
            rc = gerr_out(err, SOL_EPARSE, path, "a page's SVG was rejected by librsvg", ge);
            break;
        }
        rsvg_handle_set_dpi(h, 96.0);
        double w = 0, hh = 0;
        if (!rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hh) || !(w >= 1 && hh >= 1)) {
            rc = sol__err_at(err, SOL_EPARSE, path, 0, 0, "page %zu has no size in px", i + 1);
            g_object_unref(h);
            break;
        }
        double s = fmin((pw - 2 * margin) / w, (ph - 2 * margin) / hh);
        RsvgRectangle vp = {(pw - w * s) / 2, margin, w * s, hh * s};
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        if (!rsvg_handle_render_document(h, cr, &vp, &ge))
            rc = gerr_out(err, SOL_EGEO, path, "librsvg could not draw a page", ge);
        g_object_unref(h);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    if (rc == SOL_OK && cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
        rc = sol__err_at(err, SOL_EIO, path, 0, 0, "cannot write the PDF: %s",
                         cairo_status_to_string(cairo_surface_status(surf)));
    cairo_surface_destroy(surf);
    return rc;
}
