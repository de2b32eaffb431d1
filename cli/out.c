/* out.c - what the command files share: messages (errors, usage errors, progress, notes) on
 * stderr, CSV fields and numbers, writers, output files, opening the store. */
#include "cli.h"
#include "opt.h"

#include <solidata/store.h>

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_fail(const sol_error *err)
{
    char buf[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
    sol_error_format(err, buf, sizeof buf);
    fprintf(stderr, "solidata: %s\n", buf);
    if (err->code == SOL_EBUSY)
        fputs(_("solidata: or wait longer for it: solidata --wait SECONDS ...\n"), stderr);
    return CLI_FAIL;
}

int cli_failf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("solidata: ", stderr);
    vfprintf(stderr, _(fmt), ap);
    fputc('\n', stderr);
    va_end(ap);
    return CLI_FAIL;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "solidata %s: ", cmd);
    vfprintf(stderr, _(fmt), ap);
    fprintf(stderr, _("; see 'solidata %s --help'\n"), cmd);
    va_end(ap);
    return CLI_USAGE;
}

int cli_job_fail(const char *cmd, const sol_error *err)
{
    if (strncmp(err->where, "--", 2) == 0)
        return cli_usage_error(cmd, "%s %s", err->where, err->msg);
    return cli_fail(err);
}

void cli_progress(const cli_ctx *ctx, const char *fmt, ...)
{
    if (ctx->quiet)
        return;
    int tty = isatty(STDERR_FILENO);
    va_list ap;
    va_start(ap, fmt);
    if (tty)
        fputs("\r\033[K", stderr);
    vfprintf(stderr, _(fmt), ap);
    if (!tty)
        fputc('\n', stderr);
    va_end(ap);
    fflush(stderr);
}

void cli_csv_field(FILE *out, const char *s, int last)
{
    if (s == NULL)
        s = "";
    if (strpbrk(s, ",\"\n\r") == NULL) {
        fputs(s, out);
    } else {
        fputc('"', out);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', out);
            fputc(*s, out);
        }
        fputc('"', out);
    }
    fputc(last ? '\n' : ',', out);
}

void cli_csv_fields(FILE *out, const char *const *v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        cli_csv_field(out, v[k], k + 1 == n);
}

void cli_csv_number(FILE *out, double x, int last)
{
    if (!isnan(x))
        fprintf(out, "%.17g", x);
    fputc(last ? '\n' : ',', out);
}

/* While the store waits for another writer: a line on stderr now and then. */
static void wait_note(void *ud, double waited, double limit)
{
    const cli_ctx *ctx = ud;
    if (!ctx->quiet)
        fprintf(stderr,
                _("solidata: another program is writing to the store (an import, the server); "
                  "waiting for it to finish: %.0f s of at most %.0f (--wait)\n"),
                waited, limit);
}

int cli_open_store(const cli_ctx *ctx, int want, sol_store **st, sol_error *err)
{
    *st = NULL;
    sol_error_clear(err);
    if (want && sol_store_open(ctx->db_path, st, err) != SOL_OK)
        return cli_fail(err);
    if (want)
        sol_store_set_wait(*st, ctx->wait, wait_note, (void *)ctx);
    /* SOLIDATA_PUBLISH_AUTO=on|off: this command publishes what it adds, or not, whatever the
     * store's setting (scripts and test suites; docs/publish.md) */
    const char *pa = getenv("SOLIDATA_PUBLISH_AUTO");
    if (want && pa && (strcmp(pa, "on") == 0 || strcmp(pa, "off") == 0))
        sol_store_publish_auto_override(*st, strcmp(pa, "on") == 0);
    return CLI_OK;
}

void cli_csv_number_na(FILE *out, double x, int last)
{
    if (isnan(x))
        fputs("NA", out);
    else
        fprintf(out, "%.17g", x);
    fputc(last ? '\n' : ',', out);
}

