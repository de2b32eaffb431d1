/* test_withhold.c - the one owner of "withheld stays withheld", as a property: for random small
 * stores (a region and its provinces, random counts, minimum cells and count/rate relations), no
 * public read (values read as public, the public table, the analysis layers, the method cards)
 * and no pair of them returns or determines a withheld value. */
#include "harness.h"
#include "test_util.h"

#include <solidata/import.h>
#include <solidata/run.h>
#include <solidata/run_index.h>
#include <solidata/run_layers.h>
#include <solidata/withhold.h>

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CASES 200
/* On PostgreSQL (make check-unit-pg) the first 50 of the same seeded worlds: what the property
 * checks is decided in C, the same on both backends; the database's part is to store and read
 * back the flags, which 50 worlds exercise, where 200 cost two minutes of round trips */
#define CASES_PG 50
#define MAXA     7 /* the region and up to 6 provinces */
enum { CNT, POP, RATE, NIND };
static const char *const IND[NIND] = {"cnt", "pop", "rate"};

static const char *tmp_path(const char *name)
{
    static char p[4][512];
    static int k;
    const char *dir = getenv("SOL_TEST_TMP");
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/withhold_%ld_%s", dir ? dir : "/tmp", (long)getpid(), name);
    return p[k];
}

static uint64_t rng_state;
static unsigned rnd(unsigned n) /* xorshift64*, uniform enough for test data */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (unsigned)((rng_state * 2685821657736338717ULL) >> 33) % n;
}

/* One random store: area 0 is the region R, 1..n-1 its provinces P1..; cnt and (sometimes) pop
 * are counts, the region the sum of its provinces; rate = cnt / pop, declared so. */
typedef struct world {
    size_t n;
    char code[MAXA][24];
    double v[NIND][MAXA];
    int pop_is_count;
    unsigned min_cell;
    /* what the store withholds and what the public reads give */
    int withheld[NIND][MAXA];
    double pub[NIND][MAXA]; /* NaN: not published */
} world;

static int make_world(world *w)
{
    memset(w, 0, sizeof *w);
    w->n = 3 + rnd(MAXA - 2);
    w->pop_is_count = rnd(2);
    w->min_cell = 3 + rnd(10);
    snprintf(w->code[0], sizeof w->code[0], "R");
    for (size_t i = 1; i < w->n; i++) {
        snprintf(w->code[i], sizeof w->code[i], "P%zu", i);
        w->v[CNT][i] = rnd(4) == 0 ? rnd(6) : rnd(40);
        w->v[POP][i] = w->pop_is_count && rnd(5) == 0 ? 1 + rnd(12) : 40 + rnd(500);
        w->v[CNT][0] += w->v[CNT][i];
        w->v[POP][0] += w->v[POP][i];
    }
    for (size_t i = 0; i < w->n; i++)
        w->v[RATE][i] = w->v[CNT][i] / w->v[POP][i];

    FILE *f = fopen(tmp_path("areas.geojson"), "w");
    if (f == NULL)
        return -1;
    fputs("{\"type\":\"FeatureCollection\",\"features\":[", f);
    for (size_t i = 0; i < w->n; i++) {
        double x = 12 + (double)i / 10, y = 41;
        fprintf(f,
                "%s{\"type\":\"Feature\",\"properties\":{\"code\":\"%s\",\"parent\":\"%s\"},"
                "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%g,%g],[%g,%g],[%g,%g],"
                "[%g,%g],[%g,%g]]]}}",
                i ? "," : "", w->code[i], i ? "R" : "", x, y, x + 0.1, y, x + 0.1, y + 0.1, x,
                y + 0.1, x, y);
    }
    fputs("]}\n", f);
    fclose(f);
    if ((f = fopen(tmp_path("data.csv"), "w")) == NULL)
        return -1;
    fputs("code,year,cnt,pop,rate\n", f);
    for (size_t i = 0; i < w->n; i++)
        fprintf(f, "%s,2023,%.17g,%.17g,%.17g\n", w->code[i], w->v[CNT][i], w->v[POP][i],
                w->v[RATE][i]);
    fclose(f);
    if ((f = fopen(tmp_path("meta.csv"), "w")) == NULL)
        return -1;
    fputs("code,label,unit,polarity,dimension,numerator,denominator\n"
          "cnt,Persons in need,persons,lower_better,need,,\n"
          "pop,Residents,persons,,,,\n"
          "rate,Share in need,ratio,lower_better,need,cnt,pop\n",
          f);
    fclose(f);
    return 0;
}

