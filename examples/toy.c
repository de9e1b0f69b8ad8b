/*
 * The command line, data, pictures and report of nn-example1 and
 * nn-example2 (toy.h); the lecture's steps are in their own files.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "plot.h"
#include "toy.h"
#include "tool-train.h"

static const char usage1[] =
	"usage: nn-example1 [options]\n"
	"The lecture's first example: make_blobs data, one sigmoid neuron trained by\n"
	"gradient descent, and beside it the exact least-squares linear fit (LAPACKE).\n"
	"\n";
static const char usage2[] =
	"usage: nn-example2 [options]\n"
	"The lecture's second example: make_circles data and a 2-N-2 sigmoid network\n"
	"trained by backpropagation.\n"
	"\n";
static const char usage_common[] =
	"%s"
	"  --seed K            seed of the one random stream (0 to 4294967295); default: the clock\n"
	"  --dataset NAME      blobs, circles, moons or classification\n"
	"  --samples N         samples before the 80/20 train/test split (default 500)\n"
	"  --cluster-std X     blobs: standard deviation of each blob (default 1.0)\n"
	"  --center-box LO,HI  blobs: box the centres are drawn in (default -3,3)\n"
	"  --noise X           circles, moons: Gaussian noise (default 0.1 for circles, none for moons)\n"
	"  --eta X             step size, > 0 (default %g)\n"
	"  --steps N           gradient-descent steps (default 10000)\n"
	"  --every K           print the best score every K steps (default 1000)\n"
	"  --plot FILE.png     the training points over the model's decision regions\n"
	"  --plot-dots FILE.png  the training points alone\n"
	"  --plot-curve FILE.png cost and best accuracy against the step\n"
	"  --save-data FILE.csv  the data used: x1, x2, label, split (train or test)\n"
	"  --save-model FILE   write the trained network (nn's model file)\n"
	"  --load-model FILE   score a saved network on the data instead of training one\n"
	"  --precision P       f64 (the default) or f32: the network computes in float32\n"
	"%s"
	"  --help              this text\n"
	"  --version           the version of nn\n";

/* The flags, by index into the given[] of toy_parse(). */
enum { F_SEED, F_DATASET, F_SAMPLES, F_STD, F_BOX, F_NOISE, F_ETA, F_STEPS, F_EVERY, F_PLOT,
       F_DOTS, F_CURVE, F_SAVE_DATA, F_SAVE_MODEL, F_LOAD_MODEL, F_PRECISION, F_HIDDEN, F_COUNT };

/* Flags that contradict each other or the data set: a usage error. */
static int check_flags(tool_ctx *ctx, const toy *t, const int *g)
{
	if ((g[F_STD] || g[F_BOX]) && t->data.kind != EX_BLOBS) {
		tool_error(ctx, "%s applies only to --dataset blobs",
			   g[F_STD] ? "--cluster-std" : "--center-box");
		return TOOL_USAGE;
	}
	if (g[F_NOISE] && t->data.kind != EX_CIRCLES && t->data.kind != EX_MOONS) {
		tool_error(ctx, "--noise applies only to --dataset circles or moons");
		return TOOL_USAGE;
	}
	/* a loaded network is scored, not trained: the training flags would be ignored */
	static const int training[] = { F_ETA, F_STEPS, F_EVERY, F_CURVE, F_HIDDEN, F_SAVE_MODEL,
					F_PRECISION };
	static const char *const names[] = { "--eta", "--steps", "--every", "--plot-curve",
					     "--hidden", "--save-model", "--precision" };
	for (size_t i = 0; t->load_model && i < sizeof(training) / sizeof(training[0]); i++)
		if (g[training[i]]) {
			tool_error(ctx, "%s: not with --load-model (the network comes from the file "
				   "and is not trained)", names[i]);
			return TOOL_USAGE;
		}
	return 0;
}

