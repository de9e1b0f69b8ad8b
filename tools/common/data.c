/*
 * A program's own data: a file read as a table (MNIST made into one), and a
 * table put in the terms of a trained network -- its features found by the
 * names the network keeps, its class names turned into the network's ids.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool-data.h"

/* "<prefix><k>" for k = first .. first + n - 1, as one allocation that
 * nn_table_free() frees: n pointers, then the texts. */
static int numbered(char ***out, const char *prefix, size_t first, size_t n)
{
	size_t bytes = 0;
	for (size_t k = first; k < first + n; k++)
		bytes += (size_t)snprintf(NULL, 0, "%s%zu", prefix, k) + 1;
	char **v = malloc(n * sizeof(char *) + bytes);
	if (!v)
		return NN_ENOMEM;
	char *p = (char *)(v + n);
	for (size_t i = 0; i < n; i++) {
		v[i] = p;
		p += sprintf(p, "%s%zu", prefix, first + i) + 1;
	}
	*out = v;
	return 0;
}

/* One name, as numbered() allocates names. */
static int single(char ***out, const char *name)
{
	char **v = malloc(sizeof(char *) + strlen(name) + 1);
	if (!v)
		return NN_ENOMEM;
	v[0] = strcpy((char *)(v + 1), name);
	*out = v;
	return 0;
}

/* MNIST's images and labels as a table of classes "0" .. "9"; x and y are
 * moved in (left empty). */
static int mnist_table(nn_table *t, nn_matrix *x, nn_labels *y)
{
	memset(t, 0, sizeof *t);
	int rc = numbered(&t->feature_names, "x", 1, x->rows);
	if (rc == 0)
		rc = numbered(&t->class_names, "", 0, NN_MNIST_CLASSES);
	if (rc == 0)
		rc = single(&t->target_names, "label");
	if (rc) {
		nn_table_free(t);
		return rc;
	}
	t->x = *x;
	t->labels = *y;
	*x = (nn_matrix){ 0 };
	*y = (nn_labels){ 0 };
	t->n_classes = NN_MNIST_CLASSES;
	t->n_targets = 1;
	t->task = NN_TASK_CLASSIFY;
	return 0;
}

int tool_data_read(tool_ctx *ctx, nn_table *t, nn_table *test, int *mnist, const char *path,
		   const nn_table_options *opt)
{
	nn_mnist_kind kind;
	memset(t, 0, sizeof *t);
	if (test)
		memset(test, 0, sizeof *test);
	if (mnist)
		*mnist = 0;
	/* what the path is, by its content: MNIST's formats, else a table */
	if (nn_mnist_sniff(&kind, path) == 0 && kind != NN_MNIST_IDX_LABELS) {
		nn_mnist m;
		int rc = nn_mnist_load(&m, path, NULL);
		if (rc)
			return tool_nn_error(ctx, rc, "%s", path);
		rc = mnist_table(t, &m.train_x, &m.train_y);
		if (rc == 0 && test)
			rc = mnist_table(test, &m.test_x, &m.test_y);
		nn_mnist_free(&m);
		if (rc) {
			nn_table_free(t);
			return tool_nn_error(ctx, rc, "%s", path);
		}
		if (mnist)
			*mnist = 1;
		return 0;
	}
	int rc = nn_table_read(t, path, opt);
	/* the reader's message names the file, and the line and column; a
	 * target or ignored column that is not one is the command line's */
	if (rc) {
		tool_error(ctx, "%s", t->error);
		return rc == NN_EINVAL ? TOOL_USAGE : TOOL_RUNTIME;
	}
	return 0;
}

int tool_names_generic(char *const *names, size_t n)
{
	char want[32];
	for (size_t i = 0; i < n; i++) {
		snprintf(want, sizeof want, "x%zu", i + 1);
		if (strcmp(names[i], want) != 0)
			return 0;
	}
	return 1;
}

/* "a, b, c" into buf (len bytes), cut with "..." when longer. */
static const char *name_list(char *buf, size_t len, char *const *names, size_t n)
{
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t w = strlen(names[i]);
		if (at + w + 8 >= len) {
			snprintf(buf + at, len - at, "%s...", i ? ", " : "");
			break;
		}
		at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? ", " : "", names[i]);
	}
	return buf;
}

