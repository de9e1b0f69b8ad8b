/*
 * The first layer's input in compressed form, and the two products of a
 * training step that read it:
 *
 *   Z_1 = W_1 X      X by columns (CSC): Z[:, j] = sum over the non-zeros x_pj of
 *                    sample j of x_pj W[:, p]
 *   dW_1 = D_1 X^T   X by rows (CSR): dW[:, p] = sum over the non-zeros x_pj of
 *                    feature p of x_pj D[:, j]
 *
 * Both are one kernel, Out = In S with S compressed by columns (X for the
 * first, X^T -- that is X by rows -- for the second), that keeps a block of
 * up to 32 outputs of one column in registers while it runs over that
 * column's non-zeros (sparse_avx2.c; the portable loops below hold 8).
 * Every output is a sum over the non-zeros in ascending order, whichever
 * kernel, tiles or threads ran: only the rounding of a fused multiply-add
 * (AVX2) against a multiply then an add (portable) tells the paths apart,
 * and, where the activation is fused into Z_1, the exp of each family.
 *
 * Threads: Z_1 is split by samples and dW_1 by features, each at the
 * non-zero midpoint, so every thread writes its own columns and nothing is
 * reduced.
 */
#include <stdlib.h>
#include <string.h>

#include "nn_internal.h"

/*
 * The AVX2 kernel's cache tiles: KT consecutive indices of In (the columns
 * of a 32-row panel a tile reads) by CB output columns. Measured on MNIST
 * (h = 30 and 128, 500 and 10,000 samples; Zen 5, 48 KiB L1, 1 MiB L2):
 * KT from 128 to 256 is best and flat, 96 and below lose 5-10 % to the
 * tiles' overhead, no tiling at all loses 10 % on Z and half on dW.
 */
#define PANEL 32
#define KT_WX 192   /* features per tile of Z = W X */
#define CB_WX 32    /* samples per block of Z */
#define KT_DXT 192  /* samples per tile of dW = D X^T */
#define CB_DXT 1024 /* features per block of dW (the block's dW panel stays in L2) */

size_t nn__count_nonzero(const nn_matrix *X)
{
	size_t n = 0;
	for (size_t j = 0; j < X->cols; j++) {
		const double *x = X->data + j * X->ld;
		for (size_t i = 0; i < X->rows; i++)
			n += x[i] != 0.0;
	}
	return n;
}

static size_t blocks(size_t h)
{
	return (h + PANEL - 1) / PANEL;
}

/* bounds[0..n]: the columns of ptr split where the non-zeros reach t/n. */
static void split(size_t *bounds, const size_t *ptr, size_t cols, size_t n)
{
	size_t nnz = ptr[cols], c = 0;
	bounds[0] = 0;
	for (size_t t = 1; t < n; t++) {
		size_t want = nnz / n * t + nnz % n * t / n;
		while (c < cols && ptr[c] < want)
			c++;
		bounds[t] = c;
	}
	bounds[n] = cols;
}

void nn__sparse_free(nn_sparse *sp)
{
	if (!sp)
		return;
	nn__pool_free(sp->pool);
	free(sp->col_ptr);
	free(sp->col_idx);
	free(sp->col_val);
	free(sp->row_ptr);
	free(sp->row_idx);
	free(sp->row_val);
	free(sp->col_split);
	free(sp->row_split);
	free(sp->panel);
	free(sp->cursor);
	free(sp);
}

int nn__sparse_set_threads(nn_sparse *sp, size_t threads)
{
	if (threads == 0)
		threads = 1;
	if (threads == sp->threads && (threads == 1 || sp->pool))
		return 0;
	size_t *cs = malloc((threads + 1) * sizeof(*cs));
	size_t *rs = malloc((threads + 1) * sizeof(*rs));
	size_t *cur = NULL;
	nn__pool *pool = NULL;
	int rc = NN_ENOMEM;
	if (!cs || !rs)
		goto out;
	if (sp->cursor_per_thread > SIZE_MAX / sizeof(size_t) / threads)
		goto out;
	if (!(cur = malloc(threads * sp->cursor_per_thread * sizeof(*cur))))
		goto out;
	if (threads > 1 && (rc = nn__pool_new(&pool, threads)))
		goto out;
	split(cs, sp->col_ptr, sp->cols, threads);
	split(rs, sp->row_ptr, sp->rows, threads);
	nn__pool_free(sp->pool);
	free(sp->col_split);
	free(sp->row_split);
	free(sp->cursor);
	sp->pool = pool;
	sp->col_split = cs;
	sp->row_split = rs;
	sp->cursor = cur;
	sp->threads = threads;
	return 0;
out:
	free(cs);
	free(rs);
	free(cur);
	return rc;
}

