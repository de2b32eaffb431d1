/* index.c - sol_index_run: check the spec against the frame before any work, then treat outliers,
 * impute, normalise, weight, aggregate, rank, run the statistical checks and the Monte Carlo, and
 * describe each area in one sentence. */
#include <solidata/index.h>

#include "core/core.h"
#include "index/index_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void sol__index_prep_free(idx_prep *p)
{
    if (p == NULL)
        return;
    sol__free_n(11, p->row, p->col, p->pol, p->dim, p->dstart, p->dmem, p->dname, p->icode, p->raw,
                p->refval, p->group);
    memset(p, 0, sizeof *p);
}

void sol_index_result_free(sol_index_result *r)
{
    if (r == NULL)
        return;
    for (size_t d = 0; r->dim_name && d < r->n_dim; d++)
        sol__free(r->dim_name[d]);
    for (size_t i = 0; r->warnings && i < r->n_warnings; i++)
        sol__free(r->warnings[i]);
    for (size_t i = 0; r->sentence && i < r->n_rows; i++)
        sol__free(r->sentence[i]);
    for (size_t i = 0; r->factor_name && i < r->n_factors; i++)
        sol__free(r->factor_name[i]);
    void *arrays[] = {r->row,       r->area,      r->period,        r->score,       r->rank,
                      r->dim_score, r->dim_name,  r->dim_weight,    r->ind_weight,  r->ind_dim,
                      r->norm,      r->n_imputed, r->n_winsorised,  r->skewness,    r->kurtosis,
                      r->corr,      r->alpha,     r->pca_explained, r->warnings,    r->rank_median,
                      r->rank_lo,   r->rank_hi,   r->factor_name,   r->sensitivity, r->strength,
                      r->weakness,  r->sentence};
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++)
        sol__free(arrays[k]);
    sol__free(r);
}

