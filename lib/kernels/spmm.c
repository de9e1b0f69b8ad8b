/*
 * The kernels of the sparse first layer (sparse.c has the storage and the
 * maths): one kernel, Out = In S with S compressed by columns, for both
 * products of a training step, split over the pool's threads.
 *
 * Compiled once for each precision (real.h). Each copy runs its
 * precision's kernel of the CPU's family (spmm_simd.c), or the portable
 * one below.
 */
#include <string.h>

#include "nn_internal.h"
#include "core/real.h"

/* In packed in panels: the vector families' kernels read it so */
static int packed(int simd)
{
#if defined(NN_HAVE_AVX2_KERNELS)
	return simd >= NN__SIMD_AVX2;
#else
	(void)simd;
	return 0;
#endif
}

static size_t blocks(size_t h)
{
	return (h + NN__PANEL - 1) / NN__PANEL;
}

void NN_T(nn__pack_panels)(real *P, const real *In, size_t ld_in, size_t h, size_t k,
			   size_t j0, size_t j1)
{
	for (size_t r0 = 0; r0 < h; r0 += NN__PANEL) {
		size_t hb = h - r0 < NN__PANEL ? h - r0 : NN__PANEL;
		real *p = P + r0 * k;
		for (size_t j = j0; j < j1; j++) {
			real *d = p + j * NN__PANEL;
			memcpy(d, In + j * ld_in + r0, hb * sizeof(real));
			if (hb < NN__PANEL)
				memset(d + hb, 0, (NN__PANEL - hb) * sizeof(real));
		}
	}
}

/*
 * The portable kernel: blocks of 8 outputs held in locals, which the
 * compiler keeps in registers (2 doubles each with SSE2). Plain loops that
 * accumulate into Out directly load and store it for every non-zero and
 * lose to dgemm.
 */
void NN_T(nn__spmm_portable)(real *Out, size_t ld_out, const real *In, size_t ld_in, size_t h,
			     const size_t *ptr, const uint32_t *idx, const real *val, size_t c0,
			     size_t c1)
{
	size_t r0 = 0;
	for (; r0 + 8 <= h; r0 += 8)
		for (size_t c = c0; c < c1; c++) {
			real a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
			for (size_t t = ptr[c]; t < ptr[c + 1]; t++) {
				real v = val[t];
				const real *w = In + (size_t)idx[t] * ld_in + r0;
				a0 += v * w[0];
				a1 += v * w[1];
				a2 += v * w[2];
				a3 += v * w[3];
				a4 += v * w[4];
				a5 += v * w[5];
				a6 += v * w[6];
				a7 += v * w[7];
			}
			real *o = Out + c * ld_out + r0;
			o[0] = a0, o[1] = a1, o[2] = a2, o[3] = a3;
			o[4] = a4, o[5] = a5, o[6] = a6, o[7] = a7;
		}
	if (r0 == h)
		return;
	size_t hb = h - r0;
	for (size_t c = c0; c < c1; c++) {
		real a[8] = { 0 };
		for (size_t t = ptr[c]; t < ptr[c + 1]; t++) {
			real v = val[t];
			const real *w = In + (size_t)idx[t] * ld_in + r0;
			for (size_t i = 0; i < hb; i++)
				a[i] += v * w[i];
		}
		real *o = Out + c * ld_out + r0;
		for (size_t i = 0; i < hb; i++)
			o[i] = a[i];
	}
}

/* One product, as a job of the pool: thread i packs or multiplies its share. */
struct job {
	int simd;
	real *Out;
	size_t ld_out;
	const real *In;
	size_t ld_in, h, k;
	const size_t *ptr;
	const uint32_t *idx;
	const real *val;
	const size_t *bounds; /* the output columns of each thread */
	size_t kt, cb;
	nn_sparse *sp;
	int act;              /* -1, or the activation applied to each block of columns */
	const real *bias;   /* added before it */
};

/* The columns [b0, b1) of a job's product, by the family's kernel. */
static void block(const struct job *j, size_t i, size_t b0, size_t b1)
{
	NN_SIMD_RETURN(j->simd, nn__spmm, j->Out, j->ld_out, j->sp->panel, j->h, j->k, j->ptr,
		       j->idx, j->val, b0, b1, j->kt, j->cb,
		       j->sp->cursor + i * j->sp->cursor_per_thread);
	NN_T(nn__spmm_portable)(j->Out, j->ld_out, j->In, j->ld_in, j->h, j->ptr, j->idx, j->val,
				b0, b1);
}

static void pack_job(void *arg, size_t i, size_t n)
{
	const struct job *j = arg;
	size_t j0 = j->k / n * i + j->k % n * i / n, j1 = j->k / n * (i + 1) + j->k % n * (i + 1) / n;
	NN_T(nn__pack_panels)(j->sp->panel, j->In, j->ld_in, j->h, j->k, j0, j1);
}

/* Thread i's columns, a block of cb at a time; with an activation, each
 * block goes through it while it is still in cache. */
static void spmm_job(void *arg, size_t i, size_t n)
{
	const struct job *j = arg;
	(void)n;
	size_t c0 = j->bounds[i], c1 = j->bounds[i + 1];
	size_t step = j->act < 0 ? c1 - c0 : j->cb;
	for (size_t b0 = c0; b0 < c1; b0 += step) {
		size_t b1 = c1 - b0 < step ? c1 : b0 + step;
		block(j, i, b0, b1);
		if (j->act >= 0)
			NN_T(nn__act_forward)(j->simd, (nn_activation)j->act, j->Out + b0 * j->ld_out,
					      j->h, b1 - b0, j->ld_out, j->bias, NULL);
	}
}

/*
 * Pack In (AVX2), then multiply. A fork-join of the pool costs about 25 us
 * on these machines (waking a sleeping thread), more than packing a small
 * In takes: below PACK_ALONE doubles the caller packs it alone.
 */
#define PACK_ALONE (1 << 18)

static void run(struct job *j)
{
	if (packed(j->simd))
		nn__pool_run(blocks(j->h) * NN__PANEL * j->k < PACK_ALONE ? NULL : j->sp->pool, pack_job,
			     j);
	nn__pool_run(j->sp->pool, spmm_job, j);
}

void NN_T(nn__sparse_wx)(int simd, real *Z, size_t ld_z, const real *W, size_t ld_w,
			 nn_sparse *sp, int act, const real *b)
{
	/* Z = W X, X by columns: In = W (h x rows), output columns = samples */
	struct job j = { simd, Z, ld_z, W, ld_w, sp->h, sp->rows, sp->col_ptr, sp->col_idx,
			 sp->col_val, sp->col_split, NN__KT_WX, NN__CB_WX, sp, act, b };
	run(&j);
}

void NN_T(nn__sparse_dxt)(int simd, real *G, size_t ld_g, const real *D, size_t ld_d,
			  nn_sparse *sp)
{
	/* G = D X^T, X by rows: In = D (h x cols), output columns = features */
	struct job j = { simd, G, ld_g, D, ld_d, sp->h, sp->cols, sp->row_ptr, sp->row_idx,
			 sp->row_val, sp->row_split, NN__KT_DXT, NN__CB_DXT, sp, -1, NULL };
	run(&j);
}
