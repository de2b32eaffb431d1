/* cmd_privacy.c - `solidata keygen`, `pseudonymise`, `link`, `tabulate` and `budget`: keyed
 * pseudonyms at the source, linkage on pseudonyms, and published tables under disclosure rules
 * (sol_run_tabulate, sol_run_budget_set). */
#define _GNU_SOURCE
#include "cli.h"
#include "opt.h"

#include <solidata/csv.h>
#include <solidata/privacy.h>
#include <solidata/run_privacy.h>
#include <solidata/store.h>

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- keygen ------------------------------------------------------------------------------- */

static const cli_opt KEYGEN_OPTS[] = {
    {"out", CLI_STR, 0, "KEY", N_("the new key file"), .flags = CLI_REQUIRED}, {0}};
static const char KEYGEN_ABOUT[] =
    N_() N_("Write a new pseudonymisation key: 32 random bytes as 64 hex characters, file mode\n"
            "0600. An existing file is never overwritten. Keep the key apart from the data: with\n"
            "it, anyone holding an identifier can find its pseudonym.");
static const cli_spec KEYGEN = {"keygen", "--out KEY", KEYGEN_ABOUT, KEYGEN_OPTS, NULL, 0, 0};

int cmd_keygen(const cli_ctx *ctx, int argc, char **argv)
{
    const char *out = NULL;
    cli_args args;
    int rc = cli_parse(&KEYGEN, argc, argv, &out, &args);
    if (rc != CLI_OK)
        return rc;
    sol_error err;
    sol_error_clear(&err);
    if (sol_privacy_keygen(out, &err) != SOL_OK)
        return cli_fail(&err);
    if (!ctx->quiet)
        fprintf(stderr, _("keygen: wrote a new key to %s (mode 0600)\n"), out);
    return CLI_OK;
}

/* ---- pseudonymise ----------------------------------------------------------------------- */

typedef struct pseudo_args {
    const char *key_file, *drop;
    sol_pseudonymise_opts o;
} pseudo_args;

#define P(f) offsetof(pseudo_args, f)
static const cli_choice NORMALISE[] = {{"codice_fiscale", SOL_NORM_CODICE_FISCALE},
                                       {"nir", SOL_NORM_NIR},
                                       {"email", SOL_NORM_EMAIL},
                                       {"none", SOL_NORM_NONE},
                                       {0}};
static const cli_opt PSEUDO_OPTS[] = {
    {"key-file", CLI_STR, P(key_file), "KEY", N_("the key (solidata keygen)"),
     .flags = CLI_REQUIRED},
    {"id-column", CLI_STR, P(o.id_column), "C", N_("the column of identifiers"),
     .flags = CLI_REQUIRED},
    {"normalise", CLI_CHOICE, P(o.normalise), "N", N_("how ids are normalised before keying"),
     .choices = NORMALISE},
    {"normalize", CLI_CHOICE, P(o.normalise), "N", N_("the same as --normalise"),
     .choices = NORMALISE},
    {"drop", CLI_STR, P(drop), "COLS",
     N_("comma-separated columns to remove (names, addresses, phones, ...)")},
    {"skip-invalid", CLI_FLAG, P(o.skip_invalid), NULL,
     N_("leave out rows whose id is not valid for --normalise (counted); without it such a row "
        "is an error with file:line:column")},
    {0}};
static const char PSEUDO_ABOUT[] =
    N_() N_("Replace the id column by HMAC-SHA-256(key, normalised id) in hex, drop the declared\n"
            "direct identifiers, and report on stderr what was removed and which kept columns\n"
            "look like identifiers. The CSV goes to stdout.");
static const cli_spec PSEUDO = {"pseudonymise",
                                "--key-file KEY --id-column C [options] IN.csv > OUT.csv",
                                PSEUDO_ABOUT,
                                PSEUDO_OPTS,
                                NULL,
                                1,
                                1};