static int streq(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* ---- validation: every check that needs no computation --------------------------------------- */

static sol_status check_weight(double w, double lo, double hi, const char *what, const char *name,
                               sol_error *err)
{
    if (!isnan(w) && (!(w >= 0) || !isfinite(w)))
        return sol__err(err, SOL_EINVAL, "%s \"%s\": weight %g is negative or not finite", what,
                        name, w);
    if (!isnan(lo) && (!(lo >= 0) || !(hi >= lo) || !isfinite(hi)))
        return sol__err(err, SOL_EINVAL,
                        "%s \"%s\": weight range [%g, %g] must be 0 <= low <= high", what, name, lo,
                        hi);
    return SOL_OK;
}

static sol_status build_prep(const sol_index_frame *f, const sol_index_spec *s, idx_prep *p,
                             sol_error *err)
{
    size_t m = s->n_ind;
    sol_strmap *groups = NULL;
    sol_status rc;
    memset(p, 0, sizeof *p);
    if (m == 0)
        return sol__err(err, SOL_EINVAL, "index spec: no indicators");
    if (f->n_rows == 0)
        return sol__err(err, SOL_EINVAL, "index: no data rows");
    p->m = m;
    p->minmax_lo = s->minmax_lo;
    p->minmax_hi = s->minmax_hi;
    p->ref_kind = s->ref_kind;
    rc = SOL_ENOMEM;
    if ((p->col = sol__malloc(m * sizeof *p->col)) == NULL ||
        (p->pol = sol__malloc(m * sizeof *p->pol)) == NULL ||
        (p->dim = sol__malloc(m * sizeof *p->dim)) == NULL ||
        (p->dmem = sol__malloc(m * sizeof *p->dmem)) == NULL ||
        (p->icode = sol__malloc(m * sizeof *p->icode)) == NULL ||
        (p->refval = sol__malloc(m * sizeof *p->refval)) == NULL ||
        (p->dname = sol__malloc((m + s->n_dim) * sizeof *p->dname)) == NULL ||
        (p->dstart = sol__calloc(m + s->n_dim + 1, sizeof *p->dstart)) == NULL)
        goto fail;
    /* Indicators: known column, polarity, weights. */
    for (size_t j = 0; j < m; j++) {
        const sol_index_ind *a = &s->ind[j];
        p->icode[j] = a->code;
        long c = -1;
        for (size_t k = 0; k < f->n_ind; k++)
            if (streq(f->ind_code[k], a->code))
                c = (long)k;
        if (c < 0) {
            rc = sol__err(err, SOL_ENOTFOUND,
                          "index spec: unknown indicator \"%s\" (not a column "
                          "of the data)",
                          a->code);
            goto fail;
        }
        for (size_t k = 0; k < j; k++)
            if (streq(s->ind[k].code, a->code)) {
                rc =
                    sol__err(err, SOL_EINVAL, "index spec: indicator \"%s\" listed twice", a->code);
                goto fail;
            }
        p->col[j] = (size_t)c;
        if (a->polarity != 1 && a->polarity != -1) {
            rc = sol__err(err, SOL_EINVAL,
                          "index spec: indicator \"%s\" has no polarity "
                          "(+1 higher is better, -1 higher is worse)",
                          a->code);
            goto fail;
        }
        if (a->polarity < 0 && s->norm == SOL_NORM_NONE) {
            rc = sol__err(err, SOL_EINVAL,
                          "index spec: indicator \"%s\" has polarity -1 but "
                          "normalisation \"none\" cannot reverse it",
                          a->code);
            goto fail;
        }
        p->pol[j] = a->polarity;
        if ((rc = check_weight(a->weight, a->w_lo, a->w_hi, "indicator", a->code, err)) != SOL_OK)
            goto fail;
        if (s->ind_weights == SOL_WEIGHT_HUMAN && isnan(a->weight)) {
            rc = sol__err(err, SOL_EINVAL,
                          "index spec: human weights asked but indicator \"%s\" "
                          "has none",
                          a->code);
            goto fail;
        }
    }
    /* Dimensions: declared first, then in order of first use. */
    size_t nd = 0;
    for (size_t d = 0; d < s->n_dim; d++) {
        for (size_t e = 0; e < d; e++)
            if (streq(s->dim[e].name, s->dim[d].name)) {
                rc = sol__err(err, SOL_EINVAL, "index spec: dimension \"%s\" declared twice",
                              s->dim[d].name);
                goto fail;
            }
        const sol_index_dim *dd = &s->dim[d];
        if ((rc = check_weight(dd->weight, dd->w_lo, dd->w_hi, "dimension", dd->name, err)) !=
            SOL_OK)
            goto fail;
        p->dname[nd++] = s->dim[d].name;
    }
    for (size_t j = 0; j < m; j++) {
        size_t d = 0;
        while (d < nd && !streq(p->dname[d], s->ind[j].dim))
            d++;
        if (d == nd)
            p->dname[nd++] = s->ind[j].dim;
        p->dim[j] = d;
    }
    p->nd = nd;
    size_t *cnt = p->dstart + 1;
    for (size_t j = 0; j < m; j++)
        cnt[p->dim[j]]++;
    for (size_t d = 0; d < nd; d++) {
        if (cnt[d] == 0) {
            rc = sol__err(err, SOL_EINVAL, "index spec: dimension \"%s\" has no indicators",
                          p->dname[d]);
            goto fail;
        }
        if (d < s->n_dim && s->dim_weights == SOL_WEIGHT_HUMAN && isnan(s->dim[d].weight)) {
            rc = sol__err(err, SOL_EINVAL,
                          "index spec: human dimension weights asked but "
                          "\"%s\" has none",
                          p->dname[d]);
            goto fail;
        }
        if (d >= s->n_dim && s->dim_weights == SOL_WEIGHT_HUMAN) {
            rc = sol__err(err, SOL_EINVAL,
                          "index spec: human dimension weights asked but "
                          "dimension \"%s\" is not declared with a weight",
                          p->dname[d]);
            goto fail;
        }
    }
    for (size_t d = 0; d < nd; d++)
        p->dstart[d + 1] += p->dstart[d];
    {
        size_t *fill = sol__malloc(nd * sizeof *fill);
        if (fill == NULL) {
            rc = SOL_ENOMEM;
            goto fail;
        }
        memcpy(fill, p->dstart, nd * sizeof *fill);
        for (size_t j = 0; j < m; j++)
            p->dmem[fill[p->dim[j]]++] = j;
        sol__free(fill);
    }
    if (s->ind_weights == SOL_WEIGHT_HUMAN)
        for (size_t d = 0; d < nd; d++) {
            double t = 0;
            for (size_t a = p->dstart[d]; a < p->dstart[d + 1]; a++)
                t += s->ind[p->dmem[a]].weight;
            if (!(t > 0)) {
                rc = sol__err(err, SOL_EINVAL,
                              "index spec: the weights of the indicators of "
                              "dimension \"%s\" are all zero",
                              p->dname[d]);
                goto fail;
            }
        }
    if (s->dim_weights == SOL_WEIGHT_HUMAN) {
        double t = 0;
        for (size_t d = 0; d < s->n_dim; d++)
            t += s->dim[d].weight;
        if (!(t > 0)) {
            rc = sol__err(err, SOL_EINVAL, "index spec: the dimension weights are all zero");
            goto fail;
        }
    }
    if ((s->agg == SOL_AGG_GEOM || s->mc_factors & SOL_MC_AGG) &&
        (s->norm == SOL_NORM_ZSCORE || (s->norm == SOL_NORM_MINMAX && s->minmax_lo <= 0))) {
        int geo = s->agg == SOL_AGG_GEOM;
        for (size_t k = 0; k < s->n_mc_agg && (s->mc_factors & SOL_MC_AGG); k++)
            geo |= s->mc_agg[k] == SOL_AGG_GEOM;
        if (geo) {
            rc = sol__err(err, SOL_EINVAL,
                          "index spec: geometric mean over non-positive values: "
                          "%s gives values <= 0 (use minmax_range [1, 100], mp or rank)",
                          sol_index_norm_name(s->norm));
            goto fail;
        }
    }
    /* Reference rows. */
    long refrow = -1;
    if (s->ref_kind == SOL_REF_AREA) {
        size_t hits = 0;
        for (size_t i = 0; i < f->n_rows; i++)
            if (streq(f->area[i], s->ref_area) &&
                (s->ref_period == NULL ||
                 (f->period != NULL && streq(f->period[i], s->ref_period)))) {
                refrow = (long)i;
                hits++;
            }
        if (hits == 0) {
            rc = sol__err(err, SOL_ENOTFOUND,
                          "index spec: reference area \"%s\"%s%s%s does not "
                          "exist in the data",
                          s->ref_area ? s->ref_area : "", s->ref_period ? " at period \"" : "",
                          s->ref_period ? s->ref_period : "", s->ref_period ? "\"" : "");
            goto fail;
        }
        if (hits > 1) {
            rc = sol__err(err, SOL_EINVAL,
                          "index spec: reference area \"%s\" has %zu rows; name "
                          "the period (AREA@PERIOD)",
                          s->ref_area, hits);
            goto fail;
        }
        for (size_t j = 0; j < m; j++) {
            p->refval[j] = f->x[(size_t)refrow * f->n_ind + p->col[j]];
            if (isnan(p->refval[j])) {
                rc = sol__err(err, SOL_EINVAL,
                              "index spec: reference area \"%s\" has no value "
                              "for \"%s\"",
                              s->ref_area, p->icode[j]);
                goto fail;
            }
        }
    } else {
        for (size_t j = 0; j < m; j++) {
            p->refval[j] = s->ind[j].ref;
            if (s->ref_kind == SOL_REF_VALUE && isnan(p->refval[j])) {
                rc = sol__err(err, SOL_EINVAL,
                              "index spec: reference \"value\" but indicator "
                              "\"%s\" has no \"ref\"",
                              p->icode[j]);
                goto fail;
            }
        }
    }
    /* Scored rows and their period groups. */
    rc = SOL_ENOMEM;
    if ((p->row = sol__malloc(f->n_rows * sizeof *p->row)) == NULL ||
        (p->group = sol__malloc(f->n_rows * sizeof *p->group)) == NULL ||
        (groups = sol__strmap_new(16)) == NULL)
        goto fail;
    for (size_t i = 0; i < f->n_rows; i++) {
        if (s->ref_kind == SOL_REF_AREA && streq(f->area[i], s->ref_area))
            continue;
        const char *per = f->period ? f->period[i] : "";
        int64_t g;
        if (!sol__strmap_get(groups, per, strlen(per), &g)) {
            g = (int64_t)p->n_groups++;
            if ((rc = sol__strmap_put(groups, per, strlen(per), g)) != SOL_OK)
                goto fail;
        }
        p->group[p->n] = (size_t)g;
        p->row[p->n++] = i;
    }
    if (p->n < 3) {
        rc = sol__err(err, SOL_EINVAL, "index: %zu rows to score; at least 3 are needed", p->n);
        goto fail;
    }
    if ((p->raw = sol__malloc(p->n * m * sizeof *p->raw)) == NULL) {
        rc = SOL_ENOMEM;
        goto fail;
    }
    for (size_t i = 0; i < p->n; i++)
        for (size_t j = 0; j < m; j++)
            p->raw[i * m + j] = f->x[p->row[i] * f->n_ind + p->col[j]];
    /* Missing values with no treatment, zero variance, non-positive values for "none". */
    for (size_t j = 0; j < m; j++) {
        double lo = INFINITY, hi = -INFINITY;
        size_t nobs = 0;
        for (size_t i = 0; i < p->n; i++) {
            double v = p->raw[i * m + j];
            if (isnan(v)) {
                if (s->missing == SOL_MISS_FAIL && !(s->mc_factors & SOL_MC_MISSING)) {
                    rc = sol__err(err, SOL_EINVAL,
                                  "index: \"%s\" is missing for area \"%s\"%s%s; "
                                  "choose a missing-value treatment",
                                  p->icode[j], f->area[p->row[i]], f->period ? " at " : "",
                                  f->period ? f->period[p->row[i]] : "");
                    goto fail;
                }
                continue;
            }
            nobs++;
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        if (nobs < 2 || !(hi > lo)) {
            rc = sol__err(err, SOL_EINVAL,
                          "index: indicator \"%s\" has zero variance (%zu "
                          "values, all equal): it cannot be normalised; drop it",
                          p->icode[j], nobs);
            goto fail;
        }
        if (s->norm == SOL_NORM_NONE && s->agg == SOL_AGG_GEOM && lo <= 0) {
            rc = sol__err(err, SOL_EINVAL,
                          "index: geometric mean over non-positive values: "
                          "\"%s\" has %g",
                          p->icode[j], lo);
            goto fail;
        }
    }
    sol__strmap_free(groups);
    return SOL_OK;
fail:
    sol__strmap_free(groups);
    sol__index_prep_free(p);
    return rc;
}

/* ---- weights --------------------------------------------------------------------------------- */

/* Indicator weights in dmem order (sum 1 per dimension) for the base run. */
static sol_status ind_weights(const idx_prep *p, const sol_index_spec *s, const double *z,
                              double *w, sol_error *err)
{
    sol_status rc = SOL_OK;
    for (size_t d = 0; d < p->nd && rc == SOL_OK; d++) {
        size_t a = p->dstart[d], k = p->dstart[d + 1] - a;
        if (s->ind_weights == SOL_WEIGHT_PCA || s->ind_weights == SOL_WEIGHT_FA) {
            rc = sol__index_data_weights(z, p->n, p->m, p->dmem + a, k, s->ind_weights, w + a, err);
            continue;
        }
        double t = 0;
        for (size_t u = 0; u < k; u++) {
            w[a + u] = s->ind_weights == SOL_WEIGHT_HUMAN ? s->ind[p->dmem[a + u]].weight : 1.0;
            t += w[a + u];
        }
        for (size_t u = 0; u < k; u++)
            w[a + u] /= t;
    }
    return rc;
}

static sol_status dim_weights(const idx_prep *p, const sol_index_spec *s, const double *dscore,
                              double *v, sol_error *err)
{
    if (p->nd > 1 && (s->dim_weights == SOL_WEIGHT_PCA || s->dim_weights == SOL_WEIGHT_FA))
        return sol__index_data_weights(dscore, p->n, p->nd, NULL, p->nd, s->dim_weights, v, err);
    double t = 0;
    for (size_t d = 0; d < p->nd; d++) {
        v[d] = s->dim_weights == SOL_WEIGHT_HUMAN ? s->dim[d].weight : 1.0;
        t += v[d];
    }
    for (size_t d = 0; d < p->nd; d++)
        v[d] /= t;
    return SOL_OK;
}

/* ---- checks and profile ---------------------------------------------------------------------- */

static sol_status add_warning(sol_index_result *r, sol_buf *b)
{
    char **w = sol__realloc(r->warnings, (r->n_warnings + 1) * sizeof *w);
    if (w == NULL)
        return SOL_ENOMEM;
    r->warnings = w;
    if ((w[r->n_warnings] = sol__strdup(b->data ? b->data : "")) == NULL)
        return SOL_ENOMEM;
    r->n_warnings++;
    return SOL_OK;
}

static double pearson(const double *a, const double *b, size_t n, size_t sa, size_t sb)
{
    double ma = 0, mb = 0, c = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(a[i * sa]) && !isnan(b[i * sb])) {
            ma += a[i * sa];
            mb += b[i * sb];
            k++;
        }
    if (k < 3)
        return NAN;
    ma /= (double)k;
    mb /= (double)k;
    double saa = 0, sbb = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(a[i * sa]) && !isnan(b[i * sb])) {
            double da = a[i * sa] - ma, db = b[i * sb] - mb;
            c += da * db;
            saa += da * da;
            sbb += db * db;
        }
    return c / sqrt(saa * sbb);
}

