/* solidata/run_campaign.h - campaigns with a public, signed ledger and a transparency label, the
 * one place the CLI and the server share: declare a campaign on the store's evidence, append
 * ledger entries (checked, hash-chained and signed with the organisation's Ed25519 key), export
 * and verify the ledger file, evaluate the label (recorded as a run with its method card), and
 * write IATI and 360Giving. docs/ledger.md describes the formats.
 * Thread safety: reentrant; one store handle per thread. */
#ifndef SOL_RUN_CAMPAIGN_H
#define SOL_RUN_CAMPAIGN_H

#include <solidata/i18n.h>
#include <solidata/ledger.h>
#include <solidata/status.h>
#include <solidata/store.h>
#include <solidata/store_campaign.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A campaign to declare. Strings borrowed for the call. */
typedef struct sol_campaign_job {
    const char *name, *kind, *objective;
    const char *evidence[64]; /* "indicator:CODE", "area:CODE", "run:ID" */
    size_t n_evidence;
    const char *audience; /* NULL: none */
    const char *budget;   /* "5000" or "5000.50", or NULL */
    const char *currency; /* NULL: EUR */
    const char *starts, *ends;
    const char *lang; /* the campaign's language (IATI narratives); NULL: the current one */
    const char *who;
} sol_campaign_job;

/** Declare a campaign: the name (letters, digits, '-', '_', '.'), the kind, the objective, each
 *  evidence item found in the store (an unknown one is SOL_ENOTFOUND naming it), the audience
 *  found (SOL_ENOTFOUND), budget and dates checked (SOL_EINVAL with err->where the option). */
SOL_API sol_status sol_run_campaign_add(sol_store *st, const sol_campaign_job *j, sol_error *err);

/** A campaign as its public page shows it, as JSON: name, kind, objective, evidence [{item,
 *  type, code, exists, label, detail, sources}], audience, audience_published, budget_cents,
 *  currency, starts, ends, achieved, published, published_at, review, running_note, totals,
 *  ledger {entries, verified, what, public_key}, label (the latest evaluation or null).
 *  `drafts` 0: a draft is SOL_ENOTFOUND (the public never sees drafts). *json owned (sol_free).
 */
SOL_API sol_status sol_run_campaign_json(sol_store *st, const char *name, int drafts, sol_lang lang,
                                         char **json, sol_error *err);
/** The campaigns as a JSON array of {name, kind, objective, published, starts, ends, currency,
 *  budget_cents, donations_cents, spent_cents}; drafts only when `drafts`. */
SOL_API sol_status sol_run_campaign_list_json(sol_store *st, int drafts, char **json,
                                              sol_error *err);

/** Publish (on 1) or unpublish a campaign. Publishing a campaign whose ledger is not signed up
 *  to its last entry is refused (SOL_EINVAL: sign it with 'solidata ledger sign'). */
SOL_API sol_status sol_run_campaign_publish(sol_store *st, const char *name, int on,
                                            const char *who, sol_error *err);
/** Set what was achieved, the running-costs note, or the review (by, date YYYY-MM-DD). */
SOL_API sol_status sol_run_campaign_set(sol_store *st, const char *name, sol_campaign_field f,
                                        const char *value, const char *value2, const char *who,
                                        sol_error *err);

/** The campaign's ledger from the store, with its declaration and the published public key.
 *  *c (may be NULL) gets the campaign row. */
SOL_API sol_status sol_run_ledger_load(sol_store *st, const char *name, sol_ledger **out,
                                       sol_campaign *c, sol_error *err);

/** Write a new key pair: the secret key to `path` (mode 0600, never over an existing file), the
 *  public key into pk_hex and the store's setting ledger.public_key. A store that already has a
 *  key refuses (SOL_EDUPLICATE) unless `replace`. */
SOL_API sol_status sol_run_ledger_keygen(sol_store *st, const char *path, int replace,
                                         char pk_hex[65], sol_error *err);

/** An entry to append. */
typedef struct sol_ledger_job {
    const char *campaign;
    sol_ledger_entry e;   /* kind, date, amount_cents, currency (""= the campaign's), rate_ppm,
                             channel, donor, category, what, reverses, why; seq and hashes are
                             computed */
    const char *key_path; /* the secret key file, or NULL: $SOLIDATA_LEDGER_KEY, else unsigned */
    const char *who;
} sol_ledger_job;

/** Append an entry: checked (sol_ledger_entry_check; a currency other than the campaign's
 *  without a rate is refused; a reversal of a reversal or of an entry already reversed is
 *  refused), chained, and signed when a key is given. The key must be the store's published key
 *  (another key is refused). A published campaign's ledger takes entries only with the key, so
 *  that it stays signed up to its last entry. *seq and head (65 bytes; may be NULL) get the new
 *  entry's seq and hash. Store unchanged on any failure. */
SOL_API sol_status sol_run_ledger_add(sol_store *st, const sol_ledger_job *j, int64_t *seq,
                                      char *head, sol_error *err);
/** Sign the chain up to its last entry with the key file (or $SOLIDATA_LEDGER_KEY). */
SOL_API sol_status sol_run_ledger_sign(sol_store *st, const char *campaign, const char *key_path,
                                       const char *who, sol_error *err);
/** The ledger file of a campaign (sol_ledger_write_json). `drafts` 0: a draft is SOL_ENOTFOUND.
 */
SOL_API sol_status sol_run_ledger_export(sol_store *st, const char *campaign, int drafts,
                                         char **json, sol_error *err);
/** Read and verify a ledger file (sol_ledger_verify): *c holds the verdict; SOL_OK whatever the
 *  verdict, SOL_EIO/SOL_EPARSE/SOL_ELIMIT for a file that cannot be read as a ledger. */
SOL_API sol_status sol_run_ledger_verify_file(const char *path, const char *pin_pk, sol_lang lang,
                                              sol_ledger_check *c, sol_ledger_totals *t,
                                              sol_error *err);

/** Evaluate the label rules file `rules_path` on the campaign; record it as a run (kind
 *  "campaign.label") with its method card when `record`; *json the evaluation (sol_free); with
 *  svg_path, write the badge there (words in `lang`). */
SOL_API sol_status sol_run_campaign_label(sol_store *st, const char *campaign,
                                          const char *rules_path, const char *svg_path,
                                          sol_lang lang, int record, char **json, int64_t *run_id,
                                          sol_error *err);
/** The same with the rules file's content `text` (len bytes; `source` names it in messages and in
 *  the run's record), or text NULL: the shared rules bundled with the software
 *  (examples/label-rules.json, recorded under that name). No badge file. */
SOL_API sol_status sol_run_campaign_label_text(sol_store *st, const char *campaign,
                                               const char *text, size_t len, const char *source,
                                               sol_lang lang, int record, char **json,
                                               int64_t *run_id, sol_error *err);
/** The bundled shared rules (examples/label-rules.json), a static string. */
SOL_API const char *sol_run_campaign_default_rules(void);
/** The badge of the latest recorded evaluation (SOL_ENOTFOUND when none). */
SOL_API sol_status sol_run_campaign_badge(sol_store *st, const char *campaign, int drafts,
                                          sol_lang lang, char **svg, sol_error *err);

/** IATI XML (`format` "iati") or 360Giving JSON ("360giving") of a campaign. org_ref/org_name
 *  NULL: the settings iati.org_ref/iati.org_name; country NULL: from the setting iati.country,
 *  else none. */
SOL_API sol_status sol_run_campaign_export(sol_store *st, const char *campaign, const char *format,
                                           const char *org_ref, const char *org_name,
                                           const char *country, int drafts, char **out,
                                           sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
