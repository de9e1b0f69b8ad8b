/*
 * scikit-learn 1.2's make_classification, with its helpers
 * _generate_hypercube and sample_without_replacement, drawing from an
 * nn_rng in numpy's order (see doc/datasets.md).
 *
 * Our X (n_features x n_samples, column-major, ld = n_features) has the
 * memory layout of scikit-learn's C-order X (n_samples x n_features): in
 * the comments below "row s" is sample s, i.e. our column s.
 */
#include <cblas.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nn/datasets.h"
#include "datasets_internal.h"
#include "nn_internal.h"

NN_EXPORT nn_classification_options nn_classification_defaults(void)
{
	return (nn_classification_options){
		.n_samples = 100,
		.n_features = 20,
		.n_informative = 2,
		.n_redundant = 2,
		.n_repeated = 0,
		.n_classes = 2,
		.n_clusters_per_class = 2,
		.weights = NULL,
		.n_weights = 0,
		.flip_y = 0.01,
		.class_sep = 1.0,
		.hypercube = 1,
		.shift = 0.0,
		.shifts = NULL,
		.random_shift = 0,
		.scale = 1.0,
		.scales = NULL,
		.random_scale = 0,
		.shuffle = 1,
	};
}

/* ---- sample_without_replacement ----------------------------------------- */

/* A set of integers in [0, 2^63), open addressing; holds up to cap / 2. */
struct int_set {
	uint64_t *slot; /* value + 1; 0 is an empty slot */
	size_t mask;
};

static int set_init(struct int_set *s, size_t n)
{
	size_t cap = 16;
	while (cap / 2 < n) {
		if (cap > SIZE_MAX / 2 / sizeof(uint64_t))
			return NN_ESIZE;
		cap *= 2;
	}
	s->slot = calloc(cap, sizeof(uint64_t));
	s->mask = cap - 1;
	return s->slot ? 0 : NN_ENOMEM;
}

/* Add v; 1 when it was new, 0 when already present. */
static int set_add(struct int_set *s, uint64_t v)
{
	size_t i = (size_t)((v * 0x9e3779b97f4a7c15u) >> 17) & s->mask;
	while (s->slot[i]) {
		if (s->slot[i] == v + 1)
			return 0;
		i = (i + 1) & s->mask;
	}
	s->slot[i] = v + 1;
	return 1;
}

/*
 * out[0..k) = sample_without_replacement(n_pop, k, random_state=rng),
 * method "auto": with ratio = k / n_pop, permutation(n_pop)[:k] when
 * 0.01 < ratio < 0.99; else for ratio < 0.2 tracking selection (redraw
 * randint(n_pop) until new); else reservoir sampling (out = 0..k-1, then
 * for i = k..n_pop-1, j = randint(0, i + 1) replaces out[j] by i if j < k).
 */
static int sample_without_replacement(uint64_t *out, uint64_t n_pop, size_t k, nn_rng *rng)
{
	double ratio = n_pop != 0 ? (double)k / (double)n_pop : 1.0;
	if (ratio > 0.01 && ratio < 0.99) {
		/* n_pop < 100 k here, so it fits a size_t */
		size_t *perm = malloc((size_t)n_pop * sizeof(*perm));
		if (!perm)
			return NN_ENOMEM;
		nn_rng_permutation(rng, perm, (size_t)n_pop);
		for (size_t i = 0; i < k; i++)
			out[i] = perm[i];
		free(perm);
		return 0;
	}
	if (ratio < 0.2) {
		struct int_set seen;
		int err = set_init(&seen, k);
		if (err)
			return err;
		for (size_t i = 0; i < k; i++) {
			uint64_t j;
			do
				j = nn_rng_interval(rng, n_pop - 1);
			while (!set_add(&seen, j));
			out[i] = j;
		}
		free(seen.slot);
		return 0;
	}
	for (size_t i = 0; i < k; i++)
		out[i] = i;
	for (uint64_t i = k; i < n_pop; i++) {
		uint64_t j = nn_rng_interval(rng, i);
		if (j < k)
			out[j] = i;
	}
	return 0;
}

