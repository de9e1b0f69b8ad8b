/*
 * Training beyond the lecture, for the programs: the mini-batch flags and
 * their checks, the network they describe, the validation split, the
 * mini-batch run (nn_fitter) driven batch by batch with a line per epoch
 * and the progress within one, a network's precision, and the
 * descriptions and chunked evaluation of any network. The history picture
 * is in picture.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tool-plot.h"
#include "tool-train.h"

const char *const tool_fit_optimizer_names[] = { "sgd", "momentum", "nesterov", "adam", NULL };
static const char *const schedule_names[] = { "constant", "step", "exp", "cosine", NULL };
const char *const tool_fit_activation_names[] = { "sigmoid", "tanh", "relu", "leaky-relu", NULL };
static const char *const cost_names[] = { "quadratic", "ce", NULL };
static const char *const init_names[] = { "lecture", "glorot", "he", "orthogonal", NULL };
const char *const tool_fit_init_titles[] = { "npr.randn (the lecture's)", "Glorot", "He",
					     "orthogonal" };
const char *const tool_precision_names[] = { "f64", "f32", NULL };

/* What each hidden activation is in the library. */
static const nn_activation hidden_act[] = { NN_ACT_SIGMOID, NN_ACT_TANH, NN_ACT_RELU,
					    NN_ACT_LEAKY_RELU };

void tool_fit_init(tool_fit *tk)
{
	*tk = (tool_fit){ .optimizer = TOOL_OPT_ADAM, .batch = 64, .epochs = 10, .momentum = 0.9,
		       .gamma = 0.5, .step_epochs = 10, .layers = "784,256,10",
		       .activation = TOOL_FIT_RELU, .cost = TOOL_COST_CE,
		       .init = TOOL_FIT_INIT_AUTO };
}

size_t tool_fit_flags(tool_flag *out, tool_fit *tk)
{
	const tool_flag f[TOOL_FIT_NFLAGS] = {
		[TOOL_FIT_OPTIMIZER] = { "--optimizer", TOOL_CHOICE, &tk->optimizer, NULL, 0, 0,
					 tool_fit_optimizer_names },
		[TOOL_FIT_BATCH] = { "--batch", TOOL_SIZE, &tk->batch, NULL, 1, 10000000, NULL },
		[TOOL_FIT_EPOCHS] = { "--epochs", TOOL_SIZE, &tk->epochs, NULL, 1, 100000, NULL },
		[TOOL_FIT_MOMENTUM] = { "--momentum", TOOL_NONNEG, &tk->momentum, NULL, 0, 0, NULL },
		[TOOL_FIT_SCHEDULE] = { "--schedule", TOOL_CHOICE, &tk->schedule, NULL, 0, 0,
					schedule_names },
		[TOOL_FIT_GAMMA] = { "--gamma", TOOL_POS, &tk->gamma, NULL, 0, 0, NULL },
		[TOOL_FIT_STEP_EPOCHS] = { "--step-epochs", TOOL_SIZE, &tk->step_epochs, NULL, 1,
					   100000, NULL },
		[TOOL_FIT_ETA_MIN] = { "--eta-min", TOOL_NONNEG, &tk->eta_min, NULL, 0, 0, NULL },
		[TOOL_FIT_LAYERS] = { "--layers", TOOL_STRING, &tk->layers, NULL, 0, 0, NULL },
		[TOOL_FIT_ACTIVATION] = { "--activation", TOOL_CHOICE, &tk->activation, NULL, 0, 0,
					  tool_fit_activation_names },
		[TOOL_FIT_COST] = { "--cost", TOOL_CHOICE, &tk->cost, NULL, 0, 0, cost_names },
		[TOOL_FIT_INIT] = { "--init", TOOL_CHOICE, &tk->init, NULL, 0, 0, init_names },
		[TOOL_FIT_L2] = { "--l2", TOOL_NONNEG, &tk->l2, NULL, 0, 0, NULL },
		[TOOL_FIT_DROPOUT] = { "--dropout", TOOL_NONNEG, &tk->dropout, NULL, 0, 0, NULL },
		[TOOL_FIT_VAL] = { "--val", TOOL_PART, &tk->val, NULL, 1, 100000000, NULL },
		[TOOL_FIT_PATIENCE] = { "--patience", TOOL_SIZE, &tk->patience, NULL, 1, 100000, NULL },
		[TOOL_FIT_HISTORY] = { "--history", TOOL_STRING, &tk->history, NULL, 0, 0, NULL },
		[TOOL_FIT_PLOT_HISTORY] = { "--plot-history", TOOL_STRING, &tk->plot_history, NULL, 0,
					    0, NULL },
		[TOOL_FIT_PROGRESS] = { "--progress", TOOL_SWITCH, &tk->progress, NULL, 0, 0, NULL },
	};
	for (size_t i = 0; i < TOOL_FIT_NFLAGS; i++) {
		out[i] = f[i];
		out[i].given = &tk->given[i];
	}
	return TOOL_FIT_NFLAGS;
}

