/*
 * nn-mnist: the lecture's "Handwritten digits" -- a 784-30-10 sigmoid
 * network trained by backpropagation on 500 training digits and tested on
 * 100, by default from the sample bundled with nn.
 *
 * Beyond the lecture (doc/toolkit.md): any of the mini-batch flags
 * (--epochs, --optimizer, --batch, --layers, ...) trains with nn_fit on
 * every image of the data instead; --save-model and --load-model write and
 * read model files.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "dist.h"
#include "lecture.h"
#include "plot.h"
#include "toolkit.h"

static const char prog[] = "nn-mnist";

static const char usage[] =
	"usage: nn-mnist [options]\n"
	"The lecture's handwritten digits: a 784-N-10 sigmoid network trained by\n"
	"gradient descent on the first 500 training digits, tested on the first 100.\n"
	"\n"
	"  --data PATH         a directory of IDX files (train-images*, train-labels*,\n"
	"                      t10k-images*, t10k-labels*, raw or .gz), an mnist.pkl.gz,\n"
	"                      or, given four times, the four IDX files themselves;\n"
	"                      default: the sample bundled with nn\n"
	"  --train N           training digits (default 500)\n"
	"  --test N            test digits (default 100)\n"
	"  --hidden N          neurons in the hidden layer (default 30)\n"
	"  --eta X             step size, > 0 (default 0.0005)\n"
	"  --steps N           gradient-descent steps (default 20000)\n"
	"  --every K           print the best score every K steps (default 1000)\n"
	"  --seed K            seed of the weights (0 to 4294967295); default: the clock\n"
	"  --plot FILE.png     test digits with their predicted labels, mistakes marked\n"
	"  --plot-confusion FILE.png  the confusion matrix on the test digits\n"
	"  --plot-curve FILE.png      cost and best accuracy against the step\n"
	"  --save-data FILE.csv       the digits used: split, label, 784 pixels\n"
	"  --save-model FILE   write the trained network (nn's model file)\n"
	"  --load-model FILE   evaluate a saved network instead of training one\n"
	"  --input MODE        auto, dense or sparse: the first layer's products as dgemm\n"
	"                      or as sparse kernels on the compressed digits (default auto:\n"
	"                      sparse when the digits are sparse enough; same results)\n"
	"  --help              this text\n"
	"IDX pixels are divided by 256, as in the lecture's mnist.pkl.gz.\n"
	"\n"
	"Beyond the lecture: any of these flags trains by mini-batches (nn_fit) on\n"
	"every image of the data (unless --train/--test say otherwise), with a line\n"
	"per epoch; --hidden, --steps, --every and --plot-curve then do not apply.\n"
	"  --epochs N          passes over the training set (default 10)\n"
	"  --batch N           samples per update (default 64)\n"
	"  --optimizer NAME    sgd, momentum, nesterov or adam (default adam)\n"
	"  --momentum X        momentum, nesterov: in [0, 1) (default 0.9)\n"
	"  --schedule NAME     constant, step, exp or cosine (default constant)\n"
	"  --gamma X           step, exp: factor per decay, in (0, 1] (default 0.5)\n"
	"  --step-epochs N     step: epochs between decays (default 10)\n"
	"  --eta-min X         cosine: the step size approached (default 0)\n"
	"  --layers LIST       widths, 784 first and 10 last (default 784,256,10)\n"
	"  --activation NAME   hidden layers: sigmoid, tanh, relu or leaky-relu (default relu)\n"
	"  --cost NAME         ce (softmax output, the default) or quadratic (sigmoid output)\n"
	"  --init NAME         lecture, glorot, he or orthogonal (default he for relu\n"
	"                      and leaky-relu, glorot otherwise)\n"
	"  --l2 X              L2 strength on the weights (default 0)\n"
	"  --dropout P         probability of dropping a hidden unit, in [0, 1) (default 0)\n"
	"  --val F             hold out a fraction (0.1) or a count (6000) of the\n"
	"                      training images for validation\n"
	"  --patience N        with --val: stop after N epochs without a lower validation\n"
	"                      cost and keep the best epoch's weights\n"
	"  --history FILE.csv  per epoch: seconds, eta, train and validation cost and accuracy\n"
	"  --plot-history FILE.png  cost and accuracy against the epoch\n"
	"With them --eta defaults to 0.001 for adam, 0.1 for sgd and 0.01 for momentum\n"
	"and nesterov; the gradient is the mean over a batch.\n";

/* The bundled sample: the source tree's when this program runs from the build tree. */
static const char *default_data(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct stat st, here, build;
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		/* The same directory: the same device and inode, whatever the path's spelling. */
		if (stat(exe, &here) == 0 && stat(NN_BUILD_DIR, &build) == 0 &&
		    here.st_dev == build.st_dev && here.st_ino == build.st_ino &&
		    stat(NN_SOURCE_SAMPLE, &st) == 0)
			return NN_SOURCE_SAMPLE;
	}
	if (stat(NN_INSTALLED_SAMPLE, &st) != 0 && stat(NN_SOURCE_SAMPLE, &st) == 0)
		return NN_SOURCE_SAMPLE;
	return NN_INSTALLED_SAMPLE;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/*
 * Four single IDX files: which holds images or labels comes from the content
 * (nn_mnist_sniff), whether training or test from the name ("t10k" or "test"
 * means test, "train" training), since the content cannot tell.
 */
