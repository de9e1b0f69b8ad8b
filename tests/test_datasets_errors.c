/*
 * The datasets suite's error paths: every bad option gives its error code,
 * leaves the outputs empty and draws nothing. test_datasets.c adds this
 * test case to the suite.
 */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nn/nn.h"
#include "datasets_fixture.h"

/* ---- errors: an error code, empty outputs, nothing drawn ------------------ */

/* The generator's next draw is a fresh generator's: nothing was consumed. */
static void assert_untouched(nn_rng *rng, uint32_t seed)
{
	nn_rng *ref = NULL;
	ck_assert_int_eq(nn_rng_new(&ref, seed), 0);
	ck_assert_uint_eq(nn_rng_uint32(rng), nn_rng_uint32(ref));
	nn_rng_free(ref);
	nn_rng_seed(rng, seed);
}

static void assert_empty(const nn_matrix *X, const nn_labels *y)
{
	ck_assert_ptr_null(X->data);
	ck_assert_uint_eq(X->rows + X->cols, 0);
	ck_assert_ptr_null(y->data);
	ck_assert_uint_eq(y->n, 0);
}

#define EXPECT_FAIL(call, code)                                                                  \
	do {                                                                                     \
		X.data = (double *)&X; /* garbage the call must reset */                         \
		y.data = (int *)&y;                                                              \
		ck_assert_int_eq((call), (code));                                                \
		assert_empty(&X, &y);                                                            \
		assert_untouched(rng, 5);                                                        \
	} while (0)

START_TEST(errors_blobs)
{
	nn_rng *rng = NULL;
	ck_assert_int_eq(nn_rng_new(&rng, 5), 0);
	nn_matrix X;
	nn_labels y;
	nn_blobs_options o = nn_blobs_defaults();
	ck_assert_int_eq(nn_make_blobs(NULL, &y, &o, rng), NN_ENULL);
	ck_assert_int_eq(nn_make_blobs(&X, NULL, &o, rng), NN_ENULL);
	EXPECT_FAIL(nn_make_blobs(&X, &y, &o, NULL), NN_ENULL);
	o.n_samples = 0;
	EXPECT_FAIL(nn_make_blobs(&X, &y, &o, rng), NN_EINVAL);
	o = nn_blobs_defaults();
	o.n_centers = 0;
	EXPECT_FAIL(nn_make_blobs(&X, &y, &o, rng), NN_EINVAL);
	o = nn_blobs_defaults();
	o.n_features = 0;
	EXPECT_FAIL(nn_make_blobs(&X, &y, &o, rng), NN_EINVAL);
	o = nn_blobs_defaults();
	o.cluster_std = -0.5;
	EXPECT_FAIL(nn_make_blobs(&X, &y, &o, rng), NN_EINVAL);
	o.cluster_std = NAN;
	EXPECT_FAIL(nn_make_blobs(&X, &y, &o, rng), NN_EINVAL);
	o.cluster_std = INFINITY;
	EXPECT_FAIL(nn_make_blobs(&X, &y, &o, rng), NN_EINVAL);
	double stds[] = { 1, -1, 1 };
	o = nn_blobs_defaults();
	o.cluster_stds = stds;
	EXPECT_FAIL(nn_make_blobs(&X, &y, &o, rng), NN_EINVAL);
	o = nn_blobs_defaults();
	o.center_box[1] = INFINITY;
	EXPECT_FAIL(nn_make_blobs(&X, &y, &o, rng), NN_EINVAL);
	o.center_box[0] = -DBL_MAX;
	o.center_box[1] = DBL_MAX; /* high - low overflows */
	EXPECT_FAIL(nn_make_blobs(&X, &y, &o, rng), NN_EINVAL);
	size_t zero[] = { 0, 0, 0 };
	o = nn_blobs_defaults();
	o.samples_per_center = zero;
	EXPECT_FAIL(nn_make_blobs(&X, &y, &o, rng), NN_EINVAL);
	size_t huge[] = { SIZE_MAX, 2, 0 };
	o.samples_per_center = huge;
	EXPECT_FAIL(nn_make_blobs(&X, &y, &o, rng), NN_ESIZE);
	double pts[] = { 0, 1, NAN, 2 };
	nn_matrix c = nn_matrix_view(pts, 2, 2, 2);
	o = nn_blobs_defaults();
	o.centers = &c;
	EXPECT_FAIL(nn_make_blobs(&X, &y, &o, rng), NN_EINVAL);
	c = nn_matrix_view(NULL, 2, 2, 2);
	EXPECT_FAIL(nn_make_blobs(&X, &y, &o, rng), NN_ENULL);
	c = nn_matrix_view(pts, 2, 2, 1); /* ld < rows */
	EXPECT_FAIL(nn_make_blobs(&X, &y, &o, rng), NN_EINVAL);
	o = nn_blobs_defaults();
	o.n_samples = SIZE_MAX / 4;
	EXPECT_FAIL(nn_make_blobs(&X, &y, &o, rng), NN_ESIZE);
#if !defined(__SANITIZE_ADDRESS__)
	o.n_samples = (size_t)1 << 46; /* 1 PiB: calloc refuses */
	EXPECT_FAIL(nn_make_blobs(&X, &y, &o, rng), NN_ENOMEM);
#endif
	nn_rng_free(rng);
}
END_TEST

