/*
 * The lecture's data and models, built from one nn_rng in the order its
 * Python draws them after np.random.seed(K):
 *
 *   example1: get_data(500) = make_blobs(500, centers=2, center_box=(-3, 3),
 *             cluster_std=1.0), then train_test_split(test_size=0.2);
 *             build_model draws w1, w2, b with npr.random().
 *   example2: get_data(500) = make_circles(500, noise=0.1), the same split;
 *             build_model draws W1 = npr.randn(10, 2), then W2 = npr.randn(2, 10).
 *
 * Shared by nn-example1, nn-example2 and tests/test_lecture.c, so that the
 * test holds the very code the programs run.
 */
#ifndef NN_EXAMPLES_LECTURE_H
#define NN_EXAMPLES_LECTURE_H

#include <stddef.h>

#include "nn/nn.h"

/** The data generators of the exercises. */
enum ex_dataset { EX_BLOBS = 0, EX_CIRCLES, EX_MOONS, EX_CLASSIFICATION };

/** The names of enum ex_dataset, NULL-terminated (for --dataset). */
extern const char *const ex_dataset_names[];

/** How to make the data; ex_data_defaults() gives the lecture's. */
typedef struct ex_data_options {
	enum ex_dataset kind;
	size_t samples;        /**< all samples, before the split (500) */
	double cluster_std;    /**< blobs (1.0) */
	double center_box[2];  /**< blobs ((-3, 3)) */
	int has_noise;         /**< circles, moons: 0 is scikit-learn's noise=None */
	double noise;          /**< circles (0.1), moons (none) */
	double test_size;      /**< the split (0.2) */
} ex_data_options;

/** A split data set (all owned). */
typedef struct ex_data {
	nn_matrix train_x, test_x; /**< 2 x n, one sample per column */
	nn_labels train_y, test_y;
} ex_data;

/** The lecture's options for a data set: blobs as example1, circles as example2. */
ex_data_options ex_data_defaults(enum ex_dataset kind);

/** A description of the generator call, e.g. "make_circles(500, noise=0.1)". */
void ex_data_describe(char *buf, size_t n, const ex_data_options *o);

/**
 * Generate and split, drawing from rng in the lecture's order.
 * @return 0 or a negative NN_E code (d is then empty).
 */
int ex_data_make(ex_data *d, const ex_data_options *o, nn_rng *rng);

/** Free a data set; a zeroed one is a no-op. */
void ex_data_free(ex_data *d);

/**
 * The first network: one sigmoid neuron on 2 inputs, w1, w2, b drawn by
 * npr.random() in that order.
 */
int ex_model1(nn_net **net, nn_rng *rng);

/**
 * The second network: inputs -> hidden -> 2 sigmoid units, each W drawn by
 * npr.randn (rows first), biases zero. Also the MNIST network (784-30-10).
 */
int ex_model2(nn_net **net, size_t inputs, size_t hidden, size_t outputs, nn_rng *rng);

/** The lecture's step sizes and step counts. */
#define EX1_ETA 5e-5
#define EX2_ETA 5e-3
#define EX_STEPS 10000

#endif /* NN_EXAMPLES_LECTURE_H */
