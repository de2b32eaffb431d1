/* labels.c - names a person reads, in the reader's language: an indicator's label and unit with
 * their fallback order, and the names of dimensions and area levels through the catalogues. */
#include <solidata/store.h>

#include "core/core.h"

#include <stddef.h>

const char *sol_label_origin_name(sol_label_origin o)
{
    switch (o) {
    case SOL_LABEL_LANG: return "lang";
    case SOL_LABEL_ENGLISH: return "en";
    case SOL_LABEL_DEFAULT: return "default";
    case SOL_LABEL_CODE: break;
    }
    return "code";
}

static int valid_lang(sol_lang l)
{
    return (int)l >= 0 && (int)l < SOL_LANG_COUNT;
}

static const char *set_origin(sol_label_origin *origin, sol_label_origin o, const char *s)
{
    if (origin)
        *origin = o;
    return s;
}

static int given(const char *s)
{
    return s != NULL && *s != '\0';
}

/* The fallback order of a text held in each language and once as the publisher's. */
static const char *pick(const char *const by_lang[SOL_LANG_COUNT], const char *plain, sol_lang lang,
                        const char *last, sol_label_origin *origin)
{
    if (valid_lang(lang) && given(by_lang[lang]))
        return set_origin(origin, SOL_LABEL_LANG, by_lang[lang]);
    if (given(by_lang[SOL_LANG_EN]))
        return set_origin(origin, SOL_LABEL_ENGLISH, by_lang[SOL_LANG_EN]);
    if (given(plain))
        return set_origin(origin, SOL_LABEL_DEFAULT, plain);
    return set_origin(origin, SOL_LABEL_CODE, last);
}

const char *sol_indicator_label(const sol_indicator *ind, sol_lang lang, sol_label_origin *origin)
{
    return pick(ind->labels, ind->label, lang, ind->code, origin);
}

const char *sol_indicator_unit(const sol_indicator *ind, sol_lang lang, sol_label_origin *origin)
{
    return pick(ind->units, ind->unit, lang, NULL, origin);
}

/* One name as stored (several spellings may share an English message) and its message. */
typedef struct known_name {
    const char *key;
    const char *msgid;
} known_name;

static const known_name dimensions[] = {
    {"income", N_("Income")},
    {"work", N_("Work")},
    {"employment", N_("Work")},
    {"education", N_("Education")},
    {"health", N_("Health")},
    {"housing", N_("Housing")},
    {"family", N_("Family")},
    {"social ties", N_("Social ties")},
    {"digital access", N_("Digital access")},
    {"safety", N_("Safety")},
    {"other", N_("Other")},
    /* the domains of Istat's BES (Benessere equo e sostenibile), as Istat names them */
    {"Salute", N_("Health")},
    {"Istruzione e formazione", N_("Education and training")},
    {"Lavoro e conciliazione dei tempi di vita", N_("Work and life balance")},
    {"Benessere economico", N_("Economic well-being")},
    {"Relazioni sociali", N_("Social relationships")},
    {"Politica e istituzioni", N_("Politics and institutions")},
    {"Sicurezza", N_("Safety")},
    {"Benessere soggettivo", N_("Subjective well-being")},
    {"Paesaggio e patrimonio culturale", N_("Landscape and cultural heritage")},
    {"Ambiente", N_("Environment")},
    {"Innovazione, ricerca e creatività", N_("Innovation, research and creativity")},
    {"Qualità dei servizi", N_("Quality of services")},
};

static const known_name levels[] = {
    {"region", N_("region")},
    {"regione", N_("region")},
    {"région", N_("region")},
    {"province", N_("province")},
    {"provincia", N_("province")},
    {"municipality", N_("municipality")},
    {"commune", N_("municipality")},
    {"comune", N_("municipality")},
    {"département", N_("department")},
    {"departement", N_("department")},
    {"department", N_("department")},
    {"arrondissement", N_("arrondissement")},
    {"iris", N_("IRIS (neighbourhood)")},
    {"census section", N_("census section")},
    {"sezione di censimento", N_("census section")},
    {"country", N_("country")},
    {"area", N_("area")},
};

/* Equal ignoring ASCII case, with '_' and '-' read as spaces ("social_ties"). */
static int same_name(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x == '_' || x == '-')
            x = ' ';
        if (y == '_' || y == '-')
            y = ' ';
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return 0;
        if (x == '\0')
            return 1;
    }
}

static const char *lookup(const known_name *t, size_t n, sol_lang lang, const char *name,
                          sol_label_origin *origin)
{
    if (name == NULL)
        return set_origin(origin, SOL_LABEL_CODE, NULL);
    for (size_t i = 0; i < n; i++) {
        if (!same_name(t[i].key, name))
            continue;
        if (!valid_lang(lang))
            lang = SOL_LANG_EN;
        const char *s = sol_lgettext(lang, t[i].msgid);
        return set_origin(
            origin, lang != SOL_LANG_EN && s == t[i].msgid ? SOL_LABEL_ENGLISH : SOL_LABEL_LANG, s);
    }
    return set_origin(origin, SOL_LABEL_CODE, name);
}

const char *sol_dimension_name(sol_lang lang, const char *dimension, sol_label_origin *origin)
{
    return lookup(dimensions, sizeof dimensions / sizeof *dimensions, lang, dimension, origin);
}

const char *sol_level_name(sol_lang lang, const char *level, sol_label_origin *origin)
{
    return lookup(levels, sizeof levels / sizeof *levels, lang, level, origin);
}
