/*
 * The table readers: .npy fixtures written by numpy (tests/data/table,
 * scripts/gen_table_fixtures.py) against the formulas they were made from,
 * random doubles against Python's float.hex() texts, CSV written by Python's
 * csv module, every spelling of the same small table (delimiters, line
 * ends, quotes, comments, a BOM, gzip), the target and task rules, the C
 * locale under de_DE, and every malformed input we could think of, each a
 * clear error. tests/table_python.sh holds the real scikit-learn data sets
 * and the round trip through np.load().
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "io/table_internal.h"
#include "suites.h"
#include "test_util.h"

#define DATA NN_SOURCE_ROOT "/tests/data/table"

/* ---- helpers -------------------------------------------------------------- */

static char tmpdir[TU_TMPDIR_LEN];

static void make_tmpdir(void)
{
	ck_assert_int_eq(tu_tmpdir_new(tmpdir, "table"), 0);
}

static void remove_tmpdir(void)
{
	tu_tmpdir_remove(tmpdir);
}

static const char *tmp(const char *name)
{
	static char p[2][512];
	static int k;
	k ^= 1;
	snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, name);
	return p[k];
}

static void put_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

static unsigned char *get_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	*n = (size_t)ftell(f);
	rewind(f);
	unsigned char *b = malloc(*n + 1);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(fread(b, 1, *n, f), *n);
	fclose(f);
	return b;
}

/* A stream of bytes from memory that delivers at most max bytes a read, as
 * a pipe might: the window's end then falls everywhere in the text. */
typedef struct mem_stream {
	const unsigned char *p;
	size_t len, pos, max;
} mem_stream;

static int mem_read(void *ctx, unsigned char *buf, size_t n, size_t *got, char *err)
{
	mem_stream *m = ctx;
	(void)err;
	*got = n < m->max ? n : m->max;
	if (*got > m->len - m->pos)
		*got = m->len - m->pos;
	memcpy(buf, m->p + m->pos, *got);
	m->pos += *got;
	return 0;
}

/* Read len bytes as a stream: a window of `chunk` bytes at first, reads of
 * at most `max`. */
static int read_stream(nn_table *t, const void *buf, size_t len, size_t chunk, size_t max,
		       const nn_table_options *o)
{
	mem_stream m = { buf, len, 0, max };
	nn__win w;
	nn__win_stream(&w, mem_read, &m, chunk, "data.csv");
	memset(t, 0, sizeof *t);
	int rc = nn__table_read_win(t, &w, o);
	nn__win_free(&w);
	return rc;
}

/* The (window, read) sizes streams are tried with. */
static const size_t streams[][2] = {
	{ 1, 1 }, { 2, 1 }, { 3, 2 }, { 5, 3 }, { 8, 5 }, { 13, 7 }, { 64, 64 }, { 4096, 4096 },
};
#define N_STREAMS (sizeof streams / sizeof *streams)

static void names_eq(char **a, char **b, size_t n)
{
	ck_assert((a == NULL) == (b == NULL));
	for (size_t i = 0; a && i < n; i++)
		ck_assert_str_eq(a[i], b[i]);
}

/* Two reads gave the same result: the same error, or the same table. */
static void tables_eq(const nn_table *a, int rc_a, const nn_table *b, int rc_b)
{
	ck_assert_int_eq(rc_a, rc_b);
	ck_assert_str_eq(a->error, b->error);
	if (rc_a < 0)
		return;
	ck_assert_int_eq(a->task, b->task);
	ck_assert_uint_eq(a->x.rows, b->x.rows);
	ck_assert_uint_eq(a->x.cols, b->x.cols);
	ck_assert_int_eq(memcmp(a->x.data, b->x.data, a->x.rows * a->x.cols * sizeof(double)), 0);
	ck_assert_uint_eq(a->y.rows * a->y.cols, b->y.rows * b->y.cols);
	if (a->y.data)
		ck_assert_int_eq(memcmp(a->y.data, b->y.data, a->y.rows * a->y.cols * sizeof(double)),
				 0);
	ck_assert_uint_eq(a->labels.n, b->labels.n);
	if (a->labels.data)
		ck_assert_int_eq(memcmp(a->labels.data, b->labels.data, a->labels.n * sizeof(int)), 0);
	ck_assert_uint_eq(a->n_classes, b->n_classes);
	ck_assert_uint_eq(a->n_targets, b->n_targets);
	names_eq(a->feature_names, b->feature_names, a->x.rows);
	names_eq(a->target_names, b->target_names, a->n_targets);
	names_eq(a->class_names, b->class_names, a->n_classes);
}

/* Buffer and stream reads of len bytes give the same. */
static void same_as_streams(const char *text, size_t len, const nn_table_options *o)
{
	nn_table t;
	int rc = nn_table_read_buffer(&t, text, len, "data.csv", o);
	for (size_t k = 0; k < N_STREAMS; k++) {
		nn_table s;
		int rs = read_stream(&s, text, len, streams[k][0], streams[k][1], o);
		tables_eq(&t, rc, &s, rs);
		nn_table_free(&s);
	}
	nn_table_free(&t);
}

/*
 * Read text with the defaults, or the options given -- and check that a
 * stream of it, read a few bytes at a time, gives the same table or error.
 * (The delimiter detection keeps the first 20 rows in the window: the row
 * loop meets the window's end in texts longer than that, test_csv_stream.)
 */
static int read_text(nn_table *t, const char *text, const nn_table_options *o)
{
	size_t len = strlen(text);
	same_as_streams(text, len, o);
	return nn_table_read_buffer(t, text, len, "data.csv", o);
}

/* Read bad text and check the code and (when msg is not NULL) the whole message. */
static void bad(const char *text, const nn_table_options *o, int code, const char *msg)
{
	nn_table t;
	int rc = read_text(&t, text, o);
	ck_assert_msg(rc == code, "'%s': %d (%s), expected %d", text, rc, t.error, code);
	ck_assert_ptr_null(t.x.data);
	ck_assert_ptr_null(t.feature_names);
	ck_assert_ptr_null(t.labels.data);
	ck_assert_str_eq(nn_error_message(rc), t.error);
	if (msg)
		ck_assert_str_eq(t.error, msg);
	nn_table_free(&t);
}

/* The rows of a float.hex() reference file: n values, row after row. */
static double *hex_values(const char *path, size_t *n)
{
	size_t len;
	char *text = (char *)get_file(path, &len);
	text[len] = '\0';
	double *v = malloc(len * sizeof(double));
	ck_assert_ptr_nonnull(v);
	*n = 0;
	for (char *p = text, *e;; p = e) {
		double x = strtod(p, &e);
		if (e == p)
			break;
		v[(*n)++] = x;
	}
	free(text);
	return v;
}

/* The same bits (so 0 and -0 differ). */
static int same(double a, double b)
{
	return memcmp(&a, &b, sizeof a) == 0;
}

/* ---- .npy ------------------------------------------------------------------ */

/* scripts/gen_table_fixtures.py's formulas. */
static double formula(char kind, unsigned size, size_t r, size_t c)
{
	double k = (double)((7 * r + 3 * c) % 11);
	double scale = size == 8 ? 0x1p40 : size == 4 ? 0x1p20 : size == 2 ? 0x1p8 : 1.0;
	switch (kind) {
	case 'f': return ((double)(7 * r + 3 * c) - 5.0) / 8.0;
	case 'i': return (k - 5.0) * scale;
	case 'u': return k * scale;
	default: return (double)((r + c) % 2);
	}
}

START_TEST(test_npy_fixtures)
{
	FILE *f = fopen(DATA "/index.txt", "r");
	ck_assert_ptr_nonnull(f);
	char name[64], kind;
	unsigned size;
	int fortran, ndim, files = 0;
	size_t n, d;
	while (fscanf(f, "%63s %c %u %d %d %zu %zu", name, &kind, &size, &fortran, &ndim, &n, &d) == 7) {
		char path[512];
		snprintf(path, sizeof path, DATA "/%s", name);
		nn_matrix m;
		ck_assert_msg(nn_npy_read(&m, path) == 0, "%s: %s", name, nn_last_error());
		ck_assert_uint_eq(m.rows, d);
		ck_assert_uint_eq(m.cols, n);
		ck_assert_uint_eq(m.ld, d);
		int wrong = 0;
		for (size_t r = 0; r < n; r++)
			for (size_t c = 0; c < d; c++)
				wrong += !same(NN_AT(&m, c, r), formula(kind, size, r, c));
		ck_assert_msg(wrong == 0, "%s: %d values differ", name, wrong);

		/* the same array as a table of features only, and from memory */
		nn_table t;
		nn_table_options o = nn_table_defaults();
		o.target = "";
		ck_assert_int_eq(nn_table_read(&t, path, &o), 0);
		ck_assert_int_eq(t.task, NN_TASK_NONE);
		ck_assert_uint_eq(t.x.rows, d);
		ck_assert_uint_eq(t.x.cols, n);
		ck_assert_int_eq(memcmp(t.x.data, m.data, n * d * sizeof(double)), 0);
		ck_assert_str_eq(t.feature_names[0], "x1");
		nn_table_free(&t);
		size_t len;
		unsigned char *b = get_file(path, &len);
		nn_matrix m2;
		ck_assert_int_eq(nn_npy_read_buffer(&m2, b, len), 0);
		ck_assert_int_eq(memcmp(m2.data, m.data, n * d * sizeof(double)), 0);
		nn_matrix_free(&m2);
		free(b);
		nn_matrix_free(&m);
		files++;
	}
	fclose(f);
	ck_assert_int_eq(files, 42);
}
END_TEST

