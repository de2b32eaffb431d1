/* suppress.c - primary and secondary cell suppression of one- and two-way tables with margins,
 * so that no suppressed entry can be computed from the published ones (docs/privacy.md). */
#include <solidata/privacy.h>

#include "privacy_int.h"

#include <string.h>

/* A two-way table with margins is the complete bipartite graph between R+1 row nodes and C+1
 * column nodes, each entry an edge; every node's line (a row or a column, margin included)
 * gives one linear equation over its edges. The suppressed entries are unknowns; an unknown is
 * determined by the published entries exactly when its edge is a bridge of the graph of
 * unknowns (the null space of a bipartite incidence matrix is spanned by its even cycles). So
 * secondary suppression must leave no bridge: first the quick rule (a line with exactly one
 * suppressed entry gets its cheapest published entry suppressed, to a fixed point), then, for
 * any bridge left, the cheapest path that closes a cycle through it (Dijkstra). */

typedef struct ctx {
    size_t R, C; /* entries are (R+1) x (C+1) */
    const uint64_t *n;
    uint64_t k;
    unsigned char *flags;
    size_t secondary;
} ctx;

static uint64_t cost(const ctx *x, size_t i)
{
    return x->n[i] > 0 ? x->n[i] : x->k; /* zeros are complements of last resort */
}

/* ---- phase 1: lines with a single suppressed entry ------------------------------------------- */

static size_t line_len(const ctx *x, size_t l)
{
    return l <= x->R ? x->C + 1 : x->R + 1;
}

static size_t line_entry(const ctx *x, size_t l, size_t j)
{
    if (l <= x->R)
        return l * (x->C + 1) + j;
    return j * (x->C + 1) + (l - x->R - 1);
}

static sol_status lines_fix(ctx *x)
{
    size_t nl = x->R + 1 + x->C + 1;
    size_t *cnt = sol__calloc(nl, sizeof *cnt);
    size_t *queue = sol__malloc(nl * 4 * sizeof *queue + sizeof *queue);
    if (cnt == NULL || queue == NULL) {
        sol__free(cnt);
        sol__free(queue);
        return SOL_ENOMEM;
    }
    size_t qh = 0, qt = 0, qcap = nl * 4 + 1;
    for (size_t l = 0; l < nl; l++) {
        for (size_t j = 0; j < line_len(x, l); j++)
            cnt[l] += x->flags[line_entry(x, l, j)] != SOL_CELL_PUBLISHED;
        if (cnt[l] == 1)
            queue[qt++ % qcap] = l;
    }
    while (qh != qt) {
        size_t l = queue[qh++ % qcap];
        if (cnt[l] != 1)
            continue;
        size_t best = SIZE_MAX;
        for (size_t j = 0; j < line_len(x, l); j++) {
            size_t i = line_entry(x, l, j);
            if (x->flags[i] == SOL_CELL_PUBLISHED &&
                (best == SIZE_MAX || cost(x, i) < cost(x, best)))
                best = i;
        }
        if (best == SIZE_MAX)
            continue;
        x->flags[best] = SOL_CELL_SECONDARY;
        x->secondary++;
        size_t r = best / (x->C + 1), c = best % (x->C + 1);
        size_t ls[2] = {r, x->R + 1 + c};
        for (int m = 0; m < 2; m++) {
            cnt[ls[m]]++;
            if (cnt[ls[m]] == 1 && qt - qh < qcap)
                queue[qt++ % qcap] = ls[m];
        }
    }
    sol__free(cnt);
    sol__free(queue);
    return SOL_OK;
}

/* ---- phase 2: bridges of the graph of suppressed entries ------------------------------------- */

