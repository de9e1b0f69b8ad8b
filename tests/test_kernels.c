/*
 * The vector kernels of every family this CPU runs (kernels/simd.h), held
 * against references computed here:
 *
 * - the optimisers' update, every family and precision, against the
 *   scalar formula written out below: the same bits, for every rule, with
 *   and without L2, on lengths that leave every kind of vector tail;
 * - the float32 sparse products against a naive product in double, and
 *   the vector families against each other (the same bits);
 * - the float32 sigmoid passes against the portable float32 loops: the
 *   backward pass bit for bit, the forward ones within expf's error.
 *
 * (tests/test_sparse.c does the float64 products and passes.) The portable
 * and AVX2 families run here whatever the CPU's best; the meson tests
 * also run whole suites with NN_SIMD forcing each family.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn_internal.h"
#include "suites.h"
#include "test_util.h"

static const nn_optimizer kinds[] = { NN_OPT_SGD, NN_OPT_MOMENTUM, NN_OPT_NESTEROV, NN_OPT_ADAM };
static const size_t lengths[] = { 0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 257 };
#define N_LENGTHS (sizeof(lengths) / sizeof(lengths[0]))

/*
 * The update's formulas, one element at a time, in type T (every constant
 * rounded to T once, as update.c does). Written out again here, not
 * called, so that a change to update.c's arithmetic shows.
 */
#define REFERENCE(T, SQRT)                                                                        \
	static void reference_##T(const nn__update_args *a, T *p, const T *g, T *u, T *v,         \
				  size_t n, double lam_)                                         \
	{                                                                                         \
		const T eta = (T)a->eta, scale = (T)a->scale, lam = (T)lam_, mu = (T)a->mu;       \
		const T b1 = (T)a->beta1, b2 = (T)a->beta2, ob1 = (T)(1 - a->beta1);              \
		const T ob2 = (T)(1 - a->beta2), eps = (T)a->eps, c1 = (T)a->c1, c2 = (T)a->c2;   \
		for (size_t i = 0; i < n; i++) {                                                  \
			T gi = scale * g[i] + lam * p[i];                                         \
			switch (a->kind) {                                                        \
			case NN_OPT_SGD:                                                          \
				p[i] = p[i] - eta * gi;                                           \
				break;                                                            \
			case NN_OPT_MOMENTUM:                                                     \
				u[i] = mu * u[i] + gi;                                            \
				p[i] = p[i] - eta * u[i];                                         \
				break;                                                            \
			case NN_OPT_NESTEROV:                                                     \
				u[i] = mu * u[i] + gi;                                            \
				p[i] = p[i] - eta * (gi + mu * u[i]);                             \
				break;                                                            \
			default:                                                                  \
				u[i] = b1 * u[i] + ob1 * gi;                                      \
				v[i] = b2 * v[i] + ob2 * gi * gi;                                 \
				p[i] = p[i] - eta * (u[i] / c1) / (SQRT(v[i] / c2) + eps);        \
				break;                                                            \
			}                                                                         \
		}                                                                                 \
	}
REFERENCE(double, sqrt)
REFERENCE(float, sqrtf)

typedef void (*update64)(const nn__update_args *, double *restrict, const double *restrict,
			 double *restrict, double *restrict, size_t, double);
typedef void (*update32)(const nn__update_args *, float *restrict, const float *restrict,
			 float *restrict, float *restrict, size_t, double);

/* Each family's update, NULL where this build or CPU has none. */
static void families(update64 f64[NN__SIMD_COUNT_], update32 f32[NN__SIMD_COUNT_])
{
	for (int f = 0; f < NN__SIMD_COUNT_; f++)
		f64[f] = NULL, f32[f] = NULL;
	f64[NN__SIMD_NONE] = nn__update_f64, f32[NN__SIMD_NONE] = nn__update_f32;
	int best = nn__cpu_simd();
#ifdef NN_HAVE_AVX2_KERNELS
	if (best >= NN__SIMD_AVX2)
		f64[NN__SIMD_AVX2] = nn__update_avx2_f64, f32[NN__SIMD_AVX2] = nn__update_avx2_f32;
#endif
#ifdef NN_HAVE_AVX512_KERNELS
	if (best >= NN__SIMD_AVX512)
		f64[NN__SIMD_AVX512] = nn__update_avx512_f64,
		f32[NN__SIMD_AVX512] = nn__update_avx512_f32;
#endif
	(void)best;
}

