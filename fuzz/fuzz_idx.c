/*
 * libFuzzer target: the IDX readers on arbitrary bytes, gzip or raw, read
 * from memory through the same byte source as files. Each input is read as
 * an image file (all, and the first 2) and as a label file.
 */
#include <stddef.h>
#include <stdint.h>

#include "mnist/mnist_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[NN_MNIST_ERROR_LEN];
	const size_t maxes[2] = { 0, 2 };
	for (int k = 0; k < 3; k++) {
		nn__src s;
		if (nn__src_open_mem(&s, data, size, "fuzz", err) == 0) {
			if (k < 2) {
				nn_matrix X;
				if (nn__idx_images(&X, NULL, &s, k, maxes[k], 255.0, err) == 0)
					nn_matrix_free(&X);
			} else {
				nn_labels y;
				if (nn__idx_labels(&y, NULL, &s, 1, 0, err) == 0)
					nn_labels_free(&y);
			}
		}
		nn__src_close(&s);
	}
	return 0;
}