/*
 * _generate_hypercube(samples, dims, rng) into c (samples rows, row stride
 * ld): distinct vertices of {0,1}^dims. For dims > 30 the first dims - 30
 * columns are randint(2, size=(samples, dims - 30)), drawn first, and the
 * last 30 come from the 30-dimensional cube. Column j of a vertex v is bit
 * dims - 1 - j of v (numpy's unpackbits of the big-endian value).
 */
static int hypercube(double *c, size_t ld, size_t samples, size_t dims, nn_rng *rng)
{
	if (dims > 30) {
		for (size_t s = 0; s < samples; s++)
			for (size_t j = 0; j < dims - 30; j++)
				c[s * ld + j] = (double)nn_rng_interval(rng, 1);
		return hypercube(c + (dims - 30), ld, samples, 30, rng);
	}
	uint64_t *v = malloc(samples * sizeof(*v));
	if (!v)
		return NN_ENOMEM;
	int err = sample_without_replacement(v, (uint64_t)1 << dims, samples, rng);
	if (!err)
		for (size_t s = 0; s < samples; s++)
			for (size_t j = 0; j < dims; j++)
				c[s * ld + j] = (double)((v[s] >> (dims - 1 - j)) & 1u);
	free(v);
	return err;
}

/* ---- np.dot, as numpy 1.24 computes it ---------------------------------- */

/*
 * out (m x c, C order) = X (m x d, C order with row stride ldx) . B (d x c,
 * C order), for d >= 1. np.dot picks a BLAS routine by the operands'
 * shapes (numpy's cblas_matrixproduct); calling the same routine on the
 * same numbers gives the same rounding, so this mirrors its choice:
 *   d == 1                     one product per element (numpy's scalar paths)
 *   one row, B one column      ddot
 *   one row, B a matrix        gemv, B transposed
 *   a matrix, B one column     gemv
 *   both matrices              gemm
 * Row-major A (m x d) is column-major A^T, so numpy's row-major calls are
 * written below as the column-major calls cblas makes of them.
 * xc is scratch of m * d doubles: numpy copies a strided X to contiguous
 * memory before gemv and gemm.
 */
static void np_dot(double *out, const double *X, size_t ldx, size_t m, const double *B, size_t d,
		   size_t c, double *xc)
{
	if (m == 0 || c == 0)
		return;
	if (d == 1) {
		for (size_t i = 0; i < m; i++)
			for (size_t j = 0; j < c; j++)
				out[i * c + j] = X[i * ldx] * B[j];
		return;
	}
	if (m == 1) {
		if (c == 1) {
			/* out = 0 + x . b */
			out[0] = 0.0 + cblas_ddot((int)d, X, 1, B, 1);
		} else {
			/* out^T = B^T x: row-major B is column-major B^T (c x d, ld c) */
			cblas_dgemv(CblasColMajor, CblasNoTrans, (int)c, (int)d, 1.0, B, (int)c, X, 1,
				    0.0, out, 1);
		}
		return;
	}
	for (size_t i = 0; i < m; i++)
		memcpy(xc + i * d, X + i * ldx, d * sizeof(double));
	if (c == 1) {
		/* out = X b: row-major X is column-major X^T (d x m, ld d) */
		cblas_dgemv(CblasColMajor, CblasTrans, (int)d, (int)m, 1.0, xc, (int)d, B, 1, 0.0,
			    out, 1);
	} else {
		/* out^T (c x m) = B^T (c x d, ld c) X^T (d x m, ld d) */
		cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)c, (int)m, (int)d, 1.0, B,
			    (int)c, xc, (int)d, 0.0, out, (int)c);
	}
}

/* ---- make_classification ------------------------------------------------ */

