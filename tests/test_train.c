/* Gradient descent: one step by hand, learning, the best model, divergence, errors. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "nn_internal.h"
#include "suites.h"
#include "test_util.h"

/* Two Gaussian clusters, centres (-1.5, -1) and (1.5, 1), unit spread; labels 0/1. */
static void two_clusters(nn_matrix *X, nn_labels *y, size_t n, uint32_t seed)
{
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, seed), 0);
	ck_assert_int_eq(nn_matrix_new(X, 2, n), 0);
	ck_assert_int_eq(nn_labels_new(y, n), 0);
	for (size_t j = 0; j < n; j++) {
		int c = (int)(j % 2);
		y->data[j] = c;
		NN_AT(X, 0, j) = nn_rng_normal(rng, c ? 1.5 : -1.5, 1.0);
		NN_AT(X, 1, j) = nn_rng_normal(rng, c ? 1.0 : -1.0, 1.0);
	}
	nn_rng_free(rng);
}

/* One step equals params - eta * (the naive gradient). */
START_TEST(test_one_step)
{
	nn_matrix X;
	nn_labels y;
	two_clusters(&X, &y, 40, 3);
	const size_t sizes[] = { 2, 5, 2 };
	nn_net *net, *grad, *before;
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 5), 0);
	ck_assert_int_eq(nn_net_new(&net, 2, sizes, NULL), 0);
	ck_assert_int_eq(nn_net_init_randn(net, rng), 0);
	ck_assert_int_eq(nn_net_clone(&before, net), 0);
	ck_assert_int_eq(nn_net_clone(&grad, net), 0);
	double cost0;
	ck_assert_int_eq(nn__backward_naive(grad, &cost0, net, &X, &y), 0);

	nn_gd *gd;
	const double eta = 0.01;
	ck_assert_int_eq(nn_gd_new(&gd, net, &X, &y, eta), 0);
	ck_assert_int_eq(nn_gd_step(gd), 0);
	size_t n = nn_net_param_count(net);
	const double *p = nn_net_params(net), *p0 = nn_net_params(before), *g = nn_net_params(grad);
	for (size_t i = 0; i < n; i++)
		ck_assert_double_eq_tol(p[i], p0[i] - eta * g[i], 1e-13 * (1 + fabs(p0[i])));

	/* the result reports the cost of the stepped model */
	nn_train_result r;
	nn_gd_result(gd, &r);
	ck_assert_uint_eq(r.steps_run, 1);
	double c1;
	ck_assert_int_eq(nn__backward_naive(grad, &c1, net, &X, &y), 0);
	ck_assert_double_le(fabs(r.last_cost - c1) / c1, 1e-12);
	ck_assert_double_lt(r.last_cost, cost0);
	nn_gd_free(gd);
	nn_net_free(net);
	nn_net_free(grad);
	nn_net_free(before);
	nn_rng_free(rng);
	nn_matrix_free(&X);
	nn_labels_free(&y);
}
END_TEST

struct log {
	size_t calls, last_step;
	double first_best, last_best, first_cost, last_cost;
};

static int record(void *user, const nn_progress *p)
{
	struct log *lg = user;
	size_t step = p->step;
	double best = p->best_accuracy, cost = p->cost;
	if (lg->calls++ == 0) {
		lg->first_best = best;
		lg->first_cost = cost;
	}
	ck_assert_double_ge(best, lg->last_best); /* the best never falls */
	lg->last_step = step;
	lg->last_best = best;
	lg->last_cost = cost;
	return 0;
}

