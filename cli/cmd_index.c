/* cmd_index.c - `solidata index`: a composite index from the store (recorded as a run) or from a
 * wide CSV file (one row per area and period), driven by flags or a JSON spec; prints CSV or JSON. */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/csv.h>
#include <solidata/index.h>
#include <solidata/limits.h>
#include <solidata/run_index.h>
#include <solidata/store.h>

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: solidata index --indicators A,B:-,C[@DIM] [--period P | --periods P1,P2] --method M\n"
    "       solidata index --spec SPEC.json [--period P | --periods P1,P2]\n"
    "       solidata index --data F.csv --id-field ID [--period-field P]\n"
    "                      (--indicators A,B:-,C[@DIM] --method M | --spec SPEC.json)\n"
    "\n"
    "Compute a composite index per area (and period): score, rank (1 = highest\n"
    "within the period), one score per dimension, rank interval and profile.\n"
    "Indicators: CODE[:+|:-][@DIMENSION]; ':-' marks an indicator whose higher\n"
    "values are worse.\n"
    "\n"
    "From the store (no --data): the values of the areas that have them at the\n"
    "periods asked (default: the latest period every indicator has); an indicator\n"
    "without :+/:- takes the polarity stated in the store (none there is an\n"
    "error), one without @DIMENSION the store's dimension. The run is recorded\n"
    "with its method card ('solidata runs show ID').\n"
    "From a file (--data): without :+/:- an indicator counts as higher-is-better,\n"
    "without @DIMENSION it is its own dimension; nothing is recorded.\n"
    "\n"
    "  --period P          store mode: one period (2023, 2023-Q2, 2023-05)\n"
    "  --periods P1,P2     store mode: several periods (ranks are within a period;\n"
    "                      ampi pools its goalposts over all of them)\n"
    "  --method M          mpi | ampi | minmax-mean | zscore-mean | geometric | pca-weighted\n"
    "  --penalty P         negative (default; higher is better) | positive (higher is worse)\n"
    "  --reference R       mean (default) | AREA[@PERIOD]: that area's rows are the\n"
    "                      reference and are not scored\n"
    "  --missing M         fail (default) | reweight | mean | median | regression\n"
    "  --winsorise         JRC rule: |skewness| > 2 and kurtosis > 3.5\n"
    "  --spec FILE         JSON spec (docs/index.md); --period(s), --penalty,\n"
    "                      --reference, --missing, --winsorise override it\n"
    "  --out FILE          write there instead of stdout\n"
    "  --json              JSON output with weights, checks, warnings, profiles, method card\n"
    "  -h, --help          this text\n";

/* ---- the data: only the columns the spec needs -------------------------------------------- */

typedef struct loaded {
    size_t n, m, cap;
    char **area, **period;
    const char **codes;
    double *x;
} loaded;

static void loaded_free(loaded *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->area[i]);
        if (d->period)
            free(d->period[i]);
    }
    free(d->area);
    free(d->period);
    free(d->codes);
    free(d->x);
}

