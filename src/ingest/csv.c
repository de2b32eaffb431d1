/* csv.c - streaming CSV reader: delimiter detection, RFC 4180 quoting, CRLF, BOM, UTF-8
 * validation, bounded fields and records, SHA-256 of the bytes read. */
#include <solidata/csv.h>

#include "core/core.h"
#include "ingest/ingest_int.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define CHUNK (1u << 20)

enum { ST_START, ST_UNQUOTED, ST_QUOTED, ST_QUOTE_END };

struct sol_csv {
    char *name;
    FILE *fp;        /* NULL when reading from memory */
    const char *mem; /* memory source */
    size_t mem_len, mem_pos;
    char *chunk;       /* read buffer (file mode) */
    const char *p;     /* current chunk */
    size_t len, pos;   /* chunk length and read position */
    uint64_t consumed; /* bytes of earlier chunks */
    int eof;
    crypto_hash_sha256_state sha;
    unsigned char digest[32];
    int digest_done;
    int no_digest; /* a reopened file: the first reader's digest is the file's */

    char delim;
    size_t max_field;
    unsigned long line;  /* current physical line */
    uint64_t line_start; /* absolute offset of the current line's first byte */
    int skip_lf;         /* last byte was a '\r' ending a record */

    sol_buf rec;        /* field bytes, each NUL-terminated */
    size_t *off;        /* start of each field in rec */
    unsigned long *col; /* starting column of each field */
    size_t nf, cap_f;
    unsigned long rec_line;

    char **names;
    size_t ncols;

    int raw;         /* no header, records as they are (blank ones too) */
    int char_cols;   /* columns counted in characters (text converted from 8-bit) */
    sol__table *tab; /* table mode: records from a table read by sheet.c (a reference) */
    size_t trow;     /* table mode: next kept row */
    size_t *tcell;   /* table mode: the current row's cells */
    size_t tn;
};

static sol_status refill(sol_csv *c, sol_error *err)
{
    if (c->eof)
        return SOL_EOF;
    c->consumed += c->len;
    c->pos = 0;
    if (c->fp == NULL) {
        if (c->mem_pos >= c->mem_len) {
            c->len = 0;
            c->eof = 1;
            return SOL_EOF;
        }
        size_t n = c->mem_len - c->mem_pos;
        if (n > CHUNK)
            n = CHUNK;
        c->p = c->mem + c->mem_pos;
        c->mem_pos += n;
        c->len = n;
    } else {
        size_t n = fread(c->chunk, 1, CHUNK, c->fp);
        if (n == 0) {
            c->len = 0;
            if (ferror(c->fp))
                return sol__err_at(err, SOL_EIO, c->name, c->line, 0, "read error: %s",
                                   strerror(errno));
            c->eof = 1;
            return SOL_EOF;
        }
        c->p = c->chunk;
        c->len = n;
    }
    if (!c->no_digest)
        crypto_hash_sha256_update(&c->sha, (const unsigned char *)c->p, c->len);
    return SOL_OK;
}

static unsigned long col_at(const sol_csv *c, size_t pos)
{
    if (c->char_cols && c->fp == NULL) { /* one column per character, as in the original file */
        unsigned long n = 1;
        for (uint64_t k = c->line_start; k < c->consumed + pos && k < c->mem_len; k++)
            n += ((unsigned char)c->mem[k] & 0xC0) != 0x80;
        return n;
    }
    return (unsigned long)(c->consumed + pos - c->line_start + 1);
}

static sol_status start_field(sol_csv *c, sol_error *err)
{
    if (c->nf == c->cap_f) {
        if (c->cap_f >= SOL_MAX_CSV_FIELDS)
            return sol__err_at(err, SOL_ELIMIT, c->name, c->line, col_at(c, c->pos),
                               "more than %u fields in one record", SOL_MAX_CSV_FIELDS);
        size_t n = c->cap_f ? c->cap_f * 2 : 64;
        size_t *o = sol__realloc(c->off, n * sizeof *o);
        if (o == NULL)
            return sol__err(err, SOL_ENOMEM, "out of memory reading %s", c->name);
        c->off = o;
        unsigned long *cl = sol__realloc(c->col, n * sizeof *cl);
        if (cl == NULL)
            return sol__err(err, SOL_ENOMEM, "out of memory reading %s", c->name);
        c->col = cl;
        c->cap_f = n;
    }
    c->off[c->nf] = c->rec.len;
    c->col[c->nf] = col_at(c, c->pos);
    c->nf++;
    return SOL_OK;
}

