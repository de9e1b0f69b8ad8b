/* Model files: round trips, atomic writes, and every way a file can be bad. */
#include <errno.h>
#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "nn/model.h"
#include "nn_internal.h"
#include "suites.h"
#include "test_util.h"

static char dir[] = "/tmp/nn-model-test-XXXXXX";

static void mkdir_tmp(void)
{
	strcpy(dir, "/tmp/nn-model-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void rm_tmp(void)
{
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static nn_net *make_net(void)
{
	const size_t sizes[] = { 5, 4, 3 };
	const nn_activation acts[] = { NN_ACT_SIGMOID, NN_ACT_IDENTITY };
	nn_net *net;
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 3), 0);
	ck_assert_int_eq(nn_net_new(&net, 2, sizes, acts), 0);
	ck_assert_int_eq(nn_net_init_randn(net, rng), 0);
	nn_net_params(net)[0] = -0.0;     /* sign of zero survives */
	nn_net_params(net)[1] = 1e-310;   /* and subnormals */
	nn_rng_free(rng);
	return net;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	unsigned char *buf = malloc(*len);
	ck_assert_uint_eq(fread(buf, 1, *len, f), *len);
	fclose(f);
	return buf;
}

START_TEST(test_round_trip)
{
	mkdir_tmp();
	char path[128];
	snprintf(path, sizeof(path), "%s/m.nn", dir);
	nn_net *net = make_net(), *back;
	double st[3] = { 1.5, -2.0, NAN };
	nn_model_state state = { .kind = 7, .step = 123456789012ull, .n = 3, .data = st }, got;
	ck_assert_int_eq(nn_model_save(path, net, &state), 0);
	ck_assert_int_eq(nn_model_load(&back, &got, path), 0);
	ck_assert_uint_eq(nn_net_layers(back), 2);
	for (size_t l = 0; l <= 2; l++)
		ck_assert_uint_eq(nn_net_width(back, l), nn_net_width(net, l));
	ck_assert_int_eq(nn_net_activation(back, 2), NN_ACT_IDENTITY);
	ck_assert_mem_eq(nn_net_params(back), nn_net_params(net),
			 nn_net_param_count(net) * sizeof(double));
	ck_assert_uint_eq(got.kind, 7);
	ck_assert(got.step == 123456789012ull);
	ck_assert_uint_eq(got.n, 3);
	ck_assert(got.data[0] == 1.5 && got.data[1] == -2.0 && isnan(got.data[2]));
	free((void *)got.data);
	nn_net_free(back);

	/* the cost comes back */
	const size_t csizes[] = { 4, 3 };
	const nn_activation soft[] = { NN_ACT_SOFTMAX };
	nn_net *ce;
	ck_assert_int_eq(nn_net_new(&ce, 1, csizes, soft), 0);
	ck_assert_int_eq(nn_net_set_cost(ce, NN_COST_CE), 0);
	ck_assert_int_eq(nn_model_save(path, ce, NULL), 0);
	nn_net_free(ce);
	ck_assert_int_eq(nn_model_load(&ce, NULL, path), 0);
	ck_assert_int_eq(nn_net_cost(ce), NN_COST_CE);
	ck_assert_int_eq(nn_net_activation(ce, 1), NN_ACT_SOFTMAX);
	nn_net_free(ce);

	/* without state; loading into a NULL state is fine too */
	ck_assert_int_eq(nn_model_save(path, net, NULL), 0);
	ck_assert_int_eq(nn_model_load(&back, &got, path), 0);
	ck_assert_uint_eq(got.kind, 0);
	ck_assert_ptr_null(got.data);
	nn_net_free(back);
	ck_assert_int_eq(nn_model_load(&back, NULL, path), 0);
	nn_net_free(back);

	/* the layout is little-endian with the magic first and the size known:
	 * a 32-byte header, the input shape, a 40-byte record per layer */
	size_t len;
	unsigned char *buf = slurp(path, &len);
	ck_assert_uint_eq(len, 32 + 3 * 8 + 2 * 40 + 8 + nn_net_param_count(net) * 8 + 4);
	ck_assert_int_eq(buf[0], 0x89);
	ck_assert_int_eq(buf[8], 2); /* version 2, little-endian */
	ck_assert_int_eq(buf[32], 5); /* the input's channels: 5 x 1 x 1 */
	free(buf);
	nn_net_free(net);
	rm_tmp();
}
END_TEST

/* A save that cannot complete leaves the old file and no temporary behind. */
START_TEST(test_atomic)
{
	mkdir_tmp();
	char path[128], bad[160];
	snprintf(path, sizeof(path), "%s/m.nn", dir);
	snprintf(bad, sizeof(bad), "%s/missing/m.nn", dir);
	nn_net *net = make_net();
	ck_assert_int_eq(nn_model_save(bad, net, NULL), NN_EIO);
	/* a directory in the way of the rename */
	char sub[160];
	snprintf(sub, sizeof(sub), "%s/taken", dir);
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "mkdir '%s' && touch '%s/x'", sub, sub);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(nn_model_save(sub, net, NULL), NN_EIO);
	snprintf(cmd, sizeof(cmd), "test $(ls '%s' | wc -l) -eq 1", dir);
	ck_assert_int_eq(system(cmd), 0); /* only "taken": no temporary left */
	ck_assert_int_eq(nn_model_save(path, net, NULL), 0);
	/* a new file's mode follows the umask, as any new file's does */
	mode_t old = umask(077);
	ck_assert_int_eq(nn_model_save(path, net, NULL), 0);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	umask(022);
	ck_assert_int_eq(nn_model_save(path, net, NULL), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0644);
	umask(old);
	nn_net_free(net);
	rm_tmp();
}
END_TEST

