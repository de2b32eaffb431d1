/* solidata/i18n.h - the language of every sentence a person reads: messages come from one
 * catalogue per language (GNU gettext .po files under po/, compiled by msgfmt at build time and
 * embedded in the library), looked up by their English text. English needs no catalogue.
 *
 * The language is chosen once per process (sol_lang_set_default: the CLI's --lang, else the
 * locale) and may be overridden per thread (sol_lang_set_thread: the server, per request).
 * Thread safety: every function here is thread-safe; the catalogues are read-only. */
#ifndef SOL_I18N_H
#define SOL_I18N_H

#include <solidata/status.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define SOL_FORMAT_ARG(i) __attribute__((format_arg(i)))
#else
#define SOL_FORMAT_ARG(i)
#endif

typedef enum sol_lang { SOL_LANG_EN = 0, SOL_LANG_FR = 1, SOL_LANG_IT = 2 } sol_lang;
#define SOL_LANG_COUNT 3

/** "en", "fr" or "it". Never NULL (an out-of-range value gives "en"). */
SOL_API const char *sol_lang_code(sol_lang l);
/** The languages as a person reads a list of them: "en, fr, it". */
SOL_API const char *sol_lang_list(void);
/** A language code as people and locales write it ("fr", "FR", "fr_FR.UTF-8", "it-IT",
 *  "en_GB@euro"): SOL_OK and *out, or SOL_EINVAL naming the code and the languages available. */
SOL_API sol_status sol_lang_parse(const char *code, sol_lang *out, sol_error *err);
/** The language the environment asks for: the first supported entry of $LANGUAGE (a colon list),
 *  else the first set of $LC_ALL, $LC_MESSAGES, $LANG ("C" and "POSIX" are English); English
 *  when none is set or supported. */
SOL_API sol_lang sol_lang_from_env(void);

/** The process's language (English until set). */
SOL_API void sol_lang_set_default(sol_lang l);
/** This thread's language; a negative value returns the thread to the process's language. */
SOL_API void sol_lang_set_thread(int l);
/** This thread's language, else the process's. */
SOL_API sol_lang sol_lang_current(void);

/** The translation of `msgid` in the current language, or `msgid` itself when there is none.
 *  The result is static (catalogue memory or the argument). NULL gives NULL. */
SOL_API const char *sol_gettext(const char *msgid) SOL_FORMAT_ARG(1);
/** The same in language `l`. */
SOL_API const char *sol_lgettext(sol_lang l, const char *msgid) SOL_FORMAT_ARG(2);
/** Singular or plural form for `n`, by the language's plural rule. */
SOL_API const char *sol_ngettext(const char *one, const char *many, unsigned long n)
    SOL_FORMAT_ARG(1) SOL_FORMAT_ARG(2);
SOL_API const char *sol_lngettext(sol_lang l, const char *one, const char *many, unsigned long n)
    SOL_FORMAT_ARG(2) SOL_FORMAT_ARG(3);
/** A message with a context (msgctxt), for a short word whose translation depends on where it
 *  stands ("Map" as a tab and as a verb). */
SOL_API const char *sol_pgettext(const char *ctx, const char *msgid) SOL_FORMAT_ARG(2);
SOL_API const char *sol_lpgettext(sol_lang l, const char *ctx, const char *msgid)
    SOL_FORMAT_ARG(3);

/* ---- numbers, dates and lists as people of a language write them ---------------------------
 * For sentences, tables, legends and PDFs a person reads; machine outputs (--json, the default
 * CSV) stay locale-independent (%.17g). Each returns SOL_OK, or SOL_ELIMIT when `n` is too
 * small (buf then holds a cut, NUL-terminated prefix); buf is always NUL-terminated when n > 0. */

/** `x` with `decimals` decimals (0..17): "1 234,5" in French (U+202F between groups), "1.234,5"
 *  in Italian, "1,234.5" in English; a true minus sign (U+2212); NaN is the language's "no data".
 *  `group` 0 leaves out the thousands separators (years, codes). */
SOL_API sol_status sol_lang_number(sol_lang l, double x, int decimals, int group, char *buf,
                                   size_t n);
/** A percentage, `pct` already in percent: "27,9 %" (French, U+202F before %), "27,9%"
 *  (Italian), "27.9%" (English). */
SOL_API sol_status sol_lang_percent(sol_lang l, double pct, int decimals, char *buf, size_t n);
/** A date: "6 décembre 2026", "6 dicembre 2026", "6 December 2026" (day 1 in French:
 *  "1er décembre"). month 1..12; SOL_EINVAL outside. */
SOL_API sol_status sol_lang_date(sol_lang l, int year, int month, int day, char *buf, size_t n);
/** The decimal mark of the language: ',' (French, Italian) or '.'. */
SOL_API char sol_lang_decimal_mark(sol_lang l);

#ifdef __cplusplus
}
#endif
#endif
