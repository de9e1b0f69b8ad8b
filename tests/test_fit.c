/* Mini-batch training and the optimisers, against hand-written references. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nn_internal.h"
#include "suites.h"
#include "test_util.h"

/* Two Gaussian clusters in 2-D, labels alternating 0/1. */
static void clusters(nn_matrix *X, nn_labels *y, size_t n, uint32_t seed)
{
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, seed), 0);
	ck_assert_int_eq(nn_matrix_new(X, 2, n), 0);
	ck_assert_int_eq(nn_labels_new(y, n), 0);
	for (size_t j = 0; j < n; j++) {
		int c = (int)(j % 2);
		y->data[j] = c;
		NN_AT(X, 0, j) = nn_rng_normal(rng, c ? 1.2 : -1.2, 1.0);
		NN_AT(X, 1, j) = nn_rng_normal(rng, c ? 0.8 : -0.8, 1.0);
	}
	nn_rng_free(rng);
}

static nn_net *small_net(uint32_t seed)
{
	const size_t sizes[] = { 2, 5, 2 };
	nn_net *net;
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, seed), 0);
	ck_assert_int_eq(nn_net_new(&net, 2, sizes, NULL), 0);
	ck_assert_int_eq(nn_net_init_randn(net, rng), 0);
	nn_rng_free(rng);
	return net;
}

/* Each rule, two updates of one weight and one bias, against the formulas
 * evaluated by hand here. */
START_TEST(test_rules)
{
	const size_t sizes[] = { 1, 1 };
	nn_net *net, *grad;
	ck_assert_int_eq(nn_net_new(&net, 1, sizes, NULL), 0);
	ck_assert_int_eq(nn_net_new(&grad, 1, sizes, NULL), 0);
	const nn_optimizer kinds[] = { NN_OPT_SGD, NN_OPT_MOMENTUM, NN_OPT_NESTEROV, NN_OPT_ADAM };
	for (int k = 0; k < 4; k++) {
		nn_optim_options o = nn_optim_defaults();
		o.kind = kinds[k];
		o.l2 = 0.1;
		nn_optim *opt;
		ck_assert_int_eq(nn_optim_new(&opt, net, &o), 0);
		double *p = nn_net_params(net), *g = nn_net_params(grad);
		p[0] = 1.0, p[1] = -1.0;
		double w = 1.0, b = -1.0, uw = 0, ub = 0, vw = 0, vb = 0;
		const double eta = 0.05, scale = 0.5, gw[2] = { 2.0, -4.0 }, gb[2] = { 1.0, 3.0 };
		for (int t = 1; t <= 2; t++) {
			g[0] = gw[t - 1], g[1] = gb[t - 1];
			ck_assert_int_eq(nn_optim_step(opt, net, grad, eta, scale), 0);
			double dw = scale * gw[t - 1] + 0.1 * w, db = scale * gb[t - 1]; /* L2 on w only */
			switch (kinds[k]) {
			case NN_OPT_SGD:
				w -= eta * dw, b -= eta * db;
				break;
			case NN_OPT_MOMENTUM:
				uw = 0.9 * uw + dw, ub = 0.9 * ub + db;
				w -= eta * uw, b -= eta * ub;
				break;
			case NN_OPT_NESTEROV:
				uw = 0.9 * uw + dw, ub = 0.9 * ub + db;
				w -= eta * (dw + 0.9 * uw), b -= eta * (db + 0.9 * ub);
				break;
			default:
				uw = 0.9 * uw + 0.1 * dw, ub = 0.9 * ub + 0.1 * db;
				vw = 0.999 * vw + 0.001 * dw * dw, vb = 0.999 * vb + 0.001 * db * db;
				w -= eta * (uw / (1 - pow(0.9, t))) / (sqrt(vw / (1 - pow(0.999, t))) + 1e-8);
				b -= eta * (ub / (1 - pow(0.9, t))) / (sqrt(vb / (1 - pow(0.999, t))) + 1e-8);
			}
			ck_assert_double_eq_tol(p[0], w, 1e-15);
			ck_assert_double_eq_tol(p[1], b, 1e-15);
		}
		nn_optim_free(opt);
	}
	nn_net_free(net);
	nn_net_free(grad);
}
END_TEST

/* A full, unshuffled batch with SGD and eta * N is the lecture's gradient
 * descent (summed gradient, step eta). */
START_TEST(test_full_batch_is_gd)
{
	nn_matrix X;
	nn_labels y;
	clusters(&X, &y, 50, 1);
	nn_net *a = small_net(2), *b = small_net(2);
	nn_fit_options o = nn_fit_defaults();
	o.batch_size = 0;
	o.shuffle = 0;
	o.epochs = 20;
	o.eta = 0.01 * 50;
	ck_assert_int_eq(nn_fit(a, NULL, &X, &y, &o, NULL), 0);
	nn_gd *gd;
	ck_assert_int_eq(nn_gd_new(&gd, b, &X, &y, 0.01), 0);
	for (int i = 0; i < 20; i++)
		ck_assert_int_eq(nn_gd_step(gd), 0);
	nn_gd_free(gd);
	ck_assert_double_le(tu_max_rel_err(nn_net_params(a), nn_net_params(b), nn_net_param_count(a),
					   1e-12), 1e-12);
	nn_net_free(a);
	nn_net_free(b);
	nn_matrix_free(&X);
	nn_labels_free(&y);
}
END_TEST

