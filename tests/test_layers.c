/*
 * Layer sequences (convolution, pooling, flatten, dropout): the im2col +
 * dgemm path held against the naive loops of lib/core/reference.c, the
 * backward pass against central differences, im2col in chunks against one
 * chunk, and networks as text.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn_internal.h"
#include "suites.h"
#include "test_util.h"

struct cnn {
	const char *spec;  /* the network, as nn_net_parse reads it */
	size_t batch;
	int smooth;        /* no max-pool or ReLU kink: central differences apply */
};

/* Both paddings and strides, odd sizes, several channels, pools that floor. */
static const struct cnn cnns[] = {
	{ "7x9, conv:2:3:tanh, 3:softmax", 4, 1 },
	{ "7x9x3, conv:4:3:same:sigmoid, flatten, 2:sigmoid", 3, 1 },
	{ "8x8x2, conv:3:3:s2:tanh, conv:2:2:same:s2:tanh, 4:softmax", 5, 1 },
	{ "9x7x2, conv:3:5:same:tanh, avgpool:2, 3:softmax", 3, 1 },
	{ "11x10, conv:4:3:relu, maxpool:2, conv:3:2:tanh, maxpool, flatten, 6:tanh, 3:softmax", 4, 0 },
	{ "6x6x3, maxpool:3, 2:sigmoid", 3, 0 },
	{ "5x5x2, avgpool:2, conv:2:1:identity, 1:sigmoid", 6, 1 },
	{ "10x10, conv:2:4:s2:same:leaky-relu, dropout:0.5, 3:softmax", 4, 0 },
};
#define N_CNNS (sizeof(cnns) / sizeof(cnns[0]))

struct fixture {
	nn_net *net, *grad, *ref;
	nn_workspace *ws;
	nn_matrix Xbuf, X; /* X is a view with ld = rows + 2 */
	nn_labels y;
	nn_rng *rng;
};

static void setup(struct fixture *f, const struct cnn *c, uint32_t seed)
{
	ck_assert_int_eq(nn_rng_new(&f->rng, seed), 0);
	ck_assert_int_eq(nn_net_parse(&f->net, c->spec, NN_ACT_TANH, NN_ACT_SOFTMAX), 0);
	ck_assert_int_eq(nn_net_clone(&f->grad, f->net), 0);
	ck_assert_int_eq(nn_net_clone(&f->ref, f->net), 0);
	ck_assert_int_eq(nn_net_init_glorot(f->net, f->rng), 0);
	for (size_t l = 1; l <= nn_net_layers(f->net); l++) {
		nn_matrix b;
		if (nn_net_bias(&b, f->net, l) == 0)
			tu_fill_uniform(&b, f->rng, -0.3, 0.3);
	}
	ck_assert_int_eq(nn_workspace_new(&f->ws, f->net, c->batch), 0);
	size_t n0 = nn_net_width(f->net, 0), L = nn_net_layers(f->net);
	ck_assert_int_eq(nn_matrix_new(&f->Xbuf, n0 + 2, c->batch), 0);
	f->X = nn_matrix_view(f->Xbuf.data, n0, c->batch, n0 + 2);
	tu_fill_uniform(&f->X, f->rng, -1.0, 1.0);
	ck_assert_int_eq(nn_labels_new(&f->y, c->batch), 0);
	tu_fill_labels(&f->y, f->rng, nn_net_width(f->net, L));
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
	const struct cnn *c = &cnns[_i];
	struct fixture f;
	setup(&f, c, 300 + (uint32_t)_i);
	size_t k = nn_net_width(f.net, nn_net_layers(f.net));
	nn_matrix out;
	ck_assert_int_eq(nn_forward(&out, f.ws, f.net, &f.X), 0);
	double *ref = malloc(k * c->batch * sizeof(double));
	ck_assert_int_eq(nn__forward_naive(ref, f.net, &f.X), 0);
	ck_assert_double_le(tu_max_rel_err(out.data, ref, k * c->batch, 1e-300), 1e-12);
	free(ref);
	teardown(&f);
}
END_TEST

