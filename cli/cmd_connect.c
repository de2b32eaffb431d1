/* cmd_connect.c - `solidata connect providers|add|list|show|remove|search|structure` and
 * `solidata refresh [NAME|--due]`: connectors to public data portals (connect.h), and the
 * background refresh of due connectors that `serve --refresh` starts. */
#include "cli.h"
#include "opt.h"

#include <solidata/connect.h>
#include <solidata/run.h>
#include <solidata/store.h>

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct conn_args {
    sol_connector_def def;
    const char *sdmx, *every, *cache, *provider, *lang, *base_url;
    int offline, json, due, codes, gouv;
    unsigned timeout, rows;
    unsigned long long max_size;
} conn_args;

#define A(f) offsetof(conn_args, f)
#define D(f) offsetof(conn_args, def.f)

static const cli_opt NET_OPTS[] = {
    {"offline", CLI_FLAG, A(offline), NULL, N_("use only the download cache, no request")},
    {"cache", CLI_STR, A(cache), "DIR", N_("the download cache"),
     .def = N_("$SOLIDATA_CACHE, else the store's path + .cache")},
    {"timeout", CLI_UINT, A(timeout), "S", N_("seconds allowed for one answer"), .min = 1,
     .max = 86400, .flags = CLI_NO_DEFAULT, .def = N_("the provider's")},
    {"max-size", CLI_U64, A(max_size), "BYTES", N_("the largest answer accepted"),
     .flags = CLI_NO_DEFAULT, .def = "536870912"},
    {0}};

static const cli_opt ADD_OPTS[] = {
    {"sdmx", CLI_STR, A(sdmx), "PROVIDER/DATAFLOW", N_("the SDMX dataflow, e.g. ISTAT/47_850"),
     .excludes = "ckan,datagouv"},
    {"ckan", CLI_STR, D(portal), "URL",
     N_("a CKAN portal (dati.gov.it, HDX...): its address, with --dataset and --resource"),
     .needs = "dataset", .excludes = "datagouv"},
    {"datagouv", CLI_STR, D(dataset), "DATASET", N_("a dataset of data.gouv.fr (its id or slug)"),
     .excludes = "dataset"},
    {"features", CLI_STR, D(features_url), "URL",
     N_("boundaries: an OGC API Features service's address (WFS:URL for a WFS), with "
        "--collection and --code-field"),
     .needs = "collection,code-field", .excludes = "sdmx,ckan,datagouv"},
    {"collection", CLI_STR, D(collection), "ID", N_("boundaries: the collection (feature type)"),
     .needs = "features"},
    {"code-field", CLI_STR, D(code_field), "F", N_("boundaries: the field of the area codes"),
     .needs = "features"},
    {"name-field", CLI_STR, D(name_field), "F", N_("boundaries: the field of the area names"),
     .needs = "features"},
    {"parent-field", CLI_STR, D(parent_field), "F",
     N_("boundaries: the field of the parent areas' codes"), .needs = "features"},
    {"dataset", CLI_STR, D(dataset), "ID", N_("the CKAN dataset (its id or name)"),
     .needs = "ckan"},
    {"resource", CLI_STR, D(resource), "ID|NAME", N_("the dataset's table to import"),
     .def = N_("its only table")},
    {"area-field", CLI_STR, D(area_field), "COL", N_("catalogue tables: the column of area codes")},
    {"period-field", CLI_STR, D(period_field), "COL",
     N_("catalogue tables: the column of periods")},
    {"period", CLI_STR, D(period), "P", N_("catalogue tables: one period for the whole table")},
    {"indicator-field", CLI_STR, D(indicator_field), "COL",
     N_("catalogue tables (long): the column of indicator codes")},
    {"value-field", CLI_STR, D(value_field), "COL",
     N_("catalogue tables (long): the column of values")},
    {"indicators", CLI_STR, D(indicators), "COL,...",
     N_("catalogue tables (wide): the columns to import")},
    {"layout", CLI_STR, D(layout), "wide|long", N_("catalogue tables: how the table is laid out"),
     .def = N_("told from the columns")},
    {"format", CLI_STR, D(format), "xml|csv|json",
     N_("SDMX: the format asked of the provider (SDMX-ML, SDMX-CSV or SDMX-JSON), among those it "
        "serves"),
     .needs = "sdmx", .def = "xml"},
    {"key", CLI_STR, D(key), "KEY",
     N_("one part per dimension, separated by dots; '+' joins codes; empty part = all"),
     .def = N_("all")},
    {"start", CLI_STR, D(start), "PERIOD", N_("first period (startPeriod)")},
    {"end", CLI_STR, D(end), "PERIOD", N_("last period (endPeriod)")},
    {"area-dim", CLI_STR, D(area_dim), "DIM", N_("the geographic dimension"),
     .def = "REF_AREA, GEO or geo"},
    {"indicator-dims", CLI_STR, D(indicator_dims), "DIM,...",
     N_("the dimensions whose codes make the indicator code"),
     .def = N_("every other dimension but FREQ and time")},
    {"indicator", CLI_STR, D(indicator), "CODE", N_("the indicator codes' prefix"),
     .def = N_("the dataflow id")},
    {"level", CLI_STR, D(level), "LEVEL",
     N_("the level of the areas added by --add-areas or read by --features"), .def = "area"},
    {"add-areas", CLI_FLAG, D(add_areas), NULL,
     N_("add the area codes not in the store as areas (named from the codelist when the "
        "provider gives it)")},
    {"area-names", CLI_STR, D(area_names), "F.csv",
     N_("names of the areas added (code,name), when the provider's codelist gives none"),
     .needs = "add-areas"},
    {"skip-unknown-areas", CLI_FLAG, D(skip_unknown_areas), NULL,
     N_("count the values of unknown areas instead of stopping")},
    {"every", CLI_STR, A(every), "N[mhdw]", N_("refresh schedule, e.g. 7d (for refresh --due)")},
    {"licence", CLI_STR, D(licence), "TEXT", N_("the data's licence"), .def = N_("the provider's")},
    {"attribution", CLI_STR, D(attribution), "TEXT", N_("the attribution to show"),
     .def = N_("the provider's name")},
    {"base-url", CLI_STR, D(base_url), "URL", N_("another endpoint for this provider (a mirror)")},
    {0}};

