/*
 * Tables: a file's columns (csv.c or npy.c) split into features and a
 * target, the target turned into class ids or regression outputs, and the
 * names. The format is told by the first bytes: the .npy magic, the gzip
 * magic (decompressed, then told again), else text.
 *
 * Cells are parsed in file order, each into its place at once, so the
 * first error in the file is the one reported; the cells of an ignored
 * column are not parsed at all. The C x N matrix of all columns becomes the F x N
 * feature matrix in place: the targets are copied out, then each column
 * (sample) is moved down over the target and ignored cells -- a move that never
 * overwrites a cell not yet moved, since sample j's features land at or
 * before where they were.
 */
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn_internal.h"
#include "table_internal.h"

#define NAME_LIST 160 /* characters of column names a message lists */

NN_EXPORT nn_table_options nn_table_defaults(void)
{
	return (nn_table_options){
		.delimiter = 0,
		.header = -1,
		.comment = '#',
		.target = NULL,
		.task = NN_TASK_AUTO,
		.max_rows = NN_ALL,
		.ignore = NULL,
	};
}

/* ---- names: one allocation per array ------------------------------------ */

int nn__names_new(nn__names *s, size_t n, size_t bytes)
{
	*s = (nn__names){ 0 };
	if (n == 0)
		return 0;
	if (n > (SIZE_MAX - bytes) / sizeof(char *))
		return NN_ESIZE;
	s->v = malloc(n * sizeof(char *) + bytes);
	if (!s->v)
		return NN_ENOMEM;
	s->next = (char *)(s->v + n);
	return 0;
}

char *nn__names_add(nn__names *s, const char *p, size_t len)
{
	char *q = s->next;
	memcpy(q, p, len);
	q[len] = '\0';
	s->v[s->n++] = q;
	s->next += len + 1;
	return q;
}

/* "<prefix><k>" for k = 1 .. n ("x1", "x2", ...). */
static int numbered(char ***out, const char *prefix, size_t n)
{
	size_t bytes = 0;
	for (size_t k = 1; k <= n; k++)
		bytes += (size_t)snprintf(NULL, 0, "%s%zu", prefix, k) + 1;
	nn__names s;
	int rc = nn__names_new(&s, n, bytes);
	if (rc < 0)
		return rc;
	for (size_t k = 1; k <= n; k++) {
		int w = sprintf(s.next, "%s%zu", prefix, k);
		s.v[s.n++] = s.next;
		s.next += w + 1;
	}
	*out = s.v;
	return 0;
}

/* The names of columns cols[0 .. n) of the header. */
static int pick(char ***out, char **names, const size_t *cols, size_t n)
{
	size_t bytes = 0;
	for (size_t i = 0; i < n; i++)
		bytes += strlen(names[cols[i]]) + 1;
	nn__names s;
	int rc = nn__names_new(&s, n, bytes);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		nn__names_add(&s, names[cols[i]], strlen(names[cols[i]]));
	*out = s.v;
	return 0;
}

void nn__cols_free(nn__cols *c)
{
	free(c->v);
	free(c->names);
	free(c->pool);
	free(c->text_off);
	*c = (nn__cols){ .text_col = SIZE_MAX };
}

/* ---- options and the target --------------------------------------------------- */

static int check_options(const nn_table_options *o, const char *name, char *err)
{
	unsigned char d = (unsigned char)o->delimiter, cm = (unsigned char)o->comment;
	if (o->header < -1 || o->header > 1)
		return nn__fail(err, NN_EINVAL, "%s: header %d: -1 (detect), 0 or 1", name, o->header);
	if ((unsigned)o->task > NN_TASK_NONE)
		return nn__fail(err, NN_EINVAL, "%s: task %d is not an nn_task", name, (int)o->task);
	if (o->max_rows == 0)
		return nn__fail(err, NN_EINVAL, "%s: max_rows 0 keeps no row (NN_ALL keeps all)", name);
	if (d == '"' || d == '\n' || d == '\r' || d == ' ')
		return nn__fail(err, NN_EINVAL,
				"%s: delimiter 0x%02x: a quote, line end or space cannot be one", name,
				d);
	if (cm == '"' || cm == '\n' || cm == '\r')
		return nn__fail(err, NN_EINVAL,
				"%s: comment 0x%02x: a quote or line end cannot be one", name, cm);
	if (d && d == cm)
		return nn__fail(err, NN_EINVAL, "%s: the delimiter and the comment are both 0x%02x",
				name, d);
	int none = o->target && !o->target[0];
	if (o->task == NN_TASK_NONE && o->target && !none)
		return nn__fail(err, NN_EINVAL, "%s: task NONE, but a target is given", name);
	if ((o->task == NN_TASK_CLASSIFY || o->task == NN_TASK_REGRESS) && none)
		return nn__fail(err, NN_EINVAL, "%s: task %s needs a target, not \"\"", name,
				o->task == NN_TASK_CLASSIFY ? "CLASSIFY" : "REGRESS");
	return 0;
}