/* Split a comma list into a NULL-terminated array of pointers into `s` (modified). */
static const char **split_list(char *s, size_t *n)
{
    size_t cap = 1;
    for (const char *p = s; *p; p++)
        cap += *p == ',';
    const char **v = calloc(cap + 1, sizeof *v);
    if (v == NULL)
        return NULL;
    *n = 0;
    char *save = NULL;
    for (char *t = strtok_r(s, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (*t)
            v[(*n)++] = t;
    return v;
}

static void pseudo_report(const pseudo_args *a, const sol_pseudonymise_report *rep)
{
    fprintf(stderr,
            _("pseudonymise: %llu rows read, %llu written, %llu skipped as invalid ids\n"
              "  id column '%s' replaced by HMAC-SHA-256 of the id normalised as %s\n"),
            (unsigned long long)rep->rows_in, (unsigned long long)rep->rows_out,
            (unsigned long long)rep->rows_skipped, a->o.id_column,
            sol_privacy_normalise_name(a->o.normalise));
    fprintf(stderr, _("  dropped columns (%zu):"), rep->n_dropped);
    for (size_t i = 0; i < rep->n_dropped; i++)
        fprintf(stderr, " %s", rep->dropped[i]);
    fputc('\n', stderr);
    for (size_t i = 0; i < rep->n_suspect; i++)
        fprintf(stderr,
                _("  warning: kept column '%s' looks like a direct identifier; add it to --drop "
                  "unless it is needed\n"),
                rep->suspect[i]);
    fprintf(stderr, _("  input sha256 %s\n"), rep->input_sha256);
}

int cmd_pseudonymise(const cli_ctx *ctx, int argc, char **argv)
{
    pseudo_args a = {.o = {.normalise = SOL_NORM_NONE}};
    cli_args args;
    int rc = cli_parse(&PSEUDO, argc, argv, &a, &args);
    if (rc != CLI_OK)
        return rc;
    sol_error err;
    sol_error_clear(&err);
    uint8_t key[SOL_PRIVACY_KEY_BYTES];
    if (sol_privacy_key_load(a.key_file, key, &err) != SOL_OK)
        return cli_fail(&err);
    rc = CLI_FAIL;
    sol_csv *in = NULL;
    char *drop = a.drop ? strdup(a.drop) : NULL;
    const char **dl = NULL;
    sol_pseudonymise_report rep;
    memset(&rep, 0, sizeof rep);
    if (a.drop && (drop == NULL || (dl = split_list(drop, &a.o.n_drop)) == NULL)) {
        rc = cli_failf("out of memory");
        goto done;
    }
    a.o.drop = dl;
    if (sol_csv_open(args.v[0], NULL, &in, &err) != SOL_OK ||
        sol_privacy_pseudonymise(in, key, &a.o, cli_write_file, stdout, &rep, &err) != SOL_OK) {
        rc = cli_fail(&err);
        goto done;
    }
    if (fflush(stdout) != 0) {
        rc = cli_failf("cannot write the output: %s", strerror(errno));
        goto done;
    }
    if (!ctx->quiet)
        pseudo_report(&a, &rep);
    rc = CLI_OK;
done:
    sol_privacy_wipe(key, sizeof key);
    sol_pseudonymise_report_free(&rep);
    sol_csv_close(in);
    free(dl);
    free(drop);
    return rc;
}

/* ---- output files that appear only once something is written -------------------------------- */

/* The table's file: opened at the first write, so that a refused release creates nothing;
 * "-" is stdout. */
typedef struct out_file {
    const char *path;
    FILE *f;
    int open_errno;
} out_file;

static sol_status write_out(void *ud, const void *buf, size_t n)
{
    out_file *o = ud;
    if (o->f == NULL) {
        o->f = strcmp(o->path, "-") == 0 ? stdout : fopen(o->path, "w");
        if (o->f == NULL) {
            o->open_errno = errno;
            return SOL_EIO;
        }
    }
    return cli_write_file(o->f, buf, n);
}

/* Close the file; on failure (rc != CLI_OK) remove what was written. Returns the exit code. */
static int close_out(out_file *o, int rc)
{
    if (rc == CLI_OK && o->f == NULL)
        write_out(o, "", 0); /* nothing written: the file is still made */
    if (o->open_errno != 0)
        rc = cli_failf("%s: cannot create: %s", o->path, strerror(o->open_errno));
    else if (o->f != NULL && rc == CLI_OK && fflush(o->f) != 0)
        rc = cli_failf("cannot write the output: %s", strerror(errno));
    if (o->f != NULL && o->f != stdout) {
        if (fclose(o->f) != 0 && rc == CLI_OK)
            rc = cli_failf("cannot write %s", o->path);
        if (rc != CLI_OK)
            unlink(o->path);
    }
    return rc;
}

/* ---- link --------------------------------------------------------------------------------- */

typedef struct link_args {
    const char *left, *right, *on, *right_on, *out;
} link_args;

#define L(f) offsetof(link_args, f)
static const cli_opt LINK_OPTS[] = {
    {"left", CLI_STR, L(left), "A.csv", N_("the file streamed"), .flags = CLI_REQUIRED},
    {"right", CLI_STR, L(right), "B.csv", N_("the file held in memory (the smaller one)"),
     .flags = CLI_REQUIRED},
    {"on", CLI_STR, L(on), "COL", N_("the pseudonym column"), .flags = CLI_REQUIRED},
    {"right-on", CLI_STR, L(right_on), "COL", N_("the pseudonym column of --right"), .def = "--on"},
    {"out", CLI_STR, L(out), "F.csv", N_("write here instead of stdout")},
    {0}};
static const char LINK_ABOUT[] =
    N_() N_("Join two files pseudonymised with the same key on their pseudonym column (inner\n"
            "join, one row per matching pair; the right file is held in memory, so put the\n"
            "smaller one there). Report on stderr: rows matched and unmatched on each side,\n"
            "duplicates. Columns that are not 64-hex pseudonyms are refused.");
static const cli_spec LINK = {
    "link",     "--left A.csv --right B.csv --on COL [--right-on COL] [--out F.csv]",
    LINK_ABOUT, LINK_OPTS,
    NULL,       0,
    0};

int cmd_link(const cli_ctx *ctx, int argc, char **argv)
{
    link_args a = {.out = "-"};
    cli_args args;
    int rc = cli_parse(&LINK, argc, argv, &a, &args);
    if (rc != CLI_OK)
        return rc;
    sol_error err;
    sol_error_clear(&err);
    sol_csv *l = NULL, *r = NULL;
    out_file out = {.path = a.out};
    sol_link_report rep;
    rc = CLI_OK;
    if (sol_csv_open(a.left, NULL, &l, &err) != SOL_OK ||
        sol_csv_open(a.right, NULL, &r, &err) != SOL_OK ||
        sol_privacy_link(l, a.on, r, a.right_on ? a.right_on : a.on, write_out, &out, &rep, &err) !=
            SOL_OK)
        rc = out.open_errno ? CLI_FAIL : cli_fail(&err);
    sol_csv_close(l);
    sol_csv_close(r);
    if ((rc = close_out(&out, rc)) != CLI_OK || ctx->quiet)
        return rc;
    fprintf(stderr,
            _("link: left %llu rows (%llu matched, %llu unmatched, %llu repeating a key)\n"
              "      right %llu rows (%llu matched, %llu unmatched, %llu repeating a key)\n"
              "      %llu linked rows written\n"),
            (unsigned long long)rep.left_rows, (unsigned long long)rep.matched_left,
            (unsigned long long)rep.unmatched_left, (unsigned long long)rep.dup_rows_left,
            (unsigned long long)rep.right_rows, (unsigned long long)rep.matched_right,
            (unsigned long long)rep.unmatched_right, (unsigned long long)rep.dup_rows_right,
            (unsigned long long)rep.pairs);
    return CLI_OK;
}

/* ---- tabulate ------------------------------------------------------------------------------- */

typedef struct tab_args {
    sol_tabulate_job job;
    const char *out;
} tab_args;

/* --dp-epsilon and --epsilon: an exact positive decimal, kept as written. */
static int check_epsilon(const char *s, void *field)
{
    int64_t nano;
    if (sol_dp_parse_epsilon(s, &nano, NULL) != SOL_OK)
        return -1;
    *(const char **)field = s;
    return 0;
}

#define T(f) offsetof(tab_args, job.f)
static const cli_choice MECHANISM[] = {
    {"laplace", SOL_DP_LAPLACE}, {"gaussian", SOL_DP_GAUSSIAN}, {0}};
static const cli_opt TAB_OPTS[] = {
    {"microdata", CLI_STR, T(microdata), "F.csv", N_("the records")},
    {"microdata-sql", CLI_STR, T(microdata_sql), "URL",
     N_("the records in a PostgreSQL table instead, counted where they live (only the cells\n"
        "leave the database): postgresql://USER@HOST:PORT/DB?table=SCHEMA.NAME"),
     .excludes = "microdata"},
    {"rows", CLI_STR, T(row_field), "FIELD", N_("the field of the rows"), .flags = CLI_REQUIRED},
    {"cols", CLI_STR, T(col_field), "FIELD", N_("the field of the columns (a two-way table)")},
    {"weight", CLI_STR, T(weight_field), "W", N_("sum this field instead of counting records")},
    {"min-cell", CLI_U64, T(min_cell), "K", N_("the minimum cell size"), .min = 1, .max = INFINITY,
     .expect = N_("an integer >= 1"), .def = N_("10, or the dataset's setting")},
    {"dp-epsilon", CLI_CUSTOM, T(dp_epsilon), "E",
     N_("add exact discrete noise to every inner count (epsilon-DP for one record), spend E from "
        "the dataset's budget in the store (refused when it would overspend); margins are sums of "
        "the noisy counts, negative counts become 0"),
     .parse = check_epsilon, .expect = N_("a positive decimal with at most 9 decimals"),
     .excludes = "weight"},
    {"dp-mechanism", CLI_CHOICE, T(mechanism), "M",
     N_("laplace, or gaussian ((E, D)-DP through zCDP)"), .choices = MECHANISM,
     .needs = "dp-epsilon"},
    {"dp-delta", CLI_DOUBLE, T(delta), "D", N_("delta of the Gaussian mechanism"), .min = 0,
     .max = 1, .flags = CLI_OPEN_MIN | CLI_OPEN_MAX, .expect = N_("a number in (0, 1)")},
    {"seed", CLI_STR, T(seed), "S",
     N_("reproducible noise (keep S secret: it determines the noise); without it, noise is seeded "
        "by the operating system"),
     .needs = "dp-epsilon"},
    {"dataset", CLI_STR, T(dataset), "NAME", N_("the ledger's dataset"),
     .def = N_("the microdata file's name")},
    {"record", CLI_FLAG, T(record), NULL,
     N_("record the run in the store even without DP (DP always records)")},
    {"categories-rows", CLI_STR, T(categories_rows), "F",
     N_("the public list of the row categories (one per line): every one is released (noised "
        "zeros when absent from the data), a record outside the list is refused")},
    {"categories-cols", CLI_STR, T(categories_cols), "F", N_("the same for the columns"),
     .needs = "cols"},
    {"categories-from-data", CLI_FLAG, T(categories_from_data), NULL,
     N_("a DP release of the categories met in the data, said on stderr and in the card"),
     .excludes = "categories-rows,categories-cols"},
    {"out", CLI_STR, offsetof(tab_args, out), "F.csv", N_("the table ('-': stdout)"),
     .flags = CLI_REQUIRED},
    {0}};
static const cli_spec TABULATE = {
    "tabulate",
    "--microdata F.csv --rows FIELD [--cols FIELD] [--weight W] [options] --out F.csv\n"
    "--microdata F.csv --rows FIELD --categories-rows F --dp-epsilon E [options] --out F.csv\n"
    "--microdata-sql URL --rows FIELD [--cols FIELD] [--weight W] [options] --out F.csv",
    N_("Publish a one- or two-way table from microdata, long form: row,col,count,flag,\n"
       "margins as _total. Counts of 1..K-1 contributors are suppressed (primary), true\n"
       "zeros are published as 0, and more cells are suppressed (secondary) until no\n"
       "suppressed cell can be computed from the published ones; a suppressed cell has an\n"
       "empty count and the flag 'suppressed'. K defaults to 10, or the dataset's setting."),
    TAB_OPTS,
    N_("A DP release needs the public lists of its categories (--categories-rows F,\n"
       "--categories-cols F), so that which categories exist does not leak, or\n"
       "--categories-from-data, which releases the categories met in the data and says so on\n"
       "stderr and in the card."),
    0,
    0};

int cmd_tabulate(const cli_ctx *ctx, int argc, char **argv)
{
    tab_args a = {.out = NULL};
    sol_run_tabulate_job_init(&a.job);
    cli_args args;
    int rc = cli_parse(&TABULATE, argc, argv, &a, &args);
    if (rc != CLI_OK)
        return rc;
    sol_tabulate_job *j = &a.job;
    sol_error err;
    sol_error_clear(&err);
    if (sol_run_tabulate_check(j, &err) != SOL_OK)
        return j->dp_epsilon && !j->categories_from_data
                   ? cli_usage_error("tabulate",
                                     "a differentially private table needs the public list of "
                                     "its categories (--categories-rows F%s), so that which "
                                     "categories exist does not leak; --categories-from-data "
                                     "releases the categories met in the data instead, and "
                                     "says so in the card",
                                     j->col_field ? ", --categories-cols F" : "")
                   : cli_usage_error("tabulate", "%s", err.msg);
    if (j->dp_epsilon && j->categories_from_data && !ctx->quiet)
        fputs(_("tabulate: the categories come from the data (--categories-from-data): the "
                "release shows which categories occur; the card says so\n"),
              stderr);
    out_file out = {.path = a.out};
    j->out_name = a.out;
    j->write = write_out;
    j->write_ud = &out;
    sol_store *st = NULL;
    if ((rc = cli_open_store(ctx, j->dp_epsilon || j->record, &st, &err)) != CLI_OK)
        return rc;
    sol_tabulate_output *o = NULL;
    rc = sol_run_tabulate(st, j, &o, &err) == SOL_OK ? CLI_OK
         : out.open_errno                            ? CLI_FAIL
                                                     : cli_fail(&err);
    sol_store_close(st);
    if ((rc = close_out(&out, rc)) == CLI_OK && !ctx->quiet) {
        const sol_tab_stats *ts = &o->stats;
        fprintf(stderr,
                _("tabulate: %llu records, %zu x %zu categories, %zu entries with margins; "
                  "suppressed %zu primary (1..%llu) + %zu secondary\n"),
                (unsigned long long)ts->records, ts->nrows, ts->ncols ? ts->ncols : 1, ts->cells,
                ts->primary, (unsigned long long)(o->min_cell - 1), ts->secondary);
        if (j->dp_epsilon)
            fprintf(stderr,
                    j->mechanism == SOL_DP_GAUSSIAN
                        ? _("  gaussian noise, epsilon %s spent from dataset '%s' (release %lld)\n")
                        : _("  laplace noise, epsilon %s spent from dataset '%s' (release %lld)\n"),
                    j->dp_epsilon, o->dataset, (long long)o->release_id);
        if (o->run_id)
            fprintf(stderr, _("  recorded as run %lld; see 'solidata card %lld'\n"),
                    (long long)o->run_id, (long long)o->run_id);
    }
    sol_tabulate_output_free(o);
    return rc;
}

/* ---- budget ------------------------------------------------------------------------------- */

typedef struct budget_args {
    const char *epsilon;
    double delta;
    uint64_t min_cell;
} budget_args;

#define B(f) offsetof(budget_args, f)
static const cli_opt BUDGET_SET_OPTS[] = {
    {"epsilon", CLI_CUSTOM, B(epsilon), "E", N_("the total epsilon of the dataset's releases"),
     .parse = check_epsilon, .expect = N_("a positive decimal with at most 9 decimals")},
    {"delta", CLI_DOUBLE, B(delta), "D", N_("the total delta"), .min = 0, .max = 1,
     .flags = CLI_OPEN_MAX, .expect = N_("a number in [0, 1)")},
    {"min-cell", CLI_U64, B(min_cell), "K", N_("the minimum cell size of its tables"), .min = 1,
     .max = INFINITY, .expect = N_("an integer >= 1"), .def = "10"},
    {0}};
static const cli_sub BUDGET_SUBS[] = {{"set", N_("set a dataset's budget or minimum cell size")},
                                      {"show", N_("show a dataset's budget")},
                                      {0}};
static const char BUDGET_ABOUT[] =
    N_() N_("The privacy budget of a dataset: the total epsilon (and delta) that differentially\n"
            "private releases may spend, and the minimum cell size of its tables. A dataset\n"
            "released without a budget gets epsilon 1, delta 1e-5, minimum cell 10.\n"
            "The minimum cell size also applies to the count indicators imported as source\n"
            "DATASET: values 0 < n < K leave the store only suppressed (and their complements).");
static const cli_spec BUDGET[] = {
    {"budget set", "DATASET --epsilon E [--delta D] [--min-cell K]\nDATASET --min-cell K",
     BUDGET_ABOUT, BUDGET_SET_OPTS, NULL, 1, 1},
    {"budget show", "DATASET", BUDGET_ABOUT, NULL, NULL, 1, 1},
};

int cmd_budget(const cli_ctx *ctx, int argc, char **argv)
{
    int sub = cli_sub_find("budget", BUDGET_SUBS, argc, argv);
    if (sub < 0)
        return -sub;
    budget_args a = {.delta = SOL_PRIVACY_DEFAULT_DELTA};
    cli_args args;
    int rc = cli_parse(&BUDGET[sub], argc - 1, argv + 1, &a, &args);
    if (rc != CLI_OK)
        return rc;
    if (sub == 0 && a.epsilon == NULL && a.min_cell == 0)
        return cli_usage_error("budget set", "'budget set' needs --epsilon E (a positive "
                                             "decimal) or --min-cell K");
    const char *ds = args.v[0];
    sol_store *st;
    sol_error err;
    if ((rc = cli_open_store(ctx, 1, &st, &err)) != CLI_OK)
        return rc;
    sol_budget b;
    sol_status s = sub == 0 ? sol_run_budget_set(st, ds, a.epsilon, a.delta, a.min_cell, &b, &err)
                            : sol_budget_get(st, ds, &b, &err);
    sol_store_close(st);
    if (s != SOL_OK)
        return cli_fail(&err);
    int64_t left = b.eps_total_nano > b.eps_spent_nano ? b.eps_total_nano - b.eps_spent_nano : 0;
    printf("dataset,epsilon_total,epsilon_spent,epsilon_left,delta_total,delta_spent,releases,"
           "min_cell\n");
    cli_csv_field(stdout, ds, 0);
    printf("%lld.%09lld,%lld.%09lld,%lld.%09lld,%.17g,%.17g,%lld,%llu\n",
           (long long)(b.eps_total_nano / 1000000000), (long long)(b.eps_total_nano % 1000000000),
           (long long)(b.eps_spent_nano / 1000000000), (long long)(b.eps_spent_nano % 1000000000),
           (long long)(left / 1000000000), (long long)(left % 1000000000), b.delta_total,
           b.delta_spent, (long long)b.releases, (unsigned long long)b.min_cell);
    return CLI_OK;
}
