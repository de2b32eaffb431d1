/* mpi.c - Alkire-Foster multidimensional poverty: JSON spec (cut-offs, nested weights, k),
 * H, A, M0, uncensored/censored headcounts, contributions, groups, linearised SEs. */
#include <solidata/stats.h>

#include <solidata/csv.h>
#include <solidata/limits.h>

#include "core/core.h"
#include "stats/stats_int.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define K_TOL 1e-9

void sol_mpi_spec_free(sol_mpi_spec *s)
{
    if (s == NULL)
        return;
    for (size_t j = 0; j < s->n; j++) {
        sol__free(s->ind[j].column);
        sol__free(s->ind[j].dimension);
    }
    sol__free(s->ind);
    sol__free(s);
}

static int parse_op(const char *s, sol_mpi_op *op, double *cut)
{
    static const struct {
        const char *t;
        sol_mpi_op op;
    } ops[] = {{"==", SOL_MPI_EQ}, {"!=", SOL_MPI_NE}, {"<=", SOL_MPI_LE},
               {">=", SOL_MPI_GE}, {"<", SOL_MPI_LT},  {">", SOL_MPI_GT}};
    while (*s == ' ')
        s++;
    for (size_t k = 0; k < sizeof ops / sizeof *ops; k++) {
        size_t n = strlen(ops[k].t);
        if (strncmp(s, ops[k].t, n) == 0) {
            const char *v = s + n;
            if (sol_parse_number(v, strlen(v), 0, cut) != SOL_OK)
                return -1;
            *op = ops[k].op;
            return 0;
        }
    }
    return -1;
}

