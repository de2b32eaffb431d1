/* cmd_spatial.c - `solidata spatial weights|moran|lisa|gistar`: parses the flags into a
 * sol_spatial_job (store mode with --indicator, else file mode), calls sol_run_spatial, prints. */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/run_spatial.h>
#include <solidata/spatial.h>
#include <solidata/store.h>

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sp_args {
    const char *sub, *out, *gal;
    sol_spatial_job job;
    int nsim_given, alt_given, json;
} sp_args;

static const char *USAGE =
    "usage: solidata spatial weights --geo F --id-field ID [--weights SPEC] [--snap TOL]\n"
    "                                [--style W|B] [--islands error|keep] --out EDGES.csv [--gal F]\n"
    "       solidata spatial moran   --geo F --id-field ID --data F.csv --var V [options] [--json]\n"
    "       solidata spatial lisa    --geo F --id-field ID --data F.csv --var V [options]\n"
    "                                [--alpha A] [--adjust none|fdr|bonferroni] [--out F.csv]\n"
    "       solidata spatial gistar  --geo F --id-field ID --data F.csv --var V [options]\n"
    "                                [--self|--no-self] [--out F.csv]\n"
    "store:   --indicator CODE [--period P] instead of --geo/--data/--var: the values of the\n"
    "         indicator at P (default its latest period) over the areas that have one, with their\n"
    "         stored boundaries; moran, lisa and gistar are recorded as a run ('solidata runs')\n"
    "weights: --weights queen|rook|knn:K|band:D (D in km on lon/lat; default queen)\n"
    "         --weights-file EDGES.csv instead of --geo (from_id,to_id,weight)\n"
    "         --snap TOL (degrees, default 1.49e-8 as spdep), --style W|B (default W)\n"
    "         --islands error|keep (default error; keep = spatial lag 0, spdep zero.policy)\n"
    "         --crs EPSG:N (the CRS of a file that declares none)\n"
    "data:    --data-id-field ID (default: --id-field); --period-field F --period P keeps the\n"
    "         rows of one period; every area needs one numeric value, else an error, or\n"
    "         --drop-missing to leave such areas out (each named on stderr)\n"
    "tests:   --permutations N (moran default 0, lisa/gistar 999), --seed S (default 1)\n"
    "         --alternative greater|less|two.sided (default two.sided: every p is two-sided)\n"
    "clusters: lisa/gistar classify an area at --alpha (default 0.05) with the conditional\n"
    "         analytic p, or --inference perm (the permutation p), or --total (the p under\n"
    "         total randomisation, Anselin 1995); --adjust fdr|bonferroni first\n"
    "Output: CSV with a header (%.17g) on stdout or --out, or JSON with --json.\n"
    "  moran: n,I,expected,variance_normal,variance_randomisation,z_normal,z_randomisation,\n"
    "         p_normal,p_randomisation,p_perm\n"
    "  lisa:  id,value,Ii,E_Ii,Var_Ii,z,p,E_Ii_total,Var_Ii_total,z_total,p_total,p_perm,\n"
    "         quadrant,cluster (unsuffixed: conditional moments; _total: total randomisation)\n"
    "  gistar: id,value,G,z,p,p_perm\n"
    "  --json: moran one object; lisa/gistar an object whose \"areas\" holds one object per\n"
    "         area with every detail; \"run_id\" when recorded.\n";

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

