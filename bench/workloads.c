/*
 * Workloads and their data. The generators draw from nn_rng in a fixed
 * order (documented on each) that bench/numpy_step.py repeats with
 * numpy.random.RandomState: both sides then hold bit-identical data and
 * initial weights, which the bench checks through the cost after a few steps.
 */
#include "workloads.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#ifndef NN_SOURCE_ROOT
#define NN_SOURCE_ROOT "."
#endif

/* The lecture's three workloads, then the grown ones. */
const struct bench_workload bench_workloads[] = {
	{ "blobs", BENCH_BLOBS, 1, { 2, 1 }, 400, 5e-5, 1, 0 },
	{ "circles", BENCH_CIRCLES, 2, { 2, 10, 2 }, 400, 5e-3, 0, 0 },
	{ "mnist", BENCH_MNIST, 2, { 784, 30, 10 }, 500, 5e-4, 0, 0 },
	{ "fashion10k", BENCH_FASHION, 2, { 784, 128, 10 }, 10000, 5e-5, 0, 1 },
	{ "fashion60k", BENCH_FASHION, 2, { 784, 128, 10 }, 60000, 1e-5, 0, 1 },
	{ "deep10k", BENCH_FASHION, 3, { 784, 256, 128, 10 }, 10000, 5e-5, 0, 1 },
	/* the sparse first layer's second target (issue 9): MNIST digits, 19 % non-zero */
	{ "mnist10k", BENCH_MNIST_TEST, 2, { 784, 128, 10 }, 10000, 5e-5, 0, 1 },
};
const size_t bench_n_workloads = sizeof(bench_workloads) / sizeof(bench_workloads[0]);

void bench_shape_string(char *buf, size_t len, const struct bench_workload *w)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t l = 0; l <= w->n_layers && used < len; l++)
		used += (size_t)snprintf(buf + used, len - used, l ? "-%zu" : "%zu", w->sizes[l]);
}

double bench_step_flops(const struct bench_workload *w)
{
	/* forward: L products n_l x N x n_{l-1}; backward: dW_l for every layer and
	 * D_{l-1} = W_l^T D_l for l >= 2, each of the same m n k */
	double f = 0.0, N = (double)w->n;
	for (size_t l = 1; l <= w->n_layers; l++) {
		double mnk = 2.0 * (double)w->sizes[l] * (double)w->sizes[l - 1] * N;
		f += (l >= 2 ? 3.0 : 2.0) * mnk;
	}
	return f;
}

/* ---- IDX files (gzip or raw; zlib reads both) ---- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The first n images of an IDX3 file as a (rows * cols) x n matrix, byte / 255. */
static int idx_images(nn_matrix *X, const char *path, size_t n, size_t pixels)
{
	gzFile f = gzopen(path, "rb");
	if (!f)
		return NN_ENOENT;
	int rc = NN_EFORMAT;
	unsigned char hdr[16], *row = NULL;
	if (gzread(f, hdr, 16) != 16 || be32(hdr) != 0x803)
		goto out;
	if (be32(hdr + 4) < n || (size_t)be32(hdr + 8) * be32(hdr + 12) != pixels)
		goto out;
	if ((rc = nn_matrix_new(X, pixels, n)))
		goto out;
	rc = NN_ENOMEM;
	if (!(row = malloc(pixels)))
		goto out;
	rc = NN_ETRUNC;
	for (size_t j = 0; j < n; j++) {
		if (gzread(f, row, (unsigned)pixels) != (int)pixels)
			goto out;
		for (size_t i = 0; i < pixels; i++)
			NN_AT(X, i, j) = row[i] / 255.0;
	}
	rc = 0;
out:
	if (rc)
		nn_matrix_free(X);
	free(row);
	gzclose(f);
	return rc;
}

