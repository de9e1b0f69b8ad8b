/*
 * The pickle reader: the committed fixtures of tests/data/pickle (Python 3,
 * protocols 0-5, and hand-assembled Python 2 streams, protocols 0-2; see
 * scripts/gen_pickle_fixtures.py), pickles assembled here opcode by opcode,
 * and every way a pickle can be bad.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnist/pickle_internal.h"
#include "suites.h"
#include "test_util.h"

#define FIXTURES NN_SOURCE_ROOT "/tests/data/pickle/"

/* The fixtures' data, as scripts/gen_pickle_fixtures.py writes it. */
static const size_t SIZES[3] = { 6, 2, 3 };
#define NF 4

static unsigned fx_byte(size_t split, size_t j, size_t f)
{
	return (unsigned)((split * 50 + j * 17 + f * 29 + 3) % 256);
}

static int fx_label(size_t split, size_t j)
{
	return (int)((split * 3 + j * 7) % 10);
}

/* Split 0 (train) and 2 (test) of a load, the first n of each, pixels byte / scale. */
static void check_fixture(const nn_mnist *m, size_t n_train, size_t n_test, double scale)
{
	const nn_matrix *X[2] = { &m->train_x, &m->test_x };
	const nn_labels *Y[2] = { &m->train_y, &m->test_y };
	const size_t split[2] = { 0, 2 }, n[2] = { n_train, n_test };
	ck_assert_uint_eq(m->rows, 2);
	ck_assert_uint_eq(m->cols, 2);
	for (int k = 0; k < 2; k++) {
		ck_assert_uint_eq(X[k]->rows, NF);
		ck_assert_uint_eq(X[k]->cols, n[k]);
		ck_assert_uint_eq(Y[k]->n, n[k]);
		for (size_t j = 0; j < n[k]; j++) {
			for (size_t f = 0; f < NF; f++)
				ck_assert_msg(NN_AT(X[k], f, j) == fx_byte(split[k], j, f) / scale,
					      "split %zu sample %zu pixel %zu: %g", split[k], j, f,
					      NN_AT(X[k], f, j));
			ck_assert_int_eq(Y[k]->data[j], fx_label(split[k], j));
		}
	}
}

START_TEST(test_fixtures)
{
	static const char *names[] = {
		"py2-p0.pkl", "py2-p1.pkl", "py2-p2.pkl",       "py2-p2.pkl.gz",
		"py3-p0.pkl", "py3-p1.pkl", "py3-p2.pkl",       "py3-p3.pkl",
		"py3-p4.pkl", "py3-p5.pkl", "py3-p2-f8-u1.pkl", "py3-p4-fortran.pkl",
	};
	char path[512];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		nn_mnist m;
		snprintf(path, sizeof path, FIXTURES "%s", names[i]);
		int rc = nn_pickle_read_mnist(&m, path, NULL);
		ck_assert_msg(rc == 0, "%s: %s", names[i], m.error);
		check_fixture(&m, 6, 3, 256.0); /* floats: stored as byte / 256 */
		nn_mnist_free(&m);
		/* the front end sends a file to the same reader; subsets */
		nn_mnist_options o = nn_mnist_defaults();
		o.max_train = 2;
		o.max_test = 100;
		ck_assert_int_eq(nn_mnist_load(&m, path, &o), 0);
		check_fixture(&m, 2, 3, 256.0);
		nn_mnist_free(&m);
	}
	/* u1 pixels are divided by the scale, as IDX bytes are. */
	nn_mnist m;
	nn_mnist_options o = nn_mnist_defaults();
	ck_assert_int_eq(nn_pickle_read_mnist(&m, FIXTURES "py3-p4-u1-i4.pkl", &o), 0);
	check_fixture(&m, 6, 3, 255.0);
	nn_mnist_free(&m);
	o.scale = 256.0;
	o.max_test = 1;
	ck_assert_int_eq(nn_pickle_read_mnist(&m, FIXTURES "py3-p4-u1-i4.pkl", &o), 0);
	check_fixture(&m, 6, 1, 256.0);
	nn_mnist_free(&m);
}
END_TEST

/* ---- pickles assembled here ---------------------------------------------- */

