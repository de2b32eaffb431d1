/* providers.c - the SDMX REST providers solidata knows: endpoints, agencies, versions, formats,
 * languages and quirks; lookup with close names; the endpoint in use (environment override). */
#include "connect_int.h"

#include "core/core.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const sol_provider PROVIDERS[] = {
    {"ISTAT", "Istat", "IT1", "https://esploradati.istat.it/SDMXWS/rest", "2.1",
     "SDMX-ML generic and structure-specific, SDMX-JSON, SDMX-CSV", "it,en",
     N_("slow answers (a minute or more for large queries): long timeout and 1 s between "
        "requests; data agency IT1 (flows 'IT1,DF,1.0'), dataflow queries with agency 'all'; "
        "municipalities as 6-digit Istat codes"),
     "sdmx.istat.it", "all", "CC BY 3.0 IT", 1000, 300},
    {"ESTAT", "Eurostat", "ESTAT", "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1",
     "2.1 and 3.0 (.../sdmx/3.0)", "SDMX-ML structure-specific, SDMX-CSV, SDMX-JSON", "en,fr,de",
     N_("large queries are answered asynchronously (a 'queued' message and a later link); areas "
        "are NUTS codes in the 'geo' dimension; 3.0 endpoint at .../sdmx/3.0"),
     NULL, "ESTAT", "CC BY 4.0", 200, 180},
    {"INSEE", "Insee", "FR1", "https://bdm.insee.fr/series/sdmx", "2.1",
     "SDMX-ML structure-specific", "fr,en",
     N_("the open SDMX endpoint of the BDM (api.insee.fr/series/BDM/V1 asks for an API key); "
        "series keyed by IDBANK (dataflow SERIES_BDM) as well as by dimensions; about 30 "
        "requests a minute; areas as INSEE codes (departments, communes)"),
     "www.bdm.insee.fr", "FR1", "Licence Ouverte 2.0", 2000, 120},
    {"OECD", "OECD", "OECD", "https://sdmx.oecd.org/public/rest", "2.1",
     "SDMX-ML, SDMX-JSON, SDMX-CSV", "en,fr",
     N_("agencies per directorate (e.g. OECD.SDD.TPS): give flows as 'AGENCY,DF,VERSION'; rate "
        "limited (about 20 queries an hour for anonymous users)"),
     NULL, "all", "CC BY 4.0", 3000, 180},
    {"ECB", "ECB", "ECB", "https://data-api.ecb.europa.eu/service", "2.1",
     "SDMX-ML generic and structure-specific, SDMX-CSV, SDMX-JSON", "en",
     N_("names in English only; euro area and national series, no sub-national areas"), NULL, "ECB",
     "ECB reuse policy (attribution)", 200, 120},
    {"ILO", "ILO", "ILO", "https://sdmx.ilo.org/rest", "2.1", "SDMX-ML, SDMX-JSON, SDMX-CSV",
     "en,fr,es", N_("country-level series (ISO3 areas); large codelists"), NULL, "ILO", "CC BY 4.0",
     500, 180},
    {"UNICEF", "UNICEF", "UNICEF", "https://sdmx.data.unicef.org/ws/public/sdmxapi/rest", "2.1",
     "SDMX-ML, SDMX-JSON, SDMX-CSV", "en",
     N_("flows under agency UNICEF; country-level series (ISO3 areas)"), NULL, "UNICEF",
     "CC BY 3.0 IGO", 500, 180},
};

const sol_provider *sol_connect_providers(size_t *n)
{
    *n = sizeof PROVIDERS / sizeof PROVIDERS[0];
    return PROVIDERS;
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na > 63 || nb > 63)
        return 64;
    size_t d[64][64];
    for (size_t i = 0; i <= na; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= nb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= na; i++)
        for (size_t j = 1; j <= nb; j++) {
            size_t c = toupper((unsigned char)a[i - 1]) != toupper((unsigned char)b[j - 1]);
            size_t m = d[i - 1][j - 1] + c;
            if (d[i - 1][j] + 1 < m)
                m = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < m)
                m = d[i][j - 1] + 1;
            d[i][j] = m;
        }
    return d[na][nb];
}

sol_status sol_connect_provider(const char *id, const sol_provider **out, sol_error *err)
{
    size_t n;
    const sol_provider *p = sol_connect_providers(&n);
    for (size_t i = 0; id && i < n; i++)
        if (strcasecmp(p[i].id, id) == 0 || strcasecmp(p[i].name, id) == 0 ||
            (strcasecmp(id, "EUROSTAT") == 0 && strcmp(p[i].id, "ESTAT") == 0)) {
            *out = &p[i];
            return SOL_OK;
        }
    char close[256] = "", all[256] = "";
    size_t best = 64;
    for (size_t i = 0; i < n; i++)
        if (id) {
            size_t dd = edit_distance(id, p[i].id);
            if (dd < best)
                best = dd;
        }
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(all);
        snprintf(all + k, sizeof all - k, "%s%s", k ? ", " : "", p[i].id);
        if (id && edit_distance(id, p[i].id) <= best + 1 && best <= 3) {
            k = strlen(close);
            snprintf(close + k, sizeof close - k, "%s%s", k ? ", " : "", p[i].id);
        }
    }
    if (close[0])
        return sol__err(err, SOL_ENOTFOUND,
                        "unknown provider '%s': did you mean %s? (known: %s; 'solidata connect "
                        "providers' lists them)",
                        id ? id : "", close, all);
    return sol__err(err, SOL_ENOTFOUND,
                    "unknown provider '%s' (known: %s; 'solidata connect providers' lists them)",
                    id ? id : "", all);
}

const char *sol_connect_endpoint(const sol_provider *p, const char *base_url)
{
    char name[64];
    snprintf(name, sizeof name, "SOLIDATA_PROVIDER_URL_%s", p->id);
    const char *e = getenv(name);
    if (e && *e)
        return e;
    return base_url && *base_url ? base_url : p->url;
}

/* ---- folding text for word matching -----------------------------------------------------------
 */

char *sol__fold(const char *s)
{
    size_t n = strlen(s);
    char *o = sol__malloc(n + 1), *w = o;
    if (!o)
        return NULL;
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        if (u[0] == 0xC3 && u[1]) { /* Latin-1 supplement letters: U+00C0..U+00FF */
            static const char map[] = "aaaaaaaceeeeiiiidnooooo/ouuuuyts"
                                      "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
            unsigned c = u[1];
            *w++ = c >= 0x80 && c <= 0xBF ? map[c - 0x80] : '?';
            u += 2;
        } else if (*u >= 0x80) {
            *w++ = (char)*u++;
        } else {
            *w++ = (char)tolower(*u++);
        }
    }
    *w = '\0';
    return o;
}
