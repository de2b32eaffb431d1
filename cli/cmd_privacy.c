/* cmd_privacy.c - `solidata keygen`, `pseudonymise`, `link`, `tabulate` and `budget`: keyed
 * pseudonyms at the source, linkage on pseudonyms, and published tables under disclosure rules. */
#define _GNU_SOURCE
#include "cli.h"

#include <solidata/csv.h>
#include <solidata/privacy.h>
#include <solidata/run.h>
#include <solidata/store.h>

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sol_status write_file(void *ud, const void *buf, size_t n)
{
    return fwrite(buf, 1, n, (FILE *)ud) == n ? SOL_OK : SOL_EIO;
}

static int help_or_unknown(const char *cmd, int c, char **argv, const char *usage)
{
    if (c == 'h') {
        fputs(usage, stdout);
        return CLI_OK;
    }
    return cli_usage_error(cmd, "unknown option or missing argument '%s'", argv[optind - 1]);
}

/* ---- keygen ------------------------------------------------------------------------------- */

static const char keygen_usage[] =
    "usage: solidata keygen --out KEY\n\n"
    "Write a new pseudonymisation key: 32 random bytes as 64 hex characters, file mode\n"
    "0600. An existing file is never overwritten. Keep the key apart from the data: with\n"
    "it, anyone holding an identifier can find its pseudonym.\n";

int cmd_keygen(const cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    static const struct option opts[] = {{"out", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *out = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'o')
            out = optarg;
        else
            return help_or_unknown("keygen", c, argv, keygen_usage);
    }
    if (out == NULL || optind < argc)
        return cli_usage_error("keygen", "give the key file with --out KEY (and nothing else)");
    sol_error err;
    sol_error_clear(&err);
    if (sol_privacy_keygen(out, &err) != SOL_OK)
        return cli_fail(&err);
    if (!ctx->quiet)
        fprintf(stderr, "keygen: wrote a new key to %s (mode 0600)\n", out);
    return CLI_OK;
}

/* ---- pseudonymise ----------------------------------------------------------------------- */

static const char pseudo_usage[] =
    "usage: solidata pseudonymise --key-file KEY --id-column C [--normalise N]\n"
    "                             [--drop COL,...] [--skip-invalid] IN.csv > OUT.csv\n\n"
    "Replace the id column by HMAC-SHA-256(key, normalised id) in hex, drop the declared\n"
    "direct identifiers, and report on stderr what was removed and which kept columns\n"
    "look like identifiers.\n\n"
    "  --normalise N    codice_fiscale | nir | email | none (default)\n"
    "  --drop COLS      comma-separated columns to remove (names, addresses, phones, ...)\n"
    "  --skip-invalid   leave out rows whose id is not valid for --normalise (counted);\n"
    "                   without it such a row is an error with file:line:column\n";

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

