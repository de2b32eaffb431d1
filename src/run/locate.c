/* locate.c - one location analysis: the demand per area (store indicators or a CSV file) at each
 * area's centroid, the candidate sites (CSV or vector points), great-circle or matrix distances,
 * the model solved, a sentence per chosen site in the user's language, the result as JSON and
 * the run recorded with its method card on ask. */
#include <solidata/run_locate.h>

#include <solidata/evaluate.h>
#include <solidata/i18n.h>
#include <solidata/run.h>

#include "core/core.h"
#include "run/run_int.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sol_run_locate_job_init(sol_locate_job *j)
{
    memset(j, 0, sizeof *j);
    j->model = SOL_LOCATE_MCLP;
    j->max_distance = NAN;
    j->time_limit = 60;
}

void sol_locate_output_free(sol_locate_output *o)
{
    if (o == NULL)
        return;
    for (size_t i = 0; i < o->n; i++) {
        sol__free(o->code ? o->code[i] : NULL);
        sol__free(o->name ? o->name[i] : NULL);
    }
    for (size_t j = 0; o->sentence && o->sites && j < o->sites->n; j++)
        sol__free(o->sentence[j]);
    sol__free(o->sentence);
    sol__free(o->code);
    sol__free(o->name);
    sol__free(o->lon);
    sol__free(o->lat);
    sol__free(o->weight);
    sol__free(o->keep);
    sol__free(o->status_text);
    sol_locate_sites_free(o->sites);
    sol_locate_result_free(o->result);
    free(o->json);
    sol__free(o);
}

/* Room for n demand areas. */
static sol_status demand_alloc(sol_locate_output *o, size_t n, sol_error *err)
{
    o->code = sol__calloc(n + 1, sizeof *o->code);
    o->name = sol__calloc(n + 1, sizeof *o->name);
    o->lon = sol__calloc(n + 1, sizeof *o->lon);
    o->lat = sol__calloc(n + 1, sizeof *o->lat);
    o->weight = sol__calloc(n + 1, sizeof *o->weight);
    if (!o->code || !o->name || !o->lon || !o->lat || !o->weight)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    return SOL_OK;
}

static int is_csv(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot &&
           (strcmp(dot, ".csv") == 0 || strcmp(dot, ".txt") == 0 || strcmp(dot, ".tsv") == 0);
}

/* A column by any of the names (NULL-terminated), or -1. */
static long col_any(const sol_dtable *t, const char *const *names)
{
    for (; *names; names++) {
        long c = sol_dtable_col(t, *names);
        if (c >= 0)
            return c;
    }
    return -1;
}

/* ---- demand from a CSV file -------------------------------------------------------------------
 */

static sol_status demand_file(const char *path, sol_locate_output *o, sol_error *err)
{
    sol_dtable *t = NULL;
    sol_status rc = sol_dtable_read(path, &t, err);
    if (rc != SOL_OK)
        return rc;
    static const char *const ID[] = {"area", "id", "code", NULL}, *const W[] = {"weight", NULL},
                             *const LON[] = {"lon", "longitude", "x", NULL},
                             *const LAT[] = {"lat", "latitude", "y", NULL},
                             *const NM[] = {"name", NULL};
    long ci = col_any(t, ID), cw = col_any(t, W), cx = col_any(t, LON), cy = col_any(t, LAT);
    long cn = col_any(t, NM);
    if (ci < 0 || cw < 0 || cx < 0 || cy < 0) {
        rc = sol__err_at(err, SOL_ENOTFOUND, path, 1, 0,
                         "the demand file needs the columns area (or id), weight, lon, lat");
        goto done;
    }
    size_t n = sol_dtable_nrows(t);
    if (n == 0) {
        rc = sol__err_at(err, SOL_EINVAL, path, 0, 0, "the demand file has no rows");
        goto done;
    }
    if ((rc = demand_alloc(o, n, err)) != SOL_OK)
        goto done;
    for (size_t i = 0; i < n; i++) {
        const char *id = sol_dtable_cell(t, i, (size_t)ci);
        if (id == NULL || *id == '\0') {
            rc = sol__err_at(err, SOL_EINVAL, path, sol_dtable_line(t, i), 0,
                             "a demand area without an id");
            goto done;
        }
        if ((o->code[i] = sol__strdup(id)) == NULL) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto done;
        }
        const char *nm = cn >= 0 ? sol_dtable_cell(t, i, (size_t)cn) : NULL;
        if (nm && *nm && (o->name[i] = sol__strdup(nm)) == NULL) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto done;
        }
        o->n = i + 1;
        rc = sol_dtable_number(t, i, (size_t)cw, &o->weight[i], err);
        if (rc == SOL_EOF || (rc == SOL_OK && !(o->weight[i] >= 0))) {
            rc = sol__err_at(err, SOL_EINVAL, path, sol_dtable_line(t, i), 0,
                             "area '%s': the weight must be a number >= 0", id);
            goto done;
        }
        if (rc != SOL_OK)
            goto done;
        sol_status rx = sol_dtable_number(t, i, (size_t)cx, &o->lon[i], err);
        sol_status ry = rx == SOL_OK ? sol_dtable_number(t, i, (size_t)cy, &o->lat[i], err) : rx;
        if (rx == SOL_EOF || ry == SOL_EOF) {
            rc = sol__err_at(err, SOL_EINVAL, path, sol_dtable_line(t, i), 0,
                             "area '%s' has no coordinates (lon, lat)", id);
            goto done;
        }
        if ((rc = rx != SOL_OK ? rx : ry) != SOL_OK)
            goto done;
    }
    rc = SOL_OK;
