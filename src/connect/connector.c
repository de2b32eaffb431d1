/* connector.c - SDMX connectors: discovery (dataflows, structure), `connect add` (the key checked
 * against the structure), refresh (conditional fetch, parse, areas and indicators mapped, a new
 * source version through the file import, what changed, revisions of published figures recorded
 * as a run of kind "revision" for the emerging-needs list). */
#include <solidata/connect.h>
#include <solidata/import.h>

#include "connect_int.h"
#include "core/core.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* ---- URLs ----------------------------------------------------------------------------------- */

static void url_structure(const sol_provider *p, const char *base, const char *df, char *out,
                          size_t n)
{
    snprintf(out, n, "%s/dataflow/%s/%s/latest?references=datastructure",
             sol_connect_endpoint(p, base), p->flow_agency, df);
}

static void url_flows(const sol_provider *p, const char *base, char *out, size_t n)
{
    snprintf(out, n, "%s/dataflow/%s/all/latest", sol_connect_endpoint(p, base), p->flow_agency);
}

static void url_data(const sol_provider *p, const char *base, const char *df, const char *key,
                     const char *start, const char *end, const char *param, char *out, size_t n)
{
    int k = snprintf(out, n, "%s/data/%s/%s", sol_connect_endpoint(p, base), df,
                     key && *key ? key : "all");
    if (k > 0 && (size_t)k < n && start && *start)
        k += snprintf(out + k, n - (size_t)k, "?startPeriod=%s", start);
    if (k > 0 && (size_t)k < n && end && *end)
        k += snprintf(out + k, n - (size_t)k, "%sendPeriod=%s", start && *start ? "&" : "?", end);
    if (k > 0 && (size_t)k < n && param)
        snprintf(out + k, n - (size_t)k, "%s%s", strchr(out, '?') ? "&" : "?", param);
}

/* How to ask a provider for a format of data: the SDMX REST media type (Accept header, which the
 * SDMX-RI of Istat, the .Stat Suite of the OECD and UNICEF, and the ILO honour) and, where the
 * provider wants it in the URL, its own format= parameter (the ECB's csvdata and jsondata,
 * Eurostat's SDMX-CSV). "xml" or NULL: what the provider answers by default (SDMX-ML). */
static sol_status data_format(const sol_provider *p, const char *fmt, const char **accept,
                              const char **param, sol_error *err)
{
    *accept = *param = NULL;
    if (!fmt || !*fmt || strcmp(fmt, "xml") == 0)
        return SOL_OK;
    int csv = strcmp(fmt, "csv") == 0;
    if (!csv && strcmp(fmt, "json") != 0)
        return sol__err(err, SOL_EINVAL, "--format '%s': expected xml, csv or json", fmt);
    if (!strstr(p->formats, csv ? "CSV" : "JSON"))
        return sol__err(err, SOL_EINVAL, "%s serves %s, not %s: ask for xml", p->name, p->formats,
                        csv ? "SDMX-CSV" : "SDMX-JSON");
    *accept = csv ? "application/vnd.sdmx.data+csv;version=1.0.0"
                  : "application/vnd.sdmx.data+json;version=1.0.0";
    if (strcmp(p->id, "ECB") == 0)
        *param = csv ? "format=csvdata" : "format=jsondata";
    else if (strcmp(p->id, "ESTAT") == 0 && csv)
        *param = "format=SDMX-CSV";
    return SOL_OK;
}

/* a URL part made only of characters of SDMX ids and keys (no '/', '?', '&', spaces) */
static sol_status check_part(const char *what, const char *s, int key, sol_error *err)
{
    for (const char *c = s; c && *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '_' || *c == '-' || *c == '@' || *c == ',' ||
              (key && (*c == '.' || *c == '+'))))
            return sol__err(err, SOL_EINVAL, "%s '%s': the character '%c' is not allowed here",
                            what, s, *c);
    return SOL_OK;
}

static const sol__http_cond COND_CACHE = {1, NULL, NULL};

static const char *jstr(json_t *q, const char *k);

/* ---- discovery ------------------------------------------------------------------------------ */

static sol_status parse_structure(const sol__http_res *r, const char *url, sol_sdmx_structure **out,
                                  sol_error *err)
{
    return sol_sdmx_structure_parse(r->body, r->len, url, out, err);
}

static int words_match(const char *folded, const char *words)
{
    char w[128];
    for (const char *s = words; *s;) {
        while (*s == ' ')
            s++;
        size_t k = strcspn(s, " ");
        if (k == 0)
            break;
        snprintf(w, sizeof w, "%.*s", (int)(k < sizeof w ? k : sizeof w - 1), s);
        if (!strstr(folded, w))
            return 0;
        s += k;
    }
    return 1;
}

sol_status sol_connect_search(const char *provider, const char *base_url, const char *words,
                              sol_lang lang, const sol_net_opts *net, sol_dataflow_cb cb, void *ud,
                              sol_error *err)
{
    const sol_provider *p;
    sol_status rc = sol_connect_provider(provider, &p, err);
    if (rc != SOL_OK)
        return rc;
    char url[2048];
    url_flows(p, base_url, url, sizeof url);
    sol__http_res r;
    if ((rc = sol__http_get(p, url, net, &COND_CACHE, &r, err)) != SOL_OK)
        return rc;
    sol_sdmx_structure *s = NULL;
    rc = parse_structure(&r, url, &s, err);
    sol__http_res_free(&r);
    if (rc != SOL_OK)
        return rc;
    char *fw = sol__fold(words ? words : "");
    for (size_t i = 0; fw && i < s->ndataflow; i++) {
        const sol_sdmx_dataflow *f = &s->dataflow[i];
        const char *name = sol_sdmx_name(&f->name, lang);
        char *fn = sol__fold(name ? name : "");
        char *fi = sol__fold(f->id ? f->id : "");
        int hit = fn && fi && (words_match(fn, fw) || words_match(fi, fw));
        sol__free(fn), sol__free(fi);
        if (hit && cb(ud, f->id, name ? name : ""))
            break;
    }
    if (!fw)
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
    sol__free(fw);
    sol_sdmx_structure_free(s);
    return rc;
}

/* move the codelists of `from` into `to` */
static sol_status take_codelists(sol_sdmx_structure *to, sol_sdmx_structure *from)
{
    if (!from->ncodelist)
        return SOL_OK;
    sol_sdmx_codelist *c =
        sol__realloc(to->codelist, (to->ncodelist + from->ncodelist) * sizeof *c);
    if (!c)
        return SOL_ENOMEM;
    memcpy(c + to->ncodelist, from->codelist, from->ncodelist * sizeof *c);
    to->codelist = c;
    to->ncodelist += from->ncodelist;
    from->ncodelist = 0;
    return SOL_OK;
}

/* close dataflow ids of the provider's list (best effort: nothing when it cannot be fetched) */
static void close_flows(const sol_provider *p, const char *base, const char *df,
                        const sol_net_opts *net, char *out, size_t n)
{
    out[0] = '\0';
    char url[2048];
    url_flows(p, base, url, sizeof url);
    sol__http_res r;
    sol_sdmx_structure *s = NULL;
    if (sol__http_get(p, url, net, &COND_CACHE, &r, NULL) != SOL_OK)
        return;
    if (parse_structure(&r, url, &s, NULL) == SOL_OK) {
        for (size_t i = 0; i < s->ndataflow; i++) {
            const char *id = s->dataflow[i].id;
            size_t la = strlen(df), lb = strlen(id), same = 0;
            for (size_t k = 0; k < la && k < lb; k++)
                same += df[k] == id[k];
            if (strstr(id, df) || strstr(df, id) || (la == lb && same + 2 >= la)) {
                size_t k = strlen(out);
                snprintf(out + k, n - k, "%s%s", k ? ", " : "", id);
            }
        }
        sol_sdmx_structure_free(s);
    }
    sol__http_res_free(&r);
}

