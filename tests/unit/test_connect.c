/* test_connect.c - connectors: the providers table and its close names, the endpoint override,
 * accent folding, Istat's real recorded answer through sdmx.h, and a whole connector's life
 * offline from a download cache filled with the recorded answers: add, refresh (22 values),
 * refresh (unchanged, nothing written), the revised answer (one revision, recorded and listed
 * with the emerging needs). */
#include <solidata/alerts.h>
#include <solidata/connect.h>
#include <solidata/sdmx.h>
#include <solidata/store.h>

#include "connect/connect_int.h"
#include "core/core.h"
#include "harness.h"
#include "test_util.h"

#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DATA "tests/data/connect/"

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long k = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)k + 1);
    if (b && fread(b, 1, (size_t)k, f) != (size_t)k) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b)
        b[k] = '\0', *n = (size_t)k;
    return b;
}

TEST(providers_and_close_names)
{
    const sol_provider *p = NULL;
    sol_error e;
    ASSERT_STATUS(sol_connect_provider("istat", &p, &e), SOL_OK);
    ASSERT_STR_EQ(p->agency, "IT1");
    ASSERT_STATUS(sol_connect_provider("Eurostat", &p, &e), SOL_OK);
    ASSERT_STR_EQ(p->id, "ESTAT");
    ASSERT_STATUS(sol_connect_provider("ISTATT", &p, &e), SOL_ENOTFOUND);
    ASSERT_CONTAINS(e.msg, "did you mean ISTAT");
    ASSERT_STATUS(sol_connect_provider("zzzzzzzzzz", &p, &e), SOL_ENOTFOUND);
    ASSERT_CONTAINS(e.msg, "known: ISTAT, ESTAT, INSEE, OECD, ECB, ILO, UNICEF");
    size_t n;
    sol_connect_providers(&n);
    ASSERT_EQ(n, 7);
}

TEST(endpoint_override)
{
    const sol_provider *p = NULL;
    ASSERT_STATUS(sol_connect_provider("ECB", &p, NULL), SOL_OK);
    unsetenv("SOLIDATA_PROVIDER_URL_ECB");
    ASSERT_STR_EQ(sol_connect_endpoint(p, NULL), "https://data-api.ecb.europa.eu/service");
    ASSERT_STR_EQ(sol_connect_endpoint(p, "https://mirror.example/ecb"),
                  "https://mirror.example/ecb");
    setenv("SOLIDATA_PROVIDER_URL_ECB", "http://127.0.0.1:9/x", 1);
    ASSERT_STR_EQ(sol_connect_endpoint(p, "https://mirror.example/ecb"), "http://127.0.0.1:9/x");
    unsetenv("SOLIDATA_PROVIDER_URL_ECB");
}

/* the values a refresh writes for the import read back as the same doubles, in few digits */
TEST(values_written_read_back_exactly)
{
    char b[64];
    ASSERT_STR_EQ(sol__connect_fmt_value(20, b, sizeof b), "20");
    ASSERT_STR_EQ(sol__connect_fmt_value(0.1, b, sizeof b), "0.1");
    ASSERT_STR_EQ(sol__connect_fmt_value(-82.125, b, sizeof b), "-82.125");
    ASSERT_STR_EQ(sol__connect_fmt_value(0.0001234, b, sizeof b), "0.0001234");
    ASSERT_STR_EQ(sol__connect_fmt_value(1e300, b, sizeof b), "1.0000000000000001e+300");
    double special[] = {0.1 + 0.2,          1.0 / 3, -0.0,   123456789012345.0,
                        1234567890123456.0, 5e-324,  2.5e-7, 99.99499999999999};
    uint64_t s = 12345;
    for (int i = 0; i < 200008; i++) {
        double v;
        if (i < 8) {
            v = special[i];
        } else {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            uint64_t r = s >> 11;
            /* decimals of 0-6 places as publishers write them, and arbitrary doubles */
            v = i % 2 ? (double)(int64_t)(r % 200000000) / 10000.0 - 10000.0
                      : (double)r / 9007199254740992.0 * 1e6;
        }
        const char *t = sol__connect_fmt_value(v, b, sizeof b);
        double back;
        ASSERT_STATUS(sol__parse_double(t, strlen(t), 0, &back), SOL_OK);
        if (back != v || signbit(back) != signbit(v)) {
            fprintf(stderr, "%.17g written %s read %.17g\n", v, t, back);
            ASSERT(0);
        }
    }
}

