/* sdmx_stub.c - STAND-IN; REPLACED BY sdmx_data.c AT MERGE (the coordinator deletes this file).
 * A minimal reader of SDMX-ML 2.1 GenericData / StructureSpecificData and structure messages
 * (dataflows, DSDs, codelists), just enough for the connectors to build and be tested before the
 * SDMX helper's parsers (include/solidata/sdmx.h) arrive. */
#include <solidata/sdmx.h>

#include "core/core.h"

#include <ctype.h>
#include <libxml/xmlreader.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *sol_sdmx_format_name(sol_sdmx_format f)
{
    static const char *const n[] = {"auto", "generic", "structure-specific", "json", "csv"};
    return (unsigned)f < 5 ? n[f] : "auto";
}

const char *sol_sdmx_name(const sol_sdmx_names *n, sol_lang lang)
{
    if (n->text[lang])
        return n->text[lang];
    return n->text[SOL_LANG_EN] ? n->text[SOL_LANG_EN] : n->any;
}

static const char *local(const xmlChar *name)
{
    const char *s = (const char *)name, *c = strrchr(s, ':');
    return c ? c + 1 : s;
}

static char *attr(xmlTextReaderPtr r, const char *name)
{
    xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
    char *s = v ? sol__strdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

typedef struct perr {
    char msg[256];
    int line;
} perr;

static void on_error(void *arg, const char *msg, xmlParserSeverities sev,
                     xmlTextReaderLocatorPtr loc)
{
    perr *e = arg;
    if (sev < XML_PARSER_SEVERITY_ERROR || e->msg[0])
        return;
    snprintf(e->msg, sizeof e->msg, "%s", msg);
    size_t n = strlen(e->msg);
    while (n && (e->msg[n - 1] == '\n' || e->msg[n - 1] == ' '))
        e->msg[--n] = '\0';
    e->line = xmlTextReaderLocatorLineNumber(loc);
}

static xmlTextReaderPtr open_reader(const char *buf, size_t len, const char *name, perr *pe)
{
    if (len > (size_t)INT32_MAX)
        return NULL;
    xmlTextReaderPtr r = xmlReaderForMemory(buf, (int)len, name, NULL, XML_PARSE_NONET);
    if (r)
        xmlTextReaderSetErrorHandler(r, on_error, pe);
    return r;
}

static sol_status fail_parse(sol_error *err, const char *name, perr *pe, int line)
{
    return sol__err_at(err, SOL_EPARSE, name, (unsigned long)(pe->line ? pe->line : line), 0,
                       "malformed XML: %s", pe->msg[0] ? pe->msg : "unexpected end");
}

/* ---- data ------------------------------------------------------------------------------- */

typedef struct dimacc {
    char *id;
    sol_strmap *map;
    char **code;
    size_t n, cap;
} dimacc;

typedef struct dacc {
    dimacc dim[64];
    size_t ndim;
    uint32_t cur[64]; /* current series key */
    uint32_t *key;
    double *val;
    uint32_t *st;
    size_t nobs, cap;
    sol_strmap *stmap;
    char **stc;
    size_t nst;
} dacc;

static int dim_index(dacc *a, const char *id)
{
    for (size_t d = 0; d < a->ndim; d++)
        if (strcmp(a->dim[d].id, id) == 0)
            return (int)d;
    if (a->ndim == 64)
        return -1;
    dimacc *x = &a->dim[a->ndim];
    x->id = sol__strdup(id);
    x->map = sol__strmap_new(16);
    return x->id && x->map ? (int)a->ndim++ : -1;
}

static int code_index(dimacc *x, const char *code, uint32_t *out)
{
    int64_t v;
    if (sol__strmap_get(x->map, code, strlen(code), &v)) {
        *out = (uint32_t)v;
        return 0;
    }
    if (x->n == x->cap) {
        size_t c = x->cap ? 2 * x->cap : 16;
        char **p = sol__realloc(x->code, c * sizeof *p);
        if (!p)
            return -1;
        x->code = p, x->cap = c;
    }
    if (!(x->code[x->n] = sol__strdup(code)) ||
        sol__strmap_put(x->map, code, strlen(code), (int64_t)x->n) != SOL_OK)
        return -1;
    *out = (uint32_t)x->n++;
    return 0;
}

static int set_dim(dacc *a, const char *id, const char *code)
{
    int d = dim_index(a, id);
    if (d < 0)
        return -1;
    return code_index(&a->dim[d], code, &a->cur[d]);
}

static int status_index(dacc *a, const char *s, uint32_t *out)
{
    int64_t v;
    if (sol__strmap_get(a->stmap, s, strlen(s), &v)) {
        *out = (uint32_t)v;
        return 0;
    }
    char **p = sol__realloc(a->stc, (a->nst + 1) * sizeof *p);
    if (!p)
        return -1;
    a->stc = p;
    if (!(p[a->nst] = sol__strdup(s)) ||
        sol__strmap_put(a->stmap, s, strlen(s), (int64_t)a->nst) != SOL_OK)
        return -1;
    *out = (uint32_t)a->nst++;
    return 0;
}

/* the observation under construction is complete: append it */
static int push_obs(dacc *a, double v, const char *status)
{
    if (a->nobs == a->cap) {
        size_t c = a->cap ? 2 * a->cap : 256;
        uint32_t *k = sol__realloc(a->key, c * 64 * sizeof *k);
        if (!k)
            return -1;
        a->key = k;
        double *x = sol__realloc(a->val, c * sizeof *x);
        if (!x)
            return -1;
        a->val = x;
        uint32_t *s = sol__realloc(a->st, c * sizeof *s);
        if (!s)
            return -1;
        a->st = s, a->cap = c;
    }
    memcpy(a->key + a->nobs * 64, a->cur, sizeof a->cur);
    a->val[a->nobs] = v;
    a->st[a->nobs] = UINT32_MAX;
    if (status && status_index(a, status, &a->st[a->nobs]) != 0)
        return -1;
    a->nobs++;
    return 0;
}

static double num(const char *s)
{
    char *end = NULL;
    double v = s ? strtod(s, &end) : NAN;
    return s && end != s && *end == '\0' ? v : NAN;
}

void sol_sdmx_data_free(sol_sdmx_data *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->ndim; i++) {
        for (size_t k = 0; k < d->ncode[i]; k++)
            sol__free(d->code[i][k]);
        sol__free(d->code[i]), sol__free(d->dim_id[i]);
    }
    for (size_t i = 0; i < d->nstatus; i++)
        sol__free(d->status_code[i]);
    sol__free_n(8, d->structure, d->dim_id, d->ncode, d->code, d->key, d->value, d->status,
                d->status_code);
    sol__free(d);
}

