/*
 * The numpy side of the pickle reader: the only globals a pickle may name,
 * what REDUCE and BUILD do with them, and the arrays' conversion to nn_mnist.
 * The callables are recognised by name and never "called" in any general
 * sense:
 *
 *   numpy.core.multiarray._reconstruct(numpy.ndarray, (0,), b'b') + BUILD state
 *       (1, shape, dtype, is_fortran, raw bytes)          -- every protocol
 *   numpy.dtype(code, False, True) + BUILD state
 *       (3, endian, None, None, None, -1, -1, flags)      -- every protocol
 *   _codecs.encode(text, 'latin1')   -- Python 3, protocols 0-2, for bytes
 *   numpy.core.numeric._frombuffer(buffer, dtype, shape, order)
 *                                    -- Python 3, protocol 5 (BYTEARRAY8)
 *   (numpy 2 spells the modules numpy._core.*; both are accepted.)
 *
 * dtypes are f4, f8, i4, i8 and u1, little-endian; arrays have 1 or 2
 * dimensions and exactly shape x itemsize bytes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pickle_internal.h"

static const char *const dt_code[DT_COUNT_] = {
	[DT_F4] = "f4", [DT_F8] = "f8", [DT_I4] = "i4", [DT_I8] = "i8", [DT_U1] = "u1"
};
const size_t nn__pk_dt_size[DT_COUNT_] = {
	[DT_F4] = 4, [DT_F8] = 8, [DT_I4] = 4, [DT_I8] = 8, [DT_U1] = 1
};

static const struct {
	const char *module, *name;
	enum pk_global g;
} globals[] = {
	{ "numpy.core.multiarray", "_reconstruct", G_RECONSTRUCT },
	{ "numpy._core.multiarray", "_reconstruct", G_RECONSTRUCT },
	{ "numpy", "ndarray", G_NDARRAY },
	{ "numpy", "dtype", G_DTYPE },
	{ "_codecs", "encode", G_ENCODE },
	{ "numpy.core.numeric", "_frombuffer", G_FROMBUFFER },
	{ "numpy._core.numeric", "_frombuffer", G_FROMBUFFER },
};

/* ---- globals and the recognised callables ------------------------------- */

int nn__pk_global(pk_vm *vm, const unsigned char *mod, size_t nm, const unsigned char *name,
		  size_t nn)
{
	for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++)
		if (strlen(globals[i].module) == nm && memcmp(globals[i].module, mod, nm) == 0 &&
		    strlen(globals[i].name) == nn && memcmp(globals[i].name, name, nn) == 0) {
			pk_obj *o = NULL;
			int rc = nn__pk_push_new(vm, &o, PK_GLOBAL);
			if (rc == 0)
				o->u.g = globals[i].g;
			return rc;
		}
	char a[NN__SAFE_LEN], b[NN__SAFE_LEN];
	return PK_FAIL(vm, NN_EPICKLE, "global '%s.%s' is not one nn reads (only numpy arrays)",
		       nn__printable(a, mod, nm), nn__printable(b, name, nn));
}

/* Fill an array from a dtype, a shape tuple, an order and the raw bytes. */
static int set_array(pk_vm *vm, pk_array *a, const pk_obj *dtype, const pk_obj *shape, int fortran,
		     const pk_obj *bytes)
{
	if (dtype->kind != PK_DTYPE || !dtype->u.d.built)
		return PK_FAIL(vm, NN_EPICKLE, "array without a complete numpy dtype");
	if (shape->kind != PK_TUPLE || shape->u.t.n < 1 || shape->u.t.n > 2)
		return PK_FAIL(vm, NN_EPICKLE, "array shape is not a tuple of 1 or 2 dimensions");
	if (bytes->kind != PK_BYTES)
		return PK_FAIL(vm, NN_EPICKLE, "array data is not a byte string");
	size_t isz = nn__pk_dt_size[dtype->u.d.dt];
	uint64_t total = isz;
	for (size_t k = 0; k < shape->u.t.n; k++) {
		const pk_obj *d = shape->u.t.items[k];
		if (d->kind != PK_INT || d->u.i < 0)
			return PK_FAIL(vm, NN_ESIZE, "array dimension is not an integer >= 0");
		uint64_t v = (uint64_t)d->u.i;
		if (v != 0 && total > UINT64_MAX / v)
			return PK_FAIL(vm, NN_ESIZE, "array shape overflows");
		total *= v;
		a->shape[k] = (size_t)v;
		if ((uint64_t)a->shape[k] != v)
			return PK_FAIL(vm, NN_ESIZE, "array dimension too large");
	}
	if (total != bytes->u.s.n)
		return PK_FAIL(vm, NN_EFORMAT,
			       "array data holds %zu bytes, its shape and dtype need %llu",
			       bytes->u.s.n, (unsigned long long)total);
	a->ndim = shape->u.t.n;
	a->dt = dtype->u.d.dt;
	a->fortran = fortran;
	a->data = bytes->u.s.p;
	a->nbytes = bytes->u.s.n;
	a->built = 1;
	return 0;
}

