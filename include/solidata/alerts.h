/* solidata/alerts.h - one ranked list of emerging needs over every indicator x area series of
 * the store (trend, change and anomaly tests, false discovery rate control), recorded as a run
 * of kind "alerts" that the dashboard and GET /api/alerts read.
 * Thread safety: one store handle per thread; the tests run in OpenMP loops whose results do not
 * depend on the thread count. */
#ifndef SOL_ALERTS_H
#define SOL_ALERTS_H

#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What to test. Strings are borrowed for the duration of the call. */
typedef struct sol_alerts_job {
    const char *since;      /* first period of the window as written ("2019", "2019-Q1");
                               NULL = the latest year in the store minus 5 */
    const char *indicators; /* comma-separated codes; NULL = every indicator with a polarity */
    double fdr;             /* false discovery rate, in (0, 1] */
} sol_alerts_job;

/** Defaults for `j`: the window from the latest year minus 5, every indicator, fdr 0.1. */
SOL_API void sol_run_alerts_job_init(sol_alerts_job *j);

/** One alert. Strings are owned by the output they belong to. */
typedef struct sol_alert {
    size_t rank;                  /* 1 = the strongest */
    const char *area, *area_name; /* area code and name */
    const char *indicator, *indicator_label;
    const char *kind;        /* "trend", "change" or "anomaly" */
    const char *direction;   /* "worsening" (the need grows) or "improving" */
    double strength, p, q;   /* q: Benjamini-Hochberg adjusted p */
    const char *since;       /* period as written */
    const char *sentence[3]; /* the alert in words: [0] en, [1] it, [2] fr */
} sol_alert;

/** The outcome. Everything is owned by the struct; free with sol_alerts_output_free. */
typedef struct sol_alerts_output {
    size_t n; /* alerts kept (q <= fdr), ranked by strength */
    sol_alert *alerts;
    size_t tests; /* tests run (p-values adjusted together) */
    double fdr;
    char since[16];    /* the window's first period */
    char *result_json; /* the recorded result: {"since","fdr","tests","alerts":[{rank,area,
                          area_name,indicator,indicator_label,kind,direction,strength,since,p,
                          q,sentence:{en,it,fr}}]} (compact) */
    int64_t run_id;    /* the run recorded */
    void *doc_;        /* private */
} sol_alerts_output;

/** Test every series of the chosen indicators (sol_ts_alert_tests), adjust all p-values at once
 *  (Benjamini-Hochberg), keep q <= fdr, judge each direction by the indicator's polarity
 *  (worsening = the need grows), rank by strength, write one sentence per alert in English,
 *  Italian and French, and record the run (kind "alerts"). Indicators without a polarity are
 *  left out (their direction cannot be judged). Errors: SOL_EPARSE (since not a period),
 *  SOL_ENOTFOUND (an unknown indicator), SOL_EINVAL (fdr outside (0, 1]), SOL_ESTORE,
 *  SOL_ENOMEM. *out set only on success. Not thread-safe on one store. */
SOL_API sol_status sol_run_alerts(sol_store *st, const sol_alerts_job *job, sol_alerts_output **out,
                                  sol_error *err);

/** Free an output. NULL is a no-op. */
SOL_API void sol_alerts_output_free(sol_alerts_output *o);

/** The latest "alerts" run's result with "run" (its id) and "created" added, into *json
 *  (malloc'd); {"alerts":[],"note":...} when there is none. */
SOL_API sol_status sol_run_alerts_latest(sol_store *st, char **json, sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
