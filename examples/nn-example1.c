/*
 * nn-example1: the lecture's first example -- make_blobs data, one sigmoid
 * neuron trained by gradient descent, and the exact least-squares fit that
 * the lecture says would solve the problem directly. See toy.c.
 */
#include "toy.h"

int main(int argc, char **argv)
{
	return ex_toy_main(argc, argv, 1);
}
