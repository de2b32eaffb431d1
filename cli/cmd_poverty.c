/* cmd_poverty.c - `solidata poverty` (direct poverty and inequality estimates by domain from
 * survey microdata) and `solidata mpi` (Alkire-Foster multidimensional poverty). */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/csv.h>
#include <solidata/limits.h>
#include <solidata/run_estimates.h>
#include <solidata/stats.h>
#include <solidata/store.h>

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* income (or its components), weight, by, group, strata, psu, size, children, hh, age and the
 * household's income components */
enum { POV_MAXTERMS = 16, POV_MAXCOLS = 9 + 2 * POV_MAXTERMS };

/* An income given as components joined by '+' and '-' ("py010n+py050n-py140n"). */
typedef struct terms {
    size_t n;
    char name[POV_MAXTERMS][256];
    int sign[POV_MAXTERMS];
    size_t ci[POV_MAXTERMS]; /* their microdata columns */
} terms;

static int parse_terms(const char *flag, const char *expr, terms *t)
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
            return cli_usage_error("poverty",
                                   "%s '%s': expected columns joined by '+' or '-' (at most %d)",
                                   flag, expr, POV_MAXTERMS);
        memcpy(t->name[t->n], p, len);
        t->name[t->n][len] = '\0';
        t->sign[t->n++] = sign;
        p += len;
    }
    if (t->n == 0)
        return cli_usage_error("poverty", "%s is empty", flag);
    return CLI_OK;
}

/* The signed sum of the component columns per row; an empty cell counts as 0 (EU-SILC leaves a
 * child's personal components empty), *empty counts them. */