sol_status sol_mpi_spec_parse(const char *json, size_t len, const char *name, sol_mpi_spec **out,
                              sol_error *err)
{
    if (len > SOL_MAX_MPI_SPEC)
        return sol__err_at(err, SOL_ELIMIT, name, 0, 0, "spec larger than %u bytes",
                           SOL_MAX_MPI_SPEC);
    json_error_t je;
    json_t *root = json_loadb(json, len, 0, &je);
    if (root == NULL)
        return sol__err_at(err, SOL_EPARSE, name, (unsigned long)je.line, (unsigned long)je.column,
                           "not JSON: %s", je.text);
    sol_status rc = SOL_EINVAL;
    sol_mpi_spec *s = sol__calloc(1, sizeof *s);
    json_t *inds = json_object_get(root, "indicators"), *dims = json_object_get(root, "dimensions");
    json_t *k = json_object_get(root, "k");
    if (s == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    if (!json_is_object(root) || !json_is_number(k) || !json_is_array(inds) ||
        json_array_size(inds) == 0) {
        rc = sol__err_at(err, SOL_EINVAL, name, 0, 0,
                         "the spec needs \"k\" (a number) and \"indicators\" (a non-empty array)");
        goto fail;
    }
    s->k = json_number_value(k);
    if (!(s->k > 0 && s->k <= 1)) {
        rc = sol__err_at(err, SOL_EINVAL, name, 0, 0, "k must be in (0, 1], got %g", s->k);
        goto fail;
    }
    size_t n = json_array_size(inds);
    if (n > SOL_MAX_MPI_INDICATORS) {
        rc = sol__err_at(err, SOL_ELIMIT, name, 0, 0, "more than %u indicators",
                         SOL_MAX_MPI_INDICATORS);
        goto fail;
    }
    if ((s->ind = sol__calloc(n, sizeof *s->ind)) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    s->n = n;
    for (size_t j = 0; j < n; j++) {
        json_t *it = json_array_get(inds, j);
        const char *col = json_string_value(json_object_get(it, "column"));
        const char *dim = json_string_value(json_object_get(it, "dimension"));
        const char *dep = json_string_value(json_object_get(it, "deprived_if"));
        json_t *w = json_object_get(it, "weight");
        if (col == NULL || dep == NULL) {
            rc = sol__err_at(err, SOL_EINVAL, name, 0, 0,
                             "indicator %zu needs \"column\" and \"deprived_if\"", j + 1);
            goto fail;
        }
        if (parse_op(dep, &s->ind[j].op, &s->ind[j].cutoff) != 0) {
            rc = sol__err_at(err, SOL_EINVAL, name, 0, 0,
                             "indicator '%s': deprived_if \"%s\" is not an operator (== != < <= > "
                             ">=) and a number",
                             col, dep);
            goto fail;
        }
        if ((s->ind[j].column = sol__strdup(col)) == NULL ||
            (s->ind[j].dimension = sol__strdup(dim ? dim : col)) == NULL) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto fail;
        }
        if (w && !json_is_number(w)) {
            rc = sol__err_at(err, SOL_EINVAL, name, 0, 0, "indicator '%s': weight is not a number",
                             col);
            goto fail;
        }
        s->ind[j].weight = w ? json_number_value(w) : NAN;
        if (w && !(s->ind[j].weight > 0)) {
            rc = sol__err_at(err, SOL_EINVAL, name, 0, 0, "indicator '%s': weight must be positive",
                             col);
            goto fail;
        }
        if (!w && !dims) {
            rc = sol__err_at(err, SOL_EINVAL, name, 0, 0,
                             "indicator '%s' has no weight (and no \"dimensions\" to nest it in)",
                             col);
            goto fail;
        }
    }
    if (dims) { /* nested: relative weights within each dimension's weight */
        if (!json_is_array(dims)) {
            rc = sol__err_at(err, SOL_EINVAL, name, 0, 0, "\"dimensions\" must be an array");
            goto fail;
        }
        if (n > SOL_MAX_MPI_INDICATORS)
            goto fail;
        double rel[SOL_MAX_MPI_INDICATORS];
        for (size_t j = 0; j < n; j++)
            rel[j] = s->ind[j].weight;
        for (size_t j = 0; j < n; j++) {
            double dw = NAN;
            for (size_t q = 0; q < json_array_size(dims); q++) {
                json_t *dm = json_array_get(dims, q);
                const char *dn = json_string_value(json_object_get(dm, "name"));
                if (dn && strcmp(dn, s->ind[j].dimension) == 0)
                    dw = json_number_value(json_object_get(dm, "weight"));
            }
            if (!(dw > 0)) {
                rc = sol__err_at(err, SOL_EINVAL, name, 0, 0,
                                 "indicator '%s': its dimension '%s' has no positive weight in "
                                 "\"dimensions\"",
                                 s->ind[j].column, s->ind[j].dimension);
                goto fail;
            }
            double tot = 0;
            size_t cnt = 0, unweighted = 0;
            for (size_t q = 0; q < n; q++) {
                if (strcmp(s->ind[q].dimension, s->ind[j].dimension) != 0)
                    continue;
                cnt++;
                if (isnan(rel[q]))
                    unweighted++;
                else
                    tot += rel[q];
            }
            if (unweighted && unweighted != cnt) {
                rc = sol__err_at(err, SOL_EINVAL, name, 0, 0,
                                 "dimension '%s': give a weight to all of its indicators or none",
                                 s->ind[j].dimension);
                goto fail;
            }
            s->ind[j].weight = unweighted ? dw / (double)cnt : rel[j] / tot * dw;
        }
    }
    double sum = 0;
    for (size_t j = 0; j < n; j++)
        sum += s->ind[j].weight;
    if (fabs(sum - 1) > 1e-9) {
        rc = sol__err_at(err, SOL_EINVAL, name, 0, 0, "the indicator weights sum to %.17g, not 1",
                         sum);
        goto fail;
    }
    json_decref(root);
    *out = s;
    return SOL_OK;
fail:
    json_decref(root);
    sol_mpi_spec_free(s);
    return rc;
}

void sol_mpi_result_free(sol_mpi_result *r)
{
    if (r == NULL)
        return;
    sol__free(r->ind);
    sol__free(r->groups);
    sol__free(r);
}

#define MPI_BLOCK 4096 /* persons per block of linearised scores */

static int deprived(sol_mpi_op op, double x, double c)
{
    switch (op) {
    case SOL_MPI_EQ: return x == c;
    case SOL_MPI_NE: return x != c;
    case SOL_MPI_LT: return x < c;
    case SOL_MPI_LE: return x <= c;
    case SOL_MPI_GT: return x > c;
    case SOL_MPI_GE: return x >= c;
    }
    return 0;
}

sol_status sol_mpi_estimate(const sol_mpi_spec *spec, const double *const *values,
                            const sol_design *d, const uint32_t *group, size_t n_groups,
                            const char *const *group_names, sol_mpi_result **out, sol_error *err)
{
    size_t n = d->n, J = spec->n, G = group ? n_groups : 0;
    if (n == 0)
        return sol__err(err, SOL_EINVAL, "no persons");
    for (size_t i = 0; i < n; i++) {
        if (d->weight && (!(d->weight[i] >= 0) || !isfinite(d->weight[i])))
            return sol__err(err, SOL_EINVAL, "weight of row %zu is negative or missing", i + 1);
        for (size_t j = 0; j < J; j++)
            if (!isfinite(values[j][i]))
                return sol__err(err, SOL_EINVAL, "indicator '%s' is missing in row %zu",
                                spec->ind[j].column, i + 1);
        if (group && group[i] >= n_groups)
            return sol__err(err, SOL_EINVAL, "group of row %zu out of range", i + 1);
    }
    sol_status rc = SOL_ENOMEM;
    sol_mpi_result *r = sol__calloc(1, sizeof *r);
    double *c = NULL, *z = NULL, *gw = NULL, *gq = NULL, *gs = NULL;
    uint32_t *rows = NULL;
    size_t *gn = NULL;
    sol__design_ws *dw = NULL;
    if (r == NULL || (r->ind = sol__calloc(J, sizeof *r->ind)) == NULL ||
        (r->groups = sol__calloc(G + 1, sizeof *r->groups)) == NULL ||
        (c = sol__malloc(n * sizeof *c)) == NULL ||
        (z = sol__malloc(3 * MPI_BLOCK * sizeof *z)) == NULL ||
        (rows = sol__malloc(MPI_BLOCK * sizeof *rows)) == NULL ||
        (gw = sol__calloc(G + 1, sizeof *gw)) == NULL ||
        (gq = sol__calloc(G + 1, sizeof *gq)) == NULL ||
        (gs = sol__calloc(G + 1, sizeof *gs)) == NULL ||
        (gn = sol__calloc(G + 1, sizeof *gn)) == NULL)
        goto fail;
    double W = 0, Q = 0, S = 0;
    for (size_t i = 0; i < n; i++) {
        double wi = d->weight ? d->weight[i] : 1, ci = 0;
        for (size_t j = 0; j < J; j++)
            if (deprived(spec->ind[j].op, values[j][i], spec->ind[j].cutoff))
                ci += spec->ind[j].weight;
        int poor = ci >= spec->k - K_TOL;
        c[i] = poor ? ci : 0; /* censored score */
        W += wi;
        Q += poor ? wi : 0;
        S += wi * c[i];
        for (size_t j = 0; j < J; j++)
            if (deprived(spec->ind[j].op, values[j][i], spec->ind[j].cutoff)) {
                r->ind[j].uncensored_headcount += wi;
                if (poor)
                    r->ind[j].censored_headcount += wi;
            }
        if (group) {
            gw[group[i]] += wi;
            gq[group[i]] += poor ? wi : 0;
            gs[group[i]] += wi * c[i];
            gn[group[i]]++;
        }
    }
    if (!(W > 0)) {
        rc = sol__err(err, SOL_EINVAL, "the weights sum to zero");
        goto fail;
    }
    r->n = n;
    r->weighted_n = W;
    r->q = Q;
    r->H = Q / W;
    r->M0 = S / W;
    r->A = Q > 0 ? S / Q : 0;
    r->n_ind = J;
    for (size_t j = 0; j < J; j++) {
        r->ind[j].uncensored_headcount /= W;
        r->ind[j].censored_headcount /= W;
        r->ind[j].contribution =
            r->M0 > 0 ? spec->ind[j].weight * r->ind[j].censored_headcount / r->M0 : 0;
    }
    r->n_groups = G;
    for (size_t g = 0; g < G; g++) {
        sol_mpi_group *o = &r->groups[g];
        o->group = group_names ? group_names[g] : "";
        o->n = gn[g];
        o->weighted_n = gw[g];
        o->H = gw[g] > 0 ? gq[g] / gw[g] : NAN;
        o->M0 = gw[g] > 0 ? gs[g] / gw[g] : NAN;
        o->A = gq[g] > 0 ? gs[g] / gq[g] : 0;
        o->contribution = r->M0 > 0 ? gw[g] / W * o->M0 / r->M0 : 0;
    }
    /* SEs: H and M0 are means, A = S/Q a ratio (linearised (c_i - A 1[poor]) / Q) */
    sol_design dd = *d;
    double *ones = NULL;
    if (dd.weight == NULL) {
        if ((ones = sol__malloc(n * sizeof *ones)) == NULL)
            goto fail;
        for (size_t i = 0; i < n; i++)
            ones[i] = 1;
        dd.weight = ones;
    }
    if ((rc = sol__design_new(&dd, 3, &dw, err)) != SOL_OK) {
        sol__free(ones);
        goto fail;
    }
    /* scores a block at a time (the sums run in row order whatever the block size), so no
     * 3-doubles-per-person array is filled for them */
    sol__design_var_begin(dw);
    for (size_t i0 = 0; i0 < n; i0 += MPI_BLOCK) {
        size_t nb = n - i0 < MPI_BLOCK ? n - i0 : MPI_BLOCK;
        for (size_t b = 0; b < nb; b++) {
            size_t i = i0 + b;
            double wi = dd.weight[i], poor = c[i] > 0 ? 1 : 0;
            rows[b] = (uint32_t)i;
            z[3 * b + 0] = wi * (poor - r->H) / W;
            z[3 * b + 1] = Q > 0 ? wi * (c[i] - r->A * poor) / Q : 0;
            z[3 * b + 2] = wi * (c[i] - r->M0) / W;
        }
        sol__design_var_add(dw, rows, nb, z);
    }
    double var[3];
    sol__design_var_end(dw, var);
    sol__free(ones);
    r->H_se = sqrt(var[0]);
    r->A_se = sqrt(var[1]);
    r->M0_se = sqrt(var[2]);
    *out = r;
    r = NULL;
    rc = SOL_OK;
fail: /* and the cleanup after success */
    if (rc == SOL_ENOMEM)
        sol__err(err, rc, "out of memory");
    sol__design_free(dw);
    sol__free_n(7, c, z, rows, gw, gq, gs, gn);
    sol_mpi_result_free(r);
    return rc;
}
