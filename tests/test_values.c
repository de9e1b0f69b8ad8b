/*
 * Bringing one's own problem (issue 14): real-valued targets (regression,
 * several outputs, multi-label, soft labels), their metrics, input scaling
 * and names kept with the network, prediction of any size, and the safe
 * defaults of a new network.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn_internal.h"
#include "suites.h"
#include "test_util.h"

static const double M_PI_ = 3.14159265358979323846;

/* The cost/activation pairings values are trained with. */
struct pairing {
	size_t sizes[4];
	nn_activation acts[3];
	nn_cost cost;
	int kind; /* 0 any real values, 1 values in [0, 1], 2 distributions */
};

static const struct pairing pairings[] = {
	{ { 3, 5, 1 }, { NN_ACT_TANH, NN_ACT_IDENTITY }, NN_COST_QUADRATIC, 0 },
	{ { 4, 6, 3 }, { NN_ACT_RELU, NN_ACT_IDENTITY }, NN_COST_QUADRATIC, 0 },
	{ { 2, 4, 4, 2 }, { NN_ACT_SIGMOID, NN_ACT_TANH, NN_ACT_IDENTITY }, NN_COST_QUADRATIC, 0 },
	{ { 3, 5, 4 }, { NN_ACT_TANH, NN_ACT_SIGMOID }, NN_COST_BCE, 1 },
	{ { 3, 5, 4 }, { NN_ACT_TANH, NN_ACT_SOFTMAX }, NN_COST_CE, 2 },
	{ { 3, 4, 2 }, { NN_ACT_LEAKY_RELU, NN_ACT_SIGMOID }, NN_COST_QUADRATIC, 1 },
};
#define N_PAIRINGS (sizeof(pairings) / sizeof(pairings[0]))

static void fill_targets(nn_matrix *Y, nn_rng *rng, int kind)
{
	for (size_t j = 0; j < Y->cols; j++) {
		double sum = 0;
		for (size_t i = 0; i < Y->rows; i++) {
			double v = kind == 0 ? nn_rng_uniform(rng, -2, 2) : nn_rng_random(rng);
			NN_AT(Y, i, j) = v;
			sum += v;
		}
		if (kind == 2)
			for (size_t i = 0; i < Y->rows; i++)
				NN_AT(Y, i, j) /= sum;
	}
}

/* The backward pass on values against the naive loops and central differences. */
START_TEST(test_values_gradient)
{
	const struct pairing *p = &pairings[_i];
	size_t L = p->sizes[3] ? 3 : 2, N = 7, k = p->sizes[L];
	nn_rng *rng;
	nn_net *net, *ref;
	ck_assert_int_eq(nn_rng_new(&rng, 40 + (uint32_t)_i), 0);
	ck_assert_int_eq(nn_net_new(&net, L, p->sizes, p->acts), 0);
	ck_assert_int_eq(nn_net_set_cost(net, p->cost), 0);
	ck_assert_int_eq(nn_net_init_glorot(net, rng), 0);
	ck_assert_int_eq(nn_net_clone(&ref, net), 0);
	nn_matrix X, Y;
	ck_assert_int_eq(nn_matrix_new(&X, p->sizes[0], N), 0);
	ck_assert_int_eq(nn_matrix_new(&Y, k, N), 0);
	tu_fill_uniform(&X, rng, -1, 1);
	fill_targets(&Y, rng, p->kind);
	ck_assert_int_eq(nn__check_values(net, &Y, N), 0);
	nn_workspace *ws;
	ck_assert_int_eq(nn_workspace_new(&ws, net, N), 0);
	nn__target t = { .Y = Y.data, .ldy = Y.ld };
	double *g = nn__grad_new(net, 0), cost, ref_cost;
	nn__score s;
	nn__forward(ws, net, &X, NULL, NULL);
	nn__output_pass(&s, ws, net, &t, g, NULL);
	nn__backward(g, ws, net, NULL, NULL);
	cost = s.cost;
	ck_assert_int_eq(nn__backward_naive_target(ref, &ref_cost, net, &X, &t), 0);
	size_t n = nn_net_param_count(net);
	ck_assert_double_le(tu_max_rel_err(g, nn_net_params(ref), n, 1e-14), 1e-12);
	ck_assert_double_le(fabs(cost - ref_cost), 1e-12 * fabs(ref_cost));
	double *w = nn_net_params(net), worst = 0;
	for (size_t i = 0; i < n; i++) {
		double keep = w[i];
		nn__score sp, sm;
		w[i] = keep + 1e-5;
		nn__forward(ws, net, &X, NULL, NULL);
		nn__output_pass(&sp, ws, net, &t, NULL, NULL);
		w[i] = keep - 1e-5;
		nn__forward(ws, net, &X, NULL, NULL);
		nn__output_pass(&sm, ws, net, &t, NULL, NULL);
		w[i] = keep;
		double fd = (sp.cost - sm.cost) / 2e-5;
		worst = fmax(worst, fabs(fd - g[i]) / fmax(fmax(fabs(fd), fabs(g[i])), 1e-4));
	}
	ck_assert_double_lt(worst, 1e-6);
	free(g);
	nn_workspace_free(ws);
	nn_net_free(net);
	nn_net_free(ref);
	nn_rng_free(rng);
	nn_matrix_free(&X);
	nn_matrix_free(&Y);
}
END_TEST

