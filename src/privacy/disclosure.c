/* disclosure.c - disclosure control of the store's observations: the rules and their order
 * (primary, secondary over the nested area tables, linked figures, until stable) are decided
 * here; the store reads the tables and writes the flags (sol_store_sdc_* in store.h). */
#include <solidata/privacy.h>

#include "privacy_int.h"

#include <stdio.h>

/* The count tables read from the store, as sol_privacy_suppress_nested takes them. */
typedef struct tables {
    sol_obs_key *keys; /* per cell */
    double *value;
    unsigned char *sdc;
    unsigned char *was; /* the flag as read, to write back only what changed */
    size_t ncells, capcells;
    size_t *members; /* per group: the parent's cell, then its children's */
    size_t nmem, capmem;
    size_t *start; /* group g is members[start[g] .. start[g+1]) */
    size_t ngroups, capgroups;
    sol_strmap *index; /* "indicator:period:area" -> cell */
    int64_t last[3];   /* the group being read: indicator, period, parent */
    int failed;
} tables;

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 64;
    while (nc < need)
        nc *= 2;
    void *q = sol__realloc(*p, nc * size);
    if (q == NULL)
        return -1;
    *p = q;
    *cap = nc;
    return 0;
}

/* The cell of observation (ind, per, area), added when new; -1 when out of memory. */
static int cell_id(tables *t, int64_t ind, int64_t per, int64_t area, double value, int sdc,
                   size_t *out)
{
    char key[64];
    int n = snprintf(key, sizeof key, "%lld:%lld:%lld", (long long)ind, (long long)per,
                     (long long)area);
    int64_t v;
    if (sol__strmap_get(t->index, key, (size_t)n, &v)) {
        *out = (size_t)v;
        return 0;
    }
    size_t cap = t->capcells;
    if (t->ncells + 1 > cap) {
        size_t c1 = cap, c2 = cap, c3 = cap;
        if (grow((void **)&t->keys, &cap, t->ncells + 1, sizeof *t->keys) ||
            grow((void **)&t->value, &c1, t->ncells + 1, sizeof *t->value) ||
            grow((void **)&t->sdc, &c2, t->ncells + 1, 1) ||
            grow((void **)&t->was, &c3, t->ncells + 1, 1))
            return -1;
        t->capcells = cap;
    }
    t->keys[t->ncells] = (sol_obs_key){ind, per, area};
    t->value[t->ncells] = value;
    t->sdc[t->ncells] = t->was[t->ncells] = (unsigned char)(sdc < 0 ? 0 : sdc > 2 ? 2 : sdc);
    if (sol__strmap_put(t->index, key, (size_t)n, (int64_t)t->ncells) != SOL_OK)
        return -1;
    *out = t->ncells++;
    return 0;
}

static int on_row(void *ud, const sol_sdc_row *r)
{
    tables *t = ud;
    size_t id;
    if (r->indicator_id != t->last[0] || r->period_id != t->last[1] || r->parent_id != t->last[2]) {
        if (grow((void **)&t->start, &t->capgroups, t->ngroups + 2, sizeof *t->start) ||
            cell_id(t, r->indicator_id, r->period_id, r->parent_id, r->parent_value, r->parent_sdc,
                    &id) ||
            grow((void **)&t->members, &t->capmem, t->nmem + 1, sizeof *t->members))
            goto nomem;
        t->start[t->ngroups++] = t->nmem;
        t->members[t->nmem++] = id;
        t->last[0] = r->indicator_id, t->last[1] = r->period_id, t->last[2] = r->parent_id;
    }
    if (cell_id(t, r->indicator_id, r->period_id, r->area_id, r->value, r->sdc, &id) ||
        grow((void **)&t->members, &t->capmem, t->nmem + 1, sizeof *t->members))
        goto nomem;
    t->members[t->nmem++] = id;
    return 0;
nomem:
    t->failed = 1;
    return 1;
}

