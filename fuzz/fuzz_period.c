/* fuzz_period.c - libFuzzer target: any bytes through the period and flag parsers. */
#include <solidata/import.h>
#include <solidata/store.h>

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char label[16], freq, buf[128];
    int64_t idx;
    (void)sol_period_parse((const char *)data, size, label, &freq, &idx);
    if (size < sizeof buf) {
        memcpy(buf, data, size);
        buf[size] = '\0';
        int flags;
        if (sol_flags_parse(buf, &flags) == SOL_OK)
            sol_flags_format(flags, buf, sizeof buf);
    }
    return 0;
}
