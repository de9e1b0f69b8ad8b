/*
 * The lecture reproduced: for each fixture written by
 * scripts/lecture_reference.py (numpy and scikit-learn running the lecture's
 * Python after np.random.seed(K)), the programs' own pipeline
 * (examples/lecture.c) must draw the same data, split and initial weights
 * from one nn_rng seeded with K, follow the same costs step by step
 * (1e-9 relative) and reach the same best training score, at the same
 * step, and the same test score -- after 1000 steps, and after the
 * lecture's 10000 except under valgrind.
 */
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "nn/nn.h"
#include "../examples/lecture.h"
#include "suites.h"

#define FIXTURES NN_SOURCE_ROOT "/tests/data/lecture"
#define MAX_VALUES 64

typedef struct fixture {
	char program[16];
	unsigned seed;
	double eta;
	size_t n_train, n_test;
	char hash[4][17]; /* train_x, test_x, train_y, test_y */
	double sum[2][2]; /* per-feature sums of train_x and test_x */
	size_t n_init, n_costs;
	double init[MAX_VALUES], costs[MAX_VALUES];
	size_t short_steps, short_best, short_step, short_test;
	size_t full_steps, full_best, full_step, full_test;
} fixture;

static void read_values(FILE *f, size_t *n, double *v)
{
	ck_assert_int_eq(fscanf(f, "%zu", n), 1);
	ck_assert_uint_le(*n, MAX_VALUES);
	for (size_t i = 0; i < *n; i++)
		ck_assert_int_eq(fscanf(f, "%lf", &v[i]), 1);
}

static void read_fixture(fixture *fx, const char *path)
{
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	memset(fx, 0, sizeof(*fx));
	char key[32];
	while (fscanf(f, "%31s", key) == 1) {
		if (key[0] == '#') {
			int c;
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
		} else if (strcmp(key, "program") == 0) {
			ck_assert_int_eq(fscanf(f, "%15s", fx->program), 1);
		} else if (strcmp(key, "seed") == 0) {
			ck_assert_int_eq(fscanf(f, "%u", &fx->seed), 1);
		} else if (strcmp(key, "eta") == 0) {
			ck_assert_int_eq(fscanf(f, "%lf", &fx->eta), 1);
		} else if (strcmp(key, "n_train") == 0) {
			ck_assert_int_eq(fscanf(f, "%zu", &fx->n_train), 1);
		} else if (strcmp(key, "n_test") == 0) {
			ck_assert_int_eq(fscanf(f, "%zu", &fx->n_test), 1);
		} else if (strncmp(key, "hash_", 5) == 0) {
			static const char *const names[4] = { "hash_train_x", "hash_test_x", "hash_train_y",
							      "hash_test_y" };
			int k = 0;
			while (k < 4 && strcmp(key, names[k]) != 0)
				k++;
			ck_assert_int_lt(k, 4);
			ck_assert_int_eq(fscanf(f, "%16s", fx->hash[k]), 1);
		} else if (strcmp(key, "sum_train_x") == 0 || strcmp(key, "sum_test_x") == 0) {
			int k = strcmp(key, "sum_test_x") == 0;
			ck_assert_int_eq(fscanf(f, "%lf %lf", &fx->sum[k][0], &fx->sum[k][1]), 2);
		} else if (strcmp(key, "init") == 0) {
			read_values(f, &fx->n_init, fx->init);
		} else if (strcmp(key, "costs") == 0) {
			read_values(f, &fx->n_costs, fx->costs);
		} else if (strcmp(key, "short") == 0) {
			ck_assert_int_eq(fscanf(f, "%zu %zu %zu %zu", &fx->short_steps, &fx->short_best,
						&fx->short_step, &fx->short_test), 4);
		} else if (strcmp(key, "full") == 0) {
			ck_assert_int_eq(fscanf(f, "%zu %zu %zu %zu", &fx->full_steps, &fx->full_best,
						&fx->full_step, &fx->full_test), 4);
		} else {
			/* Keys this test does not use (train_x0, last_cost): skip the line. */
			int c;
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
		}
	}
	fclose(f);
	ck_assert_msg(fx->program[0] && fx->n_costs > 0 && fx->short_steps > 0,
		      "%s: incomplete fixture", path);
}

