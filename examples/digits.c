/*
 * nn-mnist's command line, digits, mini-batch training and pictures
 * (digits.h); the lecture's steps are in nn-mnist.c.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digits.h"
#include "plot.h"

static const char usage_head[] =
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
	"  --precision P       f64 (the default) or f32: the network computes in float32\n"
	"  --plot FILE.png     test digits with their predicted labels, mistakes marked\n"
	"  --plot-confusion FILE.png  the confusion matrix on the test digits\n"
	"  --plot-curve FILE.png      cost and best accuracy against the step\n"
	"  --plot-filters FILE.png    the first layer's filters, each scaled to its\n"
	"                      own range (a convolution's kernels; a dense layer's\n"
	"                      first 64 units as 28x28 images)\n"
	"  --save-data FILE.csv       the digits used: 784 pixels, label, split\n"
	"  --save-model FILE   write the trained network (nn's model file)\n"
	"  --load-model FILE   evaluate a saved network instead of training one\n"
	"  --input MODE        auto, dense or sparse: the first layer's products as dgemm\n"
	"                      or as sparse kernels on the compressed digits (default auto:\n"
	"                      sparse when the digits are sparse enough; same results)\n"
	"  --help              this text\n"
	"  --version           the version of nn\n"
	"IDX pixels are divided by 256, as in the lecture's mnist.pkl.gz.\n";

static const char usage_batch[] =
	"\n"
	"Beyond the lecture: --model or any of these flags trains by mini-batches\n"
	"(nn_fit) on every image of the data (unless --train/--test say otherwise),\n"
	"with a line per epoch; --hidden, --steps, --every and --plot-curve then do\n"
	"not apply.\n"
	"  --model NAME        an architecture and its training defaults (below)\n"
	"  --epochs N          passes over the training set (default 10)\n"
	"  --batch N           samples per update (default 64)\n"
	"  --optimizer NAME    sgd, momentum, nesterov or adam (default adam)\n"
	"  --momentum X        momentum, nesterov: in [0, 1) (default 0.9)\n"
	"  --schedule NAME     constant, step, exp or cosine (default constant)\n"
	"  --gamma X           step, exp: factor per decay, in (0, 1] (default 0.5)\n"
	"  --step-epochs N     step: epochs between decays (default 10)\n"
	"  --eta-min X         cosine: the step size approached (default 0)\n"
	"  --layers SPEC       the network: the input (784, or 28x28 for convolutions),\n"
	"                      then a layer an item: 256 or 256:relu (dense),\n"
	"                      conv:32:3[:same][:s2][:relu], maxpool:2, avgpool:2,\n"
	"                      flatten, dropout:0.5 (default 784,256,10)\n"
	"  --activation NAME   layers without one: sigmoid, tanh, relu or leaky-relu\n"
	"                      (default relu)\n"
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
	"  --progress          the batches done within an epoch, also when standard output\n"
	"                      is not a terminal (on a terminal they always show)\n"
	"With them --eta defaults to 0.001 for adam, 0.1 for sgd and 0.01 for momentum\n"
	"and nesterov; the gradient is the mean over a batch.\n"
	"\n"
	"--model NAME: these layers and defaults; any flag given overrides them:\n";

/* --model: an architecture and the defaults it trains with; a flag given wins. */
typedef struct preset {
	const char *name, *what, *layers;
	int optimizer;  /* enum tool_fit_opt */
	size_t batch, epochs;
	int schedule;   /* enum tool_fit_sched */
	int init;       /* enum tool_fit_init */
} preset;

