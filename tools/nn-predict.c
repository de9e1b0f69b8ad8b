/*
 * nn-predict: apply a model saved by nn-train (or by any program through
 * nn_model_save) to new rows, and write its predictions as CSV.
 *
 *   nn-predict model.nn new.csv [--proba] [-o out.csv]
 *
 * The model keeps its input scaling and its names, so the rows go in as
 * the data file has them and the answers come out as class names (or, with
 * --proba, one probability per class under the class names) or as values
 * under the target names. A file whose header names the model's features
 * may have them in any order and other columns besides; the target column
 * may be there too (the file nn-train read, say). The phases: parse the
 * command line; load the model and the rows, in the model's terms; predict
 * and write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nn/nn.h>

#include "tool-data.h"
#include "tool.h"

static const char usage[] =
	"usage: nn-predict MODEL DATA [--proba] [-o FILE]\n"
	"Predict the rows of DATA -- CSV or TSV text, a numpy .npy array, or MNIST\n"
	"(its test images) -- with MODEL, a file of nn-train --save, and write one\n"
	"CSV row per row of DATA: the class name, or with --proba the probability of\n"
	"each class (the class names are the header), or the predicted values (the\n"
	"target names are the header). The features are found by their names when\n"
	"DATA and the model have them: in any order, other columns left out -- the\n"
	"target column too. Without names DATA must have the model's features in\n"
	"its order, and may have the target as its last column.\n"
	"\n"
	"  --proba             the probability of every class instead of the class\n"
	"  --ignore COLS       columns of DATA to leave out: names or 0-based indexes,\n"
	"                      comma-separated (a text column other than the last)\n"
	"  -o FILE             write FILE (default: standard output)\n"
	"  -h, --help          show this help\n"
	"  --version           show nn's version\n"
	"\n"
	"Examples:\n"
	"  nn-train iris.csv --target species --save iris.nn\n"
	"  nn-predict iris.nn new-flowers.csv\n"
	"  nn-predict iris.nn new-flowers.csv --proba -o proba.csv\n"
	"  nn-predict diabetes.nn patients.csv --ignore id -o progression.csv\n";

enum { F_PROBA, F_IGNORE, F_OUT, F_COUNT };

struct predict {
	const char *operands[2]; /* MODEL, DATA */
	int proba;
	const char *ignore, *out;
	int given[F_COUNT];
	nn_net *net;
	nn_matrix x;             /* the rows, in the model's features */
};

static int parse(tool_ctx *ctx, void *state)
{
	struct predict *d = state;
	d->out = "-";
	const tool_flag flags[F_COUNT] = {
		[F_PROBA] = { "--proba", TOOL_SWITCH, &d->proba, &d->given[F_PROBA], 0, 0, NULL },
		[F_IGNORE] = { "--ignore", TOOL_STRING, &d->ignore, &d->given[F_IGNORE], 0, 0, NULL },
		[F_OUT] = { "-o", TOOL_STRING, &d->out, &d->given[F_OUT], 0, 0, NULL },
	};
	tool_cli cli = { flags, F_COUNT, usage, d->operands, 2, 0 };
	int rc = tool_parse(ctx, &cli);
	if (rc)
		return rc;
	if (cli.n_operands < 2) {
		tool_error(ctx, "%s (see --help)", cli.n_operands ? "no data file given"
			   : "no model and no data file given");
		return TOOL_USAGE;
	}
	const tool_path in[] = { { "MODEL", d->operands[0] }, { "DATA", d->operands[1] } };
	const tool_path out = { "-o", d->out };
	return tool_check_paths(ctx, in, 2, &out, 1);
}

/* MNIST: its test images, in the model's terms. */
static int load_mnist(tool_ctx *ctx, struct predict *d, const char *path)
{
	nn_table t, test;
	char why[TOOL_WHY_LEN];
	int rc = tool_data_read(ctx, &t, &test, NULL, path, NULL);
	if (rc)
		return rc;
	rc = tool_data_features(&d->x, why, &test, path, d->net);
	nn_table_free(&t);
	nn_table_free(&test);
	if (rc == 1)
		tool_error(ctx, "%s", why);
	return rc == 1 ? TOOL_RUNTIME : rc ? tool_nn_error(ctx, rc, "%s", path) : 0;
}

/*
 * The rows of DATA in the model's terms. Read first with every column a
 * feature; when that fails (a column of words: the target's class names)
 * or does not fit the model, again with the last column as the target,
 * left out. What is said when neither works: how the first read does not
 * fit the model, or else the second read's error -- a cell that is not a
 * number in a feature column, not the class names of the target.
 */
