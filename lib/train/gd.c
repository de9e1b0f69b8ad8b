/*
 * Full-batch gradient descent, the lecture's build_model loop:
 *
 *   forward
 *   repeat: gradient from the current forward pass; W -= eta dW, b -= eta db;
 *           forward; score; keep a deep copy when the score beats the best
 *
 * The output pass after each forward computes the cost, the score and the
 * next step's output delta in one sweep, so the forward pass that scores
 * step i is the one step i + 1 differentiates.
 *
 * The gradient buffer has three more slots after the parameters -- cost,
 * correct count and sample count of the current forward pass -- so a
 * distributed run sums all it needs with one reduction per step.
 *
 * X never changes during a run, so when it is sparse enough its compressed
 * copies (sparse.c) are built once here and the first layer's two
 * products read them instead of X.
 */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn/train.h"
#include "nn_internal.h"

#define EXTRA 3 /* cost, correct, samples */

struct nn_gd {
	nn_net *net;         /* borrowed: updated in place */
	const nn_matrix *X;  /* borrowed, or Xs; may have 0 columns in a distributed run */
	nn_matrix Xs;        /* X scaled as net scales its inputs, when it does */
	const void *x;       /* what the first layer reads: X's data, or xf */
	size_t ldx;          /* its leading dimension */
	void *xf;            /* X (scaled) in float32, for a float32 network */
	nn__target t;        /* X's labels or values, borrowed */
	int values;          /* the target is values: the best model has the lowest cost */
	double eta;
	nn_workspace *ws;
	nn_sparse *sp;       /* X's compressed copies, or NULL: the dense path */
	nn_input_mode mode;  /* as asked (AUTO, DENSE or SPARSE) */
	double density;      /* non-zero fraction of X */
	size_t threads;      /* of the sparse kernels */
	void *grad;          /* dC/dparams in net's layout and precision (nn__grad_new) */
	double *red;         /* a distributed run's reduction: the gradient as doubles (the
				gradient buffer itself for float64), + EXTRA slots */
	nn_net *best;        /* deep copy of the best model so far */
	size_t steps;
	int has_best;
	size_t best_step, best_correct, correct, n_total;
	double best_cost, cost, last_cost;
};

NN_EXPORT double nn_input_threshold(void)
{
	return nn__sparse_threshold(nn__cpu_simd());
}

/* Forward and output pass of the current parameters: cost, score, and the
 * next step's delta D_L and db_L (into the gradient buffer). */
static void forward_score(nn_gd *gd)
{
	nn__score s;
	nn__forward_in(gd->ws, gd->net, gd->x, gd->ldx, gd->X->cols, gd->sp, NULL);
	nn__output_pass(&s, gd->ws, gd->net, &gd->t, gd->grad, NULL);
	gd->cost = s.cost;
	gd->correct = s.correct;
}

/* Build or drop the compressed copies for `mode`; on failure nothing changes. */
static int gd_apply_input(nn_gd *gd, nn_input_mode mode)
{
	if (mode == NN_INPUT_SPARSE && gd->net->layer[0].type != NN_LAYER_DENSE)
		return nn__errorf(NN_EINVAL, "the sparse input path needs a dense first layer");
	int sparse = gd->X->cols > 0 && gd->net->layer[0].type == NN_LAYER_DENSE &&
		     nn__sparse_wanted(mode, gd->density, gd->ws->simd);
	if (sparse && !gd->sp) {
		int rc = nn__sparse_new(&gd->sp, gd->X, gd->net->sizes[1], gd->threads, gd->net->f32);
		if (rc)
			return rc;
	} else if (!sparse) {
		nn__sparse_free(gd->sp);
		gd->sp = NULL;
	}
	gd->mode = mode;
	return 0;
}

/* nn_gd_new on labels y or values Y, allowing an empty shard when the run
 * is distributed. */