START_TEST(test_npy_random)
{
	const char *names[2] = { "random_f8", "random_f4" };
	for (int k = 0; k < 2; k++) {
		char path[512];
		size_t n;
		snprintf(path, sizeof path, DATA "/%s.hex", names[k]);
		double *ref = hex_values(path, &n);
		snprintf(path, sizeof path, DATA "/%s.npy", names[k]);
		nn_matrix m;
		ck_assert_int_eq(nn_npy_read(&m, path), 0);
		ck_assert_uint_eq(m.rows * m.cols, n);
		/* the reference lists rows of the array, i.e. columns of m */
		for (size_t i = 0; i < n; i++)
			ck_assert_msg(same(m.data[i], ref[i]), "%s[%zu]: %a, numpy %a", names[k], i,
				      m.data[i], ref[i]);
		nn_matrix_free(&m);
		free(ref);
	}
}
END_TEST

/* nn_npy_write -> nn_npy_read: the same bits, numpy's header layout. */
START_TEST(test_npy_write)
{
	make_tmpdir();
	double buf[4 * 3];
	for (int i = 0; i < 12; i++)
		buf[i] = i == 5 ? -0.0 : (i - 4.5) / 3.0 * pow(10.0, i - 6);
	/* a 3 x 3 view with ld 4: the fourth row of each column is not written */
	nn_matrix v = nn_matrix_view(buf, 3, 3, 4);
	ck_assert_int_eq(nn_npy_write(tmp("v.npy"), &v), 0);
	size_t len;
	unsigned char *b = get_file(tmp("v.npy"), &len);
	static const char head[] = "\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, "
				   "'shape': (3, 3), }";
	ck_assert_int_eq(memcmp(b, head, sizeof head - 1), 0);
	ck_assert_uint_eq(len, 128 + 9 * 8); /* the data starts at 64 * 2 */
	ck_assert_int_eq(b[127], '\n');
	ck_assert_int_eq(b[126], ' ');
	free(b);
	nn_matrix m;
	ck_assert_int_eq(nn_npy_read(&m, tmp("v.npy")), 0);
	ck_assert_uint_eq(m.rows, 3);
	ck_assert_uint_eq(m.cols, 3);
	for (size_t j = 0; j < 3; j++)
		for (size_t i = 0; i < 3; i++)
			ck_assert(same(NN_AT(&m, i, j), buf[i + 4 * j]));
	nn_matrix_free(&m);

	/* errors: nothing written */
	ck_assert_int_eq(nn_npy_write(NULL, &v), NN_ENULL);
	ck_assert_int_eq(nn_npy_write(tmp("w.npy"), NULL), NN_ENULL);
	nn_matrix empty = { 0 };
	ck_assert_int_eq(nn_npy_write(tmp("w.npy"), &empty), NN_ENULL);
	buf[4] = NAN;
	ck_assert_int_eq(nn_npy_write(tmp("w.npy"), &v), NN_ENONFINITE);
	buf[4] = 1.0;
	ck_assert_int_eq(access(tmp("w.npy"), F_OK), -1);
	ck_assert_int_eq(nn_npy_write(tmp("no/such/dir.npy"), &v), NN_EIO);
	ck_assert_ptr_nonnull(strstr(nn_last_error(), "no/such/dir.npy: cannot write"));
	remove_tmpdir();
}
END_TEST

/* A valid .npy of shape (2, 2) '<f8' around a header dict, padded like numpy's. */
static size_t npy_bytes(unsigned char *out, const char *dict, size_t data_bytes)
{
	size_t dl = strlen(dict), hlen = dl + 1;
	hlen += (64 - (10 + hlen) % 64) % 64;
	memcpy(out, "\x93NUMPY\x01\x00", 8);
	out[8] = (unsigned char)(hlen & 0xff);
	out[9] = (unsigned char)(hlen >> 8);
	memset(out + 10, ' ', hlen);
	memcpy(out + 10, dict, dl);
	out[10 + hlen - 1] = '\n';
	for (size_t i = 0; i < data_bytes; i++) /* 1.0 in every 8 bytes of '<f8' */
		out[10 + hlen + i] = i % 8 == 7 ? 0x3f : i % 8 == 6 ? 0xf0 : 0;
	return 10 + hlen + data_bytes;
}

static void npy_bad(const unsigned char *b, size_t len, int code, const char *part)
{
	nn_matrix m;
	unsigned long allocs = tu_alloc_count;
	int rc = nn_npy_read_buffer(&m, b, len);
	allocs = tu_alloc_count - allocs;
	ck_assert_msg(rc == code, "%d (%s), expected %d", rc, nn_last_error(), code);
	ck_assert_ptr_null(m.data);
	ck_assert_msg(strstr(nn_last_error(), part) != NULL, "'%s' lacks '%s'", nn_last_error(),
		      part);
	/* a bad header costs nothing: no allocation at all */
	if (strncmp(part, "element", 7) != 0)
		ck_assert_uint_eq(allocs, 0);
	/* a table reader of .npy content sees the same */
	if (len >= 6 && memcmp(b, "\x93NUMPY", 6) == 0) {
		nn_table t;
		ck_assert_int_eq(nn_table_read_buffer(&t, b, len, "a.npy", NULL), code);
		ck_assert_ptr_nonnull(strstr(t.error, part));
		nn_table_free(&t);
	}
}

static void npy_dict_bad(const char *dict, size_t data_bytes, int code, const char *part)
{
	unsigned char b[4096];
	npy_bad(b, npy_bytes(b, dict, data_bytes), code, part);
}

/* A .npy table's columns ignored by index (it has no names). */
START_TEST(test_npy_ignore)
{
	make_tmpdir();
	/* 3 samples of 4 columns: column c of sample j is 10 j + c */
	double buf[4 * 3];
	for (int j = 0; j < 3; j++)
		for (int c = 0; c < 4; c++)
			buf[c + 4 * j] = 10 * j + c;
	nn_matrix v = nn_matrix_view(buf, 4, 3, 4);
	ck_assert_int_eq(nn_npy_write(tmp("a.npy"), &v), 0);
	nn_table t;
	nn_table_options o = nn_table_defaults();
	o.ignore = "-1,1";
	ck_assert_msg(nn_table_read(&t, tmp("a.npy"), &o) == 0, "%s", t.error);
	/* the target is column 2, the last one not ignored; the features 0 */
	ck_assert_uint_eq(t.x.rows, 1);
	ck_assert_int_eq(t.task, NN_TASK_CLASSIFY);
	for (int j = 0; j < 3; j++) {
		ck_assert_double_eq(t.x.data[j], 10 * j);
		ck_assert_int_eq(t.labels.data[j], 10 * j + 2);
	}
	ck_assert_str_eq(t.feature_names[0], "x1");
	nn_table_free(&t);
	o.ignore = "c";
	ck_assert_int_eq(nn_table_read(&t, tmp("a.npy"), &o), NN_EINVAL);
	ck_assert_ptr_nonnull(strstr(t.error, "a.npy: ignore 'c' is not a column: without a header, "
				     "give a 0-based index (4 columns)"));
	nn_table_free(&t);
	remove_tmpdir();
}
END_TEST