static sol_status run_checks(const idx_prep *p, const double *x, const double *z,
                             sol_index_result *r, sol_error *err)
{
    size_t n = p->n, m = p->m;
    sol_status rc = SOL_ENOMEM;
    double *sx = sol__malloc(n * m * sizeof *sx), *rest = sol__malloc(n * sizeof *rest);
    sol_buf b;
    sol__buf_init(&b, SOL_MAX_LABEL);
    if (sx == NULL || rest == NULL)
        goto done;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++)
            sx[i * m + j] = p->pol[j] * x[i * m + j];
    if ((rc = sol__index_corr(sx, n, m, m, r->corr, err)) != SOL_OK ||
        (rc = sol__index_pca_explained(sx, n, m, m, r->pca_explained, err)) != SOL_OK)
        goto done;
    for (size_t d = 0; d < p->nd; d++) {
        size_t a = p->dstart[d], k = p->dstart[d + 1] - a;
        r->alpha[d] = NAN;
        if (k < 2)
            continue;
        /* Cronbach's alpha on the normalised values, complete rows. */
        double sumvar = 0, mt = 0, vt = 0;
        size_t c = 0;
        for (size_t i = 0; i < n; i++) {
            double t = 0;
            for (size_t u = 0; u < k; u++)
                t += z[i * m + p->dmem[a + u]];
            rest[i] = t;
            if (!isnan(t)) {
                mt += t;
                c++;
            }
        }
        mt /= (double)c;
        for (size_t i = 0; i < n; i++)
            if (!isnan(rest[i]))
                vt += (rest[i] - mt) * (rest[i] - mt);
        for (size_t u = 0; u < k; u++) {
            size_t j = p->dmem[a + u];
            double mj = 0, vj = 0;
            for (size_t i = 0; i < n; i++)
                if (!isnan(rest[i]))
                    mj += z[i * m + j];
            mj /= (double)c;
            for (size_t i = 0; i < n; i++)
                if (!isnan(rest[i]))
                    vj += (z[i * m + j] - mj) * (z[i * m + j] - mj);
            sumvar += vj;
        }
        r->alpha[d] = (double)k / (double)(k - 1) * (1.0 - sumvar / vt);
        /* Wrong polarity: an indicator against the mean of the rest of its dimension. */
        for (size_t u = 0; u < k; u++) {
            size_t j = p->dmem[a + u];
            for (size_t i = 0; i < n; i++) {
                double t = 0;
                for (size_t o = 0; o < k; o++)
                    if (o != u)
                        t += z[i * m + p->dmem[a + o]];
                rest[i] = t;
            }
            double rho = pearson(z + j, rest, n, m, 1);
            if (rho < 0) {
                sol__buf_reset(&b);
                if ((rc = sol__buf_addf(&b,
                                        "indicator \"%s\" correlates negatively (r = %.2f) "
                                        "with the rest of dimension \"%s\": check its polarity",
                                        p->icode[j], rho, p->dname[d])) != SOL_OK ||
                    (rc = add_warning(r, &b)) != SOL_OK)
                    goto done;
            }
        }
    }
    for (size_t j = 0; j < m; j++)
        if (r->n_winsorised[j] > 0) {
            sol__buf_reset(&b);
            if ((rc = sol__buf_addf(&b,
                                    "indicator \"%s\": %zu value(s) winsorised (skewness "
                                    "%.2f, kurtosis %.2f)",
                                    p->icode[j], r->n_winsorised[j], r->skewness[j],
                                    r->kurtosis[j])) != SOL_OK ||
                (rc = add_warning(r, &b)) != SOL_OK)
                goto done;
        }
    rc = SOL_OK;
