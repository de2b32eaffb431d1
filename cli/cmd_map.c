/* cmd_map.c - `solidata map`: a choropleth of an indicator of the store, of one CSV column, or of
 * the clusters written by `solidata spatial lisa`, over any OGR layer, as SVG, PNG or PDF (chosen
 * by --out's extension). The tables fill the run layer's jobs; sol_run_map_write (store) or
 * sol_run_map_file draws. */
#include "cli.h"
#include "opt.h"

#include <solidata/render.h>
#include <solidata/run.h>
#include <solidata/run_map.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef struct map_args {
    const char *indicator;
    int palettes;
    sol_map_file_job job;
} map_args;

#define J(f) offsetof(map_args, job.f)
#define A(f) offsetof(map_args, f)
static const cli_opt OPTS[] = {
    {"indicator", CLI_STR, A(indicator), "CODE",
     N_("store: map this indicator over its areas; darker means more need whatever the polarity, "
        "and the footer credits every source with its licence"),
     .excludes = "geo,data,lisa,period-field"},
    {"period", CLI_STR, J(period), "P",
     N_("store: the period (default: the latest); files: keep the rows whose --period-field is P")},
    {"geo", CLI_STR, J(geo), "F", N_("the areas: GeoJSON, Shapefile, GeoPackage...")},
    {"id-field", CLI_STR, J(id_field), "ID", N_("the attribute of --geo with the area codes")},
    {"name-field", CLI_STR, J(name_field), "NAME", N_("shown on hover"), .def = N_("the code")},
    {"data", CLI_STR, J(data), "F.csv", N_("the values, one row per area"), .needs = "var"},
    {"var", CLI_STR, J(var), "V", N_("the column of --data to map")},
    {"data-id-field", CLI_STR, J(data_id_field), "ID", N_("the column of --data with the codes"),
     .def = "--id-field"},
    {"period-field", CLI_STR, J(period_field), "F",
     N_("keep only the rows whose column F equals --period (files with several periods per area; "
        "without it each area may appear once)"),
     .needs = "period"},
    {"lisa", CLI_STR, J(lisa), "F.csv",
     N_("the output of 'solidata spatial lisa --out F.csv': colours areas by its 'cluster' column "
        "(HH, LL, LH, HL, NS) as GeoDa"),
     .excludes = "palette,period-field"},
    {"lisa-id-field", CLI_STR, J(lisa_id_field), "ID", N_("the column of --lisa with the codes")},
    {"classes", CLI_STR, J(classes), "M", N_("quantile, equal, jenks or sd")},
    {"k", CLI_UINT, J(k), "K", N_("the number of classes (also -k K)"), .min = 2,
     .max = SOL_CLASSES_MAX},
    {"palette", CLI_STR, J(palette), "NAME",
     N_("a -r suffix reverses; --palettes lists them [default: YlOrRd; sd: RdBu-r]"),
     .flags = CLI_NO_DEFAULT},
    {"palettes", CLI_FLAG, A(palettes), NULL, N_("list the palettes (name,kind,max_classes)")},
    {"title", CLI_STR, J(title), "T", N_("the title"), .def = "V"},
    {"subtitle", CLI_STR, J(subtitle), "S", N_("the subtitle")},
    {"legend-title", CLI_STR, J(legend_title), "L", N_("the legend's title"), .def = "V"},
    {"source", CLI_STR, J(source), "TEXT", N_("the footer's source")},
    {"licence", CLI_STR, J(licence), "TEXT", N_("the footer's licence")},
    {"license", CLI_STR, J(licence), "TEXT", N_("the same as --licence")},
    {"decimals", CLI_INT, J(decimals), "D", N_("decimals of the numbers"), .min = 0, .max = 10,
     .def = N_("from the breaks")},
    {"thousands", CLI_STR, J(thousands), "SEP", N_("thousands separator (e.g. ',' or '.')")},
    {"decimal-comma", CLI_FLAG, J(decimal_comma), NULL, N_("write 3,5 for 3.5")},
    {"width", CLI_UINT, J(width), "PX", N_("width"), .min = 200, .max = 20000, .def = "1000"},
    {"height", CLI_UINT, J(height), "PX", N_("height"), .min = 200, .max = 20000, .def = "800"},
    {"scale", CLI_DOUBLE, J(scale), "S", N_("PNG pixels per px"), .min = 0.1, .max = 10},
    {"lang", CLI_STR, J(lang), "LANG",
     N_("the map's words and numbers: en, fr or it (legend, no data, footer, credit line)"),
     .def = N_("the language of the environment")},
    {"out", CLI_STR, J(out), "MAP", N_("the map: .svg, .png or .pdf [required]")},
    {0}};