static int parse_args(int argc, char **argv, sp_args *a)
{
    enum { O_GEO = 256, O_ID, O_DATA, O_DID, O_VAR, O_W, O_WF, O_SNAP, O_STYLE, O_ISL, O_OUT,
           O_PERM, O_SEED, O_ALPHA, O_ADJ, O_JSON, O_SELF, O_NOSELF, O_ALT, O_TOTAL, O_INF, O_GAL,
           O_IND, O_PER, O_PERF, O_DROP, O_CRS };
    static const struct option opts[] = {
        {"geo", 1, 0, O_GEO},         {"id-field", 1, 0, O_ID},   {"data", 1, 0, O_DATA},
        {"data-id-field", 1, 0, O_DID}, {"var", 1, 0, O_VAR},     {"weights", 1, 0, O_W},
        {"weights-file", 1, 0, O_WF}, {"snap", 1, 0, O_SNAP},     {"style", 1, 0, O_STYLE},
        {"islands", 1, 0, O_ISL},     {"out", 1, 0, O_OUT},       {"permutations", 1, 0, O_PERM},
        {"seed", 1, 0, O_SEED},       {"alpha", 1, 0, O_ALPHA},   {"adjust", 1, 0, O_ADJ},
        {"json", 0, 0, O_JSON},       {"self", 0, 0, O_SELF},     {"no-self", 0, 0, O_NOSELF},
        {"alternative", 1, 0, O_ALT}, {"total", 0, 0, O_TOTAL}, {"inference", 1, 0, O_INF},   {"gal", 1, 0, O_GAL},
        {"indicator", 1, 0, O_IND},   {"period", 1, 0, O_PER},    {"period-field", 1, 0, O_PERF},
        {"drop-missing", 0, 0, O_DROP}, {"crs", 1, 0, O_CRS},     {"help", 0, 0, 'h'},
        {0, 0, 0, 0}};
    const char *cmd = "spatial";
    sol_spatial_job *j = &a->job;
    char *end;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(USAGE, stdout);
            return -2;
        case O_GEO: j->geo = optarg; break;
        case O_ID: j->id_field = optarg; break;
        case O_DATA: j->data = optarg; break;
        case O_DID: j->data_id_field = optarg; break;
        case O_VAR: j->var = optarg; break;
        case O_IND: j->indicator = optarg; break;
        case O_PER: j->period = optarg; break;
        case O_PERF: j->period_field = optarg; break;
        case O_DROP: j->drop_missing = 1; break;
        case O_CRS: j->crs = optarg; break;
        case O_W:
            j->weights_text = optarg;
            if (parse_weights(optarg, &j->weights) != 0)
                return cli_usage_error(cmd, "--weights %s: expected queen, rook, knn:K or band:D",
                                       optarg);
            break;
        case O_WF: j->weights_file = optarg; break;
        case O_OUT: a->out = optarg; break;
        case O_GAL: a->gal = optarg; break;
        case O_SNAP:
            j->weights.snap = strtod(optarg, &end);
            if (*end || !(j->weights.snap >= 0))
                return cli_usage_error(cmd, "--snap %s: expected a tolerance >= 0", optarg);
            break;
        case O_STYLE:
            if (strcmp(optarg, "W") != 0 && strcmp(optarg, "B") != 0)
                return cli_usage_error(cmd, "--style %s: expected W or B", optarg);
            j->weights.style = optarg[0];
            break;
        case O_ISL:
            if (strcmp(optarg, "error") == 0)
                j->weights.islands = SOL_ISLANDS_ERROR;
            else if (strcmp(optarg, "keep") == 0)
                j->weights.islands = SOL_ISLANDS_KEEP;
            else
                return cli_usage_error(cmd, "--islands %s: expected error or keep", optarg);
            break;
        case O_PERM: {
            unsigned long v = strtoul(optarg, &end, 10);
            if (*end || v > SOL_SPATIAL_NSIM_MAX)
                return cli_usage_error(cmd, "--permutations %s: expected 0..%u", optarg,
                                       (unsigned)SOL_SPATIAL_NSIM_MAX);
            j->nsim = (unsigned)v;
            break;
        }
        case O_SEED:
            j->seed = strtoull(optarg, &end, 10);
            if (*end)
                return cli_usage_error(cmd, "--seed %s: expected an integer", optarg);
            break;
        case O_ALPHA:
            j->alpha = strtod(optarg, &end);
            if (*end || !(j->alpha > 0 && j->alpha < 1))
                return cli_usage_error(cmd, "--alpha %s: expected 0 < A < 1", optarg);
            break;
        case O_ADJ:
            if (strcmp(optarg, "none") == 0)
                j->adjust = SOL_PADJUST_NONE;
            else if (strcmp(optarg, "fdr") == 0)
                j->adjust = SOL_PADJUST_FDR;
            else if (strcmp(optarg, "bonferroni") == 0)
                j->adjust = SOL_PADJUST_BONFERRONI;
            else
                return cli_usage_error(cmd, "--adjust %s: expected none, fdr or bonferroni",
                                       optarg);
            break;
        case O_ALT:
            if (strcmp(optarg, "greater") == 0)
                j->alternative = SOL_ALT_GREATER;
            else if (strcmp(optarg, "less") == 0)
                j->alternative = SOL_ALT_LESS;
            else if (strcmp(optarg, "two.sided") == 0)
                j->alternative = SOL_ALT_TWO_SIDED;
            else
                return cli_usage_error(cmd, "--alternative %s: expected greater, less or "
                                            "two.sided", optarg);
            break;
        case O_JSON: a->json = 1; break;
        case O_SELF: j->self = 1; break;
        case O_NOSELF: j->self = 0; break;
        case O_TOTAL: j->conditional = 0; break;
        case O_INF:
            if (strcmp(optarg, "perm") == 0)
                j->inference_perm = 1;
            else if (strcmp(optarg, "analytic") == 0)
                j->inference_perm = 0;
            else
                return cli_usage_error(cmd, "--inference %s: expected analytic or perm", optarg);
            break;
        default:
            return cli_usage_error(cmd, "unknown or incomplete option %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(cmd, "unexpected argument %s", argv[optind]);
    if (j->indicator != NULL) {
        if (j->geo || j->data || j->var || j->period_field)
            return cli_usage_error(cmd, "--indicator reads values and boundaries from the store; "
                                        "it does not go with --geo, --data, --var or "
                                        "--period-field");
    } else {
        if (j->weights_file == NULL && (j->geo == NULL || j->id_field == NULL))
            return cli_usage_error(cmd, "--geo F --id-field ID (or --weights-file F), or "
                                        "--indicator CODE, is required");
        if (a->job.analysis != SOL_SPATIAL_WEIGHTS && (j->data == NULL || j->var == NULL))
            return cli_usage_error(cmd, "%s: --data F.csv and --var V (or --indicator CODE) are "
                                        "required", a->sub);
        if (j->data != NULL && j->data_id_field == NULL && j->id_field == NULL)
            return cli_usage_error(cmd, "--data-id-field ID is required with --weights-file");
        if ((j->period_field == NULL) != (j->period == NULL))
            return cli_usage_error(cmd, "in file mode --period P goes with --period-field F");
    }
    if (j->weights_file != NULL && j->geo != NULL)
        return cli_usage_error(cmd, "give --geo or --weights-file, not both");
    if (a->job.analysis == SOL_SPATIAL_WEIGHTS && a->out == NULL)
        return cli_usage_error(cmd, "weights: --out EDGES.csv is required");
    return 0;
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

static void put_num(FILE *f, double v, int last)
{
    if (isnan(v))
        fputs("NA", f);
    else
        fprintf(f, "%.17g", v);
    fputc(last ? '\n' : ',', f);
}

/* The result JSON of the run, indented, with the run id when one was recorded. */
static int print_json(const sol_spatial_output *o, FILE *f, const char *path)
{
    json_t *j = json_loads(o->result_json, 0, NULL);
    if (j == NULL)
        return cli_failf("internal error: result is not JSON");
    if (o->run_id > 0)
        json_object_set_new(j, "run_id", json_integer((json_int_t)o->run_id));
    int bad = json_dumpf(j, f, JSON_INDENT(2) | JSON_REAL_PRECISION(17)) != 0;
    json_decref(j);
    fputc('\n', f);
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
           "p_normal,p_randomisation,p_perm\n%zu,", r->n);
    double vals[] = {r->I,      r->EI,     r->var_norm, r->var_rand,
                     r->z_norm, r->z_rand, r->p_norm,   r->p_rand};
    for (size_t k = 0; k < sizeof vals / sizeof *vals; k++)
        put_num(stdout, vals[k], 0);
    put_num(stdout, r->nsim > 0 ? r->p_sim : NAN, 1);
    return close_out(stdout, NULL);
}

/* The columns of the interface: lisa id,value,Ii,E_Ii,Var_Ii,z,p,E_Ii_total,Var_Ii_total,
 * z_total,p_total,p_perm,quadrant,cluster; gistar id,value,G,z,p,p_perm. p_perm is two-sided,
 * min(1, 2 x the folded pseudo p); empty without permutations. --json gives every detail. */
static int print_local(const sp_args *a, const sol_spatial_output *o)
{
    const sol_local_result *r = o->local, *t = o->local_total;
    const double *x = o->x;
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
    for (size_t i = 0; i < r->n; i++) {
        cli_csv_field(f, o->w->ids[i], 0);
        put_num(f, x[i], 0);
        if (gi) {
            put_num(f, r->g[i], 0);
            put_num(f, r->z[i], 0);
            put_num(f, r->p[i], 0);
            put_num(f, r->nsim ? fmin(1.0, 2.0 * r->p_sim[i]) : NAN, 1);
            continue;
        }
        put_num(f, r->stat[i], 0);
        put_num(f, r->expect[i], 0);
        put_num(f, r->var[i], 0);
        put_num(f, r->z[i], 0);
        put_num(f, r->p[i], 0);
        put_num(f, t ? t->expect[i] : NAN, 0);
        put_num(f, t ? t->var[i] : NAN, 0);
        put_num(f, t ? t->z[i] : NAN, 0);
        put_num(f, t ? t->p[i] : NAN, 0);
        put_num(f, r->nsim ? fmin(1.0, 2.0 * r->p_sim[i]) : NAN, 0);
        fprintf(f, "%s,%s\n", sol_spatial_quadrant_name(r->quadrant[i]),
                sol_spatial_cluster_name(r->cluster[i]));
    }
    return close_out(f, a->out);
}

int cmd_spatial(const cli_ctx *ctx, int argc, char **argv)
{
    sp_args a;
    memset(&a, 0, sizeof a);
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(USAGE, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_USAGE : CLI_OK;
    }
    a.sub = argv[1];
    sol_spatial_analysis an;
    if (strcmp(a.sub, "weights") == 0)
        an = SOL_SPATIAL_WEIGHTS;
    else if (strcmp(a.sub, "moran") == 0)
        an = SOL_SPATIAL_MORAN;
    else if (strcmp(a.sub, "lisa") == 0)
        an = SOL_SPATIAL_LISA;
    else if (strcmp(a.sub, "gistar") == 0)
        an = SOL_SPATIAL_GISTAR;
    else
        return cli_usage_error("spatial", "unknown sub-command %s", a.sub);
    sol_run_spatial_job_init(&a.job, an);
    int rc = parse_args(argc - 1, argv + 1, &a);
    if (rc == -2)
        return CLI_OK;
    if (rc != 0)
        return rc;
    sol_store *st = NULL;
    if (a.job.indicator != NULL && (rc = cli_open_store(ctx, &st)) != CLI_OK)
        return rc;
    sol_spatial_output *o = NULL;
    sol_error err;
    sol_error_clear(&err);
    sol_status s = sol_run_spatial(st, &a.job, &o, &err);
    sol_store_close(st);
    if (s != SOL_OK)
        return cli_fail(&err);
    for (size_t k = 0; k < o->n_notes; k++)
        fprintf(stderr, "solidata: warning: %s\n", o->notes[k]);
    if (o->n_islands > 0 && !ctx->quiet)
        fprintf(stderr, "solidata: %zu area(s) without neighbours kept (spatial lag 0)\n",
                o->n_islands);
    if (an == SOL_SPATIAL_WEIGHTS) {
        if (sol_spatial_weights_write_csv(o->w, a.out, &err) != SOL_OK ||
            (a.gal && sol_spatial_weights_write_gal(o->w, a.gal, &err) != SOL_OK))
            rc = cli_fail(&err);
        else if (!ctx->quiet)
            fprintf(stderr, "solidata: %zu areas, %zu links, %zu island(s) -> %s\n", o->w->n,
                    o->w->rowptr[o->w->n], o->n_islands, a.out);
    } else {
        rc = an == SOL_SPATIAL_MORAN ? print_moran(&a, o) : print_local(&a, o);
    }
    if (rc == CLI_OK && o->run_id > 0)
        fprintf(stderr, "solidata: recorded as run %lld; 'solidata runs show %lld'\n",
                (long long)o->run_id, (long long)o->run_id);
    sol_spatial_output_free(o);
    return rc;
}
