/*
 * libFuzzer target: the model-file reader (lib/io/model.c) on arbitrary bytes.
 * Anything it accepts must be a usable network: its parameter count is
 * read back and the training state, if any, freed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "nn/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	nn_net *net = NULL;
	nn_model_state st;
	if (nn_model_load_buffer(&net, &st, data, size) == 0) {
		volatile size_t n = nn_net_param_count(net);
		(void)n;
		free((void *)st.data);
	}
	nn_net_free(net);
	return 0;
}