START_TEST(test_backward_vs_naive)
{
	const struct cnn *c = &cnns[_i];
	struct fixture f;
	setup(&f, c, 400 + (uint32_t)_i);
	double cost, ref_cost;
	ck_assert_int_eq(nn_backward(f.grad, &cost, f.ws, f.net, &f.X, &f.y), 0);
	ck_assert_int_eq(nn__backward_naive(f.ref, &ref_cost, f.net, &f.X, &f.y), 0);
	size_t n = nn_net_param_count(f.net);
	ck_assert_double_le(tu_max_rel_err(nn_net_params(f.grad), nn_net_params(f.ref), n, 1e-14),
			    1e-12);
	ck_assert_double_le(fabs(cost - ref_cost) / ref_cost, 1e-12);
	teardown(&f);
}
END_TEST

/* Central differences of the cost: 1e-6 relative, element-wise (floor 1e-4)
 * and over the whole vector, on networks without kinks; with max-pooling
 * and ReLU (random inputs: no ties within h) element-wise with a looser
 * floor. */
START_TEST(test_gradcheck)
{
	const struct cnn *c = &cnns[_i];
	struct fixture f;
	setup(&f, c, 500 + (uint32_t)_i);
	double cost;
	ck_assert_int_eq(nn_backward(f.grad, &cost, f.ws, f.net, &f.X, &f.y), 0);
	size_t n = nn_net_param_count(f.net);
	double *p = nn_net_params(f.net), *g = nn_net_params(f.grad);
	double *fd = malloc(n * sizeof(double)), num = 0, den = 0;
	const double h = 1e-5;
	for (size_t i = 0; i < n; i++) {
		double keep = p[i], cp, cm;
		size_t r;
		p[i] = keep + h;
		ck_assert_int_eq(nn_evaluate(&cp, &r, f.ws, f.net, &f.X, &f.y), 0);
		p[i] = keep - h;
		ck_assert_int_eq(nn_evaluate(&cm, &r, f.ws, f.net, &f.X, &f.y), 0);
		p[i] = keep;
		fd[i] = (cp - cm) / (2 * h);
		num += (fd[i] - g[i]) * (fd[i] - g[i]);
		den += fd[i] * fd[i] + g[i] * g[i];
	}
	ck_assert_double_lt(tu_max_rel_err(g, fd, n, c->smooth ? 1e-4 : 1e-3), 1e-6);
	ck_assert_double_lt(sqrt(num / den), 1e-7);
	free(fd);
	teardown(&f);
}
END_TEST

/* Max-pooling sends the gradient to the FIRST maximum of a window with
 * ties (inputs on a coarse grid tie often), as the naive loops do. */
START_TEST(test_pool_ties)
{
	nn_net *net, *g1, *g2;
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 21), 0);
	ck_assert_int_eq(nn_net_parse(&net, "6x6x2, maxpool:2, 3:softmax", NN_ACT_TANH,
				      NN_ACT_SOFTMAX), 0);
	ck_assert_int_eq(nn_net_clone(&g1, net), 0);
	ck_assert_int_eq(nn_net_clone(&g2, net), 0);
	nn_matrix X;
	nn_labels y;
	ck_assert_int_eq(nn_matrix_new(&X, 72, 5), 0);
	ck_assert_int_eq(nn_labels_new(&y, 5), 0);
	for (size_t i = 0; i < 72 * 5; i++)
		X.data[i] = 0.5 * (double)nn_rng_interval(rng, 2); /* 0, 0.5 or 1 */
	tu_fill_labels(&y, rng, 3);
	nn_workspace *ws;
	ck_assert_int_eq(nn_workspace_new(&ws, net, 5), 0);
	double c1, c2;
	ck_assert_int_eq(nn_backward(g1, &c1, ws, net, &X, &y), 0);
	ck_assert_int_eq(nn__backward_naive(g2, &c2, net, &X, &y), 0);
	ck_assert_double_le(tu_max_rel_err(nn_net_params(g1), nn_net_params(g2),
					   nn_net_param_count(net), 1e-14), 1e-12);
	/* and the input's delta: one window of channel 0, all four values equal */
	double x[72] = { 0 }, d[72];
	int lab = 0;
	nn_matrix X1 = nn_matrix_view(x, 72, 1, 72);
	nn_labels y1 = { .n = 1, .data = &lab };
	nn__score s;
	nn__forward(ws, net, &X1, NULL, NULL);
	nn__output_pass(&s, ws, net, &(nn__target){ .labels = y1.data }, nn_net_params(g1), NULL);
	nn__backward(nn_net_params(g1), ws, net, NULL, NULL);
	/* the pool is layer 1: scatter a unit delta by hand through its indices */
	double *d1 = ws->D[1];
	for (size_t o = 0; o < 18; o++)
		d1[o] = 1.0;
	nn__pool_backward_f64(d, 72, d1, ws->idx[1], &net->layer[0], 1);
	for (size_t p = 0; p < 72; p++) {
		size_t c = p % 2, xx = (p / 2) % 6, yy = p / 12;
		/* every window's first position (top left) gets the delta */
		ck_assert_msg(d[p] == (xx % 2 == 0 && yy % 2 == 0 ? 1.0 : 0.0), "p %zu (c %zu)", p,
			      c);
	}
	nn_workspace_free(ws);
	nn_net_free(net);
	nn_net_free(g1);
	nn_net_free(g2);
	nn_rng_free(rng);
	nn_matrix_free(&X);
	nn_labels_free(&y);
}
END_TEST

