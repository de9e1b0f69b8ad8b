/**
 * @file nn.h
 * @brief nn: neural networks on BLAS. The one header users include.
 */
#ifndef NN_NN_H
#define NN_NN_H

#include "common.h"
#include "matrix.h"
#include "random.h"
#include "net.h"
#include "train.h"
#include "model.h"
#include "optim.h"
#include "fit.h"
#include "datasets.h"
#include "mnist.h"
/* generated into the build tree from version.h.in: see version.h */
#include "nn/version.h"

#endif /* NN_NN_H */
