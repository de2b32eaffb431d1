/* solidata/withhold.h - the one owner of "a value withheld from the public, and everything
 * computed from it, stays withheld" (src/privacy/withhold.c). Every read path that can reach
 * the public (API routes, layers, report, maps, forecasts, alerts, exports) asks here.
 * Thread safety: pure functions are thread-safe; those reading the store need one handle per
 * thread. */
#ifndef SOL_WITHHOLD_H
#define SOL_WITHHOLD_H

#include <solidata/auth.h> /* SOL_ROLE_* */
#include <solidata/flags.h>
#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- one value ------------------------------------------------------------------------------ */

/** May a reader of `role` (SOL_ROLE_*) see withheld values? Analysts and admins may (they
 *  work on the data and are audited); the public and anonymous visitors may not. Thread-safe. */
SOL_API int sol_withhold_sees(int role);
/** Is a value with observation `flags` withheld from a reader of `role`? A value flagged
 *  SOL_FLAG_SUPPRESSED (a small count, a complement that protects one, or a figure computed from
 *  one: see sol_disclosure_refresh) is. Public outputs (the report, public maps) pass
 *  SOL_ROLE_PUBLIC. Thread-safe. */
SOL_API int sol_withhold_obs(int flags, int role);
/** Set values[i] to NaN for each i with withheld[i] != 0, so that nothing computed afterwards
 *  (class breaks, ranks, medians) depends on a withheld value; withheld NULL: nothing to do.
 *  Returns how many were blanked. Thread-safe on distinct arrays. */
SOL_API size_t sol_withhold_blank(double *values, const unsigned char *withheld, size_t n);

/* ---- the areas holding withheld values ------------------------------------------------------- */

/** A set of (indicator, area) pairs whose values are withheld from the public. Not thread-safe;
 *  one per caller. */
typedef struct sol_withheld sol_withheld;

/** An empty set. *out set only on success (SOL_ENOMEM otherwise); free with sol_withheld_free. */
SOL_API sol_status sol_withheld_new(sol_withheld **out, sol_error *err);
/** sol_withheld_free(NULL) is a no-op. */
SOL_API void sol_withheld_free(sol_withheld *w);
/** Add the areas holding a withheld value of `indicator` at `period` (NULL: in any period). An
 *  indicator unknown to the store adds nothing; asking twice for the same (indicator, period)
 *  reads the store once. Errors: SOL_ENOMEM, the store's (SOL_ESTORE). */
SOL_API sol_status sol_withheld_add(sol_withheld *w, sol_store *st, const char *indicator,
                                    const char *period, sol_error *err);
/** Does `area` hold a withheld value of `indicator` (NULL: of any indicator added)? 1/0. */
SOL_API int sol_withheld_has(const sol_withheld *w, const char *indicator, const char *area);

/* ---- results computed from withheld values (JSON texts in, JSON texts out) ------------------- */
/* Each takes a result as JSON text in *json (allocated with malloc, as jansson's json_dumps
 * does) and, when something is withheld, replaces it with a new text of the same shape
 * (malloc'ed; the old one is freed with free()). On error *json is left as it was. Call them
 * for readers who may not see withheld values (sol_withhold_sees). */

/** The analysis layers of sol_run_layers ({"index": {...}, "hotspots": {...}}) as the public
 *  may see them. What the public sees of an analysis is computed from what it may see: a layer
 *  whose run used withheld values is replaced by the layer of the run's public variant (its
 *  "public" member: the same analysis over the public values only, recorded by the index and
 *  LISA/Gi* runs), which says how many areas it lacks in "withheld" and which in
 *  "withheld_areas" (codes, sorted). A layer with no public variant is served as it is only
 *  when none of its areas holds a withheld value (a hot-spot layer: of its indicator and
 *  period; an index layer: of any of its indicators in any period); otherwise, and when the
 *  public variant could not be computed or holds a value withheld since, the layer is null and
 *  "withheld_layers" {name: why} says why. */
SOL_API sol_status sol_withhold_layers(sol_store *st, char **json, sol_error *err);
/** A forecast layer of `indicator` ({"areas": {code: ...}, ...}): the areas with a withheld
 *  value of the indicator get no forecast; "withheld" says how many were left out (present
 *  whenever the indicator has a withheld value, 0 when none of those areas had a forecast). */
SOL_API sol_status sol_withhold_forecast(sol_store *st, const char *indicator, char **json,
                                         sol_error *err);
/** An alerts result ({"alerts": [{"indicator", "area", ...}, ...], ...}): the alerts about an
 *  area whose values of that indicator are withheld are left out; "withheld" says how many
 *  (only when some were). When the run holds a public variant ("public": the alerts of the
 *  series without withheld values, false discovery rate over their tests alone), its alerts
 *  and tests replace the run's; a run without one that alerted on a withheld series gives no
 *  alerts ("public_note" says why), since the others' q values count those tests. */
SOL_API sol_status sol_withhold_alerts(sol_store *st, char **json, sol_error *err);

/* ---- method cards ---------------------------------------------------------------------------- */

/** A run's method card (JSON text `card_json`) as a reader of `role` may see it, into *out
 *  (malloc'ed, freed with free()). Readers who see withheld values (sol_withhold_sees) get the
 *  card as stored. Anyone else gets it without what is computed from the exact values, withheld
 *  ones included, or points at them: every member whose name ends in "sha256" (values_sha256,
 *  inputs_sha256, the microdata's input_sha256, the sources' file digests: filling in the
 *  published values and guessing the withheld ones until a digest matches would give them
 *  back), file locations (location, path, file, microdata, data, geo, weights_file, out), and
 *  weights estimated from the data (PCA or factor analysis weights of an index); the card then
 *  says so in "withheld_from_public". A card that is not a JSON object becomes null. Every
 *  public read of a card (GET /api/runs, the report) goes through here.
 *  Errors: SOL_ENOMEM (*out not set). Thread-safe. */
SOL_API sol_status sol_withhold_card(const char *card_json, int role, char **out, sol_error *err);

/* ---- licences ---------------------------------------------------------------------------------
 */

/** What a source's licence allows the public to see. */
typedef enum sol_licence_kind {
    SOL_LICENCE_NONE = 0, /* no licence stated: treated as public data */
    SOL_LICENCE_OPEN,     /* an open licence: may be published */
    SOL_LICENCE_CLOSED,   /* not an open licence: own records, published only when confirmed */
    SOL_LICENCE_FORBIDS   /* the licence forbids publication: never published */
} sol_licence_kind;
/** The minimum cell size of the counts of a source of own records (sol_source.own_records) when
 *  its dataset has none set (import --min-cell) and the store's default is smaller. */
#define SOL_WITHHOLD_OWN_RECORDS_MIN_CELL 10u

/** Classify a licence text (case-insensitive, word by word). FORBIDS when it holds one of the
 *  words internal, interne, interno, interna, interni, confidential, confidentiel(le),
 *  confidenziale, riservato, riservata, restricted, or the phrases "not for publication", "ne
 *  pas publier", "non pubblicare", "non destiné à la publication"; else OPEN when it names CC BY,
 *  CC BY-SA, CC0, ODbL, ODC-BY, PDDL, Licence Ouverte / Etalab, IODL, an Open Government
 *  Licence, the public domain (domaine public, pubblico dominio), "réutilisation libre" or
 *  "open data", and no NC or ND clause; else CLOSED; NULL or blank: NONE. Thread-safe. */
SOL_API sol_licence_kind sol_withhold_licence(const char *licence);

#ifdef __cplusplus
}
#endif
#endif
