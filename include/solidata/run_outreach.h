/* solidata/run_outreach.h - audiences and non-take-up on the store, shared by the command and the
 * server: define an audience from a rule (evaluated on the store's public values, refused when a
 * cell is below k, when it would combine with an existing audience into a cell below k, or when
 * it uses a special category without a public-service purpose), its card in the reader's
 * language, its places for advertising platforms, its printable map; and the gap between the
 * people eligible for a benefit and those receiving it, per area. Each evaluation is recorded as
 * a run with its method card. docs/outreach.md.
 * Thread safety: reentrant; one store handle per thread. */
#ifndef SOL_RUN_OUTREACH_H
#define SOL_RUN_OUTREACH_H

#include <solidata/i18n.h>
#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What to define. Strings are borrowed for the duration of the call. */
typedef struct sol_audience_job {
    const char *name;    /* required: letters, digits, '-', '_', '.' (at most 64) */
    const char *rule;    /* required: the rule language, or a JSON object (starts with '{') */
    const char *purpose; /* the purpose in words when the rule states none; NULL */
    const char *who;     /* the account defining it; NULL: $SOLIDATA_USER, else $USER */
    int drop_small;      /* 1: leave out the areas whose cell is below k (and say so); 0: refuse */
    int preview;         /* 1: evaluate and check only; nothing is written */
} sol_audience_job;

/** Defaults: everything NULL or 0. */
SOL_API void sol_run_audience_job_init(sol_audience_job *j);

/** The outcome of a definition. Owned; free with sol_audience_output_free. */
typedef struct sol_audience_output {
    char *card;     /* the card as stored (JSON: words in every language) */
    int64_t id;     /* the audience's id (0 for a preview) */
    int64_t run_id; /* the run that evaluated it (0 for a preview) */
    size_t n_areas; /* areas selected */
    double people, low, high;
    size_t n_notes; /* what the user should know: areas left out and why */
    char **notes;
} sol_audience_output;

/** Evaluate job->rule on the store and, unless a preview, record the run (kind "audience") and
 *  the audience (a draft) in one transaction. Refusals (the store unchanged): SOL_EINVAL for a
 *  cell below k (the message names the areas and the largest k that would pass), for a
 *  combination with an existing audience revealing a cell below k, for a special category
 *  without `purpose public-service`, for a rule that selects no area; SOL_EPARSE for a bad rule
 *  (err->where "rule:LINE:COL"); SOL_ENOTFOUND for an unknown indicator (the message lists close
 *  names), level, area or period; SOL_EDUPLICATE for a name in use; SOL_ESTORE, SOL_ENOMEM.
 *  *out set only on success. */
SOL_API sol_status sol_run_audience_define(sol_store *st, const sol_audience_job *job,
                                           sol_audience_output **out, sol_error *err);
SOL_API void sol_audience_output_free(sol_audience_output *o);

/** The card of audience `name` in `lang` as indented JSON (free with sol_free): name, group,
 *  rule_text (in `lang`), rule, k, purpose, public_service, special, evidence[] (indicator,
 *  label, unit, period, sources with licence), areas[] {code, name, people, low, high},
 *  people {estimate, low, high}, excluded, method, created_at, created_by, published, run_id.
 *  With `drafts` 0 only a published audience is found (SOL_ENOTFOUND otherwise). */
SOL_API sol_status sol_run_audience_card(sol_store *st, const char *name, sol_lang lang, int drafts,
                                         char **json, sol_error *err);
/** The same card as plain text for people (free with sol_free). */
SOL_API sol_status sol_run_audience_text(sol_store *st, const char *name, sol_lang lang, int drafts,
                                         char **text, sol_error *err);
/** Every audience's card in `lang` ({"audiences": [...], "k": K}); drafts 0: published only. */
SOL_API sol_status sol_run_audience_list(sol_store *st, sol_lang lang, int drafts, char **json,
                                         sol_error *err);

/** Publish (1) or withdraw (0) an audience's card and its run; *changed (may be NULL). */
SOL_API sol_status sol_run_audience_publish(sol_store *st, const char *name, int publish,
                                            const char *who, int *changed, sol_error *err);

