/*
 * The network: a sequence of typed layers, their activations, the cost and
 * one contiguous parameter buffer (W_1 b_1 W_2 b_2 ..., layers without
 * parameters taking no room), and its initialisation.
 */
#include <lapacke.h>
#include <math.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nn/net.h"
#include "nn_internal.h"

static const char *const type_names[NN_LAYER_COUNT_] = {
	"dense", "conv", "maxpool", "avgpool", "flatten", "dropout",
};

/* The cost a network starts with: cross-entropy on a softmax output (its
 * natural pair), else the lecture's quadratic cost. */
static nn_cost default_cost(nn_activation out)
{
	return out == NN_ACT_SOFTMAX ? NN_COST_CE : NN_COST_QUADRATIC;
}

/* a * b + c without overflow past INT_MAX (BLAS takes int sizes); 0 when it would. */
static size_t small_madd(size_t a, size_t b, size_t c)
{
	if (a > INT_MAX || b > INT_MAX || (b && a > (INT_MAX - c) / b) || c > INT_MAX)
		return 0;
	return a * b + c;
}

/* A convolution's or pool's output side along one axis; 0 when none fits. */
static size_t out_side(size_t in, size_t k, size_t s, nn_padding pad, size_t *before)
{
	*before = 0;
	if (pad == NN_PADDING_SAME) {
		size_t out = (in + s - 1) / s, need = (out - 1) * s + k;
		*before = need > in ? (need - in) / 2 : 0;
		return out;
	}
	return in >= k ? (in - k) / s + 1 : 0;
}

/*
 * Layer `i` (0-based) of n from its spec and its input shape: the output
 * shape and the parameter counts. 0 or NN_EINVAL / NN_ESIZE with a detail.
 */
static int resolve(nn__layer *L, const nn_layer *spec, nn_shape in, size_t i, size_t n)
{
	size_t width = nn__shape_size(in), l = i + 1;
	int last = i + 1 == n;
	*L = (nn__layer){ .type = spec->type, .act = NN_ACT_IDENTITY, .in = in };
	if ((unsigned)spec->type >= NN_LAYER_COUNT_)
		return nn__errorf(NN_EINVAL, "layer %zu: type %d is not an nn_layer_type", l,
				  (int)spec->type);
	if (spec->type == NN_LAYER_DENSE || spec->type == NN_LAYER_CONV2D) {
		if ((unsigned)spec->act >= NN_ACT_COUNT_)
			return nn__errorf(NN_EINVAL, "layer %zu: activation %d is not an nn_activation",
					  l, (int)spec->act);
		if (spec->act == NN_ACT_SOFTMAX && (!last || spec->units < 2))
			return nn__errorf(NN_EINVAL, "layer %zu: softmax is for the last layer, of 2 "
					  "units or more", l);
		if (spec->units == 0)
			return nn__errorf(NN_EINVAL, "layer %zu (%s): 0 units", l,
					  type_names[spec->type]);
		L->act = spec->act;
	}
	if (last && spec->type != NN_LAYER_DENSE)
		return nn__errorf(NN_EINVAL, "layer %zu: the last layer must be dense, not %s", l,
				  type_names[spec->type]);
	switch (spec->type) {
	case NN_LAYER_DENSE:
		L->out = (nn_shape){ spec->units, 1, 1 };
		L->n_w = small_madd(spec->units, width, 0);
		L->n_b = spec->units;
		break;
	case NN_LAYER_CONV2D: {
		L->k = spec->kernel;
		L->stride = spec->stride ? spec->stride : 1;
		L->padding = spec->padding;
		if (L->k == 0 || (L->stride != 1 && L->stride != 2) ||
		    (spec->padding != NN_PADDING_VALID && spec->padding != NN_PADDING_SAME))
			return nn__errorf(NN_EINVAL, "layer %zu (conv): kernel %zu, stride %zu, padding "
					  "%d: the kernel must be >= 1, the stride 1 or 2", l, L->k,
					  L->stride, (int)spec->padding);
		size_t oh = out_side(in.height, L->k, L->stride, spec->padding, &L->pad_top);
		size_t ow = out_side(in.width, L->k, L->stride, spec->padding, &L->pad_left);
		if (!oh || !ow)
			return nn__errorf(NN_EINVAL, "layer %zu (conv): a %zux%zu kernel does not fit a "
					  "%zux%zu input without padding", l, L->k, L->k, in.height,
					  in.width);
		L->out = (nn_shape){ spec->units, oh, ow };
		L->n_w = small_madd(spec->units, small_madd(L->k * L->k, in.channels, 0), 0);
		L->n_b = spec->units;
		if (L->k > INT_MAX / L->k)
			L->n_w = 0;
		break;
	}
	case NN_LAYER_MAXPOOL:
	case NN_LAYER_AVGPOOL:
		L->k = L->stride = spec->kernel ? spec->kernel : 2;
		if (in.height < L->k || in.width < L->k)
			return nn__errorf(NN_EINVAL, "layer %zu (%s): a %zux%zu window does not fit a "
					  "%zux%zu input", l, type_names[spec->type], L->k, L->k,
					  in.height, in.width);
		L->out = (nn_shape){ in.channels, in.height / L->k, in.width / L->k };
		break;
	case NN_LAYER_FLATTEN:
		L->out = (nn_shape){ width, 1, 1 };
		break;
	case NN_LAYER_DROPOUT:
		if (!(spec->rate >= 0 && spec->rate < 1))
			return nn__errorf(NN_EINVAL, "layer %zu (dropout): rate %g is not in [0, 1)", l,
					  spec->rate);
		L->rate = spec->rate;
		L->out = in;
		break;
	default:
		break;
	}
	if ((spec->type == NN_LAYER_DENSE || spec->type == NN_LAYER_CONV2D) && !L->n_w)
		return nn__errorf(NN_ESIZE, "layer %zu: more than INT_MAX weights", l);
	if (!small_madd(L->out.channels, L->out.height, 0) ||
	    !small_madd(L->out.channels * L->out.height, L->out.width, 0))
		return nn__errorf(NN_ESIZE, "layer %zu: an output wider than INT_MAX", l);
	return 0;
}

