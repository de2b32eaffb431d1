/* sae.c - one Fay-Herriot small area estimation from a file of areas: the columns read and
 * checked, the model fitted, back-transformed and benchmarked, the result as JSON and, with
 * store_as, the estimates stored with their run and method card. */
#include <solidata/run_sae.h>

#include <solidata/limits.h>
#include <solidata/run_estimates.h>

#include "core/core.h"
#include "run/run_int.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const TR_NAME[] = {"none", "log", "arcsin"};
static const char *const BT_NAME[] = {"bc", "naive", "crude"};

static const char METHOD_JSON[] =
    "{\"name\":\"Fay-Herriot EBLUP with Prasad-Rao/Datta-Lahiri MSE\","
    "\"reference\":\"Fay & Herriot (1979) JASA 74; Prasad & Rao (1990) JASA 85; "
    "Datta & Lahiri (2000) Stat Sinica 10; as R sae 1.3 eblupFH/mseFH (Molina & "
    "Marhuenda 2015, R Journal 7(1))\"}";

void sol_run_sae_job_init(sol_sae_job *j)
{
    memset(j, 0, sizeof *j);
    j->method = SOL_FH_REML;
    j->tol = 1e-10;
    j->max_iter = 100;
    j->transform = SOL_FH_TR_NONE;
    j->backtransform = -1;
    j->seed = 1;
    j->benchmark = NAN;
    j->benchmark_type = SOL_FH_BENCH_RAKING;
}

/* 1 when `name` is one of the comma-separated names of `list`. */
static int in_list(const char *list, const char *name, size_t n)
{
    if (list == NULL)
        return 0;
    for (const char *s = list; *s;) {
        size_t k = strcspn(s, ",");
        if (k == n && strncmp(s, name, n) == 0)
            return 1;
        s += k;
        if (*s == ',')
            s++;
    }
    return 0;
}

sol_status sol_run_sae_check(const sol_sae_job *j, sol_error *err)
{
    int arcsin = j->transform == SOL_FH_TR_ARCSIN, bench = !isnan(j->benchmark);
    if (!j->data || !j->id_field || !j->direct || (j->var && j->se) ||
        (!arcsin && !j->var && !j->se))
        return sol__err(err, SOL_EINVAL,
                        "--data, --id-field, --direct and one of --var or --se are needed");
    if (arcsin != (j->eff_n != NULL))
        return sol__err(err, SOL_EINVAL,
                        "--eff-n (effective sample sizes) goes with, and is "
                        "needed by, --transformation arcsin");
    if (j->backtransform >= 0 && j->transform == SOL_FH_TR_NONE)
        return sol__err(err, SOL_EINVAL, "--backtransform needs --transformation log or arcsin");
    if (j->backtransform == SOL_FH_BT_CRUDE && j->transform != SOL_FH_TR_LOG)
        return sol__err(err, SOL_EINVAL, "--backtransform crude is for --transformation log");
    if (j->mse_boot && !arcsin)
        return sol__err(err, SOL_EINVAL,
                        "--mse-boot is for --transformation arcsin (log has an "
                        "analytical MSE)");
    if (j->mse_boot > SOL_MAX_FH_BOOT)
        return sol__err(err, SOL_EINVAL, "--mse-boot needs 1 to %u replicates", SOL_MAX_FH_BOOT);
    if ((j->benchmark_file != NULL) != (j->benchmark_by != NULL))
        return sol__err(err, SOL_EINVAL, "--benchmark-file and --benchmark-by go together");
    if (bench && j->benchmark_file)
        return sol__err(err, SOL_EINVAL,
                        "--benchmark (one total) or --benchmark-file (one total "
                        "per --benchmark-by value), not both");
    if ((bench || j->benchmark_file != NULL) != (j->benchmark_weights != NULL))
        return sol__err(err, SOL_EINVAL,
                        "--benchmark or --benchmark-file and "
                        "--benchmark-weights go together");
    if ((j->store_as != NULL) != (j->period != NULL))
        return sol__err(err, SOL_EINVAL, "--store-as and --period go together");
    if (!j->store_as && (j->label || j->unit || j->polarity))
        return sol__err(err, SOL_EINVAL, "--label, --unit and --polarity describe --store-as");
    if (j->polarity < -1 || j->polarity > 1)
        return sol__err(err, SOL_EINVAL, "--polarity must be higher_better or lower_better");
    for (const char *s = j->factors; s && *s;) {
        size_t k = strcspn(s, ",");
        if (!in_list(j->covariates, s, k))
            return sol__err(err, SOL_EINVAL, "--factor %.*s is not among --covariates",
                            (int)(k < 255 ? k : 255), s);
        s += k;
        if (*s == ',')
            s++;
    }
    size_t ncols = 2 + (j->var || j->se) + (j->eff_n != NULL) + (j->benchmark_weights != NULL) +
                   (j->benchmark_by != NULL);
    for (const char *s = j->covariates; s && *s;) {
        size_t k = strcspn(s, ",");
        ncols += k > 0;
        s += k + (s[k] == ',');
    }
    if (ncols > SOL_MAX_MICRODATA_COLS)
        return sol__err(err, SOL_EINVAL, "too many covariates");
    return SOL_OK;
}

