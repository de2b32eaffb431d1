/* ets.c - exponential smoothing in state-space form (ETS) as R's forecast::ets: initial states by
 * its heuristic, maximum likelihood by Nelder-Mead (the arithmetic of R's optim), bounds "both",
 * automatic choice by AICc, and forecast.ets's analytic prediction intervals. */
#include <solidata/timeseries.h>

#include <solidata/limits.h>

#include "core/core.h"
#include "time/time_int.h"

#include <gsl/gsl_cdf.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE 0
#define ADD  1
#define MULT 2

#define MAXPAR (4 + 2 + SOL_ETS_MAX_SEASON)     /* smoothing parameters and free initial states */
#define TINY   1.0e-10                          /* forecast::ets's TOL */
#define HUGEV  1.0e10                           /* forecast::ets's HUGEN */
#define NM_BIG 1.0e35                           /* optim's stand-in for a non-finite value */
#define PI_2   6.283185307179586476925286766559 /* 2 pi */

/* The usual bounds of ets(): lower and upper for alpha, beta, gamma, phi. */
static const double LOWER[4] = {1e-4, 1e-4, 1e-4, 0.8};
static const double UPPER[4] = {0.9999, 0.9999, 0.9999, 0.98};

/* One model being fitted to one series. */
typedef struct fitter {
    const double *y;
    size_t n;
    int err, trend, season, damped;
    int m;      /* season length (1 without season) */
    int nsm;    /* smoothing parameters in the vector */
    int nstate; /* free initial states in the vector (l, b, m - 1 seasons) */
} fitter;

sol_status sol_ets_model_parse(const char *code, sol_ets_model *out)
{
    sol_ets_model m = {0, 0, 0, 0};
    if (code == NULL)
        return SOL_EINVAL;
    size_t len = strlen(code);
    if (len == 4 && code[2] == 'd') {
        m.damped = 1;
    } else if (len != 3) {
        return SOL_EINVAL;
    }
    m.error = code[0];
    m.trend = code[1];
    m.season = code[len - 1];
    if ((m.error != 'A' && m.error != 'M') || (m.trend != 'N' && m.trend != 'A') ||
        (m.season != 'N' && m.season != 'A' && m.season != 'M'))
        return SOL_EINVAL;
    if (m.damped && m.trend != 'A')
        return SOL_EINVAL;
    if (m.error == 'A' && m.season == 'M') /* forbidden by ets(): infinite variance */
        return SOL_EINVAL;
    *out = m;
    return SOL_OK;
}

void sol_ets_model_name(const sol_ets_model *m, char name[16])
{
    snprintf(name, 16, "ETS(%c,%c%s,%c)", m->error, m->trend, m->damped ? "d" : "", m->season);
}

static int comp(char c)
{
    return c == 'A' ? ADD : c == 'M' ? MULT : NONE;
}

/* Mean as R's mean(): long double sum, then one correction pass. */
static double r_mean(const double *x, size_t n)
{
    long double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    s /= (long double)n;
    long double t = 0;
    for (size_t i = 0; i < n; i++)
        t += x[i] - s;
    s += t / (long double)n;
    return (double)s;
}

/* Is z^d + c[1] z^(d-1) + ... + c[d] free of roots with modulus above 1 + 1e-10? (Schur-Cohn
 * step-down on the polynomial rescaled by that radius; ets() asks polyroot the same question.)
 * The step-down is kept without division: each step multiplies through by the leading
 * coefficient a0 (c'[i] = a0 c[i] - c[d] c[d-i], |reflection| < 1 iff |c[d]| < |a0|) and scales
 * by an exact power of two so nothing overflows. */
static inline __attribute__((always_inline)) int roots_body(const double *c, const int d)
{
    const double rho = 1.0 + 1e-10;
    double cur[MAXPAR + 2], nxt[MAXPAR + 2], sc = 1.0;
    cur[0] = 1.0;
#pragma GCC unroll 32
    for (int i = 1; i <= d; i++) {
        sc /= rho;
        cur[i] = c[i] * sc;
    }
#pragma GCC unroll 32
    for (int deg = d; deg >= 1; deg--) {
        double a0 = cur[0], ad = cur[deg];
        if (!(fabs(ad) < fabs(a0)))
            return 0;
#pragma GCC unroll 32
        for (int i = 0; i < deg; i++)
            nxt[i] = a0 * cur[i] - ad * cur[deg - i];
        uint64_t bits;
        memcpy(&bits, &nxt[0], sizeof bits);
        int e = (int)((bits >> 52) & 0x7ff);
        if (e == 0 || e >= 2046)
            return 0; /* zero, subnormal or not finite: treat as on the boundary */
        uint64_t sbits = (uint64_t)(2046 - e) << 52; /* 2^-(e - 1023) */
        double scale;
        memcpy(&scale, &sbits, sizeof scale);
#pragma GCC unroll 32
        for (int i = 0; i < deg; i++)
            cur[i] = nxt[i] * scale;
    }
    return 1;
}

static int roots_generic(const double *c, int d)
{
    const double rho = 1.0 + 1e-10;
    double cur[MAXPAR + 2], nxt[MAXPAR + 2], sc = 1.0;
    cur[0] = 1.0;
    for (int i = 1; i <= d; i++) {
        sc /= rho;
        cur[i] = c[i] * sc;
    }
    for (int deg = d; deg >= 1; deg--) {
        double a0 = cur[0], ad = cur[deg];
        if (!(fabs(ad) < fabs(a0)))
            return 0;
        for (int i = 0; i < deg; i++)
            nxt[i] = a0 * cur[i] - ad * cur[deg - i];
        uint64_t bits;
        memcpy(&bits, &nxt[0], sizeof bits);
        int e = (int)((bits >> 52) & 0x7ff);
        if (e == 0 || e >= 2046)
            return 0;
        uint64_t sbits = (uint64_t)(2046 - e) << 52;
        double scale;
        memcpy(&scale, &sbits, sizeof scale);
        for (int i = 0; i < deg; i++)
            cur[i] = nxt[i] * scale;
    }
    return 1;
}

/* Compiled apart for the usual season lengths (12 and 4 give degrees 13 and 5), so that the
 * whole recursion stays in registers. */
static int roots_inside(const double *c, int d)
{
    switch (d) {
    case 13: return roots_body(c, 13);
    case 5: return roots_body(c, 5);
    case 3: return roots_body(c, 3);
    default: return roots_generic(c, d);
    }
}

/* Parameter bounds "usual" (the box) and "admissible" (the stability region), both required. */
static int params_ok(const fitter *f, double alpha, double beta, double gamma, double phi)
{
    if (alpha < LOWER[0] || alpha > UPPER[0])
        return 0;
    if (f->trend != NONE && (beta < LOWER[1] || beta > alpha || beta > UPPER[1]))
        return 0;
    if (f->damped && (phi < LOWER[3] || phi > UPPER[3]))
        return 0;
    if (f->season != NONE && (gamma < LOWER[2] || gamma > 1 - alpha || gamma > UPPER[2]))
        return 0;
    if (phi < 0 || phi > 1 + 1e-8)
        return 0;
    if (f->season == NONE) {
        if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi)
            return 0;
        if (f->trend != NONE && (beta < alpha * (phi - 1) || beta > (1 + phi) * (2 - alpha)))
            return 0;
        return 1;
    }
    int m = f->m;
    if (m <= 1)
        return 1;
    double d = 1 - 1 / phi - alpha;
    if (gamma < (d > 0 ? d : 0) || gamma > 1 + 1 / phi - alpha)
        return 0;
    if (alpha < 1 - 1 / phi - gamma * (1 - m + phi + phi * m) / (2 * phi * m))
        return 0;
    if (beta < -(1 - phi) * (gamma / m + alpha))
        return 0;
    /* characteristic equation, highest power first */
    double c[MAXPAR + 2];
    c[0] = 1;
    c[1] = alpha + beta - phi;
    for (int i = 0; i < m - 2; i++)
        c[2 + i] = alpha + beta - alpha * phi;
    c[m] = alpha + beta - alpha * phi + gamma - 1;
    c[m + 1] = phi * (1 - alpha - gamma);
    return roots_inside(c, m + 1);
}

/* Run the model through the series from state x0 (l, b, s[0..m) with s[0] the latest season).
 * Returns -2 log-likelihood without constants (n log SSE, + 2 sum log|f| for multiplicative
 * error), as ets(); e (optional) receives the errors, xn (optional) the final state. The body
 * is compiled once per combination of components (E, T, S constants) so that the loop carries
 * no branch on them; sum log|f| is kept as a product with a separate binary exponent. */
