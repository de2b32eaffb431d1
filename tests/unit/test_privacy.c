/* test_privacy.c - pseudonyms (RFC 4231 HMAC vectors, normalisation), cell suppression (no
 * suppressed cell recoverable by any sum or difference of lines), exact DP samplers (chi-square
 * goodness of fit), the budget ledger and the hash-chained audit log. */
#include "harness.h"
#include "test_util.h"

#include <solidata/privacy.h>
#include <solidata/store.h>
#include <solidata/withhold.h>

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void to_hex(const uint8_t *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* ---- HMAC-SHA-256: RFC 4231, section 4, test cases 1-7 -------------------------------------- */

TEST(hmac_sha256_rfc4231)
{
    uint8_t k20b[20], k20a[20], k25[25], k20c[20], k131[131], d50d[50], d50c[50];
    memset(k20b, 0x0b, 20);
    memset(k20a, 0xaa, 20);
    memset(k20c, 0x0c, 20);
    memset(k131, 0xaa, 131);
    memset(d50d, 0xdd, 50);
    memset(d50c, 0xcd, 50);
    for (int i = 0; i < 25; i++)
        k25[i] = (uint8_t)(i + 1);
    const char *m6 = "Test Using Larger Than Block-Size Key - Hash Key First";
    const char *m7 = "This is a test using a larger than block-size key and a larger than "
                     "block-size data. The key needs to be hashed before being used by the HMAC "
                     "algorithm.";
    struct {
        const uint8_t *key;
        size_t klen;
        const void *msg;
        size_t mlen;
        const char *mac; /* case 5 is truncated to 128 bits in the RFC */
    } tc[] = {
        {k20b, 20, "Hi There", 8,
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        {(const uint8_t *)"Jefe", 4, "what do ya want for nothing?", 28,
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        {k20a, 20, d50d, 50, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
        {k25, 25, d50c, 50, "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
        {k20c, 20, "Test With Truncation", 20, "a3b6167473100ee06e0c796c2955552b"},
        {k131, 131, m6, strlen(m6),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
        {k131, 131, m7, strlen(m7),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
    };
    for (size_t i = 0; i < sizeof tc / sizeof *tc; i++) {
        uint8_t mac[32];
        char hex[65];
        sol_privacy_hmac_sha256(tc[i].key, tc[i].klen, tc[i].msg, tc[i].mlen, mac);
        to_hex(mac, 32, hex);
        hex[strlen(tc[i].mac)] = '\0';
        ASSERT_STR_EQ(hex, tc[i].mac);
    }
}

TEST(normalisation_makes_one_person_one_pseudonym)
{
    uint8_t key[32];
    memset(key, 7, sizeof key);
    char a[65], b[65];
    sol_error e;
    /* the classic example code of "Mario Rossi" (check character S) */
    ASSERT_STATUS(
        sol_privacy_pseudonym(key, SOL_NORM_CODICE_FISCALE, "RSSMRA85T10A562S", 16, a, &e), SOL_OK);
    ASSERT_STATUS(
        sol_privacy_pseudonym(key, SOL_NORM_CODICE_FISCALE, " rssmra 85t10 a562s ", 20, b, &e),
        SOL_OK);
    ASSERT_STR_EQ(a, b);
    ASSERT_STATUS(
        sol_privacy_pseudonym(key, SOL_NORM_CODICE_FISCALE, "RSSMRA85T10A562T", 16, b, &e),
        SOL_EPARSE);
    ASSERT_CONTAINS(e.msg, "check character");
    /* NIR: key = 97 - (N mod 97); with or without the key, dots and blanks: one pseudonym */
    ASSERT_STATUS(sol_privacy_pseudonym(key, SOL_NORM_NIR, "1 85 05 78 006 084 91", 21, a, &e),
                  SOL_OK);
    ASSERT_STATUS(sol_privacy_pseudonym(key, SOL_NORM_NIR, "1850578006084", 13, b, &e), SOL_OK);
    ASSERT_STR_EQ(a, b);
    ASSERT_STATUS(sol_privacy_pseudonym(key, SOL_NORM_NIR, "185057800608492", 15, b, &e),
                  SOL_EPARSE);
    ASSERT_STATUS(
        sol_privacy_pseudonym(key, SOL_NORM_EMAIL, " Anna.Bianchi@Example.ORG", 25, a, &e), SOL_OK);
    ASSERT_STATUS(sol_privacy_pseudonym(key, SOL_NORM_EMAIL, "anna.bianchi@example.org", 24, b, &e),
                  SOL_OK);
    ASSERT_STR_EQ(a, b);
    ASSERT_STATUS(sol_privacy_pseudonym(key, SOL_NORM_EMAIL, "nobody", 6, b, &e), SOL_EPARSE);
    ASSERT_STATUS(sol_privacy_pseudonym(key, SOL_NORM_NONE, "  ", 2, b, &e), SOL_EPARSE);
    /* the pseudonym is the HMAC of the normalised id */
    uint8_t mac[32];
    char hex[65];
    sol_privacy_hmac_sha256(key, 32, "anna.bianchi@example.org", 24, mac);
    to_hex(mac, 32, hex);
    ASSERT_STR_EQ(a, hex);
}

TEST(key_files_are_private_and_exact)
{
    const char *p = test_tmp_fresh("k.key");
    sol_error e;
    uint8_t key[32];
    ASSERT_STATUS(sol_privacy_keygen(p, &e), SOL_OK);
    struct stat sb;
    ASSERT(stat(p, &sb) == 0);
    ASSERT_EQ(sb.st_mode & 0777, 0600);
    ASSERT_EQ(sb.st_size, 65);
    ASSERT_STATUS(sol_privacy_keygen(p, &e), SOL_EDUPLICATE);
    ASSERT_STATUS(sol_privacy_key_load(p, key, &e), SOL_OK);
    chmod(p, 0640);
    ASSERT_STATUS(sol_privacy_key_load(p, key, &e), SOL_EDENIED);
    ASSERT_STATUS(sol_privacy_key_parse("abcd\n", 5, key, &e), SOL_EPARSE);
    char bad[66];
    memset(bad, 'g', 64);
    bad[64] = '\n';
    ASSERT_STATUS(sol_privacy_key_parse(bad, 65, key, &e), SOL_EPARSE);
}

/* ---- suppression -------------------------------------------------------------------------- */

/* Is entry j (a suppressed one) determined by the line equations given the published entries?
 * Unknowns are the suppressed entries; j is determined iff e_j lies in the row space of the
 * equations restricted to the unknowns, i.e. removing column j lowers the rank by one. */
static int rank_of(double *a, size_t m, size_t n)
{
    int rank = 0;
    for (size_t c = 0, r = 0; c < n && r < m; c++) {
        size_t piv = r;
        for (size_t i = r; i < m; i++)
            if (fabs(a[i * n + c]) > fabs(a[piv * n + c]))
                piv = i;
        if (fabs(a[piv * n + c]) < 1e-9)
            continue;
        for (size_t k = 0; k < n; k++) {
            double t = a[r * n + k];
            a[r * n + k] = a[piv * n + k];
            a[piv * n + k] = t;
        }
        for (size_t i = 0; i < m; i++) {
            if (i == r)
                continue;
            double f = a[i * n + c] / a[r * n + c];
            for (size_t k = 0; k < n; k++)
                a[i * n + k] -= f * a[r * n + k];
        }
        r++;
        rank++;
    }
    return rank;
}

/* Coefficient of entry (r, c) in line l of a (R+1) x (C+1) table with margins. */
static double coef(size_t R, size_t C, size_t l, size_t r, size_t c)
{
    if (l <= R)
        return r != l ? 0 : (c == C ? -1 : 1);
    size_t cc = l - R - 1;
    return c != cc ? 0 : (r == R ? -1 : 1);
}

/* Number of suppressed entries that the published ones determine. */
static int recoverable(size_t R, size_t C, const unsigned char *flags)
{
    size_t E = (R + 1) * (C + 1), L = R + C + 2, nu = 0;
    size_t *u = malloc(E * sizeof *u);
    for (size_t i = 0; i < E; i++)
        if (flags[i])
            u[nu++] = i;
    int bad = 0;
    double *a = malloc(L * (nu + 1) * sizeof *a), *b = malloc(L * (nu + 1) * sizeof *b);
    for (size_t l = 0; l < L; l++)
        for (size_t j = 0; j < nu; j++)
            a[l * nu + j] = coef(R, C, l, u[j] / (C + 1), u[j] % (C + 1));
    memcpy(b, a, L * nu * sizeof *a);
    int full = rank_of(b, L, nu);
    for (size_t j = 0; j < nu; j++) {
        /* drop column j */
        for (size_t l = 0; l < L; l++)
            for (size_t k = 0, kk = 0; k < nu; k++)
                if (k != j)
                    b[l * (nu - 1) + kk++] = a[l * nu + k];
        if (rank_of(b, L, nu - 1) == full - 1)
            bad++;
    }
    free(a);
    free(b);
    free(u);
    return bad;
}

/* Every combination of lines with coefficients -1, 0, +1 ("every subtraction"): none may leave
 * exactly one suppressed entry with the published ones. Small tables only (3^L combinations). */
static int recoverable_bruteforce(size_t R, size_t C, const unsigned char *flags)
{
    size_t L = R + C + 2, E = (R + 1) * (C + 1);
    long combos = 1;
    for (size_t l = 0; l < L; l++)
        combos *= 3;
    for (long m = 1; m < combos; m++) {
        int w[16];
        long x = m;
        for (size_t l = 0; l < L; l++, x /= 3)
            w[l] = (int)(x % 3) - 1;
        int nonzero = 0;
        for (size_t i = 0; i < E && nonzero < 2; i++) {
            if (!flags[i])
                continue;
            double s = 0;
            for (size_t l = 0; l < L; l++)
                s += w[l] * coef(R, C, l, i / (C + 1), i % (C + 1));
            nonzero += s != 0;
        }
        if (nonzero == 1)
            return 1;
    }
    return 0;
}

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* Random two-way tables with margins; inner counts skewed towards small values. */
static void random_table(uint64_t *seed, size_t R, size_t C, uint64_t *n)
{
    size_t W = C + 1;
    memset(n, 0, (R + 1) * W * sizeof *n);
    for (size_t r = 0; r < R; r++)
        for (size_t c = 0; c < C; c++) {
            uint64_t v = lcg(seed) % 4 == 0 ? lcg(seed) % 5 : lcg(seed) % 40;
            n[r * W + c] = v;
            n[r * W + C] += v;
            n[R * W + c] += v;
            n[R * W + C] += v;
        }
}

TEST(secondary_suppression_small_tables_every_subtraction)
{
    uint64_t seed = 42, n[16];
    unsigned char f[16];
    int tables = 0;
    for (int t = 0; t < 300; t++) {
        random_table(&seed, 3, 3, n);
        size_t p, s;
        ASSERT_STATUS(sol_privacy_suppress(3, 3, n, 5, f, &p, &s, NULL), SOL_OK);
        for (size_t i = 0; i < 16; i++) {
            if (n[i] >= 1 && n[i] < 5)
                ASSERT(f[i] == SOL_CELL_PRIMARY);
            if (n[i] == 0 && f[i] == SOL_CELL_PRIMARY)
                HARNESS_FAIL("a zero was suppressed as primary");
        }
        if (p > 0)
            tables++;
        if (recoverable_bruteforce(3, 3, f))
            HARNESS_FAIL("table %d: a suppressed cell is recoverable by subtraction", t);
    }
    ASSERT(tables > 100);
}

TEST(secondary_suppression_larger_tables_rank)
{
    uint64_t seed = 7;
    for (int t = 0; t < 60; t++) {
        size_t R = 2 + lcg(&seed) % 9, C = 2 + lcg(&seed) % 7;
        uint64_t *n = malloc((R + 1) * (C + 1) * sizeof *n);
        unsigned char *f = malloc((R + 1) * (C + 1));
        random_table(&seed, R, C, n);
        ASSERT_STATUS(sol_privacy_suppress(R, C, n, 6, f, NULL, NULL, NULL), SOL_OK);
        int bad = recoverable(R, C, f);
        free(n);
        free(f);
        if (bad)
            HARNESS_FAIL("table %d (%zu x %zu): %d suppressed cells recoverable", t, R, C, bad);
    }
}

/* Two blocks of small cells joined by one: every line holds 0 or >= 2 suppressed cells, which
 * is all the "one suppressed cell per line" rule checks, yet the joining cell is the sum of
 * rows 0-1 minus columns 0-1. The bridge search must protect it. */
TEST(secondary_suppression_closes_bridges)
{
    enum { R = 4, C = 4, W = C + 1 };
    uint64_t n[(R + 1) * W] = {0};
    uint64_t inner[R][C] = {{2, 3, 1, 50}, {3, 2, 60, 70}, {80, 90, 2, 3}, {85, 95, 3, 2}};
    for (size_t r = 0; r < R; r++)
        for (size_t c = 0; c < C; c++) {
            n[r * W + c] = inner[r][c];
            n[r * W + C] += inner[r][c];
            n[R * W + c] += inner[r][c];
            n[R * W + C] += inner[r][c];
        }
    unsigned char f[(R + 1) * W];
    unsigned char only_primary[(R + 1) * W];
    for (size_t i = 0; i < sizeof f; i++)
        only_primary[i] = n[i] >= 1 && n[i] < 5;
    ASSERT(recoverable(R, C, only_primary) > 0);
    size_t p, s;
    ASSERT_STATUS(sol_privacy_suppress(R, C, n, 5, f, &p, &s, NULL), SOL_OK);
    ASSERT_EQ(p, 9);
    ASSERT(s >= 1);
    ASSERT_EQ(recoverable(R, C, f), 0);
}

TEST(one_way_table_never_one_suppressed)
{
    uint64_t n[5] = {12, 3, 40, 20, 75};
    unsigned char f[5];
    size_t p, s;
    ASSERT_STATUS(sol_privacy_suppress(4, 0, n, 10, f, &p, &s, NULL), SOL_OK);
    ASSERT_EQ(p, 1);
    ASSERT_EQ(s, 1);
    ASSERT_EQ(f[1], SOL_CELL_PRIMARY);
    ASSERT_EQ(f[0], SOL_CELL_SECONDARY); /* the smallest other entry */
}

/* ---- tabulate ----------------------------------------------------------------------------- */

TEST(tabulate_counts_margins_and_flags)
{
    const char *csv = "area,sex\nA,F\nA,F\nA,M\nB,F\nB,M\nB,M\nB,M\nC,F\n";
    sol_csv *c;
    sol_error e;
    ASSERT_STATUS(sol_csv_open_mem(csv, strlen(csv), "m.csv", NULL, &c, &e), SOL_OK);
    sol_tab_opts o = {.row_field = "area", .col_field = "sex", .min_cell = 1};
    sol_tab *t;
    ASSERT_STATUS(sol_tab_new(c, &o, &t, &e), SOL_OK);
    sol_csv_close(c);
    ASSERT_STATUS(sol_tab_protect(t, &e), SOL_OK);
    test_text s = {.len = 0};
    ASSERT_STATUS(sol_tab_write_csv(t, test_text_write, &s, &e), SOL_OK);
    ASSERT_STR_EQ(s.buf, "row,col,count,flag\n"
                         "A,F,2,\nA,M,1,\nA,_total,3,\n"
                         "B,F,1,\nB,M,3,\nB,_total,4,\n"
                         "C,F,1,\nC,M,0,\nC,_total,1,\n"
                         "_total,F,4,\n_total,M,4,\n_total,_total,8,\n");
    sol_tab_free(t);

    /* k = 2: the ones are suppressed, zeros published, and enough more that none is recoverable */
    ASSERT_STATUS(sol_csv_open_mem(csv, strlen(csv), "m.csv", NULL, &c, &e), SOL_OK);
    o.min_cell = 2;
    ASSERT_STATUS(sol_tab_new(c, &o, &t, &e), SOL_OK);
    sol_csv_close(c);
    ASSERT_STATUS(sol_tab_protect(t, &e), SOL_OK);
    sol_tab_stats st;
    sol_tab_get_stats(t, &st);
    ASSERT_EQ(st.primary, 4); /* A,M  B,F  C,F  C,_total */
    unsigned char f[12];
    for (size_t r = 0; r < 4; r++)
        for (size_t k = 0; k < 3; k++) {
            int fl;
            double v;
            sol_tab_entry(t, r, k, &v, NULL, &fl);
            f[r * 3 + k] = (unsigned char)fl;
            if (fl)
                ASSERT(isnan(v));
        }
    ASSERT_EQ(recoverable(3, 2, f), 0);
    int fl;
    sol_tab_entry(t, 2, 1, NULL, NULL, &fl); /* C,M = 0 */
    ASSERT(fl == SOL_CELL_PUBLISHED || fl == SOL_CELL_SECONDARY);
    sol_tab_free(t);
}

TEST(tabulate_bad_inputs)
{
    sol_csv *c;
    sol_error e;
    const char *csv = "area,w\nA,1\n_total,2\n";
    ASSERT_STATUS(sol_csv_open_mem(csv, strlen(csv), "m.csv", NULL, &c, &e), SOL_OK);
    sol_tab_opts o = {.row_field = "zone", .min_cell = 3};
    sol_tab *t;
    ASSERT_STATUS(sol_tab_new(c, &o, &t, &e), SOL_ENOTFOUND);
    ASSERT_STR_EQ(e.where, "m.csv:1");
    o.row_field = "area";
    ASSERT_STATUS(sol_tab_new(c, &o, &t, &e), SOL_EPARSE);
    ASSERT_STR_EQ(e.where, "m.csv:3:1");
    sol_csv_close(c);
    csv = "area,w\nA,x\n";
    ASSERT_STATUS(sol_csv_open_mem(csv, strlen(csv), "m.csv", NULL, &c, &e), SOL_OK);
    o.weight_field = "w";
    ASSERT_STATUS(sol_tab_new(c, &o, &t, &e), SOL_ETYPE);
    ASSERT_STR_EQ(e.where, "m.csv:2:3");
    sol_csv_close(c);
}

/* Cells counted elsewhere (a database) give the table the records give: the same entries, flags
 * and labels after protection; a cell met twice adds up. */
TEST(tabulate_from_cells_equals_records)
{
    const char *csv = "area,sex,w\nA,F,1\nA,F,2\nA,M,1\nB,F,4\nB,M,1\nB,M,1\nB,M,3\nC,M,2\n";
    sol_csv *c;
    sol_error e;
    ASSERT_STATUS(sol_csv_open_mem(csv, strlen(csv), "m.csv", NULL, &c, &e), SOL_OK);
    sol_tab_opts o = {.row_field = "area", .col_field = "sex", .weight_field = "w", .min_cell = 2};
    sol_tab *a, *b;
    ASSERT_STATUS(sol_tab_new(c, &o, &a, &e), SOL_OK);
    sol_csv_close(c);
    const sol_tab_cell cells[] = {{"B", "M", 2, 2}, {"A", "F", 2, 3}, {"C", "M", 1, 2},
                                  {"A", "M", 1, 1}, {"B", "F", 1, 4}, {"B", "M", 1, 3}};
    ASSERT_STATUS(sol_tab_new_cells(&o, cells, 6, NULL, &b, &e), SOL_OK);
    ASSERT_STATUS(sol_tab_protect(a, &e), SOL_OK);
    ASSERT_STATUS(sol_tab_protect(b, &e), SOL_OK);
    sol_tab_stats sa, sb;
    sol_tab_get_stats(a, &sa);
    sol_tab_get_stats(b, &sb);
    ASSERT_EQ(sa.records, sb.records);
    ASSERT_EQ(sa.cells, sb.cells);
    ASSERT_EQ(sa.primary, sb.primary);
    ASSERT_EQ(sa.secondary, sb.secondary);
    for (size_t r = 0; r <= sa.nrows; r++) {
        ASSERT_STR_EQ(sol_tab_row_label(a, r), sol_tab_row_label(b, r));
        for (size_t k = 0; k <= sa.ncols; k++) {
            double va, vb;
            uint64_t na, nb;
            int fa, fb;
            ASSERT_STR_EQ(sol_tab_col_label(a, k), sol_tab_col_label(b, k));
            sol_tab_entry(a, r, k, &va, &na, &fa);
            sol_tab_entry(b, r, k, &vb, &nb, &fb);
            ASSERT_EQ(fa, fb);
            ASSERT_EQ(na, nb);
            if (!isnan(va) || !isnan(vb))
                ASSERT_REL(vb, va, 1e-15);
        }
    }
    sol_tab_free(a);
    sol_tab_free(b);
    const sol_tab_cell bad[] = {{"_total", "M", 1, 1}};
    ASSERT_STATUS(sol_tab_new_cells(&o, bad, 1, NULL, &b, &e), SOL_EPARSE);
    const char *rows[] = {"A", "B"};
    o.row_categories = rows;
    o.n_row_categories = 2;
    ASSERT_STATUS(sol_tab_new_cells(&o, cells, 6, NULL, &b, &e), SOL_EPARSE); /* C */
}

/* ---- exact samplers: goodness of fit ------------------------------------------------------ */

/* Chi-square p-value of draws against pmf over [-B, B], the tails pooled into the end bins. */
static double gof(const long *count, const double *pmf, int B, long N)
{
    double chi = 0;
    int df = 0;
    for (int z = -B; z <= B; z++) {
        double ex = pmf[z + B] * (double)N;
        double d = (double)count[z + B] - ex;
        chi += d * d / ex;
        df++;
    }
    return gsl_cdf_chisq_Q(chi, df - 1);
}

TEST(discrete_laplace_has_its_distribution)
{
    sol_rng *r;
    ASSERT_STATUS(sol_rng_new("laplace-test", &r, NULL), SOL_OK);
    enum { B = 12 };
    const long N = 200000;
    long count[2 * B + 1] = {0};
    double pmf[2 * B + 1];
    const double eps = 0.5; /* s/t = 1/2 */
    double q = exp(-eps), norm = (1 - q) / (1 + q);
    for (int z = -B; z <= B; z++)
        pmf[z + B] = norm * pow(q, abs(z));
    /* pooled tails: P(Z >= B) = norm q^B / (1 - q) */
    pmf[0] = pmf[2 * B] = norm * pow(q, B) / (1 - q);
    double mean = 0;
    for (long i = 0; i < N; i++) {
        int64_t z = sol_dp_discrete_laplace(r, 1, 2);
        mean += (double)z;
        count[(z < -B ? -B : z > B ? B : z) + B]++;
    }
    sol_rng_free(r);
    double p = gof(count, pmf, B, N);
    if (!(p > 0.001))
        HARNESS_FAIL("chi-square p = %g", p);
    ASSERT(fabs(mean / (double)N) < 0.03);
}

static void gauss_check(double sigma2, uint64_t num, uint64_t den, const char *seed)
{
    sol_rng *r;
    ASSERT_STATUS(sol_rng_new(seed, &r, NULL), SOL_OK);
    enum { B = 8 };
    const long N = 200000;
    long count[2 * B + 1] = {0};
    double pmf[2 * B + 1], z_norm = 0;
    for (int z = -200; z <= 200; z++)
        z_norm += exp(-(double)z * z / (2 * sigma2));
    for (int z = -B; z <= B; z++)
        pmf[z + B] = exp(-(double)z * z / (2 * sigma2)) / z_norm;
    double tail = 0;
    for (int z = B; z <= 200; z++)
        tail += exp(-(double)z * z / (2 * sigma2)) / z_norm;
    pmf[0] = pmf[2 * B] = tail;
    double var = 0;
    for (long i = 0; i < N; i++) {
        int64_t z = sol_dp_discrete_gaussian(r, num, den);
        var += (double)(z * z);
        count[(z < -B ? -B : z > B ? B : z) + B]++;
    }
    sol_rng_free(r);
    double p = gof(count, pmf, B, N);
    if (!(p > 0.001))
        HARNESS_FAIL("sigma2 %g: chi-square p = %g", sigma2, p);
    /* the discrete Gaussian's variance is just below sigma^2 (CKS 2020, Prop. 19) */
    ASSERT_REL(var / (double)N, sigma2, 0.03);
}

TEST(discrete_gaussian_has_its_distribution)
{
    gauss_check(4.0, 4, 1, "gauss-4");
    gauss_check(2.5, 5, 2, "gauss-2.5");
}

TEST(bernoulli_exp_is_exact)
{
    sol_rng *r;
    ASSERT_STATUS(sol_rng_new("bern", &r, NULL), SOL_OK);
    const long N = 200000;
    uint64_t cases[][2] = {{3, 10}, {27, 10}, {0, 1}};
    for (size_t c = 0; c < 3; c++) {
        long k = 0;
        for (long i = 0; i < N; i++)
            k += sol_dp_bernoulli_exp(r, cases[c][0], cases[c][1]);
        double p = exp(-(double)cases[c][0] / (double)cases[c][1]);
        double sd = sqrt(p * (1 - p) / (double)N);
        if (sd > 0 && fabs((double)k / (double)N - p) > 4 * sd)
            HARNESS_FAIL("Bernoulli(exp(-%llu/%llu)): %g, want %g", (unsigned long long)cases[c][0],
                         (unsigned long long)cases[c][1], (double)k / (double)N, p);
        if (sd == 0)
            ASSERT_EQ(k, N);
    }
    sol_rng_free(r);
}

TEST(same_seed_same_noise)
{
    sol_rng *a, *b;
    ASSERT_STATUS(sol_rng_new("s", &a, NULL), SOL_OK);
    ASSERT_STATUS(sol_rng_new("s", &b, NULL), SOL_OK);
    for (int i = 0; i < 1000; i++)
        ASSERT_EQ(sol_dp_discrete_gaussian(a, 9, 1), sol_dp_discrete_gaussian(b, 9, 1));
    sol_rng_free(a);
    sol_rng_free(b);
}

TEST(epsilon_parsing_and_gaussian_calibration)
{
    int64_t e;
    ASSERT_STATUS(sol_dp_parse_epsilon("0.1", &e, NULL), SOL_OK);
    ASSERT_EQ(e, 100000000);
    ASSERT_STATUS(sol_dp_parse_epsilon("2", &e, NULL), SOL_OK);
    ASSERT_EQ(e, 2000000000);
    ASSERT_STATUS(sol_dp_parse_epsilon("0", &e, NULL), SOL_EINVAL);
    ASSERT_STATUS(sol_dp_parse_epsilon("-1", &e, NULL), SOL_EINVAL);
    ASSERT_STATUS(sol_dp_parse_epsilon("1e-3", &e, NULL), SOL_EINVAL);
    uint64_t num, den;
    ASSERT_STATUS(sol_dp_gaussian_sigma2(1000000000, 1e-6, &num, &den, NULL), SOL_OK);
    /* rho = (sqrt(ln 1e6 + 1) - sqrt(ln 1e6))^2; the rational sigma^2 is never below 1/(2 rho) */
    double l = log(1e6), sr = sqrt(l + 1) - sqrt(l), s2 = 1 / (2 * sr * sr);
    ASSERT((double)num / (double)den >= s2);
    ASSERT_REL((double)num / (double)den, s2, 1e-4);
}

/* ---- ledger and audit log ------------------------------------------------------------------- */

TEST(budget_ledger_refuses_overspending)
{
    const char *p = test_store_new("budget.db");
    sol_store *st;
    sol_error e;
    ASSERT_STATUS(sol_store_open(p, &st, &e), SOL_OK);
    ASSERT_STATUS(sol_budget_set(st, "survey", 1000000000, 1e-5, 10, &e), SOL_OK);
    for (int i = 0; i < 10; i++) /* ten releases of 0.1 spend exactly 1 */
        ASSERT_STATUS(sol_budget_spend(st, "survey", 100000000, 0, 0, "laplace", NULL, NULL, &e),
                      SOL_OK);
    ASSERT_STATUS(sol_budget_spend(st, "survey", 1, 0, 0, "laplace", NULL, NULL, &e), SOL_EDENIED);
    ASSERT_CONTAINS(e.msg, "exhausted");
    sol_budget b;
    ASSERT_STATUS(sol_budget_get(st, "survey", &b, &e), SOL_OK);
    ASSERT_EQ(b.eps_spent_nano, 1000000000);
    ASSERT_EQ(b.releases, 10);
    /* a new dataset gets the default budget */
    ASSERT_STATUS(sol_budget_spend(st, "other", 600000000, 0, 0, "laplace", NULL, NULL, &e),
                  SOL_OK);
    ASSERT_STATUS(sol_budget_spend(st, "other", 500000000, 0, 0, "laplace", NULL, NULL, &e),
                  SOL_EDENIED);
    int64_t n;
    char head[65];
    ASSERT_STATUS(sol_audit_verify(st, NULL, &n, head, &e), SOL_OK);
    ASSERT_EQ(n, 12); /* one set, eleven releases */
    sol_store_close(st);
}

/* sql run on the store behind its back; a refusal (the append-only triggers) is the point of
 * some calls, so it is not an error here */
static void tamper(const char *path, const char *sql)
{
    test_store_exec(path, sql);
}

/* the same, with the audit log's append-only triggers dropped first, as someone with write
 * access to the file or the database could */
static void tamper_unguarded(const char *path, const char *sql)
{
    char q[1024];
    const char *on = test_backend_pg() ? " ON audit" : "";
    snprintf(q, sizeof q,
             "DROP TRIGGER audit_append_only_u%s; DROP TRIGGER audit_append_only_d%s; %s", on, on,
             sql);
    tamper(path, q);
}

static const char *make_log(const char *name, char head[65])
{
    const char *p = test_store_new(name);
    sol_store *st;
    sol_store_open(p, &st, NULL);
    for (int i = 0; i < 5; i++) {
        char d[32];
        snprintf(d, sizeof d, "{\"n\":%d}", i);
        sol_audit_append(st, "tester", "test.action", d, NULL, NULL);
    }
    int64_t n;
    sol_audit_verify(st, NULL, &n, head, NULL);
    sol_store_close(st);
    return p;
}

static sol_status verify_file(const char *p, const char *expect_head, sol_error *e)
{
    sol_store *st;
    sol_status rc = sol_store_open(p, &st, e);
    if (rc != SOL_OK)
        return rc;
    int64_t n;
    char head[65];
    rc = sol_audit_verify(st, expect_head, &n, head, e);
    sol_store_close(st);
    return rc;
}

TEST(audit_chain_detects_alteration_deletion_reordering)
{
    char head[65];
    sol_error e;
    const char *p = make_log("a1.db", head);
    ASSERT_EQ(strlen(head), 64);
    ASSERT_STATUS(verify_file(p, head, &e), SOL_OK);
    /* the store itself refuses edits */
    tamper(p, "UPDATE audit SET detail = 'x' WHERE id = 2");
    ASSERT_STATUS(verify_file(p, head, &e), SOL_OK);

    tamper_unguarded(p, "UPDATE audit SET detail = '{\"n\":9}' WHERE id = 3");
    ASSERT_STATUS(verify_file(p, NULL, &e), SOL_ESTORE);
    ASSERT_CONTAINS(e.msg, "entry 3");

    p = make_log("a2.db", head);
    tamper_unguarded(p, "DELETE FROM audit WHERE id = 2");
    ASSERT_STATUS(verify_file(p, NULL, &e), SOL_ESTORE);
    ASSERT_CONTAINS(e.msg, "entry 2 is missing");

    /* deleting an entry and renumbering the rest: the chain no longer matches */
    p = make_log("a3.db", head);
    tamper_unguarded(p,
                     "DELETE FROM audit WHERE id = 2; UPDATE audit SET id = id - 1 WHERE id > 2");
    ASSERT_STATUS(verify_file(p, NULL, &e), SOL_ESTORE);
    ASSERT_CONTAINS(e.msg, "entry 2");

    /* reordering: two entries swap places (ids exchanged) */
    p = make_log("a4.db", head);
    tamper_unguarded(p,
                     "UPDATE audit SET id = 100 WHERE id = 2; UPDATE audit SET id = 2 WHERE id = "
                     "3; UPDATE audit SET id = 3 WHERE id = 100");
    ASSERT_STATUS(verify_file(p, NULL, &e), SOL_ESTORE);
    ASSERT_CONTAINS(e.msg, "entry 2");

    /* removing the tail: only visible against the head recorded before */
    p = make_log("a5.db", head);
    tamper_unguarded(p, "DELETE FROM audit WHERE id = 5");
    ASSERT_STATUS(verify_file(p, NULL, &e), SOL_OK);
    ASSERT_STATUS(verify_file(p, head, &e), SOL_ESTORE);
    ASSERT_CONTAINS(e.msg, "no longer in the chain");
}

TEST(link_joins_on_pseudonyms)
{
    char k1[65], k2[65], k3[65];
    memset(k1, 'a', 64);
    memset(k2, 'b', 64);
    memset(k3, 'c', 64);
    k1[64] = k2[64] = k3[64] = '\0';
    char left[512], right[512];
    snprintf(left, sizeof left, "pid,age\n%s,30\n%s,41\n%s,50\n", k1, k2, k2);
    snprintf(right, sizeof right, "pid,age,benefit\n%s,30,\"rent, food\"\n%s,70,none\n", k2, k3);
    sol_csv *l, *r;
    sol_error e;
    ASSERT_STATUS(sol_csv_open_mem(left, strlen(left), "l.csv", NULL, &l, &e), SOL_OK);
    ASSERT_STATUS(sol_csv_open_mem(right, strlen(right), "r.csv", NULL, &r, &e), SOL_OK);
    test_text s = {.len = 0};
    sol_link_report rep;
    ASSERT_STATUS(sol_privacy_link(l, "pid", r, "pid", test_text_write, &s, &rep, &e), SOL_OK);
    sol_csv_close(l);
    sol_csv_close(r);
    char want[1024];
    snprintf(want, sizeof want,
             "pid,age,right_age,benefit\n%s,41,30,\"rent, food\"\n%s,50,30,\"rent, food\"\n", k2,
             k2);
    ASSERT_STR_EQ(s.buf, want);
    ASSERT_EQ(rep.left_rows, 3);
    ASSERT_EQ(rep.matched_left, 2);
    ASSERT_EQ(rep.unmatched_left, 1);
    ASSERT_EQ(rep.matched_right, 1);
    ASSERT_EQ(rep.unmatched_right, 1);
    ASSERT_EQ(rep.dup_rows_left, 1);
    ASSERT_EQ(rep.pairs, 2);

    /* raw identifiers are refused */
    const char *raw = "pid,x\nRSSMRA85T10A562S,1\n";
    ASSERT_STATUS(sol_csv_open_mem(raw, strlen(raw), "raw.csv", NULL, &l, &e), SOL_OK);
    ASSERT_STATUS(sol_csv_open_mem(right, strlen(right), "r.csv", NULL, &r, &e), SOL_OK);
    ASSERT_STATUS(sol_privacy_link(l, "pid", r, "pid", test_text_write, &s, &rep, &e), SOL_EPARSE);
    ASSERT_STR_EQ(e.where, "raw.csv:2:1");
    sol_csv_close(l);
    sol_csv_close(r);
}

TEST(pseudonymise_stream_drops_and_reports)
{
    const char *csv = "cf,nome,telefono,area,reddito\n"
                      "RSSMRA85T10A562S,Mario,333,058091,12000\n";
    sol_csv *c;
    sol_error e;
    ASSERT_STATUS(sol_csv_open_mem(csv, strlen(csv), "p.csv", NULL, &c, &e), SOL_OK);
    uint8_t key[32] = {1};
    const char *drop[] = {"nome"};
    sol_pseudonymise_opts o = {
        .id_column = "cf", .normalise = SOL_NORM_CODICE_FISCALE, .drop = drop, .n_drop = 1};
    test_text s = {.len = 0};
    sol_pseudonymise_report rep;
    ASSERT_STATUS(sol_privacy_pseudonymise(c, key, &o, test_text_write, &s, &rep, &e), SOL_OK);
    sol_csv_close(c);
    char hex[65], want[256];
    ASSERT_STATUS(
        sol_privacy_pseudonym(key, SOL_NORM_CODICE_FISCALE, "RSSMRA85T10A562S", 16, hex, &e),
        SOL_OK);
    snprintf(want, sizeof want, "cf,telefono,area,reddito\n%s,333,058091,12000\n", hex);
    ASSERT_STR_EQ(s.buf, want);
    ASSERT_EQ(rep.rows_out, 1);
    ASSERT_EQ(rep.n_dropped, 1);
    ASSERT_EQ(rep.n_suspect, 1);
    ASSERT_STR_EQ(rep.suspect[0], "telefono");
    sol_pseudonymise_report_free(&rep);

    const char *empty = "cf,x\n,1\n";
    ASSERT_STATUS(sol_csv_open_mem(empty, strlen(empty), "p.csv", NULL, &c, &e), SOL_OK);
    o.n_drop = 0;
    s.len = 0;
    ASSERT_STATUS(sol_privacy_pseudonymise(c, key, &o, test_text_write, &s, NULL, &e), SOL_EPARSE);
    ASSERT_STR_EQ(e.where, "p.csv:2:1");
    ASSERT_CONTAINS(e.msg, "empty id");
    sol_csv_close(c);
}

/* A store of schema 3 with an audit entry written before the chain existed: after the upgrade,
 * verify skips the unchained entry and chains the new ones. */
TEST(audit_entries_before_the_chain_are_legacy)
{
    const char *p = test_store_target("legacy.db");
    sol_store *st;
    sol_error e;
    ASSERT_STATUS(sol_store_open_at(p, 3, &st, &e), SOL_OK);
    sol_store_close(st);
    tamper(p, "INSERT INTO audit (at, who, action, detail) VALUES ('2026-01-01T00:00:00Z', 'old', "
              "'login', NULL)");
    ASSERT_STATUS(sol_store_open(p, &st, &e), SOL_OK);
    int64_t n = -1;
    char head[65];
    ASSERT_STATUS(sol_audit_verify(st, NULL, &n, head, &e), SOL_OK);
    ASSERT_EQ(n, 0);
    ASSERT_STATUS(sol_store_audit_append(st, NULL, "login", NULL, &e), SOL_OK);
    ASSERT_STATUS(sol_audit_verify(st, NULL, &n, head, &e), SOL_OK);
    ASSERT_EQ(n, 1);
    sol_store_close(st);
    tamper_unguarded(p, "UPDATE audit SET who = 'anyone' WHERE id = 2");
    ASSERT_STATUS(verify_file(p, NULL, &e), SOL_ESTORE);
}

/* ---- disclosure control of the store's counts ------------------------------------------------ */

typedef struct sdc_read {
    char code[16][8];
    double value[16];
    int flags[16];
    size_t n;
} sdc_read;

static int on_sdc_obs(void *ud, const sol_obs *o)
{
    sdc_read *r = ud;
    if (r->n < 16) {
        snprintf(r->code[r->n], sizeof r->code[r->n], "%s", o->area);
        r->value[r->n] = o->value;
        r->flags[r->n++] = o->flags;
    }
    return 0;
}

/* Random three-level hierarchies (a country, three regions, two to four provinces each, every
 * total the sum of its parts) stored as a count indicator: after sol_disclosure_refresh every
 * count 0 < n < k is suppressed, and no suppressed cell is determined by the published ones
 * through the linked tables (a cell is determined exactly when dropping its column from the
 * system of "total - parts = published" equations lowers the rank). */
TEST(store_counts_secondary_suppression_across_levels)
{
    uint64_t seed = 2026;
    int with_secondary = 0;
    for (int t = 0; t < 40; t++) {
        const char *p = test_store_new("sdc.db");
        sol_store *st;
        sol_error e;
        ASSERT_STATUS(sol_store_open(p, &st, &e), SOL_OK);
        ASSERT_STATUS(sol_store_begin(st, &e), SOL_OK);
        sol_source src = {.name = "d",
                          .version = 1,
                          .connector = "csv",
                          .location = "d.csv",
                          .sha256 =
                              "00000000000000000000000000000000000000000000000000000000000000ab",
                          .imported_at = "2026-01-01T00:00:00Z",
                          .tool_version = "0"};
        int64_t sid, iid, pid;
        ASSERT_STATUS(sol_store_source_add(st, &src, &sid, &e), SOL_OK);
        sol_indicator ind = {.code = "n"};
        ASSERT_STATUS(sol_store_indicator_put(st, &ind, 1, &iid, &e), SOL_OK);
        ASSERT_STATUS(sol_store_period_put(st, "2023", 'A', 2023, &pid, &e), SOL_OK);
        /* cells: 0 = country, 1..3 regions, then provinces; parent[] and values */
        int parent[16];
        double v[16] = {0};
        size_t nc = 4;
        parent[0] = -1;
        for (int r = 1; r <= 3; r++) {
            parent[r] = 0;
            size_t kids = 2 + lcg(&seed) % 3;
            for (size_t k = 0; k < kids; k++) {
                parent[nc] = r;
                v[nc] = (double)(lcg(&seed) % 3 == 0 ? lcg(&seed) % 9 : 5 + lcg(&seed) % 60);
                v[r] += v[nc];
                nc++;
            }
            v[0] += v[r];
        }
        char codes[16][24];
        for (size_t i = 0; i < nc; i++) {
            snprintf(codes[i], sizeof codes[i], "A%02zu", i);
            sol_area a = {.code = codes[i],
                          .level = i == 0  ? "country"
                                   : i < 4 ? "region"
                                           : "prov",
                          .parent_code = parent[i] < 0 ? NULL : codes[parent[i]]};
            int64_t aid;
            ASSERT_STATUS(sol_store_area_put(st, &a, &aid, &e), SOL_OK);
            ASSERT_STATUS(sol_store_obs_put(st, iid, aid, pid, v[i], NAN, 0, sid, NULL, &e),
                          SOL_OK);
        }
        ASSERT_STATUS(sol_disclosure_count_indicator(st, "n", 1, &e), SOL_OK);
        ASSERT_STATUS(sol_disclosure_count_indicator(st, "nope", 1, &e), SOL_ENOTFOUND);
        int64_t prim, sec;
        ASSERT_STATUS(sol_disclosure_refresh(st, &prim, &sec, &e), SOL_OK);
        ASSERT_STATUS(sol_store_commit(st, &e), SOL_OK);
        sdc_read rd = {0};
        ASSERT_STATUS(sol_store_observations(st, "n", NULL, on_sdc_obs, &rd, &e), SOL_OK);
        sol_store_close(st);
        ASSERT_EQ(rd.n, nc);
        int supp[16], nu = 0, col[16];
        for (size_t i = 0; i < nc; i++) {
            supp[i] = (rd.flags[i] & SOL_FLAG_SUPPRESSED) != 0; /* A00.. order = cell order */
            if (v[i] > 0 && v[i] < SOL_PRIVACY_DEFAULT_MIN_CELL && !supp[i])
                HARNESS_FAIL("tree %d: small count %g of %s published", t, v[i], rd.code[i]);
            col[i] = supp[i] ? nu++ : -1;
        }
        with_secondary += sec > 0;
        if (nu == 0)
            continue;
        /* one equation per total (country and regions) over the suppressed cells */
        double a[4 * 16], b[4 * 16];
        memset(a, 0, sizeof a);
        for (int r = 0; r < 4; r++) {
            if (col[r] >= 0)
                a[r * nu + col[r]] = 1;
            for (size_t i = 1; i < nc; i++)
                if (parent[i] == r && col[i] >= 0)
                    a[r * nu + col[i]] = -1;
        }
        double tmp[4 * 16];
        memcpy(tmp, a, sizeof a);
        int full = rank_of(tmp, 4, (size_t)nu);
        for (int j = 0; j < nu; j++) {
            for (int r = 0; r < 4; r++)
                for (int k = 0, kk = 0; k < nu; k++)
                    if (k != j)
                        b[r * (nu - 1) + kk++] = a[r * nu + k];
            if (rank_of(b, 4, (size_t)nu - 1) == full - 1)
                HARNESS_FAIL("tree %d: suppressed cell %d is determined by the published ones", t,
                             j);
        }
    }
    ASSERT(with_secondary > 10);
}

/* Linked suppression: a rate computed from a count (and a figure computed from that rate) is
 * withheld wherever the count is, primary or secondary; unrelated figures stay published. */
static void linked_case(const char *file, const int order[5])
{
    const char *p = test_store_new(file);
    sol_store *st;
    sol_error e;
    ASSERT_STATUS(sol_store_open(p, &st, &e), SOL_OK);
    ASSERT_STATUS(sol_store_begin(st, &e), SOL_OK);
    sol_source src = {.name = "d",
                      .version = 1,
                      .connector = "csv",
                      .location = "d.csv",
                      .sha256 = "00000000000000000000000000000000000000000000000000000000000000cd",
                      .imported_at = "2026-01-01T00:00:00Z",
                      .tool_version = "0"};
    int64_t sid, pid, iid[5];
    ASSERT_STATUS(sol_store_source_add(st, &src, &sid, &e), SOL_OK);
    const char *codes[5] = {"n", "pop", "r", "r2", "u"};
    for (int k = 0; k < 5; k++) {
        sol_indicator ind = {.code = codes[order[k]]};
        ASSERT_STATUS(sol_store_indicator_put(st, &ind, 1, &iid[order[k]], &e), SOL_OK);
    }
    ASSERT_STATUS(sol_store_period_put(st, "2023", 'A', 2023, &pid, &e), SOL_OK);
    /* R = A + B + C; A's 4 persons are a small count, B the smallest complement */
    const char *area[4] = {"R", "A", "B", "C"};
    const double n[4] = {60, 4, 26, 30}, pop[4] = {600, 100, 200, 300};
    for (int a = 0; a < 4; a++) {
        sol_area ar = {
            .code = area[a], .level = a ? "town" : "region", .parent_code = a ? "R" : NULL};
        int64_t aid;
        ASSERT_STATUS(sol_store_area_put(st, &ar, &aid, &e), SOL_OK);
        const double val[5] = {n[a], pop[a], 100 * n[a] / pop[a], 2 * n[a] / pop[a], a};
        for (int i = 0; i < 5; i++)
            ASSERT_STATUS(sol_store_obs_put(st, iid[i], aid, pid, val[i], NAN, 0, sid, NULL, &e),
                          SOL_OK);
    }
    ASSERT_STATUS(sol_disclosure_count_indicator(st, "n", 1, &e), SOL_OK);
    ASSERT_STATUS(sol_disclosure_count_indicator(st, "pop", 1, &e), SOL_OK);
    const char *num_r[] = {"n"}, *num_r2[] = {"r"}, *self[] = {"r"};
    ASSERT_STATUS(sol_disclosure_link(st, "r", num_r, 1, "pop", &e), SOL_OK);
    ASSERT_STATUS(sol_disclosure_link(st, "r2", num_r2, 1, NULL, &e), SOL_OK);
    ASSERT_STATUS(sol_disclosure_link(st, "r", self, 1, "pop", &e), SOL_EINVAL);
    ASSERT_STATUS(sol_disclosure_link(st, "nope", num_r, 1, "pop", &e), SOL_ENOTFOUND);
    char d[32], c[32];
    int unknown = 1;
    ASSERT_STATUS(sol_disclosure_unknown_component(st, d, sizeof d, c, sizeof c, &unknown, &e),
                  SOL_OK);
    ASSERT_EQ(unknown, 0);
    int64_t prim = 0, sec = 0;
    ASSERT_STATUS(sol_disclosure_refresh(st, &prim, &sec, &e), SOL_OK);
    ASSERT_EQ(prim, 1); /* A's count */
    ASSERT_EQ(sec, 5);  /* B's count, then r and r2 of A and B */
    /* a relation to an indicator the store lacks is found */
    const char *typo[] = {"m"};
    ASSERT_STATUS(sol_disclosure_link(st, "u", typo, 1, NULL, &e), SOL_OK);
    ASSERT_STATUS(sol_disclosure_unknown_component(st, d, sizeof d, c, sizeof c, &unknown, &e),
                  SOL_OK);
    ASSERT_EQ(unknown, 1);
    ASSERT_STR_EQ(d, "u");
    ASSERT_STR_EQ(c, "m");
    ASSERT_STATUS(sol_store_commit(st, &e), SOL_OK);
    const int withheld[5][4] = {
        {0, 1, 1, 0}, {0, 0, 0, 0}, {0, 1, 1, 0}, {0, 1, 1, 0}, {0, 0, 0, 0}};
    for (int i = 0; i < 5; i++) {
        sdc_read rd = {0};
        ASSERT_STATUS(sol_store_observations(st, codes[i], NULL, on_sdc_obs, &rd, &e), SOL_OK);
        ASSERT_EQ(rd.n, 4);
        for (size_t k = 0; k < rd.n; k++) {
            int a = rd.code[k][0] == 'R' ? 0 : rd.code[k][0] - 'A' + 1;
            if (((rd.flags[k] & SOL_FLAG_SUPPRESSED) != 0) != withheld[i][a])
                HARNESS_FAIL("%s in %s: withheld %d, expected %d", codes[i], rd.code[k],
                             (rd.flags[k] & SOL_FLAG_SUPPRESSED) != 0, withheld[i][a]);
        }
    }
    sol_store_close(st);
}

TEST(store_linked_rates_follow_counts)
{
    linked_case("linked.db", (const int[5]){0, 1, 2, 3, 4});
}

/* The chain n -> r -> r2 withheld whole when the derived figures were made first: one pass over
 * the links may not reach r2 (SQLite visits the rows in key order, PostgreSQL's UPDATE does not
 * see its own changes), so refresh repeats the links until a pass withholds nothing. */
TEST(store_linked_chain_in_any_order)
{
    linked_case("linked-rev.db", (const int[5]){3, 2, 4, 1, 0});
}

/* Nested area tables (sol_privacy_suppress_nested), worked by hand. A region R = 100 holds two
 * provinces, P1 = 96 (municipalities M1 = 30, M2 = 26, M3 = 40) and P2 = 4 (M4 = 1, M5 = 3);
 * P2, M4 and M5 are below k and enter as primaries. The groups are visited in the order P1's
 * table, P2's table, R's table:
 *  round 1: P1's table has nothing suppressed; P2's has all three entries suppressed (nothing to
 *           add); in R's table P2 is the only suppressed entry, so it would be R - P1: the
 *           cheapest published entry is chosen, P1 (cost 96 + 1) rather than R (100 + 1);
 *  round 2: P1 is now alone suppressed in its own table (P1 = M1 + M2 + M3 would give it back),
 *           so its cheapest published entry is chosen, M2 (26 + 1, against 31, 41);
 *  round 3: every table holds 0 or >= 2 suppressed entries: nothing changes.
 * So two secondaries, P1 and M2, found only because the tables are visited again. */
TEST(nested_area_tables_secondary_by_hand)
{
    enum { R_, P1, P2, M1, M2, M3, M4, M5, NC };
    const double value[NC] = {100, 96, 4, 30, 26, 40, 1, 3};
    unsigned char sdc[NC] = {0};
    sdc[P2] = sdc[M4] = sdc[M5] = SOL_CELL_PRIMARY;
    const size_t members[] = {P1, M1, M2, M3, /* */ P2, M4, M5, /* */ R_, P1, P2};
    const size_t start[] = {0, 4, 7, 10};
    sol_sdc_nested t = {
        .ncells = NC, .value = value, .sdc = sdc, .ngroups = 3, .start = start, .members = members};
    size_t added = 99;
    ASSERT_STATUS(sol_privacy_suppress_nested(&t, &added, NULL), SOL_OK);
    ASSERT_EQ(added, 2);
    const unsigned char want[NC] = {SOL_CELL_PUBLISHED, SOL_CELL_SECONDARY, SOL_CELL_PRIMARY,
                                    SOL_CELL_PUBLISHED, SOL_CELL_SECONDARY, SOL_CELL_PUBLISHED,
                                    SOL_CELL_PRIMARY,   SOL_CELL_PRIMARY};
    for (int i = 0; i < NC; i++)
        if (sdc[i] != want[i])
            HARNESS_FAIL("cell %d: flag %d, expected %d", i, sdc[i], want[i]);
    /* a second call finds the tables protected: nothing more */
    ASSERT_STATUS(sol_privacy_suppress_nested(&t, &added, NULL), SOL_OK);
    ASSERT_EQ(added, 0);
    /* a member naming a cell that does not exist is refused, and nothing is changed */
    const size_t bad[] = {P1, M1, NC};
    const size_t bad_start[] = {0, 3};
    sol_sdc_nested b = {
        .ncells = NC, .value = value, .sdc = sdc, .ngroups = 1, .start = bad_start, .members = bad};
    ASSERT_STATUS(sol_privacy_suppress_nested(&b, &added, NULL), SOL_EINVAL);
    ASSERT_EQ(sdc[M1], SOL_CELL_PUBLISHED);
}

/* Who sees a withheld value: analysts and admins do, the public and visitors do not; only the
 * suppressed flag withholds (an estimate is published with its flag). */
TEST(withhold_rule_by_role)
{
    ASSERT_EQ(sol_withhold_sees(SOL_ROLE_ANON), 0);
    ASSERT_EQ(sol_withhold_sees(SOL_ROLE_PUBLIC), 0);
    ASSERT_EQ(sol_withhold_sees(SOL_ROLE_ANALYST), 1);
    ASSERT_EQ(sol_withhold_sees(SOL_ROLE_ADMIN), 1);
    ASSERT_EQ(sol_withhold_obs(SOL_FLAG_SUPPRESSED | SOL_FLAG_ESTIMATED, SOL_ROLE_PUBLIC), 1);
    ASSERT_EQ(sol_withhold_obs(SOL_FLAG_SUPPRESSED, SOL_ROLE_ANON), 1);
    ASSERT_EQ(sol_withhold_obs(SOL_FLAG_SUPPRESSED, SOL_ROLE_ANALYST), 0);
    ASSERT_EQ(sol_withhold_obs(SOL_FLAG_ESTIMATED | SOL_FLAG_PROVISIONAL, SOL_ROLE_PUBLIC), 0);
    double x[4] = {1, 2, 3, 4};
    const unsigned char w[4] = {0, 1, 0, 1};
    ASSERT_EQ(sol_withhold_blank(x, w, 4), 2);
    ASSERT(x[0] == 1 && isnan(x[1]) && x[2] == 3 && isnan(x[3]));
    ASSERT_EQ(sol_withhold_blank(x, NULL, 4), 0);
    ASSERT(x[0] == 1);
}
