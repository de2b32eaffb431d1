/* test_cli_opt.c - the command's table-driven option parser (cli/opt.c): every type, range and
 * choice, needs/excludes/required, the one wording of usage errors, and the generated help. */
#include "harness.h"

#include "cli.h"
#include "opt.h"

#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

typedef struct job {
    const char *in, *out;
    int json, self, mode, k;
    unsigned perms;
    long horizon;
    size_t n;
    uint64_t seed;
    double alpha, tol;
    cli_list tags;
    const char *custom;
} job;

static int parse_even(const char *s, void *field)
{
    if (strlen(s) % 2 != 0)
        return -1;
    *(const char **)field = s;
    return 0;
}

static const cli_choice MODES[] = {{"fast", 1}, {"exact", 2}, {"both", 3}, {0}};
#define O(f) offsetof(job, f)
static const cli_opt OPTS[] = {
    {"in", CLI_STR, O(in), "FILE", "the input", .flags = CLI_REQUIRED},
    {"out", CLI_STR, O(out), "FILE", "the output", .excludes = "json"},
    {"json", CLI_FLAG, O(json), NULL, "JSON instead of CSV"},
    {"self", CLI_FLAG, O(self), NULL, "with itself"},
    {"no-self", CLI_FLAG0, O(self), NULL, "without itself"},
    {"mode", CLI_CHOICE, O(mode), "M", "how", .choices = MODES},
    {"k", CLI_INT, O(k), "K", "neighbours", .min = 1, .max = 10},
    {"permutations", CLI_UINT, O(perms), "N", "permutations", .min = 0, .max = 99999},
    {"horizon", CLI_LONG, O(horizon), "H", "periods", .min = 1, .max = 100,
     .expect = "a whole number of periods from 1 to 100"},
    {"n", CLI_SIZE, O(n), "N", "rows"},
    {"seed", CLI_U64, O(seed), "S", "seed"},
    {"alpha", CLI_DOUBLE, O(alpha), "A", "level", .min = 0, .max = 1,
     .flags = CLI_OPEN_MIN | CLI_OPEN_MAX},
    {"tol", CLI_DOUBLE, O(tol), "T", "tolerance", .min = 0, .max = INFINITY, .needs = "k|n"},
    {"tag", CLI_LIST, O(tags), "T", "a tag"},
    {"even", CLI_CUSTOM, O(custom), "S", "an even-length word", .parse = parse_even,
     .expect = "a word of even length", .needs = "mode,k"},
    {0}};
static const cli_spec SPEC = {"test cmd", "--in FILE [options] [ARG]", "A command for tests.",
                              OPTS,       "Output: nothing.",          0,
                              1};

static char errbuf[4096];

/* stderr redirected into a temporary file until err_capture_end, which puts it in errbuf. */
typedef struct err_capture {
    int saved;
    FILE *tmp;
} err_capture;

static err_capture err_capture_begin(void)
{
    fflush(stderr);
    err_capture c = {dup(STDERR_FILENO), tmpfile()};
    dup2(fileno(c.tmp), STDERR_FILENO);
    return c;
}

static void err_capture_end(err_capture c)
{
    fflush(stderr);
    dup2(c.saved, STDERR_FILENO);
    close(c.saved);
    rewind(c.tmp);
    size_t n = fread(errbuf, 1, sizeof errbuf - 1, c.tmp);
    errbuf[n] = '\0';
    fclose(c.tmp);
}

/* Parse the words (NULL-terminated) into *j from the defaults below, stderr into errbuf. */
static int run(job *j, cli_args *a, const char *const *words)
{
    char *argv[64];
    int argc = 0;
    argv[argc++] = (char *)"cmd";
    for (; *words != NULL; words++)
        argv[argc++] = (char *)*words;
    memset(j, 0, sizeof *j);
    j->alpha = 0.05;
    j->self = 1;
    j->mode = 2;
    j->perms = 999;
    err_capture c = err_capture_begin();
    int rc = cli_parse(&SPEC, argc, argv, j, a);
    err_capture_end(c);
    return rc;
}

#define PARSE(...) run(&j, &a, (const char *const[]){__VA_ARGS__, NULL})

