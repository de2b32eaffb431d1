/* campaign.c - the SQL of campaigns and their append-only ledgers: campaign rows, ledger entries
 * and signatures (the schema's triggers refuse any UPDATE or DELETE of them), settings, and the
 * facts a campaign page shows about its evidence. Each change and its audit row: one transaction.
 */
#include <solidata/store_campaign.h>

#include "store_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sol_status need_v11(sol_store *st, sol_error *err)
{
    if (st->version < 11)
        return sol__err_at(err, SOL_EVERSION, st->path, 0, 0,
                           "the store schema is version %d; campaigns need version 11 (run "
                           "'solidata init' to upgrade)",
                           st->version);
    return SOL_OK;
}

static void copy_col(sol_dbstmt *s, int i, char *buf, size_t n)
{
    const char *t = sol_db_column_text(s, i);
    snprintf(buf, n, "%s", t ? t : "");
}

/* Audit row in the open transaction: detail {"campaign": name, ...extra} */
static sol_status audit(sol_store *st, const char *who, const char *action, const char *name,
                        const char *k, const char *v, sol_error *err)
{
    json_t *d = json_object();
    json_object_set_new(d, "campaign", json_string(name));
    if (k && v)
        json_object_set_new(d, k, json_string(v));
    char *s = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(d);
    if (s == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory writing the audit log");
    sol_status rc = sol_audit_append(st, sol__store_who(who), action, s, NULL, err);
    free(s);
    return rc;
}

#define CAMPAIGN_COLS                                                                              \
    "c.id, c.name, c.kind, c.objective, c.evidence, a.name, a.published, c.budget_cents,"          \
    " c.currency, c.starts, c.ends, c.achieved, c.published, c.published_at, c.created_at,"        \
    " c.created_by, c.lang, c.running_note, c.review_by, c.review_date"                            \
    " FROM campaign c LEFT JOIN audience a ON a.id = c.audience_id"

static void read_row(sol_dbstmt *s, sol_campaign *c)
{
    memset(c, 0, sizeof *c);
    c->id = sol_db_column_int64(s, 0);
    copy_col(s, 1, c->name, sizeof c->name);
    copy_col(s, 2, c->kind, sizeof c->kind);
    copy_col(s, 3, c->objective, sizeof c->objective);
    copy_col(s, 4, c->evidence, sizeof c->evidence);
    copy_col(s, 5, c->audience, sizeof c->audience);
    c->audience_published = sol_db_column_int(s, 6);
    c->budget_cents = sol_db_column_type(s, 7) == SOL_DB_NULL ? -1 : sol_db_column_int64(s, 7);
    copy_col(s, 8, c->currency, sizeof c->currency);
    copy_col(s, 9, c->starts, sizeof c->starts);
    copy_col(s, 10, c->ends, sizeof c->ends);
    copy_col(s, 11, c->achieved, sizeof c->achieved);
    c->published = sol_db_column_int(s, 12);
    copy_col(s, 13, c->published_at, sizeof c->published_at);
    copy_col(s, 14, c->created_at, sizeof c->created_at);
    copy_col(s, 15, c->created_by, sizeof c->created_by);
    copy_col(s, 16, c->lang, sizeof c->lang);
    copy_col(s, 17, c->running_note, sizeof c->running_note);
    copy_col(s, 18, c->review_by, sizeof c->review_by);
    copy_col(s, 19, c->review_date, sizeof c->review_date);
}

sol_status sol_store_campaign_add(sol_store *st, const sol_campaign *c, int64_t audience_id,
                                  const char *who, int64_t *id, sol_error *err)
{
    sol_status rc = need_v11(st, err);
    int own = 0;
    if (rc != SOL_OK || (rc = sol_store_join(st, &own, err)) != SOL_OK)
        return rc;
    sol_dbstmt *s = sol__store_prepare(
        st,
        "INSERT INTO campaign (name, kind, objective, evidence, audience_id, budget_cents,"
        " currency, starts, ends, published, created_at, created_by, lang)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10, ?11, ?12)",
        "adding a campaign", err);
    if (s == NULL) {
        rc = SOL_ESTORE;
        goto done;
    }
    sol__store_bind_text(s, 1, c->name);
    sol__store_bind_text(s, 2, c->kind);
    sol__store_bind_text(s, 3, c->objective);
    sol__store_bind_text(s, 4, c->evidence[0] ? c->evidence : NULL);
    if (audience_id > 0)
        sol_db_bind_int64(s, 5, audience_id);
    if (c->budget_cents >= 0)
        sol_db_bind_int64(s, 6, c->budget_cents);
    sol__store_bind_text(s, 7, c->currency);
    sol__store_bind_text(s, 8, c->starts[0] ? c->starts : NULL);
    sol__store_bind_text(s, 9, c->ends[0] ? c->ends : NULL);
    sol__store_bind_text(s, 10, c->created_at);
    sol__store_bind_text(s, 11, sol__store_who(who));
    sol__store_bind_text(s, 12, c->lang[0] ? c->lang : NULL);
    int r = sol_db_step(s);
    if ((r & 0xff) == SOL_DB_CONSTRAINT) {
        sol_db_finalize(s);
        rc = sol__err(err, SOL_EDUPLICATE, "a campaign called '%s' already exists", c->name);
        goto done;
    }
    if (r != SOL_DB_DONE) {
        rc = sol__store_fail(st, err, "adding a campaign");
        sol_db_finalize(s);
        goto done;
    }
    sol_db_finalize(s);
    if (id)
        *id = sol_db_last_insert_id(st->db);
    rc = audit(st, who, "campaign.add", c->name, "kind", c->kind, err);
done:
    return sol_store_leave(st, own, rc, err);
}

sol_status sol_store_campaign_get(sol_store *st, const char *name, sol_campaign *c, sol_error *err)
{
    sol_status rc = need_v11(st, err);
    if (rc != SOL_OK)
        return rc;
    sol_dbstmt *s = sol__store_prepare(st, "SELECT " CAMPAIGN_COLS " WHERE c.name = ?1",
                                       "reading a campaign", err);
    if (s == NULL)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, name);
    int r = sol_db_step(s);
    if (r == SOL_DB_ROW) {
        read_row(s, c);
        sol_db_finalize(s);
        return SOL_OK;
    }
    if (r != SOL_DB_DONE) {
        rc = sol__store_fail(st, err, "reading a campaign");
        sol_db_finalize(s);
        return rc;
    }
    sol_db_finalize(s);
    /* name what exists */
    char list[600] = "";
    size_t len = 0;
    if ((s = sol__store_prepare(st, "SELECT name FROM campaign ORDER BY name LIMIT 10",
                                "reading campaigns", err)) == NULL)
        return sol__store_status(st);
    while (sol_db_step(s) == SOL_DB_ROW && len < sizeof list - 140)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%.128s", len ? ", " : "",
                                (const char *)sol_db_column_text(s, 0));
    sol_db_finalize(s);
    if (len == 0)
        return sol__err(err, SOL_ENOTFOUND,
                        "no campaign '%s': the store has none yet ('solidata campaign add')", name);
    return sol__err(err, SOL_ENOTFOUND, "no campaign '%s'; campaigns: %s", name, list);
}

