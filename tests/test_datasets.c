/*
 * The data generators and the split against scikit-learn 1.2
 * (tests/data/datasets/, written by scripts/gen_dataset_fixtures.py) and
 * their statistics with fixed seeds; the error paths are in
 * test_datasets_errors.c.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn/nn.h"
#include "datasets_fixture.h"
#include "suites.h"

/* ---- golden -------------------------------------------------------------- */

/*
 * How close two floats must be. Blobs and every split and label are bit for
 * bit; circles and moons go through cos and sin, which numpy may compute
 * with its own SIMD kernels (AVX-512 SVML here, a few ulp from glibc), and
 * make_classification through BLAS products: those are held to
 * 1e-12 * max(1, |value|).
 */
#define GOLDEN_RTOL 1e-12

struct golden_stats {
	size_t values, exact;
	double worst; /* largest |a - b| / max(1, |b|) */
};

static struct golden_stats stats;

/* Our column-major F x n matrix against numpy's n x F array (C order). */
static void expect_samples(const nn_matrix *X, const struct fx *f, const char *name, int exact,
			   const char *file)
{
	const struct fx_entry *a = fx_array(f, name);
	ck_assert_msg(a != NULL, "%s: no array %s", file, name);
	ck_assert_msg(a->rows == X->cols && a->cols == X->rows, "%s %s: %zu x %zu, sklearn %zu x %zu",
		      file, name, X->cols, X->rows, a->rows, a->cols);
	for (size_t s = 0; s < X->cols; s++) {
		for (size_t j = 0; j < X->rows; j++) {
			double got = NN_AT(X, j, s), want = a->v[s * a->cols + j];
			double err = fabs(got - want) / fmax(1.0, fabs(want));
			stats.values++;
			stats.exact += got == want;
			stats.worst = fmax(stats.worst, err);
			if (exact)
				ck_assert_msg(got == want, "%s %s[%zu, %zu]: %.17g, sklearn %.17g", file,
					      name, s, j, got, want);
			else
				ck_assert_msg(err <= GOLDEN_RTOL, "%s %s[%zu, %zu]: %.17g, sklearn %.17g",
					      file, name, s, j, got, want);
		}
	}
}

static void expect_labels(const nn_labels *y, const struct fx *f, const char *name,
			  const char *file)
{
	const struct fx_entry *a = fx_array(f, name);
	ck_assert_msg(a != NULL, "%s: no array %s", file, name);
	ck_assert_uint_eq(a->rows, y->n);
	for (size_t i = 0; i < y->n; i++)
		ck_assert_msg(y->data[i] == (int)a->v[i], "%s %s[%zu]: %d, sklearn %g", file, name, i,
			      y->data[i], a->v[i]);
}

/* A parameter's words as numbers (at most max); returns the count. */
static size_t fx_list(const struct fx *f, const char *key, double *out, size_t max)
{
	const struct fx_entry *p = fx_param(f, key);
	size_t n = 0;
	for (; p && n < p->nargs && n < max; n++)
		out[n] = strtod(p->args[n], NULL);
	return n;
}

/* Scratch for the arrays the options point to. */
struct golden_opts {
	size_t counts[16];
	double stds[16], weights[16], shifts[64], scales[64], points[64];
	nn_matrix centers;
};

