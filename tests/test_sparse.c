/*
 * The sparse first layer (sparse.c, spmm.c, spmm_simd.c) and the vectorised
 * sigmoid passes (sigmoid_simd.c): the kernels against a naive product on
 * inputs of several densities with odd sizes, empty columns and rows and
 * an all-zero sample; the two products of a step against dgemm, on 1 to 3
 * threads; a gradient check through the sparse path; 100 training steps
 * sparse against dense; the vector exp's error; the API. Everything runs
 * on the portable kernels and, when the CPU has them, the AVX2 and
 * AVX-512 ones.
 */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn_internal.h"
#include "suites.h"
#include "test_util.h"

/* The kernel families this CPU can run, 0 .. n_simd() - 1 (NN__SIMD_...):
 * portable, AVX2, AVX-512 as far as it has them. */
static int n_simd(void)
{
	return nn__cpu_simd() + 1;
}

/*
 * X (rows x cols, ld rows + 2) with about `density` of its entries
 * non-zero, in [-1, 1] and never 0; row 1 and column 2 all zero (when
 * they exist), as MNIST's border pixels and a blank image.
 */
static void sparse_fill(nn_matrix *buf, nn_matrix *X, size_t rows, size_t cols, double density,
			nn_rng *rng)
{
	ck_assert_int_eq(nn_matrix_new(buf, rows + 2, cols), 0);
	*X = nn_matrix_view(buf->data, rows, cols, rows + 2);
	for (size_t j = 0; j < cols; j++)
		for (size_t i = 0; i < rows + 2; i++) {
			double v = 0.0;
			if (i < rows && i != 1 && j != 2 && nn_rng_random(rng) < density)
				v = nn_rng_uniform(rng, 0.05, 1.0) * (nn_rng_random(rng) < 0.5 ? -1 : 1);
			buf->data[i + j * (rows + 2)] = i < rows ? v : NAN; /* padding never read */
		}
}

static const double densities[] = { 0.0, 0.01, 0.2, 1.0 };
#define N_DENS (sizeof(densities) / sizeof(densities[0]))

/* Odd sizes around the kernels' blocks: h = 1..8 registers, tails of 1-3
 * rows, one and several 32-row panels. */
static const size_t widths[] = { 1, 3, 4, 7, 30, 32, 33, 37, 64, 100, 131 };
#define N_WIDTHS (sizeof(widths) / sizeof(widths[0]))

/* Out = In S, S given by columns, the naive way (dense, every term). */
static void naive(double *Out, size_t ld_out, const double *In, size_t ld_in, size_t h,
		  const nn_matrix *S)
{
	for (size_t c = 0; c < S->cols; c++)
		for (size_t r = 0; r < h; r++) {
			double s = 0;
			for (size_t k = 0; k < S->rows; k++)
				s += In[r + k * ld_in] * NN_AT(S, k, c);
			Out[r + c * ld_out] = s;
		}
}

/* The two products on every density, width, kernel family and 1-3 threads. */
START_TEST(test_products)
{
	const double density = densities[_i];
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 40 + (uint32_t)_i), 0);
	const size_t rows = 45, cols = 203; /* 45 features, 203 samples */
	nn_matrix Xbuf, X;
	sparse_fill(&Xbuf, &X, rows, cols, density, rng);
	nn_matrix Xt; /* X^T, for the naive dW */
	ck_assert_int_eq(nn_matrix_new(&Xt, cols, rows), 0);
	for (size_t i = 0; i < rows; i++)
		for (size_t j = 0; j < cols; j++)
			NN_AT(&Xt, j, i) = NN_AT(&X, i, j);

	for (size_t w = 0; w < N_WIDTHS; w++) {
		size_t h = widths[w], ld = h + 3; /* ld > h: the rows in between stay untouched */
		double *W = malloc(ld * rows * sizeof(double)), *D = malloc(ld * cols * sizeof(double));
		double *Z = malloc(ld * cols * sizeof(double)), *Zr = malloc(ld * cols * sizeof(double));
		double *G = malloc(ld * rows * sizeof(double)), *Gr = malloc(ld * rows * sizeof(double));
		ck_assert(W && D && Z && Zr && G && Gr);
		for (size_t i = 0; i < ld * rows; i++)
			W[i] = nn_rng_uniform(rng, -1, 1);
		for (size_t i = 0; i < ld * cols; i++)
			D[i] = nn_rng_uniform(rng, -1, 1);
		naive(Zr, ld, W, ld, h, &X);
		naive(Gr, ld, D, ld, h, &Xt);
		for (size_t threads = 1; threads <= 3; threads++) {
			nn_sparse *sp;
			ck_assert_int_eq(nn__sparse_new(&sp, &X, h, threads, 0), 0);
			for (int s = 0; s < n_simd(); s++) {
				for (size_t i = 0; i < ld * cols; i++)
					Z[i] = 7.0; /* sentinel in the rows h..ld-1 */
				for (size_t i = 0; i < ld * rows; i++)
					G[i] = 7.0;
				nn__sparse_wx_f64(s, Z, ld, W, ld, sp, -1, NULL);
				nn__sparse_dxt_f64(s, G, ld, D, ld, sp);
				for (size_t c = 0; c < cols; c++) {
					ck_assert_double_le(tu_max_rel_err(Z + c * ld, Zr + c * ld, h, 1.0),
							    1e-13);
					for (size_t r = h; r < ld; r++)
						ck_assert_double_eq(Z[r + c * ld], 7.0);
				}
				for (size_t c = 0; c < rows; c++) {
					ck_assert_double_le(tu_max_rel_err(G + c * ld, Gr + c * ld, h, 1.0),
							    1e-13);
					for (size_t r = h; r < ld; r++)
						ck_assert_double_eq(G[r + c * ld], 7.0);
				}
				/* the empty sample and the empty feature give exact zeros */
				for (size_t r = 0; r < h; r++) {
					ck_assert_double_eq(Z[r + 2 * ld], 0.0);
					ck_assert_double_eq(G[r + 1 * ld], 0.0);
				}
			}
			nn__sparse_free(sp);
		}
		free(W), free(D), free(Z), free(Zr), free(G), free(Gr);
	}
	nn_matrix_free(&Xt);
	nn_matrix_free(&Xbuf);
	nn_rng_free(rng);
}
END_TEST