static sol_status append(sol_csv *c, const char *s, size_t n, sol_error *err)
{
    size_t flen = c->rec.len - c->off[c->nf - 1] + n;
    if (flen > c->max_field)
        return sol__err_at(err, SOL_ELIMIT, c->name, c->rec_line, c->col[c->nf - 1],
                           "field longer than %zu bytes (is a closing quote missing?)",
                           c->max_field);
    sol_status rc = sol__buf_add(&c->rec, s, n);
    if (rc == SOL_ELIMIT)
        return sol__err_at(err, SOL_ELIMIT, c->name, c->rec_line, 0, "record longer than %u bytes",
                           SOL_MAX_CSV_RECORD);
    if (rc != SOL_OK)
        return sol__err(err, rc, "out of memory reading %s", c->name);
    return SOL_OK;
}

static sol_status end_field(sol_csv *c, sol_error *err)
{
    size_t start = c->off[c->nf - 1];
    size_t n = c->rec.len - start;
    const char *f = c->rec.data ? c->rec.data + start : "";
    const char *nul = n ? memchr(f, '\0', n) : NULL; /* it would cut the field short later */
    if (nul != NULL)
        return sol__err_at(err, SOL_EENCODING, c->name, c->rec_line,
                           c->col[c->nf - 1] + (unsigned long)(nul - f),
                           "a NUL byte inside a field: this is not a text CSV (a spreadsheet, "
                           "or UTF-16?); save it as CSV in UTF-8");
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)f[i] >= 0x80) {
            size_t bad = sol__utf8_invalid_at(f, n);
            if (bad < n)
                return sol__err_at(err, SOL_EENCODING, c->name, c->rec_line,
                                   c->col[c->nf - 1] + (unsigned long)bad,
                                   "invalid UTF-8 byte 0x%02X; save the file as UTF-8",
                                   (unsigned char)f[bad]);
            break;
        }
    }
    sol_status rc = sol__buf_addc(&c->rec, '\0');
    if (rc != SOL_OK)
        return sol__err_at(err, rc, c->name, c->rec_line, 0, "record too long");
    return SOL_OK;
}

static void newline(sol_csv *c, size_t pos_after)
{
    c->line++;
    c->line_start = c->consumed + pos_after;
}

/* After a delimiter: at the end of the buffered bytes, refill; at the end of the file the
 * record ends with one more, empty, field. SOL_OK to go on, SOL_EOF when the record ended so. */
static sol_status after_delim(sol_csv *c, sol_error *err)
{
    if (c->pos < c->len)
        return SOL_OK;
    sol_status rc = refill(c, err);
    if (rc != SOL_EOF)
        return rc;
    c->pos = 0;
    if ((rc = start_field(c, err)) != SOL_OK || (rc = end_field(c, err)) != SOL_OK)
        return rc;
    return SOL_EOF;
}

