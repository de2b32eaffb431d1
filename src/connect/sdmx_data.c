/* sdmx_data.c - SDMX data messages into columns: the builder every format fills (interned codes
 * per dimension, keys, values, statuses), format detection and the public entry points. */
#include <solidata/sdmx.h>

#include "sdmx_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *sol_sdmx_format_name(sol_sdmx_format f)
{
    switch (f) {
    case SOL_SDMX_ML_GENERIC: return "generic";
    case SOL_SDMX_ML_SPECIFIC: return "structure-specific";
    case SOL_SDMX_JSON: return "json";
    case SOL_SDMX_CSV: return "csv";
    default: return "auto";
    }
}

/* The SDMX cross-domain attributes and measures most providers use (SDMX glossary, ECB, ESTAT,
 * ISTAT and INSEE DSDs); a message read without its DSD keeps every other component as a key. */
static const char *const known_attributes[] = {
    "OBS_VALUE",
    "OBS_STATUS",
    "OBS_CONF",
    "OBS_PRE_BREAK",
    "OBS_COM",
    "OBS_EDP_WBB",
    "CONF_STATUS",
    "CONF_STATUS_OBS",
    "DECIMALS",
    "UNIT_MULT",
    "UNIT_MEASURE",
    "UNIT",
    "TITLE",
    "TITLE_COMPL",
    "COLL_METHOD",
    "COMPILATION",
    "SOURCE_AGENCY",
    "SOURCE_PUB",
    "TIME_FORMAT",
    "TIME_PER_COLLECT",
    "BREAKS",
    "COMMENT_TS",
    "COMMENT_OBS",
    "COMMENT_DSET",
    "EMBARGO_TIME",
    "DOM_SER_IDS",
    "PUBL_ECB",
    "PUBL_MU",
    "PUBL_PUBLIC",
    "NAT_TITLE",
    "UNIT_INDEX_BASE",
    "BASE_PER",
    "BASE_YEAR",
    "REF_PERIOD_DETAIL",
    "OBS_FLAG",
    "OBS_FLAG_1",
    "OBS_FLAG_2",
    "FOOTNOTE",
    "NOTE",
    "UPDATED",
    "DATAFLOW",
    "STRUCTURE",
    "STRUCTURE_ID",
    "STRUCTURE_NAME",
    "ACTION",
    "SERIES_KEY",
    "OBS_KEY",
    "IDBANK",
    "LAST_UPDATE",
    "TITLE_FR",
    "TITLE_EN",
    "COLLECTION",
    "REF_AREA_TYPE",
    "NOTE_OBS",
    "NOTE_SERIES",
};

int sol__sdmx_is_attribute(const sdmx_builder *b, const char *id, size_t n)
{
    /* b->attrs holds the DSD's dimensions (when given) or the known attributes */
    int known = sol__strmap_get(b->attrs, id, n, NULL);
    return b->dsd != NULL ? !known : known;
}

sol_status sol__sdmx_builder_init(sdmx_builder *b, const char *name, const sol_sdmx_dsd *dsd,
                                  sol_sdmx_format fmt)
{
    memset(b, 0, sizeof *b);
    b->name = name ? name : "";
    b->dsd = dsd;
    for (size_t i = 0; i < SOL_SDMX_MAX_DIMS; i++)
        b->cur[i] = SOL_SDMX_NONE;
    b->d = sol__calloc(1, sizeof *b->d);
    b->dims = sol__strmap_new(16);
    b->status = sol__strmap_new(8);
    b->attrs = sol__strmap_new(64);
    if (b->d == NULL || b->dims == NULL || b->status == NULL || b->attrs == NULL)
        return SOL_ENOMEM;
    if (dsd != NULL) {
        for (size_t i = 0; i < dsd->ndim; i++)
            if (dsd->dim[i].id != NULL &&
                sol__strmap_put(b->attrs, dsd->dim[i].id, strlen(dsd->dim[i].id), 1) != SOL_OK)
                return SOL_ENOMEM;
    } else {
        for (size_t i = 0; i < sizeof known_attributes / sizeof *known_attributes; i++)
            if (sol__strmap_put(b->attrs, known_attributes[i], strlen(known_attributes[i]), 1) !=
                SOL_OK)
                return SOL_ENOMEM;
    }
    b->d->format = fmt;
    b->d->time_dim = -1;
    return SOL_OK;
}

