/* sdc.c - secondary suppression of nested one-way tables (an area and the areas it contains, at
 * every level), in memory: the store's disclosure flags are computed here (docs/privacy.md). */
#include <solidata/privacy.h>

#include "privacy_int.h"

/* A cell's count as sol_privacy_suppress reads it: suppressed cells enter as count 1 against
 * k = 2 (so they are the primaries), published ones as count + 1 (so the cheapest complement is
 * still the smallest count), zeros as 0 (published, complements of last resort). */
static uint64_t entry_count(const sol_sdc_nested *t, size_t c)
{
    if (t->sdc[c] != SOL_CELL_PUBLISHED)
        return 1;
    return t->value[c] > 0 ? (uint64_t)(t->value[c] + 0.5) + 1 : 0;
}

sol_status sol_privacy_suppress_nested(sol_sdc_nested *t, size_t *added, sol_error *err)
{
    size_t maxlen = 0, total = 0;
    if (added)
        *added = 0;
    if (t->ngroups == 0)
        return SOL_OK;
    for (size_t g = 0; g < t->ngroups; g++) {
        if (t->start[g + 1] < t->start[g])
            return sol__err(err, SOL_EINVAL, "group %zu ends before it starts", g);
        if (t->start[g + 1] - t->start[g] > maxlen)
            maxlen = t->start[g + 1] - t->start[g];
    }
    for (size_t i = t->start[0]; i < t->start[t->ngroups]; i++)
        if (t->members[i] >= t->ncells)
            return sol__err(err, SOL_EINVAL, "member %zu names cell %zu of %zu", i, t->members[i],
                            t->ncells);
    uint64_t *n = sol__malloc(maxlen * sizeof *n + 1);
    unsigned char *fl = sol__malloc(maxlen + 1);
    sol_status rc = SOL_OK;
    if (n == NULL || fl == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto out;
    }
    for (int changed = 1, pass = 0; changed && pass < 1000; pass++) {
        changed = 0;
        for (size_t g = 0; g < t->ngroups; g++) {
            size_t len = t->start[g + 1] - t->start[g];
            const size_t *m = t->members + t->start[g];
            if (len < 2)
                continue;
            size_t nch = len - 1; /* the parts, then their total (the table's margin) */
            for (size_t j = 0; j < nch; j++)
                n[j] = entry_count(t, m[j + 1]);
            n[nch] = entry_count(t, m[0]);
            if ((rc = sol_privacy_suppress(nch, 0, n, 2, fl, NULL, NULL, err)) != SOL_OK)
                goto out;
            for (size_t j = 0; j < len; j++) {
                size_t c = m[j == nch ? 0 : j + 1];
                if (fl[j] == SOL_CELL_SECONDARY && t->sdc[c] == SOL_CELL_PUBLISHED) {
                    t->sdc[c] = SOL_CELL_SECONDARY;
                    changed = 1;
                    total++;
                }
            }
        }
    }
    if (added)
        *added = total;
out:
    sol__free(n);
    sol__free(fl);
    return rc;
}