/* Training learns, and the model handed back scores what the callback reported. */
START_TEST(test_learns)
{
	nn_matrix X;
	nn_labels y;
	two_clusters(&X, &y, 200, 11);
	const size_t one[] = { 2, 1 }, two[] = { 2, 6, 2 };
	const size_t *shapes[] = { one, two };
	for (int s = 0; s < 2; s++) {
		nn_net *net;
		nn_rng *rng;
		ck_assert_int_eq(nn_rng_new(&rng, 17), 0);
		ck_assert_int_eq(nn_net_new(&net, (size_t)s + 1, shapes[s], NULL), 0);
		ck_assert_int_eq(s ? nn_net_init_randn(net, rng) : nn_net_init_random(net, rng), 0);
		struct log lg = { 0 };
		nn_train_options opt = { .eta = 0.005, .steps = 600, .every = 100,
					 .callback = record, .user = &lg };
		nn_train_result r;
		ck_assert_int_eq(nn_train_gd(net, &r, &X, &y, &opt), 0);
		ck_assert_uint_eq(lg.calls, 6);
		ck_assert_uint_eq(lg.last_step, 500);
		ck_assert_uint_eq(r.steps_run, 600);
		ck_assert_double_lt(lg.last_cost, lg.first_cost);
		ck_assert_double_ge(r.best_accuracy, 0.85);
		ck_assert_double_ge(r.best_accuracy, lg.last_best);

		/* the handed-back model is the best one */
		nn_workspace *ws;
		ck_assert_int_eq(nn_workspace_new(&ws, net, X.cols), 0);
		size_t correct;
		double cost;
		ck_assert_int_eq(nn_evaluate(&cost, &correct, ws, net, &X, &y), 0);
		ck_assert_uint_eq(correct, r.best_correct);
		ck_assert_double_le(fabs(cost - r.best_cost) / cost, 1e-12);
		nn_workspace_free(ws);
		nn_net_free(net);
		nn_rng_free(rng);
	}
	nn_matrix_free(&X);
	nn_labels_free(&y);
}
END_TEST

static int stop_at_two(void *user, const nn_progress *p)
{
	(void)user;
	return p->step >= 2;
}

/* The best copy is deep, the callback can stop a run, and a step allocates nothing. */
START_TEST(test_best_and_steps)
{
	nn_matrix X;
	nn_labels y;
	two_clusters(&X, &y, 60, 2);
	const size_t sizes[] = { 2, 4, 2 };
	nn_net *net;
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 9), 0);
	ck_assert_int_eq(nn_net_new(&net, 2, sizes, NULL), 0);
	ck_assert_int_eq(nn_net_init_randn(net, rng), 0);

	nn_gd *gd;
	ck_assert_int_eq(nn_gd_new(&gd, net, &X, &y, 0.05), 0);
	/* no allocation in the hot loop (Check's own asserts allocate, so none inside it) */
	unsigned long before = tu_alloc_count;
	int rc = 0;
	for (int i = 0; i < 50; i++)
		rc |= nn_gd_step(gd);
	unsigned long after = tu_alloc_count;
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(after, before);
	nn_train_result r;
	nn_gd_result(gd, &r);
	/* the best copy scores what the run says, and is not the live network */
	const nn_net *best = nn_gd_best(gd);
	nn_workspace *ws;
	ck_assert_int_eq(nn_workspace_new(&ws, net, X.cols), 0);
	size_t correct;
	ck_assert_int_eq(nn_evaluate(NULL, &correct, ws, best, &X, &y), 0);
	ck_assert_uint_eq(correct, r.best_correct);
	ck_assert_ptr_ne(nn_net_params_const(best), nn_net_params(net));
	nn_workspace_free(ws);
	nn_gd_free(gd);

	nn_train_options opt = { .eta = 0.05, .steps = 100, .every = 1, .callback = stop_at_two };
	ck_assert_int_eq(nn_train_gd(net, &r, &X, &y, &opt), 0);
	ck_assert_uint_eq(r.steps_run, 3);
	nn_net_free(net);
	nn_rng_free(rng);
	nn_matrix_free(&X);
	nn_labels_free(&y);
}
END_TEST

/* A huge step size drives the cost to Inf/NaN: NN_EDIVERGED, and the model
 * handed back is the (finite) best one found before. */
START_TEST(test_diverges)
{
	nn_matrix X;
	nn_labels y;
	two_clusters(&X, &y, 50, 4);
	/* identity layers make the cost explode instead of saturating */
	const size_t sizes[] = { 2, 8, 8, 1 };
	const nn_activation acts[] = { NN_ACT_IDENTITY, NN_ACT_IDENTITY, NN_ACT_IDENTITY };
	nn_net *net;
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 1), 0);
	ck_assert_int_eq(nn_net_new(&net, 3, sizes, acts), 0);
	ck_assert_int_eq(nn_net_init_randn(net, rng), 0);
	nn_train_options opt = { .eta = 10.0, .steps = 1000 };
	nn_train_result r;
	ck_assert_int_eq(nn_train_gd(net, &r, &X, &y, &opt), NN_EDIVERGED);
	ck_assert_uint_lt(r.steps_run, 1000);
	ck_assert(!isfinite(r.last_cost));
	nn_matrix w;
	for (size_t l = 1; l <= 3; l++) {
		nn_net_weights(&w, net, l);
		ck_assert_int_eq(nn_matrix_check_finite(&w), 0);
	}
	nn_net_free(net);
	nn_rng_free(rng);
	nn_matrix_free(&X);
	nn_labels_free(&y);
}
END_TEST

