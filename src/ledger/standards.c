/* standards.c - a campaign and its ledger as open data: an IATI 2.03 activity (XML, valid against
 * the official schema) and a 360Giving grant (JSON). docs/ledger.md gives the mappings. */
#include <solidata/ledger.h>

#include "core/core.h"

#include <jansson.h>
#include <string.h>

static sol_status esc(sol_buf *b, const char *s)
{
    sol_status rc = SOL_OK;
    for (; s && *s && rc == SOL_OK; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '<')
            rc = sol__buf_add(b, "&lt;", 4);
        else if (c == '>')
            rc = sol__buf_add(b, "&gt;", 4);
        else if (c == '&')
            rc = sol__buf_add(b, "&amp;", 5);
        else if (c == '"')
            rc = sol__buf_add(b, "&quot;", 6);
        else if (c < 0x20 && c != '\n' && c != '\t')
            rc = sol__buf_addc(b, ' '); /* not allowed in XML 1.0 */
        else
            rc = sol__buf_addc(b, (char)c);
    }
    return rc;
}

/* "1234.56" from cents */
static void money(int64_t cents, char *buf, size_t n)
{
    if (cents > SOL_LEDGER_MAX_CENTS || cents < -SOL_LEDGER_MAX_CENTS)
        cents = 0; /* never from a checked entry; a file that does not verify may hold anything */
    int64_t a = cents < 0 ? -cents : cents;
    snprintf(buf, n, "%s%lld.%02lld", cents < 0 ? "-" : "", (long long)(a / 100),
             (long long)(a % 100));
}

static sol_status narrative(sol_buf *b, const char *elem, const char *attrs, const char *text)
{
    sol_status rc = sol__buf_addf(b, "  <%s%s><narrative>", elem, attrs);
    if (rc == SOL_OK)
        rc = esc(b, text);
    if (rc == SOL_OK)
        rc = sol__buf_addf(b, "</narrative></%s>\n", elem);
    return rc;
}

/* An IATI identifier part: letters, digits and '-' only (names may hold other characters). */
static void ident(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (; *s && k + 1 < n; s++) {
        char c = *s;
        out[k++] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                           c == '-' || c == '.'
                       ? c
                       : '-';
    }
    out[k] = '\0';
}

