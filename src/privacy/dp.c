/* dp.c - differential privacy with exact integer sampling: a ChaCha20 random stream, Bernoulli
 * on rationals, Bernoulli(exp(-gamma)), discrete Laplace and discrete Gaussian (Canonne, Kamath &
 * Steinke 2020, "The Discrete Gaussian for Differential Privacy", Algorithms 1-3). No floats. */
#include <solidata/privacy.h>

#include "privacy_int.h"

#include <math.h>
#include <sodium.h>
#include <string.h>

#define RNG_BLOCKS 64 /* ChaCha20 blocks of 64 bytes generated at a time */

struct sol_rng {
    unsigned char key[crypto_stream_chacha20_KEYBYTES];
    uint64_t counter; /* next block */
    unsigned char buf[64 * RNG_BLOCKS];
    size_t pos;
};

sol_status sol_rng_new(const char *seed, sol_rng **out, sol_error *err)
{
    if (sodium_init() < 0)
        return sol__err(err, SOL_EIO, "libsodium failed to initialise");
    sol_rng *r = sol__calloc(1, sizeof *r);
    if (r == NULL)
        return sol__err(err, SOL_ENOMEM, "out of memory");
    if (seed)
        crypto_generichash(r->key, sizeof r->key, (const unsigned char *)seed, strlen(seed),
                           (const unsigned char *)"solidata-dp-v1", 14);
    else
        randombytes_buf(r->key, sizeof r->key);
    r->pos = sizeof r->buf;
    *out = r;
    return SOL_OK;
}

void sol_rng_free(sol_rng *r)
{
    if (r == NULL)
        return;
    sodium_memzero(r, sizeof *r);
    sol__free(r);
}