static const preset presets[] = {
	{ "convnet", "the Keras mnist_convnet example",
	  "28x28, conv:32:3:relu, maxpool:2, conv:64:3:relu, maxpool:2, flatten, dropout:0.5, "
	  "10:softmax", TOOL_OPT_ADAM, 128, 15, TOOL_SCHED_CONSTANT, TOOL_FIT_INIT_GLOROT },
	{ "lenet5", "LeNet-5 with ReLU and max-pooling",
	  "28x28, conv:6:5:same:relu, maxpool:2, conv:16:5:relu, maxpool:2, flatten, 120:relu, "
	  "84:relu, 10:softmax", TOOL_OPT_ADAM, 128, 15, TOOL_SCHED_COSINE, TOOL_FIT_INIT_HE },
	{ "dense", "a plain MLP with dropout",
	  "784, 512:relu, dropout:0.2, 256:relu, dropout:0.2, 10:softmax", TOOL_OPT_ADAM, 128, 20,
	  TOOL_SCHED_CONSTANT, TOOL_FIT_INIT_HE },
};
#define N_PRESETS (sizeof(presets) / sizeof(presets[0]))
static const char *const preset_names[N_PRESETS + 1] = { "convnet", "lenet5", "dense", NULL };

/* The usage: the head, then each preset from the table, wrapped at 78 columns. */
static void make_usage(char *buf, size_t n)
{
	size_t k = (size_t)snprintf(buf, n, "%s%s", usage_head, usage_batch);
	for (size_t i = 0; i < N_PRESETS && k < n; i++) {
		const preset *p = &presets[i];
		char text[512], *save = NULL;
		snprintf(text, sizeof(text), "%s: %s; %s, batch %zu, %zu epochs%s, %s initialisation",
			 p->what, p->layers, tool_fit_optimizer_names[p->optimizer], p->batch, p->epochs,
			 p->schedule == TOOL_SCHED_COSINE ? " (cosine schedule)" : "",
			 tool_fit_init_titles[p->init]);
		k += (size_t)snprintf(buf + k, n - k, "  %-10s", p->name);
		size_t col = 12;
		for (char *w = strtok_r(text, " ", &save); w && k < n; w = strtok_r(NULL, " ", &save)) {
			if (col + 1 + strlen(w) > 78) {
				k += (size_t)snprintf(buf + k, n - k, "\n%12s", "");
				col = 12;
			}
			k += (size_t)snprintf(buf + k, n - k, "%s%s", col > 12 ? " " : "", w);
			col += (col > 12) + strlen(w);
		}
		if (k < n)
			k += (size_t)snprintf(buf + k, n - k, "\n");
	}
}

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
static int load_files(tool_ctx *ctx, nn_mnist *m, const tool_strings *files, size_t ntrain,
		      size_t ntest)
{
	int have[4] = { 0 }; /* train images, train labels, test images, test labels */
	for (size_t i = 0; i < files->n; i++) {
		const char *path = files->v[i], *name = base_name(path);
		int test = strstr(name, "t10k") || (!strstr(name, "train") && strstr(name, "test"));
		if (!test && !strstr(name, "train")) {
			tool_error(ctx, "%s: cannot tell training from test data: the name has neither "
				 "'train' nor 't10k'/'test'", path);
			return TOOL_RUNTIME;
		}
		nn_mnist_kind kind;
		int rc = nn_mnist_sniff(&kind, path);
		const char *why = NULL;
		if (rc)
			why = rc == NN_EMAGIC ? "not an IDX image or label file" : nn_error_message(rc);
		else if (kind == NN_MNIST_DIRECTORY)
			why = "a directory; give one directory or four IDX files";
		else if (kind == NN_MNIST_PICKLE)
			why = "a pickle; give it alone, or four IDX files";
		if (why) {
			tool_error(ctx, "%s: %s", path, why);
			return TOOL_RUNTIME;
		}
		nn_matrix *X = test ? &m->test_x : &m->train_x;
		nn_labels *y = test ? &m->test_y : &m->train_y;
		int slot = 2 * test + (kind == NN_MNIST_IDX_LABELS);
		if (have[slot]) {
			tool_error(ctx, "%s: a second IDX %s file for the %s set", path,
				   slot % 2 ? "label" : "image", test ? "test" : "training");
			return TOOL_RUNTIME;
		}
		rc = slot % 2 ? nn_idx_read_labels(y, path, test ? ntest : ntrain)
			      : nn_idx_read_images(X, path, test ? ntest : ntrain, 256.0);
		if (rc)
			return tool_nn_error(ctx, rc, "%s", path);
		have[slot] = 1;
	}
	static const char *const what[4] = { "training images", "training labels", "test images",
					     "test labels" };
	for (int k = 0; k < 4; k++)
		if (!have[k]) {
			tool_error(ctx, "--data: no file of %s among the %zu given (give a directory, an "
				 "mnist.pkl.gz, or the four IDX files)", what[k], files->n);
			return TOOL_RUNTIME;
		}
	if (m->train_x.cols != m->train_y.n || m->test_x.cols != m->test_y.n ||
	    m->train_x.rows != m->test_x.rows) {
		tool_error(ctx, "--data: the image and label files do not match in count or size");
		return TOOL_RUNTIME;
	}
	m->rows = m->cols = 28;
	if (m->train_x.rows != 784)
		m->rows = m->train_x.rows, m->cols = 1;
	return 0;
}

