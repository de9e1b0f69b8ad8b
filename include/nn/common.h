/**
 * @file common.h
 * @brief Export marker and error codes shared by every nn module.
 *
 * Every function of nn that can fail returns 0 on success or one of the
 * negative NN_E codes below; nn_strerror() turns a code into a message.
 */
#ifndef NN_COMMON_H
#define NN_COMMON_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * "No limit" for a count of items to keep (nn_mnist_options::max_train,
 * nn_idx_read_images()'s max, ...). A count is always a count: 0 keeps
 * nothing, so that an empty share -- a rank of a distributed run whose part
 * of the data is empty -- stays empty.
 */
#define NN_ALL SIZE_MAX

/** Marks a public function: default visibility while libnn is built, nothing for users. */
#if defined(NN_BUILDING_LIBRARY) && defined(__GNUC__)
#define NN_EXPORT __attribute__((visibility("default")))
#else
#define NN_EXPORT
#endif

/** Error codes. Success is 0; every failure is negative. */
enum nn_error {
	NN_OK = 0,
	NN_EINVAL = -1,      /**< an argument is out of range (a size of 0, eta <= 0, a bad option) */
	NN_ENOMEM = -2,      /**< memory allocation failed */
	NN_ESHAPE = -3,      /**< matrix shapes do not agree */
	NN_ENULL = -4,       /**< a required pointer is NULL */
	NN_ENONFINITE = -5,  /**< an input holds NaN or Inf */
	NN_ELABEL = -6,      /**< a label is outside [0, number of classes) */
	NN_EDIVERGED = -7,   /**< training diverged: the cost became NaN or Inf */
	NN_EIO = -8,         /**< a read or write failed */
	NN_ENOENT = -9,      /**< a file or directory does not exist */
	NN_EMAGIC = -10,     /**< a file does not start with the expected magic number */
	NN_ETRUNC = -11,     /**< a file ends before the data its header announces */
	NN_ESIZE = -12,      /**< a size in a file is zero, absurd or overflows */
	NN_EMISMATCH = -13,  /**< two inputs that must agree do not (image and label counts) */
	NN_EGZIP = -14,      /**< a gzip stream is corrupt */
	NN_EFORMAT = -15,    /**< a file is malformed in a way the other codes do not name */
	NN_EPICKLE = -16,    /**< a pickle uses an opcode, global or object nn does not read */
	NN_ESTACK = -17,     /**< a pickle's stack or mark is unbalanced */
	NN_EVERSION = -18,   /**< a file's format version is unknown */
	NN_ECHECKSUM = -19,  /**< a file's checksum does not match its contents */
	NN_EPEER = -20,      /**< another process of a distributed run failed */
	NN_ENOTFILE = -21,   /**< a path is not a regular file (a directory, FIFO, socket or
				  device) where a file is read, or not a directory where one
				  is expected */
};

/**
 * A message for an error code.
 * @param code 0 or a negative NN_E code.
 * @return a static string; never NULL, never to be freed.
 */
NN_EXPORT const char *nn_strerror(int code);

/**
 * The detail of the last error of this thread, when the failing function
 * said more than its code: which argument and why ("X has 3 rows, the
 * network's input layer has 4", "test_size 0.5 of 1 sample leaves no
 * training sample"). Read it right after a call returned an error; a call
 * that fails without a detail leaves "" (never a stale detail).
 * @return a string owned by nn, valid until this thread's next nn call; never NULL.
 */
NN_EXPORT const char *nn_last_error(void);

/**
 * The detail of the last error if there is one, else nn_strerror(code):
 * what a program prints after a failed call.
 */
NN_EXPORT const char *nn_error_message(int code);

#ifdef __cplusplus
}
#endif

#endif /* NN_COMMON_H */
