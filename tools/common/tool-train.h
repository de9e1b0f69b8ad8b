/*
 * Training beyond the lecture, for the programs (train.c): the mini-batch
 * flags (nn_fit with its optimisers, schedules, L2, dropout, validation and
 * early stopping), the per-epoch progress line, the history as CSV and as
 * a picture; and what any program says of a network: its shape, its
 * parameter count, its score on a data set.
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
	TOOL_FIT_HISTORY, TOOL_FIT_PLOT_HISTORY,
	TOOL_FIT_NFLAGS
};

/** Most weight layers --layers accepts. */
#define TOOL_FIT_MAX_LAYERS 16

/** The choices of --optimizer, --schedule and --cost, in the order of their names. */
enum tool_fit_opt { TOOL_OPT_SGD, TOOL_OPT_MOMENTUM, TOOL_OPT_NESTEROV, TOOL_OPT_ADAM };
enum tool_fit_sched { TOOL_SCHED_CONSTANT, TOOL_SCHED_STEP, TOOL_SCHED_EXP, TOOL_SCHED_COSINE };
enum tool_fit_cost { TOOL_COST_QUADRATIC, TOOL_COST_CE };

/** Hidden activations --activation offers, in the order of tool_fit_activation_names. */
enum tool_fit_act { TOOL_FIT_SIGMOID, TOOL_FIT_TANH, TOOL_FIT_RELU, TOOL_FIT_LEAKY_RELU };

/** Initialisations --init offers. */
enum tool_fit_init {
	TOOL_FIT_INIT_LECTURE, TOOL_FIT_INIT_GLOROT, TOOL_FIT_INIT_HE, TOOL_FIT_INIT_ORTHOGONAL
};

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
	const char *layers;     /**< "784,256,10" as given */
	int activation;         /**< enum tool_fit_act */
	int cost;               /**< enum tool_fit_cost */
	int init;               /**< enum tool_fit_init; default by activation */
	double l2, dropout;
	tool_part val;          /**< the validation set: a fraction or a count */
	size_t patience;
	const char *history, *plot_history;
	int given[TOOL_FIT_NFLAGS];
	/* filled by tool_fit_check() */
	size_t n_layers;                         /**< L */
	size_t sizes[TOOL_FIT_MAX_LAYERS + 1];   /**< L + 1 widths */
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
 * (inputs x classes), parse --layers, and pick the default --init and
 * --eta (*eta is left alone when eta_given).
 * @return 0 or TOOL_USAGE (after the message).
 */
int tool_fit_check(tool_ctx *ctx, tool_fit *tk, size_t inputs, size_t classes, double *eta,
		   int eta_given);

/** One-line description of the training set-up: "adam eta 0.001, batch 64, 10 epochs, ...". */
void tool_fit_describe(char *buf, size_t n, const tool_fit *tk, double eta);

/**
 * A new network of tk's sizes, activations and cost, initialised from rng.
 * @return 0 or TOOL_RUNTIME.
 */
int tool_fit_net(tool_ctx *ctx, nn_net **net, const tool_fit *tk, nn_rng *rng);

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
 * Train net with nn_fit(), printing one line per epoch, then write the
 * history (--history, --plot-history). On return net holds the weights
 * nn_fit() hands back; a divergence is a warning, not an error.
 * @param state out: when the weights are those of the last epoch, the
 *              optimiser state to save beside them (kind 0 otherwise); its
 *              data belongs to *optim.
 * @param optim out: the optimiser; free with nn_optim_free().
 * @return 0 or TOOL_RUNTIME.
 */
int tool_fit_train(tool_ctx *ctx, nn_net *net, nn_model_state *state, nn_optim **optim,
		   const tool_fit *tk, double eta, const nn_matrix *X, const nn_labels *y,
		   const nn_matrix *val_x, const nn_labels *val_y, nn_rng *rng, const char *title);

/** The widths of a network: "784-256-10". */
void tool_net_shape(char *buf, size_t n, const nn_net *net);

/** What a network is: "784-256-10 network, relu hidden, softmax output, cross-entropy cost". */
void tool_net_describe(char *buf, size_t n, const nn_net *net);

/** "(784 + 1) * 256 + (256 + 1) * 10 = 203530", the lecture's parameter count line. */
void tool_param_count(char *buf, size_t n, const nn_net *net);

/**
 * Cost (summed) and correct predictions of net on (X, y), in chunks of at
 * most 1024 samples, so that 60,000 samples need little memory.
 * @return 0 or a negative NN_E code.
 */
int tool_evaluate(double *cost, size_t *correct, const nn_net *net, const nn_matrix *X,
		  const nn_labels *y);

#endif /* TOOL_TRAIN_H */