done:
    sol__buf_free(&b);
    sol__free(sx);
    sol__free(rest);
    return rc;
}

/* A rank as people of the language write a place: "3rd", "1er", "3e", "3º" (a tied, fractional
 * rank without a suffix in English: "3.5"). */
static void rank_text(sol_lang l, double r, char *buf, size_t n)
{
    long k = (long)r;
    char num[48];
    snprintf(num, sizeof num, "%g", r);
    if (l != SOL_LANG_EN)
        for (char *c = num; *c; c++)
            if (*c == '.')
                *c = sol_lang_decimal_mark(l);
    if (l == SOL_LANG_FR)
        snprintf(buf, n, "%s%s", num, (double)k == r && k == 1 ? "er" : "e");
    else if (l == SOL_LANG_IT)
        snprintf(buf, n, "%s\xC2\xBA", num); /* U+00BA MASCULINE ORDINAL INDICATOR */
    else if ((double)k != r)
        snprintf(buf, n, "%s", num);
    else
        snprintf(buf, n, "%s%s", num,
                 k % 100 >= 11 && k % 100 <= 13 ? "th"
                 : k % 10 == 1                  ? "st"
                 : k % 10 == 2                  ? "nd"
                 : k % 10 == 3                  ? "rd"
                                                : "th");
}

