/*
 * float32 networks (issue 16), held against the same networks in float64:
 * the passes and gradients (within float32's rounding), whole training runs
 * (the same predictions on at least 99 % of the samples, costs within
 * 1e-3 relative), the sparse path, convolutions, values, model files,
 * optimiser state and distributed runs. The gradient check itself stays in
 * float64 (test_backprop.c, test_layers.c).
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nn_internal.h"
#include "suites.h"
#include "test_util.h"

/* The float32 twin of a float64 network: the same layers, its parameters
 * rounded. */
static nn_net *twin32(const nn_net *net)
{
	nn_net *f;
	ck_assert_int_eq(nn_net_clone(&f, net), 0);
	ck_assert_int_eq(nn_net_set_precision(f, NN_F32), 0);
	ck_assert_int_eq(nn_net_precision(f), NN_F32);
	return f;
}

/* max |a - b| / max(|a|, |b|, floor) between a float64 and a float32 buffer */
static double rel_err32(const double *a, const float *b, size_t n, double floor)
{
	double worst = 0;
	for (size_t i = 0; i < n; i++) {
		double d = fabs(a[i] - b[i]), s = fmax(fmax(fabs(a[i]), fabs(b[i])), floor);
		worst = fmax(worst, d / s);
	}
	return worst;
}

static const char *const specs[] = {
	"5, 7:sigmoid, 3:sigmoid",
	"4, 9:tanh, 6:relu, 3:softmax",
	"6, 5:leaky-relu, 1:identity",
	"7x6x2, conv:3:3:same:relu, maxpool, conv:4:2:tanh, flatten, 3:softmax",
	"8x8, conv:2:3:s2:sigmoid, avgpool, 2:sigmoid",
};
#define N_SPECS (sizeof(specs) / sizeof(specs[0]))

/* Forward, cost and gradient of the twin against the float64 network. */
START_TEST(test_passes)
{
	nn_rng *rng;
	nn_net *net, *f, *g64, *g32;
	ck_assert_int_eq(nn_rng_new(&rng, 70 + (uint32_t)_i), 0);
	ck_assert_int_eq(nn_net_parse(&net, specs[_i], NN_ACT_TANH, NN_ACT_SOFTMAX), 0);
	ck_assert_int_eq(nn_net_init_glorot(net, rng), 0);
	f = twin32(net);
	ck_assert_int_eq(nn_net_clone(&g64, net), 0);
	ck_assert_int_eq(nn_net_clone(&g32, f), 0);
	size_t N = 9, n0 = nn_net_width(net, 0), L = nn_net_layers(net), k = nn_net_width(net, L);
	nn_matrix X, P64, P32;
	nn_labels y;
	ck_assert_int_eq(nn_matrix_new(&X, n0, N), 0);
	ck_assert_int_eq(nn_matrix_new(&P64, k, N), 0);
	ck_assert_int_eq(nn_matrix_new(&P32, k, N), 0);
	ck_assert_int_eq(nn_labels_new(&y, N), 0);
	tu_fill_uniform(&X, rng, -1, 1);
	tu_fill_labels(&y, rng, k);
	ck_assert_int_eq(nn_predict_values(&P64, NULL, net, &X), 0);
	ck_assert_int_eq(nn_predict_values(&P32, NULL, f, &X), 0);
	ck_assert_double_le(tu_max_rel_err(P64.data, P32.data, k * N, 1e-3), 1e-5);
	nn_workspace *w64, *w32;
	ck_assert_int_eq(nn_workspace_new(&w64, net, N), 0);
	ck_assert_int_eq(nn_workspace_new(&w32, f, N), 0);
	double c64, c32;
	ck_assert_int_eq(nn_backward(g64, &c64, w64, net, &X, &y), 0);
	ck_assert_int_eq(nn_backward(g32, &c32, w32, f, &X, &y), 0);
	ck_assert_double_le(fabs(c64 - c32), 1e-5 * fabs(c64));
	size_t n = nn_net_param_count(net);
	double *g = malloc(n * sizeof(double)), num = 0, den = 0;
	ck_assert_int_eq(nn_net_get_params(g, g32), 0);
	const double *ref = nn_net_params(g64);
	for (size_t i = 0; i < n; i++) {
		num += (g[i] - ref[i]) * (g[i] - ref[i]);
		den += ref[i] * ref[i];
	}
	ck_assert_double_le(sqrt(num / den), 1e-5); /* the gradient, norm-wise */
	ck_assert_double_le(rel_err32(ref, nn_net_params_f32(g32), n, 1e-2), 1e-3);
	/* a float32 network's outputs are not doubles: no view of them */
	nn_matrix view;
	ck_assert_int_eq(nn_forward(&view, w32, f, &X), NN_EINVAL);
	ck_assert_int_eq(nn_forward(NULL, w32, f, &X), 0);
	/* and a workspace of the other precision is refused */
	ck_assert_int_eq(nn_forward(NULL, w64, f, &X), NN_ESHAPE);
	free(g);
	nn_workspace_free(w64);
	nn_workspace_free(w32);
	nn_net_free(net);
	nn_net_free(f);
	nn_net_free(g64);
	nn_net_free(g32);
	nn_matrix_free(&X);
	nn_matrix_free(&P64);
	nn_matrix_free(&P32);
	nn_labels_free(&y);
	nn_rng_free(rng);
}
END_TEST

