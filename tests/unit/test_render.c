/* test_render.c - class breaks against R classInt (tests/data/classint_lazio), palettes, number
 * formatting, the SVG writer (well-formed, escaped, accessible) and PNG/PDF output. */
#include "harness.h"

#include <solidata/csv.h>
#include <solidata/geo.h>
#include <solidata/i18n.h>
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

static int read_file(const char *path, unsigned char *buf, size_t cap, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    *n = fread(buf, 1, cap, f);
    fclose(f);
    return 0;
}

static const char *tmpdir(void)
{
    const char *t = getenv("SOL_TEST_TMP");
    return t && *t ? t : "/tmp";
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

/* One method on the three variables, three class counts each. */
static void check_vars(sol_class_method m)
{
    int nc = 0;
    for (int v = 0; v < 3; v++)
        check_method(VARS[v], m, &nc);
    ASSERT_EQ(nc, 9);
}

TEST(breaks_quantile_vs_classint)
{
    check_vars(SOL_CLASS_QUANTILE);
}

TEST(breaks_equal_vs_classint)
{
    check_vars(SOL_CLASS_EQUAL);
}

TEST(breaks_jenks_vs_classint)
{
    check_vars(SOL_CLASS_JENKS);
}

TEST(breaks_sd_vs_classint)
{
    check_vars(SOL_CLASS_SD);
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
    uint32_t c[257];
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
    ASSERT_STR_EQ(b, "\xE2\x88\x92"
                     "12.5");
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

/* ---- the SVG writer ------------------------------------------------------------------------ */

/* A layer of two unit squares side by side, the second with a hole, named with XML specials. */
typedef struct toy {
    sol_layer l;
    sol_feature f[3];
    sol_polygon pg[3];
    sol_ring rings[4];
    double xy[4][10];
} toy;

static void square(double *xy, double x0, double y0, double size)
{
    double p[10] = {x0, y0, x0 + size, y0, x0 + size, y0 + size, x0, y0 + size, x0, y0};
    memcpy(xy, p, sizeof p);
}

static void toy_init(toy *t)
{
    memset(t, 0, sizeof *t);
    square(t->xy[0], 12.0, 41.0, 1.0);
    square(t->xy[1], 13.0, 41.0, 1.0);
    square(t->xy[2], 13.25, 41.25, 0.5); /* hole of the second square */
    square(t->xy[3], 14.0, 41.0, 1.0);
    for (int r = 0; r < 4; r++) {
        t->rings[r].n = 5;
        t->rings[r].xy = t->xy[r];
    }
    static char *codes[3] = {"A1", "B<2>", "C3"};
    static char *names[3] = {"Alpha", "Tom & \"Jerry\" <b>", NULL};
    t->pg[0] = (sol_polygon){1, &t->rings[0]};
    t->pg[1] = (sol_polygon){2, &t->rings[1]};
    t->pg[2] = (sol_polygon){1, &t->rings[3]};
    for (int i = 0; i < 3; i++) {
        t->f[i].code = codes[i];
        t->f[i].name = names[i];
        t->f[i].nparts = 1;
        t->f[i].parts = &t->pg[i];
        sol_feature_summarise(&t->f[i]);
    }
    t->l.n = 3;
    t->l.f = t->f;
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* A tiny well-formedness check: tags nest and close in order, attribute values are quoted,
 * every '&' starts an entity, and no raw '<' or '>' appears in text. Returns 0 when well formed. */
static int xml_check(const char *s)
{
    const char *stack[64];
    size_t depth = 0, lens[64];
    const char *p = s;
    if (strncmp(p, "<?xml", 5) == 0)
        p = strstr(p, "?>") + 2;
    while (*p) {
        if (*p == '&') {
            const char *e = p + 1;
            while (*e && *e != ';' && *e != '&' && *e != '<' && e - p < 10)
                e++;
            if (*e != ';')
                return 1;
            p = e + 1;
        } else if (*p == '>') {
            return 2;
        } else if (*p == '<') {
            int closing = p[1] == '/';
            const char *nm = p + 1 + closing, *e = nm;
            while (*e && *e != ' ' && *e != '>' && *e != '/' && *e != '\n')
                e++;
            size_t nl = (size_t)(e - nm);
            /* skip attributes: quoted values may hold '>' only as an entity */
            const char *q = e;
            while (*q && *q != '>') {
                if (*q == '"') {
                    q++;
                    while (*q && *q != '"') {
                        if (*q == '<' || *q == '>')
                            return 3;
                        q++;
                    }
                }
                if (*q == '<')
                    return 4;
                q++;
            }
            if (*q != '>')
                return 5;
            int selfclose = q[-1] == '/';
            if (closing) {
                if (depth == 0 || lens[depth - 1] != nl || strncmp(stack[depth - 1], nm, nl))
                    return 6;
                depth--;
            } else if (!selfclose) {
                if (depth == 64)
                    return 7;
                stack[depth] = nm;
                lens[depth++] = nl;
            }
            p = q + 1;
        } else {
            p++;
        }
    }
    return depth == 0 ? 0 : 8;
}

static void toy_map(toy *t, sol_map *m, int *cls, double *val, uint32_t *col, sol_breaks **b)
{
    toy_init(t);
    val[0] = 10.5;
    val[1] = NAN;
    val[2] = 31.25;
    double ref[5] = {10.5, 14, 20, 26, 31.25}; /* equal, 2 classes: 10.5, 20.875, 31.25 */
    sol_render_breaks(ref, 5, SOL_CLASS_EQUAL, 2, b, NULL);
    for (int i = 0; i < 3; i++)
        cls[i] = sol_render_class_of(*b, val[i]);
    sol_render_palette("Blues", 2, col, NULL);
    sol_map_init(m);
    m->layer = &t->l;
    m->cls = cls;
    m->value = val;
    m->breaks = *b;
    m->nclasses = (*b)->nclasses;
    m->colour = col;
    m->title = "Poverty <&> \"need\"";
    m->subtitle = "2021";
    m->legend_title = "Share (%)";
    m->source = "MEF & ISTAT";
    m->licence = "CC BY 4.0";
    m->thousands = ",";
}

TEST(svg_well_formed_escaped_accessible)
{
    toy t;
    sol_map m;
    int cls[3];
    double val[3];
    uint32_t col[2];
    sol_breaks *b = NULL;
    toy_map(&t, &m, cls, val, col, &b);
    char *svg = NULL;
    size_t len = 0;
    sol_error err;
    ASSERT_STATUS(sol_map_svg(&m, &svg, &len, &err), SOL_OK);
    ASSERT_EQ(strlen(svg), len);
    ASSERT_EQ(xml_check(svg), 0);
    ASSERT_EQ(count(svg, "<path "), 3);
    ASSERT_EQ(count(svg, "</path>"), 3);
    ASSERT_CONTAINS(svg, "role=\"img\"");
    ASSERT_CONTAINS(svg, "aria-label=\"Poverty &lt;&amp;&gt; &quot;need&quot;\"");
    ASSERT_CONTAINS(svg, "<title id=\"map-title\">Poverty &lt;&amp;&gt; &quot;need&quot;</title>");
    ASSERT_CONTAINS(svg, "<desc id=\"map-desc\">");
    ASSERT_CONTAINS(svg, "<title>Tom &amp; &quot;Jerry&quot; &lt;b&gt;: no data</title>");
    ASSERT_CONTAINS(svg, "data-code=\"B&lt;2&gt;\"");
    ASSERT_CONTAINS(svg, "id=\"area-B_2_\"");
    ASSERT_CONTAINS(svg, "data-code=\"A1\" data-value=\"10.5\" data-class=\"1\"");
    ASSERT_CONTAINS(svg, "data-class=\"nodata\" fill=\"url(#nodata)\"");
    ASSERT_CONTAINS(svg, "<title>Alpha: 10.5</title>");
    ASSERT_CONTAINS(svg, "<title>C3: 31.25</title>"); /* no name: the code */
    ASSERT_CONTAINS(svg, "Source: MEF &amp; ISTAT");
    ASSERT_CONTAINS(svg, "Licence: CC BY 4.0");
    ASSERT_CONTAINS(svg, ">No data</text>");
    /* equal breaks 10.5, 20.875, 31.25: gap 10.4 -> 0 decimals (10.5 rounds to even) */
    ASSERT_CONTAINS(svg, ">10 \xE2\x80\x93 21</text>");
    ASSERT_EQ(count(svg, "class=\"legend-item\""), 3);
    /* the hole is a second subpath of the same path */
    const char *pb = strstr(svg, "id=\"area-B_2_\"");
    ASSERT(pb != NULL);
    const char *pe = strstr(pb, "</path>");
    size_t nm = 0;
    for (const char *q = pb; q < pe; q++)
        nm += *q == 'M';
    ASSERT_EQ(nm, 2);
    sol_free(svg);
    sol_breaks_free(b);
}

/* The map's own words follow sol_map.lang; the words the caller gives are left alone. */
TEST(svg_words_in_the_map_language)
{
    static const char *const want[3][5] = {
        {"en", ">No data</text>", "Source: MEF", ">number of areas</text>", ": no data</title>"},
        {"it", ">Nessun dato</text>", "Fonte: MEF", ">numero di aree</text>",
         ": nessun dato</title>"},
        {"fr", ">Pas de données</text>", "Source : MEF", ">nombre de territoires</text>",
         ": pas de données</title>"}};
    for (int l = 0; l < 3; l++) {
        toy t;
        sol_map m;
        int cls[3];
        double val[3];
        uint32_t col[2];
        sol_breaks *b = NULL;
        toy_map(&t, &m, cls, val, col, &b);
        m.lang = want[l][0];
        char *svg = NULL;
        size_t len = 0;
        ASSERT_STATUS(sol_map_svg(&m, &svg, &len, NULL), SOL_OK);
        ASSERT_EQ(xml_check(svg), 0);
        for (int k = 1; k < 5; k++)
            ASSERT_CONTAINS(svg, want[l][k]);
        ASSERT_CONTAINS(svg, "Share (%)");
        if (l > 0) {
            ASSERT(strstr(svg, "No data") == NULL);
            ASSERT(strstr(svg, "number of areas") == NULL);
            ASSERT(strstr(svg, "Licence: ") == NULL);
        }
        sol_free(svg);
        sol_breaks_free(b);
    }
}

/* Numbers as the map's language writes them, the thread's language when `lang` is NULL, and the
 * credit line (title and day made) under "not stated" source and licence lines. */
TEST(svg_numbers_credit_and_thread_language)
{
    toy t;
    sol_map m;
    int cls[3];
    double val[3];
    uint32_t col[2];
    sol_breaks *b = NULL;
    toy_map(&t, &m, cls, val, col, &b);
    m.lang = "fr";
    m.lang_numbers = 1;
    m.credit = 1;
    m.source = NULL;
    m.licence = NULL;
    m.title = "Pauvreté";
    m.produced = 1796558400; /* 2026-12-06 12:00 UTC */
    char *svg = NULL;
    size_t len = 0;
    ASSERT_STATUS(sol_map_svg(&m, &svg, &len, NULL), SOL_OK);
    ASSERT_EQ(xml_check(svg), 0);
    ASSERT_CONTAINS(svg, "<title>Alpha: 10,5</title>");
    ASSERT_CONTAINS(svg, "<title>C3: 31,25</title>");
    ASSERT_CONTAINS(svg, "Source : non indiquée");
    ASSERT_CONTAINS(svg, "Pauvreté. Carte réalisée avec solidata le 6 décembre 2026.");
    sol_free(svg);
    m.lang = "en";
    ASSERT_STATUS(sol_map_svg(&m, &svg, &len, NULL), SOL_OK);
    ASSERT_CONTAINS(svg, "<title>Alpha: 10.5</title>");
    ASSERT_CONTAINS(svg, "Source: not stated");
    ASSERT_CONTAINS(svg, "Licence: not stated");
    ASSERT_CONTAINS(svg, "Pauvreté. Map made with solidata on 6 December 2026.");
    sol_free(svg);
    /* no language given: the thread's */
    m.lang = NULL;
    sol_lang_set_thread(SOL_LANG_IT);
    ASSERT_STATUS(sol_map_svg(&m, &svg, &len, NULL), SOL_OK);
    sol_lang_set_thread(-1);
    ASSERT_CONTAINS(svg, ">Nessun dato</text>");
    ASSERT_CONTAINS(svg, "Mappa realizzata con solidata il 6 dicembre 2026.");
    sol_free(svg);
    /* without credit, the footer holds only what was given */
    m.credit = 0;
    m.lang = "en";
    ASSERT_STATUS(sol_map_svg(&m, &svg, &len, NULL), SOL_OK);
    ASSERT(strstr(svg, "not stated") == NULL);
    ASSERT(strstr(svg, "Map made with") == NULL);
    sol_free(svg);
    sol_breaks_free(b);
}

TEST(svg_categories_and_bad_input)
{
    toy t;
    toy_init(&t);
    static const char *const key[2] = {"HH", "NS"};
    static const char *const lab[2] = {"High-High", "Not significant"};
    uint32_t col[2];
    sol_render_lisa_colour("HH", &col[0]);
    sol_render_lisa_colour("NS", &col[1]);
    int cls[3] = {0, 1, -1};
    sol_map m;
    sol_map_init(&m);
    m.layer = &t.l;
    m.cls = cls;
    m.nclasses = 2;
    m.colour = col;
    m.label = lab;
    m.class_key = key;
    char *svg = NULL;
    size_t len;
    sol_error err;
    ASSERT_STATUS(sol_map_svg(&m, &svg, &len, &err), SOL_OK);
    ASSERT_EQ(xml_check(svg), 0);
    ASSERT_CONTAINS(svg, "data-class=\"HH\" fill=\"#FF0000\"");
    ASSERT_CONTAINS(svg, "data-class=\"NS\" fill=\"#EEEEEE\"");
    ASSERT_CONTAINS(svg, "<title>Alpha: High-High</title>");
    ASSERT(strstr(svg, "data-value") == NULL);
    sol_free(svg);
    cls[2] = 2; /* out of range */
    svg = NULL;
    ASSERT_STATUS(sol_map_svg(&m, &svg, &len, &err), SOL_EINVAL);
    ASSERT(svg == NULL);
    ASSERT_CONTAINS(err.msg, "C3");
    m.layer = NULL;
    ASSERT_STATUS(sol_map_svg(&m, &svg, &len, &err), SOL_EINVAL);
    sol_map_format f;
    ASSERT_STATUS(sol_map_format_from_path("x/map.PNG", &f), SOL_OK);
    ASSERT_EQ(f, SOL_MAP_PNG);
    ASSERT_STATUS(sol_map_format_from_path("map.pdf", &f), SOL_OK);
    ASSERT_EQ(f, SOL_MAP_PDF);
    ASSERT_STATUS(sol_map_format_from_path("map.jpeg", &f), SOL_EINVAL);
    ASSERT_STATUS(sol_map_format_from_path("map", &f), SOL_EINVAL);
}

/* ---- PNG and PDF --------------------------------------------------------------------------- */

TEST(png_and_pdf)
{
    toy t;
    sol_map m;
    int cls[3];
    double val[3];
    uint32_t col[2];
    sol_breaks *b = NULL;
    toy_map(&t, &m, cls, val, col, &b);
    m.width = 640;
    m.height = 480;
    char png[512], pdf[512], svgp[512];
    snprintf(png, sizeof png, "%s/map.png", tmpdir());
    snprintf(pdf, sizeof pdf, "%s/map.pdf", tmpdir());
    snprintf(svgp, sizeof svgp, "%s/map.svg", tmpdir());
    sol_error err;
    ASSERT_STATUS(sol_map_write(&m, png, SOL_MAP_PNG, 1, &err), SOL_OK);
    ASSERT_STATUS(sol_map_write(&m, pdf, SOL_MAP_PDF, 1, &err), SOL_OK);
    ASSERT_STATUS(sol_map_write(&m, svgp, SOL_MAP_SVG, 1, &err), SOL_OK);
    unsigned char buf[64];
    size_t n = 0;
    ASSERT_EQ(read_file(png, buf, sizeof buf, &n), 0);
    ASSERT(n >= 8 && memcmp(buf, "\x89PNG\r\n\x1a\n", 8) == 0);
    cairo_surface_t *s = cairo_image_surface_create_from_png(png);
    ASSERT_EQ(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    ASSERT_EQ(cairo_image_surface_get_width(s), 640);
    ASSERT_EQ(cairo_image_surface_get_height(s), 480);
    /* the paper is white and something was drawn: corner white, not every pixel white */
    cairo_surface_flush(s);
    const unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    ASSERT_EQ(*(const uint32_t *)px, 0xFFFFFFFFu);
    size_t nonwhite = 0;
    for (int y = 0; y < 480; y++)
        for (int x = 0; x < 640; x++)
            nonwhite += *(const uint32_t *)(px + y * stride + 4 * x) != 0xFFFFFFFFu;
    ASSERT(nonwhite > 1000);
    cairo_surface_destroy(s);
    ASSERT_EQ(read_file(pdf, buf, sizeof buf, &n), 0);
    ASSERT(n >= 5 && memcmp(buf, "%PDF-", 5) == 0);
    ASSERT_EQ(read_file(svgp, buf, sizeof buf, &n), 0);
    ASSERT(n >= 5 && memcmp(buf, "<?xml", 5) == 0);
    /* scale 2 doubles the pixels */
    ASSERT_STATUS(sol_map_write(&m, png, SOL_MAP_PNG, 2, &err), SOL_OK);
    s = cairo_image_surface_create_from_png(png);
    ASSERT_EQ(cairo_image_surface_get_width(s), 1280);
    cairo_surface_destroy(s);
    /* errors come back, nothing printed */
    ASSERT_STATUS(sol_map_write(&m, "/nonexistent-dir/x.png", SOL_MAP_PNG, 1, &err), SOL_EIO);
    ASSERT_CONTAINS(err.where, "/nonexistent-dir/x.png");
    ASSERT_STATUS(sol_map_write(&m, "/nonexistent-dir/x.pdf", SOL_MAP_PDF, 1, &err), SOL_EIO);
    ASSERT_STATUS(sol_render_svg_to_file("<svg", 4, png, SOL_MAP_PNG, 1, &err), SOL_EPARSE);
    sol_breaks_free(b);
}
