/* solidata/timeseries.h - time series per area x indicator (from a long CSV or in memory), trend
 * tests (Mann-Kendall, Sen, seasonal Kendall), change points (Pettitt, AMOC, PELT) and
 * exponential-smoothing forecasts (ETS). Methods are pure: they read in-memory series.
 * Thread safety: methods are pure and reentrant; a builder belongs to one thread. */
#ifndef SOL_TIMESERIES_H
#define SOL_TIMESERIES_H

#include <solidata/status.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- series -------------------------------------------------------------------------------- */
/** One series: consecutive periods of one frequency from the first to the last observed one;
 *  periods without a value (gaps) hold NaN. All memory is owned by the set it belongs to. */
typedef struct sol_ts {
    char *id;         /* series id (area code, or the --id-field value; "" for a lone series) */
    char freq;        /* 'A' annual, 'S' half-year, 'Q' quarterly, 'M' monthly */
    int64_t start;    /* period index of y[0] (see sol_period_parse) */
    size_t n;         /* periods from the first to the last observed one, gaps included */
    double *y;        /* n values, NaN at gaps */
    size_t n_missing; /* number of gaps */
} sol_ts;

/** A set of series of one frequency, ordered by id. */
typedef struct sol_ts_set {
    size_t n;
    sol_ts *series;
    char freq;
    int polarity; /* store mode: the indicator's polarity (+1 better, -1 worse, 0); else 0 */
    char *label;  /* store mode: the indicator's label (may be NULL) */
} sol_ts_set;

/** Read series from a long CSV: one row per (id, period) with columns `period_field` and
 *  `value_field`, and `id_field` when not NULL (else the file is one series). Missing-value
 *  markers ("", NA, ..) are gaps. Errors, each with file:line:col: SOL_EPARSE (not a period,
 *  missing column), SOL_ETYPE (not a number), SOL_EDUPLICATE (a period twice in one series),
 *  SOL_EINVAL (mixed frequencies), SOL_ELIMIT (more than SOL_MAX_TS_LENGTH periods in a series
 *  or SOL_MAX_TS_SERIES series). *out set only on success; free with sol_ts_set_free. */
SOL_API sol_status sol_ts_read_csv(const char *path, const char *id_field, const char *period_field,
                                   const char *value_field, sol_ts_set **out, sol_error *err);
/** The same over a caller-owned buffer (fuzzing, tests); `name` is used in messages. */
SOL_API sol_status sol_ts_read_csv_mem(const char *data, size_t len, const char *name,
                                       const char *id_field, const char *period_field,
                                       const char *value_field, sol_ts_set **out, sol_error *err);
/** Series from observations held in memory (the run layer feeds it those of the store, see
 *  sol_run_series_from_store): sol_ts_builder_new, then sol_ts_builder_add for each observation
 *  in any order, then sol_ts_builder_finish, then sol_ts_builder_free. `id` is the series id,
 *  `period` as written ("2023", "2023-Q2"), `value` NaN for a gap; `where` names the input in
 *  messages. add: SOL_EPARSE (not a period), SOL_EINVAL (a second frequency), SOL_ELIMIT,
 *  SOL_ENOMEM. finish: SOL_ENOTFOUND (no observation), SOL_EDUPLICATE (a period twice in one
 *  series), SOL_ELIMIT (a series over SOL_MAX_TS_LENGTH periods), SOL_ENOMEM; *out (ordered by
 *  id) set only on success, free with sol_ts_set_free. sol_ts_builder_free(NULL) is a no-op.
 *  One builder per thread. */
typedef struct sol_ts_builder sol_ts_builder;
SOL_API sol_status sol_ts_builder_new(sol_ts_builder **out, sol_error *err);
SOL_API sol_status sol_ts_builder_add(sol_ts_builder *b, const char *id, const char *period,
                                      double value, const char *where, sol_error *err);
SOL_API sol_status sol_ts_builder_finish(sol_ts_builder *b, const char *where, sol_ts_set **out,
                                         sol_error *err);
SOL_API void sol_ts_builder_free(sol_ts_builder *b);
SOL_API void sol_ts_set_free(sol_ts_set *s);

