/*
 * scikit-learn 1.2's make_blobs, make_circles, make_moons and
 * sklearn.utils.shuffle, drawing from an nn_rng in the order numpy's
 * RandomState is drawn from (see doc/datasets.md).
 *
 * Layout: numpy's X is n_samples x n_features in C order, that is sample
 * after sample; our X is n_features x n_samples column-major with
 * ld = n_features: the very same memory. "Drawn in C order" below therefore
 * means: sample by sample, the features of a sample in turn.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nn/datasets.h"
#include "datasets_internal.h"
#include "nn_internal.h"

/* numpy's 2 * np.pi and np.pi: the double nearest pi, times two exactly. */
static const double PI = 3.141592653589793115997963468544185161590576171875;

int nn__finite(double x)
{
	return isfinite(x) ? 1 : 0;
}

int nn__dataset_new(nn_matrix *X, nn_labels *y, size_t rows, size_t n)
{
	int err = nn_matrix_new(X, rows, n);
	if (err)
		return err;
	err = nn_labels_new(y, n);
	if (err)
		nn_matrix_free(X);
	return err;
}

void nn__dataset_free(nn_matrix *X, nn_labels *y)
{
	nn_matrix_free(X);
	nn_labels_free(y);
}

int nn__take_samples(nn_matrix *X, nn_labels *y, const size_t *perm, size_t n)
{
	/* Gather into scratch, then copy back: X and y keep their buffers, so a
	 * view of caller memory is permuted where it lies. */
	double *xd = NULL;
	int *yd = NULL;
	if (X) {
		/* X->rows * n cannot overflow: X already holds that many doubles. */
		xd = malloc(X->rows * n * sizeof(double));
		if (!xd)
			return NN_ENOMEM;
	}
	if (y) {
		yd = malloc(n * sizeof(int));
		if (!yd) {
			free(xd);
			return NN_ENOMEM;
		}
	}
	for (size_t j = 0; j < n; j++) {
		if (X)
			memcpy(xd + j * X->rows, X->data + perm[j] * X->ld, X->rows * sizeof(double));
		if (y)
			yd[j] = y->data[perm[j]];
	}
	if (X)
		for (size_t j = 0; j < n; j++)
			memcpy(X->data + j * X->ld, xd + j * X->rows, X->rows * sizeof(double));
	if (y)
		memcpy(y->data, yd, n * sizeof(int));
	free(xd);
	free(yd);
	return 0;
}

int nn__shuffle_samples(nn_matrix *X, nn_labels *y, size_t n, nn_rng *rng)
{
	size_t *perm = malloc((n ? n : 1) * sizeof(*perm));
	if (!perm)
		return NN_ENOMEM;
	nn_rng_permutation(rng, perm, n);
	int err = nn__take_samples(X, y, perm, n);
	free(perm);
	return err;
}

NN_EXPORT int nn_shuffle(nn_matrix *X, nn_labels *y, nn_rng *rng)
{
	nn__clear_error();
	if (!rng || (!X && !y))
		return NN_ENULL;
	size_t n;
	if (X) {
		int err = nn__matrix_valid(X);
		if (err)
			return err;
		n = X->cols;
		if (y && y->n != n)
			return nn__errorf(NN_ESHAPE, "X has %zu samples, y has %zu labels", n, y->n);
	} else {
		n = y->n;
	}
	if (n == 0)
		return 0;
	if (y && !y->data)
		return NN_ENULL;
	return nn__shuffle_samples(X, y, n, rng);
}

/* ---- make_blobs --------------------------------------------------------- */

NN_EXPORT nn_blobs_options nn_blobs_defaults(void)
{
	return (nn_blobs_options){
		.n_samples = 100,
		.samples_per_center = NULL,
		.n_features = 2,
		.n_centers = 3,
		.centers = NULL,
		.cluster_std = 1.0,
		.cluster_stds = NULL,
		.center_box = { -10.0, 10.0 },
		.shuffle = 1,
	};
}

