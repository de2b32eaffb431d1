/* synth.c - the synthetic control method (Abadie & Gardeazabal 2003; Abadie, Diamond & Hainmueller
 * 2010): predictors, sd scaling, W for a given V exactly, V chosen by NLopt to minimise the
 * pre-treatment outcome MSPE, the paths and placebo-in-space inference. */
#include <solidata/evaluate.h>

#include "core/core.h"

#include <jansson.h>
#include <math.h>
#include <nlopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- spec ----------------------------------------------------------------------------------- */

void sol_synth_spec_free(sol_synth_spec *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n_predictors; i++)
        sol__free(s->predictors[i].variable);
    for (size_t i = 0; i < s->n_exclude; i++)
        sol__free(s->exclude[i]);
    sol__free(s->predictors);
    sol__free(s->exclude);
    sol__free(s);
}

static int jperiod(json_t *o, const char *key, double *out)
{
    json_t *v = json_object_get(o, key);
    if (json_is_number(v)) {
        *out = json_number_value(v);
        return 1;
    }
    if (json_is_string(v)) {
        char *end = NULL;
        *out = strtod(json_string_value(v), &end);
        return end && *end == '\0' && end != json_string_value(v);
    }
    return 0;
}

sol_status sol_synth_spec_parse_json(const char *txt, size_t len, sol_synth_spec **out,
                                     sol_error *err)
{
    json_error_t je;
    if (len > SOL_MAX_DECIDE_SPEC)
        return sol__err(err, SOL_ELIMIT, "spec larger than %u bytes", SOL_MAX_DECIDE_SPEC);
    json_t *root = json_loadb(txt, len, 0, &je);
    if (root == NULL)
        return sol__err_at(err, SOL_EPARSE, "", (unsigned long)je.line, (unsigned long)je.column,
                           "not valid JSON: %s", je.text);
    sol_status rc = SOL_EINVAL;
    sol_synth_spec *s = sol__calloc(1, sizeof *s);
    json_t *pr = json_object_get(root, "predictors"), *op = json_object_get(root, "optimise");
    json_t *ex = json_object_get(root, "exclude");
    if (s == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    if (!json_is_object(root) || !json_is_array(pr) || json_array_size(pr) == 0) {
        sol__err(err, rc, "the spec needs \"predictors\": a non-empty array");
        goto fail;
    }
    if (json_array_size(pr) > SOL_MAX_SYNTH_PREDICTORS) {
        rc = sol__err(err, SOL_ELIMIT, "more than %u predictors", SOL_MAX_SYNTH_PREDICTORS);
        goto fail;
    }
    if ((s->predictors = sol__calloc(json_array_size(pr), sizeof *s->predictors)) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < json_array_size(pr); i++) {
        json_t *p = json_array_get(pr, i), *var = json_object_get(p, "variable");
        json_t *o = json_object_get(p, "op");
        sol_synth_predictor *q = &s->predictors[i];
        if (!json_is_string(var) || !jperiod(p, "from", &q->from)) {
            sol__err(err, rc, "predictor %zu needs \"variable\" (text) and \"from\" (a period)",
                     i + 1);
            goto fail;
        }
        if (!jperiod(p, "to", &q->to))
            q->to = q->from;
        if (q->to < q->from) {
            sol__err(err, rc, "predictor %zu (%s): \"to\" is before \"from\"", i + 1,
                     json_string_value(var));
            goto fail;
        }
        if (o && !(json_is_string(o) && strcmp(json_string_value(o), "mean") == 0)) {
            sol__err(err, rc, "predictor %zu (%s): \"op\" must be \"mean\"", i + 1,
                     json_string_value(var));
            goto fail;
        }
        q->mean = 1;
        if ((q->variable = sol__strdup(json_string_value(var))) == NULL) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto fail;
        }
        s->n_predictors = i + 1;
    }
    if (!json_is_object(op) || !jperiod(op, "from", &s->opt_from) ||
        !jperiod(op, "to", &s->opt_to) || s->opt_to < s->opt_from) {
        sol__err(err, rc, "the spec needs \"optimise\": {\"from\": P, \"to\": P} with from <= to");
        goto fail;
    }
    if (ex) {
        if (!json_is_array(ex) || json_array_size(ex) > SOL_MAX_SYNTH_UNITS) {
            sol__err(err, rc, "\"exclude\" must be an array of unit names");
            goto fail;
        }
        if ((s->exclude = sol__calloc(json_array_size(ex) + 1, sizeof *s->exclude)) == NULL) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto fail;
        }
        for (size_t i = 0; i < json_array_size(ex); i++) {
            json_t *u = json_array_get(ex, i);
            if (!json_is_string(u)) {
                sol__err(err, rc, "\"exclude\" entry %zu is not text", i + 1);
                goto fail;
            }
            if ((s->exclude[i] = sol__strdup(json_string_value(u))) == NULL) {
                rc = sol__err(err, SOL_ENOMEM, "out of memory");
                goto fail;
            }
            s->n_exclude = i + 1;
        }
    }
    json_decref(root);
    *out = s;
    return SOL_OK;
