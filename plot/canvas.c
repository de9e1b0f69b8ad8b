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

int nn_canvas_new(nn_canvas *c, int w, int h, nn_rgb bg)
{
	if (!c)
		return NN_ENULL;
	*c = (nn_canvas){ 0 };
	if (w < 1 || h < 1 || w > 16384 || h > 16384)
		return NN_EINVAL;
	c->px = malloc((size_t)w * (size_t)h * 3);
	if (!c->px)
		return NN_ENOMEM;
	c->w = w;
	c->h = h;
	nn_canvas_fill(c, 0, 0, w, h, bg);
	return 0;
}

void nn_canvas_free(nn_canvas *c)
{
	if (!c)
		return;
	free(c->px);
	*c = (nn_canvas){ 0 };
}

int nn_canvas_write_png(const nn_canvas *c, const char *path)
{
	if (!c || !c->px)
		return NN_ENULL;
	return nn_png_write(path, c->px, (size_t)c->w, (size_t)c->h);
}

nn_rgb nn_canvas_get(const nn_canvas *c, int x, int y)
{
	if (x < 0 || y < 0 || x >= c->w || y >= c->h)
		return (nn_rgb){ 0, 0, 0 };
	const unsigned char *p = c->px + ((size_t)y * (size_t)c->w + (size_t)x) * 3;
	return (nn_rgb){ p[0], p[1], p[2] };
}

void nn_canvas_set(nn_canvas *c, int x, int y, nn_rgb col)
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

nn_rgb nn_rgb_mix(nn_rgb a, nn_rgb b, double t)
{
	return (nn_rgb){ mix1(a.r, b.r, t), mix1(a.g, b.g, t), mix1(a.b, b.b, t) };
}

void nn_canvas_blend(nn_canvas *c, int x, int y, nn_rgb col, double alpha)
{
	if (x < 0 || y < 0 || x >= c->w || y >= c->h || !(alpha > 0))
		return;
	if (alpha >= 1) {
		nn_canvas_set(c, x, y, col);
		return;
	}
	nn_canvas_set(c, x, y, nn_rgb_mix(nn_canvas_get(c, x, y), col, alpha));
}

void nn_canvas_fill(nn_canvas *c, int x0, int y0, int x1, int y1, nn_rgb col)
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
			nn_canvas_set(c, x, y, col);
}

void nn_canvas_frame(nn_canvas *c, int x0, int y0, int x1, int y1, int t, nn_rgb col)
{
	nn_canvas_fill(c, x0, y0, x1, y0 + t, col);
	nn_canvas_fill(c, x0, y1 - t, x1, y1, col);
	nn_canvas_fill(c, x0, y0, x0 + t, y1, col);
	nn_canvas_fill(c, x1 - t, y0, x1, y1, col);
}

static double clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

void nn_canvas_line(nn_canvas *c, double x0, double y0, double x1, double y1, double width,
		    nn_rgb col)
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
			nn_canvas_blend(c, x, y, col, clamp01(0.5 - d));
		}
	}
}

void nn_canvas_disc(nn_canvas *c, double cx, double cy, double r, nn_rgb fill, nn_rgb edge)
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
			nn_canvas_blend(c, x, y, edge, clamp01(0.5 - (d - r)));
			nn_canvas_blend(c, x, y, fill, clamp01(0.5 - (d - (r - 1))));
		}
	}
}

int nn_text_width(const char *s, int scale)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0)
		return 0;
	return (int)(n * NN_FONT_ADVANCE - 1) * scale;
}

/* Where a run of length len starts when anchored at p by align. */
static int aligned(int p, int len, enum nn_align align)
{
	return align == NN_ALIGN_CENTER ? p - len / 2 : align == NN_ALIGN_END ? p - len : p;
}

void nn_canvas_text(nn_canvas *c, int x, int y, const char *s, nn_rgb col, int scale,
		    enum nn_align halign, enum nn_align valign)
{
	if (!s || scale < 1)
		return;
	x = aligned(x, nn_text_width(s, scale), halign);
	y = aligned(y, NN_FONT_HEIGHT * scale, valign);
	for (; *s; s++, x += NN_FONT_ADVANCE * scale) {
		const unsigned char *g = nn_font_glyph(*s);
		for (int row = 0; row < NN_FONT_ROWS; row++)
			for (int col_ = 0; col_ < 5; col_++)
				if (g[row] & (0x10 >> col_))
					nn_canvas_fill(c, x + col_ * scale, y + row * scale,
						       x + (col_ + 1) * scale, y + (row + 1) * scale, col);
	}
}

void nn_canvas_text_up(nn_canvas *c, int x, int y, const char *s, nn_rgb col, int scale,
		       enum nn_align halign, enum nn_align valign)
{
	if (!s || scale < 1)
		return;
	/*
	 * Rotated, the text runs upwards from its bottom end ybot, glyph tops
	 * to the left: halign places it along y and valign along x.
	 */
	int len = nn_text_width(s, scale), tall = NN_FONT_HEIGHT * scale;
	int ybot = halign == NN_ALIGN_CENTER ? y + len / 2 : halign == NN_ALIGN_END ? y + len : y;
	int xl = aligned(x, tall, valign);
	for (; *s; s++, ybot -= NN_FONT_ADVANCE * scale) {
		const unsigned char *g = nn_font_glyph(*s);
		for (int row = 0; row < NN_FONT_ROWS; row++)
			for (int col_ = 0; col_ < 5; col_++)
				if (g[row] & (0x10 >> col_)) {
					/* glyph (col_, row) -> canvas (xl + row, ybot - col_ - 1) */
					int px = xl + row * scale, py = ybot - (col_ + 1) * scale;
					nn_canvas_fill(c, px, py, px + scale, py + scale, col);
				}
	}
}
