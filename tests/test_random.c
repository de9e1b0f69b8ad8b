/*
 * The random state against numpy 1.24's legacy RandomState: the first draws
 * of every kind for several seeds (tests/data/datasets/random_seed*.txt),
 * the weight initialisations of the lecture (init.txt), MT19937's published
 * reference outputs, distributions and errors.
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

/* ---- stream: numpy's first outputs, draw for draw, bit for bit ---------- */

static void replay(const struct fx *f)
{
	uint32_t seed = (uint32_t)fx_num(f, "seed", 0);
	nn_rng *rng = NULL;
	ck_assert_int_eq(nn_rng_new(&rng, seed), 0);
	size_t *idx = NULL;
	for (size_t i = 0; i < f->n; i++) {
		const struct fx_entry *e = &f->e[i];
		if (e->kind != FX_OP)
			continue;
		const char *k = e->name;
		double a0 = e->nargs > 0 ? strtod(e->args[0], NULL) : 0;
		double a1 = e->nargs > 1 ? strtod(e->args[1], NULL) : 0;
		if (strcmp(k, "permutation") == 0 || strcmp(k, "shuffle") == 0) {
			size_t n = (size_t)a0;
			idx = malloc(n * sizeof(*idx));
			ck_assert_ptr_nonnull(idx);
			if (k[0] == 'p') {
				nn_rng_permutation(rng, idx, n);
			} else {
				for (size_t j = 0; j < n; j++)
					idx[j] = j;
				nn_rng_shuffle(rng, idx, n);
			}
			for (size_t j = 0; j < e->cols; j++)
				ck_assert_msg(idx[j] == (size_t)e->v[j], "seed %u %s(%zu)[%zu]: %zu, numpy %g",
					      seed, k, n, j, idx[j], e->v[j]);
			free(idx);
			idx = NULL;
			continue;
		}
		if (strcmp(k, "skip") == 0) {
			double last = 0;
			for (size_t j = 0; j < (size_t)a0; j++)
				last = nn_rng_random(rng);
			ck_assert_msg(last == e->v[0], "seed %u: draw %g after skip, numpy %.17g", seed,
				      last, e->v[0]);
			continue;
		}
		if (strcmp(k, "reseed") == 0)
			nn_rng_seed(rng, seed);
		for (size_t j = 0; j < e->cols; j++) {
			double got;
			if (strcmp(k, "uint32") == 0) {
				got = nn_rng_uint32(rng);
			} else if (strcmp(k, "random_sample") == 0 || strcmp(k, "random") == 0) {
				got = nn_rng_random(rng);
			} else if (strcmp(k, "randn") == 0 || strcmp(k, "standard_normal") == 0 ||
				   strcmp(k, "reseed") == 0) {
				got = nn_rng_gauss(rng);
			} else if (strcmp(k, "uniform") == 0) {
				got = nn_rng_uniform(rng, a0, a1);
			} else if (strcmp(k, "normal") == 0) {
				got = nn_rng_normal(rng, a0, a1);
			} else if (strcmp(k, "randint") == 0) {
				int64_t lo = strtoll(e->args[0], NULL, 10), hi = strtoll(e->args[1], NULL, 10);
				int64_t v;
				ck_assert_int_eq(nn_rng_randint(rng, lo, hi, &v), 0);
				/* the fixture's integers are exact in a double: all below 2^53 */
				got = (double)v;
			} else {
				ck_abort_msg("unknown op %s", k);
				return;
			}
			ck_assert_msg(got == e->v[j], "seed %u %s[%zu]: %.17g, numpy %.17g", seed, k, j,
				      got, e->v[j]);
		}
	}
	nn_rng_free(rng);
}

START_TEST(stream_matches_numpy)
{
	char **names = fx_index();
	ck_assert_ptr_nonnull(names);
	int seen = 0;
	for (size_t i = 0; names[i]; i++) {
		if (strncmp(names[i], "random_seed", 11) != 0)
			continue;
		struct fx f;
		ck_assert_msg(fx_load(&f, names[i]) == 0, "cannot read %s", names[i]);
		replay(&f);
		fx_free(&f);
		seen++;
	}
	fx_index_free(names);
	ck_assert_int_ge(seen, 5);
}
END_TEST

/* Matsumoto and Nishimura's mt19937ar.c and C++'s std::mt19937: seed 5489
 * gives 3499211612 first and 4123659995 as the 10000th output. */
START_TEST(stream_reference_mt19937)
{
	nn_rng *rng = NULL;
	ck_assert_int_eq(nn_rng_new(&rng, 5489), 0);
	ck_assert_uint_eq(nn_rng_uint32(rng), 3499211612u);
	for (int i = 1; i < 9999; i++)
		nn_rng_uint32(rng);
	ck_assert_uint_eq(nn_rng_uint32(rng), 4123659995u);
	nn_rng_free(rng);
}
END_TEST