sol_status sol_store_campaigns(sol_store *st, int drafts, sol_campaign_cb cb, void *ud,
                               sol_error *err)
{
    sol_status rc = need_v11(st, err);
    if (rc != SOL_OK)
        return rc;
    sol_dbstmt *s = sol__store_prepare(
        st, "SELECT " CAMPAIGN_COLS " WHERE c.published = 1 OR ?1 ORDER BY c.name",
        "reading campaigns", err);
    if (s == NULL)
        return sol__store_status(st);
    sol_db_bind_int(s, 1, drafts ? 1 : 0);
    sol_campaign *c = sol__malloc(sizeof *c);
    if (c == NULL) {
        sol_db_finalize(s);
        return sol__err(err, SOL_ENOMEM, "out of memory reading campaigns");
    }
    int r;
    while ((r = sol_db_step(s)) == SOL_DB_ROW) {
        read_row(s, c);
        if (cb(ud, c))
            break;
    }
    sol__free(c);
    return sol__store_walk_end(st, s, r, "reading campaigns", err);
}

sol_status sol_store_campaign_set(sol_store *st, const char *name, sol_campaign_field f,
                                  const char *value, const char *value2, const char *who,
                                  sol_error *err)
{
    static const char *const SQL[] = {
        [SOL_CAMPAIGN_PUBLISHED] =
            "UPDATE campaign SET published = ?2, published_at ="
            " coalesce(published_at, CASE WHEN CAST(?2 AS BIGINT) = 1 THEN ?3 END)"
            " WHERE name = ?1",
        [SOL_CAMPAIGN_ACHIEVED] = "UPDATE campaign SET achieved = ?2 WHERE name = ?1",
        [SOL_CAMPAIGN_RUNNING_NOTE] = "UPDATE campaign SET running_note = ?2 WHERE name = ?1",
        [SOL_CAMPAIGN_REVIEW] = "UPDATE campaign SET review_by = ?2, review_date = ?3"
                                " WHERE name = ?1",
    };
    static const char *const ACTION[] = {
        [SOL_CAMPAIGN_PUBLISHED] = "campaign.publish",
        [SOL_CAMPAIGN_ACHIEVED] = "campaign.achieved",
        [SOL_CAMPAIGN_RUNNING_NOTE] = "campaign.running_note",
        [SOL_CAMPAIGN_REVIEW] = "campaign.review",
    };
    sol_status rc = need_v11(st, err);
    int own = 0;
    if (rc != SOL_OK || (rc = sol_store_join(st, &own, err)) != SOL_OK)
        return rc;
    sol_dbstmt *s = sol__store_prepare(st, SQL[f], "changing a campaign", err);
    if (s == NULL) {
        rc = SOL_ESTORE;
        goto done;
    }
    sol__store_bind_text(s, 1, name);
    if (f == SOL_CAMPAIGN_PUBLISHED) {
        char now[32];
        sol__utc_now(now, sizeof now);
        sol_db_bind_int(s, 2, strcmp(value, "1") == 0 ? 1 : 0);
        sol__store_bind_text(s, 3, now);
    } else {
        sol__store_bind_text(s, 2, value);
        if (f == SOL_CAMPAIGN_REVIEW)
            sol__store_bind_text(s, 3, value2);
    }
    if ((rc = sol__store_step_done(st, s, "changing a campaign", err)) != SOL_OK)
        goto done;
    if (sol_db_changes(st->db) == 0) {
        rc = sol__err(err, SOL_ENOTFOUND, "no campaign '%s'", name);
        goto done;
    }
    rc = audit(st, who, ACTION[f], name, "value", value, err);
done:
    return sol_store_leave(st, own, rc, err);
}

