/* rule.c - the audience rule language: a tokenizer and parser with the line and column of every
 * error, the same rule read from JSON, and the rule written back as text and as JSON. */
#include <solidata/outreach.h>

#include "core/core.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *sol_aud_op_name(sol_aud_op op)
{
    static const char *const names[] = {">", ">=", "<", "<=", "top", "bottom"};
    return (unsigned)op < 6 ? names[op] : "?";
}

void sol_aud_rule_free(sol_aud_rule *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n_within; i++)
        sol__free(r->within[i]);
    for (size_t i = 0; i < r->n_cond; i++)
        sol__free(r->cond[i].indicator);
    sol__free_n(7, r->within, r->cond, r->level, r->period, r->people, r->share, r->purpose);
    sol__free(r);
}

/* ---- tokens ---------------------------------------------------------------------------------- */

typedef enum tok_kind {
    T_END = 0,
    T_SEP,    /* ';' or a new line */
    T_WORD,   /* a code, a keyword or a number */
    T_STRING, /* "..." */
    T_OP,     /* > >= < <= */
    T_STAR,
    T_COMMA,
    T_PCT
} tok_kind;

typedef struct lexer {
    const char *s;
    size_t i, n;
    unsigned long line, line_start;
    /* the current token */
    tok_kind kind;
    const char *t;
    size_t len;
    unsigned long tline, tcol;
    char buf[SOL_MAX_RULE + 1]; /* a string's text, unescaped */
} lexer;

/* A character of a word: a code, a keyword or a number. '+' too, anywhere ("pop_65+", "+5"), as
 * a code may hold it: the rule language has no '+' operator. */
static int word_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '-' || c == '.' || c == ':' || c == '/' || c == '+' ||
           c >= 0x80;
}

static sol_status perr(const lexer *L, sol_error *err, const char *fmt, const char *arg)
{
    /* fmt holds one %s (the token or a word) */
    return sol__err_at(err, SOL_EPARSE, "rule", L->tline, L->tcol, fmt, arg);
}

static const char *tok_text(lexer *L, char *out, size_t cap)
{
    if (L->kind == T_END)
        return sol_gettext("the end of the rule");
    if (L->kind == T_SEP)
        return L->t[0] == ';' ? "';'" : sol_gettext("the end of the line");
    size_t n = L->len < cap - 3 ? L->len : cap - 3;
    out[0] = '\'';
    memcpy(out + 1, L->t, n);
    out[n + 1] = '\'';
    out[n + 2] = '\0';
    return out;
}

static sol_status next(lexer *L, sol_error *err)
{
    while (L->i < L->n && (L->s[L->i] == ' ' || L->s[L->i] == '\t' || L->s[L->i] == '\r'))
        L->i++;
    /* a comment runs to the end of the line */
    if (L->i < L->n && L->s[L->i] == '#')
        while (L->i < L->n && L->s[L->i] != '\n')
            L->i++;
    L->tline = L->line;
    L->tcol = (unsigned long)(L->i - L->line_start) + 1;
    L->t = L->s + L->i;
    L->len = 1;
    if (L->i >= L->n) {
        L->kind = T_END;
        L->len = 0;
        return SOL_OK;
    }
    unsigned char c = (unsigned char)L->s[L->i];
    if (c == ';' || c == '\n') {
        L->kind = T_SEP;
        L->i++;
        if (c == '\n') {
            L->line++;
            L->line_start = L->i;
        }
        return SOL_OK;
    }
    if (c == '>' || c == '<') {
        L->kind = T_OP;
        L->i++;
        if (L->i < L->n && L->s[L->i] == '=') {
            L->i++;
            L->len = 2;
        }
        return SOL_OK;
    }
    if (c == '=' || c == '!')
        return perr(L, err, "'%s' is not a comparison of the rule language: use >, >=, < or <=",
                    c == '=' ? "=" : "!");
    if (c == '*' || c == ',' || c == '%') {
        L->kind = c == '*' ? T_STAR : c == ',' ? T_COMMA : T_PCT;
        L->i++;
        return SOL_OK;
    }
    if (c == '"') {
        size_t k = 0;
        L->i++;
        while (L->i < L->n && L->s[L->i] != '"' && L->s[L->i] != '\n') {
            if (L->s[L->i] == '\\' && L->i + 1 < L->n &&
                (L->s[L->i + 1] == '"' || L->s[L->i + 1] == '\\'))
                L->i++;
            L->buf[k++] = L->s[L->i++];
        }
        if (L->i >= L->n || L->s[L->i] != '"')
            return perr(L, err, "%s: a text in quotes is not closed on its line", "\"");
        L->i++;
        L->buf[k] = '\0';
        L->kind = T_STRING;
        L->t = L->buf;
        L->len = k;
        return SOL_OK;
    }
    if (word_char(c)) {
        size_t j = L->i + 1;
        while (j < L->n && word_char((unsigned char)L->s[j]))
            j++;
        L->kind = T_WORD;
        L->len = j - L->i;
        L->i = j;
        return SOL_OK;
    }
    char one[8];
    snprintf(one, sizeof one, "%c", isprint(c) ? c : '?');
    return perr(L, err, "unexpected character '%s'", one);
}

