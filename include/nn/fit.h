/**
 * @file fit.h
 * @brief Beyond the lecture: mini-batch training with the usual optimisers,
 *        schedules, L2, a validation split and early stopping.
 *
 * nn_fit() trains for a number of epochs. Each epoch reshuffles the
 * samples with the numpy-compatible rng (`permutation(N)`), cuts them into
 * batches of batch_size columns (the last one may be smaller: it runs the
 * same dgemm calls on fewer columns), and for each batch runs forward,
 * backward and one optimiser update. The gradient is the MEAN over the
 * batch (the lecture's nn_train_gd uses the SUM; see doc/conventions.md).
 * Every buffer is allocated before the first epoch; a step allocates nothing.
 */
#ifndef NN_FIT_H
#define NN_FIT_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "matrix.h"
#include "model.h"
#include "net.h"
#include "random.h"
#include "train.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The update rule. g is the batch-mean gradient plus l2 * W (weights only). */
typedef enum nn_optimizer {
	NN_OPT_SGD = 1,      /**< w -= eta g */
	NN_OPT_MOMENTUM,     /**< u = mu u + g; w -= eta u */
	NN_OPT_NESTEROV,     /**< u = mu u + g; w -= eta (g + mu u) */
	NN_OPT_ADAM,         /**< Kingma & Ba, with bias correction */
	NN_OPT_COUNT_        /**< not an optimiser */
} nn_optimizer;

/** How eta changes with the epoch e (0-based). */
typedef enum nn_schedule {
	NN_SCHEDULE_CONSTANT = 0, /**< eta */
	NN_SCHEDULE_STEP,         /**< eta * gamma^floor(e / step_epochs) */
	NN_SCHEDULE_EXPONENTIAL,  /**< eta * gamma^e */
	NN_SCHEDULE_COSINE,       /**< eta_min + (eta - eta_min) (1 + cos(pi e / epochs)) / 2: it
				       approaches eta_min, reached one epoch after the last (as
				       PyTorch's CosineAnnealingLR with T_max = epochs) */
	NN_SCHEDULE_COUNT_        /**< not a schedule */
} nn_schedule;

/** What one epoch measured. Costs are means per sample. */
typedef struct nn_epoch_stats {
	size_t epoch;          /**< 0-based */
	double seconds;        /**< wall time of the epoch's training (without validation) */
	double eta;            /**< the step size used in this epoch */
	double train_cost;     /**< mean cost over the epoch's batches, as trained (dropout on) */
	double train_accuracy; /**< fraction right over the epoch's batches, as trained */
	double val_cost;       /**< mean cost on the validation set after the epoch; NaN without one */
	double val_accuracy;   /**< accuracy on the validation set; NaN without one */
} nn_epoch_stats;

/** Called after each epoch; return non-zero to stop (not an error). */
typedef int (*nn_epoch_callback)(void *user, const nn_epoch_stats *e);

/** An optimiser with its state (opaque): velocities, moments, step count. */
typedef struct nn_optim nn_optim;

/** Options of nn_fit(); start from nn_fit_defaults(). */
typedef struct nn_fit_options {
	nn_optimizer optimizer;   /**< default NN_OPT_SGD */
	double eta;               /**< base step size, finite and > 0; default 0.1 */
	double momentum;          /**< mu for MOMENTUM and NESTEROV, in [0, 1); default 0.9 */
	double beta1, beta2;      /**< Adam's decay rates, in [0, 1); default 0.9, 0.999 */
	double epsilon;           /**< Adam's epsilon, > 0; default 1e-8 */
	nn_schedule schedule;     /**< default NN_SCHEDULE_CONSTANT */
	size_t step_epochs;       /**< STEP: epochs between decays; default 10 */
	double gamma;             /**< STEP and EXPONENTIAL decay factor, in (0, 1]; default 0.5 */
	double eta_min;           /**< COSINE: the step size approached, in [0, eta]; default 0 */
	size_t batch_size;        /**< columns per batch; 0 or >= N: full batch; default 32 */
	size_t epochs;            /**< >= 1; default 10 */
	int shuffle;              /**< reshuffle every epoch (default 1) */
	double l2;                /**< L2 strength lam >= 0, on weights only: g += lam W; default 0 */
	double dropout;           /**< probability of dropping a hidden unit in training, in [0, 1); default 0 */
	const nn_matrix *val_x;   /**< validation inputs, or NULL; borrowed for the call */
	const nn_labels *val_y;   /**< validation labels, with val_x */
	size_t patience;          /**< with validation: stop after this many epochs without a lower
				       validation cost, and at the end restore the weights of the
				       lowest validation cost; 0: no early stopping, and the last
				       epoch's weights are kept (validation is only reported) */
	nn_optim *optim;          /**< NULL: a fresh optimiser made from the fields above; else
				       this one, borrowed and UPDATED (its state carries over, to
				       resume training exactly); its own optimizer, momentum,
				       betas, epsilon and l2 then apply, not the fields above */
	nn_epoch_callback callback; /**< after every epoch; may be NULL */
	void *user;               /**< handed to callback */
	nn_train_reduce reduce;   /**< NULL for one process; else a distributed run (see
				       nn_mpi_fit): X and y are this process's shard -- samples
				       [shard_first, shard_first + X->cols) of shard_total -- and
				       each batch sums [gradient, cost, correct] over processes
				       with one call, so every process takes the steps one
				       process would take on the same global batches; dropout
				       is not distributed (NN_EINVAL) */
	void *reduce_user;        /**< handed to reduce */
	size_t shard_first;       /**< with reduce: global index of this shard's first sample */
	size_t shard_total;       /**< with reduce: samples over all processes */
} nn_fit_options;

