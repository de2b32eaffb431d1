/* cmd_spatial.c - `solidata spatial weights|moran|lisa|gistar`: file mode (GeoJSON/any OGR layer
 * + CSV in, CSV/JSON out) over the spatial weights and statistics of solidata/spatial.h. */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/csv.h>
#include <solidata/geo.h>
#include <solidata/spatial.h>

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sp_args {
    const char *sub, *geo, *id_field, *data, *data_id_field, *var, *weights, *weights_file, *out;
    const char *gal;
    sol_weights_spec spec;
    sol_local_opts lo;
    unsigned nsim;
    int nsim_given, json, self;
    uint64_t seed;
    sol_alternative alt;
    int alt_given;
} sp_args;

static const char *USAGE =
    "usage: solidata spatial weights --geo F --id-field ID [--weights SPEC] [--snap TOL]\n"
    "                                [--style W|B] [--islands error|keep] --out EDGES.csv [--gal F]\n"
    "       solidata spatial moran   --geo F --id-field ID --data F.csv --var V [options] [--json]\n"
    "       solidata spatial lisa    --geo F --id-field ID --data F.csv --var V [options]\n"
    "                                [--alpha A] [--adjust none|fdr|bonferroni] [--out F.csv]\n"
    "       solidata spatial gistar  --geo F --id-field ID --data F.csv --var V [options]\n"
    "                                [--self|--no-self] [--out F.csv]\n"
    "weights: --weights queen|rook|knn:K|band:D (D in km on lon/lat; default queen)\n"
    "         --weights-file EDGES.csv instead of --geo (from_id,to_id,weight)\n"
    "         --snap TOL (degrees, default 1.49e-8 as spdep), --style W|B (default W)\n"
    "         --islands error|keep (default error; keep = spatial lag 0, spdep zero.policy)\n"
    "data:    --data-id-field ID (default: --id-field), every area needs a value\n"
    "tests:   --permutations N (moran default 0, lisa/gistar 999), --seed S (default 1)\n"
    "         --alternative greater|less|two.sided (moran default greater, local two.sided)\n"
    "         --total (lisa: total randomisation, Anselin 1995, instead of conditional)\n"
    "Output: CSV with a header (%.17g) on stdout or --out, or JSON with --json (moran).\n";

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
           O_PERM, O_SEED, O_ALPHA, O_ADJ, O_JSON, O_SELF, O_NOSELF, O_ALT, O_TOTAL, O_GAL };
    static const struct option opts[] = {
        {"geo", 1, 0, O_GEO},         {"id-field", 1, 0, O_ID},   {"data", 1, 0, O_DATA},
        {"data-id-field", 1, 0, O_DID}, {"var", 1, 0, O_VAR},     {"weights", 1, 0, O_W},
        {"weights-file", 1, 0, O_WF}, {"snap", 1, 0, O_SNAP},     {"style", 1, 0, O_STYLE},
        {"islands", 1, 0, O_ISL},     {"out", 1, 0, O_OUT},       {"permutations", 1, 0, O_PERM},
        {"seed", 1, 0, O_SEED},       {"alpha", 1, 0, O_ALPHA},   {"adjust", 1, 0, O_ADJ},
        {"json", 0, 0, O_JSON},       {"self", 0, 0, O_SELF},     {"no-self", 0, 0, O_NOSELF},
        {"alternative", 1, 0, O_ALT}, {"total", 0, 0, O_TOTAL},   {"gal", 1, 0, O_GAL},
        {"help", 0, 0, 'h'},          {0, 0, 0, 0}};
    const char *cmd = "spatial";
    char *end;
    int c;
    a->spec.snap = -1;
    a->spec.style = 'W';
    a->spec.longlat = 1;
    a->self = 1;
    a->seed = 1;
    sol_spatial_local_opts_default(&a->lo);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(USAGE, stdout);
            return -2;
        case O_GEO: a->geo = optarg; break;
        case O_ID: a->id_field = optarg; break;
        case O_DATA: a->data = optarg; break;
        case O_DID: a->data_id_field = optarg; break;
        case O_VAR: a->var = optarg; break;
        case O_W:
            a->weights = optarg;
            if (parse_weights(optarg, &a->spec) != 0)
                return cli_usage_error(cmd, "--weights %s: expected queen, rook, knn:K or band:D",
                                       optarg);
            break;
        case O_WF: a->weights_file = optarg; break;
        case O_OUT: a->out = optarg; break;
        case O_GAL: a->gal = optarg; break;
        case O_SNAP:
            a->spec.snap = strtod(optarg, &end);
            if (*end || !(a->spec.snap >= 0))
                return cli_usage_error(cmd, "--snap %s: expected a tolerance >= 0", optarg);
            break;
        case O_STYLE:
            if (strcmp(optarg, "W") != 0 && strcmp(optarg, "B") != 0)
                return cli_usage_error(cmd, "--style %s: expected W or B", optarg);
            a->spec.style = optarg[0];
            break;
        case O_ISL:
            if (strcmp(optarg, "error") == 0)
                a->spec.islands = SOL_ISLANDS_ERROR;
            else if (strcmp(optarg, "keep") == 0)
                a->spec.islands = SOL_ISLANDS_KEEP;
            else
                return cli_usage_error(cmd, "--islands %s: expected error or keep", optarg);
            break;
        case O_PERM: {
            unsigned long v = strtoul(optarg, &end, 10);
            if (*end || v > SOL_SPATIAL_NSIM_MAX)
                return cli_usage_error(cmd, "--permutations %s: expected 0..%u", optarg,
                                       (unsigned)SOL_SPATIAL_NSIM_MAX);
            a->nsim = (unsigned)v;
            a->nsim_given = 1;
            break;
        }
        case O_SEED:
            a->seed = strtoull(optarg, &end, 10);
            if (*end)
                return cli_usage_error(cmd, "--seed %s: expected an integer", optarg);
            break;
        case O_ALPHA:
            a->lo.alpha = strtod(optarg, &end);
            if (*end || !(a->lo.alpha > 0 && a->lo.alpha < 1))
                return cli_usage_error(cmd, "--alpha %s: expected 0 < A < 1", optarg);
            break;
        case O_ADJ:
            if (strcmp(optarg, "none") == 0)
                a->lo.adjust = SOL_PADJUST_NONE;
            else if (strcmp(optarg, "fdr") == 0)
                a->lo.adjust = SOL_PADJUST_FDR;
            else if (strcmp(optarg, "bonferroni") == 0)
                a->lo.adjust = SOL_PADJUST_BONFERRONI;
            else
                return cli_usage_error(cmd, "--adjust %s: expected none, fdr or bonferroni",
                                       optarg);
            break;
        case O_ALT:
            if (strcmp(optarg, "greater") == 0)
                a->alt = SOL_ALT_GREATER;
            else if (strcmp(optarg, "less") == 0)
                a->alt = SOL_ALT_LESS;
            else if (strcmp(optarg, "two.sided") == 0)
                a->alt = SOL_ALT_TWO_SIDED;
            else
                return cli_usage_error(cmd, "--alternative %s: expected greater, less or "
                                            "two.sided", optarg);
            a->alt_given = 1;
            break;
        case O_JSON: a->json = 1; break;
        case O_SELF: a->self = 1; break;
        case O_NOSELF: a->self = 0; break;
        case O_TOTAL: a->lo.conditional = 0; break;
        default:
            return cli_usage_error(cmd, "unknown or incomplete option %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(cmd, "unexpected argument %s", argv[optind]);
    if (a->weights_file == NULL && (a->geo == NULL || a->id_field == NULL))
        return cli_usage_error(cmd, "--geo F --id-field ID (or --weights-file F) is required");
    if (a->weights_file != NULL && a->geo != NULL)
        return cli_usage_error(cmd, "give --geo or --weights-file, not both");
    if (strcmp(a->sub, "weights") == 0) {
        if (a->out == NULL)
            return cli_usage_error(cmd, "weights: --out EDGES.csv is required");
    } else if (a->data == NULL || a->var == NULL) {
        return cli_usage_error(cmd, "%s: --data F.csv and --var V are required", a->sub);
    }
    if (a->data_id_field == NULL)
        a->data_id_field = a->id_field;
    if (a->data != NULL && a->data_id_field == NULL)
        return cli_usage_error(cmd, "--data-id-field ID is required with --weights-file");
    return 0;
}

