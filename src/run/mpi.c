/* mpi.c - the Alkire-Foster multidimensional poverty index from survey microdata: the spec and
 * the columns read, the index and its SEs estimated, the result as JSON. */
#include <solidata/run_poverty.h>

#include <solidata/limits.h>

#include "core/core.h"
#include "run/microsql.h"
#include "run/run_int.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void sol_run_mpi_job_init(sol_mpi_job *j)
{
    memset(j, 0, sizeof *j);
    j->lonely = SOL_LONELY_ADJUST;
}

void sol_mpi_output_free(sol_mpi_output *o)
{
    if (o == NULL)
        return;
    sol__free(o->result_json);
    sol__run_notes_free(o->notes, o->n_notes);
    sol__free(o);
}

/* The spec file into *text (*len bytes), at most SOL_MAX_MPI_SPEC. */
static sol_status read_spec(const char *path, char **text, size_t *len, sol_error *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return sol__err_at(err, SOL_EIO, path, 0, 0, "cannot read the spec");
    sol_buf b;
    sol__buf_init(&b, SOL_MAX_MPI_SPEC);
    char chunk[4096];
    sol_status rc = SOL_OK;
    for (size_t k; rc == SOL_OK && (k = fread(chunk, 1, sizeof chunk, f)) > 0;)
        rc = sol__buf_add(&b, chunk, k);
    int bad = ferror(f);
    fclose(f);
    if (rc == SOL_OK && bad)
        rc = sol__err_at(err, SOL_EIO, path, 0, 0, "cannot read the spec");
    else if (rc == SOL_ELIMIT)
        rc = sol__err_at(err, rc, path, 0, 0, "a spec is at most %u bytes", SOL_MAX_MPI_SPEC);
    else if (rc != SOL_OK)
        rc = sol__err(err, rc, "out of memory");
    if (rc != SOL_OK) {
        sol__buf_free(&b);
        return rc;
    }
    *len = b.len;
    *text = b.data;
    return SOL_OK;
}

/* wh: NULL, or n_groups + 1 flags (the last the whole population) of what a federation's
 * agencies withheld, written "withheld": true. */
static char *result_json(const sol_mpi_spec *spec, const sol_mpi_result *r, const unsigned char *wh)
{
    json_t *root = json_pack(
        "{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "n", (json_int_t)r->n, "weighted_n",
        sol__run_num(r->weighted_n), "q", sol__run_num(r->q), "k", sol__run_num(spec->k), "H",
        sol__run_num(r->H), "A", sol__run_num(r->A), "M0", sol__run_num(r->M0), "H_se",
        sol__run_num(r->H_se), "A_se", sol__run_num(r->A_se), "M0_se", sol__run_num(r->M0_se));
    json_t *inds = json_array(), *groups = json_array();
    for (size_t j = 0; j < spec->n; j++)
        json_array_append_new(
            inds, json_pack("{s:s,s:s,s:o,s:o,s:o,s:o}", "column", spec->ind[j].column, "dimension",
                            spec->ind[j].dimension, "weight", sol__run_num(spec->ind[j].weight),
                            "uncensored_headcount", sol__run_num(r->ind[j].uncensored_headcount),
                            "censored_headcount", sol__run_num(r->ind[j].censored_headcount),
                            "contribution", sol__run_num(r->ind[j].contribution)));
    for (size_t g = 0; g < r->n_groups; g++) {
        const sol_mpi_group *gr = &r->groups[g];
        json_array_append_new(groups,
                              json_pack("{s:s,s:I,s:o,s:o,s:o,s:o}", "group", gr->group, "n",
                                        (json_int_t)gr->n, "H", sol__run_num(gr->H), "A",
                                        sol__run_num(gr->A), "M0", sol__run_num(gr->M0),
                                        "contribution", sol__run_num(gr->contribution)));
        if (wh && wh[g])
            json_object_set_new(json_array_get(groups, g), "withheld", json_true());
    }
    if (wh && wh[r->n_groups])
        json_object_set_new(root, "withheld", json_true());
    json_object_set_new(root, "indicators", inds);
    json_object_set_new(root, "groups", groups);
    char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(root);
    return s;
}