int nn__pk_reduce(pk_vm *vm)
{
	pk_obj *args = NULL, *fn = NULL, *o = NULL;
	int rc;
	if ((rc = nn__pk_pop(vm, &args)) < 0 || (rc = nn__pk_pop(vm, &fn)) < 0)
		return rc;
	if (fn->kind != PK_GLOBAL)
		return PK_FAIL(vm, NN_EPICKLE,
			       "REDUCE of an object that is not a recognised callable");
	if (args->kind != PK_TUPLE)
		return PK_FAIL(vm, NN_EPICKLE, "REDUCE arguments are not a tuple");
	pk_obj **a = args->u.t.items;
	size_t n = args->u.t.n;
	switch (fn->u.g) {
	case G_RECONSTRUCT:
		if (n != 3 || a[0]->kind != PK_GLOBAL || a[0]->u.g != G_NDARRAY ||
		    a[1]->kind != PK_TUPLE || a[1]->u.t.n != 1 ||
		    !pk_is_int(a[1]->u.t.items[0], 0) || !pk_str_eq(a[2], "b"))
			return PK_FAIL(vm, NN_EPICKLE,
				       "_reconstruct arguments are not (ndarray, (0,), b'b')");
		return nn__pk_push_new(vm, &o, PK_ARRAY);
	case G_DTYPE:
		if (n != 3 || !pk_is_str(a[0]) || !pk_is_int(a[1], 0) || !pk_is_int(a[2], 1))
			return PK_FAIL(vm, NN_EPICKLE,
				       "dtype arguments are not (code, False, True)");
		for (size_t k = 0; k < DT_COUNT_; k++)
			if (pk_str_eq(a[0], dt_code[k])) {
				if ((rc = nn__pk_push_new(vm, &o, PK_DTYPE)) == 0)
					o->u.d.dt = (enum pk_dt)k;
				return rc;
			}
		char c[NN__SAFE_LEN];
		return PK_FAIL(vm, NN_EPICKLE, "dtype '%s' is not one of f4, f8, i4, i8, u1",
			       nn__printable(c, a[0]->u.s.p, a[0]->u.s.n));
	case G_ENCODE:
		if (n != 2 || a[0]->kind != PK_TEXT || !pk_str_eq(a[1], "latin1"))
			return PK_FAIL(vm, NN_EPICKLE,
				       "_codecs.encode arguments are not (text, 'latin1')");
		return nn__pk_push_latin1(vm, a[0]);
	case G_FROMBUFFER:
		if (n != 4 || !(pk_str_eq(a[3], "C") || pk_str_eq(a[3], "F")))
			return PK_FAIL(vm, NN_EPICKLE,
				       "_frombuffer arguments are not (buf, dtype, shape, order)");
		if ((rc = nn__pk_new(vm, &o, PK_ARRAY)) < 0)
			return rc;
		if ((rc = set_array(vm, &o->u.a, a[1], a[2], pk_str_eq(a[3], "F"), a[0])) < 0)
			return rc;
		return nn__pk_push(vm, o);
	case G_NDARRAY: break;
	}
	return PK_FAIL(vm, NN_EPICKLE, "numpy.ndarray is only read through _reconstruct");
}

