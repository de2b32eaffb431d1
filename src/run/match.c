/* match.c - a data file's area values to the store's areas: codes, codes that lost their leading
 * zeros, names normalised (accents, case, apostrophes, articles), the person's choices; the
 * ambiguous and the unknown listed with their candidates, never dropped silently. */
#include "match_int.h"

#include <solidata/csv.h>

#include "core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* unknown values given suggestions (each costs a pass over the areas) */
#define MAX_SUGGESTED 200
#define NORM_MAX      256  /* bytes of a normalised name */
#define MAX_CAND      16   /* candidates kept per value */
#define MAX_LIST      2000 /* entries of each list of the preview */
#define MAX_SUGG      3    /* closest names suggested per unknown value */
#define NO_LEVEL      ((size_t)-1)

typedef struct marea {
    int64_t id;
    char *code, *name, *level, *parent;
} marea;

typedef struct mkey {
    char *value, *parent; /* trimmed; parent NULL without a parent column */
    int64_t rows;
    unsigned long line, col;
    sol__match_how how;
    size_t area;           /* index in a[] when matched */
    size_t cand[MAX_CAND]; /* candidates when ambiguous; closest names when unknown */
    size_t ncand, more;    /* more: candidates beyond MAX_CAND */
} mkey;

struct sol__matcher {
    int mode;
    marea *a;
    size_t na, cap;
    /* maps hold index + 1; chains: next_*[i] = index + 1 of the next area with the same key */
    sol_strmap *by_code, *by_digits, *by_name, *by_bare;
    size_t *next_digits, *next_name, *next_bare;
    sol_strmap *choices; /* normalised name [\x1f normalised parent] -> area index + 1 */
    int has_parent;
    mkey *k;
    size_t nk, kcap;
    sol_strmap *keys; /* value \x1f parent -> key index */
    sol_buf tmp;
    sol_status load_rc;
};

/* ---- names ---------------------------------------------------------------------------------- */

/* U+00C0..U+00FF without accents; '*' a separator; 'A'/'a' 'E' 's' specials handled below */
static const char LATIN1[] = "aaaaaaaceeeeiiiidnooooo*ouuuuyts"
                             "aaaaaaaceeeeiiiidnooooo*ouuuuyty";

static size_t put(char *out, size_t cap, size_t o, const char *s)
{
    for (; *s; s++)
        if (o + 1 < cap)
            out[o++] = *s;
    return o;
}

