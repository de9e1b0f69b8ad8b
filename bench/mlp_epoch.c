/*
 * nn-bench-mlp (issue 16): nn's side of bench/mlp_compare.py -- epochs of
 * mini-batch training (nn_fit) on MNIST from given initial weights, in
 * float64 or float32, with the per-epoch seconds nn_fit measures itself.
 *
 *   nn-bench-mlp --data DIR --runs FILE [--precision f64|f32] [--epochs E]
 *                [--warmup K] [--seed S] [--params-out PREFIX] [--no-test]
 *
 * FILE (bench/mlp_common.py writes it) holds one run a line, tab-separated:
 *   name  spec  optimizer  eta  batch  samples  weights-file
 * and the contenders in Python read the same file. For each run, on the
 * first `samples` training images of DIR (IDX; all 60,000 are loaded once):
 *   1. the network nn_net_parse(spec) makes -- a softmax output trains on
 *      cross-entropy, a sigmoid one on the quadratic cost -- in the
 *      precision asked, its parameters set from weights-file (raw float64 in
 *      nn's layout, rounded to float32 for an f32 network);
 *   2. K warm-up batches (default 20) on a copy, with an rng of their own,
 *      so that the timed epochs start with the BLAS's threads and buffers
 *      up, as the Python contenders' do;
 *   3. E epochs (default 1) of nn_fitter_epoch (nn_fit's loop) from the
 *      initial weights, batches in the order of
 *      numpy.random.RandomState(S).permutation(N), epoch after epoch (S
 *      default 1), each timed by nn itself (wall) and by the process's CPU
 *      clock around the call;
 *   4. the test set's accuracy and mean cost, untimed (not with --no-test,
 *      which bench/mlp_profile.py uses so that a profile holds training only).
 * It prints, as bench/mlp_common.py describes:
 *   blas KERNEL
 *   epoch RUN E SECONDS TRAIN-COST CPU-SECONDS
 *   test RUN ACCURACY COST
 * and with --params-out the trained parameters as raw float64 to
 * PREFIX<run>.f64 (bench/mlp_compare.py --check holds them against
 * PyTorch's).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "blasinfo.h"
#include "nn/nn.h"

#define MAX_RUNS 16
#define LINE_MAX_ 1024

struct run {
	char line[LINE_MAX_];   /* the line, cut into the fields below */
	const char *name, *spec, *optimizer, *weights;
	double eta;
	size_t batch, samples;
};

static int usage(void)
{
	fprintf(stderr, "usage: nn-bench-mlp --data DIR --runs FILE [--precision f64|f32] "
		"[--epochs E] [--warmup K] [--seed S] [--params-out PREFIX] [--no-test]\n");
	return 2;
}

/* One line of the runs file into r; 0 or -1 when malformed. */
static int parse_run(struct run *r, const char *line)
{
	char *f[7], *save = NULL, *end;
	snprintf(r->line, sizeof(r->line), "%s", line);
	r->line[strcspn(r->line, "\r\n")] = '\0';
	char *p = r->line;
	for (int i = 0; i < 7; i++, p = NULL)
		if (!(f[i] = strtok_r(p, "\t", &save)))
			return -1;
	r->name = f[0];
	r->spec = f[1];
	r->optimizer = f[2];
	r->weights = f[6];
	errno = 0;
	r->eta = strtod(f[3], &end);
	if (*end || errno || !(r->eta > 0))
		return -1;
	r->batch = strtoul(f[4], &end, 10);
	if (*end || r->batch == 0)
		return -1;
	r->samples = strtoul(f[5], &end, 10);
	if (*end || r->samples == 0)
		return -1;
	return strcmp(r->optimizer, "adam") && strcmp(r->optimizer, "sgd") ? -1 : 0;
}

static int read_runs(struct run *runs, size_t *n, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[LINE_MAX_];
	if (!f) {
		fprintf(stderr, "nn-bench-mlp: %s: %s\n", path, strerror(errno));
		return -1;
	}
	*n = 0;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if (*n == MAX_RUNS || parse_run(&runs[*n], line)) {
			fprintf(stderr, "nn-bench-mlp: %s: bad or too many runs at \"%s\"\n", path,
				line);
			fclose(f);
			return -1;
		}
		(*n)++;
	}
	fclose(f);
	return *n ? 0 : -1;
}

