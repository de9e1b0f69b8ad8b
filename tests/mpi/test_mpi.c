/*
 * Distributed training over MPI, run by `mpirun -np 2` (and -np 3): every
 * rank holds only its shard, and the result must be one process's on the
 * whole set. Check runs without fork, inside each rank.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "nn/nn.h"
#include "nn/mpi.h"

static int rank, size;

/* The whole data set, generated identically on every rank (the test's
 * stand-in for data each rank would load): two clusters, N samples. */
static void make_data(nn_matrix *X, nn_labels *y, size_t N)
{
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, 77), 0);
	ck_assert_int_eq(nn_matrix_new(X, 2, N), 0);
	ck_assert_int_eq(nn_labels_new(y, N), 0);
	for (size_t j = 0; j < N; j++) {
		y->data[j] = (int)(j % 2);
		NN_AT(X, 0, j) = nn_rng_normal(rng, y->data[j] ? 1.0 : -1.0, 1.0);
		NN_AT(X, 1, j) = nn_rng_normal(rng, y->data[j] ? 0.5 : -0.5, 1.0);
	}
	nn_rng_free(rng);
}

static double max_rel(const double *a, const double *b, size_t n)
{
	double w = 0;
	for (size_t i = 0; i < n; i++)
		w = fmax(w, fabs(a[i] - b[i]) / fmax(fmax(fabs(a[i]), fabs(b[i])), 1e-12));
	return w;
}

/* Train on shards [begin, begin + count) and compare with one process. */
static void train_and_compare(size_t N, size_t begin, size_t count)
{
	nn_matrix X;
	nn_labels y;
	make_data(&X, &y, N);
	const size_t sizes[] = { 2, 6, 2 };
	nn_net *single, *dist;
	nn_rng *rng;
	ck_assert_int_eq(nn_rng_new(&rng, rank == 0 ? 5 : 999), 0); /* only rank 0's init counts */
	ck_assert_int_eq(nn_net_new(&dist, 2, sizes, NULL), 0);
	ck_assert_int_eq(nn_net_init_randn(dist, rng), 0);
	ck_assert_int_eq(nn_mpi_bcast_params(dist, 0, MPI_COMM_WORLD), 0);
	ck_assert_int_eq(nn_net_clone(&single, dist), 0);

	nn_matrix shard = nn_matrix_view(count ? X.data + begin * X.ld : NULL, 2, count, X.ld);
	nn_labels ys = { .n = count, .data = y.data + begin };
	nn_train_options opt = { .eta = 0.003, .steps = 100 };
	nn_train_result rd, rs;
	ck_assert_int_eq(nn_mpi_train_gd(dist, &rd, &shard, &ys, &opt, MPI_COMM_WORLD), 0);
	ck_assert_int_eq(nn_train_gd(single, &rs, &X, &y, &opt), 0);
	ck_assert_double_le(max_rel(nn_net_params(dist), nn_net_params(single),
				    nn_net_param_count(dist)), 1e-12);
	ck_assert_uint_eq(rd.best_correct, rs.best_correct);
	ck_assert_uint_eq(rd.best_step, rs.best_step);
	ck_assert(rd.best_accuracy == rs.best_accuracy);
	ck_assert_double_le(fabs(rd.last_cost - rs.last_cost) / rs.last_cost, 1e-12);
	nn_net_free(dist);
	nn_net_free(single);
	nn_rng_free(rng);
	nn_matrix_free(&X);
	nn_labels_free(&y);
}

START_TEST(test_equals_single)
{
	size_t begin, count;
	ck_assert_int_eq(nn_mpi_shard(&begin, &count, 201, MPI_COMM_WORLD), 0);
	train_and_compare(201, begin, count);
}
END_TEST

