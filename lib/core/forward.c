/*
 * The forward pass over a whole batch: a loop over the layers, each one
 * product (a dgemm, or the sparse kernel on X for a dense first layer)
 * then one fused pass for the bias, the activation and any dropout mask;
 * pooling and dropout are one pass each, flatten none.
 *
 * Shapes (N = batch, n_l = sizes[l]): out[0] = X is n_0 x N with X->ld,
 * A_l is n_l x N with ld = n_l, W_l is n_l x n_{l-1} for a dense layer and
 * C_out x K for a convolution (conv.c has the im2col layout).
 */
#include <cblas.h>

#include "nn_internal.h"

/* A dense layer: A_l = act(W_l * in + b_l) [o mask]; the output layer keeps Z_L. */
static void dense(nn_workspace *ws, const nn_net *net, size_t l, const double *in, size_t ld_in,
		  nn_sparse *sp, const double *mask)
{
	size_t N = ws->batch, n = net->sizes[l], k = net->sizes[l - 1];
	int last = l == net->n_layers;
	double *out = last ? ws->Z : ws->A[l];
	if (sp && !last && !mask) {
		/* A_1 <- act(W_1 * X + b_1)  (sparse X: its non-zeros by column; the
		 * bias and activation fused, block by block) */
		nn__sparse_wx(ws->simd, out, n, nn__w(net, 1), n, sp, (int)net->acts[0],
			      nn__b(net, 1));
		return;
	}
	if (sp) /* out <- W_1 * X  (sparse X: its non-zeros by column) */
		nn__sparse_wx(ws->simd, out, n, nn__w(net, 1), n, sp, -1, NULL);
	else /* out <- W_l * A_{l-1}  (n x k times k x N; beta 0) */
		cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)N, (int)k, 1.0,
			    nn__w(net, l), (int)n, in, (int)ld_in, 0.0, out, (int)n);
	if (!last) /* A_l <- act(A_l + b_l) [o mask]: one pass */
		nn__act_forward(ws->simd, net->acts[l - 1], ws->A[l], n, N, n, nn__b(net, l), mask);
	else /* Z_L <- Z_L + b_L, A_L <- act(Z_L) */
		nn__act_forward_output(ws->simd, net->acts[l - 1], ws->A[l], ws->Z, n, N,
				       nn__b(net, l));
}

/*
 * A convolution: chunk by chunk of samples, col <- im2col(in), then
 * A_l[:, chunk] <- W_l * col; then one pass A_l = act(A_l + b_l) [o mask],
 * the bias one per output channel, i.e. per row of A_l seen as
 * C_out x (Ho*Wo*N).
 */
static void conv(nn_workspace *ws, const nn_net *net, size_t l, const double *in, size_t ld_in,
		 const double *mask)
{
	const nn__layer *L = &net->layer[l - 1];
	size_t N = ws->batch, co = L->out.channels, hw = L->out.height * L->out.width;
	size_t K = L->n_w / co, n_out = net->sizes[l];
	for (size_t j0 = 0; j0 < N; j0 += ws->chunk[l]) {
		size_t nb = N - j0 < ws->chunk[l] ? N - j0 : ws->chunk[l];
		nn__im2col(ws->col[l], in + j0 * ld_in, ld_in, L, nb);
		/* A_l[:, j0..] <- W_l * col  (C_out x K times K x Ho*Wo*nb; beta 0) */
		cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)co, (int)(hw * nb), (int)K,
			    1.0, nn__w(net, l), (int)co, ws->col[l], (int)K, 0.0,
			    ws->A[l] + j0 * n_out, (int)co);
	}
	nn__act_forward(ws->simd, L->act, ws->A[l], co, hw * N, co, nn__b(net, l), mask);
}

void nn__forward(nn_workspace *ws, const nn_net *net, const nn_matrix *X, nn_sparse *sp,
		 double *const *masks)
{
	size_t N = X->cols, L = net->n_layers;
	ws->batch = N;
	ws->out[0] = X->data;
	ws->ld[0] = X->ld;
	ws->dout[0] = NULL;
	for (size_t l = 1; l <= L; l++) {
		const nn__layer *ly = &net->layer[l - 1];
		const double *in = ws->out[l - 1];
		size_t ld_in = ws->ld[l - 1], n = net->sizes[l];
		/* a mask on this layer's output: dropout (hidden layers only) */
		const double *mask = masks && l < L ? masks[l] : NULL;
		ws->out[l] = ws->A[l];
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
			nn__pool_forward(ws->A[l], ws->idx[l], in, ld_in, ly, N);
			break;
		case NN_LAYER_DROPOUT:
			if (mask) { /* A_l <- in o mask */
				for (size_t j = 0; j < N; j++)
					for (size_t i = 0; i < n; i++)
						ws->A[l][i + j * n] = in[i + j * ld_in] * mask[i + j * n];
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
