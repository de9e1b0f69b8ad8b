/*
 * The picture of a mini-batch training history: per epoch, the mean cost
 * (top) and the accuracy in percent (bottom), the training set's as trained
 * (blue) and the validation set's after the epoch (orange).
 */
#include <math.h>
#include <stdlib.h>

#include "canvas.h"
#include "plot.h"
#include "toolkit.h"

static const nn_rgb white = { 255, 255, 255 }, ink = { 38, 38, 38 };

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
static void marks(nn_axes *ax, const double *x, const double *y, size_t n, nn_rgb col)
{
	if (n > 40)
		return;
	for (size_t i = 0; i < n; i++)
		if (isfinite(y[i]))
			nn_canvas_disc(ax->c, nn_axes_px(ax, x[i]), nn_axes_py(ax, y[i]), 3.5, col, col);
}

/* A legend entry: a short line in col and its label, at (x, y). */
static void legend(nn_canvas *c, int x, int y, nn_rgb col, const char *label)
{
	nn_canvas_line(c, x, y, x + 28, y, 3.0, col);
	nn_canvas_text(c, x + 36, y, label, ink, 2, NN_ALIGN_START, NN_ALIGN_CENTER);
}

int ex_plot_fit_history(const char *prog, const char *path, const nn_history *h,
			const char *title)
{
	size_t n = h->n;
	double *buf = malloc(5 * (n ? n : 1) * sizeof(double));
	if (!buf) {
		ex_error(prog, "%s: %s", path, nn_strerror(NN_ENOMEM));
		return EX_RUNTIME;
	}
	double *ep = buf, *tc = buf + n, *vc = buf + 2 * n, *ta = buf + 3 * n, *va = buf + 4 * n;
	int have_val = 0;
	for (size_t i = 0; i < n; i++) {
		const nn_epoch_stats *e = &h->epochs[i];
		ep[i] = (double)(e->epoch + 1);
		tc[i] = e->train_cost;
		vc[i] = e->val_cost;
		ta[i] = 100 * e->train_accuracy;
		va[i] = 100 * e->val_accuracy;
		have_val |= isfinite(e->val_cost);
	}
	nn_canvas c;
	int rc = nn_canvas_new(&c, 760, 730, white);
	if (rc) {
		free(buf);
		ex_error(prog, "%s: %s", path, nn_strerror(rc));
		return EX_RUNTIME;
	}
	double c0 = 0, c1 = 1, a0 = 0, a1 = 100;
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
	/* at least 5 epochs wide, so that the ticks fall on whole epochs */
	double xmax = (double)(n > 5 ? n : 5) + 0.5;
	nn_axes top, bottom;
	nn_axes_init(&top, &c, 110, 50, 730, 300, 0, xmax, c0 - cpad, c1 + cpad);
	top.ylog = ylog;
	nn_axes_init(&bottom, &c, 110, 370, 730, 620, 0, xmax, fmax(a0 - apad, 0),
		     fmin(a1 + apad, 100));
	const nn_rgb *col = nn_plot_class_colors;
	nn_plot_curve(&top, ep, tc, n, 2.0, col[0]);
	nn_plot_curve(&bottom, ep, ta, n, 2.0, col[0]);
	marks(&top, ep, tc, n, col[0]);
	marks(&bottom, ep, ta, n, col[0]);
	if (have_val) {
		nn_plot_curve(&top, ep, vc, n, 2.0, col[1]);
		nn_plot_curve(&bottom, ep, va, n, 2.0, col[1]);
		marks(&top, ep, vc, n, col[1]);
		marks(&bottom, ep, va, n, col[1]);
	}
	nn_axes_draw(&top, title, NULL, "mean cost");
	nn_axes_draw(&bottom, NULL, "epoch", "accuracy %");
	legend(&c, 130, 705, col[0], "training (as trained)");
	if (have_val)
		legend(&c, 470, 705, col[1], "validation");
	free(buf);
	return ex_write_png(prog, &c, path);
}
