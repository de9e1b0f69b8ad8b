/**
 * @file matrix.h
 * @brief The plain column-major matrix every nn module passes around.
 *
 * Element (i, j) of a matrix m sits at m.data[i + j * m.ld], with
 * ld >= rows. Functions that hand a matrix to BLAS refuse sizes and
 * leading dimensions above INT_MAX (NN_ESIZE): CBLAS takes int. A data set of N samples with F features is an F x N matrix:
 * one sample per column, so a batch goes straight into W * X.
 */
#ifndef NN_MATRIX_H
#define NN_MATRIX_H

#include <stddef.h>

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A column-major matrix, owning its data or a view into another's. */
typedef struct nn_matrix {
	size_t rows;  /**< number of rows */
	size_t cols;  /**< number of columns */
	size_t ld;    /**< leading dimension: distance between columns, >= rows */
	double *data; /**< element (i, j) is data[i + j * ld] */
	int owner;    /**< 1 when nn_matrix_free() must free data, 0 for a view */
} nn_matrix;

/** A vector of integer class labels. */
typedef struct nn_labels {
	size_t n;  /**< number of labels */
	int *data; /**< the labels */
	int owner; /**< 1 when nn_labels_free() must free data, 0 for a view */
} nn_labels;

/** Element (i, j) of a matrix pointer, as an lvalue. */
#define NN_AT(m, i, j) ((m)->data[(size_t)(i) + (size_t)(j) * (m)->ld])

/**
 * Allocate a rows x cols matrix of zeros, ld = rows.
 * @param m     out: the matrix; on failure it is set to an empty matrix.
 * @param rows  number of rows, >= 1.
 * @param cols  number of columns, >= 1.
 * @return 0, NN_ENULL, NN_EINVAL (a zero size), NN_ESIZE (overflow) or NN_ENOMEM.
 */
NN_EXPORT int nn_matrix_new(nn_matrix *m, size_t rows, size_t cols);

/**
 * Free an owning matrix and reset it to empty; a view is only reset.
 * NULL, or an already empty matrix, is a no-op.
 */
NN_EXPORT void nn_matrix_free(nn_matrix *m);

/**
 * A view of caller-owned memory; it never frees data.
 * @return the view; valid while data is.
 */
NN_EXPORT nn_matrix nn_matrix_view(double *data, size_t rows, size_t cols, size_t ld);

/**
 * A view of columns [col0, col0 + ncols) of m, sharing m's data: writing
 * through the view writes m, so m is not const.
 * @param out   out: the view, valid while m's data is.
 * @param m     the matrix viewed.
 * @param col0  first column of the view.
 * @param ncols number of columns, >= 1.
 * @return 0, NN_ENULL or NN_EINVAL (columns out of range).
 */
NN_EXPORT int nn_matrix_cols(nn_matrix *out, nn_matrix *m, size_t col0, size_t ncols);

/**
 * Copy src into dst element by element; dst must have src's shape.
 * @return 0, NN_ENULL, NN_ESHAPE (shapes differ, a zero size, ld < rows) or
 *         NN_ESIZE (a size above INT_MAX).
 */
NN_EXPORT int nn_matrix_copy(nn_matrix *dst, const nn_matrix *src);

/**
 * Check that every element is finite.
 * @return 0, NN_ENULL, NN_ESHAPE, NN_ESIZE (as nn_matrix_copy()) or NN_ENONFINITE.
 */
NN_EXPORT int nn_matrix_check_finite(const nn_matrix *m);

/**
 * Allocate n labels, all 0.
 * @return 0, NN_ENULL, NN_EINVAL (n = 0) or NN_ENOMEM.
 */
NN_EXPORT int nn_labels_new(nn_labels *y, size_t n);

/** Free owned labels and reset to empty; NULL is a no-op. */
NN_EXPORT void nn_labels_free(nn_labels *y);

#ifdef __cplusplus
}
#endif

#endif /* NN_MATRIX_H */