START_TEST(errors_circles_moons)
{
	nn_rng *rng = NULL;
	ck_assert_int_eq(nn_rng_new(&rng, 5), 0);
	nn_matrix X;
	nn_labels y;
	nn_circles_options c = nn_circles_defaults();
	ck_assert_int_eq(nn_make_circles(NULL, &y, &c, rng), NN_ENULL);
	EXPECT_FAIL(nn_make_circles(&X, &y, &c, NULL), NN_ENULL);
	c.factor = 1.0;
	EXPECT_FAIL(nn_make_circles(&X, &y, &c, rng), NN_EINVAL);
	c.factor = -0.01;
	EXPECT_FAIL(nn_make_circles(&X, &y, &c, rng), NN_EINVAL);
	c.factor = NAN;
	EXPECT_FAIL(nn_make_circles(&X, &y, &c, rng), NN_EINVAL);
	c = nn_circles_defaults();
	c.has_noise = 1;
	c.noise = -0.1;
	EXPECT_FAIL(nn_make_circles(&X, &y, &c, rng), NN_EINVAL);
	c.noise = INFINITY;
	EXPECT_FAIL(nn_make_circles(&X, &y, &c, rng), NN_EINVAL);
	c = nn_circles_defaults();
	c.n_samples = 0;
	EXPECT_FAIL(nn_make_circles(&X, &y, &c, rng), NN_EINVAL);
	c.n_outer = SIZE_MAX;
	c.n_inner = 1;
	EXPECT_FAIL(nn_make_circles(&X, &y, &c, rng), NN_ESIZE);
	c.n_outer = SIZE_MAX / 8;
	c.n_inner = 0;
	EXPECT_FAIL(nn_make_circles(&X, &y, &c, rng), NN_ESIZE);

	nn_moons_options m = nn_moons_defaults();
	ck_assert_int_eq(nn_make_moons(&X, NULL, &m, rng), NN_ENULL);
	EXPECT_FAIL(nn_make_moons(&X, &y, &m, NULL), NN_ENULL);
	m.n_samples = 0;
	EXPECT_FAIL(nn_make_moons(&X, &y, &m, rng), NN_EINVAL);
	m = nn_moons_defaults();
	m.has_noise = 1;
	m.noise = -1;
	EXPECT_FAIL(nn_make_moons(&X, &y, &m, rng), NN_EINVAL);
	m.noise = NAN;
	EXPECT_FAIL(nn_make_moons(&X, &y, &m, rng), NN_EINVAL);
	/* a negative noise is ignored when there is no noise (sklearn's None) */
	m.has_noise = 0;
	ck_assert_int_eq(nn_make_moons(&X, &y, &m, rng), 0);
	nn_matrix_free(&X);
	nn_labels_free(&y);
	nn_rng_free(rng);
}
END_TEST

