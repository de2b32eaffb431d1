/* solidata/card.h - a method card for a person reading it in their language. Cards are stored
 * once, in English, as JSON with English keys (machines and later runs read them unchanged);
 * what a person reads - the labels of the card's parts ("what was computed", "human choices")
 * and the English texts the methods wrote - is translated when the card is shown, through the
 * message catalogues, so that the same stored run reads in French, Italian or English.
 * Thread safety: thread-safe (no state; catalogues are read-only). */
#ifndef SOL_CARD_H
#define SOL_CARD_H

#include <solidata/i18n.h>
#include <solidata/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The label of a method card's key in language `l`: "method" -> "what was computed" ("ce qui
 *  a été calculé"), "choices" -> "human choices", "inputs" -> "from what", ... for the parts
 *  every card has and the keys methods use most; any other key is returned as it is. Static
 *  string (catalogue memory, or `key` itself). */
SOL_API const char *sol_card_label(sol_lang l, const char *key);

/** The card `card_json` as a person reads it in `l`: the same nesting and order, each object key
 *  replaced by sol_card_label, each string value by its translation when the catalogues hold it
 *  (texts the methods wrote in English), everything else (numbers, codes, names, file names)
 *  unchanged. For display only: keep the stored card for machines. *out is malloc'd JSON
 *  (compact; free with sol_free). Errors: SOL_EPARSE (not JSON), SOL_ENOMEM. */
SOL_API sol_status sol_card_localise(const char *card_json, sol_lang l, char **out, sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