/* Write len bytes to dir/name. */
static const char *write_bytes(const char *name, const void *buf, size_t len)
{
	static char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(buf, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

/* Load from memory, and from a file of the same bytes: the file reader
 * reads field by field, and must agree with the buffer on every input. */
static int load_bytes(const unsigned char *buf, size_t len)
{
	nn_net *net = NULL;
	nn_model_state st;
	int rc = nn_model_load_buffer(&net, &st, buf, len);
	ck_assert(rc != 0 || net != NULL);
	free((void *)st.data);
	nn_net_free(net);
	net = NULL;
	int rc_file = nn_model_load(&net, &st, write_bytes("bytes.nn", buf, len));
	ck_assert_msg(rc_file == rc, "%zu bytes: %d from the file, %d from memory", len, rc_file,
		      rc);
	ck_assert(rc != 0 || net != NULL);
	free((void *)st.data);
	nn_net_free(net);
	return rc;
}

/*
 * A version 1 file of a dense network, written here from doc/model-format.md
 * (nn writes version 2 now, and must still read version 1).
 */
static unsigned char *v1_bytes(const nn_net *net, const nn_model_state *st, size_t *len)
{
	size_t L = nn_net_layers(net), P = nn_net_param_count(net);
	size_t n = 24 + 8 * (L + 1) + 4 * L + 8 + 8 * P + (st ? 24 + 8 * st->n : 0) + 4, at = 0;
	unsigned char *b = malloc(n);
	ck_assert_ptr_nonnull(b);
#define PUT(v, w)                                                   \
	do {                                                        \
		uint64_t v_ = (uint64_t)(v);                        \
		for (int i_ = 0; i_ < (w); i_++)                    \
			b[at++] = (unsigned char)(v_ >> (8 * i_)); \
	} while (0)
	memcpy(b, "\x89NNMODL\n", 8);
	at = 8;
	PUT(1, 4);
	PUT(L, 4);
	PUT(nn_net_cost(net), 4);
	PUT(st ? 1 : 0, 4);
	for (size_t l = 0; l <= L; l++)
		PUT(nn_net_width(net, l), 8);
	for (size_t l = 1; l <= L; l++)
		PUT(nn_net_activation(net, l), 4);
	PUT(P, 8);
	for (size_t i = 0; i < P; i++) {
		uint64_t v;
		memcpy(&v, &nn_net_params_const(net)[i], 8);
		PUT(v, 8);
	}
	if (st) {
		PUT(st->kind, 4);
		PUT(0, 4);
		PUT(st->step, 8);
		PUT(st->n, 8);
		for (size_t i = 0; i < st->n; i++) {
			uint64_t v;
			memcpy(&v, &st->data[i], 8);
			PUT(v, 8);
		}
	}
	PUT(crc32(0L, b, (uInt)at), 4);
#undef PUT
	ck_assert_uint_eq(at, n);
	*len = n;
	return b;
}

/* Overwrite 4 or 8 little-endian bytes at off, then fix the crc, so the
 * error seen is the structural one, not the checksum. */
static void poke(unsigned char *buf, size_t len, size_t off, uint64_t v, int width)
{
	for (int i = 0; i < width; i++)
		buf[off + (size_t)i] = (unsigned char)(v >> (8 * i));
	uLong crc = crc32(0L, buf, (uInt)(len - 4));
	for (int i = 0; i < 4; i++)
		buf[len - 4 + (size_t)i] = (unsigned char)(crc >> (8 * i));
}

START_TEST(test_errors)
{
	mkdir_tmp();
	char path[128];
	snprintf(path, sizeof(path), "%s/m.nn", dir);
	nn_net *net = make_net(), *out = (nn_net *)1;
	/* version 1's layout: still read, with all its checks */
	size_t len;
	unsigned char *good = v1_bytes(net, NULL, &len), *buf = malloc(len + 8);

	ck_assert_int_eq(load_bytes(good, len), 0);
	/* every truncation */
	for (size_t n = 8; n < len; n++)
		ck_assert_int_eq(load_bytes(good, n), NN_ETRUNC);
	ck_assert_int_eq(load_bytes(good, 3), NN_ETRUNC);
	/* wrong magic */
	memcpy(buf, good, len);
	buf[1] = 'X';
	ck_assert_int_eq(load_bytes(buf, len), NN_EMAGIC);
	ck_assert_int_eq(load_bytes((const unsigned char *)"hello", 5), NN_EMAGIC);
	/* unknown version */
	memcpy(buf, good, len);
	poke(buf, len, 8, 3, 4);
	ck_assert_int_eq(load_bytes(buf, len), NN_EVERSION);
	/* impossible sizes: no layers, a zero width, an absurd width */
	memcpy(buf, good, len);
	poke(buf, len, 12, 0, 4);
	ck_assert_int_eq(load_bytes(buf, len), NN_ESIZE);
	memcpy(buf, good, len);
	poke(buf, len, 12, 0xffffffffu, 4);
	ck_assert_int_eq(load_bytes(buf, len), NN_ESIZE);
	memcpy(buf, good, len);
	poke(buf, len, 24, 0, 8);
	ck_assert_int_eq(load_bytes(buf, len), NN_ESIZE);
	memcpy(buf, good, len);
	poke(buf, len, 32, (uint64_t)1 << 40, 8);
	ck_assert_int_eq(load_bytes(buf, len), NN_ESIZE);
	/* a parameter count that disagrees with the sizes */
	memcpy(buf, good, len);
	poke(buf, len, 8 + 16 + 24 + 8, 1, 8);
	ck_assert_int_eq(load_bytes(buf, len), NN_ESIZE);
	/* an unknown cost, a cost the output cannot carry (CE on identity) */
	memcpy(buf, good, len);
	poke(buf, len, 16, 9, 4);
	ck_assert_int_eq(load_bytes(buf, len), NN_EFORMAT);
	memcpy(buf, good, len);
	poke(buf, len, 16, NN_COST_CE, 4);
	ck_assert_int_eq(load_bytes(buf, len), NN_EFORMAT);
	/* an unknown activation, unknown flags */
	memcpy(buf, good, len);
	poke(buf, len, 8 + 16 + 24, 99, 4);
	ck_assert_int_eq(load_bytes(buf, len), NN_EFORMAT);
	memcpy(buf, good, len);
	poke(buf, len, 8 + 16 + 24, NN_ACT_SOFTMAX, 4); /* softmax on a hidden layer */
	ck_assert_int_eq(load_bytes(buf, len), NN_EFORMAT);
	memcpy(buf, good, len);
	poke(buf, len, 20, 6, 4);
	ck_assert_int_eq(load_bytes(buf, len), NN_EFORMAT);
	/* a flipped bit in a parameter */
	memcpy(buf, good, len);
	buf[len - 20] ^= 0x10;
	ck_assert_int_eq(load_bytes(buf, len), NN_ECHECKSUM);
	/* trailing garbage */
	memcpy(buf, good, len);
	memcpy(buf + len, "garbage!", 8);
	ck_assert_int_eq(load_bytes(buf, len + 8), NN_EFORMAT);

	/* a file with a training state that fails its crc: nothing handed out,
	 * nothing leaked (found by the fuzz target) */
	double sv[2] = { 1, 2 };
	nn_model_state sst = { .kind = 3, .step = 1, .n = 2, .data = sv }, got;
	ck_assert_int_eq(nn_model_save(path, net, &sst), 0);
	size_t slen;
	unsigned char *sbuf = slurp(path, &slen);
	sbuf[slen - 10] ^= 1; /* inside the state */
	nn_net *sn = (nn_net *)1;
	ck_assert_int_eq(nn_model_load_buffer(&sn, &got, sbuf, slen), NN_ECHECKSUM);
	ck_assert_ptr_null(sn);
	ck_assert_ptr_null(got.data);
	free(sbuf);

	/* the writer refuses what the reader would: more than 1024 layers */
	size_t many[1026];
	for (int i = 0; i < 1026; i++)
		many[i] = 1;
	nn_net *deep;
	ck_assert_int_eq(nn_net_new(&deep, 1025, many, NULL), 0);
	ck_assert_int_eq(nn_model_save(path, deep, NULL), NN_ESIZE);
	nn_net_free(deep);

	/* files */
	ck_assert_int_eq(nn_model_load(&out, NULL, "/nonexistent/m.nn"), NN_ENOENT);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(nn_model_load(&out, NULL, dir), NN_ENOTFILE);
	ck_assert_int_eq(nn_model_load(&out, NULL, NULL), NN_ENULL);
	ck_assert_int_eq(nn_model_load(NULL, NULL, path), NN_ENULL);
	ck_assert_int_eq(nn_model_save(NULL, net, NULL), NN_ENULL);
	ck_assert_int_eq(nn_model_save(path, NULL, NULL), NN_ENULL);
	nn_model_state bad = { .kind = 1, .n = 2, .data = NULL };
	ck_assert_int_eq(nn_model_save(path, net, &bad), NN_ENULL);
	free(good);
	free(buf);
	nn_net_free(net);
	rm_tmp();
}
END_TEST

/* A FIFO, a device or a directory is refused before any read: a FIFO
 * without a writer once blocked the loader for ever (issue 12); the alarm
 * turns such a hang into a failed test. */
/* Version 2's own fields, each bad in turn (the CRC fixed so that the
 * structural error shows), every truncation, trailing bytes. */
START_TEST(test_errors_v2)
{
	mkdir_tmp();
	char path[128];
	snprintf(path, sizeof(path), "%s/m.nn", dir);
	nn_net *net = make_net();
	ck_assert_int_eq(nn_model_save(path, net, NULL), 0);
	size_t len;
	unsigned char *good = slurp(path, &len), *buf = malloc(len + 8);
	ck_assert_int_eq(load_bytes(good, len), 0);
	for (size_t n = 8; n < len; n++)
		ck_assert_int_eq(load_bytes(good, n), NN_ETRUNC);
	static const struct {
		size_t off;
		uint64_t v;
		int width, code;
	} bad[] = {
		{ 12, 8, 4, NN_EFORMAT },            /* unknown flags */
		{ 16, 7, 4, NN_EFORMAT },            /* unknown precision */
		{ 20, 9, 4, NN_EFORMAT },            /* unknown cost */
		{ 20, NN_COST_CE, 4, NN_EFORMAT },   /* CE on an identity output */
		{ 24, 7, 4, NN_EFORMAT },            /* unknown task */
		{ 28, 0, 4, NN_ESIZE },              /* no layers */
		{ 28, 5000, 4, NN_ESIZE },           /* too many */
		{ 32, 0, 8, NN_ESIZE },              /* an input side of 0 */
		{ 40, (uint64_t)1 << 40, 8, NN_ESIZE }, /* an absurd one */
		{ 56, 99, 4, NN_EFORMAT },           /* layer 1: unknown type */
		{ 60, 99, 4, NN_EFORMAT },           /* unknown activation */
		{ 60, NN_ACT_SOFTMAX, 4, NN_EFORMAT }, /* softmax on a hidden layer */
		{ 64, 0, 8, NN_EFORMAT },            /* 0 units: not a network */
		{ 64, (uint64_t)1 << 30, 8, NN_ESIZE }, /* too many units */
		{ 84, 1, 4, NN_EFORMAT },            /* the reserved field */
		{ 96, 1, 4, NN_EFORMAT },            /* layer 2 made a convolution: not last */
		{ 136, 7, 8, NN_ESIZE },             /* a parameter count the layers disagree with */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(buf, good, len);
		poke(buf, len, bad[i].off, bad[i].v, bad[i].width);
		ck_assert_msg(load_bytes(buf, len) == bad[i].code, "case %zu: %d", i,
			      load_bytes(buf, len));
	}
	memcpy(buf, good, len);
	poke(buf, len, 8, 1, 4); /* read as version 1: the layout disagrees */
	ck_assert_int_ne(load_bytes(buf, len), 0);
	memcpy(buf, good, len);
	memcpy(buf + len, "garbage!", 8);
	ck_assert_int_eq(load_bytes(buf, len + 8), NN_EFORMAT);
	free(good);
	free(buf);
	nn_net_free(net);
	rm_tmp();
}
END_TEST

/* Files written by version 1 (nn 0.1.0) load as they did: the same network,
 * its parameters from the same seed, its cost and training state. */
START_TEST(test_version1_files)
{
	nn_net *a, *b, *ref;
	nn_model_state st;
	nn_rng *rng;
	ck_assert_int_eq(nn_model_load(&a, NULL, NN_SOURCE_ROOT "/tests/data/model/v1-3-4-2-ce.nn"),
			 0);
	ck_assert_int_eq(nn_model_load(&b, &st,
				       NN_SOURCE_ROOT "/tests/data/model/v1-5-6-4-1-state.nn"), 0);
	/* what tests/data/model/README says wrote them */
	const size_t s1[] = { 3, 4, 2 }, s2[] = { 5, 6, 4, 1 };
	const nn_activation acts[] = { NN_ACT_TANH, NN_ACT_SOFTMAX };
	ck_assert_int_eq(nn_rng_new(&rng, 5), 0);
	ck_assert_int_eq(nn_net_new(&ref, 2, s1, acts), 0);
	ck_assert_int_eq(nn_net_init_randn(ref, rng), 0);
	ck_assert_int_eq(nn__net_same_shape(a, ref), 0);
	ck_assert_mem_eq(nn_net_params(a), nn_net_params(ref), nn_net_param_count(a) * 8);
	ck_assert_int_eq(nn_net_cost(a), NN_COST_CE);
	ck_assert_int_eq(nn_net_task(a), NN_TASK_AUTO);
	nn_net_free(ref);
	ck_assert_int_eq(nn_net_new(&ref, 3, s2, NULL), 0);
	ck_assert_int_eq(nn_net_init_randn(ref, rng), 0);
	ck_assert_int_eq(nn__net_same_shape(b, ref), 0);
	ck_assert_mem_eq(nn_net_params(b), nn_net_params(ref), nn_net_param_count(b) * 8);
	ck_assert_int_eq(nn_net_cost(b), NN_COST_QUADRATIC);
	ck_assert_uint_eq(st.kind, 4);
	ck_assert_uint_eq(st.step, 17);
	ck_assert_uint_eq(st.n, 3);
	ck_assert(st.data[0] == 0.5 && st.data[1] == -1.25 && st.data[2] == 3.0);
	nn_model_state_free(&st);
	ck_assert_ptr_null(st.data);
	/* saved again, it is version 2 and loads back the same */
	mkdir_tmp();
	char path[128];
	snprintf(path, sizeof(path), "%s/v2.nn", dir);
	ck_assert_int_eq(nn_model_save(path, a, NULL), 0);
	nn_net_free(ref);
	ck_assert_int_eq(nn_model_load(&ref, NULL, path), 0);
	ck_assert_mem_eq(nn_net_params(a), nn_net_params(ref), nn_net_param_count(a) * 8);
	rm_tmp();
	nn_net_free(a);
	nn_net_free(b);
	nn_net_free(ref);
	nn_rng_free(rng);
}
END_TEST

/* Version 2 keeps what version 1 could not: layer types, the input scaling,
 * names and the task; a loaded model predicts raw input as the saved one. */
START_TEST(test_round_trip_v2)
{
	mkdir_tmp();
	char path[128];
	snprintf(path, sizeof(path), "%s/cnn.nn", dir);
	nn_net *net, *back;
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 8), 0);
	ck_assert_int_eq(nn_net_parse(&net, "6x5x2, conv:3:3:s2:same:relu, maxpool:2, dropout:0.25, "
				      "flatten, avgpool:1, 4:tanh, 3:softmax", NN_ACT_RELU,
				      NN_ACT_SOFTMAX), 0);
	nn_matrix X;
	ck_assert_int_eq(nn_matrix_new(&X, 60, 9), 0);
	tu_fill_uniform(&X, rng, -3, 7);
	ck_assert_int_eq(nn_net_fit_scaling(net, NN_SCALING_STANDARD, &X), 0);
	const char *classes[] = { "setosa", "versicolor", "virginica" };
	ck_assert_int_eq(nn_net_set_names(net, NN_NAMES_CLASSES, 3, classes), 0);
	ck_assert_int_eq(nn_net_set_task(net, NN_TASK_CLASSIFY), 0);
	ck_assert_int_eq(nn_model_save(path, net, NULL), 0);
	ck_assert_int_eq(nn_model_load(&back, NULL, path), 0);
	char a[256], b[256];
	nn_net_describe(a, sizeof(a), net);
	nn_net_describe(b, sizeof(b), back);
	ck_assert_str_eq(a, b);
	ck_assert_int_eq(nn__net_same_shape(net, back), 0);
	ck_assert_mem_eq(nn_net_params(net), nn_net_params(back), nn_net_param_count(net) * 8);
	ck_assert_int_eq(nn_net_task(back), NN_TASK_CLASSIFY);
	ck_assert_str_eq(nn_net_name(back, NN_NAMES_CLASSES, 1), "versicolor");
	const double *s1, *s2, *c1, *c2;
	ck_assert_int_eq(nn_net_scaling(back, &s2, &c2), NN_SCALING_STANDARD);
	nn_net_scaling(net, &s1, &c1);
	ck_assert_mem_eq(s1, s2, 60 * 8);
	ck_assert_mem_eq(c1, c2, 60 * 8);
	int p1[9], p2[9];
	ck_assert_int_eq(nn_predict(p1, NULL, net, &X), 0);
	ck_assert_int_eq(nn_predict(p2, NULL, back, &X), 0);
	ck_assert_mem_eq(p1, p2, sizeof(p1));
	/* every truncation of this richer file, too */
	size_t len;
	unsigned char *good = slurp(path, &len);
	for (size_t n = 8; n < len; n++)
		ck_assert_int_eq(load_bytes(good, n), NN_ETRUNC);
	/* in memory: the file's bytes exactly, with and without a state */
	void *mem;
	size_t mlen;
	ck_assert_int_eq(nn_model_save_buffer(&mem, &mlen, net, NULL), 0);
	ck_assert_uint_eq(mlen, len);
	ck_assert_mem_eq(mem, good, len);
	free(mem);
	const double sdata[3] = { 1, -2, 0.5 };
	nn_model_state st = { .kind = 2, .step = 7, .n = 3, .data = sdata }, st2;
	ck_assert_int_eq(nn_model_save(path, net, &st), 0);
	free(good);
	good = slurp(path, &len);
	ck_assert_int_eq(nn_model_save_buffer(&mem, &mlen, net, &st), 0);
	ck_assert_uint_eq(mlen, len);
	ck_assert_mem_eq(mem, good, len);
	nn_net *again;
	ck_assert_int_eq(nn_model_load_buffer(&again, &st2, mem, mlen), 0);
	ck_assert_uint_eq(st2.step, 7);
	ck_assert_mem_eq(st2.data, sdata, sizeof(sdata));
	nn_model_state_free(&st2);
	nn_net_free(again);
	free(mem);
	/* refused as nn_model_save refuses, with the outputs reset */
	mem = good;
	ck_assert_int_eq(nn_model_save_buffer(&mem, &mlen, NULL, NULL), NN_ENULL);
	ck_assert_ptr_null(mem);
	ck_assert_uint_eq(mlen, 0);
	ck_assert_int_eq(nn_model_save_buffer(NULL, &mlen, net, NULL), NN_ENULL);
	nn_net_params(net)[2] = NAN;
	ck_assert_int_eq(nn_model_save_buffer(&mem, &mlen, net, NULL), NN_ENONFINITE);
	ck_assert_ptr_null(mem);
	free(good);
	nn_matrix_free(&X);
	nn_net_free(net);
	nn_net_free(back);
	nn_rng_free(rng);
	rm_tmp();
}
END_TEST