/* Parse one physical record into rec/off. SOL_EOF when no bytes remain. */
static sol_status parse_record(sol_csv *c, sol_error *err)
{
    sol_status rc;
    int state = ST_START;
    unsigned long qline = 0, qcol = 0;
    int any = 0;

    sol__buf_reset(&c->rec);
    c->nf = 0;
    c->rec_line = c->line;
    for (;;) {
        if (c->pos >= c->len) {
            rc = refill(c, err);
            if (rc == SOL_EOF)
                break;
            if (rc != SOL_OK)
                return rc;
        }
        const char *p = c->p;
        size_t i = c->pos, n = c->len;
        if (c->skip_lf) {
            c->skip_lf = 0;
            if (p[i] == '\n') {
                c->pos = i + 1;
                c->line_start = c->consumed + c->pos;
                continue;
            }
        }
        if (!any) {
            c->rec_line = c->line;
            any = 1;
        }
        if (state == ST_START) {
            c->pos = i;
            if ((rc = start_field(c, err)) != SOL_OK)
                return rc;
            if (p[i] == '"') {
                state = ST_QUOTED;
                qline = c->line;
                qcol = col_at(c, i);
                c->pos = i + 1;
                continue;
            }
            state = ST_UNQUOTED;
        }
        if (state == ST_UNQUOTED) {
            size_t j = i;
            while (j < n && p[j] != c->delim && p[j] != '\n' && p[j] != '\r')
                j++;
            if (j > i && (rc = append(c, p + i, j - i, err)) != SOL_OK)
                return rc;
            c->pos = j;
            if (j == n)
                continue;
            if ((rc = end_field(c, err)) != SOL_OK)
                return rc;
            c->pos = j + 1;
            if (p[j] == c->delim) {
                state = ST_START;
                if ((rc = after_delim(c, err)) != SOL_OK)
                    return rc == SOL_EOF ? SOL_OK : rc;
                continue;
            }
            c->skip_lf = p[j] == '\r';
            newline(c, j + 1);
            return SOL_OK;
        }
        if (state == ST_QUOTED) {
            size_t j = i;
            while (j < n && p[j] != '"' && p[j] != '\n')
                j++;
            if (j > i && (rc = append(c, p + i, j - i, err)) != SOL_OK) {
                if (rc == SOL_ELIMIT && err)
                    snprintf(err->msg, sizeof err->msg,
                             "quoted field longer than %zu bytes: is the quote opened at line "
                             "%lu, column %lu missing its closing quote?",
                             c->max_field, qline, qcol);
                return rc;
            }
            c->pos = j;
            if (j == n)
                continue;
            if (p[j] == '\n') {
                if ((rc = append(c, "\n", 1, err)) != SOL_OK)
                    return rc;
                c->pos = j + 1;
                newline(c, j + 1);
                continue;
            }
            c->pos = j + 1;
            state = ST_QUOTE_END;
            continue;
        }
        /* ST_QUOTE_END: just read a quote inside a quoted field */
        char ch = p[i];
        if (ch == '"') {
            if ((rc = append(c, "\"", 1, err)) != SOL_OK)
                return rc;
            c->pos = i + 1;
            state = ST_QUOTED;
            continue;
        }
        if (ch == c->delim || ch == '\n' || ch == '\r') {
            if ((rc = end_field(c, err)) != SOL_OK)
                return rc;
            c->pos = i + 1;
            if (ch == c->delim) {
                state = ST_START;
                if ((rc = after_delim(c, err)) != SOL_OK)
                    return rc == SOL_EOF ? SOL_OK : rc;
                continue;
            }
            c->skip_lf = ch == '\r';
            newline(c, i + 1);
            return SOL_OK;
        }
        return sol__err_at(err, SOL_EPARSE, c->name, c->line, col_at(c, i),
                           "expected '%c' or end of line after the closing quote, found '%c'",
                           c->delim == '\t' ? ' ' : c->delim, ch);
    }
    /* end of input */
    if (state == ST_QUOTED)
        return sol__err_at(err, SOL_EPARSE, c->name, qline, qcol,
                           "unterminated quoted field: the quote opened here is never closed");
    if (!any)
        return SOL_EOF;
    if (state == ST_UNQUOTED || state == ST_QUOTE_END)
        return end_field(c, err);
    return SOL_OK;
}

static int blank_record(const sol_csv *c)
{
    return c->nf == 1 && c->rec.len == 1; /* one empty field (its NUL) */
}

static char detect_delimiter(const char *p, size_t n)
{
    size_t counts[3] = {0, 0, 0};
    const char cands[3] = {',', ';', '\t'};
    int q = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '"')
            q = !q;
        else if (!q && (p[i] == '\n' || p[i] == '\r'))
            break;
        else if (!q)
            for (int k = 0; k < 3; k++)
                counts[k] += p[i] == cands[k];
    }
    int best = 0;
    for (int k = 1; k < 3; k++)
        if (counts[k] > counts[best])
            best = k;
    return cands[best];
}

