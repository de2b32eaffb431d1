/* cmd_export.c - `solidata export areas|data`: the store's areas as a GeoJSON FeatureCollection,
 * its observations as long CSV (area, period, indicator, value, se, flags). */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/import.h>
#include <solidata/store.h>

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct exporter {
    FILE *out;
    long n;
    int failed;
    const char *level; /* areas: only this level, or all */
    int unsuppressed;  /* data: write suppressed values too (audited) */
    long withheld;
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
    /* disclosure control: a suppressed value leaves as an empty cell with its flag, never 0 */
    int hide = (o->flags & SOL_FLAG_SUPPRESSED) && !x->unsuppressed;
    x->withheld += hide;
    cli_csv_number(x->out, hide ? NAN : o->value, 0);
    cli_csv_number(x->out, hide ? NAN : o->se, 0);
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
                                         {"unsuppressed", no_argument, NULL, 'U'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *out = NULL, *indicator = NULL, *period = NULL, *level = NULL;
    int c, unsuppressed = 0;
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
        case 'U':
            unsuppressed = 1;
            break;
        case 'h':
            printf("usage: solidata [--db FILE] export areas [--level L] [--out F.geojson]\n"
                   "       solidata [--db FILE] export data [--indicator CODE] [--period P] "
                   "[--out F.csv]\n"
                   "                                        [--unsuppressed]\n\n"
                   "areas: a GeoJSON FeatureCollection in EPSG:4326 (code, name, level, parent).\n"
                   "data: long CSV with columns area,period,indicator,value,se,flags. Values\n"
                   "  withheld by disclosure control (small counts and their complements) are\n"
                   "  empty with the flag 'suppressed'. --unsuppressed writes them too, for an\n"
                   "  analyst's own work: the export is recorded in the audit log first.\n"
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
    exporter x = {.out = stdout, .level = level, .unsuppressed = unsuppressed};
    if (unsuppressed && areas) {
        sol_store_close(st);
        return cli_usage_error("export", "--unsuppressed applies to 'export data' only");
    }
    if (unsuppressed) {
        sol_error aerr;
        json_t *d = json_pack("{s:s?,s:s?,s:s}", "indicator", indicator, "period", period, "out",
                              out ? out : "-");
        char *ds = d ? json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        json_decref(d);
        const char *who = getenv("SOLIDATA_USER");
        if (who == NULL || *who == '\0')
            who = getenv("USER");
        sol_status as = ds ? sol_store_audit_append(st, who, "export.unsuppressed", ds, &aerr)
                           : SOL_ENOMEM;
        free(ds);
        if (as != SOL_OK) {
            sol_store_close(st);
            if (as == SOL_ENOMEM)
                return cli_failf("out of memory");
            return cli_fail(&aerr);
        }
    }
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
    if (x.withheld && !ctx->quiet)
        fprintf(stderr,
                "export: %ld value(s) withheld by disclosure control (flag 'suppressed'); an "
                "analyst may pass --unsuppressed, which is audited\n",
                x.withheld);
    if (unsuppressed && !ctx->quiet)
        fprintf(stderr, "export: unsuppressed export recorded in the audit log\n");
    return CLI_OK;
}