/** Periods per year of a frequency letter: A 1, S 2, Q 4, M 12; 0 when unknown. */
SOL_API int sol_ts_frequency(char freq);
/** Label of period `index` of frequency `freq` ("2023", "2023-S1", "2023-Q2", "2023-05") into
 *  label (>= 16 bytes). */
SOL_API void sol_ts_period_label(char freq, int64_t index, char label[16]);

/* ---- trend --------------------------------------------------------------------------------- */
typedef struct sol_trend_opts {
    int seasonal;  /* 1: seasonal Kendall test (Hirsch-Slack) over the seasons of the year */
    int hamed_rao; /* 1: variance of S corrected for autocorrelation (Hamed and Rao 1998) */
    double conf;   /* confidence level of Sen's interval; 0 = 0.95 */
} sol_trend_opts;

typedef struct sol_trend {
    size_t n;        /* observed values used */
    double s, var_s; /* Mann-Kendall S and its variance (tie-corrected; Hamed-Rao when asked) */
    double z, p;     /* continuity-corrected z and its two-sided p-value */
    double tau;      /* Kendall's tau-b (seasonal: sum S / sum of the per-season denominators) */
    double sen, sen_lo, sen_hi; /* Sen's slope per period (seasonal: per year) and its interval;
                                   NaN when the interval's ranks fall outside the slopes */
    double ess_ratio;           /* Hamed-Rao n/n* (1 when not corrected) */
} sol_trend;

/** Mann-Kendall test with tie correction, Kendall's tau-b and Sen's slope with Gilbert's
 *  confidence interval, as R's trend::mk.test and trend::sens.slope (seasonal: trend::smk.test
 *  and trend::sea.sens.slope; Hamed-Rao: modifiedmk::mmkh). Gaps are left out (Sen's slopes use
 *  the true distance between periods). SOL_EINVAL with fewer than 3 values (seasonal: with a
 *  frequency below 2 or no season holding 2 values, Hamed-Rao: with gaps). Thread-safe. */
SOL_API sol_status sol_ts_trend(const sol_ts *ts, const sol_trend_opts *o, sol_trend *out,
                                sol_error *err);

/* ---- change points ------------------------------------------------------------------------- */
typedef enum sol_cpt_method { SOL_CPT_PETTITT, SOL_CPT_AMOC, SOL_CPT_PELT } sol_cpt_method;
typedef enum sol_cpt_type { SOL_CPT_MEAN, SOL_CPT_VAR, SOL_CPT_MEANVAR } sol_cpt_type;
typedef enum sol_cpt_penalty { SOL_CPT_MBIC, SOL_CPT_BIC } sol_cpt_penalty;

typedef struct sol_cpt_opts {
    sol_cpt_method method;
    sol_cpt_type type;       /* AMOC and PELT: what changes (normal likelihood) */
    sol_cpt_penalty penalty; /* AMOC and PELT */
} sol_cpt_opts;

/** One change: the last observation before it (1-based position among the observed values)
 *  and the statistic: Pettitt's U* (with its p), AMOC's likelihood-ratio statistic (null cost
 *  minus cost with the change, compared with the penalty), PELT's cost saved by this change
 *  (the two segments around it against their union). p is NaN but for Pettitt. */
typedef struct sol_cpt {
    size_t tau;
    double statistic, p;
} sol_cpt;

typedef struct sol_cpt_result {
    size_t n;       /* observed values used */
    size_t ncpt;    /* changes found (Pettitt: always 1, the most probable point) */
    sol_cpt *cpt;   /* ncpt changes in time order; owned; free with sol_cpt_result_clear */
    double penalty; /* AMOC/PELT: the penalty used */
} sol_cpt_result;

/** Change points of the observed values of `ts` (gaps left out): Pettitt as trend::pettitt.test;
 *  AMOC and PELT as changepoint::cpt.mean / cpt.var / cpt.meanvar with test.stat "Normal" and
 *  their default minimum segment lengths (1, 2, 2), penalty "BIC" or "MBIC". Like changepoint,
 *  the mean cost is the residual sum of squares (unit variance assumed: scale data first if it
 *  is not). SOL_EINVAL with too few values (Pettitt 3, mean 2, var and meanvar 4). */
SOL_API sol_status sol_ts_changepoints(const sol_ts *ts, const sol_cpt_opts *o, sol_cpt_result *out,
                                       sol_error *err);
