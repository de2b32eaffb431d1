/* cmd_index.c - `solidata index`: a composite index from a wide CSV file (one row per area and
 * period), driven by flags for simple cases or by a JSON spec; prints CSV or JSON. */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/csv.h>
#include <solidata/index.h>
#include <solidata/limits.h>

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: solidata index --data F.csv --id-field ID [--period-field P]\n"
    "                      --indicators A,B:-,C[@DIM] --method M [options]\n"
    "       solidata index --spec SPEC.json --data F.csv --id-field ID [--period-field P]\n"
    "\n"
    "Compute a composite index per area (and period): score, rank (1 = highest),\n"
    "one score per dimension. Indicators: CODE[:+|:-][@DIMENSION]; ':-' marks an\n"
    "indicator whose higher values are worse; without @DIMENSION each indicator\n"
    "is its own dimension.\n"
    "\n"
    "  --method M          mpi | ampi | minmax-mean | zscore-mean | geometric | pca-weighted\n"
    "  --penalty P         negative (default; higher is better) | positive (higher is worse)\n"
    "  --reference R       mean (default) | AREA[@PERIOD]: that area's rows are the\n"
    "                      reference and are not scored\n"
    "  --missing M         fail (default) | reweight | mean | median | regression\n"
    "  --winsorise         JRC rule: |skewness| > 2 and kurtosis > 3.5\n"
    "  --spec FILE         JSON spec (docs/index.md); flags above then override nothing\n"
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

