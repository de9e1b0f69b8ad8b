/*
 * The naive reference: forward and backward written as plain loops over
 * samples and over every index, straight from the formulas, with no BLAS,
 * no im2col and no fused passes. The tests hold the dgemm path against it;
 * it is never used in training.
 *
 * Value (c, y, x) of a C x H x W sample sits at c + C * (x + W * y).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn_internal.h"

/* The input offset of window position (dy, dx) of output (oy, ox), or -1
 * in the padding. */
static long window_at(const nn__layer *L, size_t oy, size_t ox, size_t dy, size_t dx)
{
	long y = (long)(oy * L->stride + dy) - (long)L->pad_top;
	long x = (long)(ox * L->stride + dx) - (long)L->pad_left;
	if (y < 0 || x < 0 || y >= (long)L->in.height || x >= (long)L->in.width)
		return -1;
	return x + (long)L->in.width * y;
}

/* One layer's output for one sample, before the activation (dense, conv)
 * or final (the others). */
static void layer_forward(double *z, const nn_net *net, size_t l, const double *in)
{
	const nn__layer *L = &net->layer[l - 1];
	size_t n = net->sizes[l], k = net->sizes[l - 1], C = L->in.channels;
	const double *W = L->n_w ? nn__w(net, l) : NULL, *b = L->n_w ? nn__b(net, l) : NULL;
	switch (L->type) {
	case NN_LAYER_DENSE:
		for (size_t i = 0; i < n; i++) {
			double s = b[i];
			for (size_t c = 0; c < k; c++)
				s += W[i + c * n] * in[c];
			z[i] = s;
		}
		break;
	case NN_LAYER_CONV2D: {
		size_t co = L->out.channels;
		for (size_t oy = 0; oy < L->out.height; oy++)
			for (size_t ox = 0; ox < L->out.width; ox++)
				for (size_t o = 0; o < co; o++) {
					double s = b[o];
					for (size_t dy = 0; dy < L->k; dy++)
						for (size_t dx = 0; dx < L->k; dx++) {
							long p = window_at(L, oy, ox, dy, dx);
							for (size_t c = 0; p >= 0 && c < C; c++)
								s += W[o + co * (c + C * (dx + L->k * dy))] *
								     in[c + C * (size_t)p];
						}
					z[o + co * (ox + L->out.width * oy)] = s;
				}
		break;
	}
	case NN_LAYER_MAXPOOL:
	case NN_LAYER_AVGPOOL:
		for (size_t oy = 0; oy < L->out.height; oy++)
			for (size_t ox = 0; ox < L->out.width; ox++)
				for (size_t c = 0; c < C; c++) {
					double best = -INFINITY, sum = 0;
					for (size_t dy = 0; dy < L->k; dy++)
						for (size_t dx = 0; dx < L->k; dx++) {
							double v = in[c + C * ((ox * L->k + dx) +
									  L->in.width * (oy * L->k + dy))];
							best = v > best ? v : best;
							sum += v;
						}
					z[c + C * (ox + L->out.width * oy)] =
						L->type == NN_LAYER_MAXPOOL ? best : sum / (double)(L->k * L->k);
				}
		break;
	default: /* flatten; dropout without a mask */
		memcpy(z, in, n * sizeof(double));
		break;
	}
}

/* Activations of every layer for one sample x: acts[l] has sizes[l] entries. */
static void forward_one(double **acts, const nn_net *net, const double *x)
{
	memcpy(acts[0], x, net->sizes[0] * sizeof(double));
	for (size_t l = 1; l <= net->n_layers; l++) {
		size_t n = net->sizes[l];
		nn_activation act = net->acts[l - 1];
		layer_forward(acts[l], net, l, acts[l - 1]);
		if (act == NN_ACT_SOFTMAX) { /* straight from the definition */
			double s = 0;
			for (size_t i = 0; i < n; i++)
				s += exp(acts[l][i]);
			for (size_t i = 0; i < n; i++)
				acts[l][i] = exp(acts[l][i]) / s;
		} else {
			for (size_t i = 0; i < n; i++)
				acts[l][i] = nn__act_scalar(act, acts[l][i]);
		}
	}
}

/*
 * Cost of one sample and delta_L = dC/dz by the chain rule written out:
 * dC/da from the cost's formula, then through the activation's Jacobian
 * (diagonal, or softmax's full one).
 */