TEST(types_and_values)
{
    job j;
    cli_args a;
    ASSERT_EQ(PARSE("--in", "x.csv", "--json", "--no-self", "--mode", "both", "--k=7",
                    "--permutations", "0", "--horizon", "12", "--n", "5", "--seed",
                    "18446744073709551615", "--alpha", "0.1", "--tag", "a", "--tag", "b", "pos"),
              CLI_OK);
    ASSERT_STR_EQ(j.in, "x.csv");
    ASSERT_EQ(j.json, 1);
    ASSERT_EQ(j.self, 0);
    ASSERT_EQ(j.mode, 3);
    ASSERT_EQ(j.k, 7);
    ASSERT_EQ(j.perms, 0);
    ASSERT_EQ(j.horizon, 12);
    ASSERT_EQ(j.n, 5);
    ASSERT(j.seed == UINT64_MAX);
    ASSERT_REL(j.alpha, 0.1, 1e-15);
    ASSERT_EQ(j.tags.n, 2);
    ASSERT_STR_EQ(j.tags.v[1], "b");
    ASSERT_EQ(a.n, 1);
    ASSERT_STR_EQ(a.v[0], "pos");
    ASSERT(cli_given(&SPEC, &a, "json"));
    ASSERT(!cli_given(&SPEC, &a, "out"));
    ASSERT(!cli_given(&SPEC, &a, "no-such-option"));
    ASSERT_STR_EQ(errbuf, "");
}

TEST(defaults_stay_when_not_given)
{
    job j;
    cli_args a;
    ASSERT_EQ(PARSE("--in", "x"), CLI_OK);
    ASSERT_REL(j.alpha, 0.05, 1e-15);
    ASSERT_EQ(j.self, 1);
    ASSERT_EQ(j.perms, 999);
    ASSERT_EQ(a.n, 0);
}

TEST(one_wording_for_bad_values)
{
    job j;
    cli_args a;
    ASSERT_EQ(PARSE("--in", "x", "--k", "11"), CLI_USAGE);
    ASSERT_STR_EQ(errbuf, "solidata test cmd: --k 11: expected a whole number from 1 to 10; see "
                          "'solidata test cmd --help'\n");
    ASSERT_EQ(PARSE("--in", "x", "--k", "3x"), CLI_USAGE);
    ASSERT(strstr(errbuf, "--k 3x: expected a whole number from 1 to 10") != NULL);
    ASSERT_EQ(PARSE("--in", "x", "--alpha", "1"), CLI_USAGE);
    ASSERT(strstr(errbuf, "--alpha 1: expected a number > 0 and < 1") != NULL);
    ASSERT_EQ(PARSE("--in", "x", "--alpha", "nan"), CLI_USAGE);
    ASSERT_EQ(PARSE("--in", "x", "--alpha", "1e400"), CLI_USAGE);
    ASSERT_EQ(PARSE("--in", "x", "--tol", "-1", "--k", "2"), CLI_USAGE);
    ASSERT(strstr(errbuf, "--tol -1: expected a number >= 0") != NULL);
    ASSERT_EQ(PARSE("--in", "x", "--mode", "slow"), CLI_USAGE);
    ASSERT(strstr(errbuf, "--mode slow: expected fast, exact or both") != NULL);
    ASSERT_EQ(PARSE("--in", "x", "--horizon", "0"), CLI_USAGE);
    ASSERT(strstr(errbuf, "--horizon 0: expected a whole number of periods from 1 to 100") != NULL);
    ASSERT_EQ(PARSE("--in", "x", "--seed", "-1"), CLI_USAGE);
    ASSERT(strstr(errbuf, "--seed -1: expected a whole number >= 0") != NULL);
    ASSERT_EQ(PARSE("--in", "x", "--n", "-2"), CLI_USAGE);
    ASSERT_EQ(PARSE("--in", "x", "--permutations", "4294967296"), CLI_USAGE);
    ASSERT_EQ(PARSE("--in", "x", "--even", "abc", "--mode", "fast", "--k", "2"), CLI_USAGE);
    ASSERT(strstr(errbuf, "--even abc: expected a word of even length") != NULL);
}

TEST(unknown_missing_and_extra)
{
    job j;
    cli_args a;
    ASSERT_EQ(PARSE("--in", "x", "--frob"), CLI_USAGE);
    ASSERT(strstr(errbuf, "unknown option '--frob'") != NULL);
    ASSERT_EQ(PARSE("--in", "x", "-z"), CLI_USAGE);
    ASSERT(strstr(errbuf, "unknown option '-z'") != NULL);
    ASSERT_EQ(PARSE("--in"), CLI_USAGE);
    ASSERT(strstr(errbuf, "--in needs a value (FILE)") != NULL);
    ASSERT_EQ(PARSE("--json"), CLI_USAGE);
    ASSERT(strstr(errbuf, "--in FILE is required") != NULL);
    ASSERT_EQ(PARSE("--in", "x", "--json=1"), CLI_USAGE);
    ASSERT(strstr(errbuf, "--json takes no value") != NULL);
    ASSERT_EQ(PARSE("--in", "x", "a", "b"), CLI_USAGE);
    ASSERT(strstr(errbuf, "unexpected argument 'b'") != NULL);
    /* "--" ends the options; "-" alone is a word (stdin) */
    ASSERT_EQ(PARSE("--in", "x", "--", "--json"), CLI_OK);
    ASSERT_EQ(j.json, 0);
    ASSERT_STR_EQ(a.v[0], "--json");
    ASSERT_EQ(PARSE("--in", "-"), CLI_OK);
    ASSERT_STR_EQ(j.in, "-");
    /* a value may start with a dash */
    ASSERT_EQ(PARSE("--in", "x", "--out", "-o"), CLI_OK);
    ASSERT_STR_EQ(j.out, "-o");
}

