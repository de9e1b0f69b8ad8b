/*
 * Shared parts of the lecture programs: flags, seed, output checks, the
 * training report, CSV and PNG output.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "canvas.h"
#include "cli.h"
#include "dist.h"
#include "plot.h"
#include "png.h"

void ex_error(const char *prog, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* An unsigned decimal integer, the whole string, no sign or space. */
static int parse_uint(const char *s, unsigned long long *out)
{
	if (!*s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || errno == ERANGE)
		return -1;
	*out = v;
	return 0;
}

static int parse_double(const char *s, double *out)
{
	if (!*s || *s == ' ' || *s == '\t')
		return -1;
	errno = 0;
	char *end;
	double v = strtod(s, &end);
	if (*end)
		return -1;
	*out = v;
	return 0;
}

/* Store the value of one flag; on error print it and return EX_USAGE. */
static int set_value(const char *prog, const ex_flag *f, const char *v)
{
	unsigned long long u;
	double d, r[2];
	switch (f->kind) {
	case EX_SIZE: {
		size_t max = f->max ? f->max : SIZE_MAX;
		if (*v == '-' && parse_double(v, &d) == 0) {
			ex_error(prog, "%s: '%s' is negative; give an integer from %zu to %zu", f->name, v,
				 f->min, max);
			return EX_USAGE;
		}
		if (parse_uint(v, &u) != 0) {
			ex_error(prog, "%s: '%s' is not a whole number", f->name, v);
			return EX_USAGE;
		}
		if (u < f->min || u > max) {
			ex_error(prog, "%s: %s is out of range; give an integer from %zu to %zu", f->name,
				 v, f->min, max);
			return EX_USAGE;
		}
		*(size_t *)f->value = (size_t)u;
		return 0;
	}
	case EX_U32:
		if (parse_uint(v, &u) != 0 || u > UINT32_MAX) {
			ex_error(prog, "%s: '%s' is not an integer from 0 to 4294967295", f->name, v);
			return EX_USAGE;
		}
		*(uint32_t *)f->value = (uint32_t)u;
		return 0;
	case EX_POS:
	case EX_NONNEG:
		if (parse_double(v, &d) != 0) {
			ex_error(prog, "%s: '%s' is not a number", f->name, v);
			return EX_USAGE;
		}
		if (!isfinite(d)) {
			ex_error(prog, "%s: %s is not finite", f->name, v);
			return EX_USAGE;
		}
		if (f->kind == EX_POS ? !(d > 0) : !(d >= 0)) {
			ex_error(prog, "%s: %s is out of range; it must be %s", f->name, v,
				 f->kind == EX_POS ? "greater than 0" : "0 or more");
			return EX_USAGE;
		}
		*(double *)f->value = d;
		return 0;
	case EX_RANGE: {
		const char *comma = strchr(v, ',');
		char lo[64];
		size_t n = comma ? (size_t)(comma - v) : 0;
		if (!comma || n >= sizeof(lo)) {
			ex_error(prog, "%s: '%s' is not LO,HI", f->name, v);
			return EX_USAGE;
		}
		memcpy(lo, v, n);
		lo[n] = '\0';
		if (parse_double(lo, &r[0]) != 0 || parse_double(comma + 1, &r[1]) != 0) {
			ex_error(prog, "%s: '%s' is not LO,HI (two numbers)", f->name, v);
			return EX_USAGE;
		}
		if (!isfinite(r[0]) || !isfinite(r[1]) || !(r[0] < r[1])) {
			ex_error(prog, "%s: %s is not a finite range with LO < HI", f->name, v);
			return EX_USAGE;
		}
		memcpy(f->value, r, sizeof(r));
		return 0;
	}
	case EX_STRING:
		if (!*v) {
			ex_error(prog, "%s: empty value", f->name);
			return EX_USAGE;
		}
		if (f->repeat) {
			ex_strings *list = f->value;
			if (list->n == EX_MAX_REPEAT) {
				ex_error(prog, "%s: given more than %d times", f->name, EX_MAX_REPEAT);
				return EX_USAGE;
			}
			list->v[list->n++] = v;
		} else {
			*(const char **)f->value = v;
		}
		return 0;
	case EX_CHOICE:
		for (int i = 0; f->choices[i]; i++)
			if (strcmp(v, f->choices[i]) == 0) {
				*(int *)f->value = i;
				return 0;
			}
		fprintf(stderr, "%s: %s: unknown value '%s'; choose one of", prog, f->name, v);
		for (int i = 0; f->choices[i]; i++)
			fprintf(stderr, "%s %s", i ? "," : "", f->choices[i]);
		fputc('\n', stderr);
		return EX_USAGE;
	}
	return EX_USAGE;
}

