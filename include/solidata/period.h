/* solidata/period.h - periods as people write them ("2023", "2023-Q2", "2023-05"), normalised to
 * a frequency letter and an integer index. Pure text handling (src/core/period.c): ingest, time,
 * store and run all reach it without going through one another.
 * Thread safety: pure functions, no allocation, thread-safe. */
#ifndef SOL_PERIOD_H
#define SOL_PERIOD_H

#include <solidata/status.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Parse a period as people write it: "2023" (A), "2023-S1" (S), "2023-Q2"/"2023Q2" (Q),
 *  "2023-05"/"2023M05"/"2023-M05" (M). Writes the normalised label ("2023", "2023-S1",
 *  "2023-Q2", "2023-05") into `label` (>= 16 bytes), the frequency letter and an integer index
 *  (year, year*2+s-1, year*4+q-1, year*12+m-1). SOL_EPARSE when not a period (outputs then
 *  unspecified). Surrounding blanks are ignored. No allocation; thread-safe. */
SOL_API sol_status sol_period_parse(const char *s, size_t len, char label[16], char *freq,
                                    int64_t *index);

#ifdef __cplusplus
}
#endif
#endif
