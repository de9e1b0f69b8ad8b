/*
 * Axes, scatter plots, decision regions, curves and whole figures on the
 * canvas. Text is the built-in font at scale 2 (10 x 14 pixel glyphs).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn/common.h"
#include "plot.h"

const plot_rgb plot_class_colors[2] = { { 31, 119, 180 }, { 255, 127, 14 } };
const plot_rgb plot_region_colors[2] = { { 174, 199, 232 }, { 255, 187, 120 } };

static const plot_rgb white = { 255, 255, 255 }, ink = { 38, 38, 38 }, grey = { 128, 128, 128 };
static const plot_rgb red = { 214, 39, 40 };

#define TEXT 2 /* font scale of all text */

void plot_axes_init(plot_axes *ax, plot_canvas *c, int x0, int y0, int x1, int y1, double xmin,
		  double xmax, double ymin, double ymax)
{
	/* An empty or non-finite range becomes a unit one, so mapping never divides by 0. */
	if (!(xmax > xmin) || !isfinite(xmax - xmin)) {
		xmin = isfinite(xmin) ? xmin - 0.5 : 0;
		xmax = xmin + 1;
	}
	if (!(ymax > ymin) || !isfinite(ymax - ymin)) {
		ymin = isfinite(ymin) ? ymin - 0.5 : 0;
		ymax = ymin + 1;
	}
	*ax = (plot_axes){ c, x0, y0, x1 > x0 ? x1 : x0 + 1, y1 > y0 ? y1 : y0 + 1,
			 xmin, xmax, ymin, ymax, 0 };
}

double plot_axes_px(const plot_axes *ax, double x)
{
	return ax->x0 + (x - ax->xmin) / (ax->xmax - ax->xmin) * (ax->x1 - ax->x0);
}

double plot_axes_py(const plot_axes *ax, double y)
{
	return ax->y1 - (y - ax->ymin) / (ax->ymax - ax->ymin) * (ax->y1 - ax->y0);
}

/* A tick spacing of 1, 2 or 5 times a power of ten giving about `target` ticks. */
static double nice_step(double span, int target)
{
	double raw = span / (target < 1 ? 1 : target);
	double p = pow(10, floor(log10(raw))), m = raw / p;
	return (m < 1.5 ? 1 : m < 3 ? 2 : m < 7 ? 5 : 10) * p;
}

/* Print tick value v with as many decimals as the spacing needs; no "-0". */
static void tick_label(char *buf, size_t n, double v, double step)
{
	int decimals = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
	if (fabs(v) < step * 1e-6)
		v = 0;
	snprintf(buf, n, "%.*f", decimals, v);
}

