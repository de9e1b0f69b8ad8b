/* Small helpers shared by the core test suites. */
#ifndef NN_TEST_UTIL_H
#define NN_TEST_UTIL_H

#include <pthread.h>
#include <stddef.h>

#include "nn/nn.h"

/* Largest |a - b| / max(|a|, |b|, floor) over n pairs. */
double tu_max_rel_err(const double *a, const double *b, size_t n, double floor);

/* Fill m with uniform values in [lo, hi) from rng. */
void tu_fill_uniform(nn_matrix *m, nn_rng *rng, double lo, double hi);

/* Random labels valid for an output layer of width k (k == 1: 0 or 1). */
void tu_fill_labels(nn_labels *y, nn_rng *rng, size_t k);

/* A new directory /tmp/nn-<tag>-XXXXXX for a test's files (0, or -1 with
 * errno), and its removal with everything in it. */
#define TU_TMPDIR_LEN 64
int tu_tmpdir_new(char dir[TU_TMPDIR_LEN], const char *tag);
void tu_tmpdir_remove(const char *dir);

#endif

/*
 * Threads standing in for the processes of a distributed run: each member's
 * reduce hook (tu_thread_sum, user = a struct whose first members are those
 * of tu_member) sums (or takes the maximum of) the members' buffers behind a
 * barrier, in rank order.
 */
#define TU_MAX_RANKS 3
struct tu_group {
	pthread_barrier_t bar;
	double *slot[TU_MAX_RANKS];
	size_t n;
	int ranks;
};
struct tu_member {
	struct tu_group *g;
	int id;
};
int tu_thread_sum(void *user, double *buf, size_t n, nn_reduce_op op);

/* Allocations made by code linked into the test program (libnn.a included),
 * counted through the linker's --wrap of malloc, calloc and realloc. */
extern unsigned long tu_alloc_count;
/* The bytes those calls asked for, added up (a realloc counts its new size):
 * an upper bound of the peak memory of the code between two readings. */
extern unsigned long long tu_alloc_bytes;

/*
 * Interrupt a call that blocks -- open() of a FIFO without a writer, a read
 * -- after `seconds`: SIGALRM is caught without SA_RESTART, so the call fails
 * with EINTR and the test fails instead of hanging the suite.
 * tu_alarm_stop() disarms it and restores the default action.
 */
void tu_alarm_start(unsigned seconds);
void tu_alarm_stop(void);