static int run_generator(nn_matrix *X, nn_labels *y, const struct fx *f, struct golden_opts *g,
			 nn_rng *rng, const char *gen)
{
	double tmp[64];
	size_t n;
	if (strcmp(gen, "blobs") == 0) {
		nn_blobs_options o = nn_blobs_defaults();
		o.n_samples = (size_t)fx_num(f, "n_samples", 100);
		if ((n = fx_list(f, "n_samples_list", tmp, 16))) {
			for (size_t k = 0; k < n; k++)
				g->counts[k] = (size_t)tmp[k];
			o.samples_per_center = g->counts;
			o.n_centers = n;
		}
		o.n_features = (size_t)fx_num(f, "n_features", 2);
		o.n_centers = (size_t)fx_num(f, "centers", (double)o.n_centers);
		const struct fx_entry *p = fx_param(f, "center_points");
		if (p) {
			size_t K = strtoul(p->args[0], NULL, 10), F = strtoul(p->args[1], NULL, 10);
			for (size_t i = 0; i < K * F; i++)
				g->points[i] = strtod(p->args[2 + i], NULL);
			/* numpy's K x F centres in C order are our F x K columns */
			g->centers = nn_matrix_view(g->points, F, K, F);
			o.centers = &g->centers;
		}
		o.cluster_std = fx_num(f, "cluster_std", 1.0);
		if (fx_list(f, "cluster_std_list", g->stds, 16))
			o.cluster_stds = g->stds;
		if (fx_list(f, "center_box_list", tmp, 2) == 2) {
			o.center_box[0] = tmp[0];
			o.center_box[1] = tmp[1];
		}
		o.shuffle = (int)fx_num(f, "shuffle", 1);
		return nn_make_blobs(X, y, &o, rng);
	}
	if (strcmp(gen, "circles") == 0 || strcmp(gen, "moons") == 0) {
		size_t pair[2] = { 0, 0 };
		if (fx_list(f, "n_samples_list", tmp, 2) == 2) {
			pair[0] = (size_t)tmp[0];
			pair[1] = (size_t)tmp[1];
		}
		int has_noise = fx_param(f, "noise") != NULL;
		if (gen[0] == 'c') {
			nn_circles_options o = nn_circles_defaults();
			o.n_samples = (size_t)fx_num(f, "n_samples", 100);
			o.n_outer = pair[0];
			o.n_inner = pair[1];
			o.has_noise = has_noise;
			o.noise = fx_num(f, "noise", 0.0);
			o.factor = fx_num(f, "factor", 0.8);
			o.shuffle = (int)fx_num(f, "shuffle", 1);
			return nn_make_circles(X, y, &o, rng);
		}
		nn_moons_options o = nn_moons_defaults();
		o.n_samples = (size_t)fx_num(f, "n_samples", 100);
		o.n_outer = pair[0];
		o.n_inner = pair[1];
		o.has_noise = has_noise;
		o.noise = fx_num(f, "noise", 0.0);
		o.shuffle = (int)fx_num(f, "shuffle", 1);
		return nn_make_moons(X, y, &o, rng);
	}
	nn_classification_options o = nn_classification_defaults();
	o.n_samples = (size_t)fx_num(f, "n_samples", 100);
	o.n_features = (size_t)fx_num(f, "n_features", 20);
	o.n_informative = (size_t)fx_num(f, "n_informative", 2);
	o.n_redundant = (size_t)fx_num(f, "n_redundant", 2);
	o.n_repeated = (size_t)fx_num(f, "n_repeated", 0);
	o.n_classes = (size_t)fx_num(f, "n_classes", 2);
	o.n_clusters_per_class = (size_t)fx_num(f, "n_clusters_per_class", 2);
	if ((n = fx_list(f, "weights_list", g->weights, 16))) {
		o.weights = g->weights;
		o.n_weights = n;
	}
	o.flip_y = fx_num(f, "flip_y", 0.01);
	o.class_sep = fx_num(f, "class_sep", 1.0);
	o.hypercube = (int)fx_num(f, "hypercube", 1);
	const struct fx_entry *p = fx_param(f, "shift");
	o.random_shift = p && strcmp(p->args[0], "None") == 0;
	o.shift = fx_num(f, "shift", 0.0);
	if (fx_list(f, "shift_list", g->shifts, 64))
		o.shifts = g->shifts;
	p = fx_param(f, "scale");
	o.random_scale = p && strcmp(p->args[0], "None") == 0;
	o.scale = fx_num(f, "scale", 1.0);
	if (fx_list(f, "scale_list", g->scales, 64))
		o.scales = g->scales;
	o.shuffle = (int)fx_num(f, "shuffle", 1);
	return nn_make_classification(X, y, &o, rng);
}