static uint64_t next64(sol_rng *r)
{
    if (r->pos + 8 > sizeof r->buf) {
        static const unsigned char nonce[crypto_stream_chacha20_NONCEBYTES];
        memset(r->buf, 0, sizeof r->buf);
        crypto_stream_chacha20_xor_ic(r->buf, r->buf, sizeof r->buf, nonce, r->counter, r->key);
        r->counter += RNG_BLOCKS;
        r->pos = 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | r->buf[r->pos + (size_t)i];
    r->pos += 8;
    return v;
}

uint64_t sol_rng_below(sol_rng *r, uint64_t n)
{
    uint64_t thresh = (0 - n) % n; /* 2^64 mod n: values below it would bias the modulo */
    for (;;) {
        uint64_t v = next64(r);
        if (v >= thresh)
            return v % n;
    }
}

sol__u128 sol__rng_below128(sol_rng *r, sol__u128 n)
{
    if (n >> 64 == 0)
        return sol_rng_below(r, (uint64_t)n);
    sol__u128 thresh = (0 - n) % n;
    for (;;) {
        sol__u128 v = ((sol__u128)next64(r) << 64) | next64(r);
        if (v >= thresh)
            return v % n;
    }
}

int sol__bern128(sol_rng *r, sol__u128 num, sol__u128 den)
{
    return sol__rng_below128(r, den) < num;
}

/* CKS Algorithm 1. gamma = num/den in [0, 1]: K counts successes of Bernoulli(gamma/k), k = 1,
 * 2, ...; P(K odd) = exp(-gamma). gamma > 1: exp(-1) floor(gamma) times, then the fraction. */
int sol__bern_exp128(sol_rng *r, sol__u128 num, sol__u128 den)
{
    if (num <= den) {
        sol__u128 k = 1;
        for (;;) {
            sol__u128 d = den * k;
            if (d / k != den) /* unreachable in practice: P(k > 2^30) < 1/(2^30)! */
                return 0;
            if (!sol__bern128(r, num, d))
                break;
            k++;
        }
        return (int)(k % 2);
    }
    for (sol__u128 i = num / den; i > 0; i--) {
        if (!sol__bern_exp128(r, 1, 1))
            return 0;
    }
    return sol__bern_exp128(r, num % den, den);
}

int sol_dp_bernoulli_exp(sol_rng *r, uint64_t num, uint64_t den)
{
    return sol__bern_exp128(r, num, den);
}

/* CKS Algorithm 2: P(Z = z) proportional to exp(-|z| s / t). */
int64_t sol_dp_discrete_laplace(sol_rng *r, uint64_t s, uint64_t t)
{
    for (;;) {
        uint64_t u = sol_rng_below(r, t);
        if (!sol__bern_exp128(r, u, t))
            continue;
        uint64_t v = 0;
        while (sol__bern_exp128(r, 1, 1))
            v++;
        sol__u128 x = (sol__u128)u + (sol__u128)t * v; /* geometric, parameter 1 - exp(-1/t) */
        sol__u128 y = x / s;
        int b = sol__bern128(r, 1, 2);
        if (b && y == 0)
            continue;
        if (y > (sol__u128)INT64_MAX) /* probability < exp(-2^62 / t): never */
            continue;
        return b ? -(int64_t)y : (int64_t)y;
    }
}

/* floor(sqrt(num/den)) */
static uint64_t isqrt_ratio(uint64_t num, uint64_t den)
{
    uint64_t lo = 0, hi = (uint64_t)sqrt((double)num / (double)den) + 2;
    while (lo < hi) { /* largest m with m^2 den <= num */
        uint64_t m = lo + (hi - lo + 1) / 2;
        if ((sol__u128)m * m * den <= num)
            lo = m;
        else
            hi = m - 1;
    }
    return lo;
}

/* CKS Algorithm 3: sigma^2 = num/den; t = floor(sigma) + 1; Y ~ Laplace_Z(t), accepted with
 * probability exp(-(|Y| - sigma^2/t)^2 / (2 sigma^2)). With sigma^2 = a/b:
 * gamma = (|Y| b t - a)^2 / (2 a b t^2), all in 128-bit integers. */
int64_t sol_dp_discrete_gaussian(sol_rng *r, uint64_t num, uint64_t den)
{
    uint64_t t = isqrt_ratio(num, den) + 1;
    sol__u128 bt = (sol__u128)den * t;
    for (;;) {
        int64_t y = sol_dp_discrete_laplace(r, 1, t);
        uint64_t ay = y < 0 ? (uint64_t)(-(y + 1)) + 1 : (uint64_t)y;
        sol__u128 p = (sol__u128)ay * bt;
        if (ay != 0 && (p / ay != bt || p >> 63 != 0))
            continue; /* |Y| beyond 2^63 / (b t): probability below exp(-2^40), see the header */
        sol__u128 diff = p >= num ? p - num : num - p;
        sol__u128 gnum = diff * diff;
        sol__u128 gden = (sol__u128)2 * num * den * t * t;
        if (sol__bern_exp128(r, gnum, gden))
            return y;
    }
}

sol_status sol_dp_parse_epsilon(const char *s, int64_t *nano, sol_error *err)
{
    int64_t ip = 0, fp = 0;
    int nd = 0, nf = 0, dot = 0;
    const char *p = s;
    for (; *p; p++) {
        if (*p == '.' && !dot) {
            dot = 1;
        } else if (*p >= '0' && *p <= '9') {
            if (dot) {
                if (++nf > 9)
                    goto bad;
                fp = fp * 10 + (*p - '0');
            } else {
                if (++nd > 6)
                    goto bad;
                ip = ip * 10 + (*p - '0');
            }
        } else {
            goto bad;
        }
    }
    if (nd + nf == 0)
        goto bad;
    for (; nf < 9; nf++)
        fp *= 10;
    *nano = ip * 1000000000LL + fp;
    if (*nano <= 0)
        goto bad;
    return SOL_OK;
bad:
    return sol__err(err, SOL_EINVAL,
                    "epsilon '%s' is not a positive decimal number below 1000000 with at most 9 "
                    "decimals (e.g. 0.5)",
                    s);
}

sol_status sol_dp_gaussian_sigma2(int64_t eps_nano, double delta, uint64_t *num, uint64_t *den,
                                  sol_error *err)
{
    if (eps_nano <= 0 || !(delta > 0 && delta < 1))
        return sol__err(err, SOL_EINVAL,
                        "the Gaussian mechanism needs epsilon > 0 and 0 < delta "
                        "< 1");
    double eps = (double)eps_nano / 1e9, l = log(1 / delta);
    double sr = sqrt(l + eps) - sqrt(l); /* sqrt(rho): rho + 2 sqrt(rho l) = eps */
    double rho = sr * sr;
    /* a little below the exact rho, so that rounding never gives less noise */
    double sigma2 = 1.0 / (2.0 * rho * (1 - 1e-9));
    if (!(sigma2 <= SOL_MAX_DP_SIGMA2))
        return sol__err(err, SOL_ELIMIT,
                        "epsilon %.9g with delta %g needs sigma^2 = %.4g, above the limit %u; use "
                        "a larger epsilon or delta",
                        eps, delta, sigma2, SOL_MAX_DP_SIGMA2);
    *den = 1000;
    *num = (uint64_t)ceil(sigma2 * 1000.0);
    if (*num == 0)
        *num = 1;
    return SOL_OK;
}
