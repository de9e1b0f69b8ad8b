/**
 * @file mnist.h
 * @brief Reading MNIST: IDX files (gzip or raw) and the lecture's mnist.pkl.gz.
 *
 * Both formats give the same result: images as a column-major matrix of
 * doubles, one image per column (784 x N for MNIST, pixel (r, c) of an
 * image in row r * 28 + c), and labels as integers in [0, 10), so a batch
 * goes straight into the network.
 *
 * The readers are strict: a wrong magic number, an absurd or zero size, a
 * truncated file, a corrupt gzip stream, a label >= 10, a pickle opcode or
 * global outside the small set that MNIST pickles use -- each is a distinct
 * negative NN_E code, never a crash, and no allocation is larger than what
 * the file has been checked to hold. A pickle is never run: the reader only
 * recognises numpy arrays, tuples and the few callables that rebuild them.
 *
 * The project ships a small real sample (500 training and 100 test digits)
 * in data/mnist-sample/ of its source tree; doc/mnist.md describes the
 * formats, the sample and Fashion-MNIST.
 */
#ifndef NN_MNIST_H
#define NN_MNIST_H

#include <stddef.h>

#include "common.h"
#include "matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Number of classes; every label read is in [0, NN_MNIST_CLASSES). */
#define NN_MNIST_CLASSES 10

/** Size of nn_mnist::error, the detail of a failure. */
#define NN_MNIST_ERROR_LEN 256

/** How much to load and how to scale pixels. Fill with nn_mnist_defaults(). */
typedef struct nn_mnist_options {
	size_t max_train; /**< keep at most max_train training samples; NN_ALL (the default)
			       keeps all, 0 none */
	size_t max_test;  /**< keep at most max_test test samples; NN_ALL (the default) keeps
			       all, 0 none */
	double scale;     /**< divisor of pixel bytes: 255 (default, pixels in [0, 1]) or 256
			       (pixels in [0, 255/256], exactly as mnist.pkl.gz stores them);
			       any finite value > 0. Float arrays of a pickle are kept as stored. */
	size_t first_train; /**< skip the first first_train training samples, so that the
				 training set kept is [first_train, first_train + max_train):
				 one rank's shard in distributed training (nn/mpi.h). IDX files
				 are read past the skipped images without keeping them; a
				 shard beyond the end, or of max_train 0, is empty
				 (0 columns, data NULL). Default 0 */
} nn_mnist_options;

/** A loaded data set; every field is owned. Free with nn_mnist_free(). */
typedef struct nn_mnist {
	nn_matrix train_x; /**< (rows * cols) x N_train images, one per column */
	nn_labels train_y; /**< N_train labels in [0, NN_MNIST_CLASSES) */
	nn_matrix test_x;  /**< (rows * cols) x N_test images, one per column */
	nn_labels test_y;  /**< N_test labels in [0, NN_MNIST_CLASSES) */
	size_t rows;       /**< image height (28); a pickle holds flat images: the square
			        root of their length when it is a square, else the length */
	size_t cols;       /**< image width (28); 1 for a flat image that is not a square */
	char error[NN_MNIST_ERROR_LEN]; /**< after a failure, a one-line detail naming the
					     file and the problem; "" after success */
} nn_mnist;

/**
 * The default options: every sample (max_train = max_test = NN_ALL), from
 * the first (first_train 0), pixels / 255.
 * @return the options, to adjust field by field.
 */
NN_EXPORT nn_mnist_options nn_mnist_defaults(void);

/** What a path holds, as nn_mnist_sniff() tells it. */
typedef enum nn_mnist_kind {
	NN_MNIST_DIRECTORY = 1, /**< a directory: nn_mnist_load() looks in it for IDX files */
	NN_MNIST_IDX_IMAGES,    /**< an IDX image file (magic 00 00 08 03), raw or gzip */
	NN_MNIST_IDX_LABELS,    /**< an IDX label file (magic 00 00 08 01), raw or gzip */
	NN_MNIST_PICKLE         /**< a pickle (protocol 2+: 0x80; protocol 0 or 1: an
				     opening opcode such as '('), raw or gzip */
} nn_mnist_kind;

/**
 * Tell what a path holds by what it is and by its content, never by its
 * name: a directory (whatever it is called), or a regular file whose first
 * bytes -- after decompression when it starts with the gzip magic 1f 8b --
 * are an IDX magic number or the start of a pickle. A FIFO is never waited
 * on, a device never opened.
 *
 * @param kind out: what path holds; unchanged on failure.
 * @param path the path.
 * @return 0; NN_ENULL; NN_ENOENT; NN_ENOTFILE (a FIFO, device or socket);
 *         NN_EIO; NN_EGZIP (a corrupt gzip start); NN_ETRUNC (an empty file,
 *         or fewer bytes than an IDX magic); NN_EMAGIC (neither IDX nor a
 *         pickle).
 */
NN_EXPORT int nn_mnist_sniff(nn_mnist_kind *kind, const char *path);

