/*
 * The workspace -- every layer's activations and deltas for batches of up
 * to max_batch columns, allocated once -- and the public passes over it,
 * which check their arguments before any BLAS call.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nn/net.h"
#include "nn_internal.h"

/* a + b * c values, or SIZE_MAX when it overflows a buffer's byte size */
static size_t grow(size_t a, size_t b, size_t c)
{
	size_t lim = SIZE_MAX / sizeof(double) - 64;
	if (a == SIZE_MAX || (b && c > lim / b) || b * c > lim - a)
		return SIZE_MAX;
	return a + b * c;
}

/*
 * How many samples a convolution's im2col buffer holds at once: as many as
 * fit in NN__COL_BYTES, at least one and at most the batch, and with
 * Ho * Wo * chunk within int (one dgemm's columns).
 */
static size_t conv_chunk(const nn__layer *L, size_t max_batch, size_t elem)
{
	size_t K = L->n_w / L->out.channels, hw = L->out.height * L->out.width;
	size_t per = K * hw * elem, chunk = NN__COL_BYTES / (per ? per : 1);
	if (chunk > (size_t)INT_MAX / hw)
		chunk = (size_t)INT_MAX / hw;
	return chunk < 1 ? 1 : chunk > max_batch ? max_batch : chunk;
}

/*
 * The doubles of a workspace's one buffer for batches of max_batch: every
 * layer's values of the network's type, then, 8-byte aligned at *typed
 * bytes, the one-hot target in doubles; and *n_idx pooling indices beside
 * it. SIZE_MAX when it would not fit in memory.
 */
static size_t ws_size(size_t *typed, size_t *n_idx, const nn_net *net, size_t max_batch,
		      int deltas)
{
	size_t L = net->n_layers, total = 0, elem = nn__elem(net);
	*n_idx = 0;
	for (size_t l = 1; l <= L; l++) {
		const nn__layer *ly = &net->layer[l - 1];
		int own = ly->type != NN_LAYER_FLATTEN && (deltas || ly->type != NN_LAYER_DROPOUT);
		if (own) /* A_l, and D_l for the backward pass */
			total = grow(total, (size_t)(deltas ? 2 : 1) * net->sizes[l], max_batch);
		if (ly->type == NN_LAYER_CONV2D)
			total = grow(total, ly->n_w / ly->out.channels * ly->out.height *
				     ly->out.width, conv_chunk(ly, max_batch, elem));
		if (ly->type == NN_LAYER_MAXPOOL) {
			if (net->sizes[l] > SIZE_MAX / sizeof(uint32_t) / max_batch - *n_idx)
				total = SIZE_MAX;
			*n_idx += net->sizes[l] * max_batch;
		}
	}
	total = grow(total, net->sizes[L], max_batch); /* Z_L */
	if (nn__needs_input_copy(net)) /* the input as the first layer reads it */
		total = grow(total, net->sizes[0], max_batch);
	*typed = total == SIZE_MAX ? SIZE_MAX : (total * elem + 7) / 8 * 8;
	return *typed == SIZE_MAX ? SIZE_MAX : grow(*typed / sizeof(double), net->sizes[L], 1);
}

/* Point A, D, col, idx, Z, xin and t into ws's buffers, as ws_size laid them out. */
static void ws_carve(nn_workspace *ws, const nn_net *net, size_t typed)
{
	size_t L = net->n_layers, max_batch = ws->max_batch, elem = nn__elem(net);
	char *p = ws->buf; /* advanced by values of the network's type */
	uint32_t *q = ws->idx_buf;
	for (size_t l = 1; l <= L; l++) {
		const nn__layer *ly = &net->layer[l - 1];
		size_t n = net->sizes[l] * max_batch;
		if (ly->type != NN_LAYER_FLATTEN && (ws->deltas || ly->type != NN_LAYER_DROPOUT)) {
			ws->A[l] = p;
			p += n * elem;
			if (ws->deltas) {
				ws->D[l] = p;
				p += n * elem;
			}
		}
		if (ly->type == NN_LAYER_CONV2D) {
			ws->chunk[l] = conv_chunk(ly, max_batch, elem);
			ws->col[l] = p;
			p += ly->n_w / ly->out.channels * ly->out.height * ly->out.width *
			     ws->chunk[l] * elem;
		}
		if (ly->type == NN_LAYER_MAXPOOL) {
			ws->idx[l] = q;
			q += n;
		}
	}
	ws->Z = p;
	p += net->sizes[L] * max_batch * elem;
	if (nn__needs_input_copy(net)) {
		ws->xin = p;
		p += net->sizes[0] * max_batch * elem;
	}
	ws->t = (double *)((char *)ws->buf + typed);
}

