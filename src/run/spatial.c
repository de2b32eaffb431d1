/* spatial.c - one spatial analysis from the store or from files: inputs resolved and checked
 * (ids, duplicates, missing values, zero variance), weights built, Moran / LISA / Gi* computed,
 * the result as JSON and, from the store, the run recorded with its method card. */
#include <solidata/run_spatial.h>

#include <solidata/csv.h>
#include <solidata/geo.h>
#include <solidata/run.h>

#include "core/core.h"
#include "run/run_int.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NOTES 20 /* dropped areas named one by one; the rest counted in one more note */
#define MAX_NAMED 8  /* ids named in one error message */

/* The analysis' working state: the output being filled, the dropped areas, the inputs. */
typedef struct job_state {
    const sol_spatial_job *job;
    sol_spatial_output *o;
    json_t *dropped; /* [{id, reason}] */
    sol_values *values;
    sol_layer *layer; /* file mode, owned */
    sol_layer view;   /* the kept features (shallow copies; never freed through it) */
    char **row_ids;   /* file mode data rows (owned), n_rows of them */
    double *row_v;    /* NaN for a dropped value */
    unsigned long *row_line;
    size_t n_rows;
    sol_strmap *row_map; /* id -> row */
    sol_error *err;
} job_state;

/* ---- small helpers -------------------------------------------------------------------------- */

static const char *alt_name(sol_alternative a)
{
    return a == SOL_ALT_LESS ? "less" : a == SOL_ALT_TWO_SIDED ? "two.sided" : "greater";
}

static const char *adjust_name(sol_padjust a)
{
    return a == SOL_PADJUST_FDR ? "fdr" : a == SOL_PADJUST_BONFERRONI ? "bonferroni" : "none";
}

static const char *kind_name(sol_spatial_analysis a)
{
    return a == SOL_SPATIAL_MORAN    ? "spatial.moran"
           : a == SOL_SPATIAL_LISA   ? "spatial.lisa"
           : a == SOL_SPATIAL_GISTAR ? "spatial.gistar"
                                     : "spatial.weights";
}

static void weights_label(const sol_spatial_job *j, char *buf, size_t n)
{
    if (j->weights_file)
        snprintf(buf, n, "file:%s", j->weights_file);
    else if (j->weights_text)
        snprintf(buf, n, "%s", j->weights_text);
    else if (j->weights.kind == SOL_WEIGHTS_ROOK)
        snprintf(buf, n, "rook");
    else if (j->weights.kind == SOL_WEIGHTS_KNN)
        snprintf(buf, n, "knn:%u", j->weights.k);
    else if (j->weights.kind == SOL_WEIGHTS_BAND)
        snprintf(buf, n, "band:%.17g", j->weights.dist);
    else
        snprintf(buf, n, "queen");
}

/* Append an id to a list of at most MAX_NAMED names ("a, b, c, ..."). */
static void name_add(sol_buf *b, size_t *count, const char *id)
{
    if (*count < MAX_NAMED)
        sol__buf_addf(b, "%s%s", *count ? ", " : "", id);
    else if (*count == MAX_NAMED)
        sol__buf_addf(b, ", ...");
    (*count)++;
}

static sol_status drop(job_state *s, const char *id, const char *reason)
{
    json_t *d = json_pack("{s:s,s:s}", "id", id, "reason", reason);
    if (d == NULL || json_array_append_new(s->dropped, d) != 0)
        return sol__err(s->err, SOL_ENOMEM, "out of memory");
    return SOL_OK;
}

/* ---- file mode: the data rows --------------------------------------------------------------- */

