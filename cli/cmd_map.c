/* cmd_map.c - `solidata map`: a choropleth of one CSV column, or of the clusters written by
 * `solidata spatial lisa`, over any OGR layer, as SVG, PNG or PDF (chosen by --out's extension). */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/csv.h>
#include <solidata/geo.h>
#include <solidata/render.h>
#include <solidata/run.h>

#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *USAGE =
    "usage: solidata [--db FILE] map --indicator CODE [--period P] [options] --out MAP\n"
    "       solidata map --geo F --id-field ID --data F.csv --var V [options] --out MAP\n"
    "       solidata map --geo F --id-field ID --lisa LISA.csv [options] --out MAP\n"
    "Draw a choropleth map as SVG, PNG or PDF (from the extension of --out: .svg .png .pdf).\n"
    "store:   --indicator CODE [--period P] maps an indicator of the store (latest period by\n"
    "         default) over its areas; darker means more need whatever the polarity, and the\n"
    "         footer credits every source with its licence\n"
    "areas:   --geo F (GeoJSON, Shapefile, GeoPackage...), --id-field ID (area code attribute),\n"
    "         --name-field NAME (shown on hover; default: the code)\n"
    "data:    --data F.csv --var V: the column to map; --data-id-field ID (default --id-field)\n"
    "         --period-field F --period P: keep only rows whose column F equals P (for files\n"
    "         with several periods per area); without them each area may appear once.\n"
    "         Empty, NA, .. cells are 'no data'; areas without a row too.\n"
    "classes: --classes quantile|equal|jenks|sd (default quantile), -k K (default 5)\n"
    "         --palette NAME (default YlOrRd; sd: RdBu-r), -r suffix reverses; 'solidata map\n"
    "         --palettes' lists them\n"
    "LISA:    --lisa F.csv: the output of 'solidata spatial lisa --out F.csv'; colours areas by\n"
    "         its 'cluster' column (HH, LL, LH, HL, NS) as GeoDa; --lisa-id-field (default id)\n"
    "text:    --title T (default V), --subtitle S, --legend-title L (default V),\n"
    "         --source TEXT, --licence TEXT (footer), --decimals D (default from the breaks),\n"
    "         --thousands SEP (e.g. ',' or '.'), --decimal-comma\n"
    "size:    --width PX --height PX (default 1000 x 800), --scale S (PNG pixels per px, 1)\n";

typedef struct map_args {
    const char *geo, *id_field, *name_field, *data, *var, *data_id_field, *period_field, *period;
    const char *lisa, *lisa_id_field, *palette, *title, *subtitle, *legend_title, *source;
    const char *licence, *out, *thousands, *indicator;
    sol_class_method method;
    const char *method_name;
    unsigned k;
    int decimals, decimal_comma;
    unsigned width, height;
    double scale;
} map_args;

static int parse_uint(const char *s, unsigned long lo, unsigned long hi, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == '\0' || *end || v < lo || v > hi)
        return -1;
    *out = (unsigned)v;
    return 0;
}

static void list_palettes(void)
{
    printf("name,kind,max_classes\n");
    for (size_t i = 0; sol_render_palette_info(i) != NULL; i++) {
        const sol_palette_info *p = sol_render_palette_info(i);
        printf("%s,%s,%u\n", p->name, p->diverging ? "diverging" : "sequential", p->kmax);
    }
}