/* The flags of the lecture's run, by index into digits_parse()'s given[]. */
enum { F_SEED, F_DATA, F_TRAIN, F_TEST, F_HIDDEN, F_ETA, F_STEPS, F_EVERY, F_PLOT, F_CONFUSION,
       F_CURVE, F_SAVE_DATA, F_SAVE_MODEL, F_LOAD_MODEL, F_INPUT, F_PRECISION, F_FILTERS, F_MODEL,
       F_COUNT };

/* --input: how the first layer reads the digits (nn_input_mode's order) */
static const char *const input_names[] = { "auto", "dense", "sparse", NULL };

/* Flags that mean nothing in the chosen mode: a usage error naming the first. */
static int check_mode(tool_ctx *ctx, const digits *d, const int *given)
{
	static const struct {
		int flag;
		const char *name;
	} lecture[] = { { F_HIDDEN, "--hidden" }, { F_STEPS, "--steps" }, { F_EVERY, "--every" },
			{ F_CURVE, "--plot-curve" }, { F_ETA, "--eta" }, { F_SAVE_MODEL, "--save-model" },
			{ F_PRECISION, "--precision" } };
	const char *batch = given[F_MODEL] ? "--model" : tool_fit_first(&d->fit);
	if (d->load_model) {
		const char *clash = batch;
		for (size_t i = 0; !clash && i < sizeof(lecture) / sizeof(lecture[0]); i++)
			if (given[lecture[i].flag])
				clash = lecture[i].name;
		if (clash) {
			tool_error(ctx, "%s: not with --load-model (the network comes from the file "
				   "and is not trained)", clash);
			return TOOL_USAGE;
		}
	} else if (batch) {
		/* --eta and --save-model serve both kinds of training */
		for (size_t i = 0; i < 4; i++)
			if (given[lecture[i].flag]) {
				tool_error(ctx, "%s applies only to the lecture's full-batch run, and %s "
					   "asks for mini-batch training%s", lecture[i].name, batch,
					   i == 0 ? " (give --layers instead)"
					   : i == 3 ? " (give --plot-history instead)"
					   : " (it runs --epochs)");
				return TOOL_USAGE;
			}
	}
	if (given[F_INPUT] && (batch || d->load_model)) {
		tool_error(ctx, "--input: applies to the lecture's full-batch training only");
		return TOOL_USAGE;
	}
	return 0;
}

/* Under mpirun training is distributed: the lecture's on shards of a
 * directory or a pickle, which each process reads alone; mini-batches on
 * shards of the training images every process reads (and splits alike). */
static int check_mpi(tool_ctx *ctx, const digits *d)
{
	if (ctx->size == 1)
		return 0;
	const char *why = d->load_model ? "--load-model"
			  : d->save_data ? "--save-data (each process holds only its shard)" : NULL;
	if (why) {
		tool_error(ctx, "under mpirun only training is distributed; run %s without mpirun", why);
		return TOOL_USAGE;
	}
	if (d->data.n > 1 && !d->batch) {
		tool_error(ctx, "--data: under mpirun give a directory or an mnist.pkl.gz, so that "
			   "each rank reads only its shard");
		return TOOL_USAGE;
	}
	return 0;
}