sol_status sol_store_campaign_audience(sol_store *st, const char *name, int64_t *id, int *published,
                                       sol_error *err)
{
    sol_status rc = need_v11(st, err);
    *id = 0;
    if (rc != SOL_OK)
        return rc;
    sol_dbstmt *s = sol__store_prepare(st, "SELECT id, published FROM audience WHERE name = ?1",
                                       "reading audiences", err);
    if (s == NULL)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, name);
    int r = sol_db_step(s);
    if (r == SOL_DB_ROW) {
        *id = sol_db_column_int64(s, 0);
        *published = sol_db_column_int(s, 1);
    }
    rc = sol__store_walk_end(st, s, r, "reading audiences", err);
    if (rc == SOL_OK && *id == 0)
        return sol__err(err, SOL_ENOTFOUND,
                        "no audience '%s' in the store ('solidata audience add' defines one)",
                        name);
    return rc;
}

sol_status sol_store_campaign_audience_areas(sol_store *st, const char *audience, char ***codes,
                                             char ***names, size_t *n, sol_error *err)
{
    *codes = *names = NULL;
    *n = 0;
    sol_dbstmt *s = sol__store_prepare(st, "SELECT result FROM audience WHERE name = ?1",
                                       "reading audiences", err);
    if (s == NULL)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, audience);
    int r = sol_db_step(s);
    json_t *root = NULL;
    if (r == SOL_DB_ROW && sol_db_column_text(s, 0))
        root = json_loads((const char *)sol_db_column_text(s, 0), 0, NULL);
    sol_status rc = sol__store_walk_end(st, s, r, "reading audiences", err);
    json_t *areas = json_object_get(root, "areas");
    size_t m = json_array_size(areas);
    if (rc != SOL_OK || m == 0) {
        json_decref(root);
        return rc;
    }
    char **c = sol__calloc(m, sizeof *c), **nm = sol__calloc(m, sizeof *nm);
    if (c == NULL || nm == NULL) {
        sol__free(c);
        sol__free(nm);
        json_decref(root);
        return sol__err(err, SOL_ENOMEM, "out of memory reading an audience");
    }
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        json_t *a = json_array_get(areas, i);
        const char *code = json_is_string(a) ? json_string_value(a)
                                             : json_string_value(json_object_get(a, "code"));
        const char *name = json_string_value(json_object_get(a, "name"));
        if (code == NULL)
            continue;
        c[k] = sol__strdup(code);
        nm[k] = name ? sol__strdup(name) : NULL;
        k++;
    }
    json_decref(root);
    *codes = c;
    *names = nm;
    *n = k;
    return SOL_OK;
}