static int parse_args(int argc, char **argv, map_args *a)
{
    enum { O_GEO = 256, O_ID, O_NAME, O_DATA, O_VAR, O_DID, O_PF, O_P, O_LISA, O_LID, O_CLS,
           O_PAL, O_TITLE, O_SUB, O_LT, O_SRC, O_LIC, O_OUT, O_DEC, O_TH, O_DC, O_W, O_H, O_SC,
           O_PALS, O_IND };
    static const struct option opts[] = {
        {"geo", 1, 0, O_GEO},          {"id-field", 1, 0, O_ID},      {"name-field", 1, 0, O_NAME},
        {"data", 1, 0, O_DATA},        {"var", 1, 0, O_VAR},          {"data-id-field", 1, 0, O_DID},
        {"period-field", 1, 0, O_PF},  {"period", 1, 0, O_P},         {"lisa", 1, 0, O_LISA},
        {"lisa-id-field", 1, 0, O_LID}, {"classes", 1, 0, O_CLS},     {"palette", 1, 0, O_PAL},
        {"title", 1, 0, O_TITLE},      {"subtitle", 1, 0, O_SUB},     {"legend-title", 1, 0, O_LT},
        {"source", 1, 0, O_SRC},       {"licence", 1, 0, O_LIC},      {"license", 1, 0, O_LIC},
        {"indicator", 1, 0, O_IND},    {"out", 1, 0, O_OUT},          {"decimals", 1, 0, O_DEC},     {"thousands", 1, 0, O_TH},
        {"decimal-comma", 0, 0, O_DC}, {"width", 1, 0, O_W},          {"height", 1, 0, O_H},
        {"scale", 1, 0, O_SC},         {"palettes", 0, 0, O_PALS},    {"help", 0, 0, 'h'},
        {0, 0, 0, 0}};
    const char *cmd = "map";
    int c;
    unsigned u;
    char *end;
    a->k = SOL_CLASSES_DEFAULT;
    a->decimals = -1;
    a->method_name = "quantile";
    a->lisa_id_field = "id";
    a->scale = 1;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "hk:", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(USAGE, stdout);
            return -2;
        case O_PALS:
            list_palettes();
            return -2;
        case O_GEO: a->geo = optarg; break;
        case O_ID: a->id_field = optarg; break;
        case O_NAME: a->name_field = optarg; break;
        case O_DATA: a->data = optarg; break;
        case O_VAR: a->var = optarg; break;
        case O_DID: a->data_id_field = optarg; break;
        case O_PF: a->period_field = optarg; break;
        case O_P: a->period = optarg; break;
        case O_LISA: a->lisa = optarg; break;
        case O_LID: a->lisa_id_field = optarg; break;
        case O_CLS: a->method_name = optarg; break;
        case O_PAL: a->palette = optarg; break;
        case O_TITLE: a->title = optarg; break;
        case O_SUB: a->subtitle = optarg; break;
        case O_LT: a->legend_title = optarg; break;
        case O_SRC: a->source = optarg; break;
        case O_LIC: a->licence = optarg; break;
        case O_OUT: a->out = optarg; break;
        case O_IND: a->indicator = optarg; break;
        case O_TH: a->thousands = optarg; break;
        case O_DC: a->decimal_comma = 1; break;
        case 'k':
            if (parse_uint(optarg, 2, SOL_CLASSES_MAX, &a->k) != 0)
                return cli_usage_error(cmd, "-k %s: expected 2 to %u classes", optarg,
                                       SOL_CLASSES_MAX);
            break;
        case O_DEC:
            if (parse_uint(optarg, 0, 10, &u) != 0)
                return cli_usage_error(cmd, "--decimals %s: expected 0 to 10", optarg);
            a->decimals = (int)u;
            break;
        case O_W:
            if (parse_uint(optarg, 200, 20000, &a->width) != 0)
                return cli_usage_error(cmd, "--width %s: expected 200 to 20000 px", optarg);
            break;
        case O_H:
            if (parse_uint(optarg, 200, 20000, &a->height) != 0)
                return cli_usage_error(cmd, "--height %s: expected 200 to 20000 px", optarg);
            break;
        case O_SC:
            a->scale = strtod(optarg, &end);
            if (*end || !(a->scale >= 0.1 && a->scale <= 10))
                return cli_usage_error(cmd, "--scale %s: expected 0.1 to 10", optarg);
            break;
        default:
            return cli_usage_error(cmd, "unknown or incomplete option %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(cmd, "unexpected argument %s", argv[optind]);
    if (a->indicator) {
        if (a->out == NULL)
            return cli_usage_error(cmd, "--out MAP.svg|MAP.png|MAP.pdf is required");
        if (a->geo || a->data || a->lisa || a->period_field)
            return cli_usage_error(cmd, "--indicator maps the store: leave out --geo, --data, "
                                        "--lisa and --period-field");
        return 0;
    }
    if (a->geo == NULL || a->id_field == NULL)
        return cli_usage_error(cmd, "--geo F and --id-field ID are required");
    if (a->out == NULL)
        return cli_usage_error(cmd, "--out MAP.svg|MAP.png|MAP.pdf is required");
    if ((a->data == NULL) == (a->lisa == NULL))
        return cli_usage_error(cmd, "give either --data F.csv --var V or --lisa F.csv");
    if (a->data != NULL && a->var == NULL)
        return cli_usage_error(cmd, "--data needs --var V (the column to map)");
    if ((a->period_field == NULL) != (a->period == NULL))
        return cli_usage_error(cmd, "--period-field F and --period P go together");
    if (a->lisa != NULL && (a->palette || a->period_field))
        return cli_usage_error(cmd, "--lisa maps take no --palette or --period");
    if (a->data_id_field == NULL)
        a->data_id_field = a->id_field;
    return 0;
}

/* ---- area look-up by code (codes sorted once, then bisection) ---------------------------- */

typedef struct index_by_code {
    const sol_layer *l;
    size_t *order;
} index_by_code;

static const sol_layer *sort_layer;
static int cmp_code(const void *a, const void *b)
{
    return strcmp(sort_layer->f[*(const size_t *)a].code, sort_layer->f[*(const size_t *)b].code);
}

static int index_build(const sol_layer *l, index_by_code *ix)
{
    ix->l = l;
    ix->order = malloc((l->n ? l->n : 1) * sizeof *ix->order);
    if (ix->order == NULL)
        return -1;
    for (size_t i = 0; i < l->n; i++)
        ix->order[i] = i;
    sort_layer = l;
    qsort(ix->order, l->n, sizeof *ix->order, cmp_code);
    return 0;
}

static long index_find(const index_by_code *ix, const char *code)
{
    size_t lo = 0, hi = ix->l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ix->l->f[ix->order[mid]].code, code);
        if (c == 0)
            return (long)ix->order[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* ---- reading the data --------------------------------------------------------------------- */

static long need_col(sol_csv *c, const char *name, const char *opt)
{
    long j = sol_csv_colindex(c, name);
    if (j < 0) {
        fprintf(stderr, "solidata: %s: no column '%s' (%s); columns:", sol_csv_name(c), name, opt);
        for (size_t i = 0; i < sol_csv_ncols(c); i++)
            fprintf(stderr, "%s %s", i ? "," : "", sol_csv_colname(c, i));
        fputc('\n', stderr);
    }
    return j;
}

/* Read one row per area: for --data the value of --var (NaN when missing), for --lisa the
 * class index of the cluster. `line` remembers where each area was seen (0 = not seen). */
static int read_rows(const map_args *a, const index_by_code *ix, double *value, int *cls,
                     unsigned long *line)
{
    static const char *const CL[] = {"HH", "LL", "LH", "HL", "NS"};
    const int lisa = a->lisa != NULL;
    const char *path = lisa ? a->lisa : a->data;
    const char *idf = lisa ? a->lisa_id_field : a->data_id_field;
    sol_csv *c = NULL;
    sol_error err;
    int rc = CLI_FAIL;
    if (sol_csv_open(path, NULL, &c, &err) != SOL_OK)
        return cli_fail(&err);
    long jid = need_col(c, idf, lisa ? "--lisa-id-field" : "--data-id-field");
    long jv = jid < 0 ? -1 : need_col(c, lisa ? "cluster" : a->var, lisa ? "LISA" : "--var");
    long jp = -1;
    if (jv >= 0 && a->period_field != NULL)
        jp = need_col(c, a->period_field, "--period-field");
    if (jid < 0 || jv < 0 || (a->period_field != NULL && jp < 0))
        goto done;
    int comma = sol_csv_delimiter(c) == ';';
    size_t kept = 0;
    sol_status st;
    while ((st = sol_csv_next(c, &err)) == SOL_OK) {
        if (jp >= 0 && strcmp(sol_csv_field(c, (size_t)jp, NULL), a->period) != 0)
            continue;
        kept++;
        size_t idlen;
        const char *id = sol_csv_field(c, (size_t)jid, &idlen);
        long i = index_find(ix, id);
        unsigned long ln = sol_csv_line(c);
        if (i < 0) {
            cli_failf("%s:%lu:%lu: unknown area '%s': no feature of %s has %s = '%s'", path, ln,
                      sol_csv_col(c, (size_t)jid), id, a->geo, a->id_field, id);
            goto done;
        }
        if (line[i] != 0) {
            cli_failf("%s:%lu: area '%s' appears again (first at line %lu)%s", path, ln, id,
                      line[i],
                      a->period_field ? ""
                                      : "; for files with several periods per area give "
                                        "--period-field F --period P");
            goto done;
        }
        line[i] = ln;
        size_t vlen;
        const char *v = sol_csv_field(c, (size_t)jv, &vlen);
        if (lisa) {
            int k = -1;
            for (int q = 0; q < 5; q++)
                if (strcmp(v, CL[q]) == 0)
                    k = q;
            if (k < 0) {
                cli_failf("%s:%lu:%lu: expected a LISA cluster (HH, LL, LH, HL or NS) in column "
                          "'cluster', found '%s'",
                          path, ln, sol_csv_col(c, (size_t)jv), v);
                goto done;
            }
            cls[i] = k;
        } else if (sol_is_missing(v, vlen)) {
            value[i] = NAN;
        } else if (sol_parse_number(v, vlen, comma, &value[i]) != SOL_OK) {
            cli_failf("%s:%lu:%lu: expected a number in column '%s', found '%s'", path, ln,
                      sol_csv_col(c, (size_t)jv), a->var, v);
            goto done;
        }
    }
    if (st != SOL_EOF) {
        cli_fail(&err);
        goto done;
    }
    if (kept == 0) {
        if (a->period_field)
            cli_failf("%s: no row has %s = '%s'", path, a->period_field, a->period);
        else
            cli_failf("%s: no data rows", path);
        goto done;
    }
    rc = CLI_OK;
done:
    sol_csv_close(c);
    return rc;
}

/* ---- the command -------------------------------------------------------------------------- */

static int map_store(const cli_ctx *ctx, const map_args *a)
{
    sol_store *st;
    int rc = cli_open_store(ctx, &st);
    if (rc != CLI_OK)
        return rc;
    sol_run_map_opts o = {.indicator = a->indicator,
                          .period = a->period,
                          .classes = a->method_name,
                          .k = a->k,
                          .palette = a->palette,
                          .title = a->title,
                          .width = a->width,
                          .height = a->height};
    sol_error err;
    sol_error_clear(&err);
    sol_status s = sol_run_map_write(st, &o, a->out, &err);
    sol_store_close(st);
    if (s != SOL_OK)
        return cli_fail(&err);
    if (!ctx->quiet)
        fprintf(stderr, "%s: map of %s written\n", a->out, a->indicator);
    return CLI_OK;
}

int cmd_map(const cli_ctx *ctx, int argc, char **argv)
{
    map_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(argc, argv, &a);
    if (rc == -2)
        return CLI_OK;
    if (rc != 0)
        return rc;
    if (a.indicator)
        return map_store(ctx, &a);
    sol_map_format fmt;
    if (sol_map_format_from_path(a.out, &fmt) != SOL_OK)
        return cli_usage_error("map", "--out %s: expected a name ending in .svg, .png or .pdf",
                               a.out);
    if (a.data != NULL && sol_render_class_method_parse(a.method_name, &a.method) != SOL_OK)
        return cli_failf("unknown classification '%s': expected quantile, equal, jenks or sd",
                         a.method_name);
    const char *palette = a.palette ? a.palette : (a.method == SOL_CLASS_SD ? "RdBu-r" : "YlOrRd");
    uint32_t pal_check[SOL_CLASSES_MAX];
    sol_error err;
    if (a.data != NULL && sol_render_palette(palette, 3, pal_check, &err) != SOL_OK)
        return cli_fail(&err);

    sol_layer *l = NULL;
    index_by_code ix = {0};
    double *value = NULL;
    int *cls = NULL;
    unsigned long *line = NULL;
    sol_breaks *b = NULL;
    rc = CLI_FAIL;
    sol_geo_opts go = {.code_field = a.id_field, .name_field = a.name_field};
    if (sol_geo_read(a.geo, &go, &l, &err) != SOL_OK) {
        rc = cli_fail(&err);
        goto done;
    }
    if (l->n == 0) {
        rc = cli_failf("%s: no areas", a.geo);
        goto done;
    }
    size_t n = l->n;
    value = malloc(n * sizeof *value);
    cls = malloc(n * sizeof *cls);
    line = calloc(n, sizeof *line);
    if (value == NULL || cls == NULL || line == NULL || index_build(l, &ix) != 0) {
        rc = cli_failf("out of memory for %zu areas", n);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        value[i] = NAN;
        cls[i] = -1;
    }
    if ((rc = read_rows(&a, &ix, value, cls, line)) != CLI_OK)
        goto done;
    rc = CLI_FAIL;

    sol_map m;
    sol_map_init(&m);
    m.layer = l;
    m.cls = cls;
    m.source = a.source;
    m.licence = a.licence;
    m.decimals = a.decimals;
    m.thousands = a.thousands;
    m.decimal_mark = a.decimal_comma ? ',' : '.';
    if (a.width)
        m.width = a.width;
    if (a.height)
        m.height = a.height;
    uint32_t colour[SOL_CLASSES_MAX * 4];
    char subtitle[512];
    static const char *const LISA_KEY[] = {"HH", "LL", "LH", "HL", "NS"};
    static const char *const LISA_LABEL[] = {"High-High", "Low-Low", "Low-High", "High-Low",
                                             "Not significant"};
    if (a.lisa != NULL) {
        for (int q = 0; q < 5; q++)
            sol_render_lisa_colour(LISA_KEY[q], &colour[q]);
        m.nclasses = 5;
        m.label = LISA_LABEL;
        m.class_key = LISA_KEY;
        m.title = a.title ? a.title : "LISA clusters (local Moran's I)";
        m.subtitle = a.subtitle;
        m.legend_title = a.legend_title ? a.legend_title : "Cluster";
    } else {
        if (sol_render_breaks(value, n, a.method, a.k, &b, &err) != SOL_OK) {
            rc = cli_failf("%s, column '%s': %s", a.data, a.var, err.msg);
            goto done;
        }
        if (sol_render_palette(palette, b->nclasses, colour, &err) != SOL_OK) {
            rc = cli_fail(&err);
            goto done;
        }
        for (size_t i = 0; i < n; i++)
            cls[i] = sol_render_class_of(b, value[i]);
        m.value = value;
        m.breaks = b;
        m.nclasses = b->nclasses;
        m.title = a.title ? a.title : a.var;
        m.legend_title = a.legend_title ? a.legend_title : a.var;
        if (a.subtitle) {
            m.subtitle = a.subtitle;
        } else {
            int o = snprintf(subtitle, sizeof subtitle, "%s%s%s, %zu classes",
                             a.period ? a.period : "", a.period ? " \xC2\xB7 " : "",
                             sol_render_class_method_title(a.method), b->nclasses);
            if (a.method == SOL_CLASS_SD && o > 0 && (size_t)o < sizeof subtitle) {
                char mu[64], sd[64];
                int d = sol_render_auto_decimals(b);
                sol_render_format_number(b->center, d + 1, a.thousands, m.decimal_mark, mu,
                                         sizeof mu);
                sol_render_format_number(b->scale, d + 1, a.thousands, m.decimal_mark, sd,
                                         sizeof sd);
                snprintf(subtitle + o, sizeof subtitle - (size_t)o, " (mean %s, sd %s)", mu, sd);
            }
            m.subtitle = subtitle;
        }
    }
    m.colour = colour;
    if (sol_map_write(&m, a.out, fmt, a.scale, &err) != SOL_OK) {
        rc = cli_fail(&err);
        goto done;
    }
    size_t nodata = 0, norow = 0;
    for (size_t i = 0; i < n; i++) {
        nodata += cls[i] < 0;
        norow += line[i] == 0;
    }
    if (!ctx->quiet) {
        fprintf(stderr, "solidata: map of %zu areas", n);
        if (b)
            fprintf(stderr, ", %zu %s classes", b->nclasses, sol_render_class_method_name(a.method));
        fprintf(stderr, ", %zu without data (%zu without a row) -> %s\n", nodata, norow, a.out);
    }
    rc = CLI_OK;
done:
    sol_breaks_free(b);
    free(ix.order);
    free(line);
    free(cls);
    free(value);
    sol_layer_free(l);
    return rc;
}
