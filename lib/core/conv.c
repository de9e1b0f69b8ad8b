/*
 * The kernels of convolution and pooling layers that are not products:
 * im2col and col2im around the convolution's dgemm calls, and the pooling
 * passes.
 *
 * A sample of shape C x H x W is one column of C*H*W values, channels
 * fastest: value (c, y, x) at c + C * (x + W * y). The im2col matrix of a
 * convolution with k x k windows over nb samples is K x (Ho*Wo*nb),
 * K = k*k*C: its column p = ox + Wo * (oy + Ho * j) holds the window of
 * output position (oy, ox) of sample j, row c + C * (dx + k * dy) the
 * input value (c, oy*s + dy - pad_top, ox*s + dx - pad_left), 0 outside
 * the input. So each window row is C contiguous values of the input, and
 * W (C_out x K) times the im2col matrix is the layer's output, already in
 * the activations' layout (C_out x (Ho*Wo*nb)).
 *
 * Compiled once for each precision (real.h).
 */
#include <string.h>

#include "nn_internal.h"
#include "real.h"

/* The input row of output row oy, window row dy; SIZE_MAX when it is padding. */
static inline size_t in_pos(size_t o, size_t d, size_t s, size_t pad, size_t n)
{
	size_t p = o * s + d;
	return p >= pad && p - pad < n ? p - pad : SIZE_MAX;
}

void NN_T(nn__im2col)(real *col, const real *in, size_t ld_in, const nn__layer *L, size_t nb)
{
	size_t C = L->in.channels, H = L->in.height, W = L->in.width, k = L->k, s = L->stride;
	size_t Ho = L->out.height, Wo = L->out.width, K = k * k * C;
	for (size_t j = 0; j < nb; j++) {
		const real *x = in + j * ld_in;
		for (size_t oy = 0; oy < Ho; oy++)
			for (size_t ox = 0; ox < Wo; ox++) {
				real *c = col + K * (ox + Wo * (oy + Ho * j));
				size_t x0 = ox * s; /* the window's first column, padding included */
				int inside = x0 >= L->pad_left && x0 - L->pad_left + k <= W;
				for (size_t dy = 0; dy < k; dy++, c += k * C) {
					size_t y = in_pos(oy, dy, s, L->pad_top, H);
					if (y == SIZE_MAX) {
						memset(c, 0, k * C * sizeof(real));
					} else if (inside) { /* the window's row: k * C contiguous values */
						memcpy(c, x + C * (x0 - L->pad_left + W * y),
						       k * C * sizeof(real));
					} else {
						for (size_t dx = 0; dx < k; dx++) {
							size_t xx = in_pos(ox, dx, s, L->pad_left, W);
							for (size_t ch = 0; ch < C; ch++)
								c[dx * C + ch] = xx == SIZE_MAX ? 0.0
									: x[C * (xx + W * y) + ch];
						}
					}
				}
			}
	}
}

void NN_T(nn__col2im)(real *din, size_t ld, const real *dcol, const nn__layer *L, size_t nb)
{
	size_t C = L->in.channels, H = L->in.height, W = L->in.width, k = L->k, s = L->stride;
	size_t Ho = L->out.height, Wo = L->out.width, K = k * k * C;
	for (size_t j = 0; j < nb; j++) {
		real *x = din + j * ld;
		memset(x, 0, C * H * W * sizeof(real));
		for (size_t oy = 0; oy < Ho; oy++)
			for (size_t ox = 0; ox < Wo; ox++) {
				const real *c = dcol + K * (ox + Wo * (oy + Ho * j));
				for (size_t dy = 0; dy < k; dy++) {
					size_t y = in_pos(oy, dy, s, L->pad_top, H);
					for (size_t dx = 0; dx < k; dx++, c += C) {
						size_t xx = in_pos(ox, dx, s, L->pad_left, W);
						if (y == SIZE_MAX || xx == SIZE_MAX)
							continue;
						real *t = x + C * (xx + W * y);
						for (size_t ch = 0; ch < C; ch++)
							t[ch] += c[ch];
					}
				}
			}
	}
}

/*
 * Pooling walks each window's positions in order and keeps, for all C
 * channels at once, the running maximum and its position (a later equal
 * value does not replace it: the first maximum wins) or the running sum:
 * the inner loop runs over contiguous channels.
 */
void NN_T(nn__pool_forward)(real *out, uint32_t *idx, const real *in, size_t ld_in,
			    const nn__layer *L, size_t N)
{
	size_t C = L->in.channels, W = L->in.width, k = L->k;
	size_t Ho = L->out.height, Wo = L->out.width, n_out = C * Ho * Wo;
	int max = L->type == NN_LAYER_MAXPOOL;
	real inv = (real)1 / (real)(k * k);
	for (size_t j = 0; j < N; j++) {
		const real *x = in + j * ld_in;
		for (size_t oy = 0; oy < Ho; oy++)
			for (size_t ox = 0; ox < Wo; ox++) {
				size_t o = C * (ox + Wo * oy), first = C * (ox * k + W * oy * k);
				real *a = out + j * n_out + o;
				uint32_t *ix = max ? idx + j * n_out + o : NULL;
				for (size_t c = 0; c < C; c++) {
					a[c] = x[first + c];
					if (max)
						ix[c] = (uint32_t)(first + c);
				}
				for (size_t dy = 0; dy < k; dy++)
					for (size_t dx = dy ? 0 : 1; dx < k; dx++) {
						size_t p = first + C * (dx + W * dy);
						const real *v = x + p;
						if (!max) {
							for (size_t c = 0; c < C; c++)
								a[c] += v[c];
							continue;
						}
						for (size_t c = 0; c < C; c++) { /* no branch */
							int gt = v[c] > a[c];
							a[c] = gt ? v[c] : a[c];
							ix[c] = gt ? (uint32_t)(p + c) : ix[c];
						}
					}
				if (!max)
					for (size_t c = 0; c < C; c++)
						a[c] *= inv;
			}
	}
}

void NN_T(nn__pool_backward)(real *din, size_t ld, const real *dout, const uint32_t *idx,
			     const nn__layer *L, size_t N)
{
	size_t C = L->in.channels, W = L->in.width, k = L->k;
	size_t Ho = L->out.height, Wo = L->out.width, n_out = C * Ho * Wo;
	real inv = (real)1 / (real)(k * k);
	for (size_t j = 0; j < N; j++) {
		real *x = din + j * ld;
		const real *d = dout + j * n_out;
		memset(x, 0, nn__shape_size(L->in) * sizeof(real));
		if (L->type == NN_LAYER_MAXPOOL) {
			const uint32_t *ix = idx + j * n_out;
			for (size_t o = 0; o < n_out; o++)
				x[ix[o]] += d[o];
			continue;
		}
		for (size_t oy = 0; oy < Ho; oy++)
			for (size_t ox = 0; ox < Wo; ox++) {
				const real *g = d + C * (ox + Wo * oy);
				size_t first = C * (ox * k + W * oy * k);
				for (size_t dy = 0; dy < k; dy++)
					for (size_t dx = 0; dx < k; dx++) {
						real *t = x + first + C * (dx + W * dy);
						for (size_t c = 0; c < C; c++)
							t[c] += g[c] * inv;
					}
			}
	}
}