static void jstr(json_t *o, const char *k, char *buf, size_t n)
{
    const char *v = json_string_value(json_object_get(o, k));
    snprintf(buf, n, "%s", v ? v : "");
}

/* ---- ledger ------------------------------------------------------------------------------ */

sol_status sol_store_ledger_load(sol_store *st, int64_t id, sol_ledger *l, sol_error *err)
{
    sol_status rc = need_v11(st, err);
    if (rc != SOL_OK)
        return rc;
    sol_dbstmt *s = sol__store_prepare(st,
                                       "SELECT seq, body, prev_hash, hash FROM ledger_entry"
                                       " WHERE campaign_id = ?1 ORDER BY seq",
                                       "reading the ledger", err);
    if (s == NULL)
        return sol__store_status(st);
    sol_db_bind_int64(s, 1, id);
    int r;
    while ((r = sol_db_step(s)) == SOL_DB_ROW) {
        /* the stored body is the canonical text the hash covers: its fields read back */
        json_t *b = json_loads((const char *)sol_db_column_text(s, 1), 0, NULL);
        sol_ledger_entry e;
        memset(&e, 0, sizeof e);
        e.seq = sol_db_column_int64(s, 0);
        copy_col(s, 2, e.prev_hash, sizeof e.prev_hash);
        copy_col(s, 3, e.hash, sizeof e.hash);
        const char *kind = json_string_value(json_object_get(b, "kind"));
        e.kind = kind == NULL                       ? (sol_ledger_kind)0
                 : strcmp(kind, "donation") == 0    ? SOL_LEDGER_DONATION
                 : strcmp(kind, "expenditure") == 0 ? SOL_LEDGER_EXPENDITURE
                                                    : SOL_LEDGER_REVERSAL;
#define STR(k, f) jstr(b, k, e.f, sizeof e.f)
        STR("date", date);
        STR("currency", currency);
        STR("channel", channel);
        STR("donor", donor);
        STR("category", category);
        STR("what", what);
        STR("why", why);
#undef STR
        e.amount_cents = json_integer_value(json_object_get(b, "amount_cents"));
        e.rate_ppm = json_integer_value(json_object_get(b, "rate_ppm"));
        e.reverses = json_integer_value(json_object_get(b, "reverses"));
        json_decref(b);
        if ((rc = sol_ledger_push(l, &e)) != SOL_OK) {
            sol_db_finalize(s);
            return sol__err(err, rc, "the ledger is too large");
        }
    }
    if ((rc = sol__store_walk_end(st, s, r, "reading the ledger", err)) != SOL_OK)
        return rc;
    if ((s = sol__store_prepare(st,
                                "SELECT seq, head_hash, public_key, signature, at FROM "
                                "ledger_signature WHERE campaign_id = ?1 ORDER BY seq",
                                "reading the ledger's signatures", err)) == NULL)
        return sol__store_status(st);
    sol_db_bind_int64(s, 1, id);
    while ((r = sol_db_step(s)) == SOL_DB_ROW) {
        sol_ledger_sig g;
        memset(&g, 0, sizeof g);
        g.seq = sol_db_column_int64(s, 0);
        copy_col(s, 1, g.head_hash, sizeof g.head_hash);
        copy_col(s, 2, g.public_key, sizeof g.public_key);
        copy_col(s, 3, g.signature, sizeof g.signature);
        copy_col(s, 4, g.at, sizeof g.at);
        if ((rc = sol_ledger_push_sig(l, &g)) != SOL_OK) {
            sol_db_finalize(s);
            return sol__err(err, rc, "the ledger has too many signatures");
        }
    }
    return sol__store_walk_end(st, s, r, "reading the ledger's signatures", err);
}