int ex_parse(int argc, char **argv, const char *prog, const ex_flag *flags, size_t nflags,
	     const char *usage)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			fputs(usage, stdout);
			return EX_OK;
		}
		if (strncmp(arg, "--", 2) != 0 || !arg[2]) {
			ex_error(prog, "unexpected argument '%s' (see --help)", arg);
			return EX_USAGE;
		}
		const char *eq = strchr(arg, '=');
		size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
		const ex_flag *f = NULL;
		for (size_t k = 0; k < nflags; k++)
			if (strlen(flags[k].name) == len && strncmp(flags[k].name, arg, len) == 0)
				f = &flags[k];
		if (!f) {
			ex_error(prog, "unknown option '%.*s' (see --help)", (int)len, arg);
			return EX_USAGE;
		}
		if (f->given && *f->given && !f->repeat) {
			ex_error(prog, "%s: given twice", f->name);
			return EX_USAGE;
		}
		const char *v = eq ? eq + 1 : NULL;
		if (!v) {
			if (i + 1 >= argc) {
				ex_error(prog, "%s: missing value", f->name);
				return EX_USAGE;
			}
			v = argv[++i];
		}
		int rc = set_value(prog, f, v);
		if (rc)
			return rc;
		if (f->given)
			*f->given = 1;
	}
	return -1;
}

uint32_t ex_seed(int given, uint32_t seed)
{
	if (given)
		return seed;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	/* Mix seconds, nanoseconds and the pid so that runs in the same second differ. */
	uint64_t x = (uint64_t)ts.tv_sec * 0x9e3779b97f4a7c15u ^ (uint64_t)ts.tv_nsec ^
		     (uint64_t)getpid() << 32;
	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9u;
	x ^= x >> 29;
	return (uint32_t)x;
}

int ex_check_output(const char *prog, const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		ex_error(prog, "%s: is a directory", path);
		return EX_RUNTIME;
	}
	size_t n = strlen(path);
	char *dir = malloc(n + 2);
	if (!dir) {
		ex_error(prog, "%s", strerror(ENOMEM));
		return EX_RUNTIME;
	}
	memcpy(dir, path, n + 1);
	char *slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	int rc = 0;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		ex_error(prog, "%s: %s", path, stat(dir, &st) != 0 ? strerror(errno) : "not a directory above it");
		rc = EX_RUNTIME;
	} else if (access(dir, W_OK | X_OK) != 0) {
		ex_error(prog, "%s: %s", path, strerror(errno));
		rc = EX_RUNTIME;
	}
	free(dir);
	return rc;
}

void ex_report_init(ex_report *r, size_t every, size_t n, size_t steps, int record)
{
	*r = (ex_report){ .every = every, .n = n, .record = record, .stride = 1 };
	/* Keep at most about 100000 points: plenty for a picture 600 pixels wide. */
	if (steps > 100000)
		r->stride = (steps + 99999) / 100000;
}

void ex_report_free(ex_report *r)
{
	free(r->step);
	free(r->cost);
	free(r->best);
	r->step = r->cost = r->best = NULL;
	r->len = r->cap = 0;
}

double ex_percent(size_t count, size_t n)
{
	return (double)count * (100. / (double)n);
}

size_t ex_count(double fraction, size_t n)
{
	return (size_t)llround(fraction * (double)n);
}