static void check_split(const struct fx *f, const nn_matrix *X, const nn_labels *y, nn_rng *rng,
			const char *file)
{
	nn_split_options o = nn_split_defaults();
	o.test_size = fx_num(f, "split_test_size", 0.0);
	o.test_count = (size_t)fx_num(f, "split_test_count", 0);
	o.train_size = fx_num(f, "split_train_size", 0.0);
	o.train_count = (size_t)fx_num(f, "split_train_count", 0);
	o.shuffle = (int)fx_num(f, "split_shuffle", 1);
	if (fx_num(f, "split_stratify", 0))
		o.stratify = y;
	nn_matrix trx, tex;
	nn_labels try_, tey;
	ck_assert_int_eq(nn_train_test_split(&trx, &tex, &try_, &tey, X, y, &o, rng), 0);
	/* the split only moves samples: bit for bit what the generator gave */
	expect_samples(&trx, f, "train_x", 0, file);
	expect_samples(&tex, f, "test_x", 0, file);
	expect_labels(&try_, f, "train_y", file);
	expect_labels(&tey, f, "test_y", file);
	nn_matrix_free(&trx);
	nn_matrix_free(&tex);
	nn_labels_free(&try_);
	nn_labels_free(&tey);
}

static void check_init(const struct fx *f, nn_rng *rng, const char *file)
{
	const struct fx_entry *p = fx_param(f, "init");
	size_t sizes[8], L = p->nargs - 2;
	for (size_t l = 0; l <= L; l++)
		sizes[l] = strtoul(p->args[1 + l], NULL, 10);
	nn_net *net = NULL;
	ck_assert_int_eq(nn_net_new(&net, L, sizes, NULL), 0);
	int random = strcmp(p->args[0], "random") == 0;
	ck_assert_int_eq(random ? nn_net_init_random(net, rng) : nn_net_init_randn(net, rng), 0);
	for (size_t l = 1; l <= L; l++) {
		char name[16];
		nn_matrix w;
		ck_assert_int_eq(nn_net_weights(&w, net, l), 0);
		snprintf(name, sizeof(name), "W%zu", l);
		const struct fx_entry *a = fx_array(f, name);
		ck_assert_msg(a && a->rows == w.rows && a->cols == w.cols, "%s: %s", file, name);
		for (size_t i = 0; i < w.rows; i++)
			for (size_t j = 0; j < w.cols; j++)
				ck_assert_msg(NN_AT(&w, i, j) == a->v[i * a->cols + j], "%s %s(%zu, %zu)",
					      file, name, i, j);
		if (random) {
			nn_matrix b;
			ck_assert_int_eq(nn_net_bias(&b, net, l), 0);
			snprintf(name, sizeof(name), "b%zu", l);
			a = fx_array(f, name);
			ck_assert_msg(a && a->rows == b.rows, "%s: %s", file, name);
			for (size_t i = 0; i < b.rows; i++)
				ck_assert(NN_AT(&b, i, 0) == a->v[i]);
		}
	}
	nn_net_free(net);
}

/* One golden file: the generator, then (same rng) the split and the
 * weights, as the lecture's global stream runs after np.random.seed(k). */
