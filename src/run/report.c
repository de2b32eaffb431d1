/* report.c - the printable atlas: the same content as HTML (inline SVG maps) or as PDF pages
 * drawn from SVG through the render module; every sentence comes from a template in three
 * languages, every figure from the store, every source credited with its licence. */
#include <solidata/alerts.h>
#include <solidata/import.h>
#include <solidata/render.h>
#include <solidata/run.h>
#include <solidata/run_layers.h>
#include <solidata/version.h>
#include <solidata/withhold.h>

#include "core/core.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- templates ------------------------------------------------------------------------------- */

enum {
    T_TITLE,
    T_SUBTITLE,
    T_HOLDS,
    T_NEED_HEAD,
    T_NEED_SENTENCE,
    T_MEDIAN,
    T_TOP,
    T_AREA,
    T_VALUE,
    T_RANK,
    T_PROFILE,
    T_MOST,
    T_LEAST,
    T_MIDDLE,
    T_INDICATOR,
    T_PERIOD,
    T_POSITION,
    T_RUNS,
    T_NO_RUNS,
    T_KIND,
    T_WHEN,
    T_WHO,
    T_METHOD,
    T_SOURCES,
    T_NAME,
    T_LICENCE,
    T_ATTRIBUTION,
    T_NOTES,
    T_NOTE1,
    T_NOTE2,
    T_NOTE3,
    T_NOTE4,
    T_HIGHER_WORSE,
    T_HIGHER_BETTER,
    T_OF,
    T_PAGE,
    T_ALL,
    T_INTERVAL,
    T_FLAGS,
    T_INTERVAL_MEANS,
    T_LOW_REL_MEANS,
    T_BETWEEN,
    T_LOW_REL,
    T_INDEX_HEAD,
    T_INDEX_MEANS,
    T_INDEX_MPI,
    T_INDEX_CHOICES,
    T_INDEX_MAP,
    T_INDEX_SUB,
    T_SCORE,
    T_RANK_INDEX,
    T_RANK_INT,
    T_STRONGEST,
    T_WEAKEST,
    T_INDEX_WHY,
    T_INDEX_RANKS,
    T_INDEX_TABLE,
    T_HOT_HEAD,
    T_HOT_MEANS,
    T_HOT_PERM,
    T_HOT_ANALYTIC,
    T_HOT_MANY,
    T_HOT_COUNTS,
    T_HOT_TABLE,
    T_HOT_NONE,
    T_CLUSTER,
    T_P,
    T_HH,
    T_LL,
    T_HL,
    T_LH,
    T_NS,
    T_SAYS_HH,
    T_SAYS_LL,
    T_SAYS_HL,
    T_SAYS_LH,
    T_SAYS_NS,
    T_RUN_SOURCE,
    T_UNSTATED,
    T_HIGHEST_SENTENCE,
    T_RANK_VALUE,
    T_ALL_VALUE,
    T_WITHHELD,
    T_ALERTS_HEAD,
    T_ALERTS_INTRO,
    T_ALERTS_AREA,
    T_ALERTS_NONE,
    T_ALERTS_MEANS,
    T_COUNT
};

