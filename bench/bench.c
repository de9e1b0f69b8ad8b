/*
 * nn-bench: the training step (nn_gd_step: backward, update, forward,
 * score) against the BLAS limit and the lecture's numpy, on one BLAS.
 *
 * For each workload, in one process and interleaved round by round:
 *   nn      ms per nn_gd_step (median over rounds of a block's mean);
 *   floor   the same dgemm calls alone (same shapes, transposes, leading
 *           dimensions and input X), the part of a step BLAS cannot avoid;
 *   numpy   the lecture's algorithm in numpy (bench/numpy_step.py, a child
 *           process on the same data, weights, BLAS and thread variables),
 *           as the lecture writes it and written lean.
 * Then: GFLOP/s (2 m n k per product), overhead = (nn - floor) / nn, the
 * speed-up nn / numpy, peak resident size, and heap allocations across n
 * and 2n steps (both must be 0: a step allocates nothing).
 *
 * The sparse first layer (issue 9): on inputs of 64 features or more, the
 * step is also timed on the path nn did not choose (dense or sparse, see
 * nn_gd_set_input), in the same rounds, and the report says which path nn
 * takes, X's density, both steps and floor / step -- how much faster than
 * the dense dgemm floor the step runs. `--workloads sparsity` measures the
 * density at which the sparse products stop beating dgemm (the threshold
 * of NN_INPUT_AUTO).
 *
 * Which BLAS runs is whatever libblas.so.3 the dynamic linker finds: this
 * binary links the generic CBLAS, so LD_LIBRARY_PATH picks the backend
 * (bench/compare_backends.sh runs it under each). Thread counts come from
 * the environment (OPENBLAS_NUM_THREADS, BLIS_NUM_THREADS, OMP_NUM_THREADS);
 * nn's sparse kernels run on as many threads as the BLAS (--nn-threads
 * overrides), in a pool of their own whose threads sleep while BLAS runs.
 */
#include <cblas.h>
#include <errno.h>
#include <math.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alloc_count.h"
#include "blasinfo.h"
#include "nn_internal.h"
#include "numpy_client.h"
#include "workloads.h"

#ifndef NN_SOURCE_ROOT
#define NN_SOURCE_ROOT "."
#endif

#define MAX_ROUNDS 64

struct options {
	const char *workloads;  /* comma list, or all / lecture / grown */
	int quick;
	int rounds;             /* timing rounds (each: nn, floor, numpy blocks) */
	double block;           /* seconds per timed block */
	double budget;          /* seconds of timing per workload, at most */
	double max_step;        /* skip a workload whose step takes longer */
	double pause;           /* seconds between switching to or from numpy */
	const char *python, *script;
	int numpy;
	const char *csv, *details;
	const char *backend;    /* label; default: the directory of the BLAS found */
	int threads;            /* label; default: what the BLAS reports */
	struct bench_paths paths;
	uint32_t seed;
	int check_steps;        /* steps of the nn-vs-numpy agreement check */
	int info_only;
	int progress;           /* stderr is a terminal: show rounds as they go */
	int input;              /* -1: nn's choice (auto), else an nn_input_mode */
	size_t nn_threads;      /* threads of nn's sparse kernels; 0: as many as the BLAS */
};

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void pause_for(double s)
{
	if (s <= 0)
		return;
	struct timespec t = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
	while (nanosleep(&t, &t) && errno == EINTR)
		;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
	double s[MAX_ROUNDS];
	if (n <= 0)
		return NAN;
	memcpy(s, v, (size_t)n * sizeof(double));
	qsort(s, (size_t)n, sizeof(double), cmp_double);
	return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

/* Peak resident size of this process since the last reset, in MiB. */
static double peak_rss_mib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	double kb = NAN;
	if (!f)
		return NAN;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmHWM:", 6))
			kb = strtod(line + 6, NULL);
	fclose(f);
	return kb / 1024.0;
}

/* Reset the peak to the current resident size (Linux: clear_refs 5). */
static void reset_peak_rss(void)
{
	malloc_trim(0);
	FILE *f = fopen("/proc/self/clear_refs", "w");
	if (f) {
		fputs("5", f);
		fclose(f);
	}
}

/* ---- the gemm floor: a step's dgemm calls on buffers of the same shapes ---- */

struct floor {
	const struct bench_workload *w;
	const nn_matrix *X;
	double *W[5], *A[5], *D[5], *G[5];
	double *buf;
};

static int floor_new(struct floor *f, const struct bench_workload *w, const nn_matrix *X,
		     nn_rng *rng)
{
	memset(f, 0, sizeof(*f));
	f->w = w;
	f->X = X;
	size_t total = 0, N = w->n;
	for (size_t l = 1; l <= w->n_layers; l++)
		total += 2 * w->sizes[l] * w->sizes[l - 1] + 2 * w->sizes[l] * N;
	f->buf = malloc(total * sizeof(double));
	if (!f->buf)
		return NN_ENOMEM;
	double *p = f->buf;
	for (size_t l = 1; l <= w->n_layers; l++) {
		size_t n = w->sizes[l], k = w->sizes[l - 1];
		f->W[l] = p, p += n * k;
		f->G[l] = p, p += n * k;
		f->A[l] = p, p += n * N;
		f->D[l] = p, p += n * N;
	}
	/* small, well-scaled values: the kernels' speed does not depend on them,
	 * but denormals or overflow would */
	for (size_t i = 0; i < total; i++)
		f->buf[i] = nn_rng_uniform(rng, -0.1, 0.1);
	return 0;
}

static void floor_free(struct floor *f)
{
	free(f->buf);
	f->buf = NULL;
}

/* The dgemm calls of one nn_gd_step, in its order, exactly as lib/core/backprop.c makes them. */
static void floor_step(struct floor *f)
{
	const struct bench_workload *w = f->w;
	int N = (int)w->n, L = (int)w->n_layers;
	for (int l = L; l >= 1; l--) {
		int n = (int)w->sizes[l], k = (int)w->sizes[l - 1];
		const double *in = l > 1 ? f->A[l - 1] : f->X->data;
		int ld_in = l > 1 ? k : (int)f->X->ld;
		/* dW_l = D_l A_{l-1}^T */
		cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, n, k, N, 1.0, f->D[l], n, in,
			    ld_in, 0.0, f->G[l], n);
		if (l > 1) /* D_{l-1} = W_l^T D_l */
			cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, k, N, n, 1.0, f->W[l], n,
				    f->D[l], n, 0.0, f->D[l - 1], k);
	}
	for (int l = 1; l <= L; l++) {
		int n = (int)w->sizes[l], k = (int)w->sizes[l - 1];
		const double *in = l > 1 ? f->A[l - 1] : f->X->data;
		int ld_in = l > 1 ? k : (int)f->X->ld;
		/* A_l = W_l A_{l-1} */
		cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, N, k, 1.0, f->W[l], n, in,
			    ld_in, 0.0, f->A[l], n);
	}
}

