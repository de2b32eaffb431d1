/* solidata/run_poverty.h - direct poverty and inequality estimates by domain from survey
 * microdata, and the Alkire-Foster multidimensional poverty index: read the files, build the
 * incomes, estimate, build the result JSON and, from the store, write the estimates and record
 * the run with its method card. The CLI and the server both call this.
 * Thread safety: reentrant; one store handle per thread; OpenMP loops inside give the same results
 * on any thread count. */
#ifndef SOL_RUN_POVERTY_H
#define SOL_RUN_POVERTY_H

#include <solidata/stats.h>
#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- direct estimates ------------------------------------------------------------------------ */

/** How a household's income is made from its members' rows (with `household_id` and `age`). */
typedef enum sol_hh_income {
    SOL_HH_INCOME_DEFAULT = 0, /* GIVEN, or SUM with `hh_components` */
    SOL_HH_INCOME_GIVEN,       /* on every member row, the same */
    SOL_HH_INCOME_SUM          /* the members' incomes summed */
} sol_hh_income;

/** What to estimate and from what. Strings are borrowed for the duration of the call.
 *  The column roles (`weight` ... `hh_components`) name columns of `microdata` (or of
 *  `households`, joined to the persons by `household_id`, named `households_id` there).
 *  `income` and `hh_components` may be components joined by '+' and '-' ("py010n+py050n-py140n",
 *  unless the file has a column of that very name). `by` is FIELD or FIELD,GROUP. */
typedef struct sol_poverty_job {
    const char *microdata, *weight, *income, *by, *strata, *psu;
    const char *hh_size, *children; /* household income, OECD scale from size and children */
    const char *household_id, *age; /* one row per person: the scale from the members' ages */
    const char *households, *households_id, *hh_components;
    sol_hh_income hh_income;
    sol_poverty_opts opts; /* the line and the reliability flags */
    sol_lonely_psu lonely;
    size_t bootstrap;              /* Rao-Wu replicates for the SEs; 0: linearised SEs */
    uint64_t seed;                 /* of the bootstrap */
    const char *replicate_weights; /* PREFIX: the file's replicate weights PREFIX1..PREFIXR */
    double replicate_scale;        /* variance scale of those; 0: 1/(R - 1) */
    const char *store_as, *period; /* store the area estimates as this indicator, this period */
    /* The microdata in a PostgreSQL table instead of `microdata`: postgresql://...?table=NAME.
     * Only aggregates are read (docs/microdata-sql.md); roles weight, income (one column), by
     * (FIELD), strata, psu, the line and the flags; no household options, no replicates. */
    const char *microdata_sql;
    /* Federation: n_agencies addresses (postgresql://...?agency=SCHEMA), each an agency's
     * database set up by sol_run_agency_sql; the estimates are made from the aggregates of all of
     * them (docs/microdata-sql.md, "Federation"). When n_agencies > 0, microdata_sql is
     * agencies[0]. Borrowed. */
    const char *const *agencies;
    size_t n_agencies;
} sol_poverty_job;

/** Defaults for `j`: every role NULL, line at 0.6 of the median of the whole population,
 *  flags "caution" above a CV of 0.166 and "unreliable" above 0.333 or under 20 persons, lonely
 *  PSUs adjusted, linearised SEs, seed 1. Thread-safe. */
SOL_API void sol_run_poverty_job_init(sol_poverty_job *j);

/** A column map: role names to columns, read from a JSON object such as {"weight": "rb050",
 *  "income": "eqIncome", "by": "db040"}; keys microdata, weight, income, by, strata, psu,
 *  hh_size, children, household_id, age, households, households_id, hh_components. */
typedef struct sol_poverty_map sol_poverty_map;

/** Read the column map at `path` and fill the roles of `j` that are still NULL from it (roles
 *  already set win). The strings put into `j` point into *map: free it with
 *  sol_poverty_map_free after the last use of `j`. Errors: SOL_EPARSE (not JSON: err says
 *  file:line:column), SOL_EINVAL (not an object, an unknown key, a value that is not a column
 *  name). *map set only on success. Thread-safe. */
SOL_API sol_status sol_poverty_map_apply(sol_poverty_job *j, const char *path,
                                         sol_poverty_map **map, sol_error *err);
/** Free a column map. NULL is a no-op. Thread-safe for distinct maps. */
SOL_API void sol_poverty_map_free(sol_poverty_map *map);

/** Check the job's roles and choices go together (what sol_run_poverty checks first): the
 *  required roles, the household options, the components, `by`, bootstrap or replicate weights,
 *  store_as with period and by. May read the header of `microdata` (is `income` one column?).
 *  Returns SOL_OK or SOL_EINVAL with err naming the options. Thread-safe. */
SOL_API sol_status sol_run_poverty_check(const sol_poverty_job *j, sol_error *err);

/** One row of the output: a result row under its domain (an area, or "total") and, with --by
 *  FIELD,GROUP, its group (NULL: every group); `boot` the replicate SEs of the row or NULL. */
typedef struct sol_poverty_output_row {
    const sol_poverty_row *r;
    const char *domain, *group;
    const sol_poverty_se *boot;
} sol_poverty_output_row;