static int load_files(nn_mnist *m, const ex_strings *files, size_t ntrain, size_t ntest)
{
	int have[4] = { 0 }; /* train images, train labels, test images, test labels */
	for (size_t i = 0; i < files->n; i++) {
		const char *path = files->v[i], *name = base_name(path);
		int test = strstr(name, "t10k") || (!strstr(name, "train") && strstr(name, "test"));
		if (!test && !strstr(name, "train")) {
			ex_error(prog, "%s: cannot tell training from test data: the name has neither "
				 "'train' nor 't10k'/'test'", path);
			return EX_RUNTIME;
		}
		nn_mnist_kind kind;
		int rc = nn_mnist_sniff(&kind, path);
		const char *why = NULL;
		if (rc)
			why = rc == NN_EMAGIC ? "not an IDX image or label file" : nn_strerror(rc);
		else if (kind == NN_MNIST_DIRECTORY)
			why = "a directory; give one directory or four IDX files";
		else if (kind == NN_MNIST_PICKLE)
			why = "a pickle; give it alone, or four IDX files";
		if (why) {
			ex_error(prog, "%s: %s", path, why);
			return EX_RUNTIME;
		}
		nn_matrix *X = test ? &m->test_x : &m->train_x;
		nn_labels *y = test ? &m->test_y : &m->train_y;
		int slot = 2 * test + (kind == NN_MNIST_IDX_LABELS);
		if (have[slot]) {
			ex_error(prog, "%s: a second IDX %s file for the %s set", path,
				 slot % 2 ? "label" : "image", test ? "test" : "training");
			return EX_RUNTIME;
		}
		rc = slot % 2 ? nn_idx_read_labels(y, path, test ? ntest : ntrain)
			      : nn_idx_read_images(X, path, test ? ntest : ntrain, 256.0);
		if (rc) {
			ex_error(prog, "%s: %s", path, nn_strerror(rc));
			return EX_RUNTIME;
		}
		have[slot] = 1;
	}
	static const char *const what[4] = { "training images", "training labels", "test images",
					     "test labels" };
	for (int k = 0; k < 4; k++)
		if (!have[k]) {
			ex_error(prog, "--data: no file of %s among the %zu given (give a directory, an "
				 "mnist.pkl.gz, or the four IDX files)", what[k], files->n);
			return EX_RUNTIME;
		}
	if (m->train_x.cols != m->train_y.n || m->test_x.cols != m->test_y.n ||
	    m->train_x.rows != m->test_x.rows) {
		ex_error(prog, "--data: the image and label files do not match in count or size");
		return EX_RUNTIME;
	}
	m->rows = m->cols = 28;
	if (m->train_x.rows != 784)
		m->rows = m->train_x.rows, m->cols = 1;
	return 0;
}

