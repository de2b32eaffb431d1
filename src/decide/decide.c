/* decide.c - rank options (weighted sum on min-max scaled criteria, TOPSIS) and allocate a budget
 * as a 0/1 integer programme with GLPK, with the reasons: why each choice, which constraints
 * bind, and how far each dimension weight can move before the choice changes. */
#include <solidata/decide.h>

#include "core/core.h"

#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

size_t sol_prioritise_ncriteria(const sol_options *o)
{
    return o->n_dims + 3;
}

const char *sol_prioritise_criterion(const sol_options *o, size_t i)
{
    if (i < o->n_dims)
        return o->dims[i];
    static const char *fixed[] = {"reach", "groups", "cost"};
    return i - o->n_dims < 3 ? fixed[i - o->n_dims] : NULL;
}

sol_status sol_prioritise_weights_parse(const sol_options *o, const char *spec, double *w,
                                        sol_error *err)
{
    size_t C = sol_prioritise_ncriteria(o);
    for (size_t i = 0; i < C; i++)
        w[i] = 0;
    const char *p = spec;
    double sum = 0;
    while (*p) {
        const char *e = strchr(p, ','), *eq = strchr(p, '=');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (eq == NULL || eq > p + len)
            return sol__err(err, SOL_EINVAL, "weights are name=value pairs, found '%.*s'", (int)len,
                            p);
        size_t nl = (size_t)(eq - p);
        long at = -1;
        for (size_t i = 0; i < C; i++)
            if (strlen(sol_prioritise_criterion(o, i)) == nl &&
                strncmp(sol_prioritise_criterion(o, i), p, nl) == 0)
                at = (long)i;
        if (at < 0) {
            sol_buf b;
            sol__buf_init(&b, 2048);
            for (size_t i = 0; i < C; i++)
                (void)sol__buf_addf(&b, "%s%s", i ? ", " : "", sol_prioritise_criterion(o, i));
            sol_status rc = sol__err(err, SOL_EINVAL, "unknown criterion '%.*s' (criteria: %s)",
                                     (int)nl, p, b.data ? b.data : "");
            sol__buf_free(&b);
            return rc;
        }
        char num[64];
        size_t vl = len - nl - 1;
        if (vl == 0 || vl >= sizeof num)
            return sol__err(err, SOL_EINVAL, "weight of '%.*s' is not a number", (int)nl, p);
        memcpy(num, eq + 1, vl);
        num[vl] = '\0';
        double v;
        if (sol__parse_double(num, vl, 0, &v) != SOL_OK)
            return sol__err(err, SOL_EINVAL, "weight of '%.*s' is not a number: '%s'", (int)nl, p,
                            num);
        if (v < 0)
            return sol__err(err, SOL_EINVAL, "weight of '%.*s' is negative (%g)", (int)nl, p, v);
        w[at] = v;
        sum += v;
        if (!e)
            break;
        p = e + 1;
    }
    if (!(sum > 0))
        return sol__err(err, SOL_EINVAL,
                        "the weights sum to %g: they must sum to a positive number", sum);
    return SOL_OK;
}

static double need_of(const sol_options *o, const char *area)
{
    for (size_t i = 0; i < o->n_need; i++)
        if (strcmp(o->need_area[i], area) == 0)
            return o->need[i];
    return 1.0;
}

/* ---- the integer programme ------------------------------------------------------------------- */

/* Solve max c'x (or min cost'x when `min_cost`) s.t. cost'x <= budget (unless min_cost), area
 * minimums, exclusive groups; x binary. Returns 1 optimal, 0 infeasible, -1 GLPK failure. */