/* Check the sizes and numbers of the options. */
static int classification_check(const nn_classification_options *o)
{
	size_t F = o->n_features, d = o->n_informative, C = o->n_classes;
	size_t K = o->n_clusters_per_class;
	if (o->n_samples == 0 || F == 0 || d == 0 || C == 0 || K == 0)
		return nn__errorf(NN_EINVAL, "%s is 0", o->n_samples == 0 ? "n_samples"
				  : F == 0 ? "n_features" : d == 0 ? "n_informative"
				  : C == 0 ? "n_classes" : "n_clusters_per_class");
	/* n_informative + n_redundant + n_repeated <= n_features */
	if (o->n_redundant > F || o->n_repeated > F - o->n_redundant ||
	    d > F - o->n_redundant - o->n_repeated)
		return nn__errorf(NN_EINVAL, "n_informative %zu + n_redundant %zu + n_repeated %zu "
				  "are more than n_features %zu", d, o->n_redundant, o->n_repeated,
				  F);
	if (C > SIZE_MAX / K || C * K > INT_MAX)
		return NN_ESIZE;
	/* n_classes * n_clusters_per_class <= 2^n_informative */
	if (d < 31 && C * K > ((size_t)1 << d))
		return nn__errorf(NN_EINVAL, "n_classes %zu x n_clusters_per_class %zu are more "
				  "than 2^n_informative = %zu", C, K, (size_t)1 << d);
	if (o->n_samples > INT_MAX || F > INT_MAX || F > SIZE_MAX / sizeof(double) / o->n_samples)
		return NN_ESIZE;
	if (!nn__finite(o->class_sep) || isnan(o->flip_y) || !nn__finite(o->shift) ||
	    !nn__finite(o->scale))
		return nn__errorf(NN_EINVAL, "class_sep %g, flip_y %g, shift %g, scale %g: each "
				  "must be finite (flip_y not NaN)", o->class_sep, o->flip_y,
				  o->shift, o->scale);
	for (size_t j = 0; j < F; j++)
		if ((o->shifts && !nn__finite(o->shifts[j])) || (o->scales && !nn__finite(o->scales[j])))
			return nn__errorf(NN_EINVAL, "the shift or scale of feature %zu is NaN or Inf",
					  j);
	if (o->weights) {
		if (o->n_weights != C && o->n_weights + 1 != C)
			return nn__errorf(NN_EINVAL, "%zu weights for %zu classes: give n_classes "
					  "weights or one fewer", o->n_weights, C);
		for (size_t k = 0; k < o->n_weights; k++)
			if (!(o->weights[k] >= 0.0 && o->weights[k] <= 1.0))
				return nn__errorf(NN_EINVAL, "weights[%zu] is %g; it must be in "
						  "[0, 1]", k, o->weights[k]);
	}
	return 0;
}

/* The class weights: as given, the last of a short list being 1 - the sum
 * of the others (summed left to right, as Python's sum() does), or
 * 1 / n_classes each. */
static int class_weights(double *w, const nn_classification_options *o)
{
	size_t C = o->n_classes;
	if (!o->weights) {
		for (size_t k = 0; k < C; k++)
			w[k] = 1.0 / (double)C;
		return 0;
	}
	double sum = 0.0;
	for (size_t k = 0; k < o->n_weights; k++) {
		w[k] = o->weights[k];
		sum += w[k];
	}
	if (o->n_weights + 1 == C) {
		w[C - 1] = 1.0 - sum;
		if (w[C - 1] < 0.0)
			return nn__errorf(NN_EINVAL, "the %zu weights sum to %g, more than 1: the "
					  "last class would weigh %g", o->n_weights, sum, w[C - 1]);
	}
	return 0;
}

/* Scratch of one call. */
struct cls_work {
	double *w;         /* n_classes class weights */
	size_t *count;     /* samples per cluster */
	double *centroids; /* n_clusters x d, C order */
	double *A;         /* d x max(d, r) random matrix */
	double *prod;      /* n x max(d, r) product */
	double *xc;        /* n x d contiguous copy for np_dot */
	double *shift;     /* n_features */
	double *row;       /* n_features */
	size_t *idx;       /* max(n_features, n_repeated) */
	unsigned char *flip; /* n_samples */
};

static void cls_work_free(struct cls_work *t)
{
	free(t->w);
	free(t->count);
	free(t->centroids);
	free(t->A);
	free(t->prod);
	free(t->xc);
	free(t->shift);
	free(t->row);
	free(t->idx);
	free(t->flip);
}