int nn__sparse_new(nn_sparse **out, const nn_matrix *X, size_t h, size_t threads)
{
	*out = NULL;
	size_t R = X->rows, C = X->cols;
	if (R > UINT32_MAX || C > UINT32_MAX || h == 0)
		return NN_ESIZE;
	size_t nnz = nn__count_nonzero(X);
	size_t big = R > C ? R : C, nrb = blocks(h);
	if (nnz > SIZE_MAX / sizeof(double) || big > SIZE_MAX / sizeof(double) / PANEL / nrb)
		return NN_ESIZE;
	int rc = NN_ENOMEM;
	nn_sparse *sp = calloc(1, sizeof(*sp));
	if (!sp)
		return rc;
	sp->rows = R;
	sp->cols = C;
	sp->nnz = nnz;
	sp->h = h;
	/* malloc(0) may return NULL: allocate at least one element */
	size_t n1 = nnz ? nnz : 1;
	if (!(sp->col_ptr = malloc((C + 1) * sizeof(size_t))) ||
	    !(sp->row_ptr = calloc(R + 1, sizeof(size_t))) ||
	    !(sp->col_idx = malloc(n1 * sizeof(uint32_t))) ||
	    !(sp->row_idx = malloc(n1 * sizeof(uint32_t))) ||
	    !(sp->col_val = malloc(n1 * sizeof(double))) ||
	    !(sp->row_val = malloc(n1 * sizeof(double))))
		goto out;
	/* CSC in one pass over X; the row counts on the way */
	size_t t = 0;
	for (size_t j = 0; j < C; j++) {
		const double *x = X->data + j * X->ld;
		sp->col_ptr[j] = t;
		for (size_t i = 0; i < R; i++)
			if (x[i] != 0.0) {
				sp->col_idx[t] = (uint32_t)i;
				sp->col_val[t++] = x[i];
				sp->row_ptr[i + 1]++;
			}
	}
	sp->col_ptr[C] = t;
	for (size_t i = 0; i < R; i++)
		sp->row_ptr[i + 1] += sp->row_ptr[i];
	/* CSR by scattering the CSC, column by column: ascending columns in each row */
	size_t *fill = malloc((R ? R : 1) * sizeof(size_t));
	if (!fill)
		goto out;
	memcpy(fill, sp->row_ptr, R * sizeof(size_t));
	for (size_t j = 0; j < C; j++)
		for (size_t s = sp->col_ptr[j]; s < sp->col_ptr[j + 1]; s++) {
			size_t d = fill[sp->col_idx[s]]++;
			sp->row_idx[d] = (uint32_t)j;
			sp->row_val[d] = sp->col_val[s];
		}
	free(fill);
	/* the AVX2 kernel's scratch: In packed in panels, and cursors for each
	 * panel and column of a block */
	size_t cb = C < CB_WX ? C : CB_WX, cd = R < CB_DXT ? R : CB_DXT;
	sp->cursor_per_thread = nrb * (cb > cd ? cb : cd);
	size_t panel_bytes = (nrb * PANEL * big * sizeof(double) + 63) / 64 * 64;
	if (nn__cpu_simd() == NN__SIMD_AVX2 && !(sp->panel = aligned_alloc(64, panel_bytes)))
		goto out;
	if ((rc = nn__sparse_set_threads(sp, threads)))
		goto out;
	*out = sp;
	return 0;
out:
	nn__sparse_free(sp);
	return rc;
}

void nn__pack_panels(double *P, const double *In, size_t ld_in, size_t h, size_t k, size_t j0,
		     size_t j1)
{
	for (size_t r0 = 0; r0 < h; r0 += PANEL) {
		size_t hb = h - r0 < PANEL ? h - r0 : PANEL;
		double *p = P + r0 * k;
		for (size_t j = j0; j < j1; j++) {
			double *d = p + j * PANEL;
			memcpy(d, In + j * ld_in + r0, hb * sizeof(double));
			if (hb < PANEL)
				memset(d + hb, 0, (PANEL - hb) * sizeof(double));
		}
	}
}

/*
 * The portable kernel: blocks of 8 outputs held in locals, which the
 * compiler keeps in registers (2 doubles each with SSE2). Plain loops that
 * accumulate into Out directly load and store it for every non-zero and
 * lose to dgemm.
 */
