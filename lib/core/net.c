/* The network: layer sizes, activations and one contiguous parameter buffer. */
#include <lapacke.h>
#include <math.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nn/net.h"
#include "nn_internal.h"

NN_EXPORT int nn_net_new(nn_net **out, size_t n_layers, const size_t *sizes,
			 const nn_activation *acts)
{
	if (!out)
		return NN_ENULL;
	*out = NULL;
	if (!sizes)
		return NN_ENULL;
	if (n_layers == 0 || n_layers > SIZE_MAX / sizeof(size_t) - 1)
		return NN_EINVAL;
	for (size_t l = 0; l <= n_layers; l++)
		if (sizes[l] == 0)
			return NN_EINVAL;
	if (acts)
		for (size_t l = 0; l < n_layers; l++)
			if ((unsigned)acts[l] >= NN_ACT_COUNT_ ||
			    (acts[l] == NN_ACT_SOFTMAX && (l + 1 < n_layers || sizes[l + 1] < 2)))
				return NN_EINVAL;

	/* Count parameters, refusing any overflow; BLAS takes int sizes, and
	 * the update passes the whole buffer to one daxpy. */
	for (size_t l = 0; l <= n_layers; l++)
		if (sizes[l] > INT_MAX)
			return NN_ESIZE;
	size_t total = 0;
	for (size_t l = 1; l <= n_layers; l++) {
		size_t in = sizes[l - 1], n = sizes[l];
		if (in > SIZE_MAX - 1 || n > SIZE_MAX / (in + 1))
			return NN_ESIZE;
		size_t layer = n * (in + 1);
		if (layer > SIZE_MAX / sizeof(double) - total)
			return NN_ESIZE;
		total += layer;
	}
	if (total > INT_MAX)
		return NN_ESIZE;

	int rc = NN_ENOMEM;
	nn_net *net = calloc(1, sizeof(*net));
	if (!net)
		goto out;
	net->n_layers = n_layers;
	net->sizes = malloc((n_layers + 1) * sizeof(*net->sizes));
	net->acts = malloc(n_layers * sizeof(*net->acts));
	net->offset = malloc(n_layers * sizeof(*net->offset));
	net->params = calloc(total, sizeof(double));
	if (!net->sizes || !net->acts || !net->offset || !net->params)
		goto out;
	memcpy(net->sizes, sizes, (n_layers + 1) * sizeof(*sizes));
	size_t off = 0;
	for (size_t l = 1; l <= n_layers; l++) {
		net->acts[l - 1] = acts ? acts[l - 1] : NN_ACT_SIGMOID;
		net->offset[l - 1] = off;
		off += sizes[l] * (sizes[l - 1] + 1);
	}
	net->n_params = total;
	*out = net;
	net = NULL;
	rc = 0;
out:
	nn_net_free(net);
	return rc;
}

NN_EXPORT void nn_net_free(nn_net *net)
{
	if (!net)
		return;
	free(net->sizes);
	free(net->acts);
	free(net->offset);
	free(net->params);
	free(net);
}

NN_EXPORT int nn_net_clone(nn_net **dst, const nn_net *src)
{
	if (!dst)
		return NN_ENULL;
	*dst = NULL;
	if (!src)
		return NN_ENULL;
	int rc = nn_net_new(dst, src->n_layers, src->sizes, src->acts);
	if (rc)
		return rc;
	memcpy((*dst)->params, src->params, src->n_params * sizeof(double));
	(*dst)->cost = src->cost;
	return 0;
}

int nn__net_same_shape(const nn_net *a, const nn_net *b)
{
	if (a->n_layers != b->n_layers)
		return NN_ESHAPE;
	for (size_t l = 0; l <= a->n_layers; l++)
		if (a->sizes[l] != b->sizes[l])
			return NN_ESHAPE;
	return 0;
}

NN_EXPORT int nn_net_copy_params(nn_net *dst, const nn_net *src)
{
	if (!dst || !src)
		return NN_ENULL;
	int rc = nn__net_same_shape(dst, src);
	if (rc)
		return rc;
	memcpy(dst->params, src->params, src->n_params * sizeof(double));
	return 0;
}

NN_EXPORT size_t nn_net_layers(const nn_net *net)
{
	return net ? net->n_layers : 0;
}

NN_EXPORT size_t nn_net_width(const nn_net *net, size_t l)
{
	return net && l <= net->n_layers ? net->sizes[l] : 0;
}

NN_EXPORT nn_activation nn_net_activation(const nn_net *net, size_t l)
{
	return net && l >= 1 && l <= net->n_layers ? net->acts[l - 1] : NN_ACT_IDENTITY;
}

NN_EXPORT int nn_net_set_cost(nn_net *net, nn_cost cost)
{
	if (!net)
		return NN_ENULL;
	nn_activation out = net->acts[net->n_layers - 1];
	if ((unsigned)cost >= NN_COST_COUNT_ || (cost == NN_COST_BCE && out != NN_ACT_SIGMOID) ||
	    (cost == NN_COST_CE && out != NN_ACT_SOFTMAX))
		return NN_EINVAL;
	net->cost = cost;
	return 0;
}

NN_EXPORT nn_cost nn_net_cost(const nn_net *net)
{
	return net ? net->cost : NN_COST_QUADRATIC;
}

NN_EXPORT size_t nn_net_param_count(const nn_net *net)
{
	return net ? net->n_params : 0;
}

NN_EXPORT double *nn_net_params(nn_net *net)
{
	return net ? net->params : NULL;
}

NN_EXPORT const double *nn_net_params_const(const nn_net *net)
{
	return net ? net->params : NULL;
}

