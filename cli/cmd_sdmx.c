/* cmd_sdmx.c - `solidata sdmx read|structure`: an SDMX data message as a long CSV, and what a
 * structure message declares (dataflows, dimensions, codelists) with names in one language. */
#include "cli.h"
#include "opt.h"

#include <solidata/sdmx.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sdmx_args {
    sol_sdmx_format format;
    const char *out;
    const char *lang;
    const char *structure; /* read: a structure message telling dimensions from attributes */
    int summary;
} sdmx_args;

#define A(f) offsetof(sdmx_args, f)
static const cli_choice FORMATS[] = {{"auto", SOL_SDMX_AUTO},
                                     {"generic", SOL_SDMX_ML_GENERIC},
                                     {"structure-specific", SOL_SDMX_ML_SPECIFIC},
                                     {"json", SOL_SDMX_JSON},
                                     {"csv", SOL_SDMX_CSV},
                                     {0}};
static const cli_opt READ_OPTS[] = {
    {"format", CLI_CHOICE, A(format), "F", N_("the message's format"), .choices = FORMATS,
     .def = N_("told from the first bytes")},
    {"structure", CLI_STR, A(structure), "F.xml",
     N_("its structure message: only the dimensions it declares become columns")},
    {"out", CLI_STR, A(out), "F.csv", N_("write the CSV here instead of stdout")},
    {"summary", CLI_FLAG, A(summary), NULL,
     N_("print the dimensions and their numbers of codes instead of the observations")},
    {0}};
static const cli_opt STRUCT_OPTS[] = {
    {"lang", CLI_STR, A(lang), "it|fr|en", N_("the language of the names"),
     .def = N_("the language of messages")},
    {"out", CLI_STR, A(out), "F.csv", N_("write the list here instead of stdout")},
    {0}};

static const cli_sub SUBS[] = {
    {"read", N_("an SDMX data message (XML, JSON or CSV) as a long CSV")},
    {"structure", N_("the dataflows, dimensions and codelists of a structure message")},
    {0}};

static const cli_spec SPECS[] = {
    {"sdmx read", "FILE [--format F] [--structure F.xml] [--out F.csv]",
     N_("Read a data message as published by ISTAT, INSEE, Eurostat, the ECB and other SDMX\n"
        "providers (SDMX-ML 2.1 generic or structure-specific, SDMX-ML 3.0, SDMX-JSON 1.0/2.0,\n"
        "SDMX-CSV 1.0/2.0) and write one row per observation."),
     READ_OPTS,
     N_("Columns: one per dimension in the message's order (TIME_PERIOD among them),\n"
        "OBS_VALUE (empty when the message gives no number) and OBS_STATUS.\n"
        "Example: solidata sdmx read 22_289.xml --out population.csv\n"),
     1, 1, NULL},
    {"sdmx structure", "FILE [--lang it|fr|en] [--out F.csv]",
     N_("List what an SDMX-ML structure message declares: its dataflows, the dimensions of each\n"
        "data structure and the codes of each codelist, with their names."),
     STRUCT_OPTS,
     N_("Columns: kind (dataflow, dimension, codelist, code), agency, id, parent (the structure\n"
        "of a dataflow or dimension, the codelist of a code), position, codelist, name.\n"),
     1, 1, NULL},
};

/* A text field from a provider (code, name): as cli_csv_field, except that one starting with
 * '=', '+', '-', '@', a tab or a CR (a spreadsheet formula) is quoted with a single quote put
 * before it (OWASP CSV injection), as the library's own CSV outputs do. */
