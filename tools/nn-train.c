/*
 * nn-train: train a network on your own data -- a CSV/TSV file, numpy
 * .npy arrays or MNIST -- and save it with its scaling and names, ready for
 * nn-predict (doc/tutorial.md).
 *
 *   nn-train data.csv --target species [--layers 16,16] [--save iris.nn]
 *
 * The phases: parse the command line; load the data (the target's task --
 * classes or values -- the test and validation sets); build the network
 * (the layers between the data's inputs and outputs, the scaling fitted on
 * the training rows, the names); train it by mini-batches (tools/common's
 * run, a line per epoch); report on the training, validation and test rows
 * (accuracy and a confusion matrix, or RMSE, MAE and R^2); save it.
 *
 * The defaults are scikit-learn's MLPClassifier/MLPRegressor's where it has
 * one -- one hidden layer of 100 ReLU units, Adam (at 0.001 for values;
 * at 0.01 for classes, which on the small tabular sets of doc/tutorial.md
 * gains Iris a test flower and loses nothing elsewhere), L2 1e-4 -- with
 * its early_stopping: 10 % of the training rows held out for validation,
 * stopping after 20 epochs without a lower validation cost and keeping the
 * best epoch's weights. The features are standardised, and a regression's
 * targets too while it trains (folded into the output layer afterwards, so
 * that the model predicts in the data's units). doc/tutorial.md measures
 * these defaults against scikit-learn on its real data sets.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nn/nn.h>

#include "tool-data.h"
#include "tool-train.h"
#include "tool.h"

/* The defaults of the training flags (tools/common's are nn-mnist's). */
#define DEF_LAYERS   "100"
#define DEF_BATCH    16
#define DEF_EPOCHS   200
#define DEF_VAL      0.1
#define DEF_PATIENCE 20
#define DEF_L2       1e-4

/* An integral target reads as classes, unless it has more distinct values
 * than this and than a tenth of its rows: then it is a quantity (a count,
 * a price, scikit-learn's diabetes progression) and a regression. */
#define QUANTITY_VALUES 20

/* The confusion matrix is printed for at most this many classes. */
#define MAX_CONFUSION 20

enum task { TASK_AUTO, TASK_CLASSIFY, TASK_REGRESS };
static const char *const task_names[] = { "auto", "classify", "regress", NULL };
static const char *const scale_names[] = { "none", "standard", "minmax", NULL };

static const char usage[] =
	"usage: nn-train DATA [--target COLS] [options]\n"
	"Train a network on the rows of DATA -- CSV or TSV text with or without a\n"
	"header, a numpy .npy array, or MNIST (a directory of IDX files, a pickle) --\n"
	"to predict the target column(s): classes when the target holds words or a few\n"
	"integers, values otherwise. The model file keeps the scaling and the names:\n"
	"nn-predict applies it to new rows.\n"
	"\n"
	"Data:\n"
	"  --target COLS       the target column(s): names or 0-based indexes, comma-\n"
	"                      separated (default: the last column)\n"
	"  --ignore COLS       columns to leave out (an id, a note)\n"
	"  --task NAME         auto (default), classify or regress\n"
	"  --labels FILE       the target from its own file (.npy or text of numbers);\n"
	"                      every column of DATA is then a feature\n"
	"  --test FILE         score the model on this file's rows at the end\n"
	"  --test-size F       hold out a fraction (0.25) or a count of the rows as the\n"
	"                      test set\n"
	"  --split COL         the rows whose column COL reads 'test' are the test set,\n"
	"                      'train' the others (nn-data --test-size writes it)\n"
	"  --scale NAME        features: standard (default), minmax or none\n"
	"Network (default: one hidden layer of 100 ReLU units):\n"
	"  --layers LIST       the hidden layers, comma-separated: widths (16,16), with\n"
	"                      an activation (64:tanh), dropout:P, and for images\n"
	"                      conv:C:K, maxpool, flatten; none: no hidden layer\n"
	"  --activation NAME   hidden layers: relu (default), leaky-relu, tanh, sigmoid\n"
	"  --cost NAME         classes: ce (softmax, default) or quadratic (sigmoid)\n"
	"  --init NAME         glorot (default, as scikit-learn's), he, lecture or\n"
	"                      orthogonal\n"
	"  --precision NAME    f64 (default) or f32\n"
	"Training (default: adam, batch 16, at most 200 epochs, l2 1e-4, 10 % of the\n"
	"training rows for validation, patience 20):\n"
	"  --optimizer NAME    adam, sgd, momentum or nesterov\n"
	"  --eta X             step size (adam 0.01 for classes, 0.001 for values;\n"
	"                      sgd 0.1, momentum 0.01)\n"
	"  --batch N           rows per step\n"
	"  --epochs N          passes over the training rows, at most\n"
	"  --momentum X        momentum and nesterov: 0.9\n"
	"  --schedule NAME     constant, step, exp or cosine; --gamma X, --step-epochs N,\n"
	"                      --eta-min X set them\n"
	"  --gamma X           step and exp: the decay factor (0.5)\n"
	"  --step-epochs N     step: epochs between decays (10)\n"
	"  --eta-min X         cosine: the step size it goes to (0)\n"
	"  --l2 X              weight decay (0.0001)\n"
	"  --dropout P         on every hidden layer's output\n"
	"  --val F             validation rows: a fraction or a count (0.1)\n"
	"  --patience N        stop after N epochs without a lower validation cost and\n"
	"                      keep the best; 0: no early stopping, no validation rows\n"
	"                      unless --val is given (20)\n"
	"  --seed K            the splits, the weights and the shuffles (default: clock)\n"
	"  --progress          the batches of an epoch as they go, also into a file\n"
	"Output:\n"
	"  --save FILE         the trained model (nn-predict reads it)\n"
	"  --history FILE      the epochs as CSV\n"
	"  --plot-history FILE the epochs as a PNG picture\n"
	"  -h, --help          show this help\n"
	"  --version           show nn's version\n"
	"\n"
	"Examples:\n"
	"  nn-train iris.csv --target species --save iris.nn\n"
	"  nn-train iris.csv --target species --layers 16,16 --epochs 300 --test-size 0.25\n"
	"  nn-train diabetes.csv --target target --task regress --test-size 0.25 --seed 1\n"
	"  nn-data moons --samples 500 --noise 0.2 --test-size 0.25 --seed 1 -o moons.csv\n"
	"  nn-train moons.csv --target label --split split\n"
	"  nn-train X.npy --labels y.npy --save model.nn\n";

