/*
 * Model files. Layout of version 2 (all little-endian; doc/model-format.md):
 *
 *   magic     8 bytes  "\x89NNMODL\n" (a high byte and a newline catch
 *                      7-bit and text-mode transfers, as PNG's magic does)
 *   version   u32      2
 *   flags     u32      bit 0: a training-state block; bit 1: an input scaling;
 *                      bit 2: names
 *   precision u32      0: the parameters are binary64; 1: binary32
 *   cost      u32      nn_cost
 *   task      u32      nn_task
 *   layers    u32      L, 1..NN_MODEL_MAX_LAYERS
 *   input     u64 x 3  C, H, W of one sample
 *   layer     L x (type u32, act u32, units u64, kernel u32, stride u32,
 *                  padding u32, 0 u32, rate f64)
 *   nparams   u64      must equal what the layers imply
 *   params    f64 (or f32) x nparams, nn's layout: W_1 (column-major), b_1, W_2, ...
 *   [scaling  u32 kind, u32 0, f64 shift x n_0, f64 scale x n_0]
 *   [names    for features, classes, targets: u32 count, count x (u32 len, bytes)]
 *   [state    u32 kind, u32 0, u64 step, u64 n, f64 x n]
 *   crc       u32      zlib crc32 of every byte before it
 *
 * Version 1 (dense networks: L, cost, flags, the widths as u64 and the
 * activations, then nparams, params, [state], crc) is still read.
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
#define NN_MODEL_MAX_NAME 4096u     /* bytes of one name */

enum { F_STATE = 1u, F_SCALING = 2u, F_NAMES = 4u };

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

/* 0 when every parameter is finite, else NN_ENONFINITE. */
static int all_finite(const nn_net *net)
{
	for (size_t i = 0; i < net->n_params; i++)
		if (net->f32 ? !isfinite(((const float *)net->params)[i])
			     : !isfinite(((const double *)net->params)[i]))
			return NN_ENONFINITE;
	return 0;
}

/* 0 when a load would accept net as it is, else why not. */
static int savable(const nn_net *net)
{
	/* never write weights that no load would accept */
	if (all_finite(net))
		return nn__errorf(NN_ENONFINITE, "the network has NaN or Inf parameters");
	/* never write a file the reader would refuse */
	nn_shape in = net->layer[0].in;
	if (net->n_layers > NN_MODEL_MAX_LAYERS)
		return nn__errorf(NN_ESIZE, "more than %u layers", NN_MODEL_MAX_LAYERS);
	if (in.channels > NN_MODEL_MAX_WIDTH || in.height > NN_MODEL_MAX_WIDTH ||
	    in.width > NN_MODEL_MAX_WIDTH)
		return nn__errorf(NN_ESIZE, "an input side above %u", NN_MODEL_MAX_WIDTH);
	for (size_t l = 0; l < net->n_layers; l++)
		if (net->layer[l].out.channels > NN_MODEL_MAX_WIDTH)
			return nn__errorf(NN_ESIZE, "layer %zu: more than %u units", l + 1,
					  NN_MODEL_MAX_WIDTH);
	for (int k = 0; k < NN_NAMES_COUNT_; k++)
		for (size_t i = 0; i < net->n_names[k]; i++)
			if (strlen(net->names[k][i]) > NN_MODEL_MAX_NAME)
				return nn__errorf(NN_ESIZE, "a name longer than %u bytes",
						  NN_MODEL_MAX_NAME);
	return 0;
}

/* The layer records, then the parameters in the network's precision. */
static void put_network(struct out *o, const nn_net *net)
{
	nn_shape in = net->layer[0].in;
	put_u32(o, (uint32_t)net->n_layers);
	put_u64(o, in.channels);
	put_u64(o, in.height);
	put_u64(o, in.width);
	for (size_t l = 1; l <= net->n_layers; l++) {
		nn_layer ly;
		nn_net_layer(&ly, NULL, net, l);
		put_u32(o, (uint32_t)ly.type);
		put_u32(o, (uint32_t)ly.act);
		put_u64(o, ly.units);
		put_u32(o, (uint32_t)ly.kernel);
		put_u32(o, (uint32_t)ly.stride);
		put_u32(o, (uint32_t)ly.padding);
		put_u32(o, 0);
		put_f64(o, ly.rate);
	}
	put_u64(o, net->n_params);
	for (size_t i = 0; i < net->n_params; i++)
		if (net->f32) {
			uint32_t v;
			memcpy(&v, (const float *)net->params + i, 4);
			put_u32(o, v);
		} else {
			put_f64(o, ((const double *)net->params)[i]);
		}
}