/* Threads and tiles never change a result: 1, 2 and 3 threads give the
 * same bits, on a product big enough for several tiles of every kind; and
 * the vector families (AVX2, AVX-512) give the same bits as each other. */
START_TEST(test_threads_same_bits)
{
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 9), 0);
	const size_t rows = 300, cols = 700, h = 70;
	nn_matrix Xbuf, X;
	sparse_fill(&Xbuf, &X, rows, cols, 0.2, rng);
	double *W = malloc(h * rows * sizeof(double)), *D = malloc(h * cols * sizeof(double));
	double *Z[3], *G[3];
	double *Zv = malloc(h * cols * sizeof(double)), *Gv = malloc(h * rows * sizeof(double));
	for (size_t i = 0; i < h * rows; i++)
		W[i] = nn_rng_uniform(rng, -1, 1);
	for (size_t i = 0; i < h * cols; i++)
		D[i] = nn_rng_uniform(rng, -1, 1);
	for (int s = 0; s < n_simd(); s++) {
		for (size_t t = 0; t < 3; t++) {
			nn_sparse *sp;
			Z[t] = malloc(h * cols * sizeof(double));
			G[t] = malloc(h * rows * sizeof(double));
			ck_assert_int_eq(nn__sparse_new(&sp, &X, h, t + 1, 0), 0);
			nn__sparse_wx_f64(s, Z[t], h, W, h, sp, -1, NULL);
			nn__sparse_dxt_f64(s, G[t], h, D, h, sp);
			nn__sparse_free(sp);
		}
		for (size_t t = 1; t < 3; t++) {
			ck_assert_mem_eq(Z[t], Z[0], h * cols * sizeof(double));
			ck_assert_mem_eq(G[t], G[0], h * rows * sizeof(double));
		}
		if (s == NN__SIMD_AVX2) {
			memcpy(Zv, Z[0], h * cols * sizeof(double));
			memcpy(Gv, G[0], h * rows * sizeof(double));
		} else if (s > NN__SIMD_AVX2) {
			ck_assert_mem_eq(Z[0], Zv, h * cols * sizeof(double));
			ck_assert_mem_eq(G[0], Gv, h * rows * sizeof(double));
		}
		for (size_t t = 0; t < 3; t++)
			free(Z[t]), free(G[t]);
	}
	free(W), free(D), free(Zv), free(Gv);
	nn_matrix_free(&Xbuf);
	nn_rng_free(rng);
}
END_TEST