/* The flags of nn-train besides the toolkit's, by index. */
enum { F_TARGET, F_IGNORE, F_TASK, F_LABELS, F_TEST, F_TEST_SIZE, F_SPLIT, F_SCALE, F_PRECISION,
       F_ETA, F_SEED, F_SAVE, F_COUNT };

/* A set of rows: features, and labels or values. */
typedef struct part {
	nn_matrix x; /* F x n */
	nn_labels y; /* classes: n ids */
	nn_matrix v; /* values: T x n */
} part;

struct train {
	const char *data;
	const char *target, *ignore, *labels, *test_file, *split, *save;
	int task, scale;
	int precision;
	double eta;
	uint32_t seed;
	tool_part test_size;
	int given[F_COUNT];
	tool_fit tk;
	char *spec, *ignore_all;     /* --layers with the data's ends; the columns ignored */
	nn_table t, test_t;         /* the data file; the test file or MNIST's test images */
	int mnist;                  /* the data is MNIST */
	nn_task kind;               /* NN_TASK_CLASSIFY or NN_TASK_REGRESS */
	size_t n_out;               /* classes, or target columns */
	char **class_names;         /* classes: n_out names (borrowed from t) */
	char quantity[160];         /* why an integral target is read as values */
	part all, train, val, test;
	const char *test_what;      /* how the test rows came */
	char test_how[160];         /* ... when a flag made them */
	nn_rng *rng;
	nn_net *net;
	double *mean, *sd;          /* a regression's target scaling while training */
	double eta_used;
};

/* ---- the command line ------------------------------------------------------ */

/* "a,b" from two lists, either may be NULL; NULL when both are. */
static char *join(const char *a, const char *b)
{
	if (!a || !b)
		return a || b ? strdup(a ? a : b) : NULL;
	char *s = malloc(strlen(a) + strlen(b) + 2);
	if (s)
		sprintf(s, "%s,%s", a, b);
	return s;
}

/* The flags of the data that MNIST, --labels and --split cannot go with. */
static int check_data_flags(tool_ctx *ctx, const struct train *d)
{
	const int *g = d->given;
	if (g[F_TEST] + g[F_TEST_SIZE] + g[F_SPLIT] > 1) {
		tool_error(ctx, "--test, --test-size and --split each give the test set: give one");
		return TOOL_USAGE;
	}
	if (g[F_LABELS] && g[F_TARGET]) {
		tool_error(ctx, "--target with --labels: the target is the file of --labels");
		return TOOL_USAGE;
	}
	if (g[F_LABELS] && (g[F_TEST] || g[F_SPLIT])) {
		tool_error(ctx, "--%s with --labels: give --test-size, or put the features and the "
			   "target in one file", g[F_TEST] ? "test" : "split");
		return TOOL_USAGE;
	}
	if (g[F_SPLIT] && !g[F_TARGET]) {
		tool_error(ctx, "--split needs --target: which column is the target besides %s",
			   d->split);
		return TOOL_USAGE;
	}
	const int *k = d->tk.given;
	if (k[TOOL_FIT_COST] && d->task == TASK_REGRESS) {
		tool_error(ctx, "--cost applies to classes; a regression trains on the squared error");
		return TOOL_USAGE;
	}
	const tool_path in[] = { { "DATA", d->data }, { "--labels", d->labels },
				 { "--test", d->test_file } };
	const tool_path out[] = { { "--save", d->save }, { "--history", d->tk.history },
				  { "--plot-history", d->tk.plot_history } };
	return tool_check_paths(ctx, in, 3, out, 3);
}

