#include <math.h>
#include <stdlib.h>

#include "nn_internal.h"
#include "suites.h"
#include "test_util.h"

START_TEST(test_layout)
{
	nn_net *net;
	const size_t sizes[] = { 784, 30, 10 };
	ck_assert_int_eq(nn_net_new(&net, 2, sizes, NULL), 0);
	ck_assert_uint_eq(nn_net_param_count(net), 23860); /* the lecture's count */
	ck_assert_uint_eq(nn_net_layers(net), 2);
	ck_assert_uint_eq(nn_net_width(net, 0), 784);
	ck_assert_uint_eq(nn_net_width(net, 2), 10);
	ck_assert_uint_eq(nn_net_width(net, 3), 0);
	ck_assert_int_eq(nn_net_activation(net, 1), NN_ACT_SIGMOID);

	/* W_1, b_1, W_2, b_2 follow each other in the parameter buffer */
	nn_matrix w, b;
	double *p = nn_net_params(net);
	ck_assert_int_eq(nn_net_weights(&w, net, 1), 0);
	ck_assert_ptr_eq(w.data, p);
	ck_assert_uint_eq(w.rows, 30);
	ck_assert_uint_eq(w.cols, 784);
	ck_assert_int_eq(nn_net_bias(&b, net, 1), 0);
	ck_assert_ptr_eq(b.data, p + 30 * 784);
	ck_assert_int_eq(nn_net_weights(&w, net, 2), 0);
	ck_assert_ptr_eq(w.data, p + 30 * 785);
	ck_assert_int_eq(nn_net_bias(&b, net, 2), 0);
	ck_assert_ptr_eq(b.data, p + 30 * 785 + 300);
	ck_assert_int_eq(nn_net_weights(&w, net, 0), NN_EINVAL);
	ck_assert_int_eq(nn_net_bias(&b, net, 3), NN_EINVAL);
	nn_net_free(net);
}
END_TEST

START_TEST(test_clone)
{
	nn_net *a, *b, *c;
	const size_t sizes[] = { 3, 4, 2 }, other[] = { 3, 5, 2 };
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 1), 0);
	ck_assert_int_eq(nn_net_new(&a, 2, sizes, NULL), 0);
	ck_assert_int_eq(nn_net_init_randn(a, rng), 0);
	ck_assert_int_eq(nn_net_clone(&b, a), 0);
	size_t n = nn_net_param_count(a);
	ck_assert_mem_eq(nn_net_params(a), nn_net_params(b), n * sizeof(double));
	nn_net_params(b)[0] += 1.0; /* a deep copy */
	ck_assert(nn_net_params(a)[0] != nn_net_params(b)[0]);
	ck_assert_int_eq(nn_net_copy_params(b, a), 0);
	ck_assert_mem_eq(nn_net_params(a), nn_net_params(b), n * sizeof(double));
	ck_assert_int_eq(nn_net_new(&c, 2, other, NULL), 0);
	ck_assert_int_eq(nn_net_copy_params(c, a), NN_ESHAPE);
	nn_net_free(a);
	nn_net_free(b);
	nn_net_free(c);
	nn_rng_free(rng);
}
END_TEST

/* W_l is filled as numpy fills randn(n, in): row by row, so draw number
 * i * in + k lands at row i, column k of the column-major W_l. */
START_TEST(test_init_order)
{
	const size_t sizes[] = { 3, 4, 2 };
	nn_net *net;
	nn_rng *rng, *ref;
	ck_assert_int_eq(nn_net_new(&net, 2, sizes, NULL), 0);
	ck_assert_int_eq(nn_rng_new(&rng, 42), 0);
	ck_assert_int_eq(nn_rng_new(&ref, 42), 0);
	ck_assert_int_eq(nn_net_init_randn(net, rng), 0);
	for (size_t l = 1; l <= 2; l++) {
		nn_matrix w, b;
		nn_net_weights(&w, net, l);
		nn_net_bias(&b, net, l);
		for (size_t i = 0; i < w.rows; i++)
			for (size_t k = 0; k < w.cols; k++)
				ck_assert(NN_AT(&w, i, k) == nn_rng_gauss(ref));
		for (size_t i = 0; i < b.rows; i++)
			ck_assert(b.data[i] == 0.0);
	}
	/* first_network: w1, w2 then b, each random() */
	const size_t one[] = { 2, 1 };
	nn_net *neuron;
	ck_assert_int_eq(nn_net_new(&neuron, 1, one, NULL), 0);
	nn_rng_seed(rng, 7);
	nn_rng_seed(ref, 7);
	ck_assert_int_eq(nn_net_init_random(neuron, rng), 0);
	const double *p = nn_net_params(neuron);
	for (int i = 0; i < 3; i++)
		ck_assert(p[i] == nn_rng_random(ref));
	nn_net_free(neuron);
	nn_net_free(net);
	nn_rng_free(rng);
	nn_rng_free(ref);
}
END_TEST

