/* microdata.c - survey microdata from CSV: only the columns asked for are parsed and kept (numbers
 * as doubles, codes as level indices). A file is mapped and parsed in parallel over newline-aligned
 * chunks; anything unusual (quotes, bad values) falls back to the streaming reader, whose messages
 * give file:line:column. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* MAP_POPULATE */
#include <solidata/stats.h>

#include <solidata/csv.h>
#include <solidata/limits.h>

#include "core/core.h"
#include "stats/stats_int.h"

#ifdef _OPENMP
#include <omp.h>
#endif

#include <fcntl.h>
#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct md_col {
    sol_md_column spec;
    long src; /* column index in the file */
    double *num;
    uint32_t *code;
    sol_strmap *levels_map;
    char **levels;
    size_t nlevels, cap_levels;
} md_col;

struct sol_microdata {
    size_t n, cap, ncols;
    md_col *cols;
    char sha256[65];
    int sha_done;
    const char *map; /* the mapped file (fast path), hashed when the digest is first asked for */
    size_t map_len;
    uint64_t bytes;
    int fast; /* read by the parallel path */
};

void sol_microdata_free(sol_microdata *md)
{
    if (md == NULL)
        return;
    for (size_t j = 0; j < md->ncols; j++) {
        md_col *c = &md->cols[j];
        sol__free(c->num);
        sol__free(c->code);
        sol__strmap_free(c->levels_map);
        for (size_t l = 0; l < c->nlevels; l++)
            sol__free(c->levels[l]);
        sol__free(c->levels);
    }
    sol__free(md->cols);
    if (md->map != NULL)
        munmap((void *)md->map, md->map_len);
    sol__free(md);
}

size_t sol_microdata_rows(const sol_microdata *md)
{
    return md->n;
}

const double *sol_microdata_numbers(const sol_microdata *md, size_t col)
{
    return col < md->ncols ? md->cols[col].num : NULL;
}

const uint32_t *sol_microdata_codes(const sol_microdata *md, size_t col)
{
    return col < md->ncols ? md->cols[col].code : NULL;
}

size_t sol_microdata_nlevels(const sol_microdata *md, size_t col)
{
    return col < md->ncols ? md->cols[col].nlevels : 0;
}

const char *sol_microdata_level(const sol_microdata *md, size_t col, size_t level)
{
    if (col >= md->ncols || level >= md->cols[col].nlevels)
        return NULL;
    return md->cols[col].levels[level];
}

const char *sol_microdata_sha256(const sol_microdata *md)
{
    if (!md->sha_done) { /* computed on first use: hashing costs more than parsing */
        sol_microdata *m = (sol_microdata *)md;
        unsigned char dg[32];
        crypto_hash_sha256(dg, (const unsigned char *)m->map, m->map_len);
        for (size_t i = 0; i < 32; i++) {
            static const char hx[] = "0123456789abcdef";
            m->sha256[2 * i] = hx[dg[i] >> 4];
            m->sha256[2 * i + 1] = hx[dg[i] & 15];
        }
        m->sha256[64] = '\0';
        m->sha_done = 1;
    }
    return md->sha256;
}

int sol__microdata_fast(const sol_microdata *md)
{
    return md->fast;
}

uint64_t sol_microdata_bytes(const sol_microdata *md)
{
    return md->bytes;
}

static sol_status grow_rows(sol_microdata *md)
{
    if (md->n < md->cap)
        return SOL_OK;
    if (md->cap >= SOL_MAX_MICRODATA_ROWS)
        return SOL_ELIMIT;
    size_t cap = md->cap ? md->cap * 2 : 4096;
    if (cap > SOL_MAX_MICRODATA_ROWS)
        cap = SOL_MAX_MICRODATA_ROWS;
    for (size_t j = 0; j < md->ncols; j++) {
        md_col *c = &md->cols[j];
        if (c->spec.kind == SOL_MD_NUMBER) {
            double *p = sol__realloc(c->num, cap * sizeof *p);
            if (p == NULL)
                return SOL_ENOMEM;
            c->num = p;
        } else {
            uint32_t *p = sol__realloc(c->code, cap * sizeof *p);
            if (p == NULL)
                return SOL_ENOMEM;
            c->code = p;
        }
    }
    md->cap = cap;
    return SOL_OK;
}