/* Values of `var` by id from the data CSV. ids/vals arrays owned by the caller. */
typedef struct dataset {
    size_t n;
    char **ids;
    double *v;
} dataset;

static void dataset_free(dataset *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->ids[i]);
    free(d->ids);
    free(d->v);
}

static int read_data(const sp_args *a, dataset *d)
{
    sol_error err;
    sol_csv *c = NULL;
    size_t cap = 0;
    if (sol_csv_open(a->data, NULL, &c, &err) != SOL_OK)
        return cli_fail(&err);
    long ci = sol_csv_colindex(c, a->data_id_field), cv = sol_csv_colindex(c, a->var);
    if (ci < 0 || cv < 0) {
        sol_csv_close(c);
        return cli_failf("%s: no column named %s", a->data, ci < 0 ? a->data_id_field : a->var);
    }
    sol_status rc;
    while ((rc = sol_csv_next(c, &err)) == SOL_OK) {
        size_t len;
        const char *s = sol_csv_field(c, (size_t)cv, &len);
        double x;
        if (sol_is_missing(s, len) || sol_parse_number(s, len, 0, &x) != SOL_OK) {
            int r = cli_failf("%s:%lu:%lu: %s of area %s is \"%s\", not a number; every area "
                              "needs a value",
                              a->data, sol_csv_line(c), sol_csv_col(c, (size_t)cv), a->var,
                              sol_csv_field(c, (size_t)ci, NULL), s);
            sol_csv_close(c);
            return r;
        }
        if (d->n == cap) {
            cap = cap ? 2 * cap : 256;
            d->ids = realloc(d->ids, cap * sizeof *d->ids);
            d->v = realloc(d->v, cap * sizeof *d->v);
            if (d->ids == NULL || d->v == NULL) {
                sol_csv_close(c);
                return cli_failf("out of memory");
            }
        }
        d->ids[d->n] = strdup(sol_csv_field(c, (size_t)ci, NULL));
        d->v[d->n++] = x;
    }
    sol_csv_close(c);
    if (rc != SOL_EOF)
        return cli_fail(&err);
    return 0;
}