/* The column whose header name is p[0 .. len); *count of them. */
static size_t find_name(char **names, size_t C, const char *p, size_t len, size_t *count)
{
	size_t k = SIZE_MAX;
	*count = 0;
	for (size_t i = 0; names && i < C; i++)
		if (strlen(names[i]) == len && memcmp(names[i], p, len) == 0) {
			if (!(*count)++)
				k = i;
		}
	return k;
}

/* An index item: digits, with '-' counting from the end. 0 if it is not one. */
static int index_item(size_t *k, const char *p, size_t len, size_t C)
{
	int neg = len && p[0] == '-';
	size_t i = neg, v = 0;
	if (i == len)
		return 0;
	for (; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		v = v > C ? v : v * 10 + (size_t)(p[i] - '0'); /* past C it only needs to stay past */
	}
	if (neg ? (v == 0 || v > C) : v >= C)
		return -1;
	*k = neg ? C - v : v;
	return 1;
}

/* "a, b, c, ..." for a message. */
static const char *list_names(char out[NAME_LIST], char **names, size_t C)
{
	size_t at = 0;
	out[0] = '\0';
	for (size_t i = 0; i < C; i++) {
		char safe[NN__SAFE_LEN];
		nn__printable(safe, names[i], strlen(names[i]));
		if (at + strlen(safe) + 8 >= NAME_LIST) {
			snprintf(out + at, NAME_LIST - at, "%s...", i ? ", " : "");
			break;
		}
		at += (size_t)snprintf(out + at, NAME_LIST - at, "%s%s", i ? ", " : "", safe);
	}
	return out;
}

/*
 * The columns a list names (the option `what`: "target" or "ignore"):
 * col[0 .. *n) in the order given, each marked `as` in mark (C bytes, 0 for
 * a column not named yet). The items are comma-separated, each a header
 * name or an index, unless the whole list is a header name.
 */
static int named_columns(size_t *col, size_t *n, unsigned char *mark, unsigned char as,
			 const char *what, const char *spec, char **names, size_t C,
			 const char *name, char *err)
{
	size_t count, k;
	*n = 0;
	if ((k = find_name(names, C, spec, strlen(spec), &count)) != SIZE_MAX && count == 1) {
		char safe[NN__SAFE_LEN];
		if (mark[k])
			return nn__fail(err, NN_EINVAL, "%s: column '%s' is both a target and ignored",
					name, nn__printable(safe, spec, strlen(spec)));
		mark[k] = as;
		col[(*n)++] = k;
		return 0;
	}
	for (const char *p = spec;; p++) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char safe[NN__SAFE_LEN], list[NAME_LIST];
		while (len && *p == ' ')
			p++, len--;
		while (len && p[len - 1] == ' ')
			len--;
		nn__printable(safe, p, len);
		if (len == 0)
			return nn__fail(err, NN_EINVAL, "%s: %s \"%s\" has an empty item", name, what,
					spec);
		k = find_name(names, C, p, len, &count);
		if (count > 1)
			return nn__fail(err, NN_EINVAL, "%s: %s '%s' names %zu columns; give its index",
					name, what, safe, count);
		int r = count ? 1 : index_item(&k, p, len, C);
		if (r < 0)
			return nn__fail(err, NN_EINVAL, "%s: %s index %s is out of range: %zu columns",
					name, what, safe, C);
		if (r == 0 && names)
			return nn__fail(err, NN_EINVAL, "%s: %s '%s' is not a column (columns: %s)",
					name, what, safe, list_names(list, names, C));
		if (r == 0)
			return nn__fail(err, NN_EINVAL,
					"%s: %s '%s' is not a column: without a header, give a "
					"0-based index (%zu columns)", name, what, safe, C);
		if (mark[k] == as)
			return nn__fail(err, NN_EINVAL, "%s: %s '%s' is listed twice", name, what,
					safe);
		if (mark[k])
			return nn__fail(err, NN_EINVAL, "%s: column '%s' is both a target and ignored",
					name, safe);
		mark[k] = as;
		col[(*n)++] = k;
		if (!e)
			break;
		p = e;
	}
	return 0;
}

