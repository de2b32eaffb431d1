/* cmd_export.c - `solidata export areas|data`: the store's areas as a GeoJSON FeatureCollection,
 * its observations as long CSV (area, period, indicator, value, se, flags). */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/import.h>
#include <solidata/store.h>

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <string.h>

typedef struct exporter {
    FILE *out;
    long n;
    int failed;
    const char *level; /* areas: only this level, or all */
} exporter;

static int on_area(void *ud, const sol_area *a)
{
    exporter *x = ud;
    if (x->level && strcmp(a->level, x->level) != 0)
        return 0;
    json_t *props = json_pack("{s:s,s:s?,s:s,s:s?}", "code", a->code, "name", a->name, "level",
                              a->level, "parent", a->parent_code);
    char *p = props ? json_dumps(props, JSON_COMPACT) : NULL;
    json_decref(props);
    if (p == NULL) {
        x->failed = 1;
        return 1;
    }
    fprintf(x->out, "%s\n{\"type\":\"Feature\",\"properties\":%s,\"geometry\":%s}",
            x->n ? "," : "", p, a->geometry ? a->geometry : "null");
    free(p);
    x->n++;
    return 0;
}

static int on_obs(void *ud, const sol_obs *o)
{
    exporter *x = ud;
    char flags[128];
    cli_csv_field(x->out, o->area, 0);
    cli_csv_field(x->out, o->period, 0);
    cli_csv_field(x->out, o->indicator, 0);
    cli_csv_number(x->out, o->value, 0);
    cli_csv_number(x->out, o->se, 0);
    sol_flags_format(o->flags, flags, sizeof flags);
    cli_csv_field(x->out, flags, 1);
    x->n++;
    return 0;
}

int cmd_export(const cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"out", required_argument, NULL, 'o'},
                                         {"indicator", required_argument, NULL, 'i'},
                                         {"period", required_argument, NULL, 'p'},
                                         {"level", required_argument, NULL, 'l'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *out = NULL, *indicator = NULL, *period = NULL, *level = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'i':
            indicator = optarg;
            break;
        case 'p':
            period = optarg;
            break;
        case 'l':
            level = optarg;
            break;
        case 'h':
            printf("usage: solidata [--db FILE] export areas [--level L] [--out F.geojson]\n"
                   "       solidata [--db FILE] export data [--indicator CODE] [--period P] "
                   "[--out F.csv]\n\n"
                   "areas: a GeoJSON FeatureCollection in EPSG:4326 (code, name, level, parent).\n"
                   "data: long CSV with columns area,period,indicator,value,se,flags.\n"
                   "Without --out the export goes to standard output.\n");
            return CLI_OK;
        default:
            return cli_usage_error("export", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind + 1 != argc ||
        (strcmp(argv[optind], "areas") != 0 && strcmp(argv[optind], "data") != 0))
        return cli_usage_error("export", "expected 'areas' or 'data'");
    int areas = strcmp(argv[optind], "areas") == 0;
    sol_store *st;
    int rc = cli_open_store(ctx, &st);
    if (rc != CLI_OK)
        return rc;
    exporter x = {.out = stdout, .level = level};
    if (out && (x.out = fopen(out, "w")) == NULL) {
        sol_store_close(st);
        return cli_failf("%s: cannot write: %s", out, strerror(errno));
    }
    sol_error err;
    sol_error_clear(&err);
    sol_status s;
    if (areas) {
        fputs("{\"type\":\"FeatureCollection\",\"features\":[", x.out);
        s = sol_store_areas(st, 1, on_area, &x, &err);
        fputs("\n]}\n", x.out);
    } else {
        fputs("area,period,indicator,value,se,flags\n", x.out);
        s = sol_store_observations(st, indicator, period, on_obs, &x, &err);
    }
    sol_store_close(st);
    int werr = ferror(x.out);
    if (out && fclose(x.out) != 0)
        werr = 1;
    if (s != SOL_OK)
        return cli_fail(&err);
    if (x.failed)
        return cli_failf("out of memory while exporting");
    if (werr)
        return cli_failf("%s: write error", out ? out : "standard output");
    if (out && !ctx->quiet)
        fprintf(stderr, "%s: wrote %ld %s\n", out, x.n, areas ? "areas" : "observations");
    return CLI_OK;
}
