/*
 * The sparse x dense kernel of the sparse first layer (sparse.c, spmm.c)
 * for AVX2 and AVX-512 CPUs, in both precisions (simd.h):
 *
 *   Out[:, c] = sum_t val[t] In[:, idx[t]]   for ptr[c] <= t < ptr[c + 1]
 *
 * A block of up to 32 rows of one output column lives in R registers of W
 * reals while the kernel runs over that column's non-zeros: one broadcast
 * and R fused multiply-adds per non-zero, no load or store of the output. A plain loop loads and stores
 * the output for every non-zero and loses to dgemm.
 *
 * Cache tiles: the output columns go in blocks of cb, and the non-zeros of
 * a block in tiles of kt consecutive indices (a cursor per column and
 * panel says where each column stands), so the kt columns of In a tile
 * reads stay in L1 while the block's columns use them. A column is summed
 * in ascending index order whatever the tiles and the family, so tiles,
 * threads and AVX2 against AVX-512 never change a result.
 *
 * In comes packed by nn__pack_panels in 32-row panels of consecutive
 * columns, zero-padded and 64-byte aligned: a panel's tile is contiguous
 * (no cache-set conflicts when ld is a multiple of 64 doubles, as for
 * h = 128), its loads need no mask. Packing costs one pass over In and
 * pays for itself at every size measured: reading W itself is 6-10 %
 * slower at h = 30 (masked loads) and 50-60 % at h = 32 (loads split
 * across cache lines). Only the output's last register is masked when h
 * is not a multiple of W.
 */
#include "nn_internal.h"
#include "kernels/simd.h"

#define PANEL NN__PANEL
#define RMAX (PANEL / W)

/*
 * The columns [c0, c1) of one panel of R registers (the last one holding
 * `tail` rows, 0 < tail <= W), over the non-zeros with index below k1 from
 * the cursors on. first: the first tile, which starts from zero and writes
 * every column (Out is overwritten); later tiles add to what the earlier
 * ones stored.
 */
static ALWAYS_INLINE void tile(real *Out, size_t ld_out, const real *In, const size_t *ptr,
			       const uint32_t *idx, const real *val, size_t c0, size_t c1,
			       size_t k1, size_t *cur, int first, const int R, int tail)
{
	for (size_t c = c0; c < c1; c++) {
		size_t t = cur[c - c0], end = ptr[c + 1];
		real *o = Out + c * ld_out;
		vec acc[RMAX];
		if (first) {
#pragma GCC unroll 8
			for (int r = 0; r < R; r++)
				acc[r] = vsplat(0);
		} else {
			if (t == end || idx[t] >= k1)
				continue;
#pragma GCC unroll 8
			for (int r = 0; r < R - 1; r++)
				acc[r] = vload(o + W * r);
			acc[R - 1] = tail < W ? vload_n(o + W * (R - 1), tail) : vload(o + W * (R - 1));
		}
		for (; t < end && idx[t] < k1; t++) {
			vec v = vsplat(val[t]);
			const real *w = In + (size_t)idx[t] * PANEL;
#pragma GCC unroll 8
			for (int r = 0; r < R; r++)
				acc[r] = vfma(vload(w + W * r), v, acc[r]);
		}
		cur[c - c0] = t;
#pragma GCC unroll 8
		for (int r = 0; r < R - 1; r++)
			vstore(o + W * r, acc[r]);
		if (tail < W)
			vstore_n(o + W * (R - 1), acc[R - 1], tail);
		else
			vstore(o + W * (R - 1), acc[R - 1]);
	}
}

typedef void (*tile_fn)(real *, size_t, const real *, const size_t *, const uint32_t *,
			const real *, size_t, size_t, size_t, size_t *, int, int);

/* One instance per register count, so that R is a constant and the
 * accumulators stay in registers. */
#define TILE(R)                                                                                  \
	static void tile_##R(real *Out, size_t ld_out, const real *In, const size_t *ptr,        \
			     const uint32_t *idx, const real *val, size_t c0, size_t c1,        \
			     size_t k1, size_t *cur, int first, int tail)                       \
	{                                                                                        \
		if ((R) <= RMAX)                                                                 \
			tile(Out, ld_out, In, ptr, idx, val, c0, c1, k1, cur, first,             \
			     (R) <= RMAX ? (R) : 1, tail);                                      \
	}
TILE(1)
TILE(2)
TILE(3)
TILE(4)
TILE(5)
TILE(6)
TILE(7)
TILE(8)

/* [R - 1], R <= RMAX */
static const tile_fn tiles[8] = { tile_1, tile_2, tile_3, tile_4,
				  tile_5, tile_6, tile_7, tile_8 };

void NN_K(nn__spmm)(real *Out, size_t ld_out, const real *P, size_t h, size_t k,
		    const size_t *ptr, const uint32_t *idx, const real *val, size_t c0, size_t c1,
		    size_t kt, size_t cb, size_t *cursor)
{
	size_t nrb = (h + PANEL - 1) / PANEL;
	for (size_t b0 = c0; b0 < c1; b0 += cb) {
		size_t b1 = c1 - b0 < cb ? c1 : b0 + cb, nb = b1 - b0;
		for (size_t rb = 0; rb < nrb; rb++)
			for (size_t c = b0; c < b1; c++)
				cursor[rb * nb + c - b0] = ptr[c];
		for (size_t k0 = 0; k0 < k; k0 += kt) {
			size_t k1 = k - k0 < kt ? k : k0 + kt;
			for (size_t rb = 0; rb < nrb; rb++) {
				size_t r0 = rb * PANEL, hb = h - r0 < PANEL ? h - r0 : PANEL;
				size_t R = (hb + W - 1) / W;
				int tail = (int)(hb - (R - 1) * W);
				tiles[R - 1](Out + r0, ld_out, P + r0 * k, ptr, idx, val, b0, b1, k1,
					     cursor + rb * nb, k0 == 0, tail);
			}
		}
	}
}