/* Shuffled mini-batches (the last one smaller) against a loop written here:
 * permutation from the same rng, gather, nn_backward, mean-gradient SGD. */
START_TEST(test_minibatch_reference)
{
	nn_matrix X, Xb;
	nn_labels y, yb;
	clusters(&X, &y, 10, 3);
	nn_net *a = small_net(4), *b = small_net(4), *grad = small_net(4);
	nn_rng *ra, *rb;
	ck_assert_int_eq(nn_rng_new(&ra, 5), 0);
	ck_assert_int_eq(nn_rng_new(&rb, 5), 0);
	nn_fit_options o = nn_fit_defaults();
	o.batch_size = 4; /* batches of 4, 4, 2 */
	o.epochs = 3;
	o.eta = 0.3;
	nn_history h;
	ck_assert_int_eq(nn_fit(a, &h, &X, &y, &o, ra), 0);
	ck_assert_uint_eq(h.n, 3);

	nn_workspace *ws;
	ck_assert_int_eq(nn_workspace_new(&ws, b, 4), 0);
	ck_assert_int_eq(nn_matrix_new(&Xb, 2, 4), 0);
	ck_assert_int_eq(nn_labels_new(&yb, 4), 0);
	size_t perm[10];
	for (int e = 0; e < 3; e++) {
		nn_rng_permutation(rb, perm, 10);
		for (size_t j0 = 0; j0 < 10; j0 += 4) {
			size_t nb = j0 + 4 <= 10 ? 4 : 10 - j0;
			for (size_t j = 0; j < nb; j++) {
				NN_AT(&Xb, 0, j) = NN_AT(&X, 0, perm[j0 + j]);
				NN_AT(&Xb, 1, j) = NN_AT(&X, 1, perm[j0 + j]);
				yb.data[j] = y.data[perm[j0 + j]];
			}
			nn_matrix v = nn_matrix_view(Xb.data, 2, nb, 2);
			nn_labels lv = { .n = nb, .data = yb.data };
			ck_assert_int_eq(nn_backward(grad, NULL, ws, b, &v, &lv), 0);
			double *p = nn_net_params(b), *g = nn_net_params(grad);
			for (size_t i = 0; i < nn_net_param_count(b); i++)
				p[i] -= 0.3 * g[i] / (double)nb;
		}
	}
	ck_assert_double_le(tu_max_rel_err(nn_net_params(a), nn_net_params(b), nn_net_param_count(a),
					   1e-12), 1e-12);
	nn_history_free(&h);
	nn_workspace_free(ws);
	nn_matrix_free(&Xb);
	nn_labels_free(&yb);
	nn_net_free(a);
	nn_net_free(b);
	nn_net_free(grad);
	nn_rng_free(ra);
	nn_rng_free(rb);
	nn_matrix_free(&X);
	nn_labels_free(&y);
}
END_TEST

struct allocs {
	unsigned long at[64];
	size_t n;
};

static int count_allocs(void *user, const nn_epoch_stats *e)
{
	struct allocs *a = user;
	(void)e;
	if (a->n < 64)
		a->at[a->n++] = tu_alloc_count;
	return 0;
}

/* Adam learns a separable problem; with validation the history is filled,
 * the step sizes follow the schedule, and no epoch allocates. */
START_TEST(test_learns)
{
	nn_matrix X, V;
	nn_labels y, vy;
	clusters(&X, &y, 300, 6);
	clusters(&V, &vy, 100, 7);
	nn_net *net = small_net(8);
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 9), 0);
	const nn_optimizer kinds[] = { NN_OPT_SGD, NN_OPT_MOMENTUM, NN_OPT_NESTEROV, NN_OPT_ADAM };
	const nn_schedule sched[] = { NN_SCHEDULE_STEP, NN_SCHEDULE_EXPONENTIAL, NN_SCHEDULE_COSINE,
				      NN_SCHEDULE_CONSTANT };
	for (int k = 0; k < 4; k++) {
		nn_net *n = small_net(8);
		nn_fit_options o = nn_fit_defaults();
		o.optim.kind = kinds[k];
		o.schedule = sched[k];
		o.step_epochs = 3;
		o.eta = kinds[k] == NN_OPT_ADAM ? 0.01 : 0.5;
		o.epochs = 12;
		o.batch_size = 16;
		o.val_x = &V;
		o.val_y = &vy;
		o.patience = o.epochs; /* never stops early, but restores the best weights */
		struct allocs al = { .n = 0 };
		o.callback = count_allocs;
		o.user = &al;
		nn_history h;
		ck_assert_int_eq(nn_fit(n, &h, &X, &y, &o, rng), 0);
		ck_assert_uint_eq(h.n, 12);
		for (size_t i = 1; i < al.n; i++)
			ck_assert_uint_eq(al.at[i], al.at[0]);
		ck_assert_double_ge(h.epochs[h.n - 1].val_accuracy, 0.85);
		ck_assert_double_lt(h.epochs[h.n - 1].train_cost, h.epochs[0].train_cost);
		for (size_t e = 0; e < h.n; e++) {
			double want = o.eta;
			if (sched[k] == NN_SCHEDULE_STEP)
				want = o.eta * pow(0.5, (double)(e / 3));
			else if (sched[k] == NN_SCHEDULE_EXPONENTIAL)
				want = o.eta * pow(0.5, (double)e);
			else if (sched[k] == NN_SCHEDULE_COSINE)
				want = o.eta * (1 + cos(3.14159265358979323846 * (double)e / 12)) / 2;
			ck_assert_double_eq_tol(h.epochs[e].eta, want, 1e-15);
		}
		/* the weights handed back score the best validation cost seen */
		double best = INFINITY, c;
		for (size_t e = 0; e < h.n; e++)
			best = fmin(best, h.epochs[e].val_cost);
		nn_workspace *ws;
		ck_assert_int_eq(nn_workspace_new(&ws, n, V.cols), 0);
		ck_assert_int_eq(nn_evaluate(&c, NULL, ws, n, &V, &vy), 0);
		ck_assert_double_le(fabs(c / (double)V.cols - best) / best, 1e-12);
		ck_assert(h.epochs[h.best_epoch].val_cost == best);
		nn_workspace_free(ws);
		nn_history_free(&h);
		nn_net_free(n);
	}
	nn_net_free(net);
	nn_rng_free(rng);
	nn_matrix_free(&X);
	nn_matrix_free(&V);
	nn_labels_free(&y);
	nn_labels_free(&vy);
}
END_TEST