void plot_axes_draw(plot_axes *ax, const char *title, const char *xlabel, const char *ylabel)
{
	plot_canvas *c = ax->c;
	char buf[32];
	double sx = nice_step(ax->xmax - ax->xmin, (ax->x1 - ax->x0) / 90);
	double sy = nice_step(ax->ymax - ax->ymin, (ax->y1 - ax->y0) / 60);
	int widest = 0;
	for (double v = ceil(ax->xmin / sx - 1e-9) * sx; v <= ax->xmax + sx * 1e-9; v += sx) {
		int px = (int)lround(plot_axes_px(ax, v) - 0.5);
		plot_canvas_fill(c, px, ax->y1, px + 1, ax->y1 + 6, ink);
		tick_label(buf, sizeof(buf), v, sx);
		plot_canvas_text(c, px, ax->y1 + 10, buf, ink, TEXT, PLOT_ALIGN_CENTER, PLOT_ALIGN_START);
	}
	if (ax->ylog) {
		/* Ticks at 1, 2 and 5 times each power of ten (only powers over many decades). */
		static const double mult[3] = { 1, 2, 5 };
		int all = ax->ymax - ax->ymin <= 3;
		for (double e = floor(ax->ymin); e <= ax->ymax; e++)
			for (int m = 0; m < (all ? 3 : 1); m++) {
				double v = e + log10(mult[m]);
				if (v < ax->ymin - 1e-9 || v > ax->ymax + 1e-9)
					continue;
				int py = (int)lround(plot_axes_py(ax, v) - 0.5);
				plot_canvas_fill(c, ax->x0 - (m ? 4 : 6), py, ax->x0, py + 1, ink);
				snprintf(buf, sizeof(buf), "%g", mult[m] * pow(10, e));
				plot_canvas_text(c, ax->x0 - 10, py, buf, ink, TEXT, PLOT_ALIGN_END,
					       PLOT_ALIGN_CENTER);
				int w = plot_text_width(buf, TEXT);
				widest = w > widest ? w : widest;
			}
	}
	for (double v = ceil(ax->ymin / sy - 1e-9) * sy; !ax->ylog && v <= ax->ymax + sy * 1e-9;
	     v += sy) {
		int py = (int)lround(plot_axes_py(ax, v) - 0.5);
		plot_canvas_fill(c, ax->x0 - 6, py, ax->x0, py + 1, ink);
		tick_label(buf, sizeof(buf), v, sy);
		plot_canvas_text(c, ax->x0 - 10, py, buf, ink, TEXT, PLOT_ALIGN_END, PLOT_ALIGN_CENTER);
		int w = plot_text_width(buf, TEXT);
		widest = w > widest ? w : widest;
	}
	plot_canvas_frame(c, ax->x0 - 1, ax->y0 - 1, ax->x1 + 1, ax->y1 + 1, 1, ink);
	int xmid = (ax->x0 + ax->x1) / 2, ymid = (ax->y0 + ax->y1) / 2;
	if (title)
		plot_canvas_text(c, xmid, ax->y0 - 12, title, ink, TEXT, PLOT_ALIGN_CENTER, PLOT_ALIGN_END);
	if (xlabel)
		plot_canvas_text(c, xmid, ax->y1 + 34, xlabel, ink, TEXT, PLOT_ALIGN_CENTER,
			       PLOT_ALIGN_START);
	if (ylabel)
		plot_canvas_text_up(c, ax->x0 - 18 - widest, ymid, ylabel, ink, TEXT, PLOT_ALIGN_CENTER,
				  PLOT_ALIGN_END);
}

void plot_scatter(plot_axes *ax, const double *x, const double *y, size_t stride, size_t n,
		     const int *cls, const plot_rgb *palette, int ncls, double r)
{
	for (size_t i = 0; i < n; i++) {
		int k = cls[i];
		if (k < 0 || k >= ncls)
			continue;
		plot_rgb edge = plot_rgb_mix(palette[k], (plot_rgb){ 0, 0, 0 }, 0.45);
		plot_canvas_disc(ax->c, plot_axes_px(ax, x[i * stride]), plot_axes_py(ax, y[i * stride]), r,
			       palette[k], edge);
	}
}

/* Index of the grid point nearest v, or -1 beyond the grid. */
static long nearest(double v, double g0, double step, size_t n)
{
	double i = floor((v - g0) / step + 0.5);
	return i >= 0 && i < (double)n ? (long)i : -1;
}

void plot_regions(plot_axes *ax, const int *cls, size_t nx, size_t ny, double gx0, double gy0,
		     double step, const plot_rgb *palette, int ncls)
{
	if (!(step > 0))
		return;
	double fx = (ax->xmax - ax->xmin) / (ax->x1 - ax->x0);
	double fy = (ax->ymax - ax->ymin) / (ax->y1 - ax->y0);
	for (int py = ax->y0; py < ax->y1; py++) {
		long j = nearest(ax->ymax - (py + 0.5 - ax->y0) * fy, gy0, step, ny);
		if (j < 0)
			continue;
		for (int px = ax->x0; px < ax->x1; px++) {
			long i = nearest(ax->xmin + (px + 0.5 - ax->x0) * fx, gx0, step, nx);
			if (i < 0)
				continue;
			int k = cls[(size_t)i + (size_t)j * nx];
			if (k >= 0 && k < ncls)
				plot_canvas_set(ax->c, px, py, palette[k]);
		}
	}
}

