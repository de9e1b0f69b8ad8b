/* The Check suites of the test program, one per module; test_main.c lists them. */
#ifndef NN_TEST_SUITES_H
#define NN_TEST_SUITES_H

#include <check.h>

Suite *matrix_suite(void);
Suite *net_suite(void);
Suite *backprop_suite(void);
Suite *train_suite(void);
Suite *model_suite(void);
Suite *fit_suite(void);
/* datasets (issue 3) */
Suite *random_suite(void);
Suite *datasets_suite(void);
/* sparse first layer (issue 9) */
Suite *sparse_suite(void);
/* mnist (issue 4) */
Suite *mnist_suite(void);
Suite *pickle_suite(void);
/* plot (issue 5) */
Suite *png_suite(void);
Suite *lecture_suite(void);
/* layers (issue 15) */
Suite *layers_suite(void);
/* values, scaling, names (issue 14) */
Suite *values_suite(void);
/* float32 networks (issue 16) */
Suite *precision_suite(void);
/* the vector kernels of every family (issue 16) */
Suite *kernels_suite(void);
/* nn_version (issue 13) */
Suite *version_suite(void);
/* the one atomic writer (issue 12) */
Suite *fileio_suite(void);
/* tables (issue 14) */
Suite *table_suite(void);

#endif