int nn__net_count(size_t *n_params, nn_shape in, size_t n, const nn_layer *layers)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		nn__layer L;
		int rc = resolve(&L, &layers[i], in, i, n);
		if (rc)
			return rc;
		if (L.n_w + L.n_b > (size_t)INT_MAX - total)
			return nn__errorf(NN_ESIZE, "more than INT_MAX parameters");
		total += L.n_w + L.n_b;
		in = L.out;
	}
	*n_params = total;
	return 0;
}

/* The network of `layers` on inputs of shape `in`, parameters zero. */
int nn__net_build(nn_net **out, nn_shape in, size_t n, const nn_layer *layers)
{
	*out = NULL;
	if (n == 0 || n > SIZE_MAX / sizeof(nn__layer) - 1)
		return nn__errorf(NN_EINVAL, "a network needs at least one layer");
	if (in.channels == 0 || in.height == 0 || in.width == 0)
		return nn__errorf(NN_EINVAL, "the input shape %zux%zux%zu has a zero side",
				  in.height, in.width, in.channels);
	if (!small_madd(in.channels * in.height, in.width, 0) ||
	    !small_madd(in.channels, in.height, 0))
		return nn__errorf(NN_ESIZE, "the input is wider than INT_MAX");
	int rc = NN_ENOMEM;
	nn_net *net = calloc(1, sizeof(*net));
	if (!net)
		goto out;
	net->n_layers = n;
	net->layer = calloc(n, sizeof(*net->layer));
	net->sizes = malloc((n + 1) * sizeof(*net->sizes));
	net->acts = malloc(n * sizeof(*net->acts));
	net->offset = malloc(n * sizeof(*net->offset));
	if (!net->layer || !net->sizes || !net->acts || !net->offset)
		goto out;
	net->sizes[0] = nn__shape_size(in);
	net->dense = 1;
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		nn__layer *L = &net->layer[i];
		if ((rc = resolve(L, &layers[i], in, i, n)))
			goto out;
		in = L->out;
		net->sizes[i + 1] = nn__shape_size(L->out);
		net->acts[i] = L->act;
		net->offset[i] = total;
		net->dense &= L->type == NN_LAYER_DENSE;
		/* the update passes the whole buffer to one daxpy: int sizes */
		if (L->n_w + L->n_b > (size_t)INT_MAX - total) {
			rc = nn__errorf(NN_ESIZE, "more than INT_MAX parameters");
			goto out;
		}
		total += L->n_w + L->n_b;
	}
	rc = NN_ENOMEM;
	if (!(net->params = calloc(total ? total : 1, sizeof(double)))) /* float64 first */
		goto out;
	net->n_params = total;
	net->cost = default_cost(net->acts[n - 1]);
	*out = net;
	net = NULL;
	rc = 0;