static sol_status read_rows(job_state *s)
{
    const sol_spatial_job *j = s->job;
    const char *idf = j->data_id_field ? j->data_id_field : j->id_field;
    sol_csv *c = NULL;
    sol_status rc;
    size_t cap = 0;
    if ((rc = sol_csv_open(j->data, NULL, &c, s->err)) != SOL_OK)
        return rc;
    long ci = sol_csv_colindex(c, idf), cv = sol_csv_colindex(c, j->var);
    long cp = j->period_field ? sol_csv_colindex(c, j->period_field) : 0;
    if (ci < 0 || cv < 0 || cp < 0) {
        rc = sol__err_at(s->err, SOL_EPARSE, j->data, 1, 0, "no column named '%s'",
                         ci < 0   ? idf
                         : cv < 0 ? j->var
                                  : j->period_field);
        goto done;
    }
    if ((s->row_map = sol__strmap_new(1024)) == NULL)
        goto nomem;
    size_t kept_period = 0;
    while ((rc = sol_csv_next(c, s->err)) == SOL_OK) {
        if (j->period_field) {
            size_t pl;
            const char *p = sol_csv_field(c, (size_t)cp, &pl);
            if (pl != strlen(j->period) || memcmp(p, j->period, pl) != 0)
                continue;
            kept_period++;
        }
        size_t il, len;
        const char *id = sol_csv_field(c, (size_t)ci, &il);
        const char *sv = sol_csv_field(c, (size_t)cv, &len);
        int64_t first;
        if (il == 0) {
            rc = sol__err_at(s->err, SOL_EPARSE, j->data, sol_csv_line(c),
                             sol_csv_col(c, (size_t)ci), "empty area id in '%s'", idf);
            goto done;
        }
        if (sol__strmap_get(s->row_map, id, il, &first)) {
            if (j->period_field)
                rc = sol__err_at(s->err, SOL_EDUPLICATE, j->data, sol_csv_line(c), 0,
                                 "area %s has a second row (the first is line %lu)", id,
                                 s->row_line[first]);
            else
                rc = sol__err_at(s->err, SOL_EDUPLICATE, j->data, sol_csv_line(c), 0,
                                 "area %s has a second row (the first is line %lu); several "
                                 "periods? keep one with --period-field F --period P",
                                 id, s->row_line[first]);
            goto done;
        }
        double x = NAN;
        if (sol_is_missing(sv, len) || sol_parse_number(sv, len, 0, &x) != SOL_OK) {
            if (!j->drop_missing) {
                if (sol_is_missing(sv, len))
                    rc = sol__err_at(s->err, SOL_ETYPE, j->data, sol_csv_line(c),
                                     sol_csv_col(c, (size_t)cv),
                                     "%s of area %s is \"%s\": missing; every area needs a "
                                     "value (or leave such areas out with --drop-missing)",
                                     j->var, id, sv);
                else
                    rc = sol__err_at(s->err, SOL_ETYPE, j->data, sol_csv_line(c),
                                     sol_csv_col(c, (size_t)cv),
                                     "%s of area %s is \"%s\": not a number; every area needs a "
                                     "value (or leave such areas out with --drop-missing)",
                                     j->var, id, sv);
                goto done;
            }
            x = NAN;
            if ((rc = drop(s, id,
                           sol_is_missing(sv, len) ? N_("value missing")
                                                   : N_("value not a number"))) != SOL_OK)
                goto done;
        }
        if (s->n_rows == cap) {
            cap = cap ? 2 * cap : 256;
            char **ni = sol__realloc(s->row_ids, cap * sizeof *ni);
            if (ni)
                s->row_ids = ni;
            double *nv = ni ? sol__realloc(s->row_v, cap * sizeof *nv) : NULL;
            if (nv)
                s->row_v = nv;
            unsigned long *nl = nv ? sol__realloc(s->row_line, cap * sizeof *nl) : NULL;
            if (nl)
                s->row_line = nl;
            if (nl == NULL)
                goto nomem;
        }
        if ((s->row_ids[s->n_rows] = sol__strndup(id, il)) == NULL)
            goto nomem;
        s->row_v[s->n_rows] = x;
        s->row_line[s->n_rows] = sol_csv_line(c);
        if (sol__strmap_put(s->row_map, id, il, (int64_t)s->n_rows) != SOL_OK)
            goto nomem;
        s->n_rows++;
    }
    if (rc != SOL_EOF)
        goto done;
    rc = SOL_OK;
    if (j->period_field && kept_period == 0)
        rc = sol__err_at(s->err, SOL_ENOTFOUND, j->data, 0, 0, "no row has %s = %s",
                         j->period_field, j->period);
    else if (s->n_rows == 0)
        rc = sol__err_at(s->err, SOL_ENOTFOUND, j->data, 0, 0, "no data row");
    goto done;
nomem:
    rc = sol__err(s->err, SOL_ENOMEM, "out of memory reading %s", j->data);
done:
    sol_csv_close(c);
    return rc;
}