/* Start (1-based character) of field `k` (0-based) in a CSV line, quotes respected; 0 when the
 * line has fewer fields. */
static size_t field_start(const char *line, size_t k)
{
    size_t pos = 0;
    int q = 0;
    for (size_t f = 0; f < k; pos++) {
        if (line[pos] == '\0' || line[pos] == '\n')
            return 0;
        if (line[pos] == '"')
            q = !q;
        else if (line[pos] == ',' && !q)
            f++;
    }
    return pos + 1;
}

/* An error at column `name` of data record `row` (0-based; line row + 2 of the file, one header
 * line and one record per line): "path:line:col: ...", or "path: ..." when not found. */
static sol_status err_cell(sol_error *err, sol_status code, const char *path, size_t row,
                           const char *name, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static sol_status err_cell(sol_error *err, sol_status code, const char *path, size_t row,
                           const char *name, const char *fmt, ...)
{
    char line[8192], msg[SOL_ERROR_MSG_MAX];
    size_t k = (size_t)-1, col = 0;
    FILE *f = strcmp(path, "-") == 0 ? NULL : fopen(path, "r");
    if (f != NULL && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *tok = line;
        for (size_t j = 0; k == (size_t)-1; j++) {
            size_t len = strcspn(tok, ","), end = len;
            int last = tok[len] == '\0';
            tok[len] = '\0';
            if (len >= 2 && tok[0] == '"' && tok[len - 1] == '"')
                tok[--end] = '\0';
            if (strcmp(tok + (end < len), name) == 0)
                k = j;
            if (last)
                break;
            tok += len + 1;
        }
        for (size_t r = 0; k != (size_t)-1 && fgets(line, sizeof line, f); r++)
            if (r == row) {
                col = field_start(line, k);
                break;
            }
    }
    if (f != NULL)
        fclose(f);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, sol_gettext(fmt), ap);
    va_end(ap);
    return sol__err_at(err, code, path, col ? row + 2 : 0, col, "%s", msg);
}

static double ms_between(const struct timespec *a, const struct timespec *b)
{
    return 1e3 * (double)(b->tv_sec - a->tv_sec) + 1e-6 * (double)(b->tv_nsec - a->tv_nsec);
}

/* The columns read from the area file and where each one is. */
typedef struct sae_cols {
    sol_md_column c[SOL_MAX_MICRODATA_COLS];
    size_t n, ncov, var, eff, bw, by, cov0;
    char *names; /* the covariate names, split in place */
} sae_cols;

