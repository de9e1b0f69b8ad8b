/*
 * The one CSV layout of a data set, written by nn-data and by every
 * program's --save-data (doc/datasets.md): features first, then the label,
 * then -- when the data are split -- the split, so that a reader takes
 * `label` as the target and the other numeric columns as the features.
 */
#include <stdio.h>

#include "tool.h"

int tool_csv_write(FILE *fp, const tool_csv_part *parts, size_t n)
{
	size_t F = n ? parts[0].X->rows : 0;
	int split = n && parts[0].split;
	for (size_t i = 0; i < F; i++)
		fprintf(fp, "x%zu,", i + 1);
	fputs(split ? "label,split\n" : "label\n", fp);
	for (size_t p = 0; p < n; p++) {
		const nn_matrix *X = parts[p].X;
		for (size_t j = 0; j < X->cols && !ferror(fp); j++) {
			for (size_t i = 0; i < F; i++)
				fprintf(fp, "%.17g,", NN_AT(X, i, j));
			if (split)
				fprintf(fp, "%d,%s\n", parts[p].y->data[j], parts[p].split);
			else
				fprintf(fp, "%d\n", parts[p].y->data[j]);
		}
	}
	return ferror(fp) ? -1 : 0;
}

int tool_save_csv(tool_ctx *ctx, const char *path, const tool_csv_part *parts, size_t n)
{
	tool_out o;
	if (tool_out_open(ctx, &o, path))
		return TOOL_RUNTIME;
	if (tool_csv_write(o.fp, parts, n) != 0) {
		int rc = tool_nn_error(ctx, NN_EIO, "%s", tool_path_name(path));
		tool_out_abort(&o);
		return rc;
	}
	return tool_out_close(ctx, &o);
}
