/* sheet.c - tables as people have them: CSV in UTF-8 or an 8-bit encoding (detected), sheets of
 * XLSX/ODS/XLS workbooks (GDAL), the header below title lines, blank and total rows, numbers
 * with thousands separators or '%', years as columns; served through the sol_csv reader. */
#include <solidata/csv.h>

#include "core/core.h"
#include "ingest/gdal_api.h"
#include "ingest/ingest_int.h"

#include <cpl_conv.h>
#include <cpl_vsi.h>
#include <errno.h>
#include <gdal.h>
#include <iconv.h>
#include <ogr_api.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* ---- the table ----------------------------------------------------------------------------- */

void sol__table_unref(sol__table *t)
{
    if (t == NULL || --t->refs > 0)
        return;
    for (size_t i = 0; t->hname && i < t->ncols; i++)
        sol__free(t->hname[i]);
    sol__buf_free(&t->text);
    sol__free_n(8, t->hname, t->cell, t->ccol, t->rfirst, t->rn, t->rline, t->keep, t->name);
    sol__free(t);
}

static sol_status add_row(sol__table *t, unsigned long line)
{
    if (t->nrow == t->cap_row) {
        size_t n = t->cap_row ? t->cap_row * 2 : 256;
        size_t *f = sol__realloc(t->rfirst, n * sizeof *f);
        if (f == NULL)
            return SOL_ENOMEM;
        t->rfirst = f;
        size_t *c = sol__realloc(t->rn, n * sizeof *c);
        if (c == NULL)
            return SOL_ENOMEM;
        t->rn = c;
        unsigned long *l = sol__realloc(t->rline, n * sizeof *l);
        if (l == NULL)
            return SOL_ENOMEM;
        t->rline = l;
        t->cap_row = n;
    }
    t->rfirst[t->nrow] = t->ncell;
    t->rn[t->nrow] = 0;
    t->rline[t->nrow] = line;
    t->nrow++;
    return SOL_OK;
}

/* Add a cell to the last row: its text (copied) or, with s == NULL, the text at offset `at`. */
static sol_status add_cell(sol__table *t, const char *s, size_t n, size_t at, unsigned long col)
{
    if (t->ncell == t->cap_cell) {
        size_t m = t->cap_cell ? t->cap_cell * 2 : 4096;
        size_t *c = sol__realloc(t->cell, m * sizeof *c);
        if (c == NULL)
            return SOL_ENOMEM;
        t->cell = c;
        unsigned long *k = sol__realloc(t->ccol, m * sizeof *k);
        if (k == NULL)
            return SOL_ENOMEM;
        t->ccol = k;
        t->cap_cell = m;
    }
    if (s != NULL) {
        at = t->text.len;
        sol_status rc = sol__buf_add(&t->text, s, n);
        if (rc == SOL_OK)
            rc = sol__buf_addc(&t->text, '\0');
        if (rc != SOL_OK)
            return rc;
    }
    t->cell[t->ncell] = at;
    t->ccol[t->ncell] = col;
    t->ncell++;
    t->rn[t->nrow - 1]++;
    return SOL_OK;
}

static const char *cell(const sol__table *t, size_t r, size_t i)
{
    return i < t->rn[r] ? t->text.data + t->cell[t->rfirst[r] + i] : "";
}

static unsigned long cell_col(const sol__table *t, size_t r, size_t i)
{
    return i < t->rn[r] ? t->ccol[t->rfirst[r] + i] : (unsigned long)i + 1;
}

/* ---- text helpers -------------------------------------------------------------------------- */

/* Bytes of the blank at s[i] (space, tab, no-break space U+00A0, thin and narrow no-break
 * spaces U+2009, U+202F), or 0. */
static size_t blank_at(const char *s, size_t i, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[i] == ' ' || u[i] == '\t')
        return 1;
    if (i + 1 < n && u[i] == 0xC2 && u[i + 1] == 0xA0)
        return 2;
    if (i + 2 < n && u[i] == 0xE2 && u[i + 1] == 0x80 &&
        (u[i + 2] == 0xAF || u[i + 2] == 0x89 || u[i + 2] == 0x87))
        return 3;
    return 0;
}

static void trim(const char **s, size_t *n)
{
    size_t b;
    while (*n && (b = blank_at(*s, 0, *n)) > 0) {
        *s += b;
        *n -= b;
    }
    for (;;) {
        if (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
            (*n)--;
        else if (*n >= 2 && blank_at(*s, *n - 2, *n) == 2)
            *n -= 2;
        else if (*n >= 3 && blank_at(*s, *n - 3, *n) == 3)
            *n -= 3;
        else
            break;
    }
}

static int is_blank_text(const char *s)
{
    size_t n = strlen(s);
    trim(&s, &n);
    return n == 0;
}

/* Lower-case ASCII with the accents of Latin-1 letters removed and every run of other
 * characters made one space: "TOTAL GÉNÉRAL" -> "total general". */
static void fold(const char *s, char *out, size_t cap)
{
    static const char latin[] = "aaaaaaeceeeeiiiidnooooo ouuuuyts"; /* U+00C0 .. U+00DF */
    size_t k = 0;
    int space = 1;
    for (const unsigned char *p = (const unsigned char *)s; *p && k + 1 < cap; p++) {
        char ch = 0;
        if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
            ch = (char)*p;
        else if (*p >= 'A' && *p <= 'Z')
            ch = (char)(*p - 'A' + 'a');
        else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
            ch = latin[(p[1] - 0x80) & 0x1F];
            p++;
        }
        if (ch && ch != ' ') {
            out[k++] = ch;
            space = 0;
        } else if (!space) {
            out[k++] = ' ';
            space = 1;
        }
    }
    while (k && out[k - 1] == ' ')
        k--;
    out[k] = '\0';
}

/* A label of a total or subtotal row (case and accents aside), alone or followed by words. */
static int total_label(const char *s)
{
    static const char *const words[] = {"total",           "totale",      "totaux",   "sous total",
                                        "subtotale",       "sub totale",  "subtotal", "sub total",
                                        "total general",   "grand total", "ensemble", "insieme",
                                        "totale generale", NULL};
    char f[128];
    fold(s, f, sizeof f);
    for (int k = 0; words[k]; k++) {
        size_t n = strlen(words[k]);
        if (strncmp(f, words[k], n) == 0 && (f[n] == '\0' || f[n] == ' '))
            return 1;
    }
    return 0;
}

