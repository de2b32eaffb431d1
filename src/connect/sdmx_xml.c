/* sdmx_xml.c - SDMX-ML data messages (2.1 generic, 2.1 and 3.0 structure-specific) read with
 * libxml2's streaming xmlTextReader: no DOM, no network, no external entities. */
#include "sdmx_int.h"

#include <libxml/xmlreader.h>

#include <limits.h>
#include <math.h>
#include <string.h>

void sol__sdmx_xml_error(void *arg, void *xmlerror)
{
    sdmx_xmlerr *e = arg;
    const xmlError *x = xmlerror;
    if (e->set || x == NULL || x->level < XML_ERR_ERROR)
        return;
    e->set = 1;
    e->line = x->line > 0 ? (unsigned long)x->line : 0;
    e->col = x->int2 > 0 ? (unsigned long)x->int2 : 0;
    const char *m = x->message ? x->message : "unknown error";
    size_t n = strlen(m);
    while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' '))
        n--;
    if (n >= sizeof e->msg)
        n = sizeof e->msg - 1;
    memcpy(e->msg, m, n);
    e->msg[n] = '\0';
}

static void xml_structured(void *arg, xmlErrorPtr x)
{
    sol__sdmx_xml_error(arg, x);
}

typedef struct xr {
    sdmx_builder *b;
    xmlTextReaderPtr r;
    sol_error *err;
    int generic; /* root told: 1 generic, 0 structure-specific */
    int in_header, in_series_key, in_obs_key, in_attrs, in_obs, in_series;
    char obs_dim[SOL_SDMX_MAX_CODE + 1]; /* dimensionAtObservation, "" = TIME_PERIOD */
    uint32_t okey[SOL_SDMX_MAX_DIMS];
    double value;
    uint32_t status;
} xr;

static unsigned long line_of(const xr *x)
{
    int l = xmlTextReaderGetParserLineNumber(x->r);
    return l > 0 ? (unsigned long)l : 0;
}

static unsigned long col_of(const xr *x)
{
    int c = xmlTextReaderGetParserColumnNumber(x->r);
    return c > 0 ? (unsigned long)c : 0;
}

static int is(const xmlChar *name, const char *want)
{
    return name != NULL && strcmp((const char *)name, want) == 0;
}

static sol_status obs_begin(xr *x)
{
    sol_sdmx_data *D = x->b->d;
    memcpy(x->okey, x->b->cur, sizeof x->okey);
    (void)D;
    x->value = NAN;
    x->status = SOL_SDMX_NONE;
    return SOL_OK;
}

static sol_status obs_end(xr *x)
{
    return sol__sdmx_obs(x->b, x->okey, x->value, x->status, x->err, line_of(x), col_of(x));
}

/* Set okey (in an observation) or cur (in a series) for dimension id = value. */
static sol_status set_key(xr *x, const char *id, const char *v, int obs_level)
{
    sdmx_builder *b = x->b;
    int d;
    uint32_t c;
    size_t vn = strlen(v);
    sol_status rc = sol__sdmx_dim(b, id, strlen(id), &d, x->err, line_of(x), col_of(x));
    if (rc == SOL_OK)
        rc = sol__sdmx_code(b, d, v, vn, &c, x->err, line_of(x), col_of(x));
    if (rc != SOL_OK)
        return rc;
    if (obs_level)
        x->okey[d] = c;
    else
        b->cur[d] = c;
    return SOL_OK;
}

/* generic:Value id=".." value=".." inside a key or the attributes */
static sol_status generic_value(xr *x)
{
    xmlChar *id = xmlTextReaderGetAttribute(x->r, BAD_CAST "id");
    xmlChar *v = xmlTextReaderGetAttribute(x->r, BAD_CAST "value");
    sol_status rc = SOL_OK;
    if (id == NULL || v == NULL) {
        if (x->in_series_key || x->in_obs_key)
            rc = sol__err_at(x->err, SOL_EPARSE, x->b->name, line_of(x), col_of(x),
                             "a key value has no id or no value attribute");
        goto done;
    }
    if (x->in_series_key && !x->in_obs)
        rc = set_key(x, (const char *)id, (const char *)v, 0);
    else if (x->in_obs_key && x->in_obs)
        rc = set_key(x, (const char *)id, (const char *)v, 1);
    else if (x->in_attrs && x->in_obs && is(id, "OBS_STATUS"))
        rc = sol__sdmx_status(x->b, (const char *)v, strlen((const char *)v), &x->status, x->err,
                              line_of(x), col_of(x));
done:
    xmlFree(id);
    xmlFree(v);
    return rc;
}

