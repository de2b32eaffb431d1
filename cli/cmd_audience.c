/* cmd_audience.c - `solidata audience define|show|list|publish|unpublish|export|map|k|remove`:
 * audiences by variables, never by names (docs/outreach.md), and `solidata takeup`: eligible
 * people against people receiving, per area. Options in tables, the run layer
 * (run_outreach.h) does the work, this file prints. */
#include "cli.h"
#include "opt.h"

#include <solidata/i18n.h>
#include <solidata/run_outreach.h>
#include <solidata/store.h>
#include <solidata/store_audience.h>

#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct au_args {
    sol_audience_job job;
    const char *lang;
    int json;
    int format;
    const char *out;
    const char *region, *country;
    const char *special;
} au_args;

static int check_lang(const char *s, void *field)
{
    sol_lang l;
    if (sol_lang_parse(s, &l, NULL) != SOL_OK)
        return -1;
    *(const char **)field = s;
    return 0;
}

#define J(f) offsetof(au_args, job.f)
#define A(f) offsetof(au_args, f)
static const cli_opt LANG_OPT[] = {{"lang", CLI_CUSTOM, A(lang), "en|fr|it",
                                    N_("the language of the card's words"), .parse = check_lang,
                                    .expect = "en, fr or it", .def = N_("from the environment")},
                                   {0}};
static const cli_opt *const SHARED_LANG[] = {LANG_OPT, NULL};

static const cli_opt DEFINE_OPTS[] = {
    {"rule", CLI_STR, J(rule), "RULE",
     N_("the rule: 'level L; within CODE; IND > N; IND in top N%; people COUNT [* share S]' "
        "(or a JSON object)"),
     .flags = CLI_REQUIRED},
    {"purpose", CLI_STR, J(purpose), "TEXT",
     N_("why this audience is reached, in words (stated on the public card)")},
    {"drop-small", CLI_FLAG, J(drop_small), NULL,
     N_("leave out the areas holding fewer than k people (and say which) instead of refusing")},
    {"preview", CLI_FLAG, J(preview), NULL,
     N_("evaluate and check only: the areas and people, nothing written")},
    {"json", CLI_FLAG, A(json), NULL, N_("print the card as JSON")},
    {0}};
static const cli_opt SHOW_OPTS[] = {{"json", CLI_FLAG, A(json), NULL, N_("the card as JSON")}, {0}};
static const cli_choice FORMATS[] = {{"places", SOL_AUDIENCE_PLACES},
                                     {"radius", SOL_AUDIENCE_RADIUS},
                                     {"csv", SOL_AUDIENCE_CSV},
                                     {NULL, 0}};
static const cli_opt EXPORT_OPTS[] = {
    {"format", CLI_CHOICE, A(format), "places|radius|csv",
     N_("places: place names with region and country; radius: centre and radius in km; csv: "
        "everything"),
     .choices = FORMATS},
    {"out", CLI_STR, A(out), "FILE", N_("write the CSV here"), .def = "stdout"},
    {"region", CLI_STR, A(region), "NAME", N_("the region in the place names"),
     .def = N_("the areas' region in the store")},
    {"country", CLI_STR, A(country), "NAME", N_("the country in the place names"),
     .def = N_("from the level's name (commune: France, comune: Italy)")},
    {0}};
static const cli_opt MAP_OPTS[] = {
    {"out", CLI_STR, A(out), "FILE.svg|.pdf|.png", N_("the printable map"), .flags = CLI_REQUIRED},
    {0}};
static const cli_opt K_OPTS[] = {
    {"special", CLI_STR, A(special), "CODE,...",
     N_("also list these indicators as special categories (health, religion, ...)")},
    {0}};
static const cli_opt NO_OPTS[] = {{0}};

static const cli_sub SUBS[] = {
    {"define", N_("define an audience from a rule over area indicators")},
    {"show", N_("the audience card: who, the rule in words, evidence, k, areas, people")},
    {"list", N_("the audiences, published and drafts")},
    {"publish", N_("publish an audience card (like an ad library entry)")},
    {"unpublish", N_("make an audience card a draft again")},
    {"export", N_("the places for advertising platforms or a CSV of the areas")},
    {"map", N_("a printable map of the areas (leafleting, door to door)")},
    {"k", N_("show or set (administrators) the minimum audience cell size")},
    {"remove", N_("remove a draft audience")},
    {0}};

