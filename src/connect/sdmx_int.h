/* sdmx_int.h - shared by the SDMX readers: a builder that collects observations as columns of
 * interned codes, and the rule that tells dimensions from attributes. Private to src/connect. */
#ifndef SOL_SDMX_INT_H
#define SOL_SDMX_INT_H

#include "core/core.h"

#include <solidata/sdmx.h>

#include <stddef.h>
#include <stdint.h>

#define SOL_SDMX_NONE UINT32_MAX

typedef struct sdmx_builder {
    sol_sdmx_data *d;
    const sol_sdmx_dsd *dsd; /* optional: its dimensions are the only dimensions */
    const char *name;        /* for error locations */
    sol_strmap *dims;        /* dimension id -> index */
    sol_strmap **codes;      /* [ndim]: code -> index */
    size_t *code_alloc;      /* [ndim] */
    size_t dim_alloc;
    size_t obs_alloc;
    sol_strmap *status;
    sol_strmap *attrs; /* the DSD's dimensions, or (no DSD) the known attributes */
    size_t status_alloc;
    uint32_t cur[SOL_SDMX_MAX_DIMS]; /* key of the observation being read, SOL_SDMX_NONE unset */
} sdmx_builder;

sol_status sol__sdmx_builder_init(sdmx_builder *b, const char *name, const sol_sdmx_dsd *dsd,
                                  sol_sdmx_format fmt);
/* Frees what the builder owns; the data (b->d) too unless it was taken (set to NULL). */
void sol__sdmx_builder_clear(sdmx_builder *b);
/* Index of dimension id[0..n), added when new. SOL_ELIMIT beyond SOL_SDMX_MAX_DIMS. */
sol_status sol__sdmx_dim(sdmx_builder *b, const char *id, size_t n, int *out, sol_error *err,
                         unsigned long line, unsigned long col);
/* Index of code s[0..n) of dimension d, added when new. */
sol_status sol__sdmx_code(sdmx_builder *b, int d, const char *s, size_t n, uint32_t *out,
                          sol_error *err, unsigned long line, unsigned long col);
/* Set b->cur[dim(id)] = code(value). */
sol_status sol__sdmx_key(sdmx_builder *b, const char *id, size_t idn, const char *v, size_t vn,
                         sol_error *err, unsigned long line, unsigned long col);
sol_status sol__sdmx_status(sdmx_builder *b, const char *s, size_t n, uint32_t *out, sol_error *err,
                            unsigned long line, unsigned long col);
/* Parse an OBS_VALUE: missing markers are NaN; anything else not a number is SOL_EPARSE. */
sol_status sol__sdmx_value(sdmx_builder *b, const char *s, size_t n, int comma_ok, double *out,
                           sol_error *err, unsigned long line, unsigned long col);
/* Append an observation with key `key` (b->cur or a copy; unset entries become ""). */
sol_status sol__sdmx_obs(sdmx_builder *b, uint32_t *key, double v, uint32_t status, sol_error *err,
                         unsigned long line, unsigned long col);
/* Finish: keys checked unique (SOL_EPARSE naming the two observations), time_dim set. *out
 * takes the data. */
sol_status sol__sdmx_finish(sdmx_builder *b, sol_sdmx_data **out, sol_error *err);

/* 1 when component `id` is an attribute (or a measure), not a dimension: with a DSD, any id not
 * among its dimensions; without, the SDMX cross-domain attributes and measures. */
int sol__sdmx_is_attribute(const sdmx_builder *b, const char *id, size_t n);

sol_status sol__sdmx_parse_xml(sdmx_builder *b, const char *buf, size_t len, sol_error *err);
sol_status sol__sdmx_parse_json(sdmx_builder *b, const char *buf, size_t len, sol_error *err);
sol_status sol__sdmx_parse_csv(sdmx_builder *b, const char *buf, size_t len, sol_error *err);

/* libxml2 error capture shared by the XML readers. */
typedef struct sdmx_xmlerr {
    int set;
    unsigned long line, col;
    char msg[512];
} sdmx_xmlerr;
void sol__sdmx_xml_error(void *arg, void *xmlerror);

#endif
