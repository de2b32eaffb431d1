/* bench_fh.c - Fay-Herriot REML with Prasad-Rao MSE on M synthetic areas with 6 covariates, in
 * memory: the fit alone (no CSV), best and median of REPS runs, wall and CPU time. */
#include <solidata/sae.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t s = 0x9E3779B97F4A7C15ull;
static double unif(void)
{
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return (double)(s >> 11) * 0x1p-53;
}

static double ms(clockid_t c, const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(c, &t1);
    return 1e3 * (double)(t1.tv_sec - t0->tv_sec) + 1e-6 * (double)(t1.tv_nsec - t0->tv_nsec);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    size_t m = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 100000;
    int reps = argc > 2 ? atoi(argv[2]) : 7;
    if (reps < 1 || reps > 100)
        reps = 7;
    double *y = malloc(m * sizeof *y), *v = malloc(m * sizeof *v), *x[6];
    sol_fh_covariate cov[6];
    static const char *names[6] = {"x1", "x2", "x3", "x4", "x5", "x6"};
    for (int k = 0; k < 6; k++) {
        x[k] = malloc(m * sizeof *x[k]);
        cov[k] = (sol_fh_covariate){names[k], x[k], NULL};
    }
    for (size_t i = 0; i < m; i++) {
        for (int k = 0; k < 6; k++)
            x[k][i] = unif();
        v[i] = 0.01 + 0.05 * unif();
        double u = 0.28 * (unif() + unif() + unif() - 1.5) * 2;
        double e = sqrt(v[i]) * (unif() + unif() + unif() - 1.5) * 2;
        y[i] = 1 + x[0][i] - 0.5 * x[1][i] + 0.3 * x[2][i] + u + e;
    }
    sol_fh_data d = {m, NULL, y, v, 6, cov};
    double wall[100], cpu[100];
    unsigned it = 0;
    for (int r = 0; r < reps; r++) {
        struct timespec t0, c0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
        sol_fh_result *res = NULL;
        sol_error err;
        if (sol_sae_fh_fit(&d, NULL, &res, &err) != SOL_OK || !res->converged) {
            fprintf(stderr, "bench_fh: fit failed: %s\n", err.msg);
            return 1;
        }
        wall[r] = ms(CLOCK_MONOTONIC, &t0);
        cpu[r] = ms(CLOCK_PROCESS_CPUTIME_ID, &c0);
        it = res->iterations;
        sol_fh_result_free(res);
    }
    qsort(wall, (size_t)reps, sizeof *wall, cmp);
    qsort(cpu, (size_t)reps, sizeof *cpu, cmp);
    printf("fit+MSE %zu areas x 6 covariates, REML, %u iterations: best %.1f ms, median %.1f ms "
           "wall; best %.1f ms CPU (%d runs)\n",
           m, it, wall[0], wall[reps / 2], cpu[0], reps);
    for (int k = 0; k < 6; k++)
        free(x[k]);
    free(y);
    free(v);
    return 0;
}