static inline __attribute__((always_inline)) double
run_body(const fitter *f, const double *x0, double alpha, double beta, double gamma, double phi,
         double *e, double *xn, const int E, const int T, const int S)
{
    const int m = f->m;
    double l = x0[0], b = T != NONE ? x0[1] : 0.0;
    double ring[SOL_ETS_MAX_SEASON]; /* ring[k] is the oldest season, s[m-1] */
    int k = 0;
    if (S != NONE)
        for (int i = 0; i < m; i++)
            ring[i] = x0[(T != NONE) + 1 + (m - 1 - i)];
    double sse = 0.0, prod = 1.0, ba = beta / alpha;
    long pexp = 0;
    const double *yv = f->y;
    const size_t n = f->n;
    for (size_t t = 0; t < n; t++) {
        double y = yv[t];
        double oldl = l, phib, q;
        if (T == NONE) {
            q = oldl;
            phib = 0;
        } else {
            phib = phi * b;
            q = oldl + phib;
        }
        double old = S != NONE ? ring[k] : 0.0;
        double fc = q;
        if (S == ADD)
            fc = fc + old;
        else if (S == MULT)
            fc = fc * old;
        double et = E == ADD ? y - fc : (y - fc) / fc;
        if (e)
            e[t] = et;
        double p;
        if (S == NONE)
            p = y;
        else if (S == ADD)
            p = y - old;
        else
            p = fabs(old) < TINY ? HUGEV : y / old;
        l = q + alpha * (p - q);
        if (T != NONE) {
            double r = l - oldl;
            b = phib + ba * (r - phib);
        }
        if (S != NONE) {
            double tt;
            if (S == ADD)
                tt = y - q;
            else
                tt = fabs(q) < TINY ? HUGEV : y / q;
            ring[k] = old + gamma * (tt - old);
            k = k + 1 == m ? 0 : k + 1;
        }
        sse = sse + et * et;
        if (E == MULT) {
            prod *= fabs(fc);
            if (!(prod < 1e200 && prod > 1e-200) && isfinite(prod) && prod != 0) {
                int ex;
                prod = frexp(prod, &ex);
                pexp += ex;
            }
        }
    }
    if (xn) {
        xn[0] = l;
        if (T != NONE)
            xn[1] = b;
        if (S != NONE)
            for (int i = 0; i < m; i++)
                xn[(T != NONE) + 1 + i] = ring[(k + m - 1 - i) % m];
    }
    double lik = (double)n * log(sse);
    if (E == MULT)
        lik += 2 * (log(prod) + (double)pexp * 0.69314718055994530942);
    return lik;
}

#define RUN_CASE(E, T, S)                                                                          \
    case (E)*9 + (T)*3 + (S): return run_body(f, x0, alpha, beta, gamma, phi, e, xn, E, T, S)

static double run_model(const fitter *f, const double *x0, double alpha, double beta, double gamma,
                        double phi, double *e, double *xn)
{
    switch (f->err * 9 + f->trend * 3 + f->season) {
        RUN_CASE(ADD, NONE, NONE);
        RUN_CASE(ADD, NONE, ADD);
        RUN_CASE(ADD, ADD, NONE);
        RUN_CASE(ADD, ADD, ADD);
        RUN_CASE(MULT, NONE, NONE);
        RUN_CASE(MULT, NONE, ADD);
        RUN_CASE(MULT, NONE, MULT);
        RUN_CASE(MULT, ADD, NONE);
        RUN_CASE(MULT, ADD, ADD);
        RUN_CASE(MULT, ADD, MULT);
    default: return NAN;
    }
}

/* Split a parameter vector: smoothing parameters, and the full initial state (the last season
 * completes the others to 0, or to m for a multiplicative season). */
static void unpack(const fitter *f, const double *par, double *alpha, double *beta, double *gamma,
                   double *phi, double *x0)
{
    int j = 0;
    *alpha = par[j++];
    *beta = f->trend != NONE ? par[j++] : 0.0;
    *gamma = f->season != NONE ? par[j++] : 0.0;
    *phi = f->damped ? par[j++] : 1.0;
    for (int i = 0; i < f->nstate; i++)
        x0[i] = par[j + i];
    if (f->season != NONE) {
        int s0 = 1 + (f->trend != NONE);
        double sum = 0;
        for (int i = s0; i < f->nstate; i++)
            sum += x0[i];
        x0[f->nstate] = f->m * (f->season == MULT ? 1 : 0) - sum;
    }
}

/* Nelder-Mead with the steps, order of operations and stopping rule of R's optim (Nash's
 * Algorithm 19 as R has it): reflection 1, contraction 0.5, expansion 2, relative tolerance
 * `intol`, at most `maxit` evaluations. It is written as a machine that asks for one value at a
 * time, so that several fits can share one pass over their series: nm_start puts the first
 * point in s->B; after each value, nm_feed returns 1 with the next point in s->B, or 0 when
 * done (s->fail: 0, 1 maxit reached, 10 shrink failed, -1 not finite at the start; the best
 * point in s->x, its value in s->fmin). */
enum { NM_INIT, NM_VERT, NM_REFL, NM_EXP, NM_CONTR };

typedef struct nm_state {
    int n, n1, C, L, H, j, phase, calcvert, funcount, maxit, fail;
    double intol, convtol, size, oldsize, VH, VL, VR, fmin;
    double P[(MAXPAR + 1) * (MAXPAR + 2) + 2]; /* n + 1 rows (last: values) x n + 2 columns */
    double B[MAXPAR], x[MAXPAR];
} nm_state;

/* P(i, j): coordinate i (row n: the value) of vertex j; stored vertex by vertex */
#define PP(s, i, j) (s)->P[(j) * ((s)->n + 1) + (i)]

static void nm_start(nm_state *s, int n, const double *x0, double intol, int maxit)
{
    s->n = n;
    s->n1 = n + 1;
    s->C = n + 2;
    s->intol = intol;
    s->maxit = maxit;
    s->fail = 0;
    s->phase = NM_INIT;
    for (int i = 0; i < n; i++)
        s->B[i] = x0[i];
}