/* The run's initial parameters, exactly nn_net_param_count(net) doubles, into net. */
static int load_weights(nn_net *net, const char *path)
{
	size_t n = nn_net_param_count(net);
	double *w = malloc(n * sizeof(double));
	FILE *f = fopen(path, "rb");
	int rc = -1;
	if (w && f && fread(w, sizeof(double), n, f) == n && fgetc(f) == EOF)
		rc = nn_net_set_params(net, w);
	else
		fprintf(stderr, "nn-bench-mlp: %s: not %zu float64 values\n", path, n);
	if (f)
		fclose(f);
	free(w);
	return rc;
}

static int save_params(const nn_net *net, const char *prefix, const char *name)
{
	char path[1024];
	size_t n = nn_net_param_count(net);
	double *w = malloc(n * sizeof(double));
	int rc = -1;
	snprintf(path, sizeof(path), "%s%s.f64", prefix, name);
	FILE *f = fopen(path, "wb");
	if (w && f && nn_net_get_params(w, net) == 0 && fwrite(w, sizeof(double), n, f) == n)
		rc = 0;
	if (f && fclose(f))
		rc = -1;
	free(w);
	if (rc)
		fprintf(stderr, "nn-bench-mlp: cannot write %s\n", path);
	return rc;
}

/* The run's network: parsed, in its precision, from its initial weights. */
static int make_net(nn_net **net, const struct run *r, nn_precision prec)
{
	int rc = nn_net_parse(net, r->spec, NN_ACT_SIGMOID, NN_ACT_SIGMOID);
	if (rc == 0 && (rc = nn_net_set_precision(*net, prec)) == 0)
		rc = load_weights(*net, r->weights) ? NN_EINVAL : 0;
	if (rc) {
		fprintf(stderr, "nn-bench-mlp: %s: %s (%s)\n", r->name, nn_strerror(rc), r->spec);
		nn_net_free(*net);
		*net = NULL;
	}
	return rc;
}

/* K batches on a copy of net, so that the BLAS's threads and buffers are up. */
static int warm_up(const nn_net *net, const nn_matrix *X, const nn_labels *y,
		   const nn_fit_options *fo, size_t k)
{
	nn_net *copy = NULL;
	nn_rng *rng = NULL;
	nn_fitter *f = NULL;
	int rc = nn_net_clone(&copy, net);
	if (rc == 0)
		rc = nn_rng_new(&rng, 12345);
	if (rc == 0)
		rc = nn_fitter_new(&f, copy, X, y, fo, rng);
	for (size_t i = 0; rc == 0 && i < k && i < (X->cols + fo->batch_size - 1) / fo->batch_size;
	     i++)
		rc = nn_fitter_batch(f);
	nn_fitter_free(f);
	nn_rng_free(rng);
	nn_net_free(copy);
	return rc;
}

