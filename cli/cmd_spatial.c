/* cmd_spatial.c - `solidata spatial weights|moran|lisa|gistar`: the option tables fill a
 * sol_spatial_job (store mode with --indicator, else file mode), sol_run_spatial runs it, and
 * this file prints the outcome. */
#include "cli.h"
#include "opt.h"

#include <solidata/run_spatial.h>
#include <solidata/spatial.h>
#include <solidata/store.h>

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sp_args {
    const char *out, *gal;
    sol_spatial_job job;
    int json;
} sp_args;

static const char MORE[] = N_()
    N_("Output: CSV with a header (%.17g) on stdout or --out, or JSON with --json.\n"
       "  moran: n,I,expected,variance_normal,variance_randomisation,z_normal,z_randomisation,\n"
       "         p_normal,p_randomisation,p_perm\n"
       "  lisa:  id,value,Ii,E_Ii,Var_Ii,z,p,E_Ii_total,Var_Ii_total,z_total,p_total,p_perm,\n"
       "         quadrant,cluster (unsuffixed: conditional moments; _total: total randomisation)\n"
       "  gistar: id,value,G,z,p,p_perm\n"
       "  --json: moran one object; lisa/gistar an object whose \"areas\" holds one object per\n"
       "         area with every detail; \"run_id\" when recorded.\n");

/* --weights queen|rook|knn:K|band:D into a weights spec. */
static int parse_weights(const char *s, sol_weights_spec *w)
{
    char *end;
    if (strcmp(s, "queen") == 0)
        w->kind = SOL_WEIGHTS_QUEEN;
    else if (strcmp(s, "rook") == 0)
        w->kind = SOL_WEIGHTS_ROOK;
    else if (strncmp(s, "knn:", 4) == 0) {
        unsigned long k = strtoul(s + 4, &end, 10);
        if (*end || k == 0 || k > 100000)
            return -1;
        w->kind = SOL_WEIGHTS_KNN;
        w->k = (unsigned)k;
    } else if (strncmp(s, "band:", 5) == 0) {
        w->dist = strtod(s + 5, &end);
        if (*end || !(w->dist > 0))
            return -1;
        w->kind = SOL_WEIGHTS_BAND;
    } else
        return -1;
    return 0;
}

/* --weights: checked here, kept as written (the method card says it so), parsed after. */
static int check_weights(const char *s, void *field)
{
    sol_weights_spec w = {0};
    if (parse_weights(s, &w) != 0)
        return -1;
    *(const char **)field = s;
    return 0;
}

static int parse_style(const char *s, void *field)
{
    if (strcmp(s, "W") != 0 && strcmp(s, "B") != 0)
        return -1;
    *(char *)field = s[0];
    return 0;
}

#define J(f) offsetof(sp_args, job.f)
#define A(f) offsetof(sp_args, f)
static const cli_choice ISLANDS[] = {{"error", SOL_ISLANDS_ERROR}, {"keep", SOL_ISLANDS_KEEP}, {0}};
static const cli_choice ADJUST[] = {{"none", SOL_PADJUST_NONE},
                                    {"fdr", SOL_PADJUST_FDR},
                                    {"bonferroni", SOL_PADJUST_BONFERRONI},
                                    {0}};
static const cli_choice ALTERNATIVE[] = {
    {"greater", SOL_ALT_GREATER}, {"less", SOL_ALT_LESS}, {"two.sided", SOL_ALT_TWO_SIDED}, {0}};
static const cli_choice INFERENCE[] = {{"analytic", 0}, {"perm", 1}, {0}};

