/* test_render.c - class breaks against R classInt (tests/data/classint_lazio), palettes, number
 * formatting, the SVG writer (well-formed, escaped, accessible) and PNG/PDF output. */
#include "harness.h"

#include <solidata/csv.h>
#include <solidata/geo.h>
#include <solidata/render.h>

#include <cairo.h>
#include <stdint.h>

#define CASE "tests/data/classint_lazio/"

/* ---- helpers ------------------------------------------------------------------------------- */

/* Column `col` of CASE/lazio_irpef_2021.csv as numbers (missing = NaN). */
static size_t read_var(const char *col, double *x, size_t cap)
{
    sol_csv *c = NULL;
    sol_error err;
    if (sol_csv_open(CASE "lazio_irpef_2021.csv", NULL, &c, &err) != SOL_OK)
        return 0;
    long j = sol_csv_colindex(c, col);
    size_t n = 0;
    while (j >= 0 && n < cap && sol_csv_next(c, &err) == SOL_OK) {
        size_t len;
        const char *s = sol_csv_field(c, (size_t)j, &len);
        double v = NAN;
        if (!sol_is_missing(s, len) && sol_parse_number(s, len, 0, &v) != SOL_OK)
            v = NAN;
        x[n++] = v;
    }
    sol_csv_close(c);
    return n;
}

/* One reference case: the breaks (and class counts) R wrote for var/style/k. */
typedef struct refcase {
    double brk[64];
    size_t nbrk;
    long count[64];
    size_t ncount;
} refcase;

static int read_ref(const char *var, const char *style, int k, refcase *r)
{
    memset(r, 0, sizeof *r);
    const char *files[2] = {CASE "expected_breaks.csv", CASE "expected_counts.csv"};
    for (int f = 0; f < 2; f++) {
        sol_csv *c = NULL;
        sol_error err;
        if (sol_csv_open(files[f], NULL, &c, &err) != SOL_OK)
            return -1;
        while (sol_csv_next(c, &err) == SOL_OK) {
            if (strcmp(sol_csv_field(c, 0, NULL), var) != 0 ||
                strcmp(sol_csv_field(c, 1, NULL), style) != 0 ||
                strtol(sol_csv_field(c, 2, NULL), NULL, 10) != k)
                continue;
            const char *s = sol_csv_field(c, 4, NULL);
            if (f == 0 && r->nbrk < 64)
                r->brk[r->nbrk++] = strtod(s, NULL);
            else if (f == 1 && r->ncount < 64)
                r->count[r->ncount++] = strtol(s, NULL, 10);
        }
        sol_csv_close(c);
    }
    return r->nbrk > 0 ? 0 : -1;
}

/* ---- class breaks vs R classInt ------------------------------------------------------------ */

static void check_method(const char *var, sol_class_method m, int *ncases)
{
    static double x[1000];
    size_t n = read_var(var, x, 1000);
    ASSERT_EQ(n, 378);
    const int ks[] = {3, 5, 7};
    for (int t = 0; t < 3; t++) {
        refcase r;
        ASSERT_EQ(read_ref(var, sol_render_class_method_name(m), ks[t], &r), 0);
        sol_breaks *b = NULL;
        sol_error err;
        ASSERT_STATUS(sol_render_breaks(x, n, m, (unsigned)ks[t], &b, &err), SOL_OK);
        if (b->nclasses + 1 != r.nbrk) {
            fprintf(stderr, "  %s %s k=%d: %zu breaks, R has %zu\n", var,
                    sol_render_class_method_name(m), ks[t], b->nclasses + 1, r.nbrk);
            sol_breaks_free(b);
            ASSERT(0);
        }
        for (size_t i = 0; i < r.nbrk; i++) {
            double g = b->brk[i], w = r.brk[i];
            if (!(fabs(g - w) <= 1e-12 * fmax(fabs(w), 1e-300))) {
                fprintf(stderr, "  %s %s k=%d break %zu: %.17g, R %.17g\n", var,
                        sol_render_class_method_name(m), ks[t], i, g, w);
                sol_breaks_free(b);
                ASSERT(0);
            }
        }
        long count[64] = {0};
        for (size_t i = 0; i < n; i++) {
            int c = sol_render_class_of(b, x[i]);
            if (c >= 0)
                count[c]++;
        }
        ASSERT_EQ(r.ncount, b->nclasses);
        for (size_t c = 0; c < r.ncount; c++)
            ASSERT_EQ(count[c], r.count[c]);
        ASSERT_EQ(b->right_closed, m == SOL_CLASS_JENKS);
        sol_breaks_free(b);
        (*ncases)++;
    }
}

