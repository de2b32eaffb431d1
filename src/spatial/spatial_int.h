/* spatial_int.h - internals shared by the files of src/spatial: weights allocation, the islands
 * policy, and the counter-based RNG streams of the permutation tests. */
#ifndef SOL_SPATIAL_INT_H
#define SOL_SPATIAL_INT_H

#include <solidata/spatial.h>

#include <stdint.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#ifndef M_SQRT2
#define M_SQRT2 1.41421356237309504880
#endif

/* Weights for n areas with room for nnz entries; rowptr zeroed; ids copied when not NULL. */
sol_weights *sol__weights_alloc(size_t n, size_t nnz, const char *const *ids);
/* SOL_EGEO naming the islands when there are some and the policy is SOL_ISLANDS_ERROR. */
sol_status sol__weights_check_islands(const sol_weights *w, sol_islands pol, sol_error *err);
/* Tail probability of a standard normal z for the alternative (as R pnorm; NaN stays NaN). */
double sol__spatial_pnorm_alt(double z, sol_alternative alt);

/* ---- RNG streams: xoshiro256** seeded through splitmix64 from hash(seed, stream) ------------ */
typedef struct sol__rng {
    uint64_t s[4];
} sol__rng;

static inline uint64_t sol__splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Stream `stream` of `seed`: independent of which thread runs it. */
static inline void sol__rng_init(sol__rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed;
    uint64_t h = sol__splitmix64(&x) ^ (stream * 0xd1342543de82ef95u + 0x2545f4914f6cdd1du);
    for (int i = 0; i < 4; i++)
        r->s[i] = sol__splitmix64(&h);
}

static inline uint64_t sol__rng_next(sol__rng *r)
{
    uint64_t *s = r->s;
    uint64_t x = s[1] * 5;
    uint64_t res = ((x << 7) | (x >> 57)) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return res;
}

/* Uniform integer in [0, m), m >= 1, without modulo bias (rejection). */
static inline uint64_t sol__rng_below(sol__rng *r, uint64_t m)
{
    uint64_t lim = UINT64_MAX - UINT64_MAX % m;
    uint64_t v;
    do
        v = sol__rng_next(r);
    while (v >= lim);
    return v % m;
}

/* ---- the permutation tests' generator: wyrand (Wang Yi; passes BigCrush and PractRand), one
 * 64x64->128-bit multiply per output, a third of xoshiro256**'s work, one word of state. ---- */
typedef struct sol__wy {
    uint64_t s;
} sol__wy;

/* Stream `stream` of `seed`, as sol__rng_init: independent of which thread runs it. */
static inline void sol__wy_init(sol__wy *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed;
    uint64_t h = sol__splitmix64(&x) ^ (stream * 0xd1342543de82ef95u + 0x2545f4914f6cdd1du);
    r->s = sol__splitmix64(&h);
}

static inline uint64_t sol__wy_next(sol__wy *r)
{
    uint64_t a = r->s += 0xa0761d6478bd642fu, b = a ^ 0xe7037ed1a0b428dbu;
#ifdef __SIZEOF_INT128__
    __extension__ typedef unsigned __int128 u128;
    u128 t = (u128)a * b;
    return (uint64_t)(t >> 64) ^ (uint64_t)t;
#else /* the same product from 32-bit halves: the same streams everywhere */
    uint64_t al = a & 0xffffffffu, ah = a >> 32, bl = b & 0xffffffffu, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
    uint64_t lo = (mid << 32) | (ll & 0xffffffffu);
    uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    return hi ^ lo;
#endif
}

/* Uniform integer in [0, m), 1 <= m < 2^32, from the top 32 bits of one output: Lemire's
 * multiply-shift, whose rejection (and its one division) happens with probability below m / 2^32,
 * instead of a 64-bit modulo on every draw. */
static inline uint32_t sol__wy_below32(sol__wy *r, uint32_t m)
{
    uint64_t x = (sol__wy_next(r) >> 32) * m;
    if ((uint32_t)x < m) {
        uint32_t t = (uint32_t)(-m) % m;
        while ((uint32_t)x < t)
            x = (sol__wy_next(r) >> 32) * m;
    }
    return (uint32_t)(x >> 32);
}

#endif