static int parse(tool_ctx *ctx, void *state)
{
	struct train *d = state;
	tool_fit_init(&d->tk);
	d->tk.layers = DEF_LAYERS;
	d->tk.batch = DEF_BATCH;
	d->tk.epochs = DEF_EPOCHS;
	d->tk.val = (tool_part){ .fraction = DEF_VAL, .text = "0.1" };
	d->tk.patience = DEF_PATIENCE;
	d->tk.l2 = DEF_L2;
	d->tk.init = TOOL_FIT_INIT_GLOROT;
	d->scale = 1;
	tool_flag flags[F_COUNT + TOOL_FIT_NFLAGS] = {
		[F_TARGET] = { "--target", TOOL_STRING, &d->target, NULL, 0, 0, NULL },
		[F_IGNORE] = { "--ignore", TOOL_STRING, &d->ignore, NULL, 0, 0, NULL },
		[F_TASK] = { "--task", TOOL_CHOICE, &d->task, NULL, 0, 0, task_names },
		[F_LABELS] = { "--labels", TOOL_STRING, &d->labels, NULL, 0, 0, NULL },
		[F_TEST] = { "--test", TOOL_STRING, &d->test_file, NULL, 0, 0, NULL },
		[F_TEST_SIZE] = { "--test-size", TOOL_PART, &d->test_size, NULL, 1, 0, NULL },
		[F_SPLIT] = { "--split", TOOL_STRING, &d->split, NULL, 0, 0, NULL },
		[F_SCALE] = { "--scale", TOOL_CHOICE, &d->scale, NULL, 0, 0, scale_names },
		[F_PRECISION] = { "--precision", TOOL_CHOICE, &d->precision, NULL, 0, 0,
				  tool_precision_names },
		[F_ETA] = { "--eta", TOOL_POS, &d->eta, NULL, 0, 0, NULL },
		[F_SEED] = { "--seed", TOOL_U32, &d->seed, NULL, 0, 0, NULL },
		[F_SAVE] = { "--save", TOOL_STRING, &d->save, NULL, 0, 0, NULL },
	};
	for (int f = 0; f < F_COUNT; f++)
		flags[f].given = &d->given[f];
	tool_fit_flags(flags + F_COUNT, &d->tk);
	/* --patience 0 turns early stopping off */
	flags[F_COUNT + TOOL_FIT_PATIENCE].min = 0;
	tool_cli cli = { flags, F_COUNT + TOOL_FIT_NFLAGS, usage, &d->data, 1, 0 };
	int rc = tool_parse(ctx, &cli);
	if (rc)
		return rc;
	if (!d->data) {
		tool_error(ctx, "no data file given (see --help)");
		return TOOL_USAGE;
	}
	/* --patience 0: no early stopping, so no validation rows unless --val */
	if (d->tk.patience == 0)
		d->tk.given[TOOL_FIT_PATIENCE] = 0;
	if (d->tk.given[TOOL_FIT_LAYERS] && strcmp(d->tk.layers, "none") == 0)
		d->tk.layers = "";
	return check_data_flags(ctx, d);
}

/* ---- the data ----------------------------------------------------------------- */

/* Columns idx[0 .. n) of src (may be empty) into dst. */
static int take_cols(nn_matrix *dst, const nn_matrix *src, const size_t *idx, size_t n)
{
	*dst = (nn_matrix){ 0 };
	if (!src->data)
		return 0;
	int rc = nn_matrix_new(dst, src->rows, n);
	for (size_t j = 0; rc == 0 && j < n; j++)
		memcpy(dst->data + j * dst->ld, src->data + idx[j] * src->ld,
		       src->rows * sizeof(double));
	return rc;
}

static int take_part(part *dst, const part *src, const size_t *idx, size_t n)
{
	int rc = take_cols(&dst->x, &src->x, idx, n);
	if (rc == 0)
		rc = take_cols(&dst->v, &src->v, idx, n);
	if (rc == 0 && src->y.data && (rc = nn_labels_new(&dst->y, n)) == 0)
		for (size_t j = 0; j < n; j++)
			dst->y.data[j] = src->y.data[idx[j]];
	return rc;
}

static void part_free(part *p)
{
	nn_matrix_free(&p->x);
	nn_labels_free(&p->y);
	nn_matrix_free(&p->v);
}

static size_t part_rows(const part *p)
{
	return p->x.cols;
}

/* Split `all` into *keep and *held, `held_n` rows held out, drawn with
 * scikit-learn's train_test_split; by class (stratified) when every class
 * has room on both sides, as MLPClassifier's validation split is. */
static int split_rows(part *keep, part *held, const part *all, size_t held_n, size_t n_classes,
		      nn_rng *rng)
{
	size_t N = part_rows(all), *ki = NULL, *hi = NULL, nk, nh, *count = NULL;
	nn_split_options o = nn_split_defaults();
	o.test_count = held_n;
	if (all->y.data && (count = calloc(n_classes, sizeof(size_t)))) {
		size_t present = 0, fewest = N;
		for (size_t j = 0; j < N; j++)
			count[all->y.data[j]]++;
		for (size_t c = 0; c < n_classes; c++)
			if (count[c]) {
				present++;
				fewest = count[c] < fewest ? count[c] : fewest;
			}
		if (fewest >= 2 && held_n >= present && N - held_n >= present)
			o.stratify = &all->y;
	}
	free(count);
	int rc = nn_split_indices(&ki, &nk, &hi, &nh, N, &o, rng);
	if (rc == 0)
		rc = take_part(keep, all, ki, nk);
	if (rc == 0)
		rc = take_part(held, all, hi, nh);
	free(ki);
	free(hi);
	return rc;
}

/* The rows a tool_part holds out of n: a fraction rounded up, as
 * train_test_split's test_size. */
static size_t held_rows(const tool_part *p, size_t n)
{
	return p->count ? p->count : (size_t)ceil(p->fraction * (double)n);
}

/* 1 when every name is a decimal number: the target was numeric. */
static int numeric_names(char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *end;
		strtod(names[i], &end);
		if (end == names[i] || *end)
			return 0;
	}
	return 1;
}

/* Values (1 x N) from numeric classes: the number each class name is. */
static int classes_to_values(nn_table *t)
{
	nn_matrix v;
	int rc = nn_matrix_new(&v, 1, t->labels.n);
	if (rc)
		return rc;
	for (size_t j = 0; j < t->labels.n; j++)
		v.data[j] = strtod(t->class_names[t->labels.data[j]], NULL);
	nn_labels_free(&t->labels);
	free(t->class_names);
	t->class_names = NULL;
	t->n_classes = 0;
	t->y = v;
	t->task = NN_TASK_REGRESS;
	return 0;
}

/* Keep only the classes that occur, ids in the same order: a target of
 * 1, 2, 3 has three classes, not four with an empty 0. */