/* Find one bridge; *found 0 when there is none. Iterative Tarjan over a CSR adjacency. */
static sol_status find_bridge(const ctx *x, int *found, size_t *bridge)
{
    size_t V = x->R + x->C + 2, E = (x->R + 1) * (x->C + 1);
    sol_status rc = SOL_ENOMEM;
    size_t *off = sol__calloc(V + 1, sizeof *off), *adj = NULL, *fill = NULL, *disc = NULL,
           *low = NULL, *stk = NULL, *it = NULL, *pedge = NULL;
    if (off == NULL)
        goto done;
    size_t ne = 0;
    for (size_t i = 0; i < E; i++) {
        if (x->flags[i] != SOL_CELL_PUBLISHED) {
            off[i / (x->C + 1) + 1]++;
            off[x->R + 1 + i % (x->C + 1) + 1]++;
            ne++;
        }
    }
    for (size_t v = 0; v < V; v++)
        off[v + 1] += off[v];
    if ((adj = sol__malloc((2 * ne + 1) * sizeof *adj)) == NULL ||
        (fill = sol__malloc((V + 1) * sizeof *fill)) == NULL ||
        (disc = sol__calloc(V, sizeof *disc)) == NULL ||
        (low = sol__calloc(V, sizeof *low)) == NULL ||
        (stk = sol__malloc(V * sizeof *stk)) == NULL || (it = sol__calloc(V, sizeof *it)) == NULL ||
        (pedge = sol__malloc(V * sizeof *pedge)) == NULL)
        goto done;
    memcpy(fill, off, (V + 1) * sizeof *fill);
    for (size_t i = 0; i < E; i++) {
        if (x->flags[i] != SOL_CELL_PUBLISHED) {
            adj[fill[i / (x->C + 1)]++] = i;
            adj[fill[x->R + 1 + i % (x->C + 1)]++] = i;
        }
    }
    *found = 0;
    size_t timer = 0;
    for (size_t root = 0; root < V && !*found; root++) {
        if (disc[root] || off[root] == off[root + 1])
            continue;
        size_t sp = 0;
        stk[sp++] = root;
        disc[root] = low[root] = ++timer;
        pedge[root] = SIZE_MAX;
        it[root] = off[root];
        while (sp > 0 && !*found) {
            size_t v = stk[sp - 1];
            if (it[v] < off[v + 1]) {
                size_t e = adj[it[v]++];
                if (e == pedge[v])
                    continue;
                size_t r = e / (x->C + 1), c = x->R + 1 + e % (x->C + 1);
                size_t w = v == r ? c : r;
                if (disc[w]) {
                    if (disc[w] < low[v])
                        low[v] = disc[w];
                } else {
                    disc[w] = low[w] = ++timer;
                    pedge[w] = e;
                    it[w] = off[w];
                    stk[sp++] = w;
                }
            } else {
                sp--;
                if (sp > 0) {
                    size_t u = stk[sp - 1];
                    if (low[v] < low[u])
                        low[u] = low[v];
                    if (low[v] > disc[u]) {
                        *found = 1;
                        *bridge = pedge[v];
                    }
                }
            }
        }
    }
    rc = SOL_OK;
done:
    sol__free_n(8, off, adj, fill, disc, low, stk, it, pedge);
    return rc;
}

typedef struct hitem {
    uint64_t d;
    size_t v;
} hitem;

static void heap_push(hitem *h, size_t *n, hitem x)
{
    size_t i = (*n)++;
    while (i > 0 && h[(i - 1) / 2].d > x.d) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = x;
}

static hitem heap_pop(hitem *h, size_t *n)
{
    hitem top = h[0], x = h[--*n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= *n)
            break;
        if (c + 1 < *n && h[c + 1].d < h[c].d)
            c++;
        if (h[c].d >= x.d)
            break;
        h[i] = h[c];
        i = c;
    }
    if (*n > 0)
        h[i] = x;
    return top;
}

