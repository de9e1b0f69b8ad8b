/*
 * Optimisers: one update of the whole parameter buffer from a gradient.
 *
 * g = scale * grad + l2 * W (the L2 term on weights only, as the course
 * code writes it: w -= eta (lam w + dC/dw)), then
 *   SGD       w -= eta g
 *   MOMENTUM  u = mu u + g;  w -= eta u
 *   NESTEROV  u = mu u + g;  w -= eta (g + mu u)
 *   ADAM      m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
 *             w -= eta (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * Each is one pass over the buffer; biases are the same loop with lam = 0.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn/optim.h"
#include "nn_internal.h"

struct nn_optim {
	nn_optimizer kind;
	double mu, beta1, beta2, eps, l2;
	size_t n_params;
	size_t n_layers;
	size_t *n_w;    /* each layer's weight and bias counts, as the network it was */
	size_t *n_b;    /* made for: steps check them */
	uint64_t t;     /* updates taken */
	int f32;        /* made for a float32 network: state and updates in float32 */
	void *state;    /* MOMENTUM, NESTEROV: u (n); ADAM: m then v (2n); SGD: none */
	size_t n_state;
	double *state64; /* float32: the state as doubles, for nn_optim_state */
};

NN_EXPORT nn_optim_options nn_optim_defaults(void)
{
	return (nn_optim_options){ .kind = NN_OPT_SGD, .momentum = 0.9, .beta1 = 0.9,
				   .beta2 = 0.999, .epsilon = 1e-8, .l2 = 0.0 };
}

int nn__optim_check(const nn_optim_options *o)
{
	if (o->kind < NN_OPT_SGD || o->kind >= NN_OPT_COUNT_)
		return nn__errorf(NN_EINVAL, "optimizer %d is not an nn_optimizer", (int)o->kind);
	if (!(o->momentum >= 0 && o->momentum < 1))
		return nn__errorf(NN_EINVAL, "momentum is %g; it must be in [0, 1)", o->momentum);
	if (!(o->beta1 >= 0 && o->beta1 < 1) || !(o->beta2 >= 0 && o->beta2 < 1))
		return nn__errorf(NN_EINVAL, "beta1 %g, beta2 %g: each must be in [0, 1)", o->beta1,
				  o->beta2);
	if (!(o->epsilon > 0) || !isfinite(o->epsilon))
		return nn__errorf(NN_EINVAL, "epsilon is %g; it must be finite and > 0", o->epsilon);
	if (!(o->l2 >= 0) || !isfinite(o->l2))
		return nn__errorf(NN_EINVAL, "l2 is %g; it must be finite and >= 0", o->l2);
	return 0;
}

NN_EXPORT int nn_optim_new(nn_optim **out, const nn_net *net, const nn_optim_options *opt)
{
	nn__clear_error();
	if (!out)
		return NN_ENULL;
	*out = NULL;
	if (!net)
		return NN_ENULL;
	nn_optim_options d = nn_optim_defaults();
	if (!opt)
		opt = &d;
	if (nn__optim_check(opt))
		return NN_EINVAL;
	nn_optim *o = calloc(1, sizeof(*o));
	if (!o)
		return NN_ENOMEM;
	*o = (nn_optim){ .kind = opt->kind, .mu = opt->momentum, .beta1 = opt->beta1,
			 .beta2 = opt->beta2, .eps = opt->epsilon, .l2 = opt->l2,
			 .n_params = net->n_params };
	o->n_state = opt->kind == NN_OPT_ADAM ? 2 * net->n_params
		     : opt->kind == NN_OPT_SGD ? 0 : net->n_params;
	o->n_layers = net->n_layers;
	o->f32 = net->f32;
	o->n_w = malloc(net->n_layers * sizeof(*o->n_w));
	o->n_b = malloc(net->n_layers * sizeof(*o->n_b));
	if (!o->n_w || !o->n_b ||
	    (o->n_state && !(o->state = calloc(o->n_state, nn__elem(net)))) ||
	    (o->n_state && o->f32 && !(o->state64 = malloc(o->n_state * sizeof(double))))) {
		nn_optim_free(o);
		return NN_ENOMEM;
	}
	for (size_t l = 0; l < net->n_layers; l++) {
		o->n_w[l] = net->layer[l].n_w;
		o->n_b[l] = net->layer[l].n_b;
	}
	*out = o;
	return 0;
}

NN_EXPORT nn_optim_options nn_optim_settings(const nn_optim *o)
{
	if (!o)
		return nn_optim_defaults();
	return (nn_optim_options){ .kind = o->kind, .momentum = o->mu, .beta1 = o->beta1,
				   .beta2 = o->beta2, .epsilon = o->eps, .l2 = o->l2 };
}

NN_EXPORT void nn_optim_free(nn_optim *o)
{
	if (!o)
		return;
	free(o->state);
	free(o->state64);
	free(o->n_w);
	free(o->n_b);
	free(o);
}