/* sin(x) on [-pi, pi], nn_fit_values with a validation set: it learns, the
 * history reports MSE, MAE and R^2 that match the metrics computed here
 * from the predictions, and the network's task becomes regression. */
START_TEST(test_fit_sine)
{
	const size_t N = 256, V = 64;
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 3), 0);
	nn_matrix X, Y, Xv, Yv, P;
	ck_assert_int_eq(nn_matrix_new(&X, 1, N), 0);
	ck_assert_int_eq(nn_matrix_new(&Y, 1, N), 0);
	ck_assert_int_eq(nn_matrix_new(&Xv, 1, V), 0);
	ck_assert_int_eq(nn_matrix_new(&Yv, 1, V), 0);
	ck_assert_int_eq(nn_matrix_new(&P, 1, V), 0);
	for (size_t j = 0; j < N; j++) {
		X.data[j] = nn_rng_uniform(rng, -M_PI_, M_PI_);
		Y.data[j] = sin(X.data[j]);
	}
	for (size_t j = 0; j < V; j++) {
		Xv.data[j] = -M_PI_ + 2 * M_PI_ * (double)j / (double)(V - 1);
		Yv.data[j] = sin(Xv.data[j]);
	}
	nn_net *net;
	ck_assert_int_eq(nn_net_parse(&net, "1, 32:tanh, 32:tanh, 1:identity", NN_ACT_TANH,
				      NN_ACT_IDENTITY), 0);
	ck_assert_int_eq(nn_net_task(net), NN_TASK_AUTO);
	ck_assert_int_eq(nn_net_fit_scaling(net, NN_SCALING_STANDARD, &X), 0);
	nn_fit_options o = nn_fit_defaults();
	o.optim.kind = NN_OPT_ADAM;
	o.eta = 0.01;
	o.epochs = 150;
	o.batch_size = 32;
	o.schedule = NN_SCHEDULE_COSINE;
	o.val_x = &Xv;
	o.val_values = &Yv;
	nn_history h;
	ck_assert_int_eq(nn_fit_values(net, &h, &X, &Y, &o, rng), 0);
	ck_assert_int_eq(nn_net_task(net), NN_TASK_REGRESS);
	ck_assert_int_eq(h.task, NN_TASK_REGRESS);
	const nn_epoch_stats *last = &h.epochs[h.n - 1];
	ck_assert(isnan(last->train_accuracy) && isnan(last->val_accuracy));
	ck_assert_double_lt(sqrt(last->val_mse), 0.03);
	ck_assert_double_gt(last->val_r2, 0.99);
	ck_assert_double_lt(last->train_mse, h.epochs[0].train_mse);
	/* the validation metrics, recomputed from the predictions */
	ck_assert_int_eq(nn_predict_values(&P, NULL, net, &Xv), 0);
	double sse = 0, sae = 0, mean = 0, sst = 0;
	for (size_t j = 0; j < V; j++)
		mean += Yv.data[j] / (double)V;
	for (size_t j = 0; j < V; j++) {
		double e = P.data[j] - Yv.data[j];
		sse += e * e;
		sae += fabs(e);
		sst += (Yv.data[j] - mean) * (Yv.data[j] - mean);
	}
	ck_assert_double_le(fabs(last->val_mse - sse / V), 1e-12);
	ck_assert_double_le(fabs(last->val_mae - sae / V), 1e-12);
	ck_assert_double_le(fabs(last->val_r2 - (1 - sse / sst)), 1e-12);
	ck_assert_double_le(fabs(last->val_cost - 0.5 * sse / V), 1e-12);
	nn_metrics m;
	ck_assert_int_eq(nn_evaluate_values(&m, NULL, net, &Xv, &Yv), 0);
	ck_assert_uint_eq(m.n, V);
	ck_assert_double_le(fabs(m.mse - sse / V), 1e-12);
	ck_assert_double_le(fabs(m.rmse - sqrt(sse / V)), 1e-12);
	ck_assert_double_le(fabs(m.r2 - last->val_r2), 1e-12);
	ck_assert(isnan(m.accuracy));
	nn_history_free(&h);
	nn_net_free(net);
	nn_rng_free(rng);
	nn_matrix_free(&X);
	nn_matrix_free(&Y);
	nn_matrix_free(&Xv);
	nn_matrix_free(&Yv);
	nn_matrix_free(&P);
}
END_TEST