/* Where the areas, the values and the weights come from: every sub-command. */
static const cli_opt INPUT_OPTS[] = {
    {"indicator", CLI_STR, J(indicator), "CODE",
     N_("store mode: the indicator's values over the areas that have one, with their stored "
        "boundaries; recorded as a run ('solidata runs')"),
     .excludes = "geo,data,var,period-field"},
    {"period", CLI_STR, J(period), "P",
     N_("the period (store: default the latest; files: with --period-field)")},
    {"geo", CLI_STR, J(geo), "FILE", N_("the areas' boundaries (GeoJSON, Shapefile, GeoPackage)"),
     .excludes = "weights-file"},
    {"id-field", CLI_STR, J(id_field), "ID", N_("the field of --geo with the area codes")},
    {"crs", CLI_STR, J(crs), "EPSG:N", N_("the CRS of a file that declares none")},
    {"weights-file", CLI_STR, J(weights_file), "EDGES.csv",
     N_("weights from an edge list (from_id,to_id,weight) instead of --geo")},
    {"weights", CLI_CUSTOM, J(weights_text), "SPEC",
     N_("queen, rook, knn:K or band:D (D in km on lon/lat)"), .parse = check_weights,
     .expect = N_("queen, rook, knn:K or band:D"), .def = "queen"},
    {"snap", CLI_DOUBLE, J(weights.snap), "TOL",
     N_("vertices closer than TOL (degrees) are one, as spdep"), .min = 0, .max = INFINITY,
     .expect = N_("a tolerance >= 0"), .def = "1.49e-8"},
    {"style", CLI_CUSTOM, J(weights.style), "W|B", N_("row-standardised (W) or binary (B)"),
     .parse = parse_style, .expect = N_("W or B"), .def = "W"},
    {"islands", CLI_CHOICE, J(weights.islands), "error|keep",
     N_("areas without neighbours: an error, or kept with a spatial lag of 0 (spdep's "
        "zero.policy)"),
     .choices = ISLANDS},
    {0}};

/* The statistics: the values and the tests. */
static const cli_opt STAT_OPTS[] = {
    {"data", CLI_STR, J(data), "F.csv", N_("file mode: the values, one row per area")},
    {"data-id-field", CLI_STR, J(data_id_field), "ID",
     N_("the column of --data with the area codes (default: --id-field)")},
    {"var", CLI_STR, J(var), "V", N_("file mode: the column of --data to analyse")},
    {"period-field", CLI_STR, J(period_field), "F",
     N_("file mode: keep the rows whose column F equals --period")},
    {"drop-missing", CLI_FLAG, J(drop_missing), NULL,
     N_("leave out areas without a usable value (each named on stderr) instead of failing")},
    {"permutations", CLI_UINT, J(nsim), "N", N_("permutations for the pseudo p-values"), .min = 0,
     .max = SOL_SPATIAL_NSIM_MAX},
    {"seed", CLI_U64, J(seed), "S", N_("seed of the permutations")},
    {"alternative", CLI_CHOICE, J(alternative), "H",
     N_("greater, less or two.sided (every p is then two-sided)"), .choices = ALTERNATIVE},
    {"json", CLI_FLAG, A(json), NULL, N_("one JSON object with every detail instead of CSV")},
    {0}};

/* The clusters of lisa and gistar. */
static const cli_opt CLUSTER_OPTS[] = {
    {"alpha", CLI_DOUBLE, J(alpha), "A", N_("significance level of a cluster"), .min = 0, .max = 1,
     .flags = CLI_OPEN_MIN | CLI_OPEN_MAX, .expect = N_("0 < A < 1")},
    {"adjust", CLI_CHOICE, J(adjust), "M", N_("adjust the p-values first: none, fdr or bonferroni"),
     .choices = ADJUST},
    {"inference", CLI_CHOICE, J(inference_perm), "analytic|perm",
     N_("clusters from the analytic p or the permutation p"), .choices = INFERENCE},
    {"out", CLI_STR, A(out), "F.csv", N_("write here instead of stdout")},
    {0}};

static const cli_opt WEIGHTS_OPTS[] = {
    {"out", CLI_STR, A(out), "EDGES.csv", N_("write the edge list here"), .flags = CLI_REQUIRED},
    {"gal", CLI_STR, A(gal), "FILE", N_("also write the weights as a GAL file")},
    {0}};
static const cli_opt LISA_OPTS[] = {
    {"total", CLI_FLAG0, J(conditional), NULL,
     N_("classify with the p under total randomisation (Anselin 1995)")},
    {0}};
static const cli_opt GISTAR_OPTS[] = {
    {"self", CLI_FLAG, J(self), NULL,
     N_("Gi*: each area counts in its own neighbourhood (default)")},
    {"no-self", CLI_FLAG0, J(self), NULL, N_("Gi: without the area itself")},
    {0}};