/* the codelist `cl` fetched into `s` (best effort: a failure only leaves it out); SOL_ENOMEM */
static sol_status fetch_codelist(const sol_provider *p, const char *base, sol_sdmx_structure *s,
                                 const char *cl, const sol_net_opts *net, sol_error *err)
{
    if (!cl || sol_sdmx_codelist_find(s, cl))
        return SOL_OK;
    char url[2048];
    snprintf(url, sizeof url, "%s/codelist/%s/%s/latest", sol_connect_endpoint(p, base), p->agency,
             cl);
    sol__http_res r;
    sol_sdmx_structure *c = NULL;
    sol_status rc = SOL_OK;
    if (sol__http_get(p, url, net, &COND_CACHE, &r, NULL) != SOL_OK)
        return SOL_OK;
    if (parse_structure(&r, url, &c, NULL) == SOL_OK && take_codelists(s, c) != SOL_OK)
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
    sol_sdmx_structure_free(c);
    sol__http_res_free(&r);
    return rc;
}

sol_status sol_connect_structure(const char *provider, const char *base_url, const char *dataflow,
                                 int codelists, const sol_net_opts *net, sol_sdmx_structure **out,
                                 sol_error *err)
{
    const sol_provider *p;
    sol_status rc = sol_connect_provider(provider, &p, err);
    if (rc != SOL_OK || (rc = check_part("dataflow", dataflow, 0, err)) != SOL_OK)
        return rc;
    char url[2048];
    url_structure(p, base_url, dataflow, url, sizeof url);
    sol__http_res r;
    if ((rc = sol__http_get(p, url, net, &COND_CACHE, &r, err)) != SOL_OK) {
        if (rc == SOL_ENOTFOUND && !net->offline) {
            char close[512];
            close_flows(p, base_url, dataflow, net, close, sizeof close);
            return sol__err(err, SOL_ENOTFOUND,
                            "%s has no dataflow '%s'%s%s%s ('solidata connect search WORDS "
                            "--provider %s' finds them)",
                            p->name, dataflow, close[0] ? ": did you mean " : "", close,
                            close[0] ? "?" : "", p->id);
        }
        return rc;
    }
    sol_sdmx_structure *s = NULL;
    rc = parse_structure(&r, url, &s, err);
    sol__http_res_free(&r);
    if (rc != SOL_OK)
        return rc;
    const sol_sdmx_dataflow *f = sol_sdmx_dataflow_find(s, dataflow);
    if (!f || !sol_sdmx_dsd_find(s, f->dsd)) {
        sol_sdmx_structure_free(s);
        return sol__err(err, SOL_ENOTFOUND,
                        "%s answered without the dataflow '%s' and its structure: check the id "
                        "('solidata connect search WORDS --provider %s')",
                        p->name, dataflow, p->id);
    }
    const sol_sdmx_dsd *d = sol_sdmx_dsd_find(s, f->dsd);
    for (size_t i = 0; codelists && i < d->ndim; i++) {
        if ((rc = fetch_codelist(p, base_url, s, d->dim[i].codelist, net, err)) != SOL_OK) {
            sol_sdmx_structure_free(s);
            return rc;
        }
        d = sol_sdmx_dsd_find(s, f->dsd);
    }
    *out = s;
    return SOL_OK;
}

/* ---- connectors ------------------------------------------------------------------------------ */

static const char *area_dim_of(const char *given, const sol_sdmx_dsd *d)
{
    static const char *const guess[] = {"REF_AREA", "GEO", "geo", "ITTER107", "COUNTRY", NULL};
    if (given)
        return given;
    for (size_t g = 0; guess[g]; g++)
        for (size_t i = 0; i < d->ndim; i++)
            if (strcmp(d->dim[i].id, guess[g]) == 0)
                return guess[g];
    return NULL;
}

static int has_dim(const sol_sdmx_dsd *d, const char *id, size_t len)
{
    for (size_t i = 0; i < d->ndim; i++)
        if (strlen(d->dim[i].id) == len && strncmp(d->dim[i].id, id, len) == 0)
            return 1;
    return 0;
}

static void dims_list(const sol_sdmx_dsd *d, char *out, size_t n)
{
    out[0] = '\0';
    for (size_t i = 0; i < d->ndim; i++) {
        if (d->dim[i].is_time)
            continue;
        size_t k = strlen(out);
        snprintf(out + k, n - k, "%s%s", k ? "." : "", d->dim[i].id);
    }
}

static sol_status check_key(const sol_provider *p, const char *df, const char *key,
                            const sol_sdmx_structure *s, const sol_sdmx_dsd *d, sol_error *err)
{
    size_t nd = 0;
    for (size_t i = 0; i < d->ndim; i++)
        nd += !d->dim[i].is_time;
    char dims[1024];
    dims_list(d, dims, sizeof dims);
    if (!key || !*key || strcmp(key, "all") == 0)
        return SOL_OK;
    size_t parts = 1;
    for (const char *c = key; *c; c++)
        parts += *c == '.';
    if (parts != nd)
        return sol__err(err, SOL_EINVAL,
                        "the key '%s' has %zu parts but dataflow %s of %s has %zu dimensions: "
                        "%s (one part per dimension, in this order, separated by dots; '+' joins "
                        "codes, an empty part takes every code)",
                        key, parts, df, p->name, nd, dims);
    /* each code in its codelist, when the codelist is known */
    const char *c = key;
    for (size_t i = 0; i < d->ndim; i++) {
        if (d->dim[i].is_time)
            continue;
        size_t plen = strcspn(c, ".");
        const sol_sdmx_codelist *cl = sol_sdmx_codelist_find(s, d->dim[i].codelist);
        for (const char *q = c; cl && q < c + plen;) {
            size_t k = strcspn(q, "+.");
            char code[128];
            snprintf(code, sizeof code, "%.*s", (int)(k < 127 ? k : 127), q);
            if (k && !sol_sdmx_code_find(cl, code))
                return sol__err(err, SOL_EINVAL,
                                "the key '%s': '%s' is not a code of dimension %s (codelist %s); "
                                "'solidata connect structure %s/%s' lists its codes",
                                key, code, d->dim[i].id, cl->id, p->id, df);
            q += k + (q[k] == '+');
        }
        c += plen + (c[plen] == '.');
    }
    return SOL_OK;
}

static void names_json(json_t *o, const char *field, const sol_sdmx_names *n)
{
    json_t *x = json_object();
    for (int l = 0; l < SOL_LANG_COUNT; l++)
        if (n->text[l])
            json_object_set_new(x, sol_lang_code((sol_lang)l), json_string(n->text[l]));
    if (n->any)
        json_object_set_new(x, "any", json_string(n->any));
    json_object_set_new(o, field, x);
}

static void set_str(json_t *o, const char *k, const char *v)
{
    if (v && *v)
        json_object_set_new(o, k, json_string(v));
}

