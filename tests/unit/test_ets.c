/* test_ets.c - ETS forecasts against R's forecast::ets and forecast.ets (tests/data/time_ets,
 * made by make-reference.R): model chosen, parameters, initial states, criteria, forecast means
 * and 80%/95% intervals, on real series, with automatic choice and with each fixed model (an
 * annual series with a gap against ets(na.action = "na.interp")).
 *
 * Tolerances. Our Nelder-Mead repeats the arithmetic of R's optim step by step and the
 * likelihood recursion repeats forecast's etscalc, so the optimiser takes R's path and every
 * case agrees to REL (1e-8 relative; the largest difference seen is 5e-10) in loglik, AIC, AICc,
 * BIC, sigma2, parameters, initial states, forecast means and both intervals, and the model
 * chosen is identical. What remains comes from the start: R fits its starting line by LINPACK
 * QR and we by the closed form, and its admissibility test finds polynomial roots (cpolyroot)
 * where we use the Schur-Cohn recursion. All intervals here are analytic in R too (no
 * simulation: multiplicative trends, the only ones R simulates, are not offered). Beyond these
 * cases the paths can part where R's own fit is ill-conditioned (admissibility decided at the
 * unit circle by R's root finder, Nelder-Mead stopped at maxit): bench/bench_ets.sh reports how
 * often on its sample (1 series in 200, same model, AICc 2e-4 relative higher). */
#include "csv_fields.h"
#include "harness.h"

#include <solidata/csv.h>
#include <solidata/timeseries.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REF "tests/data/time_ets/"
#define REL 1e-8

static sol_ts_set *sets[3];

/* The reference inputs: one file per frequency. */
static int load_inputs(void)
{
    static const char *files[] = {REF "inputs_1.csv", REF "inputs_4.csv", REF "inputs_12.csv"};
    for (int i = 0; i < 3; i++)
        if (sets[i] == NULL &&
            sol_ts_read_csv(files[i], "id", "period", "value", &sets[i], NULL) != SOL_OK)
            return -1;
    return 0;
}

static const sol_ts *find(const char *id)
{
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; sets[k] && i < sets[k]->n; i++)
            if (strcmp(sets[k]->series[i].id, id) == 0)
                return &sets[k]->series[i];
    return NULL;
}

static double relerr(double got, double want)
{
    if (isnan(want))
        return isnan(got) ? 0 : INFINITY;
    double s = fabs(want) > 1e-300 ? fabs(want) : 1.0;
    return fabs(got - want) / s;
}

/* Every case of fits.csv with its forecasts; ETS_VERBOSE=1 prints each case's largest relative
 * difference. */