/* Suppress the cheapest path between the ends of bridge `e` that does not use e. */
static sol_status close_cycle(ctx *x, size_t e)
{
    size_t V = x->R + x->C + 2, E = (x->R + 1) * (x->C + 1);
    size_t src = e / (x->C + 1), dst = x->R + 1 + e % (x->C + 1);
    sol_status rc = SOL_ENOMEM;
    uint64_t *dist = sol__malloc(V * sizeof *dist);
    size_t *via = sol__malloc(V * sizeof *via); /* entry used to reach the node */
    unsigned char *done = sol__calloc(V, 1);
    hitem *h = sol__malloc((2 * E + V + 1) * sizeof *h);
    if (dist == NULL || via == NULL || done == NULL || h == NULL)
        goto out;
    for (size_t v = 0; v < V; v++)
        dist[v] = UINT64_MAX;
    size_t hn = 0;
    dist[src] = 0;
    heap_push(h, &hn, (hitem){0, src});
    while (hn > 0) {
        hitem t = heap_pop(h, &hn);
        if (done[t.v])
            continue;
        done[t.v] = 1;
        if (t.v == dst)
            break;
        int is_row = t.v <= x->R;
        size_t m = is_row ? x->C + 1 : x->R + 1;
        for (size_t j = 0; j < m; j++) {
            size_t i = is_row ? t.v * (x->C + 1) + j : j * (x->C + 1) + (t.v - x->R - 1);
            if (i == e)
                continue;
            size_t w = is_row ? x->R + 1 + j : j;
            uint64_t d = t.d + (x->flags[i] != SOL_CELL_PUBLISHED ? 0 : cost(x, i));
            if (!done[w] && d < dist[w]) {
                dist[w] = d;
                via[w] = i;
                heap_push(h, &hn, (hitem){d, w});
            }
        }
    }
    /* The graph is complete, so dst is always reached (through at least 3 entries). */
    for (size_t v = dst; v != src;) {
        size_t i = via[v];
        if (x->flags[i] == SOL_CELL_PUBLISHED) {
            x->flags[i] = SOL_CELL_SECONDARY;
            x->secondary++;
        }
        size_t r = i / (x->C + 1), c = x->R + 1 + i % (x->C + 1);
        v = v == r ? c : r;
    }
    rc = SOL_OK;
out:
    sol__free_n(4, dist, via, done, h);
    return rc;
}

sol_status sol_privacy_suppress(size_t nrows, size_t ncols, const uint64_t *n, uint64_t k,
                                unsigned char *flags, size_t *n_primary, size_t *n_secondary,
                                sol_error *err)
{
    if (nrows == 0)
        return sol__err(err, SOL_EINVAL, "a table needs at least one row");
    size_t E = ncols == 0 ? nrows + 1 : (nrows + 1) * (ncols + 1);
    if (nrows >= SOL_MAX_TAB_CELLS || ncols >= SOL_MAX_TAB_CELLS || E / (nrows + 1) < ncols ||
        E > SOL_MAX_TAB_CELLS)
        return sol__err(err, SOL_ELIMIT, "table of %zu x %zu entries exceeds %u", nrows + 1,
                        ncols + 1, SOL_MAX_TAB_CELLS);
    size_t prim = 0;
    for (size_t i = 0; i < E; i++) {
        flags[i] = n[i] >= 1 && n[i] < k ? SOL_CELL_PRIMARY : SOL_CELL_PUBLISHED;
        prim += flags[i] == SOL_CELL_PRIMARY;
    }
    ctx x = {.R = nrows, .C = ncols, .n = n, .k = k, .flags = flags};
    if (ncols == 0) {
        /* One line: the cells and their total. One suppressed entry alone would be the total
         * minus the others; a second one (the smallest) makes the line undetermined. */
        if (prim == 1) {
            size_t best = SIZE_MAX;
            for (size_t i = 0; i < E; i++)
                if (flags[i] == SOL_CELL_PUBLISHED &&
                    (best == SIZE_MAX || cost(&x, i) < cost(&x, best)))
                    best = i;
            flags[best] = SOL_CELL_SECONDARY;
            x.secondary = 1;
        }
    } else if (prim > 0) {
        if (lines_fix(&x) != SOL_OK)
            return sol__err(err, SOL_ENOMEM, "out of memory");
        for (;;) {
            int found = 0;
            size_t e = 0;
            if (find_bridge(&x, &found, &e) != SOL_OK)
                return sol__err(err, SOL_ENOMEM, "out of memory");
            if (!found)
                break;
            if (close_cycle(&x, e) != SOL_OK)
                return sol__err(err, SOL_ENOMEM, "out of memory");
        }
    }
    if (n_primary)
        *n_primary = prim;
    if (n_secondary)
        *n_secondary = x.secondary;
    return SOL_OK;
}