static int load_data(const char *path, const char *id, const char *per, const sol_index_spec *s,
                     loaded *d)
{
    sol_error e;
    sol_csv *c = NULL;
    long *cols = NULL;
    int rc = CLI_FAIL;
    memset(d, 0, sizeof *d);
    if (sol_csv_open(path, NULL, &c, &e) != SOL_OK)
        return cli_fail(&e);
    long ci = sol_csv_colindex(c, id), cp = per ? sol_csv_colindex(c, per) : -1;
    if (ci < 0) {
        cli_failf("%s: no column \"%s\" (--id-field)", path, id);
        goto done;
    }
    if (per && cp < 0) {
        cli_failf("%s: no column \"%s\" (--period-field)", path, per);
        goto done;
    }
    d->m = s->n_ind;
    cols = calloc(d->m ? d->m : 1, sizeof *cols);
    d->codes = calloc(d->m ? d->m : 1, sizeof *d->codes);
    if (cols == NULL || d->codes == NULL) {
        cli_failf("out of memory");
        goto done;
    }
    for (size_t j = 0; j < d->m; j++) {
        d->codes[j] = s->ind[j].code;
        cols[j] = sol_csv_colindex(c, s->ind[j].code);
        if (cols[j] < 0) {
            cli_failf("unknown indicator \"%s\": %s has no such column", s->ind[j].code, path);
            goto done;
        }
    }
    if (per)
        d->period = NULL;
    sol_status st;
    while ((st = sol_csv_next(c, &e)) == SOL_OK) {
        if (d->n == d->cap) {
            size_t nc = d->cap ? 2 * d->cap : 256;
            if (nc > SOL_MAX_AREAS) {
                cli_failf("%s: more than %u rows", path, SOL_MAX_AREAS);
                goto done;
            }
            char **a = realloc(d->area, nc * sizeof *a);
            if (a)
                d->area = a;
            char **p = per ? realloc(d->period, nc * sizeof *p) : NULL;
            if (p)
                d->period = p;
            double *x = realloc(d->x, nc * (d->m ? d->m : 1) * sizeof *x);
            if (x)
                d->x = x;
            if (!a || (per && !p) || !x) {
                cli_failf("out of memory");
                goto done;
            }
            d->cap = nc;
        }
        size_t i = d->n;
        d->area[i] = strdup(sol_csv_field(c, (size_t)ci, NULL));
        if (per)
            d->period[i] = strdup(sol_csv_field(c, (size_t)cp, NULL));
        d->n++;
        for (size_t j = 0; j < d->m; j++) {
            size_t len;
            const char *f = sol_csv_field(c, (size_t)cols[j], &len);
            double v = NAN;
            if (!sol_is_missing(f, len) && sol_parse_number(f, len, 0, &v) != SOL_OK) {
                cli_failf("%s:%lu:%lu: \"%s\" is not a number (column %s)", path, sol_csv_line(c),
                     sol_csv_col(c, (size_t)cols[j]), f, s->ind[j].code);
                goto done;
            }
            d->x[i * d->m + j] = v;
        }
    }
    if (st != SOL_EOF) {
        cli_fail(&e);
        goto done;
    }
    rc = CLI_OK;
done:
    free(cols);
    sol_csv_close(c);
    return rc;
}

/* ---- flags into a spec --------------------------------------------------------------------- */

static int parse_indicators(sol_index_spec *s, const char *list, int default_polarity)
{
    char *copy = strdup(list), *save = NULL;
    int rc = CLI_OK;
    for (char *tok = strtok_r(copy, ",", &save); tok != NULL && rc == CLI_OK;
         tok = strtok_r(NULL, ",", &save)) {
        char *dim = strrchr(tok, '@');
        if (dim != NULL)
            *dim++ = '\0';
        int pol = default_polarity;
        size_t len = strlen(tok);
        if (len > 2 && tok[len - 2] == ':' && (tok[len - 1] == '-' || tok[len - 1] == '+')) {
            pol = tok[len - 1] == '-' ? -1 : 1;
            tok[len - 2] = '\0';
        }
        if (tok[0] == '\0' || (dim != NULL && dim[0] == '\0'))
            rc = cli_usage_error("index", "--indicators: empty indicator or dimension name");
        else if (sol_index_spec_add_ind(s, tok, dim, pol, NAN) != SOL_OK)
            rc = cli_failf("--indicators: too many indicators");
    }
    free(copy);
    return rc;
}