/* R^2 over several outputs is the mean of each output's, as scikit-learn's
 * r2_score; a constant target scores 1 when predicted exactly, else 0. */
START_TEST(test_r2_outputs)
{
	const size_t sizes[] = { 2, 2 };
	const nn_activation id[] = { NN_ACT_IDENTITY };
	nn_net *net;
	ck_assert_int_eq(nn_net_new(&net, 1, sizes, id), 0);
	double *p = nn_net_params(net); /* W = I, b = 0: the prediction is x */
	memset(p, 0, nn_net_param_count(net) * sizeof(double));
	p[0] = p[3] = 1.0;
	double x[8] = { 1, 5, 2, 5, 3, 5, 4, 5 }, y[8] = { 1.5, 5, 2, 5, 2.5, 5, 4, 5 };
	nn_matrix X = nn_matrix_view(x, 2, 4, 2), Y = nn_matrix_view(y, 2, 4, 2);
	nn_metrics m;
	ck_assert_int_eq(nn_evaluate_values(&m, NULL, net, &X, &Y), 0);
	/* output 0: sse 0.25 + 0 + 0.25 + 0 = 0.5, mean 2.5, sst 1 + .25 + 0 + 2.25 = 3.5 */
	double r0 = 1 - 0.5 / 3.5, r1 = 1.0;
	ck_assert_double_le(fabs(m.r2 - (r0 + r1) / 2), 1e-15);
	ck_assert_double_le(fabs(m.mse - 0.5 / 8), 1e-15);
	ck_assert_double_le(fabs(m.mae - 1.0 / 8), 1e-15);
	y[1] = 4.0; /* the constant target now predicted wrongly in one sample: its R^2 is 1 - ... */
	ck_assert_int_eq(nn_evaluate_values(&m, NULL, net, &X, &Y), 0);
	double sst1 = 3 * 0.0625 + 0.5625, r1b = 1 - 1.0 / sst1;
	ck_assert_double_le(fabs(m.r2 - (r0 + r1b) / 2), 1e-15);
	nn_net_free(net);
}
END_TEST

