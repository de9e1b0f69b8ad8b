#include <math.h>
#include <stdlib.h>

#include "nn_internal.h"
#include "suites.h"

START_TEST(test_new_free)
{
	nn_matrix m;
	ck_assert_int_eq(nn_matrix_new(&m, 3, 4), 0);
	ck_assert_uint_eq(m.rows, 3);
	ck_assert_uint_eq(m.cols, 4);
	ck_assert_uint_eq(m.ld, 3);
	ck_assert_int_eq(m.owner, 1);
	for (size_t j = 0; j < 4; j++)
		for (size_t i = 0; i < 3; i++)
			ck_assert(NN_AT(&m, i, j) == 0.0);
	NN_AT(&m, 2, 3) = 7.0;
	ck_assert(m.data[2 + 3 * 3] == 7.0); /* column-major */
	nn_matrix_free(&m);
	ck_assert_ptr_null(m.data);
	nn_matrix_free(&m); /* freeing an empty matrix again is harmless */
	nn_matrix_free(NULL);
}
END_TEST

START_TEST(test_views)
{
	double buf[5 * 3];
	for (int i = 0; i < 15; i++)
		buf[i] = i;
	/* a 4 x 3 matrix inside a buffer with ld 5 */
	nn_matrix v = nn_matrix_view(buf, 4, 3, 5), c;
	ck_assert(NN_AT(&v, 1, 2) == 11.0);
	ck_assert_int_eq(nn_matrix_cols(&c, &v, 1, 2), 0);
	ck_assert(NN_AT(&c, 0, 0) == 5.0);
	ck_assert(NN_AT(&c, 3, 1) == 13.0);
	ck_assert_int_eq(nn_matrix_cols(&c, &v, 2, 2), NN_EINVAL);
	ck_assert_int_eq(nn_matrix_cols(&c, &v, 4, 0), NN_EINVAL);
	nn_matrix_free(&v); /* a view is only reset */
	ck_assert(buf[0] == 0.0);

	nn_matrix m, d;
	ck_assert_int_eq(nn_matrix_new(&m, 4, 3), 0);
	v = nn_matrix_view(buf, 4, 3, 5);
	ck_assert_int_eq(nn_matrix_copy(&m, &v), 0);
	ck_assert(NN_AT(&m, 3, 2) == 13.0);
	ck_assert_int_eq(nn_matrix_new(&d, 3, 4), 0);
	ck_assert_int_eq(nn_matrix_copy(&d, &v), NN_ESHAPE);
	nn_matrix_free(&m);
	nn_matrix_free(&d);
}
END_TEST

START_TEST(test_errors)
{
	nn_matrix m;
	ck_assert_int_eq(nn_matrix_new(NULL, 1, 1), NN_ENULL);
	ck_assert_int_eq(nn_matrix_new(&m, 0, 3), NN_EINVAL);
	ck_assert_ptr_null(m.data);
	ck_assert_int_eq(nn_matrix_new(&m, 3, 0), NN_EINVAL);
	ck_assert_int_eq(nn_matrix_new(&m, (size_t)1 << 40, (size_t)1 << 40), NN_ESIZE);
	ck_assert_int_eq(nn_matrix_check_finite(NULL), NN_ENULL);

	ck_assert_int_eq(nn_matrix_new(&m, 2, 2), 0);
	ck_assert_int_eq(nn_matrix_check_finite(&m), 0);
	NN_AT(&m, 1, 1) = NAN;
	ck_assert_int_eq(nn_matrix_check_finite(&m), NN_ENONFINITE);
	NN_AT(&m, 1, 1) = -INFINITY;
	ck_assert_int_eq(nn_matrix_check_finite(&m), NN_ENONFINITE);
	nn_matrix_free(&m);

	nn_labels y;
	ck_assert_int_eq(nn_labels_new(&y, 0), NN_EINVAL);
	ck_assert_int_eq(nn_labels_new(NULL, 3), NN_ENULL);
	ck_assert_int_eq(nn_labels_new(&y, 3), 0);
	ck_assert_int_eq(y.data[2], 0);
	nn_labels_free(&y);
	nn_labels_free(NULL);

	/* every code has its own message */
	for (int c = 0; c >= NN_ENOTFILE; c--)
		for (int d = c - 1; d >= NN_ENOTFILE; d--)
			ck_assert_str_ne(nn_strerror(c), nn_strerror(d));
	for (int c = 0; c >= NN_ENOTFILE; c--)
		ck_assert_str_ne(nn_strerror(c), "unknown error");
	ck_assert_str_eq(nn_strerror(NN_ENOTFILE - 1), "unknown error");
	ck_assert_str_eq(nn_strerror(-9999), "unknown error");
}
END_TEST

Suite *matrix_suite(void)
{
	Suite *s = suite_create("matrix");
	TCase *tc = tcase_create("lifetime");
	tcase_add_test(tc, test_new_free);
	tcase_add_test(tc, test_views);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}
