/*
 * nn-bench-orient: does the orientation of a dense product matter to the
 * BLAS? (issue 16, doc/performance.md "Dense products: orientation")
 *
 * Each product of a training step, C = op(A) op(B) column-major as nn
 * calls it, against the same product asked for transposed,
 * C^T = op(B)^T op(A)^T (a row-major call on the same memory: the BLAS
 * then sees m and n swapped), interleaved round by round; medians of 15
 * rounds and their ratio. Shapes: the lecture's 784-30-10 on 500 samples
 * and 784-128-10 on 10,000. Run it with and without OPENBLAS_CORETYPE to
 * compare OpenBLAS's kernels; OPENBLAS_NUM_THREADS=1 for one thread.
 */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ROUNDS 15

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* C (m x n) = op(A) op(B), op(A) m x k, both ways; 0 or 1 (out of memory). */
static int product(const char *name, int m, int n, int k, int ta, int tb)
{
	double *A = malloc(sizeof(double) * (size_t)m * (size_t)k);
	double *B = malloc(sizeof(double) * (size_t)k * (size_t)n);
	double *C = malloc(sizeof(double) * (size_t)m * (size_t)n);
	if (!A || !B || !C) {
		free(A), free(B), free(C);
		return 1;
	}
	for (size_t i = 0; i < (size_t)m * (size_t)k; i++)
		A[i] = (double)(i % 97) / 97.0;
	for (size_t i = 0; i < (size_t)k * (size_t)n; i++)
		B[i] = (double)(i % 89) / 89.0;
	int lda = ta ? k : m, ldb = tb ? n : k, inner = 10;
	double t[2][ROUNDS];
	for (int r = 0; r < ROUNDS; r++)
		for (int o = 0; o < 2; o++) {
			double t0 = now();
			for (int i = 0; i < inner; i++)
				if (o == 0) /* as nn calls it */
					cblas_dgemm(CblasColMajor, ta ? CblasTrans : CblasNoTrans,
						    tb ? CblasTrans : CblasNoTrans, m, n, k, 1, A, lda, B,
						    ldb, 0, C, m);
				else /* C^T = op(B)^T op(A)^T, the same memory */
					cblas_dgemm(CblasRowMajor, tb ? CblasTrans : CblasNoTrans,
						    ta ? CblasTrans : CblasNoTrans, n, m, k, 1, B, ldb, A,
						    lda, 0, C, m);
			t[o][r] = (now() - t0) / inner * 1e3;
		}
	qsort(t[0], ROUNDS, sizeof(double), cmp);
	qsort(t[1], ROUNDS, sizeof(double), cmp);
	double a = t[0][ROUNDS / 2], b = t[1][ROUNDS / 2];
	printf("%-24s %5d %6d %6d %10.4f %10.4f %6.2f\n", name, m, n, k, a, b, a / b);
	free(A), free(B), free(C);
	return 0;
}

int main(void)
{
	printf("# dense products, ms (median of %d): as nn calls them, and transposed\n", ROUNDS);
	printf("%-24s %5s %6s %6s %10s %10s %6s\n", "product", "m", "n", "k", "nn", "transp",
	       "ratio");
	int rc = 0;
	/* the lecture: 784-30-10, 500 samples */
	rc |= product("Z1 = W1 X", 30, 500, 784, 0, 0);
	rc |= product("dW1 = D1 X^T", 30, 784, 500, 0, 1);
	rc |= product("Z2 = W2 A1", 10, 500, 30, 0, 0);
	rc |= product("dW2 = D2 A1^T", 10, 30, 500, 0, 1);
	rc |= product("D1 = W2^T D2", 30, 500, 10, 1, 0);
	/* 784-128-10, 10,000 samples */
	rc |= product("Z1 = W1 X (128)", 128, 10000, 784, 0, 0);
	rc |= product("dW1 = D1 X^T (128)", 128, 784, 10000, 0, 1);
	rc |= product("Z2 = W2 A1 (128)", 10, 10000, 128, 0, 0);
	rc |= product("dW2 = D2 A1^T (128)", 10, 128, 10000, 0, 1);
	rc |= product("D1 = W2^T D2 (128)", 128, 10000, 10, 1, 0);
	return rc;
}
