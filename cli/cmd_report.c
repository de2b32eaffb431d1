/* cmd_report.c - `solidata report`: the printable atlas as HTML or PDF. */
#include "cli.h"
#include "opt.h"

#include <solidata/run.h>

#include <stddef.h>

typedef struct report_args {
    const char *out;
    sol_report_job o;
} report_args;

#define R(f) offsetof(report_args, f)
static const cli_opt OPTS[] = {
    {"out", CLI_STR, R(out), "FILE", N_("atlas.html (one self-contained page) or atlas.pdf"),
     .flags = CLI_REQUIRED},
    {"lang", CLI_STR, R(o.lang), "it|fr|en",
     N_("the language of the atlas (default: the language of the command)")},
    {"area", CLI_STR, R(o.area), "CODE", N_("add the profile of this area")},
    {"indicators", CLI_STR, R(o.indicators), "A,B,...",
     N_("these indicators (default: those with a stated polarity, most areas first)")},
    {"max-indicators", CLI_UINT, R(o.max_indicators), "N", N_("how many to choose"), .min = 1,
     .max = 64, .def = "6"},
    {"appendix", CLI_STR, R(o.appendix), "ranks",
     N_("add an appendix: 'ranks' lists every area by rank for each indicator and the index")},
    {0}};

static const cli_spec SPEC = {
    "report",
    "--out atlas.html|atlas.pdf [--lang it|fr|en] [--area CODE] [--indicators A,B,...]\n"
    "    [--appendix ranks]",
    N_("Write the atlas of the store to print and share, for a council: a first page\n"
       "that says what it shows and names the areas in greatest need with why, then\n"
       "one idea per page: a map and its reading for each indicator (those with a\n"
       "stated polarity, most areas first, unless --indicators names them), the\n"
       "composite index and hot spots when computed, the emerging needs and the\n"
       "forecasts, an area's profile with --area, how to read it with every source\n"
       "and its licence. Every area's rank only in the appendix of --appendix ranks.\n"
       "HTML is one self-contained page; PDF is drawn from the same SVG maps."),
    OPTS,
    NULL,
    0,
    0};

int cmd_report(const cli_ctx *ctx, int argc, char **argv)
{
    report_args a = {0};
    cli_args args;
    sol_store *st;
    sol_error err;
    int rc = cli_parse_store(ctx, &SPEC, argc, argv, &a, &args, &st, &err);
    if (rc != CLI_OK)
        return rc;
    if ((rc = cli_close_store(st, sol_run_report(st, &a.o, a.out, &err), &err)) != CLI_OK)
        return rc;
    if (!ctx->quiet)
        fprintf(stderr, _("%s: report written\n"), a.out);
    return CLI_OK;
}