START_TEST(errors_classification)
{
	nn_rng *rng = NULL;
	ck_assert_int_eq(nn_rng_new(&rng, 5), 0);
	nn_matrix X;
	nn_labels y;
	nn_classification_options o = nn_classification_defaults();
	ck_assert_int_eq(nn_make_classification(NULL, &y, &o, rng), NN_ENULL);
	EXPECT_FAIL(nn_make_classification(&X, &y, &o, NULL), NN_ENULL);
	const struct {
		size_t n, F, inf, red, rep, C, K;
		int code;
	} bad[] = {
		{ 0, 20, 2, 2, 0, 2, 2, NN_EINVAL },   /* no samples */
		{ 100, 0, 2, 2, 0, 2, 2, NN_EINVAL },  /* no features */
		{ 100, 20, 0, 2, 0, 2, 2, NN_EINVAL }, /* no informative feature */
		{ 100, 4, 2, 2, 1, 2, 2, NN_EINVAL },  /* 2 + 2 + 1 > 4 */
		{ 100, 4, 3, 2, 0, 2, 2, NN_EINVAL },  /* 3 + 2 > 4 */
		{ 100, 4, 2, 5, 0, 2, 2, NN_EINVAL },  /* n_redundant > n_features */
		{ 100, 4, 2, 0, 5, 2, 2, NN_EINVAL },  /* n_repeated > n_features */
		{ 100, 20, 2, 2, 0, 3, 2, NN_EINVAL }, /* 3 * 2 > 2^2 */
		{ 100, 20, 2, 2, 0, 5, 1, NN_EINVAL }, /* 5 > 2^2 */
		{ 100, 20, 2, 2, 0, 0, 2, NN_EINVAL }, /* no class */
		{ 100, 20, 2, 2, 0, 2, 0, NN_EINVAL }, /* no cluster */
		{ 100, 50, 40, 0, 0, SIZE_MAX / 2, 4, NN_ESIZE },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o = nn_classification_defaults();
		o.n_samples = bad[i].n;
		o.n_features = bad[i].F;
		o.n_informative = bad[i].inf;
		o.n_redundant = bad[i].red;
		o.n_repeated = bad[i].rep;
		o.n_classes = bad[i].C;
		o.n_clusters_per_class = bad[i].K;
		X.data = NULL;
		ck_assert_msg(nn_make_classification(&X, &y, &o, rng) == bad[i].code, "case %zu", i);
		assert_empty(&X, &y);
		assert_untouched(rng, 5);
	}
	/* exactly 2^n_informative clusters is fine */
	o = nn_classification_defaults();
	o.n_samples = 10;
	o.n_classes = 4;
	o.n_clusters_per_class = 1;
	ck_assert_int_eq(nn_make_classification(&X, &y, &o, rng), 0);
	nn_matrix_free(&X);
	nn_labels_free(&y);
	nn_rng_seed(rng, 5);

	double w3[] = { 0.5, 0.5, 0.5 }, wneg[] = { -0.1, 1.1 }, wbig[] = { 0.7, 0.6 };
	o = nn_classification_defaults();
	o.weights = w3;
	o.n_weights = 3; /* neither n_classes nor n_classes - 1 */
	EXPECT_FAIL(nn_make_classification(&X, &y, &o, rng), NN_EINVAL);
	o.weights = wneg;
	o.n_weights = 2;
	EXPECT_FAIL(nn_make_classification(&X, &y, &o, rng), NN_EINVAL);
	o.n_classes = 3;
	o.weights = wbig; /* the last would be 1 - 1.3 < 0 */
	o.n_informative = 3;
	EXPECT_FAIL(nn_make_classification(&X, &y, &o, rng), NN_EINVAL);
	o = nn_classification_defaults();
	o.class_sep = INFINITY;
	EXPECT_FAIL(nn_make_classification(&X, &y, &o, rng), NN_EINVAL);
	o = nn_classification_defaults();
	o.flip_y = NAN;
	EXPECT_FAIL(nn_make_classification(&X, &y, &o, rng), NN_EINVAL);
	o = nn_classification_defaults();
	o.shift = NAN;
	EXPECT_FAIL(nn_make_classification(&X, &y, &o, rng), NN_EINVAL);
	double sc[20] = { 0 };
	sc[7] = INFINITY;
	o = nn_classification_defaults();
	o.scales = sc;
	EXPECT_FAIL(nn_make_classification(&X, &y, &o, rng), NN_EINVAL);
	o = nn_classification_defaults();
	o.n_samples = SIZE_MAX / 2;
	EXPECT_FAIL(nn_make_classification(&X, &y, &o, rng), NN_ESIZE);
	nn_rng_free(rng);
}
END_TEST