static int gd_create(nn_gd **out, nn_net *net, const nn_matrix *X, const nn_labels *y,
		     const nn_matrix *Y, double eta, int allow_empty, nn_input_mode mode,
		     size_t threads)
{
	nn__clear_error();
	if (!out)
		return NN_ENULL;
	*out = NULL;
	if (!net || !X || (!y && !Y))
		return NN_ENULL;
	if (!(eta > 0.0) || !isfinite(eta))
		return nn__errorf(NN_EINVAL, "eta is %g; it must be finite and > 0", eta);
	if ((unsigned)mode >= NN_INPUT_COUNT_)
		return nn__errorf(NN_EINVAL, "input mode %d is not an nn_input_mode", (int)mode);
	int empty = allow_empty && X->cols == 0;
	int rc = nn__check_data(net, X, y, Y, allow_empty);
	if (rc)
		return rc;

	nn_gd *gd = calloc(1, sizeof(*gd));
	if (!gd)
		return NN_ENOMEM;
	gd->net = net;
	gd->X = X;
	gd->t = nn__target_of(y, Y);
	gd->values = Y != NULL;
	gd->eta = eta;
	gd->n_total = X->cols;
	gd->x = X->data;
	gd->ldx = X->ld;
	if (net->scaling != NN_SCALING_NONE && X->cols) { /* the scaled input, once */
		if ((rc = nn_matrix_new(&gd->Xs, X->rows, X->cols)))
			goto out;
		nn__copy_columns(gd->Xs.data, X->rows, 0, net->shift, net->scale, X, 0, X->cols);
		gd->X = &gd->Xs;
		gd->x = gd->Xs.data;
		gd->ldx = X->rows;
	}
	rc = NN_ENOMEM;
	if (net->f32 && X->cols) { /* the first layer's input in float32, once */
		if (!(gd->xf = malloc(X->rows * X->cols * sizeof(float))))
			goto out;
		nn__copy_columns(gd->xf, X->rows, 1, NULL, NULL, gd->X, 0, X->cols);
		gd->x = gd->xf;
		gd->ldx = X->rows;
	}
	if ((rc = nn_workspace_new(&gd->ws, net, X->cols ? X->cols : 1)) ||
	    (rc = nn_net_clone(&gd->best, net)))
		goto out;
	rc = NN_ENOMEM;
	if (!(gd->grad = nn__grad_new(net, net->f32 ? 0 : EXTRA)))
		goto out;
	gd->red = net->f32 ? NULL : gd->grad;
	if (allow_empty && net->f32 && !(gd->red = malloc((net->n_params + EXTRA) * sizeof(double))))
		goto out;
	gd->threads = threads ? threads : nn__blas_threads();
	if (X->cols)
		gd->density = (double)nn__count_nonzero(gd->X) / ((double)X->rows * (double)X->cols);
	if ((rc = gd_apply_input(gd, mode)))
		goto out;
	if (!empty)
		forward_score(gd);
	gd->best_cost = gd->last_cost = gd->cost;
	*out = gd;
	gd = NULL;
	rc = 0;
out:
	nn_gd_free(gd);
	return rc;
}

NN_EXPORT int nn_gd_new(nn_gd **out, nn_net *net, const nn_matrix *X, const nn_labels *y,
			double eta)
{
	return gd_create(out, net, X, y, NULL, eta, 0, NN_INPUT_AUTO, 0);
}

NN_EXPORT int nn_gd_new_values(nn_gd **out, nn_net *net, const nn_matrix *X, const nn_matrix *Y,
			       double eta)
{
	return gd_create(out, net, X, NULL, Y, eta, 0, NN_INPUT_AUTO, 0);
}

NN_EXPORT int nn_gd_set_input(nn_gd *gd, nn_input_mode mode)
{
	if (!gd)
		return NN_ENULL;
	if ((unsigned)mode >= NN_INPUT_COUNT_)
		return NN_EINVAL;
	return gd_apply_input(gd, mode);
}

NN_EXPORT nn_input_mode nn_gd_input(const nn_gd *gd)
{
	return gd && gd->sp ? NN_INPUT_SPARSE : NN_INPUT_DENSE;
}

NN_EXPORT double nn_gd_input_density(const nn_gd *gd)
{
	return gd ? gd->density : 0.0;
}

NN_EXPORT int nn_gd_set_threads(nn_gd *gd, size_t threads)
{
	if (!gd)
		return NN_ENULL;
	size_t n = threads ? threads : nn__blas_threads();
	if (gd->sp) {
		int rc = nn__sparse_set_threads(gd->sp, n);
		if (rc)
			return rc;
	}
	gd->threads = n;
	return 0;
}

