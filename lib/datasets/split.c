/*
 * scikit-learn 1.2's train_test_split: the sizes of _validate_shuffle_split,
 * then ShuffleSplit (one permutation) or StratifiedShuffleSplit (classes
 * split by _approximate_mode, each class permuted, then both sets
 * permuted), drawing from an nn_rng in numpy's order.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn/datasets.h"
#include "datasets_internal.h"
#include "nn_internal.h"

NN_EXPORT nn_split_options nn_split_defaults(void)
{
	return (nn_split_options){
		.test_size = 0.0, .test_count = 0, .train_size = 0.0, .train_count = 0,
		.shuffle = 1, .stratify = NULL,
	};
}

/* What a split was asked for, for a message: "test_size 0.5", "train_count 3 and ...". */
static void split_given(char *buf, size_t len, const nn_split_options *o, double test_frac)
{
	int k = 0;
	if (o->test_count)
		k = snprintf(buf, len, "test_count %zu", o->test_count);
	else if (o->test_size != 0.0 || (!o->train_count && o->train_size == 0.0))
		k = snprintf(buf, len, "test_size %g", test_frac);
	if (k > 0 && (size_t)k < len && (o->train_count || o->train_size != 0.0))
		k += snprintf(buf + k, len - (size_t)k, " and ");
	if (k >= 0 && (size_t)k < len && o->train_count)
		snprintf(buf + k, len - (size_t)k, "train_count %zu", o->train_count);
	else if (k >= 0 && (size_t)k < len && o->train_size != 0.0)
		snprintf(buf + k, len - (size_t)k, "train_size %g", o->train_size);
}

/*
 * _validate_shuffle_split(n, test_size, train_size, default_test_size=0.25):
 * a fraction must lie in (0, 1) (the test one rounded up, the train one
 * down), a count in [1, n); an unset size is the complement of the other.
 */
static int split_sizes(size_t *n_train, size_t *n_test, size_t n, const nn_split_options *o)
{
	int test_set = o->test_count != 0 || o->test_size != 0.0;
	int train_set = o->train_count != 0 || o->train_size != 0.0;
	double test_frac = o->test_size;
	if (!test_set && !train_set) {
		test_frac = 0.25;
		test_set = 1;
	}
	if (o->test_count && o->test_count >= n)
		return nn__errorf(NN_EINVAL, "test_count %zu is not below the %zu samples",
				  o->test_count, n);
	if (!o->test_count && test_set && !(test_frac > 0.0 && test_frac < 1.0))
		return nn__errorf(NN_EINVAL, "test_size %g is not in (0, 1)", test_frac);
	if (o->train_count && o->train_count >= n)
		return nn__errorf(NN_EINVAL, "train_count %zu is not below the %zu samples",
				  o->train_count, n);
	if (!o->train_count && train_set && !(o->train_size > 0.0 && o->train_size < 1.0))
		return nn__errorf(NN_EINVAL, "train_size %g is not in (0, 1)", o->train_size);
	if (test_set && train_set && !o->test_count && !o->train_count &&
	    o->train_size + test_frac > 1.0)
		return nn__errorf(NN_EINVAL, "train_size %g and test_size %g add up to more than 1",
				  o->train_size, test_frac);
	size_t nte = 0, ntr = 0;
	if (test_set)
		nte = o->test_count ? o->test_count : (size_t)ceil(test_frac * (double)n);
	if (train_set)
		ntr = o->train_count ? o->train_count : (size_t)floor(o->train_size * (double)n);
	if (!train_set)
		ntr = n - nte;
	else if (!test_set)
		nte = n - ntr;
	if (ntr == 0 || nte == 0 || ntr > n || nte > n - ntr) {
		char given[96];
		split_given(given, sizeof(given), o, test_frac);
		if (ntr == 0 || nte == 0)
			return nn__errorf(NN_EINVAL, "%s of %zu sample%s leaves no %s sample", given, n,
					  n == 1 ? "" : "s", ntr == 0 ? "training" : "test");
		return nn__errorf(NN_EINVAL, "%s: %zu training and %zu test samples are more than "
				  "the %zu samples", given, ntr, nte, n);
	}
	*n_train = ntr;
	*n_test = nte;
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int cmp_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x < y) - (x > y);
}