typedef struct pbuf {
	unsigned char *b;
	size_t n, cap;
} pbuf;

static void put(pbuf *p, const void *d, size_t n)
{
	if (p->n + n > p->cap) {
		p->cap = (p->n + n) * 2 + 64;
		p->b = realloc(p->b, p->cap);
		ck_assert_ptr_nonnull(p->b);
	}
	memcpy(p->b + p->n, d, n);
	p->n += n;
}

/* A literal, embedded NULs included. */
#define ops(p, lit) put((p), (lit), sizeof(lit) - 1)

static void put_le(pbuf *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)(v >> (8 * i));
		put(p, &c, 1);
	}
}

static void p_int(pbuf *p, int64_t v)
{
	if (v >= 0 && v < 256) {
		ops(p, "K");
		put_le(p, (uint64_t)v, 1);
	} else if (v >= INT32_MIN && v <= INT32_MAX) {
		ops(p, "J");
		put_le(p, (uint64_t)v, 4);
	} else {
		ops(p, "\x8a\x08"); /* LONG1, 8 bytes */
		put_le(p, (uint64_t)v, 8);
	}
}

static void p_str(pbuf *p, const void *s, size_t n)
{
	if (n < 256) {
		ops(p, "U");
		put_le(p, n, 1);
	} else {
		ops(p, "T");
		put_le(p, n, 4);
	}
	put(p, s, n);
}

/* How an assembled MNIST pickle departs from the fixtures' data. */
typedef struct variant {
	int split;            /* the split the changes below apply to */
	const char *img_code; /* dtype of its images, "f4" when NULL */
	const char *lab_code; /* dtype of its labels, "i8" when NULL */
	char endian;          /* of its images' dtype, '<' when 0 */
	int64_t shape[3];     /* its images' shape when shape[0] or [1] is set */
	int ndim;             /* 2 unless set */
	long data_delta;      /* bytes added to (or cut from) its image data */
	long label_delta;     /* labels added to its label array */
	int set_label0;       /* 1: its first label is label0 */
	int64_t label0;
	int set_pixel0; /* 1: its first pixel is pixel0 */
	double pixel0;
} variant;

/* An array the way numpy pickles it: _reconstruct + BUILD, protocol 2 of Python 2. */
static void p_array(pbuf *p, const char *code, char endian, const int64_t *shape, int ndim,
		    const void *data, size_t n)
{
	ops(p, "cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\x00\x85U\x01"
	       "b\x87R(K\x01(");
	for (int k = 0; k < ndim; k++)
		p_int(p, shape[k]);
	ops(p, "tcnumpy\ndtype\n");
	p_str(p, code, strlen(code));
	ops(p, "K\x00K\x01\x87R(K\x03");
	p_str(p, &endian, 1);
	ops(p, "NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb\x89");
	p_str(p, data, n);
	ops(p, "tb");
}

static void put_elem(unsigned char *d, const char *code, double v)
{
	if (strcmp(code, "f8") == 0) {
		memcpy(d, &v, 8);
	} else if (strcmp(code, "f4") == 0) {
		float f = (float)v;
		memcpy(d, &f, 4);
	} else {
		int64_t i = (int64_t)v;
		memcpy(d, &i, strcmp(code, "i4") == 0 ? 4 : strcmp(code, "u1") == 0 ? 1 : 8);
	}
}

static size_t code_size(const char *code)
{
	return code[1] == '1' ? 1 : code[1] == '4' ? 4 : 8;
}

/* ((train_x, train_y), (valid_x, valid_y), (test_x, test_y)) of the fixtures'
 * data, changed as v says; little-endian host assumed for the raw bytes. */