/* Glorot and He: the documented distributions, drawn row by row. */
START_TEST(test_init_glorot_he)
{
	const size_t sizes[] = { 6, 4, 3 };
	nn_net *net;
	nn_rng *rng, *ref;
	ck_assert_int_eq(nn_net_new(&net, 2, sizes, NULL), 0);
	ck_assert_int_eq(nn_rng_new(&rng, 5), 0);
	ck_assert_int_eq(nn_rng_new(&ref, 5), 0);
	for (int kind = 0; kind < 2; kind++) {
		nn_rng_seed(rng, 5);
		nn_rng_seed(ref, 5);
		ck_assert_int_eq(kind ? nn_net_init_he(net, rng) : nn_net_init_glorot(net, rng), 0);
		for (size_t l = 1; l <= 2; l++) {
			nn_matrix w, b;
			nn_net_weights(&w, net, l);
			nn_net_bias(&b, net, l);
			double a = sqrt(6.0 / (double)(sizes[l] + sizes[l - 1]));
			double s = sqrt(2.0 / (double)sizes[l - 1]);
			for (size_t i = 0; i < w.rows; i++)
				for (size_t k = 0; k < w.cols; k++) {
					double want = kind ? s * nn_rng_gauss(ref)
							   : -a + 2 * a * nn_rng_random(ref);
					ck_assert_double_eq_tol(NN_AT(&w, i, k), want, 1e-15);
					if (!kind)
						ck_assert(fabs(NN_AT(&w, i, k)) <= a);
				}
			for (size_t i = 0; i < b.rows; i++)
				ck_assert(b.data[i] == 0.0);
		}
	}
	nn_net_free(net);
	nn_rng_free(rng);
	nn_rng_free(ref);
}
END_TEST

/* Orthogonal: the fewer of W's rows or columns are orthonormal (times gain). */
START_TEST(test_init_orthogonal)
{
	const size_t sizes[] = { 7, 3, 9, 9 }; /* wide, tall, square */
	nn_net *net;
	nn_rng *rng;
	ck_assert_int_eq(nn_net_new(&net, 3, sizes, NULL), 0);
	ck_assert_int_eq(nn_rng_new(&rng, 21), 0);
	const double gain = 1.5;
	ck_assert_int_eq(nn_net_init_orthogonal(net, rng, gain), 0);
	for (size_t l = 1; l <= 3; l++) {
		nn_matrix w;
		nn_net_weights(&w, net, l);
		int wide = w.rows < w.cols;
		size_t m = wide ? w.rows : w.cols, len = wide ? w.cols : w.rows;
		for (size_t p = 0; p < m; p++)
			for (size_t q = 0; q < m; q++) {
				double dot = 0;
				for (size_t t = 0; t < len; t++)
					dot += wide ? NN_AT(&w, p, t) * NN_AT(&w, q, t)
						    : NN_AT(&w, t, p) * NN_AT(&w, t, q);
				ck_assert_double_eq_tol(dot, p == q ? gain * gain : 0.0, 1e-12);
			}
	}
	ck_assert_int_eq(nn_net_init_orthogonal(net, rng, NAN), NN_EINVAL);
	ck_assert_int_eq(nn_net_init_orthogonal(NULL, rng, 1.0), NN_ENULL);
	ck_assert_int_eq(nn_net_init_he(net, NULL), NN_ENULL);
	ck_assert_int_eq(nn_net_init_glorot(NULL, rng), NN_ENULL);
	nn_net_free(net);
	nn_rng_free(rng);
}
END_TEST

START_TEST(test_errors)
{
	nn_net *net = (nn_net *)1;
	const size_t sizes[] = { 2, 0, 1 }, ok[] = { 2, 3, 1 };
	const nn_activation bad[] = { NN_ACT_SIGMOID, (nn_activation)99 };
	ck_assert_int_eq(nn_net_new(&net, 2, sizes, NULL), NN_EINVAL);
	ck_assert_ptr_null(net);
	ck_assert_int_eq(nn_net_new(&net, 0, ok, NULL), NN_EINVAL);
	ck_assert_int_eq(nn_net_new(&net, 2, NULL, NULL), NN_ENULL);
	ck_assert_int_eq(nn_net_new(NULL, 2, ok, NULL), NN_ENULL);
	ck_assert_int_eq(nn_net_new(&net, 2, ok, bad), NN_EINVAL);
	const size_t huge[] = { (size_t)1 << 40, (size_t)1 << 40 };
	ck_assert_int_eq(nn_net_new(&net, 1, huge, NULL), NN_ESIZE);
	ck_assert_int_eq(nn_net_clone(&net, NULL), NN_ENULL);
	ck_assert_int_eq(nn_net_init_randn(NULL, NULL), NN_ENULL);
	ck_assert_int_eq(nn_net_init_random(NULL, NULL), NN_ENULL);
	nn_net_free(NULL);
	nn_workspace_free(NULL);
	nn_gd_free(NULL);
	nn_rng_free(NULL);
}
END_TEST

Suite *net_suite(void)
{
	Suite *s = suite_create("net");
	TCase *tc = tcase_create("layout");
	tcase_add_test(tc, test_layout);
	tcase_add_test(tc, test_clone);
	tcase_add_test(tc, test_init_order);
	tcase_add_test(tc, test_init_glorot_he);
	tcase_add_test(tc, test_init_orthogonal);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}
