/*
 * An RGB raster to draw on: filled rectangles, anti-aliased lines and
 * discs, and text in a built-in 5x7 bitmap font (with descenders) (printable ASCII), scaled
 * by whole pixels. Coordinates are pixels, x to the right and y down from
 * the top-left corner; a pixel (x, y) covers [x, x + 1) x [y, y + 1), so
 * its centre is (x + 0.5, y + 0.5). Everything drawn is clipped to the
 * canvas.
 *
 * Part of the static plot library; never installed.
 */
#ifndef PLOT_CANVAS_H
#define PLOT_CANVAS_H

#include <stddef.h>

#include "png.h"

/** A colour. */
typedef struct plot_rgb {
	unsigned char r, g, b;
} plot_rgb;

/** An image being drawn. */
typedef struct plot_canvas {
	int w, h;          /**< size in pixels */
	unsigned char *px; /**< w * h * 3 bytes, RGB, rows top to bottom (owned) */
} plot_canvas;

/** Horizontal and vertical text alignment about the anchor point. */
enum plot_align { PLOT_ALIGN_START = 0, PLOT_ALIGN_CENTER = 1, PLOT_ALIGN_END = 2 };

/**
 * The font at scale 1: each character advances 6 pixels (a 5-pixel glyph
 * and a gap); capitals and digits are 7 pixels high, the height that
 * alignment uses; descenders reach 2 rows below, PLOT_FONT_ROWS in all.
 */
#define PLOT_FONT_ADVANCE 6
#define PLOT_FONT_HEIGHT 7
#define PLOT_FONT_ROWS 9

/**
 * Allocate a w x h canvas filled with bg.
 * @param c out: the canvas; free with plot_canvas_free().
 * @return 0, NN_ENULL, NN_EINVAL (a size < 1 or > 16384) or NN_ENOMEM.
 */
int plot_canvas_new(plot_canvas *c, int w, int h, plot_rgb bg);

/** Free the pixels and reset c; NULL or a reset canvas is a no-op. */
void plot_canvas_free(plot_canvas *c);

/** Encode the canvas as PNG into sink (see plot_png_write()). */
int plot_canvas_png(const plot_canvas *c, plot_sink sink, void *user);

/** The colour at (x, y); black outside the canvas. */
plot_rgb plot_canvas_get(const plot_canvas *c, int x, int y);

/** Set one pixel. */
void plot_canvas_set(plot_canvas *c, int x, int y, plot_rgb col);

/** Mix col into one pixel: p = (1 - alpha) p + alpha col, alpha in [0, 1]. */
void plot_canvas_blend(plot_canvas *c, int x, int y, plot_rgb col, double alpha);

/** Fill the pixels x0 <= x < x1, y0 <= y < y1. */
void plot_canvas_fill(plot_canvas *c, int x0, int y0, int x1, int y1, plot_rgb col);

/** Outline the rectangle x0 <= x < x1, y0 <= y < y1 with lines t pixels thick, inside it. */
void plot_canvas_frame(plot_canvas *c, int x0, int y0, int x1, int y1, int t, plot_rgb col);

/** An anti-aliased line of the given width from (x0, y0) to (x1, y1), round ends. */
void plot_canvas_line(plot_canvas *c, double x0, double y0, double x1, double y1, double width,
		    plot_rgb col);

/** An anti-aliased disc of radius r about (cx, cy): fill inside, a one-pixel edge ring. */
void plot_canvas_disc(plot_canvas *c, double cx, double cy, double r, plot_rgb fill, plot_rgb edge);

/** A mix of two colours: (1 - t) a + t b. */
plot_rgb plot_rgb_mix(plot_rgb a, plot_rgb b, double t);

/** Width in pixels of s at the given scale (no trailing spacing). */
int plot_text_width(const char *s, int scale);

/**
 * Draw s (printable ASCII; other bytes draw as '?') with each font pixel
 * scale x scale, anchored at (x, y) by halign and valign.
 */
void plot_canvas_text(plot_canvas *c, int x, int y, const char *s, plot_rgb col, int scale,
		    enum plot_align halign, enum plot_align valign);

/** As plot_canvas_text(), rotated a quarter turn counter-clockwise (read bottom to top). */
void plot_canvas_text_up(plot_canvas *c, int x, int y, const char *s, plot_rgb col, int scale,
		       enum plot_align halign, enum plot_align valign);

/** The glyph of a printable ASCII character: PLOT_FONT_ROWS rows, bit 4 the leftmost pixel. */
const unsigned char *plot_font_glyph(char ch);

#endif /* PLOT_CANVAS_H */
