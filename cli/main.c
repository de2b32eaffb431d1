/* main.c - the `solidata` command: global options, then dispatch on the command word. */
#include "cli.h"
#include "opt.h"

#include <solidata/version.h>

#include <gsl/gsl_errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

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
    {"source", cmd_source, "restore a superseded version of a source (source restore NAME)"},
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
    {"locate", cmd_locate, "where to place a service: covering, p-median, budget (GLPK)"},
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

typedef struct global {
    cli_ctx ctx;
    int version;
} global;

#define G(f) offsetof(global, f)
static const cli_opt OPTS[] = {
    {"db", CLI_STR, G(ctx.db_path), "FILE", "the store", .def = "$SOLIDATA_DB, else ./solidata.db"},
    {"quiet", CLI_FLAG, G(ctx.quiet), NULL, "no progress on stderr"},
    {"version", CLI_FLAG, G(version), NULL, "print the version"},
    {0}};

/* The about text: what solidata is, then the command table. */
static char about[4096];
static const cli_spec SPEC = {"[--db FILE] [--quiet]",
                              "COMMAND [ARGS...]",
                              about,
                              OPTS,
                              "'solidata COMMAND --help' for the options of a command.",
                              0,
                              0};

static void build_about(void)
{
    size_t len = (size_t)snprintf(
        about, sizeof about, "%s",
        "An observatory of social needs: import indicators and boundaries once, with\n"
        "their provenance, and compute the atlas of needs from them.\n\nCommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands && len < sizeof about; i++)
        len += (size_t)snprintf(about + len, sizeof about - len, "  %-12s %s\n", commands[i].name,
                                commands[i].help);
}

/* The global options end at the first word that is not one of them: the command. */
static int find_command(int argc, char **argv)
{
    int k = 1;
    for (; k < argc && argv[k][0] == '-' && strcmp(argv[k], "-h") != 0; k++) {
        const char *name = argv[k] + 2;
        size_t len = strcspn(name, "=");
        const cli_opt *o = OPTS;
        while (o->name != NULL && (strlen(o->name) != len || strncmp(o->name, name, len) != 0))
            o++;
        if (strcmp(argv[k], "--help") == 0)
            break;
        if (argv[k][1] != '-' || o->name == NULL || (o->arg && !name[len] && k + 1 == argc)) {
            fprintf(stderr, "solidata: unknown or incomplete option '%s'; see 'solidata --help'\n",
                    argv[k]);
            return -1;
        }
        k += o->arg != NULL && name[len] == '\0';
    }
    return k;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    global g = {.ctx = {.db_path = getenv("SOLIDATA_DB")}};
    if (g.ctx.db_path == NULL || *g.ctx.db_path == '\0')
        g.ctx.db_path = "solidata.db";
    build_about();
    int first = find_command(argc, argv);
    if (first < 0)
        return CLI_USAGE;
    cli_args a;
    int help = first < argc && argv[first][0] == '-';
    int rc = cli_parse(&SPEC, help ? first + 1 : first, argv, &g, &a);
    if (rc != CLI_OK)
        return rc == CLI_HELP ? CLI_OK : rc;
    if (g.version) {
        printf("solidata %s\n", sol_version());
        return CLI_OK;
    }
    if (first >= argc) {
        cli_help(&SPEC, &g, stderr);
        return CLI_USAGE;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(argv[first], commands[i].name) == 0) {
            rc = commands[i].fn(&g.ctx, argc - first, argv + first);
            return rc == CLI_HELP ? CLI_OK : rc; /* the command printed its help */
        }
    fprintf(stderr, "solidata: unknown command '%s'; see 'solidata --help'\n", argv[first]);
    return CLI_USAGE;
}
