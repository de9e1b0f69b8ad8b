/*
 * libFuzzer target: the IDX readers on arbitrary bytes, gzip or raw, read
 * from memory through the same byte source as files. Each input is read as
 * an image file (all, 2 of them, none) and as a label file, and sniffed as
 * nn_mnist_sniff() sniffs a file; the sniff must agree with the readers.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "mnist/mnist_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[NN_MNIST_ERROR_LEN];
	/* images: all, 2 from the second on, none; labels: all from the second on */
	const size_t maxes[3] = { NN_ALL, 2, 0 };
	for (int k = 0; k < 4; k++) {
		nn__src s;
		if (nn__src_open_mem(&s, data, size, "fuzz", err) == 0) {
			if (k < 3) {
				nn_matrix X;
				if (nn__idx_images(&X, NULL, &s, k == 1, maxes[k], 255.0, err) == 0)
					nn_matrix_free(&X);
			} else {
				nn_labels y;
				if (nn__idx_labels(&y, NULL, &s, 1, NN_ALL, err) == 0)
					nn_labels_free(&y);
			}
		}
		nn__src_close(&s);
	}
	/* the sniff and the image reader must agree on the magic */
	nn__src s;
	nn_mnist_kind kind;
	int sniffed = nn__src_open_mem(&s, data, size, "fuzz", err) == 0 &&
		      nn__src_sniff(&kind, &s, err) == 0;
	nn__src_close(&s);
	if (sniffed && kind == NN_MNIST_IDX_IMAGES) {
		nn_matrix X;
		if (nn__src_open_mem(&s, data, size, "fuzz", err) == 0) {
			int rc = nn__idx_images(&X, NULL, &s, 0, 1, 255.0, err);
			if (rc == NN_EMAGIC)
				abort();
			if (rc == 0)
				nn_matrix_free(&X);
		}
		nn__src_close(&s);
	}
	return 0;
}
