/* api_workspace.c - the analyst's workspace in the dashboard: a spreadsheet uploaded, previewed
 * (what would be written, read from an import into a private copy of the store) and imported;
 * hot spots, a forecast and a composite index with weights people chose, started from the page.
 * Every route calls the run layer, the same code behind the command line. */
#include "workspace_int.h"

#include <solidata/import.h>
#include <solidata/index.h>
#include <solidata/run_index.h>
#include <solidata/run_spatial.h>
#include <solidata/run_time.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int sol__workspace_is_upload(const char *method, const char *path)
{
    return method && path && strcmp(method, "POST") == 0 &&
           strncmp(path, "/api/imports", 12) == 0 && (path[12] == '\0' || path[12] == '?');
}

static void reply_rc(sol_reply *r, sol_status rc, const sol_error *e)
{
    char msg[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
    sol_error_format(e, msg, sizeof msg);
    sol__reply_error(r, sol__http_status(rc), "%s", msg);
}

/* A string member, or NULL when absent, null or empty. */
static const char *opt_str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s && *s ? s : NULL;
}

void sol__api_workspace(const sol_req *q, sol_reply *r)
{
    (void)q;
    sol__reply_json(r, 200,
                    json_pack("{s:I,s:[s,s,s,s]}", "max_upload_bytes",
                              (json_int_t)SOL__UPLOAD_MAX_BYTES, "formats", "csv", "txt", "xlsx",
                              "ods"),
                    0);
}

/* ---- the upload -------------------------------------------------------------------------- */

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' || c == '-' ? 62 : c == '/' || c == '_' ? 63 : -1;
}

/* Decode base64 (standard or URL alphabet, padding optional, white space ignored) into a new
 * buffer; -1 on a bad character, -2 when the decoded bytes would pass `cap`. */
static int b64_decode(const char *s, size_t n, size_t cap, unsigned char **out, size_t *len)
{
    unsigned char *b = malloc(n / 4 * 3 + 3);
    if (b == NULL)
        return -3;
    size_t k = 0;
    unsigned acc = 0, bits = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '=' || c == ' ' || c == '\n' || c == '\r' || c == '\t')
            continue;
        int v = b64_value(c);
        if (v < 0) {
            free(b);
            return -1;
        }
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            b[k++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
            if (k > cap) {
                free(b);
                return -2;
            }
        }
    }
    *out = b;
    *len = k;
    return 0;
}

/* The file's extension when it is one the import reads ("csv"), else "csv". */
static const char *upload_ext(const char *filename)
{
    static const char *const known[] = {"csv", "txt", "tsv", "xlsx", "ods", "xls"};
    const char *dot = filename ? strrchr(filename, '.') : NULL;
    if (dot)
        for (size_t i = 0; i < sizeof known / sizeof *known; i++)
            if (strcasecmp(dot + 1, known[i]) == 0)
                return known[i];
    return "csv";
}

/* A private directory (0700) of its own under $TMPDIR or /tmp, its path in dir. */
static int private_dir(char *dir, size_t cap)
{
    const char *t = getenv("TMPDIR");
    int len = snprintf(dir, cap, "%s/solidata-upload-XXXXXX", t && *t ? t : "/tmp");
    return len < 0 || (size_t)len >= cap || mkdtemp(dir) == NULL ? -1 : 0;
}

/* Remove the file `path` and the private directory that holds it (with a store's companions). */
static void remove_private(const char *path)
{
    static const char *const tails[] = {"", "-wal", "-shm", "-journal"};
    char p[600];
    for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
        snprintf(p, sizeof p, "%s%s", path, tails[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s", path);
    char *slash = strrchr(p, '/');
    if (slash) {
        *slash = '\0';
        rmdir(p);
    }
}

/* A private temporary file (0600, in a 0700 directory of its own) named NAME.EXT holding `n`
 * bytes; its path in `path`. Remove it with remove_private. */
static int write_private(const char *name, const char *ext, const void *data, size_t n, char *path,
                         size_t cap)
{
    char dir[400];
    if (private_dir(dir, sizeof dir) != 0)
        return -1;
    int len = snprintf(path, cap, "%s/%s.%s", dir, name, ext);
    int fd = len < 0 || (size_t)len >= cap ? -1 : open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        rmdir(dir);
        return -1;
    }
    const char *p = data;
    size_t left = n;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            remove_private(path);
            return -1;
        }
        p += w;
        left -= (size_t)w;
    }
    if (close(fd) != 0) {
        remove_private(path);
        return -1;
    }
    return 0;
}