static const cli_opt *const WEIGHTS_SHARED[] = {INPUT_OPTS, NULL};
static const cli_opt *const MORAN_SHARED[] = {INPUT_OPTS, STAT_OPTS, NULL};
static const cli_opt *const LOCAL_SHARED[] = {INPUT_OPTS, STAT_OPTS, CLUSTER_OPTS, NULL};

static const cli_sub SUBS[] = {
    {"weights", N_("contiguity, k-nearest or distance-band weights as an edge list")},
    {"moran", N_("global Moran's I with normal, randomisation and permutation inference")},
    {"lisa", N_("local Moran (LISA): hot spots, cold spots and spatial outliers")},
    {"gistar", N_("Getis-Ord Gi* hot and cold spots")},
    {0}};

static const cli_spec SPECS[] = {
    {"spatial weights", "--geo F --id-field ID [--weights SPEC] --out EDGES.csv [--gal F]",
     N_("Spatial weights from the areas' boundaries (queen, rook), their centroids (knn:K,\n"
        "band:D) or an edge list."),
     WEIGHTS_OPTS, NULL, 0, 0, WEIGHTS_SHARED},
    {"spatial moran",
     "--geo F --id-field ID --data F.csv --var V [options] [--json]\n"
     "--indicator CODE [--period P] [options] [--json]",
     N_("Global Moran's I: is the indicator spatially clustered? Moments under normality and\n"
        "randomisation, and a permutation p (--permutations N), as spdep's moran.test."),
     NULL, MORE, 0, 0, MORAN_SHARED},
    {"spatial lisa",
     "--geo F --id-field ID --data F.csv --var V [options] [--out F.csv]\n"
     "--indicator CODE [--period P] [options] [--out F.csv]",
     N_("Local Moran (LISA, as spdep's localmoran and localmoran_perm): each area's cluster\n"
        "(High-High, Low-Low, High-Low, Low-High) at --alpha, with the conditional analytic p,\n"
        "the permutation p (--inference perm) or the p under total randomisation (--total)."),
     LISA_OPTS, MORE, 0, 0, LOCAL_SHARED},
    {"spatial gistar",
     "--geo F --id-field ID --data F.csv --var V [options] [--out F.csv]\n"
     "--indicator CODE [--period P] [options] [--out F.csv]",
     N_("Getis-Ord Gi* (with the area itself) or Gi (--no-self), as spdep's localG: hot and\n"
        "cold spots at --alpha."),
     GISTAR_OPTS, MORE, 0, 0, LOCAL_SHARED},
};

/* What the tables cannot say: which inputs go together in file mode. */
static int check_args(const char *cmd, const sol_spatial_job *j)
{
    if (j->indicator != NULL)
        return CLI_OK;
    if (j->weights_file == NULL && (j->geo == NULL || j->id_field == NULL))
        return cli_usage_error(cmd, "--geo F --id-field ID (or --weights-file F), or "
                                    "--indicator CODE, is required");
    if (j->analysis != SOL_SPATIAL_WEIGHTS && (j->data == NULL || j->var == NULL))
        return cli_usage_error(cmd, "--data F.csv and --var V (or --indicator CODE) are "
                                    "required");
    if (j->data != NULL && j->data_id_field == NULL && j->id_field == NULL)
        return cli_usage_error(cmd, "--data-id-field ID is required with --weights-file");
    if ((j->period_field == NULL) != (j->period == NULL))
        return cli_usage_error(cmd, "in file mode --period P goes with --period-field F");
    return CLI_OK;
}

static FILE *open_out(const char *path)
{
    if (path == NULL || strcmp(path, "-") == 0)
        return stdout;
    FILE *f = fopen(path, "w");
    if (f == NULL)
        cli_failf("%s: cannot create", path);
    return f;
}

static int close_out(FILE *f, const char *path)
{
    int bad = ferror(f);
    if (f != stdout)
        bad |= fclose(f) != 0;
    else
        bad |= fflush(f) != 0;
    return bad ? cli_failf("%s: write failed", path ? path : "stdout") : 0;
}