START_TEST(test_npy_errors)
{
	unsigned char b[4096];
	const char *good = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }";
	size_t len = npy_bytes(b, good, 32);
	nn_matrix m;
	ck_assert_int_eq(nn_npy_read_buffer(&m, b, len), 0);
	ck_assert_double_eq(m.data[3], 1.0);
	nn_matrix_free(&m);
	/* other spellings numpy would also read */
	const char *fine[] = {
		"{'shape': (2, 2), 'fortran_order': True, 'descr': '<f8'}",
		"{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2L, 2L)}",
		"{ 'descr' : '<f8' , 'fortran_order' : False , 'shape' : ( 2 , 2 , ) , }",
		"{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }",
	};
	for (int k = 0; k < 4; k++) {
		len = npy_bytes(b, fine[k], 32);
		ck_assert_msg(nn_npy_read_buffer(&m, b, len) == 0, "%s: %s", fine[k], nn_last_error());
		ck_assert_uint_eq(m.rows * m.cols, 4);
		nn_matrix_free(&m);
	}

	npy_bad(b, 0, NN_ETRUNC, "ends inside the .npy magic");
	npy_bad((const unsigned char *)"\x93NUM", 4, NN_ETRUNC, "ends inside the .npy magic");
	npy_bad((const unsigned char *)"PK\x03\x04 a zip", 10, NN_EMAGIC, "not a .npy file");
	npy_bad((const unsigned char *)"\x93NUMPY\x01", 7, NN_ETRUNC, "preamble");
	npy_bad((const unsigned char *)"\x93NUMPY\x02\x00\x10\x00", 10, NN_ETRUNC, "preamble");
	len = npy_bytes(b, good, 32);
	b[6] = 4;
	npy_bad(b, len, NN_EVERSION, "version 4.0");
	b[6] = 1;
	b[7] = 1;
	npy_bad(b, len, NN_EVERSION, "version 1.1");
	b[7] = 0;
	npy_bad(b, 60, NN_ETRUNC, "ends inside its 118-byte header");
	/* a version 2.0 header claiming 2^24 bytes */
	memcpy(b, "\x93NUMPY\x02\x00\x00\x00\x00\x01", 12);
	npy_bad(b, len, NN_ESIZE, "header of 16777216 bytes");

	npy_dict_bad("['descr', '<f8']", 32, NN_EFORMAT, "not a dict literal");
	npy_dict_bad("{'descr': '<f8', 'fortran_order': False}", 32, NN_EFORMAT, "no 'shape' key");
	npy_dict_bad("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), 'x': 1}", 32,
		     NN_EFORMAT, "unknown key 'x'");
	npy_dict_bad("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2, 2)}", 32,
		     NN_EFORMAT, "repeated key 'descr'");
	npy_dict_bad("{'descr': '<c16', 'fortran_order': False, 'shape': (2, 2)}", 32, NN_EFORMAT,
		     "dtype '<c16' is not one nn reads");
	npy_dict_bad("{'descr': '<U3', 'fortran_order': False, 'shape': (2, 2)}", 32, NN_EFORMAT,
		     "dtype '<U3'");
	npy_dict_bad("{'descr': '|O', 'fortran_order': False, 'shape': (2, 2)}", 32, NN_EFORMAT,
		     "dtype '|O'");
	npy_dict_bad("{'descr': '<f2', 'fortran_order': False, 'shape': (2, 2)}", 32, NN_EFORMAT,
		     "dtype '<f2'");
	npy_dict_bad("{'descr': '|f8', 'fortran_order': False, 'shape': (2, 2)}", 32, NN_EFORMAT,
		     "dtype '|f8'");
	npy_dict_bad("{'descr': [('a', '<f8'), ('b', '<f8')], 'fortran_order': False, 'shape': (2,)}",
		     32, NN_EFORMAT, "not a simple dtype string");
	npy_dict_bad("{'descr': '<f8', 'fortran_order': 0, 'shape': (2, 2)}", 32, NN_EFORMAT,
		     "'fortran_order' is not True or False");
	npy_dict_bad("{'descr': '<f8', 'fortran_order': Falsey, 'shape': (2, 2)}", 32, NN_EFORMAT,
		     "'fortran_order' is not True or False");
	npy_dict_bad("{'descr': '<f8', 'fortran_order': False, 'shape': (4)}", 32, NN_EFORMAT,
		     "a 1-tuple is (n,)");
	npy_dict_bad("{'descr': '<f8', 'fortran_order': False, 'shape': [2, 2]}", 32, NN_EFORMAT,
		     "'shape' is not a tuple");
	npy_dict_bad("{'descr': '<f8', 'fortran_order': False, 'shape': (-2, 2)}", 32, NN_EFORMAT,
		     "not a tuple of integers");
	npy_dict_bad("{'descr': '<f8', 'fortran_order': False, 'shape': (02, 2)}", 32, NN_EFORMAT,
		     "not a tuple of integers");
	npy_dict_bad("{'descr': '<f8', 'fortran_order': False, 'shape': ()}", 8, NN_ESHAPE,
		     "a 0-D array (a scalar)");
	npy_dict_bad("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2, 2)}", 32, NN_ESHAPE,
		     "a 3-D array");
	npy_dict_bad("{'descr': '<f8', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1)}", 8,
		     NN_ESHAPE, "more than 8 dimensions");
	npy_dict_bad("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 2)}", 0, NN_ESIZE,
		     "shape (0, 2) holds no data");
	npy_dict_bad("{'descr': '<f8', 'fortran_order': False, 'shape': (0,)}", 0, NN_ESIZE,
		     "shape (0,) holds no data");
	npy_dict_bad("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999, 1)}",
		     32, NN_ESIZE, "beyond 64 bits");
	npy_dict_bad("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296)}",
		     32, NN_ESIZE, "overflows");
	/* a 2 GB shape in a file of a few hundred bytes: refused before allocating */
	npy_dict_bad("{'descr': '<f8', 'fortran_order': False, 'shape': (16384, 16384)}", 32,
		     NN_ETRUNC, "holds 32 data bytes, its shape (16384, 16384) of 'f8' needs 2147483648");
	npy_dict_bad(good, 31, NN_ETRUNC, "holds 31 data bytes");
	npy_dict_bad(good, 33, NN_EFORMAT, "1 bytes after the data");
	npy_dict_bad("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), } x", 32, NN_EFORMAT,
		     "text after the dict");
	npy_dict_bad("{'descr': '<f\\x38', 'fortran_order': False, 'shape': (2, 2), }", 32,
		     NN_EFORMAT, "not a simple dtype string");
	npy_dict_bad("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), ", 32, NN_EFORMAT,
		     "not a dict literal");
	/* the data: NaN, Inf, a bool that is not 0 or 1 */
	len = npy_bytes(b, good, 32);
	memcpy(b + len - 8, "\0\0\0\0\0\0\xf8\x7f", 8);
	npy_bad(b, len, NN_ENONFINITE, "element [1, 1] is NaN");
	memcpy(b + len - 16, "\0\0\0\0\0\0\xf0\xff", 8);
	npy_bad(b, len, NN_ENONFINITE, "element [1, 0] is Inf");
	len = npy_bytes(b, "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", 0);
	memcpy(b + len, "\x01\x00\x02", 3);
	npy_bad(b, len + 3, NN_EFORMAT, "element [2] is a bool byte 2");

	ck_assert_int_eq(nn_npy_read_buffer(NULL, b, len), NN_ENULL);
	ck_assert_int_eq(nn_npy_read_buffer(&m, NULL, 3), NN_ENULL);
	ck_assert_int_eq(nn_npy_read(&m, NULL), NN_ENULL);
	ck_assert_int_eq(nn_npy_read(NULL, "x.npy"), NN_ENULL);
}
END_TEST

/* ---- CSV: what numpy and Python wrote ------------------------------------------------- */

/* python.csv: Python's csv module, repr() doubles, quoted names, CRLF. */
START_TEST(test_csv_python)
{
	size_t n;
	double *ref = hex_values(DATA "/python_csv.hex", &n);
	nn_table t;
	ck_assert_int_eq(nn_table_read(&t, DATA "/python.csv", NULL), 0);
	ck_assert_int_eq(t.task, NN_TASK_CLASSIFY);
	ck_assert_uint_eq(t.x.rows, 3);
	ck_assert_uint_eq(t.x.cols, 8);
	ck_assert_uint_eq(n, 24);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(same(t.x.data[i], ref[i]), "cell %zu: %a, Python %a", i, t.x.data[i],
			      ref[i]);
	ck_assert_str_eq(t.feature_names[0], "feat,1");
	ck_assert_str_eq(t.feature_names[1], "say \"hi\"");
	ck_assert_str_eq(t.feature_names[2], "plain");
	ck_assert_str_eq(t.target_names[0], "species");
	/* classes in byte order: 'a "quoted"' < 'b' < 'c,d' */
	ck_assert_uint_eq(t.n_classes, 3);
	ck_assert_str_eq(t.class_names[0], "a \"quoted\"");
	ck_assert_str_eq(t.class_names[1], "b");
	ck_assert_str_eq(t.class_names[2], "c,d");
	static const int ids[8] = { 1, 0, 1, 2, 0, 1, 2, 1 };
	ck_assert_uint_eq(t.labels.n, 8);
	for (int j = 0; j < 8; j++)
		ck_assert_int_eq(t.labels.data[j], ids[j]);
	nn_table_free(&t);
	free(ref);
}
END_TEST

/*
 * Numbers against strtod: the reader's fast path (19 digits, 10^-22 ..
 * 10^22) and its strtod fallback must both give strtod's double, for
 * random spellings (leading zeros, points anywhere, exponents -340 .. 280,
 * more than 19 digits) and the edges of the fast path.
 */
START_TEST(test_csv_numbers)
{
	static const char *const edges[] = {
		"9007199254740992", "9007199254740993", "18014398509481985", "1e22", "1e23",
		"-1e-22", "1e-23", "1234567890123456789", "12345678901234567890", "0.1", "-0",
		"-0.0e5", "0e-400", "4.9e-324", "2.4703282292062328e-324", "2.2250738585072011e-308",
		"1.7976931348623157e308", "000000000000000000000000001.5", "1.000000000000000000001",
		"0.000000000000000000000000000000001", "123456.789e-3", "+.5e+1", "5.E1",
	};
	const size_t n_rand = 20000, n = n_rand + sizeof edges / sizeof *edges;
	char *text = malloc(n * 64 + 8), *p = text;
	char (*cells)[64] = malloc(n * sizeof *cells);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(cells);
	uint64_t r = 14;
	for (size_t k = 0; k < n; k++) {
		char *c = cells[k];
		if (k >= n_rand) {
			snprintf(c, 64, "%s", edges[k - n_rand]);
		} else {
			size_t len = 0, nd;
			r = r * 6364136223846793005ULL + 1442695040888963407ULL;
			nd = 1 + (r >> 33) % 24;
			if (r >> 60 & 1)
				c[len++] = '-';
			size_t point = (r >> 20) % (nd + 2);
			for (size_t d = 0; d < nd; d++) {
				r = r * 6364136223846793005ULL + 1442695040888963407ULL;
				if (d == point)
					c[len++] = '.';
				c[len++] = (char)('0' + (r >> 33) % 10);
			}
			if (r >> 40 & 1)
				len += (size_t)snprintf(c + len, 64 - len, "e%d", (int)((r >> 41) % 621) - 340);
			c[len] = '\0';
		}
		p += sprintf(p, "%s\n", c);
	}
	nn_table t;
	nn_table_options o = nn_table_defaults();
	o.target = "";
	o.header = 0;
	ck_assert_int_eq(nn_table_read_buffer(&t, text, (size_t)(p - text), "n.csv", &o), 0);
	ck_assert_uint_eq(t.x.cols, n);
	size_t wrong = 0;
	for (size_t k = 0; k < n; k++) {
		double ref = strtod(cells[k], NULL);
		if (!same(t.x.data[k], ref) && wrong++ < 5)
			fprintf(stderr, "'%s': %a, strtod %a\n", cells[k], t.x.data[k], ref);
	}
	ck_assert_uint_eq(wrong, 0);
	nn_table_free(&t);
	free(cells);
	free(text);
}
END_TEST