/* The compressed copies: every non-zero once, ascending, in both orders. */
START_TEST(test_build)
{
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 3), 0);
	nn_matrix Xbuf, X;
	sparse_fill(&Xbuf, &X, 37, 11, 0.3, rng);
	nn_sparse *sp;
	ck_assert_int_eq(nn__sparse_new(&sp, &X, 5, 2, 0), 0);
	ck_assert_uint_eq(sp->nnz, nn__count_nonzero(&X));
	ck_assert_uint_eq(sp->col_ptr[11], sp->nnz);
	ck_assert_uint_eq(sp->row_ptr[37], sp->nnz);
	size_t t = 0;
	for (size_t j = 0; j < 11; j++)
		for (size_t i = 0; i < 37; i++)
			if (NN_AT(&X, i, j) != 0) {
				ck_assert_uint_eq(sp->col_idx[t], i);
				ck_assert_double_eq(((double *)sp->col_val)[t], NN_AT(&X, i, j));
				t++;
			}
	t = 0;
	for (size_t i = 0; i < 37; i++)
		for (size_t j = 0; j < 11; j++)
			if (NN_AT(&X, i, j) != 0) {
				ck_assert_uint_eq(sp->row_idx[t], j);
				ck_assert_double_eq(((double *)sp->row_val)[t], NN_AT(&X, i, j));
				t++;
			}
	/* the split points cover every column once */
	ck_assert_uint_eq(sp->col_split[0], 0);
	ck_assert_uint_eq(sp->col_split[2], 11);
	ck_assert_uint_le(sp->col_split[1], 11);
	ck_assert_int_eq(nn__sparse_set_threads(sp, 3), 0);
	ck_assert_uint_eq(sp->threads, 3);
	ck_assert_uint_eq(sp->row_split[3], 37);
	nn__sparse_free(sp);
	nn__sparse_free(NULL);

	/* an all-zero input */
	memset(Xbuf.data, 0, Xbuf.rows * Xbuf.cols * sizeof(double));
	ck_assert_int_eq(nn__sparse_new(&sp, &X, 40, 2, 0), 0);
	ck_assert_uint_eq(sp->nnz, 0);
	nn__sparse_free(sp);
	nn_matrix_free(&Xbuf);
	nn_rng_free(rng);
}
END_TEST

/* A network whose first layer reads sparse data; labels for k outputs. */
struct problem {
	nn_matrix Xbuf, X;
	nn_labels y;
	nn_net *net;
	nn_rng *rng;
};

static void problem_new(struct problem *p, size_t n_layers, const size_t *sizes,
			const nn_activation *acts, size_t n, double density, uint32_t seed)
{
	ck_assert_int_eq(nn_rng_new(&p->rng, seed), 0);
	sparse_fill(&p->Xbuf, &p->X, sizes[0], n, density, p->rng);
	/* MNIST-like: non-negative pixels */
	for (size_t j = 0; j < n; j++)
		for (size_t i = 0; i < sizes[0]; i++)
			NN_AT(&p->X, i, j) = fabs(NN_AT(&p->X, i, j));
	ck_assert_int_eq(nn_labels_new(&p->y, n), 0);
	tu_fill_labels(&p->y, p->rng, sizes[n_layers]);
	ck_assert_int_eq(nn_net_new(&p->net, n_layers, sizes, acts), 0);
	ck_assert_int_eq(nn_net_init_randn(p->net, p->rng), 0);
	for (size_t l = 1; l <= n_layers; l++) {
		nn_matrix b;
		nn_net_bias(&b, p->net, l);
		tu_fill_uniform(&b, p->rng, -0.5, 0.5);
	}
}

static void problem_free(struct problem *p)
{
	nn_matrix_free(&p->Xbuf);
	nn_labels_free(&p->y);
	nn_net_free(p->net);
	nn_rng_free(p->rng);
}

/* Central differences of the cost, both through the sparse path, against
 * the backward pass through the sparse path (whose forward fuses the
 * hidden activation into the product), for smooth hidden activations;
 * and the same gradient as the dense path for each of them. */
static const nn_activation hidden_acts[] = { NN_ACT_SIGMOID, NN_ACT_TANH, NN_ACT_RELU,
					     NN_ACT_IDENTITY };
#define N_HIDDEN (sizeof(hidden_acts) / sizeof(hidden_acts[0]))

