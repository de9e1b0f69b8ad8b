/*
 * A reader for the golden files of tests/data/datasets/, written by
 * scripts/gen_dataset_fixtures.py (the format is described there).
 * Shared by test_datasets.c and test_random.c.
 */
#ifndef NN_DATASETS_FIXTURE_H
#define NN_DATASETS_FIXTURE_H

#include <stddef.h>

enum fx_kind { FX_PARAM, FX_ARRAY, FX_OP };

/* One line of a fixture: a parameter, an array or a random-stream op. */
struct fx_entry {
	enum fx_kind kind;
	char name[48];  /* the key, the array's name or the op's kind */
	size_t nargs;   /* parameter words or op arguments */
	char **args;
	size_t rows, cols; /* arrays: rows x cols values; ops: 1 x count */
	double *v;
};

struct fx {
	size_t n;
	struct fx_entry *e;
};

/* The directory of the fixtures, from NN_SOURCE_ROOT. */
const char *fx_dir(void);

/* Read tests/data/datasets/<name>; 0 or -1 (then f is empty). */
int fx_load(struct fx *f, const char *name);

void fx_free(struct fx *f);

/* The first parameter or array of that name, or NULL. */
const struct fx_entry *fx_param(const struct fx *f, const char *key);
const struct fx_entry *fx_array(const struct fx *f, const char *name);

/* A parameter's first word as a number, or def when absent. */
double fx_num(const struct fx *f, const char *key, double def);

/* The names listed in index.txt (malloc'ed, NULL-terminated); NULL on failure. */
char **fx_index(void);
void fx_index_free(char **names);

#include <check.h>

/* The datasets suite's "errors" test case (test_datasets_errors.c). */
TCase *datasets_errors_tcase(void);

#endif
