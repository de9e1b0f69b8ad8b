/* The plain column-major matrix and label vector. */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nn/matrix.h"
#include "nn_internal.h"

static const nn_matrix empty_matrix;

NN_EXPORT int nn_matrix_new(nn_matrix *m, size_t rows, size_t cols)
{
	if (!m)
		return NN_ENULL;
	*m = empty_matrix;
	if (rows == 0 || cols == 0)
		return NN_EINVAL;
	if (rows > SIZE_MAX / sizeof(double) / cols)
		return NN_ESIZE;
	double *data = calloc(rows * cols, sizeof(double));
	if (!data)
		return NN_ENOMEM;
	*m = (nn_matrix){ .rows = rows, .cols = cols, .ld = rows, .data = data, .owner = 1 };
	return 0;
}

NN_EXPORT void nn_matrix_free(nn_matrix *m)
{
	if (!m)
		return;
	if (m->owner)
		free(m->data);
	*m = empty_matrix;
}

NN_EXPORT nn_matrix nn_matrix_view(double *data, size_t rows, size_t cols, size_t ld)
{
	return (nn_matrix){ .rows = rows, .cols = cols, .ld = ld, .data = data, .owner = 0 };
}

NN_EXPORT int nn_matrix_cols(nn_matrix *out, nn_matrix *m, size_t col0, size_t ncols)
{
	if (!out || !m)
		return NN_ENULL;
	if (col0 > m->cols || ncols > m->cols - col0)
		return NN_EINVAL;
	*out = nn_matrix_view(m->data + col0 * m->ld, m->rows, ncols, m->ld);
	return 0;
}

NN_EXPORT int nn_matrix_copy(nn_matrix *dst, const nn_matrix *src)
{
	int rc;
	if ((rc = nn__matrix_valid(dst)) || (rc = nn__matrix_valid(src)))
		return rc;
	if (dst->rows != src->rows || dst->cols != src->cols)
		return NN_ESHAPE;
	for (size_t j = 0; j < src->cols; j++)
		memmove(dst->data + j * dst->ld, src->data + j * src->ld, src->rows * sizeof(double));
	return 0;
}

NN_EXPORT int nn_matrix_check_finite(const nn_matrix *m)
{
	int rc = nn__matrix_valid(m);
	if (rc)
		return rc;
	for (size_t j = 0; j < m->cols; j++) {
		const double *c = m->data + j * m->ld;
		/* Sum of x * 0 is NaN exactly when some x is NaN or Inf: one branch per column. */
		double s = 0.0;
		for (size_t i = 0; i < m->rows; i++)
			s += c[i] * 0.0;
		if (s != 0.0) { /* say where */
			size_t i = 0;
			while (i + 1 < m->rows && isfinite(c[i]))
				i++;
			return nn__errorf(NN_ENONFINITE, "element (%zu, %zu) is %s: row %zu of "
					  "sample (column) %zu", i, j, isnan(c[i]) ? "NaN" : "Inf", i,
					  j);
		}
	}
	return 0;
}

int nn__matrix_valid(const nn_matrix *m)
{
	if (!m || !m->data)
		return NN_ENULL;
	if (m->rows == 0 || m->cols == 0 || m->ld < m->rows)
		return NN_ESHAPE;
	/* CBLAS takes int sizes and leading dimensions */
	if (m->rows > INT_MAX || m->cols > INT_MAX || m->ld > INT_MAX)
		return NN_ESIZE;
	return 0;
}

NN_EXPORT int nn_labels_new(nn_labels *y, size_t n)
{
	if (!y)
		return NN_ENULL;
	*y = (nn_labels){ 0 };
	if (n == 0)
		return NN_EINVAL;
	int *data = calloc(n, sizeof(int));
	if (!data)
		return NN_ENOMEM;
	*y = (nn_labels){ .n = n, .data = data, .owner = 1 };
	return 0;
}

NN_EXPORT void nn_labels_free(nn_labels *y)
{
	if (!y)
		return;
	if (y->owner)
		free(y->data);
	*y = (nn_labels){ 0 };
}