/*
 * Max-pooling's input delta where the windows floor (7 x 11 in 3 x 3 windows
 * leaves a row and 2 columns out): every value written -- the buffer starts
 * as NaN, as a workspace reused from the last batch holds stale deltas --
 * the output's delta at each window's maximum, 0 everywhere else.
 */
START_TEST(test_pool_backward_floors)
{
	enum { C = 2, H = 7, W = 11, N = 3, IN = C * H * W, OUT = C * 2 * 3 };
	nn_net *net;
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 5), 0);
	ck_assert_int_eq(nn_net_parse(&net, "7x11x2, maxpool:3, 2:softmax", NN_ACT_TANH,
				      NN_ACT_SOFTMAX), 0);
	nn_matrix X;
	ck_assert_int_eq(nn_matrix_new(&X, IN, N), 0);
	for (size_t i = 0; i < (size_t)IN * N; i++)
		X.data[i] = nn_rng_random(rng);
	nn_workspace *ws;
	ck_assert_int_eq(nn_workspace_new(&ws, net, N), 0);
	nn__forward(ws, net, &X, NULL, NULL);
	double d[OUT * N], din[IN * N];
	for (size_t o = 0; o < (size_t)OUT * N; o++)
		d[o] = o % 5 ? nn_rng_random(rng) - 0.5 : -0.0;
	for (size_t p = 0; p < (size_t)IN * N; p++)
		din[p] = NAN;
	nn__pool_backward_f64(din, IN, d, ws->idx[1], &net->layer[0], N);
	for (size_t j = 0; j < N; j++) {
		const double *x = X.data + j * IN, *dj = d + j * OUT, *got = din + j * IN;
		double want[IN] = { 0 };
		/* the naive definition: each window's first maximum, channel by channel */
		for (size_t c = 0; c < C; c++)
			for (size_t oy = 0; oy < 2; oy++)
				for (size_t ox = 0; ox < 3; ox++) {
					size_t best = SIZE_MAX;
					for (size_t dy = 0; dy < 3; dy++)
						for (size_t dx = 0; dx < 3; dx++) {
							size_t p = c + C * (3 * ox + dx + W * (3 * oy + dy));
							if (best == SIZE_MAX || x[p] > x[best])
								best = p;
						}
					want[best] += dj[c + C * (ox + 3 * oy)];
				}
		for (size_t p = 0; p < IN; p++)
			ck_assert_msg(memcmp(&got[p], &want[p], sizeof(double)) == 0,
				      "sample %zu, value %zu: %g, want %g", j, p, got[p], want[p]);
	}
	nn_workspace_free(ws);
	nn_net_free(net);
	nn_rng_free(rng);
	nn_matrix_free(&X);
}
END_TEST

/* A batch wider than one im2col chunk takes the same numbers as one chunk. */
START_TEST(test_chunks)
{
	const struct cnn *c = &cnns[_i];
	struct fixture f;
	setup(&f, c, 600 + (uint32_t)_i);
	nn_net *g2;
	ck_assert_int_eq(nn_net_clone(&g2, f.net), 0);
	double c1, c2;
	ck_assert_int_eq(nn_backward(f.grad, &c1, f.ws, f.net, &f.X, &f.y), 0);
	size_t L = nn_net_layers(f.net), conv = 0;
	for (size_t l = 1; l <= L; l++)
		if (f.ws->chunk[l]) {
			f.ws->chunk[l] = 2; /* smaller than the batch: the col buffer holds it */
			conv++;
		}
	ck_assert_uint_gt(conv, 0);
	ck_assert_int_eq(nn_backward(g2, &c2, f.ws, f.net, &f.X, &f.y), 0);
	ck_assert_double_le(fabs(c1 - c2), 1e-12 * fabs(c1));
	ck_assert_double_le(tu_max_rel_err(nn_net_params(f.grad), nn_net_params(g2),
					   nn_net_param_count(g2), 1e-14), 1e-12);
	nn_net_free(g2);
	teardown(&f);
}
END_TEST

