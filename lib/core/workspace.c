/*
 * The workspace -- every layer's activations and deltas for batches of up
 * to max_batch columns, allocated once -- and the public passes over it,
 * which check their arguments before any BLAS call.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nn/net.h"
#include "nn_internal.h"

/* a + b * c doubles, or SIZE_MAX when it overflows a buffer's byte size */
static size_t grow(size_t a, size_t b, size_t c)
{
	size_t lim = SIZE_MAX / sizeof(double);
	if (a == SIZE_MAX || (b && c > lim / b) || b * c > lim - a)
		return SIZE_MAX;
	return a + b * c;
}

/*
 * How many samples a convolution's im2col buffer holds at once: as many as
 * fit in NN__COL_BYTES, at least one and at most the batch, and with
 * Ho * Wo * chunk within int (one dgemm's columns).
 */
static size_t conv_chunk(const nn__layer *L, size_t max_batch)
{
	size_t K = L->n_w / L->out.channels, hw = L->out.height * L->out.width;
	size_t per = K * hw * sizeof(double), chunk = NN__COL_BYTES / (per ? per : 1);
	if (chunk > (size_t)INT_MAX / hw)
		chunk = (size_t)INT_MAX / hw;
	return chunk < 1 ? 1 : chunk > max_batch ? max_batch : chunk;
}

int nn__workspace_new(nn_workspace **out, const nn_net *net, size_t max_batch, int deltas)
{
	*out = NULL;
	if (max_batch == 0)
		return nn__errorf(NN_EINVAL, "a workspace for batches of 0 samples");
	if (max_batch > INT_MAX) /* CBLAS takes int sizes */
		return nn__errorf(NN_ESIZE, "batches of %zu samples: more than INT_MAX", max_batch);
	size_t L = net->n_layers, total = 0, n_idx = 0;
	for (size_t l = 1; l <= L; l++) {
		const nn__layer *ly = &net->layer[l - 1];
		int own = ly->type != NN_LAYER_FLATTEN && (deltas || ly->type != NN_LAYER_DROPOUT);
		if (own) /* A_l, and D_l for the backward pass */
			total = grow(total, (size_t)(deltas ? 2 : 1) * net->sizes[l], max_batch);
		if (ly->type == NN_LAYER_CONV2D)
			total = grow(total, ly->n_w / ly->out.channels * ly->out.height *
				     ly->out.width, conv_chunk(ly, max_batch));
		if (ly->type == NN_LAYER_MAXPOOL) {
			if (net->sizes[l] > SIZE_MAX / sizeof(uint32_t) / max_batch - n_idx)
				total = SIZE_MAX;
			n_idx += net->sizes[l] * max_batch;
		}
	}
	total = grow(total, net->sizes[L], max_batch); /* Z_L */
	if (total == SIZE_MAX)
		return nn__errorf(NN_ESIZE, "a workspace for %zu samples would not fit in memory",
				  max_batch);

	int rc = NN_ENOMEM;
	nn_workspace *ws = calloc(1, sizeof(*ws));
	if (!ws)
		goto out;
	ws->n_layers = L;
	ws->max_batch = max_batch;
	ws->simd = nn__cpu_simd();
	ws->deltas = deltas;
	ws->sizes = malloc((L + 1) * sizeof(*ws->sizes));
	ws->A = calloc(L + 1, sizeof(*ws->A));
	ws->D = calloc(L + 1, sizeof(*ws->D));
	ws->out = calloc(L + 1, sizeof(*ws->out));
	ws->dout = calloc(L + 1, sizeof(*ws->dout));
	ws->ld = calloc(L + 1, sizeof(*ws->ld));
	ws->col = calloc(L + 1, sizeof(*ws->col));
	ws->chunk = calloc(L + 1, sizeof(*ws->chunk));
	ws->idx = calloc(L + 1, sizeof(*ws->idx));
	ws->buf = malloc(total * sizeof(double));
	ws->idx_buf = n_idx ? malloc(n_idx * sizeof(uint32_t)) : NULL;
	if (!ws->sizes || !ws->A || !ws->D || !ws->out || !ws->dout || !ws->ld || !ws->col ||
	    !ws->chunk || !ws->idx || !ws->buf || (n_idx && !ws->idx_buf))
		goto out;
	memcpy(ws->sizes, net->sizes, (L + 1) * sizeof(*ws->sizes));
	double *p = ws->buf;
	uint32_t *q = ws->idx_buf;
	for (size_t l = 1; l <= L; l++) {
		const nn__layer *ly = &net->layer[l - 1];
		size_t n = net->sizes[l] * max_batch;
		if (ly->type != NN_LAYER_FLATTEN && (deltas || ly->type != NN_LAYER_DROPOUT)) {
			ws->A[l] = p;
			p += n;
			if (deltas) {
				ws->D[l] = p;
				p += n;
			}
		}
		if (ly->type == NN_LAYER_CONV2D) {
			ws->chunk[l] = conv_chunk(ly, max_batch);
			ws->col[l] = p;
			p += ly->n_w / ly->out.channels * ly->out.height * ly->out.width *
			     ws->chunk[l];
		}
		if (ly->type == NN_LAYER_MAXPOOL) {
			ws->idx[l] = q;
			q += n;
		}
	}
	ws->Z = p;
	*out = ws;
	ws = NULL;
	rc = 0;
out:
	nn_workspace_free(ws);
	return rc;
}

NN_EXPORT int nn_workspace_new(nn_workspace **out, const nn_net *net, size_t max_batch)
{
	nn__clear_error();
	if (!out)
		return NN_ENULL;
	*out = NULL;
	if (!net)
		return NN_ENULL;
	return nn__workspace_new(out, net, max_batch, 1);
}

