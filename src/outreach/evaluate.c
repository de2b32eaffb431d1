/* evaluate.c - an audience rule over areas (conditions, type-7 quantiles, the people reached with
 * a 95% interval), the minimum cell size and the check of two audiences' combinations, special
 * categories of data, and non-take-up (eligible against receiving, the gap and its ranking). */
#include <solidata/outreach.h>

#include "core/core.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double sol_aud_quantile7(const double *sorted, size_t n, double p)
{
    if (n == 0)
        return NAN;
    if (p <= 0)
        return sorted[0];
    if (p >= 1)
        return sorted[n - 1];
    double h = (double)(n - 1) * p;
    double fl = floor(h);
    size_t j = (size_t)fl;
    if (j + 1 >= n)
        return sorted[n - 1];
    return sorted[j] + (h - fl) * (sorted[j + 1] - sorted[j]);
}

void sol_aud_eval_free(sol_aud_eval *e)
{
    if (e == NULL)
        return;
    sol__free_n(7, e->state, e->interval, e->est, e->low, e->high, e->se, e->cut);
    sol__free(e);
}

static int withheld(const unsigned char *w, size_t i)
{
    return w != NULL && w[i] != 0;
}

sol_status sol_aud_evaluate(const sol_aud_rule *r, const sol_aud_data *d, sol_aud_eval **out,
                            sol_error *err)
{
    if (r->n_cond && d->cond_value == NULL)
        return sol__err(err, SOL_EINVAL, "the rule's conditions have no values%s", "");
    if (d->people == NULL || (r->share != NULL && d->share == NULL))
        return sol__err(err, SOL_EINVAL, "the rule's people have no values%s", "");
    size_t n = d->n;
    sol_aud_eval *e = sol__calloc(1, sizeof *e);
    double *tmp = NULL;
    if (e == NULL)
        goto nomem;
    e->n = n;
    e->n_cond = r->n_cond;
    size_t m = n ? n : 1;
    if ((e->state = sol__calloc(m, 1)) == NULL || (e->interval = sol__calloc(m, 1)) == NULL ||
        (e->est = sol__calloc(m, sizeof(double))) == NULL ||
        (e->low = sol__calloc(m, sizeof(double))) == NULL ||
        (e->high = sol__calloc(m, sizeof(double))) == NULL ||
        (e->se = sol__calloc(m, sizeof(double))) == NULL ||
        (e->cut = sol__calloc(r->n_cond ? r->n_cond : 1, sizeof(double))) == NULL ||
        (tmp = sol__calloc(m, sizeof(double))) == NULL)
        goto nomem;
    /* the quantile cut of each top/bottom condition, over the public values in scope */
    for (size_t c = 0; c < r->n_cond; c++) {
        e->cut[c] = NAN;
        sol_aud_op op = r->cond[c].op;
        if (op != SOL_AUD_TOP && op != SOL_AUD_BOTTOM)
            continue;
        size_t k = 0;
        const unsigned char *w = d->cond_withheld ? d->cond_withheld[c] : NULL;
        for (size_t i = 0; i < n; i++)
            if (!isnan(d->cond_value[c][i]) && !withheld(w, i))
                tmp[k++] = d->cond_value[c][i];
        qsort(tmp, k, sizeof *tmp, cmp_double);
        double p = r->cond[c].value / 100.0;
        e->cut[c] = sol_aud_quantile7(tmp, k, op == SOL_AUD_TOP ? 1.0 - p : p);
    }
    double var = 0;
    for (size_t i = 0; i < n; i++) {
        int state = SOL_AUD_SELECTED;
        e->est[i] = e->low[i] = e->high[i] = e->se[i] = NAN;
        /* withheld wins over missing, missing over a condition not met: the reason given is the
         * one that would stay true whatever the other values */
        int any_withheld = withheld(d->people_withheld, i) || withheld(d->share_withheld, i);
        int any_missing = isnan(d->people[i]) || (r->share && isnan(d->share[i]));
        int met = 1;
        for (size_t c = 0; c < r->n_cond; c++) {
            const unsigned char *w = d->cond_withheld ? d->cond_withheld[c] : NULL;
            double x = d->cond_value[c][i];
            if (withheld(w, i)) {
                any_withheld = 1;
                continue;
            }
            if (isnan(x)) {
                any_missing = 1;
                continue;
            }
            double t = r->cond[c].value;
            switch (r->cond[c].op) {
            case SOL_AUD_GT: met &= x > t; break;
            case SOL_AUD_GE: met &= x >= t; break;
            case SOL_AUD_LT: met &= x < t; break;
            case SOL_AUD_LE: met &= x <= t; break;
            case SOL_AUD_TOP: met &= !isnan(e->cut[c]) && x >= e->cut[c]; break;
            case SOL_AUD_BOTTOM: met &= !isnan(e->cut[c]) && x <= e->cut[c]; break;
            }
        }
        if (any_withheld)
            state = SOL_AUD_WITHHELD;
        else if (any_missing)
            state = SOL_AUD_MISSING;
        else if (!met)
            state = SOL_AUD_NOT_MET;
        e->state[i] = (unsigned char)state;
        if (state == SOL_AUD_WITHHELD)
            e->n_withheld++;
        else if (state == SOL_AUD_MISSING)
            e->n_missing++;
        else if (state == SOL_AUD_NOT_MET)
            e->n_not_met++;
        if (state != SOL_AUD_SELECTED)
            continue;
        e->n_selected++;
        double cnt = d->people[i];
        double cse = d->people_se ? d->people_se[i] : NAN;
        double est = cnt, se = 0, cap = INFINITY;
        e->interval[i] = SOL_AUD_EXACT;
        if (r->share) {
            double s = d->share[i] * d->share_scale;
            double sse = d->share_se ? d->share_se[i] * d->share_scale : NAN;
            est = cnt * s;
            cap = cnt;
            if (!isnan(sse) && sse > 0) {
                se = cnt * sse;
                e->interval[i] = SOL_AUD_FROM_SHARE;
            } else if (!isnan(cse) && cse > 0) {
                se = s * cse;
                e->interval[i] = SOL_AUD_FROM_COUNT;
            }
        } else if (!isnan(cse) && cse > 0) {
            se = cse;
            e->interval[i] = SOL_AUD_FROM_COUNT;
        }
        e->est[i] = est;
        e->se[i] = se;
        double lo = est - SOL_AUD_Z95 * se, hi = est + SOL_AUD_Z95 * se;
        e->low[i] = lo < 0 ? 0 : lo;
        e->high[i] = hi > cap ? (cap < est ? est : cap) : hi;
        e->total += est;
        var += se * se;
    }
    double tse = sqrt(var);
    e->total_low = e->total - SOL_AUD_Z95 * tse;
    if (e->total_low < 0)
        e->total_low = 0;
    e->total_high = e->total + SOL_AUD_Z95 * tse;
    sol__free(tmp);
    *out = e;
    return SOL_OK;
nomem:
    sol__free(tmp);
    sol_aud_eval_free(e);
    return sol__err(err, SOL_ENOMEM, "out of memory");
}