/* Level index of a code, adding it when new. */
static sol_status code_level(md_col *c, const char *s, size_t len, uint32_t *out)
{
    int64_t v;
    if (sol__strmap_get(c->levels_map, s, len, &v)) {
        *out = (uint32_t)v;
        return SOL_OK;
    }
    if (c->nlevels >= SOL_MAX_MICRODATA_LEVELS)
        return SOL_ELIMIT;
    if (c->nlevels == c->cap_levels) {
        size_t cap = c->cap_levels ? c->cap_levels * 2 : 64;
        char **p = sol__realloc(c->levels, cap * sizeof *p);
        if (p == NULL)
            return SOL_ENOMEM;
        c->levels = p;
        c->cap_levels = cap;
    }
    char *copy = sol__strndup(s, len);
    if (copy == NULL)
        return SOL_ENOMEM;
    if (sol__strmap_put(c->levels_map, s, len, (int64_t)c->nlevels) != SOL_OK) {
        sol__free(copy);
        return SOL_ENOMEM;
    }
    c->levels[c->nlevels] = copy;
    *out = (uint32_t)c->nlevels++;
    return SOL_OK;
}

/* A code's spaces and tabs around it left out (s and len updated). */
static void trim_blanks(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

static sol_status read_all(sol_csv *csv, const sol_md_column *cols, size_t ncols,
                           sol_microdata **out, sol_error *err)
{
    sol_status rc = SOL_ENOMEM;
    const char *name = sol_csv_name(csv);
    if (ncols == 0 || ncols > SOL_MAX_MICRODATA_COLS)
        return sol__err(err, SOL_EINVAL, "between 1 and %u microdata columns can be read",
                        SOL_MAX_MICRODATA_COLS);
    sol_microdata *md = sol__calloc(1, sizeof *md);
    if (md == NULL || (md->cols = sol__calloc(ncols, sizeof *md->cols)) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    md->ncols = ncols;
    for (size_t j = 0; j < ncols; j++) {
        md_col *c = &md->cols[j];
        c->spec = cols[j];
        if (cols[j].name == NULL) {
            rc = sol__err(err, SOL_EINVAL, "microdata column %zu has no name", j + 1);
            goto fail;
        }
        c->src = sol_csv_colindex(csv, cols[j].name);
        if (c->src < 0) {
            sol_buf hdr;
            sol__buf_init(&hdr, 2000);
            for (size_t i = 0; i < sol_csv_ncols(csv); i++)
                if (sol__buf_addf(&hdr, "%s%s", i ? "," : "", sol_csv_colname(csv, i)) != SOL_OK)
                    break;
            if (cols[j].what)
                rc = sol__err_at(err, SOL_ENOTFOUND, name, 1, 0,
                                 "no column '%s' (%s); the header has: %s", cols[j].name,
                                 _(cols[j].what), hdr.data ? hdr.data : "");
            else
                rc = sol__err_at(err, SOL_ENOTFOUND, name, 1, 0,
                                 "no column '%s' (asked for); the header has: %s", cols[j].name,
                                 hdr.data ? hdr.data : "");
            sol__buf_free(&hdr);
            goto fail;
        }
        if (cols[j].kind == SOL_MD_CODE && (c->levels_map = sol__strmap_new(64)) == NULL) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto fail;
        }
    }
    for (;;) {
        rc = sol_csv_next(csv, err);
        if (rc == SOL_EOF)
            break;
        if (rc != SOL_OK)
            goto fail;
        if ((rc = grow_rows(md)) != SOL_OK) {
            rc = rc == SOL_ELIMIT ? sol__err_at(err, rc, name, sol_csv_line(csv), 0,
                                                "more than %u rows", SOL_MAX_MICRODATA_ROWS)
                                  : sol__err(err, rc, "out of memory");
            goto fail;
        }
        for (size_t j = 0; j < ncols; j++) {
            md_col *c = &md->cols[j];
            size_t len;
            const char *s = sol_csv_field(csv, (size_t)c->src, &len);
            /* the column's role, a noun standing alone in the messages ("income") */
            const char *what = c->spec.what ? _(c->spec.what) : c->spec.name;
            unsigned long line = sol_csv_line(csv), col = sol_csv_col(csv, (size_t)c->src);
            if (c->spec.kind == SOL_MD_CODE) {
                trim_blanks(&s, &len);
                if (len == 0 && !c->spec.allow_missing) {
                    /* TRANSLATORS: the first %s is the column's role, a noun standing alone
                     * ("weight", "income", "stratum"): word it so that any role fits. */
                    rc = sol__err_at(err, SOL_EINVAL, name, line, col, "missing %s in column '%s'",
                                     what, c->spec.name);
                    goto fail;
                }
                if (len > SOL_MAX_CODE) {
                    rc = sol__err_at(err, SOL_ELIMIT, name, line, col,
                                     "%s in column '%s' is longer than %u bytes", what,
                                     c->spec.name, SOL_MAX_CODE);
                    goto fail;
                }
                if ((rc = code_level(c, s, len, &c->code[md->n])) != SOL_OK) {
                    rc = rc == SOL_ELIMIT
                             ? sol__err_at(err, rc, name, line, col,
                                           "%s in column '%s': more than %u distinct values", what,
                                           c->spec.name, SOL_MAX_MICRODATA_LEVELS)
                             : sol__err(err, rc, "out of memory");
                    goto fail;
                }
                continue;
            }
            double v;
            if (sol_is_missing(s, len)) {
                if (!c->spec.allow_missing) {
                    /* TRANSLATORS: the first %s is the column's role, a noun standing alone
                     * ("weight", "income", "stratum"): word it so that any role fits. */
                    rc = sol__err_at(err, SOL_EINVAL, name, line, col, "missing %s in column '%s'",
                                     what, c->spec.name);
                    goto fail;
                }
                v = NAN;
            } else if (sol_parse_number(s, len, 0, &v) != SOL_OK) {
                /* TRANSLATORS: the first %s is the column's role, a noun standing alone
                 * ("weight", "income"): word it so that any role fits. */
                rc = sol__err_at(err, SOL_ETYPE, name, line, col,
                                 "%s in column '%s' is not a number: '%.*s'", what, c->spec.name,
                                 (int)(len > 40 ? 40 : len), s);
                goto fail;
            } else if (c->spec.positive && !(v > 0)) {
                rc = sol__err_at(err, SOL_EINVAL, name, line, col,
                                 "%s in column '%s' must be positive, got %.*s", what, c->spec.name,
                                 (int)(len > 40 ? 40 : len), s);
                goto fail;
            } else if (c->spec.nonnegative && v < 0) {
                rc = sol__err_at(err, SOL_EINVAL, name, line, col,
                                 "%s in column '%s' must be zero or more, got %.*s", what,
                                 c->spec.name, (int)(len > 40 ? 40 : len), s);
                goto fail;
            }
            c->num[md->n] = v;
        }
        md->n++;
    }
    sol_csv_sha256_hex(csv, md->sha256);
    md->sha_done = 1;
    md->bytes = sol_csv_bytes(csv);
    *out = md;
    return SOL_OK;
fail:
    sol_microdata_free(md);
    return rc;
}

/* ---- the parallel path ------------------------------------------------------------------ */

typedef struct lvl {
    const char *p;
    uint32_t len;
} lvl;

/* Codes of up to 8 bytes (area codes, mostly) are looked up as one integer in an open-addressing
 * table of the thread's, so a look-up costs a multiply and a compare instead of a string hash and
 * memcmp, whatever the number of distinct codes (a direct-mapped cache of 4,096 slots missed most
 * of the time with 10,000 areas). The table is reused from chunk to chunk: a slot belongs to the
 * chunk whose generation its tag carries, so a new chunk starts empty without clearing it. Longer
 * codes go through the chunk's string map. */
typedef struct code_slot {
    uint64_t key;
    uint32_t tag; /* generation << 4 | length; another generation: an empty slot */
    uint32_t level;
} code_slot;

typedef struct code_tab {
    code_slot *s;
    size_t cap, n; /* cap: a power of two, or 0 before the first code */
    unsigned shift;
    uint32_t gen;
} code_tab;

typedef struct chunk {
    const char *b, *e; /* whole lines [b, e) */
    size_t lines;      /* newline-terminated or final lines: an upper bound on rows */
    size_t row0, rows;
    int bad;
    sol_strmap **maps; /* per kept column (codes only) */
    lvl **lv;          /* per kept column: local levels in order of first appearance */
    code_tab *tab;     /* the parsing thread's tables, one per kept column, while it parses */
    size_t *nlv, *caplv;
} chunk;

#define FAST_CHUNK ((size_t)1 << 22)

static const double P10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The common forms, -?digits[.digits] with at most 15 significant digits, converted exactly
 * (Clinger: an integer below 2^53 divided by an exact power of ten rounds once, as strtod).
 * 0 when done; -1 for anything else, which sol__parse_double then reads. Written as straight
 * runs over the integer and fraction digits (no per-digit bookkeeping): it reads most fields. */
int sol__quick_number(const char *s, size_t len, double *out)
{
    if (len > 64) /* the general parser refuses longer fields: so must this path */
        return -1;
    const char *p = s, *e = s + len;
    int neg = p < e && *p == '-';
    p += neg;
    const char *d0 = p;
    while (p < e && *p == '0') /* leading zeros are not significant */
        p++;
    uint64_t m = 0; /* wraps only for inputs refused below (more than 15 significant digits) */
    const char *i0 = p;
    while (p < e && (unsigned)(*p - '0') < 10)
        m = m * 10 + (unsigned)(*p++ - '0');
    size_t sig = (size_t)(p - i0), frac = 0;
    int any = p > d0;
    if (p < e && *p == '.') {
        const char *f0 = ++p;
        if (sig == 0) /* 0.00ddd: the zeros after the point are not significant either */
            while (p < e && *p == '0')
                p++;
        const char *f1 = p;
        while (p < e && (unsigned)(*p - '0') < 10)
            m = m * 10 + (unsigned)(*p++ - '0');
        sig += (size_t)(p - f1);
        frac = (size_t)(p - f0);
        any |= frac > 0;
    }
    if (p != e || !any || sig > 15 || frac > 22)
        return -1;
    double v = (double)m / P10[frac];
    *out = neg ? -v : v;
    return 0;
}

static int has_high(const char *b, const char *e)
{
    const unsigned char *p = (const unsigned char *)b;
    size_t n = (size_t)(e - b), i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, p + i, 8);
        if (v & 0x8080808080808080ull)
            return 1;
    }
    for (; i < n; i++)
        if (p[i] & 0x80)
            return 1;
    return 0;
}