const char *tool_fit_first(const tool_fit *tk)
{
	tool_flag f[TOOL_FIT_NFLAGS];
	tool_fit copy = *tk; /* the table points into it; only names and given are read */
	tool_fit_flags(f, &copy);
	return tool_first_given(f, TOOL_FIT_NFLAGS);
}

/* The network of --layers, --activation and --cost (its default
 * initialisation): 0, nn_net_parse()'s error (its detail still to be read),
 * or 1: the output layer is not the softmax that --cost ce needs. */
static int parse_net(nn_net **net, const tool_fit *tk)
{
	nn_activation out = tk->cost == TOOL_COST_CE ? NN_ACT_SOFTMAX : NN_ACT_SIGMOID;
	int rc = nn_net_parse(net, tk->layers, hidden_act[tk->activation], out);
	/* the cost of --cost, whatever the output layer nn_net_new_layers() chose by */
	if (rc == 0 && nn_net_set_cost(*net, tk->cost == TOOL_COST_CE ? NN_COST_CE
				       : NN_COST_QUADRATIC) != 0) {
		nn_net_free(*net);
		*net = NULL;
		rc = 1;
	}
	return rc;
}

/* The model file's limit on a layer's units (doc/model-format.md). */
#define MAX_UNITS (1u << 24)

/* --layers against the data: inputs in, classes out, what a model file holds. */
static int check_layers(tool_ctx *ctx, tool_fit *tk, size_t inputs, size_t classes)
{
	nn_net *net = NULL;
	int rc = parse_net(&net, tk), status = TOOL_USAGE;
	if (rc == 1) {
		tool_error(ctx, "--layers: the output layer of '%s' is not softmax, which --cost ce "
			   "needs", tk->layers);
		return TOOL_USAGE;
	}
	if (rc) {
		tool_error(ctx, "--layers: %s", nn_error_message(rc));
		return rc == NN_ENOMEM ? TOOL_RUNTIME : TOOL_USAGE;
	}
	nn_shape in = nn_net_input_shape(net);
	size_t L = nn_net_layers(net), in_n = nn_net_width(net, 0), out_n = nn_net_width(net, L);
	if (in_n != inputs && in.height == 1 && in.width == 1) {
		tool_error(ctx, "--layers: the first width must be %zu (the inputs of the data), not %zu",
			   inputs, in_n);
		goto out;
	}
	if (in_n != inputs) {
		tool_error(ctx, "--layers: the input %zux%zux%zu holds %zu values; the data have %zu",
			   in.height, in.width, in.channels, in_n, inputs);
		goto out;
	}
	if (out_n != classes) {
		tool_error(ctx, "--layers: the last width must be %zu (the classes of the data), not %zu",
			   classes, out_n);
		goto out;
	}
	for (size_t l = 1; l <= L; l++) {
		nn_layer ly;
		if (nn_net_layer(&ly, NULL, net, l) == 0 && ly.units > MAX_UNITS) {
			tool_error(ctx, "--layers: layer %zu has %zu units; a model file holds at most %u",
				   l, ly.units, MAX_UNITS);
			goto out;
		}
	}
	tk->input = in;
	status = 0;
out:
	nn_net_free(net);
	return status;
}