out:
	nn_net_free(net);
	return rc;
}

/* The default initialisation: He for (leaky) ReLU layers, Glorot otherwise. */
static int init_default(nn_net *net);

NN_EXPORT int nn_net_new_layers(nn_net **out, nn_shape input, size_t n, const nn_layer *layers)
{
	nn__clear_error();
	if (!out)
		return NN_ENULL;
	*out = NULL;
	if (!layers)
		return NN_ENULL;
	int rc = nn__net_build(out, input, n, layers);
	if (!rc && (rc = init_default(*out))) {
		nn_net_free(*out);
		*out = NULL;
	}
	return rc;
}

NN_EXPORT int nn_net_new(nn_net **out, size_t n_layers, const size_t *sizes,
			 const nn_activation *acts)
{
	nn__clear_error();
	if (!out)
		return NN_ENULL;
	*out = NULL;
	if (!sizes)
		return NN_ENULL;
	if (n_layers == 0 || n_layers > SIZE_MAX / sizeof(nn_layer) - 1)
		return nn__errorf(NN_EINVAL, "a network needs at least one layer");
	for (size_t l = 0; l <= n_layers; l++) {
		if (sizes[l] == 0)
			return nn__errorf(NN_EINVAL, "sizes[%zu] is 0", l);
		if (sizes[l] > INT_MAX)
			return nn__errorf(NN_ESIZE, "sizes[%zu] is above INT_MAX", l);
	}
	nn_layer *spec = malloc(n_layers * sizeof(*spec));
	if (!spec)
		return NN_ENOMEM;
	for (size_t l = 0; l < n_layers; l++)
		spec[l] = (nn_layer){ .type = NN_LAYER_DENSE, .units = sizes[l + 1],
				      .act = acts ? acts[l] : NN_ACT_SIGMOID };
	int rc = nn_net_new_layers(out, (nn_shape){ sizes[0], 1, 1 }, n_layers, spec);
	free(spec);
	return rc;
}

static void free_names(nn_net *net, nn_names which)
{
	for (size_t i = 0; i < net->n_names[which]; i++)
		free(net->names[which][i]);
	free(net->names[which]);
	net->names[which] = NULL;
	net->n_names[which] = 0;
}

NN_EXPORT void nn_net_free(nn_net *net)
{
	if (!net)
		return;
	for (int k = 0; k < NN_NAMES_COUNT_; k++)
		free_names(net, (nn_names)k);
	free(net->shift);
	free(net->scale);
	free(net->layer);
	free(net->sizes);
	free(net->acts);
	free(net->offset);
	free(net->params);
	free(net);
}

/* The specs a network was made from (for cloning and describing). */
static nn_layer spec_of(const nn__layer *L)
{
	nn_layer s = { .type = L->type, .act = L->act, .kernel = L->k, .stride = L->stride,
		       .padding = L->padding, .rate = L->rate };
	if (L->type == NN_LAYER_DENSE || L->type == NN_LAYER_CONV2D)
		s.units = L->out.channels;
	return s;
}

int nn__net_clone_shape(nn_net **dst, const nn_net *src)
{
	nn_layer *spec = malloc(src->n_layers * sizeof(*spec));
	if (!spec)
		return NN_ENOMEM;
	for (size_t l = 0; l < src->n_layers; l++)
		spec[l] = spec_of(&src->layer[l]);
	int rc = nn__net_build(dst, src->layer[0].in, src->n_layers, spec);
	free(spec);
	if (!rc)
		(*dst)->cost = src->cost;
	return rc;
}

NN_EXPORT int nn_net_clone(nn_net **dst, const nn_net *src)
{
	if (!dst)
		return NN_ENULL;
	*dst = NULL;
	if (!src)
		return NN_ENULL;
	int rc = nn__net_clone_shape(dst, src);
	if (!rc)
		rc = nn__net_copy_meta(*dst, src);
	if (!rc && src->f32)
		rc = nn_net_set_precision(*dst, NN_F32);
	if (rc) {
		nn_net_free(*dst);
		*dst = NULL;
		return rc;
	}
	memcpy((*dst)->params, src->params, src->n_params * nn__elem(src));
	return 0;
}