/* Keep the features that have a value; name the areas without one and the rows without area. */
static sol_status align_file(job_state *s)
{
    const sol_spatial_job *j = s->job;
    sol_layer *l = s->layer;
    sol_status rc = SOL_OK;
    sol_buf no_row, unknown;
    size_t n_no_row = 0, n_unknown = 0;
    sol__buf_init(&no_row, 4096);
    sol__buf_init(&unknown, 4096);
    sol_strmap *geo = sol__strmap_new(l->n);
    char *used = sol__calloc(s->n_rows + 1, 1);
    s->view.f = sol__calloc(l->n + 1, sizeof *s->view.f);
    s->o->x = sol__malloc((l->n + 1) * sizeof *s->o->x);
    if (geo == NULL || used == NULL || s->view.f == NULL || s->o->x == NULL)
        goto nomem;
    for (size_t i = 0; i < l->n; i++) {
        const char *id = l->f[i].code;
        if (sol__strmap_put(geo, id, strlen(id), (int64_t)i) != SOL_OK)
            goto nomem;
        int64_t r;
        if (!sol__strmap_get(s->row_map, id, strlen(id), &r)) {
            name_add(&no_row, &n_no_row, id);
            if (j->drop_missing && (rc = drop(s, id, N_("no row in the data"))) != SOL_OK)
                goto done;
            continue;
        }
        used[r] = 1;
        if (isnan(s->row_v[r]))
            continue; /* already dropped: missing value */
        s->o->x[s->view.n] = s->row_v[r];
        s->view.f[s->view.n++] = l->f[i];
    }
    for (size_t r = 0; r < s->n_rows; r++)
        if (!used[r]) {
            name_add(&unknown, &n_unknown, s->row_ids[r]);
            if (j->drop_missing && !isnan(s->row_v[r]) &&
                (rc = drop(s, s->row_ids[r], N_("not in the geometry"))) != SOL_OK)
                goto done;
        }
    if ((n_no_row || n_unknown) && !j->drop_missing) {
        /* two whole clauses, each with its own count, joined by a whole template; the English
         * singulars keep "(s)" as the command's tests read them */
        char a[SOL_ERROR_MSG_MAX], b[SOL_ERROR_MSG_MAX];
        sol_status code = n_unknown ? SOL_EUNKNOWNAREA : SOL_ENOTFOUND;
        if (n_no_row)
            snprintf(a, sizeof a,
                     sol_ngettext("%zu area(s) of %s have no row in the data: %s",
                                  "%zu area(s) of %s have no row in the data: %s", n_no_row),
                     n_no_row, j->geo, no_row.data ? no_row.data : "");
        if (n_unknown)
            snprintf(b, sizeof b,
                     sol_ngettext("%zu row(s) name an area that is not in %s: %s",
                                  "%zu row(s) name an area that is not in %s: %s", n_unknown),
                     n_unknown, j->geo, unknown.data ? unknown.data : "");
        if (n_no_row && n_unknown)
            rc = sol__err_at(s->err, code, j->data, 0, 0,
                             "%s; %s. Fix the ids (--id-field, --data-id-field) or leave them "
                             "out with --drop-missing",
                             a, b);
        else
            rc = sol__err_at(s->err, code, j->data, 0, 0,
                             "%s. Fix the ids (--id-field, --data-id-field) or leave them out "
                             "with --drop-missing",
                             n_no_row ? a : b);
        goto done;
    }
    goto done;
nomem:
    rc = sol__err(s->err, SOL_ENOMEM, "out of memory");
done:
    sol__buf_free(&no_row);
    sol__buf_free(&unknown);
    sol__strmap_free(geo);
    sol__free(used);
    return rc;
}

/* ---- store mode: areas of the same level without a value ------------------------------------ */

typedef struct level_scan {
    const sol_values *v;
    sol_strmap *codes;
    char levels[4][64]; /* levels of the areas with a value */
    size_t nlevels;
    json_t *others; /* [[code, level]] of the areas without a value */
    int pass;
} level_scan;

static int on_area_level(void *ud, const sol_area *a)
{
    level_scan *ls = ud;
    int in = sol__strmap_get(ls->codes, a->code, strlen(a->code), NULL);
    const char *lv = a->level ? a->level : "";
    if (in) {
        for (size_t k = 0; k < ls->nlevels; k++)
            if (strcmp(ls->levels[k], lv) == 0)
                return 0;
        if (ls->nlevels < 4)
            snprintf(ls->levels[ls->nlevels++], sizeof ls->levels[0], "%s", lv);
        return 0;
    }
    json_array_append_new(ls->others, json_pack("[s,s]", a->code, lv));
    return 0;
}

static sol_status check_store_coverage(job_state *s, sol_store *st)
{
    const sol_values *v = s->values;
    level_scan ls = {.v = v};
    sol_status rc = SOL_OK;
    sol_buf names;
    size_t count = 0;
    sol__buf_init(&names, 4096);
    ls.codes = sol__strmap_new(v->n);
    ls.others = json_array();
    if (ls.codes == NULL || ls.others == NULL)
        goto nomem;
    for (size_t i = 0; i < v->n; i++)
        if (sol__strmap_put(ls.codes, v->codes[i], strlen(v->codes[i]), 1) != SOL_OK)
            goto nomem;
    if ((rc = sol_store_areas(st, 0, on_area_level, &ls, s->err)) != SOL_OK)
        goto done;
    const char *level = "";
    for (size_t k = 0; k < json_array_size(ls.others); k++) {
        json_t *a = json_array_get(ls.others, k);
        const char *code = json_string_value(json_array_get(a, 0));
        const char *lv = json_string_value(json_array_get(a, 1));
        int same = 0;
        for (size_t m = 0; m < ls.nlevels && !same; m++)
            same = strcmp(ls.levels[m], lv) == 0;
        if (!same)
            continue;
        level = ls.nlevels ? ls.levels[0] : "";
        name_add(&names, &count, code);
        if (s->job->drop_missing && (rc = drop(s, code, N_("no value at this period"))) != SOL_OK)
            goto done;
    }
    if (count && !s->job->drop_missing)
        /* the English singular keeps "area(s) ... have", as the command's tests read it */
        rc = sol__err(s->err, SOL_ENOTFOUND,
                      sol_ngettext("%zu area(s) at level '%s' have no value of %s at %s: %s. "
                                   "Import their values, or leave them out with --drop-missing "
                                   "(then they are no area's neighbour)",
                                   "%zu area(s) at level '%s' have no value of %s at %s: %s. "
                                   "Import their values, or leave them out with --drop-missing "
                                   "(then they are no area's neighbour)",
                                   count),
                      count, level, v->indicator, v->period, names.data ? names.data : "");
    goto done;
nomem:
    rc = sol__err(s->err, SOL_ENOMEM, "out of memory");
done:
    sol__buf_free(&names);
    sol__strmap_free(ls.codes);
    json_decref(ls.others);
    return rc;
}