/* Check a blobs request; set the number of centres, features and samples. */
static int blobs_check(const nn_blobs_options *o, size_t *n_centers, size_t *n_features,
		       size_t *n_samples)
{
	size_t nc = o->n_centers, nf = o->n_features;
	if (o->centers) {
		const nn_matrix *c = o->centers;
		if (!c->data)
			return NN_ENULL;
		if (c->rows == 0 || c->cols == 0 || c->ld < c->rows)
			return nn__errorf(NN_EINVAL, "centers is %zu x %zu with ld %zu: it needs a "
					  "feature and a centre, and ld >= rows", c->rows, c->cols,
					  c->ld);
		for (size_t k = 0; k < c->cols; k++)
			for (size_t j = 0; j < c->rows; j++)
				if (!nn__finite(NN_AT(c, j, k)))
					return nn__errorf(NN_EINVAL, "centre %zu holds NaN or Inf "
							  "(feature %zu)", k, j);
		nc = c->cols;
		nf = c->rows;
	} else {
		/* legacy uniform() refuses a non-finite high - low */
		if (!nn__finite(o->center_box[1] - o->center_box[0]))
			return nn__errorf(NN_EINVAL, "center_box (%g, %g) is not a finite range",
					  o->center_box[0], o->center_box[1]);
	}
	if (nc == 0 || nf == 0)
		return nn__errorf(NN_EINVAL, "%s is 0", nc == 0 ? "n_centers" : "n_features");
	size_t n = 0;
	if (o->samples_per_center) {
		for (size_t k = 0; k < nc; k++) {
			if (o->samples_per_center[k] > SIZE_MAX - n)
				return NN_ESIZE;
			n += o->samples_per_center[k];
		}
	} else {
		n = o->n_samples;
	}
	if (n == 0)
		return nn__errorf(NN_EINVAL, "n_samples is 0");
	/* legacy normal() refuses scale < 0 */
	if (o->cluster_stds) {
		for (size_t k = 0; k < nc; k++)
			if (!(o->cluster_stds[k] >= 0.0) || !nn__finite(o->cluster_stds[k]))
				return nn__errorf(NN_EINVAL, "cluster_stds[%zu] is %g; it must be "
						  "finite and >= 0", k, o->cluster_stds[k]);
	} else if (!(o->cluster_std >= 0.0) || !nn__finite(o->cluster_std)) {
		return nn__errorf(NN_EINVAL, "cluster_std is %g; it must be finite and >= 0",
				  o->cluster_std);
	}
	if (nf > SIZE_MAX / sizeof(double) / n || nf > SIZE_MAX / sizeof(double) / nc)
		return NN_ESIZE;
	*n_centers = nc;
	*n_features = nf;
	*n_samples = n;
	return 0;
}

NN_EXPORT int nn_make_blobs(nn_matrix *X, nn_labels *y, const nn_blobs_options *opt, nn_rng *rng)
{
	nn__clear_error();
	if (!X || !y)
		return NN_ENULL;
	*X = (nn_matrix){ 0 };
	*y = (nn_labels){ 0 };
	if (!rng)
		return NN_ENULL;
	const nn_blobs_options o = opt ? *opt : nn_blobs_defaults();
	size_t nc = 0, nf = 0, n = 0;
	double *centers = NULL;
	int err = blobs_check(&o, &nc, &nf, &n);
	if (err)
		return err;
	err = nn__dataset_new(X, y, nf, n);
	if (err)
		return err;
	centers = malloc(nc * nf * sizeof(double));
	if (!centers) {
		err = NN_ENOMEM;
		goto out;
	}
	/* centers[k * nf + j]: uniform(lo, hi, size=(n_centers, n_features)), C order */
	for (size_t k = 0; k < nc; k++)
		for (size_t j = 0; j < nf; j++)
			centers[k * nf + j] = o.centers
				? NN_AT(o.centers, j, k)
				: nn_rng_uniform(rng, o.center_box[0], o.center_box[1]);

	/* Cluster k: its samples in one block, normal(loc=centers[k], scale=std_k,
	 * size=(n_k, n_features)) drawn in C order. Without samples_per_center the
	 * first n % n_centers clusters hold one sample more. */
	size_t s = 0;
	for (size_t k = 0; k < nc; k++) {
		size_t nk = o.samples_per_center ? o.samples_per_center[k]
						 : o.n_samples / nc + (k < o.n_samples % nc ? 1 : 0);
		double std = o.cluster_stds ? o.cluster_stds[k] : o.cluster_std;
		for (size_t i = 0; i < nk; i++, s++) {
			for (size_t j = 0; j < nf; j++)
				NN_AT(X, j, s) = nn_rng_normal(rng, centers[k * nf + j], std);
			y->data[s] = (int)k;
		}
	}
	if (o.shuffle)
		err = nn__shuffle_samples(X, y, n, rng);
out:
	free(centers);
	if (err)
		nn__dataset_free(X, y);
	return err;
}

/* ---- make_circles and make_moons ---------------------------------------- */

/*
 * t_i of np.linspace(0, stop, num, endpoint): i * (stop / div) with
 * div = num - 1 (endpoint) or num, the last point set to stop exactly when
 * endpoint and num > 1; a single point with endpoint is 0.
 */
static double linspace_at(size_t i, size_t num, double stop, int endpoint)
{
	size_t div = endpoint ? num - 1 : num;
	if (div == 0)
		return 0.0 * stop;
	if (endpoint && num > 1 && i == num - 1)
		return stop;
	return (double)i * (stop / (double)div) + 0.0;
}

/* Sample counts of the two halves: n / 2 and the rest, or the given pair. */
static int halves(size_t *n_out, size_t *n_in, size_t n, size_t pair_out, size_t pair_in)
{
	if (pair_out || pair_in) {
		if (pair_out > SIZE_MAX - pair_in)
			return NN_ESIZE;
		*n_out = pair_out;
		*n_in = pair_in;
	} else {
		*n_out = n / 2;
		*n_in = n - n / 2;
	}
	if (*n_out + *n_in == 0)
		return nn__errorf(NN_EINVAL, "n_samples is 0");
	if (*n_out + *n_in > SIZE_MAX / (2 * sizeof(double)))
		return NN_ESIZE;
	return 0;
}

