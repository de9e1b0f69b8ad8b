/*
 * The sparse x dense kernel of sparse.c for AVX2 + FMA CPUs (compiled with
 * -mavx2 -mfma, called only after a run-time check, see cpu.c):
 *
 *   Out[:, c] = sum_t val[t] In[:, idx[t]]   for ptr[c] <= t < ptr[c + 1]
 *
 * A block of up to 32 rows of one output column lives in 8 registers of 4
 * doubles while the kernel runs over that column's non-zeros: one
 * broadcast and 8 fused multiply-adds per non-zero, no load or store of
 * the output. A plain loop loads and stores the output for every non-zero
 * and loses to dgemm.
 *
 * Cache tiles: the output columns go in blocks of cb, and the non-zeros of
 * a block in tiles of kt consecutive indices (a cursor per column and
 * panel says where each column stands), so the kt columns of In a tile
 * reads stay in L1 while the block's columns use them. A column is summed
 * in ascending index order whatever the tiles, so tiles and threads never
 * change a result.
 *
 * In comes packed by nn__pack_panels in 32-row panels of consecutive
 * columns, zero-padded and 64-byte aligned: a panel's tile is contiguous (no
 * cache-set conflicts when ld is a multiple of 64 doubles, as for h =
 * 128), its loads are aligned and need no mask. Packing costs one pass
 * over In and pays for itself at every size measured: reading W itself
 * is 6-10 % slower at h = 30 (masked loads) and 50-60 % at h = 32 (loads
 * split across cache lines). Only the output's last register is masked when h
 * is not a multiple of 4.
 */
#include <immintrin.h>

#include "nn_internal.h"

#define PANEL 32
#define ALWAYS_INLINE inline __attribute__((always_inline))

/*
 * The columns [c0, c1) of one panel of R registers (4R rows of Out, the
 * last register masked when tail), over the non-zeros with index below k1
 * from the cursors on. first: the first tile, which starts from zero and
 * writes every column (Out is overwritten); later tiles add to what the
 * earlier ones stored.
 */
static ALWAYS_INLINE void tile(double *Out, size_t ld_out, const double *In,
			       const size_t *ptr, const uint32_t *idx, const double *val,
			       size_t c0, size_t c1, size_t k1, size_t *cur, int first, const int R,
			       const int tail, __m256i mask)
{
	for (size_t c = c0; c < c1; c++) {
		size_t t = cur[c - c0], end = ptr[c + 1];
		double *o = Out + c * ld_out;
		__m256d acc[8];
		if (first) {
#pragma GCC unroll 8
			for (int r = 0; r < R; r++)
				acc[r] = _mm256_setzero_pd();
		} else {
			if (t == end || idx[t] >= k1)
				continue;
#pragma GCC unroll 8
			for (int r = 0; r < R - 1; r++)
				acc[r] = _mm256_loadu_pd(o + 4 * r);
			acc[R - 1] = tail ? _mm256_maskload_pd(o + 4 * (R - 1), mask)
					  : _mm256_loadu_pd(o + 4 * (R - 1));
		}
		for (; t < end && idx[t] < k1; t++) {
			__m256d v = _mm256_broadcast_sd(val + t);
			const double *w = In + (size_t)idx[t] * PANEL;
#pragma GCC unroll 8
			for (int r = 0; r < R; r++)
				acc[r] = _mm256_fmadd_pd(_mm256_loadu_pd(w + 4 * r), v, acc[r]);
		}
		cur[c - c0] = t;
#pragma GCC unroll 8
		for (int r = 0; r < R - 1; r++)
			_mm256_storeu_pd(o + 4 * r, acc[r]);
		if (tail)
			_mm256_maskstore_pd(o + 4 * (R - 1), mask, acc[R - 1]);
		else
			_mm256_storeu_pd(o + 4 * (R - 1), acc[R - 1]);
	}
}

typedef void (*tile_fn)(double *, size_t, const double *, const size_t *,
			const uint32_t *, const double *, size_t, size_t, size_t, size_t *, int,
			__m256i);

/* One instance per register count and tail case, so that R is a constant
 * and the accumulators stay in registers. */
#define TILE(R, T)                                                                               \
	static void tile_##R##_##T(double *Out, size_t ld_out, const double *In,               \
				   const size_t *ptr, const uint32_t *idx, const double *val,   \
				   size_t c0, size_t c1, size_t k1, size_t *cur, int first,     \
				   __m256i mask)                                                \
	{                                                                                        \
		tile(Out, ld_out, In, ptr, idx, val, c0, c1, k1, cur, first, R, T, mask);        \
	}
#define TILES(R) TILE(R, 0) TILE(R, 1)
TILES(1)
TILES(2)
TILES(3)
TILES(4)
TILES(5)
TILES(6)
TILES(7)
TILES(8)

/* [R - 1][1: the last register masked] */
static const tile_fn tiles[8][2] = {
	{ tile_1_0, tile_1_1 }, { tile_2_0, tile_2_1 }, { tile_3_0, tile_3_1 },
	{ tile_4_0, tile_4_1 }, { tile_5_0, tile_5_1 }, { tile_6_0, tile_6_1 },
	{ tile_7_0, tile_7_1 }, { tile_8_0, tile_8_1 },
};

void nn__spmm_avx2(double *Out, size_t ld_out, const double *P, size_t h, size_t k,
		   const size_t *ptr, const uint32_t *idx, const double *val, size_t c0, size_t c1,
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
				size_t R = (hb + 3) / 4, rem = hb % 4;
				__m256i mask = _mm256_setr_epi64x(-1, rem > 1 || !rem ? -1 : 0,
								  rem > 2 || !rem ? -1 : 0, rem ? 0 : -1);
				tiles[R - 1][rem != 0](Out + r0, ld_out, P + r0 * k, ptr, idx, val, b0, b1,
						       k1, cursor + rb * nb, k0 == 0, mask);
			}
		}
	}
}
