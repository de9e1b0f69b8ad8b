/*
 * The sigmoid passes of activation.c for AVX2 + FMA CPUs (compiled with
 * -mavx2 -mfma, called only after a run-time check, see cpu.c), 4 doubles
 * at a time:
 *
 *   forward   a = 1 / (1 + exp(-(z + b)))
 *   output    z += b; a = 1 / (1 + exp(-z))
 *   backward  d *= a (1 - a); db += d
 *
 * The formulas are those of the portable loops, operation for operation
 * (no fused multiply-add), so the backward pass gives the same bits and
 * the forward passes differ only by exp: glibc's vector exp from libmvec
 * (_ZGVdN4v_exp, the x86-64 vector ABI's AVX2 variant) instead of its
 * scalar exp. Its error bound, measured over the sigmoid's domain, is in
 * doc/performance.md; without libmvec each lane calls scalar exp.
 *
 * A column's last 1-3 rows go through the same vector code with masked
 * loads and stores, so every element is computed alike.
 */
#include <immintrin.h>
#include <math.h>

#include "nn_internal.h"

#ifdef NN_HAVE_MVEC
/* libmvec: exp of 4 doubles (declared here: glibc declares it to the
 * compiler only under -ffast-math, through math-vector.h) */
__m256d _ZGVdN4v_exp(__m256d x);

static inline __m256d exp4(__m256d x)
{
	return _ZGVdN4v_exp(x);
}
#else
static inline __m256d exp4(__m256d x)
{
	double v[4];
	_mm256_storeu_pd(v, x);
	for (int i = 0; i < 4; i++)
		v[i] = exp(v[i]);
	return _mm256_loadu_pd(v);
}
#endif

void nn__exp4_avx2(double *y, const double *x)
{
	_mm256_storeu_pd(y, exp4(_mm256_loadu_pd(x)));
}

/* 1 / (1 + exp(-z)); -z flips the sign bit, as the scalar negation does */
static inline __m256d sigmoid4(__m256d z)
{
	const __m256d one = _mm256_set1_pd(1.0);
	__m256d e = exp4(_mm256_xor_pd(z, _mm256_set1_pd(-0.0)));
	return _mm256_div_pd(one, _mm256_add_pd(one, e));
}

/* lanes [0, rem) of a vector, 1 <= rem <= 3 */
static inline __m256i tail_mask(size_t rem)
{
	return _mm256_setr_epi64x(-1, rem > 1 ? -1 : 0, rem > 2 ? -1 : 0, 0);
}

void nn__sigmoid_forward_avx2(double *A, size_t rows, size_t cols, size_t ld, const double *b)
{
	size_t n4 = rows & ~(size_t)3, rem = rows & 3;
	__m256i m = tail_mask(rem ? rem : 1);
	for (size_t j = 0; j < cols; j++) {
		double *a = A + j * ld;
		for (size_t i = 0; i < n4; i += 4) {
			__m256d z = _mm256_add_pd(_mm256_loadu_pd(a + i), _mm256_loadu_pd(b + i));
			_mm256_storeu_pd(a + i, sigmoid4(z));
		}
		if (rem) {
			__m256d z = _mm256_add_pd(_mm256_maskload_pd(a + n4, m),
						  _mm256_maskload_pd(b + n4, m));
			_mm256_maskstore_pd(a + n4, m, sigmoid4(z));
		}
	}
}

void nn__sigmoid_output_avx2(double *A, double *Z, size_t rows, size_t cols, const double *b)
{
	size_t n4 = rows & ~(size_t)3, rem = rows & 3;
	__m256i m = tail_mask(rem ? rem : 1);
	for (size_t j = 0; j < cols; j++) {
		double *z = Z + j * rows, *a = A + j * rows;
		for (size_t i = 0; i < n4; i += 4) {
			__m256d v = _mm256_add_pd(_mm256_loadu_pd(z + i), _mm256_loadu_pd(b + i));
			_mm256_storeu_pd(z + i, v);
			_mm256_storeu_pd(a + i, sigmoid4(v));
		}
		if (rem) {
			__m256d v = _mm256_add_pd(_mm256_maskload_pd(z + n4, m),
						  _mm256_maskload_pd(b + n4, m));
			_mm256_maskstore_pd(z + n4, m, v);
			_mm256_maskstore_pd(a + n4, m, sigmoid4(v));
		}
	}
}

void nn__sigmoid_backward_avx2(double *D, const double *A, size_t rows, size_t cols, size_t ld,
			       double *db)
{
	const __m256d one = _mm256_set1_pd(1.0);
	size_t n4 = rows & ~(size_t)3, rem = rows & 3;
	__m256i m = tail_mask(rem ? rem : 1);
	for (size_t i = 0; i < rows; i++)
		db[i] = 0.0;
	for (size_t j = 0; j < cols; j++) {
		double *d = D + j * ld;
		const double *a = A + j * ld;
		for (size_t i = 0; i < n4; i += 4) {
			__m256d av = _mm256_loadu_pd(a + i);
			__m256d dv = _mm256_mul_pd(_mm256_loadu_pd(d + i),
						   _mm256_mul_pd(av, _mm256_sub_pd(one, av)));
			_mm256_storeu_pd(d + i, dv);
			_mm256_storeu_pd(db + i, _mm256_add_pd(_mm256_loadu_pd(db + i), dv));
		}
		if (rem) {
			__m256d av = _mm256_maskload_pd(a + n4, m);
			__m256d dv = _mm256_mul_pd(_mm256_maskload_pd(d + n4, m),
						   _mm256_mul_pd(av, _mm256_sub_pd(one, av)));
			_mm256_maskstore_pd(d + n4, m, dv);
			_mm256_maskstore_pd(db + n4, m, _mm256_add_pd(_mm256_maskload_pd(db + n4, m), dv));
		}
	}
}
