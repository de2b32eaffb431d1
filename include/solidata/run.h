/* solidata/run.h - the one place the CLI and the server share: resolve an analysis' inputs from
 * the store, and record what was computed as a run with its method card.
 * Thread safety: one store handle per thread; nothing is global. */
#ifndef SOL_RUN_H
#define SOL_RUN_H

#include <solidata/geo.h>
#include <solidata/limits.h>
#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** One indicator at one period over the areas that have a value, with what is needed to
 *  credit its sources. Everything is owned by the struct; free with sol_values_free. */
typedef struct sol_values {
    size_t n;
    char **codes; /* area codes, ascending */
    char **names; /* area names (entries may be NULL) */
    double *values;
    unsigned char *suppressed; /* n entries: 1 = SOL_FLAG_SUPPRESSED (disclosure control); the
                                  value is kept for analysis, withhold it from public outputs */
    size_t n_suppressed;
    sol_feature *features; /* NULL unless geometry was asked for; features[i].code == codes[i] */
    char indicator[SOL_MAX_CODE + 1];
    char period[16];
    char *label;            /* indicator label, may be NULL */
    char *unit;             /* may be NULL */
    int polarity;           /* +1 higher is better, -1 worse, 0 not stated */
    char *sources_json;     /* JSON array: name, version, licence, attribution, sha256, role */
    char inputs_sha256[65]; /* SHA-256 over "code\tvalue(%.17g)\n" lines: what the run read */
} sol_values;

/** Load `indicator` at `period` (NULL: its latest period) for every area that has a value;
 *  with_geometry 1 also parses each area's polygons (areas without geometry are then an error
 *  naming them). Errors: SOL_ENOTFOUND for an unknown indicator or period (the message lists
 *  what exists), SOL_ESTORE. */
SOL_API sol_status sol_run_values(sol_store *st, const char *indicator, const char *period,
                                  int with_geometry, sol_values **out, sol_error *err);
SOL_API void sol_values_free(sol_values *v);
/** Drop the suppressed entries (public tables and rankings list only publishable values);
 *  returns how many were dropped. */
SOL_API size_t sol_values_withhold(sol_values *v);

/** What one run record holds. Every `*_json` is a JSON text built with jansson (never printed
 *  with format strings), or NULL; strings are borrowed for the duration of the call.
 *  - `kind`: "spatial.lisa", "poverty", ... (required)
 *  - `spec_json`: what was asked (an object; NULL: {})
 *  - `method_json`: an object with at least "name" and "reference"
 *  - `inputs`: one indicator's values read from the store, or NULL; else `inputs_json`, an
 *    object describing several series (indicators, periods, areas, sources with licences), and
 *    `inputs_sha256`, the digest of the values read
 *  - `choices_json`: the human choices (weights, thresholds, seed, ...)
 *  - `privacy_json`: the disclosure rules applied to the published result (NULL: the standard
 *    statement, which counts the suppressed inputs)
 *  - `result_json`: the result */
typedef struct sol_run_card {
    const char *kind;
    const char *spec_json, *method_json, *choices_json, *privacy_json, *result_json;
    const sol_values *inputs;
    const char *inputs_json, *inputs_sha256;
} sol_run_card;

/** Who acts on this thread: the name the run layer records in runs and audit rows made on this
 *  thread. The server sets the signed-in account for the length of a request; NULL or "" returns
 *  the thread to the process's actor. The name is copied (names longer than 64 bytes are cut). */
SOL_API void sol_run_set_actor(const char *name);
/** The name recorded as who: this thread's actor, else $SOLIDATA_USER, else $USER; NULL when
 *  none is set. Valid until the next sol_run_set_actor on this thread. */
SOL_API const char *sol_run_actor(void);

/** Record a run: the method card assembled and stored joins the parts of `c` with the inputs'
 *  provenance, who (sol_run_actor) and when. *id (may be NULL) gets the run id.
 *  Errors: SOL_EINVAL (a part that is not valid JSON, no kind), SOL_ESTORE, SOL_ENOMEM. */
SOL_API sol_status sol_run_record(sol_store *st, const sol_run_card *c, int64_t *id,
                                  sol_error *err);

