/* tabulate.c - a published table from microdata: public lists of categories read, the dataset's
 * minimum cell size and privacy budget applied, noise and suppression, the table written and the
 * run recorded with its privacy treatment; and a dataset's budget changed. */
#include <solidata/run_privacy.h>

#include <solidata/run.h>

#include "core/core.h"
#include "run/microsql.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define MAX_CATEGORIES_BYTES (64u << 20) /* a list of categories larger than this is refused */

void sol_run_tabulate_job_init(sol_tabulate_job *j)
{
    memset(j, 0, sizeof *j);
    j->mechanism = SOL_DP_LAPLACE;
    j->delta = 1e-6;
}

sol_status sol_run_tabulate_check(const sol_tabulate_job *j, sol_error *err)
{
    if ((j->microdata == NULL && j->microdata_sql == NULL) || j->row_field == NULL)
        return sol__err(err, SOL_EINVAL, "a table needs microdata and a row field");
    if (j->microdata != NULL && j->microdata_sql != NULL)
        return sol__err(
            err, SOL_EINVAL,
            "--microdata and --microdata-sql: give one (a file, or a PostgreSQL table)");
    if (j->categories_cols != NULL && j->col_field == NULL)
        return sol__err(err, SOL_EINVAL, "a list of column categories needs a column field");
    if (j->categories_from_data && (j->categories_rows != NULL || j->categories_cols != NULL))
        return sol__err(err, SOL_EINVAL,
                        "categories from the data and a public list of "
                        "categories exclude each other");
    if (j->dp_epsilon == NULL)
        return SOL_OK;
    if (j->weight_field != NULL)
        return sol__err(err, SOL_EINVAL,
                        "differential privacy applies to counts, not to "
                        "weighted sums");
    if (j->mechanism != SOL_DP_LAPLACE && j->mechanism != SOL_DP_GAUSSIAN)
        return sol__err(err, SOL_EINVAL, "unknown noise mechanism");
    /* Which categories exist is itself information about the records: a DP release lists
     * categories known without the data, or says plainly that they came from the data. */
    int lists = j->categories_rows != NULL && (j->col_field == NULL || j->categories_cols != NULL);
    if (!lists && !j->categories_from_data)
        return sol__err(err, SOL_EINVAL,
                        "a differentially private table needs the public list "
                        "of its categories, so that which categories exist "
                        "does not leak, or categories from the data, said so "
                        "in the card");
    return SOL_OK;
}

/* A public list of categories: one per line (no header), UTF-8, blank lines ignored, a final
 * CR dropped. *buf owns the text, *list points into it. `cols` says which list it is (the
 * column categories, else the row categories) in messages. */
