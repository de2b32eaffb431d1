/* solidata/demography.h - population projection by the cohort-component method: age groups of
 * one or five years by sex, fertility by age of mother, survival from a life table, net
 * migration, per area and scenario.
 * Thread safety: reentrant; nothing is global. */
#ifndef SOL_DEMOGRAPHY_H
#define SOL_DEMOGRAPHY_H

#include <solidata/status.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** One population to project. Age groups start at 0, w, 2w, ... (w = `width`, 1 or 5 years,
 *  also the projection step); the last group is open (85+ say). Arrays of `nages` values, read
 *  only, owned by the caller. */
typedef struct sol_cc_input {
    int width;
    size_t nages;
    const double *pop[2]; /* base population, [0] females, [1] males */
    const double *fert;   /* annual births per woman by age group (0 outside fertile ages) */
    const double *L[2];   /* life table person-years nLx by age group; the last is the open
                             group's T (all person-years above its start) */
    double l0[2];         /* life table radix l0 */
    const double *mig[2]; /* annual net migrants by age group at the start of a step; NULL = 0 */
    double srb;           /* sex ratio at birth, males per female; 0 = 1.05 */
} sol_cc_input;

/** Project `steps` steps of `width` years. Survivorship ratios S_x = L_{x+w} / L_x; the open
 *  group gathers the survivors of the last closed group and of itself, S = T_open / (L_last +
 *  T_open); births over a step = w sum_x F_x (W_x(t) + W_x(t+w)) / 2 (W: women), split by the
 *  sex ratio at birth and survived to the first group by L_0 / (w l_0) (Preston, Heuveline and
 *  Guillot 2001, ch. 6). Net migrants of a step (w x annual count, by age at the start) arrive
 *  half at the start (and are survived) and half at the end. out[s] (caller-owned, (steps+1) x
 *  nages values, row 0 the base) gets the population of sex s; births (may be NULL, steps
 *  values) the births of each step. Negative projected counts are set to 0 (more emigrants than
 *  people). SOL_EINVAL on a bad input (said in err). Thread-safe. */
SOL_API sol_status sol_cc_project(const sol_cc_input *in, size_t steps, double *out_f,
                                  double *out_m, double *births, sol_error *err);

/** File in, file out (src/run/project.c): inputs as long CSVs, one row per (area, sex, age).
 *  base: area,sex,age,population[,year]; fertility: [scenario,][area,]age,rate; survival:
 *  [scenario,][area,]sex,age,Lx[,lx] (lx read at age 0: the radix, 1 when absent); migration
 *  (optional): [scenario,][area,]sex,age,net (annual net migrants). Ages as group starts (0, 5,
 *  ..., the last written "85+"); sex F or M. A file without an area column applies to every
 *  area, one without a scenario column to every scenario. */
typedef struct sol_project_job {
    const char *base, *fertility, *survival, *migration; /* migration may be NULL */
    int horizon;         /* years, >= 1; rounded up to whole steps */
    int base_year;       /* 0 = the base file's year column, else 0 */
    double srb;          /* 0 = 1.05 */
    const char *out;     /* long CSV: area,scenario,year,sex,age,population */
    const char *summary; /* CSV: area,scenario,year,total,children_0_5,people_65_plus,
                            people_75_plus,old_age_dependency (65+ per 100 aged 15-64); "-" =
                            stdout */
} sol_project_job;

/** Defaults for `o`: no files, no horizon, the base file's year, sex ratio at birth 1.05, the
 *  summary on stdout. */
SOL_API void sol_run_project_job_init(sol_project_job *o);

/** Read, check and project every area x scenario; write `out` and `summary`. Bad input gives
 *  SOL_EPARSE / SOL_ETYPE / SOL_EINVAL / SOL_ENOTFOUND with file:line:col and how to fix it
 *  (ages not contiguous, negative rates, survival above 1, a missing sex, an unknown area, a
 *  missing scenario). Nothing is written on error. */
SOL_API sol_status sol_run_project(const sol_project_job *o, sol_error *err);

#ifdef __cplusplus
}
#endif
#endif
