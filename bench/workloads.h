/*
 * The bench's workloads: a network shape, a data set and a step size each.
 *
 * Every data set is either read from IDX files or generated from one
 * nn_rng seed in an order that bench/numpy_step.py repeats with
 * numpy.random.RandomState, so nn and the numpy reference train on the same
 * numbers from the same initial weights.
 */
#ifndef NN_BENCH_WORKLOADS_H
#define NN_BENCH_WORKLOADS_H

#include <stddef.h>
#include <stdint.h>

#include "nn/nn.h"

/* Where a workload's data comes from. */
enum bench_data {
	BENCH_BLOBS,   /* two Gaussian blobs in 2-D, make_blobs-like */
	BENCH_CIRCLES, /* two noisy concentric circles, make_circles-like */
	BENCH_MNIST,   /* MNIST digits (IDX), else generated 784-pixel data */
	BENCH_FASHION, /* Fashion-MNIST (IDX), else generated 784-pixel data */
	BENCH_MNIST_TEST, /* MNIST's 10,000 test digits (IDX), else generated 784-pixel data */
};

struct bench_workload {
	const char *name;       /* short name for tables and CSV */
	enum bench_data data;
	size_t n_layers;        /* L */
	size_t sizes[5];        /* L + 1 widths */
	size_t n;               /* samples (columns of X) */
	double eta;             /* step size */
	int first_network;      /* 1: the lecture's first_network init (npr.random), else randn */
	int grown;              /* 1: one of the grown workloads (the <= 3 % overhead target) */
};

extern const struct bench_workload bench_workloads[];
extern const size_t bench_n_workloads;

/* A loaded data set and the description numpy_step.py needs to rebuild it. */
struct bench_data_set {
	nn_matrix X;      /* sizes[0] x n, one sample per column */
	nn_labels y;      /* n labels */
	char spec[1200];  /* "idx <images> <labels> <n>" or "gen <kind> <seed> <n>" */
	char what[256];   /* human-readable source, for the report */
};

/* Fraction of non-zero entries of X. */
double bench_density(const nn_matrix *X);

/* Directories searched for MNIST and Fashion-MNIST IDX files (NULL: defaults). */
struct bench_paths {
	const char *mnist;
	const char *fashion;
};

/*
 * Load or generate w's data. Generated data is drawn from rng (seeded
 * `seed`), which then goes on to initialise the weights.
 * Returns 0 or a negative NN_E code; prints nothing.
 */
int bench_data_load(struct bench_data_set *d, const struct bench_workload *w,
		    const struct bench_paths *paths, uint32_t seed, nn_rng *rng);

void bench_data_free(struct bench_data_set *d);

/* The workload's network with its initial weights drawn from rng. */
int bench_net_new(nn_net **net, const struct bench_workload *w, nn_rng *rng);

/* Floating-point operations of one training step's dgemm calls: 2 m n k each. */
double bench_step_flops(const struct bench_workload *w);

/* "784-30-10" */
void bench_shape_string(char *buf, size_t len, const struct bench_workload *w);

#endif /* NN_BENCH_WORKLOADS_H */