/* Load the data; the training set from sample `first` on (this rank's shard
 * under mpirun: only the directory and pickle paths read a shard alone). */
static int load(nn_mnist *m, const ex_strings *data, size_t first, size_t ntrain, size_t ntest)
{
	*m = (nn_mnist){ 0 };
	const char *path = data->v[0];
	/* what a path is and holds decides, never its name: a directory called
	 * mnist-idx is a directory, and nn_mnist_load says what a lone IDX file is */
	if (data->n > 1) {
		if (ex_dist.size > 1) {
			ex_error(prog, "--data: under mpirun give a directory or an mnist.pkl.gz, so "
				 "that each rank reads only its shard");
			return EX_RUNTIME;
		}
		return load_files(m, data, ntrain, ntest);
	}
	nn_mnist_kind kind;
	if (nn_mnist_sniff(&kind, path) == 0 &&
	    (kind == NN_MNIST_IDX_IMAGES || kind == NN_MNIST_IDX_LABELS)) {
		ex_error(prog, "%s: an IDX %s file alone; give the directory that holds the four "
			 "IDX files, or the four files (--data four times)",
			 path, kind == NN_MNIST_IDX_IMAGES ? "image" : "label");
		return EX_RUNTIME;
	}
	nn_mnist_options opt = nn_mnist_defaults();
	opt.first_train = first;
	opt.max_train = ntrain;
	opt.max_test = ntest;
	opt.scale = 256.0;
	int rc = nn_mnist_load(m, path, &opt);
	if (rc) {
		if (m->error[0])
			ex_error(prog, "%s", m->error);
		else
			ex_error(prog, "%s: %s", path, nn_strerror(rc));
		return EX_RUNTIME;
	}
	return 0;
}

static int plot_digits(const char *path, const nn_mnist *m, const nn_net *net)
{
	if (m->test_x.rows != 784) {
		ex_error(prog, "%s: the digit grid needs 28x28 images", path);
		return EX_RUNTIME;
	}
	size_t n = m->test_x.cols < 100 ? m->test_x.cols : 100;
	int *pred = malloc(n * sizeof(int));
	nn_workspace *ws = NULL;
	/* A view of the first n test digits. */
	nn_matrix first = nn_matrix_view(m->test_x.data, m->test_x.rows, n, m->test_x.ld);
	int rc = !pred ? NN_ENOMEM : nn_workspace_new(&ws, net, n);
	if (rc == 0)
		rc = nn_predict(pred, ws, net, &first);
	nn_workspace_free(ws);
	nn_canvas c;
	char title[128];
	snprintf(title, sizeof(title), "the first %zu test digits: predicted (true)", n);
	if (rc == 0)
		rc = nn_figure_digits(&c, m->test_x.data, m->test_x.ld, n, 10, 2, pred, m->test_y.data,
				      title);
	free(pred);
	if (rc) {
		ex_error(prog, "%s: %s", path, nn_strerror(rc));
		return EX_RUNTIME;
	}
	return ex_write_png(prog, &c, path);
}

static int plot_confusion(const char *path, const nn_mnist *m, const nn_net *net)
{
	size_t n = m->test_x.cols, k = nn_net_width(net, nn_net_layers(net));
	int *pred = malloc(n * sizeof(int));
	size_t *counts = calloc(k * k, sizeof(size_t));
	nn_workspace *ws = NULL;
	int rc = !pred || !counts ? NN_ENOMEM : nn_workspace_new(&ws, net, n);
	if (rc == 0)
		rc = nn_predict(pred, ws, net, &m->test_x);
	nn_workspace_free(ws);
	size_t right = 0;
	for (size_t j = 0; rc == 0 && j < n; j++) {
		counts[(size_t)m->test_y.data[j] * k + (size_t)pred[j]]++;
		right += m->test_y.data[j] == pred[j];
	}
	nn_canvas c;
	char title[128];
	snprintf(title, sizeof(title), "%zu test digits, accuracy %.4f", n, (double)right / (double)n);
	if (rc == 0)
		rc = nn_figure_confusion(&c, counts, (int)k, title);
	free(pred);
	free(counts);
	if (rc) {
		ex_error(prog, "%s: %s", path, nn_strerror(rc));
		return EX_RUNTIME;
	}
	return ex_write_png(prog, &c, path);
}