/* The preset's values of the flags not given. */
static void apply_preset(tool_fit *tk, const preset *p)
{
	const int *g = tk->given;
	if (!g[TOOL_FIT_LAYERS])
		tk->layers = p->layers;
	if (!g[TOOL_FIT_OPTIMIZER])
		tk->optimizer = p->optimizer;
	if (!g[TOOL_FIT_BATCH])
		tk->batch = p->batch;
	if (!g[TOOL_FIT_EPOCHS])
		tk->epochs = p->epochs;
	if (!g[TOOL_FIT_SCHEDULE])
		tk->schedule = p->schedule;
	if (!g[TOOL_FIT_INIT])
		tk->init = p->init;
}

int digits_parse(tool_ctx *ctx, digits *d)
{
	int g[F_COUNT] = { 0 };
	*d = (digits){ .ntrain = 500, .ntest = 100, .hidden = 30, .steps = 20000, .every = 1000,
		       .eta = 5e-4, .model = -1 };
	tool_fit_init(&d->fit);
	tool_flag flags[F_COUNT + TOOL_FIT_NFLAGS] = {
		{ "--seed", TOOL_U32, &d->seed, &g[F_SEED], 0, 0, NULL },
		{ "--data", TOOL_STRINGS, &d->data, &g[F_DATA], 0, 0, NULL },
		{ "--train", TOOL_SIZE, &d->ntrain, &g[F_TRAIN], 1, 10000000, NULL },
		{ "--test", TOOL_SIZE, &d->ntest, &g[F_TEST], 1, 10000000, NULL },
		{ "--hidden", TOOL_SIZE, &d->hidden, &g[F_HIDDEN], 1, 100000, NULL },
		{ "--eta", TOOL_POS, &d->eta, &g[F_ETA], 0, 0, NULL },
		{ "--steps", TOOL_SIZE, &d->steps, &g[F_STEPS], 1, 1000000000, NULL },
		{ "--every", TOOL_SIZE, &d->every, &g[F_EVERY], 1, 0, NULL },
		{ "--plot", TOOL_STRING, &d->plot, &g[F_PLOT], 0, 0, NULL },
		{ "--plot-confusion", TOOL_STRING, &d->confusion, &g[F_CONFUSION], 0, 0, NULL },
		{ "--plot-curve", TOOL_STRING, &d->curve_path, &g[F_CURVE], 0, 0, NULL },
		{ "--save-data", TOOL_STRING, &d->save_data, &g[F_SAVE_DATA], 0, 0, NULL },
		{ "--save-model", TOOL_STRING, &d->save_model, &g[F_SAVE_MODEL], 0, 0, NULL },
		{ "--load-model", TOOL_STRING, &d->load_model, &g[F_LOAD_MODEL], 0, 0, NULL },
		{ "--input", TOOL_CHOICE, &d->input, &g[F_INPUT], 0, 0, input_names },
		{ "--precision", TOOL_CHOICE, &d->precision, &g[F_PRECISION], 0, 0,
		  tool_precision_names },
		{ "--plot-filters", TOOL_STRING, &d->plot_filters, &g[F_FILTERS], 0, 0, NULL },
		{ "--model", TOOL_CHOICE, &d->model, &g[F_MODEL], 0, 0, preset_names },
	};
	size_t n = F_COUNT + tool_fit_flags(flags + F_COUNT, &d->fit);
	char usage[8192];
	make_usage(usage, sizeof(usage));
	tool_cli cli = { flags, n, usage, NULL, 0, 0 };
	int rc = tool_parse(ctx, &cli);
	if (rc || (rc = check_mode(ctx, d, g)) != 0)
		return rc;
	d->seed_given = g[F_SEED];
	d->batch = !d->load_model && (g[F_MODEL] || tool_fit_first(&d->fit));
	if (g[F_MODEL])
		apply_preset(&d->fit, &presets[d->model]);
	tool_curve_init(&d->curve, d->steps, d->curve_path != NULL);
	if ((rc = check_mpi(ctx, d)) != 0)
		return rc;
	if (d->batch && (rc = tool_fit_check(ctx, &d->fit, 784, NN_MNIST_CLASSES, &d->eta,
					     g[F_ETA])) != 0)
		return rc;
	/* beyond the lecture, every image of the data unless told otherwise */
	if (d->batch || d->load_model) {
		d->ntrain = g[F_TRAIN] ? d->ntrain : NN_ALL;
		d->ntest = g[F_TEST] ? d->ntest : NN_ALL;
	}
	if (d->data.n == 0)
		d->data.v[d->data.n++] = default_data();
	struct stat st;
	for (size_t i = 0; i < d->data.n; i++)
		if (stat(d->data.v[i], &st) != 0)
			return tool_nn_error(ctx, NN_EIO, "%s", d->data.v[i]);
	tool_path in[TOOL_MAX_REPEAT + 1] = { { "--load-model", d->load_model } };
	for (size_t i = 0; i < d->data.n; i++)
		in[1 + i] = (tool_path){ "--data", d->data.v[i] };
	const tool_path out[] = { { "--plot", d->plot }, { "--plot-confusion", d->confusion },
				  { "--plot-curve", d->curve_path }, { "--plot-filters", d->plot_filters },
				  { "--save-data", d->save_data },
				  { "--save-model", d->save_model }, { "--history", d->fit.history },
				  { "--plot-history", d->fit.plot_history } };
	return tool_check_paths(ctx, in, 1 + d->data.n, out, sizeof(out) / sizeof(out[0]));
}

