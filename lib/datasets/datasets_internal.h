/*
 * Private helpers shared by the data set modules (datasets.c,
 * classification.c, split.c). Never installed.
 */
#ifndef NN_DATASETS_INTERNAL_H
#define NN_DATASETS_INTERNAL_H

#include <stddef.h>

#include "nn/datasets.h"

/*
 * Allocate X (rows x n, zeros) and y (n labels, zeros) together: on
 * failure both are left empty. Sizes of 0 are NN_EINVAL.
 */
int nn__dataset_new(nn_matrix *X, nn_labels *y, size_t rows, size_t n);

/* Free what nn__dataset_new() allocated and leave both empty. */
void nn__dataset_free(nn_matrix *X, nn_labels *y);

/*
 * Reorder the samples in place: new column j (and label j) is old column
 * perm[j] -- numpy's X = X[perm]. X or y may be NULL; n is their length.
 * @return 0 or NN_ENOMEM (then X and y are unchanged).
 */
int nn__take_samples(nn_matrix *X, nn_labels *y, const size_t *perm, size_t n);

/*
 * sklearn.utils.shuffle(X, y, random_state=rng): indices = arange(n),
 * rng.shuffle(indices), X = X[indices], y = y[indices].
 * Nothing is drawn when the allocation fails.
 * @return 0 or NN_ENOMEM.
 */
int nn__shuffle_samples(nn_matrix *X, nn_labels *y, size_t n, nn_rng *rng);

/* 1 when x is finite, else 0. */
int nn__finite(double x);

#endif /* NN_DATASETS_INTERNAL_H */
