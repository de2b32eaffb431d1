/* solidata/alerts.h - one ranked list of emerging needs over every indicator x area series of
 * the store (trend, change and anomaly tests, false discovery rate control), recorded as a run
 * of kind "alerts" that the dashboard and GET /api/alerts read. */
#ifndef SOL_ALERTS_H
#define SOL_ALERTS_H

#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sol_alerts_opts {
    const char *since;      /* first period of the window as written ("2019", "2019-Q1");
                               NULL = the latest year in the store minus 5 */
    const char *indicators; /* comma-separated codes; NULL = every indicator with a polarity */
    double fdr;             /* false discovery rate; 0 = 0.1 */
} sol_alerts_opts;

/** Test every series of the chosen indicators (sol_ts_alert_tests), adjust all p-values at once
 *  (Benjamini-Hochberg), keep q <= fdr, judge each direction by the indicator's polarity
 *  (worsening = the need grows), rank by strength, write one sentence per alert in English,
 *  Italian and French, and record the run (kind "alerts"). Indicators without a polarity are
 *  left out (their direction cannot be judged). *result_json (malloc'd, caller frees with free())
 *  gets {"since","fdr","tests","alerts":[{rank,area,area_name,indicator,indicator_label,kind,
 *  direction,strength,since,p,q,sentence:{en,it,fr}}]}; *run_id (may be NULL) the run.
 *  Errors: SOL_EPARSE (since not a period), SOL_ENOTFOUND (an unknown indicator), SOL_EINVAL
 *  (fdr outside (0, 1]). Not thread-safe on one store. */
SOL_API sol_status sol_run_alerts(sol_store *st, const sol_alerts_opts *o, char **result_json,
                                  int64_t *run_id, sol_error *err);

/** The latest "alerts" run's result with "run" (its id) and "created" added, into *json
 *  (malloc'd); {"alerts":[],"note":...} when there is none. */
SOL_API sol_status sol_run_alerts_latest(sol_store *st, char **json, sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