static int idx_labels(nn_labels *y, const char *path, size_t n)
{
	gzFile f = gzopen(path, "rb");
	if (!f)
		return NN_ENOENT;
	int rc = NN_EFORMAT;
	unsigned char hdr[8], b;
	if (gzread(f, hdr, 8) != 8 || be32(hdr) != 0x801 || be32(hdr + 4) < n)
		goto out;
	if ((rc = nn_labels_new(y, n)))
		goto out;
	rc = NN_ETRUNC;
	for (size_t j = 0; j < n; j++) {
		if (gzread(f, &b, 1) != 1)
			goto out;
		if (b >= 10) {
			rc = NN_ELABEL;
			goto out;
		}
		y->data[j] = b;
	}
	rc = 0;
out:
	if (rc)
		nn_labels_free(y);
	gzclose(f);
	return rc;
}

/* A file of dir whose name starts with prefix and contains kind ("idx3-ubyte"). */
static int find_idx(char *out, size_t len, const char *dir, const char *prefix, const char *kind)
{
	DIR *d = opendir(dir);
	if (!d)
		return NN_ENOENT;
	int rc = NN_ENOENT;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, prefix, strlen(prefix)) || !strstr(e->d_name, kind))
			continue;
		/* prefer the standard name (the full set) over a subset such as "first3000" */
		int standard = !strncmp(e->d_name + strlen(prefix), "-idx", 4);
		if (rc == 0 && !standard)
			continue;
		if ((size_t)snprintf(out, len, "%s/%s", dir, e->d_name) < len)
			rc = 0;
		if (standard)
			break;
	}
	closedir(d);
	return rc;
}

/* The first n samples of the IDX training set (set "train") or test set ("t10k") in dir. */
static int load_idx_dir(struct bench_data_set *d, const char *dir, size_t n, size_t pixels,
			const char *set)
{
	char img[512], lab[512], pre_img[32], pre_lab[32];
	int rc;
	snprintf(pre_img, sizeof(pre_img), "%s-images", set);
	snprintf(pre_lab, sizeof(pre_lab), "%s-labels", set);
	if ((rc = find_idx(img, sizeof(img), dir, pre_img, "idx3-ubyte")) ||
	    (rc = find_idx(lab, sizeof(lab), dir, pre_lab, "idx1-ubyte")))
		return rc;
	if ((rc = idx_images(&d->X, img, n, pixels)))
		return rc;
	if ((rc = idx_labels(&d->y, lab, n))) {
		nn_matrix_free(&d->X);
		return rc;
	}
	snprintf(d->spec, sizeof(d->spec), "idx %s %s %zu", img, lab, n);
	snprintf(d->what, sizeof(d->what), "%.200s (first %zu)", img, n);
	return 0;
}

/* ---- generated data ---- */

/*
 * Blobs: centres c0 = (u, u), c1 = (u, u), u = uniform(-3, 3) in that order;
 * then for j = 0..n-1: y_j = j mod 2, x_j = c_{y_j} + (randn, randn).
 */
static void gen_blobs(nn_matrix *X, nn_labels *y, nn_rng *rng)
{
	double c[2][2];
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < 2; i++)
			c[k][i] = nn_rng_uniform(rng, -3.0, 3.0);
	for (size_t j = 0; j < X->cols; j++) {
		int k = (int)(j % 2);
		y->data[j] = k;
		for (int i = 0; i < 2; i++)
			NN_AT(X, i, j) = c[k][i] + nn_rng_gauss(rng);
	}
}

/*
 * Circles: for j = 0..n-1: y_j = j mod 2, r = 1 (y 0) or 0.8 (y 1),
 * t = uniform(0, 2 pi), x_j = (r cos t + 0.1 randn, r sin t + 0.1 randn).
 */
static void gen_circles(nn_matrix *X, nn_labels *y, nn_rng *rng)
{
	const double two_pi = 6.283185307179586;
	for (size_t j = 0; j < X->cols; j++) {
		int k = (int)(j % 2);
		double r = k ? 0.8 : 1.0;
		y->data[j] = k;
		double t = nn_rng_uniform(rng, 0.0, two_pi);
		double e0 = nn_rng_gauss(rng);
		double e1 = nn_rng_gauss(rng);
		NN_AT(X, 0, j) = r * cos(t) + 0.1 * e0;
		NN_AT(X, 1, j) = r * sin(t) + 0.1 * e1;
	}
}

/*
 * MNIST-shaped data, about 19 % of pixels non-zero like MNIST: for each
 * sample j, each pixel i, v = random(); x = v < 0.19 ? v / 0.19 : 0.
 * Then the labels: y_j = floor(10 random()).
 */
