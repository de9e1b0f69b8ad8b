/*
 * libFuzzer target: nn_table_read_buffer() on arbitrary bytes -- text
 * mostly, but whatever the first bytes say (gzip, .npy) -- with the default
 * options and a few others that reach the other paths: no target, several
 * targets, a forced task, a given delimiter and header, a row limit.
 * The same bytes (up to 2 KiB) are also read as a stream, a few bytes at a
 * time (the sizes taken from the input): it must give the very same table
 * or error, else the target traps.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "io/table_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct trickle {
	const uint8_t *p;
	size_t len, pos, max;
} trickle;

static int trickle_read(void *ctx, unsigned char *buf, size_t n, size_t *got, char *err)
{
	trickle *t = ctx;
	(void)err;
	*got = n < t->max ? n : t->max;
	if (*got > t->len - t->pos)
		*got = t->len - t->pos;
	memcpy(buf, t->p + t->pos, *got);
	t->pos += *got;
	return 0;
}

static int same_names(char **a, char **b, size_t n)
{
	if (!a || !b)
		return a == b;
	for (size_t i = 0; i < n; i++)
		if (strcmp(a[i], b[i]) != 0)
			return 0;
	return 1;
}

static int same(const nn_table *a, int ra, const nn_table *b, int rb)
{
	if (ra != rb || strcmp(a->error, b->error) != 0)
		return 0;
	if (ra < 0)
		return 1;
	return a->task == b->task && a->x.rows == b->x.rows && a->x.cols == b->x.cols &&
	       memcmp(a->x.data, b->x.data, a->x.rows * a->x.cols * sizeof(double)) == 0 &&
	       a->y.rows == b->y.rows && a->y.cols == b->y.cols &&
	       (!a->y.data || memcmp(a->y.data, b->y.data, a->y.rows * a->y.cols * sizeof(double)) == 0) &&
	       a->labels.n == b->labels.n &&
	       (!a->labels.data || memcmp(a->labels.data, b->labels.data, a->labels.n * sizeof(int)) == 0) &&
	       a->n_classes == b->n_classes && a->n_targets == b->n_targets &&
	       same_names(a->feature_names, b->feature_names, a->x.rows) &&
	       same_names(a->target_names, b->target_names, a->n_targets) &&
	       same_names(a->class_names, b->class_names, a->n_classes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	nn_table_options o[6];
	for (int k = 0; k < 6; k++)
		o[k] = nn_table_defaults();
	o[1].target = "";
	o[2].target = "0,-1";
	o[2].task = NN_TASK_REGRESS;
	o[3].task = NN_TASK_CLASSIFY;
	o[3].target = "y";
	o[4].delimiter = ';';
	o[4].header = 0;
	o[4].comment = 0;
	o[5].max_rows = 2;
	o[5].header = 1;
	o[5].ignore = "1,split";
	for (int k = 0; k < 6; k++) {
		nn_table t, s;
		int rc = nn_table_read_buffer(&t, data, size, "fuzz.csv", &o[k]);
		/* the stream reads a row again whenever a read ends inside it: keep
		 * the inputs small enough for that to stay quick */
		if (k < 2 && size <= 2048) {
			trickle tr = { data, size, 0, size ? 1 + data[size - 1] % 61 : 1 };
			nn__win w;
			nn__win_stream(&w, trickle_read, &tr, 1 + (size ? data[0] % 61 : 0), "fuzz.csv");
			memset(&s, 0, sizeof s);
			int rs = nn__table_read_win(&s, &w, &o[k]);
			nn__win_free(&w);
			if (!same(&t, rc, &s, rs))
				__builtin_trap();
			nn_table_free(&s);
		}
		nn_table_free(&t);
	}
	return 0;
}