void nn__spmm_portable(double *Out, size_t ld_out, const double *In, size_t ld_in, size_t h,
		       const size_t *ptr, const uint32_t *idx, const double *val, size_t c0,
		       size_t c1)
{
	size_t r0 = 0;
	for (; r0 + 8 <= h; r0 += 8)
		for (size_t c = c0; c < c1; c++) {
			double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
			for (size_t t = ptr[c]; t < ptr[c + 1]; t++) {
				double v = val[t];
				const double *w = In + (size_t)idx[t] * ld_in + r0;
				a0 += v * w[0];
				a1 += v * w[1];
				a2 += v * w[2];
				a3 += v * w[3];
				a4 += v * w[4];
				a5 += v * w[5];
				a6 += v * w[6];
				a7 += v * w[7];
			}
			double *o = Out + c * ld_out + r0;
			o[0] = a0, o[1] = a1, o[2] = a2, o[3] = a3;
			o[4] = a4, o[5] = a5, o[6] = a6, o[7] = a7;
		}
	if (r0 == h)
		return;
	size_t hb = h - r0;
	for (size_t c = c0; c < c1; c++) {
		double a[8] = { 0 };
		for (size_t t = ptr[c]; t < ptr[c + 1]; t++) {
			double v = val[t];
			const double *w = In + (size_t)idx[t] * ld_in + r0;
			for (size_t i = 0; i < hb; i++)
				a[i] += v * w[i];
		}
		double *o = Out + c * ld_out + r0;
		for (size_t i = 0; i < hb; i++)
			o[i] = a[i];
	}
}

/* One product, as a job of the pool: thread i packs or multiplies its share. */
struct job {
	int simd;
	double *Out;
	size_t ld_out;
	const double *In;
	size_t ld_in, h, k;
	const size_t *ptr;
	const uint32_t *idx;
	const double *val;
	const size_t *bounds; /* the output columns of each thread */
	size_t kt, cb;
	nn_sparse *sp;
	int act;              /* -1, or the activation applied to each block of columns */
	const double *bias;   /* added before it */
};

static void pack_job(void *arg, size_t i, size_t n)
{
	const struct job *j = arg;
	size_t j0 = j->k / n * i + j->k % n * i / n, j1 = j->k / n * (i + 1) + j->k % n * (i + 1) / n;
	nn__pack_panels(j->sp->panel, j->In, j->ld_in, j->h, j->k, j0, j1);
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
#ifdef NN_HAVE_AVX2_KERNELS
		if (j->simd == NN__SIMD_AVX2)
			nn__spmm_avx2(j->Out, j->ld_out, j->sp->panel, j->h, j->k, j->ptr, j->idx,
				      j->val, b0, b1, j->kt, j->cb,
				      j->sp->cursor + i * j->sp->cursor_per_thread);
		else
#endif
			nn__spmm_portable(j->Out, j->ld_out, j->In, j->ld_in, j->h, j->ptr, j->idx,
					  j->val, b0, b1);
		if (j->act >= 0)
			nn__act_forward(j->simd, (nn_activation)j->act, j->Out + b0 * j->ld_out, j->h,
					b1 - b0, j->ld_out, j->bias, NULL);
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
	if (j->simd == NN__SIMD_AVX2)
		nn__pool_run(blocks(j->h) * PANEL * j->k < PACK_ALONE ? NULL : j->sp->pool, pack_job,
			     j);
	nn__pool_run(j->sp->pool, spmm_job, j);
}

void nn__sparse_wx(int simd, double *Z, size_t ld_z, const double *W, size_t ld_w, nn_sparse *sp,
		   int act, const double *b)
{
	/* Z = W X, X by columns: In = W (h x rows), output columns = samples */
	struct job j = { simd, Z, ld_z, W, ld_w, sp->h, sp->rows, sp->col_ptr, sp->col_idx,
			 sp->col_val, sp->col_split, KT_WX, CB_WX, sp, act, b };
	run(&j);
}

void nn__sparse_dxt(int simd, double *G, size_t ld_g, const double *D, size_t ld_d,
		    nn_sparse *sp)
{
	/* G = D X^T, X by rows: In = D (h x cols), output columns = features */
	struct job j = { simd, G, ld_g, D, ld_d, sp->h, sp->cols, sp->row_ptr, sp->row_idx,
			 sp->row_val, sp->row_split, KT_DXT, CB_DXT, sp, -1, NULL };
	run(&j);
}
