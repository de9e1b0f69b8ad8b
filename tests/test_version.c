/*
 * nn_version() and the NN_VERSION_* macros against meson.build's project
 * version, handed to this file by tests/meson.build as NN_PROJECT_VERSION.
 */
#include <stdio.h>
#include <string.h>

#include <nn/nn.h>

#include "suites.h"

/* The macros are plain integers, usable in #if. */
#if NN_VERSION_MAJOR < 0 || NN_VERSION_MINOR < 0 || NN_VERSION_PATCH < 0
#error "NN_VERSION_* must be non-negative integers"
#endif

START_TEST(test_agrees)
{
	int major = -1, minor = -1, patch = -1, end = 0;
	/* the project version, parsed on its own */
	ck_assert_int_eq(sscanf(NN_PROJECT_VERSION, "%d.%d.%d%n", &major, &minor, &patch, &end), 3);
	ck_assert_uint_eq((size_t)end, strlen(NN_PROJECT_VERSION));
	ck_assert_int_eq(NN_VERSION_MAJOR, major);
	ck_assert_int_eq(NN_VERSION_MINOR, minor);
	ck_assert_int_eq(NN_VERSION_PATCH, patch);
	ck_assert_str_eq(NN_VERSION_STRING, NN_PROJECT_VERSION);
	/* the library's own answer */
	ck_assert_ptr_nonnull(nn_version());
	ck_assert_str_eq(nn_version(), NN_PROJECT_VERSION);
	ck_assert_ptr_eq(nn_version(), nn_version()); /* static, the same each call */
}
END_TEST

Suite *version_suite(void)
{
	Suite *s = suite_create("version");
	TCase *tc = tcase_create("agrees");
	tcase_add_test(tc, test_agrees);
	suite_add_tcase(s, tc);
	return s;
}