/* ---- one workload ---- */

struct result {
	int done;               /* 0: skipped */
	char skip_reason[128];
	double ms, ms_min, floor_ms, np_ms, np_lean_ms;
	double gflops, floor_gflops, overhead_pct, speedup, speedup_lean;
	double rss_mib, np_rss_mib;
	unsigned long allocs_n, allocs_2n;   /* nn's own allocations in n and 2n steps */
	unsigned long blas_n, blas_2n;       /* everyone else's (the BLAS) */
	int rounds, alloc_steps;
	double check_rel;       /* |cost_nn - cost_numpy| / cost after check_steps steps */
	char numpy_blas[512];
	char data[256];
	double density;         /* non-zero fraction of X */
	int sparse;             /* the path the timed nn step took: 1 sparse, 0 dense */
	double other_ms;        /* the step on the other path (NAN: not timed) */
	double dense_ms, sparse_ms, x_floor; /* x_floor = floor / the faster of the two */
	size_t nn_threads;
};

static int run_steps(nn_gd *gd, long k)
{
	for (long i = 0; i < k; i++) {
		int rc = nn_gd_step(gd);
		if (rc && rc != NN_EDIVERGED)
			return rc;
	}
	return 0;
}

/* Seconds per step of fn over at least min_steps steps and min_time seconds. */
#define WARM(expr, min_steps, min_time, out)                                              \
	do {                                                                                  \
		double t0_ = now(), el_;                                                      \
		long k_ = 0;                                                                  \
		do {                                                                          \
			expr;                                                                 \
			k_++;                                                                 \
			el_ = now() - t0_;                                                    \
		} while (k_ < (min_steps) || el_ < (min_time));                               \
		(out) = el_ / (double)k_;                                                     \
	} while (0)

static long steps_for(double block, double per_step)
{
	double k = block / per_step;
	return k < 1 ? 1 : (k > 1e7 ? 10000000 : (long)k);
}

/* The numpy child's reply "<word> <number> ..." : the number, or NAN. */
static double reply_number(const char *reply, const char *word)
{
	size_t n = strlen(word);
	if (strncmp(reply, word, n) || reply[n] != ' ')
		return NAN;
	return strtod(reply + n + 1, NULL);
}

/* The nn cost after `steps` steps from the initial weights, on a fresh clone. */
static double nn_cost_after(const nn_net *init, const nn_matrix *X, const nn_labels *y,
			    double eta, int steps)
{
	nn_net *net = NULL;
	nn_gd *gd = NULL;
	double cost = NAN;
	if (nn_net_clone(&net, init) || nn_gd_new(&gd, net, X, y, eta))
		goto out;
	for (int i = 0; i < steps; i++)
		nn_gd_step(gd);
	nn_train_result r;
	nn_gd_result(gd, &r);
	cost = r.last_cost;
out:
	nn_gd_free(gd);
	nn_net_free(net);
	return cost;
}

