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

#ifdef NN_REAL_F32
typedef float real;
#define NN_T(name) name##_f32
#define NN_GEMM cblas_sgemm
#define NN_AXPY cblas_saxpy
#else
typedef double real;
#define NN_T(name) name##_f64
#define NN_GEMM cblas_dgemm
#define NN_AXPY cblas_daxpy
#endif

#endif /* NN_REAL_H */