/* xgettext:no-c-format */
static const char *const RULE_MORE =
    N_("The rule (statements separated by ';' or new lines):\n"
       "  level municipality            the areas' level\n"
       "  within 12, 056               areas that are, or lie within, these areas\n"
       "  period 2021                  the period of every indicator (default: each one's latest)\n"
       "  pct_income_0_10k > 30        also >=, <, <=; conditions may be joined with 'and'\n"
       "  pct_pension_recipients in top 25%   top or bottom N% of the areas in scope (type-7\n"
       "                               quantile, R's default)\n"
       "  people pension_income_n      the indicator counting the people reached\n"
       "  people pop * share rate      a count times a share (a percentage or a 0-1 share)\n"
       "  purpose public-service \"...\" required when an indicator is of a special category\n"
       "Refused: any area holding fewer than k people (the message gives the largest k that\n"
       "would pass), any combination with an audience already defined that reveals fewer than k\n"
       "people, a special category (health, religion, ...) without a public-service purpose.\n"
       "Values withheld from the public (small counts) are never used: those areas are left out.\n"
       "Example:\n"
       "  solidata audience define winter-desk --rule 'level municipality;\n"
       "    pct_pension_recipients in top 25%; pct_income_0_10k > 30; people pension_income_n'\n");

static const cli_spec SPECS[] = {
    {"audience define", "NAME --rule RULE [--purpose TEXT] [--drop-small] [--preview]",
     N_("Define an audience: a rule over area indicators and a population group, never a list\n"
        "of persons. It is evaluated on the store's public values and kept as a draft card."),
     DEFINE_OPTS, RULE_MORE, 1, 1, SHARED_LANG},
    {"audience show", "NAME [--lang L] [--json]",
     /* xgettext:no-c-format */
     N_("The audience card: who is reached, the rule in words, the evidence and its sources,\n"
        "the k used, the areas and the people reached with their 95% interval."),
     SHOW_OPTS, NULL, 1, 1, SHARED_LANG},
    {"audience list", "[--lang L]",
     N_("The audiences as CSV: name,published,areas,people,low,high,k,created_at,created_by."),
     NO_OPTS, NULL, 0, 0, SHARED_LANG},
    {"audience publish", "NAME",
     N_("Publish the audience card: the dashboard shows it to everyone, like an ad library."),
     NO_OPTS, NULL, 1, 1, NULL},
    {"audience unpublish", "NAME", N_("Make the audience card a draft again."), NO_OPTS, NULL, 1, 1,
     NULL},
    {"audience export", "NAME [--format places|radius|csv] [--out FILE]",
     N_("The audience's areas for bulk upload to advertising platforms: place names with region\n"
        "and country, or centre and radius (the circle of the area's surface, at least 1 km).\n"
        "The store holds no postal codes: give place names or radii."),
     EXPORT_OPTS, NULL, 1, 1, NULL},
    {"audience map", "NAME --out FILE.svg|.pdf|.png [--lang L]",
     N_("A printable map of the audience's areas, for leafleting and door-to-door visits."),
     MAP_OPTS, NULL, 1, 1, SHARED_LANG},
    {"audience k", "[N] [--special CODE,...]",
     N_("Show the minimum audience cell size k (persons; default 100), or set it (an\n"
        "administrator's choice, written to the audit log). --special lists indicators the\n"
        "organisation counts as special categories besides those found by their dimension and\n"
        "words."),
     K_OPTS, NULL, 0, 1, NULL},
    {"audience remove", "NAME",
     N_("Remove a draft audience (a published one must be withdrawn first)."), NO_OPTS, NULL, 1, 1,
     NULL},
};

static sol_lang lang_of(const au_args *a)
{
    sol_lang l = sol_lang_current();
    if (a->lang)
        sol_lang_parse(a->lang, &l, NULL);
    return l;
}

static int print_text(const char *s)
{
    fputs(s, stdout);
    return ferror(stdout) ? CLI_FAIL : CLI_OK;
}