static const char *const tmpl[T_COUNT][3] = {
    /* en, it, fr */
    [T_TITLE] = {"Atlas of social needs", "Atlante dei bisogni sociali",
                 "Atlas des besoins sociaux"},
    [T_SUBTITLE] = {"Made with solidata %s on %s", "Prodotto con solidata %s il %s",
                    "Réalisé avec solidata %s le %s"},
    [T_HOLDS] = {"The store holds %lld areas, %lld indicators, %lld periods (%s to %s) and %lld "
                 "observations from %lld sources.",
                 "L'archivio contiene %lld aree, %lld indicatori, %lld periodi (da %s a %s) e %lld "
                 "osservazioni da %lld fonti.",
                 "La base contient %lld territoires, %lld indicateurs, %lld périodes (de %s à %s) "
                 "et %lld observations issues de %lld sources."},
    [T_NEED_HEAD] = {"Where the need is greatest", "Dove il bisogno è maggiore",
                     "Où le besoin est le plus fort"},
    [T_NEED_SENTENCE] =
        {"In %s, the areas with the greatest need on \"%s\" are %s.",
         "Nel %s, le aree con il bisogno maggiore per \"%s\" sono %s.",
         "En %s, les territoires où le besoin est le plus fort pour « %s » sont %s."},
    [T_ALERTS_HEAD] = {"Emerging needs", "Bisogni emergenti", "Besoins émergents"},
    [T_ALERTS_INTRO] = {"The latest check (since %s) found %zu signals of growing need among %lld "
                        "tests, keeping the expected share of false alarms under %.0f%%. The "
                        "strongest:",
                        "L'ultimo controllo (dal %s) ha trovato %zu segnali di bisogno in crescita "
                        "su %lld test, tenendo la quota attesa di falsi allarmi sotto il %.0f%%. I "
                        "più forti:",
                        "Le dernier contrôle (depuis %s) a trouvé %zu signaux de besoin croissant "
                        "parmi %lld tests, en gardant la part attendue de fausses alertes sous "
                        "%.0f %%. Les plus forts :"},
    [T_ALERTS_AREA] = {"Signals about %s:", "Segnali su %s:", "Signaux concernant %s :"},
    [T_ALERTS_NONE] = {"No signal of growing need passed the false-discovery control.",
                       "Nessun segnale di bisogno in crescita ha superato il controllo delle false "
                       "scoperte.",
                       "Aucun signal de besoin croissant n'a passé le contrôle des fausses "
                       "découvertes."},
    [T_ALERTS_MEANS] =
        {"Every series of every area is tested for a steady trend, a sudden change "
         "and an unusual latest value; with thousands of tests some would look "
         "significant by chance, so only signals whose false discovery rate (q) is "
         "below the chosen level are kept. An alert is a reason to look closer, not "
         "a conclusion. Areas whose values are withheld by disclosure control are "
         "left out.",
         "Ogni serie di ogni territorio è verificata per una tendenza costante, un "
         "cambiamento improvviso e un ultimo valore insolito; con migliaia di test "
         "alcuni sembrerebbero significativi per caso, quindi si tengono solo i "
         "segnali con tasso di false scoperte (q) sotto il livello scelto. Un "
         "allarme è un motivo per guardare meglio, non una conclusione. I territori "
         "con valori non pubblicati per riservatezza sono esclusi.",
         "Chaque série de chaque territoire est testée pour une tendance régulière, "
         "un changement brusque et une dernière valeur inhabituelle ; avec des "
         "milliers de tests, certains sembleraient significatifs par hasard : seuls "
         "les signaux dont le taux de fausses découvertes (q) est sous le niveau "
         "choisi sont gardés. Une alerte invite à regarder de plus près ; ce n'est "
         "pas une conclusion. Les territoires dont les valeurs sont protégées par le "
         "secret statistique sont exclus."},
    [T_WITHHELD] =
        {"%zu areas are withheld: their counts are below the minimum cell size, or "
         "would let one be recovered (statistical disclosure control).",
         "%zu aree non sono pubblicate: i loro conteggi sono sotto la soglia minima, o "
         "permetterebbero di ricostruirne uno (controllo della riservatezza statistica).",
         "%zu territoires ne sont pas publiés : leurs effectifs sont sous le seuil "
         "minimal, ou permettraient d'en reconstituer un (secret statistique)."},
    [T_MEDIAN] = {"The median over the %zu areas with a value is %s.",
                  "La mediana sulle %zu aree con un valore è %s.",
                  "La médiane sur les %zu territoires ayant une valeur est %s."},
    [T_TOP] = {"The %zu areas most in need", "Le %zu aree con più bisogno",
               "Les %zu territoires les plus en besoin"},
    [T_AREA] = {"Area", "Area", "Territoire"},
    [T_VALUE] = {"Value", "Valore", "Valeur"},
    [T_RANK] = {"Rank by need", "Posizione per bisogno", "Rang selon le besoin"},
    [T_PROFILE] = {"Profile of %s", "Profilo di %s", "Profil de %s"},
    [T_MOST] = {"among the areas most in need", "tra le aree con più bisogno",
                "parmi les territoires les plus en besoin"},
    [T_LEAST] = {"among the areas least in need", "tra le aree con meno bisogno",
                 "parmi les territoires les moins en besoin"},
    [T_MIDDLE] = {"in the middle", "nella media", "dans la moyenne"},
    [T_INDICATOR] = {"Indicator", "Indicatore", "Indicateur"},
    [T_PERIOD] = {"Period", "Periodo", "Période"},
    [T_POSITION] = {"Position", "Posizione", "Position"},
    [T_RUNS] = {"Computations recorded", "Elaborazioni registrate", "Calculs enregistrés"},
    [T_NO_RUNS] = {"No computation has been recorded yet.", "Nessuna elaborazione registrata.",
                   "Aucun calcul n'a encore été enregistré."},
    [T_KIND] = {"Kind", "Tipo", "Type"},
    [T_WHEN] = {"When", "Quando", "Quand"},
    [T_WHO] = {"Who", "Chi", "Qui"},
    [T_METHOD] = {"Method", "Metodo", "Méthode"},
    [T_SOURCES] = {"Sources and licences", "Fonti e licenze", "Sources et licences"},
    [T_NAME] = {"Source", "Fonte", "Source"},
    [T_LICENCE] = {"Licence", "Licenza", "Licence"},
    [T_ATTRIBUTION] = {"Attribution", "Attribuzione", "Attribution"},
    [T_NOTES] = {"How to read this atlas", "Come leggere questo atlante", "Comment lire cet atlas"},
    [T_NOTE1] =
        {"Maps group the areas into five classes of equal size (quantiles); a darker colour "
         "always means more need, whichever way the indicator runs.",
         "Le mappe dividono le aree in cinque classi di uguale numerosità (quantili); un "
         "colore più scuro indica sempre più bisogno, qualunque sia il verso "
         "dell'indicatore.",
         "Les cartes répartissent les territoires en cinq classes d'effectif égal "
         "(quantiles) ; une couleur plus sombre signifie toujours plus de besoin, quel que "
         "soit le sens de l'indicateur."},
    [T_NOTE2] = {"Whether a higher value is better or worse (the polarity) is a human choice, "
                 "recorded with each indicator and shown here.",
                 "Se un valore più alto sia meglio o peggio (la polarità) è una scelta umana, "
                 "registrata con ogni indicatore e mostrata qui.",
                 "Qu'une valeur plus élevée soit meilleure ou pire (la polarité) est un choix "
                 "humain, enregistré avec chaque indicateur et montré ici."},
    [T_NOTE3] =
        {"Missing values are left out, never counted as zero; areas without a value are "
         "hatched on the maps.",
         "I valori mancanti sono esclusi, mai contati come zero; le aree senza valore sono "
         "tratteggiate sulle mappe.",
         "Les valeurs manquantes sont exclues, jamais comptées comme zéro ; les territoires "
         "sans valeur sont hachurés sur les cartes."},
    [T_NOTE4] = {"Every figure comes from the sources listed at the end, as imported, with their "
                 "checksums kept in the catalog.",
                 "Ogni cifra proviene dalle fonti elencate in fondo, così come importate, con le "
                 "impronte conservate nel catalogo.",
                 "Chaque chiffre provient des sources listées à la fin, telles qu'importées, avec "
                 "leurs empreintes conservées dans le catalogue."},
    [T_HIGHER_WORSE] = {"a higher value means more need", "un valore più alto indica più bisogno",
                        "une valeur plus élevée signifie plus de besoin"},
    [T_HIGHER_BETTER] = {"a lower value means more need", "un valore più basso indica più bisogno",
                         "une valeur plus basse signifie plus de besoin"},
    [T_OF] = {"%lld of %lld", "%lld su %lld", "%lld sur %lld"},
    [T_PAGE] = {"Page", "Pagina", "Page"},
    [T_ALL] = {"All %zu areas, from the greatest need", "Tutte le %zu aree, dal bisogno maggiore",
               "Les %zu territoires, du besoin le plus fort au plus faible"},
    [T_INTERVAL] = {"95% interval", "Intervallo al 95%", "Intervalle à 95 %"},
    [T_FLAGS] = {"Flags", "Note", "Indications"},
    [T_INTERVAL_MEANS] =
        {"Some figures are estimates with a margin of error. \"Between X and Y, 95%\" "
         "means that intervals built this way contain the true value 95 times out "
         "of 100. A wide interval means the figure is uncertain.",
         "Alcune cifre sono stime con un margine di errore. «Tra X e Y, al 95%» "
         "significa che gli intervalli costruiti così contengono il valore vero 95 "
         "volte su 100. Un intervallo ampio indica una cifra incerta.",
         "Certains chiffres sont des estimations avec une marge d'erreur. « Entre X "
         "et Y, à 95 % » signifie que les intervalles construits ainsi contiennent "
         "la vraie valeur 95 fois sur 100. Un intervalle large signifie que le "
         "chiffre est incertain."},
    [T_LOW_REL_MEANS] =
        {"Figures marked \"low reliability\" have a large error compared with their "
         "value: do not use them alone.",
         "Le cifre segnate «affidabilità bassa» hanno un errore grande rispetto al "
         "loro valore: non usatele da sole.",
         "Les chiffres marqués « fiabilité faible » ont une erreur grande par rapport "
         "à leur valeur : ne les utilisez pas seuls."},
    [T_BETWEEN] = {"between %s and %s", "tra %s e %s", "entre %s et %s"},
    [T_LOW_REL] = {"low reliability", "affidabilità bassa", "fiabilité faible"},
    [T_INDEX_HEAD] = {"Composite well-being index, %s", "Indice composito di benessere, %s",
                      "Indice composite de bien-être, %s"},
    [T_INDEX_MEANS] =
        {"The index sums up %zu indicators, grouped in %zu dimensions of well-being, "
         "in one score per area. Each indicator is first put on a common scale, "
         "turned so that higher always means better; the scores compare the areas "
         "with each other, not with a target. The rank interval comes from "
         "recomputing the index %lld times with other reasonable choices of method "
         "and weights: nine times out of ten the rank stays within it.",
         "L'indice riassume %zu indicatori, raggruppati in %zu dimensioni del "
         "benessere, in un punteggio per area. Ogni indicatore è prima portato su una "
         "scala comune, orientato in modo che più alto significhi sempre meglio; i "
         "punteggi confrontano le aree tra loro, non con un obiettivo. L'intervallo "
         "di posizione viene da %lld ricalcoli dell'indice con altre scelte "
         "ragionevoli di metodo e di pesi: nove volte su dieci la posizione vi resta.",
         "L'indice résume %zu indicateurs, regroupés en %zu dimensions du bien-être, "
         "en un score par territoire. Chaque indicateur est d'abord ramené à une "
         "échelle commune, orienté pour que plus élevé signifie toujours mieux ; les "
         "scores comparent les territoires entre eux, pas à un objectif. L'intervalle "
         "de rang vient de %lld nouveaux calculs de l'indice avec d'autres choix "
         "raisonnables de méthode et de pondérations : neuf fois sur dix le rang y "
         "reste."},
    [T_INDEX_MPI] =
        {"The dimensions are combined with a penalty for unbalanced profiles "
         "(Mazziotta-Pareto): a very low dimension is not fully made up for by a high "
         "one.",
         "Le dimensioni sono combinate con una penalità per i profili squilibrati "
         "(Mazziotta-Pareto): una dimensione molto bassa non è del tutto compensata da "
         "una alta.",
         "Les dimensions sont combinées avec une pénalité pour les profils déséquilibrés "
         "(Mazziotta-Pareto) : une dimension très faible n'est pas entièrement "
         "compensée par une dimension forte."},
    [T_INDEX_CHOICES] = {"The weights are a human choice, set by: %s. Method: %s (run %lld).",
                         "I pesi sono una scelta umana, fissata da: %s. Metodo: %s (elaborazione "
                         "%lld).",
                         "Les pondérations sont un choix humain, fixé par : %s. Méthode : %s "
                         "(calcul %lld)."},
    [T_INDEX_MAP] = {"Composite well-being index", "Indice composito di benessere",
                     "Indice composite de bien-être"},
    [T_INDEX_SUB] = {"score; higher is better: darker areas fare worse",
                     "punteggio; più alto è meglio: le aree più scure stanno peggio",
                     "score ; plus élevé est mieux : les territoires plus sombres vont moins bien"},
    [T_SCORE] = {"Score", "Punteggio", "Score"},
    [T_RANK_INDEX] = {"Rank", "Posizione", "Rang"},
    [T_RANK_INT] = {"90% rank interval", "Intervallo al 90%", "Intervalle de rang à 90 %"},
    [T_STRONGEST] = {"Strongest dimension", "Dimensione più forte", "Dimension la plus forte"},
    [T_WEAKEST] = {"Weakest dimension", "Dimensione più debole", "Dimension la plus faible"},
    [T_INDEX_WHY] = {"%s ranks %lld of %lld (90%% rank interval %s to %s) with a score of %s. Its "
                     "strongest dimension is %s (%s standard deviations above the average) and its "
                     "weakest is %s (%s standard deviations below).",
                     "%s è in posizione %lld su %lld (intervallo al 90%% da %s a %s) con un "
                     "punteggio di %s. La sua dimensione più forte è %s (%s deviazioni standard "
                     "sopra la media) e la più debole è %s (%s deviazioni standard sotto).",
                     "%s est au rang %lld sur %lld (intervalle de rang à 90 %% de %s à %s) avec un "
                     "score de %s. Sa dimension la plus forte est %s (%s écarts-types au-dessus de "
                     "la moyenne) et la plus faible est %s (%s écarts-types en dessous)."},
    [T_INDEX_RANKS] = {"Rank 1 is the highest score (best well-being).",
                       "La posizione 1 è il punteggio più alto (più benessere).",
                       "Le rang 1 est le score le plus élevé (meilleur bien-être)."},
    [T_INDEX_TABLE] = {"All %zu areas by score", "Tutte le %zu aree per punteggio",
                       "Les %zu territoires par score"},
    [T_HOT_HEAD] = {"Hot spots of \"%s\" (%s)", "Punti caldi di «%s» (%s)",
                    "Points chauds de « %s » (%s)"},
    [T_HOT_MEANS] =
        {"The map shows where areas with similar values sit next to each other more "
         "than chance would make them (local Moran's I, LISA): high values among high "
         "(hot spots, red), low among low (cold spots, blue), and areas that differ "
         "from their neighbours (light colours).",
         "La mappa mostra dove aree con valori simili sono vicine più di quanto farebbe "
         "il caso (I di Moran locale, LISA): valori alti tra valori alti (punti caldi, "
         "rosso), bassi tra bassi (punti freddi, blu) e aree diverse dalle vicine "
         "(colori chiari).",
         "La carte montre où des territoires aux valeurs semblables se touchent plus "
         "que le hasard ne le voudrait (I de Moran local, LISA) : valeurs élevées parmi "
         "élevées (points chauds, rouge), faibles parmi faibles (points froids, bleu), "
         "et territoires qui diffèrent de leurs voisins (couleurs claires)."},
    [T_HOT_PERM] = {"An area is coloured when its p-value, from %lld random rearrangements of the "
                    "values among the areas, is below %s; the others are grey.",
                    "Un'area è colorata quando il suo p-value, da %lld permutazioni casuali dei "
                    "valori tra le aree, è sotto %s; le altre sono grigie.",
                    "Un territoire est coloré quand sa p-valeur, tirée de %lld permutations "
                    "aléatoires des valeurs entre les territoires, est inférieure à %s ; les "
                    "autres sont en gris."},
    [T_HOT_ANALYTIC] = {"An area is coloured when its p-value (normal approximation of local "
                        "Moran's I) is below %s; the others are grey.",
                        "Un'area è colorata quando il suo p-value (approssimazione normale dell'I "
                        "di Moran locale) è sotto %s; le altre sono grigie.",
                        "Un territoire est coloré quand sa p-valeur (approximation normale du I "
                        "de Moran local) est inférieure à %s ; les autres sont en gris."},
    [T_HOT_MANY] = {"With %zu areas tested at once, a few clusters are expected by chance alone: "
                    "read an isolated one with care.",
                    "Con %zu aree verificate insieme, alcuni cluster compaiono per puro caso: "
                    "leggete con cautela un cluster isolato.",
                    "Avec %zu territoires testés à la fois, quelques agrégats apparaissent par le "
                    "seul hasard : lisez un agrégat isolé avec prudence."},
    [T_HOT_COUNTS] = {"Of %zu areas: %lld High-High, %lld Low-Low, %lld High-Low, %lld Low-High, "
                      "%lld not significant.",
                      "Su %zu aree: %lld Alto-Alto, %lld Basso-Basso, %lld Alto-Basso, %lld "
                      "Basso-Alto, %lld non significative.",
                      "Sur %zu territoires : %lld Haut-Haut, %lld Bas-Bas, %lld Haut-Bas, %lld "
                      "Bas-Haut, %lld non significatifs."},
    [T_HOT_TABLE] = {"The areas in a significant cluster", "Le aree in un cluster significativo",
                     "Les territoires dans un agrégat significatif"},
    [T_HOT_NONE] = {"No area is in a significant cluster.",
                    "Nessuna area è in un cluster significativo.",
                    "Aucun territoire n'est dans un agrégat significatif."},
    [T_CLUSTER] = {"Cluster", "Cluster", "Agrégat"},
    [T_P] = {"p", "p", "p"},
    [T_HH] = {"High-High", "Alto-Alto", "Haut-Haut"},
    [T_LL] = {"Low-Low", "Basso-Basso", "Bas-Bas"},
    [T_HL] = {"High-Low", "Alto-Basso", "Haut-Bas"},
    [T_LH] = {"Low-High", "Basso-Alto", "Bas-Haut"},
    [T_NS] = {"not significant", "non significativo", "non significatif"},
    [T_SAYS_HH] = {"%s is in a High-High cluster: its value is high and so are its neighbours'. "
                   "It is part of a hot spot (p = %s).",
                   "%s è in un cluster Alto-Alto: il suo valore è alto e lo sono anche quelli dei "
                   "vicini. Fa parte di un punto caldo (p = %s).",
                   "%s appartient à un agrégat Haut-Haut : sa valeur est élevée, comme celles de "
                   "ses voisins. C'est un point chaud (p = %s)."},
    [T_SAYS_LL] = {"%s is in a Low-Low cluster: its value is low and so are its neighbours'. It "
                   "is part of a cold spot (p = %s).",
                   "%s è in un cluster Basso-Basso: il suo valore è basso e lo sono anche quelli "
                   "dei vicini. Fa parte di un punto freddo (p = %s).",
                   "%s appartient à un agrégat Bas-Bas : sa valeur est faible, comme celles de ses "
                   "voisins. C'est un point froid (p = %s)."},
    [T_SAYS_HL] = {"%s is a High-Low outlier: its value is high while its neighbours' are low "
                   "(p = %s).",
                   "%s è un'anomalia Alto-Basso: il suo valore è alto mentre quelli dei vicini "
                   "sono bassi (p = %s).",
                   "%s est une exception Haut-Bas : sa valeur est élevée alors que celles de ses "
                   "voisins sont faibles (p = %s)."},
    [T_SAYS_LH] = {"%s is a Low-High outlier: its value is low while its neighbours' are high "
                   "(p = %s).",
                   "%s è un'anomalia Basso-Alto: il suo valore è basso mentre quelli dei vicini "
                   "sono alti (p = %s).",
                   "%s est une exception Bas-Haut : sa valeur est faible alors que celles de ses "
                   "voisins sont élevées (p = %s)."},
    [T_SAYS_NS] = {"%s is not part of a significant cluster (p = %s): the pattern of its value "
                   "and its neighbours' could well arise by chance.",
                   "%s non fa parte di un cluster significativo (p = %s): la disposizione del suo "
                   "valore e di quelli dei vicini potrebbe ben essere dovuta al caso.",
                   "%s n'appartient à aucun agrégat significatif (p = %s) : la disposition de sa "
                   "valeur et de celles de ses voisins pourrait bien être due au hasard."},
    [T_UNSTATED] = {"the source does not say whether a higher value is better or worse: areas are "
                    "ranked from the highest value",
                    "la fonte non dice se un valore più alto sia meglio o peggio: le aree sono "
                    "ordinate dal valore più alto",
                    "la source ne dit pas si une valeur plus élevée est meilleure ou pire : les "
                    "territoires sont classés à partir de la valeur la plus élevée"},
    [T_HIGHEST_SENTENCE] = {"In %s, the highest values of \"%s\" are in %s.",
                            "Nel %s, i valori più alti di \"%s\" sono in %s.",
                            "En %s, les valeurs les plus élevées de « %s » sont à %s."},
    [T_RANK_VALUE] = {"Rank by value", "Posizione per valore", "Rang selon la valeur"},
    [T_ALL_VALUE] = {"All %zu areas, from the highest value",
                     "Tutte le %zu aree, dal valore più alto",
                     "Les %zu territoires, de la valeur la plus élevée à la plus basse"},
    [T_RUN_SOURCE] = {"solidata run %lld (%s)", "elaborazione solidata %lld (%s)",
                      "calcul solidata %lld (%s)"},
};

