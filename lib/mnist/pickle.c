/*
 * A small, strict pickle reader for MNIST pickles such as the lecture's
 * mnist.pkl.gz: ((train_x, train_y), (valid_x, valid_y), (test_x, test_y)),
 * each a numpy array. This file is the opcode loop: the stack, marks and
 * memo, and the strings; pickle_numpy.c says which globals exist and how
 * REDUCE and BUILD make dtypes and arrays of them.
 *
 * It is not Python's unpickler: it models a handful of objects (None, bools,
 * ints, byte and text strings, tuples, numpy dtypes and arrays); anything
 * else -- another global, an unknown opcode, a list, a dict -- is refused.
 * Every length is checked against the bytes that remain before it is used;
 * strings are views into the input, so the only allocations are small
 * objects (bounded in number) and decoded strings no longer than twice the
 * text they come from. The stack, marks, memo and object count are bounded,
 * and so is memory: every allocation is counted against a budget of
 * PK_BUDGET_PER_BYTE bytes per input byte plus PK_BUDGET_BASE. Objects are
 * never mutated once built and all live until the end, so they are shared
 * rather than copied: _codecs.encode of a text gives the same bytes object
 * every time (a view of the text itself when it is ASCII), and memo, GET and
 * tuples hold references. No opcode stream can then make memory grow faster
 * than the input.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pickle_internal.h"

int nn__pk_fail(pk_vm *vm, int code, const char *fmt, ...)
{
	if (vm->err) {
		char msg[NN_MNIST_ERROR_LEN];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		nn__fail(vm->err, code, "%s: pickle byte %zu: %s", vm->name, vm->op_at, msg);
	}
	return code;
}

/* ---- objects, stack, memo ------------------------------------------------ */

int nn__pk_alloc(pk_vm *vm, void **p, size_t n, int zero)
{
	*p = NULL;
	if (n > vm->budget - vm->used)
		return PK_FAIL(vm, NN_ESIZE,
			       "reading it would take more than %zu bytes of memory (%d per "
			       "pickle byte + 1 MiB): not a pickle of arrays",
			       vm->budget, PK_BUDGET_PER_BYTE);
	*p = zero ? calloc(1, n ? n : 1) : malloc(n ? n : 1);
	if (!*p)
		return PK_FAIL(vm, NN_ENOMEM, "out of memory");
	vm->used += n;
	return 0;
}

int nn__pk_new(pk_vm *vm, pk_obj **o, enum pk_kind kind)
{
	if (vm->n_objs >= PK_MAX_OBJS)
		return PK_FAIL(vm, NN_ESIZE, "more than %d objects", PK_MAX_OBJS);
	pk_obj *x = NULL;
	int rc = nn__pk_alloc(vm, (void **)&x, sizeof *x, 1);
	if (rc < 0)
		return rc;
	x->kind = kind;
	x->all = vm->all;
	vm->all = x;
	vm->n_objs++;
	*o = x;
	return 0;
}

static void free_objs(pk_vm *vm)
{
	while (vm->all) {
		pk_obj *x = vm->all;
		vm->all = x->all;
		if (x->kind == PK_TUPLE)
			free(x->u.t.items);
		else if (x->kind == PK_BYTES || x->kind == PK_TEXT)
			free(x->u.s.own);
		free(x);
	}
	free(vm->memo);
}

/* The bottom of the stack the current mark allows to pop to. */
size_t nn__pk_floor(const pk_vm *vm)
{
	return vm->n_marks ? vm->marks[vm->n_marks - 1] : 0;
}

int nn__pk_push(pk_vm *vm, pk_obj *o)
{
	if (vm->sp >= PK_STACK)
		return PK_FAIL(vm, NN_ESTACK, "stack deeper than %d", PK_STACK);
	vm->stack[vm->sp++] = o;
	return 0;
}

int nn__pk_pop(pk_vm *vm, pk_obj **o)
{
	if (vm->sp <= nn__pk_floor(vm))
		return PK_FAIL(vm, NN_ESTACK, "pop from an empty stack (or past a mark)");
	*o = vm->stack[--vm->sp];
	return 0;
}

/* Push a new object of a kind and hand it back for filling in. */
int nn__pk_push_new(pk_vm *vm, pk_obj **o, enum pk_kind kind)
{
	int rc = nn__pk_new(vm, o, kind);
	return rc < 0 ? rc : nn__pk_push(vm, *o);
}