/* A year as a column header: "2019", "2019 (p)", "2019p". flag gets the letter, if any. */
static int year_header(const char *s, int *year, char *flag)
{
    size_t n = strlen(s);
    trim(&s, &n);
    *flag = 0;
    if (n < 4 || !(s[0] == '1' || s[0] == '2'))
        return 0;
    int y = 0;
    for (int i = 0; i < 4; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        y = y * 10 + (s[i] - '0');
    }
    if (y < 1900 || y > 2100)
        return 0;
    const char *p = s + 4, *e = s + n;
    while (p < e && *p == ' ')
        p++;
    if (p < e && *p == '(' && e - p == 3 && p[2] == ')' && p[1] >= 'a' && p[1] <= 'z')
        *flag = p[1];
    else if (p < e && e - p == 1 && *p >= 'a' && *p <= 'z')
        *flag = *p;
    else if (p != e)
        return 0;
    *year = y;
    return 1;
}

/* ---- numbers as people write them ---------------------------------------------------------- */

enum { CELL_MISSING, CELL_NUM, CELL_AMBIG, CELL_TEXT };

typedef struct numcell {
    int kind;
    int changed;  /* the plain form differs from the cell */
    int pct;      /* a '%' was stripped */
    char dec;     /* the decimal mark this cell shows (',' or '.'), or 0 */
    char sep;     /* CELL_AMBIG: the separator that may be either */
    char out[80]; /* CELL_NUM: the plain number */
} numcell;

/* Read s as a number written by a person: blanks, thousands separators (space, no-break space,
 * '.', ','), a decimal mark, a trailing '%'. `mark` decides "1.234": its decimal mark, or 0. */
static void read_number(const char *s0, size_t n0, char mark, numcell *nc)
{
    const char *s = s0;
    size_t n = n0;
    memset(nc, 0, sizeof *nc);
    trim(&s, &n);
    if (n == 0 || sol__is_missing(s, n)) {
        nc->kind = CELL_MISSING;
        return;
    }
    nc->kind = CELL_TEXT;
    if (n > 60)
        return;
    if (s[n - 1] == '%') {
        nc->pct = 1;
        n--;
        trim(&s, &n);
        if (n == 0)
            return;
    }
    size_t i = 0;
    int neg = 0;
    if (s[i] == '-' || s[i] == '+')
        neg = s[i++] == '-';
    size_t gs[32], gl[32];
    char seps[32];
    size_t ng = 0;
    for (;;) {
        size_t st = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == st || ng == 32)
            goto plain;
        gs[ng] = st;
        gl[ng] = i - st;
        ng++;
        if (i == n)
            break;
        size_t b = blank_at(s, i, n);
        if (b) {
            seps[ng - 1] = ' ';
            i += b;
        } else if (s[i] == '.' || s[i] == ',') {
            seps[ng - 1] = s[i++];
        } else {
            goto plain;
        }
    }
    int dots = 0, commas = 0, spaces = 0;
    for (size_t k = 0; k + 1 < ng; k++) {
        dots += seps[k] == '.';
        commas += seps[k] == ',';
        spaces += seps[k] == ' ';
    }
    long di = -1; /* index of the separator that is the decimal mark */
    if (dots && commas) {
        char last = seps[ng - 2];
        if (last == ' ' || (last == '.' ? dots : commas) != 1)
            return;
        di = (long)ng - 2;
    } else if (dots + commas >= 2) {
        nc->dec = dots ? ',' : '.'; /* "1.234.567": '.' groups thousands */
    } else if (dots + commas == 1) {
        char c = dots ? '.' : ',';
        if (seps[ng - 2] != c)
            return; /* "1,234 567" */
        if (spaces || gl[ng - 1] != 3 || gl[0] > 3 || s[gs[0]] == '0' || ng > 2) {
            di = (long)ng - 2;
        } else if (mark == c) {
            di = (long)ng - 2;
        } else if (mark == 0) {
            nc->kind = CELL_AMBIG;
            nc->sep = c;
            return;
        }
    }
    if (di >= 0)
        nc->dec = seps[di];
    /* thousands groups: the first of 1-3 digits, the others of 3 */
    size_t nint = di >= 0 ? (size_t)di + 1 : ng;
    for (size_t k = 1; k < nint; k++)
        if (gl[k] != 3 || gl[0] > 3)
            return;
    size_t o = 0;
    if (neg)
        nc->out[o++] = '-';
    for (size_t k = 0; k < nint; k++) {
        memcpy(nc->out + o, s + gs[k], gl[k]);
        o += gl[k];
    }
    if (di >= 0) {
        nc->out[o++] = '.';
        memcpy(nc->out + o, s + gs[ng - 1], gl[ng - 1]);
        o += gl[ng - 1];
    }
    nc->out[o] = '\0';
    nc->kind = CELL_NUM;
    nc->changed = o != n0 || memcmp(nc->out, s0, o) != 0;
    return;
plain : {
    double x;
    if (!nc->pct && sol__parse_double(s, n, 0, &x) == SOL_OK) {
        nc->kind = CELL_NUM; /* 1e-5, .5: as they are */
        nc->dec = '.';
    }
}
}

/* ---- encodings ------------------------------------------------------------------------------ */

static const char *const ENC_NAMES[] = {"UTF-8", "UTF-8", "Windows-1252", "ISO-8859-1",
                                        "ISO-8859-15"};

/* Text that is not UTF-8: bytes 0x80-0x9F are letters and signs in Windows-1252 (€ ’ œ …) but
 * control codes in ISO-8859-1/15, and the five of them Windows-1252 leaves undefined say it is
 * not; ISO-8859-15 has € at 0xA4 and œ at 0xBD where ISO-8859-1 has ¤ and ½. Without any of
 * these, Windows-1252 (what Excel writes), which reads these bytes as ISO-8859-1 would. */
static sol_encoding detect_encoding(const unsigned char *p, size_t n)
{
    int c1 = 0, undefined = 0, euro15 = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = p[i];
        if (b >= 0x80 && b <= 0x9F) {
            c1 = 1;
            undefined |= b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D;
        }
        if ((b == 0xA4 || b == 0xBD || b == 0xBC) && i > 0 && i + 1 < n) {
            unsigned char a = p[i - 1], z = p[i + 1];
            int digit_or_blank =
                (a >= '0' && a <= '9') || a == ' ' || z == ' ' || (z >= '0' && z <= '9');
            int letters = ((a | 0x20) >= 'a' && (a | 0x20) <= 'z') &&
                          ((z | 0x20) >= 'a' && (z | 0x20) <= 'z');
            euro15 |= (b == 0xA4 && digit_or_blank) || (b != 0xA4 && letters);
        }
    }
    if (undefined)
        return SOL_ENC_ISO_8859_1;
    if (c1)
        return SOL_ENC_WINDOWS_1252;
    if (euro15)
        return SOL_ENC_ISO_8859_15;
    return SOL_ENC_WINDOWS_1252;
}