/* Liang-Barsky: clip the segment to [x0, x1] x [y0, y1]; 0 when nothing is left. */
static int clip(double *ax_, double *ay, double *bx, double *by, double x0, double y0, double x1,
		double y1)
{
	double t0 = 0, t1 = 1, dx = *bx - *ax_, dy = *by - *ay;
	double p[4] = { -dx, dx, -dy, dy };
	double q[4] = { *ax_ - x0, x1 - *ax_, *ay - y0, y1 - *ay };
	for (int i = 0; i < 4; i++) {
		if (p[i] == 0) {
			if (q[i] < 0)
				return 0;
			continue;
		}
		double t = q[i] / p[i];
		if (p[i] < 0 && t > t0)
			t0 = t;
		else if (p[i] > 0 && t < t1)
			t1 = t;
	}
	if (t0 > t1)
		return 0;
	double sx = *ax_, sy = *ay;
	*ax_ = sx + t0 * dx;
	*ay = sy + t0 * dy;
	*bx = sx + t1 * dx;
	*by = sy + t1 * dy;
	return 1;
}

void plot_curve(plot_axes *ax, const double *x, const double *y, size_t n, double width,
		   plot_rgb col)
{
	int have = 0;
	double lx = 0, ly = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(x[i]) || !isfinite(y[i])) {
			have = 0;
			continue;
		}
		double px = plot_axes_px(ax, x[i]), py = plot_axes_py(ax, y[i]);
		double ax_ = lx, ay = ly, bx = px, by = py;
		if (!have)
			ax_ = bx, ay = by;
		if (clip(&ax_, &ay, &bx, &by, ax->x0, ax->y0, ax->x1, ax->y1))
			plot_canvas_line(ax->c, ax_, ay, bx, by, width, col);
		lx = px;
		ly = py;
		have = 1;
	}
}

/* Smallest and largest finite value of v[i * stride], i < n; 0 when there is none. */
static int range_of(const double *v, size_t stride, size_t n, double *lo, double *hi)
{
	int any = 0;
	for (size_t i = 0; i < n; i++) {
		double a = v[i * stride];
		if (!isfinite(a))
			continue;
		if (!any || a < *lo)
			*lo = a;
		if (!any || a > *hi)
			*hi = a;
		any = 1;
	}
	return any;
}

int plot_figure_classes(plot_canvas *out, const double *x, const double *y, size_t stride, size_t n,
		      const int *cls, const plot_region_grid *grid, const char *title)
{
	if (!out || !x || !y || !cls)
		return NN_ENULL;
	int rc = plot_canvas_new(out, 700, 580, white);
	if (rc)
		return rc;
	double xmin = 0, xmax = 1, ymin = 0, ymax = 1;
	if (grid) {
		xmin = grid->x0;
		xmax = grid->x0 + (double)(grid->nx - 1) * grid->step;
		ymin = grid->y0;
		ymax = grid->y0 + (double)(grid->ny - 1) * grid->step;
	} else if (range_of(x, stride, n, &xmin, &xmax) && range_of(y, stride, n, &ymin, &ymax)) {
		xmin -= 0.5, xmax += 0.5, ymin -= 0.5, ymax += 0.5;
	}
	plot_axes ax;
	plot_axes_init(&ax, out, 100, 50, 670, 490, xmin, xmax, ymin, ymax);
	if (grid && grid->cls)
		plot_regions(&ax, grid->cls, grid->nx, grid->ny, grid->x0, grid->y0, grid->step,
				plot_region_colors, 2);
	plot_scatter(&ax, x, y, stride, n, cls, plot_class_colors, 2, 4.0);
	plot_axes_draw(&ax, title, "x1", "x2");
	/* Legend, bottom right. */
	for (int k = 0; k < 2; k++) {
		int lx = 580 + 55 * k, ly = 553;
		plot_canvas_disc(out, lx, ly, 5, plot_class_colors[k],
			       plot_rgb_mix(plot_class_colors[k], (plot_rgb){ 0, 0, 0 }, 0.45));
		plot_canvas_text(out, lx + 10, ly, k ? "1" : "0", ink, TEXT, PLOT_ALIGN_START,
			       PLOT_ALIGN_CENTER);
	}
	plot_canvas_text(out, 565, 553, "class", ink, TEXT, PLOT_ALIGN_END, PLOT_ALIGN_CENTER);
	return 0;
}

