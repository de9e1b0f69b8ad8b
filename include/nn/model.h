/**
 * @file model.h
 * @brief Save and load a trained network: a small, versioned, checksummed binary file.
 *
 * The format (doc/model-format.md) is little-endian throughout:
 * a magic number, a version, the layer sizes and activations, the float64
 * parameters in nn's own layout, an optional block of training state, and
 * a CRC-32 (zlib's) of everything before it. Files are written to a
 * temporary name in the same directory and renamed, so a failed save never
 * leaves a half-written model behind.
 */
#ifndef NN_MODEL_H
#define NN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "net.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The current format version written by nn_model_save(). */
#define NN_MODEL_VERSION 2u

/**
 * Optional training state saved beside the parameters, so that training
 * can resume exactly (an optimiser's moments and step count).
 */
typedef struct nn_model_state {
	uint32_t kind;       /**< who wrote it (an optimiser's id); 0 = no state */
	uint64_t step;       /**< steps taken so far */
	size_t n;            /**< number of doubles in data */
	const double *data;  /**< the state; borrowed */
} nn_model_state;

/**
 * Save net (and optionally a training state) to path, atomically.
 * @param path  the file written; its directory must exist.
 * @param net   the network saved.
 * @param state may be NULL.
 * @return 0, NN_ENULL, NN_ESIZE (more than 1024 layers or a width above 2^24:
 *         the format's limits), NN_ENONFINITE (a NaN or Inf weight or bias:
 *         refused before anything is written), NN_EIO (cannot create, write
 *         or rename) or NN_ENOMEM.
 */
NN_EXPORT int nn_model_save(const char *path, const nn_net *net, const nn_model_state *state);

/**
 * The bytes nn_model_save() would write, in memory (for a pickle, a
 * database, a socket); nn_model_load_buffer() reads them back.
 * @param buf   out: malloc'd, the caller frees it with free(); NULL on error.
 * @param len   out: its length in bytes.
 * @param net   the network saved.
 * @param state may be NULL.
 * @return as nn_model_save(), without NN_EIO.
 */
NN_EXPORT int nn_model_save_buffer(void **buf, size_t *len, const nn_net *net,
				   const nn_model_state *state);

/**
 * Load a network saved by nn_model_save().
 *
 * The file is read field by field, only as far as its header says it
 * reaches: a file that is not a model fails on its first 8 bytes, and one
 * shorter or longer than its header announces fails before its parameters
 * are read. A FIFO, device or directory is refused without blocking.
 *
 * @param net       out: a new network; free with nn_net_free().
 * @param state     out (may be NULL): the saved training state; free its data
 *                  with nn_model_state_free(); kind 0 when none.
 *                  The state is kept as stored (NaN included).
 * @param path      the file read.
 * @return 0, NN_ENULL, NN_ENOENT, NN_ENOTFILE (not a regular file), NN_EIO,
 *         NN_EMAGIC (not a model file), NN_EVERSION, NN_ESIZE (impossible
 *         sizes), NN_ETRUNC, NN_EFORMAT (trailing bytes, unknown activation),
 *         NN_ECHECKSUM, NN_ENONFINITE (an intact file of NaN or Inf weights or
 *         biases; checked after the checksum) or NN_ENOMEM.
 */
NN_EXPORT int nn_model_load(nn_net **net, nn_model_state *state, const char *path);

/**
 * Free the data of a state that nn_model_load() handed out and reset it to
 * no state; NULL, or a state without data, is a no-op.
 */
NN_EXPORT void nn_model_state_free(nn_model_state *state);

/**
 * nn_model_load() from a buffer in memory (what the fuzz target drives).
 * @return as nn_model_load(), without NN_ENOENT, NN_ENOTFILE and NN_EIO.
 */
NN_EXPORT int nn_model_load_buffer(nn_net **net, nn_model_state *state, const void *buf,
				   size_t len);

#ifdef __cplusplus
}
#endif

#endif /* NN_MODEL_H */