/* Diverging at the very first step hands back the initial weights. */
START_TEST(test_diverges_at_once)
{
	nn_matrix X;
	nn_labels y;
	two_clusters(&X, &y, 30, 5);
	const size_t sizes[] = { 2, 4, 1 };
	const nn_activation acts[] = { NN_ACT_IDENTITY, NN_ACT_IDENTITY };
	nn_net *net, *init;
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 6), 0);
	ck_assert_int_eq(nn_net_new(&net, 2, sizes, acts), 0);
	ck_assert_int_eq(nn_net_init_randn(net, rng), 0);
	ck_assert_int_eq(nn_net_clone(&init, net), 0);
	nn_train_options opt = { .eta = 1e200, .steps = 10 };
	nn_train_result r;
	ck_assert_int_eq(nn_train_gd(net, &r, &X, &y, &opt), NN_EDIVERGED);
	ck_assert_uint_eq(r.steps_run, 1);
	ck_assert_mem_eq(nn_net_params(net), nn_net_params(init),
			 nn_net_param_count(net) * sizeof(double));
	ck_assert_int_eq(nn_gd_step(NULL), NN_ENULL);
	nn_net_free(net);
	nn_net_free(init);
	nn_rng_free(rng);
	nn_matrix_free(&X);
	nn_labels_free(&y);
}
END_TEST

/*
 * Distributed training without MPI: threads stand in for processes, each
 * training on its shard, and the reduce hook sums their buffers behind a
 * barrier. The result must be one process's, up to summation order.
 */
struct rank {
	struct tu_group *g; /* first, as struct tu_member: tu_thread_sum reads them */
	int id;
	nn_net *net;
	nn_matrix X;
	nn_labels y;
	nn_train_result res;
	size_t calls, steps[64];
	double bests[64], costs[64];
	int rc;
};

static int log_step(void *user, const nn_progress *p)
{
	struct rank *r = user;
	size_t step = p->step;
	double best = p->best_accuracy, cost = p->cost;
	if (r->calls < 64) {
		r->steps[r->calls] = step;
		r->bests[r->calls] = best;
		r->costs[r->calls] = cost;
	}
	r->calls++;
	return 0;
}

static void *run_rank(void *arg)
{
	struct rank *r = arg;
	nn_train_options opt = { .eta = 0.002, .steps = 100, .every = 10, .callback = log_step,
				 .user = r, .dist = { .reduce = tu_thread_sum, .user = r } };
	r->rc = nn_train_gd(r->net, &r->res, &r->X, &r->y, &opt);
	return NULL;
}

