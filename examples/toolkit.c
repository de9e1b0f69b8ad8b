/*
 * Mini-batch training for the programs: flags, checks, the network, the
 * validation split, nn_fit with a progress line per epoch, chunked
 * evaluation and model files. The history picture is in toolkit_plot.c.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "toolkit.h"

const char *const ex_tk_optimizer_names[] = { "sgd", "momentum", "nesterov", "adam", NULL };
static const char *const schedule_names[] = { "constant", "step", "exp", "cosine", NULL };
const char *const ex_tk_activation_names[] = { "sigmoid", "tanh", "relu", "leaky-relu", NULL };
static const char *const cost_names[] = { "quadratic", "ce", NULL };
static const char *const init_names[] = { "lecture", "glorot", "he", "orthogonal", NULL };

/* What each hidden activation is in the library. */
static const nn_activation hidden_act[] = { NN_ACT_SIGMOID, NN_ACT_TANH, NN_ACT_RELU,
					    NN_ACT_LEAKY_RELU };

void ex_tk_init(ex_tk *tk)
{
	*tk = (ex_tk){ .optimizer = EX_OPT_ADAM, .batch = 64, .epochs = 10, .momentum = 0.9,
		       .gamma = 0.5, .step_epochs = 10, .layers = "784,256,10",
		       .activation = EX_TK_RELU, .cost = EX_COST_CE, .init = EX_TK_INIT_HE };
}

size_t ex_tk_flags(ex_flag *out, ex_tk *tk)
{
	const ex_flag f[EX_TK_NFLAGS] = {
		[EX_TK_OPTIMIZER] = { "--optimizer", EX_CHOICE, &tk->optimizer, NULL, 0, 0,
				      ex_tk_optimizer_names, 0 },
		[EX_TK_BATCH] = { "--batch", EX_SIZE, &tk->batch, NULL, 1, 10000000, NULL, 0 },
		[EX_TK_EPOCHS] = { "--epochs", EX_SIZE, &tk->epochs, NULL, 1, 100000, NULL, 0 },
		[EX_TK_MOMENTUM] = { "--momentum", EX_NONNEG, &tk->momentum, NULL, 0, 0, NULL, 0 },
		[EX_TK_SCHEDULE] = { "--schedule", EX_CHOICE, &tk->schedule, NULL, 0, 0,
				     schedule_names, 0 },
		[EX_TK_GAMMA] = { "--gamma", EX_POS, &tk->gamma, NULL, 0, 0, NULL, 0 },
		[EX_TK_STEP_EPOCHS] = { "--step-epochs", EX_SIZE, &tk->step_epochs, NULL, 1, 100000,
					NULL, 0 },
		[EX_TK_ETA_MIN] = { "--eta-min", EX_NONNEG, &tk->eta_min, NULL, 0, 0, NULL, 0 },
		[EX_TK_LAYERS] = { "--layers", EX_STRING, &tk->layers, NULL, 0, 0, NULL, 0 },
		[EX_TK_ACTIVATION] = { "--activation", EX_CHOICE, &tk->activation, NULL, 0, 0,
				       ex_tk_activation_names, 0 },
		[EX_TK_COST] = { "--cost", EX_CHOICE, &tk->cost, NULL, 0, 0, cost_names, 0 },
		[EX_TK_INIT] = { "--init", EX_CHOICE, &tk->init, NULL, 0, 0, init_names, 0 },
		[EX_TK_L2] = { "--l2", EX_NONNEG, &tk->l2, NULL, 0, 0, NULL, 0 },
		[EX_TK_DROPOUT] = { "--dropout", EX_NONNEG, &tk->dropout, NULL, 0, 0, NULL, 0 },
		[EX_TK_VAL] = { "--val", EX_STRING, &tk->val, NULL, 0, 0, NULL, 0 },
		[EX_TK_PATIENCE] = { "--patience", EX_SIZE, &tk->patience, NULL, 1, 100000, NULL, 0 },
		[EX_TK_HISTORY] = { "--history", EX_STRING, &tk->history, NULL, 0, 0, NULL, 0 },
		[EX_TK_PLOT_HISTORY] = { "--plot-history", EX_STRING, &tk->plot_history, NULL, 0, 0,
					 NULL, 0 },
	};
	for (size_t i = 0; i < EX_TK_NFLAGS; i++) {
		out[i] = f[i];
		out[i].given = &tk->given[i];
	}
	return EX_TK_NFLAGS;
}

