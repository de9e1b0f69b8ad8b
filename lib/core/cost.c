/*
 * The output pass: one sweep over the output layer's columns that computes
 * the cost, the number of correct predictions and, for training, the
 * output delta D_L = dC/dZ_L and its row sums db_L. Each cost is one small
 * function over one column; the pass around them is the same for all.
 *
 * The target of a column with label c is c itself (0 or 1) for one output
 * unit and the one-hot vector e_c for k > 1 units.
 */
#include <math.h>
#include <string.h>

#include "nn_internal.h"

size_t nn__predict_column(const double *a, size_t k)
{
	if (k == 1)
		return a[0] > 0.5;
	size_t best = 0;
	for (size_t i = 1; i < k; i++)
		if (a[i] > a[best])
			best = i;
	return best;
}

/* Entry i of the target of a column labelled `label`, k output units. */
static inline double target(size_t i, size_t k, size_t label)
{
	return k == 1 ? (double)label : (double)(i == label);
}

/* log(1 + e^z) without overflow or loss for large |z| */
static double softplus(double z)
{
	return (z > 0 ? z : 0.0) + log1p(exp(-fabs(z)));
}

/*
 * One column's cost; when d is not NULL, also d = dC/dz. a = act(z) has k
 * entries; act is the output layer's activation.
 */
typedef double (*cost_column)(double *d, const double *a, const double *z, size_t k,
			      size_t label, nn_activation act);

/* C = 1/2 ||a - t||^2 (the lecture's cost); dC/dz = act'(z) (a - t). */
static double quadratic(double *d, const double *a, const double *z, size_t k, size_t label,
			nn_activation act)
{
	(void)z;
	double c = 0;
	if (act == NN_ACT_SOFTMAX) {
		/* dC/dz = J^T (a - t), J = diag(a) - a a^T */
		double s = 0;
		for (size_t i = 0; i < k; i++) {
			double e = a[i] - target(i, k, label);
			c += 0.5 * e * e;
			s += a[i] * e;
		}
		if (d)
			for (size_t i = 0; i < k; i++)
				d[i] = a[i] * (a[i] - target(i, k, label) - s);
	} else if (act == NN_ACT_SIGMOID && d) {
		/* the lecture's case: sigma' = a (1 - a) written inline, as
		 * nn__act_deriv_from_output computes it, not a call per element */
		for (size_t i = 0; i < k; i++) {
			double e = a[i] - target(i, k, label);
			c += 0.5 * e * e;
			d[i] = e * (a[i] * (1.0 - a[i]));
		}
	} else {
		for (size_t i = 0; i < k; i++) {
			double e = a[i] - target(i, k, label);
			c += 0.5 * e * e;
			if (d)
				d[i] = e * nn__act_deriv_from_output(act, a[i]);
		}
	}
	return c;
}

/* Binary cross-entropy on a sigmoid output, from z: C = softplus(z) - t z; dC/dz = a - t. */
static double bce(double *d, const double *a, const double *z, size_t k, size_t label,
		  nn_activation act)
{
	(void)act;
	double c = 0;
	for (size_t i = 0; i < k; i++) {
		double t = target(i, k, label);
		c += softplus(z[i]) - t * z[i];
		if (d)
			d[i] = a[i] - t;
	}
	return c;
}

/* Categorical cross-entropy on a softmax output: C = logsumexp(z) - z_label; dC/dz = a - t. */
static double ce(double *d, const double *a, const double *z, size_t k, size_t label,
		 nn_activation act)
{
	(void)act;
	double mx = z[0], s = 0;
	for (size_t i = 1; i < k; i++)
		mx = z[i] > mx ? z[i] : mx;
	for (size_t i = 0; i < k; i++)
		s += exp(z[i] - mx);
	if (d)
		for (size_t i = 0; i < k; i++)
			d[i] = a[i] - target(i, k, label);
	return mx + log(s) - z[label];
}

void nn__output_pass(nn__score *s, nn_workspace *ws, const nn_net *net, const int *y,
		     double *grad)
{
	size_t L = net->n_layers, k = net->sizes[L], N = ws->batch;
	nn_activation act = net->acts[L - 1];
	cost_column cost = net->cost == NN_COST_BCE ? bce : net->cost == NN_COST_CE ? ce : quadratic;
	double *db = grad ? nn__gb(grad, net, L) : NULL;
	double c = 0.0;
	size_t right = 0;

	if (db)
		memset(db, 0, k * sizeof(double));
	for (size_t j = 0; j < N; j++) {
		const double *a = ws->A[L] + j * k, *z = ws->Z + j * k;
		double *d = db ? ws->D[L] + j * k : NULL;
		size_t label = (size_t)y[j];
		c += cost(d, a, z, k, label, act);
		if (db)
			for (size_t i = 0; i < k; i++)
				db[i] += d[i];
		right += nn__predict_column(a, k) == label;
	}
	if (s)
		*s = (nn__score){ .cost = c, .correct = right };
}
