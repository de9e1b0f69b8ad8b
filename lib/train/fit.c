/*
 * Mini-batch training as a run object: nn_fitter_new allocates everything,
 * nn_fitter_batch runs one batch, nn_fitter_epoch closes an epoch
 * (validation, best weights, early stopping, the callback), and nn_fit is
 * the loop over them.
 *
 * A batch is gathered into one n_0 x batch_size buffer (the shuffled
 * columns are not contiguous in X); a full batch without shuffling uses X
 * in place. A sparse input (opt.input, nn_gd_new's rule) is gathered
 * straight into compressed form instead, in room sized once for the
 * densest possible batch, and the first layer's two products run on the
 * sparse kernels. The last, smaller batch runs the same calls on fewer
 * columns. A distributed run (opt->dist) goes through the same batch: each
 * process gathers the samples of the global batch that its shard holds
 * (possibly none), and one reduction sums [gradient, cost, correct] before
 * the update.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nn/fit.h"
#include "nn_internal.h"

/* Reduced with the gradient: cost, correct, sse, sae, then each output's sse. */
#define EXTRA(k) (4 + (k))

struct nn_fitter {
	nn_net *net;             /* borrowed: updated in place */
	const nn_matrix *X;      /* borrowed: this process's samples (all of them, alone) */
	const nn_labels *y;      /* borrowed: X's labels, or NULL */
	const nn_matrix *Y;      /* borrowed: X's target values, or NULL */
	nn__target vt;           /* the validation set's target */
	nn_fit_options opt;      /* a copy; what its pointers point to is borrowed */
	nn_rng *rng;             /* borrowed */
	size_t N;                /* samples of the (global) training set */
	size_t first;            /* global index of X's first column (0 alone) */
	size_t B;                /* batch size */
	int in_place;            /* X itself is the one batch: no gathering */
	nn_workspace *ws;        /* batches */
	nn_workspace *ews;       /* validation, in chunks */
	void *grad;              /* net's layout and precision */
	double *red;             /* a distributed run's reduction, [gradient as doubles, extras]:
				    the gradient buffer itself for a float64 network */
	double *extra;           /* EXTRA(k) doubles: the batch's cost, correct, sse, sae and
				    each output's sse, after the gradient in red when distributed */
	nn_optim *own;           /* the optimiser made here, or NULL */
	nn_optim *optim;         /* own or opt.resume */
	size_t *perm;            /* the epoch's order of the N samples */
	void *xb;                /* the gathered batch (n_0 x B, the network's precision, scaled
				    as it scales its input), unless in place or sparse */
	nn_sparse *sp;           /* or the batch in compressed form (opt.input), else NULL */
	size_t *cols;            /* its columns of X (B) */
	int *yb;                 /* its labels */
	nn_matrix Yb;            /* or its target values (k x B) */
	unsigned char *held;     /* held[j]: this process holds column j of the global batch */
	void **masks;            /* dropout: masks[l], 1 <= l < L, of the network's type, or NULL */
	void *mask_buf;
	void *start;             /* the weights at the start of the epoch, restored on divergence */
	nn_net *best;            /* the weights of the lowest validation cost (with validation) */
	nn_epoch_stats *epochs;  /* opt.epochs entries */
	/* the epoch in progress */
	size_t e;                /* epochs closed */
	size_t j0;               /* next sample of the epoch; 0: the epoch has not begun */
	double t0, eta, cost_sum, sse, sae;
	size_t right;
	double *sse_k;           /* values: each output's squared errors this epoch */
	double *sst_k;           /* values: each output's total sum of squares over the set */
	double *val_sse_k;       /* values: each output's squared errors on the validation set */
	/* across epochs */
	double best_val;
	size_t best_epoch, since_best;
	int stopped, diverged, done;
};

