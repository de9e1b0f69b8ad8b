/*
 * Raster drawing for the plots. Anti-aliasing is by coverage: a pixel whose
 * centre lies at distance d from a shape's edge (negative inside) is mixed
 * in with weight clamp(0.5 - d, 0, 1), which is close to the exact area
 * for edges straighter than a pixel.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn/common.h"
#include "canvas.h"
#include "png.h"

int plot_canvas_new(plot_canvas *c, int w, int h, plot_rgb bg)
{
	if (!c)
		return NN_ENULL;
	*c = (plot_canvas){ 0 };
	if (w < 1 || h < 1 || w > 16384 || h > 16384)
		return NN_EINVAL;
	c->px = malloc((size_t)w * (size_t)h * 3);
	if (!c->px)
		return NN_ENOMEM;
	c->w = w;
	c->h = h;
	plot_canvas_fill(c, 0, 0, w, h, bg);
	return 0;
}

void plot_canvas_free(plot_canvas *c)
{
	if (!c)
		return;
	free(c->px);
	*c = (plot_canvas){ 0 };
}

int plot_canvas_png(const plot_canvas *c, plot_sink sink, void *user)
{
	if (!c || !c->px)
		return NN_ENULL;
	return plot_png_write(sink, user, c->px, (size_t)c->w, (size_t)c->h);
}

plot_rgb plot_canvas_get(const plot_canvas *c, int x, int y)
{
	if (x < 0 || y < 0 || x >= c->w || y >= c->h)
		return (plot_rgb){ 0, 0, 0 };
	const unsigned char *p = c->px + ((size_t)y * (size_t)c->w + (size_t)x) * 3;
	return (plot_rgb){ p[0], p[1], p[2] };
}

void plot_canvas_set(plot_canvas *c, int x, int y, plot_rgb col)
{
	if (x < 0 || y < 0 || x >= c->w || y >= c->h)
		return;
	unsigned char *p = c->px + ((size_t)y * (size_t)c->w + (size_t)x) * 3;
	p[0] = col.r;
	p[1] = col.g;
	p[2] = col.b;
}

static unsigned char mix1(unsigned char a, unsigned char b, double t)
{
	double v = a + (b - a) * t;
	return (unsigned char)lround(v < 0 ? 0 : v > 255 ? 255 : v);
}

plot_rgb plot_rgb_mix(plot_rgb a, plot_rgb b, double t)
{
	return (plot_rgb){ mix1(a.r, b.r, t), mix1(a.g, b.g, t), mix1(a.b, b.b, t) };
}

void plot_canvas_blend(plot_canvas *c, int x, int y, plot_rgb col, double alpha)
{
	if (x < 0 || y < 0 || x >= c->w || y >= c->h || !(alpha > 0))
		return;
	if (alpha >= 1) {
		plot_canvas_set(c, x, y, col);
		return;
	}
	plot_canvas_set(c, x, y, plot_rgb_mix(plot_canvas_get(c, x, y), col, alpha));
}

void plot_canvas_fill(plot_canvas *c, int x0, int y0, int x1, int y1, plot_rgb col)
{
	if (x0 < 0)
		x0 = 0;
	if (y0 < 0)
		y0 = 0;
	if (x1 > c->w)
		x1 = c->w;
	if (y1 > c->h)
		y1 = c->h;
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++)
			plot_canvas_set(c, x, y, col);
}

void plot_canvas_frame(plot_canvas *c, int x0, int y0, int x1, int y1, int t, plot_rgb col)
{
	plot_canvas_fill(c, x0, y0, x1, y0 + t, col);
	plot_canvas_fill(c, x0, y1 - t, x1, y1, col);
	plot_canvas_fill(c, x0, y0, x0 + t, y1, col);
	plot_canvas_fill(c, x1 - t, y0, x1, y1, col);
}

static double clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

void plot_canvas_line(plot_canvas *c, double x0, double y0, double x1, double y1, double width,
		    plot_rgb col)
{
	if (!isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1))
		return;
	double r = width / 2, dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
	/* Clip the bounding box to the canvas before looping over it. */
	double bx0 = fmax(fmin(x0, x1) - r - 1, 0), bx1 = fmin(fmax(x0, x1) + r + 1, c->w);
	double by0 = fmax(fmin(y0, y1) - r - 1, 0), by1 = fmin(fmax(y0, y1) + r + 1, c->h);
	for (int y = (int)by0; y < (int)ceil(by1); y++) {
		for (int x = (int)bx0; x < (int)ceil(bx1); x++) {
			double px = x + 0.5 - x0, py = y + 0.5 - y0;
			/* Distance from the pixel centre to the segment. */
			double t = len2 > 0 ? clamp01((px * dx + py * dy) / len2) : 0;
			double ex = px - t * dx, ey = py - t * dy;
			double d = sqrt(ex * ex + ey * ey) - r;
			plot_canvas_blend(c, x, y, col, clamp01(0.5 - d));
		}
	}
}