/* ---- results as JSON ------------------------------------------------------------------------ */

static json_t *moran_json(const sol_spatial_job *j, const sol_spatial_output *o)
{
    const sol_moran_result *r = &o->moran;
    json_t *m = json_object();
    /* the keys of the interface first, as written in docs/spatial.md */
    const char *names[] = {
        "I",        "expected",        "variance_normal", "variance_randomisation",
        "z_normal", "z_randomisation", "p_normal",        "p_randomisation"};
    double vals[] = {r->I,      r->EI,     r->var_norm, r->var_rand,
                     r->z_norm, r->z_rand, r->p_norm,   r->p_rand};
    for (size_t k = 0; k < sizeof vals / sizeof *vals; k++)
        json_object_set_new(m, names[k], sol__run_num(vals[k]));
    json_object_set_new(m, "p_perm", r->nsim > 0 ? sol__run_num(r->p_sim) : json_null());
    json_object_set_new(m, "n", json_integer((json_int_t)r->n));
    json_object_set_new(m, "islands", json_integer((json_int_t)o->n_islands));
    json_object_set_new(m, "alternative", json_string(alt_name(j->alternative)));
    json_object_set_new(m, "kurtosis", sol__run_num(r->kurtosis));
    json_object_set_new(m, "S0", sol__run_num(r->S0));
    json_object_set_new(m, "S1", sol__run_num(r->S1));
    json_object_set_new(m, "S2", sol__run_num(r->S2));
    if (r->nsim > 0)
        json_object_set_new(m, "permutations",
                            json_pack("{s:i,s:I,s:o,s:I,s:o,s:o}", "nsim", (int)r->nsim, "seed",
                                      (json_int_t)j->seed, "rank", sol__run_num(r->rank), "n_ge",
                                      (json_int_t)r->n_ge, "mean_sim", sol__run_num(r->mean_sim),
                                      "var_sim", sol__run_num(r->var_sim)));
    return m;
}

static json_t *local_json(const sol_spatial_job *j, const sol_spatial_output *o)
{
    const sol_local_result *r = o->local;
    int gi = j->analysis == SOL_SPATIAL_GISTAR;
    size_t counts[5] = {0};
    json_t *areas = json_array();
    for (size_t i = 0; i < r->n; i++) {
        json_t *a = json_object();
        json_object_set_new(a, "id", json_string(o->w->ids[i]));
        json_object_set_new(a, "value", sol__run_num(o->x[i]));
        json_object_set_new(a, "lag", sol__run_num(r->lag[i]));
        json_object_set_new(a, gi ? "G" : "Ii", sol__run_num(gi ? r->g[i] : r->stat[i]));
        json_object_set_new(a, gi ? "E_G" : "E_Ii", sol__run_num(r->expect[i]));
        json_object_set_new(a, gi ? "V_G" : "Var_Ii", sol__run_num(r->var[i]));
        json_object_set_new(a, "z", sol__run_num(r->z[i]));
        json_object_set_new(a, "p", sol__run_num(r->p[i]));
        if (!gi && o->local_total) {
            json_object_set_new(a, "E_Ii_total", sol__run_num(o->local_total->expect[i]));
            json_object_set_new(a, "Var_Ii_total", sol__run_num(o->local_total->var[i]));
            json_object_set_new(a, "z_total", sol__run_num(o->local_total->z[i]));
            json_object_set_new(a, "p_total", sol__run_num(o->local_total->p[i]));
        }
        json_object_set_new(a, "p_perm",
                            r->nsim ? sol__run_num(fmin(1.0, 2.0 * r->p_sim[i])) : json_null());
        if (r->nsim) {
            json_object_set_new(a, "e_sim", sol__run_num(r->e_sim[i]));
            json_object_set_new(a, "var_sim", sol__run_num(r->var_sim[i]));
            json_object_set_new(a, "z_sim", sol__run_num(r->z_sim[i]));
            json_object_set_new(a, "p_sim", sol__run_num(r->p_sim[i]));
        }
        json_object_set_new(a, "p_adj", sol__run_num(r->p_adj[i]));
        if (gi)
            json_object_set_new(a, "sign", json_string(r->z[i] > 0 ? "hot" : "cold"));
        else
            json_object_set_new(a, "quadrant",
                                json_string(sol_spatial_quadrant_name(r->quadrant[i])));
        json_object_set_new(a, "cluster", json_string(sol_spatial_cluster_name(r->cluster[i])));
        counts[r->cluster[i]]++;
        json_array_append_new(areas, a);
    }
    json_t *cl = json_object();
    for (int c = 0; c < 5; c++)
        json_object_set_new(cl, sol_spatial_cluster_name((sol_cluster)c),
                            json_integer((json_int_t)counts[c]));
    json_t *m = json_object();
    json_object_set_new(m, "statistic",
                        json_string(gi ? (j->self ? "Gi*" : "Gi") : "local Moran Ii"));
    json_object_set_new(m, "n", json_integer((json_int_t)r->n));
    json_object_set_new(m, "islands", json_integer((json_int_t)o->n_islands));
    json_object_set_new(m, "alternative", json_string(alt_name(j->alternative)));
    json_object_set_new(m, "nsim", json_integer((json_int_t)r->nsim));
    json_object_set_new(m, "seed", json_integer((json_int_t)j->seed));
    json_object_set_new(m, "alpha", json_real(r->alpha));
    json_object_set_new(m, "adjust", json_string(adjust_name(j->adjust)));
    json_object_set_new(m, "p_for_clusters", json_string(r->nsim ? "p_sim" : "p"));
    json_object_set_new(m, "clusters", cl);
    json_object_set_new(m, "areas", areas);
    return m;
}