START_TEST(test_gradcheck)
{
	const size_t sizes[] = { 23, 37, 3 };
	const nn_activation acts[] = { hidden_acts[_i], NN_ACT_SIGMOID };
	int smooth = hidden_acts[_i] != NN_ACT_RELU;
	struct problem p;
	problem_new(&p, 2, sizes, acts, 19, 0.2, 77 + (uint32_t)_i);
	nn_net *grad, *fd;
	nn_workspace *ws;
	nn_sparse *sp;
	ck_assert_int_eq(nn_net_clone(&grad, p.net), 0);
	ck_assert_int_eq(nn_net_clone(&fd, p.net), 0);
	ck_assert_int_eq(nn_workspace_new(&ws, p.net, 19), 0);
	ck_assert_int_eq(nn__sparse_new(&sp, &p.X, 37, 2, 0), 0);
	size_t n = nn_net_param_count(p.net);
	double *w = nn_net_params(p.net), *g = nn_net_params(grad), *f = nn_net_params(fd);
	for (int s = 0; s < n_simd(); s++) {
		ws->simd = s;
		nn__forward(ws, p.net, &p.X, sp, NULL);
		nn__output_pass(NULL, ws, p.net, &(nn__target){ .labels = p.y.data }, g, NULL);
		nn__backward(g, ws, p.net, sp, NULL);
		const double h = 1e-5;
		for (size_t i = 0; i < n; i++) {
			double keep = w[i];
			nn__score sp_, sm_;
			w[i] = keep + h;
			nn__forward(ws, p.net, &p.X, sp, NULL);
			nn__output_pass(&sp_, ws, p.net, &(nn__target){ .labels = p.y.data }, NULL, NULL);
			w[i] = keep - h;
			nn__forward(ws, p.net, &p.X, sp, NULL);
			nn__output_pass(&sm_, ws, p.net, &(nn__target){ .labels = p.y.data }, NULL, NULL);
			w[i] = keep;
			f[i] = (sp_.cost - sm_.cost) / (2 * h);
		}
		if (smooth)
			ck_assert_double_lt(tu_max_rel_err(g, f, n, 1e-3), 1e-6);
		/* and the same gradient as the dense path */
		nn_net *dense;
		ck_assert_int_eq(nn_net_clone(&dense, p.net), 0);
		nn__forward(ws, p.net, &p.X, NULL, NULL);
		nn__output_pass(NULL, ws, p.net, &(nn__target){ .labels = p.y.data }, nn_net_params(dense), NULL);
		nn__backward(nn_net_params(dense), ws, p.net, NULL, NULL);
		ck_assert_double_le(tu_max_rel_err(g, nn_net_params(dense), n, 1e-3), 1e-12);
		nn_net_free(dense);
	}
	nn__sparse_free(sp);
	nn_workspace_free(ws);
	nn_net_free(grad);
	nn_net_free(fd);
	problem_free(&p);
}
END_TEST

/* 100 steps of nn_gd sparse against dense, on each kernel family and 1 or
 * 2 threads: parameters and costs equal within 1e-12 relative. */
START_TEST(test_train_100)
{
	const size_t sizes[] = { 64, 30, 10 };
	struct problem p;
	problem_new(&p, 2, sizes, NULL, 150, 0.19, 500);
	size_t n = nn_net_param_count(p.net);
	for (int s = 0; s < n_simd(); s++)
		for (size_t threads = 1; threads <= 2; threads++) {
			nn_net *a, *b;
			nn_gd *ga, *gb;
			ck_assert_int_eq(nn_net_clone(&a, p.net), 0);
			ck_assert_int_eq(nn_net_clone(&b, p.net), 0);
			ck_assert_int_eq(nn_gd_new(&ga, a, &p.X, &p.y, 5e-3), 0);
			ck_assert_int_eq(nn_gd_new(&gb, b, &p.X, &p.y, 5e-3), 0);
			nn__gd_set_simd(ga, s);
			nn__gd_set_simd(gb, s);
			ck_assert_int_eq(nn_gd_set_input(ga, NN_INPUT_DENSE), 0);
			ck_assert_int_eq(nn_gd_set_input(gb, NN_INPUT_SPARSE), 0);
			ck_assert_int_eq(nn_gd_set_threads(gb, threads), 0);
			ck_assert_int_eq(nn_gd_input(ga), NN_INPUT_DENSE);
			ck_assert_int_eq(nn_gd_input(gb), NN_INPUT_SPARSE);
			/* a step allocates nothing (no Check assertion inside: Check allocates) */
			unsigned long allocs = tu_alloc_count;
			int rc = 0;
			for (int i = 0; i < 100; i++)
				rc |= nn_gd_step(ga) | nn_gd_step(gb);
			ck_assert_uint_eq(tu_alloc_count, allocs);
			ck_assert_int_eq(rc, 0);
			ck_assert_double_le(tu_max_rel_err(nn_net_params(a), nn_net_params(b), n, 1e-3),
					    1e-12);
			nn_train_result ra, rb;
			nn_gd_result(ga, &ra);
			nn_gd_result(gb, &rb);
			ck_assert_double_le(fabs(ra.last_cost - rb.last_cost) / ra.last_cost, 1e-12);
			ck_assert_uint_eq(ra.best_correct, rb.best_correct);
			ck_assert_uint_eq(ra.best_step, rb.best_step);
			nn_gd_free(ga);
			nn_gd_free(gb);
			nn_net_free(a);
			nn_net_free(b);
		}
	problem_free(&p);
}
END_TEST