/* The result JSON of the run, indented, with the run id when one was recorded. */
static int print_json(const sol_spatial_output *o, FILE *f, const char *path)
{
    int bad = cli_print_json(f, o->result_json, (long long)o->run_id);
    if (bad < 0)
        return CLI_FAIL;
    if (bad)
        return cli_failf("%s: write failed", path ? path : "stdout");
    return close_out(f, path);
}

static int print_moran(const sp_args *a, const sol_spatial_output *o)
{
    const sol_moran_result *r = &o->moran;
    if (a->json)
        return print_json(o, stdout, NULL);
    printf("n,I,expected,variance_normal,variance_randomisation,z_normal,z_randomisation,"
           "p_normal,p_randomisation,p_perm\n%zu,",
           r->n);
    double vals[] = {r->I,      r->EI,     r->var_norm, r->var_rand,
                     r->z_norm, r->z_rand, r->p_norm,   r->p_rand};
    for (size_t k = 0; k < sizeof vals / sizeof *vals; k++)
        cli_csv_number_na(stdout, vals[k], 0);
    cli_csv_number_na(stdout, r->nsim > 0 ? r->p_sim : NAN, 1);
    return close_out(stdout, NULL);
}

/* One row of the local statistics' CSV (print_local gives the columns). */
static void local_row(FILE *f, const sol_spatial_output *o, int gi, size_t i)
{
    const sol_local_result *r = o->local, *t = o->local_total;
    cli_csv_field(f, o->w->ids[i], 0);
    cli_csv_number_na(f, o->x[i], 0);
    if (gi) {
        cli_csv_number_na(f, r->g[i], 0);
        cli_csv_number_na(f, r->z[i], 0);
        cli_csv_number_na(f, r->p[i], 0);
        cli_csv_number_na(f, r->nsim ? fmin(1.0, 2.0 * r->p_sim[i]) : NAN, 1);
        return;
    }
    cli_csv_number_na(f, r->stat[i], 0);
    cli_csv_number_na(f, r->expect[i], 0);
    cli_csv_number_na(f, r->var[i], 0);
    cli_csv_number_na(f, r->z[i], 0);
    cli_csv_number_na(f, r->p[i], 0);
    cli_csv_number_na(f, t ? t->expect[i] : NAN, 0);
    cli_csv_number_na(f, t ? t->var[i] : NAN, 0);
    cli_csv_number_na(f, t ? t->z[i] : NAN, 0);
    cli_csv_number_na(f, t ? t->p[i] : NAN, 0);
    cli_csv_number_na(f, r->nsim ? fmin(1.0, 2.0 * r->p_sim[i]) : NAN, 0);
    fprintf(f, "%s,%s\n", sol_spatial_quadrant_name(r->quadrant[i]),
            sol_spatial_cluster_name(r->cluster[i]));
}

/* The columns of the interface: lisa id,value,Ii,E_Ii,Var_Ii,z,p,E_Ii_total,Var_Ii_total,
 * z_total,p_total,p_perm,quadrant,cluster; gistar id,value,G,z,p,p_perm. p_perm is two-sided,
 * min(1, 2 x the folded pseudo p); empty without permutations. --json gives every detail.
 * Writing 14 numbers at 17 digits for 100,000 areas took longer than the permutations' wall
 * time on two cores: blocks of rows are formatted in memory in parallel and written in order,
 * a wave of blocks at a time (the same bytes on any thread count). */
