/*
 * A test helper (not installed): what nn_table_read() and the .npy reader
 * and writer make of a file, printed for tests/table_python.py to compare
 * with numpy and scikit-learn, and the read time and peak memory for
 * doc/table.md's measurements.
 *
 *   nn-table-tool read FILE [TARGET|- [auto|classify|regress|none [HEADER [DELIM]]]]
 *   nn-table-tool npy-read FILE
 *   nn-table-tool npy-write FILE ROWS COLS   element (i, j) = i - 0.5 * j + j / 7
 *   nn-table-tool time FILE [TARGET|-]       read, print shapes, seconds, peak RSS
 *
 * Numbers are printed with %.17g (they read back exactly); a failure prints
 * "error CODE MESSAGE" and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "nn/nn.h"

static int fail(int rc)
{
	printf("error %d %s\n", rc, nn_error_message(rc));
	return 1;
}

static void print_matrix(const char *tag, const nn_matrix *m)
{
	for (size_t j = 0; j < m->cols; j++) {
		fputs(tag, stdout);
		for (size_t i = 0; i < m->rows; i++)
			printf(" %.17g", NN_AT(m, i, j));
		putchar('\n');
	}
}

static const char *task_name(nn_task t)
{
	return t == NN_TASK_CLASSIFY ? "classify" : t == NN_TASK_REGRESS ? "regress" : "none";
}

static int read_table(int argc, char **argv, nn_table *t, nn_table_options *o)
{
	*o = nn_table_defaults();
	if (argc > 3 && strcmp(argv[3], "-") != 0)
		o->target = argv[3];
	if (argc > 4) {
		const char *k = argv[4];
		o->task = !strcmp(k, "classify") ? NN_TASK_CLASSIFY
			  : !strcmp(k, "regress") ? NN_TASK_REGRESS
			  : !strcmp(k, "none")    ? NN_TASK_NONE
						  : NN_TASK_AUTO;
	}
	if (argc > 5)
		o->header = atoi(argv[5]);
	if (argc > 6)
		o->delimiter = strcmp(argv[6], "tab") == 0 ? '\t' : argv[6][0];
	return nn_table_read(t, argv[2], o);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: nn-table-tool read|npy-read|npy-write|time FILE ...\n");
		return 2;
	}
	const char *cmd = argv[1];
	int rc;
	if (strcmp(cmd, "read") == 0) {
		nn_table t;
		nn_table_options o;
		if ((rc = read_table(argc, argv, &t, &o)) < 0)
			return fail(rc);
		printf("task %s\nshape %zu %zu\ntargets %zu\nclasses %zu\n", task_name(t.task),
		       t.x.rows, t.x.cols, t.n_targets, t.n_classes);
		for (size_t i = 0; i < t.x.rows; i++)
			printf("feature %s\n", t.feature_names[i]);
		for (size_t i = 0; i < t.n_targets; i++)
			printf("target %s\n", t.target_names[i]);
		for (size_t i = 0; i < t.n_classes; i++)
			printf("class %s\n", t.class_names[i]);
		print_matrix("x", &t.x);
		if (t.task == NN_TASK_REGRESS)
			print_matrix("y", &t.y);
		for (size_t j = 0; j < t.labels.n; j++)
			printf("label %d\n", t.labels.data[j]);
		nn_table_free(&t);
		return 0;
	}
	if (strcmp(cmd, "npy-read") == 0) {
		nn_matrix m;
		if ((rc = nn_npy_read(&m, argv[2])) < 0)
			return fail(rc);
		printf("shape %zu %zu\n", m.rows, m.cols);
		print_matrix("x", &m);
		nn_matrix_free(&m);
		return 0;
	}
	if (strcmp(cmd, "npy-write") == 0 && argc == 5) {
		nn_matrix m;
		if ((rc = nn_matrix_new(&m, strtoul(argv[3], NULL, 10), strtoul(argv[4], NULL, 10))) < 0)
			return fail(rc);
		for (size_t j = 0; j < m.cols; j++)
			for (size_t i = 0; i < m.rows; i++)
				NN_AT(&m, i, j) = (double)i - 0.5 * (double)j + (double)j / 7.0;
		rc = nn_npy_write(argv[2], &m);
		nn_matrix_free(&m);
		return rc < 0 ? fail(rc) : 0;
	}
	if (strcmp(cmd, "time") == 0) {
		nn_table t;
		nn_table_options o;
		struct timespec a, b;
		clock_gettime(CLOCK_MONOTONIC, &a);
		rc = read_table(argc, argv, &t, &o);
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (rc < 0)
			return fail(rc);
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		printf("task %s x %zu x %zu seconds %.3f cpu %.3f peak_rss_mib %.1f\n",
		       task_name(t.task), t.x.rows, t.x.cols,
		       (double)(b.tv_sec - a.tv_sec) + 1e-9 * (double)(b.tv_nsec - a.tv_nsec),
		       (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
			       1e-6 * (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec),
		       (double)ru.ru_maxrss / 1024.0);
		nn_table_free(&t);
		return 0;
	}
	fprintf(stderr, "nn-table-tool: unknown command '%s'\n", cmd);
	return 2;
}