int cli_close_store(sol_store *st, sol_status s, const sol_error *err)
{
    sol_store_close(st);
    return s == SOL_OK ? CLI_OK : cli_fail(err);
}

sol_status cli_write_file(void *ud, const void *buf, size_t n)
{
    return fwrite(buf, 1, n, (FILE *)ud) == n ? SOL_OK : SOL_EIO;
}

int cli_write_chars(void *ud, const char *data, size_t len)
{
    return fwrite(data, 1, len, ud) == len ? 0 : -1;
}

int cli_run_id(const char *cmd, const char *arg, long long *id)
{
    char *end = NULL;
    if ((*id = strtoll(arg, &end, 10)) <= 0 || *end)
        return cli_usage_error(cmd, "give one run id (a positive integer)");
    return CLI_OK;
}

void cli_notes(const cli_ctx *ctx, const char *label, char *const *notes, size_t n)
{
    for (size_t k = 0; k < n && !(ctx && ctx->quiet); k++)
        fprintf(stderr, "solidata: %s: %s\n", _(label), notes[k]);
}

void cli_say_recorded(long long id)
{
    fprintf(stderr, _("solidata: recorded as run %lld; 'solidata runs show %lld'\n"), id, id);
}

FILE *cli_out_open(const char *path)
{
    FILE *f = path ? fopen(path, "w") : stdout;
    if (f == NULL)
        cli_failf("cannot write %s", path);
    return f;
}

int cli_out_close(FILE *f, const char *path)
{
    if (f == stdout ? fflush(f) != 0 : (ferror(f) | fclose(f)) != 0)
        return path ? cli_failf("cannot write %s", path) : cli_failf("cannot write to stdout");
    return CLI_OK;
}

int cli_print_json(FILE *f, const char *json, long long run_id)
{
    json_t *j = json_loads(json, 0, NULL);
    if (j == NULL) {
        cli_failf("internal error: result is not JSON");
        return -1;
    }
    if (run_id > 0)
        json_object_set_new(j, "run_id", json_integer((json_int_t)run_id));
    int bad = json_dumpf(j, f, JSON_INDENT(2) | JSON_REAL_PRECISION(17)) != 0;
    json_decref(j);
    fputc('\n', f);
    return bad;
}

int cli_parse_store(const cli_ctx *ctx, const cli_spec *s, int argc, char **argv, void *job,
                    cli_args *a, sol_store **st, sol_error *err)
{
    int rc = cli_parse(s, argc, argv, job, a);
    return rc != CLI_OK ? rc : cli_open_store(ctx, 1, st, err);
}

int cli_db_is_server(const char *db)
{
    return db && (strncmp(db, "postgresql://", 13) == 0 || strncmp(db, "postgres://", 11) == 0 ||
                  (strchr(db, '=') != NULL && strchr(db, '/') == NULL));
}

const char *cli_db_display(const char *db, char *buf, size_t n)
{
    /* postgresql://user:secret@host/db -> postgresql://user@host/db; "password=..." dropped */
    const char *scheme = strstr(db, "://");
    size_t k = 0;
    if (scheme && cli_db_is_server(db)) {
        const char *auth = scheme + 3, *at = strchr(auth, '@'), *slash = strchr(auth, '/');
        const char *colon = strchr(auth, ':');
        if (at && (!slash || at < slash) && colon && colon < at) {
            snprintf(buf, n, "%.*s%s", (int)(colon - db), db, at);
            return buf;
        }
    } else if (cli_db_is_server(db)) {
        for (const char *p = db; *p && k + 1 < n;) {
            size_t w = strcspn(p, " ");
            if (strncmp(p, "password=", 9) != 0) {
                int m = snprintf(buf + k, n - k, "%s%.*s", k ? " " : "", (int)w, p);
                k += m > 0 ? (size_t)m : 0;
            }
            p += w;
            p += strspn(p, " ");
        }
        if (k >= n)
            buf[n - 1] = 0;
        return k ? buf : db;
    }
    return db;
}