static sol_status generic_element(xr *x, const xmlChar *ln)
{
    sol_status rc = SOL_OK;
    if (is(ln, "Series")) {
        for (size_t i = 0; i < SOL_SDMX_MAX_DIMS; i++)
            x->b->cur[i] = SOL_SDMX_NONE;
        x->in_series = 1;
    } else if (is(ln, "SeriesKey")) {
        x->in_series_key = 1;
    } else if (is(ln, "ObsKey")) {
        x->in_obs_key = 1;
    } else if (is(ln, "Attributes")) {
        x->in_attrs = 1;
    } else if (is(ln, "Obs")) {
        if (!x->in_series)
            for (size_t i = 0; i < SOL_SDMX_MAX_DIMS; i++)
                x->b->cur[i] = SOL_SDMX_NONE;
        rc = obs_begin(x);
        x->in_obs = 1;
    } else if (is(ln, "Value")) {
        rc = generic_value(x);
    } else if (is(ln, "ObsDimension") && x->in_obs) {
        xmlChar *id = xmlTextReaderGetAttribute(x->r, BAD_CAST "id");
        xmlChar *v = xmlTextReaderGetAttribute(x->r, BAD_CAST "value");
        const char *dim = id ? (const char *)id : x->obs_dim[0] ? x->obs_dim : "TIME_PERIOD";
        if (v == NULL)
            rc = sol__err_at(x->err, SOL_EPARSE, x->b->name, line_of(x), col_of(x),
                             "an ObsDimension has no value attribute");
        else
            rc = set_key(x, dim, (const char *)v, 1);
        xmlFree(id);
        xmlFree(v);
    } else if (is(ln, "ObsValue") && x->in_obs) {
        xmlChar *v = xmlTextReaderGetAttribute(x->r, BAD_CAST "value");
        if (v != NULL)
            rc = sol__sdmx_value(x->b, (const char *)v, strlen((const char *)v), 0, &x->value,
                                 x->err, line_of(x), col_of(x));
        xmlFree(v);
    }
    return rc;
}

static sol_status generic_end(xr *x, const xmlChar *ln)
{
    if (is(ln, "SeriesKey"))
        x->in_series_key = 0;
    else if (is(ln, "ObsKey"))
        x->in_obs_key = 0;
    else if (is(ln, "Attributes"))
        x->in_attrs = 0;
    else if (is(ln, "Series"))
        x->in_series = 0;
    else if (is(ln, "Obs") && x->in_obs) {
        x->in_obs = 0;
        return obs_end(x);
    }
    return SOL_OK;
}

