/*
 * nn-example2: the lecture's second example -- make_circles data and a
 * 2-10-2 sigmoid network trained by backpropagation. See toy.c.
 */
#include "toy.h"

int main(int argc, char **argv)
{
	return ex_toy_main(argc, argv, 2);
}
