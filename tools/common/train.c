/*
 * Training beyond the lecture, for the programs: the mini-batch flags and
 * their checks, the network they describe, the validation split, nn_fit
 * with a progress line per epoch, and the descriptions and chunked
 * evaluation of any network. The history picture is in picture.c.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tool-plot.h"
#include "tool-train.h"

const char *const tool_fit_optimizer_names[] = { "sgd", "momentum", "nesterov", "adam", NULL };
static const char *const schedule_names[] = { "constant", "step", "exp", "cosine", NULL };
const char *const tool_fit_activation_names[] = { "sigmoid", "tanh", "relu", "leaky-relu", NULL };
static const char *const cost_names[] = { "quadratic", "ce", NULL };
static const char *const init_names[] = { "lecture", "glorot", "he", "orthogonal", NULL };

/* What each hidden activation is in the library. */
static const nn_activation hidden_act[] = { NN_ACT_SIGMOID, NN_ACT_TANH, NN_ACT_RELU,
					    NN_ACT_LEAKY_RELU };

void tool_fit_init(tool_fit *tk)
{
	*tk = (tool_fit){ .optimizer = TOOL_OPT_ADAM, .batch = 64, .epochs = 10, .momentum = 0.9,
		       .gamma = 0.5, .step_epochs = 10, .layers = "784,256,10",
		       .activation = TOOL_FIT_RELU, .cost = TOOL_COST_CE, .init = TOOL_FIT_INIT_HE };
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

/* "784,256,10" into sizes; every width 1 .. 2^24 (the model file's limit). */
static int parse_layers(tool_ctx *ctx, tool_fit *tk)
{
	const char *s = tk->layers;
	size_t n = 0;
	for (;;) {
		if (*s < '0' || *s > '9') {
			tool_error(ctx, "--layers: '%s' is not a list of widths such as 784,256,10",
				 tk->layers);
			return TOOL_USAGE;
		}
		errno = 0;
		char *end;
		unsigned long long v = strtoull(s, &end, 10);
		if (errno == ERANGE || v < 1 || v > (1u << 24)) {
			tool_error(ctx, "--layers: width '%.*s' is out of range; give 1 to 16777216",
				 (int)(end - s), s);
			return TOOL_USAGE;
		}
		if (n == TOOL_FIT_MAX_LAYERS + 1) {
			tool_error(ctx, "--layers: more than %d layers", TOOL_FIT_MAX_LAYERS);
			return TOOL_USAGE;
		}
		tk->sizes[n++] = (size_t)v;
		if (*end == '\0')
			break;
		if (*end != ',') {
			tool_error(ctx, "--layers: '%s' is not a list of widths such as 784,256,10",
				 tk->layers);
			return TOOL_USAGE;
		}
		s = end + 1;
	}
	if (n < 2) {
		tool_error(ctx, "--layers: '%s' has one width; give at least the inputs and the outputs",
			 tk->layers);
		return TOOL_USAGE;
	}
	tk->n_layers = n - 1;
	return 0;
}

int tool_fit_check(tool_ctx *ctx, tool_fit *tk, size_t inputs, size_t classes, double *eta,
		   int eta_given)
{
	const int *g = tk->given;
	int rc = parse_layers(ctx, tk);
	if (rc)
		return rc;
	if (tk->sizes[0] != inputs) {
		tool_error(ctx, "--layers: the first width must be %zu (the inputs of the data), not %zu",
			 inputs, tk->sizes[0]);
		return TOOL_USAGE;
	}
	if (tk->sizes[tk->n_layers] != classes) {
		tool_error(ctx, "--layers: the last width must be %zu (the classes of the data), not %zu",
			 classes, tk->sizes[tk->n_layers]);
		return TOOL_USAGE;
	}
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
	if (!g[TOOL_FIT_INIT])
		tk->init = tk->activation == TOOL_FIT_RELU || tk->activation == TOOL_FIT_LEAKY_RELU
			? TOOL_FIT_INIT_HE : TOOL_FIT_INIT_GLOROT;
	return 0;
}

void tool_fit_describe(char *buf, size_t n, const tool_fit *tk, double eta)
{
	int k = snprintf(buf, n, "%s", tool_fit_optimizer_names[tk->optimizer]);
	if (tk->optimizer == TOOL_OPT_MOMENTUM || tk->optimizer == TOOL_OPT_NESTEROV)
		k += snprintf(buf + k, n - (size_t)k, " (mu %g)", tk->momentum);
	k += snprintf(buf + k, n - (size_t)k, " eta %g, batch %zu, %zu epochs", eta, tk->batch,
		      tk->epochs);
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

int tool_fit_net(tool_ctx *ctx, nn_net **net, const tool_fit *tk, nn_rng *rng)
{
	nn_activation acts[TOOL_FIT_MAX_LAYERS];
	size_t L = tk->n_layers;
	for (size_t l = 0; l + 1 < L; l++)
		acts[l] = hidden_act[tk->activation];
	acts[L - 1] = tk->cost == TOOL_COST_CE ? NN_ACT_SOFTMAX : NN_ACT_SIGMOID;
	int rc = nn_net_new(net, L, tk->sizes, acts);
	if (rc == 0 && tk->cost == TOOL_COST_CE)
		rc = nn_net_set_cost(*net, NN_COST_CE);
	if (rc == 0) {
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
			rc = nn_net_init_orthogonal(*net, rng, tk->activation >= TOOL_FIT_RELU ? sqrt(2.0)
						    : 1.0);
			break;
		}
	}
	if (rc) {
		nn_net_free(*net);
		*net = NULL;
		return tool_nn_error(ctx, rc, "model %s", tk->layers);
	}
	return 0;
}

static const char *act_name(nn_activation a)
{
	static const char *const names[NN_ACT_COUNT_] = { "sigmoid", "identity", "tanh", "relu",
							 "leaky-relu", "softmax" };
	return (unsigned)a < NN_ACT_COUNT_ ? names[a] : "?";
}

void tool_net_shape(char *buf, size_t n, const nn_net *net)
{
	int k = 0;
	buf[0] = '\0';
	for (size_t l = 0; l <= nn_net_layers(net) && (size_t)k < n; l++)
		k += snprintf(buf + k, n - (size_t)k, "%s%zu", l ? "-" : "", nn_net_width(net, l));
}

void tool_net_describe(char *buf, size_t n, const nn_net *net)
{
	size_t L = nn_net_layers(net);
	int same = 1;
	tool_net_shape(buf, n, net);
	int k = (int)strlen(buf);
	for (size_t l = 2; l <= L; l++)
		same &= nn_net_activation(net, l) == nn_net_activation(net, 1);
	if ((size_t)k < n && same) {
		k += snprintf(buf + k, n - (size_t)k, " %s network", act_name(nn_net_activation(net, 1)));
	} else if ((size_t)k < n) {
		/* the hidden activation once when the hidden layers share it */
		int hidden_same = 1;
		for (size_t l = 2; l < L; l++)
			hidden_same &= nn_net_activation(net, l) == nn_net_activation(net, 1);
		k += snprintf(buf + k, n - (size_t)k, " network, %s%s hidden, %s output",
			      act_name(nn_net_activation(net, 1)), hidden_same ? "" : " ...",
			      act_name(nn_net_activation(net, L)));
	}
	static const char *const costs[] = { "quadratic cost", "binary cross-entropy cost",
					     "cross-entropy cost" };
	nn_cost c = nn_net_cost(net);
	if ((size_t)k < n)
		snprintf(buf + k, n - (size_t)k, ", %s", (unsigned)c < 3 ? costs[c] : "?");
}

void tool_param_count(char *buf, size_t n, const nn_net *net)
{
	size_t L = nn_net_layers(net);
	int k = 0;
	for (size_t l = 1; l <= L && (size_t)k < n; l++)
		k += snprintf(buf + k, n - (size_t)k, "%s(%zu + 1) * %zu", l > 1 ? " + " : "",
			      nn_net_width(net, l - 1), nn_net_width(net, l));
	if ((size_t)k < n)
		snprintf(buf + k, n - (size_t)k, " = %zu", nn_net_param_count(net));
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

struct progress {
	size_t epochs;
};

/* "epoch 3/20  2.41 s  train cost 0.3120 acc 0.8871  val cost 0.3411 acc 0.8790" */
static int progress_cb(void *user, const nn_epoch_stats *e)
{
	const struct progress *p = user;
	printf("epoch %zu/%zu  %.2f s  train cost %.4f acc %.4f", e->epoch + 1, p->epochs, e->seconds,
	       e->train_cost, e->train_accuracy);
	if (!isnan(e->val_cost))
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

int tool_fit_train(tool_ctx *ctx, nn_net *net, nn_model_state *state, nn_optim **optim,
		   const tool_fit *tk, double eta, const nn_matrix *X, const nn_labels *y,
		   const nn_matrix *val_x, const nn_labels *val_y, nn_rng *rng, const char *title)
{
	*state = (nn_model_state){ 0 };
	*optim = NULL;
	struct progress p = { tk->epochs };
	nn_fit_options fo = fit_options(tk, eta);
	if (val_x && val_x->cols) {
		fo.val_x = val_x;
		fo.val_y = val_y;
		fo.patience = tk->patience;
	}
	fo.callback = progress_cb;
	fo.user = &p;
	nn_history h = { 0 };
	int rc = nn_optim_new(optim, net, &fo.optim);
	if (rc)
		return tool_nn_error(ctx, rc, "optimizer");
	fo.resume = *optim;
	double t0 = now();
	rc = nn_fit(net, &h, X, y, &fo, rng);
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
		if (tk->history)
			status = tool_save_history(ctx, tk->history, &h);
	}
	if (status == TOOL_OK && tk->plot_history)
		status = tool_plot_history(ctx, tk->plot_history, &h, title);
	nn_history_free(&h);
	return status;
}
