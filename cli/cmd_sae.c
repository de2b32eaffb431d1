/* cmd_sae.c - `solidata sae fh`: the option table fills a sol_sae_job, sol_run_sae fits the
 * Fay-Herriot model (and stores the estimates with --store-as), and this file prints the areas
 * as CSV or JSON. */
#include "cli.h"
#include "opt.h"

#include <solidata/limits.h>
#include <solidata/run_sae.h>
#include <solidata/store.h>

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef struct sae_args {
    sol_sae_job job;
    const char *out, *polarity;
    int json, timing;
} sae_args;

#define J(f) offsetof(sae_args, job.f)
#define A(f) offsetof(sae_args, f)
static const cli_choice METHODS[] = {{"reml", SOL_FH_REML}, {"ml", SOL_FH_ML}, {0}};
static const cli_choice TRANSFORMS[] = {
    {"none", SOL_FH_TR_NONE}, {"log", SOL_FH_TR_LOG}, {"arcsin", SOL_FH_TR_ARCSIN}, {0}};
static const cli_choice BACKTRANSFORMS[] = {
    {"bc", SOL_FH_BT_BC}, {"naive", SOL_FH_BT_NAIVE}, {"crude", SOL_FH_BT_CRUDE}, {0}};
static const cli_choice BENCH_TYPES[] = {
    {"raking", SOL_FH_BENCH_RAKING}, {"ratio", SOL_FH_BENCH_RATIO}, {0}};

static const cli_opt FH_OPTS[] = {
    {"data", CLI_STR, J(data), "F.csv", N_("the areas, one row each"), .flags = CLI_REQUIRED},
    {"id-field", CLI_STR, J(id_field), "ID", N_("the column of area ids"), .flags = CLI_REQUIRED},
    {"direct", CLI_STR, J(direct), "COL",
     N_("the direct estimates (empty: the area gets the synthetic estimate x'beta and its MSE)"),
     .flags = CLI_REQUIRED},
    {"var", CLI_STR, J(var), "COL", N_("their sampling variances"), .excludes = "se"},
    {"se", CLI_STR, J(se), "COL", N_("or their standard errors")},
    {"covariates", CLI_STR, J(covariates), "A,B", N_("the covariates (an intercept is always in)")},
    {"factor", CLI_STR, J(factors), "A",
     N_("covariates (also listed in --covariates) expanded to dummies, first level in sorted order "
        "as reference")},
    {"method", CLI_CHOICE, J(method), "reml|ml", N_("the estimation of sigma2_u"),
     .choices = METHODS},
    {"tol", CLI_DOUBLE, J(tol), "T", N_("relative change of sigma2_u to stop"), .min = 0,
     .max = INFINITY, .flags = CLI_OPEN_MIN},
    {"max-iter", CLI_UINT, J(max_iter), "N", N_("Fisher scoring iterations"), .min = 1,
     .max = 1000000},
    {"transformation", CLI_CHOICE, J(transform), "none|log|arcsin", N_("the scale of the model"),
     .choices = TRANSFORMS},
    {"backtransform", CLI_CHOICE, J(backtransform), "bc|naive|crude",
     N_("the back-transformation, see below"), .choices = BACKTRANSFORMS, .def = "bc"},
    {"eff-n", CLI_STR, J(eff_n), "COL", N_("arcsin: the effective sample sizes")},
    {"mse-boot", CLI_UINT, J(mse_boot), "B",
     N_("arcsin: MSE by a parametric bootstrap of B replicates")},
    {"seed", CLI_U64, J(seed), "S",
     N_("seed of the bootstrap (the same result on any thread count)")},
    {"benchmark", CLI_DOUBLE, J(benchmark), "TOTAL",
     N_("benchmark the estimates to this total (see below)"),
     .expect = N_("the total that the share-weighted estimates must add up to; --benchmark needs a "
                  "finite number")},
    {"benchmark-file", CLI_STR, J(benchmark_file), "F.csv",
     N_("or to one total per higher-level area (columns COL and total)")},
    {"benchmark-by", CLI_STR, J(benchmark_by), "COL", N_("the column of higher-level areas")},
    {"benchmark-weights", CLI_STR, J(benchmark_weights), "COL",
     N_("the population shares N_d/N (with --benchmark-file: within the higher-level area)")},
    {"benchmark-type", CLI_CHOICE, J(benchmark_type), "raking|ratio", N_("how to benchmark"),
     .choices = BENCH_TYPES},
    {"store-as", CLI_STR, J(store_as), "CODE",
     N_("store the estimates as indicator CODE (SE = sqrt(MSE), flagged estimated), one run")},
    {"period", CLI_STR, J(period), "P", N_("the period of --store-as")},
    {"label", CLI_STR, J(label), "L", N_("the label of --store-as")},
    {"unit", CLI_STR, J(unit), "U", N_("its unit")},
    {"polarity", CLI_STR, A(polarity), "higher_better|lower_better",
     N_("which way is better (say lower_better for a share in need, so that maps, ranks and the "
        "dashboard read it the right way round)")},
    {"out", CLI_STR, A(out), "F.csv", N_("write here instead of stdout")},
    {"json", CLI_FLAG, A(json), NULL, N_("one JSON object with the fit and every area")},
    {"timing", CLI_FLAG, A(timing), NULL,
     N_("print the wall time of the fit with its MSE on stderr")},
    {0}};

