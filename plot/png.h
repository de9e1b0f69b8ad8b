/*
 * PNG output for the plots: an RGB image, 8 bits a channel, compressed
 * through zlib; and an output file that appears under its name only once
 * it is complete (written to a temporary name beside it, then renamed).
 *
 * Part of the static plot library (plot/): used by the programs in
 * examples/ and bench/, never installed. Functions return 0 or a negative
 * NN_E code (nn/common.h); on NN_EIO, errno says why.
 */
#ifndef NN_PLOT_PNG_H
#define NN_PLOT_PNG_H

#include <stddef.h>
#include <stdio.h>

/** An output file being written under a temporary name. */
typedef struct nn_atomic_file {
	FILE *fp;   /**< write here */
	char *path; /**< the final name (owned) */
	char *tmp;  /**< the temporary name, in the same directory (owned) */
} nn_atomic_file;

/**
 * Create a temporary file beside path (mode 0666 less the umask).
 * @param f out: the file; finish it with nn_atomic_commit() or nn_atomic_abort().
 * @return 0, NN_ENULL, NN_ENOMEM or NN_EIO (errno set).
 */
int nn_atomic_open(nn_atomic_file *f, const char *path);

/**
 * Flush and close the temporary file and rename it to its final name.
 * On any failure the temporary file is removed and nothing is left at
 * path that was not there before. Frees f's names either way.
 * @return 0 or NN_EIO (errno set).
 */
int nn_atomic_commit(nn_atomic_file *f);

/** Close and remove the temporary file; frees f's names. A no-op on a reset f. */
void nn_atomic_abort(nn_atomic_file *f);

/**
 * Encode an image as PNG (colour type 2, 8-bit RGB, non-interlaced; each
 * row filtered by whichever of the five PNG filters gives the smallest sum
 * of absolute differences).
 * @param png    out: malloc'ed PNG bytes; the caller frees them.
 * @param len    out: their number.
 * @param rgb    width * height * 3 bytes, rows top to bottom.
 * @return 0, NN_ENULL, NN_EINVAL (a zero size), NN_ESIZE (too large) or NN_ENOMEM.
 */
int nn_png_encode(unsigned char **png, size_t *len, const unsigned char *rgb, size_t width,
		  size_t height);

/**
 * Encode an image (as nn_png_encode()) and write it to path atomically.
 * @return as nn_png_encode(), or NN_EIO (errno set).
 */
int nn_png_write(const char *path, const unsigned char *rgb, size_t width, size_t height);

#endif /* NN_PLOT_PNG_H */