/* 1 when a carriage return is not followed by a newline (old Mac line ends: the streaming reader
 * takes those). */
static int lone_cr(const char *b, const char *e)
{
    for (const char *p = b; p < e; p++) {
        p = memchr(p, '\r', (size_t)(e - p));
        if (p == NULL)
            return 0;
        if (p + 1 >= e || p[1] != '\n')
            return 1;
    }
    return 0;
}

/* Lines in [b, e): its newlines, counted a word at a time (a call per line cost more than the
 * count), and an unterminated last line. */
static size_t count_lines(const char *b, const char *e)
{
    const uint64_t ones = 0x0101010101010101ull, low7 = 0x7f7f7f7f7f7f7f7full;
    size_t n = 0, len = (size_t)(e - b), i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t v;
        memcpy(&v, b + i, 8);
        uint64_t x = v ^ (ones * '\n'); /* a zero byte where a newline was */
        uint64_t m = (~(((x & low7) + low7) | x) & ~low7) >> 7; /* 1 in each such byte */
        n += (size_t)((m * ones) >> 56);                        /* their sum, at most 8 */
    }
    for (; i < len; i++)
        n += b[i] == '\n';
    return n + (len > 0 && e[-1] != '\n');
}

/* The chunk's next level for code s (the code's bytes stay in the mapped file). */
static int new_level(chunk *k, size_t j, const char *s, size_t len, uint32_t *out)
{
    if (k->nlv[j] == k->caplv[j]) {
        size_t cap = k->caplv[j] ? 2 * k->caplv[j] : 64;
        lvl *p = sol__realloc(k->lv[j], cap * sizeof *p);
        if (p == NULL)
            return -1;
        k->lv[j] = p;
        k->caplv[j] = cap;
    }
    k->lv[j][k->nlv[j]] = (lvl){s, (uint32_t)len};
    *out = (uint32_t)k->nlv[j]++;
    return 0;
}