int tool_fit_check(tool_ctx *ctx, tool_fit *tk, size_t inputs, size_t classes, double *eta,
		   int eta_given)
{
	const int *g = tk->given;
	int rc = check_layers(ctx, tk, inputs, classes);
	if (rc)
		return rc;
	if (!(tk->momentum < 1)) {
		tool_error(ctx, "--momentum: %g is out of range; it must be 0 or more and below 1",
			 tk->momentum);
		return TOOL_USAGE;
	}
	if (g[TOOL_FIT_MOMENTUM] && tk->optimizer != TOOL_OPT_MOMENTUM &&
	    tk->optimizer != TOOL_OPT_NESTEROV) {
		tool_error(ctx, "--momentum applies only to --optimizer momentum or nesterov");
		return TOOL_USAGE;
	}
	if (!(tk->gamma <= 1)) {
		tool_error(ctx, "--gamma: %g is out of range; it must be above 0 and at most 1",
			 tk->gamma);
		return TOOL_USAGE;
	}
	if (g[TOOL_FIT_GAMMA] && tk->schedule != TOOL_SCHED_STEP && tk->schedule != TOOL_SCHED_EXP) {
		tool_error(ctx, "--gamma applies only to --schedule step or exp");
		return TOOL_USAGE;
	}
	if (g[TOOL_FIT_STEP_EPOCHS] && tk->schedule != TOOL_SCHED_STEP) {
		tool_error(ctx, "--step-epochs applies only to --schedule step");
		return TOOL_USAGE;
	}
	if (g[TOOL_FIT_ETA_MIN] && tk->schedule != TOOL_SCHED_COSINE) {
		tool_error(ctx, "--eta-min applies only to --schedule cosine");
		return TOOL_USAGE;
	}
	if (!(tk->dropout < 1)) {
		tool_error(ctx, "--dropout: %g is out of range; it must be 0 or more and below 1",
			 tk->dropout);
		return TOOL_USAGE;
	}
	if (g[TOOL_FIT_PATIENCE] && !g[TOOL_FIT_VAL]) {
		tool_error(ctx, "--patience needs --val: early stopping watches the validation cost");
		return TOOL_USAGE;
	}
	if (!eta_given)
		*eta = tk->optimizer == TOOL_OPT_ADAM ? 1e-3 : tk->optimizer == TOOL_OPT_SGD ? 0.1 : 0.01;
	if (tk->eta_min > *eta) {
		tool_error(ctx, "--eta-min: %g is above the step size %g", tk->eta_min, *eta);
		return TOOL_USAGE;
	}
	if (tk->init == TOOL_FIT_INIT_AUTO)
		tk->init = tk->activation == TOOL_FIT_RELU || tk->activation == TOOL_FIT_LEAKY_RELU
			? TOOL_FIT_INIT_HE : TOOL_FIT_INIT_GLOROT;
	return 0;
}

void tool_fit_describe(char *buf, size_t n, const tool_fit *tk, double eta)
{
	int k = snprintf(buf, n, "%s", tool_fit_optimizer_names[tk->optimizer]);
	if (tk->optimizer == TOOL_OPT_MOMENTUM || tk->optimizer == TOOL_OPT_NESTEROV)
		k += snprintf(buf + k, n - (size_t)k, " (mu %g)", tk->momentum);
	k += snprintf(buf + k, n - (size_t)k, " eta %g, batch %zu, %zu epoch%s", eta, tk->batch,
		      tk->epochs, tk->epochs == 1 ? "" : "s");
	switch (tk->schedule) {
	case TOOL_SCHED_STEP:
		k += snprintf(buf + k, n - (size_t)k, ", eta x %g every %zu epochs", tk->gamma,
			      tk->step_epochs);
		break;
	case TOOL_SCHED_EXP:
		k += snprintf(buf + k, n - (size_t)k, ", eta x %g every epoch", tk->gamma);
		break;
	case TOOL_SCHED_COSINE:
		k += snprintf(buf + k, n - (size_t)k, ", cosine schedule to %g", tk->eta_min);
		break;
	}
	if (tk->l2 > 0)
		k += snprintf(buf + k, n - (size_t)k, ", l2 %g", tk->l2);
	if (tk->dropout > 0)
		k += snprintf(buf + k, n - (size_t)k, ", dropout %g", tk->dropout);
	if (tk->patience)
		snprintf(buf + k, n - (size_t)k, ", patience %zu", tk->patience);
}

