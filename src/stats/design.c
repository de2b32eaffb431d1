/* design.c - design-based variance of linearised estimators: PSU totals of scores, centred within
 * strata, with-replacement (R survey's svyrecvar without fpc); lonely PSUs as the design says. */
#include "stats/stats_int.h"

#include "core/core.h"

#include <math.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <string.h>

void sol__design_free(sol__design_ws *w)
{
    if (w == NULL)
        return;
    if (w->owner) {
        sol__free(w->unit);
        sol__free(w->unit_str);
        sol__free(w->n_h);
    }
    sol__free_n(6, w->tot, w->seen, w->touched, w->s1, w->s2, w);
}

/* Hash of (stratum, psu) pairs to PSU numbers: open addressing over 64-bit keys. */
static sol_status number_units(sol__design_ws *w, const sol_design *d)
{
    size_t cap = 16;
    while (cap < 2 * (d->n_psu + 1))
        cap *= 2;
    uint64_t *keys = sol__malloc(cap * sizeof *keys);
    uint32_t *vals = sol__malloc(cap * sizeof *vals);
    sol_status rc = SOL_ENOMEM;
    if (keys == NULL || vals == NULL)
        goto done;
    memset(keys, 0xff, cap * sizeof *keys);
    size_t nu = 0, cap_u = 1024;
    uint32_t *ustr = sol__malloc(cap_u * sizeof *ustr);
    if (ustr == NULL)
        goto done;
    for (size_t i = 0; i < d->n; i++) {
        uint32_t h = d->strata ? d->strata[i] : 0;
        uint64_t key = ((uint64_t)h << 32) | d->psu[i];
        size_t slot = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
        while (keys[slot] != UINT64_MAX && keys[slot] != key)
            slot = (slot + 1) & (cap - 1);
        if (keys[slot] == UINT64_MAX) {
            if (nu + 1 >= cap / 2) { /* more pairs than PSU codes: grow the table */
                size_t ncap = cap * 2;
                uint64_t *nk = sol__malloc(ncap * sizeof *nk);
                uint32_t *nv = sol__malloc(ncap * sizeof *nv);
                if (nk == NULL || nv == NULL) {
                    sol__free(nk);
                    sol__free(nv);
                    sol__free(ustr);
                    goto done;
                }
                memset(nk, 0xff, ncap * sizeof *nk);
                for (size_t s = 0; s < cap; s++) {
                    if (keys[s] == UINT64_MAX)
                        continue;
                    size_t t = (size_t)((keys[s] * 0x9E3779B97F4A7C15ull) >> 20) & (ncap - 1);
                    while (nk[t] != UINT64_MAX)
                        t = (t + 1) & (ncap - 1);
                    nk[t] = keys[s];
                    nv[t] = vals[s];
                }
                sol__free(keys);
                sol__free(vals);
                keys = nk;
                vals = nv;
                cap = ncap;
                slot = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
                while (keys[slot] != UINT64_MAX)
                    slot = (slot + 1) & (cap - 1);
            }
            if (nu == cap_u) {
                uint32_t *p = sol__realloc(ustr, 2 * cap_u * sizeof *p);
                if (p == NULL) {
                    sol__free(ustr);
                    goto done;
                }
                ustr = p;
                cap_u *= 2;
            }
            keys[slot] = key;
            vals[slot] = (uint32_t)nu;
            ustr[nu++] = h;
        }
        w->unit[i] = vals[slot];
    }
    w->unit_str = ustr;
    w->n_units = nu;
    rc = SOL_OK;
done:
    sol__free(keys);
    sol__free(vals);
    return rc;
}

sol_status sol__design_new(const sol_design *d, size_t k, sol__design_ws **out, sol_error *err)
{
    sol__design_ws *w = sol__calloc(1, sizeof *w);
    sol_status rc = SOL_ENOMEM;
    if (w == NULL)
        goto fail;
    w->d = d;
    w->k = k;
    w->owner = 1;
    w->n_strata = d->strata ? d->n_strata : 1;
    if (w->n_strata == 0)
        w->n_strata = 1;
    if ((w->n_h = sol__calloc(w->n_strata, sizeof *w->n_h)) == NULL ||
        (w->s1 = sol__calloc(w->n_strata * k, sizeof *w->s1)) == NULL ||
        (w->s2 = sol__calloc(w->n_strata * k, sizeof *w->s2)) == NULL)
        goto fail;
    if (d->psu) {
        if ((w->unit = sol__malloc((d->n ? d->n : 1) * sizeof *w->unit)) == NULL ||
            number_units(w, d) != SOL_OK)
            goto fail;
        for (size_t u = 0; u < w->n_units; u++)
            w->n_h[w->unit_str[u]] += 1;
        if ((w->tot = sol__calloc(w->n_units * k + 1, sizeof *w->tot)) == NULL ||
            (w->seen = sol__calloc(w->n_units + 1, 1)) == NULL ||
            (w->touched = sol__malloc((w->n_units + 1) * sizeof *w->touched)) == NULL)
            goto fail;
    } else {
        w->n_units = d->n;
        for (size_t i = 0; i < d->n; i++)
            w->n_h[d->strata ? d->strata[i] : 0] += 1;
    }
    for (size_t h = 0; h < w->n_strata; h++) {
        if (w->n_h[h] != 1)
            continue;
        w->lonely++;
        if (d->lonely == SOL_LONELY_FAIL) {
            const char *nm = d->strata_names && d->strata ? d->strata_names[h] : "(all)";
            rc = sol__err(err, SOL_EINVAL,
                          "stratum '%s' has a single PSU, so its variance cannot be estimated; "
                          "collapse it with a neighbour or choose --lonely-psu adjust|remove",
                          nm);
            goto fail;
        }
    }
    *out = w;
    return SOL_OK;
fail:
    if (rc == SOL_ENOMEM)
        sol__err(err, rc, "out of memory");
    sol__design_free(w);
    return rc;
}