START_TEST(test_reduce_equals_single)
{
	nn_matrix X;
	nn_labels y;
	two_clusters(&X, &y, 101, 21);
	const size_t sizes[] = { 2, 7, 2 };
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 22), 0);
	nn_net *single;
	ck_assert_int_eq(nn_net_new(&single, 2, sizes, NULL), 0);
	ck_assert_int_eq(nn_net_init_randn(single, rng), 0);
	struct rank ref = { .id = 0 };
	nn_train_options opt = { .eta = 0.002, .steps = 100, .every = 10, .callback = log_step,
				 .user = &ref };
	ck_assert_int_eq(nn_train_gd(single, &ref.res, &X, &y, &opt), 0);

	/* _i: 2 ranks with uneven shards (60 + 41), or 3 with an empty middle one */
	int ranks = _i == 0 ? 2 : 3;
	size_t cut[TU_MAX_RANKS + 1] = { 0, 60, 101, 101 };
	if (ranks == 3)
		cut[1] = 50, cut[2] = 50, cut[3] = 101;
	struct tu_group g = { .ranks = ranks };
	pthread_barrier_init(&g.bar, NULL, (unsigned)ranks);
	struct rank r[TU_MAX_RANKS];
	pthread_t t[TU_MAX_RANKS];
	nn_rng_seed(rng, 22);
	nn_net *init;
	ck_assert_int_eq(nn_net_new(&init, 2, sizes, NULL), 0);
	ck_assert_int_eq(nn_net_init_randn(init, rng), 0);
	for (int k = 0; k < ranks; k++) {
		r[k] = (struct rank){ .g = &g, .id = k };
		ck_assert_int_eq(nn_net_clone(&r[k].net, init), 0);
		size_t n = cut[k + 1] - cut[k];
		r[k].X = nn_matrix_view(n ? X.data + cut[k] * X.ld : NULL, 2, n, 2);
		r[k].y = (nn_labels){ .n = n, .data = y.data + cut[k] };
		ck_assert_int_eq(pthread_create(&t[k], NULL, run_rank, &r[k]), 0);
	}
	for (int k = 0; k < ranks; k++)
		ck_assert_int_eq(pthread_join(t[k], NULL), 0);
	pthread_barrier_destroy(&g.bar);
	for (int k = 0; k < ranks; k++) {
		ck_assert_int_eq(r[k].rc, 0);
		size_t n = nn_net_param_count(single);
		ck_assert_double_le(tu_max_rel_err(nn_net_params(r[k].net), nn_net_params(single), n,
						   1e-12), 1e-12);
		ck_assert_uint_eq(r[k].res.best_correct, ref.res.best_correct);
		ck_assert_uint_eq(r[k].res.best_step, ref.res.best_step);
		ck_assert_uint_eq(r[k].res.steps_run, 100);
		ck_assert_double_eq(r[k].res.best_accuracy, ref.res.best_accuracy);
		ck_assert_uint_eq(r[k].calls, ref.calls);
		for (size_t c = 0; c < ref.calls; c++) {
			ck_assert_uint_eq(r[k].steps[c], ref.steps[c]);
			ck_assert_double_eq(r[k].bests[c], ref.bests[c]);
			ck_assert_double_le(fabs(r[k].costs[c] - ref.costs[c]) / ref.costs[c], 1e-12);
		}
		nn_net_free(r[k].net);
	}
	nn_net_free(init);
	nn_net_free(single);
	nn_rng_free(rng);
	nn_matrix_free(&X);
	nn_labels_free(&y);
}
END_TEST

static void *run_rank_bad(void *arg)
{
	struct rank *r = arg;
	nn_train_options opt = { .eta = 0.002, .steps = 5, .dist = { .reduce = tu_thread_sum, .user = r } };
	r->rc = nn_train_gd(r->net, &r->res, &r->X, &r->y, &opt);
	return NULL;
}

/* One rank's shard fails its checks: it returns its error, the others
 * NN_EPEER, and nobody waits for ever. Every shard empty: NN_EINVAL. */
START_TEST(test_reduce_failures)
{
	nn_matrix X;
	nn_labels y;
	two_clusters(&X, &y, 20, 31);
	const size_t sizes[] = { 2, 3, 2 };
	for (int round = 0; round < 2; round++) {
		struct tu_group g = { .ranks = 2 };
		pthread_barrier_init(&g.bar, NULL, 2);
		struct rank r[2];
		pthread_t t[2];
		int bad[10];
		for (int k = 0; k < 2; k++) {
			r[k] = (struct rank){ .g = &g, .id = k };
			ck_assert_int_eq(nn_net_new(&r[k].net, 2, sizes, NULL), 0);
			size_t n = round == 0 ? 10 : 0;
			r[k].X = nn_matrix_view(n ? X.data + 10 * (size_t)k * X.ld : NULL, 2, n, 2);
			r[k].y = (nn_labels){ .n = n, .data = y.data + 10 * k };
		}
		if (round == 0) { /* rank 1 holds a label the output layer cannot have */
			memcpy(bad, y.data + 10, sizeof(bad));
			bad[4] = 7;
			r[1].y.data = bad;
		}
		for (int k = 0; k < 2; k++)
			ck_assert_int_eq(pthread_create(&t[k], NULL, run_rank_bad, &r[k]), 0);
		for (int k = 0; k < 2; k++)
			ck_assert_int_eq(pthread_join(t[k], NULL), 0);
		pthread_barrier_destroy(&g.bar);
		if (round == 0) {
			ck_assert_int_eq(r[0].rc, NN_EPEER);
			ck_assert_int_eq(r[1].rc, NN_ELABEL);
		} else {
			ck_assert_int_eq(r[0].rc, NN_EINVAL);
			ck_assert_int_eq(r[1].rc, NN_EINVAL);
		}
		for (int k = 0; k < 2; k++)
			nn_net_free(r[k].net);
	}
	nn_matrix_free(&X);
	nn_labels_free(&y);
}
END_TEST

