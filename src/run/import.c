/* import.c - imports as single transactions recorded in the catalog: area layers through
 * sol_geo_read, indicator tables (wide, long, SDMX-CSV) through the streaming CSV reader. */
#include <solidata/import.h>
#include <solidata/privacy.h>
#include <solidata/run.h>

#include <solidata/csv.h>
#include <solidata/geo.h>
#include <solidata/version.h>
#include <solidata/withhold.h>

#include "core/core.h"
#include "match_int.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define ZERO_SHA "0000000000000000000000000000000000000000000000000000000000000000"

/* ---- shared pieces -------------------------------------------------------------------------- */

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static sol_status file_sha256(const char *path, char hex[65], sol_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return sol__err_at(err, SOL_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    crypto_hash_sha256_state s;
    crypto_hash_sha256_init(&s);
    unsigned char buf[1 << 16], d[32];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        crypto_hash_sha256_update(&s, buf, n);
    int bad = ferror(fp);
    fclose(fp);
    if (bad)
        return sol__err_at(err, SOL_EIO, path, 0, 0, "read error");
    crypto_hash_sha256_final(&s, d);
    sodium_bin2hex(hex, 65, d, sizeof d);
    return SOL_OK;
}

/* Is the current version of `name` byte-identical to `path`? Sets the current id and version. */
static sol_status same_as_current(sol_store *st, const char *name, const char *path, int64_t size,
                                  int *same, int64_t *cur_id, int *cur_ver, char hex[65],
                                  sol_error *err)
{
    char cur_sha[65];
    *same = 0;
    *cur_id = 0;
    *cur_ver = 0;
    hex[0] = '\0';
    sol_status rc = sol_store_source_current(st, name, cur_id, cur_ver, cur_sha, err);
    if (rc == SOL_ENOTFOUND)
        return SOL_OK;
    if (rc != SOL_OK)
        return rc;
    (void)size;
    if ((rc = file_sha256(path, hex, err)) != SOL_OK)
        return rc;
    *same = strcmp(hex, cur_sha) == 0;
    return SOL_OK;
}

static char *options_json(const sol_import_opts *o, const char *kind)
{
    json_t *j = json_object();
    if (j == NULL)
        return NULL;
    json_object_set_new(j, "kind", json_string(kind));
#define OPT(f)                                                                                     \
    if (o->f)                                                                                      \
    json_object_set_new(j, #f, json_string(o->f))
    OPT(code_field);
    OPT(name_field);
    OPT(parent_field);
    OPT(level);
    OPT(layer);
    OPT(assume_crs);
    OPT(area_field);
    OPT(period_field);
    OPT(period);
    OPT(indicator_field);
    OPT(value_field);
    OPT(se_field);
    OPT(flags_field);
    OPT(indicators);
    OPT(indicator_meta);
    OPT(count_indicators);
    OPT(matches_file);
    OPT(matches_csv);
    OPT(sheet);
    OPT(indicator);
#undef OPT
    if (o->match != SOL_MATCH_AUTO)
        json_object_set_new(j, "match",
                            json_string(o->match == SOL_MATCH_NAMES ? "names" : "codes"));
    static const char *const enc[] = {"auto", "utf-8", "windows-1252", "iso-8859-1", "iso-8859-15"};
    if (o->encoding > 0 && o->encoding < 5)
        json_object_set_new(j, "encoding", json_string(enc[o->encoding]));
    if (o->header_row)
        json_object_set_new(j, "header_row", json_integer((json_int_t)o->header_row));
    if (o->decimal_mark)
        json_object_set_new(j, "decimal_mark", json_stringn(&o->decimal_mark, 1));
    if (o->min_cell)
        json_object_set_new(j, "min_cell", json_integer((json_int_t)o->min_cell));
    if (o->skip_unknown_areas)
        json_object_set_new(j, "skip_unknown_areas", json_true());
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    return s;
}

/* source replace: are the options of `o` those recorded with version `id` (its licence and
 * attribution included)? Indicator metadata given again counts as a change (its file may have
 * changed while its name did not). */
static sol_status same_options(sol_store *st, int64_t id, const sol_import_opts *o, int *same,
                               sol_error *err);

/* Open the transaction and record the source; supersede the previous version. */
static sol_status begin_source(sol_store *st, const char *path, const sol_import_opts *o,
                               const char *kind, const char *connector, const char *sha,
                               int64_t bytes, int64_t prev_id, int prev_ver, sol_import_report *rep,
                               sol_error *err)
{
    sol_status rc;
    char now[32];
    sol__utc_now(now, sizeof now);
    char *opts = options_json(o, kind);
    sol_source s = {
        .name = o->source_name ? o->source_name : base_name(path),
        .version = prev_ver + 1,
        .connector = connector,
        .location = path,
        .licence = o->licence,
        .attribution = o->attribution,
        .sha256 = sha,
        .bytes = bytes,
        .imported_at = now,
        .tool_version = SOL_VERSION_STRING,
        .options = opts,
        .own_records = o->own_records,
    };
    /* after a removal no version is current: numbering goes on from the last one */
    int last = 0;
    rc = sol_store_source_last_version(st, s.name, &last, err);
    if (rc == SOL_OK && last >= s.version)
        s.version = last + 1;
    if (rc == SOL_OK)
        rc = sol_store_source_add(st, &s, &rep->source_id, err);
    free(opts);
    if (rc == SOL_OK && o->publish) /* in the import's transaction: refused, nothing imported */
        rc = sol_store_publish(
            st, &(sol_publish_req){.kind = "source", .name = s.name, .publish = 1}, NULL, err);
    if (rc == SOL_OK && prev_id)
        rc = sol_store_source_supersede(st, prev_id, err);
    rep->version = s.version;
    snprintf(rep->connector, sizeof rep->connector, "%s", connector);
    return rc;
}

/* Inside the import's transaction: declare the count indicators and the dataset's minimum cell
 * size, recompute the disclosure flags (new areas or values change the tables), and append the
 * import to the hash-chained audit log (who, what, which file and its SHA-256). */
static sol_status protect(sol_store *st, const char *path, const sol_import_opts *o,
                          const char *name, const char *action, sol_import_report *rep,
                          sol_error *err)
{
    sol_status rc;
    if (o->count_indicators) {
        const char *p = o->count_indicators;
        while (*p) {
            size_t n = strcspn(p, ",");
            char code[SOL_MAX_CODE + 1];
            if (n == 0 || n > SOL_MAX_CODE)
                return sol__err(err, SOL_EINVAL,
                                "--count-indicators '%s': expected indicator codes separated by "
                                "commas",
                                o->count_indicators);
            memcpy(code, p, n);
            code[n] = '\0';
            if ((rc = sol_disclosure_count_indicator(st, code, 1, err)) != SOL_OK) {
                if (rc == SOL_ENOTFOUND)
                    rc = sol__err(err, SOL_ENOTFOUND,
                                  "--count-indicators: no indicator '%s' in this file or the "
                                  "store; check the code (solidata list indicators)",
                                  code);
                return rc;
            }
            p += n + (p[n] == ',');
        }
    }
    if (o->min_cell && (rc = sol_disclosure_min_cell(st, name, o->min_cell, err)) != SOL_OK)
        return rc;
    char derived[SOL_MAX_CODE + 1], component[SOL_MAX_CODE + 1];
    int unknown = 0;
    if ((rc = sol_disclosure_unknown_component(st, derived, sizeof derived, component,
                                               sizeof component, &unknown, err)) != SOL_OK)
        return rc;
    if (unknown)
        return sol__err_at(err, SOL_ENOTFOUND, o->indicator_meta ? o->indicator_meta : path, 0, 0,
                           "indicator '%s' is computed from '%s', which is not an indicator of "
                           "this file or the store; fix the numerator/denominator columns of the "
                           "indicator metadata",
                           derived, component);
    int64_t prim = 0, sec = 0;
    if ((rc = sol_disclosure_refresh(st, &prim, &sec, err)) != SOL_OK)
        return rc;
    rep->suppressed_primary = prim;
    rep->suppressed_secondary = sec;
    json_t *j = json_pack("{s:s,s:s,s:i,s:s,s:I,s:I,s:I}", "source", name, "file", path, "version",
                          rep->version, "sha256", rep->sha256, "rows_written",
                          (json_int_t)rep->rows_written, "suppressed_primary", (json_int_t)prim,
                          "suppressed_secondary", (json_int_t)sec);
    char *detail = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(j);
    if (detail == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    const char *who = sol_run_actor();
    rc = sol_store_audit_append(st, who, action, detail, err);
    free(detail);
    return rc;
}

/* ---- areas ---------------------------------------------------------------------------------- */

sol_status sol_import_areas(sol_store *st, const char *path, const sol_import_opts *o,
                            sol_import_report *rep, sol_error *err)
{
    sol_status rc;
    sol_layer *l = NULL;
    memset(rep, 0, sizeof *rep);
    if (sodium_init() < 0)
        return sol__err(err, SOL_EIO, "libsodium failed to initialise");
    sol_geo_opts g = {.code_field = o->code_field,
                      .name_field = o->name_field,
                      .parent_field = o->parent_field,
                      .layer = o->layer,
                      .assume_crs = o->assume_crs,
                      .make_valid = o->make_valid};
    if ((rc = sol_geo_read(path, &g, &l, err)) != SOL_OK)
        return rc;
    struct stat sb;
    int64_t bytes = stat(path, &sb) == 0 ? (int64_t)sb.st_size : 0;
    int same, prev_ver;
    int64_t prev_id;
    const char *name = o->source_name ? o->source_name : base_name(path);
    if ((rc = same_as_current(st, name, path, bytes, &same, &prev_id, &prev_ver, rep->sha256,
                              err)) != SOL_OK)
        goto out;
    if (!rep->sha256[0] && (rc = file_sha256(path, rep->sha256, err)) != SOL_OK)
        goto out;
    snprintf(rep->crs_original, sizeof rep->crs_original, "%s", l->crs_original);
    rep->rows_read = (int64_t)l->n;
    if (same && o->replace && (rc = same_options(st, prev_id, o, &same, err)) != SOL_OK)
        return rc;
    if (same) {
        rep->unchanged = 1;
        rep->version = prev_ver;
        rep->source_id = prev_id;
        goto out;
    }
    char connector[32];
    snprintf(connector, sizeof connector, "ogr:%s", l->driver ? l->driver : "?");
    if ((rc = sol_store_begin(st, err)) != SOL_OK)
        goto out;
    if ((rc = begin_source(st, path, o, "areas", connector, rep->sha256, bytes, prev_id, prev_ver,
                           rep, err)) != SOL_OK)
        goto rollback;
    for (size_t i = 0; i < l->n; i++) {
        const sol_feature *f = &l->f[i];
        sol_area a = {.code = f->code,
                      .name = f->name,
                      .level = o->level ? o->level : "area",
                      .parent_code = f->parent,
                      .geometry = f->geojson,
                      .crs_original = l->crs_original,
                      .bbox = {f->bbox[0], f->bbox[1], f->bbox[2], f->bbox[3]},
                      .centroid = {f->centroid[0], f->centroid[1]},
                      .source_id = rep->source_id};
        if ((rc = sol_store_area_put(st, &a, NULL, err)) != SOL_OK)
            goto rollback;
        rep->rows_written++;
    }
    if ((rc = sol_store_source_finish(st, rep->source_id, connector, rep->sha256, rep->rows_read,
                                      rep->rows_written, err)) != SOL_OK ||
        (rc = protect(st, path, o, name, "import.areas", rep, err)) != SOL_OK ||
        (rc = sol_store_commit(st, err)) != SOL_OK)
        goto rollback;
    goto out;
rollback:
    sol_store_rollback(st);
    sol__err_where(err, path);
out:
    sol_layer_free(l);
    return rc;
}

/* ---- indicator metadata --------------------------------------------------------------------- */

static long first_col(const sol_csv *c, const char *const *names)
{
    for (; *names; names++) {
        long i = sol_csv_colindex(c, *names);
        if (i >= 0)
            return i;
    }
    return -1;
}

static sol_status parse_polarity(const char *s, int *pol)
{
    static const char *const pos[] = {"higher_better", "positive", "+", "+1", "1", "up",
                                      "higher",        NULL};
    static const char *const neg[] = {"lower_better", "negative", "-", "-1", "down", "lower", NULL};
    if (*s == '\0') {
        *pol = 0;
        return SOL_OK;
    }
    for (int k = 0; pos[k]; k++)
        if (strcmp(s, pos[k]) == 0) {
            *pol = 1;
            return SOL_OK;
        }
    for (int k = 0; neg[k]; k++)
        if (strcmp(s, neg[k]) == 0) {
            *pol = -1;
            return SOL_OK;
        }
    return SOL_EPARSE;
}

static const char *nonempty(const sol_csv *c, long i)
{
    if (i < 0)
        return NULL;
    const char *s = sol_csv_field(c, (size_t)i, NULL);
    return *s ? s : NULL;
}

/* The relation of a derived indicator (a rate, share or mean) to the indicators it is computed
 * from: "numerator" holds codes joined by '+', "denominator" one code. Recorded so that
 * disclosure control withholds the derived value wherever a component is withheld. */
static sol_status meta_relation(sol_store *st, const sol_csv *c, const char *path, const char *code,
                                long inum, long iden, sol_error *err)
{
    const char *num = nonempty(c, inum), *den = nonempty(c, iden);
    if (num == NULL && den == NULL)
        return SOL_OK;
    enum { MAXC = 32 };
    char buf[MAXC * (SOL_MAX_CODE + 1)];
    const char *parts[MAXC];
    size_t n = 0;
    if (den && (strlen(den) > SOL_MAX_CODE || strpbrk(den, "+,; ") != NULL))
        return sol__err_at(err, SOL_EPARSE, path, sol_csv_line(c), sol_csv_col(c, (size_t)iden),
                           "denominator '%s': expected one indicator code", den);
    if (num) {
        if (strlen(num) >= sizeof buf)
            return sol__err_at(err, SOL_ELIMIT, path, sol_csv_line(c), sol_csv_col(c, (size_t)inum),
                               "numerator too long (at most %d codes)", MAXC);
        memcpy(buf, num, strlen(num) + 1);
        for (char *p = buf;;) {
            char *plus = strchr(p, '+');
            if (plus)
                *plus = '\0';
            while (*p == ' ')
                p++;
            size_t len = strlen(p);
            while (len > 0 && p[len - 1] == ' ')
                p[--len] = '\0';
            if (len == 0 || len > SOL_MAX_CODE || n == MAXC)
                return sol__err_at(err, SOL_EPARSE, path, sol_csv_line(c),
                                   sol_csv_col(c, (size_t)inum),
                                   "numerator '%s': expected indicator codes joined by '+' (at "
                                   "most %d)",
                                   num, MAXC);
            parts[n++] = p;
            if (plus == NULL)
                break;
            p = plus + 1;
        }
    }
    sol_status rc = sol_disclosure_link(st, code, parts, n, den, err);
    if (rc == SOL_EINVAL)
        return sol__err_at(err, SOL_EPARSE, path, sol_csv_line(c),
                           sol_csv_col(c, (size_t)(num ? inum : iden)),
                           "'%s' cannot be computed from itself; the numerator and denominator "
                           "name the indicators it is computed from",
                           code);
    return rc;
}

/* A column name given twice in the metadata's header (label_fr twice: which one is French?) is
 * an error at the second one. */
static sol_status meta_header_unique(const sol_csv *c, const char *path, sol_error *err)
{
    size_t n = sol_csv_ncols(c);
    for (size_t i = 1; i < n; i++) {
        const char *name = sol_csv_colname(c, i);
        if (*name == '\0')
            continue;
        for (size_t k = 0; k < i; k++)
            if (strcmp(name, sol_csv_colname(c, k)) == 0)
                return sol__err_at(err, SOL_EPARSE, path, sol_csv_line(c), sol_csv_col(c, i),
                                   "column '%s' appears twice in the header (columns %zu and %zu): "
                                   "keep one",
                                   name, k + 1, i + 1);
    }
    return SOL_OK;
}

static sol_status import_meta(sol_store *st, const char *path, char delim, sol_error *err)
{
    static const char *const k_code[] = {"code", "indicator", "indicator_id", "id", NULL};
    /* the publisher's label and unit; without them, the first language column of the file */
    static const char *const k_label[] = {"label", "name", "title", NULL};
    static const char *const k_unit[] = {"unit", NULL};
    static const char *const k_pol[] = {"polarity", "direction", NULL};
    static const char *const k_dim[] = {"dimension", "domain",    "domain_en",
                                        "domain_it", "domain_fr", NULL};
    static const char *const k_kind[] = {"kind", "type", NULL};
    static const char *const k_num[] = {"numerator", "computed_from", NULL};
    static const char *const k_den[] = {"denominator", NULL};
    sol_csv *c = NULL;
    sol_csv_opts co = {.delimiter = delim};
    sol_status rc = sol_csv_open(path, &co, &c, err);
    if (rc != SOL_OK)
        return rc;
    if ((rc = meta_header_unique(c, path, err)) != SOL_OK)
        goto out;
    long ic = first_col(c, k_code), il = first_col(c, k_label), iu = first_col(c, k_unit),
         ip = first_col(c, k_pol), id = first_col(c, k_dim), ik = first_col(c, k_kind),
         inum = first_col(c, k_num), iden = first_col(c, k_den);
    /* the label and unit in each language: label_fr (or name_fr), unit_fr */
    long ilang[SOL_LANG_COUNT], iulang[SOL_LANG_COUNT];
    for (int l = 0; l < SOL_LANG_COUNT; l++) {
        char name[16];
        const char *code = sol_lang_code((sol_lang)l);
        snprintf(name, sizeof name, "label_%s", code);
        if ((ilang[l] = sol_csv_colindex(c, name)) < 0) {
            snprintf(name, sizeof name, "name_%s", code);
            ilang[l] = sol_csv_colindex(c, name);
        }
        snprintf(name, sizeof name, "unit_%s", code);
        iulang[l] = sol_csv_colindex(c, name);
        if (ilang[l] >= 0 && (il < 0 || ilang[l] < il) && first_col(c, k_label) < 0)
            il = ilang[l];
        if (iulang[l] >= 0 && (iu < 0 || iulang[l] < iu) && first_col(c, k_unit) < 0)
            iu = iulang[l];
    }
    int il_lang = il >= 0 && first_col(c, k_label) < 0,
        iu_lang = iu >= 0 && first_col(c, k_unit) < 0;
    if (ic < 0) {
        rc = sol__err_at(err, SOL_EPARSE, path, 1, 0,
                         "indicator metadata needs a 'code' (or 'indicator_id') column");
        goto out;
    }
    while ((rc = sol_csv_next(c, err)) == SOL_OK) {
        sol_indicator ind = {.code = sol_csv_field(c, (size_t)ic, NULL),
                             .label = nonempty(c, il),
                             .unit = nonempty(c, iu),
                             .dimension = nonempty(c, id)};
        for (int l = 0; l < SOL_LANG_COUNT; l++) {
            ind.labels[l] = nonempty(c, ilang[l]);
            ind.units[l] = nonempty(c, iulang[l]);
        }
        /* a language column standing for the publisher's text names a new indicator only: it
         * does not replace the label a known indicator has */
        if ((il_lang || iu_lang) && *ind.code && sol_store_has_indicator(st, ind.code)) {
            if (il_lang)
                ind.label = NULL;
            if (iu_lang)
                ind.unit = NULL;
        }
        if (!*ind.code) {
            rc = sol__err_at(err, SOL_EPARSE, path, sol_csv_line(c), sol_csv_col(c, (size_t)ic),
                             "empty indicator code");
            goto out;
        }
        if (ip >= 0 &&
            parse_polarity(sol_csv_field(c, (size_t)ip, NULL), &ind.polarity) != SOL_OK) {
            rc = sol__err_at(err, SOL_EPARSE, path, sol_csv_line(c), sol_csv_col(c, (size_t)ip),
                             "polarity '%s': expected higher_better or lower_better (or +/-)",
                             sol_csv_field(c, (size_t)ip, NULL));
            goto out;
        }
        int64_t iid;
        if ((rc = sol_store_indicator_put(st, &ind, 1, &iid, err)) != SOL_OK)
            goto out;
        /* kind "count" (or unit "count"): values are numbers of persons, disclosure-controlled */
        const char *kind = nonempty(c, ik);
        int is_count = (kind && strcasecmp(kind, "count") == 0) ||
                       (ind.unit && strcasecmp(ind.unit, "count") == 0);
        if ((is_count || kind) &&
            (rc = sol_disclosure_count_indicator(st, ind.code, is_count, err)) != SOL_OK)
            goto out;
        if ((inum >= 0 || iden >= 0) &&
            (rc = meta_relation(st, c, path, ind.code, inum, iden, err)) != SOL_OK)
            goto out;
    }
    if (rc == SOL_EOF)
        rc = SOL_OK;
    else if (rc == SOL_EPARSE && sol_csv_col(c, sol_csv_ncols(c)) > 0)
        /* more fields than the header: name the first one without a column */
        rc = sol__err_at(err, SOL_EPARSE, path, sol_csv_line(c), sol_csv_col(c, sol_csv_ncols(c)),
                         "this row has more fields than the header's %zu columns: a language "
                         "column (label_en, label_fr, label_it, unit_en, unit_fr, unit_it) missing "
                         "from the header, or a comma inside a label that is not quoted?",
                         sol_csv_ncols(c));
out:
    sol_csv_close(c);
    return rc;
}

/* ---- data ---------------------------------------------------------------------------------- */

typedef struct colmap {
    long area, period, indicator, value, se, flags;
    size_t nind; /* wide: indicator columns; sdmx: dimension columns */
    size_t *ind_cols;
    int64_t *ind_ids; /* wide: indicator id per indicator column */
    int labelled;     /* sdmx: "CODE: Label" cells */
    char *dataflow;   /* sdmx: indicator code prefix */
} colmap;

/* The last code met in a column and its id: a file's rows come grouped (an indicator's areas,
 * an area's periods), so most look-ups are the previous row's and skip the hash and memcmp. */
typedef struct last_code {
    char s[SOL_MAX_CODE];
    size_t n; /* 0: nothing yet (an empty code is never cached) */
    int64_t id;
} last_code;

static int last_hit(const last_code *l, const char *s, size_t n, int64_t *id)
{
    if (n == 0 || l->n != n || memcmp(l->s, s, n) != 0)
        return 0;
    *id = l->id;
    return 1;
}

static void last_set(last_code *l, const char *s, size_t n, int64_t id)
{
    l->n = 0;
    if (n == 0 || n > sizeof l->s)
        return;
    memcpy(l->s, s, n);
    l->n = n;
    l->id = id;
}

/* Observations waiting to be written: sol_store_obs_batch_size rows per statement ("a chunk":
 * 256 on SQLite, 16,384 a COPY on PostgreSQL), and a batch of chunks handed to the writer thread
 * at a time (BATCH_CHUNKS of SQLite's small ones, fewer hand-offs; one of PostgreSQL's). */
#define BATCH_CHUNKS   16
#define WRITER_BATCHES 4

typedef struct obs_batch {
    size_t n;
    sol_obs_row *row; /* the rows and their cells, in the same allocation */
    unsigned long *line, *col;
} obs_batch;

/* A batch of `cap` rows, or NULL when out of memory. */
static obs_batch *batch_new(size_t cap)
{
    obs_batch *b = sol__malloc(sizeof *b + cap * (sizeof *b->row + 2 * sizeof *b->line));
    if (b == NULL)
        return NULL;
    b->n = 0;
    b->row = (sol_obs_row *)(b + 1);
    b->line = (unsigned long *)(b->row + cap);
    b->col = b->line + cap;
    return b;
}

/* The writer thread: it writes the batches in the order the reading thread fills them, so that
 * the store is the same whatever the timing. The store's connection is used by one thread at a
 * time (`store`); `lock` guards the queue, `rc` and `err`. */
typedef struct writer {
    int on;
    pthread_t th;
    pthread_mutex_t lock, store;
    pthread_cond_t filled, freed;
    obs_batch *buf[WRITER_BATCHES]; /* buf[0] also the one batch without a writer */
    int full[WRITER_BATCHES];
    size_t next; /* reader: the batch being filled is buf[next % WRITER_BATCHES] */
    int done;    /* reader: no batch will follow */
    sol_status rc;
    sol_error err;
    sol_lang lang; /* the reader's language (a server thread's asker's): the writer's messages */
} writer;

typedef struct importer {
    sol_store *st;
    const sol_import_opts *o;
    sol_import_report *rep;
    const char *path;
    sol_strmap *periods, *inds;
    sol_strmap *count_codes; /* indicators that are counts of persons (store or options) */
    sol_strmap *count_ids;   /* their ids (8 bytes) among this file's indicators */
    sol_status load_rc;      /* set by load_count when the map cannot grow */
    int64_t fixed_period;    /* id, or 0 */
    int comma_ok;
    sol_buf key; /* sdmx indicator code */
    /* matching and preview */
    sol__matcher *match;   /* the area column's values -> areas */
    long parent_col;       /* the parent_field column, or -1 */
    json_t *pv_inds;       /* preview: [{"code","values","new"}] in the order met */
    sol_strmap *pv_ind_at; /* preview: indicator id (8 bytes) -> index in pv_inds */
    json_t *pv_periods;    /* preview: period labels in the order met */
    json_t *problems;      /* preview: what would stop the import */
    int64_t cell_problems; /* preview: cells the import would stop at (listed up to a cap) */
    last_code last_area, last_period, last_ind;
    obs_batch *cur; /* the observations being gathered */
    size_t chunk;   /* rows per statement (sol_store_obs_batch_size) */
    size_t rows;    /* rows per batch: a number of chunks */
    writer w;
} importer;

static sol_status stop_or_note(importer *im, sol_status rc, sol_error *err);

/* The bad cells one preview lists; past them, a count. */
#define PREVIEW_CELL_PROBLEMS 20

/* A cell the import would stop at (not a number, not a period, a second value...). A preview
 * lists it among the problems and goes on without it, so that one preview shows every bad
 * cell of the file, not only the first; an import stops. */
static sol_status cell_or_note(importer *im, sol_status rc, sol_error *err)
{
    if (rc == SOL_OK || !im->o->preview || rc == SOL_ENOMEM)
        return rc;
    if (im->cell_problems++ < PREVIEW_CELL_PROBLEMS)
        return stop_or_note(im, rc, err);
    sol_error_clear(err);
    return SOL_OK;
}

/* A preview's count of an indicator's values, less one value that is not written. */
static void pv_uncount(importer *im, int64_t ind)
{
    int64_t at;
    if (im->pv_inds && sol__strmap_get(im->pv_ind_at, (const char *)&ind, sizeof ind, &at)) {
        json_t *e = json_object_get(json_array_get(im->pv_inds, (size_t)at), "values");
        json_integer_set(e, json_integer_value(e) - 1);
    }
}

/* Write n <= im->chunk observations of a batch from row `at`; a duplicate is reported at its own
 * line and column (in a preview, noted, and the rest of the rows written). */
static sol_status write_rows(importer *im, const obs_batch *b, size_t at, size_t n, sol_error *err)
{
    size_t start = 0;
    sol_status rc;
    for (;;) {
        size_t bad = 0;
        int64_t other = 0;
        rc = sol_store_obs_put_many(im->st, b->row + at + start, n - start, im->rep->source_id,
                                    &bad, &other, err);
        if (rc != SOL_EDUPLICATE) {
            if (rc == SOL_OK)
                im->rep->rows_written += (int64_t)(n - start);
            break;
        }
        unsigned long line = b->line[at + start + bad], col = b->col[at + start + bad];
        if (other == im->rep->source_id)
            rc = sol__err_at(err, SOL_EDUPLICATE, im->path, line, col,
                             "a second value for the same (area, period, indicator); each "
                             "may appear once in a file");
        else
            rc = sol__err_at(err, SOL_EDUPLICATE, im->path, line, col,
                             "this (area, period, indicator) already has a value from another "
                             "source (catalog id %lld); see 'solidata catalog'",
                             (long long)other);
        if ((rc = cell_or_note(im, rc, err)) != SOL_OK)
            return rc;
        im->rep->rows_written += (int64_t)bad; /* the rows before it were written */
        pv_uncount(im, b->row[at + start + bad].indicator_id);
        if ((start += bad + 1) >= n)
            break;
    }
    return rc;
}

/* Write a batch, one chunk per statement (the writer holds the store between statements only). */
static sol_status write_batch(importer *im, obs_batch *b, sol_error *err)
{
    sol_status rc = SOL_OK;
    for (size_t at = 0; at < b->n && rc == SOL_OK; at += im->chunk) {
        if (im->w.on)
            pthread_mutex_lock(&im->w.store);
        rc = write_rows(im, b, at, b->n - at < im->chunk ? b->n - at : im->chunk, err);
        if (im->w.on)
            pthread_mutex_unlock(&im->w.store);
    }
    b->n = 0;
    return rc;
}

static sol_status flush(importer *im, sol_error *err)
{
    return write_batch(im, im->cur, err);
}

static void *writer_main(void *ud)
{
    importer *im = ud;
    writer *w = &im->w;
    sol_lang_set_thread((int)w->lang);
    for (size_t j = 0;; j++) {
        size_t i = j % WRITER_BATCHES;
        pthread_mutex_lock(&w->lock);
        while (!w->full[i] && !w->done)
            pthread_cond_wait(&w->filled, &w->lock);
        sol_status failed = w->rc;
        int have = w->full[i];
        pthread_mutex_unlock(&w->lock);
        if (!have) /* done, and every batch written */
            break;
        /* after a failure the batches are only given back: the import stops */
        sol_status rc = failed == SOL_OK ? write_batch(im, w->buf[i], &w->err) : SOL_OK;
        pthread_mutex_lock(&w->lock);
        w->buf[i]->n = 0;
        w->full[i] = 0;
        if (rc != SOL_OK)
            w->rc = rc;
        pthread_cond_signal(&w->freed);
        pthread_mutex_unlock(&w->lock);
    }
    return NULL;
}

/* Hand the batch's whole chunks to the writer and keep gathering in the next batch (the rows of
 * an incomplete chunk carried into it). The writer's failure, if any, with its message. */
static sol_status hand_off(importer *im, sol_error *err)
{
    writer *w = &im->w;
    obs_batch *b = im->cur, *nb = w->buf[(w->next + 1) % WRITER_BATCHES];
    size_t whole = b->n / im->chunk * im->chunk;
    pthread_mutex_lock(&w->lock);
    if (whole > 0) {
        while (w->full[(w->next + 1) % WRITER_BATCHES])
            pthread_cond_wait(&w->freed, &w->lock);
        nb->n = b->n - whole;
        memcpy(nb->row, b->row + whole, nb->n * sizeof *nb->row);
        memcpy(nb->line, b->line + whole, nb->n * sizeof *nb->line);
        memcpy(nb->col, b->col + whole, nb->n * sizeof *nb->col);
        b->n = whole;
        w->full[w->next % WRITER_BATCHES] = 1;
        w->next++;
        im->cur = nb;
        pthread_cond_signal(&w->filled);
    }
    sol_status rc = w->rc;
    if (rc != SOL_OK && err)
        *err = w->err;
    pthread_mutex_unlock(&w->lock);
    return rc;
}

/* A second thread writes while this one reads, when there are two (OpenMP's thread count, as
 * every parallel part of solidata) and the import is not a preview. */
static sol_status writer_start(importer *im, sol_error *err)
{
    writer *w = &im->w;
    int threads = 1; /* without OpenMP (the fuzzing build), one */
#ifdef _OPENMP
    threads = omp_get_max_threads();
#endif
    if (im->o->preview || threads < 2)
        return SOL_OK;
    for (size_t i = 1; i < WRITER_BATCHES; i++)
        if (w->buf[i] == NULL && (w->buf[i] = batch_new(im->rows)) == NULL)
            return sol__err(err, SOL_ENOMEM, "out of memory");
    for (size_t i = 0; i < WRITER_BATCHES; i++) {
        if (w->buf[i] != im->cur)
            w->buf[i]->n = 0;
        w->full[i] = 0;
    }
    /* the batch being gathered is the first the writer will take */
    w->buf[0] = im->cur;
    w->next = 0;
    w->done = 0;
    w->rc = SOL_OK;
    w->lang = sol_lang_current();
    sol_error_clear(&w->err);
    pthread_mutex_init(&w->lock, NULL);
    pthread_mutex_init(&w->store, NULL);
    pthread_cond_init(&w->filled, NULL);
    pthread_cond_init(&w->freed, NULL);
    w->on = 1;
    if (pthread_create(&w->th, NULL, writer_main, im) != 0) {
        w->on = 0; /* one thread then */
        pthread_mutex_destroy(&w->lock);
        pthread_mutex_destroy(&w->store);
        pthread_cond_destroy(&w->filled);
        pthread_cond_destroy(&w->freed);
    }
    return SOL_OK;
}

/* The writer given the whole chunks gathered (as one thread would have written them before the
 * next row), then stopped: its failure, if any, which comes first in the file. The rows of an
 * incomplete chunk stay in im->cur for this thread. */
static sol_status writer_stop(importer *im, sol_error *err)
{
    writer *w = &im->w;
    if (!w->on)
        return SOL_OK;
    sol_status rc = hand_off(im, NULL);
    pthread_mutex_lock(&w->lock);
    w->done = 1;
    pthread_cond_signal(&w->filled);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->th, NULL);
    w->on = 0;
    pthread_mutex_destroy(&w->lock);
    pthread_mutex_destroy(&w->store);
    pthread_cond_destroy(&w->filled);
    pthread_cond_destroy(&w->freed);
    if ((rc = w->rc) != SOL_OK && err)
        *err = w->err;
    return rc;
}

/* The store from the reading thread while the writer runs (a new period or indicator). */
static void store_lock(importer *im, int on)
{
    if (im->w.on && on)
        pthread_mutex_lock(&im->w.store);
    else if (im->w.on)
        pthread_mutex_unlock(&im->w.store);
}

static sol_status period_id(importer *im, const char *s, size_t n, unsigned long line,
                            unsigned long col, int64_t *id, sol_error *err)
{
    if (last_hit(&im->last_period, s, n, id))
        return SOL_OK;
    if (sol__strmap_get(im->periods, s, n, id)) {
        last_set(&im->last_period, s, n, *id);
        return SOL_OK;
    }
    char label[16], freq;
    int64_t idx;
    if (sol_period_parse(s, n, label, &freq, &idx) != SOL_OK)
        return sol__err_at(err, SOL_EPARSE, im->path, line, col,
                           "'%.*s' is not a period: expected 2023, 2023-S1, 2023-Q2 or 2023-05",
                           (int)(n > 40 ? 40 : n), s);
    store_lock(im, 1);
    sol_status rc = sol_store_period_put(im->st, label, freq, idx, id, err);
    store_lock(im, 0);
    if (rc == SOL_OK)
        rc = sol__strmap_put(im->periods, s, n, *id);
    if (rc == SOL_OK)
        im->rep->periods++;
    if (rc == SOL_OK && im->pv_periods && json_array_append_new(im->pv_periods, json_string(label)))
        rc = SOL_ENOMEM;
    return rc;
}

/* 1 when every indicator of the file is to be declared a count: the organisation's own records
 * (flag or a licence that is not open) with no --count-indicators saying which are. */
static int own_records_counts(const sol_import_opts *o)
{
    if (o->count_indicators != NULL)
        return 0;
    sol_licence_kind k = sol_withhold_licence(o->licence);
    return o->own_records || k == SOL_LICENCE_CLOSED || k == SOL_LICENCE_FORBIDS;
}

static sol_status indicator_id(importer *im, const char *s, size_t n, unsigned long line,
                               unsigned long col, int64_t *id, sol_error *err)
{
    if (last_hit(&im->last_ind, s, n, id))
        return SOL_OK;
    if (sol__strmap_get(im->inds, s, n, id)) {
        last_set(&im->last_ind, s, n, *id);
        return SOL_OK;
    }
    if (n == 0 || n > SOL_MAX_CODE)
        return sol__err_at(err, SOL_EPARSE, im->path, line, col,
                           n ? "indicator code longer than %u bytes"
                             : "empty indicator code (at most %u bytes expected)",
                           SOL_MAX_CODE);
    char code[SOL_MAX_CODE + 1];
    memcpy(code, s, n);
    code[n] = '\0';
    sol_indicator ind = {.code = code};
    store_lock(im, 1);
    int known = im->pv_inds ? sol_store_has_indicator(im->st, code) : 1;
    sol_status rc = sol_store_indicator_put(im->st, &ind, 0, id, err);
    store_lock(im, 0);
    if (rc != SOL_OK)
        return rc;
    im->rep->indicators++;
    if (im->pv_inds) {
        json_t *e = json_pack("{s:s,s:i,s:b}", "code", code, "values", 0, "new", !known);
        if (e == NULL || sol__strmap_put(im->pv_ind_at, (const char *)id, sizeof *id,
                                         (int64_t)json_array_size(im->pv_inds)) != SOL_OK) {
            json_decref(e);
            return SOL_ENOMEM;
        }
        if (json_array_append_new(im->pv_inds, e) != 0)
            return SOL_ENOMEM;
    }
    /* an organisation's own records (--own-records, or a licence that is not open) are counts
     * of people it helped unless --count-indicators says which are: each indicator of the file
     * is declared a count, so that small counts are withheld (docs/publish.md) */
    if (own_records_counts(im->o) && !im->pv_inds) {
        store_lock(im, 1);
        rc = sol_disclosure_count_indicator(im->st, code, 1, err);
        store_lock(im, 0);
        if (rc != SOL_OK)
            return rc;
        if ((rc = sol__strmap_put(im->count_codes, s, n, 1)) != SOL_OK)
            return rc;
    }
    if (sol__strmap_get(im->count_codes, s, n, NULL) &&
        (rc = sol__strmap_put(im->count_ids, (const char *)id, sizeof *id, 1)) != SOL_OK)
        return rc;
    return sol__strmap_put(im->inds, s, n, *id);
}

/* The indicators that are counts: declared in the store (metadata kind=count, an earlier
 * --count-indicators) or by this import's --count-indicators. */
static int load_count(void *ud, const sol_indicator *ind)
{
    importer *im = ud;
    if (ind->kind != NULL && strcmp(ind->kind, "count") == 0 &&
        sol__strmap_put(im->count_codes, ind->code, strlen(ind->code), 1) != SOL_OK)
        im->load_rc = SOL_ENOMEM;
    return 0;
}

static sol_status load_counts(importer *im, sol_error *err)
{
    sol_status rc = sol_store_indicators(im->st, load_count, im, err);
    if (rc == SOL_OK && (rc = im->load_rc) != SOL_OK)
        return sol__err(err, rc, "out of memory");
    for (const char *p = im->o->count_indicators; rc == SOL_OK && p != NULL && *p;) {
        size_t n = strcspn(p, ",");
        rc = sol__strmap_put(im->count_codes, p, n, 1);
        p += n + (p[n] == ',');
    }
    return rc;
}

static sol_status put_obs(importer *im, const sol_csv *c, int64_t ind, int64_t area, int64_t period,
                          size_t vcol, long secol, int flags, sol_error *err)
{
    size_t n;
    const char *v = sol_csv_field(c, vcol, &n);
    if (sol__is_missing(v, n)) {
        im->rep->missing_values++;
        return SOL_OK;
    }
    double x, se = NAN;
    if (sol__parse_double(v, n, im->comma_ok, &x) != SOL_OK)
        return cell_or_note(im,
                            sol__err_at(err, SOL_ETYPE, im->path, sol_csv_line(c),
                                        sol_csv_col(c, vcol),
                                        "expected a number in column '%s', found '%.*s'",
                                        sol_csv_colname(c, vcol), (int)(n > 40 ? 40 : n), v),
                            err);
    if (secol >= 0) {
        const char *s = sol_csv_field(c, (size_t)secol, &n);
        if (!sol__is_missing(s, n) &&
            (sol__parse_double(s, n, im->comma_ok, &se) != SOL_OK || se < 0))
            return cell_or_note(
                im,
                sol__err_at(err, SOL_ETYPE, im->path, sol_csv_line(c),
                            sol_csv_col(c, (size_t)secol),
                            "expected a non-negative standard error in column '%s', found "
                            "'%.*s'",
                            sol_csv_colname(c, (size_t)secol), (int)(n > 40 ? 40 : n), s),
                err);
    }
    if (x < 0 && sol__strmap_get(im->count_ids, (const char *)&ind, sizeof ind, NULL))
        return cell_or_note(im,
                            sol__err_at(err, SOL_ETYPE, im->path, sol_csv_line(c),
                                        sol_csv_col(c, vcol),
                                        "column '%s' is a count of persons, which cannot be "
                                        "negative; found '%.*s'",
                                        sol_csv_colname(c, vcol), (int)(n > 40 ? 40 : n), v),
                            err);
    int64_t at;
    if (im->pv_inds && sol__strmap_get(im->pv_ind_at, (const char *)&ind, sizeof ind, &at)) {
        json_t *e = json_object_get(json_array_get(im->pv_inds, (size_t)at), "values");
        json_integer_set(e, json_integer_value(e) + 1);
    }
    obs_batch *b = im->cur;
    size_t k = b->n++;
    b->row[k] = (sol_obs_row){ind, area, period, x, se, flags};
    b->line[k] = sol_csv_line(c);
    b->col[k] = sol_csv_col(c, vcol);
    if (im->w.on)
        return b->n == im->rows ? hand_off(im, err) : SOL_OK;
    return b->n == im->chunk ? flush(im, err) : SOL_OK;
}

static sol_status resolve_area(importer *im, const sol_csv *c, long col, int64_t *id,
                               sol_error *err)
{
    size_t n, pn = 0;
    const char *s = sol_csv_field(c, (size_t)col, &n);
    const char *p = im->parent_col >= 0 ? sol_csv_field(c, (size_t)im->parent_col, &pn) : NULL;
    if (p == NULL && last_hit(&im->last_area, s, n, id))
        return SOL_OK;
    if (sol__match_get(im->match, s, n, p, pn, id)) {
        if (p == NULL)
            last_set(&im->last_area, s, n, *id);
        return SOL_OK;
    }
    if (im->o->skip_unknown_areas || im->o->preview) {
        if (im->rep->unknown_rows++ == 0)
            snprintf(im->rep->unknown_example, sizeof im->rep->unknown_example, "%.*s",
                     (int)(n > SOL_MAX_CODE ? SOL_MAX_CODE : n), s);
        return SOL_ENOTFOUND;
    }
    return sol__err_at(err, SOL_EUNKNOWNAREA, im->path, sol_csv_line(c),
                       sol_csv_col(c, (size_t)col),
                       "area code '%.*s' is not in the store; import the areas first "
                       "('solidata import areas'), or pass --skip-unknown-areas",
                       (int)(n > 64 ? 64 : n), s);
}

static sol_status row_period(importer *im, const sol_csv *c, const colmap *m, int64_t *pid,
                             sol_error *err)
{
    if (m->period < 0) {
        *pid = im->fixed_period;
        return SOL_OK;
    }
    size_t n;
    const char *s = sol_csv_field(c, (size_t)m->period, &n);
    return period_id(im, s, n, sol_csv_line(c), sol_csv_col(c, (size_t)m->period), pid, err);
}

static void progress(importer *im, const sol_csv *c, uint64_t total)
{
    if (im->o->progress && (im->rep->rows_read & 0xFFFFF) == 0)
        im->o->progress(im->o->progress_ud, sol_csv_bytes(c), total, im->rep->rows_read);
}

/* SDMX: "CODE: Label" -> "CODE" (only when the header showed labels). */
static size_t sdmx_code(const char *s, size_t n, int labelled)
{
    if (!labelled)
        return n;
    const char *colon = memchr(s, ':', n);
    return colon ? (size_t)(colon - s) : n;
}

/* One row of the file, its area already resolved: its period, flags, indicator(s) and values. */
static sol_status import_row(importer *im, const sol_csv *c, sol_data_format fmt, const colmap *m,
                             int64_t area, sol_error *err)
{
    sol_status rc;
    int64_t period, ind;
    if ((rc = row_period(im, c, m, &period, err)) != SOL_OK) {
        if (rc == SOL_EPARSE) /* a preview: the row's cells without a period are not counted */
            return cell_or_note(im, rc, err);
        return rc;
    }
    int flags = 0;
    if (m->flags >= 0) {
        const char *fs = sol_csv_field(c, (size_t)m->flags, NULL);
        if (sol_flags_parse(fs, &flags) != SOL_OK)
            return cell_or_note(im,
                                sol__err_at(err, SOL_EPARSE, im->path, sol_csv_line(c),
                                            sol_csv_col(c, (size_t)m->flags),
                                            "unknown flag '%s': expected e, p, c, b, u, i or "
                                            "words such as estimated|provisional",
                                            fs),
                                err);
    }
    if (fmt == SOL_FORMAT_WIDE) {
        for (size_t k = 0; k < m->nind; k++)
            if ((rc = put_obs(im, c, m->ind_ids[k], area, period, m->ind_cols[k], -1, flags,
                              err)) != SOL_OK)
                return rc;
        return SOL_OK;
    }
    size_t n;
    const char *code;
    if (fmt == SOL_FORMAT_LONG) {
        code = sol_csv_field(c, (size_t)m->indicator, &n);
    } else {
        sol__buf_reset(&im->key);
        rc = sol__buf_add(&im->key, m->dataflow, strlen(m->dataflow));
        for (size_t k = 0; k < m->nind && rc == SOL_OK; k++) {
            const char *d = sol_csv_field(c, m->ind_cols[k], &n);
            n = sdmx_code(d, n, m->labelled);
            if ((rc = sol__buf_addc(&im->key, '.')) == SOL_OK)
                rc = sol__buf_add(&im->key, d, n);
        }
        if (rc != SOL_OK)
            return sol__err_at(err, rc, im->path, sol_csv_line(c), 0, "indicator code too long");
        code = im->key.data;
        n = im->key.len;
    }
    if ((rc = indicator_id(im, code, n, sol_csv_line(c),
                           m->indicator >= 0 ? sol_csv_col(c, (size_t)m->indicator) : 0, &ind,
                           err)) != SOL_OK)
        return rc;
    return put_obs(im, c, ind, area, period, (size_t)m->value, m->se, flags, err);
}

/* The rows of the file from record `from` (0: the first) on, their areas matched. */
static sol_status import_rows(importer *im, sol_csv *c, sol_data_format fmt, const colmap *m,
                              uint64_t from, uint64_t total, sol_error *err)
{
    sol_status rc;
    for (uint64_t r = 0; (rc = sol_csv_next(c, err)) == SOL_OK; r++) {
        if (r < from)
            continue;
        im->rep->rows_read++;
        progress(im, c, total);
        int64_t area;
        rc = resolve_area(im, c, m->area, &area, err);
        if (rc == SOL_ENOTFOUND)
            continue;
        if (rc != SOL_OK || (rc = import_row(im, c, fmt, m, area, err)) != SOL_OK)
            return rc;
    }
    if (rc == SOL_EOF)
        return im->cur->n ? flush(im, err) : SOL_OK;
    return rc;
}

static sol_status need_col(const sol_csv *c, const char *path, const char *name, const char *flag,
                           long *idx, sol_error *err)
{
    *idx = sol_csv_colindex(c, name);
    if (*idx < 0) /* before the first record, the line is the header's */
        return sol__err_at(err, SOL_EPARSE, path, sol_csv_line(c), 0,
                           "no column named '%s' in the header (%s); the columns are: %s%s%s%s",
                           name, flag, sol_csv_colname(c, 0), sol_csv_ncols(c) > 1 ? ", " : "",
                           sol_csv_ncols(c) > 1 ? sol_csv_colname(c, 1) : "",
                           sol_csv_ncols(c) > 2 ? ", ..." : "");
    return SOL_OK;
}

/* ---- wide columns that are identifiers, not indicators ----------------------------------- */

/* Why a column is left out of a wide import without --indicators. */
typedef enum col_kind {
    COL_INDICATOR = 0,
    COL_KEY,     /* the area, period or flags column */
    COL_TEXT,    /* a cell that is not a number, or no value at all */
    COL_ID_NAME, /* numeric, but named as an identifier (phone, email, id, ...) */
    COL_ID_LONG, /* integers of 8 or more digits, all of one length, never one value for two
                    areas */
    COL_ID_ZEROS /* integers written with leading zeros: codes */
} col_kind;

/* The words of a column name that make it an identifier: personal contacts and codes that a
 * spreadsheet holds as numbers but that are never measures (and may identify a person). */
/* clang-format off */
static const char *const ID_WORDS[] = {
    "id", "ids", "phone", "tel", "telefono", "telephone", "t\xc3\xa9l\xc3\xa9phone", "telefon",
    "mobile", "cellulare", "fax", "email", "mail", "iban", "cap", "postcode", "postal", "zip",
    "zipcode", "plz", "ssn", "cf", "piva", "codice_fiscale",
    "e_mail", "partita_iva", "postal_code", "zip_code", "code_postal", "codice_postale", "tax_id",
    "phone_number", "numero_telefono", "num_tel", "n_tel", "codicefiscale", "partitaiva",
    NULL};
/* clang-format on */

/* 1 when a word of `name` (split at anything that is not a letter, digit or a byte of a UTF-8
 * sequence, and at a lower-to-upper case change), or two neighbouring words joined by '_', is
 * one of ID_WORDS, case aside. */
static int id_name(const char *name)
{
    char prev[64], word[64], pair[130];
    size_t n = 0;
    prev[0] = '\0';
    for (const char *p = name;; p++) {
        unsigned char ch = (unsigned char)*p;
        int alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch >= 0x80;
        int split = ch >= 'A' && ch <= 'Z' && n > 0 && word[n - 1] >= 'a' && word[n - 1] <= 'z';
        if ((!alnum || split) && n > 0) {
            word[n] = '\0';
            snprintf(pair, sizeof pair, "%s_%s", prev, word);
            for (int k = 0; ID_WORDS[k]; k++)
                if (strcmp(word, ID_WORDS[k]) == 0 || (prev[0] && strcmp(pair, ID_WORDS[k]) == 0))
                    return 1;
            memcpy(prev, word, n + 1);
            n = 0;
        }
        if (ch == '\0')
            return 0;
        if (alnum && n + 1 < sizeof word)
            word[n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    }
}

/* The digits of a cell written as a whole number (blanks and one leading '+' allowed), or 0. */
static size_t int_digits(const char *s, size_t n, const char **digits)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n && *s == '+') {
        s++;
        n--;
    }
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    *digits = s;
    return n;
}

/* Per candidate column, while its cells may still be an identifier's. */
typedef struct id_scan {
    unsigned char ints;  /* every cell so far a whole number */
    unsigned char longs; /* every cell so far 8+ digits, all of one length (as phone numbers and
                            identifiers are; totals over areas of different sizes are not), no
                            value seen for two areas */
    size_t len;          /* that length */
    unsigned char zeros; /* a cell with a leading zero */
    sol_strmap *owner;   /* digits -> the area (number) that has it, while `longs` */
} id_scan;

static sol_status id_cell(id_scan *d, const char *s, size_t n, int64_t area)
{
    const char *dg = NULL;
    size_t nd = int_digits(s, n, &dg);
    if (nd == 0) {
        d->ints = d->longs = 0;
        return SOL_OK;
    }
    if (nd > 1 && dg[0] == '0')
        d->zeros = 1;
    if (!d->longs)
        return SOL_OK;
    int64_t who;
    if (d->len == 0)
        d->len = nd;
    if (nd < 8 || nd != d->len || (sol__strmap_get(d->owner, dg, nd, &who) && who != area)) {
        d->longs = 0;
        sol__strmap_free(d->owner);
        d->owner = NULL;
        return SOL_OK;
    }
    return sol__strmap_put(d->owner, dg, nd, area);
}

/* Wide format without --indicators: a pre-pass keeps the columns whose every non-missing cell
 * is a number and that are not identifiers (by their name, or by cells that are all whole
 * numbers with leading zeros, or of 8+ digits with no value shared by two areas). */
static sol_status numeric_columns(const char *path, const sol_csv *src, const colmap *m,
                                  const char *parent_field, int comma_ok, int preview,
                                  unsigned char *kind, size_t ncols, sol_error *err)
{
    sol_csv *c = NULL;
    sol_status rc = sol_csv_reopen(src, &c, err);
    if (rc != SOL_OK)
        return rc;
    /* per column: numbers and other cells seen, and the first other cell (line, column, text) */
    int64_t *nums = sol__calloc(ncols, sizeof *nums), *texts = sol__calloc(ncols, sizeof *texts);
    unsigned long *bad_line = sol__calloc(ncols, sizeof *bad_line),
                  *bad_col = sol__calloc(ncols, sizeof *bad_col);
    char(*bad)[41] = sol__calloc(ncols, sizeof *bad);
    unsigned char *seen = sol__calloc(ncols, 1);
    id_scan *id = sol__calloc(ncols, sizeof *id);
    sol_strmap *areas = sol__strmap_new(256);
    if (seen == NULL || id == NULL || areas == NULL || nums == NULL || texts == NULL ||
        bad_line == NULL || bad_col == NULL || bad == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < ncols; k++) {
        int key = (long)k == m->area || (long)k == m->period || (long)k == m->flags ||
                  (parent_field && strcmp(sol_csv_colname(c, k), parent_field) == 0);
        kind[k] = key ? COL_KEY : COL_INDICATOR;
        id[k].ints = id[k].longs = 1;
        if (!key && (id[k].owner = sol__strmap_new(64)) == NULL) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto out;
        }
    }
    while ((rc = sol_csv_next(c, err)) == SOL_OK) {
        int64_t area = 0;
        if (m->area >= 0) {
            size_t an;
            const char *a = sol_csv_field(c, (size_t)m->area, &an);
            if (!sol__strmap_get(areas, a, an, &area)) {
                area = (int64_t)sol__strmap_count(areas);
                if ((rc = sol__strmap_put(areas, a, an, area)) != SOL_OK) {
                    sol__err(err, rc, "out of memory");
                    goto out;
                }
            }
        }
        for (size_t k = 0; k < ncols; k++) {
            if (kind[k] != COL_INDICATOR)
                continue;
            size_t n;
            const char *s = sol_csv_field(c, k, &n);
            double x;
            if (sol__is_missing(s, n))
                continue;
            seen[k] = 1;
            if (sol__parse_double(s, n, comma_ok, &x) != SOL_OK) {
                if (texts[k]++ == 0) {
                    bad_line[k] = sol_csv_line(c);
                    bad_col[k] = sol_csv_col(c, k);
                    snprintf(bad[k], sizeof bad[k], "%.*s", (int)(n > 40 ? 40 : n), s);
                }
                continue;
            }
            nums[k]++;
            if (id[k].ints && (rc = id_cell(&id[k], s, n, area)) != SOL_OK) {
                sol__err(err, rc, "out of memory");
                goto out;
            }
        }
    }
    if (rc != SOL_EOF)
        goto out;
    rc = SOL_OK;
    for (size_t k = 0; k < ncols; k++) {
        if (kind[k] != COL_INDICATOR)
            continue;
        if (!seen[k] || (texts[k] && texts[k] > nums[k]))
            kind[k] = COL_TEXT;
        else if (id_name(sol_csv_colname(c, k)))
            kind[k] = COL_ID_NAME;
        else if (texts[k] && !preview) {
            /* a column of numbers with a cell that is not one: said, never dropped (a preview
             * keeps the column and lists each such cell as it reads the rows) */
            rc = sol__err_at(err, SOL_ETYPE, path, bad_line[k], bad_col[k],
                             "column '%s' holds numbers, but this cell holds '%s': write a "
                             "number, leave the cell empty for a missing value, or leave the "
                             "column out with --indicators",
                             sol_csv_colname(c, k), bad[k]);
            goto out;
        } else if (id[k].ints && id[k].zeros)
            kind[k] = COL_ID_ZEROS;
        else if (id[k].ints && id[k].longs)
            kind[k] = COL_ID_LONG;
    }
out:
    for (size_t k = 0; id != NULL && k < ncols; k++)
        sol__strmap_free(id[k].owner);
    sol__strmap_free(areas);
    sol__free(id);
    sol__free_n(6, seen, nums, texts, bad_line, bad_col, bad);
    sol_csv_close(c);
    return rc;
}