static int apply_method(sol_index_spec *s, const char *m)
{
    s->minmax_lo = 0;
    s->minmax_hi = 1;
    if (strcmp(m, "mpi") == 0) {
        s->norm = SOL_NORM_MP;
        s->agg = SOL_AGG_MPI;
    } else if (strcmp(m, "ampi") == 0) {
        s->norm = SOL_NORM_AMP;
        s->agg = SOL_AGG_MPI;
    } else if (strcmp(m, "minmax-mean") == 0) {
        s->norm = SOL_NORM_MINMAX;
        s->agg = SOL_AGG_ARITH;
    } else if (strcmp(m, "zscore-mean") == 0) {
        s->norm = SOL_NORM_ZSCORE;
        s->agg = SOL_AGG_ARITH;
    } else if (strcmp(m, "geometric") == 0) {
        s->norm = SOL_NORM_MINMAX; /* on [1, 100] so that the geometric mean is defined */
        s->minmax_lo = 1;
        s->minmax_hi = 100;
        s->agg = SOL_AGG_GEOM;
    } else if (strcmp(m, "pca-weighted") == 0) {
        s->norm = SOL_NORM_ZSCORE;
        s->agg = SOL_AGG_ARITH;
        s->ind_weights = SOL_WEIGHT_PCA;
    } else {
        return -1;
    }
    return 0;
}

static int set_reference(sol_index_spec *s, const char *ref)
{
    if (strcmp(ref, "mean") == 0) {
        s->ref_kind = SOL_REF_MEAN;
        return 0;
    }
    char *copy = strdup(ref);
    char *at = strrchr(copy, '@');
    if (at != NULL)
        *at++ = '\0';
    s->ref_kind = SOL_REF_AREA;
    int bad = sol_index_spec_set(s, "ref_area", copy) != SOL_OK ||
              (at != NULL && sol_index_spec_set(s, "ref_period", at) != SOL_OK);
    free(copy);
    return bad ? -1 : 0;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *buf = malloc(SOL_MAX_INDEX_SPEC + 1);
    size_t n = buf ? fread(buf, 1, SOL_MAX_INDEX_SPEC + 1, f) : 0;
    fclose(f);
    if (buf == NULL || n > SOL_MAX_INDEX_SPEC) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* ---- output ---------------------------------------------------------------------------------- */

static void csv_text(FILE *o, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, o);
        return;
    }
    fputc('"', o);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', o);
        fputc(*s, o);
    }
    fputc('"', o);
}

static void num17(FILE *o, double v)
{
    if (isnan(v))
        fputs("NA", o);
    else
        fprintf(o, "%.17g", v);
}

static void write_csv(FILE *o, const sol_index_result *r)
{
    fputs("id", o);
    if (r->period)
        fputs(",period", o);
    fputs(",score,rank", o);
    for (size_t d = 0; d < r->n_dim; d++) {
        fputc(',', o);
        csv_text(o, r->dim_name[d]);
    }
    if (r->rank_median)
        fputs(",rank_median,rank_lo,rank_hi", o);
    fputc('\n', o);
    for (size_t i = 0; i < r->n_rows; i++) {
        csv_text(o, r->area[i]);
        if (r->period) {
            fputc(',', o);
            csv_text(o, r->period[i]);
        }
        fputc(',', o);
        num17(o, r->score[i]);
        fputc(',', o);
        num17(o, r->rank[i]);
        for (size_t d = 0; d < r->n_dim; d++) {
            fputc(',', o);
            num17(o, r->dim_score[i * r->n_dim + d]);
        }
        if (r->rank_median) {
            fputc(',', o);
            num17(o, r->rank_median[i]);
            fputc(',', o);
            num17(o, r->rank_lo[i]);
            fputc(',', o);
            num17(o, r->rank_hi[i]);
        }
        fputc('\n', o);
    }
}

static int write_json(FILE *o, const char *txt)
{
    int bad = fputs(txt, o) < 0 || fputc('\n', o) == EOF;
    return bad ? cli_failf("cannot write the output") : CLI_OK;
}

/* ---- the command ----------------------------------------------------------------------------- */