static void check_case(const char *file)
{
	struct fx f;
	ck_assert_msg(fx_load(&f, file) == 0, "cannot read %s", file);
	const struct fx_entry *gen = fx_param(&f, "generator");
	ck_assert_msg(gen && gen->nargs == 1, "%s: no generator", file);
	nn_rng *rng = NULL;
	ck_assert_int_eq(nn_rng_new(&rng, (uint32_t)fx_num(&f, "seed", 0)), 0);
	struct golden_opts g;
	nn_matrix X;
	nn_labels y;
	ck_assert_int_eq(run_generator(&X, &y, &f, &g, rng, gen->args[0]), 0);
	int exact = strcmp(gen->args[0], "blobs") == 0;
	expect_samples(&X, &f, "X", exact, file);
	expect_labels(&y, &f, "y", file);
	if (fx_param(&f, "split_test_size") || fx_param(&f, "split_test_count") ||
	    fx_param(&f, "split_train_size") || fx_param(&f, "split_train_count") ||
	    fx_param(&f, "split_default") || fx_param(&f, "split_shuffle"))
		check_split(&f, &X, &y, rng, file);
	if (fx_param(&f, "init"))
		check_init(&f, rng, file);
	nn_matrix_free(&X);
	nn_labels_free(&y);
	nn_rng_free(rng);
	fx_free(&f);
}

static void golden_for(const char *prefix, const char *prefix2)
{
	char **names = fx_index();
	ck_assert_ptr_nonnull(names);
	int seen = 0;
	for (size_t i = 0; names[i]; i++) {
		if (strncmp(names[i], prefix, strlen(prefix)) != 0 &&
		    (!prefix2 || strncmp(names[i], prefix2, strlen(prefix2)) != 0))
			continue;
		check_case(names[i]);
		seen++;
	}
	fx_index_free(names);
	ck_assert_int_ge(seen, 3);
	if (getenv("NN_FIXTURE_STATS"))
		fprintf(stderr, "golden %s: %zu values, %zu bit-identical, worst scaled error %.3g\n",
			prefix, stats.values, stats.exact, stats.worst);
	stats = (struct golden_stats){ 0 };
}

START_TEST(golden_blobs) { golden_for("blobs_", NULL); }
END_TEST
START_TEST(golden_circles) { golden_for("circles_", NULL); }
END_TEST
START_TEST(golden_moons) { golden_for("moons_", NULL); }
END_TEST
START_TEST(golden_classification) { golden_for("cls_", NULL); }
END_TEST
START_TEST(golden_split) { golden_for("split_", NULL); }
END_TEST

/* ---- statistics: fixed seeds, generous tolerances ------------------------ */

/* Mean and standard deviation of feature j over the samples of class c. */
static void class_moments(const nn_matrix *X, const nn_labels *y, int c, size_t j, double *mean,
			  double *sd, size_t *count)
{
	double s = 0, s2 = 0;
	size_t n = 0;
	for (size_t i = 0; i < X->cols; i++) {
		if (y->data[i] != c)
			continue;
		double v = NN_AT(X, j, i);
		s += v;
		s2 += v * v;
		n++;
	}
	*count = n;
	*mean = n ? s / n : 0;
	*sd = n > 1 ? sqrt((s2 - s * s / n) / (n - 1)) : 0;
}

START_TEST(statistics_blobs)
{
	nn_rng *rng = NULL;
	ck_assert_int_eq(nn_rng_new(&rng, 11), 0);
	double pts[] = { -5, 0, 0, 5, 5, 0 };
	double stds[] = { 0.5, 1.0, 2.0 };
	nn_matrix centers = nn_matrix_view(pts, 2, 3, 2);
	nn_blobs_options o = nn_blobs_defaults();
	o.n_samples = 3001;
	o.centers = &centers;
	o.cluster_stds = stds;
	nn_matrix X;
	nn_labels y;
	ck_assert_int_eq(nn_make_blobs(&X, &y, &o, rng), 0);
	ck_assert_uint_eq(X.rows, 2);
	ck_assert_uint_eq(X.cols, 3001);
	for (int c = 0; c < 3; c++) {
		for (size_t j = 0; j < 2; j++) {
			double m, sd;
			size_t n;
			class_moments(&X, &y, c, j, &m, &sd, &n);
			ck_assert_uint_eq(n, c == 0 ? 1001 : 1000); /* the first centre gets the extra one */
			ck_assert_double_eq_tol(m, pts[2 * c + j], 5 * stds[c] / sqrt(1000.0));
			ck_assert_double_eq_tol(sd, stds[c], 0.1 * stds[c]);
		}
	}
	nn_matrix_free(&X);
	nn_labels_free(&y);

	/* random centres inside center_box; std 0 puts every sample on its centre */
	o = nn_blobs_defaults();
	o.n_samples = 600;
	o.n_centers = 4;
	o.n_features = 3;
	o.cluster_std = 0.0;
	o.center_box[0] = -3;
	o.center_box[1] = 3;
	ck_assert_int_eq(nn_make_blobs(&X, &y, &o, rng), 0);
	size_t count[4] = { 0 }, first[4];
	for (size_t i = 0; i < X.cols; i++) {
		int c = y.data[i];
		if (count[c]++ == 0)
			first[c] = i;
		for (size_t j = 0; j < 3; j++) {
			ck_assert(NN_AT(&X, j, i) >= -3 && NN_AT(&X, j, i) < 3);
			ck_assert(NN_AT(&X, j, i) == NN_AT(&X, j, first[c]));
		}
	}
	for (int c = 0; c < 4; c++)
		ck_assert_uint_eq(count[c], 150);
	nn_matrix_free(&X);
	nn_labels_free(&y);
	nn_rng_free(rng);
}
END_TEST

