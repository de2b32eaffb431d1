/* solidata/ledger.h - a campaign's public ledger, pure: the canonical encoding of the declaration
 * and of each entry (docs/ledger.md says it byte for byte, so anyone can re-implement the check),
 * the SHA-256 hash chain, Ed25519 signatures of the chain head (libsodium), the exported ledger
 * file (writer, reader, verifier), totals, the transparency label's rules and their evaluation,
 * and the open-standard writers (IATI 2.03 activity XML, 360Giving JSON, an SVG badge).
 * Nothing here reads the store or prints.
 * Thread safety: every function is reentrant. */
#ifndef SOL_LEDGER_H
#define SOL_LEDGER_H

#include <solidata/i18n.h>
#include <solidata/status.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SOL_LEDGER_FORMAT    "solidata-ledger/1"
#define SOL_LEDGER_TEXT_MAX  1024u             /* bytes of a free text (what, why, objective) */
#define SOL_LEDGER_MAX_ENTRY 1000000u          /* entries of one ledger */
#define SOL_LEDGER_MAX_FILE  (256u << 20)      /* bytes of a ledger file */
#define SOL_LEDGER_MAX_CENTS 100000000000000LL /* 10^12 units of a currency, in cents */

typedef enum sol_ledger_kind {
    SOL_LEDGER_DONATION = 1,
    SOL_LEDGER_EXPENDITURE = 2,
    SOL_LEDGER_REVERSAL = 3
} sol_ledger_kind;

/** A campaign's declaration, the root of its chain (genesis = SHA-256 of its canonical body).
 *  Absent texts are "" and an absent budget is -1. */
typedef struct sol_ledger_decl {
    char name[129];
    char kind[16]; /* event, information, fundraising */
    char objective[SOL_LEDGER_TEXT_MAX + 1];
    char currency[4];
    int64_t budget_cents;
    char starts[11], ends[11];
    char created_at[21];
} sol_ledger_decl;

/** One entry. Texts not used by the kind are "". */
typedef struct sol_ledger_entry {
    int64_t seq;
    sol_ledger_kind kind;
    char date[11];        /* YYYY-MM-DD */
    int64_t amount_cents; /* donations and expenditures: > 0 */
    char currency[4];     /* ISO 4217 */
    int64_t rate_ppm;     /* 0: the campaign's currency; else campaign units per unit x 10^6 */
    char channel[33];     /* donation: bank, cash, online, cheque, card, other */
    char donor[65];       /* donation: a pseudonym or "anonymous" */
    char category[16];    /* expenditure: objective or running */
    char what[SOL_LEDGER_TEXT_MAX + 1]; /* expenditure: what it paid for */
    int64_t reverses;                   /* reversal: the seq it cancels */
    char why[SOL_LEDGER_TEXT_MAX + 1];  /* reversal: why */
    char prev_hash[65], hash[65];       /* lowercase hex */
} sol_ledger_entry;

/** A signature of the chain up to entry `seq`. */
typedef struct sol_ledger_sig {
    int64_t seq;
    char head_hash[65];
    char public_key[65]; /* hex of the 32-byte Ed25519 public key */
    char signature[129]; /* hex of the 64-byte detached signature */
    char at[21];
} sol_ledger_sig;

/** A ledger in memory: owned arrays; free with sol_ledger_free. */
typedef struct sol_ledger {
    sol_ledger_decl decl;
    char public_key[65]; /* the organisation's published key ("" when none) */
    size_t n, n_sig;
    sol_ledger_entry *e;
    sol_ledger_sig *sig;
} sol_ledger;

/** A new empty ledger (NULL on allocation failure). */
SOL_API sol_ledger *sol_ledger_new(void);
/** Free a ledger. NULL is a no-op. */
SOL_API void sol_ledger_free(sol_ledger *l);
/** Append copies of an entry / a signature: SOL_OK, SOL_ELIMIT, SOL_ENOMEM. */
SOL_API sol_status sol_ledger_push(sol_ledger *l, const sol_ledger_entry *e);
SOL_API sol_status sol_ledger_push_sig(sol_ledger *l, const sol_ledger_sig *s);

/** The canonical body of the declaration / of an entry (docs/ledger.md): compact JSON, keys in a
 *  fixed order, optional keys left out when absent, integers for amounts. *out is owned (free
 *  with sol_free). SOL_EINVAL (a field out of its domain: the message names it), SOL_ENOMEM. */
