/*
 * Pictures for the programs: a canvas written as PNG through the atomic
 * writer, the curve of a full-batch run (--plot-curve), the history of a
 * mini-batch run (--plot-history) and the first layer's filters
 * (--plot-filters).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "canvas.h"
#include "plot.h"
#include "tool-plot.h"

int tool_write_png(tool_ctx *ctx, const char *path, plot_canvas *c)
{
	tool_out o;
	int rc = tool_out_open(ctx, &o, path);
	if (rc == 0) {
		int prc = plot_canvas_png(c, tool_out_sink, &o);
		if (prc) {
			rc = tool_nn_error(ctx, prc, "%s", tool_path_name(path));
			tool_out_abort(&o);
		} else {
			rc = tool_out_close(ctx, &o);
		}
	}
	plot_canvas_free(c);
	return rc;
}

void tool_curve_init(tool_curve *r, size_t steps, int record)
{
	*r = (tool_curve){ .record = record, .stride = 1 };
	/* Keep at most about 100000 points: plenty for a picture 600 pixels wide. */
	if (steps > 100000)
		r->stride = (steps + 99999) / 100000;
}

void tool_curve_free(tool_curve *r)
{
	free(r->step);
	free(r->cost);
	free(r->best);
	*r = (tool_curve){ 0 };
}

void tool_curve_add(tool_curve *r, const nn_progress *p)
{
	if (!r->record || r->oom || p->step % r->stride)
		return;
	if (r->len == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 1024;
		double *s = realloc(r->step, cap * sizeof(double));
		if (s)
			r->step = s;
		double *c = s ? realloc(r->cost, cap * sizeof(double)) : NULL;
		if (c)
			r->cost = c;
		double *b = c ? realloc(r->best, cap * sizeof(double)) : NULL;
		if (b)
			r->best = b;
		if (!b) {
			r->oom = 1;
			return;
		}
		r->cap = cap;
	}
	r->step[r->len] = (double)p->step;
	r->cost[r->len] = p->cost;
	r->best[r->len] = tool_percent(p->best_correct, p->samples);
	r->len++;
}

int tool_plot_curve(tool_ctx *ctx, const char *path, const tool_curve *r, const char *title)
{
	if (r->oom)
		tool_warn(ctx, "out of memory for the training history; the curve is cut short");
	plot_canvas c;
	int rc = plot_figure_history(&c, r->step, r->cost, r->best, r->len, title);
	if (rc)
		return tool_nn_error(ctx, rc, "%s", path);
	return tool_write_png(ctx, path, &c);
}

static const plot_rgb white = { 255, 255, 255 }, ink = { 38, 38, 38 };

/* Smallest and largest finite value of v[0..n), folded into [*lo, *hi] (any: one seen). */
static void fold_range(const double *v, size_t n, double *lo, double *hi, int *any)
{
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(v[i]))
			continue;
		if (!*any || v[i] < *lo)
			*lo = v[i];
		if (!*any || v[i] > *hi)
			*hi = v[i];
		*any = 1;
	}
}

/* The points of one series as discs, when there are few enough to tell apart. */
static void marks(plot_axes *ax, const double *x, const double *y, size_t n, plot_rgb col)
{
	if (n > 40)
		return;
	for (size_t i = 0; i < n; i++)
		if (isfinite(y[i]))
			plot_canvas_disc(ax->c, plot_axes_px(ax, x[i]), plot_axes_py(ax, y[i]), 3.5, col, col);
}

/* A legend entry: a short line in col and its label, at (x, y). */
static void legend(plot_canvas *c, int x, int y, plot_rgb col, const char *label)
{
	plot_canvas_line(c, x, y, x + 28, y, 3.0, col);
	plot_canvas_text(c, x + 36, y, label, ink, 2, PLOT_ALIGN_START, PLOT_ALIGN_CENTER);
}

