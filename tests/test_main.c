/*
 * The one Check main(): runs the suites listed below, or only the one named
 * on the command line (how meson registers each suite as its own test), and
 * returns the number of failures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"

static const struct {
	const char *name;
	Suite *(*make)(void);
} suites[] = {
	{ "matrix", matrix_suite },
	{ "net", net_suite },
	{ "backprop", backprop_suite },
	{ "train", train_suite },
	{ "model", model_suite },
	{ "fit", fit_suite },
	/* datasets (issue 3) */
	{ "random", random_suite },
	{ "datasets", datasets_suite },
	/* sparse first layer (issue 9) */
	{ "sparse", sparse_suite },
	/* mnist (issue 4) */
	{ "mnist", mnist_suite },
	{ "pickle", pickle_suite },
	/* plot (issue 5) */
	{ "png", png_suite },
	{ "lecture", lecture_suite },
	/* layers (issue 15) */
	{ "layers", layers_suite },
	/* values, scaling, names (issue 14) */
	{ "values", values_suite },
	/* float32 networks (issue 16) */
	{ "precision", precision_suite },
	{ "kernels", kernels_suite },
	/* nn_version (issue 13) */
	{ "version", version_suite },
	/* the one atomic writer (issue 12) */
	{ "fileio", fileio_suite },
	/* tables (issue 14) */
	{ "table", table_suite },
};

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	SRunner *sr = NULL;
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (only && strcmp(only, suites[i].name) != 0)
			continue;
		if (!sr)
			sr = srunner_create(suites[i].make());
		else
			srunner_add_suite(sr, suites[i].make());
	}
	if (!sr) {
		fprintf(stderr, "nn-tests: no suite named '%s'\n", only);
		return 2;
	}
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
