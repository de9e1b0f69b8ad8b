/*
 * The backward pass over a whole batch, from the output layer's delta that
 * the output pass (cost.c) left in the workspace: a loop over the layers
 * from the last, each writing its parameters' gradient (one gemm, or the
 * sparse kernel on X for a dense first layer) and the delta of its input
 * (one gemm, plus col2im for a convolution; a scatter for pooling; a mask
 * for dropout). The layer below then finishes that delta in one fused pass
 * for its activation's derivative, any dropout mask and its bias gradient.
 *
 * Shapes (N = batch, n_l = sizes[l]): D_l is n_l x N with ld = n_l, dW_l
 * has W_l's shape, db_l one entry per output (per channel for a convolution).
 *
 * Compiled once for each precision (real.h).
 */
#include "nn_internal.h"
#include "real.h"

static real *dW_of(real *grad, const nn_net *net, size_t l)
{
	return grad + net->offset[l - 1];
}

static const real *W_of(const nn_net *net, size_t l)
{
	return (const real *)net->params + net->offset[l - 1];
}

/* A dense layer: dW_l = D_l in^T, and for l > 1 D_{l-1} = W_l^T D_l. */
static void dense(real *grad, nn_workspace *ws, const nn_net *net, size_t l, nn_sparse *sp)
{
	size_t N = ws->batch, n = net->sizes[l], k = net->sizes[l - 1];
	const real *D = ws->dout[l], *in = ws->out[l - 1];
	real *dW = dW_of(grad, net, l);
	if (l == 1 && sp) /* dW_1 <- D_1 * X^T  (sparse X: its non-zeros by row; overwrites) */
		NN_T(nn__sparse_dxt)(ws->simd, dW, n, D, n, sp);
	else /* dW_l <- D_l * A_{l-1}^T  (n x N times N x k; beta 0: overwrites) */
		NN_GEMM(CblasColMajor, CblasNoTrans, CblasTrans, (int)n, (int)k, (int)N, 1, D, (int)n,
			in, (int)ws->ld[l - 1], 0, dW, (int)n);
	if (l > 1) /* D_{l-1} <- W_l^T * D_l  (k x n times n x N; beta 0) */
		NN_GEMM(CblasColMajor, CblasTrans, CblasNoTrans, (int)k, (int)N, (int)n, 1,
			W_of(net, l), (int)n, D, (int)n, 0, (real *)ws->dout[l - 1], (int)k);
}

/*
 * A convolution, chunk by chunk of samples: dW_l (+)= D_l[:, chunk] col^T
 * (beta 0 for the first chunk, 1 after), and for l > 1
 * dcol = W_l^T D_l[:, chunk], then D_{l-1}[:, chunk] = col2im(dcol).
 * The forward pass's im2col is still in col when the batch was one chunk.
 */
static void conv(real *grad, nn_workspace *ws, const nn_net *net, size_t l)
{
	const nn__layer *L = &net->layer[l - 1];
	size_t N = ws->batch, co = L->out.channels, hw = L->out.height * L->out.width;
	size_t K = L->n_w / co, n_out = net->sizes[l], n_in = net->sizes[l - 1];
	const real *in = ws->out[l - 1];
	size_t ld_in = ws->ld[l - 1];
	real *col = ws->col[l];
	for (size_t j0 = 0; j0 < N; j0 += ws->chunk[l]) {
		size_t nb = N - j0 < ws->chunk[l] ? N - j0 : ws->chunk[l], m = hw * nb;
		const real *D = (const real *)ws->dout[l] + j0 * n_out;
		if (N > ws->chunk[l])
			NN_T(nn__im2col)(col, in + j0 * ld_in, ld_in, L, nb);
		/* dW_l <- D_l[:, chunk] * col^T  (C_out x m times m x K; beta 0, then 1) */
		NN_GEMM(CblasColMajor, CblasNoTrans, CblasTrans, (int)co, (int)K, (int)m, 1, D,
			(int)co, col, (int)K, j0 ? 1 : 0, dW_of(grad, net, l), (int)co);
		if (l == 1)
			continue;
		/* dcol <- W_l^T * D_l[:, chunk]  (K x C_out times C_out x m; beta 0) */
		NN_GEMM(CblasColMajor, CblasTrans, CblasNoTrans, (int)K, (int)m, (int)co, 1,
			W_of(net, l), (int)co, D, (int)co, 0, col, (int)K);
		NN_T(nn__col2im)((real *)ws->dout[l - 1] + j0 * n_in, n_in, col, L, nb);
	}
}

/* Finish the delta of layer l's output now that it is whole: for a layer
 * with an activation, D_l o= act'(A_l) [o mask] and db_l = its row sums. */
static void finish(real *grad, nn_workspace *ws, const nn_net *net, size_t l,
		   real *const *masks)
{
	const nn__layer *L = &net->layer[l - 1];
	size_t N = ws->batch, rows = L->out.channels, cols = L->out.height * L->out.width * N;
	if (L->type != NN_LAYER_DENSE && L->type != NN_LAYER_CONV2D)
		return;
	/* D_l <- D_l o act'(Z_l) [o mask];  db_l <- row sums, same pass */
	NN_T(nn__act_backward)(ws->simd, L->act, ws->dout[l], ws->A[l], rows, cols, rows,
			       dW_of(grad, net, l) + L->n_w, masks ? masks[l] : NULL);
}

void NN_T(nn__backward_in)(real *grad, nn_workspace *ws, const nn_net *net, nn_sparse *sp,
			   real *const *masks)
{
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
				NN_T(nn__pool_backward)(ws->dout[l - 1], net->sizes[l - 1], ws->dout[l],
							ws->idx[l], L, N);
			break;
		case NN_LAYER_DROPOUT:
			if (l > 1 && ws->dout[l] != ws->dout[l - 1]) { /* D_{l-1} <- D_l o mask */
				const real *m = masks[l], *d = ws->dout[l];
				real *din = ws->dout[l - 1];
				for (size_t i = 0; i < n * N; i++)
					din[i] = d[i] * m[i];
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

#ifndef NN_REAL_F32
void nn__backward(void *grad, nn_workspace *ws, const nn_net *net, nn_sparse *sp,
		  void *const *masks)
{
	if (net->f32)
		nn__backward_in_f32(grad, ws, net, sp, (float *const *)masks);
	else
		nn__backward_in_f64(grad, ws, net, sp, (double *const *)masks);
}
#endif
