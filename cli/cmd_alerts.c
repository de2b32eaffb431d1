/* cmd_alerts.c - `solidata alerts`: the option table fills a sol_alerts_job, sol_run_alerts tests
 * every series of the store and records the run, and this file prints the ranked alerts (CSV or
 * the run's JSON). `solidata anomalies` is a per-series analysis: cmd_time.c. */
#include "cli.h"
#include "opt.h"

#include <solidata/alerts.h>
#include <solidata/store.h>

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef struct alerts_args {
    sol_alerts_job job;
    int lang, json, latest;
    const char *out;
} alerts_args;

#define J(f) offsetof(alerts_args, job.f)
#define A(f) offsetof(alerts_args, f)

static const cli_choice LANGS[] = {{"en", 0}, {"it", 1}, {"fr", 2}, {0}};
static const cli_opt ALERTS_OPTS[] = {
    {"since", CLI_STR, J(since), "P", N_("first period of the window"),
     .def = N_("the latest year minus 5")},
    {"indicator", CLI_STR, J(indicators), "CODE,...",
     N_("only these indicators (default: every indicator with a polarity)")},
    {"fdr", CLI_DOUBLE, J(fdr), "Q", N_("false discovery rate"), .min = 0, .max = 1,
     .flags = CLI_OPEN_MIN, .expect = N_("a rate in (0, 1], e.g. 0.1")},
    {"lang", CLI_CHOICE, A(lang), "en|it|fr", N_("the language of the sentences"),
     .choices = LANGS},
    {"json", CLI_FLAG, A(json), NULL, N_("print the run's result (every sentence) instead of CSV")},
    {"out", CLI_STR, A(out), "F.csv", N_("write here instead of stdout")},
    {"latest", CLI_FLAG, A(latest), NULL,
     N_("list the latest recorded alerts, with the published figures a provider revised, "
        "without testing again")},
    {0}};

static const cli_spec SPEC = {
    "alerts",
    "[--since P] [--indicator CODE,...] [--fdr Q] [--lang en|it|fr] [--json] [--out F]\n"
    "--latest [--lang en|it|fr] [--json] [--out F]",
    N_("One ranked list of emerging needs over every indicator x area series of the store.\n"
       "Each series is tested three ways: a Mann-Kendall trend over the window (periods from\n"
       "--since on), a Pettitt change whose first period after falls in the window, and the\n"
       "robust z of the latest period's remainder (running median for annual series, classical\n"
       "decomposition otherwise). All p-values are adjusted together (Benjamini-Hochberg) and\n"
       "alerts with q <= --fdr are kept. Direction follows the indicator's polarity: 'worsening'\n"
       "means the need grows. Indicators without a polarity are left out. Ranked by strength\n"
       "(trend and change: effect over the series' noise; anomaly: |z|). The run is recorded\n"
       "(kind 'alerts'; GET /api/alerts serves the latest)."),
    ALERTS_OPTS,
    N_("Output: CSV rank,area,area_name,indicator,indicator_label,kind,direction,strength,since,\n"
       "p,q,sentence (sentence in --lang); --json prints the run's result instead.\n")};

static void print_alerts(FILE *f, const alerts_args *a, const sol_alerts_output *o)
{
    if (a->json) {
        fputs(o->result_json, f);
        fputc('\n', f);
        return;
    }
    fputs("rank,area,area_name,indicator,indicator_label,kind,direction,strength,since,p,q,"
          "sentence\n",
          f);
    for (size_t i = 0; i < o->n; i++) {
        const sol_alert *x = &o->alerts[i];
        fprintf(f, "%zu,", x->rank);
        const char *text[] = {x->area, x->area_name, x->indicator, x->indicator_label,
                              x->kind, x->direction};
        for (size_t k = 0; k < 6; k++)
            cli_csv_field(f, text[k], 0);
        cli_csv_number(f, x->strength, 0);
        cli_csv_field(f, x->since, 0);
        cli_csv_number(f, x->p, 0);
        cli_csv_number(f, x->q, 0);
        cli_csv_field(f, x->sentence[a->lang], 1);
    }
}

/* --latest: the recorded list as the dashboard shows it (revisions of published figures first) */
static int print_latest(const alerts_args *a, sol_store *st)
{
    static const char *const LANG_KEY[] = {"en", "it", "fr"};
    char *s = NULL;
    sol_error err;
    sol_error_clear(&err);
    if (cli_close_store(st, sol_run_alerts_latest(st, &s, &err), &err) != CLI_OK)
        return CLI_FAIL;
    FILE *f = cli_out_open(a->out);
    if (f == NULL) {
        sol_free(s);
        return CLI_FAIL;
    }
    if (a->json) {
        fprintf(f, "%s\n", s);
    } else {
        json_t *j = json_loads(s, 0, NULL), *x;
        size_t i;
        fputs("kind,area,area_name,indicator,since,sentence\n", f);
        json_array_foreach(json_object_get(j, "alerts"), i, x)
        {
            const char *v[] = {json_string_value(json_object_get(x, "kind")),
                               json_string_value(json_object_get(x, "area")),
                               json_string_value(json_object_get(x, "area_name")),
                               json_string_value(json_object_get(x, "indicator")),
                               json_string_value(json_object_get(x, "since")),
                               json_string_value(json_object_get(json_object_get(x, "sentence"),
                                                                 LANG_KEY[a->lang]))};
            cli_csv_fields(f, v, 6);
        }
        json_decref(j);
    }
    sol_free(s);
    return cli_out_close(f, a->out);
}

int cmd_alerts(const cli_ctx *ctx, int argc, char **argv)
{
    if (strcmp(argv[0], "anomalies") == 0)
        return cmd_time(ctx, argc, argv);
    alerts_args a = {0};
    sol_run_alerts_job_init(&a.job);
    static const int SENTENCE_OF[SOL_LANG_COUNT] = {
        [SOL_LANG_EN] = 0, [SOL_LANG_IT] = 1, [SOL_LANG_FR] = 2};
    a.lang = SENTENCE_OF[sol_lang_current()]; /* the command's language unless --lang says */
    cli_args args;
    sol_store *st;
    sol_error err;
    int rc = cli_parse_store(ctx, &SPEC, argc, argv, &a, &args, &st, &err);
    if (rc != CLI_OK)
        return rc;
    if (a.latest)
        return print_latest(&a, st);
    sol_alerts_output *o = NULL;
    if (cli_close_store(st, sol_run_alerts(st, &a.job, &o, &err), &err) != CLI_OK)
        return CLI_FAIL;
    FILE *f = cli_out_open(a.out);
    if (f == NULL) {
        sol_alerts_output_free(o);
        return CLI_FAIL;
    }
    print_alerts(f, &a, o);
    if ((rc = cli_out_close(f, a.out)) == CLI_OK)
        cli_progress(ctx,
                     sol_ngettext("alerts: %zu alert from %zu tests (q <= %g); run %lld recorded",
                                  "alerts: %zu alerts from %zu tests (q <= %g); run %lld recorded",
                                  o->n),
                     o->n, o->tests, o->fdr, (long long)o->run_id);
    sol_alerts_output_free(o);
    return rc;
}
