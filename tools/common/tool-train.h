/*
 * Training beyond the lecture, for the programs (train.c): the mini-batch
 * flags (the run object nn_fitter with its optimisers, schedules, L2,
 * dropout, validation and early stopping; any layer sequence nn_net_parse
 * reads), the per-epoch line and the progress within an epoch, the history
 * as CSV and as a picture; the precision of a network; and what any
 * program says of a network: its layers, its parameter count, its score on
 * a data set.
 */
#ifndef TOOL_TRAIN_H
#define TOOL_TRAIN_H

#include <stddef.h>

#include "nn/nn.h"
#include "tool.h"

/** The flags of mini-batch training, in the order tool_fit_flags() lists them. */
enum tool_fit_flag {
	TOOL_FIT_OPTIMIZER, TOOL_FIT_BATCH, TOOL_FIT_EPOCHS, TOOL_FIT_MOMENTUM, TOOL_FIT_SCHEDULE,
	TOOL_FIT_GAMMA, TOOL_FIT_STEP_EPOCHS, TOOL_FIT_ETA_MIN, TOOL_FIT_LAYERS, TOOL_FIT_ACTIVATION,
	TOOL_FIT_COST, TOOL_FIT_INIT, TOOL_FIT_L2, TOOL_FIT_DROPOUT, TOOL_FIT_VAL, TOOL_FIT_PATIENCE,
	TOOL_FIT_HISTORY, TOOL_FIT_PLOT_HISTORY, TOOL_FIT_PROGRESS,
	TOOL_FIT_NFLAGS
};

/** The choices of --optimizer, --schedule and --cost, in the order of their names. */
enum tool_fit_opt { TOOL_OPT_SGD, TOOL_OPT_MOMENTUM, TOOL_OPT_NESTEROV, TOOL_OPT_ADAM };
enum tool_fit_sched { TOOL_SCHED_CONSTANT, TOOL_SCHED_STEP, TOOL_SCHED_EXP, TOOL_SCHED_COSINE };
enum tool_fit_cost { TOOL_COST_QUADRATIC, TOOL_COST_CE };

/** Hidden activations --activation offers, in the order of tool_fit_activation_names. */
enum tool_fit_act { TOOL_FIT_SIGMOID, TOOL_FIT_TANH, TOOL_FIT_RELU, TOOL_FIT_LEAKY_RELU };

/** Initialisations --init offers; AUTO (not a choice): he for relu and leaky-relu, else glorot. */
enum tool_fit_init {
	TOOL_FIT_INIT_AUTO = -1,
	TOOL_FIT_INIT_LECTURE, TOOL_FIT_INIT_GLOROT, TOOL_FIT_INIT_HE, TOOL_FIT_INIT_ORTHOGONAL
};

/** What each enum tool_fit_init is called in a model line: "He", "Glorot", ... */
extern const char *const tool_fit_init_titles[];

/** The names of --optimizer and --activation, NULL-terminated. */
extern const char *const tool_fit_optimizer_names[];
extern const char *const tool_fit_activation_names[];

/** The values of the mini-batch flags; tool_fit_init() sets the defaults. */
typedef struct tool_fit {
	int optimizer;          /**< enum tool_fit_opt */
	size_t batch, epochs;
	double momentum;
	int schedule;           /**< enum tool_fit_sched */
	double gamma, eta_min;
	size_t step_epochs;
	const char *layers;     /**< nn_net_parse()'s grammar: "784,256,10", "28x28, conv:32:3, ..." */
	int activation;         /**< enum tool_fit_act: layers of --layers without their own */
	int cost;               /**< enum tool_fit_cost */
	int init;               /**< enum tool_fit_init; TOOL_FIT_INIT_AUTO until tool_fit_check() */
	double l2, dropout;
	tool_part val;          /**< the validation set: a fraction or a count */
	size_t patience;
	const char *history, *plot_history;
	int progress;           /**< --progress: the progress within an epoch even when standard
				     output is not a terminal */
	int given[TOOL_FIT_NFLAGS];
	/* filled by tool_fit_check() */
	nn_shape input;         /**< the input --layers describes */
} tool_fit;

/** Set the defaults of mini-batch mode (784-256-10 relu, ce, adam, batch 64, 10 epochs). */
void tool_fit_init(tool_fit *tk);

/**
 * Write the flags of tk into out (room for TOOL_FIT_NFLAGS entries), in the
 * order of enum tool_fit_flag.
 * @return the number written.
 */
size_t tool_fit_flags(tool_flag *out, tool_fit *tk);

/** The name of the first mini-batch flag given (for "not with" errors), or NULL: none given. */
const char *tool_fit_first(const tool_fit *tk);

/**
 * Check the values against each other and against the data's shape
 * (inputs x classes), parse --layers with nn_net_parse() (a layer without
 * its activation gets --activation, the last layer softmax for --cost ce
 * and sigmoid for quadratic), and pick the default --init and --eta (*eta
 * is left alone when eta_given).
 * @return 0 or TOOL_USAGE (after the message), TOOL_RUNTIME (out of memory).
 */