START_TEST(errors_split)
{
	nn_rng *rng = NULL;
	ck_assert_int_eq(nn_rng_new(&rng, 5), 0);
	nn_matrix X, trx, tex;
	nn_labels y, try_, tey;
	ck_assert_int_eq(nn_matrix_new(&X, 2, 10), 0);
	ck_assert_int_eq(nn_labels_new(&y, 10), 0);
	for (size_t i = 0; i < 10; i++)
		y.data[i] = (int)(i % 3);
	const struct {
		double test, train;
		size_t test_n, train_n;
	} bad[] = {
		{ 1.0, 0, 0, 0 },  { 1.5, 0, 0, 0 },   { -0.2, 0, 0, 0 }, { NAN, 0, 0, 0 },
		{ 0, 1.0, 0, 0 },  { 0, -1, 0, 0 },    { 0, 0, 10, 0 },   { 0, 0, 11, 0 },
		{ 0, 0, 0, 10 },   { 0.5, 0.6, 0, 0 }, { 0, 0, 6, 5 },    { 0.05, 0, 0, 0 },
		{ 0.6, 0, 0, 5 },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		nn_split_options o = nn_split_defaults();
		o.test_size = bad[i].test;
		o.train_size = bad[i].train;
		o.test_count = bad[i].test_n;
		o.train_count = bad[i].train_n;
		if (i == 11)
			o.stratify = &y; /* 1 test sample, 3 classes */
		trx.data = (double *)&trx;
		ck_assert_msg(nn_train_test_split(&trx, &tex, &try_, &tey, &X, &y, &o, rng) == NN_EINVAL,
			      "case %zu", i);
		ck_assert_ptr_null(trx.data);
		ck_assert_ptr_null(tex.data);
		ck_assert_ptr_null(try_.data);
		ck_assert_ptr_null(tey.data);
		assert_untouched(rng, 5);
	}
	nn_split_options o = nn_split_defaults();
	/* stratify needs shuffle, two members per class and matching lengths */
	o.stratify = &y;
	o.shuffle = 0;
	ck_assert_int_eq(nn_train_test_split(&trx, &tex, &try_, &tey, &X, &y, &o, rng), NN_EINVAL);
	o.shuffle = 1;
	y.data[9] = 7;
	ck_assert_int_eq(nn_train_test_split(&trx, &tex, &try_, &tey, &X, &y, &o, rng), NN_EINVAL);
	y.data[9] = 0;
	nn_labels short_y = { .n = 9, .data = y.data, .owner = 0 };
	o.stratify = &short_y;
	ck_assert_int_eq(nn_train_test_split(&trx, &tex, &try_, &tey, &X, &y, &o, rng), NN_ESHAPE);
	o.stratify = NULL;
	ck_assert_int_eq(nn_train_test_split(&trx, &tex, &try_, &tey, &X, &short_y, &o, rng),
			 NN_ESHAPE);
	assert_untouched(rng, 5);
	/* pointers */
	ck_assert_int_eq(nn_train_test_split(NULL, &tex, &try_, &tey, &X, &y, &o, rng), NN_ENULL);
	ck_assert_int_eq(nn_train_test_split(&trx, NULL, &try_, &tey, &X, &y, &o, rng), NN_ENULL);
	ck_assert_int_eq(nn_train_test_split(&trx, &tex, NULL, &tey, &X, &y, &o, rng), NN_ENULL);
	ck_assert_int_eq(nn_train_test_split(&trx, &tex, &try_, NULL, &X, &y, &o, rng), NN_ENULL);
	ck_assert_int_eq(nn_train_test_split(&trx, &tex, &try_, &tey, NULL, &y, &o, rng), NN_ENULL);
	ck_assert_int_eq(nn_train_test_split(&trx, &tex, &try_, &tey, &X, &y, &o, NULL), NN_ENULL);
	nn_matrix empty = nn_matrix_view(X.data, 2, 0, 2);
	ck_assert_int_eq(nn_train_test_split(&trx, &tex, &try_, &tey, &empty, NULL, &o, rng),
			 NN_ESHAPE);
	size_t *tr, *te, ntr, nte;
	ck_assert_int_eq(nn_split_indices(NULL, &ntr, &te, &nte, 10, &o, rng), NN_ENULL);
	ck_assert_int_eq(nn_split_indices(&tr, &ntr, &te, &nte, 0, &o, rng), NN_EINVAL);
	ck_assert_int_eq(nn_split_indices(&tr, &ntr, &te, &nte, 1, &o, rng), NN_EINVAL);
	ck_assert_int_eq(nn_split_indices(&tr, &ntr, &te, &nte, SIZE_MAX, &o, rng), NN_ESIZE);
	nn_labels nodata = { .n = 10, .data = NULL, .owner = 0 };
	o.stratify = &nodata;
	ck_assert_int_eq(nn_split_indices(&tr, &ntr, &te, &nte, 10, &o, rng), NN_ENULL);
	assert_untouched(rng, 5);
	/* nn_shuffle */
	ck_assert_int_eq(nn_shuffle(&X, &y, NULL), NN_ENULL);
	ck_assert_int_eq(nn_shuffle(NULL, NULL, rng), NN_ENULL);
	ck_assert_int_eq(nn_shuffle(&X, &short_y, rng), NN_ESHAPE);
	ck_assert_int_eq(nn_shuffle(&empty, NULL, rng), NN_ESHAPE);
	ck_assert_int_eq(nn_shuffle(NULL, &nodata, rng), NN_ENULL);
	assert_untouched(rng, 5);
	nn_matrix_free(&X);
	nn_labels_free(&y);
	nn_rng_free(rng);
}
END_TEST