static double *sum_terms(const sol_microdata *md, const terms *t, size_t *empty)
{
    size_t n = sol_microdata_rows(md);
    double *v = calloc(n ? n : 1, sizeof *v);
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

static const char *POV_USAGE =
    "usage: solidata poverty --microdata F.csv --weight W --income INC\n"
    "                        [--equivalised | --hh-size S [--children C] |\n"
    "                         --household-id H --age A [--hh-income given|sum] [--hh-size S]]\n"
    "                        [--households H.csv --household-id H [--households-id H2]]\n"
    "                        [--hh-components A+B-C] [--columns MAP.json]\n"
    "                        [--bootstrap R [--seed S] | --replicate-weights PREFIX]\n"
    "                        [--by FIELD[,GROUP]]\n"
    "                        [--line-share 0.6 | --line VALUE] [--line-by-domain]\n"
    "                        [--strata S] [--psu P] [--lonely-psu adjust|remove|fail]\n"
    "                        [--cv-caution 0.166] [--cv-unreliable 0.333] [--min-n 20]\n"
    "                        [--out F.csv] [--json] [--store-as CODE --period P] [--timing]\n"
    "Direct estimates by domain and for the whole sample (EU-SILC conventions as R laeken):\n"
    "median equivalised income, the poverty line (share of the weighted median of the whole\n"
    "population unless --line-by-domain), at-risk-of-poverty rate with its linearised SE\n"
    "(the estimated line's own variance included, as R convey's svyarpr)\n"
    "(strata and PSUs; a stratum with one PSU is centred at the grand mean unless\n"
    "--lonely-psu says otherwise), FGT(1), FGT(2), RMPG, Gini, S80/S20, CV and flag.\n"
    "--hh-size: INC is household income, divided by the modified OECD scale\n"
    "(1 + 0.5 (S - 1 - C) + 0.3 C, C = members under 14, 0 without --children).\n"
    "--household-id/--age: one row per person; the scale is 1 + 0.5 (A - 1) + 0.3 C from the\n"
    "members' ages (A aged 14 or more, C under 14; R laeken eqSS), household income is INC\n"
    "given on every member row (must agree) or, with --hh-income sum, the members' INC summed;\n"
    "--hh-size is then checked against the member count. Every person gets the household's\n"
    "equivalised income.\n"
    "--income A+B-C: income as components (EU-SILC's py010n+py050n...), summed per row;\n"
    "an empty component cell counts as 0 (a child's personal components), and says so.\n"
    "--hh-components A+B-C: the household's own components (hy040n+...-hy130n-hy145n),\n"
    "on every member row or in --households, added once to the members' summed incomes\n"
    "(needs --household-id and --age; R laeken's eqInc).\n"
    ;
/* the second half of the help (ISO C keeps a string literal under 4,096 characters) */
static const char *POV_USAGE2 =
    "--bootstrap R [--seed S]: the ARPR's SE (and CV, flag) from R replicates of the Rao-Wu\n"
    "rescaling bootstrap (n_h - 1 PSUs drawn in each stratum, as R survey's subbootstrap), every\n"
    "estimate and the line recomputed on each; --json adds every estimate's bootstrap SE\n"
    "(median, mean, rates, RMPG, Gini, S80/S20). Same result on any number of threads.\n"
    "--replicate-weights PREFIX [--replicate-scale X]: the file's own replicate weights,\n"
    "columns PREFIX1..PREFIXR (as statistical offices ship them), instead of drawn ones;\n"
    "variance = X sum_r (theta_r - mean)^2, X by default 1/(R - 1) (bootstrap replicates).\n"
    "--columns MAP.json: the column roles as a JSON object instead of (or under) the flags:\n"
    "{\"weight\": \"rb050\", \"income\": \"eqIncome\", \"by\": \"db040\", \"household_id\": ...};\n"
    "keys microdata, weight, income, by, strata, psu, hh_size, children, household_id,\n"
    "age, households, households_id, hh_components; a flag given too wins.\n"
    "--by FIELD,GROUP: also each GROUP level (sex, age class) within every area and over\n"
    "all areas, the line still that of the whole population; rows gain a last column\n"
    "'group' (empty on the area rows and the total; domain 'total' on the group rows).\n"
    "--households H.csv: household-level columns (income, size, area, strata, PSU, as\n"
    "EU-SILC's H and D files) joined to the person rows by --household-id (named\n"
    "--households-id in H.csv when it differs); a column is read from the person file\n"
    "when it has it, else from H.csv. A person whose household is missing, a household\n"
    "twice, or a household without person rows is an error naming it.\n"
    "--store-as: write the domain estimates (domains are area codes) with SE and the\n"
    "'estimated' flag as indicator CODE at period P, and record the run.\n"
    "Output columns: domain,n,weighted_n,median_income,poverty_line,arop,arop_se,fgt1,fgt2,\n"
    "rmpg,gini,qsr,cv_arop,flag (proportions 0-1).\n"
    "--timing: print the reading and estimation wall times on stderr.\n";

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int parse_pos(const char *cmd, const char *flag, const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (*s == '\0' || *end || !(v > 0) || !isfinite(v))
        return cli_usage_error(cmd, "%s needs a positive number, got '%s'", flag, s);
    *out = v;
    return CLI_OK;
}

/* One output row: a result row under its domain (an area, or "total") and, with --by FIELD,GROUP,
 * its group (NULL: every group). */
typedef struct out_row {
    const sol_poverty_row *r;
    const char *domain, *group;
    const sol_poverty_se *boot; /* --bootstrap: the replicate SEs of this row, else NULL */
} out_row;

static void write_csv(FILE *f, const out_row *rows, size_t nrows, int with_group)
{
    fputs("domain,n,weighted_n,median_income,poverty_line,arop,arop_se,fgt1,fgt2,rmpg,gini,qsr,"
          "cv_arop,flag",
          f);
    fputs(with_group ? ",group\n" : "\n", f);
    for (size_t i = 0; i < nrows; i++) {
        const sol_poverty_row *w = rows[i].r;
        cli_csv_field(f, rows[i].domain, 0);
        fprintf(f, "%zu,", w->n);
        double v[] = {w->weighted_n, w->median_income, w->poverty_line, w->arop,
                      w->arop_se,    w->fgt1,          w->fgt2,         w->rmpg,
                      w->gini,       w->qsr,           w->cv_arop};
        for (size_t k = 0; k < sizeof v / sizeof *v; k++)
            cli_csv_number(f, v[k], 0);
        cli_csv_field(f, w->flag, !with_group);
        if (with_group)
            cli_csv_field(f, rows[i].group ? rows[i].group : "", 1);
    }
}

/* Equivalised income per person from the household's members: the modified OECD scale from ages,
 * household income summed over members (sum) or given on every member row (given: must agree),
 * plus the household's own components `hcomp` when given (on every member row: must agree; R
 * laeken's eqInc); a household size column, when given, must equal the member count. */
static int household_income(const char *micro, const sol_microdata *md, size_t ci_hh, size_t ci_age,
                            const double *inc, const double *hcomp, long ci_hs, int sum,
                            double **out)
{
    size_t n = sol_microdata_rows(md), nh = sol_microdata_nlevels(md, ci_hh);
    const uint32_t *h = sol_microdata_codes(md, ci_hh);
    const double *hs = ci_hs >= 0 ? sol_microdata_numbers(md, (size_t)ci_hs) : NULL;
    double *eq = malloc((n ? n : 1) * sizeof *eq), *hinc = calloc(nh + 1, sizeof *hinc);
    size_t *mem = calloc(nh + 1, sizeof *mem), *first = malloc((nh + 1) * sizeof *first);
    sol_error err;
    sol_error_clear(&err);
    int ret = CLI_FAIL;
    if (eq == NULL || hinc == NULL || mem == NULL || first == NULL) {
        ret = cli_failf("out of memory");
        goto done;
    }
    if (sol_stats_oecd_scale_hh(h, nh, sol_microdata_numbers(md, ci_age), n, eq, mem, &err) !=
        SOL_OK) {
        ret = cli_failf("%s: %s", micro, err.msg);
        goto done;
    }
    for (size_t k = 0; k < nh; k++)
        first[k] = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        uint32_t k = h[i];
        if (first[k] == SIZE_MAX) {
            first[k] = i;
            hinc[k] = (sum ? 0 : inc[i]) + (hcomp ? hcomp[i] : 0);
        } else if (hcomp && hcomp[i] != hcomp[first[k]]) {
            ret = cli_failf("%s: household '%s': household income components %.17g on data row "
                            "%zu but %.17g on data row %zu; they belong to the household and "
                            "must be the same on every member row",
                            micro, sol_microdata_level(md, ci_hh, k), hcomp[first[k]],
                            first[k] + 1, hcomp[i], i + 1);
            goto done;
        }
        if (sum) {
            hinc[k] += inc[i];
        } else if (inc[i] != inc[first[k]]) {
            ret = cli_failf("%s: household '%s': income %.17g on data row %zu but %.17g on data "
                            "row %zu; with --hh-income given every member row carries the "
                            "household's income (use --hh-income sum for personal incomes)",
                            micro, sol_microdata_level(md, ci_hh, k), inc[first[k]], first[k] + 1,
                            inc[i], i + 1);
            goto done;
        }
        if (hs && hs[i] != (double)mem[k]) {
            ret = cli_failf("%s: household '%s' has %zu member rows but household size %g on "
                            "data row %zu: a member is missing from the file or the size is "
                            "wrong",
                            micro, sol_microdata_level(md, ci_hh, k), mem[k], hs[i], i + 1);
            goto done;
        }
    }
    for (size_t i = 0; i < n; i++)
        eq[i] = hinc[h[i]] / eq[i];
    *out = eq;
    eq = NULL;
    ret = CLI_OK;
done:
    free(eq);
    free(hinc);
    free(mem);
    free(first);
    return ret;
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

/* Person rows with household columns (--households): every column of `cols` is read from the
 * person file when it has it, else from the household file; both carry the household id
 * (cols[ci_hh] in the persons, `hkey` in the households). at[j] gets column j's place in *md. */
static int read_joined(const char *micro, const char *hfile, const char *hkey,
                       const sol_md_column *cols, size_t nc, size_t ci_hh, size_t *at,
                       sol_microdata **md)
{
    sol_md_column pc[POV_MAXCOLS], hc[POV_MAXCOLS + 1];
    size_t np = 0, nh = 0, p_at[POV_MAXCOLS], h_at[POV_MAXCOLS];
    int in_h[POV_MAXCOLS];
    sol_error err;
    sol_error_clear(&err);
    hc[nh++] = (sol_md_column){hkey, SOL_MD_CODE, 0, 0, 0, "household id"};
    for (size_t j = 0; j < nc; j++) {
        int p = j == ci_hh ? 1 : has_column(micro, cols[j].name, &err);
        if (p < 0)
            return cli_fail(&err);
        in_h[j] = !p && has_column(hfile, cols[j].name, &err) > 0;
        if (in_h[j]) {
            h_at[j] = nh;
            hc[nh++] = cols[j];
        } else {
            p_at[j] = np;
            pc[np++] = cols[j]; /* absent from both: the person reader names it */
        }
    }
    sol_microdata *pm = NULL, *hm = NULL;
    int ret = CLI_FAIL;
    if (sol_microdata_read(micro, pc, np, &pm, &err) != SOL_OK ||
        sol_microdata_read(hfile, hc, nh, &hm, &err) != SOL_OK ||
        sol_microdata_join(pm, p_at[ci_hh], micro, hm, 0, hfile, md, &err) != SOL_OK) {
        ret = cli_fail(&err);
    } else {
        /* the join holds the person columns, then the household ones but the key */
        for (size_t j = 0; j < nc; j++)
            at[j] = in_h[j] ? np + h_at[j] - 1 : p_at[j];
        ret = CLI_OK;
    }
    sol_microdata_free(pm);
    sol_microdata_free(hm);
    return ret;
}

/* --by FIELD,GROUP: the estimates of each group over all areas (*res_g) and of each area x group
 * cell present in the sample (*res_c, cells named "area\x1fgroup" so that they sort by area, then
 * group), with the same line and design as the areas'. The arrays the results borrow names from
 * are returned for the caller to free. */
static int by_group(const sol_microdata *md, size_t ci_by, size_t ci_grp, const double *inc,
                    const sol_design *d, const char *const *dnames, const sol_poverty_opts *o,
                    sol_poverty_result **res_g, sol_poverty_result **res_c, uint32_t **cell_out,
                    char ***names_out, size_t *n_cells, const char ***gnames_out)
{
    size_t n = sol_microdata_rows(md), na = sol_microdata_nlevels(md, ci_by),
           ng = sol_microdata_nlevels(md, ci_grp);
    const uint32_t *a = sol_microdata_codes(md, ci_by), *g = sol_microdata_codes(md, ci_grp);
    const char **gnames = calloc(ng + 1, sizeof *gnames);
    uint32_t *cell = malloc((n ? n : 1) * sizeof *cell);
    int64_t *id = malloc((na * ng > 0 ? na * ng : 1) * sizeof *id);
    char **names = NULL;
    sol_error err;
    sol_error_clear(&err);
    *gnames_out = gnames;
    *cell_out = cell;
    if (gnames == NULL || cell == NULL || id == NULL || na * ng / (ng ? ng : 1) != na) {
        free(id);
        return cli_failf("out of memory");
    }
    for (size_t k = 0; k < ng; k++)
        gnames[k] = sol_microdata_level(md, ci_grp, k);
    for (size_t k = 0; k < na * ng; k++)
        id[k] = -1;
    size_t nc = 0;
    for (size_t i = 0; i < n; i++) {
        size_t p = (size_t)a[i] * ng + g[i];
        if (id[p] < 0)
            id[p] = (int64_t)nc++;
        cell[i] = (uint32_t)id[p];
    }
    if ((names = calloc(nc + 1, sizeof *names)) == NULL) {
        free(id);
        return cli_failf("out of memory");
    }
    *names_out = names;
    *n_cells = nc; /* names[k] NULL until made: the caller frees all nc */
    for (size_t p = 0; p < na * ng; p++) {
        if (id[p] < 0)
            continue;
        const char *an = dnames[p / ng], *gn = gnames[p % ng];
        size_t la = strlen(an), lg = strlen(gn);
        if ((names[id[p]] = malloc(la + lg + 2)) == NULL) {
            free(id);
            return cli_failf("out of memory");
        }
        memcpy(names[id[p]], an, la);
        names[id[p]][la] = '\x1f';
        memcpy(names[id[p]] + la + 1, gn, lg + 1);
    }
    free(id);
    if (sol_poverty_estimate(inc, d, g, ng, gnames, o, res_g, &err) != SOL_OK ||
        sol_poverty_estimate(inc, d, cell, nc, (const char *const *)names, o, res_c, &err) !=
            SOL_OK)
        return cli_fail(&err);
    return CLI_OK;
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

/* --replicate-weights PREFIX: the columns PREFIX1, PREFIX2, ... of the person file (numbered
 * from 1 without gaps), as an n x R row-major matrix. */
static int read_replicates(const char *micro, const char *prefix, size_t n, double **out,
                           size_t *R)
{
    sol_error err;
    sol_error_clear(&err);
    sol_csv *c = NULL;
    if (sol_csv_open(micro, NULL, &c, &err) != SOL_OK)
        return cli_fail(&err);
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
    if (r < 2 || extra)
        return cli_failf("%s: --replicate-weights %s: expected columns %s1, %s2, ... numbered "
                         "without gaps (found %zu in a row%s)",
                         micro, prefix, prefix, prefix, r, extra ? " and more after a gap" : "");
    if (r > SOL_MAX_MICRODATA_COLS)
        return cli_failf("%s: at most %u replicate weight columns", micro, SOL_MAX_MICRODATA_COLS);
    sol_md_column *cols = calloc(r, sizeof *cols);
    char (*names)[64] = calloc(r, sizeof *names);
    double *w = malloc((n * r > 0 ? n * r : 1) * sizeof *w);
    sol_microdata *md = NULL;
    int ret = CLI_FAIL;
    if (cols == NULL || names == NULL || w == NULL) {
        ret = cli_failf("out of memory");
        goto done;
    }
    for (size_t k = 0; k < r; k++) {
        snprintf(names[k], sizeof names[k], "%s%zu", prefix, k + 1);
        cols[k] = (sol_md_column){names[k], SOL_MD_NUMBER, 0, 1, 0, "replicate weight"};
    }
    if (sol_microdata_read(micro, cols, r, &md, &err) != SOL_OK) {
        ret = cli_fail(&err);
        goto done;
    }
    if (sol_microdata_rows(md) != n) {
        ret = cli_failf("%s: the replicate weights have %zu rows, the sample %zu", micro,
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
    ret = CLI_OK;
done:
    sol_microdata_free(md);
    free(w);
    free(names);
    free(cols);
    return ret;
}

static json_t *num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static char *result_json(const sol_poverty_result *r, const out_row *out, size_t nout,
                         int with_group, const char *se_method, int pretty)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < nout; i++) {
        const sol_poverty_row *w = out[i].r;
        json_t *o = json_object();
        json_object_set_new(o, "domain", json_string(out[i].domain));
        if (with_group)
            json_object_set_new(o, "group", out[i].group ? json_string(out[i].group) : json_null());
        json_object_set_new(o, "n", json_integer((json_int_t)w->n));
        json_object_set_new(o, "weighted_n", num(w->weighted_n));
        json_object_set_new(o, "median_income", num(w->median_income));
        json_object_set_new(o, "mean_income", num(w->mean_income));
        json_object_set_new(o, "mean_income_se", num(w->mean_income_se));
        json_object_set_new(o, "poverty_line", num(w->poverty_line));
        json_object_set_new(o, "arop", num(w->arop));
        json_object_set_new(o, "arop_se", num(w->arop_se));
        json_object_set_new(o, "arop_se_fixed_line", num(w->arop_se_fixed_line));
        if (out[i].boot) {
            const sol_poverty_se *b = out[i].boot;
            json_object_set_new(
                o, "bootstrap_se",
                json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I}", "median_income",
                          num(b->median_income), "mean_income", num(b->mean_income), "arop",
                          num(b->arop), "fgt1", num(b->fgt1), "fgt2", num(b->fgt2), "rmpg",
                          num(b->rmpg), "gini", num(b->gini), "qsr", num(b->qsr),
                          "dropped_replicates", (json_int_t)b->dropped));
        }
        json_object_set_new(o, "fgt1", num(w->fgt1));
        json_object_set_new(o, "fgt1_se", num(w->fgt1_se));
        json_object_set_new(o, "fgt2", num(w->fgt2));
        json_object_set_new(o, "fgt2_se", num(w->fgt2_se));
        json_object_set_new(o, "rmpg", num(w->rmpg));
        json_object_set_new(o, "gini", num(w->gini));
        json_object_set_new(o, "qsr", num(w->qsr));
        json_object_set_new(o, "cv_arop", num(w->cv_arop));
        json_object_set_new(o, "flag", json_string(w->flag));
        json_array_append_new(rows, o);
    }
    json_t *root = json_object();
    json_object_set_new(root, "strata", json_integer((json_int_t)r->n_strata));
    json_object_set_new(root, "psu", json_integer((json_int_t)r->n_psu));
    json_object_set_new(root, "lonely_strata", json_integer((json_int_t)r->lonely_strata));
    json_object_set_new(root, "arop_se_method", json_string(se_method));
    json_object_set_new(root, "domains", rows);
    char *s = json_dumps(root, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER |
                                   JSON_REAL_PRECISION(17));
    json_decref(root);
    return s;
}

