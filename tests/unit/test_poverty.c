/* test_poverty.c - the microdata reader: the number parser against strtod, the parallel (mapped)
 * path against the streaming reader, identical results on any thread count, and the fallback that
 * keeps the streaming reader's file:line:column messages. */
#define _POSIX_C_SOURCE 200809L
#include "harness.h"

#include <solidata/csv.h>
#include <solidata/stats.h>

#include "stats/stats_int.h"

#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

TEST(number_parser_rounds_like_strtod)
{
    char s[64];
    size_t bad = 0, n = 0, nquick = 0;
    for (int i = 0; i < 1000000; i++) {
        uint64_t r = next();
        int kind = (int)(r % 6);
        int len;
        switch (kind) {
        case 0: /* money: up to 8 integer digits and 2 decimals */
            len = snprintf(s, sizeof s, "%llu.%02llu", (unsigned long long)(next() % 100000000),
                           (unsigned long long)(next() % 100));
            break;
        case 1: /* up to 15 significant digits, decimal point anywhere */
        {
            unsigned long long m = next() % 1000000000000000ull;
            int frac = (int)(next() % 16);
            len = snprintf(s, sizeof s, "%llu", m);
            if (frac > 0 && frac < len) {
                memmove(s + len - frac + 1, s + len - frac, (size_t)frac + 1);
                s[len - frac] = '.';
                len++;
            }
            break;
        }
        case 2: /* 16 to 19 digits: beyond the exact fast path */
            len = snprintf(s, sizeof s, "%llu.%llu", (unsigned long long)(next() % 10000000000ull),
                           (unsigned long long)(next() % 1000000000ull));
            break;
        case 3: /* exponents */
            len = snprintf(s, sizeof s, "%.*e", (int)(next() % 17),
                           (double)(next() >> 11) * 0x1p-53 * pow(10, (double)(next() % 40) - 20));
            break;
        case 4: /* negative, leading zeros, leading '+' */
            len = snprintf(s, sizeof s, "%s000%llu.%llu", next() % 2 ? "-" : "+",
                           (unsigned long long)(next() % 100000),
                           (unsigned long long)(next() % 1000));
            break;
        default: /* doubles printed at full precision round-trip */
        {
            double v = (double)(next() >> 11) * 0x1p-53 * pow(10, (double)(next() % 12));
            len = snprintf(s, sizeof s, "%.17g", v);
            break;
        }
        }
        double got, quick, want = strtod(s, NULL);
        n++;
        if (sol_parse_number(s, (size_t)len, 0, &got) != SOL_OK || memcmp(&got, &want, 8) != 0) {
            if (bad++ < 5)
                fprintf(stderr, "  '%s': parsed %.17g, strtod %.17g\n", s, got, want);
        }
        if (sol__quick_number(s, (size_t)len, &quick) == 0) {
            nquick++;
            if (memcmp(&quick, &want, 8) != 0 && bad++ < 5)
                fprintf(stderr, "  '%s': quick %.17g, strtod %.17g\n", s, quick, want);
        }
    }
    ASSERT_EQ(bad, (size_t)0);
    ASSERT_EQ(n, (size_t)1000000);
    ASSERT(nquick > 300000); /* the common forms took the quick path */
    /* a field longer than the general parser takes is refused by both (found by fuzz_microdata) */
    char lz[80];
    int k = snprintf(lz, sizeof lz, "%066d.5", 86042678);
    double v;
    ASSERT(sol__quick_number(lz, (size_t)k, &v) != 0);
    ASSERT(sol_parse_number(lz, (size_t)k, 0, &v) != SOL_OK);
}

/* A person file of `rows` rows with blank lines, CRLF endings, blanks around codes, and ids. */
static char *make_file(size_t rows, int crlf, size_t *len)
{
    size_t cap = rows * 80 + 200, n = 0;
    char *b = malloc(cap);
    n += (size_t)snprintf(b + n, cap - n, "id,area,weight,income,stratum,note%s\n",
                          crlf ? "\r" : "");
    for (size_t i = 0; i < rows; i++) {
        if (i % 9973 == 5)
            n += (size_t)snprintf(b + n, cap - n, "%s\n", crlf ? "\r" : "");
        n += (size_t)snprintf(
            b + n, cap - n, "%zu,%sR%03llu,%llu.%02llu,%llu.%llu,S%llu,x y%s\n", i,
            i % 7 == 0 ? " " : "", (unsigned long long)(next() % 300),
            (unsigned long long)(next() % 900 + 1), (unsigned long long)(next() % 100),
            (unsigned long long)(next() % 80000), (unsigned long long)(next() % 1000),
            (unsigned long long)(next() % 9), crlf ? "\r" : "");
    }
    *len = n;
    return b;
}