/* FNV-1a 64 of little-endian bytes, as the reference script hashes numpy arrays. */
static uint64_t fnv_bytes(uint64_t h, uint64_t v, int nbytes)
{
	for (int i = 0; i < nbytes; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 0x100000001b3u;
	}
	return h;
}

static void hash_x(char out[17], const nn_matrix *X)
{
	uint64_t h = 0xcbf29ce484222325u;
	/* Sample by sample, features in order: numpy's (N, F) array in C order. */
	for (size_t j = 0; j < X->cols; j++)
		for (size_t i = 0; i < X->rows; i++) {
			uint64_t bits;
			memcpy(&bits, &NN_AT(X, i, j), sizeof(bits));
			h = fnv_bytes(h, bits, 8);
		}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static void hash_y(char out[17], const nn_labels *y)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t j = 0; j < y->n; j++)
		h = fnv_bytes(h, (uint64_t)(int64_t)y->data[j], 8);
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/*
 * X must be numpy's bit for bit -- except, when last_bits, where numpy's
 * SIMD cos and sin (AVX-512) round differently from the C library's: then
 * every sample must still be drawn the same, which the per-feature sums
 * show to 1e-12 (a wrong draw or order moves them by far more).
 */
static void check_x(const nn_matrix *X, const char *hash, const double sum[2], int last_bits,
		    const char *path, const char *what)
{
	char h[17];
	hash_x(h, X);
	if (strcmp(h, hash) == 0)
		return;
	ck_assert_msg(last_bits, "%s: %s differs from numpy's", path, what);
	ck_assert_uint_eq(X->rows, 2);
	for (size_t i = 0; i < 2; i++) {
		double s = 0;
		for (size_t j = 0; j < X->cols; j++)
			s += NN_AT(X, i, j);
		ck_assert_msg(fabs(s - sum[i]) <= 1e-12, "%s: %s feature %zu sums to %.17g, numpy %.17g",
			      path, what, i, s, sum[i]);
	}
}

static size_t test_correct(const nn_net *net, const ex_data *d)
{
	nn_workspace *ws = NULL;
	size_t ok = 0;
	ck_assert_int_eq(nn_workspace_new(&ws, net, d->test_x.cols), 0);
	ck_assert_int_eq(nn_evaluate(NULL, &ok, ws, net, &d->test_x, &d->test_y), 0);
	nn_workspace_free(ws);
	return ok;
}