/* ---- k ----------------------------------------------------------------------------------------
 */

int64_t sol_aud_cell(double people)
{
    if (!(people >= 0) || !isfinite(people))
        return 0;
    return (int64_t)llround(people);
}

static void breach(sol_aud_breach *first, size_t *nb, const char *area, int64_t cell, int kind)
{
    if (*nb == 0 || cell < first->cell)
        *first = (sol_aud_breach){.area = area, .cell = cell, .kind = kind};
    (*nb)++;
}

size_t sol_aud_pair_check(const sol_aud_cells *a, const sol_aud_cells *b, int64_t k,
                          sol_aud_breach *first)
{
    sol_aud_breach dummy;
    if (first == NULL)
        first = &dummy;
    size_t nb = 0;
    int64_t ta = 0, tb = 0;
    for (size_t i = 0; i < a->n; i++)
        ta += sol_aud_cell(a->people[i]);
    for (size_t j = 0; j < b->n; j++)
        tb += sol_aud_cell(b->people[j]);
    /* audiences have at most a few thousand areas: a quadratic join keeps this obviously right */
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < b->n; j++) {
            if (strcmp(a->code[i], b->code[j]) != 0)
                continue;
            int64_t x = sol_aud_cell(a->people[i]), y = sol_aud_cell(b->people[j]);
            int64_t dlt = x > y ? x - y : y - x;
            if (dlt > 0 && dlt < k)
                breach(first, &nb, a->code[i], dlt, 1);
            break;
        }
    int64_t dt = ta > tb ? ta - tb : tb - ta;
    if (dt > 0 && dt < k)
        breach(first, &nb, NULL, dt, 2);
    return nb;
}

/* ---- special categories -------------------------------------------------------------------- */

static int has_word(const char *hay, const char *needle)
{
    if (hay == NULL)
        return 0;
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && tolower((unsigned char)p[i]) == needle[i])
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