static int push_int(pk_vm *vm, enum pk_kind kind, int64_t v)
{
	pk_obj *o = NULL;
	int rc = nn__pk_push_new(vm, &o, kind);
	if (rc == 0)
		o->u.i = v;
	return rc;
}

static int push_str(pk_vm *vm, enum pk_kind kind, const unsigned char *p, size_t n,
		    unsigned char *own)
{
	pk_obj *o = NULL;
	int rc = nn__pk_push_new(vm, &o, kind);
	if (rc < 0) {
		free(own);
		return rc;
	}
	o->u.s.p = p;
	o->u.s.n = n;
	o->u.s.own = own;
	return 0;
}

/* A tuple of the n objects on top of the stack (above the floor). */
static int make_tuple(pk_vm *vm, size_t n)
{
	if (vm->sp - nn__pk_floor(vm) < n)
		return PK_FAIL(vm, NN_ESTACK, "tuple of %zu items from a stack of %zu", n,
			       vm->sp - nn__pk_floor(vm));
	pk_obj *t = NULL;
	int rc = nn__pk_new(vm, &t, PK_TUPLE);
	if (rc < 0)
		return rc;
	if (n) {
		if ((rc = nn__pk_alloc(vm, (void **)&t->u.t.items, n * sizeof(pk_obj *), 0)) < 0)
			return rc;
		memcpy(t->u.t.items, vm->stack + vm->sp - n, n * sizeof(pk_obj *));
	}
	t->u.t.n = n;
	vm->sp -= n;
	return nn__pk_push(vm, t);
}

static int memo_put(pk_vm *vm, uint64_t idx)
{
	if (vm->sp <= nn__pk_floor(vm))
		return PK_FAIL(vm, NN_ESTACK, "memoize with an empty stack");
	if (idx >= PK_MAX_MEMO)
		return PK_FAIL(vm, NN_ESIZE, "memo index %llu beyond the limit of %d",
			       (unsigned long long)idx, PK_MAX_MEMO);
	if (idx >= vm->memo_cap) {
		size_t n = vm->memo_cap ? vm->memo_cap : 64;
		while (n <= idx)
			n *= 2;
		pk_obj **m = NULL;
		int rc = nn__pk_alloc(vm, (void **)&m, n * sizeof *m, 1);
		if (rc < 0)
			return rc;
		if (vm->memo_cap)
			memcpy(m, vm->memo, vm->memo_cap * sizeof *m);
		free(vm->memo); /* (its bytes stay counted: the budget only grows) */
		vm->memo = m;
		vm->memo_cap = n;
	}
	if (!vm->memo[idx])
		vm->memo_len++;
	vm->memo[idx] = vm->stack[vm->sp - 1];
	return 0;
}

static int memo_get(pk_vm *vm, uint64_t idx)
{
	if (idx >= vm->memo_cap || !vm->memo[idx])
		return PK_FAIL(vm, NN_EFORMAT, "memo %llu is not set", (unsigned long long)idx);
	return nn__pk_push(vm, vm->memo[idx]);
}

/* ---- reading the input --------------------------------------------------- */

static int need(pk_vm *vm, uint64_t n)
{
	if ((uint64_t)(vm->end - vm->p) < n)
		return PK_FAIL(vm, NN_ETRUNC, "needs %llu bytes, %zu remain", (unsigned long long)n,
			       (size_t)(vm->end - vm->p));
	return 0;
}

/* Read an n-byte little-endian unsigned argument. */
static int arg_u(pk_vm *vm, size_t n, uint64_t *v)
{
	int rc = need(vm, n);
	if (rc < 0)
		return rc;
	*v = pk_le(vm->p, n);
	vm->p += n;
	return 0;
}

/* A newline-terminated argument of the text protocols, without the newline. */
static int arg_line(pk_vm *vm, const unsigned char **s, size_t *n)
{
	const unsigned char *nl = memchr(vm->p, '\n', (size_t)(vm->end - vm->p));
	if (!nl)
		return PK_FAIL(vm, NN_ETRUNC, "text argument without its newline");
	*s = vm->p;
	*n = (size_t)(nl - vm->p);
	vm->p = nl + 1;
	return 0;
}