static int area_of(const world *w, const char *code)
{
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->code[i], code) == 0)
            return (int)i;
    return -1;
}

static int ind_of(const char *code)
{
    for (int j = 0; j < NIND; j++)
        if (strcmp(IND[j], code) == 0)
            return j;
    return -1;
}

typedef struct reader {
    world *w;
    int bad;
} reader;

/* the public read of the observations (GET /api/observations, the profile) */
static int on_obs(void *ud, const sol_obs *o)
{
    reader *r = ud;
    int a = area_of(r->w, o->area), j = ind_of(o->indicator);
    if (a < 0 || j < 0) {
        r->bad = 1;
        return 1;
    }
    r->w->withheld[j][a] = (o->flags & SOL_FLAG_SUPPRESSED) != 0;
    r->w->pub[j][a] = sol_withhold_obs(o->flags, SOL_ROLE_PUBLIC) ? NAN : o->value;
    return 0;
}

typedef struct cards {
    int bad;
    char what[256];
} cards;

/* every method card as the public reads it (GET /api/runs) */
static int on_run(void *ud, const sol_run *run)
{
    cards *c = ud;
    char *card = NULL;
    if (sol_withhold_card(run->method_card, SOL_ROLE_PUBLIC, &card, NULL) != SOL_OK) {
        c->bad = 1;
        snprintf(c->what, sizeof c->what, "run %lld: no public card", (long long)run->id);
        return 1;
    }
    if (strstr(card, "sha256") || strstr(card, tmp_path("data.csv"))) {
        c->bad = 1;
        snprintf(c->what, sizeof c->what, "run %lld: a digest or a path in the public card",
                 (long long)run->id);
    }
    free(card);
    return c->bad;
}

/* The index of the published values of the areas none of whose values is withheld, computed
 * in file mode, as the public could compute it: the published layer must equal it. */
static int check_index_layer(const world *w, json_t *layer, char *why, size_t n)
{
    json_t *areas = json_object_get(json_object_get(layer, "areas"), "2023");
    FILE *f = fopen(tmp_path("public.csv"), "w");
    if (f == NULL)
        return -1;
    fputs("code,cnt,rate\n", f);
    size_t k = 0;
    for (size_t i = 0; i < w->n; i++) {
        int any = w->withheld[CNT][i] || w->withheld[POP][i] || w->withheld[RATE][i];
        if (any && json_object_get(areas, w->code[i])) {
            snprintf(why, n, "area %s holds a withheld value and has a public score", w->code[i]);
            fclose(f);
            return 1;
        }
        /* case deletion over the index's own indicators (cnt, rate) */
        if (!w->withheld[CNT][i] && !w->withheld[RATE][i]) {
            fprintf(f, "%s,%.17g,%.17g\n", w->code[i], w->pub[CNT][i], w->pub[RATE][i]);
            k++;
        }
    }
    fclose(f);
    if (json_object_size(areas) != k) {
        snprintf(why, n, "%zu public scores for %zu public areas", json_object_size(areas), k);
        return 1;
    }
    sol_index_job j;
    sol_run_index_job_init(&j);
    j.data = tmp_path("public.csv");
    j.id_field = "code";
    j.indicators = "cnt:-@need,rate:-@need";
    j.method = SOL_RUN_INDEX_MINMAX_MEAN;
    sol_index_output *o = NULL;
    if (sol_run_index(NULL, &j, &o, NULL) != SOL_OK) {
        snprintf(why, n, "the published layer has scores the public values cannot give");
        return 1;
    }
    int bad = 0;
    for (size_t r = 0; r < o->result->n_rows && !bad; r++) {
        json_t *a = json_object_get(areas, o->result->area[r]);
        double got = json_number_value(json_object_get(a, "score")), want = o->result->score[r];
        if (a == NULL || !(fabs(got - want) <= 1e-9 * (fabs(want) + 1e-9) ||
                           (isnan(want) && json_is_null(json_object_get(a, "score"))))) {
            snprintf(why, n, "area %s: published score %.17g, index of the public values %.17g",
                     o->result->area[r], got, want);
            bad = 1;
        }
    }
    sol_index_output_free(o);
    return bad;
}