struct agree_rank {
	struct tu_group *g; /* first, as struct tu_member */
	int id;
	nn_net *net;
	nn_matrix X;
	nn_labels y;
	nn_train_options opt;
	nn_train_result res;
	int rc;
};

static void *run_agree(void *arg)
{
	struct agree_rank *r = arg;
	r->rc = nn_train_gd(r->net, &r->res, &r->X, &r->y, &r->opt);
	return NULL;
}

static int stop_at_30(void *user, const nn_progress *p)
{
	(void)user;
	return p->step >= 30;
}

/* Ranks that would run different trainings fail together with NN_EPEER
 * instead of one waiting for ever in a reduction; a callback that stops
 * one rank stops both at the same step (issue 12). */
START_TEST(test_reduce_agreement)
{
	nn_matrix X;
	nn_labels y;
	two_clusters(&X, &y, 40, 33);
	const size_t sizes[] = { 2, 4, 2 }, other[] = { 2, 5, 2 };
	for (int vary = 0; vary <= 5; vary++) {
		struct tu_group g = { .ranks = 2 };
		pthread_barrier_init(&g.bar, NULL, 2);
		struct agree_rank r[2];
		pthread_t t[2];
		for (int k = 0; k < 2; k++) {
			nn_rng *rng;
			ck_assert_int_eq(nn_rng_new(&rng, 34), 0);
			r[k] = (struct agree_rank){ .g = &g, .id = k };
			ck_assert_int_eq(nn_net_new(&r[k].net, 2, vary == 1 && k ? other : sizes, NULL), 0);
			ck_assert_int_eq(nn_net_init_randn(r[k].net, rng), 0);
			nn_rng_free(rng);
			r[k].X = nn_matrix_view(X.data + 20 * (size_t)k * X.ld, 2, 20, X.ld);
			r[k].y = (nn_labels){ .n = 20, .data = y.data + 20 * k };
			r[k].opt = (nn_train_options){ .eta = 0.01, .steps = 100, .every = 10,
						       .dist = { .reduce = tu_thread_sum, .user = &r[k] } };
		}
		switch (vary) {
		case 2: r[1].opt.steps = 0; break;   /* a usage error on one rank */
		case 3: r[1].opt.steps = 50; break;  /* another number of steps */
		case 4: r[1].opt.eta = 0.02; break;
		case 5: r[1].opt.callback = stop_at_30; break;
		default: break;
		}
		for (int k = 0; k < 2; k++)
			ck_assert_int_eq(pthread_create(&t[k], NULL, run_agree, &r[k]), 0);
		for (int k = 0; k < 2; k++)
			ck_assert_int_eq(pthread_join(t[k], NULL), 0);
		pthread_barrier_destroy(&g.bar);
		if (vary == 0 || vary == 5) {
			for (int k = 0; k < 2; k++) {
				ck_assert_int_eq(r[k].rc, 0);
				/* the stop at step 30 is taken during step 31 (the score of a
				 * step's model comes with the next reduction) */
				ck_assert_uint_eq(r[k].res.steps_run, vary == 5 ? 31 : 100);
			}
			ck_assert_mem_eq(nn_net_params(r[0].net), nn_net_params(r[1].net),
					 nn_net_param_count(r[0].net) * sizeof(double));
		} else {
			ck_assert_int_eq(r[0].rc, NN_EPEER);
			ck_assert_int_eq(r[1].rc, vary == 2 ? NN_EINVAL : NN_EPEER);
		}
		for (int k = 0; k < 2; k++)
			nn_net_free(r[k].net);
	}
	nn_matrix_free(&X);
	nn_labels_free(&y);
}
END_TEST