/* A network of one layer: the sparse product feeds the output pass. */
START_TEST(test_single_layer)
{
	const size_t sizes[] = { 40, 4 };
	const nn_activation acts[] = { NN_ACT_SOFTMAX };
	struct problem p;
	problem_new(&p, 1, sizes, acts, 33, 0.15, 61);
	ck_assert_int_eq(nn_net_set_cost(p.net, NN_COST_CE), 0);
	nn_net *a, *b;
	ck_assert_int_eq(nn_net_clone(&a, p.net), 0);
	ck_assert_int_eq(nn_net_clone(&b, p.net), 0);
	nn_train_options opt = { .eta = 0.05, .steps = 30, .input = NN_INPUT_DENSE };
	nn_train_result ra, rb;
	ck_assert_int_eq(nn_train_gd(a, &ra, &p.X, &p.y, &opt), 0);
	opt.input = NN_INPUT_SPARSE;
	ck_assert_int_eq(nn_train_gd(b, &rb, &p.X, &p.y, &opt), 0);
	ck_assert_double_le(tu_max_rel_err(nn_net_params(a), nn_net_params(b), nn_net_param_count(a),
					   1e-3),
			    1e-12);
	ck_assert_double_le(fabs(ra.last_cost - rb.last_cost) / ra.last_cost, 1e-12);
	nn_net_free(a);
	nn_net_free(b);
	problem_free(&p);
}
END_TEST

/* Each vector family's passes against the portable ones: the backward
 * pass bit for bit, the forward passes within the vector exp's error. And
 * the vector exps themselves over the sigmoid's working range, in ulps of
 * scalar exp. (tests/test_kernels.c does the same in float32.) */
START_TEST(test_elementwise)
{
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 12), 0);
	const size_t rows = 31, cols = 17, ld = 33;
	size_t sz = ld * cols;
	double *A0 = malloc(sz * sizeof(double)), *A = malloc(sz * sizeof(double));
	double *B = malloc(sz * sizeof(double)), *D0 = malloc(sz * sizeof(double));
	double *Z1 = malloc(sz * sizeof(double)), *Z2 = malloc(sz * sizeof(double));
	double *D1 = malloc(sz * sizeof(double)), *D2 = malloc(sz * sizeof(double));
	double *Z0 = malloc(sz * sizeof(double));
	double b[31], db1[31], db2[31];
	for (size_t i = 0; i < sz; i++) {
		A0[i] = nn_rng_uniform(rng, -30, 30);
		D0[i] = nn_rng_uniform(rng, -1, 1);
		Z0[i] = nn_rng_uniform(rng, -20, 20);
	}
	for (size_t i = 0; i < rows; i++)
		b[i] = nn_rng_uniform(rng, -1, 1);
	A0[5] = -800; /* exp overflows: sigma is 0 */
	A0[6] = 800;
	for (int f = NN__SIMD_AVX2; f < n_simd(); f++) {
		memcpy(A, A0, sz * sizeof(double));
		memcpy(B, A0, sz * sizeof(double));
		nn__act_forward_f64(NN__SIMD_NONE, NN_ACT_SIGMOID, A, rows, cols, ld, b, NULL);
		nn__act_forward_f64(f, NN_ACT_SIGMOID, B, rows, cols, ld, b, NULL);
		for (size_t j = 0; j < cols; j++)
			ck_assert_double_le(tu_max_rel_err(A + j * ld, B + j * ld, rows, 1e-300),
					    4e-16);
		ck_assert_double_eq(B[5], 0.0);
		ck_assert_double_eq(B[6], 1.0);
		for (size_t j = 0; j < cols; j++) /* the padding rows were not touched */
			for (size_t i = rows; i < ld; i++)
				ck_assert_mem_eq(&A[i + j * ld], &B[i + j * ld], sizeof(double));
		memcpy(D1, D0, sz * sizeof(double));
		memcpy(D2, D0, sz * sizeof(double));
		nn__act_backward_f64(NN__SIMD_NONE, NN_ACT_SIGMOID, D1, A, rows, cols, ld, db1, NULL);
		nn__act_backward_f64(f, NN_ACT_SIGMOID, D2, A, rows, cols, ld, db2, NULL);
		ck_assert_mem_eq(D1, D2, sz * sizeof(double));
		ck_assert_mem_eq(db1, db2, sizeof(db1));

		/* the output layer: Z kept, same bits; A within the exp's error */
		memcpy(Z1, Z0, sz * sizeof(double));
		memcpy(Z2, Z0, sz * sizeof(double));
		nn__act_forward_output_f64(NN__SIMD_NONE, NN_ACT_SIGMOID, A, Z1, rows, cols, b);
		nn__act_forward_output_f64(f, NN_ACT_SIGMOID, B, Z2, rows, cols, b);
		ck_assert_mem_eq(Z1, Z2, rows * cols * sizeof(double));
		ck_assert_double_le(tu_max_rel_err(A, B, rows * cols, 1e-300), 4e-16);
	}

	/* exp over [-40, 40] (sigma is 1 or 0 to double precision beyond):
	 * at most 4 ulps from scalar exp, glibc's documented bound for libmvec */
	for (int f = NN__SIMD_AVX2; f < n_simd(); f++) {
		double worst = 0;
		for (long k = -400000; k < 400000; k += 8) {
			double x[8], y[8];
			for (int i = 0; i < 8; i++)
				x[i] = (double)(k + i) * 1e-4 + 0.3e-4;
#ifdef NN_HAVE_AVX512_KERNELS
			if (f == NN__SIMD_AVX512)
				nn__vexp_avx512_f64(y, x);
#endif
#ifdef NN_HAVE_AVX2_KERNELS
			if (f == NN__SIMD_AVX2) {
				nn__vexp_avx2_f64(y, x);
				nn__vexp_avx2_f64(y + 4, x + 4);
			}
#endif
			for (int i = 0; i < 8; i++) {
				double e = exp(x[i]);
				double ulps = fabs(y[i] - e) / (nextafter(e, INFINITY) - e);
				worst = ulps > worst ? ulps : worst;
			}
		}
		ck_assert_double_le(worst, 4.0);
	}
	free(A0), free(A), free(B), free(Z0), free(Z1), free(Z2), free(D0), free(D1), free(D2);
	nn_rng_free(rng);
}
END_TEST

