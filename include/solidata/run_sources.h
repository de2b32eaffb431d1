/* solidata/run_sources.h - correcting and undoing imports: the sources of the store with their
 * versions, a source removed, restored or replaced by a corrected file, an indicator's labels,
 * unit, polarity, dimension and count/rate kind changed after import. Each change is one
 * transaction with its audit row (old and new values); on any error the store is unchanged.
 * The CLI (`solidata source ...`, `solidata indicator ...`) and the server (/api/sources...,
 * /api/indicators/edit) call these same functions.
 * Thread safety: as the store handle (one per thread). */
#ifndef SOL_RUN_SOURCES_H
#define SOL_RUN_SOURCES_H

#include <solidata/import.h>
#include <solidata/run_catalog.h>
#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The sources as JSON, into *out (free with free()):
 *  {"sources": [{"name", "status" ("current" or "removed"), "current_version" (null when
 *  removed), "kind" ("data" or "areas"), "licence", "attribution", "rows" (values or areas of
 *  the current version, else of the last one), "imported_by", "versions": [{"version",
 *  "status" ("current", "superseded" or "removed"), "imported_at", "imported_by", "rows_read",
 *  "rows_written", "connector", "location", "licence", "attribution", "sha256", "options"
 *  (the import options recorded, an object or null)}, ...newest first]}, ...by name]}.
 *  With `name` (source show): that source only, plus "audit" (its rows of the audit log, oldest
 *  first: id, at, who, action, detail) and "depends" ({"runs": [{"id", "kind", "created_at"}],
 *  "indicators": [codes]}: the runs whose method card names it, the indicators of other
 *  sources computed from its values). SOL_ENOTFOUND for an unknown name (err lists close
 *  names), SOL_ESTORE, SOL_ENOMEM. */
SOL_API sol_status sol_run_sources_json(sol_store *st, const char *name, char **out,
                                        sol_error *err);
/** The same list as CSV through `w`, one row per version: name, version, status, imported_at,
 *  imported_by, rows, licence, attribution, kind. */
SOL_API sol_status sol_run_sources_csv(sol_store *st, sol_run_write_fn w, void *ud, sol_error *err);

/** What a removal or a restore did. */
typedef struct sol_source_change {
    int version;                  /* the version taken out (remove) or made current (restore) */
    int64_t values;               /* values taken out of, or put back into, the store */
    int64_t suppressed_primary;   /* afterwards, values of the whole store withheld from the */
    int64_t suppressed_secondary; /* public: below the minimum cell size; complements, rates */
    size_t n_runs, n_indicators;  /* remove: what depends on the source (see depends) */
    char *depends; /* remove: JSON {"runs": [...], "indicators": [...]} as in sol_run_sources_json,
                      malloc'ed (free with sol_source_change_clear); NULL otherwise */
} sol_source_change;
/** Free what `c` holds and zero it. NULL: nothing. */
SOL_API void sol_source_change_clear(sol_source_change *c);

/** Remove source `name`: its current values leave the store, kept in the archive like a
 *  superseded version's so that `sol_run_source_restore` brings them back; the source's status
 *  becomes "removed"; disclosure control is recomputed; "source.remove" (source, version,
 *  values, and what depends on it) is appended to the audit log under `who` (NULL: $SOLIDATA_USER,
 *  else $USER). What depends on it (runs, derived indicators) does not stop the removal: it is
 *  reported in `out` for the caller to warn. Errors: SOL_ENOTFOUND (unknown source; err lists
 *  close names), SOL_EINVAL (already removed; an area layer), SOL_EVERSION, SOL_ESTORE. */
SOL_API sol_status sol_run_source_remove(sol_store *st, const char *name, const char *who,
                                         sol_source_change *out, sol_error *err);
/** Make version `version` of source `name` current again (after a removal or a replacement):
 *  sol_import_restore with `who` as the audit log's author. Errors as sol_store_source_restore,
 *  an unknown source naming close names. */
SOL_API sol_status sol_run_source_restore(sol_store *st, const char *name, int version,
                                          const char *who, sol_source_change *out, sol_error *err);
/** Replace source `name` (it must exist, current or removed) by a new version from `path`
 *  imported with `o`: the same import as sol_import_data, with o->source_name set to `name`,
 *  o->replace to 1, and the licence and attribution of the version replaced when `o` gives none
 *  (o's other fields are left as given). The previous version is kept and restorable; an
 *  identical file with other options becomes a new version (rep->unchanged only when file and
 *  options are the same). Audited as "source.replace". Errors as sol_import_data, and
 *  SOL_ENOTFOUND for an unknown source (err lists close names). */
SOL_API sol_status sol_run_source_replace(sol_store *st, const char *name, const char *path,
                                          sol_import_opts *o, sol_import_report *rep,
                                          sol_error *err);

/** What to change in an indicator: NULL keeps a field; "" clears a text. */
typedef struct sol_indicator_change {
    const char *label; /* the default label */
    const char *label_en, *label_fr, *label_it;
    const char *unit;
    const char *dimension;
    const char *polarity; /* "higher_better", "lower_better" or "none" */
    const char *kind;     /* "count" (values are numbers of persons or households: disclosure
                             control withholds small ones), "rate" or "other" (not a count) */
} sol_indicator_change;
/** Change indicator `code` as `c` says, in one transaction with its audit row
 *  ("indicator.edit": code, and old and new value of each field changed); a change of kind
 *  recomputes disclosure control as an import does. *out (may be NULL; free with free()) gets
 *  {"code", "changed": {field: {"old", "new"}}, "suppressed_primary", "suppressed_secondary"}
 *  ("changed" empty and nothing written when every value was already so). Errors:
 *  SOL_ENOTFOUND (unknown indicator), SOL_EINVAL (nothing to change, a polarity or kind not
 *  allowed, a text too long or with control characters; err->where names the field as
 *  "--polarity"), SOL_EVERSION, SOL_ESTORE. */
SOL_API sol_status sol_run_indicator_edit(sol_store *st, const char *code,
                                          const sol_indicator_change *c, const char *who,
                                          char **out, sol_error *err);
/** Indicator `code` as JSON into *out (free with free()): code, label, labels {en, fr, it},
 *  unit, units {en, fr, it}, polarity ("higher_better", "lower_better" or "none"), dimension,
 *  kind ("count", "rate" when it has a denominator, else "other"), numerator, denominator,
 *  observations, first_period, last_period, and "history": its "indicator.edit" audit rows
 *  (oldest first). SOL_ENOTFOUND for an unknown indicator. */
SOL_API sol_status sol_run_indicator_show(sol_store *st, const char *code, char **out,
                                          sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