/* The flags of the lecture's run, by index into main()'s given[]. */
enum { F_DATA, F_TRAIN, F_TEST, F_HIDDEN, F_ETA, F_STEPS, F_EVERY, F_PLOT, F_CONFUSION, F_CURVE,
       F_SAVE_DATA, F_SAVE_MODEL, F_LOAD_MODEL, F_INPUT, F_COUNT };

/* --input: how the first layer reads the digits (nn_input_mode's order) */
static const char *const input_names[] = { "auto", "dense", "sparse", NULL };

/* Everything a run needs beyond the data. */
struct run {
	uint32_t seed;
	size_t steps, every, hidden;
	double eta;
	const char *plot, *confusion, *curve, *save_model, *load_model;
	ex_tk tk;
	size_t ntrain; /* training digits over all ranks (under mpirun each holds a shard) */
};

/* The lecture's run: 784-N-10 sigmoid, full-batch gradient descent, the best step's model. */
static int train_lecture(nn_net **net, size_t *train_ok, const struct run *r, const nn_mnist *m,
			 nn_rng *rng)
{
	size_t inputs = m->train_x.rows, ntrain = r->ntrain;
	int rc = ex_model2(net, inputs, r->hidden, NN_MNIST_CLASSES, rng);
	if (rc) {
		ex_error(prog, "model: %s", nn_strerror(rc));
		return EX_RUNTIME;
	}
	printf("model: %zu-%zu-%d sigmoid network, weights from npr.randn, biases 0; eta %g, %zu steps\n",
	       inputs, r->hidden, NN_MNIST_CLASSES, r->eta, r->steps);
	char count[256];
	ex_param_count(count, sizeof(count), *net);
	printf("number of parameters in the model: %s\n", count);
	fflush(stdout);
	nn_train_result res = { 0 };
	ex_report rep;
	ex_report_init(&rep, r->every, ntrain, r->steps, r->curve != NULL);
	int status = ex_train(prog, *net, &m->train_x, &m->train_y, r->eta, r->steps, &rep, &res);
	char title[128];
	snprintf(title, sizeof(title), "nn-mnist training (seed %u)", (unsigned)r->seed);
	if (status == 0 && r->curve)
		status = ex_plot_curve(prog, &rep, title, r->curve);
	ex_report_free(&rep);
	if (status == 0 && r->save_model)
		status = ex_model_save(prog, r->save_model, *net, NULL);
	*train_ok = res.best_correct;
	return status;
}