static sol_status to_utf8(const char *path, sol_encoding e, const char *in, size_t n, char **out,
                          size_t *outn, sol_error *err)
{
    static const char *const iconv_names[] = {"", "", "WINDOWS-1252", "ISO-8859-1", "ISO-8859-15"};
    iconv_t cd = iconv_open("UTF-8", iconv_names[e]);
    if (cd == (iconv_t)-1)
        return sol__err_at(err, SOL_EENCODING, path, 0, 0, "cannot convert from %s: %s",
                           ENC_NAMES[e], strerror(errno));
    size_t cap = 3 * n + 1;
    char *buf = sol__malloc(cap);
    if (buf == NULL) {
        iconv_close(cd);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    char *ip = (char *)in, *op = buf;
    size_t il = n, ol = cap;
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
        size_t at = (size_t)(ip - in);
        unsigned long line = 1, col = 1;
        for (size_t k = 0; k < at; k++, col++)
            if (in[k] == '\n') {
                line++;
                col = 0;
            }
        iconv_close(cd);
        sol__free(buf);
        return sol__err_at(err, SOL_EENCODING, path, line, col,
                           "byte 0x%02X is not a character in %s; say the file's encoding with "
                           "--encoding",
                           (unsigned char)in[at], ENC_NAMES[e]);
    }
    iconv_close(cd);
    *out = buf;
    *outn = cap - ol;
    return SOL_OK;
}

/* ---- CSV into the grid ---------------------------------------------------------------------- */

/* The delimiter that occurs most often outside quotes in the first 50 lines (title lines above
 * the header have few or none). */
static char detect_delimiter(const char *p, size_t n)
{
    size_t counts[3] = {0, 0, 0};
    const char cands[3] = {',', ';', '\t'};
    int q = 0, lines = 0;
    for (size_t i = 0; i < n && lines < 50; i++) {
        if (p[i] == '"')
            q = !q;
        else if (!q && p[i] == '\n')
            lines++;
        else if (!q)
            for (int k = 0; k < 3; k++)
                counts[k] += p[i] == cands[k];
    }
    int best = 0;
    for (int k = 1; k < 3; k++)
        if (counts[k] > counts[best])
            best = k;
    return cands[best];
}

static sol_status csv_grid(sol__table *t, const char *path, const char *data, size_t n, char delim,
                           int converted, sol_error *err)
{
    sol_csv *c = NULL;
    sol_csv_opts co = {.delimiter = delim, .raw = 1, .char_columns = converted};
    sol_status rc = sol_csv_open_mem(data, n, path, &co, &c, err);
    if (rc != SOL_OK)
        return rc;
    t->delim = sol_csv_delimiter(c);
    while ((rc = sol_csv_next(c, err)) == SOL_OK) {
        if ((rc = add_row(t, sol_csv_line(c))) != SOL_OK)
            break;
        for (size_t i = 0; i < sol_csv_nfields(c) && rc == SOL_OK; i++) {
            size_t len;
            const char *f = sol_csv_field(c, i, &len);
            rc = add_cell(t, f, len, 0, sol_csv_col(c, i));
        }
        if (rc != SOL_OK)
            break;
    }
    sol_csv_close(c);
    if (rc == SOL_EOF)
        return SOL_OK;
    if (rc == SOL_ENOMEM || rc == SOL_ELIMIT)
        return err && err->msg[0] ? rc : sol__err(err, rc, "out of memory reading %s", path);
    return rc;
}

/* ---- workbooks through GDAL ----------------------------------------------------------------- */

/* Cells holding a formula in sheet `idx` (0-based) named `name` of the workbook: <f> elements of
 * xl/worksheets/sheetN.xml (XLSX), table:formula attributes of the sheet in content.xml (ODS). */
static int64_t count_formulas(const char *path, const char *fmt, int idx, const char *name)
{
    char vsi[4096];
    if (strcmp(fmt, "xlsx") == 0)
        snprintf(vsi, sizeof vsi, "/vsizip/{%s}/xl/worksheets/sheet%d.xml", path, idx + 1);
    else if (strcmp(fmt, "ods") == 0)
        snprintf(vsi, sizeof vsi, "/vsizip/{%s}/content.xml", path);
    else
        return 0;
    VSILFILE *f = VSIFOpenL(vsi, "rb");
    if (f == NULL)
        return 0;
    sol_buf b;
    sol__buf_init(&b, SOL_MAX_TABLE_BYTES);
    char chunk[65536];
    size_t got;
    while ((got = VSIFReadL(chunk, 1, sizeof chunk, f)) > 0)
        if (sol__buf_add(&b, chunk, got) != SOL_OK)
            break;
    VSIFCloseL(f);
    int64_t count = 0;
    if (sol__buf_addc(&b, '\0') == SOL_OK) {
        const char *p = b.data, *end = NULL;
        if (strcmp(fmt, "ods") == 0) {
            char key[300];
            snprintf(key, sizeof key, "table:name=\"%s\"", name);
            p = strstr(b.data, key);
            end = p ? strstr(p, "</table:table>") : NULL;
        }
        const char *needle = strcmp(fmt, "ods") == 0 ? "table:formula=" : "<f";
        size_t nl = strlen(needle);
        while (p && (p = strstr(p, needle)) != NULL && (end == NULL || p < end)) {
            char next = p[nl];
            if (strcmp(fmt, "ods") == 0 || next == '>' || next == ' ' || next == '/')
                count++;
            p += nl;
        }
    }
    sol__buf_free(&b);
    return count;
}

static void set_sheet_options(const char *value_headers, const char *value_types)
{
    static const char *const drv[] = {"XLSX", "ODS", "XLS"};
    for (int k = 0; k < 3; k++) {
        char key[64];
        snprintf(key, sizeof key, "OGR_%s_HEADERS", drv[k]);
        CPLSetThreadLocalConfigOption(key, value_headers);
        snprintf(key, sizeof key, "OGR_%s_FIELD_TYPES", drv[k]);
        CPLSetThreadLocalConfigOption(key, value_types);
    }
}

