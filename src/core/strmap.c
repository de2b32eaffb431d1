/* strmap.c - string to int64 hash map (open addressing, FNV-1a), for code -> id look-ups. */
#include "core.h"

#include <string.h>

typedef struct slot {
    char *key; /* NULL: empty */
    size_t len;
    uint64_t hash;
    int64_t val;
} slot;

struct sol_strmap {
    slot *slots;
    size_t cap; /* power of two */
    size_t n;
};

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

sol_strmap *sol__strmap_new(size_t hint)
{
    sol_strmap *m = sol__calloc(1, sizeof *m);
    if (m == NULL)
        return NULL;
    size_t cap = 16;
    while (cap < hint * 2)
        cap *= 2;
    m->slots = sol__calloc(cap, sizeof *m->slots);
    if (m->slots == NULL) {
        sol__free(m);
        return NULL;
    }
    m->cap = cap;
    return m;
}

void sol__strmap_free(sol_strmap *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->cap; i++)
        sol__free(m->slots[i].key);
    sol__free(m->slots);
    sol__free(m);
}

static slot *find(const sol_strmap *m, const char *key, size_t len, uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        slot *s = &m->slots[i];
        if (s->key == NULL || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
            return s;
    }
}

int sol__strmap_get(const sol_strmap *m, const char *key, size_t len, int64_t *val)
{
    slot *s = find(m, key, len, fnv1a(key, len));
    if (s->key == NULL)
        return 0;
    if (val)
        *val = s->val;
    return 1;
}

static sol_status rehash(sol_strmap *m)
{
    size_t cap = m->cap * 2;
    slot *ns = sol__calloc(cap, sizeof *ns);
    if (ns == NULL)
        return SOL_ENOMEM;
    slot *old = m->slots;
    size_t oldcap = m->cap;
    m->slots = ns;
    m->cap = cap;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].key)
            *find(m, old[i].key, old[i].len, old[i].hash) = old[i];
    sol__free(old);
    return SOL_OK;
}

sol_status sol__strmap_put(sol_strmap *m, const char *key, size_t len, int64_t val)
{
    if ((m->n + 1) * 2 > m->cap && rehash(m) != SOL_OK)
        return SOL_ENOMEM;
    uint64_t h = fnv1a(key, len);
    slot *s = find(m, key, len, h);
    if (s->key == NULL) {
        char *k = sol__strndup(key, len);
        if (k == NULL)
            return SOL_ENOMEM;
        s->key = k;
        s->len = len;
        s->hash = h;
        m->n++;
    }
    s->val = val;
    return SOL_OK;
}

size_t sol__strmap_count(const sol_strmap *m)
{
    return m->n;
}
