/*
 * nn-example1: the lecture's first example, "Our first example".
 *
 *   get_data(500)   make_blobs(500, centers=2, center_box=(-3, 3),
 *                   cluster_std=1.0), then train_test_split(test_size=0.2)
 *   build_model()   one sigmoid neuron: w1, w2 and b drawn by npr.random()
 *   train           10000 gradient-descent steps of eta 5e-5 on the whole
 *                   training set, keeping the best model, printing its
 *                   score every 1000 steps ("Best by step")
 *   predict         the best model's accuracy on the training and test sets
 *
 * and beside it the exact least-squares fit that the lecture says would
 * solve this problem directly. The lecture's steps are the phases below,
 * in its order; the data and the model are drawn in lecture.c (which the
 * reproduction test runs too), the command line and pictures are toy.c's.
 */
#include <stdio.h>
#include <stdlib.h>

#ifdef NN_HAVE_LAPACKE
#include <lapacke.h>
#endif

#include "toy.h"

static int parse(tool_ctx *ctx, void *state)
{
	return toy_parse(ctx, state, 1);
}

/* get_data: the blobs, split 80/20, from the one random stream (lecture.c). */
static int get_data(tool_ctx *ctx, void *state)
{
	return toy_get_data(ctx, state);
}

/* build_model: one sigmoid neuron on two inputs, drawn next from the stream. */
static int build_model(tool_ctx *ctx, void *state)
{
	toy *t = state;
	if (t->load_model)
		return toy_load_model(ctx, t);
	int rc = ex_model1(&t->net, t->rng);
	if (rc)
		return tool_nn_error(ctx, rc, "model");
	const char *precision; /* beyond the lecture: --precision f32 */
	if (toy_precision(ctx, t, &precision))
		return TOOL_RUNTIME;
	printf("model: one sigmoid neuron, w1 w2 b from npr.random(); eta %g, %zu steps%s\n", t->eta,
	       t->steps, precision);
	return 0;
}

/* The lecture's loop prints the best training score every `every` steps. */
static int print_best(void *user, const nn_progress *p)
{
	toy *t = user;
	if (p->step % t->every == 0)
		printf("Best by step %zu: %.1f %%\n", p->step, tool_percent(p->best_correct, p->samples));
	tool_curve_add(&t->curve, p);
	return 0;
}

/* train: full-batch gradient descent, the best step's model kept (nn_train_gd). */
static int train(tool_ctx *ctx, void *state)
{
	toy *t = state;
	if (t->load_model) /* scored as it is */
		return toy_correct(ctx, &t->train_ok, t, &t->d.train_x, &t->d.train_y);
	nn_train_options opt = nn_train_defaults();
	opt.eta = t->eta;
	opt.steps = t->steps;
	opt.every = 1;
	opt.callback = print_best;
	opt.user = t;
	/* under mpirun, each process on its shard: one gradient summed over all */
	int rc = tool_train_gd(ctx, t->net, &t->res, &t->shard_x, &t->shard_y, &opt);
	return toy_trained(ctx, t, rc);
}

#ifdef NN_HAVE_LAPACKE
/* Correct predictions of the linear fit f = w1 x1 + w2 x2 + b, rounded at 0.5. */
static size_t lsq_correct(const double w[3], const nn_matrix *X, const nn_labels *y)
{
	size_t ok = 0;
	for (size_t j = 0; j < X->cols; j++) {
		double f = w[0] * NN_AT(X, 0, j) + w[1] * NN_AT(X, 1, j) + w[2];
		ok += (f > 0.5) == (y->data[j] == 1);
	}
	return ok;
}

/*
 * The least-squares fit the lecture says would solve example 1 directly:
 * minimise ||A w - y||, A = [x1 x2 1] (n x 3), by LAPACK's QR-based dgels.
 */
static int least_squares(tool_ctx *ctx, const ex_data *d)
{
	const nn_matrix *X = &d->train_x;
	lapack_int n = (lapack_int)X->cols;
	if ((size_t)n != X->cols || n < 3) {
		printf("least squares: skipped (%zu training samples)\n", X->cols);
		return 0;
	}
	double *A = malloc(3 * X->cols * sizeof(double)), *b = malloc(X->cols * sizeof(double));
	if (!A || !b) {
		free(A);
		free(b);
		return tool_nn_error(ctx, NN_ENOMEM, "least squares");
	}
	for (size_t j = 0; j < X->cols; j++) {
		A[j] = NN_AT(X, 0, j);
		A[X->cols + j] = NN_AT(X, 1, j);
		A[2 * X->cols + j] = 1.0;
		b[j] = d->train_y.data[j];
	}
	/* On return b[0..2] holds the solution (w1, w2, b). */
	lapack_int info = LAPACKE_dgels(LAPACK_COL_MAJOR, 'N', n, 3, 1, A, n, b, n);
	if (info == 0) {
		double w[3] = { b[0], b[1], b[2] };
		printf("least squares (LAPACKE_dgels): f = %.6g x1 + %.6g x2 + %.6g; "
		       "train accuracy %.4f, test accuracy %.4f\n",
		       w[0], w[1], w[2], (double)lsq_correct(w, X, &d->train_y) / (double)X->cols,
		       (double)lsq_correct(w, &d->test_x, &d->test_y) / (double)d->test_x.cols);
	} else {
		printf("least squares (LAPACKE_dgels): no fit (info %d: the data are rank deficient)\n",
		       (int)info);
	}
	free(A);
	free(b);
	return 0;
}
#endif

/* predict: the model kept, on the test set; beside it the least-squares fit. */
static int predict(tool_ctx *ctx, void *state)
{
	toy *t = state;
	size_t test_ok = 0;
#ifdef NN_HAVE_LAPACKE
	if (least_squares(ctx, &t->d))
		return TOOL_RUNTIME;
#endif
	if (toy_correct(ctx, &test_ok, t, &t->d.test_x, &t->d.test_y))
		return TOOL_RUNTIME;
	return toy_report(ctx, t, test_ok);
}

int main(int argc, char **argv)
{
	static const tool_phase lecture[] = { parse, get_data, build_model, train, predict };
	toy t = { 0 };
	return tool_main("nn-example1", argc, argv, lecture, 5, &t, toy_free);
}
