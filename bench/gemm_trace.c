/*
 * libnn-gemm-trace.so: the time of every cblas_dgemm and cblas_sgemm call of a program,
 * added up by shape, for profiles where a sampling profiler cannot tell one
 * product from another (OpenBLAS's assembly kernels carry no unwind
 * information, so perf's call graphs stop inside them).
 *
 *   LD_PRELOAD=build-bench/bench/libnn-gemm-trace.so nn-bench-cnn ...
 *
 * Each call is passed on to the next cblas_?gemm (the BLAS's) and timed
 * around it (CLOCK_MONOTONIC). At exit, one line per distinct (precision,
 * transA, transB, M, N, K, beta = 0 or not), the most time first, goes to
 * stderr (or to the file NN_GEMM_TRACE names):
 *   gemm,trans_a,trans_b,m,n,k,beta0,calls,seconds,gflops
 * The shapes say which product is which: for a convolution, forward
 * Y = W col is N N (C_out x positions x K), dW = delta col^T is N T
 * (C_out x K x positions), dcol = W^T delta is T N (K x positions x C_out).
 */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cblas.h>

#define MAX_SHAPES 256

struct shape {
	int f32, ta, tb, m, n, k, beta0;
	unsigned long calls;
	double seconds;
};

static struct shape shapes[MAX_SHAPES];
static size_t n_shapes, dropped;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

typedef void (*dgemm_fn)(const enum CBLAS_ORDER, const enum CBLAS_TRANSPOSE,
			 const enum CBLAS_TRANSPOSE, const int, const int, const int, const double,
			 const double *, const int, const double *, const int, const double, double *,
			 const int);
typedef void (*sgemm_fn)(const enum CBLAS_ORDER, const enum CBLAS_TRANSPOSE,
			 const enum CBLAS_TRANSPOSE, const int, const int, const int, const float,
			 const float *, const int, const float *, const int, const float, float *,
			 const int);

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void add(int f32, int ta, int tb, int m, int n, int k, int beta0, double s)
{
	pthread_mutex_lock(&lock);
	size_t i = 0;
	while (i < n_shapes && !(shapes[i].f32 == f32 && shapes[i].ta == ta && shapes[i].tb == tb && shapes[i].m == m &&
				 shapes[i].n == n && shapes[i].k == k && shapes[i].beta0 == beta0))
		i++;
	if (i == n_shapes && n_shapes < MAX_SHAPES)
		shapes[n_shapes++] = (struct shape){ f32, ta, tb, m, n, k, beta0, 0, 0.0 };
	if (i < n_shapes) {
		shapes[i].calls++;
		shapes[i].seconds += s;
	} else {
		dropped++;
	}
	pthread_mutex_unlock(&lock);
}

/* The BLAS's own function name, found once (abort: nothing to pass the call to). */
static void *next_symbol(const char *name)
{
	void *sym = dlsym(RTLD_NEXT, name);
	if (!sym) {
		fprintf(stderr, "gemm-trace: no %s after this library\n", name);
		abort();
	}
	return sym;
}

void cblas_dgemm(const enum CBLAS_ORDER order, const enum CBLAS_TRANSPOSE ta,
		 const enum CBLAS_TRANSPOSE tb, const int m, const int n, const int k,
		 const double alpha, const double *a, const int lda, const double *b,
		 const int ldb, const double beta, double *c, const int ldc)
{
	static dgemm_fn next;
	if (!next) {
		void *sym = next_symbol("cblas_dgemm");
		memcpy(&next, &sym, sizeof(next)); /* object to function pointer, portably */
	}
	double t0 = now();
	next(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
	add(0, ta != CblasNoTrans, tb != CblasNoTrans, m, n, k, beta == 0.0, now() - t0);
}

void cblas_sgemm(const enum CBLAS_ORDER order, const enum CBLAS_TRANSPOSE ta,
		 const enum CBLAS_TRANSPOSE tb, const int m, const int n, const int k,
		 const float alpha, const float *a, const int lda, const float *b,
		 const int ldb, const float beta, float *c, const int ldc)
{
	static sgemm_fn next;
	if (!next) {
		void *sym = next_symbol("cblas_sgemm");
		memcpy(&next, &sym, sizeof(next));
	}
	double t0 = now();
	next(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
	add(1, ta != CblasNoTrans, tb != CblasNoTrans, m, n, k, beta == 0.0f, now() - t0);
}

static int by_time(const void *a, const void *b)
{
	double x = ((const struct shape *)a)->seconds, y = ((const struct shape *)b)->seconds;
	return (x < y) - (x > y);
}

__attribute__((destructor)) static void report(void)
{
	const char *path = getenv("NN_GEMM_TRACE");
	FILE *f = path ? fopen(path, "w") : NULL;
	FILE *out = f ? f : stderr;
	qsort(shapes, n_shapes, sizeof(shapes[0]), by_time);
	fprintf(out, "gemm,trans_a,trans_b,m,n,k,beta0,calls,seconds,gflops\n");
	for (size_t i = 0; i < n_shapes; i++) {
		const struct shape *s = &shapes[i];
		double flop = 2.0 * s->m * s->n * (double)s->k * (double)s->calls;
		fprintf(out, "%s,%c,%c,%d,%d,%d,%d,%lu,%.4f,%.2f\n", s->f32 ? "sgemm" : "dgemm",
			s->ta ? 'T' : 'N',
			s->tb ? 'T' : 'N', s->m, s->n, s->k, s->beta0, s->calls, s->seconds,
			s->seconds > 0 ? flop / s->seconds * 1e-9 : 0.0);
	}
	if (dropped)
		fprintf(out, "# %zu calls of shapes beyond the first %d not counted\n", dropped,
			MAX_SHAPES);
	if (f)
		fclose(f);
}