sol_status sol_ledger_iati_xml(const sol_ledger *l, const sol_ledger_export_info *x, char **xml,
                               sol_error *err)
{
    if (x->org_ref == NULL || !x->org_ref[0] || x->org_name == NULL || !x->org_name[0])
        return sol__err(err, SOL_EINVAL,
                        "IATI needs the organisation's identifier and name (--org-ref, "
                        "--org-name, or the settings iati.org_ref and iati.org_name)");
    const sol_ledger_decl *d = &l->decl;
    const char *lang = x->lang && x->lang[0] ? x->lang : "en";
    const char *today = x->today ? x->today : "";
    char id[300], cname[260];
    ident(d->name, cname, sizeof cname);
    snprintf(id, sizeof id, "%s-%s", x->org_ref, cname);
    /* activity status: 1 pipeline (before the start), 2 implementation, 3 finalisation (ended,
     * nothing achieved said yet), 4 closed (ended and what was achieved reported) */
    int status = 2;
    if (d->starts[0] && strcmp(today, d->starts) < 0)
        status = 1;
    else if (d->ends[0] && strcmp(today, d->ends) > 0)
        status = x->achieved && x->achieved[0] ? 4 : 3;
    sol_buf b;
    sol__buf_init(&b, 64u << 20);
    sol_status rc = sol__buf_addf(
        &b,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<iati-activities version=\"2.03\" generated-datetime=\"%s\">\n"
        " <iati-activity last-updated-datetime=\"%s\" xml:lang=\"%s\" default-currency=\"%s\" "
        "humanitarian=\"0\">\n  <iati-identifier>",
        x->generated, x->generated, lang, d->currency);
    if (rc == SOL_OK)
        rc = esc(&b, id);
    if (rc == SOL_OK)
        rc = sol__buf_addf(&b, "</iati-identifier>\n  <reporting-org ref=\"");
    if (rc == SOL_OK)
        rc = esc(&b, x->org_ref);
    /* type 22: national NGO (IATI OrganisationType codelist) */
    if (rc == SOL_OK)
        rc = sol__buf_addf(&b, "\" type=\"22\"><narrative>");
    if (rc == SOL_OK)
        rc = esc(&b, x->org_name);
    if (rc == SOL_OK)
        rc = sol__buf_addf(&b, "</narrative></reporting-org>\n");
    if (rc == SOL_OK)
        rc = narrative(&b, "title", "", d->name);
    /* description type 1: general; 2: objectives; 4: other (what was achieved) */
    if (rc == SOL_OK)
        rc = narrative(&b, "description", " type=\"2\"", d->objective);
    if (rc == SOL_OK && x->achieved && x->achieved[0])
        rc = narrative(&b, "description", " type=\"4\"", x->achieved);
    /* participating-org role 4: implementing; role 1: funding (the donors, never named) */
    if (rc == SOL_OK)
        rc = sol__buf_addf(&b, "  <participating-org role=\"4\" type=\"22\" ref=\"");
    if (rc == SOL_OK)
        rc = esc(&b, x->org_ref);
    if (rc == SOL_OK)
        rc = sol__buf_addf(&b, "\"><narrative>");
    if (rc == SOL_OK)
        rc = esc(&b, x->org_name);
    if (rc == SOL_OK)
        rc = sol__buf_addf(&b,
                           "</narrative></participating-org>\n"
                           "  <participating-org role=\"1\" type=\"90\"><narrative>Private "
                           "donors (pseudonymous or anonymous)</narrative>"
                           "</participating-org>\n"
                           "  <activity-status code=\"%d\"/>\n",
                           status);
    /* activity-date type 1 planned start, 2 actual start, 3 planned end, 4 actual end */
    if (rc == SOL_OK && d->starts[0])
        rc = sol__buf_addf(&b, "  <activity-date type=\"1\" iso-date=\"%s\"/>\n", d->starts);
    if (rc == SOL_OK && d->starts[0] && status >= 2)
        rc = sol__buf_addf(&b, "  <activity-date type=\"2\" iso-date=\"%s\"/>\n", d->starts);
    if (rc == SOL_OK && d->ends[0])
        rc = sol__buf_addf(&b, "  <activity-date type=\"3\" iso-date=\"%s\"/>\n", d->ends);
    if (rc == SOL_OK && d->ends[0] && status >= 3)
        rc = sol__buf_addf(&b, "  <activity-date type=\"4\" iso-date=\"%s\"/>\n", d->ends);
    if (rc == SOL_OK && !d->starts[0] && !d->ends[0])
        rc = sol__buf_addf(&b, "  <activity-date type=\"2\" iso-date=\"%.10s\"/>\n", d->created_at);
    /* activity-scope 4: national; 6: sub-national multi first-level; 7: single first-level */
    if (rc == SOL_OK && x->country && x->country[0])
        rc = sol__buf_addf(&b, "  <recipient-country code=\"%s\" percentage=\"100\"/>\n",
                           x->country);
    for (size_t i = 0; rc == SOL_OK && i < x->n_areas && i < 1000; i++) {
        rc = sol__buf_addf(&b, "  <location ref=\"");
        if (rc == SOL_OK)
            rc = esc(&b, x->area_codes[i]);
        if (rc == SOL_OK)
            rc = sol__buf_addf(&b, "\">\n   <location-reach code=\"2\"/>\n   <name><narrative>");
        if (rc == SOL_OK)
            rc = esc(&b, x->area_names && x->area_names[i] ? x->area_names[i] : x->area_codes[i]);
        /* exactness 2: approximate; location-class 1: administrative region */
        if (rc == SOL_OK)
            rc = sol__buf_addf(&b, "</narrative></name>\n   <exactness code=\"2\"/>\n"
                                   "   <location-class code=\"1\"/>\n  </location>\n");
    }
    /* DAC 5-digit sector 16010: social protection */
    if (rc == SOL_OK)
        rc = sol__buf_addf(&b, "  <sector vocabulary=\"1\" code=\"16010\" percentage=\"100\"/>\n");
    char v[40];
    if (rc == SOL_OK && d->budget_cents >= 0 && d->starts[0] && d->ends[0]) {
        money(d->budget_cents, v, sizeof v);
        /* type 1 original, status 1 indicative */
        rc =
            sol__buf_addf(&b,
                          "  <budget type=\"1\" status=\"1\">\n   <period-start iso-date=\"%s\"/>\n"
                          "   <period-end iso-date=\"%s\"/>\n   <value currency=\"%s\" "
                          "value-date=\"%s\">%s</value>\n  </budget>\n",
                          d->starts, d->ends, d->currency, d->starts, v);
    }
    /* transactions: donations received are type 1 "Incoming Funds" (13 "Incoming Pledge" is a
     * promise not yet received); expenditures are type 4 "Expenditure"; a reversal is a
     * negative transaction of the reversed entry's type, dated when it was recorded */
    for (size_t i = 0; rc == SOL_OK && i < l->n; i++) {
        const sol_ledger_entry *e = &l->e[i], *y = e;
        int sign = 1;
        if (e->kind == SOL_LEDGER_REVERSAL) {
            if (e->reverses < 1 || (size_t)e->reverses > l->n)
                continue;
            y = &l->e[e->reverses - 1];
            sign = -1;
        }
        money(y->amount_cents > SOL_LEDGER_MAX_CENTS ? 0 : sign * y->amount_cents, v, sizeof v);
        rc = sol__buf_addf(&b,
                           "  <transaction ref=\"%lld\">\n   <transaction-type code=\"%d\"/>\n"
                           "   <transaction-date iso-date=\"%s\"/>\n   <value currency=\"%s\" "
                           "value-date=\"%s\">%s</value>\n   <description><narrative>",
                           (long long)e->seq, y->kind == SOL_LEDGER_DONATION ? 1 : 4, e->date,
                           y->currency, e->date, v);
        if (rc == SOL_OK) {
            if (e->kind == SOL_LEDGER_REVERSAL) {
                rc = sol__buf_addf(&b, "Reversal of entry %lld: ", (long long)e->reverses);
                if (rc == SOL_OK)
                    rc = esc(&b, e->why);
            } else if (e->kind == SOL_LEDGER_DONATION)
                rc = sol__buf_addf(&b, "Donation (%s)", e->channel);
            else {
                rc = sol__buf_addf(
                    &b,
                    "%s: ", strcmp(e->category, "objective") == 0 ? "Objective" : "Running costs");
                if (rc == SOL_OK)
                    rc = esc(&b, e->what);
            }
        }
        if (rc == SOL_OK)
            rc = sol__buf_addf(&b, "</narrative></description>\n");
        if (rc == SOL_OK && y->kind == SOL_LEDGER_DONATION) {
            rc = sol__buf_addf(&b, "   <provider-org type=\"90\"><narrative>");
            if (rc == SOL_OK)
                rc = esc(&b, y->donor);
            if (rc == SOL_OK)
                rc = sol__buf_addf(&b, "</narrative></provider-org>\n");
        }
        if (rc == SOL_OK)
            rc = sol__buf_addf(&b, "  </transaction>\n");
    }
    if (rc == SOL_OK)
        rc = sol__buf_addf(&b, " </iati-activity>\n</iati-activities>\n");
    if (rc != SOL_OK) {
        sol__buf_free(&b);
        return sol__err(err, rc, "the IATI document is too large or memory ran out");
    }
    *xml = b.data;
    return SOL_OK;
}