static void p_mnist(pbuf *p, const variant *v)
{
	ops(p, "\x80\x02");
	for (int s = 0; s < 3; s++) {
		int me = s == v->split;
		const char *ic = me && v->img_code ? v->img_code : "f4";
		const char *lc = me && v->lab_code ? v->lab_code : "i8";
		size_t N = SIZES[s], is = code_size(ic), ls = code_size(lc);
		size_t nl = N + (size_t)(me ? v->label_delta : 0);
		size_t nd = N * NF * is + (size_t)(me ? v->data_delta : 0);
		unsigned char *img = calloc(nd + 16, 1), *lab = calloc(nl * ls + 16, 1);
		ck_assert(img && lab);
		for (size_t j = 0; j < N; j++)
			for (size_t f = 0; f < NF; f++)
				if ((j * NF + f + 1) * is <= nd)
					put_elem(img + (j * NF + f) * is, ic,
						 fx_byte((size_t)s, j, f) / 256.0);
		for (size_t j = 0; j < nl; j++)
			put_elem(lab + j * ls, lc, fx_label((size_t)s, j));
		if (me && v->set_label0)
			put_elem(lab, lc, (double)v->label0);
		if (me && v->set_pixel0)
			put_elem(img, ic, v->pixel0);
		int64_t shape[3] = { (int64_t)N, NF, 1 };
		int ndim = me && v->ndim ? v->ndim : 2;
		if (me && (v->shape[0] || v->shape[1]))
			memcpy(shape, v->shape, sizeof shape);
		int64_t lshape = (int64_t)nl;
		p_array(p, ic, me && v->endian ? v->endian : (is == 1 ? '|' : '<'), shape, ndim,
			img, nd);
		p_array(p, lc, ls == 1 ? '|' : '<', &lshape, 1, lab, nl * ls);
		ops(p, "\x86");
		free(img);
		free(lab);
	}
	ops(p, "\x87.");
}

/* Parse bytes as a pickle from memory (gzip or raw), as the fuzz target does;
 * with check, a success must give the fixtures' data. */
static int parse_ex(const void *data, size_t n, char *err, int check)
{
	nn__src s;
	nn_mnist m;
	nn_mnist_options o;
	unsigned char *buf = NULL;
	size_t len = 0;
	memset(&m, 0, sizeof m);
	o = nn_mnist_defaults();
	int rc = nn__src_open_mem(&s, data, n, "test", err);
	if (rc == 0)
		rc = nn__src_slurp(&buf, &len, &s, NN__PICKLE_MAX_BYTES, err);
	nn__src_close(&s);
	if (rc == 0)
		rc = nn__pickle_mnist(&m, buf, len, "test", &o, err);
	free(buf);
	if (rc == 0 && check)
		check_fixture(&m, 6, 3, 256.0);
	else if (rc < 0)
		ck_assert(!m.train_x.data && !m.test_x.data && !m.train_y.data && !m.test_y.data);
	nn_mnist_free(&m);
	return rc;
}

static int parse(const void *data, size_t n, char *err)
{
	return parse_ex(data, n, err, 1);
}

static int parse_variant(const variant *v, char *err)
{
	pbuf p = { 0 };
	p_mnist(&p, v);
	int rc = parse(p.b, p.n, err);
	free(p.b);
	return rc;
}

#define EXPECT(call, code, words)                                                            \
	do {                                                                                 \
		char err_[NN_MNIST_ERROR_LEN] = "";                                          \
		int rc_ = (call);                                                            \
		ck_assert_msg(rc_ == (code), "%s: %d (%s), expected %d", #call, rc_, err_,   \
			      (code));                                                       \
		ck_assert_msg(strstr(err_, (words)) != NULL, "detail '%s' lacks '%s'", err_, \
			      (words));                                                      \
	} while (0)
#define RAW(s)   parse(s, sizeof(s) - 1, err_)
#define VAR(...) parse_variant(&(variant){ __VA_ARGS__ }, err_)

START_TEST(test_assembled)
{
	char err_[NN_MNIST_ERROR_LEN];
	ck_assert_msg(parse_variant(&(variant){ 0 }, err_) == 0, "%s", err_);
	ck_assert_msg(VAR(.img_code = "f8") == 0, "%s", err_);
	ck_assert_msg(VAR(.split = 2, .lab_code = "u1") == 0, "%s", err_);
	ck_assert_msg(VAR(.split = 1, .lab_code = "i4") == 0, "%s", err_);
}
END_TEST