TEST(fold_accents)
{
    char *f = sol__fold("Agliè SOCIO-Educativi Ÿ École");
    ASSERT_CONTAINS(f, "aglie socio-educativi");
    ASSERT_CONTAINS(f, "ecole");
    free(f);
}

/* the recorded answer as the SDMX reader gives it: 22 values, Agliè 2023 = 20 */
TEST(istat_recorded_answer)
{
    size_t n = 0;
    char *b = slurp(DATA "istat-47_850-data.xml", &n);
    ASSERT(b != NULL);
    sol_sdmx_data *d = NULL;
    sol_error e;
    ASSERT_STATUS(sol_sdmx_data_parse(b, n, "istat.xml", SOL_SDMX_AUTO, &d, &e), SOL_OK);
    ASSERT_EQ(d->nobs, 22);
    int area = sol_sdmx_data_dim(d, "REF_AREA"), t = d->time_dim;
    ASSERT(area >= 0 && t >= 0);
    int found = 0;
    for (size_t o = 0; o < d->nobs; o++) {
        const uint32_t *k = d->key + o * d->ndim;
        if (strcmp(d->code[area][k[area]], "001001") == 0 &&
            strcmp(d->code[t][k[t]], "2023") == 0) {
            ASSERT_REL(d->value[o], 20, 0);
            found = 1;
        }
    }
    ASSERT(found);
    sol_sdmx_data_free(d);
    free(b);
}

/* a cache entry as http.c keeps it: <dir>/<32 hex of sha256(url)>.body and .json */
static int put_cache(const char *dir, const char *url, const char *file)
{
    size_t n = 0;
    char *b = slurp(file, &n);
    if (!b)
        return -1;
    unsigned char h[32];
    char k[65], sha[65], path[1024];
    crypto_hash_sha256(h, (const unsigned char *)url, strlen(url));
    for (int i = 0; i < 32; i++)
        snprintf(k + 2 * i, 3, "%02x", h[i]);
    crypto_hash_sha256(h, (const unsigned char *)b, n);
    for (int i = 0; i < 32; i++)
        snprintf(sha + 2 * i, 3, "%02x", h[i]);
    snprintf(path, sizeof path, "%s/%.32s.body", dir, k);
    FILE *f = fopen(path, "wb");
    int bad = !f || fwrite(b, 1, n, f) != n;
    if (f)
        fclose(f);
    free(b);
    json_t *m =
        json_pack("{s:s,s:s,s:s,s:s}", "url", url, "sha256", sha, "etag", "", "last_modified", "");
    snprintf(path, sizeof path, "%s/%.32s.json", dir, k);
    bad |= json_dump_file(m, path, 0) != 0;
    json_decref(m);
    return bad ? -1 : 0;
}

static int count_runs(void *ud, const sol_run *r)
{
    (void)r;
    (*(int *)ud)++;
    return 0;
}