typedef struct sol_poverty_keep sol_poverty_keep; /* what the rows borrow from (internal) */

/** The outcome. Everything is owned by the struct; free with sol_poverty_output_free. */
typedef struct sol_poverty_output {
    size_t n_rows; /* each area and then its groups, the groups, the total */
    sol_poverty_output_row *rows;
    int with_group;    /* `by` had a GROUP */
    char *result_json; /* every row with every detail, indented (2 spaces) */
    char **notes;      /* n_notes remarks for the user (empty components, lonely
                          PSUs) */
    size_t n_notes;
    size_t replicates;         /* replicates used for the SEs (0: linearised) */
    double read_s, estimate_s; /* wall times of reading and estimating */
    uint64_t bytes;            /* read from the microdata */
    size_t n_stored;           /* estimates written to the store */
    int64_t run_id;            /* > 0 when stored and recorded */
    sol_poverty_keep *keep;
} sol_poverty_output;

/** Run `job`: read the microdata (and households), build the equivalised incomes, estimate by
 *  domain (and group) with linearised, bootstrap or replicate-weight SEs. With job->store_as,
 *  `st` is required: the area estimates are stored with their SEs and flags as an indicator of
 *  the store and the run recorded (kind "poverty.direct"). Errors: SOL_EINVAL (the job, as
 *  sol_run_poverty_check; a household that disagrees with itself), those of sol_microdata_read
 *  (file:line:column), of the estimators, and of sol_run_store_estimates. *out set only on
 *  success. Thread-safe for distinct stores. */
SOL_API sol_status sol_run_poverty(sol_store *st, const sol_poverty_job *job,
                                   sol_poverty_output **out, sol_error *err);

/** Free an output. NULL is a no-op. Thread-safe for distinct outputs. */
SOL_API void sol_poverty_output_free(sol_poverty_output *o);

/* ---- multidimensional poverty (Alkire-Foster) -------------------------------------------- */

/** What to compute. Strings are borrowed for the duration of the call. `spec` is the path of a
 *  JSON spec (see sol_mpi_spec_parse); `weight`, `by`, `strata`, `psu` columns may be NULL. */
typedef struct sol_mpi_job {
    const char *microdata, *spec, *by, *weight, *strata, *psu;
    sol_lonely_psu lonely;
    const char *microdata_sql; /* a PostgreSQL table instead of `microdata` (as for poverty);
                                  the groups then come sorted by name */
    /* Federation, as for poverty: n_agencies addresses postgresql://...?agency=SCHEMA, each set
     * up with the spec's columns as its --indicator columns; microdata_sql is agencies[0].
     * Borrowed. */
    const char *const *agencies;
    size_t n_agencies;
} sol_mpi_job;

/** Defaults for `j`: every column NULL, lonely PSUs adjusted. Thread-safe. */
SOL_API void sol_run_mpi_job_init(sol_mpi_job *j);

/** The outcome. Owned by the struct; free with sol_mpi_output_free. */
typedef struct sol_mpi_output {
    char *result_json; /* n, q, k, H, A, M0 with SEs, indicators, groups: indented (2 spaces) */
    char **notes;      /* n_notes remarks for the user (what a federation's agencies withheld) */
    size_t n_notes;
} sol_mpi_output;

/** Run `job` (files only: `st` is unused and may be NULL). Errors: SOL_EIO (the spec cannot be
 *  read), SOL_ELIMIT (larger than SOL_MAX_MPI_SPEC), those of sol_mpi_spec_parse,
 *  sol_microdata_read and sol_mpi_estimate. *out set only on success. Thread-safe. */
SOL_API sol_status sol_run_mpi(sol_store *st, const sol_mpi_job *job, sol_mpi_output **out,
                               sol_error *err);

/** Free an output. NULL is a no-op. Thread-safe for distinct outputs. */
SOL_API void sol_mpi_output_free(sol_mpi_output *o);

/** What an agency's setup script needs: its table (NAME or SCHEMA.NAME), the observatory's role,
 *  the schema of the functions (NULL: solidata_fed), the columns of each role (strata and psu may
 *  be NULL; income may be NULL when indicators are given), the n_indicators deprivation columns
 *  `mpi` may use (at most 64; borrowed) and k, the fewest rows any returned aggregate may cover
 *  (0: 10). */
typedef struct sol_agency_sql_opts {
    const char *table, *role, *schema;
    const char *weight, *income, *by, *strata, *psu;
    int k;
    const char *const *indicators;
    size_t n_indicators;
} sol_agency_sql_opts;

/** The SQL an agency runs in its own database (as the table's owner) so that `role` may compute
 *  the aggregates the poverty estimates need and read no row: views it may not read, SECURITY
 *  DEFINER functions that answer only over at least k rows, EXECUTE on those alone. *out gets
 *  the script (free with sol_free). Errors: SOL_EINVAL (a missing role, a role or schema name
 *  that is not a plain word), SOL_ENOMEM. Thread-safe. */
SOL_API sol_status sol_run_agency_sql(const sol_agency_sql_opts *o, char **out, sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