/* An epoch's allocations, for the mini-batch runs below. */
static int count_epoch_allocs(void *user, const nn_epoch_stats *e)
{
	unsigned long *at = user;
	(void)e;
	at[at[0] < 15 ? ++at[0] : 15] = tu_alloc_count;
	return 0;
}

/*
 * Mini-batches gathered straight into compressed form (nn_fit_options.input)
 * against the dense gather, on non-negative sparse inputs (so that min-max
 * scaling keeps zeros) with shuffling, dropout and Adam, in both
 * precisions and with and without scaling: the same training within
 * rounding (fused multiply-adds against the BLAS's order), no allocation
 * per epoch, and AUTO choosing by nn_input_threshold().
 */
START_TEST(test_fit_sparse)
{
	const size_t n0 = 60, N = 300, sizes[] = { n0, 24, 3 };
	const nn_activation acts[] = { NN_ACT_RELU, NN_ACT_SOFTMAX };
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 31), 0);
	nn_matrix Xbuf, X;
	sparse_fill(&Xbuf, &X, n0, N, 0.2, rng);
	nn_labels y;
	ck_assert_int_eq(nn_labels_new(&y, N), 0);
	for (size_t j = 0; j < N; j++) {
		double s = 0;
		for (size_t i = 0; i < n0; i++) {
			NN_AT(&X, i, j) = fabs(NN_AT(&X, i, j));
			s += NN_AT(&X, i, j) * (i % 3 ? 1.0 : -1.0);
		}
		y.data[j] = s < -0.5 ? 0 : s < 0.5 ? 1 : 2;
	}
	double density = (double)nn__count_nonzero(&X) / (double)(n0 * N);
	for (int f32 = 0; f32 < 2; f32++)
		for (int scaled = 0; scaled < 2; scaled++) {
			nn_net *net[2];
			nn_history h[2];
			for (int sparse = 0; sparse < 2; sparse++) {
				ck_assert_int_eq(nn_net_new(&net[sparse], 2, sizes, acts), 0);
				ck_assert_int_eq(nn_net_set_precision(net[sparse], f32 ? NN_F32 : NN_F64), 0);
				if (scaled) /* every feature's min is 0: the shift is 0 */
					ck_assert_int_eq(nn_net_fit_scaling(net[sparse], NN_SCALING_MINMAX, &X), 0);
				nn_fit_options o = nn_fit_defaults();
				o.optim.kind = NN_OPT_ADAM;
				o.eta = 0.01;
				o.batch_size = 32;
				o.epochs = 4;
				o.dropout = 0.2;
				o.input = sparse ? NN_INPUT_SPARSE : NN_INPUT_DENSE;
				unsigned long at[16] = { 0 };
				o.callback = count_epoch_allocs;
				o.user = at;
				nn_rng *r;
				ck_assert_int_eq(nn_rng_new(&r, 8), 0);
				nn_fitter *fit;
				ck_assert_int_eq(nn_fitter_new(&fit, net[sparse], &X, &y, &o, r), 0);
				ck_assert_int_eq(nn_fitter_input(fit), o.input);
				nn_fitter_free(fit);
				ck_assert_int_eq(nn_fit(net[sparse], &h[sparse], &X, &y, &o, r), 0);
				ck_assert_uint_eq(at[0], 4);
				for (size_t e = 2; e <= at[0]; e++)
					ck_assert_uint_eq(at[e], at[1]);
				nn_rng_free(r);
			}
			size_t n = nn_net_param_count(net[0]);
			double *p[2];
			for (int k = 0; k < 2; k++) {
				ck_assert_ptr_nonnull(p[k] = malloc(n * sizeof(double)));
				ck_assert_int_eq(nn_net_get_params(p[k], net[k]), 0);
			}
			double tol = f32 ? 1e-3 : 1e-10;
			ck_assert_double_le(tu_max_rel_err(p[1], p[0], n, 1e-2), tol);
			for (size_t e = 0; e < 4; e++)
				ck_assert_double_le(fabs(h[1].epochs[e].train_cost - h[0].epochs[e].train_cost),
						    tol * h[0].epochs[e].train_cost);
			ck_assert_double_lt(h[1].epochs[3].train_cost, h[1].epochs[0].train_cost);
			for (int k = 0; k < 2; k++) {
				free(p[k]);
				nn_history_free(&h[k]);
				nn_net_free(net[k]);
			}
		}

	/* AUTO: sparse exactly when X is sparse enough for this CPU's kernels */
	nn_net *net;
	ck_assert_int_eq(nn_net_new(&net, 2, sizes, acts), 0);
	nn_fit_options o = nn_fit_defaults();
	nn_fitter *fit;
	ck_assert_int_eq(nn_fitter_new(&fit, net, &X, &y, &o, rng), 0);
	ck_assert_int_eq(nn_fitter_input(fit), density <= nn_input_threshold() ? NN_INPUT_SPARSE
									   : NN_INPUT_DENSE);
	nn_fitter_free(fit);
	ck_assert_int_eq(nn_fitter_input(NULL), NN_INPUT_DENSE);
	/* refused: an unknown mode; sparse under a scaling that moves zeros */
	o.input = NN_INPUT_COUNT_;
	ck_assert_int_eq(nn_fitter_new(&fit, net, &X, &y, &o, rng), NN_EINVAL);
	o.input = NN_INPUT_SPARSE;
	ck_assert_int_eq(nn_net_fit_scaling(net, NN_SCALING_STANDARD, &X), 0);
	ck_assert_int_eq(nn_fitter_new(&fit, net, &X, &y, &o, rng), NN_EINVAL);
	ck_assert_ptr_null(fit);
	ck_assert_ptr_nonnull(strstr(nn_last_error(), "keeps zeros"));
	o.input = NN_INPUT_AUTO; /* AUTO then reads it dense */
	ck_assert_int_eq(nn_fitter_new(&fit, net, &X, &y, &o, rng), 0);
	ck_assert_int_eq(nn_fitter_input(fit), NN_INPUT_DENSE);
	nn_fitter_free(fit);
	nn_net_free(net);
	nn_labels_free(&y);
	nn_matrix_free(&Xbuf);
	nn_rng_free(rng);
}
END_TEST

