/**
 * @file train.h
 * @brief Full-batch gradient descent, as the lecture's first_network and second_network.
 *
 * Each step differentiates the current forward pass, updates
 * W -= eta dC/dW and b -= eta dC/db, runs the forward pass again and scores
 * the training accuracy; the best model so far (a strictly higher score) is
 * kept as a deep copy. The forward pass that scores step i is the one step
 * i + 1 differentiates, and a step allocates nothing.
 */
#ifndef NN_TRAIN_H
#define NN_TRAIN_H

#include <stddef.h>

#include "common.h"
#include "matrix.h"
#include "net.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Progress report, called after step `step` (0-based) when step % every == 0.
 * @param user     the options' user pointer.
 * @param step     the step just taken.
 * @param best     best training accuracy so far, a fraction in [0, 1].
 * @param cost     the cost after this step's update.
 * @return 0 to go on, non-zero to stop training early (not an error).
 */
typedef int (*nn_train_callback)(void *user, size_t step, double best, double cost);

/**
 * Sum buf[0..n) over all the processes of a distributed run, in place
 * (an MPI_Allreduce; see nn/mpi.h). Every process calls it at the same
 * points with the same n.
 * @return 0, or a negative NN_E code that stops training on this process.
 */
typedef int (*nn_train_reduce)(void *user, double *buf, size_t n);

/**
 * How the first layer reads its input X (n_0 x N).
 *
 * The sparse path stores X once per run in compressed form -- its non-zeros
 * by sample (for Z_1 = W_1 X) and by input feature (for dW_1 = D_1 X^T), 12
 * bytes per non-zero in each -- and computes those two products with
 * sparse x dense kernels instead of dgemm. On MNIST (19 % of the pixels are
 * non-zero) they are several times faster than dgemm; on dense data they
 * are slower. The result equals the dense path's up to rounding: each
 * output is the same sum without its zero terms (doc/performance.md).
 * The copies are taken when the mode is set: X must not change while the
 * sparse path is in use (full-batch training never changes it).
 */
typedef enum nn_input_mode {
	NN_INPUT_AUTO = 0, /**< sparse when X's density is at most nn_input_threshold() */
	NN_INPUT_DENSE,    /**< dgemm on X */
	NN_INPUT_SPARSE,   /**< the compressed copies, whatever the density */
	NN_INPUT_COUNT_    /**< number of modes; not a mode */
} nn_input_mode;

/**
 * The density (fraction of non-zero entries of X) at or below which
 * NN_INPUT_AUTO takes the sparse path, for the kernels this CPU runs (AVX2
 * or portable): where the bench measured the sparse products to beat dgemm
 * with a margin (doc/performance.md).
 */
NN_EXPORT double nn_input_threshold(void);

/** Options of nn_train_gd(). */
typedef struct nn_train_options {
	double eta;                  /**< step size, finite and > 0 */
	size_t steps;                /**< number of steps, >= 1 */
	size_t every;                /**< report interval in steps; 0: no reports */
	nn_train_callback callback;  /**< called every `every` steps; may be NULL */
	void *user;                  /**< handed to callback */
	nn_train_reduce reduce;      /**< NULL for one process; else X and y are this process's
					  shard (possibly empty) and each step sums one buffer --
					  the gradient, the cost, the score and the sample count --
					  over all processes, so every process takes the same steps */
	void *reduce_user;           /**< handed to reduce */
	nn_input_mode input;         /**< how the first layer reads X; 0 is NN_INPUT_AUTO */
	size_t threads;              /**< threads of nn's sparse kernels; 0: as many as the BLAS
					  runs (OpenBLAS's count, else 1), so one thread runtime is
					  busy at a time */
} nn_train_options;

/** What a training run found. */
typedef struct nn_train_result {
	size_t steps_run;     /**< steps taken (fewer than asked when stopped or diverged) */
	size_t best_step;     /**< step whose model scored best */
	size_t best_correct;  /**< correct training predictions of the best model */
	double best_accuracy; /**< best_correct / number of samples */
	double best_cost;     /**< cost of the best model */
	double last_cost;     /**< cost after the last step */
} nn_train_result;

