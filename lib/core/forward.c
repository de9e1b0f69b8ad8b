/*
 * The forward pass over a whole batch: a loop over the layers, each one
 * product (a gemm, or the sparse kernel on X for a dense first layer)
 * then one fused pass for the bias, the activation and any dropout mask;
 * pooling and dropout are one pass each, flatten none.
 *
 * Shapes (N = batch, n_l = sizes[l]): out[0] = X is n_0 x N with its ld,
 * A_l is n_l x N with ld = n_l, W_l is n_l x n_{l-1} for a dense layer and
 * C_out x K for a convolution (conv.c has the im2col layout).
 *
 * Compiled once for each precision (real.h); nn__forward, at the end of
 * the float64 copy, picks the copy a network's precision needs.
 */
#include <string.h>

#include "nn_internal.h"
#include "real.h"

/* A dense layer: A_l = act(W_l * in + b_l) [o mask]; the output layer keeps Z_L. */
static void dense(nn_workspace *ws, const nn_net *net, size_t l, const real *in, size_t ld_in,
		  nn_sparse *sp, const real *mask)
{
	size_t N = ws->batch, n = net->sizes[l], k = net->sizes[l - 1];
	int last = l == net->n_layers;
	real *out = last ? ws->Z : ws->A[l], *A = ws->A[l];
	const real *W = (const real *)net->params + net->offset[l - 1], *b = W + net->layer[l - 1].n_w;
	if (sp && !last && !mask) {
		/* A_1 <- act(W_1 * X + b_1)  (sparse X: its non-zeros by column; the
		 * bias and activation fused, block by block) */
		NN_T(nn__sparse_wx)(ws->simd, out, n, W, n, sp, (int)net->acts[0], b);
		return;
	}
	if (sp) /* out <- W_1 * X  (sparse X: its non-zeros by column) */
		NN_T(nn__sparse_wx)(ws->simd, out, n, W, n, sp, -1, NULL);
	else /* out <- W_l * A_{l-1}  (n x k times k x N; beta 0) */
		NN_GEMM(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)N, (int)k, 1, W,
			(int)n, in, (int)ld_in, 0, out, (int)n);
	if (!last) /* A_l <- act(A_l + b_l) [o mask]: one pass */
		NN_T(nn__act_forward)(ws->simd, net->acts[l - 1], A, n, N, n, b, mask);
	else /* Z_L <- Z_L + b_L, A_L <- act(Z_L) */
		NN_T(nn__act_forward_output)(ws->simd, net->acts[l - 1], A, out, n, N, b);
}

/*
 * A convolution: chunk by chunk of samples, col <- im2col(in), then
 * A_l[:, chunk] <- W_l * col; then one pass A_l = act(A_l + b_l) [o mask],
 * the bias one per output channel, i.e. per row of A_l seen as
 * C_out x (Ho*Wo*N).
 */
static void conv(nn_workspace *ws, const nn_net *net, size_t l, const real *in, size_t ld_in,
		 const real *mask)
{
	const nn__layer *L = &net->layer[l - 1];
	size_t N = ws->batch, co = L->out.channels, hw = L->out.height * L->out.width;
	size_t K = L->n_w / co, n_out = net->sizes[l];
	const real *W = (const real *)net->params + net->offset[l - 1];
	real *A = ws->A[l], *col = ws->col[l];
	for (size_t j0 = 0; j0 < N; j0 += ws->chunk[l]) {
		size_t nb = N - j0 < ws->chunk[l] ? N - j0 : ws->chunk[l];
		NN_T(nn__im2col)(col, in + j0 * ld_in, ld_in, L, nb);
		/* A_l[:, j0..] <- W_l * col  (C_out x K times K x Ho*Wo*nb; beta 0) */
		NN_GEMM(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)co, (int)(hw * nb), (int)K, 1,
			W, (int)co, col, (int)K, 0, A + j0 * n_out, (int)co);
	}
	NN_T(nn__act_forward)(ws->simd, L->act, A, co, hw * N, co, W + L->n_w, mask);
}

void NN_T(nn__forward_in)(nn_workspace *ws, const nn_net *net, const real *x, size_t ld,
			  size_t N, nn_sparse *sp, real *const *masks)
{
	size_t L = net->n_layers;
	ws->batch = N;
	ws->out[0] = x;
	ws->ld[0] = ld;
	ws->dout[0] = NULL;
	for (size_t l = 1; l <= L; l++) {
		const nn__layer *ly = &net->layer[l - 1];
		const real *in = ws->out[l - 1];
		size_t ld_in = ws->ld[l - 1], n = net->sizes[l];
		/* a mask on this layer's output: dropout (hidden layers only) */
		const real *mask = masks && l < L ? masks[l] : NULL;
		real *A = ws->A[l];
		ws->out[l] = A;
		ws->ld[l] = n;
		ws->dout[l] = ws->D[l];
		switch (ly->type) {
		case NN_LAYER_DENSE:
			dense(ws, net, l, in, ld_in, l == 1 ? sp : NULL, mask);
			break;
		case NN_LAYER_CONV2D:
			conv(ws, net, l, in, ld_in, mask);
			break;
		case NN_LAYER_MAXPOOL:
		case NN_LAYER_AVGPOOL:
			NN_T(nn__pool_forward)(A, ws->idx[l], in, ld_in, ly, N);
			break;
		case NN_LAYER_DROPOUT:
			if (mask) { /* A_l <- in o mask */
				for (size_t j = 0; j < N; j++)
					for (size_t i = 0; i < n; i++)
						A[i + j * n] = in[i + j * ld_in] * mask[i + j * n];
				break;
			}
			/* inference passes its input on */
			/* fall through */
		case NN_LAYER_FLATTEN:
		default: /* an alias of the input, its delta too */
			ws->out[l] = in;
			ws->ld[l] = ld_in;
			ws->dout[l] = ws->dout[l - 1];
			break;
		}
	}
}

#ifndef NN_REAL_F32
/* The precision-free entry points, compiled once. */

void nn__forward_in(nn_workspace *ws, const nn_net *net, const void *x, size_t ld, size_t N,
		    nn_sparse *sp, void *const *masks)
{
	if (net->f32)
		nn__forward_in_f32(ws, net, x, ld, N, sp, (float *const *)masks);
	else
		nn__forward_in_f64(ws, net, x, ld, N, sp, (double *const *)masks);
}

void nn__forward(nn_workspace *ws, const nn_net *net, const nn_matrix *X, nn_sparse *sp,
		 void *const *masks)
{
	if (!nn__needs_input_copy(net)) {
		nn__forward_in(ws, net, X->data, X->ld, X->cols, sp, masks);
		return;
	}
	/* float32, or an input scaling: X as the first layer reads it, in ws->xin */
	nn__input_copy(ws->xin, net->sizes[0], net, X, 0, X->cols);
	nn__forward_in(ws, net, ws->xin, net->sizes[0], X->cols, sp, masks);
}
#endif