/* Shards: contiguous, covering, differing by at most one, some empty. */
START_TEST(test_shards)
{
	for (size_t n = 0; n < 12; n++) {
		size_t begin, count, sum = 0, next = 0;
		ck_assert_int_eq(nn_mpi_shard(&begin, &count, n, MPI_COMM_WORLD), 0);
		unsigned long mine[2] = { begin, count }, *all = malloc(2 * (size_t)size * sizeof(*all));
		MPI_Allgather(mine, 2, MPI_UNSIGNED_LONG, all, 2, MPI_UNSIGNED_LONG, MPI_COMM_WORLD);
		for (int r = 0; r < size; r++) {
			ck_assert_uint_eq(all[2 * r], next);
			next += all[2 * r + 1];
			sum += all[2 * r + 1];
			ck_assert_uint_le(all[2 * r + 1], n / (size_t)size + 1);
			ck_assert_uint_ge(all[2 * r + 1], n / (size_t)size);
		}
		ck_assert_uint_eq(sum, n);
		free(all);
	}
	ck_assert_int_eq(nn_mpi_shard(NULL, NULL, 3, MPI_COMM_WORLD), NN_ENULL);
}
END_TEST

/* The last rank holds nothing; the others split the data unevenly. */
START_TEST(test_empty_shard)
{
	size_t N = 37, per = N / (size_t)(size - 1 > 0 ? size - 1 : 1);
	size_t begin = (size_t)rank * per, count = rank == size - 1 ? 0 : per;
	if (rank == size - 2)
		count = N - begin; /* the remainder */
	if (size == 1)
		begin = 0, count = N;
	train_and_compare(N, begin, count);
}
END_TEST

/* Mini-batches: every rank draws the same global permutation and one
 * process's result on the same global batches comes out on every rank. */
START_TEST(test_fit_equals_single)
{
	size_t N = 157, begin, count;
	nn_matrix X;
	nn_labels y;
	make_data(&X, &y, N);
	ck_assert_int_eq(nn_mpi_shard(&begin, &count, N, MPI_COMM_WORLD), 0);
	const size_t sizes[] = { 2, 5, 2 };
	const nn_activation acts[] = { NN_ACT_TANH, NN_ACT_SOFTMAX };
	nn_net *single, *dist;
	nn_rng *r1, *r2, *init;
	ck_assert_int_eq(nn_rng_new(&init, 9), 0);
	ck_assert_int_eq(nn_net_new(&single, 2, sizes, acts), 0);
	ck_assert_int_eq(nn_net_set_cost(single, NN_COST_CE), 0);
	ck_assert_int_eq(nn_net_init_glorot(single, init), 0);
	ck_assert_int_eq(nn_net_clone(&dist, single), 0);
	ck_assert_int_eq(nn_rng_new(&r1, 10), 0);
	ck_assert_int_eq(nn_rng_new(&r2, 10), 0);
	nn_fit_options o = nn_fit_defaults();
	o.optim.kind = NN_OPT_ADAM;
	o.eta = 0.01;
	o.batch_size = 16;
	o.epochs = 5;
	nn_history hs, hd;
	ck_assert_int_eq(nn_fit(single, &hs, &X, &y, &o, r1), 0);
	nn_matrix shard = nn_matrix_view(count ? X.data + begin * X.ld : NULL, 2, count, X.ld);
	nn_labels ys = { .n = count, .data = y.data + begin };
	ck_assert_int_eq(nn_mpi_fit(dist, &hd, &shard, &ys, &o, r2, MPI_COMM_WORLD), 0);
	ck_assert_double_le(max_rel(nn_net_params(dist), nn_net_params(single),
				    nn_net_param_count(dist)), 1e-10);
	for (size_t e = 0; e < hs.n; e++)
		ck_assert(hd.epochs[e].train_accuracy == hs.epochs[e].train_accuracy);
	nn_history_free(&hs);
	nn_history_free(&hd);
	nn_net_free(single);
	nn_net_free(dist);
	nn_rng_free(r1);
	nn_rng_free(r2);
	nn_rng_free(init);
	nn_matrix_free(&X);
	nn_labels_free(&y);
}
END_TEST

/*
 * A convolutional network with dropout, mini-batches on the shards against
 * one process on the whole set: every rank draws the whole batch's masks
 * and keeps its columns, so the runs are the same up to the order of the
 * gradient's sum (within 1e-10); and the same in float32 (within float32's
 * rounding of that sum).
 */