/* Through fixed dropout masks the backward pass is the exact gradient of
 * the masked network (a dropout layer and, fused, on a convolution). */
START_TEST(test_dropout_gradcheck)
{
	nn_net *net;
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 7), 0);
	ck_assert_int_eq(nn_net_parse(&net, "6x6x2, conv:3:3:tanh, dropout:0.4, flatten, 3:softmax",
				      NN_ACT_TANH, NN_ACT_SOFTMAX), 0);
	ck_assert_int_eq(nn_net_init_glorot(net, rng), 0);
	double *grad = nn__grad_new(net, 0);
	size_t N = 4, n1 = nn_net_width(net, 1);
	nn_matrix X;
	nn_labels y;
	ck_assert_int_eq(nn_matrix_new(&X, 72, N), 0);
	ck_assert_int_eq(nn_labels_new(&y, N), 0);
	tu_fill_uniform(&X, rng, -1, 1);
	tu_fill_labels(&y, rng, 3);
	double *m1 = malloc(n1 * N * sizeof(double)), *m2 = malloc(n1 * N * sizeof(double));
	for (size_t i = 0; i < n1 * N; i++) {
		m1[i] = nn_rng_random(rng) < 0.3 ? 0.0 : 1.0 / 0.7;
		m2[i] = nn_rng_random(rng) < 0.4 ? 0.0 : 1.0 / 0.6;
	}
	double *masks[5] = { NULL, m1, m2, NULL, NULL };
	nn_workspace *ws;
	ck_assert_int_eq(nn_workspace_new(&ws, net, N), 0);
	nn__forward(ws, net, &X, NULL, (void *const *)masks);
	nn__output_pass(NULL, ws, net, &(nn__target){ .labels = y.data }, grad, NULL);
	nn__backward(grad, ws, net, NULL, (void *const *)masks);
	double *p = nn_net_params(net), worst = 0;
	for (size_t i = 0; i < nn_net_param_count(net); i++) {
		double keep = p[i];
		nn__score sp, sm;
		p[i] = keep + 1e-5;
		nn__forward(ws, net, &X, NULL, (void *const *)masks);
		nn__output_pass(&sp, ws, net, &(nn__target){ .labels = y.data }, NULL, NULL);
		p[i] = keep - 1e-5;
		nn__forward(ws, net, &X, NULL, (void *const *)masks);
		nn__output_pass(&sm, ws, net, &(nn__target){ .labels = y.data }, NULL, NULL);
		p[i] = keep;
		double fd = (sp.cost - sm.cost) / 2e-5;
		worst = fmax(worst, fabs(fd - grad[i]) / fmax(fmax(fabs(fd), fabs(grad[i])), 1e-4));
	}
	ck_assert_double_lt(worst, 1e-6);
	free(m1);
	free(m2);
	free(grad);
	nn_workspace_free(ws);
	nn_net_free(net);
	nn_rng_free(rng);
	nn_matrix_free(&X);
	nn_labels_free(&y);
}
END_TEST