static int nm_feed(nm_state *s, double fv)
{
    const double alpha = 1.0, bet = 0.5, gamm = 2.0;
    const int n = s->n, n1 = s->n1, C = s->C;
    switch (s->phase) {
    case NM_INIT: goto after_init;
    case NM_VERT: goto after_vert;
    case NM_REFL: goto after_refl;
    case NM_EXP: goto after_exp;
    default: goto after_contr;
    }
after_init:
    if (!isfinite(fv)) {
        s->fail = -1;
        return 0;
    }
    s->funcount = 1;
    s->convtol = s->intol * (fabs(fv) + s->intol);
    PP(s, n1 - 1, 0) = fv;
    for (int i = 0; i < n; i++)
        PP(s, i, 0) = s->B[i];
    s->L = 1;
    s->size = 0.0;
    {
        double step = 0.0;
        for (int i = 0; i < n; i++)
            if (0.1 * fabs(s->B[i]) > step)
                step = 0.1 * fabs(s->B[i]);
        if (step == 0.0)
            step = 0.1;
        for (int j = 2; j <= n1; j++) {
            for (int i = 0; i < n; i++)
                PP(s, i, j - 1) = s->B[i];
            double trystep = step;
            while (PP(s, j - 2, j - 1) == s->B[j - 2]) {
                PP(s, j - 2, j - 1) = s->B[j - 2] + trystep;
                trystep *= 10;
            }
            s->size += trystep;
        }
    }
    s->oldsize = s->size;
    s->calcvert = 1;
loop_top:
    if (s->calcvert) {
        s->j = 0;
        goto vert_next;
    }
after_calcvert:
    s->VL = PP(s, n1 - 1, s->L - 1);
    s->VH = s->VL;
    s->H = s->L;
    for (int j = 1; j <= n1; j++) {
        if (j != s->L) {
            double f = PP(s, n1 - 1, j - 1);
            if (f < s->VL) {
                s->L = j;
                s->VL = f;
            }
            if (f > s->VH) {
                s->H = j;
                s->VH = f;
            }
        }
    }
    if (s->VH <= s->VL + s->convtol)
        goto finish;
    {
        /* centroid: the sums of optim's loop, taken for every coordinate at once (the same
         * additions in the same order per coordinate, without one long chain each) */
        typedef double v2d __attribute__((vector_size(16)));
        v2d temp[MAXPAR / 2 + 1];
        const int nv = (n + 1) / 2; /* pairs of coordinates (the last pair may hold the value) */
        for (int v = 0; v < nv; v++) {
            v2d x;
            memcpy(&x, &PP(s, 2 * v, s->H - 1), sizeof x);
            temp[v] = -x;
        }
        for (int j = 0; j < n1; j++)
            for (int v = 0; v < nv; v++) {
                v2d x;
                memcpy(&x, &PP(s, 2 * v, j), sizeof x);
                temp[v] += x;
            }
        for (int i = 0; i < n; i++)
            PP(s, i, C - 1) = temp[i / 2][i % 2] / n;
    }
    for (int i = 0; i < n; i++)
        s->B[i] = (1.0 + alpha) * PP(s, i, C - 1) - alpha * PP(s, i, s->H - 1);
    s->phase = NM_REFL;
    return 1;
after_refl:
    if (!isfinite(fv))
        fv = NM_BIG;
    s->funcount++;
    s->VR = fv;
    if (s->VR < s->VL) {
        PP(s, n1 - 1, C - 1) = fv;
        for (int i = 0; i < n; i++) {
            double f = gamm * s->B[i] + (1 - gamm) * PP(s, i, C - 1);
            PP(s, i, C - 1) = s->B[i];
            s->B[i] = f;
        }
        s->phase = NM_EXP;
        return 1;
    }
    if (s->VR < s->VH) {
        for (int i = 0; i < n; i++)
            PP(s, i, s->H - 1) = s->B[i];
        PP(s, n1 - 1, s->H - 1) = s->VR;
    }
    for (int i = 0; i < n; i++)
        s->B[i] = (1 - bet) * PP(s, i, s->H - 1) + bet * PP(s, i, C - 1);
    s->phase = NM_CONTR;
    return 1;
after_exp:
    if (!isfinite(fv))
        fv = NM_BIG;
    s->funcount++;
    if (fv < s->VR) {
        for (int i = 0; i < n; i++)
            PP(s, i, s->H - 1) = s->B[i];
        PP(s, n1 - 1, s->H - 1) = fv;
    } else {
        for (int i = 0; i < n; i++)
            PP(s, i, s->H - 1) = PP(s, i, C - 1);
        PP(s, n1 - 1, s->H - 1) = s->VR;
    }
    goto loop_end;
after_contr:
    if (!isfinite(fv))
        fv = NM_BIG;
    s->funcount++;
    if (fv < PP(s, n1 - 1, s->H - 1)) {
        for (int i = 0; i < n; i++)
            PP(s, i, s->H - 1) = s->B[i];
        PP(s, n1 - 1, s->H - 1) = fv;
    } else if (s->VR >= s->VH) {
        s->calcvert = 1;
        s->size = 0.0;
        for (int j = 0; j < n1; j++) {
            if (j + 1 != s->L) {
                for (int i = 0; i < n; i++) {
                    PP(s, i, j) = bet * (PP(s, i, j) - PP(s, i, s->L - 1)) + PP(s, i, s->L - 1);
                    s->size += fabs(PP(s, i, j) - PP(s, i, s->L - 1));
                }
            }
        }
        if (s->size < s->oldsize) {
            s->oldsize = s->size;
        } else {
            s->fail = 10;
            goto finish;
        }
    }
loop_end:
    if (s->funcount <= s->maxit)
        goto loop_top;
finish:
    s->fmin = PP(s, n1 - 1, s->L - 1);
    for (int i = 0; i < n; i++)
        s->x[i] = PP(s, i, s->L - 1);
    if (s->funcount > s->maxit)
        s->fail = 1;
    return 0;
vert_next:
    while (s->j < n1 && s->j + 1 == s->L)
        s->j++;
    if (s->j < n1) {
        for (int i = 0; i < n; i++)
            s->B[i] = PP(s, i, s->j);
        s->phase = NM_VERT;
        return 1;
    }
    s->calcvert = 0;
    goto after_calcvert;
after_vert:
    if (!isfinite(fv))
        fv = NM_BIG;
    s->funcount++;
    PP(s, n1 - 1, s->j) = fv;
    s->j++;
    goto vert_next;
}
#undef PP

/* Least squares of y on the k columns of X (n x k, row-major) by Householder QR; coef gets k
 * values. Returns -1 when X is rank deficient. Used for a handful of columns only. */
static int lsq(double *X, double *y, size_t n, int k, double *coef)
{
    for (int j = 0; j < k; j++) {
        double norm = 0;
        for (size_t i = (size_t)j; i < n; i++)
            norm += X[i * (size_t)k + (size_t)j] * X[i * (size_t)k + (size_t)j];
        norm = sqrt(norm);
        if (norm == 0)
            return -1;
        double x0 = X[(size_t)j * (size_t)k + (size_t)j];
        double alpha = x0 > 0 ? -norm : norm;
        double v0 = x0 - alpha;
        /* v = (v0, X[j+1..n, j]); H = I - 2 v v' / v'v */
        double vv = v0 * v0;
        for (size_t i = (size_t)j + 1; i < n; i++)
            vv += X[i * (size_t)k + (size_t)j] * X[i * (size_t)k + (size_t)j];
        for (int c = j + 1; c < k; c++) {
            double d = v0 * X[(size_t)j * (size_t)k + (size_t)c];
            for (size_t i = (size_t)j + 1; i < n; i++)
                d += X[i * (size_t)k + (size_t)j] * X[i * (size_t)k + (size_t)c];
            d = 2 * d / vv;
            X[(size_t)j * (size_t)k + (size_t)c] -= d * v0;
            for (size_t i = (size_t)j + 1; i < n; i++)
                X[i * (size_t)k + (size_t)c] -= d * X[i * (size_t)k + (size_t)j];
        }
        double d = v0 * y[j];
        for (size_t i = (size_t)j + 1; i < n; i++)
            d += X[i * (size_t)k + (size_t)j] * y[i];
        d = 2 * d / vv;
        y[j] -= d * v0;
        for (size_t i = (size_t)j + 1; i < n; i++)
            y[i] -= d * X[i * (size_t)k + (size_t)j];
        X[(size_t)j * (size_t)k + (size_t)j] = alpha;
    }
    for (int j = k - 1; j >= 0; j--) {
        double s = y[j];
        for (int c = j + 1; c < k; c++)
            s -= X[(size_t)j * (size_t)k + (size_t)c] * coef[c];
        double r = X[(size_t)j * (size_t)k + (size_t)j];
        if (fabs(r) < 1e-12 * fabs(X[0]))
            return -1;
        coef[j] = s / r;
    }
    return 0;
}

/* Seasonal component of each value as ets()'s initstate: classical decomposition (stats::
 * decompose) with 3 years or more, else a regression on a trend and one Fourier pair. */
