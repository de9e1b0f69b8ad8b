/*
 * The output pass: one sweep over the output layer's columns that computes
 * the cost, the number of correct predictions and, for training, the
 * output delta D_L = dC/dZ_L and its row sums db_L. Each cost is one small
 * function over one column; the pass around them is the same for all.
 *
 * The target of a column with label c is c itself (0 or 1) for one output
 * unit and the one-hot vector e_c for k > 1 units. Targets are double, and
 * so are the sums; the activations and deltas are the network's type.
 *
 * Compiled once for each precision (real.h).
 */
#include <string.h>

#include "nn_internal.h"
#include "real.h"

size_t NN_T(nn__predict_column)(const real *a, size_t k)
{
	if (k == 1)
		return a[0] > 0.5;
	size_t best = 0;
	for (size_t i = 1; i < k; i++)
		if (a[i] > a[best])
			best = i;
	return best;
}

/* log(1 + e^z) without overflow or loss for large |z|, in double */
static double softplus(double z)
{
	return (z > 0 ? z : 0.0) + log1p(exp(-fabs(z)));
}

/*
 * One column's cost against its target t (k entries); when d is not NULL,
 * also d = dC/dz. a = act(z); act is the output layer's activation.
 */
typedef double (*cost_column)(real *d, const real *a, const real *z, const double *t,
			      size_t k, nn_activation act);

/* C = 1/2 ||a - t||^2 (the lecture's cost); dC/dz = act'(z) (a - t). */
static double quadratic(real *d, const real *a, const real *z, const double *t, size_t k,
			nn_activation act)
{
	(void)z;
	double c = 0;
	if (act == NN_ACT_SOFTMAX) {
		/* dC/dz = J^T (a - t), J = diag(a) - a a^T */
		double s = 0;
		for (size_t i = 0; i < k; i++) {
			double e = a[i] - t[i];
			c += 0.5 * e * e;
			s += a[i] * e;
		}
		if (d)
			for (size_t i = 0; i < k; i++)
				d[i] = (real)(a[i] * (a[i] - t[i] - s));
	} else if (act == NN_ACT_SIGMOID && d) {
		/* the lecture's case: sigma' = a (1 - a) written inline, as
		 * nn__act_deriv_from_output computes it, not a call per element */
		for (size_t i = 0; i < k; i++) {
			double e = a[i] - t[i];
			c += 0.5 * e * e;
			d[i] = (real)(e * (a[i] * (1.0 - a[i])));
		}
	} else {
		for (size_t i = 0; i < k; i++) {
			double e = a[i] - t[i];
			c += 0.5 * e * e;
			if (d)
				d[i] = (real)(e * nn__act_deriv_from_output(act, a[i]));
		}
	}
	return c;
}

/* Binary cross-entropy on a sigmoid output, from z: C = softplus(z) - t z; dC/dz = a - t. */
static double bce(real *d, const real *a, const real *z, const double *t, size_t k,
		  nn_activation act)
{
	(void)act;
	double c = 0;
	for (size_t i = 0; i < k; i++) {
		c += softplus(z[i]) - t[i] * z[i];
		if (d)
			d[i] = (real)(a[i] - t[i]);
	}
	return c;
}

/* Categorical cross-entropy on a softmax output, t a distribution:
 * C = logsumexp(z) - t . z; dC/dz = a - t. */
static double ce(real *d, const real *a, const real *z, const double *t, size_t k,
		 nn_activation act)
{
	(void)act;
	double mx = z[0], s = 0, tz = 0;
	for (size_t i = 1; i < k; i++)
		mx = z[i] > mx ? z[i] : mx;
	for (size_t i = 0; i < k; i++) {
		s += exp((double)z[i] - mx);
		if (t[i] != 0) /* a one-hot target: exactly z[label] */
			tz += t[i] * z[i];
	}
	if (d)
		for (size_t i = 0; i < k; i++)
			d[i] = (real)(a[i] - t[i]);
	return mx + log(s) - tz;
}

/*
 * The sweep over the columns for one cost. Inlined into each call below with
 * its cost a constant, so the cost of a column is inlined too: for the
 * lecture's one or two output units the column's work is a few flops, and an
 * indirect call per column cost as much again (callgrind: 57 k against 37 k
 * instructions a step of nn-example2).
 */
static inline __attribute__((always_inline)) nn__score
columns(cost_column cost, nn_workspace *ws, const nn_net *net, const nn__target *t, real *db,
	double *sse_k)
{
	size_t L = net->n_layers, k = net->sizes[L], N = ws->batch;
	nn_activation act = net->acts[L - 1];
	double *onehot = ws->t;
	const real *A = ws->A[L], *Z = ws->Z;
	real *D = ws->D[L];
	nn__score r = { 0 };

	if (t->labels)
		memset(onehot, 0, k * sizeof(double));
	for (size_t j = 0; j < N; j++) {
		const real *a = A + j * k, *z = Z + j * k;
		const double *tj;
		real *d = db ? D + j * k : NULL;
		size_t label = 0;
		if (t->labels) {
			/* the 0/1 label itself for one unit, one-hot otherwise */
			label = (size_t)t->labels[j];
			onehot[k == 1 ? 0 : label] = k == 1 ? (double)label : 1.0;
			tj = onehot;
		} else {
			tj = t->Y + j * t->ldy;
		}
		r.cost += cost(d, a, z, tj, k, act);
		if (db)
			for (size_t i = 0; i < k; i++)
				db[i] += d[i];
		if (t->labels) {
			r.correct += NN_T(nn__predict_column)(a, k) == label;
			onehot[k == 1 ? 0 : label] = 0.0;
			continue;
		}
		for (size_t i = 0; i < k; i++) { /* the regression metrics' sums */
			double e = (double)a[i] - tj[i];
			r.sse += e * e;
			r.sae += fabs(e);
			if (sse_k)
				sse_k[i] += e * e;
		}
	}
	return r;
}

void NN_T(nn__output_pass_in)(nn__score *s, nn_workspace *ws, const nn_net *net,
			       const nn__target *t, real *grad, double *sse_k)
{
	size_t L = net->n_layers, k = net->sizes[L];
	real *db = grad ? grad + net->offset[L - 1] + net->layer[L - 1].n_w : NULL;
	nn__score r;

	if (db)
		memset(db, 0, k * sizeof(real));
	if (net->cost == NN_COST_CE)
		r = columns(ce, ws, net, t, db, sse_k);
	else if (net->cost == NN_COST_BCE)
		r = columns(bce, ws, net, t, db, sse_k);
	else
		r = columns(quadratic, ws, net, t, db, sse_k);
	if (s)
		*s = r;
}

#ifndef NN_REAL_F32
void nn__output_pass(nn__score *s, nn_workspace *ws, const nn_net *net, const nn__target *t,
		     void *grad, double *sse_k)
{
	if (net->f32)
		nn__output_pass_in_f32(s, ws, net, t, grad, sse_k);
	else
		nn__output_pass_in_f64(s, ws, net, t, grad, sse_k);
}
#endif
