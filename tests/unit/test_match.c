/* test_match.c - the normal form of area names that import data matches on. */
#include "harness.h"
#include "run/match_int.h"

#include <string.h>

static const char *norm(const char *s, int bare)
{
    static char out[256];
    sol__match_normalise(s, strlen(s), bare, out, sizeof out);
    return out;
}

TEST(case_accents_apostrophes_hyphens)
{
    ASSERT_STR_EQ(norm("LA COURNEUVE", 0), "la courneuve");
    ASSERT_STR_EQ(norm("\xc3\x89pinay-sur-Seine", 0), "epinay sur seine");
    ASSERT_STR_EQ(norm("L\xe2\x80\x99Ha\xc3\xbf-les-Roses", 0), "l hay les roses");
    ASSERT_STR_EQ(norm("l'hay  les roses ", 0), "l hay les roses");
    ASSERT_STR_EQ(norm("\xc5\x92uilly", 0), "oeuilly");
    ASSERT_STR_EQ(norm("Forl\xc3\xac", 0), "forli");
}

TEST(saint_and_articles)
{
    ASSERT_STR_EQ(norm("Saint-Denis", 0), "st denis");
    ASSERT_STR_EQ(norm("St. Denis", 0), "st denis");
    ASSERT_STR_EQ(norm("Sainte-Genevi\xc3\xa8ve-des-Bois", 0), "ste genevieve des bois");
    ASSERT_STR_EQ(norm("Ste Genevieve des Bois", 0), "ste genevieve des bois");
    ASSERT_STR_EQ(norm("La Courneuve", 1), "courneuve");
    ASSERT_STR_EQ(norm("Les Lilas", 1), "lilas");
    ASSERT_STR_EQ(norm("L'Aquila", 1), "aquila");
    ASSERT_STR_EQ(norm("Gli Ulivi", 1), "ulivi");
    /* a name that is only an article stays */
    ASSERT_STR_EQ(norm("Le", 1), "le");
    /* articles only at the start */
    ASSERT_STR_EQ(norm("Villiers-le-B\xc3\xa2"
                       "cle",
                       1),
                  "villiers le bacle");
}

TEST(bounded)
{
    char out[8];
    size_t n = sol__match_normalise("Saint-Martin-des-Champs", 23, 0, out, sizeof out);
    ASSERT(n < sizeof out);
    ASSERT(strlen(out) < sizeof out);
}
