/* privacy.c - the store side of src/privacy: the privacy-budget ledger (one row per release, the
 * check and the spend in one transaction), the hash-chained, append-only audit log, and the
 * storage of disclosure flags (the rules that set them are in src/privacy/disclosure.c). */
#include <solidata/store.h>
#include <solidata/withhold.h>

#include "store_int.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *sol__store_who(const char *who)
{
    if (who)
        return who;
    who = getenv("SOLIDATA_USER");
    if (who == NULL || *who == '\0')
        who = getenv("USER");
    return who;
}

static sol_status need_v4(sol_store *st, sol_error *err)
{
    if (st->version < 4)
        return sol__err_at(err, SOL_EVERSION, st->path, 0, 0,
                           "the store schema is version %d; privacy needs version 4 (open it with "
                           "'solidata init' to upgrade)",
                           st->version);
    return SOL_OK;
}

/* ---- audit log ------------------------------------------------------------------------------ */

static void hash_field(crypto_hash_sha256_state *h, const char *s)
{
    char len[32];
    int n = s ? snprintf(len, sizeof len, "%zu:", strlen(s)) : snprintf(len, sizeof len, "-:");
    crypto_hash_sha256_update(h, (const unsigned char *)len, (unsigned long long)n);
    if (s)
        crypto_hash_sha256_update(h, (const unsigned char *)s, strlen(s));
}

/* hash = SHA-256("solidata-audit-v1" | prev | id | at | who | action | detail), each field
 * length-prefixed, so no two different entries serialise alike. */
static void entry_hash(const char *prev, int64_t id, const char *at, const char *who,
                       const char *action, const char *detail, char hex[65])
{
    crypto_hash_sha256_state h;
    unsigned char d[32];
    char ids[32];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    crypto_hash_sha256_init(&h);
    hash_field(&h, "solidata-audit-v1");
    hash_field(&h, prev);
    hash_field(&h, ids);
    hash_field(&h, at);
    hash_field(&h, who);
    hash_field(&h, action);
    hash_field(&h, detail);
    crypto_hash_sha256_final(&h, d);
    sodium_bin2hex(hex, 65, d, sizeof d);
}