/* Shapes as the formulas give them, and parse -> describe -> parse. */
START_TEST(test_spec)
{
	nn_net *net, *again;
	const char *convnet = "28x28, conv:32:3:relu, maxpool:2, conv:64:3:relu, maxpool:2, flatten, "
			      "dropout:0.5, 10:softmax";
	ck_assert_int_eq(nn_net_parse(&net, convnet, NN_ACT_RELU, NN_ACT_SOFTMAX), 0);
	ck_assert_uint_eq(nn_net_layers(net), 7);
	const size_t widths[] = { 784, 26 * 26 * 32, 13 * 13 * 32, 11 * 11 * 64, 5 * 5 * 64, 1600,
				  1600, 10 };
	for (size_t l = 0; l < 8; l++)
		ck_assert_uint_eq(nn_net_width(net, l), widths[l]);
	/* Keras's count for this model: 320 + 18496 + 16010 */
	ck_assert_uint_eq(nn_net_param_count(net), 34826);
	ck_assert_int_eq(nn_net_cost(net), NN_COST_CE);
	nn_layer ly;
	nn_shape sh;
	ck_assert_int_eq(nn_net_layer(&ly, &sh, net, 3), 0);
	ck_assert_int_eq(ly.type, NN_LAYER_CONV2D);
	ck_assert_uint_eq(ly.units, 64);
	ck_assert_uint_eq(ly.kernel, 3);
	ck_assert_uint_eq(sh.height, 11);
	nn_matrix w;
	ck_assert_int_eq(nn_net_weights(&w, net, 3), 0);
	ck_assert_uint_eq(w.rows, 64);
	ck_assert_uint_eq(w.cols, 9 * 32);
	ck_assert_int_eq(nn_net_weights(&w, net, 2), NN_EINVAL); /* a pool has none */
	char text[256];
	size_t len = nn_net_describe(text, sizeof(text), net);
	ck_assert_uint_eq(len, strlen(text));
	ck_assert_str_eq(text, "28x28, conv:32:3:relu, maxpool:2, conv:64:3:relu, maxpool:2, flatten, "
			       "dropout:0.5, 10:softmax");
	ck_assert_int_eq(nn_net_parse(&again, text, NN_ACT_SIGMOID, NN_ACT_SIGMOID), 0);
	ck_assert_int_eq(nn__net_same_shape(net, again), 0);
	nn_net_free(again);
	nn_net_free(net);

	/* same padding with stride 2 keeps ceil(in / 2); the lecture's net reads back */
	ck_assert_int_eq(nn_net_parse(&net, "9x7x3 conv:5:3:s2:same:tanh 2", NN_ACT_TANH,
				      NN_ACT_SIGMOID), 0);
	ck_assert_int_eq(nn_net_layer(NULL, &sh, net, 1), 0);
	ck_assert_uint_eq(sh.height, 5);
	ck_assert_uint_eq(sh.width, 4);
	ck_assert_uint_eq(sh.channels, 5);
	nn_net_free(net);
	ck_assert_int_eq(nn_net_parse(&net, "784,30,10", NN_ACT_SIGMOID, NN_ACT_SIGMOID), 0);
	const size_t sizes[] = { 784, 30, 10 };
	ck_assert_int_eq(nn_net_new(&again, 2, sizes, NULL), 0);
	ck_assert_int_eq(nn__net_same_shape(net, again), 0);
	ck_assert_mem_eq(nn_net_params(net), nn_net_params(again),
			 nn_net_param_count(net) * sizeof(double));
	nn_net_describe(text, sizeof(text), net);
	ck_assert_str_eq(text, "784, 30:sigmoid, 10:sigmoid");
	ck_assert_uint_eq(nn_net_describe(text, 4, net), strlen("784, 30:sigmoid, 10:sigmoid"));
	ck_assert_str_eq(text, "784");
	nn_net_free(again);
	nn_net_free(net);
}
END_TEST

