/*
 * PNG encoder (RFC 2083 / ISO 15948 subset: 8-bit RGB, no interlace) on
 * zlib's deflate and crc32, streaming: each row is filtered, fed to
 * deflate, and the compressed bytes leave in IDAT chunks as they come.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "nn/common.h"
#include "png.h"

static void put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* One chunk to the sink: length, type, data, CRC over type and data. */
static int put_chunk(plot_sink sink, void *user, const char type[4], const unsigned char *data,
		     size_t len)
{
	unsigned char head[8], tail[4];
	put_u32(head, (uint32_t)len);
	memcpy(head + 4, type, 4);
	uLong crc = crc32(crc32(0L, Z_NULL, 0), head + 4, 4);
	if (len)
		crc = crc32(crc, data, (uInt)len);
	put_u32(tail, (uint32_t)crc);
	int rc = sink(user, head, 8);
	if (rc == 0 && len)
		rc = sink(user, data, len);
	return rc ? rc : sink(user, tail, 4);
}

static int paeth(int a, int b, int c)
{
	int p = a + b - c;
	int pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
	if (pa <= pb && pa <= pc)
		return a;
	return pb <= pc ? b : c;
}

/*
 * Filter one row of n bytes (3 a pixel) with filter type t into out;
 * prev is the row above (zeros for the first row).  Returns the sum of
 * |filtered byte as signed|, the usual heuristic for choosing a filter.
 */
static unsigned long filter_row(unsigned char *out, int t, const unsigned char *row,
				const unsigned char *prev, size_t n)
{
	unsigned long cost = 0;
	for (size_t i = 0; i < n; i++) {
		int a = i >= 3 ? row[i - 3] : 0, b = prev[i], c = i >= 3 ? prev[i - 3] : 0;
		int pred = t == 0 ? 0 : t == 1 ? a : t == 2 ? b : t == 3 ? (a + b) / 2 : paeth(a, b, c);
		unsigned char v = (unsigned char)(row[i] - pred);
		out[i] = v;
		cost += v < 128 ? v : 256u - v;
	}
	return cost;
}

/* The compressed stream leaves in IDAT chunks of this size (the last one shorter). */
enum { IDAT_MAX = 65536 };

/* Run deflate on what strm holds, flushing full IDAT chunks to the sink. */
static int deflate_out(z_stream *strm, unsigned char *z, int flush, plot_sink sink, void *user)
{
	int zrc;
	do {
		zrc = deflate(strm, flush);
		if (zrc == Z_STREAM_ERROR)
			return NN_ENOMEM; /* not reached: the stream is ours */
		size_t have = IDAT_MAX - strm->avail_out;
		if (have == IDAT_MAX || (flush == Z_FINISH && have)) {
			int rc = put_chunk(sink, user, "IDAT", z, have);
			if (rc)
				return rc;
			strm->next_out = z;
			strm->avail_out = IDAT_MAX;
		}
	} while (strm->avail_in || (flush == Z_FINISH && zrc != Z_STREAM_END) ||
		 strm->avail_out == 0);
	return 0;
}

/* Filter and compress every row: the filter byte, then the row it chose. */
static int put_rows(z_stream *strm, unsigned char *z, unsigned char *work, plot_sink sink,
		    void *user, const unsigned char *rgb, size_t stride, size_t height)
{
	unsigned char *zero = work, *trial = work + stride, *best = work + 2 * stride;
	for (size_t y = 0; y < height; y++) {
		const unsigned char *row = rgb + y * stride, *prev = y ? row - stride : zero;
		unsigned long least = (unsigned long)-1;
		for (int t = 0; t < 5; t++) {
			unsigned long cost = filter_row(trial, t, row, prev, stride);
			if (cost < least) {
				least = cost;
				best[0] = (unsigned char)t;
				memcpy(best + 1, trial, stride);
			}
		}
		strm->next_in = best;
		strm->avail_in = (uInt)(stride + 1);
		int rc = deflate_out(strm, z, Z_NO_FLUSH, sink, user);
		if (rc)
			return rc;
	}
	return deflate_out(strm, z, Z_FINISH, sink, user);
}

int plot_png_write(plot_sink sink, void *user, const unsigned char *rgb, size_t width,
		   size_t height)
{
	if (!sink || !rgb)
		return NN_ENULL;
	if (width == 0 || height == 0)
		return NN_EINVAL;
	/* PNG sizes are at most 2^31 - 1; a row goes to zlib in one uInt. */
	if (width > INT32_MAX || height > INT32_MAX || width > (UINT_MAX - 1) / 3 ||
	    height > SIZE_MAX / (3 * width))
		return NN_ESIZE;
	size_t stride = 3 * width;
	/* work: a row of zeros (above the first row), a trial row, the best row */
	unsigned char *work = calloc(3 * stride + 1, 1), *z = malloc(IDAT_MAX);
	z_stream strm = { 0 };
	int rc = NN_ENOMEM;
	if (!work || !z || deflateInit(&strm, 9) != Z_OK) {
		free(work);
		free(z);
		return rc;
	}
	strm.next_out = z;
	strm.avail_out = IDAT_MAX;
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	unsigned char ihdr[13];
	put_u32(ihdr, (uint32_t)width);
	put_u32(ihdr + 4, (uint32_t)height);
	ihdr[8] = 8;  /* bit depth */
	ihdr[9] = 2;  /* colour type: RGB */
	ihdr[10] = 0; /* deflate */
	ihdr[11] = 0; /* adaptive filtering */
	ihdr[12] = 0; /* no interlace */
	if ((rc = sink(user, sig, 8)) == 0 && (rc = put_chunk(sink, user, "IHDR", ihdr, 13)) == 0 &&
	    (rc = put_rows(&strm, z, work, sink, user, rgb, stride, height)) == 0)
		rc = put_chunk(sink, user, "IEND", NULL, 0);
	deflateEnd(&strm);
	free(work);
	free(z);
	return rc;
}

/* A sink into a growing buffer. */
struct memory {
	unsigned char *p;
	size_t len, cap;
};

static int to_memory(void *user, const void *buf, size_t len)
{
	struct memory *m = user;
	if (len > m->cap - m->len) {
		size_t cap = m->cap ? m->cap : 4096;
		while (len > cap - m->len) {
			if (cap > SIZE_MAX / 2)
				return NN_ENOMEM;
			cap *= 2;
		}
		unsigned char *p = realloc(m->p, cap);
		if (!p)
			return NN_ENOMEM;
		m->p = p;
		m->cap = cap;
	}
	memcpy(m->p + m->len, buf, len);
	m->len += len;
	return 0;
}

int plot_png_encode(unsigned char **png, size_t *len, const unsigned char *rgb, size_t width,
		    size_t height)
{
	if (!png || !len)
		return NN_ENULL;
	*png = NULL;
	*len = 0;
	struct memory m = { 0 };
	int rc = plot_png_write(to_memory, &m, rgb, width, height);
	if (rc) {
		free(m.p);
		return rc;
	}
	*png = m.p;
	*len = m.len;
	return 0;
}
