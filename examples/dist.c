/* See dist.h. The MPI half is compiled only with -DNN_EX_MPI (libnn-mpi). */
#include <stdio.h>
#include <stdlib.h>

#include "dist.h"

#ifdef NN_EX_MPI
#include <nn/mpi.h>
#endif

struct ex_dist ex_dist = { .rank = 0, .size = 1 };

#ifdef NN_EX_MPI
static int mpi_started;

/* mpirun (Open MPI, MPICH/PMI, PMIx) announces itself in the environment. */
static int launched_by_mpirun(void)
{
	return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK");
}
#endif

int ex_dist_init(int *argc, char ***argv)
{
#ifdef NN_EX_MPI
	if (!launched_by_mpirun())
		return 0;
	if (MPI_Init(argc, argv) != MPI_SUCCESS)
		return -1;
	mpi_started = 1;
	/* errors come back as codes, so a failing rank can tell the others */
	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
	MPI_Comm_rank(MPI_COMM_WORLD, &ex_dist.rank);
	MPI_Comm_size(MPI_COMM_WORLD, &ex_dist.size);
	if (ex_dist.rank != 0 && !freopen("/dev/null", "w", stdout))
		return -1;
#else
	(void)argc, (void)argv;
#endif
	return 0;
}

void ex_dist_finalize(void)
{
#ifdef NN_EX_MPI
	if (mpi_started)
		MPI_Finalize();
	mpi_started = 0;
#endif
}

int ex_dist_root(void)
{
	return ex_dist.rank == 0;
}

void ex_dist_shard(size_t n, size_t *first, size_t *count)
{
	size_t r = (size_t)ex_dist.rank, s = (size_t)ex_dist.size, base = n / s, extra = n % s;
	*count = base + (r < extra);
	*first = r * base + (r < extra ? r : extra);
}

uint32_t ex_dist_seed(uint32_t seed)
{
#ifdef NN_EX_MPI
	if (mpi_started)
		MPI_Bcast(&seed, 1, MPI_UINT32_T, 0, MPI_COMM_WORLD);
#endif
	return seed;
}

int ex_dist_agree(int rc)
{
#ifdef NN_EX_MPI
	if (mpi_started)
		return nn_mpi_agree(rc, MPI_COMM_WORLD);
#endif
	return rc;
}

int ex_dist_train_gd(nn_net *net, const nn_matrix *X, const nn_labels *y,
		     const nn_train_options *opt, nn_train_result *res)
{
#ifdef NN_EX_MPI
	if (mpi_started)
		return nn_mpi_train_gd(net, res, X, y, opt, MPI_COMM_WORLD);
#endif
	return nn_train_gd(net, res, X, y, opt);
}