int cmd_pseudonymise(const cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"key-file", required_argument, NULL, 'k'},
                                         {"id-column", required_argument, NULL, 'i'},
                                         {"normalise", required_argument, NULL, 'n'},
                                         {"normalize", required_argument, NULL, 'n'},
                                         {"drop", required_argument, NULL, 'd'},
                                         {"skip-invalid", no_argument, NULL, 's'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *keyf = NULL;
    char *drop = NULL;
    sol_pseudonymise_opts o = {.normalise = SOL_NORM_NONE};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'k')
            keyf = optarg;
        else if (c == 'i')
            o.id_column = optarg;
        else if (c == 'n') {
            if (sol_privacy_normalise_parse(optarg, &o.normalise) != SOL_OK)
                return cli_usage_error("pseudonymise", "--normalise takes codice_fiscale, nir, "
                                                       "email or none, not '%s'", optarg);
        } else if (c == 'd')
            drop = optarg;
        else if (c == 's')
            o.skip_invalid = 1;
        else
            return help_or_unknown("pseudonymise", c, argv, pseudo_usage);
    }
    if (keyf == NULL || o.id_column == NULL || optind + 1 != argc)
        return cli_usage_error("pseudonymise", "give --key-file KEY, --id-column C and one input "
                                               "file");
    sol_error err;
    sol_error_clear(&err);
    uint8_t key[SOL_PRIVACY_KEY_BYTES];
    if (sol_privacy_key_load(keyf, key, &err) != SOL_OK)
        return cli_fail(&err);
    int rc = CLI_FAIL;
    sol_csv *in = NULL;
    const char **dl = NULL;
    sol_pseudonymise_report rep;
    memset(&rep, 0, sizeof rep);
    if (drop && (dl = split_list(drop, &o.n_drop)) == NULL) {
        rc = cli_failf("out of memory");
        goto done;
    }
    o.drop = dl;
    if (sol_csv_open(argv[optind], NULL, &in, &err) != SOL_OK ||
        sol_privacy_pseudonymise(in, key, &o, write_file, stdout, &rep, &err) != SOL_OK) {
        rc = cli_fail(&err);
        goto done;
    }
    if (fflush(stdout) != 0) {
        rc = cli_failf("cannot write the output: %s", strerror(errno));
        goto done;
    }
    if (!ctx->quiet) {
        fprintf(stderr,
                "pseudonymise: %llu rows read, %llu written, %llu skipped as invalid ids\n"
                "  id column '%s' replaced by HMAC-SHA-256 of the id normalised as %s\n",
                (unsigned long long)rep.rows_in, (unsigned long long)rep.rows_out,
                (unsigned long long)rep.rows_skipped, o.id_column,
                sol_privacy_normalise_name(o.normalise));
        fprintf(stderr, "  dropped columns (%zu):", rep.n_dropped);
        for (size_t i = 0; i < rep.n_dropped; i++)
            fprintf(stderr, " %s", rep.dropped[i]);
        fputc('\n', stderr);
        for (size_t i = 0; i < rep.n_suspect; i++)
            fprintf(stderr,
                    "  warning: kept column '%s' looks like a direct identifier; add it to "
                    "--drop unless it is needed\n",
                    rep.suspect[i]);
        fprintf(stderr, "  input sha256 %s\n", rep.input_sha256);
    }
    rc = CLI_OK;
done:
    sol_privacy_wipe(key, sizeof key);
    sol_pseudonymise_report_free(&rep);
    sol_csv_close(in);
    free(dl);
    return rc;
}

/* ---- link --------------------------------------------------------------------------------- */

static const char link_usage[] =
    "usage: solidata link --left A.csv --right B.csv --on COL [--right-on COL] [--out F.csv]\n\n"
    "Join two files pseudonymised with the same key on their pseudonym column (inner\n"
    "join, one row per matching pair; the right file is held in memory, so put the\n"
    "smaller one there). Report on stderr: rows matched and unmatched on each side,\n"
    "duplicates. Columns that are not 64-hex pseudonyms are refused.\n";

int cmd_link(const cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"left", required_argument, NULL, 'l'},
                                         {"right", required_argument, NULL, 'r'},
                                         {"on", required_argument, NULL, 'o'},
                                         {"right-on", required_argument, NULL, 'R'},
                                         {"out", required_argument, NULL, 'w'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *left = NULL, *right = NULL, *on = NULL, *ron = NULL, *outp = "-";
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'l')
            left = optarg;
        else if (c == 'r')
            right = optarg;
        else if (c == 'o')
            on = optarg;
        else if (c == 'R')
            ron = optarg;
        else if (c == 'w')
            outp = optarg;
        else
            return help_or_unknown("link", c, argv, link_usage);
    }
    if (left == NULL || right == NULL || on == NULL || optind < argc)
        return cli_usage_error("link", "give --left, --right and --on");
    sol_error err;
    sol_error_clear(&err);
    sol_csv *l = NULL, *r = NULL;
    FILE *out = stdout;
    int rc = CLI_FAIL;
    sol_link_report rep;
    if (sol_csv_open(left, NULL, &l, &err) != SOL_OK || sol_csv_open(right, NULL, &r, &err) != SOL_OK) {
        rc = cli_fail(&err);
        goto done;
    }
    if (strcmp(outp, "-") != 0 && (out = fopen(outp, "w")) == NULL) {
        rc = cli_failf("%s: cannot create: %s", outp, strerror(errno));
        goto done;
    }
    if (sol_privacy_link(l, on, r, ron ? ron : on, write_file, out, &rep, &err) != SOL_OK) {
        rc = cli_fail(&err);
        goto done;
    }
    if (fflush(out) != 0) {
        rc = cli_failf("cannot write the output: %s", strerror(errno));
        goto done;
    }
    if (!ctx->quiet)
        fprintf(stderr,
                "link: left %llu rows (%llu matched, %llu unmatched, %llu repeating a key)\n"
                "      right %llu rows (%llu matched, %llu unmatched, %llu repeating a key)\n"
                "      %llu linked rows written\n",
                (unsigned long long)rep.left_rows, (unsigned long long)rep.matched_left,
                (unsigned long long)rep.unmatched_left, (unsigned long long)rep.dup_rows_left,
                (unsigned long long)rep.right_rows, (unsigned long long)rep.matched_right,
                (unsigned long long)rep.unmatched_right, (unsigned long long)rep.dup_rows_right,
                (unsigned long long)rep.pairs);
    rc = CLI_OK;