/**
 * Load MNIST (or Fashion-MNIST) from a directory of IDX files or from a
 * mnist.pkl.gz.
 *
 * A directory must hold the four standard files, each raw or gzip-compressed
 * (the name with or without ".gz"): train-images-idx3-ubyte,
 * train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte.
 * Where a standard name is absent, the one file whose name starts with the
 * same prefix ("train-images", ...) and contains the same "idx3-ubyte" or
 * "idx1-ubyte" is used (as in "train-images-first3000-idx3-ubyte.gz").
 *
 * A file is told by its content (nn_mnist_sniff()), not its name: a pickle
 * (gzip or raw) of ((train_x, train_y), (valid_x, valid_y), (test_x, test_y))
 * as the lecture's mnist.pkl.gz holds is loaded (train and test; the
 * validation pair is checked and skipped). A single IDX file is refused with
 * NN_EMAGIC and a detail that says what it is: a data set needs the four
 * files, so give their directory (nn_idx_read_images() and
 * nn_idx_read_labels() read one file each).
 *
 * @param out  out: the data set, free with nn_mnist_free(). It need not be
 *             initialised: its old contents are overwritten, never freed. On
 *             failure every matrix is empty and out->error holds a detail.
 * @param path a directory of IDX files, or a pickle file.
 * @param opt  options; NULL means nn_mnist_defaults().
 * @return 0; NN_ENULL; NN_EINVAL (a bad scale); NN_ENOENT (no such file, or
 *         a standard file missing from the directory); NN_ENOTFILE (a FIFO,
 *         device or socket, also under one of the four names); NN_EIO;
 *         NN_EGZIP; NN_EMAGIC (an IDX file alone, or neither IDX nor a
 *         pickle); NN_ESIZE (also: a gzip stream that inflates like a
 *         decompression bomb, or a pickle beyond its memory budget);
 *         NN_ETRUNC; NN_EFORMAT; NN_EMISMATCH (image and label counts
 *         differ, or train and test image sizes differ); NN_ELABEL; NN_EPICKLE (an opcode, global or object the
 *         pickle reader does not model); NN_ESTACK (an unbalanced pickle
 *         stack or mark); NN_EVERSION (pickle protocol > 5); NN_ENONFINITE
 *         (a NaN or Inf pixel in a pickle); NN_ENOMEM. doc/mnist.md lists
 *         which problem gives which code.
 */
NN_EXPORT int nn_mnist_load(nn_mnist *out, const char *path, const nn_mnist_options *opt);

/**
 * Free every matrix of a data set and reset it to empty; NULL is a no-op.
 */
NN_EXPORT void nn_mnist_free(nn_mnist *m);

/**
 * Read an IDX image file (magic 0x00000803: count, rows, cols, then one
 * unsigned byte per pixel), gzip-compressed or raw.
 *
 * The whole file is checked (its length must be exactly what the header
 * announces), but only the first max images are kept.
 *
 * @param X     out: (rows * cols) x n images, n = min(max, count), pixel
 *              byte / scale; free with nn_matrix_free(). Empty on failure.
 * @param path  the file.
 * @param max   keep at most this many images: NN_ALL keeps all, 0 none (an
 *              empty matrix: 0 columns, data NULL).
 * @param scale divisor of each pixel byte (255 or 256), finite and > 0.
 * @return 0, NN_ENULL, NN_EINVAL, NN_ENOENT, NN_EIO, NN_EGZIP, NN_EMAGIC,
 *         NN_ESIZE, NN_ETRUNC, NN_EFORMAT (bytes after the data) or NN_ENOMEM.
 */
NN_EXPORT int nn_idx_read_images(nn_matrix *X, const char *path, size_t max, double scale);

/**
 * Read an IDX label file (magic 0x00000801: count, then one byte per label),
 * gzip-compressed or raw. Every label of the file must be < NN_MNIST_CLASSES.
 *
 * @param y    out: n = min(max, count) labels; free with nn_labels_free().
 *             Empty on failure.
 * @param path the file.
 * @param max  keep at most this many labels: NN_ALL keeps all, 0 none.
 * @return 0, NN_ENULL, NN_ENOENT, NN_EIO, NN_EGZIP, NN_EMAGIC, NN_ESIZE,
 *         NN_ETRUNC, NN_EFORMAT, NN_ELABEL or NN_ENOMEM.
 */
NN_EXPORT int nn_idx_read_labels(nn_labels *y, const char *path, size_t max);

/**
 * Read a pickled MNIST file such as the lecture's mnist.pkl.gz: what
 * nn_mnist_load() does for a path that is not a directory.
 *
 * Python 2's cPickle (protocols 0, 1, 2) and Python 3's pickle (protocols
 * 2 to 5) of numpy arrays of dtype f4, f8, i4, i8 or u1 are read; anything
 * else is refused with NN_EPICKLE.
 *
 * @param out  out: as for nn_mnist_load().
 * @param path the pickle, gzip-compressed or raw.
 * @param opt  options; NULL means nn_mnist_defaults().
 * @return as for nn_mnist_load().
 */
NN_EXPORT int nn_pickle_read_mnist(nn_mnist *out, const char *path, const nn_mnist_options *opt);

#ifdef __cplusplus
}
#endif

#endif /* NN_MNIST_H */