/* A cached Gaussian survives other draws and is dropped by a reseed. */
START_TEST(stream_gauss_cache)
{
	nn_rng *a = NULL, *b = NULL;
	ck_assert_int_eq(nn_rng_new(&a, 9), 0);
	ck_assert_int_eq(nn_rng_new(&b, 9), 0);
	double g1 = nn_rng_gauss(a);
	double g2a = (nn_rng_random(a), nn_rng_gauss(a)); /* the cached one */
	nn_rng_gauss(b);
	double g2b = nn_rng_gauss(b);
	ck_assert(g1 != g2a);
	ck_assert(g2a == g2b);
	nn_rng_gauss(a); /* caches again */
	nn_rng_seed(a, 9);
	ck_assert(nn_rng_gauss(a) == g1);
	nn_rng_free(a);
	nn_rng_free(b);
}
END_TEST

/* ---- init: the lecture's weights, in numpy's fill order ----------------- */

static void expect_matrix(const struct fx *f, const char *name, nn_matrix *m)
{
	const struct fx_entry *a = fx_array(f, name);
	ck_assert_msg(a != NULL, "no array %s in init.txt", name);
	ck_assert_uint_eq(a->rows, m->rows);
	ck_assert_uint_eq(a->cols, m->cols);
	/* numpy's C order: element (i, j) is v[i * cols + j]; ours is column-major */
	for (size_t i = 0; i < m->rows; i++)
		for (size_t j = 0; j < m->cols; j++)
			ck_assert_msg(NN_AT(m, i, j) == a->v[i * a->cols + j], "%s(%zu, %zu): %.17g, numpy %.17g",
				      name, i, j, NN_AT(m, i, j), a->v[i * a->cols + j]);
}

START_TEST(init_fill_order)
{
	struct fx f;
	ck_assert_int_eq(fx_load(&f, "init.txt"), 0);
	const uint32_t seeds[] = { 0, 3 };
	for (size_t s = 0; s < 2; s++) {
		char name[64];
		nn_rng *rng = NULL;
		nn_net *net = NULL;
		nn_matrix w, b;
		ck_assert_int_eq(nn_rng_new(&rng, seeds[s]), 0);

		/* second_network: W1 = npr.randn(10, 2), W2 = npr.randn(2, 10), b = 0 */
		const size_t sizes[] = { 2, 10, 2 };
		ck_assert_int_eq(nn_net_new(&net, 2, sizes, NULL), 0);
		ck_assert_int_eq(nn_net_init_randn(net, rng), 0);
		for (size_t l = 1; l <= 2; l++) {
			ck_assert_int_eq(nn_net_weights(&w, net, l), 0);
			snprintf(name, sizeof(name), "randn_s%u_W%zu", seeds[s], l);
			expect_matrix(&f, name, &w);
			ck_assert_int_eq(nn_net_bias(&b, net, l), 0);
			for (size_t i = 0; i < b.rows; i++)
				ck_assert(NN_AT(&b, i, 0) == 0.0);
		}
		nn_net_free(net);

		/* npr.random() per entry: W1 row by row, b1, W2, b2 */
		nn_rng_seed(rng, seeds[s]);
		const size_t sizes2[] = { 3, 4, 2 };
		ck_assert_int_eq(nn_net_new(&net, 2, sizes2, NULL), 0);
		ck_assert_int_eq(nn_net_init_random(net, rng), 0);
		for (size_t l = 1; l <= 2; l++) {
			ck_assert_int_eq(nn_net_weights(&w, net, l), 0);
			snprintf(name, sizeof(name), "random_s%u_W%zu", seeds[s], l);
			expect_matrix(&f, name, &w);
			ck_assert_int_eq(nn_net_bias(&b, net, l), 0);
			snprintf(name, sizeof(name), "random_s%u_b%zu", seeds[s], l);
			expect_matrix(&f, name, &b);
		}
		nn_net_free(net);
		nn_rng_free(rng);
	}
	fx_free(&f);
}
END_TEST

/* ---- statistics ---------------------------------------------------------- */

