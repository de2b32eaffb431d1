/* map.c - a choropleth of one indicator from the store (values and boundaries resolved through
 * sol_run_values, sources credited in the footer), or of a CSV column or LISA clusters over an
 * area layer from files; classes and colours from the render module. */
#include <solidata/run_map.h>

#include <solidata/csv.h>
#include <solidata/geo.h>
#include <solidata/render.h>
#include <solidata/run.h>
#include <solidata/withhold.h>

#include "core/core.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct built {
    sol_values *v;
    sol_breaks *b;
    int *cls;
    uint32_t colour[SOL_CLASSES_MAX];
    sol_layer layer;
    char title[512], subtitle[256], source[2048], licence[1024];
    sol_map m;
} built;

static void built_free(built *x)
{
    sol__free(x->cls);
    sol_breaks_free(x->b);
    sol_values_free(x->v);
}

/* "name (attribution)" for every source, and the distinct licences, from the values' JSON. */
static void credits(const char *sources_json, char *source, size_t ns, char *licence, size_t nl)
{
    source[0] = licence[0] = '\0';
    json_t *a = json_loads(sources_json, 0, NULL);
    size_t i;
    json_t *s;
    size_t us = 0, ul = 0;
    json_array_foreach(a, i, s)
    {
        const char *att = json_string_value(json_object_get(s, "attribution"));
        const char *name = json_string_value(json_object_get(s, "name"));
        const char *lic = json_string_value(json_object_get(s, "licence"));
        int w = snprintf(source + us, ns - us, "%s%s", us ? "; " : "", att ? att : name);
        if (w > 0 && (size_t)w < ns - us)
            us += (size_t)w;
        if (lic && !strstr(licence, lic)) {
            w = snprintf(licence + ul, nl - ul, "%s%s", ul ? "; " : "", lic);
            if (w > 0 && (size_t)w < nl - ul)
                ul += (size_t)w;
        }
    }
    json_decref(a);
}

/* The language a map job asks for (NULL: the thread's); SOL_EINVAL naming the code. */
static sol_status job_lang(const char *code, sol_lang *l, sol_error *err)
{
    if (code == NULL) {
        *l = sol_lang_current();
        return SOL_OK;
    }
    return sol_lang_parse(code, l, err);
}

/* Blanks the values of areas outside `level`: codes ascend in both the values and the areas. */
typedef struct level_mask {
    const char *level;
    sol_values *v;
    size_t next;
} level_mask;

static int on_mask_area(void *ud, const sol_area *a)
{
    level_mask *m = ud;
    sol_values *v = m->v;
    for (; m->next < v->n && strcmp(v->codes[m->next], a->code) <= 0; m->next++)
        if (strcmp(v->codes[m->next], a->code) < 0 || strcmp(a->level, m->level) != 0)
            v->values[m->next] = NAN;
    return 0;
}

/* `level` (NULL: every area): the class breaks are those of that level's values alone, as the
 * map of that level shows them; a region's total among its municipalities' rates would shift
 * every break. */