START_TEST(statistics_circles)
{
	nn_rng *rng = NULL;
	ck_assert_int_eq(nn_rng_new(&rng, 12), 0);
	nn_circles_options o = nn_circles_defaults();
	o.n_samples = 101;
	o.factor = 0.3;
	nn_matrix X;
	nn_labels y;
	ck_assert_int_eq(nn_make_circles(&X, &y, &o, rng), 0);
	size_t n1 = 0;
	for (size_t i = 0; i < X.cols; i++) {
		double r = hypot(NN_AT(&X, 0, i), NN_AT(&X, 1, i));
		ck_assert_double_eq_tol(r, y.data[i] ? 0.3 : 1.0, 1e-12);
		n1 += (size_t)y.data[i];
	}
	ck_assert_uint_eq(n1, 51); /* odd n: the inner circle gets one more */
	nn_matrix_free(&X);
	nn_labels_free(&y);

	o = nn_circles_defaults();
	o.n_samples = 4000;
	o.has_noise = 1;
	o.noise = 0.1;
	ck_assert_int_eq(nn_make_circles(&X, &y, &o, rng), 0);
	for (int c = 0; c < 2; c++) {
		double s = 0, s2 = 0, mx = 0, my = 0;
		size_t n = 0;
		for (size_t i = 0; i < X.cols; i++) {
			if (y.data[i] != c)
				continue;
			double r = hypot(NN_AT(&X, 0, i), NN_AT(&X, 1, i));
			s += r;
			s2 += r * r;
			mx += NN_AT(&X, 0, i);
			my += NN_AT(&X, 1, i);
			n++;
		}
		ck_assert_uint_eq(n, 2000);
		ck_assert_double_eq_tol(s / n, c ? 0.8 : 1.0, 0.01);
		ck_assert_double_eq_tol(sqrt(s2 / n - (s / n) * (s / n)), 0.1, 0.01);
		ck_assert_double_eq_tol(mx / n, 0.0, 0.02);
		ck_assert_double_eq_tol(my / n, 0.0, 0.02);
	}
	nn_matrix_free(&X);
	nn_labels_free(&y);
	nn_rng_free(rng);
}
END_TEST

