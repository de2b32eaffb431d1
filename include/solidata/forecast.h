/* solidata/forecast.h - a forecast in words: whether its path stays about where the series is,
 * rises or falls (decided from the path, its 80% interval and the model, never from wording),
 * and the sentence that says so in a language. The report, the server and the dashboard use the
 * same classification, so that a sentence never says "continues to rise" of a flat forecast.
 * Thread safety: every function here is thread-safe (no state; catalogues are read-only). */
#ifndef SOL_FORECAST_H
#define SOL_FORECAST_H

#include <solidata/i18n.h>
#include <solidata/status.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Where a forecast goes from the last observed value. */
typedef enum sol_forecast_dir {
    SOL_FORECAST_FLAT = 0,   /* stays about the same */
    SOL_FORECAST_RISING = 1, /* continues to rise */
    SOL_FORECAST_FALLING = 2 /* continues to fall */
} sol_forecast_dir;

/** The direction of a forecast of `h` periods (mean, lo80, hi80: h values each) after the last
 *  observed value `last`. Flat when the model has no trend component (`model` as R names it,
 *  "ETS(A,N,N)", or its code "ANN"; NULL = judged from the numbers alone), when `last` or the
 *  last mean is not finite, or when the last mean differs from `last` by less than a tenth of
 *  the half-width of its 80% interval (the move is small beside what is unknown); else rising
 *  or falling by the sign of the difference. `lo80`/`hi80` may be NULL (then any difference
 *  larger than 1e-9 of the values counts). h = 0 gives flat. */
SOL_API sol_forecast_dir sol_forecast_direction(double last, const double *mean, const double *lo80,
                                                const double *hi80, size_t h, const char *model);

/** "flat", "rising" or "falling": the word machine outputs (JSON) carry. Static string. */
SOL_API const char *sol_forecast_direction_name(sol_forecast_dir d);

/** "flat", "rising", "falling" -> direction: SOL_OK, or SOL_EINVAL for another word. */
SOL_API sol_status sol_forecast_direction_parse(const char *name, sol_forecast_dir *out);

/** The forecast in one sentence of language `l`, numbers as the language writes them:
 *  flat "Lazio: Unemployment rate is expected to stay about 7.5 until 2027 (80% interval: 6.9
 *  to 8.1).", rising "... is expected to continue to rise, to about 8.4 in 2027 (...)", falling
 *  "... to continue to fall, to about ...". `area` and `indicator` as people read them (names,
 *  not codes, when there are); `period` the last forecast period; mean, lo80, hi80 that
 *  period's figures; `decimals` < 0 chooses them by size (0 from 1000, 1 from 100, 2 from 1,
 *  else 3). Writes into buf (n bytes, always NUL-terminated when n > 0): SOL_OK, SOL_EINVAL (a
 *  NULL string), SOL_ELIMIT (buf too small: a cut prefix). */
SOL_API sol_status sol_forecast_sentence(sol_lang l, sol_forecast_dir d, const char *area,
                                         const char *indicator, const char *period, double mean,
                                         double lo80, double hi80, int decimals, char *buf,
                                         size_t n);

#ifdef __cplusplus
}
#endif
#endif