/* Bad descriptions and shapes: NN_EINVAL with a detail naming the item. */
START_TEST(test_spec_errors)
{
	static const struct {
		const char *spec, *detail;
	} bad[] = {
		{ "784", "give the input and at least one layer" },
		{ "28y28, 10", "the input '28y28'" },
		{ "28x28, conv:32, 10", "conv needs channels and a kernel" },
		{ "28x28, conv:32:3x5, 10", "only square kernels" },
		{ "28x28, conv:32:3:s3, 10", "is not an activation, s1, s2, same or valid" },
		{ "28x28, conv:8:29, 10", "does not fit a 28x28 input" },
		{ "28x28, maxpool:30, 10", "window does not fit" },
		{ "28x28, dropout:1.5, 10", "dropout takes a rate in [0, 1)" },
		{ "28x28, 30:softmax, 10", "softmax is for the last layer" },
		{ "28x28, 10, flatten", "the last layer must be dense" },
		{ "28x28, 10:swish", "'swish' is not an activation" },
		{ "28x28, pooling, 10", "'pooling' is not a layer" },
		{ "784,,10", "item 2 is empty" },
		{ "784,30,", "item 3 is empty" },
		{ ",784,10", "item 1 is empty" },
		{ "784, 30, , 10", "item 3 is empty" },
		{ "28xx28, 10", "the input '28xx28'" },
		{ "28x28x, 10", "the input '28x28x'" },
		{ "28x28x1x1, 10", "the input '28x28x1x1'" },
		{ "28x28, conv::3, 10", "layer 1: 'conv::3' has an empty field" },
		{ "28x28, 10:", "layer 1: '10:' has an empty field" },
		{ "28x28, conv:2:3:relu:same:s1:relu:same:s1, 10", "has too many fields" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		nn_net *net = (nn_net *)1;
		ck_assert_int_eq(nn_net_parse(&net, bad[i].spec, NN_ACT_RELU, NN_ACT_SOFTMAX),
				 NN_EINVAL);
		ck_assert_ptr_null(net);
		ck_assert_msg(strstr(nn_last_error(), bad[i].detail), "'%s': '%s'", bad[i].spec,
			      nn_last_error());
	}
	nn_layer ly = { .type = NN_LAYER_CONV2D, .units = 4, .kernel = 3, .act = NN_ACT_RELU };
	nn_net *net;
	ck_assert_int_eq(nn_net_new_layers(&net, (nn_shape){ 1, 0, 5 }, 1, &ly), NN_EINVAL);
	ck_assert_int_eq(nn_net_new_layers(NULL, (nn_shape){ 1, 5, 5 }, 1, &ly), NN_ENULL);
	ck_assert_int_eq(nn_net_parse(&net, NULL, NN_ACT_RELU, NN_ACT_SOFTMAX), NN_ENULL);
}
END_TEST

/* A small CNN learns to tell horizontal from vertical bars with nn_fit. */
START_TEST(test_cnn_learns)
{
	const size_t N = 200;
	nn_matrix X;
	nn_labels y;
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 11), 0);
	ck_assert_int_eq(nn_matrix_new(&X, 64, N), 0);
	ck_assert_int_eq(nn_labels_new(&y, N), 0);
	for (size_t j = 0; j < N; j++) {
		int vertical = (int)(j % 2);
		size_t at = (size_t)nn_rng_interval(rng, 7);
		y.data[j] = vertical;
		for (size_t i = 0; i < 64; i++)
			NN_AT(&X, i, j) = 0.2 * nn_rng_random(rng);
		for (size_t t = 0; t < 8; t++)
			NN_AT(&X, vertical ? at + 8 * t : t + 8 * at, j) += 1.0;
	}
	nn_net *net;
	ck_assert_int_eq(nn_net_parse(&net, "8x8, conv:4:3:relu, maxpool, dropout:0.1, 2:softmax",
				      NN_ACT_RELU, NN_ACT_SOFTMAX), 0);
	nn_fit_options o = nn_fit_defaults();
	o.optim.kind = NN_OPT_ADAM;
	o.eta = 0.01;
	o.epochs = 15;
	o.batch_size = 20;
	nn_history h;
	ck_assert_int_eq(nn_fit(net, &h, &X, &y, &o, rng), 0);
	ck_assert_double_ge(h.epochs[h.n - 1].train_accuracy, 0.95);
	ck_assert_double_lt(h.epochs[h.n - 1].train_cost, h.epochs[0].train_cost);
	nn_history_free(&h);
	nn_net_free(net);
	nn_rng_free(rng);
	nn_matrix_free(&X);
	nn_labels_free(&y);
}
END_TEST

Suite *layers_suite(void)
{
	Suite *s = suite_create("layers");
	TCase *tc = tcase_create("passes");
	tcase_add_loop_test(tc, test_forward_vs_naive, 0, N_CNNS);
	tcase_add_loop_test(tc, test_backward_vs_naive, 0, N_CNNS);
	tcase_add_loop_test(tc, test_gradcheck, 0, N_CNNS);
	tcase_add_loop_test(tc, test_chunks, 0, 5);
	tcase_add_test(tc, test_dropout_gradcheck);
	tcase_add_test(tc, test_pool_ties);
	tcase_add_test(tc, test_pool_backward_floors);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	tc = tcase_create("networks");
	tcase_add_test(tc, test_spec);
	tcase_add_test(tc, test_spec_errors);
	tcase_add_test(tc, test_cnn_learns);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
