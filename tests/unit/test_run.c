/* test_run.c - inputs resolved from the store with provenance; runs recorded with method cards. */
#include "harness.h"
#include "test_util.h"

#include <solidata/csv.h>
#include <solidata/import.h>
#include <solidata/run.h>
#include <solidata/run_index.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sol_store *demo_store(const char *name)
{
    const char *p = test_store_new(name);
    sol_store *st = NULL;
    sol_error e;
    if (sol_store_open(p, &st, &e) != SOL_OK)
        return NULL;
    sol_import_opts ao = {.code_field = "reg_code",
                          .name_field = "reg_name",
                          .level = "region",
                          .licence = "CC BY 4.0"};
    sol_import_report rep;
    if (sol_import_areas(st, "examples/data/italy_regions.geojson", &ao, &rep, &e) != SOL_OK)
        return NULL;
    sol_import_opts d = {.area_field = "reg_code",
                         .period_field = "year",
                         .indicator_field = "indicator_id",
                         .licence = "CC BY 3.0",
                         .indicator_meta = "examples/data/bes_indicators.csv"};
    if (sol_import_data(st, "examples/data/bes_regions_long.csv", &d, &rep, &e) != SOL_OK)
        return NULL;
    return st;
}

TEST(values_with_geometry_and_provenance)
{
    sol_store *st = demo_store("run.db");
    ASSERT(st != NULL);
    sol_values *v = NULL;
    sol_error e;
    ASSERT_STATUS(sol_run_values(st, "04BEC006P", NULL, 1, &v, &e), SOL_OK);
    ASSERT_STR_EQ(v->period, "2023"); /* the latest period with values */
    ASSERT_EQ(v->n, 20);
    ASSERT_STR_EQ(v->codes[11], "12");
    ASSERT_STR_EQ(v->names[11], "Lazio");
    ASSERT(v->features[11].nparts >= 1);
    ASSERT_STR_EQ(v->features[11].code, "12");
    ASSERT_EQ(v->polarity, -1);
    ASSERT_CONTAINS(v->sources_json, "\"licence\":\"CC BY 3.0\"");
    ASSERT_CONTAINS(v->sources_json, "\"licence\":\"CC BY 4.0\"");
    ASSERT_EQ(strlen(v->inputs_sha256), 64);
    int64_t id = 0;
    sol_run_card card = {.kind = "test.kind",
                         .spec_json = "{\"indicator\":\"04BEC006P\"}",
                         .method_json = "{\"name\":\"identity\",\"reference\":\"none\"}",
                         .inputs = v,
                         .choices_json = "{\"alpha\":0.05}",
                         .result_json = "{\"ok\":true}"};
    ASSERT_STATUS(sol_run_record(st, &card, &id, &e), SOL_OK);
    ASSERT(id > 0);
    sol_values_free(v);
    ASSERT_STATUS(sol_run_values(st, "nope", NULL, 0, &v, &e), SOL_ENOTFOUND);
    ASSERT_CONTAINS(e.msg, "no indicator 'nope'");
    ASSERT_STATUS(sol_run_values(st, "04BEC006P", "1999", 0, &v, &e), SOL_ENOTFOUND);
    sol_store_close(st);
}

/* ---- a composite index from the store ------------------------------------------------------- */

static const char *const BES12[] = {"01SAL001",     "01SAL004",  "01SAL006",  "03LAV001-N22",
                                    "03LAV002-N22", "03LAV004P", "07SIC001P", "07SIC006P",
                                    "07SIC008P",    "10AMB008",  "10AMB016",  "10AMB017"};

static int count_run(void *ud, const sol_run *r)
{
    (void)r;
    ++*(int *)ud;
    return 0;
}

static int n_runs(sol_store *st)
{
    int n = 0;
    sol_store_runs(st, NULL, 0, count_run, &n, NULL);
    return n;
}

/* Column `name` of a CSV as numbers (at most cap). */
static size_t read_col(const char *path, const char *name, double *out, size_t cap)
{
    sol_csv *c = NULL;
    size_t n = 0;
    if (sol_csv_open(path, NULL, &c, NULL) != SOL_OK)
        return 0;
    long k = sol_csv_colindex(c, name);
    while (k >= 0 && n < cap && sol_csv_next(c, NULL) == SOL_OK)
        out[n++] = strtod(sol_csv_field(c, (size_t)k, NULL), NULL);
    sol_csv_close(c);
    return n;
}

