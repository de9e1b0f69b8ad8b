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
 * The reader parses from memory after reading the whole file, checking each
 * size against the bytes that remain before allocating anything, so a
 * truncated file is NN_ETRUNC and impossible sizes NN_ESIZE; the checksum
 * is checked last, over a structure known to be whole.
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
#define NN_MODEL_MAX_FILE ((size_t)1 << 34) /* 16 GiB */

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
static uint32_t crc_of(const unsigned char *p, size_t len)
{
	uLong crc = crc32(0L, Z_NULL, 0);
	while (len) {
		size_t chunk = len > (1u << 30) ? (1u << 30) : len;
		crc = crc32(crc, p, (uInt)chunk);
		p += chunk;
		len -= chunk;
	}
	return (uint32_t)crc;
}

NN_EXPORT int nn_model_save(const char *path, const nn_net *net, const nn_model_state *state)
{
	if (!path || !net)
		return NN_ENULL;
	if (state && state->kind && state->n && !state->data)
		return NN_ENULL;
	int with_state = state && state->kind;
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
		put_u32(&o, crc_of(o.p, o.len));
	int rc = o.err ? o.err : nn__write_atomic(path, o.p, o.len);
	free(o.p);
	return rc;
}

/* A cursor over the input; every read checks what remains. */
struct in {
	const unsigned char *p;
	size_t left;
};

static int get(struct in *in, void *dst, size_t n)
{
	if (n > in->left)
		return NN_ETRUNC;
	memcpy(dst, in->p, n);
	in->p += n;
	in->left -= n;
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

/* n doubles, n already checked against what remains */
static void get_f64s(struct in *in, double *dst, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t v;
		get_u64(in, &v);
		memcpy(&dst[i], &v, 8);
	}
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
	struct in in = { buf, len };
	unsigned char m[8];
	uint32_t version, L, cost, flags;
	size_t *sizes = NULL;
	nn_activation *acts = NULL;
	double *sdata = NULL;
	nn_net *net = NULL;
	nn_model_state st = { 0 };
	int rc;

	if (len < sizeof(magic))
		return len && memcmp(buf, magic, len) ? NN_EMAGIC : NN_ETRUNC;
	get(&in, m, 8);
	if (memcmp(m, magic, 8))
		return NN_EMAGIC;
	if ((rc = get_u32(&in, &version)))
		return rc;
	if (version != NN_MODEL_VERSION)
		return NN_EVERSION;
	if ((rc = get_u32(&in, &L)) || (rc = get_u32(&in, &cost)) ||
	    (rc = get_u32(&in, &flags)))
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
		if ((rc = get_u64(&in, &s)))
			goto out;
		rc = NN_ESIZE;
		if (s == 0 || s > NN_MODEL_MAX_WIDTH)
			goto out;
		sizes[l] = (size_t)s;
	}
	for (uint32_t l = 0; l < L; l++) {
		uint32_t a;
		if ((rc = get_u32(&in, &a)))
			goto out;
		rc = NN_EFORMAT;
		if (a >= NN_ACT_COUNT_)
			goto out;
		acts[l] = (nn_activation)a;
	}
	uint64_t nparams;
	if ((rc = get_u64(&in, &nparams)))
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
	rc = NN_ETRUNC;
	if (nparams > in.left / 8)
		goto out;
	if ((rc = nn_net_new(&net, L, sizes, acts))) {
		if (rc == NN_EINVAL) /* softmax where it cannot be */
			rc = NN_EFORMAT;
		goto out;
	}
	rc = NN_EFORMAT;
	if (nn_net_set_cost(net, (nn_cost)cost)) /* a cost its output layer cannot carry */
		goto out;
	get_f64s(&in, net->params, net->n_params);

	if (flags & 1u) {
		uint32_t kind, pad;
		uint64_t step, n;
		if ((rc = get_u32(&in, &kind)) || (rc = get_u32(&in, &pad)) ||
		    (rc = get_u64(&in, &step)) || (rc = get_u64(&in, &n)))
			goto out;
		rc = NN_EFORMAT;
		if (kind == 0 || pad != 0)
			goto out;
		rc = NN_ETRUNC;
		if (n > in.left / 8)
			goto out;
		if (n) {
			rc = NN_ENOMEM;
			if (!(sdata = malloc((size_t)n * sizeof(double))))
				goto out;
			get_f64s(&in, sdata, (size_t)n);
		}
		st = (nn_model_state){ .kind = kind, .step = step, .n = (size_t)n };
	}
	/* what remains must be exactly the crc */
	rc = in.left < 4 ? NN_ETRUNC : in.left > 4 ? NN_EFORMAT : 0;
	if (rc)
		goto out;
	const unsigned char *b = buf;
	uint32_t stored = (uint32_t)b[len - 4] | (uint32_t)b[len - 3] << 8 |
			  (uint32_t)b[len - 2] << 16 | (uint32_t)b[len - 1] << 24;
	rc = NN_ECHECKSUM;
	if (crc_of(b, len - 4) != stored)
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

NN_EXPORT int nn_model_load(nn_net **out, nn_model_state *state, const char *path)
{
	if (!out)
		return NN_ENULL;
	*out = NULL;
	if (state)
		*state = (nn_model_state){ 0 };
	if (!path)
		return NN_ENULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return errno == ENOENT ? NN_ENOENT : NN_EIO;
	int rc = NN_EIO;
	unsigned char *buf = NULL;
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
		goto out;
	rc = NN_ESIZE;
	if ((uint64_t)st.st_size > NN_MODEL_MAX_FILE)
		goto out;
	size_t len = (size_t)st.st_size;
	rc = NN_ENOMEM;
	if (!(buf = malloc(len ? len : 1)))
		goto out;
	rc = NN_EIO;
	if (fread(buf, 1, len, f) != len)
		goto out;
	rc = nn_model_load_buffer(out, state, buf, len);
out:
	free(buf);
	fclose(f);
	return rc;
}
