/*
 * Plots on a canvas: axes with ticks and labels, scatter plots, decision
 * regions, curves, bar charts, digit grids and a confusion matrix.
 *
 * Two levels. The axes functions draw into a rectangle of a canvas the
 * caller owns. The plot_figure_* functions allocate a canvas of their own
 * (out: free it with plot_canvas_free()) and draw a whole picture on it; they
 * return 0, NN_ENULL, NN_EINVAL or NN_ENOMEM.
 *
 * Part of the static plot library; never installed.
 */
#ifndef PLOT_PLOT_H
#define PLOT_PLOT_H

#include <stddef.h>

#include "canvas.h"

/** matplotlib's first two default colours (tab:blue, tab:orange) and their light tints. */
extern const plot_rgb plot_class_colors[2];
extern const plot_rgb plot_region_colors[2];

/** A plot area of a canvas and the data range it shows. */
typedef struct plot_axes {
	plot_canvas *c;                  /**< borrowed */
	int x0, y0, x1, y1;            /**< the area: pixels x0 <= x < x1, y0 <= y < y1 */
	double xmin, xmax, ymin, ymax; /**< data range; y grows upwards */
	int ylog;                      /**< y values are log10 of the data: ticks are labelled
					    10^v (set it after plot_axes_init()) */
} plot_axes;

/** Set up axes on the pixel rectangle [x0, x1) x [y0, y1) for a data range (nonempty). */
void plot_axes_init(plot_axes *ax, plot_canvas *c, int x0, int y0, int x1, int y1, double xmin,
		  double xmax, double ymin, double ymax);

/** Canvas x of data x. */
double plot_axes_px(const plot_axes *ax, double x);

/** Canvas y of data y. */
double plot_axes_py(const plot_axes *ax, double y);

/**
 * Frame, ticks at "nice" values (1, 2 or 5 times a power of ten) labelled
 * below and left of the area, a title above and axis labels; any text may
 * be NULL. Call after drawing the contents, so the frame lies on top.
 */
void plot_axes_draw(plot_axes *ax, const char *title, const char *xlabel, const char *ylabel);

/**
 * Points (x[i * stride], y[i * stride]), i < n, as discs of radius r in
 * palette[cls[i]] with a darker edge; labels outside [0, ncls) are skipped.
 */
void plot_scatter(plot_axes *ax, const double *x, const double *y, size_t stride, size_t n,
		     const int *cls, const plot_rgb *palette, int ncls, double r);

/**
 * Decision regions, like matplotlib's contourf of a class grid: each pixel
 * of the area takes palette[cls] of the grid point nearest its centre; grid
 * point (i, j) is (gx0 + i * step, gy0 + j * step) with class
 * cls[i + j * nx]. Pixels beyond the grid, and labels outside [0, ncls),
 * are left as they are.
 */
void plot_regions(plot_axes *ax, const int *cls, size_t nx, size_t ny, double gx0, double gy0,
		     double step, const plot_rgb *palette, int ncls);

/** A polyline through (x[i], y[i]), i < n, skipping non-finite points; clipped to the area. */
void plot_curve(plot_axes *ax, const double *x, const double *y, size_t n, double width,
		   plot_rgb col);

/**
 * A two-class scatter plot (the lecture's plot_dots), over decision regions
 * when grid is not NULL (its plot_decision_boundary). Points as for
 * plot_scatter() with the class colours; the grid as for
 * plot_regions(), which then also sets the data range; without a grid
 * the range is the data's, padded by 0.5.
 */
typedef struct plot_region_grid {
	const int *cls;      /**< nx * ny classes, x fastest */
	size_t nx, ny;       /**< grid points along x and y */
	double x0, y0, step; /**< grid point (i, j) is (x0 + i step, y0 + j step) */
} plot_region_grid;

int plot_figure_classes(plot_canvas *out, const double *x, const double *y, size_t stride, size_t n,
		      const int *cls, const plot_region_grid *grid, const char *title);

/**
 * Training history: the cost (top; on a log scale when it spans more than
 * a factor of 10) and the best training accuracy in percent (bottom)
 * against the step, n points.
 */
int plot_figure_history(plot_canvas *out, const double *step, const double *cost,
		      const double *best_percent, size_t n, const char *title);

/**
 * A bar chart of n values (>= 0) with a label under each bar and the value
 * above it (printf format value_fmt, e.g. "%.2f"); the y axis starts at 0.
 */
int plot_figure_bars(plot_canvas *out, const double *value, const char *const *label, size_t n,
		   const char *value_fmt, const char *title, const char *ylabel);

/**
 * A grid of n 28x28 digits, `cols` a row, each pixel zoom x zoom: digit j
 * is pix[j * ld + 0..783] in [0, 1] (row by row, ink high), drawn dark on
 * white; under it its predicted label, and for a mistake (pred != truth) a
 * red frame and "pred (truth)" in red. truth may be NULL (no marks).
 */
int plot_figure_digits(plot_canvas *out, const double *pix, size_t ld, size_t n, int cols, int zoom,
		     const int *pred, const int *truth, const char *title);

/** Filters a row of plot_figure_filters(), at most. */
#define PLOT_FILTER_COLS 8

/**
 * A grid of n filters (a network's first-layer kernels or weights), each an
 * h x w image: filter k's pixel (y, x) is v[k * h * w + y * w + x]. Each is
 * scaled to its own range -- its smallest value black, its largest white, a
 * constant filter mid-grey -- and drawn zoom = max(1, 84 / max(h, w)) pixels
 * a value in a grey frame, PLOT_FILTER_COLS a row (n when fewer). A cell is
 * (w * zoom + 10) x (h * zoom + 10) pixels; the canvas is max(20 + cols *
 * cell width, 460) x (60 + rows * cell height), the title above the grid
 * (in the small font when the large one would not fit) and under it, small,
 * how the filters are scaled.
 * @return 0, NN_ENULL, NN_EINVAL (n, h or w of 0, n above 4096, h or w above
 *         1024) or NN_ENOMEM.
 */
int plot_figure_filters(plot_canvas *out, const double *v, size_t n, size_t h, size_t w,
			const char *title);

/**
 * The confusion matrix of k classes as a heat map: counts[t * k + p] is the
 * number of samples of true class t predicted as p, rows true, columns
 * predicted, each cell labelled with its count.
 */
int plot_figure_confusion(plot_canvas *out, const size_t *counts, int k, const char *title);

#endif /* PLOT_PLOT_H */