/* Early stopping: a step size far too large makes the validation cost rise;
 * training stops after `patience` epochs and restores the best weights. */
/* Counts the epoch callbacks. */
static int count_epochs(void *user, const nn_epoch_stats *e)
{
	size_t *n = user;
	ck_assert_uint_eq(e->epoch, *n);
	(*n)++;
	return 0;
}

START_TEST(test_early_stopping)
{
	nn_matrix X, V;
	nn_labels y, vy;
	clusters(&X, &y, 100, 10);
	clusters(&V, &vy, 60, 11);
	nn_net *net = small_net(12);
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 13), 0);
	nn_fit_options o = nn_fit_defaults();
	o.optim.kind = NN_OPT_MOMENTUM;
	o.eta = 5.0;
	o.epochs = 200;
	o.batch_size = 10;
	o.val_x = &V;
	o.val_y = &vy;
	o.patience = 3;
	size_t calls = 0; /* every epoch that ran is reported, the one that stopped too */
	o.callback = count_epochs;
	o.user = &calls;
	nn_history h;
	ck_assert_int_eq(nn_fit(net, &h, &X, &y, &o, rng), 0);
	ck_assert_int_eq(h.stopped_early, 1);
	ck_assert_uint_lt(h.n, 200);
	ck_assert_uint_eq(h.n, h.best_epoch + 1 + 3);
	ck_assert_uint_eq(calls, h.n);
	nn_history_free(&h);
	nn_net_free(net);
	nn_rng_free(rng);
	nn_matrix_free(&X);
	nn_matrix_free(&V);
	nn_labels_free(&y);
	nn_labels_free(&vy);
}
END_TEST

/* The run object batch by batch is nn_fit, bit for bit; a run that is over
 * takes no more batches. */
START_TEST(test_fitter_batches)
{
	nn_matrix X;
	nn_labels y;
	clusters(&X, &y, 70, 20);
	nn_net *a = small_net(21), *b = small_net(21);
	nn_rng *ra, *rb;
	ck_assert_int_eq(nn_rng_new(&ra, 22), 0);
	ck_assert_int_eq(nn_rng_new(&rb, 22), 0);
	nn_fit_options o = nn_fit_defaults();
	o.optim.kind = NN_OPT_ADAM;
	o.eta = 0.01;
	o.batch_size = 16; /* 4 batches of 16 and one of 6 */
	o.epochs = 3;
	nn_history ha, hb;
	ck_assert_int_eq(nn_fit(a, &ha, &X, &y, &o, ra), 0);
	nn_fitter *f;
	ck_assert_int_eq(nn_fitter_new(&f, b, &X, &y, &o, rb), 0);
	size_t batches = 0;
	while (!nn_fitter_done(f)) {
		int rc;
		while ((rc = nn_fitter_batch(f)) == 0)
			batches++;
		ck_assert_int_eq(rc, NN_EINVAL); /* the epoch has no batch left */
		nn_epoch_stats st;
		ck_assert_int_eq(nn_fitter_epoch(f, &st), 0);
	}
	ck_assert_uint_eq(batches, 15);
	ck_assert_int_eq(nn_fitter_batch(f), NN_EINVAL);
	ck_assert_int_eq(nn_fitter_epoch(f, NULL), NN_EINVAL);
	ck_assert_int_eq(nn_fitter_finish(f, &hb), 0);
	nn_fitter_free(f);
	ck_assert_mem_eq(nn_net_params(a), nn_net_params(b), nn_net_param_count(a) * sizeof(double));
	ck_assert_uint_eq(ha.n, hb.n);
	for (size_t e = 0; e < ha.n; e++)
		ck_assert(ha.epochs[e].train_cost == hb.epochs[e].train_cost);
	nn_history_free(&ha);
	nn_history_free(&hb);
	ck_assert_int_eq(nn_fitter_batch(NULL), NN_ENULL);
	ck_assert_int_eq(nn_fitter_done(NULL), 1);
	nn_fitter_free(NULL);

	/* progress: after each batch, the samples so far and their mean cost
	 * and accuracy, each batch's as nn_evaluate gives it before its step */
	o.shuffle = 0; /* batch k is columns 16k.. */
	o.epochs = 2;
	ck_assert_int_eq(nn_fitter_new(&f, b, &X, &y, &o, rb), 0);
	nn_fit_progress pr;
	ck_assert_int_eq(nn_fitter_progress(f, &pr), 0);
	ck_assert_uint_eq(pr.epoch, 0);
	ck_assert_uint_eq(pr.samples, 0);
	ck_assert_uint_eq(pr.total, 70);
	ck_assert(isnan(pr.cost) && isnan(pr.accuracy));
	double cost = 0;
	size_t right = 0;
	for (size_t k = 0; k < 5; k++) {
		size_t n = k < 4 ? 16 : 6;
		nn_matrix Xb = nn_matrix_view(X.data + 16 * k * X.ld, 2, n, X.ld);
		nn_labels yb = { .n = n, .data = y.data + 16 * k };
		double c;
		size_t r;
		ck_assert_int_eq(nn_evaluate(&c, &r, NULL, b, &Xb, &yb), 0);
		cost += c, right += r;
		ck_assert_int_eq(nn_fitter_batch(f), 0);
		ck_assert_int_eq(nn_fitter_progress(f, &pr), 0);
		ck_assert_uint_eq(pr.samples, 16 * k + n);
		ck_assert_double_le(fabs(pr.cost - cost / (double)pr.samples), 1e-12 * cost);
		ck_assert_double_eq(pr.accuracy, (double)right / (double)pr.samples);
	}
	ck_assert_int_eq(nn_fitter_epoch(f, NULL), 0);
	ck_assert_int_eq(nn_fitter_progress(f, &pr), 0);
	ck_assert_uint_eq(pr.epoch, 1);
	ck_assert_uint_eq(pr.samples, 0);
	ck_assert_int_eq(nn_fitter_progress(NULL, &pr), NN_ENULL);
	ck_assert_int_eq(nn_fitter_progress(f, NULL), NN_ENULL);
	nn_fitter_free(f);
	nn_net_free(a);
	nn_net_free(b);
	nn_rng_free(ra);
	nn_rng_free(rb);
	nn_matrix_free(&X);
	nn_labels_free(&y);
}
END_TEST