static sol_status seasonal_part(const fitter *f, double *seas)
{
    const size_t n = f->n, m = (size_t)f->m;
    const int mult = f->season == MULT;
    if (n < 3 * m) {
        int k = m == 2 ? 3 : 4; /* sin(pi t) vanishes when m = 2: forecast::fourier drops it */
        double *X = sol__malloc(n * (size_t)k * sizeof *X), *yy = sol__malloc(n * sizeof *yy);
        if (X == NULL || yy == NULL) {
            sol__free(X), sol__free(yy);
            return SOL_ENOMEM;
        }
        for (size_t i = 0; i < n; i++) {
            double t = (double)(i + 1), w = PI_2 * t / (double)m;
            X[i * (size_t)k] = 1;
            X[i * (size_t)k + 1] = t;
            if (k == 4) {
                X[i * (size_t)k + 2] = sin(w);
                X[i * (size_t)k + 3] = cos(w);
            } else {
                X[i * (size_t)k + 2] = cos(w);
            }
            yy[i] = f->y[i];
        }
        double coef[4];
        int bad = lsq(X, yy, n, k, coef);
        sol__free(X), sol__free(yy);
        if (bad)
            return SOL_ENUMERIC;
        for (size_t i = 0; i < n; i++) {
            double tr = coef[0] + coef[1] * (double)(i + 1);
            seas[i] = mult ? f->y[i] / tr : f->y[i] - tr;
        }
        return SOL_OK;
    }
    /* centred moving average of order m (2 x m when m is even) */
    double w[SOL_ETS_MAX_SEASON + 1];
    size_t nf = m % 2 ? m : m + 1, shift = nf / 2;
    for (size_t j = 0; j < nf; j++)
        w[j] = (m % 2 == 0 && (j == 0 || j == nf - 1) ? 0.5 : 1.0) / (double)m;
    double *det = sol__malloc(n * sizeof *det);
    if (det == NULL)
        return SOL_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (i + shift < nf - 1 || i + shift >= n) {
            det[i] = NAN;
            continue;
        }
        double z = 0;
        for (size_t j = 0; j < nf; j++)
            z += w[j] * f->y[i + shift - j];
        det[i] = mult ? f->y[i] / z : f->y[i] - z;
    }
    double fig[SOL_ETS_MAX_SEASON];
    for (size_t s = 0; s < m; s++) {
        long double acc = 0;
        size_t cnt = 0;
        /* R's mean(na.rm = TRUE): long double sum, then a correction pass */
        for (size_t i = s; i < n; i += m)
            if (!isnan(det[i])) {
                acc += det[i];
                cnt++;
            }
        acc /= (long double)cnt;
        long double t = 0;
        for (size_t i = s; i < n; i += m)
            if (!isnan(det[i]))
                t += det[i] - acc;
        fig[s] = (double)(acc + t / (long double)cnt);
    }
    double mf = r_mean(fig, m);
    for (size_t s = 0; s < m; s++)
        fig[s] = mult ? fig[s] / mf : fig[s] - mf;
    for (size_t i = 0; i < n; i++)
        seas[i] = fig[i % m];
    sol__free(det);
    return SOL_OK;
}

/* Initial states (l, b, s0..s[m-2]) by ets()'s heuristic into x; nstate values. */
static sol_status init_states(const fitter *f, double *x)
{
    const size_t n = f->n;
    const int m = f->m;
    double *ysa = sol__malloc(n * sizeof *ysa), *seas = NULL;
    if (ysa == NULL)
        return SOL_ENOMEM;
    int j = 1 + (f->trend != NONE);
    if (f->season != NONE) {
        seas = sol__malloc(n * sizeof *seas);
        sol_status rc = seas ? seasonal_part(f, seas) : SOL_ENOMEM;
        if (rc != SOL_OK) {
            sol__free(ysa), sol__free(seas);
            return rc;
        }
        double init[SOL_ETS_MAX_SEASON];
        for (int k = 0; k < m - 1; k++)
            init[k] = seas[m - 1 - k];
        if (f->season == ADD) {
            for (size_t i = 0; i < n; i++)
                ysa[i] = f->y[i] - seas[i];
        } else {
            double sum = 0, sum2 = 0;
            for (int k = 0; k < m - 1; k++) {
                init[k] = init[k] > 1e-2 ? init[k] : 1e-2;
                sum += init[k];
            }
            if (sum > m) {
                for (int k = 0; k < m - 1; k++)
                    sum2 += init[k] + 1e-2;
                for (int k = 0; k < m - 1; k++)
                    init[k] /= sum2;
            }
            for (size_t i = 0; i < n; i++)
                ysa[i] = f->y[i] / (seas[i] > 1e-2 ? seas[i] : 1e-2);
        }
        for (int k = 0; k < m - 1; k++)
            x[j + k] = init[k];
    } else {
        for (size_t i = 0; i < n; i++)
            ysa[i] = f->y[i];
    }
    size_t ms = f->season != NONE ? (size_t)m : 1;
    size_t maxn = 2 * ms > 10 ? 2 * ms : 10;
    if (maxn > n)
        maxn = n;
    if (f->trend == NONE) {
        x[0] = r_mean(ysa, maxn);
    } else {
        /* least-squares line through (1..maxn, ysa) */
        double tbar = ((double)maxn + 1) / 2, ybar = r_mean(ysa, maxn), sxy = 0, sxx = 0;
        for (size_t i = 0; i < maxn; i++) {
            double dt = (double)(i + 1) - tbar;
            sxy += dt * (ysa[i] - ybar);
            sxx += dt * dt;
        }
        double b0 = sxy / sxx, l0 = ybar - b0 * tbar;
        if (fabs(l0 + b0) < 1e-8) {
            l0 = l0 * (1 + 1e-3);
            b0 = b0 * (1 - 1e-3);
        }
        x[0] = l0;
        x[1] = b0;
    }
    sol__free(ysa), sol__free(seas);
    return SOL_OK;
}

/* One fitted model: criteria, parameters, states. */
typedef struct fitted {
    int ok;
    double alpha, beta, gamma, phi;
    double x0[2 + SOL_ETS_MAX_SEASON], xn[2 + SOL_ETS_MAX_SEASON];
    double lik, aic, aicc, bic, sigma2;
    int np; /* parameters and free states (without sigma2) */
} fitted;

/* Starting values and initial states of one model as ets()'s etsmodel() into par; *np the
 * number of values optimised, 0 when the model cannot be fitted (more parameters and states
 * than n - 2, or a degenerate start). */
static sol_status fit_setup(fitter *f, double *par, int *np)
{
    double lower[4], upper[4];
    memcpy(lower, LOWER, sizeof lower);
    memcpy(upper, UPPER, sizeof upper);
    int j = 0;
    *np = 0;
    double alpha = lower[0] + 0.2 * (upper[0] - lower[0]) / f->m;
    if (alpha > 1 || alpha < 0)
        alpha = lower[0] + 2e-3;
    par[j++] = alpha;
    if (f->trend != NONE) {
        upper[1] = upper[1] < alpha ? upper[1] : alpha;
        double beta = lower[1] + 0.1 * (upper[1] - lower[1]);
        if (beta < 0 || beta > alpha)
            beta = alpha - 1e-3;
        par[j++] = beta;
    }
    if (f->season != NONE) {
        upper[2] = upper[2] < 1 - alpha ? upper[2] : 1 - alpha;
        double gamma = lower[2] + 0.05 * (upper[2] - lower[2]);
        if (gamma < 0 || gamma > 1 - alpha)
            gamma = 1 - alpha - 1e-3;
        par[j++] = gamma;
    }
    if (f->damped) {
        double phi = lower[3] + .99 * (upper[3] - lower[3]);
        if (phi < 0 || phi > 1)
            phi = upper[3] - 1e-3;
        par[j++] = phi;
    }
    f->nsm = j;
    f->nstate = 1 + (f->trend != NONE) + (f->season != NONE ? f->m - 1 : 0);
    if ((size_t)(f->nsm + f->nstate) + 1 >= f->n)
        return SOL_OK; /* not enough data (ets(): np >= length(y) - 1) */
    sol_status rc = init_states(f, par + j);
    if (rc == SOL_ENUMERIC)
        return SOL_OK;
    if (rc != SOL_OK)
        return rc;
    *np = f->nsm + f->nstate;
    return SOL_OK;
}

/* Criteria and states of the optimum par (np values); out->ok = 0 when not finite. e is
 * scratch of n values. */
static void fit_finish(const fitter *f, const double *par, int np, double *e, fitted *out)
{
    memset(out, 0, sizeof *out);
    unpack(f, par, &out->alpha, &out->beta, &out->gamma, &out->phi, out->x0);
    double lik = run_model(f, out->x0, out->alpha, out->beta, out->gamma, out->phi, e, out->xn);
    if (!isfinite(lik))
        return;
    double sse = 0;
    for (size_t i = 0; i < f->n; i++)
        sse += e[i] * e[i];
    double k = np + 1, ny = (double)f->n;
    out->lik = lik;
    out->aic = lik + 2 * k;
    out->bic = lik + log(ny) * k;
    out->aicc = out->aic + 2 * k * (k + 1) / (ny - k - 1);
    out->sigma2 = sse / (ny - np);
    out->np = np;
    out->ok = !isnan(out->aicc);
    if (!f->damped)
        out->phi = 1;
}

/* ---- forecasts --------------------------------------------------------------------------- */

/* Means and variances for additive (class 1) or multiplicative error with additive trend and
 * season (class 2), as forecast.ets. Its state noise vector puts gamma on the third state
 * whatever the model, which we follow to give the same intervals. */
