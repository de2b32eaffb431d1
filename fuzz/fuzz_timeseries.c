/* fuzz_timeseries.c - libFuzzer target: any bytes as a long CSV of series, then the trend and
 * change-point methods over whatever series come out. */
#include <solidata/timeseries.h>

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sol_ts_set *set = NULL;
    if (sol_ts_read_csv_mem((const char *)data, size, "fuzz.csv", "id", "period", "value", &set,
                            NULL) != SOL_OK)
        return 0;
    for (size_t i = 0; i < set->n && i < 8; i++) {
        if (set->series[i].n > 2000)
            continue; /* the methods are O(n^2); the reader is what is fuzzed at length */
        sol_trend t;
        sol_trend_opts o = {0, 0, 0.95};
        (void)sol_ts_trend(&set->series[i], &o, &t, NULL);
        o.seasonal = 1;
        (void)sol_ts_trend(&set->series[i], &o, &t, NULL);
        for (int m = 0; m < 3; m++) {
            sol_cpt_opts c = {(sol_cpt_method)m, SOL_CPT_MEANVAR, SOL_CPT_MBIC};
            sol_cpt_result r;
            if (sol_ts_changepoints(&set->series[i], &c, &r, NULL) == SOL_OK)
                sol_cpt_result_clear(&r);
        }
    }
    sol_ts_set_free(set);
    return 0;
}