static sol_status plan_columns(const sol_sae_job *j, sae_cols *s, sol_error *err)
{
    memset(s, 0, sizeof *s);
    s->c[s->n++] = (sol_md_column){j->id_field, SOL_MD_CODE, 0, 0, 0, N_("area id")};
    s->c[s->n++] = (sol_md_column){j->direct, SOL_MD_NUMBER, 1, 0, 0, N_("direct estimate")};
    if (j->var || j->se) {
        s->var = s->n;
        s->c[s->n++] =
            (sol_md_column){j->var ? j->var : j->se,
                            SOL_MD_NUMBER,
                            1,
                            0,
                            0,
                            j->var ? N_("direct variance") : N_("direct standard error")};
    }
    if (j->eff_n) {
        s->eff = s->n;
        s->c[s->n++] =
            (sol_md_column){j->eff_n, SOL_MD_NUMBER, 1, 0, 0, N_("effective sample size")};
    }
    if (j->benchmark_weights) {
        s->bw = s->n;
        s->c[s->n++] =
            (sol_md_column){j->benchmark_weights, SOL_MD_NUMBER, 0, 1, 0, N_("benchmark weight")};
    }
    if (j->benchmark_by) {
        s->by = s->n;
        s->c[s->n++] =
            (sol_md_column){j->benchmark_by, SOL_MD_CODE, 0, 0, 0, N_("higher-level area")};
    }
    s->cov0 = s->n;
    if (j->covariates == NULL)
        return SOL_OK;
    if ((s->names = sol__strdup(j->covariates)) == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    for (char *tok = s->names, *next; tok != NULL; tok = next) {
        size_t len = strcspn(tok, ",");
        next = tok[len] ? tok + len + 1 : NULL;
        tok[len] = '\0';
        if (*tok == '\0')
            continue;
        if (s->n == SOL_MAX_MICRODATA_COLS)
            return sol__err(err, SOL_EINVAL, "too many covariates");
        s->c[s->n++] =
            (sol_md_column){tok, in_list(j->factors, tok, len) ? SOL_MD_CODE : SOL_MD_NUMBER,
                            0,   0,
                            0,   N_("covariate")};
        s->ncov++;
    }
    return SOL_OK;
}

/* Check each area's direct estimate, variance and sample size as the transformation needs;
 * fill o->ids and o->var_direct. */
static sol_status check_rows(const sol_sae_job *j, const sae_cols *s, sol_sae_output *o,
                             sol_error *err)
{
    const sol_microdata *md = o->md;
    size_t m = o->m;
    int arcsin = j->transform == SOL_FH_TR_ARCSIN;
    const double *y = o->direct;
    const double *vin = (j->var || j->se) ? sol_microdata_numbers(md, s->var) : NULL;
    const double *effn = j->eff_n ? sol_microdata_numbers(md, s->eff) : NULL;
    const uint32_t *idc = sol_microdata_codes(md, 0);
    for (size_t i = 0; i < m; i++) {
        const char *id = o->ids[i] = sol_microdata_level(md, 0, idc[i]);
        o->var_direct[i] = !vin ? NAN : j->se ? vin[i] * vin[i] : vin[i];
        if (!arcsin && j->se && isfinite(y[i]) && !(vin[i] > 0) && isfinite(vin[i]))
            return sol__err_at(err, SOL_EINVAL, j->data, 0, 0,
                               "the direct standard error of area '%s' is %g: it must be "
                               "positive",
                               id, vin[i]);
        if (!arcsin && isfinite(y[i]) && !isfinite(vin[i]) && j->se)
            return sol__err_at(err, SOL_EINVAL, j->data, 0, 0,
                               "area '%s' has a direct estimate but no standard error", id);
        if (!arcsin && isfinite(y[i]) && !isfinite(vin[i]))
            return sol__err_at(err, SOL_EINVAL, j->data, 0, 0,
                               "area '%s' has a direct estimate but no variance", id);
        if (j->transform == SOL_FH_TR_LOG && isfinite(y[i]) && !(y[i] > 0))
            return err_cell(err, SOL_EINVAL, j->data, i, j->direct,
                            "the direct estimate of area '%s' is %g: --transformation log needs "
                            "values above 0 (leave it empty for the synthetic estimate, or use "
                            "--transformation none)",
                            id, y[i]);
        if (arcsin && isfinite(y[i]) && !(y[i] >= 0 && y[i] <= 1))
            return err_cell(err, SOL_EINVAL, j->data, i, j->direct,
                            "the direct estimate of area '%s' is %g: --transformation arcsin is "
                            "for proportions between 0 and 1",
                            id, y[i]);
        if (arcsin && isfinite(y[i]) && isnan(effn[i]))
            return err_cell(err, SOL_EINVAL, j->data, i, j->eff_n,
                            "area '%s' has a direct estimate but no effective sample size in "
                            "'%s' (needed by --transformation arcsin)",
                            id, j->eff_n);
        if (arcsin && isfinite(y[i]) && !(effn[i] > 0 && isfinite(effn[i])))
            return err_cell(err, SOL_EINVAL, j->data, i, j->eff_n,
                            "the effective sample size of area '%s' is %g: it must be above 0", id,
                            effn[i]);
    }
    return SOL_OK;
}

/* Benchmark the areas of each value of data column s->by to its total in the benchmark file
 * (columns benchmark_by and total) into o->benchmarked. */
static sol_status bench_groups(const sol_sae_job *j, const sae_cols *s, sol_sae_output *o,
                               const double *w, sol_error *err)
{
    sol_md_column bc[2] = {{j->benchmark_by, SOL_MD_CODE, 0, 0, 0, N_("higher-level area")},
                           {"total", SOL_MD_NUMBER, 0, 0, 0, N_("benchmark total")}};
    const sol_microdata *md = o->md;
    sol_microdata *tf = NULL;
    sol_error e2;
    size_t m = o->m, *idx = NULL;
    double *e = NULL, *ww = NULL, *out = NULL;
    const char **gid = NULL;
    sol_status rc;
    if ((rc = sol_microdata_read(j->benchmark_file, bc, 2, &tf, err)) != SOL_OK)
        return rc;
    size_t nt = sol_microdata_rows(tf), ng = sol_microdata_nlevels(md, s->by);
    if (sol_microdata_nlevels(tf, 0) != nt) {
        rc = sol__err_at(err, SOL_EDUPLICATE, j->benchmark_file, 0, 0,
                         "values of '%s' are not unique (%zu rows, %zu distinct)", j->benchmark_by,
                         nt, sol_microdata_nlevels(tf, 0));
        goto out;
    }
    if ((idx = sol__malloc((m + 1) * sizeof *idx)) == NULL ||
        (e = sol__malloc((m + 1) * sizeof *e)) == NULL ||
        (ww = sol__malloc((m + 1) * sizeof *ww)) == NULL ||
        (out = sol__malloc((m + 1) * sizeof *out)) == NULL ||
        (gid = sol__malloc((m + 1) * sizeof *gid)) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto out;
    }
    const uint32_t *code = sol_microdata_codes(md, s->by), *tcode = sol_microdata_codes(tf, 0);
    const double *tot = sol_microdata_numbers(tf, 1);
    for (size_t g = 0; g < ng; g++) {
        const char *name = sol_microdata_level(md, s->by, g);
        size_t k = 0, t = 0;
        for (size_t i = 0; i < m; i++)
            if (code[i] == g) {
                idx[k] = i;
                e[k] = o->estimate[i];
                ww[k] = w[i];
                gid[k++] = o->ids[i];
            }
        if (k == 0)
            continue;
        while (t < nt && strcmp(sol_microdata_level(tf, 0, tcode[t]), name) != 0)
            t++;
        if (t == nt) {
            rc = sol__err_at(err, SOL_ENOTFOUND, j->benchmark_file, 0, 0,
                             "%s '%s' (area '%s' of %s) has no total: add a row '%s,TOTAL'",
                             j->benchmark_by, name, gid[0], j->data, name);
            goto out;
        }
        sol_error_clear(&e2);
        if ((rc = sol_sae_benchmark(k, gid, e, ww, tot[t], j->benchmark_type, out, &e2)) !=
            SOL_OK) {
            rc = sol__err_at(err, rc, j->data, 0, 0, "%s '%s': %s", j->benchmark_by, name, e2.msg);
            goto out;
        }
        for (size_t q = 0; q < k; q++)
            o->benchmarked[idx[q]] = out[q];
    }
    rc = SOL_OK;
out:
    sol__free_n(5, idx, e, ww, out, gid);
    sol_microdata_free(tf);
    return rc;
}

static sol_status benchmark(const sol_sae_job *j, const sae_cols *s, sol_sae_output *o,
                            sol_error *err)
{
    const double *w = sol_microdata_numbers(o->md, s->bw);
    sol_error e2;
    sol_status rc;
    if ((o->benchmarked = sol__malloc((o->m + 1) * sizeof *o->benchmarked)) == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    if (j->benchmark_file)
        return bench_groups(j, s, o, w, err);
    sol_error_clear(&e2);
    if ((rc = sol_sae_benchmark(o->m, o->ids, o->estimate, w, j->benchmark, j->benchmark_type,
                                o->benchmarked, &e2)) != SOL_OK)
        return sol__err_at(err, rc, j->data, 0, 0, "%s", e2.msg);
    return SOL_OK;
}

static const char *mse_method(const sol_fh_result *r, unsigned boot_b)
{
    if (boot_b && r->transform == SOL_FH_TR_ARCSIN)
        return "parametric bootstrap (emdi boot_arcsin_2)";
    const char *an = r->method == SOL_FH_ML ? "datta-lahiri" : "prasad-rao";
    if (r->transform == SOL_FH_TR_NONE)
        return an;
    if (r->backtransform == SOL_FH_BT_NAIVE)
        return "none (no MSE for the naive back-transformation)";
    if (r->transform == SOL_FH_TR_ARCSIN)
        return "none (for arcsin emdi's MSE is a parametric bootstrap: ask for it with --mse-boot "
               "B)";
    if (r->backtransform == SOL_FH_BT_CRUDE)
        return r->method == SOL_FH_ML ? "datta-lahiri back-transformed (crude)"
                                      : "prasad-rao back-transformed (crude)";
    return "slud-maiti (areas with a direct estimate only)";
}

/* The fit as JSON; with `with_areas`, one object per area in "areas". NULL when out of memory. */
static json_t *fit_json(const sol_sae_job *j, const sol_sae_output *o, int with_areas)
{
    const sol_fh_result *r = o->fit;
    json_t *root = json_object(), *beta = json_array();
    int tr = r->transform != SOL_FH_TR_NONE;
    if (root == NULL || beta == NULL) {
        json_decref(root);
        json_decref(beta);
        return NULL;
    }
    json_object_set_new(root, "method", json_string(r->method == SOL_FH_ML ? "ml" : "reml"));
    json_object_set_new(root, "transformation", json_string(TR_NAME[r->transform]));
    if (tr)
        json_object_set_new(root, "backtransform", json_string(BT_NAME[r->backtransform]));
    json_object_set_new(root, "mse_method", json_string(mse_method(r, j->mse_boot)));
    if (j->mse_boot) {
        json_object_set_new(root, "mse_boot_replicates", json_integer(j->mse_boot));
        json_object_set_new(root, "seed", json_integer((json_int_t)j->seed));
    }
    json_object_set_new(root, "sigma2_u", sol__run_num(r->sigma2_u));
    for (size_t k = 0; k < r->p; k++)
        json_array_append_new(
            beta, json_pack("{s:s,s:o,s:o,s:o,s:o}", "term", r->terms[k], "estimate",
                            sol__run_num(r->beta[k]), "se", sol__run_num(r->beta_se[k]), "z",
                            sol__run_num(r->z[k]), "p", sol__run_num(r->pvalue[k])));
    json_object_set_new(root, "beta", beta);
    json_object_set_new(root, "loglik", sol__run_num(r->loglik));
    json_object_set_new(root, "aic", sol__run_num(r->aic));
    json_object_set_new(root, "bic", sol__run_num(r->bic));
    json_object_set_new(root, "iterations", json_integer(r->iterations));
    json_object_set_new(root, "converged", json_boolean(r->converged));
    json_object_set_new(root, "areas_with_direct", json_integer((json_int_t)r->m_fit));
    if (o->benchmarked) {
        json_t *bj = json_pack(
            "{s:s,s:s,s:s}", "type", j->benchmark_type == SOL_FH_BENCH_RATIO ? "ratio" : "raking",
            "weights", j->benchmark_weights, "benchmarked",
            "eblup_bench (point estimates only; eblup and mse are not benchmarked)");
        if (j->benchmark_file) {
            json_object_set_new(bj, "totals_file", json_string(j->benchmark_file));
            json_object_set_new(bj, "by", json_string(j->benchmark_by));
        } else {
            json_object_set_new(bj, "total", sol__run_num(j->benchmark));
        }
        json_object_set_new(root, "benchmark", bj);
    }
    if (!with_areas)
        return root;
    json_t *areas = json_array();
    for (size_t i = 0; i < r->m; i++) {
        json_t *a = json_object();
        int in = isfinite(o->direct[i]);
        json_object_set_new(a, "id", json_string(o->ids[i]));
        json_object_set_new(a, "direct", sol__run_num(o->direct[i]));
        json_object_set_new(a, "var_direct", in ? sol__run_num(o->var_direct[i]) : json_null());
        json_object_set_new(a, "eblup", sol__run_num(o->estimate[i]));
        json_object_set_new(a, "mse", sol__run_num(o->mse[i]));
        if (o->benchmarked)
            json_object_set_new(a, "eblup_bench", sol__run_num(o->benchmarked[i]));
        if (tr) {
            json_object_set_new(a, "direct_t", sol__run_num(r->y_t[i]));
            json_object_set_new(a, "var_direct_t", sol__run_num(r->vardir_t[i]));
            json_object_set_new(a, "eblup_t", sol__run_num(r->eblup[i]));
            json_object_set_new(a, "mse_t", sol__run_num(r->mse[i]));
        }
        json_object_set_new(a, "gamma", sol__run_num(r->gamma[i]));
        json_object_set_new(a, tr ? "synthetic_t" : "synthetic", sol__run_num(r->synthetic[i]));
        json_array_append_new(areas, a);
    }
    json_object_set_new(root, "areas", areas);
    return root;
}

#define JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17))

/* The estimates as observations of job->store_as, with the run and its method card. */
static sol_status store(sol_store *st, const sol_sae_job *j, const sol_fh_opts *fo,
                        sol_sae_output *o, sol_error *err)
{
    sol_status rc = SOL_ENOMEM;
    sol_estimate *e = sol__calloc(o->m + 1, sizeof *e);
    json_t *result = fit_json(j, o, 0);
    json_t *spec = json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:s?}", "data", j->data, "id_field",
                             j->id_field, "direct", j->direct, j->se ? "se" : "var",
                             j->se ? j->se : j->var, "eff_n", j->eff_n, "covariates", j->covariates,
                             "factors", j->factors, "benchmark_weights", j->benchmark_weights);
    json_t *choices = json_pack("{s:s,s:f,s:i,s:s,s:s,s:i,s:I}", "method",
                                fo->method == SOL_FH_ML ? "ml" : "reml", "tol", fo->tol, "max_iter",
                                (int)fo->max_iter, "transformation", TR_NAME[fo->transform],
                                "backtransform", BT_NAME[fo->backtransform], "mse_boot",
                                (int)fo->boot_b, "seed", (json_int_t)fo->seed);
    char *rj = result ? json_dumps(result, JSON_FLAGS) : NULL;
    char *sj = spec ? json_dumps(spec, JSON_FLAGS) : NULL;
    char *cj = choices ? json_dumps(choices, JSON_FLAGS) : NULL;
    if (st == NULL) {
        rc = sol__err(err, SOL_EINVAL, "storing the estimates (--store-as) needs a store");
    } else if (e == NULL || rj == NULL || sj == NULL || cj == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
    } else {
        for (size_t i = 0; i < o->m; i++)
            e[i] = (sol_estimate){o->ids[i], o->estimate[i], sqrt(o->mse[i]), 0};
        sol_estimates_store es = {.indicator = j->store_as,
                                  .label = j->label ? j->label
                                                    : "Fay-Herriot EBLUP (small area estimate)",
                                  .unit = j->unit,
                                  .polarity = j->polarity,
                                  .period = j->period,
                                  .source_name = j->data,
                                  .source_location = j->data,
                                  .source_sha256 = sol_microdata_sha256(o->md),
                                  .source_bytes = (int64_t)sol_microdata_bytes(o->md),
                                  .rows_read = (int64_t)o->m,
                                  .kind = "sae.fh",
                                  .spec_json = sj,
                                  .method_json = METHOD_JSON,
                                  .choices_json = cj,
                                  .result_json = rj};
        rc = sol_run_store_estimates(st, &es, e, o->m, &o->run_id, err);
    }
    sol__free(e);
    json_decref(result);
    json_decref(spec);
    json_decref(choices);
    free(rj);
    free(sj);
    free(cj);
    return rc;
}