static int do_list(sol_store *st, const au_args *a, sol_error *err, sol_status *s)
{
    char *text = NULL;
    *s = sol_run_audience_list(st, lang_of(a), 1, &text, err);
    if (*s != SOL_OK)
        return CLI_OK;
    /* the list is read back from the JSON the API serves: one shape for both */
    json_t *j = json_loads(text, 0, NULL);
    sol_free(text);
    if (j == NULL)
        return cli_failf("%s", _("internal error: the audience list is not JSON"));
    printf("name,published,areas,people,low,high,k,created_at,created_by,group\n");
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(j, "audiences"), i, c)
    {
        json_t *p = json_object_get(c, "people");
        char n[24], e[24], lo[24], hi[24], k[24];
        snprintf(n, sizeof n, "%zu", json_array_size(json_object_get(c, "areas")));
        snprintf(e, sizeof e, "%lld",
                 (long long)json_integer_value(json_object_get(p, "estimate")));
        snprintf(lo, sizeof lo, "%lld", (long long)json_integer_value(json_object_get(p, "low")));
        snprintf(hi, sizeof hi, "%lld", (long long)json_integer_value(json_object_get(p, "high")));
        snprintf(k, sizeof k, "%lld", (long long)json_integer_value(json_object_get(c, "k")));
        cli_csv_fields(
            stdout,
            (const char *const[]){json_string_value(json_object_get(c, "name")),
                                  json_is_true(json_object_get(c, "published")) ? "1" : "0", n, e,
                                  lo, hi, k, json_string_value(json_object_get(c, "created_at")),
                                  json_string_value(json_object_get(c, "created_by")),
                                  json_string_value(json_object_get(c, "group"))},
            10);
    }
    json_decref(j);
    return CLI_OK;
}

