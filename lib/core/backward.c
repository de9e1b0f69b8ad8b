/*
 * The backward pass over a whole batch, from the output layer's delta that
 * the output pass (cost.c) left in the workspace: a loop over the layers
 * from the last, each writing its parameters' gradient (one dgemm, or the
 * sparse kernel on X for a dense first layer) and the delta of its input
 * (one dgemm, plus col2im for a convolution; a scatter for pooling; a mask
 * for dropout). The layer below then finishes that delta in one fused pass
 * for its activation's derivative, any dropout mask and its bias gradient.
 *
 * Shapes (N = batch, n_l = sizes[l]): D_l is n_l x N with ld = n_l, dW_l
 * has W_l's shape, db_l one entry per output (per channel for a convolution).
 */
#include <cblas.h>

#include "nn_internal.h"

/* A dense layer: dW_l = D_l in^T, and for l > 1 D_{l-1} = W_l^T D_l. */
static void dense(double *grad, nn_workspace *ws, const nn_net *net, size_t l, nn_sparse *sp)
{
	size_t N = ws->batch, n = net->sizes[l], k = net->sizes[l - 1];
	const double *D = ws->dout[l], *in = ws->out[l - 1];
	double *dW = nn__gw(grad, net, l);
	if (l == 1 && sp) /* dW_1 <- D_1 * X^T  (sparse X: its non-zeros by row; overwrites) */
		nn__sparse_dxt(ws->simd, dW, n, D, n, sp);
	else /* dW_l <- D_l * A_{l-1}^T  (n x N times N x k; beta 0: overwrites) */
		cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, (int)n, (int)k, (int)N, 1.0, D,
			    (int)n, in, (int)ws->ld[l - 1], 0.0, dW, (int)n);
	if (l > 1) /* D_{l-1} <- W_l^T * D_l  (k x n times n x N; beta 0) */
		cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)k, (int)N, (int)n, 1.0,
			    nn__w(net, l), (int)n, D, (int)n, 0.0, ws->dout[l - 1], (int)k);
}

/*
 * A convolution, chunk by chunk of samples: dW_l (+)= D_l[:, chunk] col^T
 * (beta 0 for the first chunk, 1 after), and for l > 1
 * dcol = W_l^T D_l[:, chunk], then D_{l-1}[:, chunk] = col2im(dcol).
 * The forward pass's im2col is still in col when the batch was one chunk.
 */
static void conv(double *grad, nn_workspace *ws, const nn_net *net, size_t l)
{
	const nn__layer *L = &net->layer[l - 1];
	size_t N = ws->batch, co = L->out.channels, hw = L->out.height * L->out.width;
	size_t K = L->n_w / co, n_out = net->sizes[l], n_in = net->sizes[l - 1];
	const double *in = ws->out[l - 1];
	size_t ld_in = ws->ld[l - 1];
	double *col = ws->col[l];
	for (size_t j0 = 0; j0 < N; j0 += ws->chunk[l]) {
		size_t nb = N - j0 < ws->chunk[l] ? N - j0 : ws->chunk[l], m = hw * nb;
		const double *D = ws->dout[l] + j0 * n_out;
		if (N > ws->chunk[l])
			nn__im2col(col, in + j0 * ld_in, ld_in, L, nb);
		/* dW_l <- D_l[:, chunk] * col^T  (C_out x m times m x K; beta 0, then 1) */
		cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, (int)co, (int)K, (int)m, 1.0, D,
			    (int)co, col, (int)K, j0 ? 1.0 : 0.0, nn__gw(grad, net, l), (int)co);
		if (l == 1)
			continue;
		/* dcol <- W_l^T * D_l[:, chunk]  (K x C_out times C_out x m; beta 0) */
		cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)K, (int)m, (int)co, 1.0,
			    nn__w(net, l), (int)co, D, (int)co, 0.0, col, (int)K);
		nn__col2im(ws->dout[l - 1] + j0 * n_in, n_in, col, L, nb);
	}
}

/* Finish the delta of layer l's output now that it is whole: for a layer
 * with an activation, D_l o= act'(A_l) [o mask] and db_l = its row sums. */
static void finish(double *grad, nn_workspace *ws, const nn_net *net, size_t l,
		   double *const *masks)
{
	const nn__layer *L = &net->layer[l - 1];
	size_t N = ws->batch, rows = L->out.channels, cols = L->out.height * L->out.width * N;
	if (L->type != NN_LAYER_DENSE && L->type != NN_LAYER_CONV2D)
		return;
	/* D_l <- D_l o act'(Z_l) [o mask];  db_l <- row sums, same pass */
	nn__act_backward(ws->simd, L->act, ws->dout[l], ws->A[l], rows, cols, rows,
			 nn__gb(grad, net, l), masks ? masks[l] : NULL);
}

void nn__backward(double *grad, nn_workspace *ws, const nn_net *net, const nn_matrix *X,
		  nn_sparse *sp, double *const *masks)
{
	(void)X; /* the forward pass recorded where each layer read its input */
	size_t N = ws->batch;
	for (size_t l = net->n_layers; l >= 1; l--) {
		const nn__layer *L = &net->layer[l - 1];
		size_t n = net->sizes[l];
		switch (L->type) {
		case NN_LAYER_DENSE:
			dense(grad, ws, net, l, sp);
			break;
		case NN_LAYER_CONV2D:
			conv(grad, ws, net, l);
			break;
		case NN_LAYER_MAXPOOL:
		case NN_LAYER_AVGPOOL:
			if (l > 1)
				nn__pool_backward(ws->dout[l - 1], net->sizes[l - 1], ws->dout[l],
						  ws->idx[l], L, N);
			break;
		case NN_LAYER_DROPOUT:
			if (l > 1 && ws->dout[l] != ws->dout[l - 1]) { /* D_{l-1} <- D_l o mask */
				const double *m = masks[l];
				for (size_t i = 0; i < n * N; i++)
					ws->dout[l - 1][i] = ws->dout[l][i] * m[i];
			}
			break;
		case NN_LAYER_FLATTEN: /* the delta is already the input's */
		default:
			break;
		}
		if (l > 1)
			finish(grad, ws, net, l - 1, masks);
	}
}