SOL_API sol_status sol_ledger_decl_body(const sol_ledger_decl *d, char **out, sol_error *err);
SOL_API sol_status sol_ledger_entry_body(const sol_ledger_entry *e, char **out, sol_error *err);
/** hex(SHA-256(prev_hex || body)) into out (65 bytes): prev_hex as its 64 ASCII characters
 *  (NULL: no prefix, the genesis is SHA-256(declaration body)). */
SOL_API void sol_ledger_hash(const char *prev_hex, const char *body, size_t len, char out[65]);

/** Check an entry's fields as `ledger add` takes them (amount > 0, dates, currency, channel,
 *  category, donor a pseudonym or "anonymous"): SOL_OK, or SOL_EINVAL naming the option
 *  (err->where "--donation", "--date", ...). */
SOL_API sol_status sol_ledger_entry_check(const sol_ledger_entry *e, sol_error *err);
/** An amount as people write it ("50", "49.9", "49.90"; a comma for the point too) in cents, or
 *  -1 when it is not one (a sign, more than two decimals, over SOL_LEDGER_MAX_CENTS). */
SOL_API int64_t sol_ledger_parse_cents(const char *s);
/** 1 when `s` is a valid donor: "anonymous", or a pseudonym of 4 to 64 lowercase letters,
 *  digits, '-' or '_' holding at least one digit (a name never passes: no capitals, no space). */
SOL_API int sol_ledger_donor_ok(const char *s);

/** A new Ed25519 key pair as hex: pk 64 characters, sk 128. SOL_EINVAL if libsodium cannot
 *  start. */
SOL_API sol_status sol_ledger_keypair(char pk_hex[65], char sk_hex[129], sol_error *err);
/** The public key of a secret key (hex): SOL_EINVAL when sk_hex is not 128 hex characters. */
SOL_API sol_status sol_ledger_key_public(const char *sk_hex, char pk_hex[65], sol_error *err);
/** The message signed for the chain up to `seq`: "solidata-ledger/1\n<seq>\n<head_hash>". */
SOL_API void sol_ledger_sig_message(int64_t seq, const char *head_hex, char *buf, size_t n);
/** Sign (seq, head) with sk_hex into sig_hex. SOL_EINVAL (bad key). */
SOL_API sol_status sol_ledger_sign(const char *sk_hex, int64_t seq, const char *head_hex,
                                   char sig_hex[129], sol_error *err);
/** 1 when sig_hex is pk_hex's signature of (seq, head_hex). */
SOL_API int sol_ledger_sig_ok(const char *pk_hex, int64_t seq, const char *head_hex,
                              const char *sig_hex);

/** What a verification found. */
typedef struct sol_ledger_check {
    int ok;          /* 1: the chain and every signature hold, signed up to the last entry */
    int64_t bad_seq; /* the first bad entry's seq (or its position), 0 when none */
    char what[512];  /* what is wrong, in the language asked (or the summary when ok) */
    size_t n_entries, n_sig;
    char head[65];
} sol_ledger_check;

/** Recompute the chain of `l` and check every signature: each entry's seq is its position, its
 *  prev_hash the previous entry's hash (the genesis for the first), its hash the SHA-256 of
 *  prev_hash and its canonical body; each signature by the published key (or `pin_pk` when not
 *  NULL: the published key must equal it), over a hash of the chain; the last entry signed.
 *  Reversals must name an earlier donation or expenditure not reversed before. The verdict goes
 *  to *c (words in language `lang`); returns SOL_OK whatever the verdict (SOL_ENOMEM only). */
SOL_API sol_status sol_ledger_verify(const sol_ledger *l, const char *pin_pk, sol_lang lang,
                                     sol_ledger_check *c);

/** Totals in the campaign's currency (entries in another currency converted at their rate;
 *  reversed entries and their reversals count nothing). */
typedef struct sol_ledger_totals {
    int64_t donations_cents, objective_cents, running_cents, balance_cents;
    size_t n_donations, n_expenditures, n_reversals;
    double objective_pct, running_pct; /* of the expenditures; NAN when none */
    double budget_used_pct;            /* expenditures / budget; NAN without a budget */
    char first_date[11], last_date[11];
} sol_ledger_totals;
SOL_API void sol_ledger_totals_compute(const sol_ledger *l, sol_ledger_totals *t);