static const cli_opt LIST_OPTS[] = {
    {"json", CLI_FLAG, A(json), NULL, N_("print JSON instead of CSV")}, {0}};

static const cli_opt SEARCH_OPTS[] = {
    {"provider", CLI_STR, A(provider), "ID",
     N_("an SDMX provider (see 'connect providers'): its dataflows"), .excludes = "ckan,datagouv"},
    {"ckan", CLI_STR, D(portal), "URL", N_("a CKAN portal's address: its datasets"),
     .excludes = "datagouv"},
    {"datagouv", CLI_FLAG, A(gouv), NULL, N_("data.gouv.fr's datasets")},
    {"rows", CLI_UINT, A(rows), "N", N_("catalogues: at most N datasets"), .min = 1, .max = 1000,
     .flags = CLI_NO_DEFAULT, .def = "20"},
    {"lang", CLI_STR, A(lang), "it|fr|en", N_("the language of the names matched"),
     .def = N_("the command's language")},
    {"base-url", CLI_STR, A(base_url), "URL", N_("another endpoint for the provider")},
    {0}};

static const cli_opt STRUCT_OPTS[] = {
    {"no-codes", CLI_FLAG0, A(codes), NULL,
     N_("do not fetch the codelists (only the dimensions and the codelists' ids)")},
    {"lang", CLI_STR, A(lang), "it|fr|en", N_("the language of the names"),
     .def = N_("the command's language")},
    {"base-url", CLI_STR, A(base_url), "URL", N_("another endpoint for the provider")},
    {0}};