int cmd_audience(const cli_ctx *ctx, int argc, char **argv)
{
    int sub = cli_sub_find("audience", SUBS, argc, argv);
    if (sub < 0)
        return -sub;
    const cli_spec *spec = &SPECS[sub];
    au_args a;
    memset(&a, 0, sizeof a);
    sol_run_audience_job_init(&a.job);
    cli_args args;
    int rc = cli_parse(spec, argc - 1, argv + 1, &a, &args);
    if (rc != CLI_OK)
        return rc;
    const char *what = SUBS[sub].name;
    const char *name = args.n > 0 ? args.v[0] : NULL;
    long long newk = 0;
    if (strcmp(what, "k") == 0 && name) {
        char *end = NULL;
        newk = strtoll(name, &end, 10);
        if (end == name || *end != '\0' || newk < 1 || newk > 1000000000)
            return cli_usage_error(spec->cmd,
                                   "N: expected a whole number of persons from 1 to "
                                   "1000000000, not '%s'",
                                   name);
    }
    if (a.lang) {
        sol_lang l;
        if (sol_lang_parse(a.lang, &l, NULL) == SOL_OK)
            sol_lang_set_default(l);
    }
    sol_store *st = NULL;
    sol_error err;
    if ((rc = cli_open_store(ctx, 1, &st, &err)) != CLI_OK)
        return rc;
    sol_status s = SOL_OK;
    sol_lang l = lang_of(&a);
    if (strcmp(what, "define") == 0) {
        sol_audience_output *o = NULL;
        a.job.name = name;
        s = sol_run_audience_define(st, &a.job, &o, &err);
        if (s != SOL_OK) {
            sol_store_close(st);
            return cli_job_fail(spec->cmd, &err);
        }
        if (a.json)
            printf("%s\n", o->card);
        char x[64], y[64], z[64];
        sol_lang_number(l, o->people, 0, 1, x, sizeof x);
        sol_lang_number(l, o->low, 0, 1, y, sizeof y);
        sol_lang_number(l, o->high, 0, 1, z, sizeof z);
        if (!a.json)
            printf("%s\n", a.job.preview ? _("preview: nothing was written") : name);
        if (!ctx->quiet) {
            fprintf(stderr,
                    a.job.preview ? _("solidata: audience '%s' (preview): %zu area(s), about %s "
                                      "people (95%% interval %s to %s)\n")
                                  : _("solidata: audience '%s' defined as a draft: %zu area(s), "
                                      "about %s people (95%% interval %s to %s); 'solidata "
                                      "audience show %s' shows its card\n"),
                    name, o->n_areas, x, y, z, name);
            cli_notes(ctx, N_("note"), o->notes, o->n_notes);
            if (o->run_id > 0)
                cli_say_recorded((long long)o->run_id);
        }
        sol_audience_output_free(o);
    } else if (strcmp(what, "show") == 0) {
        char *out = NULL;
        s = a.json ? sol_run_audience_card(st, name, l, 1, &out, &err)
                   : sol_run_audience_text(st, name, l, 1, &out, &err);
        if (s == SOL_OK) {
            print_text(out);
            if (a.json)
                putchar('\n');
        }
        sol_free(out);
    } else if (strcmp(what, "list") == 0) {
        rc = do_list(st, &a, &err, &s);
    } else if (strcmp(what, "publish") == 0 || strcmp(what, "unpublish") == 0) {
        int on = strcmp(what, "publish") == 0, changed = 0;
        s = sol_run_audience_publish(st, name, on, NULL, &changed, &err);
        if (s == SOL_OK && !ctx->quiet) {
            fputs("solidata: ", stderr);
            fprintf(stderr,
                    on ? (changed ? _("audience '%s' published: its card is public")
                                  : _("audience '%s' was already published"))
                       : (changed ? _("audience '%s' is a draft again: its card is no longer "
                                      "public")
                                  : _("audience '%s' was already a draft")),
                    name);
            fputc('\n', stderr);
        }
    } else if (strcmp(what, "export") == 0) {
        char *csv = NULL;
        size_t len = 0;
        s = sol_run_audience_export(st, name, (sol_audience_format)a.format, a.region, a.country, 1,
                                    &csv, &len, &err);
        if (s == SOL_OK) {
            FILE *f = cli_out_open(a.out);
            if (f == NULL)
                rc = CLI_FAIL;
            else {
                fwrite(csv, 1, len, f);
                rc = cli_out_close(f, a.out);
            }
            if (rc == CLI_OK && !ctx->quiet && a.format != SOL_AUDIENCE_CSV)
                fprintf(stderr, "solidata: %s\n",
                        a.format == SOL_AUDIENCE_RADIUS
                            ? _("radius: the circle with the area's surface, rounded up to "
                                "0.1 km, at least 1 km; centre: the area's centroid")
                            : _("the store holds no postal codes: places are named with their "
                                "region and country"));
        }
        sol_free(csv);
    } else if (strcmp(what, "map") == 0) {
        s = sol_run_audience_map(st, name, l, a.out, &err);
        if (s == SOL_OK && !ctx->quiet)
            fprintf(stderr, _("solidata: map written to %s\n"), a.out);
    } else if (strcmp(what, "k") == 0) {
        int64_t k = 0;
        if (name)
            s = sol_store_audience_k_set(st, (int64_t)newk, NULL, &err);
        if (s == SOL_OK && a.special)
            s = sol_store_audience_special_set(st, a.special, NULL, &err);
        if (s == SOL_OK)
            s = sol_store_audience_k(st, &k, &err);
        if (s == SOL_OK) {
            printf("%lld\n", (long long)k);
            if (!ctx->quiet && name)
                fprintf(stderr,
                        _("solidata: the minimum audience cell size is now %lld people; "
                          "audiences already defined keep the k they were checked with\n"),
                        (long long)k);
        }
    } else if (strcmp(what, "remove") == 0) {
        s = sol_run_audience_remove(st, name, NULL, &err);
        if (s == SOL_OK && !ctx->quiet)
            fprintf(stderr, _("solidata: audience '%s' removed\n"), name);
    }
    sol_status cs = s;
    int crc = cli_close_store(st, cs, &err);
    return rc != CLI_OK ? rc : crc;
}

/* ---- takeup ------------------------------------------------------------------------------------
 */

typedef struct tu_args {
    sol_takeup_job job;
    const char *out;
    int json;
} tu_args;

