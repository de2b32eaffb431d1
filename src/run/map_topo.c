/* map_topo.c - the simplified, topology-preserving geometry of one level of areas for the
 * dashboard: the arcs are built once per store generation, level and view (the costly part:
 * reading and parsing every polygon) and kept for the zooms that follow. */
#include <solidata/run.h>
#include <solidata/topo.h>

#include "core/core.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define MEMO_SLOTS 4 /* levels (and views) kept built at once; each holds its arcs */

typedef struct memo {
    char key[1024]; /* path, generation, level, view */
    sol_topo *t;
    unsigned long long used;
} memo;

static pthread_mutex_t memo_mu = PTHREAD_MUTEX_INITIALIZER;
static memo memos[MEMO_SLOTS];
static unsigned long long memo_clock;

typedef struct gathered {
    const char *level;
    sol_feature *f;
    size_t n, cap;
    sol_status rc;
    sol_error *err;
} gathered;

static int on_area(void *ud, const sol_area *a)
{
    gathered *g = ud;
    if (g->level && strcmp(a->level, g->level) != 0)
        return 0;
    if (g->n == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 1024;
        sol_feature *f = sol__realloc(g->f, cap * sizeof *f);
        if (f == NULL) {
            g->rc = sol__err(g->err, SOL_ENOMEM, "out of memory reading the areas");
            return 1;
        }
        g->f = f;
        g->cap = cap;
    }
    sol_feature *f = &g->f[g->n];
    memset(f, 0, sizeof *f);
    f->name = a->name ? sol__strdup(a->name) : NULL;
    if ((f->code = sol__strdup(a->code)) == NULL || (a->name && f->name == NULL)) {
        g->rc = sol__err(g->err, SOL_ENOMEM, "out of memory reading the areas");
        return 1;
    }
    g->n++;
    /* an area without geometry has an empty shape: it still holds its place in the order */
    if (a->geometry && (g->rc = sol_geo_parse_geojson(a->geometry, f, g->err)) != SOL_OK) {
        sol__err_where(g->err, a->code);
        return 1;
    }
    return 0;
}

static sol_status build(sol_store *st, const char *level, sol_topo **out, sol_error *err)
{
    gathered g = {.level = level, .err = err};
    sol_status rc = sol_store_areas(st, 1, on_area, &g, err);
    if (rc == SOL_OK)
        rc = g.rc;
    if (rc == SOL_OK && g.n == 0)
        rc = sol__err(err, SOL_ENOTFOUND, "no areas of level '%s'", level ? level : "");
    if (rc == SOL_OK)
        rc = sol_topo_build(g.f, g.n, out, err);
    for (size_t i = 0; i < g.n; i++) {
        sol_feature_clear(&g.f[i]);
    }
    sol__free(g.f);
    return rc;
}

/* The memo slot for `key`, built when missing (the least recently used slot makes room).
 * Called with memo_mu held. */
static sol_status memo_get(sol_store *st, const char *key, const char *level, sol_topo **t,
                           sol_error *err)
{
    memo *m = NULL, *old = &memos[0];
    for (size_t i = 0; i < MEMO_SLOTS; i++) {
        if (memos[i].t && strcmp(memos[i].key, key) == 0)
            m = &memos[i];
        if (memos[i].used < old->used)
            old = &memos[i];
    }
    if (m == NULL) {
        sol_topo *nt = NULL;
        sol_status rc = build(st, level, &nt, err);
        if (rc != SOL_OK)
            return rc;
        sol_topo_free(old->t);
        m = old;
        m->t = nt;
        snprintf(m->key, sizeof m->key, "%s", key);
    }
    m->used = ++memo_clock;
    *t = m->t;
    return SOL_OK;
}

sol_status sol_run_map_topo(sol_store *st, const char *level, int zoom, int analyst, char **json,
                            size_t *len, sol_error *err)
{
    if (zoom < 0 || zoom >= SOL_TOPO_ZOOMS)
        return sol__err(err, SOL_EINVAL, "zoom %d: expected a whole number from 0 to %d", zoom,
                        SOL_TOPO_ZOOMS - 1);
    char gen[64], key[1024];
    sol_status rc = sol_store_generation(st, gen, err);
    if (rc != SOL_OK)
        return rc;
    int w = snprintf(key, sizeof key, "%s\x01%s\x01%s\x01%d", sol_store_path(st), gen,
                     level ? level : "", analyst);
    if (w < 0 || (size_t)w >= sizeof key)
        return sol__err(err, SOL_ELIMIT, "the level name is too long");
    pthread_mutex_lock(&memo_mu);
    sol_topo *t = NULL;
    rc = memo_get(st, key, level, &t, err);
    /* encoding reads the topology only; the lock keeps a concurrent rebuild from freeing it */
    if (rc == SOL_OK)
        rc = sol_topo_encode(t, zoom, json, len, NULL, err);
    pthread_mutex_unlock(&memo_mu);
    return rc;
}

void sol_run_map_topo_forget(void)
{
    pthread_mutex_lock(&memo_mu);
    for (size_t i = 0; i < MEMO_SLOTS; i++) {
        sol_topo_free(memos[i].t);
        memset(&memos[i], 0, sizeof memos[i]);
    }
    pthread_mutex_unlock(&memo_mu);
}