/* Three steps of every rule, family, length and L2, from the same state. */
START_TEST(test_update)
{
	update64 f64[NN__SIMD_COUNT_];
	update32 f32[NN__SIMD_COUNT_];
	families(f64, f32);
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 5), 0);
	enum { MAXN = 257 };
	double p0[MAXN], g0[MAXN], u0[MAXN], v0[MAXN];
	for (size_t i = 0; i < MAXN; i++) {
		p0[i] = nn_rng_uniform(rng, -2, 2);
		g0[i] = nn_rng_uniform(rng, -1, 1) * (i % 5 ? 1 : 1e-6);
		u0[i] = nn_rng_uniform(rng, -0.1, 0.1);
		v0[i] = nn_rng_uniform(rng, 0, 0.01);
	}
	size_t compared = 0;
	for (int k = 0; k < 4; k++)
		for (int l2 = 0; l2 < 2; l2++)
			for (size_t ni = 0; ni < N_LENGTHS; ni++)
				for (int f = 0; f < NN__SIMD_COUNT_; f++) {
					if (!f64[f])
						continue;
					size_t n = lengths[ni];
					double lam = l2 ? 0.1 : 0;
					double p[2][MAXN], u[2][MAXN], v[2][MAXN];
					float pf[2][MAXN], uf[2][MAXN], vf[2][MAXN], gf[MAXN];
					for (int c = 0; c < 2; c++)
						for (size_t i = 0; i < MAXN; i++) {
							p[c][i] = p0[i], u[c][i] = u0[i], v[c][i] = v0[i];
							pf[c][i] = (float)p0[i], uf[c][i] = (float)u0[i];
							vf[c][i] = (float)v0[i], gf[i] = (float)g0[i];
						}
					for (int t = 1; t <= 3; t++) {
						nn__update_args a = {
							.kind = kinds[k], .eta = 0.01, .scale = 1.0 / 3,
							.mu = 0.9, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8,
							.c1 = 1 - pow(0.9, t), .c2 = 1 - pow(0.999, t)
						};
						f64[f](&a, p[0], g0, u[0], v[0], n, lam);
						reference_double(&a, p[1], g0, u[1], v[1], n, lam);
						f32[f](&a, pf[0], gf, uf[0], vf[0], n, lam);
						reference_float(&a, pf[1], gf, uf[1], vf[1], n, lam);
					}
					/* the same bits, and nothing past n written */
					ck_assert_mem_eq(p[0], p[1], sizeof(p[0]));
					ck_assert_mem_eq(u[0], u[1], sizeof(u[0]));
					ck_assert_mem_eq(v[0], v[1], sizeof(v[0]));
					ck_assert_mem_eq(pf[0], pf[1], sizeof(pf[0]));
					ck_assert_mem_eq(uf[0], uf[1], sizeof(uf[0]));
					ck_assert_mem_eq(vf[0], vf[1], sizeof(vf[0]));
					compared++;
				}
	ck_assert_uint_ge(compared, 4 * 2 * N_LENGTHS);
	nn_rng_free(rng);
}
END_TEST

/* X (rows x cols) about `density` non-zero, values in [-1, 1]. */
static void fill_sparse(nn_matrix *X, size_t rows, size_t cols, double density, nn_rng *rng)
{
	ck_assert_int_eq(nn_matrix_new(X, rows, cols), 0);
	for (size_t j = 0; j < cols; j++)
		for (size_t i = 0; i < rows; i++)
			NN_AT(X, i, j) = nn_rng_random(rng) < density ? nn_rng_uniform(rng, -1, 1) : 0;
}

/* Out = In S in double, S (k x C) the matrix itself: Out[:, c] = sum_p S[p, c] In[:, p] */
static void naive(double *Out, const float *In, size_t h, const nn_matrix *S)
{
	for (size_t c = 0; c < S->cols; c++)
		for (size_t r = 0; r < h; r++) {
			double s = 0;
			for (size_t p = 0; p < S->rows; p++)
				s += NN_AT(S, p, c) * (double)(float)In[r + p * h];
			Out[r + c * h] = s;
		}
}