void sol__sdmx_builder_clear(sdmx_builder *b)
{
    size_t nd = b->d ? b->d->ndim : b->dim_alloc;
    if (b->codes != NULL)
        for (size_t i = 0; i < b->dim_alloc && i < SOL_SDMX_MAX_DIMS; i++)
            sol__strmap_free(b->codes[i]);
    (void)nd;
    sol__free(b->codes);
    sol__free(b->code_alloc);
    sol__strmap_free(b->dims);
    sol__strmap_free(b->status);
    sol__strmap_free(b->attrs);
    sol_sdmx_data_free(b->d);
    memset(b, 0, sizeof *b);
}

static sol_status grow(void **p, size_t *alloc, size_t need, size_t elem)
{
    if (need <= *alloc)
        return SOL_OK;
    size_t n = *alloc ? *alloc : 8;
    while (n < need)
        n *= 2;
    void *q = sol__realloc(*p, n * elem);
    if (q == NULL)
        return SOL_ENOMEM;
    *p = q;
    *alloc = n;
    return SOL_OK;
}

sol_status sol__sdmx_code(sdmx_builder *b, int d, const char *s, size_t n, uint32_t *out,
                          sol_error *err, unsigned long line, unsigned long col)
{
    int64_t v;
    if (sol__strmap_get(b->codes[d], s, n, &v)) {
        *out = (uint32_t)v;
        return SOL_OK;
    }
    sol_sdmx_data *D = b->d;
    if (n > SOL_SDMX_MAX_CODE)
        return sol__err_at(err, SOL_ELIMIT, b->name, line, col,
                           "a code of %s is %zu bytes long; at most %u are accepted", D->dim_id[d],
                           n, SOL_SDMX_MAX_CODE);
    if (D->ncode[d] >= SOL_SDMX_MAX_CODES)
        return sol__err_at(err, SOL_ELIMIT, b->name, line, col,
                           "dimension %s has more than %u distinct codes", D->dim_id[d],
                           SOL_SDMX_MAX_CODES);
    if (grow((void **)&D->code[d], &b->code_alloc[d], D->ncode[d] + 1, sizeof(char *)) != SOL_OK)
        return SOL_ENOMEM;
    char *c = sol__strndup(s, n);
    if (c == NULL)
        return SOL_ENOMEM;
    if (sol__strmap_put(b->codes[d], s, n, (int64_t)D->ncode[d]) != SOL_OK) {
        sol__free(c);
        return SOL_ENOMEM;
    }
    D->code[d][D->ncode[d]] = c;
    *out = (uint32_t)D->ncode[d]++;
    return SOL_OK;
}

/* A dimension added after observations were read: earlier keys get the empty code there. */
static sol_status relayout(sdmx_builder *b)
{
    sol_sdmx_data *D = b->d;
    size_t old = D->ndim - 1;
    uint32_t empty;
    if (D->nobs == 0)
        return SOL_OK;
    sol_status rc = sol__sdmx_code(b, (int)old, "", 0, &empty, NULL, 0, 0);
    if (rc != SOL_OK)
        return rc;
    uint32_t *k = sol__malloc(b->obs_alloc * D->ndim * sizeof *k);
    if (k == NULL)
        return SOL_ENOMEM;
    for (size_t i = 0; i < D->nobs; i++) {
        memcpy(k + i * D->ndim, D->key + i * old, old * sizeof *k);
        k[i * D->ndim + old] = empty;
    }
    sol__free(D->key);
    D->key = k;
    return SOL_OK;
}