START_TEST(test_errors_opcodes)
{
	/* Globals outside the set: never looked up, never called. */
	EXPECT(RAW("\x80\x02"
		   "cos\nsystem\n(S'ls'\ntR."),
	       NN_EPICKLE, "'os.system'");
	EXPECT(RAW("\x80\x04\x8c\x08"
		   "builtins\x8c\x04"
		   "eval\x93."),
	       NN_EPICKLE, "builtins.eval");
	EXPECT(RAW("cnumpy\nload\n."), NN_EPICKLE, "numpy.load");
	EXPECT(RAW("cnumpy.core.multiarray\nscalar\n."), NN_EPICKLE, "scalar");
	/* Opcodes outside the set. */
	EXPECT(RAW("\x80\x02}."), NN_EPICKLE, "0x7d");
	EXPECT(RAW("\x80\x02]."), NN_EPICKLE, "0x5d");
	EXPECT(RAW("\x80\x05\x97."), NN_EPICKLE, "0x97"); /* NEXT_BUFFER: out-of-band data */
	EXPECT(RAW("\xff"), NN_EPICKLE, "0xff");
	EXPECT(RAW("\x80\x06."), NN_EVERSION, "protocol 6");
	/* Objects and calls outside the model. */
	EXPECT(RAW("N)R."), NN_EPICKLE, "not a recognised callable");
	EXPECT(RAW("cnumpy\nndarray\n(K\x02tR."), NN_EPICKLE, "ndarray");
	EXPECT(RAW("cnumpy.core.multiarray\n_reconstruct\ncnumpy\ndtype\nK\x00\x85U\x01"
		   "b\x87R."),
	       NN_EPICKLE, "_reconstruct arguments");
	EXPECT(RAW("cnumpy\ndtype\n(U\x02O8K\x00K\x01tR."), NN_EPICKLE, "'O8'");
	EXPECT(RAW("cnumpy\ndtype\n(U\x02"
		   "f4K\x00K\x01tR(K\x03U\x01>NNNJ\xff\xff\xff\xff"
		   "J\xff\xff\xff\xffK\x00tb."),
	       NN_EPICKLE, "byte order '>'");
	EXPECT(RAW(")Nb."), NN_EPICKLE, "state is not a tuple");
	EXPECT(RAW(")N\x85"
		   "b."),
	       NN_EPICKLE, "BUILD of an object");
	EXPECT(RAW("c_codecs\nencode\nX\x02\x00\x00\x00\xc4\x80X\x06\x00\x00\x00latin1\x86R."),
	       NN_EFORMAT, "Latin-1");
	EXPECT(RAW("c_codecs\nencode\nX\x01\x00\x00\x00zX\x05\x00\x00\x00utf_8\x86R."), NN_EPICKLE,
	       "'latin1'");
	EXPECT(RAW("X\x01\x00\x00\x00\xff."), NN_EFORMAT, "UTF-8");
	EXPECT(RAW("X\x03\x00\x00\x00\xed\xa0\x80."), NN_EFORMAT, "UTF-8"); /* a surrogate */
	EXPECT(RAW("V\\ud800\n."), NN_EFORMAT, "U+D800");
	EXPECT(RAW("V\\u00\n."), NN_EFORMAT, "escape");
	EXPECT(RAW("Sabc\n."), NN_EFORMAT, "quoted");
	EXPECT(RAW("S'\\x4'\n."), NN_EFORMAT, "\\x");
	EXPECT(RAW("T\xff\xff\xff\xff."), NN_EFORMAT, "negative");
	EXPECT(RAW("Ix12\n."), NN_EFORMAT, "decimal");
	EXPECT(RAW("I123456789012345678901\n."), NN_EFORMAT, "too large");
	EXPECT(RAW("\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x00."), NN_ESIZE, "LONG1");
}
END_TEST