/*
 * The float32 products of a training step, Z = W X and G = D X^T, by each
 * family on widths that leave every tail of 8 and 16 lanes, against a
 * naive product in double of the same float32 inputs: within float32's
 * rounding of a sum of |terms| (the error bound of a recursive sum).
 */
START_TEST(test_spmm32)
{
	static const size_t widths[] = { 1, 5, 8, 16, 17, 30, 33, 64, 70 };
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 8), 0);
	const size_t rows = 200, cols = 90;
	nn_matrix X, Xt;
	fill_sparse(&X, rows, cols, 0.2, rng);
	ck_assert_int_eq(nn_matrix_new(&Xt, cols, rows), 0);
	for (size_t j = 0; j < cols; j++)
		for (size_t i = 0; i < rows; i++)
			NN_AT(&Xt, j, i) = (double)(float)NN_AT(&X, i, j);
	for (size_t i = 0; i < rows * cols; i++)
		X.data[i] = (double)(float)X.data[i];
	for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
		size_t h = widths[w];
		float *W = malloc(h * rows * sizeof(float)), *D = malloc(h * cols * sizeof(float));
		float *Z = malloc(h * cols * sizeof(float)), *G = malloc(h * rows * sizeof(float));
		float *Zv = malloc(h * cols * sizeof(float)), *Gv = malloc(h * rows * sizeof(float));
		double *Zr = malloc(h * cols * sizeof(double)), *Gr = malloc(h * rows * sizeof(double));
		ck_assert(W && D && Z && G && Zv && Gv && Zr && Gr);
		for (size_t i = 0; i < h * rows; i++)
			W[i] = (float)nn_rng_uniform(rng, -1, 1);
		for (size_t i = 0; i < h * cols; i++)
			D[i] = (float)nn_rng_uniform(rng, -1, 1);
		naive(Zr, W, h, &X);
		naive(Gr, D, h, &Xt);
		nn_sparse *sp;
		ck_assert_int_eq(nn__sparse_new(&sp, &X, h, 2, 1), 0);
		for (int f = 0; f <= nn__cpu_simd(); f++) {
			nn__sparse_wx_f32(f, Z, h, W, h, sp, -1, NULL);
			nn__sparse_dxt_f32(f, G, h, D, h, sp);
			/* |error| <= k u sum |terms|, k the terms (at most rows or cols) */
			for (size_t i = 0; i < h * cols; i++)
				ck_assert_double_le(fabs(Z[i] - Zr[i]), 1e-5 * ((double)rows * 0.2 + 10));
			for (size_t i = 0; i < h * rows; i++)
				ck_assert_double_le(fabs(G[i] - Gr[i]), 1e-5 * ((double)cols * 0.2 + 10));
			if (f == NN__SIMD_AVX2) {
				memcpy(Zv, Z, h * cols * sizeof(float));
				memcpy(Gv, G, h * rows * sizeof(float));
			} else if (f > NN__SIMD_AVX2) {
				ck_assert_mem_eq(Z, Zv, h * cols * sizeof(float));
				ck_assert_mem_eq(G, Gv, h * rows * sizeof(float));
			}
		}
		nn__sparse_free(sp);
		free(W), free(D), free(Z), free(G), free(Zv), free(Gv), free(Zr), free(Gr);
	}
	nn_matrix_free(&X);
	nn_matrix_free(&Xt);
	nn_rng_free(rng);
}
END_TEST

/* The float32 sigmoid passes of each vector family against the portable
 * float32 loops (expf): backward bit for bit, forward within 4 ulps. */