static void compact_classes(struct train *d)
{
	nn_table *t = &d->t;
	int *id = malloc(t->n_classes * sizeof(int));
	d->class_names = malloc(t->n_classes * sizeof(char *));
	d->n_out = 0;
	if (!id || !d->class_names) {
		free(id);
		return;
	}
	for (size_t c = 0; c < t->n_classes; c++)
		id[c] = -1;
	for (size_t j = 0; j < t->labels.n; j++)
		id[t->labels.data[j]] = 0;
	for (size_t c = 0; c < t->n_classes; c++)
		if (id[c] == 0) {
			id[c] = (int)d->n_out;
			d->class_names[d->n_out++] = t->class_names[c];
		}
	for (size_t j = 0; j < t->labels.n; j++)
		t->labels.data[j] = id[t->labels.data[j]];
	free(id);
}

/* The distinct values of an integral target, for the quantity rule. */
static size_t distinct(const nn_labels *y, size_t n_classes)
{
	unsigned char *seen = calloc(n_classes, 1);
	size_t k = 0;
	for (size_t j = 0; seen && j < y->n; j++)
		if (!seen[y->data[j]]++)
			k++;
	free(seen);
	return k;
}

/*
 * The task: a target of words or of integers is classes, anything else
 * values (the library's rule, scikit-learn's type_of_target), except that
 * under --task auto an integral target of many distinct values is a
 * quantity -- values.
 */
static int decide_task(tool_ctx *ctx, struct train *d)
{
	nn_table *t = &d->t;
	if (t->task == NN_TASK_CLASSIFY && d->task == TASK_AUTO &&
	    numeric_names(t->class_names, t->n_classes)) {
		size_t k = distinct(&t->labels, t->n_classes), N = t->labels.n;
		if (k > QUANTITY_VALUES && k > N / 10) {
			snprintf(d->quantity, sizeof d->quantity, " (%zu distinct integers among %zu "
				 "rows: a quantity; --task classify for classes)", k, N);
			if (classes_to_values(t))
				return tool_nn_error(ctx, NN_ENOMEM, "%s", d->data);
		}
	}
	d->kind = t->task;
	if (d->kind == NN_TASK_REGRESS) {
		d->n_out = t->n_targets;
		if (d->tk.given[TOOL_FIT_COST]) {
			tool_error(ctx, "--cost applies to classes; the target of %s is values (a "
				   "regression trains on the squared error)", d->data);
			return TOOL_USAGE;
		}
		return 0;
	}
	compact_classes(d);
	if (!d->class_names)
		return tool_nn_error(ctx, NN_ENOMEM, "%s", d->data);
	if (d->n_out < 2) {
		tool_error(ctx, "%s: the target %s holds a single class ('%s'): nothing to learn",
			   d->data, t->target_names[0], d->class_names[0]);
		return TOOL_RUNTIME;
	}
	return 0;
}

/*
 * --labels FILE: the target from its own file, every column of DATA a
 * feature. The two go to the table reader together, as one .npy array in
 * memory whose last columns are the target, so that the labels' numbers
 * become classes or values by the very rules of a target column.
 */
static int read_labels(tool_ctx *ctx, struct train *d, const nn_table_options *opt)
{
	nn_table x, l;
	nn_table_options o = nn_table_defaults();
	o.target = "";
	o.ignore = opt->ignore;
	int rc = tool_data_read(ctx, &x, NULL, NULL, d->data, &o);
	if (rc)
		return rc;
	o.ignore = NULL;
	if ((rc = tool_data_read(ctx, &l, NULL, NULL, d->labels, &o)) != 0) {
		nn_table_free(&x);
		return rc;
	}
	size_t F = x.x.rows, T = l.x.rows, N = x.x.cols, C = F + T;
	char head[128], *buf = NULL, *list = NULL;
	if (l.x.cols != N) {
		tool_error(ctx, "%s has %zu rows; %s has %zu", d->labels, l.x.cols, d->data, N);
		rc = TOOL_RUNTIME;
		goto out;
	}
	/* the .npy header, padded with spaces so that the data start at a
	 * multiple of 64 bytes (numpy's layout) */
	int h = snprintf(head, sizeof head, "{'descr': '<f8', 'fortran_order': False, "
			 "'shape': (%zu, %zu), }", N, C);
	size_t pad = (64 - (10 + (size_t)h + 1) % 64) % 64, hl = (size_t)h + pad + 1;
	if (N > (SIZE_MAX - 10 - hl) / 8 / C || !(buf = malloc(10 + hl + N * C * 8)) ||
	    !(list = malloc(T * 24))) {
		rc = tool_nn_error(ctx, NN_ENOMEM, "%s", d->labels);
		goto out;
	}
	memcpy(buf, "\x93NUMPY\x01\x00", 8);
	buf[8] = (char)(hl & 0xff);
	buf[9] = (char)(hl >> 8);
	memcpy(buf + 10, head, (size_t)h);
	memset(buf + 10 + h, ' ', pad);
	buf[10 + hl - 1] = '\n';
	/* row n: sample n's features, then its targets (little-endian doubles,
	 * as this machine stores them: x86-64) */
	double *row = (double *)(void *)(buf + 10 + hl);
	for (size_t n = 0; n < N; n++, row += C) {
		memcpy(row, x.x.data + n * x.x.ld, F * sizeof(double));
		memcpy(row + F, l.x.data + n * l.x.ld, T * sizeof(double));
	}
	/* the target: columns F, F + 1, ... -- all of the labels' */
	o = *opt;
	o.ignore = NULL;
	for (size_t k = 0, at = 0; k < T; k++)
		at += (size_t)sprintf(list + at, "%s%zu", k ? "," : "", F + k);
	o.target = list;
	rc = nn_table_read_buffer(&d->t, buf, 10 + hl + N * C * 8, d->labels, &o);
	if (rc) {
		tool_error(ctx, "%s", d->t.error);
		rc = TOOL_RUNTIME;
		goto out;
	}
	/* the names the two files had */
	free(d->t.feature_names);
	d->t.feature_names = x.feature_names;
	x.feature_names = NULL;
	if (!tool_names_generic(l.feature_names, T)) {
		free(d->t.target_names);
		d->t.target_names = l.feature_names;
		l.feature_names = NULL;
	}
out:
	free(buf);
	free(list);
	nn_table_free(&x);
	nn_table_free(&l);
	return rc;
}