START_TEST(test_not_regular)
{
	mkdir_tmp();
	char fifo[64];
	snprintf(fifo, sizeof fifo, "%s/fifo.nn", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	const char *paths[3] = { fifo, "/dev/null", dir };
	for (int k = 0; k < 3; k++) {
		nn_net *out = NULL;
		nn_model_state st;
		tu_alarm_start(2);
		ck_assert_int_eq(nn_model_load(&out, &st, paths[k]), NN_ENOTFILE);
		tu_alarm_stop();
		ck_assert_ptr_null(out);
		ck_assert_ptr_null(st.data);
	}
	rm_tmp();
}
END_TEST

/* A parameter of the file at index k (0: the first weight) set to v, the
 * CRC fixed, so that only the value is wrong. */
static void poke_param(unsigned char *buf, size_t len, size_t L, size_t k, double v)
{
	uint64_t bits;
	memcpy(&bits, &v, 8);
	poke(buf, len, 56 + 40 * L + 8 + 8 * k, bits, 8); /* version 2's layout */
}

/* NaN or Inf parameters: never written, never loaded (issue 12). The CRC
 * is checked first, so a corrupt file still says NN_ECHECKSUM. */
START_TEST(test_nonfinite)
{
	mkdir_tmp();
	char path[128];
	snprintf(path, sizeof(path), "%s/m.nn", dir);
	nn_net *net = make_net();
	double *p = nn_net_params(net);
	size_t P = nn_net_param_count(net);
	const double bad[3] = { NAN, INFINITY, -INFINITY };
	const size_t at[3] = { 0, P / 2, P - 1 }; /* a weight, another, the last bias */
	for (int k = 0; k < 3; k++) {
		double keep = p[at[k]];
		p[at[k]] = bad[k];
		ck_assert_int_eq(nn_model_save(path, net, NULL), NN_ENONFINITE);
		ck_assert_int_eq(access(path, F_OK), -1); /* nothing written */
		p[at[k]] = keep;
	}
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A '%s')\"", dir);
	ck_assert_int_eq(system(cmd), 0); /* no temporary file either */

	ck_assert_int_eq(nn_model_save(path, net, NULL), 0);
	size_t len;
	unsigned char *good = slurp(path, &len), *buf = malloc(len);
	ck_assert_ptr_nonnull(buf);
	for (int k = 0; k < 3; k++) {
		memcpy(buf, good, len);
		poke_param(buf, len, 2, at[k], bad[k]);
		ck_assert_int_eq(load_bytes(buf, len), NN_ENONFINITE); /* memory and file */
		buf[len - 1] ^= 1;
		ck_assert_int_eq(load_bytes(buf, len), NN_ECHECKSUM);
	}
	free(buf);
	free(good);
	nn_net_free(net);
	rm_tmp();
}
END_TEST