done:
    if (out != stdout && out != NULL && fclose(out) != 0 && rc == CLI_OK)
        rc = cli_failf("cannot write %s", outp);
    if (rc != CLI_OK && out != stdout && out != NULL)
        unlink(outp);
    sol_csv_close(l);
    sol_csv_close(r);
    return rc;
}

/* ---- tabulate ------------------------------------------------------------------------------- */

static const char tab_usage[] =
    "usage: solidata tabulate --microdata F.csv --rows FIELD [--cols FIELD] [--weight W]\n"
    "                         [--min-cell K] [--dp-epsilon E [--dp-mechanism M]\n"
    "                         [--dp-delta D] [--seed S] [--dataset NAME]] [--record]\n"
    "                         --out F.csv\n\n"
    "Publish a one- or two-way table from microdata, long form: row,col,count,flag,\n"
    "margins as _total. Counts of 1..K-1 contributors are suppressed (primary), true\n"
    "zeros are published as 0, and more cells are suppressed (secondary) until no\n"
    "suppressed cell can be computed from the published ones; a suppressed cell has an\n"
    "empty count and the flag 'suppressed'. K defaults to 10, or the dataset's setting.\n\n"
    "  --dp-epsilon E     add exact discrete noise to every inner count (epsilon-DP for\n"
    "                     one record), spend E from the dataset's budget in the store\n"
    "                     (refused when it would overspend); margins are sums of the\n"
    "                     noisy counts, negative counts become 0\n"
    "  --dp-mechanism M   laplace (default) | gaussian ((E, D)-DP through zCDP)\n"
    "  --dp-delta D       delta of the Gaussian mechanism (default 1e-6)\n"
    "  --seed S           reproducible noise (keep S secret: it determines the noise);\n"
    "                     without it, noise is seeded by the operating system\n"
    "  --dataset NAME     the ledger's dataset (default: the microdata file's name)\n"
    "  --record           record the run in the store even without DP (DP always records)\n"
    "  --categories-rows F  the public list of the row categories (one per line): every\n"
    "                     one is released (noised zeros when absent from the data), a\n"
    "                     record outside the list is refused; --categories-cols F for the\n"
    "                     columns. A DP release needs them, so that which categories exist\n"
    "                     does not leak, or --categories-from-data, which releases the\n"
    "                     categories met in the data and says so on stderr and in the card\n";

/* A public list of categories: one per line (no header), UTF-8, blank lines ignored, a final
 * CR dropped. *buf owns the text, *list points into it. */
static int read_categories(const char *path, const char *flag, char **buf, const char ***list,
                           size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return cli_failf("%s: cannot open (%s): %s", path, flag, strerror(errno));
    size_t cap = 0, len = 0, lines = 0;
    char *text = NULL;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *t = cap > (64u << 20) ? NULL : realloc(text, cap);
            if (t == NULL) {
                free(text);
                fclose(f);
                return cli_failf("%s: too large for a list of categories (%s)", path, flag);
            }
            text = t;
        }
        size_t got = fread(text + len, 1, 4096, f);
        len += got;
        if (got < 4096)
            break;
    }
    int rerr = ferror(f);
    fclose(f);
    if (rerr) {
        free(text);
        return cli_failf("%s: read error (%s)", path, flag);
    }
    text[len] = '\0';
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    const char **l = malloc((lines + 1) * sizeof *l);
    if (l == NULL) {
        free(text);
        return cli_failf("out of memory");
    }
    size_t k = 0, line = 0;
    for (char *p = text; *p || p == text;) {
        char *e = strchr(p, '\n');
        if (e)
            *e = '\0';
        line++;
        size_t m = strlen(p);
        if (m && p[m - 1] == '\r')
            p[--m] = '\0';
        if (m && memchr(p, '\0', m) == NULL)
            l[k++] = p;
        if (e == NULL)
            break;
        p = e + 1;
    }
    if (k == 0) {
        free(l);
        free(text);
        return cli_failf("%s: no categories (%s takes a file with one category per line)", path,
                         flag);
    }
    *buf = text;
    *list = l;
    *n = k;
    return CLI_OK;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