/* Full-batch gradient descent on values keeps the model of the lowest cost. */
START_TEST(test_gd_values)
{
	const size_t sizes[] = { 2, 6, 1 };
	const nn_activation acts[] = { NN_ACT_TANH, NN_ACT_IDENTITY };
	nn_net *net;
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 5), 0);
	ck_assert_int_eq(nn_net_new(&net, 2, sizes, acts), 0);
	nn_matrix X, Y;
	ck_assert_int_eq(nn_matrix_new(&X, 2, 50), 0);
	ck_assert_int_eq(nn_matrix_new(&Y, 1, 50), 0);
	tu_fill_uniform(&X, rng, -1, 1);
	for (size_t j = 0; j < 50; j++)
		Y.data[j] = NN_AT(&X, 0, j) * NN_AT(&X, 1, j);
	nn_metrics before, after;
	ck_assert_int_eq(nn_evaluate_values(&before, NULL, net, &X, &Y), 0);
	nn_train_options o = nn_train_defaults();
	o.eta = 0.02;
	o.steps = 300;
	nn_train_result r;
	ck_assert_int_eq(nn_train_gd_values(net, &r, &X, &Y, &o), 0);
	ck_assert_int_eq(nn_evaluate_values(&after, NULL, net, &X, &Y), 0);
	ck_assert_double_lt(after.cost, before.cost);
	/* the model handed back is the best one: its cost is the best cost (summed) */
	ck_assert_double_le(fabs(after.cost * 50 - r.best_cost), 1e-12 * r.best_cost);
	ck_assert_double_le(r.best_cost, r.last_cost);
	ck_assert_int_eq(nn_net_task(net), NN_TASK_REGRESS);
	/* values the cost cannot take are refused, with the place */
	ck_assert_int_eq(nn_net_set_cost(net, NN_COST_QUADRATIC), 0);
	nn_matrix Yw;
	ck_assert_int_eq(nn_matrix_new(&Yw, 2, 50), 0);
	ck_assert_int_eq(nn_train_gd_values(net, &r, &X, &Yw, &o), NN_ESHAPE);
	ck_assert_ptr_nonnull(strstr(nn_last_error(), "Y is 2 x 50; it must be 1 x 50"));
	Y.data[7] = NAN;
	ck_assert_int_eq(nn_train_gd_values(net, &r, &X, &Y, &o), NN_ENONFINITE);
	nn_matrix_free(&Yw);
	nn_net_free(net);
	nn_rng_free(rng);
	nn_matrix_free(&X);
	nn_matrix_free(&Y);
}
END_TEST

/* Targets outside what the cost takes: BCE in [0, 1], CE distributions. */
START_TEST(test_values_refused)
{
	const size_t sizes[] = { 2, 3 };
	const nn_activation sig[] = { NN_ACT_SIGMOID }, soft[] = { NN_ACT_SOFTMAX };
	nn_net *a, *b;
	ck_assert_int_eq(nn_net_new(&a, 1, sizes, sig), 0);
	ck_assert_int_eq(nn_net_set_cost(a, NN_COST_BCE), 0);
	ck_assert_int_eq(nn_net_new(&b, 1, sizes, soft), 0);
	ck_assert_int_eq(nn_net_cost(b), NN_COST_CE); /* softmax's default */
	double x[4] = { 0, 1, 1, 0 }, y[6] = { 0, 1, 1, 0.5, 0.25, 0.25 };
	nn_matrix X = nn_matrix_view(x, 2, 2, 2), Y = nn_matrix_view(y, 3, 2, 3);
	nn_metrics m;
	ck_assert_int_eq(nn_evaluate_values(&m, NULL, a, &X, &Y), 0);
	ck_assert_int_eq(nn_evaluate_values(&m, NULL, b, &X, &Y), NN_EINVAL); /* column 0 sums to 2 */
	ck_assert_ptr_nonnull(strstr(nn_last_error(), "column 0 of Y sums to 2"));
	y[1] = 0;
	ck_assert_int_eq(nn_evaluate_values(&m, NULL, b, &X, &Y), 0);
	y[2] = 1.5;
	ck_assert_int_eq(nn_evaluate_values(&m, NULL, a, &X, &Y), NN_EINVAL);
	ck_assert_ptr_nonnull(strstr(nn_last_error(), "Y(2, 0) is 1.5"));
	nn_net_free(a);
	nn_net_free(b);
}
END_TEST

/* The input scaling: fitted as StandardScaler and MinMaxScaler are, applied
 * on the way in by prediction and training alike. */