int nn__net_same_shape(const nn_net *a, const nn_net *b)
{
	if (a->n_layers != b->n_layers || a->sizes[0] != b->sizes[0])
		return NN_ESHAPE;
	for (size_t l = 0; l < a->n_layers; l++) {
		const nn__layer *p = &a->layer[l], *q = &b->layer[l];
		if (p->type != q->type || a->sizes[l + 1] != b->sizes[l + 1] || p->n_w != q->n_w ||
		    p->k != q->k || p->stride != q->stride || p->pad_top != q->pad_top ||
		    p->pad_left != q->pad_left)
			return NN_ESHAPE;
	}
	return 0;
}

NN_EXPORT int nn_net_copy_params(nn_net *dst, const nn_net *src)
{
	if (!dst || !src)
		return NN_ENULL;
	int rc = nn__net_same_shape(dst, src);
	if (rc)
		return rc;
	if (dst->f32 != src->f32)
		return nn__errorf(NN_ESHAPE, "the networks' precisions differ");
	memcpy(dst->params, src->params, src->n_params * nn__elem(src));
	return 0;
}

NN_EXPORT size_t nn_net_layers(const nn_net *net)
{
	return net ? net->n_layers : 0;
}

NN_EXPORT size_t nn_net_width(const nn_net *net, size_t l)
{
	return net && l <= net->n_layers ? net->sizes[l] : 0;
}

NN_EXPORT nn_activation nn_net_activation(const nn_net *net, size_t l)
{
	return net && l >= 1 && l <= net->n_layers ? net->acts[l - 1] : NN_ACT_IDENTITY;
}

NN_EXPORT nn_shape nn_net_input_shape(const nn_net *net)
{
	return net ? net->layer[0].in : (nn_shape){ 0, 0, 0 };
}

NN_EXPORT int nn_net_layer(nn_layer *layer, nn_shape *shape, const nn_net *net, size_t l)
{
	if (!net)
		return NN_ENULL;
	if (l < 1 || l > net->n_layers)
		return NN_EINVAL;
	if (layer)
		*layer = spec_of(&net->layer[l - 1]);
	if (shape)
		*shape = net->layer[l - 1].out;
	return 0;
}

NN_EXPORT int nn_net_set_cost(nn_net *net, nn_cost cost)
{
	if (!net)
		return NN_ENULL;
	nn_activation out = net->acts[net->n_layers - 1];
	if ((unsigned)cost >= NN_COST_COUNT_ || (cost == NN_COST_BCE && out != NN_ACT_SIGMOID) ||
	    (cost == NN_COST_CE && out != NN_ACT_SOFTMAX))
		return NN_EINVAL;
	net->cost = cost;
	return 0;
}

NN_EXPORT nn_cost nn_net_cost(const nn_net *net)
{
	return net ? net->cost : NN_COST_QUADRATIC;
}

NN_EXPORT size_t nn_net_param_count(const nn_net *net)
{
	return net ? net->n_params : 0;
}

NN_EXPORT double *nn_net_params(nn_net *net)
{
	return net && !net->f32 ? net->params : NULL;
}

NN_EXPORT const double *nn_net_params_const(const nn_net *net)
{
	return net && !net->f32 ? net->params : NULL;
}

NN_EXPORT float *nn_net_params_f32(nn_net *net)
{
	return net && net->f32 ? net->params : NULL;
}

NN_EXPORT nn_precision nn_net_precision(const nn_net *net)
{
	return net && net->f32 ? NN_F32 : NN_F64;
}

NN_EXPORT int nn_net_get_params(double *dst, const nn_net *net)
{
	if (!dst || !net)
		return NN_ENULL;
	if (!net->f32) {
		memcpy(dst, net->params, net->n_params * sizeof(double));
		return 0;
	}
	const float *p = net->params;
	for (size_t i = 0; i < net->n_params; i++)
		dst[i] = p[i];
	return 0;
}

