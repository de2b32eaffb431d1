/* sdmx_structure.c - SDMX-ML 2.1 and 3.0 structure messages: dataflows, data structure
 * definitions (dimensions, codelists, concepts) and codelists with names in en/fr/it. */
#include <solidata/sdmx.h>

#include "sdmx_int.h"

#include <libxml/xmlreader.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

const char *sol_sdmx_name(const sol_sdmx_names *n, sol_lang lang)
{
    if (n == NULL)
        return NULL;
    if ((int)lang >= 0 && (int)lang < SOL_LANG_COUNT && n->text[lang] != NULL)
        return n->text[lang];
    if (n->text[SOL_LANG_EN] != NULL)
        return n->text[SOL_LANG_EN];
    return n->any;
}

static void names_clear(sol_sdmx_names *n)
{
    for (int i = 0; i < SOL_LANG_COUNT; i++)
        sol__free(n->text[i]);
    sol__free(n->any);
}

void sol_sdmx_structure_free(sol_sdmx_structure *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->ndataflow; i++) {
        sol_sdmx_dataflow *f = &s->dataflow[i];
        names_clear(&f->name);
        sol__free_n(4, f->agency, f->id, f->version, f->dsd);
    }
    for (size_t i = 0; i < s->ndsd; i++) {
        sol_sdmx_dsd *d = &s->dsd[i];
        names_clear(&d->name);
        for (size_t j = 0; j < d->ndim; j++)
            sol__free_n(3, d->dim[j].id, d->dim[j].codelist, d->dim[j].concept);
        sol__free_n(4, d->agency, d->id, d->version, d->dim);
    }
    for (size_t i = 0; i < s->ncodelist; i++) {
        sol_sdmx_codelist *c = &s->codelist[i];
        names_clear(&c->name);
        for (size_t j = 0; j < c->ncode; j++) {
            names_clear(&c->code[j].name);
            sol__free_n(2, c->code[j].id, c->code[j].parent);
        }
        sol__free_n(4, c->agency, c->id, c->version, c->code);
    }
    sol__free_n(4, s->dataflow, s->dsd, s->codelist, s);
}

const sol_sdmx_codelist *sol_sdmx_codelist_find(const sol_sdmx_structure *s, const char *id)
{
    for (size_t i = 0; s && id && i < s->ncodelist; i++)
        if (s->codelist[i].id && strcmp(s->codelist[i].id, id) == 0)
            return &s->codelist[i];
    return NULL;
}

const sol_sdmx_dsd *sol_sdmx_dsd_find(const sol_sdmx_structure *s, const char *id)
{
    for (size_t i = 0; s && id && i < s->ndsd; i++)
        if (s->dsd[i].id && strcmp(s->dsd[i].id, id) == 0)
            return &s->dsd[i];
    return NULL;
}

const sol_sdmx_dataflow *sol_sdmx_dataflow_find(const sol_sdmx_structure *s, const char *id)
{
    for (size_t i = 0; s && id && i < s->ndataflow; i++)
        if (s->dataflow[i].id && strcmp(s->dataflow[i].id, id) == 0)
            return &s->dataflow[i];
    return NULL;
}

const sol_sdmx_code *sol_sdmx_code_find(const sol_sdmx_codelist *cl, const char *id)
{
    for (size_t i = 0; cl && id && i < cl->ncode; i++)
        if (cl->code[i].id && strcmp(cl->code[i].id, id) == 0)
            return &cl->code[i];
    return NULL;
}

/* ---- reader ------------------------------------------------------------------------------ */

typedef struct sx {
    xmlTextReaderPtr r;
    sol_sdmx_structure *s;
    const char *name;
    sol_error *err;
    size_t adf, adsd, acl, acode, adim; /* allocated counts */
    /* the object being read and the depth of its element (0 = none) */
    int df_depth, dsd_depth, cl_depth, code_depth, dim_depth;
    int concept_depth, enum_depth, dfstruct_depth, parent_depth, dimlist_depth;
    size_t items;
} sx;

static unsigned long sx_line(const sx *x)
{
    int l = xmlTextReaderGetParserLineNumber(x->r);
    return l > 0 ? (unsigned long)l : 0;
}

static unsigned long sx_col(const sx *x)
{
    int c = xmlTextReaderGetParserColumnNumber(x->r);
    return c > 0 ? (unsigned long)c : 0;
}