/* Secondary suppression over every (count indicator, period, parent area) whose parent holds a
 * value: the children and the parent (their total) form a one-way table with its margin. The
 * cells newly suppressed are written back; *added gets how many. */
static sol_status secondary(sol_store *st, int64_t *added, sol_error *err)
{
    tables t = {.last = {-1, -1, -1}};
    size_t more = 0;
    sol_status rc = SOL_OK;
    *added = 0;
    if ((t.index = sol__strmap_new(1024)) == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    if ((rc = sol_store_sdc_tables(st, on_row, &t, err)) != SOL_OK)
        goto out;
    if (t.failed) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto out;
    }
    if (t.ngroups == 0)
        goto out;
    t.start[t.ngroups] = t.nmem;
    sol_sdc_nested nt = {.ncells = t.ncells,
                         .value = t.value,
                         .sdc = t.sdc,
                         .ngroups = t.ngroups,
                         .start = t.start,
                         .members = t.members};
    if ((rc = sol_privacy_suppress_nested(&nt, &more, err)) != SOL_OK || more == 0)
        goto out;
    size_t k = 0; /* the changed cells' keys, in place */
    for (size_t i = 0; i < t.ncells; i++)
        if (t.sdc[i] == SOL_CELL_SECONDARY && t.was[i] == SOL_CELL_PUBLISHED)
            t.keys[k++] = t.keys[i];
    if ((rc = sol_store_sdc_mark(st, t.keys, k, SOL_CELL_SECONDARY, err)) == SOL_OK)
        *added = (int64_t)k;
out:
    sol__free_n(6, t.keys, t.value, t.sdc, t.was, t.members, t.start);
    sol__strmap_free(t.index);
    return rc;
}

sol_status sol_disclosure_refresh(sol_store *st, int64_t *primary, int64_t *secondary_out,
                                  sol_error *err)
{
    int own;
    sol_status rc = sol_store_join(st, &own, err);
    if (rc != SOL_OK)
        return rc;
    int64_t prim = 0, sec = 0;
    if ((rc = sol_store_sdc_primary(st, SOL_PRIVACY_DEFAULT_MIN_CELL, &prim, err)) == SOL_OK)
        rc = secondary(st, &sec, err);
    /* linked: a derived figure whose numerator or denominator is withheld would give it back
     * (count = rate x denominator), so it is withheld too (as secondary), and the count tables
     * are protected again in case a derived indicator is itself a count; until stable. A pass
     * of links may withhold a figure derived from one it just withheld (r2 from r from n) or
     * not, as the database visits the rows (PostgreSQL's UPDATE never sees its own changes), so
     * only a pass that withholds nothing ends the loop */
    for (int pass = 0; rc == SOL_OK && pass < 64; pass++) {
        int64_t linked = 0, more = 0;
        if ((rc = sol_store_sdc_linked(st, &linked, err)) != SOL_OK || linked == 0)
            break;
        sec += linked;
        if ((rc = secondary(st, &more, err)) != SOL_OK)
            break;
        sec += more;
    }
    if (rc == SOL_OK && primary)
        *primary = prim;
    if (rc == SOL_OK && secondary_out)
        *secondary_out = sec;
    return sol_store_leave(st, own, rc, err);
}

sol_status sol_budget_set(sol_store *st, const char *dataset, int64_t eps_total_nano,
                          double delta_total, uint64_t min_cell, sol_error *err)
{
    int own;
    sol_status rc = sol_store_join(st, &own, err);
    if (rc != SOL_OK)
        return rc;
    rc = sol_store_budget_put(st, dataset, eps_total_nano, delta_total, min_cell, err);
    if (rc == SOL_OK && sol_store_schema_version(st) >= 5) /* the new k applies at once */
        rc = sol_disclosure_refresh(st, NULL, NULL, err);
    return sol_store_leave(st, own, rc, err);
}