int ex_tk_any(const ex_tk *tk)
{
	return ex_tk_first(tk) != NULL;
}

const char *ex_tk_first(const ex_tk *tk)
{
	for (size_t i = 0; i < EX_TK_NFLAGS; i++)
		if (tk->given[i]) {
			ex_flag f[EX_TK_NFLAGS];
			ex_tk names; /* only the flags' names are wanted */
			ex_tk_flags(f, &names);
			return f[i].name;
		}
	return NULL;
}

/* "784,256,10" into sizes; every width 1 .. 2^24 (the model file's limit). */
static int parse_layers(ex_tk *tk, const char *prog)
{
	const char *s = tk->layers;
	size_t n = 0;
	for (;;) {
		if (*s < '0' || *s > '9') {
			ex_error(prog, "--layers: '%s' is not a list of widths such as 784,256,10",
				 tk->layers);
			return EX_USAGE;
		}
		errno = 0;
		char *end;
		unsigned long long v = strtoull(s, &end, 10);
		if (errno == ERANGE || v < 1 || v > (1u << 24)) {
			ex_error(prog, "--layers: width '%.*s' is out of range; give 1 to 16777216",
				 (int)(end - s), s);
			return EX_USAGE;
		}
		if (n == EX_TK_MAX_LAYERS + 1) {
			ex_error(prog, "--layers: more than %d layers", EX_TK_MAX_LAYERS);
			return EX_USAGE;
		}
		tk->sizes[n++] = (size_t)v;
		if (*end == '\0')
			break;
		if (*end != ',') {
			ex_error(prog, "--layers: '%s' is not a list of widths such as 784,256,10",
				 tk->layers);
			return EX_USAGE;
		}
		s = end + 1;
	}
	if (n < 2) {
		ex_error(prog, "--layers: '%s' has one width; give at least the inputs and the outputs",
			 tk->layers);
		return EX_USAGE;
	}
	tk->n_layers = n - 1;
	return 0;
}

/* --val: a fraction in (0, 1) ("0.1") or a count of samples ("6000"). */
static int parse_val(ex_tk *tk, const char *prog)
{
	const char *v = tk->val;
	char *end;
	errno = 0;
	if (strspn(v, "0123456789") == strlen(v)) {
		unsigned long long c = strtoull(v, &end, 10);
		if (errno != ERANGE && c >= 1 && c <= 100000000) {
			tk->val_count = (size_t)c;
			return 0;
		}
	} else if (*v != ' ' && *v != '\t' && *v) {
		double f = strtod(v, &end);
		if (*end == '\0' && f > 0 && f < 1) {
			tk->val_fraction = f;
			return 0;
		}
	}
	ex_error(prog, "--val: '%s' is neither a fraction between 0 and 1 nor a number of samples "
		 "from 1 to 100000000", v);
	return EX_USAGE;
}