sol_status sol_audit_append(sol_store *st, const char *who, const char *action, const char *detail,
                            int64_t *id, sol_error *err)
{
    sol_status rc = need_v4(st, err);
    if (rc != SOL_OK)
        return rc;
    if (action == NULL || *action == '\0')
        return sol__err(err, SOL_EINVAL, "an audit entry needs an action");
    if (sodium_init() < 0)
        return sol__err(err, SOL_EIO, "libsodium failed to initialise");
    int own;
    if ((rc = sol_store_join(st, &own, err)) != SOL_OK)
        return rc;
    sol_dbstmt *s = NULL;
    char prev[65] = "", at[32], hex[65];
    int64_t last = 0;
    if (sol_db_prepare(st->db, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", 0, &s) !=
        SOL_DB_OK) {
        rc = sol__store_fail(st, err, "reading the audit log");
        goto out;
    }
    if (sol_db_step(s) == SOL_DB_ROW) {
        last = sol_db_column_int64(s, 0);
        const char *h = (const char *)sol_db_column_text(s, 1);
        snprintf(prev, sizeof prev, "%s", h ? h : "");
    }
    sol_db_finalize(s);
    s = NULL;
    sol__utc_now(at, sizeof at);
    entry_hash(prev, last + 1, at, who, action, detail, hex);
    if (sol_db_prepare(st->db,
                       "INSERT INTO audit (id, at, who, action, detail, hash) VALUES (?1, ?2, "
                       "?3, ?4, ?5, ?6)",
                       0, &s) != SOL_DB_OK) {
        rc = sol__store_fail(st, err, "appending to the audit log");
        goto out;
    }
    sol_db_bind_int64(s, 1, last + 1);
    sol__store_bind_text(s, 2, at);
    sol__store_bind_text(s, 3, who);
    sol__store_bind_text(s, 4, action);
    sol__store_bind_text(s, 5, detail);
    sol__store_bind_text(s, 6, hex);
    if (sol_db_step(s) != SOL_DB_DONE) {
        rc = sol__store_fail(st, err, "appending to the audit log");
        goto out;
    }
    if (id)
        *id = last + 1;
out:
    sol_db_finalize(s);
    return sol_store_leave(st, own, rc, err);
}

sol_status sol_audit_list(sol_store *st, sol_audit_entry_cb cb, void *ud, sol_error *err)
{
    sol_status rc = need_v4(st, err);
    if (rc != SOL_OK)
        return rc;
    sol_dbstmt *s = NULL;
    if (sol_db_prepare(st->db, "SELECT id, at, who, action, detail, hash FROM audit ORDER BY id", 0,
                       &s) != SOL_DB_OK)
        return sol__store_fail(st, err, "reading the audit log");
    int r;
    while ((r = sol_db_step(s)) == SOL_DB_ROW) {
        sol_audit_entry e = {
            .id = sol_db_column_int64(s, 0),
            .at = (const char *)sol_db_column_text(s, 1),
            .who = (const char *)sol_db_column_text(s, 2),
            .action = (const char *)sol_db_column_text(s, 3),
            .detail = (const char *)sol_db_column_text(s, 4),
            .hash = (const char *)sol_db_column_text(s, 5),
        };
        if (cb(ud, &e))
            break;
    }
    return sol__store_walk_end(st, s, r, "reading the audit log", err);
}

typedef struct verify_ctx {
    int64_t n, expect_id, legacy; /* entries up to `legacy` predate the chain (schema < 4) */
    char prev[65];
    sol_status rc;
    sol_error *err;
    const char *path;
} verify_ctx;

static int verify_one(void *ud, const sol_audit_entry *e)
{
    verify_ctx *v = ud;
    if (e->id <= v->legacy && e->hash == NULL)
        return 0;
    if (e->id != v->expect_id) {
        v->rc = sol__err_at(v->err, SOL_ESTORE, v->path, 0, 0,
                            e->id > v->expect_id
                                ? "audit log broken: entry %lld is missing (deleted); the next "
                                  "entry is %lld"
                                : "audit log broken: entry %lld expected, found %lld",
                            (long long)v->expect_id, (long long)e->id);
        return 1;
    }
    char hex[65];
    entry_hash(v->prev, e->id, e->at, e->who, e->action, e->detail, hex);
    if (e->hash == NULL || strcmp(hex, e->hash) != 0) {
        v->rc = sol__err_at(v->err, SOL_ESTORE, v->path, 0, 0,
                            "audit log broken at entry %lld: its hash does not match its content "
                            "and the hash of the entry before it (altered, reordered, or an "
                            "earlier entry removed)",
                            (long long)e->id);
        return 1;
    }
    memcpy(v->prev, e->hash, 65);
    v->n++;
    v->expect_id++;
    return 0;
}

sol_status sol_audit_verify(sol_store *st, const char *expect_head, int64_t *entries, char head[65],
                            sol_error *err)
{
    verify_ctx v = {.expect_id = 1, .rc = SOL_OK, .err = err, .path = st->path};
    sol_status rc = need_v4(st, err);
    if (rc != SOL_OK)
        return rc;
    sol_dbstmt *q = NULL;
    if (sol_db_prepare(st->db, "SELECT legacy_until FROM audit_chain", 0, &q) != SOL_DB_OK)
        return sol__store_fail(st, err, "reading the audit log");
    v.legacy = sol_db_step(q) == SOL_DB_ROW ? sol_db_column_int64(q, 0) : 0;
    sol_db_finalize(q);
    v.expect_id = v.legacy + 1;
    rc = sol_audit_list(st, verify_one, &v, err);
    if (rc != SOL_OK)
        return rc;
    if (v.rc != SOL_OK)
        return v.rc;
    if (expect_head && *expect_head) {
        /* the recorded head must still be in the chain (entries may have been added since) */
        sol_dbstmt *s = NULL;
        if (sol_db_prepare(st->db, "SELECT id FROM audit WHERE hash = ?1", 0, &s) != SOL_DB_OK)
            return sol__store_fail(st, err, "reading the audit log");
        sol__store_bind_text(s, 1, expect_head);
        int found = sol_db_step(s) == SOL_DB_ROW;
        sol_db_finalize(s);
        if (!found)
            return sol__err_at(err, SOL_ESTORE, st->path, 0, 0,
                               "audit log broken: the recorded head %.16s... is no longer in the "
                               "chain (entries removed from the end, or the log rewritten)",
                               expect_head);
    }
    if (entries)
        *entries = v.n;
    if (head)
        memcpy(head, v.prev, 65);
    return SOL_OK;
}

/* Serialise and release a JSON value (NULL in, NULL out). */
static char *json_dumps_new(json_t *j)
{
    char *s =
        j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12)) : NULL;
    json_decref(j);
    return s;
}

