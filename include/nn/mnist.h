/**
 * @file mnist.h
 * @brief (being written)
 */
#ifndef NN_MNIST_H
#define NN_MNIST_H

#include "common.h"
#include "matrix.h"

#endif /* NN_MNIST_H */