/** A gradient-descent run in progress (opaque): all its memory, allocated once. */
typedef struct nn_gd nn_gd;

/**
 * Prepare a run: validates X and y, allocates activations, deltas,
 * gradient and the best copy, counts X's non-zeros and, when X is sparse
 * enough (NN_INPUT_AUTO), builds its compressed copies, then runs the
 * first forward pass.
 * X and y are borrowed and must outlive the run; net is borrowed and
 * updated in place by nn_gd_step().
 * @param gd out: the run; free with nn_gd_free().
 * @return 0, NN_ENULL, NN_EINVAL (eta), NN_ESHAPE, NN_ENONFINITE, NN_ELABEL or NN_ENOMEM.
 */
NN_EXPORT int nn_gd_new(nn_gd **gd, nn_net *net, const nn_matrix *X, const nn_labels *y,
			double eta);

/**
 * Choose how the first layer reads X from the next step on; nn_gd_new()
 * starts with NN_INPUT_AUTO. Building the compressed copies takes one pass
 * over X (30 ms for 10,000 MNIST images); NN_INPUT_DENSE frees them.
 * The current forward pass stays valid.
 * @return 0, NN_ENULL, NN_EINVAL (not a mode), NN_ESIZE (X has 2^32 rows or
 *         columns or more) or NN_ENOMEM (gd is then unchanged).
 */
NN_EXPORT int nn_gd_set_input(nn_gd *gd, nn_input_mode mode);

/** The path the next step takes: NN_INPUT_DENSE or NN_INPUT_SPARSE. */
NN_EXPORT nn_input_mode nn_gd_input(const nn_gd *gd);

/** The fraction of non-zero entries of X, counted by nn_gd_new(); 0 for an empty shard. */
NN_EXPORT double nn_gd_input_density(const nn_gd *gd);

/**
 * Threads of nn's own kernels (the sparse products; the BLAS keeps its
 * own setting). nn_gd_new() takes as many as the BLAS runs.
 * @param threads 1 or more; 0: as many as the BLAS runs.
 * @return 0, NN_ENULL or NN_ENOMEM (gd is then unchanged).
 */
NN_EXPORT int nn_gd_set_threads(nn_gd *gd, size_t threads);

/** Free a run; the network it trained is left as it is. NULL is a no-op. */
NN_EXPORT void nn_gd_free(nn_gd *gd);

/**
 * One step: backward from the current forward pass, update, forward, score,
 * keep the best. Allocates nothing.
 * @return 0, NN_ENULL, or NN_EDIVERGED when the cost became NaN or Inf.
 */
NN_EXPORT int nn_gd_step(nn_gd *gd);

/** Steps taken, best step, best score and costs so far. */
NN_EXPORT void nn_gd_result(const nn_gd *gd, nn_train_result *res);

/** The best model so far (a copy owned by gd, valid until nn_gd_free()). */
NN_EXPORT const nn_net *nn_gd_best(const nn_gd *gd);

/**
 * Train net by full-batch gradient descent and hand back the best model:
 * on return net holds the parameters of the best step.
 * With opt->reduce set, the score of each step's model is known only after
 * the next step's reduction, so the callback for step i runs during step
 * i + 1 (the values it receives are those of one process training on the
 * whole set, up to the order of summation).
 * @param res out (may be NULL): what the run found.
 * @return 0, an error of nn_gd_new() or of reduce, NN_EPEER (with reduce: another
 *         process's shard failed its checks; every process returns at once),
 *         NN_EINVAL (with reduce: every shard is empty), or NN_EDIVERGED (net
 *         still holds the best model found before the divergence, the initial
 *         weights if it diverged at the first step).
 */
NN_EXPORT int nn_train_gd(nn_net *net, const nn_matrix *X, const nn_labels *y,
			  const nn_train_options *opt, nn_train_result *res);

#ifdef __cplusplus
}
#endif

#endif /* NN_TRAIN_H */
