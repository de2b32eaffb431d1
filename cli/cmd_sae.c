/* cmd_sae.c - `solidata sae fh`: Fay-Herriot small area estimates from a CSV of direct estimates
 * and covariates (file in, CSV/JSON out), optionally stored as observations with their MSE. */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/limits.h>
#include <solidata/run_estimates.h>
#include <solidata/sae.h>
#include <solidata/stats.h>

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *USAGE =
    "usage: solidata sae fh --data F.csv --id-field ID --direct COL (--var COL | --se COL)\n"
    "                       [--covariates A,B] [--factor A] [--method reml|ml]\n"
    "                       [--tol 1e-10] [--max-iter 100] [--out F.csv] [--json]\n"
    "                       [--transformation none|log|arcsin] [--backtransform bc|naive|crude]\n"
    "                       [--eff-n COL] [--mse-boot B [--seed S]]\n"
    "                       [(--benchmark TOTAL | --benchmark-file F.csv --benchmark-by COL)\n"
    "                        --benchmark-weights COL [--benchmark-type raking|ratio]]\n"
    "                       [--store-as CODE --period P [--label L] [--unit U]\n"
    "                        [--polarity higher_better|lower_better]] [--timing]\n"
    "Fay-Herriot area-level model: EBLUP with REML (default) or ML by Fisher scoring, MSE by\n"
    "Prasad-Rao (REML) or Datta-Lahiri (ML) as R sae 1.3. Areas with an empty direct value get\n"
    "the synthetic estimate x'beta and its MSE. --factor: covariates (also listed in\n"
    "--covariates) expanded to dummies, first level in sorted order as reference.\n"
    "CSV columns: id,direct,var_direct,eblup,mse,gamma,synthetic. --store-as writes the EBLUPs\n"
    "with SE = sqrt(MSE) and the 'estimated' flag as indicator CODE at period P, one run;\n"
    "--label, --unit and --polarity describe it (say lower_better for a share in need, so that\n"
    "maps, ranks and the dashboard read it the right way round).\n"
    "--timing: print the wall time of the fit with its MSE on stderr.\n"
    "--transformation (as R emdi 2.2 fh): log fits log(direct) with variance var/direct^2 (every\n"
    "direct value must be > 0); arcsin fits asin(sqrt(direct)) for proportions in [0, 1] with\n"
    "variance 1/(4 n), n the effective sample size in --eff-n (then --var/--se are optional).\n"
    "--backtransform: bc (default) log: Slud-Maiti exp(eblup + sigma2_u (1-gamma)/2) with the\n"
    "Slud-Maiti MSE (areas without a direct value: exp(x'beta + sigma2_u/2), no MSE); arcsin:\n"
    "E[sin^2] over the normal predictive distribution on [0, pi/2] by quadrature, with no MSE\n"
    "unless --mse-boot B: emdi's parametric bootstrap with B replicates (each refits the model;\n"
    "--seed S, default 1; the same result on any thread count). naive: exp / sin^2 (MSE only by\n"
    "--mse-boot for arcsin). crude (log only): exp(eblup + mse/2) with MSE\n"
    "exp(eblup + mse/2)^2 mse, all areas. An MSE that is not computed is empty in the CSV and\n"
    "null in the JSON, never made up.\n"
    "With a transformation the CSV columns are id,direct,var_direct,eblup,mse (back-transformed),\n"
    "direct_t,var_direct_t,eblup_t,mse_t,gamma,synthetic_t (transformed scale).\n"
    "--benchmark TOTAL --benchmark-weights COL (population shares N_d/N): as emdi benchmark(),\n"
    "raking (default) eblup + TOTAL - sum(w eblup) or ratio eblup TOTAL / sum(w eblup), so that\n"
    "sum(w eblup_bench) = TOTAL; adds the column eblup_bench (eblup is kept; MSEs are not\n"
    "benchmarked). --benchmark-file F.csv --benchmark-by COL: one total per higher-level area,\n"
    "F.csv with columns COL and total; the areas of each COL value are benchmarked to its total\n"
    "(weights: shares within that higher-level area).\n";

