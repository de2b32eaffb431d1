/* api_derive.c - POST /api/derive: a rate or a coverage of need computed, written and recorded
 * by sol_run_derive (the same function as `solidata derive`), for signed-in analysts. */
#include "server/server_int.h"

#include <solidata/run_derive.h>

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* A string member, or NULL when absent; -1 (with a 400 in r) when present but not a string. */
static int str_member(json_t *body, const char *key, const char **out, sol_reply *r)
{
    json_t *v = json_object_get(body, key);
    *out = NULL;
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_string(v)) {
        sol__reply_error(r, 400, "\"%s\" must be a string", key);
        return -1;
    }
    *out = json_string_value(v);
    return 0;
}

/* The job's error as the API names its fields: "--denominator-period" -> "denominator_period". */
static void reply_job_error(sol_reply *r, sol_status rc, sol_error *e)
{
    if (strncmp(e->where, "--", 2) == 0) {
        char f[64];
        size_t k = 0;
        for (const char *p = e->where + 2; *p && k + 1 < sizeof f; p++)
            f[k++] = *p == '-' ? '_' : *p;
        f[k] = '\0';
        snprintf(e->where, sizeof e->where, "\"%s\"", f);
    }
    char msg[SOL_ERROR_WHERE_MAX + SOL_ERROR_MSG_MAX + 4];
    sol_error_format(e, msg, sizeof msg);
    sol__reply_error(r, sol__http_status(rc), "%s", msg);
}

void sol__api_derive(const sol_req *q, sol_reply *r)
{
    json_t *body = sol__body_json(q, r);
    if (body == NULL)
        return;
    const char *kind;
    sol_derive_job j;
    if (str_member(body, "kind", &kind, r) != 0)
        goto done;
    if (kind == NULL || (strcmp(kind, "rate") != 0 && strcmp(kind, "coverage") != 0)) {
        sol__reply_error(r, 400, "the request body needs \"kind\": \"rate\" or \"coverage\"");
        goto done;
    }
    sol_run_derive_job_init(&j, strcmp(kind, "rate") == 0 ? SOL_DERIVE_RATE : SOL_DERIVE_COVERAGE);
    if (str_member(body, "numerator", &j.numerator, r) != 0 ||
        str_member(body, "denominator", &j.denominator, r) != 0 ||
        str_member(body, "denominator_period", &j.denominator_period, r) != 0 ||
        str_member(body, "helped", &j.helped, r) != 0 ||
        str_member(body, "need", &j.need, r) != 0 || str_member(body, "as", &j.as, r) != 0 ||
        str_member(body, "label", &j.label, r) != 0 || str_member(body, "unit", &j.unit, r) != 0)
        goto done;
    json_t *per = json_object_get(body, "per");
    if (per != NULL && !json_is_null(per)) {
        if (!json_is_number(per)) {
            sol__reply_error(r, 400, "\"per\" must be a number, such as 1000");
            goto done;
        }
        j.per = json_number_value(per);
    }
    j.who = q->who->name;
    sol_error e;
    sol_error_clear(&e);
    sol_derive_output *o = NULL;
    sol_status rc = sol_run_derive(q->st, &j, &o, &e);
    if (rc != SOL_OK) {
        reply_job_error(r, rc, &e);
        goto done;
    }
    json_t *notes = json_array();
    for (size_t i = 0; notes && i < o->n_notes; i++)
        json_array_append_new(notes, json_string(o->notes[i]));
    json_t *res = json_loads(o->json, 0, NULL);
    char src[SOL_MAX_CODE + 16];
    snprintf(src, sizeof src, "derived:%s", o->code);
    json_t *out = json_pack("{s:s,s:s,s:I,s:s,s:i,s:I,s:I,s:I,s:I}", "code", o->code, "kind", kind,
                            "run_id", (json_int_t)o->run_id, "source", src, "version", o->version,
                            "written", (json_int_t)o->written, "withheld", (json_int_t)o->withheld,
                            "no_denominator", (json_int_t)o->no_denominator, "zero_denominator",
                            (json_int_t)o->zero_denominator);
    if (out && o->kind == SOL_DERIVE_COVERAGE) {
        json_object_set_new(out, "with_interval", json_integer((json_int_t)o->with_interval));
        json_object_set_new(out, "over_100", json_integer((json_int_t)o->over_100));
    }
    if (out) {
        json_object_set_new(out, "notes", notes ? notes : json_array());
        json_object_set_new(out, "result", res ? res : json_null());
    } else {
        json_decref(notes);
        json_decref(res);
    }
    sol_derive_output_free(o);
    sol__reply_json(r, 201, out, 0);
done:
    json_decref(body);
}