sol_status sol_run_mpi(sol_store *st, const sol_mpi_job *j, sol_mpi_output **out, sol_error *err)
{
    (void)st;
    if ((j->microdata == NULL) == (j->microdata_sql == NULL) || j->spec == NULL)
        return sol__err(err, SOL_EINVAL,
                        "--spec and one of --microdata or --microdata-sql are required");
    char *text = NULL;
    size_t len = 0;
    sol_status rc = read_spec(j->spec, &text, &len, err);
    if (rc != SOL_OK)
        return rc;
    sol_mpi_spec *spec = NULL;
    sol_microdata *md = NULL;
    sol_mpi_result *r = NULL;
    const char **gnames = NULL;
    const double **vals = NULL;
    sol_md_column *cols = NULL;
    sol_mpi_output *o = NULL;
    if ((rc = sol_mpi_spec_parse(text, len, j->spec, &spec, err)) != SOL_OK)
        goto done;
    if (j->microdata_sql) {
        char **names = NULL, **notes = NULL;
        size_t nn = 0, n_notes = 0;
        unsigned char *wh = NULL;
        if ((rc = sol__microsql_mpi(j, spec, &r, &names, &nn, &wh, &notes, &n_notes, err)) ==
                SOL_OK &&
            ((o = sol__calloc(1, sizeof *o)) == NULL ||
             (o->result_json = result_json(spec, r, wh)) == NULL))
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
        if (o) {
            o->notes = notes;
            o->n_notes = n_notes;
        } else {
            sol__run_notes_free(notes, n_notes);
        }
        for (size_t i = 0; i < nn; i++)
            sol__free(names[i]);
        sol__free(names);
        sol__free(wh);
        if (rc == SOL_OK) {
            *out = o;
            o = NULL;
        }
        goto done;
    }
    size_t nc = 0, ci_w = 0, ci_by = 0, ci_s = 0, ci_p = 0;
    if ((cols = sol__calloc(spec->n + 4, sizeof *cols)) == NULL ||
        (vals = sol__calloc(spec->n + 1, sizeof *vals)) == NULL)
        goto nomem;
    for (size_t k = 0; k < spec->n; k++)
        cols[nc++] = (sol_md_column){spec->ind[k].column, SOL_MD_NUMBER, 0, 0, 0, N_("indicator")};
    if (j->weight) {
        ci_w = nc;
        cols[nc++] = (sol_md_column){j->weight, SOL_MD_NUMBER, 0, 1, 0, N_("weight")};
    }
    if (j->by) {
        ci_by = nc;
        cols[nc++] = (sol_md_column){j->by, SOL_MD_CODE, 0, 0, 0, N_("group")};
    }
    if (j->strata) {
        ci_s = nc;
        cols[nc++] = (sol_md_column){j->strata, SOL_MD_CODE, 0, 0, 0, N_("stratum")};
    }
    if (j->psu) {
        ci_p = nc;
        cols[nc++] = (sol_md_column){j->psu, SOL_MD_CODE, 0, 0, 0, N_("PSU")};
    }
    if ((rc = sol_microdata_read(j->microdata, cols, nc, &md, err)) != SOL_OK)
        goto done;
    for (size_t k = 0; k < spec->n; k++)
        vals[k] = sol_microdata_numbers(md, k);
    size_t ng = j->by ? sol_microdata_nlevels(md, ci_by) : 0;
    if ((gnames = sol__calloc(ng + 1, sizeof *gnames)) == NULL)
        goto nomem;
    for (size_t g = 0; g < ng; g++)
        gnames[g] = sol_microdata_level(md, ci_by, g);
    sol_design d = {.n = sol_microdata_rows(md),
                    .weight = j->weight ? sol_microdata_numbers(md, ci_w) : NULL,
                    .strata = j->strata ? sol_microdata_codes(md, ci_s) : NULL,
                    .n_strata = j->strata ? sol_microdata_nlevels(md, ci_s) : 0,
                    .psu = j->psu ? sol_microdata_codes(md, ci_p) : NULL,
                    .n_psu = j->psu ? sol_microdata_nlevels(md, ci_p) : 0,
                    .lonely = j->lonely};
    if ((rc = sol_mpi_estimate(spec, vals, &d, j->by ? sol_microdata_codes(md, ci_by) : NULL, ng,
                               gnames, &r, err)) != SOL_OK)
        goto done;
    if ((o = sol__calloc(1, sizeof *o)) == NULL ||
        (o->result_json = result_json(spec, r, NULL)) == NULL)
        goto nomem;
    *out = o;
    o = NULL;
    goto done;
nomem:
    rc = sol__err(err, SOL_ENOMEM, "out of memory");
done:
    sol_mpi_output_free(o);
    sol__free_n(4, text, cols, vals, gnames);
    sol_mpi_result_free(r);
    sol_microdata_free(md);
    sol_mpi_spec_free(spec);
    return rc;
}