/*
 * A file is read as far as its header says it reaches, never whole first
 * (issue 12: a 3 GB junk file gave "out of memory" instead of "not an nn
 * model file"). Sparse files of 64 MiB stand in for huge ones; every byte nn
 * asks malloc for is counted.
 */
START_TEST(test_header_first)
{
	mkdir_tmp();
	char path[128];
	snprintf(path, sizeof(path), "%s/m.nn", dir);
	const off_t big = (off_t)64 << 20;
	nn_net *net = make_net(), *out = NULL;
	ck_assert_int_eq(nn_model_save(path, net, NULL), 0);
	size_t len;
	unsigned char *good = slurp(path, &len);

	/* junk: refused by its first 8 bytes */
	const char *junk = write_bytes("junk.nn", "not a model at all", 18);
	ck_assert_int_eq(truncate(junk, big), 0);
	unsigned long long before = tu_alloc_bytes;
	ck_assert_int_eq(nn_model_load(&out, NULL, junk), NN_EMAGIC);
	ck_assert_uint_lt(tu_alloc_bytes - before, 1 << 20);

	/* a good model followed by 64 MiB: the header says where it ends */
	const char *tail = write_bytes("tail.nn", good, len);
	ck_assert_int_eq(truncate(tail, big), 0);
	before = tu_alloc_bytes;
	ck_assert_int_eq(nn_model_load(&out, NULL, tail), NN_EFORMAT);
	ck_assert_uint_lt(tu_alloc_bytes - before, 1 << 20);

	/* a header of 2^24 x 2^24 weights (2 PiB) over a file of 64 MiB */
	unsigned char *hdr = malloc(len);
	ck_assert_ptr_nonnull(hdr);
	memcpy(hdr, good, len);
	uint32_t one = 1;
	memcpy(hdr + 8, &one, 4);                        /* version 1's layout */
	memcpy(hdr + 12, &one, 4);                       /* L = 1 (a little-endian host) */
	uint64_t w = (uint64_t)1 << 24, np = w * (w + 1);
	memcpy(hdr + 24, &w, 8);                         /* sizes 2^24, 2^24 */
	memcpy(hdr + 32, &w, 8);
	memset(hdr + 40, 0, 4);                          /* identity */
	memcpy(hdr + 44, &np, 8);
	const char *claim = write_bytes("claim.nn", hdr, 52);
	ck_assert_int_eq(truncate(claim, big), 0);
	before = tu_alloc_bytes;
	/* more parameters than nn can hold at all (BLAS takes int): refused as an
	 * absurd size before the file is even measured against them */
	ck_assert_int_eq(nn_model_load(&out, NULL, claim), NN_ESIZE);
	ck_assert_uint_lt(tu_alloc_bytes - before, 1 << 20);
	ck_assert_ptr_null(out);

	/* and version 2's: a dense layer of 2^15 x 2^15 weights (8 GiB) */
	memcpy(hdr, good, len);
	uint64_t side = 1 << 15, np2 = side * (side + 1);
	memcpy(hdr + 28, &one, 4);                       /* L = 1 */
	memcpy(hdr + 32, &side, 8);                      /* input 2^15 x 1 x 1 */
	memset(hdr + 56, 0, 40);                         /* dense, sigmoid, */
	memcpy(hdr + 64, &side, 8);                      /* 2^15 units */
	memcpy(hdr + 96, &np2, 8);
	claim = write_bytes("claim2.nn", hdr, 104);
	ck_assert_int_eq(truncate(claim, big), 0);
	before = tu_alloc_bytes;
	ck_assert_int_eq(nn_model_load(&out, NULL, claim), NN_ETRUNC);
	ck_assert_uint_lt(tu_alloc_bytes - before, 1 << 20);
	ck_assert_ptr_null(out);

	free(hdr);
	free(good);
	nn_net_free(net);
	rm_tmp();
}
END_TEST

