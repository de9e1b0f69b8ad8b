/*
 * What this machine runs: the SIMD family of nn's own kernels, checked at
 * run time (the library is built for baseline x86-64 and carries AVX2 code
 * beside it, see lib/meson.build), and the BLAS's thread count, which the
 * sparse kernels follow so that one thread runtime is busy at a time.
 */
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nn_internal.h"

int nn__cpu_simd(void)
{
#if defined(NN_HAVE_AVX2_KERNELS) && (defined(__x86_64__) || defined(__i386__)) && \
	defined(__GNUC__)
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
		return NN__SIMD_AVX2;
#endif
	return NN__SIMD_NONE;
}

/*
 * The BLAS's own count, looked up by name at run time: OpenBLAS
 * (openblas_set_num_threads or OPENBLAS_NUM_THREADS) or BLIS. A weak
 * reference would do for libnn.so, but not in a program that links a
 * libblas.so.3 which only depends on libopenblas.so.0; dlsym searches
 * every library loaded. Any other BLAS: one thread.
 */
size_t nn__blas_threads(void)
{
	long n = 1;
#ifdef RTLD_DEFAULT
	static const char *const names[] = { "openblas_get_num_threads",
					      "bli_thread_get_num_threads" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		void *sym = dlsym(RTLD_DEFAULT, names[i]);
		if (sym) {
			int (*get)(void);
			memcpy(&get, &sym, sizeof(get)); /* object to function pointer, portably */
			n = get();
			break;
		}
	}
#endif
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus >= 1 && n > cpus)
		n = cpus;
	return n < 1 ? 1 : (size_t)n;
}