/* Three Gaussian clusters in 6-D. */
static void clusters(nn_matrix *X, nn_labels *y, size_t n, uint32_t seed)
{
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, seed), 0);
	ck_assert_int_eq(nn_matrix_new(X, 6, n), 0);
	ck_assert_int_eq(nn_labels_new(y, n), 0);
	for (size_t j = 0; j < n; j++) {
		int c = (int)(j % 3);
		y->data[j] = c;
		for (size_t i = 0; i < 6; i++)
			NN_AT(X, i, j) = nn_rng_normal(rng, i % 3 == (size_t)c ? 1.5 : -0.5, 1.0);
	}
	nn_rng_free(rng);
}

/* A whole mini-batch run (Adam, dropout, validation, a scaling) and a whole
 * full-batch run in float32: the same predictions as float64 on >= 99 % of
 * the samples, and the costs of every epoch within 1e-3 relative. */
START_TEST(test_training)
{
	nn_matrix X, V;
	nn_labels y, vy;
	clusters(&X, &y, 600, 1);
	clusters(&V, &vy, 300, 2);
	nn_net *a, *b;
	ck_assert_int_eq(nn_net_parse(&a, "6, 32:relu, 16:tanh, 3:softmax", NN_ACT_RELU,
				      NN_ACT_SOFTMAX), 0);
	ck_assert_int_eq(nn_net_fit_scaling(a, NN_SCALING_STANDARD, &X), 0);
	b = twin32(a);
	nn_fit_options o = nn_fit_defaults();
	o.optim.kind = NN_OPT_ADAM;
	o.eta = 0.005;
	o.epochs = 8;
	o.batch_size = 50;
	o.dropout = 0.1;
	o.val_x = &V;
	o.val_y = &vy;
	nn_rng *ra, *rb;
	ck_assert_int_eq(nn_rng_new(&ra, 3), 0);
	ck_assert_int_eq(nn_rng_new(&rb, 3), 0);
	nn_history ha, hb;
	ck_assert_int_eq(nn_fit(a, &ha, &X, &y, &o, ra), 0);
	ck_assert_int_eq(nn_fit(b, &hb, &X, &y, &o, rb), 0);
	ck_assert_uint_eq(ha.n, hb.n);
	for (size_t e = 0; e < ha.n; e++) {
		ck_assert_double_le(fabs(ha.epochs[e].train_cost - hb.epochs[e].train_cost),
				    1e-3 * ha.epochs[e].train_cost);
		ck_assert_double_le(fabs(ha.epochs[e].val_cost - hb.epochs[e].val_cost),
				    1e-3 * ha.epochs[e].val_cost);
	}
	int *pa = malloc(X.cols * sizeof(int)), *pb = malloc(X.cols * sizeof(int));
	ck_assert_int_eq(nn_predict(pa, NULL, a, &V), 0);
	ck_assert_int_eq(nn_predict(pb, NULL, b, &V), 0);
	size_t same = 0;
	for (size_t j = 0; j < V.cols; j++)
		same += pa[j] == pb[j];
	ck_assert_uint_ge(same * 100, 99 * V.cols);
	ck_assert_double_ge(hb.epochs[hb.n - 1].val_accuracy, 0.9);
	nn_history_free(&ha);
	nn_history_free(&hb);

	/* full batch, the lecture's way, with the sparse path forced */
	nn_net *c, *d;
	const size_t sizes[] = { 6, 10, 3 };
	ck_assert_int_eq(nn_net_new(&c, 2, sizes, NULL), 0);
	d = twin32(c);
	nn_matrix Xs;
	ck_assert_int_eq(nn_matrix_new(&Xs, 6, 600), 0);
	for (size_t i = 0; i < 6 * 600; i++) /* two thirds zero: sparse */
		Xs.data[i] = i % 3 ? 0.0 : X.data[i];
	nn_train_options t = nn_train_defaults();
	t.eta = 2e-3;
	t.steps = 200;
	t.input = NN_INPUT_SPARSE;
	nn_train_result rc_, rd;
	ck_assert_int_eq(nn_train_gd(c, &rc_, &Xs, &y, &t), 0);
	ck_assert_int_eq(nn_train_gd(d, &rd, &Xs, &y, &t), 0);
	ck_assert_double_le(fabs(rc_.last_cost - rd.last_cost), 1e-3 * rc_.last_cost);
	ck_assert_int_eq(nn_predict(pa, NULL, c, &Xs), 0);
	ck_assert_int_eq(nn_predict(pb, NULL, d, &Xs), 0);
	same = 0;
	for (size_t j = 0; j < Xs.cols; j++)
		same += pa[j] == pb[j];
	ck_assert_uint_ge(same * 100, 99 * Xs.cols);
	/* and dense against sparse in float32 itself */
	nn_net *e;
	ck_assert_int_eq(nn_net_new(&e, 2, sizes, NULL), 0);
	ck_assert_int_eq(nn_net_set_precision(e, NN_F32), 0);
	t.input = NN_INPUT_DENSE;
	nn_train_result re;
	ck_assert_int_eq(nn_train_gd(e, &re, &Xs, &y, &t), 0);
	ck_assert_double_le(fabs(re.last_cost - rd.last_cost), 1e-4 * rd.last_cost);
	free(pa);
	free(pb);
	nn_net_free(a);
	nn_net_free(b);
	nn_net_free(c);
	nn_net_free(d);
	nn_net_free(e);
	nn_rng_free(ra);
	nn_rng_free(rb);
	nn_matrix_free(&X);
	nn_matrix_free(&Xs);
	nn_matrix_free(&V);
	nn_labels_free(&y);
	nn_labels_free(&vy);
}
END_TEST

