/*
 * Model files. Layout (all little-endian; see doc/model-format.md):
 *
 *   magic     8 bytes  "\x89NNMODL\n" (a high byte and a newline catch
 *                      7-bit and text-mode transfers, as PNG's magic does)
 *   version   u32      NN_MODEL_VERSION
 *   layers    u32      L, 1..NN_MODEL_MAX_LAYERS
 *   cost      u32      nn_cost (0: the lecture's quadratic cost)
 *   flags     u32      bit 0: a training-state block follows the parameters
 *   sizes     u64 x (L + 1)
 *   acts      u32 x L
 *   nparams   u64      must equal sum (sizes[l-1] + 1) * sizes[l]
 *   params    f64 x nparams, nn's layout: W_1 (column-major), b_1, W_2, ...
 *   [state    u32 kind, u32 0, u64 step, u64 n, f64 x n]
 *   crc       u32      zlib crc32 of every byte before it
 *
 * One reader parses a buffer or a file, field by field, checking each size
 * against the bytes that remain (a file's size, from fstat) before reading or
 * allocating anything, so that a junk file fails on its magic, a truncated
 * file is NN_ETRUNC and impossible sizes NN_ESIZE without the file being read
 * whole; the checksum is checked last, over a structure known to be whole,
 * and then the parameters must be finite (NN_ENONFINITE), as the writer
 * requires too.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "nn/model.h"
#include "nn_internal.h"

static const unsigned char magic[8] = { 0x89, 'N', 'N', 'M', 'O', 'D', 'L', '\n' };

#define NN_MODEL_MAX_LAYERS 1024u
#define NN_MODEL_MAX_WIDTH (1u << 24)

/* A growing little-endian byte buffer. */
struct out {
	unsigned char *p;
	size_t len, cap;
	int err;
};

static void put(struct out *o, const void *src, size_t n)
{
	if (o->err)
		return;
	if (n > o->cap - o->len) {
		size_t cap = o->cap ? o->cap : 256;
		while (cap - o->len < n)
			cap *= 2;
		unsigned char *p = realloc(o->p, cap);
		if (!p) {
			o->err = NN_ENOMEM;
			return;
		}
		o->p = p;
		o->cap = cap;
	}
	memcpy(o->p + o->len, src, n);
	o->len += n;
}