static int is_word(const lexer *L, const char *w)
{
    return L->kind == T_WORD && L->len == strlen(w) && strncmp(L->t, w, L->len) == 0;
}

static char *take(const lexer *L)
{
    return sol__strndup(L->t, L->len);
}

/* a number token (a word that is wholly a number) into *x */
static int word_number(const lexer *L, double *x)
{
    if (L->kind != T_WORD || L->len >= 64)
        return 0;
    char b[64];
    memcpy(b, L->t, L->len);
    b[L->len] = '\0';
    char *end = NULL;
    errno = 0;
    double v = strtod(b, &end);
    if (end == b || *end != '\0' || errno || !isfinite(v))
        return 0;
    *x = v;
    return 1;
}

/* A text the lexer reads back as one word (a level's name written bare). */
static int plain_word(const char *s)
{
    if (*s == '\0' || !word_char((unsigned char)*s))
        return 0;
    while (*++s)
        if (!word_char((unsigned char)*s))
            return 0;
    return 1;
}

/* No control character, and short enough for a quoted token (the lexer's buffer). */
static int one_line(const char *s)
{
    size_t n = 0;
    for (; *s; s++, n++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 0;
    return n <= SOL_MAX_CODE;
}

/* The text in quotes, '"' and '\\' escaped as the lexer reads them. */
static void quoted(sol_buf *b, const char *s, int *bad)
{
    *bad |= sol__buf_addc(b, '"') != SOL_OK;
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            *bad |= sol__buf_addc(b, '\\') != SOL_OK;
        *bad |= sol__buf_addc(b, *s) != SOL_OK;
    }
    *bad |= sol__buf_addc(b, '"') != SOL_OK;
}

static int valid_code(const char *s, size_t n)
{
    if (n == 0 || n > SOL_MAX_CODE)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!word_char((unsigned char)s[i]))
            return 0;
    return 1;
}

#define NEXT()                                                                                     \
    do {                                                                                           \
        if ((rc = next(L, err)) != SOL_OK)                                                         \
            goto fail;                                                                             \
    } while (0)
#define EXPECTED(what)                                                                             \
    do {                                                                                           \
        char tb_[80];                                                                              \
        rc = sol__err_at(err, SOL_EPARSE, "rule", L->tline, L->tcol, "expected %s, found %s",      \
                         sol_gettext(what), tok_text(L, tb_, sizeof tb_));                         \
        goto fail;                                                                                 \
    } while (0)

static sol_status set_once(lexer *L, char **field, const char *what, sol_error *err)
{
    if (*field)
        return sol__err_at(err, SOL_EPARSE, "rule", L->tline, L->tcol,
                           "'%s' is given twice; a rule has one", what);
    return SOL_OK;
}