static sol_status sheet_grid(sol__table *t, const char *path, const char *fmt, const char *sheet,
                             sol_read_info *info, sol_error *err)
{
    sol_status lrc = sol__gdal_load(err);
    if (lrc != SOL_OK)
        return lrc;
    static const char *const drivers[] = {"XLSX", "ODS", "XLS", NULL};
    /* every row as it is (the header is found below title lines), every cell as text (codes
     * keep their leading zeros) */
    set_sheet_options("DISABLE", "STRING");
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL, NULL);
    if (ds == NULL) {
        set_sheet_options(NULL, NULL);
        return sol__err_at(err, SOL_EPARSE, path, 0, 0,
                           "cannot read this %s workbook: %s; is it damaged, or protected by a "
                           "password?",
                           fmt, CPLGetLastErrorMsg());
    }
    sol_status rc = SOL_OK;
    int n = GDALDatasetGetLayerCount(ds), pick = -1;
    info->sheets = n;
    sol_buf names;
    sol__buf_init(&names, 4096);
    for (int i = 0; i < n; i++)
        sol__buf_addf(&names, "%s'%s'", i ? ", " : "", OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
    if (sheet != NULL) {
        char *end;
        long k = strtol(sheet, &end, 10);
        if (*sheet && *end == '\0' && k >= 1 && k <= n)
            pick = (int)k - 1;
        for (int i = 0; i < n && pick < 0; i++)
            if (strcmp(OGR_L_GetName(GDALDatasetGetLayer(ds, i)), sheet) == 0)
                pick = i;
        for (int i = 0; i < n && pick < 0; i++)
            if (strcasecmp(OGR_L_GetName(GDALDatasetGetLayer(ds, i)), sheet) == 0)
                pick = i;
        if (pick < 0) {
            rc = sol__err_at(err, SOL_ENOTFOUND, path, 0, 0,
                             "no sheet '%s' in this workbook; its sheets are: %s", sheet,
                             names.data ? names.data : "");
            goto out;
        }
    } else if (n == 1) {
        pick = 0;
    } else if (n == 0) {
        rc = sol__err_at(err, SOL_EPARSE, path, 0, 0, "this workbook has no sheet with cells");
        goto out;
    } else {
        rc = sol__err_at(err, SOL_EINVAL, path, 0, 0,
                         "this workbook has %d sheets: %s; say which to read with --sheet NAME "
                         "or --sheet NUMBER (1 for the first)",
                         n, names.data ? names.data : "");
        goto out;
    }
    OGRLayerH l = GDALDatasetGetLayer(ds, pick);
    snprintf(info->sheet, sizeof info->sheet, "%s", OGR_L_GetName(l));
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
    int nf = OGR_FD_GetFieldCount(fd);
    OGR_L_ResetReading(l);
    OGRFeatureH f;
    unsigned long prev = 0;
    while (rc == SOL_OK && (f = OGR_L_GetNextFeature(l)) != NULL) {
        GIntBig fid = OGR_F_GetFID(f);
        unsigned long line = fid > 0 ? (unsigned long)fid : prev + 1;
        prev = line;
        rc = add_row(t, line);
        int last = -1;
        for (int i = 0; i < nf; i++)
            if (OGR_F_IsFieldSetAndNotNull(f, i))
                last = i;
        for (int i = 0; i <= last && rc == SOL_OK; i++) {
            const char *v = OGR_F_IsFieldSetAndNotNull(f, i) ? OGR_F_GetFieldAsString(f, i) : "";
            rc = add_cell(t, v, strlen(v), 0, (unsigned long)i + 1);
        }
        OGR_F_Destroy(f);
    }
    if (rc != SOL_OK) {
        rc = sol__err(err, rc, "out of memory reading %s", path);
        goto out;
    }
    info->formula_cells = count_formulas(path, fmt, pick, info->sheet);
    t->delim = ';';
out:
    sol__buf_free(&names);
    GDALClose(ds);
    set_sheet_options(NULL, NULL); /* the drivers read them when the layer is first read */
    return rc;
}

/* ---- finding the header, skipping blank and total rows ------------------------------------- */

static size_t nonempty(const sol__table *t, size_t r)
{
    size_t k = 0;
    for (size_t i = 0; i < t->rn[r]; i++)
        k += !is_blank_text(cell(t, r, i));
    return k;
}

static sol_status find_header(sol__table *t, const char *path, uint64_t want, size_t *hrow,
                              sol_error *err)
{
    if (want) {
        for (size_t r = 0; r < t->nrow; r++)
            if (t->rline[r] == want) {
                if (nonempty(t, r) == 0)
                    break;
                *hrow = r;
                return SOL_OK;
            }
        return sol__err_at(err, SOL_EPARSE, path, (unsigned long)want, 0,
                           "--header-row %lu: this line has no column names", (unsigned long)want);
    }
    size_t lim = t->nrow < 200 ? t->nrow : 200, w = 0, first = t->nrow;
    for (size_t r = 0; r < lim; r++) {
        size_t k = nonempty(t, r);
        if (k > w)
            w = k;
        if (k && first == t->nrow)
            first = r;
    }
    if (first == t->nrow)
        return sol__err_at(err, SOL_EPARSE, path, 0, 0,
                           "the file has no header line: expected column names");
    /* the first row as wide as the widest (or, from four columns, missing a third of its
     * names at most) whose cells are mostly text (years count as text): title and source lines
     * are narrower, data rows are mostly numbers */
    size_t widest = t->nrow;
    for (size_t r = 0; r < lim; r++) {
        size_t k = nonempty(t, r), nums = 0;
        if (k < 2 || !(k == w || (w >= 4 && 3 * k >= 2 * w)))
            continue;
        if (k == w && widest == t->nrow)
            widest = r;
        for (size_t i = 0; i < t->rn[r]; i++) {
            const char *s = cell(t, r, i);
            numcell nc;
            int y;
            char f;
            read_number(s, strlen(s), '.', &nc);
            nums += nc.kind == CELL_NUM && !year_header(s, &y, &f);
        }
        if (2 * nums <= k) {
            *hrow = r;
            return SOL_OK;
        }
    }
    *hrow = widest < t->nrow ? widest : first;
    return SOL_OK;
}

static long find_col(const sol__table *t, const char *name)
{
    if (name == NULL)
        return -1;
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->hname[i], name) == 0)
            return (long)i;
    return -1;
}