NN_EXPORT nn_fit_options nn_fit_defaults(void)
{
	return (nn_fit_options){
		.optim = nn_optim_defaults(), .eta = 0.1, .schedule = NN_SCHEDULE_CONSTANT,
		.step_epochs = 10, .gamma = 0.5, .eta_min = 0.0, .batch_size = 32, .epochs = 10,
		.shuffle = 1,
	};
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static const double pi = 3.14159265358979323846;

static double schedule_eta(const nn_fit_options *o, size_t epoch)
{
	switch (o->schedule) {
	case NN_SCHEDULE_STEP:
		return o->eta * pow(o->gamma, (double)(epoch / o->step_epochs));
	case NN_SCHEDULE_EXPONENTIAL:
		return o->eta * pow(o->gamma, (double)epoch);
	case NN_SCHEDULE_COSINE:
		return o->eta_min + (o->eta - o->eta_min) *
			(1 + cos(pi * (double)epoch / (double)o->epochs)) / 2;
	case NN_SCHEDULE_CONSTANT:
	default:
		return o->eta;
	}
}

static int check_options(const nn_fit_options *o)
{
	int decays = o->schedule == NN_SCHEDULE_STEP || o->schedule == NN_SCHEDULE_EXPONENTIAL;
	if (!(o->eta > 0) || !isfinite(o->eta))
		return nn__errorf(NN_EINVAL, "eta is %g; it must be finite and > 0", o->eta);
	if (o->epochs == 0)
		return nn__errorf(NN_EINVAL, "epochs is 0; it must be at least 1");
	if ((unsigned)o->schedule >= NN_SCHEDULE_COUNT_)
		return nn__errorf(NN_EINVAL, "schedule %d is not an nn_schedule", (int)o->schedule);
	if (o->schedule == NN_SCHEDULE_STEP && o->step_epochs == 0)
		return nn__errorf(NN_EINVAL, "the step schedule needs step_epochs >= 1");
	if (decays && !(o->gamma > 0 && o->gamma <= 1))
		return nn__errorf(NN_EINVAL, "gamma is %g; it must be in (0, 1]", o->gamma);
	if (o->schedule == NN_SCHEDULE_COSINE && !(o->eta_min >= 0 && o->eta_min <= o->eta))
		return nn__errorf(NN_EINVAL, "eta_min is %g; it must be in [0, eta = %g]", o->eta_min,
				  o->eta);
	if (!(o->dropout >= 0 && o->dropout < 1))
		return nn__errorf(NN_EINVAL, "dropout is %g; it must be in [0, 1)", o->dropout);
	if (!o->val_x != !(o->val_y || o->val_values) || (o->val_y && o->val_values))
		return nn__errorf(NN_EINVAL, "val_x goes with one of val_y and val_values");
	if (o->patience && !o->val_x)
		return nn__errorf(NN_EINVAL, "patience %zu needs a validation set (val_x, val_y): "
				  "early stopping watches the validation cost", o->patience);
	if (!o->resume && nn__optim_check(&o->optim))
		return NN_EINVAL; /* nn__optim_check said which */
	if (o->dist.reduce && o->dist.shard_total == 0)
		return nn__errorf(NN_EINVAL, "dist.shard_total is 0");
	return 0;
}

/* The first layer can read a batch in compressed form: it is dense, and
 * the input scaling sends 0 to 0. */
static int sparse_ok(const nn_net *net)
{
	if (net->layer[0].type != NN_LAYER_DENSE)
		return 0;
	for (size_t i = 0; net->scaling != NN_SCALING_NONE && i < net->sizes[0]; i++)
		if (net->shift[i] != 0.0)
			return 0;
	return 1;
}

/* Validate what nn_fitter_new is given; 0 or an error code. */
static int check_run(const nn_net *net, const nn_matrix *X, const nn_labels *y,
		     const nn_matrix *Y, const nn_fit_options *o, const nn_rng *rng)
{
	int rc = check_options(o);
	if (rc)
		return rc;
	int dropout_layers = 0;
	for (size_t l = 0; l < net->n_layers; l++)
		dropout_layers |= net->layer[l].type == NN_LAYER_DROPOUT && net->layer[l].rate > 0;
	if ((o->shuffle || o->dropout > 0 || dropout_layers) && !rng)
		return nn__errorf(NN_ENULL, "shuffling and dropout draw from an rng: rng is NULL");
	const nn_dist *d = &o->dist;
	if (d->reduce &&
	    (d->shard_first > d->shard_total || X->cols > d->shard_total - d->shard_first))
		return nn__errorf(NN_EINVAL, "the shard [%zu, %zu) lies outside the %zu samples",
				  d->shard_first, d->shard_first + X->cols, d->shard_total);
	/* a distributed shard may be empty */
	if ((rc = nn__check_data(net, X, y, Y, d->reduce != NULL)))
		return rc;
	if ((unsigned)o->input >= NN_INPUT_COUNT_)
		return nn__errorf(NN_EINVAL, "input %d is not an nn_input_mode", (int)o->input);
	if (o->input == NN_INPUT_SPARSE && !sparse_ok(net))
		return nn__errorf(NN_EINVAL, "the sparse input path needs a dense first layer and "
				  "an input scaling that keeps zeros (no shift)");
	if (o->val_x && Y && !o->val_values)
		return nn__errorf(NN_EINVAL, "a run on values validates on values: val_values");
	if (o->val_x && y && !o->val_y)
		return nn__errorf(NN_EINVAL, "a run on labels validates on labels: val_y");
	if (o->val_x && (rc = nn__check_data(net, o->val_x, y ? o->val_y : NULL,
					      y ? NULL : o->val_values, 0)))
		return rc;
	/* a caller's optimiser made for other layer sizes */
	return o->resume ? nn__optim_fits(o->resume, net) : 0;
}

/*
 * Which layers' outputs get a dropout mask: every dropout layer, and with
 * opt.dropout every hidden layer that has an activation (the fused path).
 * The rate of layer l's mask, or 0 for none.
 */
static double mask_rate(const nn_net *net, const nn_fit_options *o, size_t l)
{
	const nn__layer *L = &net->layer[l - 1];
	if (l == net->n_layers)
		return 0;
	if (L->type == NN_LAYER_DROPOUT)
		return L->rate;
	return L->type == NN_LAYER_DENSE || L->type == NN_LAYER_CONV2D ? o->dropout : 0;
}

/*
 * The batches in compressed form, when opt.input asks or AUTO finds X
 * sparse enough for this CPU's kernels (nn_input_threshold()): room for
 * the B densest columns of X, so no batch allocates.
 */
static int alloc_sparse(nn_fitter *f)
{
	const nn_net *net = f->net;
	const nn_matrix *X = f->X;
	nn_input_mode mode = f->opt.input;
	if (mode == NN_INPUT_DENSE || !sparse_ok(net))
		return 0;
	double cells = (double)X->rows * (double)X->cols;
	double density = cells > 0 ? (double)nn__count_nonzero(X) / cells : 1.0;
	if (!nn__sparse_wanted(mode, density, f->ws->simd))
		return 0;
	size_t B = f->B < X->cols ? f->B : X->cols;
	int rc = nn__sparse_alloc(&f->sp, net->sizes[0], B ? B : 1, nn__sparse_max_nnz(X, B),
				  net->sizes[1], nn__blas_threads(), net->f32);
	if (!rc && !(f->cols = malloc((B ? B : 1) * sizeof(size_t))))
		rc = NN_ENOMEM;
	if (!rc && f->in_place) /* X is every batch: compressed once (unscaled, float64) */
		nn__sparse_fill(f->sp, X, NULL, X->cols, NULL);
	return rc;
}

/* Everything the epochs need, allocated once. */
static int fitter_alloc(nn_fitter *f)
{
	const nn_net *net = f->net;
	const nn_fit_options *o = &f->opt;
	size_t L = net->n_layers, B = f->B, masked = 0;
	for (size_t l = 1; l < L; l++)
		masked += mask_rate(net, o, l) > 0 ? net->sizes[l] : 0;
	int rc;
	size_t k = net->sizes[L], P = net->n_params, elem = nn__elem(net);
	int dist = o->dist.reduce != NULL;
	if (!(f->epochs = calloc(o->epochs, sizeof(*f->epochs))) ||
	    !(f->perm = malloc(f->N * sizeof(*f->perm))) || !(f->yb = malloc(B * sizeof(*f->yb))) ||
	    !(f->held = malloc(B)) || !(f->start = malloc((P ? P : 1) * elem)) ||
	    !(f->sse_k = calloc(4 * k, sizeof(double))))
		return NN_ENOMEM;
	/* the reduction: a float64 gradient with the extras after it, reduced in
	 * place; a float32 one through doubles */
	int in_grad = dist && !net->f32;
	if (!(f->grad = nn__grad_new(net, in_grad ? EXTRA(k) : 0)))
		return NN_ENOMEM;
	f->red = in_grad ? f->grad : NULL;
	if (!in_grad && !(f->red = calloc((dist ? P : 0) + EXTRA(k), sizeof(double))))
		return NN_ENOMEM;
	f->extra = f->red + (dist ? P : 0);
	f->sst_k = f->sse_k + k;
	f->val_sse_k = f->sse_k + 2 * k; /* and the validation set's SST after it */
	if ((rc = nn_workspace_new(&f->ws, net, B)))
		return rc;
	if ((rc = alloc_sparse(f)))
		return rc;
	if (!f->in_place && !f->sp && !(f->xb = malloc(net->sizes[0] * B * elem)))
		return NN_ENOMEM;
	if (f->Y && !f->in_place && (rc = nn_matrix_new(&f->Yb, k, B)))
		return rc;
	if (masked) {
		/* one scale factor per masked value and sample: 0 or 1 / (1 - p) */
		if (!(f->masks = calloc(L, sizeof(*f->masks))) ||
		    !(f->mask_buf = malloc(masked * B * elem)))
			return NN_ENOMEM;
		for (size_t l = 1, off = 0; l < L; l++)
			if (mask_rate(net, o, l) > 0) {
				f->masks[l] = (char *)f->mask_buf + off * elem;
				off += net->sizes[l] * B;
			}
	}
	if (o->val_x) {
		if ((rc = nn__workspace_new(&f->ews, net, nn__eval_chunk(net, o->val_x->cols), 0)) ||
		    (rc = nn_net_clone(&f->best, net)))
			return rc;
	}
	if (!o->resume && (rc = nn_optim_new(&f->own, net, &o->optim)))
		return rc;
	f->optim = o->resume ? o->resume : f->own;
	for (size_t i = 0; i < f->N; i++)
		f->perm[i] = i;
	return 0;
}

/* What the processes of a distributed run must agree on before training. */
static uint64_t fingerprint(const nn_fitter *f)
{
	const nn_fit_options *o = &f->opt;
	nn_optim_options rule = nn_optim_settings(f->optim);
	double settings[] = {
		o->eta, (double)o->schedule, (double)o->step_epochs, o->gamma, o->eta_min,
		(double)f->B, (double)o->epochs, (double)o->shuffle, (double)o->patience,
		(double)(o->val_x != NULL), (double)o->dist.shard_total, o->dropout, (double)rule.kind,
		rule.momentum, rule.beta1, rule.beta2, rule.epsilon, rule.l2, (double)o->input,
	};
	uint64_t h = nn__net_fingerprint(f->net, NN__HASH_START);
	h = nn__hash(h, settings, sizeof(settings));
	return o->shuffle || f->masks ? nn__rng_fingerprint(f->rng, h) : h;
}

/*
 * The total sum of squares of each output's targets over the whole training
 * set, for R^2 (two passes alone; a distributed run sums each process's
 * sums and sums of squares).
 */
static int sum_squares(nn_fitter *f)
{
	const nn_matrix *Y = f->Y;
	size_t k = Y->rows, N = Y->cols;
	const nn_dist *d = &f->opt.dist;
	if (!d->reduce) {
		nn__sst(f->sst_k, Y);
		return 0;
	}
	double *sums = calloc(2 * k, sizeof(double));
	if (!sums)
		return NN_ENOMEM;
	for (size_t i = 0; i < k; i++)
		for (size_t j = 0; j < N; j++) {
			sums[i] += NN_AT(Y, i, j);
			sums[k + i] += NN_AT(Y, i, j) * NN_AT(Y, i, j);
		}
	int rc = d->reduce(d->user, sums, 2 * k, NN_REDUCE_SUM);
	for (size_t i = 0; !rc && i < k; i++)
		f->sst_k[i] = sums[k + i] - sums[i] * sums[i] / (double)f->N;
	free(sums);
	return rc;
}

/* nn_fitter_new on labels y or values Y. */
static int fitter_new(nn_fitter **out, nn_net *net, const nn_matrix *X, const nn_labels *y,
		      const nn_matrix *Y, const nn_fit_options *opt, nn_rng *rng)
{
	nn__clear_error();
	if (!out)
		return NN_ENULL;
	*out = NULL;
	nn_fit_options defaults = nn_fit_defaults();
	if (!opt)
		opt = &defaults;
	if (!net || !X || (!y && !Y))
		return opt->dist.reduce ? nn__dist_start(&opt->dist, NN_ENULL, 0) : NN_ENULL;
	nn_fitter *f = NULL;
	int rc = check_run(net, X, y, Y, opt, rng);
	if (!rc && !(f = calloc(1, sizeof(*f))))
		rc = NN_ENOMEM;
	if (!rc) {
		const nn_dist *d = &opt->dist;
		*f = (nn_fitter){ .net = net, .X = X, .y = y, .Y = Y, .opt = *opt, .rng = rng,
				  .best_val = INFINITY };
		if (opt->val_x)
			f->vt = nn__target_of(opt->val_y, Y ? opt->val_values : NULL);
		/* N: samples of the (global) training set; this process holds X->cols of them */
		f->N = d->reduce ? d->shard_total : X->cols;
		f->first = d->reduce ? d->shard_first : 0;
		f->B = opt->batch_size == 0 || opt->batch_size > f->N ? f->N : opt->batch_size;
		/* X itself is the one batch: no shuffle, no scaling, one process */
		f->in_place = f->B == f->N && !opt->shuffle && !d->reduce &&
			      !nn__needs_input_copy(net);
		rc = fitter_alloc(f);
	}
	if (opt->dist.reduce)
		rc = nn__dist_start(&opt->dist, rc, rc ? 0 : fingerprint(f));
	if (!rc && Y)
		rc = sum_squares(f);
	if (rc) {
		nn_fitter_free(f);
		return rc;
	}
	*out = f;
	return 0;
}

NN_EXPORT int nn_fitter_new(nn_fitter **out, nn_net *net, const nn_matrix *X, const nn_labels *y,
			    const nn_fit_options *opt, nn_rng *rng)
{
	return fitter_new(out, net, X, y, NULL, opt, rng);
}

NN_EXPORT int nn_fitter_new_values(nn_fitter **out, nn_net *net, const nn_matrix *X,
				   const nn_matrix *Y, const nn_fit_options *opt, nn_rng *rng)
{
	if (!Y) {
		if (out)
			*out = NULL;
		return opt && opt->dist.reduce ? nn__dist_start(&opt->dist, NN_ENULL, 0) : NN_ENULL;
	}
	return fitter_new(out, net, X, NULL, Y, opt, rng);
}

/* The first batch of an epoch: its step size, its order, its starting weights. */
static void begin_epoch(nn_fitter *f)
{
	f->t0 = now();
	f->eta = schedule_eta(&f->opt, f->e);
	f->cost_sum = f->sse = f->sae = 0;
	f->right = 0;
	memset(f->sse_k, 0, f->net->sizes[f->net->n_layers] * sizeof(double));
	memcpy(f->start, f->net->params, f->net->n_params * nn__elem(f->net));
	if (f->opt.shuffle)
		nn_rng_permutation(f->rng, f->perm, f->N);
}

/* The batch's samples that this process holds, gathered into xb, or into
 * sp in compressed form (all of them, alone; as the first layer reads
 * them), with their targets; or X itself when it is the one batch. *x, *ld:
 * where a dense batch is; returns its columns. */
static size_t gather(nn_fitter *f, size_t nb, nn__target *t, const void **x, size_t *ld)
{
	if (f->in_place) {
		memset(f->held, 1, nb);
		*t = nn__target_of(f->y, f->Y);
		*x = f->X->data;
		*ld = f->X->ld;
		return f->X->cols;
	}
	const nn_net *net = f->net;
	size_t n0 = net->sizes[0], kk = net->sizes[net->n_layers], k = 0, elem = nn__elem(net);
	for (size_t j = 0; j < nb; j++) {
		size_t g = f->perm[f->j0 + j], c = g - f->first;
		f->held[j] = g >= f->first && c < f->X->cols;
		if (!f->held[j])
			continue;
		if (f->sp)
			f->cols[k] = c;
		else if (nn__needs_input_copy(net))
			nn__input_copy((char *)f->xb + k * n0 * elem, n0, net, f->X, c, 1);
		else
			memcpy((char *)f->xb + k * n0 * elem, f->X->data + c * f->X->ld,
			       n0 * sizeof(double));
		if (f->Y)
			memcpy(f->Yb.data + k * kk, f->Y->data + c * f->Y->ld, kk * sizeof(double));
		else
			f->yb[k] = f->y->data[c];
		k++;
	}
	if (f->sp)
		nn__sparse_fill(f->sp, f->X, f->cols, k,
				net->scaling != NN_SCALING_NONE ? net->scale : NULL);
	*t = f->Y ? (nn__target){ .Y = f->Yb.data, .ldy = kk } : (nn__target){ .labels = f->yb };
	*x = f->xb;
	*ld = n0;
	return k;
}

/*
 * Inverted dropout: drawn per batch, layer, column and unit, for every
 * column of the global batch, so that every process draws what one process
 * would; each keeps the columns it holds.
 */
static void draw_masks(nn_fitter *f, size_t nb)
{
	for (size_t l = 1; l < f->net->n_layers; l++) {
		double p = mask_rate(f->net, &f->opt, l), keep = 1.0 / (1.0 - p);
		size_t n = f->net->sizes[l], at = 0;
		if (!f->masks[l])
			continue;
		double *m64 = f->masks[l];
		float *m32 = f->masks[l];
		for (size_t j = 0; j < nb; j++) {
			for (size_t i = 0; i < n; i++) {
				double v = nn_rng_random(f->rng) < p ? 0.0 : keep;
				if (f->held[j] && f->net->f32)
					m32[at + i] = (float)v;
				else if (f->held[j])
					m64[at + i] = v;
			}
			at += f->held[j] ? n : 0;
		}
	}
}

NN_EXPORT int nn_fitter_batch(nn_fitter *f)
{
	if (!f)
		return NN_ENULL;
	if (f->done || f->j0 >= f->N)
		return NN_EINVAL;
	if (f->j0 == 0)
		begin_epoch(f);
	nn_net *net = f->net;
	size_t nb = f->N - f->j0 < f->B ? f->N - f->j0 : f->B, P = net->n_params;
	size_t k = net->sizes[net->n_layers];
	nn__target t;
	const void *x;
	size_t ld, cols = gather(f, nb, &t, &x, &ld);
	double *sse_k = f->extra + EXTRA(0); /* this batch's, reduced with the gradient */
	memset(sse_k, 0, k * sizeof(double));
	nn__score s = { 0 };
	if (f->masks) /* drawn by every process, also one that holds no column */
		draw_masks(f, nb);
	if (cols) {
		nn__forward_in(f->ws, net, x, ld, cols, f->sp, f->masks);
		nn__output_pass(&s, f->ws, net, &t, f->grad, sse_k);
		nn__backward(f->grad, f->ws, net, f->sp, f->masks);
	} else { /* an empty share of a distributed batch adds nothing to the sum */
		memset(f->grad, 0, P * nn__elem(net));
	}
	if (f->opt.dist.reduce) {
		const nn_dist *d = &f->opt.dist;
		double *extra = f->extra;
		extra[0] = s.cost;
		extra[1] = (double)s.correct;
		extra[2] = s.sse;
		extra[3] = s.sae;
		if (net->f32) /* the reduction carries doubles */
			for (size_t i = 0; i < P; i++)
				f->red[i] = ((const float *)f->grad)[i];
		int rc = d->reduce(d->user, f->red, P + EXTRA(k), NN_REDUCE_SUM);
		if (rc)
			return rc;
		if (net->f32)
			for (size_t i = 0; i < P; i++)
				((float *)f->grad)[i] = (float)f->red[i];
		s.cost = extra[0];
		s.correct = (size_t)extra[1];
		s.sse = extra[2];
		s.sae = extra[3];
	}
	/* the mean over the global batch; o was checked against net */
	nn__optim_update(f->optim, net->params, f->grad, f->eta, 1.0 / (double)nb);
	f->cost_sum += s.cost;
	f->right += s.correct;
	f->sse += s.sse;
	f->sae += s.sae;
	if (f->Y)
		for (size_t i = 0; i < k; i++)
			f->sse_k[i] += sse_k[i];
	f->j0 += nb;
	return 0;
}

/* Validation after an epoch: the best weights, and whether patience ran out. */
static void validate(nn_fitter *f, nn_epoch_stats *st)
{
	const nn_fit_options *o = &f->opt;
	nn__score s;
	if (f->Y)
		memset(f->val_sse_k, 0, f->net->sizes[f->net->n_layers] * sizeof(double));
	nn__evaluate(&s, f->ews, f->net, o->val_x, &f->vt, f->Y ? f->val_sse_k : NULL);
	st->val_cost = s.cost / (double)o->val_x->cols;
	if (f->Y) {
		nn_metrics m;
		nn__metrics_values(&m, &s, f->val_sse_k, f->val_sse_k + f->net->sizes[f->net->n_layers],
				   o->val_values);
		st->val_mse = m.mse;
		st->val_mae = m.mae;
		st->val_r2 = m.r2;
	} else {
		st->val_accuracy = (double)s.correct / (double)o->val_x->cols;
	}
	if (st->val_cost < f->best_val) {
		f->best_val = st->val_cost;
		f->best_epoch = f->e;
		f->since_best = 0;
		memcpy(f->best->params, f->net->params, f->net->n_params * nn__elem(f->net));
	} else if (o->patience && ++f->since_best >= o->patience) {
		f->stopped = 1;
	}
}

NN_EXPORT int nn_fitter_epoch(nn_fitter *f, nn_epoch_stats *out)
{
	if (!f)
		return NN_ENULL;
	if (f->done)
		return NN_EINVAL;
	int rc;
	while (f->j0 < f->N)
		if ((rc = nn_fitter_batch(f)))
			return rc;
	nn_epoch_stats *st = &f->epochs[f->e];
	size_t k = f->net->sizes[f->net->n_layers];
	double cells = (double)f->N * (double)k;
	*st = (nn_epoch_stats){ .epoch = f->e, .seconds = now() - f->t0, .eta = f->eta,
				.train_cost = f->cost_sum / (double)f->N,
				.train_accuracy = f->Y ? NAN : (double)f->right / (double)f->N,
				.val_cost = NAN, .val_accuracy = NAN,
				.train_mse = f->Y ? f->sse / cells : NAN,
				.train_mae = f->Y ? f->sae / cells : NAN,
				.train_r2 = f->Y ? nn__r2(f->sse_k, f->sst_k, k) : NAN,
				.val_mse = NAN, .val_mae = NAN, .val_r2 = NAN };
	if (!isfinite(st->train_cost)) {
		/* back to the weights from before this epoch */
		memcpy(f->net->params, f->start, f->net->n_params * nn__elem(f->net));
		f->diverged = 1;
		rc = NN_EDIVERGED;
	} else if (f->opt.val_x) {
		validate(f, st);
	} else {
		f->best_epoch = f->e;
	}
	f->e++;
	f->j0 = 0;
	int stop = f->opt.callback && f->opt.callback(f->opt.user, st);
	if (f->opt.dist.reduce) { /* one process's callback stops them all */
		int rr = nn__dist_stop(&f->opt.dist, stop, &stop);
		rc = rc ? rc : rr;
	}
	f->done = f->diverged || f->stopped || stop || f->e == f->opt.epochs;
	if (out)
		*out = *st;
	return rc;
}

NN_EXPORT int nn_fitter_done(const nn_fitter *f)
{
	return !f || f->done;
}

NN_EXPORT int nn_fitter_finish(nn_fitter *f, nn_history *hist)
{
	if (hist)
		*hist = (nn_history){ 0 };
	if (!f)
		return NN_ENULL;
	size_t best_epoch = f->best_epoch;
	if (f->opt.val_x && f->opt.patience && f->best_val < INFINITY && !f->diverged) {
		/* with early stopping, the weights of the lowest validation cost */
		memcpy(f->net->params, f->best->params, f->net->n_params * nn__elem(f->net));
	} else {
		/* the last epoch's weights, or those from before a diverging one */
		best_epoch = !f->diverged ? (f->e ? f->e - 1 : 0) : f->e >= 2 ? f->e - 2 : 0;
	}
	if (hist) {
		*hist = (nn_history){ .n = f->e, .epochs = f->epochs, .best_epoch = best_epoch,
				      .stopped_early = f->stopped,
				      .task = f->Y ? NN_TASK_REGRESS : NN_TASK_CLASSIFY };
		f->epochs = NULL;
	}
	f->net->task = f->Y ? NN_TASK_REGRESS : NN_TASK_CLASSIFY;
	f->done = 1;
	return 0;
}

NN_EXPORT int nn_fitter_progress(const nn_fitter *f, nn_fit_progress *p)
{
	if (!f || !p)
		return NN_ENULL;
	double n = (double)f->j0;
	*p = (nn_fit_progress){ .epoch = f->e, .samples = f->j0, .total = f->N,
				.cost = f->j0 ? f->cost_sum / n : NAN,
				.accuracy = f->j0 && !f->Y ? (double)f->right / n : NAN };
	return 0;
}

NN_EXPORT nn_input_mode nn_fitter_input(const nn_fitter *f)
{
	return f && f->sp ? NN_INPUT_SPARSE : NN_INPUT_DENSE;
}

NN_EXPORT void nn_fitter_free(nn_fitter *f)
{
	if (!f)
		return;
	free(f->start);
	nn__sparse_free(f->sp);
	free(f->cols);
	free(f->masks);
	free(f->mask_buf);
	free(f->epochs);
	free(f->perm);
	free(f->yb);
	free(f->sse_k);
	nn_matrix_free(&f->Yb);
	free(f->held);
	if (f->red != f->grad)
		free(f->red);
	free(f->grad);
	free(f->xb);
	nn_workspace_free(f->ws);
	nn_workspace_free(f->ews);
	nn_net_free(f->best);
	nn_optim_free(f->own);
	free(f);
}

/* nn_fit on labels y or values Y: the loop over the run object. */
static int fit(nn_net *net, nn_history *hist, const nn_matrix *X, const nn_labels *y,
	       const nn_matrix *Y, const nn_fit_options *opt, nn_rng *rng)
{
	if (hist)
		*hist = (nn_history){ 0 };
	nn_fitter *f = NULL;
	int rc = Y ? nn_fitter_new_values(&f, net, X, Y, opt, rng)
		   : nn_fitter_new(&f, net, X, y, opt, rng);
	while (!rc && !nn_fitter_done(f))
		rc = nn_fitter_epoch(f, NULL);
	if (!rc || rc == NN_EDIVERGED)
		nn_fitter_finish(f, hist);
	nn_fitter_free(f);
	return rc;
}

NN_EXPORT int nn_fit(nn_net *net, nn_history *hist, const nn_matrix *X, const nn_labels *y,
		     const nn_fit_options *opt, nn_rng *rng)
{
	return fit(net, hist, X, y, NULL, opt, rng);
}

NN_EXPORT int nn_fit_values(nn_net *net, nn_history *hist, const nn_matrix *X, const nn_matrix *Y,
			    const nn_fit_options *opt, nn_rng *rng)
{
	if (!Y) {
		if (hist)
			*hist = (nn_history){ 0 };
		return opt && opt->dist.reduce ? nn__dist_start(&opt->dist, NN_ENULL, 0) : NN_ENULL;
	}
	return fit(net, hist, X, NULL, Y, opt, rng);
}

NN_EXPORT void nn_history_free(nn_history *hist)
{
	if (!hist)
		return;
	free(hist->epochs);
	*hist = (nn_history){ 0 };
}

NN_EXPORT int nn_history_write_csv(const char *path, const nn_history *hist)
{
	if (!path || !hist || (hist->n && !hist->epochs))
		return NN_ENULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NN_ENOMEM;
	int values = hist->task == NN_TASK_REGRESS;
	fprintf(f, "epoch,seconds,eta,train_cost,%s,val_cost,%s\n",
		values ? "train_rmse,train_mae,train_r2" : "train_accuracy",
		values ? "val_rmse,val_mae,val_r2" : "val_accuracy");
	for (size_t i = 0; i < hist->n; i++) {
		const nn_epoch_stats *s = &hist->epochs[i];
		if (values)
			fprintf(f, "%zu,%.6f,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n",
				s->epoch, s->seconds, s->eta, s->train_cost, sqrt(s->train_mse),
				s->train_mae, s->train_r2, s->val_cost, sqrt(s->val_mse), s->val_mae,
				s->val_r2);
		else
			fprintf(f, "%zu,%.6f,%.17g,%.17g,%.6f,%.17g,%.6f\n", s->epoch, s->seconds,
				s->eta, s->train_cost, s->train_accuracy, s->val_cost,
				s->val_accuracy);
	}
	int rc = fclose(f) == 0 ? nn__write_atomic(path, buf, len) : NN_ENOMEM;
	free(buf);
	return rc;
}