static int cls_work_new(struct cls_work *t, const nn_classification_options *o)
{
	size_t n = o->n_samples, F = o->n_features, d = o->n_informative, r = o->n_redundant;
	size_t wide = d > r ? d : r, nc = o->n_classes * o->n_clusters_per_class;
	*t = (struct cls_work){ 0 };
	/* n * wide and nc * d fit: both are at most the size of X or of the cube */
	if (wide > SIZE_MAX / sizeof(double) / n || d > SIZE_MAX / sizeof(double) / nc)
		return NN_ESIZE;
	t->w = malloc(o->n_classes * sizeof(double));
	t->count = calloc(nc, sizeof(size_t));
	t->centroids = malloc(nc * d * sizeof(double));
	t->A = malloc(d * wide * sizeof(double));
	t->prod = malloc(n * wide * sizeof(double));
	t->xc = malloc(n * d * sizeof(double));
	t->shift = malloc(F * sizeof(double));
	t->row = malloc(F * sizeof(double));
	t->idx = malloc((F > o->n_repeated ? F : o->n_repeated) * sizeof(size_t));
	t->flip = malloc(n);
	if (!t->w || !t->count || !t->centroids || !t->A || !t->prod || !t->xc || !t->shift ||
	    !t->row || !t->idx || !t->flip) {
		cls_work_free(t);
		return NN_ENOMEM;
	}
	return 0;
}

/* B (rows x cols, C order) = 2 * uniform(size=(rows, cols)) - 1 */
static void uniform_pm1(double *B, size_t count, nn_rng *rng)
{
	for (size_t i = 0; i < count; i++)
		B[i] = 2.0 * nn_rng_random(rng) - 1.0;
}

/* Informative features: clusters around the polytope's vertices. */
static int informative(nn_matrix *X, nn_labels *y, const nn_classification_options *o,
		       struct cls_work *t, nn_rng *rng)
{
	size_t n = o->n_samples, F = o->n_features, d = o->n_informative, C = o->n_classes;
	size_t K = o->n_clusters_per_class, nc = C * K;
	double *x = X->data;

	/* int(n_samples * weight / n_clusters_per_class) per cluster, then one
	 * more for the first clusters in turn until the counts add up */
	size_t sum = 0;
	for (size_t k = 0; k < nc; k++) {
		t->count[k] = (size_t)((double)n * t->w[k % C] / (double)K);
		sum += t->count[k];
	}
	for (size_t i = 0; sum < n && i < n - sum; i++)
		t->count[i % nc]++;

	int err = hypercube(t->centroids, d, nc, d, rng);
	if (err)
		return err;
	for (size_t i = 0; i < nc * d; i++) {
		t->centroids[i] *= 2.0 * o->class_sep;
		t->centroids[i] -= o->class_sep;
	}
	if (!o->hypercube) {
		/* rows times uniform(size=(n_clusters, 1)), columns times uniform(size=(1, d)) */
		for (size_t k = 0; k < nc; k++) {
			double u = nn_rng_random(rng);
			for (size_t j = 0; j < d; j++)
				t->centroids[k * d + j] *= u;
		}
		for (size_t j = 0; j < d; j++) {
			double u = nn_rng_random(rng);
			for (size_t k = 0; k < nc; k++)
				t->centroids[k * d + j] *= u;
		}
	}

	/* X[:, :d] = standard_normal(size=(n, d)) */
	for (size_t s = 0; s < n; s++)
		for (size_t j = 0; j < d; j++)
			x[s * F + j] = nn_rng_gauss(rng);

	/* Cluster k: rows [start, stop) (clipped to n when weights overshoot),
	 * label k % n_classes, X_k = X_k . A + centroid_k with A drawn even for
	 * an empty cluster. */
	size_t stop = 0;
	for (size_t k = 0; k < nc; k++) {
		size_t start = stop < n ? stop : n;
		stop += t->count[k];
		size_t end = stop < n ? stop : n, m = end - start;
		for (size_t s = start; s < end; s++)
			y->data[s] = (int)(k % C);
		uniform_pm1(t->A, d * d, rng);
		np_dot(t->prod, x + start * F, F, m, t->A, d, d, t->xc);
		for (size_t i = 0; i < m; i++)
			for (size_t j = 0; j < d; j++)
				x[(start + i) * F + j] = t->prod[i * d + j] + t->centroids[k * d + j];
	}
	return 0;
}

/* Redundant, repeated and useless features, label noise, shift and scale. */
static void other_features(nn_matrix *X, nn_labels *y, const nn_classification_options *o,
			   struct cls_work *t, nn_rng *rng)
{
	size_t n = o->n_samples, F = o->n_features, d = o->n_informative, r = o->n_redundant;
	size_t p = o->n_repeated, useless = F - d - r - p;
	double *x = X->data;

