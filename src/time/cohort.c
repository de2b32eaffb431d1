/* cohort.c - cohort-component population projection (one or five-year age groups, two sexes,
 * open last age group, net migration half at the start and half at the end of each step). */
#include <solidata/demography.h>

#include "core/core.h"

#include <math.h>
#include <string.h>

sol_status sol_cc_project(const sol_cc_input *in, size_t steps, double *out_f, double *out_m,
                          double *births, sol_error *err)
{
    size_t A = in->nages;
    double w = in->width, srb = in->srb > 0 ? in->srb : 1.05;
    double *out[2] = {out_f, out_m};
    if (!(in->width == 1 || in->width == 5))
        return sol__err(err, SOL_EINVAL, "age groups of %d years: expected 1 or 5", in->width);
    if (A < 3)
        return sol__err(err, SOL_EINVAL, "%zu age groups: expected at least 3 (the last open)", A);
    for (int s = 0; s < 2; s++) {
        if (!(in->l0[s] > 0))
            return sol__err(err, SOL_EINVAL, "life table radix l0 must be positive");
        for (size_t x = 0; x < A; x++) {
            if (!(in->L[s][x] > 0))
                return sol__err(err, SOL_EINVAL,
                                "life table person-years at age group %zu must be positive",
                                x * (size_t)in->width);
            if (!(in->pop[s][x] >= 0))
                return sol__err(err, SOL_EINVAL, "population counts must be >= 0");
        }
        if (in->L[s][0] > w * in->l0[s])
            return sol__err(err, SOL_EINVAL,
                            "L0 = %g exceeds width x l0 = %g: survival from birth above 1",
                            in->L[s][0], w * in->l0[s]);
        for (size_t x = 0; x + 2 < A; x++)
            if (in->L[s][x + 1] > in->L[s][x])
                return sol__err(err, SOL_EINVAL,
                                "life table person-years rise from age %zu to %zu: survival "
                                "above 1",
                                x * (size_t)in->width, (x + 1) * (size_t)in->width);
    }
    for (size_t x = 0; x < A; x++)
        if (!(in->fert[x] >= 0))
            return sol__err(err, SOL_EINVAL, "fertility rates must be >= 0");
    for (int s = 0; s < 2; s++)
        memcpy(out[s], in->pop[s], A * sizeof(double));
    for (size_t t = 1; t <= steps; t++) {
        for (int s = 0; s < 2; s++) {
            const double *P = out[s] + (t - 1) * A, *L = in->L[s], *M = in->mig[s];
            double *Q = out[s] + t * A;
            /* closed groups 1 .. A-2 from the group below */
            for (size_t x = 1; x + 1 < A; x++) {
                double m = M ? w * M[x - 1] : 0;
                Q[x] = (P[x - 1] + m / 2) * (L[x] / L[x - 1]) + m / 2;
            }
            double mo = M ? w * (M[A - 2] + M[A - 1]) : 0;
            Q[A - 1] = (P[A - 2] + P[A - 1] + mo / 2) * (L[A - 1] / (L[A - 2] + L[A - 1])) + mo / 2;
            for (size_t x = 1; x < A; x++)
                if (Q[x] < 0)
                    Q[x] = 0;
        }
        double b = 0;
        for (size_t x = 0; x < A; x++)
            b += in->fert[x] * (out[0][(t - 1) * A + x] + out[0][t * A + x]) / 2;
        b *= w;
        if (births)
            births[t - 1] = b;
        double bs[2] = {b / (1 + srb), b * srb / (1 + srb)};
        for (int s = 0; s < 2; s++) {
            out[s][t * A] = bs[s] * in->L[s][0] / (w * in->l0[s]);
        }
    }
    return SOL_OK;
}
