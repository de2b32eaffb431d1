/* label.c - the transparency label: a rules file anyone can read, each rule evaluated on a
 * campaign's facts as pass, fail or not applicable with why (in en, fr and it), and the badge. */
#include <solidata/ledger.h>

#include "core/core.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef enum rule_id {
    R_OBJECTIVE,
    R_EVIDENCE,
    R_AUDIENCE,
    R_LEDGER,
    R_ACCOUNTS,
    R_RUNNING,
    R_REVIEW,
    R_ACHIEVED,
    R_COUNT
} rule_id;

/* name, its parameter (NULL: none), whether the parameter is required */
static const struct {
    const char *name, *param;
    int required;
} RULES[R_COUNT] = {
    [R_OBJECTIVE] = {"objective_stated", NULL, 0},
    [R_EVIDENCE] = {"evidence_linked", "min", 0},
    [R_AUDIENCE] = {"audience_card_published", NULL, 0},
    [R_LEDGER] = {"ledger_verifies", NULL, 0},
    [R_ACCOUNTS] = {"accounts_published_within_days", "days", 1},
    [R_RUNNING] = {"running_costs_max_pct", "pct", 1},
    [R_REVIEW] = {"independent_review_over_eur", "eur", 1},
    [R_ACHIEVED] = {"achieved_reported", NULL, 0},
};

static const char *const NAMES[R_COUNT + 1] = {"objective_stated",
                                               "evidence_linked",
                                               "audience_card_published",
                                               "ledger_verifies",
                                               "accounts_published_within_days",
                                               "running_costs_max_pct",
                                               "independent_review_over_eur",
                                               "achieved_reported",
                                               NULL};

const char *const *sol_label_rule_names(void)
{
    return NAMES;
}

typedef struct rule {
    rule_id id;
    double param; /* NAN when not given */
} rule;

struct sol_label_rules {
    char name[129];
    size_t n;
    rule r[64];
};

void sol_label_rules_free(sol_label_rules *r)
{
    sol__free(r);
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na > 64 || nb > 64)
        return 99;
    size_t d[65][65];
    for (size_t i = 0; i <= na; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= nb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= na; i++)
        for (size_t j = 1; j <= nb; j++) {
            size_t c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < c)
                c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c)
                c = d[i][j - 1] + 1;
            d[i][j] = c;
        }
    return d[na][nb];
}

/* "did you mean X? known rules: ..." */
static void suggest(const char *name, char *buf, size_t n)
{
    size_t best = 99;
    const char *close = NULL;
    for (int k = 0; k < R_COUNT; k++) {
        size_t dd = edit_distance(name, NAMES[k]);
        /* a prefix or a few typos */
        if (strncmp(name, NAMES[k], strlen(name) < 6 ? strlen(name) : 6) == 0 && dd > 3)
            dd = 3;
        if (dd < best) {
            best = dd;
            close = NAMES[k];
        }
    }
    size_t len = 0;
    buf[0] = '\0';
    if (close && best <= 6)
        len += (size_t)snprintf(buf, n, _("did you mean '%s'? "), close);
    if (len < n)
        len += (size_t)snprintf(buf + len, n - len, "%s", _("known rules:"));
    for (int k = 0; k < R_COUNT && len < n; k++)
        len += (size_t)snprintf(buf + len, n - len, " %s", NAMES[k]);
}