static int local_level(chunk *k, size_t j, const char *s, size_t len, uint32_t *out)
{
    int64_t v;
    if (sol__strmap_get(k->maps[j], s, len, &v)) {
        *out = (uint32_t)v;
        return 0;
    }
    if (sol__strmap_put(k->maps[j], s, len, (int64_t)k->nlv[j]) != SOL_OK)
        return -1;
    return new_level(k, j, s, len, out);
}

static size_t tab_slot(const code_tab *t, uint64_t key, size_t len)
{
    return (size_t)(((key + len) * 0x9e3779b97f4a7c15ull) >> t->shift);
}

/* Doubles t (from nothing to 1,024 slots), keeping the current generation's codes. */
static int tab_grow(code_tab *t)
{
    size_t cap = t->cap ? 2 * t->cap : 1024;
    unsigned shift = t->cap ? t->shift - 1 : 54;
    code_slot *s = sol__calloc(cap, sizeof *s);
    if (s == NULL)
        return -1;
    code_tab n = {s, cap, t->n, shift, t->gen};
    for (size_t i = 0; i < t->cap; i++) {
        const code_slot *c = &t->s[i];
        if (c->tag >> 4 != t->gen)
            continue;
        size_t h = tab_slot(&n, c->key, c->tag & 15);
        while (s[h].tag >> 4 == n.gen)
            h = (h + 1) & (cap - 1);
        s[h] = *c;
    }
    sol__free(t->s);
    *t = n;
    return 0;
}

/* The chunk's level of a code: through the thread's table for codes of up to 8 bytes. */
static int cached_level(chunk *k, size_t j, const char *s, size_t len, uint32_t *out)
{
    if (len > 8)
        return local_level(k, j, s, len, out);
    uint64_t key = 0; /* built in a register: a short memcpy then a wide load stalls the CPU */
    for (size_t i = 0; i < len; i++)
        key |= (uint64_t)(unsigned char)s[i] << (8 * i);
    code_tab *t = &k->tab[j];
    if (2 * (t->n + 1) > t->cap && tab_grow(t) != 0)
        return -1;
    uint32_t tag = t->gen << 4 | (uint32_t)len;
    for (size_t h = tab_slot(t, key, len);; h = (h + 1) & (t->cap - 1)) {
        code_slot *c = &t->s[h];
        if (c->tag == tag && c->key == key) {
            *out = c->level;
            return 0;
        }
        if (c->tag >> 4 != t->gen) {
            if (new_level(k, j, s, len, out) != 0)
                return -1;
            *c = (code_slot){key, tag, *out};
            t->n++;
            return 0;
        }
    }
}

