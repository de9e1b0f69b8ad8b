/*
 * The naive reference: forward and backward written as plain loops over
 * samples, straight from the lecture's formulas, with no BLAS. The tests
 * hold the dgemm path against it; it is never used in training.
 */
#include <stdlib.h>
#include <string.h>

#include "nn_internal.h"

/* Activations of every layer for one sample x: acts[l] has sizes[l] entries. */
static void forward_one(double **acts, const nn_net *net, const double *x)
{
	memcpy(acts[0], x, net->sizes[0] * sizeof(double));
	for (size_t l = 1; l <= net->n_layers; l++) {
		size_t n = net->sizes[l], k = net->sizes[l - 1];
		const double *W = nn__w(net, l), *b = nn__b(net, l);
		for (size_t i = 0; i < n; i++) {
			double z = b[i];
			for (size_t c = 0; c < k; c++)
				z += W[i + c * n] * acts[l - 1][c];
			acts[l][i] = nn__act_scalar(net->acts[l - 1], z);
		}
	}
}

static double **alloc_acts(const nn_net *net)
{
	size_t total = 0, L = net->n_layers;
	for (size_t l = 0; l <= L; l++)
		total += net->sizes[l];
	double **acts = malloc((L + 1) * sizeof(*acts));
	double *buf = calloc(2 * total, sizeof(double)); /* activations, then deltas */
	if (!acts || !buf) {
		free(acts);
		free(buf);
		return NULL;
	}
	for (size_t l = 0; l <= L; l++) {
		acts[l] = buf;
		buf += net->sizes[l];
	}
	return acts;
}

int nn__forward_naive(double *out, const nn_net *net, const nn_matrix *X)
{
	double **acts = alloc_acts(net);
	if (!acts)
		return NN_ENOMEM;
	size_t L = net->n_layers, k = net->sizes[L];
	for (size_t j = 0; j < X->cols; j++) {
		forward_one(acts, net, X->data + j * X->ld);
		memcpy(out + j * k, acts[L], k * sizeof(double));
	}
	free(acts[0]);
	free(acts);
	return 0;
}

int nn__backward_naive(nn_net *grad, double *cost, const nn_net *net, const nn_matrix *X,
		       const nn_labels *y)
{
	double **acts = alloc_acts(net);
	if (!acts)
		return NN_ENOMEM;
	size_t L = net->n_layers, total = 0;
	for (size_t l = 0; l <= L; l++)
		total += net->sizes[l];
	/* deltas live in the second half of the buffer, laid out like acts */
	double **delta = malloc((L + 1) * sizeof(*delta));
	if (!delta) {
		free(acts[0]);
		free(acts);
		return NN_ENOMEM;
	}
	delta[0] = acts[0] + total;
	for (size_t l = 1; l <= L; l++)
		delta[l] = delta[l - 1] + net->sizes[l - 1];

	memset(grad->params, 0, grad->n_params * sizeof(double));
	double c = 0.0;
	for (size_t j = 0; j < X->cols; j++) {
		forward_one(acts, net, X->data + j * X->ld);
		size_t kL = net->sizes[L];
		for (size_t i = 0; i < kL; i++) {
			double target = kL == 1 ? (double)y->data[j] : (i == (size_t)y->data[j]);
			double e = acts[L][i] - target;
			c += 0.5 * e * e;
			delta[L][i] = e * nn__act_deriv_from_output(net->acts[L - 1], acts[L][i]);
		}
		for (size_t l = L; l >= 1; l--) {
			size_t n = net->sizes[l], k = net->sizes[l - 1];
			double *dW = nn__w(grad, l), *db = nn__b(grad, l);
			const double *W = nn__w(net, l);
			for (size_t i = 0; i < n; i++) {
				db[i] += delta[l][i];
				for (size_t c2 = 0; c2 < k; c2++)
					dW[i + c2 * n] += delta[l][i] * acts[l - 1][c2];
			}
			if (l == 1)
				break;
			for (size_t c2 = 0; c2 < k; c2++) {
				double s = 0.0;
				for (size_t i = 0; i < n; i++)
					s += W[i + c2 * n] * delta[l][i];
				delta[l - 1][c2] =
					s * nn__act_deriv_from_output(net->acts[l - 2], acts[l - 1][c2]);
			}
		}
	}
	if (cost)
		*cost = c;
	free(delta);
	free(acts[0]);
	free(acts);
	return 0;
}