static const cli_opt REFRESH_OPTS[] = {
    {"due", CLI_FLAG, A(due), NULL, N_("only the connectors whose schedule has come")}, {0}};

static const cli_opt *const NET_SHARED[] = {NET_OPTS, NULL};

static const cli_sub SUBS[] = {
    {"providers", N_("the SDMX providers known, with their endpoints and quirks")},
    {"add", N_("store a connector: NAME --sdmx PROVIDER/DATAFLOW --key KEY [options]")},
    {"list", N_("the connectors with their last check and change")},
    {"show", N_("one connector: its query and latest fetch")},
    {"remove", N_("remove a connector (its source stays in the catalog)")},
    {"search", N_("find dataflows or datasets by words: WORDS --provider ID | --ckan URL | "
                  "--datagouv")},
    {"structure", N_("the dimensions and codelists of PROVIDER/DATAFLOW")},
    {0}};

static const cli_spec SPECS[] = {
    {"connect providers", "", N_("The SDMX providers solidata knows."), NULL,
     N_("Output: CSV id,name,agency,url,sdmx,formats,languages,quirks.\n"), 0, 0, NULL},
    {"connect add",
     "NAME --sdmx PROVIDER/DATAFLOW [--key KEY] [--start P] [--end P] [options]\n"
     "NAME --ckan URL --dataset ID [--resource ID|NAME] [--area-field COL ...]\n"
     "NAME --datagouv DATASET [--resource ID|NAME] [--area-field COL ...]\n"
     "NAME --features URL --collection ID --code-field F [--name-field F] [--parent-field F] "
     "[--level L]",
     N_("Store a connector: the dataflow is fetched from the provider, the key checked against\n"
        "its structure (one part per dimension), and the connector recorded in the store. Its\n"
        "values arrive with 'solidata refresh NAME', as a source of the catalog called NAME."),
     ADD_OPTS,
     N_("Example: solidata connect add nidi --sdmx ISTAT/47_850 "
        "--key A.001001+001002.AUTP.ALL.ALL.1\n"),
     1, 1, NET_SHARED},
    {"connect list", "[--json]", N_("The connectors, with their last check and last change."),
     LIST_OPTS,
     N_("Output: CSV name,provider,dataflow,key,every_seconds,last_checked_at,last_changed_at,"
        "last_outcome,added,revised,removed.\n"),
     0, 0, NULL},
    {"connect show", "NAME", N_("One connector as JSON: its query, schedule and latest fetch."),
     NULL, NULL, 1, 1, NULL},
    {"connect remove", "NAME",
     N_("Remove a connector and its fetch history; its source stays in the catalog."), NULL, NULL,
     1, 1, NULL},
    {"connect search",
     "WORDS... --provider ID [--lang it|fr|en]\n"
     "WORDS... --ckan URL [--rows N]\n"
     "WORDS... --datagouv [--rows N]",
     N_("With --provider, the provider's dataflows whose name holds every word (case and accents\n"
        "aside), in the language asked where the provider has it; the list is fetched once, then\n"
        "cached. With --ckan or --datagouv, the catalogue's own search of its datasets (CKAN's\n"
        "package_search, data.gouv.fr's datasets search): each dataset's id as --dataset takes\n"
        "it, its title, organisation, licence and resources with their formats."),
     SEARCH_OPTS,
     N_("Output: CSV id,name (--provider); CSV id,title,organisation,licence,resources\n"
        "(--ckan, --datagouv), the resources as 'name (FORMAT)' separated by '; '.\n"
        "Example: solidata connect search asili nido --ckan https://www.dati.gov.it/opendata\n"),
     1, CLI_MAX_ARGS, NET_SHARED},
    {"connect structure", "PROVIDER/DATAFLOW [--no-codes] [--lang it|fr|en]",
     N_("The dataflow's name, its dimensions in key order with their codelists, and a few codes\n"
        "of each with their names (the codelists are fetched too, unless --no-codes)."),
     STRUCT_OPTS, NULL, 1, 1, NET_SHARED},
};