/* Parse one chunk into rows row0.. of the kept columns; 0, or -1 to give up (the streaming
 * reader then reads the file and reports what is wrong). */
static int parse_chunk(sol_microdata *md, chunk *k, uint32_t gen, code_tab *tab, char delim,
                       size_t nf, size_t *fpos)
{
    /* quotes, old Mac line ends and NUL bytes (which the streaming reader refuses) are left to
     * the streaming reader */
    if (memchr(k->b, '"', (size_t)(k->e - k->b)) != NULL || lone_cr(k->b, k->e) ||
        memchr(k->b, '\0', (size_t)(k->e - k->b)) != NULL)
        return -1;
    if (has_high(k->b, k->e) &&
        sol__utf8_invalid_at(k->b, (size_t)(k->e - k->b)) != (size_t)(k->e - k->b))
        return -1;
    k->tab = tab;
    for (size_t j = 0; j < md->ncols; j++) {
        tab[j].gen = gen;
        tab[j].n = 0;
        if (md->cols[j].spec.kind == SOL_MD_CODE && (k->maps[j] = sol__strmap_new(256)) == NULL)
            return -1;
    }
    size_t row = k->row0;
    const char *p = k->b;
    while (p < k->e) {
        size_t f = 0;
        fpos[0] = 0;
        const char *ls = p;
        while (p < k->e && *p != '\n') {
            if (*p == delim) {
                if (++f >= nf)
                    return -1;
                fpos[f] = (size_t)(p + 1 - ls);
            }
            p++;
        }
        size_t ll = (size_t)(p - ls);
        if (p < k->e)
            p++; /* the newline */
        if (ll && ls[ll - 1] == '\r')
            ll--;
        if (f == 0 && ll == 0)
            continue; /* blank line */
        if (f + 1 != nf)
            return -1;
        fpos[nf] = ll + 1;
        for (size_t j = 0; j < md->ncols; j++) {
            md_col *c = &md->cols[j];
            size_t src = (size_t)c->src;
            const char *s = ls + fpos[src];
            size_t len = fpos[src + 1] - fpos[src] - 1;
            if (c->spec.kind == SOL_MD_CODE) {
                trim_blanks(&s, &len);
                if ((len == 0 && !c->spec.allow_missing) || len > SOL_MAX_CODE)
                    return -1;
                if (cached_level(k, j, s, len, &c->code[row]) != 0)
                    return -1;
                continue;
            }
            double v;
            if (sol__quick_number(s, len, &v) != 0 && sol__parse_double(s, len, 0, &v) != SOL_OK) {
                if (!sol__is_missing(s, len) || !c->spec.allow_missing)
                    return -1;
                v = NAN;
            } else if ((c->spec.nonnegative && v < 0) || (c->spec.positive && !(v > 0))) {
                return -1;
            }
            c->num[row] = v;
        }
        row++;
    }
    k->rows = row - k->row0;
    return 0;
}

static void free_chunks(chunk *ks, size_t nk, size_t ncols)
{
    if (ks == NULL)
        return;
    for (size_t i = 0; i < nk; i++) {
        for (size_t j = 0; j < ncols; j++) { /* any of the arrays may be missing (out of memory) */
            if (ks[i].maps)
                sol__strmap_free(ks[i].maps[j]);
            if (ks[i].lv)
                sol__free(ks[i].lv[j]);
        }
        sol__free_n(4, ks[i].maps, ks[i].lv, ks[i].nlv, ks[i].caplv);
    }
    sol__free(ks);
}

/* The parallel path over data[0..len): 0 with *out, or -1 when the streaming reader must do it (any
 * doubt: quotes, bad or missing values, wrong field counts, limits). */
