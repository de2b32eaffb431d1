/* fuzz_audience.c - libFuzzer target: any bytes through the audience rule parser (text, and JSON
 * when it starts with '{'), the canonical text read back (it must parse to the same text), the
 * JSON form, and an evaluation over three made-up areas. */
#include <solidata/outreach.h>

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 2 * SOL_MAX_RULE)
        return 0;
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    sol_aud_rule *r = NULL;
    sol_error err;
    sol_status rc = size && text[0] == '{' ? sol_aud_rule_from_json(text, &r, &err)
                                           : sol_aud_rule_parse(text, &r, &err);
    free(text);
    if (rc != SOL_OK)
        return 0;
    char *t1 = NULL, *t2 = NULL, *js = NULL;
    sol_aud_rule *r2 = NULL;
    if (sol_aud_rule_text(r, &t1, &err) == SOL_OK) {
        sol_status rc2 = sol_aud_rule_parse(t1, &r2, &err);
        if (rc2 != SOL_OK && rc2 != SOL_ENOMEM && rc2 != SOL_ELIMIT)
            abort(); /* the canonical text of a rule that was read must read */
        if (rc2 == SOL_OK && sol_aud_rule_text(r2, &t2, &err) == SOL_OK && strcmp(t1, t2) != 0)
            abort(); /* and read back to itself */
    }
    (void)sol_aud_rule_json(r, &js, &err);
    /* an evaluation over three areas */
    double v[3] = {1, NAN, 3}, p[3] = {150, 90, 2000}, s[3] = {10, 20, 30};
    const double *cv[SOL_AUD_MAX_COND];
    for (size_t c = 0; c < r->n_cond; c++)
        cv[c] = v;
    sol_aud_data d = {.n = 3, .cond_value = cv, .people = p, .share = s, .share_scale = 0.01};
    sol_aud_eval *ev = NULL;
    if (sol_aud_evaluate(r, &d, &ev, &err) == SOL_OK && ev->n_selected > 3)
        abort();
    sol_aud_eval_free(ev);
    sol_free(t1);
    sol_free(t2);
    sol_free(js);
    sol_aud_rule_free(r);
    sol_aud_rule_free(r2);
    return 0;
}