/*
 * out[i] = _approximate_mode(counts, n_draws, rng)[i]: floor(counts[i] /
 * total * n_draws), then one more for the classes of the largest
 * remainders, ties broken by rng.choice(ties, size, replace=False), that
 * is permutation(len(ties))[:size]. rem and vals are scratch of nc doubles.
 */
static int approximate_mode(size_t *out, const size_t *counts, size_t nc, size_t n_draws,
			    nn_rng *rng, double *rem, double *vals, size_t *ties, size_t *perm)
{
	size_t total = 0, floored = 0;
	for (size_t i = 0; i < nc; i++)
		total += counts[i];
	for (size_t i = 0; i < nc; i++) {
		double c = (double)counts[i] / (double)total * (double)n_draws;
		out[i] = (size_t)floor(c);
		rem[i] = c - floor(c);
		floored += out[i];
	}
	if (floored >= n_draws)
		return 0;
	size_t need = n_draws - floored;
	memcpy(vals, rem, nc * sizeof(double));
	qsort(vals, nc, sizeof(double), cmp_desc);
	for (size_t v = 0; v < nc && need > 0; v++) {
		if (v > 0 && vals[v] == vals[v - 1])
			continue;
		size_t nt = 0;
		for (size_t i = 0; i < nc; i++)
			if (rem[i] == vals[v])
				ties[nt++] = i;
		size_t add = nt < need ? nt : need;
		nn_rng_permutation(rng, perm, nt);
		for (size_t k = 0; k < add; k++)
			out[ties[perm[k]]]++;
		need -= add;
	}
	return 0;
}

/* Scratch of a stratified split. */
struct strat_work {
	int *classes;    /* sorted distinct labels */
	size_t *cls;     /* class index of each sample */
	size_t *counts;  /* samples per class */
	size_t *members; /* sample indices grouped by class, ascending within a class */
	size_t *n_i, *t_i, *left;
	double *rem, *vals;
	size_t *ties, *perm;
};

static void strat_free(struct strat_work *w)
{
	free(w->classes);
	free(w->cls);
	free(w->counts);
	free(w->members);
	free(w->n_i);
	free(w->t_i);
	free(w->left);
	free(w->rem);
	free(w->vals);
	free(w->ties);
	free(w->perm);
}

/* Classes, counts and members of the labels; checks before any draw. */
static int strat_setup(struct strat_work *w, size_t *nc_out, const nn_labels *s, size_t n_train,
		       size_t n_test)
{
	size_t n = s->n, nc = 0;
	*w = (struct strat_work){ 0 };
	w->classes = malloc(n * sizeof(int));
	w->cls = malloc(n * sizeof(size_t));
	w->members = malloc(n * sizeof(size_t));
	if (!w->classes || !w->cls || !w->members)
		return NN_ENOMEM;
	memcpy(w->classes, s->data, n * sizeof(int));
	qsort(w->classes, n, sizeof(int), cmp_int);
	for (size_t i = 0; i < n; i++)
		if (nc == 0 || w->classes[i] != w->classes[nc - 1])
			w->classes[nc++] = w->classes[i];
	w->counts = calloc(nc, sizeof(size_t));
	w->n_i = malloc(nc * sizeof(size_t));
	w->t_i = malloc(nc * sizeof(size_t));
	w->left = malloc(nc * sizeof(size_t));
	w->rem = malloc(nc * sizeof(double));
	w->vals = malloc(nc * sizeof(double));
	w->ties = malloc(nc * sizeof(size_t));
	/* perm serves the ties (<= nc) and each class (<= n) */
	w->perm = malloc(n * sizeof(size_t));
	if (!w->counts || !w->n_i || !w->t_i || !w->left || !w->rem || !w->vals || !w->ties ||
	    !w->perm)
		return NN_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const int *c = bsearch(&s->data[i], w->classes, nc, sizeof(int), cmp_int);
		w->cls[i] = (size_t)(c - w->classes);
		w->counts[w->cls[i]]++;
	}
	for (size_t c = 0; c < nc; c++)
		if (w->counts[c] < 2)
			return nn__errorf(NN_EINVAL, "stratify: class %d has 1 sample; each class needs "
					  "at least 2", w->classes[c]);
	if (n_train < nc || n_test < nc)
		return nn__errorf(NN_EINVAL, "stratify: %zu training and %zu test samples cannot "
				  "hold each of the %zu classes", n_train, n_test, nc);
	/* members: a stable sort of the samples by class */
	size_t *start = w->left, off = 0;
	for (size_t c = 0; c < nc; c++) {
		start[c] = off;
		off += w->counts[c];
	}
	for (size_t i = 0; i < n; i++)
		w->members[start[w->cls[i]]++] = i;
	*nc_out = nc;
	return 0;
}