static json_t *choices_json(const job_state *s)
{
    const sol_spatial_job *j = s->job;
    char wl[SOL_ERROR_WHERE_MAX];
    weights_label(j, wl, sizeof wl);
    json_t *c = json_object();
    json_object_set_new(c, "weights", json_string(wl));
    json_object_set_new(c, "style", json_sprintf("%c", j->weights.style ? j->weights.style : 'W'));
    json_object_set_new(
        c, "snap", json_real(j->weights.snap < 0 ? SOL_SPATIAL_SNAP_DEFAULT : j->weights.snap));
    json_object_set_new(c, "islands",
                        json_string(j->weights.islands == SOL_ISLANDS_KEEP ? "keep" : "error"));
    json_object_set_new(c, "permutations", json_integer((json_int_t)j->nsim));
    json_object_set_new(c, "seed", json_integer((json_int_t)j->seed));
    json_object_set_new(c, "alternative", json_string(alt_name(j->alternative)));
    if (j->analysis != SOL_SPATIAL_MORAN) {
        json_object_set_new(c, "alpha", json_real(j->alpha));
        json_object_set_new(c, "adjust", json_string(adjust_name(j->adjust)));
    }
    if (j->analysis == SOL_SPATIAL_LISA)
        json_object_set_new(c, "moments",
                            json_string(j->conditional ? "conditional" : "total randomisation"));
    if (j->analysis == SOL_SPATIAL_GISTAR)
        json_object_set_new(c, "self_included", json_boolean(j->self));
    json_object_set_new(c, "drop_missing", json_boolean(j->drop_missing));
    json_object_set_new(c, "dropped", json_incref(s->dropped));
    return c;
}

static json_t *method_json(const sol_spatial_job *j)
{
    switch (j->analysis) {
    case SOL_SPATIAL_MORAN:
        return json_pack("{s:s,s:s,s:s,s:s}", "name", N_("Global Moran's I"), "reference",
                         "Moran 1950; Cliff & Ord 1981; spdep moran.test (normality and "
                         "randomisation), moran.mc (permutations)",
                         "inference",
                         j->nsim ? N_("analytic and permutation (values permuted over areas)")
                                 : N_("analytic"),
                         "checked_against", "R spdep 1.2-7 (tests/data/spatial_lazio)");
    case SOL_SPATIAL_LISA:
        return json_pack(
            "{s:s,s:s,s:s,s:s,s:s}", "name", N_("Local Moran's I (LISA)"), "reference",
            "Anselin 1995; Sokal, Oden & Thomson 1998; spdep localmoran conditional", "moments",
            j->conditional ? N_("conditional (Sokal, Oden & Thomson 1998; spdep default)")
                           : N_("total randomisation (Anselin 1995)"),
            "inference",
            j->nsim ? N_("conditional permutations, neighbours drawn without replacement")
                    : N_("analytic"),
            "quadrant", N_("deviation from the mean against its spatial lag (GeoDa, PySAL)"));
    default:
        return json_pack(
            "{s:s,s:s,s:s,s:s}", "name",
            j->self ? N_("Local Getis-Ord Gi*") : N_("Local Getis-Ord Gi"), "reference",
            "Getis & Ord 1992; Ord & Getis 1995; spdep localG (include.self for Gi*)", "inference",
            j->nsim ? N_("analytic and conditional permutations") : N_("analytic"),
            "checked_against", "R spdep 1.2-7 (tests/data/spatial_lazio)");
    }
}