static void put_u32(struct out *o, uint32_t v)
{
	unsigned char b[4];
	for (int i = 0; i < 4; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	put(o, b, 4);
}

static void put_u64(struct out *o, uint64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	put(o, b, 8);
}

static void put_f64(struct out *o, double d)
{
	uint64_t v;
	memcpy(&v, &d, 8);
	put_u64(o, v);
}


/* zlib's crc32 over any length (zlib takes uInt lengths). */
static uLong crc_add(uLong crc, const unsigned char *p, size_t len)
{
	while (len) {
		size_t chunk = len > (1u << 30) ? (1u << 30) : len;
		crc = crc32(crc, p, (uInt)chunk);
		p += chunk;
		len -= chunk;
	}
	return crc;
}

/* 0 when every value is finite, else NN_ENONFINITE. */
static int all_finite(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return NN_ENONFINITE;
	return 0;
}

NN_EXPORT int nn_model_save(const char *path, const nn_net *net, const nn_model_state *state)
{
	if (!path || !net)
		return NN_ENULL;
	if (state && state->kind && state->n && !state->data)
		return NN_ENULL;
	int with_state = state && state->kind;
	/* never write weights that no load would accept */
	if (all_finite(net->params, net->n_params))
		return NN_ENONFINITE;
	/* never write a file the reader would refuse */
	if (net->n_layers > NN_MODEL_MAX_LAYERS)
		return NN_ESIZE;
	for (size_t l = 0; l <= net->n_layers; l++)
		if (net->sizes[l] > NN_MODEL_MAX_WIDTH)
			return NN_ESIZE;
	struct out o = { 0 };
	put(&o, magic, sizeof(magic));
	put_u32(&o, NN_MODEL_VERSION);
	put_u32(&o, (uint32_t)net->n_layers);
	put_u32(&o, (uint32_t)net->cost);
	put_u32(&o, with_state ? 1u : 0u);
	for (size_t l = 0; l <= net->n_layers; l++)
		put_u64(&o, net->sizes[l]);
	for (size_t l = 0; l < net->n_layers; l++)
		put_u32(&o, (uint32_t)net->acts[l]);
	put_u64(&o, net->n_params);
	for (size_t i = 0; i < net->n_params; i++)
		put_f64(&o, net->params[i]);
	if (with_state) {
		put_u32(&o, state->kind);
		put_u32(&o, 0);
		put_u64(&o, state->step);
		put_u64(&o, state->n);
		for (size_t i = 0; i < state->n; i++)
			put_f64(&o, state->data[i]);
	}
	if (!o.err)
		put_u32(&o, (uint32_t)crc_add(crc32(0L, Z_NULL, 0), o.p, o.len));
	int rc = o.err ? o.err : nn__write_atomic(path, o.p, o.len);
	free(o.p);
	return rc;
}

/*
 * A cursor over the input, a buffer or a file: every read checks what
 * remains (a file's size, from fstat) before it reads, and adds what it read
 * to the running CRC. One parser serves both, so a file is read field by
 * field, only as far as its header says it reaches, and never whole.
 */
struct in {
	const unsigned char *p; /* a buffer's unread bytes; NULL for a file */
	int fd;                 /* the file, read in order from its start */
	uint64_t left;          /* bytes not yet read */
	uLong crc;              /* CRC-32 of every byte read so far */
};

/* n bytes of a file; a file that ends early (it shrank since fstat) is
 * truncated, a failed read an I/O error. */
static int read_fd(int fd, unsigned char *dst, size_t n)
{
	while (n) {
		ssize_t r = read(fd, dst, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return NN_EIO;
		if (r == 0)
			return NN_ETRUNC;
		dst += r;
		n -= (size_t)r;
	}
	return 0;
}

static int get(struct in *in, void *dst, size_t n)
{
	if (n > in->left)
		return NN_ETRUNC;
	if (in->p) {
		memcpy(dst, in->p, n);
		in->p += n;
	} else {
		int rc = read_fd(in->fd, dst, n);
		if (rc)
			return rc;
	}
	in->left -= n;
	in->crc = crc_add(in->crc, dst, n);
	return 0;
}

static int get_u32(struct in *in, uint32_t *v)
{
	unsigned char b[4];
	int rc = get(in, b, 4);
	if (rc)
		return rc;
	*v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	return 0;
}

static int get_u64(struct in *in, uint64_t *v)
{
	uint32_t lo = 0, hi = 0;
	int rc = get_u32(in, &lo);
	if (!rc)
		rc = get_u32(in, &hi);
	*v = (uint64_t)hi << 32 | lo;
	return rc;
}

/* n doubles, n already checked against what remains; a block at a time. */
static int get_f64s(struct in *in, double *dst, size_t n)
{
	unsigned char b[4096];
	while (n) {
		size_t k = n < sizeof(b) / 8 ? n : sizeof(b) / 8;
		int rc = get(in, b, 8 * k);
		if (rc)
			return rc;
		for (size_t i = 0; i < k; i++) {
			uint64_t v = 0;
			for (int j = 7; j >= 0; j--)
				v = v << 8 | b[8 * i + (size_t)j];
			memcpy(&dst[i], &v, 8);
		}
		dst += k;
		n -= k;
	}
	return 0;
}

/*
 * The whole reader. Each size is checked against the bytes that remain
 * before anything is allocated for it: the header is read first (a junk
 * file fails on its magic), then the parameters only when the file is long
 * enough to hold them (and, without a state block, exactly that long), the
 * state likewise, and the CRC last, over a structure known to be whole.
 */
static int load(nn_net **out, nn_model_state *state, struct in *in)
{
	unsigned char m[8];
	uint32_t version, L, cost, flags;
	size_t *sizes = NULL;
	nn_activation *acts = NULL;
	double *sdata = NULL;
	nn_net *net = NULL;
	nn_model_state st = { 0 };
	int rc;

	if (in->left < sizeof(magic)) {
		/* a short buffer: its bytes say whether it could be the start of a model */
		unsigned char b[sizeof(magic)];
		size_t n = (size_t)in->left;
		if ((rc = get(in, b, n)))
			return rc;
		return n && memcmp(b, magic, n) ? NN_EMAGIC : NN_ETRUNC;
	}
	if ((rc = get(in, m, 8)))
		return rc;
	if (memcmp(m, magic, 8))
		return NN_EMAGIC;
	if ((rc = get_u32(in, &version)))
		return rc;
	if (version != NN_MODEL_VERSION)
		return NN_EVERSION;
	if ((rc = get_u32(in, &L)) || (rc = get_u32(in, &cost)) || (rc = get_u32(in, &flags)))
		return rc;
	if (L == 0 || L > NN_MODEL_MAX_LAYERS)
		return NN_ESIZE;
	if (cost >= NN_COST_COUNT_ || flags > 1)
		return NN_EFORMAT;
	sizes = malloc((L + 1) * sizeof(*sizes));
	acts = malloc(L * sizeof(*acts));
	rc = NN_ENOMEM;
	if (!sizes || !acts)
		goto out;
	for (uint32_t l = 0; l <= L; l++) {
		uint64_t s;
		if ((rc = get_u64(in, &s)))
			goto out;
		rc = NN_ESIZE;
		if (s == 0 || s > NN_MODEL_MAX_WIDTH)
			goto out;
		sizes[l] = (size_t)s;
	}
	for (uint32_t l = 0; l < L; l++) {
		uint32_t a;
		if ((rc = get_u32(in, &a)))
			goto out;
		rc = NN_EFORMAT;
		if (a >= NN_ACT_COUNT_)
			goto out;
		acts[l] = (nn_activation)a;
	}
	uint64_t nparams;
	if ((rc = get_u64(in, &nparams)))
		goto out;
	/* the parameter count the sizes imply, computed without overflow */
	uint64_t want = 0;
	rc = NN_ESIZE;
	for (uint32_t l = 1; l <= L; l++) {
		uint64_t layer = (uint64_t)sizes[l] * ((uint64_t)sizes[l - 1] + 1);
		if (layer > UINT64_MAX / 2 - want)
			goto out;
		want += layer;
	}
	if (nparams != want)
		goto out;
	/* what remains: the parameters and the CRC (no state) or at least them,
	 * a state block's 24 bytes and the CRC */
	uint64_t rest = (flags & 1u) ? 24 + 4 : 4;
	rc = NN_ETRUNC;
	if (in->left < rest || nparams > (in->left - rest) / 8)
		goto out;
	rc = NN_EFORMAT;
	if (!(flags & 1u) && in->left != 8 * nparams + rest)
		goto out; /* trailing bytes */
	if ((rc = nn_net_new(&net, L, sizes, acts))) {
		if (rc == NN_EINVAL) /* softmax where it cannot be */
			rc = NN_EFORMAT;
		goto out;
	}
	rc = NN_EFORMAT;
	if (nn_net_set_cost(net, (nn_cost)cost)) /* a cost its output layer cannot carry */
		goto out;
	if ((rc = get_f64s(in, net->params, net->n_params)))
		goto out;

	if (flags & 1u) {
		uint32_t kind, pad;
		uint64_t step, n;
		if ((rc = get_u32(in, &kind)) || (rc = get_u32(in, &pad)) ||
		    (rc = get_u64(in, &step)) || (rc = get_u64(in, &n)))
			goto out;
		rc = NN_EFORMAT;
		if (kind == 0 || pad != 0)
			goto out;
		rc = NN_ETRUNC;
		if (n > (in->left - 4) / 8)
			goto out;
		rc = NN_EFORMAT;
		if (in->left != 8 * n + 4)
			goto out; /* trailing bytes */
		if (n) {
			rc = NN_ENOMEM;
			if (!(sdata = malloc((size_t)n * sizeof(double))))
				goto out;
			if ((rc = get_f64s(in, sdata, (size_t)n)))
				goto out;
		}
		st = (nn_model_state){ .kind = kind, .step = step, .n = (size_t)n };
	}
	/* what remains is exactly the crc, of every byte before it */
	uLong crc = in->crc;
	uint32_t stored;
	if ((rc = get_u32(in, &stored)))
		goto out;
	rc = NN_ECHECKSUM;
	if ((uint32_t)crc != stored)
		goto out;
	/* a whole, intact file of NaN or Inf weights would predict garbage silently */
	if ((rc = all_finite(net->params, net->n_params)))
		goto out;
	/* hand over only now that everything checked out */
	*out = net;
	net = NULL;
	if (state) {
		st.data = sdata;
		*state = st;
		sdata = NULL;
	}
	rc = 0;
out:
	nn_net_free(net);
	free(sizes);
	free(acts);
	free(sdata);
	return rc;
}

NN_EXPORT int nn_model_load_buffer(nn_net **out, nn_model_state *state, const void *buf,
				   size_t len)
{
	if (!out)
		return NN_ENULL;
	*out = NULL;
	if (state)
		*state = (nn_model_state){ 0 };
	if (!buf)
		return NN_ENULL;
	struct in in = { .p = buf, .fd = -1, .left = len, .crc = crc32(0L, Z_NULL, 0) };
	return load(out, state, &in);
}

NN_EXPORT int nn_model_load(nn_net **out, nn_model_state *state, const char *path)
{
	if (!out)
		return NN_ENULL;
	*out = NULL;
	if (state)
		*state = (nn_model_state){ 0 };
	if (!path)
		return NN_ENULL;
	int fd;
	struct stat st;
	int rc = nn__open_regular(&fd, &st, path);
	if (rc)
		return rc;
	struct in in = { .p = NULL, .fd = fd, .left = (uint64_t)st.st_size,
			 .crc = crc32(0L, Z_NULL, 0) };
	rc = load(out, state, &in);
	close(fd);
	return rc;
}
