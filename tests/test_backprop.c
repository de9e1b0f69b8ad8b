/*
 * The dgemm path held against the naive loops of lib/core/reference.c, and the
 * whole backward pass against central finite differences of the cost.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn_internal.h"
#include "suites.h"
#include "test_util.h"

struct shape {
	size_t n_layers;
	size_t sizes[5];
	nn_activation acts[4];
	size_t batch;
	nn_cost cost;
};

/* 1, 2 and 3 layers; one output unit (0/1 target) and k outputs (one-hot). */
static const struct shape shapes[] = {
	{ 1, { 2, 1 }, { NN_ACT_SIGMOID }, 9, NN_COST_QUADRATIC },
	{ 1, { 3, 4 }, { NN_ACT_SIGMOID }, 5, NN_COST_QUADRATIC },
	{ 2, { 2, 10, 2 }, { NN_ACT_SIGMOID, NN_ACT_SIGMOID }, 11, NN_COST_QUADRATIC },
	{ 2, { 5, 3, 1 }, { NN_ACT_SIGMOID, NN_ACT_IDENTITY }, 7, NN_COST_QUADRATIC },
	{ 3, { 6, 5, 4, 3 }, { NN_ACT_SIGMOID, NN_ACT_IDENTITY, NN_ACT_SIGMOID }, 8, NN_COST_QUADRATIC },
	{ 3, { 4, 7, 3, 1 }, { NN_ACT_SIGMOID, NN_ACT_SIGMOID, NN_ACT_SIGMOID }, 1, NN_COST_QUADRATIC },
	/* beyond the lecture: every activation, and the cross-entropies */
	{ 3, { 3, 6, 5, 2 }, { NN_ACT_TANH, NN_ACT_RELU, NN_ACT_LEAKY_RELU }, 9, NN_COST_QUADRATIC },
	{ 2, { 4, 5, 3 }, { NN_ACT_LEAKY_RELU, NN_ACT_SOFTMAX }, 6, NN_COST_QUADRATIC },
	{ 2, { 4, 5, 3 }, { NN_ACT_TANH, NN_ACT_SOFTMAX }, 6, NN_COST_CE },
	{ 2, { 3, 4, 1 }, { NN_ACT_RELU, NN_ACT_SIGMOID }, 8, NN_COST_BCE },
	{ 2, { 3, 4, 3 }, { NN_ACT_SIGMOID, NN_ACT_SIGMOID }, 8, NN_COST_BCE },
	{ 1, { 5, 4 }, { NN_ACT_SOFTMAX }, 10, NN_COST_CE },
};
#define N_SHAPES (sizeof(shapes) / sizeof(shapes[0]))

struct fixture {
	nn_net *net, *grad, *ref;
	nn_workspace *ws;
	nn_matrix Xbuf, X; /* X is a view with ld = rows + 3, to exercise leading dimensions */
	nn_labels y;
	nn_rng *rng;
};

static void setup(struct fixture *f, const struct shape *s, uint32_t seed)
{
	ck_assert_int_eq(nn_rng_new(&f->rng, seed), 0);
	ck_assert_int_eq(nn_net_new(&f->net, s->n_layers, s->sizes, s->acts), 0);
	ck_assert_int_eq(nn_net_new(&f->grad, s->n_layers, s->sizes, s->acts), 0);
	ck_assert_int_eq(nn_net_new(&f->ref, s->n_layers, s->sizes, s->acts), 0);
	ck_assert_int_eq(nn_net_set_cost(f->net, s->cost), 0);
	ck_assert_int_eq(nn_net_init_randn(f->net, f->rng), 0);
	/* non-zero biases too */
	for (size_t l = 1; l <= s->n_layers; l++) {
		nn_matrix b;
		nn_net_bias(&b, f->net, l);
		tu_fill_uniform(&b, f->rng, -0.5, 0.5);
	}
	ck_assert_int_eq(nn_workspace_new(&f->ws, f->net, s->batch + 2), 0);
	size_t n0 = s->sizes[0];
	ck_assert_int_eq(nn_matrix_new(&f->Xbuf, n0 + 3, s->batch), 0);
	f->X = nn_matrix_view(f->Xbuf.data, n0, s->batch, n0 + 3);
	tu_fill_uniform(&f->X, f->rng, -1.5, 1.5);
	ck_assert_int_eq(nn_labels_new(&f->y, s->batch), 0);
	tu_fill_labels(&f->y, f->rng, s->sizes[s->n_layers]);
}