void nn__gd_set_simd(nn_gd *gd, int simd)
{
	gd->ws->simd = simd;
}

NN_EXPORT void nn_gd_free(nn_gd *gd)
{
	if (!gd)
		return;
	nn__sparse_free(gd->sp);
	nn_matrix_free(&gd->Xs);
	free(gd->xf);
	if (gd->red != gd->grad)
		free(gd->red);
	nn_workspace_free(gd->ws);
	free(gd->grad);
	nn_net_free(gd->best);
	free(gd);
}

/* The local gradient of the current parameters. */
static void gd_backward(nn_gd *gd)
{
	if (gd->X->cols)
		nn__backward(gd->grad, gd->ws, gd->net, gd->sp, NULL);
	else /* an empty shard adds nothing to the sum */
		memset(gd->grad, 0, gd->net->n_params * nn__elem(gd->net));
}

/* The update, then the forward and output passes of the new parameters. */
static void gd_update_forward(nn_gd *gd)
{
	nn_net *net = gd->net;
	/* params <- params - eta * grad: every W and b in one sweep */
	if (net->f32)
		cblas_saxpy((int)net->n_params, (float)-gd->eta, gd->grad, 1, net->params, 1);
	else
		cblas_daxpy((int)net->n_params, -gd->eta, gd->grad, 1, net->params, 1);
	if (gd->X->cols)
		forward_score(gd);
	gd->steps++;
}

/* Score the current parameters as the model of `step`: keep them when best. */
static int gd_score(nn_gd *gd, size_t step, double cost, size_t correct)
{
	gd->last_cost = cost;
	if (!isfinite(cost))
		return NN_EDIVERGED;
	if (!gd->has_best || (gd->values ? cost < gd->best_cost : correct > gd->best_correct)) {
		memcpy(gd->best->params, gd->net->params, gd->net->n_params * nn__elem(gd->net));
		gd->has_best = 1;
		gd->best_step = step;
		gd->best_correct = correct;
		gd->best_cost = cost;
	}
	return 0;
}

NN_EXPORT int nn_gd_step(nn_gd *gd)
{
	if (!gd)
		return NN_ENULL;
	gd_backward(gd);
	gd_update_forward(gd);
	return gd_score(gd, gd->steps - 1, gd->cost, gd->correct);
}

NN_EXPORT void nn_gd_result(const nn_gd *gd, nn_train_result *res)
{
	if (!gd || !res)
		return;
	*res = (nn_train_result){
		.steps_run = gd->steps,
		.best_step = gd->best_step,
		.best_correct = gd->best_correct,
		.best_accuracy = gd->n_total ? (double)gd->best_correct / (double)gd->n_total : 0.0,
		.best_cost = gd->best_cost,
		.last_cost = gd->last_cost,
	};
}

NN_EXPORT const nn_net *nn_gd_best(const nn_gd *gd)
{
	return gd ? gd->best : NULL;
}

NN_EXPORT nn_train_options nn_train_defaults(void)
{
	return (nn_train_options){ .eta = 5e-3, .steps = 10000 };
}

/*
 * The callback for `step`, when due. *stop = 1 when it asks to stop; in a
 * distributed run every process reports at the same steps (`every` is part
 * of what they agree on), and the processes agree on stopping then.
 */
static int report(const nn_train_options *opt, const nn_gd *gd, size_t step, int *stop)
{
	*stop = 0;
	if (!opt->every || step % opt->every)
		return 0;
	if (opt->callback) {
		nn_progress p = {
			.step = step,
			.cost = gd->last_cost,
			.best_step = gd->best_step,
			.best_correct = gd->best_correct,
			.samples = gd->n_total,
			.best_accuracy = gd->n_total ? (double)gd->best_correct / (double)gd->n_total
						     : 0.0,
		};
		*stop = opt->callback(opt->user, &p) != 0;
	}
	return opt->dist.reduce ? nn__dist_stop(&opt->dist, *stop, stop) : 0;
}

/* One process: each step scores its own model at once. */
static int train_local(nn_gd *gd, const nn_train_options *opt)
{
	int stop = 0;
	for (size_t i = 0; i < opt->steps && !stop; i++) {
		int rc = nn_gd_step(gd);
		if (rc)
			return rc;
		report(opt, gd, i, &stop);
	}
	return 0;
}