/* x in the order of w's areas; a clear error naming data ids without area and areas without
 * data. */
static int align(const sol_weights *w, const dataset *d, const char *data_path, double **out)
{
    double *x = malloc((w->n ? w->n : 1) * sizeof *x);
    char *has = calloc(w->n ? w->n : 1, 1);
    size_t *slot = malloc((d->n ? d->n : 1) * sizeof *slot);
    int rc = 0;
    if (x == NULL || has == NULL || slot == NULL) {
        rc = cli_failf("out of memory");
        goto done;
    }
    /* sort-free matching through a simple open-addressing table over w's ids */
    size_t cap = 1;
    while (cap < 2 * w->n + 2)
        cap <<= 1;
    size_t *tab = malloc(cap * sizeof *tab);
    if (tab == NULL) {
        rc = cli_failf("out of memory");
        goto done;
    }
    for (size_t k = 0; k < cap; k++)
        tab[k] = SIZE_MAX;
    for (size_t i = 0; i < w->n; i++) {
        size_t h = 5381;
        for (const char *p = w->ids[i]; *p; p++)
            h = h * 33 + (unsigned char)*p;
        for (h &= cap - 1; tab[h] != SIZE_MAX; h = (h + 1) & (cap - 1))
            ;
        tab[h] = i;
    }
    size_t unknown = 0, dup = 0;
    for (size_t r = 0; r < d->n; r++) {
        size_t h = 5381;
        for (const char *p = d->ids[r]; *p; p++)
            h = h * 33 + (unsigned char)*p;
        slot[r] = SIZE_MAX;
        for (h &= cap - 1; tab[h] != SIZE_MAX; h = (h + 1) & (cap - 1))
            if (strcmp(w->ids[tab[h]], d->ids[r]) == 0) {
                slot[r] = tab[h];
                break;
            }
        if (slot[r] == SIZE_MAX) {
            if (unknown++ < 10)
                fprintf(stderr, "solidata: %s: area %s is not in the geometry/weights\n",
                        data_path, d->ids[r]);
            continue;
        }
        if (has[slot[r]] && dup++ < 10)
            fprintf(stderr, "solidata: %s: area %s has more than one row\n", data_path,
                    d->ids[r]);
        has[slot[r]] = 1;
        x[slot[r]] = d->v[r];
    }
    free(tab);
    size_t missing = 0;
    for (size_t i = 0; i < w->n; i++)
        if (!has[i] && missing++ < 10)
            fprintf(stderr, "solidata: %s: no value for area %s\n", data_path, w->ids[i]);
    if (unknown || dup || missing) {
        rc = cli_failf("%s: %zu row(s) with an unknown area, %zu duplicated, %zu area(s) "
                       "without data",
                       data_path, unknown, dup, missing);
        goto done;
    }
    *out = x;
    x = NULL;
done:
    free(x);
    free(has);
    free(slot);
    return rc;
}