static double output_delta(double *delta, const nn_net *net, const double *a, const double *tv)
{
	size_t L = net->n_layers, k = net->sizes[L];
	nn_activation act = net->acts[L - 1];
	double c = 0, dCda[64];
	if (k > 64)
		return NAN; /* the reference is for small test networks */
	for (size_t i = 0; i < k; i++) {
		double t = tv[i];
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

/*
 * One layer's backward for one sample: from d = dC/d(its pre-activation)
 * (dC/d(its output) for a layer without activation), add its parameters'
 * gradient into grad and write din = dC/d(its input).
 */
static void layer_backward(double *din, double *grad, const nn_net *net, size_t l,
			   const double *d, const double *in)
{
	const nn__layer *L = &net->layer[l - 1];
	size_t n = net->sizes[l], k = net->sizes[l - 1], C = L->in.channels;
	const double *W = L->n_w ? nn__w(net, l) : NULL;
	double *dW = L->n_w ? nn__gw(grad, net, l) : NULL, *db = L->n_w ? nn__gb(grad, net, l) : NULL;
	memset(din, 0, k * sizeof(double));
	switch (L->type) {
	case NN_LAYER_DENSE:
		for (size_t i = 0; i < n; i++) {
			db[i] += d[i];
			for (size_t c = 0; c < k; c++) {
				dW[i + c * n] += d[i] * in[c];
				din[c] += W[i + c * n] * d[i];
			}
		}
		break;
	case NN_LAYER_CONV2D: {
		size_t co = L->out.channels;
		for (size_t oy = 0; oy < L->out.height; oy++)
			for (size_t ox = 0; ox < L->out.width; ox++)
				for (size_t o = 0; o < co; o++) {
					double g = d[o + co * (ox + L->out.width * oy)];
					db[o] += g;
					for (size_t dy = 0; dy < L->k; dy++)
						for (size_t dx = 0; dx < L->k; dx++) {
							long p = window_at(L, oy, ox, dy, dx);
							for (size_t c = 0; p >= 0 && c < C; c++) {
								size_t w = o + co * (c + C * (dx + L->k * dy));
								dW[w] += g * in[c + C * (size_t)p];
								din[c + C * (size_t)p] += W[w] * g;
							}
						}
				}
		break;
	}
	case NN_LAYER_MAXPOOL:
	case NN_LAYER_AVGPOOL:
		for (size_t oy = 0; oy < L->out.height; oy++)
			for (size_t ox = 0; ox < L->out.width; ox++)
				for (size_t c = 0; c < C; c++) {
					double g = d[c + C * (ox + L->out.width * oy)];
					size_t arg = SIZE_MAX;
					double best = -INFINITY;
					for (size_t dy = 0; dy < L->k; dy++)
						for (size_t dx = 0; dx < L->k; dx++) {
							size_t p = c + C * ((ox * L->k + dx) +
									    L->in.width * (oy * L->k + dy));
							if (L->type == NN_LAYER_AVGPOOL)
								din[p] += g / (double)(L->k * L->k);
							else if (in[p] > best) /* the first maximum */
								best = in[p], arg = p;
						}
					if (L->type == NN_LAYER_MAXPOOL)
						din[arg] += g;
				}
		break;
	default:
		memcpy(din, d, n * sizeof(double));
		break;
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
	nn__target t = { .labels = y->data };
	return nn__backward_naive_target(grad, cost, net, X, &t);
}

int nn__backward_naive_target(nn_net *grad, double *cost, const nn_net *net, const nn_matrix *X,
			      const nn__target *t)
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
		double onehot[64] = { 0 };
		const double *tv = onehot;
		if (t->labels) /* the 0/1 label itself for one unit, one-hot otherwise */
			onehot[net->sizes[L] == 1 ? 0 : (size_t)t->labels[j] % 64] =
				net->sizes[L] == 1 ? (double)t->labels[j] : 1.0;
		else
			tv = t->Y + j * t->ldy;
		c += output_delta(delta[L], net, acts[L], tv);
		for (size_t l = L; l >= 1; l--) {
			/* delta[l - 1] <- dC/d(layer l's input) */
			layer_backward(delta[l - 1], grad->params, net, l, delta[l], acts[l - 1]);
			if (l == 1)
				break;
			/* through layer l - 1's activation (identity for pooling etc.) */
			for (size_t c2 = 0; c2 < net->sizes[l - 1]; c2++)
				delta[l - 1][c2] *=
					nn__act_deriv_from_output(net->acts[l - 2], acts[l - 1][c2]);
		}
	}
	if (cost)
		*cost = c;
	free(delta);
	free(acts[0]);
	free(acts);
	return 0;
}