int ex_tk_check(ex_tk *tk, const char *prog, size_t inputs, size_t classes, double *eta,
		int eta_given)
{
	const int *g = tk->given;
	int rc = parse_layers(tk, prog);
	if (rc)
		return rc;
	if (tk->sizes[0] != inputs) {
		ex_error(prog, "--layers: the first width must be %zu (the inputs of the data), not %zu",
			 inputs, tk->sizes[0]);
		return EX_USAGE;
	}
	if (tk->sizes[tk->n_layers] != classes) {
		ex_error(prog, "--layers: the last width must be %zu (the classes of the data), not %zu",
			 classes, tk->sizes[tk->n_layers]);
		return EX_USAGE;
	}
	if (tk->val && (rc = parse_val(tk, prog)))
		return rc;
	if (!(tk->momentum < 1)) {
		ex_error(prog, "--momentum: %g is out of range; it must be 0 or more and below 1",
			 tk->momentum);
		return EX_USAGE;
	}
	if (g[EX_TK_MOMENTUM] && tk->optimizer != EX_OPT_MOMENTUM &&
	    tk->optimizer != EX_OPT_NESTEROV) {
		ex_error(prog, "--momentum applies only to --optimizer momentum or nesterov");
		return EX_USAGE;
	}
	if (!(tk->gamma <= 1)) {
		ex_error(prog, "--gamma: %g is out of range; it must be above 0 and at most 1",
			 tk->gamma);
		return EX_USAGE;
	}
	if (g[EX_TK_GAMMA] && tk->schedule != EX_SCHED_STEP && tk->schedule != EX_SCHED_EXP) {
		ex_error(prog, "--gamma applies only to --schedule step or exp");
		return EX_USAGE;
	}
	if (g[EX_TK_STEP_EPOCHS] && tk->schedule != EX_SCHED_STEP) {
		ex_error(prog, "--step-epochs applies only to --schedule step");
		return EX_USAGE;
	}
	if (g[EX_TK_ETA_MIN] && tk->schedule != EX_SCHED_COSINE) {
		ex_error(prog, "--eta-min applies only to --schedule cosine");
		return EX_USAGE;
	}
	if (!(tk->dropout < 1)) {
		ex_error(prog, "--dropout: %g is out of range; it must be 0 or more and below 1",
			 tk->dropout);
		return EX_USAGE;
	}
	if (g[EX_TK_PATIENCE] && !tk->val) {
		ex_error(prog, "--patience needs --val: early stopping watches the validation cost");
		return EX_USAGE;
	}
	if (!eta_given)
		*eta = tk->optimizer == EX_OPT_ADAM ? 1e-3 : tk->optimizer == EX_OPT_SGD ? 0.1 : 0.01;
	if (tk->eta_min > *eta) {
		ex_error(prog, "--eta-min: %g is above the step size %g", tk->eta_min, *eta);
		return EX_USAGE;
	}
	if (!g[EX_TK_INIT])
		tk->init = tk->activation == EX_TK_RELU || tk->activation == EX_TK_LEAKY_RELU
			? EX_TK_INIT_HE : EX_TK_INIT_GLOROT;
	return 0;
}