int toy_parse(tool_ctx *ctx, toy *t, int example)
{
	int dataset = example == 1 ? EX_BLOBS : EX_CIRCLES, g[F_COUNT] = { 0 };
	size_t samples = 500;
	double noise = 0, cluster_std = 1.0, box[2] = { -3, 3 };
	*t = (toy){ .example = example, .eta = example == 1 ? EX1_ETA : EX2_ETA, .steps = EX_STEPS,
		    .every = 1000, .hidden = 10 };
	const tool_flag flags[F_COUNT] = {
		{ "--seed", TOOL_U32, &t->seed, &g[F_SEED], 0, 0, NULL },
		{ "--dataset", TOOL_CHOICE, &dataset, &g[F_DATASET], 0, 0, ex_dataset_names },
		{ "--samples", TOOL_SIZE, &samples, &g[F_SAMPLES], 2, 1000000, NULL },
		{ "--cluster-std", TOOL_NONNEG, &cluster_std, &g[F_STD], 0, 0, NULL },
		{ "--center-box", TOOL_RANGE, box, &g[F_BOX], 0, 0, NULL },
		{ "--noise", TOOL_NONNEG, &noise, &g[F_NOISE], 0, 0, NULL },
		{ "--eta", TOOL_POS, &t->eta, &g[F_ETA], 0, 0, NULL },
		{ "--steps", TOOL_SIZE, &t->steps, &g[F_STEPS], 1, 1000000000, NULL },
		{ "--every", TOOL_SIZE, &t->every, &g[F_EVERY], 1, 0, NULL },
		{ "--plot", TOOL_STRING, &t->plot, &g[F_PLOT], 0, 0, NULL },
		{ "--plot-dots", TOOL_STRING, &t->plot_dots, &g[F_DOTS], 0, 0, NULL },
		{ "--plot-curve", TOOL_STRING, &t->plot_curve, &g[F_CURVE], 0, 0, NULL },
		{ "--save-data", TOOL_STRING, &t->save_data, &g[F_SAVE_DATA], 0, 0, NULL },
		{ "--save-model", TOOL_STRING, &t->save_model, &g[F_SAVE_MODEL], 0, 0, NULL },
		{ "--load-model", TOOL_STRING, &t->load_model, &g[F_LOAD_MODEL], 0, 0, NULL },
		{ "--precision", TOOL_CHOICE, &t->precision, &g[F_PRECISION], 0, 0,
		  tool_precision_names },
		{ "--hidden", TOOL_SIZE, &t->hidden, &g[F_HIDDEN], 1, 100000, NULL },
	};
	char usage[4096];
	snprintf(usage, sizeof(usage), usage_common, example == 1 ? usage1 : usage2, t->eta,
		 example == 1 ? "" : "  --hidden N          neurons in the hidden layer (default 10)\n");
	/* --hidden is the second network's; the first is one neuron */
	tool_cli cli = { flags, F_COUNT - (example == 1), usage, NULL, 0, 0 };
	int rc = tool_parse(ctx, &cli);
	if (rc)
		return rc;
	t->seed_given = g[F_SEED];
	t->data = ex_data_defaults((enum ex_dataset)dataset);
	t->data.samples = samples;
	t->data.cluster_std = cluster_std;
	t->data.center_box[0] = box[0];
	t->data.center_box[1] = box[1];
	if (g[F_NOISE]) {
		t->data.has_noise = 1;
		t->data.noise = noise;
	}
	if ((rc = check_flags(ctx, t, g)) != 0)
		return rc;
	tool_curve_init(&t->curve, t->steps, t->plot_curve != NULL);
	const tool_path in = { "--load-model", t->load_model };
	const tool_path out[] = { { "--plot", t->plot }, { "--plot-dots", t->plot_dots },
				  { "--plot-curve", t->plot_curve }, { "--save-data", t->save_data },
				  { "--save-model", t->save_model } };
	return tool_check_paths(ctx, &in, 1, out, sizeof(out) / sizeof(out[0]));
}