/* The SDMX dataflow id from the first data row ("ESTAT:ILC_LI02(1.0)" -> "ILC_LI02"). */
static sol_status sdmx_dataflow(const sol_csv *src, char **out, sol_error *err)
{
    sol_csv *c = NULL;
    sol_status rc = sol_csv_reopen(src, &c, err);
    if (rc != SOL_OK)
        return rc;
    long df = sol_csv_colindex(c, "DATAFLOW");
    if (df < 0)
        df = sol_csv_colindex(c, "STRUCTURE_ID");
    char *name = NULL;
    if (df >= 0 && (rc = sol_csv_next(c, err)) == SOL_OK) {
        const char *s = sol_csv_field(c, (size_t)df, NULL);
        const char *colon = strchr(s, ':');
        if (colon)
            s = colon + 1;
        size_t n = strcspn(s, "(");
        name = sol__strndup(s, n > SOL_MAX_CODE / 2 ? SOL_MAX_CODE / 2 : n);
    }
    sol_csv_close(c);
    if (rc != SOL_OK && rc != SOL_EOF)
        return rc;
    *out = name ? name : sol__strdup("SDMX");
    return *out ? SOL_OK : sol__err(err, SOL_ENOMEM, "out of memory");
}

static sol_status map_columns(importer *im, sol_csv *c, sol_data_format *fmt, colmap *m,
                              sol_error *err)
{
    const sol_import_opts *o = im->o;
    const char *path = im->path;
    sol_status rc;
    size_t ncols = sol_csv_ncols(c);
    m->area = m->period = m->indicator = m->value = m->se = m->flags = -1;

    int sdmx_like =
        sol_csv_colindex(c, "OBS_VALUE") >= 0 && sol_csv_colindex(c, "TIME_PERIOD") >= 0;
    /* Eurostat with labels: "TIME_PERIOD: Time" style headers */
    for (size_t k = 0; k < ncols && !sdmx_like; k++)
        if (strncmp(sol_csv_colname(c, k), "OBS_VALUE:", 10) == 0)
            sdmx_like = 1;
    const char *ind_field = o->indicator_field ? o->indicator_field : "indicator";
    const char *val_field = o->value_field ? o->value_field : "value";
    if (*fmt == SOL_FORMAT_AUTO)
        *fmt = sdmx_like ? SOL_FORMAT_SDMX
               : (sol_csv_colindex(c, ind_field) >= 0 && sol_csv_colindex(c, val_field) >= 0)
                   ? SOL_FORMAT_LONG
                   : SOL_FORMAT_WIDE;

    if (*fmt == SOL_FORMAT_SDMX) {
        static const char *const skip[] = {
            "DATAFLOW",    "STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION",   "LAST UPDATE",
            "FREQ",        "freq",      "TIME_PERIOD",  "OBS_VALUE",      "OBS_FLAG", "OBS_STATUS",
            "CONF_STATUS", "OBS_CONF",  "UNIT_MULT",    "DECIMALS",       "BASE_PER", "COMMENT_OBS",
            NULL};
        static const char *const area_names[] = {"REF_AREA", "geo", "GEO", "ITTER107", NULL};
        m->area = -1;
        m->labelled = 0;
        char names[64][128];
        size_t nn = ncols < 64 ? ncols : 64;
        for (size_t k = 0; k < nn; k++) {
            const char *h = sol_csv_colname(c, k);
            size_t n = strcspn(h, ":");
            if (h[n] == ':')
                m->labelled = 1;
            snprintf(names[k], sizeof names[k], "%.*s", (int)(n < 127 ? n : 127), h);
        }
        if (ncols > 64)
            return sol__err_at(err, SOL_ELIMIT, path, 1, 0, "more than 64 SDMX columns");
        for (size_t k = 0; k < nn; k++) {
            if (o->area_field ? strcmp(names[k], o->area_field) == 0 : 0)
                m->area = (long)k;
            for (int a = 0; !o->area_field && area_names[a] && m->area < 0; a++)
                if (strcmp(names[k], area_names[a]) == 0)
                    m->area = (long)k;
            if (strcmp(names[k], "TIME_PERIOD") == 0)
                m->period = (long)k;
            if (strcmp(names[k], "OBS_VALUE") == 0)
                m->value = (long)k;
            if (strcmp(names[k], "OBS_FLAG") == 0 || strcmp(names[k], "OBS_STATUS") == 0)
                m->flags = (long)k;
        }
        if (m->area < 0)
            return sol__err_at(err, SOL_EPARSE, path, 1, 0,
                               "SDMX-CSV without an area column (REF_AREA, geo, ITTER107); name "
                               "it with --area-field");
        if ((m->ind_cols = sol__calloc(ncols, sizeof *m->ind_cols)) == NULL)
            return sol__err(err, SOL_ENOMEM, "out of memory");
        for (size_t k = 0; k < nn; k++) {
            int skipped = (long)k == m->area || strncmp(names[k], "NOTE_", 5) == 0;
            for (int s = 0; skip[s] && !skipped; s++)
                skipped = strcmp(names[k], skip[s]) == 0;
            if (!skipped)
                m->ind_cols[m->nind++] = k;
        }
        /* the indicator code starts with the dataflow id: "ESTAT:ILC_LI02(1.0)" -> ILC_LI02 */
        return sdmx_dataflow(c, &m->dataflow, err);
    }

    if (o->area_field == NULL)
        return sol__err(err, SOL_EINVAL,
                        "--area-field is required: the column holding area "
                        "codes");
    if ((rc = need_col(c, path, o->area_field, "--area-field", &m->area, err)) != SOL_OK)
        return rc;
    if (o->period_field &&
        (rc = need_col(c, path, o->period_field, "--period-field", &m->period, err)) != SOL_OK)
        return rc;
    if (!o->period_field && !o->period)
        return sol__err(err, SOL_EINVAL,
                        "say when the values refer to: --period-field COLUMN or --period 2023");
    if (o->flags_field &&
        (rc = need_col(c, path, o->flags_field, "--flags-field", &m->flags, err)) != SOL_OK)
        return rc;
    if (*fmt == SOL_FORMAT_LONG) {
        if ((rc = need_col(c, path, ind_field, "--indicator-field", &m->indicator, err)) !=
                SOL_OK ||
            (rc = need_col(c, path, val_field, "--value-field", &m->value, err)) != SOL_OK)
            return rc;
        if (o->se_field) {
            if ((rc = need_col(c, path, o->se_field, "--se-field", &m->se, err)) != SOL_OK)
                return rc;
        } else {
            m->se = sol_csv_colindex(c, "se");
        }
        if (!o->flags_field)
            m->flags = sol_csv_colindex(c, "flags");
        return SOL_OK;
    }
    /* wide */
    if ((m->ind_cols = sol__calloc(ncols, sizeof *m->ind_cols)) == NULL ||
        (m->ind_ids = sol__calloc(ncols, sizeof *m->ind_ids)) == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    if (o->indicators) {
        const char *s = o->indicators;
        while (*s) {
            size_t n = strcspn(s, ",");
            char name[SOL_MAX_CODE + 1];
            snprintf(name, sizeof name, "%.*s", (int)(n > SOL_MAX_CODE ? SOL_MAX_CODE : n), s);
            long k;
            if (n && (rc = need_col(c, path, name, "--indicators", &k, err)) != SOL_OK)
                return rc;
            if (n)
                m->ind_cols[m->nind++] = (size_t)k;
            s += n;
            if (*s == ',')
                s++;
        }
    } else {
        static const char *const why[] = {
            [COL_ID_NAME] = "an identifier by its name",
            [COL_ID_LONG] = "an identifier: whole numbers of 8+ digits, one per area",
            [COL_ID_ZEROS] = "a code: whole numbers with leading zeros"};
        unsigned char *kind = sol__calloc(ncols, 1);
        if (kind == NULL)
            return sol__err(err, SOL_ENOMEM, "out of memory");
        rc = numeric_columns(path, c, m, im->o->parent_field, im->comma_ok, im->o->preview, kind,
                             ncols, err);
        sol_buf skipped;
        sol__buf_init(&skipped, sizeof im->rep->skipped_columns - 1);
        for (size_t k = 0; rc == SOL_OK && k < ncols; k++) {
            const char *name = sol_csv_colname(c, k);
            if (kind[k] == COL_INDICATOR)
                m->ind_cols[m->nind++] = k;
            else if (kind[k] == COL_TEXT)
                sol__buf_addf(&skipped, "%s%s", skipped.len ? "," : "", name);
            else if (kind[k] != COL_KEY)
                sol__buf_addf(&skipped, "%s%s (%s; --indicators imports it)",
                              skipped.len ? "," : "", name, why[kind[k]]);
        }
        if (skipped.data)
            snprintf(im->rep->skipped_columns, sizeof im->rep->skipped_columns, "%s", skipped.data);
        sol__buf_free(&skipped);
        sol__free(kind);
        if (rc != SOL_OK)
            return rc;
    }
    if (m->nind == 0)
        return sol__err_at(err, SOL_EPARSE, path, 1, 0,
                           "no indicator column: name them with --indicators A,B,...");
    for (size_t k = 0; k < m->nind; k++) {
        const char *name = sol_csv_colname(c, m->ind_cols[k]);
        if ((rc = indicator_id(im, name, strlen(name), 1, 0, &m->ind_ids[k], err)) != SOL_OK)
            return rc;
    }
    return SOL_OK;
}

/* Nothing is dropped silently: a file that yields no value is an error, and a new version that
 * removes more than half of the current version's values (superseding deletes them) needs the
 * person to say so. */
static sol_status check_shrink(const sol_import_opts *o, const char *name, int64_t prev_id,
                               int prev_ver, const sol_store_counts *before,
                               const sol_store_counts *after, const sol_import_report *rep,
                               sol_error *err)
{
    if (rep->rows_written == 0)
        return sol__err(err, SOL_EINVAL,
                        "no value was written (%lld data row(s) read, %lld empty cell(s), %lld "
                        "row(s) for areas not in the store): check the file and the columns "
                        "chosen",
                        (long long)rep->rows_read, (long long)rep->missing_values,
                        (long long)rep->unknown_rows);
    if (prev_id == 0 || o->allow_shrink)
        return SOL_OK;
    /* after = before - (the current version's values) + (this version's values) */
    int64_t old = before->observations - after->observations + rep->rows_written;
    if (old > 0 && rep->rows_written * 2 < old)
        return sol__err(err, SOL_EINVAL,
                        "this file has %lld value(s) where version %d of source '%s' has %lld: "
                        "importing it would remove %lld value(s). Is the file truncated or "
                        "empty? If the smaller version is right, import it again with "
                        "--allow-shrink",
                        (long long)rep->rows_written, prev_ver, name, (long long)old,
                        (long long)(old - rep->rows_written));
    return SOL_OK;
}

/* ---- matching the area column; the preview -------------------------------------------------- */

/* In a preview, what would stop the import is listed in "problems", not returned. */
static sol_status stop_or_note(importer *im, sol_status rc, sol_error *err)
{
    if (rc == SOL_OK || !im->o->preview || rc == SOL_ENOMEM)
        return rc;
    char line[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
    if (err)
        snprintf(line, sizeof line, "%s%s%s", err->where, err->where[0] ? ": " : "", err->msg);
    else
        snprintf(line, sizeof line, "%s", sol_strerror(rc));
    if (json_array_append_new(im->problems, json_string(line)) != 0)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol_error_clear(err);
    return SOL_OK;
}

/* The person's choices and the parent column, before the area column's values are added. */
static sol_status match_setup(importer *im, const sol_csv *c, sol_error *err)
{
    const sol_import_opts *o = im->o;
    sol_status rc;
    im->parent_col = -1;
    if ((o->matches_file || o->matches_csv) &&
        (rc = sol__match_choices(im->match, o->matches_file ? o->matches_file : "choices",
                                 o->matches_file ? NULL : o->matches_csv, err)) != SOL_OK)
        return rc;
    if (o->parent_field)
        return need_col(c, im->path, o->parent_field, "--parent-field", &im->parent_col, err);
    return SOL_OK;
}

/* The current record's area (and parent) value, for the matcher. */
static const char *area_value(const importer *im, const sol_csv *c, const colmap *m, size_t *n,
                              const char **p, size_t *pn)
{
    *pn = 0;
    *p = im->parent_col >= 0 ? sol_csv_field(c, (size_t)im->parent_col, pn) : NULL;
    return sol_csv_field(c, (size_t)m->area, n);
}

static sol_status match_add(importer *im, const sol_csv *c, const colmap *m, sol_error *err)
{
    size_t n, pn;
    const char *p, *v = area_value(im, c, m, &n, &p, &pn);
    if (sol__match_add(im->match, v, n, p, pn, sol_csv_line(c), sol_csv_col(c, (size_t)m->area)) !=
        SOL_OK)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    return SOL_OK;
}

/* Every distinct value of the area column added: matched, counted, and the ambiguous and the
 * unknown listed at once (an error, or a preview's problems). */
static sol_status match_settle(importer *im, const sol_csv *c, const colmap *m, sol_error *err)
{
    const sol_import_opts *o = im->o;
    sol_status rc = sol__match_resolve(im->match, err);
    if (rc != SOL_OK)
        return rc;
    sol__match_counts k;
    sol__match_count(im->match, &k);
    im->rep->areas_by_code = k.by_code;
    im->rep->areas_restored = k.restored;
    im->rep->areas_by_name = k.by_name;
    im->rep->areas_by_choice = k.by_choice;
    im->rep->areas_unmatched = k.unmatched;
    im->rep->areas_ambiguous = k.ambiguous;
    const char *col = sol_csv_colname(c, (size_t)m->area);
    rc = stop_or_note(im, sol__match_check(im->match, im->path, col, SOL__CHECK_AMBIGUOUS, err),
                      err);
    if (rc == SOL_OK && !o->skip_unknown_areas)
        rc = stop_or_note(im, sol__match_check(im->match, im->path, col, SOL__CHECK_UNKNOWN, err),
                          err);
    return rc;
}

/* The file read once when it can. Every distinct area value must be matched before a value is
 * written, since a name or a lost leading zero is matched against the whole column; but a value
 * that is a store code (or the person's choice) matches alone, so while each row's area is one,
 * the row is written as it is read and its value added to the matcher as well. The first value
 * that needs the whole column turns the rest of this pass into the matching pass, and a second
 * pass imports the rows from that one on. A bad row met first is kept until the column is
 * matched, so that an import stops with the same message as in two passes (the areas' first).
 * A preview reads twice: it lists the areas' problems before the cells'. */
static sol_status import_pass(importer *im, sol_csv *c, sol_data_format fmt, const colmap *m,
                              uint64_t total, sol_error *err)
{
    sol_status rc, row_rc = SOL_OK, wrc;
    sol_error row_err = {0}, werr = {0};
    uint64_t done = 0; /* records imported in this pass */
    int early = !im->o->preview;
    if (early && (rc = writer_start(im, err)) != SOL_OK)
        return rc;
    while ((rc = sol_csv_next(c, err)) == SOL_OK) {
        if ((rc = match_add(im, c, m, err)) != SOL_OK)
            break;
        if (!early)
            continue;
        size_t n, pn;
        const char *p, *v = area_value(im, c, m, &n, &p, &pn);
        int64_t area;
        if (!(p == NULL && last_hit(&im->last_area, v, n, &area)) &&
            !sol__match_early(im->match, v, n, p, pn, &area)) {
            early = 0;
            if ((row_rc = writer_stop(im, &werr)) != SOL_OK)
                row_err = werr;
            continue;
        }
        if (p == NULL)
            last_set(&im->last_area, v, n, area);
        im->rep->rows_read++;
        progress(im, c, total);
        if ((row_rc = import_row(im, c, fmt, m, area, err)) == SOL_OK) {
            done++;
            continue;
        }
        if (row_rc == SOL_ENOMEM) {
            rc = row_rc;
            break;
        }
        early = 0;
        if (err)
            row_err = *err;
        sol_error_clear(err);
        /* the writer's failure is in an earlier row */
        if ((wrc = writer_stop(im, &werr)) != SOL_OK) {
            row_rc = wrc;
            row_err = werr;
        }
    }
    if ((wrc = writer_stop(im, &werr)) != SOL_OK && row_rc == SOL_OK) {
        row_rc = wrc;
        row_err = werr;
    }
    /* a file that cannot be read, and the areas, before any row's problem (as in two passes) */
    if (rc != SOL_EOF || (rc = match_settle(im, c, m, err)) != SOL_OK)
        return rc;
    if (row_rc != SOL_OK) {
        if (err)
            *err = row_err;
        return row_rc;
    }
    if (early) /* every row written but the last chunk's */
        return im->cur->n ? flush(im, err) : SOL_OK;
    sol_csv *again = NULL;
    if ((rc = sol_csv_reopen(c, &again, err)) == SOL_OK)
        rc = import_rows(im, again, fmt, m, done, total, err);
    sol_csv_close(again);
    return rc;
}

/* An import that would write nothing because every row's area is unknown says which. */
static sol_status check_written(importer *im, sol_error *err)
{
    if (im->rep->rows_written > 0 || im->rep->unknown_rows == 0)
        return SOL_OK;
    char list[600];
    sol__match_unknown_list(im->match, list, sizeof list);
    return sol__err(err, SOL_EINVAL,
                    sol_ngettext("no value was written: the %lld row read is for an area not in "
                                 "the store:%s\nCheck the area column (--area-field, --match), "
                                 "or import the areas first ('solidata import areas')",
                                 "no value was written: the %lld rows read are for areas not in "
                                 "the store:%s\nCheck the area column (--area-field, --match), "
                                 "or import the areas first ('solidata import areas')",
                                 (unsigned long)im->rep->rows_read),
                    (long long)im->rep->rows_read, list);
}

/* The columns left out of a wide import, from the report's text: "a,b (why; ...)". */
static json_t *ignored_columns(const char *s)
{
    json_t *arr = json_array();
    while (arr && *s) {
        const char *p = s;
        int depth = 0;
        while (*p && (depth > 0 || *p != ',')) {
            depth += (*p == '(') - (*p == ')');
            p++;
        }
        const char *paren = memchr(s, '(', (size_t)(p - s));
        size_t nlen = (size_t)((paren ? paren : p) - s);
        while (nlen && s[nlen - 1] == ' ')
            nlen--;
        json_t *e = json_object();
        json_object_set_new(e, "column", json_stringn(s, nlen));
        json_object_set_new(e, "why", json_string(paren ? "identifier" : "not_numeric"));
        if (paren) {
            const char *end = memchr(paren, ';', (size_t)(p - paren));
            if (end == NULL)
                end = p - (p > paren && p[-1] == ')');
            json_object_set_new(e, "detail", json_stringn(paren + 1, (size_t)(end - paren - 1)));
        }
        json_array_append_new(arr, e);
        s = *p ? p + 1 : p;
    }
    return arr;
}

/* rep->preview_json from what the import would write. */
/* One sentence of what reading the file found, appended to a JSON array. */
static void add_fact(void *ud, const char *sentence)
{
    json_array_append_new(ud, json_string(sentence));
}

static sol_status preview_json(importer *im, const char *name, const sol_csv *c, const colmap *m,
                               sol_data_format fmt, sol_error *err)
{
    sol_import_report *rep = im->rep;
    json_t *j = json_object(), *read = json_array();
    if (j == NULL || read == NULL) {
        json_decref(j);
        json_decref(read);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    if (c && fmt == SOL_FORMAT_WIDE)
        for (size_t k = 0; k < m->nind; k++)
            json_array_append_new(read, json_string(sol_csv_colname(c, m->ind_cols[k])));
    else if (c && m->value >= 0)
        json_array_append_new(read, json_string(sol_csv_colname(c, (size_t)m->value)));
    json_t *cols =
        json_pack("{s:o,s:o}", "read", read, "ignored", ignored_columns(rep->skipped_columns));
    json_object_set_new(j, "preview", json_true());
    json_object_set_new(j, "file", json_string(im->path));
    json_object_set_new(j, "source", json_string(name));
    json_object_set_new(j, "version", json_integer(rep->version));
    json_object_set_new(j, "unchanged", json_boolean(rep->unchanged));
    json_object_set_new(j, "connector", json_string(rep->connector));
    json_object_set_new(j, "rows_read", json_integer(rep->rows_read));
    json_object_set_new(j, "values", json_integer(rep->rows_written));
    json_object_set_new(j, "missing_values", json_integer(rep->missing_values));
    json_object_set_new(j, "unknown_rows", json_integer(rep->unknown_rows));
    if (im->problems && im->cell_problems > PREVIEW_CELL_PROBLEMS) {
        char more[160];
        long long k = (long long)(im->cell_problems - PREVIEW_CELL_PROBLEMS);
        snprintf(more, sizeof more,
                 sol_ngettext("... and %lld more cell like these",
                              "... and %lld more cells like these", (unsigned long)k),
                 k);
        json_array_append_new(im->problems, json_string(more));
    }
    json_object_set_new(j, "ok",
                        json_boolean(im->problems == NULL || json_array_size(im->problems) == 0));
    json_object_set_new(j, "problems", im->problems ? json_incref(im->problems) : json_array());
    json_object_set_new(j, "areas",
                        im->match && c
                            ? sol__match_json(im->match, sol_csv_colname(c, (size_t)m->area))
                            : json_null());
    json_object_set_new(j, "indicators", im->pv_inds ? json_incref(im->pv_inds) : json_array());
    json_object_set_new(j, "periods", im->pv_periods ? json_incref(im->pv_periods) : json_array());
    json_object_set_new(j, "columns", cols ? cols : json_null());
    /* what reading the file found (encoding, sheet, header line, blank and total rows...), in
     * the language of the thread */
    json_t *facts = json_array();
    if (facts)
        sol_read_info_describe(&rep->read, add_fact, facts);
    json_object_set_new(j, "facts", facts ? facts : json_null());
    rep->preview_json = json_dumps(j, JSON_PRESERVE_ORDER | JSON_COMPACT);
    json_decref(j);
    return rep->preview_json ? SOL_OK : sol__err(err, SOL_ENOMEM, "out of memory");
}

void sol_import_report_free(sol_import_report *rep)
{
    if (rep == NULL)
        return;
    free(rep->preview_json);
    rep->preview_json = NULL;
}

/* Open the table for the import (sol_table_open): the columns that must hold numbers are the
 * long table's value and standard error, or the wide table's --indicators; the others of a wide
 * table are judged by numeric_columns. Years as columns only when nothing else says the
 * periods or the indicators. */
static sol_status read_table(const char *path, const sol_import_opts *o, sol_csv **c,
                             sol_read_info *info, sol_error *err)
{
    char values[2 * SOL_MAX_CODE + 2] = "";
    if (o->format == SOL_FORMAT_LONG)
        snprintf(values, sizeof values, "%s,%s", o->value_field ? o->value_field : "value",
                 o->se_field ? o->se_field : "se");
    sol_read_opts ro = {
        .delimiter = o->delimiter,
        .encoding = (sol_encoding)o->encoding,
        .sheet = o->sheet,
        .header_row = o->header_row,
        .decimal_mark = o->decimal_mark,
        .area_field = o->area_field,
        .period_field = o->period_field,
        .value_fields = values[0] ? values : o->indicators,
        .skip_fields = o->flags_field,
        .years_as_columns =
            o->format == SOL_FORMAT_AUTO && !o->period_field && !o->period && !o->indicators,
        .indicator = o->indicator,
    };
    return sol_table_open(path, &ro, c, info, err);
}

sol_status sol_import_data(sol_store *st, const char *path, const sol_import_opts *o,
                           sol_import_report *rep, sol_error *err)
{
    sol_status rc;
    sol_csv *c = NULL;
    colmap m = {0};
    importer im = {.st = st, .o = o, .rep = rep, .path = path};
    int in_tx = 0;
    memset(rep, 0, sizeof *rep);
    sol_error_clear(err);
    sol__buf_init(&im.key, 4 * SOL_MAX_CODE);
    if (sodium_init() < 0)
        return sol__err(err, SOL_EIO, "libsodium failed to initialise");

    struct stat sb;
    if (stat(path, &sb) != 0)
        return sol__err_at(err, SOL_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    const char *name = o->source_name ? o->source_name : base_name(path);
    int same, prev_ver;
    int64_t prev_id;
    if ((rc = same_as_current(st, name, path, (int64_t)sb.st_size, &same, &prev_id, &prev_ver,
                              rep->sha256, err)) != SOL_OK)
        return rc;
    if (same && o->replace && (rc = same_options(st, prev_id, o, &same, err)) != SOL_OK)
        return rc;
    if (same) {
        rep->unchanged = 1;
        rep->version = prev_ver;
        rep->source_id = prev_id;
        if (o->preview)
            return preview_json(&im, name, NULL, &m, SOL_FORMAT_AUTO, err);
        if (o->count_indicators == NULL && o->min_cell == 0 && o->indicator_meta == NULL)
            return SOL_OK;
        /* the same file, new disclosure settings: they apply to the stored values now */
        if ((rc = sol_store_begin(st, err)) != SOL_OK)
            return rc;
        if ((o->indicator_meta && (rc = import_meta(st, o->indicator_meta, 0, err)) != SOL_OK) ||
            (rc = protect(st, path, o, name, "import.settings", rep, err)) != SOL_OK ||
            (rc = sol_store_commit(st, err)) != SOL_OK) {
            sol_store_rollback(st);
            return rc;
        }
        rep->settings_applied = 1;
        return SOL_OK;
    }
    /* reading: the table as people have it, in the rows and columns the import consumes */
    sol_import_opts lo = *o;
    if ((rc = read_table(path, o, &c, &rep->read, err)) != SOL_OK)
        return rc;
    if (rep->read.year_columns) {
        lo.format = SOL_FORMAT_LONG;
        lo.period_field = "period";
        lo.period = NULL;
        lo.indicator_field = "indicator";
        lo.value_field = "value";
        lo.flags_field = NULL;
        o = &lo;
        im.o = o;
    }
    im.comma_ok = sol_csv_delimiter(c) != ',';
    im.chunk = sol_store_obs_batch_size(st);
    im.rows = im.chunk < SOL_STORE_OBS_BATCH * BATCH_CHUNKS ? im.chunk * BATCH_CHUNKS : im.chunk;
    if ((im.cur = im.w.buf[0] = batch_new(im.rows)) == NULL ||
        (im.periods = sol__strmap_new(64)) == NULL || (im.inds = sol__strmap_new(256)) == NULL ||
        (im.count_codes = sol__strmap_new(64)) == NULL ||
        (im.count_ids = sol__strmap_new(64)) == NULL ||
        (o->preview &&
         ((im.pv_inds = json_array()) == NULL || (im.pv_ind_at = sol__strmap_new(64)) == NULL ||
          (im.pv_periods = json_array()) == NULL || (im.problems = json_array()) == NULL))) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    /* One transaction from here: the catalog row, metadata, indicators, observations. */
    sol_data_format fmt = o->format;
    const char *connector = "csv";
    sol_store_counts before, after;
    if ((rc = sol_store_begin_bulk(st, err)) != SOL_OK)
        goto fail;
    in_tx = 1;
    if ((rc = sol_store_count(st, &before, err)) != SOL_OK)
        goto fail;
    if (o->indicator_meta && (rc = import_meta(st, o->indicator_meta, 0, err)) != SOL_OK)
        goto fail;
    if ((rc = load_counts(&im, err)) != SOL_OK)
        goto fail;
    if ((rc = sol__match_new(st, (int)o->match, &im.match, err)) != SOL_OK)
        goto fail;
    /* the source row first (observations reference it); checksum and counts at the end */
    if ((rc = begin_source(st, path, o, "data", "csv", ZERO_SHA, (int64_t)sb.st_size, prev_id,
                           prev_ver, rep, err)) != SOL_OK)
        goto fail;
    if ((rc = map_columns(&im, c, &fmt, &m, err)) != SOL_OK)
        goto fail;
    connector = fmt == SOL_FORMAT_SDMX   ? "sdmx-csv"
                : fmt == SOL_FORMAT_WIDE ? "csv-wide"
                                         : "csv-long";
    snprintf(rep->read.layout, sizeof rep->read.layout, "%s",
             rep->read.year_columns   ? N_("years as columns")
             : fmt == SOL_FORMAT_SDMX ? N_("sdmx")
             : fmt == SOL_FORMAT_WIDE ? N_("wide")
                                      : N_("long"));
    if ((rc = match_setup(&im, c, err)) != SOL_OK)
        goto fail;
    if (o->period && m.period < 0 &&
        (rc = period_id(&im, o->period, strlen(o->period), 0, 0, &im.fixed_period, err)) != SOL_OK)
        goto fail;
    /* the rows' values are checked here, cell by cell; the observation's one CHECK is on a
     * column the import leaves at its default (sol_store_bulk_rows) */
    sol_store_bulk_rows(st, 1);
    rc = import_pass(&im, c, fmt, &m, (uint64_t)sb.st_size, err);
    sol_store_bulk_rows(st, 0);
    if (rc != SOL_OK)
        goto fail;
    sol_csv_sha256_hex(c, rep->sha256);
    snprintf(rep->connector, sizeof rep->connector, "%s", connector);
    if ((rc = sol_store_count(st, &after, err)) != SOL_OK ||
        (rc = sol_store_source_finish(st, rep->source_id, connector, rep->sha256, rep->rows_read,
                                      rep->rows_written, err)) != SOL_OK)
        goto fail;
    rep->new_indicators = after.indicators - before.indicators;
    if ((rc = check_written(&im, err)) == SOL_OK)
        rc = check_shrink(o, name, prev_id, prev_ver, &before, &after, rep, err);
    if ((rc = stop_or_note(&im, rc, err)) != SOL_OK)
        goto fail;
    if (o->preview) {
        /* a dry run: everything above is rolled back, the store is as it was */
        rc = preview_json(&im, name, c, &m, fmt, err);
        goto fail;
    }
    if ((rc = protect(st, path, o, name, o->replace ? "source.replace" : "import.data", rep,
                      err)) != SOL_OK)
        goto fail;
    if ((rc = sol_store_commit(st, err)) != SOL_OK)
        goto fail;
    in_tx = 0;
    if (o->progress)
        o->progress(o->progress_ud, (uint64_t)sb.st_size, (uint64_t)sb.st_size, rep->rows_read);
    rc = SOL_OK;
fail:
    if (in_tx)
        sol_store_rollback(st);
    sol_csv_close(c);
    sol__match_free(im.match);
    sol__strmap_free(im.pv_ind_at);
    json_decref(im.pv_inds);
    json_decref(im.pv_periods);
    json_decref(im.problems);
    sol__strmap_free(im.periods);
    sol__strmap_free(im.inds);
    sol__strmap_free(im.count_codes);
    sol__strmap_free(im.count_ids);
    sol__buf_free(&im.key);
    sol__free(m.ind_cols);
    sol__free(m.ind_ids);
    sol__free(m.dataflow);
    for (size_t i = 0; i < WRITER_BATCHES; i++)
        sol__free(im.w.buf[i]);
    if (rc == SOL_ENOMEM && err && err->msg[0] == '\0') /* from a helper without a message */
        sol__err(err, rc, "out of memory importing the file");
    if (rc != SOL_OK)
        sol__err_where(err, path);
    return rc;
}

typedef struct opts_cmp {
    int64_t id;
    const char *options, *licence, *attribution;
    int found, same;
} opts_cmp;

static int streq_null(const char *a, const char *b)
{
    return (a == NULL || *a == '\0') ? (b == NULL || *b == '\0') : (b && strcmp(a, b) == 0);
}

static int on_version(void *ud, const sol_source *s)
{
    opts_cmp *c = ud;
    if (s->id != c->id)
        return 0;
    c->found = 1;
    c->same = streq_null(c->options, s->options) && streq_null(c->licence, s->licence) &&
              streq_null(c->attribution, s->attribution);
    return 1;
}

static sol_status same_options(sol_store *st, int64_t id, const sol_import_opts *o, int *same,
                               sol_error *err)
{
    char *opts = options_json(o, "data");
    if (opts == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    opts_cmp c = {.id = id, .options = opts, .licence = o->licence, .attribution = o->attribution};
    sol_status rc = sol_store_sources(st, on_version, &c, err);
    free(opts);
    *same = rc == SOL_OK && c.found && c.same && o->indicator_meta == NULL;
    return rc;
}

/* ---- restoring a superseded version --------------------------------------------------------- */

sol_status sol_import_restore(sol_store *st, const char *name, int version, sol_import_report *rep,
                              sol_error *err)
{
    memset(rep, 0, sizeof *rep);
    sol_status rc = sol_store_begin(st, err);
    if (rc != SOL_OK)
        return rc;
    int64_t prim = 0, sec = 0;
    json_t *j = NULL;
    char *detail = NULL;
    if ((rc = sol_store_source_restore(st, name, version, &rep->rows_written, err)) != SOL_OK ||
        (rc = sol_disclosure_refresh(st, &prim, &sec, err)) != SOL_OK)
        goto fail;
    rep->version = version;
    rep->suppressed_primary = prim;
    rep->suppressed_secondary = sec;
    j = json_pack("{s:s,s:i,s:I,s:I,s:I}", "source", name, "version", version, "values_restored",
                  (json_int_t)rep->rows_written, "suppressed_primary", (json_int_t)prim,
                  "suppressed_secondary", (json_int_t)sec);
    if (j == NULL || (detail = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    const char *who = sol_run_actor();
    if ((rc = sol_store_audit_append(st, who, "source.restore", detail, err)) != SOL_OK ||
        (rc = sol_store_commit(st, err)) != SOL_OK)
        goto fail;
    json_decref(j);
    free(detail);
    return SOL_OK;
fail:
    sol_store_rollback(st);
    json_decref(j);
    free(detail);
    return rc;
}