static sol_status put_sig(sol_store *st, int64_t id, const sol_ledger_sig *g, sol_error *err)
{
    sol_dbstmt *s = sol__store_prepare(st,
                                       "INSERT INTO ledger_signature (campaign_id, "
                                       "seq, head_hash, public_key, signature, at)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
                                       "signing the ledger", err);
    if (s == NULL)
        return sol__store_status(st);
    sol_db_bind_int64(s, 1, id);
    sol_db_bind_int64(s, 2, g->seq);
    sol__store_bind_text(s, 3, g->head_hash);
    sol__store_bind_text(s, 4, g->public_key);
    sol__store_bind_text(s, 5, g->signature);
    sol__store_bind_text(s, 6, g->at);
    return sol__store_step_done(st, s, "signing the ledger", err);
}

sol_status sol_store_ledger_append(sol_store *st, int64_t id, const sol_ledger_entry *e,
                                   const char *body, const sol_ledger_sig *sig, const char *who,
                                   sol_error *err)
{
    sol_status rc = need_v11(st, err);
    int own = 0;
    if (rc != SOL_OK || (rc = sol_store_join(st, &own, err)) != SOL_OK)
        return rc;
    sol_dbstmt *s = sol__store_prepare(st,
                                       "INSERT INTO ledger_entry (campaign_id, seq, body, "
                                       "prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5)",
                                       "adding a ledger entry", err);
    if (s == NULL) {
        rc = SOL_ESTORE;
        goto done;
    }
    sol_db_bind_int64(s, 1, id);
    sol_db_bind_int64(s, 2, e->seq);
    sol__store_bind_text(s, 3, body);
    sol__store_bind_text(s, 4, e->prev_hash);
    sol__store_bind_text(s, 5, e->hash);
    int r = sol_db_step(s);
    sol_db_finalize(s);
    if ((r & 0xff) == SOL_DB_CONSTRAINT) {
        rc = sol__err(err, SOL_EDUPLICATE, "entry %lld was written meanwhile; try again",
                      (long long)e->seq);
        goto done;
    }
    if (r != SOL_DB_DONE) {
        rc = sol__store_fail(st, err, "adding a ledger entry");
        goto done;
    }
    if (sig && (rc = put_sig(st, id, sig, err)) != SOL_OK)
        goto done;
    char detail[96];
    snprintf(detail, sizeof detail, "%lld %.16s", (long long)e->seq, e->hash);
    sol_dbstmt *q = sol__store_prepare(st, "SELECT name FROM campaign WHERE id = ?1",
                                       "reading a campaign", err);
    char name[129] = "";
    if (q == NULL) {
        rc = SOL_ESTORE;
        goto done;
    }
    sol_db_bind_int64(q, 1, id);
    if (sol_db_step(q) == SOL_DB_ROW)
        copy_col(q, 0, name, sizeof name);
    sol_db_finalize(q);
    rc = audit(st, who, "ledger.add", name, "entry", detail, err);
done:
    return sol_store_leave(st, own, rc, err);
}

