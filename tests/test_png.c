/*
 * The plot library's PNG output, read back: every file written (through
 * lib/io/fileio.c's atomic writer, as the programs write them) is decoded
 * here with zlib (signature, IHDR, the CRC of every chunk, inflate,
 * un-filter) and compared pixel by pixel with what was drawn.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>
#include <zlib.h>

#include "nn/common.h"
#include "nn_internal.h"
#include "../plot/canvas.h"
#include "../plot/plot.h"
#include "../plot/png.h"
#include "suites.h"

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Decode an 8-bit RGB PNG, checking its structure on the way; *rgb is malloc'ed. */
static void decode(const unsigned char *png, size_t len, unsigned char **rgb, uint32_t *w,
		   uint32_t *h)
{
	static const unsigned char sig[8] = { 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a };
	ck_assert_uint_ge(len, 8);
	ck_assert_mem_eq(png, sig, 8);
	size_t pos = 8, zlen = 0;
	unsigned char *z = NULL;
	int chunks = 0, seen_end = 0;
	*w = *h = 0;
	while (pos < len) {
		ck_assert_msg(!seen_end, "bytes after IEND");
		ck_assert_uint_le(pos + 12, len);
		uint32_t n = get_u32(png + pos);
		ck_assert_uint_le(pos + 12 + n, len);
		const unsigned char *type = png + pos + 4, *data = type + 4;
		uLong crc = crc32(crc32(0L, Z_NULL, 0), type, n + 4);
		ck_assert_msg(crc == get_u32(data + n), "CRC of chunk %.4s", (const char *)type);
		if (chunks == 0) {
			ck_assert_mem_eq(type, "IHDR", 4);
			ck_assert_uint_eq(n, 13);
			*w = get_u32(data);
			*h = get_u32(data + 4);
			ck_assert_uint_eq(data[8], 8);  /* bit depth */
			ck_assert_uint_eq(data[9], 2);  /* RGB */
			ck_assert_uint_eq(data[10], 0);
			ck_assert_uint_eq(data[11], 0);
			ck_assert_uint_eq(data[12], 0);
		} else if (memcmp(type, "IDAT", 4) == 0) {
			z = realloc(z, zlen + n + 1);
			ck_assert_ptr_nonnull(z);
			memcpy(z + zlen, data, n);
			zlen += n;
		} else if (memcmp(type, "IEND", 4) == 0) {
			ck_assert_uint_eq(n, 0);
			seen_end = 1;
		}
		chunks++;
		pos += 12 + (size_t)n;
	}
	ck_assert(seen_end);
	ck_assert_uint_gt(*w, 0);
	ck_assert_uint_gt(*h, 0);
	size_t stride = 3 * (size_t)*w;
	uLongf rawlen = (uLongf)((stride + 1) * *h);
	unsigned char *raw = malloc(rawlen + 1);
	ck_assert_ptr_nonnull(raw);
	uLongf got = rawlen + 1;
	ck_assert_int_eq(uncompress(raw, &got, z, (uLong)zlen), Z_OK);
	ck_assert_uint_eq(got, rawlen);
	free(z);
	unsigned char *out = malloc(stride * *h);
	ck_assert_ptr_nonnull(out);
	for (size_t y = 0; y < *h; y++) {
		const unsigned char *f = raw + y * (stride + 1) + 1;
		unsigned char *row = out + y * stride;
		const unsigned char *prev = y ? row - stride : NULL;
		int t = f[-1];
		ck_assert_int_le(t, 4);
		for (size_t i = 0; i < stride; i++) {
			int a = i >= 3 ? row[i - 3] : 0, b = prev ? prev[i] : 0;
			int c = prev && i >= 3 ? prev[i - 3] : 0;
			int p = t == 0 ? 0 : t == 1 ? a : t == 2 ? b : t == 3 ? (a + b) / 2 : paeth(a, b, c);
			row[i] = (unsigned char)(f[i] + p);
		}
	}
	free(raw);
	*rgb = out;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "open %s", path);
	unsigned char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 65536;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* Read and decode a PNG file into a canvas. */