int tool_set_precision(tool_ctx *ctx, nn_net *net, nn_precision precision)
{
	int rc = precision == NN_F64 ? 0 : nn_net_set_precision(net, precision);
	return rc ? tool_nn_error(ctx, rc, "--precision %s", tool_precision_names[precision]) : 0;
}

int tool_fit_net(tool_ctx *ctx, nn_net **net, const tool_fit *tk, nn_precision precision,
		 nn_rng *rng)
{
	int rc = parse_net(net, tk);
	if (rc) /* tool_fit_check() has seen them all */
		return tool_nn_error(ctx, rc < 0 ? rc : NN_EINVAL, "--layers %s", tk->layers);
	/* the precision first: everything made for the network follows it */
	if (tool_set_precision(ctx, *net, precision))
		goto fail;
	switch (tk->init) {
	case TOOL_FIT_INIT_LECTURE:
		rc = nn_net_init_randn(*net, rng);
		break;
	case TOOL_FIT_INIT_GLOROT:
		rc = nn_net_init_glorot(*net, rng);
		break;
	case TOOL_FIT_INIT_HE:
		rc = nn_net_init_he(*net, rng);
		break;
	default:
		/* the gain that keeps a ReLU layer's variance (as He's sqrt(2)) */
		rc = nn_net_init_orthogonal(*net, rng, tk->activation >= TOOL_FIT_RELU ? sqrt(2.0) : 1.0);
		break;
	}
	if (rc == 0)
		return 0;
	tool_nn_error(ctx, rc, "initialising --layers %s", tk->layers);
fail:
	nn_net_free(*net);
	*net = NULL;
	return TOOL_RUNTIME;
}

static const char *act_name(nn_activation a)
{
	static const char *const names[NN_ACT_COUNT_] = { "sigmoid", "identity", "tanh", "relu",
							 "leaky-relu", "softmax" };
	return (unsigned)a < NN_ACT_COUNT_ ? names[a] : "?";
}

int tool_net_dense(const nn_net *net)
{
	nn_shape in = nn_net_input_shape(net);
	if (in.height != 1 || in.width != 1)
		return 0;
	for (size_t l = 1; l <= nn_net_layers(net); l++) {
		nn_layer ly;
		if (nn_net_layer(&ly, NULL, net, l) != 0 || ly.type != NN_LAYER_DENSE)
			return 0;
	}
	return 1;
}

void tool_net_shape(char *buf, size_t n, const nn_net *net)
{
	int k = 0;
	buf[0] = '\0';
	if (!tool_net_dense(net))
		return;
	for (size_t l = 0; l <= nn_net_layers(net) && (size_t)k < n; l++)
		k += snprintf(buf + k, n - (size_t)k, "%s%zu", l ? "-" : "", nn_net_width(net, l));
}

void tool_net_describe(char *buf, size_t n, const nn_net *net)
{
	size_t L = nn_net_layers(net), k;
	if (tool_net_dense(net)) {
		int same = 1;
		tool_net_shape(buf, n, net);
		k = strlen(buf);
		for (size_t l = 2; l <= L; l++)
			same &= nn_net_activation(net, l) == nn_net_activation(net, 1);
		if (k < n && same) {
			k += (size_t)snprintf(buf + k, n - k, " %s network",
					      act_name(nn_net_activation(net, 1)));
		} else if (k < n) {
			/* the hidden activation once when the hidden layers share it */
			int hidden_same = 1;
			for (size_t l = 2; l < L; l++)
				hidden_same &= nn_net_activation(net, l) == nn_net_activation(net, 1);
			k += (size_t)snprintf(buf + k, n - k, " network, %s%s hidden, %s output",
					      act_name(nn_net_activation(net, 1)),
					      hidden_same ? "" : " ...",
					      act_name(nn_net_activation(net, L)));
		}
	} else {
		k = nn_net_describe(buf, n, net); /* every layer and its activation */
	}
	static const char *const costs[] = { "quadratic cost", "binary cross-entropy cost",
					     "cross-entropy cost" };
	nn_cost c = nn_net_cost(net);
	if (k < n)
		k += (size_t)snprintf(buf + k, n - k, ", %s", (unsigned)c < 3 ? costs[c] : "?");
	if (k < n && nn_net_precision(net) == NN_F32)
		snprintf(buf + k, n - k, ", float32");
}

