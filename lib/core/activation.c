/*
 * Activations. Each is a forward formula and a derivative written through
 * its output a = act(z), so the backward pass needs only the stored
 * activations: adding one is a local change here (and an enum entry).
 * Every pass switches once, outside its loops.
 *
 *   sigmoid     a = 1 / (1 + e^-z)     a' = a (1 - a)
 *   identity    a = z                  a' = 1
 *   tanh        a = tanh z             a' = 1 - a^2
 *   relu        a = max(z, 0)          a' = [a > 0]
 *   leaky relu  a = z or 0.01 z        a' = 1 or 0.01 (a and z share a sign)
 *   softmax     a = e^z / sum e^z, per column (output layer only; its
 *               Jacobian is not diagonal, so the output pass handles it)
 *
 * On AVX2 and AVX-512 CPUs the sigmoid passes go to kernels/sigmoid_simd.c:
 * the same formulas 4 to 16 lanes at a time, with glibc's vector exp.
 *
 * Compiled once for each precision (real.h); the scalar forms, in double,
 * once.
 */
#include "nn_internal.h"
#include "real.h"

#define LEAKY_SLOPE ((real)0.01)

#ifndef NN_REAL_F32
double nn__act_scalar(nn_activation act, double z)
{
	switch (act) {
	case NN_ACT_SIGMOID:
		return 1.0 / (1.0 + exp(-z));
	case NN_ACT_TANH:
		return tanh(z);
	case NN_ACT_RELU:
		return z > 0 ? z : 0.0;
	case NN_ACT_LEAKY_RELU:
		return z > 0 ? z : 0.01 * z;
	case NN_ACT_IDENTITY:
	default:
		return z;
	}
}

double nn__act_deriv_from_output(nn_activation act, double a)
{
	switch (act) {
	case NN_ACT_SIGMOID:
		return a * (1.0 - a);
	case NN_ACT_TANH:
		return 1.0 - a * a;
	case NN_ACT_RELU:
		return a > 0 ? 1.0 : 0.0;
	case NN_ACT_LEAKY_RELU:
		return a > 0 ? 1.0 : 0.01;
	case NN_ACT_IDENTITY:
	default:
		return 1.0;
	}
}
#endif

/* act(z) and act'(z) through a = act(z), in the file's precision: the same
 * expressions as the scalar forms above. */
static inline real value(nn_activation act, real z)
{
	switch (act) {
	case NN_ACT_SIGMOID:
		return (real)1 / ((real)1 + exp(-z));
	case NN_ACT_TANH:
		return tanh(z);
	case NN_ACT_RELU:
		return z > 0 ? z : 0;
	case NN_ACT_LEAKY_RELU:
		return z > 0 ? z : LEAKY_SLOPE * z;
	case NN_ACT_IDENTITY:
	default:
		return z;
	}
}

static inline real deriv(nn_activation act, real a)
{
	switch (act) {
	case NN_ACT_SIGMOID:
		return a * ((real)1 - a);
	case NN_ACT_TANH:
		return (real)1 - a * a;
	case NN_ACT_RELU:
		return a > 0 ? 1 : 0;
	case NN_ACT_LEAKY_RELU:
		return a > 0 ? 1 : LEAKY_SLOPE;
	case NN_ACT_IDENTITY:
	default:
		return 1;
	}
}

/* a = act(z + b) over one column of n values, elementwise activations only. */
static void column_forward(nn_activation act, real *a, const real *z, const real *b, size_t n)
{
	switch (act) {
	case NN_ACT_SIGMOID:
		for (size_t i = 0; i < n; i++)
			a[i] = (real)1 / ((real)1 + exp(-(z[i] + b[i])));
		break;
	case NN_ACT_TANH:
		for (size_t i = 0; i < n; i++)
			a[i] = tanh(z[i] + b[i]);
		break;
	case NN_ACT_RELU:
		for (size_t i = 0; i < n; i++) {
			real v = z[i] + b[i];
			a[i] = v > 0 ? v : 0;
		}
		break;
	case NN_ACT_LEAKY_RELU:
		for (size_t i = 0; i < n; i++) {
			real v = z[i] + b[i];
			a[i] = v > 0 ? v : LEAKY_SLOPE * v;
		}
		break;
	case NN_ACT_IDENTITY:
	default:
		for (size_t i = 0; i < n; i++)
			a[i] = z[i] + b[i];
		break;
	}
}