/* Read and parse a JSON spec; errors located as FILE:LINE:COL. */
static int load_spec(const char *path, sol_index_spec **s)
{
    size_t len = 0;
    sol_error e;
    sol_error_clear(&e);
    char *txt = read_file(path, &len);
    if (txt == NULL)
        return cli_failf("%s: cannot read the spec (missing, unreadable or over %u bytes)", path,
                         SOL_MAX_INDEX_SPEC);
    sol_status st = sol_index_spec_parse_json(txt, len, s, &e);
    free(txt);
    if (st == SOL_OK)
        return CLI_OK;
    char where[sizeof e.where];
    if (strncmp(e.where, "spec", 4) == 0)
        snprintf(where, sizeof where, "%.400s%.100s", path, e.where + 4);
    else
        snprintf(where, sizeof where, "%.500s", path);
    memcpy(e.where, where, sizeof where);
    return cli_fail(&e);
}

/* Write the result (CSV, or the JSON text) to `out` (NULL: stdout), once it is computed. */
static int emit(const char *out, const sol_index_result *r, const char *json_txt)
{
    FILE *o = stdout;
    if (out != NULL && (o = fopen(out, "w")) == NULL)
        return cli_failf("%s: cannot open for writing", out);
    int rc = CLI_OK;
    if (json_txt != NULL)
        rc = write_json(o, json_txt);
    else
        write_csv(o, r);
    if (o != stdout && fclose(o) != 0 && rc == CLI_OK)
        rc = cli_failf("%s: write failed", out);
    return rc;
}

/* Store mode: load, compute, record; print as in file mode. */
static int run_store(const cli_ctx *ctx, sol_index_spec *s, const char *out, int json)
{
    sol_store *st = NULL;
    sol_run_index_output *ro = NULL;
    sol_error e;
    sol_error_clear(&e);
    if (cli_open_store(ctx, &st) != CLI_OK)
        return CLI_FAIL;
    int rc = CLI_FAIL;
    if (sol_run_index(st, s, &ro, &e) != SOL_OK) {
        cli_fail(&e);
        goto done;
    }
    for (size_t k = 0; k < ro->result->n_warnings; k++)
        fprintf(stderr, "solidata: warning: %s\n", ro->result->warnings[k]);
    rc = emit(out, ro->result, json ? ro->result_json : NULL);
    fprintf(stderr, "solidata: recorded as run %lld; 'solidata runs show %lld'\n",
            (long long)ro->run_id, (long long)ro->run_id);
done:
    sol_run_index_output_free(ro);
    sol_store_close(st);
    return rc;
}

/* File mode: the columns of the CSV, nothing recorded. */
static int run_file(sol_index_spec *s, const char *data, const char *id, const char *per,
                    const char *out, int json)
{
    loaded d = {0};
    sol_index_result *r = NULL;
    sol_error e;
    sol_error_clear(&e);
    int rc = CLI_FAIL;
    if (load_data(data, id, per, s, &d) != CLI_OK)
        goto done;
    sol_index_frame f = {d.n, d.m, (const char *const *)d.area,
                         per ? (const char *const *)d.period : NULL, d.codes, d.x, NULL};
    if (sol_index_run(&f, s, &r, &e) != SOL_OK) {
        cli_fail(&e);
        goto done;
    }
    for (size_t k = 0; k < r->n_warnings; k++)
        fprintf(stderr, "solidata: warning: %s\n", r->warnings[k]);
    char *txt = NULL;
    if (json && sol_index_result_json(s, r, NULL, &txt, &e) != SOL_OK) {
        cli_fail(&e);
        goto done;
    }
    rc = emit(out, r, txt);
    free(txt);
done:
    sol_index_result_free(r);
    loaded_free(&d);
    return rc;
}

