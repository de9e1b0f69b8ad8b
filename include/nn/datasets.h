/**
 * @file datasets.h
 * @brief (being written)
 */
#ifndef NN_DATASETS_H
#define NN_DATASETS_H

#include "common.h"
#include "matrix.h"

#endif /* NN_DATASETS_H */