TEST(ets_matches_r_forecast)
{
    sol_csv *c = NULL, *fc = NULL;
    ASSERT_EQ(load_inputs(), 0);
    ASSERT_STATUS(sol_csv_open(REF "fits.csv", NULL, &c, NULL), SOL_OK);
    ASSERT_STATUS(sol_csv_open(REF "forecasts.csv", NULL, &fc, NULL), SOL_OK);
    int verbose = getenv("ETS_VERBOSE") != NULL, cases = 0, bad = 0;
    int have_fc = sol_csv_next(fc, NULL) == SOL_OK;
    while (sol_csv_next(c, NULL) == SOL_OK) {
        char kase[128], model[16];
        snprintf(kase, sizeof kase, "%s", str(c, "case"));
        snprintf(model, sizeof model, "%s", str(c, "model"));
        const sol_ts *ts = find(str(c, "id"));
        ASSERT(ts != NULL);
        sol_ets_model want;
        const char *spec = str(c, "spec");
        sol_ets_opts o = {NULL, (size_t)num(c, "horizon")};
        if (strcmp(spec, "auto") != 0) {
            ASSERT_EQ(sol_ets_model_parse(spec, &want), SOL_OK);
            o.model = &want;
        }
        sol_ets_result r;
        sol_error err;
        sol_status st = sol_ts_ets(ts, &o, &r, &err);
        if (st != SOL_OK)
            HARNESS_FAIL("%s: %s", kase, err.msg);
        char code[8];
        snprintf(code, sizeof code, "%c%c%s%c", r.model.error, r.model.trend,
                 r.model.damped ? "d" : "", r.model.season);
        double worst = 0, w;
        const char *wname = "";
#define CMP(label, got, want)                                                                      \
    do {                                                                                           \
        w = relerr((got), (want));                                                                 \
        if (w > worst) {                                                                           \
            worst = w;                                                                             \
            wname = label;                                                                         \
        }                                                                                          \
    } while (0)
        CMP("loglik", r.loglik, num(c, "loglik"));
        CMP("aic", r.aic, num(c, "aic"));
        CMP("aicc", r.aicc, num(c, "aicc"));
        CMP("bic", r.bic, num(c, "bic"));
        CMP("sigma2", r.sigma2, num(c, "sigma2"));
        CMP("alpha", r.alpha, num(c, "alpha"));
        CMP("beta", r.beta, num(c, "beta"));
        CMP("gamma", r.gamma, num(c, "gamma"));
        CMP("phi", r.phi, num(c, "phi"));
        /* initial states "l;b;s1;...;sm" */
        const char *is = str(c, "initstate");
        size_t k = 0;
        while (*is && k < r.nstate) {
            char *end;
            double v = strtod(is, &end);
            CMP("initstate", r.init[k], v);
            k++;
            is = *end == ';' ? end + 1 : end;
        }
        if (k != r.nstate)
            CMP("nstate", (double)r.nstate, (double)k);
        while (have_fc && strcmp(str(fc, "case"), kase) == 0) {
            size_t step = (size_t)num(fc, "step") - 1;
            if (step < r.h) {
                CMP("mean", r.mean[step], num(fc, "mean"));
                CMP("lo80", r.lo80[step], num(fc, "lo80"));
                CMP("hi80", r.hi80[step], num(fc, "hi80"));
                CMP("lo95", r.lo95[step], num(fc, "lo95"));
                CMP("hi95", r.hi95[step], num(fc, "hi95"));
            }
            have_fc = sol_csv_next(fc, NULL) == SOL_OK;
        }
#undef CMP
        int same_model = strcmp(code, model) == 0;
        double tol = REL;
        if (verbose || !same_model || !(worst <= tol))
            fprintf(stderr, "  %-28s R %-5s ours %-5s worst rel diff %.3g (%s)%s\n", kase, model,
                    code, worst, wname, !same_model || !(worst <= tol) ? "  <-- FAIL" : "");
        if (!same_model || !(worst <= tol))
            bad++;
        if (ts->n_missing) /* annual gaps: filled as ets(na.action = "na.interp") */
            ASSERT_EQ(r.interpolated, ts->n_missing);
        cases++;
        sol_ets_result_clear(&r);
    }
    sol_csv_close(c);
    sol_csv_close(fc);
    for (int i = 0; i < 3; i++) {
        sol_ts_set_free(sets[i]);
        sets[i] = NULL;
    }
    ASSERT(cases >= 49);
    ASSERT_EQ(bad, 0);
}

/* An annual series held in a sol_ts (no file). */
static sol_ts annual(double *y, size_t n)
{
    sol_ts ts = {(char *)"x", 'A', 2015, n, y, 0};
    for (size_t i = 0; i < n; i++)
        ts.n_missing += isnan(y[i]) ? 1u : 0u;
    return ts;
}

TEST(ets_model_codes)
{
    sol_ets_model m;
    char name[16];
    ASSERT_EQ(sol_ets_model_parse("MAdM", &m), SOL_OK);
    sol_ets_model_name(&m, name);
    ASSERT_STR_EQ(name, "ETS(M,Ad,M)");
    ASSERT_EQ(sol_ets_model_parse("ANN", &m), SOL_OK);
    sol_ets_model_name(&m, name);
    ASSERT_STR_EQ(name, "ETS(A,N,N)");
    ASSERT_EQ(sol_ets_model_parse("ANM", &m),
              SOL_EINVAL); /* additive error, multiplicative season */
    ASSERT_EQ(sol_ets_model_parse("MMN", &m), SOL_EINVAL);  /* multiplicative trend: not offered */
    ASSERT_EQ(sol_ets_model_parse("ANdN", &m), SOL_EINVAL); /* damping without trend */
    ASSERT_EQ(sol_ets_model_parse("AAAA", &m), SOL_EINVAL);
}

