/* cmd_poverty.c - `solidata poverty` (direct poverty and inequality estimates by domain from
 * survey microdata) and `solidata mpi` (Alkire-Foster multidimensional poverty): the option
 * tables fill the run layer's jobs, sol_run_poverty / sol_run_mpi run them, this file prints. */
#include "cli.h"
#include "opt.h"

#include <solidata/run_poverty.h>
#include <solidata/store.h>

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef struct pov_args {
    sol_poverty_job job;
    cli_list sql; /* --microdata-sql, once per agency */
    const char *columns, *out;
    int json, timing, equivalised;
} pov_args;

#define J(f) offsetof(pov_args, job.f)
#define A(f) offsetof(pov_args, f)
static const cli_choice LONELY[] = {
    {"adjust", SOL_LONELY_ADJUST}, {"remove", SOL_LONELY_REMOVE}, {"fail", SOL_LONELY_FAIL}, {0}};
static const cli_choice HH_INCOME[] = {
    {"given", SOL_HH_INCOME_GIVEN}, {"sum", SOL_HH_INCOME_SUM}, {0}};

/* The survey design, the same for poverty and mpi; OFF gives the offset of a job field. */
static const char LONELY_HELP[] =
    N_("a stratum with one PSU: centred at the grand mean (adjust), left "
       "out (remove), or an\nerror (fail)");
#define DESIGN_OPTS(OFF)                                                                           \
    {"strata", CLI_STR, OFF(strata), "S", N_("the column of the strata")},                         \
        {"psu", CLI_STR, OFF(psu), "P", N_("the column of the primary sampling units")},           \
    {                                                                                              \
        "lonely-psu", CLI_CHOICE, OFF(lonely), "M", LONELY_HELP, .choices = LONELY                 \
    }

