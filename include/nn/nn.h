/**
 * @file nn.h
 * @brief The one header users include: nn, neural networks on BLAS.
 */
/**
 * @mainpage nn: neural networks on BLAS
 *
 * nn is a small C library for fully-connected neural networks: every
 * product of a forward or backward pass is one `cblas_dgemm` over the whole
 * batch, and the data sets, splits and initial weights equal scikit-learn's
 * and numpy's for the same seed. Programs include one header and link
 * through pkg-config:
 *
 *     #include <nn/nn.h>
 *     cc prog.c $(pkg-config --cflags --libs nn)
 *
 * The modules, one header each, all included by nn.h:
 *
 * - common.h: the NN_E error codes, nn_strerror() and nn_error_message()
 * - version.h: the version compiled against, and nn_version()
 * - matrix.h: nn_matrix (column-major, views) and nn_labels
 * - random.h: nn_rng, numpy's legacy RandomState
 * - net.h: nn_net, the forward and backward passes, prediction
 * - train.h: full-batch gradient descent, as the lecture trains (nn_train_gd())
 * - optim.h: the optimisers, SGD, momentum, Nesterov and Adam (nn_optim)
 * - fit.h: mini-batch training (nn_fit(), or epoch by epoch with nn_fitter)
 * - model.h: model files (nn_model_save(), nn_model_load())
 * - datasets.h: scikit-learn's make_blobs, make_circles, make_moons,
 *   make_classification and train_test_split
 * - mnist.h: MNIST as IDX files or mnist.pkl.gz
 * - table.h: your own data, CSV/TSV text or numpy .npy (nn_table_read())
 * - mpi.h: data-parallel training (libnn-mpi, `pkg-config nn-mpi`; not
 *   included by nn.h)
 *
 * Conventions: a batch is one sample per column of a column-major matrix
 * (X is n_in x N, W is n_out x n_in). Functions take their outputs first,
 * then inputs, then sizes, and return 0 or a negative NN_E code; objects
 * come back through out-parameters, and every nn_x_new() has an nn_x_free()
 * for which NULL is a no-op. Nothing in the library prints or exits.
 *
 * Beyond this reference: the man pages nn(3), nn-mnist(1), nn-example1(1),
 * nn-example2(1), nn-data(1), nn-train(1) and nn-predict(1), and the guides
 * in the source tree's doc/ (tutorial.md first: whole programs on your own
 * data; design.md, conventions.md, toolkit.md, datasets.md, mnist.md,
 * table.md, model-format.md, mpi.md, performance.md).
 */
#ifndef NN_NN_H
#define NN_NN_H

#include "common.h"
#include "matrix.h"
#include "random.h"
#include "net.h"
#include "train.h"
#include "model.h"
#include "optim.h"
#include "fit.h"
#include "datasets.h"
#include "mnist.h"
#include "table.h"
/* generated into the build tree from version.h.in: see version.h */
#include "nn/version.h"

#endif /* NN_NN_H */