/* Load the digits: the training set from sample `first` on (this process's
 * shard under mpirun: the directory and pickle paths read a shard alone). */
static int load(tool_ctx *ctx, digits *d, size_t first, size_t ntrain)
{
	const char *path = d->data.v[0];
	/* what a path is and holds decides, never its name: a directory called
	 * mnist-idx is a directory, and nn_mnist_load says what a lone IDX file is */
	if (d->data.n > 1)
		return load_files(ctx, &d->m, &d->data, ntrain, d->ntest);
	nn_mnist_kind kind;
	if (nn_mnist_sniff(&kind, path) == 0 &&
	    (kind == NN_MNIST_IDX_IMAGES || kind == NN_MNIST_IDX_LABELS)) {
		tool_error(ctx, "%s: an IDX %s file alone; give the directory that holds the four "
			   "IDX files, or the four files (--data four times)", path,
			   kind == NN_MNIST_IDX_IMAGES ? "image" : "label");
		return TOOL_RUNTIME;
	}
	nn_mnist_options opt = nn_mnist_defaults();
	opt.first_train = first;
	opt.max_train = ntrain;
	opt.max_test = d->ntest;
	opt.scale = 256.0;
	int rc = nn_mnist_load(&d->m, path, &opt);
	if (rc && d->m.error[0]) {
		tool_error(ctx, "%s", d->m.error);
		return TOOL_RUNTIME;
	}
	return rc ? tool_nn_error(ctx, rc, "%s", path) : 0;
}