static const cli_opt POVERTY_OPTS[] = {
    {"microdata", CLI_STR, J(microdata), "F.csv", N_("the survey microdata, one row per person")},
    {"microdata-sql", CLI_LIST, A(sql), "URL",
     N_("the microdata in a PostgreSQL table instead, estimated where it lives (only aggregates\n"
        "leave the database): postgresql://USER@HOST:PORT/DB?table=SCHEMA.NAME; or an agency's\n"
        "functions, ...?agency=SCHEMA (see 'microdata agency-sql'), the option once per agency:\n"
        "the estimates over all of them")},
    {"weight", CLI_STR, J(weight), "W", N_("the column of the design weights")},
    {"income", CLI_STR, J(income), "INC",
     N_("the column of the equivalised income, or components joined by '+' and '-'\n"
        "(py010n+py050n-py140n; an empty component cell counts as 0, and a note says so)")},
    {"equivalised", CLI_FLAG, A(equivalised), NULL, N_("INC is already equivalised (the default)")},
    {"hh-size", CLI_STR, J(hh_size), "S",
     N_("INC is household income, divided by the modified OECD scale 1 + 0.5 (S - 1 - C) + 0.3 C")},
    {"children", CLI_STR, J(children), "C", N_("with --hh-size: the members under 14"),
     .def = N_("none")},
    {"household-id", CLI_STR, J(household_id), "H",
     N_("one row per person: the household of each (with --age, or the key of --households)")},
    {"age", CLI_STR, J(age), "A",
     N_("the members' ages give the scale 1 + 0.5 (A14 - 1) + 0.3 C (R laeken eqSS); every person\n"
        "gets the household's equivalised income; --hh-size is then checked against the members")},
    {"hh-income", CLI_CHOICE, J(hh_income), "given|sum",
     N_("with --age: INC given on every member row (must agree), or the members' INC summed"),
     .choices = HH_INCOME, .def = "given"},
    {"households", CLI_STR, J(households), "H.csv",
     N_("household-level columns (income, size, area, strata, PSU: EU-SILC's H and D files),\n"
        "joined by --household-id; a column is read from the person file when it has it")},
    {"households-id", CLI_STR, J(households_id), "H2",
     N_("the household id's column in --households"), .def = "--household-id"},
    {"hh-components", CLI_STR, J(hh_components), "A+B-C",
     N_("the household's own income components (hy040n+...-hy145n), added once to the members'\n"
        "summed incomes (needs --household-id and --age; R laeken's eqInc)")},
    {"columns", CLI_STR, A(columns), "MAP.json",
     N_("the column roles as a JSON object ({\"weight\": \"rb050\", \"income\": \"eqIncome\"}): "
        "keys\n"
        "microdata, weight, income, by, strata, psu, hh_size, children, household_id, age,\n"
        "households, households_id, hh_components; a flag given too wins")},
    {"by", CLI_STR, J(by), "FIELD[,GROUP]",
     N_("domains (area codes); with GROUP also each group level within every area and over all\n"
        "areas, in a last column 'group'")},
    {"line-share", CLI_DOUBLE, J(opts.line_share), "X",
     N_("the line as a share of the weighted median of the whole population"), .min = 0, .max = 1,
     .flags = CLI_OPEN_MIN},
    {"line", CLI_DOUBLE, J(opts.line), "VALUE", N_("a fixed poverty line in income units instead"),
     .min = 0, .max = INFINITY, .flags = CLI_OPEN_MIN, .expect = N_("a number > 0")},
    {"line-by-domain", CLI_FLAG, J(opts.line_by_domain), NULL, N_("the line of each domain")},
    DESIGN_OPTS(J),
    {"cv-caution", CLI_DOUBLE, J(opts.cv_caution), "CV", N_("flag 'caution' above this CV"),
     .min = 0, .max = INFINITY, .flags = CLI_OPEN_MIN, .expect = N_("a number > 0")},
    {"cv-unreliable", CLI_DOUBLE, J(opts.cv_unreliable), "CV",
     N_("flag 'unreliable' above this CV"), .min = 0, .max = INFINITY, .flags = CLI_OPEN_MIN,
     .expect = N_("a number > 0")},
    {"min-n", CLI_SIZE, J(opts.min_n), "N", N_("flag 'unreliable' under N sample persons"),
     .min = 1, .max = 1e15, .expect = N_("a whole number >= 1")},
    {"bootstrap", CLI_SIZE, J(bootstrap), "R",
     N_("the SEs from R replicates of the Rao-Wu rescaling bootstrap (R survey's subbootstrap),\n"
        "the line re-estimated in each; --json adds every estimate's bootstrap SE")},
    {"seed", CLI_U64, J(seed), "S",
     N_("seed of the bootstrap (the same result on any thread count)"),
     .expect = N_("a seed: --seed needs a whole number >= 0")},
    {"replicate-weights", CLI_STR, J(replicate_weights), "PREFIX",
     N_("the SEs from the file's own replicate weights PREFIX1..PREFIXR instead")},
    {"replicate-scale", CLI_DOUBLE, J(replicate_scale), "X",
     N_("variance = X sum_r (theta_r - mean)^2"), .min = 0, .max = INFINITY, .flags = CLI_OPEN_MIN,
     .def = "1/(R - 1)", .expect = N_("a number > 0")},
    {"out", CLI_STR, A(out), "F.csv", N_("write here instead of stdout")},
    {"json", CLI_FLAG, A(json), NULL, N_("one JSON object with every detail instead of CSV")},
    {"store-as", CLI_STR, J(store_as), "CODE",
     N_("store the area estimates (domains are area codes) with SE and the 'estimated' flag as\n"
        "indicator CODE, and record the run")},
    {"period", CLI_STR, J(period), "P", N_("with --store-as: the period of the estimates")},
    {"timing", CLI_FLAG, A(timing), NULL,
     N_("print the reading and estimation wall times on stderr")},
    {0}};