static const cli_spec REFRESH_SPEC = {
    "refresh",
    "[NAME...|--due] [--offline] [--timeout S] [--max-size BYTES]",
    N_("Fetch each connector (all of them without NAME; with --due those whose schedule has\n"
       "come) with a conditional request. When the provider answers 'not modified', or the\n"
       "same content, nothing is written. Otherwise the values become a new version of the\n"
       "connector's source, and the values added, revised and removed are reported, with the\n"
       "largest revisions. A revised published figure is listed with the emerging needs\n"
       "('solidata alerts --latest', the dashboard) and in the audit log. A failure leaves the\n"
       "store unchanged."),
    REFRESH_OPTS,
    NULL,
    0,
    CLI_MAX_ARGS,
    NET_SHARED};

/* ---- network options ------------------------------------------------------------------------- */

static char cache_buf[4096];

static const char *cache_dir(const cli_ctx *ctx, const char *given)
{
    if (given)
        return given;
    const char *e = getenv("SOLIDATA_CACHE");
    if (e && *e)
        return e;
    /* beside a store file; for a store on a server, in the working folder (never a folder
     * named after its address) */
    if (cli_db_is_server(ctx->db_path))
        snprintf(cache_buf, sizeof cache_buf, "solidata.cache");
    else
        snprintf(cache_buf, sizeof cache_buf, "%s.cache", ctx->db_path);
    return cache_buf;
}

static void on_download(void *ud, uint64_t done, uint64_t total)
{
    const cli_ctx *ctx = ud;
    static time_t last;
    time_t now = time(NULL);
    if (done < 1024 * 1024 || now == last)
        return; /* small answers finish before progress would help */
    last = now;
    if (total)
        cli_progress(ctx, N_("downloading: %.1f MB of %.1f MB"), (double)done / 1e6,
                     (double)total / 1e6);
    else
        cli_progress(ctx, N_("downloading: %.1f MB"), (double)done / 1e6);
}

static void net_init(const cli_ctx *ctx, const conn_args *a, sol_net_opts *n)
{
    sol_net_opts_init(n);
    n->cache_dir = cache_dir(ctx, a->cache);
    n->offline = a->offline;
    if (a->timeout)
        n->timeout_s = a->timeout;
    if (a->max_size)
        n->max_bytes = a->max_size;
    n->progress = on_download;
    n->progress_ud = (void *)ctx;
}

static sol_lang lang_of(const char *s)
{
    sol_lang l;
    return s && sol_lang_parse(s, &l, NULL) == SOL_OK ? l : sol_lang_current();
}

/* "PROVIDER/DATAFLOW" split in place */
static int split_flow(const char *cmd, char *s, char **df)
{
    char *slash = strchr(s, '/');
    if (!slash || !slash[1] || slash == s)
        return cli_usage_error(cmd, _("'%s': expected PROVIDER/DATAFLOW, e.g. ISTAT/47_850"), s);
    *slash = '\0';
    *df = slash + 1;
    return CLI_OK;
}

/* "7d", "12h", "30m", "3600s", "2w" in seconds; -1 when not understood */
static long long parse_every(const char *s)
{
    char *end = NULL;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    if (end == s || errno || n <= 0 || n > 1000000)
        return -1;
    long long unit = *end == '\0' || strcmp(end, "s") == 0 ? 1
                     : strcmp(end, "m") == 0               ? 60
                     : strcmp(end, "h") == 0               ? 3600
                     : strcmp(end, "d") == 0               ? 86400
                     : strcmp(end, "w") == 0               ? 604800
                                                           : -1;
    return unit < 0 ? -1 : n * unit;
}

/* ---- connect ... --------------------------------------------------------------------------------
 */