void tool_param_count(char *buf, size_t n, const nn_net *net)
{
	size_t L = nn_net_layers(net), k = 0;
	nn_shape in = nn_net_input_shape(net), out;
	buf[0] = '\0';
	for (size_t l = 1; l <= L && k < n; l++, in = out) {
		nn_layer ly;
		if (nn_net_layer(&ly, &out, net, l) != 0)
			return;
		const char *plus = k ? " + " : "";
		if (ly.type == NN_LAYER_DENSE) /* W is units x (C*H*W of its input) */
			k += (size_t)snprintf(buf + k, n - k, "%s(%zu + 1) * %zu", plus,
					      in.channels * in.height * in.width, ly.units);
		else if (ly.type == NN_LAYER_CONV2D) /* W is C_out x (k*k*C_in) */
			k += (size_t)snprintf(buf + k, n - k, "%s(%zu*%zu*%zu + 1) * %zu", plus,
					      ly.kernel, ly.kernel, in.channels, ly.units);
	}
	if (k < n)
		snprintf(buf + k, n - k, " = %zu", nn_net_param_count(net));
}

int tool_fit_split(tool_ctx *ctx, nn_matrix *train_x, nn_labels *train_y, nn_matrix *val_x,
		   nn_labels *val_y, const tool_fit *tk, const nn_matrix *X, const nn_labels *y,
		   nn_rng *rng)
{
	*val_x = (nn_matrix){ 0 };
	*val_y = (nn_labels){ 0 };
	if (!tk->given[TOOL_FIT_VAL]) {
		*train_x = nn_matrix_view(X->data, X->rows, X->cols, X->ld);
		*train_y = (nn_labels){ .n = y->n, .data = y->data, .owner = 0 };
		return 0;
	}
	size_t N = X->cols;
	/* train_test_split rounds a test fraction up */
	size_t held = tk->val.count ? tk->val.count : (size_t)ceil(tk->val.fraction * (double)N);
	if (held >= N) {
		tool_error(ctx, "--val %s: holds out %zu of the %zu training samples and leaves none "
			   "to train on", tk->val.text, held, N);
		return TOOL_RUNTIME;
	}
	nn_split_options s = nn_split_defaults();
	s.test_size = tk->val.fraction;
	s.test_count = tk->val.count;
	int rc = nn_train_test_split(train_x, val_x, train_y, val_y, X, y, &s, rng);
	return rc ? tool_nn_error(ctx, rc, "--val %s", tk->val.text) : 0;
}

