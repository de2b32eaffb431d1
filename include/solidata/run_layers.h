/* solidata/run_layers.h - the recorded analyses people read: the latest composite index and the
 * latest LISA hot-spot run, turned from their stored results into per-area layers (score, rank
 * and rank interval, dimensions with how far each is from the mean; cluster and p). The
 * dashboard (GET /api/layers) and the printed report read them through this one function.
 * Thread safety: one store handle per thread; nothing is global. */
#ifndef SOL_RUN_LAYERS_H
#define SOL_RUN_LAYERS_H

#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The analysis layers as one JSON object {"index": ..., "hotspots": ...}, each null when the
 *  store has no usable run of that kind (runs whose result does not have the expected shape are
 *  passed over, so an older or hand-made run never breaks a page).
 *
 *  "index" (latest run of kind "index" with result rows): run, created_at, method (name and
 *  reference), normalisation, aggregation, replications, indicators [{code, label, unit,
 *  dimension, polarity}], dimensions [names], level (of the areas), periods [labels] and areas
 *  {period: {code: {name, score, rank, rank_lo, rank_hi, n, dims [{name, score, z}], strength,
 *  weakness}}}; z is the dimension score's distance from the mean of the areas of that period
 *  in sample standard deviations (as the index run's own profile sentence computes it).
 *
 *  "hotspots" (latest run of kind "spatial.lisa" with result areas): run, created_at, method,
 *  indicator, label, unit, polarity, period, level, weights, alpha, adjust, alternative,
 *  inference ("permutation" or "analytic"), p_field, permutations, counts {HH, LL, HL, LH, NS}
 *  and areas {code: {name, cluster, p}}. The indicator's values are not repeated here: readers
 *  take them from the observations (GET /api/observations, sol_run_values), the one path that
 *  the public disclosure rules govern.
 *
 *  A run that computed a public variant (its result's "public": the same analysis over the
 *  values the public may see) has that variant's layer under the layer's "public" (or
 *  {"computed": "no", "why"}); sol_withhold_layers serves it alone to the public.
 *
 *  Only area-level results of these two kinds are exposed: no run of another kind, no spec
 *  beyond the choices listed. *json (NUL-terminated) is freed with sol_free.
 *  Errors: SOL_ESTORE, SOL_ENOMEM. */
SOL_API sol_status sol_run_layers(sol_store *st, char **json, sol_error *err);
/** What of sol_run_layers' JSON may reach the public (anyone but analysts: the API, the
 *  report): the hot-spot areas whose mapped value (indicator, period) is withheld by disclosure
 *  control, and the index areas with a withheld value of any of the index's indicators in any
 *  period (an index may take each indicator from its own year), are removed; a layer that lost
 *  areas says how many in "withheld" and which in "withheld_areas" (codes), so readers
 *  can say "withheld" rather than "no data". Replaces *json (freed with sol_free).
 *  Errors: SOL_ESTORE, SOL_ENOMEM (*json then unchanged). */
SOL_API sol_status sol_run_layers_withhold(sol_store *st, char **json, sol_error *err);
/** The latest run of kind "time.forecast" whose result is about `indicator`, as one JSON object
 *  {"indicator", "run" (null when there is none), "created_at", "method", "horizon", "areas":
 *  {code: {"model": "ETS(A,N,N)", "direction": "flat" | "rising" | "falling" (see
 *  sol_forecast_direction), "forecast": [{period, mean, lo80, hi80, lo95, hi95}]}}}.
 *  Series or points without the expected shape are passed over. Freed with
 *  sol_free. Errors: SOL_ESTORE, SOL_ENOMEM. */
SOL_API sol_status sol_run_forecast_layer(sol_store *st, const char *indicator, char **json,
                                          sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