/* Decision regions of net over the training data's range padded by 0.5, like
 * the lecture's plot_decision_boundary: a grid of step 0.01 (coarser only
 * when it would exceed 3000 points a side). */
static int region_grid(plot_region_grid *g, int **cls_out, const nn_net *net, const nn_matrix *X)
{
	double lo[2], hi[2];
	for (size_t f = 0; f < 2; f++) {
		lo[f] = hi[f] = NN_AT(X, f, 0);
		for (size_t j = 1; j < X->cols; j++) {
			double v = NN_AT(X, f, j);
			lo[f] = v < lo[f] ? v : lo[f];
			hi[f] = v > hi[f] ? v : hi[f];
		}
		lo[f] -= 0.5;
		hi[f] += 0.5;
	}
	double h = 0.01, span = fmax(hi[0] - lo[0], hi[1] - lo[1]);
	if (span / h > 3000)
		h = span / 3000;
	/* np.arange(lo, hi, h) has ceil((hi - lo) / h) points. */
	size_t nx = (size_t)ceil((hi[0] - lo[0]) / h), ny = (size_t)ceil((hi[1] - lo[1]) / h);
	enum { BATCH = 16384 };
	int *cls = malloc(nx * ny * sizeof(int));
	double *pts = malloc(2 * BATCH * sizeof(double));
	nn_workspace *ws = NULL;
	int rc = !cls || !pts ? NN_ENOMEM : nn_workspace_new(&ws, net, BATCH);
	for (size_t k0 = 0; rc == 0 && k0 < nx * ny; k0 += BATCH) {
		size_t cnt = nx * ny - k0 < BATCH ? nx * ny - k0 : BATCH;
		for (size_t k = 0; k < cnt; k++) {
			pts[2 * k] = lo[0] + (double)((k0 + k) % nx) * h;
			pts[2 * k + 1] = lo[1] + (double)((k0 + k) / nx) * h;
		}
		nn_matrix batch = nn_matrix_view(pts, 2, cnt, 2);
		rc = nn_predict(cls + k0, ws, net, &batch);
	}
	nn_workspace_free(ws);
	free(pts);
	if (rc) {
		free(cls);
		return rc;
	}
	*g = (plot_region_grid){ cls, nx, ny, lo[0], lo[1], h };
	*cls_out = cls;
	return 0;
}

/* The training points (the lecture's plot_dots), over net's decision regions
 * when net is not NULL (its plot_decision_boundary). */
static int plot_classes(tool_ctx *ctx, const char *path, const toy *t, const nn_net *net,
			const char *what)
{
	const nn_matrix *X = &t->d.train_x;
	char title[128];
	snprintf(title, sizeof(title), "%s %s (seed %u)", ctx->prog, what, (unsigned)t->seed);
	plot_region_grid grid;
	int *cls = NULL, rc = 0;
	if (net && (rc = region_grid(&grid, &cls, net, X)) != 0)
		return tool_nn_error(ctx, rc, "%s: decision regions", path);
	plot_canvas c;
	rc = plot_figure_classes(&c, X->data, X->data + 1, X->ld, X->cols, t->d.train_y.data,
				 net ? &grid : NULL, title);
	free(cls);
	return rc ? tool_nn_error(ctx, rc, "%s", path) : tool_write_png(ctx, path, &c);
}

