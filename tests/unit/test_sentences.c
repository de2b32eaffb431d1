/* test_sentences.c - messages built as whole sentences: a column's role translated as a noun
 * standing alone, the plural chosen by the count in each language, English unchanged. Needs
 * the French and Italian catalogues to hold these messages (po/pending merged into po/). */
#include "harness.h"

#include <solidata/i18n.h>
#include <solidata/stats.h>

static const char CSV_NEG[] = "w,inc\n1,100\n-1,200\n";
static const char CSV_MISSING[] = "w,inc\n1,\n";

static const char *read_msg(const char *csv, sol_error *e)
{
    sol_md_column cols[] = {{"w", SOL_MD_NUMBER, 0, 1, 0, "weight"},
                            {"inc", SOL_MD_NUMBER, 0, 0, 0, "income"}};
    sol_microdata *md = NULL;
    memset(e, 0, sizeof *e);
    sol_status rc = sol_microdata_read_mem(csv, strlen(csv), "m.csv", cols, 2, &md, e);
    sol_microdata_free(md);
    return rc == SOL_OK ? "" : e->msg;
}

TEST(microdata_roles_in_each_language)
{
    sol_error e;
    sol_lang_set_thread(SOL_LANG_EN);
    ASSERT_STR_EQ(read_msg(CSV_NEG, &e), "weight in column 'w' must be zero or more, got -1");
    ASSERT_STR_EQ(read_msg(CSV_MISSING, &e), "missing income in column 'inc'");
    sol_lang_set_thread(SOL_LANG_FR);
    ASSERT_CONTAINS(read_msg(CSV_NEG, &e), "\xC2\xAB poids \xC2\xBB");
    ASSERT_CONTAINS(read_msg(CSV_MISSING, &e), "revenu");
    ASSERT(strstr(read_msg(CSV_MISSING, &e), "income") == NULL);
    sol_lang_set_thread(SOL_LANG_IT);
    ASSERT_CONTAINS(read_msg(CSV_NEG, &e), "\xC2\xAB"
                                           "peso\xC2\xBB");
    ASSERT_CONTAINS(read_msg(CSV_MISSING, &e), "reddito");
    ASSERT(strstr(read_msg(CSV_MISSING, &e), "income") == NULL);
    sol_lang_set_thread(-1);
}

TEST(plural_by_count)
{
    const char *one = "... and %zu more area left out", *many = "... and %zu more areas left out";
    ASSERT_STR_EQ(sol_lngettext(SOL_LANG_EN, one, many, 1), one);
    ASSERT_STR_EQ(sol_lngettext(SOL_LANG_EN, one, many, 2), many);
    ASSERT_CONTAINS(sol_lngettext(SOL_LANG_FR, one, many, 1), "autre territoire \xC3\xA9"
                                                              "cart\xC3\xA9");
    ASSERT_CONTAINS(sol_lngettext(SOL_LANG_FR, one, many, 2), "autres territoires");
    ASSERT_CONTAINS(sol_lngettext(SOL_LANG_IT, one, many, 1), "altro territorio escluso");
    ASSERT_CONTAINS(sol_lngettext(SOL_LANG_IT, one, many, 2), "territori esclusi");
}
