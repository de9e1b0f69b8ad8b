/*
 * nn-bench-epoch: the time of one epoch of mini-batch training (nn_fit), on
 * Fashion-MNIST when its files are there, else on generated data of its
 * shape (784 pixels, about half of them non-zero, 10 classes).
 *
 *   nn-bench-epoch [--data DIR] [--samples N] [--layers 784,256,10] [--batch B]
 *                  [--epochs E] [--optimizer sgd|adam] [--quick]
 *
 * One warm-up epoch, then E timed epochs (default 3) in one nn_fit call; the
 * time of an epoch is nn_fit's own (shuffle, batch gathering, forward,
 * backward and update; no evaluation). Prints the set-up, then one CSV
 * line (header first):
 *   samples,layers,batch,optimizer,threads,ms_per_epoch,ms_per_batch,gflops
 * with medians over the timed epochs. GFLOP/s counts the dgemm work of the
 * forward and backward passes (2 m n k each; dX of the first layer is not
 * needed and not counted). --quick: 10,000 samples and 2 timed epochs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "nn/nn.h"
#include "median.h"

#define MAX_LAYERS 8

static int usage(void)
{
	fprintf(stderr, "usage: nn-bench-epoch [--data DIR] [--samples N] [--layers 784,256,10] "
		"[--batch B] [--epochs E] [--optimizer sgd|adam] [--precision f64|f32]\n"
		"       [--input auto|dense|sparse] [--quick]\n");
	return 2;
}

/* "784,256,10" into sizes; returns the number of weight layers, 0 if malformed. */
static size_t parse_layers(size_t *sizes, const char *s)
{
	size_t n = 0;
	while (n <= MAX_LAYERS) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(s, &end, 10);
		if (end == s || errno || v == 0 || v > 100000)
			return 0;
		sizes[n++] = v;
		if (!*end)
			break;
		if (*end != ',')
			return 0;
		s = end + 1;
	}
	return n >= 2 && n <= MAX_LAYERS + 1 && sizes[0] == 784 ? n - 1 : 0;
}

/* Generated data of Fashion-MNIST's shape: half the pixels zero, the rest in (0, 1). */
static int generate(nn_matrix *X, nn_labels *y, size_t n, nn_rng *rng)
{
	int rc = nn_matrix_new(X, 784, n);
	if (rc == 0)
		rc = nn_labels_new(y, n);
	for (size_t j = 0; rc == 0 && j < n; j++) {
		y->data[j] = (int)nn_rng_interval(rng, 9);
		for (size_t i = 0; i < 784; i++)
			NN_AT(X, i, j) = nn_rng_random(rng) < 0.5 ? nn_rng_random(rng) : 0.0;
	}
	return rc;
}