/* one condition at the current token (an indicator code) */
static sol_status parse_cond(lexer *L, sol_aud_rule *r, sol_error *err)
{
    sol_status rc = SOL_OK;
    if (r->n_cond >= SOL_AUD_MAX_COND)
        return sol__err_at(err, SOL_ELIMIT, "rule", L->tline, L->tcol,
                           "more than %d conditions in one rule", SOL_AUD_MAX_COND);
    sol_aud_cond c = {.col = L->tcol};
    if ((c.indicator = take(L)) == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    NEXT();
    if (L->kind == T_OP) {
        c.op = L->t[0] == '>' ? (L->len == 2 ? SOL_AUD_GE : SOL_AUD_GT)
                              : (L->len == 2 ? SOL_AUD_LE : SOL_AUD_LT);
        NEXT();
        if (!word_number(L, &c.value))
            EXPECTED(N_("a number after the comparison"));
        NEXT();
    } else if (is_word(L, "in")) {
        NEXT();
        if (is_word(L, "top"))
            c.op = SOL_AUD_TOP;
        else if (is_word(L, "bottom"))
            c.op = SOL_AUD_BOTTOM;
        else
            EXPECTED(N_("'top' or 'bottom' after 'in'"));
        NEXT();
        if (!word_number(L, &c.value))
            /* xgettext:no-c-format */
            EXPECTED(N_("a percentage (e.g. 25%)"));
        if (!(c.value > 0 && c.value <= 100))
            EXPECTED(N_("a percentage above 0 and at most 100"));
        NEXT();
        if (L->kind != T_PCT)
            /* xgettext:no-c-format */
            EXPECTED(N_("'%' after the percentage"));
        NEXT();
    } else {
        if (L->kind == T_WORD) {
            rc = sol__err_at(err, SOL_EPARSE, "rule", L->tline, c.col,
                             "'%s' is neither a statement (level, within, period, people, "
                             "purpose) nor followed by a condition (CODE > NUMBER, CODE in top "
                             "N%%)",
                             c.indicator);
            goto fail;
        }
        /* xgettext:no-c-format */
        EXPECTED(N_("a comparison (>, >=, <, <=) or 'in top N%' after the indicator"));
    }
    r->cond[r->n_cond++] = c;
    return SOL_OK;
fail:
    sol__free(c.indicator);
    return rc;
}

static sol_status parse_stmt(lexer *L, sol_aud_rule *r, sol_error *err)
{
    sol_status rc = SOL_OK;
    if (L->kind != T_WORD)
        EXPECTED(N_("a statement (level, within, period, people, purpose) or a condition"));
    if (is_word(L, "level")) {
        if ((rc = set_once(L, &r->level, "level", err)) != SOL_OK)
            return rc;
        NEXT();
        /* a word, or a level's name in quotes ("census tract") */
        if ((L->kind != T_WORD && L->kind != T_STRING) || L->len == 0)
            EXPECTED(N_("a level after 'level' (e.g. municipality)"));
        if ((r->level = take(L)) == NULL)
            goto nomem;
        NEXT();
    } else if (is_word(L, "period")) {
        if ((rc = set_once(L, &r->period, "period", err)) != SOL_OK)
            return rc;
        NEXT();
        if (L->kind != T_WORD || L->len >= 16)
            EXPECTED(N_("a period after 'period' (e.g. 2021)"));
        if ((r->period = take(L)) == NULL)
            goto nomem;
        NEXT();
    } else if (is_word(L, "within")) {
        if (r->n_within)
            return sol__err_at(err, SOL_EPARSE, "rule", L->tline, L->tcol,
                               "'%s' is given twice; a rule has one", "within");
        NEXT();
        for (;;) {
            if (L->kind != T_WORD || !valid_code(L->t, L->len))
                EXPECTED(N_("an area code after 'within'"));
            if (r->n_within >= SOL_AUD_MAX_WITHIN)
                return sol__err_at(err, SOL_ELIMIT, "rule", L->tline, L->tcol,
                                   "more than %d areas after 'within'", SOL_AUD_MAX_WITHIN);
            if ((r->within[r->n_within] = take(L)) == NULL)
                goto nomem;
            r->n_within++;
            NEXT();
            if (L->kind != T_COMMA)
                break;
            NEXT();
        }
    } else if (is_word(L, "people")) {
        if ((rc = set_once(L, &r->people, "people", err)) != SOL_OK)
            return rc;
        NEXT();
        if (L->kind != T_WORD || !valid_code(L->t, L->len))
            EXPECTED(N_("an indicator counting the people after 'people'"));
        r->people_col = L->tcol;
        if ((r->people = take(L)) == NULL)
            goto nomem;
        NEXT();
        if (L->kind == T_STAR) {
            NEXT();
            if (is_word(L, "share"))
                NEXT();
            if (L->kind != T_WORD || !valid_code(L->t, L->len))
                EXPECTED(N_("a share indicator after '*'"));
            r->share_col = L->tcol;
            if ((r->share = take(L)) == NULL)
                goto nomem;
            NEXT();
        }
    } else if (is_word(L, "purpose")) {
        if ((rc = set_once(L, &r->purpose, "purpose", err)) != SOL_OK)
            return rc;
        NEXT();
        if (is_word(L, "public-service")) {
            r->public_service = 1;
            NEXT();
        }
        if (L->kind != T_STRING || L->len == 0)
            EXPECTED(N_("the purpose in quotes (purpose public-service \"...\")"));
        if ((r->purpose = sol__strdup(L->buf)) == NULL)
            goto nomem;
        NEXT();
    } else {
        if (!valid_code(L->t, L->len))
            EXPECTED(N_("an indicator code"));
        for (;;) {
            if ((rc = parse_cond(L, r, err)) != SOL_OK)
                return rc;
            if (!is_word(L, "and"))
                break;
            NEXT();
            if (L->kind != T_WORD || !valid_code(L->t, L->len))
                EXPECTED(N_("a condition after 'and'"));
        }
    }
    if (L->kind != T_SEP && L->kind != T_END)
        EXPECTED(N_("';' or the end of the line"));
    return SOL_OK;
nomem:
    return sol__err(err, SOL_ENOMEM, "out of memory");
fail:
    return rc;
}

static sol_aud_rule *rule_new(void)
{
    sol_aud_rule *r = sol__calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->within = sol__calloc(SOL_AUD_MAX_WITHIN, sizeof *r->within);
    r->cond = sol__calloc(SOL_AUD_MAX_COND, sizeof *r->cond);
    if (r->within == NULL || r->cond == NULL) {
        sol_aud_rule_free(r);
        return NULL;
    }
    return r;
}

sol_status sol_aud_rule_parse(const char *text, sol_aud_rule **out, sol_error *err)
{
    size_t n = text ? strlen(text) : 0;
    if (n > SOL_MAX_RULE)
        return sol__err_at(err, SOL_ELIMIT, "rule", 0, 0, "the rule is longer than %d bytes",
                           SOL_MAX_RULE);
    if (sol__utf8_invalid_at(text ? text : "", n) != n)
        return sol__err_at(err, SOL_EPARSE, "rule", 0, 0, "the rule is not valid UTF-8%s", "");
    lexer *L = sol__calloc(1, sizeof *L);
    sol_aud_rule *r = rule_new();
    sol_status rc = SOL_ENOMEM;
    if (L == NULL || r == NULL) {
        sol__err(err, rc, "out of memory");
        goto fail;
    }
    L->s = text ? text : "";
    L->n = n;
    L->line = 1;
    if ((rc = next(L, err)) != SOL_OK)
        goto fail;
    for (;;) {
        while (L->kind == T_SEP)
            if ((rc = next(L, err)) != SOL_OK)
                goto fail;
        if (L->kind == T_END)
            break;
        if ((rc = parse_stmt(L, r, err)) != SOL_OK)
            goto fail;
    }
    if (r->people == NULL) {
        rc = sol__err_at(err, SOL_EPARSE, "rule", L->tline, L->tcol,
                         "the rule does not say whom it counts: add 'people CODE' (an indicator "
                         "counting the target group)%s",
                         "");
        goto fail;
    }
    sol__free(L);
    *out = r;
    return SOL_OK;
fail:
    sol__free(L);
    sol_aud_rule_free(r);
    return rc;
}

/* ---- JSON ------------------------------------------------------------------------------------ */

static sol_status jerr(sol_error *err, const char *member, const char *what)
{
    sol__err(err, SOL_EPARSE, "%s: expected %s", member, sol_gettext(what));
    if (err)
        snprintf(err->where, sizeof err->where, "%s", member);
    return SOL_EPARSE;
}

static sol_status jstr(json_t *o, const char *key, char **field, int code, sol_error *err)
{
    json_t *v = json_object_get(o, key);
    char member[64];
    snprintf(member, sizeof member, "rule.%s", key);
    if (v == NULL || json_is_null(v))
        return SOL_OK;
    if (!json_is_string(v) || json_string_length(v) == 0)
        return jerr(err, member, N_("a text"));
    const char *s = json_string_value(v);
    if (code && !valid_code(s, strlen(s)))
        return jerr(err, member, N_("a code (letters, digits, _ - . : /)"));
    if ((*field = sol__strdup(s)) == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    return SOL_OK;
}

sol_status sol_aud_rule_from_json(const char *json, sol_aud_rule **out, sol_error *err)
{
    size_t len = json ? strlen(json) : 0;
    if (len > 4 * SOL_MAX_RULE)
        return sol__err_at(err, SOL_ELIMIT, "rule", 0, 0, "the rule is longer than %d bytes",
                           4 * SOL_MAX_RULE);
    json_error_t je;
    json_t *o = json_loadb(json ? json : "", len, 0, &je);
    if (!json_is_object(o)) {
        json_decref(o);
        return sol__err_at(err, SOL_EPARSE, "rule", (unsigned long)(je.line > 0 ? je.line : 0),
                           (unsigned long)(je.column > 0 ? je.column : 0),
                           "the rule is not a JSON object: %s", o ? "" : je.text);
    }
    sol_aud_rule *r = rule_new();
    sol_status rc = SOL_ENOMEM;
    if (r == NULL) {
        sol__err(err, rc, "out of memory");
        goto fail;
    }
    static const char *const known[] = {"level",   "within",   "period",  "conditions",
                                        "people",  "share",    "purpose", "public_service",
                                        "comment", "rule_text"};
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        size_t k = 0;
        while (k < sizeof known / sizeof *known && strcmp(known[k], key) != 0)
            k++;
        if (k == sizeof known / sizeof *known) {
            rc = sol__err(err, SOL_EPARSE,
                          "rule: unknown member '%s' (expected level, within, period, "
                          "conditions, people, share, purpose, public_service)",
                          key);
            goto fail;
        }
    }
    /* a period is a word of the text form (letters, digits, _ - . : /) and a level a text on one
     * line (written in quotes when it is not a word), so that the rule reads back from its text
     * as it was given */
    if ((rc = jstr(o, "level", &r->level, 0, err)) != SOL_OK ||
        (rc = jstr(o, "period", &r->period, 1, err)) != SOL_OK ||
        (rc = jstr(o, "people", &r->people, 1, err)) != SOL_OK ||
        (rc = jstr(o, "share", &r->share, 1, err)) != SOL_OK ||
        (rc = jstr(o, "purpose", &r->purpose, 0, err)) != SOL_OK)
        goto fail;
    if (r->level && !one_line(r->level)) {
        rc = jerr(err, "rule.level", N_("a level's name on one line"));
        goto fail;
    }
    if (r->period && strlen(r->period) >= 16) {
        rc = jerr(err, "rule.period", N_("a period (e.g. 2021)"));
        goto fail;
    }
    if (r->people == NULL) {
        rc = jerr(err, "rule.people", N_("an indicator counting the target group"));
        goto fail;
    }
    v = json_object_get(o, "public_service");
    if (v && !json_is_null(v)) {
        if (!json_is_boolean(v)) {
            rc = jerr(err, "rule.public_service", N_("true or false"));
            goto fail;
        }
        r->public_service = json_is_true(v);
    }
    v = json_object_get(o, "within");
    if (v && !json_is_null(v)) {
        if (json_is_string(v)) {
            if ((rc = jstr(o, "within", &r->within[0], 1, err)) != SOL_OK)
                goto fail;
            r->n_within = 1;
        } else if (!json_is_array(v) || json_array_size(v) > SOL_AUD_MAX_WITHIN) {
            rc = jerr(err, "rule.within", N_("a list of at most 64 area codes"));
            goto fail;
        } else {
            size_t i;
            json_t *c;
            json_array_foreach(v, i, c)
            {
                const char *s = json_string_value(c);
                if (s == NULL || !valid_code(s, strlen(s))) {
                    char m[48];
                    snprintf(m, sizeof m, "rule.within[%zu]", i);
                    rc = jerr(err, m, N_("an area code"));
                    goto fail;
                }
                if ((r->within[r->n_within] = sol__strdup(s)) == NULL)
                    goto nomem;
                r->n_within++;
            }
        }
    }
    v = json_object_get(o, "conditions");
    if (v && !json_is_null(v)) {
        if (!json_is_array(v) || json_array_size(v) > SOL_AUD_MAX_COND) {
            rc = jerr(err, "rule.conditions", N_("a list of at most 16 conditions"));
            goto fail;
        }
        size_t i;
        json_t *c;
        json_array_foreach(v, i, c)
        {
            char m[64];
            const char *ind = json_string_value(json_object_get(c, "indicator"));
            const char *op = json_string_value(json_object_get(c, "op"));
            json_t *val = json_object_get(c, "value");
            sol_aud_cond *d = &r->cond[r->n_cond];
            snprintf(m, sizeof m, "rule.conditions[%zu].indicator", i);
            if (ind == NULL || !valid_code(ind, strlen(ind))) {
                rc = jerr(err, m, N_("an indicator code"));
                goto fail;
            }
            snprintf(m, sizeof m, "rule.conditions[%zu].op", i);
            int k = -1;
            for (int q = 0; op && q < 6; q++)
                if (strcmp(op, sol_aud_op_name((sol_aud_op)q)) == 0)
                    k = q;
            if (k < 0) {
                rc = jerr(err, m, N_("one of >, >=, <, <=, top, bottom"));
                goto fail;
            }
            snprintf(m, sizeof m, "rule.conditions[%zu].value", i);
            if (!json_is_number(val) || !isfinite(json_number_value(val))) {
                rc = jerr(err, m, N_("a number"));
                goto fail;
            }
            d->op = (sol_aud_op)k;
            d->value = json_number_value(val);
            if ((d->op == SOL_AUD_TOP || d->op == SOL_AUD_BOTTOM) &&
                !(d->value > 0 && d->value <= 100)) {
                rc = jerr(err, m, N_("a percentage above 0 and at most 100"));
                goto fail;
            }
            if ((d->indicator = sol__strdup(ind)) == NULL)
                goto nomem;
            r->n_cond++;
        }
    }
    json_decref(o);
    *out = r;
    return SOL_OK;
nomem:
    rc = sol__err(err, SOL_ENOMEM, "out of memory");
fail:
    json_decref(o);
    sol_aud_rule_free(r);
    return rc;
}

/* ---- the rule written back ---------------------------------------------------------------- */

static void num(sol_buf *b, double x, int *bad)
{
    char t[40];
    snprintf(t, sizeof t, "%.15g", x);
    if (sol__buf_addf(b, "%s", t) != SOL_OK)
        *bad = 1;
}

sol_status sol_aud_rule_text(const sol_aud_rule *r, char **out, sol_error *err)
{
    sol_buf b;
    int bad = 0;
    sol__buf_init(&b, 4 * SOL_MAX_RULE);
    bad |= sol__buf_addf(&b, "%s", "") != SOL_OK;
    if (r->level && plain_word(r->level))
        bad |= sol__buf_addf(&b, "level %s; ", r->level) != SOL_OK;
    else if (r->level) {
        bad |= sol__buf_addf(&b, "level ") != SOL_OK;
        quoted(&b, r->level, &bad);
        bad |= sol__buf_addf(&b, "; ") != SOL_OK;
    }
    if (r->n_within) {
        bad |= sol__buf_addf(&b, "within ") != SOL_OK;
        for (size_t i = 0; i < r->n_within; i++)
            bad |= sol__buf_addf(&b, "%s%s", i ? ", " : "", r->within[i]) != SOL_OK;
        bad |= sol__buf_addf(&b, "; ") != SOL_OK;
    }
    if (r->period)
        bad |= sol__buf_addf(&b, "period %s; ", r->period) != SOL_OK;
    for (size_t i = 0; i < r->n_cond; i++) {
        const sol_aud_cond *c = &r->cond[i];
        int q = c->op == SOL_AUD_TOP || c->op == SOL_AUD_BOTTOM;
        bad |= sol__buf_addf(&b, q ? "%s in %s " : "%s %s ", c->indicator,
                             sol_aud_op_name(c->op)) != SOL_OK;
        num(&b, c->value, &bad);
        bad |= sol__buf_addf(&b, q ? "%%; " : "; ") != SOL_OK;
    }
    bad |= sol__buf_addf(&b, "people %s", r->people) != SOL_OK;
    if (r->share)
        bad |= sol__buf_addf(&b, " * share %s", r->share) != SOL_OK;
    if (r->purpose) {
        bad |= sol__buf_addf(&b, "; purpose %s\"", r->public_service ? "public-service " : "") !=
               SOL_OK;
        for (const char *p = r->purpose; *p; p++) {
            if (*p == '"' || *p == '\\')
                bad |= sol__buf_addc(&b, '\\') != SOL_OK;
            bad |= sol__buf_addc(&b, *p == '\n' ? ' ' : *p) != SOL_OK;
        }
        bad |= sol__buf_addc(&b, '"') != SOL_OK;
    }
    if (bad || b.data == NULL || sol__buf_addc(&b, '\0') != SOL_OK) {
        sol__buf_free(&b);
        return sol__err(err, SOL_ENOMEM, "out of memory");
    }
    *out = b.data;
    return SOL_OK;
}

sol_status sol_aud_rule_json(const sol_aud_rule *r, char **out, sol_error *err)
{
    json_t *o = json_object(), *w = json_array(), *c = json_array();
    if (o == NULL || w == NULL || c == NULL)
        goto nomem;
    json_object_set_new(o, "level", r->level ? json_string(r->level) : json_null());
    for (size_t i = 0; i < r->n_within; i++)
        json_array_append_new(w, json_string(r->within[i]));
    json_object_set_new(o, "within", w);
    w = NULL;
    json_object_set_new(o, "period", r->period ? json_string(r->period) : json_null());
    for (size_t i = 0; i < r->n_cond; i++)
        json_array_append_new(c,
                              json_pack("{s:s, s:s, s:f}", "indicator", r->cond[i].indicator, "op",
                                        sol_aud_op_name(r->cond[i].op), "value", r->cond[i].value));
    json_object_set_new(o, "conditions", c);
    c = NULL;
    json_object_set_new(o, "people", json_string(r->people));
    json_object_set_new(o, "share", r->share ? json_string(r->share) : json_null());
    json_object_set_new(o, "purpose", r->purpose ? json_string(r->purpose) : json_null());
    json_object_set_new(o, "public_service", json_boolean(r->public_service));
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (s == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    *out = sol__strdup(s);
    free(s);
    return *out ? SOL_OK : sol__err(err, SOL_ENOMEM, "out of memory");
nomem:
    json_decref(o);
    json_decref(w);
    json_decref(c);
    return sol__err(err, SOL_ENOMEM, "out of memory");
}