SOL_API void sol_cpt_result_clear(sol_cpt_result *r);
/** The periods around a change: the label of the tau-th (1-based) observed period of `ts`
 *  (`before`) and of the next observed one (`after`), each >= 16 bytes. Thread-safe. */
SOL_API void sol_ts_change_periods(const sol_ts *ts, size_t tau, char before[16], char after[16]);

/* ---- forecasts (ETS) ----------------------------------------------------------------------- */
/** Most seasons per year an ETS model takes (as R's forecast::ets). */
#define SOL_ETS_MAX_SEASON 24

/** An ETS model: error 'A'/'M', trend 'N'/'A', season 'N'/'A'/'M', damped trend 0/1. */
typedef struct sol_ets_model {
    char error, trend, season;
    int damped;
} sol_ets_model;

/** Parse "ANN", "AAdN", "MAdM", ... (the 15 models without multiplicative trend): SOL_OK, or
 *  SOL_EINVAL when `code` is not one of them. Thread-safe. */
SOL_API sol_status sol_ets_model_parse(const char *code, sol_ets_model *out);
/** Name of a model as R prints it, "ETS(M,Ad,M)", into name (>= 16 bytes). */
SOL_API void sol_ets_model_name(const sol_ets_model *m, char name[16]);

typedef struct sol_ets_opts {
    const sol_ets_model *model; /* NULL: automatic choice by AICc over the admissible set */
    size_t horizon;             /* periods to forecast, 1..SOL_MAX_TS_HORIZON */
} sol_ets_opts;

/* Why models were left out of the automatic choice (bits of sol_ets_result.left_out). */
#define SOL_ETS_LEFT_MULT     1u /* multiplicative error: the series has values <= 0 */
#define SOL_ETS_LEFT_SEASON   2u /* seasonal: annual data, or no more values than seasons */
#define SOL_ETS_LEFT_TOO_MANY 4u /* some models have too many parameters for the series */

typedef struct sol_ets_result {
    sol_ets_model model;            /* the model fitted (chosen, or the one asked for) */
    char name[16];                  /* "ETS(M,Ad,M)" */
    size_t m;                       /* seasonal period used (1 without season) */
    size_t n;                       /* values used (see sol_ts_ets for gaps) */
    size_t first;                   /* index in the series of the first value used */
    size_t interpolated;            /* gaps filled by linear interpolation (annual series) */
    double alpha, beta, gamma, phi; /* smoothing parameters; NaN when not in the model */
    size_t nstate;                  /* initial states: l, then b, then s1..sm (s1 the latest) */
    double init[2 + SOL_ETS_MAX_SEASON];
    double sigma2; /* residual variance (relative residuals for multiplicative error) */
    double loglik, aic, aicc, bic; /* as forecast::ets (loglik without its constant terms) */
    size_t npar;                   /* parameters counted by the criteria (with sigma2) */
    size_t tried, fitted;          /* models tried in the automatic choice, and fitted */
    unsigned left_out;             /* SOL_ETS_LEFT_* */
    size_t h;                      /* forecast horizon */
    double *mean, *lo80, *hi80, *lo95, *hi95; /* h values each, one owned block */
} sol_ets_result;

/** Exponential smoothing in state-space form as R's forecast::ets (Hyndman et al. 2008) with
 *  bounds "both", maximum likelihood by Nelder-Mead (as R's optim: reltol sqrt(eps), maxit
 *  2000), initial states by ets()'s heuristic; with no model asked for, every admissible model
 *  without multiplicative trend (and without multiplicative error when a value is <= 0, without
 *  season for annual data) is fitted and the lowest AICc kept. Forecast means with 80% and 95%
 *  intervals as forecast.ets (analytic for every model allowed here). The season length is the
 *  series' frequency (A 1, S 2, Q 4, M 12). Gaps: in an annual series they are filled by
 *  linear interpolation, as ets(y, na.action = "na.interp") does; in a seasonal series the
 *  values after the last gap are used. Errors:
 *  SOL_EINVAL (too few values for the model - ets() asks more than parameters + 4 - a constant
 *  series, values <= 0 with a multiplicative model, horizon out of range), SOL_ENUMERIC (no
 *  model could be fitted), SOL_ENOMEM. Thread-safe; *out is cleared first and owned by the
 *  caller (sol_ets_result_clear). */