static int do_providers(void)
{
    size_t n;
    const sol_provider *p = sol_connect_providers(&n);
    fputs("id,name,agency,url,sdmx,formats,languages,quirks\n", stdout);
    for (size_t i = 0; i < n; i++) {
        const char *v[] = {p[i].id,           p[i].name,    p[i].agency, p[i].url,
                           p[i].sdmx_version, p[i].formats, p[i].langs,  _(p[i].quirks)};
        cli_csv_fields(stdout, v, 8);
    }
    return CLI_OK;
}

static int do_add(const cli_ctx *ctx, conn_args *a, cli_args *args)
{
    char *flow = (char *)a->sdmx, *df = NULL;
    int rc;
    a->def.name = args->v[0];
    if (flow) {
        if ((rc = split_flow("connect add", flow, &df)) != CLI_OK)
            return rc;
        a->def.provider = flow;
        a->def.dataflow = df;
    } else if (a->def.features_url) {
        a->def.kind = "features";
    } else if (a->def.portal) {
        a->def.kind = "ckan";
    } else if (a->def.dataset) {
        a->def.kind = "datagouv";
    } else {
        return cli_usage_error("connect add", "%s",
                               _("say what to fetch: --sdmx PROVIDER/DATAFLOW, --ckan URL "
                                 "--dataset ID, --datagouv DATASET, or --features URL"));
    }
    if (a->every) {
        long long s = parse_every(a->every);
        if (s < 0)
            return cli_usage_error("connect add",
                                   _("--every '%s': expected a number and a unit, e.g. 7d, 12h, "
                                     "30m or 2w"),
                                   a->every);
        a->def.every_seconds = s;
    }
    a->def.who = sol_run_actor();
    sol_net_opts net;
    net_init(ctx, a, &net);
    sol_store *st;
    sol_error err;
    if ((rc = cli_open_store(ctx, 1, &st, &err)) != CLI_OK)
        return rc;
    if (cli_close_store(st, sol_connect_add(st, &a->def, &net, &err), &err) != CLI_OK)
        return CLI_FAIL;
    cli_progress(ctx, N_("connect: '%s' added (%s); 'solidata refresh %s' fetches its values"),
                 a->def.name,
                 flow                  ? a->sdmx
                 : a->def.features_url ? a->def.collection
                                       : a->def.dataset,
                 a->def.name);
    return CLI_OK;
}

static int on_list(void *ud, const sol_connector *c)
{
    FILE *f = ud;
    char every[32] = "", n[3][24];
    if (c->every_seconds)
        snprintf(every, sizeof every, "%lld", (long long)c->every_seconds);
    snprintf(n[0], sizeof n[0], "%lld", (long long)c->last_added);
    snprintf(n[1], sizeof n[1], "%lld", (long long)c->last_revised);
    snprintf(n[2], sizeof n[2], "%lld", (long long)c->last_removed);
    const char *v[] = {c->name,
                       c->provider,
                       c->dataflow,
                       c->key,
                       every,
                       c->last_checked_at,
                       c->last_changed_at,
                       c->last_outcome,
                       n[0],
                       n[1],
                       n[2]};
    cli_csv_fields(f, v, 11);
    return 0;
}

static int do_list(const cli_ctx *ctx, const conn_args *a, const char *name)
{
    sol_store *st;
    sol_error err;
    int rc = cli_open_store(ctx, 1, &st, &err);
    if (rc != CLI_OK)
        return rc;
    sol_status s;
    if (a->json || name) {
        char *j = NULL;
        s = sol_connect_list_json(st, name, &j, &err);
        if (s == SOL_OK)
            printf("%s\n", j);
        sol_free(j);
    } else {
        fputs(
            "name,provider,dataflow,key,every_seconds,last_checked_at,last_changed_at,last_outcome,"
            "added,revised,removed\n",
            stdout);
        s = sol_connect_list(st, NULL, on_list, stdout, &err);
    }
    return cli_close_store(st, s, &err);
}