int ex_report_cb(void *user, const nn_progress *p)
{
	ex_report *r = user;
	size_t step = p->step;
	double cost = p->cost, percent = ex_percent(p->best_correct, r->n);
	if (r->every && step % r->every == 0)
		printf("Best by step %zu: %.1f %%\n", step, percent);
	if (r->record && !r->oom && step % r->stride == 0) {
		if (r->len == r->cap) {
			size_t cap = r->cap ? 2 * r->cap : 1024;
			double *s = realloc(r->step, cap * sizeof(double));
			if (s)
				r->step = s;
			double *c = s ? realloc(r->cost, cap * sizeof(double)) : NULL;
			if (c)
				r->cost = c;
			double *b = c ? realloc(r->best, cap * sizeof(double)) : NULL;
			if (b)
				r->best = b;
			if (!b) {
				r->oom = 1;
				return 0;
			}
			r->cap = cap;
		}
		r->step[r->len] = (double)step;
		r->cost[r->len] = cost;
		r->best[r->len] = percent;
		r->len++;
	}
	return 0;
}

int ex_input_mode = NN_INPUT_AUTO;

int ex_train(const char *prog, nn_net *net, const nn_matrix *X, const nn_labels *y, double eta,
	     size_t steps, ex_report *rep, nn_train_result *res)
{
	nn_train_options opt = { .eta = eta, .steps = steps, .every = 1, .callback = ex_report_cb,
				 .user = rep, .input = (nn_input_mode)ex_input_mode };
	int rc = ex_dist_train_gd(net, X, y, &opt, res); /* X, y: this rank's shard */
	fflush(stdout);
	if (rc == NN_EDIVERGED) {
		ex_error(prog, "training diverged at step %zu (the cost is no longer finite; try a "
			 "smaller --eta); keeping the best model before it", res->steps_run - 1);
	} else if (rc) {
		ex_error(prog, "training: %s", nn_strerror(rc));
		return EX_RUNTIME;
	}
	if (rep->oom)
		ex_error(prog, "out of memory for the training history; the curve is cut short");
	/* best_accuracy is over every rank's samples (X is this rank's shard) */
	printf("Our best model gets %.1f percent correct!\n", 100.0 * res->best_accuracy);
	return 0;
}

int ex_correct(size_t *correct, const nn_net *net, const nn_matrix *X, const nn_labels *y)
{
	nn_workspace *ws = NULL;
	/* Whole data sets here are small (at most a few thousand samples). */
	int rc = nn_workspace_new(&ws, net, X->cols);
	if (rc == 0)
		rc = nn_evaluate(NULL, correct, ws, net, X, y);
	nn_workspace_free(ws);
	return rc;
}

static void csv_rows(FILE *f, const char *split, const nn_matrix *X, const nn_labels *y)
{
	for (size_t j = 0; j < X->cols; j++) {
		fprintf(f, "%s,%d", split, y->data[j]);
		for (size_t i = 0; i < X->rows; i++)
			fprintf(f, ",%.17g", NN_AT(X, i, j));
		fputc('\n', f);
	}
}

int ex_save_csv(const char *prog, const char *path, const nn_matrix *train_x,
		const nn_labels *train_y, const nn_matrix *test_x, const nn_labels *test_y)
{
	nn_atomic_file f;
	int rc = nn_atomic_open(&f, path);
	if (rc) {
		ex_error(prog, "%s: %s", path, rc == NN_EIO ? strerror(errno) : nn_strerror(rc));
		return EX_RUNTIME;
	}
	fputs("split,label", f.fp);
	for (size_t i = 0; i < train_x->rows; i++)
		fprintf(f.fp, ",x%zu", i + 1);
	fputc('\n', f.fp);
	csv_rows(f.fp, "train", train_x, train_y);
	csv_rows(f.fp, "test", test_x, test_y);
	if (nn_atomic_commit(&f) != 0) {
		ex_error(prog, "%s: %s", path, strerror(errno));
		return EX_RUNTIME;
	}
	return 0;
}

int ex_write_png(const char *prog, nn_canvas *c, const char *path)
{
	int rc = nn_canvas_write_png(c, path);
	int e = errno;
	nn_canvas_free(c);
	if (rc) {
		ex_error(prog, "%s: %s", path, rc == NN_EIO ? strerror(e) : nn_strerror(rc));
		return EX_RUNTIME;
	}
	return 0;
}

int ex_plot_curve(const char *prog, const ex_report *rep, const char *title, const char *path)
{
	nn_canvas c;
	int rc = nn_figure_history(&c, rep->step, rep->cost, rep->best, rep->len, title);
	if (rc) {
		ex_error(prog, "%s: %s", path, nn_strerror(rc));
		return EX_RUNTIME;
	}
	return ex_write_png(prog, &c, path);
}
