/* fuzz_import.c - libFuzzer target: the import paths people feed by hand. The input is split at
 * its first NUL byte (or used whole): the first part is imported as an area layer (GeoJSON through
 * GDAL, with code, name and parent fields), the second as indicator metadata (code, label, unit,
 * polarity, dimension, kind, numerator, denominator) beside a fixed data file. Every failure
 * must be an error with the store unchanged; no crash, leak or undefined behaviour. */
#include <solidata/import.h>
#include <solidata/store.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static int write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    int bad = fwrite(p, 1, n, f) != n;
    return fclose(f) != 0 || bad ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "/tmp/solidata-fuzz-import-XXXXXX");
        if (mkdtemp(dir) == NULL)
            abort();
    }
    const uint8_t *nul = memchr(data, '\0', size);
    size_t n1 = nul ? (size_t)(nul - data) : size;
    const uint8_t *meta = nul ? nul + 1 : NULL;
    size_t n2 = nul ? size - n1 - 1 : 0;
    char db[96], areas[96], csv[96], metap[96];
    snprintf(db, sizeof db, "%s/s.db", dir);
    snprintf(areas, sizeof areas, "%s/a.geojson", dir);
    snprintf(csv, sizeof csv, "%s/d.csv", dir);
    snprintf(metap, sizeof metap, "%s/m.csv", dir);
    unlink(db);
    static const char rows[] = "code,year,v,w\nA,2020,4,0.5\nB,2020,12,0.25\nC,2020,30,0.1\n";
    if (write_file(areas, data, n1) != 0 || write_file(csv, rows, sizeof rows - 1) != 0 ||
        (meta && write_file(metap, meta, n2) != 0))
        abort();
    sol_store *st = NULL;
    sol_error err;
    if (sol_store_open(db, &st, &err) != SOL_OK)
        abort();
    sol_import_opts o = {
        .code_field = "code", .name_field = "name", .parent_field = "parent", .level = "area"};
    sol_import_report rep;
    sol_status rc = sol_import_areas(st, areas, &o, &rep, &err);
    if (meta != NULL) {
        sol_import_opts d = {.area_field = "code",
                             .period_field = "year",
                             .indicator_meta = metap,
                             .skip_unknown_areas = 1};
        if (rc != SOL_OK) { /* the metadata path needs areas: a fixed layer */
            static const char fixed[] =
                "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
                "\"properties\":{\"code\":\"A\"},\"geometry\":{\"type\":\"Polygon\","
                "\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}}]}";
            sol_import_opts fo = {.code_field = "code", .level = "area"};
            if (write_file(areas, fixed, sizeof fixed - 1) != 0 ||
                sol_import_areas(st, areas, &fo, &rep, &err) != SOL_OK) {
                fprintf(stderr, "fixed layer refused: %s: %s\n", err.where, err.msg);
                abort();
            }
        }
        sol_import_data(st, csv, &d, &rep, &err);
    }
    sol_store_close(st);
    return 0;
}