/* The optional blocks, in the file's order: scaling, names, optimiser state. */
static void put_blocks(struct out *o, const nn_net *net, int with_names,
		       const nn_model_state *state)
{
	if (net->scaling) {
		put_u32(o, (uint32_t)net->scaling);
		put_u32(o, 0);
		for (size_t i = 0; i < net->sizes[0]; i++)
			put_f64(o, net->shift[i]);
		for (size_t i = 0; i < net->sizes[0]; i++)
			put_f64(o, net->scale[i]);
	}
	if (with_names)
		for (int k = 0; k < NN_NAMES_COUNT_; k++) {
			put_u32(o, (uint32_t)net->n_names[k]);
			for (size_t i = 0; i < net->n_names[k]; i++) {
				size_t len = strlen(net->names[k][i]);
				put_u32(o, (uint32_t)len);
				put(o, net->names[k][i], len);
			}
		}
	if (state) {
		put_u32(o, state->kind);
		put_u32(o, 0);
		put_u64(o, state->step);
		put_u64(o, state->n);
		for (size_t i = 0; i < state->n; i++)
			put_f64(o, state->data[i]);
	}
}

/* The file's bytes in o (o->err set on failure). */
static int encode(struct out *o, const nn_net *net, const nn_model_state *state)
{
	if (state && state->kind && state->n && !state->data)
		return NN_ENULL;
	int with_state = state && state->kind, with_names = 0, rc;
	for (int k = 0; k < NN_NAMES_COUNT_; k++)
		with_names |= net->n_names[k] > 0;
	if ((rc = savable(net)))
		return rc;
	put(o, magic, sizeof(magic));
	put_u32(o, NN_MODEL_VERSION);
	put_u32(o, (with_state ? F_STATE : 0u) | (net->scaling ? F_SCALING : 0u) |
		   (with_names ? F_NAMES : 0u));
	put_u32(o, net->f32 ? 1u : 0u); /* binary32 or binary64 */
	put_u32(o, (uint32_t)net->cost);
	put_u32(o, (uint32_t)net->task);
	put_network(o, net);
	put_blocks(o, net, with_names, with_state ? state : NULL);
	if (!o->err)
		put_u32(o, (uint32_t)crc_add(crc32(0L, Z_NULL, 0), o->p, o->len));
	return o->err;
}

NN_EXPORT int nn_model_save(const char *path, const nn_net *net, const nn_model_state *state)
{
	nn__clear_error();
	if (!path || !net)
		return NN_ENULL;
	struct out o = { 0 };
	int rc = encode(&o, net, state);
	if (!rc)
		rc = nn__write_atomic(path, o.p, o.len);
	free(o.p);
	return rc;
}

NN_EXPORT int nn_model_save_buffer(void **buf, size_t *len, const nn_net *net,
				   const nn_model_state *state)
{
	nn__clear_error();
	if (buf)
		*buf = NULL;
	if (len)
		*len = 0;
	if (!buf || !len || !net)
		return NN_ENULL;
	struct out o = { 0 };
	int rc = encode(&o, net, state);
	if (rc) {
		free(o.p);
		return rc;
	}
	*buf = o.p;
	*len = o.len;
	return 0;
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
	unsigned char *buf;     /* a file's read-ahead (at most `left` bytes of it) */
	size_t have, pos;       /* bytes in buf, and how many of them are used */
};

#define READ_AHEAD 65536

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
		/* through the read-ahead, which never reads past what the header
		 * has been checked to hold (`left` bytes) */
		unsigned char *d = dst;
		size_t want = n;
		while (want) {
			if (in->pos == in->have) {
				size_t k = in->left - (n - want) < READ_AHEAD
					   ? (size_t)(in->left - (n - want)) : READ_AHEAD;
				int rc = read_fd(in->fd, in->buf, k);
				if (rc)
					return rc;
				in->have = k;
				in->pos = 0;
			}
			size_t k = in->have - in->pos < want ? in->have - in->pos : want;
			memcpy(d, in->buf + in->pos, k);
			in->pos += k;
			d += k;
			want -= k;
		}
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

