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

/** What a full-batch run reports after a step (nn_train_callback). */
typedef struct nn_progress {
	size_t step;          /**< the step just taken, 0-based */
	double cost;          /**< the cost after this step's update, summed over the samples */
	size_t best_step;     /**< the step whose model scored best so far (labels: the most
				   correct predictions; values: the lowest cost) */
	size_t best_correct;  /**< correct training predictions of that model */
	size_t samples;       /**< training samples (over all processes of a distributed run) */
	double best_accuracy; /**< best_correct / samples, a fraction in [0, 1] */
} nn_progress;

/**
 * Progress report, called after step p->step when p->step % every == 0.
 * @param user the options' user pointer.
 * @param p    where the run stands; valid during the call.
 * @return 0 to go on, non-zero to stop training early (not an error).
 */
typedef int (*nn_train_callback)(void *user, const nn_progress *p);

/** How a reduction combines the processes' buffers. */
typedef enum nn_reduce_op {
	NN_REDUCE_SUM = 0, /**< element-wise sum */
	NN_REDUCE_MAX      /**< element-wise maximum */
} nn_reduce_op;

/**
 * Combine buf[0..n) over all the processes of a distributed run, in place
 * (an MPI_Allreduce; see nn/mpi.h). Every process calls it at the same
 * points with the same n and op.
 * @return 0, or a negative NN_E code that stops training on this process.
 */
typedef int (*nn_train_reduce)(void *user, double *buf, size_t n, nn_reduce_op op);

/**
 * A distributed run: this process holds one shard of the training set and
 * every step combines one buffer over all processes through `reduce`, so
 * that every process takes the same step. nn/mpi.h fills it for MPI; a
 * zeroed nn_dist (reduce NULL) is one process on the whole set.
 *
 * Before the first step the processes check that they agree: on their
 * shards' validity, on the network (layer sizes, activations, cost and the
 * initial parameters) and on the run's settings (step size, steps, epochs,
 * batch size, optimiser, ...); any disagreement is NN_EPEER on every
 * process, before a process could wait for a collective the others never
 * reach. A callback that stops the run on one process stops it on all at
 * the same step.
 */
typedef struct nn_dist {
	nn_train_reduce reduce; /**< NULL for one process */
	void *user;             /**< handed to reduce */
	size_t shard_first;     /**< mini-batch runs (nn_fit): global index of this shard's first
				     sample; the shards are contiguous and in process order */
	size_t shard_total;     /**< mini-batch runs: samples over all processes */
} nn_dist;

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
 * NN_INPUT_AUTO takes the sparse path, for the kernels this CPU runs
 * (portable 0.15, AVX2 0.40, AVX-512 0.50): where the bench measured the
 * sparse products to beat dgemm with a margin (doc/performance.md). A fixed
 * table per family, so that the same run always takes the same path.
 */
NN_EXPORT double nn_input_threshold(void);

/** Options of nn_train_gd(); start from nn_train_defaults(). */
typedef struct nn_train_options {
	double eta;                  /**< step size, finite and > 0; default 0.005 (the lecture's
					  second example) */
	size_t steps;                /**< number of steps, >= 1; default 10000 */
	size_t every;                /**< report interval in steps; 0 (default): no reports */
	nn_train_callback callback;  /**< called every `every` steps; may be NULL */
	void *user;                  /**< handed to callback */
	nn_input_mode input;         /**< how the first layer reads X; default NN_INPUT_AUTO */
	size_t threads;              /**< threads of nn's sparse kernels; 0 (default): as many as
					  the BLAS runs (OpenBLAS's count, else 1), so one thread
					  runtime is busy at a time */
	nn_dist dist;                /**< a distributed run: X and y are this process's shard
					  (possibly empty); zeroed (default): one process */
} nn_train_options;

/** The defaults listed in nn_train_options. */
NN_EXPORT nn_train_options nn_train_defaults(void);

/** What a training run found. */
typedef struct nn_train_result {
	size_t steps_run;     /**< steps taken (fewer than asked when stopped or diverged) */
	size_t best_step;     /**< step whose model scored best (labels: the most correct
				   predictions; values: the lowest cost) */
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
 * @param gd  out: the run; free with nn_gd_free().
 * @param net the network trained, in place.
 * @param X   the training inputs, n_0 x N.
 * @param y   N labels, each a class of the output layer.
 * @param eta step size, finite and > 0.
 * @return 0, NN_ENULL, NN_EINVAL (eta), NN_ESHAPE, NN_ENONFINITE, NN_ELABEL or NN_ENOMEM.
 */
NN_EXPORT int nn_gd_new(nn_gd **gd, nn_net *net, const nn_matrix *X, const nn_labels *y,
			double eta);

/**
 * nn_gd_new() for real-valued targets: Y (sizes[L] x N) instead of labels
 * (a regression, or several 0/1 outputs with the binary cross-entropy).
 * The best model is then the one of the lowest cost.
 * @return as nn_gd_new(), or NN_EINVAL (values the cost cannot take: see
 *         nn_evaluate_values()).
 */
NN_EXPORT int nn_gd_new_values(nn_gd **gd, nn_net *net, const nn_matrix *X, const nn_matrix *Y,
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
 * @param gd      the run.
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
 * With opt->dist set, the score of each step's model is known only after
 * the next step's reduction, so the callback for step i runs during step
 * i + 1 (the values it receives are those of one process training on the
 * whole set, up to the order of summation).
 * @param net the network: its initial weights on entry, the best model on return.
 * @param res out (may be NULL): what the run found.
 * @param X   the training inputs, n_0 x N (distributed: this process's shard).
 * @param y   N labels, each a class of the output layer.
 * @param opt the options; NULL means nn_train_defaults().
 * @return 0, an error of nn_gd_new() or of reduce, NN_EPEER (distributed: another
 *         process's shard failed its checks, or the processes disagree on the
 *         network or the settings; every process returns at once), NN_EINVAL
 *         (steps = 0; distributed: every shard is empty), or NN_EDIVERGED (net
 *         still holds the best model found before the divergence, the initial
 *         weights if it diverged at the first step: the lecture scores the
 *         model after each update, so the initial weights are never scored
 *         and res then has best_correct 0; score net yourself if you need
 *         its accuracy, as the programs do).
 */
NN_EXPORT int nn_train_gd(nn_net *net, nn_train_result *res, const nn_matrix *X,
			  const nn_labels *y, const nn_train_options *opt);

/**
 * nn_train_gd() for real-valued targets Y (sizes[L] x N): the best model is
 * the one of the lowest cost (best_correct and best_accuracy are 0), and
 * the network's task becomes NN_TASK_REGRESS.
 * @return as nn_train_gd().
 */
NN_EXPORT int nn_train_gd_values(nn_net *net, nn_train_result *res, const nn_matrix *X,
				 const nn_matrix *Y, const nn_train_options *opt);

#ifdef __cplusplus
}
#endif

#endif /* NN_TRAIN_H */
