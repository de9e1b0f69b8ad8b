/*
 * nn-bench-cnn: the time of an epoch of a convolutional network on MNIST
 * (nn_fit: Adam 1e-3, batch 128, shuffled), its test accuracy and its peak
 * memory; bench/cnn_torch.py measures the same in PyTorch, and
 * bench/cnn_compare.sh runs both (doc/performance.md, "Convolutional
 * networks").
 *
 *   nn-bench-cnn [--model convnet|lenet5 | --layers SPEC] [--data DIR]
 *                [--samples N] [--test N] [--epochs E] [--batch B] [--threads T]
 *                [--precision f64|f32] [--seed S] [--describe]
 *
 * The models, as nn-mnist's presets (examples/digits.c), initialisations
 * included:
 *   convnet  the Keras example mnist_convnet (Glorot):
 *            28x28, conv:32:3:relu, maxpool:2, conv:64:3:relu, maxpool:2,
 *            flatten, dropout:0.5, 10:softmax
 *   lenet5   LeNet-5 as it is usually written today (He; ReLU, max-pooling,
 *            every C3 map connected to every S2 map, a softmax output):
 *            28x28, conv:6:5:same:relu, maxpool:2, conv:16:5:relu,
 *            maxpool:2, flatten, 120:relu, 84:relu, 10:softmax
 *
 * Data: the first N (default all) training images of DIR (default
 * ../shared/data/mnist-full beside the source tree), pixels / 255, and the
 * first --test images of the test set (default all; 0: no evaluation, for
 * profiling the training alone) for the accuracy. E epochs (default 2) in one nn_fit
 * call; the time of an epoch is nn_fit's own (shuffle, gathering, forward,
 * backward, update), and the figure reported is the median over the epochs
 * after the first (the first alone when E = 1). --threads sets OpenBLAS's
 * thread count (openblas_set_num_threads); without it, OPENBLAS_NUM_THREADS
 * or OpenBLAS's default applies. --describe prints the network as
 * nn_net_parse reads it (for bench/cnn_torch.py) and exits.
 *
 * Prints the set-up, one line per epoch, then one CSV line (header first):
 *   framework,model,precision,threads,samples,batch,epochs,s_per_epoch,
 *   cpu_s_per_epoch,first_epoch_s,test_accuracy,data_rss_mib,peak_rss_mib
 * cpu_s_per_epoch is the process's CPU time (all its threads) over the same
 * epochs: on a shared machine it shows the work where the wall time also
 * shows the waiting. data_rss_mib is the peak resident size before training (the data and
 * the network), peak_rss_mib after the last epoch (before the evaluation).
 * --precision f32 sets the network to float32 (nn_net_set_precision) before
 * its initialisation, as nn-mnist does. --layers networks get
 * nn_net_init_default(). Exit status 0, 1 on an error, 2 on a usage error.
 */
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "blasinfo.h"
#include "median.h"
#include "nn/nn.h"

#define MAX_EPOCHS 1000

static const struct {
	const char *name, *spec;
	int (*init)(nn_net *net, nn_rng *rng);
} models[] = {
	{ "convnet", "28x28, conv:32:3:relu, maxpool:2, conv:64:3:relu, maxpool:2, flatten, "
		     "dropout:0.5, 10:softmax", nn_net_init_glorot },
	{ "lenet5", "28x28, conv:6:5:same:relu, maxpool:2, conv:16:5:relu, maxpool:2, flatten, "
		    "120:relu, 84:relu, 10:softmax", nn_net_init_he },
};
#define N_MODELS (sizeof(models) / sizeof(models[0]))

static int usage(void)
{
	fprintf(stderr, "usage: nn-bench-cnn [--model convnet|lenet5 | --layers SPEC] [--data DIR] "
		"[--samples N] [--test N] [--epochs E] [--batch B] [--threads T] [--precision f64|f32] "
		"[--seed S] [--describe]\n");
	return 2;
}