NN_EXPORT void nn_workspace_free(nn_workspace *ws)
{
	if (!ws)
		return;
	free(ws->sizes);
	free(ws->A);
	free(ws->D);
	free(ws->out);
	free(ws->dout);
	free(ws->ld);
	free(ws->col);
	free(ws->chunk);
	free(ws->idx);
	free(ws->idx_buf);
	free(ws->buf);
	free(ws);
}

int nn__workspace_fits(const nn_workspace *ws, const nn_net *net)
{
	if (ws->n_layers != net->n_layers)
		return NN_ESHAPE;
	for (size_t l = 0; l <= net->n_layers; l++)
		if (ws->sizes[l] != net->sizes[l])
			return NN_ESHAPE;
	return 0;
}

int nn__check_labels(const nn_labels *y, size_t k)
{
	if (!y->data)
		return NN_ENULL;
	int hi = k == 1 ? 1 : (k > INT32_MAX ? INT32_MAX : (int)k - 1);
	for (size_t i = 0; i < y->n; i++)
		if (y->data[i] < 0 || y->data[i] > hi)
			return nn__errorf(NN_ELABEL,
					  "label %zu is %d; an output layer of %zu unit%s takes "
					  "labels 0 to %d", i, y->data[i], k, k == 1 ? "" : "s", hi);
	return 0;
}

int nn__check_data(const nn_net *net, const nn_matrix *X, const nn_labels *y, int allow_empty)
{
	if (!X || !y)
		return NN_ENULL;
	int empty = allow_empty && X->cols == 0;
	int rc = empty ? 0 : nn__matrix_valid(X);
	if (rc)
		return rc;
	if (X->rows != net->sizes[0])
		return nn__errorf(NN_ESHAPE, "X has %zu rows, the network's input layer has %zu",
				  X->rows, net->sizes[0]);
	if (y->n != X->cols)
		return nn__errorf(NN_ESHAPE, "X has %zu columns (samples) but there are %zu labels",
				  X->cols, y->n);
	if (empty)
		return 0;
	if (!y->data)
		return NN_ENULL;
	if ((rc = nn_matrix_check_finite(X)))
		return rc;
	return nn__check_labels(y, net->sizes[net->n_layers]);
}

/* The argument checks every public pass shares. */
static int check_pass(const nn_workspace *ws, const nn_net *net, const nn_matrix *X)
{
	nn__clear_error();
	if (!ws || !net || !X)
		return NN_ENULL;
	int rc = nn__matrix_valid(X);
	if (rc)
		return rc;
	if (nn__workspace_fits(ws, net))
		return nn__errorf(NN_ESHAPE, "the workspace was made for a network of other sizes");
	if (X->rows != net->sizes[0])
		return nn__errorf(NN_ESHAPE, "X has %zu rows, the network's input layer has %zu",
				  X->rows, net->sizes[0]);
	if (X->cols > ws->max_batch)
		return nn__errorf(NN_ESHAPE, "X has %zu columns, the workspace holds %zu", X->cols,
				  ws->max_batch);
	return nn_matrix_check_finite(X);
}


NN_EXPORT int nn_forward(nn_matrix *out, nn_workspace *ws, const nn_net *net, const nn_matrix *X)
{
	int rc = check_pass(ws, net, X);
	if (rc)
		return rc;
	nn__forward(ws, net, X, NULL, NULL);
	if (out) {
		size_t L = net->n_layers;
		*out = nn_matrix_view(ws->A[L], net->sizes[L], X->cols, net->sizes[L]);
	}
	return 0;
}

NN_EXPORT int nn_predict(int *pred, nn_workspace *ws, const nn_net *net, const nn_matrix *X)
{
	if (!pred)
		return NN_ENULL;
	int rc = nn_forward(NULL, ws, net, X);
	if (rc)
		return rc;
	size_t k = net->sizes[net->n_layers];
	const double *A = ws->A[net->n_layers];
	for (size_t j = 0; j < X->cols; j++)
		pred[j] = (int)nn__predict_column(A + j * k, k);
	return 0;
}

/* Checks of a pass that also reads labels. */
static int check_labelled(const nn_workspace *ws, const nn_net *net, const nn_matrix *X,
			  const nn_labels *y)
{
	int rc = check_pass(ws, net, X);
	if (rc)
		return rc;
	if (!y)
		return NN_ENULL;
	if (y->n != X->cols)
		return nn__errorf(NN_ESHAPE, "X has %zu columns (samples) but there are %zu labels",
				  X->cols, y->n);
	return nn__check_labels(y, net->sizes[net->n_layers]);
}

NN_EXPORT int nn_evaluate(double *cost, size_t *correct, nn_workspace *ws, const nn_net *net,
			  const nn_matrix *X, const nn_labels *y)
{
	int rc = check_labelled(ws, net, X, y);
	if (rc)
		return rc;
	nn__score s;
	nn__forward(ws, net, X, NULL, NULL);
	nn__output_pass(&s, ws, net, y->data, NULL);
	if (cost)
		*cost = s.cost;
	if (correct)
		*correct = s.correct;
	return 0;
}

NN_EXPORT int nn_backward(nn_net *grad, double *cost, nn_workspace *ws, const nn_net *net,
			  const nn_matrix *X, const nn_labels *y)
{
	if (!grad)
		return NN_ENULL;
	int rc = check_labelled(ws, net, X, y);
	if (rc)
		return rc;
	if (nn__net_same_shape(grad, net))
		return NN_ESHAPE;
	nn__score s;
	nn__forward(ws, net, X, NULL, NULL);
	nn__output_pass(&s, ws, net, y->data, grad->params);
	nn__backward(grad->params, ws, net, X, NULL, NULL);
	if (cost)
		*cost = s.cost;
	return 0;
}
