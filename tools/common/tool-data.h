/*
 * A program's own data (data.c): a file of features and a target -- CSV or
 * TSV text, numpy .npy, or MNIST -- read as one nn_table, and a table put
 * in the terms of a trained network: its features in the network's order,
 * its class names as the network's ids. nn-train and nn-predict share it.
 */
#ifndef TOOL_DATA_H
#define TOOL_DATA_H

#include <stddef.h>

#include "nn/nn.h"
#include "tool.h"

/**
 * Read a data file: MNIST when nn_mnist_sniff() says so (a directory of
 * IDX files or a pickle, raw or gzip), whose training images go to *t and
 * test images to *test; else a table (nn_table_read() with opt: CSV/TSV
 * text, .npy, possibly gzip-compressed). MNIST's images are 784 features
 * x1 .. x784 (pixels / 255) and its classes "0" .. "9"; its test set is
 * freed when test is NULL.
 * @param ctx   the program.
 * @param t     out: the table (the training images for MNIST); nn_table_free() it.
 * @param test  out (may be NULL): MNIST's test images; zeroed for a table.
 * @param mnist out (may be NULL): 1 when the file was MNIST.
 * @param path  the file.
 * @param opt   the table options (unused for MNIST).
 * @return 0, TOOL_RUNTIME after the reader's message ("iris.csv:47: column
 *         'petal_width': 'n/a' is not a number"), or TOOL_USAGE after it for
 *         NN_EINVAL (a target or ignored column that is not a column).
 */
int tool_data_read(tool_ctx *ctx, nn_table *t, nn_table *test, int *mnist, const char *path,
		   const nn_table_options *opt);

/** 1 when names[0 .. n) are "x1" .. "xn", the names a table without a header gets. */
int tool_names_generic(char *const *names, size_t n);

/** Room for a mismatch message of tool_data_features() and tool_data_labels(). */
#define TOOL_WHY_LEN 512

/**
 * The features of t in the order net takes them, as a new matrix. When
 * the table has every one of the network's feature names, each is found by
 * its name, in any order, and the file's other columns are left out; else,
 * when both have names from a header (not x1 .. xF), the first missing one
 * is the mismatch; otherwise (a file without a header, a network without
 * names) the file must have as many feature columns as the network has
 * inputs, in the same order.
 * @param x    out: nn_net_width(net, 0) x t->x.cols; free with nn_matrix_free().
 * @param why  out: what does not match, when the result is 1.
 * @param t    the table.
 * @param path its file, for the message.
 * @param net  the network.
 * @return 0, 1 (they do not match: why says how) or NN_ENOMEM.
 */
int tool_data_features(nn_matrix *x, char why[TOOL_WHY_LEN], const nn_table *t,
		       const char *path, const nn_net *net);

/**
 * The labels of t as net's class ids: by the class names when the network
 * has them (a class the network does not know is a mismatch), else as they
 * are (each below the network's outputs, or 2 for one output unit).
 * @param y    out: t->labels.n ids; free with nn_labels_free().
 * @param why  out: what does not match, when the result is 1.
 * @param t    the table (task NN_TASK_CLASSIFY).
 * @param path its file, for the message.
 * @param net  the network.
 * @return 0, 1 (why says which class) or NN_ENOMEM.
 */
int tool_data_labels(nn_labels *y, char why[TOOL_WHY_LEN], const nn_table *t, const char *path,
		     const nn_net *net);

#endif /* TOOL_DATA_H */