static int is(const xmlChar *name, const char *want)
{
    return name != NULL && strcmp((const char *)name, want) == 0;
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
    memset((char *)q + *alloc * elem, 0, (n - *alloc) * elem);
    *p = q;
    *alloc = n;
    return SOL_OK;
}

/* A copy of attribute `a`, NULL when absent; SOL_ELIMIT when longer than SOL_SDMX_MAX_CODE. */
static sol_status attr(sx *x, const char *a, char **out)
{
    *out = NULL;
    xmlChar *v = xmlTextReaderGetAttribute(x->r, BAD_CAST a);
    if (v == NULL)
        return SOL_OK;
    size_t n = strlen((const char *)v);
    if (n > SOL_SDMX_MAX_CODE) {
        xmlFree(v);
        return sol__err_at(x->err, SOL_ELIMIT, x->name, sx_line(x), sx_col(x),
                           "the %s '%.40s...' is longer than %u bytes", a, (const char *)v,
                           SOL_SDMX_MAX_CODE);
    }
    *out = sol__strndup((const char *)v, n);
    xmlFree(v);
    return *out ? SOL_OK : SOL_ENOMEM;
}

static sol_status maintainable(sx *x, char **agency, char **id, char **version)
{
    sol_status rc;
    if ((rc = attr(x, "agencyID", agency)) != SOL_OK || (rc = attr(x, "id", id)) != SOL_OK ||
        (rc = attr(x, "version", version)) != SOL_OK)
        return rc;
    if (*id == NULL)
        return sol__err_at(x->err, SOL_EPARSE, x->name, sx_line(x), sx_col(x),
                           "a dataflow, structure or codelist has no id");
    return SOL_OK;
}

static sol_status count_item(sx *x)
{
    if (++x->items > SOL_SDMX_MAX_ITEMS)
        return sol__err_at(x->err, SOL_ELIMIT, x->name, sx_line(x), sx_col(x),
                           "the structure message has more than %u items", SOL_SDMX_MAX_ITEMS);
    return SOL_OK;
}

static sol_sdmx_names *names_target(sx *x, int depth)
{
    sol_sdmx_structure *s = x->s;
    if (x->code_depth && depth == x->code_depth + 1)
        return &s->codelist[s->ncodelist - 1].code[s->codelist[s->ncodelist - 1].ncode - 1].name;
    if (x->cl_depth && !x->code_depth && depth == x->cl_depth + 1)
        return &s->codelist[s->ncodelist - 1].name;
    if (x->dsd_depth && !x->dim_depth && depth == x->dsd_depth + 1)
        return &s->dsd[s->ndsd - 1].name;
    if (x->df_depth && depth == x->df_depth + 1)
        return &s->dataflow[s->ndataflow - 1].name;
    return NULL;
}