START_TEST(test_errors_stack)
{
	EXPECT(RAW("(."), NN_ESTACK, "open mark");
	EXPECT(RAW("t."), NN_ESTACK, "without a MARK");
	EXPECT(RAW("))."), NN_ESTACK, "2 objects");
	EXPECT(RAW("."), NN_ESTACK, "0 objects");
	EXPECT(RAW("R."), NN_ESTACK, "empty stack");
	EXPECT(RAW("N(\x85."), NN_ESTACK, "tuple of 1 items");
	EXPECT(RAW("N(q\x00."), NN_ESTACK, "memoize");
	EXPECT(RAW("N(b."), NN_ESTACK, "empty stack");
	EXPECT(RAW("\x80\x04\x8c\x01"
		   "a\x93."),
	       NN_ESTACK, "empty stack");
	/* A deep stack, many marks, many objects: each bounded. */
	pbuf p = { 0 };
	for (int i = 0; i < 300; i++)
		ops(&p, ")");
	EXPECT(parse(p.b, p.n, err_), NN_ESTACK, "deeper");
	p.n = 0;
	for (int i = 0; i < 100; i++)
		ops(&p, "(");
	EXPECT(parse(p.b, p.n, err_), NN_ESTACK, "marks");
	p.n = 0;
	/* 1.5 MiB of bytes (a view, no copy) first, so that the memory budget
	 * (test_memory) leaves room for the object count to be what stops it */
	ops(&p, "B\x00\x00\x18\x00");
	unsigned char *zeros = calloc(0x180000, 1);
	ck_assert_ptr_nonnull(zeros);
	put(&p, zeros, 0x180000);
	free(zeros);
	ops(&p, "N");
	for (int i = 0; i < 70000; i++)
		ops(&p, "\x85"); /* ((((None,),),),...): one more object per byte */
	ops(&p, ".");
	EXPECT(parse(p.b, p.n, err_), NN_ESIZE, "objects");
	free(p.b);
	/* The memo. */
	EXPECT(RAW("h\x05."), NN_EFORMAT, "memo 5 is not set");
	EXPECT(RAW("g7\n."), NN_EFORMAT, "memo 7 is not set");
	EXPECT(RAW("g-1\n."), NN_EFORMAT, "negative");
	EXPECT(RAW("Nr\xff\xff\xff\xff."), NN_ESIZE, "memo index 4294967295");
	EXPECT(RAW("Np99999\n."), NN_ESIZE, "memo index");
}
END_TEST

START_TEST(test_errors_sizes)
{
	/* Lengths beyond the data: refused before any allocation. */
	EXPECT(RAW("\x80\x04\x8e\x00\x00\x00\x00\x00\x00\x00\x40"), NN_ETRUNC, "remain");
	EXPECT(RAW("\x80\x05\x96\xff\xff\xff\xff\xff\xff\xff\xff"), NN_ETRUNC, "remain");
	EXPECT(RAW("\x80\x04\x95\x00\x00\x00\x00\x01\x00\x00\x00N."), NN_ETRUNC, "remain");
	EXPECT(RAW("B\xff\xff\xff\x7f"), NN_ETRUNC, "remain");
	EXPECT(RAW("X\x10\x00\x00\x00"
		   "abc"),
	       NN_ETRUNC, "remain");
	EXPECT(RAW("cnumpy\ndty"), NN_ETRUNC, "newline");
	EXPECT(RAW("\x80\x02N"), NN_ETRUNC, "before STOP");
	EXPECT(RAW(""), NN_ETRUNC, "before STOP");
	EXPECT(RAW("N.N"), NN_EFORMAT, "1 bytes after STOP");
	/* Arrays whose bytes are not shape x itemsize, or whose shape overflows. */
	EXPECT(VAR(.data_delta = -4), NN_EFORMAT, "holds 92 bytes, its shape and dtype need 96");
	EXPECT(VAR(.split = 2, .data_delta = 1), NN_EFORMAT, "need 48");
	EXPECT(VAR(.shape = { INT64_C(1) << 62, INT64_C(1) << 62 }), NN_ESIZE, "overflows");
	EXPECT(VAR(.shape = { INT64_C(1) << 61, 8 }), NN_ESIZE, "overflows");
	EXPECT(VAR(.shape = { -6, -4 }), NN_ESIZE, "dimension");
	EXPECT(VAR(.shape = { 0, 4 }, .data_delta = -96), NN_ESIZE, "shape (0, 4)");
	EXPECT(VAR(.shape = { 6, 2, 2 }, .ndim = 3), NN_EPICKLE, "1 or 2 dimensions");
	/* Content that is not MNIST's. */
	EXPECT(RAW("\x80\x02)."), NN_EFORMAT, "((train_x");
	EXPECT(VAR(.set_label0 = 1, .label0 = 10), NN_ELABEL, "label 10 at index 0");
	EXPECT(VAR(.split = 1, .set_label0 = 1, .label0 = -1), NN_ELABEL,
	       "validation set label -1");
	EXPECT(VAR(.split = 2, .label_delta = 1), NN_EMISMATCH, "3 images but 4 labels");
	EXPECT(VAR(.lab_code = "f4"), NN_EFORMAT, "labels are not");
	EXPECT(VAR(.img_code = "i8"), NN_EFORMAT, "images are not");
	EXPECT(VAR(.split = 2, .shape = { 3, 2 }, .data_delta = -24), NN_EMISMATCH, "pixels");
	EXPECT(VAR(.set_pixel0 = 1, .pixel0 = NAN), NN_ENONFINITE, "NaN");
	EXPECT(VAR(.split = 2, .set_pixel0 = 1, .pixel0 = INFINITY), NN_ENONFINITE,
	       "test set image 0");
}
END_TEST

