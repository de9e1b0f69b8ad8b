/**
 * @file random.h
 * @brief A random state with numpy's legacy RandomState semantics.
 *
 * MT19937 seeded as `np.random.seed(k)` seeds it, so that one nn_rng,
 * passed through the data generators, the train/test split and the weight
 * initialisation in the lecture's order, reproduces the numbers the
 * lecture's Python draws after `np.random.seed(k)` (numpy 1.24).
 * There is no global state: every draw names its generator. The draw
 * functions return values, not error codes, so their rng must not be NULL.
 */
#ifndef NN_RANDOM_H
#define NN_RANDOM_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A random state (opaque). One per thread: draws mutate it. */
typedef struct nn_rng nn_rng;

/**
 * Create a generator seeded like `np.random.seed(seed)`.
 * @param rng  out: the generator; free with nn_rng_free().
 * @param seed numpy's seed, 0 to 2^32 - 1.
 * @return 0, NN_ENULL or NN_ENOMEM.
 */
NN_EXPORT int nn_rng_new(nn_rng **rng, uint32_t seed);

/** Free a generator; NULL is a no-op. */
NN_EXPORT void nn_rng_free(nn_rng *rng);

/** Reseed like `np.random.seed(seed)`, dropping any cached Gaussian. */
NN_EXPORT void nn_rng_seed(nn_rng *rng, uint32_t seed);

/** The next raw 32-bit MT19937 output. */
NN_EXPORT uint32_t nn_rng_uint32(nn_rng *rng);

/** A double in [0, 1) from two 32-bit draws, like `random_sample()` / `random()` / `rand()`. */
NN_EXPORT double nn_rng_random(nn_rng *rng);

/** `uniform(low, high)`: low + (high - low) * random_sample(). */
NN_EXPORT double nn_rng_uniform(nn_rng *rng, double low, double high);

/** `standard_normal()` / `randn()`: the legacy polar Box-Muller, caching its second value. */
NN_EXPORT double nn_rng_gauss(nn_rng *rng);

/** `normal(loc, scale)`: loc + scale * standard_normal(). */
NN_EXPORT double nn_rng_normal(nn_rng *rng, double loc, double scale);

/**
 * An integer in [0, max] drawn like numpy's legacy `random_interval`
 * (masked rejection; the draw `shuffle` and `permutation` use).
 */
NN_EXPORT uint64_t nn_rng_interval(nn_rng *rng, uint64_t max);

/**
 * `randint(low, high)` for the default int64 dtype: an integer in
 * [low, high), drawn by masked rejection as the legacy generator does.
 * @param rng  the generator.
 * @param low  smallest value drawn.
 * @param high one above the largest value drawn.
 * @param out  out: the integer.
 * @return 0, NN_ENULL or NN_EINVAL (high <= low).
 */
NN_EXPORT int nn_rng_randint(nn_rng *rng, int64_t low, int64_t high, int64_t *out);

/** Shuffle idx[0..n) in place like `shuffle()`: Fisher-Yates from the end. */
NN_EXPORT void nn_rng_shuffle(nn_rng *rng, size_t *idx, size_t n);

/** out[0..n) = `permutation(n)`: 0..n-1, then shuffled. */
NN_EXPORT void nn_rng_permutation(nn_rng *rng, size_t *out, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* NN_RANDOM_H */