/*
 * The columns ignored (marked NN__COL_IGNORED in mark, which has C bytes)
 * and the target columns, tcol[0 .. *T) in the order the option lists them
 * (marked NN__COL_TARGET). No target for "" or task NONE; for NULL the last
 * column not ignored; else the columns the option names.
 */
static int targets(size_t *tcol, size_t *T, unsigned char *mark, const nn_table_options *o,
		   char **names, size_t C, const char *name, char *err)
{
	const char *spec = o->target;
	size_t I = 0;
	int rc;
	*T = 0;
	/* tcol has room for C columns: the ignored ones go there first, then
	 * the targets over them */
	if (o->ignore && o->ignore[0] &&
	    (rc = named_columns(tcol, &I, mark, NN__COL_IGNORED, "ignore", o->ignore, names, C,
				name, err)) < 0)
		return rc;
	if (I == C)
		return nn__fail(err, NN_ESIZE, "%s: every column (%zu) is ignored", name, C);
	if (o->task == NN_TASK_NONE || (spec && !spec[0])) {
		*T = 0;
	} else if (!spec) {
		size_t k = C - 1;
		while (mark[k])
			k--;
		mark[k] = NN__COL_TARGET;
		tcol[0] = k;
		*T = 1;
	} else if ((rc = named_columns(tcol, T, mark, NN__COL_TARGET, "target", spec, names, C,
				       name, err)) < 0) {
		return rc;
	}
	if (o->task == NN_TASK_CLASSIFY && *T > 1)
		return nn__fail(err, NN_EINVAL, "%s: task CLASSIFY takes one target column, not %zu",
				name, *T);
	if (*T + I == C && I == 0)
		return nn__fail(err, NN_ESIZE,
				"%s: no feature column: the %zu column%s the target (target \"\" "
				"reads them as features)", name, C, C == 1 ? " is" : "s are");
	if (*T + I == C)
		return nn__fail(err, NN_ESIZE,
				"%s: no feature column: of the %zu columns, %zu %s the target and "
				"%zu %s ignored", name, C, *T, *T == 1 ? "is" : "are", I,
				I == 1 ? "is" : "are");
	return 0;
}

/* ---- the target --------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* An integer's digits, else the shortest decimal text that reads back as v
 * (C locale: the caller's). */