static void teardown(struct fixture *f)
{
	nn_net_free(f->net);
	nn_net_free(f->grad);
	nn_net_free(f->ref);
	nn_workspace_free(f->ws);
	nn_matrix_free(&f->Xbuf);
	nn_labels_free(&f->y);
	nn_rng_free(f->rng);
}

START_TEST(test_forward_vs_naive)
{
	const struct shape *s = &shapes[_i];
	struct fixture f;
	setup(&f, s, 100 + (uint32_t)_i);
	size_t k = s->sizes[s->n_layers];
	nn_matrix out;
	ck_assert_int_eq(nn_forward(&out, f.ws, f.net, &f.X), 0);
	ck_assert_uint_eq(out.rows, k);
	ck_assert_uint_eq(out.cols, s->batch);
	double *ref = malloc(k * s->batch * sizeof(double));
	ck_assert_int_eq(nn__forward_naive(ref, f.net, &f.X), 0);
	ck_assert_double_le(tu_max_rel_err(out.data, ref, k * s->batch, 1e-300), 1e-12);

	/* predictions: round(a) or the first argmax of the naive outputs */
	int *pred = malloc(s->batch * sizeof(int));
	ck_assert_int_eq(nn_predict(pred, f.ws, f.net, &f.X), 0);
	for (size_t j = 0; j < s->batch; j++) {
		const double *a = ref + j * k;
		int want = 0;
		if (k == 1)
			want = a[0] > 0.5;
		else
			for (size_t i = 1; i < k; i++)
				if (a[i] > a[want])
					want = (int)i;
		ck_assert_int_eq(pred[j], want);
	}
	free(pred);
	free(ref);
	teardown(&f);
}
END_TEST

START_TEST(test_backward_vs_naive)
{
	const struct shape *s = &shapes[_i];
	struct fixture f;
	setup(&f, s, 200 + (uint32_t)_i);
	double cost, ref_cost;
	ck_assert_int_eq(nn_backward(f.grad, &cost, f.ws, f.net, &f.X, &f.y), 0);
	ck_assert_int_eq(nn__backward_naive(f.ref, &ref_cost, f.net, &f.X, &f.y), 0);
	size_t n = nn_net_param_count(f.net);
	ck_assert_double_le(tu_max_rel_err(nn_net_params(f.grad), nn_net_params(f.ref), n, 1e-300),
			    1e-12);
	ck_assert_double_le(fabs(cost - ref_cost) / ref_cost, 1e-12);

	double ev_cost;
	size_t correct;
	ck_assert_int_eq(nn_evaluate(&ev_cost, &correct, f.ws, f.net, &f.X, &f.y), 0);
	ck_assert_double_le(fabs(ev_cost - ref_cost) / ref_cost, 1e-12);
	ck_assert_uint_le(correct, s->batch);
	teardown(&f);
}
END_TEST

/* Central differences of the cost against the backward pass: relative
 * error below 1e-6, element by element (with a floor for tiny gradients)
 * and over the whole gradient vector. */
START_TEST(test_gradcheck)
{
	const struct shape *s = &shapes[_i];
	struct fixture f;
	setup(&f, s, 300 + (uint32_t)_i);
	ck_assert_int_eq(nn_backward(f.grad, NULL, f.ws, f.net, &f.X, &f.y), 0);
	size_t n = nn_net_param_count(f.net);
	double *p = nn_net_params(f.net), *g = nn_net_params(f.grad), *fd = nn_net_params(f.ref);
	const double h = 1e-5;
	for (size_t i = 0; i < n; i++) {
		double keep = p[i], cp, cm;
		p[i] = keep + h;
		ck_assert_int_eq(nn_evaluate(&cp, NULL, f.ws, f.net, &f.X, &f.y), 0);
		p[i] = keep - h;
		ck_assert_int_eq(nn_evaluate(&cm, NULL, f.ws, f.net, &f.X, &f.y), 0);
		p[i] = keep;
		fd[i] = (cp - cm) / (2 * h);
	}
	double num = 0, den = 0;
	for (size_t i = 0; i < n; i++) {
		num += (g[i] - fd[i]) * (g[i] - fd[i]);
		den += g[i] * g[i] + fd[i] * fd[i];
	}
	ck_assert_double_gt(den, 0.0);
	ck_assert_double_lt(sqrt(num / den), 1e-6);
	ck_assert_double_lt(tu_max_rel_err(g, fd, n, 1e-3), 1e-6);
	teardown(&f);
}
END_TEST

