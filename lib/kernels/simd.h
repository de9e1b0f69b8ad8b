/*
 * The vector kernels, written once for every instruction-set family and
 * precision.
 *
 * A kernel file (spmm_simd.c, sigmoid_simd.c, train/update.c) is compiled
 * once per family and precision (lib/meson.build): with -mavx2 -mfma and
 * NN_ISA_AVX2, with the AVX-512 flags and NN_ISA_AVX512, and each with or
 * without NN_REAL_F32. NN_K(name) (real.h) gives a copy its names, family
 * then precision (nn__spmm_avx512_f32); libnn calls them only after cpu.c
 * has said the CPU runs that family.
 *
 * `vec` is a GCC vector of W reals (4 or 8 doubles with AVX2, 8 or 16 with
 * AVX-512): arithmetic is written with the usual operators, and only what
 * has no operator -- loads, stores, a tail of fewer than W lanes, exp --
 * goes through the helpers below. The kernel files are compiled with
 * -ffp-contract=off, so an expression rounds as the scalar one does, and a
 * fused multiply-add is asked for by name (vfma).
 */
#ifndef NN_SIMD_H
#define NN_SIMD_H

#include <immintrin.h>
#include <stddef.h>
#include <string.h>

#include "core/real.h"

#if defined(NN_ISA_AVX512)
#define VBYTES 64
#elif defined(NN_ISA_AVX2)
#define VBYTES 32
#else
#error "simd.h: compile with NN_ISA_AVX2 or NN_ISA_AVX512 (lib/meson.build)"
#endif

#define W ((int)(VBYTES / sizeof(real)))
#define ALWAYS_INLINE inline __attribute__((always_inline))

typedef real vec __attribute__((vector_size(VBYTES)));

static ALWAYS_INLINE vec vload(const real *p)
{
	vec v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static ALWAYS_INLINE void vstore(real *p, vec v)
{
	memcpy(p, &v, sizeof(v));
}

static ALWAYS_INLINE vec vsplat(real x)
{
	return (vec){ 0 } + x;
}

/* a * b + c, rounded once: the fused multiply-add (the files are compiled
 * with -ffp-contract=off, so a * b + c written out is two roundings) */
#if defined(NN_ISA_AVX512) && !defined(NN_REAL_F32)
#define vfma(a, b, c) ((vec)_mm512_fmadd_pd((__m512d)(a), (__m512d)(b), (__m512d)(c)))
#elif defined(NN_ISA_AVX512)
#define vfma(a, b, c) ((vec)_mm512_fmadd_ps((__m512)(a), (__m512)(b), (__m512)(c)))
#elif !defined(NN_REAL_F32)
#define vfma(a, b, c) ((vec)_mm256_fmadd_pd((__m256d)(a), (__m256d)(b), (__m256d)(c)))
#else
#define vfma(a, b, c) ((vec)_mm256_fmadd_ps((__m256)(a), (__m256)(b), (__m256)(c)))
#endif

/*
 * The first n lanes, 0 < n < W; the others read as zero and are not
 * written. Masked moves, so a tail is computed by the same code as a whole
 * vector and never touches memory past the end.
 */
#if defined(NN_ISA_AVX512) && !defined(NN_REAL_F32)
static ALWAYS_INLINE __mmask8 lanes(int n)
{
	return (__mmask8)((1u << n) - 1);
}
static ALWAYS_INLINE vec vload_n(const real *p, int n)
{
	return (vec)_mm512_maskz_loadu_pd(lanes(n), p);
}
static ALWAYS_INLINE void vstore_n(real *p, vec v, int n)
{
	_mm512_mask_storeu_pd(p, lanes(n), (__m512d)v);
}
#elif defined(NN_ISA_AVX512)
static ALWAYS_INLINE __mmask16 lanes(int n)
{
	return (__mmask16)((1u << n) - 1);
}
static ALWAYS_INLINE vec vload_n(const real *p, int n)
{
	return (vec)_mm512_maskz_loadu_ps(lanes(n), p);
}
static ALWAYS_INLINE void vstore_n(real *p, vec v, int n)
{
	_mm512_mask_storeu_ps(p, lanes(n), (__m512)v);
}
#elif !defined(NN_REAL_F32)
static ALWAYS_INLINE __m256i lanes(int n)
{
	return _mm256_cmpgt_epi64(_mm256_set1_epi64x(n), _mm256_setr_epi64x(0, 1, 2, 3));
}
static ALWAYS_INLINE vec vload_n(const real *p, int n)
{
	return (vec)_mm256_maskload_pd(p, lanes(n));
}
static ALWAYS_INLINE void vstore_n(real *p, vec v, int n)
{
	_mm256_maskstore_pd(p, lanes(n), (__m256d)v);
}
#else
static ALWAYS_INLINE __m256i lanes(int n)
{
	return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
static ALWAYS_INLINE vec vload_n(const real *p, int n)
{
	return (vec)_mm256_maskload_ps(p, lanes(n));
}
static ALWAYS_INLINE void vstore_n(real *p, vec v, int n)
{
	_mm256_maskstore_ps(p, lanes(n), (__m256)v);
}
#endif

/*
 * exp of every lane: glibc's vector exp from libmvec where the build found
 * it (the x86-64 vector ABI's names: d = AVX2, e = AVX-512, then the lane
 * count; glibc declares them to the compiler only under -ffast-math), else
 * the scalar exp lane by lane.
 */
#ifdef NN_HAVE_MVEC
#if defined(NN_ISA_AVX512) && !defined(NN_REAL_F32)
__m512d _ZGVeN8v_exp(__m512d x);
#define NN_VEXP(x) ((vec)_ZGVeN8v_exp((__m512d)(x)))
#elif defined(NN_ISA_AVX512)
__m512 _ZGVeN16v_expf(__m512 x);
#define NN_VEXP(x) ((vec)_ZGVeN16v_expf((__m512)(x)))
#elif !defined(NN_REAL_F32)
__m256d _ZGVdN4v_exp(__m256d x);
#define NN_VEXP(x) ((vec)_ZGVdN4v_exp((__m256d)(x)))
#else
__m256 _ZGVdN8v_expf(__m256 x);
#define NN_VEXP(x) ((vec)_ZGVdN8v_expf((__m256)(x)))
#endif
static ALWAYS_INLINE vec vexp(vec x)
{
	return NN_VEXP(x);
}
#else
static inline vec vexp(vec x)
{
	for (int i = 0; i < W; i++)
		x[i] = exp(x[i]);
	return x;
}
#endif

#endif /* NN_SIMD_H */