START_TEST(statistics_moons)
{
	nn_rng *rng = NULL;
	ck_assert_int_eq(nn_rng_new(&rng, 13), 0);
	nn_matrix X;
	nn_labels y;
	ck_assert_int_eq(nn_make_moons(&X, &y, NULL, rng), 0);
	for (size_t i = 0; i < X.cols; i++) {
		double x = NN_AT(&X, 0, i), z = NN_AT(&X, 1, i);
		if (y.data[i] == 0) { /* the upper half of the unit circle */
			ck_assert_double_eq_tol(hypot(x, z), 1.0, 1e-12);
			ck_assert(z >= 0.0);
		} else { /* the lower half of the circle of centre (1, 0.5) */
			ck_assert_double_eq_tol(hypot(x - 1.0, z - 0.5), 1.0, 1e-12);
			ck_assert(z <= 0.5 + 1e-15);
		}
	}
	nn_matrix_free(&X);
	nn_labels_free(&y);

	nn_moons_options o = nn_moons_defaults();
	o.n_samples = 6000;
	o.has_noise = 1;
	o.noise = 0.2;
	ck_assert_int_eq(nn_make_moons(&X, &y, &o, rng), 0);
	/* the mean of a half circle's points is its centre + (0, +-2/pi) */
	const double rise = 2.0 / 3.14159265358979323846;
	const double want[2][2] = { { 0.0, rise }, { 1.0, 0.5 - rise } };
	for (int c = 0; c < 2; c++) {
		for (size_t j = 0; j < 2; j++) {
			double m, sd;
			size_t n;
			class_moments(&X, &y, c, j, &m, &sd, &n);
			ck_assert_uint_eq(n, 3000);
			ck_assert_double_eq_tol(m, want[c][j], 0.03);
		}
	}
	nn_matrix_free(&X);
	nn_labels_free(&y);
	nn_rng_free(rng);
}
END_TEST

START_TEST(statistics_classification)
{
	nn_rng *rng = NULL;
	ck_assert_int_eq(nn_rng_new(&rng, 14), 0);
	/* the hands-on's problem, unshuffled: two clusters at opposite vertices
	 * of the square [-1, 1]^2, 2000 samples each */
	nn_classification_options o = nn_classification_defaults();
	o.n_samples = 4000;
	o.n_features = 2;
	o.n_redundant = 0;
	o.n_clusters_per_class = 1;
	o.flip_y = 0.0;
	o.shuffle = 0;
	nn_matrix X;
	nn_labels y;
	ck_assert_int_eq(nn_make_classification(&X, &y, &o, rng), 0);
	double mean[2][2];
	for (int c = 0; c < 2; c++) {
		for (size_t j = 0; j < 2; j++) {
			double sd;
			size_t n;
			class_moments(&X, &y, c, j, &mean[c][j], &sd, &n);
			ck_assert_uint_eq(n, 2000);
			ck_assert_msg(fabs(fabs(mean[c][j]) - 1.0) < 0.1, "class %d mean %g", c,
				      mean[c][j]);
		}
	}
	ck_assert(mean[0][0] != mean[1][0] || mean[0][1] != mean[1][1]);
	nn_matrix_free(&X);
	nn_labels_free(&y);

	/* weights: int(n * w / clusters) per cluster, the rest to the first ones */
	double w = 0.9;
	o.weights = &w;
	o.n_weights = 1;
	ck_assert_int_eq(nn_make_classification(&X, &y, &o, rng), 0);
	size_t ones = 0;
	for (size_t i = 0; i < y.n; i++)
		ones += (size_t)y.data[i];
	/* 1 - 0.9 = 0.09999999999999998, so int(4000 * w) = 399, as in sklearn */
	ck_assert_uint_eq(ones, 399);
	nn_matrix_free(&X);
	nn_labels_free(&y);

	/* redundant features are combinations of the informative ones, repeated
	 * ones copies; three classes near 1/3 each with label noise */
	o = nn_classification_defaults();
	o.n_samples = 3000;
	o.n_features = 6;
	o.n_informative = 2;
	o.n_redundant = 2;
	o.n_repeated = 1;
	o.n_classes = 3;
	o.n_clusters_per_class = 1;
	o.flip_y = 0.2;
	o.shuffle = 0;
	ck_assert_int_eq(nn_make_classification(&X, &y, &o, rng), 0);
	size_t count[3] = { 0 };
	for (size_t i = 0; i < y.n; i++) {
		ck_assert(y.data[i] >= 0 && y.data[i] < 3);
		count[y.data[i]]++;
	}
	for (int c = 0; c < 3; c++)
		ck_assert_msg(count[c] > 850 && count[c] < 1150, "class %d: %zu", c, count[c]);
	/* feature 2 = a x0 + b x1: solve from samples 0 and 1, check the rest */
	double x00 = NN_AT(&X, 0, 0), x10 = NN_AT(&X, 1, 0), x01 = NN_AT(&X, 0, 1), x11 = NN_AT(&X, 1, 1);
	double det = x00 * x11 - x10 * x01;
	for (size_t r = 2; r < 4; r++) {
		double a = (NN_AT(&X, r, 0) * x11 - NN_AT(&X, r, 1) * x10) / det;
		double b = (x00 * NN_AT(&X, r, 1) - x01 * NN_AT(&X, r, 0)) / det;
		for (size_t i = 2; i < X.cols; i += 97)
			ck_assert_double_eq_tol(NN_AT(&X, r, i), a * NN_AT(&X, 0, i) + b * NN_AT(&X, 1, i),
						1e-9 * (1 + fabs(NN_AT(&X, r, i))));
	}
	size_t copy_of = 99;
	for (size_t r = 0; r < 4; r++)
		if (NN_AT(&X, 4, 0) == NN_AT(&X, r, 0) && NN_AT(&X, 4, 1) == NN_AT(&X, r, 1))
			copy_of = r;
	ck_assert_uint_lt(copy_of, 4);
	for (size_t i = 0; i < X.cols; i++)
		ck_assert(NN_AT(&X, 4, i) == NN_AT(&X, copy_of, i));
	nn_matrix_free(&X);
	nn_labels_free(&y);
	nn_rng_free(rng);
}
END_TEST

