/*
 * The sigmoid passes of activation.c for AVX2 and AVX-512 CPUs, in both
 * precisions (simd.h), W reals at a time:
 *
 *   forward   a = 1 / (1 + exp(-(z + b)))
 *   output    z += b; a = 1 / (1 + exp(-z))
 *   backward  d *= a (1 - a); db += d
 *
 * The formulas are those of the portable loops, operation for operation
 * (no fused multiply-add), so the
 * backward pass gives the same bits and the forward passes differ only by
 * exp: glibc's vector exp from libmvec instead of its scalar exp. Its
 * error bound, measured over the sigmoid's domain, is in
 * doc/performance.md; without libmvec each lane calls scalar exp.
 *
 * A column's last rows go through the same vector code with masked loads
 * and stores, so every element is computed alike.
 */
#include "nn_internal.h"
#include "kernels/simd.h"

void NN_K(nn__vexp)(real *y, const real *x)
{
	vstore(y, vexp(vload(x)));
}

/* 1 / (1 + exp(-z)); -z flips the sign bit, as the scalar negation does */
static ALWAYS_INLINE vec sigmoid(vec z)
{
	return 1 / (1 + vexp(-z));
}

void NN_K(nn__sigmoid_forward)(real *A, size_t rows, size_t cols, size_t ld, const real *b)
{
	size_t nw = rows / W * W;
	int rem = (int)(rows - nw);
	for (size_t j = 0; j < cols; j++) {
		real *a = A + j * ld;
		for (size_t i = 0; i < nw; i += W)
			vstore(a + i, sigmoid(vload(a + i) + vload(b + i)));
		if (rem)
			vstore_n(a + nw, sigmoid(vload_n(a + nw, rem) + vload_n(b + nw, rem)), rem);
	}
}

void NN_K(nn__sigmoid_output)(real *A, real *Z, size_t rows, size_t cols, const real *b)
{
	size_t nw = rows / W * W;
	int rem = (int)(rows - nw);
	for (size_t j = 0; j < cols; j++) {
		real *z = Z + j * rows, *a = A + j * rows;
		for (size_t i = 0; i < nw; i += W) {
			vec v = vload(z + i) + vload(b + i);
			vstore(z + i, v);
			vstore(a + i, sigmoid(v));
		}
		if (rem) {
			vec v = vload_n(z + nw, rem) + vload_n(b + nw, rem);
			vstore_n(z + nw, v, rem);
			vstore_n(a + nw, sigmoid(v), rem);
		}
	}
}

void NN_K(nn__sigmoid_backward)(real *D, const real *A, size_t rows, size_t cols, size_t ld,
				real *db)
{
	size_t nw = rows / W * W;
	int rem = (int)(rows - nw);
	for (size_t i = 0; i < rows; i++)
		db[i] = 0;
	for (size_t j = 0; j < cols; j++) {
		real *d = D + j * ld;
		const real *a = A + j * ld;
		for (size_t i = 0; i < nw; i += W) {
			vec av = vload(a + i);
			vec dv = vload(d + i) * (av * (1 - av));
			vstore(d + i, dv);
			vstore(db + i, vload(db + i) + dv);
		}
		if (rem) {
			vec av = vload_n(a + nw, rem);
			vec dv = vload_n(d + nw, rem) * (av * (1 - av));
			vstore_n(d + nw, dv, rem);
			vstore_n(db + nw, vload_n(db + nw, rem) + dv, rem);
		}
	}
}