sol_status sol_store_ledger_sign(sol_store *st, int64_t id, const sol_ledger_sig *sig,
                                 const char *who, sol_error *err)
{
    sol_status rc = need_v11(st, err);
    int own = 0;
    if (rc != SOL_OK || (rc = sol_store_join(st, &own, err)) != SOL_OK)
        return rc;
    if ((rc = put_sig(st, id, sig, err)) == SOL_OK) {
        char detail[96];
        snprintf(detail, sizeof detail, "%lld %.16s", (long long)sig->seq, sig->head_hash);
        rc = sol_audit_append(st, sol__store_who(who), "ledger.sign", detail, NULL, err);
    }
    return sol_store_leave(st, own, rc, err);
}

/* ---- settings ----------------------------------------------------------------------------- */

sol_status sol_store_setting_text(sol_store *st, const char *name, char *buf, size_t n,
                                  sol_error *err)
{
    buf[0] = '\0';
    if (st->version < 9)
        return SOL_OK;
    sol_dbstmt *s = sol__store_prepare(st, "SELECT value FROM setting WHERE name = ?1",
                                       "reading the settings", err);
    if (s == NULL)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, name);
    int r = sol_db_step(s);
    if (r == SOL_DB_ROW)
        copy_col(s, 0, buf, n);
    return sol__store_walk_end(st, s, r, "reading the settings", err);
}

