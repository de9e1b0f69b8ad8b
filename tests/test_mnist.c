/*
 * The IDX reader and the MNIST front end: round trips through small files
 * written here (raw and gzip), every bad-input case, the bundled sample, and
 * the real files of ../shared/data/mnist and Debian's Fashion-MNIST where
 * present.
 */
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <zlib.h>

#include "mnist/mnist_internal.h"
#include "suites.h"
#include "test_util.h"

#define SHARED_MNIST NN_SOURCE_ROOT "/../shared/data/mnist"
#define SAMPLE_DIR   NN_SOURCE_ROOT "/data/mnist-sample"
#define FASHION_DIR  "/usr/share/datasets/fashion-mnist"

/* ---- a test-only SHA-256 (FIPS 180-4) -------------------------------------
 * The checksums of the real files are SHA-256 of their pixel bytes. Nothing
 * the tests already link (zlib, BLAS, libm, Check) offers SHA-256, and pulling
 * in libcrypto for two checks is more than these 60 lines. */
typedef struct sha256 {
	uint32_t h[8];
	unsigned char buf[64];
	uint64_t len;
} sha256;

static const uint32_t K256[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

#define ROR(x, n) ((x) >> (n) | (x) << (32 - (n)))

static void sha256_block(sha256 *s, const unsigned char *p)
{
	uint32_t w[64], v[8];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(v, s->h, sizeof v);
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = v[7] + (ROR(v[4], 6) ^ ROR(v[4], 11) ^ ROR(v[4], 25)) +
			      ((v[4] & v[5]) ^ (~v[4] & v[6])) + K256[i] + w[i];
		uint32_t t2 = (ROR(v[0], 2) ^ ROR(v[0], 13) ^ ROR(v[0], 22)) +
			      ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
		memmove(v + 1, v, 7 * sizeof v[0]);
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (int i = 0; i < 8; i++)
		s->h[i] += v[i];
}

static void sha256_init(sha256 *s)
{
	static const uint32_t h0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
					0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	memcpy(s->h, h0, sizeof h0);
	s->len = 0;
}

static void sha256_update(sha256 *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++) {
		s->buf[s->len++ % 64] = p[i];
		if (s->len % 64 == 0)
			sha256_block(s, s->buf);
	}
}

