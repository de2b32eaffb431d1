/* solidata/run_time.h - one analysis of every series (trend, change points, ETS forecast,
 * anomalies) of a long CSV or of one indicator over the areas of the store: read the series,
 * run the method on each (in parallel), collect what the user should be told, build the result
 * JSON and, from the store, record the run with its method card. The CLI and the server both
 * call this.
 * Thread safety: reentrant; one store handle per thread; series run in OpenMP loops. */
#ifndef SOL_RUN_TIME_H
#define SOL_RUN_TIME_H

#include <solidata/status.h>
#include <solidata/store.h>
#include <solidata/timeseries.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Every area's series of `indicator` in the store (id = area code), with the indicator's label
 *  and polarity in the set. SOL_ENOTFOUND for an unknown indicator or one without observations;
 *  SOL_EINVAL when its periods mix frequencies; SOL_ESTORE, SOL_ENOMEM. *out set only on
 *  success; free with sol_ts_set_free. Not thread-safe on one store. */
SOL_API sol_status sol_run_series_from_store(sol_store *st, const char *indicator, sol_ts_set **out,
                                             sol_error *err);

typedef enum sol_series_analysis {
    SOL_SERIES_TREND = 0,    /* sol_ts_trend; run kind "time.trend" */
    SOL_SERIES_CHANGEPOINTS, /* sol_ts_changepoints; run kind "time.changepoints" */
    SOL_SERIES_FORECAST,     /* sol_ts_ets_batch; run kind "time.forecast" */
    SOL_SERIES_ANOMALIES     /* sol_ts_anomalies; not recorded */
} sol_series_analysis;

/** Called between rounds of a long analysis: `done` of `total` series. */
typedef void (*sol_series_progress_fn)(void *ud, size_t done, size_t total);

/** What to compute and from what. Strings are borrowed for the duration of the call.
 *  Store mode (sol_run_series with a store and `indicator`): the indicator over every area.
 *  File mode: `data`, a long CSV with `period_field` and `value_field`, and `id_field` when it
 *  holds several series. */
typedef struct sol_series_job {
    sol_series_analysis analysis;
    const char *indicator;                                    /* store mode */
    const char *data, *id_field, *period_field, *value_field; /* file mode */
    sol_trend_opts trend;                                     /* TREND */
    sol_cpt_opts cpt;                                         /* CHANGEPOINTS */
    const char *model;        /* FORECAST: "auto" (lowest AICc) or a code ("AAdN") */
    size_t horizon;           /* FORECAST: periods ahead, 1..SOL_MAX_TS_HORIZON */
    int frequency;            /* FORECAST: periods a year the data must have (1, 2, 4, 12); 0 any */
    int json;                 /* FORECAST: also describe every fit in output->json */
    sol_anomaly_opts anomaly; /* ANOMALIES */
    int record;               /* store mode: record a run (default 1; never for ANOMALIES) */
    sol_series_progress_fn progress; /* may be NULL */
    void *progress_ud;
} sol_series_job;

/** Defaults for `j`: record; TREND conf 0.95; CHANGEPOINTS Pettitt, mean, MBIC; FORECAST model
 *  "auto", any frequency; ANOMALIES classical additive, threshold 3.5, STL periodic. */
SOL_API void sol_run_series_job_init(sol_series_job *j, sol_series_analysis a);

/** The outcome. Everything is owned by the struct; free with sol_series_output_free. The result
 *  of series i (set->series[i]) is in trend[i], cpt[i], ets[i] or anomaly[i] (by analysis) when
 *  status[i] is SOL_OK; else the series was skipped (store mode) and a note says why. */
typedef struct sol_series_output {
    sol_series_analysis analysis;
    sol_ts_set *set;
    sol_status *status;
    sol_trend *trend;
    sol_cpt_result *cpt;
    sol_ets_result *ets;
    sol_anomaly *anomaly;
    size_t n_skipped;
    char **notes; /* n_notes warnings for the user, in series order (gaps, skipped series) */
    size_t n_notes;
    char *json;       /* FORECAST with job->json: {"frequency","horizon","model","series":[{id,
                         model,n,first_period,last_period,alpha,beta,gamma,phi,initial_states,
                         sigma2,loglik,aic,aicc,bic,forecast}]}, indented by one space */
    int frequency;    /* periods a year of the series */
    const char *kind; /* the run kind ("time.trend", ...), static */
    int64_t run_id;   /* > 0 when a run was recorded */
} sol_series_output;

/** Run `job`. With `st` and job->indicator: store mode, where a series the method cannot take
 *  (too short, a gap the method refuses) is skipped with a note, and the run is recorded
 *  unless job->record is 0. Without: file mode, where such a series is an error. Errors:
 *  SOL_EINVAL (bad job, a series the method refuses in file mode, --frequency contradicting the
 *  periods), SOL_EPARSE, SOL_ETYPE, SOL_EDUPLICATE, SOL_ELIMIT (the file), SOL_ENOTFOUND
 *  (indicator), SOL_ENUMERIC, SOL_EIO, SOL_ESTORE, SOL_ENOMEM. *out set only on success.
 *  Thread-safe for distinct stores (it runs OpenMP loops itself). */
SOL_API sol_status sol_run_series(sol_store *st, const sol_series_job *job, sol_series_output **out,
                                  sol_error *err);

/** Free an output. NULL is a no-op. */
SOL_API void sol_series_output_free(sol_series_output *o);

#ifdef __cplusplus
}
#endif
#endif