NN_EXPORT int nn_net_set_params(nn_net *net, const double *src)
{
	if (!net || !src)
		return NN_ENULL;
	if (!net->f32) {
		memcpy(net->params, src, net->n_params * sizeof(double));
		return 0;
	}
	float *p = net->params;
	for (size_t i = 0; i < net->n_params; i++)
		p[i] = (float)src[i];
	return 0;
}

NN_EXPORT int nn_net_set_precision(nn_net *net, nn_precision precision)
{
	nn__clear_error();
	if (!net)
		return NN_ENULL;
	if (precision != NN_F64 && precision != NN_F32)
		return nn__errorf(NN_EINVAL, "precision %d is not an nn_precision", (int)precision);
	int f32 = precision == NN_F32;
	if (f32 == net->f32)
		return 0;
	size_t n = net->n_params ? net->n_params : 1;
	void *p = malloc(n * (f32 ? sizeof(float) : sizeof(double)));
	if (!p)
		return NN_ENOMEM;
	/* float64 -> float32 rounds each value to nearest; float32 -> float64 is exact */
	for (size_t i = 0; i < net->n_params; i++)
		if (f32)
			((float *)p)[i] = (float)((const double *)net->params)[i];
		else
			((double *)p)[i] = ((const float *)net->params)[i];
	free(net->params);
	net->params = p;
	net->f32 = f32;
	return 0;
}

/* Rows of layer l's W: outputs of a dense layer, output channels of a convolution. */
static size_t w_rows(const nn_net *net, size_t l)
{
	return net->layer[l - 1].type == NN_LAYER_CONV2D ? net->layer[l - 1].out.channels
							  : net->sizes[l];
}

NN_EXPORT int nn_net_weights(nn_matrix *w, nn_net *net, size_t l)
{
	if (!w || !net)
		return NN_ENULL;
	if (l < 1 || l > net->n_layers || !net->layer[l - 1].n_w || net->f32)
		return NN_EINVAL;
	size_t rows = w_rows(net, l);
	*w = nn_matrix_view(nn__w(net, l), rows, net->layer[l - 1].n_w / rows, rows);
	return 0;
}

NN_EXPORT int nn_net_bias(nn_matrix *b, nn_net *net, size_t l)
{
	if (!b || !net)
		return NN_ENULL;
	if (l < 1 || l > net->n_layers || !net->layer[l - 1].n_b || net->f32)
		return NN_EINVAL;
	*b = nn_matrix_view(nn__b(net, l), net->layer[l - 1].n_b, 1, net->layer[l - 1].n_b);
	return 0;
}

/* How one weight is drawn, for fill_weights(). DRAW_DEFAULT: He for a (leaky)
 * ReLU layer, Glorot for the others. */
enum draw { DRAW_GAUSS, DRAW_RANDOM, DRAW_UNIFORM_GLOROT, DRAW_NORMAL_HE, DRAW_DEFAULT };

/*
 * Fill every W_l as numpy fills an (n, in) C-order array, row by row: draw
 * number i * in + k lands at row i, column k of the column-major W_l, n its
 * rows (outputs or output channels) and in its columns (inputs, or
 * k * k * C_in). The biases are zeroed, or (DRAW_RANDOM, first_network)
 * drawn after W_l. Glorot and He take a convolution's fans as Keras does:
 * in = k * k * C_in, out = k * k * C_out.
 */
/* Parameter i of net, whatever its precision. */
static void store(nn_net *net, size_t i, double v)
{
	if (net->f32)
		((float *)net->params)[i] = (float)v;
	else
		((double *)net->params)[i] = v;
}