static sol_status record(job_state *s, sol_store *st, json_t *result)
{
    const sol_spatial_job *j = s->job;
    json_t *choices = choices_json(s);
    json_t *spec = json_pack("{s:s,s:s,s:s}", "analysis", kind_name(j->analysis) + 8, "indicator",
                             s->values->indicator, "period", s->values->period);
    json_t *method = method_json(j);
    sol_status rc = SOL_ENOMEM;
    if (choices == NULL || spec == NULL || method == NULL)
        goto done;
    json_object_update(spec, choices);
    json_object_del(spec, "dropped");
    sol_run_card card = {.kind = kind_name(j->analysis), .inputs = s->values};
    rc = sol__run_record_json(st, &card, JSON_COMPACT, spec, method, choices, result, &s->o->run_id,
                              s->err);
done:
    if (rc == SOL_ENOMEM)
        sol__err(s->err, rc, "out of memory recording the run");
    json_decref(choices);
    json_decref(spec);
    json_decref(method);
    return rc;
}

/* ---- the analysis --------------------------------------------------------------------------- */

void sol_run_spatial_job_init(sol_spatial_job *j, sol_spatial_analysis a)
{
    memset(j, 0, sizeof *j);
    j->analysis = a;
    j->weights.kind = SOL_WEIGHTS_QUEEN;
    j->weights.snap = -1;
    j->weights.style = 'W';
    j->weights.longlat = 1;
    j->weights.islands = SOL_ISLANDS_ERROR;
    j->seed = 1;
    j->alpha = 0.05;
    j->adjust = SOL_PADJUST_NONE;
    j->conditional = 1;
    j->self = 1;
    j->record = 1;
    j->nsim = a == SOL_SPATIAL_MORAN ? 0 : SOL_SPATIAL_NSIM_DEFAULT;
    j->alternative = SOL_ALT_TWO_SIDED;
}

void sol_spatial_output_free(sol_spatial_output *o)
{
    if (o == NULL)
        return;
    sol_weights_free(o->w);
    sol__free(o->x);
    sol__run_notes_free(o->notes, o->n_notes);
    sol_local_result_free(o->local);
    sol_local_result_free(o->local_total);
    free(o->result_json); /* from jansson */
    sol__free(o);
}

static sol_status check_job(const sol_spatial_job *j, int store_mode, sol_error *err)
{
    if (store_mode) {
        if (j->indicator == NULL)
            return sol__err(err, SOL_EINVAL, "store mode needs an indicator (--indicator CODE)");
        return SOL_OK;
    }
    if (j->weights_file == NULL && (j->geo == NULL || j->id_field == NULL))
        return sol__err(err, SOL_EINVAL,
                        "give the geometry (--geo F --id-field ID), a weights "
                        "file (--weights-file F), or --indicator CODE");
    if (j->analysis != SOL_SPATIAL_WEIGHTS && (j->data == NULL || j->var == NULL))
        return sol__err(err, SOL_EINVAL,
                        "the values are needed: --data F.csv --var V, or "
                        "--indicator CODE from the store");
    if (j->analysis != SOL_SPATIAL_WEIGHTS && j->data_id_field == NULL && j->id_field == NULL)
        return sol__err(err, SOL_EINVAL, "--data-id-field ID is needed with --weights-file");
    if (j->period_field != NULL && j->period == NULL)
        return sol__err(err, SOL_EINVAL, "--period-field F needs --period P");
    return SOL_OK;
}

static sol_status build_weights(job_state *s)
{
    const sol_spatial_job *j = s->job;
    sol_spatial_output *o = s->o;
    sol_status rc;
    if (j->weights_file) {
        /* the analysed ids, in order, fix the weights' areas */
        size_t n = 0;
        const char **ids = NULL;
        if (s->values) {
            ids = (const char **)s->values->codes;
            n = s->values->n;
        } else if (s->row_ids) {
            if ((ids = sol__malloc((s->n_rows + 1) * sizeof *ids)) == NULL ||
                (o->x = sol__malloc((s->n_rows + 1) * sizeof *o->x)) == NULL) {
                sol__free(ids);
                return sol__err(s->err, SOL_ENOMEM, "out of memory");
            }
            for (size_t r = 0; r < s->n_rows; r++)
                if (!isnan(s->row_v[r])) {
                    o->x[n] = s->row_v[r];
                    ids[n++] = s->row_ids[r];
                }
        }
        rc = sol_spatial_weights_read_csv(j->weights_file, ids, n, j->weights.islands, &o->w,
                                          s->err);
        if (!s->values)
            sol__free(ids);
        return rc;
    }
    rc = sol_spatial_weights_build(&s->view, &j->weights, &o->w, s->err);
    if (rc != SOL_OK && s->err && s->err->where[0] == '\0')
        sol__err_where(s->err, s->values ? s->values->indicator : j->geo);
    return rc;
}

