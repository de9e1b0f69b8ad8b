/*
 * Distributed runs of the lecture programs: `mpirun -np R nn-mnist ...`.
 *
 * Built with MPI (libnn-mpi), a program launched by mpirun trains
 * data-parallel: each rank keeps only its shard of the training set, the
 * gradient is summed with one MPI_Allreduce per step, and rank 0 alone
 * prints and writes files. Built without MPI, or started without mpirun,
 * everything here is the single-process identity.
 */
#ifndef NN_EXAMPLES_DIST_H
#define NN_EXAMPLES_DIST_H

#include <stddef.h>
#include <stdint.h>

#include <nn/nn.h>

struct ex_dist {
	int rank; /* 0 when not distributed */
	int size; /* 1 when not distributed */
};

/* The run's context: set by ex_dist_init, read by everything else. */
extern struct ex_dist ex_dist;

/*
 * Start MPI when the program was launched by mpirun (and built with MPI);
 * on ranks other than 0, stdout goes to /dev/null so that only rank 0
 * prints. Returns 0, or -1 when MPI could not start.
 */
int ex_dist_init(int *argc, char ***argv);

/* Finish MPI, if it was started. */
void ex_dist_finalize(void);

/* 1 on the rank that prints and writes files. */
int ex_dist_root(void);

/* This rank's contiguous share [*first, *first + *count) of n samples. */
void ex_dist_shard(size_t n, size_t *first, size_t *count);

/* Rank 0's seed, on every rank (a clock seed differs from rank to rank). */
uint32_t ex_dist_seed(uint32_t seed);

/* Every rank's rc agreed: 0 when all succeeded, else the most negative. */
int ex_dist_agree(int rc);

/* nn_train_gd on this rank's shard, summed over the ranks. */
int ex_dist_train_gd(nn_net *net, const nn_matrix *X, const nn_labels *y,
		     const nn_train_options *opt, nn_train_result *res);

#endif
