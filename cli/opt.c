/* opt.c - the table-driven option parser and help generator shared by every command (opt.h). */
#include "opt.h"

#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static size_t table_len(const cli_opt *o)
{
    size_t n = 0;
    while (o != NULL && o[n].name != NULL)
        n++;
    return n;
}

/* Options are numbered across the shared tables, then the command's own table (the help lists
 * them in that order: the common inputs first, what is particular to the command after). */
static size_t count_opts(const cli_spec *s)
{
    size_t n = table_len(s->opts);
    for (size_t t = 0; s->shared != NULL && s->shared[t] != NULL; t++)
        n += table_len(s->shared[t]);
    return n;
}

static const cli_opt *opt_at(const cli_spec *s, size_t i)
{
    for (size_t t = 0; s->shared != NULL && s->shared[t] != NULL; t++) {
        size_t n = table_len(s->shared[t]);
        if (i < n)
            return &s->shared[t][i];
        i -= n;
    }
    return i < table_len(s->opts) ? &s->opts[i] : NULL;
}

static int find_opt(const cli_spec *s, const char *name, size_t len)
{
    const cli_opt *o;
    for (size_t i = 0; (o = opt_at(s, i)) != NULL; i++)
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
            return (int)i;
    return -1;
}

int cli_given(const cli_spec *s, const cli_args *a, const char *name)
{
    int i = find_opt(s, name, strlen(name));
    return i >= 0 && a->given[i] > 0;
}

/* A table's text (help, about, more, expect, def: marked N_ in the tables) in the current
 * language; NULL and "" as they are ("" would give the catalogue's header). */
static const char *tr(const char *s)
{
    return s == NULL || *s == '\0' ? s : _(s);
}

/* "a, b or c" of a choice table into buf: the list's last two joined by the language's "or". */
static void choice_words(const cli_choice *c, char *buf, size_t n)
{
    size_t k = 0, len = 0;
    while (c[k].name != NULL)
        k++;
    buf[0] = '\0';
    for (size_t i = 0; i + 1 < k; i++) {
        int w = snprintf(buf + len, n - len, "%s%s", i == 0 ? "" : ", ", c[i].name);
        if (w < 0 || (size_t)w >= n - len)
            return;
        len += (size_t)w;
    }
    if (k == 1)
        snprintf(buf, n, "%s", c[0].name);
    else if (k > 1) {
        char head[512];
        snprintf(head, sizeof head, "%s", buf);
        /* TRANSLATORS: the last two items of a list of values: "a, b or c" */
        snprintf(buf, n, _("%s or %s"), head, c[k - 1].name);
    }
}

static int is_integer_type(cli_opt_type t)
{
    return t == CLI_INT || t == CLI_UINT || t == CLI_LONG || t == CLI_SIZE || t == CLI_U64;
}

/* The words after "expected" for a refused value of `o`. */
static void expect_words(const cli_opt *o, char *buf, size_t n)
{
    if (o->expect != NULL) {
        snprintf(buf, n, "%s", tr(o->expect));
        return;
    }
    if (o->type == CLI_CHOICE) {
        choice_words(o->choices, buf, n);
        return;
    }
    int integer = is_integer_type(o->type);
    int ranged = !(o->min == 0 && o->max == 0);
    if (!ranged) {
        if (o->type == CLI_U64 || o->type == CLI_UINT || o->type == CLI_SIZE)
            snprintf(buf, n, "%s", _("a whole number >= 0"));
        else
            snprintf(buf, n, "%s", integer ? _("a whole number") : _("a number"));
        return;
    }
    int open_lo = (o->flags & CLI_OPEN_MIN) != 0, open_hi = (o->flags & CLI_OPEN_MAX) != 0;
    const char *lo = open_lo ? ">" : ">=", *hi = open_hi ? "<" : "<=";
    /* TRANSLATORS: %s is ">" or ">=" (and "<" or "<="), %.15g a bound */
    if (isinf(o->max))
        snprintf(buf, n, integer ? _("a whole number %s %.15g") : _("a number %s %.15g"), lo,
                 o->min);
    else if (!open_lo && !open_hi)
        snprintf(buf, n,
                 integer ? _("a whole number from %.15g to %.15g")
                         : _("a number from %.15g to %.15g"),
                 o->min, o->max);
    else
        snprintf(buf, n,
                 integer ? _("a whole number %s %.15g and %s %.15g")
                         : _("a number %s %.15g and %s %.15g"),
                 lo, o->min, hi, o->max);
}

