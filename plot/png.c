/*
 * PNG encoder (RFC 2083 / ISO 15948 subset: 8-bit RGB, no interlace) on
 * zlib's compress2() and crc32(), and the write-then-rename output file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "nn/common.h"
#include "png.h"

int nn_atomic_open(nn_atomic_file *f, const char *path)
{
	static unsigned counter;
	if (!f)
		return NN_ENULL;
	*f = (nn_atomic_file){ 0 };
	if (!path || !*path)
		return NN_ENULL;
	size_t n = strlen(path);
	f->path = malloc(n + 1);
	f->tmp = malloc(n + 64);
	if (!f->path || !f->tmp) {
		nn_atomic_abort(f);
		return NN_ENOMEM;
	}
	memcpy(f->path, path, n + 1);
	/* O_EXCL under a name no one else uses: pid plus a counter, retried on a clash. */
	int fd = -1;
	for (int tries = 0; tries < 100 && fd < 0; tries++) {
		snprintf(f->tmp, n + 64, "%s.tmp-%ld-%u", path, (long)getpid(), counter++);
		fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0 || !(f->fp = fdopen(fd, "wb"))) {
		int e = errno;
		if (fd >= 0) {
			close(fd);
			unlink(f->tmp);
		}
		free(f->path);
		free(f->tmp);
		*f = (nn_atomic_file){ 0 };
		errno = e;
		return NN_EIO;
	}
	return 0;
}

void nn_atomic_abort(nn_atomic_file *f)
{
	if (!f)
		return;
	int e = errno;
	if (f->fp) {
		fclose(f->fp);
		unlink(f->tmp);
	}
	free(f->path);
	free(f->tmp);
	*f = (nn_atomic_file){ 0 };
	errno = e;
}

int nn_atomic_commit(nn_atomic_file *f)
{
	if (!f || !f->fp)
		return NN_ENULL;
	int ok = fflush(f->fp) == 0 && !ferror(f->fp);
	int e = errno;
	if (fclose(f->fp) != 0 && ok) {
		ok = 0;
		e = errno;
	}
	f->fp = NULL;
	if (ok && rename(f->tmp, f->path) != 0) {
		ok = 0;
		e = errno;
	}
	if (!ok)
		unlink(f->tmp);
	free(f->path);
	free(f->tmp);
	*f = (nn_atomic_file){ 0 };
	errno = e;
	return ok ? 0 : NN_EIO;
}

static void put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Append one chunk (length, type, data, CRC over type and data) at out. */
static unsigned char *put_chunk(unsigned char *out, const char type[4], const unsigned char *data,
				size_t len)
{
	put_u32(out, (uint32_t)len);
	memcpy(out + 4, type, 4);
	if (len)
		memcpy(out + 8, data, len);
	uLong crc = crc32(0L, Z_NULL, 0);
	crc = crc32(crc, out + 4, (uInt)(len + 4));
	put_u32(out + 8 + len, (uint32_t)crc);
	return out + 12 + len;
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

int nn_png_encode(unsigned char **png, size_t *len, const unsigned char *rgb, size_t width,
		  size_t height)
{
	if (!png || !len)
		return NN_ENULL;
	*png = NULL;
	*len = 0;
	if (!rgb)
		return NN_ENULL;
	if (width == 0 || height == 0)
		return NN_EINVAL;
	/* PNG sizes are at most 2^31 - 1; zlib's sizes are uLong. */
	if (width > INT32_MAX || height > INT32_MAX || width > (SIZE_MAX - 1) / 3 ||
	    height > SIZE_MAX / (3 * width + 1) || (3 * width + 1) * height > ULONG_MAX / 2)
		return NN_ESIZE;
	size_t stride = 3 * width, raw_len = (stride + 1) * height;
	int rc = NN_ENOMEM;
	unsigned char *raw = malloc(raw_len), *zero = calloc(stride, 1), *trial = malloc(stride);
	uLong zlen = compressBound((uLong)raw_len);
	unsigned char *z = malloc(zlen), *out = NULL;
	if (!raw || !zero || !trial || !z)
		goto out;
	for (size_t y = 0; y < height; y++) {
		const unsigned char *row = rgb + y * stride, *prev = y ? row - stride : zero;
		unsigned char *dst = raw + y * (stride + 1);
		unsigned long best = (unsigned long)-1;
		for (int t = 0; t < 5; t++) {
			unsigned long cost = filter_row(trial, t, row, prev, stride);
			if (cost < best) {
				best = cost;
				dst[0] = (unsigned char)t;
				memcpy(dst + 1, trial, stride);
			}
		}
	}
	if (compress2(z, &zlen, raw, (uLong)raw_len, 9) != Z_OK)
		goto out;
	if (zlen > INT32_MAX) {
		rc = NN_ESIZE;
		goto out;
	}
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	unsigned char ihdr[13];
	put_u32(ihdr, (uint32_t)width);
	put_u32(ihdr + 4, (uint32_t)height);
	ihdr[8] = 8;  /* bit depth */
	ihdr[9] = 2;  /* colour type: RGB */
	ihdr[10] = 0; /* deflate */
	ihdr[11] = 0; /* adaptive filtering */
	ihdr[12] = 0; /* no interlace */
	size_t total = 8 + (12 + 13) + (12 + (size_t)zlen) + 12;
	out = malloc(total);
	if (!out)
		goto out;
	memcpy(out, sig, 8);
	unsigned char *p = put_chunk(out + 8, "IHDR", ihdr, 13);
	p = put_chunk(p, "IDAT", z, zlen);
	put_chunk(p, "IEND", NULL, 0);
	*png = out;
	*len = total;
	out = NULL;
	rc = 0;
out:
	free(raw);
	free(zero);
	free(trial);
	free(z);
	free(out);
	return rc;
}

int nn_png_write(const char *path, const unsigned char *rgb, size_t width, size_t height)
{
	unsigned char *png = NULL;
	size_t len = 0;
	int rc = nn_png_encode(&png, &len, rgb, width, height);
	if (rc)
		return rc;
	nn_atomic_file f;
	rc = nn_atomic_open(&f, path);
	if (rc == 0) {
		if (fwrite(png, 1, len, f.fp) != len) {
			nn_atomic_abort(&f);
			rc = NN_EIO;
		} else {
			rc = nn_atomic_commit(&f);
		}
	}
	int e = errno;
	free(png);
	errno = e;
	return rc;
}
