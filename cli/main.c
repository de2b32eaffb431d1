/* main.c - the `solidata` command: global options, then dispatch on the command word. */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/version.h>

#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
    const char *name;
    cli_cmd_fn fn;
    const char *help;
} commands[] = {
    {"init", cmd_init, "create the store (or upgrade an older one) and say what it holds"},
    {"import", cmd_import, "import areas (GeoJSON, Shapefile, GeoPackage) or data (CSV, SDMX)"},
    {"catalog", cmd_list, "list the sources in the store: licence, checksum, rows, versions"},
    {"areas", cmd_list, "list the areas in the store"},
    {"indicators", cmd_list, "list the indicators in the store"},
    {"export", cmd_export, "export areas as GeoJSON or data as long CSV"},
    {"report", cmd_report, "write the atlas to print and share, as HTML or PDF (it, fr, en)"},
    {"serve", cmd_serve, "serve the dashboard and the JSON API (127.0.0.1 by default)"},
    {"user", cmd_user, "accounts of the server: add NAME --role public|analyst|admin, list"},
    {"runs", cmd_runs, "the computations recorded in the store, each with its method card"},
    {"index", cmd_index, "composite indices of well-being or distress (MPI, AMPI, PCA, ...)"},
    {"spatial", cmd_spatial, "spatial weights, Moran's I, local Moran (LISA), Getis-Ord Gi*"},
    {"map", cmd_map, "draw a choropleth or LISA cluster map as SVG, PNG or PDF"},
    {"poverty", cmd_poverty, "direct poverty and inequality estimates by domain, with SEs"},
    {"mpi", cmd_mpi, "Alkire-Foster multidimensional poverty (H, A, M0, contributions)"},
    {"sae", cmd_sae, "small area estimation: Fay-Herriot EBLUP with MSE ('sae fh')"},
    {"prioritise", cmd_prioritise, "rank options, allocate a budget (GLPK) and explain why"},
    {"evaluate", cmd_evaluate, "did a measure work: difference-in-differences, synthetic control"},
    {"trend", cmd_time, "Mann-Kendall trend test and Sen's slope per series (seasonal option)"},
    {"changepoints", cmd_time, "change points per series: Pettitt, AMOC, PELT"},
    {"forecast", cmd_time, "ETS forecasts with 80%/95% intervals per series (as R forecast::ets)"},
    {"anomalies", cmd_alerts, "decomposition and robust z of the remainder per series"},
    {"project-population", cmd_project, "cohort-component projection by age and sex, scenarios"},
    {"alerts", cmd_alerts, "one ranked list of emerging needs over the store (FDR controlled)"},
    {"keygen", cmd_keygen, "write a new pseudonymisation key (64 hex characters, mode 0600)"},
    {"pseudonymise", cmd_pseudonymise, "replace ids by keyed pseudonyms, drop direct identifiers"},
    {"link", cmd_link, "join two pseudonymised files on their pseudonyms, with a linkage report"},
    {"tabulate", cmd_tabulate, "publish a table from microdata: cell suppression, optional DP"},
    {"budget", cmd_budget, "the privacy budget (epsilon, minimum cell) of a dataset"},
    {"audit", cmd_audit, "list or verify the hash-chained audit log"},
    {"card", cmd_card, "print a run's method card in plain text"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: solidata [--db FILE] [--quiet] COMMAND [ARGS...]\n\n"
                 "An observatory of social needs: import indicators and boundaries once, with\n"
                 "their provenance, and compute the atlas of needs from them.\n\n"
                 "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].help);
    fprintf(out, "\nGlobal options:\n"
                 "  --db FILE    the store (default: $SOLIDATA_DB, else ./solidata.db)\n"
                 "  --quiet      no progress on stderr\n"
                 "  --version    print the version\n"
                 "  --help       this help; 'solidata COMMAND --help' for a command\n");
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    cli_ctx ctx = {.db_path = getenv("SOLIDATA_DB"), .quiet = 0};
    if (ctx.db_path == NULL || *ctx.db_path == '\0')
        ctx.db_path = "solidata.db";
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"version", no_argument, NULL, 'V'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+hq", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            ctx.db_path = optarg;
            break;
        case 'q':
            ctx.quiet = 1;
            break;
        case 'V':
            printf("solidata %s\n", sol_version());
            return CLI_OK;
        case 'h':
            usage(stdout);
            return CLI_OK;
        default:
            fprintf(stderr, "solidata: unknown or incomplete option '%s'; see 'solidata --help'\n",
                    argv[optind - 1]);
            return CLI_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return CLI_USAGE;
    }
    const char *cmd = argv[optind];
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (strcmp(cmd, commands[i].name) == 0) {
            int first = optind;
            optind = 0; /* GNU getopt: re-initialise for the command's own flags */
            return commands[i].fn(&ctx, argc - first, argv + first);
        }
    }
    fprintf(stderr, "solidata: unknown command '%s'; see 'solidata --help'\n", cmd);
    return CLI_USAGE;
}