void plot_canvas_disc(plot_canvas *c, double cx, double cy, double r, plot_rgb fill, plot_rgb edge)
{
	if (!isfinite(cx) || !isfinite(cy) || !(r > 0))
		return;
	int x0 = (int)floor(cx - r - 1), x1 = (int)ceil(cx + r + 1);
	int y0 = (int)floor(cy - r - 1), y1 = (int)ceil(cy + r + 1);
	for (int y = y0 < 0 ? 0 : y0; y < y1 && y < c->h; y++) {
		for (int x = x0 < 0 ? 0 : x0; x < x1 && x < c->w; x++) {
			double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
			double d = sqrt(dx * dx + dy * dy);
			/* The edge ring is the outer pixel; the fill what lies within it. */
			plot_canvas_blend(c, x, y, edge, clamp01(0.5 - (d - r)));
			plot_canvas_blend(c, x, y, fill, clamp01(0.5 - (d - (r - 1))));
		}
	}
}

int plot_text_width(const char *s, int scale)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0)
		return 0;
	return (int)(n * PLOT_FONT_ADVANCE - 1) * scale;
}

/* Where a run of length len starts when anchored at p by align. */
static int aligned(int p, int len, enum plot_align align)
{
	return align == PLOT_ALIGN_CENTER ? p - len / 2 : align == PLOT_ALIGN_END ? p - len : p;
}

void plot_canvas_text(plot_canvas *c, int x, int y, const char *s, plot_rgb col, int scale,
		    enum plot_align halign, enum plot_align valign)
{
	if (!s || scale < 1)
		return;
	x = aligned(x, plot_text_width(s, scale), halign);
	y = aligned(y, PLOT_FONT_HEIGHT * scale, valign);
	for (; *s; s++, x += PLOT_FONT_ADVANCE * scale) {
		const unsigned char *g = plot_font_glyph(*s);
		for (int row = 0; row < PLOT_FONT_ROWS; row++)
			for (int col_ = 0; col_ < 5; col_++)
				if (g[row] & (0x10 >> col_))
					plot_canvas_fill(c, x + col_ * scale, y + row * scale,
						       x + (col_ + 1) * scale, y + (row + 1) * scale, col);
	}
}

void plot_canvas_text_up(plot_canvas *c, int x, int y, const char *s, plot_rgb col, int scale,
		       enum plot_align halign, enum plot_align valign)
{
	if (!s || scale < 1)
		return;
	/*
	 * Rotated, the text runs upwards from its bottom end ybot, glyph tops
	 * to the left: halign places it along y and valign along x.
	 */
	int len = plot_text_width(s, scale), tall = PLOT_FONT_HEIGHT * scale;
	int ybot = halign == PLOT_ALIGN_CENTER ? y + len / 2 : halign == PLOT_ALIGN_END ? y + len : y;
	int xl = aligned(x, tall, valign);
	for (; *s; s++, ybot -= PLOT_FONT_ADVANCE * scale) {
		const unsigned char *g = plot_font_glyph(*s);
		for (int row = 0; row < PLOT_FONT_ROWS; row++)
			for (int col_ = 0; col_ < 5; col_++)
				if (g[row] & (0x10 >> col_)) {
					/* glyph (col_, row) -> canvas (xl + row, ybot - col_ - 1) */
					int px = xl + row * scale, py = ybot - (col_ + 1) * scale;
					plot_canvas_fill(c, px, py, px + scale, py + scale, col);
				}
	}
}
