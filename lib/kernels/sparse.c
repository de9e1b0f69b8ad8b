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
 * column's non-zeros (spmm_simd.c; the portable loops of spmm.c hold 8).
 * Every output is a sum over the non-zeros in ascending order, whichever
 * kernel, tiles or threads ran: only the rounding of a fused multiply-add
 * (AVX2) against a multiply then an add (portable) tells the paths apart,
 * and, where the activation is fused into Z_1, the exp of each family.
 *
 * Threads: Z_1 is split by samples and dW_1 by features, each at the
 * non-zero midpoint, so every thread writes its own columns and nothing is
 * reduced.
 *
 * This file builds the compressed copies (their values in the network's
 * precision); spmm.c, compiled once for each precision, holds the kernels.
 */
#include <stdlib.h>
#include <string.h>

#include "nn_internal.h"


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
	return (h + NN__PANEL - 1) / NN__PANEL;
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
	free(sp->row_fill);
	free(sp->col_split);
	free(sp->row_split);
	free(sp->panel);
	free(sp->cursor);
	free(sp);
}

/*
 * Where the sparse products beat dgemm with a margin, by kernel family.
 * `nn-bench --workloads sparsity` (doc/performance.md) measured the two
 * products against dgemm at h = 30 and 128 on this machine's Zen 5 with
 * OpenBLAS's AVX-512 kernel (the faster of its two here): the crossover is
 * near 0.17-0.28 for the portable kernels, 0.47-0.73 for AVX2 and
 * 0.62-0.93 for AVX-512, which is 1.2x faster than dgemm at 0.5 (h = 128).
 * A fixed table, not a measurement at run time, so that a run's choice --
 * and with it the last bits of its results -- is the same every time.
 */
double nn__sparse_threshold(int simd)
{
	static const double at[NN__SIMD_COUNT_] = { 0.15, 0.40, 0.50 };
	return simd >= 0 && simd < NN__SIMD_COUNT_ ? at[simd] : at[0];
}

int nn__sparse_wanted(nn_input_mode mode, double density, int simd)
{
	return mode == NN_INPUT_SPARSE ||
	       (mode == NN_INPUT_AUTO && density <= nn__sparse_threshold(simd));
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

int nn__sparse_alloc(nn_sparse **out, size_t rows, size_t max_cols, size_t max_nnz, size_t h,
		     size_t threads, int f32)
{
	*out = NULL;
	size_t R = rows, C = max_cols;
	if (R > UINT32_MAX || C > UINT32_MAX || h == 0)
		return NN_ESIZE;
	size_t big = R > C ? R : C, nrb = blocks(h);
	if (max_nnz > SIZE_MAX / sizeof(double) || big > SIZE_MAX / sizeof(double) / NN__PANEL / nrb)
		return NN_ESIZE;
	int rc = NN_ENOMEM;
	nn_sparse *sp = calloc(1, sizeof(*sp));
	if (!sp)
		return rc;
	sp->rows = R;
	sp->cap_cols = C;
	sp->cap_nnz = max_nnz;
	sp->h = h;
	sp->f32 = f32;
	size_t elem = f32 ? sizeof(float) : sizeof(double);
	/* malloc(0) may return NULL: allocate at least one element */
	size_t n1 = max_nnz ? max_nnz : 1;
	if (!(sp->col_ptr = calloc(C + 1, sizeof(size_t))) ||
	    !(sp->row_ptr = calloc(R + 1, sizeof(size_t))) ||
	    !(sp->row_fill = malloc((R ? R : 1) * sizeof(size_t))) ||
	    !(sp->col_idx = malloc(n1 * sizeof(uint32_t))) ||
	    !(sp->row_idx = malloc(n1 * sizeof(uint32_t))) ||
	    !(sp->col_val = malloc(n1 * elem)) || !(sp->row_val = malloc(n1 * elem)))
		goto out;
	/* the vector kernels' scratch: In packed in panels, and cursors for each
	 * panel and column of a block */
	size_t cb = C < NN__CB_WX ? C : NN__CB_WX, cd = R < NN__CB_DXT ? R : NN__CB_DXT;
	sp->cursor_per_thread = nrb * (cb > cd ? cb : cd);
	size_t panel_bytes = (nrb * NN__PANEL * big * elem + 63) / 64 * 64;
	if (nn__cpu_simd() >= NN__SIMD_AVX2 && !(sp->panel = aligned_alloc(64, panel_bytes)))
		goto out;
	if ((rc = nn__sparse_set_threads(sp, threads)))
		goto out;
	*out = sp;
	return 0;
out:
	nn__sparse_free(sp);
	return rc;
}

/* The CSC of the columns picked from X, scaled, in type T; the row counts
 * in row_ptr[i + 1] on the way. */
#define FILL_CSC(T)                                                                               \
	static void fill_csc_##T(nn_sparse *sp, const nn_matrix *X, const size_t *cols,         \
				 size_t n, const double *scale)                                 \
	{                                                                                         \
		T *val = sp->col_val;                                                             \
		size_t t = 0, R = sp->rows;                                                       \
		for (size_t j = 0; j < n; j++) {                                                  \
			const double *x = X->data + (cols ? cols[j] : j) * X->ld;                 \
			sp->col_ptr[j] = t;                                                       \
			for (size_t i = 0; i < R; i++)                                            \
				if (x[i] != 0.0) {                                                \
					sp->col_idx[t] = (uint32_t)i;                             \
					val[t++] = (T)(scale ? x[i] * scale[i] : x[i]);           \
					sp->row_ptr[i + 1]++;                                     \
				}                                                                 \
		}                                                                                 \
		sp->col_ptr[n] = t;                                                               \
	}