void NN_T(nn__act_forward)(int simd, nn_activation act, real *A, size_t rows, size_t cols,
			   size_t ld, const real *b, const real *mask)
{
	if (act == NN_ACT_SIGMOID && !mask)
		NN_SIMD_RETURN(simd, nn__sigmoid_forward, A, rows, cols, ld, b);
	for (size_t j = 0; j < cols; j++) {
		real *a = A + j * ld;
		column_forward(act, a, a, b, rows);
		if (mask) {
			const real *m = mask + j * ld;
			for (size_t i = 0; i < rows; i++)
				a[i] *= m[i];
		}
	}
}

void NN_T(nn__act_forward_output)(int simd, nn_activation act, real *A, real *Z, size_t rows,
				  size_t cols, const real *b)
{
	if (act == NN_ACT_SIGMOID)
		NN_SIMD_RETURN(simd, nn__sigmoid_output, A, Z, rows, cols, b);
	for (size_t j = 0; j < cols; j++) {
		real *z = Z + j * rows, *a = A + j * rows;
		if (act == NN_ACT_SIGMOID) {
			/* the lecture's case, in one pass: the same expression as
			 * nn__act_scalar, without a call and a switch per element */
			for (size_t i = 0; i < rows; i++) {
				z[i] += b[i];
				a[i] = (real)1 / ((real)1 + exp(-z[i]));
			}
			continue;
		}
		for (size_t i = 0; i < rows; i++)
			z[i] += b[i];
		if (act != NN_ACT_SOFTMAX) {
			for (size_t i = 0; i < rows; i++)
				a[i] = value(act, z[i]);
			continue;
		}
		/* softmax, shifted by the column's max so exp never overflows */
		real mx = z[0], s = 0;
		for (size_t i = 1; i < rows; i++)
			mx = z[i] > mx ? z[i] : mx;
		for (size_t i = 0; i < rows; i++)
			s += a[i] = exp(z[i] - mx);
		for (size_t i = 0; i < rows; i++)
			a[i] /= s;
	}
}

void NN_T(nn__act_backward)(int simd, nn_activation act, real *D, const real *A, size_t rows,
			    size_t cols, size_t ld, real *db, const real *mask)
{
	if (act == NN_ACT_SIGMOID && !mask)
		NN_SIMD_RETURN(simd, nn__sigmoid_backward, D, A, rows, cols, ld, db);
	for (size_t i = 0; i < rows; i++)
		db[i] = 0;
	if (mask) {
		/* inverted dropout: A holds act(z) * m with m in {0, 1/(1-p)};
		 * dropped units pass no gradient, kept ones act'(a / m) * m */
		for (size_t j = 0; j < cols; j++) {
			real *d = D + j * ld;
			const real *a = A + j * ld, *m = mask + j * ld;
			for (size_t i = 0; i < rows; i++) {
				d[i] = m[i] != 0 ? d[i] * m[i] * deriv(act, a[i] / m[i]) : 0;
				db[i] += d[i];
			}
		}
		return;
	}
	switch (act) {
	case NN_ACT_SIGMOID:
		for (size_t j = 0; j < cols; j++) {
			real *d = D + j * ld;
			const real *a = A + j * ld;
			for (size_t i = 0; i < rows; i++) {
				d[i] *= a[i] * ((real)1 - a[i]);
				db[i] += d[i];
			}
		}
		break;
	case NN_ACT_TANH:
		for (size_t j = 0; j < cols; j++) {
			real *d = D + j * ld;
			const real *a = A + j * ld;
			for (size_t i = 0; i < rows; i++) {
				d[i] *= (real)1 - a[i] * a[i];
				db[i] += d[i];
			}
		}
		break;
	case NN_ACT_RELU:
	case NN_ACT_LEAKY_RELU: {
		real neg = act == NN_ACT_RELU ? 0 : LEAKY_SLOPE;
		for (size_t j = 0; j < cols; j++) {
			real *d = D + j * ld;
			const real *a = A + j * ld;
			for (size_t i = 0; i < rows; i++) {
				d[i] *= a[i] > 0 ? (real)1 : neg;
				db[i] += d[i];
			}
		}
		break;
	}
	case NN_ACT_IDENTITY:
	default:
		for (size_t j = 0; j < cols; j++) {
			const real *d = D + j * ld;
			for (size_t i = 0; i < rows; i++)
				db[i] += d[i];
		}
		break;
	}
}
