/* words.c - a forecast in words: its direction (flat, rising, falling) from the path, its 80%
 * interval and the model, and the sentence that says it in a language. */
#include <solidata/forecast.h>

#include "core/core.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The trend letter of a model named "ETS(A,Ad,N)" or coded "AAdN"; 0 when it cannot be read. */
static char trend_of(const char *model)
{
    if (model == NULL)
        return 0;
    if (strncmp(model, "ETS(", 4) == 0) {
        const char *c = strchr(model, ',');
        return c ? c[1] : 0;
    }
    return strlen(model) >= 3 ? model[1] : 0;
}

sol_forecast_dir sol_forecast_direction(double last, const double *mean, const double *lo80,
                                        const double *hi80, size_t h, const char *model)
{
    if (h == 0 || mean == NULL || trend_of(model) == 'N')
        return SOL_FORECAST_FLAT;
    double end = mean[h - 1], change = end - last;
    if (!isfinite(last) || !isfinite(end))
        return SOL_FORECAST_FLAT;
    double tol = 1e-9 * fmax(fabs(last), fabs(end));
    if (lo80 != NULL && hi80 != NULL && isfinite(hi80[h - 1] - lo80[h - 1]))
        tol = fmax(tol, 0.1 * (hi80[h - 1] - lo80[h - 1]) / 2);
    if (fabs(change) <= tol)
        return SOL_FORECAST_FLAT;
    return change > 0 ? SOL_FORECAST_RISING : SOL_FORECAST_FALLING;
}

static const char *const DIR_NAME[] = {"flat", "rising", "falling"};

const char *sol_forecast_direction_name(sol_forecast_dir d)
{
    return (unsigned)d < 3 ? DIR_NAME[d] : DIR_NAME[0];
}

sol_status sol_forecast_direction_parse(const char *name, sol_forecast_dir *out)
{
    for (int i = 0; name != NULL && i < 3; i++)
        if (strcmp(name, DIR_NAME[i]) == 0) {
            *out = (sol_forecast_dir)i;
            return SOL_OK;
        }
    return SOL_EINVAL;
}

sol_status sol_forecast_sentence(sol_lang l, sol_forecast_dir d, const char *area,
                                 const char *indicator, const char *period, double mean,
                                 double lo80, double hi80, int decimals, char *buf, size_t n)
{
    if (buf == NULL || n == 0)
        return SOL_ELIMIT;
    buf[0] = '\0';
    if (area == NULL || indicator == NULL || period == NULL)
        return SOL_EINVAL;
    if (decimals < 0) {
        double a = fabs(mean);
        decimals = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 2 : 3;
    }
    char m[64], lo[64], hi[64];
    sol_lang_number(l, mean, decimals, 1, m, sizeof m);
    sol_lang_number(l, lo80, decimals, 1, lo, sizeof lo);
    sol_lang_number(l, hi80, decimals, 1, hi, sizeof hi);
    const char *fmt;
    switch (d) {
    case SOL_FORECAST_RISING:
        /* TRANSLATORS: area, indicator, the forecast figure, the last forecast period, then
           the 80% interval's bounds */
        fmt = sol_lgettext(l, "%s: %s is expected to continue to rise, to about %s in %s "
                              "(80%% interval: %s to %s).");
        break;
    case SOL_FORECAST_FALLING:
        fmt = sol_lgettext(l, "%s: %s is expected to continue to fall, to about %s in %s "
                              "(80%% interval: %s to %s).");
        break;
    default:
        fmt = sol_lgettext(l, "%s: %s is expected to stay about %s until %s "
                              "(80%% interval: %s to %s).");
    }
    int w = snprintf(buf, n, fmt, area, indicator, m, period, lo, hi);
    return w >= 0 && (size_t)w < n ? SOL_OK : SOL_ELIMIT;
}