static const char *const VARS[] = {"pct_income_0_10k", "mean_taxable_income_eur",
                                   "pct_self_employed"};

TEST(breaks_quantile_vs_classint)
{
    int nc = 0;
    for (int v = 0; v < 3; v++)
        check_method(VARS[v], SOL_CLASS_QUANTILE, &nc);
    ASSERT_EQ(nc, 9);
}

TEST(breaks_equal_vs_classint)
{
    int nc = 0;
    for (int v = 0; v < 3; v++)
        check_method(VARS[v], SOL_CLASS_EQUAL, &nc);
    ASSERT_EQ(nc, 9);
}

TEST(breaks_jenks_vs_classint)
{
    int nc = 0;
    for (int v = 0; v < 3; v++)
        check_method(VARS[v], SOL_CLASS_JENKS, &nc);
    ASSERT_EQ(nc, 9);
}

TEST(breaks_sd_vs_classint)
{
    int nc = 0;
    for (int v = 0; v < 3; v++)
        check_method(VARS[v], SOL_CLASS_SD, &nc);
    ASSERT_EQ(nc, 9);
}

TEST(breaks_missing_counted_and_errors)
{
    static double x[1000];
    size_t n = read_var("pct_self_employed", x, 1000);
    sol_breaks *b = NULL;
    sol_error err;
    ASSERT_STATUS(sol_render_breaks(x, n, SOL_CLASS_QUANTILE, 5, &b, &err), SOL_OK);
    ASSERT_EQ(b->nmissing, 72); /* suppressed at source in 2021, see the data README */
    ASSERT_EQ(b->n, 306);
    ASSERT_EQ(sol_render_class_of(b, NAN), -1);
    sol_breaks_free(b);
    double one[3] = {2, 2, NAN};
    b = NULL;
    ASSERT_STATUS(sol_render_breaks(one, 3, SOL_CLASS_EQUAL, 5, &b, &err), SOL_EINVAL);
    ASSERT(b == NULL);
    ASSERT_CONTAINS(err.msg, "distinct");
    ASSERT_STATUS(sol_render_breaks(x, n, SOL_CLASS_EQUAL, 1, &b, &err), SOL_EINVAL);
    sol_class_method m;
    ASSERT_STATUS(sol_render_class_method_parse("jenks", &m), SOL_OK);
    ASSERT_EQ(m, SOL_CLASS_JENKS);
    ASSERT_STATUS(sol_render_class_method_parse("fisher", &m), SOL_EINVAL);
}

TEST(breaks_few_distinct_values_one_class_each)
{
    /* classIntervals(c(1, 2, 2, 4), 5, "equal") resets n to 3 distinct values, "unique" style:
     * breaks 1 - 1.5/2, 1.5, 3, 4 + 1.5/2 (mean gap 1.5) */
    double x[4] = {1, 2, 2, 4};
    sol_breaks *b = NULL;
    ASSERT_STATUS(sol_render_breaks(x, 4, SOL_CLASS_EQUAL, 5, &b, NULL), SOL_OK);
    ASSERT_EQ(b->nclasses, 3);
    ASSERT(b->unique);
    ASSERT_REL(b->brk[0], 0.25, 1e-15);
    ASSERT_REL(b->brk[1], 1.5, 1e-15);
    ASSERT_REL(b->brk[2], 3.0, 1e-15);
    ASSERT_REL(b->brk[3], 4.75, 1e-15);
    ASSERT_EQ(sol_render_class_of(b, 2), 1);
    sol_breaks_free(b);
}

/* ---- palettes and numbers ------------------------------------------------------------------ */