/* Does the world leak? 0 no; else `why` says how. */
static int leaks(const world *w, char *why, size_t n)
{
    for (size_t i = 0; i < w->n; i++) {
        for (int j = 0; j < NIND; j++)
            if (w->withheld[j][i] && !isnan(w->pub[j][i])) {
                snprintf(why, n, "%s of %s withheld yet published", IND[j], w->code[i]);
                return 1;
            }
        /* a published rate with its published denominator gives the numerator back ... */
        if (!isnan(w->pub[RATE][i]) && !isnan(w->pub[POP][i]) && w->withheld[CNT][i]) {
            snprintf(why, n, "rate x pop gives the withheld count of %s", w->code[i]);
            return 1;
        }
        /* ... and with its published numerator (not 0) the denominator */
        if (!isnan(w->pub[RATE][i]) && !isnan(w->pub[CNT][i]) && w->pub[CNT][i] != 0 &&
            w->withheld[POP][i]) {
            snprintf(why, n, "cnt / rate gives the withheld population of %s", w->code[i]);
            return 1;
        }
    }
    /* the region is the sum of its provinces: one withheld cell among them is determined */
    for (int j = CNT; j <= POP; j++) {
        int k = 0;
        for (size_t i = 0; i < w->n; i++)
            k += w->withheld[j][i];
        if (k == 1) {
            snprintf(why, n, "%s: the total minus the published parts gives the withheld one",
                     IND[j]);
            return 1;
        }
    }
    return 0;
}

