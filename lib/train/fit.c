/*
 * Mini-batch training: epochs of shuffled batches, an optimiser update per
 * batch, validation and early stopping per epoch.
 *
 * Batches are gathered into one n_0 x batch_size buffer (the shuffled
 * columns are not contiguous in X); a full batch without shuffling uses X
 * in place. The last, smaller batch runs the same dgemm calls on fewer
 * columns. Everything is allocated before the first epoch.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nn/fit.h"
#include "nn_internal.h"

NN_EXPORT nn_fit_options nn_fit_defaults(void)
{
	return (nn_fit_options){
		.optimizer = NN_OPT_SGD, .eta = 0.1, .momentum = 0.9, .beta1 = 0.9,
		.beta2 = 0.999, .epsilon = 1e-8, .schedule = NN_SCHEDULE_CONSTANT,
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
	if (!(o->eta > 0) || !isfinite(o->eta) || o->epochs == 0 ||
	    (unsigned)o->schedule >= NN_SCHEDULE_COUNT_ ||
	    (o->schedule == NN_SCHEDULE_STEP && o->step_epochs == 0) ||
	    ((o->schedule == NN_SCHEDULE_STEP || o->schedule == NN_SCHEDULE_EXPONENTIAL) &&
	     !(o->gamma > 0 && o->gamma <= 1)) ||
	    (o->schedule == NN_SCHEDULE_COSINE && !(o->eta_min >= 0 && o->eta_min <= o->eta)) ||
	    !(o->dropout >= 0 && o->dropout < 1) || (!o->val_x != !o->val_y))
		return NN_EINVAL;
	return 0;
}

/* Mean cost and accuracy of net on (X, y), in chunks of the workspace's size. */
static void evaluate_chunks(double *cost, double *acc, nn_workspace *ws, const nn_net *net,
			    const nn_matrix *X, const nn_labels *y)
{
	double c = 0;
	size_t right = 0;
	for (size_t j0 = 0; j0 < X->cols; j0 += ws->max_batch) {
		size_t n = X->cols - j0 < ws->max_batch ? X->cols - j0 : ws->max_batch;
		nn_matrix part = nn_matrix_view(X->data + j0 * X->ld, X->rows, n, X->ld);
		double pc;
		size_t pr;
		nn__forward(ws, net, &part);
		nn__output_pass(&pc, &pr, ws, net, y->data + j0, NULL);
		c += pc;
		right += pr;
	}
	*cost = c / (double)X->cols;
	*acc = (double)right / (double)X->cols;
}