/*
 * A long text read as a stream, a few bytes at a time, gives
 * what the whole buffer gives: rows, quoted cells with line ends and "",
 * every kind of line end, comments and blank lines cut anywhere by the end
 * of the window -- and the same errors where the text goes wrong.
 */
START_TEST(test_csv_stream)
{
	static const char *const eols[3] = { "\n", "\r\n", "\r" };
	/* class names, and numbers whose prefixes are not numbers ("1e") */
	static const char *const labels[2][4] = {
		{ "cat", "\"d\"\"o\rg\"", " \"bird\" ", "\"a\r\nb\"" },
		{ "1e0", "2E+0", "30e-1", "0" },
	};
	static const char *const breaks[4] = { NULL, "x", ",1", "\"" };
	const size_t rows = 150;
	char *text = malloc(rows * 128 + 256), *p;
	size_t row_at[150 + 1];
	ck_assert_ptr_nonnull(text);
	for (int kind = 0; kind < 2; kind++) {
		uint64_t r = 99;
		p = text;
		p += sprintf(p, "\xEF\xBB\xBF# data\r\nf1,\"f,2\",f3,label\n");
		for (size_t k = 0; k < rows; k++) {
			r = r * 6364136223846793005ULL + 1442695040888963407ULL;
			if (r >> 61 == 0)
				p += sprintf(p, "%s", r >> 58 & 1 ? "\n" : "  \r\n");
			if (r >> 61 == 1)
				p += sprintf(p, "# comment, with \"a quote%s", eols[(r >> 20) % 3]);
			row_at[k] = (size_t)(p - text);
			p += sprintf(p, "%zu.%u,%s%d%s, %ue-%u ,%s%s", k, (unsigned)(r >> 40 & 0xff),
				     r >> 30 & 1 ? "\"" : "", (int)(r >> 50 & 0x3f) - 32,
				     r >> 30 & 1 ? "\"" : "", (unsigned)(r >> 33 & 0x7),
				     (unsigned)(r >> 36 & 0x7), labels[kind][(r >> 44) % 4],
				     eols[(r >> 22) % 3]);
		}
		row_at[rows] = (size_t)(p - text);
		size_t len = (size_t)(p - text);
		/* as written, then with an error in the row at 3, 70 and the last */
		for (int b = 0; b < 4; b++)
			for (int at = 0; at < (b ? 3 : 1); at++) {
				size_t k = at == 0 ? 3 : at == 1 ? 70 : rows - 1;
				char *v = malloc(len + 8);
				ck_assert_ptr_nonnull(v);
				size_t vlen = len;
				memcpy(v, text, len);
				if (b) { /* insert the break at the start of row k */
					size_t n = strlen(breaks[b]);
					memmove(v + row_at[k] + n, v + row_at[k], len - row_at[k]);
					memcpy(v + row_at[k], breaks[b], n);
					vlen += n;
				}
				nn_table t, s;
				int rc = nn_table_read_buffer(&t, v, vlen, "data.csv", NULL);
				if (b == 0) {
					ck_assert_msg(rc == 0, "%s", t.error);
					ck_assert_uint_eq(t.x.cols, rows);
					ck_assert_uint_eq(t.n_classes, 4);
					ck_assert_str_eq(t.feature_names[1], "f,2");
					ck_assert_str_eq(t.class_names[1], kind ? "1" : "bird");
				} else {
					ck_assert_int_lt(rc, 0);
				}
				for (size_t c = 0; c < N_STREAMS; c++) {
					int rs = read_stream(&s, v, vlen, streams[c][0], streams[c][1],
							     NULL);
					tables_eq(&t, rc, &s, rs);
					nn_table_free(&s);
				}
				nn_table_free(&t);
				free(v);
			}
	}
	free(text);
}
END_TEST

/* gzip of len bytes (deflate's gzip wrapper), into out; its length. */
static size_t gzip_bytes(unsigned char *out, size_t cap, const void *in, size_t len)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	ck_assert_int_eq(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	size_t n = z.total_out;
	deflateEnd(&z);
	return n;
}

/*
 * A gzip stream that is cut short after a bad cell: the cell is the error,
 * however far ahead the stream is inflated (fuzz-csv found the buffer and
 * a stream reporting the one and the other); without the bad cell, the
 * cut is.
 */
START_TEST(test_csv_gzip_order)
{
	const size_t rows = 3000;
	char *text = malloc(rows * 8 + 32);
	unsigned char *gz = malloc(rows * 8 + 1024);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(gz);
	for (int bad_cell = 0; bad_cell < 2; bad_cell++) {
		char *p = text + sprintf(text, "a,b,c\n1,%s,1\n", bad_cell ? "x" : "2");
		for (size_t k = 0; k < rows; k++)
			p += sprintf(p, "%zu,2,3\n", k % 97);
		size_t n = gzip_bytes(gz, rows * 8 + 1024, text, (size_t)(p - text)) - 12;
		nn_table t, s;
		int rc = nn_table_read_buffer(&t, gz, n, "data.csv", NULL);
		if (bad_cell) {
			ck_assert_int_eq(rc, NN_EFORMAT);
			ck_assert_str_eq(t.error, "data.csv:2: column 'b': 'x' is not a number");
		} else {
			ck_assert_int_eq(rc, NN_ETRUNC);
			ck_assert_str_eq(t.error, "data.csv: the gzip stream ends early");
		}
		for (size_t c = 0; c < N_STREAMS; c++) {
			int rs = read_stream(&s, gz, n, streams[c][0], streams[c][1], NULL);
			tables_eq(&t, rc, &s, rs);
			nn_table_free(&s);
		}
		nn_table_free(&t);
	}
	free(gz);
	free(text);
}
END_TEST

/* ---- CSV: spellings of one table --------------------------------------------------------- */

/* The table every spelling below holds: 3 samples, features a b, target y. */
static void check_small(const nn_table *t, int names)
{
	static const double x[6] = { 1.5, -2, 3, 4e-3, 0.25, 6 };
	static const int y[3] = { 1, 0, 1 };
	ck_assert_int_eq(t->task, NN_TASK_CLASSIFY);
	ck_assert_uint_eq(t->x.rows, 2);
	ck_assert_uint_eq(t->x.cols, 3);
	for (int i = 0; i < 6; i++)
		ck_assert(same(t->x.data[i], x[i]));
	ck_assert_uint_eq(t->n_classes, 2);
	ck_assert_str_eq(t->class_names[0], "no");
	ck_assert_str_eq(t->class_names[1], "yes");
	for (int j = 0; j < 3; j++)
		ck_assert_int_eq(t->labels.data[j], y[j]);
	ck_assert_str_eq(t->feature_names[0], names ? "a" : "x1");
	ck_assert_str_eq(t->feature_names[1], names ? "b" : "x2");
	ck_assert_str_eq(t->target_names[0], names ? "y" : "y");
	ck_assert_uint_eq(t->n_targets, 1);
}