static const cli_spec POVERTY_SPEC = {
    "poverty",
    "--microdata F.csv --weight W --income INC [--by FIELD[,GROUP]] [options]\n"
    "--columns MAP.json [options]\n"
    "--microdata-sql URL --weight W --income INC [--by FIELD] [options]\n"
    "--microdata-sql URL1?agency=S --microdata-sql URL2?agency=S ... --weight W --income INC\n"
    " [--by FIELD] [options]",
    N_("Direct estimates by domain and for the whole sample (EU-SILC conventions as R laeken):\n"
       "median equivalised income, the poverty line (a share of the weighted median of the whole\n"
       "population unless --line-by-domain), at-risk-of-poverty rate with its linearised SE (the\n"
       "estimated line's own variance included, as R convey's svyarpr; strata and PSUs), FGT(1),\n"
       "FGT(2), RMPG, Gini, S80/S20, CV and flag."),
    POVERTY_OPTS,
    N_("Output columns: domain,n,weighted_n,median_income,poverty_line,arop,arop_se,fgt1,fgt2,\n"
       "rmpg,gini,qsr,cv_arop,flag (proportions 0-1), and 'group' with --by FIELD,GROUP (empty on\n"
       "the area rows and the total; domain 'total' on the groups over all areas)."),
    0,
    0};

static void write_csv(FILE *f, const sol_poverty_output *o)
{
    fputs("domain,n,weighted_n,median_income,poverty_line,arop,arop_se,fgt1,fgt2,rmpg,gini,qsr,"
          "cv_arop,flag",
          f);
    fputs(o->with_group ? ",group\n" : "\n", f);
    for (size_t i = 0; i < o->n_rows; i++) {
        const sol_poverty_row *w = o->rows[i].r;
        cli_csv_field(f, o->rows[i].domain, 0);
        fprintf(f, "%zu,", w->n);
        double v[] = {w->weighted_n, w->median_income, w->poverty_line, w->arop,
                      w->arop_se,    w->fgt1,          w->fgt2,         w->rmpg,
                      w->gini,       w->qsr,           w->cv_arop};
        for (size_t k = 0; k < sizeof v / sizeof *v; k++)
            cli_csv_number(f, v[k], 0);
        cli_csv_field(f, w->flag, !o->with_group);
        if (o->with_group)
            cli_csv_field(f, o->rows[i].group ? o->rows[i].group : "", 1);
    }
}

static int print_poverty(const pov_args *a, const sol_poverty_output *o)
{
    FILE *f = cli_out_open(a->out);
    if (f == NULL)
        return CLI_FAIL;
    if (a->json)
        fprintf(f, "%s\n", o->result_json);
    else
        write_csv(f, o);
    if (f != stdout && fclose(f) != 0)
        return cli_failf("cannot write %s", a->out);
    return CLI_OK;
}

int cmd_poverty(const cli_ctx *ctx, int argc, char **argv)
{
    pov_args a = {0};
    sol_run_poverty_job_init(&a.job);
    cli_args args;
    int rc = cli_parse(&POVERTY_SPEC, argc, argv, &a, &args);
    if (rc != CLI_OK)
        return rc;
    if (a.sql.n > 0) {
        a.job.microdata_sql = a.sql.v[0];
        a.job.agencies = a.sql.v;
        a.job.n_agencies = a.sql.n;
    }
    sol_error err;
    sol_error_clear(&err);
    sol_poverty_map *map = NULL;
    if (a.columns && sol_poverty_map_apply(&a.job, a.columns, &map, &err) != SOL_OK)
        return cli_fail(&err);
    sol_store *st = NULL;
    sol_poverty_output *o = NULL;
    sol_status s = sol_run_poverty_check(&a.job, &err);
    if (s != SOL_OK) {
        rc = s == SOL_EINVAL ? cli_usage_error("poverty", "%s", err.msg) : cli_fail(&err);
        goto done;
    }
    if ((rc = cli_open_store(ctx, a.job.store_as != NULL, &st, &err)) != CLI_OK)
        goto done;
    if (a.job.bootstrap && !cli_given(&POVERTY_SPEC, &args, "seed") && !ctx->quiet)
        fputs(_("solidata: note: --bootstrap without --seed uses seed 1\n"), stderr);
    if (a.job.microdata_sql) /* never the address: it may hold the password */
        cli_progress(ctx, "aggregating the microdata in their PostgreSQL database");
    else
        cli_progress(ctx, "reading %s", a.job.microdata);
    if (sol_run_poverty(st, &a.job, &o, &err) != SOL_OK) {
        rc = cli_fail(&err);
        goto done;
    }
    cli_notes(ctx, N_("note"), o->notes, o->n_notes);
    if (o->replicates)
        cli_progress(ctx,
                     a.job.replicate_weights ? N_("replicate weights: %zu replicates")
                                             : N_("bootstrap: %zu replicates"),
                     o->replicates);
    if (a.timing && a.job.microdata_sql)
        fprintf(stderr, _("timing: aggregated in the database %.3f s, %llu bytes received\n"),
                o->read_s, (unsigned long long)o->bytes);
    else if (a.timing)
        fprintf(stderr, _("timing: read %.3f s (%.0f MB/s), estimate %.3f s\n"), o->read_s,
                (double)o->bytes / 1e6 / o->read_s, o->estimate_s);
    if ((rc = print_poverty(&a, o)) == CLI_OK && o->run_id > 0)
        cli_progress(ctx, "stored %zu estimates of %s at %s (run %lld)", o->n_stored,
                     a.job.store_as, a.job.period, (long long)o->run_id);
done:
    sol_poverty_output_free(o);
    sol_store_close(st);
    sol_poverty_map_free(map);
    return rc;
}