/* --area-names: a CSV of code,name (a header line first) into q.area_names */
static sol_status read_area_names(const char *path, json_t *q, sol_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return sol__err_at(err, SOL_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    json_t *m = json_object();
    char line[1024];
    unsigned long n = 0;
    sol_status rc = SOL_OK;
    while (rc == SOL_OK && fgets(line, sizeof line, f)) {
        if (++n == 1)
            continue;
        line[strcspn(line, "\r\n")] = '\0';
        char *comma = strchr(line, ',');
        if (!*line)
            continue;
        if (!comma || comma == line || !comma[1])
            rc = sol__err_at(err, SOL_EPARSE, path, n, 0, "expected code,name (e.g. 001001,Agliè)");
        else {
            *comma = '\0';
            char *name = comma + 1;
            size_t k = strlen(name);
            if (k >= 2 && name[0] == '"' && name[k - 1] == '"')
                name[k - 1] = '\0', name++;
            json_object_set_new(m, line, json_string(name));
        }
    }
    fclose(f);
    if (rc == SOL_OK)
        json_object_set_new(q, "area_names", m);
    else
        json_decref(m);
    return rc;
}

static sol_status catalog_add(sol_store *st, const sol_connector_def *d, const sol_net_opts *net,
                              sol_error *err)
{
    if (!d->dataset || !*d->dataset)
        return sol__err(err, SOL_EINVAL, "a catalogue connector needs --dataset");
    if (strcmp(d->kind, "ckan") == 0 && (!d->portal || (strncmp(d->portal, "https://", 8) != 0 &&
                                                        strncmp(d->portal, "http://", 7) != 0)))
        return sol__err(err, SOL_EINVAL, "--ckan '%s': expected the portal's https:// address",
                        d->portal ? d->portal : "");
    json_t *q = json_object();
    const char *provider = NULL;
    sol_status rc =
        q ? sol__ckan_add(d, net, q, &provider, err) : sol__err(err, SOL_ENOMEM, "out of memory");
    const char *keys[] = {"area_field",  "period_field", "period", "indicator_field",
                          "value_field", "indicators",   "layout"};
    const char *vals[] = {d->area_field,  d->period_field, d->period, d->indicator_field,
                          d->value_field, d->indicators,   d->layout};
    for (size_t i = 0; rc == SOL_OK && i < 7; i++)
        set_str(q, keys[i], vals[i]);
    if (rc == SOL_OK)
        json_object_set_new(q, "skip_unknown_areas", json_boolean(d->skip_unknown_areas));
    char *qs = rc == SOL_OK ? json_dumps(q, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (rc == SOL_OK && !qs)
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
    if (rc == SOL_OK) {
        char now[32];
        sol__utc_now(now, sizeof now);
        sol_connector c = {.name = d->name,
                           .kind = d->kind,
                           .provider = provider,
                           .query = qs,
                           .every_seconds = d->every_seconds,
                           .created_at = now,
                           .created_by = d->who};
        int own;
        if ((rc = sol_store_join(st, &own, err)) == SOL_OK) {
            char detail[1024];
            snprintf(detail, sizeof detail, "connector %s: %s dataset %s resource %s", d->name,
                     provider, d->dataset, jstr(q, "resource_name"));
            rc = sol_store_connector_add(st, &c, NULL, err);
            if (rc == SOL_OK)
                rc = sol_store_audit_append(st, d->who, "connector.add", detail, err);
            rc = sol_store_leave(st, own, rc, err);
        }
    }
    free(qs);
    json_decref(q);
    return rc;
}

static sol_status features_add(sol_store *st, const sol_connector_def *d, const sol_net_opts *net,
                               sol_error *err)
{
    json_t *q = json_object();
    sol_status rc =
        q ? sol__features_add(d, net, q, err) : sol__err(err, SOL_ENOMEM, "out of memory");
    char *qs = rc == SOL_OK ? json_dumps(q, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (rc == SOL_OK && !qs)
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
    if (rc == SOL_OK) {
        char now[32];
        sol__utc_now(now, sizeof now);
        sol_connector c = {.name = d->name,
                           .kind = "features",
                           .provider = "OGC API Features",
                           .query = qs,
                           .every_seconds = d->every_seconds,
                           .created_at = now,
                           .created_by = d->who};
        int own;
        if ((rc = sol_store_join(st, &own, err)) == SOL_OK) {
            char detail[1024];
            snprintf(detail, sizeof detail, "connector %s: boundaries %s collection %s", d->name,
                     d->features_url, d->collection);
            rc = sol_store_connector_add(st, &c, NULL, err);
            if (rc == SOL_OK)
                rc = sol_store_audit_append(st, d->who, "connector.add", detail, err);
            rc = sol_store_leave(st, own, rc, err);
        }
    }
    free(qs);
    json_decref(q);
    return rc;
}

sol_status sol_connect_add(sol_store *st, const sol_connector_def *d, const sol_net_opts *net,
                           sol_error *err)
{
    if (d->kind && strcmp(d->kind, "features") == 0) {
        if (!d->name || !*d->name)
            return sol__err(err, SOL_EINVAL, "a connector needs a name");
        return features_add(st, d, net, err);
    }
    if (d->kind && strcmp(d->kind, "sdmx") != 0) {
        if (strcmp(d->kind, "ckan") != 0 && strcmp(d->kind, "datagouv") != 0)
            return sol__err(err, SOL_EINVAL, "unknown kind of connector '%s'", d->kind);
        if (!d->name || !*d->name)
            return sol__err(err, SOL_EINVAL, "a connector needs a name");
        return catalog_add(st, d, net, err);
    }
    const sol_provider *p;
    sol_status rc;
    if (!d->name || !*d->name)
        return sol__err(err, SOL_EINVAL, "a connector needs a name");
    if ((rc = sol_connect_provider(d->provider, &p, err)) != SOL_OK ||
        (rc = check_part("key", d->key, 1, err)) != SOL_OK ||
        (rc = check_part("start", d->start, 1, err)) != SOL_OK ||
        (rc = check_part("end", d->end, 1, err)) != SOL_OK)
        return rc;
    const char *acc, *par;
    if ((rc = data_format(p, d->format, &acc, &par, err)) != SOL_OK)
        return rc;
    if (d->base_url && *d->base_url) {
        if (strncmp(d->base_url, "https://", 8) != 0 && strncmp(d->base_url, "http://", 7) != 0)
            return sol__err(err, SOL_EINVAL, "--base-url '%s': expected an https:// address",
                            d->base_url);
    }
    sol_sdmx_structure *s = NULL;
    if ((rc = sol_connect_structure(p->id, d->base_url, d->dataflow, 0, net, &s, err)) != SOL_OK)
        return rc;
    const sol_sdmx_dataflow *f = sol_sdmx_dataflow_find(s, d->dataflow);
    const sol_sdmx_dsd *dsd = sol_sdmx_dsd_find(s, f->dsd);
    char dims[1024];
    dims_list(dsd, dims, sizeof dims);
    const char *area = area_dim_of(d->area_dim, dsd);
    json_t *q = NULL;
    if ((rc = check_key(p, d->dataflow, d->key, s, dsd, err)) != SOL_OK)
        goto out;
    if (!area || !has_dim(dsd, area, strlen(area))) {
        rc = sol__err(err, SOL_EINVAL,
                      "dataflow %s has no geographic dimension%s%s: give it with --area-dim "
                      "(its dimensions: %s)",
                      d->dataflow, area ? " " : "", area ? area : "", dims);
        goto out;
    }
    for (const char *c = d->indicator_dims; c && *c;) {
        size_t k = strcspn(c, ",");
        if (!has_dim(dsd, c, k)) {
            rc = sol__err(err, SOL_EINVAL,
                          "--indicator-dims: dataflow %s has no dimension '%.*s' (its "
                          "dimensions: %s)",
                          d->dataflow, (int)k, c, dims);
            goto out;
        }
        c += k + (c[k] == ',');
    }
    q = json_object();
    set_str(q, "dataflow", d->dataflow);
    set_str(q, "dsd", f->dsd);
    set_str(q, "key", d->key);
    set_str(q, "start", d->start);
    set_str(q, "end", d->end);
    set_str(q, "area_dim", area);
    set_str(q, "indicator_dims", d->indicator_dims);
    set_str(q, "indicator", d->indicator);
    set_str(q, "level", d->level);
    set_str(q, "licence", d->licence ? d->licence : p->licence);
    set_str(q, "attribution", d->attribution ? d->attribution : p->name);
    set_str(q, "base_url", d->base_url);
    if (acc)
        set_str(q, "format", d->format);
    json_object_set_new(q, "add_areas", json_boolean(d->add_areas));
    json_object_set_new(q, "skip_unknown_areas", json_boolean(d->skip_unknown_areas));
    names_json(q, "names", &f->name);
    if (d->area_names && (rc = read_area_names(d->area_names, q, err)) != SOL_OK)
        goto out;
    json_t *dl = json_array();
    for (size_t i = 0; i < dsd->ndim; i++)
        if (!dsd->dim[i].is_time)
            json_array_append_new(dl, json_string(dsd->dim[i].id));
    json_object_set_new(q, "dimensions", dl);
    char *qs = json_dumps(q, JSON_COMPACT | JSON_PRESERVE_ORDER);
    char now[32];
    sol__utc_now(now, sizeof now);
    sol_connector c = {.name = d->name,
                       .kind = "sdmx",
                       .provider = p->id,
                       .query = qs,
                       .every_seconds = d->every_seconds,
                       .created_at = now,
                       .created_by = d->who};
    int own;
    if (!qs)
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
    else if ((rc = sol_store_join(st, &own, err)) == SOL_OK) {
        char detail[1024];
        snprintf(detail, sizeof detail, "connector %s: %s/%s key %s", d->name, p->id, d->dataflow,
                 d->key && *d->key ? d->key : "all");
        rc = sol_store_connector_add(st, &c, NULL, err);
        if (rc == SOL_OK)
            rc = sol_store_audit_append(st, d->who, "connector.add", detail, err);
        rc = sol_store_leave(st, own, rc, err);
    }
    free(qs);
out:
    json_decref(q);
    sol_sdmx_structure_free(s);
    return rc;
}

sol_status sol_connect_list(sol_store *st, const char *name, sol_connector_cb cb, void *ud,
                            sol_error *err)
{
    return sol_store_connectors(st, name, cb, ud, err);
}

sol_status sol_connect_remove(sol_store *st, const char *name, const char *who, sol_error *err)
{
    int own;
    sol_status rc = sol_store_join(st, &own, err);
    if (rc != SOL_OK)
        return rc;
    rc = sol_store_connector_delete(st, name, err);
    if (rc == SOL_OK) {
        char detail[256];
        snprintf(detail, sizeof detail, "connector %s removed (its source stays)", name);
        rc = sol_store_audit_append(st, who, "connector.remove", detail, err);
    }
    return sol_store_leave(st, own, rc, err);
}

static int on_json(void *ud, const sol_connector *c)
{
    json_t *a = ud;
    json_t *q = json_loads(c->query ? c->query : "{}", 0, NULL);
    json_t *o =
        json_pack("{s:s,s:s,s:s}", "name", c->name, "kind", c->kind, "provider", c->provider);
    if (!o) {
        json_decref(q);
        return 1;
    }
    if (q) {
        json_object_set(o, "dataflow", json_object_get(q, "dataflow"));
        json_object_set(o, "key", json_object_get(q, "key"));
        json_object_set(o, "licence", json_object_get(q, "licence"));
        json_object_set(o, "query", q);
    }
    if (c->every_seconds)
        json_object_set_new(o, "every_seconds", json_integer((json_int_t)c->every_seconds));
    set_str(o, "etag", c->etag);
    set_str(o, "sha256", c->sha256);
    set_str(o, "last_checked_at", c->last_checked_at);
    set_str(o, "last_changed_at", c->last_changed_at);
    set_str(o, "last_outcome", c->last_outcome);
    set_str(o, "last_detail", c->last_detail);
    json_object_set_new(o, "added", json_integer((json_int_t)c->last_added));
    json_object_set_new(o, "revised", json_integer((json_int_t)c->last_revised));
    json_object_set_new(o, "removed", json_integer((json_int_t)c->last_removed));
    json_decref(q);
    json_array_append_new(a, o);
    return 0;
}

sol_status sol_connect_list_json(sol_store *st, const char *name, char **json, sol_error *err)
{
    json_t *a = json_array();
    if (!a)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    sol_status rc = sol_store_connectors(st, name, on_json, a, err);
    json_t *one = name ? json_array_get(a, 0) : a;
    char *s = rc == SOL_OK && one ? json_dumps(one, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(a);
    if (rc == SOL_OK && !s)
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
    if (rc == SOL_OK)
        *json = s;
    return rc;
}

/* ---- refresh -------------------------------------------------------------------------------- */

typedef struct conn_row {
    int64_t id;
    char *provider, *query, *sha256, *etag, *last_modified, *kind;
    int64_t every, checked;
} conn_row;

static int64_t parse_utc(const char *s)
{
    struct tm t;
    memset(&t, 0, sizeof t);
    if (!s || sscanf(s, "%d-%d-%dT%d:%d:%d", &t.tm_year, &t.tm_mon, &t.tm_mday, &t.tm_hour,
                     &t.tm_min, &t.tm_sec) != 6)
        return 0;
    t.tm_year -= 1900, t.tm_mon -= 1;
    /* days from civil (UTC), no timegm in C11 */
    int y = t.tm_year + 1900, m = t.tm_mon + 1, dd = t.tm_mday;
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = (int64_t)era * 146097 + doe - 719468;
    return days * 86400 + t.tm_hour * 3600 + t.tm_min * 60 + t.tm_sec;
}

static int on_row(void *ud, const sol_connector *c)
{
    conn_row *r = ud;
    r->id = c->id;
    r->provider = sol__strdup(c->provider);
    r->query = sol__strdup(c->query);
    r->sha256 = sol__strdup(c->sha256 ? c->sha256 : "");
    r->kind = sol__strdup(c->kind);
    r->etag = c->etag ? sol__strdup(c->etag) : NULL;
    r->last_modified = c->last_modified ? sol__strdup(c->last_modified) : NULL;
    r->every = c->every_seconds;
    r->checked = parse_utc(c->last_checked_at);
    return 1;
}

typedef struct due_ctx {
    int64_t now;
    int (*cb)(void *, const char *);
    void *ud;
} due_ctx;

static int on_due(void *ud, const sol_connector *c)
{
    due_ctx *x = ud;
    int64_t last = parse_utc(c->last_checked_at);
    if (c->every_seconds > 0 && (last == 0 || x->now - last >= c->every_seconds))
        return x->cb(x->ud, c->name);
    return 0;
}

sol_status sol_connect_due(sol_store *st, int64_t now, int (*cb)(void *ud, const char *name),
                           void *ud, sol_error *err)
{
    due_ctx x = {now, cb, ud};
    return sol_store_connectors(st, NULL, on_due, &x, err);
}

static const char *jstr(json_t *q, const char *k)
{
    return json_string_value(json_object_get(q, k));
}

/* old values of the previous version, keyed "area\tindicator\tperiod" */
typedef struct oldvals {
    sol_strmap *map;
    double *v;
    char **area_name, **label; /* borrowed from pstr */
    unsigned char *seen;
    size_t n, cap;
    int oom;
    sol_strmap *pool; /* the names and labels, each kept once (a few for a million values) */
    char **pstr;
    size_t np, pcap;
} oldvals;

static char *intern(oldvals *o, const char *s)
{
    size_t len = strlen(s);
    int64_t at;
    if (sol__strmap_get(o->pool, s, len, &at))
        return o->pstr[at];
    if (o->np == o->pcap) {
        size_t c = o->pcap ? 2 * o->pcap : 64;
        char **p = sol__realloc(o->pstr, c * sizeof *p);
        if (!p)
            return NULL;
        o->pstr = p, o->pcap = c;
    }
    char *d = sol__strdup(s);
    if (!d || sol__strmap_put(o->pool, s, len, (int64_t)o->np) != SOL_OK) {
        sol__free(d);
        return NULL;
    }
    return o->pstr[o->np++] = d;
}

static int on_old(void *ud, const char *area, const char *area_name, const char *ind,
                  const char *label, const char *period, double value)
{
    oldvals *o = ud;
    char k[512];
    int n = snprintf(k, sizeof k, "%s\t%s\t%s", area, ind, period);
    if (o->n == o->cap) {
        size_t c = o->cap ? 2 * o->cap : 256;
        double *v = sol__realloc(o->v, c * sizeof *v);
        if (v)
            o->v = v;
        char **an = sol__realloc(o->area_name, c * sizeof *an);
        if (an)
            o->area_name = an;
        char **lb = sol__realloc(o->label, c * sizeof *lb);
        if (lb)
            o->label = lb;
        unsigned char *sn = sol__realloc(o->seen, c);
        if (sn)
            o->seen = sn;
        if (!v || !an || !lb || !sn)
            return o->oom = 1;
        o->cap = c;
    }
    o->v[o->n] = value;
    o->seen[o->n] = 0;
    if (!o->pool && !(o->pool = sol__strmap_new(256)))
        return o->oom = 1;
    o->area_name[o->n] = intern(o, area_name ? area_name : area);
    o->label[o->n] = intern(o, label ? label : ind);
    if (!o->area_name[o->n] || !o->label[o->n] ||
        sol__strmap_put(o->map, k, (size_t)n, (int64_t)o->n) != SOL_OK)
        return o->oom = 1;
    o->n++;
    return 0;
}

static void oldvals_free(oldvals *o)
{
    for (size_t i = 0; i < o->np; i++)
        sol__free(o->pstr[i]);
    sol__free(o->pstr);
    sol__strmap_free(o->pool);
    sol__free_n(4, o->v, o->area_name, o->label, o->seen);
    sol__strmap_free(o->map);
}

typedef struct src_info {
    const char *name;
    int published;
    int found;
} src_info;

static int on_source(void *ud, const sol_source *s)
{
    src_info *x = ud;
    if (strcmp(s->name, x->name) == 0 && strcmp(s->status, "current") == 0) {
        x->published = s->published;
        x->found = 1;
        return 1;
    }
    return 0;
}

typedef struct area_ctx {
    sol_strmap *codes; /* store area codes -> 1 */
    sol_strmap *names; /* unused */
} area_ctx;

static int on_area(void *ud, const sol_area *a)
{
    area_ctx *x = ud;
    return sol__strmap_put(x->codes, a->code, strlen(a->code), 1) != SOL_OK;
}

/* the store's code for a message's area code: as written, or with leading zeros restored
 * (5 -> 001005 only when a single store code fits); NULL when none */
static const char *store_code(const sol_strmap *codes, const char *code, char *buf, size_t n)
{
    int64_t v;
    if (sol__strmap_get(codes, code, strlen(code), &v))
        return code;
    size_t len = strlen(code);
    for (size_t z = 1; len + z < n && z <= 6; z++) {
        memset(buf, '0', z);
        snprintf(buf + z, n - z, "%s", code);
        if (sol__strmap_get(codes, buf, strlen(buf), &v))
            return buf;
    }
    return NULL;
}

static int rev_cmp(const void *a, const void *b)
{
    const sol_revision *x = a, *y = b;
    double dx = fabs(x->new_value - x->old_value), dy = fabs(y->new_value - y->old_value);
    return dx < dy ? 1 : dx > dy ? -1 : 0;
}

void sol__connect_keep_top(sol_refresh_report *rep, const sol_revision *r)
{
    if (rep->ntop < 5) {
        rep->top[rep->ntop++] = *r;
    } else if (fabs(r->new_value - r->old_value) >
               fabs(rep->top[4].new_value - rep->top[4].old_value)) {
        rep->top[4] = *r;
    }
    qsort(rep->top, rep->ntop, sizeof rep->top[0], rev_cmp);
}

static sol_status tmp_file(char *path, size_t n, const char *tag, FILE **f, sol_error *err)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, n, "%s/solidata-%s-XXXXXX", dir && *dir ? dir : "/tmp", tag);
    int fd = mkstemp(path);
    if (fd < 0 || !(*f = fdopen(fd, "w"))) {
        if (fd >= 0)
            close(fd);
        return sol__err(err, SOL_EIO, "cannot create a temporary file in %s: %s",
                        dir && *dir ? dir : "/tmp", strerror(errno));
    }
    return SOL_OK;
}

static void csv_text(FILE *f, const char *s)
{
    putc_unlocked('"', f);
    for (; *s; s++) {
        if (*s == '"')
            putc_unlocked('"', f);
        putc_unlocked(*s, f);
    }
    putc_unlocked('"', f);
}

/* runs of blanks as one space (Istat's names hold double spaces) */
static void squeeze(char *t)
{
    char *w = t;
    for (const char *r = t; *r; r++)
        if (!(*r == ' ' && (w == t || w[-1] == ' ')))
            *w++ = *r;
    while (w > t && w[-1] == ' ')
        w--;
    *w = '\0';
}

/* A value as the shortest decimal of at most 15 significant digits that reads back as the same
 * double (the import's reader divides the digits by a power of ten, which is exact then), or
 * with 17 digits when there is none: printf's %.17g is the slowest step of writing a million. */
const char *sol__connect_fmt_value(double v, char *buf, size_t n)
{
    static const double p10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    for (int d = 0; d < 16 && n >= 40; d++) {
        double m = nearbyint(v * p10[d]);
        if (fabs(m) >= 1e15)
            break;
        if (m / p10[d] != v)
            continue;
        char dig[24];
        int k = 0;
        unsigned long long u = (unsigned long long)fabs(m);
        do
            dig[k++] = (char)('0' + (int)(u % 10)), u /= 10;
        while (u);
        while (k <= d)
            dig[k++] = '0';
        char *w = buf;
        if (m < 0 || (m == 0 && signbit(v)))
            *w++ = '-';
        while (k > d)
            *w++ = dig[--k];
        if (d) {
            *w++ = '.';
            while (k)
                *w++ = dig[--k];
        }
        *w = '\0';
        return buf;
    }
    snprintf(buf, n, "%.17g", v);
    return buf;
}

/* indicators: the prefix and the codes of the indicator dimensions, joined by dots */
static void indicator_code(const sol_sdmx_data *d, const uint32_t *key, const int *ind_dims,
                           size_t nind, const char *prefix, char *out, size_t n)
{
    int k = snprintf(out, n, "%s", prefix);
    for (size_t j = 0; j < nind && k > 0 && (size_t)k < n; j++)
        k += snprintf(out + k, n - (size_t)k, ".%s", d->code[ind_dims[j]][key[ind_dims[j]]]);
}

/* 1 when two keys have the same codes in the indicator dimensions (observations of a series) */
static int same_ind(const uint32_t *a, const uint32_t *b, const int *ind_dims, size_t nind)
{
    if (!a)
        return 0;
    for (size_t j = 0; j < nind; j++)
        if (a[ind_dims[j]] != b[ind_dims[j]])
            return 0;
    return 1;
}

static sol_status record(sol_store *st, const sol_connector_fetch *f, sol_error *err)
{
    int own;
    sol_status rc = sol_store_join(st, &own, err);
    if (rc == SOL_OK)
        rc = sol_store_connector_fetched(st, f, err);
    return sol_store_leave(st, own, rc, err);
}

/* A new version was imported: record the fetch (what changed), point the source at the URL, and
 * when published values were revised, a published run of kind "revision" and an audit row; one
 * transaction. */
sol_status sol__connect_record_version(sol_store *st, const char *pname, const char *pid,
                                       const char *kind, const char *name, const char *url,
                                       int was_published, int prev_ver, int version,
                                       int64_t source_id, json_t *revs, sol_connector_fetch *fe,
                                       sol_refresh_report *rep, sol_error *err)
{
    sol_status rc;
    rep->outcome = fe->outcome = "new-version";
    rep->version = version;
    fe->source_id = source_id;
    fe->added = rep->added, fe->revised = rep->revised, fe->removed = rep->removed;
    fe->changed = 1;
    char detail[512];
    snprintf(detail, sizeof detail, "version %d: %lld added, %lld revised, %lld removed", version,
             (long long)rep->added, (long long)rep->revised, (long long)rep->removed);
    fe->detail = detail;
    int own;
    if ((rc = sol_store_join(st, &own, err)) != SOL_OK)
        return rc;
    rc = sol_store_connector_source_origin(st, source_id, url, kind, err);
    if (rc == SOL_OK)
        rc = sol_store_connector_fetched(st, fe, err);
    if (rc == SOL_OK && was_published && rep->revised > 0) {
        char now[32];
        sol__utc_now(now, sizeof now);
        json_t *res = json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:O}", "provider", pname, "provider_id",
                                pid, "date", now, "connector", name, "url", url, "version", version,
                                "revisions", revs);
        json_t *spec = json_pack("{s:s,s:s,s:s}", "connector", name, "provider", pid, "url", url);
        json_t *card = json_pack(
            "{s:s,s:s,s:s,s:i,s:i}", "method",
            "comparison of a published source version with the provider's new one, value by "
            "value (area, indicator, period)",
            "source", name, "provider", pname, "from_version", prev_ver, "to_version", version);
        char *rs = json_dumps(res, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
        char *ss = json_dumps(spec, JSON_COMPACT);
        char *cs = json_dumps(card, JSON_COMPACT);
        if (!rs || !ss || !cs)
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
        else {
            sol_run run = {.kind = "revision", .spec = ss, .method_card = cs, .result = rs};
            rc = sol_store_run_add(st, &run, &rep->revision_run, err);
        }
        /* the revised figures were public: so is the news of their revision */
        if (rc == SOL_OK)
            rc = sol_store_publish(
                st, &(sol_publish_req){.kind = "run", .id = rep->revision_run, .publish = 1}, NULL,
                err);
        if (rc == SOL_OK) {
            char ad[512];
            snprintf(ad, sizeof ad,
                     "source %s revised by %s (version %d): %lld published values changed; run "
                     "%lld",
                     name, pname, version, (long long)rep->revised, (long long)rep->revision_run);
            rc = sol_store_audit_append(st, NULL, "connector.revision", ad, err);
        }
        free(rs), free(ss), free(cs);
        json_decref(res), json_decref(spec), json_decref(card);
    }
    return sol_store_leave(st, own, rc, err);
}

sol_status sol_connect_refresh(sol_store *st, const char *name, const sol_net_opts *net,
                               sol_refresh_report *rep, sol_error *err)
{
    memset(rep, 0, sizeof *rep);
    snprintf(rep->name, sizeof rep->name, "%s", name ? name : "");
    conn_row row = {0};
    sol_status rc = sol_store_connectors(st, name, on_row, &row, err);
    json_t *q = NULL;
    sol__http_res r = {0};
    sol_sdmx_data *d = NULL;
    oldvals old = {0};
    area_ctx ac = {0};
    char csv_path[4096] = "", meta_path[4096] = "";
    FILE *csv = NULL, *meta = NULL;
    char **added_areas = NULL;
    size_t nadded = 0;
    int *ind_dims = NULL;
    sol_strmap *ind_seen = NULL;
    json_t *revs = NULL;
    if (rc != SOL_OK)
        goto out;
    if (!row.query || !row.provider || !row.sha256 || !(q = json_loads(row.query, 0, NULL))) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory reading connector '%s'", name);
        goto out;
    }
    if (row.kind && strcmp(row.kind, "features") == 0) {
        rc = sol__features_refresh(st, row.id, name, q, net, rep, err);
        goto out;
    }
    if (row.kind && strcmp(row.kind, "sdmx") != 0) {
        rc = sol__ckan_refresh(st, row.id, name, row.kind, q, row.etag, row.last_modified,
                               row.sha256, net, rep, err);
        goto out;
    }
    const sol_provider *p;
    if ((rc = sol_connect_provider(row.provider, &p, err)) != SOL_OK)
        goto out;
    const char *df = jstr(q, "dataflow"), *base = jstr(q, "base_url");
    char url[4096];
    const char *accept, *param;
    if ((rc = data_format(p, jstr(q, "format"), &accept, &param, err)) != SOL_OK)
        goto out;
    url_data(p, base, df, jstr(q, "key"), jstr(q, "start"), jstr(q, "end"), param, url, sizeof url);
    sol__http_cond cond = {row.sha256[0] ? 2 : 0, row.etag, row.last_modified, accept};
    if ((rc = sol__http_get(p, url, net, &cond, &r, err)) != SOL_OK)
        goto out;
    rep->http_status = r.status;
    rep->from_cache = r.from_cache;
    snprintf(rep->sha256, sizeof rep->sha256, "%s", r.sha256);
    sol_connector_fetch fe = {.connector_id = row.id,
                              .http_status = r.status,
                              .etag = r.etag,
                              .last_modified = r.last_modified,
                              .sha256 = r.sha256};
    if (strcmp(r.sha256, row.sha256) == 0) {
        rep->outcome = fe.outcome = r.status == 304 ? "not-modified" : "unchanged";
        fe.detail = r.status == 304 ? "the provider says not modified; nothing written"
                                    : "same content as last time; nothing written";
        rc = record(st, &fe, err);
        goto out;
    }
    /* parse and map */
    if ((rc = sol_sdmx_data_parse(r.body, r.len, url, SOL_SDMX_AUTO, &d, err)) != SOL_OK)
        goto out;
    const char *area_id = jstr(q, "area_dim");
    int ad = sol_sdmx_data_dim(d, area_id ? area_id : "REF_AREA");
    if (ad < 0 || d->time_dim < 0) {
        rc = sol__err(err, SOL_EPARSE, "%s: the message has no %s dimension", url,
                      ad < 0 ? (area_id ? area_id : "REF_AREA") : "TIME_PERIOD");
        goto out;
    }
    if (!(ind_dims = sol__calloc(d->ndim + 1, sizeof *ind_dims)))
        goto oom;
    size_t nind = 0;
    const char *idims = jstr(q, "indicator_dims");
    for (size_t i = 0; i < d->ndim; i++) {
        if ((int)i == ad || (int)i == d->time_dim)
            continue;
        const char *id = d->dim_id[i];
        int want;
        if (idims) {
            want = 0;
            for (const char *c = idims; *c;) {
                size_t k = strcspn(c, ",");
                if (k == strlen(id) && strncmp(c, id, k) == 0)
                    want = 1;
                c += k + (c[k] == ',');
            }
        } else {
            want = strcmp(id, "FREQ") != 0;
        }
        if (want)
            ind_dims[nind++] = (int)i;
    }
    /* areas of the store, and the message's codes that match none */
    if (!(ac.codes = sol__strmap_new(1024)))
        goto oom;
    if ((rc = sol_store_areas(st, 0, on_area, &ac, err)) != SOL_OK)
        goto out;
    int add_areas = json_is_true(json_object_get(q, "add_areas"));
    int skip = json_is_true(json_object_get(q, "skip_unknown_areas"));
    size_t na = d->ncode[ad];
    char **mapped = sol__calloc(na + 1, sizeof *mapped);
    if (!mapped)
        goto oom;
    size_t unknown = 0;
    for (size_t i = 0; i < na; i++) {
        char buf[128];
        const char *sc = store_code(ac.codes, d->code[ad][i], buf, sizeof buf);
        mapped[i] = sc ? sol__strdup(sc) : NULL;
        if (!sc) {
            unknown++;
            size_t k = strlen(rep->unknown_list);
            if (k + strlen(d->code[ad][i]) + 3 < sizeof rep->unknown_list)
                snprintf(rep->unknown_list + k, sizeof rep->unknown_list - k, "%s%s", k ? ", " : "",
                         d->code[ad][i]);
        }
    }
    if (unknown && !add_areas && !skip) {
        rc = unknown == 1
                 ? sol__err(err, SOL_EUNKNOWNAREA,
                            "1 area code of dimension %s is not in the store: %s; import that "
                            "area first, or add the connector again with --add-areas (areas "
                            "named from the codelist or --area-names) or --skip-unknown-areas",
                            d->dim_id[ad], rep->unknown_list)
                 : sol__err(err, SOL_EUNKNOWNAREA,
                            "%zu area codes of dimension %s are not in the store: %s; import "
                            "those areas first, or add the connector again with --add-areas "
                            "(areas named from the codelist or --area-names) or "
                            "--skip-unknown-areas",
                            unknown, d->dim_id[ad], rep->unknown_list);
        for (size_t i = 0; i < na; i++)
            sol__free(mapped[i]);
        sol__free(mapped);
        goto out;
    }
    /* the long CSV and the indicators' labels */
    if ((rc = tmp_file(csv_path, sizeof csv_path, "sdmx", &csv, err)) != SOL_OK ||
        (rc = tmp_file(meta_path, sizeof meta_path, "meta", &meta, err)) != SOL_OK) {
        for (size_t i = 0; i < na; i++)
            sol__free(mapped[i]);
        sol__free(mapped);
        goto out;
    }
    const char *prefix = jstr(q, "indicator") ? jstr(q, "indicator") : df;
    json_t *names = json_object_get(q, "names");
    fputs("area,indicator,period,value\n", csv);
    fputs("code,label,label_en,label_fr,label_it\n", meta);
    if (!(ind_seen = sol__strmap_new(64)))
        goto oom_mapped;
    int64_t written = 0;
    char ind[512];
    const uint32_t *ind_key = NULL; /* the key ind was made for: a series shares it */
    for (size_t o = 0; o < d->nobs; o++) {
        const uint32_t *key = d->key + o * d->ndim;
        const char *ac_code = mapped[key[ad]];
        if (isnan(d->value[o]))
            continue;
        if (!ac_code) {
            if (skip && !add_areas) {
                rep->unknown_areas++;
                continue;
            }
            ac_code = d->code[ad][key[ad]];
        }
        char v[64];
        int64_t seen;
        if (same_ind(ind_key, key, ind_dims, nind)) {
            /* the indicator of the observation before: code and label known */
        } else if (indicator_code(d, key, ind_dims, nind, prefix, ind, sizeof ind), ind_key = key,
                   !sol__strmap_get(ind_seen, ind, strlen(ind), &seen)) {
            if (sol__strmap_put(ind_seen, ind, strlen(ind), 1) != SOL_OK)
                goto oom_mapped;
            /* label: the dataflow's name in each language and the codes that tell it apart */
            char codes[256] = "";
            for (size_t j = 0; j < nind; j++) {
                size_t k = strlen(codes);
                snprintf(codes + k, sizeof codes - k, "%s%s", j ? ", " : "",
                         d->code[ind_dims[j]][key[ind_dims[j]]]);
            }
            csv_text(meta, ind);
            const char *lab[4] = {json_string_value(json_object_get(names, "any")),
                                  json_string_value(json_object_get(names, "en")),
                                  json_string_value(json_object_get(names, "fr")),
                                  json_string_value(json_object_get(names, "it"))};
            for (int l = 0; l < 4; l++) {
                fputc(',', meta);
                if (lab[l]) {
                    char t[768];
                    snprintf(t, sizeof t, nind ? "%s (%s)" : "%s", lab[l], codes);
                    squeeze(t);
                    csv_text(meta, t);
                }
            }
            fputc('\n', meta);
        }
        csv_text(csv, ac_code);
        putc_unlocked(',', csv);
        csv_text(csv, ind);
        putc_unlocked(',', csv);
        fputs(d->code[d->time_dim][key[d->time_dim]], csv);
        putc_unlocked(',', csv);
        fputs(sol__connect_fmt_value(d->value[o], v, sizeof v), csv);
        putc_unlocked('\n', csv);
        written++;
    }
    rep->observations = written;
    int bad = ferror(csv) | ferror(meta);
    bad |= fclose(csv) != 0, csv = NULL;
    bad |= fclose(meta) != 0, meta = NULL;
    if (bad) {
        rc = sol__err(err, SOL_EIO, "cannot write the temporary file %s", csv_path);
        goto oom_mapped_rc;
    }
    if (written == 0) {
        rc = sol__err(err, SOL_EINVAL,
                      "%s answered %zu observations but none for an area of the store%s%s", p->name,
                      d->nobs, rep->unknown_list[0] ? "; unknown codes: " : "", rep->unknown_list);
        goto oom_mapped_rc;
    }
    /* the previous version's values, to tell what changed */
    int64_t prev_id = 0;
    int prev_ver = 0;
    char prev_sha[65];
    src_info si = {name, 0, 0};
    if (!(old.map = sol__strmap_new(1024)))
        goto oom_mapped;
    rc = sol_store_source_current(st, name, &prev_id, &prev_ver, prev_sha, NULL);
    if (rc == SOL_OK) {
        if ((rc = sol_store_source_values(st, prev_id, on_old, &old, err)) != SOL_OK ||
            (rc = sol_store_sources(st, on_source, &si, err)) != SOL_OK)
            goto oom_mapped_rc;
        if (old.oom)
            goto oom_mapped;
    } else {
        prev_id = 0;
        rc = SOL_OK;
    }
    /* areas to add: their names from the codelist when the structure was fetched with it */
    if (add_areas && unknown) {
        const char *level = jstr(q, "level") ? jstr(q, "level") : "area";
        if (!(added_areas = sol__calloc(unknown, sizeof *added_areas)))
            goto oom_mapped;
        sol_sdmx_structure *s = NULL;
        const sol_sdmx_codelist *cl = NULL;
        json_t *given = json_object_get(q, "area_names");
        if (sol_connect_structure(p->id, base, df, 0, net, &s, NULL) == SOL_OK) {
            const sol_sdmx_dsd *dsd = sol_sdmx_dsd_find(s, jstr(q, "dsd"));
            for (size_t i = 0; dsd && i < dsd->ndim; i++)
                if (strcmp(dsd->dim[i].id, d->dim_id[ad]) == 0) {
                    const char *cid = dsd->dim[i].codelist;
                    if (fetch_codelist(p, base, s, cid, net, NULL) == SOL_OK)
                        cl = sol_sdmx_codelist_find(s, cid);
                    break;
                }
        }
        int own;
        if ((rc = sol_store_join(st, &own, err)) == SOL_OK) {
            for (size_t i = 0; rc == SOL_OK && i < na; i++) {
                if (mapped[i])
                    continue;
                const sol_sdmx_code *c = sol_sdmx_code_find(cl, d->code[ad][i]);
                const char *nm = json_string_value(json_object_get(given, d->code[ad][i]));
                if (!nm && c)
                    nm = sol_sdmx_name(&c->name, SOL_LANG_IT);
                sol_area a = {
                    .code = d->code[ad][i], .name = nm ? nm : d->code[ad][i], .level = level};
                rc = sol_store_area_put(st, &a, NULL, err);
                if (rc == SOL_OK && !(added_areas[nadded++] = sol__strdup(a.code)))
                    rc = sol__err(err, SOL_ENOMEM, "out of memory");
            }
            rc = sol_store_leave(st, own, rc, err);
        }
        sol_sdmx_structure_free(s);
        rep->areas_added = (int64_t)nadded;
        if (rc != SOL_OK)
            goto oom_mapped_rc;
    }
    for (size_t i = 0; i < na; i++)
        sol__free(mapped[i]);
    sol__free(mapped);
    mapped = NULL;
    /* the new version, through the file import */
    sol_import_opts io = {.source_name = name,
                          .licence = jstr(q, "licence"),
                          .attribution = jstr(q, "attribution"),
                          .format = SOL_FORMAT_LONG,
                          .area_field = "area",
                          .period_field = "period",
                          .indicator_field = "indicator",
                          .value_field = "value",
                          .indicator_meta = meta_path,
                          .match = SOL_MATCH_CODES,
                          .skip_unknown_areas = skip};
    sol_import_report ir;
    rc = sol_import_data(st, csv_path, &io, &ir, err);
    sol_import_report_free(&ir);
    if (rc != SOL_OK)
        goto undo_areas;
    rep->version = ir.version;
    if (ir.unchanged) {
        rep->outcome = fe.outcome = "unchanged";
        fe.detail = "new bytes, same values; nothing written";
        if ((rc = record(st, &fe, err)) != SOL_OK)
            goto out;
        goto out;
    }
    /* what changed */
    if (!(revs = json_array()))
        goto oom;
    {
        /* walk the new values (the CSV's) against the old ones; with no previous version, every
         * value written is new */
        if (!prev_id)
            rep->added = written;
        ind_key = NULL;
        for (size_t o = 0; prev_id && o < d->nobs; o++) {
            const uint32_t *key = d->key + o * d->ndim;
            if (isnan(d->value[o]))
                continue;
            char k[768], buf[128];
            if (!same_ind(ind_key, key, ind_dims, nind)) {
                indicator_code(d, key, ind_dims, nind, prefix, ind, sizeof ind);
                ind_key = key;
            }
            const char *code = store_code(ac.codes, d->code[ad][key[ad]], buf, sizeof buf);
            if (!code)
                code = d->code[ad][key[ad]];
            const char *period = d->code[d->time_dim][key[d->time_dim]];
            int n = snprintf(k, sizeof k, "%s\t%s\t%s", code, ind, period);
            int64_t at;
            if (prev_id && sol__strmap_get(old.map, k, (size_t)n, &at)) {
                old.seen[at] = 1;
                if (old.v[at] != d->value[o]) {
                    rep->revised++;
                    sol_revision rv;
                    memset(&rv, 0, sizeof rv);
                    snprintf(rv.area, sizeof rv.area, "%s", code);
                    snprintf(rv.area_name, sizeof rv.area_name, "%s", old.area_name[at]);
                    snprintf(rv.indicator, sizeof rv.indicator, "%.127s", ind);
                    snprintf(rv.label, sizeof rv.label, "%s", old.label[at]);
                    snprintf(rv.period, sizeof rv.period, "%s", period);
                    rv.old_value = old.v[at];
                    rv.new_value = d->value[o];
                    sol__connect_keep_top(rep, &rv);
                    json_array_append_new(
                        revs, json_pack("{s:s,s:s,s:s,s:s,s:s,s:f,s:f}", "area", rv.area,
                                        "area_name", rv.area_name, "indicator", rv.indicator,
                                        "indicator_label", rv.label, "since", rv.period, "old",
                                        rv.old_value, "new", rv.new_value));
                }
            } else if (mapped == NULL &&
                       (store_code(ac.codes, d->code[ad][key[ad]], buf, sizeof buf) || add_areas)) {
                rep->added++;
            }
        }
        for (size_t i = 0; i < old.n; i++)
            rep->removed += !old.seen[i];
    }
    rc =
        sol__connect_record_version(st, p->name, p->id, "sdmx", name, url, si.found && si.published,
                                    prev_ver, ir.version, ir.source_id, revs, &fe, rep, err);
    goto out;
oom_mapped:
    rc = sol__err(err, SOL_ENOMEM, "out of memory");
oom_mapped_rc:
    if (mapped) {
        for (size_t i = 0; i < na; i++)
            sol__free(mapped[i]);
        sol__free(mapped);
    }
    goto undo_areas;
oom:
    rc = sol__err(err, SOL_ENOMEM, "out of memory");
undo_areas:
    if (nadded) { /* the import failed: the areas added for it go too */
        int own2;
        sol_error e2;
        if (sol_store_join(st, &own2, &e2) == SOL_OK) {
            sol_status r2 = SOL_OK;
            for (size_t i = 0; r2 == SOL_OK && i < nadded; i++)
                r2 = sol_store_area_drop_unused(st, added_areas[i], &e2);
            sol_store_leave(st, own2, r2, &e2);
        }
        rep->areas_added = 0;
    }
out:
    if (csv)
        fclose(csv);
    if (meta)
        fclose(meta);
    if (csv_path[0])
        remove(csv_path);
    if (meta_path[0])
        remove(meta_path);
    for (size_t i = 0; i < nadded; i++)
        sol__free(added_areas[i]);
    sol__free(added_areas);
    json_decref(revs);
    sol__free(ind_dims);
    sol__strmap_free(ind_seen);
    sol__strmap_free(ac.codes);
    oldvals_free(&old);
    sol_sdmx_data_free(d);
    sol__http_res_free(&r);
    json_decref(q);
    sol__free_n(6, row.provider, row.query, row.sha256, row.etag, row.last_modified, row.kind);
    return rc;
}