/* ---- privacy-budget ledger ---------------------------------------------------------------- */

static sol_status budget_read(sol_store *st, const char *dataset, sol_budget *b, int *found,
                              sol_error *err)
{
    sol_dbstmt *s = NULL;
    memset(b, 0, sizeof *b);
    *found = 0;
    if ((s = sol__store_prepare(
             st,
             "SELECT d.eps_total_nano, d.delta_total, d.min_cell, "
             "(SELECT coalesce(sum(eps_nano), 0) FROM privacy_release r WHERE "
             "r.dataset = d.name), (SELECT coalesce(sum(delta), 0) FROM "
             "privacy_release r WHERE r.dataset = d.name), (SELECT count(*) FROM "
             "privacy_release r WHERE r.dataset = d.name) FROM privacy_dataset d "
             "WHERE d.name = ?1",
             "reading the privacy budget", err)) == NULL)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, dataset);
    int r = sol_db_step(s);
    if (r == SOL_DB_ROW) {
        *found = 1;
        b->eps_total_nano = sol_db_column_int64(s, 0);
        b->delta_total = sol_db_column_double(s, 1);
        b->min_cell = (uint64_t)sol_db_column_int64(s, 2);
        b->eps_spent_nano = sol_db_column_int64(s, 3);
        b->delta_spent = sol_db_column_double(s, 4);
        b->releases = sol_db_column_int64(s, 5);
    }
    sol_db_finalize(s);
    if (r != SOL_DB_ROW && r != SOL_DB_DONE)
        return sol__store_fail(st, err, "reading the privacy budget");
    return SOL_OK;
}

static sol_status budget_write(sol_store *st, const char *dataset, int64_t eps_total_nano,
                               double delta_total, uint64_t min_cell, sol_error *err)
{
    sol_dbstmt *s = NULL;
    char now[32];
    sol__utc_now(now, sizeof now);
    if ((s = sol__store_prepare(
             st,
             "INSERT INTO privacy_dataset (name, eps_total_nano, delta_total, "
             "min_cell, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON "
             "CONFLICT (name) DO UPDATE SET eps_total_nano = excluded.eps_total_nano, "
             "delta_total = excluded.delta_total, min_cell = excluded.min_cell, "
             "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
             "writing the privacy budget", err)) == NULL)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, dataset);
    sol_db_bind_int64(s, 2, eps_total_nano);
    sol_db_bind_double(s, 3, delta_total);
    sol_db_bind_int64(s, 4, (int64_t)min_cell);
    sol__store_bind_text(s, 5, now);
    sol__store_bind_text(s, 6, sol__store_who(NULL));
    return sol__store_step_done(st, s, "writing the privacy budget", err);
}

sol_status sol_store_budget_put(sol_store *st, const char *dataset, int64_t eps_total_nano,
                                double delta_total, uint64_t min_cell, sol_error *err)
{
    sol_status rc = need_v4(st, err);
    if (rc != SOL_OK)
        return rc;
    if (dataset == NULL || *dataset == '\0' || eps_total_nano < 0 || !(delta_total >= 0) ||
        !(delta_total < 1) || min_cell < 1 || min_cell > INT64_MAX)
        return sol__err(err, SOL_EINVAL,
                        "a budget needs a dataset name, epsilon >= 0, 0 <= delta "
                        "< 1 and a minimum cell size >= 1");
    int own;
    if ((rc = sol_store_join(st, &own, err)) != SOL_OK)
        return rc;
    char *detail = json_dumps_new(json_pack(
        "{s:s,s:f,s:f,s:I}", "dataset", dataset, "epsilon_total", (double)eps_total_nano / 1e9,
        "delta_total", delta_total, "min_cell", (json_int_t)min_cell));
    if (detail == NULL)
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
    if (rc == SOL_OK &&
        (rc = budget_write(st, dataset, eps_total_nano, delta_total, min_cell, err)) == SOL_OK)
        rc = sol_audit_append(st, sol__store_who(NULL), "privacy.budget.set", detail, NULL, err);
    free(detail);
    return sol_store_leave(st, own, rc, err);
}