/* ---- document model: blocks written either as HTML or as SVG pages --------------------------- */

typedef struct doc {
    int lang;
    int pdf;
    sol_buf html;
    /* PDF: finished pages and the one being written */
    char **pages;
    size_t *page_len;
    size_t npages, cap;
    sol_buf page;
    double y;
    int failed;
} doc;

#define PAGE_W  794.0
#define PAGE_H  1123.0
#define MARGIN  56.0
#define TEXT_W  (PAGE_W - 2 * MARGIN)
#define MAX_DOC (512u << 20)

static const char *T(const doc *d, int k)
{
    return tmpl[k][d->lang];
}

static void esc(sol_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': sol__buf_add(b, "&lt;", 4); break;
        case '>': sol__buf_add(b, "&gt;", 4); break;
        case '&': sol__buf_add(b, "&amp;", 5); break;
        case '"': sol__buf_add(b, "&quot;", 6); break;
        default: sol__buf_addc(b, *s);
        }
    }
}

static void page_finish(doc *d)
{
    if (d->page.data == NULL)
        return;
    sol__buf_addf(&d->page, "</svg>\n");
    if (d->npages == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        char **p = sol__realloc(d->pages, cap * sizeof *p);
        size_t *l = p ? sol__realloc(d->page_len, cap * sizeof *l) : NULL;
        if (p)
            d->pages = p;
        if (l == NULL) {
            d->failed = 1;
            return;
        }
        d->page_len = l;
        d->cap = cap;
    }
    d->pages[d->npages] = d->page.data;
    d->page_len[d->npages++] = d->page.len;
    sol__buf_init(&d->page, MAX_DOC);
}

static void page_need(doc *d, double h)
{
    if (d->page.data && d->y + h <= PAGE_H - MARGIN)
        return;
    page_finish(d);
    sol__buf_addf(&d->page,
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                  "viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, Helvetica, Arial, "
                  "sans-serif\"><rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n"
                  "<text x=\"%.0f\" y=\"%.0f\" font-size=\"10\" fill=\"#555\">%s %zu</text>\n",
                  PAGE_W, PAGE_H, PAGE_W, PAGE_H, PAGE_W - MARGIN - 50, PAGE_H - 24, T(d, T_PAGE),
                  d->npages + 1);
    d->y = MARGIN;
}

/* A paragraph: wrapped at about 0.55 em per character. */
static void para(doc *d, const char *text, double size, int bold, const char *html_tag)
{
    if (!d->pdf) {
        sol__buf_addf(&d->html, "<%s>", html_tag);
        esc(&d->html, text);
        sol__buf_addf(&d->html, "</%s>\n", html_tag);
        return;
    }
    size_t per_line = (size_t)(TEXT_W / (size * 0.55));
    const char *s = text;
    while (*s) {
        size_t n = strlen(s), take = n;
        if (n > per_line) {
            take = per_line;
            while (take > 0 && s[take] != ' ')
                take--;
            if (take == 0)
                take = per_line;
        }
        page_need(d, size * 1.4);
        d->y += size * 1.3;
        sol__buf_addf(&d->page, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"%.0f\"%s>", MARGIN, d->y,
                      size, bold ? " font-weight=\"bold\"" : "");
        char line[1024];
        snprintf(line, sizeof line, "%.*s", (int)take, s);
        esc(&d->page, line);
        sol__buf_addf(&d->page, "</text>\n");
        s += take;
        while (*s == ' ')
            s++;
    }
    d->y += size * 0.6;
}