START_TEST(test_fit_cnn_equals_single)
{
	const size_t N = 90, side = 6;
	nn_matrix X;
	nn_labels y;
	nn_rng *data;
	ck_assert_int_eq(nn_rng_new(&data, 21), 0);
	ck_assert_int_eq(nn_matrix_new(&X, side * side, N), 0);
	ck_assert_int_eq(nn_labels_new(&y, N), 0);
	for (size_t j = 0; j < N; j++) { /* a bright left or right half, in noise */
		y.data[j] = (int)(j % 2);
		for (size_t i = 0; i < side * side; i++)
			NN_AT(&X, i, j) = nn_rng_uniform(data, 0, 0.5) +
					  ((i % side < side / 2) == (y.data[j] == 0) ? 0.5 : 0);
	}
	size_t begin, count;
	ck_assert_int_eq(nn_mpi_shard(&begin, &count, N, MPI_COMM_WORLD), 0);
	nn_matrix shard = nn_matrix_view(count ? X.data + begin * X.ld : NULL, X.rows, count, X.ld);
	nn_labels ys = { .n = count, .data = y.data + begin };
	for (int f32 = 0; f32 < 2; f32++) {
		nn_net *single, *dist;
		ck_assert_int_eq(nn_net_parse(&single, "6x6, conv:4:3:relu, maxpool:2, flatten, "
					      "dropout:0.25, 2:softmax", NN_ACT_RELU, NN_ACT_SOFTMAX), 0);
		ck_assert_int_eq(nn_net_set_precision(single, f32 ? NN_F32 : NN_F64), 0);
		ck_assert_int_eq(nn_net_clone(&dist, single), 0);
		nn_rng *r1, *r2;
		ck_assert_int_eq(nn_rng_new(&r1, 4), 0);
		ck_assert_int_eq(nn_rng_new(&r2, 4), 0);
		nn_fit_options o = nn_fit_defaults();
		o.optim.kind = NN_OPT_ADAM;
		o.eta = 0.01;
		o.batch_size = 16;
		o.epochs = 3;
		o.dropout = 0.1;
		nn_history hs, hd;
		ck_assert_int_eq(nn_fit(single, &hs, &X, &y, &o, r1), 0);
		ck_assert_int_eq(nn_mpi_fit(dist, &hd, &shard, &ys, &o, r2, MPI_COMM_WORLD), 0);
		size_t n = nn_net_param_count(dist);
		double *a = malloc(n * sizeof(double)), *b = malloc(n * sizeof(double));
		ck_assert_int_eq(nn_net_get_params(a, dist), 0);
		ck_assert_int_eq(nn_net_get_params(b, single), 0);
		ck_assert_double_le(max_rel(a, b, n), f32 ? 1e-4 : 1e-10);
		ck_assert_double_lt(hs.epochs[2].train_cost, hs.epochs[0].train_cost);
		free(a), free(b);
		nn_history_free(&hs);
		nn_history_free(&hd);
		nn_net_free(single);
		nn_net_free(dist);
		nn_rng_free(r1);
		nn_rng_free(r2);
	}
	nn_rng_free(data);
	nn_matrix_free(&X);
	nn_labels_free(&y);
}
END_TEST

/* Root's parameters reach every rank, float32 networks too (the buffer in
 * its own precision). */
START_TEST(test_bcast_f32)
{
	const size_t sizes[] = { 3, 4, 2 };
	for (int f32 = 0; f32 < 2; f32++) {
		nn_net *net, *root;
		nn_rng *rng;
		ck_assert_int_eq(nn_net_new(&net, 2, sizes, NULL), 0);
		ck_assert_int_eq(nn_net_set_precision(net, f32 ? NN_F32 : NN_F64), 0);
		ck_assert_int_eq(nn_net_clone(&root, net), 0);
		ck_assert_int_eq(nn_rng_new(&rng, (uint32_t)(100 + rank)), 0);
		ck_assert_int_eq(nn_net_init_randn(net, rng), 0); /* each rank its own */
		nn_rng_free(rng);
		ck_assert_int_eq(nn_rng_new(&rng, 100), 0);
		ck_assert_int_eq(nn_net_init_randn(root, rng), 0); /* what rank 0 drew */
		nn_rng_free(rng);
		ck_assert_int_eq(nn_mpi_bcast_params(net, 0, MPI_COMM_WORLD), 0);
		size_t n = nn_net_param_count(net);
		double *a = malloc(n * sizeof(double)), *b = malloc(n * sizeof(double));
		ck_assert_int_eq(nn_net_get_params(a, net), 0);
		ck_assert_int_eq(nn_net_get_params(b, root), 0);
		ck_assert_mem_eq(a, b, n * sizeof(double));
		free(a), free(b);
		nn_net_free(net);
		nn_net_free(root);
	}
}
END_TEST