TEST(connector_offline_life)
{
    ASSERT(sodium_init() >= 0);
    char dir[] = "/tmp/solidata-test-connect-XXXXXX";
    ASSERT(mkdtemp(dir) != NULL);
    char db[1100], cache[1100];
    snprintf(db, sizeof db, "%s", test_store_new("s.db"));
    snprintf(cache, sizeof cache, "%s/cache", dir);
    ASSERT(mkdir(cache, 0700) == 0);
    setenv("SOLIDATA_PROVIDER_URL_ISTAT", "http://replay.invalid/rest", 1);
    const char *surl = "http://replay.invalid/rest/dataflow/all/47_850/latest"
                       "?references=datastructure";
    const char *durl = "http://replay.invalid/rest/data/47_850/A.001001+001002.AUTP.ALL.ALL.1";
    ASSERT(put_cache(cache, surl, DATA "istat-47_850-structure.xml") == 0);
    ASSERT(put_cache(cache, durl, DATA "istat-47_850-data.xml") == 0);
    sol_store *st = NULL;
    sol_error e;
    ASSERT_STATUS(sol_store_open(db, &st, &e), SOL_OK);
    sol_store_publish_auto_override(st, 1);
    sol_net_opts net;
    sol_net_opts_init(&net);
    net.cache_dir = cache;
    net.offline = 1;
    sol_connector_def d = {.name = "nidi",
                           .provider = "ISTAT",
                           .dataflow = "47_850",
                           .key = "A.001001+001002.AUTP.ALL",
                           .add_areas = 1,
                           .level = "municipality"};
    ASSERT_STATUS(sol_connect_add(st, &d, &net, &e), SOL_EINVAL);
    ASSERT_CONTAINS(e.msg, "has 4 parts but dataflow 47_850 of Istat has 6 dimensions");
    d.key = "A.001001+001002.AUTP.ALL.ALL.1";
    ASSERT_STATUS(sol_connect_add(st, &d, &net, &e), SOL_OK);
    sol_refresh_report r;
    ASSERT_STATUS(sol_connect_refresh(st, "nidi", &net, &r, &e), SOL_OK);
    ASSERT_STR_EQ(r.outcome, "new-version");
    ASSERT_EQ(r.added, 22);
    ASSERT_EQ(r.areas_added, 2);
    ASSERT_STATUS(sol_connect_refresh(st, "nidi", &net, &r, &e), SOL_OK);
    ASSERT_STR_EQ(r.outcome, "unchanged");
    /* the revised answer */
    ASSERT(put_cache(cache, durl, DATA "istat-47_850-data-revised.xml") == 0);
    ASSERT_STATUS(sol_connect_refresh(st, "nidi", &net, &r, &e), SOL_OK);
    ASSERT_STR_EQ(r.outcome, "new-version");
    ASSERT_EQ(r.version, 2);
    ASSERT_EQ(r.added, 0);
    ASSERT_EQ(r.revised, 1);
    ASSERT_EQ(r.removed, 0);
    ASSERT_EQ(r.ntop, 1);
    ASSERT_STR_EQ(r.top[0].area, "001001");
    ASSERT_STR_EQ(r.top[0].period, "2023");
    ASSERT_REL(r.top[0].old_value, 20, 0);
    ASSERT_REL(r.top[0].new_value, 25, 0);
    ASSERT(r.revision_run > 0);
    int runs = 0;
    ASSERT_STATUS(sol_store_runs(st, "revision", 0, count_runs, &runs, &e), SOL_OK);
    ASSERT_EQ(runs, 1);
    char *json = NULL;
    ASSERT_STATUS(sol_run_alerts_latest(st, &json, &e), SOL_OK);
    ASSERT_CONTAINS(json, "\"kind\":\"revision\"");
    ASSERT_CONTAINS(json, "20 → 25 (001001, ");
    sol_free(json);
    /* offline and not cached */
    sol_connector_def d2 = d;
    d2.name = "other";
    d2.dataflow = "22_289";
    ASSERT_STATUS(sol_connect_add(st, &d2, &net, &e), SOL_ENOTFOUND);
    ASSERT_CONTAINS(e.msg, "is not in the download cache");
    sol_store_close(st);
    unsetenv("SOLIDATA_PROVIDER_URL_ISTAT");
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ASSERT(system(cmd) == 0);
}