static int in_list(const char *list, const char *name)
{
    if (list == NULL)
        return 0;
    size_t n = strlen(name);
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

/* Start (1-based character) of field `k` (0-based) in a CSV line, quotes respected. */
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

/* "path:line:col" of column `name` in data record `row` (0-based; record row + 2 of the file,
 * one header line and one record per line), for messages; "path" alone when not found. */
static const char *where(char *buf, size_t n, const char *path, size_t row, const char *name)
{
    snprintf(buf, n, "%s", path);
    FILE *f = strcmp(path, "-") == 0 ? NULL : fopen(path, "r");
    if (f == NULL)
        return buf;
    char line[8192];
    size_t k = (size_t)-1;
    if (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        size_t j = 0;
        for (char *s = line, *tok; (tok = strsep(&s, ",")) != NULL; j++) {
            size_t len = strlen(tok);
            if (len >= 2 && tok[0] == '"' && tok[len - 1] == '"') {
                tok[len - 1] = '\0';
                tok++;
            }
            if (strcmp(tok, name) == 0) {
                k = j;
                break;
            }
        }
    }
    size_t r = 0, col = 0;
    while (k != (size_t)-1 && fgets(line, sizeof line, f))
        if (r++ == row) {
            col = field_start(line, k);
            break;
        }
    fclose(f);
    if (col)
        snprintf(buf, n, "%s:%zu:%zu", path, row + 2, col);
    return buf;
}

static json_t *jnum(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

typedef struct bench_info {
    const double *val; /* m benchmarked estimates, or NULL */
    double total;
    sol_fh_bench_type type;
    const char *weights;
    const char *file, *by; /* totals per higher-level area, or NULL */
} bench_info;

/* Benchmark the areas of each value of data column c_by to its total in bench_file (columns
 * `by` and total). 0, or -1 after reporting the error. */
static int bench_groups(const char *data, const sol_microdata *md, size_t c_by,
                        const char *bench_file, const char *by, size_t m, const char *const *ids,
                        const double *est, const double *w, sol_fh_bench_type type, double *out)
{
    sol_md_column bc[2] = {{by, SOL_MD_CODE, 0, 0, 0, "higher-level area"},
                           {"total", SOL_MD_NUMBER, 0, 0, 0, "benchmark total"}};
    sol_microdata *tf = NULL;
    sol_error err;
    sol_error_clear(&err);
    int rc = -1;
    size_t *idx = NULL;
    double *e = NULL, *ww = NULL, *o = NULL;
    const char **gid = NULL;
    if (sol_microdata_read(bench_file, bc, 2, &tf, &err) != SOL_OK) {
        cli_fail(&err);
        return -1;
    }
    size_t nt = sol_microdata_rows(tf), ng = sol_microdata_nlevels(md, c_by);
    if (sol_microdata_nlevels(tf, 0) != nt) {
        cli_failf("%s: values of '%s' are not unique (%zu rows, %zu distinct)", bench_file, by, nt,
                  sol_microdata_nlevels(tf, 0));
        goto out;
    }
    if ((idx = malloc((m + 1) * sizeof *idx)) == NULL || (e = malloc((m + 1) * sizeof *e)) == NULL ||
        (ww = malloc((m + 1) * sizeof *ww)) == NULL || (o = malloc((m + 1) * sizeof *o)) == NULL ||
        (gid = malloc((m + 1) * sizeof *gid)) == NULL) {
        cli_failf("out of memory");
        goto out;
    }
    const uint32_t *code = sol_microdata_codes(md, c_by), *tcode = sol_microdata_codes(tf, 0);
    const double *tot = sol_microdata_numbers(tf, 1);
    for (size_t g = 0; g < ng; g++) {
        const char *name = sol_microdata_level(md, c_by, g);
        size_t k = 0, t = 0;
        for (size_t i = 0; i < m; i++)
            if (code[i] == g) {
                idx[k] = i;
                e[k] = est[i];
                ww[k] = w[i];
                gid[k++] = ids[i];
            }
        if (k == 0)
            continue;
        while (t < nt && strcmp(sol_microdata_level(tf, 0, tcode[t]), name) != 0)
            t++;
        if (t == nt) {
            cli_failf("%s: %s '%s' (area '%s' of %s) has no total: add a row '%s,TOTAL'",
                      bench_file, by, name, gid[0], data, name);
            goto out;
        }
        if (sol_sae_benchmark(k, gid, e, ww, tot[t], type, o, &err) != SOL_OK) {
            cli_failf("%s: %s '%s': %s", data, by, name, err.msg);
            goto out;
        }
        for (size_t j = 0; j < k; j++)
            out[idx[j]] = o[j];
    }
    rc = 0;
out:
    free(idx);
    free(e);
    free(ww);
    free(o);
    free(gid);
    sol_microdata_free(tf);
    return rc;
}

static const char *TR_NAME[] = {"none", "log", "arcsin"};
static const char *BT_NAME[] = {"bc", "naive", "crude"};

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
        return "none (emdi's MSE for arcsin is a parametric bootstrap, not implemented)";
    if (r->backtransform == SOL_FH_BT_CRUDE)
        return r->method == SOL_FH_ML ? "datta-lahiri back-transformed (crude)"
                                      : "prasad-rao back-transformed (crude)";
    return "slud-maiti (areas with a direct estimate only)";
}

static char *fit_json(const sol_fh_result *r, const char *const *ids, const double *y,
                      const double *var, const bench_info *bi, const sol_fh_opts *o,
                      int with_areas, int pretty)
{
    json_t *root = json_object(), *beta = json_array();
    int tr = r->transform != SOL_FH_TR_NONE;
    json_object_set_new(root, "method", json_string(r->method == SOL_FH_ML ? "ml" : "reml"));
    json_object_set_new(root, "transformation", json_string(TR_NAME[r->transform]));
    if (tr)
        json_object_set_new(root, "backtransform", json_string(BT_NAME[r->backtransform]));
    json_object_set_new(root, "mse_method", json_string(mse_method(r, o->boot_b)));
    if (o->boot_b) {
        json_object_set_new(root, "mse_boot_replicates", json_integer(o->boot_b));
        json_object_set_new(root, "seed", json_integer((json_int_t)o->seed));
    }
    json_object_set_new(root, "sigma2_u", jnum(r->sigma2_u));
    for (size_t j = 0; j < r->p; j++) {
        json_t *b = json_object();
        json_object_set_new(b, "term", json_string(r->terms[j]));
        json_object_set_new(b, "estimate", jnum(r->beta[j]));
        json_object_set_new(b, "se", jnum(r->beta_se[j]));
        json_object_set_new(b, "z", jnum(r->z[j]));
        json_object_set_new(b, "p", jnum(r->pvalue[j]));
        json_array_append_new(beta, b);
    }
    json_object_set_new(root, "beta", beta);
    json_object_set_new(root, "loglik", jnum(r->loglik));
    json_object_set_new(root, "aic", jnum(r->aic));
    json_object_set_new(root, "bic", jnum(r->bic));
    json_object_set_new(root, "iterations", json_integer(r->iterations));
    json_object_set_new(root, "converged", json_boolean(r->converged));
    json_object_set_new(root, "areas_with_direct", json_integer((json_int_t)r->m_fit));
    if (bi && bi->val) {
        json_t *bj = json_pack(
            "{s:s,s:s,s:s}", "type", bi->type == SOL_FH_BENCH_RATIO ? "ratio" : "raking",
            "weights", bi->weights, "benchmarked",
            "eblup_bench (point estimates only; eblup and mse are not benchmarked)");
        if (bi->file) {
            json_object_set_new(bj, "totals_file", json_string(bi->file));
            json_object_set_new(bj, "by", json_string(bi->by));
        } else {
            json_object_set_new(bj, "total", jnum(bi->total));
        }
        json_object_set_new(root, "benchmark", bj);
    }
    if (with_areas) {
        json_t *areas = json_array();
        const double *est = tr ? r->est : r->eblup, *mse = tr ? r->est_mse : r->mse;
        for (size_t i = 0; i < r->m; i++) {
            json_t *a = json_object();
            int in = isfinite(y[i]);
            json_object_set_new(a, "id", json_string(ids[i]));
            json_object_set_new(a, "direct", jnum(y[i]));
            json_object_set_new(a, "var_direct", in ? jnum(var[i]) : json_null());
            json_object_set_new(a, "eblup", jnum(est[i]));
            json_object_set_new(a, "mse", jnum(mse[i]));
            if (bi && bi->val)
                json_object_set_new(a, "eblup_bench", jnum(bi->val[i]));
            if (tr) {
                json_object_set_new(a, "direct_t", jnum(r->y_t[i]));
                json_object_set_new(a, "var_direct_t", jnum(r->vardir_t[i]));
                json_object_set_new(a, "eblup_t", jnum(r->eblup[i]));
                json_object_set_new(a, "mse_t", jnum(r->mse[i]));
            }
            json_object_set_new(a, "gamma", jnum(r->gamma[i]));
            json_object_set_new(a, tr ? "synthetic_t" : "synthetic", jnum(r->synthetic[i]));
            json_array_append_new(areas, a);
        }
        json_object_set_new(root, "areas", areas);
    }
    char *s = json_dumps(root, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER |
                                   JSON_REAL_PRECISION(17));
    json_decref(root);
    return s;
}

static int fh(const cli_ctx *ctx, int argc, char **argv)
{
    const char *data = NULL, *id = NULL, *direct = NULL, *var = NULL, *se = NULL, *covs = NULL,
               *factors = NULL, *out = NULL, *store_as = NULL, *period = NULL, *label = NULL,
               *unit = NULL, *polarity_s = NULL, *eff_n = NULL, *bench_w = NULL, *bench_s = NULL,
               *bench_file = NULL, *bench_by = NULL;
    int json = 0, timing = 0, bt_set = 0, seed_set = 0;
    double bench_total = NAN;
    sol_fh_bench_type bench_type = SOL_FH_BENCH_RAKING;
    sol_fh_opts o = {0};
    static const struct option opts[] = {{"data", required_argument, NULL, 'd'},
                                         {"id-field", required_argument, NULL, 'i'},
                                         {"direct", required_argument, NULL, 'y'},
                                         {"var", required_argument, NULL, 'v'},
                                         {"se", required_argument, NULL, 's'},
                                         {"covariates", required_argument, NULL, 'c'},
                                         {"factor", required_argument, NULL, 'f'},
                                         {"method", required_argument, NULL, 'm'},
                                         {"tol", required_argument, NULL, 't'},
                                         {"max-iter", required_argument, NULL, 'n'},
                                         {"out", required_argument, NULL, 'o'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"store-as", required_argument, NULL, 1},
                                         {"period", required_argument, NULL, 2},
                                         {"timing", no_argument, NULL, 3},
                                         {"label", required_argument, NULL, 4},
                                         {"unit", required_argument, NULL, 5},
                                         {"polarity", required_argument, NULL, 6},
                                         {"transformation", required_argument, NULL, 7},
                                         {"backtransform", required_argument, NULL, 8},
                                         {"eff-n", required_argument, NULL, 9},
                                         {"benchmark", required_argument, NULL, 10},
                                         {"benchmark-weights", required_argument, NULL, 11},
                                         {"benchmark-type", required_argument, NULL, 12},
                                         {"mse-boot", required_argument, NULL, 13},
                                         {"benchmark-file", required_argument, NULL, 15},
                                         {"benchmark-by", required_argument, NULL, 16},
                                         {"seed", required_argument, NULL, 14},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c;
    char *end;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            data = optarg;
            break;
        case 'i':
            id = optarg;
            break;
        case 'y':
            direct = optarg;
            break;
        case 'v':
            var = optarg;
            break;
        case 's':
            se = optarg;
            break;
        case 'c':
            covs = optarg;
            break;
        case 'f':
            factors = optarg;
            break;
        case 'm':
            if (strcmp(optarg, "reml") == 0)
                o.method = SOL_FH_REML;
            else if (strcmp(optarg, "ml") == 0)
                o.method = SOL_FH_ML;
            else
                return cli_usage_error("sae fh", "--method is reml or ml");
            break;
        case 't':
            o.tol = strtod(optarg, &end);
            if (*end || !(o.tol > 0))
                return cli_usage_error("sae fh", "--tol needs a positive number");
            break;
        case 'n': {
            unsigned long k = strtoul(optarg, &end, 10);
            if (*end || k == 0 || k > 1000000)
                return cli_usage_error("sae fh", "--max-iter needs 1 to 1000000");
            o.max_iter = (unsigned)k;
            break;
        }
        case 'o':
            out = optarg;
            break;
        case 'j':
            json = 1;
            break;
        case 1:
            store_as = optarg;
            break;
        case 2:
            period = optarg;
            break;
        case 3:
            timing = 1;
            break;
        case 4:
            label = optarg;
            break;
        case 5:
            unit = optarg;
            break;
        case 6:
            polarity_s = optarg;
            break;
        case 7:
            if (strcmp(optarg, "none") == 0)
                o.transform = SOL_FH_TR_NONE;
            else if (strcmp(optarg, "log") == 0)
                o.transform = SOL_FH_TR_LOG;
            else if (strcmp(optarg, "arcsin") == 0)
                o.transform = SOL_FH_TR_ARCSIN;
            else
                return cli_usage_error("sae fh", "--transformation is none, log or arcsin");
            break;
        case 8:
            bt_set = 1;
            if (strcmp(optarg, "bc") == 0)
                o.backtransform = SOL_FH_BT_BC;
            else if (strcmp(optarg, "naive") == 0)
                o.backtransform = SOL_FH_BT_NAIVE;
            else if (strcmp(optarg, "crude") == 0)
                o.backtransform = SOL_FH_BT_CRUDE;
            else
                return cli_usage_error("sae fh", "--backtransform is bc, naive or crude");
            break;
        case 9:
            eff_n = optarg;
            break;
        case 10:
            bench_s = optarg;
            bench_total = strtod(optarg, &end);
            if (*end || end == optarg || !isfinite(bench_total))
                return cli_usage_error("sae fh",
                                       "--benchmark needs a finite number (the total that the "
                                       "share-weighted estimates must add up to), not '%s'",
                                       optarg);
            break;
        case 11:
            bench_w = optarg;
            break;
        case 12:
            if (strcmp(optarg, "raking") == 0)
                bench_type = SOL_FH_BENCH_RAKING;
            else if (strcmp(optarg, "ratio") == 0)
                bench_type = SOL_FH_BENCH_RATIO;
            else
                return cli_usage_error("sae fh", "--benchmark-type is raking or ratio");
            break;
        case 13: {
            unsigned long k = strtoul(optarg, &end, 10);
            if (*end || k == 0 || k > SOL_MAX_FH_BOOT)
                return cli_usage_error("sae fh", "--mse-boot needs 1 to %u replicates",
                                       SOL_MAX_FH_BOOT);
            o.boot_b = (unsigned)k;
            break;
        }
        case 14:
            o.seed = strtoull(optarg, &end, 10);
            seed_set = 1;
            if (*end || *optarg == '\0' || *optarg == '-')
                return cli_usage_error("sae fh", "--seed needs a non-negative integer");
            break;
        case 15:
            bench_file = optarg;
            break;
        case 16:
            bench_by = optarg;
            break;
        case 'h':
            fputs(USAGE, stdout);
            return CLI_OK;
        default:
            return cli_usage_error("sae fh", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("sae fh", "unexpected argument '%s'", argv[optind]);
    int arcsin = o.transform == SOL_FH_TR_ARCSIN;
    if (!data || !id || !direct || (var && se) || (!arcsin && !var && !se))
        return cli_usage_error("sae fh",
                               "--data, --id-field, --direct and one of --var or --se are needed");
    if (arcsin != (eff_n != NULL))
        return cli_usage_error("sae fh", "--eff-n (effective sample sizes) goes with, and is "
                                         "needed by, --transformation arcsin");
    if (bt_set && o.transform == SOL_FH_TR_NONE)
        return cli_usage_error("sae fh", "--backtransform needs --transformation log or arcsin");
    if (o.backtransform == SOL_FH_BT_CRUDE && o.transform != SOL_FH_TR_LOG)
        return cli_usage_error("sae fh", "--backtransform crude is for --transformation log");
    if (o.boot_b && !arcsin)
        return cli_usage_error("sae fh", "--mse-boot is for --transformation arcsin (log has an "
                                         "analytical MSE)");
    if (seed_set && !o.boot_b)
        return cli_usage_error("sae fh", "--seed goes with --mse-boot");
    if (!seed_set)
        o.seed = 1;
    if ((bench_file != NULL) != (bench_by != NULL))
        return cli_usage_error("sae fh", "--benchmark-file and --benchmark-by go together");
    if (bench_s && bench_file)
        return cli_usage_error("sae fh", "--benchmark (one total) or --benchmark-file (one total "
                                         "per --benchmark-by value), not both");
    if ((bench_s != NULL || bench_file != NULL) != (bench_w != NULL))
        return cli_usage_error("sae fh", "--benchmark or --benchmark-file and "
                                         "--benchmark-weights go together");
    if ((store_as != NULL) != (period != NULL))
        return cli_usage_error("sae fh", "--store-as and --period go together");
    if (!store_as && (label || unit || polarity_s))
        return cli_usage_error("sae fh", "--label, --unit and --polarity describe --store-as");
    int polarity = 0;
    if (polarity_s) {
        if (strcmp(polarity_s, "higher_better") == 0)
            polarity = 1;
        else if (strcmp(polarity_s, "lower_better") == 0)
            polarity = -1;
        else
            return cli_usage_error("sae fh", "--polarity must be higher_better or lower_better");
    }
    for (const char *s = factors; s && *s;) {
        size_t k = strcspn(s, ",");
        char nm[256];
        snprintf(nm, sizeof nm, "%.*s", (int)(k < 255 ? k : 255), s);
        if (!in_list(covs, nm))
            return cli_usage_error("sae fh", "--factor %s is not among --covariates", nm);
        s += k;
        if (*s == ',')
            s++;
    }
    /* columns: id, direct, var, covariates... */
    sol_md_column cols[SOL_MAX_MICRODATA_COLS];
    char *names = covs ? strdup(covs) : NULL;
    size_t nc = 0, ncov = 0;
    cols[nc++] = (sol_md_column){id, SOL_MD_CODE, 0, 0, 0, "area id"};
    cols[nc++] = (sol_md_column){direct, SOL_MD_NUMBER, 1, 0, 0, "direct estimate"};
    size_t c_var = 0, c_eff = 0, c_bw = 0, c_by = 0;
    if (var || se) {
        c_var = nc;
        cols[nc++] = (sol_md_column){var ? var : se, SOL_MD_NUMBER, 1, 0, 0,
                                     var ? "direct variance" : "direct standard error"};
    }
    if (eff_n) {
        c_eff = nc;
        cols[nc++] = (sol_md_column){eff_n, SOL_MD_NUMBER, 1, 0, 0, "effective sample size"};
    }
    if (bench_w) {
        c_bw = nc;
        cols[nc++] = (sol_md_column){bench_w, SOL_MD_NUMBER, 0, 1, 0, "benchmark weight"};
    }
    if (bench_by) {
        c_by = nc;
        cols[nc++] = (sol_md_column){bench_by, SOL_MD_CODE, 0, 0, 0, "higher-level area"};
    }
    size_t c_cov0 = nc;
    for (char *s = names, *tok; s && (tok = strsep(&s, ",")) != NULL;) {
        if (*tok == '\0')
            continue;
        if (nc == SOL_MAX_MICRODATA_COLS) {
            free(names);
            return cli_usage_error("sae fh", "too many covariates");
        }
        cols[nc++] = (sol_md_column){
            tok, in_list(factors, tok) ? SOL_MD_CODE : SOL_MD_NUMBER, 0, 0, 0, "covariate"};
        ncov++;
    }
    sol_error err;
    sol_error_clear(&err);
    sol_microdata *md = NULL;
    sol_fh_result *r = NULL;
    double *v = NULL, *bench = NULL;
    const char **ids = NULL, ***texts = NULL;
    sol_fh_covariate *cv = NULL;
    int ret = CLI_FAIL;
    if (sol_microdata_read(data, cols, nc, &md, &err) != SOL_OK) {
        ret = cli_fail(&err);
        goto done;
    }
    size_t m = sol_microdata_rows(md);
    if (sol_microdata_nlevels(md, 0) != m) {
        ret = cli_failf("%s: area ids in '%s' are not unique (%zu rows, %zu distinct ids)", data,
                        id, m, sol_microdata_nlevels(md, 0));
        goto done;
    }
    const double *y = sol_microdata_numbers(md, 1);
    const double *vin = (var || se) ? sol_microdata_numbers(md, c_var) : NULL;
    const double *effn = eff_n ? sol_microdata_numbers(md, c_eff) : NULL;
    const double *bw = bench_w ? sol_microdata_numbers(md, c_bw) : NULL;
    if ((v = malloc((m + 1) * sizeof *v)) == NULL || (ids = calloc(m + 1, sizeof *ids)) == NULL ||
        (cv = calloc(ncov + 1, sizeof *cv)) == NULL ||
        (texts = calloc(ncov + 1, sizeof *texts)) == NULL) {
        ret = cli_failf("out of memory");
        goto done;
    }
    const uint32_t *idc = sol_microdata_codes(md, 0);
    char at[512];
    for (size_t i = 0; i < m; i++) {
        ids[i] = sol_microdata_level(md, 0, idc[i]);
        v[i] = !vin ? NAN : se ? vin[i] * vin[i] : vin[i];
        if (!arcsin && se && isfinite(y[i]) && !(vin[i] > 0) && isfinite(vin[i])) {
            ret = cli_failf("%s: the direct standard error of area '%s' is %g: it must be "
                            "positive",
                            data, ids[i], vin[i]);
            goto done;
        }
        if (!arcsin && isfinite(y[i]) && !isfinite(vin[i])) {
            ret = cli_failf("%s: area '%s' has a direct estimate but no %s", data, ids[i],
                            se ? "standard error" : "variance");
            goto done;
        }
        /* rows are records i + 2 of the file (one header line, one record per line) */
        if (o.transform == SOL_FH_TR_LOG && isfinite(y[i]) && !(y[i] > 0)) {
            ret = cli_failf("%s: the direct estimate of area '%s' is %g: "
                            "--transformation log needs values above 0 (leave it empty for the "
                            "synthetic estimate, or use --transformation none)",
                            where(at, sizeof at, data, i, direct), ids[i], y[i]);
            goto done;
        }
        if (arcsin && isfinite(y[i]) && !(y[i] >= 0 && y[i] <= 1)) {
            ret = cli_failf("%s: the direct estimate of area '%s' is %g: "
                            "--transformation arcsin is for proportions between 0 and 1",
                            where(at, sizeof at, data, i, direct), ids[i], y[i]);
            goto done;
        }
        if (arcsin && isfinite(y[i]) && !(effn[i] > 0 && isfinite(effn[i]))) {
            if (isnan(effn[i]))
                ret = cli_failf("%s: area '%s' has a direct estimate but no effective "
                                "sample size in '%s' (needed by --transformation arcsin)",
                                where(at, sizeof at, data, i, eff_n), ids[i], eff_n);
            else
                ret = cli_failf("%s: the effective sample size of area '%s' is %g: it "
                                "must be above 0",
                                where(at, sizeof at, data, i, eff_n), ids[i], effn[i]);
            goto done;
        }
    }
    for (size_t k = 0; k < ncov; k++) {
        size_t col = c_cov0 + k;
        cv[k].name = cols[col].name;
        if (cols[col].kind == SOL_MD_NUMBER) {
            cv[k].x = sol_microdata_numbers(md, col);
        } else {
            if ((texts[k] = calloc(m + 1, sizeof **texts)) == NULL) {
                ret = cli_failf("out of memory");
                goto done;
            }
            const uint32_t *cc = sol_microdata_codes(md, col);
            for (size_t i = 0; i < m; i++)
                texts[k][i] = sol_microdata_level(md, col, cc[i]);
            cv[k].text = texts[k];
        }
    }
    sol_fh_data fd = {
        .m = m, .ids = ids, .y = y, .vardir = v, .n_cov = ncov, .cov = cv, .eff_n = effn};
    struct timespec t0, t1, c0, c1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    if (sol_sae_fh_fit(&fd, &o, &r, &err) != SOL_OK) {
        ret = cli_fail(&err);
        goto done;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    if (timing)
        fprintf(stderr, "timing: fit + MSE %.1f ms wall, %.1f ms CPU (%zu areas, %u iterations)\n",
                1e3 * (double)(t1.tv_sec - t0.tv_sec) + 1e-6 * (double)(t1.tv_nsec - t0.tv_nsec),
                1e3 * (double)(c1.tv_sec - c0.tv_sec) + 1e-6 * (double)(c1.tv_nsec - c0.tv_nsec), m,
                r->iterations);
    if (!r->converged) {
        ret = cli_failf("Fay-Herriot %s did not converge in %u iterations (last relative change "
                        "of sigma2_u %.3g > %.3g); raise --max-iter or check the direct variances",
                        o.method == SOL_FH_ML ? "ML" : "REML", r->iterations, r->last_change,
                        o.tol ? o.tol : 1e-10);
        goto done;
    }
    if (r->sigma2_u == 0 && !ctx->quiet)
        fprintf(stderr, "solidata: note: sigma2_u estimated at 0 (truncated): the EBLUPs are the "
                        "synthetic estimates\n");
    int tr = r->transform != SOL_FH_TR_NONE;
    const double *est = tr ? r->est : r->eblup, *emse = tr ? r->est_mse : r->mse;
    bench_info bi = {NULL, bench_total, bench_type, bench_w, bench_file, bench_by};
    if (bench_w) {
        if ((bench = malloc((m + 1) * sizeof *bench)) == NULL) {
            ret = cli_failf("out of memory");
            goto done;
        }
        if (bench_file) {
            if (bench_groups(data, md, c_by, bench_file, bench_by, m, ids, est, bw, bench_type,
                             bench) != 0)
                goto done; /* reported */
        } else if (sol_sae_benchmark(m, ids, est, bw, bench_total, bench_type, bench, &err) !=
                   SOL_OK) {
            ret = cli_failf("%s: %s", data, err.msg);
            goto done;
        }
        bi.val = bench;
    }
    if (tr && !ctx->quiet && !o.boot_b && r->backtransform != SOL_FH_BT_CRUDE &&
        (r->transform == SOL_FH_TR_ARCSIN || r->backtransform == SOL_FH_BT_NAIVE))
        fprintf(stderr, "solidata: note: no MSE for the %s back-transformation of %s (the mse "
                        "column is empty)\n",
                BT_NAME[r->backtransform], TR_NAME[r->transform]);
    FILE *f = stdout;
    if (out && (f = fopen(out, "w")) == NULL) {
        ret = cli_failf("cannot write %s", out);
        goto done;
    }
    if (json) {
        char *s = fit_json(r, ids, y, v, &bi, &o, 1, 1);
        if (s)
            fprintf(f, "%s\n", s);
        free(s);
    } else {
        fputs(tr ? "id,direct,var_direct,eblup,mse,direct_t,var_direct_t,eblup_t,mse_t,gamma,"
                   "synthetic_t"
                 : "id,direct,var_direct,eblup,mse,gamma,synthetic",
              f);
        fputs(bench ? ",eblup_bench\n" : "\n", f);
        for (size_t i = 0; i < m; i++) {
            cli_csv_field(f, ids[i], 0);
            cli_csv_number(f, y[i], 0);
            cli_csv_number(f, isfinite(y[i]) ? v[i] : NAN, 0);
            cli_csv_number(f, est[i], 0);
            cli_csv_number(f, emse[i], 0);
            if (tr) {
                cli_csv_number(f, r->y_t[i], 0);
                cli_csv_number(f, r->vardir_t[i], 0);
                cli_csv_number(f, r->eblup[i], 0);
                cli_csv_number(f, r->mse[i], 0);
            }
            cli_csv_number(f, r->gamma[i], 0);
            cli_csv_number(f, r->synthetic[i], !bench);
            if (bench)
                cli_csv_number(f, bench[i], 1);
        }
    }
    if (f != stdout && fclose(f) != 0) {
        ret = cli_failf("cannot write %s", out);
        goto done;
    }
    ret = CLI_OK;
    if (store_as) {
        sol_estimate *e = calloc(m + 1, sizeof *e);
        char *rj = fit_json(r, ids, y, v, &bi, &o, 0, 0);
        json_t *spec =
            json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:s?}", "data", data, "id_field", id,
                      "direct", direct, se ? "se" : "var", se ? se : var, "eff_n", eff_n,
                      "covariates", covs, "factors", factors, "benchmark_weights", bench_w);
        char *spec_s = spec ? json_dumps(spec, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(spec);
        char choices[320];
        snprintf(choices, sizeof choices,
                  "{\"method\":\"%s\",\"tol\":%.17g,\"max_iter\":%u,\"transformation\":\"%s\","
                 "\"backtransform\":\"%s\",\"mse_boot\":%u,\"seed\":%llu}",
                 o.method == SOL_FH_ML ? "ml" : "reml", o.tol ? o.tol : 1e-10,
                 o.max_iter ? o.max_iter : 100, TR_NAME[o.transform], BT_NAME[o.backtransform],
                 o.boot_b, (unsigned long long)o.seed);
        sol_store *st = NULL;
        if (e == NULL || rj == NULL || spec_s == NULL) {
            ret = cli_failf("out of memory");
        } else if (cli_open_store(ctx, &st) != CLI_OK) {
            ret = CLI_FAIL;
        } else {
            for (size_t i = 0; i < m; i++)
                e[i] = (sol_estimate){ids[i], est[i], sqrt(emse[i]), 0};
            sol_estimates_store es = {
                .indicator = store_as,
                .label = label ? label : "Fay-Herriot EBLUP (small area estimate)",
                .unit = unit,
                .polarity = polarity,
                .period = period,
                .source_name = data,
                .source_location = data,
                .source_sha256 = sol_microdata_sha256(md),
                .source_bytes = (int64_t)sol_microdata_bytes(md),
                .rows_read = (int64_t)m,
                .kind = "sae.fh",
                .spec_json = spec_s,
                .method_json =
                    "{\"name\":\"Fay-Herriot EBLUP with Prasad-Rao/Datta-Lahiri MSE\","
                    "\"reference\":\"Fay & Herriot (1979) JASA 74; Prasad & Rao (1990) JASA 85; "
                    "Datta & Lahiri (2000) Stat Sinica 10; as R sae 1.3 eblupFH/mseFH (Molina & "
                    "Marhuenda 2015, R Journal 7(1))\"}",
                .choices_json = choices,
                .result_json = rj};
            int64_t run_id;
            if (sol_run_store_estimates(st, &es, e, m, &run_id, &err) != SOL_OK)
                ret = cli_fail(&err);
            else
                cli_progress(ctx, "stored %zu estimates of %s at %s (run %lld)", m, store_as,
                             period, (long long)run_id);
            sol_store_close(st);
        }
        free(e);
        free(rj);
        free(spec_s);
    }
done:
    if (texts)
        for (size_t k = 0; k < ncov; k++)
            free(texts[k]);
    free(texts);
    free(cv);
    free(ids);
    free(v);
    free(bench);
    free(names);
    sol_fh_result_free(r);
    sol_microdata_free(md);
    return ret;
}

int cmd_sae(const cli_ctx *ctx, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "fh") == 0)
        return fh(ctx, argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(USAGE, stdout);
        return CLI_OK;
    }
    return cli_usage_error("sae", "expected a method: 'sae fh'");
}