/* --split COL: which rows are test rows, from the column's 'train' and 'test'. */
static int read_split(tool_ctx *ctx, struct train *d, unsigned char **is_test)
{
	nn_table s;
	nn_table_options o = nn_table_defaults();
	o.target = d->split;
	o.task = NN_TASK_CLASSIFY;
	/* the other text column, the target, is not read this time */
	char *ignore = join(d->ignore, d->target);
	if (!ignore)
		return tool_nn_error(ctx, NN_ENOMEM, "%s", d->data);
	o.ignore = ignore;
	int rc = tool_data_read(ctx, &s, NULL, NULL, d->data, &o);
	free(ignore);
	if (rc)
		return rc;
	int test = -1;
	for (size_t c = 0; c < s.n_classes && rc == 0; c++) {
		if (strcmp(s.class_names[c], "test") == 0)
			test = (int)c;
		else if (strcmp(s.class_names[c], "train") != 0)
			rc = 1;
	}
	if (rc || test < 0) {
		tool_error(ctx, "--split %s: %s", d->split, rc ? "its cells must be 'train' or 'test'"
			   : "no row is 'test'");
		nn_table_free(&s);
		return TOOL_RUNTIME;
	}
	*is_test = malloc(s.labels.n ? s.labels.n : 1);
	for (size_t j = 0; *is_test && j < s.labels.n; j++)
		(*is_test)[j] = s.labels.data[j] == test;
	nn_table_free(&s);
	return *is_test ? 0 : tool_nn_error(ctx, NN_ENOMEM, "%s", d->data);
}

/* The test rows of --split or --test-size out of d->all; the others into *rest. */
static int hold_test(tool_ctx *ctx, struct train *d, part *rest)
{
	size_t N = part_rows(&d->all);
	if (d->given[F_TEST_SIZE]) {
		size_t held = held_rows(&d->test_size, N);
		if (held >= N) {
			tool_error(ctx, "--test-size %s: holds out %zu of the %zu rows and leaves none "
				   "to train on", d->test_size.text, held, N);
			return TOOL_RUNTIME;
		}
		int rc = split_rows(rest, &d->test, &d->all, held, d->n_out, d->rng);
		return rc ? tool_nn_error(ctx, rc, "--test-size %s", d->test_size.text) : 0;
	}
	/* --split: the rows as the file has them, test rows apart */
	unsigned char *is_test = NULL;
	int rc = read_split(ctx, d, &is_test);
	if (rc)
		return rc;
	size_t *idx = malloc(N * sizeof(size_t)), nt = 0, nr = 0;
	for (size_t j = 0; idx && j < N; j++)
		if (is_test[j])
			idx[nt++] = j;
	for (size_t j = 0; idx && j < N; j++)
		if (!is_test[j])
			idx[nt + nr++] = j;
	rc = !idx ? NN_ENOMEM : take_part(&d->test, &d->all, idx, nt);
	if (rc == 0)
		rc = take_part(rest, &d->all, idx + nt, nr);
	free(idx);
	free(is_test);
	if (rc)
		return tool_nn_error(ctx, rc, "--split %s", d->split);
	if (nr == 0) {
		tool_error(ctx, "--split %s: every row is 'test'; none is left to train on", d->split);
		return TOOL_RUNTIME;
	}
	return 0;
}

