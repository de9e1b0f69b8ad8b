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

NN_EXPORT int nn_workspace_new(nn_workspace **out, const nn_net *net, size_t max_batch)
{
	if (!out)
		return NN_ENULL;
	*out = NULL;
	if (!net)
		return NN_ENULL;
	if (max_batch == 0)
		return NN_EINVAL;
	if (max_batch > INT_MAX) /* CBLAS takes int sizes */
		return NN_ESIZE;
	size_t L = net->n_layers, total = 0;
	for (size_t l = 1; l <= L; l++) {
		if (net->sizes[l] > SIZE_MAX / sizeof(double) / 2 / max_batch)
			return NN_ESIZE;
		size_t n = net->sizes[l] * max_batch;
		if (2 * n > SIZE_MAX / sizeof(double) - total)
			return NN_ESIZE;
		total += 2 * n;
	}
	size_t nz = net->sizes[L] * max_batch; /* Z_L */
	if (nz > SIZE_MAX / sizeof(double) - total)
		return NN_ESIZE;
	total += nz;

	int rc = NN_ENOMEM;
	nn_workspace *ws = calloc(1, sizeof(*ws));
	if (!ws)
		goto out;
	ws->n_layers = L;
	ws->max_batch = max_batch;
	ws->simd = nn__cpu_simd();
	ws->sizes = malloc((L + 1) * sizeof(*ws->sizes));
	ws->A = calloc(L + 1, sizeof(*ws->A));
	ws->D = calloc(L + 1, sizeof(*ws->D));
	ws->buf = malloc(total * sizeof(double));
	if (!ws->sizes || !ws->A || !ws->D || !ws->buf)
		goto out;
	memcpy(ws->sizes, net->sizes, (L + 1) * sizeof(*ws->sizes));
	double *p = ws->buf;
	for (size_t l = 1; l <= L; l++) {
		ws->A[l] = p;
		p += net->sizes[l] * max_batch;
		ws->D[l] = p;
		p += net->sizes[l] * max_batch;
	}
	ws->Z = p;
	*out = ws;
	ws = NULL;
	rc = 0;
out:
	nn_workspace_free(ws);
	return rc;
}

NN_EXPORT void nn_workspace_free(nn_workspace *ws)
{
	if (!ws)
		return;
	free(ws->sizes);
	free(ws->A);
	free(ws->D);
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