static int in_range(const cli_opt *o, double v)
{
    if (o->min == 0 && o->max == 0)
        return 1;
    if ((o->flags & CLI_OPEN_MIN) ? !(v > o->min) : !(v >= o->min))
        return 0;
    if ((o->flags & CLI_OPEN_MAX) ? !(v < o->max) : !(v <= o->max))
        return 0;
    return 1;
}

/* Store the value `v` of option `o` into the job; 0 or -1 when refused. */
static int store_value(const cli_opt *o, const char *v, void *job)
{
    char *field = (char *)job + o->off, *end = NULL;
    errno = 0;
    switch (o->type) {
    case CLI_STR: *(const char **)(void *)field = v; return 0;
    case CLI_LIST: {
        cli_list *l = (cli_list *)(void *)field;
        if (l->n >= CLI_LIST_MAX)
            return -1;
        l->v[l->n++] = v;
        return 0;
    }
    case CLI_CHOICE:
        for (const cli_choice *c = o->choices; c->name != NULL; c++)
            if (strcmp(c->name, v) == 0) {
                *(int *)(void *)field = c->value;
                return 0;
            }
        return -1;
    case CLI_CUSTOM: return o->parse(v, field) == 0 ? 0 : -1;
    case CLI_DOUBLE: {
        double d = strtod(v, &end);
        if (end == v || *end != '\0' || errno == ERANGE || !isfinite(d) || !in_range(o, d))
            return -1;
        *(double *)(void *)field = d;
        return 0;
    }
    case CLI_U64: {
        if (*v == '-' || *v == '+')
            return -1;
        unsigned long long u = strtoull(v, &end, 10);
        if (end == v || *end != '\0' || errno == ERANGE)
            return -1;
        if (!(o->min == 0 && o->max == 0) && !in_range(o, (double)u))
            return -1;
        *(uint64_t *)(void *)field = (uint64_t)u;
        return 0;
    }
    case CLI_INT:
    case CLI_UINT:
    case CLI_LONG:
    case CLI_SIZE: {
        long long x = strtoll(v, &end, 10);
        if (end == v || *end != '\0' || errno == ERANGE || !in_range(o, (double)x))
            return -1;
        if (o->type == CLI_INT) {
            if (x < INT_MIN || x > INT_MAX)
                return -1;
            *(int *)(void *)field = (int)x;
        } else if (o->type == CLI_LONG) {
            if (x < LONG_MIN || x > LONG_MAX)
                return -1;
            *(long *)(void *)field = (long)x;
        } else if (o->type == CLI_UINT) {
            if (x < 0 || (unsigned long long)x > UINT_MAX)
                return -1;
            *(unsigned *)(void *)field = (unsigned)x;
        } else {
            if (x < 0)
                return -1;
            *(size_t *)(void *)field = (size_t)x;
        }
        return 0;
    }
    case CLI_FLAG:
    case CLI_FLAG0: break;
    }
    return -1;
}

/* Each name of a "a,b" or "a|b" list, in turn: returns the number of names, calling fn. */
static int list_check(const cli_spec *s, const cli_args *a, const char *list, int any)
{
    int given = 0, total = 0;
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, any ? "|" : ",");
        int i = find_opt(s, p, len);
        total++;
        if (i >= 0 && a->given[i])
            given++;
        p += len;
        if (*p)
            p++;
    }
    return any ? given > 0 : given == total;
}

/* "--a or --b", "--a and --b" of a list, for messages (the last two joined by the language's
 * "or" or "and"). */
