/* Reader of the dataset golden files; see datasets_fixture.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datasets_fixture.h"

#ifndef NN_SOURCE_ROOT
#define NN_SOURCE_ROOT "."
#endif

const char *fx_dir(void)
{
	return NN_SOURCE_ROOT "/tests/data/datasets";
}

static FILE *open_fixture(const char *name)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", fx_dir(), name);
	return fopen(path, "r");
}

void fx_free(struct fx *f)
{
	for (size_t i = 0; i < f->n; i++) {
		for (size_t a = 0; a < f->e[i].nargs; a++)
			free(f->e[i].args[a]);
		free(f->e[i].args);
		free(f->e[i].v);
	}
	free(f->e);
	f->n = 0;
	f->e = NULL;
}

/* Split line into words (in place); returns the count, at most max. */
static size_t words(char *line, char **w, size_t max)
{
	size_t n = 0;
	for (char *tok = strtok(line, " \t\r\n"); tok && n < max; tok = strtok(NULL, " \t\r\n"))
		w[n++] = tok;
	return n;
}

static int read_values(FILE *fp, double *v, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (fscanf(fp, "%lf", &v[i]) != 1)
			return -1;
	return 0;
}

int fx_load(struct fx *f, const char *name)
{
	static char line[1 << 16];
	char *w[1024];
	f->n = 0;
	f->e = NULL;
	FILE *fp = open_fixture(name);
	if (!fp)
		return -1;
	size_t cap = 0;
	int err = 0;
	while (!err && fgets(line, sizeof(line), fp)) {
		if (line[0] == '#')
			continue;
		size_t nw = words(line, w, 1024);
		if (nw == 0)
			continue;
		if (f->n == cap) {
			cap = cap ? 2 * cap : 32;
			struct fx_entry *e = realloc(f->e, cap * sizeof(*e));
			if (!e) {
				err = -1;
				break;
			}
			f->e = e;
		}
		struct fx_entry *e = &f->e[f->n++];
		memset(e, 0, sizeof(*e));
		size_t first = 1, count = 0;
		if (strcmp(w[0], "array") == 0 && nw == 4) {
			e->kind = FX_ARRAY;
			snprintf(e->name, sizeof(e->name), "%s", w[1]);
			e->rows = strtoul(w[2], NULL, 10);
			e->cols = strtoul(w[3], NULL, 10);
			count = e->rows * e->cols;
			nw = 0;
		} else if (strcmp(w[0], "op") == 0 && nw >= 3) {
			e->kind = FX_OP;
			snprintf(e->name, sizeof(e->name), "%s", w[1]);
			first = 2;
			e->rows = 1;
			e->cols = count = strtoul(w[nw - 1], NULL, 10);
			nw--;
		} else {
			e->kind = FX_PARAM;
			snprintf(e->name, sizeof(e->name), "%s", w[0]);
		}
		if (nw > first) {
			e->nargs = nw - first;
			e->args = calloc(e->nargs, sizeof(char *));
			if (!e->args) {
				e->nargs = 0;
				err = -1;
				break;
			}
			for (size_t a = 0; a < e->nargs; a++)
				if (!(e->args[a] = strdup(w[first + a])))
					err = -1;
		}
		if (count) {
			e->v = malloc(count * sizeof(double));
			if (!e->v || read_values(fp, e->v, count))
				err = -1;
		}
	}
	fclose(fp);
	if (err)
		fx_free(f);
	return err;
}

static const struct fx_entry *find(const struct fx *f, enum fx_kind kind, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->e[i].kind == kind && strcmp(f->e[i].name, name) == 0)
			return &f->e[i];
	return NULL;
}

const struct fx_entry *fx_param(const struct fx *f, const char *key)
{
	return find(f, FX_PARAM, key);
}

const struct fx_entry *fx_array(const struct fx *f, const char *name)
{
	return find(f, FX_ARRAY, name);
}

double fx_num(const struct fx *f, const char *key, double def)
{
	const struct fx_entry *p = fx_param(f, key);
	if (!p || p->nargs == 0 || strcmp(p->args[0], "None") == 0)
		return def;
	return strtod(p->args[0], NULL);
}

char **fx_index(void)
{
	FILE *fp = open_fixture("index.txt");
	if (!fp)
		return NULL;
	char buf[256];
	size_t n = 0, cap = 8;
	char **names = calloc(cap, sizeof(char *));
	while (names && fscanf(fp, "%255s", buf) == 1) {
		if (n + 1 >= cap) {
			char **more = realloc(names, 2 * cap * sizeof(char *));
			if (!more) {
				fx_index_free(names);
				names = NULL;
				break;
			}
			names = more;
			memset(names + cap, 0, cap * sizeof(char *));
			cap *= 2;
		}
		names[n++] = strdup(buf);
	}
	fclose(fp);
	return names;
}

void fx_index_free(char **names)
{
	if (!names)
		return;
	for (size_t i = 0; names[i]; i++)
		free(names[i]);
	free(names);
}
