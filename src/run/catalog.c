/* catalog.c - the lists of what the store holds (CSV or JSON) and the export of its areas
 * (GeoJSON) and observations (long CSV), disclosure control applied, through a writer. */
#include <solidata/run_catalog.h>

#include <solidata/import.h>

#include "core/core.h"
#include "run/run_int.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct writer {
    sol_run_write_fn w;
    void *ud;
    bool json;
    json_t *arr;
    int failed; /* 1: the writer refused; 2: out of memory */
    const char *level;
    bool unsuppressed;
    int64_t rows, withheld;
    sol_buf cell; /* one CSV text field, reused */
    /* export data: the dialect's field separator, decimal mark and line end */
    char sep, dec;
    const char *eol;
} writer;

static int put(writer *x, const char *s, size_t n)
{
    if (x->failed == 0 && x->w(x->ud, s, n) != 0)
        x->failed = 1;
    return x->failed;
}

static int puts_(writer *x, const char *s)
{
    return put(x, s, strlen(s));
}

/* One CSV text field (sol__csv_text: quoted when needed, a formula neutralised; NULL is ""),
 * then ',' or a newline. The field buffer is reused; its cap is the quoted field's worst case. */
static void field(writer *x, const char *s, int last)
{
    if (s != NULL && x->failed == 0) {
        sol__buf_reset(&x->cell);
        x->cell.max = 2 * strlen(s) + 3;
        if (sol__csv_text(&x->cell, s) != SOL_OK)
            x->failed = 2;
        else
            put(x, x->cell.data, x->cell.len);
    }
    put(x, last ? "\n" : ",", 1);
}

/* A number as %.17g ("" for NaN), or a whole number, then ',' or a newline. */
static void number(writer *x, double v, int last)
{
    char b[40];
    int n = isnan(v) ? 0 : snprintf(b, sizeof b, "%.17g", v);
    put(x, b, (size_t)n);
    put(x, last ? "\n" : ",", 1);
}