static sol_status build(sol_store *st, const sol_map_job *o, int with_geometry, const char *level,
                        built *x, sol_error *err)
{
    sol_status rc;
    memset(x, 0, sizeof *x);
    if (o->indicator == NULL)
        return sol__err(err, SOL_EINVAL, "a map needs an indicator");
    sol_class_method method = SOL_CLASS_QUANTILE;
    if (o->classes && sol_render_class_method_parse(o->classes, &method) != SOL_OK)
        return sol__err(err, SOL_EINVAL, "classes '%s': expected quantile, equal, jenks or sd",
                        o->classes);
    sol_lang lang;
    if ((rc = job_lang(o->lang, &lang, err)) != SOL_OK)
        return rc;
    if ((rc = sol_run_values(st, o->indicator, o->period, with_geometry, &x->v, err)) != SOL_OK)
        return rc;
    sol_values *v = x->v;
    /* public maps: withheld values are blanked before the class breaks are computed */
    sol_withhold_blank(v->values, o->unsuppressed ? NULL : v->suppressed, v->n);
    if (level) {
        level_mask m = {.level = level, .v = v};
        if ((rc = sol_store_areas(st, 0, on_mask_area, &m, err)) != SOL_OK)
            return rc;
        for (size_t i = m.next; i < v->n; i++) /* codes after the last area: none of the level */
            v->values[i] = NAN;
    }
    if ((rc = sol_render_breaks(v->values, v->n, method, o->k ? o->k : 5, &x->b, err)) != SOL_OK)
        return rc;
    if ((x->cls = sol__calloc(v->n, sizeof *x->cls)) == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    for (size_t i = 0; i < v->n; i++)
        x->cls[i] = sol_render_class_of(x->b, v->values[i]);
    char pal[64];
    snprintf(pal, sizeof pal, "%s%s", o->palette ? o->palette : "YlOrRd",
             !o->palette && v->polarity > 0 ? "-r" : "");
    if ((rc = sol_render_palette(pal, x->b->nclasses, x->colour, err)) != SOL_OK)
        return rc;
    for (size_t i = 0; i < v->n && v->features; i++)
        v->features[i].name = v->names[i] ? sol__strdup(v->names[i]) : NULL;
    x->layer.n = v->n;
    x->layer.f = v->features;
    snprintf(x->title, sizeof x->title, "%s, %s",
             o->title   ? o->title
             : v->label ? v->label
                        : v->indicator,
             v->period);
    const char *polarity =
        v->polarity > 0   ? sol_lgettext(lang, "higher is better: darker areas fare worse")
        : v->polarity < 0 ? sol_lgettext(lang, "higher is worse: darker areas fare worse")
                          : sol_lgettext(lang, "polarity not stated");
    snprintf(x->subtitle, sizeof x->subtitle, "%s%s%s", v->unit ? v->unit : "",
             v->unit ? " \xC2\xB7 " : "", polarity);
    credits(v->sources_json, x->source, sizeof x->source, x->licence, sizeof x->licence);
    sol_map_init(&x->m);
    x->m.layer = &x->layer;
    x->m.cls = x->cls;
    x->m.nclasses = x->b->nclasses;
    x->m.colour = x->colour;
    x->m.value = v->values;
    x->m.suppressed = o->unsuppressed ? NULL : v->suppressed;
    x->m.breaks = x->b;
    x->m.title = x->title;
    x->m.subtitle = x->subtitle;
    x->m.legend_title = sol_lgettext(lang, sol_render_class_method_title(method));
    x->m.source = x->source[0] ? x->source : NULL;
    x->m.licence = x->licence[0] ? x->licence : NULL;
    x->m.lang = sol_lang_code(lang);
    x->m.lang_numbers = 1; /* "1 234,5" in French, "1.234,5" in Italian, "1,234.5" in English */
    x->m.width = o->width;
    x->m.height = o->height;
    return SOL_OK;
}

sol_status sol_run_map_svg(sol_store *st, const sol_map_job *o, char **svg, size_t *len,
                           sol_error *err)
{
    built x;
    sol_status rc = build(st, o, 1, NULL, &x, err);
    if (rc == SOL_OK)
        rc = sol_map_svg(&x.m, svg, len, err);
    built_free(&x);
    return rc;
}

sol_status sol_run_map_write(sol_store *st, const sol_map_job *o, const char *path, sol_error *err)
{
    sol_map_format fmt;
    if (sol_map_format_from_path(path, &fmt) != SOL_OK)
        return sol__err(err, SOL_EINVAL, "%s: the map is written as .svg, .png or .pdf", path);
    built x;
    sol_status rc = build(st, o, 1, NULL, &x, err);
    x.m.credit = 1; /* a file given to people says what it shows, from where, and when */
    if (rc == SOL_OK)
        rc = sol_map_write(&x.m, path, fmt, 1.0, err);
    built_free(&x);
    return rc;
}

/* ---- the values of a map without its geometry: the dashboard's small reply ------------------ */

typedef struct level_walk {
    const char *level;
    const built *x;
    size_t next; /* the next of x->v's codes (ascending, like the areas) */
    sol_buf *b, *cls;
    size_t n;
    sol_status rc;
} level_walk;

/* One area of the level, in code order: its value (or null) and its class letter. */
static int on_level_area(void *ud, const sol_area *a)
{
    level_walk *w = ud;
    if (w->level && strcmp(a->level, w->level) != 0)
        return 0;
    const sol_values *v = w->x->v;
    while (w->next < v->n && strcmp(v->codes[w->next], a->code) < 0)
        w->next++;
    int has = w->next < v->n && strcmp(v->codes[w->next], a->code) == 0;
    size_t i = w->next;
    char c = '-';
    if (has && v->suppressed[i] && isnan(v->values[i]))
        c = 's'; /* withheld from this reader */
    else if (has && !isnan(v->values[i]))
        c = (char)('0' + w->x->cls[i]);
    sol_status rc = c >= '0' && c <= '9'
                        ? sol__buf_addf(w->b, "%s%.10g", w->n ? "," : "", v->values[i])
                        : sol__buf_addf(w->b, "%snull", w->n ? "," : "");
    if (rc == SOL_OK)
        rc = sol__buf_addc(w->cls, c);
    w->n++;
    w->rc = rc;
    return rc != SOL_OK;
}

sol_status sol_run_map_values(sol_store *st, const sol_map_job *o, const char *level, char **json,
                              size_t *len, sol_error *err)
{
    built x;
    sol_status rc = build(st, o, 0, level, &x, err);
    if (rc != SOL_OK) {
        built_free(&x);
        return rc;
    }
    sol_buf b, cls;
    sol__buf_init(&b, SOL_MAX_MAP_REPLY);
    sol__buf_init(&cls, SOL_MAX_MAP_REPLY);
    json_t *head = json_pack("{s:s,s:s,s:s?,s:s?,s:s?,s:i}", "indicator", x.v->indicator, "period",
                             x.v->period, "level", level, "label", x.v->label, "unit", x.v->unit,
                             "polarity", x.v->polarity);
    json_t *brk = json_array(), *col = json_array();
    for (size_t k = 0; k <= x.b->nclasses && brk; k++)
        json_array_append_new(brk, json_real(x.b->brk[k]));
    for (size_t k = 0; k < x.b->nclasses && col; k++) {
        char hex[8];
        snprintf(hex, sizeof hex, "#%06x", (unsigned)(x.colour[k] & 0xffffffu));
        json_array_append_new(col, json_string(hex));
    }
    if (head && brk && col) {
        json_object_set(head, "breaks", brk);
        json_object_set(head, "colours", col);
    }
    char *hs = head ? json_dumps(head, JSON_COMPACT) : NULL;
    level_walk w = {.level = level, .x = &x, .b = &b, .cls = &cls};
    rc = hs ? sol__buf_addf(&b, "%.*s,\"values\":[", (int)strlen(hs) - 1, hs) : SOL_ENOMEM;
    if (rc == SOL_OK)
        rc = sol_store_areas(st, 0, on_level_area, &w, err);
    if (rc == SOL_OK)
        rc = w.rc;
    if (rc == SOL_OK)
        rc = sol__buf_addf(&b, "],\"classes\":\"%s\",\"n\":%zu}", cls.data ? cls.data : "", w.n);
    free(hs);
    json_decref(head);
    json_decref(brk);
    json_decref(col);
    sol__buf_free(&cls);
    built_free(&x);
    if (rc != SOL_OK) {
        sol__buf_free(&b);
        return rc == SOL_ENOMEM || rc == SOL_ELIMIT
                   ? sol__err(err, rc, "the values of the map do not fit in a reply")
                   : rc;
    }
    *json = b.data;
    *len = b.len;
    return SOL_OK;
}

/* ---- file mode: a CSV column or LISA clusters over an area layer ---------------------------- */

void sol_run_map_file_job_init(sol_map_file_job *j)
{
    memset(j, 0, sizeof *j);
    j->lisa_id_field = "id";
    j->classes = "quantile";
    j->k = SOL_CLASSES_DEFAULT;
    j->decimals = -1;
    j->scale = 1;
}

typedef struct by_code {
    const char *code;
    size_t i;
} by_code;

static int cmp_code(const void *a, const void *b)
{
    return strcmp(((const by_code *)a)->code, ((const by_code *)b)->code);
}

static long find_code(const by_code *ix, size_t n, const char *code)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ix[mid].code, code);
        if (c == 0)
            return (long)ix[mid].i;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* The column `name` of `c`, or SOL_ENOTFOUND naming the columns there are. */