static void read_png(plot_canvas *c, const char *path)
{
	size_t len;
	unsigned char *png = slurp(path, &len);
	uint32_t w, h;
	*c = (plot_canvas){ 0 };
	decode(png, len, &c->px, &w, &h);
	c->w = (int)w;
	c->h = (int)h;
	free(png);
}

/* A plot_sink into a stdio stream. */
static int to_file(void *user, const void *buf, size_t len)
{
	return fwrite(buf, 1, len, user) == len ? 0 : NN_EIO;
}

/* Encode rgb into path through the atomic writer, as the programs do. */
static int png_file(const char *path, const unsigned char *rgb, size_t w, size_t h)
{
	nn__out o;
	int rc = nn__out_open(&o, path);
	if (rc)
		return rc;
	rc = plot_png_write(to_file, o.fp, rgb, w, h);
	if (rc) {
		nn__out_abort(&o);
		return rc;
	}
	return nn__out_commit(&o);
}

static char tmpdir[4096];

static void make_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof(tmpdir), "%s/nn-test-png-XXXXXX", base && *base ? base : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

/* Number of entries in tmpdir besides . and .. */
static int dir_entries(void)
{
	DIR *d = opendir(tmpdir);
	ck_assert_ptr_nonnull(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static void remove_tmpdir(void)
{
	DIR *d = opendir(tmpdir);
	if (!d)
		return;
	char p[8192];
	for (struct dirent *e; (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", tmpdir, e->d_name);
		if (rmdir(p) != 0)
			unlink(p);
	}
	closedir(d);
	rmdir(tmpdir);
}

static void assert_rgb(const plot_canvas *c, int x, int y, plot_rgb want)
{
	plot_rgb got = plot_canvas_get(c, x, y);
	ck_assert_msg(got.r == want.r && got.g == want.g && got.b == want.b,
		      "pixel (%d, %d) is (%d, %d, %d), want (%d, %d, %d)", x, y, got.r, got.g, got.b,
		      want.r, want.g, want.b);
}

START_TEST(test_encode_roundtrip)
{
	/* Noise, gradients and flat runs, so that all five filters get chosen somewhere. */
	const size_t w = 61, h = 37;
	unsigned char *img = malloc(w * h * 3);
	ck_assert_ptr_nonnull(img);
	uint32_t s = 12345;
	for (size_t y = 0; y < h; y++)
		for (size_t x = 0; x < w; x++)
			for (size_t k = 0; k < 3; k++) {
				s = s * 1103515245u + 12345u;
				unsigned v = y < 10 ? (unsigned)(s >> 24) : y < 20 ? (unsigned)(x * 4 + k * 7 + y)
					     : y < 30 ? 200u : (unsigned)((x * y) ^ k);
				img[(y * w + x) * 3 + k] = (unsigned char)v;
			}
	unsigned char *png = NULL, *rgb = NULL;
	size_t len = 0;
	ck_assert_int_eq(plot_png_encode(&png, &len, img, w, h), 0);
	uint32_t gw, gh;
	decode(png, len, &rgb, &gw, &gh);
	ck_assert_uint_eq(gw, w);
	ck_assert_uint_eq(gh, h);
	ck_assert_mem_eq(rgb, img, w * h * 3);
	free(png);
	free(rgb);
	free(img);
}
END_TEST

START_TEST(test_write_pixels)
{
	make_tmpdir();
	plot_canvas c;
	const plot_rgb white = { 255, 255, 255 }, red = { 200, 10, 20 }, blue = { 0, 0, 255 };
	ck_assert_int_eq(plot_canvas_new(&c, 80, 50, white), 0);
	plot_canvas_fill(&c, 10, 5, 30, 25, red);
	plot_canvas_disc(&c, 60.5, 30.5, 6, blue, blue);
	plot_canvas_text(&c, 2, 40, "1", (plot_rgb){ 0, 0, 0 }, 1, PLOT_ALIGN_START, PLOT_ALIGN_START);
	char path[8192];
	snprintf(path, sizeof(path), "%s/a.png", tmpdir);
	ck_assert_int_eq(png_file(path, c.px, (size_t)c.w, (size_t)c.h), 0);
	ck_assert_int_eq(dir_entries(), 1); /* no temporary file left beside it */
	plot_canvas back;
	read_png(&back, path);
	ck_assert_int_eq(back.w, 80);
	ck_assert_int_eq(back.h, 50);
	ck_assert_mem_eq(back.px, c.px, 80 * 50 * 3);
	assert_rgb(&back, 0, 0, white);
	assert_rgb(&back, 10, 5, red);
	assert_rgb(&back, 29, 24, red);
	assert_rgb(&back, 30, 24, white);
	assert_rgb(&back, 60, 30, blue);
	assert_rgb(&back, 60, 35, blue);  /* centre 5 pixels from the disc's: inside it */
	assert_rgb(&back, 60, 37, white); /* 7 pixels out */
	/* The glyph of '1': its stem is the middle column, its foot a bar of 3. */
	const unsigned char *g = plot_font_glyph('1');
	for (int row = 0; row < PLOT_FONT_ROWS; row++)
		for (int col = 0; col < 5; col++)
			assert_rgb(&back, 2 + col, 40 + row,
				   (g[row] & (0x10 >> col)) ? (plot_rgb){ 0, 0, 0 } : white);
	ck_assert_uint_eq(g[6], 0x0e);
	plot_canvas_free(&back);
	plot_canvas_free(&c);
	plot_canvas_free(&c); /* a reset canvas frees as a no-op */
	remove_tmpdir();
}
END_TEST

START_TEST(test_figure_classes)
{
	/* Class 0 left of x = 0, class 1 right of it; two points, one of each. */
	const size_t nx = 201, ny = 101;
	int *cls = malloc(nx * ny * sizeof(int));
	ck_assert_ptr_nonnull(cls);
	for (size_t j = 0; j < ny; j++)
		for (size_t i = 0; i < nx; i++)
			cls[i + j * nx] = -1.0 + 0.01 * (double)i > 0 ? 1 : 0;
	plot_region_grid grid = { cls, nx, ny, -1.0, -0.5, 0.01 };
	const double pts[4] = { -0.5, 0.0, 0.5, 0.25 }; /* column-major 2 x 2 */
	const int lab[2] = { 0, 1 };
	plot_canvas c;
	ck_assert_int_eq(plot_figure_classes(&c, pts, pts + 1, 2, 2, lab, &grid, "test"), 0);
	make_tmpdir();
	char path[8192];
	snprintf(path, sizeof(path), "%s/regions.png", tmpdir);
	ck_assert_int_eq(png_file(path, c.px, (size_t)c.w, (size_t)c.h), 0);
	plot_canvas back;
	read_png(&back, path);
	ck_assert_int_eq(back.w, c.w);
	ck_assert_int_eq(back.h, c.h);
	plot_axes ax;
	plot_axes_init(&ax, &back, 100, 50, 670, 490, -1.0, 1.0, -0.5, 0.5);
	/* Region colours away from the points and the boundary. */
	assert_rgb(&back, (int)plot_axes_px(&ax, -0.8), (int)plot_axes_py(&ax, 0.4), plot_region_colors[0]);
	assert_rgb(&back, (int)plot_axes_px(&ax, 0.8), (int)plot_axes_py(&ax, -0.4), plot_region_colors[1]);
	/* The points' centres, in the class colours. */
	assert_rgb(&back, (int)plot_axes_px(&ax, -0.5), (int)plot_axes_py(&ax, 0.0), plot_class_colors[0]);
	assert_rgb(&back, (int)plot_axes_px(&ax, 0.5), (int)plot_axes_py(&ax, 0.25), plot_class_colors[1]);
	/* White margins and the frame around the plot area. */
	assert_rgb(&back, 2, 2, (plot_rgb){ 255, 255, 255 });
	assert_rgb(&back, 99, 300, (plot_rgb){ 38, 38, 38 });
	plot_canvas_free(&back);
	plot_canvas_free(&c);
	free(cls);
	remove_tmpdir();
}
END_TEST

START_TEST(test_figures)
{
	/* Every figure draws and round-trips; a few fixed pixels. */
	double step[5] = { 0, 1, 2, 3, 4 }, cost[5] = { 9, 7, 6, 5.5, 5.2 }, best[5] = { 40, 60, 70, 70, 75 };
	plot_canvas c;
	ck_assert_int_eq(plot_figure_history(&c, step, cost, best, 5, "history"), 0);
	plot_canvas_free(&c);
	const double v[3] = { 1.5, 3.0, 0.25 };
	const char *const lab[3] = { "a", "bb", "ccc" };
	ck_assert_int_eq(plot_figure_bars(&c, v, lab, 3, "%.2f", "bars", "GFLOP/s"), 0);
	plot_canvas_free(&c);
	size_t counts[9] = { 5, 0, 1, 0, 7, 0, 2, 0, 9 };
	ck_assert_int_eq(plot_figure_confusion(&c, counts, 3, "confusion"), 0);
	/* The largest count is navy, an empty cell white. */
	int cell = 440 / 3;
	assert_rgb(&c, 110 + 2 * cell + 3, 60 + 2 * cell + 3, (plot_rgb){ 8, 48, 107 });
	assert_rgb(&c, 110 + 1 * cell + 3, 60 + 0 * cell + 3, (plot_rgb){ 255, 255, 255 });
	plot_canvas_free(&c);
	double *pix = calloc(784 * 2, sizeof(double));
	ck_assert_ptr_nonnull(pix);
	pix[0] = 1.0; /* top-left pixel of digit 0 fully inked */
	int pred[2] = { 3, 4 }, truth[2] = { 3, 5 };
	ck_assert_int_eq(plot_figure_digits(&c, pix, 784, 2, 2, 2, pred, truth, "digits"), 0);
	assert_rgb(&c, 22, 50, (plot_rgb){ 0, 0, 0 });
	assert_rgb(&c, 24, 50, (plot_rgb){ 255, 255, 255 });
	/* Digit 1 is a mistake: a red frame 3 pixels outside it. */
	assert_rgb(&c, 22 + 80 - 3, 50 + 10, (plot_rgb){ 214, 39, 40 });
	plot_canvas_free(&c);
	free(pix);
}
END_TEST

START_TEST(test_figure_filters)
{
	/* Two 2x3 filters: 0..5 row by row, and a constant one. */
	const double v[12] = { 0, 1, 2, 3, 4, 5, 7, 7, 7, 7, 7, 7 };
	plot_canvas c;
	ck_assert_int_eq(plot_figure_filters(&c, v, 2, 2, 3, "filters"), 0);
	/* zoom 84 / 3 = 28: cells of 94 x 66, two in a row; the canvas at least 460 wide */
	ck_assert_int_eq(c.w, 460);
	ck_assert_int_eq(c.h, 60 + 66);
	const plot_rgb black = { 0, 0, 0 }, white = { 255, 255, 255 }, mid = { 128, 128, 128 };
	/* its own range: the smallest black, the largest white, 2 of 0..5 at 2/5 */
	assert_rgb(&c, 15, 55, black);
	assert_rgb(&c, 15 + 27, 55 + 27, black);
	assert_rgb(&c, 15 + 2 * 28, 55 + 28, white);
	assert_rgb(&c, 15 + 2 * 28 + 27, 55 + 55, white);
	assert_rgb(&c, 15 + 2 * 28, 55, (plot_rgb){ 102, 102, 102 });
	/* the constant filter mid-grey, framed in grey; white between the cells */
	assert_rgb(&c, 15 + 94, 55, mid);
	assert_rgb(&c, 15 + 94 + 83, 55 + 55, mid);
	assert_rgb(&c, 15 + 94 - 1, 55, (plot_rgb){ 128, 128, 128 });
	assert_rgb(&c, 15 + 88, 55, white);
	plot_canvas_free(&c);
	/* 17 filters: 8 a row, 3 rows; 1x1 filters zoom 84 */
	double one[17] = { 0 };
	ck_assert_int_eq(plot_figure_filters(&c, one, 17, 1, 1, NULL), 0);
	ck_assert_int_eq(c.w, 20 + 8 * 94);
	ck_assert_int_eq(c.h, 60 + 3 * 94);
	plot_canvas_free(&c);
	ck_assert_int_eq(plot_figure_filters(&c, v, 0, 2, 3, NULL), NN_EINVAL);
	ck_assert_int_eq(plot_figure_filters(&c, v, 1, 0, 3, NULL), NN_EINVAL);
	ck_assert_int_eq(plot_figure_filters(&c, NULL, 1, 2, 3, NULL), NN_ENULL);
}
END_TEST

START_TEST(test_errors)
{
	unsigned char px[3] = { 1, 2, 3 }, *png = (unsigned char *)1;
	size_t len = 7;
	ck_assert_int_eq(plot_png_encode(&png, &len, px, 0, 1), NN_EINVAL);
	ck_assert_ptr_null(png);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(plot_png_encode(&png, &len, NULL, 1, 1), NN_ENULL);
	ck_assert_int_eq(plot_png_encode(NULL, &len, px, 1, 1), NN_ENULL);
	ck_assert_int_eq(plot_png_encode(&png, &len, px, (size_t)1 << 32, 1), NN_ESIZE);
	plot_canvas c;
	ck_assert_int_eq(plot_canvas_new(&c, 0, 5, (plot_rgb){ 0, 0, 0 }), NN_EINVAL);
	ck_assert_ptr_null(c.px);
	plot_canvas_free(NULL);

	make_tmpdir();
	char path[8192];
	/* No such directory: EIO with errno ENOENT, nothing created. */
	snprintf(path, sizeof(path), "%s/missing/x.png", tmpdir);
	errno = 0;
	ck_assert_int_eq(png_file(path, px, 1, 1), NN_EIO);
	ck_assert_int_eq(errno, ENOENT);
	/* The path is a directory: refused (EISDIR), no temporary file made. */
	snprintf(path, sizeof(path), "%s/sub", tmpdir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	errno = 0;
	ck_assert_int_eq(png_file(path, px, 1, 1), NN_EIO);
	ck_assert_int_eq(errno, EISDIR);
	ck_assert_int_eq(dir_entries(), 1);
	/* An existing file is replaced whole. */
	snprintf(path, sizeof(path), "%s/y.png", tmpdir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("old", f);
	fclose(f);
	ck_assert_int_eq(png_file(path, px, 1, 1), 0);
	plot_canvas back;
	read_png(&back, path);
	assert_rgb(&back, 0, 0, (plot_rgb){ 1, 2, 3 });
	plot_canvas_free(&back);
	ck_assert_int_eq(dir_entries(), 2);
	/* An aborted file leaves nothing; a second abort is a no-op. */
	nn__out af;
	snprintf(path, sizeof(path), "%s/z.csv", tmpdir);
	ck_assert_int_eq(nn__out_open(&af, path), 0);
	fputs("half", af.fp);
	nn__out_abort(&af);
	nn__out_abort(&af);
	ck_assert_int_eq(dir_entries(), 2);
	remove_tmpdir();
}
END_TEST

Suite *png_suite(void)
{
	Suite *s = suite_create("png");
	TCase *tc = tcase_create("encode");
	tcase_add_test(tc, test_encode_roundtrip);
	suite_add_tcase(s, tc);
	tc = tcase_create("write");
	tcase_add_test(tc, test_write_pixels);
	suite_add_tcase(s, tc);
	tc = tcase_create("figures");
	tcase_add_test(tc, test_figure_classes);
	tcase_add_test(tc, test_figures);
	tcase_add_test(tc, test_figure_filters);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}