START_TEST(test_csv_spellings)
{
	static const char *const with_header[] = {
		"a,b,y\n1.5,-2,yes\n3,4e-3,no\n0.25,6,yes\n",
		"a,b,y\n1.5,-2,yes\n3,4e-3,no\n0.25,6,yes",                    /* no final line end */
		"a,b,y\r\n1.5,-2,yes\r\n3,4e-3,no\r\n0.25,6,yes\r\n",          /* CRLF */
		"a,b,y\r1.5,-2,yes\r3,4e-3,no\r0.25,6,yes\r",                  /* CR */
		"\xEF\xBB\xBF" "a,b,y\n1.5,-2,yes\n3,4e-3,no\n0.25,6,yes\n",   /* a BOM */
		"a\tb\ty\n1.5\t-2\tyes\n3\t4e-3\tno\n0.25\t6\tyes\n",
		"a;b;y\n1.5;-2;yes\n3;4e-3;no\n0.25;6;yes\n",
		"a|b|y\n1.5|-2|yes\n3|4e-3|no\n0.25|6|yes\n",
		"# a comment\n\na,b,y\n# another\n1.5,-2,yes\n\n   \n3,4e-3,no\n0.25,6,yes\n\n",
		"\"a\",\"b\",\"y\"\n\"1.5\",\"-2\",\"yes\"\n3,\" 4e-3 \",no\n0.25,6,\"yes\"\n",
		"a , b , y\n 1.5 , -2 ,yes\n+3,.4e-2, no \n0.25,6.,yes\n",   /* spaces, signs */
		"a,b,y\n1.5,-2,yes\n3,0.004,no\n0.25,6,yes\n",
		"a,b,y\n1.5,-2,yes\n3,4E-3,no\n2.5e-1,6e0,yes\n",
		"a,b,y\n\"1.5\" , -2,yes\n3,4e-3,no\n0.25,6,yes\n",           /* space after a quote */
	};
	for (size_t k = 0; k < sizeof with_header / sizeof *with_header; k++) {
		nn_table t;
		int rc = read_text(&t, with_header[k], NULL);
		ck_assert_msg(rc == 0, "spelling %zu: %s", k, t.error);
		check_small(&t, 1);
		ck_assert_str_eq(t.error, "");
		nn_table_free(&t);
	}
	static const char *const without[] = {
		"1.5,-2,yes\n3,4e-3,no\n0.25,6,yes\n",
		"1.5\t-2\tyes\n3\t4e-3\tno\n0.25\t6\tyes",
	};
	for (size_t k = 0; k < 2; k++) {
		nn_table t;
		ck_assert_int_eq(read_text(&t, without[k], NULL), 0);
		check_small(&t, 0);
		nn_table_free(&t);
	}
	/* given instead of detected */
	nn_table t;
	nn_table_options o = nn_table_defaults();
	o.delimiter = ';';
	o.header = 1;
	ck_assert_int_eq(read_text(&t, "a;b;y\n1.5;-2;yes\n3;4e-3;no\n0.25;6;yes\n", &o), 0);
	check_small(&t, 1);
	nn_table_free(&t);
	/* gzip-compressed: told by its magic, whatever the name */
	make_tmpdir();
	gzFile g = gzopen(tmp("plain.csv"), "wb9");
	ck_assert_ptr_nonnull(g);
	gzputs(g, with_header[0]);
	ck_assert_int_eq(gzclose(g), Z_OK);
	ck_assert_int_eq(nn_table_read(&t, tmp("plain.csv"), NULL), 0);
	check_small(&t, 1);
	nn_table_free(&t);
	/* a file called .npy holding text is text */
	put_file(tmp("text.npy"), with_header[0], strlen(with_header[0]));
	ck_assert_int_eq(nn_table_read(&t, tmp("text.npy"), NULL), 0);
	check_small(&t, 1);
	nn_table_free(&t);
	remove_tmpdir();
}
END_TEST

START_TEST(test_csv_detect)
{
	nn_table t;
	nn_table_options o = nn_table_defaults();
	o.target = "";
	/* a header of names over numbers */
	ck_assert_int_eq(read_text(&t, "a,b\n1,2\n", &o), 0);
	ck_assert_uint_eq(t.x.cols, 1);
	ck_assert_str_eq(t.feature_names[1], "b");
	nn_table_free(&t);
	/* a single row of names is a header over no data */
	bad("a,b\n", &o, NN_ESIZE, "data.csv: no data rows");
	/* a single row of numbers is data */
	ck_assert_int_eq(read_text(&t, "1,2\n", &o), 0);
	ck_assert_uint_eq(t.x.cols, 1);
	nn_table_free(&t);
	/* words in the target column of every row are not a header ... */
	ck_assert_int_eq(read_text(&t, "1,2,setosa\n3,4,virginica\n", NULL), 0);
	ck_assert_uint_eq(t.x.cols, 2);
	ck_assert_uint_eq(t.n_classes, 2);
	nn_table_free(&t);
	/* ... nor is a row of numbers, even over words */
	o.target = NULL;
	ck_assert_int_eq(read_text(&t, "1,2,3\n4,5,x\n", &o), 0);
	ck_assert_uint_eq(t.x.cols, 2);
	ck_assert_str_eq(t.class_names[0], "3");
	nn_table_free(&t);
	/* numeric names need header = 1 */
	o.header = 1;
	ck_assert_int_eq(read_text(&t, "1,2\n3,4\n", &o), 0);
	ck_assert_uint_eq(t.x.cols, 1);
	ck_assert_str_eq(t.feature_names[0], "1");
	nn_table_free(&t);
	/* header = 0: a first row of words is data, and an error */
	o.header = 0;
	bad("a,b\n1,2\n", &o, NN_EFORMAT, "data.csv:1: column 1: 'a' is not a number");
	o.header = -1;
	o.target = "";
	/* the delimiter seen the same number of times on every row wins over one
	 * found more often but not on every row */
	ck_assert_int_eq(read_text(&t, "a;b;c\n1;2;3,5\n4;5;6\n", &o), NN_EFORMAT);
	ck_assert_str_eq(t.error, "data.csv:2: column 'c': '3,5' is not a number");
	nn_table_free(&t);
	ck_assert_int_eq(read_text(&t, "a|b\n\"1|2\"|3\n4|5\n", &o), NN_EFORMAT);
	ck_assert_str_eq(t.error, "data.csv:2: column 'a': '1|2' is not a number");
	nn_table_free(&t);
	/* one column: no delimiter at all */
	o.target = "";
	ck_assert_int_eq(read_text(&t, "v\n1\n2\n3\n", &o), 0);
	ck_assert_uint_eq(t.x.rows, 1);
	ck_assert_uint_eq(t.x.cols, 3);
	nn_table_free(&t);
}
END_TEST

/* ---- the target and the task ------------------------------------------------------------------------ */

START_TEST(test_csv_target)
{
	const char *text = "p,q,r,\"s,t\"\n1,2,3,4\n5,6,7,8\n";
	nn_table t;
	nn_table_options o = nn_table_defaults();
	const char *specs[] = { "r", "2", "-2", " r " };
	for (int k = 0; k < 4; k++) {
		o.target = specs[k];
		o.task = NN_TASK_REGRESS;
		ck_assert_msg(read_text(&t, text, &o) == 0, "%s: %s", specs[k], t.error);
		ck_assert_str_eq(t.target_names[0], "r");
		ck_assert_uint_eq(t.x.rows, 3);
		ck_assert_str_eq(t.feature_names[2], "s,t");
		ck_assert_double_eq(t.y.data[0], 3);
		ck_assert_double_eq(t.y.data[1], 7);
		ck_assert_double_eq(t.x.data[3], 5);
		ck_assert_double_eq(t.x.data[5], 8);
		nn_table_free(&t);
	}
	/* a name with a comma, as a whole; several targets, in the order given */
	o.target = "s,t";
	ck_assert_int_eq(read_text(&t, text, &o), 0);
	ck_assert_str_eq(t.target_names[0], "s,t");
	nn_table_free(&t);
	o.target = "r,p";
	ck_assert_int_eq(read_text(&t, text, &o), 0);
	ck_assert_uint_eq(t.n_targets, 2);
	ck_assert_uint_eq(t.y.rows, 2);
	ck_assert_str_eq(t.target_names[0], "r");
	ck_assert_str_eq(t.target_names[1], "p");
	ck_assert_double_eq(t.y.data[0], 3);
	ck_assert_double_eq(t.y.data[1], 1);
	ck_assert_double_eq(t.y.data[2], 7);
	ck_assert_uint_eq(t.x.rows, 2);
	ck_assert_double_eq(t.x.data[0], 2);
	ck_assert_double_eq(t.x.data[1], 4);
	ck_assert_double_eq(t.x.data[2], 6);
	nn_table_free(&t);
	/* several integral targets under AUTO: regression */
	o.task = NN_TASK_AUTO;
	ck_assert_int_eq(read_text(&t, text, &o), 0);
	ck_assert_int_eq(t.task, NN_TASK_REGRESS);
	nn_table_free(&t);
	/* no target */
	o.target = "";
	ck_assert_int_eq(read_text(&t, text, &o), 0);
	ck_assert_int_eq(t.task, NN_TASK_NONE);
	ck_assert_uint_eq(t.x.rows, 4);
	ck_assert_ptr_null(t.target_names);
	ck_assert_ptr_null(t.y.data);
	ck_assert_ptr_null(t.labels.data);
	nn_table_free(&t);
	o.target = NULL;
	o.task = NN_TASK_NONE;
	ck_assert_int_eq(read_text(&t, text, &o), 0);
	ck_assert_int_eq(t.task, NN_TASK_NONE);
	ck_assert_uint_eq(t.n_targets, 0);
	nn_table_free(&t);
	/* without a header, names are generated and the targets are indexes */
	o.task = NN_TASK_REGRESS;
	o.target = "0,2";
	ck_assert_int_eq(read_text(&t, "1,2,3\n4,5,6\n", &o), 0);
	ck_assert_str_eq(t.target_names[0], "y1");
	ck_assert_str_eq(t.target_names[1], "y2");
	ck_assert_str_eq(t.feature_names[0], "x1");
	ck_assert_double_eq(t.x.data[1], 5);
	nn_table_free(&t);
}
END_TEST