static void list_words(const char *list, char *buf, size_t n)
{
    size_t len = 0;
    int any = strchr(list, '|') != NULL;
    const char *p = list, *last = NULL;
    buf[0] = '\0';
    while (*p && len < n) {
        size_t k = strcspn(p, any ? "|" : ",");
        if (p[k] == '\0' && p != list) {
            last = p;
            break;
        }
        int w = snprintf(buf + len, n - len, "%s--%.*s", p == list ? "" : ", ", (int)k, p);
        if (w < 0 || (size_t)w >= n - len)
            return;
        len += (size_t)w;
        p += k;
        if (*p)
            p++;
    }
    if (last != NULL) {
        char head[512], tail[128];
        snprintf(head, sizeof head, "%s", buf);
        snprintf(tail, sizeof tail, "--%s", last);
        /* TRANSLATORS: the last two of a list of options: "--a, --b and --c" */
        snprintf(buf, n, any ? _("%s or %s") : _("%s and %s"), head, tail);
    }
}

int cli_parse(const cli_spec *s, int argc, char **argv, void *job, cli_args *a)
{
    size_t nopt = count_opts(s);
    memset(a, 0, sizeof *a);
    if (nopt > CLI_MAX_OPTS)
        return cli_usage_error(s->cmd, "internal error: too many options");
    int opts_done = 0;
    for (int k = 1; k < argc; k++) {
        char *w = argv[k];
        if (opts_done || w[0] != '-' || w[1] == '\0') {
            if (a->n >= CLI_MAX_ARGS || a->n >= s->max_args)
                return cli_usage_error(s->cmd, "unexpected argument '%s'", w);
            a->v[a->n++] = w;
            continue;
        }
        if (strcmp(w, "--") == 0) {
            opts_done = 1;
            continue;
        }
        if (strcmp(w, "-h") == 0 || strcmp(w, "--help") == 0) {
            cli_help(s, job, stdout);
            return CLI_HELP;
        }
        if (w[1] != '-')
            return cli_usage_error(s->cmd, "unknown option '%s'", w);
        const char *name = w + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        int i = find_opt(s, name, len);
        if (i < 0)
            return cli_usage_error(s->cmd, "unknown option '--%.*s'", (int)len, name);
        const cli_opt *o = opt_at(s, (size_t)i);
        if (a->given[i] < UCHAR_MAX)
            a->given[i]++;
        if (o->type == CLI_FLAG || o->type == CLI_FLAG0) {
            if (eq != NULL)
                return cli_usage_error(s->cmd, "--%s takes no value", o->name);
            *(int *)(void *)((char *)job + o->off) = o->type == CLI_FLAG0 ? 0
                                                     : o->ival            ? o->ival
                                                                          : 1;
            continue;
        }
        const char *v;
        if (eq != NULL) {
            v = eq + 1;
        } else {
            if (k + 1 >= argc)
                return cli_usage_error(s->cmd, "--%s needs a value (%s)", o->name,
                                       o->arg ? o->arg : "VALUE");
            v = argv[++k];
        }
        if (store_value(o, v, job) != 0) {
            char what[512];
            if (o->type == CLI_LIST)
                return cli_usage_error(s->cmd, "--%s: at most %d times", o->name, CLI_LIST_MAX);
            expect_words(o, what, sizeof what);
            return cli_usage_error(s->cmd, "--%s %s: expected %s", o->name, v, what);
        }
    }
    for (size_t i = 0; i < nopt; i++) {
        const cli_opt *o = opt_at(s, i);
        char words[512];
        if ((o->flags & CLI_REQUIRED) && !a->given[i])
            return cli_usage_error(s->cmd, "--%s %s is required", o->name, o->arg ? o->arg : "");
        if (!a->given[i])
            continue;
        if (o->needs != NULL && !list_check(s, a, o->needs, strchr(o->needs, '|') != NULL)) {
            list_words(o->needs, words, sizeof words);
            return cli_usage_error(s->cmd, "--%s needs %s", o->name, words);
        }
        if (o->excludes != NULL) {
            const char *p = o->excludes;
            while (*p) {
                size_t len = strcspn(p, ",");
                int j = find_opt(s, p, len);
                if (j >= 0 && a->given[j])
                    return cli_usage_error(s->cmd, "--%s does not go with --%s", o->name,
                                           opt_at(s, (size_t)j)->name);
                p += len;
                if (*p)
                    p++;
            }
        }
    }
    if (a->n < s->min_args) {
        unsigned long missing = (unsigned long)(s->min_args - a->n);
        return cli_usage_error(s->cmd, "%s",
                               sol_ngettext("missing argument", "missing arguments", missing));
    }
    return CLI_OK;
}

