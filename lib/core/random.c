/*
 * MT19937 with numpy's legacy RandomState draws (numpy 1.24, mtrand).
 *
 * Written from the published algorithms: Matsumoto & Nishimura's MT19937
 * with its init_genrand seeding (what `np.random.seed(int)` uses), and the
 * legacy distributions numpy keeps for RandomState: 53-bit doubles from two
 * draws, the polar Box-Muller that caches its second value, and masked
 * rejection for bounded integers.
 */
#include <math.h>
#include <stdlib.h>

#include "nn/random.h"
#include "nn_internal.h"

#define MT_N 624
#define MT_M 397

struct nn_rng {
	uint32_t mt[MT_N];
	int pos;
	int has_gauss; /* the polar method makes two normals; the second waits here */
	double gauss;
};

NN_EXPORT void nn_rng_seed(nn_rng *rng, uint32_t seed)
{
	rng->mt[0] = seed;
	for (int i = 1; i < MT_N; i++)
		rng->mt[i] = 1812433253u * (rng->mt[i - 1] ^ (rng->mt[i - 1] >> 30)) + (uint32_t)i;
	rng->pos = MT_N;
	rng->has_gauss = 0;
	rng->gauss = 0.0;
}

NN_EXPORT int nn_rng_new(nn_rng **rng, uint32_t seed)
{
	if (!rng)
		return NN_ENULL;
	*rng = malloc(sizeof(**rng));
	if (!*rng)
		return NN_ENOMEM;
	nn_rng_seed(*rng, seed);
	return 0;
}

NN_EXPORT void nn_rng_free(nn_rng *rng)
{
	free(rng);
}

/* Regenerate the whole state block (the standard MT19937 recurrence). */
static void mt_generate(nn_rng *rng)
{
	static const uint32_t mag01[2] = { 0u, 0x9908b0dfu };
	uint32_t *mt = rng->mt;
	int k;
	for (k = 0; k < MT_N - MT_M; k++) {
		uint32_t y = (mt[k] & 0x80000000u) | (mt[k + 1] & 0x7fffffffu);
		mt[k] = mt[k + MT_M] ^ (y >> 1) ^ mag01[y & 1u];
	}
	for (; k < MT_N - 1; k++) {
		uint32_t y = (mt[k] & 0x80000000u) | (mt[k + 1] & 0x7fffffffu);
		mt[k] = mt[k + (MT_M - MT_N)] ^ (y >> 1) ^ mag01[y & 1u];
	}
	uint32_t y = (mt[MT_N - 1] & 0x80000000u) | (mt[0] & 0x7fffffffu);
	mt[MT_N - 1] = mt[MT_M - 1] ^ (y >> 1) ^ mag01[y & 1u];
	rng->pos = 0;
}

NN_EXPORT uint32_t nn_rng_uint32(nn_rng *rng)
{
	if (rng->pos >= MT_N)
		mt_generate(rng);
	uint32_t y = rng->mt[rng->pos++];
	/* tempering */
	y ^= y >> 11;
	y ^= (y << 7) & 0x9d2c5680u;
	y ^= (y << 15) & 0xefc60000u;
	y ^= y >> 18;
	return y;
}

static uint64_t rng_uint64(nn_rng *rng)
{
	uint64_t hi = nn_rng_uint32(rng);
	return (hi << 32) | nn_rng_uint32(rng);
}

NN_EXPORT double nn_rng_random(nn_rng *rng)
{
	/* 27 high bits of one draw and 26 of the next: a 53-bit fraction. */
	uint32_t a = nn_rng_uint32(rng) >> 5;
	uint32_t b = nn_rng_uint32(rng) >> 6;
	return (a * 67108864.0 + b) / 9007199254740992.0;
}

NN_EXPORT double nn_rng_uniform(nn_rng *rng, double low, double high)
{
	return low + (high - low) * nn_rng_random(rng);
}

NN_EXPORT double nn_rng_gauss(nn_rng *rng)
{
	if (rng->has_gauss) {
		rng->has_gauss = 0;
		return rng->gauss;
	}
	double x1, x2, r2;
	do {
		x1 = 2.0 * nn_rng_random(rng) - 1.0;
		x2 = 2.0 * nn_rng_random(rng) - 1.0;
		r2 = x1 * x1 + x2 * x2;
	} while (r2 >= 1.0 || r2 == 0.0);
	double f = sqrt(-2.0 * log(r2) / r2);
	rng->gauss = f * x1;
	rng->has_gauss = 1;
	return f * x2;
}

NN_EXPORT double nn_rng_normal(nn_rng *rng, double loc, double scale)
{
	return loc + scale * nn_rng_gauss(rng);
}

/* The smallest all-ones mask covering max. */
static uint64_t mask_of(uint64_t max)
{
	uint64_t mask = max;
	mask |= mask >> 1;
	mask |= mask >> 2;
	mask |= mask >> 4;
	mask |= mask >> 8;
	mask |= mask >> 16;
	mask |= mask >> 32;
	return mask;
}

NN_EXPORT uint64_t nn_rng_interval(nn_rng *rng, uint64_t max)
{
	if (max == 0)
		return 0;
	uint64_t mask = mask_of(max), v;
	if (max <= 0xffffffffu) {
		while ((v = (nn_rng_uint32(rng) & mask)) > max)
			;
	} else {
		while ((v = (rng_uint64(rng) & mask)) > max)
			;
	}
	return v;
}

NN_EXPORT int nn_rng_randint(nn_rng *rng, int64_t low, int64_t high, int64_t *out)
{
	if (!rng || !out)
		return NN_ENULL;
	if (high <= low)
		return NN_EINVAL;
	/* The legacy bounded draw for int64 is the masked rejection over [0, high - 1 - low]. */
	uint64_t range = (uint64_t)high - (uint64_t)low - 1u;
	*out = (int64_t)((uint64_t)low + nn_rng_interval(rng, range));
	return 0;
}

NN_EXPORT void nn_rng_shuffle(nn_rng *rng, size_t *idx, size_t n)
{
	for (size_t i = n; i-- > 1;) {
		size_t j = (size_t)nn_rng_interval(rng, i);
		size_t t = idx[i];
		idx[i] = idx[j];
		idx[j] = t;
	}
}

NN_EXPORT void nn_rng_permutation(nn_rng *rng, size_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = i;
	nn_rng_shuffle(rng, out, n);
}

uint64_t nn__rng_fingerprint(const nn_rng *rng, uint64_t h)
{
	h = nn__hash(h, rng->mt, sizeof(rng->mt));
	h = nn__hash(h, &rng->pos, sizeof(rng->pos));
	return nn__hash(h, &rng->has_gauss, sizeof(rng->has_gauss));
}