static int fast_read(const char *data, size_t len, const char *name, const sol_md_column *cols,
                     size_t ncols, sol_microdata **out)
{
    if (ncols == 0 || ncols > SOL_MAX_MICRODATA_COLS || len == 0)
        return -1;
    const char *nl = memchr(data, '\n', len);
    if (nl == NULL || lone_cr(data, nl + 1) || memchr(data, '"', (size_t)(nl - data)) != NULL)
        return -1;
    sol_csv *csv = NULL;
    sol_error e0;
    sol_error_clear(&e0);
    if (sol_csv_open_mem(data, (size_t)(nl - data) + 1, name, NULL, &csv, &e0) != SOL_OK)
        return -1;
    int ret = -1;
    sol_microdata *md = NULL;
    chunk *ks = NULL;
    size_t nk = 0, *fposs = NULL, nth = 1;
    code_tab *tabs = NULL;
    size_t nf = sol_csv_ncols(csv);
    char delim = sol_csv_delimiter(csv);
    if ((md = sol__calloc(1, sizeof *md)) == NULL ||
        (md->cols = sol__calloc(ncols, sizeof *md->cols)) == NULL)
        goto done;
    md->ncols = ncols;
    for (size_t j = 0; j < ncols; j++) {
        md->cols[j].spec = cols[j];
        if (cols[j].name == NULL || (md->cols[j].src = sol_csv_colindex(csv, cols[j].name)) < 0)
            goto done;
    }
    const char *body = nl + 1, *end = data + len;
    size_t blen = (size_t)(end - body);
    nk = blen / FAST_CHUNK + 1;
    if (nk >= ((size_t)1 << 27)) /* a chunk's generation must fit a code slot's tag */
        goto done;
    if ((ks = sol__calloc(nk, sizeof *ks)) == NULL)
        goto done;
    const char *p = body;
    for (size_t i = 0; i < nk; i++) {
        ks[i].b = p;
        const char *t = body + (i + 1 == nk ? blen : (i + 1) * FAST_CHUNK);
        if (t < p)
            t = p;
        if (t < end) {
            const char *q = memchr(t, '\n', (size_t)(end - t));
            t = q ? q + 1 : end;
        }
        ks[i].e = p = t;
    }
    int bad = 0;
#pragma omp parallel for schedule(dynamic, 1)
    for (size_t i = 0; i < nk; i++)
        ks[i].lines = count_lines(ks[i].b, ks[i].e);
    size_t total = 0;
    for (size_t i = 0; i < nk; i++) {
        ks[i].row0 = total;
        total += ks[i].lines;
        if ((ks[i].maps = sol__calloc(ncols, sizeof *ks[i].maps)) == NULL ||
            (ks[i].lv = sol__calloc(ncols, sizeof *ks[i].lv)) == NULL ||
            (ks[i].nlv = sol__calloc(ncols, sizeof *ks[i].nlv)) == NULL ||
            (ks[i].caplv = sol__calloc(ncols, sizeof *ks[i].caplv)) == NULL)
            goto done;
    }
    if (total > SOL_MAX_MICRODATA_ROWS)
        goto done;
    md->cap = total ? total : 1;
    for (size_t j = 0; j < ncols; j++) {
        md_col *c = &md->cols[j];
        if (c->spec.kind == SOL_MD_NUMBER)
            c->num = sol__malloc(md->cap * sizeof *c->num);
        else
            c->code = sol__malloc(md->cap * sizeof *c->code);
        if (c->num == NULL && c->code == NULL)
            goto done;
    }
#ifdef _OPENMP
    nth = (size_t)omp_get_max_threads();
#endif
    if ((fposs = sol__malloc((size_t)nth * (nf + 1) * sizeof *fposs)) == NULL ||
        (tabs = sol__calloc((size_t)nth * ncols, sizeof *tabs)) == NULL)
        goto done;
#pragma omp parallel for schedule(dynamic, 1) reduction(| : bad)
    for (size_t i = 0; i < nk; i++) {
        int t = 0;
#ifdef _OPENMP
        t = omp_get_thread_num();
#endif
        if (parse_chunk(md, &ks[i], (uint32_t)i + 1, tabs + (size_t)t * ncols, delim, nf,
                        fposs + (size_t)t * (nf + 1)) != 0)
            bad = 1;
    }
    if (bad)
        goto done;
    /* global levels in order of first appearance: chunks in file order */
    uint32_t **remap = NULL;
    size_t rows = 0;
    for (size_t j = 0; j < ncols && !bad; j++) {
        md_col *c = &md->cols[j];
        if (c->spec.kind != SOL_MD_CODE)
            continue;
        if ((c->levels_map = sol__strmap_new(1024)) == NULL ||
            (remap = sol__calloc(nk, sizeof *remap)) == NULL) {
            bad = 1;
            break;
        }
        for (size_t i = 0; i < nk && !bad; i++) {
            if ((remap[i] = sol__malloc((ks[i].nlv[j] + 1) * sizeof **remap)) == NULL) {
                bad = 1;
                break;
            }
            for (size_t l = 0; l < ks[i].nlv[j]; l++)
                if (code_level(c, ks[i].lv[j][l].p, ks[i].lv[j][l].len, &remap[i][l]) != SOL_OK) {
                    bad = 1;
                    break;
                }
        }
        if (!bad) {
#pragma omp parallel for schedule(dynamic, 1)
            for (size_t i = 0; i < nk; i++)
                for (size_t r = ks[i].row0; r < ks[i].row0 + ks[i].rows; r++)
                    c->code[r] = remap[i][c->code[r]];
        }
        for (size_t i = 0; i < nk; i++)
            sol__free(remap[i]);
        sol__free(remap);
        remap = NULL;
    }
    if (bad)
        goto done;
    /* close the gaps left by blank lines */
    for (size_t i = 0; i < nk; i++) {
        if (ks[i].row0 != rows)
            for (size_t j = 0; j < ncols; j++) {
                md_col *c = &md->cols[j];
                if (c->num)
                    memmove(c->num + rows, c->num + ks[i].row0, ks[i].rows * sizeof *c->num);
                else
                    memmove(c->code + rows, c->code + ks[i].row0, ks[i].rows * sizeof *c->code);
            }
        rows += ks[i].rows;
    }
    md->n = rows;
    md->bytes = len;
    md->fast = 1;
    *out = md;
    md = NULL;
    ret = 0;
done:
    free_chunks(ks, nk, ncols);
    for (size_t t = 0; tabs && t < nth * ncols; t++)
        sol__free(tabs[t].s);
    sol__free_n(2, tabs, fposs);
    sol_microdata_free(md);
    sol_csv_close(csv);
    return ret;
}