SOL_API sol_status sol_ts_ets(const sol_ts *ts, const sol_ets_opts *o, sol_ets_result *out,
                              sol_error *err);
/** sol_ts_ets over count series at once (ts[0..count)): out[i], st[i] and errs[i] as
 *  sol_ts_ets would give them for ts[i], bit for bit. Series of the same length are fitted
 *  several at a time in one vectorised pass over their values, which is why the batch is
 *  faster; the result of a series does not depend on the others. Thread-safe. */
SOL_API void sol_ts_ets_batch(const sol_ts *ts, size_t count, const sol_ets_opts *o,
                              sol_ets_result *out, sol_status *st, sol_error *errs);
SOL_API void sol_ets_result_clear(sol_ets_result *r);

/* ---- anomalies: decomposition and robust z-scores of the remainder ------------------------- */
typedef struct sol_anomaly_opts {
    int multiplicative; /* seasonal series: 1 multiplicative decomposition, 0 additive */
    double threshold;   /* |z| at or above which a period is an anomaly; 0 = 3.5 */
    int stl;            /* seasonal series: 1 STL (sol_ts_stl, additive) instead of classical */
    int s_window;       /* STL seasonal span; 0 = "periodic" */
    int robust;         /* STL robustness iterations */
} sol_anomaly_opts;

/** A decomposition y = trend + seasonal + remainder (multiplicative: y = trend * seasonal *
 *  remainder) with robust z-scores of the remainder. Arrays of n values, NaN where undefined
 *  (the ends of a moving average). Owned; free with sol_anomaly_clear. */
typedef struct sol_anomaly {
    size_t n;
    double *trend, *seasonal, *remainder, *z;
    int *anomaly;       /* 1 where |z| >= threshold */
    double center;      /* median of the remainder */
    double scale;       /* 1.4826 MAD of the remainder (1.2533 mean absolute deviation when the
                           MAD is 0; 0 when both are 0, then every z is 0) */
    int seasonal_model; /* 1: classical decomposition; 2: STL; 0: Theil-Sen line (annual) */
} sol_anomaly;

/** Decompose `ts` and score its remainder: z = (r - median r) / scale. Seasonal series (2 or
 *  more periods a year): classical decomposition as R's stats::decompose (centred moving
 *  average of one year, seasonal figure as the mean detrended value of each position, centred);
 *  it needs two full years and no gap (SOL_EINVAL: the moving average is undefined across
 *  one). Annual series: trend = the Theil-Sen line (slope the median of pairwise slopes,
 *  intercept the median of y - slope t), seasonal 0, remainder y - trend (NaN at gaps); it
 *  needs 3 values.
 *  Multiplicative: remainder y / (trend seasonal), z on remainder - 1. Thread-safe. */
SOL_API sol_status sol_ts_anomalies(const sol_ts *ts, const sol_anomaly_opts *o, sol_anomaly *out,
                                    sol_error *err);
SOL_API void sol_anomaly_clear(sol_anomaly *a);

/** Benjamini-Hochberg adjusted p-values (R's p.adjust(p, "BH")) of p[0..n) into q[0..n); NaN
 *  p-values are left out of n and give NaN. SOL_ENOMEM, else SOL_OK. */
SOL_API sol_status sol_p_adjust_bh(const double *p, size_t n, double *q);

/* ---- alert tests: is a need emerging in one series? ------------------------------------------ */
typedef enum sol_alert_kind { SOL_ALERT_TREND, SOL_ALERT_CHANGE, SOL_ALERT_ANOMALY } sol_alert_kind;

/** One test of one series. `ran` 0 when it could not run (too few values, a gap for the
 *  anomaly, a change before the window): then the other fields are unset. */
typedef struct sol_alert_test {
    int ran;
    double p;        /* two-sided p-value */
    double strength; /* trend: |Sen slope| x (window periods - 1) / noise; change: |mean after -
                        mean before| / noise; anomaly: |robust z| */
    int rising;      /* +1 the values rise (trend, change) or are high (anomaly), -1 otherwise */
    int64_t since;   /* period index: window start (trend), first period after the change,
                        the anomalous period */
    double a, b;     /* trend: Sen slope per year, 0; change: mean before, mean after;
                        anomaly: the value, its expected value (trend + seasonal) */
} sol_alert_test;