/* Every prefix of a valid pickle is an error; a flipped byte is never a crash. */
START_TEST(test_mutations)
{
	static const char *names[] = { "py2-p0.pkl", "py2-p2.pkl", "py3-p2.pkl", "py3-p5.pkl" };
	char path[512], err[NN_MNIST_ERROR_LEN];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, FIXTURES "%s", names[i]);
		FILE *f = fopen(path, "rb");
		ck_assert_ptr_nonnull(f);
		unsigned char buf[4096];
		size_t n = fread(buf, 1, sizeof buf, f);
		fclose(f);
		ck_assert_uint_gt(n, 0);
		ck_assert_int_eq(parse(buf, n, err), 0);
		for (size_t k = 0; k < n; k++)
			ck_assert_int_lt(parse(buf, k, err), 0);
		for (size_t k = 0; k < n; k++) {
			static const unsigned char flips[3] = { 0x01, 0x80, 0xff };
			for (int x = 0; x < 3; x++) {
				buf[k] ^= flips[x];
				(void)parse_ex(buf, n, err, 0); /* any code, but no crash or leak */
				buf[k] ^= flips[x];
			}
		}
	}
}
END_TEST

/* ---- memory: bounded by the input, whatever the opcodes do (issue 12) ------- */

/* The bytes nn asks malloc for while parsing buf (never freed in between, so
 * this bounds the peak), and the code. */
static int parse_counted(const pbuf *p, unsigned long long *bytes, char *err)
{
	nn_mnist m;
	nn_mnist_options o = nn_mnist_defaults();
	memset(&m, 0, sizeof m);
	unsigned long long before = tu_alloc_bytes;
	int rc = nn__pickle_mnist(&m, p->b, p->n, "test", &o, err);
	*bytes = tu_alloc_bytes - before;
	nn_mnist_free(&m);
	return rc;
}

/* What doc/mnist.md promises for the reader's own memory: 4 bytes per
 * pickle byte and 1 MiB, plus the machine's fixed state (stack, marks). */
static unsigned long long budget(size_t len)
{
	return 4ull * len + (1u << 20) + sizeof(pk_vm);
}

/*
 * _codecs.encode(text, 'latin1') of one memoized text, `calls` times: the
 * way a 1.1 KB .pkl.gz once made the reader ask for 1 GB (each call copied
 * the text). `text` is n bytes of UTF-8.
 */
static void p_encode_bomb(pbuf *p, const char *text, size_t n, int calls)
{
	ops(p, "\x80\x02(c_codecs\nencode\nq\x00X");
	put_le(p, n, 4);
	put(p, text, n);
	ops(p, "q\x01");
	for (int k = 0; k < calls; k++) {
		if (k % 200 == 0)
			ops(p, "(");
		ops(p, "h\x00h\x01\x8c\x06latin1\x86R"); /* encode(text, 'latin1') */
		if (k % 200 == 199 || k == calls - 1)
			ops(p, "t");
	}
	ops(p, "t.");
}