sol_status sol_microdata_read(const char *path, const sol_md_column *cols, size_t ncols,
                              sol_microdata **out, sol_error *err)
{
    if (strcmp(path, "-") != 0 && getenv("SOL_MICRODATA_STREAM") == NULL) {
        int fd = open(path, O_RDONLY);
        struct stat st;
        if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
            size_t len = (size_t)st.st_size;
#ifdef MAP_POPULATE /* the whole file is read: its pages mapped in one call, not one fault each */
            void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
#else
            void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
#endif
            if (m != MAP_FAILED) {
                close(fd);
                fd = -1;
                sol_microdata *md = NULL;
                if (fast_read(m, len, path, cols, ncols, &md) == 0) {
                    md->map = m;
                    md->map_len = len;
                    *out = md;
                    return SOL_OK;
                }
                munmap(m, len);
            }
        }
        if (fd >= 0)
            close(fd);
    }
    sol_csv *csv = NULL;
    sol_status rc = sol_csv_open(path, NULL, &csv, err);
    if (rc != SOL_OK)
        return rc;
    rc = read_all(csv, cols, ncols, out, err);
    sol_csv_close(csv);
    return rc;
}

sol_status sol_microdata_read_mem(const char *data, size_t len, const char *name,
                                  const sol_md_column *cols, size_t ncols, sol_microdata **out,
                                  sol_error *err)
{
    sol_microdata *md = NULL;
    if (getenv("SOL_MICRODATA_STREAM") == NULL &&
        fast_read(data, len, name, cols, ncols, &md) == 0) {
        md->map = data; /* hashed now: the caller's buffer is not ours to keep */
        md->map_len = len;
        (void)sol_microdata_sha256(md);
        md->map = NULL;
        *out = md;
        return SOL_OK;
    }
    sol_csv *csv = NULL;
    sol_status rc = sol_csv_open_mem(data, len, name, NULL, &csv, err);
    if (rc != SOL_OK)
        return rc;
    rc = read_all(csv, cols, ncols, out, err);
    sol_csv_close(csv);
    return rc;
}

/* ---- household-level columns brought to person rows ------------------------------------------ */

/* A copy of column `src` holding, for each of the n output rows, the value of source row
 * pick[i] (codes keep their level texts, renumbered in order of first appearance). */
static sol_status copy_col(md_col *dst, const md_col *src, const size_t *pick, size_t n)
{
    dst->spec = src->spec;
    dst->src = src->src;
    if (src->spec.kind == SOL_MD_NUMBER) {
        if ((dst->num = sol__malloc((n ? n : 1) * sizeof *dst->num)) == NULL)
            return SOL_ENOMEM;
        for (size_t i = 0; i < n; i++)
            dst->num[i] = src->num[pick ? pick[i] : i];
        return SOL_OK;
    }
    if ((dst->code = sol__malloc((n ? n : 1) * sizeof *dst->code)) == NULL ||
        (dst->levels_map = sol__strmap_new(src->nlevels ? src->nlevels : 16)) == NULL)
        return SOL_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *s = src->levels[src->code[pick ? pick[i] : i]];
        sol_status rc = code_level(dst, s, strlen(s), &dst->code[i]);
        if (rc != SOL_OK)
            return rc;
    }
    return SOL_OK;
}