/* One row of a PDF table at font size fs: each cell wraps within its column (at most 6 lines);
 * the row is as tall as its tallest cell. */
static void table_row(doc *d, const char *const *cells, size_t ncol, const double *w, double fs,
                      int head)
{
    double lh = fs * 1.3;
    size_t lines = 1;
    for (size_t c = 0; c < ncol; c++) {
        size_t maxc = (size_t)(w[c] * TEXT_W / (fs * 0.55)) - 1;
        size_t n = strlen(cells[c]);
        size_t l = maxc ? (n + maxc - 1) / maxc : 1;
        if (l > lines)
            lines = l > 6 ? 6 : l;
    }
    d->y += lh + 2;
    double x = MARGIN;
    for (size_t c = 0; c < ncol; c++) {
        size_t maxc = (size_t)(w[c] * TEXT_W / (fs * 0.55)) - 1;
        const char *cell = cells[c];
        for (size_t l = 0; l < lines && *cell; l++) {
            size_t n = strlen(cell), take = n > maxc ? maxc : n;
            if (take < n) { /* break at the last blank that fits */
                size_t b2 = take;
                while (b2 > 0 && cell[b2] != ' ')
                    b2--;
                if (b2 > 0)
                    take = b2;
            }
            char part[512];
            snprintf(part, sizeof part, "%.*s", (int)(take < 511 ? take : 511), cell);
            sol__buf_addf(&d->page, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"%g\"%s>", x,
                          d->y + lh * (double)l, fs, head ? " font-weight=\"bold\"" : "");
            esc(&d->page, part);
            sol__buf_addf(&d->page, "</text>\n");
            cell += take;
            while (*cell == ' ')
                cell++;
        }
        x += w[c] * TEXT_W;
    }
    if (head)
        sol__buf_addf(&d->page,
                      "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>\n",
                      MARGIN, PAGE_W - MARGIN, d->y + 4, d->y + 4);
    d->y += lh * (double)(lines - 1);
}

/* A table of ncol columns; cells row-major, the first row the header. Widths are fractions.
 * fs is the PDF font size (compact tables of many areas use a small one); in the PDF the header
 * is repeated at the top of every page the table runs onto, and in HTML it is a <thead>, which
 * browsers repeat on every printed page. */
static void table_fs(doc *d, const char *const *cells, size_t nrows, size_t ncol, const double *w,
                     double fs)
{
    if (!d->pdf) {
        sol__buf_addf(&d->html, "<table%s>\n", fs < 10 ? " class=\"compact\"" : "");
        for (size_t r = 0; r < nrows; r++) {
            sol__buf_addf(&d->html, r ? "<tr>" : "<thead><tr>");
            for (size_t c = 0; c < ncol; c++) {
                sol__buf_addf(&d->html, r ? "<td>" : "<th scope=\"col\">");
                esc(&d->html, cells[r * ncol + c]);
                sol__buf_addf(&d->html, r ? "</td>" : "</th>");
            }
            sol__buf_addf(&d->html, r ? "</tr>\n" : "</tr></thead>\n");
        }
        sol__buf_addf(&d->html, "</table>\n");
        return;
    }
    double lh = fs * 1.3;
    for (size_t r = 0; r < nrows; r++) {
        size_t before = d->npages;
        int fresh = d->page.data == NULL;
        page_need(d, lh * 2 + 6);
        if (r > 0 && (d->npages != before || fresh))
            table_row(d, cells, ncol, w, fs, 1); /* the header again on a new page */
        table_row(d, cells + r * ncol, ncol, w, fs, r == 0);
    }
    d->y += 10;
}

static void table(doc *d, const char *const *cells, size_t nrows, size_t ncol, const double *w)
{
    table_fs(d, cells, nrows, ncol, w, 10);
}

/* A map: inline in HTML; on its own part of a page in PDF (scaled to the text width). */
static void figure(doc *d, const char *svg, size_t len)
{
    const char *start = strstr(svg, "<svg");
    if (start == NULL)
        return;
    if (!d->pdf) {
        sol__buf_addf(&d->html, "<figure>");
        sol__buf_add(&d->html, start, len - (size_t)(start - svg));
        sol__buf_addf(&d->html, "</figure>\n");
        return;
    }
    double h = TEXT_W * 0.8; /* the maps are 1000 x 800 */
    page_need(d, h + 10);
    sol__buf_addf(&d->page, "<g transform=\"translate(%.0f %.1f) scale(%.4f)\">", MARGIN, d->y,
                  TEXT_W / 1000.0);
    sol__buf_add(&d->page, start, len - (size_t)(start - svg));
    sol__buf_addf(&d->page, "</g>\n");
    d->y += h + 10;
}

/* ---- content --------------------------------------------------------------------------------- */

static void fmt_value(double x, char *buf, size_t n)
{
    if (isnan(x))
        snprintf(buf, n, "-");
    else if (fabs(x) >= 1000)
        snprintf(buf, n, "%.0f", x);
    else
        snprintf(buf, n, "%.4g", x);
}

typedef struct order {
    const sol_values *v;
    int sign;
} order;
static order g_order; /* qsort has no context argument in C11; the report is single-threaded */

static int by_need(const void *a, const void *b)
{
    double x = g_order.v->values[*(const size_t *)a], y = g_order.v->values[*(const size_t *)b];
    if (x == y)
        return strcmp(g_order.v->codes[*(const size_t *)a], g_order.v->codes[*(const size_t *)b]);
    return (g_order.sign > 0 ? x < y : x > y) ? -1 : 1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* standard errors and flags of the values shown, aligned with v->codes */
typedef struct se_walk {
    sol_strmap *ix;
    double *se;
    int *flags;
} se_walk;

static int on_se(void *ud, const sol_obs *o)
{
    se_walk *w = ud;
    int64_t i;
    if (sol__strmap_get(w->ix, o->area, strlen(o->area), &i)) {
        w->se[i] = o->se;
        w->flags[i] = o->flags;
    }
    return 0;
}

static void interval_text(const doc *d, double v, double se, char *buf, size_t n)
{
    char lo[64], hi[64];
    if (isnan(se) || isnan(v)) {
        snprintf(buf, n, "-");
        return;
    }
    fmt_value(v - 1.959963984540054 * se, lo, sizeof lo);
    fmt_value(v + 1.959963984540054 * se, hi, sizeof hi);
    snprintf(buf, n, T(d, T_BETWEEN), lo, hi);
}

static sol_status indicator_section(sol_store *st, doc *d, const char *code, sol_error *err)
{
    sol_values *v = NULL;
    sol_status rc = sol_run_values(st, code, NULL, 0, &v, err);
    if (rc != SOL_OK)
        return rc;
    char head[1024], line[2048], names[1024] = "", buf[64];
    snprintf(head, sizeof head, "%s (%s)", v->label ? v->label : v->indicator, v->period);
    para(d, head, 16, 1, "h2");
    snprintf(line, sizeof line, "%s%s%s.", v->unit ? v->unit : "", v->unit ? "; " : "",
             v->polarity < 0   ? T(d, T_HIGHER_WORSE)
             : v->polarity > 0 ? T(d, T_HIGHER_BETTER)
                               : T(d, T_UNSTATED));
    para(d, line, 11, 0, "p");
    char *svg = NULL;
    size_t len = 0;
    static const char *const langs[3] = {"en", "it", "fr"};
    sol_map_job mo = {.indicator = code, .period = v->period, .lang = langs[d->lang]};
    if ((rc = sol_run_map_svg(st, &mo, &svg, &len, err)) != SOL_OK)
        goto out;
    figure(d, svg, len);
    sol_free(svg);
    /* the table, the sentence and the median use publishable values only */
    size_t withheld = sol_values_withhold(v);
    if (withheld) {
        snprintf(line, sizeof line, T(d, T_WITHHELD), withheld);
        para(d, line, 11, 0, "p");
    }
    if (v->n == 0)
        goto out;
    size_t *ix = sol__calloc(v->n, sizeof *ix);
    double *sorted = sol__calloc(v->n, sizeof *sorted);
    const char **cells = sol__calloc(5 * (v->n + 1), sizeof *cells);
    char(*vals)[64] = sol__calloc(v->n, sizeof *vals);
    char(*ranks)[32] = sol__calloc(v->n, sizeof *ranks);
    char(*ivs)[160] = sol__calloc(v->n, sizeof *ivs);
    char(*fl)[128] = sol__calloc(v->n, sizeof *fl);
    se_walk sw = {.ix = sol__strmap_new(v->n ? v->n : 1),
                  .se = sol__malloc((v->n ? v->n : 1) * sizeof(double)),
                  .flags = sol__calloc(v->n ? v->n : 1, sizeof(int))};
    if (!ix || !sorted || !cells || !vals || !ranks || !ivs || !fl || !sw.ix || !sw.se ||
        !sw.flags) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto tidy;
    }
    for (size_t i = 0; i < v->n; i++) {
        ix[i] = i;
        sorted[i] = v->values[i];
        sw.se[i] = NAN;
        if (sol__strmap_put(sw.ix, v->codes[i], strlen(v->codes[i]), (int64_t)i) != SOL_OK) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto tidy;
        }
    }
    if ((rc = sol_store_observations(st, code, v->period, on_se, &sw, err)) != SOL_OK)
        goto tidy;
    int any_se = 0, any_flag = 0, any_low = 0;
    for (size_t i = 0; i < v->n; i++) {
        any_se |= !isnan(sw.se[i]);
        any_flag |= sw.flags[i] != 0;
        any_low |= (sw.flags[i] & SOL_FLAG_LOW_RELIABILITY) != 0;
    }
    g_order = (order){v, v->polarity > 0 ? 1 : -1}; /* unstated polarity: highest first */
    qsort(ix, v->n, sizeof *ix, by_need);
    qsort(sorted, v->n, sizeof *sorted, cmp_double);
    double median = v->n % 2 ? sorted[v->n / 2] : (sorted[v->n / 2 - 1] + sorted[v->n / 2]) / 2;
    size_t top = v->n < 3 ? v->n : 3, used = 0;
    for (size_t k = 0; k < top; k++) {
        size_t i = ix[k];
        fmt_value(v->values[i], buf, sizeof buf);
        int w = snprintf(names + used, sizeof names - used, "%s%s (%s)",
                         k ? (k + 1 == top ? (d->lang == 0   ? " and "
                                              : d->lang == 1 ? " e "
                                                             : " et ")
                                           : ", ")
                           : "",
                         v->names[i] ? v->names[i] : v->codes[i], buf);
        if (w > 0 && (size_t)w < sizeof names - used)
            used += (size_t)w;
    }
    snprintf(line, sizeof line, T(d, v->polarity ? T_NEED_SENTENCE : T_HIGHEST_SENTENCE), v->period,
             v->label ? v->label : v->indicator, names);
    para(d, line, 11, 0, "p");
    fmt_value(median, buf, sizeof buf);
    snprintf(line, sizeof line, T(d, T_MEDIAN), v->n, buf);
    para(d, line, 11, 0, "p");
    if (any_se) {
        para(d, T(d, T_INTERVAL_MEANS), 11, 0, "p");
        if (any_low)
            para(d, T(d, T_LOW_REL_MEANS), 11, 0, "p");
    }
    /* every area, compact: rank, area, value, then the interval and flags when there are any */
    snprintf(line, sizeof line, T(d, v->polarity ? T_ALL : T_ALL_VALUE), v->n);
    para(d, line, 12, 1, "h3");
    size_t nc = 3 + (size_t)any_se + (size_t)any_flag, c = 0;
    cells[c++] = T(d, v->polarity ? T_RANK : T_RANK_VALUE);
    cells[c++] = T(d, T_AREA);
    cells[c++] = T(d, T_VALUE);
    if (any_se)
        cells[c++] = T(d, T_INTERVAL);
    if (any_flag)
        cells[c++] = T(d, T_FLAGS);
    for (size_t k = 0; k < v->n; k++) {
        size_t i = ix[k];
        /* ties share the better rank */
        size_t r = k;
        while (r > 0 && v->values[ix[r - 1]] == v->values[i])
            r--;
        snprintf(ranks[k], sizeof ranks[k], "%zu", r + 1);
        fmt_value(v->values[i], vals[k], sizeof vals[k]);
        cells[c++] = ranks[k];
        cells[c++] = v->names[i] ? v->names[i] : v->codes[i];
        cells[c++] = vals[k];
        if (any_se) {
            interval_text(d, v->values[i], sw.se[i], ivs[k], sizeof ivs[k]);
            cells[c++] = ivs[k];
        }
        if (any_flag) {
            if (sw.flags[i] & SOL_FLAG_LOW_RELIABILITY)
                snprintf(fl[k], sizeof fl[k], "%s", T(d, T_LOW_REL));
            else
                sol_flags_format(sw.flags[i], fl[k], sizeof fl[k]);
            cells[c++] = fl[k];
        }
    }
    static const double w3[] = {0.1, 0.5, 0.4}, w4[] = {0.08, 0.4, 0.16, 0.36},
                        w4f[] = {0.08, 0.42, 0.2, 0.3}, w5[] = {0.07, 0.33, 0.14, 0.28, 0.18};
    table_fs(d, cells, v->n + 1, nc, nc == 3 ? w3 : nc == 5 ? w5 : any_se ? w4 : w4f, 8);