/* A number of a profile sentence: "%g", or "%.1f" / "%+.1f" with sign > 0, as English has
 * always written them; the language's decimal mark (and minus sign) in the others. */
static void num_text(sol_lang l, double x, int fixed1, int sign, char *buf, size_t n)
{
    if (l == SOL_LANG_EN) {
        if (!fixed1)
            snprintf(buf, n, "%g", x);
        else
            snprintf(buf, n, sign ? "%+.1f" : "%.1f", x);
        return;
    }
    char num[64];
    if (!fixed1) {
        snprintf(num, sizeof num, "%g", x);
        const char *dot = strchr(num, '.');
        sol_lang_number(l, x, dot && !strpbrk(num, "eE") ? (int)strlen(dot + 1) : 0, 1, num,
                        sizeof num);
    } else {
        sol_lang_number(l, x, 1, 1, num, sizeof num);
    }
    snprintf(buf, n, "%s%s", sign && x >= 0.05 ? "+" : "", num);
}

/* The sentence of a scored area, from one whole template per case (with or without the rank
 * interval; one dimension, or the strongest and weakest, or above or below the mean in every
 * dimension), so that each language keeps its own word order. */
static sol_status scored_sentence(sol_lang l, sol_buf *b, const char *who, const char *rank,
                                  size_t of, const char *score, const char *lo, const char *hi,
                                  int shape, const char *best, const char *zb, const char *worst,
                                  const char *zw)
{
    const int iv = lo != NULL;
    switch (shape) {
    case 1: /* strongest and weakest */
        if (iv)
            /* TRANSLATORS: area, its rank ("3rd"), areas ranked, score, the 90% rank interval,
               strongest dimension and its distance in sd, weakest and its distance */
            return sol__buf_addf(b,
                                 sol_lgettext(l, "%s ranks %s of %zu with a score of %s (90%% "
                                                 "rank interval %s to %s); its strongest "
                                                 "dimension is %s (%s sd from the mean) and its "
                                                 "weakest is %s (%s sd)."),
                                 who, rank, of, score, lo, hi, best, zb, worst, zw);
        return sol__buf_addf(b,
                             sol_lgettext(l, "%s ranks %s of %zu with a score of %s; its "
                                             "strongest dimension is %s (%s sd from the mean) "
                                             "and its weakest is %s (%s sd)."),
                             who, rank, of, score, best, zb, worst, zw);
    case 2: /* above the mean everywhere */
        if (iv)
            return sol__buf_addf(b,
                                 sol_lgettext(l, "%s ranks %s of %zu with a score of %s (90%% "
                                                 "rank interval %s to %s); it is above the mean "
                                                 "in every dimension, most in %s (%s sd)."),
                                 who, rank, of, score, lo, hi, best, zb);
        return sol__buf_addf(b,
                             sol_lgettext(l, "%s ranks %s of %zu with a score of %s; it is above "
                                             "the mean in every dimension, most in %s (%s sd)."),
                             who, rank, of, score, best, zb);
    case 3: /* below the mean everywhere */
        if (iv)
            return sol__buf_addf(b,
                                 sol_lgettext(l, "%s ranks %s of %zu with a score of %s (90%% "
                                                 "rank interval %s to %s); it is below the mean "
                                                 "in every dimension, most in %s (%s sd)."),
                                 who, rank, of, score, lo, hi, worst, zw);
        return sol__buf_addf(b,
                             sol_lgettext(l, "%s ranks %s of %zu with a score of %s; it is below "
                                             "the mean in every dimension, most in %s (%s sd)."),
                             who, rank, of, score, worst, zw);
    default:
        if (iv)
            return sol__buf_addf(b,
                                 sol_lgettext(l, "%s ranks %s of %zu with a score of %s (90%% "
                                                 "rank interval %s to %s)."),
                                 who, rank, of, score, lo, hi);
        return sol__buf_addf(b, sol_lgettext(l, "%s ranks %s of %zu with a score of %s."), who,
                             rank, of, score);
    }
}