/* CPU seconds of this process so far, all its threads. */
static double cpu_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int run_one(const struct run *r, const nn_mnist *m, nn_precision prec, size_t epochs,
		   size_t warmup, uint32_t seed, const char *params_out, int test)
{
	nn_net *net = NULL;
	nn_rng *rng = NULL;
	nn_fitter *f = NULL;
	if (r->samples > m->train_x.cols) {
		fprintf(stderr, "nn-bench-mlp: %s: %zu samples, the data has %zu\n", r->name,
			r->samples, m->train_x.cols);
		return -1;
	}
	/* views of the first `samples` training images */
	nn_matrix X = nn_matrix_view(m->train_x.data, m->train_x.rows, r->samples, m->train_x.ld);
	nn_labels y = { .n = r->samples, .data = m->train_y.data, .owner = 0 };
	nn_fit_options fo = nn_fit_defaults();
	fo.optim.kind = strcmp(r->optimizer, "adam") ? NN_OPT_SGD : NN_OPT_ADAM;
	fo.optim.epsilon = 1e-8;
	fo.eta = r->eta;
	fo.batch_size = r->batch;
	fo.epochs = epochs;
	fo.shuffle = 1;
	int rc = make_net(&net, r, prec);
	if (rc == 0 && (rc = warm_up(net, &X, &y, &fo, warmup)) == 0 &&
	    (rc = nn_rng_new(&rng, seed)) == 0)
		rc = nn_fitter_new(&f, net, &X, &y, &fo, rng);
	/* which first-layer path NN_INPUT_AUTO took: a comment line for the log */
	if (rc == 0)
		printf("# %s input %s\n", r->name,
		       nn_fitter_input(f) == NN_INPUT_SPARSE ? "sparse" : "dense");
	/* nn_fit's loop, with each epoch's CPU time besides its wall time */
	while (rc == 0 && !nn_fitter_done(f)) {
		nn_epoch_stats st;
		double c0 = cpu_seconds();
		rc = nn_fitter_epoch(f, &st);
		if (rc == 0)
			printf("epoch %s %zu %.6f %.10g %.6f\n", r->name, st.epoch, st.seconds,
			       st.train_cost, cpu_seconds() - c0);
	}
	if (rc) {
		fprintf(stderr, "nn-bench-mlp: %s: %s\n", r->name, nn_strerror(rc));
		goto out;
	}
	nn_fitter_finish(f, NULL);
	double cost = 0;
	size_t right = 0;
	rc = 0;
	if (test && (rc = nn_evaluate(&cost, &right, NULL, net, &m->test_x, &m->test_y)) == 0)
		printf("test %s %.6f %.10g\n", r->name, (double)right / (double)m->test_x.cols,
		       cost / (double)m->test_x.cols);
	fflush(stdout);
	if (rc == 0 && params_out)
		rc = save_params(net, params_out, r->name);
out:
	nn_fitter_free(f);
	nn_rng_free(rng);
	nn_net_free(net);
	return rc;
}

int main(int argc, char **argv)
{
	const char *data = NULL, *runs_path = NULL, *params_out = NULL;
	nn_precision prec = NN_F64;
	size_t epochs = 1, warmup = 20;
	unsigned long seed = 1;
	int test = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--no-test")) {
			test = 0;
			continue;
		}
		if (!v)
			return usage();
		i++;
		if (!strcmp(a, "--data"))
			data = v;
		else if (!strcmp(a, "--runs"))
			runs_path = v;
		else if (!strcmp(a, "--precision") && (!strcmp(v, "f64") || !strcmp(v, "f32")))
			prec = strcmp(v, "f32") ? NN_F64 : NN_F32;
		else if (!strcmp(a, "--epochs"))
			epochs = strtoul(v, NULL, 10);
		else if (!strcmp(a, "--warmup"))
			warmup = strtoul(v, NULL, 10);
		else if (!strcmp(a, "--seed"))
			seed = strtoul(v, NULL, 10);
		else if (!strcmp(a, "--params-out"))
			params_out = v;
		else
			return usage();
	}
	if (!data || !runs_path || epochs == 0 || epochs > 1000 || seed > 0xffffffffUL)
		return usage();

	static struct run runs[MAX_RUNS];
	size_t n_runs = 0;
	if (read_runs(runs, &n_runs, runs_path))
		return 1;
	size_t most = 0;
	for (size_t i = 0; i < n_runs; i++)
		most = runs[i].samples > most ? runs[i].samples : most;

	struct bench_blas_info bi;
	bench_blas_info(&bi);
	printf("blas %s %s, %d threads\n", bi.backend, bi.kernel, bi.threads);
	nn_mnist m = { 0 };
	nn_mnist_options mo = nn_mnist_defaults();
	mo.max_train = most;
	int rc = nn_mnist_load(&m, data, &mo);
	if (rc) {
		fprintf(stderr, "nn-bench-mlp: %s\n", m.error[0] ? m.error : nn_strerror(rc));
		return 1;
	}
	for (size_t i = 0; rc == 0 && i < n_runs; i++)
		rc = run_one(&runs[i], &m, prec, epochs, warmup, (uint32_t)seed, params_out, test);
	nn_mnist_free(&m);
	return rc ? 1 : 0;
}
