/* solidata/sdmx.h - SDMX messages read into memory: data (SDMX-ML 2.1 generic and structure-
 * specific, SDMX-ML 3.0 structure-specific, SDMX-JSON 1.0/2.0, SDMX-CSV 1.0/2.0) as columns of
 * coded keys and values, and structures (dataflows, data structure definitions, codelists with
 * their names in several languages). Pure: parsers take a buffer and never do I/O.
 * Ownership: every *_parse allocates its result; the caller frees it with the matching *_free. */
#ifndef SOL_SDMX_H
#define SOL_SDMX_H

#include <solidata/i18n.h>
#include <solidata/status.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sol_sdmx_format {
    SOL_SDMX_AUTO = 0,   /* told from the first bytes: '<' XML (root element), '{' JSON, else CSV */
    SOL_SDMX_ML_GENERIC, /* SDMX-ML 2.1 GenericData */
    SOL_SDMX_ML_SPECIFIC, /* SDMX-ML 2.1 or 3.0 StructureSpecificData */
    SOL_SDMX_JSON,        /* SDMX-JSON data message 1.0 or 2.0 */
    SOL_SDMX_CSV          /* SDMX-CSV 1.0 (DATAFLOW column) or 2.0 (STRUCTURE, STRUCTURE_ID) */
} sol_sdmx_format;

/* Caps on input-fed memory (added by the reader; a message beyond them is SOL_ELIMIT). */
#define SOL_SDMX_MAX_MESSAGE 2147483647u /* bytes of one message (libxml2 takes an int) */
#define SOL_SDMX_MAX_DIMS    64u         /* dimensions of one message or DSD */
#define SOL_SDMX_MAX_CODE    256u        /* bytes of one code or id */
#define SOL_SDMX_MAX_CODES   50000000u   /* distinct codes of one dimension */
#define SOL_SDMX_MAX_OBS     500000000u  /* observations of one message */
#define SOL_SDMX_MAX_NAME    4096u       /* bytes of one name */
#define SOL_SDMX_MAX_ITEMS   10000000u   /* dataflows, DSDs, codelists, codes of a structure */

/** "generic", "structure-specific", "json", "csv" (or "auto"). */
SOL_API const char *sol_sdmx_format_name(sol_sdmx_format f);

/* A data message as columns. Dimensions are in the order the message gives them (series keys,
 * then the observation dimension, normally TIME_PERIOD, last). Each dimension keeps a dictionary
 * of its distinct codes in the order first seen; an observation's key is one index per dimension.
 */
typedef struct sol_sdmx_data {
    sol_sdmx_format format; /* as detected */
    char *structure;        /* dataflow or structure id named by the message, or NULL */
    size_t ndim;
    char **dim_id; /* [ndim] */
    size_t *ncode; /* [ndim] */
    char ***code;  /* [ndim][ncode[d]] */
    int time_dim;  /* index of the time dimension, -1 when none */
    size_t nobs;
    uint32_t *key;    /* [nobs * ndim], row-major: key[i * ndim + d] indexes code[d] */
    double *value;    /* [nobs]; NaN when the message gives no number ("NaN", empty) */
    uint32_t *status; /* [nobs]: index into status_code, UINT32_MAX when none */
    size_t nstatus;
    char **status_code; /* distinct OBS_STATUS values ("e", "p", ...) */
} sol_sdmx_data;

/** Parse a data message held in `buf` (`len` bytes; `name` is used in error locations, e.g. a
 *  file name or URL). A malformed message is SOL_EPARSE with "name:line:col" in err->where. */
SOL_API sol_status sol_sdmx_data_parse(const char *buf, size_t len, const char *name,
                                       sol_sdmx_format fmt, sol_sdmx_data **out, sol_error *err);
/** The same, told by a data structure definition which components are dimensions (the others,
 *  attributes and measures, are left out). Without one (`dsd` NULL, as sol_sdmx_data_parse
 *  does), every component is a dimension except OBS_VALUE, OBS_STATUS and the usual SDMX
 *  attributes (OBS_CONF, DECIMALS, UNIT_MULT, UNIT_MEASURE, TITLE, ...). `dsd` is only read. */
struct sol_sdmx_dsd;
SOL_API sol_status sol_sdmx_data_parse_dsd(const char *buf, size_t len, const char *name,
                                           sol_sdmx_format fmt, const struct sol_sdmx_dsd *dsd,
                                           sol_sdmx_data **out, sol_error *err);
SOL_API void sol_sdmx_data_free(sol_sdmx_data *d);
/** Index of dimension `id` (case-sensitive) or -1. */
SOL_API int sol_sdmx_data_dim(const sol_sdmx_data *d, const char *id);

/* A name in several languages; NULL where the message has none. `any` is the first name the
 * message gives, whatever its language. */
typedef struct sol_sdmx_names {
    char *text[SOL_LANG_COUNT];
    char *any;
} sol_sdmx_names;

/** The name in `lang`, else English, else any; NULL when there is no name at all. */
SOL_API const char *sol_sdmx_name(const sol_sdmx_names *n, sol_lang lang);

typedef struct sol_sdmx_code {
    char *id;
    char *parent; /* or NULL */
    sol_sdmx_names name;
} sol_sdmx_code;

typedef struct sol_sdmx_codelist {
    char *agency, *id, *version;
    sol_sdmx_names name;
    size_t ncode;
    sol_sdmx_code *code;
} sol_sdmx_codelist;

typedef struct sol_sdmx_dimension {
    char *id;
    int position; /* 1-based position in the key; 0 for the time dimension */
    int is_time;
    char *codelist; /* id of its codelist (the enumeration), or NULL */
    char *concept;  /* id of its concept, or NULL */
} sol_sdmx_dimension;

typedef struct sol_sdmx_dsd {
    char *agency, *id, *version;
    sol_sdmx_names name;
    size_t ndim;
    sol_sdmx_dimension *dim; /* key order, time dimension last */
} sol_sdmx_dsd;

typedef struct sol_sdmx_dataflow {
    char *agency, *id, *version;
    sol_sdmx_names name;
    char *dsd; /* id of its data structure definition, or NULL */
} sol_sdmx_dataflow;

typedef struct sol_sdmx_structure {
    size_t ndataflow;
    sol_sdmx_dataflow *dataflow;
    size_t ndsd;
    sol_sdmx_dsd *dsd;
    size_t ncodelist;
    sol_sdmx_codelist *codelist;
} sol_sdmx_structure;

/** Parse an SDMX-ML 2.1 or 3.0 structure message (or SDMX-JSON structure message). */
SOL_API sol_status sol_sdmx_structure_parse(const char *buf, size_t len, const char *name,
                                            sol_sdmx_structure **out, sol_error *err);
SOL_API void sol_sdmx_structure_free(sol_sdmx_structure *s);
/** Lookups by id (the first match; agency and version are not compared); NULL when absent. */
SOL_API const sol_sdmx_codelist *sol_sdmx_codelist_find(const sol_sdmx_structure *s,
                                                        const char *id);
SOL_API const sol_sdmx_dsd *sol_sdmx_dsd_find(const sol_sdmx_structure *s, const char *id);
SOL_API const sol_sdmx_dataflow *sol_sdmx_dataflow_find(const sol_sdmx_structure *s,
                                                        const char *id);
SOL_API const sol_sdmx_code *sol_sdmx_code_find(const sol_sdmx_codelist *cl, const char *id);

#ifdef __cplusplus
}
#endif
#endif