FILL_CSC(double)
FILL_CSC(float)

/* The CSR by scattering the CSC, column by column: ascending columns in
 * each row. */
#define FILL_CSR(T)                                                                               \
	static void fill_csr_##T(nn_sparse *sp)                                                   \
	{                                                                                         \
		const T *cv = sp->col_val;                                                        \
		T *rv = sp->row_val;                                                              \
		size_t *fill = sp->row_fill;                                                      \
		memcpy(fill, sp->row_ptr, sp->rows * sizeof(size_t));                             \
		for (size_t j = 0; j < sp->cols; j++)                                             \
			for (size_t s = sp->col_ptr[j]; s < sp->col_ptr[j + 1]; s++) {           \
				size_t d = fill[sp->col_idx[s]]++;                                \
				sp->row_idx[d] = (uint32_t)j;                                     \
				rv[d] = cv[s];                                                    \
			}                                                                         \
	}
FILL_CSR(double)
FILL_CSR(float)

void nn__sparse_fill(nn_sparse *sp, const nn_matrix *X, const size_t *cols, size_t n,
		     const double *scale)
{
	size_t R = sp->rows;
	sp->cols = n;
	memset(sp->row_ptr, 0, (R + 1) * sizeof(size_t));
	if (sp->f32)
		fill_csc_float(sp, X, cols, n, scale);
	else
		fill_csc_double(sp, X, cols, n, scale);
	sp->nnz = sp->col_ptr[n];
	for (size_t i = 0; i < R; i++)
		sp->row_ptr[i + 1] += sp->row_ptr[i];
	if (sp->f32)
		fill_csr_float(sp);
	else
		fill_csr_double(sp);
	split(sp->col_split, sp->col_ptr, sp->cols, sp->threads);
	split(sp->row_split, sp->row_ptr, sp->rows, sp->threads);
}

int nn__sparse_new(nn_sparse **out, const nn_matrix *X, size_t h, size_t threads, int f32)
{
	int rc = nn__sparse_alloc(out, X->rows, X->cols, nn__count_nonzero(X), h, threads, f32);
	if (!rc)
		nn__sparse_fill(*out, X, NULL, X->cols, NULL);
	return rc;
}

size_t nn__sparse_max_nnz(const nn_matrix *X, size_t n)
{
	size_t R = X->rows, total = 0;
	size_t *hist = calloc(R + 1, sizeof(size_t)); /* hist[c]: the columns of c non-zeros */
	if (!hist) /* a bound without the histogram: n full columns */
		return n * R;
	for (size_t j = 0; j < X->cols; j++) {
		const double *x = X->data + j * X->ld;
		size_t c = 0;
		for (size_t i = 0; i < R; i++)
			c += x[i] != 0.0;
		hist[c]++;
	}
	for (size_t c = R + 1; c-- > 0 && n > 0;) {
		size_t take = hist[c] < n ? hist[c] : n;
		total += take * c;
		n -= take;
	}
	free(hist);
	return total;
}