static sol_status compute(job_state *s)
{
    const sol_spatial_job *j = s->job;
    sol_spatial_output *o = s->o;
    size_t n = o->w->n;
    size_t k = 1;
    while (k < n && o->x[k] == o->x[0])
        k++;
    if (n > 0 && k == n) {
        const char *what = j->indicator ? j->indicator : j->var;
        if (j->analysis == SOL_SPATIAL_MORAN)
            return sol__err(s->err, SOL_EINVAL,
                            "all %zu values of %s are equal (%.17g): zero variance, so Moran's I "
                            "is undefined",
                            n, what, o->x[0]);
        if (j->analysis == SOL_SPATIAL_LISA)
            return sol__err(s->err, SOL_EINVAL,
                            "all %zu values of %s are equal (%.17g): zero variance, so local "
                            "Moran is undefined",
                            n, what, o->x[0]);
        return sol__err(s->err, SOL_EINVAL,
                        "all %zu values of %s are equal (%.17g): zero variance, so Getis-Ord G "
                        "is undefined",
                        n, what, o->x[0]);
    }
    if (j->analysis == SOL_SPATIAL_MORAN) {
        sol_moran_opts mo = {j->alternative, j->nsim, j->seed};
        return sol_spatial_moran(o->w, o->x, &mo, &o->moran, s->err);
    }
    sol_local_opts lo;
    sol_spatial_local_opts_default(&lo);
    lo.conditional = j->conditional;
    lo.alternative = j->alternative;
    lo.nsim = j->nsim;
    lo.seed = j->seed;
    lo.alpha = j->alpha;
    lo.adjust = j->adjust;
    lo.cluster_from_perm = j->inference_perm;
    if (j->analysis == SOL_SPATIAL_LISA) {
        /* both analytic variants: the conditional moments (with the permutations) and those
         * under total randomisation; --total makes the latter decide the cluster classes */
        lo.conditional = 1;
        sol_status lrc = sol_spatial_lisa(o->w, o->x, &lo, &o->local, s->err);
        if (lrc != SOL_OK)
            return lrc;
        sol_local_opts tot = lo;
        tot.conditional = 0;
        tot.nsim = 0;
        tot.cluster_from_perm = 0;
        if ((lrc = sol_spatial_lisa(o->w, o->x, &tot, &o->local_total, s->err)) != SOL_OK)
            return lrc;
        if (!j->conditional && !j->inference_perm)
            for (size_t i = 0; i < o->local->n; i++) {
                o->local->p_adj[i] = o->local_total->p_adj[i];
                o->local->cluster[i] = o->local_total->cluster[i];
            }
        return SOL_OK;
    }
    sol_weights *ws = NULL;
    sol_status rc;
    if (j->self && (rc = sol_spatial_weights_with_self(o->w, &ws, s->err)) != SOL_OK)
        return rc;
    rc = sol_spatial_getis_ord(ws ? ws : o->w, o->x, &lo, &o->local, s->err);
    sol_weights_free(ws);
    return rc;
}

/* Free the working state (not the output). */
static void state_clear(job_state *s)
{
    json_decref(s->dropped);
    sol_values_free(s->values);
    if (s->layer && s->view.f != s->layer->f)
        sol__free(s->view.f);
    sol_layer_free(s->layer);
    for (size_t r = 0; r < s->n_rows; r++)
        sol__free(s->row_ids[r]);
    sol__free(s->row_ids);
    sol__free(s->row_v);
    sol__free(s->row_line);
    sol__strmap_free(s->row_map);
}

/* The public variant of a store-mode LISA or Gi*: the same analysis over the areas whose value
 * is public, withheld ones left out (so no neighbour's lag, mean or variance includes a withheld
 * value) and areas left without neighbours kept. Added to `result` under "public"; when it cannot
 * be computed (too few public values, all equal), "public" says why and the layer stays private. */
static sol_status add_public_variant(sol_store *st, const sol_spatial_job *j, json_t *result,
                                     sol_error *err)
{
    sol_spatial_job pj = *j;
    pj.record = 0;
    pj.no_json = 0; /* its JSON is what this adds */
    pj.public_only = 1;
    pj.drop_missing = 1;
    pj.weights.islands = SOL_ISLANDS_KEEP;
    sol_spatial_output *po = NULL;
    sol_error perr;
    sol_error_clear(&perr);
    json_t *pub;
    sol_status rc = sol_run_spatial(st, &pj, &po, &perr);
    if (rc == SOL_ENOMEM)
        return sol__err(err, rc, "out of memory");
    if (rc != SOL_OK)
        pub = json_pack("{s:s,s:s}", "computed", "no", "why", perr.msg);
    else
        pub = json_loads(po->result_json, 0, NULL);
    if (pub != NULL && rc == SOL_OK)
        json_object_set_new(pub, "note",
                            json_string("computed from the values the public may see: the "
                                        "withheld values were left out, not estimated"));
    sol_spatial_output_free(po);
    if (pub == NULL || json_object_set_new(result, "public", pub) != 0)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    return SOL_OK;
}