sol_status sol__sdmx_dim(sdmx_builder *b, const char *id, size_t n, int *out, sol_error *err,
                         unsigned long line, unsigned long col)
{
    int64_t v;
    if (sol__strmap_get(b->dims, id, n, &v)) {
        *out = (int)v;
        return SOL_OK;
    }
    sol_sdmx_data *D = b->d;
    if (n == 0 || n > SOL_SDMX_MAX_CODE)
        return sol__err_at(err, SOL_EPARSE, b->name, line, col,
                           "a dimension id is empty or longer than %u bytes", SOL_SDMX_MAX_CODE);
    if (D->ndim >= SOL_SDMX_MAX_DIMS)
        return sol__err_at(err, SOL_ELIMIT, b->name, line, col,
                           "the message has more than %u dimensions", SOL_SDMX_MAX_DIMS);
    if (b->codes == NULL) {
        b->codes = sol__calloc(SOL_SDMX_MAX_DIMS, sizeof *b->codes);
        b->code_alloc = sol__calloc(SOL_SDMX_MAX_DIMS, sizeof *b->code_alloc);
        D->dim_id = sol__calloc(SOL_SDMX_MAX_DIMS, sizeof *D->dim_id);
        D->ncode = sol__calloc(SOL_SDMX_MAX_DIMS, sizeof *D->ncode);
        D->code = sol__calloc(SOL_SDMX_MAX_DIMS, sizeof *D->code);
        if (b->codes == NULL || b->code_alloc == NULL || D->dim_id == NULL || D->ncode == NULL ||
            D->code == NULL)
            return SOL_ENOMEM;
        b->dim_alloc = SOL_SDMX_MAX_DIMS;
    }
    size_t d = D->ndim;
    b->codes[d] = sol__strmap_new(64);
    D->dim_id[d] = sol__strndup(id, n);
    if (b->codes[d] == NULL || D->dim_id[d] == NULL ||
        sol__strmap_put(b->dims, id, n, (int64_t)d) != SOL_OK) {
        sol__strmap_free(b->codes[d]);
        sol__free(D->dim_id[d]);
        b->codes[d] = NULL;
        D->dim_id[d] = NULL;
        return SOL_ENOMEM;
    }
    D->ndim++;
    sol_status rc = relayout(b);
    if (rc != SOL_OK)
        return rc;
    *out = (int)d;
    return SOL_OK;
}

sol_status sol__sdmx_key(sdmx_builder *b, const char *id, size_t idn, const char *v, size_t vn,
                         sol_error *err, unsigned long line, unsigned long col)
{
    int d;
    sol_status rc = sol__sdmx_dim(b, id, idn, &d, err, line, col);
    if (rc == SOL_OK)
        rc = sol__sdmx_code(b, d, v, vn, &b->cur[d], err, line, col);
    return rc;
}

sol_status sol__sdmx_status(sdmx_builder *b, const char *s, size_t n, uint32_t *out, sol_error *err,
                            unsigned long line, unsigned long col)
{
    int64_t v;
    if (n == 0) {
        *out = SOL_SDMX_NONE;
        return SOL_OK;
    }
    if (sol__strmap_get(b->status, s, n, &v)) {
        *out = (uint32_t)v;
        return SOL_OK;
    }
    sol_sdmx_data *D = b->d;
    if (n > SOL_SDMX_MAX_CODE || D->nstatus >= 65536)
        return sol__err_at(err, SOL_ELIMIT, b->name, line, col,
                           "too many or too long OBS_STATUS values (at most 65536 of %u bytes)",
                           SOL_SDMX_MAX_CODE);
    if (grow((void **)&D->status_code, &b->status_alloc, D->nstatus + 1, sizeof(char *)) != SOL_OK)
        return SOL_ENOMEM;
    char *c = sol__strndup(s, n);
    if (c == NULL || sol__strmap_put(b->status, s, n, (int64_t)D->nstatus) != SOL_OK) {
        sol__free(c);
        return SOL_ENOMEM;
    }
    D->status_code[D->nstatus] = c;
    *out = (uint32_t)D->nstatus++;
    return SOL_OK;
}

sol_status sol__sdmx_value(sdmx_builder *b, const char *s, size_t n, int comma_ok, double *out,
                           sol_error *err, unsigned long line, unsigned long col)
{
    if (sol__is_missing(s, n)) {
        *out = NAN;
        return SOL_OK;
    }
    if (sol__parse_double(s, n, comma_ok, out) == SOL_OK)
        return SOL_OK;
    char shown[64];
    size_t k = n < sizeof shown - 4 ? n : sizeof shown - 4;
    memcpy(shown, s, k);
    if (k < n)
        memcpy(shown + k, "...", 4);
    else
        shown[k] = '\0';
    return sol__err_at(err, SOL_EPARSE, b->name, line, col,
                       "expected an OBS_VALUE number, found '%s'", shown);
}

