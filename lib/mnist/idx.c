/*
 * IDX files (LeCun's MNIST format): a big-endian header, then the items.
 *
 *   images: 00 00 08 03, count, rows, cols (u32 each), count*rows*cols bytes
 *   labels: 00 00 08 01, count (u32), count bytes
 *
 * The third magic byte is the item type (08 = unsigned byte), the fourth the
 * number of dimensions. The whole file is checked -- its length must be
 * exactly what the header announces -- while only the first `max` items are
 * kept. Memory grows with the data actually read, never with the header's
 * claim alone, so a lying header costs at most what the file holds.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnist_internal.h"

#define IDX_TYPE_UBYTE 0x08
#define SKIP_BUF       4096
#define GROW_FIRST     ((size_t)64 * 1024)

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Read exactly n header bytes; fewer is a truncated file. */
static int read_header(nn__src *s, unsigned char *buf, size_t n, char *err)
{
	size_t got = 0;
	int rc = nn__src_read(s, buf, n, &got, err);
	if (rc < 0)
		return rc;
	if (got < n)
		return nn__fail(err, NN_ETRUNC, "%s: the file ends inside its %zu-byte header",
				s->name, n);
	return 0;
}

/* The magic number: an IDX file of unsigned bytes with ndim dimensions. */
static int check_magic(const unsigned char *m, unsigned ndim, const char *name, char *err)
{
	uint32_t v = be32(m);
	if (m[0] != 0 || m[1] != 0)
		return nn__fail(err, NN_EMAGIC,
				"%s: magic 0x%08x is not an IDX file's (00 00 08 0%u)", name,
				(unsigned)v, ndim);
	if (m[2] != IDX_TYPE_UBYTE)
		return nn__fail(err, NN_EMAGIC,
				"%s: magic 0x%08x: item type 0x%02x, expected 0x08 (unsigned byte)",
				name, (unsigned)v, m[2]);
	if (m[3] != ndim)
		return nn__fail(err, NN_EMAGIC, "%s: magic 0x%08x: %u dimensions, expected %u (%s)",
				name, (unsigned)v, m[3], ndim, ndim == 3 ? "images" : "labels");
	return 0;
}

/*
 * Read and discard `left` bytes (the items past max), then require the end of
 * the data. have/total count items for the truncation message.
 */
static int skip_rest(nn__src *s, uint64_t left, size_t item, size_t have, size_t total, char *err)
{
	unsigned char buf[SKIP_BUF];
	uint64_t done = 0;
	while (done < left) {
		size_t want = left - done < SKIP_BUF ? (size_t)(left - done) : SKIP_BUF;
		size_t got = 0;
		int rc = nn__src_read(s, buf, want, &got, err);
		if (rc < 0)
			return rc;
		done += got;
		if (got < want)
			return nn__fail(err, NN_ETRUNC,
					"%s: holds %zu of the %zu items its header announces",
					s->name, have + (size_t)(done / item), total);
	}
	size_t got = 0;
	int rc = nn__src_read(s, buf, 1, &got, err);
	if (rc < 0)
		return rc;
	if (got)
		return nn__fail(err, NN_EFORMAT,
				"%s: bytes after the %zu items its header announces", s->name,
				total);
	return 0;
}

/*
 * Grow a buffer of items of `size` bytes to hold at least need of them (at
 * most cap). The first allocation is about 64 KiB (at least one item) and
 * each later one doubles, so the buffer never exceeds twice what has been
 * read: a header's count alone buys nothing.
 */
static int grow(void **p, size_t *have, size_t need, size_t cap, size_t size)
{
	if (need <= *have)
		return 0;
	size_t n = *have ? *have : (size < GROW_FIRST ? GROW_FIRST / size : 1);
	while (n < need)
		n = n > cap / 2 ? cap : n * 2;
	if (n > cap)
		n = cap;
	if (n > SIZE_MAX / size)
		return NN_ESIZE;
	void *q = realloc(*p, n * size);
	if (!q)
		return NN_ENOMEM;
	*p = q;
	*have = n;
	return 0;
}