/* Structure-specific: every attribute without a namespace is a component. */
static sol_status specific_element(xr *x, const xmlChar *ln)
{
    int series = is(ln, "Series"), obs = is(ln, "Obs");
    if (!series && !obs)
        return SOL_OK;
    sdmx_builder *b = x->b;
    sol_status rc = SOL_OK;
    if (series) {
        for (size_t i = 0; i < SOL_SDMX_MAX_DIMS; i++)
            b->cur[i] = SOL_SDMX_NONE;
        x->in_series = 1;
    } else {
        if (!x->in_series)
            for (size_t i = 0; i < SOL_SDMX_MAX_DIMS; i++)
                b->cur[i] = SOL_SDMX_NONE;
        obs_begin(x);
    }
    int empty = xmlTextReaderIsEmptyElement(x->r);
    char xsi_type[SOL_SDMX_MAX_CODE + 1] = "";
    while (rc == SOL_OK && xmlTextReaderMoveToNextAttribute(x->r) == 1) {
        const xmlChar *ns = xmlTextReaderConstNamespaceUri(x->r);
        if (ns != NULL) {
            /* explicit measures (SDMX 2.1): <Obs xsi:type="demo:TFRNSI"> gives the value of the
             * dimension at observation (DEMO) as a type name */
            const xmlChar *tl = xmlTextReaderConstLocalName(x->r);
            const xmlChar *tv = xmlTextReaderConstValue(x->r);
            if (obs && tv != NULL && is(tl, "type") &&
                is(ns, "http://www.w3.org/2001/XMLSchema-instance")) {
                const char *c = strchr((const char *)tv, ':');
                c = c ? c + 1 : (const char *)tv;
                size_t n = strlen(c);
                if (n <= SOL_SDMX_MAX_CODE)
                    memcpy(xsi_type, c, n + 1);
            }
            continue; /* xmlns, xsi:type, ... */
        }
        const char *name = (const char *)xmlTextReaderConstLocalName(x->r);
        const char *v = (const char *)xmlTextReaderConstValue(x->r);
        if (name == NULL || v == NULL)
            continue;
        size_t nn = strlen(name);
        if (obs && strcmp(name, "OBS_VALUE") == 0)
            rc = sol__sdmx_value(b, v, strlen(v), 0, &x->value, x->err, line_of(x), col_of(x));
        else if (obs && strcmp(name, "OBS_STATUS") == 0)
            rc = sol__sdmx_status(b, v, strlen(v), &x->status, x->err, line_of(x), col_of(x));
        else if (!sol__sdmx_is_attribute(b, name, nn))
            rc = set_key(x, name, v, obs);
    }
    xmlTextReaderMoveToElement(x->r);
    if (rc == SOL_OK && obs && xsi_type[0] && x->obs_dim[0] &&
        strcmp(x->obs_dim, "TIME_PERIOD") != 0) {
        int64_t d;
        if (!sol__strmap_get(b->dims, x->obs_dim, strlen(x->obs_dim), &d) ||
            x->okey[d] == SOL_SDMX_NONE)
            rc = set_key(x, x->obs_dim, xsi_type, 1);
    }
    if (rc == SOL_OK && obs) {
        if (empty)
            rc = obs_end(x);
        else
            x->in_obs = 1;
    }
    if (series && empty)
        x->in_series = 0;
    return rc;
}

static sol_status specific_end(xr *x, const xmlChar *ln)
{
    if (is(ln, "Series"))
        x->in_series = 0;
    else if (is(ln, "Obs") && x->in_obs) {
        x->in_obs = 0;
        return obs_end(x);
    }
    return SOL_OK;
}

static sol_status header_element(xr *x, const xmlChar *ln)
{
    if (is(ln, "Structure")) {
        xmlChar *a = xmlTextReaderGetAttribute(x->r, BAD_CAST "dimensionAtObservation");
        if (a != NULL && strlen((const char *)a) <= SOL_SDMX_MAX_CODE &&
            strcmp((const char *)a, "AllDimensions") != 0) {
            size_t n = strlen((const char *)a);
            memcpy(x->obs_dim, a, n + 1);
        }
        xmlFree(a);
    } else if ((is(ln, "StructureUsage") || is(ln, "Structure")) && x->b->d->structure == NULL &&
               !xmlTextReaderIsEmptyElement(x->r)) {
        /* SDMX-ML 3.0: the dataflow as a URN, "urn:...Dataflow=ECB:EXR(1.0)" */
        xmlChar *t = xmlTextReaderReadString(x->r);
        const char *p = t ? strstr((const char *)t, "urn:sdmx:") : NULL;
        const char *eq = p ? strchr(p, '=') : NULL;
        const char *colon = eq ? strchr(eq, ':') : NULL;
        if (colon != NULL) {
            size_t n = strcspn(colon + 1, "( \t\r\n");
            if (n > 0 && n <= SOL_SDMX_MAX_CODE &&
                (x->b->d->structure = sol__strndup(colon + 1, n)) == NULL) {
                xmlFree(t);
                return SOL_ENOMEM;
            }
        }
        xmlFree(t);
    }
    if (is(ln, "Ref") && x->b->d->structure == NULL) {
        xmlChar *id = xmlTextReaderGetAttribute(x->r, BAD_CAST "id");
        if (id != NULL) {
            x->b->d->structure = sol__strndup((const char *)id, strlen((const char *)id));
            xmlFree(id);
            if (x->b->d->structure == NULL)
                return SOL_ENOMEM;
        }
    }
    return SOL_OK;
}

