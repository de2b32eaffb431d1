/* cmd_prioritise.c - 'solidata prioritise': rank options with weights people set, allocate a
 * budget (GLPK) and print the reasons; the system ranks and explains, people decide. */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/decide.h>
#include <solidata/evaluate.h>
#include <solidata/limits.h>
#include <solidata/run.h>
#include <solidata/store.h>

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *usage =
    "usage: solidata prioritise --options F.csv|F.json [--budget B] [--weights NAME=W,...]\n"
    "         [--need F.csv] [--area-min AREA=N,...] [--json] [--record]\n\n"
    "Rank options by a weighted sum (min-max scaled criteria) and by TOPSIS, and with --budget\n"
    "choose the set that maximises need-weighted expected benefit (an integer programme: budget,\n"
    "per-area minimums, mutually exclusive options), with the reasons: why each choice, which\n"
    "constraint binds, how far each dimension weight can move before the choice changes.\n"
    "Options CSV: option,cost,areas[,groups][,exclusive][,effect:<dimension>...]; areas and groups\n"
    "are '|'-separated; options with the same 'exclusive' label exclude each other.\n"
    "Options JSON: {\"options\": [{\"name\", \"cost\", \"areas\": [], \"groups\": [], \"exclusive\",\n"
    "\"effects\": {dim: x}}], \"need\": {area: x}, \"area_min\": {area: n}, \"budget\": B}.\n"
    "Criteria: each dimension, reach (need of the areas reached), groups, cost (lower is better);\n"
    "--weights sets them (unnamed ones 0; default: all equal). --need: CSV area,need (e.g. an\n"
    "index score; default 1). Output: CSV option,cost,wsum,rank_wsum,topsis,rank_topsis,benefit,\n"
    "chosen,why, or --json; explanations also on stderr.\n";

static char *slurp(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *b = malloc(max + 1);
    size_t n = b ? fread(b, 1, max + 1, f) : 0;
    int bad = b == NULL || ferror(f) || n > max;
    fclose(f);
    if (bad) {
        free(b);
        return NULL;
    }
    b[n] = '\0';
    *len = n;
    return b;
}

static int load_options(const char *path, sol_options **o, sol_error *err)
{
    size_t n = strlen(path);
    if (n > 5 && strcmp(path + n - 5, ".json") == 0) {
        size_t len = 0;
        char *txt = slurp(path, SOL_MAX_DECIDE_SPEC, &len);
        if (txt == NULL)
            return cli_failf("%s: cannot read (missing, unreadable or over %u bytes)", path,
                             SOL_MAX_DECIDE_SPEC);
        sol_status st = sol_options_parse_json(txt, len, o, err);
        free(txt);
        if (st != SOL_OK) {
            char w[SOL_ERROR_WHERE_MAX];
            snprintf(w, sizeof w, "%s%s", path, err->where);
            snprintf(err->where, sizeof err->where, "%s", w);
            return cli_fail(err);
        }
        return CLI_OK;
    }
    sol_dtable *t = NULL;
    if (sol_dtable_read(path, &t, err) != SOL_OK)
        return cli_fail(err);
    sol_status st = sol_options_from_table(t, o, err);
    sol_dtable_free(t);
    return st == SOL_OK ? CLI_OK : cli_fail(err);
}

static int load_need(const char *path, sol_options *o, sol_error *err)
{
    sol_dtable *t = NULL;
    if (sol_dtable_read(path, &t, err) != SOL_OK)
        return cli_fail(err);
    int rc = CLI_OK;
    if (sol_dtable_ncols(t) < 2) {
        rc = cli_failf("%s:1: the need file has two columns: area,need", path);
        goto done;
    }
    for (size_t i = 0; i < sol_dtable_nrows(t); i++) {
        double v;
        const char *a = sol_dtable_cell(t, i, 0);
        sol_status st = sol_dtable_number(t, i, 1, &v, err);
        if (a == NULL || st == SOL_EOF) {
            rc = cli_failf("%s:%lu: an area and its need are both required", path,
                           sol_dtable_line(t, i));
            goto done;
        }
        if (st != SOL_OK || sol_options_set_need(o, a, v, err) != SOL_OK) {
            rc = cli_fail(err);
            goto done;
        }
    }
done:
    sol_dtable_free(t);
    return rc;
}

