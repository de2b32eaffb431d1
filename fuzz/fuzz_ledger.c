/* fuzz_ledger.c - libFuzzer target: any bytes as a ledger file (read, verify, totals, re-write)
 * and as a label rules file (parse, evaluate, badge). */
#include <solidata/ledger.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sol_error err;
    sol_ledger *l = NULL;
    if (sol_ledger_read_json((const char *)data, size, "fuzz.json", &l, &err) == SOL_OK) {
        sol_ledger_check c;
        (void)sol_ledger_verify(l, NULL, SOL_LANG_EN, &c);
        sol_ledger_totals t;
        sol_ledger_totals_compute(l, &t);
        char *out = NULL;
        if (sol_ledger_write_json(l, &out, &err) == SOL_OK)
            sol_free(out);
        sol_ledger_export_info x = {.org_ref = "XM-FUZZ",
                                    .org_name = "fuzz",
                                    .today = "2026-12-07",
                                    .generated = "2026-12-07T00:00:00Z"};
        if (sol_ledger_iati_xml(l, &x, &out, &err) == SOL_OK)
            sol_free(out);
        sol_ledger_free(l);
    }
    sol_label_rules *r = NULL;
    if (sol_label_rules_parse((const char *)data, size, "rules.json", &r, &err) == SOL_OK) {
        sol_label_facts f;
        memset(&f, 0, sizeof f);
        f.today = "2027-06-01";
        f.ends = "2027-02-28";
        f.budget_cents = 100000;
        char *j = NULL, *svg = NULL;
        if (sol_label_evaluate(r, "00", &f, &j, &err) == SOL_OK) {
            if (sol_label_badge_svg(j, SOL_LANG_FR, &svg, &err) == SOL_OK)
                sol_free(svg);
            sol_free(j);
        }
        sol_label_rules_free(r);
    }
    return 0;
}