int sol_sdmx_data_dim(const sol_sdmx_data *d, const char *id)
{
    for (size_t i = 0; i < d->ndim; i++)
        if (strcmp(d->dim_id[i], id) == 0)
            return (int)i;
    return -1;
}

static void dacc_free(dacc *a)
{
    for (size_t d = 0; d < a->ndim; d++) {
        for (size_t k = 0; k < a->dim[d].n; k++)
            sol__free(a->dim[d].code[k]);
        sol__free(a->dim[d].code), sol__free(a->dim[d].id);
        sol__strmap_free(a->dim[d].map);
    }
    for (size_t i = 0; i < a->nst; i++)
        sol__free(a->stc[i]);
    sol__free_n(4, a->key, a->val, a->st, a->stc);
    sol__strmap_free(a->stmap);
}

sol_status sol_sdmx_data_parse(const char *buf, size_t len, const char *name, sol_sdmx_format fmt,
                               sol_sdmx_data **out, sol_error *err)
{
    (void)fmt;
    perr pe = {{0}, 0};
    dacc a;
    memset(&a, 0, sizeof a);
    sol_sdmx_data *d = NULL;
    char *structure = NULL, *obs_time = NULL, *obs_status = NULL;
    double obs_val = NAN;
    int in_obs = 0, generic = -1, in_series_key = 0, in_obs_attr = 0;
    if (!(a.stmap = sol__strmap_new(8)))
        return sol__err(err, SOL_ENOMEM, "out of memory");
    xmlTextReaderPtr r = open_reader(buf, len, name, &pe);
    sol_status rc = SOL_ENOMEM;
    if (!r)
        goto fail;
    int ret;
    while ((ret = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        const char *ln = local(xmlTextReaderConstName(r));
        if (type == XML_READER_TYPE_END_ELEMENT) {
            if (strcmp(ln, "Obs") == 0 && in_obs) {
                if (set_dim(&a, "TIME_PERIOD", obs_time ? obs_time : "") != 0 ||
                    push_obs(&a, obs_val, obs_status) != 0)
                    goto fail;
                in_obs = 0;
            } else if (strcmp(ln, "SeriesKey") == 0) {
                in_series_key = 0;
            } else if (strcmp(ln, "Attributes") == 0) {
                in_obs_attr = 0;
            }
            continue;
        }
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        int empty = xmlTextReaderIsEmptyElement(r);
        if (generic < 0) {
            if (strcmp(ln, "GenericData") == 0)
                generic = 1;
            else if (strcmp(ln, "StructureSpecificData") == 0)
                generic = 0;
            else {
                rc = sol__err_at(err, SOL_EPARSE, name, 1, 0,
                                 "not an SDMX-ML data message (root element %s)", ln);
                goto fail;
            }
            continue;
        }
        if (strcmp(ln, "Ref") == 0 && !structure) {
            structure = attr(r, "id");
        } else if (generic) {
            if (strcmp(ln, "SeriesKey") == 0) {
                in_series_key = !empty;
            } else if (strcmp(ln, "Attributes") == 0 && in_obs) {
                in_obs_attr = !empty;
            } else if (strcmp(ln, "Value") == 0 && (in_series_key || in_obs_attr)) {
                char *id = attr(r, "id"), *v = attr(r, "value");
                int bad = !id || !v;
                if (!bad && in_series_key)
                    bad = set_dim(&a, id, v) != 0;
                else if (!bad && strcmp(id, "OBS_STATUS") == 0) {
                    sol__free(obs_status);
                    obs_status = v, v = NULL;
                }
                sol__free(id), sol__free(v);
                if (bad)
                    goto fail;
            } else if (strcmp(ln, "Obs") == 0) {
                in_obs = 1, obs_val = NAN;
                sol__free(obs_time), sol__free(obs_status);
                obs_time = obs_status = NULL;
            } else if (strcmp(ln, "ObsDimension") == 0) {
                sol__free(obs_time);
                obs_time = attr(r, "value");
            } else if (strcmp(ln, "ObsValue") == 0) {
                char *v = attr(r, "value");
                obs_val = num(v);
                sol__free(v);
            }
        } else if (strcmp(ln, "Series") == 0 || strcmp(ln, "Obs") == 0) {
            int is_obs = strcmp(ln, "Obs") == 0;
            char *status = NULL, *time = NULL;
            double v = NAN;
            while (xmlTextReaderMoveToNextAttribute(r) == 1) {
                const char *an = (const char *)xmlTextReaderConstName(r);
                const char *av = (const char *)xmlTextReaderConstValue(r);
                if (strchr(an, ':') || strcmp(an, "xmlns") == 0)
                    continue;
                if (is_obs && strcmp(an, "OBS_VALUE") == 0)
                    v = num(av);
                else if (is_obs && strcmp(an, "OBS_STATUS") == 0)
                    status = sol__strdup(av);
                else if (is_obs && strcmp(an, "TIME_PERIOD") == 0)
                    time = sol__strdup(av);
                else if (!is_obs && isupper((unsigned char)an[0]) && set_dim(&a, an, av) != 0)
                    goto fail;
            }
            if (is_obs) {
                int bad = set_dim(&a, "TIME_PERIOD", time ? time : "") != 0 ||
                          push_obs(&a, v, status) != 0;
                sol__free(status), sol__free(time);
                if (bad)
                    goto fail;
            }
        }
    }
    if (ret < 0 || pe.msg[0] || generic < 0) {
        if (generic < 0 && !pe.msg[0])
            snprintf(pe.msg, sizeof pe.msg, "empty document");
        rc = fail_parse(err, name, &pe, xmlTextReaderGetParserLineNumber(r));
        goto fail;
    }
    /* columns: every observation holds a slot for each dimension; a dimension first seen after
     * some observations (never, in valid messages) stays at code 0 */
    if (!(d = sol__calloc(1, sizeof *d)))
        goto fail;
    d->format = generic ? SOL_SDMX_ML_GENERIC : SOL_SDMX_ML_SPECIFIC;
    d->structure = structure, structure = NULL;
    d->ndim = a.ndim;
    d->time_dim = -1;
    if (!(d->dim_id = sol__calloc(a.ndim + 1, sizeof *d->dim_id)) ||
        !(d->ncode = sol__calloc(a.ndim + 1, sizeof *d->ncode)) ||
        !(d->code = sol__calloc(a.ndim + 1, sizeof *d->code)) ||
        !(d->key = sol__malloc((a.nobs * a.ndim + 1) * sizeof *d->key)))
        goto fail;
    for (size_t i = 0; i < a.ndim; i++) {
        d->dim_id[i] = a.dim[i].id, a.dim[i].id = NULL;
        d->ncode[i] = a.dim[i].n, a.dim[i].n = 0;
        d->code[i] = a.dim[i].code, a.dim[i].code = NULL;
        if (strcmp(d->dim_id[i], "TIME_PERIOD") == 0)
            d->time_dim = (int)i;
    }
    for (size_t o = 0; o < a.nobs; o++)
        for (size_t i = 0; i < a.ndim; i++)
            d->key[o * a.ndim + i] = a.key[o * 64 + i];
    d->nobs = a.nobs;
    d->value = a.val, a.val = NULL;
    d->status = a.st, a.st = NULL;
    d->nstatus = a.nst, a.nst = 0;
    d->status_code = a.stc, a.stc = NULL;
    xmlFreeTextReader(r);
    dacc_free(&a);
    sol__free(obs_time), sol__free(obs_status);
    *out = d;
    return SOL_OK;
fail:
    if (rc == SOL_ENOMEM)
        sol__err(err, SOL_ENOMEM, "out of memory");
    xmlFreeTextReader(r);
    dacc_free(&a);
    sol__free(structure), sol__free(obs_time), sol__free(obs_status);
    sol_sdmx_data_free(d);
    return rc;
}

/* ---- structures ---------------------------------------------------------------------------- */

static void names_free(sol_sdmx_names *n)
{
    for (int i = 0; i < SOL_LANG_COUNT; i++)
        sol__free(n->text[i]);
    sol__free(n->any);
}

void sol_sdmx_structure_free(sol_sdmx_structure *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->ndataflow; i++) {
        sol_sdmx_dataflow *f = &s->dataflow[i];
        sol__free_n(4, f->agency, f->id, f->version, f->dsd);
        names_free(&f->name);
    }
    for (size_t i = 0; i < s->ndsd; i++) {
        sol_sdmx_dsd *x = &s->dsd[i];
        for (size_t k = 0; k < x->ndim; k++)
            sol__free_n(3, x->dim[k].id, x->dim[k].codelist, x->dim[k].concept);
        sol__free_n(4, x->agency, x->id, x->version, x->dim);
        names_free(&x->name);
    }
    for (size_t i = 0; i < s->ncodelist; i++) {
        sol_sdmx_codelist *c = &s->codelist[i];
        for (size_t k = 0; k < c->ncode; k++) {
            sol__free_n(2, c->code[k].id, c->code[k].parent);
            names_free(&c->code[k].name);
        }
        sol__free_n(4, c->agency, c->id, c->version, c->code);
        names_free(&c->name);
    }
    sol__free_n(4, s->dataflow, s->dsd, s->codelist, s);
}

