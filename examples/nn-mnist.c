/*
 * nn-mnist: the lecture's "Handwritten digits".
 *
 *   get_data        the first 500 training and 100 test digits, by default
 *                   from the sample bundled with nn, pixels / 256
 *   build_model(30) a 784-30-10 sigmoid network, weights by npr.randn
 *   train           20000 gradient-descent steps of eta 5e-4 on the whole
 *                   training set, keeping the best model, printing its
 *                   score every 1000 steps ("Best by step")
 *   predict         the best model's accuracy on the training and test digits
 *
 * The lecture's steps are the phases below, in its order. Beyond the
 * lecture (doc/toolkit.md), --model or any mini-batch flag (--epochs,
 * --optimizer, --layers, ...) trains by mini-batches on every image of the
 * data instead, --precision f32 computes in float32, and --load-model
 * scores a saved network; those, the command line, the loading of the
 * digits and the pictures are digits.c's.
 */
#include <stdio.h>

#include "digits.h"
#include "lecture.h"

static int parse(tool_ctx *ctx, void *state)
{
	return digits_parse(ctx, state);
}

/* get_data: the digits (under mpirun each process reads its shard). */
static int get_data(tool_ctx *ctx, void *state)
{
	return digits_load(ctx, state);
}

/* build_model: 784 -> hidden -> 10 sigmoid units, W by npr.randn, b = 0. */
static int build_model(tool_ctx *ctx, void *state)
{
	digits *d = state;
	if (d->load_model)
		return digits_load_model(ctx, d);
	if (d->batch) /* beyond the lecture: its network is made with its training */
		return 0;
	size_t inputs = d->m.train_x.rows;
	int rc = ex_model2(&d->net, inputs, d->hidden, NN_MNIST_CLASSES, d->rng);
	if (rc)
		return tool_nn_error(ctx, rc, "model");
	/* beyond the lecture: --precision f32 rounds the weights drawn */
	if (tool_set_precision(ctx, d->net, (nn_precision)d->precision))
		return TOOL_RUNTIME;
	printf("model: %zu-%zu-%d sigmoid network, weights from npr.randn, biases 0; eta %g, %zu "
	       "steps%s\n", inputs, d->hidden, NN_MNIST_CLASSES, d->eta, d->steps,
	       d->precision == NN_F32 ? "; float32" : "");
	char count[256];
	tool_param_count(count, sizeof(count), d->net);
	printf("number of parameters in the model: %s\n", count);
	fflush(stdout);
	return 0;
}

/* The lecture's loop prints the best training score every `every` steps. */
static int print_best(void *user, const nn_progress *p)
{
	digits *d = user;
	if (p->step % d->every == 0)
		printf("Best by step %zu: %.1f %%\n", p->step, tool_percent(p->best_correct, p->samples));
	tool_curve_add(&d->curve, p);
	return 0;
}

/* After a divergence the model kept may be the initial one, which training
 * never scored: score it on every process's shard and add up. A process
 * whose scoring failed still takes part in the sum, so that none waits. */
static int score_kept(tool_ctx *ctx, digits *d)
{
	int rc = tool_evaluate(NULL, &d->train_ok, d->net, &d->m.train_x, &d->m.train_y);
	size_t sum[2] = { d->train_ok, rc != 0 };
	int src = tool_sum(ctx, sum, 2);
	if (!rc && !src && sum[1])
		rc = NN_EPEER;
	if (rc || src)
		return tool_nn_error(ctx, rc ? rc : src, "scoring the model");
	d->train_ok = sum[0];
	return 0;
}

/* train: full-batch gradient descent, the best step's model kept (nn_train_gd). */
static int train(tool_ctx *ctx, void *state)
{
	digits *d = state;
	d->train_n = d->ntrain_all;
	if (d->load_model) { /* scored as it is */
		int rc = tool_evaluate(NULL, &d->train_ok, d->net, &d->m.train_x, &d->m.train_y);
		return rc ? tool_nn_error(ctx, rc, "train") : 0;
	}
	if (d->batch)
		return digits_fit(ctx, d);
	nn_train_options opt = nn_train_defaults();
	opt.eta = d->eta;
	opt.steps = d->steps;
	opt.every = 1;
	opt.callback = print_best;
	opt.user = d;
	opt.input = (nn_input_mode)d->input;
	nn_train_result res;
	/* the training digits are this process's shard: one gradient summed over all */
	int rc = tool_train_gd(ctx, d->net, &res, &d->m.train_x, &d->m.train_y, &opt);
	fflush(stdout);
	d->train_ok = res.best_correct;
	if (rc == NN_EDIVERGED) {
		tool_warn(ctx, "training diverged at step %zu (the cost is no longer finite; try a "
			  "smaller --eta); keeping the best model before it", res.steps_run - 1);
		if (score_kept(ctx, d))
			return TOOL_RUNTIME;
	} else if (rc) {
		return tool_nn_error(ctx, rc, "training");
	}
	printf("Our best model gets %.1f percent correct!\n", tool_percent(d->train_ok, d->train_n));
	char title[128];
	snprintf(title, sizeof(title), "nn-mnist training (seed %u)", (unsigned)d->seed);
	if (tool_root(ctx) && d->curve_path && tool_plot_curve(ctx, d->curve_path, &d->curve, title))
		return TOOL_RUNTIME;
	if (tool_root(ctx) && d->save_model)
		return tool_save_model(ctx, d->save_model, d->net, NULL);
	return 0;
}

/* predict: the model kept, on the test digits. */
static int predict(tool_ctx *ctx, void *state)
{
	digits *d = state;
	size_t test_ok = 0;
	int rc = tool_evaluate(NULL, &test_ok, d->net, &d->m.test_x, &d->m.test_y);
	if (rc)
		return tool_nn_error(ctx, rc, "test");
	if (digits_pictures(ctx, d))
		return TOOL_RUNTIME;
	printf("train accuracy: %.4f\n", (double)d->train_ok / (double)d->train_n);
	printf("test accuracy: %.4f\n", (double)test_ok / (double)d->m.test_x.cols);
	return 0;
}

int main(int argc, char **argv)
{
	static const tool_phase lecture[] = { parse, get_data, build_model, train, predict };
	digits d = { 0 };
	return tool_main("nn-mnist", argc, argv, lecture, 5, &d, digits_free);
}