int digits_load(tool_ctx *ctx, digits *d)
{
	d->seed = tool_seed(ctx, d->seed_given, d->seed);
	printf("seed: %u\n", (unsigned)d->seed);
	fflush(stdout);
	/* under mpirun each process loads only its shard of the lecture's ntrain
	 * digits; mini-batch training splits off its validation set first, on
	 * every process alike, so each loads every training image */
	size_t first = 0, mine = d->ntrain;
	if (ctx->size > 1 && !d->batch && tool_shard(ctx, d->ntrain, &first, &mine))
		return TOOL_RUNTIME;
	if (load(ctx, d, first, mine))
		return TOOL_RUNTIME;
	const nn_mnist *m = &d->m;
	int train_short = mine != NN_ALL && m->train_x.cols < mine;
	if (train_short || (d->ntest != NN_ALL && m->test_x.cols < d->ntest)) {
		/* the data end before the digits asked for: this shard knows where */
		tool_error(ctx, "--%s %zu: %s holds only %zu %s digits", train_short ? "train" : "test",
			   train_short ? d->ntrain : d->ntest, d->data.n > 1 ? "--data" : d->data.v[0],
			   train_short ? first + m->train_x.cols : m->test_x.cols,
			   train_short ? "training" : "test");
		return TOOL_RUNTIME;
	}
	/* under mpirun ntrain stays the total over all processes */
	d->ntrain_all = ctx->size > 1 && !d->batch ? d->ntrain : m->train_x.cols;
	printf("data: %s: %zu training and %zu test %s, %zux%zu pixels / 256\n",
	       d->data.n > 1 ? "four IDX files" : d->data.v[0], d->ntrain_all, m->test_x.cols,
	       d->batch || d->load_model ? "images" : "digits", m->rows, m->cols);
	fflush(stdout);
	int rc = nn_rng_new(&d->rng, d->seed);
	if (rc)
		return tool_nn_error(ctx, rc, "the random stream");
	/* the digits as loaded, before any validation split */
	const tool_csv_part parts[2] = { { &m->train_x, &m->train_y, "train" },
					 { &m->test_x, &m->test_y, "test" } };
	return d->save_data ? tool_save_csv(ctx, d->save_data, parts, 2) : 0;
}

int digits_load_model(tool_ctx *ctx, digits *d)
{
	if (tool_load_model(ctx, &d->net, d->load_model, d->m.train_x.rows, NN_MNIST_CLASSES))
		return TOOL_RUNTIME;
	char buf[512];
	tool_net_describe(buf, sizeof(buf), d->net);
	printf("model: loaded from %s: %s\n", d->load_model, buf);
	tool_param_count(buf, sizeof(buf), d->net);
	printf("number of parameters in the model: %s\n", buf);
	fflush(stdout);
	return 0;
}

/* The input --layers describes against the images: as many values, and an
 * image input of their height and width. */
static int check_input(tool_ctx *ctx, const digits *d)
{
	const nn_shape in = d->fit.input;
	const nn_mnist *m = &d->m;
	if (in.height == 1 && in.width == 1 && in.channels == m->train_x.rows)
		return 0;
	if (in.channels == 1 && in.height == m->rows && in.width == m->cols)
		return 0;
	tool_error(ctx, "--layers %s: the images are %zux%zu (%zu pixels)", d->fit.layers, m->rows,
		   m->cols, m->train_x.rows);
	return TOOL_RUNTIME;
}

/* Mini-batch training with nn_fitter; the training accuracy is that of the
 * final weights. Under mpirun every process holds every training image and
 * trains on its shard of them. */