sol_status sol_run_sae(sol_store *st, const sol_sae_job *j, sol_sae_output **out, sol_error *err)
{
    sol_status rc;
    sae_cols s;
    sol_fh_covariate *cv = NULL;
    const char ***texts = NULL;
    json_t *result = NULL;
    sol_sae_output *o = NULL;
    sol_fh_opts fo = {.method = j->method,
                      .tol = j->tol > 0 ? j->tol : 1e-10,
                      .max_iter = j->max_iter ? j->max_iter : 100,
                      .transform = j->transform,
                      .backtransform = j->backtransform >= 0
                                           ? (sol_fh_backtransform)j->backtransform
                                           : SOL_FH_BT_BC,
                      .boot_b = j->mse_boot,
                      .seed = j->seed};
    if ((rc = sol_run_sae_check(j, err)) != SOL_OK)
        return rc;
    if ((rc = plan_columns(j, &s, err)) != SOL_OK)
        goto fail;
    if ((o = sol__calloc(1, sizeof *o)) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    if ((rc = sol_microdata_read(j->data, s.c, s.n, &o->md, err)) != SOL_OK)
        goto fail;
    size_t m = o->m = sol_microdata_rows(o->md);
    if (sol_microdata_nlevels(o->md, 0) != m) {
        rc = sol__err_at(err, SOL_EDUPLICATE, j->data, 0, 0,
                         "area ids in '%s' are not unique (%zu rows, %zu distinct ids)",
                         j->id_field, m, sol_microdata_nlevels(o->md, 0));
        goto fail;
    }
    o->direct = sol_microdata_numbers(o->md, 1);
    if ((o->var_direct = sol__malloc((m + 1) * sizeof *o->var_direct)) == NULL ||
        (o->ids = sol__calloc(m + 1, sizeof *o->ids)) == NULL ||
        (cv = sol__calloc(s.ncov + 1, sizeof *cv)) == NULL ||
        (texts = sol__calloc(s.ncov + 1, sizeof *texts)) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    if ((rc = check_rows(j, &s, o, err)) != SOL_OK)
        goto fail;
    for (size_t k = 0; k < s.ncov; k++) {
        size_t col = s.cov0 + k;
        cv[k].name = s.c[col].name;
        if (s.c[col].kind == SOL_MD_NUMBER) {
            cv[k].x = sol_microdata_numbers(o->md, col);
            continue;
        }
        if ((texts[k] = sol__calloc(m + 1, sizeof **texts)) == NULL) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto fail;
        }
        const uint32_t *cc = sol_microdata_codes(o->md, col);
        for (size_t i = 0; i < m; i++)
            texts[k][i] = sol_microdata_level(o->md, col, cc[i]);
        cv[k].text = texts[k];
    }
    sol_fh_data fd = {.m = m,
                      .ids = o->ids,
                      .y = o->direct,
                      .vardir = o->var_direct,
                      .n_cov = s.ncov,
                      .cov = cv,
                      .eff_n = j->eff_n ? sol_microdata_numbers(o->md, s.eff) : NULL};
    struct timespec t0, t1, c0, c1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    if ((rc = sol_sae_fh_fit(&fd, &fo, &o->fit, err)) != SOL_OK)
        goto fail;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    o->fit_wall_ms = ms_between(&t0, &t1);
    o->fit_cpu_ms = ms_between(&c0, &c1);
    const sol_fh_result *r = o->fit;
    if (!r->converged) {
        rc =
            sol__err(err, SOL_ENUMERIC,
                     "Fay-Herriot %s did not converge in %u iterations (last relative change of "
                     "sigma2_u %.3g > %.3g); raise --max-iter or check the direct variances",
                     fo.method == SOL_FH_ML ? "ML" : "REML", r->iterations, r->last_change, fo.tol);
        goto fail;
    }
    int tr = r->transform != SOL_FH_TR_NONE;
    o->estimate = tr ? r->est : r->eblup;
    o->mse = tr ? r->est_mse : r->mse;
    if (r->sigma2_u == 0 &&
        (rc = sol__run_note_add(&o->notes, &o->n_notes, SOL_ERROR_MSG_MAX, NULL,
                                "sigma2_u estimated at 0 (truncated): the EBLUPs "
                                "are the synthetic estimates")) != SOL_OK)
        goto nomem;
    if (j->benchmark_weights && (rc = benchmark(j, &s, o, err)) != SOL_OK)
        goto fail;
    if (tr && !fo.boot_b && r->backtransform != SOL_FH_BT_CRUDE &&
        (r->transform == SOL_FH_TR_ARCSIN || r->backtransform == SOL_FH_BT_NAIVE) &&
        (rc = sol__run_note_add(
             &o->notes, &o->n_notes, SOL_ERROR_MSG_MAX, NULL,
             "no MSE for the %s back-transformation of %s (the mse column is empty)",
             BT_NAME[r->backtransform], TR_NAME[r->transform])) != SOL_OK)
        goto nomem;
    if ((result = fit_json(j, o, 1)) == NULL ||
        (o->result_json = json_dumps(result, JSON_FLAGS)) == NULL)
        goto nomem;
    if (j->store_as && (rc = store(st, j, &fo, o, err)) != SOL_OK)
        goto fail;
    *out = o;
    o = NULL;
    rc = SOL_OK;
    goto fail; /* the one cleanup */
nomem:
    rc = sol__err(err, SOL_ENOMEM, "out of memory");
fail:
    json_decref(result);
    if (texts)
        for (size_t k = 0; k < s.ncov; k++)
            sol__free(texts[k]);
    sol__free(texts);
    sol__free(cv);
    sol__free(s.names);
    sol_sae_output_free(o);
    return rc;
}

void sol_sae_output_free(sol_sae_output *o)
{
    if (o == NULL)
        return;
    sol_fh_result_free(o->fit);
    sol__free(o->ids);
    sol__free(o->var_direct);
    sol__free(o->benchmarked);
    free(o->result_json);
    sol__run_notes_free(o->notes, o->n_notes);
    sol_microdata_free(o->md);
    sol__free(o);
}