/* ---- mpi --------------------------------------------------------------------------------- */

typedef struct mpi_args {
    sol_mpi_job job;
    cli_list sql; /* --microdata-sql, once per agency */
    int json;
} mpi_args;

#define M(f) offsetof(mpi_args, job.f)
static const cli_opt MPI_OPTS[] = {
    {"microdata", CLI_STR, M(microdata), "F.csv", N_("the microdata, one row per person")},
    {"microdata-sql", CLI_LIST, offsetof(mpi_args, sql), "URL",
     N_("the microdata in a PostgreSQL table instead (only aggregates leave the database; the\n"
        "groups then come sorted by name): postgresql://USER@HOST:PORT/DB?table=SCHEMA.NAME; or\n"
        "an agency's functions, ...?agency=SCHEMA, the option once per agency (its setup names\n"
        "the spec's columns: 'microdata agency-sql --indicator COL ...')")},
    {"spec", CLI_STR, M(spec), "S.json", N_("the indicators, their cut-offs and weights, and k"),
     .flags = CLI_REQUIRED},
    {"by", CLI_STR, M(by), "FIELD", N_("groups, each with its contribution to M0")},
    {"weight", CLI_STR, M(weight), "W", N_("the column of the design weights"), .def = N_("all 1")},
    DESIGN_OPTS(M),
    {"json", CLI_FLAG, offsetof(mpi_args, json), NULL, N_("JSON output (the only one)")},
    {0}};

static const cli_spec MPI_SPEC = {
    "mpi",
    "--microdata F.csv --spec S.json [--by FIELD] [--weight W] [options] [--json]\n"
    "--microdata-sql URL --spec S.json [--by FIELD] [--weight W] [options] [--json]\n"
    "--microdata-sql URL1?agency=S --microdata-sql URL2?agency=S ... --spec S.json --weight W\n"
    "    [--by FIELD] [options] [--json]",
    N_("Alkire-Foster multidimensional poverty: a person is poor when the weighted share of\n"
       "deprivations is at least k (a score equal to k counts, within 1e-9). Output (JSON):\n"
       "n, q, H, A, M0 (with linearised SEs), indicators (uncensored and censored headcount\n"
       "ratios, contribution) and groups (--by) with their contribution to M0."),
    MPI_OPTS,
    N_("Spec: {\"k\": 0.333, \"indicators\": [{\"column\": \"school_attendance\",\n"
       "       \"dimension\": \"education\", \"weight\": 0.1667, \"deprived_if\": \"== 1\"}, "
       "...]}\n"
       "optionally nested: \"dimensions\": [{\"name\": \"education\", \"weight\": 0.333}, ...] "
       "with\n"
       "indicator weights relative within their dimension (equal when absent)."),
    0,
    0};