static const cli_spec SPEC = {
    "map",
    "--indicator CODE [--period P] [options] --out MAP\n"
    "--geo F --id-field ID --data F.csv --var V [options] --out MAP\n"
    "--geo F --id-field ID --lisa LISA.csv [options] --out MAP",
    N_("Draw a choropleth map as SVG, PNG or PDF (from the extension of --out: .svg .png .pdf)\n"
       "of an indicator of the store, of a column of a CSV file (empty, NA, .. cells are 'no\n"
       "data'; areas without a row too), or of LISA clusters."),
    OPTS,
    NULL,
    0,
    0};

/* What the tables cannot say: which inputs go together in file mode. */
static int check_args(const map_args *a)
{
    const sol_map_file_job *j = &a->job;
    sol_map_format fmt;
    if (j->out == NULL)
        return cli_usage_error("map", "--out MAP.svg|MAP.png|MAP.pdf is required");
    if (sol_map_format_from_path(j->out, &fmt) != SOL_OK)
        return cli_usage_error("map", "--out %s: expected a name ending in .svg, .png or .pdf",
                               j->out);
    if (a->indicator != NULL)
        return CLI_OK;
    if (j->geo == NULL || j->id_field == NULL)
        return cli_usage_error("map", "--geo F and --id-field ID are required");
    if ((j->data == NULL) == (j->lisa == NULL))
        return cli_usage_error("map", "give either --data F.csv --var V or --lisa F.csv");
    if (j->period != NULL && j->period_field == NULL)
        return cli_usage_error("map", "--period-field F and --period P go together");
    return CLI_OK;
}

static int list_palettes(void)
{
    printf("name,kind,max_classes\n");
    for (size_t i = 0; sol_render_palette_info(i) != NULL; i++) {
        const sol_palette_info *p = sol_render_palette_info(i);
        printf("%s,%s,%u\n", p->name, p->diverging ? "diverging" : "sequential", p->kmax);
    }
    return CLI_OK;
}

int cmd_map(const cli_ctx *ctx, int argc, char **argv)
{
    map_args a = {0};
    sol_run_map_file_job_init(&a.job);
    static char dash_k[] = "--k";
    for (int i = 1; i < argc; i++) /* -k K is --k K */
        if (strcmp(argv[i], "-k") == 0)
            argv[i] = dash_k;
    cli_args args;
    int rc = cli_parse(&SPEC, argc, argv, &a, &args);
    if (rc != CLI_OK)
        return rc;
    if (a.palettes)
        return list_palettes();
    if ((rc = check_args(&a)) != CLI_OK)
        return rc;
    sol_error err;
    sol_error_clear(&err);
    if (a.indicator != NULL) {
        sol_map_job o = {.indicator = a.indicator,
                         .period = a.job.period,
                         .classes = a.job.classes,
                         .k = a.job.k,
                         .palette = a.job.palette,
                         .title = a.job.title,
                         .lang = a.job.lang,
                         .width = a.job.width,
                         .height = a.job.height};
        sol_store *st;
        if ((rc = cli_open_store(ctx, 1, &st, &err)) != CLI_OK)
            return rc;
        sol_status s = sol_run_map_write(st, &o, a.job.out, &err);
        sol_store_close(st);
        if (s != SOL_OK)
            return cli_fail(&err);
        if (!ctx->quiet)
            fprintf(stderr, _("%s: map of %s written\n"), a.job.out, a.indicator);
        return CLI_OK;
    }
    sol_run_map_file_report rep;
    if (sol_run_map_file(&a.job, &rep, &err) != SOL_OK)
        return cli_fail(&err);
    if (!ctx->quiet) {
        fprintf(stderr,
                sol_ngettext("solidata: map of %zu area", "solidata: map of %zu areas", rep.areas),
                rep.areas);
        if (rep.method)
            /* TRANSLATORS: %s is the name of the classification: quantile, jenks, ... */
            fprintf(stderr, sol_ngettext(", %zu %s class", ", %zu %s classes", rep.classes),
                    rep.classes, rep.method);
        fprintf(stderr, _(", %zu without data (%zu without a row) -> %s\n"), rep.no_data,
                rep.no_row, a.job.out);
    }
    return CLI_OK;
}