int cmd_tabulate(const cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"microdata", required_argument, NULL, 'm'},
                                         {"rows", required_argument, NULL, 'r'},
                                         {"cols", required_argument, NULL, 'c'},
                                         {"weight", required_argument, NULL, 'w'},
                                         {"min-cell", required_argument, NULL, 'k'},
                                         {"dp-epsilon", required_argument, NULL, 'e'},
                                         {"dp-mechanism", required_argument, NULL, 'M'},
                                         {"dp-delta", required_argument, NULL, 'D'},
                                         {"seed", required_argument, NULL, 's'},
                                         {"dataset", required_argument, NULL, 'n'},
                                         {"record", no_argument, NULL, 'R'},
                                         {"categories-rows", required_argument, NULL, 'C'},
                                         {"categories-cols", required_argument, NULL, 'K'},
                                         {"categories-from-data", no_argument, NULL, 'F'},
                                         {"out", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *micro = NULL, *outp = NULL, *eps = NULL, *mech = "laplace", *dataset = NULL;
    sol_tab_opts o = {.min_cell = 0, .delta = 1e-6};
    const char *cat_rows = NULL, *cat_cols = NULL;
    int record = 0, c, from_data = 0;
    char *end;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            micro = optarg;
            break;
        case 'C':
            cat_rows = optarg;
            break;
        case 'K':
            cat_cols = optarg;
            break;
        case 'F':
            from_data = 1;
            break;
        case 'r':
            o.row_field = optarg;
            break;
        case 'c':
            o.col_field = optarg;
            break;
        case 'w':
            o.weight_field = optarg;
            break;
        case 'k':
            errno = 0;
            o.min_cell = strtoull(optarg, &end, 10);
            if (errno || *end || o.min_cell < 1 || optarg[0] == '-')
                return cli_usage_error("tabulate", "--min-cell takes an integer >= 1");
            break;
        case 'e':
            eps = optarg;
            break;
        case 'M':
            mech = optarg;
            break;
        case 'D':
            o.delta = strtod(optarg, &end);
            if (*end || !(o.delta > 0 && o.delta < 1))
                return cli_usage_error("tabulate", "--dp-delta takes a number in (0, 1)");
            break;
        case 's':
            o.seed = optarg;
            break;
        case 'n':
            dataset = optarg;
            break;
        case 'R':
            record = 1;
            break;
        case 'o':
            outp = optarg;
            break;
        default:
            return help_or_unknown("tabulate", c, argv, tab_usage);
        }
    }
    if (micro == NULL || o.row_field == NULL || outp == NULL || optind < argc)
        return cli_usage_error("tabulate", "give --microdata, --rows and --out");
    sol_error err;
    sol_error_clear(&err);
    if (eps) {
        if (strcmp(mech, "laplace") == 0)
            o.dp = SOL_DP_LAPLACE;
        else if (strcmp(mech, "gaussian") == 0)
            o.dp = SOL_DP_GAUSSIAN;
        else
            return cli_usage_error("tabulate", "--dp-mechanism takes laplace or gaussian");
        if (sol_dp_parse_epsilon(eps, &o.eps_nano, &err) != SOL_OK)
            return cli_usage_error("tabulate", "%s", err.msg);
        if (o.weight_field)
            return cli_usage_error("tabulate", "--dp-epsilon applies to counts, not to weighted "
                                               "sums (--weight)");
    } else if (o.seed || strcmp(mech, "laplace") != 0) {
        return cli_usage_error("tabulate", "--seed and --dp-mechanism need --dp-epsilon");
    }
    if (cat_cols && o.col_field == NULL)
        return cli_usage_error("tabulate", "--categories-cols needs --cols");
    if (from_data && (cat_rows || cat_cols))
        return cli_usage_error("tabulate", "--categories-from-data and a public list of "
                                           "categories exclude each other");
    /* Which categories exist is itself information about the records: a DP release lists
     * categories known without the data, or says plainly that they came from the data. */
    int cats_from_data = !cat_rows || (o.col_field && !cat_cols);
    if (eps && cats_from_data && !from_data)
        return cli_usage_error("tabulate",
                               "a differentially private table needs the public list of its "
                               "categories (--categories-rows F%s), so that which categories "
                               "exist does not leak; --categories-from-data releases the "
                               "categories met in the data instead, and says so in the card",
                               o.col_field ? ", --categories-cols F" : "");
    if (dataset == NULL)
        dataset = base_name(micro);
    char *rbuf = NULL, *cbuf = NULL;
    const char **rlist = NULL, **clist = NULL;
    if ((cat_rows && read_categories(cat_rows, "--categories-rows", &rbuf, &rlist,
                                     &o.n_row_categories) != CLI_OK) ||
        (cat_cols && read_categories(cat_cols, "--categories-cols", &cbuf, &clist,
                                     &o.n_col_categories) != CLI_OK)) {
        free(rbuf);
        free(rlist);
        return CLI_FAIL;
    }
    o.row_categories = rlist;
    o.col_categories = clist;
    if (eps && cats_from_data && !ctx->quiet)
        fprintf(stderr, "tabulate: the categories come from the data (--categories-from-data): "
                        "the release shows which categories occur; the card says so\n");

    int rc = CLI_FAIL;
    sol_csv *in = NULL;
    sol_tab *t = NULL;
    sol_store *st = NULL;
    FILE *out = NULL;
    char *spec = NULL, *priv = NULL, *method = NULL, *result = NULL;
    int64_t release = 0, run_id = 0;
    uint64_t configured_k = 0;
    if (eps || record) {
        if ((rc = cli_open_store(ctx, &st)) != CLI_OK)
            return rc;
        rc = CLI_FAIL;
        sol_budget b;
        sol_status s = sol_budget_get(st, dataset, &b, &err);
        if (s == SOL_OK)
            configured_k = b.min_cell;
        else if (s != SOL_ENOTFOUND) {
            rc = cli_fail(&err);
            goto done;
        }
    }
    if (o.min_cell == 0)
        o.min_cell = configured_k ? configured_k : SOL_PRIVACY_DEFAULT_MIN_CELL;
    if (configured_k && o.min_cell < configured_k) {
        rc = cli_failf("dataset '%s' requires a minimum cell size of at least %llu (--min-cell "
                       "%llu refused); see 'solidata budget show %s'",
                       dataset, (unsigned long long)configured_k,
                       (unsigned long long)o.min_cell, dataset);
        goto done;
    }
    if (sol_csv_open(micro, NULL, &in, &err) != SOL_OK || sol_tab_new(in, &o, &t, &err) != SOL_OK) {
        rc = cli_fail(&err);
        goto done;
    }
    if (eps && sol_budget_spend(st, dataset, o.eps_nano, o.dp == SOL_DP_GAUSSIAN ? o.delta : 0,
                                o.min_cell, mech, micro, &release, &err) != SOL_OK) {
        rc = cli_fail(&err);
        goto done;
    }
    if (sol_tab_protect(t, &err) != SOL_OK) {
        rc = cli_fail(&err);
        goto done;
    }
    if (strcmp(outp, "-") == 0)
        out = stdout;
    else if ((out = fopen(outp, "w")) == NULL) {
        rc = cli_failf("%s: cannot create: %s", outp, strerror(errno));
        goto done;
    }
    if (sol_tab_write_csv(t, write_file, out, &err) != SOL_OK) {
        rc = cli_fail(&err);
        goto done;
    }
    if (fflush(out) != 0) {
        rc = cli_failf("cannot write the output: %s", strerror(errno));
        goto done;
    }
    sol_tab_stats ts;
    sol_tab_get_stats(t, &ts);
    if (st) {
        json_t *dp = json_null();
        if (eps) {
            sol_budget b;
            sol_budget_get(st, dataset, &b, NULL);
            uint64_t gn = 0, gd = 1;
            if (o.dp == SOL_DP_GAUSSIAN)
                sol_dp_gaussian_sigma2(o.eps_nano, o.delta, &gn, &gd, NULL);
            dp = json_pack("{s:s,s:s,s:f,s:f,s:f,s:s,s:s,s:s,s:I,s:f,s:s}", "mechanism",
                           o.dp == SOL_DP_LAPLACE ? "discrete Laplace" : "discrete Gaussian",
                           "sampling",
                           "exact integer sampling (Canonne, Kamath & Steinke 2020)", "epsilon",
                           (double)o.eps_nano / 1e9, "delta",
                           o.dp == SOL_DP_GAUSSIAN ? o.delta : 0.0, "sigma2",
                           o.dp == SOL_DP_GAUSSIAN ? (double)gn / (double)gd : 0.0, "neighbouring",
                           "add or remove one record; each record counts in one inner cell",
                           "post_processing",
                           "negative noisy counts set to 0; margins are sums of the noisy inner "
                           "cells; suppression applied to the noisy counts",
                           "seed", o.seed ? "given (reproducible)" : "operating system",
                           "ledger_release", (json_int_t)release, "budget_remaining_epsilon",
                           (double)(b.eps_total_nano - b.eps_spent_nano) / 1e9, "dataset",
                           dataset);
        }
        char cats[1024];
        if (cats_from_data)
            snprintf(cats, sizeof cats, "%s",
                     "from the data: the release shows which categories occur");
        else if (o.col_field)
            snprintf(cats, sizeof cats, "public lists %s (%zu rows) and %s (%zu columns), "
                     "every listed category released, absent ones as noised zeros", cat_rows,
                     o.n_row_categories, cat_cols, o.n_col_categories);
        else
            snprintf(cats, sizeof cats, "public list %s (%zu rows), every listed category "
                     "released, absent ones as noised zeros", cat_rows, o.n_row_categories);
        if (dp && json_is_object(dp))
            json_object_set_new(dp, "categories", json_string(cats));
        json_t *pj = json_pack(
            "{s:I,s:s,s:s,s:I,s:I,s:s,s:o}", "min_cell", (json_int_t)o.min_cell, "primary",
            "cells with 1..min_cell-1 contributors suppressed; zeros published", "secondary",
            "cheapest complementary cells until no suppressed cell is determined by the "
            "published cells and margins (no bridge in the graph of suppressed cells)",
            "primary_suppressed", (json_int_t)ts.primary, "secondary_suppressed",
            (json_int_t)ts.secondary, "flag", "suppressed", "differential_privacy", dp);
        if (pj)
            json_object_set_new(pj, "categories", json_string(cats));
        json_t *sj = json_pack("{s:s,s:s,s:s?,s:s?,s:I,s:s?,s:s}", "microdata", micro, "rows",
                               o.row_field, "cols", o.col_field, "weight", o.weight_field,
                               "min_cell", (json_int_t)o.min_cell, "dp_epsilon", eps, "out", outp);
        json_t *mj = json_pack("{s:s,s:s,s:s}", "name", "tabulation with disclosure control",
                               "reference",
                               "Hundepool et al. (2012), Statistical Disclosure Control, Wiley, "
                               "ch. 5 (frequency tables); Canonne, Kamath & Steinke (2020)",
                               "input_sha256", ts.input_sha256);
        json_t *rj = json_pack("{s:I,s:I,s:I,s:I}", "records", (json_int_t)ts.records, "rows",
                               (json_int_t)ts.nrows, "cols", (json_int_t)ts.ncols, "cells",
                               (json_int_t)ts.cells);
        spec = sj ? json_dumps(sj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        priv = pj ? json_dumps(pj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        method = mj ? json_dumps(mj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        result = rj ? json_dumps(rj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(sj);
        json_decref(pj);
        json_decref(mj);
        json_decref(rj);
        if (spec == NULL || priv == NULL || method == NULL || result == NULL) {
            rc = cli_failf("out of memory");
            goto done;
        }
        sol_run_card card = {.kind = "privacy.tabulate", .spec_json = spec,
                             .method_json = method, .choices_json = "{}", .privacy_json = priv,
                             .result_json = result};
        if (sol_run_record(st, &card, &run_id, &err) != SOL_OK ||
            (release && sol_budget_link_run(st, release, run_id, &err) != SOL_OK)) {
            rc = cli_fail(&err);
            goto done;
        }
    }
    if (!ctx->quiet) {
        fprintf(stderr,
                "tabulate: %llu records, %zu x %zu categories, %zu entries with margins; "
                "suppressed %zu primary (1..%llu) + %zu secondary\n",
                (unsigned long long)ts.records, ts.nrows, ts.ncols ? ts.ncols : 1, ts.cells,
                ts.primary, (unsigned long long)(o.min_cell - 1), ts.secondary);
        if (eps)
            fprintf(stderr, "  %s noise, epsilon %s spent from dataset '%s' (release %lld)\n", mech,
                    eps, dataset, (long long)release);
        if (run_id)
            fprintf(stderr, "  recorded as run %lld; see 'solidata card %lld'\n",
                    (long long)run_id, (long long)run_id);
    }
    rc = CLI_OK;
done:
    if (out && out != stdout && fclose(out) != 0 && rc == CLI_OK)
        rc = cli_failf("cannot write %s", outp);
    if (rc != CLI_OK && out && out != stdout)
        unlink(outp);
    free(spec);
    free(priv);
    free(method);
    free(result);
    sol_tab_free(t);
    sol_csv_close(in);
    sol_store_close(st);
    free(rbuf);
    free(rlist);
    free(cbuf);
    free(clist);
    return rc;
}

/* ---- budget ------------------------------------------------------------------------------------ */

static const char budget_usage[] =
    "usage: solidata budget set DATASET --epsilon E [--delta D] [--min-cell K]\n"
    "       solidata budget set DATASET --min-cell K\n"
    "       solidata budget show DATASET\n\n"
    "The privacy budget of a dataset: the total epsilon (and delta) that differentially\n"
    "private releases may spend, and the minimum cell size of its tables. A dataset\n"
    "released without a budget gets epsilon 1, delta 1e-5, minimum cell 10.\n"
    "The minimum cell size also applies to the count indicators imported as source\n"
    "DATASET: values 0 < n < K leave the store only suppressed (and their complements).\n";

int cmd_budget(const cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"epsilon", required_argument, NULL, 'e'},
                                         {"delta", required_argument, NULL, 'd'},
                                         {"min-cell", required_argument, NULL, 'k'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *eps = NULL;
    double delta = SOL_PRIVACY_DEFAULT_DELTA;
    unsigned long long k = SOL_PRIVACY_DEFAULT_MIN_CELL;
    int k_given = 0;
    char *end;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'e')
            eps = optarg;
        else if (c == 'd') {
            delta = strtod(optarg, &end);
            if (*end || !(delta >= 0 && delta < 1))
                return cli_usage_error("budget", "--delta takes a number in [0, 1)");
        } else if (c == 'k') {
            k = strtoull(optarg, &end, 10);
            if (*end || k < 1 || optarg[0] == '-')
                return cli_usage_error("budget", "--min-cell takes an integer >= 1");
            k_given = 1;
        } else
            return help_or_unknown("budget", c, argv, budget_usage);
    }
    int set = optind + 2 == argc && strcmp(argv[optind], "set") == 0;
    int show = optind + 2 == argc && strcmp(argv[optind], "show") == 0;
    if (!set && !show)
        return cli_usage_error("budget", "use 'budget set DATASET --epsilon E' or 'budget show "
                                         "DATASET'");
    const char *ds = argv[optind + 1];
    sol_error err;
    sol_error_clear(&err);
    int64_t nano = 0;
    int only_k = set && eps == NULL && k_given;
    if (set && !only_k && (eps == NULL || sol_dp_parse_epsilon(eps, &nano, &err) != SOL_OK))
        return cli_usage_error("budget", "'budget set' needs --epsilon E (a positive decimal) "
                                         "or --min-cell K");
    sol_store *st;
    int rc = cli_open_store(ctx, &st);
    if (rc != CLI_OK)
        return rc;
    sol_budget b;
    if ((only_k && (sol_disclosure_min_cell(st, ds, k, &err) != SOL_OK ||
                    sol_disclosure_refresh(st, NULL, NULL, &err) != SOL_OK)) ||
        (set && !only_k && sol_budget_set(st, ds, nano, delta, k, &err) != SOL_OK) ||
        sol_budget_get(st, ds, &b, &err) != SOL_OK) {
        sol_store_close(st);
        return cli_fail(&err);
    }
    sol_store_close(st);
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
