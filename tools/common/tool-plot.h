/*
 * The toolkit's pictures (picture.c), on the plot library (plot/): PNG
 * files through the atomic writer, the curve of a full-batch run, the
 * history of a mini-batch run and a network's first-layer filters.
 */
#ifndef TOOL_PLOT_H
#define TOOL_PLOT_H

#include "canvas.h"
#include "tool.h"

/** Write a canvas to path as PNG (through tool_out) and free it. @return 0 or TOOL_RUNTIME. */
int tool_write_png(tool_ctx *ctx, const char *path, plot_canvas *c);

/** The curve of a full-batch run: per reported step, the cost and the best accuracy. */
typedef struct tool_curve {
	int record;       /**< keep points (--plot-curve given) */
	size_t stride;    /**< keep one step in stride: at most about 100000 points */
	size_t len, cap;  /**< points kept, room */
	double *step, *cost, *best; /**< step, cost, best training accuracy in percent */
	int oom;          /**< the curve could not grow: it is cut short */
} tool_curve;

/** Set up a curve for a run of `steps` steps; without record it keeps nothing. */
void tool_curve_init(tool_curve *r, size_t steps, int record);

/** Keep a step's point (from a nn_train_callback). */
void tool_curve_add(tool_curve *r, const nn_progress *p);

/** Free the points; a zeroed curve is a no-op. */
void tool_curve_free(tool_curve *r);

/** Draw the cost and the best accuracy against the step to path. @return 0 or TOOL_RUNTIME. */
int tool_plot_curve(tool_ctx *ctx, const char *path, const tool_curve *r, const char *title);

/**
 * Draw a mini-batch history to path: cost (top) and accuracy in percent
 * (bottom) against the epoch, training in blue and validation in orange.
 * @return 0 or TOOL_RUNTIME.
 */
int tool_plot_history(tool_ctx *ctx, const char *path, const nn_history *h, const char *title);

/** Most filters tool_plot_filters() draws of a dense first layer (its first units). */
#define TOOL_FILTERS_DENSE 64

/**
 * Draw the first weight layer's filters to path (plot_figure_filters(),
 * each scaled to its own range): for a convolution, every output channel's
 * k x k kernel on the first input channel; for a dense layer on an image
 * (an H x W input, or a flat one of a square number of values, 784 as
 * 28x28), the first TOOL_FILTERS_DENSE units' weights as images.
 * @return 0 or TOOL_RUNTIME (also: a first layer that is not on an image).
 */
int tool_plot_filters(tool_ctx *ctx, const char *path, const nn_net *net);

#endif /* TOOL_PLOT_H */