int nn__pk_build(pk_vm *vm)
{
	pk_obj *st = NULL;
	int rc = nn__pk_pop(vm, &st);
	if (rc < 0)
		return rc;
	if (vm->sp <= nn__pk_floor(vm))
		return PK_FAIL(vm, NN_ESTACK, "BUILD with nothing to build");
	pk_obj *o = vm->stack[vm->sp - 1];
	if (st->kind != PK_TUPLE)
		return PK_FAIL(vm, NN_EPICKLE, "BUILD state is not a tuple");
	pk_obj **s = st->u.t.items;
	size_t n = st->u.t.n;
	if (o->kind == PK_DTYPE && !o->u.d.built) {
		/* (3, endian, subarray, names, fields, elsize, alignment, flags[, metadata]) */
		if (!((n == 8 && pk_is_int(s[0], 3)) ||
		      (n == 9 && pk_is_int(s[0], 4) && s[8]->kind == PK_NONE)) ||
		    !pk_is_str(s[1]) || s[1]->u.s.n != 1 || s[2]->kind != PK_NONE ||
		    s[3]->kind != PK_NONE || s[4]->kind != PK_NONE || s[5]->kind != PK_INT ||
		    s[6]->kind != PK_INT || s[7]->kind != PK_INT)
			return PK_FAIL(vm, NN_EPICKLE,
				       "dtype state is not that of a plain numeric dtype");
		char e = (char)s[1]->u.s.p[0];
		int one = nn__pk_dt_size[o->u.d.dt] == 1;
		if (!(e == '<' || (one && (e == '|' || e == '>'))))
			return PK_FAIL(vm, NN_EPICKLE,
				       "dtype byte order '%c' (only little-endian is read)",
				       e >= 0x20 && e < 0x7f ? e : '?');
		o->u.d.built = 1;
		return 0;
	}
	if (o->kind == PK_ARRAY && !o->u.a.built) {
		/* (1, shape, dtype, is_fortran, raw bytes) */
		if (n != 5 || !pk_is_int(s[0], 1) ||
		    (s[3]->kind != PK_BOOL && s[3]->kind != PK_INT) || (uint64_t)s[3]->u.i > 1)
			return PK_FAIL(vm, NN_EPICKLE,
				       "array state is not (1, shape, dtype, fortran, bytes)");
		return set_array(vm, &o->u.a, s[2], s[1], (int)s[3]->u.i, s[4]);
	}
	return PK_FAIL(vm, NN_EPICKLE, "BUILD of an object nn does not model");
}

/* ---- from the parsed tree to nn_mnist ------------------------------------ */

/* Element k of the array's raw data as a double (floats) or integer. */
static double get_f(const pk_array *a, size_t k, const double *lut)
{
	const unsigned char *p = a->data + k * nn__pk_dt_size[a->dt];
	switch (a->dt) {
	case DT_F4: {
		uint32_t b = (uint32_t)pk_le(p, 4);
		float f;
		memcpy(&f, &b, 4);
		return f;
	}
	case DT_F8: {
		uint64_t b = pk_le(p, 8);
		double d;
		memcpy(&d, &b, 8);
		return d;
	}
	case DT_U1: return lut[p[0]];
	default: return 0.0;
	}
}

static int64_t get_i(const pk_array *a, size_t k)
{
	const unsigned char *p = a->data + k * nn__pk_dt_size[a->dt];
	switch (a->dt) {
	case DT_I4: return (int32_t)(uint32_t)pk_le(p, 4);
	case DT_I8: return (int64_t)pk_le(p, 8);
	case DT_U1: return p[0];
	default: return -1;
	}
}

