/*
 * cnn-step: one full-batch SGD step of nn_fit on a network, a batch and
 * parameters given in a file, for tests/torch_cnn_step.py to hold against
 * PyTorch.
 *
 *   cnn-step IN OUT
 *
 * IN is three text lines, then native-endian binary:
 *
 *   nn-cnn-step 1
 *   <the network, as nn_net_parse reads it>
 *   <cost: default, quadratic, bce or ce> <N> <n0> <P> <eta>
 *   X:      n0 x N doubles, column-major (one sample after another, each in
 *           nn's layout: value (c, y, x) at c + C * (x + W * y))
 *   labels: N int32
 *   params: P doubles, nn_net_params()'s layout (per layer W then b)
 *
 * OUT is binary: the mean cost over the batch at the given parameters (as
 * nn_fit reports it for the epoch's one batch), then the P parameters
 * after the step. The step is nn_fit with SGD, one epoch, the whole batch,
 * no shuffle, so  params -= eta * (1/N) sum_j dC_j/dparams.
 *
 * Exit status 0, or 1 with a message on stderr.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn/nn.h"

#define MAX_SPEC 4096

static int fail(const char *what, const char *detail)
{
	fprintf(stderr, "cnn-step: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	return 1;
}

/* The line without its '\n'; 0, or -1 when there is none or it is too long. */
static int read_line(char *buf, size_t n, FILE *f)
{
	if (!fgets(buf, (int)n, f))
		return -1;
	size_t len = strlen(buf);
	if (len == 0 || buf[len - 1] != '\n')
		return -1;
	buf[len - 1] = '\0';
	return 0;
}

static int parse_cost(nn_cost *cost, int *given, const char *s)
{
	static const struct {
		const char *name;
		nn_cost cost;
	} names[] = { { "quadratic", NN_COST_QUADRATIC }, { "bce", NN_COST_BCE },
		      { "ce", NN_COST_CE } };
	*given = strcmp(s, "default") != 0;
	if (!*given)
		return 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i].name)) {
			*cost = names[i].cost;
			return 0;
		}
	return -1;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: cnn-step IN OUT\n");
		return 2;
	}
	FILE *in = NULL, *out = NULL;
	nn_net *net = NULL;
	nn_rng *rng = NULL;
	nn_history h = { 0 };
	nn_matrix X = { 0 };
	nn_labels y = { 0 };
	int32_t *lab = NULL;
	int status = 1, rc, cost_given;
	char line[MAX_SPEC], spec[MAX_SPEC], cost_name[32];
	size_t N, n0, P;
	double eta;
	nn_cost cost = NN_COST_QUADRATIC;

	if (!(in = fopen(argv[1], "rb"))) {
		fail("cannot open", argv[1]);
		goto out;
	}
	if (read_line(line, sizeof(line), in) || strcmp(line, "nn-cnn-step 1") ||
	    read_line(spec, sizeof(spec), in) || read_line(line, sizeof(line), in) ||
	    sscanf(line, "%31s %zu %zu %zu %lf", cost_name, &N, &n0, &P, &eta) != 5 ||
	    parse_cost(&cost, &cost_given, cost_name) || N == 0 || n0 == 0 || P == 0) {
		fail("malformed header in", argv[1]);
		goto out;
	}
	if ((rc = nn_net_parse(&net, spec, NN_ACT_RELU, NN_ACT_SOFTMAX)) != 0) {
		fail("the network", nn_error_message(rc));
		goto out;
	}
	if (cost_given && (rc = nn_net_set_cost(net, cost)) != 0) {
		fail(cost_name, nn_error_message(rc));
		goto out;
	}
	if (nn_net_width(net, 0) != n0 || nn_net_param_count(net) != P) {
		fprintf(stderr, "cnn-step: the file says %zu inputs and %zu parameters, the network "
			"has %zu and %zu\n", n0, P, nn_net_width(net, 0), nn_net_param_count(net));
		goto out;
	}
	if ((rc = nn_matrix_new(&X, n0, N)) != 0 || (rc = nn_labels_new(&y, N)) != 0 ||
	    (rc = nn_rng_new(&rng, 1)) != 0 || !(lab = malloc(N * sizeof(*lab)))) {
		fail("allocation", nn_strerror(rc ? rc : NN_ENOMEM));
		goto out;
	}
	if (fread(X.data, sizeof(double), n0 * N, in) != n0 * N ||
	    fread(lab, sizeof(*lab), N, in) != N ||
	    fread(nn_net_params(net), sizeof(double), P, in) != P || fgetc(in) != EOF) {
		fail("wrong data size in", argv[1]);
		goto out;
	}
	for (size_t j = 0; j < N; j++)
		y.data[j] = lab[j];

	/* one step on the whole batch in order: SGD on the batch mean */
	nn_fit_options fo = nn_fit_defaults();
	fo.optim.kind = NN_OPT_SGD;
	fo.eta = eta;
	fo.batch_size = 0;
	fo.epochs = 1;
	fo.shuffle = 0;
	if ((rc = nn_fit(net, &h, &X, &y, &fo, rng)) != 0 || h.n != 1) {
		fail("nn_fit", rc ? nn_error_message(rc) : "not one epoch");
		goto out;
	}
	if (!(out = fopen(argv[2], "wb")) ||
	    fwrite(&h.epochs[0].train_cost, sizeof(double), 1, out) != 1 ||
	    fwrite(nn_net_params(net), sizeof(double), P, out) != P) {
		fail("cannot write", argv[2]);
		goto out;
	}
	status = 0;
out:
	if (out && fclose(out) && status == 0)
		status = fail("cannot write", argv[2]);
	if (in)
		fclose(in);
	free(lab);
	nn_history_free(&h);
	nn_matrix_free(&X);
	nn_labels_free(&y);
	nn_rng_free(rng);
	nn_net_free(net);
	return status;
}
