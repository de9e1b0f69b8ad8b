/*
 * numpy's .npy files (numpy/lib/format.py; NEP 1):
 *
 *   "\x93NUMPY", major, minor          1.0, 2.0 or 3.0
 *   header length                      u16 little-endian (1.0), u32 (2.0, 3.0)
 *   header                             a Python dict literal, padded with
 *                                      spaces and ended by '\n':
 *       {'descr': '<f8', 'fortran_order': False, 'shape': (150, 4), }
 *   data                               prod(shape) items, C or Fortran order
 *
 * The header is parsed as strictly as numpy parses it (ast.literal_eval,
 * then exactly these three keys): string literals without escapes, True or
 * False, a tuple of integers (Python 2's "3L" accepted, as numpy does).
 * Nothing is allocated before the shape has been checked against the bytes
 * that follow the header, which must be exactly what it says.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn_internal.h"
#include "table_internal.h"

#define MAGIC     "\x93NUMPY"
#define MAGIC_LEN 6
#define MAX_DIMS  8 /* dimensions parsed before a shape is refused as not 1-D or 2-D */

int nn__npy_magic(const void *buf, size_t len)
{
	return len >= MAGIC_LEN && memcmp(buf, MAGIC, MAGIC_LEN) == 0;
}

/* ---- the header dict -------------------------------------------------------- */

typedef struct scan {
	const unsigned char *p; /* the header text */
	size_t n, i;
} scan;

static int is_digit(unsigned char ch)
{
	return ch >= '0' && ch <= '9';
}

static void skip_ws(scan *s)
{
	while (s->i < s->n && (s->p[s->i] == ' ' || s->p[s->i] == '\t' || s->p[s->i] == '\n' ||
			       s->p[s->i] == '\r'))
		s->i++;
}

/* Take ch if it comes next. */
static int take(scan *s, char ch)
{
	skip_ws(s);
	if (s->i < s->n && s->p[s->i] == (unsigned char)ch) {
		s->i++;
		return 1;
	}
	return 0;
}

/* A string literal, '...' or "...", of printable ASCII without backslashes. */
static int string(scan *s, const char **str, size_t *len)
{
	skip_ws(s);
	if (s->i >= s->n || (s->p[s->i] != '\'' && s->p[s->i] != '"'))
		return 0;
	unsigned char q = s->p[s->i];
	size_t start = s->i + 1, j = start;
	while (j < s->n && s->p[j] != q) {
		if (s->p[j] < 0x20 || s->p[j] >= 0x7f || s->p[j] == '\\')
			return 0;
		j++;
	}
	if (j >= s->n)
		return 0;
	*str = (const char *)s->p + start;
	*len = j - start;
	s->i = j + 1;
	return 1;
}

/* The identifier w, not followed by more of an identifier. */
static int word(scan *s, const char *w)
{
	skip_ws(s);
	size_t k = strlen(w);
	if (s->n - s->i < k || memcmp(s->p + s->i, w, k) != 0)
		return 0;
	size_t j = s->i + k;
	if (j < s->n && (s->p[j] == '_' || is_digit(s->p[j]) ||
			 ((s->p[j] | 0x20) >= 'a' && (s->p[j] | 0x20) <= 'z')))
		return 0;
	s->i = j;
	return 1;
}

/* A non-negative integer literal (no leading zeros, as Python 3 says), an
 * optional L: 1; 0 for none, -1 for one beyond 64 bits. */
static int integer(scan *s, uint64_t *v)
{
	skip_ws(s);
	size_t j = s->i;
	*v = 0;
	while (j < s->n && is_digit(s->p[j])) {
		if (*v > (UINT64_MAX - 9) / 10)
			return -1;
		*v = *v * 10 + (s->p[j] - '0');
		j++;
	}
	if (j == s->i || (j - s->i > 1 && s->p[s->i] == '0'))
		return 0;
	if (j < s->n && s->p[j] == 'L')
		j++;
	s->i = j;
	return 1;
}

/* '<f8', '>i4', '|u1', ...: the byte order, the kind, the size. */
static int dtype(nn__npy *h, const char *d, size_t len)
{
	if (len != 3 || (d[0] != '<' && d[0] != '>' && d[0] != '|'))
		return 0;
	unsigned size = (unsigned)(d[2] - '0');
	int ok = (d[1] == 'f' && (size == 4 || size == 8)) ||
		 ((d[1] == 'i' || d[1] == 'u') && (size == 1 || size == 2 || size == 4 || size == 8)) ||
		 (d[1] == 'b' && size == 1);
	if (!ok || (d[0] == '|' && size != 1))
		return 0;
	h->kind = d[1];
	h->size = size;
	h->big = d[0] == '>';
	return 1;
}