sol_status sol_budget_get(sol_store *st, const char *dataset, sol_budget *out, sol_error *err)
{
    sol_status rc = need_v4(st, err);
    if (rc != SOL_OK)
        return rc;
    int found;
    if ((rc = budget_read(st, dataset, out, &found, err)) != SOL_OK)
        return rc;
    if (!found)
        return sol__err(err, SOL_ENOTFOUND, "dataset '%s' has no privacy budget yet", dataset);
    return SOL_OK;
}

sol_status sol_budget_spend(sol_store *st, const char *dataset, int64_t eps_nano, double delta,
                            uint64_t min_cell, const char *mechanism, const char *note,
                            int64_t *release_id, sol_error *err)
{
    sol_status rc = need_v4(st, err);
    if (rc != SOL_OK)
        return rc;
    if (dataset == NULL || *dataset == '\0' || eps_nano <= 0 || !(delta >= 0) || !(delta < 1))
        return sol__err(err, SOL_EINVAL,
                        "a release needs a dataset, epsilon > 0 and 0 <= delta < 1");
    int own;
    if ((rc = sol_store_join(st, &own, err)) != SOL_OK)
        return rc;
    sol_dbstmt *s = NULL;
    sol_budget b;
    int found;
    if ((rc = budget_read(st, dataset, &b, &found, err)) != SOL_OK)
        goto out;
    if (!found) {
        if ((rc = budget_write(
                 st, dataset, SOL_PRIVACY_DEFAULT_EPSILON_NANO, SOL_PRIVACY_DEFAULT_DELTA,
                 min_cell ? min_cell : SOL_PRIVACY_DEFAULT_MIN_CELL, err)) != SOL_OK ||
            (rc = budget_read(st, dataset, &b, &found, err)) != SOL_OK)
            goto out;
    }
    /* epsilons are exact integers (nano-units), so ten releases of 0.1 spend exactly 1 */
    if (eps_nano > b.eps_total_nano - b.eps_spent_nano ||
        delta > b.delta_total - b.delta_spent + 1e-15 * b.delta_total) {
        rc = sol__err(
            err, SOL_EDENIED,
            "privacy budget of dataset '%s' exhausted: %lld.%09lld of epsilon %lld.%09lld "
            "spent in %lld release(s), this release asks %lld.%09lld (delta %.3g of "
            "%.3g spent, asks %.3g); nothing released",
            dataset, (long long)(b.eps_spent_nano / 1000000000),
            (long long)(b.eps_spent_nano % 1000000000), (long long)(b.eps_total_nano / 1000000000),
            (long long)(b.eps_total_nano % 1000000000), (long long)b.releases,
            (long long)(eps_nano / 1000000000), (long long)(eps_nano % 1000000000), b.delta_spent,
            b.delta_total, delta);
        goto out;
    }
    char now[32];
    sol__utc_now(now, sizeof now);
    if (sol_db_prepare(st->db,
                       "INSERT INTO privacy_release (dataset, eps_nano, delta, mechanism, note, "
                       "at, who) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                       0, &s) != SOL_DB_OK) {
        rc = sol__store_fail(st, err, "recording a release");
        goto out;
    }
    sol__store_bind_text(s, 1, dataset);
    sol_db_bind_int64(s, 2, eps_nano);
    sol_db_bind_double(s, 3, delta);
    sol__store_bind_text(s, 4, mechanism ? mechanism : "unspecified");
    sol__store_bind_text(s, 5, note);
    sol__store_bind_text(s, 6, now);
    sol__store_bind_text(s, 7, sol__store_who(NULL));
    if (sol_db_step(s) != SOL_DB_DONE) {
        rc = sol__store_fail(st, err, "recording a release");
        goto out;
    }
    int64_t rid = sol_db_last_insert_id(st->db);
    char *detail =
        json_dumps_new(json_pack("{s:I,s:s,s:f,s:f,s:s}", "release", (json_int_t)rid, "dataset",
                                 dataset, "epsilon", (double)eps_nano / 1e9, "delta", delta,
                                 "mechanism", mechanism ? mechanism : "unspecified"));
    if (detail == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto out;
    }
    rc = sol_audit_append(st, sol__store_who(NULL), "privacy.release", detail, NULL, err);
    free(detail);
    if (rc != SOL_OK)
        goto out;
    if (release_id)
        *release_id = rid;
out:
    sol_db_finalize(s);
    return sol_store_leave(st, own, rc, err);
}

sol_status sol_budget_link_run(sol_store *st, int64_t release_id, int64_t run_id, sol_error *err)
{
    sol_status rc = need_v4(st, err);
    if (rc != SOL_OK)
        return rc;
    sol_dbstmt *s = NULL;
    if (sol_db_prepare(st->db, "UPDATE privacy_release SET run_id = ?2 WHERE id = ?1", 0, &s) !=
        SOL_DB_OK)
        return sol__store_fail(st, err, "linking a release to its run");
    sol_db_bind_int64(s, 1, release_id);
    sol_db_bind_int64(s, 2, run_id);
    return sol__store_step_done(st, s, "linking a release to its run", err);
}

/* ---- disclosure control of the store's own observations -------------------------------------- */

/* Run one statement with optional text / integer parameters. */
static sol_status exec1(sol_store *st, const char *sql, const char *t1, const char *t2,
                        sol_error *err, const char *what)
{
    sol_dbstmt *s = NULL;
    if (sol_db_prepare(st->db, sql, 0, &s) != SOL_DB_OK)
        return sol__store_fail(st, err, what);
    if (t1)
        sol__store_bind_text(s, 1, t1);
    if (t2)
        sol__store_bind_text(s, 2, t2);
    int r = sol_db_step(s);
    sol_db_finalize(s);
    return r == SOL_DB_DONE ? SOL_OK : sol__store_fail(st, err, what);
}

static sol_status need_v5(sol_store *st, sol_error *err)
{
    if (st->version < 5)
        return sol__err_at(err, SOL_EVERSION, st->path, 0, 0,
                           "the store schema is version %d; disclosure control needs version 5 "
                           "(open it with 'solidata init' to upgrade)",
                           st->version);
    return SOL_OK;
}

/* The rules (which cells, in which order, until when) are src/privacy's; the store only reads
 * the count tables and writes the flags it is given. */

static int64_t changes_of(sol_store *st)
{
    return (int64_t)sol_db_changes(st->db);
}

sol_status sol_store_sdc_primary(sol_store *st, uint64_t default_k, int64_t *n, sol_error *err)
{
    sol_status rc = need_v5(st, err);
    char k[32];
    if (rc != SOL_OK)
        return rc;
    snprintf(k, sizeof k, "%llu", (unsigned long long)default_k);
    /* PostgreSQL plans the updates below from the table's statistics; after a bulk import in this
     * transaction they are missing or out of date, and a plan made for an empty table checks
     * every row against every link */
    if (st->bulk && sol_db_backend(st->db) == SOL_DB_POSTGRESQL &&
        (rc = exec1(st, "ANALYZE observation", NULL, NULL, err, "updating statistics")) != SOL_OK)
        return rc;
    /* a count below its dataset's k (the dataset is the source's name); the organisation's own
     * records (schema 9) have at least SOL_WITHHOLD_OWN_RECORDS_MIN_CELL when no k is set */
    char own_k[32];
    snprintf(own_k, sizeof own_k, "%llu",
             (unsigned long long)(default_k > SOL_WITHHOLD_OWN_RECORDS_MIN_CELL
                                      ? default_k
                                      : SOL_WITHHOLD_OWN_RECORDS_MIN_CELL));
    if ((rc = exec1(st, "UPDATE observation SET sdc = 0 WHERE sdc <> 0", NULL, NULL, err,
                    "clearing disclosure flags")) != SOL_OK ||
        (rc = exec1(st,
                    st->version >= 9
                        ? "UPDATE observation SET sdc = 1 WHERE indicator_id IN (SELECT id FROM "
                          "indicator WHERE kind = 'count') AND value > 0 AND value < "
                          "coalesce((SELECT d.min_cell FROM source s JOIN privacy_dataset d ON "
                          "d.name = s.name WHERE s.id = observation.source_id), (SELECT "
                          "CAST(?2 AS INTEGER) FROM source s WHERE s.id = observation.source_id "
                          "AND s.own_records = 1), CAST(?1 AS INTEGER))"
                        : "UPDATE observation SET sdc = 1 WHERE indicator_id IN (SELECT id FROM "
                          "indicator WHERE kind = 'count') AND value > 0 AND value < "
                          "coalesce((SELECT d.min_cell FROM source s JOIN privacy_dataset d ON "
                          "d.name = s.name WHERE s.id = observation.source_id), "
                          "CAST(?1 AS INTEGER))",
                    k, st->version >= 9 ? own_k : NULL, err, "recording primary suppression")) !=
            SOL_OK)
        return rc;
    if (n)
        *n = changes_of(st);
    return SOL_OK;
}

sol_status sol_store_sdc_tables(sol_store *st, sol_sdc_row_cb cb, void *ud, sol_error *err)
{
    sol_status rc = need_v5(st, err);
    sol_dbstmt *s = NULL;
    if (rc != SOL_OK)
        return rc;
    if ((s = sol__store_prepare(
             st,
             "SELECT o.indicator_id, o.period_id, pa.id, po.value, po.sdc, o.area_id, o.value, "
             "o.sdc "
             "FROM observation o JOIN indicator i ON i.id = o.indicator_id AND i.kind = 'count' "
             "JOIN area a ON a.id = o.area_id JOIN area pa ON pa.code = a.parent_code "
             "JOIN observation po ON po.indicator_id = o.indicator_id AND po.period_id = "
             "o.period_id AND po.area_id = pa.id "
             "ORDER BY o.indicator_id, o.period_id, pa.id, o.area_id",
             "reading tables for secondary suppression", err)) == NULL)
        return sol__store_status(st);
    int r;
    while ((r = sol_db_step(s)) == SOL_DB_ROW) {
        sol_sdc_row row = {
            .indicator_id = sol_db_column_int64(s, 0),
            .period_id = sol_db_column_int64(s, 1),
            .parent_id = sol_db_column_int64(s, 2),
            .parent_value = sol_db_column_double(s, 3),
            .parent_sdc = sol_db_column_int(s, 4),
            .area_id = sol_db_column_int64(s, 5),
            .value = sol_db_column_double(s, 6),
            .sdc = sol_db_column_int(s, 7),
        };
        if (cb(ud, &row))
            break;
    }
    sol_db_finalize(s);
    return r == SOL_DB_ROW || r == SOL_DB_DONE
               ? SOL_OK
               : sol__store_fail(st, err, "reading tables for secondary suppression");
}

sol_status sol_store_sdc_mark(sol_store *st, const sol_obs_key *keys, size_t n, int sdc,
                              sol_error *err)
{
    sol_status rc = need_v5(st, err);
    sol_dbstmt *s = NULL;
    if (rc != SOL_OK || n == 0)
        return rc;
    if (sdc < 0 || sdc > 2)
        return sol__err(err, SOL_EINVAL, "a disclosure flag is 0, 1 or 2");
    if ((s = sol__store_prepare(st,
                                "UPDATE observation SET sdc = ?4 WHERE indicator_id = ?1 AND "
                                "period_id = ?2 AND area_id = ?3",
                                "recording secondary suppression", err)) == NULL)
        return sol__store_status(st);
    for (size_t i = 0; i < n && rc == SOL_OK; i++) {
        sol_db_bind_int64(s, 1, keys[i].indicator_id);
        sol_db_bind_int64(s, 2, keys[i].period_id);
        sol_db_bind_int64(s, 3, keys[i].area_id);
        sol_db_bind_int(s, 4, sdc);
        if (sol_db_step(s) != SOL_DB_DONE)
            rc = sol__store_fail(st, err, "recording secondary suppression");
        sol_db_reset(s);
    }
    sol_db_finalize(s);
    return rc;
}

sol_status sol_store_sdc_linked(sol_store *st, int64_t *n, sol_error *err)
{
    sol_status rc = need_v5(st, err);
    if (rc != SOL_OK)
        return rc;
    if (n)
        *n = 0;
    if (st->version < 6) /* an older store opened at its own version has no links */
        return SOL_OK;
    /* PostgreSQL would test the correlated EXISTS on every observation: there, the set of the
     * cells to withhold is made first (few: the suppressed components' cells) and joined */
    if ((rc = exec1(st,
                    sol_db_backend(st->db) == SOL_DB_POSTGRESQL
                        ? "UPDATE observation SET sdc = 2 WHERE sdc = 0 AND (indicator_id, "
                          "area_id, period_id) IN (SELECT l.indicator_id, o2.area_id, "
                          "o2.period_id FROM indicator_link l JOIN indicator c ON c.code = "
                          "l.component JOIN observation o2 ON o2.indicator_id = c.id WHERE "
                          "o2.sdc <> 0)"
                        : "UPDATE observation SET sdc = 2 WHERE sdc = 0 AND indicator_id IN "
                          "(SELECT indicator_id FROM indicator_link) AND EXISTS (SELECT 1 FROM "
                          "indicator_link l JOIN indicator c ON c.code = l.component JOIN "
                          "observation o2 ON o2.indicator_id = c.id AND o2.area_id = "
                          "observation.area_id AND o2.period_id = observation.period_id WHERE "
                          "l.indicator_id = observation.indicator_id AND o2.sdc <> 0)",
                    NULL, NULL, err, "recording linked suppression")) != SOL_OK)
        return rc;
    if (n)
        *n = changes_of(st);
    return SOL_OK;
}

sol_status sol_disclosure_link(sol_store *st, const char *derived, const char *const *numerator,
                               size_t n_numerator, const char *denominator, sol_error *err)
{
    if (st->version < 6)
        return sol__err_at(err, SOL_EVERSION, st->path, 0, 0,
                           "the store schema is version %d; relations between indicators need "
                           "version 6 (open it with 'solidata init' to upgrade)",
                           st->version);
    if (derived == NULL || *derived == '\0')
        return sol__err(err, SOL_EINVAL, "a relation needs the derived indicator's code");
    if (!sol_store_has_indicator(st, derived))
        return sol__err(err, SOL_ENOTFOUND, "no indicator '%s' in the store", derived);
    /* the components: the numerator's, then the denominator when there is one */
    size_t nc = n_numerator + (denominator != NULL);
#define COMPONENT(i) ((i) < n_numerator ? numerator[i] : denominator)
    for (size_t i = 0; i < nc; i++) {
        const char *c = COMPONENT(i);
        if (c == NULL || *c == '\0')
            return sol__err(err, SOL_EINVAL, "'%s': an empty component code", derived);
        if (strcmp(c, derived) == 0)
            return sol__err(err, SOL_EINVAL,
                            "'%s' cannot be computed from itself; name the indicators it is "
                            "computed from",
                            derived);
    }
    int own;
    sol_status rc = sol_store_join(st, &own, err);
    if (rc != SOL_OK)
        return rc;
    sol_dbstmt *s = NULL;
    if (sol_db_prepare(st->db,
                       "DELETE FROM indicator_link WHERE indicator_id = (SELECT id FROM "
                       "indicator WHERE code = ?1)",
                       0, &s) != SOL_DB_OK) {
        rc = sol__store_fail(st, err, "recording a relation between indicators");
        return sol_store_leave(st, own, rc, err);
    }
    sol__store_bind_text(s, 1, derived);
    if (sol_db_step(s) != SOL_DB_DONE)
        rc = sol__store_fail(st, err, "recording a relation between indicators");
    sol_db_finalize(s);
    s = NULL;
    if (rc == SOL_OK && sol_db_prepare(st->db,
                                       "INSERT INTO indicator_link (indicator_id, "
                                       "component, role) SELECT id, ?2, ?3 FROM indicator "
                                       "WHERE code = ?1 ON CONFLICT DO NOTHING",
                                       0, &s) != SOL_DB_OK)
        rc = sol__store_fail(st, err, "recording a relation between indicators");
    for (size_t i = 0; rc == SOL_OK && i < nc; i++) {
        sol__store_bind_text(s, 1, derived);
        sol__store_bind_text(s, 2, COMPONENT(i));
        sol__store_bind_text(s, 3, i < n_numerator ? "numerator" : "denominator");
        if (sol_db_step(s) != SOL_DB_DONE)
            rc = sol__store_fail(st, err, "recording a relation between indicators");
        sol_db_reset(s);
    }
#undef COMPONENT
    sol_db_finalize(s);
    return sol_store_leave(st, own, rc, err);
}

sol_status sol_disclosure_unknown_component(sol_store *st, char *derived, size_t dcap,
                                            char *component, size_t ccap, int *found,
                                            sol_error *err)
{
    *found = 0;
    if (st->version < 6)
        return SOL_OK;
    sol_dbstmt *s = NULL;
    if ((s = sol__store_prepare(
             st,
             "SELECT i.code, l.component FROM indicator_link l JOIN indicator i ON "
             "i.id = l.indicator_id WHERE NOT EXISTS (SELECT 1 FROM indicator c "
             "WHERE c.code = l.component) ORDER BY i.code, l.component LIMIT 1",
             "checking relations between indicators", err)) == NULL)
        return sol__store_status(st);
    int r = sol_db_step(s);
    if (r == SOL_DB_ROW) {
        *found = 1;
        snprintf(derived, dcap, "%s", (const char *)sol_db_column_text(s, 0));
        snprintf(component, ccap, "%s", (const char *)sol_db_column_text(s, 1));
    }
    sol_db_finalize(s);
    return r == SOL_DB_ROW || r == SOL_DB_DONE
               ? SOL_OK
               : sol__store_fail(st, err, "checking relations between indicators");
}

sol_status sol_disclosure_count_indicator(sol_store *st, const char *code, int is_count,
                                          sol_error *err)
{
    sol_status rc = need_v5(st, err);
    if (rc != SOL_OK)
        return rc;
    if (!sol_store_has_indicator(st, code))
        return sol__err(err, SOL_ENOTFOUND, "no indicator '%s' in the store", code);
    return exec1(st,
                 is_count ? "UPDATE indicator SET kind = 'count' WHERE code = ?1"
                          : "UPDATE indicator SET kind = NULL WHERE code = ?1",
                 code, NULL, err, "declaring a count indicator");
}

sol_status sol_disclosure_min_cell(sol_store *st, const char *dataset, uint64_t min_cell,
                                   sol_error *err)
{
    sol_status rc = need_v5(st, err);
    if (rc != SOL_OK)
        return rc;
    if (dataset == NULL || *dataset == '\0' || min_cell < 1 || min_cell > INT64_MAX)
        return sol__err(err, SOL_EINVAL, "a minimum cell size needs a dataset name and k >= 1");
    int own;
    if ((rc = sol_store_join(st, &own, err)) != SOL_OK)
        return rc;
    sol_budget b;
    int found;
    if ((rc = budget_read(st, dataset, &b, &found, err)) != SOL_OK)
        return sol_store_leave(st, own, rc, err);
    if (found && b.min_cell == min_cell)
        return sol_store_leave(st, own, SOL_OK, err);
    char *detail = json_dumps_new(
        json_pack("{s:s,s:I}", "dataset", dataset, "min_cell", (json_int_t)min_cell));
    if (detail == NULL)
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
    if (rc == SOL_OK)
        rc = budget_write(st, dataset, found ? b.eps_total_nano : SOL_PRIVACY_DEFAULT_EPSILON_NANO,
                          found ? b.delta_total : SOL_PRIVACY_DEFAULT_DELTA, min_cell, err);
    if (rc == SOL_OK)
        rc = sol_audit_append(st, sol__store_who(NULL), "privacy.min_cell.set", detail, NULL, err);
    free(detail);
    return sol_store_leave(st, own, rc, err);
}