tidy:
    sol__free_n(7, ix, sorted, cells, vals, ranks, ivs, fl);
    sol__strmap_free(sw.ix);
    sol__free(sw.se);
    sol__free(sw.flags);
out:
    sol_values_free(v);
    return rc;
}

/* ---- the analyses: composite index and hot spots (src/run/layers.c) -------------------------- */

/* The areas of one level with their geometry, for the maps of the analyses. */
typedef struct level_areas {
    const char *level;
    sol_feature *f;
    size_t n, cap;
    int failed;
} level_areas;

static int on_level_area(void *ud, const sol_area *a)
{
    level_areas *l = ud;
    if (strcmp(a->level, l->level) != 0 || a->geometry == NULL)
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        sol_feature *f = sol__realloc(l->f, cap * sizeof *f);
        if (f == NULL) {
            l->failed = 1;
            return 1;
        }
        l->f = f;
        l->cap = cap;
    }
    sol_feature *f = &l->f[l->n];
    memset(f, 0, sizeof *f);
    if (sol_geo_parse_geojson(a->geometry, f, NULL) != SOL_OK)
        return 0; /* an area the map cannot draw is left off the map, not off the tables */
    f->code = sol__strdup(a->code);
    f->name = a->name ? sol__strdup(a->name) : NULL;
    l->n++;
    if (f->code == NULL || (a->name && f->name == NULL))
        l->failed = 1;
    return l->failed;
}

static void level_areas_free(level_areas *l)
{
    for (size_t i = 0; i < l->n; i++)
        sol_feature_clear(&l->f[i]);
    sol__free(l->f);
}

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static double jdbl(json_t *o, const char *key)
{
    json_t *j = json_object_get(o, key);
    return json_is_number(j) ? json_number_value(j) : NAN;
}

static void fmt_rank(double r, char *buf, size_t n)
{
    if (isnan(r))
        snprintf(buf, n, "-");
    else if (r == floor(r))
        snprintf(buf, n, "%.0f", r);
    else
        snprintf(buf, n, "%.1f", r);
}

/* Draw a map of the areas of `level`: value[i] and cls[i] come from fill(code), which returns the
 * class, -1 for no data, or -2 for an area withheld by disclosure control (drawn as suppressed). */
typedef int (*class_fn)(void *ud, const char *code, double *value);
static sol_status analysis_map(sol_store *st, doc *d, const char *level, sol_map *m, class_fn fill,
                               void *ud, double *vals_for_breaks, size_t nvals, sol_error *err)
{
    level_areas la = {.level = level};
    uint32_t pal[SOL_CLASSES_MAX]; /* the score palette, when the caller gives no colours */
    sol_status rc = sol_store_areas(st, 1, on_level_area, &la, err);
    int *cls = NULL;
    double *val = NULL;
    unsigned char *supp = NULL; /* fill() said -2: withheld by disclosure control */
    sol_breaks *b = NULL;
    char *svg = NULL;
    size_t len = 0;
    if (rc != SOL_OK)
        goto done;
    if (la.failed) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    if (la.n == 0)
        goto done; /* nothing to draw */
    cls = sol__calloc(la.n, sizeof *cls);
    val = sol__calloc(la.n, sizeof *val);
    supp = sol__calloc(la.n, 1);
    if (!cls || !val || !supp) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    if (vals_for_breaks) {
        if ((rc = sol_render_breaks(vals_for_breaks, nvals, SOL_CLASS_QUANTILE, 5, &b, err)) !=
            SOL_OK)
            goto done;
        m->breaks = b;
        m->nclasses = b->nclasses;
    }
    for (size_t i = 0; i < la.n; i++) {
        cls[i] = fill(ud, la.f[i].code, &val[i]);
        if (cls[i] == -2) {
            supp[i] = 1;
            cls[i] = -1;
            val[i] = NAN;
        } else if (b) {
            cls[i] = isnan(val[i]) ? -1 : sol_render_class_of(b, val[i]);
        }
    }
    if (b && m->colour == NULL) {
        if ((rc = sol_render_palette("YlOrRd-r", b->nclasses, pal, err)) != SOL_OK)
            goto done;
        m->colour = pal;
    }
    sol_layer layer = {.n = la.n, .f = la.f};
    m->layer = &layer;
    m->cls = cls;
    m->value = val;
    m->suppressed = supp;
    if ((rc = sol_map_svg(m, &svg, &len, err)) == SOL_OK)
        figure(d, svg, len);
    sol_free(svg);
done:
    m->layer = NULL; /* the layer, classes and values were this function's own */
    m->cls = NULL;
    m->value = NULL;
    m->suppressed = NULL;
    sol_breaks_free(b);
    sol__free(cls);
    sol__free(val);
    sol__free(supp);
    level_areas_free(&la);
    return rc;
}

/* Is `code` among the areas a layer withholds (sol_run_layers_withhold's "withheld_areas")? */
static int withheld_in(json_t *layer, const char *code)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(layer, "withheld_areas"), i, c)
    {
        if (strcmp(json_string_value(c), code) == 0)
            return 1;
    }
    return 0;
}

typedef struct index_vals {
    json_t *areas, *layer;
} index_vals;

static int index_fill(void *ud, const char *code, double *value)
{
    index_vals *iv = ud;
    json_t *a = json_object_get(iv->areas, code);
    *value = a ? jdbl(a, "score") : NAN;
    if (a == NULL && withheld_in(iv->layer, code))
        return -2;
    return isnan(*value) ? -1 : 0;
}

static const char *const langs3[3] = {"en", "it", "fr"};