int cmd_mpi(const cli_ctx *ctx, int argc, char **argv)
{
    mpi_args a = {0};
    sol_run_mpi_job_init(&a.job);
    cli_args args;
    int rc = cli_parse(&MPI_SPEC, argc, argv, &a, &args);
    if (rc != CLI_OK)
        return rc;
    if (a.sql.n > 0) {
        a.job.microdata_sql = a.sql.v[0];
        a.job.agencies = a.sql.v;
        a.job.n_agencies = a.sql.n;
    }
    sol_mpi_output *o = NULL;
    sol_error err;
    sol_error_clear(&err);
    if (sol_run_mpi(NULL, &a.job, &o, &err) != SOL_OK)
        return cli_fail(&err);
    cli_notes(ctx, N_("note"), o->notes, o->n_notes);
    printf("%s\n", o->result_json);
    sol_mpi_output_free(o);
    return CLI_OK;
}

/* ---- microdata agency-sql ------------------------------------------------------------------ */

typedef struct agency_args {
    sol_agency_sql_opts o;
    cli_list ind; /* --indicator, repeated */
} agency_args;

#define G(f) offsetof(agency_args, o.f)
static const cli_opt AGENCY_OPTS[] = {
    {"table", CLI_STR, G(table), "NAME", N_("the agency's table or view (NAME or SCHEMA.NAME)"),
     .flags = CLI_REQUIRED},
    {"role", CLI_STR, G(role), "ROLE", N_("the observatory's role (made when missing, LOGIN)"),
     .flags = CLI_REQUIRED},
    {"schema", CLI_STR, G(schema), "S", N_("the schema of the functions (dropped and made again)"),
     .def = "solidata_fed"},
    {"weight", CLI_STR, G(weight), "W", N_("the column of the design weights"),
     .flags = CLI_REQUIRED},
    {"income", CLI_STR, G(income), "INC",
     N_("the column of the equivalised income (poverty; may be left out with --indicator)")},
    {"indicator", CLI_LIST, offsetof(agency_args, ind), "COL",
     N_("a deprivation indicator mpi may use (repeat the option for each; at most 64)")},
    {"by", CLI_STR, G(by), "FIELD", N_("the column of the domains (area codes)"),
     .flags = CLI_REQUIRED},
    {"strata", CLI_STR, G(strata), "S", N_("the column of the strata")},
    {"psu", CLI_STR, G(psu), "P", N_("the column of the primary sampling units")},
    {"k", CLI_INT, G(k), "K",
     N_("the fewest rows any answer may cover: smaller domains, cells and tails are withheld"),
     .min = 2, .max = 1000000, .def = "10"},
    {0}};
static const cli_sub MICRODATA_SUBS[] = {
    {"agency-sql", N_("the SQL an agency runs so that the observatory reads aggregates only")},
    {0}};
static const cli_spec AGENCY_SPEC = {
    "microdata agency-sql",
    "--table T --role R --weight W --by FIELD [--income INC] [--indicator COL ...] [--strata S]\n"
    "    [--psu P] [--k K]",
    N_("Print the SQL script an agency runs once in its own PostgreSQL database, as the owner of\n"
       "its table (psql -v ON_ERROR_STOP=1 -f agency.sql): views and SECURITY DEFINER functions\n"
       "that return only the aggregates that 'poverty --microdata-sql URL?agency=SCHEMA' and\n"
       "'mpi' (over the --indicator columns) need, each over at least K rows, and EXECUTE on\n"
       "those alone for ROLE (no SELECT on the table). The agency then gives ROLE a password\n"
       "(ALTER ROLE R PASSWORD ...). What leaves the agency and what is protected:\n"
       "docs/microdata-sql.md, Federation."),
    AGENCY_OPTS,
    NULL,
    0,
    0};

int cmd_microdata(const cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    int sub = cli_sub_find("microdata", MICRODATA_SUBS, argc, argv);
    if (sub < 0)
        return -sub;
    agency_args a = {0};
    cli_args args;
    int rc = cli_parse(&AGENCY_SPEC, argc - 1, argv + 1, &a, &args);
    if (rc != CLI_OK)
        return rc;
    a.o.indicators = a.ind.v;
    a.o.n_indicators = a.ind.n;
    sol_error err;
    sol_error_clear(&err);
    char *sql = NULL;
    if (sol_run_agency_sql(&a.o, &sql, &err) != SOL_OK)
        return cli_fail(&err);
    fputs(sql, stdout);
    sol_free(sql);
    return CLI_OK;
}