/* A decimal integer of a text opcode (INT, LONG, PUT, GET): [+-]digits[L]. */
static int parse_dec(pk_vm *vm, const unsigned char *s, size_t n, int allow_l, int64_t *v)
{
	size_t i = 0;
	int neg = 0;
	if (allow_l && n > 0 && s[n - 1] == 'L')
		n--;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	if (i == n || n - i > 18)
		return PK_FAIL(vm, NN_EFORMAT, "bad or too large decimal integer");
	int64_t x = 0;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return PK_FAIL(vm, NN_EFORMAT, "bad decimal integer");
		x = x * 10 + (s[i] - '0');
	}
	*v = neg ? -x : x;
	return 0;
}

/* ---- strings --------------------------------------------------------------- */

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* STRING: a quoted Python 2 repr such as 'a\x00\n'; the output is never longer. */
static int load_string(pk_vm *vm)
{
	const unsigned char *s = NULL;
	size_t n = 0;
	int rc = arg_line(vm, &s, &n);
	if (rc < 0)
		return rc;
	if (n < 2 || (s[0] != '\'' && s[0] != '"') || s[n - 1] != s[0])
		return PK_FAIL(vm, NN_EFORMAT, "STRING argument is not quoted");
	s++;
	n -= 2;
	unsigned char *out = NULL;
	if ((rc = nn__pk_alloc(vm, (void **)&out, n, 0)) < 0)
		return rc;
	unsigned char *o = out;
	for (size_t i = 0; i < n;) {
		if (s[i] != '\\' || i + 1 == n) {
			*o++ = s[i++];
			continue;
		}
		unsigned char c = s[i + 1];
		static const char simple[] = "\\\\''\"\"a\ab\bf\fn\nr\rt\tv\v";
		const char *e = c ? strchr(simple, c) : NULL;
		if (e && (e - simple) % 2 == 0) {
			*o++ = (unsigned char)e[1];
			i += 2;
		} else if (c == 'x') {
			int h1 = i + 2 < n ? hexval(s[i + 2]) : -1,
			    h2 = i + 3 < n ? hexval(s[i + 3]) : -1;
			if (h1 < 0 || h2 < 0) {
				free(out);
				return PK_FAIL(vm, NN_EFORMAT, "bad \\x escape in STRING");
			}
			*o++ = (unsigned char)(h1 * 16 + h2);
			i += 4;
		} else if (c >= '0' && c <= '7') {
			unsigned v = 0, k = 0;
			for (i++; k < 3 && i < n && s[i] >= '0' && s[i] <= '7'; k++, i++)
				v = v * 8 + (unsigned)(s[i] - '0');
			*o++ = (unsigned char)v;
		} else {
			/* Python keeps an unknown escape as it stands. */
			*o++ = s[i++];
		}
	}
	return push_str(vm, PK_BYTES, out, (size_t)(o - out), out);
}

/* Append code point c as UTF-8. */
static unsigned char *put_utf8(unsigned char *o, uint32_t c)
{
	if (c < 0x80) {
		*o++ = (unsigned char)c;
	} else if (c < 0x800) {
		*o++ = (unsigned char)(0xc0 | c >> 6);
		*o++ = (unsigned char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		*o++ = (unsigned char)(0xe0 | c >> 12);
		*o++ = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		*o++ = (unsigned char)(0x80 | (c & 0x3f));
	} else {
		*o++ = (unsigned char)(0xf0 | c >> 18);
		*o++ = (unsigned char)(0x80 | (c >> 12 & 0x3f));
		*o++ = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		*o++ = (unsigned char)(0x80 | (c & 0x3f));
	}
	return o;
}

/* Decode one UTF-8 sequence strictly (no overlongs, surrogates or > U+10FFFF). */
static size_t get_utf8(const unsigned char *s, size_t n, uint32_t *c)
{
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len = 0; /* from the lead byte: 0xxxxxxx, 110xxxxx, 1110xxxx, 11110xxx */
	if (s[0] < 0x80)
		len = 1;
	else if ((s[0] & 0xe0) == 0xc0)
		len = 2;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4;
	if (len == 0 || len > n)
		return 0;
	uint32_t v = len == 1 ? s[0] : s[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min[len] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*c = v;
	return len;
}

static int check_utf8(pk_vm *vm, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t c;
		size_t k = get_utf8(s + i, n - i, &c);
		if (!k)
			return PK_FAIL(vm, NN_EFORMAT, "invalid UTF-8 in a text string");
		i += k;
	}
	return 0;
}

/* UNICODE: raw-unicode-escape (bytes are Latin-1; \uXXXX and \UXXXXXXXX escapes),
 * re-encoded as UTF-8: at most twice as long as the line. */
static int load_unicode(pk_vm *vm)
{
	const unsigned char *s = NULL;
	size_t n = 0;
	int rc = arg_line(vm, &s, &n);
	if (rc < 0)
		return rc;
	if (n > SIZE_MAX / 2)
		return PK_FAIL(vm, NN_ESIZE, "UNICODE argument too long");
	unsigned char *out = NULL;
	if ((rc = nn__pk_alloc(vm, (void **)&out, 2 * n, 0)) < 0)
		return rc;
	unsigned char *o = out;
	for (size_t i = 0; i < n;) {
		size_t digits = 0; /* \uXXXX or \UXXXXXXXX */
		if (s[i] == '\\' && i + 1 < n)
			digits = s[i + 1] == 'u' ? 4 : s[i + 1] == 'U' ? 8 : 0;
		if (!digits) {
			o = put_utf8(o, s[i++]);
			continue;
		}
		uint32_t c = 0;
		if (n - i < 2 + digits) {
			free(out);
			return PK_FAIL(vm, NN_EFORMAT, "truncated \\u escape in UNICODE");
		}
		for (size_t k = 0; k < digits; k++) {
			int h = hexval(s[i + 2 + k]);
			if (h < 0 || c > 0x10ffff) {
				free(out);
				return PK_FAIL(vm, NN_EFORMAT, "bad \\u escape in UNICODE");
			}
			c = c << 4 | (uint32_t)h;
		}
		if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
			free(out);
			return PK_FAIL(vm, NN_EFORMAT, "code point U+%X in UNICODE", (unsigned)c);
		}
		o = put_utf8(o, c);
		i += 2 + digits;
	}
	return push_str(vm, PK_TEXT, out, (size_t)(o - out), out);
}

