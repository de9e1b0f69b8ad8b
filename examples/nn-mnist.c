/*
 * nn-mnist: the lecture's "Handwritten digits" -- a 784-30-10 sigmoid
 * network trained by backpropagation on 500 training digits and tested on
 * 100, by default from the sample bundled with nn.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "lecture.h"
#include "plot.h"

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
	"  --help              this text\n"
	"IDX pixels are divided by 256, as in the lecture's mnist.pkl.gz.\n";

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
 * Four single IDX files: which holds images or labels comes from the magic
 * number, whether training or test from the name ("t10k" or "test" means
 * test, "train" training).
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
		nn_matrix *X = test ? &m->test_x : &m->train_x;
		nn_labels *y = test ? &m->test_y : &m->train_y;
		int slot = 2 * test;
		int rc = have[slot] ? NN_EMAGIC : nn_idx_read_images(X, path, test ? ntest : ntrain, 256.0);
		if (rc == NN_EMAGIC && !have[slot + 1]) {
			slot++;
			rc = nn_idx_read_labels(y, path, test ? ntest : ntrain);
		}
		if (rc) {
			ex_error(prog, "%s: %s", path,
				 rc == NN_EMAGIC ? "not an IDX image or label file, or a second one of its kind"
				 : nn_strerror(rc));
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

static int load(nn_mnist *m, const ex_strings *data, size_t ntrain, size_t ntest)
{
	struct stat st;
	*m = (nn_mnist){ 0 };
	const char *path = data->v[0];
	if (stat(path, &st) != 0) {
		ex_error(prog, "%s: %s", path, strerror(errno));
		return EX_RUNTIME;
	}
	if (data->n > 1 || strstr(base_name(path), "idx")) {
		if (data->n > 1 && S_ISDIR(st.st_mode)) {
			ex_error(prog, "%s: a directory; give one directory or four IDX files", path);
			return EX_RUNTIME;
		}
		return load_files(m, data, ntrain, ntest);
	}
	nn_mnist_options opt;
	nn_mnist_defaults(&opt);
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

int main(int argc, char **argv)
{
	uint32_t seed = 0;
	size_t steps = 20000, every = 1000, ntrain = 500, ntest = 100, hidden = 30;
	double eta = 5e-4;
	ex_strings data = { 0 };
	const char *plot = NULL, *plot_confusion_path = NULL, *plot_curve = NULL, *save_data = NULL;
	int seed_given = 0, g[11] = { 0 };
	const ex_flag flags[] = {
		{ "--seed", EX_U32, &seed, &seed_given, 0, 0, NULL, 0 },
		{ "--data", EX_STRING, &data, &g[0], 0, 0, NULL, 1 },
		{ "--train", EX_SIZE, &ntrain, &g[1], 1, 10000000, NULL, 0 },
		{ "--test", EX_SIZE, &ntest, &g[2], 1, 10000000, NULL, 0 },
		{ "--hidden", EX_SIZE, &hidden, &g[3], 1, 100000, NULL, 0 },
		{ "--eta", EX_POS, &eta, &g[4], 0, 0, NULL, 0 },
		{ "--steps", EX_SIZE, &steps, &g[5], 1, 1000000000, NULL, 0 },
		{ "--every", EX_SIZE, &every, &g[6], 1, 0, NULL, 0 },
		{ "--plot", EX_STRING, &plot, &g[7], 0, 0, NULL, 0 },
		{ "--plot-confusion", EX_STRING, &plot_confusion_path, &g[8], 0, 0, NULL, 0 },
		{ "--plot-curve", EX_STRING, &plot_curve, &g[9], 0, 0, NULL, 0 },
		{ "--save-data", EX_STRING, &save_data, &g[10], 0, 0, NULL, 0 },
	};
	int rc = ex_parse(argc, argv, prog, flags, sizeof(flags) / sizeof(flags[0]), usage);
	if (rc >= 0)
		return rc;
	if (data.n == 0)
		data.v[data.n++] = default_data();
	struct stat st;
	for (size_t i = 0; i < data.n; i++)
		if (stat(data.v[i], &st) != 0) {
			ex_error(prog, "%s: %s", data.v[i], strerror(errno));
			return EX_RUNTIME;
		}
	const char *outputs[4] = { plot, plot_confusion_path, plot_curve, save_data };
	for (int i = 0; i < 4; i++)
		if (outputs[i] && ex_check_output(prog, outputs[i]))
			return EX_RUNTIME;

	seed = ex_seed(seed_given, seed);
	printf("seed: %u\n", (unsigned)seed);
	fflush(stdout);
	nn_mnist m;
	nn_rng *rng = NULL;
	nn_net *net = NULL;
	ex_report rep = { 0 };
	int status = EX_RUNTIME;
	if (load(&m, &data, ntrain, ntest))
		goto out;
	if (m.train_x.cols < ntrain || m.test_x.cols < ntest) {
		int train_short = m.train_x.cols < ntrain;
		ex_error(prog, "--%s %zu: %s holds only %zu %s digits", train_short ? "train" : "test",
			 train_short ? ntrain : ntest, data.n > 1 ? "--data" : data.v[0],
			 train_short ? m.train_x.cols : m.test_x.cols, train_short ? "training" : "test");
		goto out;
	}
	size_t inputs = m.train_x.rows;
	printf("data: %s: %zu training and %zu test digits, %zux%zu pixels / 256\n",
	       data.n > 1 ? "four IDX files" : data.v[0], ntrain, ntest, m.rows, m.cols);
	if ((rc = nn_rng_new(&rng, seed)) != 0 ||
	    (rc = ex_model2(&net, inputs, hidden, NN_MNIST_CLASSES, rng)) != 0) {
		ex_error(prog, "model: %s", nn_strerror(rc));
		goto out;
	}
	printf("model: %zu-%zu-%d sigmoid network, weights from npr.randn, biases 0; eta %g, %zu steps\n",
	       inputs, hidden, NN_MNIST_CLASSES, eta, steps);
	printf("number of parameters in the model: (%zu + 1) * %zu + (%zu + 1) * %d = %zu\n", inputs,
	       hidden, hidden, NN_MNIST_CLASSES, nn_net_param_count(net));
	fflush(stdout);
	if (save_data && ex_save_csv(prog, save_data, &m.train_x, &m.train_y, &m.test_x, &m.test_y))
		goto out;

	nn_train_result res;
	ex_report_init(&rep, every, ntrain, steps, plot_curve != NULL);
	if (ex_train(prog, net, &m.train_x, &m.train_y, eta, steps, &rep, &res))
		goto out;
	size_t test_ok = 0;
	if ((rc = ex_correct(&test_ok, net, &m.test_x, &m.test_y)) != 0) {
		ex_error(prog, "test: %s", nn_strerror(rc));
		goto out;
	}
	if (plot && plot_digits(plot, &m, net))
		goto out;
	if (plot_confusion_path && plot_confusion(plot_confusion_path, &m, net))
		goto out;
	char title[128];
	snprintf(title, sizeof(title), "nn-mnist training (seed %u)", (unsigned)seed);
	if (plot_curve && ex_plot_curve(prog, &rep, title, plot_curve))
		goto out;
	printf("train accuracy: %.4f\n", (double)res.best_correct / (double)ntrain);
	printf("test accuracy: %.4f\n", (double)test_ok / (double)ntest);
	status = fflush(stdout) == 0 ? EX_OK : EX_RUNTIME;
out:
	ex_report_free(&rep);
	nn_net_free(net);
	nn_rng_free(rng);
	nn_mnist_free(&m);
	return status;
}