static int run_workload(struct result *res, const struct bench_workload *w,
			const struct options *o)
{
	memset(res, 0, sizeof(*res));
	res->check_rel = NAN;
	res->np_ms = res->np_lean_ms = res->speedup = res->speedup_lean = NAN;
	res->np_rss_mib = NAN;
	struct bench_data_set d;
	struct floor fl = { 0 };
	struct numpy_child np = { .pid = -1 };
	nn_rng *rng = NULL;
	nn_net *net = NULL, *init = NULL, *net2 = NULL;
	nn_gd *gd = NULL, *gd2 = NULL;
	int rc;
	char reply[1024];
	res->other_ms = res->dense_ms = res->sparse_ms = res->x_floor = NAN;

	reset_peak_rss();
	if ((rc = nn_rng_new(&rng, o->seed)))
		return rc;
	if ((rc = bench_data_load(&d, w, &o->paths, o->seed, rng)))
		goto out;
	snprintf(res->data, sizeof(res->data), "%s", d.what);
	if ((rc = bench_net_new(&net, w, rng)) || (rc = nn_net_clone(&init, net)) ||
	    (rc = nn_gd_new(&gd, net, &d.X, &d.y, w->eta)) || (rc = floor_new(&fl, w, &d.X, rng)))
		goto out;
	if ((o->input >= 0 && (rc = nn_gd_set_input(gd, (nn_input_mode)o->input))) ||
	    (rc = nn_gd_set_threads(gd, o->nn_threads)))
		goto out;
	res->density = nn_gd_input_density(gd);
	res->sparse = nn_gd_input(gd) == NN_INPUT_SPARSE;
	res->nn_threads = o->nn_threads ? o->nn_threads : nn__blas_threads();
	/* the other path, on a copy of the same weights: MNIST-shaped inputs only */
	if (w->sizes[0] >= 64) {
		if ((rc = nn_net_clone(&net2, init)) ||
		    (rc = nn_gd_new(&gd2, net2, &d.X, &d.y, w->eta)) ||
		    (rc = nn_gd_set_input(gd2, res->sparse ? NN_INPUT_DENSE : NN_INPUT_SPARSE)) ||
		    (rc = nn_gd_set_threads(gd2, o->nn_threads)))
			goto out;
	}

	if (o->numpy) {
		char sizes[64], eta[32], seed[16];
		bench_shape_string(sizes, sizeof(sizes), w);
		snprintf(eta, sizeof(eta), "%.17g", w->eta);
		snprintf(seed, sizeof(seed), "%u", (unsigned)o->seed);
		char *args[] = { "--data", d.spec, "--sizes", sizes, "--eta", eta, "--seed", seed,
				 w->first_network ? "--first-network" : NULL, NULL };
		if (numpy_start(&np, o->python, o->script, args) ||
		    numpy_ask(&np, reply, sizeof(reply), "info") || strncmp(reply, "info ", 5)) {
			fprintf(stderr, "nn-bench: the numpy reference did not start (%s %s)\n",
				o->python, o->script);
			numpy_stop(&np);
		} else {
			snprintf(res->numpy_blas, sizeof(res->numpy_blas), "%.500s", reply + 5);
		}
	}
	int have_np = np.to != NULL;

	/* agreement: same data, same weights, same steps -> the same cost */
	if (have_np && o->check_steps > 0 &&
	    !numpy_ask(&np, reply, sizeof(reply), "check %d", o->check_steps)) {
		double c_np = reply_number(reply, "cost");
		double c_nn = nn_cost_after(init, &d.X, &d.y, w->eta, o->check_steps);
		res->check_rel = fabs(c_nn - c_np) / fabs(c_nn);
	}

	/* warm-up, and the time of one step of each */
	double t_nn, t_fl, t_np = NAN, t_lean = NAN;
	WARM(run_steps(gd, 1), 2, o->quick ? 0.01 : 0.05, t_nn);
	if (t_nn > o->max_step) {
		snprintf(res->skip_reason, sizeof(res->skip_reason),
			 "a step takes %.1f s (> --max-step %.1f s)", t_nn, o->max_step);
		rc = 0;
		goto out;
	}
	WARM(floor_step(&fl), 2, o->quick ? 0.01 : 0.05, t_fl);
	double t_2 = 0;
	if (gd2)
		WARM(run_steps(gd2, 1), 2, o->quick ? 0.01 : 0.05, t_2);
	if (have_np) {
		pause_for(o->pause);
		if (!numpy_ask(&np, reply, sizeof(reply), "warm lecture %g", o->quick ? 0.01 : 0.05))
			t_np = reply_number(reply, "ms") * 1e-3;
		if (!numpy_ask(&np, reply, sizeof(reply), "warm lean %g", o->quick ? 0.01 : 0.05))
			t_lean = reply_number(reply, "ms") * 1e-3;
		pause_for(o->pause);
	}

	/* a step allocates nothing: count across n and 2n steps */
	int n_alloc = t_nn > 0.5 ? 1 : 5;
	unsigned long a0 = bench_alloc_count(), o0 = bench_alloc_count_own();
	run_steps(gd, n_alloc);
	unsigned long a1 = bench_alloc_count(), o1 = bench_alloc_count_own();
	run_steps(gd, 2 * n_alloc);
	unsigned long a2 = bench_alloc_count(), o2 = bench_alloc_count_own();
	res->alloc_steps = n_alloc;
	res->allocs_n = o1 - o0;
	res->allocs_2n = o2 - o1;
	res->blas_n = (a1 - a0) - res->allocs_n;
	res->blas_2n = (a2 - a1) - res->allocs_2n;

	/* rounds: as many as asked, fewer when a round would blow the budget */
	long k_nn = steps_for(o->block, t_nn), k_fl = steps_for(o->block, t_fl);
	long k_2 = gd2 ? steps_for(o->block, t_2) : 0;
	long k_np = have_np && t_np > 0 ? steps_for(o->block, t_np) : 0;
	long k_lean = have_np && t_lean > 0 ? steps_for(o->block, t_lean) : 0;
	double per_round = (double)k_nn * t_nn + (double)k_fl * t_fl + (double)k_2 * t_2 +
			   (k_np ? (double)k_np * t_np + (double)k_lean * t_lean + 2 * o->pause : 0);
	int rounds = o->rounds;
	if (per_round * rounds > o->budget)
		rounds = (int)(o->budget / per_round);
	if (rounds < (o->quick ? 1 : 3))
		rounds = o->quick ? 1 : 3;
	if (rounds > MAX_ROUNDS)
		rounds = MAX_ROUNDS;

	double v_nn[MAX_ROUNDS], v_fl[MAX_ROUNDS], v_np[MAX_ROUNDS], v_lean[MAX_ROUNDS];
	double v_2[MAX_ROUNDS];
	int n_np = 0, n_lean = 0;
	for (int r = 0; r < rounds; r++) {
		double t0 = now();
		if ((rc = run_steps(gd, k_nn)))
			goto out;
		double t1 = now();
		for (long i = 0; i < k_fl; i++)
			floor_step(&fl);
		double t2 = now();
		v_nn[r] = (t1 - t0) / (double)k_nn * 1e3;
		v_fl[r] = (t2 - t1) / (double)k_fl * 1e3;
		if (gd2) {
			if ((rc = run_steps(gd2, k_2)))
				goto out;
			v_2[r] = (now() - t2) / (double)k_2 * 1e3;
		}
		if (k_np) {
			pause_for(o->pause);
			if (!numpy_ask(&np, reply, sizeof(reply), "run lecture %ld", k_np))
				v_np[n_np++] = reply_number(reply, "ms");
			if (!numpy_ask(&np, reply, sizeof(reply), "run lean %ld", k_lean))
				v_lean[n_lean++] = reply_number(reply, "ms");
			pause_for(o->pause);
		}
		if (o->progress)
			fprintf(stderr, "\r  %-11s round %d/%d: nn %.4g ms, floor %.4g ms ", w->name,
				r + 1, rounds, v_nn[r], v_fl[r]);
	}
	if (o->progress)
		fprintf(stderr, "\r%*s\r", 60, "");

	double flops = bench_step_flops(w);
	res->done = 1;
	res->rounds = rounds;
	res->ms = median(v_nn, rounds);
	res->ms_min = v_nn[0];
	for (int r = 1; r < rounds; r++)
		if (v_nn[r] < res->ms_min)
			res->ms_min = v_nn[r];
	res->floor_ms = median(v_fl, rounds);
	res->gflops = flops / (res->ms * 1e-3) * 1e-9;
	res->floor_gflops = flops / (res->floor_ms * 1e-3) * 1e-9;
	res->overhead_pct = 100.0 * (res->ms - res->floor_ms) / res->ms;
	if (gd2)
		res->other_ms = median(v_2, rounds);
	res->sparse_ms = res->sparse ? res->ms : res->other_ms;
	res->dense_ms = res->sparse ? res->other_ms : res->ms;
	if (!isnan(res->sparse_ms))
		res->x_floor = res->floor_ms / res->sparse_ms;
	/* the overhead beyond BLAS is that of the dense path, which runs the floor's calls */
	if (!isnan(res->dense_ms))
		res->overhead_pct = 100.0 * (res->dense_ms - res->floor_ms) / res->dense_ms;
	if (n_np) {
		res->np_ms = median(v_np, n_np);
		res->speedup = res->np_ms / res->ms;
	}
	if (n_lean) {
		res->np_lean_ms = median(v_lean, n_lean);
		res->speedup_lean = res->np_lean_ms / res->ms;
	}
	res->rss_mib = peak_rss_mib();
	if (have_np && !numpy_ask(&np, reply, sizeof(reply), "rss"))
		res->np_rss_mib = reply_number(reply, "rss");
	rc = 0;
out:
	numpy_stop(&np);
	floor_free(&fl);
	nn_gd_free(gd);
	nn_gd_free(gd2);
	nn_net_free(net);
	nn_net_free(net2);
	nn_net_free(init);
	bench_data_free(&d);
	nn_rng_free(rng);
	return rc;
}

