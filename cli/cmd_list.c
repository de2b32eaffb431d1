/* cmd_list.c - `solidata catalog|areas|indicators`: what the store holds, as CSV or JSON. */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/store.h>

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

typedef struct lister {
    int json;
    json_t *arr;
} lister;

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *jnum(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

static int on_source(void *ud, const sol_source *s)
{
    lister *l = ud;
    if (l->json) {
        json_t *o = json_pack("{s:I,s:s,s:i,s:s,s:s,s:o,s:o,s:s,s:I,s:I,s:I,s:s,s:s,s:s}", "id",
                              (json_int_t)s->id, "name", s->name, "version", s->version,
                              "connector", s->connector, "location", s->location, "licence",
                              jstr(s->licence), "attribution", jstr(s->attribution), "sha256",
                              s->sha256, "bytes", (json_int_t)s->bytes, "rows_read",
                              (json_int_t)s->rows_read, "rows_written",
                              (json_int_t)s->rows_written, "imported_at", s->imported_at,
                              "tool_version", s->tool_version, "status", s->status);
        if (o && s->options) {
            json_t *opt = json_loads(s->options, 0, NULL);
            if (opt)
                json_object_set_new(o, "options", opt);
        }
        json_array_append_new(l->arr, o);
        return 0;
    }
    printf("%lld,", (long long)s->id);
    cli_csv_field(stdout, s->name, 0);
    printf("%d,", s->version);
    cli_csv_field(stdout, s->status, 0);
    cli_csv_field(stdout, s->connector, 0);
    cli_csv_field(stdout, s->location, 0);
    cli_csv_field(stdout, s->licence, 0);
    cli_csv_field(stdout, s->attribution, 0);
    cli_csv_field(stdout, s->sha256, 0);
    printf("%lld,%lld,%lld,", (long long)s->bytes, (long long)s->rows_read,
           (long long)s->rows_written);
    cli_csv_field(stdout, s->imported_at, 0);
    cli_csv_field(stdout, s->tool_version, 1);
    return 0;
}

static int on_area(void *ud, const sol_area *a)
{
    lister *l = ud;
    if (l->json) {
        json_array_append_new(
            l->arr, json_pack("{s:s,s:o,s:s,s:o,s:o,s:[o,o],s:[o,o,o,o]}", "code", a->code,
                              "name", jstr(a->name), "level", a->level, "parent",
                              jstr(a->parent_code), "crs_original", jstr(a->crs_original),
                              "centroid", jnum(a->centroid[0]), jnum(a->centroid[1]), "bbox",
                              jnum(a->bbox[0]), jnum(a->bbox[1]), jnum(a->bbox[2]),
                              jnum(a->bbox[3])));
        return 0;
    }
    cli_csv_field(stdout, a->code, 0);
    cli_csv_field(stdout, a->name, 0);
    cli_csv_field(stdout, a->level, 0);
    cli_csv_field(stdout, a->parent_code, 0);
    cli_csv_number(stdout, a->centroid[0], 0);
    cli_csv_number(stdout, a->centroid[1], 0);
    cli_csv_field(stdout, a->crs_original, 1);
    return 0;
}

static const char *polarity_word(int p)
{
    return p > 0 ? "higher_better" : p < 0 ? "lower_better" : NULL;
}

/* "a+b" as ["a", "b"], NULL as null */
static json_t *code_list(const char *s)
{
    if (s == NULL)
        return json_null();
    json_t *a = json_array();
    while (a) {
        size_t n = strcspn(s, "+");
        json_array_append_new(a, json_stringn(s, n));
        if (s[n] == '\0')
            break;
        s += n + 1;
    }
    return a;
}

static int on_indicator(void *ud, const sol_indicator *i)
{
    lister *l = ud;
    if (l->json) {
        json_array_append_new(
            l->arr, json_pack("{s:s,s:o,s:o,s:o,s:o,s:I,s:o,s:o,s:o,s:o,s:o}", "code", i->code,
                              "label", jstr(i->label), "unit", jstr(i->unit), "polarity",
                              jstr(polarity_word(i->polarity)), "dimension", jstr(i->dimension),
                              "observations", (json_int_t)i->n_obs, "first_period",
                              jstr(i->first_period), "last_period", jstr(i->last_period),
                              "kind", jstr(i->kind), "numerator", code_list(i->numerator),
                              "denominator", jstr(i->denominator)));
        return 0;
    }
    cli_csv_field(stdout, i->code, 0);
    cli_csv_field(stdout, i->label, 0);
    cli_csv_field(stdout, i->unit, 0);
    cli_csv_field(stdout, polarity_word(i->polarity), 0);
    cli_csv_field(stdout, i->dimension, 0);
    printf("%lld,", (long long)i->n_obs);
    cli_csv_field(stdout, i->first_period, 0);
    cli_csv_field(stdout, i->last_period, 0);
    cli_csv_field(stdout, i->kind, 0);
    cli_csv_field(stdout, i->numerator, 0);
    cli_csv_field(stdout, i->denominator, 1);
    return 0;
}

int cmd_list(const cli_ctx *ctx, int argc, char **argv)
{
    const char *what = argv[0];
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    lister l = {0};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'j') {
            l.json = 1;
        } else if (c == 'h') {
            printf("usage: solidata [--db FILE] %s [--json]\n\n"
                   "List the %s in the store as CSV (a header row, then one row each), or as a\n"
                   "JSON array with --json.\n",
                   what, strcmp(what, "catalog") == 0 ? "sources (catalog)" : what);
            return CLI_OK;
        } else {
            return cli_usage_error(what, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(what, "unexpected argument '%s'", argv[optind]);
    sol_store *st;
    int rc = cli_open_store(ctx, &st);
    if (rc != CLI_OK)
        return rc;
    sol_error err;
    sol_error_clear(&err);
    sol_status s;
    if (l.json)
        l.arr = json_array();
    if (strcmp(what, "catalog") == 0) {
        if (!l.json)
            printf("id,name,version,status,connector,location,licence,attribution,sha256,bytes,"
                   "rows_read,rows_written,imported_at,tool_version\n");
        s = sol_store_sources(st, on_source, &l, &err);
    } else if (strcmp(what, "areas") == 0) {
        if (!l.json)
            printf("code,name,level,parent,centroid_lon,centroid_lat,crs_original\n");
        s = sol_store_areas(st, 0, on_area, &l, &err);
    } else {
        if (!l.json)
            printf("code,label,unit,polarity,dimension,observations,first_period,last_period,"
                   "kind,numerator,denominator\n");
        s = sol_store_indicators(st, on_indicator, &l, &err);
    }
    sol_store_close(st);
    if (s != SOL_OK) {
        json_decref(l.arr);
        return cli_fail(&err);
    }
    if (l.json) {
        json_dumpf(l.arr, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII * 0);
        fputc('\n', stdout);
        json_decref(l.arr);
    }
    return CLI_OK;
}