/* Read "v\n<values>" as a classification target (with one constant feature) and check ids/names. */
static void classes(const char *values, nn_task task, size_t k, const char *const *names,
		    const int *ids, size_t n)
{
	char text[512] = "f,v\n";
	for (const char *p = values; *p;) {
		const char *e = strchr(p, ' ');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		strcat(text, "0,");
		strncat(text, p, len);
		strcat(text, "\n");
		p += len + (e != NULL);
	}
	nn_table t;
	nn_table_options o = nn_table_defaults();
	o.task = task;
	ck_assert_msg(read_text(&t, text, &o) == 0, "%s: %s", values, t.error);
	ck_assert_int_eq(t.task, NN_TASK_CLASSIFY);
	ck_assert_uint_eq(t.n_classes, k);
	for (size_t c = 0; names && c < k; c++)
		ck_assert_str_eq(t.class_names[c], names[c]);
	ck_assert_uint_eq(t.labels.n, n);
	for (size_t j = 0; j < n; j++)
		ck_assert_int_eq(t.labels.data[j], ids[j]);
	nn_table_free(&t);
}

START_TEST(test_csv_task)
{
	/* integers >= 0 are their own ids; absent ones keep their place */
	classes("2 0 4 2", NN_TASK_AUTO, 5, (const char *[]){ "0", "1", "2", "3", "4" },
		(int[]){ 2, 0, 4, 2 }, 4);
	classes("1.0 3e0 0", NN_TASK_AUTO, 4, (const char *[]){ "0", "1", "2", "3" },
		(int[]){ 1, 3, 0 }, 3);
	/* a negative integer: the distinct values in numeric order */
	classes("1 -1 1 -1", NN_TASK_AUTO, 2, (const char *[]){ "-1", "1" }, (int[]){ 1, 0, 1, 0 },
		4);
	classes("10 -3 2 -0", NN_TASK_AUTO, 4, (const char *[]){ "-3", "0", "2", "10" },
		(int[]){ 3, 0, 2, 1 }, 4);
	/* beyond NN_TABLE_MAX_KEPT_ID: ranks too */
	classes("65536 7 7", NN_TASK_AUTO, 2, (const char *[]){ "7", "65536" }, (int[]){ 1, 0, 0 }, 3);
	classes("65535 7", NN_TASK_AUTO, 65536, NULL, (int[]){ 65535, 7 }, 2);
	/* words: byte order (upper case first), numbers among them are words */
	classes("b B a 10 9", NN_TASK_AUTO, 5, (const char *[]){ "10", "9", "B", "a", "b" },
		(int[]){ 4, 2, 3, 0, 1 }, 5);
	/* CLASSIFY forced on fractions: ranks, with their shortest texts */
	classes("0.5 0.1 0.5 1e300", NN_TASK_CLASSIFY, 3, (const char *[]){ "0.1", "0.5", "1e+300" },
		(int[]){ 1, 0, 1, 2 }, 4);

	/* fractions under AUTO: regression; integers under REGRESS: regression */
	nn_table t;
	ck_assert_int_eq(read_text(&t, "f,v\n0,0.5\n1,2\n", NULL), 0);
	ck_assert_int_eq(t.task, NN_TASK_REGRESS);
	ck_assert_double_eq(t.y.data[0], 0.5);
	ck_assert_ptr_null(t.class_names);
	ck_assert_uint_eq(t.n_classes, 0);
	nn_table_free(&t);
	nn_table_options o = nn_table_defaults();
	o.task = NN_TASK_REGRESS;
	ck_assert_int_eq(read_text(&t, "f,v\n0,1\n1,2\n", &o), 0);
	ck_assert_int_eq(t.task, NN_TASK_REGRESS);
	ck_assert_double_eq(t.y.data[1], 2);
	nn_table_free(&t);
	/* max_rows keeps the first rows; the classes are those of the rows kept */
	o = nn_table_defaults();
	o.max_rows = 2;
	ck_assert_int_eq(read_text(&t, "f,v\n0,a\n1,c\n2,b\n3,oops,4\n", &o), 0);
	ck_assert_uint_eq(t.x.cols, 2);
	ck_assert_uint_eq(t.n_classes, 2);
	ck_assert_str_eq(t.class_names[1], "c");
	nn_table_free(&t);
}
END_TEST

/* Ignored columns: never parsed, dropped from the features, never the default target. */
START_TEST(test_csv_ignore)
{
	nn_table t;
	nn_table_options o = nn_table_defaults();
	/* nn-data's layout with a split column, and an id column: by name and by index */
	const char *text = "id,a,b,label,split\nr1,1,2,0,train\n,3,4,1,test\n";
	const char *specs[] = { "split,id", "-1,0", "0,split", "id,4" };
	for (int k = 0; k < 4; k++) {
		o.ignore = specs[k];
		o.target = "label";
		ck_assert_msg(read_text(&t, text, &o) == 0, "%s: %s", specs[k], t.error);
		ck_assert_uint_eq(t.x.rows, 2);
		ck_assert_uint_eq(t.x.cols, 2);
		ck_assert_str_eq(t.feature_names[0], "a");
		ck_assert_str_eq(t.feature_names[1], "b");
		ck_assert_double_eq(t.x.data[0], 1);
		ck_assert_double_eq(t.x.data[1], 2);
		ck_assert_double_eq(t.x.data[2], 3);
		ck_assert_double_eq(t.x.data[3], 4);
		ck_assert_int_eq(t.task, NN_TASK_CLASSIFY);
		ck_assert_int_eq(t.labels.data[0], 0);
		ck_assert_int_eq(t.labels.data[1], 1);
		nn_table_free(&t);
	}
	/* without a target: the last column not ignored */
	o.target = NULL;
	o.ignore = "split,id";
	ck_assert_int_eq(read_text(&t, text, &o), 0);
	ck_assert_str_eq(t.target_names[0], "label");
	ck_assert_uint_eq(t.n_classes, 2);
	nn_table_free(&t);
	/* "" is no column ignored; no target: every other column a feature */
	o.ignore = "";
	o.target = "";
	ck_assert_int_eq(read_text(&t, "a,b\n1,2\n3,4\n", &o), 0);
	ck_assert_uint_eq(t.x.rows, 2);
	nn_table_free(&t);
	o.ignore = "a";
	ck_assert_int_eq(read_text(&t, "a,b\nx,2\ny,4\n", &o), 0);
	ck_assert_uint_eq(t.x.rows, 1);
	ck_assert_double_eq(t.x.data[1], 4);
	ck_assert_str_eq(t.feature_names[0], "b");
	nn_table_free(&t);
	/* a regression target beside an ignored text column, without a header */
	o = nn_table_defaults();
	o.ignore = "1";
	o.target = "2";
	o.header = 0;
	ck_assert_int_eq(read_text(&t, "1,foo,0.5\n2,\"bar,baz\",1.5\n", &o), 0);
	ck_assert_int_eq(t.task, NN_TASK_REGRESS);
	ck_assert_double_eq(t.y.data[1], 1.5);
	ck_assert_uint_eq(t.x.rows, 1);
	ck_assert_double_eq(t.x.data[1], 2);
	ck_assert_str_eq(t.feature_names[0], "x1");
	nn_table_free(&t);

	/* errors */
	o = nn_table_defaults();
	o.ignore = "splt";
	bad(text, &o, NN_EINVAL,
	    "data.csv: ignore 'splt' is not a column (columns: id, a, b, label, split)");
	o.ignore = "5";
	bad(text, &o, NN_EINVAL, "data.csv: ignore index 5 is out of range: 5 columns");
	o.ignore = "id,0";
	bad(text, &o, NN_EINVAL, "data.csv: ignore '0' is listed twice");
	o.ignore = "id,";
	bad(text, &o, NN_EINVAL, "data.csv: ignore \"id,\" has an empty item");
	o.ignore = "split";
	o.target = "split";
	bad(text, &o, NN_EINVAL, "data.csv: column 'split' is both a target and ignored");
	o.target = "label,-1";
	o.task = NN_TASK_REGRESS;
	bad(text, &o, NN_EINVAL, "data.csv: column '-1' is both a target and ignored");
	o = nn_table_defaults();
	o.ignore = "a";
	bad("a\n1\n", &o, NN_ESIZE, "data.csv: every column (1) is ignored");
	o.ignore = "a,b";
	bad("a,b,c\n1,2,3\n", &o, NN_ESIZE,
	    "data.csv: no feature column: of the 3 columns, 1 is the target and 2 are ignored");
	/* an ignored cell still counts in the row */
	o.ignore = "a";
	bad("a,b,c\n1,2,3\nx,2\n", &o, NN_ESHAPE, "data.csv:3: 2 cells, the header has 3");
	/* the cells of the other columns are read as always */
	bad("a,b,c\n1,2,3\nx,y,2\n", &o, NN_EFORMAT, "data.csv:3: column 'b': 'y' is not a number");
}
END_TEST

/* ---- the locale ------------------------------------------------------------------------------------------ */

/*
 * Make de_DE (decimal comma) this process's locale: the system's, or one
 * made by localedef in the temporary directory; 0 when neither is possible.
 * setlocale() rather than newlocale(), which keeps the LOCPATH it parsed
 * for ever (valgrind and LeakSanitizer call that a leak of this test).
 */