static sol_status profile(const sol_index_frame *f, const idx_prep *p, sol_index_result *r)
{
    size_t n = p->n, nd = p->nd, G = p->n_groups;
    sol_status rc = SOL_ENOMEM;
    double *mu = sol__calloc(G * nd, sizeof *mu), *sd = sol__calloc(G * nd, sizeof *sd);
    size_t *cnt = sol__calloc(G * nd, sizeof *cnt), *gn = sol__calloc(G, sizeof *gn);
    sol_buf b;
    sol__buf_init(&b, SOL_MAX_LABEL);
    const sol_lang lang = sol_lang_current(); /* the sentences of the person who runs it */
    if (mu == NULL || sd == NULL || cnt == NULL || gn == NULL)
        goto done;
    for (size_t i = 0; i < n; i++) {
        gn[p->group[i]] += !isnan(r->score[i]);
        for (size_t d = 0; d < nd; d++) {
            double v = r->dim_score[i * nd + d];
            if (!isnan(v)) {
                mu[p->group[i] * nd + d] += v;
                cnt[p->group[i] * nd + d]++;
            }
        }
    }
    for (size_t k = 0; k < G * nd; k++)
        mu[k] /= (double)cnt[k];
    for (size_t i = 0; i < n; i++)
        for (size_t d = 0; d < nd; d++) {
            double v = r->dim_score[i * nd + d] - mu[p->group[i] * nd + d];
            if (!isnan(v))
                sd[p->group[i] * nd + d] += v * v;
        }
    for (size_t k = 0; k < G * nd; k++)
        sd[k] = cnt[k] > 1 ? sqrt(sd[k] / (double)(cnt[k] - 1)) : NAN;
    for (size_t i = 0; i < n; i++) {
        size_t g = p->group[i];
        long best = -1, worst = -1;
        double zb = 0, zw = 0;
        for (size_t d = 0; d < nd; d++) {
            double zz = (r->dim_score[i * nd + d] - mu[g * nd + d]) / sd[g * nd + d];
            if (!isfinite(zz))
                continue;
            if (zz > zb) {
                zb = zz;
                best = (long)d;
            }
            if (zz < zw) {
                zw = zz;
                worst = (long)d;
            }
        }
        r->strength[i] = best;
        r->weakness[i] = worst;
        sol__buf_reset(&b);
        const char *per = r->period ? r->period[i] : NULL;
        const char *nm = f->name != NULL ? f->name[r->row[i]] : NULL;
        char who[SOL_MAX_LABEL];
        /* "Name (code, period)" when there is a name, else "code (period)" */
        if (nm != NULL)
            snprintf(who, sizeof who, "%s (%s%s%s)", nm, r->area[i], per ? ", " : "",
                     per ? per : "");
        else
            snprintf(who, sizeof who, "%s%s%s%s", r->area[i], per ? " (" : "", per ? per : "",
                     per ? ")" : "");
        if (isnan(r->score[i])) {
            rc = sol__buf_addf(&b, sol_lgettext(lang, "%s has too few values to be scored."), who);
        } else {
            char rank[72], score[72], lo[72], hi[72], zbs[72], zws[72];
            rank_text(lang, r->rank[i], rank, sizeof rank);
            num_text(lang, r->score[i], 1, 0, score, sizeof score);
            const int iv = r->rank_lo != NULL && !isnan(r->rank_lo[i]);
            if (iv) {
                num_text(lang, r->rank_lo[i], 0, 0, lo, sizeof lo);
                num_text(lang, r->rank_hi[i], 0, 0, hi, sizeof hi);
            }
            num_text(lang, zb, 1, 1, zbs, sizeof zbs);
            num_text(lang, zw, 1, 1, zws, sizeof zws);
            int shape = nd == 1                   ? 0
                        : best >= 0 && worst >= 0 ? 1
                        : best >= 0               ? 2
                        : worst >= 0              ? 3
                                                  : 0;
            rc = scored_sentence(lang, &b, who, rank, gn[g], score, iv ? lo : NULL, hi, shape,
                                 best >= 0 ? p->dname[best] : "", zbs,
                                 worst >= 0 ? p->dname[worst] : "", zws);
        }
        if (rc != SOL_OK || (r->sentence[i] = sol__strdup(b.data)) == NULL) {
            rc = rc != SOL_OK ? rc : SOL_ENOMEM;
            goto done;
        }
    }
    rc = SOL_OK;
done:
    sol__buf_free(&b);
    sol__free_n(4, mu, sd, cnt, gn);
    return rc;
}