START_TEST(test_memory)
{
	char err[NN_MNIST_ERROR_LEN];
	unsigned long long bytes;
	/* 64 KiB of UTF-8: 'é' (c3 a9) is Latin-1 e9, so each encode makes 32 KiB of
	 * bytes; 1000 calls once asked for 32 MB, the encoded bytes are now shared */
	size_t n = 64 << 10;
	char *text = malloc(n);
	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < n; i += 2)
		memcpy(text + i, "\xc3\xa9", 2);
	pbuf p = { 0 };
	p_encode_bomb(&p, text, n, 1000);
	int rc = parse_counted(&p, &bytes, err);
	ck_assert_msg(rc == NN_EFORMAT, "%d: %s", rc, err); /* a tuple, not MNIST */
	ck_assert_msg(bytes <= budget(p.n), "%llu bytes for a %zu-byte pickle", bytes, p.n);
	free(p.b);
	/* ASCII text: its Latin-1 bytes are its own, not copied at all */
	memset(text, 'a', n);
	p = (pbuf){ 0 };
	p_encode_bomb(&p, text, n, 1000);
	ck_assert_int_eq(parse_counted(&p, &bytes, err), NN_EFORMAT);
	ck_assert_msg(bytes <= budget(p.n) - n, "%llu bytes for a %zu-byte pickle", bytes, p.n);
	free(p.b);
	free(text);

	/* Objects from one-byte opcodes: 320 tuples of 200 None folded pair by
	 * pair, 64,000 objects of some 80 bytes each from 65 KB: the budget stops
	 * it, with a detail. */
	p = (pbuf){ 0 };
	for (int k = 0; k < 320; k++) {
		ops(&p, "(");
		for (int i = 0; i < 200; i++)
			ops(&p, "N");
		ops(&p, "t");
		if (k)
			ops(&p, "\x86"); /* (so far, this one) */
	}
	ops(&p, ".");
	rc = parse_counted(&p, &bytes, err);
	ck_assert_msg(rc == NN_ESIZE && strstr(err, "memory"), "%d: %s", rc, err);
	ck_assert_msg(bytes <= budget(p.n), "%llu bytes for a %zu-byte pickle", bytes, p.n);
	free(p.b);

	/* A real MNIST pickle stays well inside the budget, and reads as before. */
	p = (pbuf){ 0 };
	p_mnist(&p, &(variant){ 0 });
	ck_assert_int_eq(parse(p.b, p.n, err), 0);
	free(p.b);
}
END_TEST

START_TEST(test_errors_files)
{
	nn_mnist m;
	char dir[] = "/tmp/nn-pickle-XXXXXX", path[128];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(nn_pickle_read_mnist(&m, "/nonexistent/mnist.pkl.gz", NULL), NN_ENOENT);
	ck_assert_ptr_nonnull(strstr(m.error, "/nonexistent/mnist.pkl.gz"));
	ck_assert_int_eq(nn_pickle_read_mnist(NULL, FIXTURES "py2-p2.pkl", NULL), NN_ENULL);
	ck_assert_int_eq(nn_pickle_read_mnist(&m, NULL, NULL), NN_ENULL);
	/* The gzip fixture with a corrupt byte, then cut short. */
	FILE *f = fopen(FIXTURES "py2-p2.pkl.gz", "rb");
	ck_assert_ptr_nonnull(f);
	unsigned char buf[4096];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	snprintf(path, sizeof path, "%s/bad.pkl.gz", dir);
	buf[n / 2] ^= 0x10;
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fwrite(buf, 1, n, f);
	fclose(f);
	ck_assert_int_eq(nn_mnist_load(&m, path, NULL), NN_EGZIP);
	ck_assert_ptr_nonnull(strstr(m.error, "gzip"));
	ck_assert_ptr_null(m.train_x.data);
	buf[n / 2] ^= 0x10;
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fwrite(buf, 1, n - 20, f);
	fclose(f);
	ck_assert_int_eq(nn_mnist_load(&m, path, NULL), NN_ETRUNC);
	unlink(path);
	rmdir(dir);
}
END_TEST

Suite *pickle_suite(void)
{
	Suite *s = suite_create("pickle");
	TCase *tc = tcase_create("read");
	tcase_add_test(tc, test_fixtures);
	tcase_add_test(tc, test_assembled);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_errors_opcodes);
	tcase_add_test(tc, test_errors_stack);
	tcase_add_test(tc, test_errors_sizes);
	tcase_add_test(tc, test_errors_files);
	tcase_add_test(tc, test_mutations);
	tcase_add_test(tc, test_memory);
	suite_add_tcase(s, tc);
	return s;
}
