/*
 * nn-example1 and nn-example2: data, model and training as the lecture's
 * Python does them (lecture.c), the lecture's report, and the pictures.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef NN_HAVE_LAPACKE
#include <lapacke.h>
#endif

#include "cli.h"
#include "lecture.h"
#include "plot.h"
#include "toolkit.h"
#include "toy.h"
#include "dist.h"

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
	"  --save-data FILE.csv  the data used: split, label, x1, x2\n"
	"  --save-model FILE   write the trained network (nn's model file)\n"
	"  --load-model FILE   score a saved network on the data instead of training one\n"
	"%s"
	"  --help              this text\n";

/* Decision regions of net over the training data's range padded by 0.5, like
 * the lecture's plot_decision_boundary: a grid of step 0.01 (coarser only
 * when it would exceed 3000 points a side). */
static int region_grid(nn_region_grid *g, int **cls_out, const nn_net *net, const nn_matrix *X)
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
	*g = (nn_region_grid){ cls, nx, ny, lo[0], lo[1], h };
	*cls_out = cls;
	return 0;
}

static int plot_classes(const char *prog, const char *path, const nn_matrix *X, const nn_labels *y,
			const nn_net *net, const char *title)
{
	nn_region_grid grid;
	int *cls = NULL, rc = 0;
	if (net && (rc = region_grid(&grid, &cls, net, X)) != 0) {
		ex_error(prog, "%s: decision regions: %s", path, nn_strerror(rc));
		return EX_RUNTIME;
	}
	nn_canvas c;
	rc = nn_figure_classes(&c, X->data, X->data + 1, X->ld, X->cols, y->data, net ? &grid : NULL,
			       title);
	free(cls);
	if (rc) {
		ex_error(prog, "%s: %s", path, nn_strerror(rc));
		return EX_RUNTIME;
	}
	return ex_write_png(prog, &c, path);
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
static int least_squares(const char *prog, const ex_data *d)
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
		ex_error(prog, "least squares: %s", nn_strerror(NN_ENOMEM));
		return EX_RUNTIME;
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

int ex_toy_main(int argc, char **argv, int example)
{
	const char *prog = example == 1 ? "nn-example1" : "nn-example2";
	uint32_t seed = 0;
	size_t steps = EX_STEPS, every = 1000, samples = 500, hidden = 10;
	double eta = example == 1 ? EX1_ETA : EX2_ETA, noise = 0, cluster_std = 1.0, box[2] = { -3, 3 };
	int dataset = example == 1 ? EX_BLOBS : EX_CIRCLES;
	const char *plot = NULL, *plot_dots = NULL, *plot_curve = NULL, *save_data = NULL;
	const char *save_model = NULL, *load_model = NULL;
	int seed_given = 0, noise_given = 0, std_given = 0, box_given = 0, hidden_given = 0, dummy[11] = { 0 };
	const ex_flag flags[] = {
		{ "--seed", EX_U32, &seed, &seed_given, 0, 0, NULL, 0 },
		{ "--dataset", EX_CHOICE, &dataset, &dummy[0], 0, 0, ex_dataset_names, 0 },
		{ "--samples", EX_SIZE, &samples, &dummy[1], 2, 1000000, NULL, 0 },
		{ "--cluster-std", EX_NONNEG, &cluster_std, &std_given, 0, 0, NULL, 0 },
		{ "--center-box", EX_RANGE, box, &box_given, 0, 0, NULL, 0 },
		{ "--noise", EX_NONNEG, &noise, &noise_given, 0, 0, NULL, 0 },
		{ "--eta", EX_POS, &eta, &dummy[2], 0, 0, NULL, 0 },
		{ "--steps", EX_SIZE, &steps, &dummy[3], 1, 1000000000, NULL, 0 },
		{ "--every", EX_SIZE, &every, &dummy[4], 1, 0, NULL, 0 },
		{ "--plot", EX_STRING, &plot, &dummy[5], 0, 0, NULL, 0 },
		{ "--plot-dots", EX_STRING, &plot_dots, &dummy[6], 0, 0, NULL, 0 },
		{ "--plot-curve", EX_STRING, &plot_curve, &dummy[7], 0, 0, NULL, 0 },
		{ "--save-data", EX_STRING, &save_data, &dummy[8], 0, 0, NULL, 0 },
		{ "--save-model", EX_STRING, &save_model, &dummy[9], 0, 0, NULL, 0 },
		{ "--load-model", EX_STRING, &load_model, &dummy[10], 0, 0, NULL, 0 },
		{ "--hidden", EX_SIZE, &hidden, &hidden_given, 1, 100000, NULL, 0 },
	};
	/* --hidden is the second network's; the first is one neuron. */
	size_t nflags = sizeof(flags) / sizeof(flags[0]) - (example == 1);
	char usage[4096];
	snprintf(usage, sizeof(usage), usage_common, example == 1 ? usage1 : usage2, eta,
		 example == 1 ? "" : "  --hidden N          neurons in the hidden layer (default 10)\n");
	int rc = ex_parse(argc, argv, prog, flags, nflags, usage);
	if (rc >= 0)
		return rc;
	if ((std_given || box_given) && dataset != EX_BLOBS) {
		ex_error(prog, "%s applies only to --dataset blobs", std_given ? "--cluster-std" : "--center-box");
		return EX_USAGE;
	}
	if (noise_given && dataset != EX_CIRCLES && dataset != EX_MOONS) {
		ex_error(prog, "--noise applies only to --dataset circles or moons");
		return EX_USAGE;
	}
	/* a loaded network is scored, not trained: the training flags would be ignored */
	const struct {
		int given;
		const char *name;
	} training[] = { { dummy[2], "--eta" }, { dummy[3], "--steps" }, { dummy[4], "--every" },
			 { dummy[7], "--plot-curve" }, { hidden_given, "--hidden" },
			 { dummy[9], "--save-model" } };
	for (size_t i = 0; load_model && i < sizeof(training) / sizeof(training[0]); i++)
		if (training[i].given) {
			ex_error(prog, "%s: not with --load-model (the network comes from the file and "
				 "is not trained)", training[i].name);
			return EX_USAGE;
		}
	const char *outputs[5] = { plot, plot_dots, plot_curve, save_data, save_model };
	for (int i = 0; i < 5; i++)
		if (outputs[i] && ex_check_output(prog, outputs[i]))
			return EX_RUNTIME;
	if (!ex_dist_root()) /* under mpirun, rank 0 alone writes files */
		plot = plot_dots = plot_curve = save_data = save_model = NULL;

	seed = ex_dist_seed(ex_seed(seed_given, seed)); /* rank 0's clock seed, on every rank */
	printf("seed: %u\n", (unsigned)seed);
	ex_data_options dopt = ex_data_defaults((enum ex_dataset)dataset);
	dopt.samples = samples;
	dopt.cluster_std = cluster_std;
	dopt.center_box[0] = box[0];
	dopt.center_box[1] = box[1];
	if (noise_given) {
		dopt.has_noise = 1;
		dopt.noise = noise;
	}
	nn_rng *rng = NULL;
	nn_net *net = NULL;
	ex_data d = { 0 };
	ex_report rep = { 0 };
	int status = EX_RUNTIME;
	char desc[256], title[128];
	ex_data_describe(desc, sizeof(desc), &dopt);
	if ((rc = nn_rng_new(&rng, seed)) != 0 || (rc = ex_data_make(&d, &dopt, rng)) != 0) {
		ex_error(prog, "%s: %s", desc, nn_strerror(rc));
		goto out;
	}
	printf("data: %s, split %zu train / %zu test\n", desc, d.train_x.cols, d.test_x.cols);
	if (load_model) {
		if (ex_model_load(&net, prog, load_model, 2, 2))
			goto out;
		ex_net_describe(desc, sizeof(desc), net);
		printf("model: loaded from %s: %s\n", load_model, desc);
	} else if ((rc = example == 1 ? ex_model1(&net, rng) : ex_model2(&net, 2, hidden, 2, rng))) {
		ex_error(prog, "model: %s", nn_strerror(rc));
		goto out;
	} else if (example == 1) {
		printf("model: one sigmoid neuron, w1 w2 b from npr.random(); eta %g, %zu steps\n", eta,
		       steps);
	} else {
		printf("model: 2-%zu-2 sigmoid network, weights from npr.randn, biases 0; eta %g, %zu "
		       "steps\n", hidden, eta, steps);
	}
	fflush(stdout);
	if (save_data && ex_save_csv(prog, save_data, &d.train_x, &d.train_y, &d.test_x, &d.test_y))
		goto out;
	snprintf(title, sizeof(title), "%s training data (seed %u)", prog, (unsigned)seed);
	if (plot_dots && plot_classes(prog, plot_dots, &d.train_x, &d.train_y, NULL, title))
		goto out;

	nn_train_result res = { 0 };
	if (load_model) {
		if ((rc = ex_correct(&res.best_correct, net, &d.train_x, &d.train_y)) != 0) {
			ex_error(prog, "train: %s", nn_strerror(rc));
			goto out;
		}
	} else {
		ex_report_init(&rep, every, d.train_x.cols, steps, plot_curve != NULL);
		/* under mpirun every rank makes the same (small) data from the seed,
		 * as the lecture's stream demands, and trains on its shard only */
		size_t first, count;
		ex_dist_shard(d.train_x.cols, &first, &count);
		nn_matrix shard = nn_matrix_view(count ? d.train_x.data + first * d.train_x.ld : NULL,
						 d.train_x.rows, count, d.train_x.ld);
		nn_labels shard_y = { .n = count, .data = d.train_y.data + first };
		if (ex_train(prog, net, &shard, &shard_y, eta, steps, &rep, &res))
			goto out;
		if (save_model && ex_model_save(prog, save_model, net, NULL))
			goto out;
	}
#ifdef NN_HAVE_LAPACKE
	if (example == 1 && least_squares(prog, &d))
		goto out;
#endif
	size_t test_ok = 0;
	if ((rc = ex_correct(&test_ok, net, &d.test_x, &d.test_y)) != 0) {
		ex_error(prog, "test: %s", nn_strerror(rc));
		goto out;
	}
	snprintf(title, sizeof(title), "%s best model (seed %u)", prog, (unsigned)seed);
	if (plot && plot_classes(prog, plot, &d.train_x, &d.train_y, net, title))
		goto out;
	snprintf(title, sizeof(title), "%s training (seed %u)", prog, (unsigned)seed);
	if (plot_curve && ex_plot_curve(prog, &rep, title, plot_curve))
		goto out;
	printf("train accuracy: %.4f\n", (double)res.best_correct / (double)d.train_x.cols);
	printf("test accuracy: %.4f\n", (double)test_ok / (double)d.test_x.cols);
	status = fflush(stdout) == 0 ? EX_OK : EX_RUNTIME;
out:
	ex_report_free(&rep);
	ex_data_free(&d);
	nn_net_free(net);
	nn_rng_free(rng);
	return status;
}