done:
    sol_dtable_free(t);
    return rc;
}

/* ---- demand from the store ------------------------------------------------------------------ */

typedef struct area_scan {
    const sol_values *v;
    const char *level;
    double *lon, *lat;
    unsigned char *ok;
    char **name;
    int oom;
} area_scan;

static int cmp_code(const void *key, const void *elem)
{
    return strcmp(key, *(char *const *)elem);
}

static int area_cb(void *ud, const sol_area *a)
{
    area_scan *s = ud;
    char *const *hit = bsearch(a->code, s->v->codes, s->v->n, sizeof *s->v->codes, cmp_code);
    if (hit == NULL)
        return 0;
    size_t i = (size_t)(hit - s->v->codes);
    if (s->level && (a->level == NULL || strcmp(a->level, s->level) != 0))
        return 0;
    if (!isfinite(a->centroid[0]) || !isfinite(a->centroid[1]) ||
        (a->centroid[0] == 0 && a->centroid[1] == 0))
        return 0;
    s->lon[i] = a->centroid[0];
    s->lat[i] = a->centroid[1];
    s->ok[i] = 1;
    if (a->name && (s->name[i] = sol__strdup(a->name)) == NULL)
        s->oom = 1;
    return 0;
}

/* The scale that turns the values of `b` into a share: from --times-unit, else its unit. */
static sol_status times_scale(const sol_locate_job *j, const sol_values *b, double *scale,
                              sol_error *err)
{
    const char *u = j->times_unit ? j->times_unit : b->unit;
    if (u == NULL)
        u = "";
    if (strcmp(u, "%") == 0 || strcmp(u, "percent") == 0 || strcmp(u, "pct") == 0)
        *scale = 0.01;
    else if (strcmp(u, "share") == 0 || strcmp(u, "ratio") == 0 || strcmp(u, "fraction") == 0 ||
             strcmp(u, "proportion") == 0)
        *scale = 1.0;
    else if (strcmp(u, "per1000") == 0 || strcmp(u, "per 1000") == 0 ||
             strcmp(u, "\xe2\x80\xb0") == 0)
        *scale = 0.001;
    else if (j->times_unit)
        return sol__run_job_error(err, "--times-unit", "takes percent, share or per1000");
    else
        return sol__run_job_error(err, "--times",
                                  "%s has the unit '%s', not a share; say how to read it with "
                                  "--times-unit percent|share|per1000",
                                  b->indicator, u);
    return SOL_OK;
}

static sol_status demand_store(sol_store *st, const sol_locate_job *j, sol_locate_output *o,
                               sol_values **vout, double *scale_out, size_t *dropped,
                               sol_error *err)
{
    sol_values *v = NULL, *b = NULL;
    area_scan s = {0};
    double scale = 1;
    sol_status rc = sol_run_values(st, j->indicator, j->period, 0, &v, err);
    if (rc != SOL_OK)
        return rc;
    *dropped = sol_values_withhold(v); /* a withheld count never shapes a public answer */
    if (j->times) {
        if ((rc = sol_run_values(st, j->times, v->period, 0, &b, err)) != SOL_OK)
            goto done;
        *dropped += sol_values_withhold(b);
        if ((rc = times_scale(j, b, &scale, err)) != SOL_OK)
            goto done;
    }
    size_t n = v->n;
    s.v = v;
    s.level = j->level;
    s.lon = sol__calloc(n + 1, sizeof *s.lon);
    s.lat = sol__calloc(n + 1, sizeof *s.lat);
    s.ok = sol__calloc(n + 1, 1);
    s.name = sol__calloc(n + 1, sizeof *s.name);
    if (!s.lon || !s.lat || !s.ok || !s.name) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = sol_store_areas(st, 0, area_cb, &s, err)) != SOL_OK)
        goto done;
    if (s.oom) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = demand_alloc(o, n, err)) != SOL_OK)
        goto done;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!s.ok[i] || !isfinite(v->values[i]))
            continue;
        double w = v->values[i];
        if (b) {
            char *const *hit = bsearch(v->codes[i], b->codes, b->n, sizeof *b->codes, cmp_code);
            if (hit == NULL || !isfinite(b->values[hit - b->codes])) {
                (*dropped)++;
                continue;
            }
            w *= b->values[hit - b->codes] * scale;
        }
        if (!(w >= 0)) {
            rc = sol__run_job_error(err, "--indicator",
                                    "%s gives area %s a negative demand (%g); people in "
                                    "need are counted from 0",
                                    j->indicator, v->codes[i], w);
            goto done;
        }
        if ((o->code[k] = sol__strdup(v->codes[i])) == NULL) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto done;
        }
        o->name[k] = s.name[i];
        s.name[i] = NULL;
        o->lon[k] = s.lon[i];
        o->lat[k] = s.lat[i];
        o->weight[k] = w;
        o->n = ++k;
    }
    if (k == 0) {
        rc = j->level
                 ? sol__run_job_error(err, "--level",
                                      "'%s' matches no area with a geometry and a "
                                      "value of %s",
                                      j->level, j->indicator)
                 : sol__run_job_error(err, "--indicator",
                                      "%s has no value for an area with a geometry", j->indicator);
        goto done;
    }
    *scale_out = scale;
