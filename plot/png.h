/*
 * PNG output for the plots: an RGB image, 8 bits a channel, compressed
 * through zlib a row at a time and handed to a sink as it is encoded, so
 * that neither the filtered image nor the compressed stream is ever held
 * whole. Where the bytes go (an atomic file, memory) is the caller's: the
 * plot library does no file I/O.
 *
 * Part of the static plot library (plot/): used by the programs in
 * examples/, tools/ and bench/, never installed. Functions return 0 or a
 * negative NN_E code (nn/common.h).
 */
#ifndef PLOT_PNG_H
#define PLOT_PNG_H

#include <stddef.h>

/**
 * Where encoded bytes go: take len bytes of buf.
 * @return 0, or a negative NN_E code, which stops the encoder and is returned by it.
 */
typedef int (*plot_sink)(void *user, const void *buf, size_t len);

/**
 * Encode an image as PNG (colour type 2, 8-bit RGB, non-interlaced; each
 * row filtered by whichever of the five PNG filters gives the smallest sum
 * of absolute differences; IDAT chunks of at most 64 KiB) into sink.
 * @param rgb width * height * 3 bytes, rows top to bottom.
 * @return 0, NN_ENULL, NN_EINVAL (a zero size), NN_ESIZE (too large),
 *         NN_ENOMEM, or the sink's error.
 */
int plot_png_write(plot_sink sink, void *user, const unsigned char *rgb, size_t width,
		   size_t height);

/**
 * The same into memory.
 * @param png out: malloc'ed PNG bytes; the caller frees them (NULL on failure).
 * @param len out: their number.
 * @return as plot_png_write().
 */
int plot_png_encode(unsigned char **png, size_t *len, const unsigned char *rgb, size_t width,
		    size_t height);

#endif /* PLOT_PNG_H */