static int in_list(const char *list, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ",");
        if (n == len && strncmp(p, name, n) == 0)
            return 1;
        p += n + (p[n] == ',');
    }
    return 0;
}

/* Days since 1970-01-01 -> civil date (Howard Hinnant's algorithm). */
static void civil(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Period cells that are dates: Excel's serial day numbers (25569 = 1970-01-01) when every cell
 * of the column is one, and dates written 2019-03-01, 2019/03/01 or 01/03/2019: as months, or
 * years when every date is a 1st of January. */
static sol_status period_dates(sol__table *t, long pc, sol_read_info *info)
{
    int all_serial = 1, any = 0, all_jan1 = 1;
    for (size_t k = 0; k < t->nkeep; k++) {
        const char *s = cell(t, t->keep[k], (size_t)pc);
        char *end;
        long v = strtol(s, &end, 10);
        if (is_blank_text(s))
            continue;
        any = 1;
        if (*end != '\0' || strlen(s) != 5 || v < 18264 || v > 73051)
            all_serial = 0;
    }
    int ymd[3];
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < t->nkeep; k++) {
            size_t r = t->keep[k];
            if ((size_t)pc >= t->rn[r])
                continue;
            const char *s = t->text.data + t->cell[t->rfirst[r] + (size_t)pc];
            int y = 0, m = 0, d = 0, ok = 0;
            size_t len = strlen(s); /* a date has 10 characters: shorter cells skip sscanf */
            if (any && all_serial && len == 5) {
                civil(strtol(s, NULL, 10) - 25569, &y, &m, &d);
                ok = 1;
            } else if (len >= 10 &&
                       sscanf(s, "%4d%*[-/]%2d%*[-/]%2d", &ymd[0], &ymd[1], &ymd[2]) == 3 &&
                       ymd[0] > 1900) {
                y = ymd[0], m = ymd[1], d = ymd[2];
                ok = 1;
            } else if (len == 10 && sscanf(s, "%2d/%2d/%4d", &ymd[0], &ymd[1], &ymd[2]) == 3 &&
                       ymd[2] > 1900) {
                y = ymd[2], m = ymd[1], d = ymd[0];
                ok = 1;
            }
            if (!ok || m < 1 || m > 12)
                continue;
            if (pass == 0) {
                all_jan1 &= m == 1 && d == 1;
                continue;
            }
            char p[16];
            if (all_jan1)
                snprintf(p, sizeof p, "%04d", y);
            else
                snprintf(p, sizeof p, "%04d-%02d", y, m);
            size_t at = t->text.len; /* the period may be longer than the cell: a new text */
            if (sol__buf_add(&t->text, p, strlen(p) + 1) != SOL_OK)
                return SOL_ENOMEM;
            t->cell[t->rfirst[r] + (size_t)pc] = at;
            info->serial_dates++;
        }
    return SOL_OK;
}

/* ---- numbers per column --------------------------------------------------------------------- */

static sol_status numbers(sol__table *t, const char *path, const sol_read_opts *o, long ac, long pc,
                          sol_read_info *info, sol_error *err)
{
    char def = o->decimal_mark;
    int forced = def != 0;
    if (!def)
        def = t->delim == ',' ? '.' : ',';
    /* the file's decimal mark, when its cells show only one */
    size_t file_ev[2] = {0, 0};
    numcell nc;
    for (size_t i = 0; i < t->ncols && !forced; i++)
        for (size_t k = 0; k < t->nkeep; k++) {
            const char *s = cell(t, t->keep[k], i);
            read_number(s, strlen(s), 0, &nc);
            if (nc.kind == CELL_NUM && nc.dec == ',')
                file_ev[0]++;
            else if (nc.kind == CELL_NUM && nc.dec == '.')
                file_ev[1]++;
        }
    if (!forced && file_ev[0] && !file_ev[1])
        def = ',';
    else if (!forced && file_ev[1] && !file_ev[0])
        def = '.';
    for (size_t i = 0; i < t->ncols; i++) {
        if ((long)i == ac || (long)i == pc || in_list(o->skip_fields, t->hname[i]))
            continue;
        int must = o->value_fields ? in_list(o->value_fields, t->hname[i]) : 0;
        size_t num = 0, amb = 0, text = 0, ev_c = 0, ev_p = 0, first_text = 0, first_amb = 0;
        for (size_t k = 0; k < t->nkeep; k++) {
            const char *s = cell(t, t->keep[k], i);
            read_number(s, strlen(s), 0, &nc);
            if (nc.kind == CELL_NUM) {
                num++;
                ev_c += nc.dec == ',';
                ev_p += nc.dec == '.';
            } else if (nc.kind == CELL_AMBIG) {
                if (amb++ == 0)
                    first_amb = k;
            } else if (nc.kind == CELL_TEXT && text++ == 0) {
                first_text = k;
            }
        }
        if (num + amb == 0)
            continue;
        if (text && must) {
            size_t r = t->keep[first_text];
            const char *s = cell(t, r, i);
            return sol__err_at(err, SOL_ETYPE, path, t->rline[r], cell_col(t, r, i),
                               "expected a number in column '%s', found '%.*s'", t->hname[i],
                               (int)(strlen(s) > 40 ? 40 : strlen(s)), s);
        }
        if (text > num + amb)
            continue; /* a column of text with a number here and there */
        char mark = forced ? def : ev_c && !ev_p ? ',' : ev_p && !ev_c ? '.' : def;
        if (amb && !forced && !(ev_c && !ev_p) && !(ev_p && !ev_c) && !(file_ev[0] || file_ev[1])) {
            /* nothing in the file says which: the file's convention decides "1,234" in a
             * semicolon file and "1.234" in a comma file; the other needs the person to say */
            size_t r = t->keep[first_amb];
            const char *s = cell(t, r, i);
            read_number(s, strlen(s), 0, &nc);
            if (nc.sep != def)
                return sol__err_at(err, SOL_ETYPE, path, t->rline[r], cell_col(t, r, i),
                                   "'%s' in column '%s' may be a whole number with a thousands "
                                   "separator or a decimal number; say which mark is the decimal "
                                   "one with --decimal-mark , or --decimal-mark .",
                                   s, t->hname[i]);
        }
        int pct = 0;
        for (size_t k = 0; k < t->nkeep; k++) {
            size_t r = t->keep[k];
            if (i >= t->rn[r])
                continue;
            char *s = t->text.data + t->cell[t->rfirst[r] + i];
            read_number(s, strlen(s), mark, &nc);
            if (nc.kind != CELL_NUM || !nc.changed)
                continue;
            memcpy(s, nc.out, strlen(nc.out) + 1); /* never longer than the cell */
            info->numbers_rewritten++;
            pct |= nc.pct;
        }
        if (amb)
            info->decimal_mark = mark;
        if (pct) {
            size_t used = strlen(info->percent_columns);
            snprintf(info->percent_columns + used, sizeof info->percent_columns - used, "%s%s",
                     used ? "," : "", t->hname[i]);
        }
    }
    return SOL_OK;
}