/* What a header says: the network's shape, cost, task, precision and which
 * blocks follow. */
struct head {
	uint32_t flags, cost, task, n, precision;
	nn_shape in;
	nn_layer *spec;  /* n layers */
};

/* The header of a version 1 file: the widths and activations of a dense
 * network, its cost and flags (bit 0 only). */
static int head_v1(struct head *h, struct in *in)
{
	uint32_t L;
	int rc;
	if ((rc = get_u32(in, &L)) || (rc = get_u32(in, &h->cost)) || (rc = get_u32(in, &h->flags)))
		return rc;
	if (L == 0 || L > NN_MODEL_MAX_LAYERS)
		return NN_ESIZE;
	if (h->cost >= NN_COST_COUNT_ || h->flags > F_STATE)
		return NN_EFORMAT;
	if (!(h->spec = calloc(L, sizeof(*h->spec))))
		return NN_ENOMEM;
	h->n = L;
	for (uint32_t l = 0; l <= L; l++) {
		uint64_t w;
		if ((rc = get_u64(in, &w)))
			return rc;
		if (w == 0 || w > NN_MODEL_MAX_WIDTH)
			return NN_ESIZE;
		if (l == 0)
			h->in = (nn_shape){ (size_t)w, 1, 1 };
		else
			h->spec[l - 1] = (nn_layer){ .type = NN_LAYER_DENSE, .units = (size_t)w };
	}
	for (uint32_t l = 0; l < L; l++) {
		uint32_t v;
		if ((rc = get_u32(in, &v)))
			return rc;
		if (v >= NN_ACT_COUNT_)
			return NN_EFORMAT;
		h->spec[l].act = (nn_activation)v;
	}
	return 0;
}

/* The header of a version 2 file: the layer sequence, cost, task, flags. */
static int head_v2(struct head *h, struct in *in)
{
	uint32_t L;
	uint64_t c, hh, w;
	int rc;
	if ((rc = get_u32(in, &h->flags)) || (rc = get_u32(in, &h->precision)) ||
	    (rc = get_u32(in, &h->cost)) || (rc = get_u32(in, &h->task)) ||
	    (rc = get_u32(in, &L)) || (rc = get_u64(in, &c)) || (rc = get_u64(in, &hh)) ||
	    (rc = get_u64(in, &w)))
		return rc;
	if (h->flags > (F_STATE | F_SCALING | F_NAMES) || h->precision > 1 ||
	    h->cost >= NN_COST_COUNT_ || h->task >= NN_TASK_COUNT_ || h->task == NN_TASK_NONE)
		return NN_EFORMAT;
	if (L == 0 || L > NN_MODEL_MAX_LAYERS || !c || !hh || !w || c > NN_MODEL_MAX_WIDTH ||
	    hh > NN_MODEL_MAX_WIDTH || w > NN_MODEL_MAX_WIDTH)
		return NN_ESIZE;
	/* the layer records must all be there before they are allocated */
	if ((uint64_t)L * 40 > in->left)
		return NN_ETRUNC;
	if (!(h->spec = calloc(L, sizeof(*h->spec))))
		return NN_ENOMEM;
	h->n = L;
	h->in = (nn_shape){ (size_t)c, (size_t)hh, (size_t)w };
	for (uint32_t l = 0; l < L; l++) {
		uint32_t type, act, kernel, stride, padding, zero;
		uint64_t units;
		double rate;
		if ((rc = get_u32(in, &type)) || (rc = get_u32(in, &act)) ||
		    (rc = get_u64(in, &units)) || (rc = get_u32(in, &kernel)) ||
		    (rc = get_u32(in, &stride)) || (rc = get_u32(in, &padding)) ||
		    (rc = get_u32(in, &zero)) || (rc = get_f64s(in, &rate, 1)))
			return rc;
		if (type >= NN_LAYER_COUNT_ || act >= NN_ACT_COUNT_ || padding > NN_PADDING_SAME ||
		    zero || !isfinite(rate))
			return NN_EFORMAT;
		if (units > NN_MODEL_MAX_WIDTH || kernel > NN_MODEL_MAX_WIDTH || stride > 2)
			return NN_ESIZE;
		h->spec[l] = (nn_layer){ .type = (nn_layer_type)type, .act = (nn_activation)act,
					 .units = (size_t)units, .kernel = kernel, .stride = stride,
					 .padding = (nn_padding)padding, .rate = rate };
	}
	return 0;
}