static int fill_weights(nn_net *net, nn_rng *rng, enum draw how)
{
	if (!net || !rng)
		return NN_ENULL;
	for (size_t l = 1; l <= net->n_layers; l++) {
		const nn__layer *L = &net->layer[l - 1];
		if (!L->n_w)
			continue;
		size_t n = w_rows(net, l), in = L->n_w / n, window = L->k ? L->k * L->k : 1;
		size_t w = net->offset[l - 1], b = w + L->n_w;
		double fan_out = (double)(n * (L->type == NN_LAYER_CONV2D ? window : 1));
		double glorot = sqrt(6.0 / ((double)in + fan_out)), he = sqrt(2.0 / (double)in);
		enum draw d = how;
		if (d == DRAW_DEFAULT)
			d = L->act == NN_ACT_RELU || L->act == NN_ACT_LEAKY_RELU ? DRAW_NORMAL_HE
										 : DRAW_UNIFORM_GLOROT;
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; k < in; k++) {
				double v;
				switch (d) {
				case DRAW_RANDOM:
					v = nn_rng_random(rng);
					break;
				case DRAW_UNIFORM_GLOROT:
					v = nn_rng_uniform(rng, -glorot, glorot);
					break;
				case DRAW_NORMAL_HE:
					v = nn_rng_normal(rng, 0.0, he);
					break;
				case DRAW_GAUSS:
				default:
					v = nn_rng_gauss(rng);
					break;
				}
				store(net, w + i + k * n, v);
			}
		for (size_t i = 0; i < L->n_b; i++)
			store(net, b + i, d == DRAW_RANDOM ? nn_rng_random(rng) : 0.0);
	}
	return 0;
}

static int init_default(nn_net *net)
{
	nn_rng *rng;
	int rc = nn_rng_new(&rng, NN_NET_DEFAULT_SEED);
	if (!rc)
		rc = fill_weights(net, rng, DRAW_DEFAULT);
	nn_rng_free(rng);
	return rc;
}

NN_EXPORT int nn_net_init_randn(nn_net *net, nn_rng *rng)
{
	return fill_weights(net, rng, DRAW_GAUSS);
}

NN_EXPORT int nn_net_init_random(nn_net *net, nn_rng *rng)
{
	return fill_weights(net, rng, DRAW_RANDOM);
}

NN_EXPORT int nn_net_init_glorot(nn_net *net, nn_rng *rng)
{
	return fill_weights(net, rng, DRAW_UNIFORM_GLOROT);
}

NN_EXPORT int nn_net_init_he(nn_net *net, nn_rng *rng)
{
	return fill_weights(net, rng, DRAW_NORMAL_HE);
}

NN_EXPORT int nn_net_init_default(nn_net *net, nn_rng *rng)
{
	return fill_weights(net, rng, DRAW_DEFAULT);
}

/*
 * Q of a Gaussian (rows x cols) matrix G = QR, rows >= cols, with each
 * column of Q multiplied by the sign of R's diagonal so that Q is uniform
 * over the orthogonal matrices (Mezzadri 2007). Q overwrites g.
 */
static int orthonormal_columns(double *g, size_t rows, size_t cols, double *tau)
{
	lapack_int m = (lapack_int)rows, n = (lapack_int)cols;
	if (LAPACKE_dgeqrf(LAPACK_COL_MAJOR, m, n, g, m, tau))
		return NN_ENOMEM;
	double *sign = tau + cols;
	for (size_t j = 0; j < cols; j++)
		sign[j] = g[j + j * rows] < 0 ? -1.0 : 1.0;
	if (LAPACKE_dorgqr(LAPACK_COL_MAJOR, m, n, n, g, m, tau))
		return NN_ENOMEM;
	for (size_t j = 0; j < cols; j++)
		for (size_t i = 0; i < rows; i++)
			g[i + j * rows] *= sign[j];
	return 0;
}

NN_EXPORT int nn_net_init_orthogonal(nn_net *net, nn_rng *rng, double gain)
{
	if (!net || !rng)
		return NN_ENULL;
	if (!isfinite(gain))
		return NN_EINVAL;
	size_t most = 0;
	for (size_t l = 1; l <= net->n_layers; l++)
		most = net->layer[l - 1].n_w > most ? net->layer[l - 1].n_w : most;
	int rc = NN_ENOMEM;
	double *g = malloc(most * sizeof(double));
	double *tau = malloc(2 * most * sizeof(double));
	if (!g || !tau)
		goto out;
	for (size_t l = 1; l <= net->n_layers; l++) {
		if (!net->layer[l - 1].n_w)
			continue;
		size_t n = w_rows(net, l), in = net->layer[l - 1].n_w / n;
		size_t rows = n > in ? n : in, cols = n > in ? in : n;
		for (size_t i = 0; i < rows * cols; i++)
			g[i] = nn_rng_gauss(rng);
		if ((rc = orthonormal_columns(g, rows, cols, tau)))
			goto out;
		/* tall W: W = Q; wide W: W = Q^T, so its rows are orthonormal */
		size_t w = net->offset[l - 1];
		for (size_t k = 0; k < in; k++)
			for (size_t i = 0; i < n; i++)
				store(net, w + i + k * n, gain * (n >= in ? g[i + k * n] : g[k + i * in]));
		for (size_t i = 0; i < net->layer[l - 1].n_b; i++)
			store(net, w + net->layer[l - 1].n_w + i, 0.0);
	}
	rc = 0;
out:
	free(g);
	free(tau);
	return rc;
}

