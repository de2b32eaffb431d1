/* cmd_report.c - `solidata report`: the printable atlas as HTML or PDF. */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/run.h>

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

int cmd_report(const cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"out", required_argument, NULL, 'o'},
                                         {"lang", required_argument, NULL, 'l'},
                                         {"area", required_argument, NULL, 'a'},
                                         {"indicators", required_argument, NULL, 'i'},
                                         {"max-indicators", required_argument, NULL, 'm'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    sol_report_opts o = {0};
    const char *out = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        char *end;
        long v;
        switch (c) {
        case 'o': out = optarg; break;
        case 'l': o.lang = optarg; break;
        case 'a': o.area = optarg; break;
        case 'i': o.indicators = optarg; break;
        case 'm':
            v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 64)
                return cli_usage_error("report", "--max-indicators %s: expected 1-64", optarg);
            o.max_indicators = (unsigned)v;
            break;
        case 'h':
            printf("usage: solidata [--db FILE] report --out atlas.html|atlas.pdf [--lang it|fr|en]\n"
                   "                [--area CODE] [--indicators A,B,...] [--max-indicators N]\n\n"
                   "Write the atlas of the store to print and share: what it holds, a map and the\n"
                   "areas most in need for each indicator (those with a stated polarity, most\n"
                   "areas first, unless --indicators names them), an area's profile with\n"
                   "--area, the computations recorded with their methods, how to read it, and\n"
                   "every source with its licence. HTML is one self-contained page; PDF is drawn\n"
                   "from the same SVG maps.\n");
            return CLI_OK;
        default:
            return cli_usage_error("report", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("report", "unexpected argument '%s'", argv[optind]);
    if (out == NULL)
        return cli_usage_error("report", "--out atlas.html or --out atlas.pdf is required");
    sol_store *st;
    int rc = cli_open_store(ctx, &st);
    if (rc != CLI_OK)
        return rc;
    sol_error err;
    sol_error_clear(&err);
    sol_status s = sol_run_report(st, &o, out, &err);
    sol_store_close(st);
    if (s != SOL_OK)
        return cli_fail(&err);
    if (!ctx->quiet)
        fprintf(stderr, "%s: report written\n", out);
    return CLI_OK;
}