/* Defaults mirror scikit-learn's signatures; NULL options mean the defaults. */
START_TEST(errors_defaults)
{
	nn_blobs_options b = nn_blobs_defaults();
	ck_assert_uint_eq(b.n_samples, 100);
	ck_assert_uint_eq(b.n_features, 2);
	ck_assert_uint_eq(b.n_centers, 3);
	ck_assert(b.cluster_std == 1.0 && b.center_box[0] == -10.0 && b.center_box[1] == 10.0);
	ck_assert(b.shuffle && !b.centers && !b.cluster_stds && !b.samples_per_center);
	nn_circles_options c = nn_circles_defaults();
	ck_assert(c.n_samples == 100 && c.factor == 0.8 && !c.has_noise && c.shuffle);
	nn_moons_options m = nn_moons_defaults();
	ck_assert(m.n_samples == 100 && !m.has_noise && m.shuffle);
	nn_classification_options k = nn_classification_defaults();
	ck_assert(k.n_samples == 100 && k.n_features == 20 && k.n_informative == 2 &&
		  k.n_redundant == 2 && k.n_repeated == 0 && k.n_classes == 2 &&
		  k.n_clusters_per_class == 2 && !k.weights && k.flip_y == 0.01 &&
		  k.class_sep == 1.0 && k.hypercube && k.shift == 0.0 && k.scale == 1.0 &&
		  !k.random_shift && !k.random_scale && k.shuffle);
	nn_split_options s = nn_split_defaults();
	ck_assert(s.test_size == 0.0 && s.test_count == 0 && s.train_size == 0.0 &&
		  s.train_count == 0 && s.shuffle && !s.stratify);

	nn_rng *a = NULL, *r = NULL;
	ck_assert_int_eq(nn_rng_new(&a, 3), 0);
	ck_assert_int_eq(nn_rng_new(&r, 3), 0);
	nn_matrix X1, X2;
	nn_labels y1, y2;
	ck_assert_int_eq(nn_make_blobs(&X1, &y1, NULL, a), 0);
	ck_assert_int_eq(nn_make_blobs(&X2, &y2, &b, r), 0);
	ck_assert_uint_eq(X1.cols, 100);
	ck_assert_int_eq(memcmp(X1.data, X2.data, 200 * sizeof(double)), 0);
	nn_matrix_free(&X1);
	nn_matrix_free(&X2);
	nn_labels_free(&y1);
	nn_labels_free(&y2);
	ck_assert_int_eq(nn_make_classification(&X1, &y1, NULL, a), 0);
	ck_assert_uint_eq(X1.rows, 20);
	nn_matrix_free(&X1);
	nn_labels_free(&y1);
	ck_assert_int_eq(nn_make_circles(&X1, &y1, NULL, a), 0);
	nn_matrix_free(&X1);
	nn_labels_free(&y1);
	nn_rng_free(a);
	nn_rng_free(r);
}
END_TEST