/* The scaling block: kind, then n_0 shifts and n_0 scales (sizes checked). */
static int read_scaling(nn_net *net, struct in *in)
{
	uint32_t kind, zero;
	size_t n = net->sizes[0];
	int rc;
	if ((rc = get_u32(in, &kind)) || (rc = get_u32(in, &zero)))
		return rc;
	if (kind == NN_SCALING_NONE || kind >= NN_SCALING_COUNT_ || zero)
		return NN_EFORMAT;
	if (n > in->left / 16)
		return NN_ETRUNC;
	double *v = malloc(2 * n * sizeof(double));
	if (!v)
		return NN_ENOMEM;
	if (!(rc = get_f64s(in, v, 2 * n))) {
		rc = nn_net_set_scaling(net, (nn_scaling)kind, v, v + n);
		if (rc == NN_EINVAL) /* a shift or scale that is not finite */
			rc = NN_EFORMAT;
	}
	free(v);
	return rc;
}

/* The names block: features, classes and targets, each a count of names
 * and the names as length + bytes; every size is checked against what
 * remains before it is allocated. */
static int read_names(nn_net *net, struct in *in)
{
	int rc = 0;
	for (int k = 0; !rc && k < NN_NAMES_COUNT_; k++) {
		uint32_t count;
		if ((rc = get_u32(in, &count)))
			return rc;
		if (count > in->left / 4)
			return NN_ETRUNC; /* each name takes at least its length */
		char **names = calloc(count ? count : 1, sizeof(*names));
		if (!names)
			return NN_ENOMEM;
		for (uint32_t i = 0; !rc && i < count; i++) {
			uint32_t len;
			if ((rc = get_u32(in, &len)))
				break;
			if (len > NN_MODEL_MAX_NAME) {
				rc = NN_ESIZE;
			} else if (len > in->left) {
				rc = NN_ETRUNC;
			} else if (!(names[i] = malloc((size_t)len + 1))) {
				rc = NN_ENOMEM;
			} else if (!(rc = get(in, names[i], len))) {
				names[i][len] = '\0';
				if (strlen(names[i]) != len)
					rc = NN_EFORMAT; /* a NUL inside a name */
			}
		}
		if (!rc && count) {
			rc = nn_net_set_names(net, (nn_names)k, count, (const char *const *)names);
			if (rc == NN_EINVAL) /* too many or too few for what they name */
				rc = NN_EFORMAT;
		}
		for (uint32_t i = 0; i < count; i++)
			free(names[i]);
		free(names);
	}
	return rc;
}

/* n floats (binary32), n already checked against what remains. */
static int get_f32s(struct in *in, float *dst, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t v;
		int rc = get_u32(in, &v);
		if (rc)
			return rc;
		memcpy(&dst[i], &v, 4);
	}
	return 0;
}

/*
 * The whole reader. Each size is checked against the bytes that remain
 * before anything is allocated for it: the header is read first (a junk
 * file fails on its magic), then the parameters only when the file is long
 * enough to hold them (and, with no block of variable size after them,
 * exactly that long), the blocks likewise, and the CRC last, over a
 * structure known to be whole.
 */
/* The optimiser-state block, the last before the CRC: kind, step, n
 * doubles. 0 (st filled; its data, *data, the caller's to free) or an error. */