static sol_status need_col(sol_csv *c, const char *name, const char *opt, long *j, sol_error *err)
{
    if ((*j = sol_csv_colindex(c, name)) >= 0)
        return SOL_OK;
    char cols[1024];
    size_t len = 0;
    cols[0] = '\0';
    for (size_t i = 0; i < sol_csv_ncols(c) && len < sizeof cols; i++) {
        int w =
            snprintf(cols + len, sizeof cols - len, "%s %s", i ? "," : "", sol_csv_colname(c, i));
        len += w > 0 ? (size_t)w : 0;
    }
    return sol__err(err, SOL_ENOTFOUND, "%s: no column '%s' (%s); columns:%s", sol_csv_name(c),
                    name, opt, cols);
}

static const char *const LISA_KEY[] = {"HH", "LL", "LH", "HL", "NS"};
/* English, marked for the catalogues; translated where the map is drawn */
static const char *const LISA_LABEL[] = {N_("High-High"), N_("Low-Low"), N_("Low-High"),
                                         N_("High-Low"), N_("Not significant")};

/* Read one row per area: for --data the value of --var (NaN when missing), for --lisa the
 * class index of the cluster. `line` remembers where each area was seen (0 = not seen). */
static sol_status read_rows(const sol_map_file_job *j, const by_code *ix, size_t n, double *value,
                            int *cls, unsigned long *line, sol_error *err)
{
    const int lisa = j->lisa != NULL;
    const char *path = lisa ? j->lisa : j->data;
    const char *idf = lisa ? j->lisa_id_field : j->data_id_field ? j->data_id_field : j->id_field;
    sol_csv *c = NULL;
    long jid, jv, jp = -1;
    sol_status rc;
    if ((rc = sol_csv_open(path, NULL, &c, err)) != SOL_OK)
        return rc;
    if ((rc = need_col(c, idf, lisa ? "--lisa-id-field" : "--data-id-field", &jid, err)) !=
            SOL_OK ||
        (rc = need_col(c, lisa ? "cluster" : j->var, lisa ? "LISA" : "--var", &jv, err)) !=
            SOL_OK ||
        (j->period_field != NULL &&
         (rc = need_col(c, j->period_field, "--period-field", &jp, err)) != SOL_OK))
        goto done;
    int comma = sol_csv_delimiter(c) == ';';
    size_t kept = 0;
    while ((rc = sol_csv_next(c, err)) == SOL_OK) {
        if (jp >= 0 && strcmp(sol_csv_field(c, (size_t)jp, NULL), j->period) != 0)
            continue;
        kept++;
        const char *id = sol_csv_field(c, (size_t)jid, NULL);
        long i = find_code(ix, n, id);
        unsigned long ln = sol_csv_line(c);
        if (i < 0) {
            rc = sol__err(err, SOL_ENOTFOUND,
                          "%s:%lu:%lu: unknown area '%s': no feature of %s has %s = '%s'", path, ln,
                          sol_csv_col(c, (size_t)jid), id, j->geo, j->id_field, id);
            goto done;
        }
        if (line[i] != 0) {
            rc = sol__err(err, SOL_EDUPLICATE,
                          "%s:%lu: area '%s' appears again (first at line %lu)%s", path, ln, id,
                          line[i],
                          j->period_field ? ""
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
                if (strcmp(v, LISA_KEY[q]) == 0)
                    k = q;
            if (k < 0) {
                rc = sol__err(err, SOL_EINVAL,
                              "%s:%lu:%lu: expected a LISA cluster (HH, LL, LH, HL or NS) in "
                              "column 'cluster', found '%s'",
                              path, ln, sol_csv_col(c, (size_t)jv), v);
                goto done;
            }
            cls[i] = k;
        } else if (sol_is_missing(v, vlen)) {
            value[i] = NAN;
        } else if (sol_parse_number(v, vlen, comma, &value[i]) != SOL_OK) {
            rc = sol__err(err, SOL_EINVAL,
                          "%s:%lu:%lu: expected a number in column '%s', found '%s'", path, ln,
                          sol_csv_col(c, (size_t)jv), j->var, v);
            goto done;
        }
    }
    if (rc != SOL_EOF)
        goto done;
    rc = SOL_OK;
    if (kept == 0 && j->period_field)
        rc = sol__err(err, SOL_ENOTFOUND, "%s: no row has %s = '%s'", path, j->period_field,
                      j->period);
    else if (kept == 0)
        rc = sol__err(err, SOL_ENOTFOUND, "%s: no data rows", path);
done:
    sol_csv_close(c);
    return rc;
}

/* A number of a file map: as the language writes it, or with the separators asked for. */
static void file_num(const sol_map_file_job *j, sol_lang l, double x, int d, char *buf, size_t n)
{
    if (j->thousands == NULL && !j->decimal_comma)
        sol_lang_number(l, x, d, 1, buf, n);
    else
        sol_render_format_number(x, d, j->thousands, j->decimal_comma ? ',' : '.', buf, n);
}

/* The subtitle of a data map: the period, the method and the number of classes (sd: the mean
 * and the standard deviation), in language l. */
static void data_subtitle(const sol_map_file_job *j, sol_lang l, const sol_breaks *b,
                          sol_class_method m, char *out, size_t n)
{
    int o = snprintf(out, n, "%s%s", j->period ? j->period : "", j->period ? " \xC2\xB7 " : "");
    if (o < 0 || (size_t)o >= n)
        return;
    const char *method = sol_lgettext(l, sol_render_class_method_title(m));
    if (m == SOL_CLASS_SD) {
        char mu[64], sd[64];
        int d = sol_render_auto_decimals(b);
        file_num(j, l, b->center, d + 1, mu, sizeof mu);
        file_num(j, l, b->scale, d + 1, sd, sizeof sd);
        /* TRANSLATORS: the method, the number of classes, the mean, the standard deviation */
        snprintf(out + o, n - (size_t)o,
                 sol_lngettext(l, "%s, %zu class (mean %s, standard deviation %s)",
                               "%s, %zu classes (mean %s, standard deviation %s)", b->nclasses),
                 method, b->nclasses, mu, sd);
    } else {
        snprintf(out + o, n - (size_t)o,
                 sol_lngettext(l, "%s, %zu class", "%s, %zu classes", b->nclasses), method,
                 b->nclasses);
    }
}

sol_status sol_run_map_file(const sol_map_file_job *j, sol_run_map_file_report *rep, sol_error *err)
{
    sol_map_format fmt;
    sol_class_method method = SOL_CLASS_QUANTILE;
    uint32_t colour[SOL_CLASSES_MAX * 4];
    if (sol_map_format_from_path(j->out, &fmt) != SOL_OK)
        return sol__err(err, SOL_EINVAL, "%s: expected a name ending in .svg, .png or .pdf",
                        j->out);
    if (j->data != NULL && sol_render_class_method_parse(j->classes, &method) != SOL_OK)
        return sol__err(err, SOL_EINVAL,
                        "unknown classification '%s': expected quantile, equal, jenks or sd",
                        j->classes);
    const char *palette = j->palette ? j->palette : method == SOL_CLASS_SD ? "RdBu-r" : "YlOrRd";
    sol_status rc;
    sol_lang lang;
    if ((rc = job_lang(j->lang, &lang, err)) != SOL_OK)
        return rc;
    if (j->data != NULL && (rc = sol_render_palette(palette, 3, colour, err)) != SOL_OK)
        return rc;
    sol_layer *l = NULL;
    by_code *ix = NULL;
    double *value = NULL;
    int *cls = NULL;
    unsigned long *line = NULL;
    sol_breaks *b = NULL;
    sol_geo_opts go = {.code_field = j->id_field, .name_field = j->name_field};
    if ((rc = sol_geo_read(j->geo, &go, &l, err)) != SOL_OK)
        goto done;
    size_t n = l->n;
    if (n == 0) {
        rc = sol__err(err, SOL_ENOTFOUND, "%s: no areas", j->geo);
        goto done;
    }
    value = sol__malloc(n * sizeof *value);
    cls = sol__malloc(n * sizeof *cls);
    line = sol__calloc(n, sizeof *line);
    ix = sol__malloc(n * sizeof *ix);
    if (value == NULL || cls == NULL || line == NULL || ix == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory for %zu areas", n);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        value[i] = NAN;
        cls[i] = -1;
        ix[i] = (by_code){l->f[i].code, i};
    }
    qsort(ix, n, sizeof *ix, cmp_code);
    if ((rc = read_rows(j, ix, n, value, cls, line, err)) != SOL_OK)
        goto done;
    sol_map m;
    sol_map_init(&m);
    m.layer = l;
    m.cls = cls;
    m.source = j->source;
    m.licence = j->licence;
    m.decimals = j->decimals;
    m.thousands = j->thousands;
    m.decimal_mark = j->decimal_comma ? ',' : '.';
    m.lang = sol_lang_code(lang);
    m.lang_numbers = j->thousands == NULL && !j->decimal_comma;
    m.credit = 1; /* a file given to people says what it shows, from where, and when */
    if (j->width)
        m.width = j->width;
    if (j->height)
        m.height = j->height;
    char subtitle[512];
    const char *lisa_label[5];
    if (j->lisa != NULL) {
        for (int q = 0; q < 5; q++)
            sol_render_lisa_colour(LISA_KEY[q], &colour[q]);
        m.nclasses = 5;
        for (int q = 0; q < 5; q++)
            lisa_label[q] = sol_lgettext(lang, LISA_LABEL[q]);
        m.label = lisa_label;
        m.class_key = LISA_KEY;
        m.title = j->title ? j->title : sol_lgettext(lang, "LISA clusters (local Moran's I)");
        m.subtitle = j->subtitle;
        m.legend_title = j->legend_title ? j->legend_title : sol_lgettext(lang, "Cluster");
    } else {
        if ((rc = sol_render_breaks(value, n, method, j->k, &b, err)) != SOL_OK) {
            char msg[sizeof err->msg];
            snprintf(msg, sizeof msg, "%s", err ? err->msg : "");
            rc = sol__err(err, rc, "%s, column '%s': %s", j->data, j->var, msg);
            goto done;
        }
        if ((rc = sol_render_palette(palette, b->nclasses, colour, err)) != SOL_OK)
            goto done;
        for (size_t i = 0; i < n; i++)
            cls[i] = sol_render_class_of(b, value[i]);
        m.value = value;
        m.breaks = b;
        m.nclasses = b->nclasses;
        m.title = j->title ? j->title : j->var;
        m.legend_title = j->legend_title ? j->legend_title : j->var;
        if (j->subtitle == NULL)
            data_subtitle(j, lang, b, method, subtitle, sizeof subtitle);
        m.subtitle = j->subtitle ? j->subtitle : subtitle;
    }
    m.colour = colour;
    if ((rc = sol_map_write(&m, j->out, fmt, j->scale, err)) != SOL_OK)
        goto done;
    if (rep != NULL) {
        memset(rep, 0, sizeof *rep);
        rep->areas = n;
        rep->classes = b ? b->nclasses : 0;
        rep->method = b ? sol_render_class_method_name(method) : NULL;
        for (size_t i = 0; i < n; i++) {
            rep->no_data += cls[i] < 0;
            rep->no_row += line[i] == 0;
        }
    }
done:
    sol_breaks_free(b);
    sol__free_n(4, ix, line, cls, value);
    sol_layer_free(l);
    return rc;
}
