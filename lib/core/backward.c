/*
 * The backward pass over a whole batch, from the output layer's delta that
 * the output pass (cost.c) left in the workspace: for each layer the two
 * products of backpropagation, each one dgemm (or, for the first layer on
 * the sparse path, the sparse kernel on X), and one fused pass for the
 * activation's derivative, any dropout mask and the bias gradient.
 *
 * Shapes (N = batch, n_l = sizes[l]): D_l is n_l x N with ld = n_l,
 * dW_l is n_l x n_{l-1} like W_l, db_l has n_l entries.
 */
#include <cblas.h>

#include "nn_internal.h"

void nn__backward(double *grad, nn_workspace *ws, const nn_net *net, const nn_matrix *X,
		  nn_sparse *sp, double *const *masks)
{
	size_t N = ws->batch;
	for (size_t l = net->n_layers; l >= 1; l--) {
		size_t n = net->sizes[l], k = net->sizes[l - 1];
		const double *in = l > 1 ? ws->A[l - 1] : X->data;
		size_t ld_in = l > 1 ? k : X->ld;
		double *dW = nn__gw(grad, net, l);
		if (l == 1 && sp) /* dW_1 <- D_1 * X^T  (sparse X: its non-zeros by row; overwrites) */
			nn__sparse_dxt(ws->simd, dW, n, ws->D[1], n, sp);
		else /* dW_l <- D_l * A_{l-1}^T  (n x N times N x k; beta 0: overwrites) */
			cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, (int)n, (int)k, (int)N, 1.0,
				    ws->D[l], (int)n, in, (int)ld_in, 0.0, dW, (int)n);
		if (l == 1)
			break;
		/* D_{l-1} <- W_l^T * D_l  (k x n times n x N; beta 0) */
		cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)k, (int)N, (int)n, 1.0,
			    nn__w(net, l), (int)n, ws->D[l], (int)n, 0.0, ws->D[l - 1], (int)k);
		/* D_{l-1} <- D_{l-1} o act'(Z_{l-1}) [o mask];  db_{l-1} <- row sums, same pass */
		nn__act_backward(ws->simd, net->acts[l - 2], ws->D[l - 1], ws->A[l - 1], k, N, k,
				 nn__gb(grad, net, l - 1), masks ? masks[l - 1] : NULL);
	}
}
