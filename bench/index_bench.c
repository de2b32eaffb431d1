/* index_bench.c - times sol_index_run on synthetic data: N areas x 50 indicators in 5 dimensions,
 * R Monte Carlo replications over normalisation, aggregation and 10 weight ranges. Optionally
 * writes the data as CSV so that bench/index.R can time the same computation. */
#include <solidata/index.h>

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000, m = 50;
    size_t reps = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000;
    const char *csv = argc > 3 ? argv[3] : NULL;
    double *x = malloc(n * m * sizeof *x);
    char **area = malloc(n * sizeof *area), **codes = malloc(m * sizeof *codes);
    uint64_t st = 42;
    for (size_t i = 0; i < n; i++) {
        area[i] = malloc(16);
        snprintf(area[i], 16, "A%05zu", i);
        double lat = 0;
        for (size_t j = 0; j < m; j++) {
            st = st * 6364136223846793005ull + 1442695040888963407ull;
            double u = (double)(st >> 11) * 0x1.0p-53;
            if (j % 10 == 0)
                lat = u;
            x[i * m + j] = 10 + 5 * lat + 3 * u + (double)j; /* correlated within a dimension */
        }
    }
    sol_index_spec *s = NULL;
    sol_index_spec_new(&s);
    for (size_t j = 0; j < m; j++) {
        codes[j] = malloc(16);
        snprintf(codes[j], 16, "i%02zu", j);
        char dim[8];
        snprintf(dim, sizeof dim, "d%zu", j / 10);
        sol_index_spec_add_ind(s, codes[j], dim, j % 7 == 3 ? -1 : 1, NAN);
    }
    for (size_t j = 0; j < m; j += 5) {
        s->ind[j].w_lo = 0.5;
        s->ind[j].w_hi = 1.5;
    }
    s->norm = SOL_NORM_MP;
    s->agg = SOL_AGG_MPI;
    s->mc_reps = reps;
    s->seed = 1;
    s->mc_factors = SOL_MC_NORM | SOL_MC_AGG | SOL_MC_WEIGHTS;
    s->n_mc_norm = 2;
    s->mc_norm[0] = SOL_NORM_MP;
    s->mc_norm[1] = SOL_NORM_MINMAX;
    s->n_mc_agg = 2;
    s->mc_agg[0] = SOL_AGG_MPI;
    s->mc_agg[1] = SOL_AGG_ARITH;
    if (csv) {
        FILE *f = fopen(csv, "w");
        fputs("id", f);
        for (size_t j = 0; j < m; j++)
            fprintf(f, ",%s", codes[j]);
        fputc('\n', f);
        for (size_t i = 0; i < n; i++) {
            fputs(area[i], f);
            for (size_t j = 0; j < m; j++)
                fprintf(f, ",%.17g", x[i * m + j]);
            fputc('\n', f);
        }
        fclose(f);
    }
    sol_index_frame fr = {n, m, (const char *const *)area, NULL, (const char *const *)codes, x, NULL};
    sol_index_result *r = NULL;
    sol_error e;
    double t0 = omp_get_wtime();
    if (sol_index_run(&fr, s, &r, &e) != SOL_OK) {
        fprintf(stderr, "index_bench: %s\n", e.msg);
        return 1;
    }
    double t = omp_get_wtime() - t0;
    printf("C: %zu areas x %zu indicators, %zu replications, %d threads: %.2f s\n", n, m, reps,
           omp_get_max_threads(), t);
    printf("sensitivity:");
    for (size_t k = 0; k < r->n_factors; k++)
        printf(" %s=%.3f", r->factor_name[k], r->sensitivity[k]);
    printf("\n");
    sol_index_result_free(r);
    sol_index_spec_free(s);
    return 0;
}
