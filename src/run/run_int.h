/* run_int.h - the run layer's shared internals (src/run/ only, never installed): reading a small
 * text file, the errors of a job, notes for the user, numbers in result JSON, recording a result.
 */
#ifndef SOL_RUN_INT_H
#define SOL_RUN_INT_H

#include <solidata/i18n.h>
#include <solidata/run.h>
#include <solidata/status.h>
#include <solidata/store.h>

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* The whole of `path` (at most `max` bytes), NUL-terminated, into *out (free with sol__free):
 * SOL_EIO when missing, unreadable or over `max` (no detail: the caller names the file),
 * SOL_ENOMEM. */
sol_status sol__run_read_text(const char *path, size_t max, char **out, size_t *len);

/* A value of the job the caller should change: SOL_EINVAL, err->where naming the option as the
 * command spells it ("--budget") and err->msg the rest of the sentence. */
sol_status sol__run_job_error(sol_error *err, const char *option, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* With `st`, record `result` as a run of `kind` (spec, method and choices: objects, taken and
 * released here; NULL when they could not be built) and add its "run_id"; then the result,
 * indented, into *json (free with free). `result` stays the caller's. */
sol_status sol__run_finish_take(sol_store *st, const char *kind, json_t *spec, json_t *method,
                                json_t *choices, json_t *result, int64_t *run_id, char **json,
                                sol_error *err);

/* Record a run: spec, method, choices and result (borrowed; NULL when they could not be built)
 * dumped with `flags` (JSON_COMPACT, ...) into card's texts, then sol_run_record. SOL_ENOMEM
 * ("out of memory recording the run") when one is NULL or cannot be dumped. */
sol_status sol__run_record_json(sol_store *st, sol_run_card *card, size_t flags, json_t *spec,
                                json_t *method, json_t *choices, json_t *result, int64_t *run_id,
                                sol_error *err);

/* The name of a composite index's method, as stored (English) and as sol__run_method_words says
 * it: normalisation, aggregation, " (AMPI)" or " (MPI)" or "". */
#define SOL__INDEX_METHOD_NAME N_("composite index: %s normalisation, %s aggregation%s")

/* The method of a run in words of language `l`: the stored "name" of `method` (a method card's
 * "method" object) translated, a composite index's name rebuilt from its parts; into buf (cut to
 * n). "" when there is none. Returns buf. */
const char *sol__run_method_words(sol_lang l, json_t *method, char *buf, size_t n);
/* A run's kind ("index", "spatial.lisa", ...) in words of language `l`; the code itself when it
 * has no words. */
const char *sol__run_kind_words(sol_lang l, const char *kind);

/* The names of an indicator in each language of the interface, added to `o` (NULL: nothing):
 * "labels" {en, fr, it} (never null: the fallback ends with the code), "label_origin" (lang, en,
 * default or code: which text each label is), "units" and "dimension_labels" (null when there is
 * none). For the catalog's lists and the API alike. */
struct sol_indicator;
void sol__run_indicator_names(json_t *o, const struct sol_indicator *i);
/* A level's name in each language: {en, fr, it}; a new reference. */
json_t *sol__run_level_names(const char *level);

/* A number for result JSON: real when finite, else null. A new reference. */
json_t *sol__run_num(double x);

/* The longest note sol__run_note_add keeps, NUL included. */
#define SOL__RUN_NOTE_MAX (SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 16)
/* Append a note for the user to (*notes)[0..*n), formatted into at most max - 1 bytes (longer
 * is cut): SOL_OK, or SOL_ENOMEM ("out of memory" in err when not NULL). */
sol_status sol__run_note_add(char ***notes, size_t *n, size_t max, sol_error *err, const char *fmt,
                             ...) __attribute__((format(printf, 5, 6)));
/* Free n notes and their array (NULL: nothing). */
void sol__run_notes_free(char **notes, size_t n);

#endif