/* The struct's current value of `o` as a default, into buf ("" when there is none to say). */
static void default_words(const cli_opt *o, const void *job, char *buf, size_t n)
{
    buf[0] = '\0';
    if (o->def != NULL) {
        snprintf(buf, n, "%s", tr(o->def));
        return;
    }
    if (job == NULL || (o->flags & CLI_NO_DEFAULT) || (o->flags & CLI_REQUIRED))
        return;
    const char *f = (const char *)job + o->off;
    switch (o->type) {
    case CLI_STR: {
        const char *v = *(const char *const *)(const void *)f;
        if (v != NULL)
            snprintf(buf, n, "%s", v);
        break;
    }
    case CLI_CHOICE: {
        int v = *(const int *)(const void *)f;
        for (const cli_choice *c = o->choices; c->name != NULL; c++)
            if (c->value == v) {
                snprintf(buf, n, "%s", c->name);
                break;
            }
        break;
    }
    case CLI_DOUBLE: {
        double v = *(const double *)(const void *)f;
        if (v != 0 && !isnan(v))
            snprintf(buf, n, "%g", v);
        break;
    }
    case CLI_INT:
        if (*(const int *)(const void *)f != 0)
            snprintf(buf, n, "%d", *(const int *)(const void *)f);
        break;
    case CLI_UINT:
        if (*(const unsigned *)(const void *)f != 0)
            snprintf(buf, n, "%u", *(const unsigned *)(const void *)f);
        break;
    case CLI_LONG:
        if (*(const long *)(const void *)f != 0)
            snprintf(buf, n, "%ld", *(const long *)(const void *)f);
        break;
    case CLI_SIZE:
        if (*(const size_t *)(const void *)f != 0)
            snprintf(buf, n, "%zu", *(const size_t *)(const void *)f);
        break;
    case CLI_U64:
        if (*(const uint64_t *)(const void *)f != 0)
            snprintf(buf, n, "%" PRIu64, *(const uint64_t *)(const void *)f);
        break;
    default: break;
    }
}

/* The columns `len` bytes of UTF-8 take on a terminal: one per code point (continuation bytes
 * 10xxxxxx do not count), so that "é" is one column. */
static int display_width(const char *s, size_t len)
{
    int w = 0;
    for (size_t i = 0; i < len; i++)
        w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

/* Print `text` from column `col`, its words wrapped at HELP_COLUMNS and every line after the
 * first indented by `indent` spaces (a '\n' in the text is a space). Returns the column. */
#define HELP_COLUMNS 100
static int put_wrapped(FILE *out, const char *text, int col, int indent)
{
    const char *p = text;
    while (*p) {
        if (*p == ' ' || *p == '\n') {
            p++;
            continue;
        }
        int len = (int)strcspn(p, " \n"), width = display_width(p, (size_t)len);
        if (col > indent && col + 1 + width > HELP_COLUMNS) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, (size_t)len, out);
        col += width;
        p += len;
    }
    return col;
}

/* One synopsis line of `len` bytes, its "[options]" in the language's words (the rest are
 * flags and metavariables, as typed). */
static void put_synopsis(FILE *out, const char *u, size_t len)
{
    static const char word[] = "[options]";
    const char *end = u + len;
    while (u < end) {
        const char *w = strstr(u, word);
        if (w == NULL || w >= end) {
            fwrite(u, 1, (size_t)(end - u), out);
            break;
        }
        fwrite(u, 1, (size_t)(w - u), out);
        /* TRANSLATORS: in a usage line: "solidata trend --data F.csv [options]" */
        fputs(_("[options]"), out);
        u = w + sizeof word - 1;
    }
    fputc('\n', out);
}