/* ---- the run --------------------------------------------------------------------------------- */

static sol_status alloc_result(const idx_prep *p, const sol_index_frame *f, sol_index_result **out)
{
    size_t n = p->n, m = p->m, nd = p->nd;
    sol_index_result *r = sol__calloc(1, sizeof *r);
    if (r == NULL)
        return SOL_ENOMEM;
    r->n_rows = n;
    r->n_dim = nd;
    r->n_ind = m;
    int ok = (r->row = sol__malloc(n * sizeof *r->row)) != NULL &&
             (r->area = sol__malloc(n * sizeof *r->area)) != NULL &&
             (f->period == NULL || (r->period = sol__malloc(n * sizeof *r->period)) != NULL) &&
             (r->score = sol__malloc(n * sizeof *r->score)) != NULL &&
             (r->rank = sol__malloc(n * sizeof *r->rank)) != NULL &&
             (r->dim_score = sol__malloc(n * nd * sizeof *r->dim_score)) != NULL &&
             (r->dim_name = sol__calloc(nd, sizeof *r->dim_name)) != NULL &&
             (r->dim_weight = sol__malloc(nd * sizeof *r->dim_weight)) != NULL &&
             (r->ind_weight = sol__malloc(m * sizeof *r->ind_weight)) != NULL &&
             (r->ind_dim = sol__malloc(m * sizeof *r->ind_dim)) != NULL &&
             (r->norm = sol__malloc(n * m * sizeof *r->norm)) != NULL &&
             (r->n_imputed = sol__calloc(n, sizeof *r->n_imputed)) != NULL &&
             (r->n_winsorised = sol__calloc(m, sizeof *r->n_winsorised)) != NULL &&
             (r->skewness = sol__malloc(m * sizeof *r->skewness)) != NULL &&
             (r->kurtosis = sol__malloc(m * sizeof *r->kurtosis)) != NULL &&
             (r->corr = sol__malloc(m * m * sizeof *r->corr)) != NULL &&
             (r->alpha = sol__malloc(nd * sizeof *r->alpha)) != NULL &&
             (r->pca_explained = sol__malloc(m * sizeof *r->pca_explained)) != NULL &&
             (r->strength = sol__malloc(n * sizeof *r->strength)) != NULL &&
             (r->weakness = sol__malloc(n * sizeof *r->weakness)) != NULL &&
             (r->sentence = sol__calloc(n, sizeof *r->sentence)) != NULL;
    for (size_t d = 0; ok && d < nd; d++)
        ok = (r->dim_name[d] = sol__strdup(p->dname[d])) != NULL;
    if (!ok) {
        sol_index_result_free(r);
        return SOL_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        r->row[i] = p->row[i];
        r->area[i] = f->area[p->row[i]];
        if (r->period)
            r->period[i] = f->period[p->row[i]];
    }
    for (size_t j = 0; j < m; j++)
        r->ind_dim[j] = p->dim[j];
    *out = r;
    return SOL_OK;
}

