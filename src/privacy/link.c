/* link.c - "once only" linkage: a hash join of two files pseudonymised with the same key, the
 * right file held in memory (bounded), the left streamed; a report of matches and duplicates. */
#include <solidata/privacy.h>

#include "privacy_int.h"

#include <string.h>

static int is_pseudonym(const char *s, size_t n)
{
    if (n != 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

static uint64_t key64(const char *hex)
{
    uint64_t v = 0;
    for (int i = 0; i < 16; i++)
        v = (v << 4) | (uint64_t)(hex[i] <= '9' ? hex[i] - '0' : hex[i] - 'a' + 10);
    return v ? v : 1;
}

/* A set of 64-bit keys (the first 64 bits of HMAC outputs: uniform), to count left duplicates
 * without holding the left file. */
typedef struct u64set {
    uint64_t *k;
    size_t cap, n;
} u64set;

/* 1 when new, 0 when already there, -1 out of memory. */
static int set_add(u64set *s, uint64_t key)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        uint64_t *k = sol__calloc(cap, sizeof *k);
        if (k == NULL)
            return -1;
        for (size_t i = 0; i < s->cap; i++) {
            if (s->k[i] == 0)
                continue;
            size_t j = (size_t)s->k[i] & (cap - 1);
            while (k[j])
                j = (j + 1) & (cap - 1);
            k[j] = s->k[i];
        }
        sol__free(s->k);
        s->k = k;
        s->cap = cap;
    }
    size_t j = (size_t)key & (s->cap - 1);
    while (s->k[j]) {
        if (s->k[j] == key)
            return 0;
        j = (j + 1) & (s->cap - 1);
    }
    s->k[j] = key;
    s->n++;
    return 1;
}

static sol_status bad_key(sol_csv *c, long kc, const char *name, sol_error *err)
{
    return sol__err_at(err, SOL_EPARSE, sol_csv_name(c), sol_csv_line(c),
                       sol_csv_col(c, (size_t)kc),
                       "'%s' is not a pseudonym (64 lower-case hex characters); link only files "
                       "made by 'solidata pseudonymise' with the same key",
                       name);
}

/* Append ",field" to b, the field CSV-quoted when needed. */
static sol_status add_field(sol_buf *b, const char *f, size_t len)
{
    int q =
        memchr(f, ',', len) || memchr(f, '"', len) || memchr(f, '\n', len) || memchr(f, '\r', len);
    sol_status rc = sol__buf_addc(b, ',');
    if (rc == SOL_OK && q)
        rc = sol__buf_addc(b, '"');
    size_t from = 0;
    for (size_t j = 0; j < len && rc == SOL_OK; j++) {
        if (f[j] == '"') {
            rc = sol__buf_add(b, f + from, j + 1 - from);
            if (rc == SOL_OK)
                rc = sol__buf_addc(b, '"');
            from = j + 1;
        }
    }
    if (rc == SOL_OK)
        rc = sol__buf_add(b, f + from, len - from);
    if (rc == SOL_OK && q)
        rc = sol__buf_addc(b, '"');
    return rc;
}

