/* bench_sdmx.c - time sol_sdmx_data_parse alone (the file is read into memory first): best of
 * REPS runs, wall and CPU seconds, and the observations read.
 * Usage: bench_sdmx FILE [REPS] -> "FILE nobs wall_s cpu_s" */
#include <solidata/sdmx.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_sdmx FILE [REPS]\n");
        return 2;
    }
    int reps = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 3;
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL) {
        perror(argv[1]);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    fclose(f);
    double best_wall = 1e300, best_cpu = 1e300;
    size_t nobs = 0;
    for (int r = 0; r < reps; r++) {
        double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
        sol_sdmx_data *d = NULL;
        sol_error err;
        if (sol_sdmx_data_parse(buf, (size_t)n, argv[1], SOL_SDMX_AUTO, &d, &err) != SOL_OK) {
            fprintf(stderr, "%s: %s\n", err.where, err.msg);
            return 1;
        }
        double w = now(CLOCK_MONOTONIC) - w0, c = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
        nobs = d->nobs;
        sol_sdmx_data_free(d);
        if (w < best_wall)
            best_wall = w;
        if (c < best_cpu)
            best_cpu = c;
    }
    printf("%s %zu %.3f %.3f\n", argv[1], nobs, best_wall, best_cpu);
    free(buf);
    return 0;
}