/** A choropleth of one indicator from the store. */
typedef struct sol_map_job {
    const char *indicator;  /* required */
    const char *period;     /* NULL: the latest */
    const char *classes;    /* "quantile" (default), "equal", "jenks", "sd" */
    unsigned k;             /* classes; 0 = 5 */
    const char *palette;    /* NULL: "YlOrRd", reversed for higher-is-better indicators so that
                               darker always means more need */
    const char *title;      /* NULL: the indicator's label (or code) and the period */
    unsigned width, height; /* 0: 1000 x 800 */
    const char *lang;       /* the map's words and numbers: "en", "it" or "fr"; NULL: the
                               thread's language (sol_lang_current) */
    int unsuppressed;       /* 1: draw suppressed values (analysts); 0: draw them as
                               "suppressed", outside the class breaks (public outputs) */
} sol_map_job;

/** Draw the map as SVG into *svg (*len bytes; free with sol_free). The footer credits
 *  every source of the values and the boundaries with its licence. Errors as sol_run_values and
 *  the render module. */
SOL_API sol_status sol_run_map_svg(sol_store *st, const sol_map_job *o, char **svg, size_t *len,
                                   sol_error *err);
/** Write the same map to `path` (.svg, .png or .pdf by extension). */
SOL_API sol_status sol_run_map_write(sol_store *st, const sol_map_job *o, const char *path,
                                     sol_error *err);

/** The map's values without geometry, for a dashboard that already holds the shapes: JSON with
 *  indicator, period, level, label, unit, polarity, breaks and colours (as /api/map.svg draws
 *  them), then "values" (a number or null per area of `level`, NULL: every area, in code order:
 *  the order of sol_run_map_topo's areas), "classes" (one character per area: '0'..'9' its
 *  class, '-' no value, 's' withheld from this reader) and "n". *json is malloc'ed (sol_free).
 *  Errors as sol_run_map_svg; SOL_ELIMIT past SOL_MAX_MAP_REPLY. */
SOL_API sol_status sol_run_map_values(sol_store *st, const sol_map_job *o, const char *level,
                                      char **json, size_t *len, sol_error *err);
/** The areas of `level` (NULL: all) as a topology of shared arcs simplified for `zoom`
 *  (sol_topo_encode, format "solidata-topo-1"). The arcs are built once per store generation,
 *  level and reader kind (`analyst` 1 or 0) and kept (a few levels at once) for other zooms.
 *  Errors: SOL_EINVAL (zoom), SOL_ENOTFOUND (no area of the level), SOL_EGEO, SOL_ENOMEM and
 *  the store's. Thread-safe (one build at a time). */
SOL_API sol_status sol_run_map_topo(sol_store *st, const char *level, int zoom, int analyst,
                                    char **json, size_t *len, sol_error *err);
/** Drop every kept topology (tests, and a server that stops). Thread-safe. */
SOL_API void sol_run_map_topo_forget(void);

/** The printable atlas. */
typedef struct sol_report_job {
    const char *lang;        /* "en", "it" or "fr"; NULL = sol_lang_current() */
    const char *area;        /* an area code: add its profile; NULL = none */
    const char *indicators;  /* comma-separated codes; NULL = those with a stated polarity, most
                                areas first */
    unsigned max_indicators; /* when choosing them: 0 = 6 */
    const char *appendix;    /* "ranks": every area's rank in an appendix; NULL = no appendix */
} sol_report_job;

/** Write the atlas to `path`: .html (one self-contained page, inline SVG maps, no script) or .pdf
 *  (A4 pages drawn from the same SVGs through librsvg and Cairo). It holds, in the language asked
 *  (every sentence from the message catalogue, numbers and dates as the language writes them):
 *  a first page that says what the atlas shows (areas, indicators, periods, sources) and names
 *  the areas in greatest need with why; then one idea per page: a map and its reading per
 *  indicator, the composite index and the hot spots when they were computed, the emerging needs
 *  (the latest alerts run) and the forecasts of the areas in focus, the area's profile, how to
 *  read it with every source and licence and the recorded runs; every area's rank only in the
 *  appendix asked for. Every page carries the title, the date of production and the sources
 *  with their licences. Withheld values and ranks are said to be withheld. Errors: SOL_EINVAL
 *  (language, appendix, format), SOL_ENOTFOUND (area or indicator), SOL_EIO, and those of the
 *  store and the render module. */
SOL_API sol_status sol_run_report(sol_store *st, const sol_report_job *o, const char *path,
                                  sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