int sol_aud_special(const char *code, const char *label, const char *dimension, const char *extra,
                    const char **why)
{
    static const char *const dims[] = {"health",   "salute",    "santé",    "sante",
                                       "religion", "ethnicity", "politics", "sexual orientation"};
    /* stems in English, French and Italian (docs/outreach.md) */
    static const char *const words[] = {"health",      "santé",    "sante",     "salute",
                                        "disab",       "handicap", "disease",   "maladi",
                                        "malatti",     "illness",  "psychi",    "religio",
                                        "faith",       "croyan",   "ethni",     "etnic",
                                        "racial",      "razz",     "politic",   "politiq",
                                        "vote",        "voting",   "elector",   "élector",
                                        "elettor",     "party",    "partito",   "trade-union",
                                        "trade union", "syndic",   "sindaca",   "union membership",
                                        "sexual",      "sexuel",   "sessual",   "lgbt",
                                        "orientation", "genetic",  "génétique", "biometr",
                                        "hiv/",        "sida",     "pregnan",   "grossesse",
                                        "gravidanz"};
    if (dimension)
        for (size_t i = 0; i < sizeof dims / sizeof *dims; i++)
            if (has_word(dimension, dims[i])) {
                if (why)
                    *why = "dimension";
                return 1;
            }
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (has_word(code, words[i]) || has_word(label, words[i])) {
            if (why)
                *why = words[i];
            return 1;
        }
    if (extra && code) {
        size_t n = strlen(code);
        for (const char *p = extra; *p;) {
            while (*p == ',' || isspace((unsigned char)*p))
                p++;
            const char *q = p;
            while (*q && *q != ',' && !isspace((unsigned char)*q))
                q++;
            if ((size_t)(q - p) == n && n > 0 && strncmp(p, code, n) == 0) {
                if (why)
                    *why = "audience.special";
                return 1;
            }
            p = q;
        }
    }
    return 0;
}

/* ---- non-take-up --------------------------------------------------------------------------- */

void sol_takeup_result_free(sol_takeup_result *r)
{
    if (r == NULL)
        return;
    sol__free_n(9, r->gap, r->gap_low, r->gap_high, r->rate, r->rate_low, r->rate_high, r->rank,
                r->sure, r->order);
    sol__free(r);
}

sol_status sol_takeup_compute(const sol_takeup_data *d, sol_takeup_result **out, sol_error *err)
{
    size_t n = d->n, m = n ? n : 1;
    sol_takeup_result *r = sol__calloc(1, sizeof *r);
    if (r == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    r->n = n;
    if ((r->gap = sol__calloc(m, sizeof(double))) == NULL ||
        (r->gap_low = sol__calloc(m, sizeof(double))) == NULL ||
        (r->gap_high = sol__calloc(m, sizeof(double))) == NULL ||
        (r->rate = sol__calloc(m, sizeof(double))) == NULL ||
        (r->rate_low = sol__calloc(m, sizeof(double))) == NULL ||
        (r->rate_high = sol__calloc(m, sizeof(double))) == NULL ||
        (r->rank = sol__calloc(m, sizeof(size_t))) == NULL ||
        (r->sure = sol__calloc(m, sizeof(int))) == NULL ||
        (r->order = sol__calloc(m, sizeof(size_t))) == NULL) {
        sol_takeup_result_free(r);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    double var = 0;
    for (size_t i = 0; i < n; i++) {
        double e = d->eligible[i], rc = d->receiving[i];
        double se = d->eligible_se && !isnan(d->eligible_se[i]) ? d->eligible_se[i] : 0;
        r->order[i] = i;
        if (isnan(e) || isnan(rc)) {
            r->gap[i] = r->gap_low[i] = r->gap_high[i] = NAN;
            r->rate[i] = r->rate_low[i] = r->rate_high[i] = NAN;
            continue;
        }
        double el = e - SOL_AUD_Z95 * se, eh = e + SOL_AUD_Z95 * se;
        if (el < 0)
            el = 0;
        r->gap[i] = e - rc;
        r->gap_low[i] = el - rc;
        r->gap_high[i] = eh - rc;
        r->sure[i] = r->gap_low[i] > 0;
        r->rate[i] = e > 0 ? rc / e : NAN;
        r->rate_low[i] = eh > 0 ? rc / eh : NAN;
        r->rate_high[i] = el > 0 ? rc / el : NAN;
        r->total_gap += r->gap[i];
        var += se * se;
    }
    r->total_gap_low = r->total_gap - SOL_AUD_Z95 * sqrt(var);
    r->total_gap_high = r->total_gap + SOL_AUD_Z95 * sqrt(var);
    size_t *o = r->order;
    size_t *tmp = sol__calloc(m, sizeof *tmp);
    if (tmp == NULL) {
        sol_takeup_result_free(r);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    /* bottom-up merge sort: stable and without shared state */
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t a = lo, b = mid, k = lo;
            while (a < mid || b < hi) {
                int takea;
                if (a >= mid)
                    takea = 0;
                else if (b >= hi)
                    takea = 1;
                else {
                    size_t x = o[a], y = o[b];
                    int nx = isnan(r->gap[x]), ny = isnan(r->gap[y]);
                    if (nx != ny)
                        takea = nx < ny;
                    else if (!nx && r->gap[x] != r->gap[y])
                        takea = r->gap[x] > r->gap[y];
                    else if (!nx && r->gap_low[x] != r->gap_low[y])
                        takea = r->gap_low[x] > r->gap_low[y];
                    else
                        takea = x <= y;
                }
                tmp[k++] = takea ? o[a++] : o[b++];
            }
        }
        memcpy(o, tmp, n * sizeof *o);
    }
    sol__free(tmp);
    for (size_t k = 0; k < n; k++)
        r->rank[o[k]] = isnan(r->gap[o[k]]) ? 0 : k + 1;
    *out = r;
    return SOL_OK;
}
