/* cli.h - what every command file of the `solidata` tool shares: the global options and the
 * contract of a command group. main.c parses the global options and dispatches on the first word;
 * each cmd_<group>.c declares its flags in option tables (opt.h), parses them into the run
 * layer's job struct, calls one run-layer function and prints.
 * Output: data on stdout (CSV with a header row, %.17g, or JSON with --json), never mixed;
 * progress and diagnostics on stderr. Exit codes: 0 ok, 1 failure (bad input, store error),
 * 2 usage error (unknown flag, missing argument). */
#ifndef SOL_CLI_H
#define SOL_CLI_H

#include <solidata/i18n.h>
#include <solidata/status.h>

#include <stdio.h>

/* Messages a person reads: _("...") translated now, N_("...") in a table, translated where it is
 * printed (i18n.h; tools/i18n-extract.sh extracts both, and cli_failf/cli_usage_error/cli_progress
 * formats). */
#define _(s)  sol_gettext(s)
#define N_(s) s

typedef struct cli_ctx {
    const char *db_path; /* --db FILE, else $SOLIDATA_DB, else ./solidata.db */
    int quiet;           /* --quiet: no progress on stderr */
    int wait;            /* --wait SECONDS: for another writer of the store (default 600) */
} cli_ctx;

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* A command group: argv[0] is the group's own word ("import", "spatial", ...). It returns the
 * exit code, or CLI_HELP (opt.h) after printing its help, which main() makes exit 0. */
typedef int (*cli_cmd_fn)(const cli_ctx *ctx, int argc, char **argv);