START_TEST(test_errors)
{
	struct fixture f;
	setup(&f, &shapes[2], 7); /* 2-10-2, batch 11, workspace for 13 */
	nn_matrix out, bad;
	ck_assert_int_eq(nn_forward(&out, NULL, f.net, &f.X), NN_ENULL);
	ck_assert_int_eq(nn_forward(&out, f.ws, NULL, &f.X), NN_ENULL);
	ck_assert_int_eq(nn_forward(&out, f.ws, f.net, NULL), NN_ENULL);

	/* wrong input rows */
	bad = nn_matrix_view(f.Xbuf.data, 3, 11, 5);
	ck_assert_int_eq(nn_forward(&out, f.ws, f.net, &bad), NN_ESHAPE);
	/* ld < rows, zero columns, more columns than the workspace holds */
	bad = nn_matrix_view(f.Xbuf.data, 2, 11, 1);
	ck_assert_int_eq(nn_forward(&out, f.ws, f.net, &bad), NN_ESHAPE);
	bad = nn_matrix_view(f.Xbuf.data, 2, 0, 5);
	ck_assert_int_eq(nn_forward(&out, f.ws, f.net, &bad), NN_ESHAPE);
	nn_matrix big;
	ck_assert_int_eq(nn_matrix_new(&big, 2, 14), 0);
	ck_assert_int_eq(nn_forward(&out, f.ws, f.net, &big), NN_ESHAPE);
	nn_matrix_free(&big);
	/* a workspace made for another network */
	const size_t other[] = { 2, 9, 2 };
	nn_net *o;
	ck_assert_int_eq(nn_net_new(&o, 2, other, NULL), 0);
	ck_assert_int_eq(nn_forward(&out, f.ws, o, &f.X), NN_ESHAPE);
	ck_assert_int_eq(nn_backward(o, NULL, f.ws, f.net, &f.X, &f.y), NN_ESHAPE);
	nn_net_free(o);

	/* NaN and Inf in the input */
	double keep = NN_AT(&f.X, 1, 4);
	NN_AT(&f.X, 1, 4) = NAN;
	ck_assert_int_eq(nn_forward(&out, f.ws, f.net, &f.X), NN_ENONFINITE);
	NN_AT(&f.X, 1, 4) = INFINITY;
	ck_assert_int_eq(nn_backward(f.grad, NULL, f.ws, f.net, &f.X, &f.y), NN_ENONFINITE);
	NN_AT(&f.X, 1, 4) = keep;

	/* labels: out of range, negative, wrong count */
	f.y.data[3] = 2;
	ck_assert_int_eq(nn_backward(f.grad, NULL, f.ws, f.net, &f.X, &f.y), NN_ELABEL);
	f.y.data[3] = -1;
	ck_assert_int_eq(nn_evaluate(NULL, NULL, f.ws, f.net, &f.X, &f.y), NN_ELABEL);
	f.y.data[3] = 0;
	f.y.n = 10;
	ck_assert_int_eq(nn_evaluate(NULL, NULL, f.ws, f.net, &f.X, &f.y), NN_ESHAPE);
	f.y.n = 11;
	ck_assert_int_eq(nn_backward(f.grad, NULL, f.ws, f.net, &f.X, NULL), NN_ENULL);
	ck_assert_int_eq(nn_backward(NULL, NULL, f.ws, f.net, &f.X, &f.y), NN_ENULL);
	ck_assert_int_eq(nn_predict(NULL, f.ws, f.net, &f.X), NN_ENULL);

	/* a leading dimension BLAS cannot take (int) is refused, not passed on */
	bad = nn_matrix_view(f.Xbuf.data, 2, 11, (size_t)INT_MAX + 1);
	ck_assert_int_eq(nn_forward(&out, f.ws, f.net, &bad), NN_ESIZE);
	const size_t wide[] = { 2, (size_t)INT_MAX + 1, 2 };
	nn_net *w;
	ck_assert_int_eq(nn_net_new(&w, 2, wide, NULL), NN_ESIZE);

	nn_workspace *ws;
	ck_assert_int_eq(nn_workspace_new(&ws, f.net, 0), NN_EINVAL);
	ck_assert_int_eq(nn_workspace_new(&ws, NULL, 3), NN_ENULL);
	ck_assert_int_eq(nn_workspace_new(&ws, f.net, SIZE_MAX / 4), NN_ESIZE);
	teardown(&f);
}
END_TEST

/* Cross-entropies stay finite and exact where exp(z) over- or underflows:
 * one sample, a 1-layer identity-weight network, logits set by hand. */