static sol_status index_section(sol_store *st, doc *d, json_t *L, const char *area, sol_error *err)
{
    json_t *periods = json_object_get(L, "periods");
    const char *per = json_string_value(json_array_get(periods, json_array_size(periods) - 1));
    json_t *areas = per ? json_object_get(json_object_get(L, "areas"), per) : NULL;
    if (areas == NULL || json_object_size(areas) == 0)
        return SOL_OK;
    char line[4096], who[512];
    long long run = (long long)json_integer_value(json_object_get(L, "run"));
    snprintf(line, sizeof line, T(d, T_INDEX_HEAD), per);
    para(d, line, 18, 1, "h2");
    snprintf(line, sizeof line, T(d, T_INDEX_MEANS),
             json_array_size(json_object_get(L, "indicators")),
             json_array_size(json_object_get(L, "dimensions")),
             (long long)json_integer_value(json_object_get(L, "replications")));
    para(d, line, 11, 0, "p");
    if (strcmp(jstr(L, "aggregation"), "mpi") == 0)
        para(d, T(d, T_INDEX_MPI), 11, 0, "p");
    snprintf(who, sizeof who, "%s", *jstr(L, "weights_set_by") ? jstr(L, "weights_set_by") : "-");
    snprintf(line, sizeof line, T(d, T_INDEX_CHOICES), who,
             jstr(json_object_get(L, "method"), "name"), run);
    para(d, line, 11, 0, "p");

    /* sorted by rank */
    size_t n = json_object_size(areas), k = 0;
    const char **codes = sol__calloc(n, sizeof *codes);
    double *scores = sol__calloc(n, sizeof *scores);
    const char **cells = sol__calloc(6 * (n + 1), sizeof *cells);
    char(*txt)[3][64] = sol__calloc(n, sizeof *txt);
    sol_status rc = SOL_OK;
    if (!codes || !scores || !cells || !txt) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto done;
    }
    const char *code;
    json_t *a;
    size_t ns = 0;
    json_object_foreach(areas, code, a)
    {
        codes[k++] = code;
        if (!isnan(jdbl(a, "score")))
            scores[ns++] = jdbl(a, "score");
    }
    for (size_t i = 1; i < n; i++) /* insertion sort by rank (20 to a few thousand areas) */
        for (size_t j = i; j > 0; j--) {
            double r0 = jdbl(json_object_get(areas, codes[j - 1]), "rank");
            double r1 = jdbl(json_object_get(areas, codes[j]), "rank");
            if (!(isnan(r0) || (!isnan(r1) && r1 < r0)))
                break;
            const char *t = codes[j];
            codes[j] = codes[j - 1];
            codes[j - 1] = t;
        }
    if (ns >= 2) {
        sol_map m;
        sol_map_init(&m);
        char title[256], src[512];
        snprintf(title, sizeof title, "%s, %s", T(d, T_INDEX_MAP), per);
        snprintf(src, sizeof src, T(d, T_RUN_SOURCE), run,
                 jstr(json_object_get(L, "method"), "name"));
        m.title = title;
        m.subtitle = T(d, T_INDEX_SUB);
        m.legend_title = d->lang == 1 ? "Quantili" : "Quantiles";
        m.source = src;
        m.lang = langs3[d->lang];
        if (d->lang) {
            m.decimal_mark = ',';
            m.thousands = d->lang == 1 ? "." : "\xE2\x80\xAF";
        }
        index_vals iv = {areas, L};
        if ((rc = analysis_map(st, d, jstr(L, "level"), &m, index_fill, &iv, scores, ns, err)) !=
            SOL_OK)
            goto done;
    }
    if (area && json_object_get(areas, area)) {
        a = json_object_get(areas, area);
        json_t *dims = json_object_get(a, "dims"), *ds = NULL, *dw = NULL, *x;
        size_t i;
        json_array_foreach(dims, i, x)
        {
            if (strcmp(jstr(x, "name"), jstr(a, "strength")) == 0)
                ds = x;
            if (strcmp(jstr(x, "name"), jstr(a, "weakness")) == 0)
                dw = x;
        }
        if (ds && dw && !isnan(jdbl(a, "score"))) {
            char sc[64], lo[32], hi[32], zs[32], zw[32];
            fmt_value(jdbl(a, "score"), sc, sizeof sc);
            fmt_rank(jdbl(a, "rank_lo"), lo, sizeof lo);
            fmt_rank(jdbl(a, "rank_hi"), hi, sizeof hi);
            snprintf(zs, sizeof zs, "%.1f", fabs(jdbl(ds, "z")));
            snprintf(zw, sizeof zw, "%.1f", fabs(jdbl(dw, "z")));
            if (d->lang)
                for (char *p = zs; *p; p++)
                    *p = *p == '.' ? ',' : *p;
            if (d->lang)
                for (char *p = zw; *p; p++)
                    *p = *p == '.' ? ',' : *p;
            snprintf(line, sizeof line, T(d, T_INDEX_WHY),
                     *jstr(a, "name") ? jstr(a, "name") : area, (long long)jdbl(a, "rank"),
                     (long long)jdbl(a, "n"), lo, hi, sc, jstr(ds, "name"), zs, jstr(dw, "name"),
                     zw);
            para(d, line, 11, 0, "p");
        }
    }
    snprintf(line, sizeof line, T(d, T_INDEX_TABLE), n);
    para(d, line, 12, 1, "h3");
    para(d, T(d, T_INDEX_RANKS), 10, 0, "p");
    size_t c = 0;
    cells[c++] = T(d, T_RANK_INDEX);
    cells[c++] = T(d, T_AREA);
    cells[c++] = T(d, T_SCORE);
    cells[c++] = T(d, T_RANK_INT);
    cells[c++] = T(d, T_STRONGEST);
    cells[c++] = T(d, T_WEAKEST);
    for (size_t i = 0; i < n; i++) {
        a = json_object_get(areas, codes[i]);
        char lo[32], hi[32];
        fmt_rank(jdbl(a, "rank"), txt[i][0], sizeof txt[i][0]);
        fmt_value(jdbl(a, "score"), txt[i][1], sizeof txt[i][1]);
        fmt_rank(jdbl(a, "rank_lo"), lo, sizeof lo);
        fmt_rank(jdbl(a, "rank_hi"), hi, sizeof hi);
        snprintf(txt[i][2], sizeof txt[i][2], "%s-%s", lo, hi);
        cells[c++] = txt[i][0];
        cells[c++] = *jstr(a, "name") ? jstr(a, "name") : codes[i];
        cells[c++] = txt[i][1];
        cells[c++] = txt[i][2];
        cells[c++] = jstr(a, "strength");
        cells[c++] = jstr(a, "weakness");
    }
    static const double w6[] = {0.07, 0.25, 0.1, 0.12, 0.23, 0.23};
    table_fs(d, cells, n + 1, 6, w6, 8);
done:
    sol__free_n(4, codes, scores, cells, txt);
    return rc;
}

static const char *const cluster_keys[5] = {"HH", "LL", "HL", "LH", "NS"};

static int cluster_of(const char *c)
{
    for (int k = 0; k < 5; k++)
        if (strcmp(c, cluster_keys[k]) == 0)
            return k;
    return -1;
}

typedef struct lisa_vals {
    json_t *areas, *layer;
    const sol_values *v; /* the indicator's values as the observations give them; may be NULL */
} lisa_vals;