static int solve_mip(const sol_options *o, const double *c, double budget, int min_cost, int *x,
                     double *obj)
{
    size_t n = o->n;
    glp_term_out(GLP_OFF);
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, min_cost ? GLP_MIN : GLP_MAX);
    glp_add_cols(lp, (int)n);
    for (size_t i = 0; i < n; i++) {
        glp_set_col_kind(lp, (int)i + 1, GLP_BV);
        glp_set_obj_coef(lp, (int)i + 1, min_cost ? o->opt[i].cost : c[i]);
    }
    /* rows: budget, one per area minimum, one per exclusive label */
    size_t nz = 0, cap = n * (1 + o->n_min) + n + 1;
    int *ia = sol__malloc((cap + 1) * sizeof *ia), *ja = sol__malloc((cap + 1) * sizeof *ja);
    double *ar = sol__malloc((cap + 1) * sizeof *ar);
    int status = -1;
    if (!ia || !ja || !ar)
        goto done;
    int row = 0;
    if (!min_cost) {
        row = glp_add_rows(lp, 1);
        glp_set_row_bnds(lp, row, GLP_UP, 0.0, budget);
        for (size_t i = 0; i < n; i++) {
            nz++;
            ia[nz] = row;
            ja[nz] = (int)i + 1;
            ar[nz] = o->opt[i].cost;
        }
    }
    for (size_t a = 0; a < o->n_min; a++) {
        if (o->min_count[a] <= 0)
            continue;
        row = glp_add_rows(lp, 1);
        glp_set_row_bnds(lp, row, GLP_LO, (double)o->min_count[a], 0.0);
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < o->opt[i].n_areas; k++)
                if (strcmp(o->opt[i].areas[k], o->min_area[a]) == 0) {
                    nz++;
                    ia[nz] = row;
                    ja[nz] = (int)i + 1;
                    ar[nz] = 1.0;
                    break;
                }
    }
    for (size_t i = 0; i < n; i++) {
        const char *lab = o->opt[i].exclusive;
        int first = 1;
        for (size_t q = 0; lab && q < i; q++)
            if (o->opt[q].exclusive && strcmp(o->opt[q].exclusive, lab) == 0)
                first = 0;
        if (!lab || !first)
            continue;
        row = glp_add_rows(lp, 1);
        glp_set_row_bnds(lp, row, GLP_UP, 0.0, 1.0);
        for (size_t q = i; q < n; q++)
            if (o->opt[q].exclusive && strcmp(o->opt[q].exclusive, lab) == 0) {
                nz++;
                ia[nz] = row;
                ja[nz] = (int)q + 1;
                ar[nz] = 1.0;
            }
    }
    if (glp_get_num_rows(lp) == 0) { /* GLPK needs a row: a free one */
        row = glp_add_rows(lp, 1);
        glp_set_row_bnds(lp, row, GLP_FR, 0.0, 0.0);
    }
    glp_load_matrix(lp, (int)nz, ia, ja, ar);
    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.presolve = GLP_ON;
    parm.msg_lev = GLP_MSG_OFF;
    parm.mip_gap = 0.0;
    int r = glp_intopt(lp, &parm);
    int ms = glp_mip_status(lp);
    if (ms == GLP_NOFEAS || r == GLP_ENOPFS || r == GLP_ENODFS) {
        status = 0;
        goto done;
    }
    if (r != 0 || ms != GLP_OPT)
        goto done;
    for (size_t i = 0; i < n; i++)
        x[i] = glp_mip_col_val(lp, (int)i + 1) > 0.5;
    *obj = glp_mip_obj_val(lp);
    status = 1;
done:
    sol__free(ia);
    sol__free(ja);
    sol__free(ar);
    glp_delete_prob(lp);
    /* GLPK keeps an environment per thread: freed here, so that a server's worker thread does
     * not leave it behind when the thread ends (the next call makes a new one) */
    glp_free_env();
    return status;
}

sol_status sol_decide_allocate(const sol_options *o, const double *benefit, double budget,
                               int *chosen, double *objective, sol_error *err)
{
    if (!(budget >= 0) || !isfinite(budget))
        return sol__err(err, SOL_EINVAL, "the budget must be a number >= 0");
    int s = solve_mip(o, benefit, budget, 0, chosen, objective);
    if (s < 0)
        return sol__err(err, SOL_ENUMERIC, "GLPK could not solve the allocation");
    if (s == 0) {
        double mb;
        int *x = sol__malloc((o->n ? o->n : 1) * sizeof *x);
        if (x == NULL)
            return sol__err(err, SOL_ENOMEM, "out of memory");
        int t = solve_mip(o, benefit, 0, 1, x, &mb);
        sol__free(x);
        if (t == 1)
            return sol__err(err, SOL_EINVAL,
                            "infeasible budget: %.10g cannot meet the per-area minimums; the "
                            "smallest feasible budget is %.10g",
                            budget, mb);
        return sol__err(err, SOL_EINVAL,
                        "infeasible: the per-area minimums cannot be met whatever the budget "
                        "(too few options reach an area, or they exclude each other)");
    }
    return SOL_OK;
}

/* ---- ranking --------------------------------------------------------------------------------- */

void sol_prioritise_result_free(sol_prioritise_result *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n_options; i++) {
        sol__free(r->why ? r->why[i] : NULL);
        sol__free(r->choice_why ? r->choice_why[i] : NULL);
    }
    for (size_t i = 0; i < r->n_binding; i++)
        sol__free(r->binding[i]);
    for (size_t i = 0; i < r->n_sens; i++)
        sol__free(r->sens[i].criterion);
    sol__free_n(13, r->weights, r->matrix, r->wsum, r->topsis, r->rank_wsum, r->rank_topsis, r->why,
                r->chosen, r->benefit, r->choice_why, r->binding, r->sens, r);
}

static void ranks(const double *s, size_t n, size_t *rank)
{
    for (size_t i = 0; i < n; i++) {
        size_t r = 1;
        for (size_t j = 0; j < n; j++)
            if (s[j] > s[i] || (j < i && s[j] == s[i]))
                r++;
        rank[i] = r;
    }
}

/* Need-weighted benefit of each option under dimension weights wd (n_dims, any scale). */
static void benefits(const sol_options *o, const double *wd, double *b)
{
    double sw = 0;
    for (size_t d = 0; d < o->n_dims; d++)
        sw += wd[d];
    for (size_t i = 0; i < o->n; i++) {
        double e = 0, need = 0;
        for (size_t d = 0; d < o->n_dims; d++)
            e += (sw > 0 ? wd[d] / sw : 1.0 / (double)o->n_dims) * o->opt[i].effect[d];
        if (o->n_dims == 0)
            e = 1.0;
        for (size_t a = 0; a < o->opt[i].n_areas; a++)
            need += need_of(o, o->opt[i].areas[a]);
        b[i] = e * need;
    }
}

static sol_status add_binding(sol_prioritise_result *r, const char *msg)
{
    char **v = sol__realloc(r->binding, (r->n_binding + 1) * sizeof *v);
    if (v == NULL)
        return SOL_ENOMEM;
    r->binding = v;
    if ((v[r->n_binding] = sol__strdup(msg)) == NULL)
        return SOL_ENOMEM;
    r->n_binding++;
    return SOL_OK;
}

/* The allocation under dimension weights wd with weight d set to t (others rescaled so the
 * dimension weights keep their total). */
static int alloc_at(const sol_options *o, const double *wd, size_t d, double t, double *b,
                    double *tmp, int *x)
{
    double tot = 0, rest = 0;
    for (size_t q = 0; q < o->n_dims; q++) {
        tot += wd[q];
        rest += q == d ? 0 : wd[q];
    }
    for (size_t q = 0; q < o->n_dims; q++)
        tmp[q] = q == d
                     ? t
                     : (rest > 0 ? wd[q] * (tot - t) / rest : (tot - t) / (double)(o->n_dims - 1));
    benefits(o, tmp, b);
    double obj;
    return solve_mip(o, b, o->budget, 0, x, &obj);
}

static int same(const int *a, const int *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/* Move weight d from its value towards `end` until the chosen set changes; bisect the edge. */
static sol_status edge(const sol_options *o, const double *wd, size_t d, double end,
                       const int *base, double *edge_at, int *changes, double *b, double *tmp,
                       int *x)
{
    double from = wd[d], last_same = from;
    const int steps = 16;
    *changes = 0;
    *edge_at = end;
    for (int s = 1; s <= steps; s++) {
        double t = from + (end - from) * (double)s / steps;
        int st = alloc_at(o, wd, d, t, b, tmp, x);
        if (st < 0)
            return SOL_ENUMERIC;
        if (st == 0 || !same(x, base, o->n)) {
            double lo = last_same, hi = t;
            for (int it = 0; it < 40 && fabs(hi - lo) > 1e-9; it++) {
                double mid = (lo + hi) / 2;
                st = alloc_at(o, wd, d, mid, b, tmp, x);
                if (st < 0)
                    return SOL_ENUMERIC;
                if (st == 1 && same(x, base, o->n))
                    lo = mid;
                else
                    hi = mid;
            }
            *edge_at = lo;
            *changes = 1;
            return SOL_OK;
        }
        last_same = t;
    }
    return SOL_OK;
}

sol_status sol_prioritise(const sol_options *o, const double *weights, sol_prioritise_result **out,
                          double *min_budget, sol_error *err)
{
    size_t n = o->n, C = sol_prioritise_ncriteria(o);
    sol_status rc = SOL_ENOMEM;
    sol_prioritise_result *r = NULL;
    double *tmp = NULL, *b2 = NULL;
    int *x2 = NULL;
    if (n == 0)
        return sol__err(err, SOL_EINVAL, "no options");
    if (weights) {
        double s = 0;
        for (size_t c = 0; c < C; c++) {
            if (!(weights[c] >= 0))
                return sol__err(err, SOL_EINVAL, "weight of '%s' is %g: weights must be >= 0",
                                sol_prioritise_criterion(o, c), weights[c]);
            s += weights[c];
        }
        if (!(s > 0))
            return sol__err(err, SOL_EINVAL,
                            "the weights sum to %g: they must sum to a positive number", s);
    }
    if ((r = sol__calloc(1, sizeof *r)) == NULL ||
        (r->weights = sol__malloc(C * sizeof(double))) == NULL ||
        (r->matrix = sol__malloc(n * C * sizeof(double))) == NULL ||
        (r->wsum = sol__calloc(n, sizeof(double))) == NULL ||
        (r->topsis = sol__malloc(n * sizeof(double))) == NULL ||
        (r->rank_wsum = sol__malloc(n * sizeof(size_t))) == NULL ||
        (r->rank_topsis = sol__malloc(n * sizeof(size_t))) == NULL ||
        (r->why = sol__calloc(n, sizeof(char *))) == NULL ||
        (r->benefit = sol__malloc(n * sizeof(double))) == NULL ||
        (r->chosen = sol__calloc(n, sizeof(int))) == NULL ||
        (r->choice_why = sol__calloc(n, sizeof(char *))) == NULL ||
        (tmp = sol__malloc((C + 1) * sizeof *tmp)) == NULL ||
        (b2 = sol__malloc(n * sizeof *b2)) == NULL || (x2 = sol__malloc(n * sizeof *x2)) == NULL)
        goto fail;
    r->n_options = n;
    r->n_criteria = C;
    double ws = 0;
    for (size_t c = 0; c < C; c++)
        ws += weights ? weights[c] : 1.0;
    for (size_t c = 0; c < C; c++)
        r->weights[c] = (weights ? weights[c] : 1.0) / ws;
    /* the criteria matrix */
    for (size_t i = 0; i < n; i++) {
        const sol_option *p = &o->opt[i];
        double need = 0;
        for (size_t a = 0; a < p->n_areas; a++)
            need += need_of(o, p->areas[a]);
        for (size_t d = 0; d < o->n_dims; d++)
            r->matrix[i * C + d] = p->effect[d];
        r->matrix[i * C + o->n_dims] = need;
        r->matrix[i * C + o->n_dims + 1] = (double)p->n_groups;
        r->matrix[i * C + o->n_dims + 2] = p->cost;
    }
    /* weighted sum of min-max scaled criteria (cost reversed); TOPSIS on vector-normalised ones */
    double *dp = sol__calloc(n, sizeof *dp), *dm = sol__calloc(n, sizeof *dm);
    double *contrib = sol__calloc(n * C, sizeof *contrib);
    if (!dp || !dm || !contrib) {
        sol__free(dp);
        sol__free(dm);
        sol__free(contrib);
        goto fail;
    }
    for (size_t c = 0; c < C; c++) {
        int cost = c == C - 1;
        double lo = INFINITY, hi = -INFINITY, ss = 0;
        for (size_t i = 0; i < n; i++) {
            double v = r->matrix[i * C + c];
            lo = fmin(lo, v);
            hi = fmax(hi, v);
            ss += v * v;
        }
        double nrm = sqrt(ss), best = -INFINITY, worst = INFINITY;
        for (size_t i = 0; i < n; i++) {
            double v = r->matrix[i * C + c];
            double s = hi > lo ? (v - lo) / (hi - lo) : 1.0;
            if (cost)
                s = hi > lo ? (hi - v) / (hi - lo) : 1.0;
            contrib[i * C + c] = r->weights[c] * s;
            r->wsum[i] += contrib[i * C + c];
            double t = nrm > 0 ? r->weights[c] * v / nrm : 0;
            best = fmax(best, cost ? -t : t);
            worst = fmin(worst, cost ? -t : t);
        }
        for (size_t i = 0; i < n; i++) {
            double t = nrm > 0 ? r->weights[c] * r->matrix[i * C + c] / nrm : 0;
            if (cost)
                t = -t;
            dp[i] += (t - best) * (t - best);
            dm[i] += (t - worst) * (t - worst);
        }
    }
    for (size_t i = 0; i < n; i++) {
        double a = sqrt(dp[i]), z = sqrt(dm[i]);
        r->topsis[i] = a + z > 0 ? z / (a + z) : 0.5;
    }
    sol__free(dp);
    sol__free(dm);
    ranks(r->wsum, n, r->rank_wsum);
    ranks(r->topsis, n, r->rank_topsis);
    for (size_t i = 0; i < n; i++) {
        /* the two criteria contributing most to the weighted sum */
        size_t c1 = 0, c2 = C > 1 ? 1 : 0;
        for (size_t c = 0; c < C; c++)
            if (contrib[i * C + c] > contrib[i * C + c1])
                c1 = c;
        if (c2 == c1)
            c2 = (c1 + 1) % C;
        for (size_t c = 0; c < C; c++)
            if (c != c1 && contrib[i * C + c] > contrib[i * C + c2])
                c2 = c;
        char buf[512];
        snprintf(buf, sizeof buf,
                 "rank %zu of %zu (weighted sum %.3f, TOPSIS %.3f); carried by %s (%.3f) and %s "
                 "(%.3f)",
                 r->rank_wsum[i], n, r->wsum[i], r->topsis[i], sol_prioritise_criterion(o, c1),
                 contrib[i * C + c1], sol_prioritise_criterion(o, c2), contrib[i * C + c2]);
        if ((r->why[i] = sol__strdup(buf)) == NULL) {
            sol__free(contrib);
            goto fail;
        }
    }
    sol__free(contrib);
    benefits(o, r->weights, r->benefit);
    if (!o->has_budget) {
        *out = r;
        sol__free(tmp);
        sol__free(b2);
        sol__free(x2);
        return SOL_OK;
    }
    /* the allocation */
    r->allocated = 1;
    r->budget = o->budget;
    if ((rc = sol_decide_allocate(o, r->benefit, o->budget, r->chosen, &r->objective, err)) !=
        SOL_OK) {
        if (min_budget && rc == SOL_EINVAL) {
            double mb;
            *min_budget = solve_mip(o, r->benefit, 0, 1, x2, &mb) == 1 ? mb : NAN;
        }
        goto fail;
    }
    rc = SOL_ENOMEM;
    double cheapest_out = INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (r->chosen[i])
            r->used += o->opt[i].cost;
        else
            cheapest_out = fmin(cheapest_out, o->opt[i].cost);
    }
    char buf[1024];
    double slack = o->budget - r->used;
    if (cheapest_out < INFINITY && cheapest_out > slack) {
        snprintf(buf, sizeof buf,
                 "budget binds: %.10g of %.10g used; %.10g left is less than the cheapest option "
                 "not chosen (%.10g)",
                 r->used, o->budget, slack, cheapest_out);
        if (add_binding(r, buf) != SOL_OK)
            goto fail;
    } else if (cheapest_out < INFINITY) {
        snprintf(buf, sizeof buf,
                 "budget does not bind: %.10g left; the options not chosen are held back by "
                 "mutual exclusion or add no benefit",
                 slack);
        if (add_binding(r, buf) != SOL_OK)
            goto fail;
    }
    for (size_t a = 0; a < o->n_min; a++) {
        int got = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; r->chosen[i] && k < o->opt[i].n_areas; k++)
                got += strcmp(o->opt[i].areas[k], o->min_area[a]) == 0;
        if (o->min_count[a] > 0 && got == o->min_count[a]) {
            snprintf(buf, sizeof buf,
                     "area minimum binds: %s gets exactly the %d option%s required", o->min_area[a],
                     o->min_count[a], o->min_count[a] == 1 ? "" : "s");
            if (add_binding(r, buf) != SOL_OK)
                goto fail;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const sol_option *p = &o->opt[i];
        if (!p->exclusive || !r->chosen[i])
            continue;
        for (size_t q = 0; q < n; q++)
            if (q != i && o->opt[q].exclusive && strcmp(o->opt[q].exclusive, p->exclusive) == 0) {
                snprintf(buf, sizeof buf,
                         "exclusion binds: '%s' is chosen, so '%s' (same group '%s') cannot be",
                         p->name, o->opt[q].name, p->exclusive);
                if (add_binding(r, buf) != SOL_OK)
                    goto fail;
            }
    }
    /* why each option is in or out */
    for (size_t i = 0; i < n; i++) {
        const sol_option *p = &o->opt[i];
        double ratio = p->cost > 0 ? r->benefit[i] / p->cost : INFINITY;
        if (r->chosen[i])
            snprintf(buf, sizeof buf,
                     "chosen: need-weighted benefit %.4g for cost %.10g (%.4g per unit of cost)",
                     r->benefit[i], p->cost, ratio);
        else {
            const char *reason = "a better use of the same money exists within the budget";
            for (size_t q = 0; q < n; q++)
                if (q != i && r->chosen[q] && p->exclusive && o->opt[q].exclusive &&
                    strcmp(p->exclusive, o->opt[q].exclusive) == 0)
                    reason = "excluded by a chosen option of the same group";
            if (p->cost > slack && strcmp(reason, "excluded by a chosen option of the same group"))
                reason = "does not fit in what is left of the budget, and swapping it in would "
                         "lose more benefit than it adds";
            if (r->benefit[i] <= 0)
                reason = "adds no need-weighted benefit";
            snprintf(buf, sizeof buf, "not chosen: %s (benefit %.4g, cost %.10g)", reason,
                     r->benefit[i], p->cost);
        }
        if ((r->choice_why[i] = sol__strdup(buf)) == NULL)
            goto fail;
    }
    /* sensitivity of the allocation to each dimension weight */
    if (o->n_dims > 1 && n <= SOL_MAX_OPTIONS_EXPLAINED) {
        double wtot = 0;
        for (size_t d = 0; d < o->n_dims; d++)
            wtot += r->weights[d];
        if ((r->sens = sol__calloc(o->n_dims, sizeof *r->sens)) == NULL)
            goto fail;
        double *wd = sol__malloc(o->n_dims * sizeof *wd);
        if (wd == NULL)
            goto fail;
        for (size_t d = 0; d < o->n_dims; d++)
            wd[d] = wtot > 0 ? r->weights[d] : 1.0 / (double)o->n_dims;
        double tot = 0;
        for (size_t d = 0; d < o->n_dims; d++)
            tot += wd[d];
        for (size_t d = 0; d < o->n_dims; d++) {
            sol_sensitivity *s = &r->sens[d];
            r->n_sens = d + 1;
            if ((s->criterion = sol__strdup(o->dims[d])) == NULL) {
                sol__free(wd);
                goto fail;
            }
            s->weight = r->weights[d];
            double lo, hi;
            sol_status q = edge(o, wd, d, 0.0, r->chosen, &lo, &s->lo_changes, b2, tmp, x2);
            if (q == SOL_OK)
                q = edge(o, wd, d, tot, r->chosen, &hi, &s->hi_changes, b2, tmp, x2);
            if (q != SOL_OK) {
                sol__free(wd);
                rc = sol__err(err, q, "GLPK failed while testing the weights' sensitivity");
                goto fail;
            }
            /* report on the scale of all criteria weights (they sum to 1) */
            s->lo = lo;
            s->hi = hi;
        }
        sol__free(wd);
    }
    *out = r;
    r = NULL;
    rc = SOL_OK;
fail: /* and the cleanup after success */
    if (rc == SOL_ENOMEM)
        sol__err(err, rc, "out of memory");
    sol__free(tmp);
    sol__free(b2);
    sol__free(x2);
    sol_prioritise_result_free(r);
    return rc;
}