START_TEST(test_stable_costs)
{
	const size_t sizes[] = { 3, 3 }, one[] = { 1, 1 };
	const nn_activation soft[] = { NN_ACT_SOFTMAX }, sig[] = { NN_ACT_SIGMOID };
	nn_net *net, *bce;
	ck_assert_int_eq(nn_net_new(&net, 1, sizes, soft), 0);
	ck_assert_int_eq(nn_net_set_cost(net, NN_COST_CE), 0);
	double *p = nn_net_params(net); /* W = I, b = 0: z = x (a new network is not zero) */
	memset(p, 0, nn_net_param_count(net) * sizeof(double));
	p[0] = p[4] = p[8] = 1.0;
	double x[3] = { 1000.0, -1000.0, 999.0 };
	int lab[1] = { 2 };
	nn_matrix X = nn_matrix_view(x, 3, 1, 3);
	nn_labels y = { .n = 1, .data = lab };
	nn_workspace *ws;
	ck_assert_int_eq(nn_workspace_new(&ws, net, 1), 0);
	double c;
	size_t right;
	ck_assert_int_eq(nn_evaluate(&c, &right, ws, net, &X, &y), 0);
	/* -log softmax(z)_2 = log(e^1000 + e^-1000 + e^999) - 999 = log(e + 1 + e^-2000) */
	ck_assert_double_eq_tol(c, log(exp(1.0) + 1.0), 1e-12);
	ck_assert_uint_eq(right, 0);
	nn_workspace_free(ws);

	ck_assert_int_eq(nn_net_new(&bce, 1, one, sig), 0);
	ck_assert_int_eq(nn_net_set_cost(bce, NN_COST_BCE), 0);
	nn_net_params(bce)[0] = 1.0;
	nn_net_params(bce)[1] = 0.0;
	ck_assert_int_eq(nn_workspace_new(&ws, bce, 1), 0);
	double z[1] = { -800.0 };
	int one_lab[1] = { 1 };
	nn_matrix Z = nn_matrix_view(z, 1, 1, 1);
	nn_labels y1 = { .n = 1, .data = one_lab };
	/* -log sigma(-800) = softplus(800) = 800 + log1p(e^-800) */
	ck_assert_int_eq(nn_evaluate(&c, NULL, ws, bce, &Z, &y1), 0);
	ck_assert_double_eq_tol(c, 800.0, 1e-12);
	nn_workspace_free(ws);
	nn_net_free(net);
	nn_net_free(bce);
}
END_TEST

START_TEST(test_cost_errors)
{
	const size_t sizes[] = { 3, 4, 2 }, narrow[] = { 3, 1 };
	const nn_activation hidden_soft[] = { NN_ACT_SOFTMAX, NN_ACT_SIGMOID };
	const nn_activation soft[] = { NN_ACT_SOFTMAX };
	const nn_activation relu_out[] = { NN_ACT_SIGMOID, NN_ACT_RELU };
	nn_net *net;
	ck_assert_int_eq(nn_net_new(&net, 2, sizes, hidden_soft), NN_EINVAL);
	ck_assert_int_eq(nn_net_new(&net, 1, narrow, soft), NN_EINVAL);
	ck_assert_int_eq(nn_net_new(&net, 2, sizes, relu_out), 0);
	ck_assert_int_eq(nn_net_cost(net), NN_COST_QUADRATIC);
	ck_assert_int_eq(nn_net_set_cost(net, NN_COST_BCE), NN_EINVAL);
	ck_assert_int_eq(nn_net_set_cost(net, NN_COST_CE), NN_EINVAL);
	ck_assert_int_eq(nn_net_set_cost(net, NN_COST_COUNT_), NN_EINVAL);
	ck_assert_int_eq(nn_net_set_cost(NULL, NN_COST_QUADRATIC), NN_ENULL);
	ck_assert_int_eq(nn_net_cost(net), NN_COST_QUADRATIC);
	nn_net_free(net);
}
END_TEST

Suite *backprop_suite(void)
{
	Suite *s = suite_create("backprop");
	TCase *tc = tcase_create("forward");
	tcase_add_loop_test(tc, test_forward_vs_naive, 0, N_SHAPES);
	suite_add_tcase(s, tc);
	tc = tcase_create("backward");
	tcase_add_loop_test(tc, test_backward_vs_naive, 0, N_SHAPES);
	suite_add_tcase(s, tc);
	tc = tcase_create("gradcheck");
	tcase_add_loop_test(tc, test_gradcheck, 0, N_SHAPES);
	suite_add_tcase(s, tc);
	tc = tcase_create("costs");
	tcase_add_test(tc, test_stable_costs);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_cost_errors);
	suite_add_tcase(s, tc);
	return s;
}
