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
    {"lang", CLI_STR, R(o.lang), "it|fr|en", N_("the language of the atlas"), .def = "en"},
    {"area", CLI_STR, R(o.area), "CODE", N_("add the profile of this area")},
    {"indicators", CLI_STR, R(o.indicators), "A,B,...",
     N_("these indicators (default: those with a stated polarity, most areas first)")},
    {"max-indicators", CLI_UINT, R(o.max_indicators), "N", N_("how many to choose"), .min = 1,
     .max = 64, .def = "6"},
    {0}};

static const cli_spec SPEC = {
    "report",
    "--out atlas.html|atlas.pdf [--lang it|fr|en] [--area CODE] [--indicators A,B,...]",
    N_("Write the atlas of the store to print and share: what it holds, a map and the\n"
       "areas most in need for each indicator (those with a stated polarity, most\n"
       "areas first, unless --indicators names them), an area's profile with\n"
       "--area, the computations recorded with their methods, how to read it, and\n"
       "every source with its licence. HTML is one self-contained page; PDF is drawn\n"
       "from the same SVG maps."),
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