/* A regression in float32 learns as float64 does. */
START_TEST(test_values32)
{
	nn_matrix X, Y;
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 4), 0);
	ck_assert_int_eq(nn_matrix_new(&X, 2, 200), 0);
	ck_assert_int_eq(nn_matrix_new(&Y, 1, 200), 0);
	tu_fill_uniform(&X, rng, -2, 2);
	for (size_t j = 0; j < 200; j++)
		Y.data[j] = sin(NN_AT(&X, 0, j)) + 0.5 * NN_AT(&X, 1, j);
	nn_net *a, *b;
	ck_assert_int_eq(nn_net_parse(&a, "2, 16:tanh, 1:identity", NN_ACT_TANH, NN_ACT_IDENTITY),
			 0);
	b = twin32(a);
	nn_fit_options o = nn_fit_defaults();
	o.optim.kind = NN_OPT_ADAM;
	o.eta = 0.01;
	o.epochs = 30;
	nn_history ha, hb;
	nn_rng *ra, *rb;
	ck_assert_int_eq(nn_rng_new(&ra, 5), 0);
	ck_assert_int_eq(nn_rng_new(&rb, 5), 0);
	ck_assert_int_eq(nn_fit_values(a, &ha, &X, &Y, &o, ra), 0);
	ck_assert_int_eq(nn_fit_values(b, &hb, &X, &Y, &o, rb), 0);
	double ra2 = ha.epochs[ha.n - 1].train_r2, rb2 = hb.epochs[hb.n - 1].train_r2;
	ck_assert_double_gt(rb2, 0.95);
	ck_assert_double_le(fabs(ra2 - rb2), 1e-3);
	nn_metrics m;
	ck_assert_int_eq(nn_evaluate_values(&m, NULL, b, &X, &Y), 0);
	ck_assert_double_gt(m.r2, 0.95);
	nn_history_free(&ha);
	nn_history_free(&hb);
	nn_net_free(a);
	nn_net_free(b);
	nn_rng_free(rng);
	nn_rng_free(ra);
	nn_rng_free(rb);
	nn_matrix_free(&X);
	nn_matrix_free(&Y);
}
END_TEST

/* Model files keep the precision and the float32 parameters bit for bit;
 * an optimiser's float32 state survives a save and a load. */
