/*
 * libFuzzer target: the pickle reader on arbitrary bytes, gzip or raw,
 * decompressed in memory (at most 8 MB; the byte source refuses a gzip
 * stream that inflates like a bomb) and parsed as an MNIST pickle, whose
 * memory budget (4 bytes per pickle byte + 1 MiB) every opcode stream must
 * respect. run.sh builds it twice: fuzz-pickle on inputs of up to 8 KB and
 * fuzz-pickle-large on inputs of up to 1 MiB.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mnist/mnist_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[NN_MNIST_ERROR_LEN];
	nn__src s;
	unsigned char *buf = NULL;
	size_t len = 0;
	int rc = nn__src_open_mem(&s, data, size, "fuzz", err);
	if (rc == 0)
		rc = nn__src_slurp(&buf, &len, &s, (size_t)8 << 20, err);
	nn__src_close(&s);
	if (rc == 0) {
		nn_mnist m;
		nn_mnist_options o = nn_mnist_defaults();
		memset(&m, 0, sizeof m);
		o.max_train = 3; /* exercise the subset path too */
		if (nn__pickle_mnist(&m, buf, len, "fuzz", &o, err) == 0)
			nn_mnist_free(&m);
	}
	free(buf);
	return 0;
}
