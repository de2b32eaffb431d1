/* microsql.h - survey microdata held in a PostgreSQL table, estimated where it lives: the
 * poverty estimates pushed down as SQL aggregates (src/run/ only, never installed). */
#ifndef SOL_RUN_MICROSQL_H
#define SOL_RUN_MICROSQL_H

#include <solidata/privacy.h>
#include <solidata/run_poverty.h>
#include <solidata/status.h>

#include <stdint.h>

/* The direct poverty estimates of `j` (j->microdata_sql: a postgresql:// address whose query
 * names the table, ?table=schema.name) computed from aggregates only: the same numbers as
 * sol_poverty_estimate on the same rows (docs/microdata-sql.md says how). *names gets the domain
 * names the result borrows (n_names of them; free each and the array with sol__free), *bytes the
 * bytes the server sent back. Errors: SOL_EIO (the server cannot be reached, refused the
 * credentials, or failed a query), SOL_ENOTFOUND (the table or a mapped column is missing),
 * SOL_EINVAL (values the estimator refuses), SOL_ENOMEM. *out set only on success.
 * Federation (j->agencies, addresses with ?agency=SCHEMA): the same estimates from the
 * functions each agency set up (federate.c), merged; what the agencies withheld goes to *notes
 * (sol__run_note_add's list). */
sol_status sol__microsql_poverty(const sol_poverty_job *j, sol_poverty_result **out, char ***names,
                                 size_t *n_names, uint64_t *bytes, char ***notes, size_t *n_notes,
                                 sol_error *err);

/* The Alkire-Foster index of `spec` over j->microdata_sql, from aggregates by group, stratum and
 * PSU: the numbers of sol_mpi_estimate on the same rows, the groups sorted by name (*names holds
 * them, n_names; free each and the array with sol__free). Errors as sol__microsql_poverty.
 * Federation (j->agencies, ?agency=SCHEMA set up with the spec's columns as --indicator): the
 * same from each agency's mpi_cells(); *withheld gets n_names + 1 flags (the last the whole
 * population) of what a withheld cell touches (NaN in *out), NULL for a table; the agencies'
 * withholdings go to *notes. *out set only on success; free with sol_mpi_result_free. */
sol_status sol__microsql_mpi(const sol_mpi_job *j, const sol_mpi_spec *spec, sol_mpi_result **out,
                             char ***names, size_t *n_names, unsigned char **withheld,
                             char ***notes, size_t *n_notes, sol_error *err);

/* The cells of a table (counts, sums of the weight) of o's fields over the table of `url`
 * (?table=NAME), counted by the server, as a sol_tab to protect: the table of sol_tab_new on the
 * same rows. Errors as sol__microsql_poverty, SOL_ETYPE (a missing or negative weight), those of
 * sol_tab_new_cells. *out set only on success. */
sol_status sol__microsql_tabulate(const char *url, const sol_tab_opts *o, sol_tab **out,
                                  sol_error *err);

#endif
