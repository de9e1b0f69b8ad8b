/*
 * nn-example2: the lecture's second example, "Our second example".
 *
 *   get_data(500)   make_circles(500, noise=0.1), then
 *                   train_test_split(test_size=0.2)
 *   build_model(10) a 2-10-2 sigmoid network: W1 = npr.randn(10, 2), then
 *                   W2 = npr.randn(2, 10), biases zero
 *   train           10000 steps of backpropagation with eta 5e-3 on the
 *                   whole training set, keeping the best model, printing
 *                   its score every 1000 steps ("Best by step")
 *   predict         the best model's accuracy on the training and test sets
 *
 * The lecture's steps are the phases below, in its order; the data and the
 * model are drawn in lecture.c (which the reproduction test runs too), the
 * command line and pictures are toy.c's.
 */
#include <stdio.h>

#include "toy.h"

static int parse(tool_ctx *ctx, void *state)
{
	return toy_parse(ctx, state, 2);
}

/* get_data: the circles, split 80/20, from the one random stream (lecture.c). */
static int get_data(tool_ctx *ctx, void *state)
{
	return toy_get_data(ctx, state);
}

/* build_model: inputs -> hidden -> 2 sigmoid units, drawn next from the stream. */
static int build_model(tool_ctx *ctx, void *state)
{
	toy *t = state;
	if (t->load_model)
		return toy_load_model(ctx, t);
	int rc = ex_model2(&t->net, 2, t->hidden, 2, t->rng);
	if (rc)
		return tool_nn_error(ctx, rc, "model");
	const char *precision; /* beyond the lecture: --precision f32 */
	if (toy_precision(ctx, t, &precision))
		return TOOL_RUNTIME;
	printf("model: 2-%zu-2 sigmoid network, weights from npr.randn, biases 0; eta %g, %zu "
	       "steps%s\n", t->hidden, t->eta, t->steps, precision);
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

/* train: backpropagation on the whole training set, the best step's model kept. */
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

/* predict: the model kept, on the test set. */
static int predict(tool_ctx *ctx, void *state)
{
	toy *t = state;
	size_t test_ok = 0;
	if (toy_correct(ctx, &test_ok, t, &t->d.test_x, &t->d.test_y))
		return TOOL_RUNTIME;
	return toy_report(ctx, t, test_ok);
}

int main(int argc, char **argv)
{
	static const tool_phase lecture[] = { parse, get_data, build_model, train, predict };
	toy t = { 0 };
	return tool_main("nn-example2", argc, argv, lecture, 5, &t, toy_free);
}