START_TEST(test_scaling)
{
	const size_t sizes[] = { 3, 4, 2 };
	nn_net *net, *plain;
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 9), 0);
	ck_assert_int_eq(nn_net_new(&net, 2, sizes, NULL), 0);
	nn_matrix X, Xs;
	ck_assert_int_eq(nn_matrix_new(&X, 3, 40), 0);
	ck_assert_int_eq(nn_matrix_new(&Xs, 3, 40), 0);
	for (size_t j = 0; j < 40; j++) {
		NN_AT(&X, 0, j) = nn_rng_normal(rng, 100, 20);
		NN_AT(&X, 1, j) = nn_rng_uniform(rng, -3, -1);
		NN_AT(&X, 2, j) = 7.0; /* constant: only centred */
	}
	const double *shift, *scale;
	ck_assert_int_eq(nn_net_fit_scaling(net, NN_SCALING_STANDARD, &X), 0);
	ck_assert_int_eq(nn_net_scaling(net, &shift, &scale), NN_SCALING_STANDARD);
	for (size_t i = 0; i < 3; i++) {
		double mean = 0, var = 0;
		for (size_t j = 0; j < 40; j++)
			mean += NN_AT(&X, i, j) / 40;
		for (size_t j = 0; j < 40; j++)
			var += (NN_AT(&X, i, j) - mean) * (NN_AT(&X, i, j) - mean) / 40;
		ck_assert_double_le(fabs(shift[i] - mean), 1e-12 * fabs(mean));
		double eps = 2.220446049250313e-16, bound = 40 * eps * var + pow(40 * mean * eps, 2);
		ck_assert_double_le(fabs(scale[i] - (var > bound ? 1 / sqrt(var) : 1.0)),
				    1e-12 * scale[i]);
		for (size_t j = 0; j < 40; j++)
			NN_AT(&Xs, i, j) = (NN_AT(&X, i, j) - shift[i]) * scale[i];
	}
	/* predicting raw input = predicting the scaled input without a scaling */
	ck_assert_int_eq(nn_net_clone(&plain, net), 0);
	ck_assert_int_eq(nn_net_set_scaling(plain, NN_SCALING_NONE, NULL, NULL), 0);
	nn_matrix A = { 0 }, B = { 0 };
	ck_assert_int_eq(nn_matrix_new(&A, 2, 40), 0);
	ck_assert_int_eq(nn_matrix_new(&B, 2, 40), 0);
	ck_assert_int_eq(nn_predict_values(&A, NULL, net, &X), 0);
	ck_assert_int_eq(nn_predict_values(&B, NULL, plain, &Xs), 0);
	ck_assert_mem_eq(A.data, B.data, 80 * sizeof(double));
	/* and training alike: the same steps, bit for bit */
	nn_labels y;
	ck_assert_int_eq(nn_labels_new(&y, 40), 0);
	tu_fill_labels(&y, rng, 2);
	nn_fit_options o = nn_fit_defaults();
	o.epochs = 3;
	o.batch_size = 8;
	nn_rng *r1, *r2;
	ck_assert_int_eq(nn_rng_new(&r1, 1), 0);
	ck_assert_int_eq(nn_rng_new(&r2, 1), 0);
	ck_assert_int_eq(nn_fit(net, NULL, &X, &y, &o, r1), 0);
	ck_assert_int_eq(nn_fit(plain, NULL, &Xs, &y, &o, r2), 0);
	ck_assert_mem_eq(nn_net_params(net), nn_net_params(plain),
			 nn_net_param_count(net) * sizeof(double));
	nn_train_options go = nn_train_defaults();
	go.steps = 20;
	ck_assert_int_eq(nn_train_gd(net, NULL, &X, &y, &go), 0);
	ck_assert_int_eq(nn_train_gd(plain, NULL, &Xs, &y, &go), 0);
	ck_assert_mem_eq(nn_net_params(net), nn_net_params(plain),
			 nn_net_param_count(net) * sizeof(double));
	/* min-max: [0, 1] on the data fitted on */
	ck_assert_int_eq(nn_net_fit_scaling(net, NN_SCALING_MINMAX, &X), 0);
	nn_net_scaling(net, &shift, &scale);
	for (size_t i = 0; i < 2; i++) {
		double lo = INFINITY, hi = -INFINITY;
		for (size_t j = 0; j < 40; j++) {
			double v = (NN_AT(&X, i, j) - shift[i]) * scale[i];
			lo = fmin(lo, v);
			hi = fmax(hi, v);
		}
		ck_assert_double_le(fabs(lo), 1e-15);
		ck_assert_double_le(fabs(hi - 1), 1e-15);
	}
	/* a workspace made before the scaling cannot serve it */
	nn_workspace *ws;
	ck_assert_int_eq(nn_workspace_new(&ws, plain, 40), 0);
	ck_assert_int_eq(nn_net_fit_scaling(plain, NN_SCALING_STANDARD, &X), 0);
	int pred[40];
	ck_assert_int_eq(nn_predict(pred, ws, plain, &X), NN_ESHAPE);
	ck_assert_ptr_nonnull(strstr(nn_last_error(), "input scaling came after"));
	ck_assert_int_eq(nn_net_fit_scaling(net, (nn_scaling)9, &X), NN_EINVAL);
	nn_workspace_free(ws);
	nn_rng_free(r1);
	nn_rng_free(r2);
	nn_labels_free(&y);
	nn_matrix_free(&A);
	nn_matrix_free(&B);
	nn_matrix_free(&X);
	nn_matrix_free(&Xs);
	nn_net_free(net);
	nn_net_free(plain);
	nn_rng_free(rng);
}
END_TEST