fail:
    json_decref(root);
    sol_synth_spec_free(s);
    return rc;
}

/* ---- data ------------------------------------------------------------------------------------ */

typedef struct sdata {
    size_t U, T, k; /* units (0 = treated, then donors), periods, predictors */
    char **unit;    /* borrowed from the table */
    double *times;  /* T ascending */
    double *Y;      /* U x T outcome, NaN missing */
    double *X;      /* U x k predictors (unscaled) */
    double *sd;     /* k */
} sdata;

static void sdata_free(sdata *d)
{
    sol__free_n(5, d->unit, d->times, d->Y, d->X, d->sd);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static size_t time_index(const sdata *d, double t)
{
    size_t lo = 0, hi = d->T;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (d->times[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static sol_status load(const sol_dtable *t, const sol_synth_spec *s, const sol_synth_opts *o,
                       sdata *d, sol_error *err)
{
    const char *name = sol_dtable_name(t);
    long cu = sol_dtable_col(t, o->unit_field), ct = sol_dtable_col(t, o->time_field);
    long cy = sol_dtable_col(t, o->outcome);
    long *cp = NULL;
    sol_strmap *um = NULL;
    double *cnt = NULL;
    sol_status rc = SOL_ENOMEM;
    size_t N = sol_dtable_nrows(t);
    memset(d, 0, sizeof *d);
    if (cu < 0 || ct < 0 || cy < 0)
        return sol__err_at(err, SOL_ENOTFOUND, name, 1, 0,
                           "no column named '%s' in the header (%s)",
                           cu < 0   ? o->unit_field
                           : ct < 0 ? o->time_field
                                    : o->outcome,
                           cu < 0   ? "--unit-field"
                           : ct < 0 ? "--time-field"
                                    : "--outcome");
    d->k = s->n_predictors;
    if ((cp = sol__calloc(d->k, sizeof *cp)) == NULL)
        goto fail;
    for (size_t j = 0; j < d->k; j++)
        if ((cp[j] = sol_dtable_col(t, s->predictors[j].variable)) < 0) {
            rc = sol__err_at(err, SOL_ENOTFOUND, name, 1, 0,
                             "no column named '%s' in the header (predictor %zu of the spec)",
                             s->predictors[j].variable, j + 1);
            goto fail;
        }
    /* units: the treated first, then donors in order of appearance, excluded ones skipped */
    if ((um = sol__strmap_new(64)) == NULL ||
        (d->unit = sol__calloc(N + 1, sizeof *d->unit)) == NULL ||
        (d->times = sol__malloc((N + 1) * sizeof *d->times)) == NULL)
        goto fail;
    int found = 0;
    for (size_t i = 0; i < N; i++) {
        const char *u = sol_dtable_cell(t, i, (size_t)cu);
        if (u && strcmp(u, o->treated) == 0)
            found = 1;
    }
    if (!found) {
        rc = sol__err(err, SOL_ENOTFOUND, "%s: the treated unit '%s' is not in column '%s'", name,
                      o->treated, o->unit_field);
        goto fail;
    }
    d->unit[0] = (char *)o->treated;
    if ((rc = sol__strmap_put(um, o->treated, strlen(o->treated), 0)) != SOL_OK)
        goto fail;
    d->U = 1;
    size_t nt = 0;
    for (size_t i = 0; i < N; i++) {
        const char *u = sol_dtable_cell(t, i, (size_t)cu);
        double tv;
        sol_status q = sol_dtable_number(t, i, (size_t)ct, &tv, err);
        if (q == SOL_ETYPE) {
            rc = q;
            goto fail;
        }
        if (u == NULL || q == SOL_EOF)
            continue;
        int skip = 0;
        for (size_t e = 0; e < s->n_exclude; e++)
            skip |= strcmp(u, s->exclude[e]) == 0;
        if (skip)
            continue;
        int64_t v;
        if (!sol__strmap_get(um, u, strlen(u), &v)) {
            if (d->U >= SOL_MAX_SYNTH_UNITS) {
                rc = sol__err(err, SOL_ELIMIT, "more than %u units", SOL_MAX_SYNTH_UNITS);
                goto fail;
            }
            if ((rc = sol__strmap_put(um, u, strlen(u), (int64_t)d->U)) != SOL_OK)
                goto fail;
            d->unit[d->U++] = (char *)u;
        }
        d->times[nt++] = tv;
    }
    rc = SOL_ENOMEM;
    qsort(d->times, nt, sizeof *d->times, cmp_double);
    d->T = 0;
    for (size_t i = 0; i < nt; i++)
        if (d->T == 0 || d->times[d->T - 1] != d->times[i])
            d->times[d->T++] = d->times[i];
    if (d->U < 2) {
        rc = sol__err(err, SOL_EINVAL, "no donor units besides '%s'", o->treated);
        goto fail;
    }
    if (d->times[0] >= o->treatment_start) {
        rc = sol__err(err, SOL_EINVAL,
                      "no pre-treatment periods: the first period in the data (%g) is not before "
                      "--treatment-start %g",
                      d->times[0], o->treatment_start);
        goto fail;
    }
    if ((d->Y = sol__malloc(d->U * d->T * sizeof *d->Y)) == NULL ||
        (d->X = sol__calloc(d->U * d->k, sizeof *d->X)) == NULL ||
        (cnt = sol__calloc(d->U * d->k, sizeof *cnt)) == NULL ||
        (d->sd = sol__malloc(d->k * sizeof *d->sd)) == NULL)
        goto fail;
    for (size_t i = 0; i < d->U * d->T; i++)
        d->Y[i] = NAN;
    for (size_t i = 0; i < N; i++) {
        const char *u = sol_dtable_cell(t, i, (size_t)cu);
        double tv, y;
        int64_t g;
        if (u == NULL || sol_dtable_number(t, i, (size_t)ct, &tv, NULL) != SOL_OK ||
            !sol__strmap_get(um, u, strlen(u), &g))
            continue;
        size_t ti = time_index(d, tv);
        sol_status q = sol_dtable_number(t, i, (size_t)cy, &y, err);
        if (q == SOL_ETYPE) {
            rc = q;
            goto fail;
        }
        if (q == SOL_OK) {
            if (!isnan(d->Y[(size_t)g * d->T + ti])) {
                rc = sol__err_at(err, SOL_EDUPLICATE, name, 0, 0,
                                 "unit '%s' has two rows for period %g", u, tv);
                goto fail;
            }
            d->Y[(size_t)g * d->T + ti] = y;
        }
        for (size_t j = 0; j < d->k; j++) {
            const sol_synth_predictor *p = &s->predictors[j];
            double x;
            if (tv < p->from || tv > p->to)
                continue;
            q = sol_dtable_number(t, i, (size_t)cp[j], &x, err);
            if (q == SOL_ETYPE) {
                rc = q;
                goto fail;
            }
            if (q == SOL_OK) {
                d->X[(size_t)g * d->k + j] += x;
                cnt[(size_t)g * d->k + j] += 1;
            }
        }
    }
    for (size_t g = 0; g < d->U; g++)
        for (size_t j = 0; j < d->k; j++) {
            if (cnt[g * d->k + j] == 0) {
                const sol_synth_predictor *p = &s->predictors[j];
                if (g == 0)
                    rc = sol__err(err, SOL_EINVAL,
                                  "the treated unit '%s' has no value of predictor '%s' in "
                                  "%g-%g; drop the predictor",
                                  d->unit[g], p->variable, p->from, p->to);
                else
                    rc = sol__err(err, SOL_EINVAL,
                                  "donor '%s' has no value of predictor '%s' in %g-%g; drop the "
                                  "unit (\"exclude\" in the spec) or the predictor",
                                  d->unit[g], p->variable, p->from, p->to);
                goto fail;
            }
            d->X[g * d->k + j] /= cnt[g * d->k + j];
        }
    for (size_t g = 0; g < d->U; g++)
        for (size_t ti = 0; ti < d->T; ti++)
            if (isnan(d->Y[g * d->T + ti]) && (g == 0 ? d->times[ti] < o->treatment_start : 1)) {
                if (g == 0)
                    rc = sol__err(err, SOL_EINVAL,
                                  "the treated unit '%s' has no '%s' value for period %g",
                                  d->unit[g], o->outcome, d->times[ti]);
                else
                    rc = sol__err(err, SOL_EINVAL, "donor '%s' has no '%s' value for period %g",
                                  d->unit[g], o->outcome, d->times[ti]);
                goto fail;
            }
    size_t nopt = 0;
    for (size_t ti = 0; ti < d->T; ti++)
        nopt += d->times[ti] >= s->opt_from && d->times[ti] <= s->opt_to &&
                d->times[ti] < o->treatment_start;
    if (nopt == 0) {
        rc = sol__err(err, SOL_EINVAL, "the optimisation window %g-%g has no pre-treatment period",
                      s->opt_from, s->opt_to);
        goto fail;
    }
    for (size_t j = 0; j < d->k; j++) {
        double m = 0, v = 0;
        for (size_t g = 0; g < d->U; g++)
            m += d->X[g * d->k + j];
        m /= (double)d->U;
        for (size_t g = 0; g < d->U; g++)
            v += (d->X[g * d->k + j] - m) * (d->X[g * d->k + j] - m);
        d->sd[j] = sqrt(v / (double)(d->U - 1));
        if (!(d->sd[j] > 0)) {
            rc = sol__err(err, SOL_EINVAL,
                          "predictor '%s' is the same for every unit: it cannot "
                          "tell donors apart",
                          s->predictors[j].variable);
            goto fail;
        }
    }
    rc = SOL_OK;
fail:
    if (rc == SOL_ENOMEM)
        sol__err(err, rc, "out of memory");
    if (rc != SOL_OK)
        sdata_free(d);
    sol__free(cp);
    sol__free(cnt);
    sol__strmap_free(um);
    return rc;
}

/* ---- one fit: a treated unit (index tr) against donors don[0..J) ----------------------------- */

typedef struct problem {
    const sdata *d;
    const sol_synth_spec *s;
    double t0;
    size_t tr, J, k, nopt;
    const size_t *don;
    double *A, *b, *w, *Xs1, *Xs0; /* k x J scratch, k, J, scaled predictors */
    size_t *opt;                   /* the optimisation window's period indices */
    sol_status fail;
    sol_error *err;
} problem;

static double inner(problem *p, const double *v, double *w)
{
    size_t k = p->k, J = p->J;
    for (size_t i = 0; i < k; i++) {
        double sv = sqrt(v[i]);
        p->b[i] = sv * p->Xs1[i];
        for (size_t j = 0; j < J; j++)
            p->A[j * k + i] = sv * p->Xs0[j * k + i];
    }
    sol_status rc = sol_synth_simplex_ls(p->A, p->b, k, J, w, p->err);
    if (rc != SOL_OK) {
        p->fail = rc;
        return HUGE_VAL;
    }
    double l = 0;
    for (size_t i = 0; i < k; i++) {
        double r = p->Xs1[i];
        for (size_t j = 0; j < J; j++)
            r -= p->Xs0[j * k + i] * w[j];
        l += v[i] * r * r;
    }
    return l;
}

static double loss_v(problem *p, const double *w)
{
    const sdata *d = p->d;
    double l = 0;
    for (size_t a = 0; a < p->nopt; a++) {
        size_t ti = p->opt[a];
        double g = d->Y[p->tr * d->T + ti];
        for (size_t j = 0; j < p->J; j++)
            g -= w[j] * d->Y[p->don[j] * d->T + ti];
        l += g * g;
    }
    return l / (double)p->nopt;
}

static double objective(unsigned n, const double *x, double *grad, void *data)
{
    problem *p = data;
    (void)grad;
    double v[SOL_MAX_SYNTH_PREDICTORS], s = 0;
    for (unsigned i = 0; i < n; i++)
        s += fabs(x[i]);
    if (!(s > 0))
        return HUGE_VAL;
    for (unsigned i = 0; i < n; i++)
        v[i] = fabs(x[i]) / s;
    inner(p, v, p->w);
    if (p->fail != SOL_OK)
        return HUGE_VAL;
    return loss_v(p, p->w);
}

static sol_status fit_one(const sdata *d, const sol_synth_spec *s, const sol_synth_opts *o,
                          size_t tr, const size_t *don, size_t J, sol_synth_fit *f, sol_error *err)
{
    size_t k = d->k;
    problem p = {
        d,      s,  o->treatment_start, tr, J, k, 0, don, NULL, NULL, NULL, NULL, NULL, NULL,
        SOL_OK, err};
    sol_status rc = SOL_ENOMEM;
    double *x = NULL, *best = NULL, *lb = NULL, *ub = NULL;
    nlopt_opt opt = NULL;
    if ((p.A = sol__malloc(k * J * sizeof *p.A)) == NULL ||
        (p.b = sol__malloc(k * sizeof *p.b)) == NULL ||
        (p.w = sol__malloc(J * sizeof *p.w)) == NULL ||
        (p.Xs1 = sol__malloc(k * sizeof *p.Xs1)) == NULL ||
        (p.Xs0 = sol__malloc(k * J * sizeof *p.Xs0)) == NULL ||
        (p.opt = sol__malloc(d->T * sizeof *p.opt)) == NULL ||
        (f->w = sol__malloc(J * sizeof *f->w)) == NULL ||
        (f->v = sol__malloc(k * sizeof *f->v)) == NULL ||
        (x = sol__malloc(k * sizeof *x)) == NULL ||
        (best = sol__malloc(k * sizeof *best)) == NULL ||
        (lb = sol__calloc(k, sizeof *lb)) == NULL || (ub = sol__malloc(k * sizeof *ub)) == NULL)
        goto fail;
    f->n_donors = J;
    for (size_t i = 0; i < k; i++) {
        p.Xs1[i] = d->X[tr * k + i] / d->sd[i];
        for (size_t j = 0; j < J; j++)
            p.Xs0[j * k + i] = d->X[don[j] * k + i] / d->sd[i];
    }
    for (size_t ti = 0; ti < d->T; ti++)
        if (d->times[ti] >= s->opt_from && d->times[ti] <= s->opt_to &&
            d->times[ti] < o->treatment_start)
            p.opt[p.nopt++] = ti;
    if (o->v_weights) {
        double sv = 0;
        for (size_t i = 0; i < k; i++)
            sv += o->v_weights[i];
        for (size_t i = 0; i < k; i++)
            f->v[i] = o->v_weights[i] / sv;
    } else {
        /* Derivative-free search over V = |x| / sum |x| from several starts: equal weights, and
         * each predictor given half of the weight; the best loss wins (ties: the earlier). */
        double fbest = HUGE_VAL;
        for (size_t st = 0; st <= k; st++) {
            for (size_t i = 0; i < k; i++)
                x[i] = st == 0 ? 1.0 / (double)k
                               : (i == st - 1 ? 0.5 : 0.5 / (double)(k > 1 ? k - 1 : 1));
            for (size_t i = 0; i < k; i++)
                ub[i] = 1.0;
            if ((opt = nlopt_create(NLOPT_LN_SBPLX, (unsigned)k)) == NULL)
                goto fail;
            double fx = HUGE_VAL;
            if (nlopt_set_lower_bounds(opt, lb) < 0 || nlopt_set_upper_bounds(opt, ub) < 0 ||
                nlopt_set_min_objective(opt, objective, &p) < 0 ||
                nlopt_set_xtol_rel(opt, 1e-8) < 0 || nlopt_set_ftol_rel(opt, 1e-12) < 0 ||
                nlopt_set_maxeval(opt, 3000) < 0) {
                rc = sol__err(err, SOL_ENUMERIC, "NLopt set-up failed");
                goto fail;
            }
            nlopt_result nr = nlopt_optimize(opt, x, &fx);
            nlopt_destroy(opt);
            opt = NULL;
            if (p.fail != SOL_OK) {
                rc = p.fail;
                goto fail;
            }
            if (nr < 0 && nr != NLOPT_ROUNDOFF_LIMITED) {
                rc = sol__err(err, SOL_ENUMERIC, "NLopt failed choosing V (code %d)", (int)nr);
                goto fail;
            }
            if (fx < fbest) {
                fbest = fx;
                memcpy(best, x, k * sizeof *x);
            }
        }
        double sx = 0;
        for (size_t i = 0; i < k; i++)
            sx += fabs(best[i]);
        for (size_t i = 0; i < k; i++)
            f->v[i] = fabs(best[i]) / sx;
    }
    f->loss_w = inner(&p, f->v, f->w);
    if (p.fail != SOL_OK) {
        rc = p.fail;
        goto fail;
    }
    f->loss_v = loss_v(&p, f->w);
    double pre = 0, post = 0;
    size_t npre = 0, npost = 0;
    for (size_t ti = 0; ti < d->T; ti++) {
        double g = d->Y[tr * d->T + ti];
        for (size_t j = 0; j < J; j++)
            g -= f->w[j] * d->Y[don[j] * d->T + ti];
        if (isnan(g))
            continue;
        if (d->times[ti] < o->treatment_start) {
            pre += g * g;
            npre++;
        } else {
            post += g * g;
            npost++;
        }
    }
    f->rmspe_pre = npre ? sqrt(pre / (double)npre) : NAN;
    f->rmspe_post = npost ? sqrt(post / (double)npost) : NAN;
    f->ratio = f->rmspe_post / f->rmspe_pre;
    rc = SOL_OK;
fail:
    if (rc == SOL_ENOMEM)
        sol__err(err, rc, "out of memory");
    nlopt_destroy(opt);
    sol__free_n(10, p.A, p.b, p.w, p.Xs1, p.Xs0, p.opt, x, best, lb, ub);
    return rc;
}

/* ---- result ---------------------------------------------------------------------------------- */

static void fit_clear(sol_synth_fit *f)
{
    sol__free_n(4, f->unit, f->donors, f->w, f->v);
}

void sol_synth_result_free(sol_synth_result *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->fit.n_donors; i++)
        sol__free(r->fit.donors ? r->fit.donors[i] : NULL);
    sol__free_n(4, r->fit.unit, r->fit.donors, r->fit.w, r->fit.v);
    for (size_t i = 0; i < r->n_placebos; i++)
        fit_clear(&r->placebos[i]);
    sol__free(r->placebos);
    for (size_t j = 0; j < r->n_predictors; j++)
        sol__free(r->predictor_names ? r->predictor_names[j] : NULL);
    sol__free_n(8, r->predictor_names, r->x_treated, r->x_synthetic, r->x_sd, r->times,
                r->y_treated, r->y_synthetic, r);
}

sol_status sol_synth_run(const sol_dtable *t, const sol_synth_spec *s, const sol_synth_opts *o,
                         sol_synth_result **out, sol_error *err)
{
    sdata d;
    sol_status rc;
    sol_synth_result *r = NULL;
    size_t *don = NULL;
    if (o->v_weights) {
        double sv = 0;
        for (size_t i = 0; i < s->n_predictors; i++) {
            if (!(o->v_weights[i] >= 0) || !isfinite(o->v_weights[i]))
                return sol__err(err, SOL_EINVAL,
                                "predictor weight %zu is %g: weights must be "
                                "non-negative numbers",
                                i + 1, o->v_weights[i]);
            sv += o->v_weights[i];
        }
        if (!(sv > 0))
            return sol__err(err, SOL_EINVAL,
                            "the predictor weights sum to %g: they must sum to a positive number",
                            sv);
    }
    if ((rc = load(t, s, o, &d, err)) != SOL_OK)
        return rc;
    size_t J = d.U - 1, k = d.k;
    rc = SOL_ENOMEM;
    if ((r = sol__calloc(1, sizeof *r)) == NULL || (don = sol__malloc(d.U * sizeof *don)) == NULL)
        goto fail;
    for (size_t j = 0; j < J; j++)
        don[j] = j + 1;
    r->v_given = o->v_weights != NULL;
    if ((rc = fit_one(&d, s, o, 0, don, J, &r->fit, err)) != SOL_OK)
        goto fail;
    rc = SOL_ENOMEM;
    if ((r->fit.unit = sol__strdup(o->treated)) == NULL ||
        (r->fit.donors = sol__calloc(J, sizeof *r->fit.donors)) == NULL)
        goto fail;
    for (size_t j = 0; j < J; j++)
        if ((r->fit.donors[j] = sol__strdup(d.unit[j + 1])) == NULL)
            goto fail;
    r->n_predictors = k;
    if ((r->predictor_names = sol__calloc(k, sizeof *r->predictor_names)) == NULL ||
        (r->x_treated = sol__malloc(k * sizeof(double))) == NULL ||
        (r->x_synthetic = sol__malloc(k * sizeof(double))) == NULL ||
        (r->x_sd = sol__malloc(k * sizeof(double))) == NULL ||
        (r->times = sol__malloc(d.T * sizeof(double))) == NULL ||
        (r->y_treated = sol__malloc(d.T * sizeof(double))) == NULL ||
        (r->y_synthetic = sol__malloc(d.T * sizeof(double))) == NULL)
        goto fail;
    for (size_t i = 0; i < k; i++) {
        const sol_synth_predictor *p = &s->predictors[i];
        char nm[SOL_MAX_CODE + 64];
        if (p->from == p->to)
            snprintf(nm, sizeof nm, "%s(%g)", p->variable, p->from);
        else
            snprintf(nm, sizeof nm, "%s(%g-%g mean)", p->variable, p->from, p->to);
        if ((r->predictor_names[i] = sol__strdup(nm)) == NULL)
            goto fail;
        r->x_treated[i] = d.X[i];
        r->x_sd[i] = d.sd[i];
        r->x_synthetic[i] = 0;
        for (size_t j = 0; j < J; j++)
            r->x_synthetic[i] += r->fit.w[j] * d.X[(j + 1) * k + i];
    }
    r->n_times = d.T;
    for (size_t ti = 0; ti < d.T; ti++) {
        r->times[ti] = d.times[ti];
        r->y_treated[ti] = d.Y[ti];
        r->y_synthetic[ti] = 0;
        for (size_t j = 0; j < J; j++)
            r->y_synthetic[ti] += r->fit.w[j] * d.Y[(j + 1) * d.T + ti];
    }
    r->p_value = NAN;
    if (o->placebos) {
        /* Each donor in turn is 'treated'; its pool is the other donors (the treated unit, whose
         * post-period is affected, is left out). */
        if ((r->placebos = sol__calloc(J, sizeof *r->placebos)) == NULL)
            goto fail;
        size_t ge = 1;
        for (size_t q = 0; q < J; q++) {
            size_t m = 0;
            for (size_t j = 0; j < J; j++)
                if (j != q)
                    don[m++] = j + 1;
            sol_synth_fit *f = &r->placebos[q];
            r->n_placebos = q + 1;
            if ((rc = fit_one(&d, s, o, q + 1, don, m, f, err)) != SOL_OK)
                goto fail;
            rc = SOL_ENOMEM;
            if ((f->unit = sol__strdup(d.unit[q + 1])) == NULL ||
                (f->donors = sol__calloc(m, sizeof *f->donors)) == NULL)
                goto fail;
            for (size_t j = 0; j < m; j++)
                f->donors[j] = r->fit.donors[don[j] - 1];
            ge += f->ratio >= r->fit.ratio;
        }
        r->p_value = (double)ge / (double)(J + 1);
    }
    sol__free(don);
    sdata_free(&d);
    *out = r;
    return SOL_OK;
fail:
    if (rc == SOL_ENOMEM)
        sol__err(err, rc, "out of memory");
    sol__free(don);
    sdata_free(&d);
    sol_synth_result_free(r);
    return rc;
}