START_TEST(statistics_moments)
{
	nn_rng *rng = NULL;
	ck_assert_int_eq(nn_rng_new(&rng, 2024), 0);
	const int n = 200000;
	double su = 0, su2 = 0, sg = 0, sg2 = 0, sg4 = 0, umin = 1, umax = 0;
	for (int i = 0; i < n; i++) {
		double u = nn_rng_random(rng), g = nn_rng_gauss(rng);
		su += u;
		su2 += u * u;
		sg += g;
		sg2 += g * g;
		sg4 += g * g * g * g;
		umin = u < umin ? u : umin;
		umax = u > umax ? u : umax;
	}
	ck_assert(umin >= 0.0 && umax < 1.0);
	ck_assert_double_eq_tol(su / n, 0.5, 0.005);
	ck_assert_double_eq_tol(su2 / n - 0.25, 1.0 / 12.0, 0.002);
	ck_assert_double_eq_tol(sg / n, 0.0, 0.01);
	ck_assert_double_eq_tol(sg2 / n, 1.0, 0.01);
	ck_assert_double_eq_tol(sg4 / n, 3.0, 0.1);
	double sn = 0;
	for (int i = 0; i < n; i++)
		sn += nn_rng_normal(rng, -4.0, 0.5);
	ck_assert_double_eq_tol(sn / n, -4.0, 0.01);
	nn_rng_free(rng);
}
END_TEST

START_TEST(statistics_integers)
{
	nn_rng *rng = NULL;
	ck_assert_int_eq(nn_rng_new(&rng, 77), 0);
	/* every value of [-3, 4) about equally often (chi-square, 6 dof, p ~ 1e-6) */
	long count[7] = { 0 };
	const int n = 70000;
	for (int i = 0; i < n; i++) {
		int64_t v;
		ck_assert_int_eq(nn_rng_randint(rng, -3, 4, &v), 0);
		ck_assert(v >= -3 && v < 4);
		count[v + 3]++;
	}
	double chi2 = 0;
	for (int k = 0; k < 7; k++)
		chi2 += (count[k] - n / 7.0) * (count[k] - n / 7.0) / (n / 7.0);
	ck_assert_msg(chi2 < 35.0, "chi2 = %g", chi2);
	/* the extremes of int64 and a range wider than 32 bits */
	for (int i = 0; i < 1000; i++) {
		int64_t v;
		ck_assert_int_eq(nn_rng_randint(rng, INT64_MIN, INT64_MAX, &v), 0);
		ck_assert(v < INT64_MAX);
		ck_assert_int_eq(nn_rng_randint(rng, 0, (int64_t)1 << 40, &v), 0);
		ck_assert(v >= 0 && v < ((int64_t)1 << 40));
		ck_assert_uint_le(nn_rng_interval(rng, 5), 5);
	}
	ck_assert_uint_eq(nn_rng_interval(rng, 0), 0);
	/* a permutation holds every index once */
	size_t p[100];
	int seen[100] = { 0 };
	nn_rng_permutation(rng, p, 100);
	for (int i = 0; i < 100; i++)
		seen[p[i]]++;
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(seen[i], 1);
	nn_rng_shuffle(rng, p, 0);
	nn_rng_permutation(rng, p, 0);
	nn_rng_free(rng);
}
END_TEST

/* ---- errors -------------------------------------------------------------- */

START_TEST(errors_api)
{
	ck_assert_int_eq(nn_rng_new(NULL, 1), NN_ENULL);
	nn_rng_free(NULL);
	nn_rng *rng = NULL;
	ck_assert_int_eq(nn_rng_new(&rng, 1), 0);
	int64_t v = 42;
	ck_assert_int_eq(nn_rng_randint(rng, 5, 5, &v), NN_EINVAL);
	ck_assert_int_eq(nn_rng_randint(rng, 6, 5, &v), NN_EINVAL);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(nn_rng_randint(rng, 0, 5, NULL), NN_ENULL);
	ck_assert_int_eq(nn_rng_randint(NULL, 0, 5, &v), NN_ENULL);
	/* a failed call draws nothing */
	nn_rng *ref = NULL;
	ck_assert_int_eq(nn_rng_new(&ref, 1), 0);
	ck_assert_uint_eq(nn_rng_uint32(rng), nn_rng_uint32(ref));
	nn_rng_free(ref);
	nn_rng_free(rng);
}
END_TEST

Suite *random_suite(void)
{
	Suite *s = suite_create("random");
	TCase *tc = tcase_create("stream");
	tcase_add_test(tc, stream_matches_numpy);
	tcase_add_test(tc, stream_reference_mt19937);
	tcase_add_test(tc, stream_gauss_cache);
	suite_add_tcase(s, tc);
	tc = tcase_create("init");
	tcase_add_test(tc, init_fill_order);
	suite_add_tcase(s, tc);
	tc = tcase_create("statistics");
	tcase_add_test(tc, statistics_moments);
	tcase_add_test(tc, statistics_integers);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, errors_api);
	suite_add_tcase(s, tc);
	return s;
}