sol_status sol_run_spatial(sol_store *st, const sol_spatial_job *j, sol_spatial_output **out,
                           sol_error *err)
{
    int store_mode = st != NULL && j->indicator != NULL;
    sol_status rc;
    json_t *result = NULL;
    job_state s = {.job = j, .err = err};
    if ((rc = check_job(j, store_mode, err)) != SOL_OK)
        return rc;
    if ((s.o = sol__calloc(1, sizeof *s.o)) == NULL || (s.dropped = json_array()) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    s.o->analysis = j->analysis;
    if (store_mode) {
        if ((rc = sol_run_values(st, j->indicator, j->period, j->weights_file == NULL, &s.values,
                                 err)) != SOL_OK)
            goto fail;
        if (j->public_only)
            sol_values_withhold(s.values);
        if ((rc = check_store_coverage(&s, st)) != SOL_OK)
            goto fail;
        snprintf(s.o->period, sizeof s.o->period, "%s", s.values->period);
        s.view.n = s.values->n;
        s.view.f = s.values->features;
        if ((s.o->x = sol__malloc((s.values->n + 1) * sizeof *s.o->x)) == NULL) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto fail;
        }
        memcpy(s.o->x, s.values->values, s.values->n * sizeof *s.o->x);
    } else {
        if (j->period)
            snprintf(s.o->period, sizeof s.o->period, "%s", j->period);
        if (j->analysis != SOL_SPATIAL_WEIGHTS && (rc = read_rows(&s)) != SOL_OK)
            goto fail;
        if (j->geo) {
            sol_geo_opts go = {.code_field = j->id_field, .assume_crs = j->crs, .no_geojson = 1};
            if ((rc = sol_geo_read(j->geo, &go, &s.layer, err)) != SOL_OK)
                goto fail;
            if (j->analysis == SOL_SPATIAL_WEIGHTS) {
                s.view = *s.layer;
            } else if ((rc = align_file(&s)) != SOL_OK) {
                goto fail;
            }
        }
    }
    if ((rc = build_weights(&s)) != SOL_OK)
        goto fail;
    s.o->n_islands = sol_spatial_weights_islands(s.o->w, NULL);
    s.o->n_dropped = json_array_size(s.dropped);
    for (size_t k = 0; k < s.o->n_dropped; k++) {
        json_t *d = json_array_get(s.dropped, k);
        if (k == MAX_NOTES) {
            rc = sol__run_note_add(&s.o->notes, &s.o->n_notes, SOL_ERROR_MSG_MAX, NULL,
                                   sol_ngettext("... and %zu more area left out",
                                                "... and %zu more areas left out",
                                                s.o->n_dropped - k),
                                   s.o->n_dropped - k);
        } else if (k < MAX_NOTES) {
            rc = sol__run_note_add(&s.o->notes, &s.o->n_notes, SOL_ERROR_MSG_MAX, NULL,
                                   "area %s left out: %s",
                                   json_string_value(json_object_get(d, "id")),
                                   _(json_string_value(json_object_get(d, "reason"))));
        }
        if (rc != SOL_OK) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto fail;
        }
    }
    if (j->analysis == SOL_SPATIAL_WEIGHTS) {
        sol__free(s.o->x);
        s.o->x = NULL;
        goto ok;
    }
    if ((rc = compute(&s)) != SOL_OK)
        goto fail;
    /* 100,000 areas make 1.4 million numbers to print at 17 digits: not for a caller who
     * writes the CSV from the arrays */
    if (j->no_json && !(store_mode && j->record))
        goto ok;
    result = j->analysis == SOL_SPATIAL_MORAN ? moran_json(j, s.o) : local_json(j, s.o);
    if (result == NULL ||
        (s.o->result_json = json_dumps(result, JSON_COMPACT | JSON_REAL_PRECISION(17))) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    if (store_mode && j->record && s.values->n_suppressed > 0 && j->analysis != SOL_SPATIAL_MORAN &&
        (rc = add_public_variant(st, j, result, err)) != SOL_OK)
        goto fail;
    if (store_mode && j->record && (rc = record(&s, st, result)) != SOL_OK)
        goto fail;
ok:
    json_decref(result);
    state_clear(&s);
    *out = s.o;
    return SOL_OK;
fail:
    json_decref(result);
    state_clear(&s);
    sol_spatial_output_free(s.o);
    return rc;
}