NN_EXPORT int nn_fit(nn_net *net, nn_history *hist, const nn_matrix *X, const nn_labels *y,
		     const nn_fit_options *opt, nn_rng *rng)
{
	if (hist)
		*hist = (nn_history){ 0 };
	if (!net || !X || !y || !opt)
		return NN_ENULL;
	int rc = check_options(opt);
	if (rc)
		return rc;
	if ((opt->shuffle || opt->dropout > 0) && !rng)
		return NN_ENULL;
	int dist = opt->reduce != NULL;
	if (dist && (opt->dropout > 0 || opt->shard_total == 0 ||
		     opt->shard_first > opt->shard_total ||
		     X->cols > opt->shard_total - opt->shard_first))
		rc = NN_EINVAL;
	if (!rc) /* a distributed shard may be empty */
		rc = nn__check_data(net, X, y, dist);
	if (!rc && opt->val_x)
		rc = nn__check_data(net, opt->val_x, opt->val_y, 0);
	if (dist) {
		/* a process whose shard failed must not leave the others waiting */
		double failed = rc ? 1.0 : 0.0;
		int rr = opt->reduce(opt->reduce_user, &failed, 1);
		if (!rc && (rr || failed > 0))
			rc = rr ? rr : NN_EPEER;
	}
	if (rc)
		return rc;

	/* N: samples of the (global) training set; this process holds n_loc of them */
	size_t N = dist ? opt->shard_total : X->cols, n_loc = X->cols;
	size_t first = dist ? opt->shard_first : 0;
	size_t B = opt->batch_size == 0 || opt->batch_size > N ? N : opt->batch_size;
	int in_place = B == N && !opt->shuffle && !dist; /* X itself is the one batch */
	size_t n0 = net->sizes[0];
	nn_workspace *ws = NULL, *ews = NULL;
	nn_net *grad = NULL, *best = NULL;
	nn_optim *own = NULL, *optim = opt->optim;
	size_t *perm = NULL;
	int *yb = NULL;
	nn_matrix Xb = { 0 };
	nn_epoch_stats *epochs = NULL;
	double **masks = NULL, *mask_buf = NULL, *start = NULL;
	size_t L = net->n_layers, hidden = 0;
	for (size_t l = 1; l < L; l++)
		hidden += net->sizes[l];

	rc = NN_ENOMEM;
	if (!(epochs = calloc(opt->epochs, sizeof(*epochs))) || !(perm = malloc(N * sizeof(*perm))) ||
	    !(yb = malloc(B * sizeof(*yb))))
		goto out;
	if ((rc = nn_workspace_new(&ws, net, B)) || (rc = nn_net_clone(&grad, net)))
		goto out;
	if (dist) { /* cost and correct count ride after the gradient: one reduction */
		double *p = realloc(grad->params, (net->n_params + 2) * sizeof(double));
		rc = NN_ENOMEM;
		if (!p)
			goto out;
		grad->params = p;
		rc = 0;
	}
	if (!in_place && (rc = nn_matrix_new(&Xb, n0, B)))
		goto out;
	if (opt->dropout > 0 && L > 1) {
		/* one scale factor per hidden unit and sample: 0 or 1 / (1 - p) */
		rc = NN_ENOMEM;
		if (!(masks = calloc(L, sizeof(*masks))) ||
		    !(mask_buf = malloc(hidden * B * sizeof(double))))
			goto out;
		for (size_t l = 1, off = 0; l < L; off += net->sizes[l] * B, l++)
			masks[l] = mask_buf + off;
	}
	if (opt->val_x) {
		size_t chunk = opt->val_x->cols < 1024 ? opt->val_x->cols : 1024;
		if ((rc = nn_workspace_new(&ews, net, chunk)) || (rc = nn_net_clone(&best, net)))
			goto out;
	}
	if (!optim) {
		if ((rc = nn_optim_new(&own, net, opt)))
			goto out;
		optim = own;
	} else if ((rc = nn__optim_fits(optim, net))) {
		goto out; /* a caller's optimiser made for other layer sizes */
	}
	/* the weights at the start of the epoch, restored if it diverges */
	rc = NN_ENOMEM;
	if (!(start = malloc(net->n_params * sizeof(double))))
		goto out;
	rc = 0;
	for (size_t i = 0; i < N; i++)
		perm[i] = i;

	double best_val = INFINITY;
	size_t best_epoch = 0, since_best = 0, e;
	int stopped = 0;
	for (e = 0; e < opt->epochs; e++) {
		nn_epoch_stats *st = &epochs[e];
		double t0 = now(), eta = schedule_eta(opt, e), cost_sum = 0;
		size_t right = 0;
		memcpy(start, net->params, net->n_params * sizeof(double));
		if (opt->shuffle)
			nn_rng_permutation(rng, perm, N);
		for (size_t j0 = 0; j0 < N; j0 += B) {
			size_t nb = N - j0 < B ? N - j0 : B;
			nn_matrix batch;
			const int *labels;
			if (in_place) {
				batch = *X;
				labels = y->data;
			} else {
				/* the batch's samples this process holds (all of them, alone) */
				size_t k = 0;
				for (size_t j = 0; j < nb; j++) {
					size_t g = perm[j0 + j];
					if (g < first || g - first >= n_loc)
						continue;
					memcpy(Xb.data + k * n0, X->data + (g - first) * X->ld,
					       n0 * sizeof(double));
					yb[k++] = y->data[g - first];
				}
				batch = nn_matrix_view(Xb.data, n0, k, n0);
				labels = yb;
			}
			double c = 0;
			size_t r = 0;
			if (dist) {
				size_t P = net->n_params;
				if (batch.cols) {
					nn__forward(ws, net, &batch);
					nn__output_pass(&c, &r, ws, net, labels, grad);
					nn__backward_from_delta(grad, ws, net, &batch);
				} else {
					memset(grad->params, 0, P * sizeof(double));
				}
				grad->params[P] = c;
				grad->params[P + 1] = (double)r;
				if ((rc = opt->reduce(opt->reduce_user, grad->params, P + 2)))
					goto out;
				nn_optim_step(optim, net, grad, eta, 1.0 / (double)nb);
				cost_sum += grad->params[P];
				right += (size_t)grad->params[P + 1];
				continue;
			}
			if (masks) /* inverted dropout: drawn per batch, layer, column, unit */
				for (size_t l = 1; l < L; l++)
					for (size_t i = 0; i < net->sizes[l] * nb; i++)
						masks[l][i] = nn_rng_random(rng) < opt->dropout
							? 0.0 : 1.0 / (1.0 - opt->dropout);
			nn__forward_masked(ws, net, &batch, masks);
			nn__output_pass(&c, &r, ws, net, labels, grad);
			nn__backward_masked(grad, ws, net, &batch, masks);
			/* cannot fail: optim was checked against net above */
			nn_optim_step(optim, net, grad, eta, 1.0 / (double)nb);
			cost_sum += c;
			right += r;
		}
		*st = (nn_epoch_stats){ .epoch = e, .seconds = now() - t0, .eta = eta,
					.train_cost = cost_sum / (double)N,
					.train_accuracy = (double)right / (double)N,
					.val_cost = NAN, .val_accuracy = NAN };
		if (!isfinite(st->train_cost)) {
			memcpy(net->params, start, net->n_params * sizeof(double));
			rc = NN_EDIVERGED;
			e++;
			break;
		}
		if (opt->val_x) {
			evaluate_chunks(&st->val_cost, &st->val_accuracy, ews, net, opt->val_x,
					opt->val_y);
			if (st->val_cost < best_val) {
				best_val = st->val_cost;
				best_epoch = e;
				since_best = 0;
				memcpy(best->params, net->params, net->n_params * sizeof(double));
			} else if (opt->patience && ++since_best >= opt->patience) {
				stopped = 1;
				e++;
				break;
			}
		} else {
			best_epoch = e;
		}
		if (opt->callback && opt->callback(opt->user, st)) {
			e++;
			break;
		}
	}
	/* with early stopping, hand back the weights of the lowest validation cost */
	if (opt->val_x && opt->patience && best_val < INFINITY && rc != NN_EDIVERGED) {
		memcpy(net->params, best->params, net->n_params * sizeof(double));
	} else {
		/* the last epoch's weights, or those from before a diverging one */
		best_epoch = rc != NN_EDIVERGED ? e - 1 : e >= 2 ? e - 2 : 0;
	}
	if (hist) {
		*hist = (nn_history){ .n = e, .epochs = epochs, .best_epoch = best_epoch,
				      .stopped_early = stopped };
		epochs = NULL;
	}
	if (rc != NN_EDIVERGED)
		rc = 0;
out:
	free(start);
	free(masks);
	free(mask_buf);
	free(epochs);
	free(perm);
	free(yb);
	nn_matrix_free(&Xb);
	nn_workspace_free(ws);
	nn_workspace_free(ews);
	nn_net_free(grad);
	nn_net_free(best);
	nn_optim_free(own);
	return rc;
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
	fprintf(f, "epoch,seconds,eta,train_cost,train_accuracy,val_cost,val_accuracy\n");
	for (size_t i = 0; i < hist->n; i++) {
		const nn_epoch_stats *s = &hist->epochs[i];
		fprintf(f, "%zu,%.6f,%.17g,%.17g,%.6f,%.17g,%.6f\n", s->epoch, s->seconds, s->eta,
			s->train_cost, s->train_accuracy, s->val_cost, s->val_accuracy);
	}
	int rc = fclose(f) == 0 ? nn__write_atomic(path, buf, len) : NN_ENOMEM;
	free(buf);
	return rc;
}