/** The three tests of an emerging need over `ts`: Mann-Kendall over the window (periods from
 *  `since` on; 4 observed values at least), Pettitt's change over the whole series, kept when
 *  the first period after it is in the window (6 values at least), and the robust z of the
 *  latest period with a defined remainder (sol_ts_anomalies; no gaps), kept when it is in the
 *  window, with p = 2 Q(|z|) under Student's t with k - 2 degrees of freedom (k remainders;
 *  the scale is estimated from few values). `noise` = 1.4826 MAD of the first differences / sqrt 2
 * (a scale that trends do not inflate; their standard deviation / sqrt 2 when the MAD is 0; at
 * least 0.001 of the largest |value|, 1 when all are 0). out[SOL_ALERT_TREND],
 * out[SOL_ALERT_CHANGE], out[SOL_ALERT_ANOMALY]. Thread-safe. */
SOL_API void sol_ts_alert_tests(const sol_ts *ts, int64_t since, sol_alert_test out[3]);

/* ---- STL ---------------------------------------------------------------------------------- */
typedef struct sol_stl_opts {
    int s_window; /* seasonal span (odd, >= 7 advised); 0 = "periodic" */
    int robust;   /* 1: 15 robustness iterations (inner 1), as stl(robust = TRUE) */
} sol_stl_opts;

/** Seasonal-trend decomposition by loess (Cleveland et al. 1990) as R's stats::stl with its
 *  defaults (s.degree 0, t.window nextodd(ceiling(1.5 f / (1 - 1.5 / s.window))), l.window
 *  nextodd(f), degrees 1, jumps ceiling(span / 10)); periodic: s.window 10 n + 1 and the seasonal
 *  figure averaged by position in the cycle. Writes n values into each output (caller-owned).
 *  SOL_EINVAL: gaps, annual data, or not more than two years. Thread-safe. */
SOL_API sol_status sol_ts_stl(const sol_ts *ts, const sol_stl_opts *o, double *seasonal,
                              double *trend, double *remainder, sol_error *err);

/* ---- short annual series: random walk with drift ------------------------------------------- */
/** Fewest observed values any forecast takes, and the most an annual series may have for the
 *  short-series model to replace the automatic ETS choice (which needs 7). */
#define SOL_TS_SHORT_MIN 4
#define SOL_TS_SHORT_MAX 6
/** The short-series model's name as results carry it (sol_ets_result.name). */
#define SOL_TS_RWDRIFT_NAME "RW(drift)"

/** A random walk with drift (R's forecast::rwf(y, drift = TRUE), the ARIMA(0,1,0) with a
 *  constant): the drift b is the mean of the T - 1 differences, sigma their standard deviation
 *  (T - 2 degrees of freedom), the forecast h periods after the last value y_T is y_T + h b, and
 *  its standard error sigma sqrt(h (1 + h / (T - 1))) includes the drift's own uncertainty, as
 *  rwf's. The 80% and 95% intervals use Student's t with T - 2 degrees of freedom instead of
 *  rwf's normal quantiles: with so few values sigma itself is uncertain, and the normal would
 *  make the intervals narrower than what is known (docs/timeseries.md). Gaps between observed
 *  values are filled by linear interpolation first (out->interpolated counts them). The result
 *  is written as an ETS result so that outputs share one shape: name SOL_TS_RWDRIFT_NAME,
 *  model zeroed, alpha, beta, gamma, phi and the criteria NaN, nstate 2 with init[0] the last
 *  value and init[1] the drift, sigma2 = sigma^2, npar 2 (drift and sigma), m 1. Errors:
 *  SOL_EINVAL (fewer than SOL_TS_SHORT_MIN observed values: "too short to forecast"; horizon
 *  out of range), SOL_ENOMEM. Thread-safe; *out is cleared first and owned by the caller
 *  (sol_ets_result_clear). */
SOL_API sol_status sol_ts_rwdrift(const sol_ts *ts, size_t horizon, sol_ets_result *out,
                                  sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
