/*
 * The MPI side of distributed training: nn_train_gd does the work through
 * its reduce hook; this file only sums buffers, splits data and agrees on
 * errors. It is built into its own library so that nothing else in nn
 * depends on MPI.
 */
#include <limits.h>
#include <stdint.h>

#include "nn/mpi.h"

NN_EXPORT int nn_mpi_shard(size_t *begin, size_t *count, size_t n, MPI_Comm comm)
{
	if (!begin || !count)
		return NN_ENULL;
	int rank, size;
	if (MPI_Comm_rank(comm, &rank) != MPI_SUCCESS || MPI_Comm_size(comm, &size) != MPI_SUCCESS)
		return NN_EIO;
	size_t r = (size_t)rank, s = (size_t)size, base = n / s, extra = n % s;
	*count = base + (r < extra);
	*begin = r * base + (r < extra ? r : extra);
	return 0;
}

NN_EXPORT int nn_mpi_bcast_params(nn_net *net, int root, MPI_Comm comm)
{
	if (!net)
		return NN_ENULL;
	/* the buffer in the network's own precision */
	int f32 = nn_net_precision(net) == NN_F32;
	char *p = f32 ? (char *)nn_net_params_f32(net) : (char *)nn_net_params(net);
	size_t n = nn_net_param_count(net), elem = f32 ? sizeof(float) : sizeof(double);
	/* MPI counts are int: send in chunks */
	for (size_t off = 0; off < n; off += INT_MAX) {
		int c = n - off > INT_MAX ? INT_MAX : (int)(n - off);
		if (MPI_Bcast(p + off * elem, c, f32 ? MPI_FLOAT : MPI_DOUBLE, root, comm) !=
		    MPI_SUCCESS)
			return NN_EIO;
	}
	return 0;
}

NN_EXPORT int nn_mpi_agree(int rc, MPI_Comm comm)
{
	int all;
	if (MPI_Allreduce(&rc, &all, 1, MPI_INT, MPI_MIN, comm) != MPI_SUCCESS)
		return NN_EIO;
	return all;
}

/* nn_train_reduce over MPI: one in-place reduction of the whole buffer. */
static int allreduce(void *user, double *buf, size_t n, nn_reduce_op op)
{
	MPI_Comm comm = *(MPI_Comm *)user;
	if (n > INT_MAX) /* one contiguous reduction: a single call must carry it */
		return NN_ESIZE;
	MPI_Op mop = op == NN_REDUCE_MAX ? MPI_MAX : MPI_SUM;
	return MPI_Allreduce(MPI_IN_PLACE, buf, (int)n, MPI_DOUBLE, mop, comm) == MPI_SUCCESS
		       ? 0 : NN_EIO;
}

NN_EXPORT int nn_mpi_train_gd(nn_net *net, nn_train_result *res, const nn_matrix *X,
			      const nn_labels *y, const nn_train_options *opt, MPI_Comm comm)
{
	nn_train_options o = opt ? *opt : nn_train_defaults();
	o.dist = (nn_dist){ .reduce = allreduce, .user = &comm };
	return nn_train_gd(net, res, X, y, &o);
}

NN_EXPORT int nn_mpi_dist(nn_dist *dist, size_t cols, int rc, MPI_Comm *comm)
{
	if (!dist || !comm)
		return NN_ENULL;
	*dist = (nn_dist){ 0 };
	/* [samples, failures]: summed over the ranks before this one, and over all */
	unsigned long long v[2] = { cols, rc != 0 }, before[2] = { 0, 0 }, all[2];
	int rank;
	if (MPI_Comm_rank(*comm, &rank) != MPI_SUCCESS ||
	    MPI_Exscan(v, before, 2, MPI_UNSIGNED_LONG_LONG, MPI_SUM, *comm) != MPI_SUCCESS ||
	    MPI_Allreduce(v, all, 2, MPI_UNSIGNED_LONG_LONG, MPI_SUM, *comm) != MPI_SUCCESS)
		return rc ? rc : NN_EIO;
	if (rc || all[1])
		return rc ? rc : NN_EPEER;
	if (rank == 0) /* MPI_Exscan leaves rank 0's result undefined */
		before[0] = 0;
	*dist = (nn_dist){ .reduce = allreduce, .user = comm, .shard_first = (size_t)before[0],
			   .shard_total = (size_t)all[0] };
	return 0;
}

NN_EXPORT int nn_mpi_fit(nn_net *net, nn_history *hist, const nn_matrix *X, const nn_labels *y,
			 const nn_fit_options *opt, nn_rng *rng, MPI_Comm comm)
{
	nn_fit_options o = opt ? *opt : nn_fit_defaults();
	int rc = nn_mpi_dist(&o.dist, X ? X->cols : 0, 0, &comm);
	return rc ? rc : nn_fit(net, hist, X, y, &o, rng);
}