static void gen_pixels(nn_matrix *X, nn_labels *y, nn_rng *rng)
{
	for (size_t j = 0; j < X->cols; j++)
		for (size_t i = 0; i < X->rows; i++) {
			double v = nn_rng_random(rng);
			NN_AT(X, i, j) = v < 0.19 ? v / 0.19 : 0.0;
		}
	for (size_t j = 0; j < X->cols; j++)
		y->data[j] = (int)(10.0 * nn_rng_random(rng));
}

static int generate(struct bench_data_set *d, const char *kind, size_t rows, size_t n,
		    uint32_t seed, nn_rng *rng)
{
	int rc;
	if ((rc = nn_matrix_new(&d->X, rows, n)))
		return rc;
	if ((rc = nn_labels_new(&d->y, n))) {
		nn_matrix_free(&d->X);
		return rc;
	}
	if (!strcmp(kind, "blobs"))
		gen_blobs(&d->X, &d->y, rng);
	else if (!strcmp(kind, "circles"))
		gen_circles(&d->X, &d->y, rng);
	else
		gen_pixels(&d->X, &d->y, rng);
	snprintf(d->spec, sizeof(d->spec), "gen %s %u %zu", kind, (unsigned)seed, n);
	snprintf(d->what, sizeof(d->what), "generated %s data (seed %u)", kind, (unsigned)seed);
	return 0;
}

int bench_data_load(struct bench_data_set *d, const struct bench_workload *w,
		    const struct bench_paths *paths, uint32_t seed, nn_rng *rng)
{
	memset(d, 0, sizeof(*d));
	nn_rng_seed(rng, seed);
	switch (w->data) {
	case BENCH_BLOBS:
		return generate(d, "blobs", 2, w->n, seed, rng);
	case BENCH_CIRCLES:
		return generate(d, "circles", 2, w->n, seed, rng);
	case BENCH_MNIST:
	case BENCH_MNIST_TEST:
	case BENCH_FASHION: {
		const char *dirs[3] = { NULL, NULL, NULL };
		if (w->data == BENCH_MNIST) {
			dirs[0] = paths && paths->mnist ? paths->mnist : getenv("NN_BENCH_MNIST");
			dirs[1] = NN_SOURCE_ROOT "/data/mnist-sample";
		} else if (w->data == BENCH_MNIST_TEST) {
			/* the real test digits sit beside the project on these machines */
			dirs[0] = paths && paths->mnist ? paths->mnist : getenv("NN_BENCH_MNIST");
			dirs[1] = NN_SOURCE_ROOT "/../shared/data/mnist";
		} else {
			dirs[0] = paths && paths->fashion ? paths->fashion : getenv("NN_BENCH_FASHION");
			dirs[1] = "/usr/share/datasets/fashion-mnist";
		}
		for (int i = 0; i < 2; i++)
			if (dirs[i] && load_idx_dir(d, dirs[i], w->n, w->sizes[0],
						    w->data == BENCH_MNIST_TEST ? "t10k" : "train") == 0)
				return 0;
		return generate(d, "pixels", w->sizes[0], w->n, seed, rng);
	}
	}
	return NN_EINVAL;
}

double bench_density(const nn_matrix *X)
{
	size_t nz = 0;
	for (size_t j = 0; j < X->cols; j++)
		for (size_t i = 0; i < X->rows; i++)
			nz += NN_AT(X, i, j) != 0.0;
	return (double)nz / ((double)X->rows * (double)X->cols);
}

void bench_data_free(struct bench_data_set *d)
{
	nn_matrix_free(&d->X);
	nn_labels_free(&d->y);
}

int bench_net_new(nn_net **net, const struct bench_workload *w, nn_rng *rng)
{
	int rc = nn_net_new(net, w->n_layers, w->sizes, NULL);
	if (rc)
		return rc;
	rc = w->first_network ? nn_net_init_random(*net, rng) : nn_net_init_randn(*net, rng);
	if (rc) {
		nn_net_free(*net);
		*net = NULL;
	}
	return rc;
}