static int get_weights(const sp_args *a, const dataset *d, sol_weights **w)
{
    sol_error err;
    sol_error_clear(&err);
    if (a->weights_file != NULL) {
        if (sol_spatial_weights_read_csv(a->weights_file, d ? (const char *const *)d->ids : NULL,
                                         d ? d->n : 0, a->spec.islands, w, &err) != SOL_OK)
            return cli_fail(&err);
        return 0;
    }
    sol_geo_opts go = {0};
    go.code_field = a->id_field;
    sol_layer *l = NULL;
    if (sol_geo_read(a->geo, &go, &l, &err) != SOL_OK)
        return cli_fail(&err);
    sol_status rc = sol_spatial_weights_build(l, &a->spec, w, &err);
    sol_layer_free(l);
    if (rc != SOL_OK) {
        if (err.where[0] == '\0')
            snprintf(err.where, sizeof err.where, "%s", a->geo);
        return cli_fail(&err);
    }
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

static int do_moran(const sp_args *a, const sol_weights *w, const double *x)
{
    sol_moran_opts o = {a->alt_given ? a->alt : SOL_ALT_GREATER, a->nsim, a->seed};
    sol_moran_result r;
    sol_error err;
    if (sol_spatial_moran(w, x, &o, &r, &err) != SOL_OK)
        return cli_fail(&err);
    const char *names[] = {"I", "EI", "var_rand", "z_rand", "p_rand", "var_norm", "z_norm",
                           "p_norm", "kurtosis", "S0", "S1", "S2"};
    double vals[] = {r.I, r.EI, r.var_rand, r.z_rand, r.p_rand, r.var_norm, r.z_norm,
                     r.p_norm, r.kurtosis, r.S0, r.S1, r.S2};
    size_t nv = sizeof vals / sizeof *vals;
    const char *alt = o.alternative == SOL_ALT_LESS ? "less"
                      : o.alternative == SOL_ALT_TWO_SIDED ? "two.sided" : "greater";
    if (a->json) {
        json_t *j = json_object();
        json_object_set_new(j, "n", json_integer((json_int_t)r.n));
        json_object_set_new(j, "islands", json_integer((json_int_t)(w->n - r.n)));
        json_object_set_new(j, "alternative", json_string(alt));
        for (size_t k = 0; k < nv; k++)
            json_object_set_new(j, names[k], json_real(vals[k]));
        if (r.nsim > 0) {
            json_t *p = json_object();
            json_object_set_new(p, "nsim", json_integer(r.nsim));
            json_object_set_new(p, "seed", json_integer((json_int_t)a->seed));
            json_object_set_new(p, "rank", json_real(r.rank));
            json_object_set_new(p, "n_ge", json_integer((json_int_t)r.n_ge));
            json_object_set_new(p, "p_sim", json_real(r.p_sim));
            json_object_set_new(p, "mean_sim", json_real(r.mean_sim));
            json_object_set_new(p, "var_sim", json_real(r.var_sim));
            json_object_set_new(j, "permutations", p);
        }
        int bad = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(17)) != 0;
        json_decref(j);
        fputc('\n', stdout);
        return bad ? cli_failf("write failed") : close_out(stdout, NULL);
    }
    printf("n,alternative");
    for (size_t k = 0; k < nv; k++)
        printf(",%s", names[k]);
    printf(",nsim,seed,rank,p_sim,mean_sim,var_sim\n%zu,%s,", r.n, alt);
    for (size_t k = 0; k < nv; k++)
        put_num(stdout, vals[k], 0);
    if (r.nsim > 0) {
        printf("%u,%llu,", r.nsim, (unsigned long long)a->seed);
        put_num(stdout, r.rank, 0);
        put_num(stdout, r.p_sim, 0);
        put_num(stdout, r.mean_sim, 0);
        put_num(stdout, r.var_sim, 1);
    } else {
        printf("0,,,,,\n");
    }
    return close_out(stdout, NULL);
}