int nn__workspace_new(nn_workspace **out, const nn_net *net, size_t max_batch, int deltas)
{
	*out = NULL;
	if (max_batch == 0)
		return nn__errorf(NN_EINVAL, "a workspace for batches of 0 samples");
	if (max_batch > INT_MAX) /* CBLAS takes int sizes */
		return nn__errorf(NN_ESIZE, "batches of %zu samples: more than INT_MAX", max_batch);
	size_t L = net->n_layers, typed, n_idx;
	size_t total = ws_size(&typed, &n_idx, net, max_batch, deltas);
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
	ws->f32 = net->f32;
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
	ws_carve(ws, net, typed);
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
		return nn__errorf(NN_ESHAPE, "the workspace was made for a network of other sizes");
	for (size_t l = 0; l <= net->n_layers; l++)
		if (ws->sizes[l] != net->sizes[l])
			return nn__errorf(NN_ESHAPE, "the workspace was made for a network of other "
					  "sizes");
	if (ws->f32 != net->f32)
		return nn__errorf(NN_ESHAPE, "the workspace was made for a network of another "
				  "precision: make it again");
	if (nn__needs_input_copy(net) && !ws->xin)
		return nn__errorf(NN_ESHAPE, "the network's input scaling came after the workspace "
				  "was made: make it again");
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

int nn__check_values(const nn_net *net, const nn_matrix *Y, size_t n)
{
	size_t k = net->sizes[net->n_layers];
	if (!Y)
		return NN_ENULL;
	if (Y->rows != k || Y->cols != n)
		return nn__errorf(NN_ESHAPE, "Y is %zu x %zu; it must be %zu x %zu: one column of %zu "
				  "target%s per sample", Y->rows, Y->cols, k, n, k, k == 1 ? "" : "s");
	if (n == 0)
		return 0;
	int rc = nn_matrix_check_finite(Y);
	if (rc)
		return rc;
	for (size_t j = 0; j < n; j++) {
		double sum = 0;
		for (size_t i = 0; i < k; i++) {
			double v = NN_AT(Y, i, j);
			sum += v;
			if ((net->cost == NN_COST_BCE || net->cost == NN_COST_CE) && !(v >= 0 && v <= 1))
				return nn__errorf(NN_EINVAL, "Y(%zu, %zu) is %g: the %s cost takes targets "
						  "in [0, 1]", i, j, v, net->cost == NN_COST_BCE
						  ? "binary cross-entropy" : "cross-entropy");
		}
		if (net->cost == NN_COST_CE && fabs(sum - 1) > 1e-9 * (double)k)
			return nn__errorf(NN_EINVAL, "column %zu of Y sums to %.17g: the cross-entropy "
					  "cost takes distributions (columns summing to 1)", j, sum);
	}
	return 0;
}

/* X, sizes[0] rows, finite (it may have 0 columns when allow_empty). */
static int check_input(const nn_net *net, const nn_matrix *X, int allow_empty)
{
	int empty = allow_empty && X->cols == 0;
	int rc = empty ? 0 : nn__matrix_valid(X);
	if (rc)
		return rc;
	if (X->rows != net->sizes[0])
		return nn__errorf(NN_ESHAPE, "X has %zu rows, the network's input layer has %zu",
				  X->rows, net->sizes[0]);
	return empty ? 0 : nn_matrix_check_finite(X);
}

int nn__check_data(const nn_net *net, const nn_matrix *X, const nn_labels *y, const nn_matrix *Y,
		   int allow_empty)
{
	if (!X || (!y && !Y))
		return NN_ENULL;
	int rc = check_input(net, X, allow_empty);
	if (rc)
		return rc;
	if (Y)
		return nn__check_values(net, Y, X->cols);
	if (y->n != X->cols)
		return nn__errorf(NN_ESHAPE, "X has %zu columns (samples) but there are %zu labels",
				  X->cols, y->n);
	if (X->cols == 0)
		return 0;
	if (!y->data)
		return NN_ENULL;
	return nn__check_labels(y, net->sizes[net->n_layers]);
}

nn__target nn__target_of(const nn_labels *y, const nn_matrix *Y)
{
	if (Y)
		return (nn__target){ .Y = Y->data, .ldy = Y->ld };
	return (nn__target){ .labels = y->data };
}

size_t nn__eval_chunk(const nn_net *net, size_t n)
{
	size_t width = net->sizes[0];
	for (size_t l = 1; l <= net->n_layers; l++)
		width += net->sizes[l];
	size_t fit = ((size_t)64 << 20) / sizeof(double) / width, chunk = n < 1024 ? n : 1024;
	return chunk <= fit ? chunk : fit ? fit : 1;
}

void nn__evaluate(nn__score *s, nn_workspace *ws, const nn_net *net, const nn_matrix *X,
		  const nn__target *t, double *sse_k)
{
	nn__score sum = { 0 };
	for (size_t j0 = 0; j0 < X->cols; j0 += ws->max_batch) {
		size_t n = X->cols - j0 < ws->max_batch ? X->cols - j0 : ws->max_batch;
		nn_matrix part = nn_matrix_view(X->data + j0 * X->ld, X->rows, n, X->ld);
		nn__target tp = nn__target_from(t, j0);
		nn__score one;
		nn__forward(ws, net, &part, NULL, NULL);
		nn__output_pass(&one, ws, net, &tp, NULL, sse_k);
		sum.cost += one.cost;
		sum.correct += one.correct;
		sum.sse += one.sse;
		sum.sae += one.sae;
	}
	*s = sum;
}

/*
 * The checks every public pass starts with. *ws is the caller's workspace,
 * checked, or NULL: then *own is made for chunks of X (without deltas).
 * max: the most columns X may have (SIZE_MAX: any, in chunks).
 */
static int begin_pass(nn_workspace **ws, nn_workspace **own, const nn_net *net,
		      const nn_matrix *X, size_t max)
{
	nn__clear_error();
	*own = NULL;
	if (!net || !X)
		return NN_ENULL;
	int rc = check_input(net, X, 0);
	if (rc)
		return rc;
	if (!*ws)
		return (rc = nn__workspace_new(own, net, nn__eval_chunk(net, X->cols), 0)) ? rc
			: (*ws = *own, 0);
	if ((rc = nn__workspace_fits(*ws, net)))
		return rc;
	if (X->cols > max && X->cols > (*ws)->max_batch)
		return nn__errorf(NN_ESHAPE, "X has %zu columns, the workspace holds %zu", X->cols,
				  (*ws)->max_batch);
	return 0;
}

NN_EXPORT int nn_forward(nn_matrix *out, nn_workspace *ws, const nn_net *net, const nn_matrix *X)
{
	nn_workspace *own;
	if (!ws)
		return NN_ENULL;
	int rc = begin_pass(&ws, &own, net, X, 0);
	if (rc)
		return rc;
	if (out && net->f32)
		return nn__errorf(NN_EINVAL, "nn_forward hands back a view of float64 outputs; for "
				  "a float32 network use nn_predict_values");
	nn__forward(ws, net, X, NULL, NULL);
	if (out) {
		size_t L = net->n_layers;
		*out = nn_matrix_view(ws->A[L], net->sizes[L], X->cols, net->sizes[L]);
	}
	return 0;
}

/* The output layer's values for X, chunk by chunk: into out (k x N, ld), and/or
 * the predicted classes into pred. */
static int outputs(nn_matrix *out, int *pred, nn_workspace *ws, const nn_net *net,
		   const nn_matrix *X)
{
	nn_workspace *own;
	int rc = begin_pass(&ws, &own, net, X, SIZE_MAX);
	if (rc)
		return rc;
	size_t L = net->n_layers, k = net->sizes[L];
	for (size_t j0 = 0; j0 < X->cols; j0 += ws->max_batch) {
		size_t n = X->cols - j0 < ws->max_batch ? X->cols - j0 : ws->max_batch;
		nn_matrix part = nn_matrix_view(X->data + j0 * X->ld, X->rows, n, X->ld);
		nn__forward(ws, net, &part, NULL, NULL);
		for (size_t j = 0; j < n; j++) {
			const double *a = (const double *)ws->A[L] + j * k;
			const float *af = (const float *)ws->A[L] + j * k;
			double *o = out ? out->data + (j0 + j) * out->ld : NULL;
			if (pred)
				pred[j0 + j] = (int)(net->f32 ? nn__predict_column_f32(af, k)
							      : nn__predict_column_f64(a, k));
			for (size_t i = 0; o && i < k; i++)
				o[i] = net->f32 ? af[i] : a[i];
		}
	}
	nn_workspace_free(own);
	return 0;
}

NN_EXPORT int nn_predict(int *pred, nn_workspace *ws, const nn_net *net, const nn_matrix *X)
{
	if (!pred)
		return NN_ENULL;
	return outputs(NULL, pred, ws, net, X);
}

NN_EXPORT int nn_predict_values(nn_matrix *out, nn_workspace *ws, const nn_net *net,
				const nn_matrix *X)
{
	if (!out || !out->data || !net || !X)
		return NN_ENULL;
	size_t k = net->sizes[net->n_layers];
	if (out->rows != k || out->cols != X->cols || out->ld < out->rows)
		return nn__errorf(NN_ESHAPE, "out is %zu x %zu; it must be %zu x %zu", out->rows,
				  out->cols, k, X->cols);
	return outputs(out, NULL, ws, net, X);
}

NN_EXPORT int nn_evaluate(double *cost, size_t *correct, nn_workspace *ws, const nn_net *net,
			  const nn_matrix *X, const nn_labels *y)
{
	nn_workspace *own;
	int rc = begin_pass(&ws, &own, net, X, SIZE_MAX);
	if (!rc)
		rc = nn__check_data(net, X, y, NULL, 0);
	if (rc) {
		nn_workspace_free(own);
		return rc;
	}
	nn__target t = nn__target_of(y, NULL);
	nn__score s;
	nn__evaluate(&s, ws, net, X, &t, NULL);
	if (cost)
		*cost = s.cost;
	if (correct)
		*correct = s.correct;
	nn_workspace_free(own);
	return 0;
}

void nn__sst(double *sst_k, const nn_matrix *Y)
{
	size_t N = Y->cols;
	for (size_t i = 0; i < Y->rows; i++) { /* two passes: the mean, then the deviations */
		double mean = 0, sst = 0;
		for (size_t j = 0; j < N; j++)
			mean += NN_AT(Y, i, j);
		mean /= (double)N;
		for (size_t j = 0; j < N; j++)
			sst += (NN_AT(Y, i, j) - mean) * (NN_AT(Y, i, j) - mean);
		sst_k[i] = sst;
	}
}

double nn__r2(const double *sse_k, const double *sst_k, size_t k)
{
	double r2 = 0;
	for (size_t i = 0; i < k; i++) /* a constant target: 1 when exact, else 0 (as scikit-learn) */
		r2 += sst_k[i] > 0 ? 1.0 - sse_k[i] / sst_k[i] : sse_k[i] == 0 ? 1.0 : 0.0;
	return r2 / (double)k;
}

void nn__metrics_values(nn_metrics *m, const nn__score *s, const double *sse_k, double *sst_k,
			const nn_matrix *Y)
{
	size_t N = Y->cols, k = Y->rows;
	double cells = (double)N * (double)k;
	nn__sst(sst_k, Y);
	*m = (nn_metrics){ .n = N, .cost = s->cost / (double)N, .accuracy = NAN,
			   .mse = s->sse / cells, .rmse = sqrt(s->sse / cells),
			   .mae = s->sae / cells, .r2 = nn__r2(sse_k, sst_k, k) };
}

NN_EXPORT int nn_evaluate_values(nn_metrics *m, nn_workspace *ws, const nn_net *net,
				 const nn_matrix *X, const nn_matrix *Y)
{
	if (!m)
		return NN_ENULL;
	nn_workspace *own;
	int rc = begin_pass(&ws, &own, net, X, SIZE_MAX);
	if (!rc)
		rc = nn__check_data(net, X, NULL, Y, 0);
	double *sse_k = rc ? NULL : calloc(2 * net->sizes[net->n_layers], sizeof(double));
	if (!rc && !sse_k)
		rc = NN_ENOMEM;
	if (!rc) {
		nn__target t = nn__target_of(NULL, Y);
		nn__score s;
		nn__evaluate(&s, ws, net, X, &t, sse_k);
		nn__metrics_values(m, &s, sse_k, sse_k + net->sizes[net->n_layers], Y);
	}
	free(sse_k);
	nn_workspace_free(own);
	return rc;
}

NN_EXPORT int nn_backward(nn_net *grad, double *cost, nn_workspace *ws, const nn_net *net,
			  const nn_matrix *X, const nn_labels *y)
{
	nn_workspace *own;
	if (!grad || !ws)
		return NN_ENULL;
	int rc = begin_pass(&ws, &own, net, X, 0);
	if (!rc)
		rc = nn__check_data(net, X, y, NULL, 0);
	if (rc)
		return rc;
	if (nn__net_same_shape(grad, net))
		return nn__errorf(NN_ESHAPE, "grad is not a network of net's sizes");
	if (grad->f32 != net->f32)
		return nn__errorf(NN_ESHAPE, "grad is not a network of net's precision");
	nn__target t = nn__target_of(y, NULL);
	nn__score s;
	nn__forward(ws, net, X, NULL, NULL);
	nn__output_pass(&s, ws, net, &t, grad->params, NULL);
	nn__backward(grad->params, ws, net, NULL, NULL);
	if (cost)
		*cost = s.cost;
	return 0;
}