/* The labels, units and polarities people set for new indicators, as the indicator metadata CSV
 * the import reads (code,label,unit,polarity); 0 when there are none, 1 when written. */
static int write_meta(json_t *list, char *path, size_t cap)
{
    if (!json_is_array(list) || json_array_size(list) == 0)
        return 0;
    sol_buf b;
    sol__buf_init(&b, 1u << 20);
    sol__buf_addf(&b, "code,label,unit,polarity\n");
    size_t i;
    json_t *m;
    json_array_foreach(list, i, m)
    {
        const char *code = opt_str(m, "code");
        if (code == NULL)
            continue;
        const char *pol = opt_str(m, "polarity");
        const char *v[] = {
            code, opt_str(m, "label"), opt_str(m, "unit"),
            pol && (strcmp(pol, "higher_better") == 0 || strcmp(pol, "+") == 0)  ? "higher_better"
            : pol && (strcmp(pol, "lower_better") == 0 || strcmp(pol, "-") == 0) ? "lower_better"
                                                                                 : NULL};
        for (size_t k = 0; k < 4; k++) {
            if (k)
                sol__buf_addc(&b, ',');
            if (v[k])
                sol__csv_text(&b, v[k]);
        }
        sol__buf_addc(&b, '\n');
    }
    int rc = b.data ? write_private("indicators", "csv", b.data, b.len, path, cap) : -1;
    sol__buf_free(&b);
    return rc == 0 ? 1 : -1;
}

static json_t *report_json(const sol_import_report *rep)
{
    json_t *skipped = json_array();
    char cols[sizeof rep->skipped_columns];
    snprintf(cols, sizeof cols, "%s", rep->skipped_columns);
    for (char *save = NULL, *c = strtok_r(cols, ",", &save); c; c = strtok_r(NULL, ",", &save))
        json_array_append_new(skipped, json_string(c));
    return json_pack(
        "{s:b,s:i,s:I,s:s,s:I,s:I,s:I,s:I,s:s,s:I,s:I,s:I,s:o,s:I,s:I}", "unchanged",
        rep->unchanged, "version", rep->version, "source_id", (json_int_t)rep->source_id,
        "connector", rep->connector, "rows_read", (json_int_t)rep->rows_read, "rows_written",
        (json_int_t)rep->rows_written, "missing_values", (json_int_t)rep->missing_values,
        "unknown_rows", (json_int_t)rep->unknown_rows, "unknown_example", rep->unknown_example,
        "indicators", (json_int_t)rep->indicators, "new_indicators",
        (json_int_t)rep->new_indicators, "periods", (json_int_t)rep->periods, "skipped_columns",
        skipped, "suppressed_primary", (json_int_t)rep->suppressed_primary, "suppressed_secondary",
        (json_int_t)rep->suppressed_secondary);
}

/* `s` with every `from` replaced by `to` (JSON-safe when `to` needs no escaping in JSON: the
 * caller passes a file's base name); malloc'd, NULL when out of memory. */
static char *replace_all(const char *s, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to), n = 0;
    for (const char *p = strstr(s, from); fl && p; p = strstr(p + fl, from))
        n++;
    char *out = malloc(strlen(s) + n * (tl > fl ? tl - fl : 0) + 1);
    if (out == NULL)
        return NULL;
    char *o = out;
    for (const char *p; fl && (p = strstr(s, from)) != NULL; s = p + fl) {
        memcpy(o, s, (size_t)(p - s));
        o += p - s;
        memcpy(o, to, tl);
        o += tl;
    }
    memcpy(o, s, strlen(s) + 1);
    return out;
}

