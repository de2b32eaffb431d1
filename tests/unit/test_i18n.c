/* test_i18n.c - languages: codes as people and locales write them, the environment's order of
 * precedence, the plural rules, a per-thread language beside the process's, the embedded
 * catalogues, and numbers and dates as each language writes them. */
#include "harness.h"

#include <solidata/i18n.h>

#include <pthread.h>

TEST(parse_codes_and_locales)
{
    sol_lang l;
    ASSERT_EQ(sol_lang_parse("fr", &l, NULL), SOL_OK);
    ASSERT_EQ(l, SOL_LANG_FR);
    ASSERT_EQ(sol_lang_parse("IT", &l, NULL), SOL_OK);
    ASSERT_EQ(l, SOL_LANG_IT);
    ASSERT_EQ(sol_lang_parse("fr_FR.UTF-8", &l, NULL), SOL_OK);
    ASSERT_EQ(l, SOL_LANG_FR);
    ASSERT_EQ(sol_lang_parse("it-IT", &l, NULL), SOL_OK);
    ASSERT_EQ(l, SOL_LANG_IT);
    ASSERT_EQ(sol_lang_parse("en_GB@euro", &l, NULL), SOL_OK);
    ASSERT_EQ(l, SOL_LANG_EN);
    sol_error err;
    ASSERT_EQ(sol_lang_parse("de", &l, &err), SOL_EINVAL);
    ASSERT(strstr(err.msg, "'de'") && strstr(err.msg, "en, fr, it"));
    ASSERT_EQ(sol_lang_parse("fra", &l, NULL), SOL_EINVAL);
    ASSERT_EQ(sol_lang_parse("f", &l, NULL), SOL_EINVAL);
    ASSERT_EQ(sol_lang_parse("", &l, NULL), SOL_EINVAL);
    ASSERT_EQ(sol_lang_parse(NULL, &l, NULL), SOL_EINVAL);
    ASSERT_STR_EQ(sol_lang_code(SOL_LANG_IT), "it");
    ASSERT_STR_EQ(sol_lang_code((sol_lang)7), "en");
}