START_TEST(test_errors)
{
	nn_matrix X;
	nn_labels y;
	two_clusters(&X, &y, 20, 1);
	const size_t sizes[] = { 2, 3, 1 }, wide[] = { 3, 3, 1 };
	nn_net *net, *w3;
	nn_gd *gd = (nn_gd *)1;
	ck_assert_int_eq(nn_net_new(&net, 2, sizes, NULL), 0);
	ck_assert_int_eq(nn_net_new(&w3, 2, wide, NULL), 0);
	nn_train_options opt = { .eta = 0.1, .steps = 10 };

	ck_assert_int_eq(nn_gd_new(&gd, net, &X, &y, 0.0), NN_EINVAL);
	ck_assert_ptr_null(gd);
	ck_assert_int_eq(nn_gd_new(&gd, net, &X, &y, -1.0), NN_EINVAL);
	ck_assert_int_eq(nn_gd_new(&gd, net, &X, &y, NAN), NN_EINVAL);
	ck_assert_int_eq(nn_gd_new(&gd, net, &X, &y, INFINITY), NN_EINVAL);
	ck_assert_int_eq(nn_gd_new(&gd, NULL, &X, &y, 0.1), NN_ENULL);
	ck_assert_int_eq(nn_gd_new(NULL, net, &X, &y, 0.1), NN_ENULL);
	ck_assert_int_eq(nn_gd_new(&gd, w3, &X, &y, 0.1), NN_ESHAPE);
	/* the detail names the argument and both shapes */
	ck_assert_str_eq(nn_last_error(), "X has 2 rows, the network's input layer has 3");
	ck_assert_str_eq(nn_error_message(NN_ESHAPE), nn_last_error());
	ck_assert_str_eq(nn_error_message(NN_EINVAL), nn_strerror(NN_EINVAL));
	ck_assert_int_eq(nn_gd_new(&gd, NULL, &X, &y, 0.1), NN_ENULL);
	ck_assert_str_eq(nn_last_error(), ""); /* no stale detail */
	/* NULL options are the defaults (issue 13: one rule for every options pointer) */
	nn_net *c1, *c2;
	ck_assert_int_eq(nn_net_clone(&c1, net), 0);
	ck_assert_int_eq(nn_net_clone(&c2, net), 0);
	ck_assert_int_eq(nn_train_gd(c1, NULL, &X, &y, NULL), 0);
	ck_assert_int_eq(nn_gd_new(&gd, c2, &X, &y, nn_train_defaults().eta), 0);
	for (size_t i = 0; i < nn_train_defaults().steps; i++)
		ck_assert_int_eq(nn_gd_step(gd), 0);
	nn_net_copy_params(c2, nn_gd_best(gd));
	nn_gd_free(gd);
	gd = NULL;
	ck_assert_mem_eq(nn_net_params(c1), nn_net_params(c2),
			 nn_net_param_count(c1) * sizeof(double));
	nn_net_free(c1);
	nn_net_free(c2);
	ck_assert_int_eq(nn_train_gd(NULL, NULL, &X, &y, &opt), NN_ENULL);
	opt.steps = 0;
	ck_assert_int_eq(nn_train_gd(net, NULL, &X, &y, &opt), NN_EINVAL);
	opt.steps = 10;
	y.data[5] = 2; /* one output unit takes 0/1 labels only */
	ck_assert_int_eq(nn_train_gd(net, NULL, &X, &y, &opt), NN_ELABEL);
	y.data[5] = 1;
	y.n = 19;
	ck_assert_int_eq(nn_train_gd(net, NULL, &X, &y, &opt), NN_ESHAPE);
	y.n = 20;
	NN_AT(&X, 0, 7) = NAN;
	ck_assert_int_eq(nn_train_gd(net, NULL, &X, &y, &opt), NN_ENONFINITE);
	NN_AT(&X, 0, 7) = 0.0;
	ck_assert_int_eq(nn_train_gd(net, NULL, &X, &y, &opt), 0);
	nn_net_free(net);
	nn_net_free(w3);
	nn_matrix_free(&X);
	nn_labels_free(&y);
}
END_TEST

Suite *train_suite(void)
{
	Suite *s = suite_create("train");
	TCase *tc = tcase_create("step");
	tcase_add_test(tc, test_one_step);
	tcase_add_test(tc, test_best_and_steps);
	suite_add_tcase(s, tc);
	tc = tcase_create("learn");
	tcase_add_test(tc, test_learns);
	tcase_add_test(tc, test_diverges);
	tcase_add_loop_test(tc, test_reduce_equals_single, 0, 2);
	tcase_add_test(tc, test_reduce_failures);
	tcase_add_test(tc, test_reduce_agreement);
	tcase_add_test(tc, test_diverges_at_once);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}