sol_status sol__sdmx_obs(sdmx_builder *b, uint32_t *key, double v, uint32_t status, sol_error *err,
                         unsigned long line, unsigned long col)
{
    sol_sdmx_data *D = b->d;
    if (D->ndim == 0)
        return sol__err_at(err, SOL_EPARSE, b->name, line, col,
                           "an observation has no dimension at all (no key, no period)");
    if (D->nobs >= SOL_SDMX_MAX_OBS)
        return sol__err_at(err, SOL_ELIMIT, b->name, line, col,
                           "the message has more than %u observations", SOL_SDMX_MAX_OBS);
    for (size_t d = 0; d < D->ndim; d++) {
        if (key[d] == SOL_SDMX_NONE) {
            sol_status rc = sol__sdmx_code(b, (int)d, "", 0, &key[d], err, line, col);
            if (rc != SOL_OK)
                return rc;
        }
    }
    if (D->nobs + 1 > b->obs_alloc) {
        size_t n = b->obs_alloc ? b->obs_alloc * 2 : 1024;
        uint32_t *k = sol__realloc(D->key, n * D->ndim * sizeof *k);
        if (k == NULL)
            return SOL_ENOMEM;
        D->key = k;
        double *vv = sol__realloc(D->value, n * sizeof *vv);
        if (vv == NULL)
            return SOL_ENOMEM;
        D->value = vv;
        uint32_t *st = sol__realloc(D->status, n * sizeof *st);
        if (st == NULL)
            return SOL_ENOMEM;
        D->status = st;
        b->obs_alloc = n;
    }
    memcpy(D->key + D->nobs * D->ndim, key, D->ndim * sizeof *key);
    D->value[D->nobs] = v;
    D->status[D->nobs] = status;
    D->nobs++;
    return SOL_OK;
}

static uint64_t key_hash(const uint32_t *k, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= k[i];
        h *= 1099511628211ull;
        h ^= h >> 29;
    }
    return h;
}

/* Two observations with the same key mean the message was misread (a dimension taken for an
 * attribute, a structure that is not the message's): refused, naming both and the key. */
static sol_status check_unique(sdmx_builder *b, sol_error *err)
{
    sol_sdmx_data *D = b->d;
    if (D->nobs < 2)
        return SOL_OK;
    size_t cap = 16;
    while (cap < 2 * D->nobs)
        cap *= 2;
    uint32_t *t = sol__malloc(cap * sizeof *t);
    if (t == NULL)
        return SOL_ENOMEM;
    memset(t, 0xff, cap * sizeof *t);
    size_t mask = cap - 1, nd = D->ndim;
    for (size_t i = 0; i < D->nobs; i++) {
        const uint32_t *k = D->key + i * nd;
        size_t h = (size_t)key_hash(k, nd) & mask;
        while (t[h] != UINT32_MAX) {
            const uint32_t *o = D->key + (size_t)t[h] * nd;
            if (memcmp(o, k, nd * sizeof *k) == 0) {
                char key[300];
                size_t len = 0;
                key[0] = '\0';
                for (size_t d = 0; d < nd && len < sizeof key - 1; d++) {
                    int w = snprintf(key + len, sizeof key - len, "%s%s=%s", d ? ", " : "",
                                     D->dim_id[d], D->code[d][k[d]]);
                    if (w < 0)
                        break;
                    len += (size_t)w;
                }
                unsigned long first = (unsigned long)t[h] + 1;
                sol__free(t);
                return sol__err_at(
                    err, SOL_EPARSE, b->name, 0, 0,
                    "observations %lu and %lu have the same key (%s): a dimension was taken for "
                    "an attribute; give the message's structure (DSD) so its dimensions are known",
                    first, (unsigned long)i + 1, key);
            }
            h = (h + 1) & mask;
        }
        t[h] = (uint32_t)i;
    }
    sol__free(t);
    return SOL_OK;
}

sol_status sol__sdmx_finish(sdmx_builder *b, sol_sdmx_data **out, sol_error *err)
{
    sol_sdmx_data *D = b->d;
    sol_status rc = check_unique(b, err);
    if (rc != SOL_OK)
        return rc;
    for (size_t d = 0; d < D->ndim; d++) {
        if (strcmp(D->dim_id[d], "TIME_PERIOD") == 0 || strcmp(D->dim_id[d], "TIME") == 0) {
            D->time_dim = (int)d;
            break;
        }
    }
    *out = D;
    b->d = NULL;
    return SOL_OK;
}