TEST(needs_and_excludes)
{
    job j;
    cli_args a;
    ASSERT_EQ(PARSE("--in", "x", "--out", "y", "--json"), CLI_USAGE);
    ASSERT(strstr(errbuf, "--out does not go with --json") != NULL);
    ASSERT_EQ(PARSE("--in", "x", "--tol", "1"), CLI_USAGE);
    ASSERT(strstr(errbuf, "--tol needs --k or --n") != NULL);
    ASSERT_EQ(PARSE("--in", "x", "--tol", "1", "--n", "3"), CLI_OK);
    ASSERT_EQ(PARSE("--in", "x", "--even", "ab", "--k", "2"), CLI_USAGE);
    ASSERT(strstr(errbuf, "--even needs --mode and --k") != NULL);
    ASSERT_EQ(PARSE("--in", "x", "--even", "ab", "--k", "2", "--mode", "fast"), CLI_OK);
}

TEST(help_is_generated_from_the_table)
{
    job j;
    memset(&j, 0, sizeof j);
    j.alpha = 0.05;
    j.mode = 2;
    j.perms = 999;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cli_help(&SPEC, &j, f);
    fclose(f);
    ASSERT(strstr(buf, "usage: solidata test cmd --in FILE [options] [ARG]\n") == buf);
    ASSERT(strstr(buf, "A command for tests.") != NULL);
    ASSERT(strstr(buf, "--alpha A") != NULL && strstr(buf, "[default: 0.05]") != NULL);
    ASSERT(strstr(buf, "how (fast, exact or both) [default: exact]") != NULL);
    ASSERT(strstr(buf, "[default: 999]") != NULL);
    ASSERT(strstr(buf, "the input [required]") != NULL);
    ASSERT(strstr(buf, "a tag [repeatable]") != NULL);
    ASSERT(strstr(buf, "Output: nothing.") != NULL);
    /* every option of the table is in the help, no line is wider than 100 columns */
    for (const cli_opt *o = OPTS; o->name != NULL; o++) {
        char want[64];
        snprintf(want, sizeof want, "  --%s", o->name);
        ASSERT(strstr(buf, want) != NULL);
    }
    for (const char *p = buf; *p;) {
        size_t n = strcspn(p, "\n");
        ASSERT(n <= 100);
        p += n + (p[n] != '\0');
    }
    free(buf);
    cli_args a;
    ASSERT_EQ(PARSE("--in", "x", "--help"), CLI_HELP);
}

TEST(sub_commands)
{
    static const cli_sub subs[] = {{"one", "the first"}, {"two", "the second"}, {0}};
    char *argv1[] = {(char *)"grp", (char *)"two", NULL};
    ASSERT_EQ(cli_sub_find("grp", subs, 2, argv1), 1);
    err_capture c = err_capture_begin();
    char *argv2[] = {(char *)"grp", (char *)"three", NULL};
    int rc = cli_sub_find("grp", subs, 2, argv2);
    int rc0 = cli_sub_find("grp", subs, 1, argv2);
    err_capture_end(c);
    ASSERT_EQ(rc, -CLI_USAGE);
    ASSERT_EQ(rc0, -CLI_USAGE);
    ASSERT(strstr(errbuf, "solidata grp: unknown command 'three'") != NULL);
    ASSERT(strstr(errbuf, "  two            the second") != NULL);
}

/* Tables shared between commands: parsed with the command's own, listed first in the help. */
TEST(shared_tables)
{
    static const cli_opt common[] = {{"in", CLI_STR, O(in), "FILE", "the input"}, {0}};
    static const cli_opt own[] = {
        {"json", CLI_FLAG, O(json), NULL, "JSON instead of CSV", .needs = "in"}, {0}};
    static const cli_opt *const shared[] = {common, NULL};
    static const cli_spec spec = {"shared", NULL, NULL, own, NULL, 0, 0, shared};
    job j;
    cli_args a;
    memset(&j, 0, sizeof j);
    char *argv[] = {(char *)"cmd", (char *)"--json", (char *)"--in", (char *)"f", NULL};
    ASSERT_EQ(cli_parse(&spec, 4, argv, &j, &a), CLI_OK);
    ASSERT_STR_EQ(j.in, "f");
    ASSERT_EQ(j.json, 1);
    ASSERT(cli_given(&spec, &a, "in") && cli_given(&spec, &a, "json"));
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cli_help(&spec, &j, f);
    fclose(f);
    char *in = strstr(buf, "--in FILE"), *json = strstr(buf, "--json");
    ASSERT(in != NULL && json != NULL && in < json);
    free(buf);
}