/* A column map (--columns F.json): the roles the flags name, as a JSON object of strings, e.g.
 * {"weight": "rb050", "income": "py010n+py050n", "household_id": "db030", "age": "age",
 *  "by": "db040", "strata": "db040", "psu": "db030"}; a flag given too wins. */
static const char *const MAP_KEYS[] = {"microdata", "weight", "income", "by", "strata", "psu",
                                       "hh_size", "children", "household_id", "age",
                                       "households", "households_id", "hh_components", NULL};

static int load_map(const char *path, json_t **out)
{
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (j == NULL)
        return cli_failf("%s:%d:%d: %s (a column map is a JSON object of role: column)", path,
                         je.line, je.column, je.text);
    if (!json_is_object(j)) {
        json_decref(j);
        return cli_failf("%s: a column map is a JSON object such as {\"weight\": \"rb050\", "
                         "\"income\": \"eqIncome\"}",
                         path);
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
            int ret = cli_failf("%s: '%s': expected one of %s with a column name", path, k, keys);
            json_decref(j);
            return ret;
        }
    }
    *out = j;
    return CLI_OK;
}

static int poverty_run(const cli_ctx *ctx, int argc, char **argv, json_t *map);

int cmd_poverty(const cli_ctx *ctx, int argc, char **argv)
{
    /* --columns is read first, so that the flags can override it and nothing leaks on errors */
    json_t *map = NULL;
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        if (strcmp(argv[i], "--columns") == 0 && i + 1 < argc)
            v = argv[i + 1];
        else if (strncmp(argv[i], "--columns=", 10) == 0)
            v = argv[i] + 10;
        if (v) {
            int rc = load_map(v, &map);
            if (rc != CLI_OK)
                return rc;
            break;
        }
        if (strcmp(argv[i], "--") == 0)
            break;
    }
    int rc = poverty_run(ctx, argc, argv, map);
    json_decref(map);
    return rc;
}

