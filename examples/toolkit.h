/*
 * Beyond the lecture, on the program side: the mini-batch training flags of
 * nn-mnist (nn_fit with its optimisers, schedules, L2, dropout, validation
 * and early stopping), the per-epoch progress line, the history as CSV and
 * as a picture, and model files for all three programs.
 *
 * Every function that can fail prints one line naming the flag or file and
 * returns an exit status (EX_USAGE for a bad value, EX_RUNTIME for a file,
 * the data or memory), 0 on success.
 */
#ifndef NN_EXAMPLES_TOOLKIT_H
#define NN_EXAMPLES_TOOLKIT_H

#include <stddef.h>

#include "cli.h"
#include "nn/nn.h"

/** The flags of mini-batch training, in the order ex_tk_flags() lists them. */
enum ex_tk_flag {
	EX_TK_OPTIMIZER, EX_TK_BATCH, EX_TK_EPOCHS, EX_TK_MOMENTUM, EX_TK_SCHEDULE,
	EX_TK_GAMMA, EX_TK_STEP_EPOCHS, EX_TK_ETA_MIN, EX_TK_LAYERS, EX_TK_ACTIVATION,
	EX_TK_COST, EX_TK_INIT, EX_TK_L2, EX_TK_DROPOUT, EX_TK_VAL, EX_TK_PATIENCE,
	EX_TK_HISTORY, EX_TK_PLOT_HISTORY,
	EX_TK_NFLAGS
};

/** Most weight layers --layers accepts. */
#define EX_TK_MAX_LAYERS 16

/** The choices of --optimizer, --schedule and --cost, in the order of their names. */
enum ex_tk_opt { EX_OPT_SGD, EX_OPT_MOMENTUM, EX_OPT_NESTEROV, EX_OPT_ADAM };
enum ex_tk_sched { EX_SCHED_CONSTANT, EX_SCHED_STEP, EX_SCHED_EXP, EX_SCHED_COSINE };
enum ex_tk_cost { EX_COST_QUADRATIC, EX_COST_CE };

/** The names of --optimizer, NULL-terminated. */
extern const char *const ex_tk_optimizer_names[];

/** Hidden activations --activation offers, in the order of ex_tk_activation_names. */
enum ex_tk_act { EX_TK_SIGMOID, EX_TK_TANH, EX_TK_RELU, EX_TK_LEAKY_RELU };

/** Initialisations --init offers. */
enum ex_tk_init { EX_TK_INIT_LECTURE, EX_TK_INIT_GLOROT, EX_TK_INIT_HE, EX_TK_INIT_ORTHOGONAL };

/** The values of the mini-batch flags; ex_tk_init() sets the defaults. */
typedef struct ex_tk {
	int optimizer;          /**< enum ex_tk_opt */
	size_t batch, epochs;
	double momentum;
	int schedule;           /**< enum ex_tk_sched */
	double gamma, eta_min;
	size_t step_epochs;
	const char *layers;     /**< "784,256,10" as given */
	int activation;         /**< enum ex_tk_act */
	int cost;               /**< enum ex_tk_cost */
	int init;               /**< enum ex_tk_init; default by activation */
	double l2, dropout;
	const char *val;        /**< a fraction in (0, 1) or a count, as given */
	size_t patience;
	const char *history, *plot_history;
	int given[EX_TK_NFLAGS];
	/* filled by ex_tk_check() */
	size_t n_layers;                       /**< L */
	size_t sizes[EX_TK_MAX_LAYERS + 1];    /**< L + 1 widths */
	double val_fraction;                   /**< --val as a fraction, or 0 */
	size_t val_count;                      /**< --val as a count, or 0 */
} ex_tk;

/** The names of --activation, NULL-terminated. */
extern const char *const ex_tk_activation_names[];

/** Set the defaults of mini-batch mode (784-256-10 relu, ce, adam, batch 64, 10 epochs). */
void ex_tk_init(ex_tk *tk);

/**
 * Write the flags of tk into out (room for EX_TK_NFLAGS entries), in the
 * order of enum ex_tk_flag.
 * @return the number written.
 */