static sol_status class12(const sol_ets_result *r, const double *x, size_t h, double *mu,
                          double *var)
{
    const int T = comp(r->model.trend), S = comp(r->model.season), m = (int)r->m;
    const int p = 1 + (T != NONE) + (S != NONE ? m : 0);
    const double phi = r->model.damped ? r->phi : 1.0;
    double F[(2 + SOL_ETS_MAX_SEASON) * (2 + SOL_ETS_MAX_SEASON)] = {0};
    double Hr[2 + SOL_ETS_MAX_SEASON] = {0}, G[2 + SOL_ETS_MAX_SEASON] = {0},
                  tmp[2 + SOL_ETS_MAX_SEASON];
    Hr[0] = 1;
    if (S != NONE)
        Hr[p - 1] = 1;
    F[0] = 1;
    if (T != NONE) {
        Hr[1] = phi;
        F[0 * p + 1] = F[1 * p + 1] = phi;
    }
    if (S != NONE) {
        F[(p - m) * p + (p - 1)] = 1;
        for (int i = 0; i < m - 1; i++)
            F[(p - m + 1 + i) * p + (p - m + i)] = 1;
    }
    G[0] = r->alpha;
    if (T != NONE)
        G[1] = r->beta;
    if (S != NONE)
        G[2] = r->gamma;
    double *cj = sol__malloc((h ? h : 1) * sizeof *cj);
    if (cj == NULL)
        return SOL_ENOMEM;
    /* hf = H F^j, advanced one step at a time */
    double hf[2 + SOL_ETS_MAX_SEASON];
    memcpy(hf, Hr, (size_t)p * sizeof *hf);
    for (size_t i = 0; i < h; i++) {
        double a = 0, c = 0;
        for (int k = 0; k < p; k++) {
            a += hf[k] * x[k];
            c += hf[k] * G[k];
        }
        mu[i] = a;
        cj[i] = c;
        for (int col = 0; col < p; col++) {
            double s = 0;
            for (int k = 0; k < p; k++)
                s += hf[k] * F[k * p + col];
            tmp[col] = s;
        }
        memcpy(hf, tmp, (size_t)p * sizeof *hf);
    }
    double s2 = r->sigma2;
    if (r->model.error == 'A') {
        double acc = 0;
        var[0] = s2;
        for (size_t i = 1; i < h; i++) {
            acc += cj[i - 1] * cj[i - 1];
            var[i] = s2 * (1 + acc);
        }
    } else {
        double *theta = sol__malloc((h ? h : 1) * sizeof *theta);
        if (theta == NULL) {
            sol__free(cj);
            return SOL_ENOMEM;
        }
        for (size_t j = 0; j < h; j++) {
            double s = 0;
            for (size_t k = 0; k < j; k++)
                s += cj[k] * cj[k] * theta[j - 1 - k];
            theta[j] = mu[j] * mu[j] + (j ? s2 * s : 0);
            var[j] = (1 + s2) * theta[j] - mu[j] * mu[j];
        }
        sol__free(theta);
    }
    sol__free(cj);
    return SOL_OK;
}

/* Small dense matrices, row-major. */
static void kron(const double *A, int ar, int ac, const double *B, int br, int bc, double *out)
{
    int oc = ac * bc;
    for (int i = 0; i < ar; i++)
        for (int j = 0; j < ac; j++)
            for (int k = 0; k < br; k++)
                for (int l = 0; l < bc; l++)
                    out[(i * br + k) * oc + j * bc + l] = A[i * ac + j] * B[k * bc + l];
}

/* out = A (r x k) B (k x c), or A B' when bt (B then c x k). out must not alias A or B. */
static void mmul(const double *A, const double *B, int r, int k, int c, int bt, double *out)
{
    for (int i = 0; i < r; i++)
        for (int j = 0; j < c; j++) {
            double s = 0;
            for (int l = 0; l < k; l++)
                s += A[i * k + l] * (bt ? B[j * k + l] : B[l * c + j]);
            out[i * c + j] = s;
        }
}

/* Means and variances for multiplicative error and season (class 3), as forecast.ets. */
static sol_status class3(const sol_ets_result *r, const double *x, size_t h, double *mu,
                         double *var)
{
    const int q = r->model.trend == 'A' ? 2 : 1, m = (int)r->m, d = q * m;
    const double s2 = r->sigma2, phi = r->model.damped ? r->phi : 1.0;
    double F1[4], G1[4], F2[SOL_ETS_MAX_SEASON * SOL_ETS_MAX_SEASON] = {0},
                                                 G2[SOL_ETS_MAX_SEASON * SOL_ETS_MAX_SEASON] = {0};
    if (q == 1) {
        F1[0] = 1;
        G1[0] = r->alpha;
    } else {
        F1[0] = 1, F1[1] = 1, F1[2] = 0, F1[3] = phi;
        G1[0] = r->alpha, G1[1] = r->alpha, G1[2] = r->beta, G1[3] = r->beta;
    }
    F2[0 * m + (m - 1)] = 1;
    for (int i = 1; i < m; i++)
        F2[i * m + (i - 1)] = 1;
    G2[0 * m + (m - 1)] = r->gamma;
    size_t dd = (size_t)d * (size_t)d;
    double *buf = sol__calloc(9 * dd + 4 * (size_t)d, sizeof *buf);
    if (buf == NULL)
        return SOL_ENOMEM;
    double *F21 = buf, *G21 = F21 + dd, *K = G21 + dd, *Vh = K + dd, *A = Vh + dd, *Bm = A + dd,
           *Nv = Bm + dd, *T1 = Nv + dd, *T2 = T1 + dd, *H21 = T2 + dd, *vec = H21 + d,
           *Mh = vec + d, *Mn = Mh + d;
    kron(F2, m, m, F1, q, q, F21);
    kron(G2, m, m, G1, q, q, G21);
    kron(G2, m, m, F1, q, q, K);
    kron(F2, m, m, G1, q, q, T1);
    for (size_t i = 0; i < dd; i++)
        K[i] += T1[i];
    for (int j = 0; j < m; j++)
        for (int i = 0; i < q; i++)
            H21[j * q + i] = j == m - 1 ? 1.0 : 0.0;
    /* Mh (q x m) = level/trend column times season row */
    for (int i = 0; i < q; i++)
        for (int j = 0; j < m; j++)
            Mh[i * m + j] = x[i] * x[q + j];
    for (size_t t = 0; t < h; t++) {
        double mt = 0;
        for (int i = 0; i < q; i++)
            mt += Mh[i * m + (m - 1)];
        mu[t] = mt;
        double hv = 0;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                hv += H21[i] * Vh[i * d + j] * H21[j];
        var[t] = (1 + s2) * hv + s2 * mt * mt;
        for (int j = 0; j < m; j++) /* vec(Mh), column-major */
            for (int i = 0; i < q; i++)
                vec[j * q + i] = Mh[i * m + j];
        /* Nv = F21 Vh F21' + s2 (F21 Vh G21' + G21 Vh F21' + K (Vh + vv') K'
         *      + s2 G21 (3 Vh + 2 vv') G21') */
        mmul(F21, Vh, d, d, d, 0, T1);
        mmul(T1, F21, d, d, d, 1, Nv);
        mmul(T1, G21, d, d, d, 1, A);
        mmul(G21, Vh, d, d, d, 0, T1);
        mmul(T1, F21, d, d, d, 1, Bm);
        for (size_t i = 0; i < dd; i++)
            A[i] += Bm[i];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                T2[i * d + j] = Vh[i * d + j] + vec[i] * vec[j];
        mmul(K, T2, d, d, d, 0, T1);
        mmul(T1, K, d, d, d, 1, Bm);
        for (size_t i = 0; i < dd; i++)
            A[i] += Bm[i];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                T2[i * d + j] = 3 * Vh[i * d + j] + 2 * (vec[i] * vec[j]);
        mmul(G21, T2, d, d, d, 0, T1);
        mmul(T1, G21, d, d, d, 1, Bm);
        for (size_t i = 0; i < dd; i++)
            Vh[i] = Nv[i] + s2 * (A[i] + s2 * Bm[i]);
        /* Mh = F1 Mh F2' + G1 Mh G2' s2 */
        double t1[2 * SOL_ETS_MAX_SEASON], t2[2 * SOL_ETS_MAX_SEASON];
        mmul(F1, Mh, q, q, m, 0, t1);
        mmul(t1, F2, q, m, m, 1, Mn);
        mmul(G1, Mh, q, q, m, 0, t1);
        mmul(t1, G2, q, m, m, 1, t2);
        for (int i = 0; i < q * m; i++)
            Mh[i] = Mn[i] + t2[i] * s2;
    }
    sol__free(buf);
    return SOL_OK;
}