START_TEST(test_sigmoid32)
{
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 13), 0);
	const size_t rows = 37, cols = 11, ld = 40, sz = ld * cols;
	float *A0 = malloc(sz * sizeof(float)), *A = malloc(sz * sizeof(float));
	float *B = malloc(sz * sizeof(float)), *Z0 = malloc(sz * sizeof(float));
	float *Z1 = malloc(sz * sizeof(float)), *Z2 = malloc(sz * sizeof(float));
	float *D0 = malloc(sz * sizeof(float)), *D1 = malloc(sz * sizeof(float));
	float *D2 = malloc(sz * sizeof(float));
	float b[37], db1[37], db2[37];
	for (size_t i = 0; i < sz; i++) {
		A0[i] = (float)nn_rng_uniform(rng, -20, 20);
		Z0[i] = (float)nn_rng_uniform(rng, -20, 20);
		D0[i] = (float)nn_rng_uniform(rng, -1, 1);
	}
	for (size_t i = 0; i < rows; i++)
		b[i] = (float)nn_rng_uniform(rng, -1, 1);
	A0[3] = -200; /* expf overflows: sigma is 0 */
	A0[4] = 200;
	const double ulp = 1.0 / (1 << 23);
	for (int f = NN__SIMD_AVX2; f <= nn__cpu_simd(); f++) {
		memcpy(A, A0, sz * sizeof(float));
		memcpy(B, A0, sz * sizeof(float));
		nn__act_forward_f32(NN__SIMD_NONE, NN_ACT_SIGMOID, A, rows, cols, ld, b, NULL);
		nn__act_forward_f32(f, NN_ACT_SIGMOID, B, rows, cols, ld, b, NULL);
		for (size_t j = 0; j < cols; j++)
			for (size_t i = 0; i < ld; i++) {
				size_t at = i + j * ld;
				if (i >= rows) /* the padding rows were not touched */
					ck_assert_mem_eq(&B[at], &A0[at], sizeof(float));
				else
					ck_assert_double_le(fabs(A[at] - B[at]), 4 * ulp * A[at]);
			}
		ck_assert_float_eq(B[3], 0.0f);
		ck_assert_float_eq(B[4], 1.0f);
		memcpy(D1, D0, sz * sizeof(float));
		memcpy(D2, D0, sz * sizeof(float));
		nn__act_backward_f32(NN__SIMD_NONE, NN_ACT_SIGMOID, D1, A, rows, cols, ld, db1, NULL);
		nn__act_backward_f32(f, NN_ACT_SIGMOID, D2, A, rows, cols, ld, db2, NULL);
		ck_assert_mem_eq(D1, D2, sz * sizeof(float));
		ck_assert_mem_eq(db1, db2, sizeof(db1));
		memcpy(Z1, Z0, sz * sizeof(float));
		memcpy(Z2, Z0, sz * sizeof(float));
		nn__act_forward_output_f32(NN__SIMD_NONE, NN_ACT_SIGMOID, A, Z1, rows, cols, b);
		nn__act_forward_output_f32(f, NN_ACT_SIGMOID, B, Z2, rows, cols, b);
		ck_assert_mem_eq(Z1, Z2, rows * cols * sizeof(float));
		for (size_t i = 0; i < rows * cols; i++)
			ck_assert_double_le(fabs(A[i] - B[i]), 4 * ulp * A[i]);
	}
	free(A0), free(A), free(B), free(Z0), free(Z1), free(Z2), free(D0), free(D1), free(D2);
	nn_rng_free(rng);
}
END_TEST

/* NN_SIMD, when it names a family, is the most the library runs: what the
 * forced runs of the suites (tests/meson.build) rely on. */
START_TEST(test_forced)
{
	const char *want = getenv("NN_SIMD");
	int simd = nn__cpu_simd();
	ck_assert_int_ge(simd, NN__SIMD_NONE);
	ck_assert_int_lt(simd, NN__SIMD_COUNT_);
	ck_assert_str_ne(nn__simd_name(simd), "?");
	for (int f = 0; want && f < NN__SIMD_COUNT_; f++)
		if (!strcmp(want, nn__simd_name(f)))
			ck_assert_int_le(simd, f);
	ck_assert_str_eq(nn__simd_name(NN__SIMD_COUNT_), "?");
}
END_TEST

Suite *kernels_suite(void)
{
	Suite *s = suite_create("kernels");
	TCase *tc = tcase_create("families");
	tcase_add_test(tc, test_forced);
	tcase_add_test(tc, test_update);
	tcase_add_test(tc, test_spmm32);
	tcase_add_test(tc, test_sigmoid32);
	suite_add_tcase(s, tc);
	return s;
}
