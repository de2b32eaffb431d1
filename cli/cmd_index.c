/* cmd_index.c - `solidata index`: the option table fills a sol_index_job (store mode, or file
 * mode with --data), sol_run_index computes it (recording the run from the store), and this file
 * prints the result as CSV or JSON. */
#include "cli.h"
#include "opt.h"

#include <solidata/index.h>
#include <solidata/run_index.h>
#include <solidata/store.h>

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef struct index_args {
    const char *out;
    int json;
    sol_index_job job;
} index_args;

/* --indicators: checked here (CODE[:+|:-][@DIMENSION], none empty), parsed by the run layer. */
static int check_indicators(const char *list, void *field)
{
    for (const char *p = list; *p; p += *p == ',') {
        size_t len = strcspn(p, ","), at = len;
        for (size_t i = 0; i < len; i++)
            at = p[i] == '@' ? i : at;
        if (len > 0 && (at == 0 || at + 1 == len))
            return -1;
        p += len;
    }
    *(const char **)field = list;
    return 0;
}

static int check_missing(const char *name, void *field)
{
    sol_index_missing m;
    if (sol_index_missing_parse(name, &m) != 0)
        return -1;
    *(const char **)field = name;
    return 0;
}

static const cli_choice METHODS[] = {{"mpi", SOL_RUN_INDEX_MPI},
                                     {"ampi", SOL_RUN_INDEX_AMPI},
                                     {"minmax-mean", SOL_RUN_INDEX_MINMAX_MEAN},
                                     {"zscore-mean", SOL_RUN_INDEX_ZSCORE_MEAN},
                                     {"geometric", SOL_RUN_INDEX_GEOMETRIC},
                                     {"pca-weighted", SOL_RUN_INDEX_PCA_WEIGHTED},
                                     {0}};
static const cli_choice PENALTIES[] = {{"negative", -1}, {"positive", 1}, {0}};

#define J(f) offsetof(index_args, job.f)
#define A(f) offsetof(index_args, f)
static const cli_opt OPTS[] = {
    {"indicators", CLI_CUSTOM, J(indicators), "A,B:-,C@DIM",
     N_("CODE[:+|:-][@DIMENSION], comma-separated; ':-' marks an indicator whose higher values are "
        "worse"),
     .parse = check_indicators, .expect = N_("CODE[:+|:-][@DIMENSION],... with no empty name")},
    {"method", CLI_CHOICE, J(method), "M",
     N_("mpi, ampi, minmax-mean, zscore-mean, geometric or "
        "pca-weighted"),
     .choices = METHODS, .def = N_("from --spec")},
    {"spec", CLI_STR, J(spec_path), "FILE",
     N_("JSON spec (docs/index.md); --period(s), --penalty, --reference, --missing, --winsorise "
        "override it"),
     .excludes = "indicators,method"},
    {"period", CLI_STR, J(periods), "P", N_("store mode: one period (2023, 2023-Q2, 2023-05)"),
     .excludes = "periods,data", .def = N_("the latest period every indicator has")},
    {"periods", CLI_STR, J(periods), "P1,P2",
     N_("store mode: several periods (ranks are within a period; ampi pools its goalposts over all "
        "of them)"),
     .excludes = "period,data"},
    {"data", CLI_STR, J(data), "F.csv", N_("file mode: a wide CSV, one row per area (and period)"),
     .needs = "id-field"},
    {"id-field", CLI_STR, J(id_field), "ID", N_("file mode: the column with the area codes"),
     .needs = "data"},
    {"period-field", CLI_STR, J(period_field), "P", N_("file mode: the column with the periods"),
     .needs = "data"},
    {"penalty", CLI_CHOICE, J(penalty), "P",
     N_("negative (higher is better) or positive (higher is worse)"), .choices = PENALTIES,
     .def = "negative"},
    {"reference", CLI_STR, J(reference), "R",
     N_("mean, or AREA[@PERIOD]: that area's rows are the reference and are not scored"),
     .def = "mean"},
    {"missing", CLI_CUSTOM, J(missing), "M", N_("fail, reweight, mean, median or regression"),
     .parse = check_missing, .expect = N_("fail, reweight, mean, median or regression"),
     .def = "fail"},
    {"winsorise", CLI_FLAG, J(winsorise), NULL, N_("JRC rule: |skewness| > 2 and kurtosis > 3.5")},
    {"out", CLI_STR, A(out), "FILE", N_("write there instead of stdout")},
    {"json", CLI_FLAG, A(json), NULL,
     N_("JSON output with weights, checks, warnings, profiles, method card")},
    {0}};