/* ---- years as columns ----------------------------------------------------------------------- */

/* A code for the indicator from a sheet or file name: letters, digits and '_'. */
static void code_from(const char *s, char *out, size_t cap)
{
    const char *slash = strrchr(s, '/');
    if (slash)
        s = slash + 1;
    size_t k = 0;
    for (; *s && *s != '.' && k + 1 < cap; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            ch >= 0x80)
            out[k++] = (char)ch;
        else if (k && out[k - 1] != '_')
            out[k++] = '_';
    }
    while (k && out[k - 1] == '_')
        k--;
    out[k] = '\0';
    if (k == 0)
        snprintf(out, cap, "value");
}

static sol_status years_as_columns(sol__table *t, const sol_read_opts *o, long ac,
                                   sol_read_info *info, sol_error *err)
{
    size_t ny = 0, ncol = t->ncols;
    int *year = sol__calloc(ncol ? ncol : 1, sizeof *year);
    char *flag = sol__calloc(ncol ? ncol : 1, 1);
    sol_status rc = SOL_OK;
    if (year == NULL || flag == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto out;
    }
    int flags = 0;
    for (size_t i = 0; i < ncol; i++)
        if ((long)i != ac && year_header(t->hname[i], &year[i], &flag[i])) {
            ny++;
            flags |= flag[i] != 0;
        } else {
            year[i] = 0;
        }
    if (ny < 2)
        goto out;
    /* every other column is text (names, codes of parents...) or a code (whole numbers, one
     * per row: "Code INSEE" beside the names); none holds measures */
    for (size_t i = 0; i < ncol; i++) {
        if (year[i] || (long)i == ac)
            continue;
        size_t num = 0, text = 0;
        int code = 1;
        sol_strmap *seen = sol__strmap_new(256);
        if (seen == NULL) {
            rc = sol__err(err, SOL_ENOMEM, "out of memory");
            goto out;
        }
        for (size_t k = 0; k < t->nkeep; k++) {
            numcell nc;
            const char *s = cell(t, t->keep[k], i);
            read_number(s, strlen(s), '.', &nc);
            num += nc.kind == CELL_NUM;
            text += nc.kind == CELL_TEXT;
            if (code && nc.kind == CELL_NUM)
                code = strchr(nc.out, '.') == NULL && nc.out[0] != '-' &&
                       !sol__strmap_get(seen, s, strlen(s), NULL) &&
                       sol__strmap_put(seen, s, strlen(s), 1) == SOL_OK;
        }
        sol__strmap_free(seen);
        if (num > text && !code)
            goto out;
    }
    info->year_columns = (int64_t)ny;
    if (o->indicator)
        snprintf(info->indicator, sizeof info->indicator, "%s", o->indicator);
    else
        code_from(info->sheet[0] ? info->sheet : t->name, info->indicator, sizeof info->indicator);
    /* the new rows: the other columns, then period, indicator, value [, flags] */
    size_t nother = ncol - ny, nnew = nother + 3 + (flags != 0);
    char **names = sol__calloc(nnew, sizeof *names);
    size_t *keep = sol__calloc(t->nkeep * ny + 1, sizeof *keep);
    size_t ind_at = t->text.len;
    if (names == NULL || keep == NULL ||
        sol__buf_add(&t->text, info->indicator, strlen(info->indicator) + 1) != SOL_OK) {
        sol__free(names);
        sol__free(keep);
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto out;
    }
    size_t nk = 0;
    for (size_t k = 0; k < t->nkeep && rc == SOL_OK; k++) {
        size_t r = t->keep[k];
        for (size_t y = 0; y < ncol && rc == SOL_OK; y++) {
            if (!year[y])
                continue;
            char py[8], fl[2] = {flag[y], 0};
            snprintf(py, sizeof py, "%d", year[y]);
            if ((rc = add_row(t, t->rline[r])) != SOL_OK)
                break;
            for (size_t i = 0; i < ncol && rc == SOL_OK; i++)
                if (!year[i])
                    rc = add_cell(t, NULL, 0, i < t->rn[r] ? t->cell[t->rfirst[r] + i] : ind_at,
                                  cell_col(t, r, i));
            if (rc == SOL_OK)
                rc = add_cell(t, py, strlen(py), 0, cell_col(t, r, y));
            if (rc == SOL_OK)
                rc = add_cell(t, NULL, 0, ind_at, cell_col(t, r, y));
            if (rc == SOL_OK) {
                if (y < t->rn[r])
                    rc = add_cell(t, NULL, 0, t->cell[t->rfirst[r] + y], cell_col(t, r, y));
                else
                    rc = add_cell(t, "", 0, 0, cell_col(t, r, y));
            }
            if (rc == SOL_OK && flags)
                rc = add_cell(t, fl, strlen(fl), 0, cell_col(t, r, y));
            keep[nk++] = t->nrow - 1;
        }
    }
    /* a missing cell of the old rows pointed at the indicator's text: make it empty */
    size_t empty_at = t->text.len;
    if (rc == SOL_OK && (rc = sol__buf_addc(&t->text, '\0')) == SOL_OK)
        for (size_t k = 0; k < nk; k++) {
            size_t r = keep[k];
            for (size_t i = 0; i < nother; i++)
                if (t->cell[t->rfirst[r] + i] == ind_at)
                    t->cell[t->rfirst[r] + i] = empty_at;
        }
    size_t j = 0;
    for (size_t i = 0; i < ncol && rc == SOL_OK; i++)
        if (!year[i]) {
            names[j++] = t->hname[i];
            t->hname[i] = NULL;
        }
    static const char *const added[] = {"period", "indicator", "value", "flags"};
    for (size_t a = 0; a < 3 + (size_t)(flags != 0) && rc == SOL_OK; a++)
        if ((names[j++] = sol__strdup(added[a])) == NULL)
            rc = SOL_ENOMEM;
    if (rc != SOL_OK) {
        for (size_t i = 0; i < nnew; i++)
            sol__free(names[i]);
        sol__free(names);
        sol__free(keep);
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < ncol; i++)
        sol__free(t->hname[i]);
    sol__free(t->hname);
    sol__free(t->keep);
    t->hname = names;
    t->ncols = nnew;
    t->keep = keep;
    t->nkeep = nk;
out:
    sol__free(year);
    sol__free(flag);
    return rc;
}

