/*
 * Forward and backward passes over a whole batch: one dgemm per product,
 * the elementwise work fused into one pass after each product.
 *
 * Shapes (N = batch, n_l = sizes[l]): A_0 = X is n_0 x N with X->ld,
 * A_l and D_l are n_l x N with ld = n_l, W_l is n_l x n_{l-1}.
 */
#include <cblas.h>
#include <limits.h>
#include <math.h>
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
			return NN_ELABEL;
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
	if (X->rows != net->sizes[0] || y->n != X->cols)
		return NN_ESHAPE;
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
	if (!ws || !net || !X)
		return NN_ENULL;
	int rc = nn__matrix_valid(X);
	if (rc)
		return rc;
	if (nn__workspace_fits(ws, net) || X->rows != net->sizes[0] || X->cols > ws->max_batch)
		return NN_ESHAPE;
	return nn_matrix_check_finite(X);
}

void nn__forward_input(nn_workspace *ws, const nn_net *net, const nn_matrix *X, nn_sparse *sp,
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

void nn__forward_masked(nn_workspace *ws, const nn_net *net, const nn_matrix *X,
			double *const *masks)
{
	nn__forward_input(ws, net, X, NULL, masks);
}

void nn__forward(nn_workspace *ws, const nn_net *net, const nn_matrix *X)
{
	nn__forward_masked(ws, net, X, NULL);
}

/* The class a column of outputs predicts: a > 0.5 for one unit (np.round
 * sends 0.5 to 0), else the first argmax (np.argmax). */
static size_t predict_column(const double *a, size_t k)
{
	if (k == 1)
		return a[0] > 0.5;
	size_t best = 0;
	for (size_t i = 1; i < k; i++)
		if (a[i] > a[best])
			best = i;
	return best;
}

/* log(1 + e^z) without overflow or loss for large |z| */
static double softplus(double z)
{
	return (z > 0 ? z : 0.0) + log1p(exp(-fabs(z)));
}

void nn__output_pass(double *cost, size_t *correct, nn_workspace *ws, const nn_net *net,
		     const int *y, nn_net *grad)
{
	size_t L = net->n_layers, k = net->sizes[L], N = ws->batch;
	nn_activation act = net->acts[L - 1];
	nn_cost kind = net->cost;
	const double *A = ws->A[L], *Z = ws->Z;
	double *D = ws->D[L];
	double *db = grad ? nn__b(grad, L) : NULL;
	double c = 0.0;
	size_t right = 0;

	if (db)
		memset(db, 0, k * sizeof(double));
	for (size_t j = 0; j < N; j++) {
		const double *a = A + j * k, *z = Z + j * k;
		double *d = D + j * k;
		size_t label = (size_t)y[j];
		/* the target: the 0/1 label itself for one unit, one-hot otherwise */
#define TARGET(i) (k == 1 ? (double)label : (double)((i) == label))
		switch (kind) {
		case NN_COST_BCE: /* sigmoid output: C = softplus(z) - t z, dC/dz = a - t */
			for (size_t i = 0; i < k; i++) {
				double t = TARGET(i);
				c += softplus(z[i]) - t * z[i];
				if (db)
					d[i] = a[i] - t;
			}
			break;
		case NN_COST_CE: { /* softmax output: C = lse(z) - z_label, dC/dz = a - t */
			double mx = z[0], s = 0;
			for (size_t i = 1; i < k; i++)
				mx = z[i] > mx ? z[i] : mx;
			for (size_t i = 0; i < k; i++)
				s += exp(z[i] - mx);
			c += mx + log(s) - z[label];
			if (db)
				for (size_t i = 0; i < k; i++)
					d[i] = a[i] - TARGET(i);
			break;
		}
		case NN_COST_QUADRATIC:
		default:
			if (act == NN_ACT_SOFTMAX) {
				/* dC/dz = J^T (a - t), J = diag(a) - a a^T */
				double s = 0;
				for (size_t i = 0; i < k; i++) {
					double e = a[i] - TARGET(i);
					c += 0.5 * e * e;
					s += a[i] * e;
				}
				if (db)
					for (size_t i = 0; i < k; i++)
						d[i] = a[i] * (a[i] - TARGET(i) - s);
			} else if (act == NN_ACT_SIGMOID && db) {
				/* the lecture's case: sigma' = a (1 - a) written inline, as
				 * nn__act_deriv_from_output computes it, not a call per element */
				for (size_t i = 0; i < k; i++) {
					double e = a[i] - TARGET(i);
					c += 0.5 * e * e;
					d[i] = e * (a[i] * (1.0 - a[i]));
				}
			} else {
				for (size_t i = 0; i < k; i++) {
					double e = a[i] - TARGET(i);
					c += 0.5 * e * e;
					if (db)
						d[i] = e * nn__act_deriv_from_output(act, a[i]);
				}
			}
			break;
		}
#undef TARGET
		if (db)
			for (size_t i = 0; i < k; i++)
				db[i] += d[i];
		right += predict_column(a, k) == label;
	}
	if (cost)
		*cost = c;
	if (correct)
		*correct = right;
}

void nn__backward_input(nn_net *grad, nn_workspace *ws, const nn_net *net, const nn_matrix *X,
			nn_sparse *sp, double *const *masks)
{
	size_t N = ws->batch;
	for (size_t l = net->n_layers; l >= 1; l--) {
		size_t n = net->sizes[l], k = net->sizes[l - 1];
		const double *in = l > 1 ? ws->A[l - 1] : X->data;
		size_t ld_in = l > 1 ? k : X->ld;
		if (l == 1 && sp) /* dW_1 <- D_1 * X^T  (sparse X: its non-zeros by row; overwrites) */
			nn__sparse_dxt(ws->simd, nn__w(grad, 1), n, ws->D[1], n, sp);
		else /* dW_l <- D_l * A_{l-1}^T  (n x N times N x k; beta 0: overwrites) */
			cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, (int)n, (int)k, (int)N, 1.0,
				    ws->D[l], (int)n, in, (int)ld_in, 0.0, nn__w(grad, l), (int)n);
		if (l == 1)
			break;
		/* D_{l-1} <- W_l^T * D_l  (k x n times n x N; beta 0) */
		cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)k, (int)N, (int)n, 1.0,
			    nn__w(net, l), (int)n, ws->D[l], (int)n, 0.0, ws->D[l - 1], (int)k);
		/* D_{l-1} <- D_{l-1} o act'(Z_{l-1}) [o mask];  db_{l-1} <- row sums, same pass */
		nn__act_backward(ws->simd, net->acts[l - 2], ws->D[l - 1], ws->A[l - 1], k, N, k,
				 nn__b(grad, l - 1), masks ? masks[l - 1] : NULL);
	}
}