static int do_remove(const cli_ctx *ctx, const char *name)
{
    sol_store *st;
    sol_error err;
    int rc = cli_open_store(ctx, 1, &st, &err);
    if (rc != CLI_OK)
        return rc;
    if (cli_close_store(st, sol_connect_remove(st, name, sol_run_actor(), &err), &err) != CLI_OK)
        return CLI_FAIL;
    cli_progress(ctx, N_("connect: '%s' removed; its source stays in the catalog"), name);
    return CLI_OK;
}

static int on_flow(void *ud, const char *id, const char *name)
{
    size_t *n = ud;
    const char *v[] = {id, name};
    cli_csv_fields(stdout, v, 2);
    (*n)++;
    return 0;
}

static int on_dataset(void *ud, const sol_catalog_hit *h)
{
    size_t *n = ud;
    char res[4096] = "";
    for (size_t i = 0, k = 0; i < h->nres && k + 1 < sizeof res; i++, k = strlen(res))
        snprintf(res + k, sizeof res - k, h->res_format[i][0] ? "%s%s (%s)" : "%s%s", i ? "; " : "",
                 h->res_name[i], h->res_format[i]);
    const char *v[] = {h->dataset, h->title, h->organisation, h->licence, res};
    cli_csv_fields(stdout, v, 5);
    (*n)++;
    return 0;
}

static int do_search(const cli_ctx *ctx, const conn_args *a, cli_args *args)
{
    char words[1024] = "";
    for (int i = 0; i < args->n; i++) {
        size_t k = strlen(words);
        snprintf(words + k, sizeof words - k, "%s%s", i ? " " : "", args->v[i]);
    }
    sol_net_opts net;
    net_init(ctx, a, &net);
    sol_error err;
    sol_error_clear(&err);
    size_t n = 0;
    if (a->def.portal || a->gouv) {
        int64_t total = 0;
        fputs("id,title,organisation,licence,resources\n", stdout);
        if (sol_connect_search_catalog(a->gouv ? "datagouv" : "ckan", a->def.portal, words,
                                       a->rows ? (int)a->rows : 20, &net, on_dataset, &n, &total,
                                       &err) != SOL_OK)
            return cli_fail(&err);
        cli_progress(ctx,
                     sol_ngettext("connect search: %zu dataset shown of %lld found",
                                  "connect search: %zu datasets shown of %lld found", n),
                     n, (long long)total);
        return CLI_OK;
    }
    if (!a->provider)
        return cli_usage_error("connect search",
                               N_("say where to search: --provider ID (SDMX dataflows), --ckan "
                                  "URL or --datagouv (datasets)"));
    fputs("id,name\n", stdout);
    if (sol_connect_search(a->provider, a->base_url, words, lang_of(a->lang), &net, on_flow, &n,
                           &err) != SOL_OK)
        return cli_fail(&err);
    cli_progress(
        ctx, sol_ngettext("connect search: %zu dataflow", "connect search: %zu dataflows", n), n);
    return CLI_OK;
}

static int do_structure(const cli_ctx *ctx, const conn_args *a, cli_args *args)
{
    char *flow = args->v[0], *df = NULL;
    int rc = split_flow("connect structure", flow, &df);
    if (rc != CLI_OK)
        return rc;
    sol_net_opts net;
    net_init(ctx, a, &net);
    sol_error err;
    sol_error_clear(&err);
    sol_sdmx_structure *s = NULL;
    if (sol_connect_structure(flow, a->base_url, df, a->codes, &net, &s, &err) != SOL_OK)
        return cli_fail(&err);
    sol_lang l = lang_of(a->lang);
    const sol_sdmx_dataflow *f = sol_sdmx_dataflow_find(s, df);
    const sol_sdmx_dsd *d = sol_sdmx_dsd_find(s, f->dsd);
    const char *fname = sol_sdmx_name(&f->name, l);
    printf("%s %s: %s\n", flow, df, fname ? fname : "");
    printf(_("structure %s, %zu dimensions (key order):\n"), d->id, d->ndim);
    for (size_t i = 0; i < d->ndim; i++) {
        const sol_sdmx_dimension *x = &d->dim[i];
        const sol_sdmx_codelist *cl = sol_sdmx_codelist_find(s, x->codelist);
        if (x->is_time)
            printf(_("  %s (time)\n"), x->id);
        else
            printf("  %d. %s  %s%s%s\n", x->position, x->id, x->codelist ? x->codelist : "",
                   cl && sol_sdmx_name(&cl->name, l) ? ": " : "",
                   cl && sol_sdmx_name(&cl->name, l) ? sol_sdmx_name(&cl->name, l) : "");
        for (size_t k = 0; cl && k < cl->ncode && k < 5; k++) {
            const char *cn = sol_sdmx_name(&cl->code[k].name, l);
            printf("       %s  %s\n", cl->code[k].id, cn ? cn : "");
        }
        if (cl && cl->ncode > 5)
            printf(_("       ... %zu codes in all\n"), cl->ncode);
    }
    sol_sdmx_structure_free(s);
    return CLI_OK;
}

