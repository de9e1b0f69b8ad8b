/*
 * The floating-point type of a file that computes in a network's precision.
 *
 * Such a file (forward.c, backward.c, cost.c, conv.c, activation.c, the
 * sparse kernels, the optimiser's update) is written once against `real`
 * and compiled twice: as is, for float64 networks, and with NN_REAL_F32 defined,
 * for float32 ones (lib/meson.build). NN_T(name) gives each copy's names
 * their precision's suffix, so nn__forward_f64 and nn__forward_f32 live
 * side by side in libnn; lib/nn_internal.h declares both by hand, and the
 * precision-free code calls them through small dispatchers. <tgmath.h>
 * makes exp, log, tanh, sqrt... the float functions on float arguments.
 */
#ifndef NN_REAL_H
#define NN_REAL_H

#include <cblas.h>
#include <tgmath.h>

/* a ## b after both are expanded (so that NN_T(NN_CAT(f, _avx2)) works) */
#define NN_CAT_(a, b) a##b
#define NN_CAT(a, b) NN_CAT_(a, b)

#ifdef NN_REAL_F32
typedef float real;
#define NN_T(name) NN_CAT(name, _f32)
#define NN_GEMM cblas_sgemm
#define NN_AXPY cblas_saxpy
#else
typedef double real;
#define NN_T(name) NN_CAT(name, _f64)
#define NN_GEMM cblas_dgemm
#define NN_AXPY cblas_daxpy
#endif

/*
 * The instruction-set copies of the vector kernels (kernels/simd.h): a file
 * compiled for AVX2 or AVX-512 names its functions family then precision,
 * nn__update_avx512_f32; its portable copy, nn__update_f32.
 */
#if defined(NN_ISA_AVX512)
#define NN_K(name) NN_T(NN_CAT(name, _avx512))
#elif defined(NN_ISA_AVX2)
#define NN_K(name) NN_T(NN_CAT(name, _avx2))
#else
#define NN_K(name) NN_T(name)
#endif

/*
 * In a function of a file compiled for each precision: when `simd` (an
 * NN__SIMD_... of cpu.c) has a copy of kernel `name`, call the best one
 * with the arguments that follow and return.
 */
#if defined(NN_HAVE_AVX512_KERNELS)
#define NN_SIMD_RETURN(simd, name, ...)                                           \
	do {                                                                      \
		if ((simd) >= NN__SIMD_AVX512) {                                  \
			NN_T(NN_CAT(name, _avx512))(__VA_ARGS__);                 \
			return;                                                   \
		}                                                                 \
		if ((simd) >= NN__SIMD_AVX2) {                                    \
			NN_T(NN_CAT(name, _avx2))(__VA_ARGS__);                   \
			return;                                                   \
		}                                                                 \
	} while (0)
#elif defined(NN_HAVE_AVX2_KERNELS)
#define NN_SIMD_RETURN(simd, name, ...)                                           \
	do {                                                                      \
		if ((simd) >= NN__SIMD_AVX2) {                                    \
			NN_T(NN_CAT(name, _avx2))(__VA_ARGS__);                   \
			return;                                                   \
		}                                                                 \
	} while (0)
#else
#define NN_SIMD_RETURN(simd, name, ...) ((void)(simd))
#endif

#endif /* NN_REAL_H */