sol_status sol_label_rules_parse(const char *text, size_t len, const char *path,
                                 sol_label_rules **out, sol_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL)
        return sol__err_at(err, SOL_EPARSE, path, (unsigned long)je.line, (unsigned long)je.column,
                           "not JSON: %s", je.text);
    sol_status rc = SOL_OK;
    sol_label_rules *r = sol__calloc(1, sizeof *r);
    json_t *rules = json_object_get(root, "rules");
    json_t *name = json_object_get(root, "label");
    if (r == NULL) {
        rc = sol__err(err, SOL_ENOMEM, "out of memory reading the label rules");
        goto done;
    }
    if (!json_is_object(root) || !json_is_array(rules) || !json_is_string(name) ||
        json_string_length(name) == 0 || json_string_length(name) >= sizeof r->name) {
        rc = sol__err_at(err, SOL_EPARSE, path, 0, 0,
                         "a label rules file is an object with \"label\" (its name) and "
                         "\"rules\" (an array of {\"rule\": NAME, ...}); see "
                         "examples/label-rules.json");
        goto done;
    }
    snprintf(r->name, sizeof r->name, "%s", json_string_value(name));
    const char *k;
    json_t *v;
    json_object_foreach(root, k, v)
    {
        if (strcmp(k, "label") && strcmp(k, "rules") && strcmp(k, "version") &&
            strcmp(k, "about")) {
            rc = sol__err_at(err, SOL_EINVAL, path, 0, 0,
                             "unknown key '%s' (expected label, version, about, rules)", k);
            goto done;
        }
    }
    if (json_array_size(rules) == 0 || json_array_size(rules) > 64) {
        rc = sol__err_at(err, SOL_EINVAL, path, 0, 0, "a label has 1 to 64 rules");
        goto done;
    }
    for (size_t i = 0; i < json_array_size(rules); i++) {
        json_t *o = json_array_get(rules, i);
        json_t *rn = json_object_get(o, "rule");
        if (!json_is_object(o) || !json_is_string(rn)) {
            rc = sol__err_at(err, SOL_EPARSE, path, 0, 0,
                             "rules[%zu]: expected an object with \"rule\": NAME", i);
            goto done;
        }
        const char *nm = json_string_value(rn);
        int id = 0;
        while (id < R_COUNT && strcmp(NAMES[id], nm) != 0)
            id++;
        if (id == R_COUNT) {
            char s[700];
            suggest(nm, s, sizeof s);
            rc = sol__err_at(err, SOL_EINVAL, path, 0, 0, "rules[%zu]: unknown rule '%s'; %s", i,
                             nm, s);
            goto done;
        }
        r->r[r->n].id = (rule_id)id;
        r->r[r->n].param = NAN;
        json_object_foreach(o, k, v)
        {
            if (strcmp(k, "rule") == 0 || strcmp(k, "note") == 0)
                continue;
            if (RULES[id].param == NULL || strcmp(k, RULES[id].param) != 0) {
                rc = sol__err_at(err, SOL_EINVAL, path, 0, 0,
                                 "rules[%zu] (%s): unknown parameter '%s'%s%s", i, nm, k,
                                 RULES[id].param ? "; expected " : " (it takes none)",
                                 RULES[id].param ? RULES[id].param : "");
                goto done;
            }
            if (!json_is_number(v) || json_number_value(v) < 0) {
                rc = sol__err_at(err, SOL_EINVAL, path, 0, 0,
                                 "rules[%zu] (%s): '%s' must be a number >= 0", i, nm, k);
                goto done;
            }
            r->r[r->n].param = json_number_value(v);
        }
        if (RULES[id].required && isnan(r->r[r->n].param)) {
            rc = sol__err_at(err, SOL_EINVAL, path, 0, 0, "rules[%zu] (%s): '%s' is required", i,
                             nm, RULES[id].param);
            goto done;
        }
        r->n++;
    }
done:
    json_decref(root);
    if (rc != SOL_OK) {
        sol__free(r);
        return rc;
    }
    *out = r;
    return SOL_OK;
}

/* ---- evaluation -------------------------------------------------------------------------- */

/* Days from 0000-03-01 (a civil-calendar day count), or -1 for a bad date. */
static long days_of(const char *s)
{
    int y, m, d;
    if (s == NULL || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return -1;
    if (m <= 2) {
        y--;
        m += 12;
    }
    return 365L * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d;
}

/* why in each language, from one format marked N_() where the call is */
static void why(json_t *o, const char *outcome, const char *fmt, ...)
{
    static const char *const LN[SOL_LANG_COUNT] = {"en", "fr", "it"};
    json_t *w = json_object();
    for (int l = 0; l < SOL_LANG_COUNT; l++) {
        char buf[600];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof buf, sol_lgettext((sol_lang)l, fmt), ap);
        va_end(ap);
        /* French and Italian write a decimal comma: 12.4 -> 12,4 (numbers only, digit.digit) */
        size_t len = strlen(buf);
        for (size_t k = 1; l != SOL_LANG_EN && k + 1 < len; k++)
            if (buf[k] == '.' && buf[k - 1] >= '0' && buf[k - 1] <= '9' && buf[k + 1] >= '0' &&
                buf[k + 1] <= '9')
                buf[k] = ',';
        json_object_set_new(w, LN[l], json_string(buf));
    }
    json_object_set_new(o, "outcome", json_string(outcome));
    json_object_set_new(o, "why", w);
}