int nn__idx_images(nn_matrix *X, nn__idx_info *info, nn__src *s, size_t first, size_t max,
		   double scale, char *err)
{
	unsigned char h[16];
	unsigned char *px = NULL;
	double *data = NULL;
	size_t cap = 0, n = 0;
	int rc;
	*X = (nn_matrix){ 0 };
	if ((rc = read_header(s, h, 4, err)) < 0)
		return rc;
	if ((rc = check_magic(h, 3, s->name, err)) < 0)
		return rc;
	if ((rc = read_header(s, h + 4, 12, err)) < 0)
		return rc;
	uint32_t count = be32(h + 4), rows = be32(h + 8), cols = be32(h + 12);
	if (count == 0 || rows == 0 || cols == 0)
		return nn__fail(err, NN_ESIZE,
				"%s: header announces %u images of %u x %u: zero size", s->name,
				(unsigned)count, (unsigned)rows, (unsigned)cols);
	if (count > NN__IDX_MAX_COUNT || rows > NN__IDX_MAX_SIDE || cols > NN__IDX_MAX_SIDE ||
	    (uint64_t)rows * cols > NN__IDX_MAX_PIXELS)
		return nn__fail(err, NN_ESIZE,
				"%s: header announces %u images of %u x %u: beyond the limits",
				s->name, (unsigned)count, (unsigned)rows, (unsigned)cols);
	size_t F = (size_t)rows * cols;
	size_t avail = first < count ? count - first : 0;
	size_t keep = max < avail ? max : avail;

	/* pixel byte -> double once, so that every pixel is the same division. */
	double lut[256];
	for (int b = 0; b < 256; b++)
		lut[b] = (double)b / scale;
	px = malloc(F);
	if (!px) {
		rc = nn__fail(err, NN_ENOMEM, "%s: out of memory", s->name);
		goto out;
	}
	/* the images before the shard: read (the whole file is checked), not kept */
	for (size_t k = 0; k < first && k < count; k++) {
		size_t got = 0;
		if ((rc = nn__src_read(s, px, F, &got, err)) < 0)
			goto out;
		if (got < F) {
			rc = nn__fail(err, NN_ETRUNC,
				      "%s: holds %zu of the %u images its header announces",
				      s->name, k, (unsigned)count);
			goto out;
		}
	}
	for (n = 0; n < keep; n++) {
		size_t got = 0;
		if ((rc = nn__src_read(s, px, F, &got, err)) < 0)
			goto out;
		if (got < F) {
			rc = nn__fail(err, NN_ETRUNC,
				      "%s: holds %zu of the %u images its header announces",
				      s->name, first + n, (unsigned)count);
			goto out;
		}
		if ((rc = grow((void **)&data, &cap, n + 1, keep, F * sizeof(double))) < 0) {
			rc = nn__fail(err, rc, "%s: out of memory for %zu images", s->name, n + 1);
			goto out;
		}
		double *col = data + n * F; /* column n: image n */
		for (size_t i = 0; i < F; i++)
			col[i] = lut[px[i]];
	}
	size_t done = (first < count ? first : count) + keep;
	if ((rc = skip_rest(s, (uint64_t)(count - done) * F, F, done, count, err)) < 0)
		goto out;
	if (keep && cap > keep) {
		double *shrunk = realloc(data, keep * F * sizeof(double));
		if (shrunk)
			data = shrunk;
	}
	*X = (nn_matrix){ .rows = F, .cols = keep, .ld = F, .data = data, .owner = 1 };
	data = NULL;
	if (info)
		*info = (nn__idx_info){ .count = count, .rows = rows, .cols = cols };
out:
	free(px);
	free(data);
	return rc;
}

int nn__idx_labels(nn_labels *y, nn__idx_info *info, nn__src *s, size_t first, size_t max,
		   char *err)
{
	unsigned char h[8], buf[SKIP_BUF];
	int *data = NULL;
	size_t cap = 0;
	int rc;
	*y = (nn_labels){ 0 };
	if ((rc = read_header(s, h, 4, err)) < 0)
		return rc;
	if ((rc = check_magic(h, 1, s->name, err)) < 0)
		return rc;
	if ((rc = read_header(s, h + 4, 4, err)) < 0)
		return rc;
	uint32_t count = be32(h + 4);
	if (count == 0)
		return nn__fail(err, NN_ESIZE, "%s: header announces 0 labels", s->name);
	if (count > NN__IDX_MAX_COUNT)
		return nn__fail(err, NN_ESIZE, "%s: header announces %u labels: beyond the limit",
				s->name, (unsigned)count);
	size_t avail = first < count ? count - first : 0;
	size_t keep = max < avail ? max : avail;

	/* Every label is checked, kept or not: a bad one means a bad file.
	 * Labels first .. first + keep - 1 are kept. */
	size_t i = 0;
	while (i < count) {
		size_t want = count - i < SKIP_BUF ? count - i : SKIP_BUF;
		size_t got = 0;
		if ((rc = nn__src_read(s, buf, want, &got, err)) < 0)
			goto out;
		for (size_t k = 0; k < got; k++)
			if (buf[k] >= NN_MNIST_CLASSES) {
				rc = nn__fail(err, NN_ELABEL,
					      "%s: label %u at index %zu is not below %d", s->name,
					      buf[k], i + k, NN_MNIST_CLASSES);
				goto out;
			}
		/* the part of [i, i + got) inside [first, first + keep) */
		size_t lo = first > i ? first : i, hi = first + keep < i + got ? first + keep : i + got;
		if (lo < hi) {
			if ((rc = grow((void **)&data, &cap, hi - first, keep, sizeof(int))) < 0) {
				rc = nn__fail(err, rc, "%s: out of memory", s->name);
				goto out;
			}
			for (size_t j = lo; j < hi; j++)
				data[j - first] = buf[j - i];
		}
		i += got;
		if (got < want) {
			rc = nn__fail(err, NN_ETRUNC,
				      "%s: holds %zu of the %u labels its header announces",
				      s->name, i, (unsigned)count);
			goto out;
		}
	}
	if ((rc = skip_rest(s, 0, 1, count, count, err)) < 0)
		goto out;
	*y = (nn_labels){ .n = keep, .data = data, .owner = 1 };
	data = NULL;
	if (info)
		*info = (nn__idx_info){ .count = count, .rows = 1, .cols = 1 };
out:
	free(data);
	return rc;
}

NN_EXPORT int nn_idx_read_images(nn_matrix *X, const char *path, size_t max, double scale)
{
	if (!X)
		return NN_ENULL;
	*X = (nn_matrix){ 0 };
	if (!path)
		return NN_ENULL;
	if (!(isfinite(scale) && scale > 0.0))
		return NN_EINVAL;
	nn__src s;
	int rc = nn__src_open_file(&s, path, NULL);
	if (rc < 0)
		return rc;
	rc = nn__idx_images(X, NULL, &s, 0, max, scale, NULL);
	nn__src_close(&s);
	return rc;
}

NN_EXPORT int nn_idx_read_labels(nn_labels *y, const char *path, size_t max)
{
	if (!y)
		return NN_ENULL;
	*y = (nn_labels){ 0 };
	if (!path)
		return NN_ENULL;
	nn__src s;
	int rc = nn__src_open_file(&s, path, NULL);
	if (rc < 0)
		return rc;
	rc = nn__idx_labels(y, NULL, &s, 0, max, NULL);
	nn__src_close(&s);
	return rc;
}