#define T(f) offsetof(tu_args, job.f)
static const cli_opt TAKEUP_OPTS[] = {
    {"eligible", CLI_STR, T(eligible), "RULE|CODE",
     N_("the people eligible: an indicator counting them, or a rule such as 'people POP * share "
        "RATE' (population times a poverty rate)"),
     .flags = CLI_REQUIRED},
    {"receiving", CLI_STR, T(receiving), "CODE",
     N_("the indicator counting the people receiving the benefit or service"),
     .flags = CLI_REQUIRED},
    {"level", CLI_STR, T(level), "L", N_("the areas' level"),
     .def = N_("the rule's, else the eligible count's")},
    {"period", CLI_STR, T(period), "P", N_("the period of --receiving"), .def = N_("the latest")},
    {"missing-as-zero", CLI_FLAG, T(missing_zero), NULL,
     N_("an area with no count of people receiving receives none (an organisation's own "
        "list of the areas it serves)")},
    {"as-audience", CLI_STR, T(as_audience), "NAME",
     N_("define an audience of the areas whose gap is surely above zero, largest first")},
    {"top", CLI_SIZE, T(top), "N", N_("with --as-audience: at most N areas"), .min = 1, .max = 64,
     .flags = CLI_NO_DEFAULT, .def = "20"},
    {"purpose", CLI_STR, T(purpose), "TEXT", N_("with --as-audience: its purpose in words")},
    {"out", CLI_STR, offsetof(tu_args, out), "FILE", N_("write the CSV (or JSON) here"),
     .def = "stdout"},
    {"json", CLI_FLAG, offsetof(tu_args, json), NULL, N_("one JSON object instead of CSV")},
    {0}};

static const cli_spec TAKEUP_SPEC = {
    "takeup",
    "--eligible RULE|CODE --receiving CODE [--level L] [--as-audience NAME]",
    N_("Non-take-up: per area, the people eligible for a benefit or service (a count, or a\n"
       "count times a share with the interval from the share's standard error) against the\n"
       "people receiving it (an organisation's or a public body's counts), the gap with its 95%\n"
       "interval, the take-up rate, and the areas ranked where going towards people matters\n"
       "most (largest gap first; ties by the gap's lower bound, then by code). The run is\n"
       "recorded with its method card."),
    TAKEUP_OPTS,
    N_("Output: CSV rank,code,name,eligible,eligible_low,eligible_high,receiving,gap,gap_low,\n"
       "gap_high,rate,sure (sure: the whole interval of the gap is above zero).\n"),
    0,
    0,
    NULL};

int cmd_takeup(const cli_ctx *ctx, int argc, char **argv)
{
    tu_args a;
    memset(&a, 0, sizeof a);
    sol_run_takeup_job_init(&a.job);
    a.job.record = 1;
    cli_args args;
    sol_store *st = NULL;
    sol_error err;
    int rc = cli_parse_store(ctx, &TAKEUP_SPEC, argc, argv, &a, &args, &st, &err);
    if (rc != CLI_OK)
        return rc;
    sol_takeup_output *o = NULL;
    sol_status s = sol_run_takeup(st, &a.job, &o, &err);
    sol_store_close(st);
    if (s != SOL_OK)
        return cli_job_fail(TAKEUP_SPEC.cmd, &err);
    FILE *f = cli_out_open(a.out);
    if (f == NULL) {
        sol_takeup_output_free(o);
        return CLI_FAIL;
    }
    if (a.json)
        fprintf(f, "%s\n", o->json);
    else {
        fprintf(f, "rank,code,name,eligible,eligible_low,eligible_high,receiving,gap,gap_low,"
                   "gap_high,rate,sure\n");
        for (size_t i = 0; i < o->n; i++) {
            fprintf(f, "%zu,", o->rank[i]);
            cli_csv_field(f, o->code[i], 0);
            cli_csv_field(f, o->name[i], 0);
            cli_csv_number(f, o->eligible[i], 0);
            cli_csv_number(f, o->eligible_low[i], 0);
            cli_csv_number(f, o->eligible_high[i], 0);
            cli_csv_number(f, o->receiving[i], 0);
            cli_csv_number(f, o->gap[i], 0);
            cli_csv_number(f, o->gap_low[i], 0);
            cli_csv_number(f, o->gap_high[i], 0);
            cli_csv_number(f, o->rate[i], 0);
            fprintf(f, "%d\n", o->gap_low[i] > 0);
        }
    }
    rc = cli_out_close(f, a.out);
    if (!ctx->quiet) {
        cli_notes(ctx, N_("note"), o->notes, o->n_notes);
        if (o->run_id > 0)
            cli_say_recorded((long long)o->run_id);
        if (o->audience_id > 0)
            fprintf(stderr,
                    _("solidata: audience '%s' defined as a draft from the areas with the largest "
                      "gaps; 'solidata audience show %s' shows its card\n"),
                    a.job.as_audience, a.job.as_audience);
    }
    sol_takeup_output_free(o);
    return rc;
}