static void *grow(void *p, size_t n, size_t size)
{
    void *q = sol__realloc(p, (n + 1) * size);
    if (q)
        memset((char *)q + n * size, 0, size);
    return q;
}

sol_status sol_sdmx_structure_parse(const char *buf, size_t len, const char *name,
                                    sol_sdmx_structure **out, sol_error *err)
{
    perr pe = {{0}, 0};
    sol_sdmx_structure *s = sol__calloc(1, sizeof *s);
    xmlTextReaderPtr r = s ? open_reader(buf, len, name, &pe) : NULL;
    sol_status rc = SOL_ENOMEM;
    sol_sdmx_names *names = NULL; /* whose Name elements are read now */
    int ctx = 0; /* 1 dataflow, 2 dsd, 3 codelist, 4 code, 5 dimension, 6 structure ref,
                    7 enumeration, 8 concept identity */
    int root = 0, ret, in_dimlist = 0;
    if (!r)
        goto fail;
    while ((ret = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        const char *ln = local(xmlTextReaderConstName(r));
        if (type == XML_READER_TYPE_END_ELEMENT) {
            if (strcmp(ln, "Dataflow") == 0 || strcmp(ln, "DataStructure") == 0 ||
                strcmp(ln, "Codelist") == 0)
                ctx = 0, names = NULL;
            else if (strcmp(ln, "Code") == 0)
                ctx = 3, names = NULL;
            else if ((strcmp(ln, "Dimension") == 0 || strcmp(ln, "TimeDimension") == 0) &&
                     in_dimlist)
                ctx = 2;
            else if (strcmp(ln, "DimensionList") == 0)
                in_dimlist = 0;
            else if (strcmp(ln, "Structure") == 0 && ctx == 6)
                ctx = 1;
            else if ((strcmp(ln, "Enumeration") == 0 && ctx == 7) ||
                     (strcmp(ln, "ConceptIdentity") == 0 && ctx == 8))
                ctx = 5;
            continue;
        }
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        int empty = xmlTextReaderIsEmptyElement(r);
        if (!root) {
            root = 1;
            if (strcmp(ln, "Structure") != 0) {
                rc = sol__err_at(err, SOL_EPARSE, name, 1, 0,
                                 "not an SDMX-ML structure message (root element %s)", ln);
                goto fail;
            }
            continue;
        }
        if (strcmp(ln, "DimensionList") == 0)
            in_dimlist = !empty;
        if (strcmp(ln, "Dataflow") == 0 && ctx == 0) {
            if (!(s->dataflow = grow(s->dataflow, s->ndataflow, sizeof *s->dataflow)))
                goto fail;
            sol_sdmx_dataflow *f = &s->dataflow[s->ndataflow++];
            f->id = attr(r, "id"), f->agency = attr(r, "agencyID"), f->version = attr(r, "version");
            names = &f->name, ctx = empty ? 0 : 1;
        } else if (strcmp(ln, "DataStructure") == 0 && ctx == 0) {
            if (!(s->dsd = grow(s->dsd, s->ndsd, sizeof *s->dsd)))
                goto fail;
            sol_sdmx_dsd *x = &s->dsd[s->ndsd++];
            x->id = attr(r, "id"), x->agency = attr(r, "agencyID"), x->version = attr(r, "version");
            names = &x->name, ctx = empty ? 0 : 2;
        } else if (strcmp(ln, "Codelist") == 0 && ctx == 0) {
            if (!(s->codelist = grow(s->codelist, s->ncodelist, sizeof *s->codelist)))
                goto fail;
            sol_sdmx_codelist *c = &s->codelist[s->ncodelist++];
            c->id = attr(r, "id"), c->agency = attr(r, "agencyID"), c->version = attr(r, "version");
            names = &c->name, ctx = empty ? 0 : 3;
        } else if (strcmp(ln, "Code") == 0 && ctx == 3) {
            sol_sdmx_codelist *c = &s->codelist[s->ncodelist - 1];
            if (!(c->code = grow(c->code, c->ncode, sizeof *c->code)))
                goto fail;
            sol_sdmx_code *k = &c->code[c->ncode++];
            k->id = attr(r, "id");
            names = &k->name, ctx = empty ? 3 : 4;
        } else if (strcmp(ln, "Name") == 0 && names && !empty && ctx != 5) {
            char *lang = (char *)xmlTextReaderXmlLang(r);
            char *text = (char *)xmlTextReaderReadString(r);
            sol_lang l;
            if (text && lang && sol_lang_parse(lang, &l, NULL) == SOL_OK && !names->text[l])
                names->text[l] = sol__strdup(text);
            if (text && !names->any)
                names->any = sol__strdup(text);
            xmlFree(lang), xmlFree(text);
        } else if ((strcmp(ln, "Dimension") == 0 || strcmp(ln, "TimeDimension") == 0) && ctx == 2 &&
                   in_dimlist) {
            sol_sdmx_dsd *x = &s->dsd[s->ndsd - 1];
            if (!(x->dim = grow(x->dim, x->ndim, sizeof *x->dim)))
                goto fail;
            sol_sdmx_dimension *dm = &x->dim[x->ndim++];
            dm->id = attr(r, "id");
            dm->is_time = ln[0] == 'T';
            char *pos = attr(r, "position");
            dm->position = dm->is_time ? 0 : pos ? (int)strtol(pos, NULL, 10) : (int)x->ndim;
            sol__free(pos);
            ctx = empty ? 2 : 5;
        } else if (strcmp(ln, "Structure") == 0 && ctx == 1) {
            ctx = 6;
        } else if (strcmp(ln, "Enumeration") == 0 && ctx == 5) {
            ctx = 7;
        } else if (strcmp(ln, "ConceptIdentity") == 0 && ctx == 5) {
            ctx = 8;
        } else if (strcmp(ln, "Ref") == 0 && ctx >= 6) {
            if (ctx == 6)
                s->dataflow[s->ndataflow - 1].dsd = attr(r, "id");
            else {
                sol_sdmx_dsd *x = &s->dsd[s->ndsd - 1];
                char **f = ctx == 7 ? &x->dim[x->ndim - 1].codelist : &x->dim[x->ndim - 1].concept;
                if (!*f)
                    *f = attr(r, "id");
            }
        } else if (strcmp(ln, "Parent") == 0 && ctx == 4) {
            /* Parent/Ref id read below */
        }
    }
    if (ret < 0 || pe.msg[0] || !root) {
        if (!root && !pe.msg[0])
            snprintf(pe.msg, sizeof pe.msg, "empty document");
        rc = fail_parse(err, name, &pe, xmlTextReaderGetParserLineNumber(r));
        goto fail;
    }
    xmlFreeTextReader(r);
    *out = s;
    return SOL_OK;
fail:
    if (rc == SOL_ENOMEM)
        sol__err(err, SOL_ENOMEM, "out of memory");
    xmlFreeTextReader(r);
    sol_sdmx_structure_free(s);
    return rc;
}

const sol_sdmx_codelist *sol_sdmx_codelist_find(const sol_sdmx_structure *s, const char *id)
{
    for (size_t i = 0; id && i < s->ncodelist; i++)
        if (s->codelist[i].id && strcmp(s->codelist[i].id, id) == 0)
            return &s->codelist[i];
    return NULL;
}

const sol_sdmx_dsd *sol_sdmx_dsd_find(const sol_sdmx_structure *s, const char *id)
{
    for (size_t i = 0; id && i < s->ndsd; i++)
        if (s->dsd[i].id && strcmp(s->dsd[i].id, id) == 0)
            return &s->dsd[i];
    return NULL;
}

const sol_sdmx_dataflow *sol_sdmx_dataflow_find(const sol_sdmx_structure *s, const char *id)
{
    for (size_t i = 0; id && i < s->ndataflow; i++)
        if (s->dataflow[i].id && strcmp(s->dataflow[i].id, id) == 0)
            return &s->dataflow[i];
    return NULL;
}

const sol_sdmx_code *sol_sdmx_code_find(const sol_sdmx_codelist *cl, const char *id)
{
    for (size_t i = 0; cl && id && i < cl->ncode; i++)
        if (strcmp(cl->code[i].id, id) == 0)
            return &cl->code[i];
    return NULL;
}
