/*
 * nn-bench-mpi: time one full-batch training step under MPI, and the
 * allreduce alone, for the cost model in doc/mpi.md.
 *
 *   mpirun -np R nn-bench-mpi [--samples N] [--hidden H] [--steps S]
 *
 * Each rank generates only its own shard (784 x N/R, ~19 % non-zero pixels
 * in [0, 1], like MNIST), trains 784-H-10 (sigmoid, quadratic cost) with
 * nn_mpi_train_gd, and rank 0 prints one CSV line:
 *   ranks,samples,hidden,params,ms_per_step,allreduce_ms,allreduce_bytes
 * medians over repeats. Set OPENBLAS_NUM_THREADS per rank so that ranks x
 * threads does not exceed the cores.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn/mpi.h"
#include "nn/nn.h"
#include "median.h"

int main(int argc, char **argv)
{
	MPI_Init(&argc, &argv);
	int rank, size;
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	size_t N = 10000, H = 128, steps = 10, reps = 5;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--samples"))
			N = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--hidden"))
			H = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--steps"))
			steps = strtoul(argv[i + 1], NULL, 10);
	}
	size_t begin, count;
	int rc = nn_mpi_shard(&begin, &count, N, MPI_COMM_WORLD);
	nn_matrix X = { 0 };
	nn_labels y = { 0 };
	nn_rng *rng = NULL;
	nn_net *net = NULL;
	const size_t sizes[] = { 784, H, 10 };
	if (!rc)
		rc = nn_rng_new(&rng, 1000 + (uint32_t)rank);
	if (!rc && count && !(rc = nn_matrix_new(&X, 784, count)) && !(rc = nn_labels_new(&y, count)))
		for (size_t j = 0; j < count; j++) {
			y.data[j] = (int)nn_rng_interval(rng, 9);
			for (size_t i = 0; i < 784; i++)
				NN_AT(&X, i, j) = nn_rng_random(rng) < 0.19 ? nn_rng_random(rng) : 0.0;
		}
	if (!count)
		X = nn_matrix_view(NULL, 784, 0, 784), y = (nn_labels){ 0 };
	if (!rc && !(rc = nn_net_new(&net, 2, sizes, NULL)))
		rc = nn_net_init_randn(net, rng);
	if ((rc = nn_mpi_agree(rc, MPI_COMM_WORLD))) {
		if (rank == 0)
			fprintf(stderr, "nn-bench-mpi: %s\n", nn_strerror(rc));
		MPI_Finalize();
		return 1;
	}
	nn_mpi_bcast_params(net, 0, MPI_COMM_WORLD);

	/* one run of `steps` steps per repeat, after one warm-up run */
	double step_ms[16], red_ms[16];
	nn_train_options opt = { .eta = 1e-5, .steps = steps };
	size_t P = nn_net_param_count(net) + 3;
	double *buf = calloc(P, sizeof(double));
	for (size_t r = 0; r <= reps && !rc; r++) {
		MPI_Barrier(MPI_COMM_WORLD);
		double t0 = MPI_Wtime();
		rc = nn_mpi_train_gd(net, NULL, &X, &y, &opt, MPI_COMM_WORLD);
		double t = (MPI_Wtime() - t0) / (double)steps;
		MPI_Allreduce(MPI_IN_PLACE, &t, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
		MPI_Barrier(MPI_COMM_WORLD);
		t0 = MPI_Wtime();
		for (int k = 0; k < 20; k++)
			MPI_Allreduce(MPI_IN_PLACE, buf, (int)P, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
		double a = (MPI_Wtime() - t0) / 20;
		MPI_Allreduce(MPI_IN_PLACE, &a, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
		if (r > 0) {
			step_ms[r - 1] = 1e3 * t;
			red_ms[r - 1] = 1e3 * a;
		}
	}
	if (rank == 0 && !rc)
		printf("%d,%zu,%zu,%zu,%.4f,%.4f,%zu\n", size, N, H, P - 3,
		       bench_median(step_ms, reps), bench_median(red_ms, reps), P * sizeof(double));
	free(buf);
	nn_net_free(net);
	nn_rng_free(rng);
	nn_matrix_free(&X);
	nn_labels_free(&y);
	rc = nn_mpi_agree(rc, MPI_COMM_WORLD);
	MPI_Finalize();
	return rc ? 1 : 0;
}