static void add_unit(sol__design_ws *w, uint32_t h, const double *t)
{
    size_t k = w->k;
    for (size_t s = 0; s < k; s++) {
        w->s1[h * k + s] += t[s];
        w->s2[h * k + s] += t[s] * t[s];
    }
}

void sol__design_var_begin(sol__design_ws *w)
{
    memset(w->s1, 0, w->n_strata * w->k * sizeof *w->s1);
    memset(w->s2, 0, w->n_strata * w->k * sizeof *w->s2);
    w->nt = 0;
}

void sol__design_var_add(sol__design_ws *w, const uint32_t *rows, size_t m, const double *z)
{
    const sol_design *d = w->d;
    size_t k = w->k;
    if (w->unit) {
        for (size_t j = 0; j < m; j++) {
            uint32_t u = w->unit[rows[j]];
            if (!w->seen[u]) {
                w->seen[u] = 1;
                w->touched[w->nt++] = u;
            }
            for (size_t s = 0; s < k; s++)
                w->tot[(size_t)u * k + s] += z[j * k + s];
        }
    } else {
        for (size_t j = 0; j < m; j++)
            add_unit(w, d->strata ? d->strata[rows[j]] : 0, &z[j * k]);
    }
}

void sol__design_var_end(sol__design_ws *w, double *var)
{
    const sol_design *d = w->d;
    size_t k = w->k;
    if (w->unit) {
        for (size_t t = 0; t < w->nt; t++) {
            uint32_t u = w->touched[t];
            add_unit(w, w->unit_str[u], &w->tot[(size_t)u * k]);
            memset(&w->tot[(size_t)u * k], 0, k * sizeof *w->tot);
            w->seen[u] = 0;
        }
        w->nt = 0;
    }
    for (size_t s = 0; s < k; s++) {
        /* "adjust" centres a lonely PSU at the mean PSU total of the whole design, as R survey
         * >= 4.2 does (onestage's recentering: the sum over every stratum / every PSU); it is
         * not 0 for every linearised variable (the ARPR's with the line's variance) */
        double g = 0;
        if (d->lonely == SOL_LONELY_ADJUST && w->lonely > 0) {
            double sum = 0, units = 0;
            for (size_t h = 0; h < w->n_strata; h++) {
                sum += w->s1[h * k + s];
                units += w->n_h[h];
            }
            g = units > 0 ? sum / units : 0;
        }
        double v = 0;
        for (size_t h = 0; h < w->n_strata; h++) {
            double nh = w->n_h[h], s1 = w->s1[h * k + s], s2 = w->s2[h * k + s];
            if (nh > 1)
                v += nh / (nh - 1) * (s2 - s1 * s1 / nh);
            else if (nh == 1 && d->lonely == SOL_LONELY_ADJUST)
                v += s2 - 2 * g * s1 + g * g;
        }
        var[s] = v > 0 ? v : 0;
    }
}