done:
    for (size_t i = 0; s.name && i < v->n; i++)
        sol__free(s.name[i]);
    sol__free(s.name);
    sol__free(s.lon);
    sol__free(s.lat);
    sol__free(s.ok);
    sol_values_free(b);
    if (rc == SOL_OK)
        *vout = v;
    else
        sol_values_free(v);
    return rc;
}

/* ---- sites from a CSV file ------------------------------------------------------------------ */

static sol_status sites_csv(const char *path, const char *id_field, const char *name_field,
                            sol_locate_sites **out, sol_error *err)
{
    sol_dtable *t = NULL;
    sol_status rc = sol_dtable_read(path, &t, err);
    if (rc != SOL_OK)
        return rc;
    static const char *const ID[] = {"id", "site", "code", "name", NULL},
                             *const LON[] = {"lon", "longitude", "x", NULL},
                             *const LAT[] = {"lat", "latitude", "y", NULL};
    const char *idn[] = {id_field, NULL}, *nmn[] = {name_field ? name_field : "name", NULL};
    long ci = id_field ? col_any(t, idn) : col_any(t, ID), cn = col_any(t, nmn);
    long cx = col_any(t, LON), cy = col_any(t, LAT), cc = sol_dtable_col(t, "capacity");
    long ck = sol_dtable_col(t, "cost");
    size_t n = sol_dtable_nrows(t);
    sol_locate_sites *s = sol__calloc(1, sizeof *s);
    if (s == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    if (ci < 0 || cx < 0 || cy < 0) {
        rc = sol__err_at(err, SOL_ENOTFOUND, path, 1, 0,
                         "the sites file needs the columns id, lon, lat (optional: name, "
                         "capacity, cost)");
        goto fail;
    }
    if (n == 0) {
        rc = sol__err_at(err, SOL_EINVAL, path, 0, 0, "no sites in the file");
        goto fail;
    }
    s->id = sol__calloc(n, sizeof *s->id);
    s->name = sol__calloc(n, sizeof *s->name);
    s->lon = sol__calloc(n, sizeof *s->lon);
    s->lat = sol__calloc(n, sizeof *s->lat);
    s->cap = sol__calloc(n, sizeof *s->cap);
    s->cost = sol__calloc(n, sizeof *s->cost);
    if (!s->id || !s->name || !s->lon || !s->lat || !s->cap || !s->cost) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    s->has_cap = cc >= 0;
    s->has_cost = ck >= 0;
    for (size_t i = 0; i < n; i++) {
        const char *id = sol_dtable_cell(t, i, (size_t)ci);
        unsigned long line = sol_dtable_line(t, i);
        if (id == NULL || *id == '\0') {
            rc = sol__err_at(err, SOL_EINVAL, path, line, 0, "a site without an id");
            goto fail;
        }
        const char *nm = cn >= 0 ? sol_dtable_cell(t, i, (size_t)cn) : NULL;
        s->id[i] = sol__strdup(id);
        s->name[i] = nm && *nm ? sol__strdup(nm) : NULL;
        s->n = i + 1;
        if (s->id[i] == NULL || (nm && *nm && s->name[i] == NULL)) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto fail;
        }
        sol_status rx = sol_dtable_number(t, i, (size_t)cx, &s->lon[i], err);
        sol_status ry = rx == SOL_OK ? sol_dtable_number(t, i, (size_t)cy, &s->lat[i], err) : rx;
        if (rx == SOL_EOF || ry == SOL_EOF) {
            rc = sol__err_at(err, SOL_EINVAL, path, line, 0,
                             "site '%s' has no coordinates (lon, lat)", id);
            goto fail;
        }
        if ((rc = rx != SOL_OK ? rx : ry) != SOL_OK)
            goto fail;
        if (fabs(s->lon[i]) > 180 || fabs(s->lat[i]) > 90) {
            rc = sol__err_at(err, SOL_EINVAL, path, line, 0,
                             "site '%s': lon %g, lat %g are not degrees of longitude and latitude",
                             id, s->lon[i], s->lat[i]);
            goto fail;
        }
        s->cap[i] = s->cost[i] = NAN;
        if (cc >= 0 && (rc = sol_dtable_number(t, i, (size_t)cc, &s->cap[i], err)) != SOL_OK &&
            rc != SOL_EOF)
            goto fail;
        if (ck >= 0 && (rc = sol_dtable_number(t, i, (size_t)ck, &s->cost[i], err)) != SOL_OK &&
            rc != SOL_EOF)
            goto fail;
    }
    sol_dtable_free(t);
    *out = s;
    return SOL_OK;
fail:
    sol_dtable_free(t);
    sol_locate_sites_free(s);
    return rc;
}