START_TEST(test_model32)
{
	char dir[] = "/tmp/nn-prec-XXXXXX", path[64];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/m.nn", dir);
	nn_net *net, *f, *back;
	ck_assert_int_eq(nn_net_parse(&net, "5x5, conv:2:3:relu, flatten, 3:softmax", NN_ACT_RELU,
				      NN_ACT_SOFTMAX), 0);
	f = twin32(net);
	nn_optim *o;
	nn_optim_options oo = nn_optim_defaults();
	oo.kind = NN_OPT_ADAM;
	ck_assert_int_eq(nn_optim_new(&o, f, &oo), 0);
	nn_net *g;
	ck_assert_int_eq(nn_net_clone(&g, f), 0);
	float *gp = nn_net_params_f32(g);
	for (size_t i = 0; i < nn_net_param_count(g); i++)
		gp[i] = (float)(0.01 * (double)i);
	ck_assert_int_eq(nn_optim_step(o, f, g, 0.1, 1.0), 0);
	nn_model_state st, got;
	ck_assert_int_eq(nn_optim_state(&st, o), 0);
	ck_assert_uint_eq(st.n, 2 * nn_net_param_count(f));
	ck_assert_int_eq(nn_model_save(path, f, &st), 0);
	ck_assert_int_eq(nn_model_load(&back, &got, path), 0);
	ck_assert_int_eq(nn_net_precision(back), NN_F32);
	ck_assert_ptr_null(nn_net_params(back));
	ck_assert_mem_eq(nn_net_params_f32(back), nn_net_params_f32(f),
			 nn_net_param_count(f) * sizeof(float));
	nn_optim *o2;
	ck_assert_int_eq(nn_optim_new(&o2, back, &oo), 0);
	ck_assert_int_eq(nn_optim_set_state(o2, &got), 0);
	/* the next step from the restored state is the next step from the original */
	ck_assert_int_eq(nn_optim_step(o, f, g, 0.1, 1.0), 0);
	ck_assert_int_eq(nn_optim_step(o2, back, g, 0.1, 1.0), 0);
	ck_assert_mem_eq(nn_net_params_f32(back), nn_net_params_f32(f),
			 nn_net_param_count(f) * sizeof(float));
	/* an optimiser of the other precision is refused */
	nn_optim *o64;
	ck_assert_int_eq(nn_optim_new(&o64, net, &oo), 0);
	ck_assert_int_eq(nn_optim_step(o64, f, g, 0.1, 1.0), NN_ESHAPE);
	/* and back to float64: exact */
	ck_assert_int_eq(nn_net_set_precision(back, NN_F64), 0);
	const double *p64 = nn_net_params(back);
	const float *p32 = nn_net_params_f32(f);
	for (size_t i = 0; i < nn_net_param_count(f); i++)
		ck_assert(p64[i] == (double)p32[i]);
	ck_assert_int_eq(nn_net_set_precision(back, (nn_precision)7), NN_EINVAL);
	nn_model_state_free(&got);
	nn_optim_free(o);
	nn_optim_free(o2);
	nn_optim_free(o64);
	nn_net_free(net);
	nn_net_free(f);
	nn_net_free(g);
	nn_net_free(back);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* The update's float32 loop against the same formulas in double, rounded:
 * each step within a few float32 ulps. */
START_TEST(test_update32)
{
	const nn_optimizer kinds[] = { NN_OPT_SGD, NN_OPT_MOMENTUM, NN_OPT_NESTEROV, NN_OPT_ADAM };
	for (int k = 0; k < 4; k++) {
		nn__update_args a = { .kind = kinds[k], .eta = 0.01, .scale = 0.5, .mu = 0.9,
				      .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8, .c1 = 0.1,
				      .c2 = 0.001 };
		float p[5] = { 1, -2, 0.5f, 3, -0.25f }, g[5] = { 0.1f, -0.3f, 2, 0, 1 };
		float u[5] = { 0.01f, 0, -0.2f, 0.3f, 0 }, v[5] = { 0.001f, 0.2f, 0, 0.3f, 1 };
		double pd[5], ud[5], vd[5];
		for (int i = 0; i < 5; i++)
			pd[i] = p[i], ud[i] = u[i], vd[i] = v[i];
		double gd[5] = { g[0], g[1], g[2], g[3], g[4] };
		nn__update_f32(&a, p, g, u, v, 5, 0.1);
		nn__update_f64(&a, pd, gd, ud, vd, 5, 0.1);
		for (int i = 0; i < 5; i++)
			ck_assert_double_le(fabs(p[i] - pd[i]), 4 * 6e-8 * fmax(fabs(pd[i]), 1));
	}
}
END_TEST

Suite *precision_suite(void)
{
	Suite *s = suite_create("precision");
	TCase *tc = tcase_create("float32");
	tcase_add_loop_test(tc, test_passes, 0, N_SPECS);
	tcase_add_test(tc, test_training);
	tcase_add_test(tc, test_values32);
	tcase_add_test(tc, test_model32);
	tcase_add_test(tc, test_update32);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
