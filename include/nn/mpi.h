/**
 * @file mpi.h
 * @brief Data-parallel training over MPI (libnn-mpi; `pkg-config nn-mpi`).
 *
 * Installed only when nn is built with the `mpi` feature. Each rank holds
 * its own shard of the training set -- nn_mpi_shard() says which columns --
 * and nn_mpi_train_gd() runs the lecture's full-batch gradient descent on
 * it: every step computes the local gradient with the usual dgemm calls and
 * sums gradient, cost, score and sample count over all ranks with ONE
 * MPI_Allreduce over one contiguous buffer, so every rank takes the same
 * step and ends with the same, global, best model.
 */
#ifndef NN_MPI_H
#define NN_MPI_H

#include <mpi.h>
#include <stddef.h>

#include "common.h"
#include "fit.h"
#include "matrix.h"
#include "net.h"
#include "train.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The contiguous block of n samples that this rank holds: the first
 * n % size ranks get one sample more than the others, so shards differ by
 * at most one and a rank may hold none (n < size).
 * @param begin out: index of the rank's first sample.
 * @param count out: number of samples, possibly 0.
 * @param n     the samples over all ranks.
 * @param comm  the ranks sharing them.
 * @return 0, NN_ENULL or NN_EIO (an MPI call failed).
 */
NN_EXPORT int nn_mpi_shard(size_t *begin, size_t *count, size_t n, MPI_Comm comm);

/**
 * Copy root's parameters to every rank (one MPI_Bcast), so all start from
 * the same weights. Layer sizes must agree.
 * @return 0, NN_ENULL or NN_EIO.
 */
NN_EXPORT int nn_mpi_bcast_params(nn_net *net, int root, MPI_Comm comm);

/**
 * Agree on an outcome: every rank passes its own rc and gets back the same
 * answer -- 0 when all ranks succeeded, else the most negative error code
 * any rank had. Call it after each step that can fail on one
 * rank alone (loading a shard, say), so a failure stops every rank
 * instead of leaving the others waiting in a collective.
 * @return the agreed code, or NN_EIO when MPI itself failed.
 */
NN_EXPORT int nn_mpi_agree(int rc, MPI_Comm comm);

/**
 * Make dist a distributed run over comm for this rank's shard of `cols`
 * samples, for the run objects and nn_fit (nn_fit_options.dist): the
 * reduce hook (one MPI_Allreduce over the run's one buffer), where the
 * shard starts (the shards are contiguous and in rank order, as
 * nn_mpi_shard() makes them) and how many samples there are in all.
 * Collective: every rank calls it, with its own outcome so far in rc, and
 * all agree on failure in the same call.
 * @param dist out: zeroed unless 0 is returned.
 * @param cols this rank's samples (may be 0).
 * @param rc   this rank's outcome so far (0: ready).
 * @param comm the ranks; dist keeps its address, so it must outlive the run.
 * @return 0 when every rank passed 0; else this rank's rc, NN_EPEER (this
 *         rank was ready, another was not) or NN_EIO (MPI failed).
 */
NN_EXPORT int nn_mpi_dist(nn_dist *dist, size_t cols, int rc, MPI_Comm *comm);

/**
 * Full-batch gradient descent on this rank's shard (X, y), summed over comm.
 * Same contract as nn_train_gd(): on return net holds the global best
 * model on every rank; callbacks run on every rank with global figures
 * (print on rank 0 only). Results equal one process training on the
 * concatenated shards up to the order of summation.
 * @return as nn_train_gd(), or NN_EIO when a reduction failed.
 */
NN_EXPORT int nn_mpi_train_gd(nn_net *net, nn_train_result *res, const nn_matrix *X,
			      const nn_labels *y, const nn_train_options *opt, MPI_Comm comm);

/**
 * Mini-batch training (nn_fit) on this rank's shard, summed over comm: each
 * rank draws the same global permutation from rng (seed it alike on every
 * rank), takes the samples of each global batch that it holds, and one
 * MPI_Allreduce per batch sums [gradient, cost, correct], so every rank
 * takes the steps one process would take on the same global batches. The
 * shards must be contiguous and in rank order (nn_mpi_shard). The
 * validation set, if any, is evaluated whole on every rank. Every rank
 * draws the dropout masks of the whole batch, as one process would, and
 * keeps its samples' columns.
 * @return as nn_fit(), NN_EPEER when another rank's shard failed its checks, or
 *         NN_EIO when MPI failed.
 */
NN_EXPORT int nn_mpi_fit(nn_net *net, nn_history *hist, const nn_matrix *X, const nn_labels *y,
			 const nn_fit_options *opt, nn_rng *rng, MPI_Comm comm);

#ifdef __cplusplus
}
#endif

#endif /* NN_MPI_H */
