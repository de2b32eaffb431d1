/* test_run.c - inputs resolved from the store with provenance; runs recorded with method cards. */
#include "harness.h"

#include <solidata/import.h>
#include <solidata/run.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sol_store *demo_store(const char *name)
{
    char p[512];
    const char *dir = getenv("SOL_TEST_TMP");
    snprintf(p, sizeof p, "%s/%s", dir ? dir : "/tmp", name);
    unlink(p);
    sol_store *st = NULL;
    sol_error e;
    if (sol_store_open(p, &st, &e) != SOL_OK)
        return NULL;
    sol_import_opts ao = {.code_field = "reg_code", .name_field = "reg_name", .level = "region",
                          .licence = "CC BY 4.0"};
    sol_import_report rep;
    if (sol_import_areas(st, "examples/data/italy_regions.geojson", &ao, &rep, &e) != SOL_OK)
        return NULL;
    sol_import_opts d = {.area_field = "reg_code", .period_field = "year",
                         .indicator_field = "indicator_id", .licence = "CC BY 3.0",
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
    ASSERT_STATUS(sol_run_record(st, "test.kind", "{\"indicator\":\"04BEC006P\"}",
                                 "{\"name\":\"identity\",\"reference\":\"none\"}", v,
                                 "{\"alpha\":0.05}", "{\"ok\":true}", &id, &e),
                  SOL_OK);
    ASSERT(id > 0);
    sol_values_free(v);
    ASSERT_STATUS(sol_run_values(st, "nope", NULL, 0, &v, &e), SOL_ENOTFOUND);
    ASSERT_CONTAINS(e.msg, "no indicator 'nope'");
    ASSERT_STATUS(sol_run_values(st, "04BEC006P", "1999", 0, &v, &e), SOL_ENOTFOUND);
    sol_store_close(st);
}