int main(int argc, char **argv)
{
	const char *data = getenv("NN_BENCH_FASHION"), *layers = "784,256,10";
	size_t N = 60000, B = 128, E = 3;
	int adam = 1, f32 = 0;
	nn_input_mode input = NN_INPUT_AUTO;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--quick")) {
			N = 10000;
			E = 2;
			continue;
		}
		if (!v)
			return usage();
		i++;
		if (!strcmp(a, "--data"))
			data = v;
		else if (!strcmp(a, "--samples"))
			N = strtoul(v, NULL, 10);
		else if (!strcmp(a, "--layers"))
			layers = v;
		else if (!strcmp(a, "--batch"))
			B = strtoul(v, NULL, 10);
		else if (!strcmp(a, "--epochs"))
			E = strtoul(v, NULL, 10);
		else if (!strcmp(a, "--optimizer") && (!strcmp(v, "sgd") || !strcmp(v, "adam")))
			adam = !strcmp(v, "adam");
		else if (!strcmp(a, "--precision") && (!strcmp(v, "f32") || !strcmp(v, "f64")))
			f32 = !strcmp(v, "f32");
		else if (!strcmp(a, "--input") && !strcmp(v, "auto"))
			input = NN_INPUT_AUTO;
		else if (!strcmp(a, "--input") && !strcmp(v, "dense"))
			input = NN_INPUT_DENSE;
		else if (!strcmp(a, "--input") && !strcmp(v, "sparse"))
			input = NN_INPUT_SPARSE;
		else
			return usage();
	}
	size_t sizes[MAX_LAYERS + 1], L = parse_layers(sizes, layers);
	if (!L || N == 0 || B == 0 || E == 0 || E > 1000)
		return usage();
	if (!data)
		data = "/usr/share/datasets/fashion-mnist";

	nn_mnist m = { 0 };
	nn_rng *rng = NULL;
	nn_net *net = NULL;
	nn_history h = { 0 };
	nn_matrix X = { 0 };
	nn_labels y = { 0 };
	char what[600];
	struct stat st;
	int rc = nn_rng_new(&rng, 1);
	if (rc == 0 && stat(data, &st) == 0) {
		nn_mnist_options o = nn_mnist_defaults();
		o.max_train = N;
		o.max_test = 1;
		if ((rc = nn_mnist_load(&m, data, &o)) != 0) {
			fprintf(stderr, "nn-bench-epoch: %s\n", m.error[0] ? m.error : nn_strerror(rc));
			goto out;
		}
		X = m.train_x;
		y = m.train_y;
		N = X.cols;
		snprintf(what, sizeof(what), "the first %zu training images of %s", N, data);
	} else if (rc == 0) {
		rc = generate(&X, &y, N, rng);
		m.train_x = X; /* freed with m */
		m.train_y = y;
		snprintf(what, sizeof(what), "%zu generated images (no %s)", N, data);
	}
	/* ReLU hidden layers, a softmax output, cross-entropy, He initialisation */
	nn_activation acts[MAX_LAYERS];
	for (size_t l = 0; l < L; l++)
		acts[l] = l + 1 < L ? NN_ACT_RELU : NN_ACT_SOFTMAX;
	if (rc == 0 && sizes[L] != 10)
		rc = NN_EINVAL;
	if (rc == 0 && (rc = nn_net_new(&net, L, sizes, acts)) == 0 &&
	    (rc = nn_net_set_precision(net, f32 ? NN_F32 : NN_F64)) == 0 &&
	    (rc = nn_net_set_cost(net, NN_COST_CE)) == 0)
		rc = nn_net_init_he(net, rng);
	if (rc) {
		fprintf(stderr, "nn-bench-epoch: %s\n", nn_strerror(rc));
		goto out;
	}
	nn_fit_options fo = nn_fit_defaults();
	fo.optim.kind = adam ? NN_OPT_ADAM : NN_OPT_SGD;
	fo.eta = adam ? 1e-3 : 0.05;
	fo.batch_size = B;
	fo.epochs = E + 1;
	fo.input = input;
	const char *threads = getenv("OPENBLAS_NUM_THREADS");
	printf("nn-bench-epoch: %s, batch %zu, %s, %s, on %s; OPENBLAS_NUM_THREADS=%s\n", layers,
	       B, adam ? "adam" : "sgd", f32 ? "float32" : "float64", what,
	       threads ? threads : "(unset)");
	fflush(stdout);
	rc = nn_fit(net, &h, &X, &y, &fo, rng);
	if (rc && rc != NN_EDIVERGED) {
		fprintf(stderr, "nn-bench-epoch: %s\n", nn_strerror(rc));
		goto out;
	}
	double t[1000];
	size_t n = 0;
	for (size_t e = 1; e < h.n; e++)
		t[n++] = h.epochs[e].seconds;
	if (n == 0) {
		fprintf(stderr, "nn-bench-epoch: training diverged in the warm-up epoch\n");
		rc = NN_EDIVERGED;
		goto out;
	}
	double ms = 1e3 * bench_median(t, n), batches = (double)((N + B - 1) / B), flop = 0;
	for (size_t l = 1; l <= L; l++) /* forward, dW, and dX beyond the first layer */
		flop += 2.0 * (double)N * (double)(sizes[l] * sizes[l - 1]) * (l > 1 ? 3 : 2);
	printf("samples,layers,batch,optimizer,threads,ms_per_epoch,ms_per_batch,gflops\n");
	char shape[128];
	snprintf(shape, sizeof(shape), "%s", layers);
	for (char *c = shape; *c; c++)
		*c = *c == ',' ? '-' : *c; /* a CSV field */
	printf("%zu,%s,%zu,%s,%s,%.1f,%.4f,%.2f\n", N, shape, B, adam ? "adam" : "sgd",
	       threads ? threads : "", ms, ms / batches, flop / (ms * 1e6));
	rc = 0;
out:
	nn_history_free(&h);
	nn_net_free(net);
	nn_rng_free(rng);
	nn_mnist_free(&m);
	return rc ? 1 : 0;
}
