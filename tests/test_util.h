/* Small helpers shared by the core test suites. */
#ifndef NN_TEST_UTIL_H
#define NN_TEST_UTIL_H

#include <stddef.h>

#include "nn/nn.h"

/* Largest |a - b| / max(|a|, |b|, floor) over n pairs. */
double tu_max_rel_err(const double *a, const double *b, size_t n, double floor);

/* Fill m with uniform values in [lo, hi) from rng. */
void tu_fill_uniform(nn_matrix *m, nn_rng *rng, double lo, double hi);

/* Random labels valid for an output layer of width k (k == 1: 0 or 1). */
void tu_fill_labels(nn_labels *y, nn_rng *rng, size_t k);

#endif

/* Allocations made by code linked into the test program (libnn.a included),
 * counted through the linker's --wrap of malloc, calloc and realloc. */
extern unsigned long tu_alloc_count;
