/*
 * The optimisers' update, one pass over a run of parameters: the kernels
 * behind nn_optim_step (optim.c has the rules and the state).
 *
 * Each loop reads its settings from locals and its buffers through
 * restrict pointers, so that the compiler vectorises it: the loads and
 * stores of one element never wait for another's, and nothing is re-read
 * after a store; sqrt is the instruction, without the errno path that
 * would keep the loop scalar (-fno-math-errno). The arithmetic is the
 * scalar formula, operation for operation (-ffp-contract=off: no fused
 * multiply-add), so every copy gives the same bits as the scalar loop the
 * tests hold it against.
 *
 * Compiled for each precision and family (real.h, kernels/simd.h): the
 * portable copy at -O3 (SSE2, 2 doubles at a time), and the AVX2 and
 * AVX-512 ones, chosen at run time by nn__optim_update. A float32
 * optimiser keeps its state in float32; its settings are rounded to
 * float32 once.
 */
#include "nn_internal.h"
#include "core/real.h"

void NN_K(nn__update)(const nn__update_args *a, real *restrict p, const real *restrict g,
		      real *restrict u, real *restrict v, size_t n, double lam_)
{
	const real eta = (real)a->eta, scale = (real)a->scale, lam = (real)lam_;
	const real mu = (real)a->mu, b1 = (real)a->beta1, b2 = (real)a->beta2;
	const real ob1 = (real)(1 - a->beta1), ob2 = (real)(1 - a->beta2), eps = (real)a->eps;
	const real c1 = (real)a->c1, c2 = (real)a->c2;
	switch (a->kind) {
	case NN_OPT_SGD:
		for (size_t i = 0; i < n; i++)
			p[i] -= eta * (scale * g[i] + lam * p[i]);
		break;
	case NN_OPT_MOMENTUM:
		for (size_t i = 0; i < n; i++) {
			u[i] = mu * u[i] + (scale * g[i] + lam * p[i]);
			p[i] -= eta * u[i];
		}
		break;
	case NN_OPT_NESTEROV:
		for (size_t i = 0; i < n; i++) {
			real gi = scale * g[i] + lam * p[i];
			u[i] = mu * u[i] + gi;
			p[i] -= eta * (gi + mu * u[i]);
		}
		break;
	case NN_OPT_ADAM:
	default:
		for (size_t i = 0; i < n; i++) {
			real gi = scale * g[i] + lam * p[i];
			u[i] = b1 * u[i] + ob1 * gi;
			v[i] = b2 * v[i] + ob2 * gi * gi;
			p[i] -= eta * (u[i] / c1) / (sqrt(v[i] / c2) + eps);
		}
		break;
	}
}
