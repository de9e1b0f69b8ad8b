/*
 * libFuzzer target: the model-file reader past its checksum. A mutated file
 * almost never keeps a valid CRC-32, so fuzz_model stops at NN_ECHECKSUM;
 * here the last 4 bytes are replaced by the CRC of the others before
 * parsing, so that what lies behind the check -- the parameter and state
 * sizes, the non-finite weights -- is fuzzed too.
 *
 * Each input is loaded twice, from memory and from a file of the same bytes
 * (nn_model_load reads a file field by field, by its header): both must give
 * the same code, and a network that loads must have finite parameters.
 */
#include <fcntl.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "nn/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];
static int fd = -1;

static void remove_file(void)
{
	unlink(path);
}

/* One scratch file for the whole run, rewritten for each input. */
static int scratch(void)
{
	if (fd >= 0)
		return fd;
	snprintf(path, sizeof path, "/tmp/nn-fuzz-model-%ld.nn", (long)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0)
		atexit(remove_file);
	return fd;
}

static int load_file(const uint8_t *buf, size_t len)
{
	int f = scratch();
	if (f < 0 || ftruncate(f, 0) != 0 || pwrite(f, buf, len, 0) != (ssize_t)len)
		abort(); /* the harness, not the reader */
	nn_net *net = NULL;
	nn_model_state st;
	int rc = nn_model_load(&net, &st, path);
	free((void *)st.data);
	nn_net_free(net);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (size >= 4) {
		uLong crc = crc32(0L, buf, (uInt)(size - 4));
		for (int i = 0; i < 4; i++)
			buf[size - 4 + (size_t)i] = (uint8_t)(crc >> (8 * i));
	}
	nn_net *net = NULL;
	nn_model_state st;
	int rc = nn_model_load_buffer(&net, &st, buf, size);
	if (rc == 0) {
		const double *p = nn_net_params(net);
		for (size_t i = 0; i < nn_net_param_count(net); i++)
			if (!isfinite(p[i])) /* NaN or Inf got through */
				abort();
		free((void *)st.data);
	}
	nn_net_free(net);
	if (load_file(buf, size) != rc)
		abort(); /* file and memory disagree */
	free(buf);
	return 0;
}