/* The peak resident size of this process so far, MiB. */
static double peak_rss_mib(void)
{
	struct rusage ru;
	return getrusage(RUSAGE_SELF, &ru) ? -1.0 : (double)ru.ru_maxrss / 1024.0;
}

/* A positive count from s, or 0 when it is not one. */
static size_t count(const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	return end == s || *end || errno || s[0] == '-' || v > (1ull << 40) ? 0 : (size_t)v;
}

/* OpenBLAS's thread count, set through the library loaded (none: -1). */
static int set_blas_threads(size_t n)
{
	void *sym = dlsym(RTLD_DEFAULT, "openblas_set_num_threads");
	void (*set)(int);
	if (!sym)
		return -1;
	memcpy(&set, &sym, sizeof(set)); /* object to function pointer, portably */
	set((int)n);
	return 0;
}

/* The CPU time of the process so far, all its threads, seconds. */
static double cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* user: MAX_EPOCHS + 1 CPU times, [0] before the first epoch; each epoch's
 * end goes to [epoch + 1]. */
static int progress(void *user, const nn_epoch_stats *e)
{
	double *cpu = user;
	cpu[e->epoch + 1] = cpu_seconds();
	printf("# epoch %zu: %.2f s (CPU %.2f s), train cost %.4f, train accuracy %.4f\n",
	       e->epoch + 1, e->seconds, cpu[e->epoch + 1] - cpu[e->epoch], e->train_cost,
	       e->train_accuracy);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	const char *model = "convnet", *spec = NULL, *data = NN_SOURCE_ROOT
		"/../shared/data/mnist-full";
	size_t N = NN_ALL, N_test = NN_ALL, E = 2, B = 128, T = 0;
	unsigned long seed = 1;
	int describe = 0, f32 = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--describe")) {
			describe = 1;
			continue;
		}
		if (!v)
			return usage();
		i++;
		if (!strcmp(a, "--model"))
			model = v, spec = NULL;
		else if (!strcmp(a, "--layers"))
			spec = v, model = "custom";
		else if (!strcmp(a, "--data"))
			data = v;
		else if (!strcmp(a, "--samples") && count(v))
			N = count(v);
		else if (!strcmp(a, "--test") && (count(v) || !strcmp(v, "0")))
			N_test = count(v);
		else if (!strcmp(a, "--epochs") && count(v) && count(v) <= MAX_EPOCHS)
			E = count(v);
		else if (!strcmp(a, "--batch") && count(v))
			B = count(v);
		else if (!strcmp(a, "--threads") && count(v) && count(v) <= 1024)
			T = count(v);
		else if (!strcmp(a, "--seed") && (count(v) || !strcmp(v, "0")))
			seed = (unsigned long)count(v);
		else if (!strcmp(a, "--precision") && (!strcmp(v, "f64") || !strcmp(v, "f32")))
			f32 = !strcmp(v, "f32");
		else
			return usage();
	}
	int (*init)(nn_net *, nn_rng *) = nn_net_init_default;
	for (size_t i = 0; !spec && i < N_MODELS; i++)
		if (!strcmp(model, models[i].name))
			spec = models[i].spec, init = models[i].init;
	if (!spec) {
		fprintf(stderr, "nn-bench-cnn: unknown model '%s' (convnet, lenet5, or --layers)\n",
			model);
		return 2;
	}

	nn_mnist m = { 0 };
	nn_rng *rng = NULL;
	nn_net *net = NULL;
	nn_history h = { 0 };
	int rc = nn_net_parse(&net, spec, NN_ACT_RELU, NN_ACT_SOFTMAX);
	if (rc) {
		fprintf(stderr, "nn-bench-cnn: %s\n", nn_error_message(rc));
		return 2;
	}
	if (describe) {
		char buf[1024];
		nn_net_describe(buf, sizeof(buf), net);
		printf("%s\n", buf);
		nn_net_free(net);
		return 0;
	}
	if (T && set_blas_threads(T)) {
		fprintf(stderr, "nn-bench-cnn: --threads: this BLAS is not OpenBLAS; set its own "
			"variable instead\n");
		rc = 1;
		goto out;
	}

	nn_mnist_options o = nn_mnist_defaults();
	o.max_train = N;
	o.max_test = N_test;
	if ((rc = nn_mnist_load(&m, data, &o)) != 0) {
		fprintf(stderr, "nn-bench-cnn: %s\n", m.error[0] ? m.error : nn_strerror(rc));
		goto out;
	}
	/* the precision first, as nn-mnist: the initialisation then draws in it */
	if ((rc = nn_rng_new(&rng, (uint32_t)seed)) != 0 ||
	    (f32 && (rc = nn_net_set_precision(net, NN_F32)) != 0) || (rc = init(net, rng)) != 0) {
		fprintf(stderr, "nn-bench-cnn: %s\n", nn_error_message(rc));
		goto out;
	}
	struct bench_blas_info bi;
	bench_blas_info(&bi);
	char desc[1024];
	nn_net_describe(desc, sizeof(desc), net);
	printf("# nn-bench-cnn: %s (%s), %zu parameters\n", model, desc, nn_net_param_count(net));
	printf("# adam 1e-3, batch %zu, %zu epochs, %s, on the first %zu training images of %s "
	       "(test: %zu)\n", B, E, f32 ? "f32" : "f64", m.train_x.cols, data,
	       m.test_x.cols);
	printf("# BLAS: %s, %s, %d thread(s)\n", bi.backend, bi.kernel[0] ? bi.kernel : "?",
	       bi.threads);
	bench_print_blas_env();
	fflush(stdout);

	nn_fit_options fo = nn_fit_defaults();
	fo.optim.kind = NN_OPT_ADAM;
	fo.eta = 1e-3;
	fo.batch_size = B;
	fo.epochs = E;
	fo.callback = progress;
	double cpu[MAX_EPOCHS + 1];
	fo.user = cpu;
	double data_rss = peak_rss_mib();
	cpu[0] = cpu_seconds();
	if ((rc = nn_fit(net, &h, &m.train_x, &m.train_y, &fo, rng)) != 0) {
		fprintf(stderr, "nn-bench-cnn: %s\n", nn_error_message(rc));
		goto out;
	}
	double peak = peak_rss_mib(), t[MAX_EPOCHS], c[MAX_EPOCHS];
	size_t n = 0;
	for (size_t e = h.n > 1 ? 1 : 0; e < h.n; e++, n++) {
		t[n] = h.epochs[e].seconds;
		c[n] = cpu[e + 1] - cpu[e];
	}
	size_t correct = 0;
	double cost;
	if (m.test_x.cols &&
	    (rc = nn_evaluate(&cost, &correct, NULL, net, &m.test_x, &m.test_y)) != 0) {
		fprintf(stderr, "nn-bench-cnn: %s\n", nn_error_message(rc));
		goto out;
	}
	printf("framework,model,precision,threads,samples,batch,epochs,s_per_epoch,cpu_s_per_epoch,"
	       "first_epoch_s,test_accuracy,data_rss_mib,peak_rss_mib\n");
	printf("nn,%s,%s,%d,%zu,%zu,%zu,%.3f,%.3f,%.3f,%.4f,%.1f,%.1f\n", model, f32 ? "f32" : "f64",
	       bi.threads,
	       m.train_x.cols, B, h.n, bench_median(t, n), bench_median(c, n), h.epochs[0].seconds,
	       m.test_x.cols ? (double)correct / (double)m.test_x.cols : NAN, data_rss, peak);
out:
	nn_history_free(&h);
	nn_net_free(net);
	nn_rng_free(rng);
	nn_mnist_free(&m);
	return rc ? 1 : 0;
}