struct stop_rank {
	struct tu_group *g; /* first, as struct tu_member */
	int id;
	nn_net *net;
	nn_matrix X;
	nn_labels y;
	nn_fit_options o;
	nn_history h;
	uint32_t seed;
	int rc;
};

static int stop_after_two(void *user, const nn_epoch_stats *e)
{
	(void)user;
	return e->epoch >= 1;
}

static void *stop_rank_run(void *arg)
{
	struct stop_rank *r = arg;
	nn_rng *rng;
	if ((r->rc = nn_rng_new(&rng, r->seed)))
		return NULL;
	r->rc = nn_fit(r->net, &r->h, &r->X, &r->y, &r->o, rng);
	nn_rng_free(rng);
	return NULL;
}

/* Two threads as ranks, each with its half of the data; `vary` makes rank 1
 * differ. */
static void run_two(struct stop_rank r[2], const nn_matrix *X, const nn_labels *y,
		    const nn_fit_options *o, int vary)
{
	struct tu_group g = { .ranks = 2 };
	pthread_barrier_init(&g.bar, NULL, 2);
	pthread_t t[2];
	for (int k = 0; k < 2; k++) {
		r[k] = (struct stop_rank){ .g = &g, .id = k, .net = small_net(61), .o = *o,
					   .seed = 62 };
		r[k].X = nn_matrix_view(X->data + 30 * (size_t)k * X->ld, 2, 30, X->ld);
		r[k].y = (nn_labels){ .n = 30, .data = y->data + 30 * k };
		r[k].o.dist = (nn_dist){ .reduce = tu_thread_sum, .user = &r[k],
					 .shard_first = 30 * (size_t)k, .shard_total = 60 };
	}
	switch (vary) {
	case 1: r[1].o.epochs = 3; break;             /* another run */
	case 2: r[1].o.batch_size = 7; break;
	case 3: nn_net_params(r[1].net)[0] += 1e-9; break; /* other initial weights */
	case 4: r[1].seed = 63; break;                 /* another shuffle */
	case 5: r[1].o.callback = stop_after_two; break; /* one rank stops */
	default: break;
	}
	for (int k = 0; k < 2; k++)
		ck_assert_int_eq(pthread_create(&t[k], NULL, stop_rank_run, &r[k]), 0);
	for (int k = 0; k < 2; k++)
		ck_assert_int_eq(pthread_join(t[k], NULL), 0);
	pthread_barrier_destroy(&g.bar);
}

/* Processes that disagree on the run fail together instead of hanging; a
 * callback that stops one stops both at the same epoch (issue 12). */
START_TEST(test_fit_distributed_agree)
{
	nn_matrix X;
	nn_labels y;
	clusters(&X, &y, 60, 60);
	nn_fit_options o = nn_fit_defaults();
	o.eta = 0.2;
	o.batch_size = 8;
	o.epochs = 4;
	struct stop_rank r[2];
	for (int vary = 0; vary <= 5; vary++) {
		run_two(r, &X, &y, &o, vary);
		for (int k = 0; k < 2; k++) {
			if (vary >= 1 && vary <= 4) {
				ck_assert_int_eq(r[k].rc, NN_EPEER);
			} else {
				ck_assert_int_eq(r[k].rc, 0);
				ck_assert_uint_eq(r[k].h.n, vary == 5 ? 2 : 4);
				ck_assert_mem_eq(nn_net_params(r[k].net), nn_net_params(r[0].net),
						 nn_net_param_count(r[0].net) * sizeof(double));
			}
			nn_history_free(&r[k].h);
		}
		for (int k = 0; k < 2; k++)
			nn_net_free(r[k].net);
	}
	nn_matrix_free(&X);
	nn_labels_free(&y);
}
END_TEST

