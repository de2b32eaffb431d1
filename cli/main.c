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
    {"init", cmd_init, N_("create the store (or upgrade an older one) and say what it holds")},
    {"import", cmd_import, N_("import areas (GeoJSON, Shapefile, GeoPackage) or data (CSV, SDMX)")},
    {"catalog", cmd_list, N_("list the sources in the store: licence, checksum, rows, versions")},
    {"areas", cmd_list, N_("list the areas in the store")},
    {"indicators", cmd_list, N_("list the indicators in the store")},
    {"source", cmd_source,
     N_("the sources and their versions: list, show, remove, restore, replace")},
    {"indicator", cmd_indicator,
     N_("change an indicator's labels, unit, polarity or kind; show it")},
    {"export", cmd_export, N_("export areas as GeoJSON or data as long CSV")},
    {"report", cmd_report, N_("write the atlas to print and share, as HTML or PDF (it, fr, en)")},
    {"serve", cmd_serve, N_("serve the dashboard and the JSON API (127.0.0.1 by default)")},
    {"user", cmd_user, N_("accounts of the server: add NAME --role public|analyst|admin, list")},
    {"publish", cmd_publish,
     N_("publish a source or a run (drafts are for analysts); drafts, auto")},
    {"unpublish", cmd_publish, N_("make a published source or run a draft again")},
    {"runs", cmd_runs, N_("the computations recorded in the store, each with its method card")},
    {"index", cmd_index, N_("composite indices of well-being or distress (MPI, AMPI, PCA, ...)")},
    {"spatial", cmd_spatial, N_("spatial weights, Moran's I, local Moran (LISA), Getis-Ord Gi*")},
    {"map", cmd_map, N_("draw a choropleth or LISA cluster map as SVG, PNG or PDF")},
    {"poverty", cmd_poverty, N_("direct poverty and inequality estimates by domain, with SEs")},
    {"mpi", cmd_mpi, N_("Alkire-Foster multidimensional poverty (H, A, M0, contributions)")},
    {"microdata", cmd_microdata, N_("federation: the SQL an agency runs to serve aggregates only")},
    {"sae", cmd_sae, N_("small area estimation: Fay-Herriot EBLUP with MSE ('sae fh')")},
    {"prioritise", cmd_prioritise, N_("rank options, allocate a budget (GLPK) and explain why")},
    {"campaign", cmd_campaign,
     N_("campaigns on need evidence: signed public ledger, transparency label")},
    {"ledger", cmd_campaign,
     N_("a campaign's ledger: keygen, add, reverse, sign, list, export, verify")},
    {"locate", cmd_locate, N_("where to place a service: covering, p-median, budget (GLPK)")},
    {"evaluate", cmd_evaluate,
     N_("did a measure work: difference-in-differences, synthetic control")},
    {"trend", cmd_time, N_("Mann-Kendall trend test and Sen's slope per series (seasonal option)")},
    {"changepoints", cmd_time, N_("change points per series: Pettitt, AMOC, PELT")},
    {"forecast", cmd_time,
     N_("ETS forecasts with 80%/95% intervals per series (as R forecast::ets)")},
    {"anomalies", cmd_alerts, N_("decomposition and robust z of the remainder per series")},
    {"project-population", cmd_project,
     N_("cohort-component projection by age and sex, scenarios")},
    {"alerts", cmd_alerts, N_("one ranked list of emerging needs over the store (FDR controlled)")},
    {"keygen", cmd_keygen, N_("write a new pseudonymisation key (64 hex characters, mode 0600)")},
    {"pseudonymise", cmd_pseudonymise,
     N_("replace ids by keyed pseudonyms, drop direct identifiers")},
    {"link", cmd_link,
     N_("join two pseudonymised files on their pseudonyms, with a linkage report")},
    {"tabulate", cmd_tabulate, N_("publish a table from microdata: cell suppression, optional DP")},
    {"budget", cmd_budget, N_("the privacy budget (epsilon, minimum cell) of a dataset")},
    {"audit", cmd_audit, N_("list or verify the hash-chained audit log")},
    {"card", cmd_card, N_("print a run's method card in plain text")},
    {"derive", cmd_derive,
     N_("derived indicators: a rate per 1,000 inhabitants, a coverage of need")},
    {"sdmx", cmd_sdmx, N_("read an SDMX message (ISTAT, INSEE, Eurostat, ECB) as CSV; structures")},
    {"connect", cmd_connect,
     N_("connectors to public data portals (Istat, Eurostat, INSEE...): add, list, search")},
    {"refresh", cmd_connect, N_("fetch the connectors again; a new version only when changed")},
    {"audience", cmd_audience,
     N_("audiences by variables, never by names: define, show, publish, export, map, k")},
    {"takeup", cmd_takeup, N_("non-take-up: eligible people against people receiving, per area")},
    {"store", cmd_store, N_("copy a whole store between a file and PostgreSQL, checked")},
};