START_TEST(test_api)
{
	/* sparse data: AUTO takes the sparse path; dense data: the dense one */
	const size_t sizes[] = { 50, 8, 3 };
	struct problem p;
	problem_new(&p, 2, sizes, NULL, 40, 0.1, 21);
	nn_gd *gd;
	ck_assert_int_eq(nn_gd_new(&gd, p.net, &p.X, &p.y, 1e-3), 0);
	double d = nn_gd_input_density(gd);
	ck_assert_double_eq(d, (double)nn__count_nonzero(&p.X) / (50.0 * 40.0));
	ck_assert_double_gt(nn_input_threshold(), 0.0);
	ck_assert_int_eq(nn_gd_input(gd), d <= nn_input_threshold() ? NN_INPUT_SPARSE
								     : NN_INPUT_DENSE);
	ck_assert_int_eq(nn_gd_set_input(gd, NN_INPUT_DENSE), 0);
	ck_assert_int_eq(nn_gd_input(gd), NN_INPUT_DENSE);
	ck_assert_int_eq(nn_gd_set_input(gd, NN_INPUT_SPARSE), 0);
	ck_assert_int_eq(nn_gd_input(gd), NN_INPUT_SPARSE);
	ck_assert_int_eq(nn_gd_set_input(gd, NN_INPUT_COUNT_), NN_EINVAL);
	ck_assert_int_eq(nn_gd_set_input(gd, (nn_input_mode)-1), NN_EINVAL);
	ck_assert_int_eq(nn_gd_input(gd), NN_INPUT_SPARSE);
	ck_assert_int_eq(nn_gd_set_input(NULL, NN_INPUT_AUTO), NN_ENULL);
	ck_assert_int_eq(nn_gd_set_threads(NULL, 1), NN_ENULL);
	ck_assert_int_eq(nn_gd_set_threads(gd, 3), 0);
	ck_assert_int_eq(nn_gd_step(gd), 0);
	ck_assert_int_eq(nn_gd_set_threads(gd, 0), 0);
	ck_assert_int_eq(nn_gd_step(gd), 0);
	ck_assert_int_eq(nn_gd_input(NULL), NN_INPUT_DENSE);
	ck_assert_double_eq(nn_gd_input_density(NULL), 0.0);
	nn_gd_free(gd);

	/* all-dense data stays dense under AUTO */
	for (size_t j = 0; j < p.X.cols; j++)
		for (size_t i = 0; i < p.X.rows; i++)
			NN_AT(&p.X, i, j) = 0.5 + (double)i;
	ck_assert_int_eq(nn_gd_new(&gd, p.net, &p.X, &p.y, 1e-3), 0);
	ck_assert_double_eq(nn_gd_input_density(gd), 1.0);
	ck_assert_int_eq(nn_gd_input(gd), NN_INPUT_DENSE);
	nn_gd_free(gd);

	/* nn_train_gd with each mode: the same model within rounding */
	nn_net *a, *b;
	ck_assert_int_eq(nn_net_clone(&a, p.net), 0);
	ck_assert_int_eq(nn_net_clone(&b, p.net), 0);
	for (size_t j = 0; j < p.X.cols; j++)
		for (size_t i = 0; i < p.X.rows; i++)
			NN_AT(&p.X, i, j) = (i + j) % 7 ? 0.0 : 0.25;
	nn_train_options opt = { .eta = 1e-2, .steps = 20, .input = NN_INPUT_DENSE };
	nn_train_result ra, rb;
	ck_assert_int_eq(nn_train_gd(a, &ra, &p.X, &p.y, &opt), 0);
	opt.input = NN_INPUT_SPARSE;
	opt.threads = 2;
	ck_assert_int_eq(nn_train_gd(b, &rb, &p.X, &p.y, &opt), 0);
	ck_assert_double_le(tu_max_rel_err(nn_net_params(a), nn_net_params(b), nn_net_param_count(a),
					   1e-3),
			    1e-12);
	ck_assert_uint_eq(ra.best_step, rb.best_step);
	opt.input = (nn_input_mode)7;
	ck_assert_int_eq(nn_train_gd(b, &rb, &p.X, &p.y, &opt), NN_EINVAL);
	nn_net_free(a);
	nn_net_free(b);
	problem_free(&p);
}
END_TEST