/* Mini-batch training with nn_fit; the training accuracy is that of the final weights. */
static int train_batch(nn_net **net, size_t *train_ok, size_t *ntrain, const struct run *r,
		       const nn_mnist *m, nn_rng *rng)
{
	const ex_tk *tk = &r->tk;
	nn_matrix tx = { 0 }, vx = { 0 };
	nn_labels ty = { 0 }, vy = { 0 };
	nn_optim *optim = NULL;
	nn_model_state state = { 0 };
	char buf[512];
	int status = EX_RUNTIME, rc;
	if (m->train_x.rows != tk->sizes[0]) {
		ex_error(prog, "--layers %s: the images have %zu pixels", tk->layers, m->train_x.rows);
		return EX_RUNTIME;
	}
	if (ex_tk_split(&tx, &ty, &vx, &vy, prog, tk, &m->train_x, &m->train_y, rng))
		return EX_RUNTIME;
	if (vx.cols)
		printf("validation: %zu of the %zu training images held out (--val %s)\n", vx.cols,
		       m->train_x.cols, tk->val);
	if (ex_tk_net(net, prog, tk, rng))
		goto out;
	static const char *const inits[] = { "npr.randn (the lecture's)", "Glorot", "He", "orthogonal" };
	ex_net_describe(buf, sizeof(buf), *net);
	printf("model: %s; %s initialisation\n", buf, inits[tk->init]);
	ex_tk_describe(buf, sizeof(buf), tk, r->eta);
	printf("training: %s\n", buf);
	ex_param_count(buf, sizeof(buf), *net);
	printf("number of parameters in the model: %s\n", buf);
	fflush(stdout);
	char title[160], shape[128];
	ex_net_shape(shape, sizeof(shape), *net);
	snprintf(title, sizeof(title), "nn-mnist %s, %s (seed %u)", shape,
		 ex_tk_optimizer_names[tk->optimizer],
		 (unsigned)r->seed);
	if (ex_tk_train(prog, *net, &state, &optim, tk, r->eta, &tx, &ty, &vx, &vy, rng, title))
		goto out;
	if ((rc = ex_evaluate(NULL, train_ok, *net, &tx, &ty)) != 0) {
		ex_error(prog, "train: %s", nn_strerror(rc));
		goto out;
	}
	*ntrain = tx.cols;
	if (r->save_model && ex_model_save(prog, r->save_model, *net, &state))
		goto out;
	status = EX_OK;
out:
	nn_optim_free(optim);
	nn_matrix_free(&tx);
	nn_matrix_free(&vx);
	nn_labels_free(&ty);
	nn_labels_free(&vy);
	return status;
}

/* --load-model: the network from the file, scored on the training images as they are. */
static int load_model(nn_net **net, size_t *train_ok, const struct run *r, const nn_mnist *m)
{
	if (ex_model_load(net, prog, r->load_model, m->train_x.rows, NN_MNIST_CLASSES))
		return EX_RUNTIME;
	char buf[512];
	ex_net_describe(buf, sizeof(buf), *net);
	printf("model: loaded from %s: %s\n", r->load_model, buf);
	ex_param_count(buf, sizeof(buf), *net);
	printf("number of parameters in the model: %s\n", buf);
	fflush(stdout);
	int rc = ex_evaluate(NULL, train_ok, *net, &m->train_x, &m->train_y);
	if (rc) {
		ex_error(prog, "train: %s", nn_strerror(rc));
		return EX_RUNTIME;
	}
	return 0;
}

/* Flags that mean nothing in the chosen mode: a usage error naming the first. */
static int check_mode(const struct run *r, const int *given)
{
	static const struct {
		int flag;
		const char *name;
	} lecture[] = { { F_HIDDEN, "--hidden" }, { F_STEPS, "--steps" }, { F_EVERY, "--every" },
			{ F_CURVE, "--plot-curve" }, { F_ETA, "--eta" }, { F_SAVE_MODEL, "--save-model" } };
	if (r->load_model) {
		const char *clash = ex_tk_first(&r->tk);
		for (size_t i = 0; !clash && i < sizeof(lecture) / sizeof(lecture[0]); i++)
			if (given[lecture[i].flag])
				clash = lecture[i].name;
		if (clash) {
			ex_error(prog, "%s: not with --load-model (the network comes from the file and "
				 "is not trained)", clash);
			return EX_USAGE;
		}
	} else if (ex_tk_any(&r->tk)) {
		/* --eta and --save-model serve both kinds of training */
		for (size_t i = 0; i < 4; i++)
			if (given[lecture[i].flag]) {
				ex_error(prog, "%s applies only to the lecture's full-batch run, and %s "
					 "asks for mini-batch training%s", lecture[i].name,
					 ex_tk_first(&r->tk), i == 0 ? " (give --layers instead)"
					 : i == 3 ? " (give --plot-history instead)"
					 : " (it runs --epochs)");
				return EX_USAGE;
			}
	}
	return 0;
}