size_t sol__match_normalise(const char *s, size_t n, int bare, char *out, size_t cap)
{
    char raw[NORM_MAX];
    size_t o = 0;
    int sep = 1;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned c = u[i];
        const char *emit = NULL;
        char one[2] = {0, 0};
        size_t len = 1;
        if (c < 0x80) {
            if (c >= 'A' && c <= 'Z')
                one[0] = (char)(c - 'A' + 'a');
            else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                one[0] = (char)c;
            emit = one[0] ? one : NULL;
        } else if ((c & 0xE0) == 0xC0 && i + 1 < n) {
            unsigned cp = ((c & 0x1Fu) << 6) | (u[i + 1] & 0x3Fu);
            len = 2;
            if (cp == 0xC6 || cp == 0xE6)
                emit = "ae";
            else if (cp == 0xDF)
                emit = "ss";
            else if (cp == 0x152 || cp == 0x153)
                emit = "oe";
            else if (cp == 0x178)
                emit = "y";
            else if (cp >= 0xC0 && cp <= 0xFF && LATIN1[cp - 0xC0] != '*') {
                one[0] = LATIN1[cp - 0xC0];
                emit = one;
            } else if (cp > 0xFF && o + 3 < sizeof raw) {
                /* another letter: kept as it is, part of the word */
                if (sep && o > 0)
                    raw[o++] = ' ';
                raw[o++] = (char)u[i];
                raw[o++] = (char)u[i + 1];
                sep = 0;
                i += len;
                continue;
            }
        } else if ((c & 0xF0) == 0xE0 && i + 2 < n) {
            len = 3; /* punctuation (’ ‘ ‐ – —, narrow no-break space): a separator */
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
        }
        if (emit) {
            if (sep && o > 0 && o + 1 < sizeof raw)
                raw[o++] = ' ';
            o = put(raw, sizeof raw, o, emit);
            sep = 0;
        } else {
            sep = 1;
        }
        i += len;
    }
    raw[o] = '\0';
    /* words: Saint/St, Sainte/Ste; a leading article left out when bare */
    size_t w = 0;
    char *save = NULL;
    int first = 1;
    int nwords = 0;
    for (char *p = raw; *p; p++)
        if (*p == ' ')
            nwords++;
    nwords += o > 0;
    for (char *t = strtok_r(raw, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        static const char *const art[] = {"le", "la", "les", "l", "il", "lo", "i", "gli", NULL};
        int skip = 0;
        for (int k = 0; bare && first && nwords > 1 && art[k]; k++)
            skip |= strcmp(t, art[k]) == 0;
        first = 0;
        if (skip)
            continue;
        const char *word = strcmp(t, "saint") == 0 ? "st" : strcmp(t, "sainte") == 0 ? "ste" : t;
        if (w > 0 && w + 1 < cap)
            out[w++] = ' ';
        w = put(out, cap, w, word);
    }
    if (cap)
        out[w < cap ? w : cap - 1] = '\0';
    return w;
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    size_t row[NORM_MAX + 1];
    if (nb > NORM_MAX)
        nb = NORM_MAX;
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

/* ---- the store's areas ---------------------------------------------------------------------- */

static sol_status chain(sol_strmap *map, size_t **next, size_t cap, const char *key, size_t n,
                        size_t idx)
{
    (void)cap;
    int64_t head = 0;
    sol__strmap_get(map, key, n, &head);
    (*next)[idx] = (size_t)head;
    return sol__strmap_put(map, key, n, (int64_t)idx + 1);
}

static char *dup_or_null(const char *s)
{
    return s ? sol__strdup(s) : NULL;
}

static int load(void *ud, const sol_area *a)
{
    sol__matcher *m = ud;
    if (m->na == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 1024;
        marea *na = sol__realloc(m->a, cap * sizeof *na);
        if (na == NULL) {
            m->load_rc = SOL_ENOMEM;
            return 1;
        }
        m->a = na;
        m->cap = cap;
    }
    marea *x = &m->a[m->na];
    memset(x, 0, sizeof *x);
    x->id = a->id;
    if ((x->code = sol__strdup(a->code)) == NULL ||
        (a->name && (x->name = sol__strdup(a->name)) == NULL) ||
        (x->level = dup_or_null(a->level ? a->level : "")) == NULL ||
        (a->parent_code && (x->parent = sol__strdup(a->parent_code)) == NULL)) {
        sol__free_n(4, x->code, x->name, x->level, x->parent);
        m->load_rc = SOL_ENOMEM;
        return 1;
    }
    m->na++;
    return 0;
}

static const char *strip_zeros(const char *s, size_t *n)
{
    while (*n > 1 && *s == '0') {
        s++;
        (*n)--;
    }
    return s;
}

static int all_digits(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

sol_status sol__match_new(sol_store *st, int mode, sol__matcher **out, sol_error *err)
{
    sol__matcher *m = sol__calloc(1, sizeof *m);
    if (m == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    m->mode = mode;
    sol__buf_init(&m->tmp, 4 * NORM_MAX);
    sol_status rc = sol_store_areas(st, 0, load, m, err);
    if (rc == SOL_OK && m->load_rc != SOL_OK)
        rc = sol__err(err, m->load_rc, "out of memory reading the store's areas");
    if (rc != SOL_OK)
        goto fail;
    size_t n = m->na ? m->na : 1;
    if ((m->by_code = sol__strmap_new(n)) == NULL || (m->by_digits = sol__strmap_new(n)) == NULL ||
        (m->by_name = sol__strmap_new(n)) == NULL || (m->by_bare = sol__strmap_new(n)) == NULL ||
        (m->keys = sol__strmap_new(1024)) == NULL || (m->choices = sol__strmap_new(16)) == NULL ||
        (m->next_digits = sol__calloc(n, sizeof(size_t))) == NULL ||
        (m->next_name = sol__calloc(n, sizeof(size_t))) == NULL ||
        (m->next_bare = sol__calloc(n, sizeof(size_t))) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < m->na && rc == SOL_OK; i++) {
        const marea *x = &m->a[i];
        size_t cn = strlen(x->code);
        rc = sol__strmap_put(m->by_code, x->code, cn, (int64_t)i + 1);
        if (rc == SOL_OK && cn > 1 && x->code[0] == '0' && all_digits(x->code, cn)) {
            const char *d = strip_zeros(x->code, &cn);
            rc = chain(m->by_digits, &m->next_digits, n, d, cn, i);
        }
        if (rc == SOL_OK && x->name) {
            char key[NORM_MAX];
            size_t kn = sol__match_normalise(x->name, strlen(x->name), 0, key, sizeof key);
            if (kn && (rc = chain(m->by_name, &m->next_name, n, key, kn, i)) != SOL_OK)
                break;
            kn = sol__match_normalise(x->name, strlen(x->name), 1, key, sizeof key);
            if (kn)
                rc = chain(m->by_bare, &m->next_bare, n, key, kn, i);
        }
    }
    if (rc != SOL_OK) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto fail;
    }
    *out = m;
    return SOL_OK;
fail:
    sol__match_free(m);
    return rc;
}

void sol__match_free(sol__matcher *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->na; i++)
        sol__free_n(4, m->a[i].code, m->a[i].name, m->a[i].level, m->a[i].parent);
    for (size_t i = 0; i < m->nk; i++)
        sol__free_n(2, m->k[i].value, m->k[i].parent);
    sol__free(m->a);
    sol__free(m->k);
    sol__strmap_free(m->by_code);
    sol__strmap_free(m->by_digits);
    sol__strmap_free(m->by_name);
    sol__strmap_free(m->by_bare);
    sol__strmap_free(m->choices);
    sol__strmap_free(m->keys);
    sol__free_n(3, m->next_digits, m->next_name, m->next_bare);
    sol__buf_free(&m->tmp);
    sol__free(m);
}

/* ---- the person's choices ------------------------------------------------------------------- */

static const char *trim(const char *s, size_t *n)
{
    while (*n && (*s == ' ' || *s == '\t' || (unsigned char)*s == 0xA0)) {
        s++;
        (*n)--;
    }
    while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t' || s[*n - 1] == '\r'))
        (*n)--;
    return s;
}

/* "normalised name" or "normalised name \x1f normalised parent" into out. */
static size_t choice_key(const char *v, size_t n, const char *p, size_t pn, char *out, size_t cap)
{
    size_t k = sol__match_normalise(v, n, 0, out, cap);
    if (p && pn && k + 2 < cap) {
        out[k++] = '\x1f';
        k += sol__match_normalise(p, pn, 0, out + k, cap - k);
    }
    return k;
}

sol_status sol__match_choices(sol__matcher *m, const char *path, const char *text, sol_error *err)
{
    sol_csv *c = NULL;
    sol_status rc = text ? sol_csv_open_mem(text, strlen(text), path, NULL, &c, err)
                         : sol_csv_open(path, NULL, &c, err);
    if (rc != SOL_OK)
        return rc;
    long in = sol_csv_colindex(c, "name"), ic = sol_csv_colindex(c, "code"),
         ip = sol_csv_colindex(c, "parent");
    if (in < 0 || ic < 0) {
        rc = sol__err_at(err, SOL_EPARSE, path, 1, 0,
                         "the choices file needs the columns name and code (and parent when one "
                         "name stands for areas of several parents)");
        goto out;
    }
    while ((rc = sol_csv_next(c, err)) == SOL_OK) {
        size_t nn, cn, pn = 0;
        const char *name = sol_csv_field(c, (size_t)in, &nn);
        const char *code = sol_csv_field(c, (size_t)ic, &cn);
        const char *par = ip >= 0 ? sol_csv_field(c, (size_t)ip, &pn) : NULL;
        name = trim(name, &nn);
        code = trim(code, &cn);
        if (par)
            par = trim(par, &pn);
        if (nn == 0 && cn == 0)
            continue;
        int64_t idx;
        if (!sol__strmap_get(m->by_code, code, cn, &idx)) {
            rc = sol__err_at(err, SOL_EUNKNOWNAREA, path, sol_csv_line(c),
                             sol_csv_col(c, (size_t)ic),
                             "area code '%.*s' chosen for '%.*s' is not in the store",
                             (int)(cn > 64 ? 64 : cn), code, (int)(nn > 64 ? 64 : nn), name);
            goto out;
        }
        char key[2 * NORM_MAX];
        size_t kn = choice_key(name, nn, par, pn, key, sizeof key);
        if (kn == 0)
            continue;
        if ((rc = sol__strmap_put(m->choices, key, kn, idx)) != SOL_OK) {
            rc = sol__err(err, rc, "out of memory");
            goto out;
        }
    }
    if (rc == SOL_EOF)
        rc = SOL_OK;
out:
    sol_csv_close(c);
    return rc;
}

/* ---- the file's values ---------------------------------------------------------------------- */

static sol_status key_of(sol__matcher *m, const char *v, size_t n, const char *p, size_t pn)
{
    sol__buf_reset(&m->tmp);
    sol_status rc = sol__buf_add(&m->tmp, v, n);
    if (rc == SOL_OK && p)
        rc = sol__buf_addc(&m->tmp, '\x1f');
    if (rc == SOL_OK && p)
        rc = sol__buf_add(&m->tmp, p, pn);
    return rc;
}

sol_status sol__match_add(sol__matcher *m, const char *v, size_t n, const char *p, size_t pn,
                          unsigned long line, unsigned long col)
{
    v = trim(v, &n);
    if (p)
        p = trim(p, &pn);
    m->has_parent = p != NULL;
    sol_status rc = key_of(m, v, n, p, pn);
    if (rc != SOL_OK)
        return rc;
    int64_t idx;
    if (sol__strmap_get(m->keys, m->tmp.data, m->tmp.len, &idx)) {
        m->k[idx].rows++;
        return SOL_OK;
    }
    if (m->nk == m->kcap) {
        size_t cap = m->kcap ? 2 * m->kcap : 256;
        mkey *nk = sol__realloc(m->k, cap * sizeof *nk);
        if (nk == NULL)
            return SOL_ENOMEM;
        m->k = nk;
        m->kcap = cap;
    }
    mkey *k = &m->k[m->nk];
    memset(k, 0, sizeof *k);
    k->value = sol__strndup(v, n);
    k->parent = p ? sol__strndup(p, pn) : NULL;
    if (k->value == NULL || (p && k->parent == NULL)) {
        sol__free_n(2, k->value, k->parent);
        return SOL_ENOMEM;
    }
    k->rows = 1;
    k->line = line;
    k->col = col;
    if ((rc = sol__strmap_put(m->keys, m->tmp.data, m->tmp.len, (int64_t)m->nk)) != SOL_OK) {
        sol__free_n(2, k->value, k->parent);
        return rc;
    }
    m->nk++;
    return SOL_OK;
}

static void add_cand(mkey *k, size_t idx)
{
    if (k->ncand < MAX_CAND)
        k->cand[k->ncand++] = idx;
    else
        k->more++;
}

static void walk(mkey *k, const size_t *next, int64_t head)
{
    for (size_t i = (size_t)head; i; i = next[i - 1])
        add_cand(k, i - 1);
}

/* Is `p` (the file's parent value) the parent of area x: its code (leading zeros aside) or its
 * parent's name? */
static int parent_is(const sol__matcher *m, const marea *x, const char *p)
{
    if (x->parent == NULL || p == NULL)
        return 0;
    size_t a = strlen(p), b = strlen(x->parent);
    const char *pa = strip_zeros(p, &a), *pb = strip_zeros(x->parent, &b);
    if (a == b && strncasecmp(pa, pb, a) == 0)
        return 1;
    int64_t pi;
    if (!sol__strmap_get(m->by_code, x->parent, strlen(x->parent), &pi) ||
        m->a[pi - 1].name == NULL)
        return 0;
    const char *pname = m->a[pi - 1].name;
    char k1[NORM_MAX], k2[NORM_MAX];
    for (int bare = 0; bare < 2; bare++) {
        sol__match_normalise(p, strlen(p), bare, k1, sizeof k1);
        sol__match_normalise(pname, strlen(pname), bare, k2, sizeof k2);
        if (k1[0] && strcmp(k1, k2) == 0)
            return 1;
    }
    return 0;
}

static void keep_if(mkey *k, const sol__matcher *m, const char *level, const char *parent)
{
    size_t kept = 0;
    for (size_t i = 0; i < k->ncand; i++) {
        const marea *x = &m->a[k->cand[i]];
        if ((level && strcmp(x->level, level) == 0) || (parent && parent_is(m, x, parent)))
            k->cand[kept++] = k->cand[i];
    }
    if (kept > 0) {
        k->ncand = kept;
        k->more = 0;
    }
}

static void settle(mkey *k)
{
    if (k->ncand == 1 && k->more == 0) {
        k->area = k->cand[0];
        k->how = SOL__MATCH_NAME; /* the caller says how */
    } else if (k->ncand > 0)
        k->how = SOL__MATCH_AMBIGUOUS;
    else
        k->how = SOL__MATCH_NONE;
}

/* A trimmed value matched without looking at the file's other values: the person's choice, then
 * the code itself. SOL__MATCH_NONE when the rest of the column is needed (or nothing matches). */
static sol__match_how settled_alone(const sol__matcher *m, const char *v, size_t n, const char *p,
                                    size_t pn, size_t *area)
{
    int64_t idx;
    char key[2 * NORM_MAX];
    if (n == 0)
        return SOL__MATCH_NONE;
    if (sol__strmap_count(m->choices)) {
        size_t kn = choice_key(v, n, p, pn, key, sizeof key);
        if (sol__strmap_get(m->choices, key, kn, &idx) ||
            sol__strmap_get(m->choices, key, sol__match_normalise(v, n, 0, key, sizeof key),
                            &idx)) {
            *area = (size_t)idx - 1;
            return SOL__MATCH_CHOICE;
        }
    }
    if (m->mode != SOL_MATCH_NAMES && sol__strmap_get(m->by_code, v, n, &idx)) {
        *area = (size_t)idx - 1;
        return SOL__MATCH_CODE;
    }
    return SOL__MATCH_NONE;
}

int sol__match_early(const sol__matcher *m, const char *v, size_t n, const char *p, size_t pn,
                     int64_t *id)
{
    v = trim(v, &n);
    if (p)
        p = trim(p, &pn);
    size_t area;
    if (settled_alone(m, v, n, p, pn, &area) == SOL__MATCH_NONE)
        return 0;
    *id = m->a[area].id;
    return 1;
}

static void match_one(sol__matcher *m, mkey *k)
{
    size_t n = strlen(k->value), pn = k->parent ? strlen(k->parent) : 0;
    int64_t idx;
    char key[2 * NORM_MAX];
    size_t kn;
    k->ncand = k->more = 0;
    if ((k->how = settled_alone(m, k->value, n, k->parent, pn, &k->area)) != SOL__MATCH_NONE ||
        n == 0)
        return;
    if (m->mode != SOL_MATCH_NAMES) {
        size_t dn = n;
        const char *d = strip_zeros(k->value, &dn);
        if (all_digits(k->value, n) && sol__strmap_get(m->by_digits, d, dn, &idx)) {
            walk(k, m->next_digits, idx);
            k->how = SOL__MATCH_RESTORED;
        }
    }
    if (k->ncand == 0 && m->mode != SOL_MATCH_CODES) {
        kn = sol__match_normalise(k->value, n, 0, key, sizeof key);
        if (kn && sol__strmap_get(m->by_name, key, kn, &idx))
            walk(k, m->next_name, idx);
        kn = sol__match_normalise(k->value, n, 1, key, sizeof key);
        if (k->ncand == 0 && kn && sol__strmap_get(m->by_bare, key, kn, &idx))
            walk(k, m->next_bare, idx);
        if (k->ncand)
            k->how = SOL__MATCH_NAME;
    }
    if (k->ncand > 1 && k->parent)
        keep_if(k, m, NULL, k->parent);
    sol__match_how how = k->how;
    settle(k);
    if (k->how != SOL__MATCH_AMBIGUOUS && k->ncand)
        k->how = how;
}

/* The closest store names to an unknown value (of `level` when known). */
static void suggest(const sol__matcher *m, mkey *k, const char *level)
{
    char key[NORM_MAX], other[NORM_MAX];
    size_t kn = sol__match_normalise(k->value, strlen(k->value), 1, key, sizeof key);
    size_t best[MAX_SUGG], dist[MAX_SUGG], nb = 0;
    if (kn == 0 || all_digits(key, kn))
        return;
    size_t limit = kn / 3 > 2 ? kn / 3 : 2;
    for (size_t i = 0; i < m->na; i++) {
        const marea *x = &m->a[i];
        if (x->name == NULL || (level && strcmp(x->level, level) != 0))
            continue;
        sol__match_normalise(x->name, strlen(x->name), 1, other, sizeof other);
        size_t d = edit_distance(key, other);
        if (d > limit)
            continue;
        size_t pos = nb;
        while (pos > 0 && dist[pos - 1] > d)
            pos--;
        if (pos >= MAX_SUGG)
            continue;
        if (nb < MAX_SUGG)
            nb++;
        for (size_t j = nb - 1; j > pos; j--) {
            best[j] = best[j - 1];
            dist[j] = dist[j - 1];
        }
        best[pos] = i;
        dist[pos] = d;
    }
    for (size_t j = 0; j < nb; j++)
        k->cand[j] = best[j];
    k->ncand = nb;
}

sol_status sol__match_resolve(sol__matcher *m, sol_error *err)
{
    (void)err;
    for (size_t i = 0; i < m->nk; i++)
        match_one(m, &m->k[i]);
    /* the level in play: the one most of the values matched without doubt */
    size_t best = NO_LEVEL, best_n = 0;
    sol_strmap *levels = sol__strmap_new(16);
    if (levels == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    for (size_t i = 0; i < m->nk; i++) {
        const mkey *k = &m->k[i];
        if (k->how == SOL__MATCH_NONE || k->how == SOL__MATCH_AMBIGUOUS)
            continue;
        const char *lv = m->a[k->area].level;
        int64_t c = 0;
        sol__strmap_get(levels, lv, strlen(lv), &c);
        if (sol__strmap_put(levels, lv, strlen(lv), c + 1) != SOL_OK) {
            sol__strmap_free(levels);
            return sol__err(err, SOL_ENOMEM, "out of memory");
        }
        if ((size_t)c + 1 > best_n) {
            best_n = (size_t)c + 1;
            best = k->area;
        }
    }
    sol__strmap_free(levels);
    const char *level = best != NO_LEVEL ? m->a[best].level : NULL;
    size_t suggested = 0;
    for (size_t i = 0; i < m->nk; i++) {
        mkey *k = &m->k[i];
        if (k->how == SOL__MATCH_AMBIGUOUS && level) {
            int restored = 0;
            for (size_t j = 0; j < k->ncand; j++)
                restored |= strcmp(m->a[k->cand[j]].code, k->value) != 0 &&
                            all_digits(k->value, strlen(k->value)) &&
                            all_digits(m->a[k->cand[j]].code, strlen(m->a[k->cand[j]].code));
            keep_if(k, m, level, NULL);
            settle(k);
            if (k->how != SOL__MATCH_AMBIGUOUS)
                k->how = restored ? SOL__MATCH_RESTORED : SOL__MATCH_NAME;
        }
        if (k->how == SOL__MATCH_NONE && m->mode != SOL_MATCH_CODES && suggested < MAX_SUGGESTED) {
            suggest(m, k, level);
            suggested++;
        }
        /* candidates in code order, so that messages read the same every time */
        for (size_t j = 1; k->how == SOL__MATCH_AMBIGUOUS && j < k->ncand; j++)
            for (size_t q = j;
                 q > 0 && strcmp(m->a[k->cand[q - 1]].code, m->a[k->cand[q]].code) > 0; q--) {
                size_t t = k->cand[q];
                k->cand[q] = k->cand[q - 1];
                k->cand[q - 1] = t;
            }
    }
    return SOL_OK;
}

int sol__match_get(sol__matcher *m, const char *v, size_t n, const char *p, size_t pn, int64_t *id)
{
    v = trim(v, &n);
    if (p)
        p = trim(p, &pn);
    if (key_of(m, v, n, p, pn) != SOL_OK)
        return 0;
    int64_t idx;
    if (!sol__strmap_get(m->keys, m->tmp.data, m->tmp.len, &idx))
        return 0;
    const mkey *k = &m->k[idx];
    if (k->how == SOL__MATCH_NONE || k->how == SOL__MATCH_AMBIGUOUS)
        return 0;
    *id = m->a[k->area].id;
    return 1;
}

void sol__match_count(const sol__matcher *m, sol__match_counts *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < m->nk; i++) {
        const mkey *k = &m->k[i];
        c->values++;
        switch (k->how) {
        case SOL__MATCH_CODE: c->by_code++; break;
        case SOL__MATCH_RESTORED: c->restored++; break;
        case SOL__MATCH_NAME: c->by_name++; break;
        case SOL__MATCH_CHOICE: c->by_choice++; break;
        case SOL__MATCH_AMBIGUOUS:
            c->ambiguous++;
            c->ambiguous_rows += k->rows;
            break;
        case SOL__MATCH_NONE:
            c->unmatched++;
            c->unmatched_rows += k->rows;
            break;
        }
    }
}

/* ---- messages ------------------------------------------------------------------------------- */

/* "Name (code, parent's name)" of area i. */
static void describe(const sol__matcher *m, size_t i, sol_buf *b)
{
    const marea *x = &m->a[i];
    const char *pname = NULL;
    int64_t pi;
    if (x->parent && sol__strmap_get(m->by_code, x->parent, strlen(x->parent), &pi))
        pname = m->a[pi - 1].name;
    sol__buf_addf(b, "%s (%s", x->name ? x->name : x->code, x->code);
    if (pname || x->parent)
        sol__buf_addf(b, ", %s", pname ? pname : x->parent);
    sol__buf_addc(b, ')');
}

/* The values of one outcome, each with its candidates, into b (at most `cap` bytes). */
static size_t list(const sol__matcher *m, sol__match_how how, sol_buf *b, size_t cap)
{
    size_t shown = 0;
    for (size_t i = 0; i < m->nk; i++) {
        const mkey *k = &m->k[i];
        if (k->how != how)
            continue;
        size_t before = b->len;
        if (k->parent)
            sol__buf_addf(b, _("\n  '%s' [%s] (line %lu)"), k->value, k->parent, k->line);
        else
            sol__buf_addf(b, _("\n  '%s' (line %lu)"), k->value, k->line);
        if (k->ncand)
            sol__buf_addf(b, ": ");
        for (size_t j = 0; j < k->ncand; j++) {
            if (j)
                sol__buf_addf(b, ", ");
            describe(m, k->cand[j], b);
        }
        if (k->more)
            sol__buf_addf(b, ", ...");
        if (b->len > cap) {
            b->len = before;
            b->data[before] = '\0';
            break;
        }
        shown++;
    }
    return shown;
}

sol_status sol__match_check(const sol__matcher *m, const char *path, const char *area_field,
                            int which, sol_error *err)
{
    sol__match_counts c;
    sol__match_count(m, &c);
    sol_buf b;
    sol__buf_init(&b, 4096);
    sol_status rc = SOL_OK;
    if (c.ambiguous && (which & SOL__CHECK_AMBIGUOUS)) {
        size_t shown = list(m, SOL__MATCH_AMBIGUOUS, &b, 560);
        rc =
            sol__err_at(err, SOL_EINVAL, path, 0, 0,
                        sol_ngettext("%lld name of column '%s' matches several areas of the "
                                     "store:%s%s\nSay which with --parent-field COLUMN (a column "
                                     "holding the parent area's name or code) or --matches "
                                     "FILE.csv (columns name,code, or name,parent,code)",
                                     "%lld names of column '%s' match several areas of the "
                                     "store:%s%s\nSay which with --parent-field COLUMN (a column "
                                     "holding the parent area's name or code) or --matches "
                                     "FILE.csv (columns name,code, or name,parent,code)",
                                     (unsigned long)c.ambiguous),
                        (long long)c.ambiguous, area_field, b.data ? b.data : "",
                        shown < (size_t)c.ambiguous ? _("\n  ... (--preview lists them all)") : "");
    } else if (c.unmatched && (which & SOL__CHECK_UNKNOWN)) {
        size_t shown = list(m, SOL__MATCH_NONE, &b, 560);
        rc =
            sol__err_at(err, SOL_EUNKNOWNAREA, path, 0, 0,
                        sol_ngettext("%lld value of column '%s' is not an area of the store "
                                     "(closest names after the colon):%s%s\nCorrect the file, "
                                     "give your choices with --matches FILE.csv (columns "
                                     "name,code), import the areas first ('solidata import "
                                     "areas'), or pass --skip-unknown-areas",
                                     "%lld values of column '%s' are not areas of the store "
                                     "(closest names after the colon):%s%s\nCorrect the file, "
                                     "give your choices with --matches FILE.csv (columns "
                                     "name,code), import the areas first ('solidata import "
                                     "areas'), or pass --skip-unknown-areas",
                                     (unsigned long)c.unmatched),
                        (long long)c.unmatched, area_field, b.data ? b.data : "",
                        shown < (size_t)c.unmatched ? _("\n  ... (--preview lists them all)") : "");
    }
    sol__buf_free(&b);
    return rc;
}

void sol__match_unknown_list(const sol__matcher *m, char *out, size_t cap)
{
    sol_buf b;
    sol__buf_init(&b, cap + 256);
    list(m, SOL__MATCH_NONE, &b, cap > 1 ? cap - 1 : 0);
    snprintf(out, cap, "%s", b.data ? b.data : "");
    sol__buf_free(&b);
}

/* ---- the preview ---------------------------------------------------------------------------- */

static json_t *area_json(const sol__matcher *m, size_t i)
{
    const marea *x = &m->a[i];
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(x->code));
    json_object_set_new(o, "name", x->name ? json_string(x->name) : json_null());
    json_object_set_new(o, "level", json_string(x->level));
    int64_t pi;
    if (x->parent) {
        json_object_set_new(o, "parent", json_string(x->parent));
        if (sol__strmap_get(m->by_code, x->parent, strlen(x->parent), &pi) && m->a[pi - 1].name)
            json_object_set_new(o, "parent_name", json_string(m->a[pi - 1].name));
    }
    return o;
}