/* The network's names of a kind, as an array (borrowed texts), or NULL. */
static char **net_names(const nn_net *net, nn_names which, size_t *n)
{
	*n = nn_net_names_count(net, which);
	char **v = *n ? malloc(*n * sizeof(char *)) : NULL;
	for (size_t i = 0; v && i < *n; i++)
		v[i] = (char *)nn_net_name(net, which, i);
	if (!v)
		*n = 0;
	return v;
}

int tool_data_features(nn_matrix *x, char why[TOOL_WHY_LEN], const nn_table *t,
		       const char *path, const nn_net *net)
{
	size_t F = nn_net_width(net, 0), have = t->x.rows, N = t->x.cols, n_names;
	char **names = net_names(net, NN_NAMES_FEATURES, &n_names);
	char list[200], want[200];
	int rc = 0;
	size_t *src = malloc(F * sizeof(size_t));
	*x = (nn_matrix){ 0 };
	if (!src || (n_names == 0 && nn_net_names_count(net, NN_NAMES_FEATURES))) {
		rc = NN_ENOMEM;
		goto out;
	}
	/* by name when the file has every one of the network's features */
	size_t found = 0;
	for (size_t i = 0; i < n_names && t->feature_names; i++) {
		size_t k = 0;
		while (k < have && strcmp(t->feature_names[k], names[i]) != 0)
			k++;
		if (k == have)
			break;
		src[i] = k;
		found++;
	}
	int named = n_names == F && found == F;
	if (!named && n_names == F && !tool_names_generic(names, F) && t->feature_names &&
	    !tool_names_generic(t->feature_names, have)) {
		/* both have a header's names, and one is missing */
		snprintf(why, TOOL_WHY_LEN, "%s: no column '%s', which the model takes as a feature "
			 "(the file's feature columns: %s)", path, names[found],
			 name_list(list, sizeof list, t->feature_names, have));
		rc = 1;
		goto out;
	}
	if (!named && have != F) {
		/* else in the order of the file, which must have them all */
		snprintf(why, TOOL_WHY_LEN, "%s: %zu feature column%s (%s); the model takes %zu%s%s%s",
			 path, have, have == 1 ? "" : "s",
			 name_list(list, sizeof list, t->feature_names, have), F,
			 n_names ? " (" : "", n_names ? name_list(want, sizeof want, names, n_names) : "",
			 n_names ? ")" : "");
		rc = 1;
		goto out;
	}
	for (size_t i = 0; i < F && !named; i++)
		src[i] = i;
	if ((rc = nn_matrix_new(x, F, N)) != 0)
		goto out;
	for (size_t j = 0; j < N; j++)
		for (size_t i = 0; i < F; i++)
			NN_AT(x, i, j) = NN_AT(&t->x, src[i], j);
out:
	free(src);
	free(names);
	return rc;
}

int tool_data_labels(nn_labels *y, char why[TOOL_WHY_LEN], const nn_table *t, const char *path,
		     const nn_net *net)
{
	size_t K, n = t->labels.n, out = nn_net_width(net, nn_net_layers(net));
	char **names = net_names(net, NN_NAMES_CLASSES, &K);
	char list[200];
	int *map = malloc((t->n_classes ? t->n_classes : 1) * sizeof(int));
	int rc = !map || (K == 0 && nn_net_names_count(net, NN_NAMES_CLASSES)) ? NN_ENOMEM
		 : nn_labels_new(y, n);
	if (rc)
		goto out;
	/* the file's class c is the network's class map[c] (-1: unknown) */
	for (size_t c = 0; c < t->n_classes; c++) {
		map[c] = -1;
		if (K == 0 && c < (out == 1 ? 2 : out))
			map[c] = (int)c;
		for (size_t k = 0; k < K && t->class_names; k++)
			if (strcmp(names[k], t->class_names[c]) == 0)
				map[c] = (int)k;
	}
	for (size_t j = 0; j < n; j++) {
		int c = t->labels.data[j];
		if (map[c] >= 0) {
			y->data[j] = map[c];
			continue;
		}
		if (K)
			snprintf(why, TOOL_WHY_LEN, "%s: class '%s' is not one the model knows (its "
				 "classes: %s)", path, t->class_names[c],
				 name_list(list, sizeof list, names, K));
		else
			snprintf(why, TOOL_WHY_LEN, "%s: class %d is not an output of the model (%zu "
				 "classes)", path, c, out == 1 ? 2 : out);
		nn_labels_free(y);
		rc = 1;
		break;
	}
out:
	free(map);
	free(names);
	return rc;
}
