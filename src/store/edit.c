/* edit.c - corrections after an import: an indicator's labels, unit, polarity and dimension
 * changed in place, and what depends on a source before it is removed. */
#include <solidata/store.h>

#include "store_int.h"

#include <string.h>

/* "" clears a text (SQL NULL); NULL is never passed here */
static int bind_text_or_null(sol_dbstmt *s, int i, const char *v)
{
    return *v ? sol_db_bind_text(s, i, v, -1) : sol_db_bind_null(s, i);
}

static sol_status set_column(sol_store *st, const char *sql, const char *code, const char *v,
                             sol_error *err)
{
    sol_dbstmt *s = sol__store_prepare(st, sql, "changing an indicator", err);
    if (s == NULL)
        return sol__store_status(st);
    sol_db_bind_text(s, 1, code, -1);
    bind_text_or_null(s, 2, v);
    return sol__store_step_done(st, s, "changing an indicator", err);
}

sol_status sol_store_indicator_edit(sol_store *st, const char *code, const sol_indicator_edit *e,
                                    sol_error *err)
{
    /* one statement per column: the column names are fixed strings, never input */
    static const char *const label_sql[SOL_LANG_COUNT] = {
        [SOL_LANG_EN] = "UPDATE indicator SET label_en = ?2 WHERE code = ?1",
        [SOL_LANG_FR] = "UPDATE indicator SET label_fr = ?2 WHERE code = ?1",
        [SOL_LANG_IT] = "UPDATE indicator SET label_it = ?2 WHERE code = ?1",
    };
    if (code == NULL || !sol_store_has_indicator(st, code))
        return sol__err(err, SOL_ENOTFOUND, "no indicator '%s' in the store", code ? code : "");
    if (e->polarity < -1 || e->polarity > 1)
        return sol__err(err, SOL_EINVAL, "polarity %d: expected -1, 0 or 1", e->polarity);
    for (int l = 0; l < SOL_LANG_COUNT; l++)
        if (e->labels[l] && st->version < 8)
            return sol__err(err, SOL_EVERSION,
                            "this store has no labels in each language (schema %d); run "
                            "'solidata init' to upgrade it",
                            st->version);
    sol_status rc;
    if (e->label && (rc = set_column(st, "UPDATE indicator SET label = ?2 WHERE code = ?1", code,
                                     e->label, err)) != SOL_OK)
        return rc;
    for (int l = 0; l < SOL_LANG_COUNT; l++)
        if (e->labels[l] && label_sql[l] &&
            (rc = set_column(st, label_sql[l], code, e->labels[l], err)) != SOL_OK)
            return rc;
    if (e->unit && (rc = set_column(st, "UPDATE indicator SET unit = ?2 WHERE code = ?1", code,
                                    e->unit, err)) != SOL_OK)
        return rc;
    if (e->dimension && (rc = set_column(st, "UPDATE indicator SET dimension = ?2 WHERE code = ?1",
                                         code, e->dimension, err)) != SOL_OK)
        return rc;
    if (e->set_polarity) {
        sol_dbstmt *s = sol__store_prepare(st, "UPDATE indicator SET polarity = ?2 WHERE code = ?1",
                                           "changing an indicator", err);
        if (s == NULL)
            return sol__store_status(st);
        sol_db_bind_text(s, 1, code, -1);
        sol_db_bind_int(s, 2, e->polarity);
        if ((rc = sol__store_step_done(st, s, "changing an indicator", err)) != SOL_OK)
            return rc;
    }
    return SOL_OK;
}

sol_status sol_store_source_derived(sol_store *st, const char *name, sol_code_cb cb, void *ud,
                                    sol_error *err)
{
    if (st->version < 6)
        return SOL_OK; /* no relations between indicators before schema 6 */
    sol_dbstmt *s = sol__store_prepare(
        st,
        "SELECT DISTINCT d.code FROM indicator_link l JOIN indicator d ON d.id = l.indicator_id"
        " WHERE l.component IN (SELECT i.code FROM indicator i WHERE i.id IN"
        "  (SELECT o.indicator_id FROM observation o JOIN source src ON src.id = o.source_id"
        "   WHERE src.name = ?1))"
        " AND d.id NOT IN (SELECT o.indicator_id FROM observation o JOIN source src"
        "  ON src.id = o.source_id WHERE src.name = ?1)"
        " ORDER BY d.code",
        "reading the relations between indicators", err);
    if (s == NULL)
        return sol__store_status(st);
    sol_db_bind_text(s, 1, name, -1);
    int r;
    while ((r = sol_db_step(s)) == SOL_DB_ROW)
        if (cb(ud, (const char *)sol_db_column_text(s, 0)))
            break;
    return sol__store_walk_end(st, s, r, "reading the relations between indicators", err);
}