static int german(void)
{
	if (setlocale(LC_ALL, "de_DE.UTF-8"))
		return 1;
	if (access("/usr/bin/localedef", X_OK) != 0)
		return 0;
	char cmd[256];
	snprintf(cmd, sizeof cmd,
		 "/usr/bin/localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1", tmpdir);
	if (system(cmd) != 0)
		return 0;
	setenv("LOCPATH", tmpdir, 1);
	int ok = setlocale(LC_ALL, "de_DE.UTF-8") != NULL;
	unsetenv("LOCPATH");
	return ok;
}

START_TEST(test_csv_locale)
{
	make_tmpdir();
	if (!german()) {
		fprintf(stderr, "table: no de_DE locale (none installed, and localedef absent or "
				"failed): locale test skipped\n");
		remove_tmpdir();
		return;
	}
	/* the locale does what the test needs: strtod stops at the '.' */
	ck_assert_double_eq(strtod("1.5", NULL), 1.0);
	nn_table t;
	ck_assert_int_eq(read_text(&t, "a,b,y\n1.5,-2,yes\n3,4e-3,no\n0.25,6,yes\n", NULL), 0);
	check_small(&t, 1);
	nn_table_free(&t);
	nn_table_options o = nn_table_defaults();
	o.task = NN_TASK_CLASSIFY;
	ck_assert_int_eq(read_text(&t, "f,v\n0,0.1\n0,0.5\n", &o), 0);
	ck_assert_str_eq(t.class_names[0], "0.1");
	nn_table_free(&t);
	/* more digits than the fast path takes: strtod's */
	ck_assert_int_eq(read_text(&t, "a,y\n0.12345678901234567890123,1\n", NULL), 0);
	ck_assert(same(t.x.data[0], 0.12345678901234567890123));
	nn_table_free(&t);
	/* and "1,5" is never one and a half */
	o = nn_table_defaults();
	o.delimiter = ';';
	bad("a;y\n1,5;1\n", &o, NN_EFORMAT, "data.csv:2: column 'a': '1,5' is not a number");
	/* the caller's locale is back */
	ck_assert_double_eq(strtod("1.5", NULL), 1.0);
	setlocale(LC_ALL, "C");
	remove_tmpdir();
}
END_TEST

/* ---- errors --------------------------------------------------------------------------------------------- */

START_TEST(test_csv_errors)
{
	nn_table_options o = nn_table_defaults();
	/* text read with the default options: the code and the whole message */
	static const struct {
		const char *text;
		int code;
		const char *msg;
	} cases[] = {
		{ "", NN_ESIZE, "data.csv: no data rows (no row at all)" },
		{ "\xEF\xBB\xBF", NN_ESIZE, "data.csv: no data rows (no row at all)" },
		{ "# only\n\n  \n# comments\n", NN_ESIZE,
		  "data.csv: no data rows (no row at all)" },
		{ "a,b,c\n", NN_ESIZE, "data.csv: no data rows" },
		{ "a,b,c\n# c\n\n", NN_ESIZE, "data.csv: no data rows" },
		{ "a,b,c,d\n1,2,3,4\n1,2,3,4,5\n", NN_ESHAPE,
		  "data.csv:3: 5 cells, the header has 4" },
		{ "a,b,c,d\n1,2,3,4\n\n1,2,3\n", NN_ESHAPE,
		  "data.csv:4: 3 cells, the header has 4" },
		{ "1,2,3\n1,2\n", NN_ESHAPE, "data.csv:2: 2 cells, the first row has 3" },
		{ "sepal_length,petal_width,species\n1,n/a,setosa\n", NN_EFORMAT,
		  "data.csv:2: column 'petal_width': 'n/a' is not a number" },
		{ "a,b,c\n1,,x\n", NN_EFORMAT, "data.csv:2: column 'b': empty cell" },
		{ "a,b,c\n1,\"\",x\n", NN_EFORMAT, "data.csv:2: column 'b': empty cell" },
		{ "a,b,c\n1,2,\n", NN_EFORMAT, "data.csv:2: column 'c': empty cell" },
		{ "a,b,c\n1,2,3,\n", NN_ESHAPE, "data.csv:2: 4 cells, the header has 3" },
		{ "a,b\n1,nan\n", NN_ENONFINITE, "data.csv:2: column 'b': 'nan' is not finite" },
		{ "a,b\n1,2\ninf,2\n", NN_ENONFINITE,
		  "data.csv:3: column 'a': 'inf' is not finite" },
		{ "a,b\n-Infinity,1\n", NN_ENONFINITE,
		  "data.csv:2: column 'a': '-Infinity' is not finite" },
		{ "a,b\n1e999,1\n", NN_ENONFINITE,
		  "data.csv:2: column 'a': '1e999' is not finite" },
		{ "a,b\nNaN,x\n", NN_ENONFINITE, "data.csv:2: column 'a': 'NaN' is not finite" },
		{ "a,b\n1,NaN\n", NN_ENONFINITE, "data.csv:2: column 'b': 'NaN' is not finite" },
		{ "a,b\n0x10,1\n", NN_EFORMAT, "data.csv:2: column 'a': '0x10' is not a number" },
		{ "a,b\n1e,1\n", NN_EFORMAT, "data.csv:2: column 'a': '1e' is not a number" },
		{ "a,b\n.,1\n", NN_EFORMAT, "data.csv:2: column 'a': '.' is not a number" },
		{ "a,b\n1 2,1\n", NN_EFORMAT, "data.csv:2: column 'a': '1 2' is not a number" },
		{ "a,b\n1,\"x\n2,3\n", NN_EFORMAT, "data.csv:2: a quoted cell is never closed" },
		{ "a,b\n\"1\"x,3\n", NN_EFORMAT,
		  "data.csv:2: text after the closing quote of a cell" },
		{ "a,b\n1,2\n3,\"multi\nline\"x\n", NN_EFORMAT,
		  "data.csv:4: text after the closing quote of a cell" },
		{ "a,b\n1,\"multi\nline\"\n5,\n", NN_EFORMAT,
		  "data.csv:4: column 'b': empty cell" },
		/* line ends cut by the end of a stream's window count once */
		{ "a,b,c\r\n1,2,3\r\n\r\n# c\r\n4,x,6\r\n", NN_EFORMAT,
		  "data.csv:5: column 'b': 'x' is not a number" },
		{ "a,b,c\r1,2,3\r\r# c\r4,5,\"x\r\ny\"\r7,8,9,10\r", NN_ESHAPE,
		  "data.csv:7: 4 cells, the header has 3" },
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++)
		bad(cases[k].text, NULL, cases[k].code, cases[k].msg);
	{
		static const char nul[] = "a,b\n1,2\n3,4\0\n";
		nn_table t;
		ck_assert_int_eq(nn_table_read_buffer(&t, nul, sizeof nul - 1, "data.csv", NULL),
				 NN_EFORMAT);
		ck_assert_str_eq(t.error, "data.csv:3: a NUL byte: not a text file");
		nn_table_free(&t);
	}
	/* the first error of the file is the one reported */
	bad("a,b,c\n1,x,1\n1,2,3,4\n", NULL, NN_EFORMAT, "data.csv:2: column 'b': 'x' is not a number");
	/* targets */
	o.target = "specis";
	bad("sepal,species\n1,a\n", &o, NN_EINVAL,
	    "data.csv: target 'specis' is not a column (columns: sepal, species)");
	bad("1,2\n", &o, NN_EINVAL,
	    "data.csv: target 'specis' is not a column: without a header, give a 0-based index "
	    "(2 columns)");
	o.target = "2";
	bad("a,b\n1,2\n", &o, NN_EINVAL, "data.csv: target index 2 is out of range: 2 columns");
	o.target = "-3";
	bad("a,b\n1,2\n", &o, NN_EINVAL, "data.csv: target index -3 is out of range: 2 columns");
	o.target = "a,0";
	bad("a,b,c\n1,2,3\n", &o, NN_EINVAL, "data.csv: target '0' is listed twice");
	o.target = "a,";
	bad("a,b,c\n1,2,3\n", &o, NN_EINVAL, "data.csv: target \"a,\" has an empty item");
	o.target = "a";
	bad("a,a,c\n1,2,3\n", &o, NN_EINVAL, "data.csv: target 'a' names 2 columns; give its index");
	o.target = "a,b";
	o.task = NN_TASK_CLASSIFY;
	bad("a,b,c\n1,2,3\n", &o, NN_EINVAL,
	    "data.csv: task CLASSIFY takes one target column, not 2");
	o.target = "a,b,c";
	o.task = NN_TASK_REGRESS;
	bad("a,b,c\n1,2,3\n", &o, NN_ESIZE,
	    "data.csv: no feature column: the 3 columns are the target (target \"\" reads them as "
	    "features)");
	o.target = NULL;
	bad("a,y\n1,setosa\n", &o, NN_EFORMAT, "data.csv:2: column 'y': 'setosa' is not a number");
	bad("y\n1\n2\n", NULL, NN_ESIZE,
	    "data.csv: no feature column: the 1 column is the target (target \"\" reads them as "
	    "features)");
	o.target = "a,y";
	bad("a,b,y\n1,2,setosa\n", &o, NN_EFORMAT, "data.csv:2: column 'y': 'setosa' is not a number");
	/* options */
	o = nn_table_defaults();
	o.header = 2;
	bad("a\n1\n", &o, NN_EINVAL, "data.csv: header 2: -1 (detect), 0 or 1");
	o = nn_table_defaults();
	o.task = (nn_task)9;
	bad("a\n1\n", &o, NN_EINVAL, "data.csv: task 9 is not an nn_task");
	o = nn_table_defaults();
	o.max_rows = 0;
	bad("a\n1\n", &o, NN_EINVAL, "data.csv: max_rows 0 keeps no row (NN_ALL keeps all)");
	o = nn_table_defaults();
	o.delimiter = '"';
	bad("a\n1\n", &o, NN_EINVAL,
	    "data.csv: delimiter 0x22: a quote, line end or space cannot be one");
	o.delimiter = ' ';
	bad("a\n1\n", &o, NN_EINVAL,
	    "data.csv: delimiter 0x20: a quote, line end or space cannot be one");
	o = nn_table_defaults();
	o.comment = '\n';
	bad("a\n1\n", &o, NN_EINVAL, "data.csv: comment 0x0a: a quote or line end cannot be one");
	o = nn_table_defaults();
	o.delimiter = '#';
	bad("a\n1\n", &o, NN_EINVAL, "data.csv: the delimiter and the comment are both 0x23");
	o = nn_table_defaults();
	o.task = NN_TASK_NONE;
	o.target = "a";
	bad("a\n1\n", &o, NN_EINVAL, "data.csv: task NONE, but a target is given");
	o.task = NN_TASK_CLASSIFY;
	o.target = "";
	bad("a\n1\n", &o, NN_EINVAL, "data.csv: task CLASSIFY needs a target, not \"\"");
	/* arguments */
	nn_table t;
	ck_assert_int_eq(nn_table_read_buffer(NULL, "1", 1, NULL, NULL), NN_ENULL);
	ck_assert_int_eq(nn_table_read_buffer(&t, NULL, 1, NULL, NULL), NN_ENULL);
	nn_table_free(&t);
	ck_assert_int_eq(nn_table_read_buffer(&t, NULL, 0, NULL, NULL), NN_ESIZE);
	ck_assert_str_eq(t.error, "<buffer>: no data rows (no row at all)");
	nn_table_free(&t);
	ck_assert_int_eq(nn_table_read(NULL, "x", NULL), NN_ENULL);
	ck_assert_int_eq(nn_table_read(&t, NULL, NULL), NN_ENULL);
	nn_table_free(&t);
	nn_table_free(NULL);
	nn_table zero = { 0 };
	nn_table_free(&zero);
}
END_TEST