json_t *sol__match_json(const sol__matcher *m, const char *area_field)
{
    static const char *const how_name[] = {
        [SOL__MATCH_NONE] = "unmatched",    [SOL__MATCH_CODE] = "code",
        [SOL__MATCH_RESTORED] = "restored", [SOL__MATCH_NAME] = "name",
        [SOL__MATCH_CHOICE] = "choice",     [SOL__MATCH_AMBIGUOUS] = "ambiguous"};
    sol__match_counts c;
    sol__match_count(m, &c);
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    json_object_set_new(o, "column", area_field ? json_string(area_field) : json_null());
    json_object_set_new(o, "match",
                        json_string(m->mode == SOL_MATCH_NAMES   ? "names"
                                    : m->mode == SOL_MATCH_CODES ? "codes"
                                                                 : "auto"));
    json_object_set_new(o, "values", json_integer(c.values));
    json_object_set_new(o, "matched",
                        json_integer(c.by_code + c.restored + c.by_name + c.by_choice));
    json_object_set_new(o, "by_code", json_integer(c.by_code));
    json_object_set_new(o, "by_restored_code", json_integer(c.restored));
    json_object_set_new(o, "by_name", json_integer(c.by_name));
    json_object_set_new(o, "by_choice", json_integer(c.by_choice));
    json_object_set_new(o, "unmatched", json_integer(c.unmatched));
    json_object_set_new(o, "unmatched_rows", json_integer(c.unmatched_rows));
    json_object_set_new(o, "ambiguous", json_integer(c.ambiguous));
    json_object_set_new(o, "ambiguous_rows", json_integer(c.ambiguous_rows));
    /* every value not matched by its code as written, so that the person can check them */
    json_t *matches = json_array(), *unm = json_array(), *amb = json_array();
    for (size_t i = 0; i < m->nk; i++) {
        const mkey *k = &m->k[i];
        json_t *arr = k->how == SOL__MATCH_NONE        ? unm
                      : k->how == SOL__MATCH_AMBIGUOUS ? amb
                      : k->how == SOL__MATCH_CODE      ? NULL
                                                       : matches;
        if (arr == NULL || json_array_size(arr) >= MAX_LIST)
            continue;
        json_t *e = json_object();
        json_object_set_new(e, "value", json_string(k->value));
        if (k->parent)
            json_object_set_new(e, "parent", json_string(k->parent));
        json_object_set_new(e, "rows", json_integer(k->rows));
        json_object_set_new(e, "line", json_integer((json_int_t)k->line));
        if (arr == matches) {
            json_object_set_new(e, "how", json_string(how_name[k->how]));
            json_object_set_new(e, "area", area_json(m, k->area));
        } else {
            json_t *cands = json_array();
            for (size_t j = 0; j < k->ncand; j++)
                json_array_append_new(cands, area_json(m, k->cand[j]));
            json_object_set_new(e, arr == amb ? "candidates" : "suggestions", cands);
        }
        json_array_append_new(arr, e);
    }
    json_object_set_new(o, "matches", matches);
    json_object_set_new(o, "unmatched_values", unm);
    json_object_set_new(o, "ambiguous_values", amb);
    return o;
}
