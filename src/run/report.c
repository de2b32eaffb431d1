/* report.c - the printable atlas: the same content as HTML (inline SVG maps) or as PDF pages
 * drawn from SVG through the render module; every sentence comes from a template in three
 * languages, every figure from the store, every source credited with its licence. */
#include <solidata/render.h>
#include <solidata/run.h>
#include <solidata/version.h>

#include "core/core.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- templates --------------------------------------------------------------------------------- */

enum {
    T_TITLE, T_SUBTITLE, T_HOLDS, T_NEED_HEAD, T_NEED_SENTENCE, T_MEDIAN, T_TOP, T_AREA, T_VALUE,
    T_RANK, T_PROFILE, T_MOST, T_LEAST, T_MIDDLE, T_INDICATOR, T_PERIOD, T_POSITION, T_RUNS,
    T_NO_RUNS, T_KIND, T_WHEN, T_WHO, T_METHOD, T_SOURCES, T_NAME, T_LICENCE, T_ATTRIBUTION,
    T_NOTES, T_NOTE1, T_NOTE2, T_NOTE3, T_NOTE4, T_HIGHER_WORSE, T_HIGHER_BETTER, T_OF, T_PAGE,
    T_WITHHELD, T_COUNT
};

static const char *const tmpl[T_COUNT][3] = {
    /* en, it, fr */
    [T_TITLE] = {"Atlas of social needs", "Atlante dei bisogni sociali", "Atlas des besoins sociaux"},
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
    [T_NEED_SENTENCE] = {"In %s, the areas with the greatest need on \"%s\" are %s.",
                         "Nel %s, le aree con il bisogno maggiore per \"%s\" sono %s.",
                         "En %s, les territoires où le besoin est le plus fort pour « %s » sont %s."},
    [T_WITHHELD] = {"%zu areas are withheld: their counts are below the minimum cell size, or "
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
    [T_NOTE1] = {"Maps group the areas into five classes of equal size (quantiles); a darker colour "
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
    [T_NOTE3] = {"Missing values are left out, never counted as zero; areas without a value are "
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
};

/* ---- document model: blocks written either as HTML or as SVG pages ---------------------------------- */

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
                  PAGE_W, PAGE_H, PAGE_W, PAGE_H, PAGE_W - MARGIN - 50, PAGE_H - 24,
                  T(d, T_PAGE), d->npages + 1);
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
        sol__buf_addf(&d->page, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"%.0f\"%s>", MARGIN,
                      d->y, size, bold ? " font-weight=\"bold\"" : "");
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

/* A table of ncol columns; cells row-major, the first row the header. Widths are fractions. */
static void table(doc *d, const char *const *cells, size_t nrows, size_t ncol, const double *w)
{
    if (!d->pdf) {
        sol__buf_addf(&d->html, "<table>\n");
        for (size_t r = 0; r < nrows; r++) {
            sol__buf_addf(&d->html, "<tr>");
            for (size_t c = 0; c < ncol; c++) {
                sol__buf_addf(&d->html, r ? "<td>" : "<th scope=\"col\">");
                esc(&d->html, cells[r * ncol + c]);
                sol__buf_addf(&d->html, r ? "</td>" : "</th>");
            }
            sol__buf_addf(&d->html, "</tr>\n");
        }
        sol__buf_addf(&d->html, "</table>\n");
        return;
    }
    for (size_t r = 0; r < nrows; r++) {
        /* each cell wraps within its column; the row is as tall as its tallest cell */
        size_t lines = 1;
        for (size_t c = 0; c < ncol; c++) {
            size_t maxc = (size_t)(w[c] * TEXT_W / (10 * 0.55)) - 1;
            size_t n = strlen(cells[r * ncol + c]);
            size_t l = maxc ? (n + maxc - 1) / maxc : 1;
            if (l > lines)
                lines = l > 6 ? 6 : l;
        }
        page_need(d, 13.0 * (double)lines + 6);
        d->y += 15;
        double x = MARGIN;
        for (size_t c = 0; c < ncol; c++) {
            size_t maxc = (size_t)(w[c] * TEXT_W / (10 * 0.55)) - 1;
            const char *cell = cells[r * ncol + c];
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
                sol__buf_addf(&d->page, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"10\"%s>", x,
                              d->y + 13.0 * (double)l, r ? "" : " font-weight=\"bold\"");
                esc(&d->page, part);
                sol__buf_addf(&d->page, "</text>\n");
                cell += take;
                while (*cell == ' ')
                    cell++;
            }
            x += w[c] * TEXT_W;
        }
        if (r == 0)
            sol__buf_addf(&d->page,
                          "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>\n",
                          MARGIN, PAGE_W - MARGIN, d->y + 4, d->y + 4);
        d->y += 13.0 * (double)(lines - 1);
    }
    d->y += 10;
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

/* ---- content ------------------------------------------------------------------------------------ */

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
             v->polarity < 0 ? T(d, T_HIGHER_WORSE) : T(d, T_HIGHER_BETTER));
    para(d, line, 11, 0, "p");
    char *svg = NULL;
    size_t len = 0;
    static const char *const langs[3] = {"en", "it", "fr"};
    sol_run_map_opts mo = {.indicator = code, .period = v->period, .lang = langs[d->lang]};
    if ((rc = sol_run_map_svg(st, &mo, &svg, &len, err)) != SOL_OK)
        goto out;
    figure(d, svg, len);
    sol_render_free(svg);
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
    const char **cells = sol__calloc(3 * 11, sizeof *cells);
    char (*vals)[64] = sol__calloc(11, sizeof *vals);
    char (*ranks)[64] = sol__calloc(11, sizeof *ranks);
    if (!ix || !sorted || !cells || !vals || !ranks) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
    } else {
        for (size_t i = 0; i < v->n; i++) {
            ix[i] = i;
            sorted[i] = v->values[i];
        }
        g_order = (order){v, v->polarity < 0 ? -1 : 1};
        qsort(ix, v->n, sizeof *ix, by_need);
        qsort(sorted, v->n, sizeof *sorted, cmp_double);
        double median = v->n % 2 ? sorted[v->n / 2]
                                 : (sorted[v->n / 2 - 1] + sorted[v->n / 2]) / 2;
        size_t top = v->n < 3 ? v->n : 3, used = 0;
        for (size_t k = 0; k < top; k++) {
            size_t i = ix[k];
            fmt_value(v->values[i], buf, sizeof buf);
            int w = snprintf(names + used, sizeof names - used, "%s%s (%s)",
                             k ? (k + 1 == top ? (d->lang == 0 ? " and " : d->lang == 1 ? " e "
                                                                                        : " et ")
                                               : ", ")
                               : "",
                             v->names[i] ? v->names[i] : v->codes[i], buf);
            if (w > 0 && (size_t)w < sizeof names - used)
                used += (size_t)w;
        }
        snprintf(line, sizeof line, T(d, T_NEED_SENTENCE), v->period,
                 v->label ? v->label : v->indicator, names);
        para(d, line, 11, 0, "p");
        fmt_value(median, buf, sizeof buf);
        snprintf(line, sizeof line, T(d, T_MEDIAN), v->n, buf);
        para(d, line, 11, 0, "p");
        size_t rows = v->n < 10 ? v->n : 10;
        snprintf(line, sizeof line, T(d, T_TOP), rows);
        para(d, line, 12, 1, "h3");
        cells[0] = T(d, T_AREA);
        cells[1] = T(d, T_VALUE);
        cells[2] = T(d, T_RANK);
        for (size_t k = 0; k < rows; k++) {
            size_t i = ix[k];
            fmt_value(v->values[i], vals[k], sizeof vals[k]);
            snprintf(ranks[k], sizeof ranks[k], T(d, T_OF), (long long)(k + 1), (long long)v->n);
            cells[3 * (k + 1)] = v->names[i] ? v->names[i] : v->codes[i];
            cells[3 * (k + 1) + 1] = vals[k];
            cells[3 * (k + 1) + 2] = ranks[k];
        }
        static const double w3[] = {0.5, 0.25, 0.25};
        table(d, cells, rows + 1, 3, w3);
    }
    sol__free(ix);
    sol__free(sorted);
    sol__free(cells);
    sol__free(vals);
    sol__free(ranks);