/* ---- distances ---------------------------------------------------------------------------- */

static sol_status index_map(char *const *keys, size_t n, sol_strmap **out, sol_error *err)
{
    sol_strmap *m = sol__strmap_new(n);
    if (m == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (sol__strmap_put(m, keys[i], strlen(keys[i]), (int64_t)i) != SOL_OK) {
            sol__strmap_free(m);
            return sol__err(err, SOL_ENOMEM, "out of memory");
        }
    *out = m;
    return SOL_OK;
}

static sol_status matrix_read(const char *path, const sol_locate_output *o, double *d,
                              sol_error *err)
{
    size_t n = o->n, m = o->sites->n;
    sol_strmap *am = NULL, *sm = NULL;
    sol_dtable *t = NULL;
    sol_status rc;
    if ((rc = index_map(o->code, n, &am, err)) != SOL_OK ||
        (rc = index_map(o->sites->id, m, &sm, err)) != SOL_OK ||
        (rc = sol_dtable_read(path, &t, err)) != SOL_OK)
        goto done;
    static const char *const F[] = {"from", "origin", "area", NULL},
                             *const T[] = {"to", "destination", "site", NULL},
                             *const V[] = {"value", "distance", "time", "cost", NULL};
    long cf = col_any(t, F), ct = col_any(t, T), cv = col_any(t, V);
    if (cf < 0 || ct < 0 || cv < 0) {
        if (sol_dtable_ncols(t) < 3) {
            rc = sol__err_at(err, SOL_ENOTFOUND, path, 1, 0,
                             "the distance matrix needs the columns from, to, value");
            goto done;
        }
        cf = 0;
        ct = 1;
        cv = 2;
    }
    for (size_t k = 0; k < n * m; k++)
        d[k] = NAN;
    for (size_t r = 0; r < sol_dtable_nrows(t); r++) {
        const char *f = sol_dtable_cell(t, r, (size_t)cf), *to = sol_dtable_cell(t, r, (size_t)ct);
        int64_t i, j;
        if (!f || !to || !sol__strmap_get(am, f, strlen(f), &i) ||
            !sol__strmap_get(sm, to, strlen(to), &j))
            continue; /* a pair of an area or a site not in this analysis */
        double v;
        rc = sol_dtable_number(t, r, (size_t)cv, &v, err);
        if (rc == SOL_EOF || (rc == SOL_OK && !(v >= 0))) {
            rc = sol__err_at(err, SOL_EINVAL, path, sol_dtable_line(t, r), 0,
                             "from '%s' to '%s': a distance must be a number >= 0", f, to);
            goto done;
        }
        if (rc != SOL_OK)
            goto done;
        d[(size_t)i * m + (size_t)j] = v;
    }
    size_t missing = 0, first = 0;
    for (size_t k = 0; k < n * m; k++)
        if (isnan(d[k]) && missing++ == 0)
            first = k;
    if (missing > 0)
        rc = sol__err_at(err, SOL_EINVAL, path, 0, 0,
                         "the distance matrix misses %zu pairs of area and site, e.g. from '%s' "
                         "to '%s'",
                         missing, o->code[first / m], o->sites->id[first % m]);
done:
    sol_dtable_free(t);
    sol__strmap_free(am);
    sol__strmap_free(sm);
    return rc;
}

/* --keep ID,ID into flags. */
static sol_status keep_parse(const char *text, const sol_locate_sites *s, unsigned char *keep,
                             sol_error *err)
{
    char *buf = sol__strdup(text), *save = NULL;
    sol_status rc = SOL_OK;
    if (buf == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    for (char *tok = strtok_r(buf, ",", &save); tok && rc == SOL_OK;
         tok = strtok_r(NULL, ",", &save)) {
        size_t j = 0;
        while (j < s->n && strcmp(s->id[j], tok) != 0)
            j++;
        if (j == s->n)
            rc = sol__run_job_error(err, "--keep",
                                    "names '%s', which is not among the candidate sites", tok);
        else
            keep[j] = 1;
    }
    sol__free(buf);
    return rc;
}

/* ---- words ---------------------------------------------------------------------------------- */

static const char *model_method(sol_locate_model m)
{
    switch (m) {
    case SOL_LOCATE_LSCP:
        return "location set covering (fewest sites within the distance of all demand)";
    case SOL_LOCATE_MCLP: return "maximal covering location (p sites covering the most demand)";
    case SOL_LOCATE_PMEDIAN: return "p-median (least total demand-weighted distance)";
    case SOL_LOCATE_CPMEDIAN: return "capacitated p-median (site capacities; demand may be split)";
    case SOL_LOCATE_BUDGET: return "maximal covering under a budget (site costs)";
    }
    return "?";
}

static const char *model_reference(sol_locate_model m)
{
    switch (m) {
    case SOL_LOCATE_LSCP:
        return "Toregas, Swain, ReVelle & Bergman (1971), Operations Research 19(6)";
    case SOL_LOCATE_MCLP:
    case SOL_LOCATE_BUDGET:
        return "Church & ReVelle (1974), Papers of the Regional Science Association 32";
    case SOL_LOCATE_PMEDIAN:
    case SOL_LOCATE_CPMEDIAN:
        return "Hakimi (1964); ReVelle & Swain (1970), Geographical Analysis 2";
    }
    return "?";
}

/* "12 km", "12,5 min" in the language. */
static void fmt_dist(sol_lang l, double d, const char *unit, char *buf, size_t n)
{
    char num[64];
    sol_lang_number(l, d, fabs(d - round(d)) < 1e-9 ? 0 : 1, 1, num, sizeof num);
    if (unit && *unit)
        snprintf(buf, n, "%s %s", num, unit);
    else
        snprintf(buf, n, "%s", num);
}

static char *site_sentence(sol_lang l, const sol_locate_job *j, const sol_locate_output *o,
                           const double *d, size_t s, const char *label, const char *unit)
{
    const sol_locate_result *r = o->result;
    char who[512], people[64], dist[96], buf[1024];
    const char *nm = o->sites->name[s];
    if (nm)
        snprintf(who, sizeof who, "%s", nm);
    else
        snprintf(who, sizeof who, "%s", o->sites->id[s]);
    sol_lang_number(l, round(r->served[s]), 0, 1, people, sizeof people);
    unsigned long k = (unsigned long)r->n_served[s];
    if (j->model == SOL_LOCATE_PMEDIAN || j->model == SOL_LOCATE_CPMEDIAN) {
        /* the average distance of the people this site serves */
        double sw = 0, sd = 0;
        for (size_t i = 0; i < o->n; i++)
            if (r->assign[i] == (long)s) {
                sw += o->weight[i];
                sd += o->weight[i] * d[i * o->sites->n + s];
            }
        fmt_dist(l, sw > 0 ? sd / sw : 0, unit, dist, sizeof dist);
        snprintf(buf, sizeof buf,
                 sol_lngettext(l, "%s serves %s %s in %lu area, at %s on average",
                               "%s serves %s %s in %lu areas, at %s on average", k),
                 who, people, label, k, dist);
    } else {
        fmt_dist(l, j->max_distance, unit, dist, sizeof dist);
        snprintf(buf, sizeof buf,
                 sol_lngettext(l, "%s serves %s %s in %lu area within %s",
                               "%s serves %s %s in %lu areas within %s", k),
                 who, people, label, k, dist);
    }
    return sol__strdup(buf);
}

/* ---- the result ----------------------------------------------------------------------------- */

static json_t *result_json(const sol_locate_job *j, const sol_locate_output *o, const double *d,
                           const char *label, const char *unit, size_t dropped)
{
    const sol_locate_result *r = o->result;
    const sol_locate_sites *s = o->sites;
    json_t *root = json_object(), *sites = json_array(), *unc = json_array(), *areas = json_array(),
           *curve = json_array();
    json_object_set_new(root, "model", json_string(sol_locate_model_name(j->model)));
    json_object_set_new(root, "method", json_string(model_method(j->model)));
    json_object_set_new(root, "status", json_string(o->status_text));
    json_object_set_new(root, "optimal", json_boolean(r->status == SOL_LOCATE_OPTIMAL));
    json_object_set_new(root, "gap", sol__run_num(r->gap));
    json_object_set_new(root, "objective", sol__run_num(r->objective));
    json_object_set_new(root, "bound", sol__run_num(r->bound));
    json_object_set_new(root, "lp_bound", sol__run_num(r->lp_bound));
    json_object_set_new(root, "lagrangian_bound", sol__run_num(r->lagrangian_bound));
    json_object_set_new(root, "seconds", sol__run_num(r->seconds));
    json_object_set_new(root, "need", json_string(label));
    json_object_set_new(root, "distance",
                        json_pack("{s:s,s:o,s:s}", "kind",
                                  j->matrix ? "matrix" : "great circle (haversine)", "max",
                                  sol__run_num(j->max_distance), "unit", unit ? unit : ""));
    json_object_set_new(root, "candidates", json_integer((json_int_t)s->n));
    json_object_set_new(root, "chosen", json_integer((json_int_t)r->n_open));
    if (j->model == SOL_LOCATE_MCLP || j->model == SOL_LOCATE_PMEDIAN ||
        j->model == SOL_LOCATE_CPMEDIAN)
        json_object_set_new(root, "p", json_integer((json_int_t)j->p));
    json_object_set_new(root, "demand",
                        json_pack("{s:o,s:o,s:o,s:o,s:I,s:I}", "total", sol__run_num(r->total),
                                  "covered", sol__run_num(r->covered), "uncovered",
                                  sol__run_num(r->total - r->covered), "covered_share",
                                  sol__run_num(r->total > 0 ? r->covered / r->total : NAN), "areas",
                                  (json_int_t)o->n, "areas_left_out", (json_int_t)dropped));
    if (j->model == SOL_LOCATE_PMEDIAN || j->model == SOL_LOCATE_CPMEDIAN)
        json_object_set_new(root, "mean_distance",
                            sol__run_num(r->covered > 0 ? r->wdist / r->covered : NAN));
    for (size_t k = 0; k < s->n; k++) {
        if (!r->open[k])
            continue;
        json_t *served = json_array();
        for (size_t i = 0; i < o->n; i++)
            if (r->assign[i] == (long)k)
                json_array_append_new(served, json_string(o->code[i]));
        json_t *site =
            json_pack("{s:s,s:s?,s:o,s:o,s:b,s:o,s:I,s:o,s:s?}", "id", s->id[k], "name", s->name[k],
                      "lon", sol__run_num(s->lon[k]), "lat", sol__run_num(s->lat[k]), "kept",
                      o->keep[k] != 0, "demand_served", sol__run_num(r->served[k]), "areas_served",
                      (json_int_t)r->n_served[k], "areas", served, "sentence", o->sentence[k]);
        if (s->has_cap)
            json_object_set_new(site, "capacity", sol__run_num(s->cap[k]));
        if (s->has_cost)
            json_object_set_new(site, "cost", sol__run_num(s->cost[k]));
        json_array_append_new(sites, site);
    }
    json_object_set_new(root, "sites", sites);
    size_t m = s->n;
    for (size_t i = 0; i < o->n; i++) {
        long a = r->assign[i];
        json_t *area =
            json_pack("{s:s,s:s?,s:o,s:o,s:o,s:s?,s:o}", "code", o->code[i], "name", o->name[i],
                      "lon", sol__run_num(o->lon[i]), "lat", sol__run_num(o->lat[i]), "demand",
                      sol__run_num(o->weight[i]), "site", a >= 0 ? s->id[a] : NULL, "distance",
                      sol__run_num(a >= 0 ? d[i * m + (size_t)a] : NAN));
        json_array_append_new(areas, area);
        if (a < 0 && o->weight[i] > 0)
            json_array_append_new(unc, json_pack("{s:s,s:s?,s:o}", "code", o->code[i], "name",
                                                 o->name[i], "demand", sol__run_num(o->weight[i])));
    }
    json_object_set_new(root, "uncovered", unc);
    if (j->model == SOL_LOCATE_LSCP || j->model == SOL_LOCATE_MCLP ||
        j->model == SOL_LOCATE_BUDGET) { /* the same sites, other distances: no re-solve */
        static const double f[] = {0.5, 0.75, 1.25, 1.5, 2};
        json_t *sens = json_array();
        for (size_t q = 0; q < sizeof f / sizeof *f; q++) {
            double D = j->max_distance * f[q], cov = 0;
            for (size_t i = 0; i < o->n; i++)
                for (size_t k = 0; k < m; k++)
                    if (r->open[k] && d[i * m + k] <= D) {
                        cov += o->weight[i];
                        break;
                    }
            json_array_append_new(
                sens, json_pack("{s:o,s:o}", "max", sol__run_num(D), "covered", sol__run_num(cov)));
        }
        json_object_set_new(root, "distance_sensitivity", sens);
    }
    json_object_set_new(root, "areas", areas);
    double prev = NAN;
    for (size_t k = 0; k < r->n_curve; k++) {
        double v = r->curve[k];
        json_array_append_new(curve, json_pack("{s:I,s:o,s:o}", "sites", (json_int_t)(k + 1),
                                               "value", sol__run_num(v), "added",
                                               sol__run_num(k == 0 ? v : v - prev)));
        prev = v;
    }
    json_object_set_new(root, "curve",
                        json_pack("{s:s,s:s,s:o}", "kind", r->curve_exact ? "exact" : "greedy",
                                  "value",
                                  j->model == SOL_LOCATE_PMEDIAN || j->model == SOL_LOCATE_CPMEDIAN
                                      ? "total demand-weighted distance"
                                      : "demand covered",
                                  "points", curve));
    return root;
}

static sol_status check_job(sol_store *st, const sol_locate_job *j, double *budget, sol_error *err)
{
    sol_locate_model m = j->model;
    if (j->sites == NULL)
        return sol__run_job_error(err, "--sites", "is required");
    if ((j->indicator == NULL) == (j->demand == NULL))
        return sol__run_job_error(err, "--demand", "F.csv or --indicator CODE is required");
    if (j->times && !j->indicator)
        return sol__run_job_error(err, "--times", "needs --indicator");
    if (j->indicator && st == NULL)
        return sol__err(err, SOL_EINVAL, "--indicator reads the store: give --db or $SOLIDATA_DB");
    if ((m == SOL_LOCATE_LSCP || m == SOL_LOCATE_MCLP || m == SOL_LOCATE_BUDGET) &&
        !(j->max_distance >= 0))
        return sol__run_job_error(err, "--max-distance", "is required by this model");
    if ((m == SOL_LOCATE_MCLP || m == SOL_LOCATE_PMEDIAN || m == SOL_LOCATE_CPMEDIAN) && j->p == 0)
        return sol__run_job_error(err, "--p", "is required by this model (the sites to open)");
    if (m == SOL_LOCATE_BUDGET) {
        char *end = NULL;
        if (j->budget == NULL)
            return sol__run_job_error(err, "--budget", "is required by this model");
        errno = 0;
        *budget = strtod(j->budget, &end);
        if (end == j->budget || *end != '\0' || errno || !(*budget >= 0) || !isfinite(*budget))
            return sol__run_job_error(err, "--budget", "must be a number >= 0");
    }
    if (j->record && st == NULL)
        return sol__err(err, SOL_EINVAL, "recording a run needs a store");
    return SOL_OK;
}

static sol_status status_text(const sol_locate_result *r, char **out, sol_error *err)
{
    char buf[128];
    if (r->status == SOL_LOCATE_OPTIMAL)
        snprintf(buf, sizeof buf, "optimal");
    else {
        const char *what = r->status == SOL_LOCATE_TIME_LIMIT ? "time limit"
                           : isnan(r->lagrangian_bound)       ? "heuristic (greedy)"
                                                              : "heuristic (greedy, Lagrangian)";
        const char *to =
            r->status == SOL_LOCATE_HEURISTIC && isnan(r->lp_bound) && !isnan(r->lagrangian_bound)
                ? " to the Lagrangian bound"
                : "";
        if (isnan(r->gap))
            snprintf(buf, sizeof buf, "%s, gap unknown", what);
        else
            snprintf(buf, sizeof buf, "%s, gap %.2f%%%s", what, 100 * r->gap, to);
    }
    if ((*out = sol__strdup(buf)) == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    return SOL_OK;
}

sol_status sol_run_locate(sol_store *st, const sol_locate_job *j, sol_locate_output **out,
                          sol_error *err)
{
    double budget = 0, scale = 1;
    size_t dropped = 0;
    sol_status rc = check_job(st, j, &budget, err);
    if (rc != SOL_OK)
        return rc;
    sol_lang lang = sol_lang_current();
    if (j->lang && (rc = sol_lang_parse(j->lang, &lang, err)) != SOL_OK)
        return rc;
    sol_locate_output *o = sol__calloc(1, sizeof *o);
    sol_values *v = NULL;
    double *d = NULL, *cap = NULL, *cost = NULL;
    char **dname = NULL;
    json_t *root = NULL;
    if (o == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    if (j->indicator)
        rc = demand_store(st, j, o, &v, &scale, &dropped, err);
    else
        rc = demand_file(j->demand, o, err);
    if (rc != SOL_OK)
        goto fail;
    if (is_csv(j->sites))
        rc = sites_csv(j->sites, j->site_id, j->site_name, &o->sites, err);
    else
        rc = sol_locate_sites_read_vector(j->sites, j->site_id, j->site_name, &o->sites, err);
    if (rc != SOL_OK)
        goto fail;
    size_t n = o->n, m = o->sites->n;
    if (n > SOL_LOCATE_MAX_PAIRS / m) {
        rc = sol__err(err, SOL_ELIMIT, "%zu demand areas x %zu sites is over the limit of %u pairs",
                      n, m, SOL_LOCATE_MAX_PAIRS);
        goto fail;
    }
    o->keep = sol__calloc(m, 1);
    o->sentence = sol__calloc(m, sizeof *o->sentence);
    d = sol__malloc(n * m * sizeof *d);
    dname = sol__calloc(n, sizeof *dname);
    if (!o->keep || !o->sentence || !d || !dname) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    if (j->keep && (rc = keep_parse(j->keep, o->sites, o->keep, err)) != SOL_OK)
        goto fail;
    if (j->matrix) {
        if ((rc = matrix_read(j->matrix, o, d, err)) != SOL_OK)
            goto fail;
    } else
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < m; k++)
                d[i * m + k] = sol_locate_haversine_km(o->lon[i], o->lat[i], o->sites->lon[k],
                                                       o->sites->lat[k]);
    for (size_t i = 0; i < n; i++)
        dname[i] = o->name[i] ? o->name[i] : o->code[i];
    if (j->model == SOL_LOCATE_CPMEDIAN) {
        for (size_t k = 0; k < m; k++)
            if (!o->sites->has_cap || !isfinite(o->sites->cap[k])) {
                rc = sol__run_job_error(err, "--sites",
                                        "has no capacity for site '%s': the capacitated "
                                        "p-median needs one for every site",
                                        o->sites->id[k]);
                goto fail;
            }
        cap = o->sites->cap;
    }
    if (j->model == SOL_LOCATE_BUDGET) {
        for (size_t k = 0; k < m; k++)
            if (!o->sites->has_cost || !isfinite(o->sites->cost[k])) {
                rc = sol__run_job_error(err, "--sites",
                                        "has no cost for site '%s': the budget model needs one "
                                        "for every site",
                                        o->sites->id[k]);
                goto fail;
            }
        cost = o->sites->cost;
    }
    sol_locate_problem pr = {.n = n,
                             .m = m,
                             .w = o->weight,
                             .d = d,
                             .cap = cap,
                             .cost = cost,
                             .keep = o->keep,
                             .dname = (const char *const *)dname,
                             .max_dist = isnan(j->max_distance) ? 0 : j->max_distance,
                             .p = j->p,
                             .budget = budget,
                             .time_limit_s = j->time_limit,
                             .mip_gap = j->mip_gap,
                             .exact_curve = 1};
    if ((rc = sol_locate_solve(j->model, &pr, &o->result, err)) != SOL_OK)
        goto fail;
    if ((rc = status_text(o->result, &o->status_text, err)) != SOL_OK)
        goto fail;

    const char *label = j->need_label   ? j->need_label
                        : v && v->label ? v->label
                                        : sol_lgettext(lang, "people");
    const char *unit = j->distance_unit ? j->distance_unit : j->matrix ? "" : "km";
    for (size_t k = 0; k < m; k++)
        if (o->result->open[k] &&
            (o->sentence[k] = site_sentence(lang, j, o, d, k, label, unit)) == NULL) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto fail;
        }
    if ((root = result_json(j, o, d, label, unit, dropped)) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    json_object_set_new(root, "lang", json_string(sol_lang_code(lang)));

    json_t *spec =
        json_pack("{s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:s,s:s?,s:s?}", "command", "locate", "model",
                  sol_locate_model_name(j->model), "indicator", j->indicator, "times", j->times,
                  "period", v ? v->period : NULL, "level", j->level, "demand", j->demand, "sites",
                  j->sites, "keep", j->keep, "matrix", j->matrix);
    json_t *method = json_pack("{s:s,s:s,s:s}", "name", model_method(j->model), "reference",
                               model_reference(j->model), "solver",
                               "GLPK: LP relaxation (glp_simplex), then branch-and-cut "
                               "(glp_intopt) from a greedy incumbent, with a time limit");
    json_t *choices =
        json_pack("{s:{s:s?,s:s?,s:o,s:s?,s:s?},s:{s:s,s:o,s:s},s:{s:s,s:s?},s:o,s:o,s:o,s:o}",
                  "need", "indicator", j->indicator, "times", j->times, "times_scale",
                  sol__run_num(scale), "file", j->demand, "label", label, "distance", "kind",
                  j->matrix ? "matrix" : "great circle", "max", sol__run_num(j->max_distance),
                  "unit", unit, "sites", "file", j->sites, "forced", j->keep, "p",
                  j->model == SOL_LOCATE_MCLP || j->model == SOL_LOCATE_PMEDIAN ||
                          j->model == SOL_LOCATE_CPMEDIAN
                      ? json_integer((json_int_t)j->p)
                      : json_null(),
                  "budget", j->model == SOL_LOCATE_BUDGET ? json_real(budget) : json_null(),
                  "time_limit_s", sol__run_num(j->time_limit), "mip_gap", sol__run_num(j->mip_gap));
    if (j->record) {
        sol_run_card card = {.kind = "locate", .inputs = v};
        rc = sol__run_record_json(st, &card, JSON_COMPACT | JSON_REAL_PRECISION(17), spec, method,
                                  choices, root, &o->run_id, err);
        if (rc == SOL_OK)
            json_object_set_new(root, "run_id", json_integer((json_int_t)o->run_id));
    }
    json_decref(spec);
    json_decref(method);
    json_decref(choices);
    if (rc != SOL_OK)
        goto fail;
    if ((o->json = json_dumps(root, JSON_INDENT(1) | JSON_REAL_PRECISION(17))) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    json_decref(root);
    sol_values_free(v);
    sol__free(d);
    sol__free(dname);
    *out = o;
    return SOL_OK;
fail:
    json_decref(root);
    sol_values_free(v);
    sol__free(d);
    sol__free(dname);
    sol_locate_output_free(o);
    return rc;
}
