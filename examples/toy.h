/*
 * The body of nn-example1 and nn-example2: the lecture's two experiments on
 * two-dimensional toy data, which differ only in their network (one sigmoid
 * neuron drawn by npr.random(), or 2-N-2 drawn by npr.randn), their data
 * (blobs, circles), their step size and, for the first, the least-squares
 * fit beside it.
 */
#ifndef NN_EXAMPLES_TOY_H
#define NN_EXAMPLES_TOY_H

/** main() of nn-example1 (example 1) or nn-example2 (example 2). */
int ex_toy_main(int argc, char **argv, int example);

#endif /* NN_EXAMPLES_TOY_H */