static const sol_md_column COLS[] = {{"income", SOL_MD_NUMBER, 0, 1, 0, "income"},
                                     {"area", SOL_MD_CODE, 0, 0, 0, "area"},
                                     {"weight", SOL_MD_NUMBER, 0, 0, 1, "weight"},
                                     {"stratum", SOL_MD_CODE, 0, 0, 0, "stratum"}};

static int same(const sol_microdata *a, const sol_microdata *b)
{
    size_t n = sol_microdata_rows(a);
    if (n != sol_microdata_rows(b))
        return 0;
    for (size_t j = 0; j < 4; j++) {
        if (j == 0 || j == 2) {
            if (memcmp(sol_microdata_numbers(a, j), sol_microdata_numbers(b, j), n * 8) != 0)
                return 0;
            continue;
        }
        if (sol_microdata_nlevels(a, j) != sol_microdata_nlevels(b, j) ||
            memcmp(sol_microdata_codes(a, j), sol_microdata_codes(b, j), n * 4) != 0)
            return 0;
        for (size_t l = 0; l < sol_microdata_nlevels(a, j); l++)
            if (strcmp(sol_microdata_level(a, j, l), sol_microdata_level(b, j, l)) != 0)
                return 0;
    }
    return strcmp(sol_microdata_sha256(a), sol_microdata_sha256(b)) == 0;
}

static sol_microdata *read_with(const char *d, size_t len, int stream, int threads)
{
    sol_microdata *md = NULL;
    sol_error e;
    sol_error_clear(&e);
    if (stream)
        setenv("SOL_MICRODATA_STREAM", "1", 1);
    omp_set_num_threads(threads);
    sol_status rc = sol_microdata_read_mem(d, len, "persons.csv", COLS, 4, &md, &e);
    unsetenv("SOL_MICRODATA_STREAM");
    omp_set_num_threads(2);
    if (rc != SOL_OK)
        fprintf(stderr, "  read: %s %s\n", e.where, e.msg);
    return md;
}

TEST(parallel_path_equals_streaming_reader_on_any_thread_count)
{
    for (int crlf = 0; crlf < 2; crlf++) {
        size_t len;
        char *d = make_file(250000, crlf, &len); /* about 10 MB: several chunks */
        sol_microdata *s = read_with(d, len, 1, 1), *f1 = read_with(d, len, 0, 1),
                      *f2 = read_with(d, len, 0, 2), *f3 = read_with(d, len, 0, 3);
        ASSERT(s && f1 && f2 && f3);
        ASSERT_EQ(sol__microdata_fast(s), 0);
        ASSERT_EQ(sol__microdata_fast(f1), 1);
        ASSERT_EQ(sol_microdata_rows(s), (size_t)250000);
        ASSERT(same(s, f1));
        ASSERT(same(s, f2));
        ASSERT(same(s, f3));
        ASSERT_STR_EQ(sol_microdata_level(s, 1, 0), sol_microdata_level(f2, 1, 0));
        sol_microdata_free(s);
        sol_microdata_free(f1);
        sol_microdata_free(f2);
        sol_microdata_free(f3);
        free(d);
    }
}

TEST(file_is_mapped_and_hashed_like_the_stream)
{
    size_t len;
    char *d = make_file(30000, 0, &len);
    char path[] = "/tmp/test-poverty-XXXXXX";
    int fd = mkstemp(path);
    ASSERT(fd >= 0);
    ASSERT_EQ(write(fd, d, len), (ssize_t)len);
    close(fd);
    sol_microdata *f = NULL, *s = read_with(d, len, 1, 1);
    sol_error e;
    ASSERT_STATUS(sol_microdata_read(path, COLS, 4, &f, &e), SOL_OK);
    ASSERT_EQ(sol__microdata_fast(f), 1);
    ASSERT(same(s, f));
    unlink(path);
    sol_microdata_free(f);
    sol_microdata_free(s);
    free(d);
}

TEST(quotes_fall_back_to_the_streaming_reader)
{
    const char *d = "id,area,weight,income,stratum,note\n"
                    "1,R1,2.5,100,S1,\"a, quoted\nfield\"\n"
                    "2,\"R2\",1.5,200.25,S1,x\n";
    sol_microdata *md = read_with(d, strlen(d), 0, 2);
    ASSERT(md != NULL);
    ASSERT_EQ(sol__microdata_fast(md), 0);
    ASSERT_EQ(sol_microdata_rows(md), (size_t)2);
    ASSERT_STR_EQ(sol_microdata_level(md, 1, 1), "R2");
    ASSERT_REL(sol_microdata_numbers(md, 0)[1], 200.25, 0);
    sol_microdata_free(md);
}