/* 4 epochs in one run equal 2 + 2 with the optimiser state saved to a model
 * file and loaded back in between, bit for bit. */
START_TEST(test_resume)
{
	nn_matrix X;
	nn_labels y;
	clusters(&X, &y, 64, 14);
	nn_net *a = small_net(15), *b = small_net(15), *c = NULL;
	nn_rng *ra, *rb;
	ck_assert_int_eq(nn_rng_new(&ra, 16), 0);
	ck_assert_int_eq(nn_rng_new(&rb, 16), 0);
	nn_fit_options o = nn_fit_defaults();
	o.optim.kind = NN_OPT_ADAM;
	o.eta = 0.01;
	o.batch_size = 8;
	o.epochs = 4;
	ck_assert_int_eq(nn_fit(a, NULL, &X, &y, &o, ra), 0);

	o.epochs = 2;
	nn_optim *opt, *opt2;
	ck_assert_int_eq(nn_optim_new(&opt, b, &o.optim), 0);
	o.resume = opt;
	ck_assert_int_eq(nn_fit(b, NULL, &X, &y, &o, rb), 0);
	char path[] = "/tmp/nn-resume-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	nn_model_state st, back;
	ck_assert_int_eq(nn_optim_state(&st, opt), 0);
	ck_assert_uint_eq(st.step, 16);
	ck_assert_int_eq(nn_model_save(path, b, &st), 0);
	ck_assert_int_eq(nn_model_load(&c, &back, path), 0);
	unlink(path);
	ck_assert_int_eq(nn_optim_new(&opt2, c, &o.optim), 0);
	ck_assert_int_eq(nn_optim_set_state(opt2, &back), 0);
	o.resume = opt2;
	ck_assert_int_eq(nn_fit(c, NULL, &X, &y, &o, rb), 0);
	ck_assert_mem_eq(nn_net_params(a), nn_net_params(c), nn_net_param_count(a) * sizeof(double));

	/* a state from another optimiser is refused */
	nn_optim_options sgd = nn_optim_defaults();
	nn_optim *o3;
	ck_assert_int_eq(nn_optim_new(&o3, c, &sgd), 0);
	ck_assert_int_eq(nn_optim_set_state(o3, &back), NN_EMISMATCH);
	nn_optim_free(o3);
	free((void *)back.data);
	nn_optim_free(opt);
	nn_optim_free(opt2);
	nn_net_free(a);
	nn_net_free(b);
	nn_net_free(c);
	nn_rng_free(ra);
	nn_rng_free(rb);
	nn_matrix_free(&X);
	nn_labels_free(&y);
}
END_TEST

/* Through a fixed dropout mask the backward pass is still the exact
 * gradient of the masked network: central differences agree. */
START_TEST(test_dropout_gradcheck)
{
	const size_t sizes[] = { 3, 6, 5, 2 };
	const nn_activation acts[] = { NN_ACT_TANH, NN_ACT_SIGMOID, NN_ACT_SOFTMAX };
	nn_net *net, *grad;
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 31), 0);
	ck_assert_int_eq(nn_net_new(&net, 3, sizes, acts), 0);
	ck_assert_int_eq(nn_net_set_cost(net, NN_COST_CE), 0);
	ck_assert_int_eq(nn_net_init_glorot(net, rng), 0);
	ck_assert_int_eq(nn_net_clone(&grad, net), 0);
	nn_matrix X;
	nn_labels y;
	ck_assert_int_eq(nn_matrix_new(&X, 3, 7), 0);
	ck_assert_int_eq(nn_labels_new(&y, 7), 0);
	tu_fill_uniform(&X, rng, -1, 1);
	tu_fill_labels(&y, rng, 2);
	double m1[6 * 7], m2[5 * 7], *masks[3] = { NULL, m1, m2 };
	for (size_t i = 0; i < 6 * 7; i++)
		m1[i] = nn_rng_random(rng) < 0.3 ? 0.0 : 1.0 / 0.7;
	for (size_t i = 0; i < 5 * 7; i++)
		m2[i] = nn_rng_random(rng) < 0.3 ? 0.0 : 1.0 / 0.7;
	nn_workspace *ws;
	ck_assert_int_eq(nn_workspace_new(&ws, net, 7), 0);
	nn__forward(ws, net, &X, NULL, (void *const *)masks);
	nn__output_pass(NULL, ws, net, &(nn__target){ .labels = y.data }, nn_net_params(grad), NULL);
	nn__backward(nn_net_params(grad), ws, net, NULL, (void *const *)masks);
	double *p = nn_net_params(net), *g = nn_net_params(grad), worst = 0;
	for (size_t i = 0; i < nn_net_param_count(net); i++) {
		double keep = p[i];
		nn__score sp, sm;
		p[i] = keep + 1e-5;
		nn__forward(ws, net, &X, NULL, (void *const *)masks);
		nn__output_pass(&sp, ws, net, &(nn__target){ .labels = y.data }, NULL, NULL);
		p[i] = keep - 1e-5;
		nn__forward(ws, net, &X, NULL, (void *const *)masks);
		nn__output_pass(&sm, ws, net, &(nn__target){ .labels = y.data }, NULL, NULL);
		p[i] = keep;
		double fd = (sp.cost - sm.cost) / 2e-5;
		worst = fmax(worst, fabs(fd - g[i]) / fmax(fmax(fabs(fd), fabs(g[i])), 1e-3));
	}
	ck_assert_double_lt(worst, 1e-6);
	nn_workspace_free(ws);
	nn_net_free(net);
	nn_net_free(grad);
	nn_rng_free(rng);
	nn_matrix_free(&X);
	nn_labels_free(&y);
}
END_TEST