void ex_tk_describe(char *buf, size_t n, const ex_tk *tk, double eta)
{
	int k = snprintf(buf, n, "%s", ex_tk_optimizer_names[tk->optimizer]);
	if (tk->optimizer == EX_OPT_MOMENTUM || tk->optimizer == EX_OPT_NESTEROV)
		k += snprintf(buf + k, n - (size_t)k, " (mu %g)", tk->momentum);
	k += snprintf(buf + k, n - (size_t)k, " eta %g, batch %zu, %zu epochs", eta, tk->batch,
		      tk->epochs);
	switch (tk->schedule) {
	case EX_SCHED_STEP:
		k += snprintf(buf + k, n - (size_t)k, ", eta x %g every %zu epochs", tk->gamma,
			      tk->step_epochs);
		break;
	case EX_SCHED_EXP:
		k += snprintf(buf + k, n - (size_t)k, ", eta x %g every epoch", tk->gamma);
		break;
	case EX_SCHED_COSINE:
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

int ex_tk_net(nn_net **net, const char *prog, const ex_tk *tk, nn_rng *rng)
{
	nn_activation acts[EX_TK_MAX_LAYERS];
	size_t L = tk->n_layers;
	for (size_t l = 0; l + 1 < L; l++)
		acts[l] = hidden_act[tk->activation];
	acts[L - 1] = tk->cost == EX_COST_CE ? NN_ACT_SOFTMAX : NN_ACT_SIGMOID;
	int rc = nn_net_new(net, L, tk->sizes, acts);
	if (rc == 0 && tk->cost == EX_COST_CE)
		rc = nn_net_set_cost(*net, NN_COST_CE);
	if (rc == 0) {
		switch (tk->init) {
		case EX_TK_INIT_LECTURE:
			rc = nn_net_init_randn(*net, rng);
			break;
		case EX_TK_INIT_GLOROT:
			rc = nn_net_init_glorot(*net, rng);
			break;
		case EX_TK_INIT_HE:
			rc = nn_net_init_he(*net, rng);
			break;
		default:
			/* the gain that keeps a ReLU layer's variance (as He's sqrt(2)) */
			rc = nn_net_init_orthogonal(*net, rng, tk->activation >= EX_TK_RELU ? sqrt(2.0)
						    : 1.0);
			break;
		}
	}
	if (rc) {
		nn_net_free(*net);
		*net = NULL;
		ex_error(prog, "model %s: %s", tk->layers, nn_strerror(rc));
		return EX_RUNTIME;
	}
	return 0;
}

static const char *act_name(nn_activation a)
{
	static const char *const names[NN_ACT_COUNT_] = { "sigmoid", "identity", "tanh", "relu",
							 "leaky-relu", "softmax" };
	return (unsigned)a < NN_ACT_COUNT_ ? names[a] : "?";
}

void ex_net_shape(char *buf, size_t n, const nn_net *net)
{
	int k = 0;
	buf[0] = '\0';
	for (size_t l = 0; l <= nn_net_layers(net) && (size_t)k < n; l++)
		k += snprintf(buf + k, n - (size_t)k, "%s%zu", l ? "-" : "", nn_net_width(net, l));
}

void ex_net_describe(char *buf, size_t n, const nn_net *net)
{
	size_t L = nn_net_layers(net);
	int same = 1;
	ex_net_shape(buf, n, net);
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

void ex_param_count(char *buf, size_t n, const nn_net *net)
{
	size_t L = nn_net_layers(net);
	int k = 0;
	for (size_t l = 1; l <= L && (size_t)k < n; l++)
		k += snprintf(buf + k, n - (size_t)k, "%s(%zu + 1) * %zu", l > 1 ? " + " : "",
			      nn_net_width(net, l - 1), nn_net_width(net, l));
	if ((size_t)k < n)
		snprintf(buf + k, n - (size_t)k, " = %zu", nn_net_param_count(net));
}

int ex_tk_split(nn_matrix *train_x, nn_labels *train_y, nn_matrix *val_x, nn_labels *val_y,
		const char *prog, const ex_tk *tk, const nn_matrix *X, const nn_labels *y,
		nn_rng *rng)
{
	*val_x = (nn_matrix){ 0 };
	*val_y = (nn_labels){ 0 };
	if (!tk->val) {
		*train_x = nn_matrix_view(X->data, X->rows, X->cols, X->ld);
		*train_y = (nn_labels){ .n = y->n, .data = y->data, .owner = 0 };
		return 0;
	}
	size_t N = X->cols;
	/* train_test_split rounds a test fraction up */
	size_t held = tk->val_count ? tk->val_count : (size_t)ceil(tk->val_fraction * (double)N);
	if (held >= N) {
		ex_error(prog, "--val %s: holds out %zu of the %zu training samples and leaves none to "
			 "train on", tk->val, held, N);
		return EX_RUNTIME;
	}
	nn_split_options s = nn_split_defaults();
	s.test_size = tk->val_fraction;
	s.test_count = tk->val_count;
	int rc = nn_train_test_split(train_x, val_x, train_y, val_y, X, y, &s, rng);
	if (rc) {
		ex_error(prog, "--val %s: %s", tk->val, nn_strerror(rc));
		return EX_RUNTIME;
	}
	return 0;
}

int ex_evaluate(double *cost, size_t *correct, const nn_net *net, const nn_matrix *X,
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

int ex_tk_train(const char *prog, nn_net *net, nn_model_state *state, nn_optim **optim,
		const ex_tk *tk, double eta, const nn_matrix *X, const nn_labels *y,
		const nn_matrix *val_x, const nn_labels *val_y, nn_rng *rng, const char *title)
{
	*state = (nn_model_state){ 0 };
	*optim = NULL;
	struct progress p = { tk->epochs };
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
	if (val_x && val_x->cols) {
		fo.val_x = val_x;
		fo.val_y = val_y;
		fo.patience = tk->patience;
	}
	fo.callback = progress_cb;
	fo.user = &p;
	nn_history h = { 0 };
	int status = EX_RUNTIME;
	int rc = nn_optim_new(optim, net, &fo.optim);
	if (rc) {
		ex_error(prog, "optimizer: %s", nn_strerror(rc));
		goto out;
	}
	fo.resume = *optim;
	double t0 = now();
	rc = nn_fit(net, &h, X, y, &fo, rng);
	double wall = now() - t0;
	fflush(stdout);
	if (rc == NN_EDIVERGED) {
		ex_error(prog, "training diverged in epoch %zu (the cost is no longer finite; try a "
			 "smaller --eta); keeping the weights from before it", h.n);
	} else if (rc) {
		ex_error(prog, "training: %s", nn_strerror(rc));
		goto out;
	}
	double train_s = 0;
	for (size_t i = 0; i < h.n; i++)
		train_s += h.epochs[i].seconds;
	printf("trained %zu epoch%s in %.2f s (%.3f s an epoch)", h.n, h.n == 1 ? "" : "s", train_s,
	       h.n ? train_s / (double)h.n : 0.0);
	if (fo.val_x)
		printf("; %.2f s with validation", wall);
	if (h.stopped_early)
		printf("; stopped early: no lower validation cost in %zu epochs", tk->patience);
	if (rc == 0 && fo.patience)
		printf("; keeping epoch %zu (lowest validation cost)", h.best_epoch + 1);
	putchar('\n');
	/* the optimiser's moments go with the weights only when they belong together */
	if (rc == 0 && h.n && h.best_epoch + 1 == h.n)
		nn_optim_state(state, *optim);
	if (tk->history && (rc = nn_history_write_csv(tk->history, &h)) != 0) {
		ex_error(prog, "%s: %s", tk->history, rc == NN_EIO ? strerror(errno) : nn_strerror(rc));
		goto out;
	}
	if (tk->plot_history && ex_plot_fit_history(prog, tk->plot_history, &h, title))
		goto out;
	status = fflush(stdout) == 0 ? EX_OK : EX_RUNTIME;
out:
	nn_history_free(&h);
	return status;
}

int ex_model_save(const char *prog, const char *path, const nn_net *net,
		  const nn_model_state *state)
{
	int rc = nn_model_save(path, net, state && state->kind ? state : NULL);
	if (rc) {
		ex_error(prog, "%s: %s", path, rc == NN_EIO ? strerror(errno) : nn_strerror(rc));
		return EX_RUNTIME;
	}
	return 0;
}

int ex_model_load(nn_net **net, const char *prog, const char *path, size_t inputs,
		  size_t classes)
{
	int rc = nn_model_load(net, NULL, path);
	if (rc) {
		ex_error(prog, "%s: %s", path, nn_strerror(rc));
		return EX_RUNTIME;
	}
	size_t in = nn_net_width(*net, 0), out = nn_net_width(*net, nn_net_layers(*net));
	const char *why = NULL;
	if (in != inputs)
		why = "inputs";
	else if (!(out == 1 && classes == 2) && out < classes)
		why = "outputs";
	if (why) {
		ex_error(prog, "%s: the model has %zu %s; the data needs %zu", path,
			 why[0] == 'i' ? in : out, why, why[0] == 'i' ? inputs : classes);
		nn_net_free(*net);
		*net = NULL;
		return EX_RUNTIME;
	}
	return 0;
}