/*
 * StratifiedShuffleSplit: n_i = _approximate_mode(counts, n_train),
 * t_i = _approximate_mode(counts - n_i, n_test); per class, in label
 * order, permutation(count) of its members, the first n_i to train, the
 * next t_i to test; then train and test are each permuted.
 */
static int stratified(size_t *train, size_t *n_train, size_t *test, size_t *n_test,
		      const nn_labels *strat, nn_rng *rng)
{
	struct strat_work w;
	size_t nc = 0;
	int err = strat_setup(&w, &nc, strat, *n_train, *n_test);
	if (err)
		goto out;
	approximate_mode(w.n_i, w.counts, nc, *n_train, rng, w.rem, w.vals, w.ties, w.perm);
	for (size_t c = 0; c < nc; c++)
		w.left[c] = w.counts[c] - (w.n_i[c] < w.counts[c] ? w.n_i[c] : w.counts[c]);
	approximate_mode(w.t_i, w.left, nc, *n_test, rng, w.rem, w.vals, w.ties, w.perm);
	size_t ntr = 0, nte = 0, off = 0;
	for (size_t c = 0; c < nc; c++) {
		size_t cnt = w.counts[c];
		const size_t *m = w.members + off;
		nn_rng_permutation(rng, w.perm, cnt);
		/* numpy's slices [:n_i] and [n_i:n_i + t_i] stop at the class's end */
		size_t a = w.n_i[c] < cnt ? w.n_i[c] : cnt;
		size_t b = w.t_i[c] < cnt - a ? w.t_i[c] : cnt - a;
		for (size_t k = 0; k < a && ntr < *n_train; k++)
			train[ntr++] = m[w.perm[k]];
		for (size_t k = a; k < a + b && nte < *n_test; k++)
			test[nte++] = m[w.perm[k]];
		off += cnt;
	}
	nn_rng_shuffle(rng, train, ntr);
	nn_rng_shuffle(rng, test, nte);
	*n_train = ntr;
	*n_test = nte;
out:
	strat_free(&w);
	return err;
}

