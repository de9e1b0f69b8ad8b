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
#include "optim.h"
#include "random.h"
#include "train.h"

#ifdef __cplusplus
extern "C" {
#endif

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
	double val_accuracy;   /**< accuracy on the validation set; NaN without one (or on values) */
	double train_mse;      /**< values: mean squared error over the epoch's batches, as trained
				    (RMSE = sqrt(train_mse)); NaN on labels */
	double train_mae;      /**< values: mean absolute error, as trained; NaN on labels */
	double train_r2;       /**< values: R^2 as trained (scikit-learn's r2_score, against the
				    whole training set's variance); NaN on labels */
	double val_mse;        /**< values: on the validation set after the epoch; NaN otherwise */
	double val_mae;        /**< values: on the validation set; NaN otherwise */
	double val_r2;         /**< values: on the validation set; NaN otherwise */
} nn_epoch_stats;

/** Called after each epoch; return non-zero to stop (not an error). */
typedef int (*nn_epoch_callback)(void *user, const nn_epoch_stats *e);

/** Options of nn_fit(); start from nn_fit_defaults(). */
typedef struct nn_fit_options {
	nn_optim_options optim;   /**< the update rule and its settings (L2 included); default
				       nn_optim_defaults(): SGD */
	double eta;               /**< base step size, finite and > 0; default 0.1 */
	nn_schedule schedule;     /**< default NN_SCHEDULE_CONSTANT */
	size_t step_epochs;       /**< STEP: epochs between decays; default 10 */
	double gamma;             /**< STEP and EXPONENTIAL decay factor, in (0, 1]; default 0.5 */
	double eta_min;           /**< COSINE: the step size approached, in [0, eta]; default 0 */
	size_t batch_size;        /**< columns per batch; 0 or >= N: full batch; default 32 */
	size_t epochs;            /**< >= 1; default 10 */
	int shuffle;              /**< reshuffle every epoch (default 1) */
	double dropout;           /**< probability of dropping a hidden unit in training, in [0, 1), on
				       the output of every hidden dense and convolution layer (a
				       network's dropout layers apply besides); default 0 */
	const nn_matrix *val_x;   /**< validation inputs, or NULL; borrowed for the run */
	const nn_labels *val_y;   /**< validation labels, with val_x (a run on labels) */
	const nn_matrix *val_values; /**< validation target values (sizes[L] x val_x->cols), with
				       val_x (a run on values: nn_fit_values()) */
	size_t patience;          /**< with validation: stop after this many epochs without a lower
				       validation cost, and at the end restore the weights of the
				       lowest validation cost; 0: no early stopping, and the last
				       epoch's weights are kept (validation is only reported). Without
				       validation it must be 0 (NN_EINVAL) */
	nn_optim *resume;         /**< NULL: a fresh optimiser made from `optim`; else this one,
				       borrowed and UPDATED (its state carries over, to resume
				       training exactly); its own settings then apply, not `optim` */
	nn_epoch_callback callback; /**< after every epoch that ran, including one that stopped
					 the run early or diverged; may be NULL */
	void *user;               /**< handed to callback */
	nn_dist dist;             /**< a distributed run (see nn_mpi_fit): X and y are this
				       process's shard -- samples [dist.shard_first, + X->cols) of
				       dist.shard_total -- and each batch combines [gradient, cost,
				       correct] over processes with one reduction, so every process
				       takes the steps one process would take on the same global
				       batches (dropout included: every process draws the masks
				       of the whole batch and keeps its columns'). Zeroed
				       (default): one process */
	nn_input_mode input;      /**< how the first layer reads each batch: NN_INPUT_AUTO
				       (default) gathers it straight into compressed form and runs
				       the first layer's two products with the sparse kernels when
				       X's density is at most nn_input_threshold() (see nn_gd_new);
				       NN_INPUT_SPARSE always, NN_INPUT_DENSE never. Sparse needs a
				       dense first layer and an input scaling that keeps zeros
				       (none, or every shift 0), else NN_EINVAL (AUTO: dense) */
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
	nn_task task;            /**< NN_TASK_CLASSIFY (labels) or NN_TASK_REGRESS (values): which
				      fields of the epochs mean something */
} nn_history;

/** The defaults listed in nn_fit_options. */
NN_EXPORT nn_fit_options nn_fit_defaults(void);

/** A mini-batch training run in progress (opaque): all its memory, allocated once. */
typedef struct nn_fitter nn_fitter;

/**
 * Prepare a run: validates the options, X, y and the validation set, and
 * allocates everything the epochs need (the batch buffer, the workspace,
 * the gradient, dropout masks, the optimiser unless opt->resume is given,
 * the best copy and the history). No training happens yet.
 * net, X, y, rng and what opt points to are borrowed and must outlive the
 * run; net is updated in place.
 * @param f   out: the run; free with nn_fitter_free().
 * @param net the network, trained in place.
 * @param X   the training inputs, n_0 x N (distributed: this process's shard).
 * @param y   N labels, each a class of the output layer.
 * @param opt the options; NULL means nn_fit_defaults().
 * @param rng the shuffles and dropout masks are drawn from it; may be NULL when
 *            shuffle is 0 and nothing drops out (dropout 0, no dropout layer).
 * @return 0, NN_ENULL, NN_EINVAL (an option out of range, patience without a
 *         validation set), NN_ESHAPE (also: opt->resume made for other layer
 *         sizes), NN_ENONFINITE, NN_ELABEL, NN_ENOMEM, or, distributed, NN_EPEER
 *         (another process's shard failed its checks, or the processes disagree
 *         on the network or the settings) or an error of the reduction.
 */