/* Print "solidata: <err formatted>" on stderr and return CLI_FAIL. */
int cli_fail(const sol_error *err);
/* Print "solidata: <message>" (printf-style) on stderr and return CLI_FAIL. */
int cli_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "solidata <cmd>: <message>; see 'solidata <cmd> --help'" and return CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Progress on stderr unless ctx->quiet; one line, rewritten in place when stderr is a TTY. */
void cli_progress(const cli_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Command groups (one file each). */
int cmd_init(const cli_ctx *ctx, int argc, char **argv);
int cmd_import(const cli_ctx *ctx, int argc, char **argv);
int cmd_list(const cli_ctx *ctx, int argc, char **argv); /* catalog, areas, indicators */
int cmd_export(const cli_ctx *ctx, int argc, char **argv);
int cmd_source(const cli_ctx *ctx, int argc, char **argv);    /* list, show, remove, restore... */
int cmd_indicator(const cli_ctx *ctx, int argc, char **argv); /* edit, show */
/* cmd_import.c: the options of `import data`, shared by `source replace` */
struct cli_opt;
extern const struct cli_opt *const cli_import_data_opts;
int cmd_runs(const cli_ctx *ctx, int argc, char **argv);
int cmd_serve(const cli_ctx *ctx, int argc, char **argv);
int cmd_report(const cli_ctx *ctx, int argc, char **argv);
int cmd_user(const cli_ctx *ctx, int argc, char **argv);       /* add, list */
int cmd_spatial(const cli_ctx *ctx, int argc, char **argv);    /* weights, moran, lisa, gistar */
int cmd_index(const cli_ctx *ctx, int argc, char **argv);      /* composite indices */
int cmd_map(const cli_ctx *ctx, int argc, char **argv);        /* choropleth SVG/PNG/PDF */
int cmd_poverty(const cli_ctx *ctx, int argc, char **argv);    /* direct survey estimates */
int cmd_mpi(const cli_ctx *ctx, int argc, char **argv);        /* Alkire-Foster MPI */
int cmd_microdata(const cli_ctx *ctx, int argc, char **argv);  /* agency-sql (federation) */
int cmd_sae(const cli_ctx *ctx, int argc, char **argv);        /* small area estimation */
int cmd_evaluate(const cli_ctx *ctx, int argc, char **argv);   /* did, synth */
int cmd_prioritise(const cli_ctx *ctx, int argc, char **argv); /* MCDA ranking, budget MIP */
int cmd_locate(const cli_ctx *ctx, int argc, char **argv);     /* where to place a service */
int cmd_time(const cli_ctx *ctx, int argc, char **argv);    /* trend, changepoints, forecast, ... */
int cmd_alerts(const cli_ctx *ctx, int argc, char **argv);  /* alerts, anomalies */
int cmd_project(const cli_ctx *ctx, int argc, char **argv); /* project-population */
int cmd_keygen(const cli_ctx *ctx, int argc, char **argv);  /* cmd_privacy.c */
int cmd_pseudonymise(const cli_ctx *ctx, int argc, char **argv); /* cmd_privacy.c */
int cmd_link(const cli_ctx *ctx, int argc, char **argv);         /* cmd_privacy.c */
int cmd_tabulate(const cli_ctx *ctx, int argc, char **argv);     /* cmd_privacy.c */
int cmd_budget(const cli_ctx *ctx, int argc, char **argv);       /* cmd_privacy.c */
int cmd_audit(const cli_ctx *ctx, int argc, char **argv);        /* cmd_audit.c */
int cmd_card(const cli_ctx *ctx, int argc, char **argv);         /* cmd_audit.c */
int cmd_derive(const cli_ctx *ctx, int argc, char **argv);       /* rate, coverage */
int cmd_publish(const cli_ctx *ctx, int argc, char **argv);      /* publish, unpublish */
int cmd_sdmx(const cli_ctx *ctx, int argc, char **argv);         /* read, structure */
int cmd_connect(const cli_ctx *ctx, int argc, char **argv);      /* connectors to data portals */
int cmd_refresh(const cli_ctx *ctx, int argc, char **argv);      /* cmd_connect.c */
/* cmd_connect.c: refresh the due connectors every `every_s` seconds in a thread of its own, with
 * a store handle of its own (serve --refresh) */
int cli_connect_background(const cli_ctx *ctx, unsigned every_s);
int cmd_audience(const cli_ctx *ctx, int argc, char **argv); /* audiences by variables */
int cmd_store(const cli_ctx *ctx, int argc, char **argv);    /* store copy */
int cmd_takeup(const cli_ctx *ctx, int argc, char **argv);   /* non-take-up per area */
int cmd_campaign(const cli_ctx *ctx, int argc, char **argv); /* campaign, ledger */

/* out.c: write one CSV field (quoted when it holds a delimiter, quote or newline); NULL is "". */
void cli_csv_field(FILE *out, const char *s, int last);
/* Write n CSV fields, the last ending the row. */
void cli_csv_fields(FILE *out, const char *const *v, size_t n);
/* Write a number for CSV: %.17g, "" for NaN. */
void cli_csv_number(FILE *out, double x, int last);
/* The same with "NA" for NaN (the analyses' outputs, as R writes them). */
void cli_csv_number_na(FILE *out, double x, int last);
/* Writers for the library's output callbacks, `ud` a FILE *: cli_write_file is a sol_write_fn
 * (SOL_EIO on a short write), cli_write_chars the catalog's and export's writer (0, or -1). */
sol_status cli_write_file(void *ud, const void *buf, size_t n);
int cli_write_chars(void *ud, const char *data, size_t len);

/* A run id given as an argument of `cmd`: a positive integer into *id, else a usage error. */
int cli_run_id(const char *cmd, const char *arg, long long *id);

/* A failed job: a usage error of `cmd` when err->where names an option ("--x"), else cli_fail. */
int cli_job_fail(const char *cmd, const sol_error *err);

/* Write a run's result JSON indented, with "run_id" added when run_id > 0, and a newline:
 * 0, 1 on a write error, or -1 after "internal error: result is not JSON". */
int cli_print_json(FILE *f, const char *json, long long run_id);

/* The store when the job needs one: *err cleared (for the calls that follow), and when `want`
 * the store opened into *st (else NULL); CLI_OK, or CLI_FAIL after the error is printed. */
struct sol_store;
int cli_open_store(const cli_ctx *ctx, int want, struct sol_store **st, sol_error *err);
/* A command on the store: cli_parse (opt.h) into `job`, then cli_open_store(ctx, 1, st, err).
 * CLI_OK, or what the command returns (CLI_HELP after --help, CLI_USAGE, CLI_FAIL). */
struct cli_spec;
struct cli_args;
int cli_parse_store(const cli_ctx *ctx, const struct cli_spec *s, int argc, char **argv, void *job,
                    struct cli_args *a, struct sol_store **st, sol_error *err);
/* Close `st` (NULL: nothing) after a call that returned `s`: CLI_OK, or cli_fail(err). */
int cli_close_store(struct sol_store *st, sol_status s, const sol_error *err);

/* "solidata: <label>: <note>" on stderr for each of the n notes; none when ctx is quiet (a NULL
 * ctx always prints). `label` is a word marked N_("note"), translated here. */
void cli_notes(const cli_ctx *ctx, const char *label, char *const *notes, size_t n);
/* "solidata: recorded as run ID; 'solidata runs show ID'" on stderr. */
void cli_say_recorded(long long id);

/* An output file, or stdout when path is NULL; NULL after "cannot write PATH" on stderr. */
FILE *cli_out_open(const char *path);
/* Close what cli_out_open returned (stdout is flushed): CLI_OK, or CLI_FAIL after "cannot write
 * PATH" ("to stdout"). */
int cli_out_close(FILE *f, const char *path);
/* 1 when --db names a PostgreSQL server (a postgresql:// address or a libpq key=value string). */
int cli_db_is_server(const char *db);
/* --db as it may be printed: a server address without its password (in buf, n bytes), a file
 * path as it is. */
const char *cli_db_display(const char *db, char *buf, size_t n);
#endif
