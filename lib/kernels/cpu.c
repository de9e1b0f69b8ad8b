/*
 * What this machine runs: the SIMD family of nn's own kernels, checked at
 * run time (the library is built for baseline x86-64 and carries AVX2 and
 * AVX-512 code beside it, see lib/meson.build), and the BLAS's thread
 * count, which the sparse kernels follow so that one thread runtime is
 * busy at a time.
 */
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nn_internal.h"

static int detect(void)
{
	int best = NN__SIMD_NONE;
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
	__builtin_cpu_init();
#ifdef NN_HAVE_AVX2_KERNELS
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
		best = NN__SIMD_AVX2;
#endif
#ifdef NN_HAVE_AVX512_KERNELS
	/* libgcc's answer includes the operating system's: it saves the
	 * 512-bit registers (XCR0) */
	if (best == NN__SIMD_AVX2 && __builtin_cpu_supports("avx512f") &&
	    __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
	    __builtin_cpu_supports("avx512bw"))
		best = NN__SIMD_AVX512;
#endif
#endif
	const char *want = getenv("NN_SIMD");
	for (int f = NN__SIMD_NONE; want && f < best; f++)
		if (!strcmp(want, nn__simd_name(f)))
			return f;
	return best;
}

int nn__cpu_simd(void)
{
	static int simd = -1; /* once: every run of a process picks the same kernels */
	int s = __atomic_load_n(&simd, __ATOMIC_ACQUIRE);
	if (s < 0) {
		s = detect();
		__atomic_store_n(&simd, s, __ATOMIC_RELEASE);
	}
	return s;
}

const char *nn__simd_name(int simd)
{
	static const char *const names[NN__SIMD_COUNT_] = { "none", "avx2", "avx512" };
	return simd >= 0 && simd < NN__SIMD_COUNT_ ? names[simd] : "?";
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