/* ---- the large dgemm: the machine's rate on this BLAS ---- */

static int run_dgemm_peak(struct result *res, int size, const struct options *o)
{
	memset(res, 0, sizeof(*res));
	res->np_ms = res->np_lean_ms = res->speedup = res->speedup_lean = res->check_rel = NAN;
	res->np_rss_mib = NAN;
	res->other_ms = res->dense_ms = res->sparse_ms = res->x_floor = res->density = NAN;
	size_t nn = (size_t)size * (size_t)size;
	reset_peak_rss();
	double *a = malloc(3 * nn * sizeof(double));
	if (!a)
		return NN_ENOMEM;
	for (size_t i = 0; i < 3 * nn; i++)
		a[i] = (double)(i % 7) * 0.1 - 0.3;
	double t;
	WARM(cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, size, size, size, 1.0, a, size,
			 a + nn, size, 0.0, a + 2 * nn, size),
	     1, 0.0, t);
	if (t > o->max_step) {
		snprintf(res->skip_reason, sizeof(res->skip_reason), "one dgemm takes %.1f s", t);
		free(a);
		return 0;
	}
	int rounds = o->quick ? 3 : 7;
	if (t * rounds > o->budget)
		rounds = (int)(o->budget / t) < 2 ? 2 : (int)(o->budget / t);
	double v[MAX_ROUNDS];
	for (int r = 0; r < rounds && r < MAX_ROUNDS; r++) {
		double t0 = now();
		cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, size, size, size, 1.0, a, size,
			    a + nn, size, 0.0, a + 2 * nn, size);
		v[r] = (now() - t0) * 1e3;
	}
	free(a);
	res->done = 1;
	res->rounds = rounds;
	res->ms = res->floor_ms = median(v, rounds);
	res->ms_min = res->ms;
	res->gflops = res->floor_gflops = 2.0 * size * (double)size * size / (res->ms * 1e-3) * 1e-9;
	res->overhead_pct = 0.0;
	res->rss_mib = peak_rss_mib();
	snprintf(res->data, sizeof(res->data), "%d x %d matrices", size, size);
	return 0;
}

static void fmt(char *buf, size_t len, double v, const char *f);

/* ---- the density threshold: sparse products against dgemm ---- */

/*
 * Z = W X and G = D X^T, the first layer's two products, on generated
 * 784 x n inputs of each density (uniform non-zeros in (0, 1], MNIST's
 * range), for h = 30 and 128: dgemm against the sparse kernels of each
 * family this CPU runs, interleaved round by round. The crossover -- the density where
 * the sparse pair stops beating dgemm -- is what NN_INPUT_AUTO's threshold
 * (lib/train/train.c) is set from.
 */
static int run_sparsity(const struct options *o, uint32_t seed)
{
	static const double dens[] = { 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.8, 1.0 };
	static const size_t hs[] = { 30, 128 };
	const size_t P = 784, n = o->quick ? 1000 : 2000, nd = sizeof(dens) / sizeof(dens[0]);
	int simd = nn__cpu_simd(), rc = 0;
	size_t threads = o->nn_threads ? o->nn_threads : nn__blas_threads();
	nn_rng *rng = NULL;
	nn_matrix X = { 0 };
	double *buf = NULL;
	if ((rc = nn_rng_new(&rng, seed)) || (rc = nn_matrix_new(&X, P, n)))
		goto out;
	if (!(buf = malloc(2 * 128 * (P + n) * sizeof(double)))) {
		rc = NN_ENOMEM;
		goto out;
	}
	double *W = buf, *D = W + 128 * P, *Z = D + 128 * n, *G = Z + 128 * n;
	for (size_t i = 0; i < 128 * (P + n); i++)
		buf[i] = nn_rng_uniform(rng, -0.1, 0.1);
	printf("# sparsity: Z = W X plus G = D X^T, X %zu x %zu of each density; dgemm vs the sparse"
	       " kernels (%zu thread%s, build not counted); ms, median of %d rounds\n",
	       P, n, threads, threads > 1 ? "s" : "", o->quick ? 3 : 7);
	printf("%-6s %5s %9s", "h", "dens", "dgemm");
	for (int f = simd; f >= 0; f--)
		printf(" %9s %7s", nn__simd_name(f), "x");
	printf("\n");
	for (size_t hi = 0; hi < sizeof(hs) / sizeof(hs[0]); hi++) {
		size_t h = hs[hi];
		double cross[NN__SIMD_COUNT_], prev[NN__SIMD_COUNT_];
		for (int f = 0; f < NN__SIMD_COUNT_; f++)
			cross[f] = prev[f] = NAN;
		for (size_t di = 0; di < nd; di++) {
			for (size_t j = 0; j < n; j++)
				for (size_t i = 0; i < P; i++) {
					double v = nn_rng_random(rng);
					NN_AT(&X, i, j) = v < dens[di] ? 1.0 - v / dens[di] * 0.999 : 0.0;
				}
			nn_sparse *sp = NULL;
			if ((rc = nn__sparse_new(&sp, &X, h, threads, 0)))
				goto out;
			int rounds = o->quick ? 3 : 7;
			double v[1 + NN__SIMD_COUNT_][MAX_ROUNDS];
			for (int r = 0; r < rounds; r++) {
				double t0 = now();
				cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)h, (int)n, (int)P,
					    1.0, W, (int)h, X.data, (int)P, 0.0, Z, (int)h);
				cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, (int)h, (int)P, (int)n,
					    1.0, D, (int)h, X.data, (int)P, 0.0, G, (int)h);
				v[0][r] = (now() - t0) * 1e3;
				for (int f = simd; f >= 0; f--) {
					double t1 = now();
					nn__sparse_wx_f64(f, Z, h, W, h, sp, -1, NULL);
					nn__sparse_dxt_f64(f, G, h, D, h, sp);
					v[1 + f][r] = (now() - t1) * 1e3;
				}
			}
			nn__sparse_free(sp);
			double m0 = median(v[0], rounds);
			printf("%-6zu %5.2f %9.4g", h, dens[di], m0);
			for (int f = simd; f >= 0; f--) {
				double m = median(v[1 + f], rounds), x = m0 / m;
				printf(" %9.4g %6.2fx", m, x);
				/* where the ratio falls through 1, interpolated */
				if (isnan(cross[f]) && di > 0 && prev[f] >= 1 && x < 1)
					cross[f] = dens[di - 1] + (dens[di] - dens[di - 1]) *
								   (prev[f] - 1) / (prev[f] - x);
				prev[f] = x;
			}
			printf("\n");
			fflush(stdout);
		}
		printf("# crossover h = %zu:", h);
		for (int f = simd; f >= 0; f--) {
			char c[32];
			fmt(c, sizeof(c), cross[f], "%.2f");
			printf(" %s %s", nn__simd_name(f), isnan(cross[f]) && prev[f] >= 1 ? "> 1" : c);
		}
		printf(" (nn_input_threshold() here: %.2f)\n", nn_input_threshold());
	}