/** The ledger file (docs/ledger.md): format, campaign (the declaration), genesis, public_key,
 *  entries {body, prev_hash, hash}, signatures, totals; compact JSON, one entry per line. *out
 *  owned (sol_free). SOL_EINVAL (an entry out of its domain), SOL_ENOMEM. */
SOL_API sol_status sol_ledger_write_json(const sol_ledger *l, char **out, sol_error *err);
/** Read a ledger file's text (len bytes; `path` names it in errors). Unknown or missing keys,
 *  wrong types, a bad format name: SOL_EPARSE naming path and entry. SOL_ELIMIT, SOL_ENOMEM. */
SOL_API sol_status sol_ledger_read_json(const char *text, size_t len, const char *path,
                                        sol_ledger **out, sol_error *err);

/* ---- the transparency label ---------------------------------------------------------------- */

typedef struct sol_label_rules sol_label_rules;

/** Parse a rules file (JSON: {"label": NAME, "version": N, "rules": [{"rule": NAME, PARAM...}]}).
 *  An unknown rule or parameter: SOL_EINVAL naming it at path, with the close known names and
 *  the whole list. *sha256 (65 bytes, may be NULL) gets the file's SHA-256. */
SOL_API sol_status sol_label_rules_parse(const char *text, size_t len, const char *path,
                                         sol_label_rules **out, sol_error *err);
SOL_API void sol_label_rules_free(sol_label_rules *r);
/** The rule names the label knows, NULL-terminated. */
SOL_API const char *const *sol_label_rule_names(void);

/** What the label's rules look at. Texts may be NULL or "". */
typedef struct sol_label_facts {
    const char *objective;
    size_t n_evidence;
    const char *audience; /* the audience's name, NULL when none */
    int audience_published;
    int ledger_verifies; /* -1: no ledger */
    const char *ledger_what;
    const char *ends;         /* YYYY-MM-DD or NULL */
    const char *published_at; /* when the accounts were published (YYYY-MM-DD...) or NULL */
    const char *today;        /* YYYY-MM-DD */
    const sol_ledger_totals *totals;
    const char *running_note; /* why running costs are what they are */
    int64_t budget_cents;     /* -1: none */
    const char *currency;
    const char *review_by, *review_date;
    const char *achieved;
} sol_label_facts;

/** Evaluate each rule: JSON {label, rules_sha256, date, passed, failed, not_applicable, total,
 *  rules: [{rule, params, outcome: "pass"|"fail"|"na", why: {en, fr, it}}]}. *json owned
 *  (sol_free). SOL_ENOMEM. */
SOL_API sol_status sol_label_evaluate(const sol_label_rules *r, const char *rules_sha256,
                                      const sol_label_facts *f, char **json, sol_error *err);
/** An SVG badge from an evaluation's JSON: the label's name, "N/M rules passed", the date and
 *  the rules file's SHA-256 prefix, words in `lang`. SOL_EPARSE (not an evaluation), SOL_ENOMEM.
 */
SOL_API sol_status sol_label_badge_svg(const char *eval_json, sol_lang lang, char **svg,
                                       sol_error *err);

/* ---- open standards ---------------------------------------------------------------------- */

/** What the writers need beyond the ledger. */
typedef struct sol_ledger_export_info {
    const char *org_ref;  /* IATI organisation identifier (e.g. "IT-CF-12345678901"); required */
    const char *org_name; /* required */
    const char *country;  /* ISO 3166-1 alpha-2 ("IT", "FR"), or NULL */
    const char *lang;     /* the campaign's language for narratives ("it", "fr", "en") */
    const char *achieved; /* NULL when not said */
    const char *const *area_names; /* the audience's areas, for IATI locations (may be NULL) */
    const char *const *area_codes;
    size_t n_areas;
    const char *today;     /* YYYY-MM-DD */
    const char *generated; /* YYYY-MM-DDTHH:MM:SSZ */
} sol_ledger_export_info;

/** An IATI 2.03 iati-activities document with one activity (docs/ledger.md has the mapping).
 *  *xml owned (sol_free). SOL_EINVAL (no org_ref/org_name), SOL_ENOMEM. */
SOL_API sol_status sol_ledger_iati_xml(const sol_ledger *l, const sol_ledger_export_info *x,
                                       char **xml, sol_error *err);
/** A 360Giving package {"grants": [one grant: the campaign]} (docs/ledger.md). */
SOL_API sol_status sol_ledger_360giving_json(const sol_ledger *l, const sol_ledger_export_info *x,
                                             char **json, sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