/*
 * Distributed: step i reduces [gradient, cost, correct, samples] of the
 * current parameters p_i -- the model of step i - 1 -- in one call, scores
 * p_i with the global figures, then updates. The last model is scored
 * after the loop with one more (small) reduction.
 */
static int train_reduced(nn_gd *gd, const nn_train_options *opt)
{
	size_t P = gd->net->n_params;
	double *buf = gd->red;
	const nn_dist *d = &opt->dist;
	int rc, stop;
	for (size_t i = 0; i < opt->steps; i++) {
		gd_backward(gd);
		if (gd->net->f32) /* the reduction carries doubles */
			for (size_t k = 0; k < P; k++)
				buf[k] = ((const float *)gd->grad)[k];
		buf[P] = gd->cost;
		buf[P + 1] = (double)gd->correct;
		buf[P + 2] = (double)gd->X->cols;
		if ((rc = d->reduce(d->user, buf, P + EXTRA, NN_REDUCE_SUM)))
			return rc;
		if (gd->net->f32)
			for (size_t k = 0; k < P; k++)
				((float *)gd->grad)[k] = (float)buf[k];
		gd->n_total = (size_t)buf[P + 2];
		if (gd->n_total == 0)
			return NN_EINVAL; /* every shard is empty: nothing to train on */
		if (i > 0) {
			if ((rc = gd_score(gd, i - 1, buf[P], (size_t)buf[P + 1])) ||
			    (rc = report(opt, gd, i - 1, &stop)))
				return rc;
			if (stop)
				return 0;
		}
		gd_update_forward(gd);
	}
	double last[2] = { gd->cost, (double)gd->correct };
	if ((rc = d->reduce(d->user, last, 2, NN_REDUCE_SUM)))
		return rc;
	if ((rc = gd_score(gd, opt->steps - 1, last[0], (size_t)last[1])))
		return rc;
	return report(opt, gd, opt->steps - 1, &stop);
}

/* nn_train_gd on labels y or values Y. */
static int train(nn_net *net, nn_train_result *res, const nn_matrix *X, const nn_labels *y,
		 const nn_matrix *Y, const nn_train_options *opt)
{
	nn_train_options defaults = nn_train_defaults();
	if (!opt)
		opt = &defaults;
	int dist = opt->dist.reduce != NULL;
	nn_gd *gd = NULL;
	int rc = opt->steps == 0 ? nn__errorf(NN_EINVAL, "steps is 0; it must be at least 1")
		 : gd_create(&gd, net, X, y, Y, opt->eta, dist, opt->input, opt->threads);
	if (dist) {
		/* A process whose shard failed its checks, or that would train
		 * another network or another run, must not leave the others waiting
		 * in the first reduction: all learn of it here. */
		uint64_t h = NN__HASH_START;
		if (!rc) {
			double settings[3] = { opt->eta, (double)opt->steps, (double)opt->every };
			h = nn__hash(nn__net_fingerprint(net, h), settings, sizeof(settings));
		}
		rc = nn__dist_start(&opt->dist, rc, h);
	}
	if (rc) {
		nn_gd_free(gd);
		return rc;
	}
	rc = dist ? train_reduced(gd, opt) : train_local(gd, opt);
	/* Hand back the best model, also after a divergence; before the first
	 * scored step the best copy still holds the initial weights. */
	memcpy(net->params, gd->best->params, net->n_params * nn__elem(net));
	net->task = Y ? NN_TASK_REGRESS : NN_TASK_CLASSIFY;
	nn_gd_result(gd, res);
	nn_gd_free(gd);
	return rc;
}

NN_EXPORT int nn_train_gd(nn_net *net, nn_train_result *res, const nn_matrix *X,
			  const nn_labels *y, const nn_train_options *opt)
{
	return train(net, res, X, y, NULL, opt);
}

NN_EXPORT int nn_train_gd_values(nn_net *net, nn_train_result *res, const nn_matrix *X,
				 const nn_matrix *Y, const nn_train_options *opt)
{
	if (!Y)
		return opt && opt->dist.reduce ? nn__dist_start(&opt->dist, NN_ENULL, 0) : NN_ENULL;
	return train(net, res, X, NULL, Y, opt);
}