static int parse_indicators(sol_index_spec *s, const char *list)
{
    char *copy = strdup(list), *save = NULL;
    int rc = CLI_OK;
    for (char *tok = strtok_r(copy, ",", &save); tok != NULL && rc == CLI_OK;
         tok = strtok_r(NULL, ",", &save)) {
        char *dim = strrchr(tok, '@');
        if (dim != NULL)
            *dim++ = '\0';
        int pol = 1;
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

static json_t *jnum(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static int write_json(FILE *o, const sol_index_spec *s, const sol_index_result *r)
{
    json_t *root = json_object(), *rows = json_array();
    for (size_t i = 0; i < r->n_rows; i++) {
        json_t *row = json_object(), *dims = json_object();
        json_object_set_new(row, "id", json_string(r->area[i]));
        if (r->period)
            json_object_set_new(row, "period", json_string(r->period[i]));
        json_object_set_new(row, "score", jnum(r->score[i]));
        json_object_set_new(row, "rank", jnum(r->rank[i]));
        for (size_t d = 0; d < r->n_dim; d++)
            json_object_set_new(dims, r->dim_name[d], jnum(r->dim_score[i * r->n_dim + d]));
        json_object_set_new(row, "dimensions", dims);
        if (r->rank_median) {
            json_object_set_new(row, "rank_median", jnum(r->rank_median[i]));
            json_object_set_new(row, "rank_interval_90",
                                json_pack("[oo]", jnum(r->rank_lo[i]), jnum(r->rank_hi[i])));
        }
        json_object_set_new(row, "n_imputed", json_integer((json_int_t)r->n_imputed[i]));
        json_object_set_new(row, "strength", r->strength[i] >= 0
                                                 ? json_string(r->dim_name[r->strength[i]])
                                                 : json_null());
        json_object_set_new(row, "weakness", r->weakness[i] >= 0
                                                 ? json_string(r->dim_name[r->weakness[i]])
                                                 : json_null());
        json_object_set_new(row, "profile", json_string(r->sentence[i]));
        json_array_append_new(rows, row);
    }
    json_object_set_new(root, "rows", rows);
    char *card = NULL;
    sol_error e;
    if (sol_index_card_json(s, r, &card, &e) != SOL_OK) {
        json_decref(root);
        return cli_fail(&e);
    }
    json_t *jc = json_loads(card, 0, NULL);
    free(card);
    json_object_set_new(root, "method_card", jc ? jc : json_null());
    int bad = json_dumpf(root, o, JSON_INDENT(1) | JSON_REAL_PRECISION(17)) != 0;
    fputc('\n', o);
    json_decref(root);
    return bad ? cli_failf("cannot write the output") : CLI_OK;
}

/* ---- the command ----------------------------------------------------------------------------- */

int cmd_index(const cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},     {"id-field", required_argument, NULL, 'i'},
        {"period-field", required_argument, NULL, 'p'},
        {"indicators", required_argument, NULL, 'I'}, {"method", required_argument, NULL, 'm'},
        {"penalty", required_argument, NULL, 'P'},  {"reference", required_argument, NULL, 'r'},
        {"missing", required_argument, NULL, 'M'},  {"winsorise", no_argument, NULL, 'w'},
        {"spec", required_argument, NULL, 's'},     {"out", required_argument, NULL, 'o'},
        {"json", no_argument, NULL, 'j'},           {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *data = NULL, *id = NULL, *per = NULL, *inds = NULL, *method = NULL;
    const char *penalty = NULL, *ref = NULL, *missing = NULL, *specf = NULL, *out = NULL;
    int json = 0, wins = 0, c;
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
        case 'j': json = 1; break;
        case 'h': fputs(usage, stdout); return CLI_OK;
        default:
            return cli_usage_error("index", "unknown option or missing argument: %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("index", "unexpected argument \"%s\"", argv[optind]);
    if (data == NULL)
        return cli_usage_error("index", "--data is required (store mode is not wired yet)");
    if (id == NULL)
        return cli_usage_error("index", "--id-field is required");
    if (specf == NULL && (inds == NULL || method == NULL))
        return cli_usage_error("index", "give --indicators and --method, or --spec");
    if (specf != NULL && (inds != NULL || method != NULL))
        return cli_usage_error("index", "--spec cannot be combined with --indicators or --method");

    sol_index_spec *s = NULL;
    sol_error e;
    sol_error_clear(&e);
    int rc = CLI_FAIL;
    loaded d = {0};
    sol_index_result *r = NULL;
    FILE *o = stdout;
    if (specf != NULL) {
        size_t len = 0;
        char *txt = read_file(specf, &len);
        if (txt == NULL)
            return cli_failf("%s: cannot read the spec (missing, unreadable or over %u bytes)", specf,
                        SOL_MAX_INDEX_SPEC);
        sol_status st = sol_index_spec_parse_json(txt, len, &s, &e);
        free(txt);
        if (st != SOL_OK) {
            if (e.where[0] != '\0')
                snprintf(e.where, sizeof e.where, "%s", specf);
            return cli_fail(&e);
        }
    } else {
        if (sol_index_spec_new(&s) != SOL_OK)
            return cli_failf("out of memory");
        if ((rc = parse_indicators(s, inds)) != CLI_OK)
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
    if (ref != NULL && set_reference(s, ref) != 0) {
        cli_failf("out of memory");
        goto done;
    }
    if (missing != NULL && sol_index_missing_parse(missing, &s->missing) != 0) {
        cli_usage_error("index", "unknown --missing \"%s\"", missing);
        goto done;
    }
    if (wins)
        s->winsorise = 1;
    rc = CLI_FAIL;
    if (load_data(data, id, per, s, &d) != CLI_OK)
        goto done;
    sol_index_frame f = {d.n, d.m, (const char *const *)d.area,
                         per ? (const char *const *)d.period : NULL, d.codes, d.x};
    if (sol_index_run(&f, s, &r, &e) != SOL_OK) {
        cli_fail(&e);
        goto done;
    }
    for (size_t k = 0; k < r->n_warnings; k++)
        fprintf(stderr, "solidata index: warning: %s\n", r->warnings[k]);
    if (out != NULL && (o = fopen(out, "w")) == NULL) {
        cli_failf("%s: cannot open for writing", out);
        goto done;
    }
    if (json)
        rc = write_json(o, s, r);
    else {
        write_csv(o, r);
        rc = CLI_OK;
    }
    if (o != stdout && fclose(o) != 0)
        rc = cli_failf("%s: write failed", out);
done:
    sol_index_result_free(r);
    loaded_free(&d);
    sol_index_spec_free(s);
    return rc;
}