static int shortest(char out[32], double v)
{
	if (v == floor(v) && fabs(v) < 0x1p53)
		return snprintf(out, 32, "%.0f", v);
	int w = 0;
	for (int prec = 1; prec <= 17; prec++) {
		w = snprintf(out, 32, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			break;
	}
	return w;
}

/*
 * Class ids from the numbers of column k into ids (N of them), their names
 * into *names: the numbers themselves when they are all integers in
 * [0, NN_TABLE_MAX_KEPT_ID], else their ranks among the distinct values.
 * 0 or NN_ENOMEM.
 */
static int classes_numeric(int *ids, nn__names *names, const nn__cols *cols, size_t k)
{
	size_t C = cols->C, N = cols->N, n_classes = 0;
	double max = 0.0;
	int kept = 1;
	for (size_t j = 0; j < N; j++) {
		double v = cols->v[k + j * C];
		if (!(v >= 0.0 && v <= NN_TABLE_MAX_KEPT_ID && v == floor(v)))
			kept = 0;
		else if (v > max)
			max = v;
	}
	if (kept) {
		n_classes = (size_t)max + 1;
		for (size_t j = 0; j < N; j++)
			ids[j] = (int)cols->v[k + j * C];
		if (nn__names_new(names, n_classes, n_classes * 6) < 0) /* at most "65535" */
			return NN_ENOMEM;
		for (size_t c = 0; c < n_classes; c++) {
			char b[32];
			nn__names_add(names, b, (size_t)snprintf(b, sizeof b, "%zu", c));
		}
		return 0;
	}
	double *u = malloc(N * sizeof(double));
	if (!u)
		return NN_ENOMEM;
	for (size_t j = 0; j < N; j++)
		u[j] = cols->v[k + j * C] + 0.0; /* -0 is 0 */
	qsort(u, N, sizeof(double), cmp_double);
	for (size_t j = 0; j < N; j++)
		if (j == 0 || u[j] != u[n_classes - 1])
			u[n_classes++] = u[j];
	for (size_t j = 0; j < N; j++) {
		double v = cols->v[k + j * C] + 0.0;
		const double *f = bsearch(&v, u, n_classes, sizeof(double), cmp_double);
		ids[j] = (int)(f - u);
	}
	int rc = nn__names_new(names, n_classes, n_classes * 32);
	for (size_t c = 0; rc == 0 && c < n_classes; c++) {
		char b[32];
		nn__names_add(names, b, (size_t)shortest(b, u[c]));
	}
	free(u);
	return rc < 0 ? NN_ENOMEM : 0;
}

typedef struct text_entry {
	const char *s;
	size_t row;
} text_entry;

static int cmp_text(const void *a, const void *b)
{
	return strcmp(((const text_entry *)a)->s, ((const text_entry *)b)->s);
}

/* Class ids from the texts of the text column, their ranks in byte order,
 * into ids, and the texts into *names. 0 or NN_ENOMEM. */
static int classes_text(int *ids, nn__names *names, const nn__cols *cols)
{
	size_t N = cols->N, n_classes = 0, bytes = 0;
	text_entry *e = malloc(N * sizeof(text_entry));
	if (!e)
		return NN_ENOMEM;
	for (size_t j = 0; j < N; j++)
		e[j] = (text_entry){ .s = cols->pool + cols->text_off[j], .row = j };
	qsort(e, N, sizeof *e, cmp_text);
	for (size_t j = 0; j < N; j++) {
		if (j == 0 || strcmp(e[j].s, e[j - 1].s) != 0) {
			n_classes++;
			bytes += strlen(e[j].s) + 1;
		}
		ids[e[j].row] = (int)(n_classes - 1);
	}
	int rc = nn__names_new(names, n_classes, bytes);
	for (size_t j = 0; rc == 0 && j < N; j++)
		if (j == 0 || strcmp(e[j].s, e[j - 1].s) != 0)
			nn__names_add(names, e[j].s, strlen(e[j].s));
	free(e);
	return rc < 0 ? NN_ENOMEM : 0;
}

/* NN_TASK_AUTO with one numeric target: classes when every value is integral. */
static int integral(const nn__cols *cols, size_t k)
{
	for (size_t j = 0; j < cols->N; j++) {
		double v = cols->v[k + j * cols->C];
		if (v != floor(v))
			return 0;
	}
	return 1;
}

/* Take the target and the ignored columns out of cols and make t: the task,
 * the target, the names, x (the columns mark leaves unmarked). */
static int build(nn_table *t, nn__cols *cols, const size_t *tcol, size_t T,
		 const unsigned char *mark, nn_task task, const char *name, char *err)
{
	size_t C = cols->C, N = cols->N, F = 0;
	for (size_t k = 0; k < C; k++)
		F += !mark[k];
	int text = cols->text_col != SIZE_MAX && !cols->text_numeric;
	int rc = 0;
	if (T == 0)
		t->task = NN_TASK_NONE;
	else if (task == NN_TASK_REGRESS || T > 1)
		t->task = NN_TASK_REGRESS;
	else if (task == NN_TASK_CLASSIFY || text || integral(cols, tcol[0]))
		t->task = NN_TASK_CLASSIFY;
	else
		t->task = NN_TASK_REGRESS;
	t->n_targets = T;
	if (t->task == NN_TASK_REGRESS) {
		if ((rc = nn_matrix_new(&t->y, T, N)) < 0)
			return nn__fail(err, rc, "%s: out of memory for %zu x %zu targets", name, T, N);
		for (size_t j = 0; j < N; j++)
			for (size_t i = 0; i < T; i++)
				t->y.data[i + j * T] = cols->v[tcol[i] + j * C];
	} else if (t->task == NN_TASK_CLASSIFY) {
		if (N > INT_MAX) /* ids are ints */
			return nn__fail(err, NN_ESIZE, "%s: %zu rows: too many for class labels",
					name, N);
		nn__names names = { 0 };
		int *ids = malloc(N * sizeof(int));
		rc = !ids ? NN_ENOMEM : text ? classes_text(ids, &names, cols)
					     : classes_numeric(ids, &names, cols, tcol[0]);
		if (rc < 0) {
			free(ids);
			return nn__fail(err, rc, "%s: out of memory for the classes of %zu rows",
					name, N);
		}
		t->labels = (nn_labels){ .n = N, .data = ids, .owner = 1 };
		t->n_classes = names.n;
		t->class_names = names.v;
	}
	if (cols->names) {
		size_t *fcol = malloc(F * sizeof(size_t));
		if (!fcol)
			return nn__fail(err, NN_ENOMEM, "%s: out of memory", name);
		for (size_t k = 0, f = 0; k < C; k++)
			if (!mark[k])
				fcol[f++] = k;
		rc = pick(&t->feature_names, cols->names, fcol, F);
		free(fcol);
		if (rc == 0)
			rc = pick(&t->target_names, cols->names, tcol, T);
	} else {
		rc = numbered(&t->feature_names, "x", F);
		if (rc == 0 && T == 1) {
			nn__names s;
			if ((rc = nn__names_new(&s, 1, 2)) == 0)
				nn__names_add(&s, "y", 1);
			t->target_names = s.v;
		} else if (rc == 0) {
			rc = numbered(&t->target_names, "y", T);
		}
	}
	if (rc < 0)
		return nn__fail(err, rc, "%s: out of memory for the column names", name);
	/* x in place: sample j's F features move to j * F (the file comment says
	 * why no cell is overwritten before it moved) */
	double *v = cols->v;
	if (F < C) {
		for (size_t j = 0; j < N; j++) {
			const double *src = v + j * C;
			double *dst = v + j * F;
			for (size_t k = 0, f = 0; k < C; k++)
				if (!mark[k])
					dst[f++] = src[k];
		}
	}
	double *shrunk = realloc(v, F * N * sizeof(double));
	if (shrunk)
		v = shrunk;
	cols->v = NULL;
	t->x = (nn_matrix){ .rows = F, .cols = N, .ld = F, .data = v, .owner = 1 };
	return 0;
}

/* ---- the window ---------------------------------------------------------------------- */

void nn__win_mem(nn__win *w, const void *buf, size_t len, const char *name)
{
	*w = (nn__win){ .s = buf ? buf : (const void *)"", .n = len, .eof = 1, .name = name };
}

void nn__win_stream(nn__win *w, nn__read_fn read, void *ctx, size_t chunk, const char *name)
{
	*w = (nn__win){ .s = (const unsigned char *)"", .chunk = chunk ? chunk : 1, .read = read,
			.ctx = ctx, .name = name };
}

void nn__win_free(nn__win *w)
{
	free(w->own);
	w->own = NULL;
	w->s = (const unsigned char *)"";
	w->n = w->cap = 0;
}

int nn__win_more(nn__win *w, size_t drop, char *err)
{
	if (w->pending) {
		if (err)
			memcpy(err, w->pending_err, NN_TABLE_ERROR_LEN);
		return w->pending;
	}
	if (w->eof)
		return 0;
	if (drop) {
		memmove(w->own, w->own + drop, w->n - drop);
		w->n -= drop;
	}
	if (w->max && w->n >= w->max)
		return nn__fail(err, NN_ESIZE, "%s: more than %zu bytes to hold at once", w->name,
				w->max);
	if (w->cap - w->n < w->chunk) {
		/* full: a row longer than what is free; double (at least a chunk more) */
		size_t cap = w->cap > SIZE_MAX / 2 ? SIZE_MAX : w->cap * 2;
		if (cap - w->n < w->chunk)
			cap = w->n > SIZE_MAX - w->chunk ? SIZE_MAX : w->n + w->chunk;
		if (w->max && cap > w->max)
			cap = w->max;
		unsigned char *p = realloc(w->own, cap);
		if (!p)
			return nn__fail(err, NN_ENOMEM, "%s: out of memory for %zu bytes of text",
					w->name, cap);
		w->own = p;
		w->cap = cap;
	}
	size_t got = 0;
	char msg[NN_TABLE_ERROR_LEN] = "";
	int rc = w->read(w->ctx, w->own + w->n, w->cap - w->n, &got, msg);
	w->n += got;
	w->s = w->own;
	if (rc < 0 && got > 0) {
		w->pending = rc;
		memcpy(w->pending_err, msg, sizeof msg);
		return 0;
	}
	if (rc < 0) {
		if (err)
			memcpy(err, msg, sizeof msg);
		return rc;
	}
	w->eof = got == 0;
	return 0;
}

int nn__win_all(nn__win *w, char *err)
{
	while (!w->eof || w->pending) {
		/* read the rest in chunks that grow with it: a linear cost */
		if (w->chunk < w->n)
			w->chunk = w->n;
		int rc = nn__win_more(w, 0, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* At least k bytes in the window, unless the input is shorter. */
static int win_fill(nn__win *w, size_t k, char *err)
{
	int rc = 0;
	while (w->n < k && !w->eof && (rc = nn__win_more(w, 0, err)) == 0)
		;
	return rc;
}

int nn__src_reader(void *s, unsigned char *buf, size_t n, size_t *got, char *err)
{
	return nn__src_read(s, buf, n, got, err);
}

/* ---- the formats ------------------------------------------------------------------ */

static int read_npy(nn__cols *cols, nn__win *w, size_t max_rows, char *err)
{
	nn__npy h;
	int rc = nn__win_all(w, err);
	if (rc == 0)
		rc = nn__npy_parse(&h, w->s, w->n, w->name, err);
	if (rc < 0)
		return rc;
	cols->C = h.d;
	cols->N = h.n < max_rows ? h.n : max_rows;
	/* n * d items take at least n * d bytes of the input: no overflow */
	if (!(cols->v = malloc(cols->C * cols->N * sizeof(double))))
		return nn__fail(err, NN_ENOMEM, "%s: out of memory for %zu x %zu doubles", w->name,
				cols->C, cols->N);
	return nn__npy_convert(cols->v, &h, w->s, cols->N, w->name, err);
}

/* Read w (no locale switch: the caller's), gzip-compressed once at most. */
static int parse(nn_table *t, nn__win *w, const nn_table_options *o, int gz_ok, char *err)
{
	nn__cols cols = { .text_col = SIZE_MAX };
	nn__csv csv = { 0 };
	size_t *tcol = NULL, T = 0;
	unsigned char *mark = NULL;
	int rc = win_fill(w, 6, err), npy;
	if (rc < 0)
		return rc;
	if (gz_ok && !w->inflated && w->n >= 2 && w->s[0] == 0x1f && w->s[1] == 0x8b) {
		/* the compressed bytes in memory, inflated as the text is read */
		nn__src s;
		nn__win z;
		/* a stream keeps its chunk (taken before win_all grows it); inflating
		 * a buffer, 64 KiB at a time is as fast and costs less for small ones */
		size_t chunk = w->read ? w->chunk : (size_t)1 << 16;
		if ((rc = nn__win_all(w, err)) < 0 ||
		    (rc = nn__src_open_mem(&s, w->s, w->n, w->name, err)) < 0)
			return rc;
		nn__win_stream(&z, nn__src_reader, &s, chunk, w->name);
		z.max = NN__TABLE_MAX_INFLATED;
		rc = parse(t, &z, o, 0, err);
		nn__win_free(&z);
		nn__src_close(&s);
		return rc;
	}
	if ((npy = nn__npy_magic(w->s, w->n)))
		rc = read_npy(&cols, w, o->max_rows, err);
	else
		rc = nn__csv_start(&csv, &cols, w, o, err);
	if (rc < 0)
		goto out;
	/* at most one target per column; the option's items are bounded by C too */
	tcol = malloc(cols.C * sizeof(size_t));
	mark = calloc(cols.C, 1);
	if (!tcol || !mark) {
		rc = nn__fail(err, NN_ENOMEM, "%s: out of memory for %zu columns", w->name, cols.C);
		goto out;
	}
	if ((rc = targets(tcol, &T, mark, o, cols.names, cols.C, w->name, err)) < 0)
		goto out;
	if (!npy) {
		/* the one target column that may name classes; the ignored ones unread */
		if (T == 1 && (o->task == NN_TASK_AUTO || o->task == NN_TASK_CLASSIFY))
			cols.text_col = tcol[0];
		cols.mark = mark;
		if ((rc = nn__csv_rows(&csv, &cols, o->max_rows, err)) < 0)
			goto out;
	}
	rc = build(t, &cols, tcol, T, mark, o->task, w->name, err);
out:
	nn__csv_end(&csv);
	nn__cols_free(&cols);
	free(tcol);
	free(mark);
	return rc;
}

/* After a failure: free what t holds but its error, and record the detail. */
static int failed(nn_table *t, int rc)
{
	char msg[NN_TABLE_ERROR_LEN];
	memcpy(msg, t->error, sizeof msg);
	nn_table_free(t);
	memcpy(t->error, msg, sizeof msg);
	if (!t->error[0])
		snprintf(t->error, sizeof t->error, "%s", nn_strerror(rc));
	return nn__errorf(rc, "%s", t->error);
}

/* parse() in the C locale, so that "1.5" is a number under any LC_NUMERIC. */
int nn__table_read_win(nn_table *t, nn__win *w, const nn_table_options *opt)
{
	char *err = t->error;
	nn_table_options o = opt ? *opt : nn_table_defaults();
	int rc = check_options(&o, w->name, err);
	if (rc < 0)
		return failed(t, rc);
	locale_t c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	if (c_locale == (locale_t)0)
		return failed(t, nn__fail(err, NN_ENOMEM, "%s: cannot make the C locale", w->name));
	locale_t old = uselocale(c_locale);
	rc = parse(t, w, &o, 1, err);
	uselocale(old);
	freelocale(c_locale);
	return rc < 0 ? failed(t, rc) : 0;
}

/* ---- the public functions ------------------------------------------------------ */

NN_EXPORT int nn_table_read_buffer(nn_table *t, const void *buf, size_t len, const char *name,
				   const nn_table_options *opt)
{
	nn__clear_error();
	if (!t)
		return NN_ENULL;
	memset(t, 0, sizeof *t);
	if (!buf && len)
		return failed(t, NN_ENULL);
	nn__win w;
	nn__win_mem(&w, buf, len, name ? name : "<buffer>");
	return nn__table_read_win(t, &w, opt);
}

NN_EXPORT int nn_table_read(nn_table *t, const char *path, const nn_table_options *opt)
{
	nn__clear_error();
	if (!t)
		return NN_ENULL;
	memset(t, 0, sizeof *t);
	if (!path)
		return failed(t, NN_ENULL);
	/* a regular file only, never blocking on a FIFO; gzip inflated as read */
	nn__src s;
	int rc = nn__src_open_file(&s, path, t->error);
	if (rc < 0)
		return failed(t, rc);
	nn__win w;
	nn__win_stream(&w, nn__src_reader, &s, NN__WIN_CHUNK, path);
	w.inflated = 1;
	if (s.gz)
		w.max = NN__TABLE_MAX_INFLATED;
	rc = nn__table_read_win(t, &w, opt);
	nn__win_free(&w);
	nn__src_close(&s);
	return rc;
}

NN_EXPORT void nn_table_free(nn_table *t)
{
	if (!t)
		return;
	nn_matrix_free(&t->x);
	nn_labels_free(&t->labels);
	nn_matrix_free(&t->y);
	free(t->feature_names);
	free(t->target_names);
	free(t->class_names);
	memset(t, 0, sizeof *t);
}
