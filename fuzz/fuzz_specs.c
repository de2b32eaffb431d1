/* fuzz_specs.c - libFuzzer target: the JSON specs and tables people write by hand. The first
 * byte chooses the parser: 0 the index spec (and its round trip to JSON and back), 1 the
 * synthetic-control spec, 2 the prioritise options as JSON, 3 a table read as evaluation data
 * and then as prioritise options. */
#include <solidata/decide.h>
#include <solidata/evaluate.h>
#include <solidata/index.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *txt = (const char *)data + 1;
    size_t len = size - 1;
    sol_error err;
    switch (data[0] % 4) {
    case 0: {
        sol_index_spec *s = NULL;
        if (sol_index_spec_parse_json(txt, len, &s, &err) == SOL_OK) {
            char *json = NULL;
            if (sol_index_spec_json(s, &json, &err) == SOL_OK) {
                sol_index_spec *again = NULL;
                /* what we write, we must read back */
                if (sol_index_spec_parse_json(json, strlen(json), &again, &err) != SOL_OK)
                    abort();
                sol_index_spec_free(again);
                free(json);
            }
            sol_index_spec_free(s);
        }
        break;
    }
    case 1: {
        sol_synth_spec *s = NULL;
        if (sol_synth_spec_parse_json(txt, len, &s, &err) == SOL_OK)
            sol_synth_spec_free(s);
        break;
    }
    case 2: {
        sol_options *o = NULL;
        if (sol_options_parse_json(txt, len, &o, &err) == SOL_OK)
            sol_options_free(o);
        break;
    }
    default: {
        sol_dtable *t = NULL;
        if (sol_dtable_read_mem(txt, len, "fuzz.csv", &t, &err) == SOL_OK) {
            sol_options *o = NULL;
            if (sol_options_from_table(t, &o, &err) == SOL_OK)
                sol_options_free(o);
            sol_dtable_free(t);
        }
        break;
    }
    }
    return 0;
}
