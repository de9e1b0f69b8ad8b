/*
 * nn-bench-chart: a bar chart of one column of nn-bench's CSV for one
 * workload, one bar per backend x threads, drawn with the project's plot
 * library and written through the program toolkit (tools/common): PNG
 * streamed into a temporary file renamed into place.
 *
 *   nn-bench-chart RESULTS.csv WORKLOAD COLUMN OUT.png [TITLE]
 *
 * COLUMN is a header name of the CSV: ms_per_step, gflops, gemm_floor_ms,
 * overhead_pct or speedup_vs_numpy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"
#include "tool-plot.h"

#define MAX_BARS 64
#define MAX_FIELDS 32

/* Split a CSV line (no quoted fields) in place; returns the field count. */
static int split(char *line, char **field)
{
	int n = 0;
	line[strcspn(line, "\r\n")] = '\0';
	for (char *p = line; n < MAX_FIELDS; n++) {
		field[n] = p;
		p = strchr(p, ',');
		if (!p)
			return n + 1;
		*p++ = '\0';
	}
	return n;
}

/* "openblas-pthread", "2" -> "ob-pth x2": short enough to sit under a bar. */
static void short_label(char *out, size_t len, const char *backend, const char *threads)
{
	static const char *const from[] = { "openblas", "pthread", "openmp", "serial" };
	static const char *const to[] = { "ob", "pth", "omp", "ser" };
	char b[64];
	size_t k = 0;
	for (const char *p = backend; *p && k + 1 < sizeof(b);) {
		size_t i;
		for (i = 0; i < 4; i++)
			if (!strncmp(p, from[i], strlen(from[i])))
				break;
		if (i < 4 && k + strlen(to[i]) + 1 < sizeof(b)) {
			memcpy(b + k, to[i], strlen(to[i]));
			k += strlen(to[i]);
			p += strlen(from[i]);
		} else {
			b[k++] = *p++;
		}
	}
	b[k] = '\0';
	snprintf(out, len, "%s x%s", b, threads);
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: %s RESULTS.csv WORKLOAD COLUMN OUT.png [TITLE]\n", argv[0]);
		return 2;
	}
	const char *workload = argv[2], *column = argv[3], *out = argv[4];
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	char line[2048], *field[MAX_FIELDS];
	double value[MAX_BARS];
	char labels[MAX_BARS][80];
	const char *label[MAX_BARS];
	size_t n = 0;
	int col = -1, c_backend = -1, c_threads = -1, c_workload = -1;
	if (fgets(line, sizeof(line), f)) {
		int nf = split(line, field);
		for (int i = 0; i < nf; i++) {
			if (!strcmp(field[i], column))
				col = i;
			else if (!strcmp(field[i], "backend"))
				c_backend = i;
			else if (!strcmp(field[i], "threads"))
				c_threads = i;
			else if (!strcmp(field[i], "workload"))
				c_workload = i;
		}
	}
	if (col < 0 || c_backend < 0 || c_threads < 0 || c_workload < 0) {
		fprintf(stderr, "%s: no column %s (or no backend/threads/workload)\n", argv[1], column);
		fclose(f);
		return 1;
	}
	while (n < MAX_BARS && fgets(line, sizeof(line), f)) {
		int nf = split(line, field);
		if (nf <= col || strcmp(field[c_workload], workload) || !field[col][0])
			continue;
		value[n] = strtod(field[col], NULL);
		if (value[n] < 0)
			value[n] = 0; /* a bar chart from 0; a negative overhead is noise */
		short_label(labels[n], sizeof(labels[n]), field[c_backend], field[c_threads]);
		label[n] = labels[n];
		n++;
	}
	fclose(f);
	if (n == 0) {
		fprintf(stderr, "%s: no rows for workload %s\n", argv[1], workload);
		return 1;
	}
	char title[160];
	snprintf(title, sizeof(title), "%s", argc > 5 ? argv[5] : workload);
	const char *fmt = strstr(column, "ms") ? "%.3g" : "%.1f";
	plot_canvas c;
	int rc = plot_figure_bars(&c, value, label, n, fmt, title, column);
	if (rc) {
		fprintf(stderr, "%s: cannot draw the chart: %s\n", out, nn_strerror(rc));
		return 1;
	}
	tool_ctx ctx = { .prog = "nn-bench-chart", .size = 1 };
	return tool_write_png(&ctx, out, &c); /* the toolkit's atomic PNG file */
}