static void check_fixture(const char *path)
{
	fixture fx;
	read_fixture(&fx, path);
	int example = strcmp(fx.program, "example1") == 0 ? 1 : 2;
	ck_assert_msg(example == 1 || strcmp(fx.program, "example2") == 0, "%s: program", path);

	/* np.random.seed(K); get_data(500); build_model(...): one stream, in that order. */
	nn_rng *rng = NULL;
	ck_assert_int_eq(nn_rng_new(&rng, fx.seed), 0);
	ex_data_options o = ex_data_defaults(example == 1 ? EX_BLOBS : EX_CIRCLES);
	ex_data d;
	ck_assert_int_eq(ex_data_make(&d, &o, rng), 0);
	ck_assert_uint_eq(d.train_x.cols, fx.n_train);
	ck_assert_uint_eq(d.test_x.cols, fx.n_test);
	char h[17];
	check_x(&d.train_x, fx.hash[0], fx.sum[0], example == 2, path, "train_x");
	check_x(&d.test_x, fx.hash[1], fx.sum[1], example == 2, path, "test_x");
	hash_y(h, &d.train_y);
	ck_assert_msg(strcmp(h, fx.hash[2]) == 0, "%s: train_y differs from numpy's", path);
	hash_y(h, &d.test_y);
	ck_assert_msg(strcmp(h, fx.hash[3]) == 0, "%s: test_y differs from numpy's", path);

	nn_net *net = NULL;
	ck_assert_int_eq(example == 1 ? ex_model1(&net, rng) : ex_model2(&net, 2, 10, 2, rng), 0);
	ck_assert_uint_eq(nn_net_param_count(net), fx.n_init);
	const double *p = nn_net_params_const(net);
	for (size_t i = 0; i < fx.n_init; i++)
		ck_assert_msg(p[i] == fx.init[i], "%s: initial parameter %zu is %.17g, numpy %.17g",
			      path, i, p[i], fx.init[i]);
	ck_assert_double_eq(fx.eta, example == 1 ? EX1_ETA : EX2_ETA);

	/* The costs after each of the first steps, then the best score after the short run. */
	nn_gd *gd = NULL;
	nn_train_result res;
	ck_assert_int_eq(nn_gd_new(&gd, net, &d.train_x, &d.train_y, fx.eta), 0);
	for (size_t i = 0; i < fx.n_costs; i++) {
		ck_assert_int_eq(nn_gd_step(gd), 0);
		nn_gd_result(gd, &res);
		double rel = fabs(res.last_cost - fx.costs[i]) / fabs(fx.costs[i]);
		ck_assert_msg(rel <= 1e-9, "%s: cost after step %zu is %.17g, numpy %.17g (rel %.2g)",
			      path, i, res.last_cost, fx.costs[i], rel);
	}
	for (size_t i = fx.n_costs; i < fx.short_steps; i++)
		ck_assert_int_eq(nn_gd_step(gd), 0);
	nn_gd_result(gd, &res);
	ck_assert_msg(res.best_correct == fx.short_best && res.best_step == fx.short_step,
		      "%s: best after %zu steps %zu at step %zu, numpy %zu at step %zu", path,
		      fx.short_steps, res.best_correct, res.best_step, fx.short_best, fx.short_step);
	ck_assert_uint_eq(test_correct(nn_gd_best(gd), &d), fx.short_test);

	/* The lecture's full run, except under valgrind (too slow there). */
	const char *vg = getenv("NN_UNDER_VALGRIND");
	if (!(vg && *vg && strcmp(vg, "0") != 0) && fx.full_steps) {
		for (size_t i = fx.short_steps; i < fx.full_steps; i++)
			ck_assert_int_eq(nn_gd_step(gd), 0);
		nn_gd_result(gd, &res);
		ck_assert_msg(res.best_correct == fx.full_best && res.best_step == fx.full_step,
			      "%s: best after %zu steps %zu at step %zu, numpy %zu at step %zu", path,
			      fx.full_steps, res.best_correct, res.best_step, fx.full_best, fx.full_step);
		ck_assert_uint_eq(test_correct(nn_gd_best(gd), &d), fx.full_test);
	}
	nn_gd_free(gd);
	nn_net_free(net);
	ex_data_free(&d);
	nn_rng_free(rng);
}

/* Every fixture file of one program. */
static void check_program(const char *program)
{
	DIR *dir = opendir(FIXTURES);
	ck_assert_msg(dir != NULL, "no fixtures in %s", FIXTURES);
	int n = 0;
	char path[4096];
	for (struct dirent *e; (e = readdir(dir));) {
		size_t len = strlen(e->d_name);
		if (strncmp(e->d_name, program, strlen(program)) != 0 || len < 4 ||
		    strcmp(e->d_name + len - 4, ".txt") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", FIXTURES, e->d_name);
		check_fixture(path);
		n++;
	}
	closedir(dir);
	ck_assert_msg(n >= 2, "only %d fixtures of %s", n, program);
}

START_TEST(test_example1)
{
	check_program("example1_");
}
END_TEST

START_TEST(test_example2)
{
	check_program("example2_");
}
END_TEST

Suite *lecture_suite(void)
{
	Suite *s = suite_create("lecture");
	TCase *tc = tcase_create("reproduce");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_example1);
	tcase_add_test(tc, test_example2);
	suite_add_tcase(s, tc);
	return s;
}