/* Files that are not regular files, and files that are not there. */
START_TEST(test_file_errors)
{
	make_tmpdir();
	nn_table t;
	nn_table_options o;
	nn_matrix m;
	ck_assert_int_eq(nn_table_read(&t, tmp("absent.csv"), NULL), NN_ENOENT);
	ck_assert_ptr_nonnull(strstr(t.error, "absent.csv: No such file or directory"));
	nn_table_free(&t);
	ck_assert_int_eq(nn_npy_read(&m, tmp("absent.npy")), NN_ENOENT);
	ck_assert_int_eq(nn_table_read(&t, tmpdir, NULL), NN_ENOTFILE);
	ck_assert_ptr_nonnull(strstr(t.error, ": a directory, not a regular file"));
	nn_table_free(&t);
	ck_assert_int_eq(nn_npy_read(&m, tmpdir), NN_ENOTFILE);
	/* a FIFO without a writer: refused at once, never waited on */
	ck_assert_int_eq(mkfifo(tmp("fifo"), 0600), 0);
	tu_alarm_start(10); /* a hang fails the test instead of the suite */
	ck_assert_int_eq(nn_table_read(&t, tmp("fifo"), NULL), NN_ENOTFILE);
	ck_assert_ptr_nonnull(strstr(t.error, "fifo: a FIFO, not a regular file"));
	nn_table_free(&t);
	ck_assert_int_eq(nn_npy_read(&m, tmp("fifo")), NN_ENOTFILE);
	tu_alarm_stop();
	ck_assert_int_eq(nn_table_read(&t, "/dev/null", NULL), NN_ENOTFILE);
	ck_assert_str_eq(t.error, "/dev/null: a character device, not a regular file");
	nn_table_free(&t);
	/* a gzip-compressed .npy: what the raw one holds */
	{
		size_t len;
		unsigned char *raw = get_file(DATA "/f8_le_C.npy", &len), gz[4096];
		put_file(tmp("gz.npy"), gz, gzip_bytes(gz, sizeof gz, raw, len));
		nn_matrix a, b;
		ck_assert_int_eq(nn_npy_read(&a, DATA "/f8_le_C.npy"), 0);
		ck_assert_int_eq(nn_npy_read(&b, tmp("gz.npy")), 0);
		ck_assert_uint_eq(a.rows * a.cols, b.rows * b.cols);
		ck_assert_int_eq(memcmp(a.data, b.data, a.rows * a.cols * sizeof(double)), 0);
		nn_matrix_free(&a);
		nn_matrix_free(&b);
		o = nn_table_defaults();
		o.target = "";
		ck_assert_int_eq(nn_table_read(&t, tmp("gz.npy"), &o), 0);
		ck_assert_uint_eq(t.x.rows, 3);
		nn_table_free(&t);
		free(raw);
	}
	put_file(tmp("empty"), "", 0);
	ck_assert_int_eq(nn_table_read(&t, tmp("empty"), NULL), NN_ESIZE);
	nn_table_free(&t);
	ck_assert_int_eq(nn_npy_read(&m, tmp("empty")), NN_ETRUNC);
	/* a window that may hold 100 bytes refuses the 101st */
	{
		char text[1000];
		memset(text, '1', sizeof text);
		mem_stream ms = { (const unsigned char *)text, sizeof text, 0, 7 };
		nn__win w;
		char err[NN_TABLE_ERROR_LEN] = "";
		nn__win_stream(&w, mem_read, &ms, 16, "big.gz");
		w.max = 100;
		ck_assert_int_eq(nn__win_all(&w, err), NN_ESIZE);
		ck_assert_str_eq(err, "big.gz: more than 100 bytes to hold at once");
		ck_assert_uint_eq(w.n, 100);
		nn__win_free(&w);
	}
	/* a corrupt gzip stream */
	unsigned char gz[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff };
	put_file(tmp("bad.gz"), gz, sizeof gz);
	int rc = nn_table_read(&t, tmp("bad.gz"), NULL);
	ck_assert_msg(rc == NN_EGZIP || rc == NN_ETRUNC, "%d %s", rc, t.error);
	nn_table_free(&t);
	remove_tmpdir();
}
END_TEST

/* 10^6 columns: read, and refused cleanly when ragged. */
START_TEST(test_csv_wide)
{
	const size_t C = 1000000;
	char *text = malloc(3 * 2 * C + 16), *p = text;
	ck_assert_ptr_nonnull(text);
	for (int row = 0; row < 2; row++) {
		for (size_t k = 0; k < C; k++) {
			*p++ = (char)('0' + (k + (size_t)row) % 10);
			*p++ = k + 1 < C ? ',' : '\n';
		}
	}
	nn_table t;
	ck_assert_int_eq(nn_table_read_buffer(&t, text, (size_t)(p - text), "wide.csv", NULL), 0);
	ck_assert_uint_eq(t.x.rows, C - 1);
	ck_assert_uint_eq(t.x.cols, 2);
	ck_assert_str_eq(t.feature_names[C - 2], "x999999");
	ck_assert_double_eq(NN_AT(&t.x, 123456, 1), 7);
	ck_assert_int_eq(t.labels.data[0], 9); /* (C - 1) % 10 */
	ck_assert_int_eq(t.labels.data[1], 0);
	nn_table_free(&t);
	/* one cell fewer on the second row */
	p[-3] = '\n';
	ck_assert_int_eq(nn_table_read_buffer(&t, text, (size_t)(p - text) - 2, "wide.csv", NULL),
			 NN_ESHAPE);
	ck_assert_str_eq(t.error, "wide.csv:2: 999999 cells, the first row has 1000000");
	nn_table_free(&t);
	free(text);
}
END_TEST

Suite *table_suite(void)
{
	Suite *s = suite_create("table");
	TCase *tc = tcase_create("npy");
	tcase_add_test(tc, test_npy_fixtures);
	tcase_add_test(tc, test_npy_random);
	tcase_add_test(tc, test_npy_write);
	tcase_add_test(tc, test_npy_ignore);
	tcase_add_test(tc, test_npy_errors);
	suite_add_tcase(s, tc);
	tc = tcase_create("csv");
	tcase_set_timeout(tc, 60); /* localedef takes seconds */
	tcase_add_test(tc, test_csv_python);
	tcase_add_test(tc, test_csv_numbers);
	tcase_add_test(tc, test_csv_stream);
	tcase_add_test(tc, test_csv_gzip_order);
	tcase_add_test(tc, test_csv_spellings);
	tcase_add_test(tc, test_csv_detect);
	tcase_add_test(tc, test_csv_target);
	tcase_add_test(tc, test_csv_task);
	tcase_add_test(tc, test_csv_ignore);
	tcase_add_test(tc, test_csv_locale);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_csv_errors);
	tcase_add_test(tc, test_file_errors);
	tcase_add_test(tc, test_csv_wide);
	suite_add_tcase(s, tc);
	return s;
}
