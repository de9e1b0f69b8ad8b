/*
 * Private to the pickle reader: the objects it models and the machine that
 * builds them, shared by pickle.c (the opcode loop: stack, memo, strings)
 * and pickle_numpy.c (the few globals it recognises, how REDUCE and BUILD
 * make numpy dtypes and arrays, and the arrays' conversion to nn_mnist).
 * Never installed.
 */
#ifndef NN_PICKLE_INTERNAL_H
#define NN_PICKLE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mnist_internal.h"

#define PK_STACK     256       /* stack depth; MNIST pickles need about 10 */
#define PK_MARKS     64        /* open marks */
#define PK_MAX_OBJS  (1 << 16) /* objects in one pickle; MNIST needs about 150 */
#define PK_MAX_MEMO  (1 << 12) /* memo slots */
#define PK_MAX_PROTO 5
/* The reader's own memory (objects, tuples, memo, decoded strings) is at most
 * PK_BUDGET_PER_BYTE bytes per input byte plus PK_BUDGET_BASE: a pickle of
 * arrays needs at most 3 per byte (a protocol 0 text decoded to UTF-8, twice
 * its length, then encoded to its bytes), and an MNIST pickle about 150
 * objects. NN_ESIZE beyond, whatever the opcode stream does. */
#define PK_BUDGET_PER_BYTE 4
#define PK_BUDGET_BASE     ((size_t)1 << 20)

enum pk_kind {
	PK_NONE,
	PK_BOOL,
	PK_INT,
	PK_BYTES,
	PK_TEXT,
	PK_TUPLE,
	PK_GLOBAL,
	PK_DTYPE,
	PK_ARRAY
};
enum pk_global { G_RECONSTRUCT, G_NDARRAY, G_DTYPE, G_ENCODE, G_FROMBUFFER };
enum pk_dt { DT_F4, DT_F8, DT_I4, DT_I8, DT_U1, DT_COUNT_ };

typedef struct pk_obj pk_obj;

/* A numpy array: the raw little-endian bytes of a 1-D or 2-D shape. */
typedef struct pk_array {
	int built; /* 0 between _reconstruct and its BUILD */
	enum pk_dt dt;
	size_t ndim, shape[2];
	int fortran; /* column-major (Fortran) order */
	const unsigned char *data;
	size_t nbytes;
} pk_array;

struct pk_obj {
	pk_obj *all; /* every object, for freeing */
	enum pk_kind kind;
	union {
		int64_t i; /* BOOL, INT */
		struct {
			const unsigned char *p;
			size_t n;
			unsigned char *own; /* p when the string was decoded, else NULL */
			pk_obj *latin1;     /* TEXT: its Latin-1 bytes once encoded, shared
					       by every later encode of it */
		} s;                        /* BYTES, TEXT (as UTF-8) */
		struct {
			pk_obj **items;
			size_t n;
		} t;              /* TUPLE */
		enum pk_global g; /* GLOBAL */
		struct {
			int built;
			enum pk_dt dt;
		} d;        /* DTYPE */
		pk_array a; /* ARRAY */
	} u;
};

typedef struct pk_vm {
	const unsigned char *start, *p, *end;
	size_t op_at; /* offset of the current opcode, for details */
	const char *name;
	char *err;
	pk_obj *all;
	size_t n_objs;
	pk_obj *stack[PK_STACK];
	size_t sp;
	size_t marks[PK_MARKS];
	size_t n_marks;
	pk_obj **memo;
	size_t memo_cap, memo_len;
	size_t used, budget; /* bytes allocated so far, and the most allowed */
} pk_vm;

/* pickle.c */

/* Set the detail (file, byte offset, message) and return code. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int nn__pk_fail(pk_vm *vm, int code, const char *fmt, ...);
#define PK_FAIL(vm, code, ...) nn__pk_fail(vm, code, __VA_ARGS__)

/* malloc (zero: calloc) of n bytes counted against the budget: NN_ESIZE
 * beyond it, NN_ENOMEM; the detail is set either way. */
int nn__pk_alloc(pk_vm *vm, void **p, size_t n, int zero);
int nn__pk_new(pk_vm *vm, pk_obj **o, enum pk_kind kind); /* a new object, not pushed */
int nn__pk_push(pk_vm *vm, pk_obj *o);
int nn__pk_pop(pk_vm *vm, pk_obj **o); /* never below the current mark */
int nn__pk_push_new(pk_vm *vm, pk_obj **o, enum pk_kind kind);
size_t nn__pk_floor(const pk_vm *vm);                  /* the current mark's stack depth */
int nn__pk_push_latin1(pk_vm *vm, pk_obj *text); /* bytes of text's Latin-1 encoding */

/* pickle_numpy.c */

extern const size_t nn__pk_dt_size[DT_COUNT_];
int nn__pk_global(pk_vm *vm, const unsigned char *mod, size_t nm, const unsigned char *name,
		  size_t nn);
int nn__pk_reduce(pk_vm *vm);
int nn__pk_build(pk_vm *vm);
/* The root ((train_x, train_y), (valid_x, valid_y), (test_x, test_y)) into out. */
int nn__pk_to_mnist(pk_vm *vm, nn_mnist *out, const pk_obj *root, const nn_mnist_options *opt);

static inline int pk_is_str(const pk_obj *o)
{
	return o->kind == PK_BYTES || o->kind == PK_TEXT;
}

/* A byte or text string equal to the C string t. */
static inline int pk_str_eq(const pk_obj *o, const char *t)
{
	return pk_is_str(o) && o->u.s.n == strlen(t) && memcmp(o->u.s.p, t, o->u.s.n) == 0;
}

/* An n-byte little-endian unsigned integer. */
static inline uint64_t pk_le(const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

/* An int or bool of value v. */
static inline int pk_is_int(const pk_obj *o, int64_t v)
{
	return (o->kind == PK_INT || o->kind == PK_BOOL) && o->u.i == v;
}

#endif /* NN_PICKLE_INTERNAL_H */