static sol_status forecast(sol_ets_result *r, const double *xn, sol_error *err)
{
    size_t h = r->h;
    double *blk = sol__malloc(6 * h * sizeof *blk);
    if (blk == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    double *var = blk + 5 * h;
    r->mean = blk, r->lo80 = blk + h, r->hi80 = blk + 2 * h, r->lo95 = blk + 3 * h,
    r->hi95 = blk + 4 * h;
    sol_status rc = r->model.error == 'M' && r->model.season == 'M'
                        ? class3(r, xn, h, r->mean, var)
                        : class12(r, xn, h, r->mean, var);
    if (rc != SOL_OK)
        return sol__err(err, rc, "out of memory");
    const double z80 = fabs(gsl_cdf_ugaussian_Pinv(0.1)), z95 = fabs(gsl_cdf_ugaussian_Pinv(0.025));
    for (size_t i = 0; i < h; i++) {
        double sd = var[i] >= 0 ? sqrt(var[i]) : NAN;
        r->lo80[i] = r->mean[i] - sd * z80;
        r->hi80[i] = r->mean[i] + sd * z80;
        r->lo95[i] = r->mean[i] - sd * z95;
        r->hi95[i] = r->mean[i] + sd * z95;
    }
    return SOL_OK;
}

void sol_ets_result_clear(sol_ets_result *r)
{
    if (r == NULL)
        return;
    sol__free(r->mean);
    memset(r, 0, sizeof *r);
}

/* Parameters ets() counts to decide whether a series is too short (npars + 4 values or fewer:
 * it then falls back to a Holt-Winters fit without likelihood, which we do not do). */
static size_t short_limit(const sol_ets_model *want, int m)
{
    size_t np = 2;
    if (want != NULL) {
        if (want->trend != 'N')
            np += 2;
        if (want->season != 'N')
            np += (size_t)m;
        np += (size_t)want->damped;
    }
    return np + 4;
}

/* One series of a batch: what prepare() learnt of it, and the best model so far. */
typedef struct job {
    const sol_ts *ts;
    sol_ets_result *out;
    sol_error *err;
    sol_status st;
    const double *y;
    size_t n, first;
    double *filled; /* annual gaps filled (owned) */
    int freq, positive, seasonal_ok;
    fitted best;
    double best_ic;
    sol_ets_model best_model;
} job;

/* Checks and gap handling before any fit; SOL_OK or the series' error in j->err. */
static sol_status prepare(job *j, const sol_ets_opts *o)
{
    const sol_ts *ts = j->ts;
    sol_ets_result *out = j->out;
    sol_error *err = j->err;
    memset(out, 0, sizeof *out);
    j->best.ok = 0;
    j->best_ic = INFINITY;
    const char *name = SOL__TS_NAME(ts);
    if (o->horizon < 1 || o->horizon > SOL_MAX_TS_HORIZON)
        return sol__err(err, SOL_EINVAL, "forecast horizon %zu: expected 1 to %u", o->horizon,
                        SOL_MAX_TS_HORIZON);
    int freq = sol_ts_frequency(ts->freq);
    if (freq < 1)
        freq = 1;
    j->freq = freq;
    /* annual series: gaps filled by linear interpolation, as forecast::na.interp; others: the
     * last stretch without gaps */
    size_t end = ts->n, first = end;
    double *filled = NULL;
    if (freq == 1 && ts->n_missing > 0 && ts->n > 0) {
        filled = sol__malloc(ts->n * sizeof *filled);
        j->filled = filled;
        if (filled == NULL)
            return sol__err(err, SOL_ENOMEM, "out of memory");
        size_t a = 0; /* last observed index seen (y[0] is observed) */
        for (size_t i = 0; i < ts->n; i++) {
            filled[i] = ts->y[i];
            if (!isnan(ts->y[i])) {
                a = i;
                continue;
            }
            size_t b = i + 1;
            while (b < ts->n && isnan(ts->y[b]))
                b++;
            double ya = ts->y[a], yb = b < ts->n ? ts->y[b] : ya;
            filled[i] = b < ts->n
                            ? ya + (yb - ya) * (((double)i - (double)a) / ((double)b - (double)a))
                            : ya;
        }
        out->interpolated = ts->n_missing;
        first = 0;
    } else {
        while (first > 0 && !isnan(ts->y[first - 1]))
            first--;
    }
    const double *y = filled ? filled : ts->y + first;
    size_t n = end - first;
    j->y = y;
    j->n = n;
    j->first = first;
    const sol_ets_model *want = o->model;
    char mname[24] = "automatic choice";
    if (want)
        sol_ets_model_name(want, mname);
    size_t lim = short_limit(want, freq);
    if (n <= lim && want && ts->n_missing && !filled)
        return sol__err(err, SOL_EINVAL,
                        sol_ngettext("series '%s': %zu consecutive value after its last gap; %s "
                                     "needs at least %zu (ets() gives a model with p parameters "
                                     "and states p + 5 values)",
                                     "series '%s': %zu consecutive values after its last gap; %s "
                                     "needs at least %zu (ets() gives a model with p parameters "
                                     "and states p + 5 values)",
                                     n),
                        name, n, mname, lim + 1);
    if (n <= lim && want)
        return sol__err(err, SOL_EINVAL,
                        sol_ngettext("series '%s': %zu consecutive value; %s needs at least %zu "
                                     "(ets() gives a model with p parameters and states p + 5 "
                                     "values)",
                                     "series '%s': %zu consecutive values; %s needs at least %zu "
                                     "(ets() gives a model with p parameters and states p + 5 "
                                     "values)",
                                     n),
                        name, n, mname, lim + 1);
    if (n <= lim && ts->n_missing && !filled)
        return sol__err(err, SOL_EINVAL,
                        sol_ngettext("series '%s': %zu consecutive value after its last gap; "
                                     "automatic choice needs at least %zu (ets() gives a model "
                                     "with p parameters and states p + 5 values)",
                                     "series '%s': %zu consecutive values after its last gap; "
                                     "automatic choice needs at least %zu (ets() gives a model "
                                     "with p parameters and states p + 5 values)",
                                     n),
                        name, n, lim + 1);
    if (n <= lim)
        return sol__err(err, SOL_EINVAL,
                        sol_ngettext("series '%s': %zu consecutive value; automatic choice needs "
                                     "at least %zu (ets() gives a model with p parameters and "
                                     "states p + 5 values)",
                                     "series '%s': %zu consecutive values; automatic choice needs "
                                     "at least %zu (ets() gives a model with p parameters and "
                                     "states p + 5 values)",
                                     n),
                        name, n, lim + 1);
    double ymin = y[0], ymax = y[0];
    for (size_t i = 1; i < n; i++) {
        ymin = y[i] < ymin ? y[i] : ymin;
        ymax = y[i] > ymax ? y[i] : ymax;
    }
    if (ymin == ymax)
        return sol__err(err, SOL_EINVAL,
                        "series '%s' is constant (%.15g): nothing to fit; its forecast is that "
                        "value",
                        name, ymin);
    j->positive = ymin > 0;
    if (want && want->error == 'M' && !j->positive)
        return sol__err(err, SOL_EINVAL,
                        "series '%s' has values <= 0 (lowest %.15g): %s has multiplicative "
                        "errors and needs positive data; choose a model with additive error "
                        "(A..)",
                        name, ymin, mname);
    if (want && want->season != 'N' && (freq <= 1 || n <= (size_t)freq))
        return sol__err(err, SOL_EINVAL,
                        freq <= 1 ? "series '%s' is annual: %s is seasonal; choose a model "
                                    "ending in N"
                                  : "series '%s' has no more values than seasons in a year: %s "
                                    "needs more than %d",
                        name, mname, freq);
    j->seasonal_ok = freq > 1 && n > (size_t)freq && freq <= SOL_ETS_MAX_SEASON;
    return SOL_OK;
}

/* Is model md tried on job j (R's loop and its rules)? Notes what is left out. */
static int eligible(job *j, const sol_ets_model *md, const sol_ets_model *want)
{
    if (want)
        return md->error == want->error && md->trend == want->trend && md->season == want->season &&
               md->damped == want->damped;
    if (md->trend == 'N' && md->damped)
        return 0;
    if (md->error == 'A' && md->season == 'M')
        return 0;
    if (md->error == 'M' && !j->positive) {
        j->out->left_out |= SOL_ETS_LEFT_MULT;
        return 0;
    }
    if (md->season != 'N' && !j->seasonal_ok) {
        j->out->left_out |= SOL_ETS_LEFT_SEASON;
        return 0;
    }
    return 1;
}

/* After every model: the best one's result and forecasts. */
static sol_status conclude(job *j, const sol_ets_opts *o)
{
    sol_ets_result *out = j->out;
    const char *name = SOL__TS_NAME(j->ts);
    char mname[24] = "automatic choice";
    if (o->model)
        sol_ets_model_name(o->model, mname);
    if ((!j->best.ok || !isfinite(j->best_ic)) && o->model)
        return sol__err(j->err, SOL_ENUMERIC,
                        "series '%s': %s: no model could be fitted (too many parameters for the "
                        "series, or no admissible start)",
                        name, mname);
    if (!j->best.ok || !isfinite(j->best_ic))
        return sol__err(j->err, SOL_ENUMERIC,
                        "series '%s': automatic choice: no model could be fitted", name);
    const fitted *best = &j->best;
    sol_ets_model bm = j->best_model;
    out->model = bm;
    sol_ets_model_name(&bm, out->name);
    out->m = bm.season != 'N' ? (size_t)j->freq : 1;
    out->n = j->n;
    out->first = j->first;
    out->alpha = best->alpha;
    out->beta = bm.trend != 'N' ? best->beta : NAN;
    out->gamma = bm.season != 'N' ? best->gamma : NAN;
    out->phi = bm.damped ? best->phi : NAN;
    out->nstate = 1 + (bm.trend != 'N') + (bm.season != 'N' ? out->m : 0);
    memcpy(out->init, best->x0, out->nstate * sizeof *out->init);
    out->sigma2 = best->sigma2;
    out->loglik = -0.5 * best->lik;
    out->aic = best->aic;
    out->aicc = best->aicc;
    out->bic = best->bic;
    out->npar = (size_t)best->np + 1;
    out->h = o->horizon;
    sol_status rc = forecast(out, best->xn, j->err);
    if (rc != SOL_OK)
        sol_ets_result_clear(out);
    return rc;
}

/* ---- fitting many series at once ---------------------------------------------------------- */

#define LANES 4
typedef double v4d __attribute__((vector_size(8 * LANES)));
typedef long long v4l __attribute__((vector_size(8 * LANES)));

/* lane-wise mask ? a : b, and |a| (macros: vector values are not passed to functions) */
#define VSEL(mask, a, b) ((v4d)(((v4l)(a) & (mask)) | ((v4l)(b) & ~(mask))))
#define VABS(a)          ((v4d)((v4l)(a)&signmask))

/* One evaluation of the same model form over LANES series of the same length at once: the
 * recursion of run_body, element by element, so each lane gives the very same value as
 * run_model (IEEE operations, no contraction). */
static inline __attribute__((always_inline)) void
run_lanes_body(const fitter *f, const double *const *ys, const double (*x0)[MAXPAR + 1],
               const double *al, const double *be, const double *ga, const double *ph, double *lik,
               const int E, const int T, const int S)
{
    const int m = f->m;
    const size_t n = f->n;
    v4d l = {0, 0, 0, 0}, b = {0, 0, 0, 0}, alpha = {0, 0, 0, 0}, ba = {0, 0, 0, 0};
    v4d gamma = {0, 0, 0, 0}, phi = {0, 0, 0, 0};
    v4d ring[SOL_ETS_MAX_SEASON];
    for (int q = 0; q < LANES; q++) {
        l[q] = x0[q][0];
        if (T != NONE)
            b[q] = x0[q][1];
        alpha[q] = al[q];
        ba[q] = be[q] / al[q];
        gamma[q] = ga[q];
        phi[q] = ph[q];
        if (S != NONE)
            for (int i = 0; i < m; i++)
                ring[i][q] = x0[q][(T != NONE) + 1 + (m - 1 - i)];
    }
    const v4d tiny = {TINY, TINY, TINY, TINY}, hugev = {HUGEV, HUGEV, HUGEV, HUGEV};
    const long long nsb = LLONG_MAX; /* all bits but the sign */
    const v4l signmask = {nsb, nsb, nsb, nsb};
    const v4d hi = {1e200, 1e200, 1e200, 1e200}, lo = {1e-200, 1e-200, 1e-200, 1e-200};
    v4d sse = {0, 0, 0, 0}, prod = {1, 1, 1, 1};
    long pexp[LANES] = {0};
    int k = 0;
    for (size_t t = 0; t < n; t++) {
        v4d y = {ys[0][t], ys[1][t], ys[2][t], ys[3][t]};
        v4d oldl = l, phib, q;
        if (T == NONE) {
            q = oldl;
            phib = (v4d){0, 0, 0, 0};
        } else {
            phib = phi * b;
            q = oldl + phib;
        }
        v4d old = S != NONE ? ring[k] : (v4d){0, 0, 0, 0};
        v4d fc = q;
        if (S == ADD)
            fc = fc + old;
        else if (S == MULT)
            fc = fc * old;
        v4d et = E == ADD ? y - fc : (y - fc) / fc;
        v4d p;
        if (S == NONE)
            p = y;
        else if (S == ADD)
            p = y - old;
        else
            p = VSEL(VABS(old) < tiny, hugev, y / old);
        l = q + alpha * (p - q);
        if (T != NONE) {
            v4d r = l - oldl;
            b = phib + ba * (r - phib);
        }
        if (S != NONE) {
            v4d tt;
            if (S == ADD)
                tt = y - q;
            else
                tt = VSEL(VABS(q) < tiny, hugev, y / q);
            ring[k] = old + gamma * (tt - old);
            k = k + 1 == m ? 0 : k + 1;
        }
        sse = sse + et * et;
        if (E == MULT) {
            prod *= VABS(fc);
            v4l ok = (prod < hi) & (prod > lo);
            if (!(ok[0] & ok[1] & ok[2] & ok[3])) {
                for (int qq = 0; qq < LANES; qq++) {
                    double pr = prod[qq];
                    if (!(pr < 1e200 && pr > 1e-200) && isfinite(pr) && pr != 0) {
                        int ex;
                        prod[qq] = frexp(pr, &ex);
                        pexp[qq] += ex;
                    }
                }
            }
        }
    }
    for (int q = 0; q < LANES; q++) {
        double v = (double)n * log(sse[q]);
        if (E == MULT)
            v += 2 * (log(prod[q]) + (double)pexp[q] * 0.69314718055994530942);
        lik[q] = v;
    }
}

#define LANES_CASE(E, T, S)                                                                        \
    case (E)*9 + (T)*3 + (S):                                                                      \
        run_lanes_body(f, ys, x0, al, be, ga, ph, lik, E, T, S);                                   \
        return

#define LANES_SWITCH                                                                               \
    switch (f->err * 9 + f->trend * 3 + f->season) {                                               \
        LANES_CASE(ADD, NONE, NONE);                                                               \
        LANES_CASE(ADD, NONE, ADD);                                                                \
        LANES_CASE(ADD, ADD, NONE);                                                                \
        LANES_CASE(ADD, ADD, ADD);                                                                 \
        LANES_CASE(MULT, NONE, NONE);                                                              \
        LANES_CASE(MULT, NONE, ADD);                                                               \
        LANES_CASE(MULT, NONE, MULT);                                                              \
        LANES_CASE(MULT, ADD, NONE);                                                               \
        LANES_CASE(MULT, ADD, ADD);                                                                \
        LANES_CASE(MULT, ADD, MULT);                                                               \
    default:                                                                                       \
        for (int q = 0; q < LANES; q++)                                                            \
            lik[q] = NAN;                                                                          \
    }

static void run_lanes_generic(const fitter *f, const double *const *ys,
                              const double (*x0)[MAXPAR + 1], const double *al, const double *be,
                              const double *ga, const double *ph, double *lik)
{
    LANES_SWITCH
}

#if defined(__x86_64__) && defined(__GNUC__)
/* The same compiled for AVX2 (one register per 4 lanes); chosen at run time. No FMA: every
 * operation stays the rounded IEEE one, so the values are those of the generic version. */
__attribute__((target("avx2"))) static void
run_lanes_avx2(const fitter *f, const double *const *ys, const double (*x0)[MAXPAR + 1],
               const double *al, const double *be, const double *ga, const double *ph, double *lik)
{
    LANES_SWITCH
}
#endif

static void run_lanes(const fitter *f, const double *const *ys, const double (*x0)[MAXPAR + 1],
                      const double *al, const double *be, const double *ga, const double *ph,
                      double *lik)
{
#if defined(__x86_64__) && defined(__GNUC__)
    if (__builtin_cpu_supports("avx2")) {
        run_lanes_avx2(f, ys, x0, al, be, ga, ph, lik);
        return;
    }
#endif
    run_lanes_generic(f, ys, x0, al, be, ga, ph, lik);
}

/* A lane: one series' fit in progress. */
typedef struct lane {
    job *j; /* NULL: free */
    fitter f;
    int np, pending;
    double alpha, beta, gamma, phi, x0[MAXPAR + 1];
    nm_state nm;
} lane;

/* The point the lane's optimiser asks for: +Inf at once when out of bounds (fed, and the next
 * asked), else the lane waits for a pass over its series. Returns 0 when the fit is over. */
static int lane_ask(lane *ln)
{
    for (;;) {
        const fitter *f = &ln->f;
        unpack(f, ln->nm.B, &ln->alpha, &ln->beta, &ln->gamma, &ln->phi, ln->x0);
        int ok = params_ok(f, ln->alpha, ln->beta, ln->gamma, ln->phi);
        if (ok && f->season == MULT)
            for (int i = 1 + (f->trend != NONE); i <= f->nstate; i++)
                if (ln->x0[i] < 0)
                    ok = 0;
        if (ok) {
            ln->pending = 1;
            return 1;
        }
        if (!nm_feed(&ln->nm, INFINITY))
            return 0;
    }
}

/* The lane's fit is over: criteria, and the series' best model so far. */
static sol_status lane_done(lane *ln, const sol_ets_model *md, double *e)
{
    job *j = ln->j;
    ln->j = NULL;
    ln->pending = 0;
    if (ln->nm.fail < 0)
        return SOL_OK;
    fitted cur;
    fit_finish(&ln->f, ln->nm.x, ln->np, e, &cur);
    if (!cur.ok)
        return SOL_OK;
    j->out->fitted++;
    if (cur.aicc < j->best_ic) {
        j->best = cur;
        j->best_ic = cur.aicc;
        j->best_model = *md;
    }
    return SOL_OK;
}

static int job_cmp_n(const void *pa, const void *pb)
{
    const job *a = *(job *const *)pa, *b = *(job *const *)pb;
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* Fit model md to the jobs q[0..nq) (each ready for it), LANES series at a time. */
static sol_status fit_many(job **q, size_t nq, const sol_ets_model *md, const sol_ets_model *want,
                           lane *lanes, double *e)
{
    size_t next = 0;
    for (;;) {
        /* fill free lanes */
        for (int i = 0; i < LANES; i++) {
            lane *ln = &lanes[i];
            while (ln->j == NULL && next < nq) {
                job *j = q[next++];
                ln->f = (fitter){j->y,
                                 j->n,
                                 comp(md->error),
                                 comp(md->trend),
                                 comp(md->season),
                                 md->damped,
                                 md->season != 'N' ? j->freq : 1,
                                 0,
                                 0};
                j->out->tried++;
                double par[MAXPAR];
                int np = 0;
                sol_status rc = fit_setup(&ln->f, par, &np);
                if (rc != SOL_OK) {
                    j->st = sol__err(j->err, rc, "series '%s': out of memory", SOL__TS_NAME(j->ts));
                    continue;
                }
                if (np == 0) {
                    if (!want)
                        j->out->left_out |= SOL_ETS_LEFT_TOO_MANY;
                    continue;
                }
                ln->j = j;
                ln->np = np;
                nm_start(&ln->nm, np, par, sqrt(2.220446049250313e-16), 2000);
                if (!lane_ask(ln))
                    lane_done(ln, md, e);
            }
        }
        int any = 0;
        for (int i = 0; i < LANES; i++)
            any |= lanes[i].pending;
        if (!any) {
            if (next >= nq)
                return SOL_OK;
            continue;
        }
        /* one pass over the series of the waiting lanes, grouped by length */
        int todo[LANES], nt = 0;
        for (int i = 0; i < LANES; i++)
            if (lanes[i].pending)
                todo[nt++] = i;
        while (nt > 0) {
            size_t n0 = lanes[todo[0]].f.n;
            int grp[LANES] = {0}, ng = 0, rest = 0;
            for (int t = 0; t < nt; t++) {
                if (lanes[todo[t]].f.n == n0)
                    grp[ng++] = todo[t];
                else
                    todo[rest++] = todo[t];
            }
            nt = rest;
            double lik[LANES];
            if (ng == 1) {
                lane *ln = &lanes[grp[0]];
                lik[0] =
                    run_model(&ln->f, ln->x0, ln->alpha, ln->beta, ln->gamma, ln->phi, NULL, NULL);
            } else {
                const double *ys[LANES];
                double x0[LANES][MAXPAR + 1], al[LANES], be[LANES], ga[LANES], ph[LANES];
                for (int t = 0; t < LANES; t++) {
                    lane *ln = &lanes[grp[t < ng ? t : 0]];
                    ys[t] = ln->f.y;
                    memcpy(x0[t], ln->x0, sizeof x0[t]);
                    al[t] = ln->alpha, be[t] = ln->beta, ga[t] = ln->gamma, ph[t] = ln->phi;
                }
                run_lanes(&lanes[grp[0]].f, ys, (const double(*)[MAXPAR + 1]) x0, al, be, ga, ph,
                          lik);
            }
            for (int t = 0; t < ng; t++) {
                lane *ln = &lanes[grp[t]];
                double v = lik[t];
                if (v < -1e10)
                    v = -1e10;
                if (isnan(v))
                    v = INFINITY;
                ln->pending = 0;
                if (!nm_feed(&ln->nm, v) || !lane_ask(ln))
                    lane_done(ln, md, e);
            }
        }
    }
}

void sol_ts_ets_batch(const sol_ts *ts, size_t count, const sol_ets_opts *o, sol_ets_result *out,
                      sol_status *st, sol_error *errs)
{
    static const char errc[] = "AM", trends[] = "NA", seasons[] = "NAM";
    job *jobs = sol__calloc(count ? count : 1, sizeof *jobs);
    job **q = sol__malloc((count ? count : 1) * sizeof *q);
    lane *lanes = sol__calloc(LANES, sizeof *lanes);
    size_t maxn = 1;
    for (size_t i = 0; i < count; i++)
        maxn = ts[i].n > maxn ? ts[i].n : maxn;
    double *e = sol__malloc(maxn * sizeof *e);
    if (jobs == NULL || q == NULL || lanes == NULL || e == NULL) {
        for (size_t i = 0; i < count; i++) {
            memset(&out[i], 0, sizeof out[i]);
            st[i] = sol__err(&errs[i], SOL_ENOMEM, "out of memory");
        }
        goto done;
    }
    for (size_t i = 0; i < count; i++) {
        jobs[i].ts = &ts[i];
        jobs[i].out = &out[i];
        jobs[i].err = &errs[i];
        jobs[i].st = prepare(&jobs[i], o);
    }
    /* R's order of models: error, trend, season, damped first */
    for (int ie = 0; ie < 2; ie++)
        for (int it = 0; it < 2; it++)
            for (int is = 0; is < 3; is++)
                for (int id = 1; id >= 0; id--) {
                    sol_ets_model md = {errc[ie], trends[it], seasons[is], id};
                    size_t nq = 0;
                    for (size_t i = 0; i < count; i++)
                        if (jobs[i].st == SOL_OK && eligible(&jobs[i], &md, o->model))
                            q[nq++] = &jobs[i];
                    if (nq == 0)
                        continue;
                    qsort(q, nq, sizeof *q, job_cmp_n);
                    fit_many(q, nq, &md, o->model, lanes, e);
                }
    for (size_t i = 0; i < count; i++) {
        if (jobs[i].st == SOL_OK)
            jobs[i].st = conclude(&jobs[i], o);
        st[i] = jobs[i].st;
        sol__free(jobs[i].filled);
    }
done:
    sol__free_n(4, jobs, q, lanes, e);
}

sol_status sol_ts_ets(const sol_ts *ts, const sol_ets_opts *o, sol_ets_result *out, sol_error *err)
{
    sol_status st;
    sol_error local;
    sol_ts_ets_batch(ts, 1, o, out, &st, err ? err : &local);
    return st;
}
