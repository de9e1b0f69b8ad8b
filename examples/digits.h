/*
 * What nn-mnist does beside the lecture's lines: its command line (the
 * lecture's flags, and beyond the lecture the mini-batch flags and the
 * architectures of --model), the digits (a directory, a pickle or four IDX
 * files; under mpirun each process reads its shard for the lecture's run),
 * mini-batch training and the pictures. The
 * lecture's own steps -- build_model, the loop that prints "Best by step",
 * predict -- are in nn-mnist.c.
 */
#ifndef EX_DIGITS_H
#define EX_DIGITS_H

#include <stddef.h>
#include <stdint.h>

#include "tool-plot.h"
#include "tool-train.h"
#include "tool.h"

/** A run of nn-mnist: its flags, then what the phases make. */
typedef struct digits {
	/* the command line */
	uint32_t seed;
	int seed_given;
	size_t ntrain, ntest;     /**< digits asked for (NN_ALL: all of them, beyond the lecture) */
	size_t hidden, steps, every;
	double eta;
	int input;                /**< --input: an nn_input_mode */
	tool_strings data;        /**< --data, or the bundled sample */
	const char *plot, *confusion, *curve_path, *save_data, *save_model, *load_model;
	const char *plot_filters; /**< --plot-filters */
	int precision;            /**< --precision: an nn_precision */
	int model;                /**< --model: a preset of the mini-batch flags, or -1 */
	tool_fit fit;             /**< the mini-batch flags */
	int batch;                /**< mini-batch training (--model or a mini-batch flag was given) */
	/* the run */
	nn_mnist m;               /**< the digits: this process's shard of the training set */
	size_t ntrain_all;        /**< training digits over all processes */
	nn_rng *rng;              /**< the one random stream: split and weights */
	nn_net *net;
	size_t train_ok, train_n; /**< the model kept: correct of its training digits */
	tool_curve curve;         /**< --plot-curve */
} digits;

/**
 * Parse and check the command line, its modes and its paths.
 * @return 0, TOOL_DONE (--help, --version), TOOL_USAGE or TOOL_RUNTIME.
 */
int digits_parse(tool_ctx *ctx, digits *d);

/**
 * The seed ("seed: K"), the digits (under mpirun this process's shard of
 * the training set) and "data: ...", the random stream, --save-data.
 * @return 0 or TOOL_RUNTIME.
 */
int digits_load(tool_ctx *ctx, digits *d);

/** --load-model: the network from the file, its description. @return 0 or TOOL_RUNTIME. */
int digits_load_model(tool_ctx *ctx, digits *d);

/**
 * Beyond the lecture: hold out the validation set, make the network of the
 * mini-batch flags, train it with nn_fit, score it, --save-model.
 * @return 0 or TOOL_RUNTIME.
 */
int digits_fit(tool_ctx *ctx, digits *d);

/**
 * --plot and --plot-confusion of the test digits, --plot-filters of the
 * network. @return 0 or TOOL_RUNTIME.
 */
int digits_pictures(tool_ctx *ctx, const digits *d);

/** Free what the phases made (a tool_main done callback). */
void digits_free(void *state);

#endif /* EX_DIGITS_H */