/* A tuple of integers: "()", "(n,)", "(n, d)", "(n, d,)"; *nd of them in dim. */
static int shape(uint64_t dim[MAX_DIMS], int *nd, scan *s, const char *name, char *err)
{
	int r;
	*nd = 0;
	if (!take(s, '('))
		return nn__fail(err, NN_EFORMAT, "%s: header: 'shape' is not a tuple", name);
	if (take(s, ')'))
		return 0;
	for (;;) {
		uint64_t v;
		if ((r = integer(s, &v)) <= 0)
			return nn__fail(err, r < 0 ? NN_ESIZE : NN_EFORMAT, "%s: header: 'shape' %s",
					name, r < 0 ? "holds a dimension beyond 64 bits"
						    : "is not a tuple of integers");
		if (*nd == MAX_DIMS)
			return nn__fail(err, NN_ESHAPE,
					"%s: more than %d dimensions; nn reads 1-D and 2-D arrays",
					name, MAX_DIMS);
		dim[(*nd)++] = v;
		if (take(s, ',')) {
			if (take(s, ')'))
				return 0;
			continue;
		}
		if (*nd > 1 && take(s, ')'))
			return 0;
		return nn__fail(err, NN_EFORMAT, "%s: header: 'shape' is not a tuple%s", name,
				*nd == 1 ? " ((n) is a number: a 1-tuple is (n,))" : "");
	}
}

/* The shape's sizes: 1-D or 2-D, not empty, and exactly the avail bytes of data. */
static int sizes(nn__npy *h, const uint64_t dim[MAX_DIMS], int nd, size_t avail,
		 const char *name, char *err)
{
	if (nd != 1 && nd != 2)
		return nn__fail(err, NN_ESHAPE, "%s: a %d-D array%s; nn reads 1-D and 2-D arrays",
				name, nd, nd == 0 ? " (a scalar)" : "");
	uint64_t n = dim[0], d = nd == 2 ? dim[1] : 1;
	char sh[64];
	if (nd == 2)
		snprintf(sh, sizeof sh, "(%llu, %llu)", (unsigned long long)n, (unsigned long long)d);
	else
		snprintf(sh, sizeof sh, "(%llu,)", (unsigned long long)n);
	if (n == 0 || d == 0)
		return nn__fail(err, NN_ESIZE, "%s: shape %s holds no data", name, sh);
	/* n * d * size in 64 bits, checked against the bytes present before
	 * anything is allocated */
	if (n > UINT64_MAX / d / h->size)
		return nn__fail(err, NN_ESIZE, "%s: shape %s overflows", name, sh);
	uint64_t need = n * d * h->size;
	if (need > avail)
		return nn__fail(err, NN_ETRUNC,
				"%s: holds %zu data bytes, its shape %s of '%c%u' needs %llu", name,
				avail, sh, h->kind, h->size, (unsigned long long)need);
	if (need < avail)
		return nn__fail(err, NN_EFORMAT, "%s: %llu bytes after the data of shape %s", name,
				(unsigned long long)(avail - need), sh);
	h->ndim = nd;
	h->n = (size_t)n;
	h->d = (size_t)d;
	h->data_bytes = (size_t)need;
	return 0;
}