/** Every epoch's statistics. */
typedef struct nn_history {
	size_t n;                /**< epochs run */
	nn_epoch_stats *epochs;  /**< n entries; free with nn_history_free() */
	size_t best_epoch;       /**< epoch whose weights net holds at the end: with patience, the
				      lowest validation cost; else the last epoch; after
				      NN_EDIVERGED the one before the diverging epoch (0 when the
				      first epoch diverged and net holds its initial weights) */
	int stopped_early;       /**< 1 when patience ran out */
} nn_history;

/** The defaults listed in nn_fit_options. */
NN_EXPORT nn_fit_options nn_fit_defaults(void);

/**
 * Train net on (X, y) by mini-batch gradient descent.
 * @param hist out (may be NULL): every epoch's statistics; free with nn_history_free().
 * @param rng  the shuffles and dropout masks are drawn from it; may be NULL when
 *             shuffle is 0 and dropout is 0.
 * @return 0, NN_ENULL, NN_EINVAL (an option out of range), NN_ESHAPE (also: opt->optim
 *         made for other layer sizes), NN_ENONFINITE, NN_ELABEL, NN_ENOMEM,
 *         NN_EPEER (with reduce: another process's shard failed its checks), or
 *         NN_EDIVERGED (net holds the weights from before the diverging epoch).
 */
NN_EXPORT int nn_fit(nn_net *net, nn_history *hist, const nn_matrix *X, const nn_labels *y,
		     const nn_fit_options *opt, nn_rng *rng);

/** Free a history's epochs and reset it; NULL is a no-op. */
NN_EXPORT void nn_history_free(nn_history *hist);

/**
 * Write a history as CSV (epoch,seconds,eta,train_cost,train_accuracy,val_cost,val_accuracy),
 * through a temporary file renamed into place.
 * @return 0, NN_ENULL or NN_EIO.
 */
NN_EXPORT int nn_history_write_csv(const char *path, const nn_history *hist);

/**
 * Create an optimiser for networks of net's sizes, with opt's optimizer,
 * momentum, betas, epsilon and l2.
 * @param o out: free with nn_optim_free().
 * @return 0, NN_ENULL, NN_EINVAL or NN_ENOMEM.
 */
NN_EXPORT int nn_optim_new(nn_optim **o, const nn_net *net, const nn_fit_options *opt);

/** Free an optimiser; NULL is a no-op. */
NN_EXPORT void nn_optim_free(nn_optim *o);

/**
 * One update of net from grad: g = scale * grad + l2 * W, then the rule.
 * @return 0, NN_ENULL or NN_ESHAPE (net or grad is not of the layer sizes o
 *         was made for).
 */
NN_EXPORT int nn_optim_step(nn_optim *o, nn_net *net, const nn_net *grad, double eta,
			    double scale);

/**
 * The optimiser's state as a model-file block (kind = the nn_optimizer,
 * step = updates taken, data = velocities or moments), borrowed from o:
 * valid until the next nn_optim_step() or nn_optim_free().
 * @return 0 or NN_ENULL.
 */
NN_EXPORT int nn_optim_state(nn_model_state *state, const nn_optim *o);

/**
 * Restore a state saved from nn_optim_state(), to resume training exactly.
 * @return 0, NN_ENULL, or NN_EMISMATCH (another optimiser or network size).
 */
NN_EXPORT int nn_optim_set_state(nn_optim *o, const nn_model_state *state);

#ifdef __cplusplus
}
#endif

#endif /* NN_FIT_H */