TEST(bad_values_keep_line_and_column_in_the_message)
{
    size_t len;
    char *d = make_file(200000, 0, &len);
    /* an income that is not a number deep in the file */
    char *p = d;
    for (int k = 0; k < 150001; k++)
        p = strchr(p, '\n') + 1;
    char *c = p;
    for (int k = 0; k < 3; k++)
        c = strchr(c, ',') + 1;
    c[0] = 'x';
    sol_microdata *md = NULL;
    sol_error e;
    sol_error_clear(&e);
    omp_set_num_threads(2);
    ASSERT_STATUS(sol_microdata_read_mem(d, len, "persons.csv", COLS, 4, &md, &e), SOL_ETYPE);
    ASSERT_CONTAINS(e.msg, "not a number");
    ASSERT_CONTAINS(e.where, "persons.csv:");
    /* a negative weight */
    c[0] = '1';
    char *w = p;
    for (int k = 0; k < 2; k++)
        w = strchr(w, ',') + 1;
    w[0] = '-';
    ASSERT_STATUS(sol_microdata_read_mem(d, len, "persons.csv", COLS, 4, &md, &e), SOL_EINVAL);
    ASSERT_CONTAINS(e.msg, "weight");
    free(d);
}

TEST(poverty_estimates_identical_on_any_thread_count)
{
    size_t n = 300000, nd = 40;
    double *inc = malloc(n * sizeof *inc), *w = malloc(n * sizeof *w);
    uint32_t *dom = malloc(n * sizeof *dom), *str = malloc(n * sizeof *str),
             *psu = malloc(n * sizeof *psu);
    const char *names[40], *snames[10];
    char buf[40][8];
    for (size_t k = 0; k < nd; k++) {
        snprintf(buf[k], sizeof buf[k], "D%02zu", nd - k);
        names[k] = buf[k];
    }
    for (size_t k = 0; k < 10; k++)
        snames[k] = "s";
    for (size_t i = 0; i < n; i++) {
        inc[i] = (double)(next() % 100000) / 4; /* ties on purpose */
        w[i] = 1 + (double)(next() % 400) / 7;
        dom[i] = (uint32_t)(next() % nd);
        str[i] = (uint32_t)(next() % 10);
        psu[i] = (uint32_t)(next() % 500);
    }
    sol_design d = {n, w, str, 10, psu, 500, snames, SOL_LONELY_ADJUST};
    sol_poverty_result *r[3] = {NULL, NULL, NULL};
    sol_error e;
    int threads[3] = {1, 2, 3};
    for (int t = 0; t < 3; t++) {
        omp_set_num_threads(threads[t]);
        ASSERT_STATUS(sol_poverty_estimate(inc, &d, dom, nd, names, NULL, &r[t], &e), SOL_OK);
    }
    omp_set_num_threads(2);
    for (int t = 1; t < 3; t++) {
        ASSERT_EQ(r[t]->n_rows, nd + 1);
        for (size_t k = 0; k <= nd; k++) {
            ASSERT_STR_EQ(r[t]->rows[k].domain, r[0]->rows[k].domain);
            const sol_poverty_row *a = &r[0]->rows[k], *b = &r[t]->rows[k];
            double va[] = {a->median_income, a->mean_income_se, a->arop, a->arop_se, a->fgt1_se,
                           a->fgt2_se,       a->rmpg,           a->gini, a->qsr};
            double vb[] = {b->median_income, b->mean_income_se, b->arop, b->arop_se, b->fgt1_se,
                           b->fgt2_se,       b->rmpg,           b->gini, b->qsr};
            ASSERT(memcmp(va, vb, sizeof va) == 0);
        }
    }
    ASSERT_STR_EQ(r[0]->rows[0].domain, "D01");
    ASSERT_STR_EQ(r[0]->rows[nd].domain, "total");
    for (int t = 0; t < 3; t++)
        sol_poverty_result_free(r[t]);
    free(inc);
    free(w);
    free(dom);
    free(str);
    free(psu);
}

TEST(oecd_scale_from_ages_by_household)
{
    /* household 0: 40, 38, 10, 3 -> 1 + 0.5 + 0.3 * 2 = 2.1; household 1: 70 -> 1;
     * household 2: 16, 15, -1 (EU-SILC: born after the income year) -> 1 + 0.5 + 0.3 = 1.8 */
    uint32_t hh[] = {0, 1, 0, 2, 0, 2, 0, 2};
    double age[] = {40, 70, 38, 16, 10, 15, 3, -1}, sc[8];
    size_t mem[3];
    sol_error e;
    ASSERT_STATUS(sol_stats_oecd_scale_hh(hh, 3, age, 8, sc, mem, &e), SOL_OK);
    double want[] = {2.1, 1, 2.1, 1.8, 2.1, 1.8, 2.1, 1.8};
    for (int i = 0; i < 8; i++)
        ASSERT_REL(sc[i], want[i], 1e-15);
    ASSERT_EQ(mem[0], (size_t)4);
    ASSERT_EQ(mem[1], (size_t)1);
    ASSERT_EQ(mem[2], (size_t)3);
    age[5] = NAN;
    ASSERT_STATUS(sol_stats_oecd_scale_hh(hh, 3, age, 8, sc, mem, &e), SOL_EINVAL);
    ASSERT_CONTAINS(e.msg, "row 6");
}