static sol_status open_common(sol_csv *c, const sol_csv_opts *o, sol_error *err)
{
    sol_status rc;
    if (sodium_init() < 0)
        return sol__err(err, SOL_EIO, "libsodium failed to initialise");
    crypto_hash_sha256_init(&c->sha);
    c->max_field = o && o->max_field ? o->max_field : SOL_MAX_CSV_FIELD;
    c->line = 1;
    sol__buf_init(&c->rec, SOL_MAX_CSV_RECORD);
    rc = refill(c, err);
    if (rc == SOL_EOF)
        return sol__err_at(err, SOL_EPARSE, c->name, 0, 0,
                           "the file is empty: expected a header line with column names");
    if (rc != SOL_OK)
        return rc;
    if (c->len >= 3 && memcmp(c->p, "\xEF\xBB\xBF", 3) == 0) {
        c->pos = 3;
        c->line_start = 3;
    }
    c->delim = o && o->delimiter ? o->delimiter : detect_delimiter(c->p + c->pos, c->len - c->pos);
    c->raw = o && o->raw;
    c->char_cols = o && o->char_columns;
    if (c->raw)
        return SOL_OK;
    do {
        rc = parse_record(c, err);
    } while (rc == SOL_OK && blank_record(c));
    if (rc == SOL_EOF)
        return sol__err_at(err, SOL_EPARSE, c->name, 0, 0,
                           "the file has no header line: expected column names");
    if (rc != SOL_OK)
        return rc;
    c->ncols = c->nf;
    c->names = sol__calloc(c->ncols, sizeof *c->names);
    if (c->names == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->ncols; i++) {
        const char *f = c->rec.data + c->off[i];
        size_t n = strlen(f);
        while (n && (*f == ' ' || *f == '\t')) {
            f++;
            n--;
        }
        while (n && (f[n - 1] == ' ' || f[n - 1] == '\t'))
            n--;
        if ((c->names[i] = sol__strndup(f, n)) == NULL)
            return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    return SOL_OK;
}

/* The rest of opening, the same for a file and for memory: *out = c, or c closed. */
static sol_status open_finish(sol_csv *c, const sol_csv_opts *o, sol_csv **out, sol_error *err)
{
    sol_status rc = open_common(c, o, err);
    if (rc != SOL_OK) {
        sol_csv_close(c);
        return rc;
    }
    *out = c;
    return SOL_OK;
}

sol_status sol_csv_open(const char *path, const sol_csv_opts *o, sol_csv **out, sol_error *err)
{
    sol_status rc = SOL_ENOMEM;
    sol_csv *c = sol__calloc(1, sizeof *c);
    if (c == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    if ((c->name = sol__strdup(path)) == NULL || (c->chunk = sol__malloc(CHUNK)) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    c->fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (c->fp == NULL) {
        rc = sol__err_at(err, SOL_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
        goto fail;
    }
    return open_finish(c, o, out, err);
fail:
    sol_csv_close(c);
    return rc;
}

sol_status sol_csv_open_mem(const char *data, size_t len, const char *name, const sol_csv_opts *o,
                            sol_csv **out, sol_error *err)
{
    sol_status rc;
    sol_csv *c = sol__calloc(1, sizeof *c);
    if (c == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    c->mem = data;
    c->mem_len = len;
    if ((c->name = sol__strdup(name ? name : "(memory)")) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    return open_finish(c, o, out, err);
fail:
    sol_csv_close(c);
    return rc;
}

void sol_csv_close(sol_csv *c)
{
    if (c == NULL)
        return;
    if (c->fp && c->fp != stdin)
        fclose(c->fp);
    for (size_t i = 0; c->names && i < c->ncols; i++)
        sol__free(c->names[i]);
    sol__free(c->names);
    sol__buf_free(&c->rec);
    sol__table_unref(c->tab);
    sol__free_n(5, c->off, c->col, c->chunk, c->name, c);
}

sol_status sol__csv_open_table(sol__table *t, sol_csv **out, sol_error *err)
{
    sol_csv *c = sol__calloc(1, sizeof *c);
    if (c == NULL || (c->name = sol__strdup(t->name)) == NULL ||
        (c->names = sol__calloc(t->ncols ? t->ncols : 1, sizeof *c->names)) == NULL) {
        sol_csv_close(c);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    c->ncols = t->ncols;
    for (size_t i = 0; i < t->ncols; i++)
        if ((c->names[i] = sol__strdup(t->hname[i])) == NULL) {
            sol_csv_close(c);
            return sol__err(err, SOL_ENOMEM, "out of memory");
        }
    c->tab = t;
    t->refs++;
    c->delim = t->delim;
    c->eof = 1;
    c->rec_line = t->header_line;
    *out = c;
    return SOL_OK;
}

sol_status sol_csv_reopen(const sol_csv *c, sol_csv **out, sol_error *err)
{
    if (c->tab)
        return sol__csv_open_table(c->tab, out, err);
    if (c->fp == NULL)
        return sol__err(err, SOL_EINVAL, "a reader over memory cannot be opened again");
    sol_csv_opts co = {.delimiter = c->delim, .max_field = c->max_field};
    sol_status rc = sol_csv_open(c->name, &co, out, err);
    if (rc == SOL_OK) /* hashing the same bytes again cost an import a tenth of its time */
        (*out)->no_digest = 1;
    return rc;
}

size_t sol_csv_nfields(const sol_csv *c)
{
    return c->tab ? c->ncols : c->nf;
}

sol_status sol_csv_next(sol_csv *c, sol_error *err)
{
    sol_status rc;
    if (c->tab) {
        if (c->trow >= c->tab->nkeep)
            return SOL_EOF;
        size_t r = c->tab->keep[c->trow++];
        c->tcell = c->tab->cell + c->tab->rfirst[r];
        c->tn = c->tab->rn[r];
        c->rec_line = c->tab->rline[r];
        c->nf = c->ncols;
        return SOL_OK;
    }
    if (c->raw)
        return parse_record(c, err);
    do {
        rc = parse_record(c, err);
    } while (rc == SOL_OK && blank_record(c));
    if (rc != SOL_OK)
        return rc;
    if (c->nf != c->ncols)
        return sol__err_at(err, SOL_EPARSE, c->name, c->rec_line, 0,
                           "expected %zu fields (as in the header), found %zu", c->ncols, c->nf);
    return SOL_OK;
}

size_t sol_csv_ncols(const sol_csv *c)
{
    return c->ncols;
}

const char *sol_csv_colname(const sol_csv *c, size_t i)
{
    return i < c->ncols ? c->names[i] : NULL;
}

long sol_csv_colindex(const sol_csv *c, const char *name)
{
    for (size_t i = 0; i < c->ncols; i++)
        if (strcmp(c->names[i], name) == 0)
            return (long)i;
    return -1;
}

const char *sol_csv_field(const sol_csv *c, size_t i, size_t *len)
{
    if (c->tab) {
        const char *f = i < c->tn ? c->tab->text.data + c->tcell[i] : "";
        if (len)
            *len = strlen(f);
        return f;
    }
    if (i >= c->nf) {
        if (len)
            *len = 0;
        return "";
    }
    const char *f = c->rec.data + c->off[i];
    if (len) {
        size_t end = i + 1 < c->nf ? c->off[i + 1] - 1 : c->rec.len - 1;
        *len = end - c->off[i];
    }
    return f;
}

unsigned long sol_csv_line(const sol_csv *c)
{
    return c->rec_line;
}

unsigned long sol_csv_col(const sol_csv *c, size_t i)
{
    if (c->tab)
        return i < c->tn ? c->tab->ccol[c->tcell - c->tab->cell + i] : 0;
    return i < c->nf ? c->col[i] : 0;
}

char sol_csv_delimiter(const sol_csv *c)
{
    return c->delim;
}

const char *sol_csv_name(const sol_csv *c)
{
    return c->name;
}

uint64_t sol_csv_bytes(const sol_csv *c)
{
    if (c->tab)
        return c->tab->nkeep ? c->tab->bytes * c->trow / c->tab->nkeep : 0;
    return c->consumed + c->pos;
}

void sol_csv_sha256_hex(const sol_csv *c, char hex[65])
{
    if (c->tab) {
        memcpy(hex, c->tab->sha, 65);
        return;
    }
    if (c->no_digest) {
        hex[0] = '\0';
        return;
    }
    sol_csv *m = (sol_csv *)c; /* the digest is computed once, on a copy of the state */
    if (!m->digest_done) {
        crypto_hash_sha256_state s = m->sha;
        crypto_hash_sha256_final(&s, m->digest);
        if (m->eof)
            m->digest_done = 1;
    }
    sodium_bin2hex(hex, 65, m->digest, sizeof m->digest);
}

sol_status sol_parse_number(const char *s, size_t len, int comma_ok, double *out)
{
    return sol__parse_double(s, len, comma_ok, out);
}

int sol_is_missing(const char *s, size_t len)
{
    return sol__is_missing(s, len);
}