/* The pool runs every index once, on as many threads as asked. */
static void count_job(void *arg, size_t i, size_t n)
{
	int *hits = arg;
	ck_assert_uint_lt(i, n);
	__atomic_add_fetch(&hits[i], 1, __ATOMIC_RELAXED);
}

START_TEST(test_pool)
{
	for (size_t n = 1; n <= 4; n++) {
		nn__pool *pool;
		int hits[4] = { 0 };
		ck_assert_int_eq(nn__pool_new(&pool, n), 0);
		ck_assert_uint_eq(nn__pool_threads(pool), n);
		for (int k = 0; k < 50; k++)
			nn__pool_run(pool, count_job, hits);
		for (size_t i = 0; i < 4; i++)
			ck_assert_int_eq(hits[i], i < n ? 50 : 0);
		nn__pool_free(pool);
	}
	int one[1] = { 0 };
	nn__pool_run(NULL, count_job, one);
	ck_assert_int_eq(one[0], 1);
	nn__pool_free(NULL);
	nn__pool *pool;
	ck_assert_int_eq(nn__pool_new(&pool, 0), NN_EINVAL);
}
END_TEST

Suite *sparse_suite(void)
{
	Suite *s = suite_create("sparse");
	TCase *tc = tcase_create("products");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_products, 0, N_DENS);
	tcase_add_test(tc, test_threads_same_bits);
	tcase_add_test(tc, test_build);
	suite_add_tcase(s, tc);
	tc = tcase_create("gradcheck");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_gradcheck, 0, N_HIDDEN);
	suite_add_tcase(s, tc);
	tc = tcase_create("train");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_train_100);
	tcase_add_test(tc, test_api);
	tcase_add_test(tc, test_fit_sparse);
	tcase_add_test(tc, test_single_layer);
	suite_add_tcase(s, tc);
	tc = tcase_create("elementwise");
	tcase_add_test(tc, test_elementwise);
	suite_add_tcase(s, tc);
	tc = tcase_create("pool");
	tcase_add_test(tc, test_pool);
	suite_add_tcase(s, tc);
	return s;
}
