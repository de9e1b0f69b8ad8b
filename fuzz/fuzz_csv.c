/*
 * libFuzzer target: nn_table_read_buffer() on arbitrary bytes -- text
 * mostly, but whatever the first bytes say (gzip, .npy) -- with the default
 * options and a few others that reach the other paths: no target, several
 * targets, a forced task, a given delimiter and header, a row limit.
 */
#include <stddef.h>
#include <stdint.h>

#include "nn/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	nn_table_options o[6];
	for (int k = 0; k < 6; k++)
		o[k] = nn_table_defaults();
	o[1].target = "";
	o[2].target = "0,-1";
	o[2].task = NN_TASK_REGRESS;
	o[3].task = NN_TASK_CLASSIFY;
	o[3].target = "y";
	o[4].delimiter = ';';
	o[4].header = 0;
	o[4].comment = 0;
	o[5].max_rows = 2;
	o[5].header = 1;
	for (int k = 0; k < 6; k++) {
		nn_table t;
		nn_table_read_buffer(&t, data, size, "fuzz.csv", &o[k]);
		nn_table_free(&t);
	}
	return 0;
}
