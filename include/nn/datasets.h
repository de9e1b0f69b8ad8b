/**
 * @file datasets.h
 * @brief scikit-learn's toy data generators and train_test_split, drawn
 *        from an nn_rng exactly as scikit-learn 1.2 draws them from numpy's
 *        RandomState.
 *
 * Each generator mirrors the scikit-learn function of the same name: the
 * same parameters (an options struct whose *_defaults() initialiser holds
 * scikit-learn's defaults), the same draws in the same order, the same
 * output order. With `rng` seeded by nn_rng_new(&rng, k),
 * nn_make_blobs(..., rng) returns the data of
 * `make_blobs(..., random_state=k)` -- and, because the draws consume rng
 * in numpy's order, one rng passed through a generator, then
 * nn_train_test_split(), then nn_net_init_randn() reproduces the lecture's
 * Python run after `np.random.seed(k)` with `random_state=np.random` (the
 * global RandomState).
 *
 * Outputs are ready for the network: X is a column-major
 * n_features x n_samples matrix (sample i is column i, i.e. row i of
 * scikit-learn's array) and y holds the integer labels. The generators
 * allocate X and y; free them with nn_matrix_free() and nn_labels_free().
 * On failure X and y are left empty and nothing is drawn from rng when the
 * options are invalid.
 *
 * doc/datasets.md says where the results equal scikit-learn's bit for bit
 * (blobs, the splits, every label and index, make_classification with the
 * same BLAS) and where they can differ in the last bit (circles and moons,
 * whose sin and cos numpy may compute with its own SIMD code).
 */
#ifndef NN_DATASETS_H
#define NN_DATASETS_H

#include <stddef.h>

#include "common.h"
#include "matrix.h"
#include "random.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Options of nn_make_blobs(): scikit-learn's make_blobs arguments.
 * n_centers counts the entries of samples_per_center and cluster_stds,
 * unless centers is given: then centers->cols does.
 */
typedef struct nn_blobs_options {
	/** Total samples, split evenly over the centres, the first
	 *  n_samples % n_centers centres getting one more; default 100. */
	size_t n_samples;
	/** NULL (default), or n_centers counts: scikit-learn's array-like
	 *  n_samples; replaces n_samples. Borrowed for the call. */
	const size_t *samples_per_center;
	/** Features per sample, default 2; ignored when centers is given. */
	size_t n_features;
	/** Number of centres, default 3; ignored when centers is given. */
	size_t n_centers;
	/** NULL (default): draw the centres uniformly in center_box; else the
	 *  n_features x n_centers centres, one per column. Borrowed for the call. */
	const nn_matrix *centers;
	/** Standard deviation of every cluster, >= 0; default 1.0. */
	double cluster_std;
	/** NULL (default), or n_centers standard deviations replacing cluster_std. */
	const double *cluster_stds;
	/** Bounds (low, high) of randomly drawn centres, default (-10, 10). */
	double center_box[2];
	/** Shuffle the samples (default 1). */
	int shuffle;
} nn_blobs_options;

/** Options of nn_make_circles(): scikit-learn's make_circles arguments. */
typedef struct nn_circles_options {
	/** Total samples, default 100: n_samples / 2 on the outer circle, the
	 *  rest on the inner one. */
	size_t n_samples;
	/** With n_inner, scikit-learn's (out, in) pair for n_samples; used when
	 *  either is nonzero; default 0. */
	size_t n_outer;
	/** See n_outer. */
	size_t n_inner;
	/** Shuffle the samples (default 1). */
	int shuffle;
	/** 0 (default): scikit-learn's noise=None, nothing drawn; 1: add
	 *  Gaussian noise of standard deviation noise (drawn even when it is 0). */
	int has_noise;
	/** Standard deviation of the noise, >= 0; default 0. */
	double noise;
	/** Radius of the inner circle relative to the outer one, in [0, 1);
	 *  default 0.8. */
	double factor;
} nn_circles_options;

/** Options of nn_make_moons(): scikit-learn's make_moons arguments. */
typedef struct nn_moons_options {
	/** Total samples, default 100: n_samples / 2 on the upper moon, the
	 *  rest on the lower one. */
	size_t n_samples;
	/** With n_inner, scikit-learn's (out, in) pair for n_samples; used when
	 *  either is nonzero; default 0. */
	size_t n_outer;
	/** See n_outer. */
	size_t n_inner;
	/** Shuffle the samples (default 1). */
	int shuffle;
	/** 0 (default): scikit-learn's noise=None; 1: add Gaussian noise. */
	int has_noise;
	/** Standard deviation of the noise, >= 0; default 0. */
	double noise;
} nn_moons_options;