int tool_evaluate(double *cost, size_t *correct, const nn_net *net, const nn_matrix *X,
		const nn_labels *y)
{
	size_t chunk = X->cols < 1024 ? X->cols : 1024, right = 0;
	double sum = 0;
	nn_workspace *ws = NULL;
	int rc = nn_workspace_new(&ws, net, chunk);
	for (size_t j0 = 0; rc == 0 && j0 < X->cols; j0 += chunk) {
		size_t nb = X->cols - j0 < chunk ? X->cols - j0 : chunk, r = 0;
		double c = 0;
		nn_matrix part = nn_matrix_view(X->data + j0 * X->ld, X->rows, nb, X->ld);
		nn_labels lab = { .n = nb, .data = y->data + j0, .owner = 0 };
		rc = nn_evaluate(&c, &r, ws, net, &part, &lab);
		sum += c;
		right += r;
	}
	nn_workspace_free(ws);
	if (cost)
		*cost = sum;
	if (correct)
		*correct = right;
	return rc;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/*
 * The lines of a run: one per epoch, and within an epoch the batches done
 * -- on a terminal a line rewritten in place (a carriage return), with
 * --progress elsewhere a line each time -- after the first batch and then
 * about every second, so that a log or a test sees nothing extra unless
 * asked.
 */
enum { PROGRESS_OFF, PROGRESS_TERMINAL, PROGRESS_LINES };

struct progress {
	size_t epochs;  /* asked for */
	size_t batches; /* an epoch's */
	int mode;       /* PROGRESS_* */
	double t0;      /* the epoch's start */
	double last;    /* when the progress was last written */
	int shown;      /* the width of the terminal line written, to erase */
};

/* Blank out the terminal's progress line before a line of its own. */
static void progress_erase(struct progress *p)
{
	if (p->shown)
		printf("\r%*s\r", p->shown, "");
	p->shown = 0;
}

/* "epoch 3/15  234/469 batches  cost 0.3120  12.3 s": after batch `done`
 * of f's epoch in progress, the mean cost of its batches so far. */
static void progress_batch(struct progress *p, const nn_fitter *f, size_t done)
{
	double t = now();
	if (done > 1 && t - p->last < 1.0)
		return;
	p->last = t;
	nn_fit_progress fp;
	nn_fitter_progress(f, &fp);
	char line[128];
	int k = snprintf(line, sizeof(line), "epoch %zu/%zu  %zu/%zu batches  cost %.4f  %.1f s",
			 fp.epoch + 1, p->epochs, done, p->batches, fp.cost, t - p->t0);
	if (p->mode == PROGRESS_TERMINAL) {
		/* spaces over what a longer line before it left */
		printf("\r%s%*s", line, p->shown > k ? p->shown - k : 0, "");
		p->shown = k > p->shown ? k : p->shown;
	} else {
		printf("%s\n", line);
	}
	fflush(stdout);
}

/* "epoch 3/20  2.41 s  train cost 0.3120 acc 0.8871  val cost 0.3411 acc 0.8790";
 * on values "... train cost 0.0120 rmse 0.1549 r2 0.9760  val cost ...". */
static int epoch_line(void *user, const nn_epoch_stats *e)
{
	struct progress *p = user;
	int values = !isnan(e->train_mse);
	progress_erase(p);
	printf("epoch %zu/%zu  %.2f s  train cost %.4f", e->epoch + 1, p->epochs, e->seconds,
	       e->train_cost);
	if (values)
		printf(" rmse %.4f r2 %.4f", sqrt(e->train_mse), e->train_r2);
	else
		printf(" acc %.4f", e->train_accuracy);
	if (!isnan(e->val_cost) && values)
		printf("  val cost %.4f rmse %.4f r2 %.4f", e->val_cost, sqrt(e->val_mse), e->val_r2);
	else if (!isnan(e->val_cost))
		printf("  val cost %.4f acc %.4f", e->val_cost, e->val_accuracy);
	putchar('\n');
	fflush(stdout);
	return 0;
}

/* The fit options tk and eta describe. */
static nn_fit_options fit_options(const tool_fit *tk, double eta)
{
	nn_fit_options fo = nn_fit_defaults();
	fo.optim.kind = (nn_optimizer)(NN_OPT_SGD + tk->optimizer);
	fo.optim.momentum = tk->momentum;
	fo.optim.l2 = tk->l2;
	fo.eta = eta;
	fo.schedule = (nn_schedule)(NN_SCHEDULE_CONSTANT + tk->schedule);
	fo.gamma = tk->gamma;
	fo.step_epochs = tk->step_epochs;
	fo.eta_min = tk->eta_min;
	fo.batch_size = tk->batch;
	fo.epochs = tk->epochs;
	fo.dropout = tk->dropout;
	return fo;
}

/* "trained 3 epochs in 2.41 s (0.803 s an epoch); ..." */
static void print_summary(const nn_history *h, const nn_fit_options *fo, double wall, int rc)
{
	double train_s = 0;
	for (size_t i = 0; i < h->n; i++)
		train_s += h->epochs[i].seconds;
	printf("trained %zu epoch%s in %.2f s (%.3f s an epoch)", h->n, h->n == 1 ? "" : "s",
	       train_s, h->n ? train_s / (double)h->n : 0.0);
	if (fo->val_x)
		printf("; %.2f s with validation", wall);
	if (h->stopped_early)
		printf("; stopped early: no lower validation cost in %zu epochs", fo->patience);
	if (rc == 0 && fo->patience)
		printf("; keeping epoch %zu (lowest validation cost)", h->best_epoch + 1);
	putchar('\n');
}

/*
 * nn_fit's loop over the run object, with the batches of each epoch but its
 * last run one by one for the progress; nn_fitter_epoch() runs the last and
 * closes the epoch (validation, early stopping, the epoch's line).
 */
static int fit(nn_history *h, nn_net *net, const nn_matrix *X, const tool_target *y,
	       const nn_fit_options *fo, nn_rng *rng, struct progress *p)
{
	nn_fitter *f = NULL;
	int rc = y->values ? nn_fitter_new_values(&f, net, X, y->values, fo, rng)
			   : nn_fitter_new(&f, net, X, y->labels, fo, rng);
	size_t N = fo->dist.reduce ? fo->dist.shard_total : X->cols, B = fo->batch_size;
	p->batches = B == 0 || B >= N ? 1 : (N + B - 1) / B;
	while (rc == 0 && !nn_fitter_done(f)) {
		p->t0 = now();
		for (size_t b = 1; rc == 0 && b < p->batches; b++)
			if ((rc = nn_fitter_batch(f)) == 0 && p->mode != PROGRESS_OFF)
				progress_batch(p, f, b);
		if (rc == 0)
			rc = nn_fitter_epoch(f, NULL);
	}
	progress_erase(p);
	if (rc == 0 || rc == NN_EDIVERGED)
		nn_fitter_finish(f, h);
	nn_fitter_free(f);
	return rc;
}

int tool_fit_train(tool_ctx *ctx, nn_net *net, nn_model_state *state, nn_optim **optim,
		   const tool_fit *tk, double eta, const nn_matrix *X, const nn_labels *y,
		   const nn_matrix *val_x, const nn_labels *val_y, nn_rng *rng, const char *title)
{
	const tool_target t = { .labels = y }, v = { .labels = val_y };
	return tool_fit_train_target(ctx, net, state, optim, tk, eta, X, &t, val_x, &v, rng, title);
}

int tool_fit_train_target(tool_ctx *ctx, nn_net *net, nn_model_state *state, nn_optim **optim,
			  const tool_fit *tk, double eta, const nn_matrix *X, const tool_target *y,
			  const nn_matrix *val_x, const tool_target *val_y, nn_rng *rng,
			  const char *title)
{
	*state = (nn_model_state){ 0 };
	*optim = NULL;
	struct progress p = { .epochs = tk->epochs };
	/* the first process alone prints; under mpirun standard output is a
	 * terminal whatever mpirun's own is (Open MPI hands its processes a
	 * pseudo-terminal), so there it takes --progress, and writes lines */
	int terminal = !ctx->mpi && isatty(STDOUT_FILENO);
	if (tool_root(ctx) && (tk->progress || terminal))
		p.mode = terminal ? PROGRESS_TERMINAL : PROGRESS_LINES;
	nn_fit_options fo = fit_options(tk, eta);
	if (val_x && val_x->cols && val_y) {
		fo.val_x = val_x;
		fo.val_y = val_y->labels;
		fo.val_values = val_y->values;
		fo.patience = tk->patience;
	}
	fo.callback = epoch_line;
	fo.user = &p;
	nn_history h = { 0 };
	int orc = nn_optim_new(optim, net, &fo.optim);
	/* under mpirun every process learns of one that has no optimiser */
	int rc = tool_fit_dist(ctx, &fo.dist, X->cols, orc);
	if (rc)
		return tool_nn_error(ctx, rc, orc ? "optimizer" : "training");
	fo.resume = *optim;
	double t0 = now();
	rc = fit(&h, net, X, y, &fo, rng, &p);
	double wall = now() - t0;
	fflush(stdout);
	int status = TOOL_OK;
	if (rc == NN_EDIVERGED)
		tool_warn(ctx, "training diverged in epoch %zu (the cost is no longer finite; try a "
			  "smaller --eta); keeping the weights from before it", h.n);
	else if (rc)
		status = tool_nn_error(ctx, rc, "training");
	if (status == TOOL_OK) {
		print_summary(&h, &fo, wall, rc);
		/* the optimiser's moments go with the weights only when they belong together */
		if (rc == 0 && h.n && h.best_epoch + 1 == h.n)
			nn_optim_state(state, *optim);
		if (tk->history && tool_root(ctx))
			status = tool_save_history(ctx, tk->history, &h);
	}
	if (status == TOOL_OK && tk->plot_history && tool_root(ctx))
		status = tool_plot_history(ctx, tk->plot_history, &h, title);
	nn_history_free(&h);
	return status;
}