static const char *from_map(json_t *map, const char *key, const char *flag)
{
    return flag ? flag : json_string_value(json_object_get(map, key));
}

static int poverty_run(const cli_ctx *ctx, int argc, char **argv, json_t *map)
{
    const char *micro = NULL, *weight = NULL, *income = NULL, *by = NULL, *strata = NULL,
               *psu = NULL, *out = NULL, *hh_size = NULL, *children = NULL, *store_as = NULL,
               *period = NULL, *hh_id = NULL, *age = NULL, *hh_file = NULL, *hh_file_id = NULL,
               *hh_comp = NULL;
    int json = 0, timing = 0, hh_sum = 0, hh_sum_set = 0, seed_set = 0;
    size_t boot_r = 0;
    uint64_t boot_seed = 1;
    const char *rep_prefix = NULL; /* --replicate-weights: the file's own replicate weights */
    double rep_scale = 0;
    double *repw = NULL;
    sol_poverty_opts o = {0};
    sol_lonely_psu lonely = SOL_LONELY_ADJUST;
    char by_field[512];
    const char *group = NULL; /* --by FIELD,GROUP */
    static const struct option opts[] = {{"microdata", required_argument, NULL, 'm'},
                                         {"weight", required_argument, NULL, 'w'},
                                         {"income", required_argument, NULL, 'i'},
                                         {"equivalised", no_argument, NULL, 'e'},
                                         {"hh-size", required_argument, NULL, 's'},
                                         {"children", required_argument, NULL, 'c'},
                                         {"by", required_argument, NULL, 'b'},
                                         {"line-share", required_argument, NULL, 'l'},
                                         {"line", required_argument, NULL, 'L'},
                                         {"line-by-domain", no_argument, NULL, 'D'},
                                         {"strata", required_argument, NULL, 'S'},
                                         {"psu", required_argument, NULL, 'P'},
                                         {"lonely-psu", required_argument, NULL, 'y'},
                                         {"cv-caution", required_argument, NULL, 1},
                                         {"cv-unreliable", required_argument, NULL, 2},
                                         {"min-n", required_argument, NULL, 3},
                                         {"out", required_argument, NULL, 'o'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"store-as", required_argument, NULL, 4},
                                         {"period", required_argument, NULL, 5},
                                         {"timing", no_argument, NULL, 6},
                                         {"household-id", required_argument, NULL, 7},
                                         {"age", required_argument, NULL, 8},
                                         {"hh-income", required_argument, NULL, 9},
                                         {"households", required_argument, NULL, 10},
                                         {"households-id", required_argument, NULL, 11},
                                         {"hh-components", required_argument, NULL, 12},
                                         {"columns", required_argument, NULL, 13},
                                         {"bootstrap", required_argument, NULL, 14},
                                         {"replicate-weights", required_argument, NULL, 16},
                                         {"replicate-scale", required_argument, NULL, 17},
                                         {"seed", required_argument, NULL, 15},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c, rc;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            micro = optarg;
            break;
        case 'w':
            weight = optarg;
            break;
        case 'i':
            income = optarg;
            break;
        case 'e':
            break;
        case 's':
            hh_size = optarg;
            break;
        case 'c':
            children = optarg;
            break;
        case 'b':
            by = optarg;
            break;
        case 'l':
            if ((rc = parse_pos("poverty", "--line-share", optarg, &o.line_share)) != CLI_OK)
                return rc;
            if (o.line_share > 1)
                return cli_usage_error("poverty", "--line-share must be at most 1");
            break;
        case 'L':
            if ((rc = parse_pos("poverty", "--line", optarg, &o.line)) != CLI_OK)
                return rc;
            break;
        case 'D':
            o.line_by_domain = 1;
            break;
        case 'S':
            strata = optarg;
            break;
        case 'P':
            psu = optarg;
            break;
        case 'y':
            if (strcmp(optarg, "adjust") == 0)
                lonely = SOL_LONELY_ADJUST;
            else if (strcmp(optarg, "remove") == 0)
                lonely = SOL_LONELY_REMOVE;
            else if (strcmp(optarg, "fail") == 0)
                lonely = SOL_LONELY_FAIL;
            else
                return cli_usage_error("poverty", "--lonely-psu is adjust, remove or fail");
            break;
        case 1:
            if ((rc = parse_pos("poverty", "--cv-caution", optarg, &o.cv_caution)) != CLI_OK)
                return rc;
            break;
        case 2:
            if ((rc = parse_pos("poverty", "--cv-unreliable", optarg, &o.cv_unreliable)) != CLI_OK)
                return rc;
            break;
        case 3: {
            double v;
            if ((rc = parse_pos("poverty", "--min-n", optarg, &v)) != CLI_OK)
                return rc;
            o.min_n = (size_t)v;
            break;
        }
        case 'o':
            out = optarg;
            break;
        case 'j':
            json = 1;
            break;
        case 4:
            store_as = optarg;
            break;
        case 5:
            period = optarg;
            break;
        case 6:
            timing = 1;
            break;
        case 7:
            hh_id = optarg;
            break;
        case 8:
            age = optarg;
            break;
        case 9:
            hh_sum_set = 1;
            if (strcmp(optarg, "sum") == 0)
                hh_sum = 1;
            else if (strcmp(optarg, "given") == 0)
                hh_sum = 0;
            else
                return cli_usage_error("poverty", "--hh-income is sum or given");
            break;
        case 10:
            hh_file = optarg;
            break;
        case 11:
            hh_file_id = optarg;
            break;
        case 12:
            hh_comp = optarg;
            break;
        case 13:
            break; /* read by cmd_poverty */
        case 14: {
            char *end;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (*optarg == '\0' || *end || v < 2 || v > 100000)
                return cli_usage_error("poverty", "--bootstrap needs a number of replicates from "
                                                  "2 to 100000, got '%s'",
                                       optarg);
            boot_r = (size_t)v;
            break;
        }
        case 16:
            rep_prefix = optarg;
            break;
        case 17:
            if ((rc = parse_pos("poverty", "--replicate-scale", optarg, &rep_scale)) != CLI_OK)
                return rc;
            break;
        case 15: {
            char *end;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (*optarg == '\0' || *end || *optarg == '-')
                return cli_usage_error("poverty", "--seed needs a whole number, got '%s'", optarg);
            boot_seed = (uint64_t)v;
            seed_set = 1;
            break;
        }
        case 'h':
            fputs(POV_USAGE, stdout);
            fputs(POV_USAGE2, stdout);
            return CLI_OK;
        default:
            return cli_usage_error("poverty", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("poverty", "unexpected argument '%s'", argv[optind]);
    /* the column map fills the roles no flag gave, in MAP_KEYS order */
    const char **role[] = {&micro,  &weight, &income,  &by,      &strata,     &psu,    &hh_size,
                           &children, &hh_id, &age,    &hh_file, &hh_file_id, &hh_comp};
    _Static_assert(sizeof role / sizeof *role == sizeof MAP_KEYS / sizeof *MAP_KEYS - 1,
                   "one variable per column map key");
    for (size_t k = 0; MAP_KEYS[k]; k++)
        *role[k] = from_map(map, MAP_KEYS[k], *role[k]);
    if (!micro || !weight || !income)
        return cli_usage_error("poverty", "--microdata, --weight and --income are required");
    if (children && !hh_size)
        return cli_usage_error("poverty", "--children needs --hh-size");
    if (age && !hh_id)
        return cli_usage_error("poverty", "--age needs --household-id");
    if (hh_id && !age && !hh_file)
        return cli_usage_error("poverty", "--household-id needs --age (or --households)");
    if (hh_file && !hh_id)
        return cli_usage_error("poverty", "--households needs --household-id (the key of both files)");
    if (hh_file_id && !hh_file)
        return cli_usage_error("poverty", "--households-id needs --households");
    if (rep_prefix && boot_r)
        return cli_usage_error("poverty", "--replicate-weights and --bootstrap: give one (the "
                                          "file's replicates, or drawn ones)");
    if (rep_scale > 0 && !rep_prefix)
        return cli_usage_error("poverty", "--replicate-scale goes with --replicate-weights");
    if (rep_prefix && hh_file)
        return cli_usage_error("poverty", "--replicate-weights are read from the person file; "
                                          "join the households without them");
    if (hh_comp && !age)
        return cli_usage_error("poverty", "--hh-components needs --household-id and --age (the "
                                          "household income is built from its members)");
    if (hh_comp && hh_sum_set && !hh_sum)
        return cli_usage_error("poverty", "--hh-components adds the household's components to "
                                          "its members' summed incomes: drop --hh-income given");
    if (hh_comp)
        hh_sum = 1;
    /* the income, or its components: "A+B-C" unless the file has a column of that very name */
    terms it = {0}, ht = {0};
    if (income && strpbrk(income, "+-")) {
        sol_error herr;
        sol_error_clear(&herr);
        int whole = micro ? has_column(micro, income, &herr) : 0;
        if (whole <= 0 && (rc = parse_terms("--income", income, &it)) != CLI_OK)
            return rc;
    }
    if (hh_comp && (rc = parse_terms("--hh-components", hh_comp, &ht)) != CLI_OK)
        return rc;
    if (hh_id && children)
        return cli_usage_error("poverty", "--children is counted from --age with --household-id");
    if ((store_as != NULL) != (period != NULL))
        return cli_usage_error("poverty", "--store-as and --period go together");
    if (store_as && !by)
        return cli_usage_error("poverty", "--store-as needs --by (the area code column)");
    if (by && strchr(by, ',')) {
        const char *comma = strchr(by, ',');
        group = comma + 1;
        if (comma == by || *group == '\0' || strchr(group, ',') ||
            (size_t)(comma - by) >= sizeof by_field)
            return cli_usage_error("poverty", "--by is FIELD or FIELD,GROUP (two column names)");
        memcpy(by_field, by, (size_t)(comma - by));
        by_field[comma - by] = '\0';
        by = by_field;
        if (o.line_by_domain)
            return cli_usage_error("poverty", "--line-by-domain takes one --by FIELD (the line of "
                                              "each area); run the groups without it");
        if (store_as)
            return cli_usage_error("poverty", "--store-as stores area estimates: give --by FIELD "
                                              "without the GROUP");
    }

    sol_md_column cols[POV_MAXCOLS];
    size_t nc = 0, ci_inc, ci_w, ci_by = 0, ci_str = 0, ci_psu = 0, ci_hs = 0, ci_ch = 0, ci_hh = 0,
           ci_age = 0, ci_grp = 0;
    ci_inc = nc;
    if (it.n == 0)
        cols[nc++] = (sol_md_column){income, SOL_MD_NUMBER, 0, 0, 0, "income"};
    for (size_t k = 0; k < it.n; k++) {
        it.ci[k] = nc;
        cols[nc++] = (sol_md_column){it.name[k], SOL_MD_NUMBER, 1, 0, 0, "income component"};
    }
    for (size_t k = 0; k < ht.n; k++) {
        ht.ci[k] = nc;
        cols[nc++] = (sol_md_column){ht.name[k], SOL_MD_NUMBER, 1, 0, 0,
                                     "household income component"};
    }
    ci_w = nc;
    cols[nc++] = (sol_md_column){weight, SOL_MD_NUMBER, 0, 1, 0, "weight"};
    if (by) {
        ci_by = nc;
        cols[nc++] = (sol_md_column){by, SOL_MD_CODE, 0, 0, 0, "domain code"};
    }
    if (group) {
        ci_grp = nc;
        cols[nc++] = (sol_md_column){group, SOL_MD_CODE, 0, 0, 0, "group code"};
    }
    if (strata) {
        ci_str = nc;
        cols[nc++] = (sol_md_column){strata, SOL_MD_CODE, 0, 0, 0, "stratum"};
    }
    if (psu) {
        ci_psu = nc;
        cols[nc++] = (sol_md_column){psu, SOL_MD_CODE, 0, 0, 0, "PSU"};
    }
    if (hh_size) {
        ci_hs = nc;
        cols[nc++] = (sol_md_column){hh_size, SOL_MD_NUMBER, 0, 0, 1, "household size"};
    }
    if (children) {
        ci_ch = nc;
        cols[nc++] = (sol_md_column){children, SOL_MD_NUMBER, 0, 1, 0, "children under 14"};
    }
    if (hh_id) {
        ci_hh = nc;
        cols[nc++] = (sol_md_column){hh_id, SOL_MD_CODE, 0, 0, 0, "household id"};
    }
    if (age) {
        ci_age = nc;
        cols[nc++] = (sol_md_column){age, SOL_MD_NUMBER, 0, 0, 0, "age"};
    }
    sol_error err;
    sol_error_clear(&err);
    sol_microdata *md = NULL;
    sol_poverty_result *res = NULL, *res_g = NULL, *res_c = NULL;
    sol_poverty_boot_result *boot = NULL, *boot_g = NULL, *boot_c = NULL;
    out_row *rows = NULL;
    size_t nrows = 0;
    char **cell_names = NULL;
    size_t n_cells = 0;
    uint32_t *cell = NULL;
    const char **gnames = NULL;
    double *eq = NULL, *inc_sum = NULL, *hc_sum = NULL;
    const char **dnames = NULL, **snames = NULL;
    int ret = CLI_FAIL;
    cli_progress(ctx, "reading %s", micro);
    double t0 = wall_s();
    if (hh_file) {
        size_t at[POV_MAXCOLS];
        if ((ret = read_joined(micro, hh_file, hh_file_id ? hh_file_id : hh_id, cols, nc, ci_hh,
                               at, &md)) != CLI_OK)
            goto done;
        ret = CLI_FAIL;
        size_t *ci[] = {&ci_inc, &ci_w, &ci_by, &ci_str, &ci_psu, &ci_hs, &ci_ch, &ci_hh, &ci_age,
                        &ci_grp};
        for (size_t k = 0; k < sizeof ci / sizeof *ci; k++)
            *ci[k] = at[*ci[k]];
        for (size_t k = 0; k < it.n; k++)
            it.ci[k] = at[it.ci[k]];
        for (size_t k = 0; k < ht.n; k++)
            ht.ci[k] = at[ht.ci[k]];
    } else if (sol_microdata_read(micro, cols, nc, &md, &err) != SOL_OK) {
        ret = cli_fail(&err);
        goto done;
    }
    double t1 = wall_s();
    size_t n = sol_microdata_rows(md);
    const double *inc = sol_microdata_numbers(md, ci_inc);
    size_t empty = 0;
    if ((it.n && (inc = inc_sum = sum_terms(md, &it, &empty)) == NULL) ||
        (ht.n && (hc_sum = sum_terms(md, &ht, &empty)) == NULL)) {
        ret = cli_failf("out of memory");
        goto done;
    }
    if (empty && !ctx->quiet)
        fprintf(stderr, "solidata: note: %zu empty income component cells counted as 0 (EU-SILC "
                        "leaves a child's personal components empty)\n",
                empty);
    if (age) {
        if ((ret = household_income(micro, md, ci_hh, ci_age, inc, hc_sum,
                                    hh_size ? (long)ci_hs : -1, hh_sum, &eq)) != CLI_OK)
            goto done;
        ret = CLI_FAIL;
        inc = eq;
    } else if (hh_size) {
        const double *hs = sol_microdata_numbers(md, ci_hs);
        const double *ch = children ? sol_microdata_numbers(md, ci_ch) : NULL;
        if ((eq = malloc((n ? n : 1) * sizeof *eq)) == NULL) {
            ret = cli_failf("out of memory");
            goto done;
        }
        for (size_t i = 0; i < n; i++) {
            double scale;
            if (sol_stats_oecd_scale(hs[i], ch ? ch[i] : 0, &scale) != SOL_OK) {
                ret = cli_failf("%s: data row %zu: household size %g with %g children under 14 "
                                "is not a household (size >= 1, children <= size - 1)",
                                micro, i + 1, hs[i], ch ? ch[i] : 0);
                goto done;
            }
            eq[i] = inc[i] / scale;
        }
        inc = eq;
    }
    size_t nd = by ? sol_microdata_nlevels(md, ci_by) : 0;
    size_t ns = strata ? sol_microdata_nlevels(md, ci_str) : 0;
    if ((dnames = calloc(nd + 1, sizeof *dnames)) == NULL ||
        (snames = calloc(ns + 1, sizeof *snames)) == NULL) {
        ret = cli_failf("out of memory");
        goto done;
    }
    for (size_t k = 0; k < nd; k++)
        dnames[k] = sol_microdata_level(md, ci_by, k);
    for (size_t k = 0; k < ns; k++)
        snames[k] = sol_microdata_level(md, ci_str, k);
    sol_design d = {.n = n,
                    .weight = sol_microdata_numbers(md, ci_w),
                    .strata = strata ? sol_microdata_codes(md, ci_str) : NULL,
                    .n_strata = ns,
                    .psu = psu ? sol_microdata_codes(md, ci_psu) : NULL,
                    .n_psu = psu ? sol_microdata_nlevels(md, ci_psu) : 0,
                    .strata_names = snames,
                    .lonely = lonely};
    if (sol_poverty_estimate(inc, &d, by ? sol_microdata_codes(md, ci_by) : NULL, nd, dnames, &o,
                             &res, &err) != SOL_OK) {
        ret = cli_fail(&err);
        goto done;
    }
    if (group && (ret = by_group(md, ci_by, ci_grp, inc, &d, dnames, &o, &res_g, &res_c, &cell,
                                 &cell_names, &n_cells, &gnames)) != CLI_OK)
        goto done;
    ret = CLI_FAIL;
    if (rep_prefix && (ret = read_replicates(micro, rep_prefix, n, &repw, &boot_r)) != CLI_OK)
        goto done;
    ret = CLI_FAIL;
    if (boot_r) {
        if (seed_set == 0 && !rep_prefix && !ctx->quiet)
            fprintf(stderr, "solidata: note: --bootstrap without --seed uses seed 1\n");
        cli_progress(ctx, "%s: %zu replicates", rep_prefix ? "replicate weights" : "bootstrap",
                     boot_r);
        sol_poverty_boot bo = {.replicates = boot_r, .seed = boot_seed, .repw = repw,
                               .scale = rep_scale};
        if (sol_poverty_bootstrap(inc, &d, by ? sol_microdata_codes(md, ci_by) : NULL, nd, dnames,
                                  &o, &bo, &boot, &err) != SOL_OK ||
            (res_g && sol_poverty_bootstrap(inc, &d, sol_microdata_codes(md, ci_grp),
                                            res_g->n_rows - 1, gnames, &o, &bo, &boot_g,
                                            &err) != SOL_OK) ||
            (res_c && sol_poverty_bootstrap(inc, &d, cell, res_c->n_rows - 1,
                                            (const char *const *)cell_names, &o, &bo, &boot_c,
                                            &err) != SOL_OK)) {
            ret = cli_fail(&err);
            goto done;
        }
        use_boot(res, boot, &o);
        if (res_g)
            use_boot(res_g, boot_g, &o);
        if (res_c)
            use_boot(res_c, boot_c, &o);
    }
    if ((rows = calloc(res->n_rows + (res_g ? res_g->n_rows : 0) + (res_c ? res_c->n_rows : 0),
                       sizeof *rows)) == NULL) {
        ret = cli_failf("out of memory");
        goto done;
    }
    /* each area, then (with a GROUP) its groups; the groups over all areas; the total */
    for (size_t i = 0, k = 0; i + 1 < res->n_rows; i++) {
        const char *a = res->rows[i].domain;
        rows[nrows++] = (out_row){&res->rows[i], a, NULL, boot ? &boot->se[i] : NULL};
        for (; res_c && k + 1 < res_c->n_rows; k++) {
            const char *cn = res_c->rows[k].domain, *sep = strchr(cn, '\x1f');
            if (strncmp(cn, a, (size_t)(sep - cn)) != 0 || a[sep - cn] != '\0')
                break;
            rows[nrows++] = (out_row){&res_c->rows[k], a, sep + 1, boot_c ? &boot_c->se[k] : NULL};
        }
    }
    for (size_t i = 0; res_g && i + 1 < res_g->n_rows; i++)
        rows[nrows++] = (out_row){&res_g->rows[i], "total", res_g->rows[i].domain,
                                  boot_g ? &boot_g->se[i] : NULL};
    rows[nrows++] = (out_row){&res->rows[res->n_rows - 1], "total", NULL,
                              boot ? &boot->se[res->n_rows - 1] : NULL};
    char se_method[160];
    if (rep_prefix)
        snprintf(se_method, sizeof se_method,
                 "replicate weights %s1..%s%zu of the file, scale %.17g (the line re-estimated "
                 "in each)",
                 rep_prefix, rep_prefix, boot_r, rep_scale > 0 ? rep_scale : 1.0 / (double)(boot_r - 1));
    else if (boot_r)
        snprintf(se_method, sizeof se_method,
                 "Rao-Wu rescaling bootstrap, %zu replicates, seed %llu (the line re-estimated "
                 "in each)",
                 boot_r, (unsigned long long)boot_seed);
    else
        snprintf(se_method, sizeof se_method,
                 "Taylor linearisation, the estimated line's variance included");
    if (timing)
        fprintf(stderr, "timing: read %.3f s (%.0f MB/s), estimate %.3f s\n", t1 - t0,
                (double)sol_microdata_bytes(md) / 1e6 / (t1 - t0), wall_s() - t1);
    if (res->lonely_strata && !ctx->quiet)
        fprintf(stderr, "solidata: note: %zu strata have a single PSU; %s (--lonely-psu)\n",
                res->lonely_strata,
                lonely == SOL_LONELY_ADJUST ? "each is centred at the grand mean (R survey "
                                              "'adjust')"
                                            : "they add nothing to the variance ('remove')");
    FILE *f = stdout;
    if (out && (f = fopen(out, "w")) == NULL) {
        ret = cli_failf("cannot write %s", out);
        goto done;
    }
    if (json) {
        char *s = result_json(res, rows, nrows, group != NULL, se_method, 1);
        if (s)
            fprintf(f, "%s\n", s);
        free(s);
    } else {
        write_csv(f, rows, nrows, group != NULL);
    }
    if (f != stdout && fclose(f) != 0) {
        ret = cli_failf("cannot write %s", out);
        goto done;
    }
    ret = CLI_OK;
    if (store_as) {
        size_t m = res->n_rows - 1;
        sol_estimate *e = calloc(m + 1, sizeof *e);
        if (e == NULL) {
            ret = cli_failf("out of memory");
            goto done;
        }
        for (size_t i = 0; i < m; i++)
            e[i] = (sol_estimate){res->rows[i].domain, res->rows[i].arop, res->rows[i].arop_se,
                                  strcmp(res->rows[i].flag, "unreliable") == 0};
        char *rj = result_json(res, rows, nrows, 0, se_method, 0);
        char spec[1024];
        snprintf(spec, sizeof spec,
                 "{\"microdata\":\"%s\",\"weight\":\"%s\",\"income\":\"%s\",\"by\":\"%s\"}", micro,
                 weight, income, by);
        char choices[512];
        snprintf(choices, sizeof choices,
                 "{\"line_share\":%.17g,\"line\":%.17g,\"line_by_domain\":%d,\"lonely_psu\":%d,"
                 "\"strata\":%s,\"psu\":%s}",
                 o.line_share ? o.line_share : 0.6, o.line, o.line_by_domain, (int)lonely,
                 strata ? "true" : "false", psu ? "true" : "false");
        sol_estimates_store es = {
            .indicator = store_as,
            .label = "At-risk-of-poverty rate (direct survey estimate)",
            .unit = "proportion",
            .polarity = -1,
            .period = period,
            .source_name = micro,
            .source_location = micro,
            .source_sha256 = sol_microdata_sha256(md),
            .source_bytes = (int64_t)sol_microdata_bytes(md),
            .rows_read = (int64_t)n,
            .kind = "poverty.direct",
            .spec_json = spec,
            .method_json = "{\"name\":\"direct estimator of the at-risk-of-poverty rate with "
                           "Taylor-linearised design-based SE, the estimated line's variance "
                           "included\",\"reference\":\"Eurostat EU-SILC conventions as R laeken "
                           "0.5 (Alfons & Templ 2013, JSS 54(15)); variance as R convey svyarpr "
                           "(Deville 1999; Osier 2009) and survey (Lumley 2010)\"}",
            .choices_json = choices,
            .result_json = rj};
        sol_store *st = NULL;
        if (cli_open_store(ctx, &st) != CLI_OK) {
            free(e);
            free(rj);
            ret = CLI_FAIL;
            goto done;
        }
        int64_t run_id;
        if (sol_run_store_estimates(st, &es, e, m, &run_id, &err) != SOL_OK)
            ret = cli_fail(&err);
        else
            cli_progress(ctx, "stored %zu estimates of %s at %s (run %lld)", m, store_as, period,
                         (long long)run_id);
        sol_store_close(st);
        free(e);
        free(rj);
    }
done:
    sol_poverty_result_free(res);
    sol_poverty_result_free(res_g);
    sol_poverty_result_free(res_c);
    sol_poverty_boot_free(boot);
    free(repw);
    sol_poverty_boot_free(boot_g);
    sol_poverty_boot_free(boot_c);
    for (size_t k = 0; k < n_cells; k++)
        free(cell_names[k]);
    free(cell_names);
    free(cell);
    free(gnames);
    free(rows);
    free(inc_sum);
    free(hc_sum);
    sol_microdata_free(md);
    free(eq);
    free(dnames);
    free(snames);
    return ret;
}

/* ---- mpi --------------------------------------------------------------------------------- */

static const char *MPI_USAGE =
    "usage: solidata mpi --microdata F.csv --spec S.json [--by FIELD] [--weight W]\n"
    "                    [--strata S] [--psu P] [--lonely-psu adjust|remove|fail] [--json]\n"
    "Alkire-Foster multidimensional poverty: a person is poor when the weighted share of\n"
    "deprivations is at least k (a score equal to k counts, within 1e-9). Output (JSON):\n"
    "n, q, H, A, M0 (with linearised SEs), indicators (uncensored and censored headcount\n"
    "ratios, contribution) and groups (--by) with their contribution to M0.\n"
    "Spec: {\"k\": 0.333, \"indicators\": [{\"column\": \"school_attendance\",\n"
    "       \"dimension\": \"education\", \"weight\": 0.1667, \"deprived_if\": \"== 1\"}, ...]}\n"
    "optionally nested: \"dimensions\": [{\"name\": \"education\", \"weight\": 0.333}, ...] with\n"
    "indicator weights relative within their dimension (equal when absent).\n";

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    for (size_t k; b && (k = fread(b + n, 1, cap - n, f)) > 0;) {
        n += k;
        if (n == cap) {
            if (cap > SOL_MAX_MPI_SPEC)
                break;
            char *nb = realloc(b, cap * 2);
            if (nb == NULL) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    fclose(f);
    *len = n;
    return b;
}

int cmd_mpi(const cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    const char *micro = NULL, *spec_path = NULL, *by = NULL, *weight = NULL, *strata = NULL,
               *psu = NULL;
    sol_lonely_psu lonely = SOL_LONELY_ADJUST;
    static const struct option opts[] = {{"microdata", required_argument, NULL, 'm'},
                                         {"spec", required_argument, NULL, 's'},
                                         {"by", required_argument, NULL, 'b'},
                                         {"weight", required_argument, NULL, 'w'},
                                         {"strata", required_argument, NULL, 'S'},
                                         {"psu", required_argument, NULL, 'P'},
                                         {"lonely-psu", required_argument, NULL, 'y'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            micro = optarg;
            break;
        case 's':
            spec_path = optarg;
            break;
        case 'b':
            by = optarg;
            break;
        case 'w':
            weight = optarg;
            break;
        case 'S':
            strata = optarg;
            break;
        case 'P':
            psu = optarg;
            break;
        case 'y':
            if (strcmp(optarg, "adjust") == 0)
                lonely = SOL_LONELY_ADJUST;
            else if (strcmp(optarg, "remove") == 0)
                lonely = SOL_LONELY_REMOVE;
            else if (strcmp(optarg, "fail") == 0)
                lonely = SOL_LONELY_FAIL;
            else
                return cli_usage_error("mpi", "--lonely-psu is adjust, remove or fail");
            break;
        case 'j':
            break;
        case 'h':
            fputs(MPI_USAGE, stdout);
            return CLI_OK;
        default:
            return cli_usage_error("mpi", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("mpi", "unexpected argument '%s'", argv[optind]);
    if (!micro || !spec_path)
        return cli_usage_error("mpi", "--microdata and --spec are required");
    sol_error err;
    sol_error_clear(&err);
    size_t len = 0;
    char *text = slurp(spec_path, &len);
    if (text == NULL)
        return cli_failf("%s: cannot read the spec", spec_path);
    sol_mpi_spec *spec = NULL;
    sol_microdata *md = NULL;
    sol_mpi_result *r = NULL;
    const char **gnames = NULL;
    const double **vals = NULL;
    sol_md_column *cols = NULL;
    int ret = CLI_FAIL;
    if (sol_mpi_spec_parse(text, len, spec_path, &spec, &err) != SOL_OK) {
        ret = cli_fail(&err);
        goto done;
    }
    size_t nc = 0, ci_w = 0, ci_by = 0, ci_s = 0, ci_p = 0;
    if ((cols = calloc(spec->n + 4, sizeof *cols)) == NULL ||
        (vals = calloc(spec->n + 1, sizeof *vals)) == NULL) {
        ret = cli_failf("out of memory");
        goto done;
    }
    for (size_t j = 0; j < spec->n; j++)
        cols[nc++] = (sol_md_column){spec->ind[j].column, SOL_MD_NUMBER, 0, 0, 0, "indicator"};
    if (weight) {
        ci_w = nc;
        cols[nc++] = (sol_md_column){weight, SOL_MD_NUMBER, 0, 1, 0, "weight"};
    }
    if (by) {
        ci_by = nc;
        cols[nc++] = (sol_md_column){by, SOL_MD_CODE, 0, 0, 0, "group"};
    }
    if (strata) {
        ci_s = nc;
        cols[nc++] = (sol_md_column){strata, SOL_MD_CODE, 0, 0, 0, "stratum"};
    }
    if (psu) {
        ci_p = nc;
        cols[nc++] = (sol_md_column){psu, SOL_MD_CODE, 0, 0, 0, "PSU"};
    }
    if (sol_microdata_read(micro, cols, nc, &md, &err) != SOL_OK) {
        ret = cli_fail(&err);
        goto done;
    }
    for (size_t j = 0; j < spec->n; j++)
        vals[j] = sol_microdata_numbers(md, j);
    size_t ng = by ? sol_microdata_nlevels(md, ci_by) : 0;
    if ((gnames = calloc(ng + 1, sizeof *gnames)) == NULL) {
        ret = cli_failf("out of memory");
        goto done;
    }
    for (size_t g = 0; g < ng; g++)
        gnames[g] = sol_microdata_level(md, ci_by, g);
    sol_design d = {.n = sol_microdata_rows(md),
                    .weight = weight ? sol_microdata_numbers(md, ci_w) : NULL,
                    .strata = strata ? sol_microdata_codes(md, ci_s) : NULL,
                    .n_strata = strata ? sol_microdata_nlevels(md, ci_s) : 0,
                    .psu = psu ? sol_microdata_codes(md, ci_p) : NULL,
                    .n_psu = psu ? sol_microdata_nlevels(md, ci_p) : 0,
                    .lonely = lonely};
    if (sol_mpi_estimate(spec, vals, &d, by ? sol_microdata_codes(md, ci_by) : NULL, ng, gnames, &r,
                         &err) != SOL_OK) {
        ret = cli_fail(&err);
        goto done;
    }
    json_t *root = json_object(), *inds = json_array(), *groups = json_array();
    json_object_set_new(root, "n", json_integer((json_int_t)r->n));
    json_object_set_new(root, "weighted_n", num(r->weighted_n));
    json_object_set_new(root, "q", num(r->q));
    json_object_set_new(root, "k", num(spec->k));
    json_object_set_new(root, "H", num(r->H));
    json_object_set_new(root, "A", num(r->A));
    json_object_set_new(root, "M0", num(r->M0));
    json_object_set_new(root, "H_se", num(r->H_se));
    json_object_set_new(root, "A_se", num(r->A_se));
    json_object_set_new(root, "M0_se", num(r->M0_se));
    for (size_t j = 0; j < spec->n; j++) {
        json_t *o = json_object();
        json_object_set_new(o, "column", json_string(spec->ind[j].column));
        json_object_set_new(o, "dimension", json_string(spec->ind[j].dimension));
        json_object_set_new(o, "weight", num(spec->ind[j].weight));
        json_object_set_new(o, "uncensored_headcount", num(r->ind[j].uncensored_headcount));
        json_object_set_new(o, "censored_headcount", num(r->ind[j].censored_headcount));
        json_object_set_new(o, "contribution", num(r->ind[j].contribution));
        json_array_append_new(inds, o);
    }
    for (size_t g = 0; g < r->n_groups; g++) {
        const sol_mpi_group *gr = &r->groups[g];
        json_t *o = json_object();
        json_object_set_new(o, "group", json_string(gr->group));
        json_object_set_new(o, "n", json_integer((json_int_t)gr->n));
        json_object_set_new(o, "H", num(gr->H));
        json_object_set_new(o, "A", num(gr->A));
        json_object_set_new(o, "M0", num(gr->M0));
        json_object_set_new(o, "contribution", num(gr->contribution));
        json_array_append_new(groups, o);
    }
    json_object_set_new(root, "indicators", inds);
    json_object_set_new(root, "groups", groups);
    char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(root);
    if (s)
        printf("%s\n", s);
    free(s);
    ret = CLI_OK;
done:
    free(text);
    free(cols);
    free(vals);
    free(gnames);
    sol_mpi_result_free(r);
    sol_microdata_free(md);
    sol_mpi_spec_free(spec);
    return ret;
}