void *nn__grad_new(const nn_net *net, size_t extra)
{
	return calloc(net->n_params + extra, nn__elem(net));
}

NN_EXPORT nn_task nn_net_task(const nn_net *net)
{
	return net ? net->task : NN_TASK_AUTO;
}

NN_EXPORT int nn_net_set_task(nn_net *net, nn_task task)
{
	if (!net)
		return NN_ENULL;
	if (task != NN_TASK_AUTO && task != NN_TASK_CLASSIFY && task != NN_TASK_REGRESS)
		return NN_EINVAL;
	net->task = task;
	return 0;
}

NN_EXPORT int nn_net_set_scaling(nn_net *net, nn_scaling how, const double *shift,
				 const double *scale)
{
	nn__clear_error();
	if (!net)
		return NN_ENULL;
	if ((unsigned)how >= NN_SCALING_COUNT_)
		return nn__errorf(NN_EINVAL, "scaling %d is not an nn_scaling", (int)how);
	size_t n = net->sizes[0];
	if (how == NN_SCALING_NONE) {
		free(net->shift);
		free(net->scale);
		net->shift = net->scale = NULL;
		net->scaling = how;
		return 0;
	}
	if (!shift || !scale)
		return NN_ENULL;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(shift[i]) || !isfinite(scale[i]))
			return nn__errorf(NN_EINVAL, "feature %zu: shift %g, scale %g: both must be "
					  "finite", i, shift[i], scale[i]);
	double *sh = malloc(n * sizeof(double)), *sc = malloc(n * sizeof(double));
	if (!sh || !sc) {
		free(sh);
		free(sc);
		return NN_ENOMEM;
	}
	memcpy(sh, shift, n * sizeof(double));
	memcpy(sc, scale, n * sizeof(double));
	free(net->shift);
	free(net->scale);
	net->shift = sh;
	net->scale = sc;
	net->scaling = how;
	return 0;
}