out:
	free(buf);
	nn_matrix_free(&X);
	nn_rng_free(rng);
	return rc;
}

/* ---- the vectorised sigmoid: its speed and the error of its exp ---- */

static double ulps(double y, long double ref)
{
	double r = (double)ref;
	double u = nextafter(fabs(r), INFINITY) - fabs(r); /* one ulp at the true value */
	return (double)fabsl((long double)y - ref) / u;
}

/* exp of one vector's worth of doubles, by a family's kernel */
typedef void (*vexp_fn)(double *y, const double *x);

/*
 * One family's exp over a dense sweep of the arguments the sigmoid gives
 * it, u = -z in [-40, 709] (beyond -37 sigma rounds to 1, beyond 709 exp
 * overflows and sigma is 0 either way), in ulps of the true value (long
 * double expl as the reference), against glibc's scalar exp; and sigma.
 */
static void exp_sweep(const char *name, vexp_fn vexp, int lanes, long n)
{
	const double lo = -40.0, hi = 709.0;
	double worst_v = 0, worst_s = 0, worst_sig_v = 0, worst_sig_s = 0, worst_diff = 0;
	double at_v = 0, at_s = 0;
	long differ = 0;
	for (long i = 0; i < n; i += lanes) {
		double x[16], y[16];
		for (int k = 0; k < lanes; k++)
			x[k] = lo + (hi - lo) * (double)(i + k) / (double)n;
		vexp(y, x);
		for (int k = 0; k < lanes; k++) {
			long double ref = expl((long double)x[k]);
			double ys = exp(x[k]);
			double ev = ulps(y[k], ref), es = ulps(ys, ref);
			if (ev > worst_v)
				worst_v = ev, at_v = x[k];
			if (es > worst_s)
				worst_s = es, at_s = x[k];
			differ += y[k] != ys;
			double d = fabs(y[k] - ys) / ys;
			worst_diff = d > worst_diff ? d : worst_diff;
			/* sigma(z) with z = -x, as the passes compute it, against 1 / (1 + expl(x)) */
			long double sref = 1.0L / (1.0L + ref);
			double sv = 1.0 / (1.0 + y[k]), ss = 1.0 / (1.0 + ys);
			double rv = (double)(fabsl(sv - sref) / sref), rs = (double)(fabsl(ss - sref) / sref);
			worst_sig_v = rv > worst_sig_v ? rv : worst_sig_v;
			worst_sig_s = rs > worst_sig_s ? rs : worst_sig_s;
		}
	}
	printf("# %s: exp over %ld arguments in [%g, %g], in ulps of the true value (expl):\n", name,
	       n, lo, hi);
	printf("#   vector exp (%d lanes): max %.3f ulp (at %.17g)\n", lanes, worst_v, at_v);
	printf("#   scalar exp:           max %.3f ulp (at %.17g)\n", worst_s, at_s);
	printf("#   the two differ on %.1f %% of the arguments, by at most %.3g relative\n",
	       100.0 * (double)differ / (double)n, worst_diff);
	printf("#   sigma = 1 / (1 + exp(-z)) for the same z: max relative error %.3g (vector exp),"
	       " %.3g (scalar exp)\n",
	       worst_sig_v, worst_sig_s);
}

/*
 * The sigmoid pass A = 1 / (1 + exp(-(A + b))) over 30 x 500 and 128 x
 * 10,000 values, in each family this CPU runs (portable: glibc's scalar
 * exp; AVX2 and AVX-512: libmvec's 4- and 8-lane exps); then each vector
 * exp's error (exp_sweep).
 */
static int run_sigmoid(const struct options *o)
{
	int simd = nn__cpu_simd();
	if (simd == NN__SIMD_NONE) {
		printf("# sigmoid: the portable kernels only (this CPU, or NN_SIMD): scalar exp\n");
		return 0;
	}
	static const size_t shapes[2][2] = { { 30, 500 }, { 128, 10000 } };
	int rounds = o->quick ? 3 : 9;
	printf("# sigmoid pass A = sigma(A + b), ms, median of %d rounds\n", rounds);
	for (int s = 0; s < 2; s++) {
		size_t rows = shapes[s][0], cols = shapes[s][1], n = rows * cols;
		double *A = malloc(2 * n * sizeof(double)), *b = malloc(rows * sizeof(double));
		if (!A || !b) {
			free(A), free(b);
			return NN_ENOMEM;
		}
		double *Z = A + n, v[NN__SIMD_COUNT_][MAX_ROUNDS];
		for (size_t i = 0; i < n; i++)
			Z[i] = (double)(i % 1000) / 100.0 - 5.0;
		for (size_t i = 0; i < rows; i++)
			b[i] = 0.01 * (double)i;
		for (int r = 0; r < rounds; r++)
			for (int f = 0; f <= simd; f++) {
				memcpy(A, Z, n * sizeof(double));
				double t0 = now();
				nn__act_forward_f64(f, NN_ACT_SIGMOID, A, rows, cols, rows, b, NULL);
				v[f][r] = (now() - t0) * 1e3;
			}
		double m0 = median(v[0], rounds);
		printf("#   %zu x %zu: none (scalar exp) %.4g ms", rows, cols, m0);
		for (int f = 1; f <= simd; f++) {
			double m = median(v[f], rounds);
			printf(", %s %.4g ms (%.1fx)", nn__simd_name(f), m, m0 / m);
		}
		printf("\n");
		free(A), free(b);
	}
	long n = o->quick ? 1L << 20 : 1L << 24;
#ifdef NN_HAVE_AVX2_KERNELS
	exp_sweep("avx2", nn__vexp_avx2_f64, 4, n);
#endif
#ifdef NN_HAVE_AVX512_KERNELS
	if (simd >= NN__SIMD_AVX512)
		exp_sweep("avx512", nn__vexp_avx512_f64, 8, n);
#endif
	return 0;
}

/* ---- the optimiser's update: the scalar loop against each family ---- */