TEST(no_public_read_gives_back_a_withheld_value)
{
    rng_state = 0x9E3779B97F4A7C15ULL;
    int cases_with_withheld = 0, layers_checked = 0;
    const int cases = test_backend_pg() ? CASES_PG : CASES;
    for (int c = 0; c < cases; c++) {
        world w;
        char why[512] = "";
        ASSERT_EQ(make_world(&w), 0);
        const char *db = test_store_new("store.db");
        sol_store *st = NULL;
        sol_error e;
        sol_error_clear(&e);
        ASSERT_STATUS(sol_store_open(db, &st, &e), SOL_OK);
        sol_import_opts ao = {.code_field = "code", .parent_field = "parent", .level = "area"};
        sol_import_report rep;
        sol_status rc = sol_import_areas(st, tmp_path("areas.geojson"), &ao, &rep, &e);
        sol_import_opts dopt = {.area_field = "code",
                                .period_field = "year",
                                .indicator_meta = tmp_path("meta.csv"),
                                .count_indicators = w.pop_is_count ? "cnt,pop" : "cnt",
                                .min_cell = w.min_cell};
        if (rc == SOL_OK)
            rc = sol_import_data(st, tmp_path("data.csv"), &dopt, &rep, &e);
        if (rc != SOL_OK) {
            sol_store_close(st);
            HARNESS_FAIL("case %d: import: %s", c, e.msg);
        }
        /* 1. the observations as the public reads them */
        reader r = {.w = &w};
        for (int j = 0; j < NIND; j++)
            for (size_t i = 0; i < MAXA; i++)
                w.pub[j][i] = NAN;
        rc = sol_store_observations(st, NULL, NULL, on_obs, &r, &e);
        int any = 0;
        for (int j = 0; j < NIND; j++)
            for (size_t i = 0; i < w.n; i++)
                any |= w.withheld[j][i];
        cases_with_withheld += any;
        /* 2. the public table (sol_values_withhold): exactly the published values */
        for (int j = 0; j < NIND && rc == SOL_OK && !*why; j++) {
            sol_values *v = NULL;
            if ((rc = sol_run_values(st, IND[j], NULL, 0, &v, &e)) != SOL_OK)
                break;
            sol_values_withhold(v);
            for (size_t i = 0; i < v->n; i++) {
                int a = area_of(&w, v->codes[i]);
                if (a < 0 || w.withheld[j][a] || v->values[i] != w.pub[j][a])
                    snprintf(why, sizeof why, "public table: %s of %s", IND[j], v->codes[i]);
            }
            sol_values_free(v);
        }
        /* 3. an analyst's index, and the layers the public reads */
        sol_index_job ij;
        sol_run_index_job_init(&ij);
        ij.indicators = "cnt,rate";
        ij.method = SOL_RUN_INDEX_MINMAX_MEAN;
        sol_index_output *io = NULL;
        sol_error ie;
        if (rc == SOL_OK && !*why && sol_run_index(st, &ij, &io, &ie) == SOL_OK) {
            char *layers = NULL;
            sol_index_output_free(io);
            if ((rc = sol_run_layers(st, &layers, &e)) == SOL_OK &&
                (rc = sol_withhold_layers(st, &layers, &e)) == SOL_OK) {
                json_t *root = json_loads(layers, 0, NULL);
                json_t *ix = json_object_get(root, "index");
                if (root == NULL)
                    snprintf(why, sizeof why, "the layers are not JSON");
                else if (json_is_object(ix) && check_index_layer(&w, ix, why, sizeof why) == 0)
                    layers_checked++;
                json_decref(root);
            }
            sol_free(layers);
        }
        /* 4. the method cards as the public reads them */
        cards cd = {0};
        if (rc == SOL_OK && !*why &&
            (rc = sol_store_runs(st, NULL, 0, on_run, &cd, &e)) == SOL_OK && cd.bad)
            snprintf(why, sizeof why, "%s", cd.what);
        sol_store_close(st);
        ASSERT_STATUS(rc, SOL_OK);
        if (!*why)
            leaks(&w, why, sizeof why);
        if (*why)
            HARNESS_FAIL("case %d (%zu areas, k = %u, pop %s): %s", c, w.n, w.min_cell,
                         w.pop_is_count ? "a count" : "not a count", why);
    }
    unlink(tmp_path("areas.geojson"));
    unlink(tmp_path("data.csv"));
    unlink(tmp_path("meta.csv"));
    unlink(tmp_path("public.csv"));
    /* the property was exercised: withheld values in most cases, public layers in many */
    ASSERT(cases_with_withheld >= cases / 2);
    ASSERT(layers_checked >= cases / 4);
}

TEST(public_cards_carry_no_digest_path_or_data_weights)
{
    const char *card =
        "{\"kind\":\"index\",\"inputs\":{\"values_sha256\":\"ab\",\"sources\":[{\"name\":\"s\","
        "\"sha256\":\"cd\",\"location\":\"/home/x/"
        "data.csv\"}]},\"method\":{\"input_sha256\":\"ef\"},"
        "\"choices\":{\"weights\":{\"indicators\":\"pca\",\"dimensions\":\"equal\","
        "\"indicator_weights\":{\"a\":0.3},\"dimension_weights\":{\"d\":1}}},\"spec\":{"
        "\"microdata\":"
        "\"/srv/m.csv\",\"rows\":\"area\"}}";
    char *pub = NULL, *ana = NULL;
    ASSERT_STATUS(sol_withhold_card(card, SOL_ROLE_PUBLIC, &pub, NULL), SOL_OK);
    ASSERT_STATUS(sol_withhold_card(card, SOL_ROLE_ANALYST, &ana, NULL), SOL_OK);
    ASSERT_STR_EQ(ana, card);
    int ok = strstr(pub, "sha256") == NULL && strstr(pub, "data.csv") == NULL &&
             strstr(pub, "m.csv") == NULL && strstr(pub, "indicator_weights") == NULL &&
             strstr(pub, "\"rows\":\"area\"") != NULL && strstr(pub, "withheld_from_public");
    free(ana);
    if (!ok) {
        fprintf(stderr, "  public card: %s\n", pub);
        free(pub);
        HARNESS_FAIL("the public card keeps a digest, a path or data-derived weights");
    }
    free(pub);
    ASSERT_STATUS(sol_withhold_card("not json", SOL_ROLE_ANON, &pub, NULL), SOL_OK);
    ASSERT_STR_EQ(pub, "null");
    free(pub);
}