/** Options of nn_make_classification(): scikit-learn's make_classification arguments. */
typedef struct nn_classification_options {
	/** Number of samples, default 100. */
	size_t n_samples;
	/** Total features, default 20. */
	size_t n_features;
	/** Informative features, >= 1; default 2. */
	size_t n_informative;
	/** Random linear combinations of the informative features, default 2. */
	size_t n_redundant;
	/** Copies of informative or redundant features, default 0. */
	size_t n_repeated;
	/** Number of classes, default 2. */
	size_t n_classes;
	/** Clusters per class, default 2;
	 *  n_classes * n_clusters_per_class <= 2^n_informative. */
	size_t n_clusters_per_class;
	/** NULL (default: balanced), or n_weights class proportions in [0, 1]. */
	const double *weights;
	/** Length of weights: n_classes, or n_classes - 1 (the last weight is
	 *  then 1 - the sum of the others, which must not be negative). */
	size_t n_weights;
	/** Fraction of labels replaced at random, default 0.01. Negative: no
	 *  flipping and no draws (scikit-learn's `flip_y >= 0` test). */
	double flip_y;
	/** Half the side of the hypercube of centroids, default 1.0. */
	double class_sep;
	/** 1 (default): centroids on the hypercube's vertices; 0: on a random polytope. */
	int hypercube;
	/** Added to every feature, default 0.0. */
	double shift;
	/** NULL (default), or n_features shifts replacing shift. */
	const double *shifts;
	/** 1: scikit-learn's shift=None, each drawn in [-class_sep, class_sep);
	 *  replaces shift and shifts. Default 0. */
	int random_shift;
	/** Every feature is multiplied by it after the shift, default 1.0. */
	double scale;
	/** NULL (default), or n_features scales replacing scale. */
	const double *scales;
	/** 1: scikit-learn's scale=None, each drawn in [1, 101); replaces scale
	 *  and scales. Default 0. */
	int random_scale;
	/** Shuffle the samples, then the features (default 1). */
	int shuffle;
} nn_classification_options;

/**
 * Options of nn_train_test_split(): scikit-learn's train_test_split arguments.
 * A size is a fraction or a count; 0 for both is scikit-learn's None. When
 * the train and test sizes are both None the test set is 0.25 of the
 * samples; when one is None it is the complement of the other.
 */
typedef struct nn_split_options {
	/** Fraction of the samples in the test set, in (0, 1), rounded up;
	 *  default 0. */
	double test_size;
	/** Test set size in [1, n); nonzero replaces test_size; default 0. */
	size_t test_count;
	/** Fraction of the samples in the train set, in (0, 1), rounded down;
	 *  default 0. */
	double train_size;
	/** Train set size in [1, n); nonzero replaces train_size; default 0. */
	size_t train_count;
	/** 1 (default): a random split; 0: the first samples train, the next test. */
	int shuffle;
	/** NULL (default), or one class label per sample: split every class
	 *  in proportion (StratifiedShuffleSplit); needs shuffle. */
	const nn_labels *stratify;
} nn_split_options;

/** scikit-learn's make_blobs defaults. */
NN_EXPORT nn_blobs_options nn_blobs_defaults(void);
/** scikit-learn's make_circles defaults. */
NN_EXPORT nn_circles_options nn_circles_defaults(void);
/** scikit-learn's make_moons defaults. */
NN_EXPORT nn_moons_options nn_moons_defaults(void);
/** scikit-learn's make_classification defaults. */
NN_EXPORT nn_classification_options nn_classification_defaults(void);
/** scikit-learn's train_test_split defaults (test set 0.25 of the samples, shuffled). */
NN_EXPORT nn_split_options nn_split_defaults(void);

/**
 * Isotropic Gaussian blobs, like `make_blobs(..., random_state=rng)`.
 * Draws the centres (unless given), then each cluster's samples in turn,
 * then the shuffle.
 * @param X   out: n_features x n_samples, one sample per column.
 * @param y   out: n_samples labels, the index of each sample's centre.
 * @param opt the options; NULL means nn_blobs_defaults().
 * @param rng the generator, advanced by the draws.
 * @return 0, NN_ENULL, NN_EINVAL (no samples, no centres or features, a
 *         negative or non-finite std, a non-finite centre or center_box),
 *         NN_ESIZE (sizes overflow) or NN_ENOMEM.
 */
NN_EXPORT int nn_make_blobs(nn_matrix *X, nn_labels *y, const nn_blobs_options *opt, nn_rng *rng);

/**
 * A large circle holding a smaller one, like `make_circles(...)`.
 * @param X   out: 2 x n_samples.
 * @param y   out: 0 for the outer circle, 1 for the inner one.
 * @param opt the options; NULL means nn_circles_defaults().
 * @param rng the generator, advanced by the shuffle and the noise.
 * @return 0, NN_ENULL, NN_EINVAL (no samples, a negative noise, factor
 *         outside [0, 1)), NN_ESIZE or NN_ENOMEM.
 */