/* Read the data, decide the task, hold out the test and validation rows. */
static int load(tool_ctx *ctx, void *state)
{
	struct train *d = state;
	nn_table_options o = nn_table_defaults();
	o.target = d->target;
	o.task = d->task == TASK_CLASSIFY ? NN_TASK_CLASSIFY
		 : d->task == TASK_REGRESS ? NN_TASK_REGRESS : NN_TASK_AUTO;
	/* with --split its column is neither a feature nor the target */
	d->ignore_all = join(d->ignore, d->split);
	if (!d->ignore_all && (d->ignore || d->split))
		return tool_nn_error(ctx, NN_ENOMEM, "%s", d->data);
	o.ignore = d->ignore_all;
	int rc = d->labels ? read_labels(ctx, d, &o)
			   : tool_data_read(ctx, &d->t, &d->test_t, &d->mnist, d->data, &o);
	if (rc)
		return rc;
	if (d->mnist) {
		/* MNIST has its classes and its test images */
		static const int no[] = { F_TARGET, F_IGNORE, F_LABELS, F_TEST, F_TEST_SIZE, F_SPLIT };
		static const char *const names[] = { "--target", "--ignore", "--labels", "--test",
						     "--test-size", "--split" };
		for (size_t k = 0; k < sizeof no / sizeof *no; k++)
			if (d->given[no[k]]) {
				tool_error(ctx, "%s does not apply to %s: it is MNIST, whose labels are "
					   "the target and whose test images the test set", names[k],
					   d->data);
				return TOOL_USAGE;
			}
		if (d->task == TASK_REGRESS) {
			tool_error(ctx, "--task regress: MNIST's target is classes");
			return TOOL_USAGE;
		}
	}
	if ((rc = decide_task(ctx, d)) != 0)
		return rc;
	/* the rows, out of the table (which keeps the names) */
	d->all = (part){ .x = d->t.x, .y = d->t.labels, .v = d->t.y };
	d->t.x = (nn_matrix){ 0 };
	d->t.labels = (nn_labels){ 0 };
	d->t.y = (nn_matrix){ 0 };
	if (d->test_file) {
		/* the test file as the data was read: its target, its task */
		o.task = d->kind;
		o.ignore = d->ignore;
		if ((rc = tool_data_read(ctx, &d->test_t, NULL, NULL, d->test_file, &o)) != 0)
			return rc;
	}
	/* one generator, drawn from in this order: the test rows, the
	 * validation rows, the weights, the shuffles and dropout */
	d->seed = tool_seed(ctx, d->given[F_SEED], d->seed);
	if ((rc = nn_rng_new(&d->rng, d->seed)) != 0)
		return tool_nn_error(ctx, rc, "seed");
	part rest = { 0 };
	if (d->given[F_TEST_SIZE] || d->given[F_SPLIT]) {
		rc = hold_test(ctx, d, &rest);
		part_free(&d->all);
	} else {
		rest = d->all;
		d->all = (part){ 0 };
	}
	/* validation: the default's, or --val's */
	if (rc == 0 && d->tk.patience > 0)
		d->tk.given[TOOL_FIT_VAL] = 1;
	if (rc == 0 && d->tk.given[TOOL_FIT_VAL]) {
		size_t n = part_rows(&rest), held = held_rows(&d->tk.val, n);
		if (held >= n) {
			tool_error(ctx, "--val %s: holds out %zu of the %zu training rows and leaves none "
				   "to train on", d->tk.val.text, held, n);
			rc = TOOL_RUNTIME;
		} else if ((rc = split_rows(&d->train, &d->val, &rest, held, d->n_out, d->rng)) != 0) {
			rc = tool_nn_error(ctx, rc, "--val %s", d->tk.val.text);
		}
		part_free(&rest);
	} else {
		d->train = rest;
	}
	return rc;
}

/* ---- the network ----------------------------------------------------------- */

/* "a, b, c" of up to `max` names, "..." after. */
static void print_names(char *const *names, size_t n, size_t max)
{
	for (size_t i = 0; i < n && i < max; i++)
		printf("%s%s", i ? ", " : "", names[i]);
	if (n > max)
		printf(", ...");
}

/* The test rows of --test or MNIST in the network's terms: its features by
 * name, its class names as the network's ids. */
static int match_test(tool_ctx *ctx, struct train *d)
{
	const char *path = d->test_file ? d->test_file : d->data;
	char why[TOOL_WHY_LEN];
	int rc = tool_data_features(&d->test.x, why, &d->test_t, path, d->net);
	if (rc == 0 && d->kind == NN_TASK_CLASSIFY)
		rc = tool_data_labels(&d->test.y, why, &d->test_t, path, d->net);
	if (rc == 0 && d->kind == NN_TASK_REGRESS) {
		if (d->test_t.y.rows != d->n_out) {
			snprintf(why, sizeof why, "%s: %zu target columns; the data has %zu", path,
				 d->test_t.y.rows, d->n_out);
			rc = 1;
		} else {
			d->test.v = d->test_t.y;
			d->test_t.y = (nn_matrix){ 0 };
		}
	}
	if (rc == 1) {
		tool_error(ctx, "%s", why);
		return TOOL_RUNTIME;
	}
	return rc ? tool_nn_error(ctx, rc, "%s", path) : 0;
}

/* A regression trains on standardised targets: their means and standard
 * deviations on the training rows (a constant target keeps 1). */
static int target_scaling(struct train *d)
{
	size_t T = d->n_out, N = part_rows(&d->train);
	d->mean = calloc(T, sizeof(double));
	d->sd = calloc(T, sizeof(double));
	if (!d->mean || !d->sd)
		return NN_ENOMEM;
	for (size_t k = 0; k < T; k++) {
		double m = 0, q = 0;
		for (size_t j = 0; j < N; j++)
			m += NN_AT(&d->train.v, k, j);
		m /= (double)N;
		for (size_t j = 0; j < N; j++)
			q += (NN_AT(&d->train.v, k, j) - m) * (NN_AT(&d->train.v, k, j) - m);
		d->mean[k] = m;
		d->sd[k] = q > 0 ? sqrt(q / (double)N) : 1.0;
	}
	return 0;
}

/* What the run will be, before it starts. */
static void describe(const struct train *d)
{
	const nn_table *t = &d->t;
	size_t F = nn_net_width(d->net, 0), N = part_rows(&d->train) + part_rows(&d->val) +
		   (d->test_what && !d->test_file && !d->mnist ? part_rows(&d->test) : 0);
	char buf[512];
	printf("seed: %u\n", (unsigned)d->seed);
	printf("data: %s: %zu rows, %zu features (", d->data, N, F);
	print_names(t->feature_names, F, 6);
	printf(")\n");
	if (d->kind == NN_TASK_CLASSIFY) {
		printf("target: %s, %zu classes (", t->target_names[0], d->n_out);
		print_names(d->class_names, d->n_out, 10);
		printf(")\n");
	} else {
		printf("target: ");
		print_names(t->target_names, d->n_out, 6);
		printf(", values%s; standardised while training (mean %.4g, sd %.4g%s), the model "
		       "predicts in the data's units\n", d->quantity, d->mean[0], d->sd[0],
		       d->n_out > 1 ? " for the first" : "");
	}
	if (d->test_what)
		printf("test: %zu rows (%s)\n", part_rows(&d->test), d->test_what);
	if (part_rows(&d->val))
		printf("validation: %zu of the %zu training rows (--val %s)%s\n", part_rows(&d->val),
		       part_rows(&d->val) + part_rows(&d->train), d->tk.val.text,
		       d->tk.patience ? "; early stopping" : "");
	if (d->scale)
		printf("scaling: %s, fitted on the %zu training rows\n", scale_names[d->scale],
		       part_rows(&d->train));
	tool_net_describe(buf, sizeof buf, d->net);
	printf("model: %s; %s initialisation\n", buf, tool_fit_init_titles[d->tk.init]);
	tool_fit_describe(buf, sizeof buf, &d->tk, d->eta_used);
	printf("training: %s\n", buf);
	tool_param_count(buf, sizeof buf, d->net);
	printf("number of parameters in the model: %s\n", buf);
	fflush(stdout);
}

