/*
 * One process, or the processes of `mpirun -np R PROGRAM ...`: what
 * differs between them, in one place. Compiled twice: without MPI (nn-data)
 * and, with -DTOOL_MPI, against libnn-mpi (the lecture programs), where a
 * program launched by mpirun trains data-parallel -- each process on its
 * shard, the gradient summed by one MPI_Allreduce a step, the first
 * process alone printing and writing files.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tool.h"

#ifdef TOOL_MPI
#include <nn/mpi.h>

/* mpirun (Open MPI, MPICH/PMI, PMIx) announces itself in the environment. */
static int launched_by_mpirun(void)
{
	return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK");
}
#endif

int tool_run_start(tool_ctx *ctx)
{
#ifdef TOOL_MPI
	if (!launched_by_mpirun())
		return 0;
	if (MPI_Init(&ctx->argc, &ctx->argv) != MPI_SUCCESS) {
		tool_error(ctx, "MPI did not start");
		return TOOL_RUNTIME;
	}
	ctx->mpi = 1;
	/* errors come back as codes, so that a failing process can tell the others */
	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
	MPI_Comm_rank(MPI_COMM_WORLD, &ctx->rank);
	MPI_Comm_size(MPI_COMM_WORLD, &ctx->size);
	if (ctx->rank != 0 && !freopen("/dev/null", "w", stdout)) {
		tool_error(ctx, "rank %d: /dev/null: cannot redirect standard output", ctx->rank);
		return TOOL_RUNTIME;
	}
#else
	(void)ctx;
#endif
	return 0;
}

void tool_run_finish(tool_ctx *ctx)
{
#ifdef TOOL_MPI
	if (ctx->mpi)
		MPI_Finalize();
	ctx->mpi = 0;
#endif
	(void)ctx;
}

#ifdef TOOL_MPI
/*
 * Which outcome wins: a process's own failure before one that only reports
 * a peer's, then an early finish, then success; among equals the lowest
 * rank. Packed into one integer so that one MPI_MIN finds both the outcome
 * and the process whose message is printed.
 */
static unsigned long long outcome_key(const tool_ctx *ctx, int status)
{
	unsigned long long klass = status == TOOL_OK ? 3 : status == TOOL_DONE ? 2 : ctx->peer ? 1 : 0;
	return klass << 40 | (unsigned long long)ctx->rank << 8 | (unsigned long long)status;
}
#endif

#ifdef TOOL_MPI
/* FNV-1a over the command line after the program's name. */
static unsigned long long argv_hash(const tool_ctx *ctx)
{
	unsigned long long h = 14695981039346656037ull;
	for (int i = 1; i < ctx->argc; i++)
		for (const unsigned char *p = (const unsigned char *)ctx->argv[i];; p++) {
			h = (h ^ *p) * 1099511628211ull; /* the terminating 0 separates arguments */
			if (!*p)
				break;
		}
	return h;
}
#endif

int tool_agree(tool_ctx *ctx, int status)
{
	if (ctx->size == 1)
		return status;
#ifdef TOOL_MPI
	/* the outcome, and at the first agreement the command line: its smallest
	 * and (as ~ of the smallest ~) largest hash over the processes */
	unsigned long long h = ctx->argv_agreed ? 0 : argv_hash(ctx);
	unsigned long long mine[3] = { outcome_key(ctx, status), h, ~h }, all[3];
	if (MPI_Allreduce(mine, all, 3, MPI_UNSIGNED_LONG_LONG, MPI_MIN, MPI_COMM_WORLD) !=
	    MPI_SUCCESS) {
		fprintf(stderr, "%s: rank %d: MPI_Allreduce failed\n", ctx->prog, ctx->rank);
		return TOOL_RUNTIME;
	}
	int agreed = (int)(all[0] & 0xff), winner = (int)((all[0] >> 8) & 0xffffffff);
	if (agreed != TOOL_OK && agreed != TOOL_DONE && winner == ctx->rank) {
		if (ctx->rank)
			fprintf(stderr, "%s: rank %d: %s\n", ctx->prog, ctx->rank,
				ctx->msg[0] ? ctx->msg : "failed");
		else
			fprintf(stderr, "%s: %s\n", ctx->prog, ctx->msg[0] ? ctx->msg : "failed");
	}
	if (!ctx->argv_agreed && agreed == TOOL_OK && all[1] != ~all[2]) {
		/* MPMD launches with other flags per process would train other runs */
		if (ctx->rank == 0)
			fprintf(stderr, "%s: the processes were started with different arguments; "
				"under mpirun every process runs the same command\n", ctx->prog);
		agreed = TOOL_USAGE;
	}
	ctx->argv_agreed = 1;
	ctx->msg[0] = '\0';
	ctx->peer = 0;
	return agreed;
#else
	return status;
#endif
}

uint32_t tool_seed(tool_ctx *ctx, int given, uint32_t seed)
{
	if (!given) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		/* Mix seconds, nanoseconds and the pid so that runs in the same second differ. */
		uint64_t x = (uint64_t)ts.tv_sec * 0x9e3779b97f4a7c15u ^ (uint64_t)ts.tv_nsec ^
			     (uint64_t)getpid() << 32;
		x ^= x >> 31;
		x *= 0xbf58476d1ce4e5b9u;
		x ^= x >> 29;
		seed = (uint32_t)x;
	}
#ifdef TOOL_MPI
	/* the first process's clock, on every process */
	if (ctx->mpi)
		MPI_Bcast(&seed, 1, MPI_UINT32_T, 0, MPI_COMM_WORLD);
#endif
	(void)ctx;
	return seed;
}

int tool_shard(tool_ctx *ctx, size_t n, size_t *first, size_t *count)
{
#ifdef TOOL_MPI
	if (ctx->mpi) {
		int rc = nn_mpi_shard(first, count, n, MPI_COMM_WORLD);
		return rc ? tool_nn_error(ctx, rc, "the shard of %zu samples", n) : 0;
	}
#endif
	(void)ctx;
	*first = 0;
	*count = n;
	return 0;
}

int tool_train_gd(tool_ctx *ctx, nn_net *net, nn_train_result *res, const nn_matrix *X,
		  const nn_labels *y, const nn_train_options *opt)
{
#ifdef TOOL_MPI
	if (ctx->mpi)
		return nn_mpi_train_gd(net, res, X, y, opt, MPI_COMM_WORLD);
#endif
	(void)ctx;
	return nn_train_gd(net, res, X, y, opt);
}

int tool_fit_dist(tool_ctx *ctx, nn_dist *dist, size_t mine, int rc)
{
	*dist = (nn_dist){ 0 };
#ifdef TOOL_MPI
	static MPI_Comm world; /* the run's hook keeps its address */
	if (ctx->mpi) {
		world = MPI_COMM_WORLD;
		return nn_mpi_dist(dist, mine, rc, &world);
	}
#endif
	(void)ctx, (void)mine;
	return rc;
}

int tool_sum(tool_ctx *ctx, size_t *v, size_t n)
{
#ifdef TOOL_MPI
	enum { MAX = 8 };
	if (ctx->mpi) {
		unsigned long long mine[MAX] = { 0 }, all[MAX];
		if (n > MAX)
			return NN_EINVAL;
		for (size_t i = 0; i < n; i++)
			mine[i] = v[i];
		if (MPI_Allreduce(mine, all, (int)n, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD) !=
		    MPI_SUCCESS)
			return NN_EIO;
		for (size_t i = 0; i < n; i++)
			v[i] = (size_t)all[i];
	}
#endif
	(void)ctx, (void)v, (void)n;
	return 0;
}