static void eval_one(const rule *r, const sol_label_facts *f, json_t *o)
{
    const sol_ledger_totals *t = f->totals;
    long today = days_of(f->today);
    switch (r->id) {
    case R_OBJECTIVE:
        if (f->objective && strlen(f->objective) >= 10)
            why(o, "pass", N_("the objective is stated in words"));
        else
            why(o, "fail", N_("no objective stated in words"));
        break;
    case R_EVIDENCE: {
        size_t min = isnan(r->param) ? 1 : (size_t)r->param;
        if (f->n_evidence >= min && f->n_evidence > 0)
            why(o, "pass", N_("need evidence linked: %zu item(s), at least %zu asked"),
                f->n_evidence, min);
        else
            why(o, "fail", N_("need evidence linked: %zu item(s), fewer than the %zu asked"),
                f->n_evidence, min);
        break;
    }
    case R_AUDIENCE:
        if (f->audience == NULL || !f->audience[0])
            why(o, "na", N_("the campaign addresses no particular audience"));
        else if (f->audience_published)
            why(o, "pass", N_("the audience card '%s' is published"), f->audience);
        else
            why(o, "fail", N_("the audience card '%s' is not published"), f->audience);
        break;
    case R_LEDGER:
        if (f->ledger_verifies < 0)
            why(o, "na", N_("no ledger entries yet"));
        else if (f->ledger_verifies)
            why(o, "pass", N_("the ledger's hash chain and signatures verify"));
        else
            why(o, "fail", N_("the ledger does not verify: %s"),
                f->ledger_what ? f->ledger_what : "");
        break;
    case R_ACCOUNTS: {
        long days = (long)r->param, end = days_of(f->ends), pub = days_of(f->published_at);
        if (end < 0)
            why(o, "na", N_("the campaign has no end date"));
        else if (today >= 0 && today <= end)
            why(o, "na", N_("the campaign has not ended"));
        else if (pub >= 0 && pub - end <= days)
            why(o, "pass", N_("the accounts were published %ld days after the end (at most %ld)"),
                pub - end < 0 ? 0 : pub - end, days);
        else if (pub >= 0)
            why(o, "fail", N_("the accounts were published %ld days after the end, more than %ld"),
                pub - end, days);
        else if (today >= 0 && today - end > days)
            why(o, "fail", N_("the campaign ended %ld days ago and its accounts are not published"),
                today - end);
        else
            why(o, "na", N_("the campaign has not ended, or ended less than %ld days ago"), days);
        break;
    }
    case R_RUNNING:
        if (t == NULL || isnan(t->running_pct))
            why(o, "na", N_("no expenditure yet"));
        else if (t->running_pct <= r->param)
            why(o, "pass", N_("running costs are %.1f%% of the expenditures (at most %.1f%%)"),
                t->running_pct, r->param);
        else if (f->running_note && f->running_note[0])
            why(o, "pass",
                N_("running costs are %.1f%% of the expenditures, above %.1f%%, explained: %s"),
                t->running_pct, r->param, f->running_note);
        else
            why(o, "fail",
                N_("running costs are %.1f%% of the expenditures, above %.1f%%, and not "
                   "explained"),
                t->running_pct, r->param);
        break;
    case R_REVIEW: {
        double over = r->param * 100.0;
        double size = t ? (double)t->donations_cents : 0;
        if (f->budget_cents > 0 && (double)f->budget_cents > size)
            size = (double)f->budget_cents;
        if (size <= over)
            why(o, "na", N_("the campaign is not over %.0f (budget and donations)"), r->param);
        else if (f->review_by && f->review_by[0])
            why(o, "pass", N_("independently reviewed by %s on %s"), f->review_by,
                f->review_date ? f->review_date : "");
        else
            why(o, "fail", N_("the campaign is over %.0f and has no independent review"), r->param);
        break;
    }
    case R_ACHIEVED: {
        long end = days_of(f->ends);
        if (f->achieved && f->achieved[0])
            why(o, "pass", N_("what was achieved is reported"));
        else if (end >= 0 && today >= 0 && today <= end)
            why(o, "na", N_("the campaign has not ended"));
        else
            why(o, "fail", N_("what was achieved is not reported"));
        break;
    }
    case R_COUNT: break;
    }
}