static int print_local(const sp_args *a, const sol_spatial_output *o)
{
    enum { BLOCK_ROWS = 128, WAVE_BLOCKS = 64 }; /* a wave: 8,192 rows, about 2 MB */
    const sol_local_result *r = o->local;
    int gi = a->job.analysis == SOL_SPATIAL_GISTAR;
    FILE *f = open_out(a->out);
    if (f == NULL)
        return CLI_FAIL;
    if (a->json)
        return print_json(o, f, a->out);
    if (gi)
        fprintf(f, "id,value,G,z,p,p_perm\n");
    else
        fprintf(f, "id,value,Ii,E_Ii,Var_Ii,z,p,E_Ii_total,Var_Ii_total,z_total,p_total,p_perm,"
                   "quadrant,cluster\n");
    int nomem = 0;
    for (size_t w0 = 0; w0 < r->n && !nomem; w0 += (size_t)BLOCK_ROWS * WAVE_BLOCKS) {
        size_t nb = (r->n - w0 + BLOCK_ROWS - 1) / BLOCK_ROWS;
        if (nb > WAVE_BLOCKS)
            nb = WAVE_BLOCKS;
        char *buf[WAVE_BLOCKS] = {0};
        size_t len[WAVE_BLOCKS] = {0};
#pragma omp parallel for schedule(dynamic) reduction(| : nomem)
        for (size_t b = 0; b < nb; b++) {
            FILE *m = open_memstream(&buf[b], &len[b]);
            if (m == NULL) {
                nomem = 1;
                continue;
            }
            size_t lo = w0 + b * BLOCK_ROWS, hi = lo + BLOCK_ROWS < r->n ? lo + BLOCK_ROWS : r->n;
            for (size_t i = lo; i < hi; i++)
                local_row(m, o, gi, i);
            nomem |= ferror(m) != 0;
            nomem |= fclose(m) != 0;
        }
        for (size_t b = 0; b < nb; b++) {
            if (!nomem && len[b] > 0)
                fwrite(buf[b], 1, len[b], f);
            free(buf[b]);
        }
    }
    if (nomem) {
        if (f != stdout)
            fclose(f);
        return cli_failf("%s: out of memory while writing", a->out ? a->out : "stdout");
    }
    return close_out(f, a->out);
}

int cmd_spatial(const cli_ctx *ctx, int argc, char **argv)
{
    int sub = cli_sub_find("spatial", SUBS, argc, argv);
    if (sub < 0)
        return -sub;
    static const sol_spatial_analysis AN[] = {SOL_SPATIAL_WEIGHTS, SOL_SPATIAL_MORAN,
                                              SOL_SPATIAL_LISA, SOL_SPATIAL_GISTAR};
    sol_spatial_analysis an = AN[sub];
    sp_args a;
    memset(&a, 0, sizeof a);
    sol_run_spatial_job_init(&a.job, an);
    cli_args args;
    int rc = cli_parse(&SPECS[sub], argc - 1, argv + 1, &a, &args);
    if (rc != CLI_OK)
        return rc;
    if ((rc = check_args(SPECS[sub].cmd, &a.job)) != CLI_OK)
        return rc;
    if (a.job.weights_text != NULL)
        parse_weights(a.job.weights_text, &a.job.weights);
    sol_store *st = NULL;
    sol_error err;
    if ((rc = cli_open_store(ctx, a.job.indicator != NULL, &st, &err)) != CLI_OK)
        return rc;
    sol_spatial_output *o = NULL;
    a.job.no_json = !a.json;
    if ((rc = cli_close_store(st, sol_run_spatial(st, &a.job, &o, &err), &err)) != CLI_OK)
        return rc;
    cli_notes(NULL, N_("warning"), o->notes, o->n_notes);
    if (o->n_islands > 0 && !ctx->quiet)
        fprintf(stderr,
                sol_ngettext("solidata: %zu area without neighbours kept (spatial lag 0)\n",
                             "solidata: %zu areas without neighbours kept (spatial lag 0)\n",
                             o->n_islands),
                o->n_islands);
    if (an == SOL_SPATIAL_WEIGHTS) {
        if (sol_spatial_weights_write_csv(o->w, a.out, &err) != SOL_OK ||
            (a.gal && sol_spatial_weights_write_gal(o->w, a.gal, &err) != SOL_OK))
            rc = cli_fail(&err);
        else if (!ctx->quiet)
            /* TRANSLATORS: a summary; the counts stand as "label N" would */
            fprintf(stderr, _("solidata: %zu areas, %zu links, %zu islands -> %s\n"), o->w->n,
                    o->w->rowptr[o->w->n], o->n_islands, a.out);
    } else {
        rc = an == SOL_SPATIAL_MORAN ? print_moran(&a, o) : print_local(&a, o);
    }
    if (rc == CLI_OK && o->run_id > 0)
        cli_say_recorded((long long)o->run_id);
    sol_spatial_output_free(o);
    return rc;
}