static sol_status read_name(sx *x, sol_sdmx_names *n)
{
    xmlChar *raw = xmlTextReaderReadString(x->r);
    if (raw == NULL)
        return SOL_OK;
    const xmlChar *t = raw;
    while (*t == ' ' || *t == '\t' || *t == '\r' || *t == '\n')
        t++;
    size_t len = strlen((const char *)t);
    while (len > 0 &&
           (t[len - 1] == ' ' || t[len - 1] == '\t' || t[len - 1] == '\r' || t[len - 1] == '\n'))
        len--;
    if (len > SOL_SDMX_MAX_NAME) {
        xmlFree(raw);
        return sol__err_at(x->err, SOL_ELIMIT, x->name, sx_line(x), sx_col(x),
                           "a name is longer than %u bytes", SOL_SDMX_MAX_NAME);
    }
    const xmlChar *lang = xmlTextReaderConstXmlLang(x->r);
    int l = -1;
    if (lang != NULL && (lang[0] == 'e' || lang[0] == 'f' || lang[0] == 'i') &&
        (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_')) {
        if (lang[0] == 'e' && lang[1] == 'n')
            l = SOL_LANG_EN;
        else if (lang[0] == 'f' && lang[1] == 'r')
            l = SOL_LANG_FR;
        else if (lang[0] == 'i' && lang[1] == 't')
            l = SOL_LANG_IT;
    }
    sol_status rc = SOL_OK;
    if (n->any == NULL && (n->any = sol__strndup((const char *)t, len)) == NULL)
        rc = SOL_ENOMEM;
    if (rc == SOL_OK && l >= 0 && n->text[l] == NULL &&
        (n->text[l] = sol__strndup((const char *)t, len)) == NULL)
        rc = SOL_ENOMEM;
    xmlFree(raw);
    return rc;
}

/* The id in an SDMX 3.0 URN: "...Codelist=IT1:CL_FREQ(1.0)" gives CL_FREQ, "...Concept=ECB:
 * ECB_CONCEPTS(1.0).FREQ" gives FREQ. NULL when the text is not a URN. */
static char *urn_id(const char *t)
{
    const char *eq = strchr(t, '=');
    if (eq == NULL)
        return NULL;
    const char *close = strchr(eq, ')');
    if (close != NULL && close[1] == '.') {
        const char *e = close + 2;
        size_t n = strcspn(e, " \t\r\n");
        return n && n <= SOL_SDMX_MAX_CODE ? sol__strndup(e, n) : NULL;
    }
    const char *colon = strchr(eq, ':');
    const char *b = colon ? colon + 1 : eq + 1;
    size_t n = strcspn(b, "( \t\r\n");
    return n && n <= SOL_SDMX_MAX_CODE ? sol__strndup(b, n) : NULL;
}

/* Where a Ref (2.1) or a URN text (3.0) goes. */
static char **ref_target(sx *x)
{
    sol_sdmx_structure *s = x->s;
    if (x->parent_depth && x->code_depth) {
        sol_sdmx_codelist *cl = &s->codelist[s->ncodelist - 1];
        return &cl->code[cl->ncode - 1].parent;
    }
    if (x->dim_depth && x->enum_depth) {
        sol_sdmx_dsd *d = &s->dsd[s->ndsd - 1];
        return &d->dim[d->ndim - 1].codelist;
    }
    if (x->dim_depth && x->concept_depth) {
        sol_sdmx_dsd *d = &s->dsd[s->ndsd - 1];
        return &d->dim[d->ndim - 1].concept;
    }
    if (x->df_depth && x->dfstruct_depth)
        return &s->dataflow[s->ndataflow - 1].dsd;
    return NULL;
}

static sol_status urn_text(sx *x)
{
    char **t = ref_target(x);
    if (t == NULL || *t != NULL || xmlTextReaderIsEmptyElement(x->r))
        return SOL_OK;
    xmlChar *txt = xmlTextReaderReadString(x->r);
    if (txt == NULL)
        return SOL_OK;
    const char *p = (const char *)txt;
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    if (strncmp(p, "urn:", 4) == 0)
        *t = urn_id(p);
    else if (*p != '\0' && *p != '<' && x->parent_depth) {
        size_t n = strcspn(p, " \t\r\n");
        if (n <= SOL_SDMX_MAX_CODE)
            *t = sol__strndup(p, n);
    }
    xmlFree(txt);
    return SOL_OK;
}

static sol_status element(sx *x, const xmlChar *ln, int depth)
{
    sol_sdmx_structure *s = x->s;
    sol_status rc = SOL_OK;
    int empty = xmlTextReaderIsEmptyElement(x->r);
    if (is(ln, "Dataflow") && !x->df_depth && !x->dsd_depth && !x->cl_depth) {
        if ((rc = count_item(x)) != SOL_OK ||
            (rc = grow((void **)&s->dataflow, &x->adf, s->ndataflow + 1, sizeof *s->dataflow)))
            return rc;
        sol_sdmx_dataflow *f = &s->dataflow[s->ndataflow++];
        rc = maintainable(x, &f->agency, &f->id, &f->version);
        if (!empty)
            x->df_depth = depth;
    } else if (is(ln, "DataStructure") && !x->df_depth && !x->dsd_depth && !x->cl_depth) {
        if ((rc = count_item(x)) != SOL_OK ||
            (rc = grow((void **)&s->dsd, &x->adsd, s->ndsd + 1, sizeof *s->dsd)))
            return rc;
        sol_sdmx_dsd *d = &s->dsd[s->ndsd++];
        x->adim = 0;
        rc = maintainable(x, &d->agency, &d->id, &d->version);
        if (!empty)
            x->dsd_depth = depth;
    } else if (is(ln, "Codelist") && !x->df_depth && !x->dsd_depth && !x->cl_depth) {
        if ((rc = count_item(x)) != SOL_OK ||
            (rc = grow((void **)&s->codelist, &x->acl, s->ncodelist + 1, sizeof *s->codelist)))
            return rc;
        sol_sdmx_codelist *c = &s->codelist[s->ncodelist++];
        x->acode = 0;
        rc = maintainable(x, &c->agency, &c->id, &c->version);
        if (!empty)
            x->cl_depth = depth;
    } else if (is(ln, "Code") && x->cl_depth && !x->code_depth) {
        sol_sdmx_codelist *c = &s->codelist[s->ncodelist - 1];
        if ((rc = count_item(x)) != SOL_OK ||
            (rc = grow((void **)&c->code, &x->acode, c->ncode + 1, sizeof *c->code)))
            return rc;
        sol_sdmx_code *k = &c->code[c->ncode++];
        if ((rc = attr(x, "id", &k->id)) != SOL_OK)
            return rc;
        if (k->id == NULL)
            return sol__err_at(x->err, SOL_EPARSE, x->name, sx_line(x), sx_col(x),
                               "a code of codelist %s has no id", c->id);
        if ((rc = attr(x, "parentCode", &k->parent)) != SOL_OK) /* SDMX 2.0 */
            return rc;
        if (!empty)
            x->code_depth = depth;
    } else if ((is(ln, "Dimension") || is(ln, "TimeDimension") || is(ln, "MeasureDimension")) &&
               x->dimlist_depth && depth == x->dimlist_depth + 1 && !x->dim_depth) {
        sol_sdmx_dsd *d = &s->dsd[s->ndsd - 1];
        if (d->ndim >= SOL_SDMX_MAX_DIMS)
            return sol__err_at(x->err, SOL_ELIMIT, x->name, sx_line(x), sx_col(x),
                               "structure %s has more than %u dimensions", d->id,
                               SOL_SDMX_MAX_DIMS);
        if ((rc = grow((void **)&d->dim, &x->adim, d->ndim + 1, sizeof *d->dim)) != SOL_OK)
            return rc;
        sol_sdmx_dimension *m = &d->dim[d->ndim++];
        char *pos = NULL;
        if ((rc = attr(x, "id", &m->id)) != SOL_OK || (rc = attr(x, "position", &pos)) != SOL_OK)
            return rc;
        m->is_time = is(ln, "TimeDimension");
        long pv = pos ? strtol(pos, NULL, 10) : (long)d->ndim;
        m->position = pv > 0 && pv <= INT_MAX ? (int)pv : (int)d->ndim;
        sol__free(pos);
        if (!empty)
            x->dim_depth = depth;
    } else if (is(ln, "DimensionList") && x->dsd_depth && !empty) {
        x->dimlist_depth = depth;
    } else if (is(ln, "Name") && !x->dim_depth) {
        sol_sdmx_names *n = names_target(x, depth);
        if (n != NULL && !empty)
            rc = read_name(x, n);
    } else if (is(ln, "ConceptIdentity") && x->dim_depth) {
        x->concept_depth = empty ? 0 : depth;
        rc = urn_text(x);
    } else if (is(ln, "Enumeration") && x->dim_depth) {
        x->enum_depth = empty ? 0 : depth;
        rc = urn_text(x);
    } else if (is(ln, "Structure") && x->df_depth && depth == x->df_depth + 1) {
        x->dfstruct_depth = empty ? 0 : depth;
        rc = urn_text(x);
    } else if (is(ln, "Parent") && x->code_depth) {
        x->parent_depth = empty ? 0 : depth;
        rc = urn_text(x);
    } else if (is(ln, "Ref")) {
        char **t = ref_target(x);
        if (t != NULL && *t == NULL)
            rc = attr(x, "id", t);
    }
    return rc;
}

static void end_element(sx *x, int depth)
{
    int *d[] = {&x->df_depth,     &x->dsd_depth,     &x->cl_depth,   &x->code_depth,
                &x->dim_depth,    &x->concept_depth, &x->enum_depth, &x->dfstruct_depth,
                &x->parent_depth, &x->dimlist_depth};
    for (size_t i = 0; i < sizeof d / sizeof *d; i++)
        if (*d[i] == depth)
            *d[i] = 0;
}

static int dim_order(const void *a, const void *b)
{
    const sol_sdmx_dimension *x = a, *y = b;
    if (x->is_time != y->is_time)
        return x->is_time - y->is_time;
    return (x->position > y->position) - (x->position < y->position);
}

sol_status sol_sdmx_structure_parse(const char *buf, size_t len, const char *name,
                                    sol_sdmx_structure **out, sol_error *err)
{
    if (buf == NULL || out == NULL)
        return sol__err(err, SOL_EINVAL, "no SDMX message given");
    if (name == NULL)
        name = "";
    if (len > INT_MAX || len > SOL_SDMX_MAX_MESSAGE)
        return sol__err_at(err, SOL_ELIMIT, name, 0, 0, "the message is larger than %u bytes",
                           SOL_SDMX_MAX_MESSAGE);
    size_t i = 0;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
        i++;
    if (i < len && buf[i] == '{')
        return sol__err_at(err, SOL_EPARSE, name, 1, 1,
                           "SDMX-JSON structure messages are not read; ask the provider for "
                           "SDMX-ML (XML)");
    sx x;
    memset(&x, 0, sizeof x);
    x.name = name;
    x.err = err;
    x.s = sol__calloc(1, sizeof *x.s);
    if (x.s == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory while reading the SDMX message");
    x.r = xmlReaderForMemory(buf, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING);
    if (x.r == NULL) {
        sol_sdmx_structure_free(x.s);
        return sol__err(err, SOL_ENOMEM, "out of memory while reading the SDMX message");
    }
    sdmx_xmlerr xe;
    memset(&xe, 0, sizeof xe);
    xmlTextReaderSetStructuredErrorHandler(x.r, (xmlStructuredErrorFunc)sol__sdmx_xml_error, &xe);
    sol_status rc = SOL_OK;
    int ret, root = 0;
    while ((ret = xmlTextReaderRead(x.r)) == 1) {
        int t = xmlTextReaderNodeType(x.r);
        int depth = xmlTextReaderDepth(x.r) + 1;
        if (t == XML_READER_TYPE_ELEMENT) {
            const xmlChar *ln = xmlTextReaderConstLocalName(x.r);
            if (!root) {
                root = 1;
                if (!is(ln, "Structure")) {
                    rc = sol__err_at(err, SOL_EPARSE, name, sx_line(&x), sx_col(&x),
                                     "the XML root element <%s> is not an SDMX structure "
                                     "message (Structure)",
                                     ln ? (const char *)ln : "?");
                    break;
                }
                continue;
            }
            rc = element(&x, ln, depth);
        } else if (t == XML_READER_TYPE_END_ELEMENT) {
            end_element(&x, depth);
        }
        if (rc != SOL_OK)
            break;
    }
    if (rc == SOL_OK && (ret != 0 || xe.set))
        rc = sol__err_at(err, SOL_EPARSE, name, xe.line, xe.col, "the XML is not well formed: %s",
                         xe.set ? xe.msg : "unknown error");
    if (rc == SOL_OK && !root)
        rc = sol__err_at(err, SOL_EPARSE, name, 0, 0, "the message holds no XML element");
    xmlFreeTextReader(x.r);
    if (rc != SOL_OK) {
        if (rc == SOL_ENOMEM)
            sol__err(err, SOL_ENOMEM, "out of memory while reading the SDMX message");
        sol_sdmx_structure_free(x.s);
        return rc;
    }
    for (size_t k = 0; k < x.s->ndsd; k++) {
        sol_sdmx_dsd *d = &x.s->dsd[k];
        if (d->ndim > 1)
            qsort(d->dim, d->ndim, sizeof *d->dim, dim_order);
        for (size_t j = 0; j < d->ndim; j++) {
            if (d->dim[j].is_time)
                d->dim[j].position = 0;
            if (d->dim[j].id == NULL && d->dim[j].concept != NULL &&
                (d->dim[j].id = sol__strdup(d->dim[j].concept)) == NULL) {
                sol_sdmx_structure_free(x.s);
                return sol__err(err, SOL_ENOMEM, "out of memory while reading the SDMX message");
            }
        }
    }
    *out = x.s;
    return SOL_OK;
}