static const cli_sub SUBS[] = {{"fh", N_("Fay-Herriot area-level model (EBLUP with its MSE)")},
                               {0}};

static const cli_spec FH_SPEC = {
    "sae fh",
    "--data F.csv --id-field ID --direct COL (--var COL | --se COL) [options]\n"
    "--data F.csv --id-field ID --direct COL --eff-n COL --transformation arcsin [options]",
    N_("Fay-Herriot area-level model: EBLUP with REML (default) or ML by Fisher scoring, MSE by\n"
       "Prasad-Rao (REML) or Datta-Lahiri (ML) as R sae 1.3. Areas with an empty direct value get\n"
       "the synthetic estimate x'beta and its MSE."),
    FH_OPTS,
    N_("CSV columns: id,direct,var_direct,eblup,mse,gamma,synthetic. With a transformation:\n"
       "id,direct,var_direct,eblup,mse "
       "(back-transformed),direct_t,var_direct_t,eblup_t,mse_t,gamma,\n"
       "synthetic_t (transformed scale). An MSE that is not computed is empty in the CSV and null "
       "in\n"
       "the JSON, never made up.\n"
       "--transformation (as R emdi 2.2 fh): log fits log(direct) with variance var/direct^2 "
       "(every\n"
       "direct value must be > 0); arcsin fits asin(sqrt(direct)) for proportions in [0, 1] with\n"
       "variance 1/(4 n), n the effective sample size in --eff-n (then --var/--se are optional).\n"
       "--backtransform: bc (default) log: Slud-Maiti exp(eblup + sigma2_u (1-gamma)/2) with the\n"
       "Slud-Maiti MSE (areas without a direct value: exp(x'beta + sigma2_u/2), no MSE); arcsin:\n"
       "E[sin^2] over the normal predictive distribution on [0, pi/2] by quadrature, with no MSE\n"
       "unless --mse-boot B: emdi's parametric bootstrap with B replicates (each refits the "
       "model).\n"
       "naive: exp / sin^2 (MSE only by --mse-boot for arcsin). crude (log only):\n"
       "exp(eblup + mse/2) with MSE exp(eblup + mse/2)^2 mse, all areas.\n"
       "--benchmark TOTAL --benchmark-weights COL (population shares N_d/N): as emdi benchmark(),\n"
       "raking (default) eblup + TOTAL - sum(w eblup) or ratio eblup TOTAL / sum(w eblup), so "
       "that\n"
       "sum(w eblup_bench) = TOTAL; adds the column eblup_bench (eblup is kept; MSEs are not\n"
       "benchmarked). --benchmark-file F.csv --benchmark-by COL: one total per higher-level area,\n"
       "F.csv with columns COL and total; the areas of each COL value are benchmarked to its "
       "total.\n"
       "--store-as CODE --period P writes the EBLUPs with SE = sqrt(MSE) and the 'estimated' flag\n"
       "as indicator CODE at period P, one run; --label, --unit and --polarity describe it.\n"),
    0,
    0};