struct predictor {
	const nn_net *net;
	const nn_matrix *X;
	int *pred;
	int rc;
};

/* Each thread predicts with its own workspace on the shared, const model. */
static void *predict_many(void *arg)
{
	struct predictor *p = arg;
	nn_workspace *ws = NULL;
	p->rc = nn_workspace_new(&ws, p->net, p->X->cols);
	for (int rep = 0; rep < 200 && !p->rc; rep++)
		p->rc = nn_predict(p->pred, ws, p->net, p->X);
	nn_workspace_free(ws);
	return NULL;
}

/* A loaded model serves two threads at once, each with its own workspace,
 * and both get what one thread alone gets. */
START_TEST(test_reentrant)
{
	mkdir_tmp();
	char path[128];
	snprintf(path, sizeof(path), "%s/m.nn", dir);
	nn_net *net = make_net(), *loaded;
	ck_assert_int_eq(nn_model_save(path, net, NULL), 0);
	ck_assert_int_eq(nn_model_load(&loaded, NULL, path), 0);
	nn_matrix X;
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 8), 0);
	ck_assert_int_eq(nn_matrix_new(&X, 5, 300), 0);
	for (size_t j = 0; j < X.cols; j++)
		for (size_t i = 0; i < X.rows; i++)
			NN_AT(&X, i, j) = nn_rng_gauss(rng);
	int want[300], got[2][300];
	nn_workspace *ws;
	ck_assert_int_eq(nn_workspace_new(&ws, loaded, X.cols), 0);
	ck_assert_int_eq(nn_predict(want, ws, loaded, &X), 0);
	struct predictor p[2] = { { loaded, &X, got[0], -1 }, { loaded, &X, got[1], -1 } };
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, predict_many, &p[i]), 0);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
		ck_assert_int_eq(p[i].rc, 0);
		ck_assert_mem_eq(got[i], want, sizeof(want));
	}
	nn_workspace_free(ws);
	nn_matrix_free(&X);
	nn_rng_free(rng);
	nn_net_free(net);
	nn_net_free(loaded);
	rm_tmp();
}
END_TEST

Suite *model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("round_trip");
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_round_trip_v2);
	tcase_add_test(tc, test_version1_files);
	tcase_add_test(tc, test_atomic);
	tcase_set_timeout(tc, 60); /* every truncation, from memory and from a file */
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_errors_v2);
	tcase_add_test(tc, test_not_regular);
	tcase_add_test(tc, test_nonfinite);
	tcase_add_test(tc, test_header_first);
	suite_add_tcase(s, tc);
	tc = tcase_create("reentrant");
	tcase_add_test(tc, test_reentrant);
	suite_add_tcase(s, tc);
	return s;
}
