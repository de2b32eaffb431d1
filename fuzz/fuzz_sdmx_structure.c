/* fuzz_sdmx_structure.c - libFuzzer target: any bytes through the SDMX structure reader, then
 * every look-up and name of what it read. */
#include <solidata/sdmx.h>

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sol_sdmx_structure *s = NULL;
    sol_error err;
    if (sol_sdmx_structure_parse((const char *)data, size, "fuzz", &s, &err) != SOL_OK)
        return 0;
    for (size_t i = 0; i < s->ndataflow; i++) {
        (void)sol_sdmx_name(&s->dataflow[i].name, SOL_LANG_IT);
        (void)sol_sdmx_dsd_find(s, s->dataflow[i].dsd);
    }
    for (size_t i = 0; i < s->ndsd; i++)
        for (size_t j = 0; j < s->dsd[i].ndim; j++)
            (void)sol_sdmx_codelist_find(s, s->dsd[i].dim[j].codelist);
    for (size_t i = 0; i < s->ncodelist; i++)
        for (size_t j = 0; j < s->codelist[i].ncode; j++) {
            (void)sol_sdmx_name(&s->codelist[i].code[j].name, SOL_LANG_FR);
            (void)sol_sdmx_code_find(&s->codelist[i], s->codelist[i].code[j].parent);
        }
    sol_sdmx_structure_free(s);
    return 0;
}