void sol_sdmx_data_free(sol_sdmx_data *d)
{
    if (d == NULL)
        return;
    if (d->code != NULL)
        for (size_t i = 0; i < d->ndim; i++) {
            if (d->code[i] != NULL)
                for (size_t j = 0; j < d->ncode[i]; j++)
                    sol__free(d->code[i][j]);
            sol__free(d->code[i]);
        }
    if (d->dim_id != NULL)
        for (size_t i = 0; i < d->ndim; i++)
            sol__free(d->dim_id[i]);
    for (size_t i = 0; i < d->nstatus; i++)
        sol__free(d->status_code[i]);
    sol__free_n(9, d->structure, d->dim_id, d->ncode, d->code, d->key, d->value, d->status,
                d->status_code, d);
}

int sol_sdmx_data_dim(const sol_sdmx_data *d, const char *id)
{
    if (d == NULL || id == NULL)
        return -1;
    for (size_t i = 0; i < d->ndim; i++)
        if (strcmp(d->dim_id[i], id) == 0)
            return (int)i;
    return -1;
}

static sol_sdmx_format detect(const char *buf, size_t len)
{
    size_t i = 0;
    if (len >= 2 && (((unsigned char)buf[0] == 0xFF && (unsigned char)buf[1] == 0xFE) ||
                     ((unsigned char)buf[0] == 0xFE && (unsigned char)buf[1] == 0xFF)))
        return SOL_SDMX_ML_GENERIC; /* UTF-16 (with its byte order mark): only XML is */
    if (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
        (unsigned char)buf[2] == 0xBF)
        i = 3;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
        i++;
    if (i < len && buf[i] == '<')
        return SOL_SDMX_ML_GENERIC; /* the XML reader tells generic from specific by the root */
    if (i < len && buf[i] == '{')
        return SOL_SDMX_JSON;
    return SOL_SDMX_CSV;
}

sol_status sol_sdmx_data_parse_dsd(const char *buf, size_t len, const char *name,
                                   sol_sdmx_format fmt, const sol_sdmx_dsd *dsd,
                                   sol_sdmx_data **out, sol_error *err)
{
    if (buf == NULL || out == NULL)
        return sol__err(err, SOL_EINVAL, "no SDMX message given");
    if (len > SOL_SDMX_MAX_MESSAGE)
        return sol__err_at(err, SOL_ELIMIT, name, 0, 0, "the message is larger than %u bytes",
                           SOL_SDMX_MAX_MESSAGE);
    if (len == 0)
        return sol__err_at(err, SOL_EPARSE, name, 0, 0, "the message is empty");
    sol_sdmx_format f = fmt == SOL_SDMX_AUTO ? detect(buf, len) : fmt;
    sdmx_builder b;
    sol_status rc = sol__sdmx_builder_init(&b, name, dsd, f);
    if (rc != SOL_OK)
        goto fail;
    switch (f) {
    case SOL_SDMX_ML_GENERIC:
    case SOL_SDMX_ML_SPECIFIC: rc = sol__sdmx_parse_xml(&b, buf, len, err); break;
    case SOL_SDMX_JSON: rc = sol__sdmx_parse_json(&b, buf, len, err); break;
    case SOL_SDMX_CSV: rc = sol__sdmx_parse_csv(&b, buf, len, err); break;
    default: rc = sol__err(err, SOL_EINVAL, "unknown SDMX format %d", (int)f);
    }
    if (rc != SOL_OK)
        goto fail;
    rc = sol__sdmx_finish(&b, out, err);
    if (rc != SOL_OK)
        goto fail;
    sol__sdmx_builder_clear(&b);
    return SOL_OK;
fail:
    if (rc == SOL_ENOMEM)
        sol__err(err, SOL_ENOMEM, "out of memory while reading the SDMX message");
    sol__sdmx_builder_clear(&b);
    return rc;
}

sol_status sol_sdmx_data_parse(const char *buf, size_t len, const char *name, sol_sdmx_format fmt,
                               sol_sdmx_data **out, sol_error *err)
{
    return sol_sdmx_data_parse_dsd(buf, len, name, fmt, NULL, out, err);
}