int tool_plot_history(tool_ctx *ctx, const char *path, const nn_history *h, const char *title)
{
	size_t n = h->n;
	double *buf = malloc(5 * (n ? n : 1) * sizeof(double));
	if (!buf) {
		return tool_nn_error(ctx, NN_ENOMEM, "%s", path);
	}
	double *ep = buf, *tc = buf + n, *vc = buf + 2 * n, *ta = buf + 3 * n, *va = buf + 4 * n;
	int have_val = 0, values = h->task == NN_TASK_REGRESS;
	for (size_t i = 0; i < n; i++) {
		const nn_epoch_stats *e = &h->epochs[i];
		ep[i] = (double)(e->epoch + 1);
		tc[i] = e->train_cost;
		vc[i] = e->val_cost;
		/* the bottom panel: accuracy in percent, or a regression's RMSE */
		ta[i] = values ? sqrt(e->train_mse) : 100 * e->train_accuracy;
		va[i] = values ? sqrt(e->val_mse) : 100 * e->val_accuracy;
		have_val |= isfinite(e->val_cost);
	}
	plot_canvas c;
	int rc = plot_canvas_new(&c, 760, 730, white);
	if (rc) {
		free(buf);
		return tool_nn_error(ctx, rc, "%s", path);
	}
	double c0 = 0, c1 = 1, a0 = 0, a1 = values ? 0 : 100;
	int any_c = 0, any_a = 0;
	fold_range(tc, n, &c0, &c1, &any_c);
	fold_range(vc, n, &c0, &c1, &any_c);
	fold_range(ta, n, &a0, &a1, &any_a);
	fold_range(va, n, &a0, &a1, &any_a);
	/* a cost that falls over more than a decade reads better on a log scale */
	int ylog = any_c && c0 > 0 && c1 > 10 * c0;
	if (ylog) {
		for (size_t i = 0; i < n; i++) {
			tc[i] = tc[i] > 0 ? log10(tc[i]) : NAN;
			vc[i] = vc[i] > 0 ? log10(vc[i]) : NAN;
		}
		c0 = log10(c0);
		c1 = log10(c1);
	}
	double cpad = 0.06 * (c1 - c0), apad = 0.06 * (a1 - a0) + 0.2;
	if (values) /* an RMSE may be small: pad in its own scale */
		apad = fmax(0.06 * (a1 - a0), 1e-3 * fabs(a1) + 1e-12);
	/* at least 5 epochs wide, so that the ticks fall on whole epochs */
	double xmax = (double)(n > 5 ? n : 5) + 0.5;
	plot_axes top, bottom;
	plot_axes_init(&top, &c, 110, 50, 730, 300, 0, xmax, c0 - cpad, c1 + cpad);
	top.ylog = ylog;
	plot_axes_init(&bottom, &c, 110, 370, 730, 620, 0, xmax, fmax(a0 - apad, 0),
		     values ? a1 + apad : fmin(a1 + apad, 100));
	const plot_rgb *col = plot_class_colors;
	plot_curve(&top, ep, tc, n, 2.0, col[0]);
	plot_curve(&bottom, ep, ta, n, 2.0, col[0]);
	marks(&top, ep, tc, n, col[0]);
	marks(&bottom, ep, ta, n, col[0]);
	if (have_val) {
		plot_curve(&top, ep, vc, n, 2.0, col[1]);
		plot_curve(&bottom, ep, va, n, 2.0, col[1]);
		marks(&top, ep, vc, n, col[1]);
		marks(&bottom, ep, va, n, col[1]);
	}
	plot_axes_draw(&top, title, NULL, "mean cost");
	plot_axes_draw(&bottom, NULL, "epoch", values ? "RMSE" : "accuracy %");
	legend(&c, 130, 705, col[0], "training (as trained)");
	if (have_val)
		legend(&c, 470, 705, col[1], "validation");
	free(buf);
	return tool_write_png(ctx, path, &c);
}

/* The side of a square number n of values, or 0. */
static size_t square_side(size_t n)
{
	size_t s = (size_t)llround(sqrt((double)n));
	return s * s == n ? s : 0;
}

int tool_plot_filters(tool_ctx *ctx, const char *path, const nn_net *net)
{
	/* the first layer with weights, and what it reads: the input, or the
	 * output of the pooling, flatten or dropout layers before it */
	nn_layer ly = { 0 };
	nn_shape in = nn_net_input_shape(net), out;
	size_t l = 1, L = nn_net_layers(net);
	for (; l <= L; l++, in = out) {
		if (nn_net_layer(&ly, &out, net, l) != 0)
			return tool_nn_error(ctx, NN_EINVAL, "--plot-filters %s", path);
		if (ly.type == NN_LAYER_DENSE || ly.type == NN_LAYER_CONV2D)
			break;
	}
	size_t C = in.channels, H = in.height, W = in.width, n, h, w;
	if (ly.type == NN_LAYER_CONV2D) {
		n = ly.units;
		h = w = ly.kernel;
	} else {
		if (H == 1 && W == 1 && square_side(C)) /* 784 values: a 28 x 28 image */
			H = W = square_side(C), C = 1;
		if (H == 1 || W == 1) {
			tool_error(ctx, "--plot-filters %s: the first layer reads %zu values, not an "
				   "image", path, in.channels * in.height * in.width);
			return TOOL_RUNTIME;
		}
		n = ly.units < TOOL_FILTERS_DENSE ? ly.units : TOOL_FILTERS_DENSE;
		h = H;
		w = W;
	}
	/* the layer's W is the first block of the parameters (no layer before
	 * it has any), units x inputs, column-major: ld = units */
	double *p = malloc(nn_net_param_count(net) * sizeof(double));
	double *f = malloc(n * h * w * sizeof(double));
	int rc = !p || !f ? NN_ENOMEM : nn_net_get_params(p, net);
	for (size_t k = 0; rc == 0 && k < n; k++)
		for (size_t y = 0; y < h; y++)
			for (size_t x = 0; x < w; x++) {
				/* input channel 0 at (y, x): a convolution's column
				 * c + C_in (x + k y), a dense layer's c + C (x + W y) */
				size_t col = C * (x + w * y);
				f[(k * h + y) * w + x] = p[k + ly.units * col];
			}
	plot_canvas c;
	char title[160];
	if (ly.type == NN_LAYER_CONV2D)
		snprintf(title, sizeof(title), "layer %zu: %zu kernels %zux%zu%s", l, n, h, w,
			 C > 1 ? " (input channel 1)" : "");
	else if (n < ly.units)
		snprintf(title, sizeof(title), "layer %zu: the first %zu of %zu units as %zux%zu images",
			 l, n, ly.units, h, w);
	else
		snprintf(title, sizeof(title), "layer %zu: %zu units as %zux%zu images", l, n, h, w);
	if (rc == 0)
		rc = plot_figure_filters(&c, f, n, h, w, title);
	free(p);
	free(f);
	return rc ? tool_nn_error(ctx, rc, "%s", path) : tool_write_png(ctx, path, &c);
}