static double lisa_value(const lisa_vals *lv, const char *code)
{
    if (lv->v == NULL)
        return NAN;
    size_t lo = 0, hi = lv->v->n; /* codes are ascending */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(lv->v->codes[mid], code);
        if (c == 0)
            return lv->v->values[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NAN;
}

static int lisa_fill(void *ud, const char *code, double *value)
{
    lisa_vals *lv = ud;
    json_t *a = json_object_get(lv->areas, code);
    *value = lisa_value(lv, code);
    if (a == NULL && withheld_in(lv->layer, code))
        return -2;
    return a ? cluster_of(jstr(a, "cluster")) : -1;
}

static void fmt_p(const doc *d, double p, char *buf, size_t n)
{
    if (isnan(p))
        snprintf(buf, n, "-");
    else if (p < 0.001)
        snprintf(buf, n, "< 0%s001", d->lang ? "," : ".");
    else {
        snprintf(buf, n, "%.2g", p);
        if (d->lang)
            for (char *q = buf; *q; q++)
                *q = *q == '.' ? ',' : *q;
    }
}

static sol_status hotspot_section(sol_store *st, doc *d, json_t *L, const char *area,
                                  sol_error *err)
{
    json_t *areas = json_object_get(L, "areas");
    size_t n = json_object_size(areas);
    if (n == 0)
        return SOL_OK;
    char line[4096], alpha[32];
    const char *label = *jstr(L, "label") ? jstr(L, "label") : jstr(L, "indicator");
    long long run = (long long)json_integer_value(json_object_get(L, "run"));
    snprintf(line, sizeof line, T(d, T_HOT_HEAD), label, jstr(L, "period"));
    para(d, line, 18, 1, "h2");
    para(d, T(d, T_HOT_MEANS), 11, 0, "p");
    snprintf(alpha, sizeof alpha, "%g", jdbl(L, "alpha"));
    if (d->lang)
        for (char *q = alpha; *q; q++)
            *q = *q == '.' ? ',' : *q;
    if (strcmp(jstr(L, "inference"), "permutation") == 0)
        snprintf(line, sizeof line, T(d, T_HOT_PERM),
                 (long long)json_integer_value(json_object_get(L, "permutations")), alpha);
    else
        snprintf(line, sizeof line, T(d, T_HOT_ANALYTIC), alpha);
    para(d, line, 11, 0, "p");
    long long cnt[5] = {0};
    const char *code;
    json_t *a;
    json_object_foreach(areas, code, a)
    {
        int k = cluster_of(jstr(a, "cluster"));
        if (k >= 0)
            cnt[k]++;
    }
    snprintf(line, sizeof line, T(d, T_HOT_COUNTS), n, cnt[0], cnt[1], cnt[2], cnt[3], cnt[4]);
    para(d, line, 11, 0, "p");
    if (strcmp(jstr(L, "adjust"), "none") == 0) {
        snprintf(line, sizeof line, T(d, T_HOT_MANY), n);
        para(d, line, 11, 0, "p");
    }
    /* the map: GeoDa colours, a legend in words */
    uint32_t colour[5];
    const char *labels[5] = {T(d, T_HH), T(d, T_LL), T(d, T_HL), T(d, T_LH), T(d, T_NS)};
    for (int k = 0; k < 5; k++)
        sol_render_lisa_colour(cluster_keys[k], &colour[k]);
    sol_map m;
    sol_map_init(&m);
    char title[1024], src[512], sub[128];
    snprintf(title, sizeof title, T(d, T_HOT_HEAD), label, jstr(L, "period"));
    snprintf(src, sizeof src, T(d, T_RUN_SOURCE), run, jstr(L, "method"));
    snprintf(sub, sizeof sub, "LISA, p < %s", alpha);
    m.title = title;
    m.subtitle = sub;
    m.legend_title = T(d, T_CLUSTER);
    m.nclasses = 5;
    m.colour = colour;
    m.label = labels;
    m.class_key = cluster_keys;
    m.source = src;
    m.lang = langs3[d->lang];
    if (d->lang) {
        m.decimal_mark = ',';
        m.thousands = d->lang == 1 ? "." : "\xE2\x80\xAF";
    }
    /* the values from the observations (an indicator or period since removed: no values) */
    sol_values *vals = NULL;
    if (sol_run_values(st, jstr(L, "indicator"), jstr(L, "period"), 0, &vals, NULL) != SOL_OK)
        vals = NULL;
    else
        sol_values_withhold(vals); /* the report is public: no withheld value in the tooltips */
    lisa_vals lv = {areas, L, vals};
    sol_status rc = analysis_map(st, d, jstr(L, "level"), &m, lisa_fill, &lv, NULL, 0, err);
    if (rc != SOL_OK) {
        sol_values_free(vals);
        return rc;
    }
    if (area && (a = json_object_get(areas, area)) != NULL) {
        int k = cluster_of(jstr(a, "cluster"));
        char p[32];
        fmt_p(d, jdbl(a, "p"), p, sizeof p);
        if (k >= 0) {
            snprintf(line, sizeof line, T(d, T_SAYS_HH + k),
                     *jstr(a, "name") ? jstr(a, "name") : area, p);
            para(d, line, 11, 0, "p");
        }
    }
    /* the significant areas, by cluster then p */
    para(d, T(d, T_HOT_TABLE), 12, 1, "h3");
    const char **codes = sol__calloc(n, sizeof *codes);
    const char **cells = sol__calloc(4 * (n + 1), sizeof *cells);
    char(*txt)[2][64] = sol__calloc(n, sizeof *txt);
    if (!codes || !cells || !txt) {
        sol__free(codes);
        sol__free(cells);
        sol__free(txt);
        sol_values_free(vals);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    size_t k = 0;
    json_object_foreach(areas, code, a)
    {
        int c = cluster_of(jstr(a, "cluster"));
        if (c >= 0 && c < 4)
            codes[k++] = code;
    }
    for (size_t i = 1; i < k; i++)
        for (size_t j = i; j > 0; j--) {
            json_t *x = json_object_get(areas, codes[j - 1]), *y = json_object_get(areas, codes[j]);
            int cx = cluster_of(jstr(x, "cluster")), cy = cluster_of(jstr(y, "cluster"));
            if (cx < cy || (cx == cy && !(jdbl(y, "p") < jdbl(x, "p"))))
                break;
            const char *t = codes[j];
            codes[j] = codes[j - 1];
            codes[j - 1] = t;
        }
    if (k == 0) {
        para(d, T(d, T_HOT_NONE), 11, 0, "p");
    } else {
        size_t c = 0;
        cells[c++] = T(d, T_AREA);
        cells[c++] = T(d, T_CLUSTER);
        cells[c++] = T(d, T_P);
        cells[c++] = T(d, T_VALUE);
        for (size_t i = 0; i < k; i++) {
            a = json_object_get(areas, codes[i]);
            fmt_p(d, jdbl(a, "p"), txt[i][0], sizeof txt[i][0]);
            fmt_value(lisa_value(&lv, codes[i]), txt[i][1], sizeof txt[i][1]);
            cells[c++] = *jstr(a, "name") ? jstr(a, "name") : codes[i];
            cells[c++] = labels[cluster_of(jstr(a, "cluster"))];
            cells[c++] = txt[i][0];
            cells[c++] = txt[i][1];
        }
        static const double w4[] = {0.4, 0.25, 0.15, 0.2};
        table_fs(d, cells, k + 1, 4, w4, 8);
    }
    sol__free(codes);
    sol__free(cells);
    sol__free(txt);
    sol_values_free(vals);
    return SOL_OK;
}

typedef struct rows {
    doc *d;
    char **cell; /* owned strings, row-major */
    size_t n, cap, ncol;
    int failed;
} rows;

static void row_add(rows *r, const char *const *vals)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        char **c = sol__realloc(r->cell, cap * r->ncol * sizeof *c);
        if (c == NULL) {
            r->failed = 1;
            return;
        }
        r->cell = c;
        r->cap = cap;
    }
    for (size_t k = 0; k < r->ncol; k++)
        r->cell[r->n * r->ncol + k] = sol__strdup(vals[k] ? vals[k] : "");
    r->n++;
}

static void rows_free(rows *r)
{
    for (size_t i = 0; i < r->n * r->ncol; i++)
        sol__free(r->cell[i]);
    sol__free(r->cell);
}

static int on_profile(void *ud, const sol_profile_row *p)
{
    rows *r = ud;
    if (p->polarity == 0)
        return 0;
    if (sol_withhold_obs(p->flags, SOL_ROLE_PUBLIC)) { /* neither the value nor its position */
        const char *v[] = {p->label ? p->label : p->indicator, p->period, "suppressed", "-"};
        row_add(r, v);
        return 0;
    }
    long long need = p->polarity < 0 ? p->rank_desc : p->n_areas - p->rank_desc + 1;
    const char *word = need * 5 <= p->n_areas      ? T(r->d, T_MOST)
                       : need * 5 > 4 * p->n_areas ? T(r->d, T_LEAST)
                                                   : T(r->d, T_MIDDLE);
    char val[256], pos[160];
    fmt_value(p->value, val, sizeof val);
    if (!isnan(p->se)) {
        char iv[160];
        interval_text(r->d, p->value, p->se, iv, sizeof iv);
        size_t l = strlen(val);
        snprintf(val + l, sizeof val - l, " (%s, 95%%)", iv);
    }
    char of[64];
    snprintf(of, sizeof of, T(r->d, T_OF), need, (long long)p->n_areas);
    snprintf(pos, sizeof pos, "%s (%s)", of, word);
    const char *v[] = {p->label ? p->label : p->indicator, p->period, val, pos};
    row_add(r, v);
    return 0;
}

static int on_run(void *ud, const sol_run *run)
{
    rows *r = ud;
    json_t *card = run->method_card ? json_loads(run->method_card, 0, NULL) : NULL;
    const char *method =
        json_string_value(json_object_get(json_object_get(card, "method"), "name"));
    const char *v[] = {run->kind, run->created_at, run->created_by, method};
    row_add(r, v);
    json_decref(card);
    return 0;
}

static int on_source(void *ud, const sol_source *s)
{
    rows *r = ud;
    if (strcmp(s->status, "current") != 0)
        return 0;
    const char *v[] = {s->name, s->licence, s->attribution};
    row_add(r, v);
    return 0;
}

static void rows_table(doc *d, rows *r, const char *const *head, const double *w)
{
    const char **cells = sol__calloc((r->n + 1) * r->ncol, sizeof *cells);
    if (cells == NULL) {
        d->failed = 1;
        return;
    }
    for (size_t k = 0; k < r->ncol; k++)
        cells[k] = head[k];
    for (size_t i = 0; i < r->n * r->ncol; i++)
        cells[r->ncol + i] = r->cell[i] ? r->cell[i] : "";
    table(d, cells, r->n + 1, r->ncol, w);
    sol__free(cells);
}

typedef struct pick {
    char codes[64][SOL_MAX_CODE + 1];
    int64_t n_obs[64];
    size_t n, max;
} pick;

static int on_pick(void *ud, const sol_indicator *i)
{
    pick *p = ud;
    if (i->polarity == 0 || i->n_obs == 0)
        return 0;
    /* keep the `max` with the most observations (ties by code, the walk order) */
    size_t at = p->n;
    while (at > 0 && p->n_obs[at - 1] < i->n_obs)
        at--;
    if (at >= p->max)
        return 0;
    size_t last = p->n < p->max ? p->n : p->max - 1;
    for (size_t k = last; k > at; k--) {
        memcpy(p->codes[k], p->codes[k - 1], sizeof p->codes[k]);
        p->n_obs[k] = p->n_obs[k - 1];
    }
    snprintf(p->codes[at], sizeof p->codes[at], "%s", i->code);
    p->n_obs[at] = i->n_obs;
    if (p->n < p->max)
        p->n++;
    return 0;
}

/* ---- emerging needs: the latest alerts run, worsening signals, in the document's language ---- */

/* The latest alerts run's worsening alerts (of `area` when given), strongest first, at most 20,
 * each its own template sentence; alerts about an area whose values of that indicator are
 * withheld by disclosure control are left out, as everywhere the public reads. */