int plot_figure_history(plot_canvas *out, const double *step, const double *cost,
		      const double *best_percent, size_t n, const char *title)
{
	if (!out || !step || !cost || !best_percent)
		return NN_ENULL;
	int rc = plot_canvas_new(out, 760, 700, white);
	if (rc)
		return rc;
	double s0 = 0, s1 = 1, c0 = 0, c1 = 1;
	range_of(step, 1, n, &s0, &s1);
	int any = range_of(cost, 1, n, &c0, &c1);
	/* A cost falling over more than a decade reads better on a log scale. */
	double *logc = any && c0 > 0 && c1 > 10 * c0 ? malloc(n * sizeof(double)) : NULL;
	if (logc) {
		for (size_t i = 0; i < n; i++)
			logc[i] = cost[i] > 0 ? log10(cost[i]) : NAN;
		c0 = log10(c0);
		c1 = log10(c1);
	}
	double pad = 0.05 * (c1 - c0);
	plot_axes top, bottom;
	plot_axes_init(&top, out, 110, 50, 730, 300, s0, s1, c0 - pad, c1 + pad);
	top.ylog = logc != NULL;
	plot_axes_init(&bottom, out, 110, 370, 730, 620, s0, s1, 0, 100);
	plot_curve(&top, step, logc ? logc : cost, n, 2.0, plot_class_colors[0]);
	free(logc);
	plot_curve(&bottom, step, best_percent, n, 2.0, plot_class_colors[1]);
	plot_axes_draw(&top, title, NULL, "cost");
	plot_axes_draw(&bottom, NULL, "step", "best %");
	return 0;
}

int plot_figure_bars(plot_canvas *out, const double *value, const char *const *label, size_t n,
		   const char *value_fmt, const char *title, const char *ylabel)
{
	if (!out || !value || !label || !value_fmt)
		return NN_ENULL;
	if (n == 0 || n > 64)
		return NN_EINVAL;
	int rc = plot_canvas_new(out, 760, 520, white);
	if (rc)
		return rc;
	double hi = 0;
	for (size_t i = 0; i < n; i++)
		if (isfinite(value[i]) && value[i] > hi)
			hi = value[i];
	plot_axes ax;
	plot_axes_init(&ax, out, 110, 50, 740, 440, 0, (double)n, 0, hi > 0 ? hi * 1.12 : 1);
	double slot = (double)(ax.x1 - ax.x0) / (double)n;
	char buf[64];
	for (size_t i = 0; i < n; i++) {
		int bx0 = (int)lround(ax.x0 + slot * ((double)i + 0.15));
		int bx1 = (int)lround(ax.x0 + slot * ((double)i + 0.85));
		double v = isfinite(value[i]) && value[i] > 0 ? value[i] : 0;
		int top = (int)lround(plot_axes_py(&ax, v));
		plot_canvas_fill(out, bx0, top, bx1, ax.y1, plot_class_colors[0]);
		snprintf(buf, sizeof(buf), value_fmt, value[i]);
		int mid = (bx0 + bx1) / 2, scale = plot_text_width(buf, TEXT) <= slot ? TEXT : 1;
		plot_canvas_text(out, mid, top - 4, buf, ink, scale, PLOT_ALIGN_CENTER, PLOT_ALIGN_END);
		const char *l = label[i] ? label[i] : "";
		scale = plot_text_width(l, TEXT) <= slot ? TEXT : 1;
		plot_canvas_text(out, mid, ax.y1 + 10 + (int)(i % 2) * (scale == 1 ? 10 : 0), l, ink,
			       scale, PLOT_ALIGN_CENTER, PLOT_ALIGN_START);
	}
	/* Only the y axis has numbers: the x positions are categories. */
	double sy = nice_step(ax.ymax, (ax.y1 - ax.y0) / 60);
	int widest = 0;
	for (double v = 0; v <= ax.ymax + sy * 1e-9; v += sy) {
		int py = (int)lround(plot_axes_py(&ax, v) - 0.5);
		plot_canvas_fill(out, ax.x0 - 6, py, ax.x0, py + 1, ink);
		tick_label(buf, sizeof(buf), v, sy);
		plot_canvas_text(out, ax.x0 - 10, py, buf, ink, TEXT, PLOT_ALIGN_END, PLOT_ALIGN_CENTER);
		int w = plot_text_width(buf, TEXT);
		widest = w > widest ? w : widest;
	}
	plot_canvas_frame(out, ax.x0 - 1, ax.y0 - 1, ax.x1 + 1, ax.y1 + 1, 1, ink);
	if (title)
		plot_canvas_text(out, (ax.x0 + ax.x1) / 2, ax.y0 - 12, title, ink, TEXT,
			       PLOT_ALIGN_CENTER, PLOT_ALIGN_END);
	if (ylabel)
		plot_canvas_text_up(out, ax.x0 - 18 - widest, (ax.y0 + ax.y1) / 2, ylabel, ink, TEXT,
				  PLOT_ALIGN_CENTER, PLOT_ALIGN_END);
	return 0;
}