int nn__optim_fits(const nn_optim *o, const nn_net *net)
{
	if (o->n_layers != net->n_layers || o->f32 != net->f32)
		return NN_ESHAPE;
	for (size_t l = 0; l < net->n_layers; l++)
		if (o->n_w[l] != net->layer[l].n_w || o->n_b[l] != net->layer[l].n_b)
			return NN_ESHAPE;
	return 0;
}

/* The update loop of the CPU's family (update.c); all give the same bits. */
#define UPDATE(T, real)                                                                          \
	static void update_##T(int simd, const nn__update_args *a, real *p, const real *g,       \
			       real *u, real *v, size_t n, double lam)                          \
	{                                                                                        \
		UPDATE_SIMD(T)                                                                   \
		nn__update_##T(a, p, g, u, v, n, lam);                                           \
	}
#if defined(NN_HAVE_AVX512_KERNELS)
#define UPDATE_SIMD(T)                                                                           \
	if (simd >= NN__SIMD_AVX512) {                                                           \
		nn__update_avx512_##T(a, p, g, u, v, n, lam);                                    \
		return;                                                                          \
	}                                                                                        \
	if (simd >= NN__SIMD_AVX2) {                                                             \
		nn__update_avx2_##T(a, p, g, u, v, n, lam);                                      \
		return;                                                                          \
	}
#elif defined(NN_HAVE_AVX2_KERNELS)
#define UPDATE_SIMD(T)                                                                           \
	if (simd >= NN__SIMD_AVX2) {                                                             \
		nn__update_avx2_##T(a, p, g, u, v, n, lam);                                      \
		return;                                                                          \
	}
#else
#define UPDATE_SIMD(T) (void)simd;
#endif
UPDATE(f64, double)
UPDATE(f32, float)

void nn__optim_update(nn_optim *o, void *params, const void *grad, double eta, double scale)
{
	int simd = nn__cpu_simd();
	o->t++;
	nn__update_args a = { .kind = o->kind, .eta = eta, .scale = scale, .mu = o->mu,
			      .beta1 = o->beta1, .beta2 = o->beta2, .eps = o->eps,
			      .c1 = 1 - pow(o->beta1, (double)o->t),
			      .c2 = 1 - pow(o->beta2, (double)o->t) };
	size_t off = 0, elem = o->f32 ? sizeof(float) : sizeof(double), P = o->n_params;
	char *p = params, *u = o->state, *v = o->kind == NN_OPT_ADAM ? u + P * elem : NULL;
	const char *g = grad;
	for (size_t l = 0; l < o->n_layers; l++) {
		/* weights with L2, then biases without */
		for (int part = 0; part < 2; part++) {
			size_t n = part ? o->n_b[l] : o->n_w[l], at = off * elem;
			double lam = part ? 0.0 : o->l2;
			if (o->f32)
				update_f32(simd, &a, (float *)(p + at), (const float *)(g + at),
					   u ? (float *)(u + at) : NULL, v ? (float *)(v + at) : NULL,
					   n, lam);
			else
				update_f64(simd, &a, (double *)(p + at), (const double *)(g + at),
					   u ? (double *)(u + at) : NULL,
					   v ? (double *)(v + at) : NULL, n, lam);
			off += n;
		}
	}
}

NN_EXPORT int nn_optim_step(nn_optim *o, nn_net *net, const nn_net *grad, double eta,
			    double scale)
{
	if (!o || !net || !grad)
		return NN_ENULL;
	if (nn__optim_fits(o, net) || nn__net_same_shape(net, grad))
		return NN_ESHAPE;
	nn__optim_update(o, net->params, grad->params, eta, scale);
	return 0;
}

NN_EXPORT int nn_optim_state(nn_model_state *state, const nn_optim *o)
{
	if (!state || !o)
		return NN_ENULL;
	if (o->f32) /* the model file keeps doubles: float32 to float64 is exact */
		for (size_t i = 0; i < o->n_state; i++)
			o->state64[i] = ((const float *)o->state)[i];
	*state = (nn_model_state){ .kind = (uint32_t)o->kind, .step = o->t, .n = o->n_state,
				   .data = o->f32 ? o->state64 : o->state };
	return 0;
}

NN_EXPORT int nn_optim_set_state(nn_optim *o, const nn_model_state *state)
{
	if (!o || !state)
		return NN_ENULL;
	if (state->kind != (uint32_t)o->kind || state->n != o->n_state)
		return NN_EMISMATCH;
	if (state->n && !state->data)
		return NN_ENULL;
	for (size_t i = 0; i < state->n; i++)
		if (o->f32)
			((float *)o->state)[i] = (float)state->data[i];
		else
			((double *)o->state)[i] = state->data[i];
	o->t = state->step;
	return 0;
}