static sol_status alerts_section(sol_store *st, doc *d, const char *area, sol_error *err)
{
    char *js = NULL;
    sol_status rc = sol_run_alerts_latest(st, &js, err);
    if (rc == SOL_OK)
        rc = sol_withhold_alerts(st, &js, err);
    if (rc != SOL_OK) {
        free(js);
        return rc;
    }
    json_t *root = json_loads(js, 0, NULL), *alerts = json_object_get(root, "alerts");
    free(js);
    if (!json_is_array(alerts) || json_object_get(root, "run") == NULL) {
        json_decref(root);
        return SOL_OK; /* no alerts run: no section */
    }
    json_t *keep = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(alerts, i, a)
    {
        const char *ind = jstr(a, "indicator"), *ar = jstr(a, "area"), *dir = jstr(a, "direction");
        if (!ind || !ar || !dir || strcmp(dir, "worsening") != 0 || (area && strcmp(ar, area) != 0))
            continue;
        json_array_append(keep, a);
    }
    if (rc == SOL_OK) {
        char line[1024];
        para(d, T(d, T_ALERTS_HEAD), 18, 1, "h2");
        size_t n = json_array_size(keep);
        if (area)
            snprintf(line, sizeof line, T(d, T_ALERTS_AREA), area);
        else
            snprintf(line, sizeof line, T(d, T_ALERTS_INTRO),
                     jstr(root, "since") ? jstr(root, "since") : "?", n,
                     (long long)json_integer_value(json_object_get(root, "tests")),
                     100 * jdbl(root, "fdr"));
        para(d, n ? line : T(d, T_ALERTS_NONE), 11, 0, "p");
        for (i = 0; i < n && i < 20; i++) {
            json_t *sent = json_object_get(json_array_get(keep, i), "sentence");
            const char *txt = jstr(sent, langs3[d->lang]);
            if (txt == NULL)
                continue;
            snprintf(line, sizeof line, "%zu. %s", i + 1, txt);
            para(d, line, 10, 0, "p");
        }
        para(d, T(d, T_ALERTS_MEANS), 10, 0, "p");
    }
    json_decref(keep);
    json_decref(root);
    return rc;
}

sol_status sol_run_report(sol_store *st, const sol_report_job *o, const char *path, sol_error *err)
{
    sol_status rc = SOL_OK;
    doc d = {0};
    const char *lang = o && o->lang ? o->lang : "en";
    d.lang = strcmp(lang, "en") == 0   ? 0
             : strcmp(lang, "it") == 0 ? 1
             : strcmp(lang, "fr") == 0 ? 2
                                       : -1;
    if (d.lang < 0)
        return sol__err(err, SOL_EINVAL, "language '%s': expected en, it or fr", lang);
    size_t pl = strlen(path);
    if (pl > 5 && strcmp(path + pl - 5, ".html") == 0)
        d.pdf = 0;
    else if (pl > 4 && strcmp(path + pl - 4, ".pdf") == 0)
        d.pdf = 1;
    else
        return sol__err(err, SOL_EINVAL, "%s: the report is written as .html or .pdf", path);
    sol__buf_init(&d.html, MAX_DOC);
    sol__buf_init(&d.page, MAX_DOC);
    rows prof = {.d = &d, .ncol = 4}, runs = {.d = &d, .ncol = 4}, srcs = {.d = &d, .ncol = 3};
    pick *pk = sol__calloc(1, sizeof *pk);
    char *layers_json = NULL;
    json_t *layers = NULL;
    if (pk == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");

    if (!d.pdf)
        sol__buf_addf(
            &d.html,
            "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width\"><title>%s</title>"
            "<style>body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;"
            "max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;"
            "line-height:1.45}figure{margin:1rem 0}figure svg{width:100%%;height:auto}"
            "table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{text-align:left;"
            "padding:.2rem .8rem .2rem 0;border-bottom:1px solid #ddd}"
            "table.compact{font-size:.8rem}table.compact td,table.compact th{padding:.05rem "
            ".6rem .05rem 0}thead{display:table-header-group}"
            "h2{margin-top:2.5rem;border-top:2px solid #333;padding-top:1rem}"
            "@media print{h2{page-break-before:always}}</style></head><body>\n",
            lang, T(&d, T_TITLE));
    char line[2048], today[32];
    sol__utc_now(today, sizeof today);
    today[10] = '\0';
    para(&d, T(&d, T_TITLE), 24, 1, "h1");
    snprintf(line, sizeof line, T(&d, T_SUBTITLE), SOL_VERSION_STRING, today);
    para(&d, line, 11, 0, "p");
    sol_store_counts c;
    if ((rc = sol_store_count(st, &c, err)) != SOL_OK)
        goto out;
    snprintf(line, sizeof line, T(&d, T_HOLDS), (long long)c.areas, (long long)c.indicators,
             (long long)c.periods, c.first_period[0] ? c.first_period : "-",
             c.last_period[0] ? c.last_period : "-", (long long)c.observations,
             (long long)c.sources);
    para(&d, line, 11, 0, "p");
    para(&d, T(&d, T_NOTES), 14, 1, "h3");
    for (int k = T_NOTE1; k <= T_NOTE4; k++)
        para(&d, T(&d, k), 11, 0, "p");

    /* the indicators */
    if (o && o->indicators) {
        const char *s = o->indicators;
        while (*s && pk->n < 64) {
            size_t n = strcspn(s, ",");
            if (n && n <= SOL_MAX_CODE)
                snprintf(pk->codes[pk->n++], SOL_MAX_CODE + 1, "%.*s", (int)n, s);
            s += n;
            if (*s == ',')
                s++;
        }
    } else {
        pk->max = o && o->max_indicators ? (o->max_indicators > 64 ? 64 : o->max_indicators) : 6;
        if ((rc = sol_store_indicators(st, on_pick, pk, err)) != SOL_OK)
            goto out;
    }
    para(&d, T(&d, T_NEED_HEAD), 18, 1, "h2");
    for (size_t k = 0; k < pk->n; k++)
        if ((rc = indicator_section(st, &d, pk->codes[k], err)) != SOL_OK)
            goto out;

    /* the analyses: the latest composite index and hot-spot runs */
    if ((rc = sol_run_layers(st, &layers_json, err)) != SOL_OK ||
        (rc = sol_withhold_layers(st, &layers_json, err)) != SOL_OK)
        goto out;
    layers = json_loads(layers_json, 0, NULL);
    if (json_is_object(json_object_get(layers, "index")) &&
        (rc = index_section(st, &d, json_object_get(layers, "index"), o ? o->area : NULL, err)) !=
            SOL_OK)
        goto out;
    if (json_is_object(json_object_get(layers, "hotspots")) &&
        (rc = hotspot_section(st, &d, json_object_get(layers, "hotspots"), o ? o->area : NULL,
                              err)) != SOL_OK)
        goto out;
    if ((rc = alerts_section(st, &d, o ? o->area : NULL, err)) != SOL_OK)
        goto out;

    if (o && o->area) {
        if ((rc = sol_store_area_profile(st, o->area, on_profile, &prof, err)) != SOL_OK)
            goto out;
        snprintf(line, sizeof line, T(&d, T_PROFILE), o->area);
        para(&d, line, 18, 1, "h2");
        const char *head[] = {T(&d, T_INDICATOR), T(&d, T_PERIOD), T(&d, T_VALUE),
                              T(&d, T_POSITION)};
        static const double w4[] = {0.42, 0.1, 0.13, 0.35};
        rows_table(&d, &prof, head, w4);
    }
    para(&d, T(&d, T_RUNS), 18, 1, "h2");
    if ((rc = sol_store_runs(st, NULL, 0, on_run, &runs, err)) != SOL_OK)
        goto out;
    if (runs.n == 0) {
        para(&d, T(&d, T_NO_RUNS), 11, 0, "p");
    } else {
        const char *head[] = {T(&d, T_KIND), T(&d, T_WHEN), T(&d, T_WHO), T(&d, T_METHOD)};
        static const double w4[] = {0.2, 0.25, 0.15, 0.4};
        rows_table(&d, &runs, head, w4);
    }
    para(&d, T(&d, T_SOURCES), 18, 1, "h2");
    if ((rc = sol_store_sources(st, on_source, &srcs, err)) != SOL_OK)
        goto out;
    {
        const char *head[] = {T(&d, T_NAME), T(&d, T_LICENCE), T(&d, T_ATTRIBUTION)};
        static const double w3[] = {0.3, 0.2, 0.5};
        rows_table(&d, &srcs, head, w3);
    }
    if (prof.failed || runs.failed || srcs.failed || d.failed) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory writing the report");
        goto out;
    }
    if (!d.pdf) {
        sol__buf_addf(&d.html, "</body></html>\n");
        FILE *f = fopen(path, "w");
        if (f == NULL) {
            rc = sol__err_at(err, SOL_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
            goto out;
        }
        size_t w = d.html.data ? fwrite(d.html.data, 1, d.html.len, f) : 0;
        if (fclose(f) != 0 || w != d.html.len)
            rc = sol__err_at(err, SOL_EIO, path, 0, 0, "write error");
    } else {
        page_finish(&d);
        if (d.failed)
            rc = sol__err(err, SOL_ENOMEM, "out of memory writing the report");
        else
            rc =
                sol_render_pages_pdf((const char *const *)d.pages, d.page_len, d.npages, path, err);
    }
out:
    json_decref(layers);
    sol_free(layers_json);
    rows_free(&prof);
    rows_free(&runs);
    rows_free(&srcs);
    sol__free(pk);
    sol__buf_free(&d.html);
    sol__buf_free(&d.page);
    for (size_t i = 0; i < d.npages; i++)
        sol__free(d.pages[i]);
    sol__free(d.pages);
    sol__free(d.page_len);
    return rc;
}