static int load(tool_ctx *ctx, void *state)
{
	struct predict *d = state;
	const char *model = d->operands[0], *path = d->operands[1];
	int rc = nn_model_load(&d->net, NULL, model);
	if (rc)
		return tool_nn_error(ctx, rc, "%s", model);
	nn_mnist_kind kind;
	if (nn_mnist_sniff(&kind, path) == 0 && kind != NN_MNIST_IDX_LABELS)
		return load_mnist(ctx, d, path);
	char why[2][TOOL_WHY_LEN];
	int read[2] = { 0, 0 };
	for (int k = 0; k < 2; k++) {
		nn_table t;
		nn_table_options o = nn_table_defaults();
		o.target = k == 0 ? "" : NULL;
		o.ignore = d->ignore;
		if ((rc = nn_table_read(&t, path, &o)) != 0) {
			/* --ignore naming no column is the command line's fault */
			if (k == 0 && rc == NN_EINVAL) {
				tool_error(ctx, "%s", t.error);
				return TOOL_USAGE;
			}
			snprintf(why[k], TOOL_WHY_LEN, "%s", t.error);
			rc = 1;
			continue;
		}
		read[k] = 1;
		rc = tool_data_features(&d->x, why[k], &t, path, d->net);
		nn_table_free(&t);
		if (rc <= 0)
			break;
	}
	if (rc < 0)
		return tool_nn_error(ctx, rc, "%s", path);
	if (rc == 0)
		return 0;
	tool_error(ctx, "%s", read[0] ? why[0] : why[1]);
	return TOOL_RUNTIME;
}

/* A CSV field: quoted (RFC 4180) when it holds a delimiter, quote or line end. */
static void field(FILE *fp, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

/* Name i of a kind, or the generated one ("0" .. for classes, "y", "y1" .. for targets). */
static void name(FILE *fp, const nn_net *net, nn_names which, size_t i, size_t n)
{
	const char *s = nn_net_name(net, which, i);
	if (s)
		field(fp, s);
	else if (which == NN_NAMES_CLASSES)
		fprintf(fp, "%zu", i);
	else if (n == 1)
		fputs("y", fp);
	else
		fprintf(fp, "y%zu", i + 1);
}

/*
 * The CSV: a header, then a row per sample -- the class's name; with
 * --proba each class's probability (a single sigmoid unit is P(class 1),
 * so its two columns are 1 - a and a); a regression's values. Numbers have
 * 17 significant digits: they read back to the same doubles.
 */
static int write_rows(FILE *fp, const struct predict *d, const nn_matrix *out, const int *pred)
{
	const nn_net *net = d->net;
	size_t N = d->x.cols, K = out->rows;
	int values = nn_net_task(net) == NN_TASK_REGRESS;
	size_t cols = values ? K : d->proba ? (K == 1 ? 2 : K) : 1;
	for (size_t c = 0; c < cols; c++) {
		if (c)
			fputc(',', fp);
		if (values)
			name(fp, net, NN_NAMES_TARGETS, c, K);
		else if (d->proba)
			name(fp, net, NN_NAMES_CLASSES, c, cols);
		else
			fputs("class", fp);
	}
	fputc('\n', fp);
	for (size_t j = 0; j < N && !ferror(fp); j++) {
		if (!values && !d->proba) {
			name(fp, net, NN_NAMES_CLASSES, (size_t)pred[j], cols);
		} else if (!values && K == 1) {
			fprintf(fp, "%.17g,%.17g", 1 - NN_AT(out, 0, j), NN_AT(out, 0, j));
		} else {
			for (size_t c = 0; c < K; c++)
				fprintf(fp, "%s%.17g", c ? "," : "", NN_AT(out, c, j));
		}
		fputc('\n', fp);
	}
	return ferror(fp) ? -1 : 0;
}

static int predict(tool_ctx *ctx, void *state)
{
	struct predict *d = state;
	size_t N = d->x.cols, K = nn_net_width(d->net, nn_net_layers(d->net));
	nn_matrix out = { 0 };
	int *pred = malloc((N ? N : 1) * sizeof(int));
	int rc = !pred ? NN_ENOMEM : nn_matrix_new(&out, K, N);
	if (rc == 0)
		rc = nn_predict_values(&out, NULL, d->net, &d->x);
	if (rc == 0 && nn_net_task(d->net) != NN_TASK_REGRESS)
		rc = nn_predict(pred, NULL, d->net, &d->x);
	int status = rc ? tool_nn_error(ctx, rc, "%s", d->operands[1]) : 0;
	tool_out o;
	if (status == 0 && (status = tool_out_open(ctx, &o, d->out)) == 0) {
		if (write_rows(o.fp, d, &out, pred) != 0) {
			status = tool_nn_error(ctx, NN_EIO, "%s", tool_path_name(d->out));
			tool_out_abort(&o);
		} else {
			status = tool_out_close(ctx, &o);
		}
	}
	nn_matrix_free(&out);
	free(pred);
	return status;
}

static void done(void *state)
{
	struct predict *d = state;
	nn_net_free(d->net);
	nn_matrix_free(&d->x);
}

int main(int argc, char **argv)
{
	static const tool_phase phases[] = { parse, load, predict };
	struct predict d = { 0 };
	return tool_main("nn-predict", argc, argv, phases, 3, &d, done);
}