/* ---- the whole reading ---------------------------------------------------------------------- */

static sol_status shape(sol__table *t, const char *path, const sol_read_opts *o,
                        sol_read_info *info, sol_error *err)
{
    size_t h = 0;
    sol_status rc = find_header(t, path, o->header_row, &h, err);
    if (rc != SOL_OK)
        return rc;
    info->header_line = (int64_t)t->rline[h];
    t->header_line = t->rline[h];
    size_t nc = t->rn[h];
    int sheet = info->format[0] != 'c';
    if (sheet)
        while (nc > 0 && is_blank_text(cell(t, h, nc - 1)))
            nc--;
    t->ncols = nc;
    if ((t->hname = sol__calloc(nc ? nc : 1, sizeof *t->hname)) == NULL ||
        (t->keep = sol__calloc(t->nrow + 1, sizeof *t->keep)) == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    for (size_t i = 0; i < nc; i++) {
        const char *s = cell(t, h, i);
        size_t n = strlen(s);
        trim(&s, &n);
        if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3;
            n -= 3;
        }
        if ((t->hname[i] = sol__strndup(s, n)) == NULL)
            return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    long ac = find_col(t, o->area_field), pc = find_col(t, o->period_field);
    for (size_t r = h + 1; r < t->nrow; r++) {
        if (nonempty(t, r) == 0) {
            info->blank_rows++;
            continue;
        }
        if (!sheet && t->rn[r] != nc)
            return sol__err_at(err, SOL_EPARSE, path, t->rline[r], 0,
                               "expected %zu fields (as in the header), found %zu", nc, t->rn[r]);
        if (ac >= 0) {
            const char *a = cell(t, r, (size_t)ac);
            int tot = total_label(a);
            const char *label = a;
            for (size_t i = 0; !tot && is_blank_text(a) && i < t->rn[r]; i++)
                if (total_label(cell(t, r, i))) {
                    tot = 1;
                    label = cell(t, r, i);
                }
            if (tot) {
                if (info->total_rows++ == 0) {
                    info->total_first_line = (int64_t)t->rline[r];
                    snprintf(info->total_first_label, sizeof info->total_first_label, "%s", label);
                }
                continue;
            }
            if (is_blank_text(a))
                return sol__err_at(err, SOL_EPARSE, path, t->rline[r], cell_col(t, r, (size_t)ac),
                                   "the area cell (column '%s') is empty but the row has "
                                   "values: a merged cell? Write the area on every row, or "
                                   "remove the row",
                                   t->hname[ac]);
        }
        t->keep[t->nkeep++] = r;
    }
    if (pc >= 0 && period_dates(t, pc, info) != SOL_OK)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    if ((rc = numbers(t, path, o, ac, pc, info, err)) != SOL_OK)
        return rc;
    if (o->years_as_columns && ac >= 0 && (rc = years_as_columns(t, o, ac, info, err)) != SOL_OK)
        return rc;
    return SOL_OK;
}

/* What the first bytes say the file is. */
static const char *binary_kind(const unsigned char *p, size_t n)
{
    static const struct {
        const char *magic;
        size_t len;
        const char *what;
    } kinds[] = {{"\x89PNG", 4, N_("a PNG image")},
                 {"\xFF\xD8\xFF", 3, N_("a JPEG image")},
                 {"GIF8", 4, N_("a GIF image")},
                 {"%PDF", 4, N_("a PDF document")},
                 {"\x1F\x8B", 2, N_("a gzip archive")},
                 {"{\\rtf", 5, N_("an RTF document")},
                 {NULL, 0, NULL}};
    for (int k = 0; kinds[k].magic; k++)
        if (n >= kinds[k].len && memcmp(p, kinds[k].magic, kinds[k].len) == 0)
            return kinds[k].what;
    return NULL;
}

static int has(const char *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(p + i, needle, k) == 0)
            return 1;
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

sol_status sol_table_open(const char *path, const sol_read_opts *o, sol_csv **out,
                          sol_read_info *info, sol_error *err)
{
    static const sol_read_opts none = {0};
    sol_read_info dummy;
    if (o == NULL)
        o = &none;
    if (info == NULL)
        info = &dummy;
    memset(info, 0, sizeof *info);
    if (sodium_init() < 0)
        return sol__err(err, SOL_EIO, "libsodium failed to initialise");
    struct stat sb;
    if (strcmp(path, "-") == 0 || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        (uint64_t)sb.st_size > SOL_MAX_TABLE_BYTES) {
        /* stdin, a pipe, a missing or very large file: streamed as UTF-8 CSV */
        sol_csv_opts co = {.delimiter = o->delimiter};
        sol_status rc = sol_csv_open(path, &co, out, err);
        if (rc == SOL_OK) {
            snprintf(info->format, sizeof info->format, "csv");
            snprintf(info->encoding, sizeof info->encoding, "UTF-8");
            info->header_line = 1;
        }
        return rc;
    }
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return sol__err_at(err, SOL_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    size_t n = (size_t)sb.st_size;
    char *data = sol__malloc(n + 1), *conv = NULL;
    sol__table *t = sol__calloc(1, sizeof *t);
    sol_status rc = SOL_OK;
    if (data == NULL || t == NULL) {
        fclose(fp);
        sol__free(data);
        sol__free(t);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    t->refs = 1;
    sol__buf_init(&t->text, SOL_MAX_TABLE_BYTES * 4u);
    size_t got = fread(data, 1, n, fp);
    int bad = ferror(fp);
    fclose(fp);
    if (bad || got != n) {
        rc = sol__err_at(err, SOL_EIO, path, 0, 0, "read error");
        goto out;
    }
    if ((t->name = sol__strdup(path)) == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory");
        goto out;
    }
    t->bytes = n;
    {
        unsigned char d[32];
        crypto_hash_sha256((unsigned char *)d, (const unsigned char *)data, n);
        sodium_bin2hex(t->sha, sizeof t->sha, d, sizeof d);
    }
    const unsigned char *u = (const unsigned char *)data;
    const char *what = binary_kind(u, n);
    int zip = n >= 4 && memcmp(u, "PK\x03\x04", 4) == 0;
    int ole = n >= 8 && memcmp(u, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0;
    int sheet_name = ends_with(path, ".xlsx") || ends_with(path, ".ods") ||
                     ends_with(path, ".xls") || ends_with(path, ".xlsm");
    if (what != NULL && sheet_name) {
        rc = sol__err_at(err, SOL_EPARSE, path, 0, 0,
                         "this is not a spreadsheet: the file holds %s (renamed?); open it in its "
                         "program and save the table as XLSX, ODS or CSV",
                         _(what));
        goto out;
    }
    if (what != NULL) {
        rc = sol__err_at(err, SOL_EPARSE, path, 0, 0,
                         "this is not a table: the file holds %s; save the table as CSV, XLSX or "
                         "ODS",
                         _(what));
        goto out;
    }
    if (zip || ole) {
        const char *fmt = ole                                              ? "xls"
                          : ends_with(path, ".ods")                        ? "ods"
                          : has(data, n < 4096 ? n : 4096, "opendocument") ? "ods"
                                                                           : "xlsx";
        snprintf(info->format, sizeof info->format, "%s", fmt);
        if ((rc = sheet_grid(t, path, fmt, o->sheet, info, err)) != SOL_OK)
            goto out;
    } else {
        if (sheet_name) {
            rc = sol__err_at(err, SOL_EPARSE, path, 0, 0,
                             "this is not a spreadsheet (an XLSX or ODS file is a zip archive); "
                             "save it again from its program");
            goto out;
        }
        if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
            rc = sol__err_at(err, SOL_EENCODING, path, 1, 1,
                             "this text is in UTF-16; save it as CSV in UTF-8 (or as XLSX)");
            goto out;
        }
        snprintf(info->format, sizeof info->format, "csv");
        sol_encoding e = o->encoding;
        if (e == SOL_ENC_AUTO) {
            e = sol__utf8_invalid_at(data, n) == n ? SOL_ENC_UTF8 : detect_encoding(u, n);
            info->encoding_detected = e != SOL_ENC_UTF8;
        }
        snprintf(info->encoding, sizeof info->encoding, "%s", ENC_NAMES[e]);
        const char *text = data;
        size_t tn = n;
        if (e != SOL_ENC_UTF8) {
            if ((rc = to_utf8(path, e, data, n, &conv, &tn, err)) != SOL_OK)
                goto out;
            text = conv;
        }
        size_t skip = tn >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        char delim = o->delimiter ? o->delimiter : detect_delimiter(text + skip, tn - skip);
        if ((rc = csv_grid(t, path, text, tn, delim, e != SOL_ENC_UTF8, err)) != SOL_OK)
            goto out;
    }
    if ((rc = shape(t, path, o, info, err)) != SOL_OK)
        goto out;
    rc = sol__csv_open_table(t, out, err);
out:
    sol__free(data);
    sol__free(conv);
    sol__table_unref(t);
    return rc;
}

/* ---- saying what was found ------------------------------------------------------------------ */

void sol_read_info_describe(const sol_read_info *ri, void (*note)(void *ud, const char *sentence),
                            void *ud)
{
    char s[768];
    if (ri->sheet[0]) {
        snprintf(s, sizeof s, _("read sheet '%s' of the workbook (%s)"), ri->sheet, ri->format);
        note(ud, s);
    }
    if (ri->encoding_detected) {
        snprintf(s, sizeof s, _("the text is in %s (detected), converted to UTF-8"), ri->encoding);
        note(ud, s);
    }
    if (ri->header_line > 1) {
        snprintf(s, sizeof s, _("header on line %lld; the lines above it were left out"),
                 (long long)ri->header_line);
        note(ud, s);
    }
    if (ri->blank_rows) {
        snprintf(s, sizeof s,
                 sol_ngettext("%lld blank row skipped", "%lld blank rows skipped",
                              (unsigned long)ri->blank_rows),
                 (long long)ri->blank_rows);
        note(ud, s);
    }
    if (ri->total_rows) {
        snprintf(s, sizeof s,
                 sol_ngettext("%lld total row skipped (line %lld: '%s')",
                              "%lld total rows skipped (the first on line %lld: '%s')",
                              (unsigned long)ri->total_rows),
                 (long long)ri->total_rows, (long long)ri->total_first_line, ri->total_first_label);
        note(ud, s);
    }
    if (ri->formula_cells) {
        snprintf(s, sizeof s,
                 sol_ngettext("%lld cell holds a formula: its value as last computed was read",
                              "%lld cells hold formulas: their values as last computed were read",
                              (unsigned long)ri->formula_cells),
                 (long long)ri->formula_cells);
        note(ud, s);
    }
    if (ri->serial_dates) {
        snprintf(s, sizeof s,
                 sol_ngettext("%lld date in the period column was read as its period",
                              "%lld dates in the period column were read as their periods",
                              (unsigned long)ri->serial_dates),
                 (long long)ri->serial_dates);
        note(ud, s);
    }
    if (ri->numbers_rewritten) {
        snprintf(s, sizeof s,
                 sol_ngettext("%lld number written with spaces, thousands separators, a decimal "
                              "comma or %% was read as a number",
                              "%lld numbers written with spaces, thousands separators, a decimal "
                              "comma or %% were read as numbers",
                              (unsigned long)ri->numbers_rewritten),
                 (long long)ri->numbers_rewritten);
        note(ud, s);
    }
    if (ri->percent_columns[0]) {
        snprintf(s, sizeof s, _("values in percent (the %% sign removed) in: %s"),
                 ri->percent_columns);
        note(ud, s);
    }
    if (ri->decimal_mark) {
        snprintf(s, sizeof s, _("'%c' taken as the decimal mark"), ri->decimal_mark);
        note(ud, s);
    }
    if (ri->layout[0]) {
        /* TRANSLATORS: the layout is one of "wide", "long", "years as columns", "sdmx" */
        snprintf(s, sizeof s, _("layout: %s"), _(ri->layout));
        note(ud, s);
    }
    if (ri->year_columns) {
        snprintf(s, sizeof s,
                 _("years as columns: %lld year columns read as periods of one indicator, '%s'"),
                 (long long)ri->year_columns, ri->indicator);
        note(ud, s);
    }
}