/* What the table cannot say; the rest of the rules are sol_run_sae_check's. */
static int check_args(const cli_args *args, sae_args *a)
{
    sol_error err;
    if (cli_given(&FH_SPEC, args, "mse-boot") && a->job.mse_boot == 0)
        return cli_usage_error(FH_SPEC.cmd, "--mse-boot needs 1 to %u replicates", SOL_MAX_FH_BOOT);
    if (cli_given(&FH_SPEC, args, "seed") && a->job.mse_boot == 0)
        return cli_usage_error(FH_SPEC.cmd, "--seed goes with --mse-boot");
    if (a->polarity != NULL)
        a->job.polarity = strcmp(a->polarity, "higher_better") == 0  ? 1
                          : strcmp(a->polarity, "lower_better") == 0 ? -1
                                                                     : 2;
    sol_error_clear(&err);
    if (sol_run_sae_check(&a->job, &err) != SOL_OK)
        return cli_usage_error(FH_SPEC.cmd, "%s", err.msg);
    return CLI_OK;
}

static void print_csv(const sol_sae_output *o, FILE *f)
{
    const sol_fh_result *r = o->fit;
    int tr = r->transform != SOL_FH_TR_NONE, bench = o->benchmarked != NULL;
    fputs(tr ? "id,direct,var_direct,eblup,mse,direct_t,var_direct_t,eblup_t,mse_t,gamma,"
               "synthetic_t"
             : "id,direct,var_direct,eblup,mse,gamma,synthetic",
          f);
    fputs(bench ? ",eblup_bench\n" : "\n", f);
    for (size_t i = 0; i < o->m; i++) {
        cli_csv_field(f, o->ids[i], 0);
        cli_csv_number(f, o->direct[i], 0);
        cli_csv_number(f, isfinite(o->direct[i]) ? o->var_direct[i] : NAN, 0);
        cli_csv_number(f, o->estimate[i], 0);
        cli_csv_number(f, o->mse[i], 0);
        if (tr) {
            cli_csv_number(f, r->y_t[i], 0);
            cli_csv_number(f, r->vardir_t[i], 0);
            cli_csv_number(f, r->eblup[i], 0);
            cli_csv_number(f, r->mse[i], 0);
        }
        cli_csv_number(f, r->gamma[i], 0);
        cli_csv_number(f, r->synthetic[i], !bench);
        if (bench)
            cli_csv_number(f, o->benchmarked[i], 1);
    }
}

static int print_output(const sae_args *a, const sol_sae_output *o)
{
    FILE *f = cli_out_open(a->out);
    if (f == NULL)
        return CLI_FAIL;
    int bad = 0;
    if (a->json)
        bad = cli_print_json(f, o->result_json, 0) != 0;
    else
        print_csv(o, f);
    bad |= ferror(f);
    if (f != stdout)
        bad |= fclose(f) != 0;
    return bad ? cli_failf("cannot write %s", a->out ? a->out : "stdout") : CLI_OK;
}

int cmd_sae(const cli_ctx *ctx, int argc, char **argv)
{
    int sub = cli_sub_find("sae", SUBS, argc, argv);
    if (sub < 0)
        return -sub;
    sae_args a;
    memset(&a, 0, sizeof a);
    sol_run_sae_job_init(&a.job);
    cli_args args;
    int rc = cli_parse(&FH_SPEC, argc - 1, argv + 1, &a, &args);
    if (rc != CLI_OK)
        return rc;
    if ((rc = check_args(&args, &a)) != CLI_OK)
        return rc;
    sol_store *st = NULL;
    sol_error err;
    if ((rc = cli_open_store(ctx, a.job.store_as != NULL, &st, &err)) != CLI_OK)
        return rc;
    sol_sae_output *o = NULL;
    if ((rc = cli_close_store(st, sol_run_sae(st, &a.job, &o, &err), &err)) != CLI_OK)
        return rc;
    if (a.timing)
        fprintf(stderr,
                _("timing: fit + MSE %.1f ms wall, %.1f ms CPU (%zu areas, %u iterations)\n"),
                o->fit_wall_ms, o->fit_cpu_ms, o->m, o->fit->iterations);
    cli_notes(ctx, N_("note"), o->notes, o->n_notes);
    rc = print_output(&a, o);
    if (rc == CLI_OK && o->run_id > 0)
        cli_progress(ctx, "stored %zu estimates of %s at %s (run %lld)", o->m, a.job.store_as,
                     a.job.period, (long long)o->run_id);
    sol_sae_output_free(o);
    return rc;
}