/* X += normal(scale=noise, size=X.shape), drawn in C order. */
static void add_noise(nn_matrix *X, double noise, nn_rng *rng)
{
	for (size_t s = 0; s < X->cols; s++)
		for (size_t j = 0; j < X->rows; j++)
			NN_AT(X, j, s) += nn_rng_normal(rng, 0.0, noise);
}

/* The shared tail of circles and moons: shuffle, then noise. */
static int shuffle_then_noise(nn_matrix *X, nn_labels *y, int shuffle, int has_noise,
			      double noise, nn_rng *rng)
{
	if (shuffle) {
		int err = nn__shuffle_samples(X, y, X->cols, rng);
		if (err)
			return err;
	}
	if (has_noise)
		add_noise(X, noise, rng);
	return 0;
}

NN_EXPORT nn_circles_options nn_circles_defaults(void)
{
	return (nn_circles_options){
		.n_samples = 100, .n_outer = 0, .n_inner = 0, .shuffle = 1,
		.has_noise = 0, .noise = 0.0, .factor = 0.8,
	};
}

NN_EXPORT int nn_make_circles(nn_matrix *X, nn_labels *y, const nn_circles_options *opt,
			      nn_rng *rng)
{
	nn__clear_error();
	if (!X || !y)
		return NN_ENULL;
	*X = (nn_matrix){ 0 };
	*y = (nn_labels){ 0 };
	if (!rng)
		return NN_ENULL;
	const nn_circles_options o = opt ? *opt : nn_circles_defaults();
	if (!(o.factor >= 0.0 && o.factor < 1.0))
		return nn__errorf(NN_EINVAL, "factor is %g; it must be in [0, 1)", o.factor);
	if (o.has_noise && !(o.noise >= 0.0 && nn__finite(o.noise)))
		return nn__errorf(NN_EINVAL, "noise is %g; it must be finite and >= 0", o.noise);
	size_t n_out, n_in;
	int err = halves(&n_out, &n_in, o.n_samples, o.n_outer, o.n_inner);
	if (err)
		return err;
	err = nn__dataset_new(X, y, 2, n_out + n_in);
	if (err)
		return err;
	/* outer: (cos t, sin t); inner: (cos t * factor, sin t * factor), with t
	 * in linspace(0, 2 pi, n, endpoint=False) */
	for (size_t i = 0; i < n_out; i++) {
		double t = linspace_at(i, n_out, 2.0 * PI, 0);
		NN_AT(X, 0, i) = cos(t);
		NN_AT(X, 1, i) = sin(t);
		y->data[i] = 0;
	}
	for (size_t i = 0; i < n_in; i++) {
		double t = linspace_at(i, n_in, 2.0 * PI, 0);
		NN_AT(X, 0, n_out + i) = cos(t) * o.factor;
		NN_AT(X, 1, n_out + i) = sin(t) * o.factor;
		y->data[n_out + i] = 1;
	}
	err = shuffle_then_noise(X, y, o.shuffle, o.has_noise, o.noise, rng);
	if (err)
		nn__dataset_free(X, y);
	return err;
}

NN_EXPORT nn_moons_options nn_moons_defaults(void)
{
	return (nn_moons_options){
		.n_samples = 100, .n_outer = 0, .n_inner = 0, .shuffle = 1,
		.has_noise = 0, .noise = 0.0,
	};
}

NN_EXPORT int nn_make_moons(nn_matrix *X, nn_labels *y, const nn_moons_options *opt, nn_rng *rng)
{
	nn__clear_error();
	if (!X || !y)
		return NN_ENULL;
	*X = (nn_matrix){ 0 };
	*y = (nn_labels){ 0 };
	if (!rng)
		return NN_ENULL;
	const nn_moons_options o = opt ? *opt : nn_moons_defaults();
	if (o.has_noise && !(o.noise >= 0.0 && nn__finite(o.noise)))
		return nn__errorf(NN_EINVAL, "noise is %g; it must be finite and >= 0", o.noise);
	size_t n_out, n_in;
	int err = halves(&n_out, &n_in, o.n_samples, o.n_outer, o.n_inner);
	if (err)
		return err;
	err = nn__dataset_new(X, y, 2, n_out + n_in);
	if (err)
		return err;
	/* upper: (cos t, sin t); lower: (1 - cos t, 1 - sin t - 0.5), with t in
	 * linspace(0, pi, n) (endpoint included) */
	for (size_t i = 0; i < n_out; i++) {
		double t = linspace_at(i, n_out, PI, 1);
		NN_AT(X, 0, i) = cos(t);
		NN_AT(X, 1, i) = sin(t);
		y->data[i] = 0;
	}
	for (size_t i = 0; i < n_in; i++) {
		double t = linspace_at(i, n_in, PI, 1);
		NN_AT(X, 0, n_out + i) = 1.0 - cos(t);
		NN_AT(X, 1, n_out + i) = 1.0 - sin(t) - 0.5;
		y->data[n_out + i] = 1;
	}
	err = shuffle_then_noise(X, y, o.shuffle, o.has_noise, o.noise, rng);
	if (err)
		nn__dataset_free(X, y);
	return err;
}