static int mnist_main(int argc, char **argv)
{
	struct run r = { .steps = 20000, .every = 1000, .hidden = 30, .eta = 5e-4 };
	size_t ntrain = 500, ntest = 100;
	ex_strings data = { 0 };
	const char *save_data = NULL;
	int seed_given = 0, g[F_COUNT] = { 0 };
	ex_tk_init(&r.tk);
	ex_flag flags[F_COUNT + 1 + EX_TK_NFLAGS] = {
		{ "--seed", EX_U32, &r.seed, &seed_given, 0, 0, NULL, 0 },
		{ "--data", EX_STRING, &data, &g[F_DATA], 0, 0, NULL, 1 },
		{ "--train", EX_SIZE, &ntrain, &g[F_TRAIN], 1, 10000000, NULL, 0 },
		{ "--test", EX_SIZE, &ntest, &g[F_TEST], 1, 10000000, NULL, 0 },
		{ "--hidden", EX_SIZE, &r.hidden, &g[F_HIDDEN], 1, 100000, NULL, 0 },
		{ "--eta", EX_POS, &r.eta, &g[F_ETA], 0, 0, NULL, 0 },
		{ "--steps", EX_SIZE, &r.steps, &g[F_STEPS], 1, 1000000000, NULL, 0 },
		{ "--every", EX_SIZE, &r.every, &g[F_EVERY], 1, 0, NULL, 0 },
		{ "--plot", EX_STRING, &r.plot, &g[F_PLOT], 0, 0, NULL, 0 },
		{ "--plot-confusion", EX_STRING, &r.confusion, &g[F_CONFUSION], 0, 0, NULL, 0 },
		{ "--plot-curve", EX_STRING, &r.curve, &g[F_CURVE], 0, 0, NULL, 0 },
		{ "--save-data", EX_STRING, &save_data, &g[F_SAVE_DATA], 0, 0, NULL, 0 },
		{ "--save-model", EX_STRING, &r.save_model, &g[F_SAVE_MODEL], 0, 0, NULL, 0 },
		{ "--load-model", EX_STRING, &r.load_model, &g[F_LOAD_MODEL], 0, 0, NULL, 0 },
		{ "--input", EX_CHOICE, &ex_input_mode, &g[F_INPUT], 0, 0, input_names, 0 },
	};
	size_t nflags = F_COUNT + 1;
	nflags += ex_tk_flags(flags + nflags, &r.tk);
	int rc = ex_parse(argc, argv, prog, flags, nflags, usage);
	if (rc >= 0)
		return rc;
	if ((rc = check_mode(&r, g)) != 0)
		return rc;
	int batch = !r.load_model && ex_tk_any(&r.tk);
	if (g[F_INPUT] && (batch || r.load_model)) {
		ex_error(prog, "--input: applies to the lecture's full-batch training only");
		return EX_USAGE;
	}
	if (ex_dist.size > 1 && (batch || r.load_model)) {
		ex_error(prog, "under mpirun only the lecture's full-batch training is distributed; "
			 "run %s without mpirun", r.load_model ? "--load-model" : "mini-batch training");
		return EX_USAGE;
	}
	if (batch && (rc = ex_tk_check(&r.tk, prog, 784, NN_MNIST_CLASSES, &r.eta, g[F_ETA])) != 0)
		return rc;
	/* beyond the lecture, every image of the data unless told otherwise */
	if (batch || r.load_model) {
		ntrain = g[F_TRAIN] ? ntrain : NN_ALL;
		ntest = g[F_TEST] ? ntest : NN_ALL;
	}
	if (data.n == 0)
		data.v[data.n++] = default_data();
	struct stat st;
	for (size_t i = 0; i < data.n; i++)
		if (stat(data.v[i], &st) != 0) {
			ex_error(prog, "%s: %s", data.v[i], strerror(errno));
			return EX_RUNTIME;
		}
	const char *outputs[] = { r.plot, r.confusion, r.curve, save_data, r.save_model,
				  r.tk.history, r.tk.plot_history };
	for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++)
		if (outputs[i] && ex_check_output(prog, outputs[i]))
			return EX_RUNTIME;
	if (!ex_dist_root()) /* under mpirun, rank 0 alone writes files */
		r.plot = r.confusion = r.curve = save_data = r.save_model = NULL;

	r.seed = ex_dist_seed(ex_seed(seed_given, r.seed));
	printf("seed: %u\n", (unsigned)r.seed);
	fflush(stdout);
	nn_mnist m;
	nn_rng *rng = NULL;
	nn_net *net = NULL;
	int status = EX_RUNTIME;
	/* under mpirun each rank loads only its shard of the ntrain digits */
	size_t first = 0, mine = ntrain;
	if (ex_dist.size > 1)
		ex_dist_shard(ntrain, &first, &mine);
	rc = load(&m, &data, first, mine, ntest);
	if (ex_dist_agree(rc ? NN_EIO : 0)) { /* a rank that failed stops them all */
		if (!rc)
			ex_error(prog, "another rank could not load its shard");
		goto out;
	}
	if (ex_dist.size > 1) {
		if (m.train_x.cols < mine || m.test_x.cols < ntest) {
			ex_error(prog, "--train %zu: the data holds fewer digits", ntrain);
			goto out;
		}
	} else if ((ntrain != NN_ALL && m.train_x.cols < ntrain) ||
		   (ntest != NN_ALL && m.test_x.cols < ntest)) {
		int train_short = ntrain != NN_ALL && m.train_x.cols < ntrain;
		ex_error(prog, "--%s %zu: %s holds only %zu %s digits", train_short ? "train" : "test",
			 train_short ? ntrain : ntest, data.n > 1 ? "--data" : data.v[0],
			 train_short ? m.train_x.cols : m.test_x.cols, train_short ? "training" : "test");
		goto out;
	}
	if (ex_dist.size == 1)
		ntrain = m.train_x.cols; /* (under mpirun ntrain stays the total over ranks) */
	ntest = m.test_x.cols;
	printf("data: %s: %zu training and %zu test %s, %zux%zu pixels / 256\n",
	       data.n > 1 ? "four IDX files" : data.v[0], ntrain, ntest,
	       batch || r.load_model ? "images" : "digits", m.rows, m.cols);
	fflush(stdout);
	if ((rc = nn_rng_new(&rng, r.seed)) != 0) {
		ex_error(prog, "%s", nn_strerror(rc));
		goto out;
	}
	/* the digits as loaded, before any validation split */
	if (save_data && ex_save_csv(prog, save_data, &m.train_x, &m.train_y, &m.test_x, &m.test_y))
		goto out;
	size_t train_ok = 0, test_ok = 0;
	r.ntrain = ntrain;
	rc = r.load_model ? load_model(&net, &train_ok, &r, &m)
	     : batch ? train_batch(&net, &train_ok, &ntrain, &r, &m, rng)
	     : train_lecture(&net, &train_ok, &r, &m, rng);
	if (rc)
		goto out;
	if ((rc = ex_evaluate(NULL, &test_ok, net, &m.test_x, &m.test_y)) != 0) {
		ex_error(prog, "test: %s", nn_strerror(rc));
		goto out;
	}
	if (r.plot && plot_digits(r.plot, &m, net))
		goto out;
	if (r.confusion && plot_confusion(r.confusion, &m, net))
		goto out;
	printf("train accuracy: %.4f\n", (double)train_ok / (double)ntrain);
	printf("test accuracy: %.4f\n", (double)test_ok / (double)ntest);
	status = fflush(stdout) == 0 ? EX_OK : EX_RUNTIME;
out:
	nn_net_free(net);
	nn_rng_free(rng);
	nn_mnist_free(&m);
	return status;
}

int main(int argc, char **argv)
{
	if (ex_dist_init(&argc, &argv)) {
		fprintf(stderr, "nn-mnist: MPI did not start\n");
		return 1;
	}
	int rc = mnist_main(argc, argv);
	ex_dist_finalize();
	return rc;
}