/** Export formats of an audience's areas. */
typedef enum sol_audience_format {
    SOL_AUDIENCE_PLACES = 0, /* CSV "name,region,country": one place a line, for bulk upload */
    SOL_AUDIENCE_RADIUS,     /* CSV "name,latitude,longitude,radius_km": centroid and radius */
    SOL_AUDIENCE_CSV         /* CSV of everything: code, name, level, people, interval, ... */
} sol_audience_format;

/** The areas of audience `name` as CSV text (free with sol_free). `region` and `country`
 *  (NULL: from the areas' ancestors and level names; "" when unknown) complete the place names.
 *  The radius is that of the circle with the area's surface (sqrt(A / pi), A from the polygons
 *  on a local equirectangular projection), rounded up to 0.1 km, at least 1 km; the farthest
 *  vertex from the centroid is in the csv format. drafts as for the card. */
SOL_API sol_status sol_run_audience_export(sol_store *st, const char *name,
                                           sol_audience_format format, const char *region,
                                           const char *country, int drafts, char **csv, size_t *len,
                                           sol_error *err);

/** A printable map of the audience's areas (the areas in its scope drawn, those selected
 *  highlighted, withheld ones marked) as SVG text (free with sol_free), in `lang`. */
SOL_API sol_status sol_run_audience_map_svg(sol_store *st, const char *name, sol_lang lang,
                                            int drafts, char **svg, size_t *len, sol_error *err);
/** The same map written to `path` (.svg, .png or .pdf). */
SOL_API sol_status sol_run_audience_map(sol_store *st, const char *name, sol_lang lang,
                                        const char *path, sol_error *err);

/** Remove a draft audience (sol_store_audience_remove). */
SOL_API sol_status sol_run_audience_remove(sol_store *st, const char *name, const char *who,
                                           sol_error *err);

/* ---- non-take-up ------------------------------------------------------------------------- */

typedef struct sol_takeup_job {
    const char *eligible;    /* required: an indicator counting the eligible people, or a rule
                                (text or JSON) whose people are the eligible */
    const char *receiving;   /* required: an indicator counting the people receiving */
    const char *level;       /* NULL: the rule's, else the level of the eligible's areas */
    const char *period;      /* the receiving's period; NULL: its latest */
    const char *as_audience; /* NULL, or the name of an audience to define from the ranking */
    size_t top;              /* with as_audience: at most this many areas (0: 20) */
    const char *purpose;     /* with as_audience: its purpose (NULL: a default in words) */
    const char *who;
    int missing_zero; /* 1: an area with no count of people receiving receives none */
    int record;       /* record the run */
} sol_takeup_job;

SOL_API void sol_run_takeup_job_init(sol_takeup_job *j);

typedef struct sol_takeup_output {
    char *json; /* {"areas": [{code, name, eligible, eligible_low, eligible_high, receiving,
                   gap, gap_low, gap_high, rate, rate_low, rate_high, rank, sure}], totals, ...} */
    size_t n;
    char **code, **name;
    double *eligible, *eligible_low, *eligible_high, *receiving, *gap, *gap_low, *gap_high;
    double *rate;
    size_t *rank;
    int64_t run_id, audience_id;
    size_t n_notes;
    char **notes;
} sol_takeup_output;

/** Per area: eligible people (with the interval from the share's or count's standard error),
 *  people receiving (exact counts), the gap with its interval, the take-up rate and the ranking
 *  (largest gap first; ties by the lower bound of the gap, then by code). Areas where either is
 *  missing or withheld are left out and counted in the notes. With as_audience, the `top` areas
 *  whose gap is surely above zero become an audience (the eligible rule within those areas),
 *  checked like any other. Errors as sol_run_audience_define. */
SOL_API sol_status sol_run_takeup(sol_store *st, const sol_takeup_job *job, sol_takeup_output **out,
                                  sol_error *err);
SOL_API void sol_takeup_output_free(sol_takeup_output *o);

#ifdef __cplusplus
}
#endif
#endif
