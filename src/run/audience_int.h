/* audience_int.h - what the audience and take-up runs share (src/run/ only): a rule evaluated on
 * the store, with the areas, the values read, their evidence and the indicators' names. */
#ifndef SOL_AUDIENCE_INT_H
#define SOL_AUDIENCE_INT_H

#include <solidata/outreach.h>
#include <solidata/run_outreach.h>

#include "core/core.h"

#include <jansson.h>

typedef struct aud_area {
    char *code, *name, *level, *parent, *geometry;
    double centroid[2];
} aud_area;

typedef struct aud_meta {
    char *code, *label, *unit, *dimension, *kind;
    char *labels[SOL_LANG_COUNT], *units[SOL_LANG_COUNT];
} aud_meta;

/* One indicator's values over the scope's areas. */
typedef struct aud_series {
    const char *code;
    char period[16];
    double *val, *se;  /* ns entries; NaN missing */
    unsigned char *wh; /* ns: withheld from the public */
    int has_se;
    json_t *sources; /* array (name, version, licence, attribution, ...) */
} aud_series;

typedef struct aud_eval {
    sol_aud_rule *rule;
    size_t na;
    aud_area *a; /* every area of the store */
    sol_strmap *aidx;
    size_t nm;
    aud_meta *m; /* every indicator of the store */
    char level[64];
    size_t ns;
    size_t *scope; /* indices into a */
    aud_series *cond, people, share;
    double share_scale;
    sol_aud_eval *ev;
    json_t *special;          /* array of {indicator, why} */
    struct sol_feature *wgeo; /* rule->n_within boundaries of the `within` areas (nparts 0: none) */
} aud_eval;

/* Evaluate `rule` (taken: freed with the evaluation) on the store; geometry 1 keeps the areas'
 * geometry. *E zeroed first; free with sol__aud_eval_clear even on failure. */
sol_status sol__aud_evaluate(sol_store *st, sol_aud_rule *rule, int geometry, aud_eval *E,
                             sol_error *err);
void sol__aud_eval_clear(aud_eval *E);
/* The metadata of indicator `code`, or NULL. */
const aud_meta *sol__aud_meta(const aud_eval *E, const char *code);
/* Its label in `l` (falls back to English, the publisher's, the code). */
const char *sol__aud_label(const aud_meta *m, sol_lang l);
/* Parse a rule given as text or as JSON (starting with '{'). */
sol_status sol__aud_parse(const char *rule, sol_aud_rule **out, sol_error *err);
/* Define an audience from an evaluation (the k and combination checks, the card, the run and
 * the row, in one transaction). `E` stays the caller's. */
sol_status sol__aud_define(sol_store *st, const sol_audience_job *job, aud_eval *E,
                           sol_audience_output **out, sol_error *err);
/* Who: job's, else $SOLIDATA_USER, else $USER, else NULL. */
const char *sol__aud_who(const char *who);

#endif