/* The network between the data's inputs and outputs, its scaling and names. */
static int build(tool_ctx *ctx, void *state)
{
	struct train *d = state;
	size_t F = d->train.x.rows, side = (size_t)llround(sqrt((double)F));
	char in[64], out[64];
	/* MNIST's images as images, so that --layers may hold convolutions */
	if (d->mnist && side * side == F)
		snprintf(in, sizeof in, "%zux%zu", side, side);
	else
		snprintf(in, sizeof in, "%zu", F);
	snprintf(out, sizeof out, d->kind == NN_TASK_REGRESS ? "%zu:identity" : "%zu", d->n_out);
	size_t len = strlen(in) + strlen(d->tk.layers) + strlen(out) + 5;
	if (!(d->spec = malloc(len)))
		return tool_nn_error(ctx, NN_ENOMEM, "--layers");
	snprintf(d->spec, len, "%s, %s%s%s", in, d->tk.layers, d->tk.layers[0] ? ", " : "", out);
	const char *hidden = d->tk.layers;
	d->tk.layers = d->spec;
	if (d->kind == NN_TASK_REGRESS)
		d->tk.cost = TOOL_COST_QUADRATIC;
	d->eta_used = d->eta;
	int eta_given = d->given[F_ETA];
	/* Adam's step for classes: 0.01 (bench/tabular.py: Iris 0.9474 -> 0.9737, the
	 * other class sets unchanged or within a sample of scikit-learn's defaults);
	 * set before the check, which holds --eta-min against it */
	if (!eta_given && d->tk.optimizer == TOOL_OPT_ADAM && d->kind == NN_TASK_CLASSIFY) {
		d->eta_used = 0.01;
		eta_given = 1;
	}
	int rc = tool_fit_check(ctx, &d->tk, F, d->n_out, &d->eta_used, eta_given);
	if (rc) {
		d->tk.layers = hidden;
		return rc;
	}
	if ((rc = tool_fit_net(ctx, &d->net, &d->tk, (nn_precision)d->precision, d->rng)) != 0)
		return rc;
	static const nn_scaling scalings[] = { NN_SCALING_NONE, NN_SCALING_STANDARD,
					       NN_SCALING_MINMAX };
	rc = nn_net_fit_scaling(d->net, scalings[d->scale], &d->train.x);
	if (rc == 0)
		rc = nn_net_set_names(d->net, NN_NAMES_FEATURES, F,
				      (const char *const *)d->t.feature_names);
	if (rc == 0 && d->kind == NN_TASK_CLASSIFY)
		rc = nn_net_set_names(d->net, NN_NAMES_CLASSES, d->n_out,
				      (const char *const *)d->class_names);
	if (rc == 0 && d->kind == NN_TASK_REGRESS)
		rc = nn_net_set_names(d->net, NN_NAMES_TARGETS, d->n_out,
				      (const char *const *)d->t.target_names);
	if (rc == 0 && d->kind == NN_TASK_REGRESS)
		rc = target_scaling(d);
	if (rc)
		return tool_nn_error(ctx, rc, "the model");
	if (d->test_t.x.data) {
		if ((rc = match_test(ctx, d)) != 0)
			return rc;
		d->test_what = d->test_file ? d->test_file : "MNIST's test images";
	} else if (d->given[F_TEST_SIZE]) {
		snprintf(d->test_how, sizeof d->test_how, "--test-size %s", d->test_size.text);
		d->test_what = d->test_how;
	} else if (d->given[F_SPLIT]) {
		snprintf(d->test_how, sizeof d->test_how, "--split %s: the rows it calls 'test'",
			 d->split);
		d->test_what = d->test_how;
	}
	describe(d);
	return 0;
}

/* ---- training ---------------------------------------------------------------- */

/* (v - mean) / sd, row by row, into a new matrix (empty for an empty v). */
static int standardise(nn_matrix *out, const nn_matrix *v, const double *mean, const double *sd)
{
	*out = (nn_matrix){ 0 };
	if (!v->data)
		return 0;
	int rc = nn_matrix_new(out, v->rows, v->cols);
	for (size_t j = 0; rc == 0 && j < v->cols; j++)
		for (size_t k = 0; k < v->rows; k++)
			NN_AT(out, k, j) = (NN_AT(v, k, j) - mean[k]) / sd[k];
	return rc;
}

/*
 * Put the target scaling into the output layer: it computed z = (y - m) / s,
 * so y = s z + m, i.e. W_L <- diag(s) W_L and b_L <- s b_L + m; the layer
 * is the last block of the parameters, W_L (column-major, n_L rows) then b_L.
 */