sol_status sol_label_evaluate(const sol_label_rules *r, const char *rules_sha256,
                              const sol_label_facts *f, char **json, sol_error *err)
{
    json_t *root = json_object(), *arr = json_array();
    if (root == NULL || arr == NULL) {
        json_decref(root);
        json_decref(arr);
        return sol__err(err, SOL_ENOMEM, "out of memory evaluating the label");
    }
    int pass = 0, failn = 0, na = 0;
    for (size_t i = 0; i < r->n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "rule", json_string(NAMES[r->r[i].id]));
        json_t *p = json_object();
        if (!isnan(r->r[i].param))
            json_object_set_new(p, RULES[r->r[i].id].param, json_real(r->r[i].param));
        json_object_set_new(o, "params", p);
        eval_one(&r->r[i], f, o);
        const char *oc = json_string_value(json_object_get(o, "outcome"));
        pass += oc && strcmp(oc, "pass") == 0;
        failn += oc && strcmp(oc, "fail") == 0;
        na += oc && strcmp(oc, "na") == 0;
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, "label", json_string(r->name));
    json_object_set_new(root, "rules_sha256", json_string(rules_sha256 ? rules_sha256 : ""));
    json_object_set_new(root, "date", json_string(f->today ? f->today : ""));
    json_object_set_new(root, "passed", json_integer(pass));
    json_object_set_new(root, "failed", json_integer(failn));
    json_object_set_new(root, "not_applicable", json_integer(na));
    json_object_set_new(root, "total", json_integer((json_int_t)r->n));
    json_object_set_new(root, "rules", arr);
    char *s = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (s == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory evaluating the label");
    *json = sol__strdup(s);
    free(s);
    return *json ? SOL_OK : sol__err(err, SOL_ENOMEM, "out of memory evaluating the label");
}

/* ---- the badge ------------------------------------------------------------------------- */

static sol_status xml_text(sol_buf *b, const char *s)
{
    sol_status rc = SOL_OK;
    for (; *s && rc == SOL_OK; s++) {
        switch (*s) {
        case '<': rc = sol__buf_add(b, "&lt;", 4); break;
        case '>': rc = sol__buf_add(b, "&gt;", 4); break;
        case '&': rc = sol__buf_add(b, "&amp;", 5); break;
        case '"': rc = sol__buf_add(b, "&quot;", 6); break;
        default: rc = sol__buf_addc(b, *s);
        }
    }
    return rc;
}

sol_status sol_label_badge_svg(const char *eval_json, sol_lang lang, char **svg, sol_error *err)
{
    json_error_t je;
    json_t *e = json_loads(eval_json, 0, &je);
    json_t *name = json_object_get(e, "label"), *sha = json_object_get(e, "rules_sha256");
    json_t *date = json_object_get(e, "date");
    if (!json_is_string(name) || !json_is_string(sha) || !json_is_string(date) ||
        !json_is_integer(json_object_get(e, "passed"))) {
        json_decref(e);
        return sol__err(err, SOL_EPARSE, "not a label evaluation");
    }
    long long passed = json_integer_value(json_object_get(e, "passed"));
    long long failed = json_integer_value(json_object_get(e, "failed"));
    long long total = json_integer_value(json_object_get(e, "total"));
    long long na = json_integer_value(json_object_get(e, "not_applicable"));
    const char *colour = failed == 0 ? "#1a7f37" : passed >= failed ? "#9a6700" : "#cf222e";
    char line[256];
    snprintf(line, sizeof line,
             sol_lgettext(lang, "%lld of %lld rules passed, %lld not applicable"), passed, total,
             na);
    sol_buf b;
    sol__buf_init(&b, 64 * 1024);
    sol_status rc = sol__buf_addf(
        &b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"360\" height=\"96\" role=\"img\" "
            "viewBox=\"0 0 360 96\">\n<title>");
    if (rc == SOL_OK)
        rc = xml_text(&b, json_string_value(name));
    if (rc == SOL_OK)
        rc = sol__buf_addf(&b,
                           "</title>\n<rect width=\"360\" height=\"96\" rx=\"8\" fill=\"%s\"/>\n"
                           "<g fill=\"#fff\" font-family=\"DejaVu Sans,Verdana,sans-serif\">\n"
                           "<text x=\"14\" y=\"28\" font-size=\"17\" font-weight=\"bold\">",
                           colour);
    if (rc == SOL_OK)
        rc = xml_text(&b, json_string_value(name));
    if (rc == SOL_OK)
        rc = sol__buf_addf(&b, "</text>\n<text x=\"14\" y=\"52\" font-size=\"14\">");
    if (rc == SOL_OK)
        rc = xml_text(&b, line);
    if (rc == SOL_OK)
        rc = sol__buf_addf(&b, "</text>\n<text x=\"14\" y=\"78\" font-size=\"11\">");
    if (rc == SOL_OK)
        rc = xml_text(&b, json_string_value(date));
    if (rc == SOL_OK)
        rc = sol__buf_addf(&b, " · %s %.16s</text>\n</g>\n</svg>\n",
                           sol_lgettext(lang, "rules SHA-256"), json_string_value(sha));
    json_decref(e);
    if (rc != SOL_OK) {
        sol__buf_free(&b);
        return sol__err(err, rc, "out of memory drawing the badge");
    }
    *svg = b.data;
    return SOL_OK;
}
