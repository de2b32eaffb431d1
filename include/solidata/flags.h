/* solidata/flags.h - the flags of an observation (estimated, imputed, suppressed, ...) and their
 * text forms, letters as statistical offices write them or words (src/core/flags.c).
 * Thread safety: pure functions, no allocation, thread-safe. */
#ifndef SOL_FLAGS_H
#define SOL_FLAGS_H

#include <solidata/status.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Observation flags (bit set). SOL_FLAG_SUPPRESSED marks a value withheld from the public by
 *  disclosure control: solidata/withhold.h says who may read it. */
enum {
    SOL_FLAG_ESTIMATED = 1,
    SOL_FLAG_IMPUTED = 2,
    SOL_FLAG_SUPPRESSED = 4,
    SOL_FLAG_PROVISIONAL = 8,
    SOL_FLAG_BREAK = 16,
    SOL_FLAG_LOW_RELIABILITY = 32
};

/** Flag bits from text: letters as Eurostat/SDMX write them (e estimated, p provisional,
 *  c confidential, b break, u low reliability, i imputed; s, a Eurostat estimate, reads as
 *  estimated) or words joined by '|' ("estimated|provisional"). *flags set only on success.
 *  SOL_EPARSE on an unknown flag. No allocation; thread-safe. */
SOL_API sol_status sol_flags_parse(const char *s, int *flags);
/** Flags as words joined by '|' into buf of n bytes ("" when none; a word that does not fit is
 *  left out with those after it). No allocation; thread-safe. */
SOL_API void sol_flags_format(int flags, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif
