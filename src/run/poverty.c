/* poverty.c - direct poverty and inequality estimates by domain from survey microdata: the roles
 * checked, the person (and household) files read and joined, the incomes summed and equivalised,
 * the estimates with linearised, bootstrap or replicate-weight SEs, the result as JSON and, with
 * store_as, the area estimates stored and the run recorded with its method card. */
#include <solidata/run_poverty.h>

#include <solidata/csv.h>
#include <solidata/limits.h>
#include <solidata/run_estimates.h>

#include "core/core.h"
#include "run/microsql.h"
#include "run/run_int.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* income (or its components), weight, by, group, strata, psu, size, children, hh, age and the
 * household's income components */
enum { POV_MAXTERMS = 16, POV_MAXCOLS = 9 + 2 * POV_MAXTERMS, POV_MAXBOOT = 100000 };

/* An income given as components joined by '+' and '-' ("py010n+py050n-py140n"). */
typedef struct terms {
    size_t n;
    char name[POV_MAXTERMS][256];
    int sign[POV_MAXTERMS];
    size_t ci[POV_MAXTERMS]; /* their microdata columns */
} terms;

/* The job made ready: the income terms, `by` split into its FIELD and GROUP. */
typedef struct prepared {
    terms it, ht;
    char by[512];
    const char *by_field, *group; /* NULL without --by / without a GROUP */
    int hh_sum;
} prepared;

/* The working state, kept with the output: the rows borrow names and results from it. */
struct sol_poverty_keep {
    prepared p;
    sol_microdata *md;
    sol_poverty_result *res, *res_g, *res_c;
    sol_poverty_boot_result *boot, *boot_g, *boot_c;
    double *repw, *eq, *inc_sum, *hc_sum;
    char **cell_names;
    size_t n_cells;
    uint32_t *cell;
    const char **gnames, **dnames, **snames;
    char **sql_names; /* the domains of --microdata-sql, which the result borrows */
    size_t n_sql_names;
};

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static sol_status nomem(sol_error *err)
{
    return sol__err(err, SOL_ENOMEM, "out of memory");
}

/* ---- the column map ------------------------------------------------------------------------ */

struct sol_poverty_map {
    json_t *j;
};

/* The roles a map may give, in the order they are filled. */
static const char *const MAP_KEYS[] = {"microdata",     "weight", "income",     "by",
                                       "strata",        "psu",    "hh_size",    "children",
                                       "household_id",  "age",    "households", "households_id",
                                       "hh_components", NULL};
static const size_t MAP_ROLE[] = {
    offsetof(sol_poverty_job, microdata),    offsetof(sol_poverty_job, weight),
    offsetof(sol_poverty_job, income),       offsetof(sol_poverty_job, by),
    offsetof(sol_poverty_job, strata),       offsetof(sol_poverty_job, psu),
    offsetof(sol_poverty_job, hh_size),      offsetof(sol_poverty_job, children),
    offsetof(sol_poverty_job, household_id), offsetof(sol_poverty_job, age),
    offsetof(sol_poverty_job, households),   offsetof(sol_poverty_job, households_id),
    offsetof(sol_poverty_job, hh_components)};
_Static_assert(sizeof MAP_ROLE / sizeof *MAP_ROLE == sizeof MAP_KEYS / sizeof *MAP_KEYS - 1,
               "one role per column map key");

void sol_poverty_map_free(sol_poverty_map *m)
{
    if (m == NULL)
        return;
    json_decref(m->j);
    sol__free(m);
}

sol_status sol_poverty_map_apply(sol_poverty_job *job, const char *path, sol_poverty_map **out,
                                 sol_error *err)
{
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (j == NULL)
        return sol__err_at(err, SOL_EPARSE, path, je.line > 0 ? (unsigned long)je.line : 0,
                           je.column > 0 ? (unsigned long)je.column : 0,
                           "%s (a column map is a JSON object of role: column)", je.text);
    sol_status rc = SOL_EINVAL;
    if (!json_is_object(j)) {
        sol__err_at(err, rc, path, 0, 0,
                    "a column map is a JSON object such as {\"weight\": \"rb050\", \"income\": "
                    "\"eqIncome\"}");
        goto fail;
    }
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v)
    {
        int known = 0;
        for (size_t i = 0; MAP_KEYS[i]; i++)
            known |= strcmp(k, MAP_KEYS[i]) == 0;
        if (!known || !json_is_string(v) || *json_string_value(v) == '\0') {
            char keys[512] = "";
            for (size_t i = 0; MAP_KEYS[i]; i++)
                snprintf(keys + strlen(keys), sizeof keys - strlen(keys), "%s%s", i ? ", " : "",
                         MAP_KEYS[i]);
            sol__err_at(err, rc, path, 0, 0, "'%s': expected one of %s with a column name", k,
                        keys);
            goto fail;
        }
    }
    sol_poverty_map *m = sol__malloc(sizeof *m);
    if (m == NULL) {
        rc = nomem(err);
        goto fail;
    }
    m->j = j;
    for (size_t i = 0; MAP_KEYS[i]; i++) {
        const char **role = (const char **)(void *)((char *)job + MAP_ROLE[i]);
        if (*role == NULL)
            *role = json_string_value(json_object_get(j, MAP_KEYS[i]));
    }
    *out = m;
    return SOL_OK;
fail:
    json_decref(j);
    return rc;
}

/* ---- the job's checks ------------------------------------------------------------------------ */

void sol_run_poverty_job_init(sol_poverty_job *j)
{
    memset(j, 0, sizeof *j);
    j->opts.line_share = 0.6;
    j->opts.cv_caution = 0.166;
    j->opts.cv_unreliable = 0.333;
    j->opts.min_n = 20;
    j->lonely = SOL_LONELY_ADJUST;
    j->seed = 1;
}

static sol_status parse_terms(const char *flag, const char *expr, terms *t, sol_error *err)
{
    t->n = 0;
    for (const char *p = expr; *p;) {
        int sign = 1;
        if (*p == '+' || *p == '-') {
            sign = *p == '-' ? -1 : 1;
            p++;
        }
        size_t len = strcspn(p, "+-");
        if (len == 0 || len >= sizeof t->name[0] || t->n == POV_MAXTERMS)
            return sol__err(err, SOL_EINVAL,
                            "%s '%s': expected columns joined by '+' or '-' (at most %d)", flag,
                            expr, POV_MAXTERMS);
        memcpy(t->name[t->n], p, len);
        t->name[t->n][len] = '\0';
        t->sign[t->n++] = sign;
        p += len;
    }
    if (t->n == 0)
        return sol__err(err, SOL_EINVAL, "%s is empty", flag);
    return SOL_OK;
}

/* Does the CSV at `path` have a column `name`? (-1: the file cannot be opened; err says why) */
static int has_column(const char *path, const char *name, sol_error *err)
{
    sol_csv *c = NULL;
    if (sol_csv_open(path, NULL, &c, err) != SOL_OK)
        return -1;
    int yes = sol_csv_colindex(c, name) >= 0;
    sol_csv_close(c);
    return yes;
}

#define REFUSE(...) return sol__err(err, SOL_EINVAL, __VA_ARGS__)

/* --microdata-sql: the roles and choices the pushed-down estimates support. */
static sol_status prepare_sql(const sol_poverty_job *j, prepared *p, sol_error *err)
{
    if (j->microdata)
        REFUSE("--microdata and --microdata-sql: give one (a file, or a PostgreSQL table)");
    if (!j->weight || !j->income)
        REFUSE("--microdata-sql needs --weight and --income");
    if (j->hh_size || j->children || j->household_id || j->age || j->households ||
        j->hh_components || strpbrk(j->income, "+-"))
        REFUSE("--microdata-sql reads an equivalised income column: build it in the database "
               "(a view) instead of --hh-size, --age, --households or income components");
    if (j->bootstrap || j->replicate_weights)
        REFUSE("--microdata-sql gives linearised SEs only: drop --bootstrap and "
               "--replicate-weights");
    if (j->opts.line_by_domain)
        REFUSE("--microdata-sql: --line-by-domain is not supported yet; use the line of the "
               "whole population or --line");
    if (j->by && strchr(j->by, ','))
        REFUSE("--microdata-sql: --by takes one FIELD (no GROUP)");
    if (j->store_as)
        REFUSE("--microdata-sql: --store-as is not supported yet; write the CSV and import it");
    p->by_field = j->by;
    return SOL_OK;
}

/* The checks of sol_run_poverty_check, filling `p` on the way. */
static sol_status prepare(const sol_poverty_job *j, prepared *p, sol_error *err)
{
    memset(p, 0, sizeof *p);
    if (j->microdata_sql)
        return prepare_sql(j, p, err);
    if (!j->microdata || !j->weight || !j->income)
        REFUSE("--microdata, --weight and --income are required");
    if (j->children && !j->hh_size)
        REFUSE("--children needs --hh-size");
    if (j->age && !j->household_id)
        REFUSE("--age needs --household-id");
    if (j->household_id && !j->age && !j->households)
        REFUSE("--household-id needs --age (or --households)");
    if (j->households && !j->household_id)
        REFUSE("--households needs --household-id (the key of both files)");
    if (j->households_id && !j->households)
        REFUSE("--households-id needs --households");
    if (j->bootstrap == 1 || j->bootstrap > POV_MAXBOOT)
        REFUSE("--bootstrap needs a number of replicates from 2 to %d, got %zu", POV_MAXBOOT,
               j->bootstrap);
    if (j->replicate_weights && j->bootstrap)
        REFUSE("--replicate-weights and --bootstrap: give one (the file's replicates, or drawn "
               "ones)");
    if (j->replicate_scale > 0 && !j->replicate_weights)
        REFUSE("--replicate-scale goes with --replicate-weights");
    if (j->replicate_weights && j->households)
        REFUSE("--replicate-weights are read from the person file; join the households without "
               "them");
    if (j->hh_components && !j->age)
        REFUSE("--hh-components needs --household-id and --age (the household income is built "
               "from its members)");
    if (j->hh_components && j->hh_income == SOL_HH_INCOME_GIVEN)
        REFUSE("--hh-components adds the household's components to its members' summed "
               "incomes: drop --hh-income given");
    p->hh_sum = j->hh_components || j->hh_income == SOL_HH_INCOME_SUM;
    /* the income, or its components: "A+B-C" unless the file has a column of that very name */
    sol_status rc;
    if (strpbrk(j->income, "+-") && has_column(j->microdata, j->income, NULL) <= 0 &&
        (rc = parse_terms("--income", j->income, &p->it, err)) != SOL_OK)
        return rc;
    if (j->hh_components &&
        (rc = parse_terms("--hh-components", j->hh_components, &p->ht, err)) != SOL_OK)
        return rc;
    if (j->household_id && j->children)
        REFUSE("--children is counted from --age with --household-id");
    if ((j->store_as != NULL) != (j->period != NULL))
        REFUSE("--store-as and --period go together");
    if (j->store_as && !j->by)
        REFUSE("--store-as needs --by (the area code column)");
    p->by_field = j->by;
    const char *comma = j->by ? strchr(j->by, ',') : NULL;
    if (comma) {
        p->group = comma + 1;
        if (comma == j->by || *p->group == '\0' || strchr(p->group, ',') ||
            (size_t)(comma - j->by) >= sizeof p->by)
            REFUSE("--by is FIELD or FIELD,GROUP (two column names)");
        memcpy(p->by, j->by, (size_t)(comma - j->by));
        p->by[comma - j->by] = '\0';
        p->by_field = p->by;
        if (j->opts.line_by_domain)
            REFUSE("--line-by-domain takes one --by FIELD (the line of each area); run the "
                   "groups without it");
        if (j->store_as)
            REFUSE("--store-as stores area estimates: give --by FIELD without the GROUP");
    }
    return SOL_OK;
}

sol_status sol_run_poverty_check(const sol_poverty_job *j, sol_error *err)
{
    prepared *p = sol__malloc(sizeof *p);
    if (p == NULL)
        return nomem(err);
    sol_status rc = prepare(j, p, err);
    sol__free(p);
    return rc;
}

/* ---- reading the files and making the incomes ---------------------------------------------- */

/* The signed sum of the component columns per row; an empty cell counts as 0 (EU-SILC leaves a
 * child's personal components empty), *empty counts them. */
static double *sum_terms(const sol_microdata *md, const terms *t, size_t *empty)
{
    size_t n = sol_microdata_rows(md);
    double *v = sol__calloc(n ? n : 1, sizeof *v);
    if (v == NULL)
        return NULL;
    for (size_t k = 0; k < t->n; k++) {
        const double *x = sol_microdata_numbers(md, t->ci[k]);
        for (size_t i = 0; i < n; i++) {
            if (isnan(x[i]))
                (*empty)++;
            else
                v[i] += t->sign[k] * x[i];
        }
    }
    return v;
}

/* Equivalised income per person from the household's members: the modified OECD scale from ages,
 * household income summed over members (sum) or given on every member row (given: must agree),
 * plus the household's own components `hcomp` when given (on every member row: must agree; R
 * laeken's eqInc); a household size column, when given, must equal the member count. */
static sol_status household_income(const char *micro, const sol_microdata *md, size_t ci_hh,
                                   size_t ci_age, const double *inc, const double *hcomp,
                                   long ci_hs, int sum, double **out, sol_error *err)
{
    size_t n = sol_microdata_rows(md), nh = sol_microdata_nlevels(md, ci_hh);
    const uint32_t *h = sol_microdata_codes(md, ci_hh);
    const double *hs = ci_hs >= 0 ? sol_microdata_numbers(md, (size_t)ci_hs) : NULL;
    double *eq = sol__malloc((n ? n : 1) * sizeof *eq), *hinc = sol__calloc(nh + 1, sizeof *hinc);
    size_t *mem = sol__calloc(nh + 1, sizeof *mem), *first = sol__malloc((nh + 1) * sizeof *first);
    sol_status rc = SOL_EINVAL;
    if (eq == NULL || hinc == NULL || mem == NULL || first == NULL) {
        rc = nomem(err);
        goto done;
    }
    if ((rc = sol_stats_oecd_scale_hh(h, nh, sol_microdata_numbers(md, ci_age), n, eq, mem, err)) !=
        SOL_OK) {
        sol__err_where(err, micro);
        goto done;
    }
    rc = SOL_EINVAL;
    for (size_t k = 0; k < nh; k++)
        first[k] = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        uint32_t k = h[i];
        const char *hh = sol_microdata_level(md, ci_hh, k);
        if (first[k] == SIZE_MAX) {
            first[k] = i;
            hinc[k] = (sum ? 0 : inc[i]) + (hcomp ? hcomp[i] : 0);
        } else if (hcomp && hcomp[i] != hcomp[first[k]]) {
            sol__err_at(err, rc, micro, 0, 0,
                        "household '%s': household income components %.17g on data row %zu but "
                        "%.17g on data row %zu; they belong to the household and must be the "
                        "same on every member row",
                        hh, hcomp[first[k]], first[k] + 1, hcomp[i], i + 1);
            goto done;
        }
        if (sum) {
            hinc[k] += inc[i];
        } else if (inc[i] != inc[first[k]]) {
            sol__err_at(err, rc, micro, 0, 0,
                        "household '%s': income %.17g on data row %zu but %.17g on data row %zu; "
                        "with --hh-income given every member row carries the household's income "
                        "(use --hh-income sum for personal incomes)",
                        hh, inc[first[k]], first[k] + 1, inc[i], i + 1);
            goto done;
        }
        if (hs && hs[i] != (double)mem[k]) {
            sol__err_at(err, rc, micro, 0, 0,
                        "household '%s' has %zu member rows but household size %g on data row "
                        "%zu: a member is missing from the file or the size is wrong",
                        hh, mem[k], hs[i], i + 1);
            goto done;
        }
    }
    for (size_t i = 0; i < n; i++)
        eq[i] = hinc[h[i]] / eq[i];
    *out = eq;
    eq = NULL;
    rc = SOL_OK;
done:
    sol__free_n(4, eq, hinc, mem, first);
    return rc;
}

/* Person rows with household columns (--households): every column of `cols` is read from the
 * person file when it has it, else from the household file; both carry the household id
 * (cols[ci_hh] in the persons, `hkey` in the households). at[j] gets column j's place in *md. */
static sol_status read_joined(const char *micro, const char *hfile, const char *hkey,
                              const sol_md_column *cols, size_t nc, size_t ci_hh, size_t *at,
                              sol_microdata **md, sol_error *err)
{
    sol_md_column pc[POV_MAXCOLS], hc[POV_MAXCOLS + 1];
    size_t np = 0, nh = 0, p_at[POV_MAXCOLS], h_at[POV_MAXCOLS];
    int in_h[POV_MAXCOLS];
    hc[nh++] = (sol_md_column){hkey, SOL_MD_CODE, 0, 0, 0, N_("household id")};
    for (size_t j = 0; j < nc; j++) {
        int p = j == ci_hh ? 1 : has_column(micro, cols[j].name, err);
        if (p < 0)
            return err ? err->code : SOL_EIO;
        in_h[j] = !p && has_column(hfile, cols[j].name, err) > 0;
        if (in_h[j]) {
            h_at[j] = nh;
            hc[nh++] = cols[j];
        } else {
            p_at[j] = np;
            pc[np++] = cols[j]; /* absent from both: the person reader names it */
        }
    }
    sol_microdata *pm = NULL, *hm = NULL;
    sol_status rc;
    if ((rc = sol_microdata_read(micro, pc, np, &pm, err)) == SOL_OK &&
        (rc = sol_microdata_read(hfile, hc, nh, &hm, err)) == SOL_OK &&
        (rc = sol_microdata_join(pm, p_at[ci_hh], micro, hm, 0, hfile, md, err)) == SOL_OK) {
        /* the join holds the person columns, then the household ones but the key */
        for (size_t j = 0; j < nc; j++)
            at[j] = in_h[j] ? np + h_at[j] - 1 : p_at[j];
    }
    sol_microdata_free(pm);
    sol_microdata_free(hm);
    return rc;
}

/* --replicate-weights PREFIX: the columns PREFIX1, PREFIX2, ... of the person file (numbered
 * from 1 without gaps), as an n x R row-major matrix. */
static sol_status read_replicates(const char *micro, const char *prefix, size_t n, double **out,
                                  size_t *R, sol_error *err)
{
    sol_csv *c = NULL;
    sol_status rc;
    if ((rc = sol_csv_open(micro, NULL, &c, err)) != SOL_OK)
        return rc;
    size_t lp = strlen(prefix), r = 0;
    char name[512];
    for (;; r++) {
        snprintf(name, sizeof name, "%s%zu", prefix, r + 1);
        if (sol_csv_colindex(c, name) < 0)
            break;
    }
    size_t extra = 0; /* a column PREFIXk beyond the first gap is a mistake worth saying */
    for (size_t j = 0; j < sol_csv_ncols(c); j++) {
        const char *cn = sol_csv_colname(c, j);
        if (strncmp(cn, prefix, lp) == 0 && cn[lp] >= '0' && cn[lp] <= '9' &&
            strtoul(cn + lp, NULL, 10) > r)
            extra++;
    }
    sol_csv_close(c);
    if (extra)
        return sol__err_at(err, SOL_EINVAL, micro, 0, 0,
                           "--replicate-weights %s: expected columns %s1, %s2, ... numbered "
                           "without gaps (found %zu in a row and more after a gap)",
                           prefix, prefix, prefix, r);
    if (r < 2)
        return sol__err_at(err, SOL_EINVAL, micro, 0, 0,
                           "--replicate-weights %s: expected columns %s1, %s2, ... numbered "
                           "without gaps (found %zu in a row)",
                           prefix, prefix, prefix, r);
    if (r > SOL_MAX_MICRODATA_COLS)
        return sol__err_at(err, SOL_ELIMIT, micro, 0, 0, "at most %u replicate weight columns",
                           SOL_MAX_MICRODATA_COLS);
    sol_md_column *cols = sol__calloc(r, sizeof *cols);
    char(*names)[64] = sol__calloc(r, sizeof *names);
    double *w = sol__malloc((n * r > 0 ? n * r : 1) * sizeof *w);
    sol_microdata *md = NULL;
    if (cols == NULL || names == NULL || w == NULL) {
        rc = nomem(err);
        goto done;
    }
    for (size_t k = 0; k < r; k++) {
        snprintf(names[k], sizeof names[k], "%s%zu", prefix, k + 1);
        cols[k] = (sol_md_column){names[k], SOL_MD_NUMBER, 0, 1, 0, N_("replicate weight")};
    }
    if ((rc = sol_microdata_read(micro, cols, r, &md, err)) != SOL_OK)
        goto done;
    if (sol_microdata_rows(md) != n) {
        rc = sol__err_at(err, SOL_EINVAL, micro, 0, 0,
                         "the replicate weights have %zu rows, the sample %zu",
                         sol_microdata_rows(md), n);
        goto done;
    }
    for (size_t k = 0; k < r; k++) {
        const double *x = sol_microdata_numbers(md, k);
        for (size_t i = 0; i < n; i++)
            w[i * r + k] = x[i];
    }
    *out = w;
    w = NULL;
    *R = r;
done:
    sol_microdata_free(md);
    sol__free(w);
    sol__free(names);
    sol__free(cols);
    return rc;
}

/* ---- estimating -------------------------------------------------------------------------- */

/* --by FIELD,GROUP: the estimates of each group over all areas (k->res_g) and of each area x
 * group cell present in the sample (k->res_c, cells named "area\x1fgroup" so that they sort by
 * area, then group), with the same line and design as the areas'. */
static sol_status by_group(sol_poverty_keep *k, size_t ci_by, size_t ci_grp, const double *inc,
                           const sol_design *d, const sol_poverty_opts *o, sol_error *err)
{
    const sol_microdata *md = k->md;
    size_t n = sol_microdata_rows(md), na = sol_microdata_nlevels(md, ci_by),
           ng = sol_microdata_nlevels(md, ci_grp);
    const uint32_t *a = sol_microdata_codes(md, ci_by), *g = sol_microdata_codes(md, ci_grp);
    int64_t *id = NULL;
    k->gnames = sol__calloc(ng + 1, sizeof *k->gnames);
    k->cell = sol__malloc((n ? n : 1) * sizeof *k->cell);
    if (k->gnames == NULL || k->cell == NULL || na * ng / (ng ? ng : 1) != na ||
        (id = sol__malloc((na * ng > 0 ? na * ng : 1) * sizeof *id)) == NULL)
        goto fail;
    for (size_t j = 0; j < ng; j++)
        k->gnames[j] = sol_microdata_level(md, ci_grp, j);
    for (size_t j = 0; j < na * ng; j++)
        id[j] = -1;
    size_t nc = 0;
    for (size_t i = 0; i < n; i++) {
        size_t p = (size_t)a[i] * ng + g[i];
        if (id[p] < 0)
            id[p] = (int64_t)nc++;
        k->cell[i] = (uint32_t)id[p];
    }
    if ((k->cell_names = sol__calloc(nc + 1, sizeof *k->cell_names)) == NULL)
        goto fail;
    k->n_cells = nc; /* names NULL until made: all nc are freed */
    for (size_t p = 0; p < na * ng; p++) {
        if (id[p] < 0)
            continue;
        const char *an = k->dnames[p / ng], *gn = k->gnames[p % ng];
        size_t la = strlen(an), lg = strlen(gn);
        char *s = k->cell_names[id[p]] = sol__malloc(la + lg + 2);
        if (s == NULL)
            goto fail;
        memcpy(s, an, la);
        s[la] = '\x1f';
        memcpy(s + la + 1, gn, lg + 1);
    }
    sol__free(id);
    sol_status rc;
    if ((rc = sol_poverty_estimate(inc, d, g, ng, k->gnames, o, &k->res_g, err)) != SOL_OK)
        return rc;
    return sol_poverty_estimate(inc, d, k->cell, nc, (const char *const *)k->cell_names, o,
                                &k->res_c, err);
fail:
    sol__free(id);
    return nomem(err);
}

/* --bootstrap: the ARPR's SE, its CV and the flag from the replicates */
static void use_boot(sol_poverty_result *r, const sol_poverty_boot_result *b,
                     const sol_poverty_opts *o)
{
    double caution = o->cv_caution > 0 ? o->cv_caution : 0.166,
           unreliable = o->cv_unreliable > 0 ? o->cv_unreliable : 0.333;
    size_t min_n = o->min_n ? o->min_n : 20;
    for (size_t k = 0; k < r->n_rows && k < b->n_rows; k++) {
        sol_poverty_row *w = &r->rows[k];
        w->arop_se = b->se[k].arop;
        w->cv_arop = w->arop > 0 ? w->arop_se / w->arop : NAN;
        w->flag = w->n < min_n || !(w->cv_arop <= unreliable) ? "unreliable"
                  : w->cv_arop > caution                      ? "caution"
                                                              : "ok";
    }
}

/* The output rows: each area, then (with a GROUP) its groups; the groups over all areas; the
 * total. */
static sol_status make_rows(sol_poverty_output *o, sol_error *err)
{
    const sol_poverty_keep *k = o->keep;
    const sol_poverty_result *res = k->res, *res_g = k->res_g, *res_c = k->res_c;
    const sol_poverty_boot_result *boot = k->boot, *boot_g = k->boot_g, *boot_c = k->boot_c;
    sol_poverty_output_row *rows = sol__calloc(
        res->n_rows + (res_g ? res_g->n_rows : 0) + (res_c ? res_c->n_rows : 0), sizeof *rows);
    if (rows == NULL)
        return nomem(err);
    size_t n = 0;
    for (size_t i = 0, c = 0; i + 1 < res->n_rows; i++) {
        const char *a = res->rows[i].domain;
        rows[n++] = (sol_poverty_output_row){&res->rows[i], a, NULL, boot ? &boot->se[i] : NULL};
        for (; res_c && c + 1 < res_c->n_rows; c++) {
            const char *cn = res_c->rows[c].domain, *sep = strchr(cn, '\x1f');
            if (strncmp(cn, a, (size_t)(sep - cn)) != 0 || a[sep - cn] != '\0')
                break;
            rows[n++] = (sol_poverty_output_row){&res_c->rows[c], a, sep + 1,
                                                 boot_c ? &boot_c->se[c] : NULL};
        }
    }
    for (size_t i = 0; res_g && i + 1 < res_g->n_rows; i++)
        rows[n++] = (sol_poverty_output_row){&res_g->rows[i], "total", res_g->rows[i].domain,
                                             boot_g ? &boot_g->se[i] : NULL};
    rows[n++] = (sol_poverty_output_row){&res->rows[res->n_rows - 1], "total", NULL,
                                         boot ? &boot->se[res->n_rows - 1] : NULL};
    o->rows = rows;
    o->n_rows = n;
    return SOL_OK;
}

/* The result: every row (with its group when `with_group`), the design and the SE method. */
static char *result_json(const sol_poverty_output *out, int with_group, const char *se_method,
                         size_t flags)
{
    const sol_poverty_result *r = out->keep->res;
    json_t *rows = json_array();
    for (size_t i = 0; i < out->n_rows; i++) {
        const sol_poverty_output_row *row = &out->rows[i];
        const sol_poverty_row *w = row->r;
        json_t *o = json_object();
        json_object_set_new(o, "domain", json_string(row->domain));
        if (with_group)
            json_object_set_new(o, "group", row->group ? json_string(row->group) : json_null());
        json_object_set_new(o, "n", json_integer((json_int_t)w->n));
        json_object_set_new(o, "weighted_n", sol__run_num(w->weighted_n));
        json_object_set_new(o, "median_income", sol__run_num(w->median_income));
        json_object_set_new(o, "mean_income", sol__run_num(w->mean_income));
        json_object_set_new(o, "mean_income_se", sol__run_num(w->mean_income_se));
        json_object_set_new(o, "poverty_line", sol__run_num(w->poverty_line));
        json_object_set_new(o, "arop", sol__run_num(w->arop));
        json_object_set_new(o, "arop_se", sol__run_num(w->arop_se));
        json_object_set_new(o, "arop_se_fixed_line", sol__run_num(w->arop_se_fixed_line));
        if (row->boot) {
            const sol_poverty_se *b = row->boot;
            json_object_set_new(
                o, "bootstrap_se",
                json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I}", "median_income",
                          sol__run_num(b->median_income), "mean_income",
                          sol__run_num(b->mean_income), "arop", sol__run_num(b->arop), "fgt1",
                          sol__run_num(b->fgt1), "fgt2", sol__run_num(b->fgt2), "rmpg",
                          sol__run_num(b->rmpg), "gini", sol__run_num(b->gini), "qsr",
                          sol__run_num(b->qsr), "dropped_replicates", (json_int_t)b->dropped));
        }
        json_object_set_new(o, "fgt1", sol__run_num(w->fgt1));
        json_object_set_new(o, "fgt1_se", sol__run_num(w->fgt1_se));
        json_object_set_new(o, "fgt2", sol__run_num(w->fgt2));
        json_object_set_new(o, "fgt2_se", sol__run_num(w->fgt2_se));
        json_object_set_new(o, "rmpg", sol__run_num(w->rmpg));
        json_object_set_new(o, "gini", sol__run_num(w->gini));
        json_object_set_new(o, "qsr", sol__run_num(w->qsr));
        json_object_set_new(o, "cv_arop", sol__run_num(w->cv_arop));
        json_object_set_new(o, "flag", json_string(w->flag));
        json_array_append_new(rows, o);
    }
    json_t *root = json_pack("{s:I,s:I,s:I,s:s,s:o}", "strata", (json_int_t)r->n_strata, "psu",
                             (json_int_t)r->n_psu, "lonely_strata", (json_int_t)r->lonely_strata,
                             "arop_se_method", se_method, "domains", rows);
    char *s = json_dumps(root, flags | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(root);
    return s;
}

/* --store-as: the area estimates written as indicator job->store_as, the run recorded. */
static sol_status store(sol_store *st, const sol_poverty_job *j, sol_poverty_output *o,
                        const char *se_method, sol_error *err)
{
    const sol_poverty_keep *k = o->keep;
    const sol_poverty_result *res = k->res;
    size_t m = res->n_rows - 1;
    sol_status rc = SOL_ENOMEM;
    sol_estimate *e = sol__calloc(m + 1, sizeof *e);
    char *rj = result_json(o, 0, se_method, JSON_COMPACT), *spec = NULL, *choices = NULL;
    json_t *js = json_pack("{s:s,s:s,s:s,s:s}", "microdata", j->microdata, "weight", j->weight,
                           "income", j->income, "by", k->p.by_field);
    json_t *jc = json_pack("{s:f,s:f,s:i,s:i,s:b,s:b}", "line_share", j->opts.line_share, "line",
                           j->opts.line, "line_by_domain", j->opts.line_by_domain, "lonely_psu",
                           (int)j->lonely, "strata", j->strata != NULL, "psu", j->psu != NULL);
    if (e == NULL || rj == NULL || js == NULL || jc == NULL ||
        (spec = json_dumps(js, JSON_COMPACT | JSON_REAL_PRECISION(17))) == NULL ||
        (choices = json_dumps(jc, JSON_COMPACT | JSON_REAL_PRECISION(17))) == NULL) {
        rc = nomem(err);
        goto done;
    }
    for (size_t i = 0; i < m; i++)
        e[i] = (sol_estimate){res->rows[i].domain, res->rows[i].arop, res->rows[i].arop_se,
                              strcmp(res->rows[i].flag, "unreliable") == 0};
    sol_estimates_store es = {
        .indicator = j->store_as,
        .label = "At-risk-of-poverty rate (direct survey estimate)",
        .unit = "proportion",
        .polarity = -1,
        .period = j->period,
        .source_name = j->microdata,
        .source_location = j->microdata,
        .source_sha256 = sol_microdata_sha256(k->md),
        .source_bytes = (int64_t)sol_microdata_bytes(k->md),
        .rows_read = (int64_t)sol_microdata_rows(k->md),
        .kind = "poverty.direct",
        .spec_json = spec,
        .method_json = "{\"name\":\"direct estimator of the at-risk-of-poverty rate with "
                       "Taylor-linearised design-based SE, the estimated line's variance "
                       "included\",\"reference\":\"Eurostat EU-SILC conventions as R laeken "
                       "0.5 (Alfons & Templ 2013, JSS 54(15)); variance as R convey svyarpr "
                       "(Deville 1999; Osier 2009) and survey (Lumley 2010)\"}",
        .choices_json = choices,
        .result_json = rj};
    if ((rc = sol_run_store_estimates(st, &es, e, m, &o->run_id, err)) == SOL_OK)
        o->n_stored = m;
done:
    json_decref(js);
    json_decref(jc);
    sol__free_n(4, spec, choices, rj, e);
    return rc;
}

void sol_poverty_output_free(sol_poverty_output *o)
{
    if (o == NULL)
        return;
    sol_poverty_keep *k = o->keep;
    if (k != NULL) {
        sol_poverty_result_free(k->res);
        sol_poverty_result_free(k->res_g);
        sol_poverty_result_free(k->res_c);
        sol_poverty_boot_free(k->boot);
        sol_poverty_boot_free(k->boot_g);
        sol_poverty_boot_free(k->boot_c);
        for (size_t c = 0; c < k->n_cells; c++)
            sol__free(k->cell_names[c]);
        sol__free_n(9, k->cell_names, k->cell, k->gnames, k->repw, k->inc_sum, k->hc_sum, k->eq,
                    k->dnames, k->snames);
        for (size_t c = 0; c < k->n_sql_names; c++)
            sol__free(k->sql_names[c]);
        sol__free(k->sql_names);
        sol_microdata_free(k->md);
        sol__free(k);
    }
    sol__run_notes_free(o->notes, o->n_notes);
    sol__free(o->rows);
    sol__free(o->result_json);
    sol__free(o);
}

/* The columns to read, in order; ci[] gets the place of each role (see the enum). */
enum { C_INC, C_W, C_BY, C_GRP, C_STR, C_PSU, C_HS, C_CH, C_HH, C_AGE, C_N };

static size_t columns(const sol_poverty_job *j, prepared *p, sol_md_column *cols, size_t *ci)
{
    size_t nc = 0;
    ci[C_INC] = nc;
    if (p->it.n == 0)
        cols[nc++] = (sol_md_column){j->income, SOL_MD_NUMBER, 0, 0, 0, N_("income")};
    for (size_t k = 0; k < p->it.n; k++) {
        p->it.ci[k] = nc;
        cols[nc++] = (sol_md_column){p->it.name[k], SOL_MD_NUMBER, 1, 0, 0, N_("income component")};
    }
    for (size_t k = 0; k < p->ht.n; k++) {
        p->ht.ci[k] = nc;
        cols[nc++] = (sol_md_column){
            p->ht.name[k], SOL_MD_NUMBER, 1, 0, 0, N_("household income component")};
    }
    const struct {
        const char *name;
        sol_md_kind kind;
        int nonneg, pos;
        const char *what;
    } role[C_N] = {[C_W] = {j->weight, SOL_MD_NUMBER, 1, 0, N_("weight")},
                   [C_BY] = {p->by_field, SOL_MD_CODE, 0, 0, N_("domain code")},
                   [C_GRP] = {p->group, SOL_MD_CODE, 0, 0, N_("group code")},
                   [C_STR] = {j->strata, SOL_MD_CODE, 0, 0, N_("stratum")},
                   [C_PSU] = {j->psu, SOL_MD_CODE, 0, 0, N_("PSU")},
                   [C_HS] = {j->hh_size, SOL_MD_NUMBER, 0, 1, N_("household size")},
                   [C_CH] = {j->children, SOL_MD_NUMBER, 1, 0, N_("children under 14")},
                   [C_HH] = {j->household_id, SOL_MD_CODE, 0, 0, N_("household id")},
                   [C_AGE] = {j->age, SOL_MD_NUMBER, 0, 0, N_("age")}};
    for (size_t r = C_W; r < C_N; r++) {
        ci[r] = 0;
        if (role[r].name == NULL)
            continue;
        ci[r] = nc;
        cols[nc++] = (sol_md_column){role[r].name,   role[r].kind, 0,
                                     role[r].nonneg, role[r].pos,  role[r].what};
    }
    return nc;
}

/* The rows, the notes, the result JSON and, with store_as, the stored estimates: the same for
 * a file and for --microdata-sql. `o` is freed on failure. */
static sol_status finish_output(const sol_poverty_job *j, sol_store *st, sol_poverty_output *o,
                                double t1, sol_poverty_output **out, sol_error *err)
{
    sol_poverty_keep *k = o->keep;
    const prepared *p = &k->p;
    sol_status rc;
    if ((rc = make_rows(o, err)) != SOL_OK)
        goto fail;
    o->with_group = p->group != NULL;
    char se_method[160];
    if (j->replicate_weights)
        snprintf(se_method, sizeof se_method,
                 "replicate weights %s1..%s%zu of the file, scale %.17g (the line re-estimated "
                 "in each)",
                 j->replicate_weights, j->replicate_weights, o->replicates,
                 j->replicate_scale > 0 ? j->replicate_scale : 1.0 / (double)(o->replicates - 1));
    else if (o->replicates)
        snprintf(se_method, sizeof se_method,
                 "Rao-Wu rescaling bootstrap, %zu replicates, seed %llu (the line re-estimated "
                 "in each)",
                 o->replicates, (unsigned long long)j->seed);
    else
        snprintf(se_method, sizeof se_method,
                 "Taylor linearisation, the estimated line's variance included");
    /* The English singular keeps "strata have" as the command's tests read it; French and
     * Italian have their own singular. */
    size_t lonely = k->res->lonely_strata;
    if (lonely && j->lonely == SOL_LONELY_ADJUST &&
        (rc = sol__run_note_add(&o->notes, &o->n_notes, SOL_ERROR_MSG_MAX, err,
                                sol_ngettext("%zu strata have a single PSU; each is centred at "
                                             "the grand mean (R survey 'adjust') (--lonely-psu)",
                                             "%zu strata have a single PSU; each is centred at "
                                             "the grand mean (R survey 'adjust') (--lonely-psu)",
                                             lonely),
                                lonely)) != SOL_OK)
        goto fail;
    if (lonely && j->lonely != SOL_LONELY_ADJUST &&
        (rc = sol__run_note_add(&o->notes, &o->n_notes, SOL_ERROR_MSG_MAX, err,
                                sol_ngettext("%zu stratum has a single PSU; it adds nothing to "
                                             "the variance ('remove') (--lonely-psu)",
                                             "%zu strata have a single PSU; they add nothing to "
                                             "the variance ('remove') (--lonely-psu)",
                                             lonely),
                                lonely)) != SOL_OK)
        goto fail;
    if ((o->result_json = result_json(o, o->with_group, se_method, JSON_INDENT(2))) == NULL) {
        rc = nomem(err);
        goto fail;
    }
    o->estimate_s = wall_s() - t1;
    if (j->store_as && (rc = store(st, j, o, se_method, err)) != SOL_OK)
        goto fail;
    *out = o;
    return SOL_OK;
fail:
    sol_poverty_output_free(o);
    return rc;
}

sol_status sol_run_poverty(sol_store *st, const sol_poverty_job *j, sol_poverty_output **out,
                           sol_error *err)
{
    sol_poverty_output *o = sol__calloc(1, sizeof *o);
    sol_poverty_keep *k = sol__calloc(1, sizeof *k);
    sol_status rc;
    if (o == NULL || k == NULL) {
        sol__free(o);
        sol__free(k);
        return nomem(err);
    }
    o->keep = k;
    prepared *p = &k->p;
    if ((rc = prepare(j, p, err)) != SOL_OK)
        goto fail;
    if (j->store_as && st == NULL) {
        rc = sol__err(err, SOL_EINVAL, "storing the estimates needs a store");
        goto fail;
    }
    if (j->microdata_sql) {
        double t0 = wall_s();
        if ((rc = sol__microsql_poverty(j, &k->res, &k->sql_names, &k->n_sql_names, &o->bytes,
                                        &o->notes, &o->n_notes, err)) != SOL_OK)
            goto fail;
        o->read_s = wall_s() - t0;
        return finish_output(j, st, o, t0, out, err);
    }
    sol_md_column cols[POV_MAXCOLS];
    size_t ci[C_N];
    size_t nc = columns(j, p, cols, ci);
    double t0 = wall_s();
    if (j->households) {
        size_t at[POV_MAXCOLS];
        if ((rc = read_joined(j->microdata, j->households,
                              j->households_id ? j->households_id : j->household_id, cols, nc,
                              ci[C_HH], at, &k->md, err)) != SOL_OK)
            goto fail;
        for (size_t r = 0; r < C_N; r++)
            ci[r] = at[ci[r]];
        for (size_t t = 0; t < p->it.n; t++)
            p->it.ci[t] = at[p->it.ci[t]];
        for (size_t t = 0; t < p->ht.n; t++)
            p->ht.ci[t] = at[p->ht.ci[t]];
    } else if ((rc = sol_microdata_read(j->microdata, cols, nc, &k->md, err)) != SOL_OK) {
        goto fail;
    }
    double t1 = wall_s();
    o->read_s = t1 - t0;
    o->bytes = sol_microdata_bytes(k->md);
    const sol_microdata *md = k->md;
    size_t n = sol_microdata_rows(md), empty = 0;
    const double *inc = sol_microdata_numbers(md, ci[C_INC]);
    if ((p->it.n && (inc = k->inc_sum = sum_terms(md, &p->it, &empty)) == NULL) ||
        (p->ht.n && (k->hc_sum = sum_terms(md, &p->ht, &empty)) == NULL)) {
        rc = nomem(err);
        goto fail;
    }
    if (empty &&
        (rc = sol__run_note_add(&o->notes, &o->n_notes, SOL_ERROR_MSG_MAX, err,
                                "%zu empty income component cells counted as 0 (EU-SILC leaves "
                                "a child's personal components empty)",
                                empty)) != SOL_OK)
        goto fail;
    if (j->age) {
        if ((rc = household_income(j->microdata, md, ci[C_HH], ci[C_AGE], inc, k->hc_sum,
                                   j->hh_size ? (long)ci[C_HS] : -1, p->hh_sum, &k->eq, err)) !=
            SOL_OK)
            goto fail;
        inc = k->eq;
    } else if (j->hh_size) {
        const double *hs = sol_microdata_numbers(md, ci[C_HS]);
        const double *ch = j->children ? sol_microdata_numbers(md, ci[C_CH]) : NULL;
        if ((k->eq = sol__malloc((n ? n : 1) * sizeof *k->eq)) == NULL) {
            rc = nomem(err);
            goto fail;
        }
        for (size_t i = 0; i < n; i++) {
            double scale;
            if (sol_stats_oecd_scale(hs[i], ch ? ch[i] : 0, &scale) != SOL_OK) {
                rc = sol__err_at(err, SOL_EINVAL, j->microdata, 0, 0,
                                 "data row %zu: household size %g with %g children under 14 is "
                                 "not a household (size >= 1, children <= size - 1)",
                                 i + 1, hs[i], ch ? ch[i] : 0);
                goto fail;
            }
            k->eq[i] = inc[i] / scale;
        }
        inc = k->eq;
    }
    size_t nd = j->by ? sol_microdata_nlevels(md, ci[C_BY]) : 0;
    size_t ns = j->strata ? sol_microdata_nlevels(md, ci[C_STR]) : 0;
    if ((k->dnames = sol__calloc(nd + 1, sizeof *k->dnames)) == NULL ||
        (k->snames = sol__calloc(ns + 1, sizeof *k->snames)) == NULL) {
        rc = nomem(err);
        goto fail;
    }
    for (size_t i = 0; i < nd; i++)
        k->dnames[i] = sol_microdata_level(md, ci[C_BY], i);
    for (size_t i = 0; i < ns; i++)
        k->snames[i] = sol_microdata_level(md, ci[C_STR], i);
    sol_design d = {.n = n,
                    .weight = sol_microdata_numbers(md, ci[C_W]),
                    .strata = j->strata ? sol_microdata_codes(md, ci[C_STR]) : NULL,
                    .n_strata = ns,
                    .psu = j->psu ? sol_microdata_codes(md, ci[C_PSU]) : NULL,
                    .n_psu = j->psu ? sol_microdata_nlevels(md, ci[C_PSU]) : 0,
                    .strata_names = k->snames,
                    .lonely = j->lonely};
    const uint32_t *dom = j->by ? sol_microdata_codes(md, ci[C_BY]) : NULL;
    if ((rc = sol_poverty_estimate(inc, &d, dom, nd, k->dnames, &j->opts, &k->res, err)) !=
            SOL_OK ||
        (p->group && (rc = by_group(k, ci[C_BY], ci[C_GRP], inc, &d, &j->opts, err)) != SOL_OK))
        goto fail;
    o->replicates = j->bootstrap;
    if (j->replicate_weights && (rc = read_replicates(j->microdata, j->replicate_weights, n,
                                                      &k->repw, &o->replicates, err)) != SOL_OK)
        goto fail;
    if (o->replicates) {
        sol_poverty_boot bo = {.replicates = o->replicates,
                               .seed = j->seed,
                               .repw = k->repw,
                               .scale = j->replicate_scale};
        if ((rc = sol_poverty_bootstrap(inc, &d, dom, nd, k->dnames, &j->opts, &bo, &k->boot,
                                        err)) != SOL_OK ||
            (k->res_g && (rc = sol_poverty_bootstrap(inc, &d, sol_microdata_codes(md, ci[C_GRP]),
                                                     k->res_g->n_rows - 1, k->gnames, &j->opts, &bo,
                                                     &k->boot_g, err)) != SOL_OK) ||
            (k->res_c && (rc = sol_poverty_bootstrap(inc, &d, k->cell, k->res_c->n_rows - 1,
                                                     (const char *const *)k->cell_names, &j->opts,
                                                     &bo, &k->boot_c, err)) != SOL_OK))
            goto fail;
        use_boot(k->res, k->boot, &j->opts);
        if (k->res_g)
            use_boot(k->res_g, k->boot_g, &j->opts);
        if (k->res_c)
            use_boot(k->res_c, k->boot_c, &j->opts);
    }
    return finish_output(j, st, o, t1, out, err);
fail:
    sol_poverty_output_free(o);
    return rc;
}
