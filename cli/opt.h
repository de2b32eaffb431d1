/* opt.h - the one option parser of the `solidata` command. Each command declares its flags once,
 * in a table (name, type, range or choices, needs/excludes, help line) whose entries write into
 * the command's job struct; parsing, value checks, every usage error's wording and `--help` are
 * generated from that table, so the help cannot drift from the code.
 *
 * Defaults are whatever the job struct holds before parsing (set by the run layer's
 * sol_run_*_job_init or the command): the help prints them from the struct itself. */
#ifndef SOL_CLI_OPT_H
#define SOL_CLI_OPT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum cli_opt_type {
    CLI_FLAG = 1, /* no value: stores `ival` (1 unless set) into an int */
    CLI_FLAG0,    /* no value: stores 0 into an int ("--no-self") */
    CLI_STR,      /* const char *, borrowed from argv */
    CLI_INT,      /* int within [min, max] */
    CLI_UINT,     /* unsigned within [min, max] */
    CLI_LONG,     /* long within [min, max] */
    CLI_SIZE,     /* size_t within [min, max] */
    CLI_U64,      /* uint64_t (seeds): any whole number >= 0 */
    CLI_DOUBLE,   /* double within [min, max]; CLI_OPEN_MIN / CLI_OPEN_MAX make a bound strict */
    CLI_CHOICE,   /* one of `choices` by name: stores its value into an int (or an enum) */
    CLI_CUSTOM,   /* `parse` converts the value; on failure the message says `expect` */
    CLI_LIST      /* repeatable: each value appended to a cli_list */
} cli_opt_type;

/* option flags */
enum {
    CLI_REQUIRED = 1u << 0,  /* must be given */
    CLI_OPEN_MIN = 1u << 1,  /* numbers: strictly greater than min */
    CLI_OPEN_MAX = 1u << 2,  /* numbers: strictly less than max */
    CLI_NO_DEFAULT = 1u << 3 /* help: do not print the struct's value as a default */
};

typedef struct cli_choice {
    const char *name;
    int value;
} cli_choice;

/* Values of a repeatable option, borrowed from argv; at most CLI_LIST_MAX. */
#define CLI_LIST_MAX 64
typedef struct cli_list {
    size_t n;
    const char *v[CLI_LIST_MAX];
} cli_list;

typedef struct cli_opt {
    const char *name; /* without the leading "--"; NULL ends a table */
    cli_opt_type type;
    size_t off;       /* offsetof the field in the job struct */
    const char *arg;  /* the value's name in the help ("FILE", "N"); NULL for flags */
    const char *help; /* a phrase; the help wraps it to the screen */
    double min, max;  /* numbers: the accepted range (both 0: any) */
    unsigned flags;
    const cli_choice *choices; /* CLI_CHOICE: terminated by {NULL, 0} */
    int ival;                  /* CLI_FLAG: the value stored (0 means 1) */
    /* CLI_CUSTOM: convert `arg` into the field; 0 on success. */
    int (*parse)(const char *arg, void *field);
    const char *expect;   /* words after "expected" when a value is refused (generated if NULL) */
    const char *needs;    /* "a,b": needs every one of them; "a|b": needs one of them */
    const char *excludes; /* "a,b": cannot be given with any of them */
    const char *def;      /* help: the default in words, instead of the struct's value */
} cli_opt;

/* A command: its name as typed ("spatial lisa"), what follows the name in the usage line (one
 * synopsis per line; a line starting with a space continues the synopsis before it), a paragraph on
 * what it does, its own option table, a closing text (output columns, examples), how many
 * positional arguments it takes, and the tables it shares with other commands (NULL-terminated;
 * listed before its own in the help), so that a flag common to several commands is declared once.
 */
typedef struct cli_spec {
    const char *cmd;
    const char *usage;
    const char *about;
    const cli_opt *opts;
    const char *more;
    int min_args, max_args;
    const cli_opt *const *shared;
} cli_spec;

#define CLI_MAX_OPTS 128
#define CLI_MAX_ARGS 16
typedef struct cli_args {
    int n; /* positional arguments, in order */
    char *v[CLI_MAX_ARGS];
    unsigned char given[CLI_MAX_OPTS]; /* given[i]: how often option i was on the command line */
} cli_args;

/* What cli_parse returns besides CLI_OK (0) and CLI_USAGE (2): --help was printed on stdout and
 * the command should exit 0. */
enum { CLI_HELP = 3 };

/* Parse argv[1..argc-1] (argv[0] is the command's word) into `job`. Long options as --name VALUE
 * or --name=VALUE, -h/--help, "--" ends the options; other words are positional. Prints one
 * message on stderr for any usage error ("solidata CMD: ...; see 'solidata CMD --help'") and
 * returns CLI_USAGE; prints the help and returns CLI_HELP for --help; else CLI_OK. */
int cli_parse(const cli_spec *s, int argc, char **argv, void *job, cli_args *a);

/* 1 when the option named `name` was given (0 for a name not in the table). */
int cli_given(const cli_spec *s, const cli_args *a, const char *name);

/* The generated help: usage, about, every option with its default read from `job` (may be NULL),
 * the closing text. */
void cli_help(const cli_spec *s, const void *job, FILE *out);

/* A group of sub-commands ("spatial weights|moran|lisa|gistar"): find argv[1] in `subs` (NULL
 * name ends it) and return its index; print the group's help (on stdout for --help, returning
 * -CLI_HELP) or a usage error (returning -CLI_USAGE) otherwise. */
typedef struct cli_sub {
    const char *name;
    const char *help;
} cli_sub;
int cli_sub_find(const char *group, const cli_sub *subs, int argc, char **argv);

#endif