/* The preview: sol_import_data's own dry run (opts.preview: one transaction rolled back, nothing
 * written, not even the catalog), its JSON given to the page as it is, with the choices the
 * person made among candidates applied. */
static void preview(const sol_req *q, const char *file, const char *shown, sol_import_opts *o,
                    sol_reply *r)
{
    sol_error e;
    sol_error_clear(&e);
    sol_import_report rep;
    memset(&rep, 0, sizeof rep);
    o->preview = 1;
    sol_status rc = sol_import_data(q->st, file, o, &rep, &e);
    /* the page names the file as the person named it, never the server's temporary path */
    char *text =
        rc == SOL_OK && rep.preview_json ? replace_all(rep.preview_json, file, shown) : NULL;
    json_t *j = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    sol_import_report_free(&rep);
    if (rc != SOL_OK) {
        char msg[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
        sol_error_format(&e, msg, sizeof msg);
        char *said = replace_all(msg, file, shown);
        sol__reply_json(r, 422,
                        json_pack("{s:b,s:b,s:s,s:i}", "preview", 1, "ok", 0, "error",
                                  said ? said : msg, "status", 422),
                        0);
        free(said);
        return;
    }
    if (j == NULL) {
        sol__reply_error(r, 500, "out of memory");
        return;
    }
    sol__reply_json(r, 200, j, 0);
}

/* The person's choices for ambiguous names ([{"name", "parent"?, "code"}]) as the choices CSV
 * the import reads (name,parent,code); NULL when there are none. Caller frees. */
static char *choices_csv(json_t *list)
{
    if (!json_is_array(list) || json_array_size(list) == 0)
        return NULL;
    sol_buf b;
    sol__buf_init(&b, 1u << 20);
    sol__buf_addf(&b, "name,parent,code\n");
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c)
    {
        const char *name = opt_str(c, "name"), *code = opt_str(c, "code");
        const char *parent = opt_str(c, "parent");
        if (name == NULL || code == NULL)
            continue;
        sol__csv_text(&b, name);
        sol__buf_addc(&b, ',');
        if (parent)
            sol__csv_text(&b, parent);
        sol__buf_addc(&b, ',');
        sol__csv_text(&b, code);
        sol__buf_addc(&b, '\n');
    }
    if (sol__buf_addc(&b, '\0') != SOL_OK) {
        sol__buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* The import options from the request's "options" (every one optional). */
static void read_options(json_t *op, sol_import_opts *o)
{
    memset(o, 0, sizeof *o);
    o->source_name = opt_str(op, "source_name");
    o->licence = opt_str(op, "licence");
    o->attribution = opt_str(op, "attribution");
    o->area_field = opt_str(op, "area_field");
    o->period_field = opt_str(op, "period_field");
    o->period = opt_str(op, "period");
    o->indicator_field = opt_str(op, "indicator_field");
    o->value_field = opt_str(op, "value_field");
    o->indicators = opt_str(op, "indicators");
    o->count_indicators = opt_str(op, "count_indicators");
    json_int_t k = json_integer_value(json_object_get(op, "min_cell"));
    o->min_cell = k > 0 ? (uint64_t)k : 0;
    o->skip_unknown_areas = json_is_true(json_object_get(op, "skip_unknown_areas"));
    /* the organisation's own records: a draft until published with confirmation */
    o->own_records = json_is_true(json_object_get(op, "own_records"));
    /* spreadsheets: the sheet, and the indicator of a table with years as columns */
    o->sheet = opt_str(op, "sheet");
    o->indicator = opt_str(op, "indicator");
    const char *f = opt_str(op, "format");
    o->format = f == NULL                ? SOL_FORMAT_AUTO
                : strcmp(f, "wide") == 0 ? SOL_FORMAT_WIDE
                : strcmp(f, "long") == 0 ? SOL_FORMAT_LONG
                : strcmp(f, "sdmx") == 0 ? SOL_FORMAT_SDMX
                                         : SOL_FORMAT_AUTO;
}

void sol__api_import(const sol_req *q, sol_reply *r)
{
    json_t *body = sol__body_json(q, r);
    if (body == NULL)
        return;
    const char *filename = opt_str(body, "filename");
    json_t *b64 = json_object_get(body, "content_base64");
    if (filename == NULL || !json_is_string(b64)) {
        json_decref(body);
        sol__reply_error(r, 400, "the request body needs \"filename\" and \"content_base64\"");
        return;
    }
    unsigned char *data = NULL;
    size_t n = 0;
    int d = b64_decode(json_string_value(b64), json_string_length(b64), SOL__UPLOAD_MAX_BYTES,
                       &data, &n);
    if (d != 0) {
        json_decref(body);
        if (d == -2)
            sol__reply_error(r, 413, "the file is larger than %zu MB, the largest an upload can be",
                             SOL__UPLOAD_MAX_BYTES / 1000000);
        else if (d == -1)
            sol__reply_error(r, 400, "\"content_base64\" is not base64");
        else
            sol__reply_error(r, 500, "out of memory");
        return;
    }
    if (n == 0) {
        free(data);
        json_decref(body);
        sol__reply_error(r, 400, "the file is empty");
        return;
    }
    char file[512], meta[512];
    if (write_private("upload", upload_ext(filename), data, n, file, sizeof file) != 0) {
        free(data);
        json_decref(body);
        sol__reply_error(r, 500, "cannot write the upload to a temporary file");
        return;
    }
    free(data);
    json_t *op = json_object_get(body, "options");
    sol_import_opts o;
    read_options(op, &o);
    /* the source is named after the file unless the person names it */
    char base[256];
    const char *slash = strrchr(filename, '/');
    snprintf(base, sizeof base, "%s", slash ? slash + 1 : filename);
    if (o.source_name == NULL)
        o.source_name = base;
    /* the name the preview shows in place of the temporary path: the base name with anything
     * that would need escaping in JSON or could read as a path replaced */
    char shown[256];
    size_t k = 0;
    for (const unsigned char *c = (const unsigned char *)base; *c && k + 1 < sizeof shown; c++)
        shown[k++] = (isalnum(*c) || *c >= 0x80 || strchr(" ._-()", *c)) ? (char)*c : '_';
    shown[k] = '\0';
    int has_meta = write_meta(json_object_get(op, "indicator_meta"), meta, sizeof meta);
    /* the names the person chose among candidates, for the import (sol_import_opts.matches_csv
     * where the import takes them) and for the audit log */
    char *choices = choices_csv(json_object_get(op, "choices"));
    o.matches_csv = choices;
    if (has_meta > 0)
        o.indicator_meta = meta;
    if (json_is_true(json_object_get(op, "preview"))) {
        preview(q, file, shown, &o, r);
    } else if (has_meta < 0) {
        sol__reply_error(r, 500, "cannot write the indicators' labels to a temporary file");
    } else {
        sol_import_report rep;
        memset(&rep, 0, sizeof rep);
        sol_error e;
        sol_error_clear(&e);
        sol_status rc = sol_import_data(q->st, file, &o, &rep, &e);
        if (rc != SOL_OK) {
            reply_rc(r, rc, &e);
        } else {
            sol__audit(q, q->who->name, "workspace.import",
                       json_pack("{s:s,s:I,s:i,s:s*}", "source", o.source_name, "source_id",
                                 (json_int_t)rep.source_id, "version", rep.version, "choices",
                                 choices));
            sol__reply_json(r, 200,
                            json_pack("{s:b,s:b,s:s,s:o}", "preview", 0, "ok", 1, "source_name",
                                      o.source_name, "report", report_json(&rep)),
                            0);
        }
    }
    remove_private(file);
    if (has_meta > 0)
        remove_private(meta);
    free(choices);
    json_decref(body);
}

/* ---- analyses ---------------------------------------------------------------------------- */

static void reply_run(const sol_req *q, sol_reply *r, const char *kind, int64_t id, json_t *extra)
{
    sol__audit(q, q->who->name, "workspace.run", json_pack("{s:s,s:I}", "kind", kind, "run", id));
    json_t *j = json_pack("{s:I,s:s}", "run_id", (json_int_t)id, "kind", kind);
    if (extra)
        json_object_update(j, extra);
    json_decref(extra);
    sol__reply_json(r, 201, j, 0);
}

void sol__api_run_lisa(const sol_req *q, sol_reply *r)
{
    json_t *body = sol__body_json(q, r);
    if (body == NULL)
        return;
    sol_spatial_job j;
    sol_run_spatial_job_init(&j, SOL_SPATIAL_LISA);
    j.indicator = opt_str(body, "indicator");
    j.period = opt_str(body, "period");
    j.weights.islands = SOL_ISLANDS_KEEP;
    j.drop_missing = 1;
    j.nsim = 499;
    if (j.indicator == NULL) {
        json_decref(body);
        sol__reply_error(r, 400, "the request body needs \"indicator\"");
        return;
    }
    sol_spatial_output *out = NULL;
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = sol_run_spatial(q->st, &j, &out, &e);
    if (rc != SOL_OK)
        reply_rc(r, rc, &e);
    else
        reply_run(q, r, "spatial.lisa", out->run_id, json_pack("{s:s}", "period", out->period));
    sol_spatial_output_free(out);
    json_decref(body);
}

/* The fewest observed values a forecast takes (the short-series model's minimum when the
 * time module has one: annual series of 4 to 6 values). */
#ifdef SOL_TS_SHORT_MIN
#define FEWEST_VALUES SOL_TS_SHORT_MIN
#else
#define FEWEST_VALUES 4
#endif

/* 422 {"error", "too_short": true, "longest", "fewest", "notes"}: no series can be forecast. */
static void reply_too_short(sol_reply *r, size_t longest, json_t *notes)
{
    sol__reply_json(r, 422,
                    json_pack("{s:s,s:b,s:I,s:I,s:o,s:i}", "error",
                              _("every series of this indicator is too short to forecast"),
                              "too_short", 1, "longest", (json_int_t)longest, "fewest",
                              (json_int_t)FEWEST_VALUES, "notes", notes ? notes : json_array(),
                              "status", 422),
                    0);
}

/* The most observed values of any area's series of `indicator` (0 when it has none). */
static sol_status longest_series(sol_store *st, const char *indicator, size_t *longest,
                                 sol_error *e)
{
    sol_ts_set *set = NULL;
    sol_status rc = sol_run_series_from_store(st, indicator, &set, e);
    *longest = 0;
    for (size_t i = 0; rc == SOL_OK && i < set->n; i++) {
        size_t obs = set->series[i].n - set->series[i].n_missing;
        if (obs > *longest)
            *longest = obs;
    }
    sol_ts_set_free(set);
    return rc;
}

void sol__api_run_forecast(const sol_req *q, sol_reply *r)
{
    json_t *body = sol__body_json(q, r);
    if (body == NULL)
        return;
    sol_series_job j;
    sol_run_series_job_init(&j, SOL_SERIES_FORECAST);
    j.indicator = opt_str(body, "indicator");
    json_int_t h = json_integer_value(json_object_get(body, "horizon"));
    j.horizon = h >= 1 && h <= 10 ? (size_t)h : 3;
    if (j.indicator == NULL) {
        json_decref(body);
        sol__reply_error(r, 400, "the request body needs \"indicator\"");
        return;
    }
    sol_error e;
    sol_error_clear(&e);
    size_t longest = 0;
    sol_series_output *out = NULL;
    sol_status rc = longest_series(q->st, j.indicator, &longest, &e);
    if (rc == SOL_OK && longest < FEWEST_VALUES) {
        reply_too_short(r, longest, NULL);
        goto done;
    }
    /* then without recording: when the method takes none of the series, that is said, and
     * nothing is recorded */
    j.record = 0;
    if (rc == SOL_OK)
        rc = sol_run_series(q->st, &j, &out, &e);
    if (rc == SOL_OK && out->set && out->n_skipped >= out->set->n) {
        json_t *notes = json_array();
        for (size_t i = 0; i < out->n_notes && i < 5; i++)
            json_array_append_new(notes, json_string(out->notes[i]));
        reply_too_short(r, longest, notes);
        goto done;
    }
    sol_series_output_free(out);
    out = NULL;
    if (rc == SOL_OK) {
        j.record = 1;
        rc = sol_run_series(q->st, &j, &out, &e);
    }
    if (rc != SOL_OK) {
        reply_rc(r, rc, &e);
        goto done;
    }
    /* the models used, so the page can say when a short series got the short-series model */
    json_t *models = json_object();
    for (size_t i = 0; i < out->set->n; i++)
        if (out->status[i] == SOL_OK && out->ets)
            json_object_set_new(
                models, out->ets[i].name,
                json_integer(json_integer_value(json_object_get(models, out->ets[i].name)) + 1));
    reply_run(q, r, "time.forecast", out->run_id,
              json_pack("{s:I,s:I,s:I,s:o}", "series", (json_int_t)out->set->n, "skipped",
                        (json_int_t)out->n_skipped, "longest", (json_int_t)longest, "models",
                        models));
done:
    sol_series_output_free(out);
    json_decref(body);
}

/* The spec of an index whose weights people set with the sliders: one dimension, indicator
 * weights "human", set by the signed-in analyst today (the method card records both). */
void sol__api_run_index(const sol_req *q, sol_reply *r)
{
    json_t *body = sol__body_json(q, r);
    if (body == NULL)
        return;
    json_t *list = json_object_get(body, "indicators");
    if (!json_is_array(list) || json_array_size(list) < 2) {
        json_decref(body);
        sol__reply_error(r, 400, "an index needs at least two indicators, each with its weight");
        return;
    }
    char today[16];
    time_t now = time(NULL);
    struct tm tmv;
    gmtime_r(&now, &tmv);
    strftime(today, sizeof today, "%Y-%m-%d", &tmv);
    const char *method = opt_str(body, "method");
    int zs = method && strcmp(method, "zscore-mean") == 0;
    json_t *inds = json_array();
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it)
    {
        const char *code = opt_str(it, "code");
        json_t *wt = json_object_get(it, "weight");
        if (code == NULL || !json_is_number(wt)) {
            json_decref(inds);
            json_decref(body);
            sol__reply_error(r, 400, "each indicator of an index needs \"code\" and \"weight\"");
            return;
        }
        json_t *e = json_pack("{s:s,s:s,s:f}", "code", code, "dimension", "composite", "weight",
                              json_number_value(wt));
        const char *pol = opt_str(it, "polarity");
        if (pol)
            json_object_set_new(e, "polarity", json_string(pol));
        json_array_append_new(inds, e);
    }
    json_t *spec = json_pack(
        "{s:o,s:s,s:s,s:{s:s,s:s,s:s,s:s},s:s,s:[s]}", "indicators", inds, "normalisation",
        zs ? "zscore" : "minmax", "aggregation", "arith", "weights", "indicators", "human",
        "dimensions", "equal", "set_by", q->who->name, "set_on", today, "missing", "reweight",
        "comment", "weights set with the dashboard's sliders by the person named in set_by");
    const char *period = opt_str(body, "period");
    if (spec && period)
        json_object_set_new(spec, "periods", json_string(period));
    char *text = spec ? json_dumps(spec, JSON_COMPACT) : NULL;
    json_decref(spec);
    sol_index_spec *s = NULL;
    sol_index_output *out = NULL;
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = text ? sol_index_spec_parse_json(text, strlen(text), &s, &e)
                         : sol__err(&e, SOL_ENOMEM, "out of memory");
    free(text);
    if (rc == SOL_OK)
        rc = sol_run_index_spec(q->st, s, &out, &e);
    if (rc != SOL_OK)
        reply_rc(r, rc, &e);
    else
        reply_run(q, r, "index", out->run_id,
                  json_pack("{s:s,s:s}", "weights_set_by", q->who->name, "weights_set_on", today));
    sol_index_output_free(out);
    sol_index_spec_free(s);
    json_decref(body);
}