typedef struct global {
    cli_ctx ctx;
    const char *lang;
    int version;
} global;

#define G(f) offsetof(global, f)
static const cli_opt OPTS[] = {{"db", CLI_STR, G(ctx.db_path), "FILE", N_("the store"),
                                .def = N_("$SOLIDATA_DB, else ./solidata.db")},
                               {"lang", CLI_STR, G(lang), "it|fr|en",
                                N_("the language of messages and help"),
                                .def = N_("from LANGUAGE, LC_ALL, LC_MESSAGES or LANG, else en")},
                               {"quiet", CLI_FLAG, G(ctx.quiet), NULL, N_("no progress on stderr")},
                               {"wait", CLI_INT, G(ctx.wait), "SECONDS",
                                N_("how long to wait for another program writing to the store\n"
                                   "(an import, the server) before giving up"),
                                .min = 0, .max = 86400, .def = "600"},
                               {"version", CLI_FLAG, G(version), NULL, N_("print the version")},
                               {0}};

/* The about text: what solidata is, then the command table (in the chosen language). */
static char about[8192];
static const cli_spec SPEC = {"[--db FILE] [--lang it|fr|en] [--quiet] [--wait SECONDS]",
                              "COMMAND [ARGS...]",
                              about,
                              OPTS,
                              N_("'solidata COMMAND --help' for the options of a command."),
                              0,
                              0};

static void build_about(void)
{
    size_t len = (size_t)snprintf(
        about, sizeof about, "%s\n\n%s\n",
        _("An observatory of social needs: import indicators and boundaries once, with\n"
          "their provenance, and compute the atlas of needs from them."),
        _("Commands:"));
    for (size_t i = 0; i < sizeof commands / sizeof *commands && len < sizeof about; i++)
        len += (size_t)snprintf(about + len, sizeof about - len, "  %-12s %s\n", commands[i].name,
                                _(commands[i].help));
}

/* The global options end at the first word that is not one of them: the command. The value of
 * --lang goes into *lang. `quiet`: no message (the first pass, before the language is set). */
static int find_command(int argc, char **argv, const char **lang, int quiet)
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
            if (!quiet)
                fprintf(stderr,
                        _("solidata: unknown or incomplete option '%s'; see 'solidata --help'\n"),
                        argv[k]);
            return -1;
        }
        if (strcmp(o->name, "lang") == 0)
            *lang = name[len] ? name + len + 1 : argv[k + 1];
        k += o->arg != NULL && name[len] == '\0';
    }
    return k;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    sol_lang_set_default(sol_lang_from_env());
    global g = {.ctx = {.db_path = getenv("SOLIDATA_DB"), .wait = 600}};
    if (g.ctx.db_path == NULL || *g.ctx.db_path == '\0')
        g.ctx.db_path = "solidata.db";
    const char *lang = NULL;
    find_command(argc, argv, &lang, 1);
    if (lang != NULL) {
        sol_lang l;
        sol_error err;
        sol_error_clear(&err);
        if (sol_lang_parse(lang, &l, &err) != SOL_OK) {
            fprintf(stderr, "solidata: --lang: %s\n", err.msg);
            return CLI_USAGE;
        }
        sol_lang_set_default(l);
    }
    build_about();
    int first = find_command(argc, argv, &lang, 0);
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
    fprintf(stderr, _("solidata: unknown command '%s'; see 'solidata --help'\n"), argv[first]);
    return CLI_USAGE;
}