NN_EXPORT int nn_fitter_new(nn_fitter **f, nn_net *net, const nn_matrix *X, const nn_labels *y,
			    const nn_fit_options *opt, nn_rng *rng);

/**
 * nn_fitter_new() for real-valued targets: Y (sizes[L] x N), for a
 * regression (identity output, quadratic cost: the mean squared error) or
 * several 0/1 outputs (sigmoid, NN_COST_BCE). The epochs report MSE, MAE
 * and R^2 besides the cost; validation is on opt->val_values.
 * @return as nn_fitter_new(), or NN_EINVAL (values the cost cannot take: see
 *         nn_evaluate_values()).
 */
NN_EXPORT int nn_fitter_new_values(nn_fitter **f, nn_net *net, const nn_matrix *X,
				   const nn_matrix *Y, const nn_fit_options *opt, nn_rng *rng);

/**
 * Run the next batch of the current epoch (shuffling first when it is the
 * epoch's first batch): forward, backward, one optimiser update.
 * Allocates nothing.
 * @return 0, NN_ENULL, NN_EINVAL (the run is over, or the epoch has no batch
 *         left: close it with nn_fitter_epoch()) or, distributed, an error of
 *         the reduction.
 */
NN_EXPORT int nn_fitter_batch(nn_fitter *f);

/**
 * Run the batches left in the current epoch (all of them when none has
 * run), then close it: its statistics, validation, the best weights, early
 * stopping, the callback.
 * @param f  the run.
 * @param st out (may be NULL): the epoch's statistics.
 * @return 0; NN_ENULL; NN_EINVAL (the run is over); NN_EDIVERGED (the cost
 *         became NaN or Inf: net holds the weights from before this epoch, and
 *         the run is over); or, distributed, an error of the reduction.
 */
NN_EXPORT int nn_fitter_epoch(nn_fitter *f, nn_epoch_stats *st);

/**
 * 1 when the run is over: every epoch ran, patience ran out, the callback
 * asked to stop, or the cost diverged; else 0.
 */
NN_EXPORT int nn_fitter_done(const nn_fitter *f);

/** Where a run stands within an epoch (nn_fitter_progress()). */
typedef struct nn_fit_progress {
	size_t epoch;     /**< the epoch in progress, from 0 (after the last, the epochs run) */
	size_t samples;   /**< samples of it trained so far (over every process) */
	size_t total;     /**< samples an epoch trains */
	double cost;      /**< their mean cost as trained; NaN before the epoch's first batch */
	double accuracy;  /**< labels: the fraction of them right as trained; NaN otherwise */
} nn_fit_progress;

/**
 * Where the run stands within the epoch in progress, for a progress line
 * between nn_fitter_batch() calls.
 * @return 0 or NN_ENULL.
 */
NN_EXPORT int nn_fitter_progress(const nn_fitter *f, nn_fit_progress *p);

/**
 * How the run's first layer reads its batches: NN_INPUT_SPARSE (gathered
 * into compressed form, the sparse kernels) or NN_INPUT_DENSE; what
 * nn_fit_options.input chose.
 */
NN_EXPORT nn_input_mode nn_fitter_input(const nn_fitter *f);

/**
 * Finish the run: with early stopping, put the weights of the lowest
 * validation cost back into net; hand over the history of the epochs run.
 * Call it once, when nn_fitter_done() (or earlier, to stop).
 * @param f    the run.
 * @param hist out (may be NULL): every epoch's statistics; free with nn_history_free().
 * @return 0 or NN_ENULL.
 */
NN_EXPORT int nn_fitter_finish(nn_fitter *f, nn_history *hist);

/** Free a run; the network it trained is left as it is. NULL is a no-op. */
NN_EXPORT void nn_fitter_free(nn_fitter *f);

/**
 * Train net on (X, y) by mini-batch gradient descent: nn_fitter_new(), then
 * nn_fitter_epoch() until nn_fitter_done(), then nn_fitter_finish().
 * @param net  the network, trained in place (nn_history::best_epoch says
 *             which epoch's weights it holds on return).
 * @param hist out (may be NULL): every epoch's statistics; free with nn_history_free().
 * @param X    as for nn_fitter_new().
 * @param y    as for nn_fitter_new().
 * @param opt  the options; NULL means nn_fit_defaults().
 * @param rng  as for nn_fitter_new().
 * @return an error of nn_fitter_new() or nn_fitter_epoch(), or 0. After
 *         NN_EDIVERGED net holds the weights from before the diverging epoch.
 */
NN_EXPORT int nn_fit(nn_net *net, nn_history *hist, const nn_matrix *X, const nn_labels *y,
		     const nn_fit_options *opt, nn_rng *rng);

/**
 * nn_fit() for real-valued targets Y (sizes[L] x N): see
 * nn_fitter_new_values(). On return the network's task is NN_TASK_REGRESS.
 * @return as nn_fit().
 */
NN_EXPORT int nn_fit_values(nn_net *net, nn_history *hist, const nn_matrix *X, const nn_matrix *Y,
			    const nn_fit_options *opt, nn_rng *rng);

/** Free a history's epochs and reset it; NULL is a no-op. */
NN_EXPORT void nn_history_free(nn_history *hist);

/**
 * Write a history as CSV (epoch,seconds,eta,train_cost,train_accuracy,val_cost,val_accuracy;
 * for a run on values epoch,seconds,eta,train_cost,train_rmse,train_mae,train_r2,
 * val_cost,val_rmse,val_mae,val_r2), through a temporary file renamed into place.
 * @return 0, NN_ENULL or NN_EIO.
 */
NN_EXPORT int nn_history_write_csv(const char *path, const nn_history *hist);

#ifdef __cplusplus
}
#endif

#endif /* NN_FIT_H */