static void text_field(FILE *out, const char *s, int last)
{
    if (s == NULL || *s == '\0' || strchr("=+-@\t\r", *s) == NULL) {
        cli_csv_field(out, s, last);
        return;
    }
    fputs("\"'", out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
    fputc(last ? '\n' : ',', out);
}

/* The whole file in memory (SDMX messages are read whole); NULL after a message. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) {
        cli_failf("cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    while (b != NULL) {
        size_t k = fread(b + n, 1, cap - n, f);
        n += k;
        if (n < cap) {
            if (ferror(f)) {
                free(b);
                b = NULL;
                cli_failf("cannot read %s: %s", path, strerror(errno));
                break;
            }
            break;
        }
        if (cap >= SOL_SDMX_MAX_MESSAGE) {
            free(b);
            b = NULL;
            cli_failf("%s is larger than %u bytes", path, SOL_SDMX_MAX_MESSAGE);
            break;
        }
        char *nb = realloc(b, cap * 2);
        if (nb == NULL) {
            free(b);
            b = NULL;
            cli_failf("out of memory reading %s", path);
            break;
        }
        b = nb;
        cap *= 2;
    }
    if (f != stdin)
        fclose(f);
    *len = n;
    return b;
}

static int do_read(const cli_ctx *ctx, const sdmx_args *a, const char *path)
{
    size_t len, slen = 0;
    char *buf = slurp(path, &len);
    if (buf == NULL)
        return CLI_FAIL;
    sol_error err;
    sol_error_clear(&err);
    sol_sdmx_structure *st = NULL;
    const sol_sdmx_dsd *dsd = NULL;
    if (a->structure != NULL) {
        char *sb = slurp(a->structure, &slen);
        if (sb == NULL) {
            free(buf);
            return CLI_FAIL;
        }
        sol_status s = sol_sdmx_structure_parse(sb, slen, a->structure, &st, &err);
        free(sb);
        if (s != SOL_OK) {
            free(buf);
            return cli_fail(&err);
        }
        if (st->ndsd == 0) {
            free(buf);
            sol_sdmx_structure_free(st);
            return cli_failf("%s declares no data structure (DSD)", a->structure);
        }
        dsd = &st->dsd[0];
    }
    sol_sdmx_data *d = NULL;
    sol_status s = sol_sdmx_data_parse_dsd(buf, len, path, a->format, dsd, &d, &err);
    free(buf);
    sol_sdmx_structure_free(st);
    if (s != SOL_OK)
        return cli_fail(&err);
    FILE *out = cli_out_open(a->out);
    if (out == NULL) {
        sol_sdmx_data_free(d);
        return CLI_FAIL;
    }
    if (a->summary) {
        fputs("dimension,codes,first_codes\n", out);
        for (size_t i = 0; i < d->ndim; i++) {
            text_field(out, d->dim_id[i], 0);
            fprintf(out, "%zu,", d->ncode[i]);
            char first[5 * (SOL_SDMX_MAX_CODE + 1) + 1];
            size_t k = 0;
            first[0] = '\0';
            for (size_t j = 0; j < d->ncode[i] && j < 5; j++)
                k += (size_t)snprintf(first + k, k < sizeof first ? sizeof first - k : 0, "%s%s",
                                      j ? " " : "", d->code[i][j]);
            text_field(out, first, 1);
        }
    } else {
        for (size_t i = 0; i < d->ndim; i++)
            text_field(out, d->dim_id[i], 0);
        fputs("OBS_VALUE,OBS_STATUS\n", out);
        for (size_t o = 0; o < d->nobs; o++) {
            const uint32_t *k = d->key + o * d->ndim;
            for (size_t i = 0; i < d->ndim; i++)
                text_field(out, d->code[i][k[i]], 0);
            cli_csv_number(out, d->value[o], 0);
            text_field(out, d->status[o] == UINT32_MAX ? "" : d->status_code[d->status[o]], 1);
        }
    }
    int rc = cli_out_close(out, a->out);
    if (rc == CLI_OK && a->out != NULL)
        cli_progress(ctx,
                     sol_ngettext("sdmx read: %zu observation (%s) in %s",
                                  "sdmx read: %zu observations (%s) in %s", (unsigned long)d->nobs),
                     d->nobs, sol_sdmx_format_name(d->format), a->out);
    sol_sdmx_data_free(d);
    return rc;
}

static void row(FILE *out, const char *kind, const char *agency, const char *id, const char *parent,
                int position, const char *codelist, const char *name)
{
    cli_csv_field(out, kind, 0);
    text_field(out, agency, 0);
    text_field(out, id, 0);
    text_field(out, parent, 0);
    if (position >= 0)
        fprintf(out, "%d,", position);
    else
        fputc(',', out);
    text_field(out, codelist, 0);
    text_field(out, name, 1);
}

static int do_structure(const sdmx_args *a, const char *path)
{
    sol_error err;
    sol_error_clear(&err);
    sol_lang lang = sol_lang_current();
    if (a->lang != NULL && sol_lang_parse(a->lang, &lang, &err) != SOL_OK)
        return cli_usage_error("sdmx structure", "--lang: %s", err.msg);
    size_t len;
    char *buf = slurp(path, &len);
    if (buf == NULL)
        return CLI_FAIL;
    sol_sdmx_structure *s = NULL;
    sol_status st = sol_sdmx_structure_parse(buf, len, path, &s, &err);
    free(buf);
    if (st != SOL_OK)
        return cli_fail(&err);
    FILE *out = cli_out_open(a->out);
    if (out == NULL) {
        sol_sdmx_structure_free(s);
        return CLI_FAIL;
    }
    fputs("kind,agency,id,parent,position,codelist,name\n", out);
    for (size_t i = 0; i < s->ndataflow; i++) {
        const sol_sdmx_dataflow *f = &s->dataflow[i];
        row(out, "dataflow", f->agency, f->id, f->dsd, -1, NULL, sol_sdmx_name(&f->name, lang));
    }
    for (size_t i = 0; i < s->ndsd; i++) {
        const sol_sdmx_dsd *d = &s->dsd[i];
        row(out, "structure", d->agency, d->id, NULL, -1, NULL, sol_sdmx_name(&d->name, lang));
        for (size_t j = 0; j < d->ndim; j++) {
            const sol_sdmx_dimension *m = &d->dim[j];
            const sol_sdmx_codelist *cl = sol_sdmx_codelist_find(s, m->codelist);
            row(out, "dimension", d->agency, m->id, d->id, m->position, m->codelist,
                cl ? sol_sdmx_name(&cl->name, lang) : NULL);
        }
    }
    for (size_t i = 0; i < s->ncodelist; i++) {
        const sol_sdmx_codelist *c = &s->codelist[i];
        row(out, "codelist", c->agency, c->id, NULL, -1, NULL, sol_sdmx_name(&c->name, lang));
        for (size_t j = 0; j < c->ncode; j++)
            row(out, "code", c->agency, c->code[j].id, c->code[j].parent, -1, c->id,
                sol_sdmx_name(&c->code[j].name, lang));
    }
    sol_sdmx_structure_free(s);
    return cli_out_close(out, a->out);
}

int cmd_sdmx(const cli_ctx *ctx, int argc, char **argv)
{
    int sub = cli_sub_find("sdmx", SUBS, argc, argv);
    if (sub < 0)
        return -sub;
    sdmx_args a;
    memset(&a, 0, sizeof a);
    cli_args args;
    int rc = cli_parse(&SPECS[sub], argc - 1, argv + 1, &a, &args);
    if (rc != CLI_OK)
        return rc;
    return sub == 0 ? do_read(ctx, &a, args.v[0]) : do_structure(&a, args.v[0]);
}
