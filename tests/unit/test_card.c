/* test_card.c - a method card for a person: stored English keys and texts shown with labels
 * and translations of the reader's language, the nesting and the numbers left as they are. */
#include "harness.h"

#include <solidata/card.h>

#include <stdlib.h>
#include <string.h>

TEST(labels_of_the_parts_every_card_has)
{
    ASSERT_STR_EQ(sol_card_label(SOL_LANG_EN, "method"), "what was computed");
    ASSERT_STR_EQ(sol_card_label(SOL_LANG_EN, "choices"), "human choices");
    ASSERT_STR_EQ(sol_card_label(SOL_LANG_EN, "privacy"), "privacy");
    ASSERT_STR_EQ(sol_card_label(SOL_LANG_FR, "method"), "ce qui a été calculé");
    ASSERT_STR_EQ(sol_card_label(SOL_LANG_IT, "choices"), "scelte umane");
    ASSERT_STR_EQ(sol_card_label(SOL_LANG_FR, "horizon"), "horizon");
    ASSERT_STR_EQ(sol_card_label(SOL_LANG_IT, "model"), "modello");
    /* a key nobody labelled is shown as it is */
    ASSERT_STR_EQ(sol_card_label(SOL_LANG_FR, "min_cell"), "min_cell");
}

TEST(card_localised_keeps_shape_and_numbers)
{
    const char *card = "{\"kind\":\"alerts\",\"method\":{\"name\":\"composite index\","
                       "\"reference\":\"Mann 1945\"},\"choices\":{\"fdr\":0.1,\"since\":\"2015\","
                       "\"left_out\":[\"model fixed by the analyst\",3]},\"who\":null}";
    char *fr = NULL, *en = NULL;
    sol_error err;
    ASSERT_STATUS(sol_card_localise(card, SOL_LANG_FR, &fr, &err), SOL_OK);
    ASSERT_STR_EQ(fr, "{\"analyse\":\"alerts\",\"ce qui a été calculé\":{\"nom\":\"indice "
                      "composite\",\"référence\":\"Mann 1945\"},\"choix humains\":{\"taux de "
                      "fausses découvertes\":0.10000000000000001,\"depuis\":\"2015\",\"écartés\":"
                      "[\"modèle fixé par l'analyste\",3]},\"qui\":null}");
    ASSERT_STATUS(sol_card_localise(card, SOL_LANG_EN, &en, &err), SOL_OK);
    ASSERT_CONTAINS(en, "\"what was computed\":{\"name\":\"composite index\"");
    ASSERT_STATUS(sol_card_localise("{not json", SOL_LANG_FR, &fr, &err), SOL_EPARSE);
    free(en);
    free(fr);
}