static sol_status read_categories(const char *path, int cols, char **buf, const char ***list,
                                  size_t *n, sol_error *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL && cols)
        return sol__err(err, SOL_EIO, "%s: cannot open the list of column categories: %s", path,
                        strerror(errno));
    if (f == NULL)
        return sol__err(err, SOL_EIO, "%s: cannot open the list of row categories: %s", path,
                        strerror(errno));
    size_t cap = 0, len = 0, lines = 0;
    char *text = NULL;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *t = cap > MAX_CATEGORIES_BYTES ? NULL : sol__realloc(text, cap);
            if (t == NULL) {
                sol__free(text);
                fclose(f);
                if (cols)
                    return sol__err(err, SOL_ELIMIT,
                                    "%s: too large for a list of column categories", path);
                return sol__err(err, SOL_ELIMIT, "%s: too large for a list of row categories",
                                path);
            }
            text = t;
        }
        size_t got = fread(text + len, 1, 4096, f);
        len += got;
        if (got < 4096)
            break;
    }
    int rerr = ferror(f);
    fclose(f);
    if (rerr) {
        sol__free(text);
        if (cols)
            return sol__err(err, SOL_EIO, "%s: read error (the list of column categories)", path);
        return sol__err(err, SOL_EIO, "%s: read error (the list of row categories)", path);
    }
    text[len] = '\0';
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    const char **l = sol__malloc((lines + 1) * sizeof *l);
    if (l == NULL) {
        sol__free(text);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    size_t k = 0;
    for (char *p = text; *p || p == text;) {
        char *e = strchr(p, '\n');
        if (e)
            *e = '\0';
        size_t m = strlen(p);
        if (m && p[m - 1] == '\r')
            p[--m] = '\0';
        if (m)
            l[k++] = p;
        if (e == NULL)
            break;
        p = e + 1;
    }
    if (k == 0) {
        sol__free(l);
        sol__free(text);
        if (cols)
            return sol__err(err, SOL_EPARSE,
                            "%s: no categories (a list of column categories holds one per line)",
                            path);
        return sol__err(err, SOL_EPARSE,
                        "%s: no categories (a list of row categories holds one per line)", path);
    }
    *buf = text;
    *list = l;
    *n = k;
    return SOL_OK;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* The dataset a table is charged to by default: the file's name, or the table's (never the
 * address, which may hold a password). */
static char *default_dataset(const sol_tabulate_job *j)
{
    if (j->microdata)
        return sol__strdup(base_name(j->microdata));
    const char *t = strstr(j->microdata_sql, "table=");
    t = t ? t + 6 : "microdata-sql";
    size_t n = strcspn(t, "&");
    char *d = sol__malloc(n + 1);
    if (d) {
        memcpy(d, t, n);
        d[n] = '\0';
    }
    return d;
}

/* The parts of the method card, as JSON texts (owned); NULL on allocation failure. */
typedef struct tab_card {
    char *spec, *privacy, *method, *result;
} tab_card;

static void tab_card_clear(tab_card *c)
{
    free(c->spec);
    free(c->privacy);
    free(c->method);
    free(c->result);
}

static char *dump(json_t *j)
{
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    return s;
}

/* The differential-privacy part of the card: the mechanism, its parameters and the ledger. */
static json_t *dp_json(sol_store *st, const sol_tabulate_job *j, const sol_tab_opts *o,
                       const sol_tabulate_output *out)
{
    sol_budget b;
    memset(&b, 0, sizeof b);
    sol_budget_get(st, out->dataset, &b, NULL);
    uint64_t gn = 0, gd = 1;
    int gauss = o->dp == SOL_DP_GAUSSIAN;
    if (gauss)
        sol_dp_gaussian_sigma2(o->eps_nano, o->delta, &gn, &gd, NULL);
    return json_pack(
        "{s:s,s:s,s:f,s:f,s:f,s:s,s:s,s:s,s:I,s:f,s:s}", "mechanism",
        gauss ? "discrete Gaussian" : "discrete Laplace", "sampling",
        "exact integer sampling (Canonne, Kamath & Steinke 2020)", "epsilon",
        (double)o->eps_nano / 1e9, "delta", gauss ? o->delta : 0.0, "sigma2",
        gauss ? (double)gn / (double)gd : 0.0, "neighbouring",
        "add or remove one record; each record counts in one inner cell", "post_processing",
        "negative noisy counts set to 0; margins are sums of the noisy inner cells; suppression "
        "applied to the noisy counts",
        "seed", j->seed ? "given (reproducible)" : "operating system", "ledger_release",
        (json_int_t)out->release_id, "budget_remaining_epsilon",
        (double)(b.eps_total_nano - b.eps_spent_nano) / 1e9, "dataset", out->dataset);
}

/* Where the categories came from, in words. */
static json_t *categories_json(const sol_tabulate_job *j, const sol_tab_opts *o)
{
    if (j->categories_rows == NULL || (j->col_field != NULL && j->categories_cols == NULL))
        return json_string("from the data: the release shows which categories occur");
    if (j->col_field != NULL)
        return json_sprintf("public lists %s (%zu rows) and %s (%zu columns), every listed "
                            "category released, absent ones as noised zeros",
                            j->categories_rows, o->n_row_categories, j->categories_cols,
                            o->n_col_categories);
    return json_sprintf("public list %s (%zu rows), every listed category released, absent ones "
                        "as noised zeros",
                        j->categories_rows, o->n_row_categories);
}

static sol_status card_build(sol_store *st, const sol_tabulate_job *j, const sol_tab_opts *o,
                             const sol_tabulate_output *out, tab_card *c)
{
    const sol_tab_stats *ts = &out->stats;
    json_t *dp = j->dp_epsilon ? dp_json(st, j, o, out) : json_null();
    json_t *cats = categories_json(j, o);
    if (json_is_object(dp))
        json_object_set(dp, "categories", cats);
    json_t *pj = json_pack(
        "{s:I,s:s,s:s,s:I,s:I,s:s,s:o}", "min_cell", (json_int_t)o->min_cell, "primary",
        "cells with 1..min_cell-1 contributors suppressed; zeros published", "secondary",
        "cheapest complementary cells until no suppressed cell is determined by the published "
        "cells and margins (no bridge in the graph of suppressed cells)",
        "primary_suppressed", (json_int_t)ts->primary, "secondary_suppressed",
        (json_int_t)ts->secondary, "flag", "suppressed", "differential_privacy", dp);
    if (pj)
        json_object_set(pj, "categories", cats);
    json_decref(cats);
    c->privacy = dump(pj);
    c->spec =
        dump(json_pack("{s:s,s:s,s:s?,s:s?,s:I,s:s?,s:s?}", "microdata",
                       j->microdata ? j->microdata : "PostgreSQL table (--microdata-sql)", "rows",
                       o->row_field, "cols", o->col_field, "weight", o->weight_field, "min_cell",
                       (json_int_t)o->min_cell, "dp_epsilon", j->dp_epsilon, "out", j->out_name));
    c->method = dump(json_pack("{s:s,s:s,s:s}", "name", N_("tabulation with disclosure control"),
                               "reference",
                               "Hundepool et al. (2012), Statistical Disclosure Control, Wiley, "
                               "ch. 5 (frequency tables); Canonne, Kamath & Steinke (2020)",
                               "input_sha256", ts->input_sha256));
    c->result = dump(json_pack("{s:I,s:I,s:I,s:I}", "records", (json_int_t)ts->records, "rows",
                               (json_int_t)ts->nrows, "cols", (json_int_t)ts->ncols, "cells",
                               (json_int_t)ts->cells));
    if (c->spec == NULL || c->privacy == NULL || c->method == NULL || c->result == NULL)
        return SOL_ENOMEM;
    return SOL_OK;
}

/* The minimum cell size: the job's, never below the dataset's (a floor), else the dataset's. */
static sol_status apply_min_cell(sol_store *st, const sol_tabulate_job *j, sol_tab_opts *o,
                                 const char *dataset, sol_error *err)
{
    uint64_t configured = 0;
    if (st != NULL) {
        sol_budget b;
        sol_status rc = sol_budget_get(st, dataset, &b, err);
        if (rc == SOL_OK)
            configured = b.min_cell;
        else if (rc != SOL_ENOTFOUND)
            return rc;
        sol_error_clear(err);
    }
    o->min_cell = j->min_cell  ? j->min_cell
                  : configured ? configured
                               : SOL_PRIVACY_DEFAULT_MIN_CELL;
    if (configured && o->min_cell < configured)
        return sol__err(err, SOL_EDENIED,
                        "dataset '%s' requires a minimum cell size of at least %llu (%llu "
                        "refused); see 'solidata budget show %s'",
                        dataset, (unsigned long long)configured, (unsigned long long)o->min_cell,
                        dataset);
    return SOL_OK;
}

sol_status sol_run_tabulate(sol_store *st, const sol_tabulate_job *j, sol_tabulate_output **out,
                            sol_error *err)
{
    sol_status rc = sol_run_tabulate_check(j, err);
    if (rc != SOL_OK)
        return rc;
    if (st == NULL && (j->dp_epsilon != NULL || j->record))
        return sol__err(err, SOL_EINVAL,
                        "a differentially private or recorded table needs a "
                        "store");
    sol_tab_opts o = {.row_field = j->row_field,
                      .col_field = j->col_field,
                      .weight_field = j->weight_field,
                      .delta = j->delta,
                      .seed = j->seed};
    if (j->dp_epsilon != NULL) {
        o.dp = j->mechanism;
        if ((rc = sol_dp_parse_epsilon(j->dp_epsilon, &o.eps_nano, err)) != SOL_OK)
            return rc;
    }
    char *rbuf = NULL, *cbuf = NULL;
    const char **rlist = NULL, **clist = NULL;
    sol_csv *in = NULL;
    tab_card card = {0};
    sol_tabulate_output *t = sol__calloc(1, sizeof *t);
    rc = SOL_ENOMEM;
    if (t == NULL ||
        (t->dataset = j->dataset ? sol__strdup(j->dataset) : default_dataset(j)) == NULL)
        goto fail;
    if ((j->categories_rows && (rc = read_categories(j->categories_rows, 0, &rbuf, &rlist,
                                                     &o.n_row_categories, err)) != SOL_OK) ||
        (j->categories_cols && (rc = read_categories(j->categories_cols, 1, &cbuf, &clist,
                                                     &o.n_col_categories, err)) != SOL_OK))
        goto fail;
    o.row_categories = rlist;
    o.col_categories = clist;
    if ((rc = apply_min_cell(st, j, &o, t->dataset, err)) != SOL_OK)
        goto fail;
    if (j->microdata_sql
            ? (rc = sol__microsql_tabulate(j->microdata_sql, &o, &t->table, err)) != SOL_OK
            : ((rc = sol_csv_open(j->microdata, NULL, &in, err)) != SOL_OK ||
               (rc = sol_tab_new(in, &o, &t->table, err)) != SOL_OK))
        goto fail;
    if (j->dp_epsilon != NULL &&
        (rc = sol_budget_spend(st, t->dataset, o.eps_nano, o.dp == SOL_DP_GAUSSIAN ? o.delta : 0,
                               o.min_cell, o.dp == SOL_DP_GAUSSIAN ? "gaussian" : "laplace",
                               j->microdata ? j->microdata : t->dataset, &t->release_id, err)) !=
            SOL_OK)
        goto fail;
    if ((rc = sol_tab_protect(t->table, err)) != SOL_OK ||
        (j->write && (rc = sol_tab_write_csv(t->table, j->write, j->write_ud, err)) != SOL_OK))
        goto fail;
    sol_tab_get_stats(t->table, &t->stats);
    t->min_cell = o.min_cell;
    if (j->dp_epsilon != NULL || j->record) {
        if ((rc = card_build(st, j, &o, t, &card)) != SOL_OK)
            goto fail;
        sol_run_card c = {.kind = "privacy.tabulate",
                          .spec_json = card.spec,
                          .method_json = card.method,
                          .choices_json = "{}",
                          .privacy_json = card.privacy,
                          .result_json = card.result};
        if ((rc = sol_run_record(st, &c, &t->run_id, err)) != SOL_OK ||
            (t->release_id &&
             (rc = sol_budget_link_run(st, t->release_id, t->run_id, err)) != SOL_OK))
            goto fail;
    }
    *out = t;
    t = NULL;
    rc = SOL_OK;
fail: /* and the cleanup after success */
    if (rc == SOL_ENOMEM && (err == NULL || err->code == SOL_OK))
        sol__err(err, SOL_ENOMEM, "out of memory");
    tab_card_clear(&card);
    sol_csv_close(in);
    sol__free_n(4, rbuf, rlist, cbuf, clist);
    sol_tabulate_output_free(t);
    return rc;
}

void sol_tabulate_output_free(sol_tabulate_output *o)
{
    if (o == NULL)
        return;
    sol_tab_free(o->table);
    sol__free(o->dataset);
    sol__free(o);
}

sol_status sol_run_budget_set(sol_store *st, const char *dataset, const char *epsilon, double delta,
                              uint64_t min_cell, sol_budget *out, sol_error *err)
{
    sol_status rc;
    if (epsilon == NULL) {
        if (min_cell == 0)
            return sol__err(err, SOL_EINVAL,
                            "a budget needs a total epsilon or a minimum cell "
                            "size");
        if ((rc = sol_disclosure_min_cell(st, dataset, min_cell, err)) != SOL_OK ||
            (rc = sol_disclosure_refresh(st, NULL, NULL, err)) != SOL_OK)
            return rc;
    } else {
        int64_t nano = 0;
        if ((rc = sol_dp_parse_epsilon(epsilon, &nano, err)) != SOL_OK ||
            (rc = sol_budget_set(st, dataset, nano, delta,
                                 min_cell ? min_cell : SOL_PRIVACY_DEFAULT_MIN_CELL, err)) !=
                SOL_OK)
            return rc;
    }
    sol_budget b;
    if ((rc = sol_budget_get(st, dataset, &b, err)) != SOL_OK)
        return rc;
    if (out != NULL)
        *out = b;
    return SOL_OK;
}