int digits_fit(tool_ctx *ctx, digits *d)
{
	const tool_fit *tk = &d->fit;
	const nn_mnist *m = &d->m;
	nn_matrix tx = { 0 }, vx = { 0 };
	nn_labels ty = { 0 }, vy = { 0 };
	nn_optim *optim = NULL;
	nn_model_state state = { 0 };
	const preset *p = d->model >= 0 ? &presets[d->model] : NULL;
	char buf[1024], title[256], name[128];
	int status = TOOL_RUNTIME, rc;
	if (check_input(ctx, d))
		return TOOL_RUNTIME;
	if (tool_fit_split(ctx, &tx, &ty, &vx, &vy, tk, &m->train_x, &m->train_y, d->rng))
		return TOOL_RUNTIME;
	if (vx.cols)
		printf("validation: %zu of the %zu training images held out (--val %s)\n", vx.cols,
		       m->train_x.cols, tk->val.text);
	size_t first = 0, mine = tx.cols;
	if (tool_shard(ctx, tx.cols, &first, &mine))
		goto out;
	if (tool_fit_net(ctx, &d->net, tk, (nn_precision)d->precision, d->rng))
		goto out;
	tool_net_describe(buf, sizeof(buf), d->net);
	/* a preset's name while its layers are the ones trained */
	if (p && !tk->given[TOOL_FIT_LAYERS])
		printf("model: %s (%s): %s; %s initialisation\n", p->name, p->what, buf,
		       tool_fit_init_titles[tk->init]);
	else
		printf("model: %s; %s initialisation\n", buf, tool_fit_init_titles[tk->init]);
	tool_fit_describe(buf, sizeof(buf), tk, d->eta);
	printf("training: %s\n", buf);
	tool_param_count(buf, sizeof(buf), d->net);
	printf("number of parameters in the model: %s\n", buf);
	fflush(stdout);
	tool_net_shape(name, sizeof(name), d->net);
	if (p && !tk->given[TOOL_FIT_LAYERS])
		snprintf(name, sizeof(name), "%s", p->name);
	snprintf(title, sizeof(title), "nn-mnist%s%s, %s (seed %u)", name[0] ? " " : "", name,
		 tool_fit_optimizer_names[tk->optimizer], (unsigned)d->seed);
	/* this process's shard of the training images */
	nn_matrix sx = nn_matrix_view(mine ? tx.data + first * tx.ld : NULL, tx.rows, mine, tx.ld);
	nn_labels sy = { .n = mine, .data = mine ? ty.data + first : NULL };
	if (tool_fit_train(ctx, d->net, &state, &optim, tk, d->eta, &sx, &sy, &vx, &vy, d->rng,
			   title))
		goto out;
	/* every process scores the whole training set: the same count on each */
	if ((rc = tool_evaluate(NULL, &d->train_ok, d->net, &tx, &ty)) != 0) {
		tool_nn_error(ctx, rc, "train");
		goto out;
	}
	d->train_n = tx.cols;
	if (d->save_model && tool_root(ctx) && tool_save_model(ctx, d->save_model, d->net, &state))
		goto out;
	status = TOOL_OK;
out:
	nn_optim_free(optim);
	nn_matrix_free(&tx);
	nn_matrix_free(&vx);
	nn_labels_free(&ty);
	nn_labels_free(&vy);
	return status;
}

/* The first 100 test digits with their predicted labels, mistakes marked. */
static int plot_digits(tool_ctx *ctx, const char *path, const nn_mnist *m, const nn_net *net)
{
	if (m->test_x.rows != 784) {
		tool_error(ctx, "%s: the digit grid needs 28x28 images", path);
		return TOOL_RUNTIME;
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
	plot_canvas c;
	char title[128];
	snprintf(title, sizeof(title), "the first %zu test digits: predicted (true)", n);
	if (rc == 0)
		rc = plot_figure_digits(&c, m->test_x.data, m->test_x.ld, n, 10, 2, pred,
					m->test_y.data, title);
	free(pred);
	return rc ? tool_nn_error(ctx, rc, "%s", path) : tool_write_png(ctx, path, &c);
}

/* The confusion matrix of the test digits. */
static int plot_confusion(tool_ctx *ctx, const char *path, const nn_mnist *m, const nn_net *net)
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
	plot_canvas c;
	char title[128];
	snprintf(title, sizeof(title), "%zu test digits, accuracy %.4f", n, (double)right / (double)n);
	if (rc == 0)
		rc = plot_figure_confusion(&c, counts, (int)k, title);
	free(pred);
	free(counts);
	return rc ? tool_nn_error(ctx, rc, "%s", path) : tool_write_png(ctx, path, &c);
}

int digits_pictures(tool_ctx *ctx, const digits *d)
{
	if (!tool_root(ctx)) /* the first process alone writes files */
		return 0;
	if (d->plot && plot_digits(ctx, d->plot, &d->m, d->net))
		return TOOL_RUNTIME;
	if (d->plot_filters && tool_plot_filters(ctx, d->plot_filters, d->net))
		return TOOL_RUNTIME;
	return d->confusion ? plot_confusion(ctx, d->confusion, &d->m, d->net) : 0;
}

void digits_free(void *state)
{
	digits *d = state;
	tool_curve_free(&d->curve);
	nn_net_free(d->net);
	nn_rng_free(d->rng);
	nn_mnist_free(&d->m);
}