void cli_help(const cli_spec *s, const void *job, FILE *out)
{
    /* one synopsis per line, each after "usage: solidata CMD "; a line that starts with a space
     * continues the one before */
    const char *u = s->usage ? s->usage : "[options]";
    /* TRANSLATORS: the first word of the help, before "solidata COMMAND ..." */
    const char *lead = _("usage:");
    int lead_w = display_width(lead, strlen(lead));
    int first = 1, indent = lead_w + (int)strlen(s->cmd) + 11; /* "usage: solidata CMD " */
    while (*u) {
        size_t len = strcspn(u, "\n");
        if (*u == ' ' && !first)
            fprintf(out, "%*s", indent, "");
        else
            fprintf(out, "%s%*s solidata %s ", first ? lead : "", first ? 0 : lead_w, "", s->cmd);
        if (*u == ' ' && !first)
            put_synopsis(out, u + 1, len - 1);
        else
            put_synopsis(out, u, len);
        first = 0;
        u += len;
        if (*u)
            u++;
    }
    const char *about = tr(s->about), *more = tr(s->more);
    if (about != NULL && *about)
        fprintf(out, "\n%s%s", about, about[strlen(about) - 1] == '\n' ? "" : "\n");
    size_t n = count_opts(s);
    int width = 6; /* "--help" */
    for (size_t i = 0; i < n; i++) {
        const cli_opt *o = opt_at(s, i);
        int w = 2 + (int)strlen(o->name) + (o->arg ? 1 + (int)strlen(o->arg) : 0);
        if (w > width && w <= 26)
            width = w;
    }
    fprintf(out, "\n%s\n", _("Options:"));
    for (size_t i = 0; i < n; i++) {
        const cli_opt *o = opt_at(s, i);
        char head[128], def[256], range[512] = "";
        snprintf(head, sizeof head, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        if ((int)strlen(head) > width)
            fprintf(out, "  %s\n  %*s  ", head, width, "");
        else
            fprintf(out, "  %-*s  ", width, head);
        char text[2048];
        size_t len = (size_t)snprintf(text, sizeof text, "%s", o->help ? tr(o->help) : "");
        if (o->type == CLI_CHOICE &&
            (o->help == NULL || strstr(o->help, o->choices[0].name) == NULL)) {
            choice_words(o->choices, range, sizeof range);
            len += (size_t)snprintf(text + len, sizeof text - len, " (%s)", range);
        }
        default_words(o, job, def, sizeof def);
        if (def[0] != '\0' && len < sizeof text) {
            text[len++] = ' ';
            len += (size_t)snprintf(text + len, sizeof text - len, _("[default: %s]"), def);
        }
        if ((o->flags & CLI_REQUIRED) && len < sizeof text)
            len += (size_t)snprintf(text + len, sizeof text - len, " %s", _("[required]"));
        if (o->type == CLI_LIST && len < sizeof text)
            snprintf(text + len, sizeof text - len, " %s", _("[repeatable]"));
        put_wrapped(out, text, width + 4, width + 4);
        fputc('\n', out);
    }
    fprintf(out, "  %-*s  %s\n", width, "--help", _("this help"));
    if (more != NULL && *more)
        fprintf(out, "\n%s%s", more, more[strlen(more) - 1] == '\n' ? "" : "\n");
}

int cli_sub_find(const char *group, const cli_sub *subs, int argc, char **argv)
{
    int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
    if (argc >= 2 && !help) {
        for (int i = 0; subs[i].name != NULL; i++)
            if (strcmp(argv[1], subs[i].name) == 0)
                return i;
    }
    FILE *out = help ? stdout : stderr;
    fprintf(out, _("usage: solidata %s COMMAND [options]\n"), group);
    fprintf(out, "\n%s\n", _("Commands:"));
    for (int i = 0; subs[i].name != NULL; i++) {
        fprintf(out, "  %-14s ", subs[i].name);
        put_wrapped(out, tr(subs[i].help), 17, 17);
        fputc('\n', out);
    }
    fputc('\n', out);
    fprintf(out, _("'solidata %s COMMAND --help' for the options of one.\n"), group);
    if (help)
        return -CLI_HELP;
    if (argc >= 2)
        cli_usage_error(group, "unknown command '%s'", argv[1]);
    return -CLI_USAGE;
}