/* Adam as nn's update ran before issue 16: settings re-read through the
 * struct after every store, sqrt with its errno path -- a scalar loop. */
static void adam_scalar(const nn__update_args *a, double *p, const double *g, double *u,
			double *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		double gi = a->scale * g[i];
		u[i] = a->beta1 * u[i] + (1 - a->beta1) * gi;
		v[i] = a->beta2 * v[i] + (1 - a->beta2) * gi * gi;
		p[i] -= a->eta * (u[i] / a->c1) / (sqrt(v[i] / a->c2) + a->eps);
	}
}

/*
 * One Adam update of the 235,146 parameters of 784-256-128-10 (what every
 * batch of issue 16's mini-batch benchmark pays), in ms: that scalar loop,
 * then update.c's copy of each family this CPU runs, float64 and float32.
 */
static int run_update(const struct options *o)
{
	const size_t n = 235146;
	int rounds = o->quick ? 5 : 21, simd = nn__cpu_simd();
	double *d = malloc(4 * n * sizeof(double));
	float *f = malloc(4 * n * sizeof(float));
	if (!d || !f) {
		free(d), free(f);
		return NN_ENOMEM;
	}
	for (size_t i = 0; i < 4 * n; i++)
		d[i] = f[i] = (float)((double)(i % 1000) / 1000.0 * (i < n ? 1 : 1e-3));
	double *p = d, *g = d + n, *u = d + 2 * n, *v = d + 3 * n;
	float *pf = f, *gf = f + n, *uf = f + 2 * n, *vf = f + 3 * n;
	nn__update_args a = { .kind = NN_OPT_ADAM, .eta = 1e-3, .scale = 1.0 / 128, .beta1 = 0.9,
			      .beta2 = 0.999, .eps = 1e-8, .c1 = 0.1, .c2 = 0.001 };
	/* [0]: scalar; [1 + 2f]: family f in float64, [2 + 2f]: in float32 */
	double t[1 + 2 * NN__SIMD_COUNT_][64];
	for (int r = 0; r < rounds; r++) {
		double t0 = now();
		adam_scalar(&a, p, g, u, v, n);
		t[0][r] = (now() - t0) * 1e3;
		for (int fam = 0; fam <= simd; fam++) {
			void (*u64)(const nn__update_args *, double *, const double *, double *, double *,
				    size_t, double) = nn__update_f64;
			void (*u32)(const nn__update_args *, float *, const float *, float *, float *,
				    size_t, double) = nn__update_f32;
#ifdef NN_HAVE_AVX2_KERNELS
			if (fam == NN__SIMD_AVX2)
				u64 = nn__update_avx2_f64, u32 = nn__update_avx2_f32;
#endif
#ifdef NN_HAVE_AVX512_KERNELS
			if (fam == NN__SIMD_AVX512)
				u64 = nn__update_avx512_f64, u32 = nn__update_avx512_f32;
#endif
			t0 = now();
			u64(&a, p, g, u, v, n, 0.0);
			double t1 = now();
			u32(&a, pf, gf, uf, vf, n, 0.0);
			t[1 + 2 * fam][r] = (t1 - t0) * 1e3;
			t[2 + 2 * fam][r] = (now() - t1) * 1e3;
		}
	}
	double m0 = median(t[0], rounds);
	printf("# Adam update of %zu parameters, ms, median of %d rounds\n", n, rounds);
	printf("#   scalar loop (before issue 16): %.4g ms\n", m0);
	for (int fam = 0; fam <= simd; fam++) {
		double m64 = median(t[1 + 2 * fam], rounds), m32 = median(t[2 + 2 * fam], rounds);
		printf("#   %-6s float64 %.4g ms (%.1fx)  float32 %.4g ms (%.1fx)\n",
		       nn__simd_name(fam), m64, m0 / m64, m32, m0 / m32);
	}
	free(d), free(f);
	return 0;
}

/* ---- output ---- */