int toy_get_data(tool_ctx *ctx, toy *t)
{
	t->seed = tool_seed(ctx, t->seed_given, t->seed); /* the first process's clock seed */
	printf("seed: %u\n", (unsigned)t->seed);
	char desc[256];
	ex_data_describe(desc, sizeof(desc), &t->data);
	int rc = nn_rng_new(&t->rng, t->seed);
	if (rc == 0)
		rc = ex_data_make(&t->d, &t->data, t->rng);
	if (rc)
		return tool_nn_error(ctx, rc, "%s", desc);
	printf("data: %s, split %zu train / %zu test\n", desc, t->d.train_x.cols, t->d.test_x.cols);
	/* under mpirun every process makes the same (small) data from the seed, as
	 * the lecture's stream demands, and trains on its shard only */
	size_t first, count;
	const nn_matrix *X = &t->d.train_x;
	if ((rc = tool_shard(ctx, X->cols, &first, &count)) != 0)
		return rc;
	t->shard_x = nn_matrix_view(count ? X->data + first * X->ld : NULL, X->rows, count, X->ld);
	t->shard_y = (nn_labels){ .n = count, .data = t->d.train_y.data + first };
	if (!tool_root(ctx)) /* the first process alone writes files */
		return 0;
	const tool_csv_part parts[2] = { { &t->d.train_x, &t->d.train_y, "train" },
					 { &t->d.test_x, &t->d.test_y, "test" } };
	if (t->save_data && tool_save_csv(ctx, t->save_data, parts, 2))
		return TOOL_RUNTIME;
	return t->plot_dots ? plot_classes(ctx, t->plot_dots, t, NULL, "training data") : 0;
}

int toy_precision(tool_ctx *ctx, toy *t, const char **suffix)
{
	*suffix = t->precision == NN_F32 ? "; float32" : "";
	return tool_set_precision(ctx, t->net, (nn_precision)t->precision);
}

int toy_load_model(tool_ctx *ctx, toy *t)
{
	if (tool_load_model(ctx, &t->net, t->load_model, 2, 2))
		return TOOL_RUNTIME;
	char desc[256];
	tool_net_describe(desc, sizeof(desc), t->net);
	printf("model: loaded from %s: %s\n", t->load_model, desc);
	return 0;
}

int toy_correct(tool_ctx *ctx, size_t *correct, const toy *t, const nn_matrix *X,
		const nn_labels *y)
{
	nn_workspace *ws = NULL;
	/* whole data sets here are small (at most a few thousand samples) */
	int rc = nn_workspace_new(&ws, t->net, X->cols);
	if (rc == 0)
		rc = nn_evaluate(NULL, correct, ws, t->net, X, y);
	nn_workspace_free(ws);
	return rc ? tool_nn_error(ctx, rc, "scoring the model") : 0;
}

int toy_trained(tool_ctx *ctx, toy *t, int rc)
{
	fflush(stdout);
	t->train_ok = t->res.best_correct;
	if (rc == NN_EDIVERGED) {
		tool_warn(ctx, "training diverged at step %zu (the cost is no longer finite; try a "
			  "smaller --eta); keeping the best model before it", t->res.steps_run - 1);
		/* the model kept may be the initial one, which training never scored */
		if (toy_correct(ctx, &t->train_ok, t, &t->d.train_x, &t->d.train_y))
			return TOOL_RUNTIME;
	} else if (rc) {
		return tool_nn_error(ctx, rc, "training");
	}
	printf("Our best model gets %.1f percent correct!\n",
	       tool_percent(t->train_ok, t->d.train_x.cols));
	if (t->save_model && tool_root(ctx))
		return tool_save_model(ctx, t->save_model, t->net, NULL);
	return 0;
}

int toy_report(tool_ctx *ctx, toy *t, size_t test_ok)
{
	char title[128];
	if (tool_root(ctx) && t->plot && plot_classes(ctx, t->plot, t, t->net, "best model"))
		return TOOL_RUNTIME;
	snprintf(title, sizeof(title), "%s training (seed %u)", ctx->prog, (unsigned)t->seed);
	if (tool_root(ctx) && t->plot_curve && tool_plot_curve(ctx, t->plot_curve, &t->curve, title))
		return TOOL_RUNTIME;
	printf("train accuracy: %.4f\n", (double)t->train_ok / (double)t->d.train_x.cols);
	printf("test accuracy: %.4f\n", (double)test_ok / (double)t->d.test_x.cols);
	return 0;
}

void toy_free(void *state)
{
	toy *t = state;
	tool_curve_free(&t->curve);
	ex_data_free(&t->d);
	nn_net_free(t->net);
	nn_rng_free(t->rng);
}
