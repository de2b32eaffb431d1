/* fuzz_sdmx_data.c - libFuzzer target: any bytes through the SDMX data readers (SDMX-ML generic
 * and structure-specific, SDMX-JSON, SDMX-CSV), the format told from the bytes, then read again
 * as each format in turn (the first byte picks it), every key checked against its dictionary. */
#include <solidata/sdmx.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const sol_sdmx_data *d)
{
    for (size_t o = 0; o < d->nobs; o++) {
        for (size_t k = 0; k < d->ndim; k++)
            if (d->key[o * d->ndim + k] >= d->ncode[k])
                abort();
        if (d->status[o] != UINT32_MAX && d->status[o] >= d->nstatus)
            abort();
    }
    if (d->time_dim >= (int)d->ndim)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sol_sdmx_data *d = NULL;
    sol_error err;
    if (sol_sdmx_data_parse((const char *)data, size, "fuzz", SOL_SDMX_AUTO, &d, &err) == SOL_OK) {
        check(d);
        sol_sdmx_data_free(d);
    }
    if (size > 1) {
        sol_sdmx_format f = (sol_sdmx_format)(1 + data[0] % 4);
        d = NULL;
        if (sol_sdmx_data_parse((const char *)data + 1, size - 1, "fuzz", f, &d, &err) == SOL_OK) {
            check(d);
            sol_sdmx_data_free(d);
        }
    }
    return 0;
}