void nn__backward_masked(nn_net *grad, nn_workspace *ws, const nn_net *net, const nn_matrix *X,
			 double *const *masks)
{
	nn__backward_input(grad, ws, net, X, NULL, masks);
}

void nn__backward_from_delta(nn_net *grad, nn_workspace *ws, const nn_net *net,
			     const nn_matrix *X)
{
	nn__backward_masked(grad, ws, net, X, NULL);
}

NN_EXPORT int nn_forward(nn_matrix *out, nn_workspace *ws, const nn_net *net, const nn_matrix *X)
{
	int rc = check_pass(ws, net, X);
	if (rc)
		return rc;
	nn__forward(ws, net, X);
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
		pred[j] = (int)predict_column(A + j * k, k);
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
		return NN_ESHAPE;
	return nn__check_labels(y, net->sizes[net->n_layers]);
}

NN_EXPORT int nn_evaluate(double *cost, size_t *correct, nn_workspace *ws, const nn_net *net,
			  const nn_matrix *X, const nn_labels *y)
{
	int rc = check_labelled(ws, net, X, y);
	if (rc)
		return rc;
	nn__forward(ws, net, X);
	nn__output_pass(cost, correct, ws, net, y->data, NULL);
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
	nn__forward(ws, net, X);
	nn__output_pass(cost, NULL, ws, net, y->data, grad);
	nn__backward_from_delta(grad, ws, net, X);
	return 0;
}