int nn__npy_parse(nn__npy *h, const unsigned char *buf, size_t len, const char *name, char *err)
{
	*h = (nn__npy){ 0 };
	if (!nn__npy_magic(buf, len)) {
		if (len < MAGIC_LEN && (len == 0 || memcmp(buf, MAGIC, len) == 0))
			return nn__fail(err, NN_ETRUNC, "%s: the file ends inside the .npy magic",
					name);
		return nn__fail(err, NN_EMAGIC,
				"%s: not a .npy file (it does not start with \\x93NUMPY)", name);
	}
	if (len < 8)
		return nn__fail(err, NN_ETRUNC, "%s: the file ends inside its preamble", name);
	unsigned major = buf[6], minor = buf[7];
	if (!((major == 1 || major == 2 || major == 3) && minor == 0))
		return nn__fail(err, NN_EVERSION,
				"%s: .npy format version %u.%u; nn reads 1.0, 2.0 and 3.0", name, major,
				minor);
	size_t pre = major == 1 ? 10 : 12;
	if (len < pre)
		return nn__fail(err, NN_ETRUNC, "%s: the file ends inside its preamble", name);
	size_t hlen = (size_t)buf[8] | (size_t)buf[9] << 8;
	if (major > 1)
		hlen |= (size_t)buf[10] << 16 | (size_t)buf[11] << 24;
	if (hlen > NN__NPY_MAX_HEADER)
		return nn__fail(err, NN_ESIZE, "%s: a header of %zu bytes (nn reads at most %zu)",
				name, hlen, NN__NPY_MAX_HEADER);
	if (len - pre < hlen)
		return nn__fail(err, NN_ETRUNC, "%s: the file ends inside its %zu-byte header", name,
				hlen);
	scan s = { .p = buf + pre, .n = hlen };
	int seen[3] = { 0 }, rc, nd = 0;
	uint64_t dim[MAX_DIMS];
	static const char *const keys[3] = { "descr", "fortran_order", "shape" };
	h->data_off = pre + hlen;
	if (!take(&s, '{'))
		goto bad;
	while (!take(&s, '}')) {
		const char *key, *val;
		size_t klen, vlen;
		int k = 0;
		if (!string(&s, &key, &klen) || !take(&s, ':'))
			goto bad;
		while (k < 3 && !(strlen(keys[k]) == klen && memcmp(keys[k], key, klen) == 0))
			k++;
		if (k == 3 || seen[k]) {
			char safe[NN__SAFE_LEN];
			return nn__fail(err, NN_EFORMAT, "%s: header: %s key '%s'", name,
					k == 3 ? "unknown" : "repeated", nn__printable(safe, key, klen));
		}
		seen[k] = 1;
		if (k == 0) {
			if (!string(&s, &val, &vlen))
				return nn__fail(err, NN_EFORMAT,
						"%s: header: 'descr' is not a simple dtype string "
						"(a record array?)", name);
			if (!dtype(h, val, vlen)) {
				char safe[NN__SAFE_LEN];
				return nn__fail(err, NN_EFORMAT,
						"%s: dtype '%s' is not one nn reads (float64, float32, "
						"int and uint of 1 to 8 bytes, bool)",
						name, nn__printable(safe, val, vlen));
			}
		} else if (k == 1) {
			if (word(&s, "True"))
				h->fortran = 1;
			else if (!word(&s, "False"))
				return nn__fail(err, NN_EFORMAT,
						"%s: header: 'fortran_order' is not True or False", name);
		} else if ((rc = shape(dim, &nd, &s, name, err)) < 0) {
			return rc;
		}
		if (!take(&s, ',')) {
			if (take(&s, '}'))
				break;
			goto bad;
		}
	}
	skip_ws(&s);
	if (s.i != s.n)
		return nn__fail(err, NN_EFORMAT, "%s: header: text after the dict", name);
	for (int k = 0; k < 3; k++)
		if (!seen[k])
			return nn__fail(err, NN_EFORMAT, "%s: header: no '%s' key", name, keys[k]);
	return sizes(h, dim, nd, len - h->data_off, name, err);
bad:
	return nn__fail(err, NN_EFORMAT,
			"%s: header: not a dict literal {'descr': ..., 'fortran_order': ..., "
			"'shape': ...} (byte %zu of it)", name, s.i);
}

/* ---- the data ------------------------------------------------------------------- */

/* One item as a double; *bad is set for a bool that is not 0 or 1. */
static double item(const unsigned char *p, const nn__npy *h, int *bad)
{
	uint64_t u = 0;
	if (h->big)
		for (unsigned k = 0; k < h->size; k++)
			u = u << 8 | p[k];
	else
		for (unsigned k = h->size; k-- > 0;)
			u = u << 8 | p[k];
	switch (h->kind) {
	case 'f':
		if (h->size == 8) {
			double d;
			memcpy(&d, &u, 8);
			return d;
		} else {
			uint32_t w = (uint32_t)u;
			float f;
			memcpy(&f, &w, 4);
			return f;
		}
	case 'i':
		/* sign-extend the item's top bit */
		if (h->size < 8 && (u >> (8 * h->size - 1) & 1))
			u |= ~UINT64_C(0) << 8 * h->size;
		return (double)(int64_t)u;
	case 'u':
		return (double)u;
	default: /* 'b' */
		*bad |= u > 1;
		return (double)u;
	}
}

int nn__npy_convert(double *out, const nn__npy *h, const unsigned char *buf, size_t keep,
		    const char *name, char *err)
{
	const unsigned char *data = buf + h->data_off;
	size_t n = h->n, d = h->d;
	for (size_t r = 0; r < keep; r++)
		for (size_t c = 0; c < d; c++) {
			size_t at = h->fortran ? c * n + r : r * d + c;
			int bad = 0;
			double v = item(data + at * h->size, h, &bad);
			if (bad || !isfinite(v)) {
				char where[48];
				if (h->ndim == 1)
					snprintf(where, sizeof where, "[%zu]", r);
				else
					snprintf(where, sizeof where, "[%zu, %zu]", r, c);
				if (bad)
					return nn__fail(err, NN_EFORMAT,
							"%s: element %s is a bool byte %u, not 0 or 1",
							name, where, data[at * h->size]);
				return nn__fail(err, NN_ENONFINITE, "%s: element %s is %s", name, where,
						isnan(v) ? "NaN" : "Inf");
			}
			out[c + r * d] = v;
		}
	return 0;
}