NN_EXPORT int nn_make_circles(nn_matrix *X, nn_labels *y, const nn_circles_options *opt,
			      nn_rng *rng);

/**
 * Two interleaving half circles, like `make_moons(...)`.
 * @param X   out: 2 x n_samples.
 * @param y   out: 0 for the upper moon, 1 for the lower one.
 * @param opt the options; NULL means nn_moons_defaults().
 * @param rng the generator, advanced by the shuffle and the noise.
 * @return 0, NN_ENULL, NN_EINVAL (no samples, a negative noise), NN_ESIZE
 *         or NN_ENOMEM.
 */
NN_EXPORT int nn_make_moons(nn_matrix *X, nn_labels *y, const nn_moons_options *opt, nn_rng *rng);

/**
 * A random n-class problem, like `make_classification(...)`: clusters of
 * normal points around the vertices of a hypercube in the informative
 * subspace, plus redundant, repeated and noise features.
 * Its matrix products go through the BLAS routines numpy's np.dot picks,
 * so X is bit for bit scikit-learn's when nn and numpy use the same BLAS
 * library (see doc/datasets.md); with another BLAS the products may differ
 * in the last bits. Labels and every drawn number are always identical.
 * @param X   out: n_features x n_samples.
 * @param y   out: n_samples labels in [0, n_classes).
 * @param opt the options; NULL means nn_classification_defaults().
 * @param rng the generator, advanced by the draws.
 * @return 0, NN_ENULL, NN_EINVAL (no samples or features, n_informative,
 *         n_classes or n_clusters_per_class 0,
 *         n_informative + n_redundant + n_repeated > n_features,
 *         n_classes * n_clusters_per_class > 2^n_informative, weights of the
 *         wrong length or outside [0, 1], a non-finite number), NN_ESIZE or
 *         NN_ENOMEM.
 */
NN_EXPORT int nn_make_classification(nn_matrix *X, nn_labels *y,
				     const nn_classification_options *opt, nn_rng *rng);

/**
 * Split samples into train and test sets, like
 * `train_x, test_x, train_y, test_y = train_test_split(X, y, ...)`.
 * Samples keep scikit-learn's order: train_x's column j is X's column
 * train_idx[j] for the indices scikit-learn computes.
 * @param train_x out: X->rows x n_train, a new matrix.
 * @param test_x  out: X->rows x n_test, a new matrix.
 * @param train_y out: n_train labels; may be NULL only when y is NULL.
 * @param test_y  out: n_test labels; may be NULL only when y is NULL.
 * @param X       the samples, one per column.
 * @param y       their labels (X->cols of them), or NULL.
 * @param opt     the options; NULL means nn_split_defaults().
 * @param rng     the generator; drawn from only when shuffling (may then be NULL).
 * @return 0, NN_ENULL, NN_EINVAL (sizes out of range, an empty train or
 *         test set, stratify without shuffle, a class with a single member,
 *         fewer test or train samples than classes), NN_ESHAPE (y's or
 *         stratify's length is not X->cols) or NN_ENOMEM.
 */
NN_EXPORT int nn_train_test_split(nn_matrix *train_x, nn_matrix *test_x, nn_labels *train_y,
				  nn_labels *test_y, const nn_matrix *X, const nn_labels *y,
				  const nn_split_options *opt, nn_rng *rng);

/**
 * The train and test indices nn_train_test_split() uses, in its order.
 * @param train_idx out: n_train indices, allocated with malloc(); free() them.
 * @param n_train   out: the train set size.
 * @param test_idx  out: n_test indices, allocated with malloc(); free() them.
 * @param n_test    out: the test set size.
 * @param n_samples number of samples.
 * @param opt       the options; NULL means nn_split_defaults().
 * @param rng       the generator; may be NULL without shuffling.
 * @return 0, NN_ENULL, NN_EINVAL (n_samples = 0, sizes out of range, as
 *         nn_train_test_split()), NN_ESHAPE, NN_ESIZE or NN_ENOMEM.
 */
NN_EXPORT int nn_split_indices(size_t **train_idx, size_t *n_train, size_t **test_idx,
			       size_t *n_test, size_t n_samples, const nn_split_options *opt,
			       nn_rng *rng);

/**
 * Shuffle the samples (columns) of X and, in step, y in place, like
 * `X, y = sklearn.utils.shuffle(X, y, random_state=rng)`.
 * @param X the samples; may be NULL when y is not.
 * @param y their labels; may be NULL.
 * @param rng the generator: one permutation of the samples.
 * @return 0, NN_ENULL (rng, or both X and y NULL), NN_ESHAPE (lengths
 *         differ) or NN_ENOMEM.
 */
NN_EXPORT int nn_shuffle(nn_matrix *X, nn_labels *y, nn_rng *rng);

#ifdef __cplusplus
}
#endif

#endif /* NN_DATASETS_H */