sol_status sol__design_centred_units_take(const sol__design_ws *w, double *z, double **bc,
                                          double *var)
{
    const sol_design *d = w->d;
    size_t nu = w->n_units;
    /* without PSUs each row is its unit: the unit totals are z itself (0 + z_i is z_i) */
    double *t = w->unit ? sol__calloc(nu ? nu : 1, sizeof *t) : z;
    double *mean = sol__calloc(w->n_strata, sizeof *mean);
    if (t == NULL || mean == NULL) {
        if (t != z)
            sol__free(t);
        sol__free_n(2, z, mean);
        return SOL_ENOMEM;
    }
    if (t != z) {
        for (size_t i = 0; i < d->n; i++)
            t[sol__design_unit(w, i)] += z[i];
        sol__free(z);
    }
#define STRATUM(u) (w->unit ? w->unit_str[u] : d->strata ? d->strata[u] : 0)
    for (size_t u = 0; u < nu; u++)
        mean[STRATUM(u)] += t[u];
    double grand = 0; /* the mean PSU total of the whole design: where "adjust" centres a lonely
                         PSU (R survey >= 4.2) */
    for (size_t h = 0; h < w->n_strata; h++)
        grand += mean[h];
    grand = nu > 0 ? grand / (double)nu : 0;
    for (size_t h = 0; h < w->n_strata; h++)
        mean[h] = w->n_h[h] > 0 ? mean[h] / w->n_h[h] : 0;
    double v = 0;
    for (size_t u = 0; u < nu; u++) {
        size_t h = STRATUM(u);
        double nh = w->n_h[h], f = 0, c = 0;
        if (nh > 1) {
            f = nh / (nh - 1);
            c = mean[h];
        } else if (d->lonely == SOL_LONELY_ADJUST) {
            f = 1;
            c = grand;
        }
        v += f * (t[u] - c) * (t[u] - c);
        t[u] = f * (t[u] - c);
    }
#undef STRATUM
    sol__free(mean);
    *bc = t;
    *var = v;
    return SOL_OK;
}

void sol__design_var(sol__design_ws *w, const uint32_t *rows, size_t m, const double *z,
                     double *var)
{
    sol__design_var_begin(w);
    sol__design_var_add(w, rows, m, z);
    sol__design_var_end(w, var);
}

sol_status sol__design_clone(const sol__design_ws *w, sol__design_ws **out)
{
    sol__design_ws *c = sol__calloc(1, sizeof *c);
    if (c == NULL)
        return SOL_ENOMEM;
    *c = *w;
    c->owner = 0;
    c->tot = NULL;
    c->seen = NULL;
    c->touched = NULL;
    c->s1 = c->s2 = NULL;
    size_t k = w->k;
    if ((c->s1 = sol__calloc(w->n_strata * k, sizeof *c->s1)) == NULL ||
        (c->s2 = sol__calloc(w->n_strata * k, sizeof *c->s2)) == NULL ||
        (w->unit && ((c->tot = sol__calloc(w->n_units * k + 1, sizeof *c->tot)) == NULL ||
                     (c->seen = sol__calloc(w->n_units + 1, 1)) == NULL ||
                     (c->touched = sol__malloc((w->n_units + 1) * sizeof *c->touched)) == NULL))) {
        sol__design_free(c);
        return SOL_ENOMEM;
    }
    *out = c;
    return SOL_OK;
}

static uint64_t sort_key(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return (u >> 63) ? ~u : (u | (1ull << 63));
}

/* Stable LSD radix sort, 16-bit digits. Each thread counts and scatters its own contiguous block,
 * offsets taken digit-major then thread-minor, so the (unique) stable order comes out whatever
 * the number of threads. */
sol_status sol__items_sort(sol__item *a, sol__item *tmp, size_t n)
{
    sol__item *src = a, *dst = tmp;
    int nth = 1;
#ifdef _OPENMP
    nth = n >= ((size_t)1 << 17) ? omp_get_max_threads() : 1;
#endif
    size_t *count = sol__malloc((size_t)nth * (1u << 16) * sizeof *count);
    if (count == NULL)
        return SOL_ENOMEM;
    for (unsigned pass = 0; pass < 4; pass++) {
        unsigned shift = 16 * pass;
        int trivial = 0;
#pragma omp parallel num_threads(nth)
        {
            int t = 0, nt = 1;
#ifdef _OPENMP
            t = omp_get_thread_num();
            nt = omp_get_num_threads();
#endif
            size_t lo = n * (size_t)t / (size_t)nt, hi = n * (size_t)(t + 1) / (size_t)nt;
            size_t *c = count + (size_t)t * (1u << 16);
            memset(c, 0, (1u << 16) * sizeof *c);
            for (size_t i = lo; i < hi; i++)
                c[(sort_key(src[i].x) >> shift) & 0xffff]++;
#pragma omp barrier
#pragma omp single
            {
                size_t sum = 0;
                for (size_t b = 0; b < (1u << 16); b++) {
                    size_t tot = 0;
                    for (int u = 0; u < nt; u++) {
                        size_t v = count[(size_t)u * (1u << 16) + b];
                        count[(size_t)u * (1u << 16) + b] = sum;
                        sum += v;
                        tot += v;
                    }
                    if (tot == n)
                        trivial = 1;
                }
            }
            if (!trivial)
                for (size_t i = lo; i < hi; i++)
                    dst[c[(sort_key(src[i].x) >> shift) & 0xffff]++] = src[i];
        }
        if (trivial)
            continue;
        sol__item *sw = src;
        src = dst;
        dst = sw;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
    sol__free(count);
    return SOL_OK;
}