sol_status sol_ledger_360giving_json(const sol_ledger *l, const sol_ledger_export_info *x,
                                     char **out, sol_error *err)
{
    if (x->org_ref == NULL || !x->org_ref[0] || x->org_name == NULL || !x->org_name[0])
        return sol__err(err, SOL_EINVAL,
                        "360Giving needs the organisation's identifier and name (--org-ref, "
                        "--org-name, or the settings iati.org_ref and iati.org_name)");
    const sol_ledger_decl *d = &l->decl;
    sol_ledger_totals t;
    sol_ledger_totals_compute(l, &t);
    char id[300], cname[260], amount[40];
    ident(d->name, cname, sizeof cname);
    snprintf(id, sizeof id, "360G-%s-%s", x->org_ref, cname);
    money(t.donations_cents, amount, sizeof amount);
    json_t *g = json_object();
    json_object_set_new(g, "id", json_string(id));
    json_object_set_new(g, "title", json_string(d->name));
    json_object_set_new(g, "description", json_string(d->objective));
    json_object_set_new(g, "currency", json_string(d->currency));
    json_object_set_new(g, "amountAwarded", json_real((double)t.donations_cents / 100.0));
    json_object_set_new(g, "amountDisbursed",
                        json_real((double)(t.objective_cents + t.running_cents) / 100.0));
    const char *award = d->starts[0] ? d->starts : t.first_date[0] ? t.first_date : d->created_at;
    char award10[11];
    snprintf(award10, sizeof award10, "%.10s", award);
    json_object_set_new(g, "awardDate", json_string(award10));
    if (d->starts[0] && d->ends[0]) {
        json_t *p = json_object();
        json_object_set_new(p, "startDate", json_string(d->starts));
        json_object_set_new(p, "endDate", json_string(d->ends));
        json_t *pa = json_array();
        json_array_append_new(pa, p);
        json_object_set_new(g, "plannedDates", pa);
    }
    json_t *rec = json_object(), *fun = json_object();
    json_object_set_new(rec, "id", json_string(x->org_ref));
    json_object_set_new(rec, "name", json_string(x->org_name));
    char fid[320];
    snprintf(fid, sizeof fid, "%s-DONORS", x->org_ref);
    json_object_set_new(fun, "id", json_string(fid));
    char fname[400];
    snprintf(fname, sizeof fname, "Donors to the campaign %s (%zu donations, pseudonymous)",
             d->name, t.n_donations);
    json_object_set_new(fun, "name", json_string(fname));
    json_t *ra = json_array(), *fa = json_array();
    json_array_append_new(ra, rec);
    json_array_append_new(fa, fun);
    json_object_set_new(g, "recipientOrganization", ra);
    json_object_set_new(g, "fundingOrganization", fa);
    if (x->n_areas > 0) {
        json_t *loc = json_array();
        for (size_t i = 0; i < x->n_areas && i < 1000; i++) {
            json_t *o = json_object();
            json_object_set_new(o, "geoCode", json_string(x->area_codes[i]));
            json_object_set_new(o, "name",
                                json_string(x->area_names && x->area_names[i] ? x->area_names[i]
                                                                              : x->area_codes[i]));
            json_array_append_new(loc, o);
        }
        json_object_set_new(g, "beneficiaryLocation", loc);
    }
    json_object_set_new(g, "dataSource", json_string("solidata ledger (hash-chained, signed)"));
    json_t *root = json_object(), *grants = json_array();
    json_array_append_new(grants, g);
    json_object_set_new(root, "grants", grants);
    char *s = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    json_decref(root);
    if (s == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory writing 360Giving JSON");
    *out = sol__strdup(s);
    free(s);
    (void)amount;
    return *out ? SOL_OK : sol__err(err, SOL_ENOMEM, "out of memory writing 360Giving JSON");
}