/* The digest as 64 lowercase hex digits. */
static void sha256_hex(sha256 *s, char out[65])
{
	uint64_t bits = s->len * 8;
	unsigned char pad = 0x80, z = 0, lenb[8];
	sha256_update(s, &pad, 1);
	while (s->len % 64 != 56)
		sha256_update(s, &z, 1);
	for (int i = 0; i < 8; i++)
		lenb[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha256_update(s, lenb, 8);
	for (int i = 0; i < 8; i++)
		snprintf(out + 8 * i, 9, "%08x", (unsigned)s->h[i]);
}

/* SHA-256 of the pixel bytes of images stored as byte / 256 (exact in a double). */
static void pixels_sha256(const nn_matrix *X, char out[65])
{
	sha256 s;
	size_t bad = 0;
	sha256_init(&s);
	for (size_t j = 0; j < X->cols; j++)
		for (size_t i = 0; i < X->rows; i++) {
			double v = NN_AT(X, i, j) * 256.0;
			unsigned char b = (unsigned char)v;
			bad += !(v >= 0.0 && v <= 255.0 && v == (double)b);
			sha256_update(&s, &b, 1);
		}
	/* one check, not one per pixel: each ck_assert costs a write to Check's pipe */
	ck_assert_uint_eq(bad, 0);
	sha256_hex(&s, out);
}

START_TEST(test_sha256)
{
	char hex[65];
	sha256 s;
	sha256_init(&s);
	sha256_update(&s, "abc", 3);
	sha256_hex(&s, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_init(&s);
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	sha256_update(&s, m, strlen(m));
	sha256_hex(&s, hex);
	ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

/* ---- small files written by the tests ----------------------------------- */

static char tmpdir[64];

static void make_tmpdir(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/nn-mnist-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	char p[512];
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
			unlink(p);
		}
	if (d)
		closedir(d);
	rmdir(tmpdir);
}

static const char *tpath(const char *name)
{
	static char p[2][512];
	static int k;
	k ^= 1;
	snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, name);
	return p[k];
}

/* Write n bytes to dir/name, gzip-compressed when the name ends in ".gz". */
static void write_file(const char *name, const void *data, size_t n)
{
	const char *path = tpath(name);
	size_t len = strlen(name);
	if (len > 3 && strcmp(name + len - 3, ".gz") == 0) {
		gzFile g = gzopen(path, "wb9");
		ck_assert_ptr_nonnull(g);
		ck_assert_int_eq(gzwrite(g, data, (unsigned)n), (int)n);
		ck_assert_int_eq(gzclose(g), Z_OK);
	} else {
		FILE *f = fopen(path, "wb");
		ck_assert_ptr_nonnull(f);
		ck_assert_uint_eq(fwrite(data, 1, n, f), n);
		ck_assert_int_eq(fclose(f), 0);
	}
}

/* A whole file into memory. */
static unsigned char *slurp_path(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	*n = (size_t)ftell(f);
	rewind(f);
	unsigned char *b = malloc(*n ? *n : 1);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(fread(b, 1, *n, f), *n);
	fclose(f);
	return b;
}

static unsigned char *read_whole(const char *name, size_t *n)
{
	return slurp_path(tpath(name), n);
}

static void be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static unsigned char pixel(size_t j, size_t i)
{
	return (unsigned char)((j * 31 + i * 7 + 1) % 256);
}

static int label_of(size_t j)
{
	return (int)((j * 3 + 1) % 10);
}

/*
 * An IDX image file: the header says `count` images of rows x cols under
 * `magic`; `have` images of data follow (pixel()), then `extra` junk bytes.
 */
static void write_images(const char *name, uint32_t magic, uint32_t count, uint32_t rows,
			 uint32_t cols, size_t have, size_t extra)
{
	size_t F = (size_t)rows * cols, n = 16 + have * F + extra;
	unsigned char *b = malloc(n);
	ck_assert_ptr_nonnull(b);
	be32(b, magic);
	be32(b + 4, count);
	be32(b + 8, rows);
	be32(b + 12, cols);
	for (size_t j = 0; j < have; j++)
		for (size_t i = 0; i < F; i++)
			b[16 + j * F + i] = pixel(j, i);
	memset(b + 16 + have * F, 0x5a, extra);
	write_file(name, b, n);
	free(b);
}

/* An IDX label file: `count` in the header, `have` labels (label_of(), or
 * bad_value at index bad_at when bad_at < have). */
static void write_labels(const char *name, uint32_t magic, uint32_t count, size_t have,
			 size_t bad_at, unsigned char bad_value)
{
	unsigned char *b = malloc(8 + have);
	ck_assert_ptr_nonnull(b);
	be32(b, magic);
	be32(b + 4, count);
	for (size_t j = 0; j < have; j++)
		b[8 + j] = j == bad_at ? bad_value : (unsigned char)label_of(j);
	write_file(name, b, 8 + have);
	free(b);
}

static void check_images(const nn_matrix *X, size_t n, size_t F, double scale)
{
	ck_assert_uint_eq(X->rows, F);
	ck_assert_uint_eq(X->cols, n);
	ck_assert_uint_eq(X->ld, F);
	for (size_t j = 0; j < n; j++)
		for (size_t i = 0; i < F; i++)
			ck_assert(NN_AT(X, i, j) == pixel(j, i) / scale);
}

static void check_labels(const nn_labels *y, size_t n)
{
	ck_assert_uint_eq(y->n, n);
	for (size_t j = 0; j < n; j++)
		ck_assert_int_eq(y->data[j], label_of(j));
}

/* ---- round trips ---------------------------------------------------------- */

START_TEST(test_idx_roundtrip)
{
	make_tmpdir();
	const char *names[2][2] = { { "img", "lab" }, { "img.gz", "lab.gz" } };
	for (int gz = 0; gz < 2; gz++) {
		write_images(names[gz][0], 0x803, 7, 3, 5, 7, 0);
		write_labels(names[gz][1], 0x801, 7, 7, SIZE_MAX, 0);
		/* max: all, fewer, more than the file holds, none */
		const size_t maxes[4] = { NN_ALL, 3, 100, 0 };
		for (int k = 0; k < 4; k++) {
			size_t n = maxes[k] < 7 ? maxes[k] : 7;
			nn_matrix X;
			nn_labels y;
			ck_assert_int_eq(
			    nn_idx_read_images(&X, tpath(names[gz][0]), maxes[k], 255.0), 0);
			check_images(&X, n, 15, 255.0);
			nn_matrix_free(&X);
			ck_assert_int_eq(
			    nn_idx_read_images(&X, tpath(names[gz][0]), maxes[k], 256.0), 0);
			check_images(&X, n, 15, 256.0);
			nn_matrix_free(&X);
			ck_assert_int_eq(nn_idx_read_labels(&y, tpath(names[gz][1]), maxes[k]), 0);
			check_labels(&y, n);
			nn_labels_free(&y);
		}
	}
	/* A file of two gzip members (as `cat a.gz b.gz` makes) reads as one. */
	size_t n1, n2;
	unsigned char raw[16 + 4 * 2];
	be32(raw, 0x803);
	be32(raw + 4, 2);
	be32(raw + 8, 2);
	be32(raw + 12, 2);
	for (int i = 0; i < 8; i++)
		raw[16 + i] = pixel((size_t)i / 4, (size_t)i % 4);
	write_file("m1.gz", raw, 12);
	write_file("m2.gz", raw + 12, sizeof raw - 12);
	unsigned char *a = read_whole("m1.gz", &n1);
	unsigned char *b = read_whole("m2.gz", &n2);
	unsigned char *cat = malloc(n1 + n2);
	ck_assert_ptr_nonnull(cat);
	memcpy(cat, a, n1);
	memcpy(cat + n1, b, n2);
	write_file("cat", cat, n1 + n2);
	nn_matrix X;
	ck_assert_int_eq(nn_idx_read_images(&X, tpath("cat"), NN_ALL, 255.0), 0);
	check_images(&X, 2, 4, 255.0);
	nn_matrix_free(&X);
	free(a);
	free(b);
	free(cat);
	remove_tmpdir();
}
END_TEST

/* The four standard files of a directory, n_train and n_test samples. */
static void write_dir(size_t n_train, size_t n_test, int gz)
{
	write_images(gz ? "train-images-idx3-ubyte.gz" : "train-images-idx3-ubyte", 0x803,
		     (uint32_t)n_train, 4, 3, n_train, 0);
	write_labels("train-labels-idx1-ubyte", 0x801, (uint32_t)n_train, n_train, SIZE_MAX, 0);
	write_images("t10k-images-idx3-ubyte.gz", 0x803, (uint32_t)n_test, 4, 3, n_test, 0);
	write_labels(gz ? "t10k-labels-idx1-ubyte.gz" : "t10k-labels-idx1-ubyte", 0x801,
		     (uint32_t)n_test, n_test, SIZE_MAX, 0);
}

START_TEST(test_dir)
{
	make_tmpdir();
	write_dir(9, 4, 1);
	nn_mnist m;
	nn_mnist_options o;
	ck_assert_int_eq(nn_mnist_load(&m, tmpdir, NULL), 0);
	ck_assert_str_eq(m.error, "");
	ck_assert_uint_eq(m.rows, 4);
	ck_assert_uint_eq(m.cols, 3);
	check_images(&m.train_x, 9, 12, 255.0);
	check_labels(&m.train_y, 9);
	check_images(&m.test_x, 4, 12, 255.0);
	check_labels(&m.test_y, 4);
	nn_mnist_free(&m);
	ck_assert_ptr_null(m.train_x.data);
	nn_mnist_free(&m);
	nn_mnist_free(NULL);

	o = nn_mnist_defaults();
	ck_assert(o.scale == 255.0 && o.max_train == NN_ALL && o.max_test == NN_ALL &&
		  o.first_train == 0);
	o.max_train = 5;
	o.max_test = 2;
	o.scale = 256.0;
	ck_assert_int_eq(nn_mnist_load(&m, tmpdir, &o), 0);
	check_images(&m.train_x, 5, 12, 256.0);
	check_labels(&m.train_y, 5);
	check_images(&m.test_x, 2, 12, 256.0);
	check_labels(&m.test_y, 2);
	nn_mnist_free(&m);

	/* A non-standard name stands in when it is the only candidate. */
	unlink(tpath("train-images-idx3-ubyte.gz"));
	write_images("train-images-first9-idx3-ubyte.gz", 0x803, 9, 4, 3, 9, 0);
	ck_assert_int_eq(nn_mnist_load(&m, tmpdir, NULL), 0);
	check_images(&m.train_x, 9, 12, 255.0);
	nn_mnist_free(&m);
	/* Two candidates: none is chosen. */
	write_images("train-images-other-idx3-ubyte", 0x803, 9, 4, 3, 9, 0);
	ck_assert_int_eq(nn_mnist_load(&m, tmpdir, NULL), NN_ENOENT);
	ck_assert_ptr_nonnull(strstr(m.error, "several"));
	ck_assert_ptr_null(m.train_x.data);
	remove_tmpdir();
}
END_TEST

/* ---- bad input: each its own code and a detail ---------------------------- */

static int load_images(const char *name, char *err)
{
	nn__src s;
	nn_matrix X;
	int rc = nn__src_open_file(&s, tpath(name), err);
	if (rc < 0)
		return rc;
	rc = nn__idx_images(&X, NULL, &s, 0, NN_ALL, 255.0, err);
	nn__src_close(&s);
	if (rc == 0)
		nn_matrix_free(&X);
	else
		ck_assert_ptr_null(X.data);
	return rc;
}

static int load_labels(const char *name, char *err)
{
	nn__src s;
	nn_labels y;
	int rc = nn__src_open_file(&s, tpath(name), err);
	if (rc < 0)
		return rc;
	rc = nn__idx_labels(&y, NULL, &s, 0, NN_ALL, err);
	nn__src_close(&s);
	if (rc == 0)
		nn_labels_free(&y);
	else
		ck_assert_ptr_null(y.data);
	return rc;
}

/* The code, and a detail that names the problem. */
#define EXPECT(call, code, words)                                                            \
	do {                                                                                 \
		char err_[NN_MNIST_ERROR_LEN] = "";                                          \
		int rc_ = (call);                                                            \
		ck_assert_msg(rc_ == (code), "%s: %d (%s), expected %d", #call, rc_, err_,   \
			      (code));                                                       \
		ck_assert_msg(strstr(err_, (words)) != NULL, "detail '%s' lacks '%s'", err_, \
			      (words));                                                      \
	} while (0)
#define IMG(name) load_images(name, err_)
#define LAB(name) load_labels(name, err_)

START_TEST(test_errors_idx)
{
	make_tmpdir();
	/* Wrong magic, item type or dimensions. */
	write_images("m1", 0x804, 2, 2, 2, 2, 0);
	EXPECT(IMG("m1"), NN_EMAGIC, "dimensions");
	write_images("m2", 0x903, 2, 2, 2, 2, 0);
	EXPECT(IMG("m2"), NN_EMAGIC, "item type");
	write_images("m3", 0x12345678, 2, 2, 2, 2, 0);
	EXPECT(IMG("m3"), NN_EMAGIC, "not an IDX");
	write_labels("m4", 0x801, 2, 2, SIZE_MAX, 0);
	EXPECT(IMG("m4"), NN_EMAGIC, "images");
	write_images("m5.gz", 0x803, 2, 2, 2, 2, 0);
	EXPECT(LAB("m5.gz"), NN_EMAGIC, "labels");
	/* Zero or absurd sizes; a header claiming 2^31 images. */
	write_images("z1", 0x803, 0, 2, 2, 0, 0);
	EXPECT(IMG("z1"), NN_ESIZE, "zero");
	write_images("z2", 0x803, 2, 0, 2, 0, 0);
	EXPECT(IMG("z2"), NN_ESIZE, "zero");
	write_images("z3", 0x803, 0x80000000u, 28, 28, 1, 0);
	EXPECT(IMG("z3"), NN_ESIZE, "limits");
	write_images("z4", 0x803, 1, 5000, 28, 0, 0);
	EXPECT(IMG("z4"), NN_ESIZE, "limits");
	write_images("z5", 0x803, 1, 4096, 4096, 0, 0);
	EXPECT(IMG("z5"), NN_ESIZE, "limits");
	write_labels("z6", 0x801, 0, 0, SIZE_MAX, 0);
	EXPECT(LAB("z6"), NN_ESIZE, "0 labels");
	write_labels("z7", 0x801, 0xffffffffu, 3, SIZE_MAX, 0);
	EXPECT(LAB("z7"), NN_ESIZE, "limit");
	/* A count the data does not hold: a header within the limits but far
	 * beyond the data costs no more memory than the data. */
	write_images("t1", 0x803, 5, 3, 3, 3, 0);
	EXPECT(IMG("t1"), NN_ETRUNC, "3 of the 5");
	write_images("t2.gz", 0x803, NN__IDX_MAX_COUNT - 1, 28, 28, 2, 0);
	EXPECT(IMG("t2.gz"), NN_ETRUNC, "2 of the");
	write_images("t6.gz", 0x803, 300, 1000, 1024, 1, 0); /* 2.4 GB of doubles claimed */
	EXPECT(IMG("t6.gz"), NN_ETRUNC, "1 of the 300");
	write_labels("t3", 0x801, 10, 4, SIZE_MAX, 0);
	EXPECT(LAB("t3"), NN_ETRUNC, "4 of the 10");
	write_file("t4", "\0\0\x08\x03\0\0", 6);
	EXPECT(IMG("t4"), NN_ETRUNC, "header");
	write_file("t5", "", 0);
	EXPECT(IMG("t5"), NN_ETRUNC, "header");
	/* Bytes after the data. */
	write_images("x1", 0x803, 2, 2, 2, 2, 3);
	EXPECT(IMG("x1"), NN_EFORMAT, "after");
	/* A label >= 10. */
	write_labels("l1.gz", 0x801, 6, 6, 4, 10);
	EXPECT(LAB("l1.gz"), NN_ELABEL, "index 4");
	write_labels("l2", 0x801, 6, 6, 0, 255);
	EXPECT(LAB("l2"), NN_ELABEL, "255");
	/* Corrupt, truncated and padded gzip streams. */
	write_images("g.gz", 0x803, 50, 4, 4, 50, 0);
	size_t n;
	unsigned char *b = read_whole("g.gz", &n);
	b[n / 2] ^= 0x55;
	write_file("g1", b, n);
	EXPECT(IMG("g1"), NN_EGZIP, "corrupt");
	b[n / 2] ^= 0x55;
	b[n - 6] ^= 0x01; /* the CRC-32 of the trailer */
	write_file("g2", b, n);
	EXPECT(IMG("g2"), NN_EGZIP, "corrupt");
	b[n - 6] ^= 0x01;
	write_file("g3", b, n - 10);
	EXPECT(IMG("g3"), NN_ETRUNC, "gzip stream ends early");
	write_file("g4", b, 12);
	EXPECT(IMG("g4"), NN_ETRUNC, "gzip");
	unsigned char *pad = malloc(n + 4);
	ck_assert_ptr_nonnull(pad);
	memcpy(pad, b, n);
	memset(pad + n, 0, 4);
	write_file("g5", pad, n + 4);
	EXPECT(IMG("g5"), NN_EGZIP, "after the end of the gzip stream");
	b[3] = 0xe0; /* reserved header flags */
	write_file("g6", b, n);
	EXPECT(IMG("g6"), NN_EGZIP, "corrupt");
	free(pad);
	free(b);
	/* A missing file; a directory. */
	EXPECT(IMG("absent"), NN_ENOENT, "absent");
	EXPECT(load_images("", err_), NN_ENOTFILE, "directory");
	remove_tmpdir();
}
END_TEST

START_TEST(test_errors_public)
{
	make_tmpdir();
	nn_matrix X = { .rows = 99 };
	nn_labels y = { .n = 99 };
	nn_mnist m;
	nn_mnist_options o;
	write_images("i", 0x803, 2, 2, 2, 2, 0);
	ck_assert_int_eq(nn_idx_read_images(NULL, tpath("i"), NN_ALL, 255.0), NN_ENULL);
	ck_assert_int_eq(nn_idx_read_images(&X, NULL, NN_ALL, 255.0), NN_ENULL);
	ck_assert_uint_eq(X.rows, 0);
	ck_assert_int_eq(nn_idx_read_images(&X, tpath("i"), NN_ALL, 0.0), NN_EINVAL);
	ck_assert_int_eq(nn_idx_read_images(&X, tpath("i"), NN_ALL, -1.0), NN_EINVAL);
	ck_assert_int_eq(nn_idx_read_images(&X, tpath("i"), NN_ALL, NAN), NN_EINVAL);
	ck_assert_int_eq(nn_idx_read_images(&X, tpath("absent"), NN_ALL, 255.0), NN_ENOENT);
	ck_assert_int_eq(nn_idx_read_labels(NULL, tpath("i"), NN_ALL), NN_ENULL);
	ck_assert_int_eq(nn_idx_read_labels(&y, tpath("i"), NN_ALL), NN_EMAGIC);
	ck_assert_uint_eq(y.n, 0);
	ck_assert_int_eq(nn_mnist_load(NULL, tmpdir, NULL), NN_ENULL);
	ck_assert_int_eq(nn_mnist_load(&m, NULL, NULL), NN_ENULL);
	o = nn_mnist_defaults();
	o.scale = INFINITY;
	ck_assert_int_eq(nn_mnist_load(&m, tmpdir, &o), NN_EINVAL);
	ck_assert_ptr_nonnull(strstr(m.error, "scale"));
	ck_assert_int_eq(nn_mnist_load(&m, tpath("absent"), NULL), NN_ENOENT);
	ck_assert_ptr_nonnull(strstr(m.error, "absent"));
	/* A directory without the files. */
	ck_assert_int_eq(nn_mnist_load(&m, tmpdir, NULL), NN_ENOENT);
	ck_assert_ptr_nonnull(strstr(m.error, "train-images-idx3-ubyte"));

	/* Images and labels of different counts. */
	write_dir(6, 3, 0);
	write_labels("t10k-labels-idx1-ubyte", 0x801, 4, 4, SIZE_MAX, 0);
	ck_assert_int_eq(nn_mnist_load(&m, tmpdir, NULL), NN_EMISMATCH);
	ck_assert_ptr_nonnull(strstr(m.error, "4 labels"));
	ck_assert_ptr_null(m.train_x.data);
	ck_assert_ptr_null(m.test_x.data);
	/* Training and test images of different sizes. */
	write_labels("t10k-labels-idx1-ubyte", 0x801, 3, 3, SIZE_MAX, 0);
	write_images("t10k-images-idx3-ubyte.gz", 0x803, 3, 3, 4, 3, 0);
	ck_assert_int_eq(nn_mnist_load(&m, tmpdir, NULL), NN_EMISMATCH);
	ck_assert_ptr_nonnull(strstr(m.error, "4 x 3"));
	/* A bad label in the test set, far past what is kept. */
	write_images("t10k-images-idx3-ubyte.gz", 0x803, 3, 4, 3, 3, 0);
	write_labels("t10k-labels-idx1-ubyte", 0x801, 3, 3, 2, 11);
	o.scale = 255.0;
	o.max_test = 1;
	ck_assert_int_eq(nn_mnist_load(&m, tmpdir, &o), NN_ELABEL);
	ck_assert_ptr_nonnull(strstr(m.error, "t10k-labels"));
	/* A file that is neither IDX nor a pickle, whatever its name. */
	write_file("not.pkl", "\xff\xfe", 2);
	ck_assert_int_eq(nn_mnist_load(&m, tpath("not.pkl"), NULL), NN_EMAGIC);
	ck_assert_ptr_nonnull(strstr(m.error, "neither IDX"));
	remove_tmpdir();
}
END_TEST

/*
 * Memory follows what a stream delivers, not what a header claims, and a
 * gzip stream may not inflate like a bomb (issue 12: a 152 KB .gz of zero
 * pixels made 2 GB of doubles). Every byte nn asks malloc for is counted.
 */
START_TEST(test_gzip_bomb)
{
	make_tmpdir();
	nn_matrix X;
	nn_labels y;
	char err[NN_MNIST_ERROR_LEN];
	/* 60000 x 28 x 28 declared (376 MB of doubles), 10 images delivered */
	write_images("short.gz", 0x803, 60000, 28, 28, 10, 0);
	unsigned long long before = tu_alloc_bytes;
	ck_assert_int_eq(nn_idx_read_images(&X, tpath("short.gz"), NN_ALL, 255.0), NN_ETRUNC);
	ck_assert_uint_lt(tu_alloc_bytes - before, 1 << 20);
	/* 8 MiB of zero pixels, some 8 KB of gzip: 67 MB of doubles once */
	const uint32_t N = 10700;
	size_t n = 16 + (size_t)N * 784;
	unsigned char *b = calloc(n, 1);
	ck_assert_ptr_nonnull(b);
	be32(b, 0x803);
	be32(b + 4, N);
	be32(b + 8, 28);
	be32(b + 12, 28);
	write_file("bomb.gz", b, n);
	before = tu_alloc_bytes;
	ck_assert_int_eq(nn_idx_read_images(&X, tpath("bomb.gz"), NN_ALL, 255.0), NN_ESIZE);
	ck_assert_uint_lt(tu_alloc_bytes - before, 48 << 20);
	ck_assert_int_eq(load_images("bomb.gz", err), NN_ESIZE);
	ck_assert_msg(strstr(err, "gunzip") != NULL, "%s", err); /* how to read it anyway */
	/* the same bytes uncompressed: the limit is on inflation, not on size */
	write_file("bomb", b, n);
	ck_assert_int_eq(nn_idx_read_images(&X, tpath("bomb"), NN_ALL, 255.0), 0);
	ck_assert_uint_eq(X.cols, N);
	nn_matrix_free(&X);
	/* labels alike: 8 MiB of zeros */
	be32(b, 0x801);
	be32(b + 4, (uint32_t)(n - 8));
	memset(b + 8, 0, 8);
	write_file("labels.gz", b, n);
	ck_assert_int_eq(nn_idx_read_labels(&y, tpath("labels.gz"), NN_ALL), NN_ESIZE);
	free(b);
	remove_tmpdir();
}
END_TEST

/*
 * Every reader refuses a FIFO, a device and a directory where it reads a
 * file, before it reads: a FIFO without a writer once blocked open() for ever
 * (issue 12). The alarm turns such a hang into a failed test (EINTR).
 */
START_TEST(test_not_regular)
{
	make_tmpdir();
	char fifo[512];
	snprintf(fifo, sizeof fifo, "%s/fifo", tmpdir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	const char *paths[3] = { fifo, "/dev/null", tmpdir };
	const char *what[3] = { "FIFO", "device", "directory" };
	for (int k = 0; k < 3; k++) {
		nn_matrix X;
		nn_labels y;
		nn_mnist m;
		tu_alarm_start(2);
		ck_assert_int_eq(nn_idx_read_images(&X, paths[k], NN_ALL, 255.0), NN_ENOTFILE);
		ck_assert_int_eq(nn_idx_read_labels(&y, paths[k], NN_ALL), NN_ENOTFILE);
		ck_assert_int_eq(nn_pickle_read_mnist(&m, paths[k], NULL), NN_ENOTFILE);
		ck_assert_msg(strstr(m.error, what[k]) && strstr(m.error, "not a regular file"),
			      "%s", m.error);
		if (k < 2) { /* a directory is what nn_mnist_load reads IDX files from */
			ck_assert_int_eq(nn_mnist_load(&m, paths[k], NULL), NN_ENOTFILE);
			ck_assert_msg(strstr(m.error, what[k]) != NULL, "%s", m.error);
		}
		tu_alarm_stop();
	}
	/* a FIFO standing for one of the four files of a directory */
	unlink(fifo);
	write_dir(3, 2, 0);
	unlink(tpath("train-labels-idx1-ubyte"));
	ck_assert_int_eq(mkfifo(tpath("train-labels-idx1-ubyte"), 0600), 0);
	nn_mnist m;
	tu_alarm_start(2);
	ck_assert_int_eq(nn_mnist_load(&m, tmpdir, NULL), NN_ENOTFILE);
	tu_alarm_stop();
	ck_assert_msg(strstr(m.error, "train-labels-idx1-ubyte: a FIFO") != NULL, "%s", m.error);
	ck_assert_ptr_null(m.train_x.data);
	remove_tmpdir();
}
END_TEST

/*
 * What a path is and holds decides, never its name (issue 12): a directory
 * called mnist-idx is a directory, an IDX file named like a pickle is IDX and
 * a pickle named like IDX is a pickle; an IDX file alone given to
 * nn_mnist_load says what it is.
 */
START_TEST(test_sniff)
{
	make_tmpdir();
	char top[64];
	snprintf(top, sizeof top, "%s", tmpdir);
	strcat(tmpdir, "/mnist-idx");
	ck_assert_int_eq(mkdir(tmpdir, 0700), 0);
	write_dir(9, 4, 1);
	nn_mnist_kind kind = 0;
	nn_mnist m;
	ck_assert_int_eq(nn_mnist_sniff(&kind, tmpdir), 0);
	ck_assert_int_eq(kind, NN_MNIST_DIRECTORY);
	ck_assert_int_eq(nn_mnist_load(&m, tmpdir, NULL), 0);
	check_images(&m.train_x, 9, 12, 255.0);
	nn_mnist_free(&m);
	/* each file, raw or gzip, by its content */
	const struct {
		const char *name;
		nn_mnist_kind kind;
		const char *words;
	} files[4] = {
		{ "train-images-idx3-ubyte.gz", NN_MNIST_IDX_IMAGES, "an IDX image file alone" },
		{ "train-labels-idx1-ubyte", NN_MNIST_IDX_LABELS, "an IDX label file alone" },
		{ "t10k-images-idx3-ubyte.gz", NN_MNIST_IDX_IMAGES, "give the directory" },
		{ "t10k-labels-idx1-ubyte.gz", NN_MNIST_IDX_LABELS, "nn_idx_read_labels" },
	};
	for (int k = 0; k < 4; k++) {
		ck_assert_int_eq(nn_mnist_sniff(&kind, tpath(files[k].name)), 0);
		ck_assert_int_eq(kind, files[k].kind);
		ck_assert_int_eq(nn_mnist_load(&m, tpath(files[k].name), NULL), NN_EMAGIC);
		ck_assert_msg(strstr(m.error, files[k].words) != NULL, "%s", m.error);
	}
	/* an IDX file named like a pickle */
	size_t n;
	unsigned char *b = read_whole("train-images-idx3-ubyte.gz", &n);
	write_file("mnist.pkl", b, n); /* gzip already: written as it is */
	free(b);
	ck_assert_int_eq(nn_mnist_sniff(&kind, tpath("mnist.pkl")), 0);
	ck_assert_int_eq(kind, NN_MNIST_IDX_IMAGES);
	remove_tmpdir();
	snprintf(tmpdir, sizeof tmpdir, "%s", top);

	/* pickles of every protocol, raw and gzip, named like IDX files */
	const char *pk[4] = { "py2-p0.pkl", "py3-p1.pkl", "py3-p5.pkl", "py2-p2.pkl.gz" };
	for (int k = 0; k < 4; k++) {
		char path[512];
		snprintf(path, sizeof path, NN_SOURCE_ROOT "/tests/data/pickle/%s", pk[k]);
		b = slurp_path(path, &n);
		write_file("t10k-images-idx3-ubyte", b, n);
		free(b);
		ck_assert_int_eq(nn_mnist_sniff(&kind, tpath("t10k-images-idx3-ubyte")), 0);
		ck_assert_int_eq(kind, NN_MNIST_PICKLE);
		ck_assert_int_eq(nn_mnist_load(&m, tpath("t10k-images-idx3-ubyte"), NULL), 0);
		ck_assert_uint_eq(m.train_x.cols, 6);
		nn_mnist_free(&m);
	}
	/* neither; too short; empty; a model file; and the failures of a path */
	write_file("junk", "GIF89a", 6);
	ck_assert_int_eq(nn_mnist_sniff(&kind, tpath("junk")), NN_EMAGIC);
	ck_assert_int_eq(nn_mnist_load(&m, tpath("junk"), NULL), NN_EMAGIC);
	ck_assert_msg(strstr(m.error, "47 49 46 38") != NULL, "%s", m.error);
	write_file("idx4.gz", "\0\0\x08\x04\0\0\0\x01", 8);
	ck_assert_int_eq(nn_mnist_load(&m, tpath("idx4.gz"), NULL), NN_EMAGIC);
	ck_assert_msg(strstr(m.error, "4 dimensions") != NULL, "%s", m.error);
	write_file("short", "\0\0\x08", 3);
	ck_assert_int_eq(nn_mnist_sniff(&kind, tpath("short")), NN_ETRUNC);
	write_file("empty.gz", "", 0);
	ck_assert_int_eq(nn_mnist_sniff(&kind, tpath("empty.gz")), NN_ETRUNC);
	write_file("model", "\x89NNMODL\n\x01\0\0\0", 12);
	ck_assert_int_eq(nn_mnist_load(&m, tpath("model"), NULL), NN_EMAGIC);
	ck_assert_msg(strstr(m.error, "model file") != NULL, "%s", m.error);
	kind = 0;
	ck_assert_int_eq(nn_mnist_sniff(&kind, tpath("absent")), NN_ENOENT);
	ck_assert_int_eq(kind, 0); /* unchanged on failure */
	ck_assert_int_eq(nn_mnist_sniff(&kind, "/dev/null"), NN_ENOTFILE);
	ck_assert_int_eq(nn_mnist_sniff(NULL, tmpdir), NN_ENULL);
	ck_assert_int_eq(nn_mnist_sniff(&kind, NULL), NN_ENULL);
	remove_tmpdir();
}
END_TEST

/* ---- the bundled sample and real data --------------------------------- */

START_TEST(test_sample)
{
	nn_mnist m;
	nn_mnist_options o = nn_mnist_defaults();
	o.scale = 256.0;
	int rc = nn_mnist_load(&m, SAMPLE_DIR, &o);
	ck_assert_msg(rc == 0, "%s", m.error);
	ck_assert_uint_eq(m.rows, 28);
	ck_assert_uint_eq(m.cols, 28);
	ck_assert_uint_eq(m.train_x.rows, 784);
	ck_assert_uint_eq(m.train_x.cols, 500);
	ck_assert_uint_eq(m.test_x.cols, 100);
	const int first_train[8] = { 4, 5, 9, 5, 7, 6, 0, 6 },
		  first_test[8] = { 7, 4, 2, 9, 2, 7, 6, 1 };
	for (int k = 0; k < 8; k++) {
		ck_assert_int_eq(m.train_y.data[k], first_train[k]);
		ck_assert_int_eq(m.test_y.data[k], first_test[k]);
	}
	int count[NN_MNIST_CLASSES] = { 0 };
	for (size_t j = 0; j < m.train_y.n; j++)
		count[m.train_y.data[j]]++;
	for (int c = 0; c < NN_MNIST_CLASSES; c++)
		ck_assert_int_eq(count[c], 50);
	char hex[65];
	pixels_sha256(&m.train_x, hex);
	ck_assert_str_eq(hex, "cc0e7738c52ab41dba48dd436db6b58c50df40ec54fc2667f3424d417131f086");
	pixels_sha256(&m.test_x, hex);
	ck_assert_str_eq(hex, "7472005d9e5227152b161343fb753cf26d0e2d8f327cd75899a55f144adb24bd");
	nn_mnist_free(&m);
}
END_TEST

/* Count of an IDX file from its header, through the internal reader. */
static size_t idx_count(const char *path, int images)
{
	nn__src s;
	nn__idx_info info = { 0 };
	nn_matrix X;
	nn_labels y;
	ck_assert_int_eq(nn__src_open_file(&s, path, NULL), 0);
	if (images) {
		ck_assert_int_eq(nn__idx_images(&X, &info, &s, 0, 1, 255.0, NULL), 0);
		nn_matrix_free(&X);
	} else {
		ck_assert_int_eq(nn__idx_labels(&y, &info, &s, 0, 1, NULL), 0);
		nn_labels_free(&y);
	}
	nn__src_close(&s);
	return info.count;
}

START_TEST(test_real_mnist)
{
	if (access(SHARED_MNIST "/t10k-images-idx3-ubyte.gz", R_OK) != 0) {
		fprintf(stderr, "mnist: skipping the real-data test: %s is absent\n", SHARED_MNIST);
		return;
	}
	/* The lecture's subset: load_mnist_1D_small returns these very values. */
	nn_mnist m;
	nn_mnist_options o = nn_mnist_defaults();
	o.max_train = 500;
	o.max_test = 100;
	o.scale = 256.0;
	int rc = nn_mnist_load(&m, SHARED_MNIST, &o);
	ck_assert_msg(rc == 0, "%s", m.error);
	ck_assert_uint_eq(m.train_x.rows, 784);
	ck_assert_uint_eq(m.train_x.cols, 500);
	ck_assert_uint_eq(m.test_x.cols, 100);
	const int train8[8] = { 5, 0, 4, 1, 9, 2, 1, 3 }, test8[8] = { 7, 2, 1, 0, 4, 1, 4, 9 };
	for (int k = 0; k < 8; k++) {
		ck_assert_int_eq(m.train_y.data[k], train8[k]);
		ck_assert_int_eq(m.test_y.data[k], test8[k]);
	}
	char hex[65];
	pixels_sha256(&m.train_x, hex);
	ck_assert_str_eq(hex, "42763f4baa576da80e627776661f2e4c42f10db171859ecc33c69e4bfccd7820");
	pixels_sha256(&m.test_x, hex);
	ck_assert_str_eq(hex, "8a004a2f81a80f4866259cbb77cf37af89315036b298b250b4d45c24aaa92048");
	nn_mnist_free(&m);
	ck_assert_uint_eq(idx_count(SHARED_MNIST "/t10k-images-idx3-ubyte.gz", 1), 10000);
	ck_assert_uint_eq(idx_count(SHARED_MNIST "/t10k-labels-idx1-ubyte.gz", 0), 10000);
	ck_assert_uint_eq(idx_count(SHARED_MNIST "/train-images-first3000-idx3-ubyte.gz", 1), 3000);
	ck_assert_uint_eq(idx_count(SHARED_MNIST "/train-labels-first3000-idx1-ubyte.gz", 0), 3000);
}
END_TEST

START_TEST(test_fashion)
{
	if (access(FASHION_DIR "/train-images-idx3-ubyte.gz", R_OK) != 0) {
		fprintf(stderr,
			"mnist: skipping Fashion-MNIST: %s is absent "
			"(apt-get install dataset-fashion-mnist)\n",
			FASHION_DIR);
		return;
	}
	if (getenv("NN_UNDER_VALGRIND")) {
		fprintf(stderr,
			"mnist: skipping Fashion-MNIST under valgrind (47 MB to inflate)\n");
		return;
	}
	nn_mnist m;
	nn_mnist_options o = nn_mnist_defaults();
	o.max_train = 100;
	o.max_test = 100;
	int rc = nn_mnist_load(&m, FASHION_DIR, &o);
	ck_assert_msg(rc == 0, "%s", m.error);
	ck_assert_uint_eq(m.rows, 28);
	ck_assert_uint_eq(m.train_x.cols, 100);
	const int train4[4] = { 9, 0, 0, 3 }, test4[4] = { 9, 2, 1, 1 };
	for (int k = 0; k < 4; k++) {
		ck_assert_int_eq(m.train_y.data[k], train4[k]);
		ck_assert_int_eq(m.test_y.data[k], test4[k]);
	}
	double lo = 1.0, hi = 0.0;
	for (size_t k = 0; k < 784 * 100; k++) {
		lo = m.train_x.data[k] < lo ? m.train_x.data[k] : lo;
		hi = m.train_x.data[k] > hi ? m.train_x.data[k] : hi;
	}
	ck_assert(lo == 0.0 && hi == 1.0); /* scale 255: pixels in [0, 1] */
	nn_mnist_free(&m);
	ck_assert_uint_eq(idx_count(FASHION_DIR "/train-labels-idx1-ubyte.gz", 0), 60000);
	ck_assert_uint_eq(idx_count(FASHION_DIR "/t10k-labels-idx1-ubyte.gz", 0), 10000);
}
END_TEST

/* Shards for distributed training: first_train skips, max_train keeps;
 * the kept columns and labels equal those of a full load. */
static void check_shard(const nn_mnist *full, const char *path, size_t first, size_t max,
			size_t want)
{
	nn_mnist m;
	nn_mnist_options o = nn_mnist_defaults();
	o.first_train = first;
	o.max_train = max;
	ck_assert_int_eq(nn_mnist_load(&m, path, &o), 0);
	ck_assert_uint_eq(m.train_x.cols, want);
	ck_assert_uint_eq(m.train_y.n, want);
	if (want == 0) { /* an empty shard: 0 columns, nothing allocated */
		ck_assert_ptr_null(m.train_x.data);
		ck_assert_ptr_null(m.train_y.data);
	}
	for (size_t j = 0; j < want; j++) {
		ck_assert_mem_eq(m.train_x.data + j * m.train_x.ld,
				 full->train_x.data + (first + j) * full->train_x.ld,
				 full->train_x.rows * sizeof(double));
		ck_assert_int_eq(m.train_y.data[j], full->train_y.data[first + j]);
	}
	ck_assert_uint_eq(m.test_x.cols, full->test_x.cols); /* the test set is whole */
	nn_mnist_free(&m);
}

START_TEST(test_shards)
{
	const char *paths[2] = { SAMPLE_DIR, NN_SOURCE_ROOT "/tests/data/pickle/py3-p4-u1-i4.pkl" };
	for (int k = 0; k < 2; k++) {
		nn_mnist full;
		ck_assert_int_eq(nn_mnist_load(&full, paths[k], NULL), 0);
		size_t N = full.train_x.cols;
		check_shard(&full, paths[k], 0, N / 2, N / 2);
		check_shard(&full, paths[k], N / 2, NN_ALL, N - N / 2);
		check_shard(&full, paths[k], 1, 1, 1);
		check_shard(&full, paths[k], N - 1, 5, 1);
		check_shard(&full, paths[k], N, 5, 0); /* past the end: empty */
		check_shard(&full, paths[k], N, NN_ALL, 0);
		/* a count of 0 is none, wherever the shard starts (issue 12: a rank
		 * whose share of --train 1 is empty must not load everything) */
		check_shard(&full, paths[k], N / 2, 0, 0);
		check_shard(&full, paths[k], 0, 0, 0);
		nn_mnist_free(&full);
	}
}
END_TEST

Suite *mnist_suite(void)
{
	Suite *s = suite_create("mnist");
	TCase *tc = tcase_create("idx");
	tcase_add_test(tc, test_sha256);
	tcase_add_test(tc, test_idx_roundtrip);
	tcase_add_test(tc, test_dir);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, test_errors_idx);
	tcase_add_test(tc, test_errors_public);
	tcase_add_test(tc, test_not_regular);
	tcase_add_test(tc, test_gzip_bomb);
	tcase_add_test(tc, test_sniff);
	suite_add_tcase(s, tc);
	tc = tcase_create("data");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sample);
	tcase_add_test(tc, test_shards);
	tcase_add_test(tc, test_real_mnist);
	tcase_add_test(tc, test_fashion);
	suite_add_tcase(s, tc);
	return s;
}
