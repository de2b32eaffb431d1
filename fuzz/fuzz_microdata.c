/* fuzz_microdata.c - libFuzzer target: any bytes through the microdata reader's parallel (mapped)
 * path and its streaming reader; when both accept the input they must agree value for value. */
#define _POSIX_C_SOURCE 200809L
#include <solidata/stats.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const sol_md_column COLS[] = {{"a", SOL_MD_NUMBER, 0, 1, 0, "income"},
                                     {"b", SOL_MD_CODE, 1, 0, 0, "area"},
                                     {"c", SOL_MD_NUMBER, 1, 0, 0, "weight"}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sol_microdata *f = NULL, *s = NULL;
    sol_error err;
    unsetenv("SOL_MICRODATA_STREAM");
    sol_status rf = sol_microdata_read_mem((const char *)data, size, "fuzz.csv", COLS, 3, &f, &err);
    setenv("SOL_MICRODATA_STREAM", "1", 1);
    sol_status rs = sol_microdata_read_mem((const char *)data, size, "fuzz.csv", COLS, 3, &s, &err);
    if (rf == SOL_OK && rs != SOL_OK)
        abort(); /* the parallel path accepted what the streaming reader refuses */
    if (rf == SOL_OK) {
        size_t n = sol_microdata_rows(f);
        if (n != sol_microdata_rows(s) ||
            sol_microdata_nlevels(f, 1) != sol_microdata_nlevels(s, 1))
            abort();
        for (size_t j = 0; j < 3; j += 2)
            if (n && memcmp(sol_microdata_numbers(f, j), sol_microdata_numbers(s, j), n * 8) != 0)
                abort();
        if (n && memcmp(sol_microdata_codes(f, 1), sol_microdata_codes(s, 1), n * 4) != 0)
            abort();
        for (size_t l = 0; l < sol_microdata_nlevels(f, 1); l++)
            if (strcmp(sol_microdata_level(f, 1, l), sol_microdata_level(s, 1, l)) != 0)
                abort();
        if (strcmp(sol_microdata_sha256(f), sol_microdata_sha256(s)) != 0)
            abort();
    }
    sol_microdata_free(f);
    sol_microdata_free(s);
    return 0;
}