/* ---- the public readers and the writer -------------------------------------------- */

static int npy_read(nn_matrix *m, const unsigned char *buf, size_t len, const char *name,
		    char *err)
{
	nn__npy h;
	int rc = nn__npy_parse(&h, buf, len, name, err);
	if (rc < 0)
		return rc;
	/* n * d items hold at least n * d bytes of the buffer: no overflow */
	double *v = malloc(h.n * h.d * sizeof(double));
	if (!v)
		return nn__fail(err, NN_ENOMEM, "%s: out of memory for %zu x %zu doubles", name, h.d,
				h.n);
	if ((rc = nn__npy_convert(v, &h, buf, h.n, name, err)) < 0) {
		free(v);
		return rc;
	}
	*m = (nn_matrix){ .rows = h.d, .cols = h.n, .ld = h.d, .data = v, .owner = 1 };
	return 0;
}

NN_EXPORT int nn_npy_read_buffer(nn_matrix *m, const void *buf, size_t len)
{
	nn__clear_error();
	if (!m)
		return NN_ENULL;
	*m = (nn_matrix){ 0 };
	if (!buf)
		return NN_ENULL;
	char err[NN_TABLE_ERROR_LEN] = "";
	int rc = npy_read(m, buf, len, "<buffer>", err);
	return rc < 0 ? nn__errorf(rc, "%s", err) : 0;
}

NN_EXPORT int nn_npy_read(nn_matrix *m, const char *path)
{
	nn__clear_error();
	if (!m)
		return NN_ENULL;
	*m = (nn_matrix){ 0 };
	if (!path)
		return NN_ENULL;
	char err[NN_TABLE_ERROR_LEN] = "";
	nn__src s;
	nn__win w;
	nn__win_stream(&w, nn__src_reader, &s, NN__WIN_CHUNK, path);
	int rc = nn__src_open_file(&s, path, err);
	if (rc == 0) {
		w.max = s.gz ? NN__TABLE_MAX_INFLATED : 0;
		if ((rc = nn__win_all(&w, err)) == 0)
			rc = npy_read(m, w.s, w.n, path, err);
		nn__src_close(&s);
	}
	nn__win_free(&w);
	return rc < 0 ? nn__errorf(rc, "%s", err) : 0;
}

/* Little-endian bytes of a double, whatever the host's order. */
static void put_le64(unsigned char *p, double v)
{
	uint64_t u;
	memcpy(&u, &v, 8);
	for (int k = 0; k < 8; k++)
		p[k] = (unsigned char)(u >> 8 * k);
}

NN_EXPORT int nn_npy_write(const char *path, const nn_matrix *m)
{
	nn__clear_error();
	if (!path || !m)
		return NN_ENULL;
	int rc = nn_matrix_check_finite(m); /* also the shape checks, with a detail */
	if (rc)
		return rc;
	size_t d = m->rows, n = m->cols;
	/* numpy's own layout: version 1.0, the dict padded with spaces so that
	 * the data starts at a multiple of 64 bytes, then '\n' */
	char dict[128];
	int dl = snprintf(dict, sizeof dict,
			  "{'descr': '<f8', 'fortran_order': False, 'shape': (%zu, %zu), }", n, d);
	size_t hlen = (size_t)dl + 1;
	hlen += (64 - (10 + hlen) % 64) % 64;
	if (n > (SIZE_MAX - 10 - hlen) / 8 / d)
		return nn__errorf(NN_ESIZE, "%s: %zu x %zu doubles overflow", path, d, n);
	size_t total = 10 + hlen + n * d * 8;
	unsigned char *buf = malloc(total);
	if (!buf)
		return nn__errorf(NN_ENOMEM, "%s: out of memory for %zu bytes", path, total);
	memcpy(buf, MAGIC, MAGIC_LEN);
	buf[6] = 1;
	buf[7] = 0;
	buf[8] = (unsigned char)(hlen & 0xff);
	buf[9] = (unsigned char)(hlen >> 8);
	memset(buf + 10, ' ', hlen - 1);
	memcpy(buf + 10, dict, (size_t)dl);
	buf[10 + hlen - 1] = '\n';
	unsigned char *p = buf + 10 + hlen;
	for (size_t j = 0; j < n; j++) /* row j of the (n, d) array: sample (column) j */
		for (size_t i = 0; i < d; i++, p += 8)
			put_le64(p, NN_AT(m, i, j));
	rc = nn__write_atomic(path, buf, total);
	free(buf);
	if (rc < 0)
		return nn__errorf(rc, "%s: cannot write: %s", path,
				  rc == NN_ENOMEM ? "out of memory" : strerror(errno));
	return 0;
}