NN_EXPORT int nn_net_fit_scaling(nn_net *net, nn_scaling how, const nn_matrix *X)
{
	nn__clear_error();
	if (!net || !X)
		return NN_ENULL;
	if ((unsigned)how >= NN_SCALING_COUNT_)
		return nn__errorf(NN_EINVAL, "scaling %d is not an nn_scaling", (int)how);
	if (how == NN_SCALING_NONE)
		return nn_net_set_scaling(net, how, NULL, NULL);
	int rc = nn_matrix_check_finite(X);
	if (rc)
		return rc;
	size_t n = net->sizes[0], N = X->cols;
	if (X->rows != n)
		return nn__errorf(NN_ESHAPE, "X has %zu rows, the network's input layer has %zu",
				  X->rows, n);
	double *shift = malloc(n * sizeof(double)), *scale = malloc(n * sizeof(double));
	rc = NN_ENOMEM;
	if (!shift || !scale)
		goto out;
	for (size_t i = 0; i < n; i++) {
		double lo = NN_AT(X, i, 0), hi = lo, mean = 0, m2 = 0;
		for (size_t j = 0; j < N; j++) { /* Welford: one pass, no cancellation */
			double v = NN_AT(X, i, j), d = v - mean;
			mean += d / (double)(j + 1);
			m2 += d * (v - mean);
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
		/* the population variance, as StandardScaler; a feature whose variance is
		 * within rounding of 0 (scikit-learn's bound) is constant: only centred */
		double var = m2 / (double)N, eps = 2.220446049250313e-16, n = (double)N;
		int constant = var <= n * eps * var + (n * mean * eps) * (n * mean * eps);
		if (how == NN_SCALING_STANDARD) {
			shift[i] = mean;
			scale[i] = constant ? 1.0 : 1.0 / sqrt(var);
		} else {
			shift[i] = lo;
			scale[i] = hi > lo ? 1.0 / (hi - lo) : 1.0;
		}
	}
	rc = nn_net_set_scaling(net, how, shift, scale);
out:
	free(shift);
	free(scale);
	return rc;
}

NN_EXPORT nn_scaling nn_net_scaling(const nn_net *net, const double **shift, const double **scale)
{
	if (shift)
		*shift = net ? net->shift : NULL;
	if (scale)
		*scale = net ? net->scale : NULL;
	return net ? net->scaling : NN_SCALING_NONE;
}

void nn__copy_columns(void *dst, size_t ld_dst, int f32, const double *shift,
		      const double *scale, const nn_matrix *X, size_t j0, size_t nb)
{
	size_t n = X->rows;
	for (size_t j = 0; j < nb; j++) {
		const double *x = X->data + (j0 + j) * X->ld;
		if (f32) {
			float *d = (float *)dst + j * ld_dst;
			for (size_t i = 0; i < n; i++)
				d[i] = (float)(shift ? (x[i] - shift[i]) * scale[i] : x[i]);
		} else {
			double *d = (double *)dst + j * ld_dst;
			for (size_t i = 0; i < n; i++)
				d[i] = shift ? (x[i] - shift[i]) * scale[i] : x[i];
		}
	}
}

void nn__input_copy(void *dst, size_t ld_dst, const nn_net *net, const nn_matrix *X, size_t j0,
		    size_t nb)
{
	int scaled = net->scaling != NN_SCALING_NONE;
	nn__copy_columns(dst, ld_dst, net->f32, scaled ? net->shift : NULL,
			 scaled ? net->scale : NULL, X, j0, nb);
}

/* How many names of a kind net may keep: exactly `need`, or at most `most`. */
static int names_fit(const nn_net *net, nn_names which, size_t n)
{
	size_t k = net->sizes[net->n_layers];
	switch (which) {
	case NN_NAMES_FEATURES:
		return n == net->sizes[0];
	case NN_NAMES_CLASSES:
		return n >= 2 && n <= (k == 1 ? 2 : k);
	case NN_NAMES_TARGETS:
		return n == k;
	default:
		return 0;
	}
}

NN_EXPORT int nn_net_set_names(nn_net *net, nn_names which, size_t n, const char *const *names)
{
	nn__clear_error();
	if (!net)
		return NN_ENULL;
	if ((unsigned)which >= NN_NAMES_COUNT_)
		return nn__errorf(NN_EINVAL, "names %d is not an nn_names", (int)which);
	if (n == 0) {
		free_names(net, which);
		return 0;
	}
	if (!names)
		return NN_ENULL;
	if (!names_fit(net, which, n))
		return nn__errorf(NN_EINVAL, "%zu %s names for a network of %zu inputs and %zu "
				  "outputs", n, which == NN_NAMES_FEATURES ? "feature"
				  : which == NN_NAMES_CLASSES ? "class" : "target", net->sizes[0],
				  net->sizes[net->n_layers]);
	char **copy = calloc(n, sizeof(*copy));
	if (!copy)
		return NN_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!names[i] || !(copy[i] = strdup(names[i]))) {
			for (size_t j = 0; j < i; j++)
				free(copy[j]);
			free(copy);
			return names[i] ? NN_ENOMEM : NN_ENULL;
		}
	free_names(net, which);
	net->names[which] = copy;
	net->n_names[which] = n;
	return 0;
}

NN_EXPORT const char *nn_net_name(const nn_net *net, nn_names which, size_t i)
{
	if (!net || (unsigned)which >= NN_NAMES_COUNT_ || i >= net->n_names[which])
		return NULL;
	return net->names[which][i];
}

NN_EXPORT size_t nn_net_names_count(const nn_net *net, nn_names which)
{
	return net && (unsigned)which < NN_NAMES_COUNT_ ? net->n_names[which] : 0;
}

int nn__net_copy_meta(nn_net *dst, const nn_net *src)
{
	dst->task = src->task;
	int rc = nn_net_set_scaling(dst, src->scaling, src->shift, src->scale);
	for (int k = 0; !rc && k < NN_NAMES_COUNT_; k++)
		rc = nn_net_set_names(dst, (nn_names)k, src->n_names[k],
				      (const char *const *)src->names[k]);
	return rc;
}