/* Check a pair (images, labels); *N and *F receive its sample count and features. */
static int check_pair(pk_vm *vm, const pk_obj *pair, const char *what, size_t *N, size_t *F)
{
	if (pair->kind != PK_TUPLE || pair->u.t.n != 2 || pair->u.t.items[0]->kind != PK_ARRAY ||
	    pair->u.t.items[1]->kind != PK_ARRAY || !pair->u.t.items[0]->u.a.built ||
	    !pair->u.t.items[1]->u.a.built)
		return PK_FAIL(vm, NN_EFORMAT, "%s is not a pair of numpy arrays", what);
	const pk_array *x = &pair->u.t.items[0]->u.a, *y = &pair->u.t.items[1]->u.a;
	if (x->ndim != 2 || !(x->dt == DT_F4 || x->dt == DT_F8 || x->dt == DT_U1))
		return PK_FAIL(vm, NN_EFORMAT, "%s images are not a 2-D array of f4, f8 or u1",
			       what);
	if (y->ndim != 1 || !(y->dt == DT_I4 || y->dt == DT_I8 || y->dt == DT_U1))
		return PK_FAIL(vm, NN_EFORMAT, "%s labels are not a 1-D array of i4, i8 or u1",
			       what);
	if (x->shape[0] == 0 || x->shape[1] == 0)
		return PK_FAIL(vm, NN_ESIZE, "%s images have shape (%zu, %zu)", what, x->shape[0],
			       x->shape[1]);
	if (x->shape[0] != y->shape[0])
		return PK_FAIL(vm, NN_EMISMATCH, "%s has %zu images but %zu labels", what,
			       x->shape[0], y->shape[0]);
	for (size_t k = 0; k < y->shape[0]; k++) {
		int64_t l = get_i(y, k);
		if (l < 0 || l >= NN_MNIST_CLASSES)
			return PK_FAIL(vm, NN_ELABEL,
				       "%s label %lld at index %zu is not in [0, %d)", what,
				       (long long)l, k, NN_MNIST_CLASSES);
	}
	*N = x->shape[0];
	*F = x->shape[1];
	return 0;
}

/* The first max samples of a pair into X (F x n, one image per column) and y. */
static int convert(pk_vm *vm, nn_matrix *X, nn_labels *Y, const pk_obj *pair, size_t first,
		   size_t max, const double *lut, const char *what)
{
	const pk_array *x = &pair->u.t.items[0]->u.a, *y = &pair->u.t.items[1]->u.a;
	size_t N = x->shape[0], F = x->shape[1];
	size_t avail = first < N ? N - first : 0;
	size_t n = max < avail ? max : avail;
	if (n == 0) { /* an empty shard: past the end, or max 0 */
		*X = (nn_matrix){ .rows = F, .cols = 0, .ld = F };
		*Y = (nn_labels){ 0 };
		return 0;
	}
	int rc = nn_matrix_new(X, F, n);
	if (rc < 0)
		return PK_FAIL(vm, rc, "cannot allocate %zu x %zu %s images", F, n, what);
	if ((rc = nn_labels_new(Y, n)) < 0)
		return PK_FAIL(vm, rc, "cannot allocate %zu %s labels", n, what);
	for (size_t c = 0; c < n; c++) {
		/* image j is row j of the (N, F) array: C order j*F + f, Fortran order j + f*N */
		size_t j = first + c;
		for (size_t f = 0; f < F; f++) {
			double d = get_f(x, x->fortran ? j + f * N : j * F + f, lut);
			if (!isfinite(d))
				return PK_FAIL(vm, NN_ENONFINITE, "%s image %zu holds NaN or Inf",
					       what, j);
			NN_AT(X, f, c) = d;
		}
		Y->data[c] = (int)get_i(y, j);
	}
	return 0;
}

int nn__pk_to_mnist(pk_vm *vm, nn_mnist *out, const pk_obj *root, const nn_mnist_options *opt)
{
	static const char *what[3] = { "training set", "validation set", "test set" };
	size_t N[3], F[3];
	int rc;
	if (root->kind != PK_TUPLE || root->u.t.n != 3)
		return PK_FAIL(vm, NN_EFORMAT,
			       "not ((train_x, train_y), (valid_x, valid_y), (test_x, test_y))");
	/* the validation pair is checked like the others, then skipped */
	for (int k = 0; k < 3; k++)
		if ((rc = check_pair(vm, root->u.t.items[k], what[k], &N[k], &F[k])) < 0)
			return rc;
	if (F[1] != F[0] || F[2] != F[0])
		return PK_FAIL(vm, NN_EMISMATCH, "images of %zu, %zu and %zu pixels", F[0], F[1],
			       F[2]);
	double lut[256];
	for (int b = 0; b < 256; b++)
		lut[b] = (double)b / opt->scale;
	if ((rc = convert(vm, &out->train_x, &out->train_y, root->u.t.items[0], opt->first_train, opt->max_train, lut,
			  what[0])) < 0 ||
	    (rc = convert(vm, &out->test_x, &out->test_y, root->u.t.items[2], 0, opt->max_test, lut,
			  what[2])) < 0)
		return rc;
	nn__image_shape(&out->rows, &out->cols, F[0]);
	return 0;
}