/* A length-prefixed string: BINSTRING, BINBYTES, BINUNICODE and kin. */
static int load_counted(pk_vm *vm, size_t len_bytes, int is_signed, enum pk_kind kind)
{
	uint64_t n = 0;
	int rc = arg_u(vm, len_bytes, &n);
	if (rc < 0)
		return rc;
	if (is_signed && (n & 0x80000000u))
		return PK_FAIL(vm, NN_EFORMAT, "negative string length");
	if ((rc = need(vm, n)) < 0)
		return rc;
	const unsigned char *s = vm->p;
	vm->p += n;
	if (kind == PK_TEXT && (rc = check_utf8(vm, s, (size_t)n)) < 0)
		return rc;
	return push_str(vm, kind, s, (size_t)n, NULL);
}

/*
 * _codecs.encode(text, 'latin1'): UTF-8 back to bytes, each code point < 256.
 * Made once per text object and shared by every later encode of it, as
 * Python's unpickler would share one object: a memoized text encoded again
 * and again costs nothing more. ASCII text is its own Latin-1 encoding: the
 * bytes are then a view of the text, not a copy.
 */
int nn__pk_push_latin1(pk_vm *vm, pk_obj *text)
{
	if (text->u.s.latin1)
		return nn__pk_push(vm, text->u.s.latin1);
	const unsigned char *s = text->u.s.p;
	size_t n = text->u.s.n, ascii = 0;
	while (ascii < n && s[ascii] < 0x80)
		ascii++;
	pk_obj *b = NULL;
	int rc;
	if (ascii == n) {
		if ((rc = nn__pk_new(vm, &b, PK_BYTES)) < 0)
			return rc;
		b->u.s.p = s;
		b->u.s.n = n;
		text->u.s.latin1 = b;
		return nn__pk_push(vm, b);
	}
	unsigned char *out = NULL;
	if ((rc = nn__pk_alloc(vm, (void **)&out, n, 0)) < 0)
		return rc;
	unsigned char *o = out;
	for (size_t i = 0; i < n;) {
		uint32_t c = 0;
		size_t k = get_utf8(s + i, n - i, &c);
		if (!k || c > 0xff) {
			free(out);
			return PK_FAIL(vm, NN_EFORMAT, "text is not Latin-1");
		}
		*o++ = (unsigned char)c;
		i += k;
	}
	if ((rc = push_str(vm, PK_BYTES, out, (size_t)(o - out), out)) < 0)
		return rc;
	text->u.s.latin1 = vm->stack[vm->sp - 1];
	return 0;
}

/* ---- the opcode loop ---------------------------------------------------- */