/* Training with dropout still learns; validation runs without it. */
START_TEST(test_dropout_learns)
{
	nn_matrix X, V;
	nn_labels y, vy;
	clusters(&X, &y, 300, 32);
	clusters(&V, &vy, 100, 33);
	const size_t sizes[] = { 2, 32, 2 };
	const nn_activation acts[] = { NN_ACT_RELU, NN_ACT_SOFTMAX };
	nn_net *net;
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 34), 0);
	ck_assert_int_eq(nn_net_new(&net, 2, sizes, acts), 0);
	ck_assert_int_eq(nn_net_set_cost(net, NN_COST_CE), 0);
	ck_assert_int_eq(nn_net_init_he(net, rng), 0);
	nn_fit_options o = nn_fit_defaults();
	o.optim.kind = NN_OPT_ADAM;
	o.eta = 0.01;
	o.epochs = 15;
	o.dropout = 0.5;
	o.val_x = &V;
	o.val_y = &vy;
	nn_history h;
	ck_assert_int_eq(nn_fit(net, &h, &X, &y, &o, rng), 0);
	ck_assert_double_ge(h.epochs[h.best_epoch].val_accuracy, 0.85);
	nn_history_free(&h);
	nn_net_free(net);
	nn_rng_free(rng);
	nn_matrix_free(&X);
	nn_matrix_free(&V);
	nn_labels_free(&y);
	nn_labels_free(&vy);
}
END_TEST

/* Review findings, each a regression test. */
START_TEST(test_fit_contracts)
{
	nn_matrix X, V;
	nn_labels y, vy;
	clusters(&X, &y, 40, 41);
	clusters(&V, &vy, 20, 42);
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 43), 0);

	/* a divergence hands back the weights from before the diverging epoch */
	const size_t sizes[] = { 2, 6, 6, 1 };
	const nn_activation lin[] = { NN_ACT_IDENTITY, NN_ACT_IDENTITY, NN_ACT_IDENTITY };
	nn_net *net, *before;
	ck_assert_int_eq(nn_net_new(&net, 3, sizes, lin), 0);
	ck_assert_int_eq(nn_net_init_randn(net, rng), 0);
	ck_assert_int_eq(nn_net_clone(&before, net), 0);
	nn_fit_options o = nn_fit_defaults();
	o.eta = 1e200;
	o.epochs = 5;
	size_t calls = 0; /* the diverging epoch is reported too */
	o.callback = count_epochs;
	o.user = &calls;
	nn_history h;
	ck_assert_int_eq(nn_fit(net, &h, &X, &y, &o, rng), NN_EDIVERGED);
	ck_assert_uint_eq(h.n, 1);
	ck_assert_uint_eq(calls, 1);
	ck_assert_mem_eq(nn_net_params(net), nn_net_params(before),
			 nn_net_param_count(net) * sizeof(double));
	nn_history_free(&h);

	/* an optimiser made for other layer sizes (same parameter count) is refused */
	const size_t s1[] = { 2, 3, 1 }, s2[] = { 1, 4, 1 }; /* 13 parameters each */
	nn_net *a, *b;
	ck_assert_int_eq(nn_net_new(&a, 2, s1, NULL), 0);
	ck_assert_int_eq(nn_net_new(&b, 2, s2, NULL), 0);
	ck_assert_uint_eq(nn_net_param_count(a), nn_net_param_count(b));
	nn_optim *ob;
	o = nn_fit_defaults();
	ck_assert_int_eq(nn_optim_new(&ob, b, &o.optim), 0);
	o.resume = ob;
	ck_assert_int_eq(nn_fit(a, NULL, &X, &y, &o, rng), NN_ESHAPE);
	ck_assert_int_eq(nn_optim_step(ob, a, a, 0.1, 1.0), NN_ESHAPE);

	/* validation without patience reports only: the last epoch's weights stay */
	nn_net *c, *d;
	ck_assert_int_eq(nn_net_new(&c, 2, s1, NULL), 0);
	ck_assert_int_eq(nn_net_init_randn(c, rng), 0);
	ck_assert_int_eq(nn_net_clone(&d, c), 0);
	nn_rng *r1, *r2;
	ck_assert_int_eq(nn_rng_new(&r1, 44), 0);
	ck_assert_int_eq(nn_rng_new(&r2, 44), 0);
	o = nn_fit_defaults();
	o.epochs = 6;
	o.eta = 2.0; /* large enough that the validation cost is not monotone */
	ck_assert_int_eq(nn_fit(d, NULL, &X, &y, &o, r2), 0); /* no validation */
	o.val_x = &V;
	o.val_y = &vy;
	ck_assert_int_eq(nn_fit(c, &h, &X, &y, &o, r1), 0);
	ck_assert_uint_eq(h.best_epoch, 5);
	ck_assert_mem_eq(nn_net_params(c), nn_net_params(d), nn_net_param_count(c) * sizeof(double));
	nn_history_free(&h);
	nn_optim_free(ob);
	nn_net_free(a);
	nn_net_free(b);
	nn_net_free(c);
	nn_net_free(d);
	nn_net_free(net);
	nn_net_free(before);
	nn_rng_free(rng);
	nn_rng_free(r1);
	nn_rng_free(r2);
	nn_matrix_free(&X);
	nn_matrix_free(&V);
	nn_labels_free(&y);
	nn_labels_free(&vy);
}
END_TEST

