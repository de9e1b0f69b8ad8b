/*
 * What nn-example1 and nn-example2 share beside the lecture's lines: the
 * command line (the data set, the training flags, the pictures and files),
 * the data and its pictures, the end of a training run, and the final
 * report. The lecture's own steps -- build_model, the loop that prints
 * "Best by step", predict -- are in each program's file; get_data and the
 * models are in lecture.c, which the reproduction test runs too.
 */
#ifndef EX_TOY_H
#define EX_TOY_H

#include <stddef.h>
#include <stdint.h>

#include "lecture.h"
#include "tool-plot.h"
#include "tool.h"

/** A run of nn-example1 or nn-example2: its flags, then what the phases make. */
typedef struct toy {
	int example;              /**< 1 or 2 */
	/* the command line */
	uint32_t seed;
	int seed_given;
	ex_data_options data;     /**< the data set and its parameters */
	double eta;
	size_t steps, every, hidden;
	const char *plot, *plot_dots, *plot_curve, *save_data, *save_model, *load_model;
	int precision;            /**< --precision: an nn_precision */
	/* the run */
	nn_rng *rng;              /**< the one random stream: data, split, weights */
	ex_data d;                /**< the data, split 80/20 */
	nn_matrix shard_x;        /**< this process's part of the training set (a view) */
	nn_labels shard_y;
	nn_net *net;              /**< the model: built, trained (the best step's) or loaded */
	nn_train_result res;      /**< what training found */
	size_t train_ok;          /**< correct training predictions of the model kept */
	tool_curve curve;         /**< --plot-curve */
} toy;

/**
 * Parse and check the command line of example 1 or 2 into t, and the
 * paths it names.
 * @return 0, TOOL_DONE (--help, --version), TOOL_USAGE or TOOL_RUNTIME.
 */
int toy_parse(tool_ctx *ctx, toy *t, int example);

/**
 * The lecture's get_data: the seed ("seed: K"), then the data from the one
 * stream (lecture.c) and "data: ..."; --save-data and --plot-dots; this
 * process's shard of the training set.
 * @return 0 or TOOL_RUNTIME.
 */
int toy_get_data(tool_ctx *ctx, toy *t);

/**
 * Beyond the lecture: make the network just built compute in --precision,
 * "; float32" for its model line (else "").
 * @return 0 or TOOL_RUNTIME.
 */
int toy_precision(tool_ctx *ctx, toy *t, const char **suffix);

/** --load-model: the network from the file ("model: loaded from ..."). @return 0 or TOOL_RUNTIME. */
int toy_load_model(tool_ctx *ctx, toy *t);

/**
 * After training returned rc: on a divergence, say so and score the model
 * kept (the best before it); "Our best model gets X percent correct!";
 * then --save-model.
 * @return 0 or TOOL_RUNTIME.
 */
int toy_trained(tool_ctx *ctx, toy *t, int rc);

/** Correct predictions of t->net on (X, y), all samples at once. @return 0 or TOOL_RUNTIME. */
int toy_correct(tool_ctx *ctx, size_t *correct, const toy *t, const nn_matrix *X,
		const nn_labels *y);

/**
 * The end of the run: the pictures (--plot, --plot-curve), then the train
 * and test accuracy of the model kept, the last two lines.
 * @return 0 or TOOL_RUNTIME.
 */
int toy_report(tool_ctx *ctx, toy *t, size_t test_ok);

/** Free what the phases made (a tool_main done callback). */
void toy_free(void *state);

#endif /* EX_TOY_H */