sol_status sol_privacy_link(sol_csv *left, const char *left_key, sol_csv *right,
                            const char *right_key, sol_write_fn out, void *ud, sol_link_report *rep,
                            sol_error *err)
{
    sol_link_report r;
    memset(&r, 0, sizeof r);
    long lk = sol_csv_colindex(left, left_key), rk = sol_csv_colindex(right, right_key);
    if (lk < 0)
        return sol__err_at(err, SOL_ENOTFOUND, sol_csv_name(left), 1, 0,
                           "no column named '%s' in the header", left_key);
    if (rk < 0)
        return sol__err_at(err, SOL_ENOTFOUND, sol_csv_name(right), 1, 0,
                           "no column named '%s' in the header", right_key);
    sol_status rc = SOL_ENOMEM;
    sol_strmap *map = sol__strmap_new(1024);
    sol_buf arena, one;
    sol__buf_init(&arena, (size_t)SOL_MAX_LINK_BYTES);
    sol__buf_init(&one, SOL_MAX_CSV_RECORD);
    size_t *off = NULL, *next = NULL, nrows = 0, cap = 0;
    unsigned char *hit = NULL;
    u64set lset = {0};
    sol__wbuf *w = sol__malloc(sizeof *w);
    if (map == NULL || w == NULL)
        goto nomem;
    size_t lnc = sol_csv_ncols(left), rnc = sol_csv_ncols(right);

    /* build: right rows as encoded CSV tails (",a,b"), chained by key */
    while ((rc = sol_csv_next(right, err)) == SOL_OK) {
        size_t len;
        const char *key = sol_csv_field(right, (size_t)rk, &len);
        if (!is_pseudonym(key, len)) {
            rc = bad_key(right, rk, right_key, err);
            goto fail;
        }
        if (nrows + 1 >= cap) {
            size_t nc = cap ? cap * 2 : 1024;
            size_t *o2 = sol__realloc(off, nc * sizeof *o2);
            if (o2 == NULL)
                goto nomem;
            off = o2;
            size_t *n2 = sol__realloc(next, nc * sizeof *n2);
            if (n2 == NULL)
                goto nomem;
            next = n2;
            cap = nc;
        }
        off[nrows] = arena.len;
        for (size_t i = 0; i < rnc; i++) {
            if ((long)i == rk)
                continue;
            const char *f = sol_csv_field(right, i, &len);
            if ((rc = add_field(&arena, f, len)) != SOL_OK) {
                if (rc == SOL_ELIMIT) {
                    rc = sol__err_at(err, SOL_ELIMIT, sol_csv_name(right), sol_csv_line(right), 0,
                                     "the right file exceeds %llu bytes in memory; put the "
                                     "smaller file on the right",
                                     (unsigned long long)SOL_MAX_LINK_BYTES);
                    goto fail;
                }
                goto nomem;
            }
        }
        int64_t first;
        key = sol_csv_field(right, (size_t)rk, &len);
        if (sol__strmap_get(map, key, len, &first)) {
            next[nrows] = (size_t)first; /* new head of its key's chain */
            r.dup_rows_right++;
        } else {
            next[nrows] = SIZE_MAX;
        }
        if (sol__strmap_put(map, key, len, (int64_t)nrows) != SOL_OK)
            goto nomem;
        nrows++;
        r.right_rows++;
    }
    if (rc != SOL_EOF)
        goto fail;
    if (off == NULL && (off = sol__malloc(sizeof *off)) == NULL)
        goto nomem;
    off[nrows] = arena.len;
    if ((hit = sol__calloc(nrows + 1, 1)) == NULL)
        goto nomem;

    /* header: key, left columns, right columns ("right_" prefix on a clash) */
    sol__wbuf_init(w, out, ud);
    const char *kn = sol_csv_colname(left, (size_t)lk);
    size_t total = 1 + (lnc - 1) + (rnc - 1), k = 0;
    sol__wbuf_field(w, kn, strlen(kn), ++k == total);
    for (size_t i = 0; i < lnc; i++) {
        if ((long)i == lk)
            continue;
        const char *nm = sol_csv_colname(left, i);
        sol__wbuf_field(w, nm, strlen(nm), ++k == total);
    }
    for (size_t i = 0; i < rnc; i++) {
        if ((long)i == rk)
            continue;
        const char *nm = sol_csv_colname(right, i);
        if (sol_csv_colindex(left, nm) >= 0) {
            sol__buf_reset(&one);
            if (sol__buf_add(&one, "right_", 6) != SOL_OK ||
                sol__buf_add(&one, nm, strlen(nm)) != SOL_OK)
                goto nomem;
            sol__wbuf_field(w, one.data, one.len, ++k == total);
        } else {
            sol__wbuf_field(w, nm, strlen(nm), ++k == total);
        }
    }

    /* probe: stream left */
    while ((rc = sol_csv_next(left, err)) == SOL_OK) {
        size_t len, klen;
        const char *key = sol_csv_field(left, (size_t)lk, &klen);
        if (!is_pseudonym(key, klen)) {
            rc = bad_key(left, lk, left_key, err);
            goto fail;
        }
        r.left_rows++;
        int added = set_add(&lset, key64(key));
        if (added < 0)
            goto nomem;
        r.dup_rows_left += added == 0;
        int64_t first;
        if (!sol__strmap_get(map, key, klen, &first)) {
            r.unmatched_left++;
            continue;
        }
        r.matched_left++;
        sol__buf_reset(&one);
        for (size_t i = 0; i < lnc; i++) {
            if ((long)i == lk)
                continue;
            const char *f = sol_csv_field(left, i, &len);
            if ((rc = add_field(&one, f, len)) != SOL_OK)
                goto nomem;
        }
        for (size_t j = (size_t)first; j != SIZE_MAX; j = next[j]) {
            hit[j] = 1;
            sol__wbuf_put(w, key, klen);
            sol__wbuf_put(w, one.data ? one.data : "", one.len);
            sol__wbuf_put(w, arena.data ? arena.data + off[j] : "", off[j + 1] - off[j]);
            sol__wbuf_put(w, "\n", 1);
            r.pairs++;
        }
        if (w->rc != SOL_OK)
            break;
    }
    if (rc != SOL_EOF && rc != SOL_OK)
        goto fail;
    if ((rc = sol__wbuf_flush(w, err)) != SOL_OK)
        goto fail;
    for (size_t j = 0; j < nrows; j++) {
        r.matched_right += hit[j];
        r.unmatched_right += !hit[j];
    }
    if (rep)
        *rep = r;
    rc = SOL_OK;
    goto done;
nomem:
    rc = sol__err(err, SOL_ENOMEM, "out of memory");
fail:
done:
    sol__strmap_free(map);
    sol__buf_free(&arena);
    sol__buf_free(&one);
    sol__free_n(5, off, next, hit, lset.k, w);
    return rc;
}