/* The licence rule (docs/publish.md): open licences, licences that are not open (own records),
 * and those that forbid publication, word by word (an "Internazionale" or "internet" is not an
 * "interna" or "interne"). */
TEST(licences_open_closed_and_forbidding)
{
    static const struct {
        const char *text;
        sol_licence_kind want;
    } cases[] = {
        {NULL, SOL_LICENCE_NONE},
        {"  ", SOL_LICENCE_NONE},
        {"CC BY 4.0", SOL_LICENCE_OPEN},
        {"CC-BY-SA 3.0 IT", SOL_LICENCE_OPEN},
        {"CC BY 4.0 Internazionale", SOL_LICENCE_OPEN},
        {"CC0 1.0", SOL_LICENCE_OPEN},
        {"ODbL", SOL_LICENCE_OPEN},
        {"Licence Ouverte / Etalab 2.0", SOL_LICENCE_OPEN},
        {"IODL 2.0", SOL_LICENCE_OPEN},
        {"Public domain", SOL_LICENCE_OPEN},
        {"Conditions de réutilisation de l'Insee (réutilisation libre, citer la source)",
         SOL_LICENCE_OPEN},
        {"Open Government Licence v3.0", SOL_LICENCE_OPEN},
        {"CC BY-NC 4.0", SOL_LICENCE_CLOSED},
        {"CC BY-ND", SOL_LICENCE_CLOSED},
        {"all rights reserved", SOL_LICENCE_CLOSED},
        {"données de l'association", SOL_LICENCE_CLOSED},
        {"diffusé sur internet", SOL_LICENCE_CLOSED},
        {"Internal use only", SOL_LICENCE_FORBIDS},
        {"usage interne", SOL_LICENCE_FORBIDS},
        {"uso interno", SOL_LICENCE_FORBIDS},
        {"CONFIDENTIAL", SOL_LICENCE_FORBIDS},
        {"Document confidentiel", SOL_LICENCE_FORBIDS},
        {"dati riservati? no: riservato", SOL_LICENCE_FORBIDS},
        {"CC BY 4.0, not for publication", SOL_LICENCE_FORBIDS},
        {"Ne pas publier", SOL_LICENCE_FORBIDS},
        {"non pubblicare", SOL_LICENCE_FORBIDS},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sol_licence_kind got = sol_withhold_licence(cases[i].text);
        if (got != cases[i].want) {
            fprintf(stderr, "  licence \"%s\": %d, want %d\n",
                    cases[i].text ? cases[i].text : "(null)", (int)got, (int)cases[i].want);
            HARNESS_FAIL("licence classified wrongly");
        }
    }
}

static int count_obs(void *ud, const sol_obs *o)
{
    (void)o;
    ++*(int *)ud;
    return 0;
}

static int count_runs(void *ud, const sol_run *r)
{
    (void)r;
    ++*(int *)ud;
    return 0;
}

/* A draft source and a draft run are out of the public view of the store, and in it once
 * published; own records need a confirmation, a forbidding licence is refused. */