int plot_figure_digits(plot_canvas *out, const double *pix, size_t ld, size_t n, int cols, int zoom,
		     const int *pred, const int *truth, const char *title)
{
	if (!out || !pix || !pred)
		return NN_ENULL;
	if (n == 0 || cols < 1 || zoom < 1 || zoom > 8 || ld < 784 || n > 10000)
		return NN_EINVAL;
	int side = 28 * zoom, cellw = side + 24, cellh = side + 34;
	int ncols = (size_t)cols < n ? cols : (int)n, nrows = (int)((n + (size_t)cols - 1) / (size_t)cols);
	int w = ncols * cellw + 20, h = nrows * cellh + 60;
	if (w < 460)
		w = 460;
	int rc = plot_canvas_new(out, w, h, white);
	if (rc)
		return rc;
	if (title)
		plot_canvas_text(out, w / 2, 14, title, ink, TEXT, PLOT_ALIGN_CENTER, PLOT_ALIGN_START);
	char buf[32];
	for (size_t k = 0; k < n; k++) {
		int x0 = 10 + 12 + (int)(k % (size_t)cols) * cellw;
		int y0 = 50 + (int)(k / (size_t)cols) * cellh;
		const double *d = pix + k * ld;
		for (int r = 0; r < 28; r++)
			for (int c = 0; c < 28; c++) {
				double v = d[r * 28 + c];
				v = v < 0 ? 0 : v > 1 ? 1 : v;
				unsigned char g = (unsigned char)lround(255 * (1 - v));
				plot_canvas_fill(out, x0 + c * zoom, y0 + r * zoom, x0 + (c + 1) * zoom,
					       y0 + (r + 1) * zoom, (plot_rgb){ g, g, g });
			}
		int wrong = truth && pred[k] != truth[k];
		if (wrong) {
			plot_canvas_frame(out, x0 - 3, y0 - 3, x0 + side + 3, y0 + side + 3, 2, red);
			snprintf(buf, sizeof(buf), "%d (%d)", pred[k], truth[k]);
		} else {
			plot_canvas_frame(out, x0 - 1, y0 - 1, x0 + side + 1, y0 + side + 1, 1, grey);
			snprintf(buf, sizeof(buf), "%d", pred[k]);
		}
		plot_canvas_text(out, x0 + side / 2, y0 + side + 8, buf, wrong ? red : ink, TEXT,
			       PLOT_ALIGN_CENTER, PLOT_ALIGN_START);
	}
	return 0;
}