static void whole(writer *x, long long v, int last)
{
    char b[32];
    int n = snprintf(b, sizeof b, "%lld%c", v, last ? '\n' : ',');
    put(x, b, (size_t)n);
}

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *jnum(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

static void append(writer *x, json_t *o)
{
    if (o == NULL || json_array_append_new(x->arr, o) != 0)
        x->failed = 2;
}

static int on_source(void *ud, const sol_source *s)
{
    writer *x = ud;
    if (x->json) {
        json_t *o = json_pack(
            "{s:I,s:s,s:i,s:s,s:s,s:o,s:o,s:s,s:I,s:I,s:I,s:s,s:s,s:s}", "id", (json_int_t)s->id,
            "name", s->name, "version", s->version, "connector", s->connector, "location",
            s->location, "licence", jstr(s->licence), "attribution", jstr(s->attribution), "sha256",
            s->sha256, "bytes", (json_int_t)s->bytes, "rows_read", (json_int_t)s->rows_read,
            "rows_written", (json_int_t)s->rows_written, "imported_at", s->imported_at,
            "tool_version", s->tool_version, "status", s->status);
        json_t *opt = o && s->options ? json_loads(s->options, 0, NULL) : NULL;
        if (opt)
            json_object_set_new(o, "options", opt);
        append(x, o);
        return x->failed;
    }
    whole(x, (long long)s->id, 0);
    field(x, s->name, 0);
    whole(x, s->version, 0);
    field(x, s->status, 0);
    field(x, s->connector, 0);
    field(x, s->location, 0);
    field(x, s->licence, 0);
    field(x, s->attribution, 0);
    field(x, s->sha256, 0);
    whole(x, (long long)s->bytes, 0);
    whole(x, (long long)s->rows_read, 0);
    whole(x, (long long)s->rows_written, 0);
    field(x, s->imported_at, 0);
    field(x, s->tool_version, 1);
    return x->failed;
}

static int on_area(void *ud, const sol_area *a)
{
    writer *x = ud;
    if (x->json) {
        json_t *o = json_pack("{s:s,s:o,s:s,s:o,s:o,s:[o,o],s:[o,o,o,o]}", "code", a->code, "name",
                              jstr(a->name), "level", a->level, "parent", jstr(a->parent_code),
                              "crs_original", jstr(a->crs_original), "centroid",
                              jnum(a->centroid[0]), jnum(a->centroid[1]), "bbox", jnum(a->bbox[0]),
                              jnum(a->bbox[1]), jnum(a->bbox[2]), jnum(a->bbox[3]));
        if (o)
            json_object_set_new(o, "level_labels", sol__run_level_names(a->level));
        append(x, o);
        return x->failed;
    }
    field(x, a->code, 0);
    field(x, a->name, 0);
    field(x, a->level, 0);
    field(x, a->parent_code, 0);
    number(x, a->centroid[0], 0);
    number(x, a->centroid[1], 0);
    field(x, a->crs_original, 1);
    return x->failed;
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
    writer *x = ud;
    if (x->json) {
        json_t *o = json_pack(
            "{s:s,s:o,s:o,s:o,s:o,s:I,s:o,s:o,s:o,s:o,s:o}", "code", i->code, "label",
            jstr(i->label), "unit", jstr(i->unit), "polarity", jstr(polarity_word(i->polarity)),
            "dimension", jstr(i->dimension), "observations", (json_int_t)i->n_obs, "first_period",
            jstr(i->first_period), "last_period", jstr(i->last_period), "kind", jstr(i->kind),
            "numerator", code_list(i->numerator), "denominator", jstr(i->denominator));
        sol__run_indicator_names(o, i);
        append(x, o);
        return x->failed;
    }
    field(x, i->code, 0);
    field(x, i->label, 0);
    field(x, i->unit, 0);
    field(x, polarity_word(i->polarity), 0);
    field(x, i->dimension, 0);
    whole(x, (long long)i->n_obs, 0);
    field(x, i->first_period, 0);
    field(x, i->last_period, 0);
    field(x, i->kind, 0);
    field(x, i->numerator, 0);
    field(x, i->denominator, 1);
    return x->failed;
}

/* The status of a walk that the writer or memory may have stopped. */
static sol_status walk_status(const writer *x, sol_status s, sol_error *err)
{
    if (x->failed == 1)
        return sol__err(err, SOL_EIO, "cannot write the output");
    if (x->failed == 2)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    return s;
}

sol_status sol_run_catalog(sol_store *st, sol_catalog_list what, bool json, sol_run_write_fn w,
                           void *ud, sol_error *err)
{
    static const char *const HEAD[] = {
        "id,name,version,status,connector,location,licence,attribution,sha256,bytes,"
        "rows_read,rows_written,imported_at,tool_version\n",
        "code,name,level,parent,centroid_lon,centroid_lat,crs_original\n",
        "code,label,unit,polarity,dimension,observations,first_period,last_period,kind,"
        "numerator,denominator\n"};
    writer x = {.w = w, .ud = ud, .json = json};
    if (json && (x.arr = json_array()) == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    if (!json)
        puts_(&x, HEAD[what]);
    sol_status s = what == SOL_CATALOG_SOURCES ? sol_store_sources(st, on_source, &x, err)
                   : what == SOL_CATALOG_AREAS ? sol_store_areas(st, 0, on_area, &x, err)
                                               : sol_store_indicators(st, on_indicator, &x, err);
    if (s == SOL_OK && json) {
        char *t = json_dumps(x.arr, JSON_INDENT(2));
        if (t == NULL)
            x.failed = 2;
        else if (puts_(&x, t) == 0)
            put(&x, "\n", 1);
        free(t);
    }
    json_decref(x.arr);
    sol__buf_free(&x.cell);
    return walk_status(&x, s, err);
}

static int on_feature(void *ud, const sol_area *a)
{
    writer *x = ud;
    if (x->level && strcmp(a->level, x->level) != 0)
        return 0;
    json_t *props = json_pack("{s:s,s:s?,s:s,s:s?}", "code", a->code, "name", a->name, "level",
                              a->level, "parent", a->parent_code);
    char *p = props ? json_dumps(props, JSON_COMPACT) : NULL;
    json_decref(props);
    if (p == NULL) {
        x->failed = 2;
        return 1;
    }
    /* the stored geometry is already a GeoJSON text: passed on as stored, digits unchanged */
    puts_(x, x->rows ? ",\n" : "\n");
    puts_(x, "{\"type\":\"Feature\",\"properties\":");
    puts_(x, p);
    puts_(x, ",\"geometry\":");
    puts_(x, a->geometry ? a->geometry : "null");
    puts_(x, "}");
    free(p);
    x->rows++;
    return x->failed;
}

/* The end of a cell of the exported data: the dialect's separator, or its line end. */
static void cell_end(writer *x, int last)
{
    if (last)
        puts_(x, x->eol);
    else
        put(x, &x->sep, 1);
}

/* One text cell of the exported data: as field() (quoted when needed, a formula neutralised),
 * and quoted too when it holds the dialect's separator. */
static void xfield(writer *x, const char *s, int last)
{
    if (s != NULL && x->failed == 0) {
        sol__buf_reset(&x->cell);
        x->cell.max = 2 * strlen(s) + 3;
        int quote = x->sep != ',' && strchr(s, x->sep) != NULL && strpbrk(s, ",\"\r\n") == NULL &&
                    strchr("=+-@\t\r", *s) == NULL;
        if (sol__csv_text(&x->cell, s) != SOL_OK)
            x->failed = 2;
        else {
            if (quote) /* sol__csv_text left it as it was: there is no quote inside */
                put(x, "\"", 1);
            put(x, x->cell.data, x->cell.len);
            if (quote)
                put(x, "\"", 1);
        }
    }
    cell_end(x, last);
}

/* One number cell of the exported data: %.17g ("" for NaN) with the dialect's decimal mark. */
static void xnumber(writer *x, double v, int last)
{
    char b[40];
    int n = isnan(v) ? 0 : snprintf(b, sizeof b, "%.17g", v);
    for (int i = 0; i < n; i++)
        if (b[i] == '.')
            b[i] = x->dec;
    put(x, b, (size_t)n);
    cell_end(x, last);
}

static int on_obs(void *ud, const sol_obs *o)
{
    writer *x = ud;
    char flags[128];
    xfield(x, o->area, 0);
    xfield(x, o->period, 0);
    xfield(x, o->indicator, 0);
    /* disclosure control: a suppressed value leaves as an empty cell with its flag, never 0 */
    int hide = (o->flags & SOL_FLAG_SUPPRESSED) && !x->unsuppressed;
    x->withheld += hide;
    xnumber(x, hide ? NAN : o->value, 0);
    xnumber(x, hide ? NAN : o->se, 0);
    sol_flags_format(o->flags, flags, sizeof flags);
    xfield(x, flags, 1);
    x->rows++;
    return x->failed;
}

/* The audit entry of an unsuppressed export, before anything leaves. */
static sol_status audit_unsuppressed(sol_store *st, const sol_export_job *j, sol_error *err)
{
    json_t *d = json_pack("{s:s?,s:s?,s:s}", "indicator", j->indicator, "period", j->period, "out",
                          j->out ? j->out : "-");
    char *ds = d ? json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(d);
    if (ds == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    const char *who = sol_run_actor();
    sol_status s = sol_store_audit_append(st, who, "export.unsuppressed", ds, err);
    free(ds);
    return s;
}

sol_status sol_run_export(sol_store *st, const sol_export_job *j, sol_run_write_fn w, void *ud,
                          sol_run_export_report *rep, sol_error *err)
{
    writer x = {.w = w, .ud = ud, .level = j->level, .unsuppressed = j->unsuppressed};
    sol_status s;
    if (j->unsuppressed && j->areas)
        return sol__err(err, SOL_EINVAL, "unsuppressed applies to the export of data only");
    if (j->dialect != SOL_CSV_PLAIN && j->areas)
        return sol__err(err, SOL_EINVAL, "a CSV dialect applies to the export of data only");
    if ((unsigned)j->dialect > SOL_CSV_EXCEL_IT)
        return sol__err(err, SOL_EINVAL, "unknown CSV dialect %d", (int)j->dialect);
    if (j->unsuppressed && (s = audit_unsuppressed(st, j, err)) != SOL_OK)
        return s;
    if (j->areas) {
        puts_(&x, "{\"type\":\"FeatureCollection\",\"features\":[");
        s = sol_store_areas(st, 1, on_feature, &x, err);
        puts_(&x, "\n]}\n");
    } else {
        int excel = j->dialect == SOL_CSV_EXCEL_FR || j->dialect == SOL_CSV_EXCEL_IT;
        x.sep = excel ? ';' : ',';
        x.dec = excel ? ',' : '.';
        x.eol = excel ? "\r\n" : "\n";
        if (excel) /* the UTF-8 byte order mark: how a spreadsheet knows the text is UTF-8 */
            puts_(&x, "\xEF\xBB\xBF");
        for (const char *h = "area,period,indicator,value,se,flags"; *h; h++) {
            if (*h == ',')
                cell_end(&x, 0);
            else
                put(&x, h, 1);
        }
        cell_end(&x, 1);
        s = sol_store_observations(st, j->indicator, j->period, on_obs, &x, err);
        sol__buf_free(&x.cell);
    }
    if ((s = walk_status(&x, s, err)) == SOL_OK && rep != NULL) {
        rep->rows = x.rows;
        rep->withheld = x.withheld;
    }
    return s;
}