sol_status sol_store_setting_text_set(sol_store *st, const char *name, const char *value,
                                      const char *who, sol_error *err)
{
    sol_status rc = need_v11(st, err);
    int own = 0;
    if (rc != SOL_OK || (rc = sol_store_join(st, &own, err)) != SOL_OK)
        return rc;
    sol_dbstmt *s = sol__store_prepare(st,
                                       "INSERT INTO setting (name, value) VALUES (?1, ?2) "
                                       "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                                       "writing a setting", err);
    if (s == NULL) {
        rc = SOL_ESTORE;
        goto done;
    }
    sol__store_bind_text(s, 1, name);
    sol__store_bind_text(s, 2, value);
    if ((rc = sol__store_step_done(st, s, "writing a setting", err)) == SOL_OK) {
        char detail[200];
        snprintf(detail, sizeof detail, "%.64s=%.120s", name, value);
        rc = sol_audit_append(st, sol__store_who(who), "setting", detail, NULL, err);
    }
done:
    return sol_store_leave(st, own, rc, err);
}

/* ---- evidence and label ------------------------------------------------------------------ */

static void indicator_facts(sol_store *st, const char *code, sol_lang lang, json_t *o)
{
    static const char *const SQL[SOL_LANG_COUNT] = {
        "SELECT coalesce(label_en, label), unit, id FROM indicator WHERE code = ?1",
        "SELECT coalesce(label_fr, label), unit, id FROM indicator WHERE code = ?1",
        "SELECT coalesce(label_it, label), unit, id FROM indicator WHERE code = ?1"};
    sol_dbstmt *s = sol__store_prepare(st, SQL[lang], "reading an indicator", NULL);
    if (s == NULL)
        return;
    sol__store_bind_text(s, 1, code);
    int64_t id = 0;
    if (sol_db_step(s) == SOL_DB_ROW) {
        id = sol_db_column_int64(s, 2);
        const char *l = (const char *)sol_db_column_text(s, 0);
        const char *u = (const char *)sol_db_column_text(s, 1);
        json_object_set_new(o, "label", l ? json_string(l) : json_null());
        json_object_set_new(o, "detail", u ? json_string(u) : json_null());
    }
    sol_db_finalize(s);
    json_object_set_new(o, "exists", json_boolean(id > 0));
    if (id == 0)
        return;
    json_t *src = json_array();
    s = sol__store_prepare(st,
                           "SELECT DISTINCT s.name, s.licence, s.attribution FROM source s"
                           " WHERE s.status = 'current' AND s.published = 1 AND s.id IN"
                           " (SELECT DISTINCT source_id FROM observation WHERE indicator_id = ?1)"
                           " ORDER BY s.name LIMIT 20",
                           "reading sources", NULL);
    if (s) {
        sol_db_bind_int64(s, 1, id);
        while (sol_db_step(s) == SOL_DB_ROW) {
            json_t *x = json_object();
            const char *a = (const char *)sol_db_column_text(s, 0),
                       *b = (const char *)sol_db_column_text(s, 1),
                       *c = (const char *)sol_db_column_text(s, 2);
            json_object_set_new(x, "name", json_string(a ? a : ""));
            json_object_set_new(x, "licence", b ? json_string(b) : json_null());
            json_object_set_new(x, "attribution", c ? json_string(c) : json_null());
            json_array_append_new(src, x);
        }
        sol_db_finalize(s);
    }
    json_object_set_new(o, "sources", src);
}

static void simple_facts(sol_store *st, const char *sql, const char *code, json_t *o)
{
    sol_dbstmt *s = sol__store_prepare(st, sql, "reading evidence", NULL);
    if (s == NULL)
        return;
    sol__store_bind_text(s, 1, code);
    int found = sol_db_step(s) == SOL_DB_ROW;
    if (found) {
        const char *l = (const char *)sol_db_column_text(s, 0);
        const char *d = (const char *)sol_db_column_text(s, 1);
        json_object_set_new(o, "label", l ? json_string(l) : json_null());
        json_object_set_new(o, "detail", d ? json_string(d) : json_null());
    }
    sol_db_finalize(s);
    json_object_set_new(o, "exists", json_boolean(found));
}

sol_status sol_store_campaign_evidence(sol_store *st, const char *items_json, sol_lang lang,
                                       char **out, sol_error *err)
{
    json_t *items = items_json && items_json[0] ? json_loads(items_json, 0, NULL) : json_array();
    json_t *res = json_array();
    if (lang < 0 || lang >= SOL_LANG_COUNT)
        lang = SOL_LANG_EN;
    for (size_t i = 0; i < json_array_size(items); i++) {
        const char *it = json_string_value(json_array_get(items, i));
        if (it == NULL)
            continue;
        const char *colon = strchr(it, ':');
        json_t *o = json_object();
        json_object_set_new(o, "item", json_string(it));
        char type[16] = "";
        if (colon && (size_t)(colon - it) < sizeof type)
            snprintf(type, sizeof type, "%.*s", (int)(colon - it), it);
        const char *code = colon ? colon + 1 : it;
        json_object_set_new(o, "type", json_string(type));
        json_object_set_new(o, "code", json_string(code));
        if (strcmp(type, "indicator") == 0)
            indicator_facts(st, code, lang, o);
        else if (strcmp(type, "area") == 0)
            simple_facts(st, "SELECT name, level FROM area WHERE code = ?1", code, o);
        else if (strcmp(type, "run") == 0)
            simple_facts(st,
                         "SELECT kind, created_at FROM run WHERE id = CAST(?1 AS INTEGER) AND"
                         " published = 1",
                         code, o);
        else
            json_object_set_new(o, "exists", json_false());
        json_array_append_new(res, o);
    }
    json_decref(items);
    char *s = json_dumps(res, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(res);
    if (s == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory reading evidence");
    *out = sol__strdup(s);
    free(s);
    return *out ? SOL_OK : sol__err(err, SOL_ENOMEM, "out of memory reading evidence");
}

sol_status sol_store_campaign_label_latest(sol_store *st, const char *name, char **json,
                                           int64_t *run_id, sol_error *err)
{
    *json = NULL;
    *run_id = 0;
    sol_dbstmt *s = sol__store_prepare(st,
                                       "SELECT id, result FROM run WHERE kind = "
                                       "'campaign.label' AND json_extract(spec, '$.campaign')"
                                       " = ?1 ORDER BY id DESC LIMIT 1",
                                       "reading the label", err);
    if (s == NULL)
        return sol__store_status(st);
    sol__store_bind_text(s, 1, name);
    int r = sol_db_step(s);
    if (r == SOL_DB_ROW && sol_db_column_text(s, 1)) {
        *run_id = sol_db_column_int64(s, 0);
        *json = sol__strdup((const char *)sol_db_column_text(s, 1));
        if (*json == NULL) {
            sol_db_finalize(s);
            return sol__err(err, SOL_ENOMEM, "out of memory reading the label");
        }
    }
    return sol__store_walk_end(st, s, r, "reading the label", err);
}