int cmd_connect(const cli_ctx *ctx, int argc, char **argv)
{
    if (strcmp(argv[0], "refresh") == 0)
        return cmd_refresh(ctx, argc, argv);
    int sub = cli_sub_find("connect", SUBS, argc, argv);
    if (sub < 0)
        return -sub;
    conn_args a;
    memset(&a, 0, sizeof a);
    a.codes = 1; /* connect structure: the codelists too, unless --no-codes */
    cli_args args;
    int rc = cli_parse(&SPECS[sub], argc - 1, argv + 1, &a, &args);
    if (rc != CLI_OK)
        return rc;
    switch (sub) {
    case 0: return do_providers();
    case 1: return do_add(ctx, &a, &args);
    case 2: return do_list(ctx, &a, NULL);
    case 3: return do_list(ctx, &a, args.v[0]);
    case 4: return do_remove(ctx, args.v[0]);
    case 5: return do_search(ctx, &a, &args);
    default: return do_structure(ctx, &a, &args);
    }
}

/* ---- refresh ------------------------------------------------------------------------------- */

typedef struct names {
    char *v[256];
    size_t n;
} names;

static int on_name(void *ud, const char *name)
{
    names *x = ud;
    if (x->n < 256)
        x->v[x->n++] = strdup(name);
    return 0;
}

static int on_all(void *ud, const sol_connector *c)
{
    return on_name(ud, c->name);
}

static void say_report(const cli_ctx *ctx, const sol_refresh_report *r)
{
    if (ctx->quiet)
        return;
    if (strcmp(r->outcome, "new-version") != 0) {
        fprintf(stderr,
                strcmp(r->outcome, "not-modified") == 0
                    ? _("refresh %s: not modified (the provider says so); nothing changed, "
                        "nothing written\n")
                    : _("refresh %s: same content as last time; nothing changed, nothing "
                        "written\n"),
                r->name);
        return;
    }
    fprintf(stderr,
            _("refresh %s: version %d: %lld values added, %lld revised, %lld removed (%lld in "
              "the answer)\n"),
            r->name, r->version, (long long)r->added, (long long)r->revised, (long long)r->removed,
            (long long)r->observations);
    if (r->areas_added)
        fprintf(stderr, _("  %lld areas added: %s\n"), (long long)r->areas_added, r->unknown_list);
    else if (r->unknown_areas)
        fprintf(stderr, _("  %lld values of unknown areas skipped: %s\n"),
                (long long)r->unknown_areas, r->unknown_list);
    if (r->ntop)
        fprintf(stderr, "%s", _("  largest revisions:\n"));
    for (size_t i = 0; i < r->ntop; i++) {
        const sol_revision *v = &r->top[i];
        fprintf(stderr, "    %s (%s), %s, %s: %.15g -> %.15g\n", v->area_name, v->area,
                v->indicator, v->period, v->old_value, v->new_value);
    }
    if (r->revision_run)
        fprintf(stderr,
                _("  published figures were revised: listed with the emerging needs (run "
                  "%lld)\n"),
                (long long)r->revision_run);
}