START_TEST(statistics_split)
{
	nn_rng *rng = NULL;
	ck_assert_int_eq(nn_rng_new(&rng, 15), 0);
	size_t *tr, *te, ntr, nte;
	nn_split_options o = nn_split_defaults();
	/* default: a quarter, rounded up, in the test set */
	ck_assert_int_eq(nn_split_indices(&tr, &ntr, &te, &nte, 10, NULL, rng), 0);
	ck_assert_uint_eq(nte, 3);
	ck_assert_uint_eq(ntr, 7);
	int seen[10] = { 0 };
	for (size_t i = 0; i < ntr; i++)
		seen[tr[i]]++;
	for (size_t i = 0; i < nte; i++)
		seen[te[i]]++;
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(seen[i], 1);
	free(tr);
	free(te);
	/* train_size alone: the test set is the rest */
	o.train_size = 0.55;
	ck_assert_int_eq(nn_split_indices(&tr, &ntr, &te, &nte, 10, &o, rng), 0);
	ck_assert_uint_eq(ntr, 5);
	ck_assert_uint_eq(nte, 5);
	free(tr);
	free(te);
	/* both given: some samples in neither set */
	o = nn_split_defaults();
	o.train_count = 3;
	o.test_size = 0.2;
	ck_assert_int_eq(nn_split_indices(&tr, &ntr, &te, &nte, 10, &o, rng), 0);
	ck_assert_uint_eq(ntr, 3);
	ck_assert_uint_eq(nte, 2);
	free(tr);
	free(te);

	/* stratified: 60 of class 4, 40 of class -1 -> the test set keeps 3:2 */
	nn_labels y;
	ck_assert_int_eq(nn_labels_new(&y, 100), 0);
	for (size_t i = 0; i < 100; i++)
		y.data[i] = (i * 7) % 10 < 6 ? 4 : -1;
	nn_matrix X;
	ck_assert_int_eq(nn_matrix_new(&X, 1, 100), 0);
	for (size_t i = 0; i < 100; i++)
		NN_AT(&X, 0, i) = (double)i;
	o = nn_split_defaults();
	o.test_size = 0.25;
	o.stratify = &y;
	nn_matrix trx, tex;
	nn_labels try_, tey;
	ck_assert_int_eq(nn_train_test_split(&trx, &tex, &try_, &tey, &X, &y, &o, rng), 0);
	ck_assert_uint_eq(tex.cols, 25);
	ck_assert_uint_eq(trx.cols, 75);
	size_t fours = 0;
	for (size_t i = 0; i < tey.n; i++) {
		fours += tey.data[i] == 4;
		ck_assert_int_eq(tey.data[i], y.data[(size_t)NN_AT(&tex, 0, i)]);
	}
	ck_assert_uint_eq(fours, 15);
	for (size_t i = 0; i < try_.n; i++)
		ck_assert_int_eq(try_.data[i], y.data[(size_t)NN_AT(&trx, 0, i)]);
	nn_matrix_free(&trx);
	nn_matrix_free(&tex);
	nn_labels_free(&try_);
	nn_labels_free(&tey);

	/* without labels; without shuffling nothing is drawn */
	o = nn_split_defaults();
	o.shuffle = 0;
	ck_assert_int_eq(nn_train_test_split(&trx, &tex, NULL, NULL, &X, NULL, &o, NULL), 0);
	ck_assert(NN_AT(&trx, 0, 0) == 0.0 && NN_AT(&tex, 0, 0) == 75.0);
	nn_matrix_free(&trx);
	nn_matrix_free(&tex);
	nn_matrix_free(&X);
	nn_labels_free(&y);
	nn_rng_free(rng);
}
END_TEST