static int fold_targets(nn_net *net, const double *mean, const double *sd)
{
	size_t P = nn_net_param_count(net), L = nn_net_layers(net);
	size_t n = nn_net_width(net, L), m = nn_net_width(net, L - 1);
	double *p = malloc(P * sizeof(double));
	if (!p)
		return NN_ENOMEM;
	int rc = nn_net_get_params(p, net);
	double *W = p + P - n * m - n, *b = p + P - n;
	for (size_t k = 0; k < n; k++) {
		for (size_t j = 0; j < m; j++)
			W[k + n * j] *= sd[k];
		b[k] = sd[k] * b[k] + mean[k];
	}
	if (rc == 0)
		rc = nn_net_set_params(net, p);
	free(p);
	return rc;
}

static int train(tool_ctx *ctx, void *state)
{
	struct train *d = state;
	nn_matrix yv = { 0 }, vv = { 0 };
	tool_target y = { .labels = &d->train.y }, vy = { .labels = &d->val.y };
	int rc = 0;
	if (d->kind == NN_TASK_REGRESS) {
		rc = standardise(&yv, &d->train.v, d->mean, d->sd);
		if (rc == 0)
			rc = standardise(&vv, &d->val.v, d->mean, d->sd);
		y = (tool_target){ .values = &yv };
		vy = (tool_target){ .values = &vv };
	}
	nn_model_state st;
	nn_optim *optim = NULL;
	char title[160];
	snprintf(title, sizeof title, "nn-train %s (seed %u)", d->data, (unsigned)d->seed);
	int status = rc ? tool_nn_error(ctx, rc, "the targets")
		     : tool_fit_train_target(ctx, d->net, &st, &optim, &d->tk, d->eta_used,
					     &d->train.x, &y, &d->val.x, &vy, d->rng, title);
	nn_optim_free(optim);
	nn_matrix_free(&yv);
	nn_matrix_free(&vv);
	if (status == 0 && d->kind == NN_TASK_REGRESS && (rc = fold_targets(d->net, d->mean, d->sd)))
		status = tool_nn_error(ctx, rc, "the model");
	return status;
}

/* ---- the report ---------------------------------------------------------------- */

/* "test accuracy: 0.9737 (37 of 38)" or "test rmse: 0.0123  mae: 0.0101  r2: 0.9998". */
static int score(tool_ctx *ctx, struct train *d, const char *what, const part *p, int confusion)
{
	size_t n = part_rows(p);
	if (n == 0)
		return 0;
	if (d->kind == NN_TASK_REGRESS) {
		nn_metrics m;
		int rc = nn_evaluate_values(&m, NULL, d->net, &p->x, &p->v);
		if (rc)
			return tool_nn_error(ctx, rc, "%s rows", what);
		printf("%s rmse: %.6g  mae: %.6g  r2: %.4f (%zu rows)\n", what, m.rmse, m.mae, m.r2, n);
		return 0;
	}
	size_t K = d->n_out, right = 0;
	int *pred = malloc(n * sizeof(int));
	size_t *cm = calloc(K * K, sizeof(size_t));
	int rc = !pred || !cm ? NN_ENOMEM : nn_predict(pred, NULL, d->net, &p->x);
	if (rc) {
		free(pred);
		free(cm);
		return tool_nn_error(ctx, rc, "%s rows", what);
	}
	for (size_t j = 0; j < n; j++) {
		right += pred[j] == p->y.data[j];
		cm[(size_t)p->y.data[j] * K + (size_t)pred[j]]++;
	}
	printf("%s accuracy: %.4f (%zu of %zu)\n", what, (double)right / (double)n, right, n);
	if (confusion && K <= MAX_CONFUSION) {
		/* a column as wide as its class name (at most 12) or its largest count */
		int w = 5;
		for (size_t c = 0; c < K; c++) {
			int l = (int)strlen(d->class_names[c]);
			w = l > w ? (l < 12 ? l : 12) : w;
		}
		printf("confusion matrix (%s rows; a row per true class, a column per predicted "
		       "class):\n%*s", what, w + 2, "");
		for (size_t c = 0; c < K; c++)
			printf(" %*.*s", w, w, d->class_names[c]);
		putchar('\n');
		for (size_t r = 0; r < K; r++) {
			printf("  %-*.*s", w, w, d->class_names[r]);
			for (size_t c = 0; c < K; c++)
				printf(" %*zu", w, cm[r * K + c]);
			putchar('\n');
		}
	}
	free(pred);
	free(cm);
	return 0;
}

static int report(tool_ctx *ctx, void *state)
{
	struct train *d = state;
	int has_test = part_rows(&d->test) > 0, has_val = part_rows(&d->val) > 0;
	int rc = score(ctx, d, "train", &d->train, 0);
	if (rc == 0)
		rc = score(ctx, d, "validation", &d->val, !has_test);
	if (rc == 0)
		rc = score(ctx, d, "test", &d->test, 1);
	if (rc == 0 && !has_test && !has_val)
		rc = score(ctx, d, "train", &(part){ 0 }, 0);
	fflush(stdout);
	return rc;
}

static int save(tool_ctx *ctx, void *state)
{
	struct train *d = state;
	if (!d->save)
		return 0;
	int rc = tool_save_model(ctx, d->save, d->net, NULL);
	if (rc == 0)
		printf("model saved to %s\n", d->save);
	return rc;
}

static void done(void *state)
{
	struct train *d = state;
	nn_table_free(&d->t);
	nn_table_free(&d->test_t);
	part_free(&d->all);
	part_free(&d->train);
	part_free(&d->val);
	part_free(&d->test);
	free(d->spec);
	free(d->ignore_all);
	free(d->class_names);
	free(d->mean);
	free(d->sd);
	nn_rng_free(d->rng);
	nn_net_free(d->net);
}

int main(int argc, char **argv)
{
	static const tool_phase phases[] = { parse, load, build, train, report, save };
	struct train d = { 0 };
	return tool_main("nn-train", argc, argv, phases, 6, &d, done);
}