/* Distributed mini-batches, threads standing in for processes: each holds
 * a shard, draws the same global permutation, and the result is that of one
 * process on the same global batches, up to summation order. */
struct fit_rank {
	struct tu_group *g; /* first, as struct tu_member */
	int id;
	nn_net *net;
	nn_matrix X;
	nn_labels y;
	nn_fit_options o;
	nn_history h;
	int rc;
};

static void *fit_rank_run(void *arg)
{
	struct fit_rank *r = arg;
	nn_rng *rng;
	if ((r->rc = nn_rng_new(&rng, 51)))
		return NULL;
	r->rc = nn_fit(r->net, &r->h, &r->X, &r->y, &r->o, rng);
	nn_rng_free(rng);
	return NULL;
}

START_TEST(test_fit_distributed)
{
	nn_matrix X, V;
	nn_labels y, vy;
	clusters(&X, &y, 63, 50);
	clusters(&V, &vy, 20, 52);
	nn_net *single = small_net(53);
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 51), 0);
	nn_fit_options o = nn_fit_defaults();
	o.optim.kind = NN_OPT_MOMENTUM;
	o.eta = 0.2;
	o.batch_size = 8; /* 7 batches of 8, one of 7 */
	o.epochs = 4;
	o.val_x = &V;
	o.val_y = &vy;
	nn_history h1;
	ck_assert_int_eq(nn_fit(single, &h1, &X, &y, &o, rng), 0);

	/* _i = 0: 2 ranks, 37 + 26 samples; _i = 1: 3 ranks, the middle one empty */
	int ranks = _i == 0 ? 2 : 3;
	size_t cut[4] = { 0, 37, 63, 63 };
	if (ranks == 3)
		cut[1] = 30, cut[2] = 30, cut[3] = 63;
	struct tu_group g = { .ranks = ranks };
	pthread_barrier_init(&g.bar, NULL, (unsigned)ranks);
	struct fit_rank r[3];
	pthread_t t[3];
	for (int k = 0; k < ranks; k++) {
		size_t n = cut[k + 1] - cut[k];
		r[k] = (struct fit_rank){ .g = &g, .id = k, .net = small_net(53), .o = o };
		r[k].X = nn_matrix_view(n ? X.data + cut[k] * X.ld : NULL, 2, n, X.ld);
		r[k].y = (nn_labels){ .n = n, .data = y.data + cut[k] };
		r[k].o.dist = (nn_dist){ .reduce = tu_thread_sum, .user = &r[k],
					 .shard_first = cut[k], .shard_total = 63 };
		ck_assert_int_eq(pthread_create(&t[k], NULL, fit_rank_run, &r[k]), 0);
	}
	for (int k = 0; k < ranks; k++)
		ck_assert_int_eq(pthread_join(t[k], NULL), 0);
	pthread_barrier_destroy(&g.bar);
	for (int k = 0; k < ranks; k++) {
		ck_assert_int_eq(r[k].rc, 0);
		ck_assert_double_le(tu_max_rel_err(nn_net_params(r[k].net), nn_net_params(single),
						   nn_net_param_count(single), 1e-12), 1e-12);
		ck_assert_uint_eq(r[k].h.n, h1.n);
		for (size_t e = 0; e < h1.n; e++) {
			ck_assert_double_le(fabs(r[k].h.epochs[e].train_cost - h1.epochs[e].train_cost),
					    1e-12 * h1.epochs[e].train_cost);
			ck_assert(r[k].h.epochs[e].train_accuracy == h1.epochs[e].train_accuracy);
			ck_assert_double_le(fabs(r[k].h.epochs[e].val_cost - h1.epochs[e].val_cost),
					    1e-12 * h1.epochs[e].val_cost);
		}
		nn_history_free(&r[k].h);
		nn_net_free(r[k].net);
	}
	nn_history_free(&h1);
	nn_net_free(single);
	nn_rng_free(rng);
	nn_matrix_free(&X);
	nn_matrix_free(&V);
	nn_labels_free(&y);
	nn_labels_free(&vy);
}
END_TEST

START_TEST(test_history_csv)
{
	nn_epoch_stats e[2] = { { 0, 0.5, 0.1, 1.25, 0.5, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN },
				{ 1, 0.25, 0.1, 1.0, 0.75, 2.0, 0.5, NAN, NAN, NAN, NAN, NAN, NAN } };
	nn_history h = { .n = 2, .epochs = e };
	char path[] = "/tmp/nn-hist-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(nn_history_write_csv(path, &h), 0);
	FILE *f = fopen(path, "r");
	char line[256];
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_str_eq(line, "epoch,seconds,eta,train_cost,train_accuracy,val_cost,val_accuracy\n");
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_str_eq(line, "0,0.500000,0.10000000000000001,1.25,0.500000,nan,nan\n");
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_str_eq(line, "1,0.250000,0.10000000000000001,1,0.750000,2,0.500000\n");
	ck_assert_ptr_null(fgets(line, sizeof(line), f));
	fclose(f);
	unlink(path);
	ck_assert_int_eq(nn_history_write_csv("/nonexistent/h.csv", &h), NN_EIO);
	ck_assert_int_eq(nn_history_write_csv(NULL, &h), NN_ENULL);
	nn_history_free(NULL);
}
END_TEST