sol_status sol_index_run(const sol_index_frame *f, const sol_index_spec *s, sol_index_result **out,
                         sol_error *err)
{
    idx_prep p;
    sol_index_result *r = NULL;
    double *x = NULL, *w = NULL, *v = NULL;
    idx_pair *pairs = NULL;
    sol_status rc = build_prep(f, s, &p, err);
    if (rc != SOL_OK)
        return rc;
    size_t n = p.n, m = p.m, nd = p.nd;
    if ((rc = alloc_result(&p, f, &r)) != SOL_OK)
        goto fail;
    rc = SOL_ENOMEM;
    if ((x = sol__malloc(n * m * sizeof *x)) == NULL || (w = sol__malloc(m * sizeof *w)) == NULL ||
        (v = sol__malloc(nd * sizeof *v)) == NULL ||
        (pairs = sol__malloc(2 * n * sizeof *pairs)) == NULL)
        goto fail;
    /* Outliers (JRC rule), then missing values. */
    for (size_t j = 0; j < m; j++) {
        sol__index_moments(p.raw + j, n, m, &r->skewness[j], &r->kurtosis[j]);
        if (s->winsorise)
            r->n_winsorised[j] = sol__index_winsorise(&p, j);
    }
    if ((rc = sol__index_impute(&p, s->missing, x, r->n_imputed, err)) != SOL_OK ||
        (rc = sol__index_normalise(&p, s->norm, x, r->norm, err)) != SOL_OK)
        goto fail;
    if (s->agg == SOL_AGG_GEOM)
        for (size_t k = 0; k < n * m; k++)
            if (r->norm[k] <= 0) {
                rc = sol__err(err, SOL_EINVAL,
                              "index: geometric mean over non-positive values: "
                              "\"%s\" normalised by %s gives %g for area \"%s\"",
                              p.icode[k % m], sol_index_norm_name(s->norm), r->norm[k],
                              r->area[k / m]);
                goto fail;
            }
    /* Weights and aggregation. */
    if ((rc = ind_weights(&p, s, r->norm, w, err)) != SOL_OK)
        goto fail;
    for (size_t d = 0; d < nd; d++)
        v[d] = 1.0 / (double)nd;
    sol__index_aggregate(&p, s->agg, s->penalty, r->norm, NULL, w, v, r->dim_score, r->score, NULL);
    if ((rc = dim_weights(&p, s, r->dim_score, v, err)) != SOL_OK)
        goto fail;
    sol__index_aggregate(&p, s->agg, s->penalty, r->norm, NULL, w, v, r->dim_score, r->score, NULL);
    sol__index_rank(&p, r->score, r->rank, pairs);
    for (size_t a = 0; a < m; a++)
        r->ind_weight[p.dmem[a]] = w[a];
    memcpy(r->dim_weight, v, nd * sizeof *v);
    if ((rc = run_checks(&p, x, r->norm, r, err)) != SOL_OK)
        goto fail;
    if (s->mc_reps > 0 && (rc = sol__index_mc(&p, s, w, v, r->rank, r, err)) != SOL_OK)
        goto fail;
    if ((rc = profile(f, &p, r)) != SOL_OK)
        goto fail;
    sol__free_n(4, x, w, v, pairs);
    sol__index_prep_free(&p);
    *out = r;
    return SOL_OK;
fail:
    sol__free_n(4, x, w, v, pairs);
    sol__index_prep_free(&p);
    sol_index_result_free(r);
    return rc;
}
