/*
 * The forward pass over a whole batch: for each layer one product (a dgemm,
 * or the sparse kernel on X for the first layer), then one fused pass for
 * the bias, the activation and any dropout mask.
 *
 * Shapes (N = batch, n_l = sizes[l]): A_0 = X is n_0 x N with X->ld,
 * A_l is n_l x N with ld = n_l, W_l is n_l x n_{l-1}.
 */
#include <cblas.h>

#include "nn_internal.h"

void nn__forward(nn_workspace *ws, const nn_net *net, const nn_matrix *X, nn_sparse *sp,
		 double *const *masks)
{
	size_t N = X->cols, L = net->n_layers;
	const double *in = X->data;
	size_t ld_in = X->ld;
	for (size_t l = 1; l <= L; l++) {
		size_t n = net->sizes[l], k = net->sizes[l - 1];
		double *out = l < L ? ws->A[l] : ws->Z;
		const double *mask = masks && l < L ? masks[l] : NULL; /* hidden layers only */
		if (l == 1 && sp && l < L && !mask) {
			/* A_1 <- act(W_1 * X + b_1)  (sparse X: its non-zeros by column; the
			 * bias and activation fused, block by block) */
			nn__sparse_wx(ws->simd, out, n, nn__w(net, 1), n, sp, (int)net->acts[0],
				      nn__b(net, 1));
			in = ws->A[l];
			ld_in = n;
			continue;
		}
		if (l == 1 && sp) /* out <- W_1 * X  (sparse X: its non-zeros by column) */
			nn__sparse_wx(ws->simd, out, n, nn__w(net, 1), n, sp, -1, NULL);
		else /* out <- W_l * A_{l-1}  (n x k times k x N; beta 0) */
			cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)N, (int)k,
				    1.0, nn__w(net, l), (int)n, in, (int)ld_in, 0.0, out, (int)n);
		if (l < L) /* A_l <- act(A_l + b_l) [o mask]: one pass */
			nn__act_forward(ws->simd, net->acts[l - 1], ws->A[l], n, N, n, nn__b(net, l),
					mask);
		else /* Z_L <- Z_L + b_L, A_L <- act(Z_L) */
			nn__act_forward_output(ws->simd, net->acts[l - 1], ws->A[l], ws->Z, n, N,
					       nn__b(net, l));
		in = ws->A[l];
		ld_in = n;
	}
	ws->batch = N;
}