static int read_state(nn_model_state *st, double **data, struct in *in)
{
	uint32_t kind, pad;
	uint64_t step, n;
	int rc;
	if ((rc = get_u32(in, &kind)) || (rc = get_u32(in, &pad)) || (rc = get_u64(in, &step)) ||
	    (rc = get_u64(in, &n)))
		return rc;
	if (kind == 0 || pad != 0)
		return NN_EFORMAT;
	if (in->left < 4 || n > (in->left - 4) / 8)
		return NN_ETRUNC;
	if (in->left != 8 * n + 4)
		return NN_EFORMAT; /* trailing bytes */
	if (n && !(*data = malloc((size_t)n * sizeof(double))))
		return NN_ENOMEM;
	if (n && (rc = get_f64s(in, *data, (size_t)n)))
		return rc;
	*st = (nn_model_state){ .kind = kind, .step = step, .n = (size_t)n, .data = *data };
	return 0;
}

/* What remains is exactly the CRC, of every byte before it. */
static int read_crc(struct in *in)
{
	if (in->left != 4)
		return in->left < 4 ? NN_ETRUNC : NN_EFORMAT;
	uLong crc = in->crc;
	uint32_t stored;
	int rc = get_u32(in, &stored);
	return rc ? rc : (uint32_t)crc != stored ? NN_ECHECKSUM : 0;
}

static int load(nn_net **out, nn_model_state *state, struct in *in)
{
	unsigned char m[8];
	uint32_t version, flags;
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
	if (version != 1 && version != NN_MODEL_VERSION)
		return NN_EVERSION;
	struct head h = { 0 };
	if ((rc = version == 1 ? head_v1(&h, in) : head_v2(&h, in)))
		goto out;
	flags = h.flags;
	/* the parameters the layers imply, counted before anything is allocated */
	size_t want;
	if ((rc = nn__net_count(&want, h.in, h.n, h.spec))) {
		if (rc == NN_EINVAL) /* a sequence nn would not build */
			rc = NN_EFORMAT;
		goto out;
	}
	uint64_t nparams;
	if ((rc = get_u64(in, &nparams)))
		goto out;
	rc = NN_ESIZE;
	if (nparams != want)
		goto out;
	/* what follows the parameters, at the least: the CRC and each block's
	 * fixed part (a names block: three counts) */
	uint64_t rest = 4 + ((flags & F_STATE) ? 24 : 0) + ((flags & F_NAMES) ? 12 : 0) +
			((flags & F_SCALING) ? 8 + 16 * (uint64_t)nn__shape_size(h.in) : 0);
	rc = NN_ETRUNC;
	uint64_t width = h.precision ? 4 : 8; /* bytes of a parameter */
	if (in->left < rest || nparams > (in->left - rest) / width)
		goto out;
	rc = NN_EFORMAT;
	if (!(flags & (F_STATE | F_NAMES)) && in->left != width * nparams + rest)
		goto out; /* trailing bytes */
	/* the file holds them: now the network */
	if ((rc = nn__net_build(&net, h.in, h.n, h.spec)))
		goto out;
	rc = NN_EFORMAT;
	if (nn_net_set_cost(net, (nn_cost)h.cost)) /* a cost its output cannot carry */
		goto out;
	net->task = (nn_task)h.task;
	if (h.precision && (rc = nn_net_set_precision(net, NN_F32)))
		goto out;
	if ((rc = h.precision ? get_f32s(in, net->params, net->n_params)
			      : get_f64s(in, net->params, net->n_params)))
		goto out;
	if ((flags & F_SCALING) && (rc = read_scaling(net, in)))
		goto out;
	if ((flags & F_NAMES) && (rc = read_names(net, in)))
		goto out;
	if ((flags & F_STATE) && (rc = read_state(&st, &sdata, in)))
		goto out;
	if ((rc = read_crc(in)))
		goto out;
	/* a whole, intact file of NaN or Inf weights would predict garbage silently */
	if ((rc = all_finite(net)))
		goto out;
	/* hand over only now that everything checked out */
	*out = net;
	net = NULL;
	if (state) {
		*state = st;
		sdata = NULL;
	}
	rc = 0;
out:
	nn_net_free(net);
	free(h.spec);
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
			 .crc = crc32(0L, Z_NULL, 0), .buf = malloc(READ_AHEAD) };
	rc = in.buf ? load(out, state, &in) : NN_ENOMEM;
	free(in.buf);
	close(fd);
	return rc;
}

NN_EXPORT void nn_model_state_free(nn_model_state *state)
{
	if (!state)
		return;
	free((void *)state->data);
	*state = (nn_model_state){ 0 };
}