static int run(pk_vm *vm, pk_obj **result)
{
	for (;;) {
		if (vm->p >= vm->end)
			return PK_FAIL(vm, NN_ETRUNC, "the pickle ends before STOP");
		vm->op_at = (size_t)(vm->p - vm->start);
		unsigned char op = *vm->p++;
		const unsigned char *s1 = NULL, *s2 = NULL;
		size_t n1 = 0, n2 = 0;
		uint64_t u = 0;
		int64_t v = 0;
		pk_obj *o = NULL, *o2 = NULL;
		int rc = 0;
		switch (op) {
		case 0x80: /* PROTO */
			if ((rc = arg_u(vm, 1, &u)) == 0 && u > PK_MAX_PROTO)
				rc = PK_FAIL(vm, NN_EVERSION,
					     "pickle protocol %u (nn reads 0 to %d)", (unsigned)u,
					     PK_MAX_PROTO);
			break;
		case 0x95: /* FRAME: only a hint for buffering, but it must fit */
			if ((rc = arg_u(vm, 8, &u)) == 0)
				rc = need(vm, u);
			break;
		case '(': /* MARK */
			if (vm->n_marks >= PK_MARKS)
				return PK_FAIL(vm, NN_ESTACK, "more than %d open marks", PK_MARKS);
			vm->marks[vm->n_marks++] = vm->sp;
			break;
		case '.': /* STOP */
			if (vm->n_marks)
				return PK_FAIL(vm, NN_ESTACK, "STOP with an open mark");
			if (vm->sp != 1)
				return PK_FAIL(vm, NN_ESTACK, "STOP with %zu objects on the stack",
					       vm->sp);
			if (vm->p != vm->end)
				return PK_FAIL(vm, NN_EFORMAT, "%zu bytes after STOP",
					       (size_t)(vm->end - vm->p));
			*result = vm->stack[0];
			return 0;
		case ')': rc = make_tuple(vm, 0); break;  /* EMPTY_TUPLE */
		case 0x85: rc = make_tuple(vm, 1); break; /* TUPLE1 */
		case 0x86: rc = make_tuple(vm, 2); break; /* TUPLE2 */
		case 0x87: rc = make_tuple(vm, 3); break; /* TUPLE3 */
		case 't':                                 /* TUPLE */
			if (!vm->n_marks)
				return PK_FAIL(vm, NN_ESTACK, "TUPLE without a MARK");
			/* every item above the mark; the tuple takes the mark's place */
			rc = make_tuple(vm, vm->sp - nn__pk_floor(vm));
			vm->n_marks--;
			break;
		case 'N': rc = nn__pk_push_new(vm, &o, PK_NONE); break; /* NONE */
		case 0x88: rc = push_int(vm, PK_BOOL, 1); break;        /* NEWTRUE */
		case 0x89: rc = push_int(vm, PK_BOOL, 0); break;        /* NEWFALSE */
		case 'K':                                               /* BININT1 */
		case 'M':                                               /* BININT2 */
			if ((rc = arg_u(vm, op == 'K' ? 1 : 2, &u)) == 0)
				rc = push_int(vm, PK_INT, (int64_t)u);
			break;
		case 'J': /* BININT: signed 32 bits */
			if ((rc = arg_u(vm, 4, &u)) == 0)
				rc = push_int(vm, PK_INT, (int64_t)(int32_t)(uint32_t)u);
			break;
		case 0x8a: /* LONG1: n bytes of two's complement */
			if ((rc = arg_u(vm, 1, &u)) < 0 || (rc = need(vm, u)) < 0)
				break;
			if (u > 8)
				return PK_FAIL(vm, NN_ESIZE, "LONG1 of %u bytes", (unsigned)u);
			v = (int64_t)pk_le(vm->p, (size_t)u);
			if (u > 0 && u < 8 && (vm->p[u - 1] & 0x80))
				v -= (int64_t)1 << (8 * u);
			vm->p += u;
			rc = push_int(vm, PK_INT, v);
			break;
		case 'I': /* INT, or I01 / I00 for True / False */
		case 'L': /* LONG */
			if ((rc = arg_line(vm, &s1, &n1)) < 0)
				break;
			if (op == 'I' && n1 == 2 && s1[0] == '0' && (s1[1] == '0' || s1[1] == '1'))
				rc = push_int(vm, PK_BOOL, s1[1] == '1');
			else if ((rc = parse_dec(vm, s1, n1, op == 'L', &v)) == 0)
				rc = push_int(vm, PK_INT, v);
			break;
		case 'q': /* BINPUT */
		case 'r': /* LONG_BINPUT */
			if ((rc = arg_u(vm, op == 'q' ? 1 : 4, &u)) == 0)
				rc = memo_put(vm, u);
			break;
		case 0x94: rc = memo_put(vm, vm->memo_len); break; /* MEMOIZE */
		case 'h':                                          /* BINGET */
		case 'j':                                          /* LONG_BINGET */
			if ((rc = arg_u(vm, op == 'h' ? 1 : 4, &u)) == 0)
				rc = memo_get(vm, u);
			break;
		case 'p': /* PUT */
		case 'g': /* GET */
			if ((rc = arg_line(vm, &s1, &n1)) < 0 ||
			    (rc = parse_dec(vm, s1, n1, 0, &v)) < 0)
				break;
			if (v < 0)
				return PK_FAIL(vm, NN_EFORMAT, "negative memo index");
			rc = op == 'p' ? memo_put(vm, (uint64_t)v) : memo_get(vm, (uint64_t)v);
			break;
		case 'c': /* GLOBAL: module\nname\n */
			if ((rc = arg_line(vm, &s1, &n1)) == 0 &&
			    (rc = arg_line(vm, &s2, &n2)) == 0)
				rc = nn__pk_global(vm, s1, n1, s2, n2);
			break;
		case 0x93: /* STACK_GLOBAL */
			if ((rc = nn__pk_pop(vm, &o2)) < 0 || (rc = nn__pk_pop(vm, &o)) < 0)
				break;
			if (o->kind != PK_TEXT || o2->kind != PK_TEXT)
				return PK_FAIL(vm, NN_EPICKLE,
					       "STACK_GLOBAL of objects that are not strings");
			rc = nn__pk_global(vm, o->u.s.p, o->u.s.n, o2->u.s.p, o2->u.s.n);
			break;
		case 'R': rc = nn__pk_reduce(vm); break;                 /* REDUCE */
		case 'b': rc = nn__pk_build(vm); break;                  /* BUILD */
		case 'S': rc = load_string(vm); break;                   /* STRING */
		case 'V': rc = load_unicode(vm); break;                  /* UNICODE */
		case 'T': rc = load_counted(vm, 4, 1, PK_BYTES); break;  /* BINSTRING */
		case 'U': rc = load_counted(vm, 1, 0, PK_BYTES); break;  /* SHORT_BINSTRING */
		case 'B': rc = load_counted(vm, 4, 0, PK_BYTES); break;  /* BINBYTES */
		case 'C': rc = load_counted(vm, 1, 0, PK_BYTES); break;  /* SHORT_BINBYTES */
		case 0x8e: rc = load_counted(vm, 8, 0, PK_BYTES); break; /* BINBYTES8 */
		case 0x96: rc = load_counted(vm, 8, 0, PK_BYTES); break; /* BYTEARRAY8 */
		case 'X': rc = load_counted(vm, 4, 0, PK_TEXT); break;   /* BINUNICODE */
		case 0x8c: rc = load_counted(vm, 1, 0, PK_TEXT); break;  /* SHORT_BINUNICODE */
		default:
			return PK_FAIL(vm, NN_EPICKLE, "opcode 0x%02x ('%c') is not one nn reads",
				       op, op >= 0x20 && op < 0x7f ? op : '?');
		}
		if (rc < 0)
			return rc;
	}
}

int nn__pickle_mnist(nn_mnist *out, const unsigned char *buf, size_t len, const char *name,
		     const nn_mnist_options *opt, char *err)
{
	pk_vm *vm = calloc(1, sizeof *vm);
	if (!vm)
		return nn__fail(err, NN_ENOMEM, "%s: out of memory", name);
	vm->start = vm->p = buf;
	vm->end = buf + len;
	vm->budget = len > (SIZE_MAX - PK_BUDGET_BASE) / PK_BUDGET_PER_BYTE
			     ? SIZE_MAX
			     : PK_BUDGET_PER_BYTE * len + PK_BUDGET_BASE;
	vm->name = name ? name : "<memory>";
	vm->err = err;
	pk_obj *root = NULL;
	int rc = run(vm, &root);
	if (rc < 0)
		goto out;
	vm->op_at = len; /* details of what follows refer to the end */
	rc = nn__pk_to_mnist(vm, out, root, opt);
out:
	if (rc < 0) {
		nn_matrix_free(&out->train_x);
		nn_matrix_free(&out->test_x);
		nn_labels_free(&out->train_y);
		nn_labels_free(&out->test_y);
	}
	free_objs(vm);
	free(vm);
	return rc;
}