NN_EXPORT int nn_net_weights(nn_matrix *w, nn_net *net, size_t l)
{
	if (!w || !net)
		return NN_ENULL;
	if (l < 1 || l > net->n_layers)
		return NN_EINVAL;
	*w = nn_matrix_view(nn__w(net, l), net->sizes[l], net->sizes[l - 1], net->sizes[l]);
	return 0;
}

NN_EXPORT int nn_net_bias(nn_matrix *b, nn_net *net, size_t l)
{
	if (!b || !net)
		return NN_ENULL;
	if (l < 1 || l > net->n_layers)
		return NN_EINVAL;
	*b = nn_matrix_view(nn__b(net, l), net->sizes[l], 1, net->sizes[l]);
	return 0;
}

/* How one weight is drawn, for fill_weights(). */
enum draw { DRAW_GAUSS, DRAW_RANDOM, DRAW_UNIFORM_GLOROT, DRAW_NORMAL_HE };

/*
 * Fill every W_l as numpy fills an (n, in) C-order array, row by row: draw
 * number i * in + k lands at row i, column k of the column-major W_l. The
 * biases are zeroed, or (DRAW_RANDOM, first_network) drawn after W_l.
 */
static int fill_weights(nn_net *net, nn_rng *rng, enum draw how)
{
	if (!net || !rng)
		return NN_ENULL;
	for (size_t l = 1; l <= net->n_layers; l++) {
		size_t n = net->sizes[l], in = net->sizes[l - 1];
		double *w = nn__w(net, l), *b = nn__b(net, l);
		double glorot = sqrt(6.0 / (double)(n + in)), he = sqrt(2.0 / (double)in);
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; k < in; k++) {
				double v;
				switch (how) {
				case DRAW_RANDOM:
					v = nn_rng_random(rng);
					break;
				case DRAW_UNIFORM_GLOROT:
					v = nn_rng_uniform(rng, -glorot, glorot);
					break;
				case DRAW_NORMAL_HE:
					v = nn_rng_normal(rng, 0.0, he);
					break;
				case DRAW_GAUSS:
				default:
					v = nn_rng_gauss(rng);
					break;
				}
				w[i + k * n] = v;
			}
		for (size_t i = 0; i < n; i++)
			b[i] = how == DRAW_RANDOM ? nn_rng_random(rng) : 0.0;
	}
	return 0;
}

NN_EXPORT int nn_net_init_randn(nn_net *net, nn_rng *rng)
{
	return fill_weights(net, rng, DRAW_GAUSS);
}

NN_EXPORT int nn_net_init_random(nn_net *net, nn_rng *rng)
{
	return fill_weights(net, rng, DRAW_RANDOM);
}

NN_EXPORT int nn_net_init_glorot(nn_net *net, nn_rng *rng)
{
	return fill_weights(net, rng, DRAW_UNIFORM_GLOROT);
}

NN_EXPORT int nn_net_init_he(nn_net *net, nn_rng *rng)
{
	return fill_weights(net, rng, DRAW_NORMAL_HE);
}

/*
 * Q of a Gaussian (rows x cols) matrix G = QR, rows >= cols, with each
 * column of Q multiplied by the sign of R's diagonal so that Q is uniform
 * over the orthogonal matrices (Mezzadri 2007). Q overwrites g.
 */
static int orthonormal_columns(double *g, size_t rows, size_t cols, double *tau)
{
	lapack_int m = (lapack_int)rows, n = (lapack_int)cols;
	if (LAPACKE_dgeqrf(LAPACK_COL_MAJOR, m, n, g, m, tau))
		return NN_ENOMEM;
	double *sign = tau + cols;
	for (size_t j = 0; j < cols; j++)
		sign[j] = g[j + j * rows] < 0 ? -1.0 : 1.0;
	if (LAPACKE_dorgqr(LAPACK_COL_MAJOR, m, n, n, g, m, tau))
		return NN_ENOMEM;
	for (size_t j = 0; j < cols; j++)
		for (size_t i = 0; i < rows; i++)
			g[i + j * rows] *= sign[j];
	return 0;
}

NN_EXPORT int nn_net_init_orthogonal(nn_net *net, nn_rng *rng, double gain)
{
	if (!net || !rng)
		return NN_ENULL;
	if (!isfinite(gain))
		return NN_EINVAL;
	size_t most = 0;
	for (size_t l = 1; l <= net->n_layers; l++) {
		size_t e = net->sizes[l] * net->sizes[l - 1];
		most = e > most ? e : most;
	}
	int rc = NN_ENOMEM;
	double *g = malloc(most * sizeof(double));
	double *tau = malloc(2 * most * sizeof(double));
	if (!g || !tau)
		goto out;
	for (size_t l = 1; l <= net->n_layers; l++) {
		size_t n = net->sizes[l], in = net->sizes[l - 1];
		size_t rows = n > in ? n : in, cols = n > in ? in : n;
		for (size_t i = 0; i < rows * cols; i++)
			g[i] = nn_rng_gauss(rng);
		if ((rc = orthonormal_columns(g, rows, cols, tau)))
			goto out;
		/* tall W: W = Q; wide W: W = Q^T, so its rows are orthonormal */
		double *w = nn__w(net, l);
		for (size_t k = 0; k < in; k++)
			for (size_t i = 0; i < n; i++)
				w[i + k * n] = gain * (n >= in ? g[i + k * n] : g[k + i * in]);
		memset(nn__b(net, l), 0, n * sizeof(double));
	}
	rc = 0;
out:
	free(g);
	free(tau);
	return rc;
}

double *nn__grad_new(const nn_net *net, size_t extra)
{
	return calloc(net->n_params + extra, sizeof(double));
}
