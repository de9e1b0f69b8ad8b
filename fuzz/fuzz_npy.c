/*
 * libFuzzer target: nn_npy_read_buffer() on arbitrary bytes, and the same
 * bytes as a table (which reads .npy content by its magic) with the last
 * column as the target and with none.
 */
#include <stddef.h>
#include <stdint.h>

#include "nn/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	nn_matrix m;
	if (nn_npy_read_buffer(&m, data, size) == 0)
		nn_matrix_free(&m);
	nn_table_options o = nn_table_defaults();
	for (int k = 0; k < 2; k++) {
		nn_table t;
		o.target = k ? "" : NULL;
		nn_table_read_buffer(&t, data, size, "fuzz.npy", &o);
		nn_table_free(&t);
	}
	return 0;
}