int plot_figure_filters(plot_canvas *out, const double *v, size_t n, size_t h, size_t w,
			const char *title)
{
	if (!out || !v)
		return NN_ENULL;
	if (n == 0 || h == 0 || w == 0 || n > 4096 || h > 1024 || w > 1024)
		return NN_EINVAL;
	size_t side = h > w ? h : w;
	int zoom = side >= 84 ? 1 : (int)(84 / side), fw = (int)w * zoom, fh = (int)h * zoom;
	int cellw = fw + 10, cellh = fh + 10;
	int cols = n < PLOT_FILTER_COLS ? (int)n : PLOT_FILTER_COLS;
	int rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
	int cw = 20 + cols * cellw, ch = 60 + rows * cellh;
	int rc = plot_canvas_new(out, cw > 460 ? cw : 460, ch, white);
	if (rc)
		return rc;
	if (title) {
		int scale = plot_text_width(title, TEXT) + 20 <= out->w ? TEXT : 1;
		plot_canvas_text(out, out->w / 2, 10, title, ink, scale, PLOT_ALIGN_CENTER,
				 PLOT_ALIGN_START);
	}
	plot_canvas_text(out, out->w / 2, 33, "each scaled to its own range: smallest black, largest "
			 "white", grey, 1, PLOT_ALIGN_CENTER, PLOT_ALIGN_START);
	for (size_t k = 0; k < n; k++) {
		const double *f = v + k * h * w;
		double lo = f[0], hi = f[0];
		for (size_t i = 1; i < h * w; i++) {
			lo = f[i] < lo ? f[i] : lo;
			hi = f[i] > hi ? f[i] : hi;
		}
		int x0 = 15 + (int)(k % (size_t)cols) * cellw, y0 = 55 + (int)(k / (size_t)cols) * cellh;
		plot_canvas_frame(out, x0 - 1, y0 - 1, x0 + fw + 1, y0 + fh + 1, 1, grey);
		for (size_t y = 0; y < h; y++)
			for (size_t x = 0; x < w; x++) {
				/* its own range: min black, max white; a constant filter mid-grey */
				double t = hi > lo ? (f[y * w + x] - lo) / (hi - lo) : 0.5;
				if (!(t >= 0 && t <= 1)) /* NaN, or a range that overflows */
					t = 0.5;
				unsigned char g = (unsigned char)lround(255 * t);
				plot_canvas_fill(out, x0 + (int)x * zoom, y0 + (int)y * zoom,
						 x0 + ((int)x + 1) * zoom, y0 + ((int)y + 1) * zoom,
						 (plot_rgb){ g, g, g });
			}
	}
	return 0;
}

int plot_figure_confusion(plot_canvas *out, const size_t *counts, int k, const char *title)
{
	if (!out || !counts)
		return NN_ENULL;
	if (k < 1 || k > 40)
		return NN_EINVAL;
	int cell = 440 / k, x0 = 110, y0 = 60, side = cell * k;
	int rc = plot_canvas_new(out, x0 + side + 40, y0 + side + 80, white);
	if (rc)
		return rc;
	size_t most = 0;
	for (int i = 0; i < k * k; i++)
		most = counts[i] > most ? counts[i] : most;
	/* White through matplotlib's blue to navy, as the count grows. */
	const plot_rgb mid = plot_class_colors[0], dark = { 8, 48, 107 };
	char buf[32];
	for (int t = 0; t < k; t++)
		for (int p = 0; p < k; p++) {
			size_t v = counts[t * k + p];
			double f = most ? (double)v / (double)most : 0;
			plot_rgb col = f < 0.5 ? plot_rgb_mix(white, mid, 2 * f) : plot_rgb_mix(mid, dark, 2 * f - 1);
			int cx = x0 + p * cell, cy = y0 + t * cell;
			plot_canvas_fill(out, cx, cy, cx + cell, cy + cell, col);
			snprintf(buf, sizeof(buf), "%zu", v);
			int scale = plot_text_width(buf, TEXT) + 4 <= cell ? TEXT : 1;
			plot_canvas_text(out, cx + cell / 2, cy + cell / 2, buf, f > 0.45 ? white : ink, scale,
				       PLOT_ALIGN_CENTER, PLOT_ALIGN_CENTER);
		}
	for (int i = 0; i < k; i++) {
		snprintf(buf, sizeof(buf), "%d", i);
		plot_canvas_text(out, x0 + i * cell + cell / 2, y0 + side + 8, buf, ink, TEXT,
			       PLOT_ALIGN_CENTER, PLOT_ALIGN_START);
		plot_canvas_text(out, x0 - 8, y0 + i * cell + cell / 2, buf, ink, TEXT, PLOT_ALIGN_END,
			       PLOT_ALIGN_CENTER);
	}
	plot_canvas_frame(out, x0 - 1, y0 - 1, x0 + side + 1, y0 + side + 1, 1, ink);
	if (title)
		plot_canvas_text(out, x0 + side / 2, y0 - 14, title, ink, TEXT, PLOT_ALIGN_CENTER,
			       PLOT_ALIGN_END);
	plot_canvas_text(out, x0 + side / 2, y0 + side + 36, "predicted", ink, TEXT, PLOT_ALIGN_CENTER,
		       PLOT_ALIGN_START);
	plot_canvas_text_up(out, x0 - 40, y0 + side / 2, "true", ink, TEXT, PLOT_ALIGN_CENTER,
			  PLOT_ALIGN_END);
	return 0;
}
