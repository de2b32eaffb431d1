/* match_int.h - matching a data file's area column to the store's areas (src/run/ only): by code,
 * by a code that lost its leading zeros, by name (case, accents, apostrophes, hyphens, Saint/St
 * and leading articles aside), by the person's choices; ambiguous and unknown values listed. */
#ifndef SOL_MATCH_INT_H
#define SOL_MATCH_INT_H

#include <solidata/import.h>
#include <solidata/status.h>
#include <solidata/store.h>

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sol__matcher sol__matcher;

/* How a value of the file was matched (or not). */
typedef enum sol__match_how {
    SOL__MATCH_NONE = 0, /* no area of the store */
    SOL__MATCH_CODE,     /* the code itself */
    SOL__MATCH_RESTORED, /* the code with its leading zeros put back */
    SOL__MATCH_NAME,     /* the area's name */
    SOL__MATCH_CHOICE,   /* the person's choice (--matches) */
    SOL__MATCH_AMBIGUOUS /* several areas: the person must choose */
} sol__match_how;

/* What the matcher found, counted over the file's distinct values. */
typedef struct sol__match_counts {
    int64_t values, by_code, restored, by_name, by_choice, unmatched, ambiguous;
    int64_t unmatched_rows, ambiguous_rows;
} sol__match_counts;

/* Load the store's areas (codes, names, levels, parents). `mode` is a sol_match_mode.
 * *out set only on success; free with sol__match_free. */
sol_status sol__match_new(sol_store *st, int mode, sol__matcher **out, sol_error *err);
void sol__match_free(sol__matcher *m);

/* Read the person's choices: a CSV with columns name,code or name,parent,code, from the file
 * `path`, or from `text` (NUL-terminated) when not NULL (`path` then names it in messages). A
 * code not in the store is an error at its line. */
sol_status sol__match_choices(sol__matcher *m, const char *path, const char *text, sol_error *err);

/* Add one row's area value (and parent value, NULL when there is no parent column); the first
 * line and column of each distinct value are kept for the messages. SOL_ENOMEM. */
sol_status sol__match_add(sol__matcher *m, const char *v, size_t n, const char *p, size_t pn,
                          unsigned long line, unsigned long col);

/* Match every value added. SOL_ENOMEM. */
sol_status sol__match_resolve(sol__matcher *m, sol_error *err);

/* The area of a row: 1 and *id when matched, 0 when not (unknown or ambiguous). Uses the
 * matcher's scratch buffer: one thread at a time. */
int sol__match_get(sol__matcher *m, const char *v, size_t n, const char *p, size_t pn, int64_t *id);

/* The area of a value that needs none of the file's other values to be matched (the person's
 * choice, or the code itself): 1 and *id, the area sol__match_get gives it after
 * sol__match_resolve; 0 when matching it needs the whole column. Reads only. */
int sol__match_early(const sol__matcher *m, const char *v, size_t n, const char *p, size_t pn,
                     int64_t *id);

void sol__match_count(const sol__matcher *m, sol__match_counts *c);

/* The error an import stops with, of the kinds in `which` (SOL__CHECK_*): ambiguous values
 * first, then values matching nothing; SOL_OK when there is none. The message lists the values
 * (as many as fit), their candidates or the closest names, and how to resolve. */
enum { SOL__CHECK_AMBIGUOUS = 1, SOL__CHECK_UNKNOWN = 2 };
sol_status sol__match_check(const sol__matcher *m, const char *path, const char *area_field,
                            int which, sol_error *err);

/* "value (line N), ..." of the values matching nothing, as many as fit in `cap` bytes. */
void sol__match_unknown_list(const sol__matcher *m, char *out, size_t cap);

/* The preview's "areas" object (new reference), or NULL when out of memory. */
json_t *sol__match_json(const sol__matcher *m, const char *area_field);

/* The normalised form of a name into out (cap bytes, NUL-terminated): lower case, no accents,
 * apostrophes, hyphens and runs of blanks as one space, Saint/St -> st, Sainte/Ste -> ste; with
 * `bare`, a leading article (le, la, les, l', il, lo, i, gli) left out. Returns the length. */
size_t sol__match_normalise(const char *s, size_t n, int bare, char *out, size_t cap);

#endif