static json_t *jnum(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

int cmd_prioritise(const cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"options", required_argument, NULL, 'o'}, {"budget", required_argument, NULL, 'b'},
        {"weights", required_argument, NULL, 'w'}, {"need", required_argument, NULL, 'n'},
        {"area-min", required_argument, NULL, 'm'}, {"json", no_argument, NULL, 'j'},
        {"record", no_argument, NULL, 'r'},         {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *optf = NULL, *budget = NULL, *wspec = NULL, *needf = NULL, *mins = NULL;
    int json = 0, rec = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': optf = optarg; break;
        case 'b': budget = optarg; break;
        case 'w': wspec = optarg; break;
        case 'n': needf = optarg; break;
        case 'm': mins = optarg; break;
        case 'j': json = 1; break;
        case 'r': rec = 1; break;
        case 'h': fputs(usage, stdout); return CLI_OK;
        default:
            return cli_usage_error("prioritise", "unknown option or missing argument: %s",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("prioritise", "unexpected argument \"%s\"", argv[optind]);
    if (optf == NULL)
        return cli_usage_error("prioritise", "--options is required");
    double B = 0;
    if (budget) {
        char *end = NULL;
        errno = 0;
        B = strtod(budget, &end);
        if (end == budget || *end != '\0' || errno || !(B >= 0) || !isfinite(B))
            return cli_usage_error("prioritise", "--budget must be a number >= 0");
    }
    sol_error err;
    sol_error_clear(&err);
    sol_options *o = NULL;
    sol_prioritise_result *r = NULL;
    double *w = NULL;
    json_t *root = NULL;
    int rc = CLI_FAIL;
    if (load_options(optf, &o, &err) != CLI_OK)
        return CLI_FAIL;
    if (budget) {
        o->has_budget = 1;
        o->budget = B;
    }
    if (needf && load_need(needf, o, &err) != CLI_OK)
        goto done;
    if (mins) {
        char *buf = strdup(mins), *save = NULL;
        if (buf == NULL)
            goto done;
        for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            char *eq = strchr(tok, '=');
            char *end = NULL;
            long n = eq ? strtol(eq + 1, &end, 10) : -1;
            if (eq == NULL || end == eq + 1 || *end != '\0' || n < 0 || n > 1000000) {
                free(buf);
                rc = cli_usage_error("prioritise", "--area-min takes AREA=N pairs, found '%s'", tok);
                goto done;
            }
            *eq = '\0';
            if (sol_options_set_min(o, tok, (int)n, &err) != SOL_OK) {
                free(buf);
                cli_fail(&err);
                goto done;
            }
        }
        free(buf);
    }
    size_t C = sol_prioritise_ncriteria(o);
    if (wspec) {
        if ((w = calloc(C, sizeof *w)) == NULL)
            goto done;
        if (sol_prioritise_weights_parse(o, wspec, w, &err) != SOL_OK) {
            cli_fail(&err);
            goto done;
        }
    }
    double minb = NAN;
    if (sol_prioritise(o, w, &r, &minb, &err) != SOL_OK) {
        cli_fail(&err);
        goto done;
    }
    root = json_object();
    json_t *crit = json_array(), *rows = json_array();
    for (size_t k = 0; k < C; k++)
        json_array_append_new(crit, json_pack("{s:s,s:s,s:o}", "criterion",
                                              sol_prioritise_criterion(o, k), "direction",
                                              k == C - 1 ? "lower is better" : "higher is better",
                                              "weight", jnum(r->weights[k])));
    json_object_set_new(root, "criteria", crit);
    for (size_t i = 0; i < o->n; i++) {
        json_t *row = json_pack("{s:s,s:o,s:o,s:I,s:o,s:I,s:o,s:s}", "option", o->opt[i].name,
                                "cost", jnum(o->opt[i].cost), "wsum", jnum(r->wsum[i]),
                                "rank_wsum", (json_int_t)r->rank_wsum[i], "topsis",
                                jnum(r->topsis[i]), "rank_topsis", (json_int_t)r->rank_topsis[i],
                                "benefit", jnum(r->benefit[i]), "why_rank", r->why[i]);
        if (r->allocated) {
            json_object_set_new(row, "chosen", json_boolean(r->chosen[i]));
            json_object_set_new(row, "why", json_string(r->choice_why[i]));
        }
        json_array_append_new(rows, row);
    }
    json_object_set_new(root, "options", rows);
    if (r->allocated) {
        json_t *a = json_pack("{s:o,s:o,s:o}", "budget", jnum(r->budget), "used", jnum(r->used),
                              "objective", jnum(r->objective));
        json_t *bind = json_array(), *sens = json_array();
        for (size_t k = 0; k < r->n_binding; k++)
            json_array_append_new(bind, json_string(r->binding[k]));
        for (size_t k = 0; k < r->n_sens; k++) {
            const sol_sensitivity *s = &r->sens[k];
            json_array_append_new(
                sens, json_pack("{s:s,s:o,s:o,s:o,s:b,s:b}", "criterion", s->criterion, "weight",
                                jnum(s->weight), "lo", jnum(s->lo), "hi", jnum(s->hi),
                                "changes_below", s->lo_changes, "changes_above", s->hi_changes));
        }
        json_object_set_new(a, "binding", bind);
        json_object_set_new(a, "sensitivity", sens);
        json_object_set_new(root, "allocation", a);
    }
    if (rec) {
        sol_store *st = NULL;
        if (cli_open_store(ctx, &st) != CLI_OK)
            goto done;
        json_t *spec = json_pack("{s:s,s:s,s:s?,s:s?,s:s?}", "command", "prioritise", "options",
                                 optf, "budget", budget, "weights", wspec, "need", needf);
        json_t *method = json_pack(
            "{s:s,s:s}", "name", "weighted sum, TOPSIS and budget allocation (0/1 programme)",
            "reference", "Hwang & Yoon (1981) TOPSIS; GLPK branch-and-cut (glp_intopt)");
        json_t *choices = json_pack("{s:o}", "weights", json_deep_copy(crit));
        char *s1 = json_dumps(spec, JSON_COMPACT), *s2 = json_dumps(method, JSON_COMPACT);
        char *s3 = json_dumps(choices, JSON_COMPACT);
        char *s4 = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(17));
        int64_t id = 0;
        sol_status q = s1 && s2 && s3 && s4 ? sol_run_record(st,
                             &(sol_run_card){.kind = "prioritise", .spec_json = s1,
                                             .method_json = s2, .choices_json = s3,
                                             .result_json = s4},
                             &id, &err)
                                            : SOL_ENOMEM;
        free(s1);
        free(s2);
        free(s3);
        free(s4);
        json_decref(spec);
        json_decref(method);
        json_decref(choices);
        sol_store_close(st);
        if (q != SOL_OK) {
            cli_fail(&err);
            goto done;
        }
        json_object_set_new(root, "run_id", json_integer((json_int_t)id));
        if (!ctx->quiet)
            fprintf(stderr, "solidata: recorded run %lld\n", (long long)id);
    }
    if (json) {
        if (json_dumpf(root, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(17)) != 0)
            goto done;
        fputc('\n', stdout);
    } else {
        printf("option,cost,wsum,rank_wsum,topsis,rank_topsis,benefit,chosen,why\n");
        for (size_t i = 0; i < o->n; i++) {
            cli_csv_field(stdout, o->opt[i].name, 0);
            cli_csv_number(stdout, o->opt[i].cost, 0);
            cli_csv_number(stdout, r->wsum[i], 0);
            printf("%zu,", r->rank_wsum[i]);
            cli_csv_number(stdout, r->topsis[i], 0);
            printf("%zu,", r->rank_topsis[i]);
            cli_csv_number(stdout, r->benefit[i], 0);
            printf("%s,", r->allocated ? (r->chosen[i] ? "1" : "0") : "");
            cli_csv_field(stdout, r->allocated ? r->choice_why[i] : r->why[i], 1);
        }
    }
    if (!ctx->quiet) {
        for (size_t i = 0; i < o->n; i++)
            fprintf(stderr, "  %s: %s\n", o->opt[i].name, r->why[i]);
        if (r->allocated) {
            fprintf(stderr, "Budget %.10g: %.10g used, need-weighted benefit %.6g\n", r->budget,
                    r->used, r->objective);
            for (size_t i = 0; i < o->n; i++)
                fprintf(stderr, "  %s: %s\n", o->opt[i].name, r->choice_why[i]);
            for (size_t k = 0; k < r->n_binding; k++)
                fprintf(stderr, "  %s\n", r->binding[k]);
            for (size_t k = 0; k < r->n_sens; k++) {
                const sol_sensitivity *s = &r->sens[k];
                fprintf(stderr,
                        "  weight of %s (%.3f): the choice holds from %.3f%s to %.3f%s\n",
                        s->criterion, s->weight, s->lo, s->lo_changes ? "" : " (down to 0)",
                        s->hi, s->hi_changes ? "" : " (all of the dimension weight)");
            }
        }
    }
    rc = CLI_OK;
done:
    json_decref(root);
    sol_prioritise_result_free(r);
    sol_options_free(o);
    free(w);
    return rc;
}