TEST(public_view_reads_published_only)
{
    const char *p = test_store_new("view.db");
    sol_store *st = NULL;
    sol_error e;
    ASSERT_STATUS(sol_store_open(p, &st, &e), SOL_OK);
    int64_t aid, iid, pid, sid, own_id, rid;
    ASSERT_STATUS(sol_store_begin(st, &e), SOL_OK);
    ASSERT_STATUS(sol_store_area_put(st, &(sol_area){.code = "A1", .level = "area"}, &aid, &e),
                  SOL_OK);
    ASSERT_STATUS(sol_store_indicator_put(st, &(sol_indicator){.code = "x"}, 0, &iid, &e), SOL_OK);
    ASSERT_STATUS(sol_store_period_put(st, "2024", 'A', 2024, &pid, &e), SOL_OK);
    sol_source src = {.name = "s",
                      .version = 1,
                      .connector = "csv-wide",
                      .location = "s.csv",
                      .sha256 = "0000000000000000000000000000000000000000000000000000000000000000",
                      .imported_at = "2026-01-01T00:00:00Z",
                      .tool_version = "t"};
    ASSERT_STATUS(sol_store_source_add(st, &src, &sid, &e), SOL_OK);
    sol_source own = src;
    own.name = "own";
    own.licence = "CC BY-NC 4.0";
    ASSERT_STATUS(sol_store_source_add(st, &own, &own_id, &e), SOL_OK);
    int64_t other = 0;
    ASSERT_STATUS(sol_store_obs_put(st, iid, aid, pid, 1, NAN, 0, sid, &other, &e), SOL_OK);
    ASSERT_STATUS(sol_store_commit(st, &e), SOL_OK);
    ASSERT_STATUS(sol_store_run_add(
                      st, &(sol_run){.kind = "index", .spec = "{}", .method_card = "{}"}, &rid, &e),
                  SOL_OK);
    int n = 0, m = 0;
    ASSERT_STATUS(sol_store_public_view(st, 1, &e), SOL_OK);
    ASSERT_STATUS(sol_store_observations(st, NULL, NULL, count_obs, &n, &e), SOL_OK);
    ASSERT_STATUS(sol_store_runs(st, NULL, 0, count_runs, &m, &e), SOL_OK);
    ASSERT_EQ(n + m + sol_store_has_indicator(st, "x"), 0);
    ASSERT_STATUS(sol_store_public_view(st, 0, &e), SOL_OK);
    n = m = 0;
    ASSERT_STATUS(sol_store_observations(st, NULL, NULL, count_obs, &n, &e), SOL_OK);
    ASSERT_EQ(n, 1); /* analysts see the draft */
    sol_publish_req q = {.kind = "source", .name = "s", .publish = 1};
    int changed = 0;
    ASSERT_STATUS(sol_store_publish(st, &q, &changed, &e), SOL_OK);
    ASSERT_EQ(changed, 1);
    q = (sol_publish_req){.kind = "run", .id = rid, .publish = 1};
    ASSERT_STATUS(sol_store_publish(st, &q, &changed, &e), SOL_OK);
    q = (sol_publish_req){.kind = "source", .name = "own", .publish = 1};
    ASSERT_STATUS(sol_store_publish(st, &q, &changed, &e), SOL_EDENIED);
    q.confirm_own_records = 1;
    ASSERT_STATUS(sol_store_publish(st, &q, &changed, &e), SOL_OK);
    n = m = 0;
    ASSERT_STATUS(sol_store_public_view(st, 1, &e), SOL_OK);
    ASSERT_STATUS(sol_store_observations(st, NULL, NULL, count_obs, &n, &e), SOL_OK);
    ASSERT_STATUS(sol_store_runs(st, NULL, 0, count_runs, &m, &e), SOL_OK);
    ASSERT_EQ(n + m + sol_store_has_indicator(st, "x"), 3);
    ASSERT_STATUS(sol_store_public_view(st, 0, &e), SOL_OK);
    sol_store_close(st);
}