int tool_fit_check(tool_ctx *ctx, tool_fit *tk, size_t inputs, size_t classes, double *eta,
		   int eta_given);

/** One-line description of the training set-up: "adam eta 0.001, batch 64, 10 epochs, ...". */
void tool_fit_describe(char *buf, size_t n, const tool_fit *tk, double eta);

/**
 * A new network of tk's layers and cost, in the given precision (set right
 * after it is made, before anything is made for it), initialised from rng.
 * @return 0 or TOOL_RUNTIME.
 */
int tool_fit_net(tool_ctx *ctx, nn_net **net, const tool_fit *tk, nn_precision precision,
		 nn_rng *rng);

/**
 * Hold out tk's validation set: *train and *val become the two parts of
 * (X, y), split by nn_train_test_split() with rng. Without --val, *train is
 * a view of (X, y) and *val is left empty.
 * @return 0, or TOOL_RUNTIME (after the message: --val too large).
 */
int tool_fit_split(tool_ctx *ctx, nn_matrix *train_x, nn_labels *train_y, nn_matrix *val_x,
		   nn_labels *val_y, const tool_fit *tk, const nn_matrix *X, const nn_labels *y,
		   nn_rng *rng);

/**
 * Train net by mini-batches -- the run object nn_fitter, batch by batch --
 * printing one line per epoch and, when standard output is a terminal (or
 * with --progress), the batches done within an epoch; then write the
 * history (--history, --plot-history). Under mpirun X and y are this
 * process's shard, contiguous and in rank order, and every process takes
 * the steps one process takes on the whole set (tool_fit_dist()). On
 * return net holds the weights nn_fit() would hand back; a divergence is a
 * warning, not an error.
 * @param state out: when the weights are those of the last epoch, the
 *              optimiser state to save beside them (kind 0 otherwise); its
 *              data belongs to *optim.
 * @param optim out: the optimiser; free with nn_optim_free().
 * @return 0 or TOOL_RUNTIME.
 */
int tool_fit_train(tool_ctx *ctx, nn_net *net, nn_model_state *state, nn_optim **optim,
		   const tool_fit *tk, double eta, const nn_matrix *X, const nn_labels *y,
		   const nn_matrix *val_x, const nn_labels *val_y, nn_rng *rng, const char *title);

/** What a run trains towards: class labels, or values (a regression). */
typedef struct tool_target {
	const nn_labels *labels; /**< N labels, or NULL */
	const nn_matrix *values; /**< outputs x N values, or NULL (then labels) */
} tool_target;

/**
 * tool_fit_train() towards labels or values: nn_fitter_new_values() for
 * values, whose epoch lines give the RMSE and R^2 instead of the accuracy.
 * val_y may be NULL without a validation set.
 */
int tool_fit_train_target(tool_ctx *ctx, nn_net *net, nn_model_state *state, nn_optim **optim,
			  const tool_fit *tk, double eta, const nn_matrix *X, const tool_target *y,
			  const nn_matrix *val_x, const tool_target *val_y, nn_rng *rng,
			  const char *title);

/** 1 when every layer of net is dense (a network of widths). */
int tool_net_dense(const nn_net *net);

/** The widths of a network of dense layers: "784-256-10" ("" for any other). */
void tool_net_shape(char *buf, size_t n, const nn_net *net);

/**
 * What a network is: "784-256-10 network, relu hidden, softmax output,
 * cross-entropy cost" for dense layers; for any other sequence its layers as
 * nn_net_describe() writes them and the cost ("28x28, conv:32:3:relu, ...,
 * 10:softmax, cross-entropy cost"); ", float32" after a float32 network's.
 */
void tool_net_describe(char *buf, size_t n, const nn_net *net);

/**
 * The parameter count, layer by layer: "(784 + 1) * 256 + (256 + 1) * 10 =
 * 203530" (the lecture's line); a convolution's term is (k*k*C_in + 1) * C_out.
 */
void tool_param_count(char *buf, size_t n, const nn_net *net);

/** The names of --precision ("f64", "f32"), NULL-terminated, in nn_precision's order. */
extern const char *const tool_precision_names[];

/**
 * Make a new network compute in `precision` (nn_net_set_precision()), right
 * after it is made; NN_F64 changes nothing.
 * @return 0 or TOOL_RUNTIME (after the message).
 */
int tool_set_precision(tool_ctx *ctx, nn_net *net, nn_precision precision);

/**
 * Cost (summed) and correct predictions of net on (X, y), in chunks of at
 * most 1024 samples, so that 60,000 samples need little memory.
 * @return 0 or a negative NN_E code.
 */
int tool_evaluate(double *cost, size_t *correct, const nn_net *net, const nn_matrix *X,
		  const nn_labels *y);

#endif /* TOOL_TRAIN_H */