out:
    sol_values_free(v);
    return rc;
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
    if (p->flags & SOL_FLAG_SUPPRESSED) { /* withheld: neither the value nor its position */
        const char *v[] = {p->label ? p->label : p->indicator, p->period, "suppressed", "-"};
        row_add(r, v);
        return 0;
    }
    long long need = p->polarity < 0 ? p->rank_desc : p->n_areas - p->rank_desc + 1;
    const char *word = need * 5 <= p->n_areas        ? T(r->d, T_MOST)
                       : need * 5 > 4 * p->n_areas   ? T(r->d, T_LEAST)
                                                     : T(r->d, T_MIDDLE);
    char val[64], pos[160];
    fmt_value(p->value, val, sizeof val);
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
    const char *method = json_string_value(json_object_get(json_object_get(card, "method"), "name"));
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

sol_status sol_run_report(sol_store *st, const sol_report_opts *o, const char *path,
                          sol_error *err)
{
    sol_status rc = SOL_OK;
    doc d = {0};
    const char *lang = o && o->lang ? o->lang : "en";
    d.lang = strcmp(lang, "en") == 0 ? 0 : strcmp(lang, "it") == 0 ? 1 : strcmp(lang, "fr") == 0 ? 2 : -1;
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
    if (pk == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");

    if (!d.pdf)
        sol__buf_addf(&d.html,
                      "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width\"><title>%s</title>"
                      "<style>body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;"
                      "max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;"
                      "line-height:1.45}figure{margin:1rem 0}figure svg{width:100%%;height:auto}"
                      "table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{text-align:left;"
                      "padding:.2rem .8rem .2rem 0;border-bottom:1px solid #ddd}"
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
            rc = sol_render_pages_pdf((const char *const *)d.pages, d.page_len, d.npages, path,
                                      err);
    }
out:
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
