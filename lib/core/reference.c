/*
 * The naive reference: forward and backward written as plain loops over
 * samples, straight from the lecture's formulas, with no BLAS. The tests
 * hold the dgemm path against it; it is never used in training.
 */
#include <math.h>
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
			acts[l][i] = net->acts[l - 1] == NN_ACT_SOFTMAX ? z
				     : nn__act_scalar(net->acts[l - 1], z);
		}
		if (net->acts[l - 1] == NN_ACT_SOFTMAX) { /* straight from the definition */
			double s = 0;
			for (size_t i = 0; i < n; i++)
				s += exp(acts[l][i]);
			for (size_t i = 0; i < n; i++)
				acts[l][i] = exp(acts[l][i]) / s;
		}
	}
}

/*
 * Cost of one sample and delta_L = dC/dz by the chain rule written out:
 * dC/da from the cost's formula, then through the activation's Jacobian
 * (diagonal, or softmax's full one).
 */
static double output_delta(double *delta, const nn_net *net, const double *a, int label)
{
	size_t L = net->n_layers, k = net->sizes[L];
	nn_activation act = net->acts[L - 1];
	double c = 0, dCda[64];
	if (k > 64)
		return NAN; /* the reference is for small test networks */
	for (size_t i = 0; i < k; i++) {
		double t = k == 1 ? (double)label : (double)(i == (size_t)label);
		switch (net->cost) {
		case NN_COST_BCE:
			c -= t * log(a[i]) + (1 - t) * log(1 - a[i]);
			dCda[i] = -t / a[i] + (1 - t) / (1 - a[i]);
			break;
		case NN_COST_CE:
			c -= t * log(a[i]);
			dCda[i] = -t / a[i];
			break;
		default:
			c += 0.5 * (a[i] - t) * (a[i] - t);
			dCda[i] = a[i] - t;
		}
	}
	for (size_t i = 0; i < k; i++) {
		if (act != NN_ACT_SOFTMAX) {
			delta[i] = dCda[i] * nn__act_deriv_from_output(act, a[i]);
			continue;
		}
		double s = 0; /* sum_j da_j/dz_i dC/da_j, da_j/dz_i = a_j ([i == j] - a_i) */
		for (size_t j = 0; j < k; j++)
			s += a[j] * ((i == j) - a[i]) * dCda[j];
		delta[i] = s;
	}
	return c;
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
		c += output_delta(delta[L], net, acts[L], y->data[j]);
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