	if (r > 0) {
		/* X[:, d:d+r] = X[:, :d] . B, B = 2 * uniform(size=(d, r)) - 1 */
		uniform_pm1(t->A, d * r, rng);
		np_dot(t->prod, x, F, n, t->A, d, r, t->xc);
		for (size_t s = 0; s < n; s++)
			for (size_t q = 0; q < r; q++)
				x[s * F + d + q] = t->prod[s * r + q];
	}
	if (p > 0) {
		/* indices = ((d + r - 1) * uniform(size=p) + 0.5).astype(intp) */
		for (size_t q = 0; q < p; q++)
			t->idx[q] = (size_t)((double)(d + r - 1) * nn_rng_random(rng) + 0.5);
		for (size_t s = 0; s < n; s++)
			for (size_t q = 0; q < p; q++)
				x[s * F + d + r + q] = x[s * F + t->idx[q]];
	}
	if (useless > 0)
		for (size_t s = 0; s < n; s++)
			for (size_t j = F - useless; j < F; j++)
				x[s * F + j] = nn_rng_gauss(rng);

	/* Replace the labels where uniform(size=n) < flip_y by
	 * randint(n_classes, size=count), in order; skipped for a negative flip_y. */
	if (o->flip_y >= 0.0) {
		for (size_t s = 0; s < n; s++)
			t->flip[s] = nn_rng_random(rng) < o->flip_y;
		for (size_t s = 0; s < n; s++)
			if (t->flip[s])
				y->data[s] = (int)nn_rng_interval(rng, o->n_classes - 1);
	}

	/* X += shift; X *= scale (per feature, or drawn: shift in
	 * [-class_sep, class_sep), scale in [1, 101)) */
	for (size_t j = 0; j < F; j++)
		t->shift[j] = o->random_shift ? (2.0 * nn_rng_random(rng) - 1.0) * o->class_sep
			      : o->shifts     ? o->shifts[j]
					      : o->shift;
	for (size_t s = 0; s < n; s++)
		for (size_t j = 0; j < F; j++)
			x[s * F + j] += t->shift[j];
	for (size_t j = 0; j < F; j++)
		t->shift[j] = o->random_scale ? 1.0 + 100.0 * nn_rng_random(rng)
			      : o->scales     ? o->scales[j]
					      : o->scale;
	for (size_t s = 0; s < n; s++)
		for (size_t j = 0; j < F; j++)
			x[s * F + j] *= t->shift[j];
}

NN_EXPORT int nn_make_classification(nn_matrix *X, nn_labels *y,
				     const nn_classification_options *opt, nn_rng *rng)
{
	nn__clear_error();
	if (!X || !y)
		return NN_ENULL;
	*X = (nn_matrix){ 0 };
	*y = (nn_labels){ 0 };
	if (!rng)
		return NN_ENULL;
	const nn_classification_options o = opt ? *opt : nn_classification_defaults();
	struct cls_work t;
	int err = classification_check(&o);
	if (err)
		return err;
	err = cls_work_new(&t, &o);
	if (err)
		return err;
	err = class_weights(t.w, &o);
	if (err)
		goto out;
	err = nn__dataset_new(X, y, o.n_features, o.n_samples);
	if (err)
		goto out;
	err = informative(X, y, &o, &t, rng);
	if (err)
		goto out;
	other_features(X, y, &o, &t, rng);
	if (o.shuffle) {
		/* the samples, then the features: X[:, :] = X[:, shuffled arange(F)] */
		err = nn__shuffle_samples(X, y, o.n_samples, rng);
		if (err)
			goto out;
		size_t F = o.n_features;
		nn_rng_permutation(rng, t.idx, F);
		for (size_t s = 0; s < o.n_samples; s++) {
			double *col = X->data + s * F;
			memcpy(t.row, col, F * sizeof(double));
			for (size_t j = 0; j < F; j++)
				col[j] = t.row[t.idx[j]];
		}
	}
out:
	cls_work_free(&t);
	if (err)
		nn__dataset_free(X, y);
	return err;
}