static void env(const char *language, const char *all, const char *messages, const char *lang)
{
    const char *names[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
    const char *values[] = {language, all, messages, lang};
    for (int i = 0; i < 4; i++) {
        if (values[i])
            setenv(names[i], values[i], 1);
        else
            unsetenv(names[i]);
    }
}

TEST(environment_precedence)
{
    env(NULL, NULL, NULL, NULL);
    ASSERT_EQ(sol_lang_from_env(), SOL_LANG_EN);
    env(NULL, NULL, NULL, "fr_FR.UTF-8");
    ASSERT_EQ(sol_lang_from_env(), SOL_LANG_FR);
    env(NULL, NULL, "it_IT.UTF-8", "fr_FR.UTF-8");
    ASSERT_EQ(sol_lang_from_env(), SOL_LANG_IT);
    env(NULL, "C", "it_IT.UTF-8", "fr_FR.UTF-8"); /* LC_ALL wins, and C is English */
    ASSERT_EQ(sol_lang_from_env(), SOL_LANG_EN);
    env("de:it:fr", NULL, NULL, "fr_FR.UTF-8"); /* the first supported entry of the list */
    ASSERT_EQ(sol_lang_from_env(), SOL_LANG_IT);
    env("de", NULL, NULL, "fr_FR.UTF-8"); /* none supported: on to the locale */
    ASSERT_EQ(sol_lang_from_env(), SOL_LANG_FR);
    env(NULL, NULL, NULL, "de_DE.UTF-8");
    ASSERT_EQ(sol_lang_from_env(), SOL_LANG_EN);
    env(NULL, NULL, NULL, NULL);
}

TEST(plural_rules)
{
    /* without a translation, the English forms by the language's rule: French takes the
     * singular for 0 and 1, Italian and English for 1 only */
    const char *one = "no such message %lu", *many = "no such messages %lu";
    ASSERT(sol_lngettext(SOL_LANG_FR, one, many, 0) == one);
    ASSERT(sol_lngettext(SOL_LANG_FR, one, many, 1) == one);
    ASSERT(sol_lngettext(SOL_LANG_FR, one, many, 2) == many);
    ASSERT(sol_lngettext(SOL_LANG_IT, one, many, 0) == many);
    ASSERT(sol_lngettext(SOL_LANG_IT, one, many, 1) == one);
    ASSERT(sol_lngettext(SOL_LANG_EN, one, many, 0) == many);
    ASSERT(sol_lngettext(SOL_LANG_EN, one, many, 1) == one);
}

TEST(catalogues_translate_and_fall_back)
{
    /* a message every catalogue must have (tools/check-i18n.sh makes every message required) */
    const char *m = "out of memory";
    ASSERT(sol_lgettext(SOL_LANG_EN, m) == m);
    ASSERT(strcmp(sol_lgettext(SOL_LANG_FR, m), m) != 0);
    ASSERT(strcmp(sol_lgettext(SOL_LANG_IT, m), m) != 0);
    ASSERT(strcmp(sol_lgettext(SOL_LANG_FR, m), sol_lgettext(SOL_LANG_IT, m)) != 0);
    const char *unknown = "a sentence no catalogue has";
    ASSERT(sol_lgettext(SOL_LANG_FR, unknown) == unknown);
    ASSERT(sol_lpgettext(SOL_LANG_FR, "no such context", unknown) == unknown);
    ASSERT(sol_gettext(NULL) == NULL);
    /* the status table is translated too */
    sol_lang_set_default(SOL_LANG_FR);
    ASSERT(strcmp(sol_strerror(SOL_ENOMEM), "out of memory") != 0);
    sol_lang_set_default(SOL_LANG_EN);
    ASSERT_STR_EQ(sol_strerror(SOL_ENOMEM), "out of memory");
}

static void *in_italian(void *arg)
{
    sol_lang_set_thread(SOL_LANG_IT);
    *(sol_lang *)arg = sol_lang_current();
    return NULL;
}

TEST(thread_language_beside_the_process)
{
    sol_lang_set_default(SOL_LANG_FR);
    sol_lang seen = SOL_LANG_EN;
    pthread_t t;
    ASSERT_EQ(pthread_create(&t, NULL, in_italian, &seen), 0);
    pthread_join(t, NULL);
    ASSERT_EQ(seen, SOL_LANG_IT);
    ASSERT_EQ(sol_lang_current(), SOL_LANG_FR); /* this thread kept the process's */
    sol_lang_set_thread(SOL_LANG_EN);
    ASSERT_EQ(sol_lang_current(), SOL_LANG_EN);
    sol_lang_set_thread(-1);
    ASSERT_EQ(sol_lang_current(), SOL_LANG_FR);
    sol_lang_set_default(SOL_LANG_EN);
}

TEST(numbers_dates_as_written)
{
    char b[64];
    ASSERT_EQ(sol_lang_number(SOL_LANG_FR, 1234.5, 1, 1, b, sizeof b), SOL_OK);
    ASSERT_STR_EQ(b, "1\xE2\x80\xAF"
                     "234,5");
    ASSERT_EQ(sol_lang_number(SOL_LANG_IT, 1234567.891, 2, 1, b, sizeof b), SOL_OK);
    ASSERT_STR_EQ(b, "1.234.567,89");
    ASSERT_EQ(sol_lang_number(SOL_LANG_EN, -1234, 0, 1, b, sizeof b), SOL_OK);
    ASSERT_STR_EQ(b, "\xE2\x88\x92"
                     "1,234");
    ASSERT_EQ(sol_lang_number(SOL_LANG_EN, 2019, 0, 0, b, sizeof b), SOL_OK);
    ASSERT_STR_EQ(b, "2019");
    ASSERT_EQ(sol_lang_number(SOL_LANG_EN, -0.04, 1, 1, b, sizeof b), SOL_OK);
    ASSERT_STR_EQ(b, "0.0"); /* no "-0.0" */
    ASSERT_EQ(sol_lang_percent(SOL_LANG_FR, 27.94, 1, b, sizeof b), SOL_OK);
    ASSERT_STR_EQ(b, "27,9\xE2\x80\xAF%");
    ASSERT_EQ(sol_lang_percent(SOL_LANG_IT, 27.94, 1, b, sizeof b), SOL_OK);
    ASSERT_STR_EQ(b, "27,9%");
    ASSERT_EQ(sol_lang_percent(SOL_LANG_EN, 27.94, 1, b, sizeof b), SOL_OK);
    ASSERT_STR_EQ(b, "27.9%");
    ASSERT_EQ(sol_lang_date(SOL_LANG_FR, 2026, 12, 6, b, sizeof b), SOL_OK);
    ASSERT_STR_EQ(b, "6 d\xC3\xA9"
                     "cembre 2026");
    ASSERT_EQ(sol_lang_date(SOL_LANG_FR, 2027, 1, 1, b, sizeof b), SOL_OK);
    ASSERT_STR_EQ(b, "1er janvier 2027");
    ASSERT_EQ(sol_lang_date(SOL_LANG_IT, 2026, 12, 6, b, sizeof b), SOL_OK);
    ASSERT_STR_EQ(b, "6 dicembre 2026");
    ASSERT_EQ(sol_lang_date(SOL_LANG_EN, 2026, 13, 6, b, sizeof b), SOL_EINVAL);
    ASSERT_EQ(sol_lang_number(SOL_LANG_EN, 1234567.0, 0, 1, b, 5), SOL_ELIMIT);
    ASSERT_STR_EQ(b, "1,23");
    ASSERT(strcmp(sol_lang_number(SOL_LANG_FR, NAN, 1, 1, b, sizeof b) == SOL_OK ? b : "",
                  "no data") != 0); /* "no data" said in French */
}
