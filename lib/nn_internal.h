/*
 * Private declarations shared between lib/ modules and the tests.
 * Never installed.
 */
#ifndef NN_INTERNAL_H
#define NN_INTERNAL_H

#include <stddef.h>

#include "nn/matrix.h"
#include "nn/fit.h"
#include "nn/net.h"

/* 0 when m has data, non-zero sizes and ld >= rows; else NN_ENULL or NN_ESHAPE. */
int nn__matrix_valid(const nn_matrix *m);

/* net.c: the layout of the parameter buffer. */
struct nn_net {
	size_t n_layers;      /* L */
	size_t *sizes;        /* L + 1 widths */
	nn_activation *acts;  /* acts[l - 1] is layer l's activation */
	nn_cost cost;
	size_t *offset;       /* offset[l - 1]: where W_l starts in params; b_l follows it */
	size_t n_params;
	double *params;
};

/* W_l and b_l of a network, 1 <= l <= L, without checks. */
static inline double *nn__w(const nn_net *net, size_t l)
{
	return net->params + net->offset[l - 1];
}

static inline double *nn__b(const nn_net *net, size_t l)
{
	return net->params + net->offset[l - 1] + net->sizes[l] * net->sizes[l - 1];
}

/* 0 when a and b have the same layer sizes, else NN_ESHAPE. */
int nn__net_same_shape(const nn_net *a, const nn_net *b);

/* activation.c */

/*
 * A[:, j] = act(A[:, j] + b) for every column: the bias and the activation
 * in one pass over the dgemm's output.  A is rows x cols with leading
 * dimension ld; elementwise activations only (a hidden layer). With a
 * mask (same shape), A is then multiplied by it: inverted dropout.
 */
void nn__act_forward(nn_activation act, double *A, size_t rows, size_t cols, size_t ld,
		     const double *b, const double *mask);

/*
 * The output layer: Z += b (kept, for the cross-entropies), A = act(Z),
 * softmax included. Both rows x cols with ld = rows.
 */
void nn__act_forward_output(nn_activation act, double *A, double *Z, size_t rows, size_t cols,
			    const double *b);

/*
 * D = D o act'(Z), where act' is written through the activation's output A
 * (sigmoid: a (1 - a)); db = row sums of the result (overwritten).
 * One pass over D and A. With a dropout mask, A holds act(Z) o mask.
 */
void nn__act_backward(nn_activation act, double *D, const double *A, size_t rows, size_t cols,
		      size_t ld, double *db, const double *mask);

/* act'(z) written through a = act(z). */
double nn__act_deriv_from_output(nn_activation act, double a);

/* act(z) for one value (the naive reference's path). */
double nn__act_scalar(nn_activation act, double z);

/* backprop.c */

struct nn_workspace {
	size_t n_layers;
	size_t max_batch;
	size_t *sizes;   /* L + 1 widths, a copy of the network's */
	double **A;      /* A[l], 1 <= l <= L: sizes[l] x max_batch, ld = sizes[l] */
	double **D;      /* D[l]: the deltas, same shapes as A[l] */
	double *Z;       /* Z_L = W_L A_{L-1} + b_L: sizes[L] x max_batch */
	double *buf;     /* one allocation behind every A and D */
	size_t batch;    /* columns of the last forward pass */
};

/* 0 when ws fits net's sizes, else NN_ESHAPE. */
int nn__workspace_fits(const nn_workspace *ws, const nn_net *net);

/* 0 when every label is a class of an output layer of width k (k == 1: 0 or 1). */
int nn__check_labels(const nn_labels *y, size_t k);

/* Forward pass without argument checks (X valid, finite, fits ws). */
void nn__forward(nn_workspace *ws, const nn_net *net, const nn_matrix *X);

/* The same with dropout: masks[l] (1 <= l < L), sizes[l] x X->cols with
 * ld sizes[l], multiplies A_l; NULL entries or masks = NULL: no dropout. */
void nn__forward_masked(nn_workspace *ws, const nn_net *net, const nn_matrix *X,
			double *const *masks);

/*
 * The output pass, fused: from A_L (and Z_L) and the labels of the last
 * forward pass, the cost (summed), the number of correct predictions and,
 * when grad is non-NULL, D_L = dC/dZ_L and db_L = row sums of D_L (into grad).
 */
void nn__output_pass(double *cost, size_t *correct, nn_workspace *ws, const nn_net *net,
		     const int *y, nn_net *grad);

/*
 * The rest of backpropagation, from D_L and db_L already in place: dW_L,
 * then for l = L-1..1 D_l, db_l and dW_l. Overwrites grad (beta = 0).
 */
void nn__backward_from_delta(nn_net *grad, nn_workspace *ws, const nn_net *net,
			     const nn_matrix *X);

/* The same after nn__forward_masked with the same masks. */
void nn__backward_masked(nn_net *grad, nn_workspace *ws, const nn_net *net, const nn_matrix *X,
			 double *const *masks);

/* fileio.c: write buf to path through a temporary file in the same
 * directory, flushed and renamed into place; 0, NN_EIO or NN_ENOMEM. */
int nn__write_atomic(const char *path, const void *buf, size_t len);

/* optim.c: 0 when o was made for networks of net's sizes, else NN_ESHAPE. */
int nn__optim_fits(const nn_optim *o, const nn_net *net);

/* reference.c: the naive loops the tests hold the BLAS path against. */
int nn__forward_naive(double *out, const nn_net *net, const nn_matrix *X);
int nn__backward_naive(nn_net *grad, double *cost, const nn_net *net, const nn_matrix *X,
		       const nn_labels *y);

#endif /* NN_INTERNAL_H */
