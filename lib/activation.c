/*
 * Activations, written so that each is a local change: a forward formula,
 * and its derivative through the output a = act(z), so the backward pass
 * needs only the stored activations, never Z.
 */
#include <math.h>

#include "nn_internal.h"

double nn__act_scalar(nn_activation act, double z)
{
	switch (act) {
	case NN_ACT_SIGMOID:
		return 1.0 / (1.0 + exp(-z));
	case NN_ACT_IDENTITY:
	default:
		return z;
	}
}

double nn__act_deriv_from_output(nn_activation act, double a)
{
	switch (act) {
	case NN_ACT_SIGMOID:
		return a * (1.0 - a); /* sigma'(z) = sigma(z) (1 - sigma(z)) */
	case NN_ACT_IDENTITY:
	default:
		return 1.0;
	}
}

void nn__act_forward(nn_activation act, double *A, size_t rows, size_t cols, size_t ld,
		     const double *b)
{
	switch (act) {
	case NN_ACT_SIGMOID:
		for (size_t j = 0; j < cols; j++) {
			double *a = A + j * ld;
			for (size_t i = 0; i < rows; i++)
				a[i] = 1.0 / (1.0 + exp(-(a[i] + b[i])));
		}
		break;
	case NN_ACT_IDENTITY:
	default:
		for (size_t j = 0; j < cols; j++) {
			double *a = A + j * ld;
			for (size_t i = 0; i < rows; i++)
				a[i] += b[i];
		}
		break;
	}
}

void nn__act_backward(nn_activation act, double *D, const double *A, size_t rows, size_t cols,
		      size_t ld, double *db)
{
	for (size_t i = 0; i < rows; i++)
		db[i] = 0.0;
	switch (act) {
	case NN_ACT_SIGMOID:
		for (size_t j = 0; j < cols; j++) {
			double *d = D + j * ld;
			const double *a = A + j * ld;
			for (size_t i = 0; i < rows; i++) {
				d[i] *= a[i] * (1.0 - a[i]);
				db[i] += d[i];
			}
		}
		break;
	case NN_ACT_IDENTITY:
	default:
		for (size_t j = 0; j < cols; j++) {
			const double *d = D + j * ld;
			for (size_t i = 0; i < rows; i++)
				db[i] += d[i];
		}
		break;
	}
}