START_TEST(test_names)
{
	const size_t sizes[] = { 2, 3 }, one[] = { 2, 1 };
	const char *features[] = { "width", "height" }, *classes[] = { "a", "b", "c" };
	nn_net *net, *copy, *bin;
	ck_assert_int_eq(nn_net_new(&net, 1, sizes, NULL), 0);
	ck_assert_ptr_null(nn_net_name(net, NN_NAMES_CLASSES, 0));
	ck_assert_int_eq(nn_net_set_names(net, NN_NAMES_FEATURES, 2, features), 0);
	ck_assert_int_eq(nn_net_set_names(net, NN_NAMES_CLASSES, 3, classes), 0);
	ck_assert_int_eq(nn_net_set_names(net, NN_NAMES_CLASSES, 4, classes), NN_EINVAL);
	ck_assert_int_eq(nn_net_set_names(net, NN_NAMES_FEATURES, 1, features), NN_EINVAL);
	ck_assert_int_eq(nn_net_clone(&copy, net), 0);
	ck_assert_str_eq(nn_net_name(copy, NN_NAMES_CLASSES, 2), "c");
	ck_assert_str_eq(nn_net_name(copy, NN_NAMES_FEATURES, 1), "height");
	ck_assert_uint_eq(nn_net_names_count(copy, NN_NAMES_CLASSES), 3);
	ck_assert_ptr_null(nn_net_name(copy, NN_NAMES_CLASSES, 3));
	ck_assert_int_eq(nn_net_set_names(net, NN_NAMES_CLASSES, 0, NULL), 0);
	ck_assert_uint_eq(nn_net_names_count(net, NN_NAMES_CLASSES), 0);
	/* one output unit: two classes */
	ck_assert_int_eq(nn_net_new(&bin, 1, one, NULL), 0);
	ck_assert_int_eq(nn_net_set_names(bin, NN_NAMES_CLASSES, 2, classes), 0);
	ck_assert_int_eq(nn_net_set_names(bin, NN_NAMES_TARGETS, 1, classes), 0);
	nn_net_free(net);
	nn_net_free(copy);
	nn_net_free(bin);
}
END_TEST

/* Prediction and evaluation take any number of samples, through a small
 * workspace in chunks or with none at all, and give what one pass gives. */