START_TEST(test_errors)
{
	nn_matrix X, V;
	nn_labels y;
	clusters(&X, &y, 20, 1);
	nn_net *net = small_net(1);
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 1), 0);
	nn_fit_options o;
#define BAD(field, value, code)                                                   \
	do {                                                                      \
		o = nn_fit_defaults();                                            \
		o.field = value;                                                  \
		ck_assert_int_eq(nn_fit(net, NULL, &X, &y, &o, rng), code);       \
	} while (0)
	BAD(eta, 0.0, NN_EINVAL);
	BAD(eta, NAN, NN_EINVAL);
	BAD(epochs, 0, NN_EINVAL);
	BAD(optim.kind, (nn_optimizer)0, NN_EINVAL);
	BAD(optim.kind, NN_OPT_COUNT_, NN_EINVAL);
	BAD(optim.momentum, 1.0, NN_EINVAL);
	BAD(optim.beta2, -0.1, NN_EINVAL);
	BAD(optim.epsilon, 0.0, NN_EINVAL);
	BAD(optim.l2, -1.0, NN_EINVAL);
	BAD(dropout, 1.0, NN_EINVAL);
	BAD(schedule, NN_SCHEDULE_COUNT_, NN_EINVAL);
	o = nn_fit_defaults();
	o.schedule = NN_SCHEDULE_STEP;
	o.gamma = 0.0;
	ck_assert_int_eq(nn_fit(net, NULL, &X, &y, &o, rng), NN_EINVAL);
	o.gamma = 0.5;
	o.step_epochs = 0;
	ck_assert_int_eq(nn_fit(net, NULL, &X, &y, &o, rng), NN_EINVAL);
	o = nn_fit_defaults();
	o.schedule = NN_SCHEDULE_COSINE;
	o.eta_min = 1.0; /* above eta */
	ck_assert_int_eq(nn_fit(net, NULL, &X, &y, &o, rng), NN_EINVAL);
	o = nn_fit_defaults();
	o.patience = 3; /* without a validation set */
	ck_assert_int_eq(nn_fit(net, NULL, &X, &y, &o, rng), NN_EINVAL);
	o = nn_fit_defaults();
	o.val_x = &X; /* without val_y */
	ck_assert_int_eq(nn_fit(net, NULL, &X, &y, &o, rng), NN_EINVAL);
	o = nn_fit_defaults();
	ck_assert_int_eq(nn_fit(net, NULL, &X, &y, &o, NULL), NN_ENULL); /* shuffling needs an rng */
	ck_assert_int_eq(nn_fit(NULL, NULL, &X, &y, &o, rng), NN_ENULL);
	ck_assert_int_eq(nn_matrix_new(&V, 3, 20), 0);
	ck_assert_int_eq(nn_fit(net, NULL, &V, &y, &o, rng), NN_ESHAPE);
	o.val_x = &V;
	o.val_y = &y;
	ck_assert_int_eq(nn_fit(net, NULL, &X, &y, &o, rng), NN_ESHAPE);
	o = nn_fit_defaults();
	y.data[3] = 5;
	ck_assert_int_eq(nn_fit(net, NULL, &X, &y, &o, rng), NN_ELABEL);
	y.data[3] = 1;
	NN_AT(&X, 1, 2) = INFINITY;
	ck_assert_int_eq(nn_fit(net, NULL, &X, &y, &o, rng), NN_ENONFINITE);
	nn_optim *opt;
	ck_assert_int_eq(nn_optim_new(&opt, NULL, &o.optim), NN_ENULL);
	ck_assert_int_eq(nn_optim_step(NULL, net, net, 0.1, 1), NN_ENULL);
	nn_optim_free(NULL);
	nn_net_free(net);
	nn_rng_free(rng);
	nn_matrix_free(&X);
	nn_matrix_free(&V);
	nn_labels_free(&y);
}
END_TEST

Suite *fit_suite(void)
{
	Suite *s = suite_create("fit");
	TCase *tc = tcase_create("optimisers");
	tcase_add_test(tc, test_rules);
	tcase_add_test(tc, test_resume);
	suite_add_tcase(s, tc);
	tc = tcase_create("training");
	tcase_add_test(tc, test_full_batch_is_gd);
	tcase_add_test(tc, test_minibatch_reference);
	tcase_add_test(tc, test_learns);
	tcase_add_test(tc, test_early_stopping);
	tcase_add_test(tc, test_history_csv);
	tcase_add_test(tc, test_dropout_gradcheck);
	tcase_add_test(tc, test_dropout_learns);
	tcase_add_test(tc, test_fit_contracts);
	tcase_add_loop_test(tc, test_fit_distributed, 0, 2);
	tcase_add_test(tc, test_fitter_batches);
	tcase_add_test(tc, test_fit_distributed_agree);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}