/* nn_error_message(rc) of a refused option names it, its value and the rule
 * (what nn-data prints); a call that then succeeds leaves no stale detail. */
#define EXPECT_DETAIL(call, code, ...)                                                           \
	do {                                                                                     \
		ck_assert_int_eq((call), (code));                                                \
		const char *const want_[] = { __VA_ARGS__ };                                      \
		for (size_t k_ = 0; k_ < sizeof(want_) / sizeof(want_[0]); k_++)                  \
			ck_assert_msg(strstr(nn_error_message(code), want_[k_]),                  \
				      "'%s' does not say '%s'", nn_error_message(code), want_[k_]);   \
	} while (0)

START_TEST(errors_detail)
{
	nn_rng *rng = NULL;
	ck_assert_int_eq(nn_rng_new(&rng, 5), 0);
	nn_matrix X, tr, te;
	nn_labels y, ytr, yte;
	double one[2] = { 1, 2 };
	int lab[1] = { 0 };
	nn_matrix X1 = nn_matrix_view(one, 2, 1, 2);
	nn_labels y1 = { .n = 1, .data = lab };
	nn_split_options s = nn_split_defaults();
	s.test_size = 0.5;
	EXPECT_DETAIL(nn_train_test_split(&tr, &te, &ytr, &yte, &X1, &y1, &s, rng), NN_EINVAL,
		      "test_size 0.5", "1 sample", "no training sample");
	s = nn_split_defaults();
	s.test_count = 3;
	EXPECT_DETAIL(nn_train_test_split(&tr, &te, &ytr, &yte, &X1, &y1, &s, rng), NN_EINVAL,
		      "test_count 3", "1 samples");
	nn_blobs_options b = nn_blobs_defaults();
	b.cluster_std = -1;
	EXPECT_DETAIL(nn_make_blobs(&X, &y, &b, rng), NN_EINVAL, "cluster_std", "-1");
	nn_circles_options c = nn_circles_defaults();
	c.factor = 1;
	EXPECT_DETAIL(nn_make_circles(&X, &y, &c, rng), NN_EINVAL, "factor", "1", "[0, 1)");
	nn_moons_options m = nn_moons_defaults();
	m.n_samples = 0;
	EXPECT_DETAIL(nn_make_moons(&X, &y, &m, rng), NN_EINVAL, "n_samples is 0");
	nn_classification_options k = nn_classification_defaults();
	k.n_classes = 3;
	k.n_informative = 1;
	EXPECT_DETAIL(nn_make_classification(&X, &y, &k, rng), NN_EINVAL, "n_classes 3",
		      "n_clusters_per_class 2", "2^n_informative = 2");
	k = nn_classification_defaults();
	k.n_redundant = 19;
	EXPECT_DETAIL(nn_make_classification(&X, &y, &k, rng), NN_EINVAL, "n_redundant 19",
		      "n_features 20");
	/* a success clears the detail: the next failure without one says only its code */
	ck_assert_int_eq(nn_make_moons(&X, &y, NULL, rng), 0);
	ck_assert_str_eq(nn_last_error(), "");
	nn_matrix_free(&X);
	nn_labels_free(&y);
	nn_rng_free(rng);
}
END_TEST

TCase *datasets_errors_tcase(void)
{
	TCase *tc = tcase_create("errors");
	tcase_add_test(tc, errors_blobs);
	tcase_add_test(tc, errors_circles_moons);
	tcase_add_test(tc, errors_classification);
	tcase_add_test(tc, errors_split);
	tcase_add_test(tc, errors_defaults);
	tcase_add_test(tc, errors_detail);
	return tc;
}