TEST(palettes)
{
    uint32_t c[256];
    sol_error err;
    for (size_t i = 0; sol_render_palette_info(i) != NULL; i++) {
        const sol_palette_info *p = sol_render_palette_info(i);
        for (size_t k = 1; k <= p->kmax; k++) {
            memset(c, 0xFF, sizeof c);
            ASSERT_STATUS(sol_render_palette(p->name, k, c, &err), SOL_OK);
            for (size_t j = 0; j < k; j++) {
                ASSERT(c[j] <= 0xFFFFFFu);
                ASSERT(c[j] != SOL_RENDER_NODATA_HATCH);
            }
            ASSERT(c[k] == 0xFFFFFFFFu); /* nothing written past k */
        }
        ASSERT_STATUS(sol_render_palette(p->name, p->kmax + 1, c, &err), SOL_EINVAL);
    }
    /* ColorBrewer YlOrRd 5 (colorbrewer2.org) */
    ASSERT_STATUS(sol_render_palette("YlOrRd", 5, c, &err), SOL_OK);
    ASSERT_EQ(c[0], 0xFFFFB2);
    ASSERT_EQ(c[4], 0xBD0026);
    ASSERT_STATUS(sol_render_palette("RdBu-r", 5, c, &err), SOL_OK);
    ASSERT_EQ(c[0], 0x0571B0);
    ASSERT_EQ(c[4], 0xCA0020);
    ASSERT_STATUS(sol_render_palette("viridis", 2, c, &err), SOL_OK);
    ASSERT_EQ(c[0], 0x440154); /* viridis ends */
    ASSERT_EQ(c[1], 0xFDE725);
    ASSERT_STATUS(sol_render_palette("Rainbow", 5, c, &err), SOL_EINVAL);
    ASSERT_CONTAINS(err.msg, "unknown palette 'Rainbow'");
    ASSERT_CONTAINS(err.msg, "viridis");
    uint32_t lc;
    ASSERT_STATUS(sol_render_lisa_colour("HH", &lc), SOL_OK);
    ASSERT_EQ(lc, 0xFF0000);
    ASSERT_STATUS(sol_render_lisa_colour("LH", &lc), SOL_OK);
    ASSERT_EQ(lc, 0xA7ADF9);
    ASSERT_STATUS(sol_render_lisa_colour("NS", &lc), SOL_OK);
    ASSERT_EQ(lc, 0xEEEEEE);
    ASSERT_STATUS(sol_render_lisa_colour("XX", &lc), SOL_EINVAL);
}

TEST(format_number)
{
    char b[64];
    ASSERT_STATUS(sol_render_format_number(1234567.891, 2, ",", 0, b, sizeof b), SOL_OK);
    ASSERT_STR_EQ(b, "1,234,567.89");
    ASSERT_STATUS(sol_render_format_number(1234567.891, 0, ".", ',', b, sizeof b), SOL_OK);
    ASSERT_STR_EQ(b, "1.234.568");
    ASSERT_STATUS(sol_render_format_number(-0.04, 1, NULL, ',', b, sizeof b), SOL_OK);
    ASSERT_STR_EQ(b, "0,0");
    ASSERT_STATUS(sol_render_format_number(-12.5, 1, NULL, 0, b, sizeof b), SOL_OK);
    ASSERT_STR_EQ(b, "\xE2\x88\x92" "12.5");
    ASSERT_STATUS(sol_render_format_number(NAN, 1, NULL, 0, b, sizeof b), SOL_OK);
    ASSERT_STR_EQ(b, "no data");
    ASSERT_STATUS(sol_render_format_number(123456, 0, ",", 0, b, 4), SOL_ELIMIT);
    ASSERT_EQ(strlen(b), 3);
    sol_breaks br = {.nclasses = 2, .brk = (double[]){18.81, 28.326, 30.138}};
    ASSERT_EQ(sol_render_auto_decimals(&br), 1);
    sol_breaks bi = {.nclasses = 2, .brk = (double[]){9000, 12000, 15000}};
    ASSERT_EQ(sol_render_auto_decimals(&bi), 0);
    sol_breaks bc = {.nclasses = 2, .brk = (double[]){1.0, 1.04, 1.06}};
    ASSERT_EQ(sol_render_auto_decimals(&bc), 3); /* gap 0.02: 2 + 1 */
}