int cmd_refresh(const cli_ctx *ctx, int argc, char **argv)
{
    conn_args a;
    memset(&a, 0, sizeof a);
    cli_args args;
    int rc = cli_parse(&REFRESH_SPEC, argc, argv, &a, &args);
    if (rc != CLI_OK)
        return rc;
    if (a.due && args.n)
        return cli_usage_error("refresh", "%s", _("give connector names or --due, not both"));
    sol_net_opts net;
    net_init(ctx, &a, &net);
    sol_store *st;
    sol_error err;
    if ((rc = cli_open_store(ctx, 1, &st, &err)) != CLI_OK)
        return rc;
    names todo = {0};
    sol_status s = SOL_OK;
    if (a.due)
        s = sol_connect_due(st, (int64_t)time(NULL), on_name, &todo, &err);
    else if (args.n)
        for (int i = 0; i < args.n; i++)
            on_name(&todo, args.v[i]);
    else
        s = sol_connect_list(st, NULL, on_all, &todo, &err);
    if (s != SOL_OK) {
        sol_store_close(st);
        return cli_fail(&err);
    }
    if (todo.n == 0)
        cli_progress(ctx, a.due ? N_("refresh: no connector is due") : N_("refresh: no connector"));
    int failed = 0;
    for (size_t i = 0; i < todo.n; i++) {
        sol_refresh_report rep;
        sol_error_clear(&err);
        if (sol_connect_refresh(st, todo.v[i], &net, &rep, &err) != SOL_OK) {
            char why[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
            sol_error_format(&err, why, sizeof why);
            fputs("solidata: ", stderr);
            fprintf(stderr, _("refresh %s: failed, nothing written: %s\n"), todo.v[i], why);
            failed = 1;
        } else {
            say_report(ctx, &rep);
            printf("%s,%s,%d,%lld,%lld,%lld\n", rep.name, rep.outcome, rep.version,
                   (long long)rep.added, (long long)rep.revised, (long long)rep.removed);
        }
        free(todo.v[i]);
    }
    sol_store_close(st);
    return failed ? CLI_FAIL : CLI_OK;
}

/* ---- serve --refresh: due connectors refreshed in the background -------------------------------
 */

typedef struct bg {
    const char *db;
    char cache[4096];
    unsigned every_s;
} bg;

static void *bg_main(void *ud)
{
    bg *b = ud;
    for (;;) {
        sol_store *st = NULL;
        sol_error err;
        if (sol_store_open(b->db, &st, &err) == SOL_OK) {
            names todo = {0};
            sol_net_opts net;
            sol_net_opts_init(&net);
            net.cache_dir = b->cache;
            if (sol_connect_due(st, (int64_t)time(NULL), on_name, &todo, &err) == SOL_OK)
                for (size_t i = 0; i < todo.n; i++) {
                    sol_refresh_report rep;
                    if (sol_connect_refresh(st, todo.v[i], &net, &rep, &err) != SOL_OK) {
                        char m[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
                        sol_error_format(&err, m, sizeof m);
                        fprintf(stderr, _("refresh %s: failed, nothing written: %s\n"), todo.v[i],
                                m);
                    }
                    free(todo.v[i]);
                }
            sol_store_close(st);
        }
        sleep(b->every_s);
    }
    return NULL;
}

int cli_connect_background(const cli_ctx *ctx, unsigned every_s)
{
    static bg b;
    b.db = ctx->db_path;
    snprintf(b.cache, sizeof b.cache, "%s", cache_dir(ctx, NULL));
    b.every_s = every_s ? every_s : 60;
    pthread_t t;
    if (pthread_create(&t, NULL, bg_main, &b) != 0)
        return cli_failf(_("cannot start the background refresh: %s"), strerror(errno));
    pthread_detach(t);
    return CLI_OK;
}
