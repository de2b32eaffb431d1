/* test_forecast.c - a forecast in words: the direction from the path, its 80% interval and the
 * model (flat, rising, falling), and its sentence in each language. */
#include "harness.h"

#include <solidata/forecast.h>

#include <math.h>
#include <string.h>

TEST(direction_from_path_interval_and_model)
{
    const double up[3] = {10.5, 11, 12}, lo[3] = {9, 9, 9}, hi[3] = {12, 13, 15};
    /* 12 - 10 = 2 beside a half-width of 3: rising */
    ASSERT_EQ(sol_forecast_direction(10, up, lo, hi, 3, "ETS(A,A,N)"), SOL_FORECAST_RISING);
    ASSERT_EQ(sol_forecast_direction(10, up, lo, hi, 3, "AAdN"), SOL_FORECAST_RISING);
    ASSERT_EQ(sol_forecast_direction(14, up, lo, hi, 3, NULL), SOL_FORECAST_FALLING);
    /* no trend component: flat whatever the numbers */
    ASSERT_EQ(sol_forecast_direction(10, up, lo, hi, 3, "ETS(M,N,M)"), SOL_FORECAST_FLAT);
    ASSERT_EQ(sol_forecast_direction(10, up, lo, hi, 3, "ANN"), SOL_FORECAST_FLAT);
    /* a move smaller than a tenth of the half-width (0.3) is no move */
    ASSERT_EQ(sol_forecast_direction(11.75, up, lo, hi, 3, "ETS(A,A,N)"), SOL_FORECAST_FLAT);
    ASSERT_EQ(sol_forecast_direction(12.29, up, lo, hi, 3, "ETS(A,A,N)"), SOL_FORECAST_FLAT);
    ASSERT_EQ(sol_forecast_direction(12.31, up, lo, hi, 3, "ETS(A,A,N)"), SOL_FORECAST_FALLING);
    /* without intervals any real difference counts; nothing known is flat */
    ASSERT_EQ(sol_forecast_direction(11.9, up, NULL, NULL, 3, NULL), SOL_FORECAST_RISING);
    ASSERT_EQ(sol_forecast_direction(NAN, up, lo, hi, 3, NULL), SOL_FORECAST_FLAT);
    ASSERT_EQ(sol_forecast_direction(10, up, lo, hi, 0, NULL), SOL_FORECAST_FLAT);
}

TEST(direction_names)
{
    sol_forecast_dir d;
    ASSERT_STR_EQ(sol_forecast_direction_name(SOL_FORECAST_FLAT), "flat");
    ASSERT_STR_EQ(sol_forecast_direction_name(SOL_FORECAST_RISING), "rising");
    ASSERT_STR_EQ(sol_forecast_direction_name(SOL_FORECAST_FALLING), "falling");
    ASSERT_STATUS(sol_forecast_direction_parse("falling", &d), SOL_OK);
    ASSERT_EQ(d, SOL_FORECAST_FALLING);
    ASSERT_STATUS(sol_forecast_direction_parse("down", &d), SOL_EINVAL);
    ASSERT_STATUS(sol_forecast_direction_parse(NULL, &d), SOL_EINVAL);
}

TEST(sentences_say_the_direction_in_each_language)
{
    char b[512];
    ASSERT_STATUS(sol_forecast_sentence(SOL_LANG_EN, SOL_FORECAST_FLAT, "Lazio", "Poverty rate",
                                        "2027", 7.5, 6.9, 8.1, 1, b, sizeof b),
                  SOL_OK);
    ASSERT_STR_EQ(b, "Lazio: Poverty rate is expected to stay about 7.5 until 2027 (80% interval: "
                     "6.9 to 8.1).");
    ASSERT_STATUS(sol_forecast_sentence(SOL_LANG_EN, SOL_FORECAST_FALLING, "Lazio", "Evictions",
                                        "2027", 1234.6, 1100, 1369, -1, b, sizeof b),
                  SOL_OK);
    ASSERT_STR_EQ(b, "Lazio: Evictions is expected to continue to fall, to about 1,235 in 2027 "
                     "(80% interval: 1,100 to 1,369).");
    ASSERT_STATUS(sol_forecast_sentence(SOL_LANG_EN, SOL_FORECAST_RISING, "Lazio", "Evictions",
                                        "2027", 8.4, 7, 9.8, 1, b, sizeof b),
                  SOL_OK);
    ASSERT_CONTAINS(b, "is expected to continue to rise, to about 8.4 in 2027");
    ASSERT_STATUS(sol_forecast_sentence(SOL_LANG_FR, SOL_FORECAST_FLAT, "Seine-Saint-Denis",
                                        "le taux de pauvreté", "2027", 27.5, 26, 29, 1, b,
                                        sizeof b),
                  SOL_OK);
    ASSERT_STR_EQ(b, "Seine-Saint-Denis : le taux de pauvreté devrait rester autour de 27,5 "
                     "jusqu'en 2027 (intervalle à 80 % : de 26,0 à 29,0).");
    ASSERT_STATUS(sol_forecast_sentence(SOL_LANG_FR, SOL_FORECAST_FALLING, "Seine-Saint-Denis",
                                        "les expulsions", "2027", 1234.6, 1100, 1369, -1, b,
                                        sizeof b),
                  SOL_OK);
    ASSERT_CONTAINS(b, "devrait continuer de baisser, jusqu'à environ 1\xE2\x80\xAF"
                       "235 en 2027");
    ASSERT_STATUS(sol_forecast_sentence(SOL_LANG_IT, SOL_FORECAST_RISING, "Frosinone",
                                        "il tasso di povertà", "2027", 8.4, 7, 9.8, 1, b, sizeof b),
                  SOL_OK);
    ASSERT_STR_EQ(b, "Frosinone: il tasso di povertà dovrebbe continuare a salire, fino a circa "
                     "8,4 nel 2027 (intervallo all'80%: da 7,0 a 9,8).");
    /* errors: a missing word, a buffer too small (cut, terminated) */
    ASSERT_STATUS(sol_forecast_sentence(SOL_LANG_EN, SOL_FORECAST_FLAT, NULL, "x", "2027", 1, 0, 2,
                                        0, b, sizeof b),
                  SOL_EINVAL);
    ASSERT_STATUS(sol_forecast_sentence(SOL_LANG_EN, SOL_FORECAST_FLAT, "Lazio", "x", "2027", 1, 0,
                                        2, 0, b, 10),
                  SOL_ELIMIT);
    ASSERT_EQ(strlen(b), 9);
}