START_TEST(test_chunked_predict)
{
	const size_t sizes[] = { 4, 6, 3 }, N = 23;
	const nn_activation acts[] = { NN_ACT_TANH, NN_ACT_SOFTMAX };
	nn_net *net;
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 12), 0);
	ck_assert_int_eq(nn_net_new(&net, 2, sizes, acts), 0);
	nn_matrix X, out, ref;
	nn_labels y;
	ck_assert_int_eq(nn_matrix_new(&X, 4, N), 0);
	ck_assert_int_eq(nn_matrix_new(&out, 3, N), 0);
	ck_assert_int_eq(nn_labels_new(&y, N), 0);
	tu_fill_uniform(&X, rng, -2, 2);
	tu_fill_labels(&y, rng, 3);
	nn_workspace *big, *small;
	ck_assert_int_eq(nn_workspace_new(&big, net, N), 0);
	ck_assert_int_eq(nn_workspace_new(&small, net, 5), 0);
	ck_assert_int_eq(nn_forward(&ref, big, net, &X), 0);
	int p1[23], p2[23], p3[23];
	ck_assert_int_eq(nn_predict(p1, big, net, &X), 0);
	ck_assert_int_eq(nn_predict(p2, small, net, &X), 0);
	ck_assert_int_eq(nn_predict(p3, NULL, net, &X), 0);
	ck_assert_mem_eq(p1, p2, sizeof(p1));
	ck_assert_mem_eq(p1, p3, sizeof(p1));
	ck_assert_int_eq(nn_predict_values(&out, small, net, &X), 0);
	ck_assert_mem_eq(out.data, ref.data, 3 * N * sizeof(double));
	double c1, c2;
	size_t r1, r2;
	ck_assert_int_eq(nn_evaluate(&c1, &r1, big, net, &X, &y), 0);
	ck_assert_int_eq(nn_evaluate(&c2, &r2, small, net, &X, &y), 0);
	ck_assert_double_le(fabs(c1 - c2), 1e-13 * c1);
	ck_assert_uint_eq(r1, r2);
	/* nn_forward still hands back a view: its batch must fit the workspace */
	ck_assert_int_eq(nn_forward(&ref, small, net, &X), NN_ESHAPE);
	nn_matrix bad;
	ck_assert_int_eq(nn_matrix_new(&bad, 2, N), 0);
	ck_assert_int_eq(nn_predict_values(&bad, NULL, net, &X), NN_ESHAPE);
	nn_matrix_free(&bad);
	nn_workspace_free(big);
	nn_workspace_free(small);
	nn_matrix_free(&X);
	nn_matrix_free(&out);
	nn_labels_free(&y);
	nn_net_free(net);
	nn_rng_free(rng);
}
END_TEST

/* A new network is never silently zero: He for ReLU layers, Glorot
 * otherwise, from an rng seeded NN_NET_DEFAULT_SEED. */
START_TEST(test_default_init)
{
	const size_t sizes[] = { 5, 8, 3 };
	const nn_activation acts[] = { NN_ACT_RELU, NN_ACT_SOFTMAX };
	nn_net *net, *ref;
	nn_rng *rng;
	ck_assert_int_eq(nn_net_new(&net, 2, sizes, acts), 0);
	ck_assert_int_eq(nn_net_new(&ref, 2, sizes, acts), 0);
	ck_assert_int_eq(nn_rng_new(&rng, NN_NET_DEFAULT_SEED), 0);
	memset(nn_net_params(ref), 0, nn_net_param_count(ref) * sizeof(double));
	ck_assert_int_eq(nn_net_init_default(ref, rng), 0);
	ck_assert_mem_eq(nn_net_params(net), nn_net_params(ref),
			 nn_net_param_count(net) * sizeof(double));
	/* layer 1 by He (std sqrt(2/5) ~ 0.63), layer 2 by Glorot (|w| <= sqrt(6/11) ~ 0.74) */
	nn_matrix w;
	nn_net_weights(&w, net, 2);
	size_t nonzero = 0;
	for (size_t i = 0; i < 24; i++) {
		ck_assert_double_le(fabs(w.data[i]), sqrt(6.0 / 11.0));
		nonzero += w.data[i] != 0;
	}
	ck_assert_uint_eq(nonzero, 24);
	ck_assert_int_eq(nn_net_cost(net), NN_COST_CE);
	nn_net_free(net);
	nn_net_free(ref);
	nn_rng_free(rng);
}
END_TEST

Suite *values_suite(void)
{
	Suite *s = suite_create("values");
	TCase *tc = tcase_create("values");
	tcase_add_loop_test(tc, test_values_gradient, 0, N_PAIRINGS);
	tcase_add_test(tc, test_fit_sine);
	tcase_add_test(tc, test_r2_outputs);
	tcase_add_test(tc, test_gd_values);
	tcase_add_test(tc, test_values_refused);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	tc = tcase_create("networks");
	tcase_add_test(tc, test_scaling);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_chunked_predict);
	tcase_add_test(tc, test_default_init);
	suite_add_tcase(s, tc);
	return s;
}