static const cli_spec SPEC = {
    "index",
    "--indicators A,B:-,C[@DIM] [--period P | --periods P1,P2] --method M\n"
    "--spec SPEC.json [--period P | --periods P1,P2]\n"
    "--data F.csv --id-field ID [--period-field P] (--indicators ... --method M | --spec F)",
    N_("Compute a composite index per area (and period): score, rank (1 = highest\n"
       "within the period), one score per dimension, rank interval and profile.\n"
       "\n"
       "From the store (no --data): the values of the areas that have them at the\n"
       "periods asked (default: the latest period every indicator has); an indicator\n"
       "without :+/:- takes the polarity stated in the store (none there is an\n"
       "error), one without @DIMENSION the store's dimension. The run is recorded\n"
       "with its method card ('solidata runs show ID').\n"
       "From a file (--data): without :+/:- an indicator counts as higher-is-better,\n"
       "without @DIMENSION it is its own dimension; nothing is recorded."),
    OPTS,
    NULL,
    0,
    0};

static void write_csv(FILE *o, const sol_index_result *r)
{
    size_t nd = r->n_dim;
    int ranks = r->rank_median != NULL; /* the rank interval closes the row */
    fputs(r->period ? "id,period,score,rank" : "id,score,rank", o);
    fputc(nd || ranks ? ',' : '\n', o);
    for (size_t d = 0; d < nd; d++)
        cli_csv_field(o, r->dim_name[d], d + 1 == nd && !ranks);
    if (ranks)
        fputs("rank_median,rank_lo,rank_hi\n", o);
    for (size_t i = 0; i < r->n_rows; i++) {
        cli_csv_field(o, r->area[i], 0);
        if (r->period)
            cli_csv_field(o, r->period[i], 0);
        cli_csv_number_na(o, r->score[i], 0);
        cli_csv_number_na(o, r->rank[i], nd == 0 && !ranks);
        for (size_t d = 0; d < nd; d++)
            cli_csv_number_na(o, r->dim_score[i * nd + d], d + 1 == nd && !ranks);
        if (ranks) {
            cli_csv_number_na(o, r->rank_median[i], 0);
            cli_csv_number_na(o, r->rank_lo[i], 0);
            cli_csv_number_na(o, r->rank_hi[i], 1);
        }
    }
}

/* Write the result (CSV, or the JSON text) to `out` (NULL: stdout). */
static int emit(const char *out, const sol_index_output *ro, int json)
{
    FILE *o = stdout;
    if (out != NULL && (o = fopen(out, "w")) == NULL)
        return cli_failf("%s: cannot open for writing", out);
    int rc = CLI_OK;
    if (!json)
        write_csv(o, ro->result);
    else if (fputs(ro->result_json, o) < 0 || fputc('\n', o) == EOF)
        rc = cli_failf("cannot write the output");
    if (o != stdout && fclose(o) != 0 && rc == CLI_OK)
        rc = cli_failf("%s: write failed", out);
    return rc;
}

int cmd_index(const cli_ctx *ctx, int argc, char **argv)
{
    index_args a = {0};
    sol_run_index_job_init(&a.job);
    cli_args args;
    int rc = cli_parse(&SPEC, argc, argv, &a, &args);
    if (rc != CLI_OK)
        return rc;
    if (a.job.spec_path == NULL && (a.job.indicators == NULL || a.job.method == 0))
        return cli_usage_error("index", "give --indicators and --method, or --spec");
    a.job.json = a.json;
    sol_store *st = NULL;
    sol_error e;
    if ((rc = cli_open_store(ctx, a.job.data == NULL, &st, &e)) != CLI_OK)
        return rc;
    sol_index_output *ro = NULL;
    if ((rc = cli_close_store(st, sol_run_index(st, &a.job, &ro, &e), &e)) != CLI_OK)
        return rc;
    cli_notes(NULL, N_("warning"), ro->result->warnings, ro->result->n_warnings);
    rc = emit(a.out, ro, a.json);
    if (ro->run_id > 0)
        cli_say_recorded((long long)ro->run_id);
    sol_index_output_free(ro);
    return rc;
}