TEST(index_from_store_polarity_and_dimensions_from_the_store)
{
    sol_store *st = demo_store("index.db");
    ASSERT(st != NULL);
    sol_index_spec *s = NULL;
    sol_index_spec_new(&s);
    for (size_t j = 0; j < 12; j++)
        sol_index_spec_add_ind(s, BES12[j], NULL, 0, NAN); /* polarity and dimension: store */
    s->norm = SOL_NORM_MP;
    s->agg = SOL_AGG_MPI;
    s->missing = SOL_MISS_REWEIGHT;
    s->winsorise = 1;
    sol_index_spec_add_period(s, "2019");
    sol_index_output *o = NULL;
    sol_error e;
    ASSERT_STATUS(sol_run_index_spec(st, s, &o, &e), SOL_OK);
    /* case B of tests/data/index_bes2019, computed in R from the published formulas */
    double want[20];
    ASSERT_EQ(read_col("tests/data/index_bes2019/expected.csv", "B", want, 20), 20);
    ASSERT_EQ(o->result->n_rows, 20);
    for (size_t i = 0; i < 20; i++)
        ASSERT_REL(o->result->score[i], want[i], 1e-12);
    ASSERT_EQ(s->ind[1].polarity, -1);
    ASSERT_EQ(o->input->polarity_from_store[1], 1);
    ASSERT_STR_EQ(s->ind[0].dim, "Salute");
    ASSERT_EQ(o->result->n_dim, 4);
    ASSERT_STR_EQ(o->input->names[11], "Lazio");
    ASSERT_STR_EQ(o->input->frame.period[0], "2019");
    ASSERT(o->run_id > 0);
    ASSERT_EQ(n_runs(st), 1);
    ASSERT_CONTAINS(o->result_json, "\"name\": \"Lazio\"");
    sol_index_output_free(o);
    sol_index_spec_free(s);
    sol_store_close(st);
}

TEST(index_from_store_periods_and_bad_specs)
{
    sol_store *st = demo_store("index_bad.db");
    ASSERT(st != NULL);
    sol_error e;
    sol_index_input *in = NULL;
    sol_index_output *o = NULL;
    sol_index_spec *s = NULL;
    /* no period asked: the latest every indicator has (01SAL004 ends in 2022) */
    sol_index_spec_new(&s);
    sol_index_spec_add_ind(s, "01SAL001", NULL, 0, NAN);
    sol_index_spec_add_ind(s, "01SAL004", "mine", 1, NAN);
    ASSERT_STATUS(sol_run_index_load(st, s, &in, &e), SOL_OK);
    ASSERT_EQ(in->n_periods, 1);
    ASSERT_STR_EQ(in->periods[0], "2022");
    ASSERT_STR_EQ(s->periods[0], "2022");
    ASSERT_EQ(s->ind[1].polarity, 1); /* the spec's polarity wins */
    ASSERT_EQ(in->polarity_from_store[1], 0);
    ASSERT_STR_EQ(s->ind[1].dim, "mine");
    ASSERT_EQ(in->frame.n_rows, 20);
    sol_index_input_free(in);
    /* two periods: rows by period, then area */
    sol_index_spec_set(s, "periods", "2021,2019");
    ASSERT_STATUS(sol_run_index_load(st, s, &in, &e), SOL_OK);
    ASSERT_EQ(in->frame.n_rows, 40);
    ASSERT_STR_EQ(in->frame.period[0], "2019");
    ASSERT_STR_EQ(in->frame.period[39], "2021");
    ASSERT_STR_EQ(in->frame.area[20], "01");
    sol_index_input_free(in);
    /* an unknown period, an indicator without a value at a period asked */
    sol_index_spec_set(s, "periods", "1999");
    ASSERT_STATUS(sol_run_index_spec(st, s, &o, &e), SOL_ENOTFOUND);
    ASSERT_CONTAINS(e.msg, "no period \"1999\"");
    sol_index_spec_add_ind(s, "04BEC001P", NULL, 0, NAN);
    sol_index_spec_set(s, "periods", "2019");
    ASSERT_STATUS(sol_run_index_spec(st, s, &o, &e), SOL_ENOTFOUND);
    ASSERT_CONTAINS(e.msg, "\"04BEC001P\" has no value at period 2019");
    sol_index_spec_free(s);
    /* an unknown indicator; one without a polarity anywhere */
    sol_index_spec_new(&s);
    sol_index_spec_add_ind(s, "01SAL001", NULL, 0, NAN);
    sol_index_spec_add_ind(s, "NOPE", NULL, 0, NAN);
    ASSERT_STATUS(sol_run_index_spec(st, s, &o, &e), SOL_ENOTFOUND);
    ASSERT_CONTAINS(e.msg, "unknown indicator \"NOPE\"");
    sol_index_spec_free(s);
    sol_indicator np = {.code = "NOPOL", .label = "no polarity"};
    int64_t np_id = 0;
    ASSERT_STATUS(sol_store_indicator_put(st, &np, 0, &np_id, &e), SOL_OK);
    sol_index_spec_new(&s);
    sol_index_spec_add_ind(s, "NOPOL", NULL, 0, NAN);
    ASSERT_STATUS(sol_run_index_spec(st, s, &o, &e), SOL_EINVAL);
    ASSERT_CONTAINS(e.msg, "\"NOPOL\" has no polarity");
    sol_index_spec_free(s);
    ASSERT_EQ(n_runs(st), 0); /* nothing recorded by a failure */
    sol_store_close(st);
}
