/* solidata/store_audience.h - audiences in the store (src/store/audience.c, schema 11): an
 * audience is a rule over area indicators, never a list of persons; the store keeps its rule,
 * the k it was checked against, its card (the result of its evaluation) and whether it is
 * published, each change with its audit row in one transaction; and the settings of outreach:
 * the minimum cell size k ("audience.k", default 100) and the indicators an organisation lists
 * as special categories ("audience.special"). docs/outreach.md.
 * Thread safety: one store handle per thread. */
#ifndef SOL_STORE_AUDIENCE_H
#define SOL_STORE_AUDIENCE_H

#include <solidata/status.h>
#include <solidata/store.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** One audience. Strings borrowed (for the callback, or for the call of _add). */
typedef struct sol_audience_rec {
    int64_t id;
    const char *name;
    const char *rule;    /* the rule in its canonical text form */
    int64_t k;           /* the minimum cell size it was checked against */
    const char *purpose; /* may be NULL */
    const char *result;  /* the card as JSON (areas, people, evidence, words) */
    int64_t run_id;      /* the run that evaluated it, or 0 */
    int published;
    const char *created_at; /* filled by the store when NULL (ISO 8601 UTC) */
    const char *created_by; /* may be NULL */
} sol_audience_rec;
typedef int (*sol_audience_cb)(void *ud, const sol_audience_rec *a);

/** Add an audience (a draft) with an audit row ("audience.define") in the same transaction (joins
 *  the caller's). SOL_EDUPLICATE when the name is taken; SOL_EVERSION before schema 11. */
SOL_API sol_status sol_store_audience_add(sol_store *st, const sol_audience_rec *a, int64_t *id,
                                          sol_error *err);
/** One audience by name: SOL_ENOTFOUND when there is none. */
SOL_API sol_status sol_store_audience_get(sol_store *st, const char *name, sol_audience_cb cb,
                                          void *ud, sol_error *err);
/** Every audience (published_only: the published ones), newest first; a non-zero return stops. */
SOL_API sol_status sol_store_audiences(sol_store *st, int published_only, sol_audience_cb cb,
                                       void *ud, sol_error *err);
/** Publish (1) or withdraw (0) an audience's card, with an audit row ("audience.publish",
 *  "audience.unpublish") unless nothing changes (*changed 0; may be NULL). SOL_ENOTFOUND. */
SOL_API sol_status sol_store_audience_publish(sol_store *st, const char *name, int publish,
                                              const char *who, int *changed, sol_error *err);
/** Remove a draft audience, with an audit row ("audience.remove"). A published audience is
 *  refused (SOL_EDENIED: withdraw it first), as is one a campaign refers to (SOL_EDENIED). */
SOL_API sol_status sol_store_audience_remove(sol_store *st, const char *name, const char *who,
                                             sol_error *err);

/** The minimum audience cell size: the setting "audience.k", else SOL_AUD_K_DEFAULT (100). */
SOL_API sol_status sol_store_audience_k(sol_store *st, int64_t *k, sol_error *err);
/** Set it (k >= 1, else SOL_EINVAL), with an audit row ("audience.k": old and new). */
SOL_API sol_status sol_store_audience_k_set(sol_store *st, int64_t k, const char *who,
                                            sol_error *err);
/** The indicator codes the organisation lists as special categories (setting "audience.special",
 *  codes separated by commas), into *codes (free with sol_free; "" when none). */
SOL_API sol_status sol_store_audience_special(sol_store *st, char **codes, sol_error *err);
/** Set that list, with an audit row ("audience.special"). */
SOL_API sol_status sol_store_audience_special_set(sol_store *st, const char *codes, const char *who,
                                                  sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