static FILE *open_csv(const char *path, const char *header)
{
	if (!path)
		return NULL;
	FILE *f = fopen(path, "a+");
	if (!f) {
		fprintf(stderr, "nn-bench: cannot open %s: %s\n", path, strerror(errno));
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	if (ftell(f) == 0)
		fprintf(f, "%s\n", header);
	return f;
}

static void csv_num(FILE *f, double v, const char *fmt)
{
	fputc(',', f);
	if (!isnan(v))
		fprintf(f, fmt, v);
}

static void csv_text(FILE *f, const char *s)
{
	fputs(",\"", f);
	for (; *s; s++)
		fputs(*s == '"' ? "\"\"" : (char[]){ *s, 0 }, f);
	fputc('"', f);
}

static void usage(FILE *out)
{
	fputs("usage: nn-bench [options]\n"
	      "  --workloads LIST  all (default), lecture, grown, or names: dgemm2000,blobs,circles,\n"
	      "                    mnist,fashion10k,fashion60k,deep10k,mnist10k; and, not in all:\n"
	      "                    sparsity (the sparse kernels against dgemm by density) and\n"
	      "                    sigmoid (the vectorised sigmoid pass and its exp's error),\n"
	      "                    update (the optimiser's update in each kernel family)\n"
	      "  --quick           a short run (meson test --benchmark)\n"
	      "  --rounds N        timing rounds per workload (default 9; quick 3)\n"
	      "  --block S         seconds per timed block (default 0.1; quick 0.02)\n"
	      "  --budget S        timing seconds per workload at most (default 12; quick 2)\n"
	      "  --max-step S      skip a workload whose step takes longer (default 4)\n"
	      "  --pause S         pause when switching to or from numpy (default 0.2; quick 0.05)\n"
	      "  --numpy SCRIPT    the numpy reference (default: bench/numpy_step.py of the source)\n"
	      "  --python PATH     its interpreter (default /usr/bin/python3)\n"
	      "  --no-numpy        do not run the numpy reference\n"
	      "  --check-steps N   steps of the nn-vs-numpy agreement check (default 3; 0: none)\n"
	      "  --csv FILE        append rows: backend,threads,workload,ms_per_step,gflops,\n"
	      "                    gemm_floor_ms,overhead_pct,speedup_vs_numpy\n"
	      "  --details FILE    append rows with every measured figure\n"
	      "  --backend NAME    backend label (default: the directory of the BLAS found)\n"
	      "  --threads N       thread label (default: what the BLAS reports)\n"
	      "  --mnist DIR       MNIST IDX directory (default $NN_BENCH_MNIST, then data/mnist-sample)\n"
	      "  --fashion DIR     Fashion-MNIST IDX directory (default $NN_BENCH_FASHION, then\n"
	      "                    /usr/share/datasets/fashion-mnist)\n"
	      "  --seed N          seed of generated data and initial weights (default 1)\n"
	      "  --input MODE      the step's first layer: auto (default: nn's choice by density),\n"
	      "                    dense or sparse; the other path is timed beside it\n"
	      "  --nn-threads N    threads of nn's sparse kernels (default: as many as the BLAS)\n"
	      "  --info            print the BLAS found and exit\n",
	      out);
}

/* Is the workload in the comma list of names and groups (all, lecture, grown)? */
static int selected(const char *list, const char *name, int grown)
{
	int peak = !strcmp(name, "dgemm2000");
	const char *p = list;
	while (*p) {
		size_t n = strcspn(p, ",");
		if ((n == 3 && !strncmp(p, "all", 3)) ||
		    (n == 7 && !strncmp(p, "lecture", 7) && !grown && !peak) ||
		    (n == 5 && !strncmp(p, "grown", 5) && (grown || peak)) ||
		    (n == strlen(name) && !strncmp(p, name, n)))
			return 1;
		p += n + (p[n] == ',');
	}
	return 0;
}

/* Whether list names any workload of the table (not only the named measurements). */
static int selected_any_workload(const char *list)
{
	if (selected(list, "dgemm2000", 0))
		return 1;
	for (size_t i = 0; i < bench_n_workloads; i++)
		if (selected(list, bench_workloads[i].name, bench_workloads[i].grown))
			return 1;
	return 0;
}

static int parse(struct options *o, int argc, char **argv)
{
	*o = (struct options){
		.workloads = "all", .rounds = -1, .block = -1, .budget = -1, .max_step = 4.0,
		.pause = -1, .python = "/usr/bin/python3",
		.script = NN_SOURCE_ROOT "/bench/numpy_step.py", .numpy = 1, .threads = -1, .seed = 1,
		.check_steps = 3, .input = -1,
	};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define ARG(name) (!strcmp(a, name) && v && (i++, 1))
		if (!strcmp(a, "--quick"))
			o->quick = 1;
		else if (!strcmp(a, "--no-numpy"))
			o->numpy = 0;
		else if (!strcmp(a, "--info"))
			o->info_only = 1;
		else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(0);
		} else if (ARG("--workloads"))
			o->workloads = v;
		else if (ARG("--rounds"))
			o->rounds = atoi(v);
		else if (ARG("--block"))
			o->block = atof(v);
		else if (ARG("--budget"))
			o->budget = atof(v);
		else if (ARG("--max-step"))
			o->max_step = atof(v);
		else if (ARG("--pause"))
			o->pause = atof(v);
		else if (ARG("--numpy"))
			o->script = v;
		else if (ARG("--python"))
			o->python = v;
		else if (ARG("--check-steps"))
			o->check_steps = atoi(v);
		else if (ARG("--csv"))
			o->csv = v;
		else if (ARG("--details"))
			o->details = v;
		else if (ARG("--backend"))
			o->backend = v;
		else if (ARG("--threads"))
			o->threads = atoi(v);
		else if (ARG("--mnist"))
			o->paths.mnist = v;
		else if (ARG("--fashion"))
			o->paths.fashion = v;
		else if (ARG("--seed"))
			o->seed = (uint32_t)strtoul(v, NULL, 10);
		else if (ARG("--input")) {
			o->input = !strcmp(v, "auto")	? -1
				   : !strcmp(v, "dense") ? NN_INPUT_DENSE
				   : !strcmp(v, "sparse") ? NN_INPUT_SPARSE : -2;
			if (o->input == -2) {
				fprintf(stderr, "nn-bench: --input auto|dense|sparse\n");
				return -1;
			}
		} else if (ARG("--nn-threads"))
			o->nn_threads = (size_t)strtoul(v, NULL, 10);
		else {
			fprintf(stderr, "nn-bench: unknown or incomplete option %s\n", a);
			usage(stderr);
			return -1;
		}
#undef ARG
	}
	if (o->rounds < 0)
		o->rounds = o->quick ? 3 : 9;
	if (o->block < 0)
		o->block = o->quick ? 0.02 : 0.1;
	if (o->budget < 0)
		o->budget = o->quick ? 2.0 : 12.0;
	if (o->pause < 0)
		o->pause = o->quick ? 0.05 : 0.2;
	if (o->rounds < 1 || o->rounds > MAX_ROUNDS || o->block <= 0 || o->budget <= 0) {
		fprintf(stderr, "nn-bench: bad --rounds (1..%d), --block or --budget\n", MAX_ROUNDS);
		return -1;
	}
	o->progress = isatty(STDERR_FILENO);
	if (o->numpy && access(o->python, X_OK)) {
		fprintf(stderr, "nn-bench: %s not found: no numpy reference\n", o->python);
		o->numpy = 0;
	}
	return 0;
}

static void fmt(char *buf, size_t len, double v, const char *f)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, f, v);
}

