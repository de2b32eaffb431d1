/* cmd_indicator.c - `solidata indicator edit|show`: an indicator's labels, unit, polarity,
 * dimension and count/rate kind changed after import, audited (src/run/sources.c). */
#include "cli.h"
#include "opt.h"

#include <solidata/run_sources.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#define C(f) offsetof(sol_indicator_change, f)
static const cli_opt EDIT_OPTS[] = {
    {"label", CLI_STR, C(label), "TEXT",
     N_("the default label (shown when a language has none); \"\" clears it")},
    {"label-fr", CLI_STR, C(label_fr), "TEXT", N_("the label in French")},
    {"label-it", CLI_STR, C(label_it), "TEXT", N_("the label in Italian")},
    {"label-en", CLI_STR, C(label_en), "TEXT", N_("the label in English")},
    {"unit", CLI_STR, C(unit), "TEXT", N_("the unit (%, euro, persons...)")},
    {"polarity", CLI_STR, C(polarity), "P",
     N_("higher_better, lower_better or none: what a higher value means")},
    {"dimension", CLI_STR, C(dimension), "D",
     N_("the group of the indicator (income, work, health, housing...)")},
    {"kind", CLI_STR, C(kind), "K",
     N_("count (numbers of persons or households: small values are withheld from the public), "
        "rate or other")},
    {0}};
#undef C

static const cli_sub SUBS[] = {
    {"edit", N_("change an indicator's labels, unit, polarity, dimension or kind")},
    {"show", N_("an indicator with its labels, kind and the changes made to it")},
    {0}};

static const cli_spec EDIT = {
    "indicator edit",
    "CODE [--label T] [--label-fr T] [--label-it T] [--label-en T] [--unit U]\n"
    " [--polarity higher_better|lower_better|none] [--dimension D] [--kind count|rate|other]",
    N_("Change an indicator after import. Each change is in the audit log with the old and the\n"
       "new value, in the same transaction; a change of kind recomputes disclosure control as an\n"
       "import does (a count's small values are withheld from the public). On any error the\n"
       "store is unchanged. Prints the changes as JSON."),
    EDIT_OPTS,
    NULL,
    1,
    1};

static const cli_spec SHOW = {
    "indicator show",
    "CODE",
    N_("Show an indicator as JSON: its labels in each language, unit, polarity, dimension,\n"
       "kind, values and periods, and the changes made to it (from the audit log)."),
    NULL,
    NULL,
    1,
    1};

int cmd_indicator(const cli_ctx *ctx, int argc, char **argv)
{
    int sub = cli_sub_find("indicator", SUBS, argc, argv);
    if (sub < 0)
        return -sub;
    sol_indicator_change c = {0};
    cli_args args;
    sol_store *st;
    sol_error err;
    int rc =
        cli_parse_store(ctx, sub == 0 ? &EDIT : &SHOW, argc - 1, argv + 1, &c, &args, &st, &err);
    if (rc != CLI_OK)
        return rc;
    if (sub == 0 && c.label == NULL && c.label_en == NULL && c.label_fr == NULL &&
        c.label_it == NULL && c.unit == NULL && c.dimension == NULL && c.polarity == NULL &&
        c.kind == NULL) {
        sol_store_close(st);
        return cli_usage_error(
            "indicator edit",
            "nothing to change: give a label, a unit, a polarity, a dimension or a kind");
    }
    char *j = NULL;
    sol_status s = sub == 0 ? sol_run_indicator_edit(st, args.v[0], &c, NULL, &j, &err)
                            : sol_run_indicator_show(st, args.v[0], &j, &err);
    if (s == SOL_OK)
        printf("%s\n", j);
    free(j);
    if (s != SOL_OK && err.where[0] == '-') {
        sol_store_close(st);
        return cli_job_fail("indicator edit", &err);
    }
    return cli_close_store(st, s, &err);
}
