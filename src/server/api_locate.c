/* api_locate.c - where to place a service, over the API: the latest recorded placement as the
 * public sees it (GET /api/locate, sentences in the request's language), and a new placement run
 * by an analyst (POST /api/runs/locate) with candidate sites chosen among stored things: the
 * centroids of the areas of a level, or the sites of an earlier placement. */
#include "server_int.h"

#include <solidata/i18n.h>
#include <solidata/run_locate.h>

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void reply_rc(sol_reply *r, sol_status rc, const sol_error *e)
{
    char msg[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
    sol_error_format(e, msg, sizeof msg);
    sol__reply_error(r, sol__http_status(rc), "%s", msg);
}

void sol__api_locate(const sol_req *q, sol_reply *r)
{
    sol_error e;
    sol_error_clear(&e);
    char *s = NULL;
    sol_status rc = sol_run_locate_latest(q->st, sol_lang_current(), &s, &e);
    if (rc != SOL_OK) {
        reply_rc(r, rc, &e);
        return;
    }
    json_t *j = json_loads(s, 0, NULL);
    free(s);
    if (j == NULL) {
        sol__reply_error(r, 500, "the placement run holds no valid JSON");
        return;
    }
    sol__reply_json(r, 200, j, 1);
}

/* ---- candidate sites from the store ------------------------------------------------------ */

typedef struct centroids {
    FILE *f;
    const char *level;
    size_t n;
} centroids;

static void csv_field(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static int on_area(void *ud, const sol_area *a)
{
    centroids *c = ud;
    if (a->level == NULL || strcmp(a->level, c->level) != 0 || !isfinite(a->centroid[0]) ||
        !isfinite(a->centroid[1]) || (a->centroid[0] == 0 && a->centroid[1] == 0))
        return 0;
    csv_field(c->f, a->code);
    fputc(',', c->f);
    csv_field(c->f, a->name ? a->name : a->code);
    fprintf(c->f, ",%.17g,%.17g\n", a->centroid[0], a->centroid[1]);
    c->n++;
    return 0;
}

static int level_ok(const char *level)
{
    if (level == NULL || *level == '\0' || strlen(level) > 64)
        return 0;
    for (const char *p = level; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return 0;
    return 1;
}

/* The centroids of the areas of `level` as a sites file (id = the area's code, name = its name)
 * in a new directory `dir`; the file is named after what it holds, so the run's card says
 * "centroids-of-municipality.csv". */
static sol_status centroid_sites(sol_store *st, const char *level, char *dir, size_t dcap,
                                 char *path, size_t pcap, sol_error *err)
{
    if (!level_ok(level))
        return sol__err(err, SOL_EINVAL,
                        "sites: the level '%s' is not a level name (letters, digits, - and _)",
                        level ? level : "");
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, dcap, "%s/solidata-locate-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
        *dir = '\0';
        return sol__err(err, SOL_EIO, "cannot make a temporary directory: %s", strerror(errno));
    }
    snprintf(path, pcap, "%s/centroids-of-%s.csv", dir, level);
    centroids c = {.f = fopen(path, "w"), .level = level};
    if (c.f == NULL)
        return sol__err(err, SOL_EIO, "cannot write %s: %s", path, strerror(errno));
    fputs("id,name,lon,lat\n", c.f);
    sol_status rc = sol_store_areas(st, 0, on_area, &c, err);
    if (fclose(c.f) != 0 && rc == SOL_OK)
        rc = sol__err(err, SOL_EIO, "cannot write %s", path);
    if (rc == SOL_OK && c.n == 0)
        rc = sol__err(err, SOL_EINVAL,
                      "sites: no area of level '%s' has a geometry to place a site at", level);
    return rc;
}

typedef struct prev_sites {
    char *file;
} prev_sites;

static int on_prev(void *ud, const sol_run *run)
{
    prev_sites *p = ud;
    if (run->kind == NULL || strcmp(run->kind, "locate") != 0)
        return 1;
    json_t *spec = run->spec ? json_loads(run->spec, 0, NULL) : NULL;
    const char *f = json_string_value(json_object_get(spec, "sites"));
    if (f)
        p->file = sol__strdup(f);
    json_decref(spec);
    return 1;
}

/* The sites of an earlier placement: the centroids of the same level again when it used them,
 * else its sites file when it can still be read. */
static sol_status run_sites(sol_store *st, int64_t id, char *dir, size_t dcap, char *path,
                            size_t pcap, sol_error *err)
{
    prev_sites p = {0};
    sol_status rc = sol_store_run_get(st, id, on_prev, &p, err);
    if (rc != SOL_OK)
        return rc;
    if (p.file == NULL)
        return sol__err(err, SOL_ENOTFOUND, "sites: run %lld is not a placement", (long long)id);
    const char *base = strrchr(p.file, '/');
    base = base ? base + 1 : p.file;
    size_t n = strlen(base);
    if (strncmp(base, "centroids-of-", 13) == 0 && n > 17 && strcmp(base + n - 4, ".csv") == 0) {
        char level[80];
        snprintf(level, sizeof level, "%.*s", (int)(n - 17), base + 13);
        sol__free(p.file);
        return centroid_sites(st, level, dir, dcap, path, pcap, err);
    }
    if (access(p.file, R_OK) != 0) {
        rc = sol__err(err, SOL_ENOTFOUND,
                      "sites: the sites file of run %lld (%s) can no longer be read", (long long)id,
                      p.file);
        sol__free(p.file);
        return rc;
    }
    snprintf(path, pcap, "%s", p.file);
    sol__free(p.file);
    return SOL_OK;
}

/* ---- POST /api/runs/locate ---------------------------------------------------------------- */

static const char *opt_str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int parse_model(const char *s, sol_locate_model *m)
{
    static const sol_locate_model all[] = {SOL_LOCATE_LSCP, SOL_LOCATE_MCLP, SOL_LOCATE_PMEDIAN,
                                           SOL_LOCATE_CPMEDIAN, SOL_LOCATE_BUDGET};
    for (size_t i = 0; s && i < sizeof all / sizeof *all; i++)
        if (strcmp(s, sol_locate_model_name(all[i])) == 0) {
            *m = all[i];
            return 1;
        }
    return 0;
}

void sol__api_locate_run(const sol_req *q, sol_reply *r)
{
    json_t *b = sol__body_json(q, r);
    if (b == NULL)
        return;
    sol_locate_job j;
    sol_run_locate_job_init(&j);
    j.record = 1;
    j.time_limit = 30;
    char dir[512] = "", path[1024] = "", budget[64] = "", keep[1024] = "";
    sol_locate_output *o = NULL;
    sol_error e;
    sol_error_clear(&e);
    sol_status rc = SOL_OK;
    if (!parse_model(opt_str(b, "model"), &j.model)) {
        sol__reply_error(r, 400, "\"model\" must be one of lscp, mclp, pmedian, cpmedian, budget");
        goto done;
    }
    j.indicator = opt_str(b, "indicator");
    j.times = opt_str(b, "times");
    j.period = opt_str(b, "period");
    j.level = opt_str(b, "level");
    if (j.indicator == NULL) {
        sol__reply_error(r, 400, "the request body needs \"indicator\" (the people in need)");
        goto done;
    }
    json_t *v = json_object_get(b, "max_distance");
    if (v && !json_is_null(v)) {
        if (!json_is_number(v) || !(json_number_value(v) >= 0)) {
            sol__reply_error(r, 400, "\"max_distance\" must be a number >= 0 (km)");
            goto done;
        }
        j.max_distance = json_number_value(v);
    }
    v = json_object_get(b, "p");
    if (v && !json_is_null(v)) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 100000) {
            sol__reply_error(r, 400, "\"p\" must be a whole number of sites, 1 or more");
            goto done;
        }
        j.p = (size_t)json_integer_value(v);
    }
    v = json_object_get(b, "budget");
    if (v && !json_is_null(v)) {
        if (!json_is_number(v)) {
            sol__reply_error(r, 400, "\"budget\" must be a number");
            goto done;
        }
        snprintf(budget, sizeof budget, "%.17g", json_number_value(v));
        j.budget = budget;
    }
    v = json_object_get(b, "keep");
    if (json_is_string(v))
        snprintf(keep, sizeof keep, "%s", json_string_value(v));
    else if (json_is_array(v)) {
        size_t i;
        json_t *k;
        json_array_foreach(v, i, k)
        {
            size_t n = strlen(keep);
            if (json_is_string(k))
                snprintf(keep + n, sizeof keep - n, "%s%s", n ? "," : "", json_string_value(k));
        }
    }
    if (*keep)
        j.keep = keep;
    /* the candidate sites: {"level": L}, {"run": ID}, or by default the demand's level */
    json_t *sites = json_object_get(b, "sites");
    json_t *sr = json_object_get(sites, "run");
    const char *sl = json_is_string(sites) ? json_string_value(sites) : opt_str(sites, "level");
    if (json_is_integer(sr))
        rc = run_sites(q->st, (int64_t)json_integer_value(sr), dir, sizeof dir, path, sizeof path,
                       &e);
    else if (sl || j.level)
        rc = centroid_sites(q->st, sl ? sl : j.level, dir, sizeof dir, path, sizeof path, &e);
    else {
        sol__reply_error(r, 400,
                         "the request body needs \"sites\": {\"level\": L} (the centroids of the "
                         "areas of level L) or {\"run\": ID} (the sites of an earlier placement)");
        goto done;
    }
    if (rc == SOL_OK) {
        j.sites = path;
        rc = sol_run_locate(q->st, &j, &o, &e);
    }
    if (rc != SOL_OK) {
        reply_rc(r, rc, &e);
        goto done;
    }
    sol__audit(q, q->who->name, "run.locate",
               json_pack("{s:I,s:s,s:s}", "run", (json_int_t)o->run_id, "model",
                         sol_locate_model_name(j.model), "indicator", j.indicator));
    json_t *res = json_loads(o->json, 0, NULL);
    if (res == NULL)
        sol__reply_error(r, 500, "the placement's result is not valid JSON");
    else
        sol__reply_json(r, 201, res, 0);
done:
    if (*dir) {
        if (*path && strncmp(path, dir, strlen(dir)) == 0)
            unlink(path);
        rmdir(dir);
    }
    sol_locate_output_free(o);
    json_decref(b);
}