int cmd_index(const cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},     {"id-field", required_argument, NULL, 'i'},
        {"period-field", required_argument, NULL, 'p'},
        {"indicators", required_argument, NULL, 'I'}, {"method", required_argument, NULL, 'm'},
        {"penalty", required_argument, NULL, 'P'},  {"reference", required_argument, NULL, 'r'},
        {"missing", required_argument, NULL, 'M'},  {"winsorise", no_argument, NULL, 'w'},
        {"spec", required_argument, NULL, 's'},     {"out", required_argument, NULL, 'o'},
        {"period", required_argument, NULL, 'T'},   {"periods", required_argument, NULL, 'S'},
        {"json", no_argument, NULL, 'j'},           {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *data = NULL, *id = NULL, *per = NULL, *inds = NULL, *method = NULL;
    const char *penalty = NULL, *ref = NULL, *missing = NULL, *specf = NULL, *out = NULL;
    const char *periods = NULL;
    int json = 0, wins = 0, c, n_period_flags = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': data = optarg; break;
        case 'i': id = optarg; break;
        case 'p': per = optarg; break;
        case 'I': inds = optarg; break;
        case 'm': method = optarg; break;
        case 'P': penalty = optarg; break;
        case 'r': ref = optarg; break;
        case 'M': missing = optarg; break;
        case 'w': wins = 1; break;
        case 's': specf = optarg; break;
        case 'o': out = optarg; break;
        case 'T':
        case 'S': periods = optarg; n_period_flags++; break;
        case 'j': json = 1; break;
        case 'h': fputs(usage, stdout); return CLI_OK;
        default:
            return cli_usage_error("index", "unknown option or missing argument: %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("index", "unexpected argument \"%s\"", argv[optind]);
    if (data != NULL && id == NULL)
        return cli_usage_error("index", "--id-field is required with --data");
    if (data == NULL && (id != NULL || per != NULL))
        return cli_usage_error("index", "--id-field and --period-field go with --data");
    if (data != NULL && periods != NULL)
        return cli_usage_error("index", "--period and --periods are for the store; with --data "
                                        "every row of the file is scored");
    if (n_period_flags > 1)
        return cli_usage_error("index", "give --period or --periods once");
    if (specf == NULL && (inds == NULL || method == NULL))
        return cli_usage_error("index", "give --indicators and --method, or --spec");
    if (specf != NULL && (inds != NULL || method != NULL))
        return cli_usage_error("index", "--spec cannot be combined with --indicators or --method");

    sol_index_spec *s = NULL;
    int rc = CLI_FAIL;
    if (specf != NULL) {
        if (load_spec(specf, &s) != CLI_OK)
            return CLI_FAIL;
    } else {
        if (sol_index_spec_new(&s) != SOL_OK)
            return cli_failf("out of memory");
        /* without :+/:- a file's indicator counts as higher-is-better; the store states its own */
        if ((rc = parse_indicators(s, inds, data != NULL ? 1 : 0)) != CLI_OK)
            goto done;
        rc = CLI_USAGE;
        if (apply_method(s, method) != 0) {
            cli_usage_error("index", "unknown --method \"%s\"", method);
            goto done;
        }
    }
    rc = CLI_USAGE;
    if (penalty != NULL) {
        if (strcmp(penalty, "negative") == 0)
            s->penalty = -1;
        else if (strcmp(penalty, "positive") == 0)
            s->penalty = 1;
        else {
            cli_usage_error("index", "--penalty must be negative or positive");
            goto done;
        }
    }
    rc = CLI_FAIL;
    if (ref != NULL && set_reference(s, ref) != 0) {
        cli_failf("out of memory");
        goto done;
    }
    if (periods != NULL && sol_index_spec_set(s, "periods", periods) != SOL_OK) {
        cli_failf("--periods: out of memory or more than %u periods", SOL_MAX_INDEX_PERIODS);
        goto done;
    }
    if (periods != NULL && s->n_periods == 0) {
        rc = cli_usage_error("index", "--period(s): no period given");
        goto done;
    }
    if (missing != NULL && sol_index_missing_parse(missing, &s->missing) != 0) {
        rc = cli_usage_error("index", "unknown --missing \"%s\"", missing);
        goto done;
    }
    if (wins)
        s->winsorise = 1;
    rc = data != NULL ? run_file(s, data, id, per, out, json) : run_store(ctx, s, out, json);
done:
    sol_index_spec_free(s);
    return rc;
}