sol_status sol__sdmx_parse_xml(sdmx_builder *b, const char *buf, size_t len, sol_error *err)
{
    if (len > INT_MAX)
        return sol__err_at(err, SOL_ELIMIT, b->name, 0, 0, "the XML message is too large");
    /* No XML_PARSE_NOENT (entities are not substituted), no DTD loading, no network, no
     * XML_PARSE_HUGE: libxml2's amplification limits stay on. */
    xmlTextReaderPtr r =
        xmlReaderForMemory(buf, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING);
    if (r == NULL)
        return SOL_ENOMEM;
    sdmx_xmlerr xe;
    memset(&xe, 0, sizeof xe);
    xmlTextReaderSetStructuredErrorHandler(r, xml_structured, &xe);
    xr x;
    memset(&x, 0, sizeof x);
    x.b = b;
    x.r = r;
    x.err = err;
    sol_status rc = SOL_OK;
    int root_seen = 0, ret;
    while ((ret = xmlTextReaderRead(r)) == 1) {
        int t = xmlTextReaderNodeType(r);
        if (t == XML_READER_TYPE_ELEMENT) {
            const xmlChar *ln = xmlTextReaderConstLocalName(r);
            if (!root_seen) {
                root_seen = 1;
                if (is(ln, "GenericData") || is(ln, "GenericTimeSeriesData")) {
                    x.generic = 1;
                    b->d->format = SOL_SDMX_ML_GENERIC;
                } else if (is(ln, "StructureSpecificData") ||
                           is(ln, "StructureSpecificTimeSeriesData")) {
                    b->d->format = SOL_SDMX_ML_SPECIFIC;
                } else if (is(ln, "Structure")) {
                    rc = sol__err_at(err, SOL_EPARSE, b->name, line_of(&x), col_of(&x),
                                     "this is an SDMX structure message, not data: read it as a "
                                     "structure (solidata sdmx structure)");
                    break;
                } else if (is(ln, "Error")) {
                    rc = sol__err_at(err, SOL_EPARSE, b->name, line_of(&x), col_of(&x),
                                     "the message is an SDMX error message from the provider, "
                                     "not data");
                    break;
                } else {
                    rc = sol__err_at(err, SOL_EPARSE, b->name, line_of(&x), col_of(&x),
                                     "the XML root element <%s> is not an SDMX data message "
                                     "(GenericData or StructureSpecificData)",
                                     ln ? (const char *)ln : "?");
                    break;
                }
                continue;
            }
            if (is(ln, "Header")) {
                x.in_header = !xmlTextReaderIsEmptyElement(r);
                continue;
            }
            if (x.in_header)
                rc = header_element(&x, ln);
            else if (x.generic)
                rc = generic_element(&x, ln);
            else
                rc = specific_element(&x, ln);
        } else if (t == XML_READER_TYPE_END_ELEMENT) {
            const xmlChar *ln = xmlTextReaderConstLocalName(r);
            if (is(ln, "Header"))
                x.in_header = 0;
            else if (x.in_header)
                continue;
            else if (x.generic)
                rc = generic_end(&x, ln);
            else
                rc = specific_end(&x, ln);
        }
        if (rc != SOL_OK)
            break;
    }
    if (rc == SOL_OK && (ret != 0 || xe.set)) {
        if (xe.set)
            rc = sol__err_at(err, SOL_EPARSE, b->name, xe.line, xe.col,
                             "the XML is not well formed: %s", xe.msg);
        else
            rc = sol__err_at(err, SOL_EPARSE, b->name, line_of(&x), col_of(&x),
                             "the XML is not well formed");
    }
    if (rc == SOL_OK && !root_seen)
        rc = sol__err_at(err, SOL_EPARSE, b->name, 0, 0, "the message holds no XML element");
    xmlFreeTextReader(r);
    return rc;
}