static int do_local(const sp_args *a, const sol_weights *w, const double *x, int gi)
{
    sol_local_opts o = a->lo;
    o.nsim = a->nsim_given ? a->nsim : SOL_SPATIAL_NSIM_DEFAULT;
    o.seed = a->seed;
    if (a->alt_given)
        o.alternative = a->alt;
    sol_local_result *r = NULL;
    sol_weights *ws = NULL;
    sol_error err;
    sol_status rc;
    if (gi && a->self) {
        if ((rc = sol_spatial_weights_with_self(w, &ws, &err)) != SOL_OK)
            return cli_fail(&err);
        w = ws;
    }
    rc = gi ? sol_spatial_getis_ord(w, x, &o, &r, &err) : sol_spatial_lisa(w, x, &o, &r, &err);
    if (rc != SOL_OK) {
        sol_weights_free(ws);
        return cli_fail(&err);
    }
    FILE *f = open_out(a->out);
    if (f == NULL) {
        sol_local_result_free(r);
        sol_weights_free(ws);
        return CLI_FAIL;
    }
    if (gi)
        fprintf(f, "id,value,lag,G,E_G,V_G,z,p");
    else
        fprintf(f, "id,value,lag,Ii,E_Ii,Var_Ii,Z_Ii,p");
    if (r->nsim)
        fprintf(f, ",e_sim,var_sim,z_sim,p_sim");
    fprintf(f, ",p_adj,%s,cluster\n", gi ? "sign" : "quadrant");
    for (size_t i = 0; i < r->n; i++) {
        fprintf(f, "%s,", w->ids[i]);
        put_num(f, x[i], 0);
        put_num(f, r->lag[i], 0);
        put_num(f, gi ? r->g[i] : r->stat[i], 0);
        put_num(f, r->expect[i], 0);
        put_num(f, r->var[i], 0);
        put_num(f, r->z[i], 0);
        put_num(f, r->p[i], 0);
        if (r->nsim) {
            put_num(f, r->e_sim[i], 0);
            put_num(f, r->var_sim[i], 0);
            put_num(f, r->z_sim[i], 0);
            put_num(f, r->p_sim[i], 0);
        }
        put_num(f, r->p_adj[i], 0);
        fprintf(f, "%s,%s\n", gi ? (r->z[i] > 0 ? "hot" : "cold")
                                 : sol_spatial_quadrant_name(r->quadrant[i]),
                sol_spatial_cluster_name(r->cluster[i]));
    }
    sol_local_result_free(r);
    sol_weights_free(ws);
    return close_out(f, a->out);
}

int cmd_spatial(const cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    sp_args a;
    memset(&a, 0, sizeof a);
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(USAGE, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_USAGE : CLI_OK;
    }
    a.sub = argv[1];
    int gi = strcmp(a.sub, "gistar") == 0;
    if (strcmp(a.sub, "weights") != 0 && strcmp(a.sub, "moran") != 0 &&
        strcmp(a.sub, "lisa") != 0 && !gi)
        return cli_usage_error("spatial", "unknown sub-command %s", a.sub);
    int rc = parse_args(argc - 1, argv + 1, &a);
    if (rc == -2)
        return CLI_OK;
    if (rc != 0)
        return rc;
    dataset d = {0};
    sol_weights *w = NULL;
    double *x = NULL;
    if (a.data != NULL && (rc = read_data(&a, &d)) != 0)
        goto done;
    if ((rc = get_weights(&a, a.data ? &d : NULL, &w)) != 0)
        goto done;
    size_t ni = sol_spatial_weights_islands(w, NULL);
    if (ni > 0 && !ctx->quiet)
        fprintf(stderr, "solidata: %zu area(s) without neighbours kept (spatial lag 0)\n", ni);
    if (strcmp(a.sub, "weights") == 0) {
        sol_error err;
        if (sol_spatial_weights_write_csv(w, a.out, &err) != SOL_OK ||
            (a.gal && sol_spatial_weights_write_gal(w, a.gal, &err) != SOL_OK))
            rc = cli_fail(&err);
        else if (!ctx->quiet)
            fprintf(stderr, "solidata: %zu areas, %zu links, %zu island(s) -> %s\n", w->n,
                    w->rowptr[w->n], ni, a.out);
        goto done;
    }
    if ((rc = align(w, &d, a.data, &x)) != 0)
        goto done;
    if (strcmp(a.sub, "moran") == 0)
        rc = do_moran(&a, w, x);
    else
        rc = do_local(&a, w, x, gi);
done:
    free(x);
    sol_weights_free(w);
    dataset_free(&d);
    return rc;
}