TEST(ets_too_short_refused)
{
    double y[] = {10, 11, 12.5, 12, 13, 14.2};
    sol_ts ts = annual(y, 6);
    sol_ets_opts o = {NULL, 3};
    sol_ets_result r;
    sol_error err;
    ASSERT_STATUS(sol_ts_ets(&ts, &o, &r, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "6 consecutive values");
    ASSERT_CONTAINS(err.msg, "at least 7");
    ts.n = 7;
    double y7[] = {10, 11, 12.5, 12, 13, 14.2, 14};
    ts.y = y7;
    ASSERT_STATUS(sol_ts_ets(&ts, &o, &r, &err), SOL_OK);
    sol_ets_result_clear(&r);
    sol_ets_model m;
    sol_ets_model_parse("AAdN", &m);
    o.model = &m; /* 5 parameters: needs 10 values */
    ASSERT_STATUS(sol_ts_ets(&ts, &o, &r, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "ETS(A,Ad,N) needs at least 10");
}

TEST(ets_non_positive_values)
{
    double y[] = {1.2, -0.4, 0.8, 1.9, 0.0, 1.1, 2.3, 1.7, 0.9, 1.4};
    sol_ts ts = annual(y, 10);
    sol_ets_model m;
    sol_ets_model_parse("MNN", &m);
    sol_ets_opts o = {&m, 2};
    sol_ets_result r;
    sol_error err;
    ASSERT_STATUS(sol_ts_ets(&ts, &o, &r, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "values <= 0");
    o.model = NULL; /* automatic: multiplicative errors left out, and said */
    ASSERT_STATUS(sol_ts_ets(&ts, &o, &r, &err), SOL_OK);
    ASSERT_EQ(r.model.error, 'A');
    ASSERT(r.left_out & SOL_ETS_LEFT_MULT);
    ASSERT(r.left_out & SOL_ETS_LEFT_SEASON);
    ASSERT_EQ(r.tried, 3); /* ANN, AAdN, AAN */
    sol_ets_result_clear(&r);
}

TEST(ets_constant_and_horizon_refused)
{
    double y[] = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5};
    sol_ts ts = annual(y, 10);
    sol_ets_opts o = {NULL, 2};
    sol_ets_result r;
    sol_error err;
    ASSERT_STATUS(sol_ts_ets(&ts, &o, &r, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "constant");
    y[3] = 6;
    o.horizon = 0;
    ASSERT_STATUS(sol_ts_ets(&ts, &o, &r, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "horizon");
}

TEST(ets_seasonal_series_uses_values_after_the_last_gap)
{
    /* quarterly: 3 values, a gap, then 12 values */
    double y[16] = {3, 4, 5, NAN};
    for (int i = 4; i < 16; i++)
        y[i] = 10 + (i % 4) + 0.1 * i;
    sol_ts ts = annual(y, 16);
    ts.freq = 'Q';
    sol_ets_opts o = {NULL, 4};
    sol_ets_result r, r2;
    ASSERT_STATUS(sol_ts_ets(&ts, &o, &r, NULL), SOL_OK);
    ASSERT_EQ(r.first, 4);
    ASSERT_EQ(r.n, 12);
    ASSERT_EQ(r.interpolated, 0);
    sol_ts cut = annual(y + 4, 12); /* the same as the series cut after its gap */
    cut.freq = 'Q';
    ASSERT_STATUS(sol_ts_ets(&cut, &o, &r2, NULL), SOL_OK);
    ASSERT_STR_EQ(r.name, r2.name);
    ASSERT_REL(r.mean[3], r2.mean[3], 0);
    ASSERT_REL(r.hi95[3], r2.hi95[3], 0);
    sol_ets_result_clear(&r);
    sol_ets_result_clear(&r2);
}

/* The batch (several series per vectorised pass) gives each series exactly what fitting it
 * alone gives: the monthly and quarterly reference series, automatic choice. */
TEST(ets_batch_equals_one_by_one)
{
    ASSERT_EQ(load_inputs(), 0);
    for (int k = 1; k < 3; k++) {
        const sol_ts_set *set = sets[k];
        sol_ets_opts o = {NULL, 12};
        sol_ets_result *rb = calloc(set->n, sizeof *rb);
        sol_status *st = calloc(set->n, sizeof *st);
        sol_error *errs = calloc(set->n, sizeof *errs);
        ASSERT(rb && st && errs);
        sol_ts_ets_batch(set->series, set->n, &o, rb, st, errs);
        for (size_t i = 0; i < set->n; i++) {
            sol_ets_result r1;
            ASSERT_STATUS(st[i], SOL_OK);
            ASSERT_STATUS(sol_ts_ets(&set->series[i], &o, &r1, NULL), SOL_OK);
            ASSERT_STR_EQ(rb[i].name, r1.name);
            ASSERT(rb[i].aicc == r1.aicc && rb[i].alpha == r1.alpha);
            for (size_t h = 0; h < r1.h; h++)
                ASSERT(rb[i].mean[h] == r1.mean[h] && rb[i].lo95[h] == r1.lo95[h]);
            sol_ets_result_clear(&r1);
            sol_ets_result_clear(&rb[i]);
        }
        free(rb), free(st), free(errs);
    }
    for (int i = 0; i < 3; i++) {
        sol_ts_set_free(sets[i]);
        sets[i] = NULL;
    }
}
