/*
 * Private declarations of the MNIST readers (mnist.c, idx.c, pickle.c),
 * shared with the tests and the fuzz targets. Never installed.
 */
#ifndef NN_MNIST_INTERNAL_H
#define NN_MNIST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <zlib.h>

#include "nn/mnist.h"

/* Sane limits, far above MNIST (70,000 images of 28 x 28) and Fashion-MNIST,
 * far below what would make an allocation absurd. */
#define NN__IDX_MAX_COUNT    ((uint32_t)1 << 26) /* images or labels in one file */
#define NN__IDX_MAX_SIDE     ((uint32_t)1 << 12) /* rows, cols */
#define NN__IDX_MAX_PIXELS   ((uint32_t)1 << 20) /* rows * cols */
#define NN__PICKLE_MAX_BYTES ((size_t)1 << 30)   /* a decompressed pickle */

/* A gzip stream may inflate at most NN__GZ_MAX_RATIO-fold once past its
 * first NN__GZ_GRACE bytes (NN_ESIZE beyond, with a detail that says to
 * gunzip the file). Real data inflates 2- to 15-fold (MNIST's images 4.9,
 * mnist.pkl.gz 14); deflate reaches 1032 on zeros, which made a 152 KB file
 * of "images" cost 2 GB of doubles. So what a reader keeps stays within
 * 8 bytes per pixel of max(1 MiB, 100 x the compressed size), while a raw
 * file -- whose size its owner sees -- has no such limit. */
#define NN__GZ_MAX_RATIO 100
#define NN__GZ_GRACE     ((uint64_t)1 << 20)

/* Set err (NULL or NN_MNIST_ERROR_LEN bytes) to a formatted detail; returns code. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int nn__fail(char *err, int code, const char *fmt, ...);

/* Copy at most n bytes of s into out (NN__SAFE_LEN bytes) with every
 * non-printable byte as '?', so that a detail never holds raw file bytes. */
#define NN__SAFE_LEN 48
const char *nn__printable(char out[NN__SAFE_LEN], const void *s, size_t n);

/*
 * A byte source: a file or a memory buffer, each gzip-compressed (one or more
 * members, detected by the magic 1f 8b) or raw. Reading through inflate()
 * ourselves, instead of gzread(), lets the fuzz targets drive the very same
 * code from memory and tells a truncated stream from a corrupt one.
 */
typedef struct nn__src {
	FILE *f;                       /* the file, or NULL for a memory source */
	unsigned char *in;             /* a file source's input buffer */
	size_t in_cap;
	const unsigned char *raw_next; /* unread input: in the buffer, or the memory source */
	size_t raw_avail;
	int in_eof;                    /* the file or memory holds nothing beyond raw_next */
	int gz;                        /* 1: the input is gzip, inflated through zs */
	int z_live;                    /* 1 when zs needs inflateEnd() */
	uint64_t gz_in, gz_out;        /* compressed bytes read, bytes inflated (all members) */
	int done;                      /* no more output: the clean end of the data */
	z_stream zs;
	const char *name;              /* for details: the path, or a label */
} nn__src;

/* Open a file (NN_ENOENT, NN_EIO, NN_ENOMEM, NN_EGZIP) or a buffer. */
int nn__src_open_file(nn__src *s, const char *path, char *err);
int nn__src_open_mem(nn__src *s, const void *buf, size_t len, const char *name, char *err);
void nn__src_close(nn__src *s);

/*
 * Read up to n bytes into buf; *got < n only at the clean end of the data.
 * Returns 0, NN_EIO, NN_EGZIP (corrupt stream, trailing garbage),
 * NN_ETRUNC (the gzip stream ends early) or NN_ENOMEM.
 */
int nn__src_read(nn__src *s, void *buf, size_t n, size_t *got, char *err);

/* Read everything into *buf (malloc'ed, freed by the caller), at most cap
 * bytes (NN_ESIZE beyond), growing with what the source really holds. */
int nn__src_slurp(unsigned char **buf, size_t *len, nn__src *s, size_t cap, char *err);

/* What an IDX header announced. */
typedef struct nn__idx_info {
	size_t count;      /* items in the file */
	size_t rows, cols; /* image size; 1 x 1 for labels */
} nn__idx_info;

/* idx.c: the readers behind nn_idx_read_images/labels, on an open source.
 * Items [first, first + max) are kept (max NN_ALL: all from first on; max 0
 * or first past the end: none); the whole file is read and checked. info (may be NULL)
 * receives the header. */
int nn__idx_images(nn_matrix *X, nn__idx_info *info, nn__src *s, size_t first, size_t max,
		   double scale, char *err);
int nn__idx_labels(nn_labels *y, nn__idx_info *info, nn__src *s, size_t first, size_t max,
		   char *err);

/* pickle.c: parse a whole decompressed pickle held in memory. out must be
 * empty; on failure it stays empty. */
int nn__pickle_mnist(nn_mnist *out, const unsigned char *buf, size_t len, const char *name,
		     const nn_mnist_options *opt, char *err);

/* mnist.c: what an open source holds, from its first (decompressed) bytes:
 * an IDX image or label file or a pickle; NN_ETRUNC (empty, or too short for
 * an IDX magic) or NN_EMAGIC (neither) with a detail that says what it is. */
int nn__src_sniff(nn_mnist_kind *kind, nn__src *s, char *err);

/* mnist.c: nn_mnist_sniff() with a detail. */
int nn__mnist_sniff(nn_mnist_kind *kind, const char *path, char *err);

/* mnist.c: 0 for a usable options struct (finite scale > 0), else NN_EINVAL. */
int nn__mnist_check_options(const nn_mnist_options *opt, char *err);

/* rows x cols of a flat image of n pixels: the square root when n is a square. */
void nn__image_shape(size_t *rows, size_t *cols, size_t n);

#endif /* NN_MNIST_INTERNAL_H */
