/* solidata/store_campaign.h - campaigns and their ledgers in the store (src/store/campaign.c):
 * the campaign row, its append-only ledger entries and signatures, the settings the ledger uses
 * (ledger.public_key, iati.org_ref, iati.org_name). Every change is written with its audit row in
 * one transaction (joined when the caller has one open). The run layer (run_campaign.h) is what
 * commands and routes call; these are its SQL.
 * Thread safety: one store handle per thread. */
#ifndef SOL_STORE_CAMPAIGN_H
#define SOL_STORE_CAMPAIGN_H

#include <solidata/ledger.h>
#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A campaign row. Absent texts are "", an absent budget -1. */
typedef struct sol_campaign {
    int64_t id;
    char name[129];
    char kind[16];
    char objective[SOL_LEDGER_TEXT_MAX + 1];
    char evidence[8192]; /* JSON array of "indicator:CODE", "area:CODE", "run:ID" */
    char audience[129];  /* the audience's name, "" when none */
    int audience_published;
    int64_t budget_cents;
    char currency[4];
    char starts[11], ends[11];
    char achieved[SOL_LEDGER_TEXT_MAX + 1];
    int published;
    char published_at[21];
    char created_at[21];
    char created_by[65];
    char lang[3];
    char running_note[SOL_LEDGER_TEXT_MAX + 1];
    char review_by[129], review_date[11];
} sol_campaign;

/** Add a campaign (audience_id 0: none), audited "campaign.add". SOL_EDUPLICATE when the name is
 *  taken; SOL_EVERSION before schema 11; SOL_ESTORE. *id may be NULL. */
SOL_API sol_status sol_store_campaign_add(sol_store *st, const sol_campaign *c, int64_t audience_id,
                                          const char *who, int64_t *id, sol_error *err);
/** The campaign `name` into *c: SOL_ENOTFOUND (the message lists up to 10 names), SOL_ESTORE. */
SOL_API sol_status sol_store_campaign_get(sol_store *st, const char *name, sol_campaign *c,
                                          sol_error *err);
typedef int (*sol_campaign_cb)(void *ud, const sol_campaign *c);
/** Every campaign by name (drafts only when `drafts`); cb returns non-zero to stop. */
SOL_API sol_status sol_store_campaigns(sol_store *st, int drafts, sol_campaign_cb cb, void *ud,
                                       sol_error *err);

/** What sol_store_campaign_set changes. */
typedef enum sol_campaign_field {
    SOL_CAMPAIGN_PUBLISHED,    /* value "1" or "0"; published_at set to now the first time */
    SOL_CAMPAIGN_ACHIEVED,     /* value: what was achieved */
    SOL_CAMPAIGN_RUNNING_NOTE, /* value: why running costs are what they are */
    SOL_CAMPAIGN_REVIEW        /* value: who reviewed; value2: the date */
} sol_campaign_field;
/** Change one field, audited ("campaign.publish", "campaign.achieved", ...). SOL_ENOTFOUND,
 *  SOL_ESTORE. */
SOL_API sol_status sol_store_campaign_set(sol_store *st, const char *name, sol_campaign_field f,
                                          const char *value, const char *value2, const char *who,
                                          sol_error *err);

/** An audience by name: *id (0 when there is none: SOL_ENOTFOUND) and *published. */
SOL_API sol_status sol_store_campaign_audience(sol_store *st, const char *name, int64_t *id,
                                               int *published, sol_error *err);
/** The areas of an audience's stored result ("areas": codes or objects with code and name), as
 *  two arrays of n owned strings (free each and the arrays with sol_free); none is not an error.
 */
SOL_API sol_status sol_store_campaign_audience_areas(sol_store *st, const char *audience,
                                                     char ***codes, char ***names, size_t *n,
                                                     sol_error *err);

/** The ledger of campaign `id`: entries and signatures appended to `l` in order. */
SOL_API sol_status sol_store_ledger_load(sol_store *st, int64_t id, sol_ledger *l, sol_error *err);
/** Append an entry (its prev_hash and hash computed by the caller) and, when sig is not NULL,
 *  the signature of the chain up to it: one transaction with the audit row "ledger.add". The
 *  seq must be the next one (a concurrent writer makes it SOL_EDUPLICATE). */
SOL_API sol_status sol_store_ledger_append(sol_store *st, int64_t id, const sol_ledger_entry *e,
                                           const char *body, const sol_ledger_sig *sig,
                                           const char *who, sol_error *err);
/** Add a signature alone (audited "ledger.sign"). */
SOL_API sol_status sol_store_ledger_sign(sol_store *st, int64_t id, const sol_ledger_sig *sig,
                                         const char *who, sol_error *err);

/** A store setting into buf ("" when not set). */
SOL_API sol_status sol_store_setting_text(sol_store *st, const char *name, char *buf, size_t n,
                                          sol_error *err);
/** Write a setting, audited ("setting", detail the name). */
SOL_API sol_status sol_store_setting_text_set(sol_store *st, const char *name, const char *value,
                                              const char *who, sol_error *err);

/** Facts about evidence items for a campaign page: for "indicator:CODE" the label in `lang`,
 *  unit and the sources with their licences; "area:CODE" its name and level; "run:ID" its kind
 *  and date. *json a JSON array of {item, type, code, exists, label, detail, sources: [{name,
 *  licence, attribution}]} (free with sol_free). */
SOL_API sol_status sol_store_campaign_evidence(sol_store *st, const char *items_json, sol_lang lang,
                                               char **json, sol_error *err);

/** The latest label evaluation recorded for campaign `name` (a run of kind "campaign.label"):
 *  its result JSON (owned, free with sol_free) and run id, or *json NULL when none. */
SOL_API sol_status sol_store_campaign_label_latest(sol_store *st, const char *name, char **json,
                                                   int64_t *run_id, sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