/* A usage line that starts with a space continues the synopsis before it. */
TEST(usage_continuation_lines)
{
    static const cli_opt none[] = {{0}};
    static const cli_spec spec = {"grp cmd", "--a A --b B\n [--c C]\n--other", NULL, none, NULL, 0,
                                  0};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cli_help(&spec, NULL, f);
    fclose(f);
    ASSERT(strstr(buf, "usage: solidata grp cmd --a A --b B\n"
                       "                        [--c C]\n"
                       "       solidata grp cmd --other\n") == buf);
    free(buf);
}

/* The help wraps by characters, not bytes: a phrase of accented words ("é" is two bytes of
 * UTF-8) fills its lines up to 100 columns, never beyond. */
TEST(help_wraps_by_display_width)
{
    static const cli_opt accented[] = {
        {"fr", CLI_FLAG, O(json), NULL,
         "les températures élevées réduisent l'énergie nécessaire à l'éclairage des régions où "
         "l'été dure ; les dépenses énergétiques des ménages éloignés évoluent à l'opposé de "
         "celles des ménages proches, et l'écart déjà élevé s'accroît d'année en année"},
        {0}};
    static const cli_spec spec = {"wrap", NULL, NULL, accented, NULL, 0, 0};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cli_help(&spec, NULL, f);
    fclose(f);
    size_t widest = 0, widest_bytes = 0;
    for (const char *p = buf; *p;) {
        size_t n = strcspn(p, "\n"), cols = 0;
        for (size_t i = 0; i < n; i++)
            cols += ((unsigned char)p[i] & 0xC0) != 0x80;
        ASSERT(cols <= 100);
        widest = cols > widest ? cols : widest;
        widest_bytes = n > widest_bytes ? n : widest_bytes;
        p += n + (p[n] != '\0');
    }
    ASSERT(widest >= 90);       /* the lines are filled, not cut at the byte count */
    ASSERT(widest_bytes > 100); /* so a line holds more than 100 bytes */
    free(buf);
}

/* The generated wordings: lists of three joined by "and"/"or", and "argument" in the singular
 * or the plural by the number missing. */
TEST(generated_lists_and_plurals)
{
    static const cli_opt opts[] = {{"a", CLI_FLAG, O(json), NULL, "a", .needs = "b,c,d"},
                                   {"b", CLI_FLAG, O(self), NULL, "b"},
                                   {"c", CLI_FLAG, O(k), NULL, "c"},
                                   {"d", CLI_FLAG, O(mode), NULL, "d", .needs = "b|c|in"},
                                   {"in", CLI_STR, O(in), "FILE", "f"},
                                   {0}};
    static const cli_spec two = {"two", NULL, NULL, opts, NULL, 2, 2};
    job j;
    cli_args a;
    char *argv[] = {(char *)"cmd", (char *)"--a", (char *)"x", (char *)"y", NULL};
    err_capture c = err_capture_begin();
    int rc = cli_parse(&two, 4, argv, &j, &a);
    err_capture_end(c);
    ASSERT_EQ(rc, CLI_USAGE);
    ASSERT(strstr(errbuf, "--a needs --b, --c and --d") != NULL);
    char *argv2[] = {(char *)"cmd", (char *)"--d", (char *)"x", (char *)"y", NULL};
    c = err_capture_begin();
    rc = cli_parse(&two, 4, argv2, &j, &a);
    err_capture_end(c);
    ASSERT_EQ(rc, CLI_USAGE);
    ASSERT(strstr(errbuf, "--d needs --b, --c or --in") != NULL);
    char *argv3[] = {(char *)"cmd", NULL};
    c = err_capture_begin();
    rc = cli_parse(&two, 1, argv3, &j, &a);
    err_capture_end(c);
    ASSERT(strstr(errbuf, "missing arguments;") != NULL);
    char *argv4[] = {(char *)"cmd", (char *)"x", NULL};
    c = err_capture_begin();
    rc = cli_parse(&two, 2, argv4, &j, &a);
    err_capture_end(c);
    ASSERT_EQ(rc, CLI_USAGE);
    ASSERT(strstr(errbuf, "missing argument;") != NULL);
}