sol_status sol_microdata_join(const sol_microdata *persons, size_t p_key, const char *p_name,
                              const sol_microdata *households, size_t h_key, const char *h_name,
                              sol_microdata **out, sol_error *err)
{
    if (p_key >= persons->ncols || h_key >= households->ncols ||
        persons->cols[p_key].spec.kind != SOL_MD_CODE ||
        households->cols[h_key].spec.kind != SOL_MD_CODE)
        return sol__err(err, SOL_EINVAL, "a join needs the household id as a code column of both");
    size_t np = persons->n, nh = households->n, ncols = persons->ncols + households->ncols - 1;
    if (ncols > SOL_MAX_MICRODATA_COLS)
        return sol__err(err, SOL_ELIMIT, "at most %u microdata columns", SOL_MAX_MICRODATA_COLS);
    const md_col *pk = &persons->cols[p_key], *hk = &households->cols[h_key];
    sol_status rc = SOL_ENOMEM;
    size_t *row_of = NULL, *pick = NULL, *members = NULL;
    sol_strmap *ids = NULL;
    sol_microdata *md = NULL;
    /* household id -> its row in the household file (each once) */
    if ((row_of = sol__malloc((hk->nlevels ? hk->nlevels : 1) * sizeof *row_of)) == NULL ||
        (members = sol__calloc(nh ? nh : 1, sizeof *members)) == NULL ||
        (pick = sol__malloc((np ? np : 1) * sizeof *pick)) == NULL ||
        (ids = sol__strmap_new(hk->nlevels ? hk->nlevels : 16)) == NULL)
        goto nomem;
    for (size_t l = 0; l < hk->nlevels; l++)
        row_of[l] = SIZE_MAX;
    for (size_t r = 0; r < nh; r++) {
        uint32_t l = hk->code[r];
        if (row_of[l] != SIZE_MAX) {
            rc = sol__err(err, SOL_EDUPLICATE,
                          "%s: household '%s' on data rows %zu and %zu; a household file holds "
                          "one row per household",
                          h_name, hk->levels[l], row_of[l] + 1, r + 1);
            goto fail;
        }
        row_of[l] = r;
        if (sol__strmap_put(ids, hk->levels[l], strlen(hk->levels[l]), (int64_t)r) != SOL_OK)
            goto nomem;
    }
    for (size_t i = 0; i < np; i++) {
        const char *id = pk->levels[pk->code[i]];
        int64_t r;
        if (!sol__strmap_get(ids, id, strlen(id), &r)) {
            rc = sol__err(err, SOL_EINVAL,
                          "%s: data row %zu: household '%s' is not in %s; every person's "
                          "household needs its row there",
                          p_name, i + 1, id, h_name);
            goto fail;
        }
        pick[i] = (size_t)r;
        members[r]++;
    }
    for (size_t r = 0; r < nh; r++)
        if (members[r] == 0) {
            rc = sol__err(err, SOL_EINVAL,
                          "%s: data row %zu: household '%s' has no members in %s; a household "
                          "without person rows cannot be given an equivalised income (leave it "
                          "out, or add its members)",
                          h_name, r + 1, hk->levels[hk->code[r]], p_name);
            goto fail;
        }
    if ((md = sol__calloc(1, sizeof *md)) == NULL ||
        (md->cols = sol__calloc(ncols, sizeof *md->cols)) == NULL)
        goto nomem;
    md->n = md->cap = np;
    md->ncols = ncols;
    md->bytes = persons->bytes + households->bytes;
    for (size_t j = 0, k = 0; j < households->ncols + persons->ncols; j++) {
        int from_h = j >= persons->ncols;
        size_t src = from_h ? j - persons->ncols : j;
        if (from_h && src == h_key)
            continue;
        if ((rc = copy_col(&md->cols[k++], from_h ? &households->cols[src] : &persons->cols[src],
                           from_h ? pick : NULL, np)) != SOL_OK) {
            rc = rc == SOL_ELIMIT ? sol__err(err, rc, "too many distinct codes")
                                  : sol__err(err, rc, "out of memory");
            goto fail;
        }
    }
    /* the digest of a join is that of its two inputs together */
    unsigned char dg[32];
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, (const unsigned char *)sol_microdata_sha256(persons), 64);
    crypto_hash_sha256_update(&h, (const unsigned char *)sol_microdata_sha256(households), 64);
    crypto_hash_sha256_final(&h, dg);
    sodium_bin2hex(md->sha256, sizeof md->sha256, dg, sizeof dg);
    md->sha_done = 1;
    *out = md;
    md = NULL;
    rc = SOL_OK;
    goto done;
nomem:
    rc = sol__err(err, SOL_ENOMEM, "out of memory");
fail:
done:
    sol_microdata_free(md);
    sol__free(row_of);
    sol__free(pick);
    sol__free(members);
    sol__strmap_free(ids);
    return rc;
}
