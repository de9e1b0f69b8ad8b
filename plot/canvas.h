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
#ifndef NN_PLOT_CANVAS_H
#define NN_PLOT_CANVAS_H

#include <stddef.h>

/** A colour. */
typedef struct nn_rgb {
	unsigned char r, g, b;
} nn_rgb;

/** An image being drawn. */
typedef struct nn_canvas {
	int w, h;          /**< size in pixels */
	unsigned char *px; /**< w * h * 3 bytes, RGB, rows top to bottom (owned) */
} nn_canvas;

/** Horizontal and vertical text alignment about the anchor point. */
enum nn_align { NN_ALIGN_START = 0, NN_ALIGN_CENTER = 1, NN_ALIGN_END = 2 };

/**
 * The font at scale 1: each character advances 6 pixels (a 5-pixel glyph
 * and a gap); capitals and digits are 7 pixels high, the height that
 * alignment uses; descenders reach 2 rows below, NN_FONT_ROWS in all.
 */
#define NN_FONT_ADVANCE 6
#define NN_FONT_HEIGHT 7
#define NN_FONT_ROWS 9

/**
 * Allocate a w x h canvas filled with bg.
 * @param c out: the canvas; free with nn_canvas_free().
 * @return 0, NN_ENULL, NN_EINVAL (a size < 1 or > 16384) or NN_ENOMEM.
 */
int nn_canvas_new(nn_canvas *c, int w, int h, nn_rgb bg);

/** Free the pixels and reset c; NULL or a reset canvas is a no-op. */
void nn_canvas_free(nn_canvas *c);

/** Write the canvas as a PNG, atomically (see nn_png_write()). */
int nn_canvas_write_png(const nn_canvas *c, const char *path);

/** The colour at (x, y); black outside the canvas. */
nn_rgb nn_canvas_get(const nn_canvas *c, int x, int y);

/** Set one pixel. */
void nn_canvas_set(nn_canvas *c, int x, int y, nn_rgb col);

/** Mix col into one pixel: p = (1 - alpha) p + alpha col, alpha in [0, 1]. */
void nn_canvas_blend(nn_canvas *c, int x, int y, nn_rgb col, double alpha);

/** Fill the pixels x0 <= x < x1, y0 <= y < y1. */
void nn_canvas_fill(nn_canvas *c, int x0, int y0, int x1, int y1, nn_rgb col);

/** Outline the rectangle x0 <= x < x1, y0 <= y < y1 with lines t pixels thick, inside it. */
void nn_canvas_frame(nn_canvas *c, int x0, int y0, int x1, int y1, int t, nn_rgb col);

/** An anti-aliased line of the given width from (x0, y0) to (x1, y1), round ends. */
void nn_canvas_line(nn_canvas *c, double x0, double y0, double x1, double y1, double width,
		    nn_rgb col);

/** An anti-aliased disc of radius r about (cx, cy): fill inside, a one-pixel edge ring. */
void nn_canvas_disc(nn_canvas *c, double cx, double cy, double r, nn_rgb fill, nn_rgb edge);

/** A mix of two colours: (1 - t) a + t b. */
nn_rgb nn_rgb_mix(nn_rgb a, nn_rgb b, double t);

/** Width in pixels of s at the given scale (no trailing spacing). */
int nn_text_width(const char *s, int scale);

/**
 * Draw s (printable ASCII; other bytes draw as '?') with each font pixel
 * scale x scale, anchored at (x, y) by halign and valign.
 */
void nn_canvas_text(nn_canvas *c, int x, int y, const char *s, nn_rgb col, int scale,
		    enum nn_align halign, enum nn_align valign);

/** As nn_canvas_text(), rotated a quarter turn counter-clockwise (read bottom to top). */
void nn_canvas_text_up(nn_canvas *c, int x, int y, const char *s, nn_rgb col, int scale,
		       enum nn_align halign, enum nn_align valign);

/** The glyph of a printable ASCII character: NN_FONT_ROWS rows, bit 4 the leftmost pixel. */
const unsigned char *nn_font_glyph(char ch);

#endif /* NN_PLOT_CANVAS_H */