/* nn_shuffle moves samples and labels together, in caller memory, like
 * sklearn.utils.shuffle: X[permutation]. */
START_TEST(statistics_shuffle)
{
	nn_rng *rng = NULL, *ref = NULL;
	ck_assert_int_eq(nn_rng_new(&rng, 16), 0);
	ck_assert_int_eq(nn_rng_new(&ref, 16), 0);
	double data[3 * 9];
	int lab[9];
	for (int i = 0; i < 9; i++) {
		data[3 * i] = i;
		data[3 * i + 1] = -i;
		data[3 * i + 2] = 99; /* padding outside the 2-row view */
		lab[i] = 10 + i;
	}
	nn_matrix X = nn_matrix_view(data, 2, 9, 3);
	nn_labels y = { .n = 9, .data = lab, .owner = 0 };
	ck_assert_int_eq(nn_shuffle(&X, &y, rng), 0);
	size_t perm[9];
	nn_rng_permutation(ref, perm, 9);
	for (int i = 0; i < 9; i++) {
		ck_assert(data[3 * i] == (double)perm[i]);
		ck_assert(data[3 * i + 1] == -(double)perm[i]);
		ck_assert(data[3 * i + 2] == 99);
		ck_assert_int_eq(lab[i], 10 + (int)perm[i]);
	}
	ck_assert_int_eq(nn_shuffle(NULL, &y, rng), 0);
	ck_assert_int_eq(nn_shuffle(&X, NULL, rng), 0);
	nn_rng_free(rng);
	nn_rng_free(ref);
}
END_TEST

Suite *datasets_suite(void)
{
	Suite *s = suite_create("datasets");
	TCase *tc = tcase_create("golden");
	tcase_add_test(tc, golden_blobs);
	tcase_add_test(tc, golden_circles);
	tcase_add_test(tc, golden_moons);
	tcase_add_test(tc, golden_classification);
	tcase_add_test(tc, golden_split);
	suite_add_tcase(s, tc);
	tc = tcase_create("statistics");
	tcase_add_test(tc, statistics_blobs);
	tcase_add_test(tc, statistics_circles);
	tcase_add_test(tc, statistics_moons);
	tcase_add_test(tc, statistics_classification);
	tcase_add_test(tc, statistics_split);
	tcase_add_test(tc, statistics_shuffle);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, datasets_errors_tcase());
	return s;
}
