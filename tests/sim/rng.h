/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulator's only source of randomness: SplitMix64, seeded from the
 * run's seed, one independent stream per consumer (each link direction,
 * each application, the adversary), so that a change in how one of them
 * draws numbers does not reshuffle the others.
 */
#ifndef _XTCP_SIM_RNG_H
#define _XTCP_SIM_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct rng {
	uint64_t s;
};

static inline uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t rng_next(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return mix64(r->s);
}

/* A stream for consumer @id of the run @seed. */
static inline void rng_init(struct rng *r, uint64_t seed, uint64_t id)
{
	r->s = mix64(seed * 0x2545f4914f6cdd1dULL + id);
}

/* Uniform in [0, n); 0 when n is 0. */
static inline uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

/* Uniform in [lo, hi]. */
static inline uint32_t rng_range(struct rng *r, uint32_t lo, uint32_t hi)
{
	return lo + rng_below(r, hi - lo + 1);
}

/* True with probability ppm / 10^6. */
static inline bool rng_ppm(struct rng *r, uint32_t ppm)
{
	return rng_below(r, 1000000) < ppm;
}

#endif /* _XTCP_SIM_RNG_H */
