/* estimates.c - analysis results written back into the store: observations with SE and the
 * 'estimated' flag from a derived source, plus the run with its method card, in one transaction. */
#include <solidata/run_estimates.h>

#include <solidata/run.h>
#include <solidata/version.h>

#include "core/core.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct area_ids {
    sol_strmap *map;
    int failed;
} area_ids;

static int on_area(void *ud, const sol_area *a)
{
    area_ids *ai = ud;
    if (sol__strmap_put(ai->map, a->code, strlen(a->code), a->id) != SOL_OK) {
        ai->failed = 1;
        return 1;
    }
    return 0;
}

sol_status sol_run_store_estimates(sol_store *st, const sol_estimates_store *s,
                                   const sol_estimate *e, size_t n, int64_t *run_id, sol_error *err)
{
    sol_status rc;
    char label[16], freq, name[SOL_MAX_CODE + 64], connector[64], now[32];
    int64_t pindex, period_id, ind_id, source_id, prev_id = 0;
    int prev_ver = 0;
    char prev_sha[65];
    sol_obs_row *rows = NULL;
    area_ids ai = {0};
    if (s->indicator == NULL || *s->indicator == '\0' || strlen(s->indicator) > SOL_MAX_CODE)
        return sol__err(err, SOL_EINVAL, "an indicator code of 1 to %u bytes is needed",
                        SOL_MAX_CODE);
    if (sol_period_parse(s->period, strlen(s->period), label, &freq, &pindex) != SOL_OK)
        return sol__err(err, SOL_EPARSE, "'%s' is not a period (2023, 2023-Q2, 2023-05, ...)",
                        s->period);
    snprintf(name, sizeof name, "derived: %s %s", s->kind, s->indicator);
    snprintf(connector, sizeof connector, "derived:%s", s->kind);
    if ((ai.map = sol__strmap_new(1024)) == NULL ||
        (rows = sol__malloc((n ? n : 1) * sizeof *rows)) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = sol_store_begin(st, err)) != SOL_OK)
        goto out;
    if ((rc = sol_store_areas(st, 0, on_area, &ai, err)) != SOL_OK)
        goto rollback;
    if (ai.failed) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto rollback;
    }
    rc = sol_store_source_current(st, name, &prev_id, &prev_ver, prev_sha, err);
    if (rc == SOL_ENOTFOUND) {
        prev_id = 0;
        prev_ver = 0;
    } else if (rc != SOL_OK) {
        goto rollback;
    }
    sol__utc_now(now, sizeof now);
    sol_source src = {.name = name,
                      .version = prev_ver + 1,
                      .connector = connector,
                      .location = s->source_location,
                      .attribution = "derived by solidata from the source named in its run",
                      .sha256 = s->source_sha256,
                      .bytes = s->source_bytes,
                      .imported_at = now,
                      .tool_version = SOL_VERSION_STRING,
                      .options = s->spec_json};
    if ((rc = sol_store_source_add(st, &src, &source_id, err)) != SOL_OK)
        goto rollback;
    if (prev_id && (rc = sol_store_source_supersede(st, prev_id, err)) != SOL_OK)
        goto rollback;
    sol_indicator ind = {.code = s->indicator,
                         .label = s->label,
                         .unit = s->unit,
                         .polarity = s->polarity,
                         .dimension = NULL};
    if ((rc = sol_store_indicator_put(st, &ind, 1, &ind_id, err)) != SOL_OK ||
        (rc = sol_store_period_put(st, label, freq, pindex, &period_id, err)) != SOL_OK)
        goto rollback;
    for (size_t i = 0; i < n; i++) {
        int64_t aid;
        if (!sol__strmap_get(ai.map, e[i].area, strlen(e[i].area), &aid)) {
            rc = sol__err(err, SOL_EUNKNOWNAREA,
                          "area '%s' is not in the store; import the boundaries first "
                          "('solidata import areas') or drop --store-as",
                          e[i].area);
            goto rollback;
        }
        rows[i] = (sol_obs_row){
            ind_id,    aid,
            period_id, e[i].value,
            e[i].se,   SOL_FLAG_ESTIMATED | (e[i].low_reliability ? SOL_FLAG_LOW_RELIABILITY : 0)};
    }
    size_t bad;
    int64_t other;
    if ((rc = sol_store_obs_put_many(st, rows, n, source_id, &bad, &other, err)) != SOL_OK) {
        if (rc == SOL_EDUPLICATE)
            rc = sol__err(err, rc,
                          "indicator %s already has a value for area %s at %s from source %lld; "
                          "store the estimates under another code",
                          s->indicator, e[bad].area, label, (long long)other);
        goto rollback;
    }
    if ((rc = sol_store_source_finish(st, source_id, connector, s->source_sha256, s->rows_read,
                                      (int64_t)n, err)) != SOL_OK ||
        (rc = sol_run_record(st,
                             &(sol_run_card){.kind = s->kind,
                                             .spec_json = s->spec_json,
                                             .method_json = s->method_json,
                                             .choices_json = s->choices_json,
                                             .result_json = s->result_json},
                             run_id, err)) != SOL_OK ||
        (rc = sol_store_commit(st, err)) != SOL_OK)
        goto rollback;
    goto out;
rollback:
    sol_store_rollback(st);
out:
    sol__strmap_free(ai.map);
    sol__free(rows);
    return rc;
}