/* nn_mpi_dist: where each shard starts and the total; a failure on one
 * rank reaches all in the same call. */
START_TEST(test_dist)
{
	MPI_Comm comm = MPI_COMM_WORLD;
	nn_dist d;
	size_t mine = (size_t)rank + 2, first = 0, total = 0;
	for (int r = 0; r < size; r++) {
		first += r < rank ? (size_t)r + 2 : 0;
		total += (size_t)r + 2;
	}
	ck_assert_int_eq(nn_mpi_dist(&d, mine, 0, &comm), 0);
	ck_assert(d.reduce != NULL);
	ck_assert_ptr_eq(d.user, &comm);
	ck_assert_uint_eq(d.shard_first, first);
	ck_assert_uint_eq(d.shard_total, total);
	double v[2] = { 1.0, (double)rank };
	ck_assert_int_eq(d.reduce(d.user, v, 2, NN_REDUCE_SUM), 0);
	ck_assert_double_eq(v[0], (double)size);
	ck_assert_double_eq(v[1], (double)(size * (size - 1) / 2));
	int rc = nn_mpi_dist(&d, mine, rank == size - 1 ? NN_EFORMAT : 0, &comm);
	ck_assert_int_eq(rc, rank == size - 1 ? NN_EFORMAT : NN_EPEER);
	ck_assert(d.reduce == NULL);
	ck_assert_int_eq(nn_mpi_dist(NULL, 1, 0, &comm), NN_ENULL);
}
END_TEST

/* One rank fails (say, its shard would not load); all agree on the error
 * and nobody waits for ever. */
START_TEST(test_error_on_one_rank)
{
	int rc = rank == size - 1 ? NN_ETRUNC : 0;
	ck_assert_int_eq(nn_mpi_agree(rc, MPI_COMM_WORLD), size > 1 || rank == 0 ? NN_ETRUNC : 0);
	ck_assert_int_eq(nn_mpi_agree(0, MPI_COMM_WORLD), 0);
	/* a bad option fails on every rank alike, before any collective */
	nn_matrix X;
	nn_labels y;
	make_data(&X, &y, 4);
	const size_t sizes[] = { 2, 2 };
	nn_net *net;
	ck_assert_int_eq(nn_net_new(&net, 1, sizes, NULL), 0);
	nn_train_options bad = { .eta = -1, .steps = 10 };
	ck_assert_int_eq(nn_mpi_agree(nn_mpi_train_gd(net, NULL, &X, &y, &bad, MPI_COMM_WORLD),
				      MPI_COMM_WORLD), NN_EINVAL);
	/* a bad shard on the last rank: it reports its error, the others
	 * NN_EPEER, and nobody hangs in a collective */
	nn_train_options ok = { .eta = 0.01, .steps = 10 };
	int saved = y.data[1];
	if (rank == size - 1)
		y.data[1] = 5; /* not a class of a 2-unit output layer */
	rc = nn_mpi_train_gd(net, NULL, &X, &y, &ok, MPI_COMM_WORLD);
	ck_assert_int_eq(rc, rank == size - 1 ? NN_ELABEL : NN_EPEER);
	y.data[1] = saved;
	nn_net_free(net);
	nn_matrix_free(&X);
	nn_labels_free(&y);
}
END_TEST

int main(int argc, char **argv)
{
	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	Suite *s = suite_create("mpi");
	TCase *tc = tcase_create("distributed");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_shards);
	tcase_add_test(tc, test_equals_single);
	tcase_add_test(tc, test_empty_shard);
	tcase_add_test(tc, test_fit_equals_single);
	tcase_add_test(tc, test_error_on_one_rank);
	tcase_add_test(tc, test_fit_cnn_equals_single);
	tcase_add_test(tc, test_bcast_f32);
	tcase_add_test(tc, test_dist);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK); /* one MPI process per rank, no forks */
	srunner_run_all(sr, rank == 0 ? CK_NORMAL : CK_SILENT);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	/* the job fails if any rank failed */
	int any = nn_mpi_agree(failed ? -1 : 0, MPI_COMM_WORLD);
	MPI_Finalize();
	return any ? EXIT_FAILURE : EXIT_SUCCESS;
}