NN_EXPORT int nn_split_indices(size_t **train_idx, size_t *n_train, size_t **test_idx,
			       size_t *n_test, size_t n_samples, const nn_split_options *opt,
			       nn_rng *rng)
{
	nn__clear_error();
	if (!train_idx || !n_train || !test_idx || !n_test)
		return NN_ENULL;
	*train_idx = *test_idx = NULL;
	*n_train = *n_test = 0;
	const nn_split_options o = opt ? *opt : nn_split_defaults();
	if (o.shuffle && !rng)
		return NN_ENULL;
	if (n_samples == 0)
		return nn__errorf(NN_EINVAL, "n_samples is 0: there is nothing to split");
	if (n_samples > SIZE_MAX / sizeof(size_t))
		return NN_ESIZE;
	if (o.stratify) {
		if (!o.stratify->data)
			return NN_ENULL;
		if (o.stratify->n != n_samples)
			return NN_ESHAPE;
	}
	size_t ntr = 0, nte = 0;
	int err = split_sizes(&ntr, &nte, n_samples, &o);
	if (err)
		return err;
	if (o.stratify && !o.shuffle)
		return nn__errorf(NN_EINVAL, "stratify needs shuffle (scikit-learn's rule)");
	size_t *train = malloc(ntr * sizeof(size_t)), *test = malloc(nte * sizeof(size_t));
	size_t *perm = NULL;
	if (!train || !test) {
		err = NN_ENOMEM;
		goto out;
	}
	if (!o.shuffle) {
		for (size_t i = 0; i < ntr; i++)
			train[i] = i;
		for (size_t i = 0; i < nte; i++)
			test[i] = ntr + i;
	} else if (o.stratify) {
		err = stratified(train, &ntr, test, &nte, o.stratify, rng);
	} else {
		/* ShuffleSplit: test = permutation[:n_test], train = the next n_train */
		perm = malloc(n_samples * sizeof(size_t));
		if (!perm) {
			err = NN_ENOMEM;
			goto out;
		}
		nn_rng_permutation(rng, perm, n_samples);
		memcpy(test, perm, nte * sizeof(size_t));
		memcpy(train, perm + nte, ntr * sizeof(size_t));
	}
out:
	free(perm);
	if (err) {
		free(train);
		free(test);
		return err;
	}
	*train_idx = train;
	*test_idx = test;
	*n_train = ntr;
	*n_test = nte;
	return 0;
}

/* dst = the columns idx[0..k) of X, and their labels. */
static void take(nn_matrix *dx, nn_labels *dy, const nn_matrix *X, const nn_labels *y,
		 const size_t *idx, size_t k)
{
	for (size_t j = 0; j < k; j++) {
		memcpy(dx->data + j * dx->ld, X->data + idx[j] * X->ld, X->rows * sizeof(double));
		if (y)
			dy->data[j] = y->data[idx[j]];
	}
}

NN_EXPORT int nn_train_test_split(nn_matrix *train_x, nn_matrix *test_x, nn_labels *train_y,
				  nn_labels *test_y, const nn_matrix *X, const nn_labels *y,
				  const nn_split_options *opt, nn_rng *rng)
{
	nn__clear_error();
	if (!train_x || !test_x)
		return NN_ENULL;
	*train_x = *test_x = (nn_matrix){ 0 };
	if (train_y)
		*train_y = (nn_labels){ 0 };
	if (test_y)
		*test_y = (nn_labels){ 0 };
	if (!X || (y && (!train_y || !test_y || !y->data)))
		return NN_ENULL;
	int err = nn__matrix_valid(X);
	if (err)
		return err;
	if (y && y->n != X->cols)
		return NN_ESHAPE;
	size_t *tr = NULL, *te = NULL, ntr, nte;
	err = nn_split_indices(&tr, &ntr, &te, &nte, X->cols, opt, rng);
	if (err)
		return err;
	err = nn_matrix_new(train_x, X->rows, ntr);
	if (!err)
		err = nn_matrix_new(test_x, X->rows, nte);
	if (!err && y)
		err = nn_labels_new(train_y, ntr);
	if (!err && y)
		err = nn_labels_new(test_y, nte);
	if (err) {
		nn_matrix_free(train_x);
		nn_matrix_free(test_x);
		if (y) {
			nn_labels_free(train_y);
			nn_labels_free(test_y);
		}
		goto out;
	}
	take(train_x, train_y, X, y, tr, ntr);
	take(test_x, test_y, X, y, te, nte);
out:
	free(tr);
	free(te);
	return err;
}