int main(int argc, char **argv)
{
	struct options o;
	if (parse(&o, argc, argv))
		return 2;

	struct bench_blas_info bi;
	bench_blas_info(&bi);
	const char *backend = o.backend ? o.backend : bi.backend;
	int threads = o.threads > 0 ? o.threads : bi.threads;
	printf("# nn-bench: BLAS %s (%s)\n#   kernel: %s\n#   %s\n#   threads: %d\n", backend, bi.path,
	       bi.kernel, bi.config, bi.threads);
	bench_print_blas_env();
	FILE *la = fopen("/proc/loadavg", "r");
	char load[128];
	if (la && fgets(load, sizeof(load), la))
		printf("# load average at start (other processes compete for the cores): %s", load);
	if (la)
		fclose(la);
	fflush(stdout);
	if (o.info_only)
		return 0;

	FILE *csv = open_csv(o.csv, "backend,threads,workload,ms_per_step,gflops,gemm_floor_ms,"
				    "overhead_pct,speedup_vs_numpy,floor_over_sparse");
	FILE *det = open_csv(o.details,
			     "backend,threads,workload,shape,samples,ms_per_step,ms_min,gflops,"
			     "gemm_floor_ms,floor_gflops,overhead_pct,numpy_ms,numpy_lean_ms,"
			     "speedup_vs_numpy,speedup_vs_numpy_lean,peak_rss_mib,numpy_peak_rss_mib,"
			     "alloc_steps,allocs_n_steps,allocs_2n_steps,blas_allocs_n_steps,"
			     "blas_allocs_2n_steps,rounds,check_rel_diff,data,"
			     "blas_path,kernel,numpy_blas,skipped,density,input,dense_ms,sparse_ms,"
			     "floor_over_sparse,nn_threads");

	int extra = 0; /* the named measurements, not in all */
	if (strstr(o.workloads, "sparsity")) {
		int rc = run_sparsity(&o, o.seed);
		if (rc)
			fprintf(stderr, "nn-bench: sparsity: %s\n", nn_strerror(rc));
		extra++;
	}
	if (strstr(o.workloads, "sigmoid")) {
		int rc = run_sigmoid(&o);
		if (rc)
			fprintf(stderr, "nn-bench: sigmoid: %s\n", nn_strerror(rc));
		extra++;
	}
	if (strstr(o.workloads, "update")) {
		int rc = run_update(&o);
		if (rc)
			fprintf(stderr, "nn-bench: update: %s\n", nn_strerror(rc));
		extra++;
	}
	if (extra && !selected_any_workload(o.workloads))
		return 0;
	printf("%-10s %-15s %5s %9s %7s %9s %6s %9s %7s %9s %6s %7s %9s %5s %-12s %9s %9s %7s\n",
	       "workload", "shape", "N", "ms/step", "GFLOP/s", "floor ms", "over%", "numpy ms",
	       "speedup", "np-lean", "x-lean", "RSS MiB", "nn-allocs", "blas", "input", "dense ms",
	       "sparse ms", "x floor");
	int failures = 0, np_said = 0;
	double worst_check = NAN;
	for (size_t i = 0; i <= bench_n_workloads; i++) {
		const struct bench_workload *w = i ? &bench_workloads[i - 1] : NULL;
		const char *name = w ? w->name : "dgemm2000";
		if (!selected(o.workloads, name, w ? w->grown : 0))
			continue;
		struct result r;
		char shape[64] = "2000x2000x2000";
		size_t n = 2000;
		int rc;
		if (w) {
			bench_shape_string(shape, sizeof(shape), w);
			n = w->n;
			rc = run_workload(&r, w, &o);
		} else {
			rc = run_dgemm_peak(&r, 2000, &o);
		}
		if (rc) {
			fprintf(stderr, "nn-bench: %s: %s\n", name, nn_strerror(rc));
			failures++;
			continue;
		}
		if (!r.done) {
			printf("%-11s %-16s %6zu  skipped: %s\n", name, shape, n, r.skip_reason);
		} else {
			char s[8][32];
			fmt(s[0], 32, r.np_ms, "%.4g");
			fmt(s[1], 32, r.speedup, "%.2fx");
			fmt(s[2], 32, r.np_lean_ms, "%.4g");
			fmt(s[3], 32, r.speedup_lean, "%.2fx");
			char allocs[48] = "-", blas[32] = "-";
			if (r.alloc_steps) {
				snprintf(allocs, sizeof(allocs), "%lu/%lu", r.allocs_n, r.allocs_2n);
				snprintf(blas, sizeof(blas), "%.1f",
					 (double)r.blas_2n / (2.0 * r.alloc_steps));
			}
			char in[32] = "-";
			if (!isnan(r.density))
				snprintf(in, sizeof(in), "%s %.0f%%", r.sparse ? "sparse" : "dense",
					 100 * r.density);
			fmt(s[4], 32, r.dense_ms, "%.4g");
			fmt(s[5], 32, r.sparse_ms, "%.4g");
			fmt(s[6], 32, r.x_floor, "%.2fx");
			printf("%-10s %-15s %5zu %9.4g %7.2f %9.4g %6.1f %9s %7s %9s %6s %7.0f %9s %5s "
			       "%-12s %9s %9s %7s\n",
			       name, shape, n, r.ms, r.gflops, r.floor_ms, r.overhead_pct, s[0], s[1], s[2],
			       s[3], r.rss_mib, allocs, blas, in, s[4], s[5], s[6]);
			if (!isnan(r.check_rel) && r.check_rel > 1e-9)
				printf("# WARNING %s: nn and numpy disagree after %d steps (rel. %.2g)\n",
				       name, o.check_steps, r.check_rel);
			if (!isnan(r.check_rel) && !(r.check_rel <= worst_check))
				worst_check = r.check_rel;
		}
		fflush(stdout);
		if (csv && r.done) {
			fprintf(csv, "%s,%d,%s", backend, threads, name);
			csv_num(csv, r.ms, "%.6g");
			csv_num(csv, r.gflops, "%.4g");
			csv_num(csv, r.floor_ms, "%.6g");
			csv_num(csv, r.overhead_pct, "%.2f");
			csv_num(csv, r.speedup, "%.3f");
			csv_num(csv, r.x_floor, "%.3f");
			fputc('\n', csv);
			fflush(csv);
		}
		if (det) {
			fprintf(det, "%s,%d,%s,%s,%zu", backend, threads, name, shape, n);
			double nums[] = { r.ms, r.ms_min, r.gflops, r.floor_ms, r.floor_gflops,
					  r.overhead_pct, r.np_ms, r.np_lean_ms, r.speedup, r.speedup_lean,
					  r.rss_mib, r.np_rss_mib };
			for (size_t k = 0; k < sizeof(nums) / sizeof(nums[0]); k++)
				csv_num(det, r.done ? nums[k] : NAN, "%.6g");
			fprintf(det, ",%d,%lu,%lu,%lu,%lu,%d", r.alloc_steps, r.allocs_n, r.allocs_2n,
				r.blas_n, r.blas_2n, r.rounds);
			csv_num(det, r.check_rel, "%.3g");
			csv_text(det, r.data);
			csv_text(det, bi.path);
			csv_text(det, bi.kernel);
			csv_text(det, r.numpy_blas);
			csv_text(det, r.done ? "" : r.skip_reason);
			csv_num(det, r.density, "%.4f");
			csv_text(det, isnan(r.density) ? "" : r.sparse ? "sparse" : "dense");
			csv_num(det, r.dense_ms, "%.6g");
			csv_num(det, r.sparse_ms, "%.6g");
			csv_num(det, r.x_floor, "%.3f");
			fprintf(det, ",%zu", r.nn_threads);
			fputc('\n', det);
			fflush(det);
		}
		if (r.done && r.numpy_blas[0] && !np_said++)
			printf("# numpy reference runs on: %s\n", r.numpy_blas);
	}
	if (!isnan(worst_check))
		printf("# nn and the numpy reference agree after %d steps on the same data and weights:"
		       " cost rel. diff <= %.2g\n",
		       o.check_steps, worst_check);
	if (csv)
		fclose(csv);
	if (det)
		fclose(det);
	return failures ? 1 : 0;
}