size_t ex_tk_flags(ex_flag *out, ex_tk *tk);

/** Non-zero when any mini-batch flag was given. */
int ex_tk_any(const ex_tk *tk);

/** The name of the first mini-batch flag given (for "not with" errors), or NULL. */
const char *ex_tk_first(const ex_tk *tk);

/**
 * Check the values against each other and against the data's shape
 * (inputs x classes), parse --layers and --val, and pick the default
 * --init and --eta (*eta is left alone when eta_given).
 * @return 0 or EX_USAGE (after printing the error).
 */
int ex_tk_check(ex_tk *tk, const char *prog, size_t inputs, size_t classes, double *eta,
		int eta_given);

/** One-line description of the training set-up: "adam eta 0.001, batch 64, 10 epochs, ...". */
void ex_tk_describe(char *buf, size_t n, const ex_tk *tk, double eta);

/**
 * A new network of tk's sizes, activations and cost, initialised from rng.
 * @return 0 or EX_RUNTIME.
 */
int ex_tk_net(nn_net **net, const char *prog, const ex_tk *tk, nn_rng *rng);

/** The widths of a network: "784-256-10". */
void ex_net_shape(char *buf, size_t n, const nn_net *net);

/** What a network is: "784-256-10, relu then softmax, cross-entropy cost". */
void ex_net_describe(char *buf, size_t n, const nn_net *net);

/** "(784 + 1) * 256 + (256 + 1) * 10 = 203530", the lecture's parameter count line. */
void ex_param_count(char *buf, size_t n, const nn_net *net);

/**
 * Hold out tk's validation set: *train and *val become the two parts of
 * (X, y), split by nn_train_test_split() with rng. Without --val, *train is
 * a view of (X, y) and *val is left empty.
 * @return 0, or EX_RUNTIME (after printing the error: --val too large).
 */
int ex_tk_split(nn_matrix *train_x, nn_labels *train_y, nn_matrix *val_x, nn_labels *val_y,
		const char *prog, const ex_tk *tk, const nn_matrix *X, const nn_labels *y,
		nn_rng *rng);

/**
 * Train net with nn_fit(), printing one line per epoch, then write the
 * history (--history, --plot-history). On return net holds the weights
 * nn_fit() hands back; a divergence is reported on stderr and is not an error.
 * @param state out: when the weights are those of the last epoch, the
 *              optimiser state to save beside them (kind 0 otherwise); its
 *              data belongs to *optim.
 * @param optim out: the optimiser; free with nn_optim_free().
 * @return 0 or EX_RUNTIME.
 */
int ex_tk_train(const char *prog, nn_net *net, nn_model_state *state, nn_optim **optim,
		const ex_tk *tk, double eta, const nn_matrix *X, const nn_labels *y,
		const nn_matrix *val_x, const nn_labels *val_y, nn_rng *rng, const char *title);

/**
 * Cost (summed) and correct predictions of net on (X, y), in chunks of at
 * most 1024 samples, so that 60,000 samples need little memory.
 * @return 0 or a negative NN_E code.
 */
int ex_evaluate(double *cost, size_t *correct, const nn_net *net, const nn_matrix *X,
		const nn_labels *y);

/** Save net (and state, may be NULL) to path. @return 0 or EX_RUNTIME. */
int ex_model_save(const char *prog, const char *path, const nn_net *net,
		  const nn_model_state *state);

/**
 * Load a model and check it fits the data: inputs columns in, and either
 * one output unit for two classes or at least `classes` output units.
 * @return 0 or EX_RUNTIME (after printing the file and the problem).
 */
int ex_model_load(nn_net **net, const char *prog, const char *path, size_t inputs,
		  size_t classes);

/**
 * Draw a history: cost (top) and accuracy in percent (bottom) against the
 * epoch, training in blue and validation in orange. Writes path.
 * @return 0 or EX_RUNTIME.
 */
int ex_plot_fit_history(const char *prog, const char *path, const nn_history *h,
			const char *title);

#endif /* NN_EXAMPLES_TOOLKIT_H */
