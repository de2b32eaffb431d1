/* fuzz_geojson.c - libFuzzer target: any bytes through the GeoJSON geometry parser. */
#include <solidata/geo.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s == NULL)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    sol_feature f;
    memset(&f, 0, sizeof f);
    sol_error err;
    if (sol_geo_parse_geojson(s, &f, &err) == SOL_OK)
        sol_feature_clear(&f);
    free(s);
    return 0;
}
