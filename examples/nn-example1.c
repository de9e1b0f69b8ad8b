/*
 * nn-example1: the lecture's first example -- make_blobs data, one sigmoid
 * neuron trained by gradient descent, and the exact least-squares fit that
 * the lecture says would solve the problem directly. See toy.c.
 */
#include <stdio.h>

#include "dist.h"
#include "toy.h"

int main(int argc, char **argv)
{
	if (ex_dist_init(&argc, &argv)) {
		fprintf(stderr, "nn-example1: MPI did not start\n");
		return 1;
	}
	int rc = ex_toy_main(argc, argv, 1);
	ex_dist_finalize();
	return rc;
}
