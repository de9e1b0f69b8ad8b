/*
 * nn-example2: the lecture's second example -- make_circles data and a
 * 2-10-2 sigmoid network trained by backpropagation. See toy.c.
 */
#include <stdio.h>

#include "dist.h"
#include "toy.h"

int main(int argc, char **argv)
{
	if (ex_dist_init(&argc, &argv)) {
		fprintf(stderr, "nn-example2: MPI did not start\n");
		return 1;
	}
	int rc = ex_toy_main(argc, argv, 2);
	ex_dist_finalize();
	return rc;
}
